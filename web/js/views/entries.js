// views/entries.js — Entries: every time entry in a date range (default: the last 7 days in the
// user's zone), narrowed by project, client, task, tag, billable and note text. The filters live
// in the URL query, so a link or a reload shows the same list. Rows are grouped by the day they
// start on; Load more follows the API's cursor. Edit/Delete reuse the entry dialogs of Today; the
// bulk bar (entries-bulk.js) changes the selected rows in one request.

import { h, qs, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner, busy, setFieldError, fieldMessage } from '../ui.js';
import { projectLabel, tagChips, entryNote, overlapsOf, entryTimeRange, lockedBadge } from '../track.js';
import { has } from '../capabilities.js';
import { dateIn, formatClock, formatDuration, formatLongDate, decimalHours } from '../time.js';
import { onTimerChange, tick } from '../timer.js';
import { exportMenu } from '../export-menu.js';
import { openEntryForm, confirmDeleteEntry } from './entry-dialogs.js';
import { bulkBar } from './entries-bulk.js';
import { FILTERS, readFilters, addDays, activeCount, filterForm, clearFilters, fillChoices, fillPeople } from './entries-filters.js';

const PAGE_SIZE = 50;
/** The API pages at most this many entries per request. */
const MAX_LIMIT = 500;

/**
 * Render the Entries page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, onShortcut, setQuery, navigate, …)
 * @returns {void}
 */
export function render(root, state) {
  const zone = state.me.time_zone;
  const today = dateIn(zone);
  const ctx = {
    state,
    zone,
    defaults: { from: addDays(today, -6), to: today },
    filters: readFilters(state.query, addDays(today, -6), today),
    // Those who track no time (auditors) read; the rows' `can` says what else may change.
    readOnly: !has(state.me, 'track_time'),
    projects: [],
    allProjects: [],
    entries: [],
    receivedAt: new Map(),
    selection: new Set(),
    cursor: null,
    seq: 0,
    controller: null,
    reload: () => load(ctx, 'refresh'),
    refilter: () => load(ctx, 'reset'),
    canEdit: (entry) => canEdit(ctx, entry),
    applyChanged: (changed) => replaceEntries(ctx, changed),
  };
  const ownList = !ctx.filters.user_id || ctx.filters.user_id === state.me.id;
  const newButton = ctx.readOnly || !ownList ? null : h('button', {
    type: 'button', class: 'btn btn-primary', title: 'New entry (n)', onclick: () => openEntryForm(ctx, null),
  }, 'New entry');
  // Export: the list as filtered. Without a person the list is one's own entries, while the
  // export would take everyone's one may read, hence the caller's id.
  const exporter = has(state.me, 'read_projects') ? exportMenu({
    signal: state.signal,
    query: () => {
      const query = {};
      for (const key of FILTERS) if (ctx.filters[key]) query[key] = ctx.filters[key];
      query.user_id = ctx.filters.user_id || state.me.id;
      return query;
    },
  }) : null;
  root.append(
    pageHeader('Entries', [exporter && exporter.el, newButton]),
    h('p', { class: 'page-intro muted' },
      ownList ? 'Your time entries, newest first' : 'Another person’s time entries, newest first (pick them under Person)',
      ' · times in ', zone.replaceAll('_', ' ')));

  ctx.form = filterForm(ctx);
  ctx.total = h('span', { class: 'entries-total-value' });
  ctx.count = h('span', { class: 'entries-count muted' });
  ctx.bulk = ctx.readOnly ? null : bulkBar(ctx);
  ctx.selectAll = ctx.readOnly ? null : h('input', {
    type: 'checkbox', class: 'select-all', 'aria-label': 'Select all shown entries',
    onchange: (event) => ctx.bulk.selectAll(event.currentTarget.checked),
  });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table entry-list', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Time entries, newest first, grouped by day'),
    h('thead', {}, h('tr', {},
      ctx.readOnly ? null : h('th', { scope: 'col', class: 'cell-select' }, ctx.selectAll),
      h('th', { scope: 'col' }, 'Project'),
      h('th', { scope: 'col' }, 'Task and note'),
      h('th', { scope: 'col' }, 'Tags'),
      h('th', { scope: 'col' }, 'Time'),
      h('th', { scope: 'col', class: 'num' }, 'Duration'),
      h('th', { scope: 'col' }, 'Billable'),
      ctx.readOnly ? null : h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(ctx, 'more') }, 'Load more');
  ctx.summary = h('div', { class: 'entries-summary', hidden: true },
    ctx.range = h('h2', { id: 'entries-title' }, 'Entries'),
    h('p', { class: 'entries-total' }, ctx.count, h('span', { class: 'muted' }, ' · Total '), ctx.total));
  root.append(
    ctx.form.el,
    h('section', { class: 'entries', 'aria-labelledby': 'entries-title' },
      ctx.summary,
      ctx.bulk ? ctx.bulk.el : null,
      h('div', { class: 'table-wrap' }, ctx.table),
      ctx.empty,
      ctx.status,
      h('div', { class: 'more' }, ctx.more)));

  state.onShortcut('/', () => ctx.form.focusSearch());
  if (newButton) state.onShortcut('n', () => openEntryForm(ctx, null));
  onTimerChange((entry, info) => {
    if (info.source === 'start' || info.source === 'stop' || info.source === 'edit' || info.stopped) ctx.reload();
  }, state.signal);

  load(ctx, 'reset');
  loadChoices(ctx);
}

