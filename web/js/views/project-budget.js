// views/project-budget.js — a project's time against its budget as a small bar with words
// ("6:00 of 10:00 h · 60 %"), amber from its warning share on, red past it. Used by the projects
// list and the reports page.

import { h } from '../dom.js';
import * as api from '../api.js';
import { formatMoney } from '../track.js';
import { formatDuration } from '../time.js';

/**
 * The budget cell of a project row: a dash without a budget, else the bar once loaded.
 *
 * @param {Object} project the ProjectDto
 * @param {AbortSignal} signal the page's signal
 * @returns {HTMLElement} the cell's content
 */
export function budgetCell(project, signal) {
  if (!project.budget) return h('span', { class: 'muted' }, '—');
  const box = h('span', { class: 'budget-loading muted' }, 'Loading…');
  api.getProjectBudget(project.id, signal).then((status) => {
    box.replaceWith(budgetBar(status));
  }).catch((err) => {
    if (!api.isAbort(err)) box.textContent = 'Not available';
  });
  return box;
}

/**
 * The bar for a budget status (`GET /projects/{id}/budget`, or one of a report's `budgets`).
 *
 * @param {{budget:Object, usage:Object, currency:string, project_name:string}} status the status
 * @returns {HTMLElement} the bar with its words
 */
export function budgetBar(status) {
  const u = status.usage;
  if (!status.budget || !u) return h('span', { class: 'muted' }, '—');
  const money = status.budget.cents !== undefined && status.budget.cents !== null;
  const state = u.over ? 'over' : u.alert ? 'alert' : 'ok';
  const amounts = money
    ? `${formatMoney(u.used, status.currency)} of ${formatMoney(u.limit, status.currency)}`
    : `${formatDuration(u.used)} of ${formatDuration(u.limit)} h`;
  const words = `${amounts} · ${u.percent} %`;
  const said = u.over ? 'over budget' : u.alert ? `past the ${status.budget.alert_percent} % warning` : 'within budget';
  const fill = h('span', { class: 'budget-fill' });
  // Through the CSSOM: the page's policy allows no style attributes.
  fill.style.width = `${Math.min(100, Math.max(0, u.percent))}%`;
  return h('span', { class: `budget budget-${state}`, title: `${status.project_name}: ${words}, ${said}` },
    h('span', { class: 'budget-track', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'budget-words' }, words,
      state === 'ok' ? null : h('span', { class: 'visually-hidden' }, `, ${said}`)));
}
