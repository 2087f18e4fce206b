// views/jobs-format.js — shared by the Jobs and System pages: how a job run reads (outcome
// badge, trigger, duration, counts as chips, the file it wrote), schedules in plain words,
// sizes and relative times, and "run now" with polling until the run ends.

import { h } from '../dom.js';
import * as api from '../api.js';
import { openDialog, errorMessage } from '../ui.js';

/** How often a running job is polled, and for how long at most (then the page stops asking). */
export const POLL_MS = 1000;
export const POLL_LIMIT = 600;

const JOB_LABELS = {
  backup: 'Backup', export: 'Export', expire_sessions: 'Expire sessions', audit_checkpoint: 'Audit checkpoint',
};

/**
 * A job's name for people: "expire_sessions" → "Expire sessions".
 *
 * @param {string} name the job's name in the API
 * @returns {string} a label
 */
export function jobLabel(name) {
  if (JOB_LABELS[name]) return JOB_LABELS[name];
  const text = name.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const DAYS = { SUN: 'Sunday', MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday' };
const num = (s, max) => /^\d{1,2}$/.test(s) && Number(s) <= max;
const pad = (n) => String(n).padStart(2, '0');

/**
 * A cron expression in plain words, for the common shapes only ("30 2 * * *" → "daily at
 * 02:30"). Days of the week are read only when named (MON, MON-FRI): numbers mean different
 * days in different cron dialects. Anything else gives null, and the expression speaks for itself.
 *
 * @param {string} expr five fields, or six with seconds first
 * @returns {string|null} the reading, or null
 */
export function describeSchedule(expr) {
  let fields = String(expr || '').trim().split(/\s+/);
  if (fields.length === 6 && fields[0] === '0') fields = fields.slice(1);
  if (fields.length !== 5) return null;
  const [min, hour, dom, mon, dow] = fields;
  if (mon !== '*') return null;
  const every = /^\*\/(\d+)$/;
  if (hour === '*' && dom === '*' && dow === '*') {
    if (min === '*') return 'every minute';
    if (every.test(min)) return `every ${Number(every.exec(min)[1])} minutes`;
    if (num(min, 59)) return `hourly at minute ${Number(min)}`;
    return null;
  }
  if (!num(min, 59)) return null;
  if (every.test(hour) && dom === '*' && dow === '*') return `every ${Number(every.exec(hour)[1])} hours at minute ${Number(min)}`;
  if (!num(hour, 23)) return null;
  const at = `at ${pad(hour)}:${pad(min)}`;
  if (dom === '*' && dow === '*') return `daily ${at}`;
  if (dow === '*' && num(dom, 31) && Number(dom) >= 1) return `monthly on day ${Number(dom)} ${at}`;
  if (dom !== '*') return null;
  const day = dow.toUpperCase();
  if (day === 'MON-FRI') return `on weekdays ${at}`;
  if (day === 'SAT,SUN' || day === 'SUN,SAT') return `on weekends ${at}`;
  const names = day.split(',');
  if (names.every((d) => DAYS[d])) return `every ${names.map((d) => DAYS[d]).join(', ')} ${at}`;
  return null;
}

/**
 * A size in decimal units: 52000000 → "52 MB".
 *
 * @param {number|null} bytes the size
 * @returns {string} e.g. "3.9 kB"; "—" for null
 */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i += 1;
  }
  if (i === 0) return `${bytes.toLocaleString()} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[i]}`;
}

/**
 * A span of time for people: 4500 → "4.5 s", 3_840_000 → "1 h 4 min".
 *
 * @param {number} ms milliseconds
 * @returns {string} the span
 */
export function formatSpan(ms) {
  if (ms < 1000) return 'under 1 s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return m % 60 ? `${hrs} h ${m % 60} min` : `${hrs} h`;
  const d = Math.floor(hrs / 24);
  return hrs % 24 ? `${d} d ${hrs % 24} h` : `${d} d`;
}

/**
 * How far an instant is from now, roughly: "in 5 h", "12 min ago", "just now".
 *
 * @param {string} iso the instant
 * @param {number} [now] ms since the epoch (default: now)
 * @returns {string} the hint
 */
