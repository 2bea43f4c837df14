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
 * the product goes through the kernel seam's {@link gemmSparseA}: the active backend
 * measures the operand's density and, below its crossover, sums the rows of `W` (or
 * `Wᵀ`) selected by the non-zeros (exact for any values; equal to the naive product
 * bit for bit for 0/1), otherwise runs its dense product.
 *
 * In CD/PCD all five products of an update take that path — `v·W` for the positive
 * and negative hidden activations (data and sampled visible states), `h·Wᵀ` for the
 * reconstruction (sampled hidden states) and `Vᵀ·P` for both gradient terms (the 0/1
 * `V` gathered) — so their cost scales with the density. On the automatic kernel the
 * gathered rows run in a small SIMD module (`linalg/wasm/gather.ts`: compressed rows,
 * a contiguous copy of a transposed `W`, 8-column register tiles) with the TS kernel's
 * density switch (0.4) and summation order, so the numbers do not depend on the
 * kernel or the number of threads. {@link sigmoidRows} turns the activations into
 * probabilities with `sigmoid`'s bits, two at a time in SIMD.
 * @module
 */
import { gemmSparseA, getKernel } from '../linalg/kernel.js';
import { sigmoidInPlace, softplusSums } from '../linalg/wasm/gather.js';

/**
 * Switch of the sparse-operand path (internal; benches toggle it). `maxDensity`
 * is kept for compatibility: the crossover is now each kernel's own.
 * @category Models
 */
export const sparseProducts = { enabled: true, maxDensity: 0.3 };

/**
 * `out[r, j] = Σ_i v[r, i] · W[i, j] + c[j]` for `rows` rows.
 * `v` is `[rows, nVisible]`, `out` `[rows, nHidden]`, both contiguous row-major.
 * @category Models
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
  if (binaryHint && sparseProducts.enabled) {
    gemmSparseA(false, false, rows, nHidden, nVisible, 1, v, nVisible, weights, nHidden, 1, out, nHidden);
    return;
  }
  getKernel().gemm(false, false, rows, nHidden, nVisible, 1, v, nVisible, weights, nHidden, 1, out, nHidden);
}

/**
 * `out[r, i] = Σ_j h[r, j] · W[i, j] + b[i]` for `rows` rows.
 * `h` is `[rows, nHidden]`, `out` `[rows, nVisible]`, both contiguous row-major.
 * `weightsT`, when given, is `Wᵀ` (`[nHidden, nVisible]`, row-major): with a 0/1
 * `h` the product then sums contiguous rows of `Wᵀ`, which kernels do at a much
 * higher density than the strided dot products `h · Wᵀ` needs (worth it where
 * `W` is fixed over many products, as in AIS).
 * @category Models
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
  weightsT?: Float64Array,
): void {
  for (let r = 0; r < rows; r++) out.set(visibleBias, r * nVisible);
  if (binaryHint && sparseProducts.enabled) {
    if (weightsT) gemmSparseA(false, false, rows, nVisible, nHidden, 1, h, nHidden, weightsT, nVisible, 1, out, nVisible);
    else gemmSparseA(false, true, rows, nVisible, nHidden, 1, h, nHidden, weights, nHidden, 1, out, nVisible);
    return;
  }
  getKernel().gemm(false, true, rows, nVisible, nHidden, 1, h, nHidden, weights, nHidden, 1, out, nVisible);
}

/**
 * `g[i, j] = α · Σ_r v[r, i] · p[r, j] + β · g[i, j]` — the sufficient statistic `Vᵀ P`
 * of the weight gradient. `v` is `[rows, nVisible]`, `p` `[rows, nHidden]`, `g` `[nVisible, nHidden]`.
 * @category Models
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
  if (binaryHint && sparseProducts.enabled) {
    gemmSparseA(true, false, nVisible, nHidden, rows, alpha, v, nVisible, p, nHidden, beta, g, nHidden);
    return;
  }
  getKernel().gemm(true, false, nVisible, nHidden, rows, alpha, v, nVisible, p, nHidden, beta, g, nHidden);
}

/**
 * `out[j] ← out[j] + α·x[0, j] + α·x[1, j] + … + α·x[rows − 1, j]` for `j < n`, added one row
 * at a time in ascending order (`x` is `[rows, n]`, row-major) — the bias gradients' sums
 * of the RBM statistics. Four rows per pass over `out`, `((out + t₀) + t₁) + …` left to
 * right, so the bits are those of the row-by-row loop (about twice as fast: a quarter of the
 * loads and stores of `out`).
 * @example
 * ```ts
 * const g = new Float64Array(2);
 * addScaledRowSums(g, 0.5, Float64Array.of(1, 0, 1, 1), 2, 2); // g = [1, 0.5]
 * ```
 * @category Models
 * @internal
 */
export function addScaledRowSums(out: Float64Array, alpha: number, x: Float64Array, rows: number, n: number): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    for (let j = 0; j < n; j++) out[j] = out[j] + alpha * x[o0 + j] + alpha * x[o1 + j] + alpha * x[o2 + j] + alpha * x[o3 + j];
  }
  for (; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) out[j] += alpha * x[o + j];
  }
}

/**
 * `x[i] ← σ(x[i])` for the first `n` entries — the conditional probabilities
 * after {@link visibleToHidden} / {@link hiddenToVisible} — with the bits of
 * `sigmoid` (`stable.ts`): two at a time in WebAssembly SIMD where it is
 * available (fdlibm's exp, same operations in the same order), else in TS.
 * @example
 * ```ts
 * const p = Float64Array.of(0, 2, -2);
 * sigmoidRows(p, 3); // p = [0.5, σ(2), σ(−2)], the bits of sigmoid(x)
 * ```
 * @category Models
 * @internal
 */
export function sigmoidRows(x: Float64Array, n: number): void {
  // on the worker pool's threads when one runs (the same bits), else SIMD on this thread
  if (!getKernel().sigmoidInPlace?.(x, n)) sigmoidInPlace(x, n);
}

/**
 * `out[r] = Σ_j softplus(scale·x[r·n + j])` for `r < rows`, with `softplusSum`'s bits
 * (`stable.ts`): on the worker pool's threads when one runs, else in SIMD on this thread
 * (AIS's log weights, twice per β step).
 * @category Models
 * @internal
 */
export function softplusRowSums(out: Float64Array, x: Float64Array, rows: number, n: number, scale: number): void {
  if (!getKernel().softplusSums?.(out, x, rows, n, scale)) softplusSums(out, x, rows, n, scale);
}
