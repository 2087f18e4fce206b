// views/reports-budgets.js — budgets and estimates in words and bars, read-only: the Budgets
// section of the Reports page (each project's budget bar from project-budget.js, and its tasks
// with an estimate) and the task table of a project card in the client portal. A task past its
// estimate is flagged ("Over"), one past the warning share marked.

import { h } from '../dom.js';
import { colorDot } from '../track.js';
import { formatDuration, decimalHours } from '../time.js';
import { budgetBar } from './project-budget.js';
import { statusLabel } from './board-dialog.js';

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/**
 * How much of a task's estimate is used: "60 %", or "150 % · Over by 1:00"; a dash without one.
 *
 * @param {{used:number, limit:number, percent:number, alert:boolean, over:boolean}|null} usage the use
 * @returns {HTMLElement} the cell's content
 */
function usedCell(usage) {
  if (!usage) return h('span', { class: 'muted' }, '—');
  if (usage.over) {
    return h('span', { class: 'estimate-over' }, `${usage.percent} % · `, h('strong', {}, `Over by ${formatDuration(usage.used - usage.limit)}`));
  }
  return h('span', { class: usage.alert ? 'estimate-alert' : null }, `${usage.percent} %`);
}

/**
 * A table of tasks against their estimates.
 *
 * @param {Array<{title:string, status:string, estimate_secs:number|null, tracked_seconds:number,
 *   usage:Object|null}>} tasks the tasks, in the order to show
 * @param {{caption:string, status?:boolean}} opts the caption (for assistive technology), and
 *   whether to show each task's status
 * @returns {HTMLTableElement} the table
 */
export function estimateTable(tasks, opts) {
  const num = (label, content) => h('td', { class: 'num', dataset: { label } }, content);
  return h('table', { class: 'estimate-table' },
    h('caption', { class: 'visually-hidden' }, opts.caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Task'),
      opts.status ? h('th', { scope: 'col' }, 'Status') : null,
      h('th', { scope: 'col', class: 'num' }, 'Estimate'),
      h('th', { scope: 'col', class: 'num' }, 'Tracked'),
      h('th', { scope: 'col', class: 'num' }, 'Used'))),
    h('tbody', {}, tasks.map((t) => h('tr', { class: t.usage && t.usage.over ? 'is-over' : null },
      h('th', { scope: 'row' }, t.title),
      opts.status ? h('td', { dataset: { label: 'Status' } }, h('span', { class: `task-status status-${t.status}` }, statusLabel(t.status))) : null,
      num('Estimate', t.estimate_secs ? hours(t.estimate_secs) : h('span', { class: 'muted' }, '—')),
      num('Tracked', hours(t.tracked_seconds)),
      num('Used', usedCell(t.usage))))));
}

/**
 * The Budgets section of a report: each project with a budget, its bar, and its tasks that have
 * an estimate.
 *
 * @param {Array<Object>} budgets BudgetStatus of each project of the report that has a budget
 * @returns {HTMLElement} the list
 */
export function budgetList(budgets) {
  return h('ul', { class: 'budget-list' }, budgets.map((b) => {
    const estimated = (b.tasks || []).filter((t) => t.estimate_secs);
    return h('li', { class: 'budget-item' },
      h('div', { class: 'budget-head' },
        h('span', { class: 'report-name budget-name' }, colorDot(b.color), b.project_name),
        budgetBar(b)),
      estimated.length ? estimateTable(estimated, { caption: `Tasks of ${b.project_name} against their estimates` }) : null);
  }));
}
