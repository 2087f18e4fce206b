// views/board-dialog.js — the task dialog of the board: create a task, edit its title,
// description, status, assignee and estimate, archive it, and read or add to its comment
// thread. Read-only for people who may see the project but not work on it (auditors).
// Also the pieces the board's cards share with it: statuses, people's labels, estimates.
// Used by views/board.js; reports-budgets.js borrows the status names.

import { h, qs, uid } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, setFieldError, showApiError, openDialog, toast, formatInstant, errorMessage,
} from '../ui.js';
import { formatDuration, decimalHours } from '../time.js';

/** The board's columns, in order. */
export const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
];

/** Longest comment the server takes (docs/api.md: 1–1000 characters). */
const COMMENT_MAX = 1000;

/**
 * The readable name of a status.
 *
 * @param {string} status open, in_progress or done
 * @returns {string} e.g. "In progress"
 */
export function statusLabel(status) {
  const found = STATUSES.find((s) => s.value === status);
  return found ? found.label : status;
}

/**
 * How a person is named on the board. Admins can list users, so they see names; everyone
 * else only knows their own name, so the project's other people are "Teammate 1", "Teammate 2"
 * (numbered in the project's manager-then-member order, the same on every card and menu).
 *
 * @param {{me:Object, people:Map<string,string>, project:Object|null}} ctx the board
 * @param {string|null} userId a user id
 * @returns {{name:string, you:boolean, known:boolean}} the label, whether it is the caller,
 *   and whether it is a real name
 */
export function personLabel(ctx, userId) {
  if (userId === ctx.me.id) return { name: ctx.me.name, you: true, known: true };
  if (ctx.people.has(userId)) return { name: ctx.people.get(userId), you: false, known: true };
  const others = projectPeople(ctx).filter((id) => id !== ctx.me.id);
  const n = others.indexOf(userId);
  return { name: n >= 0 ? `Teammate ${n + 1}` : 'Someone outside the project', you: false, known: false };
}

/**
 * Everyone who may be assigned a task of the project: its managers, then its members.
 *
 * @param {{project:Object|null}} ctx the board
 * @returns {string[]} user ids, each once
 */
export function projectPeople(ctx) {
  const p = ctx.project || {};
  return [...new Set([...(p.manager_ids || []), ...(p.member_ids || [])])];
}

/**
 * The assignee line of a card.
 *
 * @param {Object} ctx the board
 * @param {string|null} assigneeId the task's assignee
 * @returns {string} e.g. "Assigned to you", "Assigned to Grace Hopper", "Unassigned"
 */
export function assigneeText(ctx, assigneeId) {
  if (!assigneeId) return 'Unassigned';
  const who = personLabel(ctx, assigneeId);
  if (who.you) return 'Assigned to you';
  return `Assigned to ${who.known ? who.name : who.name.toLowerCase()}`;
}

/**
 * Seconds from a typed estimate: hours as a decimal ("1.5", "2h"), h:mm ("1:30"),
 * minutes ("90m", "90 min") or both ("1h30", "1h 30m"). Empty means no estimate.
 *
 * @param {string} text what was typed
 * @returns {number|null|undefined} whole seconds (a multiple of 60), null for empty,
 *   undefined when it does not parse
 */
export function parseEstimate(text) {
  const t = String(text || '').trim().toLowerCase().replace(',', '.');
  if (!t) return null;
  let minutes;
  let m;
  if ((m = /^(\d{1,5}):([0-5]\d)$/.exec(t))) minutes = Number(m[1]) * 60 + Number(m[2]);
  else if ((m = /^(\d{1,5}(?:\.\d+)?)\s*(?:h|hours?)?$/.exec(t))) minutes = Math.round(Number(m[1]) * 60);
  else if ((m = /^(\d{1,6})\s*(?:m|min|mins|minutes?)$/.exec(t))) minutes = Number(m[1]);
  else if ((m = /^(\d{1,5})\s*h\s*(\d{1,2})\s*(?:m|min)?$/.exec(t)) && Number(m[2]) < 60) minutes = Number(m[1]) * 60 + Number(m[2]);
  else return undefined;
  return minutes * 60;
}

/**
 * Whether the caller may do `what` with a task, as the server said with it (`can`).
 *
 * @param {Object} task a TaskDto
 * @param {'edit'|'comment'} what the action
 * @returns {boolean} true when allowed
 */
export function taskCan(task, what) {
  return Boolean(task && task.can && task.can[what]);
}

/**
 * Open the dialog of a task (or of a new task, with taskId null).
 *
 * @param {{state:Object, me:Object, project:Object, tasks:Map<string,Object>, people:Map<string,string>,
 *          canEdit:boolean (the project's can.manage_tasks: New task), placeTask:function(Object):void, focusCard:function(string):void}} ctx the board
 * @param {string|null} taskId the task to show, or null to create one
 * @returns {void}
 */
