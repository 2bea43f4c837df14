import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmSparseA, getKernel, type Kernel, withThreads } from '../../src/linalg/kernel.js';
import { naiveKernel } from '../../src/linalg/naive.js';
import { exactSparseMaxDensity, TS_SPARSE_MAX_DENSITY, tsKernel, withExactGatherDensity } from '../../src/linalg/ts-kernel.js';
import { sharedKernel } from '../../src/linalg/wasm/simd-kernel.js';
import { instantiateGather } from '../../src/linalg/wasm/gather.js';
import { createWasmKernel, makeWasmKernel } from '../../src/linalg/wasm/wasm-kernel.js';

/** Deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    return (x >>> 8) / 16777216;
  };
}

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

/**
 * A GEMM whose op(A) is 0/1 with exactly `nnz` ones (placed at random), rows
 * `zeroRows` all zero and rows `oneRows` all one (those count towards `nnz`).
 */
function problem(
  o: { m: number; n: number; k: number; ta: boolean; tb: boolean; alpha: number; beta: number; pad: number; seed: number },
  nnz: number,
  zeroRows: number[] = [],
  oneRows: number[] = [],
): Problem {
  const { m, n, k, ta, tb, pad } = o;
  const r = lcg(o.seed);
  const lda = (ta ? m : k) + pad;
  const ldb = (tb ? k : n) + pad;
  const ldc = n + pad;
  const opA = new Uint8Array(m * k);
  let left = nnz;
  for (const i of oneRows) {
    for (let p = 0; p < k; p++) {
      if (opA[i * k + p] === 0 && left > 0) {
        opA[i * k + p] = 1;
        left--;
      }
    }
  }
  const free: number[] = [];
  for (let i = 0; i < m; i++) if (!zeroRows.includes(i) && !oneRows.includes(i)) for (let p = 0; p < k; p++) free.push(i * k + p);
  for (let t = free.length - 1; t > 0; t--) {
    const s = Math.floor(r() * (t + 1));
    [free[t], free[s]] = [free[s], free[t]];
  }
  for (let t = 0; t < left && t < free.length; t++) opA[free[t]] = 1;
  const a = new Float64Array((ta ? k : m) * lda);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) a[ta ? p * lda + i : i * lda + p] = opA[i * k + p];
  // 48 significant bits (two draws): with one draw's 24 the sums would be exact in any order
  const b = new Float64Array((tb ? n : k) * ldb).map(() => (r() + r() * 2 ** -24) * 2 - 1);
  const c = new Float64Array(m * ldc).map(() => (r() + r() * 2 ** -24) * 2 - 1);
  return { ta, tb, m, n, k, alpha: o.alpha, beta: o.beta, a, lda, b, ldb, c, ldc };
}

function run(p: Problem, f: Kernel['gemm']): Float64Array {
  const c = p.c.slice();
  f(p.ta, p.tb, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc);
  return c;
}

function sameBits(got: Float64Array, want: Float64Array): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return false;
  return true;
}

const exact = sharedKernel(true);
const shape = fc.record({
  m: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 600 }),
  ta: fc.boolean(),
  tb: fc.boolean(),
  alpha: fc.constantFrom(1, -1, 0.01, 0.5, -0.37),
  beta: fc.constantFrom(0, 1, 0.7),
  pad: fc.integer({ min: 0, max: 2 }),
  seed: fc.integer(),
});

