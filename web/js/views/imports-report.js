// views/imports-report.js — what the Import page shows after "Check file" (what importing the
// file would create, every row that cannot be imported, and the Import button, enabled only
// when there is something to import and no bad row) and after the import (what was created,
// where to see it). Drawing only: imports.js owns the requests.

import { h, uid } from '../dom.js';
import { plural } from '../ui.js';

/** The tools whose exports the server reads (`source` of POST /api/v1/imports). */
export const SOURCES = [
  { id: 'toggl', name: 'Toggl Track', file: 'detailed report CSV', how: 'Reports › Detailed › Export › CSV' },
  { id: 'clockify', name: 'Clockify', file: 'detailed report CSV', how: 'Reports › Time › Detailed › Export › Save as CSV' },
  { id: 'kimai', name: 'Kimai', file: 'CSV export', how: 'Timesheets › Export › CSV (English or German headers)' },
  { id: 'solidtime', name: 'solidtime', file: 'CSV export', how: 'Time › Export › CSV (the detailed export)' },
  { id: 'ophiontt', name: 'OphionTT', file: 'JSON export', how: 'Entries or Reports › Export › JSON, on the other instance' },
];

/**
 * The tool's name, for people.
 *
 * @param {string} id a source id, e.g. "toggl"
 * @returns {string} e.g. "Toggl Track"
 */
export function sourceName(id) {
  const source = SOURCES.find((s) => s.id === id);
  return source ? source.name : id;
}

/**
 * The label of the Import button for a report.
 *
 * @param {number} n entries the import would create
 * @returns {string} e.g. "Import 10 entries" ("Nothing to import" for none)
 */
export function importLabel(n) {
  return n > 0 ? `Import ${plural(n, 'entry', 'entries')}` : 'Nothing to import';
}

/**
 * Why the Import button of a report is disabled, or "" when it is not.
 *
 * @param {{entries:number, already_imported:number, rows:number, errors:Array}} report the dry run
 * @returns {string} the reason, for under the button
 */
export function blockedReason(report) {
  if (report.errors.length) {
    return `Fix the ${plural(report.errors.length, 'row')} listed below first: an import takes every row of the file or none. `
      + 'Correct them in the file (or in the tool, and export again), then check the file again.';
  }
  if (report.entries > 0) return '';
  if (report.already_imported > 0) return 'Every row of this file was imported before: there is nothing new to import.';
  return 'The file holds no time entries.';
}

/**
 * The report of a dry run (or of an import refused for bad rows): counts, the Import button and
 * why it is disabled, the rows that cannot be imported, and the lists of what would be created.
 *
 * @param {Object} report ImportReportDto (for a refused import, with the refusal's rows as `errors`)
 * @param {{fileName:string, refused?:boolean, onImport:function(HTMLButtonElement):void}} opts the
 *   file's name, whether the import itself was refused, and what the Import button does
 * @returns {{el:HTMLElement, button:HTMLButtonElement, progress:HTMLElement}} the report, its
 *   Import button, and the place for the import's progress
 */
export function reportView(report, opts) {
  const titleId = uid('imp-report');
  const reasonId = uid('imp-why');
  const reason = opts.refused
    ? `Nothing was imported: ${plural(report.errors.length, 'row')} cannot be imported now (listed below). Fix them, then check the file again.`
    : blockedReason(report);
  const button = h('button', {
    type: 'button', class: 'btn btn-primary imp-go', disabled: Boolean(reason), 'aria-describedby': reasonId,
    onclick: (event) => opts.onImport(event.currentTarget),
  }, importLabel(report.entries));
  const progress = h('p', { class: 'imp-progress', role: 'status' });
  const el = h('section', { class: 'card imp-report', 'aria-labelledby': titleId, dataset: { state: reason ? 'blocked' : 'ready' } },
    h('div', { class: 'imp-report-head' },
      h('div', {},
        h('h2', { id: titleId, tabindex: '-1' }, opts.refused ? `${opts.fileName} was not imported` : `Check of ${opts.fileName}`),
        h('p', { class: 'muted small imp-facts' }, facts(report))),
      h('div', { class: 'imp-action' }, button)),
    h('p', { id: reasonId, class: `imp-why${reason ? (report.errors.length ? ' imp-why-blocked' : ' imp-why-nothing') : ''}` }, reason
      || 'Nothing has been written yet. Rows imported before are skipped, so importing the same file again creates nothing twice.'),
    progress,
    counts([
      ['Entries to import', report.entries, 'entries'],
      ['Already imported', report.already_imported, 'already'],
      ['Rows with problems', report.errors.length, 'errors'],
      ['New people', report.new_users.length, 'users'],
      ['New clients', report.new_clients.length, 'clients'],
      ['New projects', report.new_projects.length, 'projects'],
      ['New tasks', report.new_tasks.length, 'tasks'],
      ['New tags', report.new_tags.length, 'tags'],
    ]),
    report.errors.length ? rowErrors(report.errors) : null,
    plan(report));
  return { el, button, progress };
}

/** "Toggl Track · times read in Europe/Berlin · 10 rows". */
function facts(report) {
  return [
    sourceName(report.source),
    `times read in ${report.time_zone.replaceAll('_', ' ')}`,
    plural(report.rows, 'row'),
  ].join(' · ');
}

function counts(items) {
  return h('dl', { class: 'imp-counts' }, items.map(([label, n, key]) => h('div', {
    class: `imp-count${n ? '' : ' is-zero'}${key === 'errors' && n ? ' is-bad' : ''}`, dataset: { count: key },
  }, h('dt', {}, label), h('dd', {}, n.toLocaleString()))));
}

