// views/account-tokens.js — "API tokens" and "Calendar subscriptions" on My account: make one
// (its secret or URL shown once, with a Copy button), see when and from where each was last
// used, and revoke it at once. docs/integrations.md has a recipe for each.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import * as tokens from '../api-tokens.js';
import { field, formError, clearErrors, busy, showApiError, formatInstant, errorMessage, toast } from '../ui.js';

const EXPIRY = [['30', '30 days'], ['90', '90 days'], ['365', 'One year']];

/**
 * The "API tokens" section.
 *
 * @param {Object} state router state (me, signal, …)
 * @returns {HTMLElement} the section
 */
export function tokensSection(state) {
  const me = state.me;
  const mayAdmin = me.role === 'admin' || me.role === 'auditor';
  const list = h('div', { class: 'secrets-list' });
  const shown = h('div', { class: 'secret-shown', role: 'status' });
  const scope = (value, label, hint, checked) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'scopes', value, checked }), ' ', h('strong', {}, label), ` — ${hint}`);
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Token name', name: 'name', attrs: { placeholder: 'laptop terminal', maxlength: '100' }, hint: 'Where you use it, so you know which to revoke.' }),
    h('fieldset', { class: 'field scopes' }, h('legend', {}, 'May'),
      scope('read', 'Read', 'lists, reports and exports', true),
      scope('write', 'Write', 'track time and change what your role may change', false),
      mayAdmin ? scope('admin', 'Admin', 'the operations only your role may call', false) : null,
      h('p', { class: 'field-error', hidden: true })),
    field({ label: 'Expires after', name: 'expires_in_days',
      control: h('select', {}, EXPIRY.map(([v, t]) => h('option', { value: v, selected: v === '90' }, t))) }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create token')));
  // What a new token starts from (also after one was made): read only, 90 days.
  const defaults = () => {
    form.querySelector('input[value="read"]').checked = true;
    form.querySelector('select[name="expires_in_days"]').value = '90';
  };
  defaults();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    clear(shown);
    const data = new FormData(form);
    const body = {
      name: String(data.get('name')).trim(),
      scopes: data.getAll('scopes').map(String),
      expires_in_days: Number(data.get('expires_in_days')),
    };
    try {
      const made = await busy(form.querySelector('button[type="submit"]'), () => tokens.createToken(body));
      form.reset();
      defaults();
      shown.appendChild(secretPanel('Copy your new token now: it is shown only this once.', made.secret,
        `curl -H "Authorization: Bearer ${made.secret}" ${location.origin}/api/v1/me`));
      await loadTokens(state, list);
    } catch (err) {
      showApiError(form, err);
    }
  });
  loadTokens(state, list);
  return h('section', { class: 'card account-tokens', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    h('p', { class: 'muted small' }, 'For scripts and the terminal timer (', h('code', {}, 'ophiontt login'),
      '): send one as ', h('code', {}, 'Authorization: Bearer …'), '. A token acts as you, within its scopes; it can never '
      + 'change your password or make other tokens.'),
    form, shown, list);
}

/**
 * The "Calendar subscriptions" section.
 *
 * @param {Object} state router state (me, signal, …)
 * @returns {HTMLElement|null} the section (none for client accounts)
 */
export function feedsSection(state) {
  const me = state.me;
  if (me.role === 'client') return null;
  const list = h('div', { class: 'secrets-list' });
  const shown = h('div', { class: 'secret-shown', role: 'status' });
  const project = h('select', {}, h('option', { value: '' }, 'My own entries'));
  if (me.role !== 'member') {
    api.listProjects({}, state.signal).then((page) => {
      for (const p of page.items || []) {
        if (p.can && p.can.edit) project.appendChild(h('option', { value: p.id }, `Team: ${p.name}`));
      }
    }).catch(() => {});
  }
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Subscription name', name: 'name', attrs: { placeholder: 'work calendar', maxlength: '100' } }),
    field({ label: 'Shows', name: 'project_id', control: project,
      hint: 'Finished entries from half a year back to a month ahead; calendar apps refresh on their own schedule.' }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create subscription')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    clear(shown);
    const data = new FormData(form);
    const body = { name: String(data.get('name')).trim() };
    if (data.get('project_id')) body.project_id = String(data.get('project_id'));
    try {
      const made = await busy(form.querySelector('button[type="submit"]'), () => tokens.createFeed(body));
      form.reset();
      shown.appendChild(secretPanel('Copy this address into your calendar app now: it is shown only this once. '
        + 'Anyone with it can read the feed.', made.url, null,
      h('a', { href: made.webcal_url, class: 'btn btn-small' }, 'Open in calendar app')));
      await loadFeeds(state, list);
    } catch (err) {
      showApiError(form, err);
    }
  });
  loadFeeds(state, list);
  return h('section', { class: 'card account-feeds', 'aria-labelledby': 'feeds-title' },
    h('h2', { id: 'feeds-title' }, 'Calendar subscriptions'),
    h('p', { class: 'muted small' }, 'A private address your calendar app polls to show your time entries. '
      + 'Revoke it if it leaks.'),
    form, shown, list);
}

