/**
 * The demo's lecture page (issue #20) in headless Chromium, checked against
 * numbers computed here independently of the page and of the library:
 * - the asynchronous stepper's trace (unit, field, ΔE, new value, energy) row
 *   by row, for a start chosen by clicking the landscape;
 * - a screenshot of the energy landscape: every one of the 1 024 cells has the
 *   colour of its energy on the stated colour map, the fixed points (and only
 *   they) carry a red square, the stepper's state a black frame;
 * - Gibbs frequencies at fixed seeds within 4.5 binomial standard deviations
 *   of the exact Boltzmann probabilities (enumeration), at three temperatures,
 *   and annealing ends in the ground states far more often than a quench.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../helpers/png-decode.js';
import { type DemoSite, openDemoSite } from './demo-page.js';
import { hasChromium } from './harness.js';

// ── the ten-unit network, independently: unscaled Hebbian weights of the page's three patterns ──
const PATTERNS = [
  [1, 1, 1, 1, 1, -1, -1, -1, -1, -1],
  [1, -1, 1, -1, 1, -1, 1, -1, 1, -1],
  [1, 1, -1, -1, 1, 1, -1, -1, 1, 1],
];
const N = 10;
const W = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 0 : PATTERNS.reduce((s, p) => s + (p[i] as number) * (p[j] as number), 0))));
const spins = (s: number, n = N): number[] => Array.from({ length: n }, (_, k) => ((s >> k) & 1 ? 1 : -1));
const index = (y: number[]): number => y.reduce((s, v, k) => s | (v > 0 ? 1 << k : 0), 0);
const field = (w: number[][], y: number[], i: number, b = 0): number => (w[i] as number[]).reduce((s, wij, j) => s + wij * (y[j] as number), b);
const energyOf = (w: number[][], y: number[], bias: number[] = []): number => {
  let e = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) e -= (w[i] as number[])[j] as number * (y[i] as number) * (y[j] as number);
    e -= (bias[i] ?? 0) * (y[i] as number);
  }
  return e;
};
const isFixed = (y: number[]): boolean => y.every((v, i) => v * field(W, y, i) >= 0);
const energies = Array.from({ length: 1 << N }, (_, s) => energyOf(W, spins(s)));
const fixedStates = energies.map((_, s) => s).filter((s) => isFixed(spins(s)));
const eMin = Math.min(...energies), eMax = Math.max(...energies);
const grayInverse = (g: number): number => {
  let k = g;
  for (let m = g >> 1; m; m >>= 1) k ^= m;
  return k;
};
/** Row from units 5–9, column from units 0–4, Gray-decoded (as the page states). */
const cellOf = (s: number): [number, number] => [grayInverse(s >> 5), grayInverse(s & 31)];
const CELL = 14;
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function colour(t: number): number[] {
  const x = t * 4, k = Math.min(3, Math.floor(x)), f = x - k;
  return [0, 1, 2].map((c) => Math.round(((VIRIDIS[k] as number[])[c] as number) + f * (((VIRIDIS[k + 1] as number[])[c] as number) - ((VIRIDIS[k] as number[])[c] as number))));
}

// ── the five-unit network: (1/5)-scaled Hebbian weights of two patterns, bias 0.3 on unit 0 ──
const SMALL = [
  [1, 1, 1, -1, -1],
  [1, -1, 1, -1, 1],
];
const NB = 5;
const WB = Array.from({ length: NB }, (_, i) => Array.from({ length: NB }, (_, j) => (i === j ? 0 : SMALL.reduce((s, p) => s + (p[i] as number) * (p[j] as number), 0) / NB)));
const BB = [0.3, 0, 0, 0, 0];
function boltzmann(T: number): number[] {
  const w = Array.from({ length: 1 << NB }, (_, s) => Math.exp(-energyOf(WB, spins(s, NB), BB) / T));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / z);
}
const GROUND = [index(SMALL[0] as number[]), index(SMALL[1] as number[])];

