// Browser tests for the Reports page (issue 15): one bar per day of the range (per week for a long
// one), a table whose totals are the seeded hours (an entry across local midnight counted inside
// the range only), a second grouping nesting rows, filters in the URL surviving reload and Back,
// the empty state and a refused range, keyboard moves between the bars, what a member sees, the
// phone layout and the printed page. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./reports.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST): local times below are turned into UTC by
// taking nine hours off, whatever zone the browser runs in. Entries later this week are made
// with `confirm: true` (a day after tomorrow needs it).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk, waitReportTotal } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ZONE = 'Asia/Tokyo';
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: ZONE };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };
const LOCALE = { locale: 'en-US' };

/** An instant (RFC 3339, UTC) from a Tokyo wall-clock time on `date`; `hour` may pass 24. */
function tokyo(date, hour, minute = 0) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hour - 9, minute)).toISOString().replace(/\.000Z$/, 'Z');
}

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
const param = (page, key) => new URL(page.url()).searchParams.get(key);

/** The cells of the table's total row: [label, hours, billable, amount, entries]. */
async function totalRow(page) {
  const cells = page.locator('table.report-table tfoot tr > *');
  return (await cells.allTextContents()).map((t) => t.trim());
}

/** The table's rows as [name, hours] pairs; second-group rows start with "  ". */
async function tableRows(page) {
  return page.locator('table.report-table tbody tr').evaluateAll((rows) => rows.map((tr) => {
    const name = tr.querySelector('th').textContent.replace(/^.*› /, '').trim();
    return [`${tr.classList.contains('report-subrow') ? '  ' : ''}${name}`, tr.querySelector('td').textContent.trim()];
  }));
}