/**
 * The rows that cannot be imported, as a table `Line | Problem` (scrolling when long).
 *
 * @param {Array<{line:number, message:string}>} errors the rows, by line
 * @returns {HTMLElement} the section
 */
export function rowErrors(errors) {
  const titleId = uid('imp-errors');
  return h('section', { class: 'imp-errors', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, `${plural(errors.length, 'row')} cannot be imported`),
    h('div', { class: 'imp-errors-wrap', tabindex: '0', role: 'region', 'aria-labelledby': titleId },
      h('table', { class: 'imp-errors-table' },
        h('caption', { class: 'visually-hidden' }, 'Rows that cannot be imported, by line of the file (the header is line 1)'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'Line'), h('th', { scope: 'col' }, 'Problem'))),
        h('tbody', {}, errors.map((e) => h('tr', { dataset: { line: String(e.line) } },
          h('td', { class: 'num' }, String(e.line)),
          h('td', {}, capitalize(e.message))))))));
}

/** The lists of what the import would create, and the people it matched. */
function plan(report) {
  const lists = [
    list('New people, created disabled', report.new_users.map(person), 'users'),
    list('People with an account here', report.matched_users.map(person), 'matched'),
    list('New clients', report.new_clients, 'clients'),
    list('New projects', report.new_projects.map((p) => [p.name, h('span', { class: 'muted' }, p.client ? ` · ${p.client}` : ' · no client')]), 'projects'),
    list('People added to projects', report.new_memberships, 'memberships'),
    list('New tasks', report.new_tasks, 'tasks'),
    list('New tags', report.new_tags, 'tags'),
  ].filter(Boolean);
  if (!lists.length) return null;
  return h('div', { class: 'imp-lists' }, lists);
}

function list(title, items, key) {
  if (!items.length) return null;
  return h('section', { class: 'imp-list', dataset: { list: key } },
    h('h3', {}, title, ' ', h('span', { class: 'imp-list-count' }, String(items.length))),
    h('ul', {}, items.map((item) => h('li', {}, item))));
}

/** "Ada Lovelace <ada@example.com>" → the name, then the address in muted text. */
function person(text) {
  const m = /^(.*) <([^<>]+)>$/.exec(text);
  return m ? [m[1], h('span', { class: 'muted' }, ` · ${m[2]}`)] : text;
}

function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * What an import did: what it created, the people to enable, and where to see the time.
 *
 * @param {Object} report ImportReportDto of the import (`written` true)
 * @param {{fileName:string, onAgain:function():void}} opts the file's name; "Import another file"
 * @returns {HTMLElement} the notice
 */
export function resultView(report, opts) {
  const titleId = uid('imp-done');
  const created = [
    [report.new_users.length, 'person', 'people'],
    [report.new_clients.length, 'client'],
    [report.new_projects.length, 'project'],
    [report.new_tasks.length, 'task'],
    [report.new_tags.length, 'tag'],
    [report.new_memberships.length, 'project membership'],
  ].filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  const people = report.new_users.length;
  return h('section', { class: 'card imp-result', 'aria-labelledby': titleId, tabindex: '-1' },
    h('h2', { id: titleId }, `Imported ${plural(report.entries, 'entry', 'entries')} from ${opts.fileName}`),
    h('p', {}, created.length ? `Also created: ${created.join(', ')}.` : 'Everything the entries refer to was here already.',
      report.already_imported ? ` ${plural(report.already_imported, 'row')} imported before ${report.already_imported === 1 ? 'was' : 'were'} skipped.` : ''),
    people ? h('p', { class: 'notice notice-warn imp-people' },
      `The ${plural(people, 'person', 'people')} created ${people === 1 ? 'is' : 'are'} disabled and cannot sign in yet. `,
      'On the ', h('a', { href: '/admin/users' }, 'Users page'), ', enable each one and send them a reset link to set a password.') : null,
    h('p', { class: 'imp-links' },
      ...periodLinks(report),
      h('a', { href: '/admin/audit?action=import.completed' }, 'The import in the audit log')),
    h('div', { class: 'form-actions imp-again' },
      h('button', { type: 'button', class: 'btn', onclick: () => opts.onAgain() }, 'Import another file')));
}

/**
 * Links to the imported period in Reports and Entries (the days the new entries start on), or
 * to the pages themselves when the report names no days.
 *
 * @param {{first_day:?string, last_day:?string}} report the import's report
 * @returns {Array} the links and their separators
 */
function periodLinks(report) {
  if (!report.first_day || !report.last_day) {
    return [h('a', { href: '/reports?group=project,user' }, 'See the time in Reports'), ' (pick the dates the file covers) · ',
      h('a', { href: '/entries' }, 'Entries'), ' · '];
  }
  const range = `from=${report.first_day}&to=${report.last_day}`;
  // A report covers at most 366 days: a longer file's link opens its last year.
  const yearBefore = new Date(Date.parse(`${report.last_day}T00:00:00Z`) - 365 * 86400000).toISOString().slice(0, 10);
  const from = report.first_day < yearBefore ? yearBefore : report.first_day;
  const label = from === report.first_day ? `See ${from} to ${report.last_day} in Reports` : `See its last year (${from} to ${report.last_day}) in Reports`;
  return [h('a', { href: `/reports?from=${from}&to=${report.last_day}&group=project,user` }, label), ' · ',
    h('a', { href: `/entries?${range}` }, 'Entries'), ' · '];
}
