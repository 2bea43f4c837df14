/**
 * The automatic kernels behind `getKernel` and `withThreads`: the bit-exact
 * WebAssembly SIMD kernel (compiled on first use), and in Node a worker pool
 * per thread count, started synchronously on the first product large enough
 * to share and stopped after a while unused. No Node import: the pool's
 * workers come from `process.getBuiltinModule('node:worker_threads')` where
 * the runtime has it (Node ≥ 20.16, 22.3), and there are none elsewhere.
 * Internal: the public seam is `kernel.ts`.
 * @module
 * @internal
 */
import type { Kernel } from '../kernel.js';
import { compileAsync, hasWasmSimd } from './core.js';
import { createPoolSync, nodeWorkerSource, type PoolWorkerHandle, type WasmPoolKernel } from './pool.js';
import { type GatheringKernel, sharedKernel, sharedKernelFrom } from './simd-kernel.js';

/**
 * The bit-exact SIMD kernel compiled synchronously, or undefined where
 * WebAssembly SIMD is missing (`'unsupported'`) or the engine refuses to
 * compile synchronously (`'refused'`: a browser page's main thread).
 * @category Linear algebra
 */
export function exactKernelSync(): Kernel | 'unsupported' | 'refused' {
  if (!hasWasmSimd()) return 'unsupported';
  try {
    return sharedKernel(true);
  } catch {
    return 'refused';
  }
}

/** The bit-exact SIMD kernel compiled asynchronously; undefined where compilation fails (e.g. a content security policy).
 * @category Linear algebra
 */
export async function exactKernelAsync(): Promise<Kernel | undefined> {
  try {
    return sharedKernelFrom(await compileAsync(false), true);
  } catch {
    return undefined;
  }
}

interface NodeWorker extends PoolWorkerHandle {
  unref(): void;
}
interface NodeBuiltins {
  Worker?: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
  availableParallelism?: () => number;
}
type GetBuiltinModule = (id: string) => unknown;

/** `process.getBuiltinModule(id)` where the runtime has it (Node ≥ 20.16), without importing anything. */
function builtin(id: string): NodeBuiltins | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
    return proc?.getBuiltinModule?.(id) as NodeBuiltins | undefined;
  } catch {
    return undefined;
  }
}

/** Most threads the automatic rule uses.
 * @category Linear algebra
 */
export const AUTO_MAX_THREADS = 4;

/**
 * Threads when `withThreads` is given none: `min(os.availableParallelism(), 4)`
 * in Node, 1 where worker threads cannot be started this way.
 * @category Linear algebra
 */
export function automaticThreads(): number {
  const os = builtin('node:os');
  if (!os?.availableParallelism || !builtin('node:worker_threads')?.Worker) return 1;
  try {
    return Math.max(1, Math.min(AUTO_MAX_THREADS, Math.floor(os.availableParallelism())));
  } catch {
    return 1;
  }
}

/** Products this large (m·n·k multiply–adds) start the automatic pool when no thread count was given: 2²².
 * @category Linear algebra
 */
export const AUTO_START_WORK = 1 << 22;
/** Products this large start the pool when a thread count was given, and are split once it runs: 2¹⁸ (the pool's default).
 * @category Linear algebra
 */
export const SPLIT_WORK = 1 << 18;
/** A pool unused this long (milliseconds) is stopped; the next large product starts a new one.
 * @category Linear algebra
 */
export const POOL_IDLE_MS = 10_000;

interface PoolSlot {
  pool: WasmPoolKernel | undefined;
  /** Set once starting failed: this thread count then runs on one thread for the life of the process. */
  failed: boolean;
  lastUse: number;
  timer: unknown;
}

const slots = new Map<number, PoolSlot>();

function slotFor(threads: number): PoolSlot {
  let slot = slots.get(threads);
  if (!slot) {
    slot = { pool: undefined, failed: false, lastUse: 0, timer: undefined };
    slots.set(threads, slot);
  }
  return slot;
}

type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
};

/** Stops the pool of `slot` once it has been idle for POOL_IDLE_MS (checked by an unref'd timer). */
function scheduleReclaim(slot: PoolSlot): void {
  if (slot.timer !== undefined) return;
  const check = (): void => {
    slot.timer = undefined;
    const pool = slot.pool;
    if (!pool) return;
    const idle = Date.now() - slot.lastUse;
    if (idle >= POOL_IDLE_MS) {
      slot.pool = undefined;
      void pool.close();
    } else {
      arm(POOL_IDLE_MS - idle);
    }
  };
  const arm = (ms: number): void => {
    const t = (globalThis as unknown as Timers).setTimeout(check, ms);
    (t as { unref?: () => void }).unref?.();
    slot.timer = t;
  };
  arm(POOL_IDLE_MS);
}