export function openTaskDialog(ctx, taskId) {
  const task = taskId ? ctx.tasks.get(taskId) : null;
  if (taskId && !task) return;
  if (!task) {
    openEditor(ctx, null);
  } else if (taskCan(task, 'edit')) {
    openEditor(ctx, task);
  } else {
    openReader(ctx, task);
  }
}

function statusSelect(value) {
  return h('select', {}, STATUSES.map((s) => h('option', { value: s.value, selected: s.value === value }, s.label)));
}

function assigneeSelect(ctx, value) {
  const ids = projectPeople(ctx);
  if (value && !ids.includes(value)) ids.push(value);
  const options = ids.map((id) => {
    const who = personLabel(ctx, id);
    return { id, text: who.you ? `You (${who.name})` : who.name, you: who.you };
  });
  // You first, then the others by name (or by number).
  options.sort((a, b) => (b.you - a.you) || a.text.localeCompare(b.text, undefined, { numeric: true }));
  return h('select', {},
    h('option', { value: '' }, 'Unassigned'),
    options.map((o) => h('option', { value: o.id, selected: o.id === value }, o.text)));
}

function namesHint(ctx) {
  const hidden = projectPeople(ctx).some((id) => !personLabel(ctx, id).known);
  return hidden ? 'The project’s members and managers. Only admins see other people’s names.' : 'The project’s members and managers.';
}

function openEditor(ctx, task) {
  const creating = !task;
  const form = h('form', { class: 'form task-form', novalidate: true },
    field({ label: 'Title', name: 'title', value: task ? task.title : '', required: true, attrs: { autocomplete: 'off' } }),
    field({
      label: 'Description', name: 'description',
      control: h('textarea', { rows: '4', value: task ? task.description : '' }),
    }),
    h('div', { class: 'form-row' },
      field({ label: 'Assignee', name: 'assignee_id', control: assigneeSelect(ctx, task ? task.assignee_id : null), hint: namesHint(ctx) }),
      field({
        label: 'Estimate', name: 'estimate_secs', value: task && task.estimate_secs !== null ? formatDuration(task.estimate_secs) : '',
        hint: 'Hours: 1.5, 1:30 or 90m. Empty for none.', attrs: { autocomplete: 'off', spellcheck: 'false' },
      })),
    field({ label: 'Status', name: 'status', control: statusSelect(task ? task.status : 'open') }),
    formError(),
    h('div', { class: 'form-actions' },
      task ? h('button', {
        type: 'button', class: `btn task-archive${task.archived ? '' : ' btn-danger-quiet'}`, onclick: (event) => setArchived(event.currentTarget),
      }, task.archived ? 'Unarchive task' : 'Archive task') : null,
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? 'Create task' : 'Save changes')));
  const content = [
    task && task.archived ? h('p', { class: 'notice notice-quiet' }, 'This task is archived: it is hidden from the board and from the timer’s task menu.') : null,
    form,
    task ? commentsSection(ctx, task.id) : null,
  ];
  const dlg = openDialog({
    title: creating ? 'New task' : task.title, content, wide: true,
    onClose: () => { if (task) ctx.focusCard(task.id); },
  });
  qs('input[name="title"]', form).focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const body = {
      title: String(data.get('title') || '').trim(),
      description: String(data.get('description') || '').trim(),
      assignee_id: String(data.get('assignee_id') || '') || null,
      estimate_secs: parseEstimate(String(data.get('estimate_secs') || '')),
      status: String(data.get('status') || 'open'),
    };
    let bad = false;
    if (!body.title) bad = setFieldError(form, 'title', 'Give the task a title');
    if (body.estimate_secs === undefined) bad = setFieldError(form, 'estimate_secs', 'Enter hours like 1.5, 1:30 or 90m, or leave it empty');
    if (bad) {
      qs('[aria-invalid="true"]', form).focus();
      return;
    }
    const button = qs('button[type="submit"]', form);
    try {
      if (creating) {
        if (!body.description) delete body.description;
        if (body.assignee_id === null) delete body.assignee_id;
        if (body.estimate_secs === null) delete body.estimate_secs;
        const created = await busy(button, () => api.createTask(ctx.project.id, body));
        ctx.placeTask(created);
        dlg.close();
        ctx.focusCard(created.id);
        toast(`Task “${created.title}” added to ${statusLabel(created.status)}`);
      } else {
        const current = ctx.tasks.get(task.id) || task;
        const changed = {};
        for (const [key, value] of Object.entries(body)) if (value !== (current[key] ?? null)) changed[key] = value;
        const updated = Object.keys(changed).length ? await busy(button, () => api.updateTask(task.id, changed)) : current;
        ctx.placeTask(updated);
        dlg.close();
        toast(`Saved “${updated.title}”`);
      }
    } catch (err) {
      if (err.code === 'task.assignee_not_member') setFieldError(form, 'assignee_id', 'This person is no longer on the project; choose someone else');
      else if (err.code === 'task.not_found') showApiError(form, Object.assign(err, { detail: 'This task no longer exists, or you can no longer see it.' }));
      else showApiError(form, err);
    }
  });

  async function setArchived(button) {
    clearErrors(form);
    const archived = !(ctx.tasks.get(task.id) || task).archived;
    try {
      const updated = await busy(button, () => api.updateTask(task.id, { archived }));
      ctx.placeTask(updated);
      dlg.close();
      toast(archived
        ? `“${updated.title}” is archived. Tick Show archived to see it again.`
        : `“${updated.title}” is back on the board`);
    } catch (err) {
      showApiError(form, err);
    }
  }
}

