// views/entry-dialogs.js — the entry dialogs of Today and Entries: a new, duplicated or edited
// time entry (times typed on the wall clock of the user's zone), and the one question before
// deleting.

import { h, qs } from '../dom.js';
import * as api from '../api.js';
import { field, formError, busy, clearErrors, setFieldError, showFormError, openDialog, toast } from '../ui.js';
import { projectSelect, selectDot, parseTags, tagsText, overlapsOf } from '../track.js';
import { toLocalInput, fromLocalInput, formatClock, formatDuration, dateIn } from '../time.js';
import { getRunning, setRunning } from '../timer.js';
import { showEntryError } from './today-timer.js';
import { taskPicker } from '../task-picker.js';

/**
 * Open the new-entry (entry = null) or edit-entry dialog; with `opts.copyOf`, a new entry
 * prefilled from an existing one (Duplicate).
 *
 * @param {{state:Object, zone:string, projects:Object[], allProjects?:Object[], reload:function():void}} ctx the page
 * @param {Object|null} entry the EntryDto to edit, or null for a new entry
 * @param {{copyOf?:Object}} [opts] the EntryDto a new entry copies
 * @returns {void}
 */
export function openEntryForm(ctx, entry, opts = {}) {
  const creating = !entry;
  const source = entry || opts.copyOf || null;
  const zone = ctx.zone;
  const running = Boolean(entry && !entry.end);
  // Its own project stays choosable even when archived; new time goes to open projects only.
  const own = entry && !ctx.projects.some((p) => p.id === entry.project_id)
    ? (ctx.allProjects || []).find((p) => p.id === entry.project_id)
      || { id: entry.project_id, name: entry.project_name, color: entry.project_color }
    : null;
  const choices = own ? [own, ...ctx.projects] : ctx.projects;
  const now = Date.now();
  const copiedEnd = opts.copyOf && (opts.copyOf.end || new Date(now).toISOString());
  // A new entry starts with no project: "Add entry" with nothing touched asks for one instead
  // of recording an hour on whichever project the timer bar shows.
  const initial = {
    project_id: source ? source.project_id : '',
    task_id: source ? source.task_id || null : null,
    note: source ? source.note || '' : '',
    tags: source ? tagsText(source.tags) : '',
    start: source ? toLocalInput(source.start, zone) : toLocalInput(now - 3600 * 1000, zone),
    end: toLocalInput(entry ? entry.end : copiedEnd || now, zone),
  };
  const select = projectSelect(choices, initial.project_id, 'Choose a project');
  const projectField = field({ label: 'Project', name: 'project_id', control: select });
  const wrap = h('div', { class: 'select-wrap' });
  select.replaceWith(wrap);
  wrap.append(selectDot(select), select);
  const task = taskPicker(ctx);
  task.setProject(initial.project_id, initial.task_id);
  select.addEventListener('change', () => task.setProject(select.value));
  const zoneText = zone.replaceAll('_', ' ');
  const form = h('form', { class: 'form', novalidate: true },
    projectField,
    task.field,
    // No maxlength: a pasted note is never cut short; the server names its limit instead.
    field({ label: 'Note', name: 'note', value: initial.note, attrs: { autocomplete: 'off' } }),
    field({ label: 'Tags', name: 'tags', value: initial.tags, hint: 'Comma separated, e.g. ops, backup', attrs: { autocomplete: 'off' } }),
    h('div', { class: 'form-row' },
      field({ label: 'Start', name: 'start', type: 'datetime-local', value: initial.start, required: true }),
      field({
        label: 'End', name: 'end', type: 'datetime-local', value: initial.end, required: !running,
        attrs: { disabled: running },
      })),
    h('p', { class: 'field-hint' }, running
      ? `Times are in ${zoneText}. This entry is still running: stop the timer to give it an end.`
      : `Times are in ${zoneText}.`),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-primary' }, creating ? 'Add entry' : 'Save changes')));
  const title = entry ? 'Edit entry' : opts.copyOf ? 'Duplicate entry' : 'New entry';
  const dlg = openDialog({ title, content: form, wide: true });
  (initial.project_id ? qs('input[name="note"]', form) : select).focus();
  const submit = qs('button[type="submit"]', form);
  const submitLabel = submit.textContent;
  // A start over a year ago or after tomorrow is kept only once confirmed: the server says
  // which day (entry.needs_confirmation), the button becomes "Save anyway" for that start.
  let confirmedStart = null;
  qs('input[name="start"]', form).addEventListener('input', () => {
    confirmedStart = null;
    submit.textContent = submitLabel;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const data = new FormData(form);
    const values = {
      project_id: String(data.get('project_id') || ''),
      note: String(data.get('note') || '').trim(),
      tags: parseTags(data.get('tags')),
      start: String(data.get('start') || ''),
      end: running ? '' : String(data.get('end') || ''),
    };
    let bad = false;
    if (!values.project_id) bad = setFieldError(form, 'project_id', 'Choose a project');
    if (!values.start) bad = setFieldError(form, 'start', 'Enter when the work started');
    if (!running && !values.end) bad = setFieldError(form, 'end', 'Enter when the work ended');
    if (bad) return;
    const body = {};
    if (creating || values.project_id !== initial.project_id) body.project_id = values.project_id;
    const taskId = task.value();
    if (creating ? taskId : taskId !== initial.task_id) body.task_id = taskId;
    if (creating || values.note !== initial.note) body.note = values.note;
    if (creating || tagsText(values.tags) !== tagsText(parseTags(initial.tags))) body.tags = values.tags;
    // Unchanged times are not sent, so the seconds the timer recorded survive an edit.
    if (creating || values.start !== initial.start) body.start = fromLocalInput(values.start, zone);
    if (!running && (creating || values.end !== initial.end)) body.end = fromLocalInput(values.end, zone);
    // A duplicate whose times were left alone keeps the original's exact instants (seconds too).
    if (opts.copyOf && values.start === initial.start) body.start = opts.copyOf.start;
    if (opts.copyOf && opts.copyOf.end && values.end === initial.end) body.end = opts.copyOf.end;
    if (confirmedStart !== null && confirmedStart === values.start) body.confirm = true;
    const button = submit;
    try {
      if (creating) {
        const created = await busy(button, () => api.createEntry(body));
        toast(`Added ${formatDuration(created.duration_seconds)} on ${created.project_name}${await overlapNote(created, zone)}`);
      } else if (Object.keys(body).length) {
        const updated = await busy(button, () => api.updateEntry(entry.id, body));
        const current = getRunning();
        if (current && current.id === updated.id) setRunning(updated, { source: 'edit' });
        toast(`Entry saved${await overlapNote(updated, zone)}`);
      }
      dlg.close();
      ctx.reload();
    } catch (err) {
      if (err.code === 'entry.not_found') {
        showFormError(form, 'This entry no longer exists; it may have been deleted elsewhere.');
        ctx.reload();
      } else if (err.code === 'entry.needs_confirmation') {
        const why = err.fields.start;
        const text = why && why.message ? why.message : 'this start is unusual';
        setFieldError(form, 'start', `${text[0].toUpperCase()}${text.slice(1)}. Check the date, or choose “Save anyway”.`);
        confirmedStart = values.start;
        submit.textContent = 'Save anyway';
      } else {
        showEntryError(form, err);
      }
    }
  });
}

/**
 * After a save: "; it overlaps …" when the saved entry overlaps another of the person's entries
 * (the list shows it too), else "". A failed look-up says nothing: the save itself succeeded.
 *
 * @param {Object} saved the EntryDto as saved
 * @param {string} zone the user's time zone
 * @returns {Promise<string>} the note to append to the toast
 */
async function overlapNote(saved, zone) {
  if (!saved.end) return '';
  try {
    const from = dateIn(zone, Date.parse(saved.start) - 86_400_000);
    const to = dateIn(zone, Date.parse(saved.end));
    const page = await api.listEntries({ from, to, user_id: saved.user_id, limit: 500 });
    const other = overlapsOf(page.items).get(saved.id);
    if (!other) return '';
    const end = other.end ? formatClock(other.end, zone) : 'running';
    return `; it overlaps ${other.project_name}, ${formatClock(other.start, zone)}–${end}`;
  } catch {
    return '';
  }
}

/**
 * Ask once before deleting an entry, then delete it.
 *
 * @param {{state:Object, zone:string, reload:function():void}} ctx the Today page
 * @param {Object} entry the EntryDto
 * @returns {void}
 */
export function confirmDeleteEntry(ctx, entry) {
  const when = entry.end
    ? `${formatClock(entry.start, ctx.zone)}–${formatClock(entry.end, ctx.zone)}, ${formatDuration(entry.duration_seconds)}`
    : `since ${formatClock(entry.start, ctx.zone)}, still running`;
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, `Delete this entry? ${entry.project_name}${entry.note ? ` — “${entry.note}”` : ''} (${when}) goes for good.`),
    h('p', { class: 'muted small' }, 'The deletion is recorded in the audit log.'),
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'btn btn-danger' }, 'Delete entry')));
  const dlg = openDialog({ title: 'Delete entry', content: form });
  qs('button[type="submit"]', form).focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await busy(qs('button[type="submit"]', form), () => api.deleteEntry(entry.id));
      const current = getRunning();
      if (current && current.id === entry.id) setRunning(null, { source: 'delete' });
      dlg.close();
      toast('Entry deleted');
      ctx.reload();
    } catch (err) {
      showEntryError(form, err);
    }
  });
}
