// views/users-dialogs.js — the dialogs of the users page: create/edit a user, confirm
// disabling, and show a one-time password link. Used only by views/users.js.

import { h, uid } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, showApiError, setFieldError, showFormError, zoneSelect,
  openDialog, formatInstant, toast,
} from '../ui.js';

/** Roles in the order the form offers them. */
export const ROLES = [
  { value: 'admin', label: 'Admin' },
  { value: 'manager', label: 'Manager' },
  { value: 'member', label: 'Member' },
  { value: 'client', label: 'Client' },
  { value: 'auditor', label: 'Auditor' },
];

function roleSelect(value) {
  return h('select', {}, ROLES.map((r) => h('option', { value: r.value, selected: r.value === value }, r.label)));
}

/**
 * Open the new-user (user = null) or edit-user dialog.
 *
 * @param {{state:Object, reload:function(), replaceUser:function(Object)}} ctx the users page
 * @param {Object|null} user the UserDto to edit, or null to create one
 * @returns {void}
 */
export function openUserForm(ctx, user) {
  const creating = !user;
  const me = ctx.state.me;
  const role = roleSelect(user ? user.role : 'member');
  // A client account sees the portal of the one client it is linked to.
  const linked = user && user.client_id ? user.client_id : '';
  const clientSelect = h('select', {}, h('option', { value: '' }, 'Not linked yet'),
    linked ? h('option', { value: linked, selected: true }, 'Loading…') : null);
  const clientField = field({
    label: 'Client', name: 'client_id', control: clientSelect,
    hint: 'Whose portal this account sees: that client’s projects, tasks, budgets and hours, read-only.',
  });
  const showClient = () => { clientField.hidden = role.value !== 'client'; };
  role.addEventListener('change', showClient);
  showClient();
  api.listClients({ archived: true }, ctx.state.signal).then((res) => {
    const keep = clientSelect.value;
    clientSelect.replaceChildren(clientSelect.options[0],
      ...res.items.map((c) => h('option', { value: c.id }, c.archived ? `${c.name} (archived)` : c.name)));
    clientSelect.value = keep;
  }, () => {});
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Name', name: 'name', value: user ? user.name : '', autocomplete: 'off', required: true }),
    field({ label: 'Email', name: 'email', type: 'email', value: user ? user.email : '', autocomplete: 'off', required: true }),
    field({ label: 'Role', name: 'role', control: role }),
    clientField,
    field({ label: 'Time zone', name: 'time_zone', control: zoneSelect(user ? user.time_zone : me.time_zone) }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? 'Create user' : 'Save changes')));
  const dlg = openDialog({ title: creating ? 'New user' : `Edit ${user.name}`, content: form });
  form.querySelector('input[name="name"]').focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const values = {
      name: String(data.get('name')).trim(),
      email: String(data.get('email')).trim(),
      role: String(data.get('role')),
      time_zone: String(data.get('time_zone')),
    };
    // Only a client account is linked; the server drops the link when the role changes.
    const client = values.role === 'client' ? String(data.get('client_id') || '') : '';
    let missing = false;
    for (const key of ['name', 'email']) {
      if (!values[key]) missing = setFieldError(form, key, 'This field is required');
    }
    if (missing) return;
    const button = form.querySelector('button[type="submit"]');
    try {
      if (creating) {
        const created = await busy(button, () => api.createUser(client ? { ...values, client_id: client } : values));
        ctx.reload();
        dlg.body.replaceChildren(linkPanel(created.user, created.reset_link, me, 'created'),
          h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dlg.close() }, 'Done')));
        dlg.body.querySelector('input').select();
      } else {
        const changed = {};
        for (const key of Object.keys(values)) if (values[key] !== user[key]) changed[key] = values[key];
        if (values.role === 'client' && client !== (user.client_id || '')) changed.client_id = client || null;
        const updated = Object.keys(changed).length ? await busy(button, () => api.updateUser(user.id, changed)) : user;
        ctx.replaceUser(updated);
        dlg.close();
        toast(`Saved changes to ${updated.name}`);
      }
    } catch (err) {
      if (err.code === 'user.email_taken') setFieldError(form, 'email', 'Another account already uses this email');
      else if (err.code === 'user.last_admin') setFieldError(form, 'role', 'This is the last enabled admin. Make someone else an admin first.');
      else showApiError(form, err);
    }
  });
}

/**
 * Ask once before disabling a user, then disable them.
 *
 * @param {{state:Object, replaceUser:function(Object)}} ctx the users page
 * @param {Object} user the UserDto to disable
 * @returns {void}
 */
export function confirmDisable(ctx, user) {
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, `Disable ${user.name}? They are signed out at once and cannot log in until enabled again.`),
    h('p', { class: 'muted small' }, `${user.email} · enabling the account later restores access; nothing is deleted.`),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-danger' }, 'Disable user')));
  const dlg = openDialog({ title: 'Disable user', content: form });
  form.querySelector('button[type="submit"]').focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const updated = await busy(form.querySelector('button[type="submit"]'), () => api.disableUser(user.id));
      ctx.replaceUser(updated);
      dlg.close();
      toast(`${updated.name} is disabled and signed out`);
    } catch (err) {
      if (err.code === 'user.self_disable') showFormError(form, 'You cannot disable your own account. Ask another admin to do it.');
      else if (err.code === 'user.last_admin') showFormError(form, 'This is the last enabled admin. Make someone else an admin first.');
      else showApiError(form, err);
    }
  });
}

/**
 * Show a freshly made one-time password link for a user in a dialog.
 *
 * @param {{state:Object}} ctx the users page
 * @param {Object} user the UserDto the link is for
 * @param {{url:string, expires_at:string}} link the LinkDto
 * @returns {void}
 */
export function showResetLink(ctx, user, link) {
  const dlg = openDialog({
    title: `Reset link for ${user.name}`,
    content: [linkPanel(user, link, ctx.state.me, 'reset'),
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dlg.close() }, 'Done'))],
  });
  dlg.body.querySelector('input').select();
}

/**
 * The read-only link with a Copy button and the "works once" explanation.
 *
 * @param {Object} user the UserDto
 * @param {{url:string, expires_at:string, emailed?:boolean}} link the LinkDto
 * @param {Object} me the signed-in admin (for the display zone)
 * @param {'created'|'reset'} why which sentence to lead with
 * @returns {HTMLElement} the panel
 */
export function linkPanel(user, link, me, why) {
  const id = uid('one-time-link');
  const input = h('input', { id, type: 'text', readOnly: true, value: link.url, class: 'link-input', spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'btn', onclick: () => copyLink(input, copy) }, 'Copy');
  const lead = why === 'created'
    ? `${user.name} (${user.email}) can now set a password with this link.`
    : `A new link for ${user.name} (${user.email}). Older links for this account stop working.`;
  return h('div', { class: 'link-panel' },
    h('p', { class: 'notice-title' }, lead),
    h('div', { class: 'field' },
      h('label', { for: id }, 'One-time link'),
      h('div', { class: 'input-row' }, input, copy)),
    h('p', { class: 'muted link-how' },
      link.emailed
        ? `It was also e-mailed to ${user.email}: hand it over yourself only if that does not arrive. It works once and expires `
        : 'Send this link to the person; it works once and expires ',
      h('time', { datetime: link.expires_at }, formatInstant(link.expires_at, me.time_zone, 'zone')), '.'));
}

async function copyLink(input, button) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    // Clipboard API refused (permissions): the text is selected, so Ctrl+C still works.
    toast('Press Ctrl+C to copy the selected link', 'error');
    return;
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  toast('Link copied');
}