describe('gathered-row products (the automatic kernel’s binary-aware path)', () => {
  it('the committed gather-bytes.ts matches the WAT source (node scripts/build-gather-wasm.mjs)', () => {
    execFileSync(process.execPath, ['scripts/build-gather-wasm.mjs', '--check'], { stdio: 'pipe' });
  });

  it('below and at the switch density the exact kernel gathers: the naive product’s bits; one non-zero more: the dense product’s bits', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 100 }), (o, percent) => {
        const frac = percent / 100;
        const limit = Math.floor(TS_SPARSE_MAX_DENSITY * o.m * o.k);
        // a density anywhere up to the threshold, exactly at it, or just above it
        for (const nnz of [Math.floor(frac * limit), limit, limit + 1]) {
          if (nnz > o.m * o.k) continue;
          const p = problem(o, nnz);
          const got = run(p, exact.gemmSparseA!);
          // the TS kernel makes the same choice, so the bits agree on both sides of the switch
          if (!sameBits(got, run(p, tsKernel.gemmSparseA!))) throw new Error(`exact ≠ ts at nnz ${nnz}`);
          const want = nnz <= limit || o.m * o.n * o.k < 4096 ? run(p, naiveKernel.gemm) : run(p, tsKernel.gemm);
          if (o.m * o.n * o.k >= 4096 && !sameBits(got, want)) throw new Error(`nnz ${nnz} (limit ${limit}): wrong path or wrong sum`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gathered == dense bit for bit on 0/1 inputs where the dense kernel sums in the same order (k ≤ 256, α = 1)', () => {
    // the blocked dense kernels add each 256-deep slice of k into C and fold α into op(A): with one slice
    // and α = 1 both compute s + β·c, so the path the density picks cannot change a bit
    fc.assert(
      fc.property(shape, fc.constantFrom(0, 0.02, 0.13, 0.4, 0.7, 1), (o0, dens) => {
        const o = { ...o0, k: 1 + (o0.k % 256), alpha: 1 };
        const p = problem(o, Math.round(dens * o.m * o.k));
        const dense = run(p, tsKernel.gemm);
        const forced = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 1 });
        return sameBits(run(p, forced.gemmSparseA!), dense) && sameBits(run(p, exact.gemmSparseA!), dense) && sameBits(run(p, exact.gemm), dense);
      }),
      { numRuns: 200 },
    );
  });

  it('all-zero rows, all-one rows and an all-zero or all-one op(A) give the naive product’s bits', () => {
    const forced = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 1 });
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const beta of [0, 1, 0.5]) {
        const o = { m: 13, n: 21, k: 300, ta, tb, alpha: 0.01, beta, pad: 1, seed: 5 };
        const cases = [
          problem(o, 300 * 3, [0, 5, 12], [1, 7, 8]), // three empty rows, three full rows, nothing else
          problem(o, 0), // all zeros: C = α·0 + β·C
          problem(o, 13 * 300), // all ones
          problem(o, 500, [2, 3], [4]),
        ];
        for (const p of cases) {
          const want = run(p, naiveKernel.gemm);
          expect(sameBits(run(p, forced.gemmSparseA!), want)).toBe(true);
          expect(sameBits(run(p, tsKernel.gemmSparseA!), run(p, exact.gemmSparseA!))).toBe(true);
        }
      }
    }
  });

  it('values other than 0/1 are multiplied in the naive order too (the general path), NaN counts as a non-zero', () => {
    const forced = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 1 });
    const o = { m: 9, n: 19, k: 70, ta: false, tb: true, alpha: 1, beta: 0, pad: 0, seed: 11 };
    const p = problem(o, 200);
    for (let i = 0; i < p.a.length; i += 7) if (p.a[i] !== 0) p.a[i] = -2.5;
    expect(sameBits(run(p, forced.gemmSparseA!), run(p, naiveKernel.gemm))).toBe(true);
    p.a[3] = Number.NaN;
    const c = run(p, forced.gemmSparseA!);
    expect(c.slice(0, 19).every(Number.isNaN)).toBe(true);
    expect(c.slice(19).some(Number.isNaN)).toBe(false);
  });

  it('withThreads(2): gathered rows on the calling thread, dense products on the pool, the one-thread bits on both sides of the switch', () => {
    for (const [ta, tb, m, n, k] of [
      [false, false, 60, 300, 500],
      [true, false, 500, 300, 60],
      [false, true, 60, 500, 300],
    ] as const) {
      const limit = Math.floor(TS_SPARSE_MAX_DENSITY * m * k);
      for (const nnz of [Math.floor(0.13 * m * k), limit, limit + 1, m * k]) {
        const p = problem({ m, n, k, ta, tb, alpha: 0.01, beta: 1, pad: 1, seed: nnz }, nnz);
        const one = withThreads(1, () => run(p, gemmSparseA));
        const two = withThreads(2, () => {
          expect(getKernel().name).toBe('wasm-simd-threads-exact');
          return run(p, gemmSparseA);
        });
        expect(sameBits(two, one)).toBe(true);
        expect(sameBits(one, run(p, nnz <= limit ? naiveKernel.gemm : tsKernel.gemm))).toBe(true);
      }
    }
  });

  it('withExactGatherDensity(1): every exact kernel (TS, one thread, the pool) gathers at any density — the naive product’s bits — and the limit comes back after', () => {
    for (const [ta, tb, m, n, k] of [
      [false, false, 60, 300, 500],
      [true, false, 500, 300, 60],
      [false, true, 60, 500, 300],
    ] as const) {
      for (const nnz of [TS_SPARSE_MAX_DENSITY * m * k + 1, Math.floor(0.7 * m * k), m * k]) {
        const p = problem({ m, n, k, ta, tb, alpha: 0.01, beta: 1, pad: 1, seed: nnz }, nnz);
        const want = run(p, naiveKernel.gemm);
        // without the scope these are dense products (k > 256: not the naive bits)
        expect(sameBits(run(p, tsKernel.gemmSparseA!), want)).toBe(false);
        const got = withExactGatherDensity(1, () => {
          expect(exactSparseMaxDensity()).toBe(1);
          return [
            run(p, tsKernel.gemmSparseA!),
            run(p, exact.gemmSparseA!),
            withThreads(1, () => run(p, gemmSparseA)),
            withThreads(2, () => run(p, gemmSparseA)),
          ];
        });
        for (const [i, c] of got.entries()) expect(sameBits(c, want), `kernel ${i}, nnz ${nnz}`).toBe(true);
        expect(exactSparseMaxDensity()).toBe(TS_SPARSE_MAX_DENSITY);
      }
    }
  });

  it('the fast flavour gathers on the RBM shapes at binarized-MNIST density: the naive product’s bits', () => {
    const fast = createWasmKernel();
    for (const [ta, tb, m, n, k, nnz] of [
      [false, false, 20, 500, 784, 2000],
      [true, false, 784, 500, 20, 2000],
      [false, true, 20, 784, 500, 3000],
    ] as const) {
      const p = problem({ m, n, k, ta, tb, alpha: 1, beta: 1, pad: 0, seed: 3 }, nnz);
      const got = run(p, fast.gemmSparseA!);
      expect(sameBits(got, run(p, naiveKernel.gemm))).toBe(true);
    }
  });
});

