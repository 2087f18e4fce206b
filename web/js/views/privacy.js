// views/privacy.js — admin/auditor: the register of privacy requests (open only, or all),
// overdue and due-soon requests marked, the law whose deadlines apply, and "New request"
// (admins). One request opens on its own page (privacy-request.js). Auditors only read.

import { h, clear, uid, append } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, setFieldError, busy, openDialog, toast, pageHeader, loadInto,
} from '../ui.js';
import { dateIn } from '../time.js';
import { has } from '../capabilities.js';
import {
  KINDS, LAWS, kindLabel, formatDay, urgencyBadge, statusBadge, dueContent, showFieldErrors,
} from './privacy-format.js';

/**
 * Render the privacy requests register.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, navigate, …)
 * @returns {void}
 */
export function render(root, state) {
  // Record and answer requests (admins); auditors read the register.
  const mayManage = has(state.me, 'manage_privacy');
  const ctx = { state, mayManage, zone: state.me.time_zone, all: state.query.get('all') === '1' };
  root.appendChild(pageHeader('Privacy requests', mayManage
    ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openNewRequest(ctx) }, 'New request')
    : null));
  ctx.law = h('p', { class: 'pr-law', hidden: true });
  root.append(
    h('p', { class: 'page-intro muted' },
      'What people asked about their personal data — access, a copy, correction, erasure, restriction or objection — and by when it must be answered. ',
      'Viewing this page is recorded in the audit log.',
      mayManage ? '' : ' You can read the register; only an admin can record or answer requests.'),
    ctx.law);

  const toggleId = uid('pr-all');
  const toggle = h('input', {
    type: 'checkbox', id: toggleId, checked: ctx.all,
    onchange: (event) => {
      ctx.all = event.currentTarget.checked;
      const params = new URLSearchParams(state.query);
      if (ctx.all) params.set('all', '1');
      else params.delete('all');
      state.setQuery(params);
      load(ctx, false);
    },
  });
  ctx.summary = h('p', { class: 'pr-summary', role: 'status' });
  root.appendChild(h('div', { class: 'pr-toolbar' },
    ctx.summary,
    h('div', { class: 'check' }, toggle, h('label', { for: toggleId }, 'Show closed requests too'))));

  ctx.status = h('div', { class: 'list-status' });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table pr-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Privacy requests, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Kind'),
      h('th', { scope: 'col' }, 'Person'),
      h('th', { scope: 'col' }, 'Received'),
      h('th', { scope: 'col' }, 'Due'),
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Deadline'))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  root.append(ctx.status, h('div', { class: 'table-wrap' }, ctx.table), ctx.empty);
  load(ctx, true);
}

function load(ctx, first) {
  const fetch = () => compliance.listPrivacyRequests({ open: ctx.all ? undefined : true }, ctx.state.signal);
  return loadInto(ctx.status, first, fetch, (res) => show(ctx, res));
}

function show(ctx, res) {
  const [lawName, lawLine] = LAWS[res.law] || [res.law.toUpperCase(), ''];
  ctx.law.replaceChildren(h('span', { class: 'badge badge-plain pr-law-name', title: `privacy.law = ${res.law}` }, lawName), ' ', lawLine);
  ctx.law.hidden = false;

  const open = res.items.filter((r) => r.status === 'open');
  const overdue = open.filter((r) => r.urgency === 'overdue').length;
  const soon = open.filter((r) => r.urgency === 'due_soon').length;
  clear(ctx.summary);
  append(ctx.summary, [
    ctx.all ? `${res.items.length} ${res.items.length === 1 ? 'request' : 'requests'} · ` : null,
    h('strong', {}, `${open.length} open`),
    overdue ? [' · ', h('span', { class: 'pr-count-overdue' }, `${overdue} overdue`)] : null,
    soon ? [' · ', h('span', { class: 'pr-count-soon' }, `${soon} due soon`)] : null]);

  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  ctx.tbody.replaceChildren(...res.items.map((r) => h('tr', {
    class: 'pr-row', dataset: { id: r.id, urgency: r.urgency, status: r.status, kind: r.kind },
  },
  cell('Kind', 'cell-kind', h('strong', {}, kindLabel(r.kind))),
  cell('Person', 'cell-subject',
    h('a', { href: `/admin/privacy/${encodeURIComponent(r.id)}`, class: 'pr-subject' }, r.subject),
    r.self_service ? h('span', { class: 'muted small pr-self' }, 'asked on My account') : null,
    !r.user_id ? h('span', { class: 'muted small' }, 'no account') : null),
  cell('Received', 'nowrap', h('time', { datetime: r.received_on }, formatDay(r.received_on))),
  cell('Due', 'cell-due', dueContent(r, r.status === 'open' ? res.today : null)),
  cell('Status', 'cell-status', statusBadge(r.status),
    r.closed_on ? h('span', { class: 'muted small' }, formatDay(r.closed_on)) : null),
  cell('Deadline', 'cell-urgency', r.status === 'open' ? urgencyBadge(r) : h('span', { class: 'muted' }, '—')))));

  const none = res.items.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  clear(ctx.empty);
  if (none) {
    ctx.empty.append(
      h('p', { class: 'empty-title' }, ctx.all ? 'No privacy requests yet' : 'No open privacy requests'),
      h('p', {}, 'When someone asks to see, correct or erase their data — by email, letter or on their account page — '
        + 'record it here: the deadline is counted from the day it was received.'),
      ctx.mayManage ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openNewRequest(ctx) }, 'New request') : null);
  }
}

