/**
 * The kernel seam: the one interface through which every model reaches dense
 * linear algebra. All routines here are *unchecked*: they trust their
 * arguments, allocate nothing, and are meant for hot loops. The checked public
 * functions (`gemm`, `gemv`, `ger`, … in `blas.ts`) validate once and then
 * call the active kernel.
 *
 * A faster backend (WebAssembly SIMD, worker threads) implements {@link Kernel}
 * and is installed with {@link setKernel}; models never change.
 *
 * Conventions: row-major storage, leading dimension = row stride in elements.
 * @module
 */
import { sparseGemm } from './sparse.js';
import { tsKernel } from './ts-kernel.js';

/**
 * Unchecked dense linear-algebra routines over row-major `Float64Array`s.
 * Implementations must give results that do not depend on scheduling (fixed
 * reduction order), so the same inputs give the same bits every run.
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
}

let active: Kernel = tsKernel;

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
 * import { gemmSparseA } from 'boltzmann';
 * const v = Float64Array.of(1, 0, 0, 1); // a 2 × 2 binary batch
 * const w = Float64Array.of(1, 2, 3, 4);
 * const act = new Float64Array(4);
 * gemmSparseA(false, false, 2, 2, 2, 1, v, 2, w, 2, 0, act, 2); // act = [1, 2, 3, 4]
 * ```
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
  const kern = active;
  if (kern.gemmSparseA) kern.gemmSparseA(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else sparseGemm(kern, 0.3, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * The kernel that every model and checked BLAS function currently uses.
 *
 * @example
 * ```ts
 * import { getKernel } from 'boltzmann';
 * getKernel().name; // 'ts' unless another backend was installed
 * ```
 */
export function getKernel(): Kernel {
  return active;
}

/**
 * Installs `kernel` as the active backend and returns the previous one, so a
 * caller can restore it. Passing `undefined` restores the plain-TypeScript kernel.
 *
 * @example
 * ```ts
 * import { setKernel, tsKernel } from 'boltzmann';
 * const previous = setKernel(tsKernel);
 * setKernel(previous);
 * ```
 */
export function setKernel(kernel: Kernel | undefined): Kernel {
  const prev = active;
  if (kernel === undefined) {
    active = tsKernel;
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
  active = kernel;
  return prev;
}

/**
 * Runs `fn` with the kernel chosen for `threads` worker threads and restores
 * the previous kernel afterwards (also when `fn` throws). `threads` undefined
 * keeps the current kernel; `1` means the single-threaded kernel. Model `fit`
 * methods call this with their `threads` option.
 *
 * @param threads - number of threads (a positive integer), or undefined
 * @param fn - the work
 * @returns what `fn` returns
 * @example
 * ```ts
 * import { withThreads } from 'boltzmann';
 * withThreads(1, () => 42); // 42
 * ```
 */
export function withThreads<T>(threads: number | undefined, fn: () => T): T {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new RangeError(`withThreads: threads must be a positive integer (got ${String(threads)})`);
  }
  return fn();
}