export function relativeTime(iso, now = Date.now()) {
  const diff = new Date(iso).getTime() - now;
  const s = Math.abs(diff) / 1000;
  if (s < 45) return diff > 0 ? 'in under a minute' : 'just now';
  let text;
  if (s < 90 * 60) text = `${Math.max(1, Math.round(s / 60))} min`;
  else if (s < 36 * 3600) text = `${Math.round(s / 3600)} h`;
  else text = `${Math.round(s / 86400)} d`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

const OUTCOMES = {
  ok: ['OK', 'badge-on'],
  failed: ['Failed', 'badge-off'],
  skipped: ['Skipped', 'badge-warn'],
  running: ['Running', 'badge-running'],
};

/**
 * The outcome of a run as a coloured badge (ok green, failed red, skipped amber, running).
 *
 * @param {string} outcome "ok" | "failed" | "skipped" | "running"
 * @returns {HTMLElement} the badge
 */
export function outcomeBadge(outcome) {
  const [label, cls] = OUTCOMES[outcome] || [outcome, ''];
  return h('span', { class: `badge run-outcome ${cls}`, dataset: { outcome } },
    outcome === 'running' ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null, label);
}

/**
 * What started a run, in words.
 *
 * @param {string} trigger "schedule" | "missed" | "manual"
 * @returns {string} the label
 */
export function triggerLabel(trigger) {
  return { schedule: 'Scheduled', missed: 'Missed while down', manual: 'Manual' }[trigger] || trigger;
}

/**
 * How long a run took (API instants are whole seconds, so short runs read "under 1 s").
 *
 * @param {{started:string, ended:string|null}} run the RunDto
 * @returns {string} the duration, or "running" while it runs
 */
export function runDuration(run) {
  if (!run.ended) return 'running';
  return formatSpan(new Date(run.ended).getTime() - new Date(run.started).getTime());
}

const COUNT_LABELS = { bytes: 'size', one_time_links: 'one-time links', api_tokens: 'API tokens' };
const FIRST_COUNTS = ['records', 'entries', 'sessions', 'one_time_links', 'bytes', 'verified'];

/**
 * A run's counts as small "key value" chips: sizes in kB/MB, `*_ms` in ms, `verified` as yes/no.
 *
 * @param {Object<string, number>} counts the RunDto's counts
 * @returns {HTMLElement|null} a list of chips, or null when there are none
 */
export function countChips(counts) {
  const keys = Object.keys(counts || {});
  if (!keys.length) return null;
  // What the run did first (records, entries, size, verified), timings and the rest after.
  const rank = (key) => {
    const i = FIRST_COUNTS.indexOf(key);
    if (i >= 0) return i;
    return key.endsWith('_ms') ? FIRST_COUNTS.length + 1 : FIRST_COUNTS.length;
  };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return h('ul', { class: 'chips', 'aria-label': 'Counts' }, keys.map((key) => {
    const value = counts[key];
    let label = COUNT_LABELS[key] || key.replaceAll('_', ' ');
    let text;
    if (key === 'bytes' || key.endsWith('_bytes')) text = formatBytes(value);
    else if (key.endsWith('_ms')) {
      label = label.replace(/ ms$/, '');
      text = `${value.toLocaleString()} ms`;
    } else if (key === 'verified') text = value ? 'yes' : 'no';
    else text = typeof value === 'number' ? value.toLocaleString() : String(value);
    return h('li', { class: 'chip', dataset: { key } }, h('span', { class: 'chip-key' }, label), ' ', h('span', { class: 'chip-value' }, text));
  }));
}

/**
 * A run's detail: a file path in monospace (wrapping anywhere), with a leading note such as
 * the export job's period ("2026-11-23 to 2026-11-29 (UTC): ") and a trailing one such as
 * "(verified by a test restore)" in plain text.
 *
 * @param {string|null} detail the RunDto's detail
 * @returns {HTMLElement|null} the element, or null
 */
export function runDetail(detail) {
  if (!detail) return null;
  const m = /^(?:(.+?):\s+(?=\/))?(\/\S.*?)(?:\s+(\([^()]*\)))?$/.exec(detail);
  if (!m) return h('p', { class: 'run-detail' }, detail);
  return h('p', { class: 'run-detail' },
    m[1] ? [h('span', { class: 'period' }, m[1]), ': '] : null,
    h('code', { class: 'path' }, m[2]),
    m[3] ? [' ', h('span', { class: 'muted' }, m[3])] : null);
}

/**
 * A run's error text for a failure.
 *
 * @param {string|null} error the RunDto's error
 * @returns {HTMLElement|null} the element, or null
 */
export function runError(error) {
  return error ? h('p', { class: 'run-error' }, error) : null;
}

/**
 * Ask before a backup (writes pause while it is copied). Other jobs need no confirmation.
 *
 * @param {string} name the job
 * @returns {Promise<boolean>} whether to go ahead
 */
export function confirmRun(name) {
  if (name !== 'backup') return Promise.resolve(true);
  return new Promise((resolve) => {
    let answer = false;
    const go = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { answer = true; dlg.close(); } }, 'Back up now');
    const dlg = openDialog({
      title: 'Back up now',
      content: [
        h('p', {}, 'Take a backup now? Writes pause briefly while it is copied.'),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
          go),
      ],
      onClose: () => resolve(answer),
    });
    go.focus();
  });
}

