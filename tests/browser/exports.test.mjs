// Browser tests for the Export menu (export-menu.js) of Entries, Reports and Timesheet: a CSV of
// exactly the filtered list, XLSX and PDF files from the Reports page (the Weekly view: its week),
// the menu from the keyboard, a "Preparing…" button while the server takes its time, and a
// refusal shown as a toast with nothing downloaded. Own server, own first admin; data is set up
// through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./exports.test.mjs
//
// Everyone's zone is Asia/Tokyo (UTC+9, no DST): an entry starting at 00:00 UTC starts at 09:00
// on the same calendar day there, whatever zone the browser runs in. The entries are on days
// before today in Tokyo, and the pages are opened with explicit dates, so the time of day the
// test runs at changes nothing.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ZONE = 'Asia/Tokyo';
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: ZONE };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };
const LOCALE = { locale: 'en-US' };
const CSV_HEADER = 'entry_id,date,start,end,duration_seconds,duration_hours,user_name,user_email,client,project,task,tags,note,'
  + 'billable,rate,amount,currency,week_state,user_id,tickets';

const day = (k) => dayIn(ZONE, k);
/** The export endpoint's URLs, for page.route. */
const EXPORTS = (url) => url.pathname === '/api/v1/exports/entries';

/** Wait until exactly `n` entry rows are shown on the Entries page. */
async function waitRows(page, n) {
  await page.waitForFunction((want) => {
    const table = document.querySelector('table.entry-list');
    return document.querySelectorAll('tr.entry-row').length === want && table && !table.hidden;
  }, n, { timeout: 10_000 });
}

/**
 * Pick a format from the Export menu and catch the file it downloads.
 *
 * @returns {Promise<{name:string, bytes:Buffer, url:string}>} the suggested file name, the
 *   file, and the export request's URL
 */
async function exportAs(page, format) {
  const asked = page.waitForRequest((r) => r.url().includes('/api/v1/exports/entries'));
  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: format, exact: true }).click();
  const [request, download] = await Promise.all([asked, downloaded]);
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), bytes, url: request.url() };
}

/** The data lines of a CSV file (CRLF line ends), header first. */
const csvLines = (bytes) => bytes.toString('utf8').split('\r\n').filter(Boolean);

