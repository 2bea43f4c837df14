/**
 * Opens the built demo in headless Chromium for the demo's browser tests:
 * builds it with the demo's own build script into a temporary folder, serves
 * every file there, and collects page errors.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, serve } from './harness.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** A built, served demo with a browser; `open(path)` gives a fresh page with errors collected (`init`: a script run before the page's own). */
export interface DemoSite {
  browser: Browser;
  url: string;
  errors: string[];
  open: (path?: string, viewport?: { width: number; height: number }, init?: string) => Promise<Page>;
  close: () => Promise<void>;
}

/** Builds the demo, serves it on 127.0.0.1 and launches Chromium. */
export async function openDemoSite(): Promise<DemoSite> {
  const outDir = mkdtempSync(join(tmpdir(), 'boltzmann-demo-'));
  const { buildDemo } = await import('../../demo/build.mjs');
  await buildDemo(outDir);
  const files: Record<string, [string, Uint8Array]> = {};
  for (const f of readdirSync(outDir)) files[`/${f}`] = [TYPES[extname(f)] ?? 'application/octet-stream', readFileSync(join(outDir, f))];
  const { url, server } = await serve(files);
  const browser = await launch();
  const errors: string[] = [];
  return {
    browser,
    url,
    errors,
    async open(path = '', viewport = { width: 1280, height: 900 }, init?: string) {
      const page = await browser.newPage({ viewport });
      if (init) await page.addInitScript(init);
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(url + path);
      return page;
    },
    async close() {
      await browser.close();
      server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
