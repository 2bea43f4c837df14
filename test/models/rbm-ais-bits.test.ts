/**
 * rbmAIS's numbers are fixed: the SIMD softplus sums (and any later speed-up of
 * the path) must give the log weights of the plain code bit for bit. Two
 * references: the plain path written out below (softplusSum per run, the TS
 * sigmoid, one draw at a time, the 0/1 products as naive sums in ascending p),
 * and hashes of the log weights that code gave.
 *
 * Since 2026-12-05 the path's products are the naive sums at every density
 * (gathered; before, the kernel's blocked dense product above 40% ones, whose
 * bits differ where k exceeds its 256-deep blocks): the hashes of the cases
 * with such products were recorded again then, from the plain path below.
 */
import { describe, expect, it } from 'vitest';
import { sigmoid, softplus, softplusSum } from '../../src/linalg/stable.js';
import { type AISPath, aisSchedule, annealedImportanceSampling, rbmAIS } from '../../src/models/rbm-ais.js';
import { RBM } from '../../src/models/rbm.js';
import { setKernel } from '../../src/linalg/kernel.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { Random } from '../../src/random/random.js';

function randomRBM(nV: number, nH: number, seed: number, std: number): RBM {
  const rbm = new RBM(nV, nH, { rng: seed, weightStd: std });
  const r = new Random(seed + 100);
  r.fillNormal(rbm.visibleBias, 0, 1);
  r.fillNormal(rbm.hiddenBias, 0, 1);
  return rbm;
}

/** FNV-1a over the 32-bit words of the doubles. */
function hashBits(x: Float64Array): string {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) {
    h ^= u[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

interface PlainState {
  v: Float64Array;
  act: Float64Array;
  valid: boolean;
}

/**
 * `out[r, j] = bias[j] + Σ_p a[r, p]·B[p, j]` for 0/1 rows `a` (`B` row-major `k × n`): the sum
 * over the non-zeros from zero in ascending p, then the bias added — the naive product's bits.
 */
function naiveProduct(out: Float64Array, a: Float64Array, rows: number, B: Float64Array, bias: Float64Array, k: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) if (a[r * k + p] !== 0) s += a[r * k + p] * B[p * n + j];
      out[r * n + j] = s + bias[j];
    }
  }
}

/** The RBM path as the plain code computes it: softplusSum per run, TS sigmoid, draws one by one, naive products. */
function plainPath(model: RBM, bA: Float64Array): AISPath<PlainState> {
  const nV = model.nVisible, nH = model.nHidden;
  const W = model.weights.data, b = model.visibleBias, c = model.hiddenBias;
  let logZBase = nH * Math.LN2;
  for (let i = 0; i < nV; i++) logZBase += softplus(bA[i]);
  const pA = bA.map(sigmoid);
  const zero = new Float64Array(nV);
  const Wt = new Float64Array(nV * nH);
  for (let i = 0; i < nV; i++) for (let j = 0; j < nH; j++) Wt[j * nV + i] = W[i * nH + j];
  const ensure = (s: PlainState, rows: number): void => {
    if (!s.valid) naiveProduct(s.act, s.v, rows, W, c, nV, nH);
    s.valid = true;
  };
  return {
    logZBase,
    sampleBase(runs, rng) {
      const v = new Float64Array(runs * nV);
      for (let r = 0; r < runs; r++) for (let i = 0; i < nV; i++) v[r * nV + i] = rng.float64() < pA[i] ? 1 : 0;
      return { v, act: new Float64Array(runs * nH), valid: false };
    },
    logUnnormalised(beta, s, out) {
      const rows = out.length;
      ensure(s, rows);
      for (let r = 0; r < rows; r++) {
        let x = 0;
        for (let i = 0; i < nV; i++) if (s.v[r * nV + i] !== 0) x += (1 - beta) * bA[i] + beta * b[i];
        out[r] = x + softplusSum(s.act, r * nH, nH, beta);
      }
    },
    transition(beta, s, rng) {
      const rows = s.v.length / nV;
      ensure(s, rows);
      const h = new Float64Array(rows * nH);
      for (let i = 0; i < h.length; i++) h[i] = rng.float64() < sigmoid(beta * s.act[i]) ? 1 : 0;
      const mix = new Float64Array(rows * nV);
      naiveProduct(mix, h, rows, Wt, zero, nH, nV);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < nV; i++) {
          const o = r * nV + i;
          s.v[o] = rng.float64() < sigmoid(beta * mix[o] + (1 - beta) * bA[i] + beta * b[i]) ? 1 : 0;
        }
      }
      s.valid = false;
    },
  };
}

// [nVisible, nHidden, model seed, weight std, runs, AIS seed, hash of the log weights before the speed-ups]
const CASES: [number, number, number, number, number, number, string][] = [
  [200, 300, 1, 0.05, 100, 2, '6bce92ff'],
  [120, 1100, 3, 0.1, 21, 4, '61fde1f5'], // hidden sums over three 512-term blocks
  [64, 1024, 5, 0.2, 9, 6, '5f41e9bc'], // two full blocks and an empty one
  [50, 37, 7, 40, 33, 8, '2fe8cb37'],
  [10, 7, 9, 1, 5, 10, '16986d0b'], // below the SIMD sizes: all in TS
  [300, 200, 11, 1.5, 40, 12, '46b78e23'], // 'c1756dfd' before 2026-12-05 (v·W, k = 300, was dense)
  [80, 130, 13, 300, 33, 14, '44413fe0'], // |β·act| ≥ 700: the TS fallback rows
];

