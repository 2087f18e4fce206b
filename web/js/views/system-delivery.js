// views/system-delivery.js — on the System page: the e-mail settings in use (never the
// password) with "Send test e-mail", and the delivery log: recent e-mails and webhook
// deliveries with their state, tries and last error, filtered by channel and state, and
// "Send again" for a failed one.

import { h } from '../dom.js';
import * as api from '../api.js';
import { formatInstant, loadInto, toast } from '../ui.js';

const STATES = [['', 'Any state'], ['pending', 'Pending'], ['delivered', 'Delivered'], ['failed', 'Failed']];
const CHANNELS = [['', 'E-mail and webhooks'], ['email', 'E-mail'], ['webhook', 'Webhooks']];
const STATE_TEXT = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };
const SECURITY_TEXT = {
  starttls: 'STARTTLS (upgraded after connecting)',
  tls: 'TLS from the first byte',
  none: 'None (a server on this machine)',
};

/** What an outbox event is, in words. */
const EVENT_TEXT = {
  'email.invitation': 'Invitation',
  'email.password_reset': 'Password-reset link',
  'email.week_approved': 'Week approved',
  'email.week_rejected': 'Week rejected',
  'email.privacy_deadlines': 'Privacy deadlines',
  'email.backup_failed': 'Backup failed',
  'email.test': 'Test e-mail',
};

const fact = (label, ...content) => h('div', { class: 'sys-fact' }, h('dt', {}, label), h('dd', {}, content));

/**
 * The "E-mail" card: the SMTP server in use, or how to set one up.
 *
 * @param {Object} sys the answer of GET /api/v1/system
 * @param {function():void} sent called after a test e-mail was queued
 * @returns {HTMLElement} the card
 */
export function emailCard(sys, sent) {
  const title = h('h2', { id: 'sys-email' }, 'E-mail');
  const card = (...content) => h('section', { class: 'card sys-card sys-email', 'aria-labelledby': 'sys-email' }, title, content);
  const m = sys.email;
  if (!m) {
    return card(h('p', {}, h('span', { class: 'badge badge-off' }, 'Off')),
      h('p', { class: 'sys-hint muted small' }, 'No SMTP server is configured, so invitations and reset links are handed over by you. Set ',
        h('code', {}, 'email.smtp_host'), ' and ', h('code', {}, 'email.from'), ' (admin guide, “E-mail”).'));
  }
  const button = h('button', { type: 'button', class: 'btn email-test' }, 'Send test e-mail');
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    try {
      const r = await api.sendTestEmail();
      toast(`Test e-mail queued to ${r.to}; the delivery log shows how it goes`);
      sent();
    } catch (err) {
      toast(err.message || 'The test e-mail could not be queued', 'error');
    } finally {
      button.setAttribute('aria-disabled', 'false');
    }
  });
  return card(h('dl', { class: 'sys-facts' },
    fact('Server', h('code', { class: 'email-server' }, `${m.host}:${m.port}`)),
    fact('Security', m.security === 'none'
      ? h('span', { class: 'badge badge-warn' }, SECURITY_TEXT.none) : SECURITY_TEXT[m.security] || m.security),
    fact('From', h('span', { class: 'email-from' }, m.from)),
    fact('Sign-in', m.authenticates ? 'User name and password (from a file)' : 'None')),
  h('div', { class: 'sys-actions' }, button));
}

/**
 * The delivery log section; `reload()` on the returned object fetches it again.
 *
 * @param {Object} state router state (me, signal)
 * @returns {{el: HTMLElement, reload: function():Promise<void>}} the section and its reload
 */
