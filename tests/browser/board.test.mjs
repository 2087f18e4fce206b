// Browser tests for a project's task board (/projects/:id/board), the Clients page and the
// Tags page. Own server, own first admin; an auditor signs in in a second context.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test board.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiCall } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Europe/Berlin' };
const AUDITOR = { name: 'Katherine Johnson', email: 'katherine@example.com', password: 'orbital mechanics 1962' };

describe('task board, clients and tags', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let auditor;
  let project;

  /** Calls the API from the admin's page, with its session cookie. */
  const call = (method, path, body) => apiCall(admin.page, method, path, body);

  const tasks = async () => (await call('GET', `/api/v1/projects/${project.id}/tasks?archived=true`)).body.items;
  const column = (page, status) => page.locator(`section.board-col[data-status="${status}"]`);
  const boardUrl = () => `${server.baseUrl}/projects/${project.id}/board`;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;
    await createFirstAdmin(page, server.setupLink, ADMIN);

    const me = (await call('GET', '/api/v1/me')).body;
    const created = await call('POST', '/api/v1/projects', { name: 'Backups', color: '#2b8a3e', member_ids: [me.id] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    project = created.body;

    // An auditor, with a password set through the one-time link.
    const user = await call('POST', '/api/v1/users', { name: AUDITOR.name, email: AUDITOR.email, role: 'auditor', time_zone: 'America/Chicago' });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const token = new URL(user.body.reset_link.url).hash.replace(/^#token=/, '');
    const reset = await call('POST', '/api/v1/password-reset', { token, new_password: AUDITOR.password });
    assert.equal(reset.status, 204, JSON.stringify(reset.body));
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('the Projects page leads to the board; a new task lands in Open with its estimate and assignee', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByRole('link', { name: 'Task board of Backups' }).click();
    await waitForPath(page, `/projects/${project.id}/board`);
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Backups board · OphionTT');
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).getAttribute('aria-current'), 'true');
    await column(page, 'open').getByText('No open tasks. Add one with New task.').waitFor();
    await column(page, 'in_progress').getByText('Nothing in progress.').waitFor();
    await column(page, 'done').getByText('Nothing done yet.').waitFor();

    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Title').fill('Rotate keys');
    await dialog.getByLabel('Description').fill('All RAID keys, then the offsite copy.');
    await dialog.getByLabel('Assignee').selectOption({ label: `You (${ADMIN.name})` });
    await dialog.getByLabel('Estimate').fill('an hour');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    const estimateField = dialog.locator('.field').filter({ has: page.getByLabel('Estimate') });
    await estimateField.getByText('Enter hours like 1.5, 1:30 or 90m').waitFor();
    assert.equal(await dialog.getByLabel('Title').inputValue(), 'Rotate keys', 'the form keeps what was typed');
    await dialog.getByLabel('Estimate').fill('90m');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const card = column(page, 'open').locator('.task-card', { hasText: 'Rotate keys' });
    await card.waitFor();
    assert.match(await card.textContent(), /Assigned to you/);
    assert.match(await card.textContent(), /Estimate 1:30/);
    assert.equal((await column(page, 'open').locator('.board-count').textContent()).trim(), '1');
    await column(page, 'open').getByText('No open tasks.').waitFor({ state: 'hidden' });
    const stored = (await tasks()).find((t) => t.title === 'Rotate keys');
    assert.equal(stored.estimate_secs, 5400);
    assert.equal(stored.status, 'open');
  });

  test('estimates are read as decimal hours, h:mm or minutes', async () => {
    const page = admin.page;
    const parsed = await page.evaluate(async () => {
      const { parseEstimate } = await import('/js/views/board-dialog.js');
      return ['1.5', '1:30', '90m', '2h', '1h30', '0,25', '', 'soon', '1:75'].map((t) => parseEstimate(t));
    });
    assert.deepEqual(parsed, [5400, 5400, 5400, 7200, 5400, 900, null, undefined, undefined]);
  });

  test('the Status menu moves a card from Open to In progress by keyboard, and the server keeps it there', async () => {
    const page = admin.page;
    await page.goto(boardUrl());
    const select = page.getByLabel('Status of Rotate keys');
    await select.focus();
    await page.keyboard.press('ArrowDown');
    const moved = column(page, 'in_progress').locator('.task-card', { hasText: 'Rotate keys' });
    await moved.waitFor();
    await page.getByText('Moved “Rotate keys” to In progress').waitFor();
    await column(page, 'open').getByText('No open tasks.').waitFor();
    assert.equal((await column(page, 'in_progress').locator('.board-count').textContent()).trim(), '1');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')
      || document.activeElement.labels[0].textContent), 'Status of Rotate keys', 'the focus stays on the card’s Status menu');
    assert.equal((await tasks()).find((t) => t.title === 'Rotate keys').status, 'in_progress');

    await page.reload();
    await column(page, 'in_progress').locator('.task-card', { hasText: 'Rotate keys' }).waitFor();
    assert.equal(await column(page, 'open').locator('.task-card').count(), 0);
  });

  test('a refused move shows the error and leaves the card where it was', async () => {
    const page = admin.page;
    await page.goto(boardUrl());
    const card = column(page, 'in_progress').locator('.task-card', { hasText: 'Rotate keys' });
    await card.waitFor();
    await page.route('**/api/v1/tasks/*', (route) => (route.request().method() === 'PATCH'
      ? route.fulfill({
        status: 409, contentType: 'application/problem+json',
        body: JSON.stringify({ status: 409, code: 'task.conflict', title: 'Conflict', detail: 'the task changed meanwhile' }),
      })
      : route.continue()));
    try {
      await page.getByLabel('Status of Rotate keys').selectOption('done');
      await page.locator('.toast-error', { hasText: '“Rotate keys” was not moved: the task changed meanwhile' }).waitFor();
      await card.waitFor();
      assert.equal(await column(page, 'done').locator('.task-card').count(), 0);
      assert.equal(await page.getByLabel('Status of Rotate keys').inputValue(), 'in_progress', 'the menu shows where the card is');
    } finally {
      await page.unroute('**/api/v1/tasks/*');
    }
  });

  test('a card dragged to Done moves there', async () => {
    const page = admin.page;
    const other = await call('POST', `/api/v1/projects/${project.id}/tasks`, { title: 'Check restore logs' });
    assert.equal(other.status, 201);
    await page.goto(boardUrl());
    const card = column(page, 'open').locator('.task-card', { hasText: 'Check restore logs' });
    await card.dragTo(column(page, 'done'));
    await column(page, 'done').locator('.task-card', { hasText: 'Check restore logs' }).waitFor();
    assert.equal((await tasks()).find((t) => t.title === 'Check restore logs').status, 'done');
  });

  test('comments: an empty or too long one is refused next to the box, a good one joins the thread', async () => {
    const page = admin.page;
    await page.goto(boardUrl());
    await page.getByRole('button', { name: 'Rotate keys' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate keys' });
    await dialog.getByText('No comments yet. Add the first below.').waitFor();
    const box = dialog.getByLabel('Add comment');
    const boxField = dialog.locator('.field').filter({ has: page.getByLabel('Add comment') });

    await dialog.getByRole('button', { name: 'Add comment' }).click();
    await boxField.getByText('Write a comment first').waitFor();
    assert.equal(await box.getAttribute('aria-invalid'), 'true');

    const long = 'x'.repeat(1001);
    await box.fill(long);
    await dialog.getByRole('button', { name: 'Add comment' }).click();
    await boxField.getByText('A comment has at most 1000 characters; this one has 1001').waitFor();
    assert.equal(await box.inputValue(), long, 'the text stays in the box');

    await box.fill('Keys rotated; offsite copy next week.');
    await dialog.getByRole('button', { name: 'Add comment' }).click();
    const comment = dialog.locator('li.comment', { hasText: 'Keys rotated; offsite copy next week.' });
    await comment.waitFor();
    assert.match(await comment.textContent(), new RegExp(`${ADMIN.name} \\(you\\)`));
    assert.match(await comment.locator('time').getAttribute('title'), /CET|CEST|GMT\+1|GMT\+2/, 'the time is in the user’s zone');
    assert.equal(await box.inputValue(), '');
    await dialog.getByRole('heading', { name: 'Comments (1)' }).waitFor();
    assert.equal((await tasks()).find((t) => t.title === 'Rotate keys').comments.length, 1);

    await page.keyboard.press('Escape');
    await column(page, 'in_progress').locator('.task-card', { hasText: '1 comment' }).waitFor();
  });

  test('editing a task and archiving it; archived tasks show behind the toggle', async () => {
    const page = admin.page;
    await page.goto(boardUrl());
    await page.getByRole('button', { name: 'Check restore logs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check restore logs' });
    await dialog.getByLabel('Estimate').fill('1.5');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const card = column(page, 'done').locator('.task-card', { hasText: 'Check restore logs' });
    assert.match(await card.textContent(), /Estimate 1:30/);

    await card.getByRole('button', { name: 'Check restore logs' }).click();
    await dialog.getByRole('button', { name: 'Archive task' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.waitFor({ state: 'detached' });
    await column(page, 'done').getByText('Nothing done yet.').waitFor();
    assert.equal((await tasks()).find((t) => t.title === 'Check restore logs').archived, true);

    await page.getByLabel('Show archived tasks').check();
    await column(page, 'done').locator('.task-card.is-archived', { hasText: 'Check restore logs' }).waitFor();
    assert.match(page.url(), /\?archived=1$/);
  });

  test('clients: create one, see its projects, archive it behind Show archived', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await waitForPath(page, '/clients');
    await page.getByText('No clients yet').waitFor();
    await page.getByRole('button', { name: 'New client' }).click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await dialog.locator('.field').filter({ has: page.getByLabel('Name') }).getByText('This field is required').waitFor();
    await dialog.getByLabel('Name').fill('Acme');
    await dialog.getByLabel('Notes').fill('Billing: monthly, net 30');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Acme/ });
    await row.waitFor();
    assert.match(await row.textContent(), /Billing: monthly, net 30/);
    assert.match(await row.textContent(), /Active/);

    const acme = (await call('GET', '/api/v1/clients')).body.items.find((c) => c.name === 'Acme');
    assert.equal((await call('PATCH', `/api/v1/projects/${project.id}`, { client_id: acme.id })).status, 200);
    await page.reload();
    assert.equal((await row.locator('td.num').textContent()).trim(), '1');

    await page.getByRole('button', { name: 'Edit Acme' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Acme' });
    await edit.getByLabel('Name').fill('Acme Corp');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Acme Corp/ }).waitFor();

    await page.getByRole('button', { name: 'Archive Acme Corp' }).click();
    await page.getByText('Acme Corp is archived: its projects take no new time').waitFor();
    await page.getByRole('row', { name: /Acme Corp/ }).waitFor({ state: 'detached' });
    await page.getByText('Every client is archived').waitFor();
    await page.getByText('1 archived client hidden').waitFor();
    assert.equal((await call('GET', '/api/v1/clients?archived=true')).body.items.find((c) => c.id === acme.id).archived, true);

    await page.getByLabel('Show archived clients').check();
    const archivedRow = page.getByRole('row', { name: /Acme Corp/ });
    await archivedRow.getByText('Archived', { exact: true }).waitFor();
    await archivedRow.getByRole('button', { name: 'Unarchive Acme Corp' }).click();
    await page.getByText('Acme Corp is active again').waitFor();
  });

  test('tags: renaming onto an existing tag says it merges, and the counts combine', async () => {
    const page = admin.page;
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const tagsOf = [['ops'], ['ops'], ['operations'], ['operations', 'backup'], ['operations']];
    for (const [i, tags] of tagsOf.entries()) {
      const res = await call('POST', '/api/v1/entries', {
        project_id: project.id, start: `${day}T0${i + 1}:00:00Z`, end: `${day}T0${i + 1}:30:00Z`, tags,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await page.goto(`${server.baseUrl}/tags`);
    const opsRow = page.locator('tr[data-tag="ops"]');
    await opsRow.waitFor();
    assert.equal(parseInt(await opsRow.locator('td.num').textContent(), 10), 2);
    assert.equal(parseInt(await page.locator('tr[data-tag="operations"] td.num').textContent(), 10), 3);

    await page.getByRole('button', { name: 'Rename operations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename #operations' });
    await dialog.getByText('#operations is on 3 entries.').waitFor();
    await dialog.getByLabel('New name').fill('#Ops');
    await dialog.getByText('#ops already exists on 2 entries; the two will be merged.').waitFor();
    await dialog.getByRole('button', { name: 'Merge into #ops' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Renamed on 3 entries: #operations is merged into #ops').waitFor();
    await page.locator('tr[data-tag="operations"]').waitFor({ state: 'detached' });
    await page.waitForFunction(() => parseInt(document.querySelector('tr[data-tag="ops"] td.num').textContent, 10) === 5);
    const listed = (await call('GET', '/api/v1/tags')).body.items;
    assert.deepEqual(listed.map((t) => [t.name, t.entries]), [['backup', 1], ['ops', 5]]);

    // A plain rename says nothing about merging.
    await page.getByRole('button', { name: 'Rename backup' }).click();
    const plain = page.getByRole('dialog', { name: 'Rename #backup' });
    await plain.getByLabel('New name').fill('backups');
    assert.equal(await plain.locator('.rename-effect').textContent(), '');
    await plain.getByRole('button', { name: 'Rename tag' }).click();
    await page.getByText('Renamed on 1 entry: #backup is now #backups').waitFor();
    await page.locator('tr[data-tag="backups"]').waitFor();
  });

  test('an auditor sees the board, clients and tags with no way to change them', async () => {
    auditor = await recordingContext(browser);
    const page = await auditor.context.newPage();
    auditor.page = page;
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email').fill(AUDITOR.email);
    await page.getByLabel('Password').fill(AUDITOR.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(page, '/dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'Task board of Backups' }).click();
    await waitForPath(page, `/projects/${project.id}/board`);
    const card = column(page, 'in_progress').locator('.task-card', { hasText: 'Rotate keys' });
    await card.waitFor();
    await page.getByText(/Read only: your role can see this board/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'New task' }).count(), 0);
    assert.equal(await page.locator('.board select').count(), 0, 'no Status menus');
    assert.equal(await page.locator('.task-card[draggable="true"]').count(), 0, 'nothing to drag');
    assert.match(await card.textContent(), /Assigned to teammate 1/);

    await card.getByRole('button', { name: 'Rotate keys' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate keys' });
    await dialog.locator('li.comment', { hasText: 'Keys rotated; offsite copy next week.' }).waitFor();
    await dialog.getByText('All RAID keys, then the offsite copy.').waitFor();
    assert.equal(await dialog.getByRole('textbox').count(), 0, 'no fields to edit, no comment box');
    assert.equal(await dialog.getByRole('button', { name: /Archive|Save|Add comment/ }).count(), 0);
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.goto(`${server.baseUrl}/clients?archived=1`);
    await page.getByRole('row', { name: /Acme Corp/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /New client|Edit|Archive|Unarchive/ }).count(), 0);
    await page.goto(`${server.baseUrl}/tags`);
    await page.locator('tr[data-tag="ops"]').waitFor();
    assert.equal(await page.getByRole('button', { name: /Rename/ }).count(), 0);
  });

  test('a board of a project that does not exist says so', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/projects/not-a-project/board`);
    await page.getByRole('heading', { name: 'Project not found' }).waitFor();
    await page.getByText('There is no such project, or you cannot see it').waitFor();
  });

  test('no request left 127.0.0.1, and no page error or CSP violation happened', () => {
    for (const who of [admin, auditor]) {
      assert.ok(who.requests.length > 10, `only ${who.requests.length} requests were recorded`);
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