describe('the Reports page', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let member;
  const ids = {};
  const monday = mondayOf(dayIn(ZONE));
  const day = (i) => addDays(monday, i); // 0 = this Monday … 6 = this Sunday; -1 = last Sunday

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, LOCALE);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const ok = (method, path, body) => apiOk(page, method, path, body);

    // A member, signed in in a context of their own.
    const created = await ok('POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: ZONE });
    ids.member = created.user.id;
    member = await recordingContext(browser, LOCALE);
    member.page = await member.context.newPage();
    await member.page.goto(`${server.baseUrl}/login`);
    const token = new URL(created.reset_link.url).hash.replace('#token=', '');
    await apiOk(member.page, 'POST', '/api/v1/password-reset', { token, new_password: MEMBER.password });
    await member.page.getByLabel('Email').fill(MEMBER.email);
    await member.page.getByLabel('Password').fill(MEMBER.password);
    await member.page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(member.page, '/dashboard');

    // Backups (billable, €100 an hour, client Acme) and Website (not billable).
    const acme = await ok('POST', '/api/v1/clients', { name: 'Acme' });
    ids.backups = (await ok('POST', '/api/v1/projects', {
      name: 'Backups', client_id: acme.id, color: '#2563eb', billable: true, rate_cents: 10000, currency: 'EUR', member_ids: [ids.member],
    })).id;
    ids.website = (await ok('POST', '/api/v1/projects', { name: 'Website', color: '#c2410c', billable: false })).id;

    const entry = (who, projectId, start, end, tags = []) => apiOk(who, 'POST', '/api/v1/entries', {
      project_id: projectId, start, end, tags, note: 'seeded', confirm: true,
    });
    // This week: Mon 3:30 (2:30 + 1:00 of the entry from Sunday night), Tue 2:00 and Wed 1:30
    // (one entry across midnight), Thu 1:15, Fri 2:00 (the member's): 10:15, billable 6:45.
    await entry(page, ids.backups, tokyo(day(0), 9), tokyo(day(0), 11, 30), ['ops']);
    await entry(page, ids.website, tokyo(day(1), 22), tokyo(day(1), 25, 30), ['design']);
    await entry(page, ids.backups, tokyo(day(3), 9), tokyo(day(3), 10, 15), ['ops', 'design']);
    await entry(page, ids.backups, tokyo(day(-1), 23), tokyo(day(-1), 25));
    await entry(member.page, ids.backups, tokyo(day(4), 9), tokyo(day(4), 11));
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('Reports follows Entries in the navigation; this week has a bar per day and the seeded totals', async () => {
    const page = admin.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = (await nav.getByRole('link').allTextContents()).map((t) => t.trim());
    assert.equal(links.indexOf('Reports'), links.indexOf('Entries') + 1, links.join(', '));
    await nav.getByRole('link', { name: 'Reports' }).click();
    await waitForPath(page, '/reports');
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await waitReportTotal(page, '10:15');
    assert.equal(page.url(), `${server.baseUrl}/reports`, 'the default report keeps the URL clean');

    // The bar chart: seven days, Monday first, each saying its hours.
    const bars = page.locator('.report-chart .chart-bar');
    assert.equal(await bars.count(), 7);
    const labels = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(labels.map((l) => l.replace(/^.*: /, '')), ['3:30', '2:00', '1:30', '1:15', '2:00', '0:00', '0:00']);
    assert.match(labels[0], /^Mon, /);
    await page.getByRole('group', { name: /^Hours per day, / }).waitFor();

    // The table: one row per project, largest first; the total row.
    assert.deepEqual(await tableRows(page), [['Backups', '6:45'], ['Website', '3:30']]);
    assert.deepEqual(await totalRow(page), ['Total', '10:15', '6:45', '€675.00', '5']);
    const figures = await page.locator('.report-totals .report-total').evaluateAll((els) => els.map((e) => `${e.querySelector('dt').textContent} ${e.querySelector('dd').textContent}`));
    assert.deepEqual(figures, ['Total 10:15', 'Billable 6:45', 'Amount €675.00', 'Entries 5']);

    // The breakdown: shares of the time, adding up to 100 %.
    const legend = await page.locator('.report-breakdown .chart-legend li').evaluateAll((els) => els.map((e) => [...e.children].map((c) => c.textContent).join(' ').trim()));
    assert.deepEqual(legend, ['Backups 6:45 · 66%', 'Website 3:30 · 34%']);
    const range = await page.locator('#report-title').textContent();
    await page.getByRole('img', { name: `Time by project, ${range}`, exact: true }).waitFor();
  });

  test('g r opens Reports; the bars take the keyboard: one Tab stop, arrows, Home and End', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries`);
    await page.getByRole('heading', { name: 'Entries', level: 1 }).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    assert.deepEqual(await help.getByRole('row').filter({ hasText: 'Go to Reports' }).locator('kbd').allTextContents(), ['g', 'r']);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('g');
    await page.keyboard.press('r');
    await waitForPath(page, '/reports');
    await waitReportTotal(page, '10:15');
    const focused = () => page.evaluate(() => document.activeElement.getAttribute('aria-label') || '');
    assert.equal(await page.locator('.chart-bar[tabindex="0"]').count(), 1, 'one Tab stop for the chart');
    await page.locator('.chart-bar[tabindex="0"]').focus();
    assert.match(await focused(), /^Mon, .*: 3:30$/);
    await page.keyboard.press('ArrowRight');
    assert.match(await focused(), /^Tue, .*: 2:00$/);
    assert.match(await page.locator('.chart-readout').textContent(), /^Tue, .*: 2:00 \(2\.00 h\)$/);
    await page.keyboard.press('End');
    assert.match(await focused(), /^Sun, .*: 0:00$/);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    assert.match(await focused(), /^Mon, /, 'the first bar stays first');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement.querySelector('.chart-hit')).stroke);
    assert.notEqual(ring, 'none', 'the focused bar shows a ring');
    assert.equal(await page.locator('.chart-bar[tabindex="0"]').count(), 1);

    // The chart's numbers as a table, folded under it.
    await page.getByText('Hours per day as a table').click();
    const rows = page.locator('.chart-data table tbody tr');
    assert.equal(await rows.count(), 7);
    assert.match(await text(rows.first().locator('th')), /^Mon, /);
    assert.equal(await text(rows.first().locator('td')), '3:30');
  });

  test('a second grouping nests its rows; grouping by person alone lists people', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '10:15');
    await page.getByLabel('Then by').selectOption({ label: 'Person' });
    await page.waitForFunction(() => document.querySelectorAll('tr.report-subrow').length === 3);
    assert.equal(param(page, 'group'), 'project,user');
    assert.deepEqual(await tableRows(page), [
      ['Backups', '6:45'], ['  Grace Hopper', '4:45'], ['  Alan Turing', '2:00'],
      ['Website', '3:30'], ['  Grace Hopper', '3:30'],
    ]);
    assert.equal((await page.locator('table.report-table thead th').first().textContent()).trim(), 'Project › Person');
    assert.deepEqual(await totalRow(page), ['Total', '10:15', '6:45', '€675.00', '5']);

    await page.getByLabel('Group by').selectOption({ label: 'Person' });
    await page.waitForFunction(() => document.querySelectorAll('tr.report-subrow').length === 0
      && document.querySelector('table.report-table thead th').textContent === 'Person');
    assert.equal(param(page, 'group'), 'user', 'the same grouping twice is dropped');
    assert.equal(await page.getByLabel('Then by').inputValue(), '');
    assert.deepEqual(await tableRows(page), [['Grace Hopper', '8:15'], ['Alan Turing', '2:00']]);

    // By tag: an entry with two tags counts under both, the total once.
    await page.goto(`${server.baseUrl}/reports?group=tag`);
    await waitReportTotal(page, '10:15');
    assert.deepEqual(await tableRows(page), [['design', '4:45'], ['ops', '3:45'], ['(no tag)', '3:00']]);
    await page.getByText('An entry with several tags counts under each of them').waitFor();
  });

  test('filters live in the URL: reload keeps them, Back undoes them', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '10:15');
    await page.getByLabel('Billable', { exact: true }).selectOption({ label: 'Billable' });
    await waitReportTotal(page, '6:45');
    assert.equal(param(page, 'billable'), 'true');
    assert.equal(await page.locator('.report-filters-box .filters-toggle').textContent(), 'Filters (1 active)', 'the phones’ disclosure counts it');

    // The Person menu is filled when it is about to be used.
    await page.getByLabel('Person').focus();
    await page.locator('select[name="user_id"] option', { hasText: MEMBER.name }).waitFor({ state: 'attached' });
    await page.getByLabel('Person').selectOption({ label: MEMBER.name });
    await waitReportTotal(page, '2:00');
    assert.equal(param(page, 'user_id'), ids.member);

    await page.reload();
    await waitReportTotal(page, '2:00');
    assert.equal(await page.getByLabel('Billable', { exact: true }).inputValue(), 'true');
    await page.waitForFunction((id) => document.querySelector('select[name="user_id"]').value === id
      && document.querySelector('select[name="user_id"]').selectedOptions[0].textContent === 'Alan Turing', ids.member);
    assert.match(await page.locator('.report-meta').textContent(), /Person: Alan Turing · Billable only/);

    await page.goBack();
    await waitReportTotal(page, '6:45');
    assert.equal(param(page, 'user_id'), null);
    await page.goBack();
    await waitReportTotal(page, '10:15');
    assert.equal(param(page, 'billable'), null);
    assert.equal(await page.getByLabel('Billable', { exact: true }).inputValue(), '');
    await page.goForward();
    await waitReportTotal(page, '6:45');

    // Typing in the search narrows after a pause and replaces the history entry.
    await page.goto(`${server.baseUrl}/reports?group=project`);
    await waitReportTotal(page, '10:15');
    await page.getByLabel('Search notes').fill('nothing like this');
    await page.getByText('No time matches these filters').waitFor();
    assert.equal(param(page, 'q'), 'nothing like this');
    await page.locator('.empty').getByRole('button', { name: 'Clear filters' }).click();
    await waitReportTotal(page, '10:15');
    assert.equal(page.url(), `${server.baseUrl}/reports`);
  });

  test('periods: last week, custom days, a long range drawn per week, an empty and a refused range', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '10:15');
    await page.getByLabel('Period').selectOption({ label: 'Last week' });
    // Only the hour before midnight of last Sunday's entry is last week's.
    await waitReportTotal(page, '1:00');
    assert.equal(param(page, 'range'), 'last-week');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), day(-7));
    assert.equal(await page.locator('.report-chart .chart-bar').count(), 7);

    await page.goto(`${server.baseUrl}/reports?from=${day(1)}&to=${day(3)}`);
    await waitReportTotal(page, '4:45');
    assert.equal(await page.getByLabel('Period').inputValue(), 'custom');
    assert.equal(await page.locator('.report-chart .chart-bar').count(), 3);

    // 77 days: eleven weeks, one bar each.
    await page.goto(`${server.baseUrl}/reports?from=${day(-70)}&to=${day(6)}`);
    await waitReportTotal(page, '11:15');
    assert.equal(await page.locator('.report-chart h3').textContent(), 'Hours per week');
    assert.equal(await page.locator('.report-chart .chart-bar').count(), 11);

    await page.goto(`${server.baseUrl}/reports?from=2021-03-01&to=2021-03-07`);
    await page.getByText('Nothing tracked in this period').waitFor();
    assert.equal(await page.locator('.report-body').isVisible(), false);

    // The server refuses a range that ends before it starts: the message is next to "To".
    await page.goto(`${server.baseUrl}/reports?from=${day(3)}&to=${day(1)}`);
    const toError = page.locator('.field').filter({ has: page.getByLabel('To', { exact: true }) }).locator('.field-error');
    await toError.waitFor();
    assert.equal(await toError.textContent(), 'The last day must be on or after the first');
    // Typed in the form, the same mistake is caught before asking.
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '10:15');
    await page.getByLabel('To', { exact: true }).fill(day(-3));
    await page.getByText('The last day must be on or after the first').waitFor();
    assert.equal(page.url(), `${server.baseUrl}/reports`, 'an invalid range is not written to the URL');
  });

  test('a member sees only their own time, and no Person filter', async () => {
    const page = member.page;
    await page.goto(`${server.baseUrl}/reports`);
    await waitReportTotal(page, '2:00');
    assert.equal(await page.getByLabel('Person').count(), 0);
    assert.deepEqual(await tableRows(page), [['Backups', '2:00']]);
  });

  test('on a phone nothing scrolls sideways; the table scrolls in its own box', async () => {
    const page = admin.page;
    try {
      for (const width of [390, 360]) {
        await page.setViewportSize({ width, height: 844 });
        await page.goto(`${server.baseUrl}/reports?group=project,user`);
        await waitReportTotal(page, '10:15');
        const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        assert.ok(size.scroll <= size.inner, `the page is ${size.scroll} px wide at ${width} px`);
        const bars = await page.locator('.report-chart .chart-bar-rect').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
        assert.ok(bars.every((r) => r <= width), 'every bar is on screen');
        assert.equal(await page.getByLabel('Search notes').isVisible(), false, 'the filters fold away');
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('printing shows the title, range, charts and table, without navigation or filters', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/reports?group=project,user`);
    await waitReportTotal(page, '10:15');
    await page.emulateMedia({ media: 'print' });
    try {
      for (const hidden of ['.topbar', 'nav.nav', '.report-filters-box', '.page-head .btn', '.chart-data']) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
      }
      for (const shown of ['main h1', '#report-title', '.report-meta', '.report-chart svg', '.report-breakdown svg', 'table.report-table']) {
        assert.equal(await page.locator(shown).first().isVisible(), true, `${shown} is printed`);
      }
      const rows = await page.locator('table.report-table tr').evaluateAll((els) => els.map((e) => getComputedStyle(e).breakInside));
      assert.ok(rows.every((b) => b === 'avoid'), 'rows are not cut between pages');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      assert.ok(pdf.length > 5000);
      assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length, 1, 'one A4 page');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    for (const who of [admin, member]) {
      assert.ok(who.requests.length > 10, `only ${who.requests.length} requests were recorded`);
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