export function deliveryLog(state) {
  const ctx = { state, zone: state.me.time_zone, channel: '', state_: '' };
  const select = (label, name, options, set) => {
    const el = h('select', { name, class: 'input' }, options.map(([v, t]) => h('option', { value: v }, t)));
    el.addEventListener('change', () => { set(el.value); load(ctx, false); });
    return h('label', { class: 'delivery-filter' }, h('span', { class: 'small muted' }, label), el);
  };
  ctx.status = h('div', { class: 'list-status' });
  ctx.body = h('tbody');
  ctx.table = h('table', { class: 'table delivery-table' },
    h('caption', { class: 'visually-hidden' }, 'Messages sent out, newest first'),
    h('thead', {}, h('tr', {},
      ['Queued', 'Channel', 'To', 'What', 'State', 'Tries', 'Last error', ''].map((t, i) =>
        h('th', { scope: 'col', class: i === 5 ? 'num' : '' }, t)))),
    ctx.body);
  ctx.empty = h('p', { class: 'muted delivery-empty', hidden: true },
    'Nothing sent out yet. E-mails (invitations, reset links, notifications) and webhook deliveries appear here.');
  const refresh = h('button', { type: 'button', class: 'btn btn-small' }, 'Refresh');
  refresh.addEventListener('click', () => load(ctx, false));
  const el = h('section', { class: 'card sys-card sys-delivery', 'aria-labelledby': 'sys-delivery' },
    h('h2', { id: 'sys-delivery' }, 'Delivery log'),
    h('p', { class: 'muted small' }, 'Messages wait in a durable outbox and are retried with growing pauses; a failed one can be sent again.'),
    h('div', { class: 'delivery-filters' },
      select('Channel', 'channel', CHANNELS, (v) => { ctx.channel = v; }),
      select('State', 'state', STATES, (v) => { ctx.state_ = v; }),
      refresh),
    ctx.status,
    h('div', { class: 'table-wrap' }, ctx.table),
    ctx.empty);
  load(ctx, true);
  return { el, reload: () => load(ctx, false) };
}

function load(ctx, first) {
  const query = { limit: 50 };
  if (ctx.channel) query.channel = ctx.channel;
  if (ctx.state_) query.state = ctx.state_;
  return loadInto(ctx.status, first, () => api.listOutbox(query, ctx.state.signal), (page) => {
    ctx.body.replaceChildren(...page.items.map((it) => row(ctx, it)));
    ctx.table.hidden = page.items.length === 0;
    ctx.empty.hidden = page.items.length !== 0;
  });
}

function row(ctx, it) {
  const last = it.attempts.length ? it.attempts[it.attempts.length - 1] : null;
  const error = last && !last.ok ? last.error || (last.status ? `answered ${last.status}` : '') : '';
  let action = '';
  if (it.state === 'failed') {
    action = h('button', { type: 'button', class: 'btn btn-small delivery-resend' }, 'Send again');
    action.addEventListener('click', async () => {
      action.setAttribute('aria-disabled', 'true');
      try {
        await api.resendOutbox(it.id);
        toast('Queued again');
        await load(ctx, false);
      } catch (err) {
        action.setAttribute('aria-disabled', 'false');
        toast(err.message || 'Could not queue it again', 'error');
      }
    });
  }
  const badge = { pending: 'badge-warn', delivered: 'badge-on', failed: 'badge-off' }[it.state] || '';
  const next = it.state === 'pending' && it.next_at ? ` · next ${formatInstant(it.next_at, ctx.zone, 'short')}` : '';
  return h('tr', { dataset: { id: it.id, state: it.state, channel: it.channel } },
    h('td', { 'data-label': 'Queued' }, h('time', { datetime: it.created_at }, formatInstant(it.created_at, ctx.zone))),
    h('td', { 'data-label': 'Channel' }, it.channel === 'email' ? 'E-mail' : 'Webhook'),
    h('td', { class: 'delivery-to', 'data-label': 'To' }, it.to),
    h('td', { 'data-label': 'What' }, EVENT_TEXT[it.event] || it.event),
    h('td', { 'data-label': 'State' }, h('span', { class: `badge ${badge}` }, STATE_TEXT[it.state] || it.state), h('span', { class: 'muted small' }, next)),
    h('td', { class: 'num', 'data-label': 'Tries' }, String(it.tries)),
    h('td', { class: 'delivery-error small', 'data-label': 'Last error' }, error),
    h('td', {}, action));
}
