// views/portal.js — the client portal, the page an account with the `client` role lands on
// (GET /portal): the client's name as the title, each of its projects as a card (tracked hours,
// billed hours where rounding changes them, the amount where the instance shows rates, the
// budget bar, the tasks with their status and estimate), then "Hours by period"
// (portal-hours.js). Read-only: a client changes nothing here. An account no admin has linked to
// a client yet gets a message saying whom to ask.

import { h } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner } from '../ui.js';
import { colorDot, formatMoney } from '../track.js';
import { dateIn, formatDuration, decimalHours } from '../time.js';
import { budgetBar } from './project-budget.js';
import { estimateTable } from './reports-budgets.js';
import { hoursSection } from './portal-hours.js';

/**
 * Render the client portal.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const page = { state, today: dateIn(state.me.time_zone) };
  const header = pageHeader('Portal');
  page.title = header.querySelector('h1');
  page.intro = h('p', { class: 'page-intro muted' }, 'Time tracked on your projects, their budgets and tasks. Read-only.');
  page.status = h('div', { class: 'list-status' });
  page.projects = h('section', { class: 'portal-projects', 'aria-labelledby': 'portal-projects-title', hidden: true });
  page.hours = hoursSection(page);
  page.hours.el.hidden = true;
  root.append(header, page.intro, page.status, page.projects, page.hours.el);
  load(page);
}

async function load(page) {
  const { state } = page;
  const stop = delayedSpinner(page.status);
  try {
    const overview = await api.getPortal(state.signal);
    if (!overview) return;
    page.status.replaceChildren();
    showOverview(page, overview);
    page.hours.el.hidden = false;
    await page.hours.load();
  } catch (err) {
    if (api.isAbort(err)) return;
    page.status.replaceChildren(err.code === 'portal.not_linked' ? notLinked() : h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

/** What an account linked to no client sees instead of projects. */
function notLinked() {
  return h('div', { class: 'empty portal-not-linked' },
    h('p', { class: 'empty-title' }, 'Your account is not linked to a client yet'),
    h('p', {}, 'Ask the administrator of this OphionTT to link your account to your company. ',
      'Your projects, their hours and budgets appear here once they have.'));
}

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

function showOverview(page, overview) {
  page.title.textContent = overview.client.name;
  document.title = `${overview.client.name} · OphionTT`;
  page.projects.hidden = false;
  const heading = h('h2', { id: 'portal-projects-title' }, 'Projects');
  if (!overview.projects.length) {
    page.projects.replaceChildren(heading, h('div', { class: 'empty' },
      h('p', { class: 'empty-title' }, 'No projects yet'),
      h('p', {}, 'The projects the team runs for you appear here, with the time tracked on them.')));
    return;
  }
  page.projects.replaceChildren(heading,
    h('div', { class: 'portal-cards' }, overview.projects.map((p) => projectCard(p, overview.show_rates))));
}

/**
 * One project: its figures, its budget, its tasks.
 *
 * @param {Object} p a project of GET /portal
 * @param {boolean} showRates whether amounts are shown
 * @returns {HTMLElement} the card
 */
function projectCard(p, showRates) {
  const figure = (label, value) => h('div', { class: 'portal-figure' }, h('dt', {}, label), h('dd', {}, value));
  const billed = p.rounded_seconds !== p.tracked_seconds;
  const figures = h('dl', { class: 'portal-figures' },
    figure('Tracked', hours(p.tracked_seconds)),
    billed ? figure('Billed', hours(p.rounded_seconds)) : null,
    showRates && p.amount ? figure('Amount', formatMoney(p.amount.cents, p.amount.currency)) : null);
  // budgetBar reads a project's budget status; the portal's project carries the same parts.
  const status = { project_name: p.name, budget: p.budget, usage: p.usage, currency: p.amount ? p.amount.currency : '' };
  const budget = p.budget && p.usage
    ? h('div', { class: 'portal-budget' }, h('span', { class: 'portal-label' }, 'Budget'), budgetBar(status))
    : null;
  const tasks = p.tasks.length
    ? estimateTable(p.tasks, { caption: `Tasks of ${p.name}`, status: true })
    : h('p', { class: 'muted small portal-no-tasks' }, 'No tasks with time or an estimate yet.');
  return h('article', { class: `portal-project${p.archived ? ' is-archived' : ''}`, 'aria-label': p.name },
    h('header', { class: 'portal-project-head' },
      h('h3', {}, colorDot(p.color), h('span', {}, p.name)),
      p.archived ? h('span', { class: 'badge badge-muted' }, 'Archived') : null),
    figures,
    budget,
    tasks);
}
