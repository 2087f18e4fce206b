// Installable and able to open without a network: the page links a valid web app manifest with
// PNG icons of 192 and 512 pixels, a service worker takes control, and with the network gone a
// reload still opens the app (from the worker's cache), which then says the server cannot be
// reached. The worker keeps no API answer (no personal data in the browser's caches).
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test offline.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin } from './browser.mjs';

const ADMIN = { name: 'Margaret Hamilton', email: 'margaret@example.com', password: 'apollo guidance 1969', zone: 'UTC' };

describe('installable and offline', { timeout: 120_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('the manifest names the app, its start page and icons that load', async () => {
    const rec = await recordingContext(browser);
    const page = await rec.context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await (await page.request.get(new URL(href, server.baseUrl).href)).json();
    assert.equal(manifest.name, 'OphionTT');
    assert.equal(manifest.display, 'standalone');
    // Each role's home: the dashboard, or a client's portal.
    assert.equal(manifest.start_url, '/');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
      assert.ok(icon, size);
      const r = await page.request.get(new URL(icon.src, server.baseUrl).href);
      assert.equal(r.status(), 200);
      const png = await r.body();
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.equal(`${w}x${h}`, size);
    }
    assert.deepEqual(rec.problems, []);
    await rec.context.close();
  });

  test('after one visit the app opens without a network and says the server cannot be reached', async () => {
    const rec = await recordingContext(browser);
    const page = await rec.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    await page.goto(`${server.baseUrl}/today`);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
    // The worker was handed this page's files: wait until its cache holds the entry module.
    await page.waitForFunction(async () => {
      const main = document.querySelector('script[type="module"]').src;
      const keys = await (await caches.open('ophiontt-ui-v1')).keys();
      return keys.some((k) => k.url === main);
    }, null, { timeout: 10_000 });

    await rec.context.setOffline(true);
    await page.reload();
    await page.getByText('The server could not be reached').first().waitFor();
    await rec.context.setOffline(false);

    // No API answer was kept.
    const cached = await page.evaluate(async () => (await (await caches.open('ophiontt-ui-v1')).keys()).map((k) => new URL(k.url).pathname));
    assert.deepEqual(cached.filter((p) => p.startsWith('/api/')), []);
    assert.ok(cached.includes('/__shell'), cached.join(' '));
    assert.deepEqual(rec.problems, []);
    await rec.context.close();
  });
});
