// views/approvals.js — Approvals, for managers and admins: the queue of submitted weeks they may
// decide on (Approve, or Reject with a comment), the weeks their people have not submitted,
// and one person's weeks, where an approved or locked week can be reopened with a reason. The
// person and the range are in the URL (`?person=…&from=…&to=…`). What the caller may do with
// each week is the server's `can`.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, loadInto, toast, busy, plural } from '../ui.js';
import { dateIn, formatDuration, decimalHours } from '../time.js';
import { addDays, mondayOf, weekLabel } from './timesheet.js';
import { stateBadge, lastStep, askAndSend } from './week-approval.js';
import { has } from '../capabilities.js';
import { colorDot } from '../track.js';

/**
 * Render the Approvals page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, setQuery, …)
 * @returns {void}
 */
export function render(root, state) {
  const zone = state.me.time_zone;
  const thisMonday = mondayOf(dateIn(zone));
  const ctx = {
    state,
    zone,
    from: validDate(state.query.get('from')) || addDays(thisMonday, -56),
    to: validDate(state.query.get('to')) || addDays(thisMonday, -7),
    person: state.query.get('person') || '',
  };
  ctx.queue = section('ap-queue', 'Waiting for approval',
    'Weeks people submitted, oldest first. Approving locks the week’s hours; rejecting sends it back with your comment.');
  ctx.missing = section('ap-missing', 'Not submitted',
    'Weeks that have ended and were not submitted (or were rejected and not sent again).');
  ctx.weeks = section('ap-person', 'A person’s weeks',
    'Every week of one person with its state and history. An approved or locked week can be reopened here.');
  ctx.rangeFrom = h('input', { type: 'date', value: ctx.from, 'aria-label': 'From the week of' });
  ctx.rangeTo = h('input', { type: 'date', value: ctx.to, 'aria-label': 'To the week of' });
  const onRange = () => {
    if (!validDate(ctx.rangeFrom.value) || !validDate(ctx.rangeTo.value)) return;
    ctx.from = ctx.rangeFrom.value;
    ctx.to = ctx.rangeTo.value;
    remember(ctx);
    loadMissing(ctx, false);
    loadPerson(ctx, false);
  };
  ctx.rangeFrom.addEventListener('change', onRange);
  ctx.rangeTo.addEventListener('change', onRange);
  ctx.missing.head.append(h('div', { class: 'ap-range' },
    h('label', {}, h('span', { class: 'muted small' }, 'Weeks from '), ctx.rangeFrom),
    h('label', {}, h('span', { class: 'muted small' }, ' to '), ctx.rangeTo)));
  ctx.personSelect = h('select', { 'aria-label': 'Person', onchange: () => {
    ctx.person = ctx.personSelect.value;
    remember(ctx);
    loadPerson(ctx, true);
  } }, h('option', { value: '' }, 'Choose a person…'));
  ctx.weeks.head.append(h('div', { class: 'ap-range' }, ctx.personSelect));
  root.append(
    pageHeader('Approvals'),
    h('p', { class: 'page-intro muted' }, 'Weeks run Monday to Sunday in each person’s own time zone. Reading someone’s weeks is recorded.'),
    ctx.queue.el, ctx.missing.el, ctx.weeks.el);
  // Where weeks are not submitted (approval off) but lock on their own, only reopening is left.
  ctx.approvalOn = has(state.me, 'submit_weeks');
  ctx.queue.el.hidden = !ctx.approvalOn;
  ctx.missing.el.hidden = !ctx.approvalOn;
  if (!ctx.approvalOn) {
    ctx.weeks.el.before(h('p', { class: 'notice notice-quiet' },
      'Weeks are not submitted for approval on this server; they lock on their own some days after they end. '
      + 'Choose a person to see their weeks and reopen a locked one.'));
  } else {
    loadQueue(ctx, true);
    loadMissing(ctx, true);
  }
  loadPeople(ctx);
}

function validDate(value) {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : null;
}

function remember(ctx) {
  const params = new URLSearchParams();
  if (ctx.person) params.set('person', ctx.person);
  params.set('from', ctx.from);
  params.set('to', ctx.to);
  ctx.state.setQuery(params);
}

function section(id, title, intro) {
  const head = h('div', { class: 'section-head' }, h('h2', { id }, title));
  const s = {
    head,
    status: h('div', { class: 'list-status' }),
    body: h('div', {}),
  };
  s.el = h('section', { class: 'ap-section', 'aria-labelledby': id }, head, h('p', { class: 'muted small ap-intro' }, intro), s.status, s.body);
  return s;
}

/** A table, or its empty state. */
function table(s, caption, columns, rows, empty) {
  clear(s.body);
  if (!rows.length) {
    s.body.append(h('div', { class: 'empty empty-small' }, h('p', { class: 'empty-title' }, empty[0]), empty[1] ? h('p', {}, empty[1]) : null));
    return;
  }
  s.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'table ap-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows))));
}

const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

function loadQueue(ctx, first) {
  return loadInto(ctx.queue.status, first, () => api.listApprovals(ctx.state.signal), (res) => showQueue(ctx, res.items));
}

