// views/holds.js — the legal holds part of the Retention & holds page: the list (active,
// ended, released), "Place hold" (a dialog with inline field errors) and "Release" (a dialog
// asking why). Only admins get the two actions; auditors read.

import { h, clear, uid } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import {
  field, formError, clearErrors, setFieldError, showFormError, fieldMessage, errorMessage, busy,
  openDialog, toast, formatInstant, loadInto,
} from '../ui.js';
import { fromLocalInput, dateIn } from '../time.js';

const REASON_MAX = 500;

const KIND_OPTIONS = [
  ['user', 'A person'],
  ['project', 'A project'],
  ['client', 'A client'],
  ['instance', 'The whole instance'],
];
const TARGET_LABELS = { user: 'Person’s email', project: 'Project name', client: 'Client name' };
const TARGET_HINTS = {
  user: 'Their sign-in email. Covers their account, entries and security events.',
  project: 'The exact name. Covers its entries, tasks and comments.',
  client: 'The exact name. Covers the entries and tasks of all its projects.',
};
const STATUS = { active: ['Active', 'badge-hold-active'], ended: ['Ended', 'badge-muted'], released: ['Released', 'badge-muted'] };

/** Field messages that depend on the hold's kind or say more than the shared ones. */
function holdFieldMessage(name, fe, kind) {
  if (name === 'target' && fe.code === 'not_found') {
    return { user: 'No person has this email', project: 'No project has this exact name', client: 'No client has this exact name' }[kind]
      || 'Nothing matches this';
  }
  if (name === 'target' && fe.code === 'required') return 'Say what the hold covers';
  if (name === 'reason' && fe.code === 'required') return 'Say why the data must be kept';
  if (name === 'reason' && fe.code === 'too_long') return `Keep the reason to ${REASON_MAX} characters`;
  if (name === 'ends_at' && fe.code === 'in_past') return 'Choose a day after today';
  return fieldMessage(fe);
}

/**
 * The legal holds section: a heading, the list and its status line.
 *
 * @param {{state:Object, zone:string, mayHold:boolean}} page the page's context (`mayHold`: may place
 *   and release holds and list users)
 * @returns {{el:HTMLElement, reload:function():Promise<void>}} the section's context: its element
 *   and how to refresh it (pass it to openPlaceHold)
 */
export function holdsSection(page) {
  const ctx = { ...page, names: new Map() };
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table holds-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Legal holds, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Covers'),
      h('th', { scope: 'col' }, 'Reason'),
      h('th', { scope: 'col' }, 'Placed'),
      h('th', { scope: 'col' }, 'Ends'),
      ctx.mayHold ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  ctx.el = h('section', { class: 'ret-section', 'aria-labelledby': 'ret-holds' },
    h('div', { class: 'section-head' }, h('h2', { id: 'ret-holds' }, 'Legal holds')),
    ctx.status,
    h('div', { class: 'table-wrap' }, ctx.table),
    ctx.empty);
  ctx.reload = () => load(ctx, false);
  if (ctx.mayHold) loadNames(ctx);
  load(ctx, true);
  return ctx;
}

/** Admins may list users: name the people who placed and released holds. */
async function loadNames(ctx) {
  try {
    const page = await api.listUsers({ limit: 500 }, ctx.state.signal);
    ctx.users = page.items;
    for (const u of page.items) ctx.names.set(u.id, u.name);
    if (ctx.holds) show(ctx, ctx.holds);
  } catch {
    // Ids stay as they are.
  }
}

function load(ctx, first) {
  return loadInto(ctx.status, first, () => compliance.listHolds(ctx.state.signal), (res) => show(ctx, res.items));
}

function who(ctx, ref) {
  if (!ref) return '';
  const user = /^user:(.+)$/.exec(ref);
  if (!user) return ref.replace(/^cli:(.+)$/, '$1 (CLI)');
  if (user[1] === ctx.state.me.id) return 'you';
  return ctx.names.get(user[1]) || `user …${user[1].slice(-8)}`;
}

