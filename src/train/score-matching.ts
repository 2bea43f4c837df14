/**
 * Exact score matching (Hyvärinen 2005) for a quadratic energy.
 * @module
 */
import { describeValue, NumericalError } from '../errors.js';
import type { EpochMetrics, FitResult } from '../models/contract.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkAllFinite, checkMatrix, checkOptionsKeys, checkSteps, checkVector, type DataInput, optionKeys, toMatrix } from '../validate.js';
import {
  exactScoreMatchingLoss,
  GRADIENT_ESTIMATOR_KEYS,
  GradientLoop,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  type SecondOrderEnergy,
} from './energy-estimators.js';
import {
  fromNatural,
  type GaussianParameters,
  isNumericallySingular,
  type LossAndGradient,
  minimiseNewton,
  nSymmetric,
  packSymmetricGradient,
  sampleMean,
  sampleMoments,
  toNatural,
  unpackSymmetric,
} from './gaussian-natural.js';
import { checkAbortSignal, checkCallback } from './checks.js';

/** Options of {@link ScoreMatchingTrainer.fit}.
 * @category Training
 */
export interface ScoreMatchingFitOptions {
  /** Newton iterations (default 20; the loss is quadratic, so one suffices up to rounding). */
  epochs?: number;
  /** Called after every iteration with its metrics; return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops after the current iteration when aborted. */
  signal?: AbortSignal;
}
const FIT_KEYS = optionKeys<ScoreMatchingFitOptions>()({ epochs: true, onEpoch: true, signal: true });

/**
 * Refuses, on the Gaussian (Newton) path, an option that only the
 * gradient-trained path reads; then checks the Gaussian keys as before.
 * @internal
 */
export function checkGaussianPathKeys<T extends object>(where: string, options: T | undefined, networkOnly: readonly string[]): void {
  if (options === undefined || options === null || typeof options !== 'object') return;
  for (const key of networkOnly) {
    if ((options as Record<string, unknown>)[key] !== undefined) {
      throw new RangeError(`${where}: ${key} applies to gradient-trained energies (an EnergyNetwork), not to a Gaussian energy fitted by Newton steps`);
    }
  }
}

/** The model's current parameters replaced by `theta` while `fn` runs (restored after). @internal */
export function withParameters<T>(where: string, model: SecondOrderEnergy, theta: Float64Array, extra: number, fn: () => T): T {
  checkVector(where, 'theta', theta, model.parameters.length + extra);
  checkAllFinite(where, 'theta', theta);
  const saved = model.parameters.slice();
  model.parameters.set(theta.subarray(0, model.parameters.length));
  try {
    return fn();
  } finally {
    model.parameters.set(saved);
  }
}

/** Data rows for a gradient-trained energy (at least one, finite, its width). @internal */
export function checkEnergyData(where: string, name: string, data: DataInput, d: number): Matrix {
  const m = checkMatrix(where, name, toMatrix(where, name, data), undefined, d);
  if (m.rows < 1) throw new RangeError(`${where}: ${name} must have at least one row (got 0)`);
  checkAllFinite(where, name, m.data);
  return m;
}

/**
 * Checks the callback and signal of a Gaussian (Newton) fit before anything is
 * drawn or changed: `onEpoch` a function, `signal` an AbortSignal. @internal
 */
export function checkNewtonLoop(where: string, o: { onEpoch?: unknown; signal?: unknown }): void {
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
}

/**
 * Checks that `model` is what the estimator trainers fit: a {@link SecondOrderEnergy}
 * (an EnergyNetwork) or a Gaussian energy (dimension, mean, precision, generator). @internal
 */
export function checkEstimatorModel(where: string, model: unknown): void {
  if (isSecondOrderEnergy(model)) return;
  const g = model as Partial<GaussianParameters> | null;
  if (
    g === null ||
    typeof g !== 'object' ||
    !(g.mean instanceof Float64Array) ||
    !(g.precision instanceof Float64Array) ||
    typeof g.dimension !== 'number' ||
    g.mean.length !== g.dimension ||
    g.precision.length !== g.dimension * g.dimension
  ) {
    throw new TypeError(`${where}: model must be a SecondOrderEnergy (an EnergyNetwork) or a Gaussian energy (dimension, mean, precision) (got ${describeValue(model)})`);
  }
}

