// views/system.js — admin: the server at a glance (version, uptime, HTTPS, data folder and
// store sizes, records per tree) and the last backup, with a warning when it is missing,
// failed, unverified or old, and "Back up now"; e-mail (system-delivery.js), the webhooks
// (system-webhooks.js) and the delivery log of both (system-delivery.js).

import { h } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, formatInstant, loadInto, toast } from '../ui.js';
import { webhooksSection } from './system-webhooks.js';
import {
  formatBytes, formatSpan, relativeTime, outcomeBadge, runDetail, runError, confirmRun, runAndWait,
  runToast, runErrorMessage, sleep, POLL_MS, POLL_LIMIT,
} from './jobs-format.js';
import { emailCard, deliveryLog } from './system-delivery.js';

/** A last backup older than this gets a warning. */
const STALE_MS = 2 * 86_400_000;

/** Trees in the order people look for them, with a name for each; others follow by name. */
const TREES = [
  ['users', 'Users'],
  ['entries', 'Time entries'],
  ['projects', 'Projects'],
  ['clients', 'Clients'],
  ['tasks', 'Tasks'],
  ['running', 'Running timers'],
  ['sessions', 'Sessions'],
  ['tokens', 'One-time links'],
  ['audit', 'Audit records'],
  ['job_runs', 'Job runs'],
  ['tags', 'Tags'],
  ['security_events', 'Security events'],
  ['privacy_requests', 'Privacy requests'],
  ['privacy_flags', 'Restrictions and objections'],
  ['erasure_ledger', 'Erasure records'],
  ['holds', 'Legal holds'],
  ['meta', 'Store metadata'],
];

/**
 * A plain name for a store tree the list above does not know yet: words, first one capitalised
 * ("job_runs" → "Job runs"), so no internal name is shown as a label (#14).
 *
 * @param {string} tree the tree's key
 * @returns {string} a label
 */
function treeLabel(tree) {
  const words = tree.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Render the system page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = { state, zone: state.me.time_zone, backingUp: false, watching: false };
  root.appendChild(pageHeader('System'));
  ctx.banner = h('div', { class: 'system-banner' });
  ctx.status = h('div', { class: 'list-status' });
  ctx.grid = h('div', { class: 'system-grid' });
  ctx.log = deliveryLog(state);
  root.append(ctx.banner, ctx.status, ctx.grid, webhooksSection(state), ctx.log.el);
  load(ctx, true);
}

function load(ctx, first) {
  return loadInto(ctx.status, first, () => api.getSystem(ctx.state.signal), (sys) => {
    show(ctx, sys);
    if (sys.last_backup && sys.last_backup.outcome === 'running' && !ctx.backingUp) watch(ctx);
  });
}

/** Reload every second while a backup started elsewhere runs (bounded; stops when the page is left). */
async function watch(ctx) {
  if (ctx.watching) return;
  ctx.watching = true;
  const { signal } = ctx.state;
  for (let i = 0; i < POLL_LIMIT && !signal.aborted; i += 1) {
    await sleep(POLL_MS, signal);
    if (signal.aborted || ctx.backingUp) break;
    try {
      const sys = await api.getSystem(signal);
      show(ctx, sys);
      if (!sys.last_backup || sys.last_backup.outcome !== 'running') break;
    } catch (err) {
      if (api.isAbort(err)) break;
    }
  }
  ctx.watching = false;
}

function show(ctx, sys) {
  ctx.banner.replaceChildren(banner(sys.last_backup) || '');
  // Keep the button's focus across refreshes: the backup card is rebuilt, the button is not.
  if (!ctx.button) {
    ctx.button = h('button', { type: 'button', class: 'btn btn-primary', onclick: () => handleBackup(ctx) }, 'Back up now');
    ctx.message = h('p', { class: 'notice job-message', role: 'status', hidden: true });
  }
  const running = sys.last_backup && sys.last_backup.outcome === 'running';
  if (!running && ctx.message.dataset.kind === 'running') ctx.message.hidden = true;
  if (!ctx.backingUp) setButton(ctx, running);
  ctx.grid.replaceChildren(
    backupCard(ctx, sys.last_backup),
    h('div', { class: 'sys-col' }, serverCard(ctx, sys), storageCard(sys), emailCard(sys, () => ctx.log.reload())),
    recordsCard(sys.counts));
}

/**
 * The warning over the page: no backup yet, the last one failed or did not verify, or it is
 * older than two days. Null when all is well (or a backup is running).
 */
function banner(last) {
  const box = (cls, title, ...text) => h('div', { class: `notice ${cls}`, role: 'alert' },
    h('p', { class: 'notice-title' }, title), h('p', {}, text));
  const jobs = h('a', { href: '/admin/jobs' }, 'Jobs page');
  if (!last) {
    return box('notice-warn', 'There is no backup yet',
      'Take one now with Back up now, and check the backup schedule on the ', jobs, '.');
  }
  if (last.outcome === 'running') return null;
  if (last.outcome === 'failed') {
    return box('notice-error', 'The last backup failed',
      last.error ? `${last.error}. ` : '', 'Fix the cause, then take a backup now; earlier runs are on the ', jobs, '.');
  }
  if (last.verified === false) {
    return box('notice-error', 'The last backup did not verify',
      'Its test restore did not match the store, so it may not restore. Take a new backup and see the ', jobs, ' for details.');
  }
  const at = last.ended || last.started;
  if (Date.now() - new Date(at).getTime() > STALE_MS) {
    return box('notice-warn', `The last backup is ${relativeTime(at).replace(/ ago$/, '')} old`,
      'Scheduled backups may be off or failing. Check the schedule on the ', jobs, ', or take a backup now.');
  }
  return null;
}

