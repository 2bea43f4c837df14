import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startTwoThreadPool } from '../helpers/start-pool.js';
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

describe('σ on the worker pool (withThreads)', () => {
  it('gives the TS sigmoid’s bits, split over the threads, edge values and odd lengths included', async () => {
    const { withThreads, getKernel } = await import('../../src/linalg/kernel.js');
    const { sigmoidRows } = await import('../../src/models/rbm-products.js');
    startTwoThreadPool();
    const specials = [0, -0, 699.9, -699.9, 700, -700, 745, -745, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, -1e-20];
    for (const n of [16384, 50001, 78400, 200003]) {
      const x = new Float64Array(n);
      let s = 12345;
      for (let i = 0; i < n; i++) {
        s = (s * 1103515245 + 12345) % 2147483648;
        x[i] = i % 97 === 0 ? (specials[(i / 97) % specials.length] as number) : (s / 2147483648 - 0.5) * 60;
      }
      const want = x.map((v) => sigmoid(v));
      const got = Float64Array.from(x);
      let split = false;
      withThreads(2, () => {
        split = getKernel().sigmoidInPlace?.(got, n) ?? false;
      });
      expect(split).toBe(true);
      for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
      const viaRows = Float64Array.from(x);
      withThreads(2, () => sigmoidRows(viaRows, n));
      expect(viaRows.every((v, i) => Object.is(v, want[i]))).toBe(true);
    }
  });

  it('a σ job leaves the pool as it was: the dense products that follow keep the TS kernel’s bits', async () => {
    const { withThreads, getKernel } = await import('../../src/linalg/kernel.js');
    const { tsKernel } = await import('../../src/linalg/ts-kernel.js');
    // exactly one lane left to TS in the first chunk (a NaN), so its count is 1 — the value that once
    // overwrote the pool's float32 flag in the control block and sent later dense products through f32
    const n = 20000;
    const x = new Float64Array(n).map((_, i) => (i === 5 ? Number.NaN : Math.sin(i)));
    const m = 150, k = 220, nn = 180;
    const a = new Float64Array(m * k).map((_, i) => Math.cos(i) * 1.1);
    const b = new Float64Array(k * nn).map((_, i) => Math.sin(i * 0.7));
    const want = new Float64Array(m * nn);
    tsKernel.gemm(false, false, m, nn, k, 1, a, k, b, nn, 0, want, nn);
    const got = new Float64Array(m * nn);
    withThreads(2, () => {
      expect(getKernel().sigmoidInPlace?.(x, n)).toBe(true);
      getKernel().gemm(false, false, m, nn, k, 1, a, k, b, nn, 0, got, nn);
    });
    expect(Number.isNaN(x[5])).toBe(true);
    expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
  });
});