// Sparse states (the gathered products; the cases above are ~50% dense, so their products are dense):
// [nVisible, nHidden, model seed, weight std, runs, AIS seed, visible bias mean, hidden bias mean, hash before the speed-ups]
const SPARSE: [number, number, number, number, number, number, number, number, string][] = [
  [200, 300, 31, 0.1, 100, 32, -2, -3, '65771a74'],
  [150, 520, 33, 0.2, 40, 34, -2.5, -2, '1e900d91'],
  [300, 100, 35, 0.05, 64, 36, -1.5, -4, '0e52d02d'],
  [64, 90, 37, 1, 17, 38, -3, -1, 'f14574fb'], // gathered and dense products mixed
];

function sparseCase(nV: number, nH: number, ms: number, std: number, bm: number, hs: number): { rbm: RBM; base: Float64Array } {
  const rbm = new RBM(nV, nH, { rng: ms, weightStd: std });
  const r = new Random(ms + 100);
  r.fillNormal(rbm.visibleBias, bm, 1);
  r.fillNormal(rbm.hiddenBias, hs, 1);
  const base = new Float64Array(nV);
  r.fillNormal(base, bm, 0.5);
  return { rbm, base };
}

describe('rbmAIS keeps its bits', () => {
  it('equals the plain path and the recorded log weights with sparse states (gathered products, weights resident)', () => {
    const betas = aisSchedule(4, 8, 12);
    for (const [nV, nH, ms, std, runs, rs, bm, hs, hash] of SPARSE) {
      const { rbm, base } = sparseCase(nV, nH, ms, std, bm, hs);
      const got = rbmAIS(rbm, { betas, runs, rng: rs, base });
      const want = annealedImportanceSampling(plainPath(rbm, base), { betas, runs, rng: rs });
      expect(Array.from(got.logWeights), `${nV}×${nH}`).toEqual(Array.from(want.logWeights));
      expect(hashBits(got.logWeights), `${nV}×${nH}`).toBe(hash);
    }
    // on two threads and on the TS kernel (which the resident products leave to the kernel)
    const [nV, nH, ms, std, runs, rs, bm, hs, hash] = SPARSE[0];
    const { rbm, base } = sparseCase(nV, nH, ms, std, bm, hs);
    expect(hashBits(rbmAIS(rbm, { betas, runs, rng: rs, base, threads: 2 }).logWeights)).toBe(hash);
    const prev = setKernel(tsKernel);
    try {
      expect(hashBits(rbmAIS(rbm, { betas, runs, rng: rs, base }).logWeights)).toBe(hash);
    } finally {
      setKernel(prev);
    }
  });

  it('equals the plain path and the recorded log weights on several models, sizes and seeds', () => {
    const betas = aisSchedule(4, 8, 12);
    for (const [nV, nH, ms, std, runs, rs, hash] of CASES) {
      const rbm = randomRBM(nV, nH, ms, std);
      const got = rbmAIS(rbm, { betas, runs, rng: rs });
      const want = annealedImportanceSampling(plainPath(rbm, new Float64Array(nV)), { betas, runs, rng: rs });
      expect(Array.from(got.logWeights), `${nV}×${nH}`).toEqual(Array.from(want.logWeights));
      expect(got.logZ).toBe(want.logZ);
      expect(hashBits(got.logWeights), `${nV}×${nH}`).toBe(hash);
    }
    // dense states, k > 256: the same bits on two threads and on the TS kernel (whose dense product would sum otherwise)
    const [nV, nH, ms, std, runs, rs, hash] = CASES[5];
    const rbm = randomRBM(nV, nH, ms, std);
    expect(hashBits(rbmAIS(rbm, { betas, runs, rng: rs, threads: 2 }).logWeights)).toBe(hash);
    const prev = setKernel(tsKernel);
    try {
      expect(hashBits(rbmAIS(rbm, { betas, runs, rng: rs }).logWeights)).toBe(hash);
    } finally {
      setKernel(prev);
    }
  });

  it('equals the plain path with a data base-rate model and on one and two threads', () => {
    const rbm = randomRBM(150, 260, 21, 0.3);
    const r = new Random(22);
    const bA = new Float64Array(150);
    r.fillNormal(bA, 0, 2);
    const betas = aisSchedule(5, 10, 10);
    const want = annealedImportanceSampling(plainPath(rbm, bA), { betas, runs: 101, rng: 23 }).logWeights;
    for (const threads of [1, 2]) {
      const got = rbmAIS(rbm, { betas, runs: 101, rng: 23, base: bA, threads }).logWeights;
      expect(Array.from(got), `threads ${threads}`).toEqual(Array.from(want));
    }
  });
});
