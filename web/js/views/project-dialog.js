// views/project-dialog.js — create or edit a project: name, client (or a new one),
// colour, billable, hourly rate, currency, rounding and budget (project-billing.js) and members. Used only by views/projects.js.

import { h, qs, uid } from '../dom.js';
import * as api from '../api.js';
import { field, formError, busy, clearErrors, setFieldError, showApiError, openDialog, toast, errorMessage } from '../ui.js';
import { parseMoney } from '../track.js';
import { has } from '../capabilities.js';
import { billingFields } from './project-billing.js';

const NEW_CLIENT = '__new';
const PALETTE = ['#2f6fde', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#1098ad', '#c2255c', '#5f3dc4', '#868e96', '#f08c00'];
/** The roles of the people offered as members: those who track time (a choice of candidates, not a
 * rule about the caller, whose permissions come from the server). */
const TRACKERS = ['admin', 'manager', 'member'];

/**
 * Open the new-project (project = null) or edit-project dialog.
 *
 * @param {{state:Object, projects:Object[], reload:function():void, replaceProject:function(Object):void}} ctx the projects page
 * @param {Object|null} project the ProjectDto to edit, or null to create one
 * @returns {void}
 */
export function openProjectForm(ctx, project) {
  const creating = !project;
  const me = ctx.state.me;
  const initial = {
    name: project ? project.name : '',
    client_id: project ? project.client_id || '' : '',
    color: project ? project.color : PALETTE[ctx.projects.length % PALETTE.length],
    billable: project ? project.billable : true,
    rate: project && project.rate_cents !== null && project.rate_cents !== undefined ? (project.rate_cents / 100).toFixed(2) : '',
    currency: project ? project.currency : 'EUR',
    member_ids: project ? project.member_ids || [] : [me.id],
  };

  const clientSelect = h('select', {},
    h('option', { value: '' }, 'No client'),
    initial.client_id ? h('option', { value: initial.client_id, selected: true }, project.client_name || 'Current client') : null,
    h('option', { value: NEW_CLIENT }, 'New client…'));
  const newClient = h('div', { class: 'new-client', hidden: true },
    field({ label: 'New client name', name: 'client_name', attrs: { autocomplete: 'off' } }),
    h('button', { type: 'button', class: 'btn', onclick: () => addClient() }, 'Add client'));
  const billableId = uid('billable');
  const members = h('div', { class: 'checks' }, h('p', { class: 'muted small' }, 'Loading people…'));
  const membersField = h('fieldset', { class: 'field members' },
    h('legend', {}, 'Members'),
    h('p', { class: 'field-hint' }, 'The people who track time on this project.'),
    members,
    h('p', { class: 'field-error', hidden: true }));
  const billing = billingFields(project);
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Name', name: 'name', value: initial.name, required: true, attrs: { autocomplete: 'off' } }),
    field({ label: 'Client', name: 'client_id', control: clientSelect }),
    newClient,
    h('div', { class: 'form-row form-row-3' },
      field({ label: 'Colour', name: 'color', type: 'color', value: initial.color }),
      field({ label: 'Hourly rate', name: 'rate_cents', value: initial.rate, attrs: { inputmode: 'decimal', autocomplete: 'off', placeholder: '95.00' } }),
      field({ label: 'Currency', name: 'currency', value: initial.currency, attrs: { maxlength: '3', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' } })),
    h('div', { class: 'field check' },
      h('input', { type: 'checkbox', id: billableId, name: 'billable', checked: initial.billable }),
      h('label', { for: billableId }, 'Billable'),
      h('p', { class: 'field-hint' }, 'New time on this project counts as billable unless an entry says otherwise.')),
    billing.element,
    membersField,
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? 'Create project' : 'Save changes')));
  const dlg = openDialog({ title: creating ? 'New project' : `Edit ${project.name}`, content: form, wide: true });
  qs('input[name="name"]', form).focus();

  loadClients(ctx, clientSelect, initial.client_id);
  const people = loadMembers(ctx, members, initial.member_ids);
  const clientName = qs('input[name="client_name"]', newClient);

  clientSelect.addEventListener('change', () => {
    newClient.hidden = clientSelect.value !== NEW_CLIENT;
    if (!newClient.hidden) clientName.focus();
  });
  clientName.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addClient();
    }
  });

  /** POST the typed client, select it; resolves to its id, or null when it could not be made. */
  async function addClient() {
    setFieldError(form, 'client_name', '');
    const name = clientName.value.trim();
    if (!name) {
      setFieldError(form, 'client_name', 'Enter the new client’s name');
      clientName.focus();
      return null;
    }
    try {
      const client = await busy(qs('button', newClient), () => api.createClient({ name }));
      clientSelect.insertBefore(h('option', { value: client.id }, client.name), clientSelect.lastElementChild);
      clientSelect.value = client.id;
      newClient.hidden = true;
      clientName.value = '';
      toast(`Client ${client.name} added`);
      return client.id;
    } catch (err) {
      setFieldError(form, 'client_name', err.fields && err.fields.name ? err.fields.name.message || 'Enter a name' : errorMessage(err));
      return null;
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const values = {
      name: String(data.get('name') || '').trim(),
      client_id: String(data.get('client_id') || ''),
      color: String(data.get('color') || '').toLowerCase(),
      billable: data.get('billable') === 'on',
      rate: String(data.get('rate_cents') || '').trim(),
      currency: String(data.get('currency') || '').trim().toUpperCase(),
      // Until the checkboxes are there, the members stay as they were.
      member_ids: people.ready ? [...data.getAll('member_ids').map(String), ...people.extra] : initial.member_ids,
    };
    const rateCents = parseMoney(values.rate);
    let bad = false;
    if (!values.name) bad = setFieldError(form, 'name', 'This field is required');
    if (rateCents === undefined) bad = setFieldError(form, 'rate_cents', 'Enter an amount like 95 or 95.50, or leave it empty');
    if (!/^[A-Z]{3}$/.test(values.currency)) bad = setFieldError(form, 'currency', 'Use a three-letter currency code, like EUR');
    const terms = billing.read(form);
    if (!terms) bad = true;
    if (bad) return;
    if (values.client_id === NEW_CLIENT) {
      values.client_id = await addClient();
      if (!values.client_id) return;
    }
    const body = {
      name: values.name,
      client_id: values.client_id || null,
      color: values.color,
      billable: values.billable,
      rate_cents: rateCents,
      currency: values.currency,
      member_ids: values.member_ids,
      rounding: terms.rounding,
      budget: terms.budget,
    };
    const button = qs('button[type="submit"]', form);
    try {
      if (creating) {
        if (!body.client_id) delete body.client_id;
        if (body.rate_cents === null) delete body.rate_cents;
        if (body.rounding === null) delete body.rounding;
        if (body.budget === null) delete body.budget;
        const created = await busy(button, () => api.createProject(body));
        dlg.close();
        toast(`Project ${created.name} created`);
        ctx.reload();
      } else {
        const changed = changes(project, body);
        const updated = Object.keys(changed).length ? await busy(button, () => api.updateProject(project.id, changed)) : project;
        dlg.close();
        toast(`Saved changes to ${updated.name}`);
        ctx.replaceProject(updated);
      }
    } catch (err) {
      if (err.code === 'client.not_found') setFieldError(form, 'client_id', 'This client no longer exists; choose another');
      else showApiError(form, err);
    }
  });
}

