// views/security.js — admin/auditor: the security events (sign-ins, failures, lockouts,
// password and role changes, links, admin commands), newest first, filtered by person, kind,
// IP and dates (the filters live in the URL query). Reading them is itself audited.

import { h } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import { field, pageHeader, formatInstant } from '../ui.js';
import { loadPage } from '../paged-list.js';
import { has } from '../capabilities.js';
import { kindLabel, kindBadge, shortAgent, byLabel, detailChips } from './security-format.js';

const FILTERS = ['user_id', 'kind', 'ip', 'from', 'to'];
const PATH = '/admin/security';

/**
 * Render the security events page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, navigate, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const filters = {};
  for (const key of FILTERS) filters[key] = state.query.get(key) || '';
  const zone = state.me.time_zone;
  /** user id → name: every user for an admin, the people seen in events for an auditor. */
  const names = new Map();
  const ctx = {
    state, filters, filterKeys: FILTERS, emptyText, zone, names, cursor: null, listsUsers: has(state.me, 'manage_users'),
  };

  root.appendChild(pageHeader('Security events'));
  root.append(
    h('p', { class: 'notice notice-quiet' },
      'Sign-ins, failed attempts, lockouts, password and role changes and one-time links, with the address and browser they came from. ',
      'Viewing this page is itself recorded in the audit log.'),
    ctx.form = filterForm(ctx));

  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table sec-table' },
    h('caption', { class: 'visually-hidden' }, 'Security events, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, `When (${zone.replaceAll('_', ' ')})`),
      h('th', { scope: 'col' }, 'Event'),
      h('th', { scope: 'col' }, 'Person'),
      h('th', { scope: 'col' }, 'IP'),
      h('th', { scope: 'col' }, 'Browser'),
      h('th', { scope: 'col' }, 'By'),
      h('th', { scope: 'col' }, 'Details'))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(ctx, false) }, 'Load more');
  root.append(h('div', { class: 'table-wrap' }, ctx.table), ctx.empty, ctx.status, h('div', { class: 'more' }, ctx.more));

  if (ctx.listsUsers) loadPeople(ctx);
  load(ctx, true);
}

function filterForm(ctx) {
  const { state, filters } = ctx;
  ctx.personSelect = h('select', {}, h('option', { value: '' }, 'Anyone'),
    filters.user_id ? h('option', { value: filters.user_id, selected: true }, 'Selected person') : null);
  const kindSelect = h('select', {}, h('option', { value: '' }, 'Any event'),
    filters.kind ? h('option', { value: filters.kind, selected: true }, kindLabel(filters.kind)) : null);
  compliance.listSecurityEventKinds(state.signal).then((res) => {
    for (const kind of res.items) {
      if (kind !== filters.kind) kindSelect.appendChild(h('option', { value: kind }, kindLabel(kind)));
    }
    const options = Array.from(kindSelect.options).slice(1).sort((a, b) => a.text.localeCompare(b.text));
    kindSelect.append(...options);
  }).catch(() => {});
  const form = h('form', { class: 'filters sec-filters', novalidate: true },
    field({
      label: 'Person', name: 'user_id', control: ctx.personSelect,
      hint: ctx.listsUsers ? null : 'People seen in the events below',
    }),
    field({ label: 'Event', name: 'kind', control: kindSelect }),
    field({ label: 'IP address', name: 'ip', value: filters.ip, attrs: { spellcheck: 'false', inputmode: 'decimal', placeholder: 'e.g. 203.0.113.7' } }),
    field({ label: 'From', name: 'from', type: 'date', value: filters.from }),
    field({ label: 'To', name: 'to', type: 'date', value: filters.to }),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      FILTERS.some((k) => filters[k]) ? h('a', { href: PATH, class: 'btn btn-link' }, 'Clear') : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const key of FILTERS) {
      const value = String(data.get(key) || '').trim();
      if (value) params.set(key, value);
    }
    const query = params.toString();
    state.navigate(query ? `${PATH}?${query}` : PATH);
  });
  return form;
}

/** Admins may list users: offer every person, and name the "by" column with them. */
async function loadPeople(ctx) {
  try {
    const page = await api.listUsers({ limit: 500 }, ctx.state.signal);
    for (const u of page.items) ctx.names.set(u.id, u.name);
    const people = [...page.items].sort((a, b) => a.name.localeCompare(b.name));
    fillPeople(ctx, people.map((u) => [u.id, `${u.name} (${u.email})`]));
    refreshBy(ctx);
  } catch (err) {
    if (!api.isAbort(err)) ctx.listsUsers = false;
  }
}

