// Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
// (never `npx playwright install`), plus helpers shared by tests and screenshots.

import { chromium } from 'playwright-core';

/** Flags from docs STACK.md: no network chatter, no sandbox (containers), headless. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launch Chromium. Each `browser.newContext()` gets its own fresh profile (cookies,
 * storage), so two contexts are two independent users.
 *
 * @returns {Promise<import('playwright-core').Browser>} the browser
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * Open a context that records the URL of every request its pages make, and every
 * uncaught page error or Content-Security-Policy violation.
 *
 * @param {import('playwright-core').Browser} browser the browser
 * @param {Object} [options] newContext options (viewport, colorScheme, …)
 * @returns {Promise<{context:import('playwright-core').BrowserContext, requests:string[], problems:string[]}>}
 *   the context, every request URL, and page errors / CSP violations seen
 */
export async function recordingContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const requests = [];
  const problems = [];
  context.on('request', (request) => requests.push(request.url()));
  // Uncaught exceptions and CSP violations (inline style/script) are bugs in the UI.
  context.on('weberror', (err) => problems.push(`uncaught: ${err.error().message}`));
  context.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
  });
  return { context, requests, problems };
}

/**
 * The requests that went anywhere but the test server (data: and blob: are local).
 *
 * @param {string[]} requests recorded URLs
 * @param {string} baseUrl e.g. "http://127.0.0.1:41234"
 * @returns {string[]} offending URLs (empty when all stayed local)
 */
export function foreignRequests(requests, baseUrl) {
  return requests.filter((url) => !url.startsWith(`${baseUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
}

/**
 * Wait until a path is shown (client-side routing included).
 *
 * @param {import('playwright-core').Page} page the page
 * @param {string} pathname expected location.pathname
 * @param {number} [timeout] ms
 * @returns {Promise<void>} resolves when reached
 */
export async function waitForPath(page, pathname, timeout = 10_000) {
  await page.waitForURL((url) => url.pathname === pathname, { timeout });
}

/**
 * Call the API from a page, with its session cookie.
 *
 * @param {import('playwright-core').Page} page a signed-in page
 * @param {string} method HTTP method
 * @param {string} path e.g. "/api/v1/projects"
 * @param {Object} [body] JSON body
 * @returns {Promise<{status:number, body:any}>} the answer
 */
export function apiCall(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const res = await fetch(p, {
      method: m,
      headers: b ? { 'Content-Type': 'application/json' } : {},
      body: b ? JSON.stringify(b) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }, [method, path, body ?? null]);
}

/**
 * Like apiCall, but fails the test unless the answer is 2xx; returns the body.
 *
 * @param {import('playwright-core').Page} page a signed-in page
 * @param {string} method HTTP method
 * @param {string} path API path
 * @param {Object} [body] JSON body
 * @returns {Promise<any>} the answer's body
 */
export async function apiOk(page, method, path, body) {
  const res = await apiCall(page, method, path, body);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/**
 * Complete first-run setup through the setup page and wait for the Dashboard it lands on.
 *
 * @param {import('playwright-core').Page} page a fresh page
 * @param {string} setupLink the link the server printed
 * @param {{name:string, email:string, password:string, zone?:string}} who the first admin
 * @returns {Promise<void>}
 */
export async function createFirstAdmin(page, setupLink, who) {
  await page.goto(setupLink);
  await page.getByRole('heading', { name: 'Create the first admin account' }).waitFor();
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  if (who.zone) await page.getByLabel('Time zone').selectOption(who.zone);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await waitForPath(page, '/dashboard');
}

/**
 * Sign in through the login page and wait for the main navigation.
 *
 * @param {import('playwright-core').Page} page a page of a fresh context
 * @param {string} baseUrl the server's base URL
 * @param {{email:string, password:string}} who the account
 * @returns {Promise<void>}
 */
export async function signIn(page, baseUrl, who) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Poll `check` until it returns something truthy, at most `timeout` ms: the way to wait for a
 * condition (never a fixed pause).
 *
 * @template T
 * @param {() => Promise<T> | T} check the condition; its truthy result is returned
 * @param {{timeout?: number, interval?: number, what?: string}} [options] deadline (ms), poll
 *   interval (ms), and what is awaited (for the error)
 * @returns {Promise<T>} the first truthy result
 */
export async function waitFor(check, { timeout = 10_000, interval = 50, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() >= deadline) throw new Error(`waited ${timeout} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval)); // poll interval, not a wait
  }
}

/**
 * The server's clock, from the Date header of a `/healthz` answer (whole seconds, rounded down).
 *
 * @param {import('playwright-core').Page} page a page of the server's origin
 * @returns {Promise<number>} milliseconds since the epoch
 */
export function serverNow(page) {
  return page.evaluate(async () => Date.parse((await fetch('/healthz')).headers.get('date')));
}

/**
 * Wait until a report table shows the answer for the current URL: its body is shown and its
 * total row's first figure is `total` (the Reports page's table, or the portal's with
 * `{ table: '.portal-hours table.report-table', body: '.portal-hours-body' }`).
 */
export async function waitReportTotal(page, total, { table = 'table.report-table', body = '.report-body' } = {}) {
  await page.waitForFunction(([want, tableSel, bodySel]) => {
    const cell = document.querySelector(`${tableSel} tfoot td`);
    const shown = document.querySelector(bodySel);
    return cell && shown && !shown.hidden && cell.textContent.trim() === want;
  }, [total, table, body], { timeout: 10_000 });
}