/**
 * Start a job now and poll GET /api/v1/jobs every second until that run ends, the signal
 * aborts (the page was left) or the poll limit is reached. A 409 `job.running` and other
 * failures of the start request are thrown as ApiError.
 *
 * @param {string} name the job
 * @param {AbortSignal} signal aborts the polling
 * @param {function(Object):void} [onUpdate] called with the started RunDto, then each jobs listing
 * @returns {Promise<{run:Object|null, ended:boolean}>} the last known RunDto and whether it ended
 */
export async function runAndWait(name, signal, onUpdate = () => {}) {
  const started = await api.runJob(name);
  onUpdate({ started });
  let run = started;
  for (let i = 0; i < POLL_LIMIT && !signal.aborted; i += 1) {
    await sleep(POLL_MS, signal);
    if (signal.aborted) break;
    let jobs;
    try {
      jobs = await api.listJobs(signal);
    } catch (err) {
      if (api.isAbort(err)) break;
      continue; // a failed poll is retried at the next tick
    }
    onUpdate({ jobs });
    const job = jobs.items.find((j) => j.name === name);
    const found = job && job.runs.find((r) => r.id === started.id);
    if (found) run = found;
    if (found && found.outcome !== 'running') return { run, ended: true };
    if (job && !job.running && !found) return { run, ended: true };
  }
  return { run, ended: false };
}

/**
 * Wait, but no longer than until the signal aborts.
 *
 * @param {number} ms how long
 * @param {AbortSignal} signal cuts the wait short
 * @returns {Promise<void>} resolves after `ms` or on abort
 */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * The toast for a finished run: text and kind.
 *
 * @param {string} name the job
 * @param {{run:Object|null, ended:boolean}} result what runAndWait returned
 * @returns {[string, 'success'|'error']} message and kind
 */
export function runToast(name, result) {
  const label = jobLabel(name);
  const run = result.run;
  if (result.ended && !run) return [`${label} ended`, 'success'];
  if (!result.ended || !run || run.outcome === 'running') return [`${label} is still running; reload the page later to see how it ended`, 'success'];
  if (run.outcome === 'ok') return [`${label} finished in ${runDuration(run)}`, 'success'];
  if (run.outcome === 'skipped') return [`${label} was skipped: ${run.error || 'the previous run was still going'}`, 'error'];
  return [`${label} failed${run.error ? `: ${run.error}` : ''}`, 'error'];
}

/**
 * Words for an error of "run now": the friendly text for 409 job.running.
 *
 * @param {string} name the job
 * @param {import('../api.js').ApiError} err the error
 * @returns {string} a sentence
 */
export function runErrorMessage(name, err) {
  if (err.code === 'job.running') return `${jobLabel(name)} is running already (started elsewhere or on schedule). Its outcome shows here when it ends.`;
  if (err.code === 'job.not_found') return `This server has no job called ${name}.`;
  return errorMessage(err);
}
