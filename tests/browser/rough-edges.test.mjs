// Browser tests for issue 14's rough edges: toasts that do not pile up, the throttle's
// "1 second", every set-password error at once, a board column that shows many cards, the
// privacy notice readable on a phone, plain labels on the System page, readable audit
// targets and an Account e-mail that wraps between its parts.
// Own server, own first admin; data is set up through the API.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test ./rough-edges.test.mjs
// See: #14

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, apiOk, waitFor } from './browser.mjs';

const ADMIN = {
  name: 'Grace Hopper',
  email: 'grace.brewster.murray.hopper@navy-research.example.com',
  password: 'compiler cobol 1959',
  zone: 'Europe/London',
};

/**
 * Load the page's own ui.js module (content-hashed URL) into `window.testUi`, so tests call
 * the same instance the views use.
 */
async function loadUi(page) {
  await page.evaluate(async () => {
    const url = performance.getEntriesByType('resource').map((e) => e.name).find((n) => /\/ui\.[^/]*js$|\/ui\.js$/.test(n));
    window.testUi = await import(url);
  });
}

describe('issue 14 rough edges', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let admin; // { context, requests, problems, page }
  let project;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await recordingContext(browser, { viewport: { width: 1366, height: 850 } });
    admin.page = await admin.context.newPage();
    await createFirstAdmin(admin.page, server.setupLink, ADMIN);
    project = await apiOk(admin.page, 'POST', '/api/v1/projects', { name: 'Backups' });
    await apiOk(admin.page, 'POST', '/api/v1/entries', {
      project_id: project.id, start: '2026-11-02T09:00:00Z', end: '2026-11-02T10:00:00Z', note: 'restore drill',
    });
    for (let i = 1; i <= 10; i += 1) {
      await apiOk(admin.page, 'POST', `/api/v1/projects/${project.id}/tasks`, { title: `Task ${String(i).padStart(2, '0')}` });
    }
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      if (server) await server.stop();
    }
  });

  test('toasts: at most three at once, oldest first out, and a repeat replaces the earlier one', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/today`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await loadUi(page);
    const shown = await page.evaluate(() => {
      const ui = window.testUi;
      for (const m of ['one', 'two', 'three', 'four', 'five']) ui.toast(m);
      const afterFive = [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent);
      ui.toast('four');
      ui.toast('four');
      const afterRepeat = [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent);
      return { afterFive, afterRepeat };
    });
    assert.deepEqual(shown.afterFive, ['three', 'four', 'five']);
    assert.deepEqual(shown.afterRepeat, ['three', 'five', 'four'], 'the same message shows once, as the newest');
  });

  test('the throttle message counts seconds in words: 1 second, 30 seconds', async () => {
    const page = admin.page;
    await loadUi(page);
    const texts = await page.evaluate(() => [1, 30, undefined]
      .map((s) => window.testUi.errorMessage({ code: 'auth.rate_limited', retryAfter: s })));
    assert.match(texts[0], /Wait 1 second and/);
    assert.match(texts[1], /Wait 30 seconds and/);
    assert.match(texts[2], /Wait a minute and/);
  });

  test('the set-password page shows the length and the mismatch errors together', async () => {
    const created = await apiOk(admin.page, 'POST', '/api/v1/users', {
      name: 'Alan Turing', email: 'alan@example.com', role: 'member', time_zone: 'UTC',
    });
    const ctx = await recordingContext(browser);
    try {
      const page = await ctx.context.newPage();
      await page.goto(created.reset_link.url);
      await page.getByRole('heading', { name: 'Set your password' }).waitFor();
      await page.getByLabel('New password', { exact: true }).fill('short');
      await page.getByLabel('Confirm new password').fill('shorter');
      await page.getByRole('button', { name: 'Set password' }).click();
      const errors = page.locator('.field-error:not([hidden])');
      await waitFor(async () => (await errors.count()) === 2, { what: 'two field errors' });
      assert.deepEqual(await errors.allTextContents(), ['Use at least 12 characters', 'The two passwords are not the same']);
      // Nothing was sent: the link still works.
      await page.getByLabel('New password', { exact: true }).fill('enigma bombe 1940');
      await page.getByLabel('Confirm new password').fill('enigma bombe 1940');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      assert.deepEqual(ctx.problems, []);
    } finally {
      await ctx.context.close();
    }
  });

  test('a board column shows at least eight cards of short titles at 1366×850', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/projects/${project.id}/board`);
    await page.locator('.task-card').first().waitFor();
    const visible = await page.evaluate(() => [...document.querySelectorAll('.board-col-open .task-card')]
      .filter((c) => c.getBoundingClientRect().bottom <= window.innerHeight).length);
    assert.ok(visible >= 8, `${visible} cards visible in the Open column`);
    // The Status menu stays labelled for screen readers, on the meta line.
    const select = page.getByLabel('Status of Task 01');
    assert.equal(await select.inputValue(), 'open');
    const [meta, menu] = await Promise.all([
      page.locator('.task-card', { hasText: 'Task 01' }).locator('.task-card-meta').boundingBox(),
      select.boundingBox(),
    ]);
    assert.ok(Math.abs((meta.y + meta.height / 2) - (menu.y + menu.height / 2)) < 8, 'menu and meta share a line');
  });

  test('the privacy notice keeps its headings on a phone and names whom to ask', async () => {
    const ctx = await recordingContext(browser, { viewport: { width: 390, height: 844 } });
    try {
      const page = await ctx.context.newPage();
      await page.goto(`${server.baseUrl}/privacy`);
      await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).waitFor();
      const cell = page.locator('#categories tr', { has: page.locator('th', { hasText: 'Sessions' }) }).locator('td').first();
      const before = await cell.evaluate((el) => getComputedStyle(el, '::before').content);
      assert.equal(before, '"What"', 'each cell shows its heading on a phone');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no horizontal scrolling at 390 px (${width} px)`);
      const rights = await page.locator('#rights').textContent();
      assert.match(rights, /by asking the administrators of this instance/);
      assert.doesNotMatch(rights, /contact above/);
      assert.deepEqual(ctx.problems, []);
    } finally {
      await ctx.context.close();
    }
  });

  test('the System page labels every record kind in plain words, keys only in monospace', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/system`);
    const rows = page.locator('.counts-table tbody tr');
    await rows.first().waitFor();
    const labels = await page.locator('.counts-table .tree-label').allTextContents();
    assert.ok(labels.includes('Erasure records') && labels.includes('Legal holds'), labels.join(', '));
    for (const label of labels) {
      assert.doesNotMatch(label, /_|^[a-z]/, `"${label}" reads as an internal name`);
    }
    const font = await page.locator('.counts-table .tree-name').first().evaluate((el) => getComputedStyle(el).fontFamily);
    assert.match(font, /mono/i);
  });

  test('the audit log names its targets, with the id in the title', async () => {
    const page = admin.page;
    await page.goto(`${server.baseUrl}/admin/audit?action=entry.created`);
    const target = page.locator('.audit-table .cell-target .target-label').first();
    await target.waitFor();
    assert.equal(await target.textContent(), 'Time entry · Backups · 2026-11-02 09:00');
    assert.match(await target.getAttribute('title'), /^entry:[0-9a-f-]{36}$/);
  });

  test('the Account page wraps a long e-mail between its parts, never mid-word', async () => {
    const page = admin.page;
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 850 });
      await page.goto(`${server.baseUrl}/account`);
      const email = page.locator('.fact-email');
      await email.waitFor();
      assert.equal(await email.textContent(), ADMIN.email);
      assert.equal(await email.getAttribute('title'), ADMIN.email);
      // Each rendered line starts at a sensible point: the address's start, after "@", at a
      // "." or after a "-".
      const lines = await email.evaluate((el) => {
        const range = document.createRange();
        const starts = [];
        let lastTop = null;
        let offset = 0;
        for (const node of el.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          for (let i = 0; i < node.length; i += 1) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const top = Math.round(range.getBoundingClientRect().top);
            if (lastTop === null || top > lastTop + 2) {
              starts.push(offset + i);
              lastTop = top;
            }
          }
          offset += node.length;
        }
        return starts;
      });
      for (const at of lines.slice(1)) {
        const prev = ADMIN.email[at - 1];
        assert.ok(ADMIN.email[at] === '.' || prev === '@' || prev === '-',
          `a line starts mid-word at "${ADMIN.email.slice(at)}" (${width} px)`);
      }
      if (width === 1366) assert.ok(lines.length > 1, 'the long address does wrap in the narrow card');
    }
    await page.setViewportSize({ width: 1366, height: 850 });
    assert.deepEqual(admin.problems, []);
  });
});
