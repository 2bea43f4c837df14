/**
 * The demo's classical-or-modern switch (issue #18) in headless Chromium: the
 * same correlated handwritten digits stored in the classical network (Hebbian,
 * pseudo-inverse) and in the modern continuous network; one cue (bottom half
 * erased, 20% of the top half flipped); the recalled image is read back from
 * the canvas and compared with the stored digit, unpacked here independently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSite, openDemoSite } from './demo-page.js';
import { hasChromium } from './harness.js';

const demoDir = fileURLToPath(new URL('../../demo/', import.meta.url));
const digits = JSON.parse(readFileSync(join(demoDir, 'data/digits.json'), 'utf8')) as { training: { bits: string } };
const N = 784;

/** Training digit `p` as ±1 (independent of the page's unpacking). */
function trainingDigit(p: number): number[] {
  const bytes = Buffer.from(digits.training.bits, 'base64');
  return Array.from({ length: N }, (_, i) => {
    const k = p * N + i;
    return (((bytes[k >> 3] as number) >> (7 - (k & 7))) & 1) * 2 - 1;
  });
}

/** A 28×28 canvas read back at cell centres: +1 ink (dark), −1 paper (light), 0 grey (between). */
async function canvasState(page: Page, id: string): Promise<number[]> {
  return page.evaluate((id) => {
    const c = document.getElementById(id) as HTMLCanvasElement;
    const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    const cell = c.width / 28;
    const out: number[] = [];
    for (let r = 0; r < 28; r++) {
      for (let col = 0; col < 28; col++) {
        const v = px[4 * (Math.floor((r + 0.5) * cell) * c.width + Math.floor((col + 0.5) * cell))] as number;
        // ink is 29, paper 244 (red channel); anything well between is grey
        out.push(v < 40 ? 1 : v > 235 ? -1 : 0);
      }
    }
    return out;
  }, id);
}

const overlap = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + (x > 0 ? 1 : -1) * (b[i] as number), 0) / N;

