/**
 * Checked dense linear algebra. Each function validates shapes and aliasing
 * once, then calls the active {@link Kernel} (see `setKernel`). Output first,
 * and returned, as in gl-matrix: `gemm(out, a, b)`.
 * @module
 */
import { ShapeError } from '../errors.js';
import { checkFinite, checkMatrix, checkOptions, checkVector } from '../validate.js';
import { gemmSparseA, getKernel } from './kernel.js';
import { type Matrix, overlaps } from './matrix.js';

/** Options of {@link gemm}.
 * @category Linear algebra
 */
export interface GemmOptions {
  /** Use `aᵀ` in place of `a`. Default `false`. */
  transA?: boolean;
  /** Use `bᵀ` in place of `b`. Default `false`. */
  transB?: boolean;
  /** Scale of the product. Default `1`. */
  alpha?: number;
  /** Scale of the previous `out`. Default `0` (overwrite). */
  beta?: number;
  /**
   * `op(a)` is likely mostly zeros (0/1 data, sampled binary states): let the
   * kernel measure its density and sum gathered rows of `op(b)` when that is
   * faster ({@link gemmSparseA}). Same result within rounding; with a 0/1
   * `op(a)` the gathered path equals the naive product exactly. Default `false`.
   */
  sparseA?: boolean;
}

/**
 * General matrix product `out ← α·op(a)·op(b) + β·out`, where `op(x)` is `x`
 * or `xᵀ`. With `β = 0` (the default) `out` is overwritten.
 *
 * The RBM weight gradient `vᵀh` is `gemm(dW, v, h, { transA: true, alpha: 1/batch, beta: 1 })`.
 *
 * @param out - `[m, n]` result (also read when `β ≠ 0`); must not share memory with `a` or `b`
 * @param a - `op(a)` is `[m, k]`
 * @param b - `op(b)` is `[k, n]`
 * @returns `out`
 * @throws {ShapeError} when the inner or outer dimensions disagree
 * @throws {RangeError} when `out` overlaps an input, or α/β is not finite
 * @example
 * ```ts
 * import { gemm, fromArrays, zeros, toArrays } from 'boltzmann';
 * const a = fromArrays([[1, 2], [3, 4]]);
 * toArrays(gemm(zeros(2, 2), a, a, { transB: true })); // [[5, 11], [11, 25]]
 * ```
 * @category Linear algebra
 */
export function gemm(out: Matrix, a: Matrix, b: Matrix, options?: GemmOptions): Matrix {
  const o = checkOptions('gemm', options);
  const transA = o.transA ?? false;
  const transB = o.transB ?? false;
  const alpha = o.alpha === undefined ? 1 : checkFinite('gemm', 'alpha', o.alpha);
  const beta = o.beta === undefined ? 0 : checkFinite('gemm', 'beta', o.beta);
  checkMatrix('gemm', 'a', a);
  checkMatrix('gemm', 'b', b);
  checkMatrix('gemm', 'out', out);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      `gemm: inner dimensions must agree: op(a) is [${m}, ${k}] but op(b) is [${kb}, ${n}]`,
    );
  }
  if (out.rows !== m || out.cols !== n) {
    throw new ShapeError(`gemm: out must have shape [${m}, ${n}] (got [${out.rows}, ${out.cols}])`);
  }
  if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
    throw new RangeError('gemm: out must not share memory with a or b');
  }
  if (o.sparseA) gemmSparseA(transA, transB, m, n, k, alpha, a.data, a.cols, b.data, b.cols, beta, out.data, out.cols);
  else getKernel().gemm(transA, transB, m, n, k, alpha, a.data, a.cols, b.data, b.cols, beta, out.data, out.cols);
  return out;
}

/** Options of {@link gemv}.
 * @category Linear algebra
 */
export interface GemvOptions {
  /** Use `aᵀ`. Default `false`. */
  trans?: boolean;
  /** Scale of the product. Default `1`. */
  alpha?: number;
  /** Scale of the previous `out`. Default `0`. */
  beta?: number;
}