/**
 * A secret shown once: read-only text, a Copy button and an optional example.
 *
 * @param {string} lead what to do with it
 * @param {string} secret the token or URL
 * @param {string|null} example a command using it
 * @param {HTMLElement} [extra] another action
 * @returns {HTMLElement} the panel
 */
function secretPanel(lead, secret, example, extra) {
  const input = h('input', { type: 'text', readonly: true, value: secret, class: 'secret-value', 'aria-label': 'Secret', spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'btn btn-small' }, 'Copy');
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(secret);
      toast('Copied');
    } catch {
      toast('Press Ctrl+C to copy the selected text');
    }
  });
  return h('div', { class: 'secret-panel' },
    h('p', {}, h('strong', {}, lead)),
    h('div', { class: 'secret-row' }, input, copy, extra || null),
    example ? h('p', { class: 'muted small' }, 'Try it: ', h('code', { class: 'secret-example' }, example)) : null);
}

async function loadTokens(state, list) {
  try {
    const page = await tokens.listMyTokens(state.signal);
    fill(list, page.items, state, 'No tokens yet.', tokenRow, (t) => tokens.revokeToken(t.id), () => loadTokens(state, list));
  } catch (err) {
    list.replaceChildren(h('p', { class: 'form-error' }, errorMessage(err)));
  }
}

async function loadFeeds(state, list) {
  try {
    const page = await tokens.listMyFeeds(state.signal);
    fill(list, page.items, state, 'No subscriptions yet.', feedRow, (f) => tokens.revokeFeed(f.id), () => loadFeeds(state, list));
  } catch (err) {
    list.replaceChildren(h('p', { class: 'form-error' }, errorMessage(err)));
  }
}

function fill(list, items, state, empty, row, revoke, reload) {
  if (!items.length) {
    list.replaceChildren(h('p', { class: 'muted small empty' }, empty));
    return;
  }
  const zone = state.me.time_zone;
  list.replaceChildren(h('ul', { class: 'secrets' }, items.map((item) => {
    const button = item.state === 'active'
      ? h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Revoke ${item.name}` }, 'Revoke')
      : null;
    if (button) {
      button.addEventListener('click', async () => {
        if (!window.confirm(`Revoke “${item.name}”? Whatever uses it stops working at once.`)) return;
        try {
          await busy(button, () => revoke(item));
          toast(`Revoked ${item.name}`);
          await reload();
        } catch (err) {
          toast(errorMessage(err), 'error');
        }
      });
    }
    return h('li', { class: `secret-item state-${item.state}` }, h('div', {}, row(item, zone)), button);
  })));
}

function lastUse(item, zone) {
  return item.last_used_at
    ? `last used ${formatInstant(item.last_used_at, zone)} from ${item.last_used_ip || 'unknown'}`
    : 'never used';
}

function tokenRow(t, zone) {
  const state = t.state === 'active' ? `expires ${formatInstant(t.expires_at, zone)}` : t.state;
  return [h('strong', {}, t.name), ' ', h('span', { class: 'badge' }, t.scopes.join(' + ')),
    h('div', { class: 'muted small' }, `${state} · ${lastUse(t, zone)}`)];
}

function feedRow(f, zone) {
  const what = f.project_id ? 'a project' : 'your entries';
  return [h('strong', {}, f.name), h('div', { class: 'muted small' },
    `${f.state === 'active' ? `shows ${what}` : f.state} · ${lastUse(f, zone)}`)];
}
