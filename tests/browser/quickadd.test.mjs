// Browser tests for Today's quick-add box, the Task field of the timer bar and the
// Duplicate action. Own server, own first admin (zone Europe/Berlin).
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test quickadd.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiCall } from './browser.mjs';

// A duration typed on Today ends now: in the first hours after local midnight it would start
// yesterday and not be on Today (and "1h30 … yesterday" the day before). Take a zone where it
// is not just past midnight.
const berlinHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
const ADMIN = { name: 'Radia Perlman', email: 'radia@example.com', password: 'spanning tree 1985', zone: berlinHour < 3 ? 'America/New_York' : 'Europe/Berlin' };

function dayIn(zone, ms = Date.now()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

describe('quick-add, tasks on the timer, duplicate', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin;
  let taskId;

  /** Calls the API from the admin's page, with its session cookie. */
  const call = (method, path, body) => apiCall(admin.page, method, path, body);

  const entriesOn = async (date) => (await call('GET', `/api/v1/entries?from=${date}&to=${date}`)).body.items;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const client = await call('POST', '/api/v1/clients', { name: 'Acme' });
    const project = await call('POST', '/api/v1/projects', { name: 'Backups', client_id: client.body.id });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    await call('POST', '/api/v1/projects', { name: 'Standup' });
    const task = await call('POST', `/api/v1/projects/${project.body.id}/tasks`, { title: 'Rotate keys' });
    taskId = task.body.id;
    await call('POST', `/api/v1/projects/${project.body.id}/tasks`, { title: 'Finished work', status: 'done' });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('a quick-add line creates the entry; a wrong token is named next to the box and nothing is created', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.waitFor();
    const today = dayIn(ADMIN.zone);

    await box.fill('45m acme/backups #ops rotated RAID keys');
    await box.press('Enter');
    const row = page.locator('table.entries-table tbody tr').filter({ hasText: 'rotated RAID keys' });
    await row.waitFor();
    assert.equal((await row.locator('.cell-duration').textContent()).trim(), '0:45');
    assert.match(await row.locator('.cell-tags').textContent(), /ops/);
    await page.getByText('Added 0:45 on Backups, today').waitFor();
    assert.equal(await box.inputValue(), '', 'the box is emptied after a success');

    // "yesterday" goes to yesterday; the toast says which day.
    await box.fill('1h30 acme/backups yesterday restore drill');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(/^Added 1:30 on Backups, \w+day, /).waitFor();
    const yesterday = dayIn(ADMIN.zone, Date.now() - 86_400_000 - 3_600_000 * 2);
    const onYesterday = await entriesOn(yesterday);
    assert.ok(onYesterday.some((e) => e.note === 'restore drill' && e.duration_seconds === 5400), JSON.stringify(onYesterday));

    // A wrong duration: the message quotes the token, the line stays, nothing is created.
    const before = (await entriesOn(today)).length;
    await box.fill('1x30 acme/backups oops');
    await box.press('Enter');
    const error = page.locator('#quick-add-error');
    await error.waitFor();
    assert.match(await error.textContent(), /1x30/);
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.equal(await box.inputValue(), '1x30 acme/backups oops', 'the line is kept for correcting');
    // An unknown project is named too.
    await box.fill('20m nosuch/thing');
    await box.press('Enter');
    await page.waitForFunction(() => /nosuch/.test(document.querySelector('#quick-add-error')?.textContent || ''), null, { timeout: 10_000 });
    assert.equal((await entriesOn(today)).length, before, 'nothing was created');
    // Typing again clears the message.
    await box.fill('20m /standup');
    assert.equal(await error.isHidden(), true);
    await box.press('Enter');
    await page.locator('table.entries-table tbody tr').filter({ hasText: 'Standup' }).waitFor();
  });

  // See: #14
  test('a project whose name has a space is named without quotes', async () => {
    const created = await call('POST', '/api/v1/projects', { name: 'Website relaunch' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.waitFor();

    await box.fill('45m /Website relaunch');
    await box.press('Enter');

    await page.getByText('Added 0:45 on Website relaunch, today').waitFor();
    const row = page.locator('table.entries-table tbody tr').filter({ hasText: 'Website relaunch' });
    await row.waitFor();
    assert.equal((await row.locator('.cell-duration').textContent()).trim(), '0:45');
    const added = (await entriesOn(dayIn(ADMIN.zone))).find((e) => e.project_id === created.body.id);
    assert.equal(added && added.note, '', JSON.stringify(added));
    assert.equal(await box.inputValue(), '', 'the box is emptied after a success');
  });

  test('a day over a year ago asks first, and the same line again keeps it', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.fill('1h /standup 2020-01-06 the old migration');
    await box.press('Enter');
    const error = page.locator('#quick-add-error');
    await error.getByText('starts on 2020-01-06, more than a year ago').waitFor();
    await error.getByText('Press Add again to keep it').waitFor();
    assert.equal((await entriesOn('2020-01-06')).length, 0, 'nothing before the confirmation');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(/Added 1:00 on Standup, Monday, January 6, 2020/).waitFor();
    assert.equal((await entriesOn('2020-01-06')).length, 1);
  });

  test('the timer bar offers the project’s open tasks and starts the timer on one', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const project = page.getByLabel('Project', { exact: true });
    await project.selectOption({ label: 'Standup' });
    const task = page.getByLabel('Task', { exact: true });
    await task.waitFor({ state: 'hidden' }); // Standup has no tasks
    await project.selectOption({ label: 'Backups · Acme' });
    await task.waitFor();
    const offered = await task.locator('option').allTextContents();
    assert.deepEqual(offered, ['No task', 'Rotate keys'], 'done tasks are not offered');
    await task.selectOption({ label: 'Rotate keys' });
    await page.getByLabel('Note', { exact: true }).fill('on a task');
    await page.getByRole('button', { name: 'Start timer' }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    await page.waitForFunction(() => Number((document.querySelector('.timerbar-elapsed')?.textContent || '0:00:00').split(':')[2]) >= 2,
      null, { timeout: 10_000 });
    const running = (await call('GET', '/api/v1/timer')).body.running;
    assert.equal(running.task_id, taskId);
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
    const stopped = (await entriesOn(dayIn(ADMIN.zone))).find((e) => e.note === 'on a task');
    assert.equal(stopped.task_id, taskId);
    assert.ok(stopped.end);
  });

  test('Duplicate opens a new entry with the same project, task, note and tags, and adds it', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    const source = page.locator('table.entries-table tbody tr').filter({ hasText: 'on a task' });
    await source.getByRole('button', { name: /^Duplicate / }).click();
    const dialog = page.getByRole('dialog', { name: 'Duplicate entry' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Note').inputValue(), 'on a task');
    await page.waitForFunction(() => document.querySelector('dialog select[name="task_id"]')?.selectedOptions[0]?.text === 'Rotate keys',
      null, { timeout: 10_000 });
    await dialog.getByLabel('Note').fill('on a task, again');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('table.entries-table tbody tr').filter({ hasText: 'on a task, again' }).waitFor();
    const all = await entriesOn(dayIn(ADMIN.zone));
    const copy = all.find((e) => e.note === 'on a task, again');
    const original = all.find((e) => e.note === 'on a task');
    assert.equal(copy.start, original.start, 'untouched times are copied to the second');
    assert.equal(copy.end, original.end);
    assert.equal(copy.task_id, taskId);
    assert.equal(copy.project_id, original.project_id);
    assert.notEqual(copy.id, original.id);
  });

  test('q focuses the quick-add box; no request left 127.0.0.1 and no page error happened', async () => {
    const page = admin.page;
    await page.locator('h1').click();
    await page.keyboard.press('q');
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'quick-add');
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
