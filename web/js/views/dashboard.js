// views/dashboard.js — the Dashboard, the first page after sign-in (GET /dashboard): the timer
// bar (today-timer.js), this week's hours against last week's up to the same weekday and time,
// hours per day this week (chart.js), the top projects, and for managers, admins and auditors
// the team's week and who has not tracked anything yet (dashboard-team.js). Every figure links
// to the report it comes from.

import { h } from '../dom.js';
import * as api from '../api.js';
import { pageHeader, errorMessage, delayedSpinner } from '../ui.js';
import { has } from '../capabilities.js';
import { colorDot } from '../track.js';
import { formatDuration, decimalHours } from '../time.js';
import { onTimerChange, getRunning } from '../timer.js';
import { renderBarChart, barTable } from '../chart.js';
import { timerBar } from './today-timer.js';
import { teamSection } from './dashboard-team.js';

const utc = (date) => new Date(`${date}T00:00:00Z`);
const fmt = (opts) => new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });

/**
 * Render the Dashboard.
 *
 * @param {HTMLElement} root where the page goes
 * @param {Object} state router state (me, signal, toast, onShortcut, …)
 * @returns {void}
 */
export function render(root, state) {
  const tracks = has(state.me, 'track_time');
  const ctx = { state, tracks, zone: state.me.time_zone, seq: 0 };
  const reports = h('a', { class: 'btn btn-primary', href: '/reports' }, 'Open reports');
  ctx.intro = h('p', { class: 'page-intro muted' }, `Times in ${ctx.zone.replaceAll('_', ' ')}`);
  root.append(pageHeader('Dashboard', reports), ctx.intro);
  if (tracks) {
    ctx.bar = timerBar(ctx);
    root.append(ctx.bar.el);
    state.onShortcut('s', () => ctx.bar.toggle());
    loadProjects(ctx);
    onTimerChange((entry, info) => {
      if (info.source === 'start' || info.source === 'stop' || info.stopped) load(ctx);
    }, state.signal);
  }
  ctx.status = h('div', { class: 'list-status' });
  ctx.mine = h('div', { class: 'dash-mine', hidden: true });
  ctx.team = h('div', { class: 'dash-team-box', hidden: true });
  root.append(ctx.status, ctx.mine, ctx.team);
  load(ctx);
}

/** The projects the timer bar offers. */
async function loadProjects(ctx) {
  try {
    const res = await api.listProjects({}, ctx.state.signal);
    if (!res) return;
    const open = res.items.filter((p) => !p.archived);
    ctx.bar.setProjects(open);
    ctx.bar.setDisabled(open.length === 0 && !getRunning());
  } catch (err) {
    if (!api.isAbort(err)) ctx.bar.setProjects([]);
  }
}

async function load(ctx) {
  ctx.seq += 1;
  const seq = ctx.seq;
  const stop = delayedSpinner(ctx.status);
  try {
    const d = await api.getDashboard(ctx.state.signal);
    if (seq !== ctx.seq || !d) return;
    ctx.status.replaceChildren();
    ctx.intro.textContent = `${weekTitle(d.week_from, d.week_to)} · times in ${d.time_zone.replaceAll('_', ' ')}`;
    if (ctx.tracks) showMine(ctx, d);
    ctx.team.hidden = !d.team;
    if (d.team) ctx.team.replaceChildren(teamSection(ctx, d));
  } catch (err) {
    if (api.isAbort(err) || seq !== ctx.seq) return;
    ctx.status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
  } finally {
    stop();
  }
}

/**
 * "Week of Nov 23 – 29, 2026".
 *
 * @param {string} from Monday, YYYY-MM-DD
 * @param {string} to Sunday
 * @returns {string} the words
 */
function weekTitle(from, to) {
  return `Week of ${fmt({ year: 'numeric', month: 'short', day: 'numeric' }).formatRange(utc(from), utc(to))}`;
}

