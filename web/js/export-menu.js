// export-menu.js — the Export button of the Entries, Reports and Timesheet pages: a menu of the
// formats of GET /api/v1/exports/entries, for exactly what the page shows (the page hands over a
// function that returns its current query). The file is fetched whole, so that a refusal (a PDF
// of too many entries) shows as a toast instead of a failed download, then saved through a
// temporary object URL. Loaded only by the pages that show the button.

import { h, uid } from './dom.js';
import { downloadFile, entriesExportUrl, isAbort } from './api.js';
import { toast, errorMessage, fieldMessage } from './ui.js';

/**
 * Whether the browser's locale writes decimals with a comma ("1,5"): spreadsheets there read
 * CSV fields separated by semicolons.
 *
 * @returns {boolean} true for a comma decimal separator
 */
export function commaDecimal() {
  const part = new Intl.NumberFormat().formatToParts(1.5).find((p) => p.type === 'decimal');
  return Boolean(part && part.value === ',');
}

/** The menu's items: label, what it is for (the item's title), and its query. */
const FORMATS = [
  { label: 'CSV', title: 'Comma-separated text, for scripts and other tools', query: () => ({ format: 'csv' }) },
  {
    label: 'CSV for Excel',
    title: 'CSV that Excel opens with accents and columns intact',
    query: () => ({ format: 'csv', bom: 'true', delimiter: commaDecimal() ? 'semicolon' : '' }),
  },
  { label: 'Excel (.xlsx)', title: 'A spreadsheet', query: () => ({ format: 'xlsx' }) },
  { label: 'PDF timesheet', title: 'To print or sign: daily and weekly totals (at most 10,000 entries)', query: () => ({ format: 'pdf' }) },
  { label: 'Calendar (.ics)', title: 'One calendar event per entry', query: () => ({ format: 'ics' }) },
  { label: 'JSON', title: 'Every field, for programs', query: () => ({ format: 'json' }) },
];

/**
 * The Export button and its menu.
 *
 * @param {{query:function():Object<string,string>, signal:AbortSignal}} spec `query` returns the
 *   page's current filters as the API names them (`from`, `to`, `user_id`, `project_id`, …);
 *   `signal` ends with the page (a download in progress is dropped then)
 * @returns {{el:HTMLElement, button:HTMLButtonElement}} the menu (put it in the page header)
 */
export function exportMenu(spec) {
  const menuId = uid('export-menu');
  const caret = h('span', { class: 'caret', 'aria-hidden': 'true' });
  // While a file is prepared the button says so (on a phone, where the header has no room for
  // the longer word, only to screen readers: the spinner shows it).
  const button = h('button', {
    type: 'button', class: 'btn export-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId,
  }, h('span', { class: 'export-label' }, 'Export'), h('span', { class: 'export-busy' }, 'Preparing…'), caret);
  const items = FORMATS.map((f) => h('button', {
    type: 'button', role: 'menuitem', tabindex: '-1', title: f.title, onclick: () => pick(f),
  }, f.label));
  const menu = h('div', { class: 'export-menu-list', id: menuId, role: 'menu', 'aria-label': 'Export as', hidden: true }, items);
  const el = h('div', { class: 'export-menu' }, button, menu);
  let working = false;

  const open = (index) => {
    if (working) return;
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items[(index + items.length) % items.length].focus();
  };
  const close = (refocus) => {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (refocus) button.focus();
  };

  button.addEventListener('click', () => (menu.hidden ? open(0) : close(true)));
  button.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    open(event.key === 'ArrowDown' ? 0 : -1);
  });
  menu.addEventListener('keydown', (event) => {
    const at = items.indexOf(document.activeElement);
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 }[event.key];
    if (move !== undefined) {
      event.preventDefault();
      items[(move + items.length) % items.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Type-ahead (the next item starting with the letter); page shortcuts stay quiet meanwhile.
      event.stopPropagation();
      const key = event.key.toLowerCase();
      const next = [...items.slice(at + 1), ...items.slice(0, at + 1)].find((i) => i.textContent.toLowerCase().startsWith(key));
      if (next) next.focus();
    }
  });
  // Tab, or a click elsewhere, closes the menu.
  menu.addEventListener('focusout', (event) => {
    if (!el.contains(event.relatedTarget)) close(false);
  });
  document.addEventListener('pointerdown', (event) => {
    if (!el.contains(event.target)) close(false);
  }, { signal: spec.signal });

  async function pick(format) {
    close(true);
    if (working) return;
    working = true;
    button.setAttribute('aria-busy', 'true');
    button.setAttribute('aria-disabled', 'true');
    // A spinner only when it takes a while (UI.md: after 300 ms).
    const timer = setTimeout(() => {
      button.classList.add('is-busy');
      caret.hidden = true;
    }, 300);
    try {
      const file = await downloadFile(entriesExportUrl({ ...spec.query(), ...format.query() }), spec.signal);
      save(file.blob, file.fileName);
      toast(`Exported ${file.fileName}`);
    } catch (err) {
      if (!isAbort(err)) toast(refusal(err), 'error');
    } finally {
      clearTimeout(timer);
      working = false;
      button.classList.remove('is-busy');
      button.removeAttribute('aria-busy');
      button.removeAttribute('aria-disabled');
      caret.hidden = false;
    }
  }

  return { el, button };
}

/** Why the server refused an export, in words: its first field error, else the problem. */
function refusal(err) {
  const first = Object.values(err.fields || {})[0];
  return err.code === 'validation.failed' && first ? fieldMessage(first) : errorMessage(err);
}

/** Hand a file to the browser's downloads, without leaving the page. */
function save(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by then; the URL only keeps the file in memory.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
