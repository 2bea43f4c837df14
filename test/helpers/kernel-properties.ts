/**
 * Property tests that every Kernel backend must pass (ts, wasm, workers):
 * results equal the naive triple loop for random shapes (0, 1, odd sizes),
 * every transpose combination, alpha/beta, and strided (ld > cols) layouts.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Kernel } from '../../src/linalg/kernel.js';
import { naiveKernel } from '../../src/linalg/naive.js';

const dim = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 7), fc.integer({ min: 0, max: 70 }));
const scalar = fc.oneof(fc.constantFrom(0, 1, -1, 0.5), fc.double({ min: -3, max: 3, noNaN: true }));

/** `n` deterministic values in [−1, 1) from a linear congruential generator seeded with `seed`. */
export function filled(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    const hi = (x >>> 8) / 16777216;
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    // 48 significant bits: with 24 (one draw) products and short sums would be exact, and any
    // order of additions would give the same bits
    out[i] = (hi + (x >>> 8) / 2 ** 48) * 2 - 1;
  }
  return out;
}

/**
 * a ≈ b within 1e-12·(1 + k)(1 + |b|), plus `extra[i]` where given (the float32
 * kernel's rounding bound).
 */
function close(a: Float64Array, b: Float64Array, k: number, extra?: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-12 * (1 + k) * (1 + Math.abs(b[i])) + (extra ? extra[i] : 0);
    if (!(Math.abs(a[i] - b[i]) <= tol)) {
      throw new Error(`index ${i}: ${a[i]} vs ${b[i]} (tolerance ${tol})`);
    }
  }
}

/** Options of {@link kernelProperties}. */
export interface KernelPropertyOptions {
  /**
   * The kernel's GEMM rounds operands to float32 and sums in float32: allow the
   * standard bound |ΔC_ij| ≤ 2·(k + 2)·2⁻²⁴·|α|·Σ_p |op(A)_ip|·|op(B)_pj|
   * (input rounding plus a k-term float32 sum, with a factor 2 to spare).
   */
  float32?: boolean;
}

/** Registers the kernel property tests for `kernel` in the current describe block. */
export function kernelProperties(kernel: Kernel, runs = 200, options: KernelPropertyOptions = {}): void {
  it(`${kernel.name}: gemm equals the naive product for all transposes, alpha, beta and strides`, () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), scalar, scalar, fc.integer({ min: 0, max: 3 }), fc.integer(), (m, n, k, ta, tb, alpha, beta, pad, seed) => {
        const aRows = ta ? k : m;
        const aCols = ta ? m : k;
        const bRows = tb ? n : k;
        const bCols = tb ? k : n;
        const lda = aCols + pad;
        const ldb = bCols + pad;
        const ldc = n + pad;
        const a = filled(aRows * lda, seed);
        const b = filled(bRows * ldb, seed + 1);
        const c0 = filled(m * ldc, seed + 2);
        const c1 = c0.slice();
        const c2 = c0.slice();
        kernel.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, ldc);
        naiveKernel.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c2, ldc);
        let bound: Float64Array | undefined;
        if (options.float32) {
          bound = new Float64Array(m * ldc);
          const abs = (x: Float64Array) => x.map(Math.abs);
          naiveKernel.gemm(ta, tb, m, n, k, 2 * (k + 2) * 2 ** -24 * Math.abs(alpha), abs(a), lda, abs(b), ldb, 0, bound, ldc);
        }
        close(c1, c2, k, bound);
      }),
      { numRuns: runs },
    );
  });

  it(`${kernel.name}: gemm with beta = 0 overwrites NaN in C`, () => {
    const c = new Float64Array(4).fill(Number.NaN);
    kernel.gemm(false, false, 2, 2, 1, 1, Float64Array.of(1, 2), 1, Float64Array.of(3, 4), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([3, 4, 6, 8]);
  });

  it(`${kernel.name}: gemm is bit-identical from run to run`, () => {
    const a = filled(300 * 257, 1);
    const b = filled(257 * 130, 2);
    const c1 = new Float64Array(300 * 130);
    const c2 = new Float64Array(300 * 130);
    kernel.gemm(false, false, 300, 130, 257, 1, a, 257, b, 130, 0, c1, 130);
    kernel.gemm(false, false, 300, 130, 257, 1, a, 257, b, 130, 0, c2, 130);
    expect(c1).toEqual(c2);
  });

  it(`${kernel.name}: gemv equals the naive product`, () => {
    fc.assert(
      fc.property(dim, dim, fc.boolean(), scalar, scalar, fc.integer(), (m, n, trans, alpha, beta, seed) => {
        const a = filled(m * n, seed);
        const x = filled(trans ? m : n, seed + 1);
        const y0 = filled(trans ? n : m, seed + 2);
        const y1 = y0.slice();
        const y2 = y0.slice();
        kernel.gemv(trans, m, n, alpha, a, n, x, beta, y1);
        naiveKernel.gemv(trans, m, n, alpha, a, n, x, beta, y2);
        close(y1, y2, trans ? m : n);
      }),
      { numRuns: runs },
    );
  });

  it(`${kernel.name}: ger equals the naive rank-1 update`, () => {
    fc.assert(
      fc.property(dim, dim, scalar, fc.integer(), (m, n, alpha, seed) => {
        const a1 = filled(m * n, seed);
        const a2 = a1.slice();
        const x = filled(m, seed + 1);
        const y = filled(n, seed + 2);
        kernel.ger(m, n, alpha, x, y, a1, n);
        naiveKernel.ger(m, n, alpha, x, y, a2, n);
        close(a1, a2, 1);
      }),
      { numRuns: runs },
    );
  });
}
