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
