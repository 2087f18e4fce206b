// views/jobs.js — admin: the server's scheduled jobs (backup, export, expire_sessions), when
// each runs next, its latest runs, and "Run now", which polls until the run ends.

import { h, uid } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, formatInstant, loadInto, toast } from '../ui.js';
import {
  jobLabel, describeSchedule, relativeTime, outcomeBadge, triggerLabel, runDuration, countChips,
  runDetail, runError, confirmRun, runToast, runErrorMessage, sleep, POLL_MS, POLL_LIMIT,
} from './jobs-format.js';

/**
 * Render the jobs page.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, …)
 * @returns {void}
 */
export function render(root, state) {
  const ctx = {
    state,
    zone: state.me.time_zone,
    cards: new Map(),
    /** Runs started from this page, by run id → job name; each gets a toast when it ends. */
    pending: new Map(),
    /** Jobs whose "Run now" found them running already (409); their run's end gets a toast too. */
    waitingFor: new Set(),
    polling: false,
  };
  root.appendChild(pageHeader('Jobs'));
  ctx.intro = h('p', { class: 'page-intro muted' },
    'The server runs these jobs on its own; no cron entry is needed. The latest runs of each are listed with what they did.');
  ctx.list = h('div', { class: 'job-list' });
  ctx.status = h('div', { class: 'list-status' });
  root.append(ctx.intro, ctx.status, ctx.list);
  load(ctx);
}

function load(ctx) {
  return loadInto(ctx.status, true, () => api.listJobs(ctx.state.signal), (jobs) => {
    showJobs(ctx, jobs);
    if (jobs.items.some((j) => j.running)) poll(ctx);
  });
}

function showJobs(ctx, jobs) {
  const zone = jobs.time_zone;
  const mine = ctx.zone;
  ctx.jobsZone = zone;
  ctx.intro.replaceChildren(
    'The server runs these jobs on its own; no cron entry is needed. ',
    zone === mine
      ? `Schedules and times are in your time zone, ${pretty(mine)}.`
      : `Schedules are read in ${pretty(zone)}; the times shown are in your time zone, ${pretty(mine)}.`);
  for (const job of jobs.items) {
    let card = ctx.cards.get(job.name);
    if (!card) {
      card = buildCard(ctx, job);
      ctx.cards.set(job.name, card);
      ctx.list.appendChild(card.el);
    }
    fillCard(ctx, card, job, zone);
  }
}

const pretty = (zone) => zone.replaceAll('_', ' ');

function buildCard(ctx, job) {
  const titleId = uid('job');
  const card = { name: job.name };
  card.state = h('span', { class: 'job-state' });
  card.button = h('button', {
    type: 'button', class: 'btn', 'aria-label': `Run ${jobLabel(job.name).toLowerCase()} now`,
    onclick: () => handleRun(ctx, card),
  }, 'Run now');
  card.facts = h('dl', { class: 'job-facts' });
  card.message = h('p', { class: 'notice job-message', role: 'status', hidden: true });
  card.runs = h('div', { class: 'job-runs' });
  card.el = h('section', { class: 'card job-card', 'aria-labelledby': titleId, dataset: { job: job.name } },
    h('div', { class: 'job-head' },
      h('h2', { id: titleId }, jobLabel(job.name)),
      card.state,
      card.button),
    h('p', { class: 'job-desc' }, job.description),
    card.facts,
    card.message,
    h('h3', { class: 'job-runs-title' }, 'Recent runs'),
    card.runs);
  return card;
}

function fillCard(ctx, card, job, zone) {
  card.job = job;
  setRunning(card, job.running);
  if (!job.running && card.message.dataset.kind === 'running') card.message.hidden = true;
  const fact = (label, ...content) => h('div', {}, h('dt', {}, label), h('dd', {}, content));
  const words = job.schedule ? describeSchedule(job.schedule) : null;
  card.facts.replaceChildren(...[
    job.schedule
      ? fact('Schedule', h('code', { class: 'cron' }, job.schedule), ' ',
        h('span', { class: 'schedule-words' }, words ? `${words} (${pretty(zone)})` : `read in ${pretty(zone)}`))
      : fact('Schedule', h('span', { class: 'schedule-off' }, 'Off — runs on request only')),
    job.schedule
      ? fact('Next run', job.next_run
        ? [h('time', { class: 'next-run', datetime: job.next_run }, formatInstant(job.next_run, ctx.zone, 'zone')),
          ' ', h('span', { class: 'muted' }, `(${relativeTime(job.next_run)})`)]
        : h('span', { class: 'muted' }, 'not within the next year'))
      : null].filter(Boolean));
  card.runs.replaceChildren(runsTable(ctx, job.runs));
}

