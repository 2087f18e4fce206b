// Browser tests for privacy requests: a member downloads their data and asks for erasure on My
// account (a second ask is told one is pending); the admin finds that request on Privacy
// requests, records a correction request for another member and corrects them (a bad email is
// refused at the field first), and closes a request as refused (a note is required); a request
// received 60 days ago stands out as overdue; an auditor reads the register without the actions.
// Own server, own first admin; other people are set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./privacy.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Europe/Berlin' };
const MEMBER = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma bombe 1940' };
const OTHER = { name: 'Ada Lovelace', email: 'ada@example.com' };
const AUDITOR = { name: 'Katherine Johnson', email: 'katherine@example.com', password: 'hidden figures 1962' };

/** Sets the password of a new account through its reset link and signs in; returns the page. */
async function signInNew(ctx, created, who, landing) {
  const page = await ctx.context.newPage();
  await page.goto(created.reset_link.url);
  await page.getByRole('heading', { name: 'Set your password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(who.password);
  await page.getByLabel('Confirm new password').fill(who.password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await waitForPath(page, '/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, landing);
  return page;
}

/** YYYY-MM-DD `days` ago (UTC). */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe('privacy requests in the browser', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin;
  let member;
  let auditor;
  let erasure; // the member's own request

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

  test('a member downloads their data and asks for erasure; a second ask says one is pending', async () => {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: MEMBER.name, email: MEMBER.email, role: 'member', time_zone: 'Europe/London' });
    member = await recordingContext(browser, { acceptDownloads: true });
    const page = await signInNew(member, created, MEMBER, '/dashboard');
    await page.goto(`${server.baseUrl}/account`);
    const section = page.getByRole('region', { name: 'Your data' });
    await section.getByText('None. Requests you make here').waitFor();

    // Download: a real file, named .zip, not empty.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('link', { name: 'Download my data' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.zip$/);
    const file = await download.path();
    assert.ok((await stat(file)).size > 0, 'the ZIP is not empty');
    assert.equal(new URL(page.url()).pathname, '/account', 'the page stays');

    // Ask for erasure: a confirmation that says what happens next, and the request listed.
    await section.getByRole('button', { name: 'Ask for erasure' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ask for erasure' });
    await dialog.getByLabel('Anything the admin should know? (optional)').fill('I am leaving the company.');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const mine = await apiOk(page, 'GET', '/api/v1/me/privacy/requests');
    assert.equal(mine.items.length, 1);
    erasure = mine.items[0];
    assert.equal(erasure.kind, 'erasure');
    await section.locator('.pr-sent', { hasText: 'Your erasure request was sent.' }).waitFor();
    assert.match(await section.locator('.pr-sent').textContent(), /An admin answers it by .+; you can follow it below\./);
    const item = section.locator(`li.pr-mine-item[data-id="${erasure.id}"]`);
    await item.waitFor();
    assert.equal(await item.locator('.pr-mine-kind').textContent(), 'Erasure');
    assert.equal(await item.locator('.pr-status').textContent(), 'Open');
    assert.equal(await item.locator('time.pr-mine-due').getAttribute('datetime'), erasure.due_on);

    // A second ask: the form says one is open already, and keeps its content.
    await section.getByRole('button', { name: 'Ask for erasure' }).click();
    await dialog.getByLabel('Anything the admin should know? (optional)').fill('Again, please.');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.locator('.form-error', { hasText: 'You already have an open erasure request' }).waitFor();
    assert.equal(await dialog.getByLabel('Anything the admin should know? (optional)').inputValue(), 'Again, please.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await apiOk(page, 'GET', '/api/v1/me/privacy/requests')).items.length, 1);
  });

  test('the admin sees the request with its due date, corrects another member (a bad email first) and refuses with a note', async () => {
    const page = admin.page;
    await apiOk(page, 'POST', '/api/v1/users', { name: OTHER.name, email: OTHER.email, role: 'member', time_zone: 'Europe/London' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy requests' }).click();
    await waitForPath(page, '/admin/privacy');
    await page.getByRole('heading', { name: 'Privacy requests', level: 1 }).waitFor();
    await page.locator('.pr-law', { hasText: 'GDPR' }).waitFor();
    const row = page.locator(`tr.pr-row[data-id="${erasure.id}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td[data-label="Kind"]').textContent(), 'Erasure');
    assert.match(await row.locator('td[data-label="Person"]').textContent(), new RegExp(`^${MEMBER.email}asked on My account`));
    assert.equal(await row.locator('td[data-label="Due"] time').getAttribute('datetime'), erasure.due_on);
    assert.match(await row.locator('td[data-label="Due"]').textContent(), /in \d+ days/);

    // Open it: its page names the person, the due date and what the member wrote.
    await row.getByRole('link', { name: MEMBER.email }).click();
    await waitForPath(page, `/admin/privacy/${erasure.id}`);
    await page.getByRole('heading', { name: 'Erasure request', level: 1 }).waitFor();
    await page.locator('.pr-fact-due', { hasText: /in \d+ days/ }).waitFor();
    await page.getByText('I am leaving the company.').waitFor();
    await page.getByRole('button', { name: 'Erase…' }).waitFor();

    // A correction request for the other member, recorded through New request.
    await page.getByRole('link', { name: '← Privacy requests' }).click();
    await waitForPath(page, '/admin/privacy');
    await page.getByRole('button', { name: 'New request' }).click();
    const dialog = page.getByRole('dialog', { name: 'New privacy request' });
    await dialog.getByLabel('Kind').selectOption('correction');
    await dialog.getByLabel('Their account (email)').fill(OTHER.email);
    await dialog.getByLabel('Identity verification').fill('Asked in person');
    await dialog.getByLabel('Details').fill('My name is Augusta Ada King');
    await dialog.getByRole('button', { name: 'Record request' }).click();
    await page.getByRole('heading', { name: 'Correction request', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Correct…' }).click();
    const correct = page.getByRole('dialog', { name: `Correct ${OTHER.name}’s data` });
    await correct.getByLabel('Name').fill('Augusta Ada King');
    await correct.getByLabel('Email').fill('not an email');
    await correct.getByRole('button', { name: 'Save correction' }).click();
    const emailError = correct.locator('.field', { has: page.getByLabel('Email') }).locator('.field-error');
    await emailError.waitFor();
    assert.equal(await emailError.textContent(), 'Enter a valid email address, like name@example.com');
    assert.equal(await correct.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    assert.equal(await correct.getByLabel('Name').inputValue(), 'Augusta Ada King', 'the form keeps its content');
    await correct.getByLabel('Email').fill('ada.king@example.com');
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await correct.waitFor({ state: 'hidden' });
    await page.locator('.pr-action[data-what="corrected"]', { hasText: 'changed: name, email' }).waitFor();
    const users = await apiOk(page, 'GET', '/api/v1/users?q=ada.king');
    assert.equal(users.items[0].name, 'Augusta Ada King');

    // Refuse the member's erasure: without a note the field says why it is needed.
    await page.goto(`${server.baseUrl}/admin/privacy/${erasure.id}`);
    await page.getByRole('button', { name: 'Close request…' }).click();
    const close = page.getByRole('dialog', { name: 'Close the request' });
    await close.getByLabel('Outcome').selectOption('refused');
    await close.getByRole('button', { name: 'Close request' }).click();
    const noteError = close.locator('.field', { has: page.getByLabel('Note') }).locator('.field-error');
    await noteError.waitFor();
    assert.equal(await noteError.textContent(), 'Give the reason for the refusal; the person is told it');
    await close.getByLabel('Note').fill('Entries are needed for payroll until the end of the year');
    await close.getByRole('button', { name: 'Close request' }).click();
    await close.waitFor({ state: 'hidden' });
    await page.locator('.pr-badges .pr-status', { hasText: 'Refused' }).waitFor();
    await page.locator('.pr-action[data-what="closed"]', { hasText: 'refused: Entries are needed for payroll' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Close request…' }).count(), 0, 'a closed request takes no actions');
  });

  test('a request received 60 days ago stands out as overdue', async () => {
    const page = admin.page;
    const late = await apiOk(page, 'POST', '/api/v1/privacy/requests', {
      kind: 'access', subject: 'Charles Babbage (letter)', received_on: daysAgo(60), verification: 'signed letter',
    });
    assert.equal(late.urgency, 'overdue');
    await page.goto(`${server.baseUrl}/admin/privacy`);
    const row = page.locator(`tr.pr-row[data-id="${late.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-urgency'), 'overdue');
    assert.equal(await row.locator('.badge-overdue').textContent(), 'Overdue');
    assert.match(await row.locator('td[data-label="Due"]').textContent(), /\d+ days late/);
    const accent = await row.locator('td').first().evaluate((td) => getComputedStyle(td).boxShadow);
    assert.notEqual(accent, 'none', 'the overdue row has its accent');
    await page.locator('.pr-count-overdue', { hasText: '1 overdue' }).waitFor();
    // The refused erasure is hidden until closed requests are shown too.
    assert.equal(await page.locator(`tr.pr-row[data-id="${erasure.id}"]`).count(), 0);
    await page.getByLabel('Show closed requests too').check();
    await page.locator(`tr.pr-row[data-id="${erasure.id}"][data-status="refused"]`).waitFor();
    await page.waitForURL((url) => url.searchParams.get('all') === '1');
  });

  test('an auditor reads the register and a request without the actions', async () => {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', { name: AUDITOR.name, email: AUDITOR.email, role: 'auditor', time_zone: 'America/Chicago' });
    auditor = await recordingContext(browser);
    const page = await signInNew(auditor, created, AUDITOR, '/dashboard');

    // `g v` goes to Privacy requests.
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).click();
    await page.keyboard.press('g');
    await page.keyboard.press('v');
    await waitForPath(page, '/admin/privacy');
    await page.getByText('only an admin can record or answer requests').waitFor();
    await page.locator('tr.pr-row[data-urgency="overdue"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New request' }).count(), 0);

    await page.locator('tr.pr-row[data-urgency="overdue"] a.pr-subject').click();
    await page.getByRole('heading', { name: 'Access request', level: 1 }).waitFor();
    await page.getByText('signed letter').waitFor();
    for (const name of ['Close request…', 'Extend…', 'Correct…', 'Erase…']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }
    assert.equal(await page.getByRole('link', { name: 'Download export ZIP' }).count(), 0);
  });

  test('no request left 127.0.0.1, and no page error or CSP violation', () => {
    for (const who of [admin, member, auditor].filter(Boolean)) {
      assert.deepEqual(foreignRequests(who.requests, server.baseUrl), []);
      assert.deepEqual(who.problems, []);
    }
  });
});
