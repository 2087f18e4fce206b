// views/privacy-tools.js — the admin's dialogs on a privacy request's page: extend, close,
// correct a person's data, erase them (typing their email to confirm), record an objection,
// and restrict / lift. Each tool run names the request, so it is recorded on it.

import { h } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, setFieldError, showFormError, errorMessage, busy, openDialog, toast, zoneSelect,
} from '../ui.js';
import { formatDay, kindLabel, showFieldErrors } from './privacy-format.js';

const actions = (dlg, submit) => h('div', { class: 'form-actions' },
  h('button', { type: 'button', class: 'btn', onclick: () => dlg().close() }, 'Cancel'),
  submit);

/**
 * Extend the request's deadline once, with the reason the person is given.
 *
 * @param {Object} ctx the request page ({reload})
 * @param {Object} r the request
 * @returns {void}
 */
export function openExtend(ctx, r) {
  const reason = h('textarea', { rows: '3', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Extend');
  const more = r.law === 'ccpa' ? '45 more days' : 'two more months';
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, `Due ${formatDay(r.due_on)}. An extension gives ${more}, once, and must be decided within the first period; tell the person why.`),
    field({ label: 'Reason', name: 'reason', control: reason, hint: 'Recorded on the request and in the audit log.' }),
    formError(),
    actions(() => dlg, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const done = await busy(submit, () => compliance.extendPrivacyRequest(r.id, { reason: reason.value.trim() }));
      dlg.close();
      toast(`Extended; now due ${formatDay(done.due_on)}`);
      ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'privacy.already_extended') showFormError(form, 'This request was extended already; it can be extended only once.');
      else {
        showFieldErrors(form, err, {
          reason: {
            required: 'Say why more time is needed',
            already_extended: 'This request was extended already; it can be extended only once',
            too_late: 'Too late: an extension must be given within the first period',
          },
        });
      }
    }
  });
  const dlg = openDialog({ title: 'Extend the deadline', content: form });
  reason.focus();
}

const CLOSINGS = [
  ['done', 'Done — what was asked was done'],
  ['refused', 'Refused — with the reason'],
  ['withdrawn', 'Withdrawn by the person'],
];

/**
 * Close the request as done, refused (a note is required) or withdrawn.
 *
 * @param {Object} ctx the request page
 * @param {Object} r the request
 * @returns {void}
 */
export function openClose(ctx, r) {
  const status = h('select', {}, CLOSINGS.map(([value, text]) => h('option', { value }, text)));
  const note = h('textarea', { rows: '3' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Close request');
  const noteField = field({ label: 'Note', name: 'note', control: note, hint: 'What was answered. Required for a refusal: the reason the person is given.' });
  const form = h('form', { class: 'form', novalidate: true },
    field({ label: 'Outcome', name: 'status', control: status }),
    noteField, formError(), actions(() => dlg, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { status: status.value };
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await busy(submit, () => compliance.closePrivacyRequest(r.id, body));
      dlg.close();
      toast(`${kindLabel(r.kind)} request closed as ${status.value}`);
      ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      showFieldErrors(form, err, { note: { required: 'Give the reason for the refusal; the person is told it' } });
    }
  });
  const dlg = openDialog({ title: 'Close the request', content: form });
  status.focus();
}

/** The person the request is about, or an error shown as a toast. */
async function person(r) {
  try {
    return await compliance.getUser(r.user_id);
  } catch (err) {
    toast(err.code === 'user.not_found' ? 'This person’s account no longer exists.' : errorMessage(err), 'error');
    return null;
  }
}

/**
 * Correct the person's name, email or time zone; only changed fields are sent.
 *
 * @param {Object} ctx the request page
 * @param {Object} r the request (with user_id)
 * @returns {Promise<void>}
 */
export async function openCorrect(ctx, r) {
  const u = await person(r);
  if (!u) return;
  const name = h('input', { type: 'text', value: u.name, autocomplete: 'off' });
  const email = h('input', { type: 'email', value: u.email, autocomplete: 'off', spellcheck: 'false' });
  const zone = zoneSelect(u.time_zone);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save correction');
  const form = h('form', { class: 'form', novalidate: true },
    r.details ? h('p', { class: 'notice notice-quiet' }, h('strong', {}, 'They asked: '), r.details) : null,
    field({ label: 'Name', name: 'name', control: name }),
    field({ label: 'Email', name: 'email', control: email, hint: 'They sign in with this address.' }),
    field({ label: 'Time zone', name: 'time_zone', control: zone }),
    h('p', { class: 'muted small' }, 'The values before and after are recorded in the audit log.'),
    formError(), actions(() => dlg, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { request_id: r.id };
    if (name.value.trim() !== u.name) body.name = name.value.trim();
    if (email.value.trim() !== u.email) body.email = email.value.trim();
    if (zone.value !== u.time_zone) body.time_zone = zone.value;
    if (Object.keys(body).length === 1) {
      showFormError(form, 'Nothing changed: edit at least one field.');
      return;
    }
    try {
      await busy(submit, () => compliance.correctPerson(r.user_id, body));
      dlg.close();
      toast('Correction saved');
      ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'user.email_taken') {
        setFieldError(form, 'email', 'Another account uses this email');
        email.focus();
        return;
      }
      showFieldErrors(form, err, { name: { no_change: 'Nothing changed: edit at least one field' } });
    }
  });
  const dlg = openDialog({ title: `Correct ${u.name}’s data`, content: form });
  name.focus();
}

