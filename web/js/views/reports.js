// views/reports.js — Reports: the time tracked in a range (this week at first), narrowed by person,
// project, client, tag, billable, note text and ticket, grouped by one or two of project, client, task,
// person, tag, ticket, day, week or month. It shows the totals, a bar chart of hours per day (per week
// for ranges over 62 days), a breakdown by the first grouping, and a table with the second
// grouping's rows under each first one. Filters live in the URL (reports-filters.js); the charts
// are drawn by chart.js; reports.css prints the title, the charts and the table on A4. Tabs show
// the same filters as the Detailed view (reports-detailed.js) and the Weekly view
// (reports-weekly.js), `view=` in the URL.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner, setFieldError, fieldMessage } from '../ui.js';
import { has } from '../capabilities.js';
import { colorDot, formatMoney } from '../track.js';
import { dateIn, formatDuration, decimalHours } from '../time.js';
import { renderBarChart, renderBreakdown, barTable } from '../chart.js';
import { rangeTitle, keyLabel, dayBars, chartDescription } from './reports-labels.js';
import { budgetList } from './reports-budgets.js';
import {
  GROUPS, VIEWS, readFilters, filterForm, filterUrl, apiQuery, activeCount, clearFilters, describeFilters,
} from './reports-filters.js';
import { detailedView, overlapCount } from './reports-detailed.js';
import { weeklyView, weekTitle } from './reports-weekly.js';
import { exportMenu } from '../export-menu.js';

/**
 * Render the Reports page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, onShortcut, navigate, …)
 * @returns {void}
 */
export function render(root, state) {
  const zone = state.me.time_zone;
  const today = dateIn(zone);
  const ctx = {
    state,
    zone,
    today,
    filters: readFilters(state.query, today),
    seq: 0,
    controller: null,
    names: { user_id: new Map(), project_id: new Map(), client_id: new Map() },
    peopleLoaded: false,
    refilter: () => load(ctx),
    wantPeople: () => loadPeople(ctx),
  };
  const print = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, 'Print');
  const exporter = has(state.me, 'read_projects') ? exportMenu({ signal: state.signal, query: () => exportQuery(ctx.filters) }) : null;
  root.append(
    pageHeader('Reports', [exporter && exporter.el, print]),
    h('p', { class: 'page-intro muted report-intro' }, 'Where the time went: totals, charts and a table, to share as a link or print'));
  ctx.form = filterForm(ctx);
  const view = ctx.filters.view;
  // Groupings shape only the summary.
  for (const name of ['group', 'group2']) ctx.form.form.elements.namedItem(name).closest('.field').hidden = view !== 'summary';
  ctx.tabs = h('nav', { class: 'report-tabs', 'aria-label': 'Report views' },
    Object.entries(VIEWS).map(([key, label]) => h('a', { class: 'report-tab', 'aria-current': key === view ? 'page' : null, dataset: { view: key } }, label)));
  ctx.alt = view === 'detailed' ? detailedView(ctx) : view === 'weekly' ? weeklyView(ctx) : null;

  ctx.title = h('h2', { id: 'report-title' });
  ctx.meta = h('p', { class: 'report-meta muted' });
  ctx.totals = h('dl', { class: 'report-totals' });
  ctx.chartHead = h('h3', {}, 'Hours per day');
  ctx.chartBox = h('div', { class: 'chart-box' });
  ctx.readout = h('p', { class: 'chart-readout muted', 'aria-hidden': 'true' });
  ctx.chartData = h('details', { class: 'chart-data' });
  ctx.breakdownHead = h('h3', {});
  ctx.breakdownBox = h('div', { class: 'breakdown-box' });
  ctx.tableWrap = h('div', { class: 'report-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Report table' });
  ctx.note = h('p', { class: 'report-note muted small', hidden: true });
  ctx.billedNote = h('p', { class: 'report-note muted small', hidden: true }, 'Billed time is rounded as each project says.');
  ctx.budgets = h('section', { class: 'report-figure report-budgets', 'aria-labelledby': 'report-budgets-title', hidden: true });
  ctx.overlaps = h('p', { class: 'notice report-overlaps', hidden: true });
  ctx.body = h('div', { class: 'report-body', hidden: true },
    ctx.totals,
    ctx.overlaps,
    h('div', { class: 'report-charts' },
      h('figure', { class: 'report-figure report-chart' }, ctx.chartHead, ctx.chartBox, ctx.readout, ctx.chartData),
      h('figure', { class: 'report-figure report-breakdown' }, ctx.breakdownHead, ctx.breakdownBox)),
    ctx.tableWrap,
    ctx.billedNote,
    ctx.note,
    ctx.budgets);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  root.append(
    ctx.form.el,
    ctx.tabs,
    h('section', { class: `report report-${view}`, 'aria-labelledby': 'report-title' },
      h('div', { class: 'report-head' }, ctx.title, ctx.meta),
      ...(ctx.alt ? [ctx.alt.el] : [ctx.status, ctx.body, ctx.empty])));

  state.onShortcut('/', () => ctx.form.focusSearch());
  load(ctx);
  loadChoices(ctx);
  // The Person menu is filled when it is about to be used (or names someone already).
  if (ctx.filters.user_id) loadPeople(ctx);
}