describe.skipIf(!hasChromium)('demo: classical or modern Hopfield network on the same digits', () => {
  let site: DemoSite;
  let page: Page;

  beforeAll(async () => {
    site = await openDemoSite();
    page = await site.open();
    await page.waitForSelector('#mh-status[data-net]');
  });
  afterAll(async () => {
    await site?.close();
  });

  const recallWith = async (net: string): Promise<{ state: number[]; overlap: number; exact: string | null; text: string }> => {
    await page.check(`input[name="mh-net"][value="${net}"]`);
    await page.waitForSelector(`#mh-status[data-net="${net}"]`);
    return {
      state: await canvasState(page, 'mh-recalled'),
      overlap: Number(await page.getAttribute('#mh-status', 'data-overlap')),
      exact: await page.getAttribute('#mh-status', 'data-exact'),
      text: (await page.textContent('#mh-status')) ?? '',
    };
  };

  it('100 correlated digits, half erased and noisy: the modern network recalls each exactly, the classical ones do not', async () => {
    expect(await page.inputValue('#mh-set')).toBe('100');
    const modernOverlaps: number[] = [], classicalOverlaps: number[] = [];
    for (const index of [0, 1, 2, 7]) {
      await page.fill('#mh-index', String(index));
      await page.dispatchEvent('#mh-index', 'change');
      const x = trainingDigit(index);
      expect(await canvasState(page, 'mh-stored')).toEqual(x);
      // The cue: bottom half grey (unknown), top half the digit with ~20% flipped (Binomial(392, 0.2): ±5σ ≈ ±40).
      const cue = await canvasState(page, 'mh-cue');
      expect(cue.slice(N / 2).every((v) => v === 0)).toBe(true);
      const flips = cue.slice(0, N / 2).filter((v, i) => v !== x[i]).length;
      expect(Math.abs(flips - 0.2 * 392)).toBeLessThan(5 * Math.sqrt(392 * 0.2 * 0.8));

      const modern = await recallWith('modern');
      expect(modern.state).toEqual(x);
      expect(modern.exact).toBe('true');
      expect(modern.overlap).toBe(1);
      expect(modern.text).toMatch(/modern continuous network, β = 1, one update/);
      modernOverlaps.push(modern.overlap);

      for (const net of ['pseudo-inverse', 'hebbian']) {
        const classical = await recallWith(net);
        expect(classical.exact).toBe('false');
        // a fixed point of ±1 units: no grey pixels, and the page's overlap is the one seen on the canvas
        expect(classical.state.every((v) => v !== 0)).toBe(true);
        expect(classical.overlap).toBeCloseTo(overlap(classical.state, x), 6);
        expect(classical.overlap).toBeLessThan(0.95);
        classicalOverlaps.push(classical.overlap);
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    console.log(`modern overlaps ${modernOverlaps.join(', ')}; classical (pseudo-inverse, Hebbian per digit) ${classicalOverlaps.map((v) => v.toFixed(3)).join(', ')}; means ${mean(modernOverlaps)} vs ${mean(classicalOverlaps).toFixed(3)}`);
    expect(mean(classicalOverlaps)).toBeLessThan(0.9);
  });

  const compare = async (): Promise<Record<string, { mean: number; exact: number; count: number }>> => {
    await page.click('#mh-compare');
    await page.waitForSelector('#mh-table:not([hidden])');
    const rows = await page.$$eval('#mh-table tbody tr', (trs) => trs.map((tr) => ({ ...(tr as HTMLElement).dataset })));
    return Object.fromEntries(rows.map((r) => [r.net, { mean: Number(r.mean), exact: Number(r.exact), count: Number(r.count) }]));
  };

  for (const set of ['100', '600']) {
    it(`compare all three on the first 20 of ${set} stored digits: modern recalls 20/20, the classical rules at most 2`, async () => {
      await page.selectOption('#mh-set', set);
      await page.check('input[name="mh-net"][value="modern"]');
      await page.selectOption('#mh-beta', '1');
      const t = await compare();
      console.log(`${set} stored, bottom half erased + 20% of the top flipped, first 20 digits: ${Object.entries(t).map(([k, v]) => `${k} mean overlap ${v.mean.toFixed(3)}, exact ${v.exact}/${v.count}`).join('; ')}`);
      expect(t.modern).toEqual({ mean: 1, exact: 20, count: 20 });
      for (const k of ['hebbian', 'pseudo-inverse']) {
        // seeded cues: pseudo-inverse recalls 1 of 20 exactly at 100 stored, Hebbian none
        expect(t[k]?.exact).toBeLessThanOrEqual(2);
        expect(t[k]?.mean).toBeLessThan(0.9);
      }
      await page.selectOption('#mh-set', '100');
    });
  }

  it('small β gives a metastable average of many digits (grey pixels, overlap well below 1); β = 1 does not', async () => {
    await page.fill('#mh-index', '3');
    await page.dispatchEvent('#mh-index', 'change');
    await page.check('input[name="mh-net"][value="modern"]');
    await page.selectOption('#mh-beta', '0.02');
    await page.waitForFunction(() => (document.getElementById('mh-status')?.textContent ?? '').includes('β = 0.02'));
    const averaged = await canvasState(page, 'mh-recalled');
    const value = Number(await page.getAttribute('#mh-status', 'data-value-overlap'));
    expect(averaged.filter((v) => v === 0).length).toBeGreaterThan(100);
    expect(value).toBeLessThan(0.8);
    await page.selectOption('#mh-beta', '1');
    await page.waitForFunction(() => (document.getElementById('mh-status')?.textContent ?? '').includes('β = 1,'));
    expect(await canvasState(page, 'mh-recalled')).toEqual(trainingDigit(3));
    expect(Number(await page.getAttribute('#mh-status', 'data-value-overlap'))).toBeGreaterThan(0.999);
    expect(site.errors).toEqual([]);
  });
});
