/**
 * The dense products of every RBM hot loop, in one place (internal module).
 *
 * Training, sampling, pseudo-likelihood, exact `log Z` and AIS all reduce to
 * three products with the weight matrix `W` (`[nVisible, nHidden]`, row-major):
 *
 * - {@link visibleToHidden}: `out[rows, nHidden] = V · W + c` — `V` is data or a
 *   sampled visible state (often 0/1);
 * - {@link hiddenToVisible}: `out[rows, nVisible] = H · Wᵀ + b` — `H` is a sampled
 *   hidden state (0/1) or hidden probabilities;
 * - {@link accumulateOuter}: `G[nVisible, nHidden] += α · Vᵀ · P` — `V` is data or a
 *   sampled visible state (often 0/1), `P` hidden probabilities.
 *
 * Each goes through {@link getKernel} with the operands' row-major layout, so a
 * faster backend speeds up every RBM-based model. The `binaryHint` argument says
 * whether the left operand is likely to be a sparse 0/1 matrix (data, or a state
 * drawn by a Bernoulli sampler). When it is set and {@link sparseProducts}`.enabled`,
 * the operand's density is measured and, below {@link sparseProducts}`.maxDensity`,
 * the product skips zero entries (a sum of selected rows of `W` or `Wᵀ`, scaled by
 * the entry, so it is exact for any values). Otherwise the dense kernel runs.
 * (The performance work may move this choice behind the kernel seam.)
 * @module
 */
import { getKernel } from '../linalg/kernel.js';

/** Switch and threshold of the sparse-operand path (internal; benches toggle it). */
export const sparseProducts = { enabled: true, maxDensity: 0.3 };

let transposed = new Float64Array(0);

/** Fraction of non-zero entries among the first `n` of `x`. */
function density(x: Float64Array, n: number): number {
  let nz = 0;
  for (let i = 0; i < n; i++) if (x[i] !== 0) nz++;
  return n === 0 ? 1 : nz / n;
}

/** `out[r, :] += Σ_{p: a[r,p] ≠ 0} a[r, p] · b[p, :]` with `a` `[rows, k]`, `b` `[k, n]` row-major. */
function sparseLeftProduct(out: Float64Array, a: Float64Array, rows: number, k: number, b: Float64Array, n: number): void {
  for (let r = 0; r < rows; r++) {
    const oa = r * k, oo = r * n;
    for (let p = 0; p < k; p++) {
      const x = a[oa + p];
      if (x === 0) continue;
      const ob = p * n;
      if (x === 1) for (let j = 0; j < n; j++) out[oo + j] += b[ob + j];
      else for (let j = 0; j < n; j++) out[oo + j] += x * b[ob + j];
    }
  }
}

/**
 * `out[r, j] = Σ_i v[r, i] · W[i, j] + c[j]` for `rows` rows.
 * `v` is `[rows, nVisible]`, `out` `[rows, nHidden]`, both contiguous row-major.
 */
export function visibleToHidden(
  out: Float64Array,
  v: Float64Array,
  rows: number,
  weights: Float64Array,
  hiddenBias: Float64Array,
  nVisible: number,
  nHidden: number,
  binaryHint = false,
): void {
  for (let r = 0; r < rows; r++) out.set(hiddenBias, r * nHidden);
  if (binaryHint && sparseProducts.enabled && density(v, rows * nVisible) <= sparseProducts.maxDensity) {
    sparseLeftProduct(out, v, rows, nVisible, weights, nHidden);
    return;
  }
  getKernel().gemm(false, false, rows, nHidden, nVisible, 1, v, nVisible, weights, nHidden, 1, out, nHidden);
}

/**
 * `out[r, i] = Σ_j h[r, j] · W[i, j] + b[i]` for `rows` rows.
 * `h` is `[rows, nHidden]`, `out` `[rows, nVisible]`, both contiguous row-major.
 */
export function hiddenToVisible(
  out: Float64Array,
  h: Float64Array,
  rows: number,
  weights: Float64Array,
  visibleBias: Float64Array,
  nVisible: number,
  nHidden: number,
  binaryHint = false,
): void {
  for (let r = 0; r < rows; r++) out.set(visibleBias, r * nVisible);
  if (binaryHint && sparseProducts.enabled && density(h, rows * nHidden) <= sparseProducts.maxDensity) {
    const n = nVisible * nHidden;
    if (transposed.length < n) transposed = new Float64Array(n);
    for (let i = 0; i < nVisible; i++) {
      const o = i * nHidden;
      for (let j = 0; j < nHidden; j++) transposed[j * nVisible + i] = weights[o + j];
    }
    sparseLeftProduct(out, h, rows, nHidden, transposed, nVisible);
    return;
  }
  getKernel().gemm(false, true, rows, nVisible, nHidden, 1, h, nHidden, weights, nHidden, 1, out, nVisible);
}

/**
 * `g[i, j] = α · Σ_r v[r, i] · p[r, j] + β · g[i, j]` — the sufficient statistic `Vᵀ P`
 * of the weight gradient. `v` is `[rows, nVisible]`, `p` `[rows, nHidden]`, `g` `[nVisible, nHidden]`.
 */
export function accumulateOuter(
  g: Float64Array,
  alpha: number,
  v: Float64Array,
  p: Float64Array,
  rows: number,
  nVisible: number,
  nHidden: number,
  beta: number,
  binaryHint = false,
): void {
  if (binaryHint && sparseProducts.enabled && density(v, rows * nVisible) <= sparseProducts.maxDensity) {
    if (beta !== 1) {
      const n = nVisible * nHidden;
      if (beta === 0) g.fill(0, 0, n);
      else for (let i = 0; i < n; i++) g[i] *= beta;
    }
    for (let r = 0; r < rows; r++) {
      const ov = r * nVisible, op = r * nHidden;
      for (let i = 0; i < nVisible; i++) {
        const x = v[ov + i];
        if (x === 0) continue;
        const s = alpha * x, og = i * nHidden;
        for (let j = 0; j < nHidden; j++) g[og + j] += s * p[op + j];
      }
    }
    return;
  }
  getKernel().gemm(true, false, nVisible, nHidden, rows, alpha, v, nVisible, p, nHidden, beta, g, nHidden);
}
