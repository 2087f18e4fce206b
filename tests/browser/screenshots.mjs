// Screenshots of every page, for looking at by hand (not a test).
// Usage: node screenshots.mjs [OUT_DIR]     (default /tmp/ophiontt-shots)
// Uses $OPHIONTT_BIN like the tests. Writes <variant>-<nn>-<page>.png for
// 1366×850 and 390×844, each in the light and the dark colour scheme.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launchChromium, waitForPath } from './browser.mjs';

const outDir = process.argv[2] || '/tmp/ophiontt-shots';
const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const VARIANTS = [
  { name: 'desktop-light', viewport: { width: 1366, height: 850 }, colorScheme: 'light' },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true },
  { name: 'desktop-dark', viewport: { width: 1366, height: 850 }, colorScheme: 'dark' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true },
];
const PEOPLE = [
  ['Grace Hopper', 'grace@example.com', 'manager', 'America/New_York'],
  ['Alan Turing', 'alan@example.com', 'member', 'Europe/London'],
  ['Katherine Johnson', 'katherine@example.com', 'auditor', 'America/Chicago'],
  ['Edsger Dijkstra', 'edsger@example.com', 'client', 'Europe/Amsterdam'],
];

async function shoot(page, variant, counter, name, fullPage = false) {
  // Wait for outstanding requests so lists are filled (bounded).
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  const file = path.join(outDir, `${variant.name}-${String(counter.n).padStart(2, '0')}-${name}.png`);
  counter.n += 1;
  // A full-page capture of a scrolled page draws the sticky top bar mid-page.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  console.log(file);
}

