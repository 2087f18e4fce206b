// views/portal-hours.js — "Hours by period" on the client portal: a range (this week, last week,
// this month, last month, or custom days), one or two groupings, a bar chart of hours per day
// (chart.js), a table with the totals, and a "Download CSV" link asking for the same hours.
// The range and the groupings live in the URL (`/portal?range=last-week&group=task,day`), so the
// back button and a shared link show the same hours. Read-only: nothing here changes anything.

import { h } from '../dom.js';
import * as api from '../api.js';
import { field, setFieldError, errorMessage, delayedSpinner, fieldMessage } from '../ui.js';
import { formatMoney } from '../track.js';
import { formatDuration, decimalHours } from '../time.js';
import { renderBarChart, barTable } from '../chart.js';
import { PRESETS, presetDates, filterProblems } from './reports-filters.js';
import { rangeTitle, keyLabel, dayBars, chartDescription } from './reports-labels.js';

/** What the portal's hours can be grouped by: API name → what the page calls it. */
export const PORTAL_GROUPS = { project: 'Project', task: 'Task', user: 'Person', day: 'Day', week: 'Week', month: 'Month' };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The range and groupings named in the portal's URL query: `from` and `to` make a custom range,
 * else `range` names a preset (this week by default); `group` up to two known groupings
 * (project by default).
 *
 * @param {URLSearchParams} query the page's query
 * @param {string} today YYYY-MM-DD in the user's zone
 * @returns {{range:string, from:string, to:string, group:string[]}} the filters
 */
export function readHoursFilters(query, today) {
  const get = (key) => (query.get(key) || '').trim();
  const f = { range: get('range'), from: get('from'), to: get('to') };
  if (DATE_RE.test(f.from) && DATE_RE.test(f.to) && (f.range === '' || f.range === 'custom')) {
    f.range = 'custom';
  } else {
    if (!Object.hasOwn(PRESETS, f.range) || f.range === 'custom') f.range = 'this-week';
    Object.assign(f, presetDates(f.range, today));
  }
  f.group = [];
  for (const g of get('group').split(',').map((s) => s.trim())) {
    if (Object.hasOwn(PORTAL_GROUPS, g) && !f.group.includes(g) && f.group.length < 2) f.group.push(g);
  }
  if (!f.group.length) f.group = ['project'];
  return f;
}

/**
 * The portal's URL for some filters; defaults are left out, a preset stays relative.
 *
 * @param {{range:string, from:string, to:string, group:string[]}} f the filters
 * @returns {string} e.g. "/portal?range=last-week&group=task,day"
 */
export function hoursUrl(f) {
  const params = new URLSearchParams();
  if (f.range === 'custom') {
    params.set('from', f.from);
    params.set('to', f.to);
  } else if (f.range !== 'this-week') {
    params.set('range', f.range);
  }
  const group = f.group.join(',');
  if (group !== 'project') params.set('group', group);
  const query = params.toString().replaceAll('%2C', ',');
  return query ? `/portal?${query}` : '/portal';
}

/**
 * The API query for some filters (the same for the hours and their CSV).
 *
 * @param {{from:string, to:string, group:string[]}} f the filters
 * @returns {{from:string, to:string, group:string}} the query
 */
export function hoursQuery(f) {
  return { from: f.from, to: f.to, group: f.group.join(',') };
}

function groupOptions(chosen, except, none) {
  const options = Object.entries(PORTAL_GROUPS).filter(([g]) => g !== except)
    .map(([g, label]) => h('option', { value: g, selected: g === chosen }, label));
  return none ? [h('option', { value: '' }, 'Nothing'), ...options] : options;
}

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/** Amounts per currency, one line each ("—" for none). */
function amounts(list) {
  if (!list || !list.length) return h('span', { class: 'muted' }, '—');
  return list.map((a) => h('span', { class: 'amount' }, formatMoney(a.cents, a.currency)));
}

/** A row's key for reports-labels.js: days, weeks and months are dates, the rest names. */
const keyOf = (row) => ({ kind: row.kind, id: ['day', 'week', 'month'].includes(row.kind) ? row.label : null, label: row.label });

/** Whether rounding makes any billed time differ from the tracked time. */
function billedDiffers(data) {
  const differs = (r) => r.rounded_seconds !== r.seconds;
  return differs(data.total) || data.rows.some((r) => differs(r) || r.rows.some(differs));
}

/**
 * The "Hours by period" section.
 *
 * @param {{state:Object, today:string}} page the portal page (router state, today in the user's zone)
 * @returns {{el:HTMLElement, load:function():Promise<void>}} the section, and what fills it
 */
