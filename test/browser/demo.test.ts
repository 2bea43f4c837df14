/**
 * End-to-end test of the browser demo in headless Chromium: builds the page
 * with the demo's own build script (esbuild, platform browser — a node:* import
 * would fail the build), serves it, picks a digit, corrupts it, restores it, and
 * reads the restored pattern back from the canvas pixels; then checks that the
 * RBM's dream canvas keeps changing and that its 16 chains dream varied digits.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, serve } from './harness.js';

if (!hasChromium) console.warn('demo end-to-end test skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

const demoDir = fileURLToPath(new URL('../../demo/', import.meta.url));
const digits = JSON.parse(readFileSync(join(demoDir, 'data/digits.json'), 'utf8')) as { prototypes: { bits: string; count: number } };
const N = 784;

/** The stored prototypes, as 0/1 rows (the same unpacking as the page, done independently here). */
function prototype(p: number): number[] {
  const bytes = Buffer.from(digits.prototypes.bits, 'base64');
  return Array.from({ length: N }, (_, i) => {
    const k = p * N + i;
    return ((bytes[k >> 3] as number) >> (7 - (k & 7))) & 1;
  });
}

/** Reads the 28×28 grid back from the canvas: a cell is ink when its centre pixel is dark. */
async function gridBits(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const c = document.getElementById('grid') as HTMLCanvasElement;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const cell = c.width / 28;
    const out: number[] = [];
    for (let r = 0; r < 28; r++) {
      for (let col = 0; col < 28; col++) {
        const x = Math.floor((col + 0.5) * cell), y = Math.floor((r + 0.5) * cell);
        out.push((px[4 * (y * c.width + x)] as number) < 128 ? 1 : 0);
      }
    }
    return out;
  });
}

const hamming = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + (x !== b[i] ? 1 : 0), 0);

