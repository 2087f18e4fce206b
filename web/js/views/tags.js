// views/tags.js — the tags on the entries the signed-in person may see and how many of those
// entries carry each. Admins and managers rename a tag on the entries they may change;
// renaming onto a name in use merges the two, and the dialog says so before anything changes.
// Members and auditors read.

import { h, qs, uid } from '../dom.js';
import * as api from '../api.js';
import {
  pageHeader, field, formError, busy, clearErrors, setFieldError, showApiError, showFormError, openDialog, toast,
  errorMessage, delayedSpinner,
} from '../ui.js';
import { has } from '../capabilities.js';

const TAG_MAX = 40;

/**
 * Render the tags page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, query, setQuery, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = {
    state,
    // May rename tags (admins and managers); each tag's `can` says it again.
    canEdit: has(state.me, 'manage_projects'),
    tags: [],
    filter: state.query.get('q') || '',
  };
  root.appendChild(pageHeader('Tags'));
  root.appendChild(h('p', { class: 'page-intro muted' }, ctx.canEdit
    ? (has(state.me, 'read_all_time')
      ? 'Tags label entries across every project and person. Renaming a tag changes it on every entry but those of people whose processing is restricted; renaming it to a tag that exists merges the two.'
      : 'The tags on your entries and on the entries of the projects you manage. Renaming a tag changes it on those entries; renaming it to a tag that exists merges the two.')
    : (has(state.me, 'read_all_time')
      ? 'Tags label entries across every project and person. Admins and managers can rename and merge them.'
      : 'The tags on your entries. Admins and managers can rename and merge them.')));

  const search = field({
    label: 'Find a tag', name: 'q', type: 'search', value: ctx.filter,
    attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: 'Part of a tag' },
  });
  qs('input', search).addEventListener('input', (event) => {
    ctx.filter = event.target.value.trim();
    const params = new URLSearchParams();
    if (ctx.filter) params.set('q', ctx.filter);
    state.setQuery(params);
    fill(ctx);
  });
  ctx.toolbar = h('div', { class: 'toolbar', hidden: true }, search);
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table tags-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Tags, ordered by name, with the number of entries carrying each'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Tag'),
      h('th', { scope: 'col', class: 'num' }, 'Entries'),
      ctx.canEdit ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
    ctx.tbody);
  ctx.empty = h('div', { class: 'empty', hidden: true });
  ctx.status = h('div', { class: 'list-status' });
  root.append(ctx.toolbar, h('div', { class: 'table-wrap tags-wrap' }, ctx.table), ctx.empty, ctx.status);
  load(ctx);
}

/**
 * Fetch the tags and show them.
 *
 * @param {Object} ctx the tags page
 * @param {string} [focusTag] a tag whose Rename button takes the focus afterwards
 * @returns {Promise<void>} resolves when shown
 */
