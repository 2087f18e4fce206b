// Starts the OphionTT server binary for browser tests: a fresh data dir, a free port,
// and the setup link read from its output. Every wait is bounded.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of the server binary: $OPHIONTT_BIN, else <repo>/target/debug/ophiontt. */
export const serverBin = process.env.OPHIONTT_BIN || path.join(repoRoot, 'target', 'debug', 'ophiontt');

const LISTEN_RE = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const SETUP_RE = /(http:\/\/127\.0\.0\.1:\d+\/setup#token=[A-Za-z0-9_-]+)/;
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g;

/**
 * Start `ophiontt serve` on 127.0.0.1 with an empty data dir and wait for its
 * listen address and first-run setup link.
 *
 * @param {{timeoutMs?:number, minTimerSeconds?:number, env?:Object<string,string>}} [opts] how long
 *   to wait for both lines (default 30 s); `tracking.min_timer_seconds` (default 0 here); more
 *   `OPHIONTT_*` settings for this server (e.g. `{ OPHIONTT_PORTAL_SHOW_RATES: 'true' }`)
 * @returns {Promise<{baseUrl:string, port:number, setupLink:string, dataDir:string,
 *   output:function():string, stop:function():Promise<void>}>} the running server
 */
export async function startServer(opts = {}) {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  if (!existsSync(serverBin)) {
    throw new Error(`server binary not found at ${serverBin}; run cargo build or set OPHIONTT_BIN`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ophiontt-browser-'));
  const child = spawn(serverBin, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Tests stop timers after a few seconds: the "keep or discard a short timer?" question is
    // off unless a test asks for it (`minTimerSeconds`; unaltered.test.mjs does).
    env: { ...process.env, NO_COLOR: '1', OPHIONTT_TRACKING_MIN_TIMER_SECONDS: String(opts.minTimerSeconds ?? 0), ...opts.env },
  });
  let log = '';
  let baseUrl = null;
  let setupLink = null;
  let exited = null;

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not print its listen address and setup link within ${timeoutMs} ms; output:\n${log}`));
    }, timeoutMs);
    const onLine = (line) => {
      const clean = line.replace(ANSI_RE, '');
      const listen = LISTEN_RE.exec(clean);
      if (listen && !baseUrl) baseUrl = listen[1];
      const setup = SETUP_RE.exec(clean);
      if (setup && !setupLink) setupLink = setup[1];
      if (baseUrl && setupLink) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        log += chunk;
        if (process.env.TEST_LOG) process.stderr.write(chunk);
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop();
        lines.forEach(onLine);
      });
    }
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}); output:\n${log}`));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  const port = Number(new URL(baseUrl).port);
  if (!setupLink.startsWith(`${baseUrl}/`)) {
    await stop();
    throw new Error(`setup link ${setupLink} does not point at the listen address ${baseUrl}`);
  }
  return { baseUrl, port, setupLink, dataDir, output: () => log, stop };
}
