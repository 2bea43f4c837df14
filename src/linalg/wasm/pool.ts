/**
 * The WebAssembly SIMD kernel on several threads sharing one
 * `WebAssembly.Memory` (a SharedArrayBuffer), behind the kernel seam. The seam
 * is synchronous, so the calling thread copies the operands into shared
 * memory, wakes the workers through `Atomics.notify`, works alongside them,
 * and blocks in `Atomics.wait` until they are done.
 *
 * A product is split over chunks (16–64 wide) of output columns (rows when C is
 * taller than wide), never over k. The operand every chunk needs — α·op(A) for
 * column chunks, op(B) for row chunks — is packed once into shared memory, the
 * threads sharing the packing; then each thread claims chunks from an atomic
 * counter until none are left. So no operand is packed twice, and a thread on
 * a faster (less loaded) core computes more chunks instead of the others
 * waiting for it — on a shared 2-vCPU machine one core was seen running at
 * 0.6 of the other's speed (18.1 vs 11.0 GFLOP/s), which makes a static
 * half/half split take a third longer than sharing the work by speed. Every
 * entry of C is summed in the same order by the same micro-kernel whichever
 * thread computes it: results are bit-identical for any number of threads and
 * to the one-thread `'wasm-simd'` kernel.
 *
 * This module has no Node import: Node's `createWasmPool` (`boltzmann/node`)
 * starts `worker_threads`, and {@link createWasmWorkerPool} starts Web Workers.
 * @module
 */
import { describeValue } from '../../errors.js';
import { checkInt, checkNonNegative, checkOptionsKeys, optionKeys } from '../../validate.js';
import type { Kernel } from '../kernel.js';
import { sparseGemm } from '../sparse.js';
import { sigmoid, softplusSum } from '../stable.js';
import { exactSparseMaxDensity, tsKernel } from '../ts-kernel.js';
import {
  Arena,
  compileAsync,
  compileSync,
  gemmLayout,
  hasRelaxedSimd,
  hasSharedWasmMemory,
  hasWasmSimd,
  instantiate,
  type KernelExports,
  MAX_PAGES,
  PAGE,
  span,
} from './core.js';
import { finishSoftplusSums, type GatherExports, gatherSharedModule } from './gather.js';
import { fastKernelOf, sharedKernel, type WasmPrecision } from './simd-kernel.js';

/** Options of `createWasmPool` (Node) and {@link createWasmWorkerPool} (browsers).
 * @category Linear algebra
 */
export interface WasmPoolOptions {
  /**
   * Threads in all, the calling thread included (so `threads - 1` workers are
   * started). Default: the number of logical cores (`os.availableParallelism()`
   * in Node, `navigator.hardwareConcurrency` in browsers), at most 8. `1` gives
   * the one-thread SIMD kernel over shared memory.
   */
  threads?: number;
  /**
   * Products with fewer multiply–adds (m·n·k) than this run on the calling
   * thread alone: waking workers costs tens of microseconds. Default `2^18`.
   */
  minParallelWork?: number;
  /**
   * `'float64'` (default) or `'float32'`: the arithmetic of the products, as
   * for the one-thread kernel (`createWasmKernel({ precision })`, see
   * {@link WasmPrecision}). With `'float32'` every thread runs the f32x4 GEMM
   * on its slices and sums its columns of a gathered 0/1 product over float32
   * rows, and each entry of C is summed exactly as the one-thread
   * `'wasm-simd-f32'` kernel sums it, so the results equal that kernel's bit
   * for bit; GEMV and GER stay float64.
   */
  precision?: WasmPrecision;
  /**
   * Fused multiply–add micro-kernels (relaxed SIMD) on every thread, as
   * `createWasmKernel({ fma: true })`; default `false`. Ignored (the pool
   * without FMA is started) where relaxed SIMD is missing. Results equal the
   * one-thread FMA kernel's bit for bit on the same engine and CPU.
   */
  fma?: boolean;
}

const POOL_KEYS = optionKeys<WasmPoolOptions>()({ threads: true, minParallelWork: true, precision: true, fma: true });

/** The kernel returned by `createWasmPool` / {@link createWasmWorkerPool}: a {@link Kernel} that owns worker threads.
 * @category Linear algebra
 */
