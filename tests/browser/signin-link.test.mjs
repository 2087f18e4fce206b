// Browser test for e-mailed links: the New user dialog says the invitation was e-mailed (and it
// arrives with the same link); then sign-in links (auth.sign_in_links): a member asks for a link on the login
// page, the e-mail arrives at an SMTP receiver on loopback (./smtp.mjs), the link opened in
// another browser is refused with what to do, and opened in the browser that asked it signs in
// and lands where the person was going, the token gone from the address bar; opened again it
// says the link no longer works.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./signin-link.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { startSmtp, mailEnv } from './smtp.mjs';
import {
  launchChromium, recordingContext, foreignRequests, createFirstAdmin, apiOk, waitForPath,
} from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959' };
const LINUS = { name: 'Linus Member', email: 'linus@example.com' };

describe('sign-in links in the web UI', { timeout: 120_000 }, () => {
  let server;
  let smtp;
  let browser;
  let admin;

  before(async () => {
    smtp = await startSmtp();
    server = await startServer({
      env: {
        ...mailEnv(smtp.port),
        OPHIONTT_AUTH_SIGN_IN_LINKS: 'true',
      },
    });
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
      if (smtp) await smtp.close();
    }
  });

  test('New user: with e-mail on, the dialog says the link was e-mailed too', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill(LINUS.name);
    await dialog.getByLabel('Email').fill(LINUS.email);
    await dialog.getByLabel('Role').selectOption('member');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByLabel('One-time link').waitFor();
    await dialog.getByText(`It was also e-mailed to ${LINUS.email}`).waitFor();
    const link = await dialog.getByLabel('One-time link').inputValue();
    const invitation = await smtp.next(LINUS.email);
    assert.ok(invitation.text.includes(link), 'the e-mail carries the same link');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  test('ask on the login page, refused in another browser, signed in in this one', async () => {
    const asking = await recordingContext(browser);
    const page = await asking.context.newPage();
    await page.goto(`${server.baseUrl}/login?next=/entries`);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const form = page.getByRole('form', { name: 'Sign in with an e-mailed link' });
    await form.getByLabel('Email').fill(LINUS.email);
    await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Check your email' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /linus@example\.com.*Open it in this browser within 15 minutes/s);

    const mail = await smtp.next(LINUS.email);
    assert.match(mail.raw, /^Subject: Your OphionTT sign-in link/m);
    const link = /(http:\/\/\S+\/signin#token=[A-Za-z0-9_-]+)/.exec(mail.text)[1];

    const other = await recordingContext(browser);
    const elsewhere = await other.context.newPage();
    await elsewhere.goto(link);
    await elsewhere.getByRole('alert').filter({ hasText: 'Open this link in the browser where you asked for it' }).waitFor();
    assert.equal((await apiCallStatus(elsewhere, '/api/v1/me')), 401);
    await other.context.close();

    await page.goto(link);
    await waitForPath(page, '/entries');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.doesNotMatch(page.url(), /token/);
    const me = await apiOk(page, 'GET', '/api/v1/me');
    assert.equal(me.email, LINUS.email);

    await page.goto(link);
    await page.getByRole('alert').filter({ hasText: 'This link no longer works' }).waitFor();
    assert.deepEqual(foreignRequests(asking.requests, server.baseUrl), []);
    await asking.context.close();

    const events = (await apiOk(admin.page, 'GET', `/api/v1/security-events?user_id=${me.id}&limit=50`)).items;
    const kinds = events.map((e) => `${e.kind}:${e.detail.method || e.detail.link || ''}:${e.detail.reason || ''}`);
    for (const want of ['link_issued:sign_in:', 'link_used:sign_in:', 'login_succeeded:link:', 'login_failed:link:other_browser']) {
      assert.ok(kinds.includes(want), `${want} in ${kinds.join(', ')}`);
    }
  });
});

/** The status of a GET from the page's own origin. */
function apiCallStatus(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).status, path);
}
