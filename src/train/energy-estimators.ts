/**
 * Score matching (exact and sliced), denoising score matching and
 * noise-contrastive estimation for differentiable parametric energies such
 * as {@link EnergyNetwork}: their per-batch losses with exact parameter
 * gradients (second derivatives by the energy's own double backpropagation),
 * and the mini-batch Adam/SGD loop the trainers run them in.
 * @module
 */
import { describeValue, NumericalError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSigmoid, sigmoid } from '../linalg/stable.js';
import { exp, log, pow } from '../math/elementary.js';
import type { EpochMetrics, FitResult } from '../models/contract.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import { checkInRange, checkInt, checkMatrix, checkNonNegative, checkOneOf, checkPositive, checkSize, checkSteps } from '../validate.js';
import type { ParametricEnergy } from './ebm-trainer.js';
import type { TaylorPass } from '../models/energy-network-taylor.js';
import type { NoiseConditionalScore } from '../samplers/annealed-langevin.js';
import { cholesky, choleskyInverse } from './gaussian-natural.js';
import { checkAbortSignal, checkCallback, numberArray } from './checks.js';

/**
 * A {@link ParametricEnergy} with second-order Taylor passes (see
 * `TaylorEngine`): what the score-matching trainers need. {@link EnergyNetwork} implements it.
 * @category Training
 */
export interface SecondOrderEnergy extends ParametricEnergy {
  /** Order-1 or -2 forward pass along `v`: per row `E`, `vᵀ∇ₓE`, `vᵀ∇ₓ²E v` (views valid until the next pass). */
  taylorForwardUnchecked(x: Float64Array, v: Float64Array, batch: number, order: 1 | 2): TaylorPass;
  /** Reverse pass through the last forward: accumulates `∇θ Σ(c0 E + c1 slope + c2 curvature)` into `gTheta`, writes `∇ₓ` into `gX`. */
  taylorBackwardUnchecked(c0: Float64Array | null, c1: Float64Array | null, c2: Float64Array | null, gTheta: Float64Array | null, gX: Float64Array | null): void;
}

/**
 * True when `m` is a {@link SecondOrderEnergy} (has the Taylor passes and a parameter vector).
 * @example
 * ```ts
 * import { EnergyNetwork, GaussianEnergy, isSecondOrderEnergy } from 'boltzmann';
 * isSecondOrderEnergy(new EnergyNetwork(2, { hidden: [4] })); // true
 * isSecondOrderEnergy(new GaussianEnergy(2)); // false
 * ```
 * @category Training
 */
export function isSecondOrderEnergy(m: unknown): m is SecondOrderEnergy {
  const e = m as SecondOrderEnergy;
  return (
    e !== null &&
    typeof e === 'object' &&
    typeof e.taylorForwardUnchecked === 'function' &&
    typeof e.taylorBackwardUnchecked === 'function' &&
    typeof e.inputGradients === 'function' &&
    e.parameters instanceof Float64Array
  );
}

/** Unit vectors `e_i` in every row of `[batch, d]`. */
function unitRows(out: Float64Array, batch: number, d: number, i: number): Float64Array {
  out.fill(0, 0, batch * d);
  for (let r = 0; r < batch; r++) out[r * d + i] = 1;
  return out;
}

/**
 * Exact score matching (Hyvärinen 2005) on a batch:
 * `J = mean_n [½‖∇ₓE(x_n)‖² − tr ∇ₓ²E(x_n)]`, with `∇θJ` accumulated into
 * `grad` (length = parameters). One second-order pass per coordinate (`v = e_i`:
 * slope `∂E/∂x_i`, curvature `∂²E/∂x_i²`), so the cost grows with the dimension.
 * @param model - the energy
 * @param x - `[batch, dimension]` (unchecked)
 * @param grad - accumulates `∇θJ`
 * @returns `J`
 * @example
 * ```ts
 * import { EnergyNetwork, exactScoreMatchingLoss, fromArrays } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
 * const g = new Float64Array(net.nParameters);
 * exactScoreMatchingLoss(net, fromArrays([[0, 0], [1, -1]]), g); // J, and g = ∇θJ
 * ```
 * @category Training
 */
