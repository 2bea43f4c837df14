/**
 * The float32 option of the WebAssembly kernel (issue #8: "welcome only if the
 * precision tests — AIS against exact log Z, gradients against exact — still
 * pass with it"). The same kernel properties within the float32 rounding
 * bound, and those precision tests rerun with the float32 kernel installed
 * (the exact answers computed with the default float64 kernel).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  aisSchedule,
  RBMTrainer,
  fromArrays,
  Random,
  RBM,
  rbmAIS,
  rbmExactGradient,
  rbmExactLogPartition,
  setKernel,
} from '../../../src/index.js';
import { createWasmKernel, initWasm } from '../../../src/base.js';
import { naiveKernel } from '../../../src/linalg/naive.js';
import { makeWasmKernel } from '../../../src/linalg/wasm/wasm-kernel.js';
import { kernelProperties } from '../../helpers/kernel-properties.js';
import { rbmWith } from '../../helpers/rbm-brute.js';

const f32 = createWasmKernel({ precision: 'float32' });

describe('WebAssembly kernel, float32', () => {
  afterEach(() => setKernel(undefined));

  it('is a separate kernel, never the default', async () => {
    expect(f32.name).toBe('wasm-simd-f32');
    expect(createWasmKernel().name).toBe('wasm-simd');
    expect((await initWasm({ precision: 'float32' })).name).toBe('wasm-simd-f32');
    expect(() => createWasmKernel({ precision: 'float16' as 'float32' })).toThrow(/precision must be 'float64' or 'float32'/);
  });

  // every size through the float32 GEMM (no TS shortcut for tiny products)
  kernelProperties({ ...makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 0.2 }, 'float32'), name: 'wasm-simd-f32 (all sizes)' }, 200, { float32: true });

  it('products wider than one 1024-column block and deeper than one 256 slice, every transpose', () => {
    const m = 5, n = 1100, k = 300;
    const r = new Random(9);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = r.fillUniform(new Float64Array(m * k)).map((x) => x - 0.5);
        const b = r.fillUniform(new Float64Array(k * n)).map((x) => x - 0.5);
        const c = new Float64Array(m * n);
        const ref = new Float64Array(m * n);
        const bound = new Float64Array(m * n);
        f32.gemm(ta, tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, c, n);
        naiveKernel.gemm(ta, tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, ref, n);
        naiveKernel.gemm(ta, tb, m, n, k, 2 * (k + 2) * 2 ** -24, a.map(Math.abs), ta ? m : k, b.map(Math.abs), tb ? k : n, 0, bound, n);
        for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - ref[i]), `ta=${ta} tb=${tb} entry ${i}`).toBeLessThanOrEqual(bound[i]);
      }
    }
  });

  it('differs from float64 by float32 rounding, not more (and is not secretly float64)', () => {
    const r = new Random(3);
    const m = 40, n = 50, k = 300;
    const a = r.fillUniform(new Float64Array(m * k));
    const b = r.fillUniform(new Float64Array(k * n));
    const c64 = new Float64Array(m * n);
    const c32 = new Float64Array(m * n);
    createWasmKernel().gemm(false, false, m, n, k, 1, a, k, b, n, 0, c64, n);
    f32.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c32, n);
    let maxRel = 0;
    for (let i = 0; i < c64.length; i++) maxRel = Math.max(maxRel, Math.abs(c32[i] - c64[i]) / c64[i]);
    expect(maxRel).toBeGreaterThan(1e-9); // float64 would agree to ~1e-15
    expect(maxRel).toBeLessThan(2 * (k + 2) * 2 ** -24);
  });

  // The gathered products (0/1 op(A): RBM data and sampled states) sum single-precision rows of
  // op(B): each entry is the f32 sum over its row's non-zeros in ascending p, x·b in f32 with x
  // rounded (1·b = b), finished in float64 as α·s + β·c. Checked bit for bit against that scalar
  // definition (Math.fround), on shapes that run every tile (16, 4, single columns).
  it('gathered 0/1 products sum float32 rows: the scalar f32 definition bit for bit, every layout, values other than 1, within the float32 bound of float64', () => {
    const r = new Random(21);
    let checked = 0, differs = 0;
    const wrong: string[] = [];
    // (m·n·k ≥ 4096: smaller products run in TS, in float64)
    for (const [m, n, k] of [[30, 37, 50], [60, 500, 784], [9, 16, 300], [40, 3, 50]] as const) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          for (const ones of [true, false]) {
            const lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
            const opA = (i: number, p: number): number => (ta ? p * lda + i : i * lda + p);
            const opB = (p: number, j: number): number => (tb ? j * ldb + p : p * ldb + j);
            const a = new Float64Array((ta ? k : m) * lda);
            for (let i = 0; i < m; i++) {
              for (let p = 0; p < k; p++) {
                const u = r.float64();
                a[opA(i, p)] = u < 0.13 ? (ones ? 1 : [1, 0.3, -2.5, Math.PI][Math.floor(u * 1000) % 4]) : 0;
              }
            }
            const b = r.fillUniform(new Float64Array((tb ? n : k) * ldb)).map((x) => x - 0.5);
            const c0 = r.fillUniform(new Float64Array(m * ldc));
            const c = c0.slice();
            f32.gemmSparseA!(ta, tb, m, n, k, 0.75, a, lda, b, ldb, -1.25, c, ldc);
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < ldc; j++) {
                if (j >= n) {
                  expect(c[i * ldc + j]).toBe(c0[i * ldc + j]); // the gaps of C are left alone
                  continue;
                }
                let s = 0, s64 = 0, abs = 0;
                for (let p = 0; p < k; p++) {
                  const x = a[opA(i, p)];
                  if (x === 0) continue;
                  s = Math.fround(s + Math.fround(Math.fround(x) * Math.fround(b[opB(p, j)])));
                  s64 += x * b[opB(p, j)];
                  abs += Math.abs(x * b[opB(p, j)]);
                }
                const got = c[i * ldc + j];
                const exact = 0.75 * s64 + -1.25 * c0[i * ldc + j];
                const bound = 2 * (k + 2) * 2 ** -24 * 0.75 * abs + 4 * 2 ** -53 * (Math.abs(exact) + 1.25);
                if (!Object.is(got, 0.75 * s + -1.25 * c0[i * ldc + j]) || !(Math.abs(got - exact) <= bound)) {
                  wrong.push(`${m}x${n}x${k} ta=${ta} tb=${tb} ones=${ones} (${i}, ${j}): ${got}`);
                }
                if (got !== exact) differs++;
                checked++;
              }
            }
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // not secretly float64: most entries carry float32 rounding
    expect(differs).toBeGreaterThan(0.5 * checked);
  });

  it('AIS with the float32 kernel is within 0.1 nats of the exact log Z (float64)', () => {
    const betas = aisSchedule(100, 800, 2000);
    for (const [nV, nH, seed] of [[20, 10, 1], [12, 20, 2]]) {
      const rbm = new RBM(nV, nH, { rng: seed, weightStd: 1 });
      const r = new Random(seed + 100);
      r.fillNormal(rbm.visibleBias, 0, 1);
      r.fillNormal(rbm.hiddenBias, 0, 1);
      const exact = rbmExactLogPartition(rbm); // default kernel
      setKernel(createWasmKernel());
      const ais64 = rbmAIS(rbm, { betas, runs: 100, rng: seed });
      setKernel(f32);
      const ais = rbmAIS(rbm, { betas, runs: 100, rng: seed });
      setKernel(undefined);
      expect(Math.abs(ais.logZ - exact), `${nV}×${nH}`).toBeLessThan(0.1);
      // the float32 products were used (same seed, so float64 throughout would give the same bits)
      expect(ais.logZ).not.toBe(ais64.logZ);
    }
  });

  it('CD-30 gradients with the float32 kernel agree with the exact gradient within the sampling error', () => {
    // the tiny strongly coupled RBM of the CD test: 12 000 rows, each component a mean of terms in
    // [−1, 1], std ≤ 0.009, so a 5σ bound of 0.046; float32 rounding adds ~1e-7
    const rbm = rbmWith(4, 3, [2, -1.5, 1, -2, 1.5, -1, 1.8, 1, -1.5, -1, -2, 1.2], [0.5, -0.5, 0.3, -0.2], [-0.5, 0.2, 0.4]);
    const rows = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
    const exact = rbmExactGradient(rbm, fromArrays(rows));
    const batch = fromArrays(Array.from({ length: 12000 }, (_, i) => rows[i % 4]));
    setKernel(createWasmKernel());
    const g64 = new RBMTrainer(rbm, { k: 30, batchSize: batch.rows, rng: 7 }).gradient(batch);
    setKernel(f32);
    const g = new RBMTrainer(rbm, { k: 30, batchSize: batch.rows, rng: 7 }).gradient(batch);
    setKernel(undefined);
    expect(g.some((x, p) => x.some((v, i) => v !== g64[p][i])), 'float32 products were used').toBe(true);
    let maxErr = 0;
    for (let p = 0; p < 3; p++) for (let i = 0; i < g[p].length; i++) maxErr = Math.max(maxErr, Math.abs(g[p][i] - exact[p][i]));
    expect(maxErr).toBeLessThan(0.046);
  });
});
