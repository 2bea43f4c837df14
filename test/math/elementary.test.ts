import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cos, cosh, exp, log, log1p, pow, sin, sinh, tanh } from '../../src/math/elementary.js';

const F = new Float64Array(2);
const B = new BigInt64Array(F.buffer);
/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  F[0] = a;
  F[1] = b;
  const d = B[0] - B[1];
  return Number(d < 0n ? -d : d);
}

// The engine's Math functions are the reference (not bit-exact by spec, but within an ulp in V8);
// fdlibm's published error bound is < 1 ulp, so the two may differ by at most 1 (2 for log1p near -1).
describe('portable elementary functions', () => {
  it('exp is within 1 ulp of Math.exp over the whole finite range', () => {
    fc.assert(fc.property(fc.double({ min: -746, max: 710, noNaN: true }), (x) => ulps(exp(x), Math.exp(x)) <= 1), { numRuns: 20_000 });
  });

  it('log is within 1 ulp of Math.log for all positive doubles, subnormals included', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }), (x) => ulps(log(x), Math.log(x)) <= 1), { numRuns: 20_000 });
    expect(ulps(log(5e-324), Math.log(5e-324))).toBeLessThanOrEqual(1);
  });

  it('log1p is within 1 ulp of Math.log1p on (-1, ∞), tiny arguments included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -0.999999, max: 1e300, noNaN: true }), fc.double({ min: -1e-10, max: 1e-10, noNaN: true })), (x) => ulps(log1p(x), Math.log1p(x)) <= 1),
      { numRuns: 20_000 },
    );
  });

  it('handle special values as IEEE-754 prescribes', () => {
    expect(exp(Number.NaN)).toBeNaN();
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(1)).toBe(0);
    expect(log(Infinity)).toBe(Infinity);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-2)).toBeNaN();
    expect(log1p(0)).toBe(0);
    expect(log1p(1e-300)).toBe(1e-300);
  });

  it('pow is exact for small integer exponents and close to Math.pow otherwise', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), (x, y) => {
        const r = pow(x, y);
        return Math.abs(r - x ** y) <= 1e-13 * Math.abs(x ** y);
      }),
    );
    expect(pow(0.5, 10)).toBe(1 / 1024);
    expect(pow(3, -2)).toBe(1 / 9);
  });

  it('tanh is odd, bounded, and within 1e-15 of Math.tanh', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        const t = tanh(x);
        return t === -tanh(-x) && Math.abs(t) <= 1 && Math.abs(t - Math.tanh(x)) <= 2e-16 + 4e-16 * Math.abs(Math.tanh(x));
      }),
    );
  });
});

describe('portable trigonometric and hyperbolic functions', () => {
  it('sin and cos agree with Math.sin/Math.cos within 2e-16 absolute on |x| ≤ 1000, and are odd/even', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (x) => {
        return (
          Math.abs(sin(x) - Math.sin(x)) <= 2.5e-16 &&
          Math.abs(cos(x) - Math.cos(x)) <= 2.5e-16 &&
          sin(-x) === -sin(x) &&
          cos(-x) === cos(x)
        );
      }),
      { numRuns: 20_000 },
    );
    expect(sin(0)).toBe(0);
    expect(cos(0)).toBe(1);
    expect(Math.abs(sin(Math.PI))).toBeLessThan(2e-16);
    expect(() => sin(1e7)).toThrow(RangeError);
    expect(sin(Number.NaN)).toBeNaN();
  });

  it('sinh and cosh agree with Math.sinh/Math.cosh to 1e-15 relative', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        const s = sinh(x);
        const c = cosh(x);
        return Math.abs(s - Math.sinh(x)) <= 1e-15 * Math.max(1e-300, Math.abs(Math.sinh(x))) + 1e-300 && Math.abs(c - Math.cosh(x)) <= 1e-15 * Math.cosh(x);
      }),
      { numRuns: 5_000 },
    );
  });
});
