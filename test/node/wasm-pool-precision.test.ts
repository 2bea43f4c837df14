/**
 * The worker pool's `precision: 'float32'` and `fma: true` options (issue #16).
 *
 * float32: every thread runs the f32x4 GEMM (`gemm32`) on its slices of C.
 * The split keeps each entry's summation order (f32 sums over each 256-deep
 * slice of k in ascending p, added to C in f64 in slice order; slices of C are
 * whole rows or columns, never parts of k, and tiles do not change the order),
 * so the pool must equal the one-thread `'wasm-simd-f32'` kernel bit for bit —
 * which makes it pass that kernel's accuracy tests; they are rerun here anyway
 * (the bound, not secretly float64, AIS within 0.1 nats of the exact log Z,
 * CD-30 gradients within the sampling error).
 *
 * fma (where relaxed SIMD runs: Node ≥ 22, or Node 20 with
 * `npx vitest run --execArgv=--experimental-wasm-relaxed-simd test/node/wasm-pool-precision.test.ts`):
 * bit-identical to the one-thread FMA kernels for 1–3 threads, including the
 * column split whose shared packed α·op(A) has 6-tall panels.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { aisSchedule, DBM, dbmVariationalBound, fromArrays, Random, RBM, RBMTrainer, rbmAIS, rbmExactGradient, rbmExactLogPartition, setKernel } from '../../src/index.js';
import { naiveKernel } from '../../src/linalg/naive.js';
import { hasRelaxedSimd } from '../../src/linalg/wasm/core.js';
import { createWasmKernel, makeWasmKernel } from '../../src/linalg/wasm/wasm-kernel.js';
import { createWasmPool, type WasmPoolKernel } from '../../src/node/wasm-pool.js';
import { kernelProperties } from '../helpers/kernel-properties.js';
import { rbmWith } from '../helpers/rbm-brute.js';

const relaxed = hasRelaxedSimd();
const SKIP = relaxed
  ? ''
  : ' — SKIPPED: WebAssembly relaxed SIMD is unavailable (Node ≥ 22, or Node 20 with ' +
    '`npx vitest run --execArgv=--experimental-wasm-relaxed-simd test/node/wasm-pool-precision.test.ts`)';

function filled(n: number, seed: number): Float64Array {
  return new Random(seed).fillUniform(new Float64Array(n)).map((x) => 2 * x - 1);
}

const ALL_SIZES = { gemm: 0, level2: 0, sparseMaxDensity: 0.3 };
// tall and wide (split by rows and by columns), odd sizes, several 256-deep slices, wider than one 1024 block,
// m > 120 so that the shared packed α·op(A) of the column split spans several packing units
const SHAPES: [number, number, number][] = [[137, 61, 203], [61, 211, 97], [300, 300, 300], [9, 130, 5], [250, 700, 300], [7, 1100, 270], [301, 131, 520]];

/** Counts products (of every shape, transpose, strides, α, β) where some pool differs from `single` in some bit. */
function mismatches(single: ReturnType<typeof makeWasmKernel>, pools: WasmPoolKernel[]): { bad: string[]; checked: number } {
  const bad: string[] = [];
  let checked = 0;
  for (const [m, n, k] of SHAPES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const lda = (ta ? m : k) + 1;
        const ldb = (tb ? k : n) + 2;
        const ldc = n + 1;
        const a = filled((ta ? k : m) * lda, m + 1);
        const b = filled((tb ? n : k) * ldb, n + 2);
        const c0 = filled(m * ldc, k + 3);
        const ref = c0.slice();
        single.gemm(ta, tb, m, n, k, 0.75, a, lda, b, ldb, -0.5, ref, ldc);
        for (const p of pools) {
          const c = c0.slice();
          p.gemm(ta, tb, m, n, k, 0.75, a, lda, b, ldb, -0.5, c, ldc);
          let diff = 0;
          for (let i = 0; i < c.length; i++) if (!Object.is(c[i], ref[i])) diff++;
          if (diff > 0) bad.push(`${p.name} ${p.threads} threads ${m}x${n}x${k} ta=${ta} tb=${tb}: ${diff} entries`);
          checked++;
        }
      }
    }
  }
  return { bad, checked };
}

