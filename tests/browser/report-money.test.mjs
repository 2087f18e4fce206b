// Browser tests for money on the Reports page (issue 15): a project billed "up 15 per entry"
// makes a Billed column (rounded hours) beside Hours, with a note saying why; a project with a
// budget shows its bar in the Budgets section under the table, with its tasks against their
// estimates (flagged when over); without rounding there is no Billed column; the printed page
// keeps both. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./report-money.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST): local times are turned into UTC by taking nine
// hours off.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, waitReportTotal } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ZONE = 'Asia/Tokyo';
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: ZONE };

function tokyo(date, hour, minute = 0) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hour - 9, minute)).toISOString().replace(/\.000Z$/, 'Z');
}

/** The table's rows (and the total row) as arrays of cell texts. */
async function cells(page, part) {
  return page.locator(`table.report-table ${part} tr`).evaluateAll((rows) => rows.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

describe('money on the Reports page', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin;
  const monday = mondayOf(dayIn(ZONE));
  const day = (i) => addDays(monday, i);

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-US' });
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(admin.page, method, path, body);
    // Backups: €100 an hour, billed up to 15 minutes per entry, a 4 h budget, a task over its
    // estimate. Website: no rounding, no budget.
    const backups = await ok('POST', '/api/v1/projects', {
      name: 'Backups', color: '#2563eb', billable: true, rate_cents: 10000, currency: 'EUR',
      rounding: 'up 15 per entry', budget: { seconds: 14400, alert_percent: 80 },
    });
    const website = await ok('POST', '/api/v1/projects', { name: 'Website', color: '#c2410c', billable: false });
    const drill = await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Restore drill', estimate_secs: 3600 });
    await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'No estimate here' });
    const entry = (p, start, end, task) => ok('POST', '/api/v1/entries', {
      project_id: p.id, task_id: task ? task.id : undefined, start, end, confirm: true,
    });
    // Backups 1:10 (billed 1:15, on the drill) and 0:20 (billed 0:30): 1:30, billed 1:45, €175.
    // Website 2:00, not billable.
    await entry(backups, tokyo(day(0), 9), tokyo(day(0), 10, 10), drill);
    await entry(backups, tokyo(day(1), 9), tokyo(day(1), 9, 20));
    await entry(website, tokyo(day(2), 9), tokyo(day(2), 11));
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('rounding shows a Billed column beside Hours, with the rounded figures and a note', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '3:30');
    assert.deepEqual(await cells(page, 'thead'), [['Project', 'Hours', 'Billed', 'Billable', 'Amount', 'Entries']]);
    assert.deepEqual(await cells(page, 'tbody'), [
      ['Website', '2:00', '2:00', '0:00', '—', '1'],
      ['Backups', '1:30', '1:45', '1:30', '€175.00', '2'],
    ]);
    assert.deepEqual(await cells(page, 'tfoot'), [['Total', '3:30', '3:45', '1:30', '€175.00', '3']]);
    const figures = await page.locator('.report-totals .report-total').evaluateAll((els) => els.map((e) => `${e.querySelector('dt').textContent} ${e.querySelector('dd').textContent}`));
    assert.deepEqual(figures, ['Total 3:30', 'Billed 3:45', 'Billable 1:30', 'Amount €175.00', 'Entries 3']);
    await page.getByText('Billed time is rounded as each project says.').waitFor();
  });

  test('a budget shows its bar in the Budgets section, with the tasks that have an estimate', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '3:30');
    const section = page.getByRole('region', { name: 'Budgets' });
    const items = section.locator('.budget-item');
    assert.equal(await items.count(), 1, 'only Backups has a budget');
    assert.equal((await items.locator('.budget-name').textContent()).trim(), 'Backups');
    assert.equal(await items.locator('.budget-words').evaluate((el) => el.firstChild.textContent), '1:30 of 4:00 h · 37 %');
    assert.equal(await items.locator('.budget').getAttribute('class'), 'budget budget-ok');
    const tasks = await items.locator('.estimate-table tbody tr').evaluateAll((rows) => rows.map((tr) => [
      tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map((td) => td.textContent.trim()), tr.className,
    ]));
    assert.deepEqual(tasks, [['Restore drill', '1:00', '1:10', '116 % · Over by 0:10', 'is-over']]);
  });

  test('without rounding in the report there is no Billed column, and no Budgets without a budget', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?from=${day(2)}&to=${day(2)}`);
    await waitReportTotal(page, '2:00');
    assert.deepEqual(await cells(page, 'thead'), [['Project', 'Hours', 'Billable', 'Amount', 'Entries']]);
    assert.equal(await page.getByText('Billed time is rounded as each project says.').isVisible(), false);
    assert.equal(await page.locator('.report-budgets').isVisible(), false);
  });

  test('the printed page keeps the Billed column and the Budgets', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '3:30');
    await page.emulateMedia({ media: 'print' });
    try {
      for (const shown of ['table.report-table', '.report-budgets', '.report-budgets .budget-track', '.report-budgets .estimate-table']) {
        assert.equal(await page.locator(shown).first().isVisible(), true, `${shown} is printed`);
      }
      assert.equal(await page.locator('table.report-table thead th', { hasText: 'Billed' }).isVisible(), true);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
