/**
 * Denoising score matching (Vincent 2011) for a quadratic energy.
 * @module
 */
import type { EpochMetrics, FitResult } from '../models/contract.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { checkBoolean, checkElements, checkInt, checkMatrix, checkOptionsKeys, checkPositive, checkSteps, type DataInput, toMatrix } from '../validate.js';
import { describeValue } from '../errors.js';
import { type GaussianParameters, type LossAndGradient, nSymmetric, packSymmetricGradient, unpackSymmetric } from './gaussian-natural.js';
import {
  centredGaussian,
  checkEnergyData,
  checkEstimatorModel,
  checkGaussianData,
  checkGaussianPathKeys,
  checkGaussianTheta,
  checkNewtonLoop,
  keepStreamOnFailure,
  runNewton,
  withParameters,
} from './score-matching.js';
import { numberArray } from './checks.js';
import {
  denoisingScoreMatchingLoss,
  GRADIENT_ESTIMATOR_KEYS,
  GradientLoop,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  type SecondOrderEnergy,
} from './energy-estimators.js';

/** Options of {@link DenoisingScoreMatchingTrainer.fit}.
 * @category Training
 */
export interface DenoisingScoreMatchingFitOptions {
  /** Noise standard deviation σ (default 0.1). */
  sigma?: number;
  /**
   * Networks only: the noise level(s). One σ, or a ladder σ₁ … σ_L: each
   * noise draw takes one of them uniformly at random, and its loss is weighted by
   * `λ(σ) = σ²` (Song & Ermon 2019). Default `sigma` (0.1).
   */
  sigmas?: number | readonly number[];
  /** Noise draws per data row (Gaussian: default 4, each used with both signs ±ε; network: default 1 per row and step). */
  noiseDraws?: number;
  /**
   * Networks only: the energy is noise-conditional, `E(x, log σ)` — its last
   * input is `log σ` (so its dimension is the data's + 1) — as in Song & Ermon
   * (2019); sample it with `AnnealedLangevin` through {@link noiseConditionalScore}. Default false.
   */
  noiseConditional?: boolean;
  /** Newton iterations (default 20; the loss is quadratic for fixed draws). */
  epochs?: number;
  /** Generator of the noise draws (default: split from the model's stream). */
  rng?: number | Random;
  /** Called after every iteration with its metrics; return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops after the current iteration when aborted. */
  signal?: AbortSignal;
}
const GAUSSIAN_KEYS = ['sigma', 'noiseDraws', 'epochs', 'rng', 'onEpoch', 'signal'] as const satisfies readonly (keyof DenoisingScoreMatchingFitOptions)[];
const NETWORK_KEYS = [...GRADIENT_ESTIMATOR_KEYS, 'sigma', 'sigmas', 'noiseDraws', 'noiseConditional'] as const;

/** The noise ladder of a network fit: `sigmas` (number or non-empty array) or `sigma`, each > 0. @internal */
export function checkSigmas(where: string, o: { sigma?: number; sigmas?: number | readonly number[] }): Float64Array {
  if (o.sigma !== undefined && o.sigmas !== undefined) throw new RangeError(`${where}: give sigma or sigmas, not both`);
  if (o.sigmas === undefined) return Float64Array.of(o.sigma === undefined ? 0.1 : checkPositive(where, 'sigma', o.sigma));
  if (typeof o.sigmas === 'number') return Float64Array.of(checkPositive(where, 'sigmas', o.sigmas));
  if (!Array.isArray(o.sigmas) || o.sigmas.length < 1) throw new TypeError(`${where}: sigmas must be a positive number or a non-empty array of them`);
  return Float64Array.from(o.sigmas, (s, i) => checkPositive(where, `sigmas[${i}]`, s));
}

