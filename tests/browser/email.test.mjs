// Browser tests for e-mail: the "E-mail notifications" section of My account (only the kinds
// of one's role, each saved when ticked, still so after a reload) and, on the System page, the
// SMTP server in use, "Send test e-mail" and the delivery log: the message fails (the SMTP
// port is closed and one attempt is allowed), is listed with its error, and "Send again"
// queues it once more. Own server; its SMTP server is a closed loopback port.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./email.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { closedPort, mailEnv } from './smtp.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959' };

describe('e-mail in the web UI', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;

  before(async () => {
    const port = await closedPort();
    server = await startServer({
      env: {
        ...mailEnv(port),
        OPHIONTT_WEBHOOKS_RETRY_BASE: '1s',
        OPHIONTT_WEBHOOKS_MAX_ATTEMPTS: '1',
        OPHIONTT_APPROVAL_ENABLED: 'true',
      },
    });
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('My account: notifications of one\'s role, saved when ticked', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/account`);
    const section = page.locator('section.account-email');
    await section.getByRole('heading', { name: 'E-mail notifications' }).waitFor();
    const labels = await section.locator('label').allTextContents();
    assert.deepEqual(labels, ['My week was approved or rejected', 'Privacy requests coming due', 'A scheduled backup failed']);
    const backup = section.getByLabel('A scheduled backup failed');
    assert.equal(await backup.isChecked(), true);
    await backup.uncheck();
    await page.locator('.toasts', { hasText: 'E-mails off: a scheduled backup failed' }).waitFor();
    const me = await apiOk(page, 'GET', '/api/v1/me');
    assert.deepEqual(me.email_notifications, { week_decisions: true, privacy_deadlines: true, backup_failures: false });
    await page.reload();
    await section.getByRole('heading', { name: 'E-mail notifications' }).waitFor();
    assert.equal(await section.getByLabel('A scheduled backup failed').isChecked(), false);
    assert.equal(await section.getByLabel('Privacy requests coming due').isChecked(), true);
  });

  test('System: the SMTP server, a test e-mail that fails, the delivery log and Send again', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/system`);
    const card = page.locator('section.sys-email');
    await card.getByRole('heading', { name: 'E-mail' }).waitFor();
    assert.match(await card.locator('.email-server').textContent(), /^127\.0\.0\.1:\d+$/);
    assert.equal(await card.locator('.email-from').textContent(), 'OphionTT <tt@example.com>');
    assert.doesNotMatch(await card.textContent(), /password_file|secret/i);

    await card.getByRole('button', { name: 'Send test e-mail' }).click();
    await page.locator('.toasts', { hasText: 'Test e-mail queued to grace@example.com' }).waitFor();

    const log = page.locator('section.sys-delivery');
    await log.getByLabel('State').selectOption('failed');
    const row = log.locator('tr[data-state="failed"][data-channel="email"]');
    // One attempt is allowed and the port is closed: it fails within seconds.
    for (let i = 0; i < 40 && (await row.count()) === 0; i += 1) {
      await page.waitForTimeout(500);
      await log.getByRole('button', { name: 'Refresh' }).click();
    }
    await row.first().waitFor({ timeout: 2_000 });
    assert.equal(await row.locator('td').nth(3).textContent(), 'Test e-mail');
    assert.equal(await row.locator('td').nth(2).textContent(), 'grace@example.com');
    assert.match(await row.locator('.delivery-error').textContent(), /connection refused/);

    const id = await row.first().getAttribute('data-id');
    await row.getByRole('button', { name: 'Send again' }).click();
    await page.locator('.toasts', { hasText: 'Queued again' }).waitFor();
    let item;
    for (let i = 0; i < 40; i += 1) {
      const items = (await apiOk(page, 'GET', '/api/v1/outbox?channel=email')).items;
      item = items.find((it) => it.id === id);
      if (item && item.attempts.length >= 2 && item.state === 'failed') break;
      await page.waitForTimeout(250);
    }
    assert.equal(item.attempts.length, 2, JSON.stringify(item));
    assert.equal(item.state, 'failed');
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
  });
});
