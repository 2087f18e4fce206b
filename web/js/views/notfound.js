// views/notfound.js — the client-side "Page not found" page (and "No access" for
// pages the user's role cannot see).

import { h } from '../dom.js';

/**
 * Render the not-found (or no-access) page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state; `forbidden` selects the no-access text
 * @returns {void}
 */
export function render(root, state) {
  const signedIn = Boolean(state.me);
  const box = h('div', { class: signedIn ? 'empty' : 'auth-card' });
  if (state.forbidden) {
    box.append(
      h('h1', { tabindex: '-1' }, 'No access'),
      h('p', {}, 'Your role cannot open this page. If you need it, ask an administrator.'));
  } else {
    box.append(
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, `There is no page at ${state.path}. The link may be old or mistyped.`));
  }
  // The role's landing page (the one after logging in); `/` leads to Today instead.
  const start = signedIn && state.homeFor ? state.homeFor(state.me) : '/';
  box.appendChild(h('p', {}, h('a', { href: start }, 'Go to the start page')));
  root.appendChild(box);
}
