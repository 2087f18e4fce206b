// Browser test for the privacy notice: the login page's footer links to /privacy, which shows
// the notice generated from this instance's configuration (the processors the admin listed,
// retention periods, the one cookie) without signing in, with no foreign request and no CSP
// violation.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./privacy-notice.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath } from './browser.mjs';

describe('the privacy notice', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let ctx;

  before(async () => {
    // The server inherits these: the notice must show them.
    process.env.OPHIONTT_PRIVACY_CONTROLLER = 'Acme Consulting Ltd';
    process.env.OPHIONTT_PRIVACY_CONTACT = 'privacy@acme.example';
    process.env.OPHIONTT_PRIVACY_PROCESSORS = 'Hoster GmbH, Germany: server hosting; Vault AG: encrypted off-site backups';
    process.env.OPHIONTT_BACKUP_KEEP_DAILY = '3';
    process.env.OPHIONTT_RETENTION_SECURITY_EVENTS = '30d';
    server = await startServer();
    browser = await launchChromium();
    ctx = await recordingContext(browser);
  });

  after(async () => {
    for (const k of ['CONTROLLER', 'CONTACT', 'PROCESSORS']) delete process.env[`OPHIONTT_PRIVACY_${k}`];
    delete process.env.OPHIONTT_BACKUP_KEEP_DAILY;
    delete process.env.OPHIONTT_RETENTION_SECURITY_EVENTS;
    await ctx?.context.close();
    await browser?.close();
    await server?.stop();
  });

  test('the login page links to the notice, which shows the configured processors and retention', async () => {
    const page = await ctx.context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    const link = page.getByRole('link', { name: 'Privacy notice' });
    await link.waitFor();
    await link.click();
    await waitForPath(page, '/privacy');
    await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).waitFor();

    const processors = await page.locator('#processors li').allTextContents();
    assert.deepEqual(processors, ['Hoster GmbH, Germany: server hosting', 'Vault AG: encrypted off-site backups']);
    assert.match(await page.locator('main').textContent(), /Acme Consulting Ltd/);
    assert.match(await page.locator('#contact').textContent(), /privacy@acme\.example/);

    const row = (name) => page.locator('#categories tr', { has: page.locator('th', { hasText: name }) });
    assert.equal(await row('Security events').locator('.retention').textContent(), '30 days', 'retention.security_events');
    assert.match(await page.locator('main').textContent(), /last 3 days/, 'backup rotation from backup.keep_daily');
    assert.equal(await page.locator('#cookies .cookie-name').textContent(), 'ophiontt_session');
    assert.match(await page.locator('#last-updated').textContent(), /^\d{4}-\d{2}-\d{2}$/);

    // Readable on a phone too.
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling at 390 px (content is ${width} px wide)`);

    assert.deepEqual(foreignRequests(ctx.requests, server.baseUrl), []);
    assert.deepEqual(ctx.problems, []);
  });
});
