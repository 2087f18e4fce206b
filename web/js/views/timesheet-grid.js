// views/timesheet-grid.js — the week grid of the Timesheet page: one row per project (and per
// task of it) × seven day cells you type hours into, row totals and a footer of day totals.
// A changed cell is sent alone (PUT /timesheet/cell) and the week the server answers is shown
// as it is: totals are never summed here. Errors stay at their cell. Used only by timesheet.js.
// On a phone (timesheet.css) the same table shows one day at a time: the day bar above it picks
// the day (`grid.day`), and the other days' columns are hidden. See: #14 (Phone).

import { h, qsa, clear, uid } from '../dom.js';
import * as api from '../api.js';
import { errorMessage, fieldMessage } from '../ui.js';
import { colorDot } from '../track.js';
import { formatDuration, decimalHours } from '../time.js';
import { parseDuration, PARSE_HINT } from '../timesheet-parse.js';
import { PROJECT_ERRORS } from './today-timer.js';

/** Columns of the grid: the row heading, seven days, the row total. */
const COLS = 9;
/** The phone layout of timesheet.css: one day at a time. */
const NARROW = window.matchMedia('(max-width: 699px)');

/**
 * Whether the grid shows one day at a time (a phone) rather than the whole week.
 *
 * @returns {boolean} true on a narrow screen
 */
export function oneDayAtATime() {
  return NARROW.matches;
}

const fmt = (opts) => new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });
const WEEKDAY_SHORT = fmt({ weekday: 'short' });
const WEEKDAY_LONG = fmt({ weekday: 'long' });
const MONTH_DAY = fmt({ month: 'short', day: 'numeric' });

/** YYYY-MM-DD as a Date at UTC midnight (only for formatting, never for arithmetic in a zone). */
const utcDate = (date) => new Date(`${date}T00:00:00Z`);

/**
 * The key of a row: its project and task (none for time on the project without a task).
 *
 * @param {string} projectId project id
 * @param {string|null} taskId task id, or null
 * @returns {string} the key
 */
export function rowKey(projectId, taskId) {
  return `${projectId}|${taskId || ''}`;
}

/**
 * Seconds as a cell shows them: h:mm, empty for none.
 *
 * @param {number} seconds whole seconds
 * @returns {string} text
 */
export function cellText(seconds) {
  return seconds > 0 ? formatDuration(seconds) : '';
}

/**
 * Build the (empty) grid; `ctx.grid` holds its state.
 *
 * @param {{state:Object, rowAccess:function(Object):{readOnly:boolean, badge?:string, reason?:string},
 *          onSheet:function(Object, Object):void}} ctx the page: who may edit which row, and where
 *   an answered week goes
 * @returns {HTMLElement} the scrolling wrapper around the table
 */
