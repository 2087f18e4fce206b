// views/timesheet.js — Timesheet: the signed-in user's week (Monday first, in their time zone)
// as projects and tasks × days, typed into like a spreadsheet. The week lives in the URL
// (`?week=YYYY-MM-DD`), so back/forward and reload keep it. The grid itself is timesheet-grid.js
// (on a phone it shows one day at a time, with a day bar); this file owns the week, the data
// around it (which rows may still be edited), "Add row" and the keyboard shortcuts.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner, field, formError, setFieldError, openDialog } from '../ui.js';
import { projectSelect, selectDot } from '../track.js';
import { has } from '../capabilities.js';
import { dateIn, formatDuration, decimalHours } from '../time.js';
import { onTimerChange } from '../timer.js';
import { projectTasks, taskPicker } from '../task-picker.js';
import { buildGrid, setWeek, insertRow, applySheet, focusCell, commitFocused, rowKey, oneDayAtATime } from './timesheet-grid.js';
import { approvalBar, showApproval, weekLocked } from './timesheet-approval.js';
import { personParam, personPicker } from './timesheet-person.js';
import { exportMenu } from '../export-menu.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date moved by whole days.
 *
 * @param {string} date YYYY-MM-DD
 * @param {number} days how many days (negative: back)
 * @returns {string} YYYY-MM-DD
 */
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The Monday of the week a date is in.
 *
 * @param {string} date YYYY-MM-DD
 * @returns {string} YYYY-MM-DD of that Monday
 */