/** Projects, clients and tags for the filter menus. */
async function loadChoices(ctx) {
  const { state } = ctx;
  // A body cut off by an abort arrives as null (api.js), hence `r &&`.
  const items = (request) => request.then((r) => (r && r.items) || null, () => null);
  const [projects, clients, tags, people] = await Promise.all([
    items(api.listProjects({ archived: true }, state.signal)),
    items(api.listClients({ archived: true }, state.signal)),
    items(api.listTags(state.signal)),
    has(state.me, 'read_team_time') ? items(api.listPeople(state.signal)) : Promise.resolve([]),
  ]);
  if (state.signal.aborted) return;
  ctx.allProjects = projects || [];
  ctx.projects = ctx.allProjects.filter((p) => !p.archived);
  fillChoices(ctx, clients || [], tags || []);
  fillPeople(ctx, people || []);
}

// ---- Loading ----

/**
 * Load entries: `reset` for the first page of new filters, `more` for the next page, and
 * `refresh` after a change to fetch as many as are shown again (so the list stays in step).
 */
async function load(ctx, mode) {
  const { state } = ctx;
  if (mode !== 'more') {
    if (ctx.controller) ctx.controller.abort();
    ctx.seq += 1;
  }
  const seq = ctx.seq;
  const shownBefore = ctx.entries;
  const controller = mode === 'more' ? ctx.controller : new AbortController();
  if (mode !== 'more') {
    ctx.controller = controller;
    state.signal.addEventListener('abort', () => controller.abort(), { once: true });
  }
  const want = mode === 'refresh' ? Math.max(PAGE_SIZE, ctx.entries.length) : PAGE_SIZE;
  const query = { limit: PAGE_SIZE };
  for (const key of FILTERS) if (ctx.filters[key]) query[key] = ctx.filters[key];
  const stop = delayedSpinner(ctx.status);
  try {
    const fetchPages = async () => {
      const items = [];
      let cursor = mode === 'more' ? ctx.cursor : undefined;
      do {
        const page = await api.listEntries({ ...query, limit: Math.min(MAX_LIMIT, want - items.length), cursor }, controller.signal);
        const at = Date.now();
        for (const e of page.items) ctx.receivedAt.set(e.id, at);
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor && items.length < want);
      return { items, cursor };
    };
    const { items, cursor } = mode === 'more' ? await busy(ctx.more, fetchPages) : await fetchPages();
    // A newer load won, or (for `more`) the list was drawn again meanwhile: this answer is stale.
    if (seq !== ctx.seq || (mode === 'more' && ctx.entries !== shownBefore)) return;
    clear(ctx.status);
    ctx.cursor = cursor;
    ctx.more.hidden = !cursor;
    if (mode === 'more') {
      ctx.entries.push(...items);
      ctx.overlaps = overlapsOf(ctx.entries);
      addRows(ctx, items);
    } else {
      ctx.entries = items;
      const shown = new Set(items.map((e) => e.id));
      for (const id of ctx.selection) if (!shown.has(id)) ctx.selection.delete(id);
      redraw(ctx);
    }
  } catch (err) {
    if (api.isAbort(err) || controller.signal.aborted || seq !== ctx.seq) return;
    clear(ctx.status);
    let shown = false;
    for (const [name, fe] of Object.entries(err.fields || {})) {
      if (setFieldError(qs('form', ctx.form.el), name, fieldMessage(fe))) shown = true;
    }
    const message = err.code === 'validation.failed' || err.code === 'request.invalid_parameter'
      ? 'These filters are not valid; correct them and the list follows.'
      : errorMessage(err);
    if (!shown || err.code !== 'validation.failed') ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' }, message));
    if (mode !== 'more') {
      ctx.entries = [];
      ctx.more.hidden = true;
      ctx.table.hidden = true;
      ctx.summary.hidden = true;
    }
  } finally {
    stop();
  }
}