function fillPeople(ctx, people) {
  const select = ctx.personSelect;
  const chosen = ctx.filters.user_id;
  const known = new Set(Array.from(select.options).map((o) => o.value));
  for (const [id, label] of people) {
    if (id === chosen) {
      const option = Array.from(select.options).find((o) => o.value === id);
      if (option) option.textContent = label;
    } else if (!known.has(id)) {
      select.appendChild(h('option', { value: id }, label));
      known.add(id);
    }
  }
  const options = Array.from(select.options).slice(1).sort((a, b) => a.text.localeCompare(b.text));
  select.append(...options);
}

/** An auditor's person filter offers the people seen so far. */
function learnPeople(ctx, items) {
  const fresh = [];
  for (const ev of items) {
    if (ev.user_id && ev.user_name && !ctx.names.has(ev.user_id)) {
      ctx.names.set(ev.user_id, ev.user_name);
      fresh.push([ev.user_id, ev.user_name]);
    }
  }
  if (fresh.length) fillPeople(ctx, fresh);
}

function refreshBy(ctx) {
  for (const cell of ctx.tbody.querySelectorAll('td[data-by] .cell')) {
    cell.replaceChildren(byLabel(cell.parentElement.dataset.by, ctx.names, ctx.state.me.id));
  }
}

function load(ctx, reset) {
  return loadPage(ctx, reset, compliance.listSecurityEvents, (items) => {
    if (!ctx.listsUsers) learnPeople(ctx, items);
    else for (const ev of items) if (ev.user_id && ev.user_name && !ctx.names.has(ev.user_id)) ctx.names.set(ev.user_id, ev.user_name);
    // Who acted: the API names them, so auditors (who cannot list users) see names too.
    for (const ev of items) if (ev.by_name && ev.by?.startsWith('user:')) ctx.names.set(ev.by.slice(5), ev.by_name);
    for (const ev of items) ctx.tbody.appendChild(eventRow(ctx, ev));
  });
}

function emptyText(filtered) {
  return [
    filtered ? 'No security events match these filters' : 'No security events yet',
    'Every sign-in, failed attempt, lockout, password or role change and one-time link is recorded here. '
      + (filtered ? 'Widen the dates or choose “Any event”.' : ''),
  ];
}

function personCell(ctx, ev) {
  if (ev.user_id) {
    const name = ev.user_name || `user …${ev.user_id.slice(-8)}`;
    // The name filters the page to this person (for auditors too, who cannot list users).
    const params = new URLSearchParams({ user_id: ev.user_id });
    return h('a', { href: `${PATH}?${params}`, title: `Only events of ${name}` }, name);
  }
  if (ev.email) {
    return [h('span', { class: 'sec-email' }, ev.email), ' ', h('span', { class: 'muted small' }, '(no account)')];
  }
  return null;
}

function eventRow(ctx, ev) {
  const none = () => h('span', { class: 'muted' }, '—');
  // Cells with nothing to say are left out of the stacked phone cards (class is-empty).
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: content[0] ? cls : `${cls} is-empty` },
    h('span', { class: 'cell' }, content[0] || none()));
  const agent = shortAgent(ev.user_agent);
  const by = cell('By', 'cell-by', byLabel(ev.by, ctx.names, ctx.state.me.id));
  if (ev.by) by.dataset.by = ev.by;
  if (!ev.by || ev.by === 'anonymous') by.classList.add('is-empty');
  const chips = detailChips(ev.detail, ctx.zone);
  return h('tr', { class: 'sec-row', dataset: { id: ev.id, kind: ev.kind } },
    cell('When', 'nowrap', h('time', { datetime: ev.at, title: formatInstant(ev.at, ctx.zone, 'zone') }, formatInstant(ev.at, ctx.zone, 'shortSeconds'))),
    cell('Event', 'nowrap', kindBadge(ev)),
    cell('Person', 'cell-person', personCell(ctx, ev)),
    cell('IP', 'cell-ip', ev.ip || null),
    cell('Browser', 'cell-agent', agent ? h('span', { title: ev.user_agent }, agent) : null),
    by,
    cell('Details', 'cell-detail', chips));
}
