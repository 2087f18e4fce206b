// Browser tests for phones (issue 14, "Phone"): every main page at 390×844 (and 360×740) fits the
// screen — the page never scrolls sideways, with real data on it (a client, projects with long
// names, a task, entries with notes and tags, a running timer, a legal hold, a privacy request).
// The Timesheet shows one day at a time (a day bar picks it; a cell edit saves), and the top bar
// shows the account's initials and the running timer with its stop button. Own server, own first
// admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./phone.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST): 00:00 UTC is 09:00 the same day in Tokyo,
// whatever zone the browser runs in. The timesheet test uses last week, so every day is past.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, waitFor } from './browser.mjs';
import { addDays, dayIn, mondayOf, dayLabel } from './dates.mjs';

// See: #14 (Phone)
const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843', zone: 'Asia/Tokyo' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' };
const SMALL = { width: 360, height: 740 };

/** Today (YYYY-MM-DD) on the wall clock of a zone. */
const todayIn = (zone) => dayIn(zone);

/** How wide the page is laid out, against the screen (a phone zooms out a page that is too wide). */
function pageWidth(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
}

/** The elements that stick out of the screen on the right, for the failure message. */
function offenders(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right ${Math.round(r.right)})`);
    }
    return out.slice(0, 8);
  });
}

async function assertFits(page, width, what) {
  const size = await pageWidth(page);
  const detail = async () => `${what} is ${size.scroll} px wide at ${width} px: ${(await offenders(page)).join(', ')}`;
  if (size.scroll > size.inner || size.scroll > width) assert.fail(await detail());
}

describe('phones: every main page fits, the timesheet by day, the top bar', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let phone; // { context, requests, problems, page }
  const ids = {};
  const monday = mondayOf(addDays(todayIn(ADMIN.zone), -7)); // last week
  const day = (i) => addDays(monday, i); // 0 = Monday … 6 = Sunday
  const LONG = 'Customer portal redesign and data migration';
  const OTHER = 'Infrastructure maintenance and offsite backups';

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    phone = await recordingContext(browser, PHONE);
    phone.page = await phone.context.newPage();
    const page = phone.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);

    // Arrange: a client, two projects with long names (one with a task), entries last week and
    // earlier today with notes and tags, a running timer, a hold and a privacy request.
    const ok = (method, path, body) => apiOk(page, method, path, body);
    ids.client = (await ok('POST', '/api/v1/clients', { name: 'Northwind Traders International' })).id;
    ids.long = (await ok('POST', '/api/v1/projects', { name: LONG, client_id: ids.client, color: '#c2410c' })).id;
    ids.other = (await ok('POST', '/api/v1/projects', { name: OTHER, color: '#2563eb' })).id;
    ids.task = (await ok('POST', `/api/v1/projects/${ids.long}/tasks`, { title: 'Rewrite the checkout flow for small screens' })).id;
    await ok('POST', '/api/v1/entries', {
      project_id: ids.long, task_id: ids.task, start: `${day(0)}T00:00:00Z`, end: `${day(0)}T01:30:00Z`,
      note: 'Checkout wireframes, reviewed with the design team', tags: ['design', 'customer-facing'],
    });
    await ok('POST', '/api/v1/entries', { project_id: ids.other, start: `${day(2)}T00:00:00Z`, end: `${day(2)}T02:00:00Z`, note: 'Rotate the offsite backup keys', tags: ['ops'] });
    await ok('POST', '/api/v1/entries', { project_id: ids.long, start: `${day(4)}T00:00:00Z`, end: `${day(4)}T00:45:00Z` });
    const now = Date.now();
    const ago = (minutes) => new Date(now - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // An hour of today in Tokyo, before the timer starts: 100 to 40 minutes ago, or in the
    // first 100 minutes of a Tokyo day (15:00 to 16:40 UTC) an hour from now, later today there.
    const tokyoMidnight = Date.parse(`${todayIn(ADMIN.zone)}T00:00:00+09:00`);
    const [from, to] = now - 100 * 60_000 >= tokyoMidnight ? [100, 40] : [-60, -120];
    await ok('POST', '/api/v1/entries', { project_id: ids.other, start: ago(from), end: ago(to), note: 'Restore drill on the staging database', tags: ['ops'], confirm: true });
    await ok('POST', '/api/v1/timer/start', { project_id: ids.long, task_id: ids.task, note: 'Payment step' });
    await ok('POST', '/api/v1/holds', { kind: 'user', target: ADMIN.email, reason: 'Audit of the 2026 invoices' });
    await ok('POST', '/api/v1/privacy/requests', {
      kind: 'access', subject: 'Charles Babbage (letter)', received_on: todayIn(ADMIN.zone), verification: 'signed letter',
    });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  // Each page, and a text that shows its data has rendered.
  const pages = [
    ['Today', () => '/today', 'Restore drill on the staging database'],
    ['Timesheet', () => '/timesheet', OTHER],
    ['Entries', () => '/entries', 'Restore drill on the staging database'],
    ['Reports', () => '/reports?range=last-week&group=project,user', LONG],
    ['Projects', () => '/projects', LONG],
    ['a project’s task board', () => `/projects/${ids.long}/board`, 'Rewrite the checkout flow for small screens'],
    ['Clients', () => '/clients', 'Northwind Traders International'],
    ['Tags', () => '/tags', 'customer-facing'],
    ['Account', () => '/account', 'Change password'],
    ['Users', () => '/admin/users', 'ada@example.com'],
    ['Import', () => '/admin/import', 'Toggl Track'],
    ['Privacy requests', () => '/admin/privacy', 'Charles Babbage (letter)'],
    ['Retention & holds', () => '/admin/retention', 'Audit of the 2026 invoices'],
    ['Security events', () => '/admin/security', 'Signed in'],
    ['Audit log', () => '/admin/audit', 'Chain verified'],
    ['Jobs', () => '/admin/jobs', 'Backup'],
    ['System', () => '/admin/system', 'Server'],
  ];

  for (const [name, path, shows] of pages) {
    test(`${name} does not scroll sideways at 390×844 or 360×740`, async () => {
      const page = phone.page;
      await page.setViewportSize(PHONE.viewport);
      await page.goto(`${server.baseUrl}${path()}`);
      await page.locator('main h1').waitFor();
      await page.locator('main').getByText(shows).filter({ visible: true }).first().waitFor();
      await page.locator('.topbar-timer:not([hidden])').waitFor();
      await assertFits(page, PHONE.viewport.width, name);
      await page.setViewportSize(SMALL);
      await assertFits(page, SMALL.width, name);
      await page.setViewportSize(PHONE.viewport);
      assert.deepEqual(phone.problems, []);
    });
  }

  test('the timesheet on a phone shows one day with all its rows; the day bar changes the day; a cell edit saves', async () => {
    const page = phone.page;
    await page.setViewportSize(PHONE.viewport);
    await page.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    const rows = page.locator('tr.ts-row');
    await page.locator(`tr.ts-row[data-project-id="${ids.other}"]`).waitFor();
    const labels = async () => page.locator('tr.ts-row input.ts-input:visible').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    const picked = async () => (await page.locator('.ts-pick[aria-pressed="true"]').textContent()).replace(/\s+/g, ' ').trim();

    // A week other than this one opens on its Monday: every row, one cell each, and its week total.
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await labels(), [
      `${LONG}, ${dayLabel(day(0))}`,
      `${LONG} · Rewrite the checkout flow for small screens, ${dayLabel(day(0))}`,
      `${OTHER}, ${dayLabel(day(0))}`,
    ]);
    const task = page.getByLabel(`${LONG} · Rewrite the checkout flow for small screens, ${dayLabel(day(0))}`, { exact: true });
    assert.equal(await task.inputValue(), '1:30');
    assert.deepEqual((await page.locator('tr.ts-row .ts-row-total').allTextContents()).map((t) => t.trim()), ['0:45', '1:30', '2:00']);
    assert.match(await picked(), /^Mon/);
    assert.equal(await page.locator('.ts-picks button').count(), 7);
    assert.match((await page.locator('.ts-picks button').nth(2).textContent()).replace(/\s+/g, ' '), /^Wed .*2:00$/);
    await assertFits(page, PHONE.viewport.width, 'the timesheet');

    // The day bar: a day's button, then next and previous day.
    await page.getByRole('group', { name: 'Day' }).getByRole('button', { name: /^Wed/ }).click();
    assert.match(await picked(), /^Wed/);
    const other = (i) => page.getByLabel(`${OTHER}, ${dayLabel(day(i))}`, { exact: true });
    assert.equal(await other(2).inputValue(), '2:00');
    assert.equal(await page.locator('tr.ts-row input.ts-input:visible').count(), 3);
    await page.getByRole('button', { name: 'Next day' }).click();
    assert.match(await picked(), /^Thu/);
    assert.ok((await labels()).every((l) => l.endsWith(dayLabel(day(3)))));
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.getByRole('button', { name: 'Previous day' }).click();
    assert.match(await picked(), /^Tue/);
    assert.ok((await labels()).every((l) => l.endsWith(dayLabel(day(1)))));

    // A cell edit on the day shown saves, and the day's and the row's totals follow.
    const cell = other(1);
    await cell.click();
    await cell.fill('1:15');
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/timesheet/cell'));
    await cell.press('Enter');
    assert.equal((await answered).status(), 200);
    await page.waitForFunction(() => !document.querySelector('.ts-cell.is-saving'));
    await waitFor(async () => (await page.locator('.ts-picks button').nth(1).textContent()).includes('1:15'), { what: 'Tuesday’s total' });
    assert.equal((await page.locator(`tr.ts-row[data-project-id="${ids.other}"] .ts-row-total`).textContent()).trim(), '3:15');
    assert.match((await page.locator('.ts-day-title').textContent()).replace(/\s+/g, ' '), /Tuesday .*1:15/);
    const sheet = await apiOk(page, 'GET', `/api/v1/timesheet?week=${monday}`);
    const saved = sheet.rows.find((r) => r.project_id === ids.other && !r.task_id);
    assert.equal(saved.seconds[1], 4500);

    // Arrow keys in a cell move between days, showing the day they reach.
    await cell.press('ArrowRight');
    assert.match(await picked(), /^Wed/);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `${OTHER}, ${dayLabel(day(2))}`);

    // Before Monday is last week's Sunday (the week before), and the URL says so.
    await page.getByRole('group', { name: 'Day' }).getByRole('button', { name: /^Mon/ }).click();
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, addDays(monday, -7));
    await waitFor(async () => /^Sun/.test(await picked()), { what: 'Sunday of the week before' });
    assert.deepEqual(phone.problems, []);
  });

  test('the top bar on a phone shows the initials and the running timer with its stop button; a wide screen shows the name', async () => {
    const page = phone.page;
    await page.setViewportSize(PHONE.viewport);
    await page.goto(`${server.baseUrl}/today`);
    const topbar = page.locator('header.topbar');
    const account = topbar.getByRole('button', { name: ADMIN.name, exact: true });
    await account.waitFor();
    assert.equal(await account.getAttribute('title'), ADMIN.name);
    const avatar = topbar.locator('.usermenu-avatar');
    assert.equal(await avatar.isVisible(), true);
    assert.equal((await avatar.textContent()).trim(), 'AL');
    const nameBox = await topbar.locator('.usermenu-name').boundingBox();
    assert.ok(!nameBox || nameBox.width <= 1, 'the name gives way to the initials');

    const stop = topbar.getByRole('button', { name: 'Stop running timer' });
    await stop.waitFor();
    for (const part of [stop, topbar.locator('.topbar-timer .dot'), topbar.getByRole('timer')]) {
      const box = await part.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.viewport.width, 'the running timer is in view');
    }
    for (const width of [PHONE.viewport.width, SMALL.width]) {
      await page.setViewportSize({ width, height: 740 });
      const fits = await topbar.evaluate((el) => el.scrollWidth <= el.clientWidth);
      assert.ok(fits, `the top bar fits at ${width} px`);
      const box = await stop.boundingBox();
      assert.ok(box.x + box.width <= width, `the stop button is in view at ${width} px`);
    }

    // The menu still opens from the initials.
    await account.click();
    await page.getByRole('menuitem', { name: 'Account' }).waitFor();
    await page.keyboard.press('Escape');

    // A wide screen keeps the name.
    await page.setViewportSize({ width: 1366, height: 850 });
    assert.equal(await avatar.isVisible(), false);
    assert.equal((await topbar.locator('.usermenu-name').textContent()).trim(), ADMIN.name);
    assert.ok((await topbar.locator('.usermenu-name').boundingBox()).width > 40);
    await page.setViewportSize(PHONE.viewport);

    // A new name on the Account page: new initials, name and title.
    await page.goto(`${server.baseUrl}/account`);
    await page.getByLabel('Name', { exact: true }).fill('Augusta Ada King');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await topbar.getByRole('button', { name: 'Augusta Ada King', exact: true }).waitFor();
    assert.equal((await avatar.textContent()).trim(), 'AK');
    assert.equal(await topbar.locator('.usermenu-button').getAttribute('title'), 'Augusta Ada King');
    assert.deepEqual(phone.problems, []);
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    assert.ok(phone.requests.length > 20, `only ${phone.requests.length} requests were recorded`);
    assert.deepEqual(foreignRequests(phone.requests, server.baseUrl), []);
    assert.deepEqual(phone.problems, []);
  });
});
