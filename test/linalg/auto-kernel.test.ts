/**
 * The automatic kernel and withThreads: the WebAssembly SIMD kernel is chosen
 * without any setKernel call, gives the TS kernel's bits in every routine, an
 * explicit setKernel wins and setKernel(undefined) restores the automatic
 * choice, and worker threads give the bits of one thread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmSparseA, getKernel, type Kernel, ready, setKernel, withThreads } from '../../src/linalg/kernel.js';
import { naiveKernel } from '../../src/linalg/naive.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { automaticThreads, runningPoolThreads } from '../../src/linalg/wasm/auto.js';
import { kernelProperties } from '../helpers/kernel-properties.js';

function filled(n: number, seed: number, ones?: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    const hi = (x >>> 8) / 16777216;
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    // 48 significant bits: with 24 (one draw) products and short sums would be exact, and any
    // order of additions would give the same bits
    const u = hi + (x >>> 8) / 2 ** 48;
    // `ones`: a 0/1 operand with that density (a few entries 2, to exercise non-unit values)
    out[i] = ones === undefined ? u * 2 - 1 : u < ones ? (i % 17 === 0 ? 2 : 1) : 0;
  }
  return out;
}

/** Index of the first entry whose bits differ, or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

interface Product {
  ta: boolean;
  tb: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  pad: number;
  seed: number;
  ones?: number;
}

/** Runs one GEMM (or gemmSparseA) with `kern` on fresh copies of the operands of `p`; returns C. */
function product(kern: Kernel, p: Product, sparse: boolean): Float64Array {
  const { ta, tb, m, n, k, pad, seed } = p;
  const lda = (ta ? m : k) + pad;
  const ldb = (tb ? k : n) + pad;
  const ldc = n + pad;
  const a = filled((ta ? k : m) * lda, seed, p.ones);
  const b = filled((tb ? n : k) * ldb, seed + 1);
  const c = filled(m * ldc, seed + 2);
  if (sparse) (kern.gemmSparseA ?? kern.gemm)(ta, tb, m, n, k, p.alpha, a, lda, b, ldb, p.beta, c, ldc);
  else kern.gemm(ta, tb, m, n, k, p.alpha, a, lda, b, ldb, p.beta, c, ldc);
  return c;
}

const dim = fc.oneof(fc.constantFrom(0, 1, 3, 16, 17), fc.integer({ min: 0, max: 90 }));
const scalar = fc.oneof(fc.constantFrom(0, 1, -1, 0.5), fc.double({ min: -3, max: 3, noNaN: true }));
const density = fc.constantFrom(0, 0.05, 0.12, 0.2, 0.35, 0.39, 0.41, 0.6, 1);
const productArb = fc.record({
  ta: fc.boolean(),
  tb: fc.boolean(),
  m: dim,
  n: dim,
  k: fc.oneof(dim, fc.integer({ min: 250, max: 600 })),
  alpha: scalar,
  beta: scalar,
  pad: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer(),
  ones: density,
});

