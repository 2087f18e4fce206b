// views/imports.js — admin: import time entries from another tracker's export (Toggl Track,
// Clockify, Kimai, solidtime) or from another OphionTT's JSON export, on one page: choose the
// tool and the file (picked, or dropped onto the form), the zone of its times and, if need be,
// the one person all rows belong to; "Check file" (a dry run: nothing is written) shows what the
// import would create and every row it cannot take; "Import N entries" then writes all rows or
// none. The file is read once, at the check, and the import sends those same bytes. The report
// and the result are drawn by imports-report.js.

import { h, qs, qsa, uid } from '../dom.js';
import * as api from '../api.js';
import {
  pageHeader, field, clearErrors, setFieldError, errorMessage, zoneSelect, toast, plural,
} from '../ui.js';
import { SOURCES, reportView, resultView, rowErrors } from './imports-report.js';

/** The largest file the server takes (its 413 `request.too_large` beyond). */
const MAX_BYTES = 64 * 1024 * 1024;

/** What the time zone field says, by source: OphionTT's times carry their offset. */
const ZONE_HINTS = {
  default: 'The zone the tool wrote the times in: usually the zone set in the profile of whoever exported. People the import creates get it too.',
  ophiontt: 'An OphionTT export’s times carry their offset, so they need no zone; people the import creates get this one.',
};

