// outbox.js — "Waiting to send": the timer starts and stops and quick-add lines done while the
// server could not be reached. They are kept on this device (localStorage, one list per person,
// so a shared device never sends one person's items as another's) and sent in order, each with
// its Idempotency-Key and the time it was done at, when the server is back: on the `online`
// event, when the page becomes visible, after sign-in, every 30 s while items wait, and on
// "Send now". A retry with the same key is answered by the server as the first attempt was, so
// an answer lost on the way never makes an entry twice. The top-bar indicator and its dialog
// show the list; the sign-out question lives here too.

import { h, qs, append } from './dom.js';
import * as api from './api.js';
import { errorMessage, openDialog, plural, formatInstant } from './ui.js';
import { formatClock, dateIn } from './time.js';

const STORE_PREFIX = 'ophiontt.outbox.';
const LOCK_PREFIX = 'ophiontt-outbox.';
const RETRY_MS = 30_000;
/** A request that has not answered after this long counts as unreachable (a train's tunnel). */
const SEND_TIMEOUT_MS = 20_000;

/** The toast when something is kept for later. */
export const OFFLINE_MESSAGE = 'Offline: kept on this device, it will be sent when the server is back';
/** The toast when something waits behind earlier items (the server answers again). */
export const BEHIND_MESSAGE = 'Kept on this device: it will be sent after the items waiting before it';

const KINDS = { start: 'Start timer', stop: 'Stop timer', quick: 'Quick add' };

/**
 * One kept request.
 *
 * @typedef {Object} OutboxItem
 * @property {string} key its Idempotency-Key
 * @property {'start'|'stop'|'quick'} kind which call
 * @property {string} at RFC 3339 instant it was done at
 * @property {Object|null} body the call's JSON body, without `at`
 * @property {string} label what it is, for people ("Website — header fix", the typed line)
 * @property {Object|null} view for a start: the project's name and colour, note, tags (the
 *   timer shown while it is not sent)
 * @property {'waiting'|'failed'} state waiting to be sent, or refused by the server
 * @property {string|null} error the server's reason, for a failed one
 * @property {string} [code] the problem's code, for a failed one
 */

const state = {
  /** @type {string|null} the signed-in person's id: whose list is used */
  user: null,
  zone: undefined,
  /** @type {Promise|null} the flush under way in this tab */
  flushing: null,
  /** @type {string|null} key of the item being sent */
  sending: null,
  retry: 0,
  listeners: new Set(),
  sentListeners: new Set(),
};

function storageKey() {
  return state.user ? STORE_PREFIX + state.user : null;
}

/**
 * The signed-in person's kept items, oldest first.
 *
 * @returns {OutboxItem[]} the list (empty when signed out or storage is unavailable)
 */
export function items() {
  const key = storageKey();
  if (!key) return [];
  try {
    const list = JSON.parse(localStorage.getItem(key) || '[]');
    return Array.isArray(list) ? list.filter((i) => i && i.key && KINDS[i.kind]) : [];
  } catch {
    return [];
  }
}

/** Store the list; false when the browser refused (storage full or disabled). */
function save(list) {
  const key = storageKey();
  if (!key) return false;
  try {
    if (list.length) localStorage.setItem(key, JSON.stringify(list));
    else localStorage.removeItem(key);
  } catch {
    return false;
  } finally {
    changed();
  }
  return true;
}

function patch(key, fn) {
  save(items().flatMap((i) => (i.key === key ? fn(i) : [i])));
}

/**
 * Whether items wait to be sent (failed ones do not count: they wait for the person).
 *
 * @returns {boolean} true when at least one is waiting
 */
export function hasWaiting() {
  return items().some((i) => i.state === 'waiting');
}

/** Tell the listeners, and keep the 30-second retry running exactly while items wait. */
function changed() {
  const waiting = hasWaiting();
  if (waiting && !state.retry) state.retry = setInterval(() => flush(), RETRY_MS);
  if (!waiting && state.retry) {
    clearInterval(state.retry);
    state.retry = 0;
  }
  for (const fn of state.listeners) fn();
}

/**
 * Listen to changes of the list (this tab's and other tabs').
 *
 * @param {function():void} fn listener
 * @returns {function():void} unsubscribe
 */
export function onChange(fn) {
  state.listeners.add(fn);
  return () => state.listeners.delete(fn);
}

/**
 * Listen to replays: called after a flush that sent at least one item, until `signal` aborts.
 *
 * @param {function(number):void} fn gets how many were sent
 * @param {AbortSignal} [signal] stop listening when it aborts
 * @returns {function():void} unsubscribe
 */