describe('WebAssembly worker pool, float32', async () => {
  // minParallelWork 0: every product (above the tiny-size shortcut) is split over the threads
  const pools: WasmPoolKernel[] = [];
  for (const threads of [1, 2, 3]) pools.push(await createWasmPool({ threads, minParallelWork: 0, precision: 'float32' }));
  const f64pool = await createWasmPool({ threads: 2, minParallelWork: 0 });
  afterAll(async () => {
    for (const p of [...pools, f64pool]) await p.close();
  });

  it('is a separate pool kernel, never the default; options are checked before workers start', async () => {
    expect(pools.map((p) => [p.name, p.threads])).toEqual([['wasm-simd-threads-f32', 1], ['wasm-simd-threads-f32', 2], ['wasm-simd-threads-f32', 3]]);
    expect(f64pool.name).toBe('wasm-simd-threads');
    await expect(createWasmPool({ precision: 'float16' as 'float32' })).rejects.toThrow(/createWasmPool: options\.precision must be 'float64' or 'float32' \(got "float16"\)/);
    await expect(createWasmPool({ fma: 'yes' as unknown as boolean })).rejects.toThrow(/createWasmPool: options\.fma must be a boolean/);
  });

  kernelProperties({ ...pools[1], name: 'f32 pool (2 threads)' }, 100, { float32: true });
  kernelProperties({ ...pools[2], name: 'f32 pool (3 threads)' }, 60, { float32: true });

  it('equals the one-thread float32 kernel bit for bit, for 1, 2 and 3 threads', () => {
    const { bad, checked } = mismatches(makeWasmKernel(ALL_SIZES, 'float32'), pools);
    expect(bad).toEqual([]);
    expect(checked).toBe(SHAPES.length * 4 * pools.length);
  });

  it('gemmSparseA (gathered rows summed in float32 below the density limit, the float32 GEMM above it): the one-thread f32 kernel’s bits', () => {
    const single = makeWasmKernel(ALL_SIZES, 'float32');
    const f64 = makeWasmKernel(ALL_SIZES);
    for (const ones of [0.13, 0.6]) {
      for (const [m, n, k] of [[100, 500, 784], [784, 300, 100], [100, 37, 300]] as const) {
        for (const tb of [false, true]) {
          const r = filled(m * k, m + n);
          // 0/1, and for the narrow shape some values other than 1 (the multiplied path)
          const a = r.map((x, i) => (x < 2 * ones - 1 ? (n === 37 && i % 7 === 0 ? 0.3 : 1) : 0));
          const b = filled(k * n, 5);
          const ref = new Float64Array(m * n);
          single.gemmSparseA!(false, tb, m, n, k, 1, a, k, b, tb ? k : n, 0, ref, n);
          if (ones < 0.3) {
            // gathered in float32, not float64
            const c64 = new Float64Array(m * n);
            f64.gemmSparseA!(false, tb, m, n, k, 1, a, k, b, tb ? k : n, 0, c64, n);
            expect(c64.filter((x, i) => x !== ref[i]).length).toBeGreaterThan(0.5 * m * n);
          }
          for (const p of pools) {
            const c = new Float64Array(m * n);
            p.gemmSparseA!(false, tb, m, n, k, 1, a, k, b, tb ? k : n, 0, c, n);
            let diff = 0;
            for (let i = 0; i < c.length; i++) if (!Object.is(c[i], ref[i])) diff++;
            expect(diff, `${p.threads} threads ${m}x${n}x${k} tb=${tb} ones=${ones}`).toBe(0);
          }
        }
      }
    }
  });

  it('stress: 200 split products, each bit-identical to the one-thread float32 kernel', () => {
    const single = makeWasmKernel(ALL_SIZES, 'float32');
    const shapes: [number, number, number][] = [[64, 700, 300], [700, 64, 300]];
    let bad = 0;
    let runs = 0;
    for (let rep = 0; rep < 50; rep++) {
      for (const [m, n, k] of shapes) {
        const a = filled(m * k, rep + m);
        const b = filled(k * n, rep + n);
        const ref = new Float64Array(m * n);
        single.gemm(false, false, m, n, k, 0.75, a, k, b, n, 0, ref, n);
        for (const p of pools.slice(1)) {
          const c = new Float64Array(m * n);
          p.gemm(false, false, m, n, k, 0.75, a, k, b, n, 0, c, n);
          runs++;
          if (c.some((x, i) => !Object.is(x, ref[i]))) bad++;
        }
      }
    }
    expect(`${bad} of ${runs} products differ`).toBe(`0 of ${runs} products differ`);
  });

  it('within 2·(k + 2)·2⁻²⁴·|α|·Σ|a||b| of the exact product, and not secretly float64', () => {
    const p = pools[2];
    const [m, n, k] = [40, 1100, 300];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = filled(m * k, 9);
        const b = filled(k * n, 10);
        const c = new Float64Array(m * n);
        const ref = new Float64Array(m * n);
        const c64 = new Float64Array(m * n);
        const bound = new Float64Array(m * n);
        p.gemm(ta, tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, c, n);
        f64pool.gemm(ta, tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, c64, n);
        naiveKernel.gemm(ta, tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, ref, n);
        naiveKernel.gemm(ta, tb, m, n, k, 2 * (k + 2) * 2 ** -24, a.map(Math.abs), ta ? m : k, b.map(Math.abs), tb ? k : n, 0, bound, n);
        let maxRel = 0;
        for (let i = 0; i < c.length; i++) {
          if (!(Math.abs(c[i] - ref[i]) <= bound[i])) throw new Error(`ta=${ta} tb=${tb} entry ${i}: |Δ| = ${Math.abs(c[i] - ref[i])} > ${bound[i]}`);
          maxRel = Math.max(maxRel, Math.abs(c[i] - c64[i]) / bound[i]);
        }
        // float64 would be ~1e-9 of the float32 bound; float32 rounding uses a visible part of it
        expect(maxRel, `ta=${ta} tb=${tb}`).toBeGreaterThan(1e-3);
      }
    }
  });

  it('AIS with the float32 pool is within 0.1 nats of the exact log Z (float64)', () => {
    const betas = aisSchedule(100, 800, 2000);
    try {
      for (const [nV, nH, seed] of [[20, 10, 1], [12, 20, 2]]) {
        const rbm = new RBM(nV, nH, { rng: seed, weightStd: 1 });
        const r = new Random(seed + 100);
        r.fillNormal(rbm.visibleBias, 0, 1);
        r.fillNormal(rbm.hiddenBias, 0, 1);
        const exact = rbmExactLogPartition(rbm); // default kernel
        setKernel(f64pool);
        const ais64 = rbmAIS(rbm, { betas, runs: 100, rng: seed });
        setKernel(pools[1]);
        const ais = rbmAIS(rbm, { betas, runs: 100, rng: seed });
        setKernel(undefined);
        expect(Math.abs(ais.logZ - exact), `${nV}×${nH}`).toBeLessThan(0.1);
        expect(ais.logZ, 'the float32 products were used').not.toBe(ais64.logZ);
      }
    } finally {
      setKernel(undefined);
    }
  });

  it('CD-30 gradients with the float32 pool agree with the exact gradient within the sampling error', () => {
    // as the one-thread float32 test: 12 000 rows, each component a mean of terms in [−1, 1], std ≤ 0.009: 5σ = 0.046
    const rbm = rbmWith(4, 3, [2, -1.5, 1, -2, 1.5, -1, 1.8, 1, -1.5, -1, -2, 1.2], [0.5, -0.5, 0.3, -0.2], [-0.5, 0.2, 0.4]);
    const rows = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
    const exact = rbmExactGradient(rbm, fromArrays(rows));
    const batch = fromArrays(Array.from({ length: 12000 }, (_, i) => rows[i % 4]));
    try {
      setKernel(f64pool);
      const g64 = new RBMTrainer(rbm, { k: 30, batchSize: batch.rows, rng: 7 }).gradient(batch);
      setKernel(pools[2]);
      const g = new RBMTrainer(rbm, { k: 30, batchSize: batch.rows, rng: 7 }).gradient(batch);
      setKernel(undefined);
      expect(g.some((x, p) => x.some((v, i) => v !== g64[p][i])), 'float32 products were used').toBe(true);
      let maxErr = 0;
      for (let p = 0; p < 3; p++) for (let i = 0; i < g[p].length; i++) maxErr = Math.max(maxErr, Math.abs(g[p][i] - exact[p][i]));
      expect(maxErr).toBeLessThan(0.046);
    } finally {
      setKernel(undefined);
    }
  });

  it('DBM mean field (the dense products of joint training) with the float32 pool: within float32’s error of float64', () => {
    // A 196-120-160 DBM with N(0, 0.3²) weights and N(0, 0.5²) biases on 100 random 0/1 rows (20% ones):
    // 10 sweeps of mean field (what DBMTrainer and bench/reproduce/dbm-paper.ts --float32-from run in
    // float32) and the variational bound from its fixed point. Each product's float32 error is at most
    // 2·(k + 2)·2⁻²⁴·Σ|x||w|; with |x| ≤ 1, k ≤ 196 and E|w| = 0.24 that is of order 2·198·2⁻²⁴·(196·0.24)
    // ≈ 1e-3, and σ′ ≤ 1/4, so a sweep moves a rate by about 3e-4 beyond what it inherits: checked against 1e-3 on μ
    // and 1e-2 nats per row (the bound sums ~500 terms of such errors). Measured: 6.1e-7 and 1.9e-5.
    const dbm = new DBM([196, 120, 160], { rng: 3 });
    const r = new Random(4);
    for (const p of dbm.parameterArrays()) r.fillNormal(p, 0, p.length > 1000 ? 0.3 : 0.5);
    const v = fromArrays(Array.from({ length: 100 }, () => Array.from({ length: 196 }, () => (r.float64() < 0.2 ? 1 : 0))));
    const mf = { maxIterations: 10, tolerance: 0 };
    try {
      setKernel(f64pool);
      const mu64 = dbm.meanField(v, mf);
      const b64 = dbmVariationalBound(dbm, v, 0, mf);
      setKernel(pools[1]);
      const mu32 = dbm.meanField(v, mf);
      const b32 = dbmVariationalBound(dbm, v, 0, mf);
      setKernel(undefined);
      let maxMu = 0, maxB = 0;
      for (let l = 0; l < mu64.length; l++) for (let i = 0; i < mu64[l].data.length; i++) maxMu = Math.max(maxMu, Math.abs(mu64[l].data[i] - mu32[l].data[i]));
      for (let i = 0; i < b64.perRow.length; i++) maxB = Math.max(maxB, Math.abs(b64.perRow[i] - b32.perRow[i]));
      expect(maxMu, 'the float32 products were used').toBeGreaterThan(0);
      expect(maxMu).toBeLessThan(1e-3);
      expect(maxB).toBeLessThan(1e-2);
    } finally {
      setKernel(undefined);
    }
  });
});