export interface WasmPoolKernel extends Kernel {
  /** Threads in all, the calling thread included. */
  readonly threads: number;
  /** True when gemmSparseA sums gathered rows on all threads (the gather module compiled over shared memory). @internal */
  readonly splitsGatheredRows?: boolean;
  /** σ in place on all threads; false when not done (see {@link Kernel.sigmoidInPlace}). @internal */
  sigmoidInPlace?(x: Float64Array, n: number): boolean;
  /** Softplus row sums on all threads; false when not done (see {@link Kernel.softplusSums}). @internal */
  softplusSums?(out: Float64Array, x: Float64Array, rows: number, n: number, scale: number): boolean;
  /**
   * Stops the workers. The kernel must not be used afterwards (it throws);
   * restore another kernel with `setKernel` first. Workers are `unref`'d, so a
   * process exits without calling this.
   *
   * @returns a promise that settles when the workers have stopped
   * @example
   * ```ts
   * import { setKernel } from 'boltzmann';
   * import { createWasmPool } from 'boltzmann/node';
   * const pool = await createWasmPool({ threads: 2 });
   * setKernel(undefined); // stop using it first
   * await pool.close();
   * ```
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
// ta, tb, m, n, k, pa, lda, pb, ldb, pc, ldc, byCols, chunk, next chunk, packed-B offset, next packing
// unit, units done, units, unit width, KC (runSlice reads them at 4..23); at 24 the pool's float32 flag
const J = 4;
const OP_GEMM = 1;
const OP_GATHER = 2;
/** Gathered rows summed by the gather module (gemmCsr), split by chunks of 8-aligned columns. */
const OP_CSR = 3;
/** σ in place over chunks of an array (the gather module's SIMD sigmoid); per-chunk counts of lanes left to TS at I[SIG_COUNTS + c]. */
const OP_SIGMOID = 4;
const SIG_COUNTS = 25; // after the float32 flag at 24
/** The softplus terms of rows (the gather module's softplusRows) over chunks of rows; per-chunk counts of rows left to TS at I[SIG_COUNTS + c]. */
const OP_SOFTPLUS = 5;
/** Most chunks of one σ job (the control block's free ints from SIG_COUNTS up to FAILED). */
const SIG_MAX_CHUNKS = 32;
const OP_EXIT = -1;
// workers that have instantiated the module (counted up, notified), and a flag set by one that failed to
const READY = 62;
/** Atomics.load polls before a thread sleeps in Atomics.wait (about 0.1–0.3 ms). */
const SPIN = 20000;
const FAILED = 61;

/**
 * The loop each worker runs, as source text over an `init` expression holding
 * { mod, memory, ctrl, params, ws } (see PoolWorkerInit); `ready` is a statement
 * that tells the spawner the worker has instantiated the module (so a failure
 * there rejects pool creation instead of leaving a dead worker). `runSlice` is
 * passed in as source too, so the text does not depend on names a bundler may rename.
 */
function workerLoop(init: string, ready: string): string {
  return `
const { mod, gmod, memory, ctrl, params, ws } = ${init};
const I = new Int32Array(ctrl);
let ex;
let gx = null;
try {
  ex = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports;
  if (gmod) gx = new WebAssembly.Instance(gmod, { env: { mem: memory } }).exports;
} catch (e) {
  Atomics.store(I, ${FAILED}, 1);
  Atomics.notify(I, ${READY});
  throw e;
}
const F = new Float64Array(params);
const runSlice = ${runSlice.toString()};
Atomics.add(I, ${READY}, 1);
Atomics.notify(I, ${READY});
${ready}
let gen = 0;
for (;;) {
  // spin a little before sleeping: jobs of a training loop come every few hundred microseconds,
  // and waking a sleeping thread costs tens of microseconds (far more on a busy machine)
  for (let s = 0; s < ${SPIN} && Atomics.load(I, ${GEN}) === gen; s++);
  Atomics.wait(I, ${GEN}, gen);
  gen = Atomics.load(I, ${GEN});
  const op = I[${OP}];
  if (op === ${OP_EXIT}) break;
  try {
    runSlice(ex, gx, I, F, ws);
  } catch (e) {
    Atomics.store(I, ${ERR}, 1);
  }
  Atomics.add(I, ${DONE}, 1);
  Atomics.notify(I, ${DONE});
}
`;
}

/**
 * Source of a Node `worker_threads` worker (eval'd, CommonJS). With `quiet`
 * it posts no 'ready' message: a pool started synchronously learns from the
 * shared control block that its workers run. @internal
 */
export function nodeWorkerSource(quiet = false): string {
  return `const { workerData, parentPort } = require('node:worker_threads');\n${workerLoop('workerData', quiet ? '' : "parentPort.postMessage('ready');")}`;
}

/** Source of a browser Web Worker (classic script from a Blob URL): answers the init message, then loops. @internal */
export function webWorkerSource(): string {
  return `self.onmessage = (e) => {\n  self.onmessage = null;\n${workerLoop('e.data', "self.postMessage('ready');")}\n};`;
}

/** What each worker receives to start. @internal */
export interface PoolWorkerInit {
  mod: WebAssembly.Module;
  /** The gathered-row module over shared memory, or null where it does not compile. */
  gmod: WebAssembly.Module | null;
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  index: number;
  threads: number;
  ws: number;
}

/** A started worker, as the pool needs it. @internal */
export interface PoolWorkerHandle {
  terminate(): unknown;
  unref?(): void;
}

/** Starts one worker running the pool loop; resolves once it is running. @internal */
export type SpawnPoolWorker = (init: PoolWorkerInit) => Promise<PoolWorkerHandle>;

/**
 * Takes chunks of the GEMM described in the control block until none are left:
 * chunk `c` is output rows (or columns, when `byCols`) `[c·chunk, (c+1)·chunk)`,
 * claimed with `Atomics.add` on the chunk counter, so a thread that runs faster
 * (a less loaded core) simply computes more chunks. Dense products first pack
 * the shared operand once into a shared buffer (α·op(A) for column chunks,
 * op(B) for row chunks), claiming 128-wide groups of each KC slice the same
 * way, and wait until every group is packed. Which thread computes a chunk
 * never changes its bits: each entry of C is summed over the whole of k in the
 * same order by the same micro-kernel (chunks are also kept 4-aligned, though
 * full and edge tiles add alike). Self-contained (literal indices, no outer
 * names) because the workers run its source text (`runSlice.toString()`).
 */
function runSlice(ex: KernelExports, gx: GatherExports | null, I: Int32Array, F: Float64Array, ws: number): void {
  if (I[2] === 5 && gx !== null) {
    // OP_SOFTPLUS: chunk c is rows [c·chunk, …) of x (n values each), results at res (nb + 1 doubles a
    // row, nb = ⌊n/512⌋ + 1), the rows it leaves to TS listed relative to the chunk's first row
    const rows = I[6], n = I[7], x = I[9], res = I[10], list = I[11], chunk = I[16];
    const stride = ((n >>> 9) + 2) * 8;
    for (;;) {
      const c = Atomics.add(I, 17, 1);
      const r0 = c * chunk;
      if (r0 >= rows) return;
      I[25 + c] = gx.softplusRows(x + r0 * n * 8, Math.min(chunk, rows - r0), n, F[0], res + r0 * stride, list + r0 * 4);
    }
  }
  if (I[2] === 4 && gx !== null) {
    // OP_SIGMOID: chunk c is x[c·chunk, …); the lanes it leaves to TS are listed relative to its start
    const n = I[7], x = I[9], list = I[10], chunk = I[16];
    for (;;) {
      const c = Atomics.add(I, 17, 1);
      const i0 = c * chunk;
      if (i0 >= n) return;
      I[25 + c] = gx.sigmoid(x + i0 * 8, Math.min(chunk, n - i0), list + i0 * 4);
    }
  }
  if (I[2] === 3 && gx !== null) {
    // OP_CSR: rows gathered once by the calling thread; each chunk is a slice of C's columns
    // (every entry summed over its row's non-zeros in the same order, so the bits never change)
    // (op(B) at I[11] as 8-column strips when I[21] (gemmCsr's fastest form), else row-major; with
    // strips still to make — from B at I[18] (−1: none), ldb I[19], k I[20], transposed when I[5] —
    // each chunk first packs its own strips, so the packing is split too, no wait)
    const m = I[6], n = I[7], rowStart = I[9], offs = I[10], b = I[11], vals = I[12], c = I[13], ldc = I[14], ones = I[15], chunk = I[16];
    // (the float32 pool, I[24]: each chunk first rounds its columns of op(B) — B at I[18], transposed
    // when I[5] — into the float32 strips of 16 columns at I[11], then sums them in f32: gemmCsr32)
    const packFrom = I[18], ldb = I[19], k = I[20];
    const f32Rows = I[24] === 1, tb = I[5];
    for (;;) {
      const j0 = Atomics.add(I, 17, 1) * chunk;
      if (j0 >= n) return;
      const w = Math.min(chunk, n - j0);
      if (f32Rows) {
        const strip32 = b + (j0 >> 4) * k * 64;
        if (tb) gx.packT32(packFrom + j0 * ldb * 8, ldb, k, w, strip32);
        else gx.toF32(packFrom + j0 * 8, ldb, k, w, strip32);
        gx.gemmCsr32(m, w, F[0], strip32, F[1], c + j0 * 8, ldc, rowStart, offs, vals, ones, k * 64);
        continue;
      }
      if (I[21] === 1) {
        const strip = b + (j0 >> 3) * k * 64;
        if (packFrom >= 0) {
          if (tb) gx.packT(packFrom + j0 * ldb * 8, ldb, k, w, strip);
          else gx.packS(packFrom + j0 * 8, ldb, k, w, strip);
        }
        gx.gemmCsr(m, w, F[0], strip, F[1], c + j0 * 8, ldc, rowStart, offs, vals, ones, k * 64);
      } else gx.gemmCsr(m, w, F[0], b + j0 * 8, F[1], c + j0 * 8, ldc, rowStart, offs, vals, ones, 64);
    }
  }
  const ta = I[4], tb = I[5], m = I[6], n = I[7], k = I[8];
  const pa = I[9], lda = I[10], pb = I[11], ldb = I[12], pc = I[13], ldc = I[14];
  const byCols = I[15];
  const chunk = I[16];
  // float32 pool: the f32x4 GEMM on each slice; the column split shares op(A) packed to f32 panels,
  // the row split packs its own operands
  const f32 = I[24] === 1;
  const dense = f32 ? ex.gemm32 : ex.gemm;
  const packed = I[18]; // byte offset of the shared packed α·op(A) (byCols) or op(B) (by rows), or 0
  const gather = I[2] === 2; // OP_GATHER: gathered rows of op(B) at the non-zeros of op(A), split by rows
  if (packed !== 0) {
    const units = I[21], width = I[22], depth = I[23];
    const groups = Math.ceil((byCols ? m : n) / width);
    for (;;) {
      const u = Atomics.add(I, 19, 1);
      if (u >= units) break;
      const slice = (u / groups) | 0;
      const j0 = (u - slice * groups) * width;
      if (byCols && f32) ex.packAPart32(ta, pa, lda, m, k, slice * depth, j0, Math.min(m, j0 + width), packed);
      else if (byCols) ex.packAPart(ta, pa, lda, m, k, F[0], slice * depth, j0, Math.min(m, j0 + width), packed);
      else ex.packBPart(tb, pb, ldb, k, n, slice * depth, j0, Math.min(n, j0 + width), packed);
      Atomics.add(I, 20, 1);
    }
    // the last groups may still be being packed by another thread (a few microseconds)
    while (Atomics.load(I, 20) < units) if (Atomics.load(I, 3) !== 0) return;
  }
  const len = byCols ? n : m;
  for (;;) {
    const s0 = Atomics.add(I, 17, 1) * chunk;
    if (s0 >= len) return;
    const s1 = Math.min(len, s0 + chunk);
    if (byCols) {
      const b = tb ? pb + s0 * ldb * 8 : pb + s0 * 8;
      if (packed !== 0) (f32 ? ex.gemmPackedA32 : ex.gemmPackedA)(tb, m, s1 - s0, k, F[0], packed, b, ldb, F[1], pc + s0 * 8, ldc, ws);
      else dense(ta, tb, m, s1 - s0, k, F[0], pa, lda, b, ldb, F[1], pc + s0 * 8, ldc, ws);
    } else {
      const a = ta ? pa + s0 * 8 : pa + s0 * lda * 8;
      const c = pc + s0 * ldc * 8;
      if (gather) ex.gemmGather(ta, tb, s1 - s0, n, k, F[0], a, lda, pb, ldb, F[1], c, ldc, ws);
      else if (packed !== 0) ex.gemmPackedB(ta, s1 - s0, n, k, F[0], a, lda, packed, F[1], c, ldc, ws);
      else dense(ta, tb, s1 - s0, n, k, F[0], a, lda, pb, ldb, F[1], c, ldc, ws);
    }
  }
}

/**
 * Output rows or columns per chunk in the packed modes: about 16 chunks per
 * thread, so that the last chunk (which one thread may finish while the other
 * idles) is short, but 16 to 64 wide (a multiple of 4, the tile width).
 * Measured at 512³ on two threads: chunks of 16 or 32 ran 8–10% faster than 64.
 */
function chunkLength(len: number, threads: number): number {
  return Math.min(64, Math.max(16, Math.ceil(len / (16 * threads) / 4) * 4));
}

const align8 = (x: number): number => (x + 7) & ~7;
const align64 = (x: number): number => (x + 63) & ~63;

/** Arrays shorter than this go through the one-thread σ: waking the workers costs more. */
const SIGMOID_SPLIT_MIN = 16384;

/**
 * Rows of α·op(A) or columns of op(B) per packing unit: a multiple of every
 * register tile's height and width (4×4, and 6×4 in the fused multiply–add
 * module), since a unit must start at a panel boundary.
 */
const PACK_WIDTH = 120;
/** Rows or columns of a packed shared operand are padded to a multiple of this (covers MR = 4 and 6, NR = 4). */
const TILE_PAD = 12;

/**
 * Output rows per chunk of the float32 pool's row split, which packs no shared
 * operand (each chunk packs its own f32 panels of both operands): chunks about
 * a third of each thread's share, at least 64 wide and a multiple of 8 (the
 * f32 tile width), so that the repeated packing of the other operand stays a
 * small part of the work.
 */
function chunkLength32(len: number, threads: number): number {
  return Math.max(64, Math.ceil(len / (3 * threads) / 8) * 8);
}

/** The pool's precision and fma options, checked (fma true only where relaxed SIMD runs it). */
function arithmeticOf(where: string, o: WasmPoolOptions): { precision: WasmPrecision; fma: boolean } {
  const precision = o.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32') {
    throw new RangeError(`${where}: options.precision must be 'float64' or 'float32' (got ${describeValue(precision)})`);
  }
  const fma = o.fma ?? false;
  if (typeof fma !== 'boolean') throw new TypeError(`${where}: options.fma must be a boolean (got ${describeValue(fma)})`);
  return { precision, fma: fma && hasRelaxedSimd() };
}