/** The fields of `body` that differ from the project (member lists compared as sets). */
function changes(project, body) {
  const out = {};
  for (const [key, value] of Object.entries(body)) {
    const before = project[key] === undefined ? null : project[key];
    if (key === 'member_ids') {
      const a = [...new Set(value)].sort().join();
      const b = [...new Set(before || [])].sort().join();
      if (a !== b) out[key] = [...new Set(value)];
    } else if (value !== null && typeof value === 'object') {
      // A budget: the same limit and share is no change (the server fills the share in).
      const same = before && Object.keys(value).every((k) => value[k] === before[k]);
      if (!same) out[key] = value;
    } else if (value !== before) {
      out[key] = value;
    }
  }
  return out;
}

async function loadClients(ctx, select, selected) {
  try {
    const res = await api.listClients({}, ctx.state.signal);
    const keep = select.value;
    const options = res.items.filter((c) => c.id !== selected).map((c) => h('option', { value: c.id }, c.name));
    // "No client", [current], the clients by name, "New client…" last.
    for (const option of options) select.insertBefore(option, select.lastElementChild);
    const sorted = Array.from(select.options).slice(1, -1).sort((a, b) => a.text.localeCompare(b.text));
    for (const option of sorted) select.insertBefore(option, select.lastElementChild);
    select.value = keep;
  } catch {
    // The select still offers "No client", the current client and "New client…".
  }
}

/**
 * Fill the members checkboxes. Those who may list users (admins) choose among everyone who tracks
 * time; a manager (who cannot list users) sees only themselves, and the other members are kept as
 * they are.
 *
 * @returns {{ready:boolean, extra:string[]}} whether the checkboxes are filled, and the member ids
 *   that have no checkbox here and must be kept
 */
function loadMembers(ctx, box, selected) {
  const me = ctx.state.me;
  const people = { ready: false, extra: [] };
  const extra = people.extra;
  const check = (user, checked) => {
    const id = uid('member');
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: 'member_ids', value: user.id, checked }),
      h('label', { for: id }, user.name, h('span', { class: 'muted small' }, ` ${user.email}`)));
  };
  if (!has(me, 'manage_users')) {
    extra.push(...selected.filter((id) => id !== me.id));
    box.replaceChildren(check(me, selected.includes(me.id)));
    if (extra.length) box.append(h('p', { class: 'muted small' }, `and ${extra.length} other member${extra.length === 1 ? '' : 's'} (kept as they are)`));
    people.ready = true;
    return people;
  }
  (async () => {
    const users = [];
    let cursor;
    for (let n = 0; n < 20; n += 1) {
      const page = await api.listUsers({ limit: 100, cursor }, ctx.state.signal);
      users.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const shown = users.filter((u) => selected.includes(u.id) || (TRACKERS.includes(u.role) && !u.disabled));
    shown.sort((a, b) => a.name.localeCompare(b.name));
    box.replaceChildren(...shown.map((u) => check(u, selected.includes(u.id))));
    const missing = selected.filter((id) => !users.some((u) => u.id === id));
    extra.push(...missing);
    people.ready = true;
  })().catch((err) => {
    if (api.isAbort(err)) return;
    box.replaceChildren(h('p', { class: 'form-error' }, `People could not be loaded: ${errorMessage(err)}. Members stay as they are.`));
  });
  return people;
}