export function onSent(fn, signal) {
  state.sentListeners.add(fn);
  const off = () => state.sentListeners.delete(fn);
  if (signal) signal.addEventListener('abort', off, { once: true });
  return off;
}

/**
 * Whose list is used: called with the signed-in person after every sign-in and navigation
 * (then waiting items are sent), and with null on sign-out.
 *
 * @param {{id:string, time_zone?:string}|null} me the person, or null
 * @returns {void}
 */
export function setUser(me) {
  const id = me ? me.id : null;
  state.zone = me ? me.time_zone : undefined;
  if (id !== state.user) {
    state.user = id;
    changed();
  }
  if (id) flush();
}

/** A fresh Idempotency-Key (randomUUID needs a secure context; random hex elsewhere). */
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether a failure means "try again later" rather than "the server refused": no answer (or
 * none in time), a proxy whose server is down, the server starting or stopping, too many
 * requests, or the session gone (the items wait for the next sign-in).
 *
 * @param {*} err what the call threw
 * @returns {boolean} true to keep the item waiting
 */
export function isUnreachable(err) {
  return Boolean(err && [0, 401, 429, 502, 503, 504].includes(err.status));
}

function send(item) {
  const opts = { key: item.key, at: item.at };
  if (AbortSignal.timeout) opts.signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  if (item.kind === 'start') return api.startTimer(item.body, opts);
  if (item.kind === 'stop') return api.stopTimer(opts);
  return api.quickAddEntry(item.body, opts);
}

/**
 * Do one of the calls the outbox keeps: now, or — when the server cannot be reached, or items
 * done earlier still wait — later. Even the first attempt carries the key and the time, so a
 * retry after a lost answer is the same request.
 *
 * @param {'start'|'stop'|'quick'} kind which call
 * @param {Object|null} body its body (without `at`)
 * @param {{label?:string, view?:Object}} [info] what to show in the list (see OutboxItem)
 * @returns {Promise<{queued:false, result:*}|{queued:true, item:OutboxItem, message:string}>}
 *   the server's answer, or the kept item and what to tell the person
 * @throws {import('./api.js').ApiError} when the server refuses (or the device cannot keep it)
 */
export async function submit(kind, body, info = {}) {
  const item = {
    key: newKey(), kind, at: api.serverTime(), body: body || null,
    label: info.label || '', view: info.view || null, state: 'waiting', error: null,
  };
  if (hasWaiting()) {
    // Strictly in order: behind what waits already.
    if (!keep(item)) throw cannotKeep();
    const online = navigator.onLine !== false;
    flush();
    return { queued: true, item, message: online ? BEHIND_MESSAGE : OFFLINE_MESSAGE };
  }
  try {
    return { queued: false, result: await send(item) };
  } catch (err) {
    if (err.code === 'request.already_done' || !isUnreachable(err) || err.status === 401) throw err;
    if (!keep(item)) throw err;
    return { queued: true, item, message: OFFLINE_MESSAGE };
  }
}

function keep(item) {
  return Boolean(state.user) && save([...items(), item]);
}

function cannotKeep() {
  return new api.ApiError({ status: 0, code: 'network.unreachable', detail: 'This device could not keep it for later (its storage is full or disabled)' });
}

/**
 * The timer as the waiting items leave it: the entry of the latest waiting start (shown running,
 * marked not sent), null after a waiting stop, undefined when none waits (the server knows).
 *
 * @returns {Object|null|undefined} a stand-in EntryDto (`id: null, pending: true`), null, or undefined
 */
export function pendingTimer() {
  const last = items().filter((i) => i.state === 'waiting' && (i.kind === 'start' || i.kind === 'stop')).pop();
  if (!last) return undefined;
  return last.kind === 'start' ? entryOf(last) : null;
}

/**
 * The running entry a kept start stands for.
 *
 * @param {OutboxItem} item a start
 * @returns {Object} a stand-in EntryDto, `pending: true`
 */
export function entryOf(item) {
  return { tags: [], note: '', ...item.view, id: null, pending: true, start: item.at, end: null };
}

/**
 * Send the waiting items, strictly in order, one at a time (one tab at a time, by a Web Lock).
 * An item answered 2xx, or `request.already_done`, leaves the list; one the server refuses is
 * marked failed with its reason and the flush goes on; no answer stops the flush and keeps the
 * rest.
 *
 * @param {{retryFailed?:boolean}} [opts] also try the failed ones again ("Send now")
 * @returns {Promise<{sent:number, failed:number, unreachable:boolean}>} what happened
 */
