// views/account-email.js — "E-mail notifications" on My account: the e-mails a person may turn
// off (only those that concern their role), each saved as soon as it is ticked or cleared.
// Invitations and password-reset links are always sent.

import { h } from '../dom.js';
import * as api from '../api.js';

const KINDS = {
  week_decisions: ['My week was approved or rejected', 'With the approver’s comment.'],
  privacy_deadlines: ['Privacy requests coming due', 'A daily digest of open requests due soon or overdue.'],
  backup_failures: ['A scheduled backup failed', 'With the error, so a missing backup does not go unnoticed.'],
};

/**
 * The section, or null when the server sends no e-mail or no kind concerns this person.
 *
 * @param {Object} state router state (me, setMe, toast)
 * @returns {HTMLElement|null} the section
 */
export function emailSection(state) {
  const me = state.me;
  const kinds = (me.email_notification_kinds || []).filter((k) => k in KINDS);
  if (!me.email_enabled || kinds.length === 0) return null;
  const status = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const boxes = kinds.map((kind) => {
    const [label, hint] = KINDS[kind];
    const id = `notify-${kind}`;
    const box = h('input', { type: 'checkbox', id, name: kind, 'aria-describedby': `${id}-hint` });
    box.checked = Boolean(me.email_notifications && me.email_notifications[kind]);
    box.addEventListener('change', async () => {
      status.hidden = true;
      const on = box.checked;
      box.disabled = true;
      try {
        const next = await api.updateMe({ email_notifications: { [kind]: on } });
        state.setMe(next);
        state.me = next;
        state.toast(on ? `E-mails on: ${label.toLowerCase()}` : `E-mails off: ${label.toLowerCase()}`);
      } catch (err) {
        box.checked = !on;
        status.textContent = err.message || 'Not saved; try again';
        status.hidden = false;
      } finally {
        box.disabled = false;
      }
    });
    return h('div', { class: 'check-row' },
      box,
      h('label', { for: id }, label),
      h('p', { id: `${id}-hint`, class: 'muted small check-hint' }, hint));
  });
  return h('section', { class: 'card account-email', 'aria-labelledby': 'email-title' },
    h('h2', { id: 'email-title' }, 'E-mail notifications'),
    h('p', { class: 'muted small' }, `Sent to ${me.email}. Invitations and password-reset links are always sent.`),
    h('div', { class: 'check-list' }, boxes),
    status);
}