describe.skipIf(!relaxed)(`WebAssembly worker pool, fused multiply–add${SKIP}`, async () => {
  const pools: WasmPoolKernel[] = [];
  const pools32: WasmPoolKernel[] = [];
  if (relaxed) {
    for (const threads of [1, 2, 3]) {
      pools.push(await createWasmPool({ threads, minParallelWork: 0, fma: true }));
      pools32.push(await createWasmPool({ threads, minParallelWork: 0, fma: true, precision: 'float32' }));
    }
  }
  afterAll(async () => {
    for (const p of [...pools, ...pools32]) await p.close();
  });

  it('names the FMA pools', () => {
    expect(pools.map((p) => p.name)).toEqual(Array(3).fill('wasm-simd-threads-fma'));
    expect(pools32.map((p) => p.name)).toEqual(Array(3).fill('wasm-simd-threads-f32-fma'));
    expect(createWasmKernel({ fma: true }).name).toBe('wasm-simd-fma');
  });

  it('float64: equals the one-thread FMA kernel bit for bit, for 1, 2 and 3 threads (6-tall shared panels included)', () => {
    const { bad, checked } = mismatches(makeWasmKernel(ALL_SIZES, 'float64', true), pools);
    expect(bad).toEqual([]);
    expect(checked).toBe(SHAPES.length * 4 * pools.length);
  });

  it('float32: equals the one-thread float32 FMA kernel bit for bit, for 1, 2 and 3 threads', () => {
    const { bad } = mismatches(makeWasmKernel(ALL_SIZES, 'float32', true), pools32);
    expect(bad).toEqual([]);
  });
});