export function flush(opts = {}) {
  const due = items().some((i) => i.state === 'waiting' || (opts.retryFailed && i.state === 'failed'));
  if (!state.user || (!due && !state.flushing)) return Promise.resolve({ sent: 0, failed: 0, unreachable: false });
  if (state.flushing) return state.flushing;
  const user = state.user;
  const run = () => drain(user, Boolean(opts.retryFailed));
  const locked = navigator.locks && navigator.locks.request ? navigator.locks.request(LOCK_PREFIX + user, run) : run();
  state.flushing = locked.finally(() => { state.flushing = null; });
  return state.flushing;
}

async function drain(user, retryFailed) {
  const result = { sent: 0, failed: 0, unreachable: false };
  const tried = new Set();
  try {
    for (;;) {
      if (state.user !== user) break;
      const next = items().find((i) => !tried.has(i.key) && (i.state === 'waiting' || (retryFailed && i.state === 'failed')));
      if (!next) break;
      tried.add(next.key);
      state.sending = next.key;
      changed();
      try {
        await send(next);
        patch(next.key, () => []);
        result.sent += 1;
      } catch (err) {
        if (err.code === 'request.already_done') {
          patch(next.key, () => []);
          result.sent += 1;
        } else if (isUnreachable(err)) {
          result.unreachable = true;
          if (err.status === 401) state.user = null; // the items wait for the next sign-in
          break;
        } else {
          patch(next.key, (i) => [{ ...i, state: 'failed', error: failureText(err), code: err.code }]);
          result.failed += 1;
        }
      }
    }
  } finally {
    state.sending = null;
    changed();
  }
  if (result.sent) for (const fn of state.sentListeners) fn(result.sent);
  return result;
}

/** Reasons for refusals whose answer carries no text of its own. */
const REFUSALS = {
  'timer.not_running': 'No timer was running on the server to stop',
  'timer.started_later': 'The timer running on the server started after this',
  'request.key_reused': 'The server had this item’s key for another request',
};

/** The server's reason for refusing an item: its field message if it named one, else its text. */
function failureText(err) {
  const field = err.fields && (err.fields.at || err.fields.text || Object.values(err.fields)[0]);
  if (field && field.message) return field.message;
  if (err.status < 500 && err.detail) return err.detail;
  return REFUSALS[err.code] || errorMessage(err);
}

/**
 * Send a quick-add line the server found unusual (a day over a year ago or after tomorrow:
 * `entry.needs_confirmation`) again, confirmed: a new item in its place, with a new key.
 *
 * @param {string} key the failed item's key
 * @returns {void}
 */
export function confirmLine(key) {
  patch(key, (i) => [{ ...i, key: newKey(), body: { ...i.body, confirm: true }, state: 'waiting', error: null, code: undefined }]);
  flush();
}

/**
 * Drop one item (a failed one the person gave up on).
 *
 * @param {string} key the item's key
 * @returns {void}
 */
export function discard(key) {
  patch(key, () => []);
}

// ---- When to send ----

window.addEventListener('online', () => flush());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') flush();
});
// Another tab sent or kept something: show it.
window.addEventListener('storage', (event) => {
  if (event.key === storageKey()) changed();
});

// ---- What the person sees ----

function counts(list) {
  const waiting = list.filter((i) => i.state === 'waiting').length;
  return { waiting, failed: list.length - waiting };
}

function summary({ waiting, failed }) {
  return [waiting ? `${waiting} waiting to send` : '', failed ? `${failed} not sent` : ''].filter(Boolean).join(', ');
}

/**
 * The top-bar indicator: hidden while nothing is kept; otherwise "2 waiting" (only the number
 * on a phone), in red when the server refused one. It opens the list.
 *
 * @returns {HTMLElement} the button; it follows changes by itself
 */
export function indicator() {
  const button = h('button', {
    type: 'button', class: 'outbox-indicator', hidden: true, 'aria-haspopup': 'dialog',
    onclick: () => openOutbox(),
  });
  const show = () => {
    const list = items();
    const c = counts(list);
    button.hidden = list.length === 0;
    button.classList.toggle('has-failed', c.failed > 0);
    button.setAttribute('aria-label', summary(c));
    button.title = `${summary(c)}: kept on this device. Show them`;
    button.replaceChildren();
    append(button, [
      h('span', { class: 'outbox-icon', 'aria-hidden': 'true' }),
      h('span', { class: 'outbox-total', 'aria-hidden': 'true' }, String(list.length)),
      c.waiting ? h('span', { class: 'outbox-part' }, `${c.waiting} waiting`) : null,
      c.failed ? h('span', { class: 'outbox-part outbox-part-failed' }, `${c.failed} not sent`) : null]);
  };
  const listener = () => {
    // A rebuilt shell has its own indicator: this one retires.
    if (!button.isConnected && qs('.outbox-indicator')) state.listeners.delete(listener);
    else show();
  };
  state.listeners.add(listener);
  show();
  return button;
}