export function mondayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** A real date from `?week=`, or null. */
function weekParam(query) {
  const value = (query.get('week') || '').trim();
  if (!DATE_RE.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? value : null;
}

/**
 * A week for people, in their locale: "Nov 23 – 29, 2026".
 *
 * @param {string} monday YYYY-MM-DD
 * @returns {string} the range
 */
export function weekLabel(monday) {
  const fmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const from = new Date(`${monday}T00:00:00Z`);
  const to = new Date(`${addDays(monday, 6)}T00:00:00Z`);
  return typeof fmt.formatRange === 'function' ? fmt.formatRange(from, to) : `${fmt.format(from)} – ${fmt.format(to)}`;
}

/**
 * Render the Timesheet page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, signal, onShortcut, setQuery, toast, …)
 * @returns {void}
 */
export function render(root, state) {
  const zone = state.me.time_zone;
  const today = dateIn(zone);
  const asked = weekParam(state.query);
  const ctx = {
    state,
    zone,
    today,
    week: mondayOf(asked || today),
    // Whose week: '' for one's own, else the id of the person a manager reads or corrects.
    user: personParam(state.query, state.me),
    sheet: null,
    projects: new Map(),
    archivedClients: new Set(),
    tasks: new Map(),
    seq: 0,
    rowAccess: (spec) => rowAccess(ctx, spec),
    onSheet: (sheet, committed) => showSheet(ctx, sheet, committed),
    // The phone's day bar stepping past Monday or Sunday: the week before (its Sunday) or after.
    onWeekEdge: (by) => goToWeek(ctx, addDays(ctx.week, by < 0 ? -7 : 7), by < 0 ? 6 : 0),
    nextDay: null,
  };
  // A date inside a week, or no valid date at all, leads to that week's Monday (or this week).
  if (state.query.has('week') && asked !== ctx.week) {
    const params = new URLSearchParams(state.query);
    if (asked) params.set('week', ctx.week);
    else params.delete('week');
    state.setQuery(params);
  }

  ctx.addButton = h('button', { type: 'button', class: 'btn btn-primary', title: 'Add a row for a project or task (a)', onclick: () => openAddRow(ctx) },
    'Add row');
  const navButton = (label, arrow, title, onclick, after) => h('button', {
    type: 'button', class: 'btn ts-nav-button', 'aria-label': label, title, onclick,
  }, after ? null : h('span', { 'aria-hidden': 'true' }, arrow), h('span', { class: 'ts-nav-text' }, label), after ? h('span', { 'aria-hidden': 'true' }, arrow) : null);
  ctx.label = h('h2', { class: 'ts-week-label', id: 'ts-week', tabindex: '-1' });
  ctx.total = h('span', { class: 'ts-total-value' });
  ctx.thisWeek = h('button', { type: 'button', class: 'btn ts-nav-button', onclick: () => goToWeek(ctx, mondayOf(ctx.today)) }, 'This week');
  ctx.noProjects = h('div', { class: 'notice', hidden: true });
  ctx.empty = h('div', { class: 'empty', hidden: true },
    h('p', { class: 'empty-title' }, 'No time this week'),
    h('p', {}, 'Add a row for a project (or one of its tasks), then type the hours you spent into the days.'),
    ctx.emptyAdd = h('button', { type: 'button', class: 'btn', onclick: () => openAddRow(ctx) }, 'Add a row'));
  ctx.status = h('div', { class: 'list-status' });
  ctx.approvalEl = approvalBar();
  ctx.intro = h('p', { class: 'page-intro muted' }, 'Your hours per project and day · days in ', zone.replaceAll('_', ' '));
  // Export: the entries of the person and week shown (hidden until there is a person).
  ctx.exporter = has(state.me, 'read_projects') ? exportMenu({
    signal: state.signal,
    query: () => ({ from: ctx.week, to: addDays(ctx.week, 6), user_id: ctx.user || state.me.id }),
  }) : null;
  const person = personPicker(ctx, (user) => {
    commitFocused(ctx);
    ctx.user = user;
    showExport(ctx);
    history.pushState(null, '', timesheetPath(ctx, ctx.week));
    loadWeek(ctx, true);
  });
  showExport(ctx);
  root.append(
    pageHeader('Timesheet', [ctx.exporter && ctx.exporter.el, ctx.addButton]),
    ctx.intro,
    person,
    h('section', { class: 'ts', 'aria-labelledby': 'ts-week' },
      h('div', { class: 'ts-toolbar' },
        ctx.label,
        h('div', { class: 'ts-nav', role: 'group', 'aria-label': 'Week' },
          navButton('Previous week', '←', 'Previous week ([ or Alt+←)', () => goToWeek(ctx, addDays(ctx.week, -7)), false),
          ctx.thisWeek,
          navButton('Next week', '→', 'Next week (] or Alt+→)', () => goToWeek(ctx, addDays(ctx.week, 7)), true)),
        h('p', { class: 'ts-total' }, h('span', { class: 'muted' }, 'Week total '), ctx.total)),
      ctx.approvalEl,
      ctx.noProjects,
      buildGrid(ctx),
      ctx.empty,
      ctx.status,
      helpBox()));
  ctx.grid.el.hidden = true;

  state.onShortcut('[', () => goToWeek(ctx, addDays(ctx.week, -7)));
  state.onShortcut(']', () => goToWeek(ctx, addDays(ctx.week, 7)));
  state.onShortcut('a', () => openAddRow(ctx));
  // Alt+←/→ work inside a cell too (shortcuts.js leaves modified keys and fields alone).
  document.addEventListener('keydown', (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    if (document.querySelector('dialog[open]')) return;
    event.preventDefault();
    goToWeek(ctx, addDays(ctx.week, event.key === 'ArrowLeft' ? -7 : 7));
  }, { signal: state.signal });
  // Leaving the page (a link, back) saves the cell being typed in, as leaving the cell would.
  state.signal.addEventListener('abort', () => commitFocused(ctx), { once: true });
  onTimerChange((entry, info) => {
    if (info.source === 'start' || info.source === 'stop' || info.source === 'edit' || info.stopped) loadWeek(ctx, false);
  }, state.signal);

  ctx.access = loadAccess(ctx);
  loadWeek(ctx, true);
}

/** The Export menu shows when the week is someone's: one's own, or the person picked. */
function showExport(ctx) {
  if (ctx.exporter) ctx.exporter.el.hidden = !ctx.user && !has(ctx.state.me, 'track_time');
}

/** Projects (archived ones too) and archived clients: which rows may still take time. */
async function loadAccess(ctx) {
  const { state } = ctx;
  const items = (request) => request.then((r) => (r && r.items) || null, (err) => (api.isAbort(err) ? null : err));
  const [projects, clients] = await Promise.all([
    items(api.listProjects({ archived: true }, state.signal)),
    items(api.listClients({ archived: true }, state.signal)),
  ]);
  if (state.signal.aborted) return;
  if (Array.isArray(projects)) {
    for (const p of projects) ctx.projects.set(p.id, p);
    ctx.projectsLoaded = true;
  } else {
    ctx.projectsError = projects ? errorMessage(projects) : 'unknown error';
  }
  if (Array.isArray(clients)) for (const c of clients) if (c.archived) ctx.archivedClients.add(c.id);
  showNoProjects(ctx);
}

/** Whether the user may put new time on a project now, as the server said with it (`can.track`). */
function trackable(ctx, p) {
  return Boolean(p && p.can && p.can.track);
}

function rowAccess(ctx, spec) {
  if (weekLocked(ctx)) {
    return { readOnly: true, badge: 'locked', reason: `This week is ${ctx.sheet.approval.state}: its hours can no longer be changed` };
  }
  if (!ctx.projectsLoaded) return { readOnly: false };
  const p = ctx.projects.get(spec.project_id);
  if (p && (p.archived || (p.client_id && ctx.archivedClients.has(p.client_id)))) {
    return { readOnly: true, badge: 'archived', reason: 'This project is archived: its hours can be read but no longer changed' };
  }
  if (ctx.user && !writable(ctx, p)) {
    return { readOnly: true, badge: 'read-only', reason: 'You may read these hours but not change them' };
  }
  if (!ctx.user && !trackable(ctx, p)) return { readOnly: true, badge: 'read-only', reason: 'You are no longer a member of this project' };
  const task = spec.task_id && ctx.tasks.get(spec.task_id);
  if (task && task.archived) return { readOnly: true, badge: 'archived', reason: 'This task is archived: its hours can be read but no longer changed' };
  return { readOnly: false };
}

function showNoProjects(ctx) {
  const choices = [...ctx.projects.values()].filter((p) => writable(ctx, p));
  const none = ctx.projectsLoaded && choices.length === 0;
  for (const button of [ctx.addButton, ctx.emptyAdd]) button.disabled = none || Boolean(ctx.projectsError);
  // Someone else's week: nothing to say about one's own projects.
  ctx.noProjects.hidden = (!none || Boolean(ctx.user)) && !ctx.projectsError;
  ctx.noProjects.classList.toggle('notice-error', Boolean(ctx.projectsError));
  clear(ctx.noProjects);
  if (ctx.projectsError) {
    ctx.noProjects.append(h('p', { role: 'alert' }, `Projects could not be loaded: ${ctx.projectsError}`));
  } else if (none && !ctx.user) {
    ctx.addButton.title = 'There is no project to add time to';
    ctx.noProjects.append(
      h('p', { class: 'notice-title' }, 'There is no project to track time on'),
      has(ctx.state.me, 'manage_projects')
        ? h('p', {}, 'Time is always tracked on a project. ', h('a', { href: '/projects' }, 'Create a project'), ' first, then come back here.')
        : h('p', {}, 'Time is always tracked on a project. Ask a manager to add you to one.'));
  }
}

/** Learn which tasks in the week's rows are archived (their rows are read-only). */
async function loadTasks(ctx, rows) {
  const projects = new Set(rows.filter((r) => r.task_id).map((r) => r.project_id));
  const lists = await Promise.all([...projects].map((id) => projectTasks(ctx, id)));
  for (const list of lists) for (const t of list) ctx.tasks.set(t.id, t);
}

/**
 * Fetch the week and show it: `rebuild` starts the grid afresh (another week); otherwise the
 * answer updates the rows in place (a timer started or stopped elsewhere).
 */
async function loadWeek(ctx, rebuild) {
  const { state } = ctx;
  ctx.seq += 1;
  const seq = ctx.seq;
  const week = ctx.week;
  ctx.label.textContent = weekLabel(week);
  ctx.thisWeek.disabled = week === mondayOf(ctx.today);
  ctx.grid.el.classList.toggle('is-loading', rebuild);
  const stop = delayedSpinner(ctx.status);
  try {
    const sheet = await api.getTimesheet(ctx.user ? { week, user_id: ctx.user } : { week }, state.signal);
    await ctx.access;
    await loadTasks(ctx, sheet.rows);
    if (seq !== ctx.seq || state.signal.aborted) return;
    clear(ctx.status);
    if (rebuild || !ctx.grid.days.length) setWeek(ctx, sheet.days, ctx.today, ctx.nextDay);
    ctx.nextDay = null;
    showSheet(ctx, sheet);
    if (rebuild) scrollToToday(ctx);
    if (rebuild && ctx.refocus) refocus(ctx);
  } catch (err) {
    if (api.isAbort(err) || seq !== ctx.seq) return;
    clear(ctx.status);
    ctx.status.append(h('p', { class: 'form-error', role: 'alert' }, `This week could not be loaded: ${errorMessage(err)}`));
  } finally {
    stop();
    if (seq === ctx.seq) ctx.grid.el.classList.remove('is-loading');
  }
}

/** Show a week the server answered, if it is still the week on screen. */
function showSheet(ctx, sheet, committed) {
  if (sheet.week_start !== ctx.week || !ctx.grid.days.length || ctx.grid.days[0] !== sheet.week_start) return;
  const wasLocked = weekLocked(ctx);
  ctx.sheet = sheet;
  if (ctx.grid.rows.size && wasLocked !== weekLocked(ctx)) {
    // Locked or reopened meanwhile: the rows are built again, read-only or not.
    setWeek(ctx, sheet.days, ctx.today, ctx.grid.day);
  }
  applySheet(ctx, sheet, committed);
  showApproval(ctx, sheet, () => loadWeek(ctx, false));
  ctx.intro.textContent = ctx.user
    ? `${sheet.user_name}’s hours per project and day, in their time zone${sheet.can_edit ? ' · your changes are recorded as yours' : ' · read only'}`
    : `Your hours per project and day · days in ${ctx.zone.replaceAll('_', ' ')}`;
  if (weekLocked(ctx)) {
    for (const button of [ctx.addButton, ctx.emptyAdd]) button.disabled = true;
  } else if (ctx.projectsLoaded || ctx.projectsError) {
    showNoProjects(ctx);
  }
  ctx.total.textContent = formatDuration(sheet.total);
  ctx.total.title = decimalHours(sheet.total);
  const any = ctx.grid.rows.size > 0;
  ctx.grid.el.hidden = !any;
  ctx.empty.hidden = any;
}

/** When the whole week does not fit (a narrow window, not a phone), bring today's column into view. */
function scrollToToday(ctx) {
  const wrap = ctx.grid.el;
  const day = ctx.grid.days.indexOf(ctx.today);
  if (day < 0 || wrap.scrollWidth <= wrap.clientWidth) {
    wrap.scrollLeft = 0;
    return;
  }
  const th = ctx.grid.head.children[day + 1];
  const sticky = ctx.grid.head.children[0].offsetWidth;
  if (th.offsetLeft + th.offsetWidth > wrap.clientWidth) wrap.scrollLeft = th.offsetLeft - sticky;
}

/** Keep the cursor in the grid when the week changed from inside a cell: same row, or the first. */
function refocus(ctx) {
  const { key, day } = ctx.refocus;
  ctx.refocus = null;
  const first = ctx.grid.tbody.querySelector('tr.ts-row');
  const row = ctx.grid.rows.get(key) || (first && ctx.grid.rows.get(first.dataset.key));
  if (row) focusCell(ctx, row, day);
  else ctx.label.focus();
}

/**
 * Show another week, and remember it in the URL (a new history entry). `day` (0–6) is the day a
 * phone shows in it; by default today, or the same weekday as before.
 */
function goToWeek(ctx, monday, day = null) {
  if (monday === ctx.week) return;
  ctx.nextDay = day;
  const cell = ctx.grid.focused;
  ctx.refocus = cell && document.activeElement === cell.input ? { key: cell.row.key, day: cell.day } : null;
  commitFocused(ctx);
  history.pushState(null, '', timesheetPath(ctx, monday));
  ctx.week = monday;
  loadWeek(ctx, true);
}

/** The page's URL for the week of `monday` (and the person shown, if not oneself). */
function timesheetPath(ctx, monday) {
  return `/timesheet?week=${monday}${ctx.user ? `&user=${encodeURIComponent(ctx.user)}` : ''}`;
}

/**
 * Whether time on `p` may be added or changed in the week shown: one's own on a project one
 * tracks on; someone else's, as a manager of the project (or an admin) of one of its members.
 */
function writable(ctx, p) {
  if (!ctx.user) return trackable(ctx, p);
  const canEdit = Boolean(ctx.sheet && ctx.sheet.can_edit && p && p.can && p.can.edit);
  const member = Boolean(p && [...(p.member_ids || []), ...(p.manager_ids || [])].includes(ctx.user));
  return canEdit && member && !p.archived;
}

/** Ask for a project (and optionally a task) and add its row to the week, empty. */
async function openAddRow(ctx) {
  await ctx.access;
  if (ctx.addButton.disabled || ctx.state.signal.aborted || document.querySelector('dialog[open]')) return;
  const choices = [...ctx.projects.values()].filter((p) => writable(ctx, p));
  const select = projectSelect(choices, ctx.lastProject || '', 'Choose a project');
  const projectField = field({ label: 'Project', name: 'project_id', control: select });
  const wrap = h('div', { class: 'select-wrap' });
  select.replaceWith(wrap);
  wrap.append(selectDot(select), select);
  const task = taskPicker(ctx, { label: 'Task (optional)' });
  task.setProject(select.value);
  const form = h('form', { class: 'form', novalidate: true },
    projectField,
    task.field,
    h('p', { class: 'field-hint' }, `The row is added to the week of ${weekLabel(ctx.week)}. It is saved once you type hours into it.`),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add row')));
  select.addEventListener('change', () => {
    setFieldError(form, 'project_id', '');
    task.setProject(select.value);
  });
  const dlg = openDialog({ title: 'Add a row', content: form });
  select.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const project = ctx.projects.get(select.value);
    if (!project) {
      setFieldError(form, 'project_id', 'Choose a project');
      select.focus();
      return;
    }
    const taskId = task.value();
    const taskDto = taskId ? (await projectTasks(ctx, project.id)).find((t) => t.id === taskId) : null;
    ctx.lastProject = project.id;
    dlg.close();
    addRow(ctx, {
      project_id: project.id,
      project_name: project.name,
      project_color: project.color,
      task_id: taskDto ? taskDto.id : null,
      task_title: taskDto ? taskDto.title : null,
    });
  });
}

