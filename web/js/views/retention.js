// views/retention.js — admin/auditor: the retention rules with what a run would remove now
// and what legal holds keep, "Run retention now" (admins, after a confirmation that names the
// counts) and "Dry run"; the legal holds below come from holds.js. Auditors only read.

import { h } from '../dom.js';
import * as api from '../api.js';
import * as compliance from '../api-compliance.js';
import { pageHeader, formatInstant, errorMessage, loadInto, busy, openDialog, toast } from '../ui.js';
import { holdsSection, openPlaceHold } from './holds.js';
import { openRuleEditor } from './retention-rule.js';
import { has } from '../capabilities.js';

/** Category → [label, what one record is, in the plural]. Unknown categories read from their name. */
const CATEGORIES = {
  time_entries: ['Time entries', 'entries'],
  tasks: ['Tasks and comments', 'tasks and comments'],
  security_events: ['Security events', 'events'],
  sessions: ['Sessions and links', 'sessions and links'],
  audit_bodies: ['Audit record details', 'audit records redacted'],
  privacy_requests: ['Privacy requests', 'requests'],
  disabled_accounts: ['Disabled accounts', 'accounts erased'],
  exports: ['Export files', 'files'],
  logs: ['Log files', 'files'],
  backups: ['Backup files', 'files'],
};

const label = (category) => (CATEGORIES[category] || [capitalize(category.replaceAll('_', ' '))])[0];
const unit = (category) => (CATEGORIES[category] || [null, 'records'])[1];
const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);

const UNITS = { h: ['hour', 'hours'], d: ['day', 'days'], w: ['week', 'weeks'], mo: ['month', 'months'], y: ['year', 'years'] };

/**
 * A rule for people: "90d" → "90 days", "forever" → "Forever".
 *
 * @param {string} rule the rule as configured
 * @returns {string} the reading
 */
export function ruleLabel(rule) {
  if (rule === 'forever') return 'Forever';
  const m = /^(\d+)(h|d|w|mo|y)$/.exec(rule || '');
  if (!m) return rule;
  const n = Number(m[1]);
  if (n === 0) return 'Until expiry';
  return `${n.toLocaleString()} ${UNITS[m[2]][n === 1 ? 0 : 1]}`;
}