export function hoursSection(page) {
  const { state } = page;
  const ctx = { state, filters: readHoursFilters(state.query, page.today), seq: 0 };
  ctx.csv = h('a', { class: 'btn', download: '', href: '#' }, 'Download CSV');
  ctx.pdf = h('a', { class: 'btn', download: '', href: '#' }, 'PDF timesheet');
  ctx.form = filterForm(ctx, page.today);
  ctx.meta = h('p', { class: 'muted small portal-hours-meta' });
  ctx.status = h('div', { class: 'list-status' });
  ctx.totals = h('dl', { class: 'report-totals portal-totals' });
  ctx.chartHead = h('h3', {}, 'Hours per day');
  ctx.chartBox = h('div', { class: 'chart-box' });
  ctx.readout = h('p', { class: 'chart-readout muted', 'aria-hidden': 'true' });
  ctx.chartData = h('details', { class: 'chart-data' });
  ctx.tableWrap = h('div', { class: 'report-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Hours table' });
  ctx.billedNote = h('p', { class: 'report-note muted small', hidden: true }, 'Billed time is rounded as each project says.');
  ctx.body = h('div', { class: 'portal-hours-body', hidden: true },
    ctx.totals,
    h('figure', { class: 'report-figure report-chart' }, ctx.chartHead, ctx.chartBox, ctx.readout, ctx.chartData),
    ctx.tableWrap,
    ctx.billedNote);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  const el = h('section', { class: 'portal-hours', 'aria-labelledby': 'portal-hours-title' },
    h('div', { class: 'portal-hours-head' },
      h('div', {}, h('h2', { id: 'portal-hours-title' }, 'Hours by period'), ctx.meta),
      h('div', { class: 'portal-downloads' }, ctx.csv, ctx.pdf)),
    ctx.form.el,
    ctx.status,
    ctx.body,
    ctx.empty);
  ctx.refilter = () => load(ctx);
  return { el, load: () => load(ctx) };
}

/** The range and grouping form; every change goes to the URL (a new history entry). */
function filterForm(ctx, today) {
  const f = ctx.filters;
  const range = h('select', {}, Object.entries(PRESETS).map(([k, label]) => h('option', { value: k, selected: k === f.range }, label)));
  const group = h('select', {}, groupOptions(f.group[0], null, false));
  const group2 = h('select', {}, groupOptions(f.group[1] || '', f.group[0], true));
  const form = h('form', { class: 'portal-filters', novalidate: true, 'aria-label': 'Choose the hours' },
    field({ label: 'Period', name: 'range', control: range }),
    field({ label: 'From', name: 'from', type: 'date', value: f.from, required: true }),
    field({ label: 'To', name: 'to', type: 'date', value: f.to, required: true }),
    field({ label: 'Group by', name: 'group', control: group }),
    field({ label: 'Then by', name: 'group2', control: group2 }));
  const input = (name) => form.elements.namedItem(name);
  const apply = () => {
    const next = { range: range.value, from: input('from').value, to: input('to').value, group: [group.value, group2.value].filter(Boolean) };
    const problems = filterProblems(next);
    for (const name of ['from', 'to']) setFieldError(form, name, problems[name] || '');
    if (problems.from || problems.to) return;
    ctx.filters = next;
    const url = hoursUrl(next);
    if (url !== location.pathname + location.search) history.pushState(null, '', url);
    ctx.refilter();
  };
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target === range && range.value !== 'custom') {
      const dates = presetDates(range.value, today);
      input('from').value = dates.from;
      input('to').value = dates.to;
    } else if (target.name === 'from' || target.name === 'to') {
      range.value = 'custom';
    } else if (target === group) {
      const second = group2.value === group.value ? '' : group2.value;
      group2.replaceChildren(...groupOptions(second, group.value, true));
      group2.value = second;
    }
    apply();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  return { el: form, form };
}

/** Ask for the hours of the current filters; a newer request wins over an older one. */
async function load(ctx) {
  ctx.seq += 1;
  const seq = ctx.seq;
  const query = hoursQuery(ctx.filters);
  ctx.csv.href = api.portalHoursCsvUrl(query);
  ctx.pdf.href = api.portalTimesheetPdfUrl(query);
  const stop = delayedSpinner(ctx.status);
  try {
    const data = await api.getPortalHours(query, ctx.state.signal);
    if (seq !== ctx.seq || !data) return;
    ctx.status.replaceChildren();
    for (const name of ['from', 'to']) setFieldError(ctx.form.form, name, '');
    show(ctx, data);
  } catch (err) {
    if (api.isAbort(err) || seq !== ctx.seq) return;
    let shown = false;
    for (const [name, fe] of Object.entries(err.fields || {})) {
      if (setFieldError(ctx.form.form, name, fieldMessage(fe))) shown = true;
    }
    if (!shown) ctx.status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
    ctx.body.hidden = true;
    ctx.empty.hidden = true;
  } finally {
    stop();
  }
}