/** When an item was done, in the person's zone: the time today, else the date and time. */
function whenText(iso) {
  const zone = state.zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  return dateIn(zone, Date.parse(iso)) === dateIn(zone) ? formatClock(iso, zone) : formatInstant(iso, zone, 'short');
}

/**
 * The list of kept items, with "Send now" and, for a failed one, "Discard".
 *
 * @returns {void}
 */
export function openOutbox() {
  const list = h('ol', { class: 'outbox-list' });
  const status = h('p', { class: 'outbox-status', role: 'status' });
  const sendButton = h('button', { type: 'button', class: 'btn btn-primary' }, 'Send now');
  const content = h('div', { class: 'outbox' },
    h('p', { class: 'muted outbox-intro' },
      'Done while the server could not be reached. They are kept on this device, for you only, and sent in this order, '
      + 'with the times shown, as soon as the server answers again.'),
    list,
    status,
    h('div', { class: 'form-actions' }, sendButton));
  const asking = new Set();
  const show = () => {
    const all = items();
    list.replaceChildren(...all.map((item) => itemRow(item, asking, show)));
    if (!all.length) list.replaceChildren(h('li', { class: 'outbox-empty' }, 'Nothing is waiting to be sent.'));
    sendButton.disabled = !all.length || Boolean(state.flushing);
  };
  sendButton.addEventListener('click', async () => {
    status.textContent = 'Sending…';
    sendButton.disabled = true;
    const res = await flush({ retryFailed: true });
    const parts = [];
    if (res.sent) parts.push(`${plural(res.sent, 'item')} sent.`);
    if (res.unreachable) parts.push('The server could not be reached: the rest stays here and is sent later.');
    if (res.failed) parts.push(`The server refused ${plural(res.failed, 'item')}: see the reason above.`);
    status.textContent = parts.join(' ') || 'Nothing was sent.';
    show();
  });
  const off = onChange(show);
  show();
  openDialog({ title: 'Waiting to send', content, wide: true, onClose: off });
  sendButton.focus();
}

function itemRow(item, asking, show) {
  const failed = item.state === 'failed';
  const stateText = item.key === state.sending ? 'Sending…' : failed ? 'Not sent' : 'Waiting';
  const actions = h('div', { class: 'outbox-actions' });
  if (failed && asking.has(item.key)) {
    actions.append(
      h('span', { class: 'outbox-ask' }, 'Discard it? It is not on the server.'),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => { asking.delete(item.key); show(); } }, 'Keep'),
      h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', onclick: () => { asking.delete(item.key); discard(item.key); } }, 'Discard'));
  } else if (failed) {
    if (item.code === 'entry.needs_confirmation') {
      actions.append(h('button', { type: 'button', class: 'btn btn-small', onclick: () => confirmLine(item.key) }, 'Add it anyway'));
    }
    actions.append(h('button', {
      type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Discard ${KINDS[item.kind]} ${item.label}`.trim(),
      onclick: () => { asking.add(item.key); show(); },
    }, 'Discard'));
  }
  return h('li', { class: `outbox-item${failed ? ' is-failed' : ''}`, dataset: { kind: item.kind } },
    h('span', { class: 'outbox-when' }, h('time', { datetime: item.at }, whenText(item.at))),
    h('span', { class: 'outbox-what' }, h('strong', {}, KINDS[item.kind]), item.label ? ` ${item.label}` : ''),
    h('span', { class: `outbox-state${failed ? ' is-failed' : ''}` }, stateText),
    failed && item.error ? h('p', { class: 'outbox-error', role: 'alert' }, item.error) : null,
    actions.childNodes.length ? actions : null);
}

/**
 * Before signing out with items kept: sends what it can, then asks, saying the rest is sent at
 * this person's next sign-in on this device.
 *
 * @returns {Promise<boolean>} true to sign out
 */
export async function confirmSignOut() {
  if (hasWaiting()) await flush();
  const c = counts(items());
  if (!c.waiting && !c.failed) return true;
  return new Promise((resolve) => {
    let go = false;
    const content = h('div', { class: 'form' },
      h('p', {}, `${summary(c)}: ${c.waiting + c.failed === 1 ? 'it has' : 'they have'} not reached the server.`),
      h('p', {}, 'They stay on this device, in this browser, and are sent the next time you log in here. '
        + 'Nobody else who logs in here sees or sends them.'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Stay logged in'),
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { go = true; dlg.close(); } }, 'Log out')));
    const dlg = openDialog({ title: 'Log out with items not sent?', content, onClose: () => resolve(go) });
    qs('.btn', dlg.body).focus();
  });
}
