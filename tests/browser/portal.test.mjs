// Browser tests for the client portal (issue 15): a client account lands on /portal, sees its
// own client's projects only (the other client's project name is nowhere on the page), their
// hours, billed hours, budget bar and tasks; changes the period and the grouping (the URL
// follows, Back undoes, the totals and the bars are right); downloads the same hours as CSV; no
// request of its session is refused; an account linked to no client is told so; and amounts
// appear only where the instance shows rates (`portal.show_rates`). Own servers, own first admin;
// data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./portal.test.mjs
//
// Every account's zone is Asia/Tokyo (UTC+9, no DST): local times below are turned into UTC by
// taking nine hours off, whatever zone the browser runs in.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk, signIn, waitReportTotal } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ZONE = 'Asia/Tokyo';
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: ZONE };
const CLIENT = { name: 'Wile E. Coyote', email: 'wile@acme.example', password: 'rocket skates 1949' };
const UNLINKED = { name: 'Road Runner', email: 'beep@example.com', password: 'beep beep beep 1949' };
const LOCALE = { locale: 'en-US' };
const SECRET = 'Globex Secret Lab';

/** An instant (RFC 3339, UTC) from a Tokyo wall-clock time on `date`. */
function tokyo(date, hour, minute = 0) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hour - 9, minute)).toISOString().replace(/\.000Z$/, 'Z');
}

const param = (page, key) => new URL(page.url()).searchParams.get(key);

/** A budget bar's words as shown (without the words only screen readers get). */
const budgetWords = (bar) => bar.locator('.budget-words').evaluate((el) => el.firstChild.textContent);

/**
 * An account made by the admin (through the API), its password set with its one-time link.
 *
 * @returns {Promise<string>} the account's id
 */
async function makeAccount(adminPage, who, extra = {}) {
  const created = await apiOk(adminPage, 'POST', '/api/v1/users', { name: who.name, email: who.email, role: 'client', time_zone: ZONE, ...extra });
  const token = new URL(created.reset_link.url).hash.replace('#token=', '');
  await apiOk(adminPage, 'POST', '/api/v1/password-reset', { token, new_password: who.password });
  return created.user.id;
}

/** A fresh browser context signed in as `who`, with every response's status recorded. */
async function signedIn(browser, server, who) {
  const ctx = await recordingContext(browser, LOCALE);
  ctx.responses = [];
  ctx.context.on('response', (res) => ctx.responses.push({ status: res.status(), url: res.url() }));
  ctx.page = await ctx.context.newPage();
  await signIn(ctx.page, server.baseUrl, who);
  return ctx;
}

/** The cells of the hours table's total row. */
async function totalRow(page) {
  return (await page.locator('.portal-hours table.report-table tfoot tr > *').allTextContents()).map((t) => t.trim());
}