export function exactScoreMatchingLoss(model: SecondOrderEnergy, x: Matrix, grad: Float64Array): number {
  const B = x.rows;
  const d = x.cols;
  const e = new Float64Array(B * d);
  const c1 = new Float64Array(B);
  const c2 = new Float64Array(B).fill(-1 / B);
  let loss = 0;
  for (let i = 0; i < d; i++) {
    const { slope, curvature } = model.taylorForwardUnchecked(x.data, unitRows(e, B, d, i), B, 2);
    for (let r = 0; r < B; r++) {
      loss += 0.5 * slope[r] * slope[r] - curvature[r];
      c1[r] = slope[r] / B;
    }
    model.taylorBackwardUnchecked(null, c1, c2, grad, null);
  }
  return loss / B;
}

/**
 * Sliced score matching (Song et al. 2019) on a batch with `k` projections
 * per row: `J = mean_{n,j} [½(v_{nj}ᵀ∇ₓE(x_n))² − v_{nj}ᵀ∇ₓ²E(x_n) v_{nj}]`
 * (with `varianceReduction`, `½‖∇ₓE‖²` replaces `½(vᵀ∇ₓE)²`: SSM-VR, for
 * projections with `E[vvᵀ] = I`), with `∇θJ` accumulated into `grad`. For
 * projections with `E[vvᵀ] = I` (Rademacher or standard normal) its
 * expectation is exact score matching's loss; the cost is one
 * Hessian–vector product per projection, whatever the dimension.
 * @param model - the energy
 * @param x - `[batch, dimension]` (unchecked)
 * @param v - `[batch · k, dimension]` projections: rows `n·k … n·k + k − 1` belong to `x_n`
 * @param grad - accumulates `∇θJ`
 * @param varianceReduction - use `½‖∇ₓE‖²` in closed form (default false)
 * @returns `J`
 * @example
 * ```ts
 * import { EnergyNetwork, slicedScoreMatchingLoss, fromArrays } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
 * const g = new Float64Array(net.nParameters);
 * slicedScoreMatchingLoss(net, fromArrays([[0, 0]]), fromArrays([[1, -1], [-1, -1]]), g); // 2 projections
 * ```
 * @category Training
 */
export function slicedScoreMatchingLoss(model: SecondOrderEnergy, x: Matrix, v: Matrix, grad: Float64Array, varianceReduction = false): number {
  const B = x.rows;
  const d = x.cols;
  const k = v.rows / B;
  const M = v.rows;
  const xr = k === 1 ? x.data : new Float64Array(M * d);
  if (k !== 1) for (let r = 0; r < M; r++) xr.set(x.data.subarray(Math.floor(r / k) * d, Math.floor(r / k) * d + d), r * d);
  const c2 = new Float64Array(M).fill(-1 / M);
  let loss = 0;
  if (varianceReduction) {
    // ½‖g‖² per data row, its θ-gradient by ∇θ(uᵀg) with u = g fixed
    const g = model.inputGradients({ rows: B, cols: d, data: new Float64Array(B * d) }, x).data;
    for (let i = 0; i < B * d; i++) loss += (0.5 * g[i] * g[i]) / B;
    model.taylorForwardUnchecked(x.data, g, B, 1);
    model.taylorBackwardUnchecked(null, new Float64Array(B).fill(1 / B), null, grad, null);
    const { curvature } = model.taylorForwardUnchecked(xr, v.data, M, 2);
    for (let r = 0; r < M; r++) loss -= curvature[r] / M;
    model.taylorBackwardUnchecked(null, null, c2, grad, null);
    return loss;
  }
  const c1 = new Float64Array(M);
  const { slope, curvature } = model.taylorForwardUnchecked(xr, v.data, M, 2);
  for (let r = 0; r < M; r++) {
    loss += 0.5 * slope[r] * slope[r] - curvature[r];
    c1[r] = slope[r] / M;
  }
  model.taylorBackwardUnchecked(null, c1, c2, grad, null);
  return loss / M;
}

