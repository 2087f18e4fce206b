// Browser tests for the Webhooks section of the System page (views/system-webhooks.js): an
// admin adds a webhook to a receiver on loopback (a node HTTP server here that checks each
// delivery's HMAC-SHA256 signature), copies its secret, pings it and sees it delivered in the
// list; an entry made afterwards arrives signed too; a host the config does not allow is
// refused beside the URL; pausing shows a badge; deleting empties the list. Own server allowed
// to reach 127.0.0.1, own first admin.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./webhooks.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, waitFor } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'UTC' };

/** A receiver that records each delivery and whether its signature verifies with `secret`. */
function receiver() {
  const r = { got: [], secret: null };
  r.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sig = Object.fromEntries(String(req.headers['ophiontt-signature'] || '').split(',').map((p) => p.split('=')));
      const want = createHmac('sha256', r.secret || '').update(`${sig.t}.`).update(body).digest();
      const got = Buffer.from(sig.v1 || '', 'hex');
      const verified = got.length === want.length && timingSafeEqual(got, want);
      r.got.push({ event: req.headers['ophiontt-event'], body: JSON.parse(body), verified });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => r.server.listen(0, '127.0.0.1', () => { r.port = r.server.address().port; resolve(r); }));
}

describe('the Webhooks section of the System page', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;
  let hook;

  before(async () => {
    hook = await receiver();
    server = await startServer({ env: { OPHIONTT_WEBHOOKS_ALLOWED_HOSTS: '127.0.0.1', OPHIONTT_WEBHOOKS_RETRY_BASE: '1s' } });
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
      hook.server.close();
    }
  });

  test('an admin adds, pings, pauses and deletes a webhook; deliveries arrive signed', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/system`);
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhooks yet.').waitFor();

    await section.getByLabel('URL').fill('https://example.com/in');
    await section.getByRole('checkbox', { name: 'Entry created' }).check();
    await section.getByRole('button', { name: 'Add webhook' }).click();
    await section.getByText('webhooks.allowed_hosts', { exact: false }).first().waitFor();
    assert.equal(await section.locator('input[name="url"][aria-invalid="true"]').count(), 1);

    const url = `http://127.0.0.1:${hook.port}/in`;
    await section.getByLabel('URL').fill(url);
    await section.getByRole('checkbox', { name: 'Entry created' }).check();
    await section.getByLabel('Description').fill('team chat');
    await section.getByRole('button', { name: 'Add webhook' }).click();
    hook.secret = await section.getByLabel('Signing secret').inputValue();
    assert.match(hook.secret, /^whsec_/);
    const item = section.locator('.secret-item', { hasText: url });
    await item.waitFor();
    assert.match(await item.textContent(), /entry\.created/);

    await item.getByRole('button', { name: `Ping ${url}` }).click();
    await waitFor(() => hook.got.some((d) => d.event === 'webhook.ping'), { what: 'the ping' });
    assert.ok(hook.got.every((d) => d.verified), 'every delivery verifies');
    const project = await apiOk(page, 'POST', '/api/v1/projects', { name: 'Backups' });
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await apiOk(page, 'POST', '/api/v1/entries', { project_id: project.id, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z`, note: 'signed' });
    await waitFor(() => hook.got.some((d) => d.event === 'entry.created'), { what: 'the entry delivery' });
    const entry = hook.got.find((d) => d.event === 'entry.created');
    assert.equal(entry.body.data.entry.note, 'signed');
    assert.ok(entry.verified);

    await waitFor(async () => {
      await page.reload();
      return /last: delivered/.test(await section.locator('.secret-item', { hasText: url }).textContent());
    }, { what: 'the list showing the last delivery', timeout: 15_000, interval: 500 });

    await section.getByRole('button', { name: `Pause ${url}` }).click();
    await section.locator('.secret-item', { hasText: url }).getByText('paused').waitFor();
    page.once('dialog', (d) => d.accept());
    await section.getByRole('button', { name: `Delete ${url}` }).click();
    await section.getByText('No webhooks yet.').waitFor();
    assert.deepEqual(admin.problems.filter((p) => !/422/.test(p)), []);
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
  });
});