/** The hours table's rows as [name, hours…]; second-group rows start with "  ". */
async function tableRows(page) {
  return page.locator('.portal-hours table.report-table tbody tr').evaluateAll((rows) => rows.map((tr) => [
    `${tr.classList.contains('report-subrow') ? '  ' : ''}${tr.querySelector('th').textContent.replace(/^.*› /, '').trim()}`,
    ...[...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
  ]));
}

const waitTotal = (page, total) => waitReportTotal(page, total, { table: '.portal-hours table.report-table', body: '.portal-hours-body' });

describe('the client portal', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin;
  let client;
  const monday = mondayOf(dayIn(ZONE));
  const day = (i) => addDays(monday, i); // 0 = this Monday … 6 = this Sunday; -7 = last Monday

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, LOCALE);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);

    // Acme: Backups (a 10 h budget warning at half, billed up to 15 minutes per entry, a task
    // over its estimate and one not started) and Intranet (archived). Globex: a project of its own.
    const acme = await ok('POST', '/api/v1/clients', { name: 'Acme' });
    const globex = await ok('POST', '/api/v1/clients', { name: 'Globex' });
    const backups = await ok('POST', '/api/v1/projects', {
      name: 'Backups', client_id: acme.id, color: '#2563eb', rate_cents: 10000, currency: 'EUR',
      rounding: 'up 15 per entry', budget: { seconds: 36000, alert_percent: 50 },
    });
    const intranet = await ok('POST', '/api/v1/projects', { name: 'Intranet', client_id: acme.id, color: '#7e22ce', rate_cents: 8000, currency: 'EUR' });
    const secret = await ok('POST', '/api/v1/projects', { name: SECRET, client_id: globex.id, color: '#c2410c', rate_cents: 20000, currency: 'EUR' });
    const drill = await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Restore drill', estimate_secs: 7200, status: 'in_progress' });
    await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Rotate keys', estimate_secs: 18000 });

    const entry = (project, start, end, task) => ok('POST', '/api/v1/entries', {
      project_id: project.id, task_id: task ? task.id : undefined, start, end, note: 'internal note', confirm: true,
    });
    // This week: Backups Mon 2:30 (the drill), Tue 1:10 (billed 1:15); Intranet Wed 1:00;
    // Globex Mon 3:00. Last week: Backups Wed 2:00 (the drill).
    await entry(backups, tokyo(day(0), 9), tokyo(day(0), 11, 30), drill);
    await entry(backups, tokyo(day(1), 9), tokyo(day(1), 10, 10));
    await entry(intranet, tokyo(day(2), 14), tokyo(day(2), 15));
    await entry(secret, tokyo(day(0), 10), tokyo(day(0), 13));
    await entry(backups, tokyo(day(-5), 9), tokyo(day(-5), 11), drill);
    await ok('PATCH', `/api/v1/projects/${intranet.id}`, { archived: true });

    await makeAccount(page, CLIENT, { client_id: acme.id });
    await makeAccount(page, UNLINKED);
    client = await signedIn(browser, server, CLIENT);
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('a client lands on its portal: its projects, hours, budget and tasks, and nothing else', async () => {
    const page = client.page;
    await waitForPath(page, '/portal');
    await page.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual((await nav.getByRole('link').allTextContents()).map((t) => t.trim()), ['Portal', 'Account']);
    assert.equal(await page.locator('.timerbar, .topbar-timer').count(), 0, 'no timer for a client');

    // Backups: all of its time (5:40), billed 5:45; a 10 h budget past its warning at half.
    const backups = page.getByRole('article', { name: 'Backups' });
    const figures = await backups.locator('.portal-figure').evaluateAll((els) => els.map((e) => `${e.querySelector('dt').textContent} ${e.querySelector('dd').textContent}`));
    assert.deepEqual(figures, ['Tracked 5:40', 'Billed 5:45']);
    assert.equal(await budgetWords(backups), '5:40 of 10:00 h · 56 %');
    assert.equal(await backups.locator('.budget').getAttribute('class'), 'budget budget-alert');
    const tasks = await backups.locator('.estimate-table tbody tr').evaluateAll((rows) => rows.map((tr) => [
      tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map((td) => td.textContent.trim()), tr.className,
    ]));
    assert.deepEqual(tasks, [
      ['Restore drill', 'In progress', '2:00', '4:30', '225 % · Over by 2:30', 'is-over'],
      ['Rotate keys', 'Open', '5:00', '0:00', '0 %', ''],
    ]);

    // Intranet: archived, no budget, no tasks; rounding does not change its time.
    const intranet = page.getByRole('article', { name: 'Intranet' });
    await intranet.getByText('Archived', { exact: true }).waitFor();
    assert.deepEqual(await intranet.locator('.portal-figure dt').allTextContents(), ['Tracked']);
    assert.equal(await intranet.locator('.budget').count(), 0);
    assert.equal(await page.locator('.portal-project').count(), 2);

    // Nothing of Globex, no notes, no money (rates are not shown on this instance), no buttons.
    await waitTotal(page, '4:40');
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes(SECRET) && !text.includes('Globex'), 'the other client is nowhere on the page');
    assert.ok(!text.includes('internal note'), 'notes are not shown');
    assert.ok(!/[€$£¥]|EUR|Amount/.test(text), `no money on the page: ${text.match(/.{0,20}([€$£¥]|EUR|Amount).{0,20}/)}`);
    assert.equal(await page.locator('main button').count(), 0, 'nothing to press: read-only');
  });

  test('hours by period: this week by project, then last week by task and day, custom days; the URL follows', async () => {
    const page = client.page;
    await page.goto(`${server.baseUrl}/portal`);
    await waitTotal(page, '4:40');
    assert.deepEqual(await tableRows(page), [['Backups', '3:40', '3:45'], ['Intranet', '1:00', '1:00']]);
    assert.deepEqual(await totalRow(page), ['Total', '4:40', '4:45']);
    await page.getByText('Billed time is rounded as each project says.').waitFor();
    const bars = page.locator('.portal-hours .chart-bar');
    assert.equal(await bars.count(), 7);
    const labels = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label').replace(/^.*: /, '')));
    assert.deepEqual(labels, ['2:30', '1:10', '1:00', '0:00', '0:00', '0:00', '0:00']);

    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last week' });
    await waitTotal(page, '2:00');
    assert.equal(param(page, 'range'), 'last-week');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), day(-7));
    assert.equal(await bars.count(), 7);
    await page.getByLabel('Group by').selectOption({ label: 'Task' });
    await page.getByLabel('Then by').selectOption({ label: 'Day' });
    await page.waitForFunction(() => document.querySelectorAll('.portal-hours tr.report-subrow').length === 1);
    assert.equal(param(page, 'group'), 'task,day');
    const wednesday = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day(-5)}T00:00:00Z`));
    assert.deepEqual(await tableRows(page), [['Restore drill', '2:00'], [`  ${wednesday}`, '2:00']]);
    assert.deepEqual(await totalRow(page), ['Total', '2:00'], 'no Billed column where rounding changes nothing');

    // Back undoes the grouping, then the period.
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('.portal-hours tr.report-subrow').length === 0);
    assert.equal(param(page, 'group'), 'task');
    await page.goBack();
    await waitTotal(page, '2:00');
    assert.equal(param(page, 'group'), null);
    await page.goBack();
    await waitTotal(page, '4:40');
    assert.equal(page.url(), `${server.baseUrl}/portal`);

    // Custom days: Monday to Wednesday, one bar each.
    await page.goto(`${server.baseUrl}/portal?from=${day(0)}&to=${day(2)}&group=user`);
    await waitTotal(page, '4:40');
    assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), 'custom');
    assert.equal(await bars.count(), 3);
    assert.deepEqual(await tableRows(page), [[ADMIN.name, '4:40', '4:45']]);
  });

  test('Download CSV asks for the same hours, and its lines match the table', async () => {
    const page = client.page;
    await page.goto(`${server.baseUrl}/portal?range=last-week&group=task,day`);
    await waitTotal(page, '2:00');
    const link = page.getByRole('link', { name: 'Download CSV' });
    assert.equal(await link.getAttribute('href'), `/api/v1/portal/hours.csv?from=${day(-7)}&to=${day(-1)}&group=task,day`);
    await page.goto(`${server.baseUrl}/portal`);
    await waitTotal(page, '4:40');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `hours-${day(0)}-${day(6)}.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    assert.deepEqual(csv.trim().split(/\r?\n/), [
      'project,hours,billed_hours',
      'Backups,3.67,3.75',
      'Intranet,1.00,1.00',
      'Total,4.67,4.75',
    ]);
    assert.equal(page.url(), `${server.baseUrl}/portal`, 'the page stays');
  });

  test('PDF timesheet downloads the period shown as a PDF', async () => {
    const page = client.page;
    await page.goto(`${server.baseUrl}/portal?range=last-week&group=task,day`);
    await waitTotal(page, '2:00');
    const link = page.getByRole('link', { name: 'PDF timesheet' });
    assert.equal(await link.getAttribute('href'), `/api/v1/portal/hours.pdf?from=${day(-7)}&to=${day(-1)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `timesheet-${day(-7)}_${day(-1)}.pdf`);
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  test('no request of the client’s session was refused, none left 127.0.0.1, no page error', () => {
    assert.ok(client.responses.length > 10, `only ${client.responses.length} responses were recorded`);
    const refused = client.responses.filter((r) => r.status >= 400);
    assert.deepEqual(refused, []);
    assert.deepEqual(foreignRequests(client.requests, server.baseUrl), []);
    assert.deepEqual(client.problems, []);
  });

  test('pages a client may not use say so without asking the server; / leads to the portal', async () => {
    const page = client.page;
    const before = client.responses.length;
    for (const path of ['/dashboard', '/today', '/reports', '/entries', '/projects']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'No access' }).waitFor();
    }
    await page.goto(`${server.baseUrl}/`);
    await waitForPath(page, '/portal');
    await page.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    await page.goto(`${server.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(client.responses.slice(before).filter((r) => r.status >= 400), []);
  });

  test('a client account linked to no client is told whom to ask', async () => {
    const lone = await signedIn(browser, server, UNLINKED);
    try {
      await waitForPath(lone.page, '/portal');
      await lone.page.getByText('Your account is not linked to a client yet').waitFor();
      await lone.page.getByText(/Ask the administrator of this OphionTT to link your account/).waitFor();
      assert.equal(await lone.page.locator('.portal-project, .portal-hours:not([hidden])').count(), 0);
      assert.deepEqual(lone.problems, []);
    } finally {
      await lone.context.close();
    }
  });

  test('an admin links a client account to its client on the Users page', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByRole('button', { name: `Edit ${UNLINKED.email}` }).click();
    const dialog = page.getByRole('dialog');
    const pick = dialog.getByLabel('Client', { exact: true });
    await dialog.locator('select[name="client_id"] option', { hasText: 'Acme' }).waitFor({ state: 'attached' });
    await pick.selectOption({ label: 'Acme' });
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const users = await apiOk(page, 'GET', '/api/v1/users?q=beep');
    const acme = (await apiOk(page, 'GET', '/api/v1/clients')).items.find((c) => c.name === 'Acme');
    assert.equal(users.items[0].client_id, acme.id);
    // Another role has no client to choose.
    await page.getByRole('button', { name: `Edit ${UNLINKED.email}` }).click();
    await dialog.getByLabel('Role').selectOption('member');
    assert.equal(await pick.isVisible(), false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('the client portal where rates are shown', { timeout: 120_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ env: { OPHIONTT_PORTAL_SHOW_RATES: 'true' } });
    browser = await launchChromium();
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the cards and the table show amounts', async () => {
    const admin = await recordingContext(browser, LOCALE);
    const page = await admin.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);
    const acme = await ok('POST', '/api/v1/clients', { name: 'Acme' });
    const backups = await ok('POST', '/api/v1/projects', {
      name: 'Backups', client_id: acme.id, color: '#2563eb', rate_cents: 10000, currency: 'EUR', budget: { cents: 100000 },
    });
    const monday = mondayOf(dayIn(ZONE));
    await ok('POST', '/api/v1/entries', { project_id: backups.id, start: tokyo(monday, 9), end: tokyo(monday, 10, 30), confirm: true });
    await makeAccount(page, CLIENT, { client_id: acme.id });

    const client = await signedIn(browser, server, CLIENT);
    await waitForPath(client.page, '/portal');
    await waitTotal(client.page, '1:30');
    const card = client.page.getByRole('article', { name: 'Backups' });
    const figures = await card.locator('.portal-figure').evaluateAll((els) => els.map((e) => `${e.querySelector('dt').textContent} ${e.querySelector('dd').textContent}`));
    assert.deepEqual(figures, ['Tracked 1:30', 'Amount €150.00']);
    assert.equal(await budgetWords(card), '€150.00 of €1,000.00 · 15 %');
    assert.deepEqual(await totalRow(client.page), ['Total', '1:30', '€150.00']);
    assert.deepEqual(client.responses.filter((r) => r.status >= 400), []);
    assert.deepEqual(client.problems, []);
  });
});
