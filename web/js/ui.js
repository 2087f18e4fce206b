// ui.js — shared building blocks for views: labelled fields with inline errors,
// toasts, delayed spinners, dialogs, time-zone selects and date formatting.

import { h, qs, qsa, uid } from './dom.js';
import { isAbort } from './api.js';

let minPasswordLength = 12;

/**
 * The password rule as a hint, from the server's configured minimum.
 * @returns {string} hint text
 */
export function passwordHint() {
  return `At least ${minPasswordLength} characters. A few unrelated words work well.`;
}

/**
 * Records the server's minimum password length (from /api/v1/instance) and updates any
 * password hint already on the page.
 * @param {number} n minimum length
 * @returns {void}
 */
export function setPasswordRule(n) {
  if (!Number.isInteger(n) || n < 1) return;
  minPasswordLength = n;
  for (const el of document.querySelectorAll('[data-password-hint]')) el.textContent = passwordHint();
}

/**
 * What is wrong with a new password under the server's rule, checked in the browser so it can
 * show beside other errors (a mismatch, a missing field) instead of one at a time (#14).
 * Length counts characters (code points), as the server does.
 *
 * @param {string} password the new password
 * @returns {string} the message, or "" when the password is acceptable (or empty)
 */
export function passwordProblem(password) {
  const n = [...password].length;
  if (n > 0 && n < minPasswordLength) return `Use at least ${minPasswordLength} characters`;
  if (n > 256) return 'Use at most 256 characters';
  return '';
}

const FIELD_MESSAGES = {
  required: 'This field is required',
  too_long: 'This is too long',
  too_short: 'This is too short',
  invalid_email: 'Enter a valid email address, like name@example.com',
  unknown_zone: 'Choose a time zone from the list',
  wrong_password: 'Current password is wrong',
  invalid_date: 'Enter a valid date',
  end_before_start: 'The end must be after the start',
  invalid_instant: 'Enter a valid date and time',
  invalid_color: 'Choose a colour',
  invalid_currency: 'Use a three-letter currency code, like EUR',
  negative: 'This cannot be negative',
  timer_running: 'This entry is still running; stop the timer to set its end',
};

/**
 * Readable text for a field error code from a problem's `errors[]`.
 *
 * @param {{code:string, message?:string}} err the field error
 * @returns {string} text to show under the field
 */
export function fieldMessage(err) {
  // Length limits are only known to the server, so its message is more useful there.
  if ((err.code === 'too_short' || err.code === 'too_long') && err.message) return capitalize(err.message);
  return FIELD_MESSAGES[err.code] || capitalize(err.message || err.code);
}

function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * A count with its noun, singular or plural: "1 second", "30 seconds".
 *
 * @param {number} n the count
 * @param {string} singular the noun for one
 * @param {string} [pluralForm] the noun for other counts (default: singular + "s")
 * @returns {string} e.g. "1 second"
 */
export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Readable text for an API error that is not about one field.
 *
 * @param {import('./api.js').ApiError|Error} err what went wrong
 * @returns {string} a sentence for the user
 */
export function errorMessage(err) {
  switch (err.code) {
    case 'network.unreachable': return 'The server could not be reached. Check your connection and try again.';
    case 'service.unavailable': return 'The server is starting or shutting down. Try again in a moment.';
    case 'auth.forbidden': return 'Your role is not allowed to do this.';
    case 'auth.required': return 'Your session has ended. Log in again.';
    case 'request.cross_site': return 'The request was refused because it came from another site.';
    case 'auth.rate_limited':
      return `Too many login attempts. Wait ${err.retryAfter ? plural(err.retryAfter, 'second') : 'a minute'} and try again.`;
    case 'validation.failed': return 'Some fields are not valid; see the messages above.';
    case 'internal.error':
      return `Something went wrong on the server${err.traceId ? ` (trace id ${err.traceId})` : ''}. `
        + 'Try again, or give the trace id to your administrator.';
    default:
      return err.detail || err.message || `The request failed (${err.code || 'unknown error'}).`;
  }
}

/**
 * A labelled form control with a slot for its inline error.
 *
 * @param {{label:string, name:string, type?:string, value?:string, autocomplete?:string,
 *          required?:boolean, hint?:string, control?:HTMLElement, attrs?:Object}} spec what to build
 * @returns {HTMLElement} a `.field` wrapper holding label, control, hint and error
 */
