// views/today-timer.js — the one-line timer bar at the top of Today: note, project, task,
// tags and Start/Stop, with the elapsed time ticking while a timer runs. Used by
// views/today.js and views/dashboard.js.

import { h, qs } from '../dom.js';
import * as api from '../api.js';
import { field, formError, clearErrors, setFieldError, showApiError, errorMessage, showFormError } from '../ui.js';
import { projectSelect, fillProjectSelect, selectDot, parseTags, tagsText } from '../track.js';
import { getRunning, setRunning, startRunning, stopRunning, onTimerChange, elapsedSeconds, stoppedMessage } from '../timer.js';
import { formatElapsed } from '../time.js';
import { taskPicker } from '../task-picker.js';

/** Messages for project problems, shown next to the Project field. */
export const PROJECT_ERRORS = {
  'project.archived': 'This project is archived and takes no new time',
  'project.not_member': 'You are not a member of this project',
  'project.not_found': 'This project no longer exists or is hidden from you',
};

/**
 * Show an API error on an entry or timer form: project problems under Project, field
 * errors under their fields, the rest in the form's error box.
 *
 * @param {HTMLFormElement} form the form (fields named like the API: project_id, note, tags, start, end)
 * @param {import('../api.js').ApiError} err the error
 * @returns {void}
 */
export function showEntryError(form, err) {
  if (PROJECT_ERRORS[err.code] && setFieldError(form, 'project_id', PROJECT_ERRORS[err.code])) return;
  showApiError(form, err);
}

/**
 * Build the timer bar.
 *
 * @param {{state:Object, reload:function():void}} ctx the Today page
 * @returns {{el:HTMLElement, setProjects:function(Object[], string=):void, toggle:function():void,
 *            setDisabled:function(boolean):void}} the bar and its controls
 */