// ---- Rows ----

/** Draw every row again from `ctx.entries`. */
function redraw(ctx) {
  clear(ctx.tbody);
  ctx.overlaps = overlapsOf(ctx.entries);
  ctx.days = new Map();
  ctx.lastDay = null;
  addRows(ctx, ctx.entries);
}

/** Append rows for `items` (newest first), with a heading row wherever a new day starts. */
function addRows(ctx, items) {
  for (const entry of items) {
    const day = dateIn(ctx.zone, Date.parse(entry.start));
    if (day !== ctx.lastDay) {
      ctx.lastDay = day;
      const total = h('span', { class: 'entry-day-total' });
      const cols = ctx.readOnly ? 6 : 8;
      ctx.tbody.appendChild(h('tr', { class: 'entry-day', dataset: { day } },
        h('th', { scope: 'colgroup', colspan: String(cols) },
          h('div', { class: 'entry-day-head' }, h('span', { class: 'entry-day-name' }, formatLongDate(day)), total))));
      ctx.days.set(day, total);
    }
    ctx.tbody.appendChild(entryRow(ctx, entry));
  }
  showTotals(ctx);
}

/** Replace shown entries with changed copies (from a bulk change) in place. */
function replaceEntries(ctx, changed) {
  const byId = new Map(changed.map((e) => [e.id, e]));
  const at = Date.now();
  ctx.entries.forEach((e, i) => {
    if (byId.has(e.id)) ctx.entries[i] = byId.get(e.id);
  });
  ctx.overlaps = overlapsOf(ctx.entries);
  for (const entry of changed) {
    ctx.receivedAt.set(entry.id, at);
    const row = qs(`tr.entry-row[data-entry-id="${entry.id}"]`, ctx.tbody);
    if (row) row.replaceWith(entryRow(ctx, entry));
  }
  showTotals(ctx);
}

/** Seconds of an entry now: a running one counts on from when the server answered. */
function secondsNow(ctx, entry) {
  if (entry.end) return entry.duration_seconds;
  return entry.duration_seconds + Math.floor((Date.now() - (ctx.receivedAt.get(entry.id) || Date.now())) / 1000);
}

function setTicking(el, seconds, running) {
  el.textContent = formatDuration(seconds);
  el.title = decimalHours(seconds);
  if (running) {
    el.dataset.tickFrom = String(Date.now() - seconds * 1000);
    el.dataset.tickFormat = 'hm';
  } else {
    delete el.dataset.tickFrom;
  }
}

function showTotals(ctx) {
  const n = ctx.entries.length;
  ctx.table.hidden = n === 0;
  ctx.summary.hidden = n === 0;
  let total = 0;
  const perDay = new Map();
  for (const entry of ctx.entries) {
    const s = secondsNow(ctx, entry);
    total += s;
    const day = dateIn(ctx.zone, Date.parse(entry.start));
    const sum = perDay.get(day) || { seconds: 0, running: false };
    sum.seconds += s;
    sum.running ||= !entry.end;
    perDay.set(day, sum);
  }
  const running = ctx.entries.some((e) => !e.end);
  setTicking(ctx.total, total, running);
  for (const [day, el] of ctx.days || []) {
    const sum = perDay.get(day) || { seconds: 0, running: false };
    setTicking(el, sum.seconds, sum.running);
  }
  ctx.range.textContent = rangeTitle(ctx);
  ctx.count.textContent = `${n} ${n === 1 ? 'entry' : 'entries'}${ctx.cursor ? ' shown (more below)' : ''}`;
  showEmpty(ctx);
  if (ctx.bulk) ctx.bulk.sync();
  tick();
}

