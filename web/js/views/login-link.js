// views/login-link.js — "Email me a sign-in link" on the log-in page (when the server allows
// sign-in links). The server answers with a binding secret that this browser keeps in
// localStorage: the e-mailed link works only together with it, so only in this browser.

import { h } from '../dom.js';
import * as api from '../api.js';
import { field, formError, busy, clearErrors, showApiError, setFieldError } from '../ui.js';

/** Where the binding waits for the link (one at a time: a new request replaces it). */
export const BINDING_KEY = 'ophiontt.signin-link';

/**
 * The binding kept for the link, if it has not expired.
 *
 * @returns {{binding:string, expires_at:string, next:string|null}|null} what was kept
 */
export function keptBinding() {
  try {
    const kept = JSON.parse(localStorage.getItem(BINDING_KEY) || 'null');
    if (kept && typeof kept.binding === 'string' && Date.parse(kept.expires_at) > Date.now()) return kept;
  } catch { /* a damaged entry is as good as none */ }
  localStorage.removeItem(BINDING_KEY);
  return null;
}

/** A minutes count for people: "15 minutes". */
function minutesUntil(iso) {
  const m = Math.max(1, Math.round((Date.parse(iso) - Date.now()) / 60000));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/**
 * The sign-in link panel: an email field and "Email me a link", then what to do next.
 *
 * @param {Object} opts what the log-in page shares
 * @param {string} opts.email the address typed so far
 * @param {string|null} opts.next where to go after signing in
 * @param {() => void} opts.onPassword switches back to the password form
 * @returns {HTMLElement} the panel
 */
export function linkPanel({ email, next, onPassword }) {
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Sign in with an e-mailed link' },
    h('p', { class: 'lead' }, 'We e-mail you a link that signs you in once, in this browser. No password needed.'),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', required: true, value: email }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Email me a sign-in link')));
  const back = h('button', { type: 'button', class: 'btn-inline' }, 'Use my password instead');
  back.addEventListener('click', onPassword);
  const panel = h('div', { class: 'signin-link' }, form, h('p', { class: 'small' }, back));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const address = String(new FormData(form).get('email')).trim();
    if (!address) {
      setFieldError(form, 'email', 'Enter your email address');
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    try {
      const sent = await busy(button, () => api.requestSignInLink({ email: address }));
      localStorage.setItem(BINDING_KEY, JSON.stringify({ binding: sent.binding, expires_at: sent.expires_at, next }));
      const again = h('button', { type: 'button', class: 'btn-inline' }, 'send another link');
      const notice = h('div', { class: 'notice', role: 'status' },
        h('p', { class: 'notice-title' }, 'Check your email'),
        h('p', {}, 'If ', h('strong', {}, address), ' belongs to an account here, a sign-in link is on its way. '
          + `Open it in this browser within ${minutesUntil(sent.expires_at)}; it works once.`),
        h('p', { class: 'small muted' }, 'Nothing after a few minutes? Check your spam folder, or ', again, '.'));
      again.addEventListener('click', () => {
        notice.replaceWith(form);
        form.querySelector('input[name="email"]').focus();
      });
      form.replaceWith(notice);
    } catch (err) {
      if (err.code === 'auth.rate_limited') {
        setFieldError(form, 'email', 'Too many attempts. Wait a minute, then try again.');
      } else {
        showApiError(form, err);
      }
    }
  });
  return panel;
}
