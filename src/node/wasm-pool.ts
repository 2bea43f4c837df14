/**
 * Both cores: the WebAssembly SIMD kernel spread over Node worker threads
 * sharing one `WebAssembly.Memory` (a SharedArrayBuffer). The kernel seam is
 * synchronous, so the calling thread copies the operands into shared memory,
 * wakes the workers through `Atomics.notify`, computes its own slice, and
 * blocks in `Atomics.wait` until the others are done.
 *
 * Work is split over output columns (or rows when C is taller than wide),
 * never over k, and every thread runs the same WebAssembly code, so each
 * entry of C is summed in the same order whatever the number of threads:
 * results are bit-identical to the one-thread `'wasm-simd'` kernel.
 *
 * Browsers: `Atomics.wait` is forbidden on a page's main thread, so a
 * synchronous pool cannot run there; the same design works inside a Web Worker
 * of a cross-origin-isolated page (see the README section on threads).
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Kernel } from '../linalg/kernel.js';
import { sparseGemm } from '../linalg/sparse.js';
import { tsKernel } from '../linalg/ts-kernel.js';
import { createWasmKernel } from '../linalg/wasm/wasm-kernel.js';
import {
  Arena,
  compileAsync,
  gemmLayout,
  hasSharedWasmMemory,
  hasWasmSimd,
  instantiate,
  type KernelExports,
  MAX_PAGES,
  span,
} from '../linalg/wasm/core.js';

/** Options of {@link createWasmPool}. */
export interface WasmPoolOptions {
  /**
   * Threads in all, the calling thread included (so `threads - 1` workers are
   * started). Default: `os.availableParallelism()`, at most 8. `1` gives the
   * one-thread SIMD kernel over shared memory.
   */
  threads?: number;
  /**
   * Products with fewer multiply–adds (m·n·k) than this run on the calling
   * thread alone: waking workers costs tens of microseconds. Default `2^18`.
   */
  minParallelWork?: number;
}

/** The kernel returned by {@link createWasmPool}: a {@link Kernel} that owns worker threads. */
export interface WasmPoolKernel extends Kernel {
  /** Threads in all, the calling thread included. */
  readonly threads: number;
  /**
   * Stops the workers. The kernel must not be used afterwards (it throws);
   * restore another kernel with `setKernel` first. Workers are `unref`'d, so a
   * process exits without calling this.
   */
  close(): Promise<void>;
}

/**
 * Largest density of op(A) at which gemmSparseA sums gathered rows rather than
 * running the dense product (0.4 of it with op(B) transposed, where the
 * gathered dot products are scalar).
 */
const SPARSE_MAX_DENSITY = 0.3;

// control block (Int32): generation, done count, op, error flag, then the job
const GEN = 0;
const DONE = 1;
const OP = 2;
const ERR = 3;
const J = 4; // ta, tb, m, n, k, pa, lda, pb, ldb, pc, ldc, byCols (runSlice reads them at 4..15)
const OP_GEMM = 1;
const OP_GATHER = 2;
const OP_EXIT = -1;