/**
 * Render the Import page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = { state, checked: null, busy: false };
  root.append(
    pageHeader('Import'),
    h('p', { class: 'page-intro muted' },
      'Bring time entries over from another tracker, with the people, clients, projects, tasks and tags they name. ',
      'Checking the file writes nothing; the import then takes every row of the file or none, and skips rows imported before.'),
    buildForm(ctx));
  ctx.out = h('div', { class: 'imp-out' });
  root.append(ctx.out);
  loadPeople(ctx);
}

function buildForm(ctx) {
  const { state } = ctx;
  const sourceError = uid('imp-source-error');
  ctx.sources = SOURCES.map((s) => {
    const id = uid(`imp-${s.id}`);
    const howId = `${id}-how`;
    const input = h('input', { type: 'radio', id, name: 'source', value: s.id, 'aria-describedby': `${howId} ${sourceError}` });
    return h('div', { class: 'imp-source' },
      input,
      h('label', { for: id }, h('span', { class: 'imp-source-name' }, s.name), ' ', h('span', { class: 'imp-source-file' }, s.file)),
      h('p', { class: 'imp-source-how', id: howId }, s.how));
  });
  const sourceField = h('fieldset', { class: 'field imp-sources' },
    h('legend', {}, 'Exported from'),
    h('div', { class: 'imp-source-list' }, ctx.sources),
    h('p', { class: 'field-error', id: sourceError, hidden: true }));

  ctx.file = h('input', { type: 'file', accept: '.csv,.json,.txt,text/csv,application/json' });
  const fileField = field({
    label: 'Export file', name: 'file', control: ctx.file,
    hint: 'CSV or JSON, at most 64 MiB. You can also drop the file onto this form.',
  });
  fileField.classList.add('imp-file');

  ctx.zone = zoneSelect(state.me.time_zone);
  ctx.zoneField = field({ label: 'Time zone of the file’s times', name: 'time_zone', control: ctx.zone, hint: ZONE_HINTS.default });

  ctx.person = h('select', {}, h('option', { value: '' }, 'Whoever each row names'));
  ctx.personHint = h('p', { class: 'field-hint imp-solidtime', id: uid('imp-solidtime'), hidden: true },
    'solidtime’s export has no e-mail addresses: each row is matched to an account here by the person’s name. ',
    'If the file is one person’s time and they have no account by that name, choose them here.');
  const personField = field({
    label: 'All rows belong to', name: 'user', control: ctx.person,
    hint: 'Optional: one person who gets every entry of the file, whoever the rows name.',
  });
  qs('.field-hint', personField).after(ctx.personHint);
  ctx.personDescribedBy = ctx.person.getAttribute('aria-describedby');

  ctx.check = h('button', { type: 'submit', class: 'btn btn-primary imp-check' }, 'Check file');
  ctx.form = h('form', { class: 'card imp-form', novalidate: true, 'aria-label': 'File to import' },
    sourceField,
    h('div', { class: 'imp-row' }, fileField, ctx.zoneField, personField),
    h('div', { class: 'form-actions' },
      h('p', { class: 'muted small imp-safe' }, 'Checking writes nothing.'),
      ctx.check));
  ctx.form.addEventListener('submit', (event) => {
    event.preventDefault();
    handleCheck(ctx);
  });
  // Any change makes the report shown describe another import: it goes, and so does its button.
  ctx.form.addEventListener('change', (event) => {
    if (event.target.name === 'source') showSourceHints(ctx);
    if (event.target === ctx.file) fileChosen(ctx);
    setFieldError(ctx.form, event.target.name, '');
    forgetCheck(ctx);
  });
  dropTarget(ctx);
  return ctx.form;
}

/** The form takes a dropped file as if it had been picked. */
function dropTarget(ctx) {
  const { form } = ctx;
  let depth = 0;
  const hasFiles = (event) => Array.from(event.dataTransfer ? event.dataTransfer.types : []).includes('Files');
  form.addEventListener('dragenter', (event) => {
    if (!hasFiles(event) || ctx.busy) return;
    depth += 1;
    form.classList.add('is-dragover');
  });
  form.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) form.classList.remove('is-dragover');
  });
  form.addEventListener('dragover', (event) => {
    if (!hasFiles(event) || ctx.busy) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  form.addEventListener('drop', (event) => {
    depth = 0;
    form.classList.remove('is-dragover');
    if (!hasFiles(event) || ctx.busy) return;
    event.preventDefault();
    const files = event.dataTransfer.files;
    if (!files.length) return;
    if (files.length > 1) {
      setFieldError(form, 'file', 'Drop one file at a time');
      return;
    }
    const list = new DataTransfer();
    list.items.add(files[0]);
    ctx.file.files = list.files;
    ctx.file.dispatchEvent(new Event('change', { bubbles: true }));
    ctx.file.focus();
  });
}

/** A JSON file with no tool chosen yet is, in all likelihood, an OphionTT export. */
function fileChosen(ctx) {
  const file = ctx.file.files[0];
  if (!file || selectedSource(ctx)) return;
  if (/\.json$/i.test(file.name)) {
    qs('input[value="ophiontt"]', ctx.form).checked = true;
    showSourceHints(ctx);
  }
}

function selectedSource(ctx) {
  const input = qs('input[name="source"]:checked', ctx.form);
  return input ? input.value : '';
}

function showSourceHints(ctx) {
  const source = selectedSource(ctx);
  ctx.personHint.hidden = source !== 'solidtime';
  ctx.person.setAttribute('aria-describedby', ctx.personHint.hidden ? ctx.personDescribedBy : `${ctx.personDescribedBy} ${ctx.personHint.id}`);
  qs('.field-hint', ctx.zoneField).textContent = ZONE_HINTS[source] || ZONE_HINTS.default;
}

/** Everyone an import can give the rows to (the people whose time the admin reads). */
async function loadPeople(ctx) {
  try {
    const people = await api.listPeople(ctx.state.signal);
    const sorted = [...people.items].sort((a, b) => a.name.localeCompare(b.name));
    ctx.person.append(...sorted.map((p) => h('option', { value: p.id }, p.disabled ? `${p.name} (disabled)` : p.name)));
  } catch (err) {
    // The field still works for "whoever each row names"; say why it holds no one.
    if (!api.isAbort(err)) setFieldError(ctx.form, 'user', `The list of people could not be loaded: ${errorMessage(err)}`);
  }
}

/** The choices, checked; null (with the errors shown) when something is missing. */
function readChoices(ctx) {
  const source = selectedSource(ctx);
  const file = ctx.file.files[0];
  if (!source) setFieldError(ctx.form, 'source', 'Choose the tool the file was exported from');
  if (!file) setFieldError(ctx.form, 'file', 'Choose the exported file');
  else if (file.size > MAX_BYTES) setFieldError(ctx.form, 'file', `The file is ${megabytes(file.size)}; at most 64 MiB can be imported at once. Export a shorter period.`);
  else if (file.size === 0) setFieldError(ctx.form, 'file', 'The file is empty');
  const bad = qs('[aria-invalid="true"]', ctx.form);
  if (bad) {
    bad.focus();
    return null;
  }
  return {
    file,
    query: { source, time_zone: ctx.zone.value, user: ctx.person.value || undefined },
  };
}

const megabytes = (n) => `${(n / 1024 / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })} MiB`;

function forgetCheck(ctx) {
  if (!ctx.checked) return;
  ctx.checked = null;
  ctx.out.replaceChildren(h('p', { class: 'muted imp-stale', role: 'status' }, 'The choices changed: check the file again.'));
  ctx.check.className = 'btn btn-primary imp-check';
}

async function handleCheck(ctx) {
  if (ctx.busy) return;
  clearErrors(ctx.form);
  ctx.checked = null;
  ctx.out.replaceChildren();
  const choices = readChoices(ctx);
  if (!choices) return;
  const stop = working(ctx, ctx.check, 'Checking…');
  try {
    const bytes = await choices.file.arrayBuffer();
    const report = await api.importFile({ ...choices.query, dry_run: true }, bytes, ctx.state.signal);
    if (ctx.state.signal.aborted) return;
    ctx.checked = { query: choices.query, bytes, fileName: choices.file.name, report };
    showReport(ctx, report, false);
  } catch (err) {
    if (!api.isAbort(err)) showRefusal(ctx, err, choices.file.name);
  } finally {
    stop();
  }
}

function showReport(ctx, report, refused) {
  const view = reportView(report, { fileName: ctx.checked.fileName, refused, onImport: (button) => handleImport(ctx, view, button) });
  ctx.out.replaceChildren(view.el);
  // The Import button is now the page's primary action; checking again is the secondary one.
  ctx.check.className = view.button.disabled ? 'btn btn-primary imp-check' : 'btn imp-check';
  view.el.scrollIntoView({ block: 'start' });
  qs('h2', view.el).focus({ preventScroll: true });
}

async function handleImport(ctx, view, button) {
  const checked = ctx.checked;
  if (!checked || ctx.busy) return;
  const n = checked.report.entries;
  const stop = working(ctx, button, 'Importing…', () => {
    view.progress.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      ` Importing ${plural(n, 'entry', 'entries')}… Keep this page open until it is done.`);
  });
  try {
    const report = await api.importFile({ ...checked.query, dry_run: false }, checked.bytes, ctx.state.signal);
    if (ctx.state.signal.aborted) return;
    ctx.checked = null;
    ctx.check.className = 'btn btn-primary imp-check';
    const result = resultView(report, { fileName: checked.fileName, onAgain: () => startOver(ctx) });
    ctx.out.replaceChildren(result);
    result.focus();
    toast(`Imported ${plural(report.entries, 'entry', 'entries')}`);
  } catch (err) {
    if (api.isAbort(err)) return;
    view.progress.replaceChildren();
    const rows = lineErrors(err);
    if (rows.length) {
      // Something changed since the check (a week was locked, a project archived): the rows that
      // cannot be imported now, in the same table; the button stays off until a new check.
      showReport(ctx, { ...checked.report, errors: rows }, true);
    } else {
      showRefusal(ctx, err, checked.fileName);
    }
  } finally {
    stop();
  }
}

