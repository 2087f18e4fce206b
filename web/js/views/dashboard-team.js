// views/dashboard-team.js — the Dashboard's team part, for managers (the people of the projects
// they manage, their time on those projects), admins and auditors (everyone who tracks time):
// each person's hours per day this week with totals, and who has not tracked anything yet.
// Each person links to their entries this week; the heading to the Weekly report.

import { h } from '../dom.js';
import { has } from '../capabilities.js';
import { formatDuration, decimalHours } from '../time.js';

const utc = (date) => new Date(`${date}T00:00:00Z`);
const fmt = (opts) => new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });

function hours(seconds) {
  if (!seconds) return h('span', { class: 'muted' }, '—');
  return h('span', { title: decimalHours(seconds) }, formatDuration(seconds));
}

/**
 * The team's week.
 *
 * @param {{state:Object}} ctx the Dashboard
 * @param {Object} d the dashboard (GET /dashboard) with a `team`
 * @returns {HTMLElement} the section
 */
export function teamSection(ctx, d) {
  const managerOnly = !has(ctx.state.me, 'read_all_time');
  const intro = managerOnly
    ? 'The people of the projects you manage, with their time on those projects.'
    : 'Everyone who tracks time.';
  const section = h('section', { class: 'dash-team', 'aria-labelledby': 'dash-team-title' },
    h('div', { class: 'dash-team-head' },
      h('h2', { id: 'dash-team-title' }, h('a', { href: '/reports?view=weekly' }, 'Team this week')),
      h('p', { class: 'muted small' }, intro, ' Viewing it is recorded as a read of their time.')));
  const others = d.team.people.filter((p) => p.user_id !== ctx.state.me.id);
  if (!others.length) {
    section.append(h('div', { class: 'empty' }, managerOnly
      ? [h('p', { class: 'empty-title' }, 'No team to show yet'),
        h('p', {}, 'The people of the projects you manage appear here. Add them to a project on ', h('a', { href: '/projects' }, 'Projects'), '.')]
      : [h('p', { class: 'empty-title' }, 'No one else tracks time here yet'),
        has(ctx.state.me, 'manage_users')
          ? h('p', {}, h('a', { href: '/admin/users' }, 'Add people'), ' (members and managers track time), then ',
            h('a', { href: '/projects' }, 'create projects'), ' for them to track time on.')
          : null]));
    return section;
  }
  section.append(h('div', { class: 'dash-team-row' }, teamTable(d), notTracked(d, managerOnly)));
  return section;
}

function teamTable(d) {
  const days = d.days.map((x) => x.date);
  const head = fmt({ weekday: 'short' });
  const long = fmt({ weekday: 'long', month: 'long', day: 'numeric' });
  const totals = days.map((_, i) => d.team.people.reduce((sum, p) => sum + p.days[i], 0));
  const total = d.team.people.reduce((sum, p) => sum + p.seconds, 0);
  const range = `from=${d.week_from}&to=${d.week_to}`;
  const table = h('table', { class: 'report-table dash-team-table' },
    h('caption', { class: 'visually-hidden' }, 'Hours per person and day this week'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Person'),
      days.map((date) => h('th', { scope: 'col', class: 'num dash-day', title: long.format(utc(date)) }, head.format(utc(date)))),
      h('th', { scope: 'col', class: 'num' }, 'Total'))),
    h('tbody', {}, d.team.people.map((p) => h('tr', { class: p.seconds ? '' : 'is-idle' },
      h('th', { scope: 'row' }, h('a', { href: `/reports?view=detailed&${range}&user_id=${p.user_id}`, title: `${p.name}’s entries this week` }, p.name)),
      p.days.map((s) => h('td', { class: 'num dash-day' }, hours(s))),
      h('td', { class: 'num' }, hours(p.seconds))))),
    h('tfoot', {}, h('tr', {},
      h('th', { scope: 'row' }, 'Total'),
      totals.map((s) => h('td', { class: 'num dash-day' }, hours(s))),
      h('td', { class: 'num' }, hours(total)))));
  return h('div', { class: 'report-table-wrap dash-team-wrap' }, table);
}

function notTracked(d, managerOnly) {
  const list = d.team.not_tracked;
  const box = h('section', { class: 'report-figure dash-idle', 'aria-labelledby': 'dash-idle-title' },
    h('h3', { id: 'dash-idle-title' }, `Not tracked yet (${list.length})`));
  if (!list.length) {
    box.append(h('p', { class: 'muted' }, 'Everyone has tracked time this week.'));
    return box;
  }
  box.append(h('p', { class: 'muted small' }, managerOnly ? 'No time on your projects this week:' : 'No time this week:'),
    h('ul', { class: 'dash-idle-list' }, list.map((p) => h('li', {}, p.name))));
  return box;
}
