// views/login.js — the log-in form. After success it returns to the page the user
// wanted (`?next=`), or to their start page.

import { h } from '../dom.js';
import * as api from '../api.js';
import { field, formError, busy, clearErrors, showApiError, showFormError, setFieldError } from '../ui.js';

/**
 * A safe in-app path from `?next=`, or null (refuses other hosts and API paths).
 *
 * @param {string|null} next the raw parameter
 * @returns {string|null} the path to go to
 */
export function safeNext(next) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/api/')) return null;
  if (['/login', '/setup', '/reset', '/signin'].some((p) => next.startsWith(p))) return null;
  return next;
}

/**
 * Render the log-in page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (navigate, setMe, getInstance, query, …)
 * @returns {void}
 */
export function render(root, state) {
  const setupNote = h('div', { class: 'notice', hidden: true },
    h('p', { class: 'notice-title' }, 'No admin account exists yet'),
    h('p', {}, 'The first admin is created with the setup link that the server printed when it started '
      + '(it looks like ', h('code', {}, 'http://…/setup#token=…'), '). Open that link, or run ',
    h('code', {}, 'ophiontt user add --role admin --email you@example.com --name "Your Name"'), ' on the server.'));
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log in')));
  // Shown when the server allows sign-in links: the password form gives way to the link panel.
  const useLink = h('button', { type: 'button', class: 'btn btn-block' }, 'Email me a sign-in link');
  const orLink = h('div', { class: 'auth-alt', hidden: true }, h('p', { class: 'auth-or muted small' }, 'or'), useLink);
  const forgot = h('p', { class: 'muted small' }, 'Forgot your password? Ask an administrator for a one-time link.');
  const card = h('div', { class: 'auth-card' },
    h('p', { class: 'auth-brand' }, 'OphionTT'),
    h('h1', { tabindex: '-1' }, 'Log in to OphionTT'),
    setupNote,
    form,
    orLink,
    forgot);
  useLink.addEventListener('click', async () => {
    // Loaded on demand: the login page stays within its request budget for everyone who signs
    // in with a password.
    const { linkPanel } = await import('./login-link.js');
    const panel = linkPanel({
      email: String(new FormData(form).get('email')).trim(),
      next: safeNext(state.query.get('next')),
      onPassword: () => {
        panel.replaceWith(form);
        orLink.hidden = false;
        forgot.hidden = false;
        form.querySelector('input[name="email"]').focus();
      },
    });
    form.replaceWith(panel);
    orLink.hidden = true;
    forgot.hidden = true;
    panel.querySelector('input[name="email"]').focus();
  });
  root.appendChild(card);
  const version = h('span', {});
  root.appendChild(h('p', { class: 'auth-footer muted small' },
    version, ' · ', h('a', { href: '/privacy', 'data-document': true }, 'Privacy notice')));

  state.getInstance({ fresh: true }).then((info) => {
    if (!info) return;
    setupNote.hidden = !info.setup_needed;
    orLink.hidden = !info.sign_in_links;
    if (info.sign_in_links) forgot.textContent = 'Forgot your password? Sign in with a link, or ask an administrator for a one-time reset link.';
    version.textContent = `${info.name || 'OphionTT'} ${info.version}`;
  });

  const emailInput = form.querySelector('input[name="email"]');
  emailInput.focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const body = { email: String(data.get('email')).trim(), password: String(data.get('password')) };
    if (!body.email) setFieldError(form, 'email', 'Enter your email address');
    if (!body.password) setFieldError(form, 'password', 'Enter your password');
    if (!body.email || !body.password) return;
    const button = form.querySelector('button[type="submit"]');
    try {
      const user = await busy(button, () => api.logIn(body));
      state.setMe(user);
      // `/` leads to the user's home page once /api/v1/me has said what they may open.
      state.navigate(safeNext(state.query.get('next')) || '/', { replace: true });
    } catch (err) {
      if (err.code === 'auth.invalid_credentials') {
        showFormError(form, 'Email or password is wrong');
        form.querySelector('input[name="password"]').select();
      } else if (err.code === 'auth.account_disabled') {
        showFormError(form, 'This account is disabled. Ask an administrator to enable it again.');
      } else {
        showApiError(form, err);
      }
    }
  });
}
