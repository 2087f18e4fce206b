// Browser tests for the admin pages Jobs and System: the jobs with their schedules and
// next runs, "Run now" (export, and backup with its confirmation) polled until the run ends,
// the System page's last backup, warning and record counts, and a member who sees neither page.
// Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./admin-system.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST) while jobs are scheduled in UTC (the default
// `jobs.time_zone`), so the page must say both zones and show times in Tokyo's.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiCall, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Asia/Tokyo' };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };

const call = apiCall;
const ok = apiOk;

/** The card of one job on the Jobs page. */
const jobCard = (page, name) => page.locator(`section.job-card[data-job="${name}"]`);
/** The text of a fact (dt → dd) inside a container. */
const factText = (scope, label) => scope.locator('div', { has: scope.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd').textContent();

describe('the Jobs and System admin pages', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let member;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);

    // Arrange: one entry in the previous complete week (UTC), which the export job writes.
    const project = await ok(page, 'POST', '/api/v1/projects', { name: 'Backups' });
    const d = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await ok(page, 'POST', '/api/v1/entries', { project_id: project.id, start: `${d}T10:00:00Z`, end: `${d}T11:00:00Z`, note: 'restore drill' });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('Jobs lists every job, with the next backup in the admin\'s zone and export off', async () => {
    const page = admin.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    // The shell is drawn once the page's module has loaded.
    await nav.getByRole('link', { name: 'System' }).waitFor();
    const links = await nav.getByRole('link').allTextContents();
    const audit = links.indexOf('Audit log');
    assert.deepEqual(links.slice(audit, audit + 3), ['Audit log', 'Jobs', 'System'], 'Jobs and System follow Audit log');
    // The administration pages are listed under their own heading, after the everyday ones.
    const adminNav = nav.locator('h2.nav-heading + ul');
    assert.equal(await nav.locator('h2.nav-heading').textContent(), 'Administration');
    assert.deepEqual((await adminNav.getByRole('link').allTextContents()).slice(0, 1), ['Users']);
    assert.ok((await adminNav.getByRole('link').allTextContents()).includes('System'));

    // `g j` goes to Jobs.
    await page.locator('h1').first().click();
    await page.keyboard.press('g');
    await page.keyboard.press('j');
    await waitForPath(page, '/admin/jobs');
    await page.getByRole('heading', { name: 'Jobs', exact: true, level: 1 }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Jobs' }).getAttribute('aria-current'), 'page');
    await page.getByText('Schedules are read in UTC; the times shown are in your time zone, Asia/Tokyo.').waitFor();
    const api = await ok(page, 'GET', '/api/v1/jobs');
    assert.deepEqual(await page.locator('section.job-card h2').allTextContents(), ['Backup', 'Export', 'Expire sessions', 'Retention', 'Audit checkpoint', 'Week lock', 'Privacy reminders']);

    const backup = jobCard(page, 'backup');
    assert.match(await backup.locator('.job-desc').textContent(), /Back up the store/);
    assert.match(await factText(backup, 'Schedule'), /^30 2 \* \* \* daily at 02:30 \(UTC\)$/);
    const next = backup.locator('time.next-run');
    assert.equal(await next.getAttribute('datetime'), api.items.find((j) => j.name === 'backup').next_run);
    assert.match(await next.textContent(), /GMT\+9/, 'the next run is shown in Tokyo time');
    assert.match(await factText(backup, 'Next run'), /\(in \d+ (min|h)\)$/);
    assert.equal(await backup.getByText('Never run').count(), 1);

    const exportCard = jobCard(page, 'export');
    assert.equal(await factText(exportCard, 'Schedule'), 'Off — runs on request only');
    assert.equal(await exportCard.locator('dt', { hasText: 'Next run' }).count(), 0);
    assert.equal(await exportCard.getByText('Never run').count(), 1);
    assert.match(await factText(jobCard(page, 'expire_sessions'), 'Schedule'), /hourly at minute 17 \(UTC\)/);
  });

  test('Run now on export shows the run as ok with its entries count and the file it wrote', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/jobs`);
    const card = jobCard(page, 'export');
    await card.getByText('Never run').waitFor();
    await card.getByRole('button', { name: 'Run export now' }).click();
    // Shown as running at once (from the 202), until the first poll a second later sees it end.
    await card.locator('tr.run-row[data-outcome="running"]').waitFor({ timeout: 2_000 });
    assert.equal(await card.getByRole('button', { name: 'Run export now' }).textContent(), 'Running…');
    const row = card.locator('tr.run-row[data-outcome="ok"]');
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await card.locator('tr.run-row').count(), 1);
    assert.equal(await row.locator('.run-outcome').textContent(), 'OK');
    assert.equal(await row.locator('td[data-label="Trigger"]').textContent(), 'Manual');
    assert.equal(await row.locator('.chip[data-key="entries"] .chip-value').textContent(), '1');
    assert.match(await row.locator('.chip[data-key="bytes"] .chip-value').textContent(), /^\d[\d,.]* (bytes|kB)$/);
    assert.match(await row.locator('.run-detail code.path').textContent(), /\/exports\/entries-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$/);
    // The period comes first: a run on a Friday writes the week before.
    assert.match(await row.locator('.run-detail .period').textContent(), /^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC\)$/);
    await page.locator('.toast', { hasText: /^Export finished in / }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Run export now' }).textContent(), 'Run now');
    assert.equal(await card.getByText('Never run').count(), 0);
  });

  test('Run now on backup asks first; then System shows the backup as verified with its size', async () => {
    const page = admin.page;
    // No backup yet: System warns.
    await page.goto(`${server.baseUrl}/admin/system`);
    await page.getByRole('heading', { name: 'System', exact: true, level: 1 }).waitFor();
    await page.locator('.system-banner .notice-warn', { hasText: 'There is no backup yet' }).waitFor();
    await page.locator('.sys-backup').getByText('No backup has been taken yet.').waitFor();

    await page.getByRole('link', { name: 'All runs on the Jobs page' }).click();
    await waitForPath(page, '/admin/jobs');
    const card = jobCard(page, 'backup');
    const run = card.getByRole('button', { name: 'Run backup now' });
    await run.click();
    let dialog = page.getByRole('dialog', { name: 'Back up now' });
    await dialog.getByText('Take a backup now? Writes pause briefly while it is copied.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await card.getByText('Never run').count(), 1, 'cancel runs nothing');

    await run.click();
    dialog = page.getByRole('dialog', { name: 'Back up now' });
    await dialog.getByRole('button', { name: 'Back up now' }).click();
    const row = card.locator('tr.run-row[data-outcome="ok"]');
    await row.waitFor({ timeout: 30_000 });
    assert.equal(await row.locator('.chip[data-key="verified"] .chip-value').textContent(), 'yes');
    assert.match(await row.locator('.chip[data-key="records"] .chip-value').textContent(), /^\d+$/);
    assert.match(await row.locator('.chip[data-key="write_pause_ms"]').textContent(), /^write pause \d[\d,]* ms$/);
    assert.match(await row.locator('.run-detail code.path').textContent(), /\.backup\.zst$/);
    await page.locator('.toast', { hasText: /^Backup finished in / }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System' }).click();
    await waitForPath(page, '/admin/system');
    const box = page.locator('.sys-backup');
    await box.locator('dt', { hasText: 'Verified' }).waitFor();
    const sys = await ok(page, 'GET', '/api/v1/system');
    assert.equal(sys.last_backup.verified, true);
    assert.equal(await factText(box, 'Outcome'), 'OK');
    assert.equal(await factText(box, 'Verified'), 'Yes, by a test restore');
    const size = box.locator('.backup-size');
    assert.match(await size.textContent(), /^\d+(\.\d)? kB$/);
    assert.equal(await size.getAttribute('title'), await page.evaluate((n) => `${n.toLocaleString()} bytes`, sys.last_backup.bytes));
    assert.match(await factText(box, 'File'), /\.backup\.zst/);
    assert.match(await factText(box, 'When'), /GMT\+9 \((just now|\d+ min ago)\)$/);
    assert.equal(await page.locator('.system-banner .notice').count(), 0, 'a fresh verified backup needs no warning');

    // Back up now on System: asks, runs, and the card shows the new backup when it ends.
    const before = await box.locator('code.path').textContent();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('dialog', { name: 'Back up now' }).getByRole('button', { name: 'Back up now' }).click();
    await page.waitForFunction((old) => {
      const path = document.querySelector('.sys-backup code.path');
      const button = document.querySelector('.sys-backup .btn-primary');
      return path && path.textContent !== old && button.textContent === 'Back up now';
    }, before, { timeout: 30_000 });
    const jobs = await ok(page, 'GET', '/api/v1/jobs');
    const runs = jobs.items.find((j) => j.name === 'backup').runs;
    assert.equal(runs.length, 2);
    assert.equal(await box.locator('code.path').textContent(), runs[0].detail.replace(/ \(.*\)$/, ''));
    assert.equal(await factText(box, 'Verified'), 'Yes, by a test restore');
  });

  test('System shows the version, HTTPS off with a hint, and record counts that match the API', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/system`);
    const rows = page.locator('.counts-table tbody tr');
    await rows.first().waitFor();
    const sys = await ok(page, 'GET', '/api/v1/system');
    const shown = {};
    for (const row of await rows.all()) {
      shown[await row.getAttribute('data-tree')] = Number((await row.locator('td').textContent()).replace(/\D/g, ''));
    }
    assert.deepEqual(shown, sys.counts);
    assert.equal(shown.users, 1);
    assert.equal(shown.entries, 1);
    assert.equal(shown.projects, 1);
    const order = Object.keys(shown);
    assert.deepEqual(order.slice(0, 3), ['users', 'entries', 'projects'], 'people and entries first');

    const server_ = page.locator('.sys-server');
    assert.equal(await factText(server_, 'Version'), sys.version);
    assert.match(await factText(server_, 'Started'), /GMT\+9$/);
    assert.match(await factText(server_, 'HTTPS'), /^Off.*ophiontt tls self-signed --host NAME.*tls\.cert.*tls\.key/);
    const storage = page.locator('.sys-storage');
    assert.equal(await factText(storage, 'Data folder'), server.dataDir);
    assert.match(await factText(storage, 'Store size'), /^\d+(\.\d)? (kB|MB)$/);
  });

  test('a member sees no Jobs or System link and gets "No access" on the pages', async () => {
    const created = await ok(admin.page, 'POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: ADMIN.zone });
    member = await recordingContext(browser);
    const page = await member.context.newPage();
    member.page = page;
    await page.goto(created.reset_link.url);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(MEMBER.password);
    await page.getByLabel('Confirm new password').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await waitForPath(page, '/login');
    await page.getByLabel('Email').fill(MEMBER.email);
    await page.getByLabel('Password').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(page, '/dashboard');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Today' }).waitFor();
    const links = await nav.getByRole('link').allTextContents();
    assert.ok(!links.includes('Jobs') && !links.includes('System'), `member nav: ${links.join(', ')}`);
    assert.equal(await nav.locator('h2.nav-heading').count(), 0, 'no Administration heading for a member');
    for (const path of ['/admin/jobs', '/admin/system']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'No access' }).waitFor();
      assert.equal(await page.locator('section.job-card, .sys-card').count(), 0);
    }
    assert.equal((await call(page, 'GET', '/api/v1/jobs')).status, 403);
    assert.equal((await call(page, 'POST', '/api/v1/jobs/backup/run')).status, 403);
  });

  test('no request left 127.0.0.1, and no page error or CSP violation', () => {
    for (const who of [admin, member].filter(Boolean)) {
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
