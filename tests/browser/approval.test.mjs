// Browser tests for week approval: a member submits last week on the Timesheet, a manager
// approves it on Approvals, then the member's edit of an entry of that week is refused with the
// server's message and the week's cells are read-only; the manager reopens it with a reason; a
// rejection's comment shows on the member's timesheet. Own server with approval on, own admin;
// people and entries are set up through the API, and every page is opened by its address.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./approval.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, signIn, apiOk } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'analytical engine 1843' };
const MANAGER = { name: 'Grace Manager', email: 'grace@example.com', password: 'compiler cobol 1959' };
const MEMBER = { name: 'Max Member', email: 'max@example.com', password: 'difference engine 1822' };

describe('week approval', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin;
  let manager;
  let member;
  const monday = mondayOf(dayIn('UTC', 7)); // last week, in the member's zone (UTC)
  const sunday = addDays(monday, 6);
  const ids = {};

  /** Create a user as the admin and sign them in in a context of their own. */
  async function person(who, role) {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: who.name, email: who.email, role, time_zone: 'UTC' });
    const token = new URL(created.reset_link.url).hash.replace(/^#token=/, '');
    await apiOk(admin.page, 'POST', '/api/v1/password-reset', { token, new_password: who.password });
    const ctx = await recordingContext(browser, { locale: 'en-US' });
    ctx.id = created.user.id;
    ctx.page = await ctx.context.newPage();
    await signIn(ctx.page, server.baseUrl, who);
    return ctx;
  }

  before(async () => {
    process.env.OPHIONTT_APPROVAL_ENABLED = 'true';
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { locale: 'en-US' });
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    manager = await person(MANAGER, 'manager');
    member = await person(MEMBER, 'member');
    ids.apollo = (await apiOk(admin.page, 'POST', '/api/v1/projects', {
      name: 'Apollo', member_ids: [member.id], manager_ids: [manager.id],
    })).id;
    await apiOk(member.page, 'POST', '/api/v1/entries', {
      project_id: ids.apollo, start: `${monday}T09:00:00Z`, end: `${monday}T11:00:00Z`, note: 'planning', confirm: true,
    });
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  const badge = (page) => page.locator('.ts-approval .week-badge');

  test('a member submits a week on the Timesheet, with a note', async () => {
    const page = member.page;
    await page.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    await badge(page).filter({ hasText: 'Open' }).waitFor();
    await page.getByRole('button', { name: 'Submit week' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit this week' });
    await dialog.getByLabel('Note for your manager (optional)').fill('All there');
    await dialog.getByRole('button', { name: 'Submit week' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await badge(page).filter({ hasText: 'Submitted' }).waitFor();
    assert.match(await page.locator('.ts-approval').textContent(), /Waiting for approval/);
    assert.equal(await page.getByRole('button', { name: 'Submit week' }).count(), 0);
  });

  test('a manager approves it on Approvals, and the queue empties', async () => {
    const page = manager.page;
    await page.goto(`${server.baseUrl}/approvals`);
    const row = page.locator('tr.ap-row', { hasText: 'Max Member' });
    await row.waitFor();
    assert.match(await row.textContent(), /2:00/);
    assert.match(await row.textContent(), /All there/);
    await row.getByRole('button', { name: `Approve Max Member, week of ${monday}` }).click();
    await page.getByText('Nothing waits for approval').waitFor();
  });

  test('the member’s entries of that week are locked, a new one is refused with the server’s message; the cells are read-only', async () => {
    const page = member.page;
    await page.goto(`${server.baseUrl}/entries?from=${monday}&to=${sunday}`);
    const row = page.locator('tr', { hasText: 'planning' }).first();
    await row.getByText('Locked', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0, 'no Edit or Delete on a locked entry');
    assert.equal(await row.getByRole('checkbox').count(), 0, 'nor a box to change it in bulk');

    await page.getByRole('button', { name: 'New entry' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entry' });
    await dialog.getByLabel('Project').selectOption({ label: 'Apollo' });
    await dialog.getByLabel('Start').fill(`${monday}T13:00`);
    await dialog.getByLabel('End').fill(`${monday}T14:00`);
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByText(`the week of ${monday} is approved`, { exact: false }).waitFor();
    assert.equal(await dialog.isVisible(), true, 'the form keeps its content');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    await badge(page).filter({ hasText: 'Approved' }).waitFor();
    assert.match(await page.locator('.ts-approval').textContent(), /approved: its hours can be read but no longer changed/);
    const rows = page.locator('tr.ts-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), await page.locator('tr.ts-row.is-readonly').count(), 'every row is read-only');
    const input = rows.first().locator('input').first();
    assert.equal(await input.evaluate((el) => el.readOnly), true);
    assert.equal(await page.getByRole('button', { name: 'Add row' }).isDisabled(), true);
  });

  test('the manager reopens it with a reason, and the member can change it again', async () => {
    const page = manager.page;
    await page.goto(`${server.baseUrl}/approvals?person=${member.id}&from=${monday}&to=${monday}`);
    const row = page.locator('tr.ap-row[data-week="' + monday + '"]');
    await row.locator('.week-badge', { hasText: 'Approved' }).waitFor();
    await row.getByRole('button', { name: /^Reopen / }).click();
    const dialog = page.getByRole('dialog', { name: /^Reopen / });
    await dialog.getByRole('button', { name: 'Reopen week' }).click();
    await dialog.getByText('Reason is required.').waitFor();
    await dialog.getByLabel('Reason').fill('Wrong project on Monday');
    await dialog.getByRole('button', { name: 'Reopen week' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('.week-badge', { hasText: 'Open' }).waitFor();

    const mine = member.page;
    await mine.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    await badge(mine).filter({ hasText: 'Open' }).waitFor();
    assert.match(await mine.locator('.ts-approval').textContent(), /Wrong project on Monday/);
    assert.equal(await mine.locator('tr.ts-row.is-readonly').count(), 0);
    await mine.goto(`${server.baseUrl}/entries?from=${monday}&to=${sunday}`);
    const entry = mine.locator('tr', { hasText: 'planning' }).first();
    await entry.getByRole('button', { name: /^Edit / }).waitFor();
    assert.equal(await entry.getByText('Locked', { exact: true }).count(), 0);
  });

  test('a rejection’s comment shows on the member’s timesheet', async () => {
    await apiOk(member.page, 'POST', `/api/v1/weeks/${monday}/submit`, {});
    const page = manager.page;
    await page.goto(`${server.baseUrl}/approvals`);
    const row = page.locator('tr.ap-row', { hasText: 'Max Member' });
    await row.getByRole('button', { name: /^Reject / }).click();
    const dialog = page.getByRole('dialog', { name: /^Reject / });
    await dialog.getByLabel('What should be corrected').fill('Tuesday is missing');
    await dialog.getByRole('button', { name: 'Reject week' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Nothing waits for approval').waitFor();

    const mine = member.page;
    await mine.goto(`${server.baseUrl}/timesheet?week=${monday}`);
    await badge(mine).filter({ hasText: 'Rejected' }).waitFor();
    assert.match(await mine.locator('.ts-approval-comment').textContent(), /Tuesday is missing/);
    await mine.getByRole('button', { name: 'Submit again' }).waitFor();
  });
});
