// views/account-privacy.js — "Your data" on My account: download everything held about me,
// ask for a correction or erasure (a short dialog, then what happens next), and my requests
// with their status and due date.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import { field, formError, clearErrors, busy, openDialog, toast, errorMessage, showFormError } from '../ui.js';
import { kindLabel, formatDay, statusBadge, showFieldErrors } from './privacy-format.js';

const ASKS = {
  correction: {
    button: 'Ask for a correction',
    title: 'Ask for a correction',
    intro: 'Say what is wrong and what it should be. You can change your name and time zone yourself under Profile.',
    label: 'What should be corrected?',
  },
  erasure: {
    button: 'Ask for erasure',
    title: 'Ask for erasure',
    intro: 'An admin erases your account and personal data; your time entries stay only under a pseudonym, '
      + 'unless the law requires them to be kept. You can no longer sign in afterwards.',
    label: 'Anything the admin should know? (optional)',
  },
};

/**
 * The "Your data" section.
 *
 * @param {Object} state router state (me, signal, …)
 * @returns {HTMLElement} the section
 */
export function yourDataSection(state) {
  const ctx = { state };
  ctx.list = h('div', { class: 'pr-mine' });
  ctx.pending = h('div', { class: 'pr-mine-result', role: 'status' });
  const section = h('section', { class: 'card account-data', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Your data'),
    h('p', { class: 'muted small' }, 'A ZIP with your account, time entries (also as CSV), projects, tasks, comments, sessions '
      + 'and the audit records about you, with a README on why each is kept and for how long.'),
    h('div', { class: 'pr-mine-actions' },
      h('a', { class: 'btn btn-primary', href: compliance.MY_EXPORT_URL, download: '' }, 'Download my data'),
      h('button', { type: 'button', class: 'btn', onclick: () => openAsk(ctx, 'correction') }, ASKS.correction.button),
      h('button', { type: 'button', class: 'btn btn-danger-quiet', onclick: () => openAsk(ctx, 'erasure') }, ASKS.erasure.button)),
    ctx.pending,
    h('h3', { class: 'pr-mine-title' }, 'Your requests'),
    ctx.list);
  load(ctx);
  return section;
}

async function load(ctx) {
  try {
    const res = await compliance.listMyPrivacyRequests(ctx.state.signal);
    showMine(ctx, res.items);
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.list.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  }
}

function showMine(ctx, items) {
  clear(ctx.list);
  if (!items.length) {
    ctx.list.append(h('p', { class: 'muted small' }, 'None. Requests you make here, or that an admin records for you, are listed with their due date.'));
    return;
  }
  ctx.list.append(h('ul', { class: 'pr-mine-list' }, items.map((r) => h('li', { class: 'pr-mine-item', dataset: { id: r.id, kind: r.kind, status: r.status } },
    h('span', { class: 'pr-mine-kind' }, kindLabel(r.kind)),
    statusBadge(r.status),
    h('span', { class: 'pr-mine-dates muted small' },
      `Asked ${formatDay(r.received_on)} · `,
      r.status === 'open'
        ? ['answer due by ', h('time', { class: 'pr-mine-due', datetime: r.due_on }, formatDay(r.due_on))]
        : `closed ${formatDay(r.closed_on)}`)))));
}

function openAsk(ctx, kind) {
  const spec = ASKS[kind];
  const details = h('textarea', { rows: '4' });
  const submit = h('button', { type: 'submit', class: kind === 'erasure' ? 'btn btn-danger' : 'btn btn-primary' }, 'Send request');
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, spec.intro),
    field({ label: spec.label, name: 'details', control: details }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const text = details.value.trim();
    if (kind === 'correction' && !text) {
      showFieldErrors(form, { fields: { details: { code: 'required' } } }, { details: { required: 'Say what should be corrected' } });
      return;
    }
    try {
      const r = await busy(submit, () => compliance.createMyPrivacyRequest({ kind, details: text || undefined }));
      dlg.close();
      ctx.pending.replaceChildren(h('div', { class: 'notice pr-sent' },
        h('p', { class: 'notice-title' }, `Your ${kindLabel(r.kind).toLowerCase()} request was sent.`),
        h('p', {}, `An admin answers it by ${formatDay(r.due_on)}; you can follow it below.`)));
      toast('Request sent');
      load(ctx);
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'privacy.request_pending') {
        showFormError(form, `You already have an open ${kindLabel(kind).toLowerCase()} request; an admin answers it by its due date (listed under Your requests).`);
        return;
      }
      showFieldErrors(form, err);
    }
  });
  const dlg = openDialog({ title: spec.title, content: form });
  details.focus();
}
