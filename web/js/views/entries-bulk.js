// views/entries-bulk.js — the bulk bar of the Entries page: the selected rows, and the three
// changes made to all of them in one request (POST /api/v1/entries/bulk): add a tag, remove a
// tag, move to a project. The server changes all or none, so on an error nothing changes here.

import { h, qs, qsa, uid } from '../dom.js';
import * as api from '../api.js';
import {
  field, formError, busy, clearErrors, setFieldError, showFormError, openDialog, toast, errorMessage, fieldMessage,
} from '../ui.js';
import { projectSelect, selectDot, parseTags } from '../track.js';

/** The API changes at most this many entries per request. */
const MAX_IDS = 500;

const entries = (n) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
const quoted = (tags) => tags.map((t) => `“${t}”`).join(', ');

/**
 * Build the bulk bar. It shows while at least one row is selected.
 *
 * @param {{entries:Object[], selection:Set<string>, selectAll:HTMLInputElement, tbody:HTMLElement,
 *          projects:Object[], tagNames?:string[], canEdit:function(Object):boolean,
 *          applyChanged:function(Object[]):void}} ctx the Entries page
 * @returns {{el:HTMLElement, toggle:function(string, boolean):void, selectAll:function(boolean):void,
 *            sync:function():void}} the bar and what the rows call
 */
export function bulkBar(ctx) {
  const count = h('strong', { class: 'bulk-count', 'aria-live': 'polite' });
  const limit = h('span', { class: 'bulk-limit', hidden: true }, `At most ${MAX_IDS} at once`);
  const action = (label, fn) => h('button', { type: 'button', class: 'btn btn-small', onclick: () => fn(ctx) }, label);
  const buttons = [
    action('Add tag', openAddTag),
    action('Remove tag', openRemoveTag),
    action('Move to project…', openMove),
  ];
  const clearButton = h('button', {
    type: 'button', class: 'btn btn-small btn-ghost',
    onclick: () => {
      ctx.selection.clear();
      bar.sync();
      ctx.selectAll.focus();
    },
  }, 'Clear selection');
  const el = h('div', { class: 'bulk-bar', role: 'region', 'aria-label': 'Selected entries', hidden: true },
    h('p', { class: 'bulk-what' }, count, limit),
    h('div', { class: 'bulk-actions' }, buttons, clearButton));

  const bar = {
    el,
    toggle(id, on) {
      if (on) ctx.selection.add(id);
      else ctx.selection.delete(id);
      bar.sync();
    },
    selectAll(on) {
      for (const entry of ctx.entries) {
        if (!ctx.canEdit(entry)) continue;
        if (on) ctx.selection.add(entry.id);
        else ctx.selection.delete(entry.id);
      }
      bar.sync();
    },
    sync() {
      const n = ctx.selection.size;
      el.hidden = n === 0;
      count.textContent = `${n} selected`;
      limit.hidden = n <= MAX_IDS;
      for (const b of buttons) b.disabled = n > MAX_IDS;
      const editable = ctx.entries.filter((e) => ctx.canEdit(e));
      const chosen = editable.filter((e) => ctx.selection.has(e.id)).length;
      ctx.selectAll.disabled = editable.length === 0;
      ctx.selectAll.checked = editable.length > 0 && chosen === editable.length;
      ctx.selectAll.indeterminate = chosen > 0 && chosen < editable.length;
      for (const row of qsa('tr.entry-row', ctx.tbody)) {
        const on = ctx.selection.has(row.dataset.entryId);
        row.classList.toggle('is-selected', on);
        const box = qs('.cell-select input', row);
        if (box) box.checked = on;
      }
    },
  };
  return bar;
}

/** The selected entries that are shown (the selection only ever holds shown rows). */
function selected(ctx) {
  return ctx.entries.filter((e) => ctx.selection.has(e.id));
}

/**
 * A dialog whose form sends one bulk request.
 *
 * @param {Object} ctx the page
 * @param {{title:string, fields:Array<Node>, submit:string, body:function(FormData, HTMLFormElement):(Object|null),
 *          done:function(Object[], Object):string, ready?:boolean}} spec what to ask and what to say afterwards
 * @returns {void}
 */
function bulkDialog(ctx, spec) {
  const ids = selected(ctx).map((e) => e.id);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', disabled: spec.ready === false }, spec.submit);
  const form = h('form', { class: 'form', novalidate: true },
    spec.fields,
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  const dlg = openDialog({ title: spec.title, content: form });
  const first = qs('input, select', form);
  (first || qs('button', form)).focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = spec.body(new FormData(form), form);
    if (!body) return;
    try {
      const res = await busy(submit, () => api.bulkUpdateEntries({ ids, ...body }));
      dlg.close();
      ctx.applyChanged(res.items);
      toast(spec.done(res.items, body));
    } catch (err) {
      showBulkError(form, err);
    }
  });
}