/** Projects, clients and tags for the filter menus. */
async function loadChoices(ctx) {
  const { state } = ctx;
  // A body cut off by an abort arrives as null (api.js), hence `r &&`.
  const items = (request) => request.then((r) => (r && r.items) || [], () => []);
  const [projects, clients, tags] = await Promise.all([
    items(api.listProjects({ archived: true }, state.signal)),
    items(api.listClients({ archived: true }, state.signal)),
    items(api.listTags(state.signal)),
  ]);
  if (state.signal.aborted) return;
  for (const p of projects) ctx.names.project_id.set(p.id, p.name);
  for (const c of clients) ctx.names.client_id.set(c.id, c.name);
  ctx.form.fill(projects, clients, tags.map((t) => t.name));
  refreshMeta(ctx);
}

/**
 * The people whose time the caller may read, by name, for the Person menu (GET /people: names
 * only, so asking reads no one's time). Asked once, when the menu is about to be used or the URL
 * names a person.
 */
async function loadPeople(ctx) {
  const { state } = ctx;
  if (!has(state.me, 'read_team_time') || ctx.peopleLoaded) return;
  ctx.peopleLoaded = true;
  try {
    const answer = await api.listPeople(state.signal);
    if (state.signal.aborted || !answer) return;
    const people = answer.items.map((p) => ({ id: p.id, label: p.disabled ? `${p.name} (disabled)` : p.name }));
    for (const p of people) ctx.names.user_id.set(p.id, p.label);
    ctx.form.fillPeople(people);
    refreshMeta(ctx);
  } catch {
    ctx.peopleLoaded = false;
  }
}

/** Field error codes of the report's query, in the words the form uses for its own checks. */
const REPORT_MESSAGES = {
  before_from: 'The last day must be on or after the first',
  repeated: 'Choose two different groupings',
};

