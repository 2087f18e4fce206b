// Nothing is silently created, cut or accepted: the New-entry dialog asks for a project instead
// of recording an hour on one, a start over a year ago is kept only after "Save anyway", a
// note over the limit is refused with the limit named, never cut short, and a timer stopped
// within a minute (the default `tracking.min_timer_seconds`) asks whether to keep its entry.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test unaltered.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, apiCall } from './browser.mjs';

const ADMIN = { name: 'Hedy Lamarr', email: 'hedy@example.com', password: 'frequency hopping 1942', zone: 'UTC' };

/** `YYYY-MM-DD` of `days` days before today (UTC). */
const daysAgo = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('nothing silently altered', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let rec;
  let page;
  const entries = async () => (await apiCall(page, 'GET', '/api/v1/entries?from=1970-01-01&to=2100-01-01&limit=100')).body.items;

  before(async () => {
    server = await startServer({ minTimerSeconds: 60 });
    browser = await launchChromium();
    rec = await recordingContext(browser);
    page = await rec.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const p = await apiCall(page, 'POST', '/api/v1/projects', { name: 'Backups' });
    assert.equal(p.status, 201);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  const openNew = async () => {
    await page.goto(`${server.baseUrl}/today`);
    await page.getByRole('button', { name: 'New entry' }).click();
    return page.getByRole('dialog', { name: 'New entry' });
  };

  test('"Add entry" with nothing touched asks for a project and creates nothing', async () => {
    const dialog = await openNew();
    assert.equal(await dialog.getByLabel('Project').inputValue(), '');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByText('Choose a project').last().waitFor();
    assert.equal(await dialog.getByLabel('Project').getAttribute('aria-invalid'), 'true');
    assert.equal((await entries()).length, 0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a start over a year ago is kept only after "Save anyway"', async () => {
    const dialog = await openNew();
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    const day = daysAgo(400);
    await dialog.getByLabel('Start').fill(`${day}T09:00`);
    await dialog.getByLabel('End').fill(`${day}T10:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    const startField = dialog.locator('.field').filter({ has: page.getByLabel('Start') });
    await startField.getByText(`starts on ${day}, more than a year ago`).waitFor();
    assert.equal((await entries()).length, 0, 'not kept before the confirmation');
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const kept = await entries();
    assert.equal(kept.length, 1);
    assert.equal(kept[0].start, `${day}T09:00:00Z`);
  });

  test('changing the start after the warning asks again', async () => {
    const dialog = await openNew();
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    await dialog.getByLabel('Start').fill(`${daysAgo(500)}T09:00`);
    await dialog.getByLabel('End').fill(`${daysAgo(500)}T10:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByRole('button', { name: 'Save anyway' }).waitFor();
    await dialog.getByLabel('Start').fill(`${daysAgo(600)}T09:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).waitFor();
    await dialog.getByLabel('End').fill(`${daysAgo(600)}T10:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByText(`starts on ${daysAgo(600)}`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await entries()).length, 1);
  });

  test('a timer stopped within a minute asks: keep running, discard, or keep the entry', async () => {
    await page.goto(`${server.baseUrl}/today`);
    const before = (await entries()).length;
    const start = async () => {
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Backups' });
      await page.getByRole('button', { name: 'Start timer', exact: true }).click();
      await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    };
    const stopAndAsk = async () => {
      await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
      const ask = page.getByRole('dialog', { name: 'Stop a short timer' });
      await ask.getByText(/This timer on Backups ran for/).waitFor();
      return ask;
    };
    await start();
    let ask = await stopAndAsk();
    await ask.getByRole('button', { name: 'Keep running' }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    assert.ok((await apiCall(page, 'GET', '/api/v1/timer')).body.running, 'still running');

    ask = await stopAndAsk();
    await ask.getByRole('button', { name: 'Discard' }).click();
    await page.getByText('Timer discarded: nothing was recorded on Backups').waitFor();
    assert.equal((await apiCall(page, 'GET', '/api/v1/timer')).body.running, null);
    assert.equal((await entries()).length, before, 'the discarded timer left no entry');

    await start();
    // Past the server's own one-second rule (a stop within a second is a double click, and
    // leaves nothing): the ticking timer shows two seconds.
    await page.getByText('0:00:02').first().waitFor();
    ask = await stopAndAsk();
    await ask.getByRole('button', { name: 'Keep entry' }).click();
    await page.getByText(/^Stopped: /).waitFor();
    assert.equal((await entries()).length, before + 1, 'kept');
  });

  test('overlapping entries are pointed out in the lists and when saved', async () => {
    const hoursAgo = (h) => new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // Today (UTC) holds the three entries only from 04:00 on; Entries (the last 7 days) always.
    const pages = new Date().getUTCHours() >= 4 ? ['/today', '/entries'] : ['/entries'];
    const projects = (await apiCall(page, 'GET', '/api/v1/projects')).body.items;
    const backups = projects.find((p) => p.name === 'Backups').id;
    const add = async (from, to, note) => {
      const r = await apiCall(page, 'POST', '/api/v1/entries', { project_id: backups, start: hoursAgo(from), end: hoursAgo(to), note });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await add(3, 2, 'first hour');
    await add(2.5, 1.5, 'overlapping hour');
    await add(1, 0.5, 'apart');
    for (const path of pages) {
      await page.goto(`${server.baseUrl}${path}`);
      const row = (text) => page.locator('tr', { hasText: text });
      await row('apart').waitFor();
      assert.equal(await row('first hour').getByText('overlaps').count(), 1, path);
      assert.equal(await row('overlapping hour').getByText('overlaps').count(), 1, path);
      assert.equal(await row('apart').getByText('overlaps').count(), 0, path);
    }
    // Saving an entry into the same hour says so.
    await page.goto(`${server.baseUrl}/entries`);
    const row = page.locator('tr', { hasText: 'apart' });
    await row.getByRole('button', { name: /^Edit/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit entry' });
    const startValue = await dialog.getByLabel('Start').inputValue();
    const earlier = new Date(Date.parse(`${startValue}:00Z`) - 2 * 3_600_000).toISOString().slice(0, 16);
    await dialog.getByLabel('Start').fill(earlier);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Entry saved; it overlaps Backups/).waitFor();
  });

  test('a note over the limit is refused with the limit named and kept whole in the field', async () => {
    const before = (await entries()).length;
    const dialog = await openNew();
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    const note = 'rotated keys '.repeat(200); // 2,600 characters
    await dialog.getByLabel('Note').fill(note);
    assert.equal((await dialog.getByLabel('Note').inputValue()).length, note.length, 'not cut short');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByText('at most 2000 characters').waitFor();
    assert.equal((await entries()).length, before, 'nothing more was created');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The same on the quick-add line: a 6,013-character line is refused, not cut to 1,000.
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    const line = `20m /backups ${'x'.repeat(6000)}`;
    await box.fill(line);
    assert.equal((await box.inputValue()).length, line.length, 'not cut short');
    await box.press('Enter');
    await page.locator('#quick-add-error').getByText('longer than 1000 characters').waitFor();
    assert.equal((await entries()).length, before, 'nothing was created');
    assert.deepEqual(rec.problems, []);
  });
});