const fact = (label, ...content) => h('div', { class: 'sys-fact' }, h('dt', {}, label), h('dd', {}, content));

function section(title, cls, ...content) {
  const id = `sys-${cls}`;
  return h('section', { class: `card sys-card sys-${cls}`, 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function backupCard(ctx, last) {
  const zone = ctx.zone;
  const actions = h('div', { class: 'sys-actions' },
    ctx.button,
    h('a', { href: '/admin/jobs', class: 'sys-jobs-link' }, 'All runs on the Jobs page'));
  if (!last) {
    return section('Last backup', 'backup',
      h('p', { class: 'muted' }, 'No backup has been taken yet.'), ctx.message, actions);
  }
  const at = last.ended || last.started;
  let verified;
  if (last.outcome === 'running') verified = h('span', { class: 'muted' }, 'not yet');
  else if (last.verified === true) verified = h('span', { class: 'verified verified-yes' }, 'Yes, by a test restore');
  else if (last.verified === false) verified = h('span', { class: 'verified verified-no' }, 'No');
  else verified = h('span', { class: 'muted' }, 'Not checked (encrypted to a recipient)');
  return section('Last backup', 'backup',
    h('dl', { class: 'sys-facts' },
      fact('When', h('time', { datetime: at }, formatInstant(at, zone, 'zone')), ' ',
        h('span', { class: 'muted' }, `(${relativeTime(at)})`)),
      fact('Outcome', outcomeBadge(last.outcome)),
      fact('Verified', verified),
      last.bytes !== null && last.bytes !== undefined
        ? fact('Size', h('span', { class: 'backup-size', title: `${last.bytes.toLocaleString()} bytes` }, formatBytes(last.bytes))) : null,
      last.detail ? fact('File', runDetail(last.detail)) : null,
      last.error ? fact('Error', runError(last.error)) : null),
    ctx.message,
    actions);
}

function serverCard(ctx, sys) {
  return section('Server', 'server',
    h('dl', { class: 'sys-facts' },
      fact('Version', h('span', { class: 'sys-version' }, sys.version)),
      fact('Started', h('time', { datetime: sys.started }, formatInstant(sys.started, ctx.zone, 'zone'))),
      fact('Uptime', formatSpan(sys.uptime_seconds * 1000)),
      fact('HTTPS', sys.https
        ? h('span', { class: 'badge badge-on' }, 'On')
        : [h('span', { class: 'badge badge-warn' }, 'Off'),
          h('p', { class: 'sys-hint muted small' }, 'Serve HTTPS with ', h('code', {}, 'ophiontt tls self-signed --host NAME'),
            ', or set ', h('code', {}, 'tls.cert'), ' and ', h('code', {}, 'tls.key'), '.')])));
}

function storageCard(sys) {
  const size = (bytes) => h('span', { class: 'num', title: `${bytes.toLocaleString()} bytes` }, formatBytes(bytes));
  return section('Storage', 'storage',
    h('dl', { class: 'sys-facts' },
      fact('Data folder', h('code', { class: 'path' }, sys.data_dir)),
      fact('Folder size', size(sys.data_dir_bytes), h('span', { class: 'muted small' }, ' store, logs, backups and exports in it')),
      fact('Store size', size(sys.store_bytes))));
}

function recordsCard(counts) {
  const known = new Map(TREES);
  const names = [...TREES.map(([n]) => n).filter((n) => n in counts),
    ...Object.keys(counts).filter((n) => !known.has(n)).sort()];
  return section('Records', 'records',
    h('table', { class: 'counts-table' },
      h('caption', { class: 'visually-hidden' }, 'Records per kind, with the store key of each'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'What ', h('span', { class: 'tree-key-head' }, '· key')),
        h('th', { scope: 'col', class: 'num' }, 'Records'))),
      h('tbody', {}, names.map((name) => h('tr', { dataset: { tree: name } },
        // The label is plain words; the internal name stays only as the monospace key (#14).
        h('th', { scope: 'row' }, h('span', { class: 'tree-label' }, known.get(name) || treeLabel(name)), ' ',
          h('code', { class: 'tree-name', title: 'Store key' }, name)),
        h('td', { class: 'num' }, counts[name].toLocaleString()))))));
}

async function handleBackup(ctx) {
  const button = ctx.button;
  if (button.getAttribute('aria-disabled') === 'true') return;
  ctx.message.hidden = true;
  ctx.message.className = 'notice job-message';
  if (!(await confirmRun('backup'))) return;
  const { signal } = ctx.state;
  if (signal.aborted) return;
  ctx.backingUp = true;
  setButton(ctx, true);
  try {
    const result = await runAndWait('backup', signal, (update) => {
      if (update.started) load(ctx, false);
    });
    if (signal.aborted) return;
    const [message, kind] = runToast('backup', result);
    toast(message, kind);
    await load(ctx, false);
  } catch (err) {
    if (api.isAbort(err)) return;
    ctx.message.textContent = runErrorMessage('backup', err);
    ctx.message.dataset.kind = err.code === 'job.running' ? 'running' : 'error';
    if (err.code !== 'job.running') ctx.message.classList.add('notice-error');
    ctx.message.hidden = false;
    if (err.code === 'job.running') load(ctx, false);
  } finally {
    ctx.backingUp = false;
    if (!signal.aborted) setButton(ctx, ctx.message.dataset.kind === 'running' && !ctx.message.hidden);
  }
}

/** The button waits (stays focusable, ignores clicks) while a backup runs. */
function setButton(ctx, running) {
  ctx.button.setAttribute('aria-disabled', String(running));
  ctx.button.textContent = running ? 'Backing up…' : 'Back up now';
}