/**
 * Denoising score matching (Vincent 2011) with per-row noise levels and the
 * weighting `λ(σ) = σ²` (Song & Ermon 2019): with `x̃ = x + σε`,
 * `J = mean_j ½ σ_j² ‖∇ₓE(x̃_j) − ε_j/σ_j‖² = mean_j ½‖σ_j∇ₓE(x̃_j) − ε_j‖²`
 * (the model score `−∇ₓE` matched to the noise kernel's score `−ε/σ`), with `∇θJ` accumulated into `grad`.
 * @param model - the energy
 * @param x - `[batch, dimension]` clean rows (unchecked)
 * @param noise - `[batch · k, dimension]` standard normal draws `ε`; rows `n·k … n·k + k − 1` perturb `x_n`
 * @param sigma - one σ for every noise row, or one per noise row
 * @param grad - accumulates `∇θJ`
 * @param noiseConditional - the energy is `E(x, log σ)` (dimension `d + 1`, `log σ_j` appended to each noisy row)
 * @returns `J`
 * @example
 * ```ts
 * import { EnergyNetwork, denoisingScoreMatchingLoss, fromArrays } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
 * const g = new Float64Array(net.nParameters);
 * denoisingScoreMatchingLoss(net, fromArrays([[0, 0]]), fromArrays([[0.3, -1.2]]), 0.1, g);
 * ```
 * @category Training
 */
export function denoisingScoreMatchingLoss(
  model: SecondOrderEnergy,
  x: Matrix,
  noise: Matrix,
  sigma: number | Float64Array,
  grad: Float64Array,
  noiseConditional = false,
): number {
  const B = x.rows;
  const d = x.cols;
  const D = noiseConditional ? d + 1 : d;
  const M = noise.rows;
  const k = M / B;
  const xt = new Float64Array(M * D);
  const sig = (j: number) => (typeof sigma === 'number' ? sigma : sigma[j]);
  for (let j = 0; j < M; j++) {
    const s = sig(j);
    const xo = Math.floor(j / k) * d;
    for (let i = 0; i < d; i++) xt[j * D + i] = x.data[xo + i] + s * noise.data[j * d + i];
    if (noiseConditional) xt[j * D + d] = log(s);
  }
  const g = model.inputGradients({ rows: M, cols: D, data: new Float64Array(M * D) }, { rows: M, cols: D, data: xt }).data;
  // u_j = λ(σ_j)(g_j − ε_j/σ_j)/M (0 on the log σ input), so ∇θJ = ∇θ Σ_j u_jᵀ g(x̃_j) with u fixed
  const u = new Float64Array(M * D);
  let loss = 0;
  for (let j = 0; j < M; j++) {
    const s = sig(j);
    const lambda = s * s;
    for (let i = 0; i < d; i++) {
      const r = g[j * D + i] - noise.data[j * d + i] / s;
      loss += 0.5 * lambda * r * r;
      u[j * D + i] = (lambda * r) / M;
    }
  }
  model.taylorForwardUnchecked(xt, u, M, 1);
  model.taylorBackwardUnchecked(null, new Float64Array(M).fill(1), null, grad, null);
  return loss / M;
}

/**
 * The score of a noise-conditional energy `E(x, log σ)` (a
 * {@link ParametricEnergy} of dimension `d + 1` whose last input is `log σ`, as
 * denoising score matching with `noiseConditional: true` trains it), as a
 * `NoiseConditionalScore` for `AnnealedLangevin`: `scoreAt(out, x, σ)` writes
 * `−∇ₓE([x_n, log σ])` (the first `d` coordinates) into row `n` of `out`.
 * @param model - the energy, of dimension ≥ 2
 * @returns `{ dimension: d, scoreAt }`
 * @throws {TypeError | RangeError} on a model that is not a batched energy of dimension ≥ 2
 * @example
 * ```ts
 * import { EnergyNetwork, noiseConditionalScore, fromArrays, zeros } from 'boltzmann';
 * const net = new EnergyNetwork(3, { hidden: [16], rng: 1 }); // E(x₁, x₂, log σ)
 * const s = noiseConditionalScore(net);
 * s.scoreAt(zeros(1, 2), fromArrays([[0.5, -1]]), 0.1); // −∇ₓE at σ = 0.1
 * ```
 * @category Training
 */