/** Field errors under their field (the API names the tags field `tags`); anything else above the buttons. */
function showBulkError(form, err) {
  if (err.code === 'validation.failed') {
    const errors = Object.entries(err.fields || {});
    const onField = errors.filter(([name, fe]) => setFieldError(form, name, fieldMessage(fe)));
    if (onField.length) return;
    if (errors.length) {
      showFormError(form, `${fieldMessage(errors[0][1])}. Nothing was changed.`);
      return;
    }
  }
  const text = err.code === 'entry.not_found'
    ? 'One of the selected entries no longer exists, or is not yours to change.'
    : errorMessage(err).replace(/\.?$/, '.');
  showFormError(form, `${text} Nothing was changed.`);
}

function openAddTag(ctx) {
  const n = ctx.selection.size;
  const listId = uid('bulk-tags');
  const input = h('input', { type: 'text', autocomplete: 'off', list: listId, maxlength: '200', required: true });
  bulkDialog(ctx, {
    title: `Add a tag to ${entries(n)}`,
    fields: [
      field({ label: 'Tag', name: 'tags', control: input, hint: 'An existing tag or a new one; separate several with commas' }),
      h('datalist', { id: listId }, (ctx.tagNames || []).map((t) => h('option', { value: t }))),
    ],
    submit: 'Add tag',
    body: (data, form) => {
      const tags = parseTags(data.get('tags'));
      if (!tags.length) {
        setFieldError(form, 'tags', 'Enter a tag');
        return null;
      }
      return { add_tags: tags };
    },
    done: (changed, body) => {
      const had = n - changed.length;
      if (!changed.length) return `Every selected entry had ${quoted(body.add_tags)} already`;
      return `Added ${quoted(body.add_tags)} to ${entries(changed.length)}${had ? ` (${had} had it already)` : ''}`;
    },
  });
}

function openRemoveTag(ctx) {
  const chosen = selected(ctx);
  const n = chosen.length;
  const tags = new Map();
  for (const entry of chosen) {
    for (const tag of entry.tags || []) {
      const key = tag.toLowerCase();
      const seen = tags.get(key) || { name: tag, count: 0 };
      seen.count += 1;
      tags.set(key, seen);
    }
  }
  const options = Array.from(tags.values()).sort((a, b) => a.name.localeCompare(b.name));
  const select = h('select', {}, options.map((t) => h('option', { value: t.name }, `${t.name} (on ${entries(t.count)})`)));
  bulkDialog(ctx, {
    title: `Remove a tag from ${entries(n)}`,
    fields: options.length
      ? [field({ label: 'Tag', name: 'tags', control: select })]
      : [h('p', {}, 'None of the selected entries has a tag.')],
    submit: 'Remove tag',
    ready: options.length > 0,
    body: (data) => ({ remove_tags: [String(data.get('tags'))] }),
    done: (changed, body) => `Removed ${quoted(body.remove_tags)} from ${entries(changed.length)}`,
  });
}

function openMove(ctx) {
  const n = ctx.selection.size;
  const select = projectSelect(ctx.projects, '', 'Choose a project');
  const projectField = field({ label: 'Project', name: 'project_id', control: select });
  const wrap = h('div', { class: 'select-wrap' });
  select.replaceWith(wrap);
  wrap.append(selectDot(select), select);
  const withTasks = selected(ctx).filter((e) => e.task_id).length;
  bulkDialog(ctx, {
    title: `Move ${entries(n)}`,
    fields: [
      projectField,
      h('p', { class: 'field-hint' }, withTasks
        ? `${entries(withTasks)} ${withTasks === 1 ? 'has a task; it is' : 'have tasks; they are'} cleared, as a task belongs to one project.`
        : 'Moving clears the entries’ tasks, as a task belongs to one project.'),
    ],
    submit: `Move ${entries(n)}`,
    body: (data, form) => {
      const projectId = String(data.get('project_id') || '');
      if (!projectId) {
        setFieldError(form, 'project_id', 'Choose a project');
        return null;
      }
      return { project_id: projectId };
    },
    done: (changed, body) => {
      const target = ctx.projects.find((p) => p.id === body.project_id);
      const name = target ? target.name : 'the project';
      if (!changed.length) return `Every selected entry was on ${name} already`;
      const stayed = n - changed.length;
      return `Moved ${entries(changed.length)} to ${name}${stayed ? ` (${stayed} ${stayed === 1 ? 'was' : 'were'} there already)` : ''}`;
    },
  });
}