/** Tasks on Backups in every column (one with comments), clients, and a tag to merge. */
async function seedCatalog(page) {
  await page.evaluate(async () => {
    const send = async (m, p, b) => (await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).json();
    const backups = (await (await fetch('/api/v1/projects')).json()).items.find((p) => p.name === 'Backups');
    const users = (await (await fetch('/api/v1/users?limit=100')).json()).items;
    const id = (email) => users.find((u) => u.email === email).id;
    await send('PATCH', `/api/v1/projects/${backups.id}`, { member_ids: [...backups.member_ids, id('alan@example.com')], manager_ids: [id('grace@example.com')] });
    const task = (b) => send('POST', `/api/v1/projects/${backups.id}/tasks`, b);
    const rotate = await task({ title: 'Rotate RAID keys', description: 'All arrays, then the offsite copy.', assignee_id: id('alan@example.com'), estimate_secs: 5400 });
    for (const text of ['Started with the NAS; two arrays to go.', 'Offsite copy needs the new key too.\nI will do it Thursday.']) {
      await send('POST', `/api/v1/tasks/${rotate.id}/comments`, { text });
    }
    await task({ title: 'Document the restore runbook', estimate_secs: 7200 });
    await task({ title: 'Order spare disks' });
    await task({ title: 'Offsite copy to the second site', status: 'in_progress', assignee_id: backups.member_ids[0], estimate_secs: 10800 });
    await task({ title: 'Nightly restore check', status: 'done', assignee_id: id('grace@example.com'), estimate_secs: 1800 });
    const old = await task({ title: 'Old tape rotation', status: 'done' });
    await send('PATCH', `/api/v1/tasks/${old.id}`, { archived: true });
    const acme = await send('POST', '/api/v1/clients', { name: 'Acme Corp', notes: 'Billing monthly, net 30. Contact: ops@acme.example' });
    await send('POST', '/api/v1/clients', { name: 'Initech' });
    const globex = await send('POST', '/api/v1/clients', { name: 'Globex' });
    await send('PATCH', `/api/v1/clients/${globex.id}`, { archived: true });
    await send('POST', '/api/v1/projects', { name: 'Intranet', client_id: acme.id, color: '#5f3dc4' });
    const d = (k) => new Date(Date.now() - k * 86400e3).toISOString().slice(0, 10);
    for (const k of [4, 5]) {
      await send('POST', '/api/v1/entries', { project_id: backups.id, start: `${d(k)}T07:00:00Z`, end: `${d(k)}T08:00:00Z`, note: 'Patch window', tags: ['operations'] });
    }
  });
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const contexts = [];
    for (const variant of VARIANTS) {
      const context = await browser.newContext({ ...variant, baseURL: server.baseUrl });
      context.setDefaultTimeout(10_000);
      contexts.push({ variant, context, page: await context.newPage(), counter: { n: 1 } });
    }

    // The setup page, seen by every variant before setup is done.
    for (const c of contexts) {
      await c.page.goto(server.setupLink);
      await c.page.getByRole('heading', { name: 'Create the first admin account' }).waitFor();
      await shoot(c.page, c.variant, c.counter, 'setup');
      await c.page.goto('/login');
      await c.page.getByRole('heading', { name: 'Log in to OphionTT' }).waitFor();
      await shoot(c.page, c.variant, c.counter, 'login-setup-needed');
    }

    // Set up once, from the first context, and add a few people.
    const first = contexts[0].page;
    await first.goto(server.setupLink);
    await first.getByLabel('Name').fill(ADMIN.name);
    await first.getByLabel('Email').fill(ADMIN.email);
    await first.getByLabel('Password').fill(ADMIN.password);
    await first.getByLabel('Time zone').selectOption('Europe/Berlin');
    await first.getByRole('button', { name: 'Create admin account' }).click();
    await waitForPath(first, '/dashboard');
    await first.goto('/admin/users');
    const links = [];
    for (const [name, email, role, zone] of PEOPLE) {
      await first.getByRole('button', { name: 'New user' }).click();
      const dialog = first.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Role').selectOption(role);
      await dialog.getByLabel('Time zone').selectOption(zone);
      await dialog.getByRole('button', { name: 'Create user' }).click();
      links.push(await dialog.getByLabel('One-time link').inputValue());
      await dialog.getByRole('button', { name: 'Done' }).click();
    }
    await first.getByRole('button', { name: `Disable ${PEOPLE[3][1]}` }).click();
    await first.getByRole('dialog', { name: 'Disable user' }).getByRole('button', { name: 'Disable user' }).click();
    await first.getByRole('button', { name: `Enable ${PEOPLE[3][1]}` }).waitFor();

    for (const [i, c] of contexts.entries()) {
      const { page, variant, counter } = c;
      const phone = variant.viewport.width < 700;
      await page.goto('/login');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('Email or password is wrong').waitFor();
      await shoot(page, variant, counter, 'login-error');
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await waitForPath(page, '/dashboard');
      await page.goto('/admin/users');
      await page.getByRole('button', { name: `Edit ${ADMIN.email}` }).waitFor();
      await shoot(page, variant, counter, 'users', phone);

      if (phone) {
        await page.getByRole('button', { name: 'Menu' }).click();
        await shoot(page, variant, counter, 'menu-open');
        await page.getByRole('button', { name: 'Menu' }).click();
      }
      await page.getByRole('button', { name: ADMIN.name }).click();
      await shoot(page, variant, counter, 'user-menu');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'New user' }).click();
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Email').fill('not-an-email');
      await dialog.getByLabel('Name').fill(`Person ${i}`);
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.locator('.field-error:not([hidden])').first().waitFor();
      await shoot(page, variant, counter, 'new-user-error');
      await dialog.getByLabel('Email').fill(`person${i}@example.com`);
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.getByLabel('One-time link').waitFor();
      await shoot(page, variant, counter, 'new-user-link');
      await dialog.getByRole('button', { name: 'Done' }).click();

      await page.getByRole('button', { name: `Disable ${ADMIN.email}` }).click();
      const confirm = page.getByRole('dialog', { name: 'Disable user' });
      await confirm.getByRole('button', { name: 'Disable user' }).click();
      await confirm.locator('.form-error:not([hidden])').waitFor();
      await shoot(page, variant, counter, 'disable-self-error');
      await page.keyboard.press('Escape');

      await page.getByLabel('Search users').fill('zzz-nobody');
      await page.getByText('No users match').waitFor();
      await shoot(page, variant, counter, 'users-empty-search');

      await page.goto('/account');
      await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
      await page.getByLabel('Current password').fill('wrong wrong wrong');
      await page.getByLabel('New password', { exact: true }).fill('another long passphrase');
      await page.getByLabel('Confirm new password').fill('another long passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Current password is wrong').waitFor();
      await shoot(page, variant, counter, 'account', phone);

      await page.goto('/admin/audit');
      await page.locator('tr.audit-row').first().waitFor();
      await page.getByText(/Chain verified/).waitFor();
      await page.getByRole('button', { name: /^Details of record/ }).nth(2).click();
      await shoot(page, variant, counter, 'audit', true);

      await page.goto('/admin/audit?action=user.disabled');
      await page.locator('tr.audit-row').first().waitFor();
      await shoot(page, variant, counter, 'audit-filtered');

      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await shoot(page, variant, counter, 'shortcuts');
      await page.keyboard.press('Escape');

      // Time tracking: Projects, then Today idle, running and with an entry.
      if (i === 0) {
        await page.goto('/projects');
        await page.getByRole('button', { name: 'New project' }).click();
        const projectDialog = page.getByRole('dialog', { name: 'New project' });
        await projectDialog.getByLabel('Name', { exact: true }).fill('Backups');
        await projectDialog.getByLabel('Hourly rate').fill('95');
        await projectDialog.getByRole('button', { name: 'Create project' }).click();
        await projectDialog.waitFor({ state: 'hidden' });
      }
      await page.goto('/projects');
      await page.getByRole('row', { name: /Backups/ }).waitFor();
      await shoot(page, variant, counter, 'projects');
      await page.goto('/today');
      await page.getByRole('button', { name: 'Start timer' }).waitFor();
      await shoot(page, variant, counter, 'today-idle', phone);
      await page.getByLabel('Note', { exact: true }).fill(`Restore test ${i + 1}`);
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Backups' });
      await page.getByRole('button', { name: 'Start timer' }).click();
      await page.waitForFunction(() => /^0:00:0[2-9]/.test(document.querySelector('.timerbar-elapsed').textContent), null, { timeout: 10_000 });
      await shoot(page, variant, counter, 'today-running', phone);
      await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
      await page.locator('table.entries-table tbody tr:not(.is-running)').first().waitFor();
      await shoot(page, variant, counter, 'today-entries', phone);

      // Entries: a few days of entries (made once), the list, then two rows selected with the bulk bar.
      if (i === 0) {
        await page.evaluate(async () => {
          const post = async (p, b) => (await fetch(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).json();
          const backups = (await (await fetch('/api/v1/projects')).json()).items.find((p) => p.name === 'Backups');
          const web = await post('/api/v1/projects', { name: 'Website relaunch', color: '#c2410c', billable: false });
          const d = (k) => new Date(Date.now() - k * 86400e3).toISOString().slice(0, 10);
          for (let k = 1; k <= 3; k += 1) {
            await post('/api/v1/entries', { project_id: backups.id, start: `${d(k)}T07:00:00Z`, end: `${d(k)}T08:30:00Z`, note: `Nightly restore check ${k}`, tags: ['ops', 'restore'] });
            await post('/api/v1/entries', { project_id: web.id, start: `${d(k)}T09:15:00Z`, end: `${d(k)}T11:45:00Z`, note: k === 2 ? '' : 'Landing page copy and layout review with the design team', tags: k === 1 ? ['design'] : [], billable: false });
          }
        });
      }
      await page.goto('/entries');
      await page.locator('tr.entry-row').nth(3).waitFor();
      await shoot(page, variant, counter, 'entries', phone);
      if (phone) {
        await page.getByRole('button', { name: /^Filters/ }).click();
        await shoot(page, variant, counter, 'entries-filters');
        await page.getByRole('button', { name: /^Filters/ }).click();
      }
      await page.locator('tr.entry-row input[type="checkbox"]').nth(1).check();
      await page.locator('tr.entry-row input[type="checkbox"]').nth(2).check();
      await page.getByRole('region', { name: 'Selected entries' }).waitFor();
      await shoot(page, variant, counter, 'entries-bulk');
      await page.getByRole('button', { name: 'Move to project…' }).click();
      await page.getByRole('dialog', { name: 'Move 2 entries' }).waitFor();
      await shoot(page, variant, counter, 'entries-move');
      await page.keyboard.press('Escape');

      // Timesheet: this week on two projects and a task (typed in once), then a cell that does not parse.
      if (i === 0) {
        await page.evaluate(async () => {
          const send = async (m, p, b) => (await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).json();
          const projects = (await (await fetch('/api/v1/projects')).json()).items;
          const backups = projects.find((p) => p.name === 'Backups');
          const web = projects.find((p) => p.name === 'Website relaunch');
          const task = await send('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Verify the offsite restore' });
          const { days } = await (await fetch('/api/v1/timesheet')).json();
          const rows = [[backups.id, null, [3600, 1800, 0, 5400, 0, 0, 0]], [backups.id, task.id, [5400, 0, 7200, 0, 2700, 0, 0]], [web.id, null, [10800, 14400, 9000, 12600, 7200, 0, 0]]];
          for (const [project_id, task_id, hours] of rows) {
            for (const [k, seconds] of hours.entries()) if (seconds) await send('PUT', '/api/v1/timesheet/cell', { project_id, task_id, date: days[k], seconds });
          }
        });
      }
      await page.goto('/timesheet');
      await page.locator('tr.ts-row').nth(2).waitFor();
      await shoot(page, variant, counter, 'timesheet', phone);
      // A phone shows one day at a time: the typo goes into a cell that is on screen.
      const typo = page.locator('tr.ts-row:not(.is-readonly) input.ts-input:visible').nth(phone ? 1 : 9);
      await typo.fill('2h3x');
      await typo.press('Tab');
      await page.locator('.ts-error').waitFor();
      await shoot(page, variant, counter, 'timesheet-error', phone);

      // Task board (every column filled, then a task with comments), Clients and Tags.
      if (i === 0) await seedCatalog(page);
      const boardId = await page.evaluate(async () => (await (await fetch('/api/v1/projects')).json()).items.find((p) => p.name === 'Backups').id);
      await page.goto(`/projects/${boardId}/board`);
      await page.locator('.board-col-done .task-card').first().waitFor();
      await shoot(page, variant, counter, 'board', phone);
      await page.getByRole('button', { name: 'Rotate RAID keys' }).click();
      await page.getByRole('dialog', { name: 'Rotate RAID keys' }).locator('li.comment').first().waitFor();
      await shoot(page, variant, counter, 'board-task');
      await page.keyboard.press('Escape');
      await page.goto('/clients');
      await page.getByRole('row', { name: /Acme Corp/ }).waitFor();
      await shoot(page, variant, counter, 'clients', phone);
      await page.goto('/tags');
      await page.locator('tr[data-tag="operations"]').waitFor();
      await shoot(page, variant, counter, 'tags', phone);
      await page.getByRole('button', { name: 'Rename operations' }).click();
      await page.getByLabel('New name').fill('ops');
      await page.getByText(/already exists on/).waitFor();
      await shoot(page, variant, counter, 'tags-merge');
      await page.keyboard.press('Escape');

      // Jobs and System: once, the warning before any backup, then an export and a backup run from the page.
      await page.goto('/admin/system');
      await page.locator('.sys-card').first().waitFor();
      if (i === 0) {
        await shoot(page, variant, counter, 'system-no-backup');
        await page.goto('/admin/jobs');
        await page.getByRole('button', { name: 'Run export now' }).click();
        await page.locator('[data-job="export"] tr.run-row[data-outcome="ok"]').waitFor({ timeout: 15_000 });
        await page.getByRole('button', { name: 'Run backup now' }).click();
        await page.getByRole('dialog', { name: 'Back up now' }).getByRole('button', { name: 'Back up now' }).click();
        await page.locator('[data-job="backup"] tr.run-row[data-outcome="ok"]').waitFor({ timeout: 30_000 });
      }
      await page.goto('/admin/jobs');
      await page.locator('[data-job="backup"] tr.run-row').first().waitFor();
      await shoot(page, variant, counter, 'jobs', true);
      await page.goto('/admin/system');
      await page.locator('.sys-backup dt').first().waitFor();
      await shoot(page, variant, counter, 'system', true);

      // Compliance pages, and the public privacy notice.
      for (const [url, name] of [['/admin/privacy', 'privacy-requests'], ['/admin/retention', 'retention-holds'],
        ['/admin/security', 'security-events'], ['/privacy', 'privacy-notice']]) {
        await page.goto(url);
        await page.locator('h1').first().waitFor();
        await shoot(page, variant, counter, name, true);
      }

      await page.goto('/no/such/page');
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await shoot(page, variant, counter, 'not-found');

      // A fresh context for the one-time link (it is used up here).
      const guest = await browser.newContext({ ...variant, baseURL: server.baseUrl });
      const guestPage = await guest.newPage();
      await guestPage.goto(links[i]);
      await guestPage.getByRole('heading', { name: 'Set your password' }).waitFor();
      await guestPage.getByLabel('New password', { exact: true }).fill('one two three four');
      await guestPage.getByLabel('Confirm new password').fill('one two three five');
      await guestPage.getByRole('button', { name: 'Set password' }).click();
      await guestPage.locator('.field-error:not([hidden])').waitFor();
      await shoot(guestPage, variant, counter, 'reset-mismatch');
      await guestPage.getByLabel('Confirm new password').fill('one two three four');
      await guestPage.getByRole('button', { name: 'Set password' }).click();
      await waitForPath(guestPage, '/login');
      await shoot(guestPage, variant, counter, 'login-after-reset');
      await guestPage.goto('/reset');
      await shoot(guestPage, variant, counter, 'reset-no-token');
      await guest.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
