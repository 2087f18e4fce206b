// views/timesheet-approval.js — the week's approval on the Timesheet: its state as a badge with
// the latest step and its comment (a rejection's reason), "Submit week" where approval is used,
// "Reopen week" for an admin's own locked week, and a note when the week is locked (its cells
// are then read-only: timesheet.js asks `weekLocked`). Used only by timesheet.js.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { toast } from '../ui.js';
import { formatDuration } from '../time.js';
import { stateBadge, lastStep, askAndSend } from './week-approval.js';

/**
 * The (empty) approval bar; `showApproval` fills it for each week shown.
 *
 * @returns {HTMLElement} the bar
 */
export function approvalBar() {
  return h('div', { class: 'ts-approval', hidden: true, 'aria-live': 'polite' });
}

/**
 * Whether the week shown is locked (approved, or locked by the auto-lock job).
 *
 * @param {{sheet:Object|null}} ctx the page
 * @returns {boolean} true when its cells may not change
 */
export function weekLocked(ctx) {
  return Boolean(ctx.sheet && ctx.sheet.approval && ctx.sheet.approval.locked);
}

/**
 * Show the approval of the week the server answered.
 *
 * @param {{approvalEl:HTMLElement, zone:string, week:string}} ctx the page
 * @param {Object} sheet the timesheet, with `approval` (a WeekDto) and `approval_enabled`
 * @param {function():void} reload shows the week again after a step
 * @returns {void}
 */
export function showApproval(ctx, sheet, reload) {
  const el = ctx.approvalEl;
  const week = sheet.approval;
  clear(el);
  // Without approval, only a week the auto-lock job locked has anything to say.
  const relevant = sheet.approval_enabled || week.locked || week.history.length > 0;
  el.hidden = !week || !relevant;
  if (el.hidden) return;
  el.dataset.state = week.state;
  const line = lastStep(week, ctx.zone);
  const actions = h('div', { class: 'ts-approval-actions' },
    week.can.submit ? h('button', {
      type: 'button', class: 'btn btn-primary ts-submit-week', onclick: () => submitWeek(ctx, week, reload),
    }, week.state === 'rejected' ? 'Submit again' : 'Submit week') : null,
    week.can.reopen ? h('button', {
      type: 'button', class: 'btn', onclick: () => reopenWeek(ctx, week, reload),
    }, 'Reopen week') : null);
  const parts = [
    h('div', { class: 'ts-approval-head' },
      h('span', { class: 'ts-approval-label muted' }, 'This week'),
      stateBadge(week),
      line ? h('span', { class: 'ts-approval-step muted small' }, line) : null,
      actions),
    week.comment ? h('p', { class: 'ts-approval-comment' },
      h('span', { class: 'visually-hidden' }, week.state === 'rejected' ? 'Reason: ' : 'Comment: '), week.comment) : null,
    week.locked ? h('p', { class: 'ts-approval-note' }, week.state === 'approved'
      ? 'This week is approved: its hours can be read but no longer changed. A manager or an administrator can reopen it.'
      : 'This week is locked: its hours can be read but no longer changed. A manager or an administrator can reopen it.') : null,
    week.state === 'submitted' ? h('p', { class: 'ts-approval-note muted small' },
      'Waiting for approval. You can still correct it until it is approved.') : null,
  ];
  el.append(...parts.filter(Boolean));
}

function submitWeek(ctx, week, reload) {
  askAndSend({
    title: 'Submit this week',
    intro: `Send the week of ${week.week_start} (${formatDuration(week.total_seconds)} tracked) for approval. Once approved, its hours are locked.`,
    label: 'Note for your manager (optional)',
    action: 'Submit week',
    send: (comment) => api.submitWeek(week.week_start, comment ? { comment } : {}),
    done: () => {
      toast('Week submitted for approval');
      reload();
    },
  });
}

function reopenWeek(ctx, week, reload) {
  askAndSend({
    title: 'Reopen this week',
    intro: 'Its hours can be changed again, and it can be submitted again. The reason is kept in the week’s history and the audit log.',
    label: 'Reason',
    required: true,
    action: 'Reopen week',
    send: (reason) => api.decideWeek(week.user_id, week.week_start, 'reopen', { reason }),
    done: () => {
      toast('Week reopened');
      reload();
    },
  });
}