function setRunning(card, running) {
  card.state.replaceChildren(running ? outcomeBadge('running') : '');
  card.button.setAttribute('aria-disabled', String(Boolean(running)));
  card.button.textContent = running ? 'Running…' : 'Run now';
}

function runsTable(ctx, runs) {
  if (!runs.length) return h('p', { class: 'runs-empty muted' }, 'Never run');
  const zone = ctx.zone;
  const cell = (label, cls, ...content) => h('td', { dataset: { label }, class: cls }, h('span', { class: 'cell' }, content));
  return h('table', { class: 'table runs-table' },
    h('caption', { class: 'visually-hidden' }, 'Recent runs, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'col-started' }, 'Started'),
      h('th', { scope: 'col', class: 'col-duration' }, 'Duration'),
      h('th', { scope: 'col', class: 'col-trigger' }, 'Trigger'),
      h('th', { scope: 'col', class: 'col-outcome' }, 'Outcome'),
      h('th', { scope: 'col' }, 'Result'))),
    h('tbody', {}, runs.map((run) => h('tr', { class: 'run-row', dataset: { id: run.id, outcome: run.outcome } },
      cell('Started', 'nowrap',
        h('time', { datetime: run.started, title: formatInstant(run.started, zone, 'seconds') }, formatInstant(run.started, zone, 'short'))),
      cell('Duration', 'nowrap', runDuration(run)),
      cell('Trigger', 'nowrap', h('span', {
        title: run.scheduled_for ? `Scheduled for ${formatInstant(run.scheduled_for, zone, 'zone')}` : null,
      }, triggerLabel(run.trigger))),
      cell('Outcome', 'nowrap', outcomeBadge(run.outcome)),
      cell('Result', 'cell-result',
        countChips(run.counts), runDetail(run.detail), runError(run.error),
        !Object.keys(run.counts || {}).length && !run.detail && !run.error
          ? h('span', { class: 'muted' }, run.outcome === 'running' ? 'Working…' : '—') : null)))));
}

async function handleRun(ctx, card) {
  const name = card.name;
  if (card.button.getAttribute('aria-disabled') === 'true') return;
  card.message.hidden = true;
  card.message.className = 'notice job-message';
  if (!(await confirmRun(name))) return;
  if (ctx.state.signal.aborted) return;
  setRunning(card, true);
  try {
    const run = await api.runJob(name);
    ctx.pending.set(run.id, name);
    if (card.job) fillCard(ctx, card, { ...card.job, running: true, runs: [run, ...card.job.runs].slice(0, 10) }, ctx.jobsZone);
    poll(ctx);
  } catch (err) {
    if (api.isAbort(err)) return;
    card.message.textContent = runErrorMessage(name, err);
    card.message.dataset.kind = err.code === 'job.running' ? 'running' : 'error';
    if (err.code !== 'job.running') card.message.classList.add('notice-error');
    card.message.hidden = false;
    if (err.code === 'job.running') {
      ctx.waitingFor.add(name);
      poll(ctx);
    } else {
      setRunning(card, Boolean(card.job && card.job.running));
    }
  }
}

/**
 * Ask for the jobs every second while any job runs or a run started here has not ended;
 * stops when the page is left (state.signal) or after POLL_LIMIT asks.
 */
async function poll(ctx) {
  if (ctx.polling) return;
  ctx.polling = true;
  const { signal } = ctx.state;
  try {
    for (let i = 0; i < POLL_LIMIT && !signal.aborted; i += 1) {
      await sleep(POLL_MS, signal);
      if (signal.aborted) return;
      let jobs;
      try {
        jobs = await api.listJobs(signal);
      } catch (err) {
        if (api.isAbort(err)) return;
        continue; // retried at the next tick
      }
      showJobs(ctx, jobs);
      finishPending(ctx, jobs);
      if (!ctx.pending.size && !ctx.waitingFor.size && !jobs.items.some((j) => j.running)) return;
    }
    if (!signal.aborted && (ctx.pending.size || ctx.waitingFor.size)) {
      toast('A job is still running; reload the page later to see how it ended');
      ctx.pending.clear();
      ctx.waitingFor.clear();
    }
  } finally {
    ctx.polling = false;
  }
}

function finishPending(ctx, jobs) {
  for (const [id, name] of ctx.pending) {
    const job = jobs.items.find((j) => j.name === name);
    const run = job && job.runs.find((r) => r.id === id);
    if (run && run.outcome === 'running') continue;
    if (!run && job && job.running) continue;
    ctx.pending.delete(id);
    const [message, kind] = runToast(name, { run: run || null, ended: true });
    toast(message, kind);
  }
  for (const name of ctx.waitingFor) {
    const job = jobs.items.find((j) => j.name === name);
    if (job && job.running) continue;
    ctx.waitingFor.delete(name);
    const [message, kind] = runToast(name, { run: job ? job.runs[0] || null : null, ended: true });
    toast(message, kind);
  }
}
