/**
 * Denoising score matching (Vincent 2011) for a quadratic energy.
 * @module
 */
import type { EpochMetrics, FitResult } from '../models/contract.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { checkInt, checkMatrix, checkOptionsKeys, checkPositive, type DataInput, optionKeys, toMatrix } from '../validate.js';
import { type GaussianParameters, type LossAndGradient, nSymmetric, packSymmetricGradient, toNatural, unpackSymmetric } from './gaussian-natural.js';
import { checkGaussianData, runNewton } from './score-matching.js';

/** Options of {@link DenoisingScoreMatchingTrainer.fit}.
 * @category Training
 */
export interface DenoisingScoreMatchingFitOptions {
  /** Noise standard deviation σ (default 0.1). */
  sigma?: number;
  /** Noise draws per data row (default 4; each is used with both signs, ±ε). */
  noiseDraws?: number;
  /** Newton iterations (default 20; the loss is quadratic for fixed draws). */
  epochs?: number;
  /** Generator of the noise draws (default: split from the model's stream). */
  rng?: number | Random;
  /** Called after every iteration with its metrics; return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops after the current iteration when aborted. */
  signal?: AbortSignal;
}
const FIT_KEYS = optionKeys<DenoisingScoreMatchingFitOptions>()({ sigma: true, noiseDraws: true, epochs: true, rng: true, onEpoch: true, signal: true });

/**
 * Denoising score matching for `E(x) = ½(x−μ)ᵀΛ(x−μ)`: with x̃ = x + σε,
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
  /** Newton iterations done so far. */
  steps = 0;
  /** @param model - the energy whose mean and precision are fitted in place */
  constructor(readonly model: GaussianParameters) {}

  /**
   * The objective and its gradient at θ = (Λ upper triangle, h) for data rows
   * and the standard normal draws `noise` (`[rows × k, d]`: row r uses noise rows r·k … r·k + k − 1, each with both signs).
   * @example
   * ```ts
   * import { GaussianEnergy, DenoisingScoreMatchingTrainer } from 'boltzmann';
   * const t = new DenoisingScoreMatchingTrainer(new GaussianEnergy(1));
   * t.objective(Float64Array.of(1, 0), [[0]], [[1]], 1).loss; // ½(1 − 1)² = 0
   * ```
   */
  objective(theta: Float64Array, data: DataInput, noise: DataInput, sigma: number): LossAndGradient {
    const where = 'DenoisingScoreMatchingTrainer.objective';
    const d = this.model.dimension;
    const x = checkGaussianData(where, data, d);
    const e = checkMatrix(where, 'noise', toMatrix(where, 'noise', noise), undefined, d);
    if (e.rows % x.rows !== 0 || e.rows === 0) throw new RangeError(`${where}: noise must have a positive multiple of the data's ${x.rows} rows (got ${e.rows})`);
    checkPositive(where, 'sigma', sigma);
    return this.objectiveUnchecked(theta, x, e, sigma);
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
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @example
   * ```ts
   * import { GaussianEnergy, DenoisingScoreMatchingTrainer } from 'boltzmann';
   * const model = new GaussianEnergy(1);
   * new DenoisingScoreMatchingTrainer(model).fit([[-1], [1]], { sigma: 0.5, rng: 2 }).epochs; // ≥ 1
   * ```
   */
  fit(data: DataInput, options?: DenoisingScoreMatchingFitOptions): FitResult {
    const where = 'DenoisingScoreMatchingTrainer.fit';
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const sigma = o.sigma === undefined ? 0.1 : checkPositive(where, 'sigma', o.sigma);
    const draws = o.noiseDraws === undefined ? 4 : checkInt(where, 'noiseDraws', o.noiseDraws, 1);
    const epochs = o.epochs === undefined ? 20 : checkInt(where, 'epochs', o.epochs, 1);
    const d = this.model.dimension;
    const x = checkGaussianData(where, data, d);
    const rng = o.rng === undefined ? this.model.random.split() : toRandom(o.rng, where);
    const e: Matrix = { rows: x.rows * draws, cols: d, data: rng.fillNormal(new Float64Array(x.rows * draws * d)) };
    return runNewton(where, this.model, (t) => this.objectiveUnchecked(t, x, e, sigma), toNatural(this.model.mean, this.model.precision, d), epochs, o, () => this.steps++);
  }
}