function hours(seconds) {
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/**
 * This week against last week up to the same weekday and time, in words.
 *
 * @param {number} now seconds this week
 * @param {number} then seconds last week up to the same moment
 * @returns {string} e.g. "1:30 more than last week by now"
 */
export function comparison(now, then) {
  if (now === then) return 'the same as last week by now';
  return `${formatDuration(Math.abs(now - then))} ${now > then ? 'more' : 'less'} than last week by now`;
}

/** "Tuesday at this time" for today's weekday. */
function nowWords(today) {
  return `${fmt({ weekday: 'long' }).format(utc(today))} at this time`;
}

/** The caller's own week: figures, the chart of days, the top projects. */
function showMine(ctx, d) {
  const me = ctx.state.me.id;
  const mine = (params) => `/reports?${new URLSearchParams({ ...params, user_id: me }).toString().replaceAll('%2C', ',')}`;
  const figure = (label, seconds, href, note) => h('a', { class: 'dash-figure', href },
    h('span', { class: 'dash-figure-label' }, label),
    h('span', { class: 'dash-figure-value', dataset: { seconds: String(seconds) } }, hours(seconds)),
    note ? h('span', { class: 'dash-figure-note' }, note) : null);
  const diff = d.this_week_seconds - d.last_week_to_date_seconds;
  const figures = h('div', { class: 'dash-figures' },
    figure('This week', d.this_week_seconds, mine({}),
      h('span', { class: diff > 0 ? 'dash-up' : diff < 0 ? 'dash-down' : '' }, comparison(d.this_week_seconds, d.last_week_to_date_seconds))),
    figure('Last week by now', d.last_week_to_date_seconds, mine({ range: 'last-week' }), `Last week up to ${nowWords(d.today)}`),
    figure('Whole last week', d.last_week_seconds, mine({ range: 'last-week' }), 'Monday to Sunday'));

  const chartBox = h('div', { class: 'chart-box dash-chart' });
  const readout = h('p', { class: 'chart-readout muted', 'aria-hidden': 'true' });
  const long = fmt({ weekday: 'short', month: 'short', day: 'numeric' });
  const short = fmt({ weekday: 'short' });
  const bars = d.days.map((x) => ({
    seconds: x.seconds, label: `${short.format(utc(x.date))} ${utc(x.date).getUTCDate()}`, name: long.format(utc(x.date)),
  }));
  const days = h('figure', { class: 'report-figure dash-days' },
    h('h2', {}, h('a', { href: mine({ group: 'day' }) }, 'Hours per day')),
    chartBox, readout,
    h('details', { class: 'chart-data' }, h('summary', {}, 'Hours per day as a table'),
      barTable({ caption: 'Hours per day this week', head: 'Day', bars })));
  const nothing = d.this_week_seconds === 0;
  if (nothing) {
    days.append(h('p', { class: 'muted dash-empty' }, 'Nothing tracked this week yet: start the timer above, or add time you already spent on ',
      h('a', { href: '/today' }, 'Today'), ' or in the ', h('a', { href: '/timesheet' }, 'Timesheet'), '.'));
  }
  ctx.mine.replaceChildren(figures, h('div', { class: 'dash-row' }, days, topProjects(d, mine)));
  ctx.mine.hidden = false;
  if (ctx.chartController) ctx.chartController.abort();
  ctx.chartController = new AbortController();
  ctx.state.signal.addEventListener('abort', () => ctx.chartController.abort(), { once: true });
  renderBarChart(chartBox, {
    title: `Hours per day, ${weekTitle(d.week_from, d.week_to)}`,
    description: `${formatDuration(d.this_week_seconds)} this week. Use the arrow keys to move between the days; the same numbers are in the table under the chart.`,
    bars, height: 180, signal: ctx.chartController.signal, readout,
  });
}

/** The top projects, each a bar of its share of the week, linking to its entries. */
function topProjects(d, mine) {
  const box = h('section', { class: 'report-figure dash-projects', 'aria-labelledby': 'dash-projects-title' },
    h('h2', { id: 'dash-projects-title' }, h('a', { href: mine({ group: 'project' }) }, 'Top projects')));
  if (!d.top_projects.length) {
    box.append(h('p', { class: 'muted dash-empty' }, 'Your projects show here, most time first, once you track time this week.'));
    return box;
  }
  const most = d.top_projects[0].seconds || 1;
  box.append(h('ol', { class: 'dash-project-list' }, d.top_projects.map((p) => {
    const bar = h('span', { class: 'dash-project-bar' });
    bar.style.width = `${Math.max(2, Math.round((p.seconds / most) * 100))}%`;
    if (/^#[0-9a-fA-F]{6}$/.test(p.color)) bar.style.backgroundColor = p.color;
    return h('li', {},
      h('a', { href: mine({ view: 'detailed', project_id: p.project_id }) },
        h('span', { class: 'dash-project-name' }, colorDot(p.color), h('span', {}, p.name)),
        h('span', { class: 'dash-project-hours' }, hours(p.seconds))),
      h('span', { class: 'dash-project-track', 'aria-hidden': 'true' }, bar));
  })));
  return box;
}
