// views/users.js — admin: list, search and page through users; row actions open the
// dialogs in users-dialogs.js.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { field, pageHeader, formatInstant, errorMessage, delayedSpinner, busy } from '../ui.js';
import { openUserForm, confirmDisable, showResetLink, ROLES } from './users-dialogs.js';

const PAGE_SIZE = 50;

/**
 * Render the users page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, setQuery, toast, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = {
    state,
    q: state.query.get('q') || '',
    cursor: null,
    seq: 0,
    reload: () => load(ctx, true),
    replaceUser: (user) => replaceRow(ctx, user),
  };
  root.appendChild(pageHeader('Users',
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openUserForm(ctx, null) }, 'New user')));

  const search = field({
    label: 'Search users', name: 'q', type: 'search', value: ctx.q,
    attrs: { placeholder: 'Name or email', autocomplete: 'off', spellcheck: 'false' },
  });
  let timer = 0;
  search.querySelector('input').addEventListener('input', (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      ctx.q = event.target.value.trim();
      const params = new URLSearchParams();
      if (ctx.q) params.set('q', ctx.q);
      state.setQuery(params);
      load(ctx, true);
    }, 200);
  });

  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table users-table' },
    h('caption', { class: 'visually-hidden' }, 'Users, ordered by email'),
    h('thead', {}, h('tr', {},
      ['Name', 'Email', 'Role', 'Time zone', 'Status', 'Last login'].map((t) => h('th', { scope: 'col' }, t)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(ctx, false) }, 'Load more');

  root.append(
    h('p', { class: 'page-intro muted' }, 'Everyone who can log in to this instance. Changes here are recorded in the audit log.'),
    h('div', { class: 'toolbar' }, search),
    h('div', { class: 'table-wrap' }, ctx.table),
    ctx.empty, ctx.status,
    h('div', { class: 'more' }, ctx.more));
  load(ctx, true);
}

async function load(ctx, reset) {
  const { state } = ctx;
  ctx.seq += 1;
  const seq = ctx.seq;
  const stop = delayedSpinner(ctx.status);
  const query = { limit: PAGE_SIZE, q: ctx.q || undefined, cursor: reset ? undefined : ctx.cursor };
  try {
    const page = reset
      ? await api.listUsers(query, state.signal)
      : await busy(ctx.more, () => api.listUsers(query, state.signal));
    if (seq !== ctx.seq) return;
    if (reset) clear(ctx.tbody);
    clear(ctx.status);
    for (const user of page.items) ctx.tbody.appendChild(userRow(ctx, user));
    ctx.cursor = page.next_cursor;
    ctx.more.hidden = !page.next_cursor;
    showEmpty(ctx);
  } catch (err) {
    if (api.isAbort(err) || seq !== ctx.seq) return;
    clear(ctx.status);
    ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

function showEmpty(ctx) {
  const none = ctx.tbody.children.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  clear(ctx.empty);
  if (!none) return;
  if (ctx.q) {
    ctx.empty.append(h('p', { class: 'empty-title' }, `No users match “${ctx.q}”`),
      h('p', {}, 'Search looks at names and email addresses. Try a shorter part of either.'));
  } else {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No users yet'),
      h('p', {}, 'Add the people who track time here with New user. Each gets a one-time link to set a password.'));
  }
}

function replaceRow(ctx, user) {
  const old = ctx.tbody.querySelector(`tr[data-id="${CSS.escape(user.id)}"]`);
  if (old) old.replaceWith(userRow(ctx, user));
  if (ctx.state.me && user.id === ctx.state.me.id) ctx.state.setMe(user);
}

function roleLabel(role) {
  const found = ROLES.find((r) => r.value === role);
  return found ? found.label : role;
}

function userRow(ctx, user) {
  const { state } = ctx;
  const isMe = state.me && state.me.id === user.id;
  const rowError = h('p', { class: 'row-error', role: 'alert', hidden: true });
  const showRowError = (message) => {
    rowError.textContent = message;
    rowError.hidden = !message;
  };
  const toggle = user.disabled
    ? h('button', {
      type: 'button', class: 'btn btn-small btn-toggle', 'aria-label': `Enable ${user.email}`,
      onclick: (event) => enable(ctx, user, event.currentTarget, showRowError),
    }, 'Enable')
    : h('button', {
      type: 'button', class: 'btn btn-small btn-toggle btn-danger-quiet', 'aria-label': `Disable ${user.email}`,
      onclick: () => confirmDisable(ctx, user),
    }, 'Disable');
  const last = user.last_login_at;
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  return h('tr', { dataset: { id: user.id }, class: user.disabled ? 'is-disabled' : '' },
    cell('Name', 'cell-name', user.name, isMe ? h('span', { class: 'you' }, 'you') : null),
    cell('Email', 'cell-email', breakable(user.email, '@')),
    cell('Role', 'nowrap', roleLabel(user.role)),
    cell('Time zone', '', breakable(user.time_zone.replaceAll('_', ' '), '/')),
    cell('Status', 'nowrap',
      h('span', { class: user.disabled ? 'badge badge-off' : 'badge badge-on' }, user.disabled ? 'Disabled' : 'Active')),
    cell('Last login', 'nowrap',
      last ? h('time', { datetime: last, title: formatInstant(last, state.me.time_zone, 'zone') }, formatInstant(last, state.me.time_zone, 'short'))
        : h('span', { class: 'muted' }, 'Never')),
    h('td', { class: 'cell-actions' },
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Edit ${user.email}`, onclick: () => openUserForm(ctx, user) }, 'Edit'),
        toggle,
        h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Reset link for ${user.email}`,
          onclick: (event) => resetLink(ctx, user, event.currentTarget, showRowError),
        }, 'Reset link')),
      rowError));
}

/** Text with a line-break opportunity before `sep` (email at "@", zone after "/"). */
function breakable(text, sep) {
  const at = text.indexOf(sep);
  if (at <= 0) return text;
  const cut = sep === '/' ? at + 1 : at;
  return [text.slice(0, cut), h('wbr'), text.slice(cut)];
}

async function enable(ctx, user, button, showRowError) {
  showRowError('');
  try {
    const updated = await busy(button, () => api.enableUser(user.id));
    ctx.replaceUser(updated);
    ctx.state.toast(`${updated.name} can log in again`);
  } catch (err) {
    showRowError(errorMessage(err));
  }
}

async function resetLink(ctx, user, button, showRowError) {
  showRowError('');
  try {
    const link = await busy(button, () => api.createResetLink(user.id));
    showResetLink(ctx, user, link);
  } catch (err) {
    showRowError(errorMessage(err));
  }
}