export function timerBar(ctx) {
  const noteField = field({
    label: 'Note', name: 'note',
    // No maxlength: a pasted note is never cut short; the server names its limit instead.
    attrs: { placeholder: 'What are you working on?', autocomplete: 'off' },
  });
  const select = projectSelect([], '', 'Choose a project');
  const projectField = field({ label: 'Project', name: 'project_id', control: select });
  const wrap = h('div', { class: 'select-wrap' });
  select.replaceWith(wrap);
  wrap.append(selectDot(select), select);
  const task = taskPicker(ctx);
  const tagsField = field({ label: 'Tags', name: 'tags', attrs: { placeholder: 'Tags', title: 'Tags, comma separated', autocomplete: 'off' } });
  for (const f of [noteField, projectField, task.field, tagsField]) qs('label', f).classList.add('visually-hidden');
  task.field.classList.add('timerbar-task');
  noteField.classList.add('timerbar-note');
  projectField.classList.add('timerbar-project');
  tagsField.classList.add('timerbar-tags');

  const elapsed = h('span', { class: 'timerbar-elapsed', role: 'timer', 'aria-label': 'Elapsed time' }, '0:00:00');
  // A start kept in the outbox (the server could not be reached): it runs, marked as not sent.
  const pending = h('span', {
    class: 'timerbar-pending', hidden: true, title: 'Kept on this device: it will be sent when the server is back',
  }, 'Not sent yet');
  const button = h('button', { type: 'submit', class: 'btn timer-button' });
  const form = h('form', { class: 'timerbar', novalidate: true, 'aria-label': 'Timer' },
    h('div', { class: 'timerbar-row' }, noteField, projectField, task.field, tagsField,
      h('div', { class: 'timerbar-go' }, pending, elapsed, button)),
    formError());
  const note = qs('input', noteField);
  const tags = qs('input', tagsField);
  const bar = { projects: [], shownId: undefined, enterInField: false };

  const show = (entry, info = {}) => {
    const running = Boolean(entry);
    form.classList.toggle('is-running', running);
    pending.hidden = !(entry && entry.pending);
    button.className = running ? 'btn timer-button timer-stop' : 'btn timer-button timer-start';
    button.setAttribute('aria-label', running ? 'Stop timer' : 'Start timer');
    button.title = running ? 'Stop the timer (s)' : 'Start the timer (s)';
    button.replaceChildren(h('span', { class: running ? 'stop-square' : 'play-triangle', 'aria-hidden': 'true' }),
      running ? 'Stop' : 'Start');
    if (running) {
      elapsed.dataset.tickFrom = String(Date.parse(entry.start));
      elapsed.textContent = formatElapsed(elapsedSeconds(entry));
      // Fill the fields once per entry, so a refresh never overwrites what is being typed (nor
      // does the server's entry replacing the stand-in of a start made here, or sent later).
      const key = entry.id || 'pending';
      if (bar.shownId !== key && bar.shownId !== 'pending') {
        note.value = entry.note || '';
        tags.value = tagsText(entry.tags);
        setProject(entry.project_id, entry.task_id);
      }
      bar.shownId = key;
    } else {
      delete elapsed.dataset.tickFrom;
      elapsed.textContent = '0:00:00';
      // A start the server refused keeps what was typed, for correcting.
      if (bar.shownId !== undefined && bar.shownId !== null && info.source !== 'start-failed') {
        note.value = '';
        tags.value = '';
      }
      bar.shownId = null;
    }
  };

  const setProject = (projectId, taskId = null) => {
    const known = bar.projects.some((p) => p.id === projectId);
    if (known) select.value = projectId;
    select.dispatchEvent(new Event('options-changed'));
    task.setProject(select.value, taskId);
  };

  const start = async () => {
    clearErrors(form);
    const project = bar.projects.find((p) => p.id === select.value);
    if (!project) {
      setFieldError(form, 'project_id', 'Choose a project to track time on');
      select.focus();
      return;
    }
    const body = { project_id: project.id, note: note.value.trim(), tags: parseTags(tags.value) };
    if (task.value()) body.task_id = task.value();
    try {
      // Runs at once; kept on this device (and still running) when the server cannot be reached.
      const res = await startRunning(body, { project_name: project.name, project_color: project.color });
      if (res.queued) ctx.state.toast(res.message, 'info');
    } catch (err) {
      showEntryError(form, err);
    }
  };

  const stop = async () => {
    clearErrors(form);
    try {
      const stopped = await stopRunning();
      if (stopped) ctx.state.toast(stoppedMessage(stopped));
    } catch (err) {
      showFormError(form, errorMessage(err));
    }
  };

  const saveRunning = async (changes) => {
    const entry = getRunning();
    if (entry && entry.pending) {
      showFormError(form, 'This timer is not on the server yet: change it once it has been sent.');
      return;
    }
    if (!entry || !entry.id) return;
    clearErrors(form);
    try {
      const updated = await api.updateEntry(entry.id, changes);
      if (getRunning() && getRunning().id === updated.id) setRunning(updated, { source: 'edit' });
    } catch (err) {
      showEntryError(form, err);
    }
  };

  // While a timer runs, editing a field changes the running entry.
  note.addEventListener('change', () => {
    if (getRunning()) saveRunning({ note: note.value.trim() });
  });
  tags.addEventListener('change', () => {
    if (getRunning()) saveRunning({ tags: parseTags(tags.value) });
  });
  select.addEventListener('change', () => {
    setFieldError(form, 'project_id', '');
    // Another project's tasks; the server clears the task of a moved entry as well.
    task.setProject(select.value);
    if (getRunning() && select.value) saveRunning({ project_id: select.value });
  });
  task.select.addEventListener('change', () => {
    if (getRunning()) saveRunning({ task_id: task.value() });
  });
  form.addEventListener('keydown', (event) => {
    bar.enterInField = event.key === 'Enter' && event.target.tagName === 'INPUT';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fromField = bar.enterInField;
    bar.enterInField = false;
    if (getRunning() && fromField) {
      event.target.querySelector('input:focus')?.blur();
      return; // Enter in a field of a running timer saves it (via "change"), it does not stop it.
    }
    toggle();
  });
  const toggle = () => (getRunning() ? stop() : start());

  onTimerChange((entry, info) => show(entry, info), ctx.state.signal);
  show(getRunning());

  return {
    el: form,
    toggle,
    setProjects(projects, preferred) {
      bar.projects = projects;
      const running = getRunning();
      const chosen = (running && running.project_id) || select.value || preferred || (projects.length === 1 ? projects[0].id : '');
      fillProjectSelect(select, projects, chosen, 'Choose a project');
      select.dispatchEvent(new Event('options-changed'));
      task.setProject(select.value, running ? running.task_id : null);
    },
    setDisabled(disabled) {
      for (const control of [note, select, task.select, tags, button]) control.disabled = disabled;
    },
  };
}
