// track.js — small pieces shared by the time-tracking views: project colour dots,
// project selects, tags and money.

import { h } from './dom.js';
import { dateIn, formatClock } from './time.js';

const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

/**
 * A small round dot in a project's colour (decorative: the name is always next to it).
 *
 * @param {string|null} color `#rrggbb`; anything else draws a neutral dot
 * @returns {HTMLElement} the dot
 */
export function colorDot(color) {
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  // CSSOM assignment, not a style attribute: allowed under the strict CSP.
  if (COLOR_RE.test(color || '')) dot.style.backgroundColor = color;
  return dot;
}

/**
 * A project's dot and name side by side.
 *
 * @param {{project_name?:string, name?:string, project_color?:string, color?:string, client_name?:string}} item an
 *   EntryDto or ProjectDto
 * @param {{withClient?:boolean}} [opts] show the client (if any) after the name, muted
 * @returns {HTMLElement} the label
 */
export function projectLabel(item, opts = {}) {
  return h('span', { class: 'project-label' },
    colorDot(item.project_color || item.color),
    h('span', { class: 'project-text' },
      h('span', { class: 'project-name' }, item.project_name || item.name),
      opts.withClient && item.client_name ? h('span', { class: 'project-client' }, item.client_name) : null));
}

/**
 * What a list shows instead of Edit and Delete for an entry in an approved or locked week.
 *
 * @returns {HTMLElement} the badge, which says why in its title
 */
export function lockedBadge() {
  return h('span', { class: 'badge badge-muted badge-locked', title: 'Its week is approved or locked: a manager or an admin can reopen it' }, 'Locked');
}

/**
 * An entry's task and note for a list cell. A note longer than three lines is shown clamped,
 * with a "More" button that shows all of it (and "Less" to fold it again); whether it is
 * longer is measured where it is shown, and again when the layout changes width.
 *
 * @param {{task_title?:string|null, note:string}} entry EntryDto
 * @returns {Array<HTMLElement|string|null>} the cell's content
 */