// Runs in each worker (CommonJS, eval'd): the same slice arithmetic as slice() below.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { mod, memory, ctrl, params, index, threads, ws } = workerData;
const ex = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports;
const I = new Int32Array(ctrl);
const F = new Float64Array(params);
const runSlice = ${runSlice.toString()};
let gen = 0;
for (;;) {
  Atomics.wait(I, ${GEN}, gen);
  gen = Atomics.load(I, ${GEN});
  const op = I[${OP}];
  if (op === ${OP_EXIT}) break;
  try {
    runSlice(ex, I, F, index, threads, ws);
  } catch (e) {
    Atomics.store(I, ${ERR}, 1);
  }
  Atomics.add(I, ${DONE}, 1);
  Atomics.notify(I, ${DONE});
}
`;

/**
 * Computes thread `t`'s slice (of `T`) of the GEMM described in the control
 * block. Self-contained (literal indices, no outer names) because the workers
 * run its source text (`runSlice.toString()`).
 */
function runSlice(ex: KernelExports, I: Int32Array, F: Float64Array, t: number, T: number, ws: number): void {
  const ta = I[4], tb = I[5], m = I[6], n = I[7], k = I[8];
  const pa = I[9], lda = I[10], pb = I[11], ldb = I[12], pc = I[13], ldc = I[14];
  const byCols = I[15];
  const gather = I[2] === 2; // OP_GATHER: gathered rows of op(B) at the non-zeros of op(A), split by rows
  const len = byCols ? n : m;
  // slices are whole 4-wide tiles, so the split never changes what a tile sums
  const chunk = Math.ceil(Math.ceil(len / 4) / T) * 4;
  const s0 = Math.min(len, t * chunk);
  const s1 = Math.min(len, s0 + chunk);
  if (s1 <= s0) return;
  if (byCols) {
    ex.gemm(ta, tb, m, s1 - s0, k, F[0], pa, lda, tb ? pb + s0 * ldb * 8 : pb + s0 * 8, ldb, F[1], pc + s0 * 8, ldc, ws);
  } else if (gather) {
    ex.gemmGather(ta, tb, s1 - s0, n, k, F[0], ta ? pa + s0 * 8 : pa + s0 * lda * 8, lda, pb, ldb, F[1], pc + s0 * ldc * 8, ldc, ws);
  } else {
    ex.gemm(ta, tb, s1 - s0, n, k, F[0], ta ? pa + s0 * 8 : pa + s0 * lda * 8, lda, pb, ldb, F[1], pc + s0 * ldc * 8, ldc, ws);
  }
}

/**
 * Starts a pool of worker threads running the WebAssembly SIMD kernel over
 * shared memory and returns it as a {@link Kernel} for `setKernel`. Large
 * GEMMs are split over output rows or columns (never over k), so results are
 * bit-identical for any number of threads; GEMV and GER run on the calling
 * thread through the one-thread SIMD kernel (they are bound by memory
 * bandwidth, not arithmetic). Where shared WebAssembly memory is missing it
 * resolves to the one-thread SIMD kernel, and where SIMD is missing to the
 * plain-TS kernel (both with `threads: 1` and a no-op `close`).
 *
 * @param options - thread count and the size below which work is not split
 * @returns the `'wasm-simd-threads'` kernel
 * @throws {RangeError} when `threads` is not a positive integer
 * @example
 * ```ts
 * import { setKernel } from 'boltzmann';
 * import { createWasmPool } from 'boltzmann/node';
 * const pool = await createWasmPool({ threads: 2 });
 * setKernel(pool); // every model now multiplies on two cores
 * // … train …
 * setKernel(undefined);
 * await pool.close();
 * ```
 */
export async function createWasmPool(options: WasmPoolOptions = {}): Promise<WasmPoolKernel> {
  const threads = options.threads ?? Math.min(8, Math.max(1, availableParallelism()));
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`createWasmPool: options.threads must be an integer in [1, 64] (got ${String(options.threads)})`);
  }
  const minWork = options.minParallelWork ?? 1 << 18;
  if (!(minWork >= 0)) {
    throw new RangeError(`createWasmPool: options.minParallelWork must be >= 0 (got ${String(options.minParallelWork)})`);
  }
  if (!hasWasmSimd() || !hasSharedWasmMemory()) {
    // no threads possible: the best one-thread kernel there is (SIMD, else TS)
    return { ...createWasmKernel(), threads: 1, close: async () => {} };
  }
  const mod = await compileAsync(true);
  const wsBytes = instantiate(mod, new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })).workspaceBytes();
  const arena = new Arena(true, threads, wsBytes);
  const ex = instantiate(mod, arena.memory);
  const ctrl = new SharedArrayBuffer(64 * 4);
  const params = new SharedArrayBuffer(2 * 8);
  const I = new Int32Array(ctrl);
  const F = new Float64Array(params);
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let t = 1; t < threads; t++) {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { mod, memory: arena.memory, ctrl, params, index: t, threads, ws: arena.workspaces[t] },
    });
    ready.push(new Promise((resolve, reject) => {
      w.once('online', () => resolve());
      w.once('error', reject);
    }));
    workers.push(w);
  }
  await Promise.all(ready);
  // only now: an unref'd worker does not keep the event loop alive long enough to come online
  for (const w of workers) w.unref();
  let closed = false;
  const lay = new Int32Array(3);
  const level2 = createWasmKernel();

  function gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): void {
    run(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  function gemmSparseA(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): void {
    run(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  /**
   * Copies operands in, picks the method (for `sparseA`: by the density of
   * op(A), decided once here so every thread does the same), splits the work,
   * copies C out.
   */
  function run(
    sparseA: boolean,
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): void {
    if (closed) throw new Error('wasm pool: used after close()');
    if (m === 0 || n === 0 || m * n * k < 4096) {
      if (sparseA) sparseGemm(tsKernel, SPARSE_MAX_DENSITY, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else tsKernel.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const sA = transA ? span(k, m, lda) : span(m, k, lda);
    const sB = transB ? span(n, k, ldb) : span(k, n, ldb);
    const sC = span(m, n, ldc);
    arena.ensure(gemmLayout(arena.operands, sA, sB, sC, lay));
    const pa = lay[0], pb = lay[1], pc = lay[2];
    arena.put(a, sA, pa);
    arena.put(b, sB, pb);
    if (beta !== 0 || ldc !== n) arena.put(c, sC, pc);
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    const gather =
      sparseA &&
      k <= ex.gatherMaxK() &&
      n <= ex.gatherMaxN() &&
      ex.nnz(transA ? k : m, transA ? m : k, pa, lda) <= (transB ? 0.4 : 1) * SPARSE_MAX_DENSITY * m * k;
    // the gathered path does ~density × the dense work: split it only when that is large
    const work = gather ? (m * n * k) >> 3 : m * n * k;
    if (threads === 1 || work < minWork) {
      const ws = arena.workspaces[0];
      if (gather) ex.gemmGather(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ws);
      else ex.gemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ws);
    } else {
      I[J] = ta;
      I[J + 1] = tb;
      I[J + 2] = m;
      I[J + 3] = n;
      I[J + 4] = k;
      I[J + 5] = pa;
      I[J + 6] = lda;
      I[J + 7] = pb;
      I[J + 8] = ldb;
      I[J + 9] = pc;
      I[J + 10] = ldc;
      I[J + 11] = !gather && n >= m ? 1 : 0;
      F[0] = alpha;
      F[1] = beta;
      I[OP] = gather ? OP_GATHER : OP_GEMM;
      I[ERR] = 0;
      Atomics.store(I, DONE, 0);
      Atomics.add(I, GEN, 1);
      Atomics.notify(I, GEN);
      runSlice(ex, I, F, 0, threads, arena.workspaces[0]);
      for (let d = Atomics.load(I, DONE); d < threads - 1; d = Atomics.load(I, DONE)) Atomics.wait(I, DONE, d);
      if (I[ERR] !== 0) throw new Error('wasm pool: a worker failed while computing its slice');
    }
    arena.get(c, sC, pc);
  }

  const kernel: WasmPoolKernel = {
    name: 'wasm-simd-threads',
    threads,
    gemm,
    // memory-bound: one thread, through the one-thread SIMD kernel
    gemv: level2.gemv,
    ger: level2.ger,
    gemmSparseA,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      I[OP] = OP_EXIT;
      Atomics.add(I, GEN, 1);
      Atomics.notify(I, GEN);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  return kernel;
}
