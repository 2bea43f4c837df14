import { describe, expect, it } from 'vitest';
import { denseCapacityTheory, mcElieceCapacity, memoryCapacity, memoryCapacitySweep } from '../../src/index.js';

describe('capacity of every associative memory', () => {
  it('polynomial n = 2 gives exactly the Hebbian points (the same network and the same draws)', () => {
    const opts = { n: 64, patterns: [4, 10, 20], flip: 0.15, trials: 2, maxPatterns: 20, rng: 3 };
    const a = memoryCapacitySweep({ ...opts, memory: 'hebbian' });
    const b = memoryCapacitySweep({ ...opts, memory: 'polynomial', degree: 2 });
    expect(b.map((p) => [p.stableFraction, p.meanOverlap, p.exactFraction])).toEqual(a.map((p) => [p.stableFraction, p.meanOverlap, p.exactFraction]));
    expect(a[0].stableFraction).toBe(1);
    expect(a[2].stableFraction).toBeLessThan(0.5);
  });

  it('at K = N = 100: n = 3, exponential and modern keep every pattern; the classical Hebbian network almost none', () => {
    const at = (memory: 'hebbian' | 'polynomial' | 'exponential' | 'modern') => memoryCapacitySweep({ n: 100, patterns: [100], memory, maxPatterns: 40, rng: 1 })[0];
    for (const m of ['polynomial', 'exponential', 'modern'] as const) {
      const p = at(m);
      expect(p.stableFraction, m).toBe(1);
      expect(p.exactFraction, m).toBe(1);
    }
    const h = at('hebbian');
    expect(h.stableFraction).toBeLessThan(0.1);
    expect(h.meanOverlap).toBeLessThan(0.9);
  });

  it('measured capacities sit on the theory: Hebbian near McEliece’s N/(2 ln N), n = 3 near Krotov–Hopfield, superlinear in N', () => {
    const heb = memoryCapacity({ n: 100, rng: 2 });
    expect(heb).toBeGreaterThan(0.5 * mcElieceCapacity(100, 'each'));
    expect(heb).toBeLessThan(2 * mcElieceCapacity(100, 'each'));
    const k40 = memoryCapacity({ n: 40, memory: 'polynomial', degree: 3, rng: 2 });
    const k80 = memoryCapacity({ n: 80, memory: 'polynomial', degree: 3, rng: 2 });
    for (const [n, k] of [[40, k40], [80, k80]]) {
      expect(k / denseCapacityTheory(n, 3)).toBeGreaterThan(0.6);
      expect(k / denseCapacityTheory(n, 3)).toBeLessThan(1.5);
    }
    // Exponent between 1.5 and 2.3 (theory over 40..80: 2 − 1/ln N ≈ 1.75).
    const exponent = Math.log(k80 / k40) / Math.log(2);
    expect(exponent).toBeGreaterThan(1.5);
    expect(exponent).toBeLessThan(2.3);
  });

  it('checks its options', () => {
    expect(() => memoryCapacitySweep({ n: 10, patterns: [] })).toThrow(TypeError);
    expect(() => memoryCapacitySweep({ n: 10, patterns: [2], memory: 'cubic' as never })).toThrow(RangeError);
    expect(() => memoryCapacitySweep({ n: 10, patterns: [2], flip: 2 })).toThrow(RangeError);
    expect(() => memoryCapacity({ n: 10, quality: -1 })).toThrow(RangeError);
    expect(() => memoryCapacity({ n: 10, alpha: 1 } as never)).toThrow(TypeError);
  });
});
