// Page weight: what a cold load of the login page and of Today costs on the wire, and what a
// warm reload still asks the server for. Counted by Chromium itself (DevTools protocol:
// every request, whether the cache served it, and its encoded bytes including headers).
// Issue 14's goals: login cold < 60 KB in < 10 requests; Today after login cold < 150 KB;
// a warm reload asks for at most 3 static files (the shell, revalidated: 304). Scripts and
// styles come in brotli (made at build time). Signing in lands on the dashboard, so "Today
// after login" counts the dashboard's files and answers too. The API docs page (Swagger UI) is
// checked here too. The figures are printed (docs/performance.md, "Page weight" quotes them).
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test weight.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, foreignRequests } from './browser.mjs';

const ADMIN = { name: 'Barbara Liskov', email: 'barbara@example.com', password: 'substitution 1987', zone: 'UTC' };

/**
 * Record a page's network activity through the DevTools protocol.
 *
 * @returns {Promise<{log:Map<string,Object>, reset:function():void, summary:function():Object}>}
 */
async function networkLog(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const log = new Map();
  const get = (id) => {
    if (!log.has(id)) log.set(id, { id, cached: false, bytes: 0, done: false });
    return log.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => { Object.assign(get(e.requestId), { url: e.request.url }); });
  cdp.on('Network.requestServedFromCache', (e) => { get(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = get(e.requestId);
    r.status = e.response.status;
    r.headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) r.cached = true;
  });
  // The status on the wire: a revalidated answer (304) is reported above as the cached 200.
  cdp.on('Network.responseReceivedExtraInfo', (e) => { get(e.requestId).wireStatus = e.statusCode; });
  cdp.on('Network.loadingFinished', (e) => { Object.assign(get(e.requestId), { bytes: e.encodedDataLength, done: true }); });
  return {
    log,
    reset: () => log.clear(),
    summary() {
      const all = [...log.values()].filter((r) => r.url && !r.url.startsWith('data:'));
      // Nothing on the wire (0 bytes, not even headers) is not a network request either: the
      // browser's own favicon loader asks for the icon the page already has, from memory.
      const network = all.filter((r) => !r.cached && !(r.done && r.bytes === 0));
      return {
        all,
        network,
        requests: network.length,
        bytes: network.reduce((n, r) => n + r.bytes, 0),
        static: network.filter((r) => !new URL(r.url).pathname.startsWith('/api/')),
      };
    },
  };
}

/** Wait until nothing has been in flight for a while (the page has settled). */
async function settled(page) {
  await page.waitForLoadState('networkidle');
}

const paths = (rs) => rs.map((r) => `${new URL(r.url).pathname} ${r.wireStatus || r.status} ${r.bytes} B`).join('\n  ');

