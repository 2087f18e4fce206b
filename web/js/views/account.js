// views/account.js — the signed-in user's own profile and password, e-mail notifications
// (account-email.js), "Your data" (account-privacy.js), and API tokens and calendar
// subscriptions (account-tokens.js).

import { h } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, showApiError, setFieldError, zoneSelect, pageHeader, formatInstant, passwordHint, passwordProblem,
} from '../ui.js';
import { yourDataSection } from './account-privacy.js';
import { tokensSection, feedsSection } from './account-tokens.js';
import { emailSection } from './account-email.js';

const ROLE_TEXT = {
  admin: 'Admin — manages users and settings',
  manager: 'Manager',
  member: 'Member',
  client: 'Client',
  auditor: 'Auditor — reads the audit log',
};

/**
 * Render the account page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, setMe, logOut, toast, …)
 * @returns {void}
 */
export function render(root, state) {
  const me = state.me;
  root.appendChild(pageHeader('Account',
    h('button', { type: 'button', class: 'btn', onclick: () => state.logOut() }, 'Log out')));

  const facts = h('dl', { class: 'facts' },
    h('div', {}, h('dt', {}, 'Email'), h('dd', { class: 'fact-email', title: me.email }, emailParts(me.email))),
    h('div', {}, h('dt', {}, 'Role'), h('dd', { class: 'fact-role' }, ROLE_TEXT[me.role] || me.role)),
    h('div', {}, h('dt', {}, 'Member since'), h('dd', {}, formatInstant(me.created_at, me.time_zone))));

  root.appendChild(h('div', { class: 'account-grid' },
    section('Profile', 'profile-title', [facts, profileForm(state)]),
    section('Change password', 'password-title', [passwordForm(state)]),
    emailSection(state),
    yourDataSection(state),
    tokensSection(state),
    feedsSection(state)));
}

/**
 * An e-mail address as text with break opportunities after "@" and before each "." (#14),
 * so a long address wraps between its parts instead of mid-word.
 *
 * @param {string} email the address
 * @returns {Array<string|HTMLElement>} text pieces and `<wbr>` elements
 */
function emailParts(email) {
  const parts = [];
  for (const piece of String(email).split(/(?<=@)|(?=\.)/)) {
    if (parts.length) parts.push(h('wbr'));
    parts.push(piece);
  }
  return parts;
}

function section(title, id, content) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function profileForm(state) {
  const me = state.me;
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Name', name: 'name', value: me.name, autocomplete: 'name', required: true }),
    field({ label: 'Time zone', name: 'time_zone', control: zoneSelect(me.time_zone),
      hint: 'Days, weeks and times on every page use this zone.' }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save profile')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const body = { name: String(data.get('name')).trim(), time_zone: String(data.get('time_zone')) };
    if (!body.name) {
      setFieldError(form, 'name', 'This field is required');
      return;
    }
    try {
      const user = await busy(form.querySelector('button[type="submit"]'), () => api.updateMe(body));
      state.setMe(user);
      state.me = user;
      state.toast('Profile saved');
    } catch (err) {
      showApiError(form, err);
    }
  });
  return form;
}

function passwordForm(state) {
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'muted small' }, 'Changing your password signs you out everywhere else.'),
    field({ label: 'Current password', name: 'current_password', type: 'password', autocomplete: 'current-password', required: true }),
    field({ label: 'New password', name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, hint: passwordHint() }),
    field({ label: 'Confirm new password', name: 'confirm_password', type: 'password', autocomplete: 'new-password', required: true }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const current = String(data.get('current_password'));
    const next = String(data.get('new_password'));
    const confirm = String(data.get('confirm_password'));
    let bad = false;
    if (!current) bad = setFieldError(form, 'current_password', 'Enter your current password');
    // Every error that applies shows at once (#14).
    const weak = next ? passwordProblem(next) : 'Enter a new password';
    if (weak) bad = setFieldError(form, 'new_password', weak) || bad;
    if (next && next !== confirm) {
      bad = setFieldError(form, 'confirm_password', confirm ? 'The two passwords are not the same' : 'Type the new password again') || bad;
    }
    if (bad) {
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    try {
      await busy(form.querySelector('button[type="submit"]'),
        () => api.changeMyPassword({ current_password: current, new_password: next }));
      form.reset();
      state.toast('Password changed; other sessions were signed out');
    } catch (err) {
      showApiError(form, err);
    }
  });
  return form;
}
