import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/linalg/stable.js';
import { sigmoidInPlace } from '../../src/linalg/wasm/gather.js';

function sameBits(got: Float64Array, want: Float64Array): boolean {
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return false;
  return got.length === want.length;
}

/** The doubles within `d` ulps of ±t (t > 0). */
function around(t: number, d: number): number[] {
  const f = new Float64Array(1);
  const u = new BigInt64Array(f.buffer);
  f[0] = t;
  const base = u[0];
  const out: number[] = [];
  for (let i = -d; i <= d; i++) {
    u[0] = base + BigInt(i);
    out.push(f[0], -f[0]);
  }
  return out;
}

describe('σ in WebAssembly SIMD (the RBM conditionals)', () => {
  it('gives the TS sigmoid’s bits for any double, NaN, ±∞, ±0 and odd lengths included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.double({ min: -40, max: 40 }), fc.double({ min: -1e-7, max: 1e-7 })), { minLength: 64, maxLength: 400 }), (xs) => {
        const x = Float64Array.from(xs);
        const want = x.map(sigmoid);
        sigmoidInPlace(x, x.length);
        return sameBits(x, want);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the TS sigmoid’s bits next to every branch threshold of fdlibm’s exp and the 700 fallback', () => {
    // |x| = 0.5 ln2, 1.5 ln2, 2⁻²⁸ (the high-word thresholds), 700 (the SIMD range) and the overflow/underflow ends
    const xs = [0.34657359027997264, 1.0397207708399179, 2 ** -28, 700, 708.39, 709.782712893384, 745.1332191019411, 0]
      .flatMap((t) => (t === 0 ? [0, -0, 5e-324, -5e-324] : around(t, 300)));
    const x = Float64Array.from(xs);
    const want = x.map(sigmoid);
    sigmoidInPlace(x, x.length);
    expect(sameBits(x, want)).toBe(true);
  });

  it('short arrays (TS) and long ones (SIMD) agree on the same values', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => (i - 500) / 13);
    const long = xs.slice();
    sigmoidInPlace(long, long.length);
    for (let i = 0; i < 1000; i += 10) {
      const short = xs.slice(i, i + 10);
      sigmoidInPlace(short, 10);
      expect(sameBits(short, long.subarray(i, i + 10))).toBe(true);
    }
  });

  it('leaves the entries past n alone', () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i - 50);
    sigmoidInPlace(x, 99);
    expect([x[99], x[100]]).toEqual([49, 50]);
    expect(x[50]).toBe(0.5);
  });
});