/** The running pool of `threads` threads, started now if needed; undefined where it cannot start. */
function poolFor(threads: number): WasmPoolKernel | undefined {
  const slot = slotFor(threads);
  if (slot.pool) {
    slot.lastUse = Date.now();
    return slot.pool;
  }
  if (slot.failed) return undefined;
  const Worker = builtin('node:worker_threads')?.Worker;
  const source = nodeWorkerSource(true);
  const pool = Worker
    ? createPoolSync(threads, SPLIT_WORK, (workerData) => new Worker(source, { eval: true, workerData }), true)
    : undefined;
  if (!pool) {
    slot.failed = true;
    return undefined;
  }
  slot.pool = pool;
  slot.lastUse = Date.now();
  scheduleReclaim(slot);
  return pool;
}

const threadKernels = new Map<string, Kernel>();

/**
 * The automatic kernel for `threads` threads: the bit-exact one-thread kernel
 * `single` for every product until one has at least `startWork`
 * multiply–adds, then a worker pool of `threads` threads (bit-exact too) for
 * every GEMM; GEMV and GER stay on `single`. The pool is started then (some
 * tens of milliseconds), stopped after POOL_IDLE_MS unused, and started again
 * when needed. Where it cannot start, `single` runs everything. Cached per
 * (threads, startWork).
 * @category Linear algebra
 */
export function threadedKernel(threads: number, startWork: number, single: Kernel): Kernel {
  const key = `${threads}:${startWork}`;
  const cached = threadKernels.get(key);
  if (cached) return cached;
  const slot = slotFor(threads);
  const pick = (m: number, n: number, k: number): Kernel => {
    if (slot.pool) {
      slot.lastUse = Date.now();
      return slot.pool;
    }
    if (slot.failed || m * n * k < startWork) return single;
    return poolFor(threads) ?? single;
  };
  const kernel: Kernel = {
    name: 'wasm-simd-threads-exact',
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      pick(m, n, k).gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    },
    gemmSparseA(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      const kern = pick(m, n, k);
      // the pool sums gathered rows on all its threads where its gather module compiled; otherwise
      // gathered rows on this thread, dense products on the pool (the same bits either way)
      const gathering = (single as Partial<GatheringKernel>).gemmSparseAOr;
      if (kern !== single && (kern as WasmPoolKernel).splitsGatheredRows) kern.gemmSparseA?.(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else if (kern !== single && gathering) gathering(kern.gemm, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      else if (kern.gemmSparseA) kern.gemmSparseA(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    },
    // σ on the pool's threads only while it runs (a σ alone never starts one)
    sigmoidInPlace: (x, n) => slot.pool?.sigmoidInPlace?.(x, n) ?? false,
    softplusSums: (out, x, rows, n, scale) => slot.pool?.softplusSums?.(out, x, rows, n, scale) ?? false,
    // inside a resident scope of the pool, GEMV and GER go through it (it copies its arrays back first)
    gemv(trans, m, n, alpha, a, lda, x, beta, y) {
      (residentPool ?? single).gemv(trans, m, n, alpha, a, lda, x, beta, y);
    },
    ger(m, n, alpha, x, y, a, lda) {
      (residentPool ?? single).ger(m, n, alpha, x, y, a, lda);
    },
    // the pool's resident scope while the pool runs and sums gathered rows itself (every product of
    // the scope then reaches the pool: it stays up while in use); otherwise no residency
    resident(constant, accumulators, fn) {
      const pool = slot.pool;
      if (residentPool !== undefined || pool === undefined || !pool.splitsGatheredRows || !pool.resident) return fn();
      slot.lastUse = Date.now();
      residentPool = pool;
      try {
        return pool.resident(constant, accumulators, fn);
      } finally {
        residentPool = undefined;
      }
    },
  };
  let residentPool: WasmPoolKernel | undefined;
  threadKernels.set(key, kernel);
  return kernel;
}

/** Threads of the pool now running for `threads`, or 0 when none runs (tests). @internal */
export function runningPoolThreads(threads: number): number {
  return slots.get(threads)?.pool?.threads ?? 0;
}
