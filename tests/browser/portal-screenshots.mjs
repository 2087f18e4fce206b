// Screenshots of the client portal and of money on the Reports page, for looking at by hand
// (not a test): a client with three projects (budgets, rounding, tasks over their estimates, one
// archived), three weeks of entries, then the Reports page as the admin (summary with Billed and
// Budgets, detailed, the printed PDF) and the portal as the client at 1366×850 and 390×844, light
// and dark. Usage: node portal-screenshots.mjs [OUT_DIR]   (default /tmp/ophiontt-shots; RATES=1
// runs the instance with portal.show_rates on). Uses $OPHIONTT_BIN like the tests.
import { mkdir } from 'node:fs/promises';
import { startServer } from './server.mjs';
import { launchChromium, createFirstAdmin, apiOk, waitForPath } from './browser.mjs';
import { addDays, dayIn, mondayOf } from './dates.mjs';

const out = process.argv[2] || '/tmp/ophiontt-shots';
await mkdir(out, { recursive: true });
const ZONE = 'Europe/Berlin';
const server = await startServer({ env: process.env.RATES ? { OPHIONTT_PORTAL_SHOW_RATES: 'true' } : {} });
const browser = await launchChromium();
try {
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'en-US' });
  const page = await adminCtx.newPage();
  await createFirstAdmin(page, server.setupLink, { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843', zone: ZONE });
  const ok = (m, p, b) => apiOk(page, m, p, b);
  const acme = await ok('POST', '/api/v1/clients', { name: 'Acme Corp' });
  const backups = await ok('POST', '/api/v1/projects', { name: 'Backups', client_id: acme.id, color: '#2563eb', rate_cents: 9500, currency: 'EUR', rounding: 'up 15 per entry', budget: { seconds: 72000, alert_percent: 80 } });
  const web = await ok('POST', '/api/v1/projects', { name: 'Website relaunch', client_id: acme.id, color: '#c2410c', rate_cents: 8000, currency: 'EUR', budget: { seconds: 36000 } });
  const old = await ok('POST', '/api/v1/projects', { name: 'Intranet 2025', client_id: acme.id, color: '#7e22ce' });
  const t1 = await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Rotate RAID keys', estimate_secs: 5400, status: 'in_progress' });
  const t2 = await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Document the restore runbook', estimate_secs: 7200 });
  const t3 = await ok('POST', `/api/v1/projects/${backups.id}/tasks`, { title: 'Nightly restore check', estimate_secs: 1800, status: 'done' });
  const t4 = await ok('POST', `/api/v1/projects/${web.id}/tasks`, { title: 'Landing page copy', estimate_secs: 14400, status: 'in_progress' });
  const monday = mondayOf(dayIn(ZONE));
  const at = (d, h, m = 0) => { const [y, mo, dd] = d.split('-').map(Number); return new Date(Date.UTC(y, mo - 1, dd, h - 1, m)).toISOString().replace('.000Z', 'Z'); };
  const e = (p, d, h1, m1, h2, m2, task) => ok('POST', '/api/v1/entries', { project_id: p.id, task_id: task ? task.id : undefined, start: at(d, h1, m1), end: at(d, h2, m2), note: 'internal', confirm: true });
  for (let i = -14; i < 5; i += 1) {
    const d = addDays(monday, i);
    const wd = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7; if (wd > 4) continue;
    await e(backups, d, 8, 30, 10, 10, [t1, t2, t3, null][(i + 20) % 4]);
    await e(web, d, 11, 0, 13, 20 + (i % 3) * 10, t4);
  }
  await e(old, addDays(monday, -10), 9, 0, 12, 0);
  await ok('PATCH', `/api/v1/projects/${old.id}`, { archived: true });
  const created = await ok('POST', '/api/v1/users', { name: 'Edsger Dijkstra', email: 'edsger@acme.example', role: 'client', time_zone: ZONE, client_id: acme.id });
  const token = new URL(created.reset_link.url).hash.replace('#token=', '');
  await ok('POST', '/api/v1/password-reset', { token, new_password: 'shortest path 1959' });
  await page.goto(`${server.baseUrl}/reports?group=project,task`);
  await page.locator('.report-budgets').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${out}/reports-desktop.png`, fullPage: true });
  await page.goto(`${server.baseUrl}/reports?view=detailed`);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${out}/reports-detailed.png`, fullPage: true });
  await page.goto(`${server.baseUrl}/reports?group=project,task`);
  await page.locator('.report-budgets').waitFor();
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: `${out}/reports.pdf`, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  for (const [name, vp, scheme] of [['desktop', { width: 1366, height: 850 }, 'light'], ['phone', { width: 390, height: 844 }, 'light'], ['desktop-dark', { width: 1366, height: 850 }, 'dark'], ['phone-dark', { width: 390, height: 844 }, 'dark']]) {
    const ctx = await browser.newContext({ viewport: vp, colorScheme: scheme, locale: 'en-US', isMobile: vp.width < 500, hasTouch: vp.width < 500 });
    const p = await ctx.newPage();
    await p.goto(`${server.baseUrl}/login`);
    await p.getByLabel('Email').fill('edsger@acme.example');
    await p.getByLabel('Password').fill('shortest path 1959');
    await p.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(p, '/portal');
    await p.locator('.portal-hours-body:not([hidden])').waitFor();
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: `${out}/portal-${name}.png` });
    await p.screenshot({ path: `${out}/portal-${name}-full.png`, fullPage: true });
    if (name === 'desktop') {
      await p.goto(`${server.baseUrl}/portal?range=this-month&group=user,week`);
      await p.locator('.portal-hours-body:not([hidden])').waitFor();
      await p.waitForLoadState('networkidle');
      await p.locator('.portal-hours').scrollIntoViewIfNeeded();
      await p.screenshot({ path: `${out}/portal-month.png`, fullPage: true });
    }
    if (name === 'phone') {
      await p.getByRole('button', { name: 'Menu' }).click();
      await p.screenshot({ path: `${out}/portal-phone-menu.png` });
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
