// Browser tests for the Reports page's Detailed and Weekly views (issue 15): the summary flags
// overlapping entries and links to them in the Detailed view; the Detailed view lists the right
// entries with overlap badges and totals and pages with "Load more"; the Weekly view has a cell
// per person and day with row and column totals and moves between weeks; the tabs keep the
// filters in the URL and the back button returns to the view before; printing hides the tabs.
// Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./report-views.test.mjs
//
// Every zone is UTC. This week's entries are on its Monday and Tuesday (a day after tomorrow
// needs `confirm: true`, which every entry here carries); 105 short entries last week page the
// Detailed view.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843', zone: 'UTC' };
const LOCALE = { locale: 'en-US' };
const param = (page, key) => new URL(page.url()).searchParams.get(key);

/** The figures above a view's table: "label value" each. */
async function totals(page) {
  return page.locator('.report-view .report-total').evaluateAll((els) => els.map((e) => `${e.querySelector('dt').textContent} ${e.querySelector('dd').textContent}`));
}

describe('the Detailed and Weekly reports', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin;
  const ids = {};
  const monday = mondayOf(dayIn('UTC'));

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, LOCALE);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);
    ids.backups = (await ok('POST', '/api/v1/projects', {
      name: 'Backups', color: '#1b7036', billable: true, rate_cents: 10000, currency: 'EUR',
    })).id;
    ids.website = (await ok('POST', '/api/v1/projects', { name: 'Website', color: '#c2410c', billable: false })).id;
    ids.support = (await ok('POST', '/api/v1/projects', { name: 'Support', color: '#5f3dc4', billable: false })).id;
    const entry = (project, date, from, to, note, extra = {}) => ok('POST', '/api/v1/entries', {
      project_id: project, start: `${date}T${from}:00Z`, end: `${date}T${to}:00Z`, note, confirm: true, ...extra,
    });
    // Ada: Monday 09:00–11:00 on Backups and 10:00–12:00 on Website (they overlap); Tuesday
    // 1:30 on Website.
    await entry(ids.backups, monday, '09:00', '11:00', 'rotated keys');
    await entry(ids.website, monday, '10:00', '12:00', 'new landing page');
    await entry(ids.website, addDays(monday, 1), '13:00', '14:30', 'copy edits');
    // Last week: 105 entries of five minutes on Support, Monday from 08:00.
    const lastMonday = addDays(monday, -7);
    await page.evaluate(async ({ project, date }) => {
      for (let i = 0; i < 105; i += 1) {
        const start = new Date(Date.parse(`${date}T08:00:00Z`) + i * 300_000);
        const end = new Date(start.getTime() + 300_000);
        const res = await fetch('/api/v1/entries', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ project_id: project, start: start.toISOString(), end: end.toISOString(), note: `ticket ${i + 1}`, confirm: true }),
        });
        if (!res.ok) throw new Error(`entry ${i}: ${res.status}`);
      }
    }, { project: ids.support, date: lastMonday });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the summary flags overlapping entries and links to them in the Detailed view', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    const flag = page.locator('.report-overlaps');
    await flag.getByText('2 entries overlap another entry of the same person.').waitFor();
    await flag.getByRole('link', { name: 'See them in the detailed view' }).click();
    await page.locator('table.report-detailed tbody tr').first().waitFor();
    assert.equal(param(page, 'view'), 'detailed');
    await page.getByRole('link', { name: 'Detailed', exact: true }).and(page.locator('[aria-current="page"]')).waitFor();

    // Newest first; the Monday pair carries the badge; hours and money inside the range.
    const rows = await page.locator('table.report-detailed tbody tr').evaluateAll((trs) => trs.map((tr) => [
      tr.querySelector('.cell-note').textContent.trim(),
      tr.querySelector('.cell-hours').textContent.trim(),
      tr.querySelector('.cell-amount').textContent.trim(),
      Boolean(tr.querySelector('.badge-warn')),
    ]));
    assert.deepEqual(rows, [
      ['copy edits', '1:30', '—', false],
      ['new landing page', '2:00', '—', true],
      ['rotated keys', '2:00', '€200.00', true],
    ]);
    assert.deepEqual(await totals(page), ['Total 5:30', 'Billable 2:00', 'Amount €200.00', 'Entries 3']);
    await page.getByText('2 entries overlap another entry of the same person (marked “overlaps”)', { exact: false }).waitFor();
    assert.equal(await page.locator('.report-more').isVisible(), false, 'one page holds them all');

    // The back button returns to the summary.
    await page.goBack();
    await waitForPath(page, '/reports');
    assert.equal(param(page, 'view'), null);
    await page.locator('table.report-table tfoot').waitFor();
  });

  test('the Detailed view pages with Load more and keeps the filters', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?view=detailed&range=last-week&project_id=${ids.support}`);
    const rows = page.locator('table.report-detailed tbody tr');
    await page.getByText('Showing 100 of 105 entries').waitFor();
    assert.equal(await rows.count(), 100);
    assert.equal(await rows.first().locator('.cell-note').textContent(), 'ticket 105');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Showing 105 of 105 entries').waitFor();
    assert.equal(await rows.count(), 105);
    assert.equal(await rows.last().locator('.cell-note').textContent(), 'ticket 1');
    assert.equal(await page.getByRole('button', { name: 'Load more' }).isVisible(), false);
    assert.deepEqual((await totals(page))[0], 'Total 8:45');
    // The Weekly tab keeps the period and the project.
    await page.getByRole('link', { name: 'Weekly', exact: true }).click();
    await page.locator('table.report-weekly').waitFor();
    assert.equal(param(page, 'range'), 'last-week');
    assert.equal(param(page, 'project_id'), ids.support);
  });

  test('the Weekly view has a cell per person and day with row and column totals', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await page.getByRole('link', { name: 'Weekly', exact: true }).click();
    const grid = page.locator('table.report-weekly');
    await grid.waitFor();
    assert.equal(param(page, 'view'), 'weekly');
    const cells = async () => grid.locator('tbody tr, tfoot tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    // Overlapping time counts for each entry, as in the summary.
    assert.deepEqual(await cells(), [
      ['Ada Lovelace', '4:00', '1:30', '—', '—', '—', '—', '—', '5:30'],
      ['Total', '4:00', '1:30', '—', '—', '—', '—', '—', '5:30'],
    ]);
    const heads = await grid.locator('thead th').allTextContents();
    assert.equal(heads.length, 9);
    assert.match(heads[1], /^Mon \d+$/);

    // The week before: the Support tickets, Monday only.
    await page.getByRole('link', { name: '‹ Previous week' }).click();
    await page.waitForFunction(() => document.querySelector('table.report-weekly tbody th')
      && document.querySelector('table.report-weekly tfoot td').textContent.trim() === '8:45');
    assert.equal(param(page, 'from'), addDays(monday, -7));
    assert.deepEqual((await cells())[0], ['Ada Lovelace', '8:45', '—', '—', '—', '—', '—', '—', '8:45']);
    // A person opens their entries of that week.
    await grid.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByText('Showing 100 of 105 entries').waitFor();
    assert.equal(param(page, 'view'), 'detailed');
    assert.equal(param(page, 'user_id') !== null, true);
    // Back to the grid.
    await page.goBack();
    await grid.waitFor();
    assert.equal(param(page, 'view'), 'weekly');
  });

  test('printing a view hides the tabs and the paging, and keeps the table', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?view=weekly`);
    await page.locator('table.report-weekly').waitFor();
    await page.emulateMedia({ media: 'print' });
    try {
      assert.equal(await page.locator('.report-tabs').isVisible(), false);
      assert.equal(await page.locator('.report-week-nav .btn').first().isVisible(), false);
      assert.equal(await page.locator('table.report-weekly').isVisible(), true);
      await page.goto(`${server.baseUrl}/reports?view=detailed`);
      await page.locator('table.report-detailed tbody tr').first().waitFor();
      assert.equal(await page.locator('.report-tabs').isVisible(), false);
      assert.equal(await page.locator('table.report-detailed').isVisible(), true);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