/**
 * The packed natural parameters θ of a Gaussian objective: a Float64Array of
 * `d(d+1)/2 + d + extra` finite entries. @internal
 */
export function checkGaussianTheta(where: string, theta: unknown, d: number, extra = 0): Float64Array {
  const t = checkVector(where, 'theta', theta, nSymmetric(d) + d + extra);
  checkAllFinite(where, 'theta', t);
  return t;
}

/** Checks a data argument against the model's dimension. */
export function checkGaussianData(where: string, data: DataInput, d: number): Matrix {
  const m = checkMatrix(where, 'data', toMatrix(where, 'data', data), undefined, d);
  if (m.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
  checkAllFinite(where, 'data', m.data);
  return m;
}

/**
 * Exact score matching (Hyvärinen 2005), `J = mean[½‖∇ₓE(x)‖² − tr ∇ₓ²E(x)]`,
 * on a quadratic energy or on a {@link SecondOrderEnergy} such as {@link EnergyNetwork}.
 *
 * For the quadratic energy `E(x) = ½(x−μ)ᵀΛ(x−μ)` (a {@link GaussianEnergy}):
 * `J = mean[½‖Λx − h‖²] − tr Λ` is quadratic in the natural parameters
 * (Λ, h = Λμ) and minimised by damped Newton steps; the
 * minimiser is μ = sample mean, Λ = inverse (1/n) sample covariance.
 * Deterministic (no generator is used).
 *
 * For a network: mini-batch Adam (or SGD) on `J` with the exact Hessian trace
 * (one second-order pass per coordinate: for small dimensions; see
 * {@link SlicedScoreMatchingTrainer} otherwise), options
 * {@link GradientEstimatorOptions}. Optimizer moments and the generator
 * (split from the model's stream unless `rng` is given) carry over between `fit` calls.
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
  /** Newton iterations (Gaussian) or optimizer steps (network) done so far. */
  steps = 0;
  private loop: GradientLoop | undefined;
  /**
   * @param model - the energy fitted in place: a Gaussian's mean and precision, or a network's parameters
   * @throws {TypeError} when the model is neither a {@link SecondOrderEnergy} nor a Gaussian energy
   */
  constructor(readonly model: GaussianParameters | SecondOrderEnergy) {
    checkEstimatorModel('ScoreMatchingTrainer', model);
  }

  /**
   * The objective and its gradient at natural parameters θ = (Λ upper triangle row by row, h).
   * @throws {TypeError | RangeError | ShapeError} on a `theta` that is not a finite Float64Array of the
   *   parameters' length, or on bad data or noise (nothing is changed)
   * @example
   * ```ts
   * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
   * const t = new ScoreMatchingTrainer(new GaussianEnergy(1));
   * t.objective(Float64Array.of(1, 0), [[1]]).loss; // 0.5 − 1 = −0.5
   * ```
   */
  objective(theta: Float64Array, data: DataInput): LossAndGradient {
    const d = this.model.dimension;
    const model = this.model;
    if (isSecondOrderEnergy(model)) {
      const where = 'ScoreMatchingTrainer.objective';
      const x = checkEnergyData(where, 'data', data, d);
      return withParameters(where, model, theta, 0, () => {
        const gradient = new Float64Array(theta.length);
        const loss = exactScoreMatchingLoss(model, x, gradient);
        return { loss, gradient };
      });
    }
    const t = checkGaussianTheta('ScoreMatchingTrainer.objective', theta, d);
    const x = checkGaussianData('ScoreMatchingTrainer.objective', data, d);
    return this.objectiveUnchecked(t, x);
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
    const model = this.model;
    if (isSecondOrderEnergy(model)) return this.objective(model.parameters.slice(), data).loss;
    return this.objective(toNatural(model.mean, model.precision, d), data).loss;
  }

  /**
   * Minimises the loss on `data` by damped Newton steps (each an epoch) and writes μ, Λ into the model.
   * The loss is quadratic: one step reaches its minimum up to rounding, and the fit stops
   * when no step lowers the loss any more. When it stops short of that — `epochs` ran out
   * while the loss still fell, as it does when the loss has no minimum (fewer than d + 1
   * affinely independent rows: a singular sample covariance) — the last epoch's metrics
   * in `history` carry a `warning` saying so. (A network is trained by mini-batches, as the class describes.)
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} on a Gaussian energy, when the loss, its Hessian or the fitted
   * parameters are not finite (e.g. data whose squares overflow), the Hessian is not positive
   * definite, or no Newton step can be taken; the mean and precision are then as they were
   * @example
   * ```ts
   * import { GaussianEnergy, ScoreMatchingTrainer } from 'boltzmann';
   * const model = new GaussianEnergy(1); // μ = 0, Λ = 1
   * const r = new ScoreMatchingTrainer(model).fit([[0], [2]]);
   * r.history[0].loss; // −0.5, after one Newton step
   * model.mean; // Float64Array [1], the sample mean; Λ stays 1 (the sample variance is 1)
   * new ScoreMatchingTrainer(new GaussianEnergy(1)).fit([[-1], [1]]).epochs; // 0: already at the minimum, no step lowers the loss
   * ```
   */
  fit(data: DataInput, options?: ScoreMatchingFitOptions & GradientEstimatorOptions): FitResult {
    const where = 'ScoreMatchingTrainer.fit';
    const model = this.model;
    if (isSecondOrderEnergy(model)) {
      const o = GradientLoop.check(where, checkOptionsKeys(where, options, GRADIENT_ESTIMATOR_KEYS));
      const x = checkEnergyData(where, 'data', data, model.dimension);
      this.loop ??= new GradientLoop([model.parameters]);
      const loop = this.loop;
      try {
        return loop.run(where, x, o, model.random, (batch, _rng, grads) => exactScoreMatchingLoss(model, batch, grads[0]));
      } finally {
        this.steps = loop.t;
      }
    }
    checkGaussianPathKeys(where, options, GRADIENT_ESTIMATOR_KEYS.filter((k) => k !== 'epochs' && k !== 'onEpoch' && k !== 'signal'));
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const epochs = o.epochs === undefined ? 20 : checkSteps(where, 'epochs', o.epochs, 1);
    checkNewtonLoop(where, o);
    const d = model.dimension;
    const x = checkGaussianData(where, data, d);
    // the loss is bounded below exactly when the sample covariance is positive definite
    const singular = isNumericallySingular(sampleMoments(x.data, x.rows, d).covariance, d);
    const c = centredGaussian(x, model);
    return runNewton(
      where,
      'score-matching',
      model,
      (t) => this.objectiveUnchecked(t, c.x),
      c.theta0,
      epochs,
      o,
      (n) => {
        this.steps += n;
      },
      undefined,
      singular ? `their covariance is singular: fewer than ${d + 1} affinely independent rows; the precision grows without bound along the directions they do not span` : undefined,
      c.offset,
    );
  }
}