describe('the automatic kernel', () => {
  // first in the file: no setKernel call has happened yet in this process
  it('is the WebAssembly SIMD kernel in Node without any setKernel call', async () => {
    expect(getKernel().name).toBe('wasm-simd-exact');
    await ready();
    expect(getKernel().name).toBe('wasm-simd-exact');
  });

  it('gives the TS kernel bit for bit: gemm, gemmSparseA, gemv and ger, every transpose, alpha, beta and stride', () => {
    const auto = getKernel();
    fc.assert(
      fc.property(productArb, fc.boolean(), (p, sparse) => {
        const i = firstDifference(product(auto, p, sparse), product(tsKernel, p, sparse));
        expect(i, JSON.stringify({ ...p, sparse })).toBe(-1);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.boolean(), scalar, scalar, fc.integer(), (m, n, trans, alpha, beta, seed) => {
        const a = filled(m * n, seed);
        const x = filled(trans ? m : n, seed + 1);
        const y1 = filled(trans ? n : m, seed + 2);
        const y2 = y1.slice();
        auto.gemv(trans, m, n, alpha, a, n, x, beta, y1);
        tsKernel.gemv(trans, m, n, alpha, a, n, x, beta, y2);
        expect(firstDifference(y1, y2)).toBe(-1);
        const a1 = a.slice();
        const xs = filled(m, seed + 3);
        const ys = filled(n, seed + 4);
        auto.ger(m, n, alpha, xs, ys, a, n);
        tsKernel.ger(m, n, alpha, xs, ys, a1, n);
        expect(firstDifference(a, a1)).toBe(-1);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the TS kernel bits for 0/1 products beyond the SIMD gather limits (k > 8192, n > 262144)', () => {
    const auto = getKernel();
    for (const p of [
      { ta: false, tb: false, m: 3, n: 5, k: 9000, alpha: 0.5, beta: 0, pad: 0, seed: 1, ones: 0.2 },
      { ta: true, tb: true, m: 3, n: 5, k: 9000, alpha: 1, beta: 1, pad: 1, seed: 2, ones: 0.35 },
      { ta: false, tb: false, m: 1, n: 262200, k: 2, alpha: 1, beta: 0, pad: 0, seed: 3, ones: 0.4 },
    ]) {
      expect(firstDifference(product(auto, p, true), product(tsKernel, p, true)), JSON.stringify(p)).toBe(-1);
    }
  });

  kernelProperties(getKernel(), 60);

  it('setKernel overrides it; setKernel(undefined) and setKernel(previous) restore it', () => {
    const auto = getKernel();
    const prev = setKernel(tsKernel);
    expect(prev).toBe(auto);
    expect(getKernel()).toBe(tsKernel);
    setKernel(undefined);
    expect(getKernel()).toBe(auto);
    setKernel(naiveKernel);
    expect(setKernel(prev)).toBe(naiveKernel);
    expect(getKernel()).toBe(auto);
    // restored as the automatic choice, not pinned: withThreads may replace it again
    expect(withThreads(2, () => getKernel().name)).toBe('wasm-simd-threads-exact');
  });

  it('an installed kernel wins over withThreads', () => {
    const prev = setKernel(naiveKernel);
    try {
      expect(withThreads(2, () => getKernel().name)).toBe('naive');
      expect(withThreads(undefined, () => getKernel().name)).toBe('naive');
    } finally {
      setKernel(prev);
    }
  });

  it('gemmSparseA follows the active kernel', () => {
    const calls: string[] = [];
    const spy: Kernel = { ...naiveKernel, name: 'spy', gemmSparseA: () => void calls.push('sparse') };
    const prev = setKernel(spy);
    try {
      gemmSparseA(false, false, 1, 1, 1, 1, Float64Array.of(1), 1, Float64Array.of(1), 1, 0, new Float64Array(1), 1);
    } finally {
      setKernel(prev);
    }
    expect(calls).toEqual(['sparse']);
  });
});

describe('withThreads', () => {
  it('refuses a thread count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 65]) {
      expect(() => withThreads(bad, () => 1), String(bad)).toThrow(RangeError);
      expect(() => withThreads(bad, () => 1)).toThrow(/threads must be a positive integer/);
    }
  });

  it('restores the kernel afterwards, also when the work throws', () => {
    const before = getKernel();
    expect(() =>
      withThreads(2, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(getKernel()).toBe(before);
    expect(withThreads(1, () => getKernel())).toBe(before);
    expect(withThreads(2, () => withThreads(1, () => getKernel()))).toBe(before);
  });

  it('withThreads(2, …) gives the bits of withThreads(1, …) and of the TS kernel, on a pool of 2 threads', () => {
    const cases: Product[] = [
      { ta: false, tb: false, m: 200, n: 300, k: 400, alpha: 1, beta: 0, pad: 0, seed: 11 },
      { ta: true, tb: false, m: 300, n: 120, k: 500, alpha: 0.7, beta: -1.3, pad: 2, seed: 12 },
      { ta: false, tb: true, m: 100, n: 500, k: 784, alpha: -1, beta: 1, pad: 1, seed: 13 },
      { ta: true, tb: true, m: 129, n: 67, k: 300, alpha: 0.25, beta: 0.5, pad: 3, seed: 14 },
    ];
    for (const sparse of [false, true]) {
      for (const base of cases) {
        for (const ones of sparse ? [0.1, 0.3, 0.5] : [undefined]) {
          const p = { ...base, ones };
          const one = withThreads(1, () => product(getKernel(), p, sparse));
          const two = withThreads(2, () => product(getKernel(), p, sparse));
          const ts = product(tsKernel, p, sparse);
          expect(firstDifference(two, one), JSON.stringify({ ...p, sparse })).toBe(-1);
          expect(firstDifference(one, ts), JSON.stringify({ ...p, sparse })).toBe(-1);
        }
      }
    }
    expect(runningPoolThreads(2)).toBe(2);
  });

  it('without a thread count, small work starts no pool; the rule uses at most 4 threads', () => {
    const n = automaticThreads();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(4);
    const p: Product = { ta: false, tb: false, m: 20, n: 30, k: 40, alpha: 1, beta: 0, pad: 0, seed: 5 };
    const c = withThreads(undefined, () => product(getKernel(), p, false));
    expect(firstDifference(c, product(tsKernel, p, false))).toBe(-1);
    if (n !== 2) expect(runningPoolThreads(n)).toBe(0);
  });
});
