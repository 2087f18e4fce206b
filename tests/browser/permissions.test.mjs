// Browser tests for issue 12 item 6: the UI shows edit controls by what the API says the caller
// may do (`can` on each record, `capabilities` of /api/v1/me), not by role rules of its own.
// A manager gets Edit on the project they manage and not on one they are only a member of; a
// record the API marks non-editable shows no edit control even to its owner; navigation follows
// the capabilities. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./permissions.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, signIn } from './browser.mjs';

const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const MANAGER = { name: 'Mary Jackson', email: 'mary@example.com', password: 'wind tunnel 1958' };
const MEMBER = { name: 'Annie Easley', email: 'annie@example.com', password: 'centaur rocket 1963' };

/** Today's date in UTC, moved back by `daysAgo` days. */
function day(daysAgo) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d.toISOString().slice(0, 10);
}

/** Rewrite the JSON answers of one API path before the page sees them. */
async function rewrite(page, pattern, change) {
  await page.route(pattern, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    await route.fulfill({ response: res, json: change(body) });
  });
}

describe('controls follow the API’s permissions', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin;
  let manager;
  let member;
  const ids = {};

  /** Create a user as the admin and sign them in in a context of their own. */
  async function person(who, role) {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: who.name, email: who.email, role, time_zone: 'UTC' });
    const token = new URL(created.reset_link.url).hash.replace(/^#token=/, '');
    await apiOk(admin.page, 'POST', '/api/v1/password-reset', { token, new_password: who.password });
    const ctx = await recordingContext(browser);
    ctx.id = created.user.id;
    ctx.page = await ctx.context.newPage();
    await signIn(ctx.page, server.baseUrl, who);
    return ctx;
  }

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    manager = await person(MANAGER, 'manager');
    member = await person(MEMBER, 'member');
    const call = (m, p, b) => apiOk(admin.page, m, p, b);
    ids.managed = (await call('POST', '/api/v1/projects', { name: 'Wind tunnel', manager_ids: [manager.id], member_ids: [member.id] })).id;
    ids.joined = (await call('POST', '/api/v1/projects', { name: 'Flight tests', member_ids: [manager.id, member.id] })).id;
    ids.task = (await call('POST', `/api/v1/projects/${ids.joined}/tasks`, { title: 'Calibrate sensors' })).id;
    for (const [i, note] of ['drag measurements', 'lift report'].entries()) {
      await apiOk(member.page, 'POST', '/api/v1/entries', {
        project_id: ids.managed, start: `${day(1)}T0${i * 2}:00:00Z`, end: `${day(1)}T0${i * 2 + 1}:00:00Z`, note,
      });
    }
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('a manager may edit the project they manage and not the one they only work on', async () => {
    const page = manager.page;
    await page.goto(`${server.baseUrl}/projects`);
    const managed = page.locator(`tr[data-id="${ids.managed}"]`);
    const joined = page.locator(`tr[data-id="${ids.joined}"]`);
    await managed.waitFor();
    await managed.getByRole('button', { name: 'Edit Wind tunnel' }).waitFor();
    await managed.getByRole('button', { name: 'Archive Wind tunnel' }).waitFor();
    await joined.getByRole('link', { name: 'Task board of Flight tests' }).waitFor();
    assert.equal(await joined.getByRole('button').count(), 0, 'no Edit or Archive where the API says no');
    // They work on the other project's tasks all the same: its board lets them move cards.
    await joined.getByRole('link', { name: 'Task board of Flight tests' }).click();
    await page.getByRole('button', { name: 'New task' }).waitFor();
    await page.getByLabel('Status of Calibrate sensors').waitFor();
  });

  test('a member sees no edit control on an entry the API marks non-editable, even their own', async () => {
    const page = member.page;
    // The server says the member may change both; the page is told otherwise about one.
    await rewrite(page, '**/api/v1/entries?*', (body) => ({
      ...body,
      items: body.items.map((e) => (e.note === 'lift report' ? { ...e, can: { edit: false, delete: false } } : e)),
    }));
    try {
      await page.goto(`${server.baseUrl}/entries?from=${day(1)}&to=${day(1)}`);
      const locked = page.locator('tr.entry-row').filter({ hasText: 'lift report' });
      const open = page.locator('tr.entry-row').filter({ hasText: 'drag measurements' });
      await locked.getByText('Read only').waitFor();
      assert.equal(await locked.getByRole('button').count(), 0);
      assert.equal(await locked.getByRole('checkbox').count(), 0);
      await open.getByRole('button', { name: /^Edit / }).waitFor();
      await open.getByRole('button', { name: /^Delete / }).waitFor();
    } finally {
      await page.unroute('**/api/v1/entries?*');
    }
    // Projects: a member edits none, and there is no New project button.
    await page.goto(`${server.baseUrl}/projects`);
    await page.locator(`tr[data-id="${ids.managed}"]`).waitFor();
    assert.equal(await page.getByRole('button', { name: /^(Edit|Archive|Unarchive) / }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'New project' }).count(), 0);
  });

  test('a task the API marks non-editable cannot be moved or dragged', async () => {
    const page = member.page;
    await rewrite(page, `**/api/v1/projects/${ids.joined}/tasks*`, (body) => ({
      ...body,
      items: body.items.map((t) => ({ ...t, can: { edit: false, comment: false } })),
    }));
    try {
      await page.goto(`${server.baseUrl}/projects/${ids.joined}/board`);
      const card = page.locator('.task-card').filter({ hasText: 'Calibrate sensors' });
      await card.waitFor();
      assert.equal(await card.getByLabel('Status of Calibrate sensors').count(), 0);
      assert.equal(await card.getAttribute('draggable'), null);
      await card.getByRole('button', { name: 'Calibrate sensors' }).click();
      const dialog = page.getByRole('dialog', { name: 'Calibrate sensors' });
      await dialog.waitFor();
      assert.equal(await dialog.getByRole('button', { name: /Save|Archive|Add comment/ }).count(), 0);
    } finally {
      await page.unroute(`**/api/v1/projects/${ids.joined}/tasks*`);
    }
  });

  test('navigation shows what the capabilities open', async () => {
    const page = member.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await page.goto(`${server.baseUrl}/account`);
    await nav.getByRole('link', { name: 'Timesheet' }).waitFor();
    assert.equal(await nav.getByRole('heading', { name: 'Administration' }).count(), 0);
    // Without `track_time` the tracking pages leave the navigation (and Today is refused).
    await rewrite(page, '**/api/v1/me', (me) => ({ ...me, capabilities: me.capabilities.filter((c) => c !== 'track_time') }));
    try {
      await page.goto(`${server.baseUrl}/today`);
      await page.getByRole('heading', { name: 'No access' }).waitFor();
      await nav.getByRole('link', { name: 'Entries' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Timesheet' }).count(), 0);
      assert.equal(await nav.getByRole('link', { name: 'Today' }).count(), 0);
    } finally {
      await page.unroute('**/api/v1/me');
    }
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    for (const who of [admin, manager, member]) {
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
