// Browser tests for the Dashboard (issue 15): everyone lands on it after signing in; a member
// sees this week's and last week's hours, a bar per day and the top projects, and starts and
// stops the timer from it; a manager also sees the team's week and who has not tracked yet, each
// person linking to their entries. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./dashboard.test.mjs
//
// Every zone is UTC. Entries are on this week's and last week's Monday, which are never after
// today (a Monday entry later than now is made with `confirm: true`).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk, apiCall, signIn } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843', zone: 'UTC' };
const MANAGER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959' };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };
const LOCALE = { locale: 'en-US' };

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

/** The figures at the top: "label value" each. */
async function figures(page) {
  return page.locator('.dash-figure').evaluateAll((els) => els.map((e) => `${e.querySelector('.dash-figure-label').textContent} ${e.querySelector('.dash-figure-value').textContent}`));
}

describe('the Dashboard', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin;
  const people = {};
  const monday = mondayOf(dayIn('UTC'));

  /** Sign `who` in through the login page, in a context of their own; lands on the Dashboard. */
  async function signInAs(who) {
    const ctx = await recordingContext(browser, LOCALE);
    ctx.page = await ctx.context.newPage();
    await signIn(ctx.page, server.baseUrl, who);
    await waitForPath(ctx.page, '/dashboard');
    return ctx;
  }

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, LOCALE);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);
    for (const [key, who, role] of [['manager', MANAGER, 'manager'], ['member', MEMBER, 'member']]) {
      const created = await ok('POST', '/api/v1/users', { name: who.name, email: who.email, role, time_zone: 'UTC' });
      const token = new URL(created.reset_link.url).hash.replace('#token=', '');
      await ok('POST', '/api/v1/password-reset', { token, new_password: who.password });
      people[key] = created.user.id;
    }
    // Backups: Grace manages it, Alan works on it. Website: Alan only.
    people.backups = (await ok('POST', '/api/v1/projects', {
      name: 'Backups', color: '#1b7036', member_ids: [people.member], manager_ids: [people.manager],
    })).id;
    people.website = (await ok('POST', '/api/v1/projects', { name: 'Website', color: '#c2410c', member_ids: [people.member] })).id;
    // Alan's time: this Monday 2:00 on Backups and 0:30 on Website; last Monday 1:00.
    const member = await signInAs(MEMBER);
    const entry = (project, date, from, to) => apiOk(member.page, 'POST', '/api/v1/entries', {
      project_id: project, start: `${date}T${from}:00Z`, end: `${date}T${to}:00Z`, note: 'seeded', confirm: true,
    });
    await entry(people.backups, monday, '07:00', '09:00');
    await entry(people.website, monday, '09:00', '09:30');
    await entry(people.backups, addDays(monday, -7), '07:00', '08:00');
    people.memberCtx = member;
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the first admin lands on the Dashboard, first in the navigation, with everyone who tracks time', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/`);
    await waitForPath(page, '/dashboard');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const links = (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).map((t) => t.trim());
    assert.equal(links[0], 'Dashboard');
    const team = page.locator('table.dash-team-table');
    await team.waitFor();
    const rows = await team.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.lastElementChild.textContent.trim()]));
    assert.deepEqual(rows, [['Ada Lovelace', '—'], ['Alan Turing', '2:30'], ['Grace Hopper', '—']]);
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });

  test('a member sees their week, a bar per day and the top projects, and no team part', async () => {
    const page = people.memberCtx.page;
    await page.goto(`${server.baseUrl}/dashboard`);
    await page.locator('.dash-project-list li').nth(1).waitFor();
    const shown = await figures(page);
    assert.equal(shown[0], 'This week 2:30');
    assert.equal(shown[2], 'Whole last week 1:00');
    const bars = page.locator('.dash-days .chart-bar');
    assert.equal(await bars.count(), 7);
    const labels = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label').replace(/^.*: /, '')));
    assert.equal(labels[0], '2:30', 'Monday');
    assert.equal(labels.slice(1).filter((l) => l !== '0:00').length, 0);
    const projects = await page.locator('.dash-project-list li a').evaluateAll((els) => els.map((e) => [...e.children].map((c) => c.textContent.trim()).join(' ')));
    assert.deepEqual(projects, ['Backups 2:00', 'Website 0:30']);
    assert.equal(await page.locator('.dash-team').count(), 0, 'members get no team part');

    // Each figure opens its report: the top project its entries this week.
    await page.getByRole('link', { name: /^Backups/ }).click();
    await waitForPath(page, '/reports');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('view'), 'detailed');
    assert.equal(url.searchParams.get('project_id'), people.backups);
    await page.locator('table.report-detailed tbody tr').first().waitFor();
    assert.equal(await page.locator('table.report-detailed tbody tr').count(), 1);
  });

  test('the timer starts and stops from the Dashboard, and the week follows', async () => {
    const page = people.memberCtx.page;
    await page.goto(`${server.baseUrl}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Website' });
    await page.getByLabel('Note').fill('from the dashboard');
    await page.getByRole('button', { name: 'Start timer', exact: true }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    await page.locator('.topbar-timer:not([hidden])').waitFor();
    const running = (await apiCall(page, 'GET', '/api/v1/timer')).body.running;
    assert.equal(running.note, 'from the dashboard');
    assert.equal(running.project_id, people.website);
    // Past the server's one-second rule (a quicker stop is a double click and keeps nothing).
    await page.waitForFunction(() => document.querySelector('.timerbar-elapsed').textContent >= '0:00:02');
    // Stopped: the entry is in the week.
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByText(/^Stopped: 0:00:0\d on Website/).waitFor();
    await page.getByRole('button', { name: 'Start timer', exact: true }).waitFor();
    assert.equal((await apiCall(page, 'GET', '/api/v1/timer')).body.running, null);
    const week = await apiOk(page, 'GET', '/api/v1/dashboard');
    assert.ok(week.this_week_seconds > 9000, `${week.this_week_seconds}`);
    await page.waitForFunction((want) => {
      const v = document.querySelector('.dash-figure-value');
      return v && v.dataset.seconds === want;
    }, String(week.this_week_seconds));
  });

  test('a manager sees the people of the project they manage and who has not tracked yet', async () => {
    const manager = await signInAs(MANAGER);
    const page = manager.page;
    const team = page.locator('table.dash-team-table');
    await team.waitFor();
    const rows = await team.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    // Alan's time on Backups only (not Website, which Grace does not manage); Monday first.
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[8]]), [['Alan Turing', '2:00', '2:00'], ['Grace Hopper', '—', '—']]);
    assert.equal(await text(page.locator('.dash-idle h3')), 'Not tracked yet (1)');
    assert.deepEqual(await page.locator('.dash-idle-list li').allTextContents(), ['Grace Hopper']);
    // A person opens their entries this week in the Detailed report.
    await team.getByRole('link', { name: 'Alan Turing' }).click();
    await waitForPath(page, '/reports');
    assert.equal(new URL(page.url()).searchParams.get('user_id'), people.member);
    await page.locator('table.report-detailed tbody tr').first().waitFor();
    const projects = await page.locator('table.report-detailed tbody .project-name').allTextContents();
    assert.deepEqual(projects, ['Backups']);
    assert.deepEqual(foreignRequests(manager.requests, server.baseUrl), []);
    assert.deepEqual(manager.problems, []);
  });
});
