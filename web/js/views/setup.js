// views/setup.js — first run: create the first admin with the one-time setup token
// that the server printed (it arrives in location.hash, so it never hits a log).

import { h } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, showApiError, zoneSelect, setFieldError, passwordHint, passwordProblem,
} from '../ui.js';

/**
 * Read a `token=` value from the URL fragment.
 *
 * @param {string} hash location.hash, e.g. "#token=abc"
 * @returns {string} the token, or ""
 */
export function tokenFromHash(hash) {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') || '';
}

function linkProblem(title) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, title),
    h('p', {}, 'A setup link works once and expires after a while. Restart the server to print a fresh link '
      + 'in its output, or create the admin from the command line on the server:'),
    h('pre', { class: 'command' }, 'ophiontt user add --role admin --email you@example.com --name "Your Name"'));
}

/**
 * Render the setup page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (navigate, setMe, getInstance, …)
 * @returns {void}
 */
export function render(root, state) {
  const token = tokenFromHash(location.hash);
  const card = h('div', { class: 'auth-card auth-card-wide' },
    h('p', { class: 'auth-brand' }, 'OphionTT'),
    h('h1', { tabindex: '-1' }, 'Create the first admin account'));
  root.appendChild(card);

  if (!token) {
    const notice = linkProblem('This page needs the setup link printed by the server');
    card.appendChild(notice);
    state.getInstance({ fresh: true }).then((info) => {
      if (info && !info.setup_needed) notice.replaceWith(alreadyDone());
    });
    return;
  }

  const problem = h('div', {});
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'lead' }, 'This account manages users and settings. You can add more people once it exists.'),
    field({ label: 'Name', name: 'name', autocomplete: 'name', required: true }),
    field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'email', required: true }),
    field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, hint: passwordHint() }),
    field({ label: 'Time zone', name: 'time_zone', control: zoneSelect(), hint: 'Days, weeks and times on every page use this zone; you can change it later on your account page.' }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create admin account')));
  card.append(problem, form);

  state.getInstance({ fresh: true }).then((info) => {
    if (info && !info.setup_needed && form.isConnected) {
      form.remove();
      card.appendChild(alreadyDone());
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const body = {
      token,
      name: String(data.get('name')).trim(),
      email: String(data.get('email')).trim(),
      password: String(data.get('password')),
      time_zone: String(data.get('time_zone')),
    };
    let missing = false;
    for (const key of ['name', 'email', 'password']) {
      if (!body[key]) {
        setFieldError(form, key, 'This field is required');
        missing = true;
      }
    }
    // A short password shows beside the missing fields, not after them (#14).
    const weak = body.password ? passwordProblem(body.password) : '';
    if (weak) missing = setFieldError(form, 'password', weak) || missing;
    if (missing) {
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    try {
      const user = await busy(button, () => api.setup(body));
      state.setMe(user);
      state.toast(`Welcome, ${user.name}. Your admin account is ready.`);
      state.navigate('/', { replace: true });
    } catch (err) {
      if (err.code === 'token.invalid') {
        form.remove();
        problem.appendChild(linkProblem('This setup link is not valid any more'));
      } else if (err.code === 'setup.already_done') {
        form.remove();
        problem.appendChild(alreadyDone());
      } else {
        showApiError(form, err);
      }
    }
  });
}

function alreadyDone() {
  return h('div', { class: 'notice' },
    h('p', {}, 'Setup is already done: an admin account exists. '),
    h('p', {}, h('a', { href: '/login' }, 'Log in'), ' with your account, or ask an admin for a link.'));
}