function show(ctx, data) {
  const range = rangeTitle(data.from, data.to);
  const grouping = data.group.map((g) => PORTAL_GROUPS[g] || g).join(', then by ').toLowerCase();
  ctx.meta.textContent = `${range} · by ${grouping} · times in ${data.time_zone.replaceAll('_', ' ')}`;
  const nothing = data.total.seconds === 0;
  ctx.body.hidden = nothing;
  ctx.empty.hidden = !nothing;
  if (nothing) {
    ctx.empty.replaceChildren(
      h('p', { class: 'empty-title' }, 'No time in this period'),
      h('p', {}, `Nothing was tracked on your projects in ${range}. Choose another period above.`));
    return;
  }
  const billed = billedDiffers(data);
  showTotals(ctx, data, billed);
  showChart(ctx, data, range);
  showTable(ctx, data, billed, range);
  ctx.billedNote.hidden = !billed;
}

function showTotals(ctx, data, billed) {
  const item = (label, ...value) => h('div', { class: 'report-total' }, h('dt', {}, label), h('dd', {}, value));
  ctx.totals.replaceChildren(...[
    item('Hours', hours(data.total.seconds)),
    billed ? item('Billed', hours(data.total.rounded_seconds)) : null,
    data.show_rates ? item('Amount', amounts(data.total.amounts)) : null].filter(Boolean));
}

function showChart(ctx, data, range) {
  const { per, bars } = dayBars(data.days);
  ctx.chartHead.textContent = `Hours per ${per}`;
  ctx.readout.textContent = '';
  if (ctx.chartController) ctx.chartController.abort();
  ctx.chartController = new AbortController();
  const { signal } = ctx.chartController;
  ctx.state.signal.addEventListener('abort', () => ctx.chartController.abort(), { once: true });
  renderBarChart(ctx.chartBox, {
    title: `Hours per ${per}, ${range}`, description: chartDescription(per, bars, data.total.seconds), bars, signal, readout: ctx.readout,
  });
  const open = ctx.chartData.open;
  ctx.chartData.replaceChildren(
    h('summary', {}, `Hours per ${per} as a table`),
    barTable({ caption: `Hours per ${per}, ${range}`, head: per === 'week' ? 'Week' : 'Day', bars }));
  ctx.chartData.open = open;
}

function showTable(ctx, data, billed, range) {
  const heading = data.group.map((g) => PORTAL_GROUPS[g] || g).join(' › ');
  const numbers = (r) => [
    h('td', { class: 'num', dataset: { label: 'Hours' } }, hours(r.seconds)),
    billed ? h('td', { class: 'num', dataset: { label: 'Billed' } }, hours(r.rounded_seconds)) : null,
    data.show_rates ? h('td', { class: 'num', dataset: { label: 'Amount' } }, amounts(r.amounts)) : null,
  ];
  const name = (row, parent) => h('th', { scope: 'row' },
    parent ? h('span', { class: 'visually-hidden' }, `${parent} › `) : null,
    keyLabel(keyOf(row)));
  const body = h('tbody', {});
  for (const row of data.rows) {
    const subs = data.group.length > 1 ? row.rows : [];
    body.append(h('tr', { class: `report-row${subs.length ? ' has-subrows' : ''}` }, name(row), numbers(row)));
    for (const sub of subs) body.append(h('tr', { class: 'report-subrow' }, name(sub, keyLabel(keyOf(row))), numbers(sub)));
  }
  ctx.tableWrap.replaceChildren(h('table', { class: 'report-table' },
    h('caption', { class: 'visually-hidden' }, `Hours by ${heading.toLowerCase()}, ${range}`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, heading),
      h('th', { scope: 'col', class: 'num' }, 'Hours'),
      billed ? h('th', { scope: 'col', class: 'num' }, 'Billed') : null,
      data.show_rates ? h('th', { scope: 'col', class: 'num' }, 'Amount') : null)),
    body,
    h('tfoot', {}, h('tr', { class: 'report-total-row' }, h('th', { scope: 'row' }, 'Total'), numbers(data.total)))));
}