function showQueue(ctx, weeks) {
  const rows = weeks.map((w) => h('tr', { class: 'ap-row', dataset: { user: w.user_id, week: w.week_start } },
    cell('Person', 'ap-person', h('strong', {}, w.user_name)),
    cell('Week', 'ap-week', weekLabel(w.week_start)),
    cell('Total', 'num', hours(w.total_seconds)),
    cell('Projects', 'ap-projects', w.projects.map((p) => h('span', { class: 'ap-project' },
      colorDot(p.color), `${p.name} ${formatDuration(p.seconds)}`))),
    cell('Submitted', 'ap-step', h('span', { class: 'muted small' }, lastStep(w, ctx.zone) || ''),
      w.comment ? h('span', { class: 'ap-comment' }, `“${w.comment}”`) : null),
    h('td', { class: 'cell-actions' }, decisionButtons(ctx, w))));
  table(ctx.queue, 'Submitted weeks waiting for approval', [
    { label: 'Person' }, { label: 'Week' }, { label: 'Total', num: true }, { label: 'Projects' }, { label: 'Submitted' },
    { label: h('span', { class: 'visually-hidden' }, 'Actions') },
  ], rows, ['Nothing waits for approval', 'Submitted weeks of the people on your projects appear here.']);
}

function decisionButtons(ctx, w) {
  const who = `${w.user_name}, week of ${w.week_start}`;
  const approve = h('button', { type: 'button', class: 'btn btn-small btn-primary', 'aria-label': `Approve ${who}` }, 'Approve');
  approve.addEventListener('click', () => busy(approve, async () => {
    try {
      await api.decideWeek(w.user_id, w.week_start, 'approve', {});
      toast(`Approved: ${who}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
    refresh(ctx);
  }));
  return h('span', { class: 'ap-actions' },
    w.can.approve ? approve : null,
    w.can.reject ? h('button', {
      type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Reject ${who}`,
      onclick: () => askAndSend({
        title: `Reject ${who}`,
        label: 'What should be corrected',
        hint: `${w.user_name} sees this on their timesheet.`,
        required: true,
        action: 'Reject week',
        danger: true,
        send: (comment) => api.decideWeek(w.user_id, w.week_start, 'reject', { comment }),
        done: () => {
          toast(`Rejected: ${who}`);
          refresh(ctx);
        },
      }),
    }, 'Reject') : null,
    w.can.reopen ? h('button', {
      type: 'button', class: 'btn btn-small', 'aria-label': `Reopen ${who}`,
      onclick: () => askAndSend({
        title: `Reopen ${who}`,
        intro: 'Its hours can be changed again, and it can be submitted again.',
        label: 'Reason',
        hint: 'Kept in the week’s history and the audit log.',
        required: true,
        action: 'Reopen week',
        send: (reason) => api.decideWeek(w.user_id, w.week_start, 'reopen', { reason }),
        done: () => {
          toast(`Reopened: ${who}`);
          refresh(ctx);
        },
      }),
    }, 'Reopen') : null);
}

function refresh(ctx) {
  if (ctx.approvalOn) loadQueue(ctx, false);
  loadMissing(ctx, false);
  loadPerson(ctx, false);
}

function loadMissing(ctx, first) {
  if (!ctx.approvalOn) return null;
  return loadInto(ctx.missing.status, first, () => api.listMissingWeeks({ from: ctx.from, to: ctx.to }, ctx.state.signal), (res) => {
    const rows = res.items.map((m) => h('tr', {},
      cell('Person', 'ap-person', h('a', { href: `/approvals?person=${m.user_id}&from=${ctx.from}&to=${ctx.to}` }, m.user_name)),
      cell('Week', 'ap-week', weekLabel(m.week_start)),
      cell('Tracked', 'num', hours(m.total_seconds)),
      cell('State', 'ap-state', stateBadge(m))));
    table(ctx.missing, 'Weeks not submitted', [{ label: 'Person' }, { label: 'Week' }, { label: 'Tracked', num: true }, { label: 'State' }],
      rows, ['Every week is submitted', `No week from ${weekLabel(mondayOf(ctx.from))} on is missing.`]);
    ctx.missing.el.querySelector('h2').textContent = res.items.length ? `Not submitted (${plural(res.items.length, 'week')})` : 'Not submitted';
  });
}

async function loadPeople(ctx) {
  try {
    const res = await api.listPeople(ctx.state.signal);
    const me = ctx.state.me.id;
    for (const p of res.items) {
      if (p.id === me && !ctx.state.me.capabilities.includes('manage_users')) continue;
      ctx.personSelect.append(h('option', { value: p.id, selected: p.id === ctx.person }, p.disabled ? `${p.name} (disabled)` : p.name));
    }
    if (ctx.person) loadPerson(ctx, true);
    else clear(ctx.weeks.body);
  } catch (err) {
    if (!api.isAbort(err)) ctx.weeks.status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  }
}

async function loadPerson(ctx, first) {
  if (!ctx.person) return;
  const query = { user_id: ctx.person, from: ctx.from, to: addDays(mondayOf(ctx.to), 6) };
  await loadInto(ctx.weeks.status, first, () => api.listWeeks(query, ctx.state.signal), (res) => {
    const rows = res.items.map((w) => h('tr', { class: 'ap-row', dataset: { week: w.week_start, state: w.state } },
      cell('Week', 'ap-week', weekLabel(w.week_start)),
      cell('State', 'ap-state', stateBadge(w)),
      cell('Total', 'num', hours(w.total_seconds)),
      cell('Latest step', 'ap-step', h('span', { class: 'muted small' }, lastStep(w, ctx.zone) || 'Never submitted'),
        w.comment ? h('span', { class: 'ap-comment' }, `“${w.comment}”`) : null),
      h('td', { class: 'cell-actions' }, decisionButtons(ctx, w))));
    table(ctx.weeks, 'The person’s weeks, newest first', [
      { label: 'Week' }, { label: 'State' }, { label: 'Total', num: true }, { label: 'Latest step' },
      { label: h('span', { class: 'visually-hidden' }, 'Actions') },
    ], rows, ['No weeks in this range', '']);
  });
}
