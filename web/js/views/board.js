// views/board.js — a project's task board at /projects/:id/board: three columns (Open,
// In progress, Done) of task cards. The project's members and managers (and admins) move a
// card with its Status menu (keyboard) or by dragging it to another column (mouse); the card
// moves only once the server has agreed. Auditors read. The task dialog is board-dialog.js.

import { h, qs, qsa, uid } from '../dom.js';
import * as api from '../api.js';
import { errorMessage, delayedSpinner, toast } from '../ui.js';
import { colorDot, ticketLink } from '../track.js';
import { has } from '../capabilities.js';
import { formatDuration, decimalHours } from '../time.js';
import { budgetBar } from './project-budget.js';
import { STATUSES, statusLabel, assigneeText, openTaskDialog, taskCan } from './board-dialog.js';

const EMPTY_TEXT = {
  open: 'No open tasks.',
  in_progress: 'Nothing in progress.',
  done: 'Nothing done yet.',
};

/**
 * Render the task board of the project named in the path.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, params.id, query, setQuery, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = {
    state,
    me: state.me,
    projectId: (state.params && state.params.id) || '',
    project: null,
    tasks: new Map(),
    people: new Map(),
    canEdit: false,
    showArchived: state.query.get('archived') === '1',
    columns: new Map(),
    /** Task id → the status its card should reach (moves queue up while one is saved). */
    moving: new Map(),
    dragging: null,
    /** Task id → its time against its estimate (`GET /projects/{id}/budget`), when readable. */
    use: new Map(),
    budget: null,
  };
  ctx.placeTask = (task) => placeTask(ctx, task);
  ctx.focusCard = (taskId) => focusCard(ctx, taskId);

  ctx.heading = h('h1', { tabindex: '-1', class: 'board-title' }, 'Task board');
  ctx.newButton = h('button', { type: 'button', class: 'btn btn-primary', hidden: true, onclick: () => openTaskDialog(ctx, null) }, 'New task');
  ctx.intro = h('p', { class: 'page-intro muted board-intro' });
  ctx.budgetLine = h('p', { class: 'board-budget', hidden: true });
  const archivedId = uid('show-archived');
  ctx.archivedToggle = h('input', {
    type: 'checkbox', id: archivedId, checked: ctx.showArchived,
    onchange: (event) => setShowArchived(ctx, event.currentTarget.checked),
  });
  ctx.board = h('div', { class: 'board', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.toolbar = h('div', { class: 'toolbar board-toolbar', hidden: true },
    h('div', { class: 'check' }, ctx.archivedToggle, h('label', { for: archivedId }, 'Show archived tasks')));
  root.append(
    h('p', { class: 'back-link' }, h('a', { href: '/projects' }, '← Projects')),
    h('div', { class: 'page-head' }, ctx.heading, ctx.newButton),
    ctx.intro,
    ctx.budgetLine,
    ctx.toolbar,
    ctx.status,
    ctx.board);
  for (const s of STATUSES) ctx.board.appendChild(column(ctx, s));
  load(ctx);
}

async function load(ctx) {
  const { state } = ctx;
  const stop = delayedSpinner(ctx.status);
  try {
    const [projects, tasks, people, budget] = await Promise.all([
      api.listProjects({ archived: true }, state.signal),
      api.listTasks(ctx.projectId, { archived: true }, state.signal),
      loadPeople(ctx),
      // Tracked time against the budget and the estimates: the board still works without it.
      api.getProjectBudget(ctx.projectId, state.signal).catch((err) => {
        if (api.isAbort(err)) throw err;
        return null;
      }),
    ]);
    ctx.budget = budget;
    if (budget) for (const t of budget.tasks) ctx.use.set(t.task_id, t);
    ctx.project = projects.items.find((p) => p.id === ctx.projectId) || null;
    if (!ctx.project) throw Object.assign(new Error('not visible'), { code: 'project.not_found', status: 404 });
    ctx.people = people;
    // The project's `can` says whether the caller works on its tasks (each task says it again).
    ctx.canEdit = Boolean(ctx.project.can && ctx.project.can.manage_tasks);
    for (const task of tasks.items) ctx.tasks.set(task.id, task);
    showProject(ctx);
    fillColumns(ctx);
  } catch (err) {
    if (api.isAbort(err)) return;
    showLoadError(ctx, err);
  } finally {
    stop();
  }
}

/** Those who may list users (admins) see everyone's name; others know only their own. */
async function loadPeople(ctx) {
  const people = new Map();
  if (!has(ctx.me, 'manage_users')) return people;
  try {
    let cursor;
    for (let n = 0; n < 20; n += 1) {
      const page = await api.listUsers({ limit: 100, cursor }, ctx.state.signal);
      for (const u of page.items) people.set(u.id, u.name);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
  } catch (err) {
    if (api.isAbort(err)) throw err;
    // Without the list the board still works, naming people the way non-admins see them.
  }
  return people;
}

function showLoadError(ctx, err) {
  ctx.status.replaceChildren();
  if (err.code === 'project.not_found' || err.code === 'request.invalid_parameter') {
    ctx.heading.textContent = 'Project not found';
    ctx.status.append(h('div', { class: 'empty' },
      h('p', { class: 'empty-title' }, 'There is no such project, or you cannot see it'),
      h('p', {}, 'Boards belong to projects. Open one from ', h('a', { href: '/projects' }, 'Projects'), '.')));
    return;
  }
  ctx.status.append(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
}

function showProject(ctx) {
  const p = ctx.project;
  document.title = `${p.name} board · OphionTT`;
  ctx.heading.replaceChildren(colorDot(p.color), h('span', {}, p.name), h('span', { class: 'board-kind' }, 'Task board'));
  if (p.archived) ctx.heading.append(h('span', { class: 'badge badge-muted' }, 'Archived project'));
  ctx.newButton.hidden = !ctx.canEdit;
  const parts = [];
  if (p.client_name) parts.push(`Client ${p.client_name}. `);
  if (ctx.canEdit) parts.push('Move a card with its Status menu, or drag it to another column. Open a card for details and comments.');
  else parts.push('Read only: your role can see this board but not change it. Open a card for details and comments.');
  ctx.intro.replaceChildren(...parts);
  ctx.budgetLine.hidden = !(ctx.budget && ctx.budget.budget);
  if (!ctx.budgetLine.hidden) ctx.budgetLine.replaceChildren(h('span', { class: 'muted' }, 'Budget'), budgetBar(ctx.budget));
  ctx.toolbar.hidden = false;
  ctx.board.hidden = false;
}

function setShowArchived(ctx, on) {
  ctx.showArchived = on;
  const params = new URLSearchParams(ctx.state.query);
  if (on) params.set('archived', '1');
  else params.delete('archived');
  ctx.state.setQuery(params);
  fillColumns(ctx);
}

function column(ctx, status) {
  const headingId = uid(`col-${status.value}`);
  const count = h('span', { class: 'board-count' }, '0');
  const list = h('ul', { class: 'board-cards', 'aria-labelledby': headingId });
  const empty = h('p', { class: 'board-empty' }, EMPTY_TEXT[status.value]);
  const section = h('section', { class: `board-col board-col-${status.value}`, 'aria-labelledby': headingId, dataset: { status: status.value } },
    h('h2', { class: 'board-col-title', id: headingId }, h('span', {}, status.label), ' ', count),
    list, empty);
  section.addEventListener('dragover', (event) => {
    const task = ctx.dragging && ctx.tasks.get(ctx.dragging);
    if (!task || task.status === status.value) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    section.classList.add('is-drop-target');
  });
  section.addEventListener('dragleave', (event) => {
    if (!section.contains(event.relatedTarget)) section.classList.remove('is-drop-target');
  });
  section.addEventListener('drop', (event) => {
    event.preventDefault();
    section.classList.remove('is-drop-target');
    const taskId = ctx.dragging || event.dataTransfer.getData('text/plain');
    if (ctx.tasks.has(taskId)) moveTask(ctx, taskId, status.value);
  });
  ctx.columns.set(status.value, { section, list, count, empty });
  return section;
}

function visible(ctx, task) {
  return ctx.showArchived || !task.archived;
}

/** Same order as the server: by title, ignoring case. */
function byTitle(a, b) {
  return a.title.toLowerCase().localeCompare(b.title.toLowerCase()) || a.id.localeCompare(b.id);
}

function fillColumns(ctx) {
  for (const [status, col] of ctx.columns) {
    const tasks = [...ctx.tasks.values()].filter((t) => t.status === status && visible(ctx, t)).sort(byTitle);
    col.list.replaceChildren(...tasks.map((t) => card(ctx, t)));
  }
  updateCounts(ctx);
}

function updateCounts(ctx) {
  for (const [status, col] of ctx.columns) {
    const n = col.list.children.length;
    col.count.textContent = String(n);
    col.count.setAttribute('aria-label', `${n} task${n === 1 ? '' : 's'}`);
    col.empty.hidden = n > 0;
    col.empty.textContent = status === 'open' && ctx.canEdit ? `${EMPTY_TEXT.open} Add one with New task.` : EMPTY_TEXT[status];
  }
}

/**
 * Put a task (new or changed, as the server answered) where it belongs: its card is
 * replaced in place or moved to its status column in title order, or removed when it
 * is archived and archived tasks are hidden. Focus inside the old card moves to the new one.
 */
function placeTask(ctx, task) {
  ctx.tasks.set(task.id, task);
  const old = cardOf(ctx, task.id);
  const focused = old && old.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  if (old) old.remove();
  if (visible(ctx, task)) {
    const col = ctx.columns.get(task.status);
    const next = card(ctx, task);
    const after = qsa('.task-card', col.list).find((el) => byTitle(task, ctx.tasks.get(el.dataset.id)) < 0);
    col.list.insertBefore(next, after || null);
    if (focused) qs(focused, next).focus();
  }
  updateCounts(ctx);
}

function focusKey(el) {
  if (el.matches('select')) return 'select';
  return '.task-card-title';
}

function cardOf(ctx, taskId) {
  return ctx.board.querySelector(`.task-card[data-id="${CSS.escape(taskId)}"]`);
}

function focusCard(ctx, taskId) {
  // Only when the dialog gave focus back to nothing in particular.
  if (document.activeElement && document.activeElement !== document.body) return;
  const el = cardOf(ctx, taskId);
  if (el) qs('.task-card-title', el).focus();
}

/**
 * A card's time: tracked against the estimate ("1:30 of 2:00 h · 75 %", amber from the warning
 * share on, red past it), the estimate alone while nothing is tracked, or the time tracked on a
 * task without one.
 */
function timeText(task, use) {
  const tracked = use ? use.tracked_seconds : 0;
  const estimate = task.estimate_secs;
  if (estimate === null || estimate === undefined) {
    return tracked ? h('span', { class: 'task-estimate', title: `Tracked ${decimalHours(tracked)}` }, `Tracked ${formatDuration(tracked)}`) : null;
  }
  if (!tracked) {
    return h('span', { class: 'task-estimate', title: `Estimate ${decimalHours(estimate)}, nothing tracked yet` }, `Estimate ${formatDuration(estimate)}`);
  }
  const u = use.usage;
  const percent = u ? u.percent : Math.round((100 * tracked) / estimate);
  const said = u && u.over ? ', over its estimate' : u && u.alert ? ', near its estimate' : '';
  return h('span', {
    class: `task-estimate${u && u.over ? ' estimate-over' : u && u.alert ? ' estimate-alert' : ''}`,
    title: `Tracked ${decimalHours(tracked)} of an estimate of ${decimalHours(estimate)}${said}`,
  }, `${formatDuration(tracked)} of ${formatDuration(estimate)} h · ${percent} %`);
}

function card(ctx, task) {
  const titleId = uid('task-title');
  const movable = taskCan(task, 'edit');
  const open = () => openTaskDialog(ctx, task.id);
  const comments = (task.comments || []).length;
  const meta = [
    h('span', { class: task.assignee_id ? 'task-assignee' : 'task-assignee muted' }, assigneeText(ctx, task.assignee_id)),
    timeText(task, ctx.use.get(task.id)),
    comments ? h('span', { class: 'task-comment-count' }, `${comments} comment${comments === 1 ? '' : 's'}`) : null,
    // The tickets its title names, as links (a link cannot sit inside the title's button).
    ...(task.tickets || []).filter((t) => /^https?:\/\//.test(t.url)).map((t) => ticketLink(t)),
  ];
  const el = h('li', {
    class: `task-card${task.archived ? ' is-archived' : ''}${ctx.moving.has(task.id) ? ' is-moving' : ''}`,
    dataset: { id: task.id }, 'aria-busy': ctx.moving.has(task.id) ? 'true' : null,
  },
  h('div', { class: 'task-card-head' },
    h('button', { type: 'button', class: 'task-card-title', id: titleId, onclick: open }, task.title),
    task.archived ? h('span', { class: 'badge badge-muted' }, 'Archived') : null),
  // Meta and the Status menu share one line, so a column shows many cards at once (#14).
  h('div', { class: 'task-card-foot' },
    h('p', { class: 'task-card-meta' }, meta),
    movable ? statusControl(ctx, task) : null));
  // The whole card opens the dialog for mouse users; the title button is the keyboard way.
  el.addEventListener('click', (event) => {
    if (!event.target.closest('button, select, label, a')) open();
  });
  if (movable) {
    el.draggable = true;
    el.addEventListener('dragstart', (event) => {
      ctx.dragging = task.id;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', task.id);
      el.classList.add('is-dragging');
    });
    el.addEventListener('dragend', () => {
      ctx.dragging = null;
      el.classList.remove('is-dragging');
      for (const col of ctx.columns.values()) col.section.classList.remove('is-drop-target');
    });
  }
  return el;
}

function statusControl(ctx, task) {
  const id = uid('task-status');
  const select = h('select', { id, class: 'task-status' },
    STATUSES.map((s) => h('option', { value: s.value, selected: s.value === (ctx.moving.get(task.id) || task.status) }, s.label)));
  select.addEventListener('change', () => moveTask(ctx, task.id, select.value));
  // A small menu whose value says the status; its label is for screen readers only.
  return h('div', { class: 'task-card-status' },
    h('label', { for: id, class: 'visually-hidden' }, `Status of ${task.title}`), select);
}

/**
 * Move a task to another column: PATCH its status, then move the card. A second move asked
 * for while the first is saved (arrow keys on the Status menu) is sent after it; on failure
 * the card stays where the server has it and a toast says why.
 */
async function moveTask(ctx, taskId, status) {
  const wasMoving = ctx.moving.has(taskId);
  ctx.moving.set(taskId, status);
  if (wasMoving) return;
  setMoving(ctx, taskId, true);
  try {
    for (;;) {
      const task = ctx.tasks.get(taskId);
      const want = ctx.moving.get(taskId);
      if (!task || task.status === want) break;
      try {
        const updated = await api.updateTask(taskId, { status: want });
        placeTask(ctx, updated);
        if (ctx.moving.get(taskId) === updated.status) toast(`Moved “${updated.title}” to ${statusLabel(updated.status)}`);
      } catch (err) {
        toast(`“${task.title}” was not moved: ${errorMessage(err)}`, 'error');
        ctx.moving.delete(taskId);
        placeTask(ctx, ctx.tasks.get(taskId));
        return;
      }
    }
  } finally {
    ctx.moving.delete(taskId);
    setMoving(ctx, taskId, false);
  }
}

function setMoving(ctx, taskId, on) {
  const el = cardOf(ctx, taskId);
  if (!el) return;
  el.classList.toggle('is-moving', on);
  if (on) el.setAttribute('aria-busy', 'true');
  else el.removeAttribute('aria-busy');
  const select = qs('select', el);
  if (select && !on) select.value = ctx.tasks.get(taskId).status;
}
