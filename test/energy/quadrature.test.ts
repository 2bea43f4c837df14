import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/errors.js';
import { logPartition1D, logPartition2D } from '../../src/energy/quadrature.js';

describe('logPartition1D / logPartition2D: log Z by adaptive quadrature', () => {
  it("the lecture's examples in 1-D: E = |x| gives log 2 (Laplace), E = x²/2 gives log √(2π)", () => {
    const laplace = logPartition1D((x) => Math.abs(x));
    expect(Math.abs(laplace.logZ - Math.log(2))).toBeLessThan(1e-9);
    expect(laplace.error).toBeLessThan(1e-8);
    expect(Math.abs(logPartition1D((x) => 0.5 * x * x).logZ - 0.5 * Math.log(2 * Math.PI))).toBeLessThan(1e-9);
  });

  it('half-infinite and bounded domains, shifted and scaled energies (no overflow far from 0)', () => {
    // ∫₀^∞ e^{−x} = 1; ∫_{−∞}^1 e^{x−1} = 1; ∫_{−1}^{2} 1 = 3
    expect(Math.abs(logPartition1D((x) => x, [0, Number.POSITIVE_INFINITY]).logZ)).toBeLessThan(1e-9);
    expect(Math.abs(logPartition1D((x) => 1 - x, [Number.NEGATIVE_INFINITY, 1]).logZ)).toBeLessThan(1e-9);
    expect(Math.abs(logPartition1D(() => 0, [-1, 2]).logZ - Math.log(3))).toBeLessThan(1e-12);
    // E = 1000 + (x − 30)²/(2·0.01): log Z = −1000 + log(0.1·√(2π))
    const narrow = logPartition1D((x) => 1000 + ((x - 30) * (x - 30)) / 0.02);
    expect(Math.abs(narrow.logZ - (-1000 + Math.log(0.1 * Math.sqrt(2 * Math.PI))))).toBeLessThan(1e-8);
    // a standard normal restricted to [0, ∞): log(√(2π)/2)
    expect(Math.abs(logPartition1D((x) => 0.5 * x * x, [0, Number.POSITIVE_INFINITY]).logZ - Math.log(Math.sqrt(2 * Math.PI) / 2))).toBeLessThan(1e-9);
  });

  it('2-D: a correlated Gaussian (log 2π − ½ log det Λ), a product of Laplaces (log 4), a box', () => {
    const g = logPartition2D((x, y) => 0.5 * (2 * x * x + 1.2 * x * y + 1.5 * y * y));
    expect(Math.abs(g.logZ - (Math.log(2 * Math.PI) - 0.5 * Math.log(3 - 0.36)))).toBeLessThan(1e-7);
    expect(Math.abs(logPartition2D((x, y) => Math.abs(x) + Math.abs(y)).logZ - Math.log(4))).toBeLessThan(1e-7);
    expect(Math.abs(logPartition2D((x, y) => x + y, [0, 1], [0, Number.POSITIVE_INFINITY]).logZ - Math.log(1 - Math.exp(-1)))).toBeLessThan(1e-8);
  });

  it('meets the tolerance it is asked for, with an honest error estimate (kink off the grid: E = |x − 0.3|)', () => {
    for (const tol of [1e-4, 1e-6, 1e-8]) {
      const r = logPartition1D((x) => Math.abs(x - 0.3), undefined, { relativeTolerance: tol });
      const actual = Math.abs(r.logZ - Math.log(2));
      expect(actual).toBeLessThan(tol);
      expect(actual).toBeLessThan(3 * r.error + 1e-13);
    }
  });

  it('refuses bad domains and options, and non-integrable or NaN energies', () => {
    expect(() => logPartition1D((x) => x, [1, 0])).toThrow(/low < high/);
    expect(() => logPartition1D((x) => x, [0, 1], { tolerance: 1 } as never)).toThrow(/relativeTolerance/);
    expect(() => logPartition1D(() => Number.NaN)).toThrow(NumericalError);
    expect(() => logPartition1D((x) => -Math.abs(x), undefined, { maxEvaluations: 100_000 })).toThrow(NumericalError);
  });
});