/** Ask for the report of the current filters; a newer request wins over an older one. */
async function load(ctx) {
  const { state } = ctx;
  // The tabs keep the filters.
  for (const tab of ctx.tabs.children) tab.setAttribute('href', filterUrl({ ...ctx.filters, view: tab.dataset.view }));
  if (ctx.alt) {
    ctx.title.textContent = ctx.filters.view === 'weekly'
      ? weekTitle(...weekOf(ctx.filters.from))
      : rangeTitle(ctx.filters.from, ctx.filters.to);
    refreshMeta(ctx);
    await ctx.alt.load();
    return;
  }
  if (ctx.controller) ctx.controller.abort();
  const controller = new AbortController();
  ctx.controller = controller;
  state.signal.addEventListener('abort', () => controller.abort(), { once: true });
  ctx.seq += 1;
  const seq = ctx.seq;
  ctx.title.textContent = rangeTitle(ctx.filters.from, ctx.filters.to);
  const stop = delayedSpinner(ctx.status);
  try {
    const report = await api.getReportSummary(apiQuery(ctx.filters), { signal: controller.signal });
    if (seq !== ctx.seq || !report) return;
    clear(ctx.status);
    for (const name of ['from', 'to', 'group']) setFieldError(ctx.form.form, name, '');
    show(ctx, report);
  } catch (err) {
    if (api.isAbort(err) || controller.signal.aborted || seq !== ctx.seq) return;
    clear(ctx.status);
    let shown = false;
    for (const [name, fe] of Object.entries(err.fields || {})) {
      if (setFieldError(ctx.form.form, name, REPORT_MESSAGES[fe.code] || fieldMessage(fe))) shown = true;
    }
    const message = err.code === 'validation.failed' || err.code === 'request.invalid_parameter'
      ? 'These filters are not valid; correct them and the report follows.'
      : errorMessage(err);
    if (!shown || err.code !== 'validation.failed') ctx.status.append(h('p', { class: 'form-error', role: 'alert' }, message));
    ctx.report = null;
    ctx.body.hidden = true;
    ctx.empty.hidden = true;
  } finally {
    stop();
  }
}

// ---- Showing a report ----

function show(ctx, report) {
  ctx.report = report;
  // Names of people in the rows, for the filters in words.
  for (const row of report.rows) {
    for (const r of [row, ...(row.rows || [])]) if (r.key.kind === 'user' && r.key.id) ctx.names.user_id.set(r.key.id, r.key.label);
  }
  ctx.title.textContent = rangeTitle(report.from, report.to);
  showMeta(ctx, report);
  const nothing = report.total.seconds === 0 && report.total.entries === 0;
  ctx.body.hidden = nothing;
  ctx.empty.hidden = !nothing;
  if (nothing) {
    showEmpty(ctx, report);
    return;
  }
  showOverlaps(ctx, report);
  showChart(ctx, report);
  showBreakdown(ctx, report);
  const billed = billedDiffers(report);
  showTotals(ctx, report.total, billed);
  showTable(ctx, report, billed);
  ctx.billedNote.hidden = !billed;
  showBudgets(ctx, report);
  const multi = report.group.includes('tag') ? 'tags' : report.group.includes('ticket') ? 'tickets' : '';
  ctx.note.hidden = !multi;
  ctx.note.textContent = `An entry with several ${multi} counts under each of them; the total counts it once.`;
}

/**
 * The export of what the report shows: its range (the Weekly view: its week) and filters.
 *
 * @param {Object} f the report's filters
 * @returns {Object<string, string>} the export's query, without a format
 */
function exportQuery(f) {
  const query = apiQuery(f);
  delete query.group;
  if (f.view === 'weekly') [query.from, query.to] = weekOf(f.from);
  return query;
}

