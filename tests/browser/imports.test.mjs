// Browser tests for the Import page (views/imports.js): a Toggl Track export checked (what it
// would create, the people it matches), imported, its entries on the Entries page, and the same
// file again (every row imported before, nothing to import); a file with bad rows listed by
// line with the Import button disabled, a file missing a column refused beside the file field,
// and an import the server refuses after a clean check (422, rows by line, nothing written);
// a dropped file; a file spanning more than a year (its Reports link opens the last year); and
// a member, who neither sees the page nor may open it. Own server, own
// first admin (Ada Lovelace, whose e-mail the sample file names: she is matched, not created).
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./imports.test.mjs
//
// The samples' entries are in November 2026; the Entries page is opened for that month by URL.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk, signIn } from './browser.mjs';

const ZONE = 'Europe/Berlin';
const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843', zone: ZONE };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };
const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'import');
const TOGGL = path.join(SAMPLES, 'samples', 'toggl.csv');
const BAD_ROWS = path.join(SAMPLES, 'broken', 'toggl-bad-rows.csv');
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

/** The figure of a count on the report ("entries", "already", "errors", "users", …). */
const count = async (page, key) => (await page.locator(`.imp-report [data-count="${key}"] dd`).textContent()).trim();
/** The items of one of the report's lists ("users", "matched", "clients", …). */
const listed = (page, key) => page.locator(`.imp-report [data-list="${key}"] li`).allTextContents();
/** The lines of the "cannot be imported" table, in order. */
const badLines = (page) => page.locator('.imp-errors-table tbody td.num').allTextContents();

/** Choose the tool and the file, press Check file, and wait for the report. */
async function check(page, tool, file) {
  await page.getByRole('radio', { name: new RegExp(tool) }).check();
  await page.getByLabel('Export file').setInputFiles(file);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/imports') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Check file' }).click();
  const res = await answered;
  assert.equal(new URL(res.url()).searchParams.get('dry_run'), 'true');
  if (res.ok()) await page.locator('.imp-report').waitFor();
  return res;
}

/** The entries of one person in November 2026, through the API. */
async function novemberEntries(page, userId) {
  return (await apiOk(page, 'GET', `/api/v1/entries?${NOVEMBER}&user_id=${userId}&limit=100`)).items;
}

