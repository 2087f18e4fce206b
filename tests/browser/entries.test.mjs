// Browser tests for the Entries page: filters kept in the URL (reload, back/forward), cursor
// paging with Load more, Edit/Delete keeping the list and total in step, the bulk bar (add a tag,
// move, and a refused request that changes nothing), the phone layout, and an auditor who reads
// without any edit control. Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./entries.test.mjs
//
// The admin's zone is Asia/Tokyo (UTC+9, no DST): an entry starting at 00:00 UTC starts at
// 09:00 on the same calendar day in Tokyo, whatever zone the browser runs in.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiCall, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Asia/Tokyo' };
const AUDITOR = { name: 'Katherine Johnson', email: 'katherine@example.com', password: 'orbital mechanics 1962' };
const MANAGER = { name: 'Margaret Hamilton', email: 'margaret@example.com', password: 'apollo guidance 1969' };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };

/** A calendar date (YYYY-MM-DD) `daysAgo` days before today on the wall clock of a zone. */
function dayIn(zone, daysAgo = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - daysAgo)).toISOString().slice(0, 10);
}
const day = (k) => dayIn(ADMIN.zone, k);

const call = apiCall;
const ok = apiOk;

/** Wait until exactly `n` entry rows are shown (0: the empty state). */
async function waitRows(page, n) {
  await page.waitForFunction((want) => {
    const rows = document.querySelectorAll('tr.entry-row').length;
    if (want === 0) return rows === 0 && Boolean(document.querySelector('.empty:not([hidden])'));
    const table = document.querySelector('table.entry-list');
    return rows === want && table && !table.hidden;
  }, n, { timeout: 10_000 });
}

const rowTexts = (page, cls) => page.locator(`tr.entry-row .${cls}`).allTextContents();
const param = (page, key) => new URL(page.url()).searchParams.get(key);
const row = (page, text) => page.locator('tr.entry-row').filter({ hasText: text });