export function entryNote(entry) {
  const task = entry.task_title ? h('span', { class: 'task-ref' }, linkTickets(entry.task_title, entry.tickets)) : null;
  if (!entry.note) return [task || h('span', { class: 'muted' }, 'No note')];
  const text = h('span', { class: 'note-text is-clamped' }, linkTickets(entry.note, entry.tickets));
  const more = h('button', {
    type: 'button', class: 'note-more', 'aria-expanded': 'false',
    onclick: () => {
      const open = text.classList.toggle('is-clamped') === false;
      more.textContent = open ? 'Less' : 'More';
      more.setAttribute('aria-expanded', String(open));
    },
  }, 'More');
  // The button is in the page only while the note is longer than its three lines.
  const measure = () => {
    if (!text.classList.contains('is-clamped')) return;
    if (text.scrollHeight > text.clientHeight + 1) {
      if (!more.isConnected) text.after(more);
    } else {
      more.remove();
    }
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(measure).observe(text);
  return [task, text];
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * `text` as nodes, with each ticket id the server found in it (an entry's or task's `tickets`,
 * by the instance's `tickets.patterns`) as a link to its tracker, opening in a new tab. Only
 * ids the server listed become links, where they stand as a whole word, so the page and the
 * API always agree; the text is never parsed as HTML.
 *
 * @param {string} text a note or a task title
 * @param {Array<{id: string, url: string, source: string}>} [tickets] the record's `tickets`
 * @returns {Array<Node|string>} text and links, in order
 */
export function linkTickets(text, tickets) {
  const found = [];
  for (const t of tickets || []) {
    if (!t.id || !/^https?:\/\//.test(t.url)) continue;
    for (let at = text.indexOf(t.id); at >= 0; at = text.indexOf(t.id, at + 1)) {
      const end = at + t.id.length;
      const whole = !WORD.test(text.charAt(at - 1) + ' ') && !WORD.test(text.charAt(end) + ' ');
      const wordy = WORD.test(t.id.charAt(0)) || WORD.test(t.id.charAt(t.id.length - 1));
      if ((whole || !wordy) && !found.some((f) => f.at < end && at < f.end)) found.push({ at, end, t });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out = [];
  let pos = 0;
  for (const { at, end, t } of found) {
    if (at > pos) out.push(text.slice(pos, at));
    out.push(ticketLink(t, text.slice(at, end)));
    pos = end;
  }
  if (pos < text.length || out.length === 0) out.push(text.slice(pos));
  return out;
}

/**
 * A link to one ticket in its tracker, opening in a new tab without telling it where from.
 *
 * @param {{id: string, url: string, source: string}} ticket one of a record's `tickets`
 * @param {string} [text] what the link shows (default: the id)
 * @returns {HTMLAnchorElement} the link
 */
export function ticketLink(ticket, text) {
  return h('a', {
    href: ticket.url, target: '_blank', rel: 'noopener noreferrer', class: 'ticket-link',
    title: `${ticket.id} in ${ticket.source} (opens in a new tab)`,
    // The link acts alone: a click or Enter on it never reaches the row or card around it.
    onclick: (event) => event.stopPropagation(),
    onkeydown: (event) => { if (event.key === 'Enter') event.stopPropagation(); },
  }, text || ticket.id);
}

/**
 * A `<select>` of projects, with an optional placeholder first.
 *
 * @param {Object[]} projects ProjectDto list
 * @param {string} [selected] project id to preselect
 * @param {string} [placeholder] text of an empty first option (none when omitted)
 * @returns {HTMLSelectElement} the select
 */
export function projectSelect(projects, selected, placeholder) {
  const select = h('select', {});
  fillProjectSelect(select, projects, selected, placeholder);
  return select;
}

/**
 * Replace the options of a project select.
 *
 * @param {HTMLSelectElement} select the select
 * @param {Object[]} projects ProjectDto list
 * @param {string} [selected] project id to preselect
 * @param {string} [placeholder] text of an empty first option
 * @returns {void}
 */
export function fillProjectSelect(select, projects, selected, placeholder) {
  const options = projects.map((p) => h('option', { value: p.id, selected: p.id === selected, dataset: { color: p.color || '' } },
    p.client_name ? `${p.name} · ${p.client_name}` : p.name));
  if (placeholder) options.unshift(h('option', { value: '' }, placeholder));
  select.replaceChildren(...options);
  if (selected && projects.some((p) => p.id === selected)) select.value = selected;
  else if (placeholder) select.value = '';
}

/**
 * Keep a colour dot in step with a project select's choice.
 *
 * @param {HTMLSelectElement} select the project select
 * @returns {HTMLElement} the dot, updated on every change
 */
export function selectDot(select) {
  const dot = h('span', { class: 'dot select-dot', 'aria-hidden': 'true' });
  const update = () => {
    const option = select.selectedOptions[0];
    const color = option && option.dataset.color;
    dot.style.backgroundColor = COLOR_RE.test(color || '') ? color : '';
    dot.classList.toggle('dot-empty', !COLOR_RE.test(color || ''));
  };
  select.addEventListener('change', update);
  select.addEventListener('options-changed', update);
  update();
  return dot;
}

/**
 * Tags from comma-separated text: trimmed, empty ones dropped, duplicates (ignoring case) once.
 *
 * @param {string} text e.g. "ops, backup"
 * @returns {string[]} the tags
 */
export function parseTags(text) {
  const seen = new Set();
  const tags = [];
  for (const raw of String(text || '').split(',')) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

/**
 * Tags as the text of a tags input.
 *
 * @param {string[]} tags the tags
 * @returns {string} comma-separated
 */
export function tagsText(tags) {
  return (tags || []).join(', ');
}

/**
 * Tags as small chips.
 *
 * @param {string[]} tags the tags
 * @returns {HTMLElement|null} the list, or null when there are none
 */
export function tagChips(tags) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'tags' }, tags.map((t) => h('li', { class: 'tag' }, t)));
}

/**
 * An amount of money in the user's locale, e.g. 9500 EUR → "€95.00".
 *
 * @param {number|null} cents amount in cents
 * @param {string} currency ISO 4217 code
 * @returns {string} formatted amount, or "" for null
 */
export function formatMoney(cents, currency) {
  if (cents === null || cents === undefined) return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * Cents from a typed decimal amount ("95", "95.5", "95,50"); null when empty.
 *
 * @param {string} text what was typed
 * @returns {number|null|undefined} cents, null for empty, undefined when it does not parse
 */
export function parseMoney(text) {
  const t = String(text || '').trim().replace(/\s/g, '');
  if (!t) return null;
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

/**
 * The entries among `entries` whose time overlaps another entry of the same person (a running
 * one lasts until `now`), each with one entry it overlaps: two entries cannot both be true
 * for one person, so lists point them out.
 *
 * @param {Object[]} entries EntryDto list, any order
 * @param {number} [now] ms since the epoch
 * @returns {Map<string, Object>} entry id → an EntryDto it overlaps
 */
export function overlapsOf(entries, now = Date.now()) {
  const byUser = new Map();
  for (const e of entries) {
    if (!byUser.has(e.user_id)) byUser.set(e.user_id, []);
    byUser.get(e.user_id).push(e);
  }
  const out = new Map();
  for (const list of byUser.values()) {
    list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    let reach = null; // the entry reaching furthest so far
    let reachEnd = -Infinity;
    for (const e of list) {
      const start = Date.parse(e.start);
      const end = e.end ? Date.parse(e.end) : now;
      if (reach && start < reachEnd) {
        out.set(e.id, reach);
        if (!out.has(reach.id)) out.set(reach.id, e);
      }
      if (end > reachEnd) {
        reach = e;
        reachEnd = end;
      }
    }
  }
  return out;
}

/**
 * An entry's times for a list cell: start–end on the wall clock of `zone`, "running", "+1"
 * when it ends on a later day, and an "overlaps" badge naming the entry it overlaps.
 *
 * @param {string} zone IANA time zone
 * @param {Object} entry EntryDto
 * @param {Object} [overlapped] an EntryDto this one overlaps (from overlapsOf)
 * @returns {Array<Node|string|null>} the cell's content
 */
export function entryTimeRange(zone, entry, overlapped) {
  const start = h('time', { datetime: entry.start }, formatClock(entry.start, zone));
  const badge = overlapped
    ? h('span', {
      class: 'badge badge-warn',
      title: `Overlaps ${overlapped.project_name}, ${formatClock(overlapped.start, zone)}–${overlapped.end ? formatClock(overlapped.end, zone) : 'running'}`,
    }, 'overlaps')
    : null;
  if (!entry.end) return [start, '–', h('span', { class: 'badge badge-on' }, 'running'), badge];
  const end = h('time', { datetime: entry.end }, formatClock(entry.end, zone));
  const days = Math.round((Date.parse(dateIn(zone, Date.parse(entry.end))) - Date.parse(dateIn(zone, Date.parse(entry.start)))) / 86400000);
  return [start, '–', end, days > 0 ? h('span', { class: 'muted small', title: `ends ${days} day(s) later` }, ` +${days}`) : null, badge];
}
