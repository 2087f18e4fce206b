// views/audit.js — admin/auditor: read the hash-chained audit log, filter it (the
// filters live in the URL query) and see whether the chain verifies.

import { h, clear, uid } from '../dom.js';
import * as api from '../api.js';
import { field, pageHeader, formatInstant, errorMessage } from '../ui.js';
import { loadPage } from '../paged-list.js';

const FILTERS = ['actor', 'action', 'from', 'to'];

/**
 * Render the audit log page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, navigate, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const filters = {};
  for (const key of FILTERS) filters[key] = state.query.get(key) || '';
  const zone = state.me.time_zone;
  const ctx = { state, filters, filterKeys: FILTERS, emptyText, zone, cursor: null };

  root.appendChild(pageHeader('Audit log'));
  ctx.chain = h('div', { class: 'chain', role: 'status' }, 'Checking the hash chain…');
  root.append(
    h('p', { class: 'notice notice-quiet' }, 'Viewing the audit log is itself recorded.'),
    ctx.chain,
    ctx.form = filterForm(ctx));

  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table audit-table' },
    h('caption', { class: 'visually-hidden' }, 'Audit records, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, 'Seq'),
      h('th', { scope: 'col' }, `When (${zone.replaceAll('_', ' ')})`),
      h('th', { scope: 'col' }, 'Actor'),
      h('th', { scope: 'col' }, 'Action'),
      h('th', { scope: 'col' }, 'Target'),
      h('th', { scope: 'col' }, 'IP'),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Details')))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(ctx, false) }, 'Load more');
  root.append(h('div', { class: 'table-wrap' }, ctx.table), ctx.empty, ctx.status, h('div', { class: 'more' }, ctx.more));

  load(ctx, true);
  verify(ctx);
}

function filterForm(ctx) {
  const { state, filters } = ctx;
  const actionSelect = h('select', {}, h('option', { value: '' }, 'Any action'),
    filters.action ? h('option', { value: filters.action, selected: true }, filters.action) : null);
  api.listAuditActions(state.signal).then((res) => {
    for (const name of res.items) {
      if (name !== filters.action) actionSelect.appendChild(h('option', { value: name }, name));
    }
    // Keep the list alphabetical, with "Any action" first.
    const options = Array.from(actionSelect.options).slice(1).sort((a, b) => a.value.localeCompare(b.value));
    actionSelect.append(...options);
  }).catch(() => {});
  const form = h('form', { class: 'filters', novalidate: true },
    field({ label: 'Actor', name: 'actor', value: filters.actor, attrs: { placeholder: 'user id or cli:root', spellcheck: 'false' } }),
    field({ label: 'Action', name: 'action', control: actionSelect }),
    field({ label: 'From', name: 'from', type: 'date', value: filters.from }),
    field({ label: 'To', name: 'to', type: 'date', value: filters.to }),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply filters'),
      FILTERS.some((k) => filters[k]) ? h('a', { href: '/admin/audit', class: 'btn btn-link' }, 'Clear') : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const key of FILTERS) {
      const value = String(data.get(key) || '').trim();
      if (value) params.set(key, value);
    }
    const query = params.toString();
    state.navigate(query ? `/admin/audit?${query}` : '/admin/audit');
  });
  return form;
}

async function verify(ctx) {
  try {
    const res = await api.verifyAudit(ctx.state.signal);
    clear(ctx.chain);
    if (res.ok) {
      ctx.chain.className = 'chain chain-ok';
      ctx.chain.append(h('span', { class: 'chain-icon', 'aria-hidden': 'true' }, '✓'),
        `Chain verified: ${res.records} records`);
    } else {
      ctx.chain.className = 'chain chain-broken';
      ctx.chain.setAttribute('role', 'alert');
      ctx.chain.append(h('span', { class: 'chain-icon', 'aria-hidden': 'true' }, '!'),
        h('strong', {}, `Chain broken at record ${res.first_bad_seq}: ${res.reason || 'hash mismatch'}`),
        h('span', { class: 'chain-help' }, ' Records from this one on may have been altered. Keep a backup and run ophiontt audit verify.'));
    }
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.chain.className = 'chain chain-unknown';
    ctx.chain.textContent = `The chain could not be checked: ${errorMessage(err)}`;
  }
}

function load(ctx, reset) {
  return loadPage(ctx, reset, api.listAudit, (items) => {
    for (const record of items) ctx.tbody.append(...recordRows(ctx, record));
  });
}

function emptyText(filtered) {
  return [
    filtered ? 'No records match these filters' : 'The audit log is empty',
    'Every change to users and settings is appended here with who did it, when and from where. '
      + (filtered ? 'Widen the dates or choose “Any action”.' : ''),
  ];
}

function recordRows(ctx, record) {
  const detailId = uid('audit-body');
  const toggle = h('button', {
    type: 'button', class: 'btn btn-small btn-ghost', 'aria-expanded': 'false', 'aria-controls': detailId,
    'aria-label': `Details of record ${record.seq}`,
  }, 'Details');
  const detail = h('tr', { class: 'audit-detail', id: detailId, hidden: true },
    h('td', { colspan: '7' }, detailContent(record)));
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const row = h('tr', { class: 'audit-row' },
    cell('Seq', 'num', String(record.seq)),
    cell('When', 'nowrap', h('time', { datetime: record.at, title: record.at }, formatInstant(record.at, ctx.zone, 'seconds'))),
    cell('Actor', 'cell-actor', h('span', { title: record.actor }, record.actor_name || record.actor)),
    cell('Action', '', h('code', { class: 'action' }, record.action)),
    cell('Target', 'cell-target', targetContent(record)),
    cell('IP', 'cell-ip', record.ip || h('span', { class: 'muted' }, '—')),
    h('td', { class: 'cell-actions' }, toggle));
  const flip = () => {
    const open = detail.hidden;
    detail.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide' : 'Details';
    row.classList.toggle('is-open', open);
  };
  toggle.addEventListener('click', (event) => {
    event.stopPropagation();
    flip();
  });
  row.addEventListener('click', (event) => {
    if (!event.target.closest('a, button') && !window.getSelection().toString()) flip();
  });
  return [row, detail];
}

/**
 * What a record's target is: the server's readable label ("Time entry · Backups · 2026-12-01
 * 09:00") with the id in its title (#14), else the short id.
 *
 * @param {{target:?string, target_label:?string}} record the audit record
 * @returns {HTMLElement} the cell's content
 */
function targetContent(record) {
  if (!record.target) return h('span', { class: 'muted' }, '—');
  if (record.target_label) return h('span', { class: 'target-label', title: record.target }, record.target_label);
  return h('code', { title: record.target }, shortRef(record.target));
}

/**
 * A short form of a reference like "user:01a2…": ids are UUIDv7, whose leading digits
 * are a timestamp shared by records made together, so the distinguishing end is kept.
 */
function shortRef(ref) {
  const m = /^([a-z_]+):([0-9a-f-]{36})$/.exec(ref);
  return m ? `${m[1]}:…${m[2].slice(-8)}` : ref;
}

function detailContent(record) {
  let body;
  if (record.redacted) body = h('p', { class: 'muted' }, 'Body redacted');
  else if (record.body === null || record.body === undefined) body = h('p', { class: 'muted' }, 'No body recorded');
  else body = h('pre', { class: 'json' }, JSON.stringify(record.body, null, 2));
  const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, h('code', {}, value)));
  return h('div', { class: 'detail' },
    body,
    h('dl', { class: 'detail-facts small' },
      fact('Actor', record.actor),
      record.target ? fact('Target', record.target_label ? `${record.target} (${record.target_label})` : record.target) : null,
      fact('Hash', record.hash)));
}