/**
 * Denoising score matching (Vincent 2011) on a quadratic energy or on a
 * {@link SecondOrderEnergy} such as {@link EnergyNetwork}.
 *
 * For a network: mini-batch Adam (or SGD, {@link GradientEstimatorOptions})
 * on `J = mean ½σ²‖∇ₓE(x + σε) − ε/σ‖²` with fresh noise every step, each
 * draw's σ taken uniformly from `sigmas` (one level, or a ladder as in
 * Song & Ermon 2019 with `λ(σ) = σ²`); the optimum's score is that of the
 * data convolved with N(0, σ²I), which tends to the data's as σ → 0.
 *
 * For `E(x) = ½(x−μ)ᵀΛ(x−μ)`: with x̃ = x + σε,
 * minimises `J = mean ½‖∇ₓE(x̃) − ε/σ‖²` (the model score −∇ₓE matched to
 * the score of the noise kernel, −(x̃ − x)/σ²) over (Λ, h = Λμ) for a fixed
 * set of noise draws, each used as ±ε (antithetic, so the mean is the sample
 * mean exactly). Its population optimum is the noisy data's Gaussian:
 * μ = mean, Λ = (Σ + σ²I)⁻¹ — a bias of σ²I in the covariance that vanishes as σ → 0.
 * @category Training
 * @example
 * ```ts
 * import { GaussianEnergy, DenoisingScoreMatchingTrainer } from 'boltzmann';
 * const model = new GaussianEnergy(1);
 * new DenoisingScoreMatchingTrainer(model).fit([[0], [1], [2], [3]], { sigma: 0.1, rng: 1 });
 * model.mean[0]; // 1.5 (up to rounding)
 * ```
 */
export class DenoisingScoreMatchingTrainer {
  /** Newton iterations (Gaussian) or optimizer steps (network) done so far. */
  steps = 0;
  private loop: GradientLoop | undefined;
  /**
   * @param model - the energy fitted in place: a Gaussian's mean and precision, or a network's parameters
   * @throws {TypeError} when the model is neither a {@link SecondOrderEnergy} nor a Gaussian energy
   */
  constructor(readonly model: GaussianParameters | SecondOrderEnergy) {
    checkEstimatorModel('DenoisingScoreMatchingTrainer', model);
  }

  /**
   * The objective and its gradient at θ = (Λ upper triangle, h) for data rows
   * and the standard normal draws `noise` (`[rows × k, d]`: row r uses noise rows r·k … r·k + k − 1, each with both signs).
   * For a network, θ is its parameter vector, each noise row is used once
   * (no sign flip), `sigma` may give one σ per noise row, and the loss is weighted by σ².
   * @throws {TypeError | RangeError | ShapeError} on a `theta` that is not a finite Float64Array of the
   *   parameters' length, or on bad data or noise (nothing is changed)
   * @example
   * ```ts
   * import { GaussianEnergy, DenoisingScoreMatchingTrainer } from 'boltzmann';
   * const t = new DenoisingScoreMatchingTrainer(new GaussianEnergy(1));
   * t.objective(Float64Array.of(1, 0), [[0]], [[1]], 1).loss; // ½(1 − 1)² = 0
   * ```
   */
  objective(theta: Float64Array, data: DataInput, noise: DataInput, sigma: number | ArrayLike<number>, noiseConditional = false): LossAndGradient {
    const where = 'DenoisingScoreMatchingTrainer.objective';
    const model = this.model;
    const cond = checkBoolean(where, 'noiseConditional', noiseConditional);
    if (cond && !isSecondOrderEnergy(model)) throw new RangeError(`${where}: noiseConditional applies to gradient-trained energies (an EnergyNetwork)`);
    const d = this.model.dimension - (cond ? 1 : 0);
    if (isSecondOrderEnergy(model)) {
      const x = checkEnergyData(where, 'data', data, d);
      const e = checkEnergyData(where, 'noise', noise, d);
      if (e.rows % x.rows !== 0) throw new RangeError(`${where}: noise must have a positive multiple of the data's ${x.rows} rows (got ${e.rows})`);
      let s: number | Float64Array;
      if (typeof sigma === 'number') s = checkPositive(where, 'sigma', sigma);
      else {
        if (sigma === null || typeof sigma !== 'object') {
          throw new TypeError(`${where}: sigma must be a number or one per noise row (got ${describeValue(sigma)})`);
        }
        s = numberArray(where, 'sigma', sigma);
        if (s.length !== e.rows) throw new RangeError(`${where}: sigma must be a number or one per noise row (${e.rows}) (got ${s.length})`);
        for (let i = 0; i < s.length; i++) checkPositive(where, `sigma[${i}]`, s[i]);
      }
      return withParameters(where, model, theta, 0, () => {
        const gradient = new Float64Array(theta.length);
        return { loss: denoisingScoreMatchingLoss(model, x, e, s, gradient, cond), gradient };
      });
    }
    if (typeof sigma !== 'number') throw new TypeError(`${where}: sigma must be a number for a Gaussian energy (got ${describeValue(sigma)})`);
    const t = checkGaussianTheta(where, theta, d);
    const x = checkGaussianData(where, data, d);
    const e = checkMatrix(where, 'noise', toMatrix(where, 'noise', noise), undefined, d);
    if (e.rows % x.rows !== 0 || e.rows === 0) throw new RangeError(`${where}: noise must have a positive multiple of the data's ${x.rows} rows (got ${e.rows})`);
    checkPositive(where, 'sigma', sigma);
    return this.objectiveUnchecked(t, x, e, sigma);
  }

