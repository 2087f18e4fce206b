// Browser tests for "API tokens" and "Calendar subscriptions" on My account
// (views/account-tokens.js): a token made with its scopes, its secret shown once and working as
// `Authorization: Bearer` from outside the browser, the list showing its last use, revoking it
// (and the secret stops working at once); a calendar subscription whose URL serves the
// person's entries to a client with no session, then revoked; a bad name refused beside its
// field. Own server, own first admin.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./tokens.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, waitFor } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Europe/Berlin' };

/** A request from outside the browser (no cookie), as a script or a calendar app makes it. */
async function outside(url, token) {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('API tokens and calendar subscriptions on My account', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-GB' });
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

  test('a token is created with its scopes, shown once, works as Bearer, and is revoked', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/account`);
    const section = page.getByRole('region', { name: 'API tokens' });
    await section.getByText('No tokens yet.').waitFor();
    // Nothing named and no scope: both fields say so.
    await section.getByRole('checkbox', { name: /Read/ }).uncheck();
    await section.getByRole('button', { name: 'Create token' }).click();
    await section.locator('input[name="name"][aria-invalid="true"]').waitFor();
    await section.locator('input[name="scopes"][aria-invalid="true"]').first().waitFor();
    assert.equal(await section.getByLabel('Secret').count(), 0);

    await section.getByLabel('Name').fill('laptop terminal');
    await section.getByRole('checkbox', { name: /Write/ }).check();
    await section.getByLabel('Expires after').selectOption('30');
    await section.getByRole('button', { name: 'Create token' }).click();
    const secret = await section.getByLabel('Secret').inputValue();
    assert.match(secret, /^ott_[A-Za-z0-9_-]{43}$/);
    assert.match(await section.locator('.secret-example').textContent(), /curl -H "Authorization: Bearer ott_/);

    const me = await outside(`${server.baseUrl}/api/v1/me`, secret);
    assert.equal(me.status, 200, me.text);
    assert.equal(JSON.parse(me.text).email, ADMIN.email);

    await page.reload();
    const item = section.locator('.secret-item', { hasText: 'laptop terminal' });
    await item.waitFor();
    assert.match(await item.textContent(), /read \+ write/);
    assert.match(await item.textContent(), /last used .* from 127\.0\.0\.1/);
    assert.equal(await section.getByLabel('Secret').count(), 0, 'the secret is not shown again');

    page.once('dialog', (d) => d.accept());
    await item.getByRole('button', { name: 'Revoke laptop terminal' }).click();
    await waitFor(async () => /revoked/.test(await section.locator('.secret-item', { hasText: 'laptop terminal' }).textContent()),
      { what: 'the token listed as revoked' });
    const after = await outside(`${server.baseUrl}/api/v1/me`, secret);
    assert.equal(after.status, 401);
    assert.equal(JSON.parse(after.text).code, 'auth.token_revoked');
    assert.deepEqual(admin.problems, []);
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
  });

  test('a calendar subscription serves the entries to a calendar app until it is revoked', async () => {
    const page = admin.page;
    const project = await apiOk(page, 'POST', '/api/v1/projects', { name: 'Backups' });
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await apiOk(page, 'POST', '/api/v1/entries', { project_id: project.id, start: `${day}T08:00:00Z`, end: `${day}T09:15:00Z`, note: 'restore drill' });
    await page.goto(`${server.baseUrl}/account`);
    const section = page.getByRole('region', { name: 'Calendar subscriptions' });
    await section.getByText('No subscriptions yet.').waitFor();
    await section.getByLabel('Name').fill('work calendar');
    await section.getByRole('button', { name: 'Create subscription' }).click();
    const url = await section.getByLabel('Secret').inputValue();
    assert.match(url, /\/api\/v1\/calendar\/otc_[A-Za-z0-9_-]{43}\.ics$/);
    assert.match(await section.getByRole('link', { name: 'Open in calendar app' }).getAttribute('href'), /^webcal:\/\//);

    const feed = await outside(url);
    assert.equal(feed.status, 200);
    assert.equal(feed.type, 'text/calendar; charset=utf-8');
    assert.match(feed.text, /BEGIN:VEVENT[\s\S]*restore drill[\s\S]*END:VEVENT/);

    await page.reload();
    const item = section.locator('.secret-item', { hasText: 'work calendar' });
    await item.waitFor();
    page.once('dialog', (d) => d.accept());
    await item.getByRole('button', { name: 'Revoke work calendar' }).click();
    await waitFor(async () => /revoked/.test(await section.locator('.secret-item', { hasText: 'work calendar' }).textContent()),
      { what: 'the subscription listed as revoked' });
    assert.equal((await outside(url)).status, 404);
    assert.deepEqual(admin.problems, []);
  });
});
