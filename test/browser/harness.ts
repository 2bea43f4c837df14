/**
 * Headless-Chromium harness for browser tests: bundles an entry module with
 * esbuild (browser platform, so any Node-only import fails the build), serves
 * it on 127.0.0.1, opens it in Debian's chromium through playwright-core, and
 * returns what the page reports in `window.__result`.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Path of the Chromium binary: $CHROMIUM_PATH or Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Whether a Chromium binary is present. */
export const hasChromium = existsSync(chromiumPath);

/** Flags for a closed-network, root, headless machine. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Bundles `entry` for the browser into one ESM script (throws if it pulls in node:*). */
export async function bundleForBrowser(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const out = r.outputFiles[0];
  if (!out) throw new Error(`bundleForBrowser: no output for ${entry}`);
  return out.text;
}

/** Serves static files from a map path → [content type, body] on 127.0.0.1 (random port). */
export async function serve(files: Record<string, [string, string | Uint8Array]>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const f = files[path === '/' ? '/index.html' : path];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': f[0],
      // Cross-origin isolation, so SharedArrayBuffer is available to pages that need it.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(f[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Launches headless Chromium. */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * Runs a bundled script in a fresh page and waits for `window.__result`
 * (the script sets it, or `window.__error` on failure).
 */
export async function runInPage<T>(browser: Browser, script: string, timeoutMs = 60_000): Promise<{ result: T; page: Page }> {
  const html = '<!doctype html><meta charset="utf-8"><title>boltzmann test</title><script type="module" src="/app.js"></script>';
  const { url, server } = await serve({
    '/index.html': ['text/html; charset=utf-8', html],
    '/app.js': ['text/javascript; charset=utf-8', script],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction('window.__result !== undefined || window.__error !== undefined', undefined, { timeout: timeoutMs });
    const err = await page.evaluate('window.__error');
    if (err !== undefined) throw new Error(`page failed: ${String(err)}`);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const result = (await page.evaluate('window.__result')) as T;
    return { result, page };
  } finally {
    server.close();
  }
}

/** A Chrome trace event, the fields the tests read (times in µs). */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** The trace event named `name` (a `performance.mark` of the page); throws when there is none. */
export function traceMark(events: TraceEvent[], name: string): TraceEvent {
  const e = events.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} mark in the trace`);
  return e;
}

/**
 * The RunTask events of the thread that recorded the mark `startMark` (the page's main thread)
 * and of that page's dedicated worker threads.
 */
export function traceTasks(events: TraceEvent[], startMark: string): { main: TraceEvent[]; worker: TraceEvent[] } {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const start = traceMark(events, startMark);
  const runs = events.filter((e) => e.name === 'RunTask' && e.ph === 'X');
  return {
    main: runs.filter((e) => e.pid === start.pid && e.tid === start.tid),
    worker: runs.filter((e) => e.pid === start.pid && names.get(`${e.pid}:${e.tid}`) === 'DedicatedWorker thread'),
  };
}