/** Add (or find) a row in the grid shown and put the cursor in it: today, or Monday. */
function addRow(ctx, spec) {
  if (!ctx.grid.days.length) return;
  const row = ctx.grid.rows.get(rowKey(spec.project_id, spec.task_id)) || insertRow(ctx, spec);
  ctx.grid.el.hidden = false;
  ctx.empty.hidden = true;
  // A phone shows one day: that one. Else today, or Monday.
  const today = ctx.grid.days.indexOf(ctx.today);
  const day = oneDayAtATime() ? ctx.grid.day : Math.max(0, today);
  // After the dialog has handed focus back to the button that opened it.
  setTimeout(() => focusCell(ctx, row, day), 0);
}

function helpBox() {
  const kbd = (k) => h('kbd', {}, k);
  const code = (c) => h('code', {}, c);
  return h('details', { class: 'ts-help' },
    h('summary', {}, 'Typing hours, and keyboard shortcuts'),
    h('ul', {},
      h('li', {}, 'Type ', code('1.5'), ', ', code('1,5'), ', ', code('1:30'), ', ', code('90m'), ', ', code('1h30'), ' or ', code('1h'),
        '; an empty cell or ', code('0'), ' means no time. ', kbd('Enter'), ', ', kbd('Tab'), ' or leaving the cell saves it; ',
        kbd('Esc'), ' puts back what was saved.'),
      h('li', {}, kbd('↑'), kbd('↓'), ' move between rows; ', kbd('←'), kbd('→'),
        ' move between days when the cursor is at the start or end of the cell, or all of it is selected; with ', kbd('Ctrl'), ' they always do.'),
      h('li', {}, kbd('['), kbd(']'), ' or ', kbd('Alt'), '+', kbd('←'), ' ', kbd('Alt'), '+', kbd('→'), ' show the previous or next week; ',
        kbd('a'), ' adds a row.'),
      h('li', {}, 'On a phone the week shows one day at a time: the day buttons (each with its total) and ', kbd('‹'), ' ', kbd('›'),
        ' change the day, and each row keeps its week total.'),
      h('li', {}, 'An empty cell you fill becomes an entry starting at 09:00; changing a cell lengthens or shortens that day’s latest entry. ',
        'For notes, tags or several entries a day, use ', h('a', { href: '/entries' }, 'Entries'), '.')));
}
