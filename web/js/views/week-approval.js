// views/week-approval.js — what the Timesheet and the Approvals page share about a week's
// approval: its state as a badge, its latest step in words, and the dialog that asks for a
// comment or a reason (submit, reject, reopen). The rules (who may do what) come from the
// server in each week's `can`.

import { h } from '../dom.js';
import { field, formError, clearErrors, showApiError, showFormError, busy, openDialog, formatInstant } from '../ui.js';

const STATES = {
  open: ['Open', 'badge-week-open'],
  submitted: ['Submitted', 'badge-week-submitted'],
  approved: ['Approved', 'badge-week-approved'],
  rejected: ['Rejected', 'badge-week-rejected'],
  locked: ['Locked', 'badge-week-locked'],
};

const STEPS = {
  submitted: 'Submitted', approved: 'Approved', rejected: 'Rejected', reopened: 'Reopened', locked: 'Locked',
};

/**
 * A week's state as a badge.
 *
 * @param {{state:string}} week a WeekDto
 * @returns {HTMLElement} the badge
 */
export function stateBadge(week) {
  const [label, cls] = STATES[week.state] || [week.state, 'badge-muted'];
  return h('span', { class: `badge week-badge ${cls}`, dataset: { state: week.state } }, label);
}

/**
 * The latest step in words: "Rejected by Max Manager, 1 Dec 2026, 14:05".
 *
 * @param {Object} week a WeekDto
 * @param {string} zone the viewer's time zone
 * @returns {string|null} the sentence, or null for a week never submitted
 */
export function lastStep(week, zone) {
  const step = week.history[week.history.length - 1];
  if (!step) return null;
  const by = step.step === 'locked' ? 'automatically' : `by ${step.by_name || 'a removed account'}`;
  return `${STEPS[step.step] || step.step} ${by}, ${formatInstant(step.at, zone, 'short')}`;
}

/**
 * Ask for a comment or reason, then send it; the dialog stays open with the error on failure.
 *
 * @param {{title:string, intro?:string, label:string, hint?:string, required?:boolean,
 *          action:string, danger?:boolean, send:function(string):Promise<Object>,
 *          done:function(Object):void}} spec what to ask and what to do with it
 * @returns {void}
 */
export function askAndSend(spec) {
  const text = h('textarea', { rows: '3', name: 'comment', maxlength: '2000', required: Boolean(spec.required) });
  const submit = h('button', { type: 'submit', class: spec.danger ? 'btn btn-danger' : 'btn btn-primary' }, spec.action);
  const form = h('form', { class: 'form week-form', novalidate: true },
    spec.intro ? h('p', {}, spec.intro) : null,
    field({ label: spec.label, name: 'comment', control: text, hint: spec.hint }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  const dlg = openDialog({ title: spec.title, content: form });
  text.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const value = text.value.trim();
    if (spec.required && !value) {
      showFormError(form, `${spec.label} is required.`);
      text.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        const week = await spec.send(value);
        dlg.close();
        spec.done(week);
      } catch (err) {
        showApiError(form, err, { reason: 'comment' });
      }
    });
  });
}