/** The Monday and Sunday of the week of a YYYY-MM-DD date. */
function weekOf(date) {
  const monday = new Date(`${date}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const sunday = new Date(monday);
  sunday.setUTCDate(sunday.getUTCDate() + 6);
  return [monday.toISOString().slice(0, 10), sunday.toISOString().slice(0, 10)];
}

/** The line under the title, again (when the names of chosen filters arrive). */
function refreshMeta(ctx) {
  if (ctx.report) {
    showMeta(ctx, ctx.report);
  } else if (ctx.alt) {
    const nameOf = (key, value) => value.split(',').map((v) => ctx.names[key].get(v) || 'someone').join(', ');
    const what = ctx.filters.view === 'weekly' ? 'Hours per person and day' : 'Every entry, newest first';
    ctx.meta.textContent = [what, describeFilters(ctx.filters, nameOf), `Times in ${ctx.zone.replaceAll('_', ' ')}`].filter(Boolean).join(' · ');
  }
}

/** The grouping and the filters in words (shown on the printed page, and under the title). */
function showMeta(ctx, report) {
  const names = report.group.map((g) => GROUPS[g] || g);
  const grouping = `By ${names.join(', then by ').toLowerCase()}`;
  const nameOf = (key, value) => value.split(',').map((v) => ctx.names[key].get(v) || 'someone').join(', ');
  const filters = describeFilters(ctx.filters, nameOf);
  ctx.meta.textContent = [grouping, filters, `Times in ${report.time_zone.replaceAll('_', ' ')}`].filter(Boolean).join(' · ');
}

function showEmpty(ctx, report) {
  clear(ctx.empty);
  const range = rangeTitle(report.from, report.to);
  if (activeCount(ctx.filters) > 0) {
    ctx.empty.append(
      h('p', { class: 'empty-title' }, 'No time matches these filters'),
      h('p', {}, `Nothing tracked in ${range} fits every filter. Choose another period or drop a filter.`),
      h('button', { type: 'button', class: 'btn', onclick: () => clearFilters(ctx) }, 'Clear filters'));
    return;
  }
  ctx.empty.append(h('p', { class: 'empty-title' }, 'Nothing tracked in this period'));
  const what = 'Reports add up tracked time by project, client, task, person, tag or date, with charts and totals to print or share.';
  ctx.empty.append(has(ctx.state.me, 'track_time')
    ? h('p', {}, what, ' Choose another period above, or ', h('a', { href: '/today' }, 'start a timer on Today'), '.')
    : h('p', {}, what, ' Choose another period above.'));
}

/** Amounts per currency, one line each ("—" for none). */
function amounts(list) {
  if (!list || !list.length) return h('span', { class: 'muted' }, '—');
  return list.map((a) => h('span', { class: 'amount' }, formatMoney(a.cents, a.currency)));
}

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/**
 * Whether billing rounds any of the report's time: a row's (or the total's) billed time differs
 * from its tracked time. Then the page shows billed time beside the hours.
 *
 * @param {{total:Object, rows:Object[]}} report the summary
 * @returns {boolean} true when some `rounded_seconds` differs from `seconds`
 */
export function billedDiffers(report) {
  const differs = (r) => r.rounded_seconds !== undefined && r.rounded_seconds !== r.seconds;
  return differs(report.total) || report.rows.some((r) => differs(r) || (r.rows || []).some(differs));
}

function showTotals(ctx, total, billed) {
  const item = (label, ...value) => h('div', { class: 'report-total' }, h('dt', {}, label), h('dd', {}, value));
  ctx.totals.classList.toggle('has-billed', billed);
  ctx.totals.replaceChildren(...[
    item('Total', hours(total.seconds)),
    billed ? item('Billed', hours(total.rounded_seconds)) : null,
    item('Billable', hours(total.billable_seconds)),
    item('Amount', amounts(total.amounts)),
    item('Entries', String(total.entries))].filter(Boolean));
}

/** A flag when entries of the report overlap, with a link to them in the Detailed view. */
function showOverlaps(ctx, report) {
  const n = report.overlapping_entries || 0;
  ctx.overlaps.hidden = n === 0;
  if (!n) return;
  ctx.overlaps.replaceChildren(`${overlapCount(n)} another entry of the same person. `,
    h('a', { href: filterUrl({ ...ctx.filters, view: 'detailed' }) }, 'See them in the detailed view'));
}

function showChart(ctx, report) {
  const { per, bars } = dayBars(report.days);
  ctx.chartHead.textContent = `Hours per ${per}`;
  const range = rangeTitle(report.from, report.to);
  const description = chartDescription(per, bars, report.total.seconds);
  ctx.readout.textContent = '';
  renderBarChart(ctx.chartBox, {
    title: `Hours per ${per}, ${range}`, description, bars, signal: chartSignal(ctx), readout: ctx.readout,
  });
  const open = ctx.chartData.open;
  ctx.chartData.replaceChildren(
    h('summary', {}, `Hours per ${per} as a table`),
    barTable({ caption: `Hours per ${per}, ${range}`, head: per === 'week' ? 'Week' : 'Day', bars }));
  ctx.chartData.open = open;
}

/** A signal that ends when the page is left or the chart is drawn again. */
function chartSignal(ctx) {
  if (ctx.chartController) ctx.chartController.abort();
  ctx.chartController = new AbortController();
  const { signal } = ctx.chartController;
  ctx.state.signal.addEventListener('abort', () => ctx.chartController.abort(), { once: true });
  return signal;
}

function showBreakdown(ctx, report) {
  const first = report.group[0];
  ctx.breakdownHead.textContent = `By ${(GROUPS[first] || first).toLowerCase()}`;
  const slices = report.rows.map((r) => ({ label: keyLabel(r.key), seconds: r.seconds, color: r.key.kind === 'project' ? r.key.color : null }));
  renderBreakdown(ctx.breakdownBox, { title: `Time by ${(GROUPS[first] || first).toLowerCase()}, ${rangeTitle(report.from, report.to)}`, slices });
}

function showTable(ctx, report, billed) {
  const [first, second] = report.group;
  const heading = [first, second].filter(Boolean).map((g) => GROUPS[g] || g).join(' › ');
  const numbers = (r) => [
    h('td', { class: 'num', dataset: { label: 'Hours' } }, hours(r.seconds)),
    billed ? h('td', { class: 'num', dataset: { label: 'Billed' } }, hours(r.rounded_seconds)) : null,
    h('td', { class: 'num', dataset: { label: 'Billable' } }, hours(r.billable_seconds)),
    h('td', { class: 'num', dataset: { label: 'Amount' } }, amounts(r.amounts)),
    h('td', { class: 'num', dataset: { label: 'Entries' } }, String(r.entries)),
  ];
  const name = (key, parent) => h('th', { scope: 'row' },
    h('span', { class: 'report-name' },
      key.kind === 'project' ? colorDot(key.color) : null,
      parent ? h('span', { class: 'visually-hidden' }, `${parent} › `) : null,
      keyLabel(key)));
  const body = h('tbody', {});
  for (const row of report.rows) {
    const subs = second ? row.rows || [] : [];
    body.append(h('tr', { class: `report-row${subs.length ? ' has-subrows' : ''}` }, name(row.key), numbers(row)));
    for (const sub of subs) body.append(h('tr', { class: 'report-subrow' }, name(sub.key, keyLabel(row.key)), numbers(sub)));
  }
  const table = h('table', { class: 'report-table' },
    h('caption', { class: 'visually-hidden' }, `Time by ${heading.toLowerCase()}, ${rangeTitle(report.from, report.to)}`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, heading),
      h('th', { scope: 'col', class: 'num' }, 'Hours'),
      billed ? h('th', { scope: 'col', class: 'num', title: 'Rounded as each project says' }, 'Billed') : null,
      h('th', { scope: 'col', class: 'num' }, 'Billable'),
      h('th', { scope: 'col', class: 'num' }, 'Amount'),
      h('th', { scope: 'col', class: 'num' }, 'Entries'))),
    body,
    h('tfoot', {}, h('tr', { class: 'report-total-row' }, h('th', { scope: 'row' }, 'Total'), numbers(report.total))));
  ctx.tableWrap.replaceChildren(table);
}

/** Each budgeted project of the report against its budget, with its tasks' estimates. */
function showBudgets(ctx, report) {
  const budgets = report.budgets || [];
  ctx.budgets.hidden = budgets.length === 0;
  if (!budgets.length) return;
  ctx.budgets.replaceChildren(
    h('h3', { id: 'report-budgets-title' }, 'Budgets'),
    h('p', { class: 'muted small report-budgets-intro' }, 'All time on each project so far, not only this period.'),
    budgetList(budgets));
}
