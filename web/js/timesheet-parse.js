// timesheet-parse.js — reading what people type into a timesheet cell as a duration. Pure
// functions, no DOM: `1.5`, `1,5`, `1:30`, `:45`, `90m`, `1h30`, `1h 30m`, `1.5h` and `2` (hours)
// are understood; empty and `0` mean no time. The server decides what range is allowed.

const DECIMAL_RE = /^(\d{0,4})(?:[.,](\d{1,4}))?$/;
const CLOCK_RE = /^(\d{0,4}):(\d{1,2})$/;
const MINUTES_RE = /^(\d{1,6})\s*(?:m|min|mins|minutes?)$/;
const HOURS_RE = /^(\d{0,4}(?:[.,]\d{1,4})?)\s*(?:h|hr|hrs|hours?)(?:\s*(\d{1,3})\s*(?:m|min|mins|minutes?)?)?$/;

/** The hint shown when a cell cannot be read. */
export const PARSE_HINT = 'Type hours like 1.5 or 1:30';

/**
 * Decimal hours ("1.5", "1,5", ".25", "2") as whole minutes, or null.
 *
 * @param {string} text digits with an optional decimal point or comma
 * @returns {number|null} minutes, rounded to the nearest one
 */
function decimalMinutes(text) {
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[1] === '' && m[2] === undefined)) return null;
  const hours = Number(`${m[1] || '0'}.${m[2] || '0'}`);
  return Math.round(hours * 60);
}

/**
 * A typed duration as whole seconds (always a multiple of 60).
 *
 * @param {string} text what was typed, e.g. "1:30", "1.5", "90m", "1h30", "" or "0"
 * @returns {number|null} seconds (0 for empty), or null when it cannot be read
 */
export function parseDuration(text) {
  const t = String(text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '') return 0;
  let minutes = decimalMinutes(t);
  if (minutes === null) {
    const clock = CLOCK_RE.exec(t);
    const mins = MINUTES_RE.exec(t);
    const hours = HOURS_RE.exec(t);
    if (clock && Number(clock[2]) < 60 && (clock[1] !== '' || clock[2] !== '')) {
      minutes = Number(clock[1] || 0) * 60 + Number(clock[2]);
    } else if (mins) {
      minutes = Number(mins[1]);
    } else if (hours && hours[1] !== '') {
      const whole = decimalMinutes(hours[1]);
      const extra = Number(hours[2] || 0);
      if (whole === null || extra >= 60) return null;
      minutes = whole + extra;
    }
  }
  return minutes === null ? null : minutes * 60;
}
