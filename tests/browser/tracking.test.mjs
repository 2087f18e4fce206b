// Browser tests for time tracking: Projects, the Today page with its timer bar, the
// running timer in the top bar, and manual entries. Own server, own first admin.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST), so the times typed into the entry
// dialog must be read on Tokyo's wall clock whatever zone the browser runs in.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Asia/Tokyo' };
const NOTE = 'rotate RAID keys';

/**
 * Wait until a ticking h:mm:ss element shows at least `seconds` (the server discards a
 * timer stopped within a second of its start, and shown times may run up to 1 s ahead).
 */
async function waitForElapsed(page, selector, seconds) {
  await page.waitForFunction(([sel, min]) => {
    const m = /^(\d+):(\d\d):(\d\d)$/.exec((document.querySelector(sel) || {}).textContent || '');
    return Boolean(m) && Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) >= min;
  }, [selector, seconds], { timeout: 10_000 });
}

/** Today's date (YYYY-MM-DD) on the wall clock of a zone. */
function todayIn(zone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('time tracking in the browser', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  /** The entries of today as the API lists them for the signed-in admin. */
  async function apiEntries(page) {
    return page.evaluate(async (date) => {
      const res = await fetch(`/api/v1/entries?from=${date}&to=${date}`);
      return (await res.json()).items;
    }, todayIn(ADMIN.zone));
  }

  test('create a project, time it on Today, stop, continue, and stop from the top bar', async () => {
    const page = admin.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Today' }).waitFor();
    const order = await nav.getByRole('link').allTextContents();
    assert.deepEqual(order.slice(0, 2), ['Dashboard', 'Today'], 'the Dashboard, then Today, come first');

    // Projects: empty at first, then one made with a new client and a rate.
    await nav.getByRole('link', { name: 'Projects' }).click();
    await waitForPath(page, '/projects');
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await page.getByText('No projects yet').waitFor();
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name', { exact: true }).fill('Backups');
    await dialog.getByLabel('Client', { exact: true }).selectOption({ label: 'New client…' });
    await dialog.getByLabel('New client name').fill('Acme');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await page.waitForFunction(() => {
      const select = document.querySelector('dialog select[name="client_id"]');
      return select && select.selectedOptions[0] && select.selectedOptions[0].text === 'Acme';
    }, null, { timeout: 10_000 });
    await dialog.getByLabel('Hourly rate').fill('95.50');
    assert.equal(await dialog.getByLabel('Currency').inputValue(), 'EUR');
    await dialog.getByLabel(ADMIN.name).waitFor(); // admins pick members among the users
    assert.equal(await dialog.getByLabel(ADMIN.name).isChecked(), true, 'the creator is a member by default');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    const projectRow = page.getByRole('row', { name: /Backups/ });
    await projectRow.waitFor();
    const rowText = await projectRow.textContent();
    assert.match(rowText, /Acme/);
    assert.match(rowText, /95\.50/);
    assert.match(rowText, /Active/);

    // Today: empty, then a timer with a note, the project and tags.
    await nav.getByRole('link', { name: 'Today' }).click();
    await waitForPath(page, '/today');
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    await page.getByText('No entries today — start a timer above.').waitFor();
    await page.getByLabel('Note', { exact: true }).fill(NOTE);
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Backups · Acme' });
    await page.getByLabel('Tags', { exact: true }).fill('ops, keys');
    await page.getByRole('button', { name: 'Start timer' }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();

    // The elapsed time ticks in the bar, and the top bar shows the running timer.
    const elapsed = page.getByRole('timer', { name: 'Elapsed time' });
    const first = await elapsed.textContent();
    assert.match(first, /^\d+:\d\d:\d\d$/);
    await page.waitForFunction((before) => {
      const el = document.querySelector('.timerbar-elapsed');
      return el && el.textContent !== before;
    }, first, { timeout: 5_000 });
    await waitForElapsed(page, '.timerbar-elapsed', 2);
    const topStop = page.getByRole('button', { name: 'Stop running timer' });
    await topStop.waitFor();
    const topTimer = page.getByRole('timer', { name: 'Running timer' });
    assert.match(await topTimer.textContent(), /^\d+:\d\d:\d\d$/);
    assert.match(await page.locator('.topbar-timer').textContent(), /Backups/);

    // Stop from the bar: the entry is listed with its note, tags and a duration.
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
    await topStop.waitFor({ state: 'hidden' });
    const rows = page.locator('table.entries-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    assert.match(await row.locator('.cell-note').textContent(), new RegExp(NOTE));
    assert.match(await row.locator('.cell-tags').textContent(), /ops.*keys/);
    assert.match(await row.locator('.cell-duration').textContent(), /^\d+:\d\d$/);
    assert.match(await row.locator('.cell-time').textContent(), /^\d{1,2}:\d\d(\s?[AP]M)?–\d{1,2}:\d\d/);
    assert.match(await page.locator('.day-total-value').textContent(), /^\d+:\d\d$/);
    assert.equal(await page.getByLabel('Note', { exact: true }).inputValue(), '', 'a stopped timer clears the note');

    // Continue: a new running timer with the same note, project and tags.
    await row.getByRole('button', { name: /^Continue / }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    assert.equal(await page.getByLabel('Note', { exact: true }).inputValue(), NOTE);
    assert.equal(await page.getByLabel('Tags', { exact: true }).inputValue(), 'ops, keys');
    await topStop.waitFor();
    await waitForElapsed(page, '.topbar-timer-elapsed', 2);
    const running = await apiEntries(page);
    assert.equal(running.filter((e) => e.end === null).length, 1, 'one running entry');

    // Stop from the top bar: the Today page follows.
    await topStop.click();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
    await topStop.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('table.entries-table tbody tr');
      return rows.length === 2 && !document.querySelector('table.entries-table tbody tr.is-running');
    }, null, { timeout: 10_000 });
    const entries = await apiEntries(page);
    assert.equal(entries.length, 2);
    assert.ok(entries.every((e) => e.note === NOTE && e.end !== null && e.duration_seconds >= 1), JSON.stringify(entries));
  });

  test('a manual entry ending before it starts shows the error next to End and creates nothing', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    await page.locator('table.entries-table tbody tr').first().waitFor();
    const before = (await apiEntries(page)).length;
    const date = todayIn(ADMIN.zone);

    await page.getByRole('button', { name: 'New entry' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entry' });
    await dialog.getByLabel('Project').selectOption({ label: 'Backups · Acme' });
    await dialog.getByLabel('Note').fill('typed by hand');
    await dialog.getByLabel('Start').fill(`${date}T10:00`);
    await dialog.getByLabel('End').fill(`${date}T09:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    const endField = dialog.locator('.field').filter({ has: page.getByLabel('End') });
    await endField.getByText('The end must be after the start').waitFor();
    assert.equal(await dialog.getByLabel('End').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByLabel('Note').inputValue(), 'typed by hand', 'the form keeps what was typed');
    assert.equal((await apiEntries(page)).length, before, 'nothing was created');

    // Corrected, it is saved in the user's zone (Tokyo 10:00 is 01:00 UTC).
    await dialog.getByLabel('End').fill(`${date}T11:30`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const manualRow = page.locator('table.entries-table tbody tr').filter({ hasText: 'typed by hand' });
    await manualRow.waitFor();
    assert.equal((await manualRow.locator('.cell-duration').textContent()).trim(), '1:30');
    const manual = (await apiEntries(page)).find((e) => e.note === 'typed by hand');
    assert.equal(manual.start, `${date}T01:00:00Z`);
    assert.equal(manual.end, `${date}T02:30:00Z`);
  });

  test('keyboard: s starts on Today and stops elsewhere; the ? list names the shortcuts', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    await page.locator('table.entries-table tbody tr').first().waitFor();
    await page.getByLabel('Note', { exact: true }).fill('by keyboard');
    await page.locator('h1').click();
    await page.keyboard.press('s');
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Stop running timer' }).waitFor();

    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await waitForPath(page, '/projects');
    await page.getByRole('button', { name: 'Stop running timer' }).waitFor();
    await page.keyboard.press('s');
    await page.getByRole('button', { name: 'Stop running timer' }).waitFor({ state: 'hidden' });

    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.getByText('Start or stop the timer').waitFor();
    await shortcuts.getByText('Go to Today').waitFor();
    await page.keyboard.press('Escape');

    await page.keyboard.press('g');
    await page.keyboard.press('t');
    await waitForPath(page, '/today');
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    assert.ok(admin.requests.length > 10, `only ${admin.requests.length} requests were recorded`);
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
