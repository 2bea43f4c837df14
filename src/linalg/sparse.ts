/**
 * Products with a mostly-zero left operand — a 0/1 data matrix or a sampled
 * binary state, as in every RBM product — computed as sums of gathered rows:
 * `C[i, :] = α · Σ_{p: op(A)[i,p] ≠ 0} op(A)[i,p] · op(B)[p, :] + β · C[i, :]`.
 *
 * The cost is one add per non-zero of `op(A)` per column of `C`, against one
 * multiply–add per entry for the dense product, so the sparse path wins below
 * some density; {@link sparseGemm} measures the density while it gathers the
 * non-zeros and falls back to the dense kernel above `maxDensity`.
 *
 * Exactness: each `C[i, j]` is summed in ascending `p` starting from zero and
 * finished as `α·s + β·C[i,j]`, exactly as the naive triple loop
 * (`naiveKernel`) does. Skipped terms are `0 · b`, which add nothing, and
 * entries equal to 1 are added without multiplying (`1 · b = b` exactly), so
 * for finite `B` the result equals the naive product bit for bit when `op(A)`
 * holds 0/1 (other non-zero values are multiplied, also in naive order). The
 * blocked dense kernels sum in other groupings, so the two paths agree with
 * each other within rounding (relative ~k·2⁻⁵³), not bit for bit.
 * @module
 */
import type { Kernel } from './kernel.js';

let rowStart = new Int32Array(0);
let cols = new Int32Array(0);
let vals = new Float64Array(0);
let acc = new Float64Array(0);

/**
 * Gathers the non-zeros of op(A) row by row into (rowStart, cols, vals);
 * returns false, having stopped early, when there are more than `limit`.
 */
function gather(transA: boolean, m: number, k: number, a: Float64Array, lda: number, limit: number): boolean {
  if (rowStart.length < m + 1) rowStart = new Int32Array(m + 1);
  const cap = Math.min(m * k, limit + k);
  if (cols.length < cap) {
    cols = new Int32Array(cap);
    vals = new Float64Array(cap);
  }
  const rs = rowStart, cs = cols, vs = vals; // local aliases for the loops
  let nz = 0;
  for (let i = 0; i < m; i++) {
    rs[i] = nz;
    if (transA) {
      for (let p = 0, o = i; p < k; p++, o += lda) {
        const x = a[o];
        if (x !== 0) {
          cs[nz] = p;
          vs[nz++] = x;
        }
      }
    } else {
      for (let p = 0, o = i * lda; p < k; p++, o++) {
        const x = a[o];
        if (x !== 0) {
          cs[nz] = p;
          vs[nz++] = x;
        }
      }
    }
    if (nz > limit) return false;
  }
  rs[m] = nz;
  return true;
}

/**
 * `C ← α·op(A)·op(B) + β·C` skipping the zeros of `op(A)` (same arguments as
 * {@link Kernel.gemm}), or `dense.gemm` when more than `maxDensity` of
 * `op(A)`'s entries are non-zero. Unchecked, allocation-free after warm-up.
 *
 * @param dense - the kernel whose dense `gemm` runs above the threshold
 * @param maxDensity - largest fraction of non-zeros for which rows are gathered
 * @param transA - use `Aᵀ`; the rest as in {@link Kernel.gemm}
 * @param transB - use `Bᵀ`
 * @param m - rows of `op(A)` and `C`
 * @param n - columns of `op(B)` and `C`
 * @param k - columns of `op(A)`, rows of `op(B)`
 * @param alpha - scale of the product
 * @param a - the mostly-zero operand
 * @param lda - row stride of `a`
 * @param b - the other operand
 * @param ldb - row stride of `b`
 * @param beta - scale of the previous `C` (`0` overwrites)
 * @param c - the result, updated in place
 * @param ldc - row stride of `c`
 * @returns nothing; `c` holds the result
 * @example
 * ```ts
 * import { sparseGemm, tsKernel } from 'boltzmann/base';
 * const c = new Float64Array(2);
 * // [1 0 1] · [[1, 2], [3, 4], [5, 6]] = [6, 8]
 * sparseGemm(tsKernel, 1, false, false, 1, 2, 3, 1, Float64Array.of(1, 0, 1), 3, Float64Array.of(1, 2, 3, 4, 5, 6), 2, 0, c, 2);
 * ```
 * @category Linear algebra
 */
export function sparseGemm(
  dense: Kernel,
  maxDensity: number,
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
  if (m === 0 || n === 0 || !gather(transA, m, k, a, lda, Math.floor(maxDensity * m * k))) {
    dense.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  if (acc.length < n) acc = new Float64Array(n);
  // local aliases: V8 reloads module-level bindings inside loops
  const acc_ = acc, rowStart_ = rowStart, cols_ = cols, vals_ = vals;
  if (!transB) {
    for (let i = 0; i < m; i++) {
      acc_.fill(0, 0, n);
      for (let t = rowStart_[i], e = rowStart_[i + 1]; t < e; t++) {
        const x = vals_[t];
        const ob = cols_[t] * ldb;
        if (x === 1) for (let j = 0; j < n; j++) acc_[j] += b[ob + j];
        else for (let j = 0; j < n; j++) acc_[j] += x * b[ob + j];
      }
      const oc = i * ldc;
      if (beta === 0) for (let j = 0; j < n; j++) c[oc + j] = alpha * acc_[j] + 0; // + 0 as naive: no -0
      else for (let j = 0; j < n; j++) c[oc + j] = alpha * acc_[j] + beta * c[oc + j];
    }
    return;
  }
  // op(B)[p, j] = b[j·ldb + p]: a gathered dot product along row j of b
  for (let i = 0; i < m; i++) {
    const s0 = rowStart_[i], e = rowStart_[i + 1];
    const oc = i * ldc;
    for (let j = 0; j < n; j++) {
      const ob = j * ldb;
      let s = 0;
      for (let t = s0; t < e; t++) {
        const x = vals_[t];
        s += x === 1 ? b[ob + cols_[t]] : x * b[ob + cols_[t]];
      }
      c[oc + j] = alpha * s + (beta === 0 ? 0 : beta * c[oc + j]);
    }
  }
}
