/**
 * Reference triple-loop kernels: the slow, obviously-correct implementations
 * that tests and benchmarks compare the fast kernels against.
 * @module
 */
import type { Kernel } from './kernel.js';

/**
 * Naive `C ← α·op(A)·op(B) + β·C` by three nested loops, accumulating each
 * entry in index order.
 *
 * @example
 * ```ts
 * import { naiveKernel } from 'boltzmann/base';
 * const c = new Float64Array(1);
 * naiveKernel.gemm(false, false, 1, 1, 1, 2, Float64Array.of(3), 1, Float64Array.of(4), 1, 0, c, 1);
 * c[0]; // 24
 * ```
 * @category Linear algebra
 */
export const naiveKernel: Kernel = {
  name: 'naive',
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[p * lda + i] : a[i * lda + p];
          const bv = transB ? b[j * ldb + p] : b[p * ldb + j];
          s += av * bv;
        }
        const prev = beta === 0 ? 0 : beta * c[i * ldc + j];
        c[i * ldc + j] = alpha * s + prev;
      }
    }
  },
  gemv(trans, m, n, alpha, a, lda, x, beta, y) {
    const rows = trans ? n : m;
    const cols = trans ? m : n;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (trans ? a[j * lda + i] : a[i * lda + j]) * x[j];
      y[i] = alpha * s + (beta === 0 ? 0 : beta * y[i]);
    }
  },
  ger(m, n, alpha, x, y, a, lda) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i * lda + j] += alpha * x[i] * y[j];
  },
};