describe('the Export menu', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let member;
  const ids = {};

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, LOCALE);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);
    ids.admin = (await ok('GET', '/api/v1/me')).id;

    // A member on Backups, signed in in a context of their own.
    const created = await ok('POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: ZONE });
    ids.member = created.user.id;
    member = await recordingContext(browser, LOCALE);
    member.page = await member.context.newPage();
    await member.page.goto(`${server.baseUrl}/login`);
    const token = new URL(created.reset_link.url).hash.replace('#token=', '');
    await apiOk(member.page, 'POST', '/api/v1/password-reset', { token, new_password: MEMBER.password });
    await member.page.getByLabel('Email').fill(MEMBER.email);
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(member.page, '/dashboard');

    const acme = await ok('POST', '/api/v1/clients', { name: 'Acme' });
    ids.backups = (await ok('POST', '/api/v1/projects', { name: 'Backups', client_id: acme.id, member_ids: [ids.member] })).id;
    ids.website = (await ok('POST', '/api/v1/projects', { name: 'Website', billable: false })).id;
    // The admin: Backups 1:30 and Website 0:45 on each of the three days before today; the
    // member: Backups 2:00 two days ago.
    for (let k = 1; k <= 3; k += 1) {
      await ok('POST', '/api/v1/entries', {
        project_id: ids.backups, start: `${day(k)}T00:00:00Z`, end: `${day(k)}T01:30:00Z`, note: `backup run ${k}`, tags: ['ops'],
      });
      await ok('POST', '/api/v1/entries', {
        project_id: ids.website, start: `${day(k)}T02:00:00Z`, end: `${day(k)}T02:45:00Z`, note: `landing page ${k}`,
      });
    }
    await apiOk(member.page, 'POST', '/api/v1/entries', {
      project_id: ids.backups, start: `${day(2)}T03:00:00Z`, end: `${day(2)}T05:00:00Z`, note: 'restore drill',
    });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('CSV from the Entries page holds exactly the filtered list, and the page stays', async () => {
    const page = admin.page;
    const url = `${server.baseUrl}/entries?from=${day(3)}&to=${day(1)}&project_id=${ids.backups}`;
    await page.goto(url);
    await waitRows(page, 3);
    // Beside the page's primary action, not instead of it.
    const head = page.locator('.page-head');
    assert.deepEqual(await head.getByRole('button').evaluateAll((els) => els.map((e) => e.innerText.trim())), ['Export', 'New entry']);

    const file = await exportAs(page, 'CSV');
    assert.equal(file.name, `ophiontt-entries-${day(3)}_${day(1)}.csv`);
    const asked = new URL(file.url).searchParams;
    assert.equal(asked.get('format'), 'csv');
    assert.equal(asked.get('project_id'), ids.backups);
    assert.equal(asked.get('user_id'), ids.admin, 'the list is one’s own entries, and so is the export');
    const lines = csvLines(file.bytes);
    assert.equal(lines[0], CSV_HEADER);
    const rows = lines.slice(1);
    assert.equal(rows.length, 3, lines.join('\n'));
    for (const row of rows) {
      assert.match(row, /,Grace Hopper,grace@example\.com,Acme,Backups,,ops,backup run [123],/);
    }
    assert.ok(!file.bytes.toString('utf8').includes('restore drill'), 'the member’s entry is not on this list');
    assert.ok(!file.bytes.toString('utf8').includes('Website'));

    await page.locator('.toast', { hasText: `Exported ${file.name}` }).waitFor();
    assert.equal(page.url(), url, 'the page was not left');
    assert.deepEqual(admin.problems, [], 'no page errors or CSP violations (the blob: download included)');
  });

  test('CSV for Excel starts with a byte-order mark, and uses semicolons where decimals take a comma', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries?from=${day(3)}&to=${day(1)}&project_id=${ids.backups}`);
    await waitRows(page, 3);
    const english = await exportAs(page, 'CSV for Excel');
    assert.deepEqual([...english.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(csvLines(english.bytes.subarray(3))[0], CSV_HEADER);
    assert.equal(new URL(english.url).searchParams.get('delimiter'), null);

    const german = await recordingContext(browser, { locale: 'de-DE' });
    const dePage = await german.context.newPage();
    await dePage.goto(`${server.baseUrl}/login`);
    await dePage.getByLabel('Email').fill(ADMIN.email);
    await dePage.getByLabel('Password').fill(ADMIN.password);
    await dePage.getByRole('button', { name: 'Log in' }).click();
    await dePage.getByRole('navigation', { name: 'Main' }).waitFor();
    await dePage.goto(`${server.baseUrl}/entries?from=${day(3)}&to=${day(1)}&project_id=${ids.backups}`);
    await waitRows(dePage, 3);
    const file = await exportAs(dePage, 'CSV for Excel');
    assert.equal(new URL(file.url).searchParams.get('delimiter'), 'semicolon');
    const lines = csvLines(file.bytes.subarray(3));
    assert.equal(lines[0], CSV_HEADER.replaceAll(',', ';'));
    assert.equal(lines.length, 4);
    await german.context.close();
  });

  test('the Reports page exports its period and filters as Excel and as a PDF timesheet', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?from=${day(3)}&to=${day(1)}&project_id=${ids.backups}`);
    await page.waitForFunction(() => document.querySelector('table.report-table tfoot td')?.textContent.trim() === '6:30');
    assert.deepEqual(await page.locator('.page-head').getByRole('button').evaluateAll((els) => els.map((e) => e.innerText.trim())), ['Export', 'Print']);

    const xlsx = await exportAs(page, 'Excel (.xlsx)');
    assert.equal(xlsx.name, `ophiontt-entries-${day(3)}_${day(1)}.xlsx`);
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a ZIP');
    const asked = new URL(xlsx.url).searchParams;
    assert.deepEqual([asked.get('from'), asked.get('to'), asked.get('project_id'), asked.get('user_id'), asked.get('group')],
      [day(3), day(1), ids.backups, null, null], 'the report’s range and filters, everyone’s time as the report');

    const pdf = await exportAs(page, 'PDF timesheet');
    assert.equal(pdf.name, `ophiontt-entries-${day(3)}_${day(1)}.pdf`);
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');

    // The report counts everyone's time: so does its CSV (the member's entry included).
    const csv = await exportAs(page, 'CSV');
    assert.equal(csvLines(csv.bytes).length, 1 + 4);
    assert.match(csv.bytes.toString('utf8'), /,Alan Turing,alan@example\.com,Acme,Backups,,,restore drill,/);

    // The Weekly view exports its week, Monday to Sunday.
    const someDay = day(8);
    await page.goto(`${server.baseUrl}/reports?view=weekly&from=${someDay}&to=${addDays(someDay, 2)}`);
    await page.locator('.report-week-nav a').first().waitFor();
    const weekly = await exportAs(page, 'JSON');
    const monday = mondayOf(someDay);
    assert.equal(weekly.name, `ophiontt-entries-${monday}_${addDays(monday, 6)}.json`);
    JSON.parse(weekly.bytes.toString('utf8'));
    assert.deepEqual(admin.problems, []);
  });

  test('the menu works from the keyboard: Enter opens it, arrows move, Escape closes it and gives focus back', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries?from=${day(3)}&to=${day(1)}`);
    await waitRows(page, 6);
    const button = page.getByRole('button', { name: 'Export' });
    const menu = page.getByRole('menu', { name: 'Export as' });
    const focused = () => page.evaluate(() => document.activeElement.textContent.trim());
    assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await menu.isVisible(), false);

    await button.focus();
    await page.keyboard.press('Enter');
    await menu.waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.deepEqual((await menu.getByRole('menuitem').allTextContents()),
      ['CSV', 'CSV for Excel', 'Excel (.xlsx)', 'PDF timesheet', 'Calendar (.ics)', 'JSON']);
    assert.equal(await focused(), 'CSV');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'CSV for Excel');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'JSON', 'the arrows wrap around');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'CSV');
    await page.keyboard.press('p');
    assert.equal(await focused(), 'PDF timesheet', 'a letter moves to the item it starts');

    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('export-button')), true);

    // Space opens it too, and Enter on an item downloads that format.
    await page.keyboard.press(' ');
    await menu.waitFor();
    const downloaded = page.waitForEvent('download');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'Calendar (.ics)');
    await page.keyboard.press('Enter');
    const download = await downloaded;
    assert.equal(download.suggestedFilename(), `ophiontt-entries-${day(3)}_${day(1)}.ics`);
    assert.match((await readFile(await download.path())).toString('utf8'), /^BEGIN:VCALENDAR\r\n/);
    await menu.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('export-button')), true);

    // A click elsewhere closes it.
    await button.click();
    await menu.waitFor();
    await page.getByRole('heading', { name: 'Entries', level: 1 }).click();
    await menu.waitFor({ state: 'hidden' });
  });

  test('a slow export says "Preparing…"; a refused one says why in a toast and downloads nothing', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?from=${day(3)}&to=${day(1)}`);
    await page.waitForFunction(() => document.querySelector('table.report-table tfoot td')?.textContent.trim() === '8:45');
    let downloads = 0;
    page.on('download', () => { downloads += 1; });
    const button = page.getByRole('button', { name: /^(Export|Preparing…)$/ });

    // The server answers only once the button has said it is working.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(EXPORTS, async (route) => {
      await held;
      await route.continue();
    });
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'CSV', exact: true }).click();
    await page.getByRole('button', { name: 'Preparing…' }).waitFor();
    assert.equal(await button.getAttribute('aria-busy'), 'true');
    release();
    await downloaded;
    await page.getByRole('button', { name: 'Export', exact: true }).waitFor();
    assert.equal(await button.getAttribute('aria-busy'), null);
    await page.unroute(EXPORTS);
    downloads = 0;

    // A PDF of too many entries, as the server refuses it.
    const message = 'a PDF export holds at most 10000 entries and this one has more: narrow the range or the filters, or export CSV';
    await page.route(EXPORTS, (route) => route.fulfill({
      status: 422,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'https://ophiontt.invalid/problems/validation.failed', title: 'Validation failed', status: 422,
        code: 'validation.failed', errors: [{ field: 'format', code: 'too_many_rows', message }],
      }),
    }));
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'PDF timesheet' }).click();
    await page.locator('.toast-error', { hasText: `A PDF export holds at most 10000 entries` }).waitFor();
    await page.unroute(EXPORTS);

    // A real refusal: a list whose range ends before it starts.
    await page.goto(`${server.baseUrl}/entries?from=${day(1)}&to=${day(3)}`);
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click();
    await page.locator('.toast-error', { hasText: 'The range ends before it starts' }).waitFor();
    assert.equal(downloads, 0, 'nothing was downloaded');
    assert.equal(new URL(page.url()).pathname, '/entries', 'no error page either');
  });

  test('a member exports from Entries and from their own week on the Timesheet', async () => {
    const page = member.page;
    await page.goto(`${server.baseUrl}/timesheet?week=${mondayOf(day(2))}`);
    await page.getByRole('heading', { name: 'Timesheet', level: 1 }).waitFor();
    const file = await exportAs(page, 'CSV');
    const monday = mondayOf(day(2));
    assert.equal(file.name, `ophiontt-entries-${monday}_${addDays(monday, 6)}.csv`);
    assert.equal(new URL(file.url).searchParams.get('user_id'), ids.member);
    const rows = csvLines(file.bytes).slice(1);
    assert.equal(rows.length, 1);
    assert.match(rows[0], /restore drill/);

    await page.goto(`${server.baseUrl}/entries`);
    await page.getByRole('heading', { name: 'Entries', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Export' }).waitFor();
    assert.deepEqual(member.problems, []);
    assert.deepEqual(foreignRequests([...admin.requests, ...member.requests], server.baseUrl), []);
  });
});
