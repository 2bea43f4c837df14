// Runs inside a dedicated Web Worker: the browser pool (3 threads) against the one-thread kernel, bit for bit.
import { createWasmWorkerPool } from '../../src/linalg/wasm/pool.js';
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

(async () => {
  const pool = await createWasmWorkerPool({ threads: 3, minParallelWork: 0 });
  const single = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 0.3 });
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
  post({ name: pool.name, threads: pool.threads, checked, mismatches });
  await pool.close();
})().catch((e: unknown) => post({ error: String(e) }));
