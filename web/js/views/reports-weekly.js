// views/reports-weekly.js — the Weekly view of the Reports page: people × the seven days of the
// week in which the period starts (GET /reports/weekly), hours per cell, with row and column
// totals; links to the previous and next week. Each person links to their entries that week
// (the Detailed view). Used only by views/reports.js.

import { h } from '../dom.js';
import * as api from '../api.js';
import { errorMessage, delayedSpinner } from '../ui.js';
import { formatDuration, decimalHours } from '../time.js';
import { apiQuery, activeCount, addDays, filterUrl, clearFilters } from './reports-filters.js';

const utc = (date) => new Date(`${date}T00:00:00Z`);
const fmt = (opts) => new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });

/**
 * The Weekly view.
 *
 * @param {{state:Object, filters:Object}} ctx the Reports page
 * @returns {{el:HTMLElement, load:function():Promise<void>, title:function():string}} the view,
 *   how to (re)load it, and the page title for its week
 */
export function weeklyView(ctx) {
  const status = h('div', { class: 'list-status' });
  const nav = h('div', { class: 'report-week-nav' });
  const wrap = h('div', { class: 'report-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Weekly report' });
  const empty = h('div', { class: 'empty', hidden: true });
  const el = h('div', { class: 'report-view' }, nav, status, wrap, empty);
  let seq = 0;

  async function load() {
    seq += 1;
    const mine = seq;
    const stop = delayedSpinner(status);
    try {
      const query = apiQuery(ctx.filters);
      delete query.group;
      delete query.from;
      delete query.to;
      query.week = ctx.filters.from;
      const week = await api.getReportWeekly(query, { signal: ctx.state.signal });
      if (mine !== seq || !week) return;
      status.replaceChildren();
      showNav(week);
      const nothing = week.rows.length === 0;
      wrap.hidden = nothing;
      empty.hidden = !nothing;
      if (nothing) showEmpty();
      else wrap.replaceChildren(grid(ctx, week));
    } catch (err) {
      if (api.isAbort(err) || mine !== seq) return;
      status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
    } finally {
      stop();
    }
  }

  function showNav(week) {
    const link = (from, label, rel) => h('a', {
      class: 'btn btn-small', rel,
      href: filterUrl({ ...ctx.filters, range: 'custom', from, to: addDays(from, 6) }),
    }, label);
    nav.replaceChildren(
      link(addDays(week.from, -7), '‹ Previous week', 'prev'),
      link(addDays(week.from, 7), 'Next week ›', 'next'));
  }

  function showEmpty() {
    empty.replaceChildren(h('p', { class: 'empty-title' }, 'No time tracked this week'));
    if (activeCount(ctx.filters) > 0) {
      empty.append(h('p', {}, 'Nothing tracked this week fits every filter.'),
        h('button', { type: 'button', class: 'btn', onclick: () => clearFilters(ctx) }, 'Clear filters'));
    } else {
      empty.append(h('p', {}, 'The weekly view shows each person’s hours per day of a week. Go to another week above.'));
    }
  }

  return { el, load };
}

/**
 * "Week of Nov 23 – 29, 2026".
 *
 * @param {string} from the Monday (YYYY-MM-DD)
 * @param {string} to the Sunday
 * @returns {string} the words
 */
export function weekTitle(from, to) {
  return `Week of ${fmt({ year: 'numeric', month: 'short', day: 'numeric' }).formatRange(utc(from), utc(to))}`;
}

function hours(seconds) {
  if (!seconds) return h('span', { class: 'muted' }, '—');
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/** The people × days table with totals. */
function grid(ctx, week) {
  const weekday = fmt({ weekday: 'short' });
  const dayHead = { format: (d) => `${weekday.format(d)} ${d.getUTCDate()}` };
  const dayName = fmt({ weekday: 'long', month: 'long', day: 'numeric' });
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Person'),
    week.days.map((d) => h('th', { scope: 'col', class: 'num', title: dayName.format(utc(d.date)) }, dayHead.format(utc(d.date)))),
    h('th', { scope: 'col', class: 'num' }, 'Total'));
  const labels = week.days.map((d) => dayName.format(utc(d.date)));
  const body = h('tbody', {}, week.rows.map((row) => {
    const entries = filterUrl({ ...ctx.filters, view: 'detailed', range: 'custom', from: week.from, to: week.to, user_id: row.user_id });
    return h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: entries, title: `${row.name}’s entries this week` }, row.name)),
      row.days.map((s, i) => h('td', { class: 'num', dataset: { label: labels[i] } }, hours(s))),
      h('td', { class: 'num report-row-total', dataset: { label: 'Total' } }, hours(row.seconds)));
  }));
  const foot = h('tfoot', {}, h('tr', { class: 'report-total-row' },
    h('th', { scope: 'row' }, 'Total'),
    week.days.map((d, i) => h('td', { class: 'num', dataset: { label: labels[i] } }, hours(d.seconds))),
    h('td', { class: 'num', dataset: { label: 'Total' } }, hours(week.seconds))));
  return h('table', { class: 'report-table report-weekly' },
    h('caption', { class: 'visually-hidden' }, `Hours per person and day, ${weekTitle(week.from, week.to)}`),
    h('thead', {}, head), body, foot);
}
