// Browser tests: real user flows that cross pages (first run, invite, sign-in, disable) against
// the real server binary in Chromium. What one page does on its own belongs in that page's file.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test
//
// The tests in this file share one server and run in order: the first walks the
// whole first-run → invite → disable flow; the later ones build on its users.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath } from './browser.mjs';

const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const MEMBER = { name: 'Bob Babbage', email: 'bob@example.com', password: 'difference engine 1822' };

describe('OphionTT in the browser', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, page }
  let member;
  let returning;
  let throttled;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  async function logIn(page, who) {
    await page.getByRole('heading', { name: 'Log in to OphionTT' }).waitFor();
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function assertOneSessionCookie(context) {
    const cookies = await context.cookies();
    assert.equal(cookies.length, 1, `expected exactly one cookie, got ${JSON.stringify(cookies)}`);
    const [cookie] = cookies;
    assert.equal(cookie.name, 'ophiontt_session');
    assert.equal(cookie.domain, '127.0.0.1');
    assert.equal(cookie.httpOnly, true, 'session cookie must be HttpOnly');
    assert.equal(cookie.sameSite, 'Strict', 'session cookie must be SameSite=Strict');
  }

  test('first admin sets up, invites a member, and disabling the member ends their session', async () => {
    admin = await recordingContext(browser);
    admin.page = await admin.context.newPage();
    const page = admin.page;

    // Arrange: the setup link the server printed.
    await page.goto(server.setupLink);
    await page.getByRole('heading', { name: 'Create the first admin account' }).waitFor();
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByRole('button', { name: 'Create admin account' }).click();

    // Signed in at once, on the Dashboard.
    await waitForPath(page, '/dashboard');
    await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).waitFor();
    await assertOneSessionCookie(admin.context);

    // Log out through the user menu, then log in again.
    await page.getByRole('button', { name: ADMIN.name }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await waitForPath(page, '/login');
    assert.deepEqual(await admin.context.cookies().then((c) => c.filter((x) => x.value)), [],
      'logging out leaves no session cookie');
    await logIn(page, { ...ADMIN, password: 'not the password' });
    await page.getByText('Email or password is wrong').waitFor();
    await logIn(page, ADMIN);
    await waitForPath(page, '/dashboard'); // everyone starts on the Dashboard
    await assertOneSessionCookie(admin.context);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await waitForPath(page, '/admin/users');

    // Create a member and capture the one-time link.
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill(MEMBER.name);
    await dialog.getByLabel('Email').fill(MEMBER.email);
    await dialog.getByLabel('Role').selectOption('member');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const linkInput = dialog.getByLabel('One-time link');
    await linkInput.waitFor();
    const link = await linkInput.inputValue();
    assert.match(link, new RegExp(`^${server.baseUrl}/reset#token=[A-Za-z0-9_-]+$`));
    await dialog.getByText('Send this link to the person; it works once and expires').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: `Disable ${MEMBER.email}` }).waitFor();

    // Second browser context: the member opens the link, sets a password, logs in.
    member = await recordingContext(browser);
    member.page = await member.context.newPage();
    const page2 = member.page;
    await page2.goto(link);
    await page2.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page2.getByLabel('New password', { exact: true }).fill(MEMBER.password);
    await page2.getByLabel('Confirm new password').fill(MEMBER.password);
    await page2.getByRole('button', { name: 'Set password' }).click();
    await waitForPath(page2, '/login');
    await page2.getByText('Password set — log in with your new password').waitFor();
    await logIn(page2, MEMBER);
    await waitForPath(page2, '/dashboard');
    await page2.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await waitForPath(page2, '/account');
    await page2.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page2.getByText(MEMBER.email).first().waitFor();
    const memberNav = page2.getByRole('navigation', { name: 'Main' });
    assert.equal(await memberNav.getByRole('link', { name: 'Users' }).count(), 0, 'members see no Users link');
    await assertOneSessionCookie(member.context);

    // The admin disables the member from the users page (asked once).
    await page.getByRole('button', { name: `Disable ${MEMBER.email}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable user' });
    await confirm.getByText(`Disable ${MEMBER.name}? They are signed out at once and cannot log in until enabled again.`).waitFor();
    await confirm.getByRole('button', { name: 'Disable user' }).click();
    await page.getByRole('button', { name: `Enable ${MEMBER.email}` }).waitFor();
    await page.getByRole('row', { name: new RegExp(MEMBER.email) }).getByText('Disabled').waitFor();

    // The member's next action ends on the login page; the API says 401.
    await page2.reload();
    await waitForPath(page2, '/login');
    await page2.getByRole('heading', { name: 'Log in to OphionTT' }).waitFor();
    const status = await page2.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert.equal(status, 401);

    // Logging in again is refused with a clear reason.
    await logIn(page2, MEMBER);
    await page2.getByText('This account is disabled').waitFor();
  });

  test('a signed-out visit to an app page returns there after logging in', async () => {
    assert.ok(admin, 'needs the first test');
    returning = await recordingContext(browser);
    const page = await returning.context.newPage();
    await page.goto(`${server.baseUrl}/admin/audit?action=user.created`);
    await waitForPath(page, '/login');
    await logIn(page, ADMIN);
    await waitForPath(page, '/admin/audit');
    assert.equal(new URL(page.url()).searchParams.get('action'), 'user.created');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await returning.context.close();
  });

  test('audit log shows the flow and filtering by action narrows the table', async () => {
    assert.ok(admin, 'needs the first test');
    const page = admin.page;
    // Keyboard: "g a" goes to the audit log (ignored while typing in a field).
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await waitForPath(page, '/admin/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByText('Viewing the audit log is itself recorded.').waitFor();
    await page.getByText(/Chain verified: \d+ records/).waitFor();

    const rows = page.locator('table.audit-table tbody tr.audit-row');
    await rows.first().waitFor();
    const actions = () => page.locator('table.audit-table tbody tr.audit-row code.action').allTextContents();
    const all = await actions();
    assert.ok(all.includes('user.created'), `user.created missing in ${all}`);
    assert.ok(all.includes('user.disabled'), `user.disabled missing in ${all}`);

    // A row expands to show its body.
    await page.getByRole('button', { name: /^Details of record \d+$/ }).first().click();
    await page.locator('tr.audit-detail:not([hidden])').first().waitFor();

    // Filter by action: the URL carries it and only matching rows remain.
    await page.getByLabel('Action').selectOption('user.disabled');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'user.disabled');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.audit-table tbody tr.audit-row code.action')];
      return cells.length > 0 && cells.every((c) => c.textContent === 'user.disabled');
    }, null, { timeout: 10_000 });
    const filtered = await actions();
    assert.ok(filtered.length >= 1 && filtered.length < all.length, `filter did not narrow: ${filtered.length} of ${all.length}`);

    // Reload keeps the filter (it lives in the URL).
    await page.reload();
    await rows.first().waitFor();
    assert.equal(await page.getByLabel('Action').inputValue(), 'user.disabled');
    assert.ok((await actions()).every((a) => a === 'user.disabled'));
  });

  test('account page saves name and time zone, and a wrong current password is shown inline', async () => {
    assert.ok(admin, 'needs the first test');
    const page = admin.page;
    await page.goto(`${server.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();

    await page.getByRole('region', { name: 'Profile' }).getByLabel('Name').fill('Ada King');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByRole('button', { name: 'Ada King' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Profile' }).getByLabel('Name').inputValue(), 'Ada King');
    assert.equal(await page.getByLabel('Time zone').inputValue(), 'Asia/Tokyo');

    await page.getByLabel('Current password').fill('this is not it at all');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase 2026');
    await page.getByLabel('Confirm new password').fill('a brand new passphrase 2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Current password is wrong').waitFor();
    assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true');
    // The form keeps what was typed.
    assert.equal(await page.getByLabel('New password', { exact: true }).inputValue(), 'a brand new passphrase 2026');

    // Unknown paths get the client-side not-found page.
    await page.goto(`${server.baseUrl}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the start page' }).click();
    await waitForPath(page, '/dashboard');
  });

  test('too many wrong passwords get a wait message next to the form, not a crash', async () => {
    throttled = await recordingContext(browser);
    const page = await throttled.context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    const guesser = { email: 'nobody@example.com', password: 'not the password' };
    for (let i = 0; i < 10; i += 1) {
      await logIn(page, guesser);
      await page.getByText('Email or password is wrong').waitFor();
    }
    await logIn(page, guesser);
    await page.getByText(/Too many login attempts\. Wait \d+ seconds/).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await throttled.context.close();
  });

  test('no request of either user left 127.0.0.1, and no page error or CSP violation happened', () => {
    assert.ok(admin && member, 'needs the first test');
    const extra = [returning, throttled].filter(Boolean);
    const requests = [...admin.requests, ...member.requests, ...extra.flatMap((c) => c.requests)];
    assert.ok(requests.length > 10, `only ${requests.length} requests were recorded`);
    assert.deepEqual(foreignRequests(requests, server.baseUrl), []);
    assert.deepEqual([...admin.problems, ...member.problems, ...extra.flatMap((c) => c.problems)], []);
  });
});