describe('csr: the gathered non-zeros of op(A)', () => {
  /** The compressed rows the scalar definition gives: per row of op(A), its non-zeros (x ≠ 0: NaN included, ±0 not) in ascending p. */
  function reference(ta: boolean, m: number, k: number, a: Float64Array, lda: number, limit: number, brow: number) {
    const rowStart = [0], offs: number[] = [], vals: number[] = [];
    let ones = true;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const x = a[ta ? p * lda + i : i * lda + p] as number;
        if (x !== 0) {
          offs.push(p * brow);
          vals.push(x);
          if (x !== 1) ones = false;
        }
      }
      rowStart.push(offs.length);
    }
    return offs.length > limit ? { nnz: -1 } : { nnz: offs.length, rowStart, offs, vals, ones };
  }

  it('gives the scalar definition’s rows, offsets, values, all-ones flag and limit, both layouts (8-wide masks, tails, strides, NaN, −0)', () => {
    const mem = new WebAssembly.Memory({ initial: 64, maximum: 32768 });
    const g = instantiateGather(mem);
    if (g === undefined) return expect.soft(g, 'the gather module does not compile here').toBeDefined();
    const r = lcg(11);
    let cases = 0, refused = 0, notOnes = 0;
    for (const [m, k] of [[1, 1], [1, 7], [1, 8], [3, 17], [8, 8], [9, 5], [13, 200], [61, 37], [100, 784], [784, 100], [100, 500]]) {
      for (const ta of [false, true]) {
        for (const density of [0.02, 0.13, 0.5, 1]) {
          for (const special of [false, true]) {
            const lda = (ta ? m : k) + (cases % 3);
            const a = new Float64Array((ta ? k : m) * lda).fill(Number.POSITIVE_INFINITY); // the padding is never read
            for (let i = 0; i < (ta ? k : m); i++) {
              for (let j = 0; j < (ta ? m : k); j++) {
                const u = r();
                a[i * lda + j] = u < density ? (special && r() < 0.3 ? ([Number.NaN, 0.5, -2, 3e-300][Math.floor(r() * 4)] as number) : 1) : special && r() < 0.2 ? -0 : 0;
              }
            }
            const limit = cases % 4 === 0 ? Math.floor(0.3 * m * k) : m * k;
            const brow = 8 * (ta ? 3 : 5);
            const want = reference(ta, m, k, a, lda, limit, brow);
            const up8 = (x: number) => (x + 71) & ~7; // 64 bytes of room, 8-aligned
            const pa = 1024, rowStart = up8(pa + a.length * 8), offs = up8(rowStart + (m + 1) * 4), vals = up8(offs + m * k * 4);
            if (vals + m * k * 8 > mem.buffer.byteLength) mem.grow(Math.ceil((vals + m * k * 8 - mem.buffer.byteLength) / 65536));
            new Float64Array(mem.buffer).set(a, pa / 8);
            const nnz: number = g.csr(ta ? 1 : 0, m, k, pa, lda, limit, brow, rowStart, offs, vals);
            const what = `${m}×${k} ta=${ta} density ${density} special ${special} limit ${limit}`;
            expect(nnz, what).toBe(want.nnz);
            cases++;
            if (want.nnz < 0) {
              refused++;
              continue;
            }
            expect([...new Int32Array(mem.buffer, rowStart, m + 1)], what).toEqual(want.rowStart);
            expect([...new Int32Array(mem.buffer, offs, nnz)], what).toEqual(want.offs);
            const got: Float64Array = new Float64Array(mem.buffer, vals, nnz);
            for (let t = 0; t < nnz; t++) if (!Object.is(got[t], want.vals?.[t])) expect.fail(`${what}: vals[${t}] ${got[t]} ≠ ${want.vals?.[t]}`);
            expect(g.allOnes() === 1, what).toBe(want.ones);
            if (!want.ones) notOnes++;
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(10);
    expect(notOnes).toBeGreaterThan(10);
    expect(cases).toBe(11 * 2 * 4 * 2);
  });
});