  private objectiveUnchecked(theta: Float64Array, x: Matrix, e: Matrix, sigma: number): LossAndGradient {
    const d = this.model.dimension;
    const m = nSymmetric(d);
    const k = e.rows / x.rows;
    const lambda = unpackSymmetric(theta, d);
    const h = theta.subarray(m, m + d);
    const g = new Float64Array(d * d);
    const gh = new Float64Array(d);
    const xt = new Float64Array(d);
    let loss = 0;
    for (let row = 0; row < e.rows; row++) {
      const xr = Math.floor(row / k) * d;
      for (const s of [1, -1]) {
        for (let j = 0; j < d; j++) xt[j] = x.data[xr + j] + s * sigma * e.data[row * d + j];
        for (let i = 0; i < d; i++) {
          let r = -h[i] - (s * e.data[row * d + i]) / sigma;
          for (let j = 0; j < d; j++) r += lambda[i * d + j] * xt[j];
          loss += 0.5 * r * r;
          gh[i] -= r;
          for (let j = 0; j < d; j++) g[i * d + j] += r * xt[j];
        }
      }
    }
    const n = 2 * e.rows;
    for (let q = 0; q < d * d; q++) g[q] /= n;
    for (let i = 0; i < d; i++) gh[i] /= n;
    const gradient = new Float64Array(m + d);
    packSymmetricGradient(g, d, gradient);
    gradient.set(gh, m);
    return { loss: loss / n, gradient };
  }

  /**
   * Draws the noise, then minimises the loss by damped Newton steps (each an epoch) and writes μ, Λ into the model.
   * The loss is quadratic for fixed draws: one step reaches its minimum up to rounding, and
   * the fit stops when no step lowers the loss any more; when `epochs` run out before that, the
   * last epoch's metrics in `history` carry a `warning` saying so. (A network is trained by
   * mini-batches, as the class describes.)
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} on a Gaussian energy, when the loss, its Hessian or the fitted
   * parameters are not finite (e.g. data or σ so large that their squares overflow), the Hessian
   * is not positive definite, or no Newton step can be taken; the mean, precision and generator
   * are then as they were
   * @example
   * ```ts
   * import { GaussianEnergy, DenoisingScoreMatchingTrainer } from 'boltzmann';
   * const model = new GaussianEnergy(1);
   * new DenoisingScoreMatchingTrainer(model).fit([[-1], [1]], { sigma: 0.5, rng: 2 }).epochs; // ≥ 1
   * ```
   */
  fit(data: DataInput, options?: DenoisingScoreMatchingFitOptions & GradientEstimatorOptions): FitResult {
    const where = 'DenoisingScoreMatchingTrainer.fit';
    const model = this.model;
    if (isSecondOrderEnergy(model)) return this.fitNetwork(where, model, data, options);
    checkGaussianPathKeys(where, options, ['sigmas', 'noiseConditional', ...GRADIENT_ESTIMATOR_KEYS.filter((k) => !(GAUSSIAN_KEYS as readonly string[]).includes(k))]);
    return this.fitGaussian(where, model, data, options);
  }

