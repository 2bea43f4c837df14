/**
 * The kernel seam: the one interface through which every model reaches dense
 * linear algebra. All routines here are *unchecked*: they trust their
 * arguments, allocate nothing, and are meant for hot loops. The checked public
 * functions (`gemm`, `gemv`, `ger`, … in `blas.ts`) validate once and then
 * call the active kernel.
 *
 * The WebAssembly SIMD kernel is chosen automatically on first use where the
 * platform has it ({@link getKernel}, {@link ready}), worker threads inside
 * {@link withThreads}; any backend implementing {@link Kernel} can be
 * installed with {@link setKernel}; models never change.
 *
 * Conventions: row-major storage, leading dimension = row stride in elements.
 * @module
 */
import { describeValue } from '../errors.js';
import { sparseGemm } from './sparse.js';
import { tsKernel } from './ts-kernel.js';
import { AUTO_START_WORK, automaticThreads, exactKernelAsync, exactKernelSync, SPLIT_WORK, threadedKernel } from './wasm/auto.js';

/**
 * Unchecked dense linear-algebra routines over row-major `Float64Array`s.
 * Implementations must give results that do not depend on scheduling (fixed
 * reduction order), so the same inputs give the same bits every run.
 * @category Linear algebra
 */
export interface Kernel {
  /** Short backend name, e.g. `'ts'`, `'wasm-simd'`. */
  readonly name: string;
  /**
   * `C ← α·op(A)·op(B) + β·C`, with `op(X) = Xᵀ` when the flag is set.
   * `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. When `β = 0`, `C`
   * is overwritten (NaNs in `C` do not propagate), as in BLAS.
   */
  gemm(
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
  ): void;
  /**
   * `y ← α·op(A)·x + β·y`; `A` is `m × n` (before `op`). When `β = 0`, `y` is overwritten.
   */
  gemv(
    trans: boolean,
    m: number,
    n: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    x: Float64Array,
    beta: number,
    y: Float64Array,
  ): void;
  /** Rank-1 update `A ← A + α·x·yᵀ`; `A` is `m × n`. */
  ger(m: number, n: number, alpha: number, x: Float64Array, y: Float64Array, a: Float64Array, lda: number): void;
  /**
   * Optional: {@link Kernel.gemm} for an `op(A)` that is likely mostly zeros — a
   * 0/1 data matrix or a sampled binary state. The backend measures the density
   * and either sums gathered rows of `op(B)` (skipping zeros) or runs the dense
   * product, whichever it expects to be faster; either way the result equals
   * the dense product within rounding. Callers use {@link gemmSparseA}, which
   * falls back to a generic implementation for kernels without this method.
   */
  gemmSparseA?(
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
  ): void;
  /**
   * `x[i] ← σ(x[i])` for `i < n` with the bits of `sigmoid` (`stable.ts`), on
   * this kernel's threads; returns false when it did nothing (the caller then
   * runs the one-thread σ). Optional; the worker pools have it. @internal
   */
  sigmoidInPlace?(x: Float64Array, n: number): boolean;
  /**
   * `out[r] = softplusSum(x, r·n, n, scale)` for `r < rows` with the bits of
   * `softplusSum` (`stable.ts`), on this kernel's threads; returns false when it
   * did nothing (the caller then sums on one thread). Optional; the worker pools
   * have it. @internal
   */
  softplusSums?(out: Float64Array, x: Float64Array, rows: number, n: number, scale: number): boolean;
  /**
   * Runs `fn` with `constant` promised unchanged and `accumulators` promised not
   * to be read or written except through this kernel's routines until `fn`
   * returns. The kernel may then keep one copy of each in its own memory for
   * all the products `fn` runs (an operand or output is recognised by identity,
   * starting at its index 0): a constant is copied in once, and a product whose
   * `C` is an accumulator leaves its result there, copied back once when `fn`
   * returns (or throws). The results are those of the plain calls, bit for bit.
   * Optional (the worker pools have it; see {@link withResident}). @internal
   */
  resident?<T>(constant: readonly Float64Array[], accumulators: readonly Float64Array[], fn: () => T): T;
}

/** Installed with setKernel: wins over every automatic choice. */
let explicit: Kernel | undefined;
/** The automatic one-thread kernel, chosen on first use. */
let automatic: Kernel | undefined;
/** The kernel withThreads chose for the work it runs. */
let scoped: Kernel | undefined;
/** explicit ?? scoped ?? automatic, resolved on first use after each change. */
let active: Kernel | undefined;
/** Settles when the automatic kernel is final (the asynchronous compile on a browser's main thread). */
let settled: Promise<void> | undefined;
/** The TS kernel under another identity: the automatic kernel while the SIMD one compiles. */
const tsWhileCompiling: Kernel = { ...tsKernel };
/** Kernels chosen automatically: passing one back to setKernel restores the automatic choice. */
const automaticKernels = new WeakSet<Kernel>([tsWhileCompiling]);

