// time.js — calendar dates and wall-clock times in the user's time zone (not the
// browser's), and durations as h:mm. Instants stay RFC 3339 UTC everywhere else.

const partFormats = new Map();

function partsFormat(zone) {
  let fmt = partFormats.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partFormats.set(zone, fmt);
  }
  return fmt;
}

/**
 * The wall-clock fields of an instant in a zone.
 *
 * @param {number} ms epoch milliseconds
 * @param {string} zone IANA zone
 * @returns {{year:number, month:number, day:number, hour:number, minute:number, second:number}} fields
 */
export function zoneParts(ms, zone) {
  const out = {};
  for (const p of partsFormat(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  if (out.hour === 24) out.hour = 0;
  return out;
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(ms, zone) {
  const p = zoneParts(ms, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * The calendar date of an instant in a zone.
 *
 * @param {string} zone IANA zone
 * @param {number} [ms] epoch milliseconds (default: now)
 * @returns {string} YYYY-MM-DD
 */
export function dateIn(zone, ms = Date.now()) {
  const p = zoneParts(ms, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * An instant as the value of a `datetime-local` input, in a zone (minute precision).
 *
 * @param {string|number} instant RFC 3339 text or epoch milliseconds
 * @param {string} zone IANA zone
 * @returns {string} YYYY-MM-DDTHH:mm, or "" when there is no instant
 */
export function toLocalInput(instant, zone) {
  if (instant === null || instant === undefined || instant === '') return '';
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const p = zoneParts(ms, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The instant a `datetime-local` value names on the wall clock of a zone. In the hour a
 * clock skips (DST start) the result lands after the gap; in the hour it repeats, the
 * earlier of the two instants.
 *
 * @param {string} value YYYY-MM-DDTHH:mm[:ss]
 * @param {string} zone IANA zone
 * @returns {string|null} RFC 3339 UTC without fractions, or null when the value does not parse
 */
export function fromLocalInput(value, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || '');
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  // The zone's offset near that wall time, and three hours either side, are the only
  // candidates: a candidate is right when the instant it gives shows that wall time.
  const guess = wall - offsetAt(wall, zone);
  const offsets = [0, -3, 3].map((h) => offsetAt(guess + h * 3600 * 1000, zone));
  const valid = offsets.map((o) => wall - o).filter((t) => offsetAt(t, zone) === wall - t);
  // None fits inside a skipped hour: read it with the offset from before the jump.
  const ms = valid.length ? Math.min(...valid) : wall - Math.min(...offsets);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Seconds as hours and minutes, e.g. 5400 → "1:30" (minutes rounded down).
 *
 * @param {number} seconds whole seconds
 * @returns {string} h:mm
 */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}`;
}

/**
 * Seconds as a running clock, e.g. 3725 → "1:02:05".
 *
 * @param {number} seconds whole seconds
 * @returns {string} h:mm:ss
 */
export function formatElapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/**
 * Seconds as decimal hours for a tooltip, e.g. 5400 → "1.50 h".
 *
 * @param {number} seconds whole seconds
 * @returns {string} text
 */
export function decimalHours(seconds) {
  return `${(Math.max(0, seconds || 0) / 3600).toFixed(2)} h`;
}

/**
 * The wall-clock time of an instant in a zone, in the user's locale (e.g. "09:15").
 *
 * @param {string} iso RFC 3339 instant
 * @param {string} zone IANA zone
 * @returns {string} localized time
 */
export function formatClock(iso, zone) {
  try {
    return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  }
}

/**
 * A calendar date (YYYY-MM-DD) written out for people, e.g. "Monday, 23 November 2026".
 *
 * @param {string} date YYYY-MM-DD
 * @returns {string} localized long date
 */
export function formatLongDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}