async function load(ctx, focusTag) {
  const stop = delayedSpinner(ctx.status);
  try {
    const res = await api.listTags(ctx.state.signal);
    ctx.status.replaceChildren();
    ctx.tags = res.items;
    fill(ctx);
    const row = focusTag && rowOf(ctx, focusTag);
    if (row && qs('button', row)) qs('button', row).focus();
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

function rowOf(ctx, name) {
  return [...ctx.tbody.rows].find((r) => r.dataset.tag.toLowerCase() === name.toLowerCase()) || null;
}

function fill(ctx) {
  const needle = ctx.filter.replace(/^#/, '').toLowerCase();
  const shown = ctx.tags.filter((t) => !needle || t.name.toLowerCase().includes(needle));
  ctx.tbody.replaceChildren(...shown.map((t) => tagRow(ctx, t)));
  ctx.toolbar.hidden = ctx.tags.length === 0;
  const none = shown.length === 0;
  ctx.table.hidden = none;
  ctx.empty.hidden = !none;
  ctx.empty.replaceChildren();
  if (!none) return;
  if (ctx.tags.length) {
    ctx.empty.append(h('p', { class: 'empty-title' }, `No tag contains “${ctx.filter}”`),
      h('p', {}, 'Try a shorter part of the name.'));
  } else {
    ctx.empty.append(h('p', { class: 'empty-title' }, 'No tags yet'),
      h('p', {}, 'Tags label entries across projects, like ops or meeting. Add them to an entry’s Tags field, or type ',
        h('code', {}, '#ops'), ' in the quick-add line on ', h('a', { href: '/today' }, 'Today'), '.'));
  }
}

function tagRow(ctx, tag) {
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  return h('tr', { dataset: { tag: tag.name } },
    cell('Tag', 'cell-tag', h('span', { class: 'tag' }, tag.name)),
    cell('Entries', 'num', String(tag.entries), h('span', { class: 'tag-count-unit' }, tag.entries === 1 ? ' entry' : ' entries')),
    ctx.canEdit ? h('td', { class: 'cell-actions' },
      tag.can && tag.can.rename
        ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Rename ${tag.name}`, onclick: () => openRename(ctx, tag) }, 'Rename')
        : null)
      : null);
}

/** A typed tag name as the server reads it: trimmed, without a leading "#". */
function cleanName(text) {
  return String(text || '').trim().replace(/^#+/, '').trim();
}

/**
 * Open the rename dialog of a tag. As the new name is typed it says whether the rename
 * will merge into an existing tag, and the button says the same.
 *
 * @param {Object} ctx the tags page
 * @param {{name:string, entries:number}} tag the tag to rename
 * @returns {void}
 */
function openRename(ctx, tag) {
  const noticeId = uid('rename-effect');
  const effect = h('div', { id: noticeId, class: 'rename-effect', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Rename tag');
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, `#${tag.name} is on ${entriesText(tag.entries)}. The new name replaces it on every one of them.`),
    field({ label: 'New name', name: 'to', value: tag.name, required: true, attrs: { autocomplete: 'off', spellcheck: 'false' } }),
    effect,
    formError(),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
      submit));
  const dlg = openDialog({ title: `Rename #${tag.name}`, content: form });
  const input = qs('input[name="to"]', form);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${noticeId}`);
  input.select();

  /** What the typed name would do: nothing, a plain rename, a case change, or a merge. */
  const plan = () => {
    const to = cleanName(input.value);
    if (!to) return { kind: 'empty', to };
    if (to === tag.name) return { kind: 'same', to };
    if (to.toLowerCase() === tag.name.toLowerCase()) return { kind: 'case', to };
    const target = ctx.tags.find((t) => t.name.toLowerCase() === to.toLowerCase());
    return target ? { kind: 'merge', to, target } : { kind: 'rename', to };
  };
  const update = () => {
    const p = plan();
    effect.replaceChildren();
    effect.className = 'rename-effect';
    submit.textContent = 'Rename tag';
    if (p.kind === 'merge') {
      effect.className = 'rename-effect notice';
      effect.append(
        h('p', { class: 'notice-title' },
          `#${p.target.name} already exists on ${entriesText(p.target.entries)}; the two will be merged.`),
        h('p', {}, `Every entry tagged #${tag.name} will carry #${p.target.name} instead (an entry with both keeps one). `
          + 'This cannot be split again afterwards.'));
      submit.textContent = `Merge into #${p.target.name}`;
    } else if (p.kind === 'case') {
      effect.append(h('p', { class: 'muted small' }, 'Only the letter case changes.'));
    }
  };
  input.addEventListener('input', () => {
    setFieldError(form, 'to', '');
    update();
  });
  update();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const p = plan();
    if (p.kind === 'empty') {
      setFieldError(form, 'to', 'Enter the new name');
      input.focus();
      return;
    }
    if (p.kind === 'same') {
      setFieldError(form, 'to', 'That is the tag’s name already; type a different one');
      input.focus();
      return;
    }
    if ([...p.to].length > TAG_MAX) {
      setFieldError(form, 'to', `A tag has at most ${TAG_MAX} characters`);
      input.focus();
      return;
    }
    try {
      const res = await busy(submit, () => api.renameTag({ from: tag.name, to: p.to }));
      dlg.close();
      const n = res.entries_changed;
      toast(p.kind === 'merge'
        ? `Renamed on ${entriesText(n)}: #${tag.name} is merged into #${p.target.name}`
        : `Renamed on ${entriesText(n)}: #${tag.name} is now #${p.to}`);
      load(ctx, p.kind === 'merge' ? p.target.name : p.to);
    } catch (err) {
      if (err.code === 'tag.not_found') {
        showFormError(form, `No entry carries #${tag.name} any more; someone may have renamed it. The list is reloaded.`);
        load(ctx);
      } else {
        showApiError(form, err, { tags: 'to', from: 'to' });
      }
    }
  });
}

function entriesText(n) {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}
