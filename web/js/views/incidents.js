// views/incidents.js — admin/auditor: the breach register (GDPR Art. 33/34). Each incident with
// its 72-hour authority countdown, how much of Art. 33(3) is filled in and how many affected
// people were told; "Open incident" (admins). One incident opens on its own page (incident.js).

import { h } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, showApiError, busy, openDialog, toast, pageHeader, loadInto, formatInstant,
} from '../ui.js';
import { toLocalInput, fromLocalInput } from '../time.js';
import { has } from '../capabilities.js';
import { deadlineBadge, clockOffset, statusBadge } from './incident-format.js';

/**
 * Render the breach register.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, navigate, …)
 * @returns {void}
 */
export function render(root, state) {
  const mayManage = has(state.me, 'manage_privacy');
  const ctx = { state, mayManage, zone: state.me.time_zone };
  const openButton = () => h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openNew(ctx) }, 'Open incident');
  root.appendChild(pageHeader('Incidents', mayManage ? openButton() : null));
  root.append(h('p', { class: 'page-intro muted' },
    'Personal-data breaches: what happened, whom it concerns and who was told. ',
    'The supervisory authority must be notified within 72 hours of discovering a breach (GDPR Art. 33); ',
    'the people concerned, when it puts them at high risk (Art. 34).',
    mayManage ? '' : ' You can read the register; only an admin can record or change incidents.'));
  ctx.status = h('div', { class: 'list-status' });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table inc-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Incidents, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'What happened'),
      h('th', { scope: 'col' }, 'Discovered'),
      h('th', { scope: 'col' }, 'Authority (72 h)'),
      h('th', { scope: 'col', class: 'num' }, 'People told'),
      h('th', { scope: 'col' }, 'Status'))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true },
    h('p', { class: 'empty-title' }, 'No incidents recorded'),
    h('p', {}, 'When personal data is lost, stolen, sent to the wrong person or seen by someone who should not see it, '
      + 'open an incident here at once: the 72 hours to notify the authority start when you find out.'),
    mayManage ? openButton() : null);
  root.append(ctx.status, h('div', { class: 'table-wrap' }, ctx.table), ctx.empty);
  loadInto(ctx.status, true, () => compliance.listIncidents(state.signal), (res) => show(ctx, res));
}

function show(ctx, res) {
  const offset = clockOffset(res.now);
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  ctx.tbody.replaceChildren(...res.items.map((i) => h('tr', { class: 'inc-row', dataset: { id: i.id, deadline: i.deadline, status: i.status } },
    cell('What happened', 'cell-title',
      h('a', { href: `/admin/incidents/${encodeURIComponent(i.id)}`, class: 'inc-title' }, i.title),
      i.missing ? h('span', { class: 'muted small' }, `${i.missing} of 8 Art. 33 details missing`) : h('span', { class: 'muted small' }, 'Art. 33 details complete')),
    cell('Discovered', 'nowrap', h('time', { datetime: i.discovered_at }, formatInstant(i.discovered_at, ctx.zone, 'short'))),
    cell('Authority (72 h)', 'cell-deadline', deadlineBadge(i, offset, ctx.zone, ctx.state.signal)),
    cell('People told', 'num', i.affected ? `${i.notified} of ${i.affected}` : h('span', { class: 'muted' }, '—')),
    cell('Status', '', statusBadge(i.status)))));
  const none = res.items.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
}

function openNew(ctx) {
  const zone = ctx.zone;
  const now = toLocalInput(Date.now(), zone);
  const title = h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' });
  const description = h('textarea', { rows: '3' });
  const discovered = h('input', { type: 'datetime-local', value: now, max: now, required: true });
  const from = h('input', { type: 'datetime-local', max: now });
  const to = h('input', { type: 'datetime-local', max: now });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Open incident');
  const form = h('form', { class: 'form inc-form', novalidate: true },
    field({ label: 'What happened', name: 'title', control: title, hint: 'One line, e.g. “Laptop with a CSV export stolen”.' }),
    field({ label: 'Details', name: 'description', control: description }),
    field({ label: `Discovered (${zone})`, name: 'discovered_at', control: discovered, hint: 'When you became aware of it: the 72 hours count from here.' }),
    h('fieldset', { class: 'inc-window' },
      h('legend', {}, 'Period the breach covers'),
      field({ label: 'From', name: 'occurred_from', control: from, hint: 'Default: the discovery.' }),
      field({ label: 'To', name: 'occurred_to', control: to, hint: 'Empty: ongoing or not known.' })),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { title: title.value };
    if (description.value.trim()) body.description = description.value;
    for (const [name, el] of [['discovered_at', discovered], ['occurred_from', from], ['occurred_to', to]]) {
      if (el.value) body[name] = fromLocalInput(el.value, zone);
    }
    try {
      const inc = await busy(submit, () => compliance.openIncident(body));
      dlg.close();
      toast('Incident opened: the 72-hour countdown has started');
      ctx.state.navigate(`/admin/incidents/${encodeURIComponent(inc.id)}`);
    } catch (err) {
      if (api.isAbort(err)) return;
      showApiError(form, err);
    }
  });
  const dlg = openDialog({ title: 'Open incident', content: form, wide: true });
  title.focus();
}
