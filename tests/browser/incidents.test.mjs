// Browser test of the breach register: an incident from opening to notification. The admin
// opens an incident from the Incidents page (its period starting an hour back), sees the
// 72-hour countdown, fills in the Art. 33 particulars until the checklist is complete, finds
// the people proposed from the record of reads (the member whose account was looked at), adds
// one no read names by her email,
// confirms them, sends the drafted notification (one e-mail queued in the outbox), records the
// authority's notification, and downloads the report; the register lists it as notified.
// Own server; e-mail goes to a closed loopback port (queued, never delivered).
// Set INCIDENT_SCREENSHOTS=<dir> to keep screenshots of the pages at 1280×800 and 390×844.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./incidents.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './server.mjs';
import { closedPort, mailEnv } from './smtp.mjs';
import { launchChromium, recordingContext, foreignRequests, waitForPath, createFirstAdmin, apiOk } from './browser.mjs';

const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959', zone: 'Europe/Berlin' };
const SHOTS = process.env.INCIDENT_SCREENSHOTS;

/** `datetime-local` text of an instant `ms` in Europe/Berlin. */
function berlinLocal(ms) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ADMIN.zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

async function shoot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('the breach register in the browser', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin;

  before(async () => {
    const port = await closedPort();
    server = await startServer({
      env: {
        ...mailEnv(port),
        OPHIONTT_WEBHOOKS_MAX_ATTEMPTS: '1',
      },
    });
    browser = await launchChromium();
    admin = await recordingContext(browser, { acceptDownloads: true });
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

  test('an incident from opening to notification', async () => {
    const page = admin.page;
    // Two members; the admin looks at Ben's account and the user list (recorded reads).
    const ben = await apiOk(page, 'POST', '/api/v1/users', { name: 'Ben Okri', email: 'ben@example.com', role: 'member', time_zone: 'UTC' });
    await apiOk(page, 'POST', '/api/v1/users', { name: 'Cleo Laine', email: 'cleo@example.com', role: 'member', time_zone: 'UTC' });
    await apiOk(page, 'GET', `/api/v1/users/${ben.user.id}`);
    await apiOk(page, 'GET', '/api/v1/users');

    // The register, empty; open an incident whose period began an hour ago.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await waitForPath(page, '/admin/incidents');
    await page.getByText('No incidents recorded').waitFor();
    await page.getByRole('button', { name: 'Open incident' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Open incident' });
    await dialog.getByLabel('What happened').fill('Admin session hijacked from a shared computer');
    await dialog.getByLabel('Details').fill('Someone used an admin session left open in the office.');
    await dialog.getByLabel('From').fill(berlinLocal(Date.now() - 3_600_000));
    await shoot(page, 'incident-open-dialog');
    await dialog.getByRole('button', { name: 'Open incident' }).click();
    await page.waitForURL(/\/admin\/incidents\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'Admin session hijacked from a shared computer' }).waitFor();
    const countdown = page.locator('.inc-card .inc-deadline');
    assert.match(await countdown.textContent(), /^7[12] h \d+ min left to notify the authority$/);
    await page.getByText(/^[78] of 8 missing$/).waitFor(); // the contact point starts as privacy.contact

    // The Art. 33(3) particulars, until the checklist is complete.
    const details = page.getByRole('region', { name: 'What the authority must be told' });
    await details.getByLabel('Nature of the breach').fill('Confidentiality: account details seen by an unknown person');
    await details.getByLabel('Categories of people').fill('Staff');
    await details.getByLabel('Approximate number of people').fill('1');
    await details.getByLabel('Categories of records').fill('Account details');
    await details.getByLabel('Approximate number of records').fill('1');
    await details.getByLabel('Likely consequences').fill('Phishing e-mails using your name');
    await details.getByLabel('Measures taken or proposed').fill('All sessions were signed out and passwords reset');
    await details.getByLabel('Contact point').fill('Grace Hopper, privacy@example.com');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Incident saved').waitFor();
    await details.getByText('Complete', { exact: true }).waitFor();
    await shoot(page, 'incident-details');

    // The people proposed from the record of reads: Ben, whose account was looked at.
    const people = page.getByRole('region', { name: 'People affected' });
    await people.getByRole('button', { name: 'Find affected people' }).click();
    const pick = people.getByRole('checkbox', { name: /Ben Okri/ });
    await pick.waitFor();
    assert.equal(await people.getByRole('checkbox', { name: /Cleo Laine/ }).count(), 0, 'Cleo was not read');
    await people.getByText('Everyone may be affected').waitFor(); // the user list was read too
    await shoot(page, 'incident-proposal');
    await pick.check();
    // Cleo is affected too, though no read names her: added by her email.
    const addField = people.getByLabel('Add a person by email');
    await addField.fill('nobody@example.com');
    await people.getByRole('button', { name: 'Add', exact: true }).click();
    await people.getByText('No account has this email').waitFor();
    await addField.fill('cleo@example.com');
    await addField.press('Enter');
    const cleo = people.getByRole('checkbox', { name: /Cleo Laine/ });
    await cleo.waitFor();
    assert.equal(await cleo.isChecked(), true);
    await people.getByRole('button', { name: 'Save affected list' }).click();
    await page.getByText('2 people marked as affected').waitFor();
    const row = page.getByRole('region', { name: 'People affected' }).getByRole('row', { name: /Ben Okri/ });
    await row.getByText('Record of reads').waitFor();
    await row.getByText('Not yet').waitFor();
    const byHand = page.getByRole('region', { name: 'People affected' }).getByRole('row', { name: /Cleo Laine/ });
    await byHand.getByText('Added by hand').waitFor();

    // The notification: drafted from the register, sent once through the outbox.
    const notify = page.getByRole('region', { name: 'Notify the people affected' });
    await notify.getByRole('button', { name: 'Draft notification' }).click();
    const text = notify.getByLabel('Text');
    assert.match(await text.inputValue(), /^Hello \{name\},/);
    assert.match(await text.inputValue(), /Phishing e-mails using your name/);
    await shoot(page, 'incident-draft');
    await notify.getByRole('button', { name: 'Send to 2 people' }).click();
    await page.getByText('Notification queued for 2 people').waitFor();
    await page.getByRole('region', { name: 'People affected' }).getByText('2 of 2 notified').waitFor();
    await notify.getByText(/“Important: a personal data breach that concerns you” to 2 people/).waitFor();
    const outbox = await apiOk(page, 'GET', '/api/v1/outbox?channel=email');
    const mails = outbox.items.filter((m) => m.event === 'email.breach_notice');
    assert.deepEqual(mails.map((m) => m.to).sort(), ['ben@example.com', 'cleo@example.com']);

    // The authority's notification, within the 72 hours.
    await page.getByLabel('Reference').fill('DPA-2026-0042');
    await page.getByRole('button', { name: 'Record notification' }).click();
    await page.getByText('Notification of the authority recorded').waitFor();
    assert.match(await countdown.textContent(), /^Authority notified /);
    await shoot(page, 'incident-notified');

    // The report for the authority, as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^incident-[0-9a-f-]{36}\.md$/);
    const report = await readFile(await download.path(), 'utf8');
    assert.match(report, /^# Personal data breach: Admin session hijacked/);
    assert.match(report, /## People affected: 2 \(2 notified, Art\. 34\)/);
    assert.match(report, /Reference: DPA-2026-0042/);

    // The register lists it, notified, with its people told.
    await page.getByRole('link', { name: '← Incidents' }).click();
    await waitForPath(page, '/admin/incidents');
    const listed = page.getByRole('row', { name: /Admin session hijacked/ });
    await listed.getByText(/^Authority notified /).waitFor();
    await listed.getByText('2 of 2').waitFor();
    await shoot(page, 'incidents-list');
    if (SHOTS) {
      await page.setViewportSize({ width: 390, height: 844 });
      await shoot(page, 'incidents-list-phone');
      await listed.getByRole('link').click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await shoot(page, 'incident-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    assert.deepEqual(foreignRequests(admin.requests, server.baseUrl), []);
    assert.deepEqual(admin.problems, []);
  });
});
