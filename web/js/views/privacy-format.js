// views/privacy-format.js — how privacy requests read: kinds, statuses, urgency badges,
// calendar dates and "in 3 days" / "2 days late", field errors on their forms. Shared by the
// admin register, a request's page and My account.

import { h } from '../dom.js';
import { setFieldError, showFormError, fieldMessage, errorMessage } from '../ui.js';

/** Kind → [label, what the person asked for]. */
export const KINDS = {
  access: ['Access', 'to know what is held about them'],
  export: ['Export', 'a copy of their data to take elsewhere'],
  correction: ['Correction', 'wrong personal data corrected'],
  erasure: ['Erasure', 'their data erased'],
  restriction: ['Restriction', 'their data kept but not otherwise used'],
  objection: ['Objection', 'an optional use of their data stopped'],
};

/** Status → [label, badge class]. */
export const STATUSES = {
  open: ['Open', 'badge-plain'],
  done: ['Done', 'badge-on'],
  refused: ['Refused', 'badge-muted'],
  withdrawn: ['Withdrawn', 'badge-muted'],
};

/** Law → [name, one line on the deadlines]. */
export const LAWS = {
  gdpr: ['GDPR', 'Answer within one calendar month of receipt; it can be extended once by two more months, '
    + 'with the reason given to the person within the first month.'],
  ccpa: ['CCPA', 'Acknowledge within 10 business days and answer within 45 days of receipt; it can be extended '
    + 'once by 45 more days, with notice within the first 45.'],
};

/** Action code (from a request's `actions`) → readable past tense. */
const ACTIONS = {
  exported: 'Data exported',
  corrected: 'Data corrected',
  erased: 'Person erased',
  restricted: 'Processing restricted',
  lifted: 'Restriction lifted',
  objected: 'Objection recorded',
  extended: 'Deadline extended',
  acknowledged: 'Receipt acknowledged',
  closed: 'Closed',
  noted: 'Note',
};

/**
 * @param {string} kind request kind
 * @returns {string} its label
 */
export const kindLabel = (kind) => (KINDS[kind] || [kind])[0];

/**
 * @param {string} what action code
 * @returns {string} readable text
 */
export const actionLabel = (what) => ACTIONS[what] || what;

/**
 * A calendar date (YYYY-MM-DD) in the user's locale, e.g. "23 Nov 2026".
 *
 * @param {string|null} date the date
 * @returns {string} the text, or "" for none
 */
export function formatDay(date) {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier.
 *
 * @param {string} from a date
 * @param {string} to a date
 * @returns {number} days
 */
export function daysBetween(from, to) {
  const ms = (s) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/**
 * How far a due date is from today, for an open request: "due today", "in 5 days", "3 days late".
 *
 * @param {string} due due date
 * @param {string} today today's date
 * @returns {string} the text
 */
export function dueDistance(due, today) {
  const n = daysBetween(today, due);
  if (n === 0) return 'due today';
  if (n > 0) return n === 1 ? 'due tomorrow' : `in ${n} days`;
  return -n === 1 ? '1 day late' : `${-n} days late`;
}

/**
 * The badge for a request's urgency (none for `ok`), or its status when closed.
 *
 * @param {{urgency:string, status:string}} r the request
 * @returns {HTMLElement} a badge
 */
export function urgencyBadge(r) {
  if (r.urgency === 'overdue') return h('span', { class: 'badge badge-overdue' }, 'Overdue');
  if (r.urgency === 'due_soon') return h('span', { class: 'badge badge-warn badge-due-soon' }, 'Due soon');
  if (r.status === 'open') return h('span', { class: 'badge badge-plain badge-on-time' }, 'On time');
  const [label, cls] = STATUSES[r.status] || [r.status, 'badge-muted'];
  return h('span', { class: `badge ${cls}` }, label);
}

/**
 * The status badge.
 *
 * @param {string} status open, done, refused or withdrawn
 * @returns {HTMLElement} a badge
 */
export function statusBadge(status) {
  const [label, cls] = STATUSES[status] || [status, 'badge-muted'];
  return h('span', { class: `badge pr-status ${cls}` }, label);
}

/**
 * The due date as shown in lists: the date, and the original one struck through when extended.
 *
 * @param {Object} r the request
 * @param {string} [today] today's date, for "in 5 days" on open requests
 * @returns {Array<Node|string>} content for a cell
 */
export function dueContent(r, today) {
  return [
    h('time', { class: 'pr-due-date', datetime: r.due_on }, formatDay(r.due_on)),
    r.extension ? h('span', { class: 'pr-extended muted small', title: `Extended: ${r.extension.reason}` },
      'extended from ', h('s', {}, formatDay(r.extension.previous_due_on))) : null,
    r.status === 'open' && today ? h('span', { class: 'pr-distance small' }, dueDistance(r.due_on, today)) : null,
  ];
}

/**
 * Show an API error on a form: each field error under its field (with page-specific texts),
 * anything else in the form's error box.
 *
 * @param {HTMLElement} form the form
 * @param {import('../api.js').ApiError} err the error
 * @param {Object<string, Object<string,string>>} [messages] field → code → text
 * @returns {void}
 */
export function showFieldErrors(form, err, messages = {}) {
  let shown = false;
  for (const [name, fe] of Object.entries(err.fields || {})) {
    const text = (messages[name] && messages[name][fe.code]) || fieldMessage(fe);
    if (setFieldError(form, name, text)) shown = true;
  }
  if (shown) {
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    return;
  }
  showFormError(form, errorMessage(err));
}