describe('the Import page', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  const ids = {};

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-GB' });
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    ids.admin = (await apiOk(admin.page, 'GET', '/api/v1/me')).id;
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('a member does not see Import in the navigation and gets No access at its URL', async () => {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: ZONE });
    const member = await recordingContext(browser);
    const page = await member.context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    const token = new URL(created.reset_link.url).hash.replace('#token=', '');
    await apiOk(page, 'POST', '/api/v1/password-reset', { token, new_password: MEMBER.password });
    await signIn(page, server.baseUrl, MEMBER);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Today' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Import' }).count(), 0);

    await page.goto(`${server.baseUrl}/admin/import`);
    await page.getByRole('heading', { name: 'No access', level: 1 }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Check file' }).count(), 0);
    assert.ok(!member.requests.some((u) => u.includes('/views/imports')), 'the page’s module is not even loaded');
    // The server says the same.
    const status = await page.evaluate(async () => (await fetch('/api/v1/imports?source=toggl&dry_run=true', {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'User,Email\n',
    })).status);
    assert.equal(status, 403);
    assert.deepEqual(member.problems, []);
    await member.context.close();
  });

  test('a file with bad rows lists them by line, and the Import button stays disabled', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/import`);
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    const res = await check(page, 'Toggl Track', BAD_ROWS);
    assert.equal(res.status(), 200);

    assert.deepEqual(await badLines(page), ['3', '4', '5', '6', '7', '8', '9', '10', '12', '15', '16']);
    const row = (line) => page.locator(`.imp-errors-table tr[data-line="${line}"] td`).last();
    assert.equal(await row(3).textContent(), 'Start time: "25:10" is not a time');
    assert.match(await row(12).textContent(), /^Duplicate of line 2/);
    assert.equal(await count(page, 'errors'), '11');
    assert.equal(await count(page, 'entries'), '3');
    const button = page.getByRole('button', { name: 'Import 3 entries' });
    assert.ok(await button.isDisabled(), 'no import while a row is bad');
    // Why, where the button is described.
    const why = await button.getAttribute('aria-describedby');
    assert.match(await page.locator(`[id="${why}"]`).textContent(), /^Fix the 11 rows listed below first: an import takes every row of the file or none/);
    // Clicking it anyway does nothing.
    await button.click({ force: true });
    assert.equal(await page.locator('.imp-result').count(), 0);

    // A change of file makes the report go: it described another file.
    await page.getByLabel('Export file').setInputFiles(TOGGL);
    await page.getByText('The choices changed: check the file again.').waitFor();
    assert.equal(await page.locator('.imp-report').count(), 0);

    // A whole-file problem is shown beside the file field, with no report.
    const missing = await check(page, 'Toggl Track', path.join(SAMPLES, 'broken', 'toggl-missing-column.csv'));
    assert.equal(missing.status(), 422);
    const fileError = page.locator('.imp-file .field-error');
    await fileError.waitFor();
    assert.match(await fileError.textContent(), /^toggl-missing-column\.csv: The file has no column "Start time"/);
    assert.equal(await page.getByLabel('Export file').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('.imp-report').count(), 0);
    assert.equal((await novemberEntries(page, ids.admin)).length, 0, 'checking wrote nothing');
    assert.deepEqual(admin.problems, []);
  });

  test('an import the server refuses after a clean check shows its rows by line and writes nothing', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/import`);
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    // The check sees a clean file (as if the rows went bad between the check and the import);
    // the import itself goes to the server, which refuses the file's bad rows.
    const clean = {
      import_id: 'x', source: 'toggl', dry_run: true, written: false, file_sha256: '0', time_zone: ZONE, rows: 14,
      new_users: [], matched_users: ['ada@example.com'], new_clients: [], new_projects: [], new_memberships: [],
      new_tasks: [], new_tags: [], entries: 3, already_imported: 0, errors: [],
    };
    const dryRuns = (url) => url.pathname === '/api/v1/imports' && url.searchParams.get('dry_run') === 'true';
    await page.route(dryRuns, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(clean) }));
    try {
      await check(page, 'Toggl Track', BAD_ROWS);
      const button = page.getByRole('button', { name: 'Import 3 entries' });
      assert.ok(await button.isEnabled());
      const answered = page.waitForResponse((r) => r.url().includes('dry_run=false'));
      await button.click();
      assert.equal((await answered).status(), 422);
      await page.getByRole('heading', { name: 'toggl-bad-rows.csv was not imported' }).waitFor();
      assert.deepEqual(await badLines(page), ['3', '4', '5', '6', '7', '8', '9', '10', '12', '15', '16']);
      assert.ok(await page.getByRole('button', { name: 'Import 3 entries' }).isDisabled());
      await page.getByText('Nothing was imported: 11 rows cannot be imported now').waitFor();
    } finally {
      await page.unroute(dryRuns);
    }
    assert.equal((await novemberEntries(page, ids.admin)).length, 0, 'nothing was written');
    // The form kept its choices.
    assert.ok(await page.getByRole('radio', { name: /Toggl Track/ }).isChecked());
    assert.equal(await page.getByLabel('Export file').evaluate((el) => el.files[0].name), 'toggl-bad-rows.csv');
    assert.deepEqual(admin.problems, []);
  });

  test('a file dropped onto the form is taken; a JSON file picks OphionTT when no tool is chosen', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/import`);
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    const text = await readFile(path.join(SAMPLES, 'samples', 'ophiontt.json'), 'utf8');
    const transfer = await page.evaluateHandle((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'ophiontt.json', { type: 'application/json' }));
      return dt;
    }, text);
    const form = page.locator('form.imp-form');
    await form.dispatchEvent('dragenter', { dataTransfer: transfer });
    assert.match(await form.getAttribute('class'), /is-dragover/);
    await form.dispatchEvent('drop', { dataTransfer: transfer });
    assert.equal(await page.getByLabel('Export file').evaluate((el) => el.files[0] && el.files[0].name), 'ophiontt.json');
    assert.doesNotMatch(await form.getAttribute('class'), /is-dragover/);
    assert.ok(await page.getByRole('radio', { name: /OphionTT/ }).isChecked());
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.locator('.imp-report').waitFor();
    assert.match(await page.locator('.imp-facts').textContent(), /^OphionTT · times read in Europe\/Berlin · 10 rows$/);
    assert.equal(await count(page, 'errors'), '0');
    assert.deepEqual(admin.problems, []);
  });

  test('a Toggl Track export is checked, imported, listed on Entries, and a second import of it creates nothing', async () => {
    const page = admin.page;
    // Arrange: the page from the navigation, under Administration, after Users.
    await page.goto(`${server.baseUrl}/dashboard`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Import' }).waitFor();
    const adminLinks = await nav.locator('h2.nav-heading + ul').getByRole('link').allTextContents();
    assert.deepEqual(adminLinks.slice(0, 2), ['Users', 'Import']);
    await nav.getByRole('link', { name: 'Import' }).click();
    await waitForPath(page, '/admin/import');
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Import' }).getAttribute('aria-current'), 'page');
    assert.equal(await page.getByLabel('Time zone of the file’s times').inputValue(), ZONE, 'the admin’s own zone by default');

    // Act: the check.
    const res = await check(page, 'Toggl Track', TOGGL);
    const asked = new URL(res.url()).searchParams;
    assert.deepEqual([asked.get('source'), asked.get('time_zone'), asked.get('user')], ['toggl', ZONE, null]);
    assert.equal(res.request().headers()['content-type'], 'application/octet-stream');

    // Assert: what it would do.
    assert.equal(await page.getByRole('heading', { name: 'Check of toggl.csv' }).count(), 1);
    const counts = {};
    for (const key of ['entries', 'already', 'errors', 'users', 'clients', 'projects', 'tasks', 'tags']) counts[key] = await count(page, key);
    assert.deepEqual(counts, { entries: '10', already: '0', errors: '0', users: '3', clients: '3', projects: '6', tasks: '6', tags: '7' });
    assert.deepEqual(await listed(page, 'users'), [
      'Zoë Müller · zoe.mueller@example.com', 'Björn Ødegård · bjorn@example.com', 'Chidi Okafor · chidi@example.com',
    ]);
    assert.equal(await page.locator('.imp-report [data-list="users"] h3').textContent(), 'New people, created disabled 3');
    assert.deepEqual(await listed(page, 'matched'), ['Ada Lovelace · ada@example.com']);
    assert.deepEqual(await listed(page, 'clients'), ['Acme GmbH', 'Nordwind AG', 'Café Zürich KG']);
    assert.ok((await listed(page, 'projects')).includes('Network Refresh · Café Zürich KG'));
    assert.ok((await listed(page, 'tasks')).includes('Backups › Restore test'));
    assert.equal(await page.locator('.imp-errors-table').count(), 0, 'no bad rows, no table');
    assert.equal((await novemberEntries(page, ids.admin)).length, 0, 'the check wrote nothing');

    // Act: the import.
    const button = page.getByRole('button', { name: 'Import 10 entries' });
    assert.ok(await button.isEnabled());
    const imported = page.waitForResponse((r) => r.url().includes('/api/v1/imports') && r.url().includes('dry_run=false'));
    await button.click();
    assert.equal((await imported).status(), 200);
    await page.getByRole('heading', { name: 'Imported 10 entries from toggl.csv' }).waitFor();
    await page.locator('.toast', { hasText: 'Imported 10 entries' }).waitFor();
    const result = page.locator('.imp-result');
    assert.match(await result.textContent(), /Also created: 3 people, 3 clients, 6 projects, 6 tasks, 7 tags\./);
    assert.match(await result.locator('.imp-people').textContent(), /^The 3 people created are disabled and cannot sign in yet\./);
    assert.equal(await result.getByRole('link', { name: 'Users page' }).getAttribute('href'), '/admin/users');
    // The links open the days the file covers.
    const reports = result.getByRole('link', { name: /in Reports$/ });
    assert.match(await reports.getAttribute('href'), /^\/reports\?from=2026-11-\d\d&to=2026-11-\d\d&group=project,user$/);
    assert.match(await result.getByRole('link', { name: 'Entries' }).getAttribute('href'), /^\/entries\?from=2026-11-\d\d&to=2026-11-\d\d$/);

    // Assert: the people are there, disabled; the entries are on the Entries page.
    const users = (await apiOk(page, 'GET', '/api/v1/users?limit=100')).items;
    const zoe = users.find((u) => u.email === 'zoe.mueller@example.com');
    assert.equal(zoe.disabled, true);
    await page.goto(`${server.baseUrl}/entries?${NOVEMBER}`);
    await page.waitForFunction(() => document.querySelectorAll('tr.entry-row').length === 3);
    const notes = await page.locator('tr.entry-row .cell-note .note-text').allTextContents();
    assert.deepEqual(notes.map((t) => t.trim()).sort(), ['Monthly restore test of the file server', 'Team meeting', 'Verify restore on staging']);
    await page.goto(`${server.baseUrl}/entries?${NOVEMBER}&user_id=${zoe.id}`);
    await page.waitForFunction(() => document.querySelectorAll('tr.entry-row').length === 3);

    // Act: the same file again.
    await page.goto(`${server.baseUrl}/admin/import`);
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    await check(page, 'Toggl Track', TOGGL);
    assert.equal(await count(page, 'already'), '10');
    assert.equal(await count(page, 'entries'), '0');
    assert.equal(await count(page, 'users'), '0');
    const none = page.getByRole('button', { name: 'Nothing to import' });
    assert.ok(await none.isDisabled());
    await page.getByText('Every row of this file was imported before: there is nothing new to import.').waitFor();
    assert.equal((await novemberEntries(page, ids.admin)).length, 3);

    assert.deepEqual(admin.problems, [], 'no page errors or CSP violations');
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
  });
  test('a file spanning more than a year links to its last year in Reports (a report covers at most 366 days)', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/import`);
    const csv = [
      'User,Email,Project,Description,Billable,Start date,Start time,End date,End time',
      'Ada Lovelace,ada@example.com,Archive,Old work,No,2024-03-04,09:00:00,2024-03-04,10:00:00',
      'Ada Lovelace,ada@example.com,Archive,New work,No,2026-11-02,09:00:00,2026-11-02,10:00:00',
    ].join('\n');
    await check(page, 'Toggl', { name: 'two-years.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import 2 entries' }).click();
    const result = page.locator('.imp-result');
    await result.waitFor();
    const reports = result.getByRole('link', { name: 'See its last year (2025-11-02 to 2026-11-02) in Reports' });
    assert.equal(await reports.getAttribute('href'), '/reports?from=2025-11-02&to=2026-11-02&group=project,user');
    assert.equal(await result.getByRole('link', { name: 'Entries' }).getAttribute('href'), '/entries?from=2024-03-04&to=2026-11-02');
  });
});
