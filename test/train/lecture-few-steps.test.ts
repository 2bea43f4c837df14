/**
 * The few-steps (SGD) variant of contrastive Hopfield training: its defaults
 * converge, and cycling updates are reported in the history (issue #20).
 */
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, Random, stability, trainHopfieldContrastive } from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

/** 20 seeded sets of 6 random patterns in N = 32 (load 0.19, where Hebbian storage alone fails). */
const SETS = Array.from({ length: 20 }, (_, s) => randomPatterns(6, 32, new Random(1000 + s)));

/** 20 seeded sets at each of two smaller loads, where 3 sweeps alone, or η = 1/N alone, still cycles on some set. */
const SMALL = [
  [16, 4],
  [12, 3],
].flatMap(([n, p]) => Array.from({ length: 20 }, (_, s) => randomPatterns(p, n, new Random(1000 + s))));

function run(patterns: number[][], seed: number, extra: object) {
  const net = new HopfieldNetwork(patterns[0].length, { rng: seed });
  const r = net.fit(patterns, { rule: 'contrastive', variant: 'few-steps', epochs: 100, stopWhenStable: true, ...extra });
  return { net, r, allStable: stability(net, patterns).allStable };
}

describe("trainHopfieldContrastive, variant 'few-steps'", () => {
  it('the defaults (1 sweep, η = 0.1/N) make every pattern stable on all 20 sets (and on 20 each at N/P = 16/4, 12/3); the old ones (3 sweeps, η = 1/N) cycle on 5 of them, with a warning', () => {
    let oldFails = 0;
    for (let s = 0; s < SETS.length; s++) {
      const now = run(SETS[s], s, {});
      expect(now.allStable).toBe(true);
      expect(now.r.epochs).toBeLessThan(20);
      expect(now.r.history.every((m) => m.warning === undefined)).toBe(true);
      const old = run(SETS[s], s, { steps: 3, learningRate: 1 / 32 });
      if (!old.allStable) {
        oldFails++;
        expect(old.r.epochs).toBe(100); // never stopped: still updating
        const warned = old.r.history.filter((m) => m.warning !== undefined);
        expect(warned.length).toBeGreaterThan(0);
        expect(warned[0].warning).toMatch(/contrastive updates are cycling: 20 epochs of weight changes/);
      }
    }
    expect(oldFails).toBe(5);
    for (let s = 0; s < SMALL.length; s++) expect(run(SMALL[s], s % 20, {}).allStable).toBe(true);
  });

  it('a set no weights can store (two patterns one bit apart) cycles, and the warning names the pair', () => {
    const rng = new Random(3);
    const pats = randomPatterns(4, 16, rng);
    pats[3] = pats[1].slice();
    pats[3][5] = -pats[3][5];
    const net = new HopfieldNetwork(16, { rng: 1 });
    const r = net.fit(pats, { rule: 'contrastive', variant: 'few-steps', epochs: 60 });
    expect(stability(net, pats).allStable).toBe(false);
    const warnings = r.history.flatMap((m) => (m.warning === undefined ? [] : [m.epoch]));
    expect(warnings.length).toBeGreaterThan(0);
    expect(r.history[warnings[0]].warning).toMatch(/patterns 1 and 3 differ in one bit/);
    // The reversed case: −ξ¹ with one bit flipped.
    pats[3] = pats[1].map((v, i) => (i === 5 ? v : -v));
    const r2 = new HopfieldNetwork(16, { rng: 1 }).fit(pats, { rule: 'contrastive', variant: 'few-steps', epochs: 60 });
    expect(r2.history.find((m) => m.warning !== undefined)?.warning).toMatch(/patterns 1 and 3 \(reversed\) differ in one bit/);
  });

  it('the default few-steps learning rate is 0.1/N, the other variants keep 1/N', () => {
    const pats = SETS[0];
    const a = new HopfieldNetwork(32);
    a.fit(pats);
    expect(trainHopfieldContrastive(a, pats, { variant: 'few-steps', epochs: 1, rng: 1 }).history[0].learningRate).toBe(0.1 / 32);
    expect(trainHopfieldContrastive(a, pats, { variant: 'from-patterns', epochs: 1, rng: 1 }).history[0].learningRate).toBe(1 / 32);
  });
});
