// views/projects.js — the projects the user may see, with rate, members and status;
// admins and the project's managers create, edit, archive and unarchive them (dialog
// in project-dialog.js).

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner, busy, toast } from '../ui.js';
import { projectLabel, formatMoney } from '../track.js';
import { has } from '../capabilities.js';
import { openProjectForm } from './project-dialog.js';
import { openRates } from './project-rates.js';
import { budgetCell } from './project-budget.js';

/**
 * Render the projects page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const me = state.me;
  const ctx = {
    state,
    canCreate: has(me, 'manage_projects'),
    projects: [],
    reload: () => load(ctx),
    replaceProject: (project) => replaceRow(ctx, project),
  };
  root.appendChild(pageHeader('Projects', ctx.canCreate
    ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openProjectForm(ctx, null) }, 'New project')
    : null));
  root.appendChild(h('p', { class: 'page-intro muted' }, ctx.canCreate
    ? 'Time is always tracked on a project. Archived projects keep their time but take no new entries.'
    : 'The projects you can track time on or read. Archived projects keep their time but take no new entries.'));

  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table projects-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Projects, ordered by name'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Project'),
      h('th', { scope: 'col' }, 'Client'),
      h('th', { scope: 'col' }, 'Billable'),
      h('th', { scope: 'col', class: 'num' }, 'Hourly rate'),
      h('th', { scope: 'col' }, 'Budget'),
      h('th', { scope: 'col', class: 'num' }, 'Members'),
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  root.append(h('div', { class: 'table-wrap' }, ctx.table), ctx.empty, ctx.status);
  load(ctx);
}

async function load(ctx) {
  const { state } = ctx;
  const stop = delayedSpinner(ctx.status);
  try {
    const res = await api.listProjects({ archived: true }, state.signal);
    clear(ctx.status);
    ctx.projects = res.items;
    // Open projects first, each group by name (as the server orders them).
    const ordered = [...res.items.filter((p) => !p.archived), ...res.items.filter((p) => p.archived)];
    clear(ctx.tbody);
    for (const project of ordered) ctx.tbody.appendChild(projectRow(ctx, project));
    showEmpty(ctx);
  } catch (err) {
    if (api.isAbort(err)) return;
    clear(ctx.status);
    ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

function showEmpty(ctx) {
  const none = ctx.tbody.children.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  clear(ctx.empty);
  if (!none) return;
  if (ctx.canCreate) {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No projects yet'),
      h('p', {}, 'Time is always tracked on a project. Create the first one with New project and add the people who work on it.'));
  } else {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No projects for you yet'),
      h('p', {}, 'You see the projects you are a member of. Ask a manager to add you to one.'));
  }
}

function replaceRow(ctx, project) {
  const index = ctx.projects.findIndex((p) => p.id === project.id);
  if (index >= 0) ctx.projects[index] = project;
  else ctx.projects.push(project);
  const old = ctx.tbody.querySelector(`tr[data-id="${CSS.escape(project.id)}"]`);
  if (old) old.replaceWith(projectRow(ctx, project));
  else ctx.reload();
}

function projectRow(ctx, project) {
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const rowError = h('p', { class: 'row-error', role: 'alert', hidden: true });
  const members = new Set([...(project.member_ids || []), ...(project.manager_ids || [])]);
  const board = h('a', { class: 'btn btn-small', href: `/projects/${encodeURIComponent(project.id)}/board`, 'aria-label': `Task board of ${project.name}` }, 'Board');
  const actions = h('td', { class: 'cell-actions' }, h('div', { class: 'row-actions' }, board));
  const can = project.can || {};
  if (can.edit || can.archive) {
    actions.replaceChildren(h('div', { class: 'row-actions' },
      board,
      can.edit ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Edit ${project.name}`, onclick: () => openProjectForm(ctx, project) }, 'Edit') : null,
      can.archive ? h('button', {
        type: 'button', class: 'btn btn-small btn-toggle', 'aria-label': `${project.archived ? 'Unarchive' : 'Archive'} ${project.name}`,
        onclick: (event) => setArchived(ctx, project, !project.archived, event.currentTarget, rowError),
      }, project.archived ? 'Unarchive' : 'Archive') : null), rowError);
  }
  return h('tr', { dataset: { id: project.id }, class: project.archived ? 'is-archived' : '' },
    cell('Project', 'cell-project', projectLabel(project)),
    cell('Client', '', project.client_name || h('span', { class: 'muted' }, '—')),
    cell('Billable', 'nowrap', project.billable ? 'Billable' : h('span', { class: 'muted' }, 'Not billable')),
    cell('Hourly rate', 'num nowrap', rateCell(ctx, project)),
    cell('Budget', 'cell-budget', budgetCell(project, ctx.state.signal)),
    cell('Members', 'num', h('span', { title: `${(project.member_ids || []).length} members, ${(project.manager_ids || []).length} managers` }, String(members.size))),
    cell('Status', 'nowrap',
      h('span', { class: project.archived ? 'badge badge-muted' : 'badge badge-on' }, project.archived ? 'Archived' : 'Active')),
    actions);
}

/** The project's hourly rate, with its rate changes; for those who may edit it, a button that opens them. */
function rateCell(ctx, project) {
  const rate = project.rate_cents === null || project.rate_cents === undefined
    ? h('span', { class: 'muted' }, '—') : formatMoney(project.rate_cents, project.currency);
  const n = (project.rates || []).length;
  const changes = n ? h('span', { class: 'muted small' }, ` + ${n} change${n === 1 ? '' : 's'}`) : null;
  if (!(project.can && project.can.edit)) return h('span', {}, rate, changes);
  return h('button', {
    type: 'button', class: 'btn-link rate-link', 'aria-label': `Rates of ${project.name}`,
    title: 'Rate changes from a date, for the project, a member or a task', onclick: () => openRates(ctx, project),
  }, rate, changes || h('span', { class: 'muted small' }, ' · rates'));
}

async function setArchived(ctx, project, archived, button, rowError) {
  rowError.hidden = true;
  try {
    const updated = await busy(button, () => api.updateProject(project.id, { archived }));
    ctx.replaceProject(updated);
    toast(archived ? `${updated.name} is archived: it takes no new time` : `${updated.name} is open again`);
  } catch (err) {
    rowError.textContent = errorMessage(err);
    rowError.hidden = false;
  }
}
