// views/privacy-request.js — one privacy request (/admin/privacy/:id): its facts and
// deadlines, what has been done about it, and — for admins, while it is open — the tools its
// kind calls for (privacy-tools.js). Auditors read.

import { h, clear } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import { pageHeader, errorMessage, delayedSpinner, formatInstant, busy, toast } from '../ui.js';
import { dateIn } from '../time.js';
import { has } from '../capabilities.js';
import {
  KINDS, LAWS, kindLabel, actionLabel, formatDay, dueDistance, urgencyBadge, statusBadge,
} from './privacy-format.js';
import {
  openExtend, openClose, openCorrect, openErase, openObject, toggleRestriction,
} from './privacy-tools.js';

/**
 * Render one privacy request.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, params.id, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = {
    state,
    // Act on the request (admins); auditors read it.
    mayManage: has(state.me, 'manage_privacy'),
    listsUsers: has(state.me, 'manage_users'),
    zone: state.me.time_zone,
    id: state.params.id,
    names: new Map(),
  };
  ctx.root = root;
  root.appendChild(h('p', { class: 'pr-back' }, h('a', { href: '/admin/privacy' }, '← Privacy requests')));
  ctx.head = pageHeader('Privacy request');
  ctx.body = h('div', { class: 'pr-detail' });
  ctx.result = h('div', { class: 'pr-result', role: 'status' });
  ctx.status = h('div', { class: 'list-status' });
  root.append(ctx.head, ctx.status, ctx.result, ctx.body);
  if (ctx.listsUsers) loadNames(ctx);
  ctx.reload = () => load(ctx, false);
  load(ctx, true);
}

async function loadNames(ctx) {
  try {
    const page = await api.listUsers({ limit: 500 }, ctx.state.signal);
    for (const u of page.items) ctx.names.set(u.id, u.name);
    if (ctx.request) show(ctx, ctx.request);
  } catch {
    // Ids stay as they are.
  }
}

async function load(ctx, first) {
  const stop = first ? delayedSpinner(ctx.status) : () => {};
  try {
    const r = await compliance.getPrivacyRequest(ctx.id, ctx.state.signal);
    ctx.flags = null;
    if (ctx.mayManage && r.user_id && r.kind === 'restriction' && r.status === 'open') {
      ctx.flags = await compliance.getPrivacyFlags(r.user_id, ctx.state.signal).catch(() => null);
    }
    clear(ctx.status);
    show(ctx, r);
  } catch (err) {
    if (api.isAbort(err)) return;
    clear(ctx.status);
    ctx.status.appendChild(h('p', { class: 'form-error', role: 'alert' },
      err.code === 'privacy.request_not_found' ? 'There is no such privacy request.' : errorMessage(err)));
  } finally {
    stop();
  }
}

function who(ctx, ref) {
  const user = /^user:(.+)$/.exec(ref || '');
  if (!user) return (ref || '').replace(/^cli:(.+)$/, '$1 (command line)');
  if (user[1] === ctx.state.me.id) return 'you';
  return ctx.names.get(user[1]) || `user …${user[1].slice(-8)}`;
}

function show(ctx, r) {
  ctx.request = r;
  const today = dateIn(ctx.zone);
  const title = `${kindLabel(r.kind)} request`;
  ctx.head.querySelector('h1').textContent = title;
  document.title = `${title} · OphionTT`;
  const [lawName] = LAWS[r.law] || [r.law];

  const fact = (label, cls, ...content) => h('div', { class: cls }, h('dt', {}, label), h('dd', {}, content));
  const open = r.status === 'open';
  const facts = h('dl', { class: 'facts pr-facts' },
    fact('Asked for', '', `${kindLabel(r.kind)}: ${(KINDS[r.kind] || ['', ''])[1]}`),
    fact('Received', '', formatDay(r.received_on)),
    fact('Due', 'pr-fact-due', h('strong', {}, formatDay(r.due_on)), ' ',
      open ? h('span', { class: 'pr-distance' }, `(${dueDistance(r.due_on, today)})`) : null,
      r.extension ? h('span', { class: 'muted small pr-fact-note' },
        `Extended on ${formatDay(r.extension.on)} from ${formatDay(r.extension.previous_due_on)}: ${r.extension.reason}`) : null,
      h('span', { class: 'muted small pr-fact-note' }, `Deadlines under ${lawName}.`)),
    r.ack_due_on ? fact('Acknowledge by', '', formatDay(r.ack_due_on), r.acknowledged_on
      ? h('span', { class: 'pr-fact-note pr-ok' }, `Acknowledged on ${formatDay(r.acknowledged_on)}`)
      : h('span', { class: 'pr-fact-note muted small' }, 'Not acknowledged yet')) : null,
    fact('Identity verification', 'pr-fact-text', r.verification || h('span', { class: 'muted' }, 'Not recorded')),
    fact('Details', 'pr-fact-text', r.details || h('span', { class: 'muted' }, 'None given')),
    r.closed_on ? fact('Closed', '', formatDay(r.closed_on)) : null);

  const badges = h('div', { class: 'pr-badges' }, statusBadge(r.status), open ? urgencyBadge(r) : null);
  clear(ctx.body);
  ctx.body.append(
    h('section', { class: `card pr-card pr-card-${r.urgency}`, 'aria-labelledby': 'pr-facts-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'pr-facts-title', class: 'pr-subject-title' }, r.subject), badges),
      h('p', { class: 'muted small pr-subject-note' }, r.user_id
        ? (r.self_service ? 'Asked for it themself, signed in on My account.' : 'Has an account here.')
        : 'No account is linked: answer outside OphionTT, then close the request.'),
      facts),
    ctx.mayManage && open ? toolsSection(ctx, r) : null,
    historySection(ctx, r));
}

/** The tools this kind of request calls for, and the register's own actions. */
function toolsSection(ctx, r) {
  const btn = (label, onclick, opts = {}) => h('button', {
    type: 'button', class: `btn ${opts.cls || ''}`, disabled: opts.disabled, title: opts.title, onclick,
  }, label);
  const person = Boolean(r.user_id);
  const tools = [];
  if (person && (r.kind === 'access' || r.kind === 'export')) {
    tools.push(h('a', {
      class: 'btn btn-primary', href: compliance.privacyExportUrl(r.user_id, r.id), download: '',
      onclick: () => setTimeout(() => ctx.reload(), 1500),
    }, 'Download export ZIP'));
  }
  if (person && r.kind === 'correction') tools.push(btn('Correct…', () => openCorrect(ctx, r), { cls: 'btn-primary' }));
  if (person && r.kind === 'erasure') tools.push(btn('Erase…', () => openErase(ctx, r), { cls: 'btn-danger' }));
  if (person && r.kind === 'restriction') {
    const restricted = ctx.flags && ctx.flags.restricted;
    tools.push(restricted
      ? btn('Lift restriction', (e) => toggleRestriction(ctx, r, false, e.currentTarget))
      : btn('Restrict processing', (e) => toggleRestriction(ctx, r, true, e.currentTarget), { cls: 'btn-primary' }));
  }
  if (person && r.kind === 'objection') tools.push(btn('Record objection…', () => openObject(ctx, r), { cls: 'btn-primary' }));

  const register = [];
  if (r.law === 'ccpa') {
    register.push(btn(r.acknowledged_on ? 'Acknowledged' : 'Acknowledge', (e) => acknowledge(ctx, r, e.currentTarget),
      { disabled: Boolean(r.acknowledged_on) }));
  }
  register.push(btn(r.extension ? 'Extended' : 'Extend…', () => openExtend(ctx, r), {
    disabled: Boolean(r.extension), title: r.extension ? 'A request can be extended only once' : null,
  }));
  register.push(btn('Close request…', () => openClose(ctx, r)));

  return h('section', { class: 'card pr-card', 'aria-labelledby': 'pr-tools-title' },
    h('h2', { id: 'pr-tools-title' }, 'Answer it'),
    tools.length
      ? h('p', { class: 'muted small' }, 'Each tool is recorded on this request and in the audit log. Close the request once it is answered.')
      : h('p', { class: 'muted small' }, person
        ? 'Answer the person, then close the request.'
        : 'There is no account to act on: answer the person outside OphionTT, then close the request.'),
    tools.length ? h('div', { class: 'pr-tools' }, tools) : null,
    h('div', { class: 'pr-tools pr-register-actions' }, register));
}

async function acknowledge(ctx, r, button) {
  try {
    await busy(button, () => compliance.acknowledgePrivacyRequest(r.id));
    toast('Receipt acknowledged');
    ctx.reload();
  } catch (err) {
    if (!api.isAbort(err)) toast(errorMessage(err), 'error');
  }
}

function historySection(ctx, r) {
  const items = [...r.actions].reverse();
  return h('section', { class: 'pr-history', 'aria-labelledby': 'pr-history-title' },
    h('h2', { id: 'pr-history-title' }, 'What was done'),
    items.length
      ? h('ol', { class: 'pr-actions' }, items.map((a) => h('li', { class: 'pr-action', dataset: { what: a.what } },
        h('span', { class: 'pr-action-what' }, actionLabel(a.what)),
        h('span', { class: 'pr-action-meta muted small' },
          h('time', { datetime: a.at }, formatInstant(a.at, ctx.zone, 'short')),
          ` by ${who(ctx, a.by)}`),
        a.detail ? h('span', { class: 'pr-action-detail' }, a.detail) : null)))
      : h('p', { class: 'muted' }, 'Nothing yet.'),
    h('p', { class: 'muted small' }, `Recorded ${formatInstant(r.created_at, ctx.zone, 'zone')}.`));
}