/**
 * The pool behind `createWasmPool` and {@link createWasmWorkerPool}, over any
 * way of starting workers. @internal
 */
export async function createPool(
  where: string,
  options: WasmPoolOptions,
  defaultThreads: number,
  spawn: SpawnPoolWorker,
): Promise<WasmPoolKernel> {
  const o = checkOptionsKeys(where, options, POOL_KEYS);
  const threads = o.threads === undefined ? Math.min(8, Math.max(1, defaultThreads)) : checkInt(where, 'options.threads', o.threads, 1, 64);
  const minWork = o.minParallelWork === undefined ? 1 << 18 : checkNonNegative(where, 'options.minParallelWork', o.minParallelWork);
  const { precision, fma } = arithmeticOf(where, o);
  if (!hasWasmSimd() || !hasSharedWasmMemory()) {
    // no threads possible: the best one-thread kernel there is (SIMD of the same arithmetic, else TS)
    return { ...(hasWasmSimd() ? fastKernelOf(precision, fma) : tsKernel), threads: 1, close: async () => {} };
  }
  const parts = prepare(await compileAsync(true, fma), threads);
  const workers: PoolWorkerHandle[] = [];
  try {
    for (let t = 1; t < threads; t++) workers.push(await spawn(parts.init(t)));
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  }
  // only now: an unref'd Node worker does not keep the event loop alive long enough to come online
  for (const w of workers) w.unref?.();
  return assemble(parts, threads, minWork, workers, false, precision === 'float32', fma);
}

