// views/incident-format.js — how the breach register shows an incident's 72-hour authority
// deadline (a live countdown badge), its status, and the Art. 33(3) fields' names. Shared by
// the register (incidents.js) and one incident's page (incident.js).

import { h } from '../dom.js';
import { formatInstant } from '../ui.js';

/** The Art. 33(3) fields: API name → label, and what the form asks. */
export const FIELDS = {
  nature: ['Nature of the breach', 'What happened to the data: disclosed, altered, lost, unavailable — and how.'],
  people_categories: ['Categories of people', 'e.g. staff, former staff, clients’ contacts.'],
  people_count: ['Approximate number of people', 'An estimate is fine; correct it as you learn more.'],
  record_categories: ['Categories of records', 'e.g. time entries, account details, notes.'],
  record_count: ['Approximate number of records', 'An estimate is fine.'],
  consequences: ['Likely consequences', 'What could happen to the people concerned.'],
  measures: ['Measures taken or proposed', 'What was done to stop it and to limit its effects.'],
  contact: ['Contact point', 'The data protection officer or other contact, with how to reach them.'],
};

/** "61 h 12 min" (or "12 min") for a duration in milliseconds. */
export function hoursMinutes(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * The deadline's text and badge class as of `nowMs`.
 *
 * @param {Object} inc IncidentDto or IncidentSummaryDto
 * @param {number} nowMs the server's clock, in milliseconds
 * @param {string} zone the reader's time zone
 * @returns {{text:string, cls:string}} what the badge says
 */
export function deadlineText(inc, nowMs, zone) {
  const due = Date.parse(inc.authority_due_at);
  const notifiedAt = inc.authority ? inc.authority.notified_at : inc.authority_notified_at;
  switch (inc.deadline) {
    case 'notified':
      return { text: `Authority notified ${formatInstant(notifiedAt, zone, 'short')}`, cls: 'badge-on' };
    case 'notified_late':
      return { text: `Authority notified late, ${formatInstant(notifiedAt, zone, 'short')}`, cls: 'badge-warn' };
    case 'closed_unnotified':
      return { text: 'Closed — authority not notified', cls: 'badge-muted' };
    default:
      return due >= nowMs
        ? { text: `${hoursMinutes(due - nowMs)} left to notify the authority`, cls: due - nowMs < 12 * 3_600_000 ? 'badge-overdue' : 'badge-warn' }
        : { text: `Overdue by ${hoursMinutes(nowMs - due)}`, cls: 'badge-overdue' };
  }
}

/**
 * A deadline badge that counts down while the page is open (every 20 s, until `signal` aborts).
 *
 * @param {Object} inc the incident
 * @param {number} offsetMs the server's clock minus this browser's
 * @param {string} zone the reader's time zone
 * @param {AbortSignal} signal the page's signal
 * @returns {HTMLElement} the badge
 */
export function deadlineBadge(inc, offsetMs, zone, signal) {
  const el = h('span', { class: 'badge inc-deadline', dataset: { deadline: inc.deadline } });
  const paint = () => {
    const { text, cls } = deadlineText(inc, Date.now() + offsetMs, zone);
    el.className = `badge inc-deadline ${cls}`;
    el.textContent = text;
  };
  paint();
  if (inc.deadline === 'running' || inc.deadline === 'overdue') {
    const timer = setInterval(() => (el.isConnected ? paint() : clearInterval(timer)), 20_000);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
  return el;
}

/** The offset of the server's clock (`now` of an answer) from this browser's. */
export function clockOffset(serverNow) {
  const t = Date.parse(serverNow);
  return Number.isNaN(t) ? 0 : t - Date.now();
}

/** An open/closed badge. */
export function statusBadge(status) {
  return status === 'open'
    ? h('span', { class: 'badge badge-plain' }, 'Open')
    : h('span', { class: 'badge badge-muted' }, 'Closed');
}