function show(ctx, holds) {
  ctx.holds = holds;
  for (const hold of holds) {
    if (hold.placed_by_name) ctx.names.set(hold.placed_by.slice(5), hold.placed_by_name);
    if (hold.released_by_name) ctx.names.set(hold.released_by.slice(5), hold.released_by_name);
  }
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  const when = (iso) => h('time', { datetime: iso, title: formatInstant(iso, ctx.zone, 'zone') }, formatInstant(iso, ctx.zone, 'short'));
  ctx.tbody.replaceChildren(...holds.map((hold) => {
    const [statusLabel, cls] = STATUS[hold.status] || [hold.status, 'badge-muted'];
    return h('tr', { class: 'hold-row', dataset: { id: hold.id, status: hold.status } },
      // A released hold says when and by whom under its badge.
      cell('Status', 'cell-status', h('span', { class: `badge hold-status ${cls}` }, statusLabel),
        hold.released_at ? h('span', { class: 'hold-released muted small' }, when(hold.released_at),
          hold.released_by ? h('span', { class: 'hold-by', title: hold.released_by }, `by ${who(ctx, hold.released_by)}`) : null) : null),
      cell('Covers', 'cell-covers', h('span', { class: 'hold-covers' }, hold.covers)),
      cell('Reason', 'cell-reason', h('span', { class: 'hold-reason' }, hold.reason)),
      cell('Placed', 'cell-placed', when(hold.placed_at), h('span', { class: 'muted small hold-by', title: hold.placed_by }, `by ${who(ctx, hold.placed_by)}`)),
      cell('Ends', 'cell-ends', hold.ends_at ? when(hold.ends_at) : h('span', { class: 'muted' }, 'Until released')),
      ctx.mayHold ? h('td', { class: 'cell-actions' }, hold.status === 'active'
        ? h('button', {
          type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Release the hold on ${hold.covers}`,
          onclick: () => openRelease(ctx, hold),
        }, 'Release')
        : null) : null);
  }));
  const none = holds.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  clear(ctx.empty);
  if (none) {
    ctx.empty.append(
      h('p', { class: 'empty-title' }, 'No legal holds'),
      h('p', {}, 'Place a hold when data must be kept for a dispute, an investigation or an audit: '
        + 'retention and erasure skip what it covers until it is released.'),
      ctx.mayHold ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openPlaceHold(ctx) }, 'Place hold') : null);
  }
}

/**
 * Open the "Place hold" dialog; a placed hold is added to the list.
 *
 * @param {Object} ctx the holds section (from holdsSection)
 * @returns {void}
 */
export function openPlaceHold(ctx) {
  const kind = h('select', {}, KIND_OPTIONS.map(([value, text]) => h('option', { value }, text)));
  const listId = uid('hold-targets');
  const datalist = h('datalist', { id: listId });
  const target = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', list: listId });
  const targetField = field({ label: TARGET_LABELS.user, name: 'target', control: target, hint: TARGET_HINTS.user });
  const reason = h('textarea', { rows: '3', required: true });
  const counter = h('span', { class: 'hold-counter', 'aria-live': 'polite' });
  const reasonField = field({
    label: 'Reason', name: 'reason', control: reason,
    hint: 'Shown with the hold and recorded in the audit log, e.g. a case number.',
  });
  reasonField.querySelector('.field-hint').append(' ', counter);
  const ends = h('input', { type: 'date', min: dateIn(ctx.zone, Date.now() + 86_400_000) });
  const endsField = field({
    label: 'Ends on (optional)', name: 'ends_at', control: ends,
    hint: `The hold lapses at the start of this day (${ctx.zone.replaceAll('_', ' ')}). Leave empty to keep it until it is released.`,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Place hold');
  const form = h('form', { class: 'form hold-form', novalidate: true },
    field({ label: 'What to hold', name: 'kind', control: kind }),
    targetField, reasonField, endsField, formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit),
    datalist);

  const suggestions = { user: null, project: null, client: null };
  const updateCounter = () => {
    const n = reason.value.length;
    counter.textContent = `${n} / ${REASON_MAX}`;
    counter.classList.toggle('is-over', n > REASON_MAX);
  };
  const updateKind = () => {
    const k = kind.value;
    targetField.hidden = k === 'instance';
    if (k !== 'instance') {
      targetField.querySelector('label').textContent = TARGET_LABELS[k];
      targetField.querySelector('.field-hint').textContent = TARGET_HINTS[k];
      target.type = k === 'user' ? 'email' : 'text';
      fillSuggestions(ctx, k, suggestions, datalist);
    }
    setFieldError(form, 'target', '');
  };
  kind.addEventListener('change', updateKind);
  reason.addEventListener('input', updateCounter);
  updateKind();
  updateCounter();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const k = kind.value;
    const body = { kind: k, reason: reason.value.trim() };
    if (k !== 'instance') body.target = target.value.trim();
    if (ends.value) {
      const at = fromLocalInput(`${ends.value}T00:00`, ctx.zone);
      if (!at) {
        setFieldError(form, 'ends_at', 'Enter a valid date');
        return;
      }
      body.ends_at = at;
    }
    try {
      const hold = await busy(submit, () => compliance.placeHold(body));
      dlg.close();
      toast(`Hold placed on ${hold.covers}`);
      await ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      showHoldError(form, err, k);
    }
  });

  const dlg = openDialog({ title: 'Place a legal hold', content: form, wide: true });
  kind.focus();
}

function showHoldError(form, err, kind) {
  let shown = false;
  for (const [name, fe] of Object.entries(err.fields || {})) {
    if (setFieldError(form, name, holdFieldMessage(name, fe, kind))) shown = true;
  }
  if (shown && err.code === 'validation.failed') {
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    return;
  }
  showFormError(form, errorMessage(err));
}

/** Offer the names the target accepts: emails (admins list users), projects, clients. */
async function fillSuggestions(ctx, kind, cache, datalist) {
  try {
    if (!cache[kind]) {
      if (kind === 'user') cache.user = (ctx.users || (await api.listUsers({ limit: 500 })).items).map((u) => u.email);
      else if (kind === 'project') cache.project = (await api.listProjects({ archived: true })).items.map((p) => p.name);
      else cache.client = (await api.listClients({ archived: true })).items.map((c) => c.name);
    }
    datalist.replaceChildren(...cache[kind].map((v) => h('option', { value: v })));
  } catch {
    datalist.replaceChildren();
  }
}

function openRelease(ctx, hold) {
  const reason = h('textarea', { rows: '3', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-danger' }, 'Release hold');
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, 'Release the hold on ', h('strong', {}, hold.covers), '? From the next retention run on, ',
      'the rules and erasure requests apply to it again.'),
    field({ label: 'Why is it released?', name: 'reason', control: reason, hint: 'Recorded in the audit log.' }),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const why = reason.value.trim();
    if (!why) {
      setFieldError(form, 'reason', 'Say why the hold is released');
      reason.focus();
      return;
    }
    try {
      await busy(submit, () => compliance.releaseHold(hold.id, { reason: why }));
      dlg.close();
      toast(`Hold on ${hold.covers} released`);
      await ctx.reload();
    } catch (err) {
      if (api.isAbort(err)) return;
      if (err.code === 'hold.not_active') {
        showFormError(form, 'This hold was released or has ended already.');
        ctx.reload();
        return;
      }
      showHoldError(form, err, hold.kind);
    }
  });
  const dlg = openDialog({ title: 'Release legal hold', content: form });
  reason.focus();
}