/**
 * Render the retention and legal holds page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  // Change rules and run retention (admins: manage_system); place and release holds (admins:
  // manage_users, as the server checks each); auditors read.
  const mayChangeRules = has(state.me, 'manage_system');
  const ctx = { state, zone: state.me.time_zone, mayChangeRules, mayHold: has(state.me, 'manage_users') };
  ctx.holds = holdsSection(ctx);
  root.appendChild(pageHeader('Retention & holds', ctx.mayHold
    ? h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openPlaceHold(ctx.holds) }, 'Place hold')
    : null));
  root.append(h('p', { class: 'page-intro muted' },
    'Each kind of data is kept for as long as its rule says; the nightly retention job removes what is older. ',
    'A legal hold keeps what it covers, whatever the rules say, until it is released or ends.',
    mayChangeRules ? '' : ' You can read the rules and holds; only an admin can change them.'));
  root.append(rulesSection(ctx), ctx.holds.el);
  loadPreview(ctx, true);
}

function rulesSection(ctx) {
  ctx.stamp = h('p', { class: 'ret-stamp muted small' });
  ctx.result = h('div', { class: 'ret-result', role: 'status' });
  ctx.status = h('div', { class: 'list-status' });
  ctx.tbody = h('tbody', {});
  ctx.table = h('table', { class: 'table ret-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Retention rules and what a run would remove now'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Data'),
      h('th', { scope: 'col' }, 'Kept for'),
      h('th', { scope: 'col' }, 'What the rule covers'),
      h('th', { scope: 'col', class: 'num' }, 'Would remove now'),
      h('th', { scope: 'col', class: 'num' }, 'Kept under hold'),
      h('th', { scope: 'col' }, `Cutoff (${ctx.zone.replaceAll('_', ' ')})`))),
    ctx.tbody);
  let actions = null;
  if (ctx.mayChangeRules) {
    ctx.dryButton = h('button', { type: 'button', class: 'btn', onclick: () => handleDryRun(ctx) }, 'Dry run');
    ctx.runButton = h('button', { type: 'button', class: 'btn btn-danger-quiet', onclick: () => handleRun(ctx) }, 'Run retention now');
    actions = h('div', { class: 'section-actions' }, ctx.dryButton, ctx.runButton);
  }
  return h('section', { class: 'ret-section', 'aria-labelledby': 'ret-rules' },
    h('div', { class: 'section-head' }, h('h2', { id: 'ret-rules' }, 'Retention rules'), actions),
    ctx.stamp, ctx.result, ctx.status,
    h('div', { class: 'table-wrap' }, ctx.table));
}

function loadPreview(ctx, first) {
  return loadInto(ctx.status, first, () => compliance.getRetention(ctx.state.signal), (report) => showReport(ctx, report));
}

function showReport(ctx, report) {
  ctx.report = report;
  const total = report.categories.reduce((n, c) => n + c.expired, 0);
  const held = report.categories.reduce((n, c) => n + c.held, 0);
  ctx.stamp.replaceChildren(
    `Preview as of ${formatInstant(report.at, ctx.zone, 'zone')}: `,
    h('strong', {}, total ? `${total.toLocaleString()} ${total === 1 ? 'item' : 'items'} would be removed now` : 'nothing is due for removal'),
    held ? `, ${held.toLocaleString()} kept under a legal hold.` : '.');
  const cell = (lbl, cls, ...content) => h('td', { dataset: { label: lbl }, class: cls }, h('span', { class: 'cell' }, content));
  ctx.tbody.replaceChildren(...report.categories.map((c) => h('tr', { dataset: { category: c.category } },
    cell('Data', 'cell-category', h('strong', {}, label(c.category))),
    cell('Kept for', 'nowrap', h('span', { title: `${c.category} = "${c.rule}"` }, ruleLabel(c.rule)),
      c.source === 'admin' ? h('span', { class: 'badge badge-muted ret-source', title: 'Set on this page; overrides the configuration file' }, 'set here') : null,
      ctx.mayChangeRules ? h('button', {
        type: 'button',
        class: 'btn btn-link ret-edit',
        'aria-label': `Change the rule for ${(c.label || label(c.category)).toLowerCase()}`,
        onclick: () => openRuleEditor({ ...c, label: c.label || label(c.category) }, (report) => showReport(ctx, report)),
      }, 'Change') : null),
    cell('Covers', 'cell-desc', capitalize(c.description),
      c.note ? h('span', { class: 'ret-note' }, capitalize(c.note)) : null),
    cell('Would remove', `num${c.expired ? ' ret-due' : ''}`, c.expired.toLocaleString()),
    cell('Under hold', `num${c.held ? ' ret-held' : ''}`, c.held.toLocaleString()),
    cell('Cutoff', 'nowrap', c.cutoff
      ? h('time', { datetime: c.cutoff, title: `Older than this is due: ${c.cutoff}` }, `before ${formatInstant(c.cutoff, ctx.zone, 'short')}`)
      : h('span', { class: 'muted' }, '—')))));
  ctx.table.hidden = false;
}

async function handleDryRun(ctx) {
  ctx.result.replaceChildren();
  try {
    const report = await busy(ctx.dryButton, () => compliance.runRetention({ dry_run: true }));
    showReport(ctx, report);
    toast('Preview refreshed; nothing was removed');
  } catch (err) {
    if (!api.isAbort(err)) showResultError(ctx, err);
  }
}

async function handleRun(ctx) {
  ctx.result.replaceChildren();
  let preview;
  try {
    // Count afresh, so the confirmation names what a run removes now.
    preview = await busy(ctx.runButton, () => compliance.runRetention({ dry_run: true }));
  } catch (err) {
    if (!api.isAbort(err)) showResultError(ctx, err);
    return;
  }
  if (ctx.state.signal.aborted) return;
  showReport(ctx, preview);
  if (!(await confirmRun(preview))) return;
  try {
    const done = await busy(ctx.runButton, () => compliance.runRetention({}));
    if (ctx.state.signal.aborted) return;
    ctx.result.replaceChildren(resultNotice(ctx, done));
    toast('Retention run finished');
    loadPreview(ctx, false);
  } catch (err) {
    if (!api.isAbort(err)) showResultError(ctx, err);
  }
}

function showResultError(ctx, err) {
  ctx.result.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, 'Retention did not run'), h('p', {}, errorMessage(err))));
}

const countLine = (c, n) => `${label(c.category)}: ${n.toLocaleString()} ${unit(c.category)}`;

function confirmRun(preview) {
  const due = preview.categories.filter((c) => c.expired > 0);
  const held = preview.categories.filter((c) => c.held > 0);
  const total = due.reduce((n, c) => n + c.expired, 0);
  return new Promise((resolve) => {
    let answer = false;
    const go = h('button', { type: 'button', class: 'btn btn-danger', onclick: () => { answer = true; dlg.close(); } },
      total ? `Remove ${total.toLocaleString()} ${total === 1 ? 'item' : 'items'}` : 'Run anyway');
    const dlg = openDialog({
      title: 'Run retention now',
      content: [
        total
          ? [h('p', {}, 'This removes for good (deleted, or redacted for audit details):'),
            h('ul', { class: 'ret-list' }, due.map((c) => h('li', { dataset: { category: c.category } }, countLine(c, c.expired))))]
          : h('p', {}, 'Nothing is due for removal; a run now removes nothing.'),
        held.length
          ? [h('p', {}, 'Kept, because a legal hold covers them:'),
            h('ul', { class: 'ret-list' }, held.map((c) => h('li', {}, countLine(c, c.held))))]
          : null,
        h('p', { class: 'muted small' }, 'Each removed batch is recorded in the audit log.'),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => dlg.close() }, 'Cancel'),
          go),
      ],
      onClose: () => resolve(answer),
    });
    dlg.dialog.querySelector('.form-actions .btn').focus();
  });
}

function resultNotice(ctx, done) {
  const removed = done.categories.filter((c) => c.expired > 0);
  const held = done.categories.filter((c) => c.held > 0);
  const at = formatInstant(done.at, ctx.zone, 'zone');
  return h('div', { class: 'notice ret-done' },
    h('p', { class: 'notice-title' }, removed.length ? `Retention ran at ${at} and removed:` : `Retention ran at ${at} and removed nothing.`),
    removed.length ? h('ul', { class: 'ret-list' }, removed.map((c) => h('li', { dataset: { category: c.category } }, countLine(c, c.expired)))) : null,
    held.length ? h('p', {}, `Kept under a legal hold: ${held.map((c) => countLine(c, c.held)).join('; ')}.`) : null);
}
