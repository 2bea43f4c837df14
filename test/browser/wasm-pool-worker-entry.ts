// Runs inside a dedicated Web Worker: the browser pool (3 threads) against the one-thread kernel, bit for bit;
// then the float32 pool against the one-thread float32 kernel, and (where relaxed SIMD exists) the FMA pool
// against the one-thread FMA kernel.
import { hasRelaxedSimd, relaxedMaddFuses } from '../../src/linalg/wasm/core.js';
import { createWasmWorkerPool, type WasmPoolOptions } from '../../src/linalg/wasm/pool.js';
import { makeWasmKernel } from '../../src/linalg/wasm/wasm-kernel.js';

function lcg(n: number, seed: number, ones?: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    const u = (x >>> 8) / 16777216;
    out[i] = ones === undefined ? u * 2 - 1 : u < ones ? 1 : 0;
  }
  return out;
}

const post = (m: unknown): void => (self as unknown as { postMessage(m: unknown): void }).postMessage(m);

/** Mismatching entries of the pool with `options` against `single`, over dense and 0/1 products, every transpose. */
async function compare(options: WasmPoolOptions, single: ReturnType<typeof makeWasmKernel>) {
  const pool = await createWasmWorkerPool({ threads: 3, minParallelWork: 0, ...options });
  let checked = 0, mismatches = 0;
  const [m, n, k] = [130, 171, 97];
  for (const sparse of [false, true]) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const lda = ta ? m : k, ldb = tb ? k : n;
        const a = lcg(m * k, 1, sparse ? 0.1 : undefined), b = lcg(k * n, 2), c0 = lcg(m * n, 3);
        const c1 = c0.slice(), c2 = c0.slice();
        const f1 = sparse ? pool.gemmSparseA! : pool.gemm, f2 = sparse ? single.gemmSparseA! : single.gemm;
        f1(ta, tb, m, n, k, 0.8, a, lda, b, ldb, 0.5, c1, n);
        f2(ta, tb, m, n, k, 0.8, a, lda, b, ldb, 0.5, c2, n);
        for (let i = 0; i < c1.length; i++) if (!Object.is(c1[i], c2[i])) mismatches++;
        checked += c1.length;
      }
    }
  }
  const out = { name: pool.name, threads: pool.threads, checked, mismatches };
  await pool.close();
  return out;
}

(async () => {
  const th = { gemm: 0, level2: 0, sparseMaxDensity: 0.3 };
  const f64 = await compare({}, makeWasmKernel(th));
  const f32 = await compare({ precision: 'float32' }, makeWasmKernel(th, 'float32'));
  const relaxed = hasRelaxedSimd();
  const fma = relaxed ? await compare({ fma: true }, makeWasmKernel(th, 'float64', true)) : undefined;
  post({ ...f64, f32, relaxed, fused: relaxedMaddFuses(), fma });
})().catch((e: unknown) => post({ error: String(e) }));
