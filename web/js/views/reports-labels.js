// views/reports-labels.js — how a report writes its dates: the range as a title ("Nov 30 – Dec 6,
// 2026"), a row's key (days, weeks and months written out, the rest as the server names them),
// and the bars of hours per day (per week for a long range) with their axis labels and names.
// Shared by the Reports page (reports.js) and the client portal (portal-hours.js).

import { timeBuckets } from '../chart.js';
import { formatDuration } from '../time.js';

/**
 * A date formatter in the user's locale for dates that are days (no zone shift).
 *
 * @param {Intl.DateTimeFormatOptions} opts what to show
 * @returns {Intl.DateTimeFormat} the formatter (in UTC, which the dates are written in)
 */
export const fmt = (opts) => new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });

/**
 * A YYYY-MM-DD (or YYYY-MM: its first day) as a Date at UTC midnight.
 *
 * @param {string} date the day or month
 * @returns {Date} the instant
 */
export const utc = (date) => new Date(`${date.length === 7 ? `${date}-01` : date}T00:00:00Z`);

/**
 * "Nov 30 – Dec 6, 2026" (or one day), in the user's locale.
 *
 * @param {string} from YYYY-MM-DD
 * @param {string} to YYYY-MM-DD
 * @returns {string} the range in words
 */
export function rangeTitle(from, to) {
  const f = fmt({ year: 'numeric', month: 'short', day: 'numeric' });
  return from === to ? f.format(utc(from)) : f.formatRange(utc(from), utc(to));
}

/**
 * A row key as the page names it: dates written out, the rest as the server labels them.
 *
 * @param {{kind:string, id:string|null, label:string}} key the row's key (for days, weeks and
 *   months `id` is the date)
 * @returns {string} e.g. "Mon, Nov 30", "Week of Nov 30", "November 2026", "Backups"
 */
export function keyLabel(key) {
  if (!key.id) return key.label || '—';
  switch (key.kind) {
    case 'day': return fmt({ weekday: 'short', month: 'short', day: 'numeric' }).format(utc(key.id));
    case 'week': return `Week of ${fmt({ month: 'short', day: 'numeric', year: 'numeric' }).format(utc(key.id))}`;
    case 'month': return fmt({ month: 'long', year: 'numeric' }).format(utc(key.id));
    default: return key.label;
  }
}

/**
 * The bars of a report's days for chart.js: one per day ("Mon 30" under fourteen days, "Nov 30"
 * beyond), or one per week for a long range.
 *
 * @param {Array<{date:string, seconds:number}>} days one per day of the range, in order
 * @returns {{per:'day'|'week', bars:Array<{seconds:number, label:string, name:string}>}} the unit
 *   and the bars
 */
export function dayBars(days) {
  const { unit, buckets } = timeBuckets(days);
  const long = fmt({ weekday: 'short', month: 'short', day: 'numeric' });
  const few = buckets.length <= 14;
  const short = few ? fmt({ weekday: 'short' }) : fmt({ month: 'short', day: 'numeric' });
  const span = fmt({ month: 'short', day: 'numeric' });
  const bars = buckets.map((b) => {
    const d = utc(b.from);
    if (unit === 'week') {
      return { seconds: b.seconds, label: span.format(d), name: b.from === b.to ? long.format(d) : span.formatRange(d, utc(b.to)) };
    }
    return { seconds: b.seconds, label: few ? `${short.format(d)} ${d.getUTCDate()}` : short.format(d), name: long.format(d) };
  });
  return { per: unit === 'week' ? 'week' : 'day', bars };
}

/**
 * What a bar chart of hours shows, in words, for assistive technology.
 *
 * @param {'day'|'week'} per what a bar stands for
 * @param {Array<{seconds:number, name:string}>} bars the bars
 * @param {number} total seconds in all
 * @returns {string} e.g. "7 days, 10:15 in total; the most on Mon, Nov 30, 3:30. Use the arrow keys …"
 */
export function chartDescription(per, bars, total) {
  const most = bars.reduce((best, b) => (b.seconds > (best ? best.seconds : 0) ? b : best), null);
  return `${bars.length} ${per}s, ${formatDuration(total)} in total`
    + `${most ? `; the most on ${most.name}, ${formatDuration(most.seconds)}` : ''}. `
    + 'Use the arrow keys to move between the bars; the same numbers are in the table under the chart.';
}