export function noiseConditionalScore(model: ParametricEnergy): NoiseConditionalScore {
  const where = 'noiseConditionalScore';
  if (model === null || typeof model !== 'object' || typeof model.inputGradients !== 'function') throw new TypeError(`${where}: model must be a batched energy with inputGradients(out, x)`);
  const D = checkInt(where, 'model.dimension', model.dimension, 2);
  const d = D - 1;
  return {
    dimension: d,
    scoreAt(out: Matrix, x: Matrix, sigma: number): Matrix {
      const w = 'noiseConditionalScore.scoreAt';
      checkPositive(w, 'sigma', sigma);
      checkMatrix(w, 'x', x, undefined, d);
      checkMatrix(w, 'out', out, x.rows, d);
      const n = x.rows;
      const ls = log(sigma);
      const xin = new Float64Array(n * D);
      for (let r = 0; r < n; r++) {
        xin.set(x.data.subarray(r * d, (r + 1) * d), r * D);
        xin[r * D + d] = ls;
      }
      const g = model.inputGradients({ rows: n, cols: D, data: new Float64Array(n * D) }, { rows: n, cols: D, data: xin }).data;
      for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) out.data[r * d + i] = -g[r * D + i];
      return out;
    },
  };
}

/** What {@link nceLoss} returns.
 * @category Training
 */
export interface NceLossResult {
  /** The loss `J`. */
  loss: number;
  /** `∂J/∂c`. */
  gradC: number;
}

/**
 * Noise-contrastive estimation (Gutmann & Hyvärinen 2010) on a batch:
 * `log p(x) = −E(x) − c` with `c` (log Z) learned, `G = log p − log p_n − log ν`
 * (`ν` = noise rows / data rows), `J = −(1/n)[Σ_data log σ(G) + Σ_noise log σ(−G)]`.
 * Accumulates `∇θJ` into `grad` and returns `J` with `∂J/∂c`.
 * @param model - the energy
 * @param c - the log partition function parameter
 * @param x - `[n, dimension]` data rows (unchecked)
 * @param y - `[m, dimension]` noise rows (unchecked)
 * @param logPnX - `log p_n` at the data rows
 * @param logPnY - `log p_n` at the noise rows
 * @param grad - accumulates `∇θJ`
 * @returns `{ loss, gradC }`
 * @example
 * ```ts
 * import { EnergyNetwork, nceLoss, fromArrays } from 'boltzmann';
 * const net = new EnergyNetwork(1, { hidden: [8], rng: 1 });
 * const g = new Float64Array(net.nParameters);
 * nceLoss(net, 0.9, fromArrays([[0.1]]), fromArrays([[1], [-2]]), Float64Array.of(-0.9), Float64Array.of(-1.4, -2.9), g).loss;
 * ```
 * @category Training
 */
export function nceLoss(
  model: SecondOrderEnergy,
  c: number,
  x: Matrix,
  y: Matrix,
  logPnX: Float64Array,
  logPnY: Float64Array,
  grad: Float64Array,
): NceLossResult {
  const n = x.rows;
  const logNu = log(y.rows / n);
  let loss = 0;
  let gradC = 0;
  const pass = (u: Matrix, logPn: Float64Array, isData: boolean): void => {
    const B = u.rows;
    if (B === 0) return;
    const { energy } = model.taylorForwardUnchecked(u.data, new Float64Array(B * u.cols), B, 1);
    const w = new Float64Array(B);
    for (let r = 0; r < B; r++) {
      const G = -energy[r] - c - logPn[r] - logNu;
      // dJ/dG: −σ(−G)/n for data, σ(G)/n for noise; dG/dθ = −∇θE, dG/dc = −1
      const dG = (isData ? -sigmoid(-G) : sigmoid(G)) / n;
      loss -= isData ? logSigmoid(G) : logSigmoid(-G);
      w[r] = -dG;
      gradC -= dG;
    }
    model.taylorBackwardUnchecked(w, null, null, grad, null);
  };
  pass(x, logPnX, true);
  pass(y, logPnY, false);
  return { loss: loss / n, gradC };
}

