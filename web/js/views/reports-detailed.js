// views/reports-detailed.js — the Detailed view of the Reports page: the entries behind the
// summary of the same filters (GET /reports/detailed), newest first, a page at a time ("Load
// more"), each with its hours and amount inside the period and an "overlaps" badge when it
// overlaps another entry of the same person. Used only by views/reports.js.

import { h } from '../dom.js';
import * as api from '../api.js';
import { errorMessage, delayedSpinner, plural } from '../ui.js';
import { has } from '../capabilities.js';
import { projectLabel, tagChips, entryNote, entryTimeRange, formatMoney } from '../track.js';
import { dateIn, formatDuration, decimalHours } from '../time.js';
import { apiQuery, activeCount, clearFilters } from './reports-filters.js';

const PAGE_SIZE = 100;

/**
 * The Detailed view.
 *
 * @param {{state:Object, zone:string, filters:Object}} ctx the Reports page
 * @returns {{el:HTMLElement, load:function():Promise<void>}} the view and how to (re)load it
 */
export function detailedView(ctx) {
  const team = has(ctx.state.me, 'read_team_time');
  const summary = h('dl', { class: 'report-totals' });
  const overlapNote = h('p', { class: 'notice report-overlaps', hidden: true });
  const tbody = h('tbody', {});
  const table = h('table', { class: 'table report-detailed' },
    h('caption', { class: 'visually-hidden' }, 'Entries of the report, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Date'),
      h('th', { scope: 'col' }, 'Time'),
      team ? h('th', { scope: 'col' }, 'Person') : null,
      h('th', { scope: 'col' }, 'Project'),
      h('th', { scope: 'col' }, 'Note'),
      h('th', { scope: 'col' }, 'Tags'),
      h('th', { scope: 'col', class: 'num' }, 'Hours'),
      h('th', { scope: 'col', class: 'num' }, 'Amount'))),
    tbody);
  const more = h('button', { type: 'button', class: 'btn report-more', hidden: true, onclick: () => loadPage(false) }, 'Load more');
  const shown = h('p', { class: 'muted small report-shown' });
  const billedNote = h('p', { class: 'report-note muted small', hidden: true },
    'Billed time is rounded as each project says: the totals are billed that way, while each entry shows its own time at its rate, so the entries may add up to a little less.');
  const status = h('div', { class: 'list-status' });
  const empty = h('div', { class: 'empty', hidden: true });
  const body = h('div', { class: 'report-body', hidden: true },
    summary, overlapNote, h('div', { class: 'table-wrap' }, table), billedNote, h('div', { class: 'report-more-row' }, shown, more));
  const el = h('div', { class: 'report-view' }, status, body, empty);
  const view = { seq: 0, cursor: null, count: 0, total: 0 };

  async function loadPage(first) {
    view.seq += 1;
    const seq = view.seq;
    if (first) view.cursor = null;
    const stop = delayedSpinner(status);
    more.disabled = true;
    try {
      const query = { ...apiQuery(ctx.filters), limit: PAGE_SIZE };
      delete query.group;
      if (!first && view.cursor) query.cursor = view.cursor;
      const page = await api.getReportDetailed(query, { signal: ctx.state.signal });
      if (seq !== view.seq || !page) return;
      status.replaceChildren();
      if (first) {
        tbody.replaceChildren();
        view.count = 0;
        showTotals(page);
      }
      for (const row of page.items) tbody.append(entryRow(ctx, row, team));
      view.count += page.items.length;
      view.total = page.total.entries;
      view.cursor = page.next_cursor;
      more.hidden = !page.next_cursor;
      shown.textContent = `Showing ${view.count} of ${plural(view.total, 'entry', 'entries')}`;
      const nothing = view.total === 0;
      body.hidden = nothing;
      empty.hidden = !nothing;
      if (nothing) showEmpty();
    } catch (err) {
      if (api.isAbort(err) || seq !== view.seq) return;
      status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
    } finally {
      more.disabled = false;
      stop();
    }
  }

  function showTotals(page) {
    const item = (label, ...value) => h('div', { class: 'report-total' }, h('dt', {}, label), h('dd', {}, value));
    const amounts = page.total.amounts.length
      ? page.total.amounts.map((a) => h('span', { class: 'amount' }, formatMoney(a.cents, a.currency)))
      : h('span', { class: 'muted' }, '—');
    const billed = page.total.rounded_seconds !== undefined && page.total.rounded_seconds !== page.total.seconds;
    summary.classList.toggle('has-billed', billed);
    summary.replaceChildren(...[
      item('Total', hours(page.total.seconds)),
      billed ? item('Billed', hours(page.total.rounded_seconds)) : null,
      item('Billable', hours(page.total.billable_seconds)),
      item('Amount', amounts),
      item('Entries', String(page.total.entries))].filter(Boolean));
    billedNote.hidden = !billed;
    overlapNote.hidden = page.overlapping_entries === 0;
    overlapNote.textContent = page.overlapping_entries
      ? `${overlapCount(page.overlapping_entries)} another entry of the same person (marked “overlaps”): one of each pair is probably wrong.`
      : '';
  }

  function showEmpty() {
    empty.replaceChildren(h('p', { class: 'empty-title' }, 'No entries in this period'));
    if (activeCount(ctx.filters) > 0) {
      empty.append(h('p', {}, 'Nothing tracked in this period fits every filter. Choose another period or drop a filter.'),
        h('button', { type: 'button', class: 'btn', onclick: () => clearFilters(ctx) }, 'Clear filters'));
    } else {
      empty.append(h('p', {}, 'The detailed view lists every entry of the period with its hours and amount. Choose another period above.'));
    }
  }

  return { el, load: () => loadPage(true) };
}

/**
 * "1 entry overlaps" / "3 entries overlap", for the start of a sentence.
 *
 * @param {number} n how many entries
 * @returns {string} the words
 */
export function overlapCount(n) {
  return n === 1 ? '1 entry overlaps' : `${n} entries overlap`;
}

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** One entry as a table row (a card on phones). */
function entryRow(ctx, row, team) {
  const cell = (label, cls, ...content) => h('td', { class: cls, dataset: { label } }, ...content);
  const day = dateIn(ctx.zone, Date.parse(row.start));
  const badge = row.overlaps
    ? h('span', { class: 'badge badge-warn', title: 'Overlaps another entry of this person' }, 'overlaps')
    : null;
  const amount = row.amount ? formatMoney(row.amount.cents, row.amount.currency) : h('span', { class: 'muted' }, '—');
  return h('tr', { class: `entry-row${row.end ? '' : ' is-running'}${row.overlaps ? ' has-overlap' : ''}` },
    cell('Date', 'nowrap cell-date', dayFormat.format(new Date(`${day}T00:00:00Z`))),
    cell('Time', 'nowrap cell-time', h('span', {}, ...entryTimeRange(ctx.zone, row, null)), badge),
    team ? cell('Person', 'cell-person', row.user_name || '—') : null,
    cell('Project', 'cell-project', projectLabel(row, { withClient: true })),
    cell('Note', 'cell-note', ...entryNote(row)),
    cell('Tags', row.tags.length ? 'cell-tags' : 'cell-tags is-empty', tagChips(row.tags) || h('span', { class: 'muted' }, '—')),
    cell('Hours', 'num cell-hours', hours(row.seconds)),
    cell('Amount', row.amount ? 'num cell-amount' : 'num cell-amount is-empty', amount));
}
