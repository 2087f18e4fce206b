// views/today.js — Today: the timer bar and the quick-add box, then today's entries (in the user's time
// zone) with Continue / Edit / Duplicate / Delete, and the day's total.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner, busy, toast } from '../ui.js';
import { projectLabel, tagChips, entryNote, overlapsOf, entryTimeRange, lockedBadge } from '../track.js';
import { has } from '../capabilities.js';
import { dateIn, formatClock, formatDuration, formatLongDate, decimalHours } from '../time.js';
import { getRunning, setRunning, onTimerChange, tick } from '../timer.js';
import { timerBar } from './today-timer.js';
import { openEntryForm, confirmDeleteEntry } from './entry-dialogs.js';
import { quickAdd } from './today-quick.js';

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/**
 * Render the Today page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, toast, onShortcut, takeNewEntryRequest, …)
 * @returns {void}
 */
export function render(root, state) {
  const zone = state.me.time_zone;
  const ctx = {
    state,
    zone,
    date: dateIn(zone),
    projects: [],
    seq: 0,
    reload: () => loadEntries(ctx),
  };
  const newButton = h('button', { type: 'button', class: 'btn btn-primary', title: 'New entry (n)', onclick: () => openEntryForm(ctx, null) },
    'New entry');
  ctx.newButton = newButton;
  root.append(
    pageHeader('Today', newButton),
    h('p', { class: 'page-intro muted' }, formatLongDate(ctx.date), ' · times in ', zone.replaceAll('_', ' ')));

  ctx.noProjects = h('div', { class: 'notice', hidden: true });
  ctx.bar = timerBar(ctx);
  ctx.quick = quickAdd(ctx);
  ctx.total = h('span', { class: 'day-total-value' });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table entries-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Today’s entries, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Project'),
      h('th', { scope: 'col' }, 'Note'),
      h('th', { scope: 'col' }, 'Tags'),
      h('th', { scope: 'col' }, 'Time'),
      h('th', { scope: 'col', class: 'num' }, 'Duration'),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true },
    h('p', { class: 'empty-title' }, 'No entries today — start a timer above.'),
    h('p', {}, 'Or add time you already spent with New entry.'));
  ctx.status = h('div', { class: 'list-status' });
  root.append(
    ctx.noProjects,
    ctx.bar.el,
    ctx.quick.el,
    h('section', { class: 'day', 'aria-labelledby': 'day-title' },
      h('div', { class: 'day-head' },
        h('h2', { id: 'day-title' }, 'Entries'),
        h('p', { class: 'day-total' }, h('span', { class: 'muted' }, 'Total '), ctx.total)),
      h('div', { class: 'table-wrap' }, ctx.table),
      ctx.empty,
      ctx.status));

  state.onShortcut('s', () => ctx.bar.toggle());
  state.onShortcut('n', () => openEntryForm(ctx, null));
  state.onShortcut('q', () => ctx.quick.focus());
  onTimerChange((entry, info) => {
    if (info.source === 'start' || info.source === 'stop' || info.source === 'edit' || info.stopped) loadEntries(ctx);
  }, state.signal);

  Promise.all([loadProjects(ctx), loadEntries(ctx)]).then(() => {
    if (state.signal.aborted) return;
    // Preselect the project of the latest entry: the next timer is usually for it.
    const latest = (ctx.entries || []).find((e) => ctx.projects.some((p) => p.id === e.project_id));
    ctx.bar.setProjects(ctx.projects, latest ? latest.project_id : '');
    showNoProjects(ctx);
    if (state.takeNewEntryRequest() && ctx.projects.length) openEntryForm(ctx, null);
  });
}

async function loadProjects(ctx) {
  const { state } = ctx;
  try {
    const res = await api.listProjects({ archived: true }, state.signal);
    ctx.allProjects = res.items;
    ctx.projects = res.items.filter((p) => !p.archived);
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.allProjects = [];
    ctx.projects = [];
    ctx.projectsError = errorMessage(err);
  }
}

function showNoProjects(ctx) {
  const none = ctx.projects.length === 0;
  ctx.noProjects.hidden = !none;
  ctx.noProjects.classList.toggle('notice-error', Boolean(ctx.projectsError));
  ctx.bar.setDisabled(none && !getRunning());
  ctx.quick.setDisabled(none);
  clear(ctx.noProjects);
  if (!none) return;
  if (ctx.projectsError) {
    ctx.noProjects.append(h('p', { role: 'alert' }, `Projects could not be loaded: ${ctx.projectsError}`));
    return;
  }
  ctx.newButton.disabled = true;
  ctx.newButton.title = 'There is no project to add time to yet';
  const canCreate = has(ctx.state.me, 'manage_projects');
  ctx.noProjects.append(
    h('p', { class: 'notice-title' }, 'There is no project to track time on yet'),
    canCreate
      ? h('p', {}, 'Time is always tracked on a project. ', h('a', { href: '/projects' }, 'Create a project'), ' first, then come back here.')
      : h('p', {}, 'Time is always tracked on a project. Ask a manager to add you to one.'));
}