/**
 * A Gaussian component of an NCE noise density: N(mean, covariance).
 * @category Training
 */
export interface NoiseComponent {
  /** Mean (length d). */
  mean: ArrayLike<number>;
  /** Covariance (d × d row-major, symmetric positive definite). */
  covariance: ArrayLike<number>;
}

/**
 * A Gaussian-mixture NCE noise density `Σ_k w_k N(m_k, C_k)`.
 * @category Training
 */
export interface NoiseMixture {
  /** Mixture weights (positive; normalised). Default equal. */
  weights?: ArrayLike<number>;
  /** The components. */
  components: readonly NoiseComponent[];
}

/**
 * A noise density with exact sampling and log-density: a Gaussian mixture.
 * @example
 * ```ts
 * import { NoiseDensity, Random } from 'boltzmann';
 * const pn = new NoiseDensity({ components: [{ mean: [0], covariance: [1] }] }, 1, 'example');
 * pn.logDensity(Float64Array.of(0)); // −log √(2π)
 * pn.sample(3, new Random(1)).rows; // 3
 * ```
 * @category Training
 */
export class NoiseDensity {
  private readonly d: number;
  private readonly logW: Float64Array;
  private readonly cum: Float64Array;
  private readonly means: Float64Array[] = [];
  private readonly chol: Float64Array[] = [];
  private readonly inv: Float64Array[] = [];
  private readonly logC: number[] = [];
  private readonly a: Float64Array;
  private readonly terms: Float64Array;