/**
 * Runs {@link minimiseNewton} with epoch metrics and writes the result into the model
 * (nothing is written, and `count` is not called, when it throws).
 * A fit that stops short of the minimum — its `epochs` ran out while the loss still
 * fell — or whose loss has no minimum (`noMinimum` says why) returns normally, with a
 * `warning` on its last epoch's metrics saying so; with no epoch done it throws instead.
 * @param where - the method, e.g. `'ScoreMatchingTrainer.fit'`
 * @param loss - the loss's name in messages, e.g. `'score-matching'`
 * @param count - called once, on success, with the Newton iterations made
 * @param noMinimum - set when the caller knows the loss has no minimum on these data: why
 * @param offset - added to the fitted μ last (after `finish`), for a loss minimised on rows centred on it
 * @throws {NumericalError} when the loss is not finite at the start, a Newton step cannot be
 * formed or taken, the loss has no minimum and no step was taken, or the fitted mean or
 * precision is not finite (the model is unchanged)
 * @internal
 */
export function runNewton(
  where: string,
  loss: string,
  model: GaussianParameters,
  objective: (theta: Float64Array) => LossAndGradient,
  theta0: Float64Array,
  epochs: number,
  o: { onEpoch?: (m: EpochMetrics) => unknown; signal?: AbortSignal },
  count: (iterations: number) => void,
  finish?: (theta: Float64Array) => void,
  noMinimum?: string,
  offset?: Float64Array,
): FitResult {
  // an already-aborted signal takes no step and writes nothing (keepStreamOnFailure puts the
  // generator back too), as every model's fit does
  if (o.signal?.aborted === true) return { history: [], epochs: 0, aborted: true };
  const what = `${where}: the ${loss} loss`;
  const history: EpochMetrics[] = [];
  let aborted = false;
  let t0 = performance.now();
  const r = minimiseNewton(
    objective,
    theta0,
    model.dimension,
    epochs,
    (value, epoch) => {
      const metrics: EpochMetrics = { epoch, steps: epoch + 1, learningRate: Number.NaN, seconds: (performance.now() - t0) / 1000, loss: value };
      history.push(metrics);
      t0 = performance.now();
      if (o.onEpoch !== undefined && o.onEpoch(metrics) === false) return false;
      if (o.signal?.aborted === true) {
        aborted = true;
        return false;
      }
      return true;
    },
    what,
  );
  let warning: string | undefined;
  if (noMinimum !== undefined) {
    warning = `the ${loss} loss has no minimum on these data (${noMinimum}): these parameters are where ${history.length} Newton iterations stopped (loss ${r.loss}), not a fit`;
  } else if (r.stop === 'iterations') {
    warning = `not converged after ${history.length} Newton iterations: at the ${loss} loss ${r.loss}, ${r.remaining}; raise epochs, rescale the data if they are far from unit scale, or the loss may have no minimum on these data (too few rows, or rows on a lower-dimensional subspace)`;
  }
  const last = history[history.length - 1];
  if (warning !== undefined) {
    if (last === undefined) throw new NumericalError(`${where}: ${warning}; nothing was changed`);
    last.warning = warning;
  }
  fromNatural(r.theta, model.dimension, model.mean, model.precision, where);
  finish?.(r.theta);
  // a fit on centred rows (centredGaussian): μ moves back by the rows' mean
  if (offset !== undefined) for (let i = 0; i < model.dimension; i++) model.mean[i] += offset[i];
  count(history.length);
  return { history, epochs: history.length, aborted };
}

