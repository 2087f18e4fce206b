// views/incident-people.js — on an incident's page: the people affected (proposed from the
// record of who read whose data during the incident's window, confirmed with checkboxes) and
// their notification (Art. 34): a draft from the register, edited, sent by e-mail once to each.

import { h, clear, uid } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, showApiError, showFormError, busy, toast, formatInstant, errorMessage, plural,
} from '../ui.js';

/**
 * The people section: who is affected, and (admins) finding and confirming them.
 *
 * @param {Object} ctx the page (inc, zone, mayManage, show, reload, state)
 * @param {Object} inc IncidentDto
 * @returns {HTMLElement} the section
 */
export function peopleSection(ctx, inc) {
  const open = inc.status === 'open';
  const list = inc.people.length
    ? h('table', { class: 'table inc-people' },
      h('caption', { class: 'visually-hidden' }, 'People affected'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Person'), h('th', { scope: 'col' }, 'Found by'), h('th', { scope: 'col' }, 'Notified'))),
      h('tbody', {}, inc.people.map((p) => h('tr', { dataset: { id: p.user_id } },
        h('td', {}, p.erased ? h('span', { class: 'muted' }, 'Erased person') : [h('strong', {}, p.name), h('span', { class: 'muted small inc-email' }, p.email)]),
        h('td', {}, p.source === 'proposed' ? 'Record of reads' : 'Added by hand'),
        h('td', {}, p.notified_at ? formatInstant(p.notified_at, ctx.zone, 'short') : h('span', { class: 'muted' }, 'Not yet'))))))
    : h('p', { class: 'muted' }, 'No one is marked as affected yet.');
  const finder = h('div', { class: 'inc-finder' });
  const find = h('button', { type: 'button', class: 'btn' }, 'Find affected people');
  find.addEventListener('click', () => loadProposal(ctx, inc, finder, find));
  const told = inc.people.filter((p) => p.notified_at).length;
  return h('section', { class: 'card', 'aria-labelledby': 'inc-people' },
    h('div', { class: 'section-head' }, h('h2', { id: 'inc-people' }, 'People affected'),
      h('span', { class: 'badge badge-plain' }, `${told} of ${inc.people.length} notified`)),
    list,
    ctx.mayManage && open ? [h('p', { class: 'muted small' },
      'Proposed from the audit log’s record of whose data was read during the incident’s period. Looking is recorded.'), find, finder] : null);
}

async function loadProposal(ctx, inc, box, button) {
  try {
    const p = await busy(button, () => compliance.proposedPeople(inc.id, ctx.state.signal));
    showProposal(ctx, inc, box, p);
    button.hidden = true;
  } catch (err) {
    if (!api.isAbort(err)) box.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  }
}

function showProposal(ctx, inc, box, p) {
  const rows = new Map();
  const row = (userId, name, email, detail, checked) => {
    const id = uid('inc-pick');
    const box = h('input', { type: 'checkbox', id, value: userId, checked });
    rows.set(userId, box);
    return h('li', { class: 'inc-pick' }, box,
      h('label', { for: id }, h('strong', {}, name || 'Erased person'), email ? h('span', { class: 'muted small inc-email' }, email) : null,
        h('span', { class: 'small inc-pick-detail' }, detail)));
  };
  const reads = (x) => {
    const by = x.readers.map((r) => `${r.actor_name || r.actor}${r.reads > 1 ? ` ×${r.reads}` : ''}`).join(', ');
    return `${plural(x.reads, 'read')} (${x.what.join(', ')}) by ${by}, last ${formatInstant(x.last_read_at, ctx.zone, 'short')}`;
  };
  const affected = new Set(inc.people.map((x) => x.user_id));
  const items = p.people.map((x) => row(x.user_id, x.name, x.email, reads(x), affected.has(x.user_id)));
  for (const x of inc.people.filter((x) => !rows.has(x.user_id))) {
    items.push(row(x.user_id, x.name, x.email, 'added by hand; no read recorded in the period', true));
  }
  const warning = p.everyone.length
    ? h('div', { class: 'notice notice-warn inc-everyone', role: 'note' },
      h('p', {}, h('strong', {}, 'Everyone may be affected: '),
        `${plural(p.everyone.length, 'read')} of everyone’s data in the period.`),
      h('ul', { class: 'small' }, p.everyone.slice(0, 8).map((r) => h('li', {},
        `${formatInstant(r.at, ctx.zone, 'short')} — ${r.what}${r.detail ? ` (${r.detail})` : ''} by ${r.actor_name || r.actor}`))),
      p.everyone.length > 8 ? h('p', { class: 'small muted' }, `and ${p.everyone.length - 8} more.`) : null)
    : null;
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save affected list');
  const list = h('ul', { class: 'inc-pick-list' }, items);
  const none = h('p', { class: 'muted', hidden: items.length > 0 }, 'No one’s data was read individually in this period.');
  const adder = addByEmail(ctx, (u) => {
    if (rows.has(u.id)) {
      rows.get(u.id).checked = true;
      return;
    }
    list.append(row(u.id, u.name, u.email, 'added by hand; no read recorded in the period', true));
    none.hidden = true;
  });
  const form = h('form', { class: 'form inc-pick-form', novalidate: true },
    h('p', { class: 'small' }, `Reads between ${formatInstant(p.from, ctx.zone, 'short')} and ${formatInstant(p.to, ctx.zone, 'short')}.`),
    warning,
    none,
    list,
    adder,
    formError(),
    h('div', { class: 'form-actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const ids = [...rows.entries()].filter(([, el]) => el.checked).map(([id]) => id);
    try {
      const next = await busy(save, () => compliance.setAffected(inc.id, { version: ctx.inc.version, user_ids: ids }));
      toast(`${plural(ids.length, 'person', 'people')} marked as affected`);
      ctx.show(next);
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'incident.changed') showFormError(form, 'Someone changed this incident meanwhile: reload, then choose again.');
      else showApiError(form, err);
    }
  });
  box.replaceChildren(form);
}

/**
 * "Add a person" by their account's email: for someone affected whose data no recorded read
 * touched (a lost laptop with an export, say). Not a form of its own: it sits in the list's.
 *
 * @param {Object} ctx the page
 * @param {(user:Object) => void} onFound called with the account's UserDto
 * @returns {HTMLElement} the field with its button
 */
function addByEmail(ctx, onFound) {
  const input = h('input', { type: 'email', autocomplete: 'off' });
  const add = h('button', { type: 'button', class: 'btn' }, 'Add');
  const wrap = field({ label: 'Add a person by email', name: 'add_email', control: input, hint: 'Someone affected whom no recorded read names.' });
  const error = wrap.querySelector('.field-error');
  const say = (text) => {
    error.textContent = text;
    error.hidden = !text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };
  const row = h('div', { class: 'input-row' });
  input.before(row);
  row.append(input, add);
  const find = async () => {
    const email = input.value.trim().toLowerCase();
    say('');
    if (!email) {
      say('Enter the email of their account');
      return;
    }
    try {
      const page = await busy(add, () => api.listUsers({ q: email, limit: 20 }, ctx.state.signal));
      const user = page.items.find((u) => u.email.toLowerCase() === email);
      if (!user) {
        say('No account has this email');
        return;
      }
      onFound(user);
      input.value = '';
      toast(`${user.name} added: save the list to keep it`);
    } catch (err) {
      if (!api.isAbort(err)) say(errorMessage(err));
    }
  };
  add.addEventListener('click', find);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find();
    }
  });
  return wrap;
}