/** The rows of a `422 validation.failed` refusal (fields "line N"), by line. */
function lineErrors(err) {
  if (err.code !== 'validation.failed') return [];
  return (err.errors || [])
    .map((e) => ({ line: Number((/^line (\d+)$/.exec(e.field) || [])[1]), message: e.message || e.code }))
    .filter((e) => e.line > 0);
}

/** A refused check or import: by the field it concerns, else in a notice where the report goes. */
function showRefusal(ctx, err, fileName) {
  const { form } = ctx;
  const rows = lineErrors(err);
  if (rows.length) {
    ctx.out.replaceChildren(h('section', { class: 'card imp-report' }, rowErrors(rows)));
    return;
  }
  let shown = false;
  if (err.code === 'validation.failed') {
    for (const e of err.errors) {
      const name = { file: 'file', source: 'source', time_zone: 'time_zone', user: 'user' }[e.field];
      if (name && setFieldError(form, name, fileProblem(e, fileName))) shown = true;
    }
  } else if (err.code === 'request.too_large') {
    shown = setFieldError(form, 'file', 'The file is larger than the server takes (64 MiB). Export a shorter period.');
  } else if (err.code === 'user.not_found') {
    shown = setFieldError(form, 'user', 'This person has no account any more: choose another, or no one');
  }
  if (shown) {
    qs('[aria-invalid="true"]', form).focus();
    return;
  }
  ctx.out.replaceChildren(h('div', { class: 'notice notice-error imp-failed', role: 'alert' },
    h('p', { class: 'notice-title' }, `${fileName} could not be checked or imported`),
    h('p', {}, errorMessage(err))));
}

function fileProblem(e, fileName) {
  const text = e.message ? e.message.charAt(0).toUpperCase() + e.message.slice(1) : e.code;
  return e.field === 'file' ? `${fileName}: ${text}` : text;
}

/**
 * Keep the form still while a request runs: its controls disabled, the button saying what
 * happens, and (after 300 ms) a spinner and `slow`'s message.
 *
 * @returns {function():void} ends it
 */
function working(ctx, button, label, slow) {
  ctx.busy = true;
  const before = button.textContent;
  const controls = qsa('input, select, button', ctx.form);
  const was = controls.map((c) => c.disabled);
  for (const c of controls) c.disabled = true;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  const timer = setTimeout(() => {
    button.classList.add('is-busy');
    if (slow) slow();
  }, 300);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    ctx.busy = false;
    controls.forEach((c, i) => { c.disabled = was[i]; });
    button.classList.remove('is-busy');
    button.removeAttribute('aria-busy');
    button.textContent = before;
    button.disabled = false;
  };
}

function startOver(ctx) {
  ctx.file.value = '';
  ctx.out.replaceChildren();
  ctx.checked = null;
  ctx.file.focus();
}
