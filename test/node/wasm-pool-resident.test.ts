import { afterAll, describe, expect, it } from 'vitest';
import { RBM, setKernel } from '../../src/index.js';
import { type Kernel, residentProducts } from '../../src/linalg/kernel.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { createWasmPool, type WasmPoolKernel } from '../../src/node/wasm-pool.js';
import { filled } from '../helpers/kernel-properties.js';

/** A 0/1 operand with about `p` ones (the helper's values, mapped to [0, 1), below `p`). */
const zeroOne = (n: number, seed: number, p: number): Float64Array => filled(n, seed).map((x) => ((x + 1) / 2 < p ? 1 : 0));

const differences = (a: Float64Array, b: Float64Array): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
};

/**
 * The products of one CD step (784 × 500, 100 rows): v·W, h·Wᵀ, v'·W with W constant, and the
 * weight statistic G = α·V₀ᵀP₀ (β = 0) then G += −α·VₖᵀPₖ (β = 1), as RBMTrainer runs them, plus
 * whatever `between` does after the first statistic.
 */
function cdProducts(k: WasmPoolKernel, w: Float64Array, g: Float64Array, between?: (k: WasmPoolKernel, outs: Float64Array[]) => void): Float64Array[] {
  const nV = 784, nH = 500, rows = 100;
  const v0 = zeroOne(rows * nV, 1, 0.13), hk = zeroOne(rows * nH, 2, 0.3), vk = zeroOne(rows * nV, 3, 0.15);
  const p0 = filled(rows * nH, 4).map(Math.abs), pk = filled(rows * nH, 5).map(Math.abs);
  const a1 = filled(rows * nH, 6), a2 = filled(rows * nV, 7), a3 = filled(rows * nH, 8);
  const gemmS = k.gemmSparseA!;
  gemmS(false, false, rows, nH, nV, 1, v0, nV, w, nH, 1, a1, nH);
  gemmS(true, false, nV, nH, rows, 0.01, v0, nV, p0, nH, 0, g, nH);
  const outs = [a1, a2, a3];
  between?.(k, outs);
  gemmS(false, true, rows, nV, nH, 1, hk, nH, w, nH, 1, a2, nV);
  gemmS(false, false, rows, nH, nV, 1, vk, nV, w, nH, 1, a3, nH);
  gemmS(true, false, nV, nH, rows, -0.01, vk, nV, pk, nH, 1, g, nH);
  // a second h·Wᵀ (CD-k): in a resident scope it reads the transpose the first one made, chunk by
  // chunk on two threads, so every chunk of it must have been written
  const a5 = filled(rows * nV, 10);
  gemmS(false, true, rows, nV, nH, 1, zeroOne(rows * nH, 12, 0.3), nH, w, nH, 1, a5, nV);
  // a dense product reading the constant as op(B) = Wᵀ once more, after the transpose was kept
  const a4 = filled(rows * nV, 9);
  k.gemm(false, true, rows, nV, nH, 0.5, p0, nH, w, nH, 1, a4, nV);
  return [...outs, a4, a5];
}

