/**
 * Finite parameters near ±1e308 (issue #15, smaller findings): `rbmExactLogPartition`, `rbmAIS`
 * and `freeEnergy` returned NaN or −Infinity. Where the answer fits in float64 it is returned;
 * where it leaves float64's range, a NumericalError names the function and the cause.
 */
import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/errors.js';
import { RBM } from '../../src/models/rbm.js';
import { aisSchedule, rbmAIS } from '../../src/models/rbm-ais.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';

function rbmFilled(w: number, b: number, c: number): RBM {
  const m = new RBM(2, 2, { rng: 1 });
  m.weights.data.fill(w);
  m.visibleBias.fill(b);
  m.hiddenBias.fill(c);
  return m;
}

describe('RBM quantities with parameters near ±1e308', () => {
  for (const w of [1e308, 1.7e308, -1e308]) {
    it(`weights and biases ${w}: a NumericalError or a finite answer, never NaN or ±Infinity`, () => {
      const m = rbmFilled(w, w, w);
      const results: Array<() => number[]> = [
        () => [rbmExactLogPartition(m)],
        () => Array.from(m.freeEnergy([[1, 1], [0, 1]])),
        () => [rbmAIS(m, { runs: 10, betas: aisSchedule(5, 5, 5), rng: 1 }).logZ],
      ];
      for (const f of results) {
        let values: number[] | undefined;
        try {
          values = f();
        } catch (e) {
          expect(e).toBeInstanceOf(NumericalError);
          expect((e as Error).message).toMatch(/^(rbmExactLogPartition|RBM\.freeEnergy|annealedImportanceSampling): .* leaves? float64's range/);
          continue;
        }
        for (const v of values) expect(Number.isFinite(v)).toBe(true);
      }
    });
  }

  it('weights −1e308: log Z is exactly 0 (only the zero state counts), the free energy of v = 0 is finite', () => {
    const m = rbmFilled(-1e308, -1e308, -1e308);
    expect(rbmExactLogPartition(m)).toBe(0);
    expect(m.freeEnergy([[0, 0]])[0] === 0).toBe(true); // F(0) = −Σ softplus(−1e308) = −0
    expect(() => m.freeEnergy([[1, 1]])).toThrow(NumericalError);
  });

  it('the failure leaves `out` untouched; ordinary parameters are unaffected', () => {
    const m = rbmFilled(1e308, 1e308, 1e308);
    const out = Float64Array.of(7, 7);
    expect(() => m.freeEnergy([[1, 1], [0, 1]], out)).toThrow(NumericalError);
    expect(Array.from(out)).toEqual([7, 7]);
    const small = rbmFilled(1e300, 1e300, 1e300);
    expect(rbmExactLogPartition(small)).toBe(8e300);
    expect(Array.from(small.freeEnergy([[1, 1]]))).toEqual([-8e300]);
  });
});
