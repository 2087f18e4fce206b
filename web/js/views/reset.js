// views/reset.js — set a password with a one-time link made by an admin
// (the token is in location.hash, so it never reaches a server log).

import { h } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, showApiError, setFieldError, passwordHint, passwordProblem,
} from '../ui.js';
import { tokenFromHash } from './setup.js';

function linkProblem() {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, 'This link is not valid'),
    h('p', {}, 'Password links work once and expire after a while. Ask an administrator for a new link, '
      + 'and open it exactly as you received it.'),
    h('p', {}, h('a', { href: '/login' }, 'Go to the log-in page')));
}

/**
 * Render the set-password page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (navigate, toast, …)
 * @returns {void}
 */
export function render(root, state) {
  const token = tokenFromHash(location.hash);
  const card = h('div', { class: 'auth-card' },
    h('p', { class: 'auth-brand' }, 'OphionTT'),
    h('h1', { tabindex: '-1' }, 'Set your password'));
  root.appendChild(card);
  if (!token) {
    card.appendChild(linkProblem());
    return;
  }
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'lead' }, 'Choose a password for your OphionTT account. The link works only once.'),
    field({ label: 'New password', name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, hint: passwordHint() }),
    field({ label: 'Confirm new password', name: 'confirm_password', type: 'password', autocomplete: 'new-password', required: true }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Set password')));
  card.appendChild(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const password = String(data.get('new_password'));
    const confirm = String(data.get('confirm_password'));
    // Every error that applies shows at once: a short password and a mismatch together (#14).
    let bad = false;
    const weak = password ? passwordProblem(password) : 'Enter a new password';
    if (weak) bad = setFieldError(form, 'new_password', weak);
    if (password && password !== confirm) {
      bad = setFieldError(form, 'confirm_password', confirm ? 'The two passwords are not the same' : 'Type the new password again') || bad;
    }
    if (bad) {
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    try {
      await busy(button, () => api.resetPassword({ token, new_password: password }));
      state.navigate('/login', { replace: true });
      state.toast('Password set — log in with your new password');
    } catch (err) {
      if (err.code === 'token.invalid') {
        form.replaceWith(linkProblem());
      } else {
        showApiError(form, err);
      }
    }
  });
}