/** The shared memory, control block and module instance of a pool about to start its workers. */
interface PoolParts {
  arena: Arena;
  ex: KernelExports;
  /** The gathered-row module over the same shared memory (null where it does not compile). */
  gx: GatherExports | null;
  I: Int32Array;
  F: Float64Array;
  /** What worker `t` (1 ≤ t < threads) receives. */
  init(t: number): PoolWorkerInit;
}

function prepare(mod: WebAssembly.Module, threads: number): PoolParts {
  const wsBytes = instantiate(mod, new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })).workspaceBytes();
  const arena = new Arena(true, threads, wsBytes);
  const ex = instantiate(mod, arena.memory);
  let gmod = gatherSharedModule();
  let gx: GatherExports | null = null;
  if (gmod !== null) {
    try {
      gx = new WebAssembly.Instance(gmod, { env: { mem: arena.memory } }).exports as unknown as GatherExports;
    } catch {
      gmod = null;
    }
  }
  const ctrl = new SharedArrayBuffer(64 * 4);
  const params = new SharedArrayBuffer(2 * 8);
  return {
    arena,
    ex,
    gx,
    I: new Int32Array(ctrl),
    F: new Float64Array(params),
    init: (t) => ({ mod, gmod, memory: arena.memory, ctrl, params, index: t, threads, ws: arena.workspaces[t] }),
  };
}

/** Starts one worker without waiting for it (it reports through the control block). @internal */
export type SpawnPoolWorkerSync = (init: PoolWorkerInit) => PoolWorkerHandle;

/**
 * A pool started synchronously, for the automatic threads of `withThreads`:
 * compiles the shared module synchronously, starts `threads - 1` workers and
 * blocks (`Atomics.wait`) until each has instantiated the module, at most
 * `timeoutMs`. With `exact`, every result equals the plain-TS kernel's bit for
 * bit (as the `'wasm-simd-exact'` kernel's). Returns undefined — never throws —
 * where threads cannot run (no SIMD or shared memory, a worker that fails to
 * start or does not start in time), having stopped what it started.
 * @internal
 */
export function createPoolSync(
  threads: number,
  minWork: number,
  spawn: SpawnPoolWorkerSync,
  exact: boolean,
  timeoutMs = 10_000,
): WasmPoolKernel | undefined {
  if (!hasWasmSimd() || !hasSharedWasmMemory()) return undefined;
  const workers: PoolWorkerHandle[] = [];
  try {
    const parts = prepare(compileSync(true), threads);
    const { I } = parts;
    for (let t = 1; t < threads; t++) workers.push(spawn(parts.init(t)));
    const deadline = Date.now() + timeoutMs;
    for (let r = Atomics.load(I, READY); r < threads - 1; r = Atomics.load(I, READY)) {
      const left = deadline - Date.now();
      if (Atomics.load(I, FAILED) !== 0 || left <= 0) throw new Error('wasm pool: a worker did not start');
      Atomics.wait(I, READY, r, left);
    }
    for (const w of workers) w.unref?.();
    return assemble(parts, threads, minWork, workers, exact);
  } catch {
    for (const w of workers) w.terminate();
    return undefined;
  }
}

