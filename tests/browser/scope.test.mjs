// Browser tests for what issue 11 changed in the UI: the Tags page shows a member only the
// tags on their own entries (and says so), and a timer the server had to cap at the longest
// entry allowed is reported as such when it stops. The server's side of both belongs in
// tests/api/tag_scope.rs and tests/api/ranges.rs.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, apiCall, apiOk, createFirstAdmin, signIn, waitFor, serverNow } from './browser.mjs';

const ADMIN = { name: 'Margaret Hamilton', email: 'margaret@example.com', password: 'apollo guidance 1969' };
const MEMBER = { name: 'Dorothy Vaughan', email: 'dorothy@example.com', password: 'fortran langley 1961' };

describe('tags in scope and capped timers', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;
  let member;
  let project;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    const call = (m, p, b) => apiOk(admin.page, m, p, b);
    const user = await call('POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: 'UTC' });
    const token = new URL(user.reset_link.url).hash.replace(/^#token=/, '');
    await call('POST', '/api/v1/password-reset', { token, new_password: MEMBER.password });
    const me = await call('GET', '/api/v1/me');
    project = await call('POST', '/api/v1/projects', { name: 'Upgrades', member_ids: [user.user.id, me.id] });
    // The admin's own entry carries a tag the member must not see.
    await call('POST', '/api/v1/entries', { project_id: project.id, start: '2026-11-02T09:00:00Z', end: '2026-11-02T10:00:00Z', tags: ['board-only'] });

    member = await recordingContext(browser);
    member.page = await member.context.newPage();
    const page = member.page;
    await signIn(page, server.baseUrl, MEMBER);
    await apiOk(page, 'POST', '/api/v1/entries', { project_id: project.id, start: '2026-11-03T09:00:00Z', end: '2026-11-03T10:00:00Z', tags: ['kernel'] });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('a member sees the tags on their own entries, and the page says whose tags they are', async () => {
    const page = member.page;
    await page.goto(`${server.baseUrl}/tags`);
    await page.locator('tr[data-tag="kernel"]').waitFor();
    assert.equal(await page.locator('tr[data-tag="board-only"]').count(), 0, "another person's tag is not listed");
    await page.getByText('The tags on your entries. Admins and managers can rename and merge them.').waitFor();

    // The admin sees both, and is told a rename skips restricted people's entries.
    const a = admin.page;
    await a.goto(`${server.baseUrl}/tags`);
    await a.locator('tr[data-tag="kernel"]').waitFor();
    await a.locator('tr[data-tag="board-only"]').waitFor();
    await a.getByText(/Renaming a tag changes it on every entry but those of people whose processing is restricted/).waitFor();
  });

  test('a timer stopped at the longest entry allowed says so and asks to correct its end', async () => {
    const page = member.page;
    // A day-long timer cannot run in a test: the real server's answer to the stop is passed
    // through with `capped` set, as the server sends it for a timer left running past the
    // maximum (tests/api/ranges.rs checks the server side).
    await page.route('**/api/v1/timer/stop*', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: { ...body, capped: true, duration_seconds: 86_400 } });
    });
    await page.goto(`${server.baseUrl}/today`);
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Upgrades' });
    await page.getByRole('button', { name: 'Start timer' }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    // A timer stopped within a second is discarded: wait until the server's clock is a whole
    // second past the start (both are cut to whole seconds, hence two).
    const timer = await apiOk(page, 'GET', '/api/v1/timer');
    const started = Date.parse(timer.running.start);
    await waitFor(async () => (await serverNow(page)) >= started + 2_000, { what: 'the timer to run a second' });
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByText(/Stopped at the longest entry allowed \(24:00:00\) on Upgrades: correct its end if you stopped working earlier/).waitFor();
    await page.unroute('**/api/v1/timer/stop*');
    const running = await apiCall(page, 'GET', '/api/v1/timer');
    assert.equal(running.body.running, null, 'the timer really stopped');
  });
});
