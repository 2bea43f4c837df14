import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/linalg/blas.js';
import { gemmSparseA, getKernel, type Kernel, setKernel } from '../../src/linalg/kernel.js';
import { matrix, zeros } from '../../src/linalg/matrix.js';
import { naiveKernel } from '../../src/linalg/naive.js';
import { sparseGemm } from '../../src/linalg/sparse.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { createWasmKernel, makeWasmKernel } from '../../src/linalg/wasm/wasm-kernel.js';

/** Deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    return (x >>> 8) / 16777216;
  };
}

const dim = fc.oneof(fc.constantFrom(0, 1, 2, 3, 5), fc.integer({ min: 0, max: 60 }));
const scalar = fc.oneof(fc.constantFrom(0, 1, -1, 0.5), fc.double({ min: -3, max: 3, noNaN: true }));
const density = fc.constantFrom(0, 0.02, 0.13, 0.3, 0.6, 1);

interface Problem {
  ta: boolean;
  tb: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  a: Float64Array;
  lda: number;
  b: Float64Array;
  ldb: number;
  c: Float64Array;
  ldc: number;
}

function problem(m: number, n: number, k: number, ta: boolean, tb: boolean, alpha: number, beta: number, pad: number, seed: number, dens: number, binary: boolean): Problem {
  const r = lcg(seed);
  const lda = (ta ? m : k) + pad;
  const ldb = (tb ? k : n) + pad;
  const ldc = n + pad;
  const a = new Float64Array((ta ? k : m) * lda).map(() => (r() < dens ? (binary ? 1 : r() * 4 - 2) : 0));
  const b = new Float64Array((tb ? n : k) * ldb).map(() => r() * 2 - 1);
  const c = new Float64Array(m * ldc).map(() => r() * 2 - 1);
  return { ta, tb, m, n, k, alpha, beta, a, lda, b, ldb, c, ldc };
}

function run(p: Problem, f: (...args: Parameters<Kernel['gemm']>) => void): Float64Array {
  const c = p.c.slice();
  f(p.ta, p.tb, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc);
  return c;
}

const args = fc.tuple(dim, dim, dim, fc.boolean(), fc.boolean(), scalar, scalar, fc.integer({ min: 0, max: 2 }), fc.integer(), density);

describe('binary-aware (gathered-row) products', () => {
  it('with a 0/1 op(A), the gathered-row path equals the naive triple loop bit for bit', () => {
    fc.assert(
      fc.property(args, ([m, n, k, ta, tb, alpha, beta, pad, seed, dens]) => {
        const p = problem(m, n, k, ta, tb, alpha, beta, pad, seed, dens, true);
        // maxDensity 1: always the gathered path, never the dense fallback
        const got = run(p, (...x) => sparseGemm(tsKernel, 1, ...x));
        const want = run(p, naiveKernel.gemm);
        for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`index ${i}: ${got[i]} vs ${want[i]}`);
      }),
      { numRuns: 300 },
    );
  });

  it('with a 0/1 op(A), the WebAssembly gathered-row path also equals the naive triple loop bit for bit', () => {
    const forced = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 3 }); // ≥ 1: always the gathered path
    fc.assert(
      fc.property(args, ([m, n, k, ta, tb, alpha, beta, pad, seed, dens]) => {
        const p = problem(m, n, k, ta, tb, alpha, beta, pad, seed, dens, true);
        const got = run(p, forced.gemmSparseA!);
        const want = run(p, naiveKernel.gemm);
        for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`index ${i}: ${got[i]} vs ${want[i]}`);
      }),
      { numRuns: 300 },
    );
  });

  for (const kernel of [tsKernel, createWasmKernel()]) {
    it(`${kernel.name}: gemmSparseA equals the dense product within rounding at every density, 0/1 or real-valued`, () => {
      fc.assert(
        fc.property(args, fc.boolean(), ([m, n, k, ta, tb, alpha, beta, pad, seed, dens], binary) => {
          const p = problem(m, n, k, ta, tb, alpha, beta, pad, seed, dens, binary);
          const got = run(p, kernel.gemmSparseA!);
          const want = run(p, naiveKernel.gemm);
          for (let i = 0; i < got.length; i++) {
            // both sum k products of magnitude ≤ 2 in different groupings
            const tol = 1e-13 * (1 + k) * (1 + Math.abs(want[i]));
            if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`index ${i}: ${got[i]} vs ${want[i]}`);
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  it('the checked gemm passes the sparseA hint through: same values as the naive product for a 0/1 a', () => {
    const a = matrix(30, 40, new Float64Array(1200).map((_, i) => (i * 7919) % 11 === 0 ? 1 : 0));
    const b = matrix(40, 20, new Float64Array(800).map((_, i) => Math.sin(i)));
    const got = gemm(zeros(30, 20), a, b, { sparseA: true, alpha: 0.5 });
    const want = new Float64Array(600);
    naiveKernel.gemm(false, false, 30, 20, 40, 0.5, a.data, 40, b.data, 20, 0, want, 20);
    expect(got.data).toEqual(want);
    expect(() => gemm(zeros(30, 21), a, b, { sparseA: true })).toThrow(/out must have shape/);
  });

  it('NaN and infinity in op(A) propagate as in the dense product (they are non-zeros)', () => {
    const a = Float64Array.of(0, Number.NaN, 0, Number.POSITIVE_INFINITY);
    const b = Float64Array.of(1, 2, 3, 4);
    const c = new Float64Array(4);
    sparseGemm(tsKernel, 1, false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    expect(Number.isNaN(c[0]) && Number.isNaN(c[1])).toBe(true);
    expect([c[2], c[3]]).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  it('gemmSparseA dispatches to the active kernel, with a generic path for kernels without the method', () => {
    const calls: string[] = [];
    const plain: Kernel = {
      name: 'plain',
      gemm: (...x) => {
        calls.push('dense');
        naiveKernel.gemm(...x);
      },
      gemv: naiveKernel.gemv,
      ger: naiveKernel.ger,
    };
    const prev = getKernel();
    try {
      setKernel(plain);
      const dense = problem(8, 8, 8, false, false, 1, 0, 0, 3, 1, true); // all ones: above the 30% threshold
      gemmSparseA(dense.ta, dense.tb, 8, 8, 8, 1, dense.a, 8, dense.b, 8, 0, dense.c.slice(), 8);
      const sparse = problem(8, 8, 8, false, false, 1, 0, 0, 3, 0.05, true);
      const c = sparse.c.slice();
      gemmSparseA(false, false, 8, 8, 8, 1, sparse.a, 8, sparse.b, 8, 0, c, 8);
      expect(calls).toEqual(['dense']); // the sparse one never reached the dense kernel
      expect(c).toEqual(run(sparse, naiveKernel.gemm));
    } finally {
      setKernel(prev);
    }
  });
});
