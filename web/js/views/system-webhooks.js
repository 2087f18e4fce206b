// views/system-webhooks.js — the "Webhooks" section of the System page: the registered hooks
// with their events and each one's latest delivery, adding one (its signing secret shown
// once), pinging, pausing and deleting. docs/integrations.md shows a receiver.

import { h } from '../dom.js';
import { request } from '../api.js';
import { field, formError, clearErrors, busy, showApiError, errorMessage, toast, formatInstant } from '../ui.js';

const v1 = '/api/v1';
const EVENTS = [
  ['entry.created', 'Entry created'], ['entry.updated', 'Entry changed'], ['entry.deleted', 'Entry deleted'],
  ['week.submitted', 'Week submitted'], ['week.approved', 'Week approved'], ['week.rejected', 'Week rejected'],
  ['privacy.request_due', 'Privacy request due'], ['backup.failed', 'Backup failed'],
];
const STATE_TEXT = { pending: 'waiting', delivered: 'delivered', failed: 'failed' };

/**
 * The Webhooks section.
 *
 * @param {Object} state router state (me, signal, …)
 * @returns {HTMLElement} the section
 */
export function webhooksSection(state) {
  const list = h('div', { class: 'hooks-list' });
  const shown = h('div', { role: 'status' });
  const form = h('form', { class: 'form hooks-form', novalidate: true },
    field({ label: 'URL', name: 'url', type: 'url', attrs: { placeholder: 'https://hooks.example.com/ophiontt' },
      hint: 'Only hosts listed in webhooks.allowed_hosts.' }),
    h('fieldset', { class: 'field hook-events' }, h('legend', {}, 'Events'),
      EVENTS.map(([value, label]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'events', value }), ' ', label)),
      h('p', { class: 'field-error', hidden: true })),
    field({ label: 'Description', name: 'description', attrs: { maxlength: '200', placeholder: 'team chat' } }),
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add webhook')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    shown.replaceChildren();
    const data = new FormData(form);
    const body = {
      url: String(data.get('url')).trim(),
      events: data.getAll('events').map(String),
      description: String(data.get('description')).trim(),
    };
    try {
      const made = await busy(form.querySelector('button[type="submit"]'), () => request('POST', `${v1}/webhooks`, { body }));
      form.reset();
      shown.appendChild(h('div', { class: 'secret-panel' },
        h('p', {}, h('strong', {}, 'Copy the signing secret into the receiver now: it is shown only this once.')),
        h('div', { class: 'secret-row' },
          h('input', { type: 'text', readonly: true, value: made.secret, class: 'secret-value', 'aria-label': 'Signing secret' }))));
      await load(state, list);
    } catch (err) {
      showApiError(form, err);
    }
  });
  load(state, list);
  return h('section', { class: 'card system-hooks', 'aria-labelledby': 'hooks-title' },
    h('h2', { id: 'hooks-title' }, 'Webhooks'),
    h('p', { class: 'muted small' }, 'Signed POSTs to other systems when entries or weeks change, a backup fails or a '
      + 'privacy request comes due; retried, and kept in the delivery log.'),
    list, form, shown);
}

async function load(state, list) {
  try {
    const [hooks, log] = await Promise.all([
      request('GET', `${v1}/webhooks`, { signal: state.signal }),
      request('GET', `${v1}/outbox`, { query: { channel: 'webhook', limit: 200 }, signal: state.signal }),
    ]);
    if (!hooks.items.length) {
      list.replaceChildren(h('p', { class: 'muted small empty' }, 'No webhooks yet.'));
      return;
    }
    list.replaceChildren(h('ul', { class: 'secrets' }, hooks.items.map((hook) => row(state, list, hook,
      log.items.find((m) => m.webhook_id === hook.id)))));
  } catch (err) {
    list.replaceChildren(h('p', { class: 'form-error' }, errorMessage(err)));
  }
}

function row(state, list, hook, last) {
  const zone = state.me.time_zone;
  const act = (label, run, done, ask) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `${label} ${hook.url}` }, label);
    b.addEventListener('click', async () => {
      if (ask && !window.confirm(ask)) return;
      try {
        await busy(b, run);
        toast(done);
        await load(state, list);
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    });
    return b;
  };
  const remove = act('Delete', () => request('DELETE', `${v1}/webhooks/${encodeURIComponent(hook.id)}`),
    'Webhook deleted', `Delete the webhook to ${hook.url}? What is queued for it will not be sent.`);
  remove.classList.add('btn-danger-quiet');
  const lastText = last
    ? `last: ${STATE_TEXT[last.state] || last.state} ${formatInstant((last.attempts.at(-1) || last).at || last.created_at, zone)}`
      + (last.state !== 'delivered' && last.attempts.length ? ` (${last.attempts.at(-1).error || ''})` : '')
    : 'nothing sent yet';
  return h('li', { class: `secret-item${hook.active ? '' : ' state-revoked'}` },
    h('div', {},
      h('strong', { class: 'hook-url' }, hook.url), hook.active ? null : h('span', { class: 'badge badge-off' }, 'paused'),
      h('div', { class: 'muted small' }, hook.events.join(', ')),
      h('div', { class: 'muted small hook-last' }, [hook.description, lastText].filter(Boolean).join(' · '))),
    h('div', { class: 'hook-actions' },
      act('Ping', () => request('POST', `${v1}/webhooks/${encodeURIComponent(hook.id)}/ping`), 'Ping queued'),
      act(hook.active ? 'Pause' : 'Resume',
        () => request('PATCH', `${v1}/webhooks/${encodeURIComponent(hook.id)}`, { body: { active: !hook.active } }),
        hook.active ? 'Webhook paused' : 'Webhook resumed'),
      remove));
}