describe('page weight', { timeout: 120_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    const setup = await recordingContext(browser);
    const page = await setup.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    await setup.context.close();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('cold login, cold Today after login, and a warm reload stay within their budgets', async () => {
    // The HTTP caching itself, without the service worker (which would answer the warm
    // reload from its own cache: offline.test.mjs covers it).
    const rec = await recordingContext(browser, { serviceWorkers: 'block' });
    const page = await rec.context.newPage();
    const net = await networkLog(rec.context, page);

    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await settled(page);
    const login = net.summary();
    console.log(`login, cold: ${login.requests} requests, ${login.bytes} bytes\n  ${paths(login.network)}`);
    assert.ok(login.requests < 10, `login page: ${login.requests} requests\n  ${paths(login.network)}`);
    assert.ok(login.bytes < 60_000, `login page: ${login.bytes} bytes`);
    // No admin screen, no tracking screen is fetched before anyone signs in.
    assert.deepEqual(login.all.filter((r) => /views\/(?!login)/.test(r.url)).map((r) => r.url), []);
    // Scripts and styles come by content-hashed URLs, cached for a year, in brotli (Chromium
    // asks for it; the copies are made at build time). The shell is gzipped.
    const assets = login.network.filter((r) => /\/static\/.*\.[0-9a-f]{10}\.(js|css)$/.test(r.url));
    assert.ok(assets.length >= 3, paths(login.network));
    for (const r of assets) {
      assert.match(r.headers['cache-control'], /immutable/, r.url);
      assert.equal(r.headers['content-encoding'], 'br', r.url);
    }
    const shell = login.network.find((r) => new URL(r.url).pathname === '/login');
    assert.equal(shell.headers['cache-control'], 'no-cache');
    assert.ok(shell.headers.etag, 'the shell has an ETag');

    net.reset();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${server.baseUrl}/today`);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await settled(page);
    const today = net.summary();
    const both = login.bytes + today.bytes;
    console.log(`Today after login (the dashboard first), cold: ${today.requests} requests, ${today.bytes} bytes (${both} with the login page)`);
    assert.ok(both < 150_000, `login + Today: ${both} bytes\n  ${paths(today.network)}`);

    net.reset();
    await page.reload();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await settled(page);
    const warm = net.summary();
    console.log(`Today, warm reload: ${warm.static.length} static requests on the network (${warm.requests} with the API's), ${warm.bytes} bytes\n  ${paths(warm.network)}`);
    assert.ok(warm.static.length <= 3, `warm reload asked for:\n  ${paths(warm.static)}`);
    const reshell = warm.static.find((r) => new URL(r.url).pathname === '/today');
    assert.equal(reshell && reshell.wireStatus, 304, 'the shell is revalidated, not sent again');

    assert.deepEqual(rec.problems, [], 'no page errors or CSP violations');
    assert.deepEqual(foreignRequests(rec.requests, server.baseUrl), []);
    await rec.context.close();
  });

  test('the API docs page shows every operation from files in brotli, with no inline script', async () => {
    const rec = await recordingContext(browser, { serviceWorkers: 'block' });
    const page = await rec.context.newPage();
    const net = await networkLog(rec.context, page);
    await page.goto(`${server.baseUrl}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    await settled(page);
    const docs = net.summary();
    console.log(`/api/docs, cold: ${docs.requests} requests, ${docs.bytes} bytes\n  ${paths(docs.network)}`);
    assert.ok(await page.locator('.opblock').count() > 20, 'Swagger UI lists the operations');
    // Swagger UI's script and stylesheet: by content-hashed URLs, in brotli, about 0.35 MB.
    const swagger = docs.network.filter((r) => /\/static\/api-docs\/swagger-ui.*\.[0-9a-f]{10}\.(js|css)$/.test(r.url));
    assert.equal(swagger.length, 2, paths(docs.network));
    for (const r of swagger) {
      assert.match(r.headers['cache-control'], /immutable/, r.url);
      assert.equal(r.headers['content-encoding'], 'br', r.url);
    }
    assert.ok(docs.bytes < 400_000, `/api/docs: ${docs.bytes} bytes`);
    // The app's policy, with no 'unsafe-inline': any inline script or style would show here.
    assert.deepEqual(rec.problems, [], 'no page errors or CSP violations');
    assert.deepEqual(foreignRequests(rec.requests, server.baseUrl), []);
    await rec.context.close();
  });

  test('an admin page loads its module on first open, and a module that cannot load says so', async () => {
    const rec = await recordingContext(browser);
    const page = await rec.context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.ok(!rec.requests.some((r) => r.includes('/views/audit.')), 'the audit view is not loaded before it is opened');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    assert.ok(rec.requests.some((r) => /\/static\/js\/views\/audit\.[0-9a-f]{10}\.js$/.test(r)));

    // The server goes away between two clicks: the next page's module cannot load.
    await rec.context.route('**/views/security.*', (route) => route.abort());
    await page.getByRole('link', { name: 'Security events' }).click();
    await page.getByText('This page could not be loaded').waitFor();
    assert.deepEqual(rec.problems, []);
    await rec.context.close();
  });
});
