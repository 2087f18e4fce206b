// views/clients.js — the clients that projects belong to: name, notes, how many projects,
// and whether they are archived. Admins and managers create, edit, archive and unarchive
// them; members and auditors read. Archived clients show behind "Show archived".

import { h, qs, uid } from '../dom.js';
import * as api from '../api.js';
import {
  pageHeader, field, formError, busy, clearErrors, setFieldError, showApiError, openDialog, toast,
  errorMessage, delayedSpinner,
} from '../ui.js';
import { has } from '../capabilities.js';

/**
 * Render the clients page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, setQuery, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const me = state.me;
  const ctx = {
    state,
    // May create clients (admins and managers); each client's `can` says what may change on it.
    canEdit: has(me, 'manage_projects'),
    // Admins and auditors see every project; the others only their own, so their counts are partial.
    seesAllProjects: has(me, 'read_all_projects'),
    showArchived: state.query.get('archived') === '1',
    clients: [],
    projectCounts: new Map(),
  };
  root.appendChild(pageHeader('Clients', ctx.canEdit
    ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openClientForm(ctx, null) }, 'New client')
    : null));
  root.appendChild(h('p', { class: 'page-intro muted' },
    'Clients group projects; the Entries page can show the time of one client. Archiving a client keeps its time but its projects take no new entries.',
    ctx.seesAllProjects ? null : ' Project counts include only the projects you can see.'));

  const toggleId = uid('show-archived');
  ctx.toggle = h('input', {
    type: 'checkbox', id: toggleId, checked: ctx.showArchived,
    onchange: (event) => {
      ctx.showArchived = event.currentTarget.checked;
      const params = new URLSearchParams(state.query);
      if (ctx.showArchived) params.set('archived', '1');
      else params.delete('archived');
      state.setQuery(params);
      fill(ctx);
    },
  });
  ctx.archivedNote = h('span', { class: 'muted small' });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table clients-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Clients, ordered by name'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Client'),
      h('th', { scope: 'col' }, 'Notes'),
      h('th', { scope: 'col', class: 'num' }, 'Projects'),
      h('th', { scope: 'col' }, 'Status'),
      ctx.canEdit ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  root.append(
    h('div', { class: 'toolbar' }, h('div', { class: 'check' }, ctx.toggle, h('label', { for: toggleId }, 'Show archived clients')), ctx.archivedNote),
    h('div', { class: 'table-wrap' }, ctx.table), ctx.empty, ctx.status);
  load(ctx);
}

async function load(ctx) {
  const { state } = ctx;
  const stop = delayedSpinner(ctx.status);
  try {
    const [clients, projects] = await Promise.all([
      api.listClients({ archived: true }, state.signal),
      api.listProjects({ archived: true }, state.signal).catch((err) => {
        if (api.isAbort(err)) throw err;
        return null;
      }),
    ]);
    ctx.status.replaceChildren();
    ctx.clients = clients.items;
    ctx.projectCounts = projects ? countProjects(projects.items) : null;
    fill(ctx);
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

function countProjects(projects) {
  const counts = new Map();
  for (const p of projects) {
    if (!p.client_id) continue;
    const c = counts.get(p.client_id) || { open: 0, archived: 0 };
    if (p.archived) c.archived += 1;
    else c.open += 1;
    counts.set(p.client_id, c);
  }
  return counts;
}

function fill(ctx) {
  // Open clients first, then archived ones, each by name (as the server orders them).
  const open = ctx.clients.filter((c) => !c.archived);
  const archived = ctx.clients.filter((c) => c.archived);
  const shown = ctx.showArchived ? [...open, ...archived] : open;
  ctx.tbody.replaceChildren(...shown.map((c) => clientRow(ctx, c)));
  ctx.archivedNote.textContent = !ctx.showArchived && archived.length
    ? `${archived.length} archived client${archived.length === 1 ? '' : 's'} hidden` : '';
  const none = shown.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  ctx.empty.replaceChildren();
  if (!none) return;
  if (archived.length && !ctx.showArchived) {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'Every client is archived'),
      h('p', {}, 'Tick Show archived clients to see them.'));
  } else if (ctx.canEdit) {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No clients yet'),
      h('p', {}, 'Clients group projects, and the Entries page can show the time of one client. Add the first with New client, then choose it on a project.'));
  } else {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No clients yet'),
      h('p', {}, 'Clients group projects, and the Entries page can show the time of one client. Admins and managers add them.'));
  }
}

function replaceClient(ctx, client) {
  const index = ctx.clients.findIndex((c) => c.id === client.id);
  if (index >= 0) ctx.clients[index] = client;
  else ctx.clients.push(client);
  ctx.clients.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  fill(ctx);
  const row = ctx.tbody.querySelector(`tr[data-id="${CSS.escape(client.id)}"]`);
  return row;
}

function projectsCell(ctx, client) {
  if (!ctx.projectCounts) return h('span', { class: 'muted' }, '—');
  const c = ctx.projectCounts.get(client.id) || { open: 0, archived: 0 };
  const total = c.open + c.archived;
  return h('span', { title: `${c.open} active, ${c.archived} archived` }, String(total));
}

function clientRow(ctx, client) {
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const rowError = h('p', { class: 'row-error', role: 'alert', hidden: true });
  const can = client.can || {};
  const actions = ctx.canEdit
    ? h('td', { class: 'cell-actions' },
      h('div', { class: 'row-actions' },
        can.edit ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Edit ${client.name}`, onclick: () => openClientForm(ctx, client) }, 'Edit') : null,
        can.archive ? h('button', {
          type: 'button', class: 'btn btn-small btn-toggle', 'aria-label': `${client.archived ? 'Unarchive' : 'Archive'} ${client.name}`,
          onclick: (event) => setArchived(ctx, client, !client.archived, event.currentTarget, rowError),
        }, client.archived ? 'Unarchive' : 'Archive') : null),
      rowError)
    : null;
  return h('tr', { dataset: { id: client.id }, class: client.archived ? 'is-archived' : '' },
    cell('Client', 'cell-client', client.name),
    cell('Notes', 'cell-notes', client.notes ? client.notes : h('span', { class: 'muted' }, '—')),
    cell('Projects', 'num', projectsCell(ctx, client)),
    cell('Status', 'nowrap', h('span', { class: client.archived ? 'badge badge-muted' : 'badge badge-on' }, client.archived ? 'Archived' : 'Active')),
    actions);
}

async function setArchived(ctx, client, archived, button, rowError) {
  rowError.hidden = true;
  try {
    const updated = await busy(button, () => api.updateClient(client.id, { archived }));
    const row = replaceClient(ctx, updated);
    toast(archived ? `${updated.name} is archived: its projects take no new time` : `${updated.name} is active again`);
    // Keep the keyboard where it was when the row is still shown.
    const again = row && qs('.btn-toggle', row);
    if (again) again.focus();
  } catch (err) {
    rowError.textContent = errorMessage(err);
    rowError.hidden = false;
  }
}

/**
 * Open the new-client (client = null) or edit-client dialog.
 *
 * @param {Object} ctx the clients page
 * @param {Object|null} client the ClientDto to edit, or null to create one
 * @returns {void}
 */
