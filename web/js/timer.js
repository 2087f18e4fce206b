// timer.js — the one running timer, shared by the top bar and the Today page. The
// server owns it; this module keeps the last known state, updates it optimistically,
// and ticks every element marked `data-tick-from` once a second (display only). Starts and
// stops the server cannot be reached for wait in the outbox (outbox.js); meanwhile the timer
// shows as they leave it, marked as not sent.

import { h, qs, qsa } from './dom.js';
import * as api from './api.js';
import { colorDot } from './track.js';
import { formatElapsed, formatDuration } from './time.js';
import { toast, errorMessage, openDialog } from './ui.js';
import * as outbox from './outbox.js';

const store = {
  running: null,
  known: false,
  version: 0,
  listeners: new Set(),
};

/**
 * The running entry as last known (null when none runs or not known yet).
 *
 * @returns {Object|null} EntryDto with `end: null`
 */
export function getRunning() {
  return store.running;
}

/**
 * Whether the server has told us about the timer at least once.
 *
 * @returns {boolean} true after the first answer
 */
export function isKnown() {
  return store.known;
}

/**
 * Set the running entry and tell every listener.
 *
 * @param {Object|null} entry the running EntryDto (or an optimistic stand-in), or null
 * @param {{stopped?:Object|null, source?:string}} [info] the entry that stopped with this change, and why
 * @returns {void}
 */
export function setRunning(entry, info = {}) {
  store.running = entry;
  store.known = true;
  store.version += 1;
  for (const fn of store.listeners) fn(entry, info);
  tick();
}

/**
 * Listen to timer changes until `signal` aborts.
 *
 * @param {function(Object|null, {stopped?:Object|null, source?:string}):void} fn listener
 * @param {AbortSignal} [signal] stop listening when it aborts
 * @returns {function():void} unsubscribe
 */
export function onTimerChange(fn, signal) {
  store.listeners.add(fn);
  const off = () => store.listeners.delete(fn);
  if (signal) signal.addEventListener('abort', off, { once: true });
  return off;
}

/**
 * Ask the server which timer runs; starts and stops still waiting in the outbox apply on top.
 * An answer that arrives after a local change is dropped.
 *
 * @returns {Promise<void>} resolves when done (errors are ignored: the next navigation asks again)
 */
export async function refreshTimer() {
  const version = store.version;
  try {
    const res = await api.getTimer();
    if (version !== store.version) return;
    const pending = outbox.pendingTimer();
    setRunning(pending === undefined ? res.running : pending, { source: 'refresh' });
  } catch {
    // Not fatal: the top bar simply keeps what it showed.
  }
}

// After the outbox sent starts or stops, the server's timer is the truth again.
outbox.onSent(() => refreshTimer());

/**
 * Start a timer now (optimistically: it runs at once), or keep the start in the outbox when the
 * server cannot be reached (it keeps running, marked as not sent).
 *
 * @param {Object} body the start's body (project_id, task_id?, note, tags)
 * @param {{project_name:string, project_color?:string}} project what the bar shows meanwhile
 * @returns {Promise<{started:Object, stopped:Object|null}|{queued:true, message:string}>} the
 *   server's answer, or that it was kept (and what to tell the person)
 * @throws {import('./api.js').ApiError} when the server refuses; the timer shows as before
 */
export async function startRunning(body, project) {
  const before = store.running;
  const view = {
    project_id: body.project_id, project_name: project.project_name, project_color: project.project_color,
    task_id: body.task_id || null, note: body.note || '', tags: body.tags || [],
  };
  // Optimistic: the timer runs at once; the server's entry replaces this stand-in.
  setRunning({ ...view, id: null, start: new Date().toISOString(), end: null }, { source: 'starting' });
  try {
    const res = await outbox.submit('start', body, { label: view.note ? `${view.project_name} — ${view.note}` : view.project_name, view });
    if (res.queued) {
      setRunning(outbox.entryOf(res.item), { source: 'queued' });
      return { queued: true, message: res.message };
    }
    setRunning(res.result.started, { stopped: res.result.stopped, source: 'start' });
    return res.result;
  } catch (err) {
    setRunning(before, { source: 'start-failed' });
    throw err;
  }
}