describe('resident scope of the worker pool (Kernel.resident)', async () => {
  const pools: WasmPoolKernel[] = [await createWasmPool({ threads: 2, minParallelWork: 0 }), await createWasmPool({ threads: 1 })];
  afterAll(async () => {
    setKernel(undefined);
    for (const p of pools) await p.close();
  });

  it('gives the bits of the plain calls: a constant W read as op(B) and op(B)ᵀ, an accumulated G, on 1 and 2 threads', () => {
    for (const pool of pools) {
      const w = filled(784 * 500, 11);
      const gPlain = new Float64Array(784 * 500).fill(Number.NaN); // β = 0 overwrites
      const plain = cdProducts(pool, w, gPlain);
      const gRes = new Float64Array(784 * 500).fill(Number.NaN);
      const wBefore = w.slice();
      const res = pool.resident!([w], [gRes], () => cdProducts(pool, w, gRes));
      expect(differences(gRes, gPlain), `G, ${pool.threads} threads`).toBe(0);
      for (let i = 0; i < res.length; i++) expect(differences(res[i], plain[i]), `output ${i}, ${pool.threads} threads`).toBe(0);
      expect(differences(w, wBefore)).toBe(0);
    }
  });

  it('copies an accumulator back before GEMV or GER reads or writes it inside the scope', () => {
    const pool = pools[0];
    const w = filled(784 * 500, 12);
    const x = filled(500, 13), y = filled(784, 14);
    const readMid = (k: WasmPoolKernel, g: Float64Array): Float64Array => {
      const out = new Float64Array(784);
      k.gemv(false, 784, 500, 1, g, 500, x, 0, out); // reads G between the two statistics
      k.ger(784, 500, 0.5, y, x, g, 500); // and writes it
      return out;
    };
    const gPlain = new Float64Array(784 * 500);
    let midPlain: Float64Array = new Float64Array(0);
    cdProducts(pool, w, gPlain, (k) => {
      midPlain = readMid(k, gPlain);
    });
    const gRes = new Float64Array(784 * 500);
    let midRes: Float64Array = new Float64Array(0);
    pool.resident!([w], [gRes], () =>
      cdProducts(pool, w, gRes, (k) => {
        midRes = readMid(k, gRes);
      }),
    );
    expect(differences(midRes, midPlain)).toBe(0);
    expect(differences(gRes, gPlain)).toBe(0);
  });

  it('reads a constant that GER changed inside the scope afresh (the strips it kept of W and Wᵀ are dropped)', () => {
    // 787 × 501: both op(B) = W and op(B) = Wᵀ end in a part-filled 8-column strip
    const nV = 787, nH = 501, rows = 64;
    const v = zeroOne(rows * nV, 31, 0.13), h = zeroOne(rows * nH, 32, 0.3);
    const x = filled(nH, 33), y = filled(nV, 34);
    const steps = (k: Kernel, w: Float64Array): Float64Array[] => {
      const outs: Float64Array[] = [];
      for (let round = 0; round < 2; round++) {
        const vw = new Float64Array(rows * nH), hw = new Float64Array(rows * nV);
        k.gemmSparseA!(false, false, rows, nH, nV, 1, v, nV, w, nH, 0, vw, nH);
        k.gemmSparseA!(false, true, rows, nV, nH, 1, h, nH, w, nH, 0, hw, nV);
        outs.push(vw, hw);
        k.ger(nV, nH, 0.25, y, x, w, nH);
      }
      return outs;
    };
    for (const pool of pools) {
      const wPlain = filled(nV * nH, 30), wRes = wPlain.slice();
      const plain = steps(pool, wPlain);
      const res = pool.resident!([wRes], [], () => steps(pool, wRes));
      for (let i = 0; i < plain.length; i++) expect(differences(res[i], plain[i]), `output ${i}, ${pool.threads} threads`).toBe(0);
      expect(differences(wRes, wPlain)).toBe(0);
      // and they are the TS kernel's
      const wTs = filled(nV * nH, 30);
      const ts = steps(tsKernel, wTs);
      for (let i = 0; i < ts.length; i++) expect(differences(res[i], ts[i]), `TS, output ${i}`).toBe(0);
    }
  });

  it('leaves the accumulator as the products left it when the work throws, and the pool usable', () => {
    const pool = pools[0];
    const w = filled(784 * 500, 15);
    const gPlain = new Float64Array(784 * 500);
    pool.gemmSparseA!(true, false, 784, 500, 100, 0.01, zeroOne(100 * 784, 16, 0.13), 784, filled(100 * 500, 17), 500, 0, gPlain, 500);
    const gRes = new Float64Array(784 * 500);
    expect(() =>
      pool.resident!([w], [gRes], () => {
        pool.gemmSparseA!(true, false, 784, 500, 100, 0.01, zeroOne(100 * 784, 16, 0.13), 784, filled(100 * 500, 17), 500, 0, gRes, 500);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(differences(gRes, gPlain)).toBe(0);
    // after the scope: plain products again (a changed W is read afresh)
    w[0] += 1;
    const a = new Float64Array(100 * 500), b = new Float64Array(100 * 500);
    const v = zeroOne(100 * 784, 18, 0.13);
    pool.gemmSparseA!(false, false, 100, 500, 784, 1, v, 784, w, 500, 0, a, 500);
    tsKernel.gemm(false, false, 100, 500, 784, 1, v, 784, w, 500, 0, b, 500);
    expect(differences(a, b)).toBe(0);
  });

  it('an RBM trains to the same bits with and without it (CD-1 and PCD-1 on two threads, and the TS kernel)', () => {
    const data = { rows: 300, cols: 784, data: zeroOne(300 * 784, 21, 0.13) };
    for (const method of ['cd', 'pcd'] as const) {
      const run = (kernel: 'ts' | 'pool', resident: boolean): RBM => {
        residentProducts.enabled = resident;
        setKernel(kernel === 'ts' ? tsKernel : pools[0]);
        try {
          const rbm = new RBM(784, 500, { rng: 0 });
          rbm.fit(data, { method, epochs: 1, learningRate: 0.1, momentum: 0.5, batchSize: 100, rng: 1 });
          return rbm;
        } finally {
          residentProducts.enabled = true;
          setKernel(undefined);
        }
      };
      const ts = run('ts', false), on = run('pool', true), off = run('pool', false);
      for (const r of [on, off]) {
        expect(differences(r.weights.data, ts.weights.data), method).toBe(0);
        expect(differences(r.hiddenBias, ts.hiddenBias), method).toBe(0);
        expect(differences(r.visibleBias, ts.visibleBias), method).toBe(0);
      }
    }
  });
});
