// Browser tests for the Timesheet page: typing hours into the week grid (h:mm and decimal, in a
// project row and a task row), totals that follow the server's answer, a reload that keeps them,
// errors shown at their cell (a typo sends nothing; 422 and 409 show the server's word), arrow
// keys, the week in the URL (buttons, [ ], Alt+arrows, back), a read-only archived row, and the
// cell's entry on the Entries page. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./timesheet.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST): 00:00 UTC is 09:00 the same day in Tokyo,
// whatever zone the browser runs in. The grid shows last week, so every day is in the past.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiCall, apiOk } from './browser.mjs';
import { addDays, dayIn, mondayOf, dayLabel } from './dates.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Asia/Tokyo' };
const HINT = 'Type hours like 1.5 or 1:30';


const call = apiCall;
const ok = apiOk;

describe('the Timesheet page', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  const puts = []; // every PUT /api/v1/timesheet/cell body the page sent
  const ids = {};
  const monday = mondayOf(dayIn(ADMIN.zone, 7)); // last week
  const day = (i) => addDays(monday, i); // 0 = Monday … 6 = Sunday
  const weekUrl = () => `${server.baseUrl}/timesheet?week=${monday}`;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-US' });
    admin.page = await admin.context.newPage();
    const page = admin.page;
    page.on('request', (req) => {
      if (req.method() === 'PUT' && req.url().endsWith('/api/v1/timesheet/cell')) puts.push(JSON.parse(req.postData()));
    });
    await createFirstAdmin(page, server.setupLink, ADMIN);

    // Arrange: a project with a task, a second project, and an archived one with an hour last
    // Monday. Friday on Website holds two entries (a cell the server cannot simply resize).
    ids.backups = (await ok(page, 'POST', '/api/v1/projects', { name: 'Backups' })).id;
    ids.task = (await ok(page, 'POST', `/api/v1/projects/${ids.backups}/tasks`, { title: 'Rotate keys' })).id;
    ids.website = (await ok(page, 'POST', '/api/v1/projects', { name: 'Website', color: '#c2410c' })).id;
    ids.old = (await ok(page, 'POST', '/api/v1/projects', { name: 'Old intranet', color: '#5f3dc4' })).id;
    await ok(page, 'POST', '/api/v1/entries', { project_id: ids.old, start: `${day(0)}T00:00:00Z`, end: `${day(0)}T01:00:00Z` });
    await ok(page, 'PATCH', `/api/v1/projects/${ids.old}`, { archived: true });
    for (const [from, to] of [['00', '01'], ['02', '03']]) {
      await ok(page, 'POST', '/api/v1/entries', { project_id: ids.website, start: `${day(4)}T${from}:00:00Z`, end: `${day(4)}T${to}:00:00Z` });
    }
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  const cell = (page, row, i) => page.getByLabel(`${row}, ${dayLabel(day(i))}`, { exact: true });
  const rowOf = (page, projectId, taskId = '') => page.locator(`tr.ts-row[data-project-id="${projectId}"][data-task-id="${taskId}"]`);
  const text = async (locator) => (await locator.textContent()).trim();
  /** The footer: day totals (Monday first), then the week total. */
  const footer = async (page) => (await page.locator('.ts-grid tfoot td').allTextContents()).map((t) => t.trim());

  /** Type into a cell, leave it with `key`, and wait for the server's answer to be shown. */
  async function typeInto(page, locator, value, key) {
    await locator.click();
    await locator.fill(value);
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/timesheet/cell'));
    await locator.press(key);
    const res = await answered;
    await page.waitForFunction(() => !document.querySelector('.ts-cell.is-saving'));
    return res;
  }

  test('the week from the URL: heading, days, today, the archived row read-only', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Timesheet' }).click();
    await waitForPath(page, '/timesheet');
    await page.getByRole('heading', { name: 'Timesheet', exact: true, level: 1 }).waitFor();
    // This week: today's column stands out.
    const today = dayIn(ADMIN.zone);
    await page.locator('.ts-grid thead th.is-today').waitFor({ state: 'attached' });
    assert.match(await page.locator('.ts-grid thead th.is-today').textContent(), new RegExp(String(Number(today.slice(8)))));
    assert.equal(await page.getByRole('button', { name: 'This week' }).isDisabled(), true);

    await page.goto(weekUrl());
    await page.locator('.ts-week-label').filter({ hasText: /\d{4}/ }).waitFor();
    const fmt = (d, o) => new Intl.DateTimeFormat('en-US', { ...o, timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
    const label = (await text(page.locator('.ts-week-label'))).replace(/\s+/g, ' ');
    assert.ok(label.startsWith(fmt(day(0), { month: 'short', day: 'numeric' })), label);
    assert.ok(label.endsWith(`${fmt(day(6), { day: 'numeric' })}, ${fmt(day(6), { year: 'numeric' })}`), label);
    const heads = (await page.locator('.ts-grid thead th').allTextContents()).map((t) => t.trim());
    assert.equal(heads.length, 9);
    assert.match(heads[1], /^Mon/);
    assert.match(heads[7], /^Sun/);
    assert.equal(await page.locator('.ts-grid thead th.is-weekend').count(), 2);
    assert.equal(await page.locator('.ts-grid thead th.is-today').count(), 0, 'last week has no today');

    // The archived project's hour is there, but cannot be changed.
    const old = rowOf(page, ids.old);
    await old.waitFor();
    assert.match(await old.textContent(), /Old intranet.*archived/);
    assert.equal(await cell(page, 'Old intranet', 0).inputValue(), '1:00');
    assert.equal(await cell(page, 'Old intranet', 0).getAttribute('readonly'), '');
    await cell(page, 'Old intranet', 0).click();
    await page.keyboard.press('3');
    await page.keyboard.press('Tab');
    assert.equal(await cell(page, 'Old intranet', 0).inputValue(), '1:00', 'a read-only cell takes no typing');
    assert.equal(puts.length, 0);
  });

  test('typing 1:30 into Tuesday of a project row saves it, totals follow, and a reload keeps it', async () => {
    const page = admin.page;
    await page.goto(weekUrl());
    await rowOf(page, ids.old).waitFor();
    assert.equal(await rowOf(page, ids.backups).count(), 0, 'no Backups row until one is added');

    await page.getByRole('button', { name: 'Add row', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a row' });
    const projects = await dialog.getByLabel('Project').locator('option').allTextContents();
    assert.ok(!projects.includes('Old intranet'), 'archived projects are not offered');
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    await dialog.getByRole('button', { name: 'Add row' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowOf(page, ids.backups).waitFor();
    assert.equal(puts.length, 0, 'an added row is not saved until hours are typed');
    // The cursor is in the new row (Monday: today is not in last week).
    await page.waitForFunction((label) => document.activeElement && document.activeElement.getAttribute('aria-label') === label,
      `Backups, ${dayLabel(day(0))}`);

    const tuesday = cell(page, 'Backups', 1);
    const res = await typeInto(page, tuesday, '1:30', 'Tab');
    assert.equal(res.status(), 200);
    assert.deepEqual(puts.at(-1), { project_id: ids.backups, date: day(1), seconds: 5400 });
    assert.equal(await tuesday.inputValue(), '1:30');
    assert.equal(await text(rowOf(page, ids.backups).locator('.ts-row-total')), '1:30');
    const totals = await footer(page);
    assert.equal(totals[1], '1:30', 'Tuesday total');
    assert.equal(totals[0], '1:00', 'Monday total (the archived hour)');
    assert.equal(totals[7], '4:30', 'week total: 1:00 + 1:30 + Friday’s 2:00');
    assert.equal(await text(page.locator('.ts-total-value')), '4:30');
    // Tab went on to Wednesday.
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `Backups, ${dayLabel(day(2))}`);

    await page.reload();
    await rowOf(page, ids.backups).waitFor();
    assert.equal(await cell(page, 'Backups', 1).inputValue(), '1:30');
    assert.equal((await footer(page))[7], '4:30');
  });

  test('typing 1.5 into a task row saves an entry on that task', async () => {
    const page = admin.page;
    await page.goto(weekUrl());
    await rowOf(page, ids.backups).waitFor();
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'Add a row' });
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    await dialog.getByLabel('Task (optional)').selectOption({ label: 'Rotate keys' });
    await dialog.getByRole('button', { name: 'Add row' }).click();
    const taskRow = rowOf(page, ids.backups, ids.task);
    await taskRow.waitFor();
    assert.match(await text(taskRow.locator('.ts-project')), /Rotate keys/);

    const wednesday = cell(page, 'Backups · Rotate keys', 2);
    await typeInto(page, wednesday, '1.5', 'Enter');
    assert.deepEqual(puts.at(-1), { project_id: ids.backups, task_id: ids.task, date: day(2), seconds: 5400 });
    assert.equal(await wednesday.inputValue(), '1:30');
    assert.equal(await text(taskRow.locator('.ts-row-total')), '1:30');
    assert.equal((await footer(page))[2], '1:30');
    assert.equal((await footer(page))[7], '6:00');
    const entries = (await ok(page, 'GET', `/api/v1/entries?from=${day(2)}&to=${day(2)}`)).items;
    assert.equal(entries.length, 1);
    assert.equal(entries[0].task_id, ids.task);
    assert.equal(entries[0].duration_seconds, 5400);
  });

  test('garbage shows the hint at the cell and sends nothing; Escape puts the cell back', async () => {
    const page = admin.page;
    await page.goto(weekUrl());
    const thursday = cell(page, 'Backups', 3);
    await thursday.waitFor();
    const before = puts.length;
    await thursday.click();
    await thursday.fill('lots');
    await thursday.press('Tab');
    await page.locator('.ts-error', { hasText: HINT }).waitFor();
    assert.equal(await thursday.getAttribute('aria-invalid'), 'true');
    const describedBy = await thursday.getAttribute('aria-describedby');
    assert.equal(await text(page.locator(`[id="${describedBy}"]`)), HINT);
    assert.equal(await thursday.getAttribute('title'), HINT);
    assert.equal(await thursday.inputValue(), 'lots', 'the typing is kept');
    assert.equal(puts.length, before, 'no PUT was made');

    await thursday.click();
    await thursday.press('Escape');
    assert.equal(await thursday.inputValue(), '');
    assert.equal(await thursday.getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('.ts-error').count(), 0);
    assert.equal(puts.length, before);
  });

  test('the server’s refusals show at the cell: over 24 hours, and a cell made of two entries', async () => {
    const page = admin.page;
    await page.goto(weekUrl());
    const thursday = cell(page, 'Backups', 3);
    await thursday.waitFor();
    const res = await typeInto(page, thursday, '25', 'Enter');
    assert.equal(res.status(), 422);
    await page.locator('.ts-error', { hasText: /24 hours/ }).waitFor();
    assert.equal(await thursday.getAttribute('aria-invalid'), 'true');
    await thursday.press('Escape');
    assert.equal(await thursday.inputValue(), '');
    assert.equal(await page.locator('.ts-error').count(), 0);

    const friday = cell(page, 'Website', 4);
    assert.equal(await friday.inputValue(), '2:00');
    const refused = await typeInto(page, friday, '0:30', 'Tab');
    assert.equal(refused.status(), 409);
    const message = page.locator('.ts-error', { hasText: 'Several entries make up this cell' });
    await message.waitFor();
    assert.equal(await text(page.locator(`[id="${await friday.getAttribute('aria-describedby')}"]`)), await text(message));
    const link = new URL(await message.getByRole('link', { name: 'Edit these entries' }).getAttribute('href'), server.baseUrl);
    assert.equal(link.pathname, '/entries');
    assert.equal(link.searchParams.get('from'), day(4));
    assert.equal(link.searchParams.get('project_id'), ids.website);
    assert.equal(await friday.inputValue(), '0:30', 'the refused value stays to be corrected');
    assert.equal((await footer(page))[4], '2:00', 'nothing changed');
    await friday.click();
    await friday.press('Escape');
    assert.equal(await friday.inputValue(), '2:00');
    assert.equal(await page.locator('.ts-error').count(), 0);
  });

  test('arrow keys move between cells; [ ], Alt+arrows and the buttons change the week in the URL', async () => {
    const page = admin.page;
    await page.goto(weekUrl());
    const tuesday = cell(page, 'Backups', 1);
    await tuesday.waitFor();
    await tuesday.click();
    const focused = () => page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), `Backups · Rotate keys, ${dayLabel(day(1))}`);
    await page.keyboard.press('ArrowRight'); // the whole cell is selected: move on
    assert.equal(await focused(), `Backups · Rotate keys, ${dayLabel(day(2))}`);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft'); // inside the text: the caret moves, not the cell
    assert.equal(await focused(), `Backups · Rotate keys, ${dayLabel(day(2))}`);
    await page.keyboard.press('Control+ArrowLeft');
    assert.equal(await focused(), `Backups · Rotate keys, ${dayLabel(day(1))}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), `Backups, ${dayLabel(day(1))}`);

    // Alt+→ from inside a cell: next week, the cursor stays in the grid.
    const label = page.locator('.ts-week-label');
    const lastWeek = await text(label);
    await page.keyboard.press('Alt+ArrowRight');
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, addDays(monday, 7));
    await page.waitForFunction((before) => document.querySelector('.ts-week-label').textContent.trim() !== before, lastWeek);
    // Back: last week again, with its hours.
    await page.goBack();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, monday);
    await cell(page, 'Backups', 1).waitFor();
    assert.equal(await cell(page, 'Backups', 1).inputValue(), '1:30');
    await page.locator('h1').click();
    await page.keyboard.press(']');
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, addDays(monday, 7));
    await page.keyboard.press('[');
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, monday);
    await cell(page, 'Backups', 1).waitFor();
    await page.getByRole('button', { name: 'Previous week' }).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, addDays(monday, -7));
    await page.getByText('No time this week').waitFor();
    await page.getByRole('button', { name: 'This week' }).click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.get('week') === m, mondayOf(dayIn(ADMIN.zone)));
    await page.locator('.ts-grid thead th.is-today').waitFor({ state: 'attached' });
    // A date inside a week shows that week, named by its Monday.
    await page.goto(`${server.baseUrl}/timesheet?week=${day(3)}`);
    await cell(page, 'Backups', 1).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('week'), monday);
  });

  test('a timesheet cell edit shows up in the entries list', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries?from=${day(1)}&to=${day(1)}`);
    const row = page.locator('tr.entry-row').filter({ hasText: 'Backups' });
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await text(row.locator('.entry-duration')), '1:30');
    assert.ok(await row.getAttribute('data-entry-id'));
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    assert.ok(admin.requests.length > 10, `only ${admin.requests.length} requests were recorded`);
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