/**
 * Erase the person, after they type the person's email; the counts show on the page.
 *
 * @param {Object} ctx the request page ({result, reload})
 * @param {Object} r the request (with user_id)
 * @returns {Promise<void>}
 */
export async function openErase(ctx, r) {
  const u = await person(r);
  if (!u) return;
  const confirmBox = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const submit = h('button', { type: 'submit', class: 'btn btn-danger', disabled: true }, 'Erase for good');
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, 'This erases ', h('strong', {}, `${u.name} (${u.email})`), ' and cannot be undone:'),
    h('ul', { class: 'pr-erase-list' },
      h('li', {}, 'their account, sessions, sign-in links, security events and comments are deleted;'),
      h('li', {}, 'they are removed from projects and tasks;'),
      h('li', {}, 'their time entries are anonymised under a pseudonym (or deleted, if the instance is set so);'),
      h('li', {}, 'the details of their audit records are redacted (the chain still verifies).')),
    h('p', { class: 'muted small' }, 'Data a legal hold covers is kept. The erasure is written to the erasure ledger, so a restored backup erases them again.'),
    field({ label: `Type ${u.email} to confirm`, name: 'confirm', control: confirmBox }),
    formError(), actions(() => dlg, submit));
  const matches = () => confirmBox.value.trim().toLowerCase() === u.email.toLowerCase();
  confirmBox.addEventListener('input', () => { submit.disabled = !matches(); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!matches()) {
      setFieldError(form, 'confirm', 'Type the email exactly as shown');
      return;
    }
    try {
      const done = await busy(submit, () => compliance.erasePerson(r.user_id, { request_id: r.id }));
      dlg.close();
      toast(`${u.name} was erased`);
      ctx.result.replaceChildren(erasedNotice(u, done));
      ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'hold.applies') {
        // The detail names the hold's scope by id; say the person's name instead.
        const detail = (err.detail || 'a legal hold covers this person').replace(`user:${r.user_id}`, u.name);
        showFormError(form, `Erasure refused: ${detail}. Release the hold on Retention & holds first, or refuse the request giving this reason.`);
        return;
      }
      showFieldErrors(form, err);
    }
    submit.disabled = !matches();
  });
  const dlg = openDialog({ title: 'Erase this person', content: form, wide: true });
  confirmBox.focus();
}

function erasedNotice(u, d) {
  const n = (count, one, many) => `${count.toLocaleString()} ${count === 1 ? one : many}`;
  return h('div', { class: 'notice pr-erased' },
    h('p', { class: 'notice-title' }, `${u.name} was erased; what remains is filed under ${d.pseudonym}.`),
    h('ul', { class: 'pr-erase-list' },
      h('li', {}, `Time entries: ${n(d.entries_anonymised, 'anonymised', 'anonymised')}, ${n(d.entries_deleted, 'deleted', 'deleted')}`
        + (d.entries_held ? `, ${n(d.entries_held, 'kept under a legal hold', 'kept under a legal hold')}` : '')),
      h('li', {}, `Audit records redacted: ${d.audit_redacted.toLocaleString()}`),
      h('li', {}, `Security events deleted: ${d.security_events_deleted.toLocaleString()}`),
      d.held_reasons.length ? h('li', {}, `Holds that kept data: ${d.held_reasons.join('; ')}`) : null,
      h('li', {}, d.ledger_file_written ? 'Written to the erasure ledger file.' : 'Recorded in the store’s erasure ledger (no ledger file is configured).')),
    h('p', {}, 'Close the request as done once you have told them.'));
}

/**
 * Record an objection to an optional use of the person's data.
 *
 * @param {Object} ctx the request page
 * @param {Object} r the request (with user_id)
 * @returns {void}
 */
export function openObject(ctx, r) {
  const purpose = h('select', {}, h('option', { value: 'scheduled_export' }, 'Scheduled export — their entries in the nightly export'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Record objection');
  const form = h('form', { class: 'form', novalidate: true },
    r.details ? h('p', { class: 'notice notice-quiet' }, h('strong', {}, 'They said: '), r.details) : null,
    field({ label: 'The use they object to', name: 'purpose', control: purpose, hint: 'It stops for this person from now on.' }),
    formError(), actions(() => dlg, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await busy(submit, () => compliance.recordObjection(r.user_id, { purpose: purpose.value, request_id: r.id }));
      dlg.close();
      toast('Objection recorded');
      ctx.reload();
    } catch (err) {
      if (!api.isAbort(err)) showFieldErrors(form, err);
    }
  });
  const dlg = openDialog({ title: 'Record an objection', content: form });
  purpose.focus();
}

/**
 * Restrict processing of the person's data, or lift the restriction.
 *
 * @param {Object} ctx the request page
 * @param {Object} r the request (with user_id)
 * @param {boolean} on restrict (true) or lift (false)
 * @param {HTMLButtonElement} button the button pressed
 * @returns {Promise<void>}
 */
export async function toggleRestriction(ctx, r, on, button) {
  try {
    const call = on ? compliance.restrictPerson : compliance.liftRestriction;
    await busy(button, () => call(r.user_id, { request_id: r.id }));
    toast(on ? 'Processing restricted: their data is only stored until lifted' : 'Restriction lifted');
  } catch (err) {
    if (api.isAbort(err)) return;
    toast(errorMessage(err), 'error');
  }
  ctx.reload();
}
