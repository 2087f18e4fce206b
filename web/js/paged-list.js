// paged-list.js — the filtered, cursor-paged tables of the audit log and the security events:
// fetch a page with the filters in force, append its rows, offer "Load more", show the empty
// state, and put a bad filter's error next to its field.

import { h, clear } from './dom.js';
import { errorMessage, delayedSpinner, busy, setFieldError, fieldMessage } from './ui.js';
import * as api from './api.js';

const PAGE_SIZE = 50;

/**
 * Load the first page (`reset`) or the next one into the list.
 *
 * @param {Object} list the page's context: state, filters, filterKeys, cursor, status, form,
 *   table, tbody, more, empty, and `emptyText(filtered)` → [title, explanation]
 * @param {boolean} reset true for the first page (after a filter change), false for "Load more"
 * @param {(query: Object, signal: AbortSignal) => Promise<{items: Array, next_cursor: ?string}>} fetchPage
 * @param {(items: Array) => void} addItems appends the page's rows to `list.tbody`
 * @returns {Promise<void>}
 */
export async function loadPage(list, reset, fetchPage, addItems) {
  const stop = delayedSpinner(list.status);
  const query = { limit: PAGE_SIZE, cursor: reset ? undefined : list.cursor };
  for (const key of list.filterKeys) if (list.filters[key]) query[key] = list.filters[key];
  const signal = list.state.signal;
  try {
    const page = reset
      ? await fetchPage(query, signal)
      : await busy(list.more, () => fetchPage(query, signal));
    clear(list.status);
    addItems(page.items);
    list.cursor = page.next_cursor;
    list.more.hidden = !page.next_cursor;
    showEmpty(list);
  } catch (err) {
    if (api.isAbort(err)) return;
    clear(list.status);
    let shown = false;
    for (const [name, fe] of Object.entries(err.fields || {})) {
      if (setFieldError(list.form, name, fieldMessage(fe))) shown = true;
    }
    const message = err.code === 'validation.failed' || err.code === 'request.invalid_parameter'
      ? 'These filters are not valid; correct them and apply again.'
      : errorMessage(err);
    if (!shown || err.code !== 'validation.failed') list.status.appendChild(h('p', { class: 'form-error', role: 'alert' }, message));
    list.table.hidden = true;
  } finally {
    stop();
  }
}

function showEmpty(list) {
  const none = list.tbody.children.length === 0;
  list.table.hidden = none;
  list.empty.hidden = !none;
  clear(list.empty);
  if (!none) return;
  const [title, explanation] = list.emptyText(list.filterKeys.some((k) => list.filters[k]));
  list.empty.append(h('p', { class: 'empty-title' }, title), h('p', {}, explanation));
}