  /**
   * @param noise - a mixture (or a single component)
   * @param d - dimension
   * @param where - the caller, for error messages
   * @throws {TypeError | RangeError} on a malformed mixture
   */
  constructor(noise: NoiseMixture | NoiseComponent, d: number, where: string) {
    if (noise === null || typeof noise !== 'object') {
      throw new TypeError(`${where}: noise must be { mean, covariance } or { weights?, components } (got ${describeValue(noise)})`);
    }
    checkSize(where, 'dimension', d);
    const mix: NoiseMixture = 'components' in noise ? noise : { components: [noise] };
    if (!Array.isArray(mix.components) || mix.components.length < 1) throw new TypeError(`${where}: noise.components must be a non-empty array of { mean, covariance }`);
    const K = mix.components.length;
    const w = mix.weights === undefined ? new Float64Array(K).fill(1 / K) : numberArray(where, 'noise.weights', mix.weights);
    if (w.length !== K) throw new RangeError(`${where}: noise.weights must have one weight per component (${K}) (got ${w.length})`);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      checkPositive(where, `noise.weights[${k}]`, w[k]);
      sum += w[k];
    }
    this.d = d;
    this.logW = new Float64Array(K);
    this.cum = new Float64Array(K);
    let acc = 0;
    for (let k = 0; k < K; k++) {
      this.logW[k] = log(w[k] / sum);
      acc += w[k] / sum;
      this.cum[k] = acc;
      const comp = mix.components[k];
      if (comp === null || typeof comp !== 'object') throw new TypeError(`${where}: noise component ${k} must be { mean, covariance }`);
      const m = numberArray(where, `noise component ${k} mean`, comp.mean ?? []);
      const c = numberArray(where, `noise component ${k} covariance`, comp.covariance ?? []);
      if (m.length !== d) throw new RangeError(`${where}: noise component ${k} mean must have length ${d} (got ${m.length})`);
      if (c.length !== d * d) throw new RangeError(`${where}: noise component ${k} covariance must have ${d * d} entries (got ${c.length})`);
      for (const v of [...m, ...c]) checkFinite(where, `noise component ${k}`, v);
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) if (c[i * d + j] !== c[j * d + i]) throw new RangeError(`${where}: noise component ${k} covariance must be symmetric`);
      const l = cholesky(c, d);
      if (l === undefined) throw new RangeError(`${where}: noise component ${k} covariance must be positive definite`);
      let logDet = 0;
      for (let i = 0; i < d; i++) logDet += 2 * log(l[i * d + i]);
      this.means.push(m);
      this.chol.push(l);
      this.inv.push(choleskyInverse(l, d));
      this.logC.push(-0.5 * d * log(2 * Math.PI) - 0.5 * logDet);
    }
    this.cum[K - 1] = 1;
    this.a = new Float64Array(d);
    this.terms = new Float64Array(K);
  }

  /**
   * `log p_n(u)`.
   * @example
   * ```ts
   * import { NoiseDensity } from 'boltzmann';
   * new NoiseDensity({ mean: [0, 0], covariance: [1, 0, 0, 1] }, 2, 'example').logDensity(Float64Array.of(0, 0)); // −log 2π
   * ```
   */
  logDensity(u: Float64Array): number {
    const d = this.d;
    const K = this.means.length;
    const t = this.terms;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const mu = this.means[k];
      const inv = this.inv[k];
      for (let i = 0; i < d; i++) this.a[i] = u[i] - mu[i];
      let q = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += this.a[i] * inv[i * d + j] * this.a[j];
      t[k] = this.logW[k] + this.logC[k] - 0.5 * q;
      if (t[k] > m) m = t[k];
    }
    if (K === 1) return t[0];
    let s = 0;
    for (let k = 0; k < K; k++) s += exp(t[k] - m);
    return m + log(s);
  }

  /**
   * `log p_n` of every row of `x`.
   * @example
   * ```ts
   * import { NoiseDensity, fromArrays } from 'boltzmann';
   * new NoiseDensity({ mean: [0], covariance: [1] }, 1, 'example').logDensities(fromArrays([[0], [1]])).length; // 2
   * ```
   */
  logDensities(x: Matrix): Float64Array {
    const out = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) out[r] = this.logDensity(x.data.subarray(r * this.d, (r + 1) * this.d));
    return out;
  }

  /**
   * `n` exact samples (component by its weight, then `m + Lz`).
   * @example
   * ```ts
   * import { NoiseDensity, Random } from 'boltzmann';
   * new NoiseDensity({ mean: [0], covariance: [4] }, 1, 'example').sample(2, new Random(3)).cols; // 1
   * ```
   */
  sample(n: number, rng: Random): Matrix {
    const d = this.d;
    const out: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    const z = new Float64Array(d);
    const K = this.means.length;
    for (let r = 0; r < n; r++) {
      let k = 0;
      if (K > 1) {
        const u = rng.float64();
        while (k < K - 1 && u >= this.cum[k]) k++;
      }
      rng.fillNormal(z);
      const l = this.chol[k];
      for (let i = 0; i < d; i++) {
        let s = this.means[k][i];
        for (let j = 0; j <= i; j++) s += l[i * d + j] * z[j];
        out.data[r * d + i] = s;
      }
    }
    return out;
  }
}