function openReader(ctx, task) {
  const estimate = task.estimate_secs === null || task.estimate_secs === undefined ? null : task.estimate_secs;
  const content = [
    h('dl', { class: 'task-facts' },
      h('dt', {}, 'Status'), h('dd', {}, statusLabel(task.status), task.archived ? ' · archived' : ''),
      h('dt', {}, 'Assignee'), h('dd', {}, task.assignee_id ? personText(ctx, task.assignee_id) : 'Unassigned'),
      h('dt', {}, 'Estimate'), h('dd', {}, estimate === null ? h('span', { class: 'muted' }, 'None')
        : h('span', { title: decimalHours(estimate) }, formatDuration(estimate))),
      h('dt', {}, 'Created'), h('dd', {}, formatInstant(task.created_at, ctx.me.time_zone, 'zone'))),
    task.description ? h('p', { class: 'task-description' }, task.description) : h('p', { class: 'muted' }, 'No description.'),
    commentsSection(ctx, task.id),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dlg.close() }, 'Done')),
  ];
  const dlg = openDialog({ title: task.title, content, wide: true, onClose: () => ctx.focusCard(task.id) });
}

/** The comment thread of a task and, for those who may, the "Add comment" box. */
function commentsSection(ctx, taskId) {
  const headingId = uid('comments');
  const heading = h('h3', { id: headingId, class: 'comments-title' });
  const list = h('ol', { class: 'comments', 'aria-labelledby': headingId });
  const section = h('section', { class: 'task-comments', 'aria-labelledby': headingId }, heading, list);
  const may = taskCan(ctx.tasks.get(taskId), 'comment');
  const fill = () => {
    const task = ctx.tasks.get(taskId);
    const comments = (task && task.comments) || [];
    heading.textContent = comments.length ? `Comments (${comments.length})` : 'Comments';
    list.replaceChildren(...comments.map((c) => commentItem(ctx, c)));
    if (!comments.length) list.append(h('li', { class: 'comments-empty muted' }, may ? 'No comments yet. Add the first below.' : 'No comments yet.'));
  };
  fill();
  if (!may) return section;

  const text = h('textarea', { rows: '3' });
  const box = field({ label: 'Add comment', name: 'text', control: text, hint: `Up to ${COMMENT_MAX} characters.` });
  const hint = qs('.field-hint', box);
  const form = h('form', { class: 'comment-form', novalidate: true },
    box,
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn' }, 'Add comment')));
  section.append(form);
  text.addEventListener('input', () => {
    const n = [...text.value.trim()].length;
    hint.textContent = n ? `${n} of ${COMMENT_MAX} characters.` : `Up to ${COMMENT_MAX} characters.`;
    hint.classList.toggle('is-over', n > COMMENT_MAX);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const value = text.value.trim();
    const length = [...value].length;
    if (!length) {
      setFieldError(form, 'text', 'Write a comment first');
      text.focus();
      return;
    }
    if (length > COMMENT_MAX) {
      setFieldError(form, 'text', `A comment has at most ${COMMENT_MAX} characters; this one has ${length}. Shorten it.`);
      text.focus();
      return;
    }
    try {
      const updated = await busy(qs('button[type="submit"]', form), () => api.addTaskComment(taskId, { text: value }));
      ctx.placeTask(updated);
      fill();
      text.value = '';
      text.dispatchEvent(new Event('input'));
      text.focus();
      list.lastElementChild.scrollIntoView({ block: 'nearest' });
      toast('Comment added');
    } catch (err) {
      // A refused comment stays in the box; field errors sit under it.
      if (err.fields && err.fields.text) showApiError(form, err);
      else setFieldError(form, 'text', errorMessage(err));
    }
  });
  return section;
}

/** A person's label on its own: "Ada Lovelace (you)", "Grace Hopper", "Teammate 2". */
function personText(ctx, userId) {
  const who = personLabel(ctx, userId);
  return who.you ? `${who.name} (you)` : who.name;
}

function commentItem(ctx, comment) {
  const zone = ctx.me.time_zone;
  return h('li', { class: 'comment' },
    h('p', { class: 'comment-meta' },
      h('span', { class: 'comment-author' }, personText(ctx, comment.author_id)),
      h('time', { datetime: comment.at, title: formatInstant(comment.at, zone, 'zone') }, formatInstant(comment.at, zone, 'short'))),
    h('p', { class: 'comment-text' }, comment.text));
}