async function loadEntries(ctx) {
  const { state } = ctx;
  ctx.seq += 1;
  const seq = ctx.seq;
  ctx.date = dateIn(ctx.zone);
  const stop = delayedSpinner(ctx.status);
  try {
    const items = [];
    let total = 0;
    let cursor;
    for (let n = 0; n < MAX_PAGES; n += 1) {
      const page = await api.listEntries({ from: ctx.date, to: ctx.date, limit: PAGE_SIZE, cursor }, state.signal);
      items.push(...page.items);
      total += page.total_seconds || 0;
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    if (seq !== ctx.seq) return;
    clear(ctx.status);
    ctx.entries = items;
    showEntries(ctx, items, total);
  } catch (err) {
    if (api.isAbort(err) || seq !== ctx.seq) return;
    clear(ctx.status);
    ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

function showEntries(ctx, items, total) {
  clear(ctx.tbody);
  ctx.overlaps = overlapsOf(items);
  for (const entry of items) ctx.tbody.appendChild(entryRow(ctx, entry));
  ctx.table.hidden = items.length === 0;
  ctx.empty.hidden = items.length > 0;
  const running = items.some((e) => !e.end);
  ctx.total.title = decimalHours(total);
  if (running) {
    // The server's total counts the running entry up to the answer; tick on from there.
    ctx.total.dataset.tickFrom = String(Date.now() - total * 1000);
    ctx.total.dataset.tickFormat = 'hm';
  } else {
    delete ctx.total.dataset.tickFrom;
  }
  ctx.total.textContent = formatDuration(total);
  tick();
}

function describe(ctx, entry) {
  return `${entry.note || entry.project_name} (${formatClock(entry.start, ctx.zone)})`;
}

function entryRow(ctx, entry) {
  const running = !entry.end;
  const what = describe(ctx, entry);
  const rowError = h('p', { class: 'row-error', role: 'alert', hidden: true });
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const duration = h('span', { title: decimalHours(entry.duration_seconds) }, formatDuration(entry.duration_seconds));
  if (running) {
    duration.dataset.tickFrom = String(Date.parse(entry.start));
    duration.dataset.tickFormat = 'hm';
  }
  return h('tr', { dataset: { id: entry.id }, class: running ? 'is-running' : '' },
    cell('Project', 'cell-project', projectLabel(entry, { withClient: true })),
    cell('Note', 'cell-note', ...entryNote(entry)),
    cell('Tags', 'cell-tags', tagChips(entry.tags) || h('span', { class: 'muted' }, '—')),
    cell('Time', 'nowrap cell-time', ...entryTimeRange(ctx.zone, entry, ctx.overlaps && ctx.overlaps.get(entry.id))),
    cell('Duration', 'num cell-duration', duration),
    h('td', { class: 'cell-actions' },
      h('div', { class: 'row-actions' },
        running ? null : h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Continue ${what}`, title: 'Start a timer with the same project, note and tags',
          onclick: (event) => continueEntry(ctx, entry, event.currentTarget, rowError),
        }, 'Continue'),
        entry.locked ? lockedBadge() : h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Edit ${what}`, onclick: () => openEntryForm(ctx, entry) }, 'Edit'),
        running ? null : h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Duplicate ${what}`, title: 'A new entry with the same project, task, note, tags and times, to adjust before adding',
          onclick: () => openEntryForm(ctx, null, { copyOf: entry }),
        }, 'Duplicate'),
        entry.locked ? null : h('button', {
          type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Delete ${what}`,
          onclick: () => confirmDeleteEntry(ctx, entry),
        }, 'Delete')),
      rowError));
}

async function continueEntry(ctx, entry, button, rowError) {
  rowError.hidden = true;
  try {
    const res = await busy(button, () => api.continueEntry(entry.id));
    setRunning(res.started, { stopped: res.stopped, source: 'start' });
    toast(`Timer started: ${res.started.note || res.started.project_name}`);
  } catch (err) {
    rowError.textContent = errorMessage(err);
    rowError.hidden = false;
  }
}
