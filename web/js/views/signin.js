// views/signin.js — where an e-mailed sign-in link lands: `/signin#token=…`. The token is in
// location.hash (it never reaches a server log) and is sent with the binding this browser kept
// when it asked for the link (views/login-link.js).

import { h } from '../dom.js';
import * as api from '../api.js';
import { tokenFromHash } from './setup.js';
import { safeNext } from './login.js';
import { keptBinding } from './login-link.js';

/** A refusal, with the way back to the log-in page. */
function problem(title, text) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, title),
    h('p', {}, text),
    h('p', {}, h('a', { href: '/login' }, 'Go to the log-in page')));
}

const USED = ['This link no longer works',
  'A sign-in link works once, for a few minutes, and only the newest one you asked for. Ask for a new one on the log-in page.'];
const OTHER = ['Open this link in the browser where you asked for it',
  'For your safety a sign-in link only works in the browser that asked for it. Open the e-mail there, or ask for a new link in this browser.'];

/**
 * Render the sign-in link page: it signs in at once, or says why it cannot.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (navigate, setMe, …)
 * @returns {Promise<void>} resolves when the page has settled
 */
export async function render(root, state) {
  const token = tokenFromHash(location.hash);
  // The token leaves the address bar (and the history) at once.
  history.replaceState(history.state, '', '/signin');
  const status = h('p', { class: 'lead', role: 'status' }, 'Signing you in…');
  const card = h('div', { class: 'auth-card' },
    h('p', { class: 'auth-brand' }, 'OphionTT'),
    h('h1', { tabindex: '-1' }, 'Sign in with a link'),
    status);
  root.appendChild(card);
  const kept = keptBinding();
  if (!token) {
    status.replaceWith(problem(...USED));
    return;
  }
  try {
    // Without a binding the server still hears of the attempt (the security log records a
    // link opened in another browser) and refuses it.
    const user = await api.redeemSignInLink({ token, binding: kept ? kept.binding : '' });
    // The binding stays until it expires or a new link replaces it: the used link is dead, and
    // opening it again then says so rather than "open it in the browser that asked".
    state.setMe(user);
    state.navigate(safeNext(kept.next) || '/', { replace: true });
  } catch (err) {
    if (err.code === 'auth.link_other_browser') status.replaceWith(problem(...OTHER));
    else if (err.code === 'token.invalid') status.replaceWith(problem(...USED));
    else if (err.code === 'auth.account_disabled') status.replaceWith(problem('This account is disabled', 'Ask an administrator to enable it again.'));
    else status.replaceWith(problem('Could not sign you in', err.message || 'Try again in a moment.'));
  }
}
