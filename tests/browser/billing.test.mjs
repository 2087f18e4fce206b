// Browser tests for a project's money (issue 15): the project dialog sets rounding and a budget,
// the projects list and the task board show the budget as a bar with its words (amber past the
// warning share), task cards their time against their estimates, and
// the Rates dialog adds a rate change that the server then prices time with. Own server, own
// first admin; time is recorded through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./billing.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'UTC' };

describe('a project’s money', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let who; // { context, requests, problems, page }
  let project;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    who = await recordingContext(browser, { locale: 'en-US' });
    who.page = await who.context.newPage();
    await createFirstAdmin(who.page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(who.page, method, path, body);
    project = await ok('POST', '/api/v1/projects', { name: 'Backups', rate_cents: 10000, currency: 'EUR', billable: true });
    // Six hours in October, long before any rate change below.
    await ok('POST', '/api/v1/entries', { project_id: project.id, start: '2026-10-05T08:00:00Z', end: '2026-10-05T14:00:00Z', confirm: true });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the dialog sets rounding and a budget; the list shows the budget as a bar', async () => {
    const page = who.page;
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByRole('button', { name: 'Edit Backups' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Round billed time').selectOption('up');
    await dialog.getByLabel('To', { exact: true }).selectOption('15');
    await dialog.getByLabel('Per', { exact: true }).selectOption('day');
    await dialog.getByLabel('Budget in').selectOption('hours');
    await dialog.getByLabel('Budget', { exact: true }).fill('10');
    await dialog.getByLabel('Warn at (%)').fill('50');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator('tr', { hasText: 'Backups' });
    const bar = row.locator('.budget');
    await bar.waitFor();
    const words = (await bar.locator('.budget-words').textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(words, '6:00 of 10:00 h · 60 %, past the 50 % warning', 'the warning is read out too');
    assert.match(await bar.getAttribute('class'), /budget-alert/, 'past the 50 % warning');
    const saved = (await apiOk(page, 'GET', '/api/v1/projects')).items[0];
    assert.equal(saved.rounding, 'up 15 per day');
    assert.deepEqual(saved.budget, { seconds: 36000, alert_percent: 50 });

    // Opened again, the dialog shows what was saved.
    await page.getByRole('button', { name: 'Edit Backups' }).click();
    assert.equal(await dialog.getByLabel('Round billed time').inputValue(), 'up');
    assert.equal(await dialog.getByLabel('Budget', { exact: true }).inputValue(), '10');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a rate change added in the Rates dialog prices the time from its day', async () => {
    const page = who.page;
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByRole('button', { name: 'Rates of Backups' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No rate changes').waitFor();
    await dialog.getByRole('button', { name: 'Add a rate change' }).click();
    await dialog.getByLabel('From').fill('2026-10-01');
    await dialog.getByLabel('Hourly rate').fill('120');
    await dialog.getByRole('button', { name: 'Save rates' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('tr', { hasText: 'Backups' }).getByText('+ 1 change').waitFor();

    // Six hours from 1 October on at 120.00, as billed: the October report says so.
    const report = await apiOk(page, 'GET', '/api/v1/reports/summary?from=2026-10-01&to=2026-10-31');
    assert.deepEqual(report.total.amounts, [{ currency: 'EUR', cents: 72000 }]);

    // A refused change says why, and keeps the dialog open.
    await page.getByRole('button', { name: 'Rates of Backups' }).click();
    await dialog.getByRole('button', { name: 'Add a rate change' }).click();
    const dates = dialog.getByLabel('From');
    await dates.nth(1).fill('2026-10-01');
    await dialog.getByRole('button', { name: 'Save rates' }).click();
    await dialog.getByText('start on the same day').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the task board shows the budget and each task’s time against its estimate', async () => {
    const page = who.page;
    const ok = (method, path, body) => apiOk(page, method, path, body);
    const task = (title, estimate) => ok('POST', `/api/v1/projects/${project.id}/tasks`, estimate ? { title, estimate_secs: estimate } : { title });
    const drill = await task('Restore drill', 7200);
    const rotate = await task('Rotate keys', 3600);
    const notes = await task('Write runbook');
    await task('Plan next quarter', 14400);
    const entry = (t, start, end) => ok('POST', '/api/v1/entries', { project_id: project.id, task_id: t.id, start, end, confirm: true });
    await entry(drill, '2026-10-06T08:00:00Z', '2026-10-06T09:30:00Z');
    await entry(rotate, '2026-10-06T10:00:00Z', '2026-10-06T11:30:00Z');
    await entry(notes, '2026-10-06T12:00:00Z', '2026-10-06T12:30:00Z');

    await page.goto(`${server.baseUrl}/projects/${project.id}/board`);
    const card = (title) => page.locator('.task-card', { hasText: title }).locator('.task-estimate');
    await card('Restore drill').waitFor();
    assert.equal(await card('Restore drill').textContent(), '1:30 of 2:00 h · 75 %');
    assert.equal(await card('Rotate keys').textContent(), '1:30 of 1:00 h · 150 %');
    assert.match(await card('Rotate keys').getAttribute('class'), /estimate-over/);
    assert.match(await card('Rotate keys').getAttribute('title'), /over its estimate/);
    assert.equal(await card('Write runbook').textContent(), 'Tracked 0:30');
    assert.equal(await card('Plan next quarter').textContent(), 'Estimate 4:00', 'nothing tracked yet');
    // 6:00 in October before the tasks, and 3:30 on them: 9:30 of the 10-hour budget.
    const words = (await page.locator('.board-budget .budget-words').textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(words, '9:30 of 10:00 h · 95 %, past the 50 % warning');
  });

  test('nothing was asked of another host, and nothing went wrong in the page', () => {
    assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
    assert.deepEqual(who.problems, []);
  });
});
