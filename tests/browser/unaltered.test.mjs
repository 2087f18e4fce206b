// Nothing is silently created, cut or accepted: the New-entry dialog asks for a project instead
// of recording an hour on one, a start over a year ago is kept only after "Save anyway", and a
// note over the limit is refused with the limit named, never cut short.
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
    server = await startServer();
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

  test('a note over the limit is refused with the limit named and kept whole in the field', async () => {
    const dialog = await openNew();
    await dialog.getByLabel('Project').selectOption({ label: 'Backups' });
    const note = 'rotated keys '.repeat(200); // 2,600 characters
    await dialog.getByLabel('Note').fill(note);
    assert.equal((await dialog.getByLabel('Note').inputValue()).length, note.length, 'not cut short');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByText('at most 2000 characters').waitFor();
    assert.equal((await entries()).length, 1, 'nothing more was created');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(rec.problems, []);
  });
});
