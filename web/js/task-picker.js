// task-picker.js — the optional "Task" select of the timer bar and the entry dialog: the
// chosen project's open tasks (plus the entry's own task, whatever its state). The field is
// hidden while the project has no task to offer.

import { h } from './dom.js';
import * as api from './api.js';
import { field } from './ui.js';

const STATUS_NOTE = { in_progress: ' (in progress)', done: ' (done)' };

/**
 * The tasks of a project, fetched once per page (`ctx.taskCache`).
 *
 * @param {{taskCache?:Map<string, Promise<Object[]>>, state?:{signal?:AbortSignal}}} ctx the page
 * @param {string} projectId the project
 * @returns {Promise<Object[]>} its TaskDto list, archived ones included; [] when unavailable
 */
export function projectTasks(ctx, projectId) {
  if (!projectId) return Promise.resolve([]);
  ctx.taskCache ||= new Map();
  if (!ctx.taskCache.has(projectId)) {
    const load = api.listTasks(projectId, { archived: true }, ctx.state && ctx.state.signal)
      .then((res) => res.items)
      .catch(() => {
        ctx.taskCache.delete(projectId);
        return [];
      });
    ctx.taskCache.set(projectId, load);
  }
  return ctx.taskCache.get(projectId);
}

/**
 * Build a Task field.
 *
 * @param {Object} ctx the page (see projectTasks)
 * @param {{label?:string}} [opts] options
 * @returns {{field:HTMLElement, select:HTMLSelectElement, value:function():(string|null),
 *   setProject:function(string, (string|null)=):Promise<void>}} the field and its controls
 */
export function taskPicker(ctx, opts = {}) {
  const select = h('select', {});
  const box = field({ label: opts.label || 'Task', name: 'task_id', control: select });
  box.hidden = true;
  let seq = 0;
  return {
    field: box,
    select,
    /** The chosen task id, or null for none. */
    value: () => select.value || null,
    /** Offer `projectId`'s tasks, preselecting `selected` (kept even when done or archived). */
    async setProject(projectId, selected = null) {
      seq += 1;
      const mine = seq;
      const tasks = await projectTasks(ctx, projectId);
      if (mine !== seq) return;
      const offered = tasks.filter((t) => t.id === selected || (!t.archived && t.status !== 'done'));
      select.replaceChildren(
        h('option', { value: '' }, 'No task'),
        ...offered.map((t) => h('option', { value: t.id }, `${t.title}${STATUS_NOTE[t.status] || ''}`)));
      select.value = offered.some((t) => t.id === selected) ? selected : '';
      box.hidden = offered.length === 0;
    },
  };
}