/**
 * Stop the running timer now (optimistically), and report the stopped entry to listeners.
 *
 * @returns {Promise<Object|null>} the stopped EntryDto (`queued` with a `message` when the stop
 *   waits in the outbox), or null when none was running
 * @throws {import('./api.js').ApiError} when the server refuses; the timer is shown running again
 */
export async function stopRunning() {
  const before = store.running;
  if (before && before.id && !outbox.hasWaiting()) {
    const least = await minTimerSeconds();
    if (least > 0 && elapsedSeconds(before) < least) {
      const choice = await askShortTimer(before);
      if (choice === 'cancel') return null;
      if (choice === 'discard') return discardRunning(before);
    }
  }
  setRunning(null, { source: 'stopping' });
  try {
    const label = before ? (before.note ? `${before.project_name} — ${before.note}` : before.project_name) : '';
    const res = await outbox.submit('stop', null, { label });
    if (res.queued) {
      setRunning(null, { source: 'queued' });
      return { ...before, end: res.item.at, queued: true, message: res.message };
    }
    setRunning(null, { stopped: res.result, source: 'stop' });
    return res.result;
  } catch (err) {
    if (err.code === 'timer.not_running') {
      setRunning(null, { source: 'stop' });
      return null;
    }
    setRunning(before, { source: 'stop-failed' });
    throw err;
  }
}

let minTimer = null;

/** `min_timer_seconds` of /api/v1/instance (read once; 60 when the server does not say). When
 * the server cannot be reached there is no question: the stop waits in the outbox, and a
 * discard could not be done. */
async function minTimerSeconds() {
  if (minTimer === null) {
    try {
      const info = await api.getInstance();
      minTimer = Number.isInteger(info.min_timer_seconds) ? info.min_timer_seconds : 60;
    } catch {
      return 0;
    }
  }
  return minTimer;
}

/**
 * Ask what to do with a timer that ran only a few seconds: keep its entry, discard it, or
 * leave it running.
 *
 * @param {Object} entry the running EntryDto
 * @returns {Promise<'keep'|'discard'|'cancel'>} the choice (closing the dialog: cancel)
 */
function askShortTimer(entry) {
  return new Promise((resolve) => {
    let choice = 'cancel';
    const pick = (c) => () => { choice = c; dlg.close(); };
    const content = h('div', { class: 'form' },
      h('p', {}, `This timer on ${entry.project_name} ran for ${formatElapsed(elapsedSeconds(entry))}. Keep it as an entry, or discard it?`),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: pick('cancel') }, 'Keep running'),
        h('button', { type: 'button', class: 'btn btn-danger-quiet', onclick: pick('discard') }, 'Discard'),
        h('button', { type: 'button', class: 'btn btn-primary', onclick: pick('keep') }, 'Keep entry')));
    const dlg = openDialog({ title: 'Stop a short timer', content, onClose: () => resolve(choice) });
    qs('.btn-primary', dlg.body).focus();
  });
}

/** Delete the running entry instead of stopping it; answers like a stop, marked `discarded`. */
async function discardRunning(entry) {
  setRunning(null, { source: 'stopping' });
  try {
    await api.deleteEntry(entry.id);
  } catch (err) {
    if (err.code !== 'entry.not_found') {
      setRunning(entry, { source: 'stop-failed' });
      throw err;
    }
  }
  setRunning(null, { source: 'stop' });
  return { ...entry, discarded: true };
}

/**
 * What to tell the user about a stopped entry. The server discards a timer stopped less
 * than a second after it started (a double click) and answers with a zero-length entry, and
 * ends one that ran past the longest entry allowed at that length (`capped`).
 *
 * @param {Object} stopped the EntryDto from timer/stop
 * @returns {string} toast text
 */
