// Table layout with long content: long client and project names, a note of 1,000 characters
// (one of them a single unbroken word), and the most tags an entry may have (20 of 40
// characters). On Today and Entries, at 1366×850 and 390×844: no cell is narrower than six
// characters, a short project name never breaks inside, the page never scrolls sideways, and a
// long note is clamped with a "More" button that shows all of it.
// Run: cd tests/browser && OPHIONTT_BIN=../../target/debug/ophiontt node --test layout.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launchChromium, recordingContext, createFirstAdmin, apiCall } from './browser.mjs';

// The entries are made 10 to 50 minutes ago and must be on Today: a zone where that is today.
const ADMIN = { name: 'Frances Allen', email: 'frances@example.com', password: 'optimising compilers 1966', zone: new Date().getUTCHours() < 1 ? 'America/New_York' : 'UTC' };
const SIZES = [
  { name: 'desktop', width: 1366, height: 850 },
  { name: 'phone', width: 390, height: 844 },
];

/** Every visible table cell narrower than six of its own characters (or than its whole text,
 * when that is shorter), and whether the page scrolls sideways. */
function measure() {
  const canvas = document.createElement('canvas').getContext('2d');
  const narrow = [];
  for (const td of document.querySelectorAll('main table td')) {
    const box = td.getBoundingClientRect();
    if (!box.width || !td.textContent.trim()) continue;
    const style = getComputedStyle(td);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // Six characters, or the cell's whole text on one line when that is shorter ("Yes").
    const six = Math.min(canvas.measureText('000000').width, canvas.measureText(td.textContent.trim()).width);
    const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner + 0.5 < six) narrow.push(`${td.className}: ${inner.toFixed(1)}px < ${six.toFixed(1)}px`);
  }
  const names = [...document.querySelectorAll('main .project-name')]
    .filter((el) => el.textContent === 'Backups')
    .map((el) => el.getClientRects().length === 1 && el.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(el).lineHeight || '20'));
  return {
    narrow,
    sideways: document.documentElement.scrollWidth > window.innerWidth + 1,
    backupsOnOneLine: names,
  };
}

describe('tables with long content', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let rec;
  let page;

  before(async () => {
    server = await startServer();
    browser = await launchChromium();
    rec = await recordingContext(browser);
    page = await rec.context.newPage();
    await createFirstAdmin(page, server.setupLink, ADMIN);
    const call = async (method, path, body) => {
      const r = await apiCall(page, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const client = await call('POST', '/api/v1/clients', { name: 'Acme Corporation International Holdings' });
    const backups = await call('POST', '/api/v1/projects', { name: 'Backups', client_id: client.id });
    const long = await call('POST', '/api/v1/projects', { name: 'Infrastructuremodernisationprogramme and the datacentre move', client_id: client.id });
    const at = (minutesAgo) => new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const words = 'rotated the keys on every array and then checked the offsite copy of the nightly backup; ';
    const note = (words.repeat(12) + 'x'.repeat(60)).slice(0, 1000);
    const tags = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}-${'infrastructure-'.repeat(3)}`.slice(0, 40));
    await call('POST', '/api/v1/entries', { project_id: backups.id, start: at(50), end: at(40), note, tags });
    await call('POST', '/api/v1/entries', { project_id: long.id, start: at(35), end: at(25), note: 'y'.repeat(400), tags: tags.slice(0, 3) });
    await call('POST', '/api/v1/entries', { project_id: backups.id, start: at(20), end: at(10), note: 'short note', tags: ['ops'] });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  for (const size of SIZES) {
    for (const path of ['/today', '/entries']) {
      test(`${path} at ${size.width}×${size.height}`, async () => {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.goto(`${server.baseUrl}${path}`);
        await page.getByText('short note').waitFor();
        const m = await page.evaluate(measure);
        assert.deepEqual(m.narrow, [], 'cells narrower than six characters');
        assert.equal(m.sideways, false, 'the page scrolls sideways');
        assert.ok(m.backupsOnOneLine.length >= 2 && m.backupsOnOneLine.every(Boolean), `"Backups" broke: ${m.backupsOnOneLine}`);

        // The long note is clamped, "More" shows all of it, "Less" folds it again.
        const row = page.locator('tr', { hasText: 'rotated the keys' });
        const text = row.locator('.note-text');
        const more = row.getByRole('button', { name: 'More' });
        await more.waitFor();
        const clamped = await text.evaluate((el) => el.getBoundingClientRect().height);
        await more.click();
        const open = await text.evaluate((el) => el.getBoundingClientRect().height);
        assert.ok(open > clamped * 2, `opened ${open}px, clamped ${clamped}px`);
        await row.getByRole('button', { name: 'Less' }).click();
        assert.equal(await text.evaluate((el) => el.getBoundingClientRect().height), clamped);
        // A short note has no button.
        assert.equal(await page.locator('tr', { hasText: 'short note' }).getByRole('button', { name: 'More' }).count(), 0);
        assert.deepEqual(rec.problems, []);
      });
    }
  }
});