describe.skipIf(!hasChromium)('demo lecture page in headless Chromium', () => {
  let site: DemoSite;
  let page: Page;

  beforeAll(async () => {
    site = await openDemoSite();
    page = await site.open('lecture.html', { width: 1280, height: 1800 });
    await page.waitForSelector('#gibbs-status[data-drawn]');
  });
  afterAll(async () => {
    await site?.close();
  });

  /**
   * A screenshot of the landscape canvas as `px(x, y) → 'r,g,b'` in canvas pixels. The clip is
   * taken 2 px larger than the canvas, and the canvas's corner found in it as the offset at which
   * the red squares sit on the cell centres of the fixed points (robust to sub-pixel layout).
   */
  const landscapeShot = async (): Promise<(x: number, y: number) => string> => {
    const box = await page.locator('#landscape').boundingBox();
    if (!box) throw new Error('no landscape box');
    const side = 32 * CELL + 2;
    const png = decodePng(await page.screenshot({ clip: { x: Math.floor(box.x) - 1, y: Math.floor(box.y) - 1, width: side + 1, height: side + 1 } }));
    const at = (x: number, y: number): string => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3)).join(',');
    let best = [0, 0], bestScore = -1;
    for (let dy = 0; dy <= 2; dy++) {
      for (let dx = 0; dx <= 2; dx++) {
        let score = 0;
        for (const f of fixedStates) {
          const [r, c] = cellOf(f);
          if (at(dx + c * CELL + 4, dy + r * CELL + 4) === '255,0,0' && at(dx + c * CELL + 9, dy + r * CELL + 9) === '255,0,0') score++;
        }
        if (score > bestScore) [best, bestScore] = [[dx, dy], score];
      }
    }
    const [ox, oy] = best as [number, number];
    return (x, y) => at(ox + x, oy + y);
  };

  it('steps asynchronous updates from a clicked state; every trace row is the independent computation', async () => {
    // the first state whose sequential dynamics take the longest (14 attempts) to reach a fixed point
    const attemptsToFixed = (s: number): number => {
      const z = spins(s);
      let t = 0;
      for (; !isFixed(z) && t < 1000; t++) {
        const i = t % N, h = field(W, z, i);
        z[i] = h > 0 ? 1 : h < 0 ? -1 : (z[i] as number);
      }
      return t;
    };
    const s0 = energies.findIndex((_, s) => attemptsToFixed(s) === 14);
    expect(s0).toBeGreaterThanOrEqual(0);
    const [r, c] = cellOf(s0);
    await page.click('#landscape', { position: { x: c * CELL + 7, y: r * CELL + 7 } });
    expect(await page.getAttribute('#lec-state', 'data-state')).toBe(spins(s0).map((v) => (v > 0 ? '+' : '-')).join(''));
    await page.click('#lec-step');
    await page.click('#lec-step');
    expect(await page.getAttribute('#lec-step-status', 'data-fixed')).toBe('false');
    await page.click('#lec-run');
    const rows = await page.$$eval('#lec-trace tbody tr', (trs) => trs.map((tr) => ({ ...(tr as HTMLElement).dataset })));
    expect(rows.length).toBe(14);
    const y = spins(s0);
    let e = energyOf(W, y), flips = 0;
    rows.forEach((row, t) => {
      const i = t % N;
      const h = field(W, y, i);
      const v = h > 0 ? 1 : h < 0 ? -1 : (y[i] as number);
      if (v !== y[i]) flips++;
      y[i] = v;
      const after = energyOf(W, y);
      expect(Number(row.step)).toBe(t + 1);
      expect(Number(row.unit)).toBe(i);
      expect(Number(row.field)).toBe(h);
      expect(Number(row.value)).toBe(v);
      expect(Number(row.deltaE)).toBe(after - e);
      expect(Number(row.energy)).toBe(after);
      expect(after - e).toBeLessThanOrEqual(0);
      e = after;
    });
    // it stopped exactly when it reached a fixed point, and says so
    expect(isFixed(y)).toBe(true);
    expect(flips).toBeGreaterThan(0);
    expect(await page.getAttribute('#lec-step-status', 'data-fixed')).toBe('true');
    expect(await page.getAttribute('#lec-state', 'data-state')).toBe(y.map((v) => (v > 0 ? '+' : '-')).join(''));
    // 'Run' stopped at the first fixed point it reached
    const z = spins(s0);
    for (let t = 0; t < rows.length - 1; t++) {
      const i = t % N, h = field(W, z, i);
      z[i] = h > 0 ? 1 : h < 0 ? -1 : (z[i] as number);
      expect(isFixed(z), `attempt ${t + 1}`).toBe(false);
    }
    // the library's evolve(start, { trace: true }) is shown beside it, with the same flips
    expect(await page.getAttribute('#lec-lib-trace', 'data-agree')).toBe('true');
    expect(Number(await page.getAttribute('#lec-lib-trace', 'data-flips'))).toBe(flips);
    expect(await page.isVisible('#lec-lib summary')).toBe(true);
    const printed = (await page.textContent('#lec-lib-trace')) ?? '';
    expect(printed.split('\n').filter((line) => line.includes('*')).length).toBe(flips);
    // a sweep at the fixed point: ten attempts, no flip, the energy stays
    await page.click('#lec-sweep');
    const more = await page.$$eval('#lec-trace tbody tr', (trs) => trs.slice(14).map((tr) => ({ ...(tr as HTMLElement).dataset })));
    expect(more.map((r) => Number(r.unit))).toEqual([4, 5, 6, 7, 8, 9, 0, 1, 2, 3]);
    expect(more.every((r) => Number(r.deltaE) === 0 && Number(r.energy) === e)).toBe(true);
    console.log(`stepper from state ${s0}: ${rows.length} attempts, ${flips} flips, energy ${energyOf(W, spins(s0))} → ${e}`);
  });

  it('the landscape screenshot: every cell coloured by its energy, red squares exactly on the fixed points, the stepper state framed', async () => {
    const shot = await landscapeShot();
    const px = (x: number, y: number): number[] => shot(x, y).split(',').map(Number);
    const current = index((await page.getAttribute('#lec-state', 'data-state'))?.split('').map((ch) => (ch === '+' ? 1 : -1)) ?? []);
    let worst = 0;
    for (let s = 0; s < 1 << N; s++) {
      const [r, c] = cellOf(s);
      const want = colour(((energies[s] as number) - eMin) / (eMax - eMin));
      const got = px(c * CELL + 3, r * CELL + 3);
      worst = Math.max(worst, ...got.map((v, k) => Math.abs(v - (want[k] as number))));
      const centre = px(c * CELL + 7, r * CELL + 7);
      expect(centre.join(',') === '255,0,0', `state ${s} fixed=${fixedStates.includes(s)}`).toBe(fixedStates.includes(s));
      const frame = px(c * CELL, r * CELL + 7);
      expect(frame.join(',') === '0,0,0', `frame at state ${s}`).toBe(s === current);
    }
    expect(worst).toBeLessThanOrEqual(2);
    let red = 0;
    for (let y = 0; y < 32 * CELL; y++) for (let x = 0; x < 32 * CELL; x++) if (shot(x, y) === '255,0,0') red++;
    expect(red).toBe(36 * fixedStates.length);
    expect(await page.getAttribute('#landscape-status', 'data-fixed')).toBe(String(fixedStates.length));
    expect(await page.textContent('#legend-min')).toBe(`E = ${eMin.toFixed(2)}`);
    expect(await page.textContent('#legend-max')).toBe(`E = ${eMax.toFixed(2)}`);
    console.log(`landscape: ${fixedStates.length} fixed points (${fixedStates.join(', ')}), E from ${eMin} to ${eMax}, worst colour error ${worst}`);
  });

  it('coloured by basin: cells share a colour exactly when sequential updates take them to the same fixed point', async () => {
    await page.selectOption('#landscape-colour', 'basin');
    const px = await landscapeShot();
    // basins computed here: sequential asynchronous updates from unit 0 until a fixed point
    const basinOf = (s: number): number => {
      const z = spins(s);
      for (let t = 0; !isFixed(z); t++) {
        const i = t % N, h = field(W, z, i);
        z[i] = h > 0 ? 1 : h < 0 ? -1 : (z[i] as number);
      }
      return index(z);
    };
    const colourToBasin = new Map<string, Set<number>>(), basinToColour = new Map<number, Set<string>>();
    const sizes = new Map<number, number>();
    for (let s = 0; s < 1 << N; s++) {
      const [r, c] = cellOf(s);
      const col = px(c * CELL + 3, r * CELL + 3), b = basinOf(s);
      sizes.set(b, (sizes.get(b) ?? 0) + 1);
      colourToBasin.set(col, (colourToBasin.get(col) ?? new Set()).add(b));
      basinToColour.set(b, (basinToColour.get(b) ?? new Set()).add(col));
      expect(px(c * CELL + 7, r * CELL + 7) === '255,0,0').toBe(fixedStates.includes(s));
    }
    expect([...basinToColour.keys()].sort((a, b) => a - b)).toEqual(fixedStates);
    for (const set of colourToBasin.values()) expect(set.size).toBe(1);
    for (const set of basinToColour.values()) expect(set.size).toBe(1);
    expect(JSON.parse((await page.getAttribute('#landscape-status', 'data-basins')) ?? '{}')).toEqual(Object.fromEntries([...sizes].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])));
    console.log(`basins: ${[...sizes].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    await page.selectOption('#landscape-colour', 'energy');
  });

  const setT = async (t: string): Promise<void> => {
    await page.evaluate((v) => {
      const el = document.getElementById('lec-temp') as HTMLInputElement;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, t);
  };
  const probs = (): Promise<{ state: number; p: number; f: number }[]> =>
    page.$$eval('#lec-probs tbody tr', (trs) => trs.map((tr) => ({ state: Number((tr as HTMLElement).dataset.state), p: Number((tr as HTMLElement).dataset.p), f: Number((tr as HTMLElement).dataset.f) })));

  it('Gibbs frequencies of 8 000 seeded chains lie within 4.5σ of the exact Boltzmann probabilities at T = 3, 1 and 0.5', async () => {
    const n = 8000;
    for (const T of ['3', '1', '0.5']) {
      await setT(T);
      await page.waitForSelector(`#gibbs-status[data-temperature="${T}"][data-drawn="${n}"]`, { timeout: 30_000 });
      const exact = boltzmann(Number(T));
      const rows = await probs();
      expect(rows.length).toBe(32);
      let worstZ = 0;
      for (const { state, p, f } of rows) {
        const q = exact[state] as number;
        expect(Math.abs(p - q)).toBeLessThan(1e-12);
        const z = Math.abs(f - q) / Math.sqrt((q * (1 - q)) / n);
        worstZ = Math.max(worstZ, z);
        expect(z, `state ${state} at T = ${T}: frequency ${f}, exact ${q}`).toBeLessThan(4.5);
      }
      // the bars: filled heights ∝ frequencies, outlined ∝ exact, on one scale
      const heights = await page.$$eval('#lec-bars rect.freq, #lec-bars rect.exact', (rs) => rs.map((r) => ({ cls: r.getAttribute('class'), h: Number(r.getAttribute('height')), v: Number(r.getAttribute('data-f') ?? r.getAttribute('data-p')) })));
      const scale = (heights.find((b) => b.cls === 'exact' && b.v > 0.01) as { h: number; v: number });
      for (const b of heights) expect(b.h).toBeCloseTo((b.v * scale.h) / scale.v, 6);
      console.log(`T = ${T}: worst |f − P| / σ over 32 states ${worstZ.toFixed(2)}; TV ${Number(await page.getAttribute('#gibbs-status', 'data-tv')).toFixed(4)}`);
    }
  });

  it('a traced Gibbs sweep: every row replays (field, ΔE, energy), and the choices follow σ(2h/T)', async () => {
    await setT('1');
    let rows = 0, ups = 0, expectUps = 0, variance = 0, uphill = 0;
    for (let k = 0; k < 60; k++) {
      await page.click('#lec-gibbs-trace');
      const tr = (await page.evaluate('window.boltzmannLecture.gibbsTrace()')) as { start: number[]; unit: number[]; field: number[]; deltaE: number[]; value: number[]; energy: number[]; initialEnergy: number };
      const z = tr.start.slice();
      expect(tr.initialEnergy).toBeCloseTo(energyOf(WB, z, BB), 12);
      expect(tr.unit).toEqual([0, 1, 2, 3, 4]);
      tr.unit.forEach((i, r) => {
        const h = field(WB, z, i, BB[i]);
        const old = z[i] as number, v = tr.value[r] as number;
        expect(tr.field[r]).toBeCloseTo(h, 12);
        expect(tr.deltaE[r]).toBeCloseTo(-(v - old) * h, 12);
        z[i] = v;
        expect(tr.energy[r]).toBeCloseTo(energyOf(WB, z, BB), 12);
        // the probability of the choice that lowers the energy (v along h): σ(2|h|/T), T = 1
        const p = 1 / (1 + Math.exp(-2 * Math.abs(h)));
        rows++;
        if (Math.abs(h) > 1e-12) {
          // (a zero field has no direction: both choices have probability ½ and are left out)
          if (v * h > 0) ups++;
          expectUps += p;
          variance += p * (1 - p);
        }
        if ((tr.deltaE[r] as number) > 0) uphill++;
      });
    }
    console.log(`Gibbs trace at T = 1: ${rows} updates, ${ups} set along their field (σ(2|h|/T) expects ${expectUps.toFixed(1)} ± ${Math.sqrt(variance).toFixed(1)}), ${uphill} uphill moves`);
    expect(Math.abs(ups - expectUps)).toBeLessThan(4.5 * Math.sqrt(variance));
    expect(uphill).toBeGreaterThan(0);
    expect(await page.textContent('#lec-gibbs-trace-out')).toMatch(/One Gibbs sweep at T = 1\.00 \(QuadraticGibbs\.traceSweeps\)/);
  });

  it('annealing from T = 3 to 0.1 moves the slider and ends in the ground states far more often than a quench at T = 0.1', async () => {
    await setT('0.1');
    await page.waitForSelector('#gibbs-status[data-temperature="0.1"][data-drawn="8000"]', { timeout: 30_000 });
    const quench = (await probs()).filter((r) => GROUND.includes(r.state)).reduce((a, r) => a + r.f, 0);
    await page.click('#lec-anneal');
    await page.waitForSelector('#gibbs-status[data-annealing="running"]');
    await page.waitForFunction(() => Number((document.getElementById('lec-temp') as HTMLInputElement).value) < 1);
    await page.waitForSelector('#gibbs-status[data-annealing="done"]', { timeout: 60_000 });
    expect(await page.inputValue('#lec-temp')).toBe('0.1');
    const rows = await probs();
    const annealed = rows.filter((r) => GROUND.includes(r.state)).reduce((a, r) => a + r.f, 0);
    const exactGround = GROUND.reduce((a, s) => a + (boltzmann(0.1)[s] as number), 0);
    console.log(`ground-state mass at T = 0.1: exact ${exactGround.toFixed(4)}, annealed population ${annealed.toFixed(4)}, quench ${quench.toFixed(4)}`);
    // binomial standard error of a fraction of 2 000 chains is ≤ 0.011
    expect(annealed).toBeGreaterThan(quench + 0.1);
    expect(site.errors).toEqual([]);
  });
});
