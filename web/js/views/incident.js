// views/incident.js — one incident of the breach register (/admin/incidents/:id): the 72-hour
// countdown, the Art. 33(3) form with its checklist of what is missing, the authority's
// notification, and closing; the people affected and their notification are in
// incident-people.js. Auditors read; viewing the page is recorded (it names the people).

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, showApiError, showFormError, busy, openDialog, toast, pageHeader,
  errorMessage, delayedSpinner, formatInstant,
} from '../ui.js';
import { toLocalInput, fromLocalInput } from '../time.js';
import { has } from '../capabilities.js';
import { FIELDS, deadlineBadge, clockOffset, statusBadge } from './incident-format.js';
import { peopleSection, noticeSection } from './incident-people.js';

/**
 * Render one incident.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, params.id, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = { state, mayManage: has(state.me, 'manage_privacy'), zone: state.me.time_zone, id: state.params.id };
  root.appendChild(h('p', { class: 'pr-back' }, h('a', { href: '/admin/incidents' }, '← Incidents')));
  ctx.actions = h('div', { class: 'page-actions' },
    h('button', { type: 'button', class: 'btn', onclick: (e) => downloadReport(ctx, e.currentTarget) }, 'Download report'));
  ctx.head = pageHeader('Incident', ctx.actions);
  ctx.status = h('div', { class: 'list-status' });
  ctx.body = h('div', { class: 'inc-detail' });
  root.append(ctx.head, ctx.status, ctx.body);
  ctx.reload = () => load(ctx, false);
  ctx.show = (next) => show(ctx, next);
  load(ctx, true);
}

async function load(ctx, first) {
  const stop = first ? delayedSpinner(ctx.status) : () => {};
  try {
    const inc = await compliance.getIncident(ctx.id, ctx.state.signal);
    clear(ctx.status);
    show(ctx, inc);
  } catch (err) {
    if (api.isAbort(err)) return;
    clear(ctx.status);
    ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' },
      err.code === 'incident.not_found' ? 'There is no such incident.' : errorMessage(err)));
  } finally {
    stop();
  }
}

async function downloadReport(ctx, button) {
  try {
    const { blob, fileName } = await busy(button, () => api.downloadFile(compliance.incidentReportUrl(ctx.id)));
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: fileName, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    toast('Report downloaded (reading it is recorded)');
  } catch (err) {
    if (!api.isAbort(err)) toast(errorMessage(err), 'error');
  }
}

function who(ctx, ref) {
  const user = /^user:(.+)$/.exec(ref || '');
  if (!user) return (ref || '').replace(/^cli:(.+)$/, '$1 (command line)');
  return user[1] === ctx.state.me.id ? 'you' : `user …${user[1].slice(-8)}`;
}

function show(ctx, inc) {
  ctx.inc = inc;
  ctx.offset = clockOffset(inc.now);
  ctx.head.querySelector('h1').textContent = inc.title;
  document.title = `${inc.title} · OphionTT`;
  const open = inc.status === 'open';
  for (const old of ctx.actions.querySelectorAll('.inc-close')) old.remove();
  if (ctx.mayManage && open) {
    ctx.actions.append(h('button', { type: 'button', class: 'btn inc-close', onclick: () => openClose(ctx) }, 'Close incident'));
  }
  const fact = (label, ...content) => h('div', {}, h('dt', {}, label), h('dd', {}, content));
  const when = (iso) => h('time', { datetime: iso }, formatInstant(iso, ctx.zone, 'zone'));
  clear(ctx.body);
  ctx.body.append(
    h('section', { class: `card inc-card inc-card-${inc.deadline}`, 'aria-labelledby': 'inc-when' },
      h('div', { class: 'section-head' }, h('h2', { id: 'inc-when' }, 'Deadline'),
        h('div', { class: 'pr-badges' }, statusBadge(inc.status), deadlineBadge(inc, ctx.offset, ctx.zone, ctx.state.signal))),
      h('dl', { class: 'facts inc-facts' },
        fact('Discovered', when(inc.discovered_at)),
        fact('Notify the authority by', h('strong', {}, when(inc.authority_due_at)), h('span', { class: 'muted small pr-fact-note' }, '72 hours after discovery (GDPR Art. 33(1))')),
        fact('Period concerned', when(inc.occurred_from), ' – ', inc.occurred_to ? when(inc.occurred_to) : h('span', { class: 'muted' }, 'ongoing or not known')),
        fact('Opened', when(inc.opened_at), ` by ${who(ctx, inc.opened_by)}`),
        inc.closed_at ? fact('Closed', when(inc.closed_at), inc.closing_note ? h('span', { class: 'pr-fact-note' }, inc.closing_note) : null) : null),
      authorityPart(ctx, inc)),
    detailsSection(ctx, inc),
    peopleSection(ctx, inc),
    noticeSection(ctx, inc));
}

function authorityPart(ctx, inc) {
  if (inc.authority) {
    const a = inc.authority;
    return h('div', { class: 'notice notice-ok inc-authority' },
      h('p', {}, h('strong', {}, 'Authority notified '), formatInstant(a.notified_at, ctx.zone, 'zone'),
        a.reference ? ` — reference ${a.reference}` : ''),
      a.delay_reason ? h('p', { class: 'small' }, `Reasons for the delay: ${a.delay_reason}`) : null);
  }
  if (!ctx.mayManage || inc.status !== 'open') return null;
  const now = toLocalInput(Date.now(), ctx.zone);
  const at = h('input', { type: 'datetime-local', value: now, max: now });
  const reference = h('input', { type: 'text', maxlength: '200' });
  const reason = h('textarea', { rows: '2' });
  const reasonField = field({ label: 'Reasons for the delay', name: 'delay_reason', control: reason,
    hint: 'Required after the 72 hours (Art. 33(1)).' });
  const late = () => {
    const t = Date.parse(fromLocalInput(at.value, ctx.zone) || '');
    reasonField.hidden = !(t > Date.parse(inc.authority_due_at));
  };
  at.addEventListener('input', late);
  late();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Record notification');
  const form = h('form', { class: 'form inc-authority-form', novalidate: true },
    h('h3', {}, 'Record the authority’s notification'),
    h('div', { class: 'inc-row2' },
      field({ label: `Notified at (${ctx.zone})`, name: 'notified_at', control: at }),
      field({ label: 'Reference', name: 'reference', control: reference, hint: 'The authority’s case number, if any.' })),
    reasonField, formError(), h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { notified_at: fromLocalInput(at.value, ctx.zone) || '', reference: reference.value };
    if (!reasonField.hidden) body.delay_reason = reason.value;
    try {
      const next = await busy(submit, () => compliance.recordAuthority(ctx.id, body));
      toast('Notification of the authority recorded');
      show(ctx, next);
    } catch (err) {
      if (err.fields && err.fields.delay_reason) reasonField.hidden = false;
      if (!api.isAbort(err)) showApiError(form, err);
    }
  });
  return form;
}

function detailsSection(ctx, inc) {
  const missing = new Set(inc.missing);
  const checklist = h('ul', { class: 'inc-checklist', 'aria-label': 'Art. 33(3) checklist' },
    Object.entries(FIELDS).map(([name, [label]]) => h('li', { class: missing.has(name) ? 'is-missing' : 'is-done' },
      h('span', { 'aria-hidden': 'true' }, missing.has(name) ? '○ ' : '✓ '), label,
      h('span', { class: 'visually-hidden' }, missing.has(name) ? ' (missing)' : ' (recorded)'))));
  const head = h('div', { class: 'section-head' }, h('h2', { id: 'inc-details' }, 'What the authority must be told'),
    h('span', { class: missing.size ? 'badge badge-warn' : 'badge badge-on' }, missing.size ? `${missing.size} of 8 missing` : 'Complete'));
  if (!ctx.mayManage || inc.status !== 'open') {
    return h('section', { class: 'card', 'aria-labelledby': 'inc-details' }, head,
      h('dl', { class: 'facts inc-facts' },
        h('div', {}, h('dt', {}, 'Details'), h('dd', {}, inc.description || '—')),
        Object.entries(FIELDS).map(([name, [label]]) => h('div', {}, h('dt', {}, label),
          h('dd', {}, inc[name] === null || inc[name] === '' ? h('span', { class: 'muted' }, 'Not recorded') : String(inc[name]))))));
  }
  const controls = {};
  const text = (name, rows) => {
    controls[name] = rows ? h('textarea', { rows: String(rows) }) : h('input', { type: 'text' });
    controls[name].value = inc[name] ?? '';
    return controls[name];
  };
  const count = (name) => {
    controls[name] = h('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric', value: inc[name] ?? '' });
    return controls[name];
  };
  const f = (name, control) => field({ label: FIELDS[name][0], name, control, hint: FIELDS[name][1] });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save');
  const form = h('form', { class: 'form inc-details-form', novalidate: true },
    field({ label: 'What happened', name: 'title', control: text('title') }),
    field({ label: 'Details', name: 'description', control: text('description', 3) }),
    f('nature', text('nature', 2)),
    h('div', { class: 'inc-row2' }, f('people_categories', text('people_categories')), f('people_count', count('people_count'))),
    h('div', { class: 'inc-row2' }, f('record_categories', text('record_categories')), f('record_count', count('record_count'))),
    f('consequences', text('consequences', 2)),
    f('measures', text('measures', 2)),
    f('contact', text('contact')),
    formError(),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { version: ctx.inc.version };
    for (const [name, el] of Object.entries(controls)) {
      if (el.type === 'number') {
        if (el.value !== '') body[name] = Number(el.value);
      } else if (el.value !== (ctx.inc[name] ?? '')) {
        body[name] = el.value;
      }
    }
    try {
      const next = await busy(submit, () => compliance.updateIncident(ctx.id, body));
      toast('Incident saved');
      show(ctx, next);
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'incident.changed') {
        showFormError(form, 'Someone changed this incident since you opened it. Your text is still here: copy what you need, then reload.');
        form.querySelector('.form-actions').append(h('button', { type: 'button', class: 'btn', onclick: ctx.reload }, 'Reload'));
        return;
      }
      showApiError(form, err);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'inc-details' }, head,
    h('div', { class: 'inc-details-grid' }, form, h('aside', { class: 'inc-aside' }, h('h3', {}, 'Checklist'), checklist,
      h('p', { class: 'muted small' }, 'Send what you know within the 72 hours; the rest may follow in phases (Art. 33(4)).'))));
}

function openClose(ctx) {
  const notified = Boolean(ctx.inc.authority);
  const note = h('textarea', { rows: '3' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Close incident');
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, notified
      ? 'Closing keeps everything in the register; nothing can be changed afterwards.'
      : 'The authority was not notified. Say why — e.g. the breach is unlikely to result in a risk to people (Art. 33(1)).'),
    field({ label: notified ? 'Note (optional)' : 'Why the authority was not notified', name: 'note', control: note }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'), submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const next = await busy(submit, () => compliance.closeIncident(ctx.id, { note: note.value }));
      dlg.close();
      toast('Incident closed');
      show(ctx, next);
    } catch (err) {
      if (!api.isAbort(err)) showApiError(form, err);
    }
  });
  const dlg = openDialog({ title: 'Close incident', content: form });
  note.focus();
}