/** The shown days as a heading: "Last 7 days", or e.g. "Nov 3 – 9, 2026" in the user's locale. */
function rangeTitle(ctx) {
  const { from, to } = ctx.filters;
  if (from === ctx.defaults.from && to === ctx.defaults.to) return 'Last 7 days';
  const fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const a = new Date(`${from}T00:00:00Z`);
  const b = new Date(`${to}T00:00:00Z`);
  return from === to ? fmt.format(a) : fmt.formatRange(a, b);
}

function showEmpty(ctx) {
  const none = ctx.entries.length === 0;
  ctx.empty.hidden = !none;
  clear(ctx.empty);
  if (!none) return;
  const { from, to } = ctx.filters;
  if (activeCount(ctx) > 0) {
    ctx.empty.append(
      h('p', { class: 'empty-title' }, 'No entries match these filters'),
      h('p', {}, `Nothing between ${formatLongDate(from)} and ${formatLongDate(to)} fits every filter. Widen the dates or drop a filter.`),
      h('button', { type: 'button', class: 'btn', onclick: () => clearFilters(ctx) }, 'Clear filters'));
    return;
  }
  ctx.empty.append(h('p', { class: 'empty-title' }, 'No entries in the last 7 days'));
  if (ctx.readOnly && !ctx.filters.user_id) {
    ctx.empty.append(h('p', {}, 'This page lists time entries. You track no time yourself: pick a person under Filters → Person to read theirs.'));
  } else if (!ctx.readOnly) {
    ctx.empty.append(h('p', {}, 'Every entry you track appears here, newest first, to filter, correct and tag in bulk. ',
      h('a', { href: '/today' }, 'Start a timer on Today'), ' or add time with New entry.'));
  }
}

/** Whether the signed-in user may change an entry, as the server said with the entry (`can`). */
function canEdit(ctx, entry) {
  return !ctx.readOnly && Boolean(entry.can && entry.can.edit);
}

function describe(ctx, entry) {
  return `${entry.note || entry.task_title || entry.project_name}, ${formatLongDate(dateIn(ctx.zone, Date.parse(entry.start)))} ${formatClock(entry.start, ctx.zone)}`;
}

function entryRow(ctx, entry) {
  const editable = canEdit(ctx, entry);
  const what = describe(ctx, entry);
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const duration = h('span', { class: 'entry-duration-value' });
  setTicking(duration, secondsNow(ctx, entry), !entry.end);
  let select = null;
  if (!ctx.readOnly) {
    select = h('td', { class: 'cell-select' }, editable
      ? h('input', {
        type: 'checkbox', 'aria-label': `Select ${what}`, checked: ctx.selection.has(entry.id),
        onchange: (event) => ctx.bulk.toggle(entry.id, event.currentTarget.checked),
      })
      : null);
  }
  const deletable = !ctx.readOnly && Boolean(entry.can && entry.can.delete);
  const actions = ctx.readOnly ? null : h('td', { class: 'cell-actions' }, editable || deletable
    ? h('div', { class: 'row-actions' },
      editable ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Edit ${what}`, onclick: () => openEntryForm(ctx, entry) }, 'Edit') : null,
      deletable ? h('button', {
        type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Delete ${what}`,
        onclick: () => confirmDeleteEntry(ctx, entry),
      }, 'Delete') : null)
    : entry.locked ? lockedBadge() : h('span', { class: 'muted small' }, 'Read only'));
  return h('tr', {
    class: `entry-row${entry.end ? '' : ' is-running'}${ctx.selection.has(entry.id) ? ' is-selected' : ''}`,
    dataset: { entryId: entry.id },
  },
  select,
  cell('Project', 'cell-project', projectLabel(entry, { withClient: true })),
  cell('Note', 'cell-note', ...entryNote(entry)),
  cell('Tags', entry.tags.length ? 'cell-tags' : 'cell-tags is-empty', tagChips(entry.tags) || h('span', { class: 'muted' }, '—')),
  cell('Time', 'nowrap cell-time', ...entryTimeRange(ctx.zone, entry, ctx.overlaps && ctx.overlaps.get(entry.id))),
  cell('Duration', 'num entry-duration', duration),
  cell('Billable', 'cell-billable', entry.billable ? 'Yes' : h('span', { class: 'muted' }, 'No')),
  actions);
}