/**
 * The notification section: texts sent, and (admins) the draft to edit and send.
 *
 * @param {Object} ctx the page
 * @param {Object} inc IncidentDto
 * @returns {HTMLElement} the section
 */
export function noticeSection(ctx, inc) {
  const sent = inc.notices.map((n) => h('details', { class: 'inc-notice' },
    h('summary', {}, `${formatInstant(n.at, ctx.zone, 'short')} — “${n.subject}” to ${plural(n.recipients, 'person', 'people')}`),
    h('pre', { class: 'inc-notice-body' }, n.body)));
  const box = h('div', { class: 'inc-compose' });
  const start = h('button', { type: 'button', class: 'btn' }, inc.notices.length ? 'Write another notification' : 'Draft notification');
  start.addEventListener('click', () => loadDraft(ctx, inc, box, start));
  return h('section', { class: 'card', 'aria-labelledby': 'inc-notify' },
    h('div', { class: 'section-head' }, h('h2', { id: 'inc-notify' }, 'Notify the people affected')),
    h('p', { class: 'muted small' }, 'When the breach is likely to put people at high risk, tell them without undue delay (Art. 34). '
      + 'Each person gets one e-mail; the register records it.'),
    sent.length ? h('div', { class: 'inc-sent' }, sent) : null,
    ctx.mayManage && inc.status === 'open' && inc.people.length ? [start, box] : null);
}

async function loadDraft(ctx, inc, box, button) {
  let d;
  try {
    d = await busy(button, () => compliance.notificationDraft(inc.id, ctx.state.signal));
  } catch (err) {
    if (!api.isAbort(err)) box.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
    return;
  }
  button.hidden = true;
  const subject = h('input', { type: 'text', value: d.subject, maxlength: '200' });
  const body = h('textarea', { rows: '16', class: 'inc-draft' });
  body.value = d.body;
  const resend = h('input', { type: 'checkbox', id: uid('inc-resend') });
  const count = d.recipients.length;
  const send = h('button', { type: 'submit', class: 'btn btn-primary', disabled: !d.email_enabled },
    count ? `Send to ${plural(count, 'person', 'people')}` : 'Send');
  resend.addEventListener('change', () => {
    send.textContent = resend.checked ? `Send to all ${plural(inc.people.length, 'person', 'people')}` : `Send to ${plural(count, 'person', 'people')}`;
  });
  const form = h('form', { class: 'form inc-compose-form', novalidate: true },
    d.email_enabled ? null : h('div', { class: 'notice notice-warn', role: 'note' },
      'This server sends no e-mail ([email] is not configured): notify the people another way and note it here.'),
    field({ label: 'Subject', name: 'subject', control: subject }),
    field({ label: 'Text', name: 'body', control: body, hint: '{name} becomes each person’s name. Fill in every [… : fill this in] first.' }),
    count < inc.people.length ? h('div', { class: 'check' }, resend,
      h('label', { for: resend.id }, 'Send again to people notified before')) : null,
    formError(),
    h('div', { class: 'form-actions' }, send));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (/fill this in\]/.test(body.value)) {
      showFormError(form, 'The text still has “fill this in” gaps: complete them first.');
      return;
    }
    try {
      const r = await busy(send, () => compliance.notifyAffected(inc.id, { subject: subject.value, body: body.value, resend: resend.checked }));
      toast(`Notification queued for ${plural(r.sent.length, 'person', 'people')}`);
      ctx.show(r.incident);
    } catch (err) {
      if (!api.isAbort(err)) showApiError(form, err);
    }
  });
  clear(box);
  box.append(form);
  subject.focus();
}
