// "Waiting to send": timer starts and stops and quick-add lines done while the server cannot be
// reached are kept on the device (outbox.js), shown in the top bar, and sent in order when it is
// back, each at the time it was done; a replay after a lost answer makes nothing twice (the
// Idempotency-Key); an item the server refuses shows its reason and can be discarded.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test outbox.test.mjs

import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, apiCall, apiOk, waitFor } from './browser.mjs';
import { dayIn, daytimeZone } from './dates.mjs';

// Quick-add lines end now: the admin's zone is one where it is daytime, so they are today's.
const ADMIN = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler a-0 1952', zone: daytimeZone() };
const SECOND = { name: 'Jean Bartik', email: 'jean@example.com', password: 'eniac programmer 1946' };

describe('waiting to send: the offline outbox', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let rec;
  let page;

  /** Every entry of the last two days (a 20-minute line typed just after midnight ends today). */
  const recentEntries = async () => {
    const res = await apiOk(page, 'GET', `/api/v1/entries?from=${dayIn(ADMIN.zone, 1)}&to=${dayIn(ADMIN.zone)}&limit=100`);
    return res.items;
  };
  const indicator = () => page.locator('header.topbar .outbox-indicator');

  /** A stop kept offline that the server refuses (another device deleted the running entry). */
  const refusedStop = async (note) => {
    await page.goto(`${server.baseUrl}/today`);
    const project = page.getByLabel('Project', { exact: true });
    await project.locator('option', { hasText: 'Website' }).waitFor({ state: 'attached' });
    await project.selectOption({ label: 'Website' });
    await page.getByLabel('Note', { exact: true }).fill(note);
    await page.getByRole('button', { name: 'Start timer' }).click();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    const running = await waitFor(async () => (await apiOk(page, 'GET', '/api/v1/timer')).running, { what: 'the timer on the server' });
    assert.equal((await apiCall(page, 'DELETE', `/api/v1/entries/${running.id}`)).status, 204);

    await rec.context.setOffline(true);
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 waiting to send', { what: 'the stop waiting' });
    await rec.context.setOffline(false);
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 not sent', { what: 'the stop refused' });
  };

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    rec = await recordingContext(browser);
    page = await rec.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    await apiOk(page, 'POST', '/api/v1/projects', { name: 'Website' });
    // A second person, for the shared-device test.
    const created = await apiOk(page, 'POST', '/api/v1/users', { name: SECOND.name, email: SECOND.email, role: 'member', time_zone: 'UTC' });
    const token = new URL(created.reset_link.url).hash.replace(/^#token=/, '');
    await apiOk(page, 'POST', '/api/v1/password-reset', { token, new_password: SECOND.password });
  });

  // Each test starts online, on Today, with nothing kept (whatever an earlier one left).
  beforeEach(async () => {
    await rec.context.setOffline(false);
    await page.goto(`${server.baseUrl}/today`);
    await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('ophiontt.outbox.')) localStorage.removeItem(k); });
    await page.reload();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('offline: a start, a quick-add line and a stop wait, are listed, and are sent in order with their times', async () => {
    await page.goto(`${server.baseUrl}/today`);
    const project = page.getByLabel('Project', { exact: true });
    await project.locator('option', { hasText: 'Website' }).waitFor({ state: 'attached' });
    await project.selectOption({ label: 'Website' });
    await page.getByLabel('Note', { exact: true }).fill('train timer');
    assert.equal(await indicator().isHidden(), true, 'nothing waits yet');

    await rec.context.setOffline(true);
    const pressedStart = Date.now();
    await page.getByRole('button', { name: 'Start timer' }).click();
    // It runs at once, marked as not sent, and the top bar shows it too.
    await page.getByRole('button', { name: 'Stop timer', exact: true }).waitFor();
    await page.locator('.timerbar-pending', { hasText: 'Not sent yet' }).waitFor();
    await page.locator('.topbar-timer.is-pending').waitFor();
    await page.getByText('Offline: kept on this device, it will be sent when the server is back').first().waitFor();

    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.fill('20m /website offline note');
    await box.press('Enter');
    await waitFor(async () => (await box.inputValue()) === '', { what: 'the quick-add box to empty' });
    assert.equal(await page.locator('#quick-add-error').isHidden(), true, 'no error under the box');

    // Offline long enough that a time taken at the replay would show.
    await waitFor(() => Date.now() - pressedStart >= 3_500, { timeout: 5_000, what: 'the offline period' });
    const pressedStop = Date.now();
    await page.getByRole('button', { name: 'Stop timer', exact: true }).click();
    await page.getByRole('button', { name: 'Start timer' }).waitFor();

    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '3 waiting to send', { what: 'the indicator to count 3' });
    assert.match(await indicator().innerText(), /3 waiting/);
    await indicator().click();
    const dialog = page.getByRole('dialog', { name: 'Waiting to send' });
    await dialog.waitFor();
    const rows = dialog.locator('.outbox-item');
    assert.equal(await rows.count(), 3);
    const texts = await rows.locator('.outbox-what').allInnerTexts();
    assert.deepEqual(texts.map((t) => t.split(' ')[0] + ' ' + t.split(' ')[1]), ['Start timer', 'Quick add', 'Stop timer'], texts.join(' | '));
    assert.match(texts[0], /Website — train timer/);
    assert.match(texts[1], /20m \/website offline note/);
    assert.deepEqual(await rows.locator('.outbox-state').allInnerTexts(), ['Waiting', 'Waiting', 'Waiting']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Back online: sent by themselves, and the list and timer follow.
    const wentOnline = Date.now();
    await rec.context.setOffline(false);
    await indicator().waitFor({ state: 'hidden', timeout: 15_000 });
    const entries = await recentEntries();
    const quick = entries.filter((e) => e.note === 'offline note');
    assert.equal(quick.length, 1, JSON.stringify(entries));
    const timed = entries.filter((e) => e.note === 'train timer');
    assert.equal(timed.length, 1, JSON.stringify(entries));
    // Each counts when it was done, offline (the server keeps whole seconds), not when it was
    // sent, 3.5 s and more later.
    const at = (ms) => new Date(ms).toISOString();
    const started = Date.parse(timed[0].start);
    const ended = Date.parse(timed[0].end);
    assert.ok(started >= pressedStart - 1_000 && started < pressedStop - 2_000,
      `started ${timed[0].start}; Start pressed ${at(pressedStart)}, Stop ${at(pressedStop)}`);
    assert.ok(ended >= pressedStop - 1_000 && ended <= wentOnline,
      `ended ${timed[0].end}; Stop pressed ${at(pressedStop)}, back online ${at(wentOnline)}`);
    // The line's 20 minutes end when it was typed, not when it was sent.
    const typedEnd = Date.parse(quick[0].end);
    assert.ok(typedEnd >= pressedStart - 1_000 && typedEnd <= pressedStop, `quick-add entry ended ${quick[0].end}`);
    assert.equal((await apiOk(page, 'GET', '/api/v1/timer')).running, null, 'no timer runs on the server');
    await page.locator('table.entries-table tbody tr', { hasText: 'offline note' }).waitFor();
    await page.locator('table.entries-table tbody tr', { hasText: 'train timer' }).waitFor();
    assert.equal(await page.locator('.timerbar-pending').isHidden(), true);
    assert.deepEqual(rec.problems, []);
  });

  test('an answer lost on the way: the line stays queued, and sending it again makes one entry', async () => {
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.waitFor();
    // The server gets the request and makes the entry; the page never sees the answer.
    const keys = [];
    await page.route('**/api/v1/entries/quick', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      await route.fetch();
      await route.abort();
    });
    await box.fill('15m /website lost answer');
    await box.press('Enter');
    await page.getByText('Offline: kept on this device, it will be sent when the server is back').first().waitFor();
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 waiting to send', { what: 'one item waiting' });
    assert.equal((await recentEntries()).filter((e) => e.note === 'lost answer').length, 1, 'the server made it');

    await page.unroute('**/api/v1/entries/quick');
    await indicator().click();
    const dialog = page.getByRole('dialog', { name: 'Waiting to send' });
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await dialog.getByText('1 item sent.').waitFor();
    await dialog.getByText('Nothing is waiting to be sent.').waitFor();
    await indicator().waitFor({ state: 'hidden' });
    await page.keyboard.press('Escape');
    assert.ok(keys.length >= 1 && keys.every((k) => k && k === keys[0]), `one key, sent with every attempt: ${keys}`);
    assert.equal((await recentEntries()).filter((e) => e.note === 'lost answer').length, 1, 'still one entry');
    assert.deepEqual(rec.problems, []);
  });

  test('an item the server refuses shows its reason and can be discarded', async () => {
    await refusedStop('deleted elsewhere');
    assert.match(await indicator().innerText(), /1 not sent/);
    assert.ok(await indicator().evaluate((el) => el.classList.contains('has-failed')));

    await indicator().click();
    const dialog = page.getByRole('dialog', { name: 'Waiting to send' });
    const row = dialog.locator('.outbox-item');
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('.outbox-state').innerText(), 'Not sent');
    const reason = await row.locator('.outbox-error').innerText();
    assert.ok(reason.length > 5, reason);
    await row.getByRole('button', { name: /^Discard/ }).click();
    await row.getByText('Discard it? It is not on the server.').waitFor();
    await row.getByRole('button', { name: 'Discard', exact: true }).click();
    await dialog.getByText('Nothing is waiting to be sent.').waitFor();
    await indicator().waitFor({ state: 'hidden' });
    await page.keyboard.press('Escape');
    assert.deepEqual(rec.problems, []);
  });

  test('a line the server finds unusual waits for a confirmation in the list', async () => {
    await page.goto(`${server.baseUrl}/today`);
    const box = page.getByRole('textbox', { name: /^Quick add/ });
    await box.waitFor();
    const longAgo = `${new Date().getUTCFullYear() - 2}-03-02`;
    await rec.context.setOffline(true);
    await box.fill(`1h /website ${longAgo} archive sorting`);
    await box.press('Enter');
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 waiting to send', { what: 'the line waiting' });
    await rec.context.setOffline(false);
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 not sent', { what: 'the line to need a confirmation' });
    await indicator().click();
    const dialog = page.getByRole('dialog', { name: 'Waiting to send' });
    await dialog.getByRole('button', { name: 'Add it anyway' }).click();
    await dialog.getByText('Nothing is waiting to be sent.').waitFor();
    await page.keyboard.press('Escape');
    const made = await apiOk(page, 'GET', `/api/v1/entries?from=${longAgo}&to=${longAgo}`);
    assert.deepEqual(made.items.map((e) => e.note), ['archive sorting']);
    assert.deepEqual(rec.problems, []);
  });

  test('logging out with items kept asks first; they are this person’s only, and back at their next sign-in', async () => {
    await refusedStop('kept over a sign-out');
    const logOut = async () => {
      await page.locator('header.topbar .usermenu-button').click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
    };
    await logOut();
    const ask = page.getByRole('dialog', { name: 'Log out with items not sent?' });
    await ask.getByText('sent the next time you log in here').waitFor();
    await ask.getByRole('button', { name: 'Stay logged in' }).click();
    await ask.waitFor({ state: 'detached' });
    assert.equal(new URL(page.url()).pathname, '/today', 'still signed in');

    await logOut();
    await ask.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');

    // Another person on this browser sees nothing of it.
    await page.getByLabel('Email').fill(SECOND.email);
    await page.getByLabel('Password').fill(SECOND.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.equal(await indicator().isHidden(), true, 'the other person has nothing waiting');
    await page.locator('header.topbar .usermenu-button').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');

    // The first person has it again.
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await waitFor(async () => (await indicator().getAttribute('aria-label')) === '1 not sent', { what: 'the item back' });
    assert.deepEqual(rec.problems, []);
  });
});
