import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logAddExp, logMeanExp, logSigmoid, logSumExp, sigmoid, softplus, softplusSum } from '../../src/index.js';

const wide = fc.double({ min: -1e300, max: 1e300, noNaN: true });
const moderate = fc.double({ min: -30, max: 30, noNaN: true });

describe('stable scalar functions', () => {
  it('are finite at ±1e4, ±1e6 and beyond, with the right limits', () => {
    for (const x of [1e4, 1e6, 1e300]) {
      expect(sigmoid(x)).toBe(1);
      expect(sigmoid(-x)).toBe(0);
      expect(softplus(x)).toBe(x);
      expect(softplus(-x)).toBe(0);
      expect(logSigmoid(-x)).toBe(-x);
      expect(logSigmoid(x)).toBe(-0);
      expect(logSumExp([x, x])).toBeCloseTo(x + Math.LN2, 0);
      expect(Number.isFinite(logMeanExp([-x, x]))).toBe(true);
    }
  });

  it('agree with the naive formulas where those are accurate', () => {
    fc.assert(
      fc.property(moderate, (x) => {
        expect(sigmoid(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 14);
        expect(softplus(x)).toBeCloseTo(Math.log(1 + Math.exp(x)), 12);
        expect(logSigmoid(x)).toBeCloseTo(Math.log(1 / (1 + Math.exp(-x))), 12);
      }),
    );
  });

  it('satisfy σ(x) + σ(−x) = 1 and softplus(x) − softplus(−x) = x everywhere', () => {
    fc.assert(
      fc.property(wide, (x) => {
        expect(Number.isFinite(sigmoid(x))).toBe(true);
        expect(sigmoid(x) + sigmoid(-x)).toBeCloseTo(1, 15);
        const d = softplus(x) - softplus(-x);
        expect(Math.abs(d - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
      }),
    );
  });

  it('logSumExp is shift-equivariant and bounded by max and max + log n', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (xs, c) => {
        const l = logSumExp(xs);
        const max = Math.max(...xs);
        expect(l).toBeGreaterThanOrEqual(max);
        expect(l).toBeLessThanOrEqual(max + Math.log(xs.length) + 1e-9);
        expect(logSumExp(xs.map((x) => x + c))).toBeCloseTo(l + c, 6);
        expect(logMeanExp(xs)).toBeCloseTo(l - Math.log(xs.length), 9);
      }),
    );
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([1, Number.NaN])).toBeNaN();
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logAddExp(1e6, 1e6)).toBeCloseTo(1e6 + Math.LN2, 6);
  });

  it('softplusSum equals the term-by-term sum of softplus (property; extremes, long rows, scale)', () => {
    const value = fc.oneof(
      fc.double({ min: -40, max: 40, noNaN: true }),
      fc.double({ min: -1e300, max: 1e300, noNaN: true }),
      fc.constantFrom(0, -0, 1e-300, -1e-300, 745, -745, 36.7),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 1300 }), fc.double({ min: -3, max: 3, noNaN: true }), (xs, scale) => {
        const x = Float64Array.from([7, ...xs, 7]); // offset start, ignored ends
        let direct = 0;
        let mag = 0;
        for (let j = 0; j < xs.length; j++) {
          const t = softplus(scale * xs[j]);
          direct += t;
          mag += Math.abs(t);
        }
        const got = softplusSum(x, 1, xs.length, scale);
        if (!Number.isFinite(direct)) return Object.is(got, direct);
        return Math.abs(got - direct) <= 4e-16 * (xs.length + 2) * (1 + mag);
      }),
      { numRuns: 300 },
    );
    expect(softplusSum(Float64Array.of(0, 1000, -1000), 0, 3)).toBeCloseTo(Math.LN2 + 1000, 12);
    expect(softplusSum(new Float64Array(2000), 0, 2000)).toBeCloseTo(2000 * Math.LN2, 10); // crosses the 512-factor chunks
    expect(softplusSum(Float64Array.of(1, Number.POSITIVE_INFINITY), 0, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(softplusSum(Float64Array.of(1, Number.NEGATIVE_INFINITY), 0, 2)).toBe(softplus(1));
    expect(softplusSum(Float64Array.of(1, Number.NaN), 0, 2)).toBeNaN();
    expect(softplusSum(new Float64Array(0), 0, 0)).toBe(0);
    expect(() => softplusSum(new Float64Array(3), 2, 2)).toThrow(/softplusSum: start and n .* \(got start 2, n 2, length 3\)/);
    expect(() => softplusSum(new Float64Array(3), -1, 1)).toThrow(RangeError);
    expect(() => softplusSum(new Float64Array(3), 0, 1.5)).toThrow(RangeError);
  });
});