function openClientForm(ctx, client) {
  const creating = !client;
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Name', name: 'name', value: client ? client.name : '', required: true, attrs: { autocomplete: 'off' } }),
    field({
      label: 'Notes', name: 'notes', hint: 'Optional: a contact, a contract number, billing terms. Up to 2000 characters.',
      control: h('textarea', { rows: '4', value: client ? client.notes : '', class: 'notes-input' }),
    }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? 'Create client' : 'Save changes')));
  const dlg = openDialog({ title: creating ? 'New client' : `Edit ${client.name}`, content: form });
  qs('input[name="name"]', form).focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const body = { name: String(data.get('name') || '').trim(), notes: String(data.get('notes') || '').trim() };
    if (!body.name) {
      setFieldError(form, 'name', 'This field is required');
      qs('input[name="name"]', form).focus();
      return;
    }
    const button = qs('button[type="submit"]', form);
    try {
      if (creating) {
        const created = await busy(button, () => api.createClient(body));
        dlg.close();
        replaceClient(ctx, created);
        toast(`Client ${created.name} created`);
      } else {
        const changed = {};
        for (const key of ['name', 'notes']) if (body[key] !== client[key]) changed[key] = body[key];
        const updated = Object.keys(changed).length ? await busy(button, () => api.updateClient(client.id, changed)) : client;
        dlg.close();
        const row = replaceClient(ctx, updated);
        if (row) qs('button', row).focus();
        toast(`Saved changes to ${updated.name}`);
      }
    } catch (err) {
      showApiError(form, err);
    }
  });
}