const NEW_MESSAGES = {
  user: { unknown_user: 'No account has this email or id' },
  subject: { required: 'Name the person, or give the email of their account' },
  received_on: { invalid_date: 'Enter a valid date' },
};

function openNewRequest(ctx) {
  const kind = h('select', {}, Object.entries(KINDS).map(([value, [label]]) => h('option', { value }, label)));
  const listId = uid('pr-people');
  const datalist = h('datalist', { id: listId });
  const user = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', list: listId });
  const subject = h('input', { type: 'text', autocomplete: 'off' });
  const today = dateIn(ctx.zone);
  const received = h('input', { type: 'date', value: today, max: today, required: true });
  const verification = h('textarea', { rows: '2' });
  const details = h('textarea', { rows: '3' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Record request');
  const form = h('form', { class: 'form pr-form', novalidate: true },
    field({ label: 'Kind', name: 'kind', control: kind, hint: ' ' }),
    h('fieldset', { class: 'pr-person' },
      h('legend', {}, 'The person'),
      field({ label: 'Their account (email)', name: 'user', control: user, hint: 'Needed for the export, correction and erasure tools.' }),
      field({ label: 'Or, without an account: name or email as they gave it', name: 'subject', control: subject })),
    field({ label: 'Received on', name: 'received_on', control: received, hint: 'The deadline is counted from this day.' }),
    field({ label: 'Identity verification', name: 'verification', control: verification,
      hint: 'How you know it is them, e.g. “replied from the address on file”.' }),
    field({ label: 'Details', name: 'details', control: details, hint: 'What they asked for, in their words.' }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit),
    datalist);
  fillPeople(datalist);
  const kindHint = form.querySelector('.field-hint');
  const updateKind = () => { kindHint.textContent = `They ask for ${KINDS[kind.value][1]}.`; };
  kind.addEventListener('change', updateKind);
  updateKind();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { kind: kind.value, received_on: received.value || undefined };
    for (const [name, el] of [['user', user], ['subject', subject], ['verification', verification], ['details', details]]) {
      const v = el.value.trim();
      if (v) body[name] = v;
    }
    if (!body.user && !body.subject) {
      setFieldError(form, 'user', 'Give their account’s email, or name them below');
      user.focus();
      return;
    }
    try {
      const created = await busy(submit, () => compliance.createPrivacyRequest(body));
      dlg.close();
      toast(`${kindLabel(created.kind)} request recorded; due ${formatDay(created.due_on)}`);
      ctx.state.navigate(`/admin/privacy/${encodeURIComponent(created.id)}`);
    } catch (err) {
      if (api.isAbort(err)) return;
      showFieldErrors(form, err, NEW_MESSAGES);
    }
  });
  const dlg = openDialog({ title: 'New privacy request', content: form, wide: true });
  kind.focus();
}

async function fillPeople(datalist) {
  try {
    const page = await api.listUsers({ limit: 500 });
    datalist.replaceChildren(...page.items.map((u) => h('option', { value: u.email }, u.name)));
  } catch {
    datalist.replaceChildren();
  }
}