export function stoppedMessage(stopped) {
  if (stopped.queued) return stopped.message;
  if (stopped.discarded) return `Timer discarded: nothing was recorded on ${stopped.project_name}`;
  if (!stopped.end || Date.parse(stopped.end) - Date.parse(stopped.start) < 1000 || stopped.duration_seconds < 1) {
    return 'Timer discarded: it ran for less than a second';
  }
  if (stopped.capped) {
    // The server ends a timer left running past the longest entry allowed at that length.
    return `Stopped at the longest entry allowed (${formatElapsed(stopped.duration_seconds)}) on ${stopped.project_name}: correct its end if you stopped working earlier`;
  }
  return `Stopped: ${formatElapsed(stopped.duration_seconds)} on ${stopped.project_name}`;
}

/**
 * Seconds since the running entry started, by the browser's clock (display only).
 *
 * @param {{start:string}} entry the running entry
 * @returns {number} whole seconds, never negative
 */
export function elapsedSeconds(entry) {
  return Math.max(0, Math.floor((Date.now() - Date.parse(entry.start)) / 1000));
}

/**
 * Update every ticking element: `data-tick-from` is an epoch-ms origin and
 * `data-tick-format` is "hms" (h:mm:ss, the default) or "hm" (h:mm).
 *
 * @returns {void}
 */
export function tick() {
  const now = Date.now();
  for (const el of qsa('[data-tick-from]')) {
    const seconds = Math.max(0, Math.floor((now - Number(el.dataset.tickFrom)) / 1000));
    const text = el.dataset.tickFormat === 'hm' ? formatDuration(seconds) : formatElapsed(seconds);
    if (el.textContent !== text) el.textContent = text;
  }
}

let ticking = 0;

/**
 * Start the once-a-second tick (idempotent).
 *
 * @returns {void}
 */
export function startTicker() {
  if (!ticking) ticking = setInterval(tick, 1000);
}

/**
 * Build the top-bar timer: hidden while no timer runs; otherwise the project's dot,
 * the elapsed time (a link to Today) and a stop button.
 *
 * @returns {HTMLElement} the widget; it follows timer changes by itself
 */
export function topbarTimer() {
  const link = h('a', { class: 'topbar-timer-link', href: '/today' });
  const stop = h('button', {
    type: 'button', class: 'topbar-timer-stop', 'aria-label': 'Stop running timer', title: 'Stop the running timer (s)',
    onclick: () => handleTopbarStop(stop),
  }, h('span', { class: 'stop-square', 'aria-hidden': 'true' }));
  const box = h('div', { class: 'topbar-timer', hidden: true }, link, stop);
  const show = (entry) => {
    box.hidden = !entry;
    box.classList.toggle('is-pending', Boolean(entry && entry.pending));
    if (!entry) {
      link.replaceChildren();
      return;
    }
    const what = entry.note ? `${entry.project_name} — ${entry.note}` : entry.project_name;
    link.title = entry.pending ? `Running: ${what} (not sent yet: kept on this device)` : `Running: ${what}`;
    link.replaceChildren(
      colorDot(entry.project_color),
      h('span', { class: 'topbar-timer-project' }, entry.project_name),
      h('span', {
        class: 'topbar-timer-elapsed', role: 'timer', 'aria-label': 'Running timer',
        dataset: { tickFrom: String(Date.parse(entry.start)) },
      }, formatElapsed(elapsedSeconds(entry))));
    if (entry.pending) link.append(h('span', { class: 'visually-hidden' }, ' (not sent yet)'));
  };
  const listener = (entry) => {
    // A rebuilt shell has its own widget: this one retires.
    if (!box.isConnected && qs('.topbar-timer')) store.listeners.delete(listener);
    else show(entry);
  };
  store.listeners.add(listener);
  show(store.running);
  return box;
}

async function handleTopbarStop(button) {
  button.disabled = true;
  try {
    const stopped = await stopRunning();
    if (stopped) toast(stoppedMessage(stopped));
  } catch (err) {
    toast(errorMessage(err), 'error');
  } finally {
    button.disabled = false;
  }
}
