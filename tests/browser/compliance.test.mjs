// Browser tests for the compliance admin pages: Security events (a failed sign-in from another
// browser shows up with its IP, and the kind filter narrows the table and lives in the URL),
// Retention & holds (an admin places a project hold — an empty reason is refused next to the
// field first — and releases it with a reason), and an auditor who reads both pages without
// the admin actions. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./compliance.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiCall, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Europe/Berlin' };
const AUDITOR = { name: 'Katherine Johnson', email: 'katherine@example.com', password: 'hidden figures 1962' };

describe('the Security events and Retention & holds pages', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let auditor;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
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

  test('a failed sign-in shows on Security events with its IP, and the kind filter narrows the table via the URL', async () => {
    // Arrange: someone else types the admin's email with a wrong password, in another browser.
    const other = await browser.newContext();
    const stranger = await other.newPage();
    await stranger.goto(`${server.baseUrl}/login`);
    const refused = await apiCall(stranger, 'POST', '/api/v1/session', { email: ADMIN.email, password: 'not the password' });
    assert.equal(refused.status, 401);
    await other.close();

    // Act: the admin opens Security events from the navigation.
    const page = admin.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    // The shell is drawn once the page's module has loaded.
    await nav.getByRole('link', { name: 'Audit log' }).waitFor();
    const links = await nav.getByRole('link').allTextContents();
    const audit = links.indexOf('Audit log');
    assert.deepEqual(links.slice(audit - 2, audit + 1), ['Retention & holds', 'Security events', 'Audit log']);
    await nav.getByRole('link', { name: 'Security events' }).click();
    await waitForPath(page, '/admin/security');
    await page.getByRole('heading', { name: 'Security events', level: 1 }).waitFor();
    await page.getByText('Viewing this page is itself recorded in the audit log.').waitFor();

    // Assert: the failed sign-in is listed, named and located.
    const failed = page.locator('tr.sec-row[data-kind="login_failed"]');
    await failed.first().waitFor();
    assert.equal(await failed.count(), 1);
    assert.equal(await failed.locator('.sec-kind').textContent(), 'Sign-in failed');
    assert.equal(await failed.locator('td[data-label="Person"]').textContent(), ADMIN.name);
    assert.equal(await failed.locator('td[data-label="IP"]').textContent(), '127.0.0.1');
    assert.match(await failed.locator('td[data-label="Details"]').textContent(), /wrong password/);
    assert.match(await failed.locator('td[data-label="Browser"] span[title]').getAttribute('title'), /Mozilla\/5\.0/);
    const all = await page.locator('tr.sec-row').count();
    assert.ok(all > 1, `more than the failure is listed (${all} rows)`);

    // Filter by kind: the table narrows and the URL says so.
    await page.getByLabel('Event').selectOption({ label: 'Sign-in failed' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/security' && url.searchParams.get('kind') === 'login_failed');
    // The filtered page replaces the table: wait for its rows, not the old ones.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('tr.sec-row')];
      return rows.length > 0 && rows.every((r) => r.dataset.kind === 'login_failed');
    });
    assert.deepEqual(await page.locator('tr.sec-row').evaluateAll((rows) => rows.map((r) => r.dataset.kind)), ['login_failed']);
    assert.equal(await page.getByLabel('Event').inputValue(), 'login_failed');

    // A reload keeps the filter; Clear drops it.
    await page.reload();
    await page.locator('tr.sec-row').first().waitFor();
    assert.equal(await page.locator('tr.sec-row').count(), 1);
    await page.getByRole('link', { name: 'Clear' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/security' && url.search === '');
    await page.waitForFunction((n) => document.querySelectorAll('tr.sec-row').length >= n, all);

    // An address nothing came from: the empty state says the filters are why.
    await page.getByLabel('IP address').fill('203.0.113.7');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No security events match these filters').waitFor();
    assert.equal(await page.locator('tr.sec-row').count(), 0);
    // A date that does not exist (typed into the URL): the error sits at its field.
    await page.goto(`${server.baseUrl}/admin/security?from=2026-02-30`);
    await page.locator('input[name="from"][aria-invalid="true"]').waitFor();
    assert.equal(await page.locator('table').first().isVisible(), false, 'no table under a refused filter');

    // Viewing is audited.
    const viewed = await apiOk(page, 'GET', '/api/v1/audit?action=security_events.viewed');
    assert.ok(viewed.items.length >= 2, 'each first page read is recorded');
  });

  test('an admin places a project hold (an empty reason is refused at the field first) and releases it', async () => {
    const page = admin.page;
    await apiOk(page, 'POST', '/api/v1/projects', { name: 'Website relaunch' });
    await page.goto(`${server.baseUrl}/admin/retention`);
    await page.getByRole('heading', { name: 'Retention & holds', level: 1 }).waitFor();
    await page.locator('tr[data-category="security_events"]').waitFor();
    assert.equal(await page.locator('tr[data-category="security_events"] td[data-label="Kept for"] span[title]').first().textContent(), '90 days');
    await page.getByText('No legal holds').waitFor();

    // An empty reason: the server's field error shows under Reason, and nothing is created.
    await page.getByRole('button', { name: 'Place hold' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Place a legal hold' });
    await dialog.getByLabel('What to hold').selectOption('project');
    await dialog.getByLabel('Project name').fill('Website relaunch');
    await dialog.getByRole('button', { name: 'Place hold' }).click();
    const reasonField = dialog.locator('.field', { has: page.getByLabel('Reason') });
    const error = reasonField.locator('.field-error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'Say why the data must be kept');
    assert.equal(await dialog.getByLabel('Reason').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.locator('.field-error:not([hidden])').count(), 1, 'only the reason is wrong');
    assert.deepEqual((await apiOk(page, 'GET', '/api/v1/holds')).items, []);
    assert.equal(await dialog.getByLabel('Project name').inputValue(), 'Website relaunch', 'the form keeps its content');

    // With a reason, the hold is placed and listed as active.
    await dialog.getByLabel('Reason').fill('Contract dispute, case 2026-17');
    await dialog.getByRole('button', { name: 'Place hold' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.toast', { hasText: 'Hold placed on project Website relaunch' }).waitFor();
    const row = page.locator('tr.hold-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('.hold-status').textContent(), 'Active');
    assert.equal(await row.locator('td[data-label="Covers"]').textContent(), 'project Website relaunch');
    assert.equal(await row.locator('td[data-label="Reason"]').textContent(), 'Contract dispute, case 2026-17');
    assert.match(await row.locator('td[data-label="Placed"]').textContent(), /by you$/);
    assert.equal(await row.locator('td[data-label="Ends"]').textContent(), 'Until released');

    // Release asks why; an empty answer is refused at the field, then it is released.
    await page.getByRole('button', { name: 'Release the hold on project Website relaunch' }).click();
    const release = page.getByRole('dialog', { name: 'Release legal hold' });
    await release.getByRole('button', { name: 'Release hold' }).click();
    await release.getByText('Say why the hold is released').waitFor();
    await release.getByLabel('Why is it released?').fill('Dispute settled');
    await release.getByRole('button', { name: 'Release hold' }).click();
    await release.waitFor({ state: 'hidden' });
    await page.locator('tr.hold-row[data-status="released"]').waitFor();
    assert.equal(await row.locator('.hold-status').textContent(), 'Released');
    assert.match(await row.locator('td[data-label="Status"]').textContent(), /by you$/);
    assert.equal(await page.getByRole('button', { name: /^Release the hold/ }).count(), 0);
    const [hold] = (await apiOk(page, 'GET', '/api/v1/holds')).items;
    assert.equal(hold.status, 'released');
    const released = await apiOk(page, 'GET', '/api/v1/audit?action=hold.released');
    assert.equal(released.items.length, 1);
  });

  test('Run retention now asks first with the counts, and shows what the run removed', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/retention`);
    await page.locator('tr[data-category="logs"]').waitFor();
    await page.getByRole('button', { name: 'Run retention now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run retention now' });
    await dialog.waitFor();
    // Nothing is old enough on a fresh instance: the dialog says so instead of listing counts.
    await dialog.getByText('Nothing is due for removal; a run now removes nothing.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('.ret-done').count(), 0, 'cancel runs nothing');

    await page.getByRole('button', { name: 'Run retention now' }).click();
    await dialog.getByRole('button', { name: 'Run anyway' }).click();
    await page.locator('.ret-done', { hasText: /^Retention ran at .* and removed nothing\.$/ }).waitFor();
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('.toast', { hasText: 'Preview refreshed; nothing was removed' }).waitFor();
  });

  test('an admin changes a rule on the page (a bad rule is refused at the field) and gives it back to the config', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/retention`);
    const row = page.locator('tr[data-category="tasks"]');
    await row.waitFor();
    assert.match(await row.locator('td[data-label="Kept for"]').textContent(), /Forever/);
    await row.getByRole('button', { name: 'Change the rule for tasks and comments' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retention of tasks and comments' });
    await dialog.getByLabel('Keep for').fill('18 months');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.locator('.field-error', { hasText: /unit/ }).waitFor();
    await dialog.getByLabel('Keep for').fill('18mo');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('td[data-label="Kept for"]', { hasText: '18 months' }).waitFor();
    await row.getByText('set here').waitFor();
    const changed = await apiOk(page, 'GET', '/api/v1/audit?action=retention.rule_changed');
    assert.deepEqual(changed.items[0].body, { category: 'tasks', from: 'forever', to: '18mo', source: 'admin' });

    await row.getByRole('button', { name: 'Change the rule for tasks and comments' }).click();
    await dialog.getByRole('button', { name: 'Use the configuration’s rule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('td[data-label="Kept for"]', { hasText: 'Forever' }).waitFor();
    assert.equal(await row.getByText('set here').count(), 0);
  });

  test('an auditor reads both pages without the admin actions', async () => {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: AUDITOR.name, email: AUDITOR.email, role: 'auditor', time_zone: 'America/Chicago' });
    await apiOk(admin.page, 'POST', '/api/v1/holds', { kind: 'user', target: AUDITOR.email, reason: 'HR case 31' });
    auditor = await recordingContext(browser);
    const page = await auditor.context.newPage();
    auditor.page = page;
    await page.goto(created.reset_link.url);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(AUDITOR.password);
    await page.getByLabel('Confirm new password').fill(AUDITOR.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await waitForPath(page, '/login');
    await page.getByLabel('Email').fill(AUDITOR.email);
    await page.getByLabel('Password').fill(AUDITOR.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(page, '/dashboard');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await waitForPath(page, '/admin/audit');

    // `g h` goes to Retention & holds.
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).click();
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    await waitForPath(page, '/admin/retention');
    await page.getByText('only an admin can change them').waitFor();
    await page.locator('tr[data-category="time_entries"]').waitFor();
    await page.locator('tr.hold-row[data-status="active"]').waitFor();
    assert.equal(await page.locator('tr.hold-row').count(), 2);
    for (const name of ['Place hold', 'Run retention now', 'Dry run']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }
    assert.equal(await page.getByRole('button', { name: /^Release/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Change the rule/ }).count(), 0, 'no rule editing');

    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await waitForPath(page, '/admin/security');
    await page.locator('tr.sec-row').first().waitFor();
    await page.locator('tr.sec-row[data-kind="login_failed"]').waitFor();
    // The person filter offers the people seen in the events (an auditor cannot list users).
    const options = await page.getByLabel('Person').locator('option').allTextContents();
    assert.ok(options.includes(ADMIN.name) && options.includes(AUDITOR.name), `options: ${options.join(', ')}`);
    // A person's name filters to them.
    await page.locator('tr.sec-row[data-kind="login_failed"] td[data-label="Person"] a').click();
    await page.waitForURL((url) => url.searchParams.has('user_id'));
    // The page renders afresh: wait for the person to be named in the filter (after the rows load).
    await page.waitForFunction((name) => {
      const select = document.querySelector('select[name="user_id"]');
      return select && select.selectedOptions[0].textContent === name && document.querySelector('tr.sec-row');
    }, ADMIN.name);
    const people = await page.locator('tr.sec-row td[data-label="Person"]').allTextContents();
    assert.ok(people.length > 0 && people.every((p) => p === ADMIN.name), `people: ${people.join(', ')}`);

    assert.equal((await apiCall(page, 'POST', '/api/v1/retention/run', {})).status, 403);
  });

  test('no request left 127.0.0.1, and no page error or CSP violation', () => {
    for (const who of [admin, auditor].filter(Boolean)) {
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
