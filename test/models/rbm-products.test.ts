import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getKernel, setKernel } from '../../src/linalg/kernel.js';
import { naiveKernel } from '../../src/linalg/naive.js';
import { TS_SPARSE_MAX_DENSITY, tsKernel } from '../../src/linalg/ts-kernel.js';
import { accumulateOuter, addScaledRowSums, hiddenToVisible, visibleToHidden } from '../../src/models/rbm-products.js';
import { RBM } from '../../src/models/rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';

/** Deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    return (x >>> 8) / 16777216;
  };
}

function sameBits(got: Float64Array, want: Float64Array): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return false;
  return true;
}

/** Runs `f` with `kernel` installed (undefined: the automatic one). */
function withKernel<T>(kernel: typeof tsKernel | undefined, f: () => T): T {
  const prev = setKernel(kernel);
  try {
    return f();
  } finally {
    setKernel(prev);
  }
}

/** A 0/1 matrix of `rows × cols` with exactly `nnz` ones; the rows in `full` all ones, the rows in `empty` all zeros. */
function binary(rows: number, cols: number, nnz: number, r: () => number, full: number[] = [], empty: number[] = []): Float64Array {
  const x = new Float64Array(rows * cols);
  let left = nnz;
  for (const i of full) {
    x.fill(1, i * cols, (i + 1) * cols);
    left -= cols;
  }
  const free: number[] = [];
  for (let i = 0; i < rows; i++) if (!full.includes(i) && !empty.includes(i)) for (let j = 0; j < cols; j++) free.push(i * cols + j);
  for (let t = free.length - 1; t > 0; t--) {
    const s = Math.floor(r() * (t + 1));
    [free[t], free[s]] = [free[s], free[t]];
  }
  for (let t = 0; t < left && t < free.length; t++) x[free[t]] = 1;
  return x;
}

const shape = fc.record({
  rows: fc.integer({ min: 1, max: 30 }),
  nV: fc.integer({ min: 1, max: 300 }),
  nH: fc.integer({ min: 1, max: 300 }),
  seed: fc.integer(),
  frac: fc.integer({ min: 0, max: 100 }).map((x) => x / 100),
});

/** The three products of an RBM update, with the binary hint and without it, on the automatic kernel and on TS. */
function products(o: { rows: number; nV: number; nH: number; seed: number }, v: Float64Array, h: Float64Array, hint: boolean) {
  const r = lcg(o.seed ^ 0x5bd1e995);
  const w = new Float64Array(o.nV * o.nH).map(() => r() * 0.2 - 0.1);
  const wT = new Float64Array(o.nH * o.nV);
  for (let i = 0; i < o.nV; i++) for (let j = 0; j < o.nH; j++) wT[j * o.nV + i] = w[i * o.nH + j];
  const b = new Float64Array(o.nV).map(() => r() - 0.5);
  const c = new Float64Array(o.nH).map(() => r() - 0.5);
  const p = new Float64Array(o.rows * o.nH).map(() => r());
  const act = new Float64Array(o.rows * o.nH);
  visibleToHidden(act, v, o.rows, w, c, o.nV, o.nH, hint);
  const rec = new Float64Array(o.rows * o.nV);
  hiddenToVisible(rec, h, o.rows, w, b, o.nV, o.nH, hint);
  const recT = new Float64Array(o.rows * o.nV);
  hiddenToVisible(recT, h, o.rows, w, b, o.nV, o.nH, hint, wT);
  const g = new Float64Array(o.nV * o.nH).map(() => r() - 0.5);
  accumulateOuter(g, 1 / o.rows, v, p, o.rows, o.nV, o.nH, 1, hint);
  accumulateOuter(g, -1 / o.rows, v, h, o.rows, o.nV, o.nH, 1, hint);
  return { act, rec, recT, g, w, b, c, p };
}

