// Browser test of a manager's view of a person's week (issue 15, team views): the Person menu on
// the Timesheet picks a teammate by name, the URL says whose week it is (reload and Back keep
// it), the grid shows the rows of the projects the manager manages, and a typed cell adds the
// person's time (theirs, not the manager's). Own server, own first admin; data through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./team-timesheet.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, signIn, apiOk } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'analytical engine 1843', zone: 'UTC' };
const GRACE = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959' };
const ALAN = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };

describe('a manager’s view of a person’s week', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;
  let grace;
  const ids = {};
  const monday = mondayOf(dayIn('UTC', 7)); // last week
  const day = (i) => addDays(monday, i);

  /** Make an account with a password, through the admin's API. */
  async function account(who, role) {
    const made = await apiOk(admin.page, 'POST', '/api/v1/users', { name: who.name, email: who.email, role, time_zone: 'UTC' });
    const token = new URL(made.reset_link.url).hash.replace('#token=', '');
    await apiOk(admin.page, 'POST', '/api/v1/password-reset', { token, new_password: who.password });
    return made.user.id;
  }

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-US' });
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    ids.grace = await account(GRACE, 'manager');
    ids.alan = await account(ALAN, 'member');
    const ok = (method, path, body) => apiOk(admin.page, method, path, body);
    ids.backups = (await ok('POST', '/api/v1/projects', { name: 'Backups', member_ids: [ids.alan], manager_ids: [ids.grace] })).id;
    ids.website = (await ok('POST', '/api/v1/projects', { name: 'Website', member_ids: [ids.alan] })).id;
    // Alan's own entries, made by the admin as corrections (the admin may): Monday on Backups,
    // Tuesday on Website (a project Grace does not manage).
    for (const [project, i] of [[ids.backups, 0], [ids.website, 1]]) {
      await ok('PUT', '/api/v1/timesheet/cell', { project_id: project, date: day(i), seconds: 7200, user_id: ids.alan });
    }
    grace = await recordingContext(browser, { locale: 'en-US' });
    grace.page = await grace.context.newPage();
    await signIn(grace.page, server.baseUrl, GRACE);
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('Grace picks Alan by name, sees his Backups row, and adds his Wednesday', async () => {
    const page = grace.page;
    await page.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    const person = page.getByLabel('Person');
    await person.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('select[name="person"] option')].some((o) => o.textContent === 'Alan Turing'));
    await person.selectOption({ label: 'Alan Turing' });
    await page.waitForURL((url) => url.searchParams.get('user') === ids.alan);
    await page.getByText('Alan Turing’s hours per project and day').waitFor();
    const rows = page.locator('tr.ts-row');
    await rows.first().waitFor();
    assert.deepEqual(await page.locator('tr.ts-row .ts-row-label, tr.ts-row th').first().textContent().then((t) => t.includes('Backups')), true);
    assert.equal(await rows.count(), 1, 'only the project Grace manages');

    // Wednesday, typed: the entry is Alan's.
    const wednesday = page.locator(`tr.ts-row[data-project-id="${ids.backups}"] input`).nth(2);
    await wednesday.click();
    await wednesday.fill('1:30');
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/timesheet/cell'));
    await wednesday.press('Enter');
    assert.equal((await answered).status(), 200);
    const alans = await apiOk(admin.page, 'GET', `/api/v1/timesheet?week=${monday}&user_id=${ids.alan}`);
    assert.equal(alans.total, 7200 + 7200 + 5400);
    const graces = await apiOk(page, 'GET', `/api/v1/timesheet?week=${monday}`);
    assert.equal(graces.total, 0, 'nothing landed in Grace’s own week');

    // Reload keeps the person; Back returns to her own week.
    await page.reload();
    await page.getByText('Alan Turing’s hours per project and day').waitFor();
    assert.equal(await page.getByLabel('Person').inputValue(), ids.alan);
    await page.getByLabel('Person').selectOption({ label: 'You' });
    await page.getByText('Your hours per project and day').waitFor();
    await page.goBack();
    await page.getByText('Alan Turing’s hours per project and day').waitFor();
  });

  test('nothing was asked of another host, and nothing went wrong in the page', () => {
    assert.deepEqual(foreignRequests(grace.requests, server.baseUrl), []);
    assert.deepEqual(grace.problems, []);
  });
});