function checkFinite(where: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${where}: ${name} must have finite entries (got ${describeValue(v)})`);
}

/** Options of the gradient-trained path of the estimator trainers (an {@link EnergyNetwork} or other {@link SecondOrderEnergy}).
 * @category Training
 */
export interface GradientEstimatorOptions {
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Mini-batch size (rows after the last whole batch of each shuffled epoch are skipped). Default 128. */
  batchSize?: number;
  /** Learning rate. Default 1e-3 (Adam). */
  learningRate?: number;
  /** `'adam'` (default) or `'sgd'`. */
  optimizer?: 'adam' | 'sgd';
  /** Adam's β₁. Default 0.9. */
  beta1?: number;
  /** L2 weight decay on the energy's parameters. Default 0. */
  weightDecay?: number;
  /** Seed or generator (shuffling, projections, noise); read when the trainer first fits. Default: split from the model's stream. */
  rng?: number | Random;
  /** Kernel threads. */
  threads?: number;
  /** Called after every epoch with its metrics; return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops after the current step when aborted. */
  signal?: AbortSignal;
}

/** Keys of {@link GradientEstimatorOptions}. @internal */
export const GRADIENT_ESTIMATOR_KEYS = [
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'beta1',
  'weightDecay',
  'rng',
  'threads',
  'onEpoch',
  'signal',
] as const satisfies readonly (keyof GradientEstimatorOptions)[];

/**
 * The mini-batch loop of the gradient-trained estimators: shuffles with its
 * generator, asks the objective for each batch's loss and gradient (over the
 * energy's parameters and any extra parameters, e.g. NCE's log Z), and takes
 * an Adam or SGD step only when every number is finite (else it throws
 * {@link NumericalError} with parameters, moments and generator unchanged).
 * When the failing update is the first of its epoch, the epoch's shuffle is
 * put back too; when it is the first of the `run`, so is the generator the
 * run took (the previous one, and the model's stream it was split from), so
 * a run that fails before its first update changes nothing.
 * Optimizer moments and the generator carry over between `run` calls.
 * @internal
 */
export class GradientLoop {
  /** The generator (shuffling and the objective's draws). */
  rng: Random | undefined;
  /** Optimizer steps taken. */
  t = 0;
  private epochs = 0;
  private readonly params: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private readonly g: Float64Array[];

  /** @param params - the live parameter arrays, updated in place (the first is the energy's) */
  constructor(params: Float64Array[]) {
    this.params = params;
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
    this.g = params.map((p) => new Float64Array(p.length));
  }

  /**
   * Checks the loop options (before anything changes): the numbers, the
   * generator, and that `onEpoch` is a function and `signal` an AbortSignal.
   * @throws {TypeError | RangeError} on a bad option, naming it
   */
  static check(where: string, o: GradientEstimatorOptions) {
    return {
      epochs: o.epochs === undefined ? 1 : checkSteps(where, 'epochs', o.epochs),
      batchSize: o.batchSize === undefined ? 128 : checkSize(where, 'batchSize', o.batchSize, 1),
      learningRate: o.learningRate === undefined ? 1e-3 : checkPositive(where, 'learningRate', o.learningRate),
      optimizer: o.optimizer === undefined ? 'adam' : checkOneOf(where, 'optimizer', o.optimizer, ['adam', 'sgd'] as const),
      beta1: o.beta1 === undefined ? 0.9 : checkInRange(where, 'beta1', o.beta1, 0, 1, { hiOpen: true }),
      weightDecay: o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay),
      threads: o.threads === undefined ? undefined : checkInt(where, 'threads', o.threads, 1),
      rng: o.rng === undefined ? undefined : toRandom(o.rng, where),
      onEpoch: checkCallback<(metrics: EpochMetrics) => unknown>(where, 'onEpoch', o.onEpoch),
      signal: checkAbortSignal(where, o.signal),
    };
  }

  /**
   * Runs the epochs. `objective(batch, rng, grads)` returns the batch loss and
   * accumulates its gradient into `grads` (zeroed, one per parameter array).
   */
  run(where: string, data: Matrix, o: ReturnType<typeof GradientLoop.check>, own: Random | undefined, objective: (batch: Matrix, rng: Random, grads: Float64Array[]) => number): FitResult {
    const previous = this.rng;
    const t0 = this.t;
    let ownBefore: RandomState | undefined;
    if (o.rng !== undefined) this.rng = o.rng;
    else if (this.rng === undefined) {
      ownBefore = own?.getState();
      this.rng = own !== undefined ? own.split() : new Random(0);
    }
    try {
      return this.runEpochs(where, data, o, objective);
    } catch (e) {
      if (this.t === t0) {
        // No update: the generator the run took, and the model's stream it split it from, go back.
        this.rng = previous;
        if (own !== undefined && ownBefore !== undefined) own.setState(ownBefore);
      }
      throw e;
    }
  }

  private runEpochs(where: string, data: Matrix, o: ReturnType<typeof GradientLoop.check>, objective: (batch: Matrix, rng: Random, grads: Float64Array[]) => number): FitResult {
    const rng = this.rng as Random;
    return withThreads(o.threads, () => {
      const d = data.cols;
      const size = Math.min(o.batchSize, data.rows);
      const batch: Matrix = { rows: size, cols: d, data: new Float64Array(size * d) };
      const history: EpochMetrics[] = [];
      let done = 0;
      let aborted = false;
      for (let e = 0; e < o.epochs && !aborted; e++) {
        if (o.signal?.aborted) {
          aborted = true;
          break;
        }
        const t0 = performance.now();
        const beforeShuffle = rng.getState();
        const perm = rng.permutation(data.rows);
        let sum = 0;
        let count = 0;
        for (let start = 0; start + size <= data.rows; start += size) {
          if (o.signal?.aborted) {
            aborted = true;
            break;
          }
          for (let n = 0; n < size; n++) batch.data.set(data.data.subarray(perm[start + n] * d, (perm[start + n] + 1) * d), n * d);
          try {
            sum += this.step(where, batch, o, objective);
          } catch (e) {
            // The epoch's first update failed: its shuffle is put back too (the step put back its own draws).
            if (count === 0) rng.setState(beforeShuffle);
            throw e;
          }
          count++;
        }
        if (aborted) break;
        const metrics: EpochMetrics = { epoch: this.epochs, steps: this.t, learningRate: o.learningRate, seconds: (performance.now() - t0) / 1000, loss: sum / count };
        this.epochs++;
        done++;
        history.push(metrics);
        if (o.onEpoch?.(metrics) === false) break;
      }
      return { history, epochs: done, aborted };
    });
  }

  private step(where: string, batch: Matrix, o: ReturnType<typeof GradientLoop.check>, objective: (batch: Matrix, rng: Random, grads: Float64Array[]) => number): number {
    const rng = this.rng as Random;
    const saved = rng.getState();
    for (const g of this.g) g.fill(0);
    let loss: number;
    try {
      loss = objective(batch, rng, this.g);
    } catch (e) {
      rng.setState(saved);
      throw e;
    }
    let finite = Number.isFinite(loss);
    for (const g of this.g) for (let j = 0; j < g.length && finite; j++) if (!Number.isFinite(g[j])) finite = false;
    if (!finite) {
      rng.setState(saved);
      throw new NumericalError(`${where}: the loss or its gradient is not finite in update ${this.t + 1} (learning rate ${o.learningRate}); the model is unchanged (lower the learning rate)`);
    }
    // Every new value is computed (and checked) before any is written.
    if (!this.update(o, this.t + 1, false)) {
      rng.setState(saved);
      throw new NumericalError(`${where}: the parameter update is not finite in update ${this.t + 1} (learning rate ${o.learningRate}); the model is unchanged (lower the learning rate)`);
    }
    this.t++;
    this.update(o, this.t, true);
    return loss;
  }

  /**
   * The `t`-th Adam or SGD update from `this.g`: with `write`, applies it to the
   * parameters and moments; without, only checks that every value it would
   * write is finite (the same expressions, so the same numbers). Returns whether they all are.
   */
  private update(o: ReturnType<typeof GradientLoop.check>, t: number, write: boolean): boolean {
    const b1 = o.beta1;
    const b2 = 0.999;
    const c1 = b1 > 0 ? 1 - pow(b1, t) : 1;
    const c2 = 1 - pow(b2, t);
    for (let a = 0; a < this.params.length; a++) {
      const p = this.params[a];
      const g = this.g[a];
      const m = this.m[a];
      const v = this.v[a];
      const wd = a === 0 ? o.weightDecay : 0;
      for (let j = 0; j < p.length; j++) {
        const gj = g[j] + wd * p[j];
        let mj = m[j];
        let vj = v[j];
        let pj: number;
        if (o.optimizer === 'sgd') pj = p[j] - o.learningRate * gj;
        else {
          mj = b1 * m[j] + (1 - b1) * gj;
          vj = b2 * v[j] + (1 - b2) * gj * gj;
          pj = p[j] - (o.learningRate * (mj / c1)) / (Math.sqrt(vj / c2) + 1e-8);
        }
        if (write) {
          p[j] = pj;
          m[j] = mj;
          v[j] = vj;
        } else if (!Number.isFinite(pj) || !Number.isFinite(mj) || !Number.isFinite(vj)) return false;
      }
    }
    return true;
  }
}