describe('binary-aware RBM products (rbm-products.ts)', () => {
  it('v·W, h·Wᵀ (with and without Wᵀ) and vᵀp on 0/1 states: the automatic kernel gives the TS kernel’s bits at any density, the switch included', () => {
    fc.assert(
      fc.property(shape, (o) => {
        const r = lcg(o.seed);
        // densities up to, exactly at and just above the switch (0.4 of the entries)
        const at = Math.floor(TS_SPARSE_MAX_DENSITY * o.rows * o.nV);
        const atH = Math.floor(TS_SPARSE_MAX_DENSITY * o.rows * o.nH);
        for (const [nnz, nnzH] of [[Math.floor(o.frac * at), Math.floor(o.frac * atH)], [at, atH], [at + 1, atH + 1]]) {
          const v = binary(o.rows, o.nV, Math.min(nnz, o.rows * o.nV), r);
          const h = binary(o.rows, o.nH, Math.min(nnzH, o.rows * o.nH), r);
          const auto = withKernel(undefined, () => products(o, v, h, true));
          const ts = withKernel(tsKernel, () => products(o, v, h, true));
          for (const key of ['act', 'rec', 'recT', 'g'] as const) if (!sameBits(auto[key], ts[key])) throw new Error(`${key} differs at nnz ${nnz}`);
          // the transposed copy of W changes nothing: same sums in the same order
          if (!sameBits(auto.rec, auto.recT)) throw new Error('h·Wᵀ with Wᵀ differs');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('below the switch the products are the naive sums over the active units (bias first), bit for bit, empty and full rows included', () => {
    const o = { rows: 12, nV: 300, nH: 270, seed: 9 };
    const r = lcg(1);
    const v = binary(o.rows, o.nV, 1200, r, [3], [0, 7]); // one all-one row, two all-zero rows; 1200 ≤ 0.4 · 3600
    const h = binary(o.rows, o.nH, 1000, r, [5], [1, 2]);
    const got = withKernel(undefined, () => products(o, v, h, true));
    const act = new Float64Array(o.rows * o.nH);
    for (let i = 0; i < o.rows; i++) act.set(got.c, i * o.nH);
    naiveKernel.gemm(false, false, o.rows, o.nH, o.nV, 1, v, o.nV, got.w, o.nH, 1, act, o.nH);
    expect(sameBits(got.act, act)).toBe(true);
    const rec = new Float64Array(o.rows * o.nV);
    for (let i = 0; i < o.rows; i++) rec.set(got.b, i * o.nV);
    naiveKernel.gemm(false, true, o.rows, o.nV, o.nH, 1, h, o.nH, got.w, o.nH, 1, rec, o.nV);
    expect(sameBits(got.rec, rec)).toBe(true);
    // an all-zero row of v leaves the hidden activations at the bias exactly
    expect(sameBits(got.act.subarray(0, o.nH), got.c)).toBe(true);
  });

  it('the binary hint changes no bits where the dense kernel sums in the gathered order (one 256-deep slice, α = 1), at every density', () => {
    for (const dens of [0, 0.05, 0.13, 0.4, 0.41, 0.8, 1]) {
      const o = { rows: 40, nV: 200, nH: 150, seed: 4 };
      const r = lcg(2);
      const v = binary(o.rows, o.nV, Math.round(dens * o.rows * o.nV), r);
      const h = binary(o.rows, o.nH, Math.round(dens * o.rows * o.nH), r);
      const hinted = withKernel(undefined, () => products(o, v, h, true));
      const plain = withKernel(undefined, () => products(o, v, h, false));
      expect(sameBits(hinted.act, plain.act)).toBe(true);
      expect(sameBits(hinted.rec, plain.rec)).toBe(true);
    }
  });

  it('a CD-1 and a PCD-1 epoch on sparse binary data give the same parameters with the automatic kernel, the TS kernel and two threads', () => {
    const r = lcg(3);
    const rows = 200, nV = 300, nH = 120;
    const data = binary(rows, nV, Math.round(0.13 * rows * nV), r);
    for (const method of ['cd', 'pcd'] as const) {
      const train = (kernel: typeof tsKernel | undefined, threads?: number): Float64Array[] =>
        withKernel(kernel, () => {
          const rbm = new RBM(nV, nH, { rng: 5 });
          new RBMTrainer(rbm, { method, batchSize: 50, learningRate: 0.1, rng: 6 }).fit({ rows, cols: nV, data }, { epochs: 2, threads });
          return rbm.parameterArrays().map((a) => a.slice());
        });
      expect(getKernel().name).toBe('wasm-simd-exact');
      const auto = train(undefined), ts = train(tsKernel), two = train(undefined, 2);
      for (let i = 0; i < 3; i++) {
        expect(sameBits(auto[i], ts[i])).toBe(true);
        expect(sameBits(two[i], ts[i])).toBe(true);
      }
    }
  });
});

describe('addScaledRowSums', () => {
  it('gives the bits of adding α·x[r, j] row by row, for any number of rows (four at a time and the rest)', () => {
    for (const rows of [1, 3, 4, 5, 8, 11, 100]) {
      for (const n of [1, 7, 784]) {
        const r = lcg(rows * 1000 + n);
        // mixed magnitudes, zeros and signs, so that the order of the additions shows in the bits
        const x = Float64Array.from({ length: rows * n }, () => {
          const u = r();
          return u < 0.3 ? 0 : (u - 0.5) * 10 ** Math.floor(r() * 12 - 6);
        });
        const start = Float64Array.from({ length: n }, () => (r() - 0.5) * 1e3);
        for (const alpha of [1, 0.01, -1 / 3]) {
          const want = start.slice();
          for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) want[j] += alpha * x[i * n + j];
          const got = start.slice();
          addScaledRowSums(got, alpha, x, rows, n);
          expect(sameBits(got, want), `${rows} rows, n = ${n}, α = ${alpha}`).toBe(true);
          // and the sums really depend on the order: pairing the rows differently changes some bits
          if (rows === 100 && n === 784 && alpha === 0.01) {
            const paired = start.slice();
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let i = 0; i < rows; i++) s += alpha * x[i * n + j];
              paired[j] += s;
            }
            expect(sameBits(paired, want)).toBe(false);
          }
        }
      }
    }
  });
});
