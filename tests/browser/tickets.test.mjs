// Browser tests for ticket links (issue 17): with `tickets.patterns` configured, ticket ids in a
// note and a task title are links to the tracker (new tab, no referrer, the text escaped, never
// HTML) on Entries and Today, a card of the task board links its title's ticket, and Reports
// group by ticket and filter by one. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./tickets.test.mjs
// TICKETS_SHOTS=DIR also saves a screenshot of the Entries page there.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk, waitReportTotal } from './browser.mjs';
import { dayIn } from './dates.mjs';

const ZONE = 'Europe/Berlin';
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: ZONE };
const PATTERNS = `[
  { name = "github", pattern = '\\b(([\\w.-]+/[\\w.-]+)#(\\d+))\\b', url = "https://github.com/$2/issues/$3" },
  { name = "jira", pattern = '\\b([A-Z][A-Z0-9]+-\\d+)\\b', url = "https://jira.example.com/browse/$1" },
]`;
// Text that would be markup if it were ever parsed as HTML.
const NOTE = 'Rotated keys for OPS-12 <b>bold?</b> & see infra/vpn#7';

describe('ticket links', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let ctx;
  let page;
  const ids = {};

  before(async () => {
    server = await startServer({ env: { OPHIONTT_TICKETS_PATTERNS: PATTERNS } });
    browser = await launchChromium();
    ctx = await recordingContext(browser, { locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    // The tracker is not on loopback: the tab a link opens gets a page of ours instead.
    await ctx.context.route('https://jira.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'ticket' }));
    page = await ctx.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);
    ids.project = (await ok('POST', '/api/v1/projects', { name: 'Backups', color: '#2563eb' })).id;
    ids.task = (await ok('POST', `/api/v1/projects/${ids.project}/tasks`, { title: 'DB-3 rotate the keys' })).id;
    const today = dayIn(ZONE);
    const at = (h) => new Date(`${today}T${String(h).padStart(2, '0')}:00:00Z`).toISOString();
    await ok('POST', '/api/v1/entries', { project_id: ids.project, task_id: ids.task, start: at(6), end: at(8), note: NOTE });
    await ok('POST', '/api/v1/entries', { project_id: ids.project, start: at(8), end: at(9), note: 'OPS-12 follow-up' });
    await ok('POST', '/api/v1/entries', { project_id: ids.project, start: at(9), end: at(10), note: 'standup' });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('Entries links the ids of a note and a task title, safely, without breaking the row', async () => {
    await page.goto(`${server.baseUrl}/entries`);
    const link = page.locator('.note-text a.ticket-link', { hasText: 'OPS-12' }).first();
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), 'https://jira.example.com/browse/OPS-12');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    const gh = page.locator('a.ticket-link', { hasText: 'infra/vpn#7' });
    assert.equal(await gh.getAttribute('href'), 'https://github.com/infra/vpn/issues/7');
    const task = page.locator('.task-ref a.ticket-link', { hasText: 'DB-3' }).first();
    assert.equal(await task.getAttribute('href'), 'https://jira.example.com/browse/DB-3');
    // The note's text is all there, as text: no <b> element was made from it.
    const note = page.locator('.note-text', { hasText: 'Rotated keys' });
    assert.equal((await note.textContent()).trim(), NOTE);
    assert.equal(await note.locator('b').count(), 0);
    // The untouched entry has no link; the row's Edit button still opens the form.
    assert.equal(await page.locator('.note-text', { hasText: 'standup' }).locator('a').count(), 0);
    if (process.env.TICKETS_SHOTS) await page.screenshot({ path: `${process.env.TICKETS_SHOTS}/entries-tickets.png`, fullPage: true });
    // A click on a link opens a new tab and nothing in the page.
    const [popup] = await Promise.all([
      ctx.context.waitForEvent('page'),
      link.click({ modifiers: [] }),
    ]);
    await popup.close().catch(() => {});
    assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog opened by the link');
    assert.equal(new URL(page.url()).pathname, '/entries');
  });

  test('Today shows the same links', async () => {
    await page.goto(`${server.baseUrl}/today`);
    const link = page.locator('a.ticket-link', { hasText: 'OPS-12' }).first();
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), 'https://jira.example.com/browse/OPS-12');
  });

  test('a task card links the ticket of its title', async () => {
    await page.goto(`${server.baseUrl}/projects/${ids.project}/board`);
    const link = page.locator('.task-card a.ticket-link', { hasText: 'DB-3' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), 'https://jira.example.com/browse/DB-3');
  });

  test('Reports group by ticket and filter by one', async () => {
    await page.goto(`${server.baseUrl}/reports?group=ticket`);
    await waitReportTotal(page, '4:00');
    const rows = await page.locator('table.report-table tbody tr th').allTextContents();
    const names = rows.map((t) => t.trim());
    for (const want of ['OPS-12', 'infra/vpn#7', 'DB-3', '(no ticket)']) {
      assert.ok(names.some((n) => n.includes(want)), `${want} in ${names.join(' | ')}`);
    }
    assert.ok(await page.getByText('An entry with several tickets counts under each of them').isVisible());
    await page.getByRole('searchbox', { name: 'Ticket' }).fill('ops-12');
    await page.waitForURL((url) => url.searchParams.get('ticket') === 'ops-12');
    await waitReportTotal(page, '3:00');
    // Nothing left the server but the tab the first test opened on purpose.
    const foreign = foreignRequests(ctx.requests, server.baseUrl);
    assert.deepEqual(foreign.filter((u) => u !== 'https://jira.example.com/browse/OPS-12'), []);
  });
});