/**
 * `x` less `m` in every row (a copy).
 * @internal
 */
export function centreRows(x: Matrix, m: Float64Array): Matrix {
  const d = x.cols;
  const out = new Float64Array(x.data.length);
  for (let r = 0; r < x.rows; r++) for (let i = 0; i < d; i++) out[r * d + i] = x.data[r * d + i] - m[i];
  return { rows: x.rows, cols: d, data: out };
}

/**
 * The coordinates the Gaussian estimators minimise in: the rows less their mean `m` (zeros where
 * that mean is not finite, so the estimator's own checks report the data), and the Newton start
 * of the model's μ − m and Λ. Every estimator here moves with the data (its μ for rows `x + a` is
 * its μ for `x`, plus `a`), so the fit is the same; on centred rows the Newton steps stay well
 * conditioned however far the data sit from the origin (data centred at (10⁸, −10⁸) had stopped
 * unconverged with a wrong precision). Pass `offset` to {@link runNewton} to move μ back.
 * @internal
 */
export function centredGaussian(x: Matrix, model: GaussianParameters): { x: Matrix; offset: Float64Array; theta0: Float64Array } {
  const d = x.cols;
  const m = sampleMean(x.data, x.rows, d);
  const offset = m.every(Number.isFinite) ? m : new Float64Array(d);
  return { x: centreRows(x, offset), offset, theta0: toNatural(model.mean.map((v, i) => v - offset[i]), model.precision, d) };
}

/**
 * Runs `run` (a fit) and puts the model's generator back where it was when it throws or stops before its first step
 * (the estimators that draw noise or projections split it first). @internal
 */
export function keepStreamOnFailure(model: GaussianParameters, run: () => FitResult): FitResult {
  const state = model.random.getState();
  try {
    const r = run();
    // stopped before its first step (an already-aborted signal): nothing changed, the stream included
    if (r.aborted && r.epochs === 0) model.random.setState(state);
    return r;
  } catch (e) {
    model.random.setState(state);
    throw e;
  }
}