export function field(spec) {
  const id = uid(spec.name);
  const errorId = `${id}-error`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const control = spec.control || h('input', {
    type: spec.type || 'text',
    value: spec.value || '',
    autocomplete: spec.autocomplete,
    required: spec.required,
    ...spec.attrs,
  });
  control.id = id;
  control.name = spec.name;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, spec.label),
    control,
    spec.hint ? h('p', { class: 'field-hint', id: hintId, ...(spec.hint === passwordHint() ? { 'data-password-hint': '' } : {}) }, spec.hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/**
 * Show (or clear, with an empty message) the inline error of a named field in a form.
 *
 * @param {HTMLElement} form the form holding the field
 * @param {string} name the control's name
 * @param {string} message the text; empty to clear
 * @returns {boolean} whether the field exists in the form
 */
export function setFieldError(form, name, message) {
  const control = form.querySelector(`[name="${name}"]`);
  if (!control) return false;
  const box = control.closest('.field');
  const err = box && qs('.field-error', box);
  if (!err) return false;
  err.textContent = message || '';
  err.hidden = !message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  return true;
}

/**
 * Clear every inline and form-level error in a form.
 *
 * @param {HTMLElement} form the form
 * @returns {void}
 */
export function clearErrors(form) {
  for (const control of qsa('[aria-invalid]', form)) control.removeAttribute('aria-invalid');
  for (const err of qsa('.field-error, .form-error', form)) {
    err.textContent = '';
    err.hidden = true;
  }
}

/**
 * Show an API error on a form: field errors under their fields, the rest in the
 * form's `.form-error` box. Fields named in `aliases` map server names to control names.
 *
 * @param {HTMLElement} form the form (must contain a `.form-error` element)
 * @param {import('./api.js').ApiError} err the error
 * @param {Object<string,string>} [aliases] server field name → control name
 * @returns {void}
 */
export function showApiError(form, err, aliases = {}) {
  let shownOnField = false;
  for (const [name, fe] of Object.entries(err.fields || {})) {
    if (setFieldError(form, aliases[name] || name, fieldMessage(fe))) shownOnField = true;
  }
  if (shownOnField && err.code === 'validation.failed') {
    const first = qs('[aria-invalid="true"]', form);
    if (first) first.focus();
    return;
  }
  showFormError(form, errorMessage(err));
}

/**
 * Put a message into the form-level error box.
 *
 * @param {HTMLElement} form the form (must contain a `.form-error` element)
 * @param {string} message the text
 * @returns {void}
 */
export function showFormError(form, message) {
  const box = qs('.form-error', form);
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

/**
 * An empty, hidden form-level error box (role=alert so it is announced).
 *
 * @returns {HTMLElement} the box
 */
export function formError() {
  return h('p', { class: 'form-error', role: 'alert', hidden: true });
}

/**
 * Run an async action while a button is disabled; a spinner shows only after 300 ms.
 *
 * @param {HTMLButtonElement} button the button that started the action
 * @param {function():Promise<*>} action the work
 * @returns {Promise<*>} the action's result
 */
export async function busy(button, action) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  const timer = setTimeout(() => button.classList.add('is-busy'), 300);
  try {
    return await action();
  } finally {
    clearTimeout(timer);
    button.classList.remove('is-busy');
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

/**
 * Fetch what a page shows and show it: "Loading…" in `status` on the first load (after
 * 300 ms), the error there if the fetch fails, nothing if the page was left meanwhile.
 *
 * @param {HTMLElement} status where the spinner and the error go
 * @param {boolean} first true on the page's first load (later refreshes show no spinner)
 * @param {function():Promise<*>} fetch the request
 * @param {function(*):void} show renders its result
 * @returns {Promise<void>}
 */
export async function loadInto(status, first, fetch, show) {
  const stop = first ? delayedSpinner(status) : () => {};
  try {
    const result = await fetch();
    status.replaceChildren();
    show(result);
  } catch (err) {
    if (isAbort(err)) return;
    status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

/**
 * Show "Loading…" with a spinner in a container, but only after 300 ms.
 *
 * @param {HTMLElement} container where the indicator goes
 * @returns {function():void} call to remove it
 */
export function delayedSpinner(container) {
  const el = h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…');
  const timer = setTimeout(() => container.appendChild(el), 300);
  return () => {
    clearTimeout(timer);
    el.remove();
  };
}

/** How many toasts may show at once (#14). */
const MAX_TOASTS = 3;

/**
 * Show a short message in the toast region (role=status, aria-live=polite).
 *
 * @param {string} message the text
 * @param {'success'|'error'} [kind] colouring
 * @returns {void}
 */
export function toast(message, kind = 'success') {
  let region = document.getElementById('toasts');
  if (!region) {
    region = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(region);
  }
  // The same message again replaces the earlier one instead of stacking (#14).
  for (const old of qsa('.toast', region)) {
    if (old.textContent === message) old.remove();
  }
  const item = h('div', { class: `toast toast-${kind}` }, message);
  region.appendChild(item);
  // At most MAX_TOASTS at once: the oldest goes first.
  const shown = qsa('.toast', region);
  for (const old of shown.slice(0, Math.max(0, shown.length - MAX_TOASTS))) old.remove();
  setTimeout(() => item.remove(), 6000);
}

/**
 * Open a modal `<dialog>` with a title and content; it is removed from the DOM when closed.
 *
 * @param {{title:string, content:Array<Node>|Node, onClose?:function():void, wide?:boolean}} spec what to show
 * @returns {{dialog:HTMLDialogElement, body:HTMLElement, close:function():void}} handles
 */
export function openDialog(spec) {
  const titleId = uid('dialog-title');
  const body = h('div', { class: 'dialog-body' }, spec.content);
  const dialog = h('dialog', { class: spec.wide ? 'dialog dialog-wide' : 'dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' },
      h('h2', { id: titleId }, spec.title),
      h('button', { type: 'button', class: 'btn-icon', 'aria-label': 'Close', onclick: () => dialog.close() }, '×')),
    body);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (spec.onClose) spec.onClose();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, body, close: () => dialog.close() };
}

/** The browser's IANA time zone, e.g. "Europe/Berlin". @returns {string} zone name */
export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let zoneList = null;

/**
 * A `<select>` of every IANA time zone the browser knows, with `value` preselected.
 *
 * @param {string} [value] zone to preselect (default: the browser's zone)
 * @returns {HTMLSelectElement} the select
 */
export function zoneSelect(value) {
  if (!zoneList) {
    try {
      zoneList = Intl.supportedValuesOf('timeZone');
    } catch {
      zoneList = ['UTC'];
    }
  }
  const selected = value || browserZone();
  const zones = zoneList.includes(selected) ? zoneList : [selected, ...zoneList];
  return h('select', {}, zones.map((z) => h('option', { value: z, selected: z === selected }, z.replaceAll('_', ' '))));
}

const INSTANT_STYLES = {
  medium: { dateStyle: 'medium', timeStyle: 'short' },
  // dateStyle/timeStyle cannot be combined with timeZoneName, so spell the parts out.
  zone: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  seconds: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  short: { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  shortSeconds: { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' },
};

/**
 * Format an RFC 3339 instant for people, in a given zone.
 *
 * @param {string|null} iso the instant
 * @param {string} [zone] IANA zone (default: browser's)
 * @param {'medium'|'zone'|'seconds'|'short'|'shortSeconds'} [style] medium date + time; with the
 *   zone's name; with seconds; or short, with or without seconds (the year only when it is not this year)
 * @returns {string} localized text, or "" for null
 */
export function formatInstant(iso, zone, style = 'medium') {
  if (!iso) return '';
  const date = new Date(iso);
  let opts = INSTANT_STYLES[style] || INSTANT_STYLES.medium;
  if ((style === 'short' || style === 'shortSeconds') && date.getFullYear() !== new Date().getFullYear()) opts = { ...opts, year: 'numeric' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: zone || undefined }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(date);
  }
}

/**
 * A page header: title on the left, the primary action (if any) on the right, after any
 * secondary ones (an Export menu) given with it in a list.
 *
 * @param {string} title page heading text
 * @param {HTMLElement|Array<HTMLElement|null>|null} [action] the one primary action, or the
 *   actions in order, the primary one last
 * @returns {HTMLElement} the header
 */
export function pageHeader(title, action) {
  const actions = [].concat(action).filter(Boolean);
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title),
    actions.length > 1 ? h('div', { class: 'page-actions' }, actions) : actions[0] || null);
}