describe('the Entries page', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let auditor;
  let manager;
  let member;
  const ids = {};

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);

    // Arrange: a client, two projects (one not billable), a task, and two entries a day for
    // the five days before today, plus one older entry outside the default range.
    ids.me = (await ok(page, 'GET', '/api/v1/me')).id;
    const acme = await ok(page, 'POST', '/api/v1/clients', { name: 'Acme' });
    ids.backups = (await ok(page, 'POST', '/api/v1/projects', { name: 'Backups', client_id: acme.id })).id;
    ids.website = (await ok(page, 'POST', '/api/v1/projects', { name: 'Website', color: '#c2410c', billable: false })).id;
    ids.task = (await ok(page, 'POST', `/api/v1/projects/${ids.backups}/tasks`, { title: 'Rotate keys' })).id;
    for (let k = 1; k <= 5; k += 1) {
      const d = day(k);
      await ok(page, 'POST', '/api/v1/entries', {
        project_id: ids.backups, start: `${d}T00:00:00Z`, end: `${d}T01:30:00Z`, note: `backup run ${k}`, tags: ['ops'],
        ...(k % 2 ? { task_id: ids.task } : {}),
      });
      await ok(page, 'POST', '/api/v1/entries', {
        project_id: ids.website, start: `${d}T02:00:00Z`, end: `${d}T02:45:00Z`, note: `landing page ${k}`,
        tags: k % 2 ? ['web', 'design'] : [], billable: false,
      });
    }
    await ok(page, 'POST', '/api/v1/entries', { project_id: ids.backups, start: `${day(20)}T00:00:00Z`, end: `${day(20)}T01:00:00Z`, note: 'old restore drill' });

    auditor = await signedIn(page, AUDITOR, 'auditor', '/dashboard');
  });

  /** Create a user as the admin, give them a password, and sign them in in a context of their own. */
  async function signedIn(adminPage, who, role, home) {
    const created = await ok(adminPage, 'POST', '/api/v1/users', { name: who.name, email: who.email, role, time_zone: ADMIN.zone });
    const token = new URL(created.reset_link.url).hash.replace('#token=', '');
    const user = await recordingContext(browser);
    user.id = created.user.id;
    user.page = await user.context.newPage();
    await user.page.goto(`${server.baseUrl}/login`);
    await ok(user.page, 'POST', '/api/v1/password-reset', { token, new_password: who.password });
    await user.page.getByLabel('Email').fill(who.email);
    await user.page.getByLabel('Password').fill(who.password);
    await user.page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(user.page, home);
    return user;
  }

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the last seven days show by default, grouped by day, with the total of the shown entries', async () => {
    const page = admin.page;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Entries' }).click();
    await waitForPath(page, '/entries');
    await page.getByRole('heading', { name: 'Entries', exact: true, level: 1 }).waitFor();
    await waitRows(page, 10);
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), day(6));
    assert.equal(await page.getByLabel('To', { exact: true }).inputValue(), day(0));
    assert.equal(page.url(), `${server.baseUrl}/entries`, 'default filters keep the URL clean');
    const notes = await rowTexts(page, 'cell-note');
    assert.ok(!notes.some((n) => n.includes('old restore drill')), 'entries older than a week are not shown');
    assert.match(notes[0], /landing page 1/, 'newest first');
    assert.match(notes[9], /backup run 5/);
    assert.equal(await page.locator('tr.entry-day').count(), 5, 'one heading per day');
    assert.deepEqual(new Set(await rowTexts(page, 'entry-duration')), new Set(['1:30', '0:45']));
    assert.equal((await page.locator('.entries-total-value').textContent()).trim(), '11:15');
    assert.match(await page.locator('.entries-count').textContent(), /^10 entries/);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).isVisible(), false);
  });

  test('filters narrow the list, live in the URL, and survive reload, back and forward', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries`);
    await waitRows(page, 10);

    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Backups · Acme' });
    await waitRows(page, 5);
    assert.equal(param(page, 'project_id'), ids.backups);
    assert.ok((await rowTexts(page, 'cell-project')).every((t) => t.startsWith('Backups')));

    // The task menu offers the chosen project's tasks.
    const task = page.getByLabel('Task', { exact: true });
    await page.waitForFunction(() => !document.querySelector('select[name="task_id"]').disabled);
    await task.selectOption({ label: 'Rotate keys' });
    await waitRows(page, 3);
    assert.equal(param(page, 'task_id'), ids.task);
    assert.ok((await rowTexts(page, 'cell-note')).every((t) => t.startsWith('Rotate keys')));

    // Typing waits for a pause, then narrows; the text is in the URL too.
    await page.getByLabel('Search notes').fill('run 3');
    await waitRows(page, 1);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'run 3');
    assert.match(await page.locator('.entries-total-value').textContent(), /^1:30$/);

    // Reload: the same filters and the same list.
    await page.reload();
    await waitRows(page, 1);
    assert.equal(await page.getByLabel('Project', { exact: true }).inputValue(), ids.backups);
    await page.waitForFunction((id) => document.querySelector('select[name="task_id"]').value === id, ids.task);
    assert.equal(await page.getByLabel('Search notes').inputValue(), 'run 3');

    // Back: before the task was chosen (typing replaces the history entry, it does not add one).
    await page.goBack();
    await waitRows(page, 5);
    assert.equal(param(page, 'task_id'), null);
    assert.equal(param(page, 'q'), null);
    assert.equal(await page.getByLabel('Search notes').inputValue(), '');
    await page.goForward();
    await waitRows(page, 1);
    assert.equal(param(page, 'q'), 'run 3');

    // Tag, billable and client filters, straight from a link.
    await page.goto(`${server.baseUrl}/entries?tag=web`);
    await waitRows(page, 3);
    assert.equal(await page.getByLabel('Tag', { exact: true }).inputValue(), 'web');
    await page.goto(`${server.baseUrl}/entries?billable=false`);
    await waitRows(page, 5);
    assert.ok((await rowTexts(page, 'cell-project')).every((t) => t.startsWith('Website')));
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Acme' });
    await waitRows(page, 0);
    assert.equal(param(page, 'billable'), 'false');
    await page.getByLabel('Billable', { exact: true }).selectOption({ label: 'Billable' });
    await waitRows(page, 5);
    assert.equal(param(page, 'billable'), 'true');
    assert.ok((await rowTexts(page, 'cell-project')).every((t) => t.startsWith('Backups')));

    // ?from=&to= choose the days (an older one too).
    await page.goto(`${server.baseUrl}/entries?from=${day(3)}&to=${day(3)}`);
    await waitRows(page, 2);
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), day(3));
    await page.goto(`${server.baseUrl}/entries?from=${day(20)}&to=${day(20)}`);
    await waitRows(page, 1);
    assert.match(await page.locator('tr.entry-row .cell-note').textContent(), /old restore drill/);

    // Nothing matches: say so, and offer to clear the filters.
    await page.goto(`${server.baseUrl}/entries?q=nothing-like-this`);
    await waitRows(page, 0);
    await page.getByText('No entries match these filters').waitFor();
    await page.locator('.empty').getByRole('button', { name: 'Clear filters' }).click();
    await waitRows(page, 10);
    assert.equal(page.url(), `${server.baseUrl}/entries`);
  });

  test('Load more appends the next page and disappears on the last one', async () => {
    const page = admin.page;
    const d = day(30);
    await page.evaluate(async ([date, projectId]) => {
      for (let i = 0; i < 60; i += 1) {
        const start = new Date(Date.parse(`${date}T00:00:00Z`) + i * 12 * 60_000);
        const end = new Date(start.getTime() + 10 * 60_000);
        const res = await fetch('/api/v1/entries', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ project_id: projectId, start: start.toISOString(), end: end.toISOString(), note: `batch ${i + 1}` }),
        });
        if (res.status !== 201) throw new Error(`entry ${i} → ${res.status}`);
      }
    }, [d, ids.website]);
    await page.goto(`${server.baseUrl}/entries?from=${d}&to=${d}`);
    await waitRows(page, 50);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.waitFor();
    assert.equal((await page.locator('.entries-total-value').textContent()).trim(), '8:20');
    assert.match(await page.locator('.entries-count').textContent(), /50 entries shown/);
    await more.click();
    await waitRows(page, 60);
    await more.waitFor({ state: 'hidden' });
    assert.equal((await page.locator('.entries-total-value').textContent()).trim(), '10:00');
    assert.equal(await page.locator('tr.entry-day').count(), 1, 'the day heading is not repeated');
    const notes = await rowTexts(page, 'cell-note');
    assert.equal(new Set(notes).size, 60, 'no entry twice');
    assert.equal(notes[59], 'batch 1');
  });

  test('Edit and Delete keep the rows and the total in step', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries?from=${day(4)}&to=${day(4)}`);
    await waitRows(page, 2);
    assert.equal((await page.locator('.entries-total-value').textContent()).trim(), '2:15');

    await row(page, 'landing page 4').getByRole('button', { name: /^Edit / }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit entry' });
    await dialog.getByLabel('End').fill(`${day(4)}T12:30`);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('.entries-total-value').textContent === '3:00');
    assert.equal((await row(page, 'landing page 4').locator('.entry-duration').textContent()).trim(), '1:30');

    await row(page, 'backup run 4').getByRole('button', { name: /^Delete / }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete entry' });
    await confirm.getByText(/backup run 4/).waitFor();
    await confirm.getByRole('button', { name: 'Delete entry' }).click();
    await waitRows(page, 1);
    assert.equal((await page.locator('.entries-total-value').textContent()).trim(), '1:30');
  });

  test('bulk: add a tag and move to a project in one request each; a refused request changes nothing', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/entries?from=${day(2)}&to=${day(1)}`);
    await waitRows(page, 4);
    const bar = page.getByRole('region', { name: 'Selected entries' });
    assert.equal(await bar.isVisible(), false, 'no bar without a selection');

    const bulkRequests = [];
    page.on('request', (req) => { if (req.url().endsWith('/api/v1/entries/bulk')) bulkRequests.push(req.postDataJSON()); });
    await row(page, 'landing page 1').getByRole('checkbox').check();
    await row(page, 'landing page 2').getByRole('checkbox').check();
    await bar.getByText('2 selected').waitFor();

    await bar.getByRole('button', { name: 'Add tag' }).click();
    const addDialog = page.getByRole('dialog', { name: 'Add a tag to 2 entries' });
    await addDialog.getByLabel('Tag').fill('billing');
    await addDialog.getByRole('button', { name: 'Add tag' }).click();
    await addDialog.waitFor({ state: 'hidden' });
    await page.locator('.toast').filter({ hasText: 'Added “billing” to 2 entries' }).waitFor();
    for (const note of ['landing page 1', 'landing page 2']) {
      assert.match(await row(page, note).locator('.cell-tags').textContent(), /billing/);
    }
    assert.doesNotMatch(await row(page, 'backup run 1').locator('.cell-tags').textContent(), /billing/);

    await bar.getByRole('button', { name: 'Move to project…' }).click();
    const moveDialog = page.getByRole('dialog', { name: 'Move 2 entries' });
    await moveDialog.getByLabel('Project').selectOption({ label: 'Backups · Acme' });
    await moveDialog.getByRole('button', { name: 'Move 2 entries' }).click();
    await moveDialog.waitFor({ state: 'hidden' });
    await page.locator('.toast').filter({ hasText: 'Moved 2 entries to Backups' }).waitFor();
    for (const note of ['landing page 1', 'landing page 2']) {
      assert.match(await row(page, note).locator('.cell-project').textContent(), /^Backups/);
    }
    assert.equal(bulkRequests.length, 2, 'one request per bulk change');
    assert.deepEqual(bulkRequests[1].project_id, ids.backups);
    const listed = (await ok(page, 'GET', `/api/v1/entries?from=${day(2)}&to=${day(1)}&q=landing`)).items;
    assert.ok(listed.every((e) => e.project_id === ids.backups && e.tags.includes('billing')), JSON.stringify(listed));

    // One of the selected entries vanishes behind the page's back: the server refuses the
    // whole request, the dialog says so, and no row changes.
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    await bar.waitFor({ state: 'hidden' });
    await row(page, 'backup run 2').getByRole('checkbox').check();
    await row(page, 'landing page 2').getByRole('checkbox').check();
    const gone = listed.find((e) => e.note === 'landing page 2');
    await ok(page, 'DELETE', `/api/v1/entries/${gone.id}`);
    await bar.getByRole('button', { name: 'Add tag' }).click();
    const failing = page.getByRole('dialog', { name: 'Add a tag to 2 entries' });
    await failing.getByLabel('Tag').fill('refused');
    await failing.getByRole('button', { name: 'Add tag' }).click();
    await failing.locator('.form-error').filter({ hasText: 'Nothing was changed' }).waitFor();
    assert.equal(await failing.getByLabel('Tag').inputValue(), 'refused', 'the dialog keeps what was typed');
    await failing.getByRole('button', { name: 'Cancel' }).click();
    assert.doesNotMatch(await row(page, 'backup run 2').locator('.cell-tags').textContent(), /refused/);
    const still = (await ok(page, 'GET', `/api/v1/entries?from=${day(2)}&to=${day(2)}&q=backup`)).items;
    assert.deepEqual(still[0].tags, ['ops'], 'the server changed nothing either');

    // Select all shown picks every row (the header box), and clears them again.
    await page.getByRole('checkbox', { name: 'Select all shown entries' }).check();
    await bar.getByText('4 selected').waitFor();
    await page.getByRole('checkbox', { name: 'Select all shown entries' }).uncheck();
    await bar.waitFor({ state: 'hidden' });
  });

  test('keyboard: g e opens Entries, / focuses the search, and Tab reaches the row controls', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('e');
    await waitForPath(page, '/entries');
    await page.locator('tr.entry-row').first().waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'q');
    const first = page.locator('tr.entry-row').first();
    await first.getByRole('checkbox').focus();
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || ''), /^Edit /);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused control shows a focus ring');
  });

  test('on a phone the filters fold into a disclosure and the rows become cards', async () => {
    const page = admin.page;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.baseUrl}/entries?tag=ops`);
      await page.locator('tr.entry-row').first().waitFor();
      const toggle = page.getByRole('button', { name: /^Filters/ });
      assert.match(await toggle.textContent(), /1 active/);
      assert.equal(await page.getByLabel('Search notes').isVisible(), false);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await page.getByLabel('Search notes').waitFor();
      const display = await page.locator('tr.entry-row').first().evaluate((el) => getComputedStyle(el).display);
      assert.equal(display, 'flex');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (${width} px)`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('an auditor reads a person’s entries without any edit, delete or bulk control', async () => {
    const page = auditor.page;
    await page.goto(`${server.baseUrl}/entries`);
    await page.getByRole('heading', { name: 'Entries', exact: true, level: 1 }).waitFor();
    await waitRows(page, 0);
    await page.getByText('No entries in the last 7 days').waitFor();

    await page.goto(`${server.baseUrl}/entries?user_id=${ids.me}&from=${day(5)}&to=${day(3)}`);
    await waitRows(page, 5);
    // The person is picked by name; a link's id selects them.
    const person = page.getByLabel('Person');
    await page.waitForFunction(() => [...document.querySelectorAll('select[name="user_id"] option')].some((o) => o.textContent === 'Grace Hopper'));
    assert.equal(await person.inputValue(), ids.me);
    assert.equal(await person.locator('option:checked').textContent(), ADMIN.name);
    assert.equal(await page.locator('table.entry-list input[type="checkbox"]').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'New entry' }).count(), 0);
    assert.equal(await page.getByRole('region', { name: 'Selected entries' }).count(), 0);
    assert.equal(await page.locator('table.entry-list thead th').count(), 6);
  });

  test('a manager edits a member’s entries on a project they manage, in bulk too', async () => {
    manager = await signedIn(admin.page, MANAGER, 'manager', '/dashboard');
    member = await signedIn(admin.page, MEMBER, 'member', '/dashboard');
    const managed = await ok(admin.page, 'POST', '/api/v1/projects', { name: 'Payroll', manager_ids: [manager.id], member_ids: [member.id] });
    for (const [i, note] of ['payroll export', 'payroll fixes'].entries()) {
      await ok(member.page, 'POST', '/api/v1/entries', {
        project_id: managed.id, start: `${day(1)}T0${i * 2}:00:00Z`, end: `${day(1)}T0${i * 2 + 1}:00:00Z`, note,
      });
    }

    const page = manager.page;
    // The manager picks the member by name: the people on the projects they manage, and no one
    // else (the admin and the auditor are not on Payroll).
    await page.goto(`${server.baseUrl}/entries?from=${day(1)}&to=${day(1)}`);
    const person = page.getByLabel('Person');
    await page.waitForFunction(() => document.querySelectorAll('select[name="user_id"] option').length > 1);
    assert.deepEqual(await person.locator('option').allTextContents(), ['You', MEMBER.name]);
    await person.selectOption({ label: MEMBER.name });
    await page.waitForURL((url) => url.searchParams.get('user_id') === member.id);
    await waitRows(page, 2);
    await page.getByText('Another person’s time entries').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New entry' }).count(), 0, 'new entries are always the caller’s own');
    assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 2);
    await page.getByRole('checkbox', { name: 'Select all shown entries' }).check();
    const bar = page.getByRole('region', { name: 'Selected entries' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Add tag' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a tag to 2 entries' });
    await dialog.getByLabel('Tag').fill('checked');
    await dialog.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('.toast').filter({ hasText: 'Added “checked” to 2 entries' }).waitFor();
    assert.deepEqual(await rowTexts(page, 'cell-tags'), ['checked', 'checked']);
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    for (const who of [admin, auditor, manager, member]) {
      assert.ok(who.requests.length > 10, `only ${who.requests.length} requests were recorded`);
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, [], `problems of ${who.id || "admin"}`);
    }
  });
});