/** The automatic one-thread kernel: the bit-exact SIMD kernel where it compiles, else TS (for now, or for good). */
function automaticKernel(): Kernel {
  if (automatic) return automatic;
  const sync = exactKernelSync();
  if (sync === 'unsupported') {
    automatic = tsKernel;
  } else if (sync === 'refused') {
    // a browser's main thread: TS until the asynchronous compile is done (same bits either way)
    automatic = tsWhileCompiling;
    settled = exactKernelAsync().then((kernel) => {
      if (!kernel) return;
      automaticKernels.add(kernel);
      automatic = kernel;
      active = undefined;
    });
  } else {
    automaticKernels.add(sync);
    automatic = sync;
  }
  return automatic;
}

function resolveActive(): Kernel {
  active = explicit ?? scoped ?? automaticKernel();
  return active;
}

/**
 * `fn()` with the active kernel told that `constant` does not change and that
 * `accumulators` are touched only by its products until `fn` returns
 * ({@link Kernel.resident}): a kernel with its own memory then copies each in
 * or out once instead of at every product. The same results, bit for bit;
 * kernels without the hook just run `fn`. @internal
 */
export function withResident<T>(constant: readonly Float64Array[], accumulators: readonly Float64Array[], fn: () => T): T {
  const kern = active ?? resolveActive();
  return kern.resident && residentProducts.enabled ? kern.resident(constant, accumulators, fn) : fn();
}

/** Switch of {@link withResident} (internal; benches toggle it to measure what it saves). @internal */
export const residentProducts = { enabled: true };

/**
 * Unchecked `C ← α·op(A)·op(B) + β·C` for an `op(A)` known to be mostly zeros
 * (0/1 data, sampled binary states): the active kernel's
 * {@link Kernel.gemmSparseA} where it has one, otherwise gathered row sums
 * below 30% non-zeros and its dense `gemm` above. Use it in hot loops exactly
 * like `getKernel().gemm(...)` (same arguments) wherever the left operand is
 * binary; the choice between sparse and dense is made per call by density.
 *
 * @param transA - use `Aᵀ` (then `a` is stored `k × m`)
 * @param transB - use `Bᵀ` (then `b` is stored `n × k`)
 * @param m - rows of `op(A)` and `C`
 * @param n - columns of `op(B)` and `C`
 * @param k - columns of `op(A)`, rows of `op(B)`
 * @param alpha - scale of the product
 * @param a - the mostly-zero operand, row-major
 * @param lda - row stride of `a`
 * @param b - the other operand, row-major
 * @param ldb - row stride of `b`
 * @param beta - scale of the previous `C` (`0` overwrites)
 * @param c - the `m × n` result, row-major, updated in place
 * @param ldc - row stride of `c`
 * @returns nothing; `c` holds the result
 * @example
 * ```ts
 * import { gemmSparseA } from 'boltzmann/base';
 * const v = Float64Array.of(1, 0, 0, 1); // a 2 × 2 binary batch
 * const w = Float64Array.of(1, 2, 3, 4);
 * const act = new Float64Array(4);
 * gemmSparseA(false, false, 2, 2, 2, 1, v, 2, w, 2, 0, act, 2); // act = [1, 2, 3, 4]
 * ```
 * @category Linear algebra
 */