describe.skipIf(!hasChromium)('browser demo in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let close: () => void;
  let outDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'boltzmann-demo-'));
    const { buildDemo } = await import('../../demo/build.mjs');
    await buildDemo(outDir);
    const file = (name: string, type: string): [string, Uint8Array] => [type, readFileSync(join(outDir, name))];
    const { url, server } = await serve({
      '/index.html': file('index.html', 'text/html; charset=utf-8'),
      '/main.js': file('main.js', 'text/javascript; charset=utf-8'),
      '/style.css': file('style.css', 'text/css'),
      '/main.js.map': file('main.js.map', 'application/json'),
    });
    close = () => server.close();
    browser = await launch();
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.waitForSelector('#pick-9');
  });

  afterAll(async () => {
    await browser?.close();
    close?.();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('picks a digit, corrupts it, and the Hopfield network restores exactly the stored pattern', async () => {
    for (const [digit, noise] of [[3, '20'], [7, '25']] as const) {
      await page.click(`#pick-${digit}`);
      expect(await gridBits(page)).toEqual(prototype(digit));
      await page.fill('#noise', noise);
      await page.click('#corrupt');
      const cue = await gridBits(page);
      const flipped = hamming(cue, prototype(digit));
      // Each pixel flips with probability p, so the count is Binomial(784, p): ±5σ is ≈ ±57 pixels at p = 0.25.
      expect(Math.abs(flipped - N * (Number(noise) / 100))).toBeLessThan(5 * Math.sqrt(N * 0.25 * 0.75));
      expect(await page.getAttribute('#hopfield-status', 'data-state')).toBe('corrupted');
      await page.selectOption('#speed', 'fast');
      await page.click('#restore');
      await page.waitForSelector('#hopfield-status[data-state="done"]', { timeout: 30_000 });
      expect(await gridBits(page)).toEqual(prototype(digit));
      expect(await page.getAttribute('#hopfield-status', 'data-match')).toBe(String(digit));
      expect(await page.textContent('#hopfield-status')).toMatch(new RegExp(`restored digit ${digit} exactly`));
    }
  });

  it('animates the asynchronous updates: the grid passes through intermediate states between cue and fixed point', async () => {
    await page.click('#pick-5');
    await page.fill('#noise', '30');
    await page.click('#corrupt');
    const cue = await gridBits(page);
    await page.selectOption('#speed', 'slow');
    // Record the grid at every animation frame from the click until the status says done.
    const frames = page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const c = document.getElementById('grid') as HTMLCanvasElement;
          const ctx = c.getContext('2d') as CanvasRenderingContext2D;
          const seen: string[] = [];
          const grab = (): void => {
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            const cell = c.width / 28;
            let bits = '';
            for (let r = 0; r < 28; r++) for (let col = 0; col < 28; col++) bits += (px[4 * (Math.floor((r + 0.5) * cell) * c.width + Math.floor((col + 0.5) * cell))] as number) < 128 ? '1' : '0';
            if (seen[seen.length - 1] !== bits) seen.push(bits);
            if (document.getElementById('hopfield-status')?.dataset.state === 'done') resolve(seen);
            else requestAnimationFrame(grab);
          };
          requestAnimationFrame(grab);
        }),
    );
    await page.click('#restore');
    const states = await frames;
    const done = await gridBits(page);
    expect(done).toEqual(prototype(5));
    const inBetween = states.filter((b) => b !== cue.join('') && b !== done.join(''));
    // 30% noise flips ~235 pixels, spread over the 28 rows that the slow speed reveals one per frame
    expect(inBetween.length).toBeGreaterThan(5);
  });

  it('the RBM dreams varied digits: after 300 Gibbs steps the 16 chains are not near-duplicates of each other', async () => {
    await page.waitForSelector('#rbm-status[data-state="dreaming"]', { timeout: 120_000 });
    const dreamFrames = async (): Promise<number> => Number(await page.getAttribute('#dream', 'data-frames'));
    const start = await dreamFrames();
    await page.waitForFunction((f) => Number((document.getElementById('dream') as HTMLCanvasElement).dataset.frames ?? 0) >= f, start + 300, { timeout: 60_000 });
    // The 16 tiles read back from the canvas (4×4 tiles of 28×28, 2 px padding, scaled to the canvas;
    // inverted, so ink = 1 − grey/255), at each source pixel's centre.
    const tiles = await page.evaluate(() => {
      const c = document.getElementById('dream') as HTMLCanvasElement;
      const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      const side = 4 * 28 + 5 * 2, sx = c.width / side, sy = c.height / side;
      const out: number[][] = [];
      for (let t = 0; t < 16; t++) {
        const x0 = 2 + (t % 4) * 30, y0 = 2 + Math.floor(t / 4) * 30, tile: number[] = [];
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) tile.push(1 - (px[4 * (Math.floor((y0 + y + 0.5) * sy) * c.width + Math.floor((x0 + x + 0.5) * sx))] as number) / 255);
        }
        out.push(tile);
      }
      return out;
    });
    const mad: number[] = [];
    for (let a = 0; a < 16; a++) {
      for (let b = a + 1; b < 16; b++) mad.push((tiles[a] as number[]).reduce((s, v, i) => s + Math.abs(v - ((tiles[b] as number[])[i] as number)), 0) / N);
    }
    const mean = mad.reduce((s, d) => s + d, 0) / mad.length;
    const close = mad.filter((d) => d < 0.05).length;
    console.log(`dreams after ${(await dreamFrames()) - start} Gibbs steps: pairwise mean |Δ| ${mean.toFixed(3)} (min ${Math.min(...mad).toFixed(3)}), ${close} of ${mad.length} pairs within 0.05`);
    // for a look by eye: the panel as shown
    await page.locator('#rbm-panel').screenshot({ path: join(tmpdir(), 'boltzmann-demo-dreams.png') });
    expect(mean).toBeGreaterThan(0.12);
    expect(close).toBeLessThan(20);
  });

  it('the RBM dream canvas changes from frame to frame', async () => {
    const snap = () => page.evaluate(() => (document.getElementById('dream') as HTMLCanvasElement).toDataURL());
    await page.waitForFunction(() => Number((document.getElementById('dream') as HTMLCanvasElement).dataset.frames ?? 0) > 3);
    const a = await snap();
    await page.waitForTimeout(400);
    const b = await snap();
    expect(a).not.toBe(b);
    expect(await page.textContent('#rbm-status')).toMatch(/Training in the page|Dreaming/);
    expect(errors).toEqual([]);
  });
});