/**
 * The kernel over a started pool. `f32`: dense products through the float32
 * GEMM; `fma`: the parts were prepared from the fused multiply–add module
 * (only the name tells; neither goes with `exact`).
 */
function assemble(
  parts: PoolParts,
  threads: number,
  minWork: number,
  workers: PoolWorkerHandle[],
  exact: boolean,
  f32 = false,
  fma = false,
): WasmPoolKernel {
  const { arena, ex, gx, I, F } = parts;
  const denseOne = f32 ? ex.gemm32 : ex.gemm;
  I[24] = f32 ? 1 : 0; // runSlice reads it: the dense GEMM of every slice
  let closed = false;
  const lay = new Int32Array(3);
  const level2 = sharedKernel(exact);

  const gemm: Kernel['gemm'] = (...args) => run(false, ...args);
  const gemmSparseA: NonNullable<Kernel['gemmSparseA']> = (...args) => run(true, ...args);
  const KC = ex.blockK();

  /**
   * Arrays kept in shared memory during a {@link Kernel.resident} scope, each at a
   * fixed offset after `arena.operands` (the products' own operands are laid out
   * after them, from `opBase`). `loaded`: the memory holds the array's current
   * values; `dirty`: the memory is newer than the array (copied back at the end
   * of the scope, or before anything reads the array outside the products).
   * A constant also keeps op(B) as gemmCsr's 8-column strips, made by the first
   * gathered product that reads it — one room for op(B) = B (`packS`), one for
   * op(B) = Bᵀ (`packT`), since a CD step alternates v·W and h·Wᵀ — valid while
   * the slot is not written.
   */
  interface Slot {
    arr: Float64Array;
    off: number;
    loaded: boolean;
    dirty: boolean;
    /** Byte offsets of the rooms for the strips of B and of Bᵀ (constants only), else −1. */
    stripOff: [number, number];
    /** Which strips each room holds, as `k,n,ldb`, or '' when none. */
    stripKey: [string, string];
    /** Bytes of each room. */
    room: number;
  }
  let slots: Slot[] = [];
  let opBase = arena.operands;
  const slotOf = (x: Float64Array): Slot | undefined => {
    for (let i = 0; i < slots.length; i++) if (slots[i].arr === x) return slots[i];
    return undefined;
  };
  /**
   * Where operand `x` (its first `n` elements) is in memory for a product: its slot
   * (copied in once, when its values are needed and not there yet), else `dflt`
   * (copied there when `need`). `need` false means the product overwrites all `n`.
   */
  function place(x: Float64Array, n: number, dflt: number, need: boolean): number {
    const sl = slots.length === 0 ? undefined : slotOf(x);
    if (sl === undefined) {
      if (need) arena.put(x, n, dflt);
      return dflt;
    }
    if (!sl.loaded && (need || n < x.length)) {
      arena.put(x, x.length, sl.off);
      sl.loaded = true;
    }
    return sl.off;
  }
  /** After a product wrote `n` elements of `c` at `off`: into `c`, or left in its slot (now newer than `c`). */
  function done(c: Float64Array, n: number, off: number): void {
    const sl = slots.length === 0 ? undefined : slotOf(c);
    if (sl === undefined) {
      arena.get(c, n, off);
      return;
    }
    sl.loaded = true;
    sl.dirty = true;
    sl.stripKey = ['', ''];
  }
  /** Before code that reads or writes these arrays outside shared memory: copies slots back; `written` ones are dropped. */
  function sync(read: readonly Float64Array[], written?: Float64Array): void {
    if (slots.length === 0) return;
    for (const x of read) {
      const sl = slotOf(x);
      if (sl?.dirty) {
        arena.get(x, x.length, sl.off);
        sl.dirty = false;
      }
    }
    if (written !== undefined) {
      const sl = slotOf(written);
      if (sl !== undefined) {
        if (sl.dirty) arena.get(written, written.length, sl.off);
        sl.dirty = false;
        sl.loaded = false;
        sl.stripKey = ['', ''];
      }
    }
  }

  /** {@link Kernel.resident}: lays the arrays out after `arena.operands`, runs `fn`, copies the accumulators back. */
  function resident<T>(constant: readonly Float64Array[], accumulators: readonly Float64Array[], fn: () => T): T {
    if (closed || slots.length > 0) return fn(); // no nesting: the outer scope's promises stand
    const list: Slot[] = [];
    let off = arena.operands;
    const add = (arr: Float64Array, constant: boolean): void => {
      if (list.some((x) => x.arr === arr)) return;
      const sl: Slot = { arr, off, loaded: false, dirty: false, stripOff: [-1, -1], stripKey: ['', ''], room: 0 };
      off = align64(off + arr.length * 8);
      if (constant) {
        // strips pad op(B)'s last 8 columns: an eighth more room keeps any op(B) at least 56 wide
        sl.room = align64(arr.length * 9);
        sl.stripOff = [off, off + sl.room];
        off += 2 * sl.room;
      }
      list.push(sl);
    };
    for (const a of constant) add(a, true);
    for (const a of accumulators) add(a, false);
    // leave the products most of the memory: no residency for very large arrays
    if (list.length === 0 || off > (MAX_PAGES * PAGE) / 4) return fn();
    arena.ensure(off);
    slots = list;
    opBase = off;
    try {
      return fn();
    } finally {
      for (const sl of list) if (sl.dirty) arena.get(sl.arr, sl.arr.length, sl.off);
      slots = [];
      opBase = arena.operands;
    }
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
      sync([a, b], c);
      if (sparseA) sparseGemm(tsKernel, exact ? exactSparseMaxDensity() : SPARSE_MAX_DENSITY, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else tsKernel.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    if (sparseA && gx !== null && gatheredSplit(gx, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
    if (sparseA && exact && (k > ex.gatherMaxK() || n > ex.gatherMaxN())) {
      // as the TS kernel: gathered rows in TS up to its density, else the dense product here
      sync([a, b], c);
      sparseGemm(kernel, exactSparseMaxDensity(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const sA = transA ? span(k, m, lda) : span(m, k, lda);
    const sB = transB ? span(n, k, ldb) : span(k, n, ldb);
    const sC = span(m, n, ldc);
    const end = gemmLayout(opBase, sA, sB, sC, lay);
    // Beyond WebAssembly's memory (MAX_PAGES pages, 2 GiB), with room for a packed shared operand:
    // the product runs on the TypeScript kernel instead (one thread; rounding as that kernel's).
    if (end + k * (Math.ceil(Math.max(m, n) / TILE_PAD) * TILE_PAD * 8) > MAX_PAGES * PAGE) {
      sync([a, b], c);
      if (sparseA) sparseGemm(tsKernel, exact ? exactSparseMaxDensity() : SPARSE_MAX_DENSITY, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else tsKernel.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    arena.ensure(end);
    const pa = place(a, sA, lay[0], true), pb = place(b, sB, lay[1], true);
    const pc = place(c, sC, lay[2], beta !== 0 || ldc !== n);
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    const gather =
      sparseA &&
      k <= ex.gatherMaxK() &&
      n <= ex.gatherMaxN() &&
      ex.nnz(transA ? k : m, transA ? m : k, pa, lda) <= (exact ? exactSparseMaxDensity() : (transB ? 0.4 : 1) * SPARSE_MAX_DENSITY) * m * k;
    // the gathered path does ~density × the dense work: split it only when that is large
    const work = gather ? (m * n * k) / 8 : m * n * k; // not >> 3: m·n·k may exceed 2³¹
    if (threads === 1 || work < minWork) {
      const ws = arena.workspaces[0];
      if (gather) ex.gemmGather(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ws);
      else denseOne(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ws);
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
      // Both split modes pack the shared operand once: wide products (n ≥ m) share α·op(A) and
      // split columns, tall ones share op(B) and split rows. The gathered product splits rows.
      const byCols = !gather && n >= m;
      const shared = byCols ? m : n;
      // the float32 row split packs its own f32 panels: no shared packed operand there
      const sharePacked = !gather && (!f32 || byCols);
      // room after the operands for the shared packed operand: k × shared rounded up to the tiles
      if (sharePacked) arena.ensure(end + k * Math.ceil(shared / TILE_PAD) * TILE_PAD * 8);
      I[J + 11] = byCols ? 1 : 0;
      // gathered rows need no packing, so their chunks can be small: about 8 per thread
      I[J + 12] = gather
        ? Math.max(1, Math.ceil(m / (32 * threads))) * 4
        : f32 && !byCols
          ? chunkLength32(m, threads)
          : chunkLength(byCols ? n : m, threads);
      I[J + 13] = 0; // next chunk
      I[J + 14] = sharePacked ? end : 0;
      I[J + 15] = 0; // next packing unit
      I[J + 16] = 0; // packing units done
      I[J + 17] = Math.ceil(k / KC) * Math.ceil(shared / PACK_WIDTH);
      I[J + 18] = PACK_WIDTH;
      I[J + 19] = KC;
      F[0] = alpha;
      F[1] = beta;
      dispatch(gather ? OP_GATHER : OP_GEMM);
    }
    done(c, sC, pc);
  }

  /**
   * gemmSparseA through the gathered-row module, as the one-thread kernel's
   * `gathered` (same density limit, same summation order, so the same bits):
   * the calling thread copies the operands in and gathers op(A)'s non-zeros;
   * then every thread sums slices of C's columns (chunks claimed from the atomic
   * counter), each first packing its slice of op(B) into 8-column strips where
   * it is transposed or a resident constant (whose strips are made once and
   * kept). Returns false — nothing
   * done — above the density limit or beyond the memory limit: the caller then
   * runs the dense product.
   */
  function gatheredSplit(
    g: GatherExports,
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
  ): boolean {
    const sA = transA ? span(k, m, lda) : span(m, k, lda);
    const sB = transB ? span(n, k, ldb) : span(k, n, ldb);
    const sC = span(m, n, ldc);
    const end = gemmLayout(opBase, sA, sB, sC, lay);
    const limit = Math.floor((exact ? exactSparseMaxDensity() : SPARSE_MAX_DENSITY) * m * k);
    const cap = Math.min(m * k, limit + k);
    const rowStart = align8(Math.max(end, lay[2] + sC * 8));
    const offs = align8(rowStart + (m + 1) * 4);
    const vals = align8(offs + cap * 4);
    const packed = (vals + cap * 8 + 63) & ~63;
    // float64 sums op(B) as 8-column strips (gemmCsr's fastest form: 0.74–0.79× the time of
    // summing op(B)'s rows on the RBM shapes) when op(B) = Bᵀ, which has to be packed anyway, and
    // when B is a resident constant, whose strips are packed once for the products after this one
    // (packing op(B) for one product alone cost about what it saved); else its rows where they are.
    // A resident constant keeps both forms in rooms of its own. The float32 pool rounds op(B) into
    // float32 strips of 16 columns at `packed` at every product.
    const stripBytes = Math.ceil(n / 8) * k * 64;
    const sl = f32 || slots.length === 0 ? undefined : slotOf(b);
    const kept = sl !== undefined && sl.room >= stripBytes && !sl.dirty ? sl : undefined;
    const strips = !f32 && (transB || kept !== undefined);
    const total = f32 ? packed + Math.ceil(n / 16) * k * 64 : strips && kept === undefined ? packed + stripBytes : packed;
    if (total > MAX_PAGES * PAGE) return false;
    arena.ensure(total);
    const pa = place(a, sA, lay[0], true);
    const nnz = g.csr(transA ? 1 : 0, m, k, pa, lda, limit, f32 || strips ? 64 : ldb * 8, rowStart, offs, vals);
    if (nnz < 0) return false;
    const pb = place(b, sB, lay[1], true);
    const pc = place(c, sC, lay[2], beta !== 0 || ldc !== n);
    // op(B)'s rows or strips at bRows; when packFrom ≥ 0 each chunk first packs its strips there
    // from B at packFrom (float32: rounds its columns of op(B) into the copy at bRows)
    let bRows = pb;
    let packFrom = -1;
    const form = transB ? 1 : 0;
    const key = `${k},${n},${ldb}`;
    if (f32 || (strips && kept === undefined)) {
      packFrom = pb;
      bRows = packed;
    } else if (kept !== undefined) {
      if (kept.stripKey[form] !== key) packFrom = pb;
      bRows = kept.stripOff[form];
    }
    const ones = g.allOnes();
    // the gathered sums do nnz·n additions: split them only when that is large (else this thread
    // runs the same job alone, as one chunk of all n columns)
    const split = threads > 1 && nnz * n >= minWork && n >= 16;
    I[J + 1] = transB ? 1 : 0;
    I[J + 2] = m;
    I[J + 3] = n;
    I[J + 5] = rowStart;
    I[J + 6] = offs;
    I[J + 7] = bRows;
    I[J + 8] = vals;
    I[J + 9] = pc;
    I[J + 10] = ldc;
    I[J + 11] = ones;
    // 8-aligned column chunks (16 for float32's tiles), about 4 per thread: few enough calls, short enough tails
    const align = f32 ? 16 : 8;
    I[J + 12] = split ? Math.max(align, Math.ceil(n / (4 * threads) / align) * align) : n;
    I[J + 13] = 0; // next chunk
    I[J + 14] = packFrom; // each chunk packs (or rounds) its own columns of op(B) first (−1: nothing to)
    I[J + 15] = ldb;
    I[J + 16] = k;
    I[J + 17] = strips ? 1 : 0;
    F[0] = alpha;
    F[1] = beta;
    if (split) dispatch(OP_CSR);
    else {
      I[OP] = OP_CSR;
      runSlice(ex, g, I, F, arena.workspaces[0]);
    }
    // every chunk has run, so the whole of the strips is in place for the products after this one
    if (kept !== undefined) kept.stripKey[form] = key;
    done(c, sC, pc);
    return true;
  }

  /**
   * `x[i] ← σ(x[i])` for `i < n` on all threads (the gather module's SIMD sigmoid over
   * chunks of the array; the lanes it leaves — |x| ≥ 700, NaN, an odd last element —
   * through the TS `sigmoid` afterwards): elementwise, so the bits are those of
   * `sigmoid`. Returns false — nothing done — where the pool has no gather module, one
   * thread, or `n` is too small to be worth splitting.
   */
  function sigmoidSplit(x: Float64Array, n: number): boolean {
    sync([], x);
    if (closed || gx === null || threads === 1 || n < SIGMOID_SPLIT_MIN) return false;
    const chunk = Math.max(2048, Math.ceil(n / SIG_MAX_CHUNKS / 2) * 2);
    const px = opBase;
    // beyond the shared memory (checked before the offsets, which are 32-bit): one thread
    if (px + n * 12 + 8 > MAX_PAGES * PAGE) return false;
    const list = align8(px + n * 8);
    arena.ensure(list + n * 4);
    arena.put(x, n, px);
    I[J + 3] = n;
    I[J + 5] = px;
    I[J + 6] = list;
    I[J + 12] = chunk;
    I[J + 13] = 0; // next chunk
    I[J + 14] = 0;
    dispatch(OP_SIGMOID);
    arena.get(x, n, px);
    // the rare lanes left to TS (|x| ≥ 700, NaN, an odd last element): a view of the lists only when there are some
    let lists: Int32Array | undefined;
    for (let c = 0, i0 = 0; i0 < n; c++, i0 += chunk) {
      const count = I[SIG_COUNTS + c], at = (list >> 2) + i0;
      if (count > 0) lists ??= new Int32Array(arena.memory.buffer);
      for (let t = 0; t < count; t++) {
        const i = i0 + (lists as Int32Array)[at + t];
        x[i] = sigmoid(x[i]);
      }
    }
    return true;
  }

  /**
   * `out[r] = softplusSum(x, r·n, n, scale)` for `r < rows` on all threads: chunks of rows through
   * the gather module's softplusRows (each row's terms in its own lane, in softplusSum's order, so
   * how the rows are chunked or paired changes no bit), the logarithms here as the one-thread
   * `softplusSums` takes them, and the rows it leaves (a term |scale·x| ≥ 700 or NaN) through the
   * TS `softplusSum`. False — nothing done — where the pool has no gather module, one thread, or
   * too few values to be worth splitting.
   */
  function softplusSplit(out: Float64Array, x: Float64Array, rows: number, n: number, scale: number): boolean {
    sync([x], out);
    if (closed || gx === null || threads === 1 || rows < 4 || rows * n < SIGMOID_SPLIT_MIN) return false;
    const chunk = Math.max(2, Math.ceil(rows / SIG_MAX_CHUNKS / 2) * 2);
    const nb = (n >>> 9) + 1;
    const px = opBase;
    // beyond the shared memory (checked before the offsets, which are 32-bit): one thread
    if (px + rows * (n + nb + 1) * 8 + rows * 4 + 32 > MAX_PAGES * PAGE) return false;
    const res = align8(px + rows * n * 8);
    const list = align8(res + rows * (nb + 1) * 8);
    arena.ensure(list + rows * 4 + 8); // an odd last chunk may list its last row twice
    arena.put(x, rows * n, px);
    I[J + 2] = rows;
    I[J + 3] = n;
    I[J + 5] = px;
    I[J + 6] = res;
    I[J + 7] = list;
    I[J + 12] = chunk;
    I[J + 13] = 0; // next chunk
    F[0] = scale;
    dispatch(OP_SOFTPLUS);
    finishSoftplusSums(out, arena.f64, res / 8, rows, n);
    let lists: Int32Array | undefined;
    for (let c = 0, r0 = 0; r0 < rows; c++, r0 += chunk) {
      const count = I[SIG_COUNTS + c];
      if (count > 0) lists ??= new Int32Array(arena.memory.buffer);
      for (let t = 0; t < count; t++) {
        const r = r0 + (lists as Int32Array)[(list >> 2) + r0 + t];
        out[r] = softplusSum(x, r * n, n, scale);
      }
    }
    return true;
  }

  /** Wakes the workers on the job in the control block, works alongside them, waits for them. */
  function dispatch(op: number): void {
    I[OP] = op;
    I[ERR] = 0;
    Atomics.store(I, DONE, 0);
    Atomics.add(I, GEN, 1);
    Atomics.notify(I, GEN);
    let failure: unknown;
    try {
      runSlice(ex, gx, I, F, arena.workspaces[0]);
    } catch (e) {
      failure = e ?? new Error('wasm pool: the calling thread failed');
      Atomics.store(I, ERR, 1);
    }
    for (let s = 0; s < SPIN && Atomics.load(I, DONE) < threads - 1; s++);
    for (let d = Atomics.load(I, DONE); d < threads - 1; d = Atomics.load(I, DONE)) Atomics.wait(I, DONE, d);
    if (failure !== undefined) throw failure;
    if (I[ERR] !== 0) throw new Error('wasm pool: a worker failed while computing its slice');
  }

  const kernel: WasmPoolKernel = {
    name: exact ? 'wasm-simd-threads-exact' : `wasm-simd-threads${f32 ? '-f32' : ''}${fma ? '-fma' : ''}`,
    threads,
    splitsGatheredRows: gx !== null && threads > 1,
    sigmoidInPlace: sigmoidSplit,
    softplusSums: softplusSplit,
    gemm,
    // memory-bound: one thread, through the one-thread SIMD kernel (on the arrays themselves)
    gemv: (trans, m, n, alpha, a, lda, x, beta, y) => {
      sync([a, x], y);
      level2.gemv(trans, m, n, alpha, a, lda, x, beta, y);
    },
    ger: (m, n, alpha, x, y, a, lda) => {
      sync([x, y], a);
      level2.ger(m, n, alpha, x, y, a, lda);
    },
    resident,
    gemmSparseA,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      POOLS_TO_RECLAIM?.unregister(kernel);
      await stopWorkers({ I, workers });
    },
  };
  POOLS_TO_RECLAIM?.register(kernel, { I, workers }, kernel);
  return kernel;
}

/** Tells a pool's workers to exit and terminates them. */
function stopWorkers(p: { I: Int32Array; workers: PoolWorkerHandle[] }): Promise<unknown> {
  p.I[OP] = OP_EXIT;
  Atomics.add(p.I, GEN, 1);
  Atomics.notify(p.I, GEN);
  return Promise.all(p.workers.map((w) => w.terminate()));
}

/**
 * Pools that are never closed are reclaimed: once the kernel object is garbage
 * (no `setKernel` holds it, no reference is left), its workers are stopped.
 * The held value holds the workers and control block only, never the kernel.
 */
const POOLS_TO_RECLAIM =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ I: Int32Array; workers: PoolWorkerHandle[] }>((p) => {
        stopWorkers(p).catch(() => {});
      })
    : undefined;

/**
 * The worker pool for browsers: the WebAssembly SIMD kernel on several Web
 * Workers over shared memory, as a {@link Kernel} for `setKernel`. Same
 * splitting and bit-identical results as Node's `createWasmPool`.
 *
 * Where it can run: the kernel seam is synchronous, so the calling thread
 * blocks in `Atomics.wait`, which browsers forbid on a page's main thread —
 * create and use the pool **inside a dedicated Web Worker** (run the training
 * loop there). Shared memory also needs a cross-origin-isolated page (headers
 * `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`). Workers start from a Blob URL,
 * so nothing is fetched. Without shared memory it resolves to the one-thread
 * SIMD kernel (or the TS kernel without SIMD), with `threads: 1`.
 *
 * @param options - thread count and the size below which work is not split
 * @returns the `'wasm-simd-threads'` kernel
 * @throws {RangeError} when `threads` is not an integer in [1, 64]
 * @throws {Error} on a thread that may not block (a page's main thread)
 * @example
 * ```ts
 * // runs in a browser
 * // inside a dedicated Web Worker of a cross-origin-isolated page
 * import { setKernel } from 'boltzmann';
 * import { createWasmWorkerPool } from 'boltzmann/base';
 * const pool = await createWasmWorkerPool({ threads: 2 });
 * setKernel(pool);
 * ```
 * @category Linear algebra
 */
export async function createWasmWorkerPool(options: WasmPoolOptions = {}): Promise<WasmPoolKernel> {
  const where = 'createWasmWorkerPool';
  if (hasSharedWasmMemory()) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    } catch {
      throw new Error(`${where}: this thread may not block in Atomics.wait (a browser page's main thread); create the pool inside a dedicated Web Worker`);
    }
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const source = webWorkerSource();
  return createPool(where, options, nav?.hardwareConcurrency ?? 2, (init) => {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const w = new Worker(url);
    return new Promise<PoolWorkerHandle>((resolve, reject) => {
      w.onmessage = () => {
        URL.revokeObjectURL(url);
        w.onmessage = null;
        resolve(w);
      };
      w.onerror = (e) => {
        URL.revokeObjectURL(url);
        reject(new Error(`${where}: a worker failed to start: ${e.message}`));
      };
      w.postMessage(init);
    });
  });
}