  private fitNetwork(where: string, model: SecondOrderEnergy, data: DataInput, options: (DenoisingScoreMatchingFitOptions & GradientEstimatorOptions) | undefined): FitResult {
    const raw = checkOptionsKeys(where, options, NETWORK_KEYS);
    const sigmas = checkSigmas(where, raw);
    const draws = raw.noiseDraws === undefined ? 1 : checkInt(where, 'noiseDraws', raw.noiseDraws, 1);
    const cond = raw.noiseConditional === undefined ? false : checkBoolean(where, 'noiseConditional', raw.noiseConditional);
    if (cond && model.dimension < 2) throw new RangeError(`${where}: a noise-conditional energy takes log σ as its last input, so its dimension must be at least 2 (got ${model.dimension})`);
    const o = GradientLoop.check(where, raw);
    const d = model.dimension - (cond ? 1 : 0);
    const x = checkEnergyData(where, 'data', data, d);
    // the noise of one step: noiseDraws rows per row of the batch
    checkElements(where, 'batchSize × noiseDraws × dimension (the noise draws)', Math.min(o.batchSize, x.rows), draws, d);
    this.loop ??= new GradientLoop([model.parameters]);
    const loop = this.loop;
    const L = sigmas.length;
    try {
      return loop.run(where, x, o, model.random, (batch, rng, grads) => {
        const M = batch.rows * draws;
        const e: Matrix = { rows: M, cols: d, data: rng.fillNormal(new Float64Array(M * d)) };
        let s: number | Float64Array = sigmas[0];
        if (L > 1) {
          const per = new Float64Array(M);
          for (let j = 0; j < M; j++) per[j] = sigmas[rng.int(L)];
          s = per;
        }
        return denoisingScoreMatchingLoss(model, batch, e, s, grads[0], cond);
      });
    } finally {
      this.steps = loop.t;
    }
  }

  private fitGaussian(where: string, model: GaussianParameters, data: DataInput, options: DenoisingScoreMatchingFitOptions | undefined): FitResult {
    const o = checkOptionsKeys(where, options, GAUSSIAN_KEYS);
    const sigma = o.sigma === undefined ? 0.1 : checkPositive(where, 'sigma', o.sigma);
    const draws = o.noiseDraws === undefined ? 4 : checkInt(where, 'noiseDraws', o.noiseDraws, 1);
    const epochs = o.epochs === undefined ? 20 : checkSteps(where, 'epochs', o.epochs, 1);
    checkNewtonLoop(where, o);
    const d = model.dimension;
    const x = checkGaussianData(where, data, d);
    checkElements(where, 'rows × noiseDraws × dimension (the noise draws)', x.rows, draws, d);
    const c = centredGaussian(x, model);
    return keepStreamOnFailure(model, () => {
      const rng = o.rng === undefined ? model.random.split() : toRandom(o.rng, where);
      const e: Matrix = { rows: x.rows * draws, cols: d, data: rng.fillNormal(new Float64Array(x.rows * draws * d)) };
      const count = (n: number): void => {
        this.steps += n;
      };
      return runNewton(where, 'denoising-score-matching', model, (t) => this.objectiveUnchecked(t, c.x, e, sigma), c.theta0, epochs, o, count, undefined, undefined, c.offset);
    });
  }
}
