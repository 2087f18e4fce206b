// Calendar dates for browser tests, as the timesheet and the lists name them: `YYYY-MM-DD`
// strings on the wall clock of a time zone, and the cells' en-US day labels.

/** `date` plus `n` days (negative: back). */
export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * A time zone where it is now between 03:00 and 21:00: entries that end now and last up to two
 * hours then fall on today there, also when the tests run around midnight UTC (a fresh-clone
 * run at 00:10 UTC once failed on it). UTC by day; America/Chicago (UTC-6, or -5 in summer)
 * from 21:00 to 03:00 UTC, where it is then 15:00 to 22:00.
 *
 * @returns {string} an IANA zone name
 */
export function daytimeZone() {
  const hour = new Date().getUTCHours();
  return hour >= 3 && hour < 21 ? 'UTC' : 'America/Chicago';
}

/** A calendar date `daysAgo` days before today on the wall clock of `zone`. */
export function dayIn(zone, daysAgo = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return addDays(today, -daysAgo);
}

/** The Monday of `date`'s week. */
export function mondayOf(date) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** "Tuesday Nov 17", as the timesheet cells are labelled (en-US). */
export function dayLabel(date) {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(d);
  const monthDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
  return `${weekday} ${monthDay}`;
}