export function gemmSparseA(
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
  const kern = active ?? resolveActive();
  if (kern.gemmSparseA) kern.gemmSparseA(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else sparseGemm(kern, 0.3, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * The kernel that every model and checked BLAS function currently uses.
 *
 * Unless {@link setKernel} installed one, it is chosen automatically on first
 * use: the WebAssembly SIMD kernel `'wasm-simd-exact'` wherever WebAssembly
 * SIMD is available (compiled synchronously — about a millisecond — in Node,
 * Deno, Bun and workers), the plain-TypeScript kernel `'ts'` elsewhere. On a
 * browser page's main thread, which refuses synchronous compilation, the first
 * use starts an asynchronous compile and `'ts'` runs until it is done (see
 * {@link ready}). Either way the numbers are the same: the automatic SIMD
 * kernel gives the TS kernel's results bit for bit (it runs in TS the one
 * routine, non-transposed GEMV, whose SIMD sums would round differently).
 * Nothing is compiled when the module is imported.
 *
 * @returns the active kernel
 * @example
 * ```ts
 * import { getKernel } from 'boltzmann';
 * getKernel().name; // 'wasm-simd-exact' in Node (or 'ts' without WebAssembly SIMD)
 * ```
 * @category Linear algebra
 */
export function getKernel(): Kernel {
  return active ?? resolveActive();
}

/**
 * Resolves when the automatic kernel is final: at once in Node and workers
 * (where it compiles synchronously on first use) and where WebAssembly SIMD
 * is missing; on a browser page's main thread once the asynchronous compile
 * of the SIMD kernel has finished (or failed, leaving the TS kernel). Calling
 * it also starts that compile, so `await ready()` before the first model makes
 * every product run in SIMD. It never rejects. Results do not depend on it:
 * both kernels give the same bits.
 *
 * @returns a promise that resolves when the automatic kernel is installed
 * @example
 * ```ts
 * import { getKernel, ready } from 'boltzmann';
 * await ready();
 * getKernel().name; // 'wasm-simd-exact' where WebAssembly SIMD is available
 * ```
 * @category Linear algebra
 */
export function ready(): Promise<void> {
  automaticKernel();
  return settled ?? Promise.resolve();
}

/**
 * Installs `kernel` as the active backend and returns the previous one, so a
 * caller can restore it. An installed kernel wins over every automatic
 * choice, including the worker threads of {@link withThreads} (model `fit`'s
 * `threads` option). Passing `undefined` — or a kernel that was chosen
 * automatically, such as the one `setKernel` returned — restores the
 * automatic default (see {@link getKernel}).
 *
 * @param kernel - the backend, or undefined for the automatic default
 * @returns the kernel active before the call
 * @throws {TypeError} when `kernel` does not implement `{ name, gemm, gemv, ger }`
 * @example
 * ```ts
 * import { setKernel } from 'boltzmann';
 * import { tsKernel } from 'boltzmann/base';
 * const previous = setKernel(tsKernel); // plain TypeScript from now on
 * setKernel(previous); // back to what it was (here: the automatic choice)
 * setKernel(undefined); // the automatic choice, whatever was installed
 * ```
 * @category Linear algebra
 */
export function setKernel(kernel: Kernel | undefined): Kernel {
  const prev = getKernel();
  if (kernel === undefined || automaticKernels.has(kernel)) {
    explicit = undefined;
    active = undefined;
    return prev;
  }
  if (
    kernel === null ||
    typeof kernel !== 'object' ||
    typeof kernel.gemm !== 'function' ||
    typeof kernel.gemv !== 'function' ||
    typeof kernel.ger !== 'function' ||
    typeof kernel.name !== 'string' ||
    (kernel.gemmSparseA !== undefined && typeof kernel.gemmSparseA !== 'function')
  ) {
    throw new TypeError('setKernel: kernel must implement { name, gemm, gemv, ger }');
  }
  explicit = kernel;
  active = undefined;
  return prev;
}

/**
 * Runs `fn` with the kernel chosen for `threads` worker threads and restores
 * the previous kernel afterwards (also when `fn` throws). Model `fit` and
 * `partialFit` call it with their `threads` option. `fn` must do its work
 * synchronously.
 *
 * - `threads: 1` — one thread (the automatic one-thread kernel).
 * - `threads: n > 1` — in Node, a pool of `n` threads (the calling one and
 *   `n − 1` workers) running the WebAssembly SIMD kernel, started the first
 *   time a product has at least 2¹⁸ multiply–adds and shared by every later
 *   call with the same `n`.
 * - `threads` undefined — the automatic rule: `min(os.availableParallelism(), 4)`
 *   threads in Node, but the pool only starts at the first product of at least
 *   2²² multiply–adds (a batch of 100 through a 784 × 500 RBM has 3.9·10⁷; a
 *   small model never starts one), so small work stays on one thread.
 *
 * Results are bit-identical whatever the number of threads (each entry of a
 * product is summed in the same order by whichever thread computes it). The
 * workers do not keep a process alive (`unref`) and stop after 10 s unused.
 * Threads need Node's `process.getBuiltinModule` (Node ≥ 20.16) and WebAssembly
 * SIMD with shared memory; elsewhere — browsers (use `createWasmWorkerPool`
 * in a worker there), older Node — the work silently runs on one thread. A
 * kernel installed with {@link setKernel} wins: `fn` then runs with it,
 * whatever `threads` says.
 *
 * @param threads - number of threads (an integer in [1, 64]), or undefined for the automatic rule
 * @param fn - the work, synchronous
 * @returns what `fn` returns
 * @throws {RangeError} when `threads` is not an integer in [1, 64] (0, NaN, 1.5, 65, …)
 * @throws {TypeError} when `threads` is neither a number nor undefined, or `fn` is not a function
 * @example
 * ```ts
 * import { fromArrays, gemm, toArrays, withThreads, zeros } from 'boltzmann';
 * const a = fromArrays([[1, 2], [3, 4]]);
 * toArrays(withThreads(2, () => gemm(zeros(2, 2), a, a))); // [[7, 10], [15, 22]], the same bits as withThreads(1, …)
 * ```
 * @category Linear algebra
 */
export function withThreads<T>(threads: number | undefined, fn: () => T): T {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
    const msg = `withThreads: threads must be a positive integer, at most 64 (got ${describeValue(threads)})`;
    throw typeof threads === 'number' ? new RangeError(msg) : new TypeError(msg);
  }
  if (typeof fn !== 'function') throw new TypeError(`withThreads: fn must be a function (got ${describeValue(fn)})`);
  if (explicit) return fn();
  const single = automaticKernel();
  const n = threads ?? automaticThreads();
  // threads only beside the synchronously compiled SIMD kernel (never while a browser compiles)
  const kernel = n > 1 && single !== tsKernel && single !== tsWhileCompiling
    ? threadedKernel(n, threads === undefined ? AUTO_START_WORK : SPLIT_WORK, single)
    : single;
  automaticKernels.add(kernel);
  const prev = scoped;
  scoped = kernel;
  active = undefined;
  try {
    return fn();
  } finally {
    scoped = prev;
    active = undefined;
  }
}