/**
 * Matrix–vector product `out ← α·op(a)·x + β·out`.
 *
 * @param out - length `op(a).rows`; must not share memory with `a` or `x`
 * @param a - the matrix
 * @param x - length `op(a).cols`
 * @returns `out`
 * @throws {ShapeError} on a length mismatch
 * @example
 * ```ts
 * import { gemv, fromArrays } from 'boltzmann';
 * gemv(new Float64Array(2), fromArrays([[1, 2], [3, 4]]), Float64Array.of(1, 1)); // [3, 7]
 * ```
 * @category Linear algebra
 */
export function gemv(out: Float64Array, a: Matrix, x: Float64Array, options?: GemvOptions): Float64Array {
  const o = checkOptions('gemv', options);
  const trans = o.trans ?? false;
  const alpha = o.alpha === undefined ? 1 : checkFinite('gemv', 'alpha', o.alpha);
  const beta = o.beta === undefined ? 0 : checkFinite('gemv', 'beta', o.beta);
  checkMatrix('gemv', 'a', a);
  checkVector('gemv', 'x', x, trans ? a.rows : a.cols);
  checkVector('gemv', 'out', out, trans ? a.cols : a.rows);
  if (overlaps(out, a.data) || overlaps(out, x)) throw new RangeError('gemv: out must not share memory with a or x');
  getKernel().gemv(trans, a.rows, a.cols, alpha, a.data, a.cols, x, beta, out);
  return out;
}

/**
 * Rank-1 update `a ← a + α·x·yᵀ` (in place; returns `a`).
 *
 * @param a - `[x.length, y.length]`, updated in place
 * @throws {ShapeError} on a length mismatch
 * @throws {RangeError} when `a` overlaps `x` or `y`
 * @example
 * ```ts
 * import { ger, zeros, toArrays } from 'boltzmann';
 * toArrays(ger(zeros(2, 2), Float64Array.of(1, 2), Float64Array.of(3, 4))); // [[3, 4], [6, 8]]
 * ```
 * @category Linear algebra
 */
export function ger(a: Matrix, x: Float64Array, y: Float64Array, alpha = 1): Matrix {
  checkFinite('ger', 'alpha', alpha);
  checkMatrix('ger', 'a', a);
  checkVector('ger', 'x', x, a.rows);
  checkVector('ger', 'y', y, a.cols);
  if (overlaps(a.data, x) || overlaps(a.data, y)) throw new RangeError('ger: a must not share memory with x or y');
  getKernel().ger(a.rows, a.cols, alpha, x, y, a.data, a.cols);
  return a;
}

/**
 * `y ← α·x + y` (in place; returns `y`).
 *
 * @throws {ShapeError} on a length mismatch
 * @example
 * ```ts
 * import { axpy } from 'boltzmann';
 * axpy(Float64Array.of(1, 1), 2, Float64Array.of(1, 2)); // [3, 5]
 * ```
 * @category Linear algebra
 */
export function axpy(y: Float64Array, alpha: number, x: Float64Array): Float64Array {
  checkFinite('axpy', 'alpha', alpha);
  checkVector('axpy', 'y', y);
  checkVector('axpy', 'x', x, y.length);
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  return y;
}

/**
 * Dot product `Σ xᵢ yᵢ`.
 *
 * @throws {ShapeError} on a length mismatch
 * @example
 * ```ts
 * import { dot } from 'boltzmann';
 * dot(Float64Array.of(1, 2), Float64Array.of(3, 4)); // 11
 * ```
 * @category Linear algebra
 */
export function dot(x: Float64Array, y: Float64Array): number {
  checkVector('dot', 'x', x);
  checkVector('dot', 'y', y, x.length);
  let s0 = 0, s1 = 0;
  let i = 0;
  for (; i + 1 < x.length; i += 2) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
  }
  if (i < x.length) s0 += x[i] * y[i];
  return s0 + s1;
}

/**
 * `x ← α·x` (in place; returns `x`).
 *
 * @example
 * ```ts
 * import { scal } from 'boltzmann';
 * scal(Float64Array.of(1, 2), 3); // [3, 6]
 * ```
 * @category Linear algebra
 */
export function scal(x: Float64Array, alpha: number): Float64Array {
  checkFinite('scal', 'alpha', alpha);
  checkVector('scal', 'x', x);
  for (let i = 0; i < x.length; i++) x[i] *= alpha;
  return x;
}