export function buildGrid(ctx) {
  const g = {
    rows: new Map(),
    days: [],
    dayLabels: [],
    dayShort: [],
    queue: Promise.resolve(),
    focused: null,
  };
  ctx.grid = g;
  g.head = h('tr', {});
  g.tbody = h('tbody', {});
  g.dayTotals = Array.from({ length: 7 }, () => h('td', { class: 'num' }));
  g.weekTotal = h('td', { class: 'num ts-total-cell' });
  g.live = h('p', { class: 'visually-hidden', role: 'status' });
  g.table = h('table', { class: 'ts-grid' },
    h('caption', { class: 'visually-hidden' }, 'Hours per project and task (rows) and day (columns)'),
    h('thead', {}, g.head),
    g.tbody,
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', class: 'ts-project' }, 'Total'), g.dayTotals, g.weekTotal)));
  g.el = h('div', { class: 'ts-wrap', dataset: { day: '0' } }, buildDayBar(ctx), g.table, g.live);
  // The messages under rows are laid out for the screen's width (renderRowErrors).
  NARROW.addEventListener('change', () => {
    for (const row of g.rows.values()) if (row.cells.some((c) => c.message)) renderRowErrors(ctx, row);
  }, { signal: ctx.state.signal });
  return g.el;
}

/**
 * The day bar of the phone layout: previous/next day around the day shown (with its total),
 * and the week's seven days to pick from, each with its total. Hidden on wide screens.
 */
function buildDayBar(ctx) {
  const g = ctx.grid;
  g.day = 0;
  const step = (by) => {
    const day = g.day + by;
    if (day >= 0 && day <= 6) {
      selectDay(ctx, day);
      announceDay(ctx);
    } else if (ctx.onWeekEdge) {
      ctx.onWeekEdge(by);
    }
  };
  const arrow = (label, glyph, by) => h('button', {
    type: 'button', class: 'btn ts-day-step', 'aria-label': label, title: label, onclick: () => step(by),
  }, h('span', { 'aria-hidden': 'true' }, glyph));
  g.dayName = h('span', { class: 'ts-day-name' });
  g.dayToday = h('span', { class: 'ts-day-today', hidden: true }, 'Today · ');
  g.dayTotal = h('span', { class: 'ts-day-sum' });
  g.picks = Array.from({ length: 7 }, (_, i) => {
    const pick = {
      dow: h('span', { class: 'ts-pick-dow' }),
      date: h('span', { class: 'visually-hidden' }),
      total: h('span', { class: 'ts-pick-total' }),
    };
    pick.button = h('button', {
      type: 'button', class: 'ts-pick', 'aria-pressed': 'false',
      onclick: () => {
        selectDay(ctx, i);
        announceDay(ctx);
      },
    }, pick.dow, pick.date, h('span', { class: 'visually-hidden' }, ', '), pick.total);
    return pick;
  });
  return h('div', { class: 'ts-daybar' },
    h('div', { class: 'ts-day-head' },
      arrow('Previous day', '‹', -1),
      h('p', { class: 'ts-day-title', 'aria-hidden': 'true' }, g.dayName, h('span', { class: 'ts-day-line' }, g.dayToday, g.dayTotal)),
      arrow('Next day', '›', 1)),
    h('div', { class: 'ts-picks', role: 'group', 'aria-label': 'Day' }, g.picks.map((p) => p.button)));
}

/**
 * Show one day of the week on a phone (on a wide screen every day is shown; the choice is kept
 * for when the screen narrows).
 *
 * @param {Object} ctx the page
 * @param {number} day 0 (Monday) to 6
 * @returns {void}
 */
export function selectDay(ctx, day) {
  const g = ctx.grid;
  g.day = Math.min(6, Math.max(0, day));
  g.el.dataset.day = String(g.day);
  g.picks.forEach((p, i) => p.button.setAttribute('aria-pressed', String(i === g.day)));
  showDayTotals(g);
}

/** The selected day's name and total in the day bar, and each day's total on its button. */
function showDayTotals(g) {
  const totals = g.dayTotals.map((td) => Number(td.dataset.seconds || 0));
  g.dayName.textContent = g.dayLabels[g.day] || '';
  g.dayToday.hidden = !g.days.length || g.days[g.day] !== g.today;
  g.dayTotal.textContent = formatDuration(totals[g.day] || 0);
  g.dayTotal.classList.toggle('is-zero', !totals[g.day]);
  g.picks.forEach((p, i) => {
    p.total.textContent = totals[i] ? formatDuration(totals[i]) : '–';
    p.total.classList.toggle('is-zero', !totals[i]);
    p.button.title = decimalHours(totals[i] || 0);
  });
}

/** Tell a screen reader which day is shown now, and its total. */
function announceDay(ctx) {
  const g = ctx.grid;
  g.live.textContent = `${g.dayLabels[g.day]}: ${formatDuration(Number(g.dayTotals[g.day].dataset.seconds || 0))}`;
}

/** Classes of a day's column: its index (the phone shows one, timesheet.css), today, weekend. */
function columnClass(g, i, today) {
  return ` ts-col ts-col-${i}${g.days[i] === today ? ' is-today' : ''}${i >= 5 ? ' is-weekend' : ''}`;
}

/**
 * Show another week: new day headings, and no rows until `applySheet` or `insertRow`.
 *
 * @param {Object} ctx the page (see buildGrid)
 * @param {string[]} days the seven dates, Monday first
 * @param {string} today today's date in the user's zone
 * @param {number|null} [day] the day a phone shows (0–6); else today in this week, else the
 *   same weekday as before
 * @returns {void}
 */
export function setWeek(ctx, days, today, day = null) {
  const g = ctx.grid;
  g.days = days.slice();
  g.today = today;
  g.dayShort = days.map((d) => `${WEEKDAY_SHORT.format(utcDate(d))} ${MONTH_DAY.format(utcDate(d))}`);
  g.dayLabels = days.map((d) => `${WEEKDAY_LONG.format(utcDate(d))} ${MONTH_DAY.format(utcDate(d))}`);
  g.head.replaceChildren(
    h('th', { scope: 'col', class: 'ts-project' }, 'Project'),
    ...days.map((d, i) => h('th', { scope: 'col', class: `ts-day num${columnClass(g, i, today)}` },
      h('span', { class: 'ts-dow' }, WEEKDAY_SHORT.format(utcDate(d))),
      h('span', { class: 'ts-date' }, MONTH_DAY.format(utcDate(d))),
      d === today ? h('span', { class: 'visually-hidden' }, ' (today)') : null)),
    h('th', { scope: 'col', class: 'num ts-total-cell' },
      h('span', { class: 'ts-total-week' }, 'Total'), h('span', { class: 'ts-total-day' }, 'Week')));
  g.dayTotals.forEach((td, i) => {
    td.className = `num ts-day-total${columnClass(g, i, today)}`;
    td.dataset.seconds = '0';
  });
  days.forEach((d, i) => {
    const pick = g.picks[i];
    pick.dow.textContent = WEEKDAY_SHORT.format(utcDate(d));
    pick.date.textContent = ` ${MONTH_DAY.format(utcDate(d))}${d === today ? ' (today)' : ''}`;
    pick.button.classList.toggle('is-today', d === today);
  });
  clear(g.tbody);
  g.rows.clear();
  g.focused = null;
  const todayIndex = days.indexOf(today);
  selectDay(ctx, day !== null ? day : todayIndex >= 0 ? todayIndex : g.day);
}

/** Order rows as the server does: project name, project, the task-less row first, task title. */
function compareRows(a, b) {
  const pairs = [
    [a.name.toLowerCase(), b.name.toLowerCase()],
    [a.project_id, b.project_id],
    [a.task_id ? 1 : 0, b.task_id ? 1 : 0],
    [(a.taskTitle || '').toLowerCase(), (b.taskTitle || '').toLowerCase()],
  ];
  for (const [x, y] of pairs) {
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** The rows in the order they are shown. */
function shownRows(g) {
  return qsa('tr.ts-row', g.tbody).map((tr) => g.rows.get(tr.dataset.key)).filter(Boolean);
}

/**
 * Add a row (from the server's week, or one the user added) in its sorted place. Rows stay
 * for the rest of the week shown, even when their time goes back to zero.
 *
 * @param {Object} ctx the page
 * @param {{project_id:string, project_name:string, project_color:string, task_id:string|null,
 *          task_title:string|null}} spec the row
 * @returns {Object} the row
 */
export function insertRow(ctx, spec) {
  const g = ctx.grid;
  const key = rowKey(spec.project_id, spec.task_id);
  if (g.rows.has(key)) return g.rows.get(key);
  const row = makeRow(ctx, spec, key);
  const next = shownRows(g).find((r) => compareRows(row, r) < 0);
  if (next) {
    g.tbody.insertBefore(row.tr, next.tr);
    g.tbody.insertBefore(row.errorTr, next.tr);
  } else {
    g.tbody.append(row.tr, row.errorTr);
  }
  g.rows.set(key, row);
  markContinued(g);
  return row;
}

/** A task row right under its project's rows names only the task. */
function markContinued(g) {
  let previous = null;
  for (const row of shownRows(g)) {
    row.tr.classList.toggle('is-continued', Boolean(row.task_id) && previous === row.project_id);
    previous = row.project_id;
  }
}

function makeRow(ctx, spec, key) {
  const g = ctx.grid;
  const access = ctx.rowAccess(spec);
  const row = {
    key,
    project_id: spec.project_id,
    task_id: spec.task_id || null,
    name: spec.project_name || 'Unknown project',
    taskTitle: spec.task_id ? spec.task_title || 'Deleted task' : null,
    readOnly: access.readOnly,
    reason: access.reason || 'Read-only',
  };
  row.label = row.task_id ? `${row.name} · ${row.taskTitle}` : row.name;
  row.totalEl = h('td', { class: 'num ts-row-total' });
  const heading = h('th', { scope: 'row', class: 'ts-project' },
    h('span', { class: 'ts-project-line' }, colorDot(spec.project_color), h('span', { class: 'ts-project-name' }, row.name)),
    row.task_id ? h('span', { class: 'ts-task-line' }, row.taskTitle) : null,
    access.readOnly ? h('span', { class: 'badge badge-muted ts-readonly', title: access.reason }, access.badge || 'read-only') : null);
  row.cells = g.days.map((date, i) => makeCell(ctx, row, i));
  row.tr = h('tr', {
    class: `ts-row${row.task_id ? ' ts-task-row' : ''}${row.readOnly ? ' is-readonly' : ''}`,
    dataset: { key, projectId: row.project_id, taskId: row.task_id || '' },
  }, heading, row.cells.map((c) => c.td), row.totalEl);
  row.errorTr = h('tr', { class: 'ts-error-row', hidden: true });
  row.totalEl.textContent = formatDuration(0);
  row.totalEl.classList.add('is-zero');
  return row;
}

function makeCell(ctx, row, day) {
  const g = ctx.grid;
  const cell = { row, day, date: g.days[day], saved: 0, message: '', link: null, failedText: null, sending: null };
  cell.errorId = uid('ts-error');
  cell.input = h('input', {
    type: 'text',
    class: 'ts-input',
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'done',
    'aria-label': `${row.label}, ${g.dayLabels[day]}`,
    readOnly: row.readOnly,
    // Read-only cells are skipped by Tab (the arrow keys still reach them).
    tabindex: row.readOnly ? '-1' : null,
    title: row.readOnly ? row.reason : null,
    dataset: { date: cell.date },
  });
  let clicked = false;
  cell.input.addEventListener('mousedown', () => { clicked = document.activeElement !== cell.input; });
  cell.input.addEventListener('mouseup', (event) => {
    // Keep the selection made on focus, so typing replaces the cell (as in a spreadsheet).
    if (clicked) event.preventDefault();
    clicked = false;
  });
  cell.input.addEventListener('focus', () => {
    g.focused = cell;
    // The day bar follows the cursor (it matters once the screen narrows).
    if (g.day !== cell.day) selectDay(ctx, cell.day);
    cell.input.select();
  });
  cell.input.addEventListener('blur', () => commitCell(ctx, cell, 'blur'));
  cell.input.addEventListener('keydown', (event) => handleCellKey(ctx, cell, event));
  cell.td = h('td', { class: `ts-cell${columnClass(g, day, g.today)}` }, cell.input);
  return cell;
}

function handleCellKey(ctx, cell, event) {
  const input = cell.input;
  const { key } = event;
  if (key === 'Enter') {
    event.preventDefault();
    commitCell(ctx, cell, 'enter');
    input.select();
  } else if (key === 'Escape') {
    if (input.value.trim() !== cellText(cell.saved) || cell.message) {
      event.preventDefault();
      revertCell(ctx, cell);
    }
  } else if ((key === 'ArrowUp' || key === 'ArrowDown') && !event.altKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    moveFrom(ctx, cell, key === 'ArrowUp' ? -1 : 1, 0);
  } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && !event.altKey && !event.metaKey && !event.shiftKey) {
    const left = key === 'ArrowLeft';
    const { selectionStart: start, selectionEnd: end, value } = input;
    const all = start === 0 && end === value.length;
    const atEdge = left ? start === 0 && end === 0 : start === value.length && end === value.length;
    if (event.ctrlKey || all || atEdge) {
      event.preventDefault();
      moveFrom(ctx, cell, 0, left ? -1 : 1);
    }
  }
}

/**
 * Focus the cell `rows` rows and `days` days away (staying inside the grid); on a phone, moving
 * to another day shows that day.
 */
function moveFrom(ctx, cell, rows, days) {
  const list = shownRows(ctx.grid);
  const r = Math.min(list.length - 1, Math.max(0, list.indexOf(cell.row) + rows));
  const d = Math.min(6, Math.max(0, cell.day + days));
  const target = list[r] && list[r].cells[d];
  if (target && target !== cell) focusCell(ctx, target.row, d);
}

/**
 * Focus a day cell of a row (on a phone, showing that day first: a hidden cell takes no focus).
 *
 * @param {Object} ctx the page
 * @param {Object} row a row from insertRow
 * @param {number} day 0 (Monday) to 6
 * @returns {void}
 */
export function focusCell(ctx, row, day) {
  const d = Math.min(6, Math.max(0, day));
  if (ctx.grid.day !== d) selectDay(ctx, d);
  row.cells[d].input.focus();
}

function revertCell(ctx, cell) {
  cell.input.value = cellText(cell.saved);
  cell.failedText = null;
  clearCellError(ctx, cell);
  cell.input.select();
}

/**
 * Save the focused cell if it holds a change (before the page moves to another week or away).
 *
 * @param {Object} ctx the page
 * @returns {void}
 */
export function commitFocused(ctx) {
  const cell = ctx.grid && ctx.grid.focused;
  if (cell && cell.input.isConnected && document.activeElement === cell.input) commitCell(ctx, cell, 'leave');
}

function commitCell(ctx, cell, how) {
  if (cell.row.readOnly) return;
  const text = cell.input.value.trim();
  if (text === cellText(cell.saved)) {
    if (cell.input.value !== text) cell.input.value = text;
    cell.failedText = null;
    clearCellError(ctx, cell);
    return;
  }
  const seconds = parseDuration(text);
  if (seconds === null) {
    cell.failedText = null;
    showCellError(ctx, cell, PARSE_HINT);
    return;
  }
  if (seconds === cell.saved) {
    cell.input.value = cellText(seconds);
    clearCellError(ctx, cell);
    return;
  }
  // The same text was refused already (shown at the cell), or is on its way: leaving the cell
  // does not send it again; Enter retries a refused one.
  if (text === cell.sending || (how !== 'enter' && text === cell.failedText)) return;
  clearCellError(ctx, cell);
  cell.sending = text;
  // One request at a time, in order: each answer is the whole week after that change.
  ctx.grid.queue = ctx.grid.queue.then(() => saveCell(ctx, cell, seconds, text));
}

async function saveCell(ctx, cell, seconds, text) {
  const { row } = cell;
  const body = { project_id: row.project_id, date: cell.date, seconds };
  if (row.task_id) body.task_id = row.task_id;
  if (ctx.user) body.user_id = ctx.user;
  cell.td.classList.add('is-saving');
  cell.input.setAttribute('aria-busy', 'true');
  try {
    const sheet = await api.setTimesheetCell(body);
    cell.failedText = null;
    cell.sending = null;
    ctx.onSheet(sheet, { cell, text });
    ctx.grid.live.textContent = `Saved ${row.label}, ${ctx.grid.dayLabels[cell.day]}: ${cellText(seconds) || 'no time'}`;
  } catch (err) {
    cell.sending = null;
    cell.failedText = text;
    const problem = cellProblem(err, cell);
    if (cell.input.isConnected) showCellError(ctx, cell, problem.text, problem.link);
    else ctx.state.toast(`${row.label}, ${cell.date}: ${problem.text}`, 'error');
  } finally {
    cell.td.classList.remove('is-saving');
    cell.input.removeAttribute('aria-busy');
  }
}

/** What to say at a cell the server refused, and where to fix it. */
function cellProblem(err, cell) {
  if (err.code === 'timesheet.cell_ambiguous') {
    const q = new URLSearchParams({ from: cell.date, to: cell.date, project_id: cell.row.project_id });
    if (cell.row.task_id) q.set('task_id', cell.row.task_id);
    return { text: `${err.detail || 'Several entries make up this cell'}.`, link: `/entries?${q}` };
  }
  if (err.fields && err.fields.seconds) return { text: fieldMessage(err.fields.seconds) };
  if (PROJECT_ERRORS[err.code]) return { text: PROJECT_ERRORS[err.code] };
  if (err.code === 'task.not_found') return { text: 'This task is archived or gone and takes no new time' };
  return { text: errorMessage(err) };
}

function showCellError(ctx, cell, text, link = null) {
  cell.message = text;
  cell.link = link;
  cell.input.setAttribute('aria-invalid', 'true');
  cell.input.setAttribute('aria-describedby', cell.errorId);
  cell.input.title = text;
  renderRowErrors(ctx, cell.row);
}

function clearCellError(ctx, cell) {
  if (!cell.message) return;
  cell.message = '';
  cell.link = null;
  cell.input.removeAttribute('aria-invalid');
  cell.input.removeAttribute('aria-describedby');
  cell.input.title = cell.saved ? decimalHours(cell.saved) : '';
  renderRowErrors(ctx, cell.row);
}

/**
 * The messages of a row's refused cells, in a line under the row: under the cell itself when
 * there is one, else one per cell naming its day.
 */
function renderRowErrors(ctx, row) {
  const bad = row.cells.filter((c) => c.message);
  clear(row.errorTr);
  row.errorTr.hidden = bad.length === 0;
  row.tr.classList.toggle('has-error', bad.length > 0);
  if (!bad.length) return;
  const message = (c, named) => h('p', { class: 'ts-error', id: c.errorId, role: 'alert' },
    named ? h('strong', {}, `${ctx.grid.dayShort[c.day]}: `) : null,
    c.message,
    c.link ? [' ', h('a', { href: c.link }, 'Edit these entries')] : null);
  // Several messages, or a phone (one day shown at a time, so a message may be about another
  // day): one line each, naming the day.
  if (bad.length > 1 || NARROW.matches) {
    // A phone's table has three columns (the row, the day, the week): a wider cell would add
    // empty ones.
    row.errorTr.append(h('td', { colspan: NARROW.matches ? 3 : COLS, class: 'ts-error-cell' },
      h('div', { class: 'ts-error-box' }, bad.map((c) => message(c, true)))));
    return;
  }
  const c = bad[0];
  const col = c.day + 1;
  // Early in the week the message starts under the cell; late in the week it ends there.
  if (c.day <= 3) {
    row.errorTr.append(h('td', { colspan: col, class: 'ts-error-pad' }), h('td', { colspan: COLS - col, class: 'ts-error-cell' }, message(c, false)));
  } else {
    row.errorTr.append(h('td', { colspan: col + 1, class: 'ts-error-cell is-end' }, message(c, false)), h('td', { colspan: COLS - col - 1, class: 'ts-error-pad' }));
  }
}

/**
 * Show a week the server answered: every row it names (new ones inserted), each cell's saved
 * time (a cell being typed in, or refused, keeps its text), row, day and week totals.
 *
 * @param {Object} ctx the page
 * @param {{rows:Object[], day_totals:number[], total:number}} sheet the week from the API
 * @param {{cell:Object, text:string}} [committed] the cell whose save this answers, and the text sent
 * @returns {void}
 */
export function applySheet(ctx, sheet, committed) {
  const g = ctx.grid;
  const byKey = new Map();
  for (const data of sheet.rows) {
    const key = rowKey(data.project_id, data.task_id);
    byKey.set(key, data);
    if (!g.rows.has(key)) insertRow(ctx, data);
  }
  for (const row of g.rows.values()) {
    const data = byKey.get(row.key);
    row.cells.forEach((cell, i) => setSaved(cell, data ? data.seconds[i] : 0, committed));
    const total = data ? data.total : 0;
    row.totalEl.textContent = formatDuration(total);
    row.totalEl.title = decimalHours(total);
    row.totalEl.classList.toggle('is-zero', !total);
  }
  g.dayTotals.forEach((td, i) => {
    td.textContent = formatDuration(sheet.day_totals[i]);
    td.title = decimalHours(sheet.day_totals[i]);
    td.classList.toggle('is-zero', !sheet.day_totals[i]);
    td.dataset.seconds = String(sheet.day_totals[i] || 0);
  });
  showDayTotals(g);
  g.weekTotal.textContent = formatDuration(sheet.total);
  g.weekTotal.title = decimalHours(sheet.total);
}

function setSaved(cell, seconds, committed) {
  const shown = cell.input.value.trim();
  const mine = committed && committed.cell === cell;
  // Text typed since (or refused) is the user's; leave it alone.
  const keep = mine ? shown !== committed.text : shown !== cellText(cell.saved) || Boolean(cell.message);
  cell.saved = seconds;
  const next = cellText(seconds);
  if (!keep && cell.input.value !== next) {
    cell.input.value = next;
    if (document.activeElement === cell.input) cell.input.select();
  }
  if (!cell.message && !cell.row.readOnly) cell.input.title = seconds ? decimalHours(seconds) : '';
  cell.td.classList.toggle('has-time', seconds > 0);
}
