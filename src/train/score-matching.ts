/**
 * Exact score matching (Hyvärinen 2005) for a quadratic energy.
 * @module
 */
import type { FitResult } from '../models/contract.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkAllFinite, checkInt, checkMatrix, checkOptionsKeys, type DataInput, optionKeys, toMatrix } from '../validate.js';
import {
  fromNatural,
  type GaussianParameters,
  type LossAndGradient,
  minimiseNewton,
  nSymmetric,
  packSymmetricGradient,
  toNatural,
  unpackSymmetric,
} from './gaussian-natural.js';

/** Options of {@link ScoreMatchingTrainer.fit}.
 * @category Training
 */
export interface ScoreMatchingFitOptions {
  /** Newton iterations (default 20; the loss is quadratic, so one suffices up to rounding). */
  epochs?: number;
  /** Called after every iteration with its metrics; return `false` to stop. */
  onEpoch?: (metrics: import('../models/contract.js').EpochMetrics) => unknown;
  /** Stops after the current iteration when aborted. */
  signal?: AbortSignal;
}
const FIT_KEYS = optionKeys<ScoreMatchingFitOptions>()({ epochs: true, onEpoch: true, signal: true });

/** Checks a data argument against the model's dimension. */
export function checkGaussianData(where: string, data: DataInput, d: number): Matrix {
  const m = checkMatrix(where, 'data', toMatrix(where, 'data', data), undefined, d);
  if (m.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
  checkAllFinite(where, 'data', m.data);
  return m;
}

/**
 * Exact score matching for the quadratic energy `E(x) = ½(x−μ)ᵀΛ(x−μ)`:
 * minimises `J = mean[½‖∇ₓE(x)‖² − tr ∇ₓ²E(x)] = mean[½‖Λx − h‖²] − tr Λ`
 * over the natural parameters (Λ, h = Λμ), where it is quadratic; the
 * minimiser is μ = sample mean, Λ = inverse (1/n) sample covariance.
 * Deterministic (no generator is used).
 * @category Training
 * @example
 * ```ts
 * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
 * const model = new GaussianEnergy(1);
 * new ScoreMatchingTrainer(model).fit([[0], [1], [2], [3]]);
 * model.mean[0]; // 1.5
 * ```
 */
export class ScoreMatchingTrainer {
  /** Newton iterations done so far. */
  steps = 0;
  /** @param model - the energy whose mean and precision are fitted in place */
  constructor(readonly model: GaussianParameters) {}

  /**
   * The objective and its gradient at natural parameters θ = (Λ upper triangle row by row, h).
   * @example
   * ```ts
   * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
   * const t = new ScoreMatchingTrainer(new GaussianEnergy(1));
   * t.objective(Float64Array.of(1, 0), [[1]]).loss; // 0.5 − 1 = −0.5
   * ```
   */
  objective(theta: Float64Array, data: DataInput): LossAndGradient {
    const d = this.model.dimension;
    const x = checkGaussianData('ScoreMatchingTrainer.objective', data, d);
    return this.objectiveUnchecked(theta, x);
  }

  private objectiveUnchecked(theta: Float64Array, x: Matrix): LossAndGradient {
    const d = this.model.dimension;
    const m = nSymmetric(d);
    const lambda = unpackSymmetric(theta, d);
    const h = theta.subarray(m, m + d);
    const g = new Float64Array(d * d);
    const gh = new Float64Array(d);
    const r = new Float64Array(d);
    let loss = 0;
    for (let row = 0; row < x.rows; row++) {
      const xr = x.data.subarray(row * d, row * d + d);
      for (let i = 0; i < d; i++) {
        let s = -h[i];
        for (let j = 0; j < d; j++) s += lambda[i * d + j] * xr[j];
        r[i] = s;
        loss += 0.5 * s * s;
        gh[i] -= s;
        for (let j = 0; j < d; j++) g[i * d + j] += s * xr[j];
      }
    }
    const n = x.rows;
    loss /= n;
    for (let k = 0; k < d * d; k++) g[k] /= n;
    for (let i = 0; i < d; i++) {
      loss -= lambda[i * d + i]; // − tr ∇ₓ²E
      g[i * d + i] -= 1;
      gh[i] /= n;
    }
    const gradient = new Float64Array(m + d);
    packSymmetricGradient(g, d, gradient);
    gradient.set(gh, m);
    return { loss, gradient };
  }

  /**
   * The score-matching loss of the model's current parameters on `data`.
   * @example
   * ```ts
   * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
   * new ScoreMatchingTrainer(new GaussianEnergy(1)).loss([[0]]); // −1
   * ```
   */
  loss(data: DataInput): number {
    const d = this.model.dimension;
    return this.objective(toNatural(this.model.mean, this.model.precision, d), data).loss;
  }

  /**
   * Minimises the loss on `data` by damped Newton steps (each an epoch) and writes μ, Λ into the model.
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @example
   * ```ts
   * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
   * const model = new GaussianEnergy(1);
   * new ScoreMatchingTrainer(model).fit([[-1], [1]]).history[0].loss; // −0.5
   * ```
   */
  fit(data: DataInput, options?: ScoreMatchingFitOptions): FitResult {
    const where = 'ScoreMatchingTrainer.fit';
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const epochs = o.epochs === undefined ? 20 : checkInt(where, 'epochs', o.epochs, 1);
    const d = this.model.dimension;
    const x = checkGaussianData(where, data, d);
    return runNewton(where, this.model, (t) => this.objectiveUnchecked(t, x), toNatural(this.model.mean, this.model.precision, d), epochs, o, () => this.steps++);
  }
}

/** Runs {@link minimiseNewton} with epoch metrics and writes the result into the model. */
export function runNewton(
  where: string,
  model: GaussianParameters,
  objective: (theta: Float64Array) => LossAndGradient,
  theta0: Float64Array,
  epochs: number,
  o: { onEpoch?: (m: import('../models/contract.js').EpochMetrics) => unknown; signal?: AbortSignal },
  count: () => void,
  finish?: (theta: Float64Array) => void,
): FitResult {
  const history: import('../models/contract.js').EpochMetrics[] = [];
  let aborted = false;
  let t0 = performance.now();
  const theta = minimiseNewton(objective, theta0, model.dimension, epochs, (loss, epoch) => {
    count();
    const metrics = { epoch, steps: epoch + 1, learningRate: Number.NaN, seconds: (performance.now() - t0) / 1000, loss };
    history.push(metrics);
    t0 = performance.now();
    if (o.onEpoch !== undefined && o.onEpoch(metrics) === false) return false;
    if (o.signal?.aborted === true) {
      aborted = true;
      return false;
    }
    return true;
  });
  fromNatural(theta, model.dimension, model.mean, model.precision, where);
  finish?.(theta);
  return { history, epochs: history.length, aborted };
}
