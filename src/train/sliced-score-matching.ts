/**
 * Sliced score matching (Song, Garg, Shi & Ermon 2019) for differentiable energies.
 * @module
 */
import type { Matrix } from '../linalg/matrix.js';
import type { FitResult } from '../models/contract.js';
import { checkAllFinite, checkBoolean, checkElements, checkInt, checkOneOf, checkOptionsKeys, checkSteps, checkVector, type DataInput } from '../validate.js';
import {
  GRADIENT_ESTIMATOR_KEYS,
  GradientLoop,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  type SecondOrderEnergy,
  slicedScoreMatchingLoss,
} from './energy-estimators.js';
import { Random, toRandom } from '../random/random.js';
import { describeValue } from '../errors.js';
import { type GaussianParameters, type LossAndGradient, nSymmetric, packSymmetricGradient, unpackSymmetric } from './gaussian-natural.js';
import {
  centredGaussian,
  checkEnergyData,
  checkGaussianData,
  checkGaussianPathKeys,
  checkGaussianTheta,
  checkNewtonLoop,
  keepStreamOnFailure,
  runNewton,
  withParameters,
} from './score-matching.js';

/** Distribution of the random projections `v` (both have `E[vvᵀ] = I`).
 * @category Training
 */
export type ProjectionDistribution = 'rademacher' | 'gaussian';

/** Options of {@link SlicedScoreMatchingTrainer.fit}: the loop options and the projections.
 * @category Training
 */
export interface SlicedScoreMatchingFitOptions extends GradientEstimatorOptions {
  /** Random projections per data row and step. Default 1. */
  nProjections?: number;
  /** `'rademacher'` (default: entries ±1) or `'gaussian'` (standard normal entries). */
  projection?: ProjectionDistribution;
  /** SSM-VR: `½‖∇ₓE‖²` in closed form instead of `½(vᵀ∇ₓE)²` (lower variance; one more first-order pass). Default false. */
  varianceReduction?: boolean;
}

const FIT_KEYS = [...GRADIENT_ESTIMATOR_KEYS, 'nProjections', 'projection', 'varianceReduction'] as const;
const GAUSSIAN_KEYS = ['nProjections', 'projection', 'epochs', 'rng', 'onEpoch', 'signal'] as const;

/** Is `m` a closed-form Gaussian energy (mean and precision fitted by Newton steps)? */
function isGaussian(m: unknown): m is GaussianParameters {
  const g = m as GaussianParameters;
  return g !== null && typeof g === 'object' && g.mean instanceof Float64Array && g.precision instanceof Float64Array && !isSecondOrderEnergy(m);
}

/**
 * Fills `out` with projection entries from `rng`: ±1 with equal probability, or standard normal.
 * @throws {TypeError | RangeError} when `out` is not a Float64Array, `kind` not a {@link ProjectionDistribution} or `rng` not a Random
 * @example
 * ```ts
 * import { drawProjections, Random } from 'boltzmann';
 * drawProjections(new Float64Array(4), 'rademacher', new Random(1)); // entries ±1
 * ```
 * @category Training
 */
export function drawProjections(out: Float64Array, kind: ProjectionDistribution, rng: Random): Float64Array {
  const where = 'drawProjections';
  checkVector(where, 'out', out);
  checkOneOf(where, 'kind', kind, ['rademacher', 'gaussian'] as const);
  if (!(rng instanceof Random)) throw new TypeError(`${where}: rng must be a Random (got ${describeValue(rng)})`);
  if (kind === 'gaussian') return rng.fillNormal(out);
  for (let i = 0; i < out.length; i++) out[i] = rng.float64() < 0.5 ? -1 : 1;
  return out;
}

/**
 * Sliced score matching: the Hessian trace of exact score matching replaced
 * by random projections, `J = E_x E_v [½(vᵀ∇ₓE)² − vᵀ∇ₓ²E v]` (with
 * `E[vvᵀ] = I` its expectation over `v` is exact score matching's loss), so one
 * Hessian–vector product per projection replaces the `d` second-order passes
 * of the exact trace. Trains a {@link SecondOrderEnergy} (such as
 * {@link EnergyNetwork}) by mini-batch Adam or SGD with `nProjections` fresh
 * projections per row and step, drawn from the trainer's generator (split
 * from the model's stream unless `rng` is given; it and the optimizer
 * moments carry over between `fit` calls).
 *
 * On a {@link GaussianEnergy} (`E = ½(x−μ)ᵀΛ(x−μ)`) the loss with a fixed
 * set of projections (`nProjections` per row, drawn once per `fit`) is
 * quadratic in (Λ, h = Λμ) and minimised by damped Newton steps, as
 * {@link ScoreMatchingTrainer} does for the exact loss; as the projections
 * grow in number its minimiser tends to the exact one (sample mean, inverse sample covariance).
 * @category Training
 * @example
 * ```ts
 * import { EnergyNetwork, SlicedScoreMatchingTrainer, ringOfGaussians } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [16, 16], rng: 1 });
 * const ssm = new SlicedScoreMatchingTrainer(net);
 * ssm.fit(ringOfGaussians(512, { rng: 2 }), { epochs: 2, batchSize: 64, nProjections: 2, learningRate: 3e-3 }).history[1].loss;
 * ```
 */
export class SlicedScoreMatchingTrainer {
  /** Optimizer steps done so far. */
  steps = 0;
  private loop: GradientLoop | undefined;

  /**
   * @param model - the energy whose parameters are fitted in place
   * @throws {TypeError} when the model has no second-order passes
   */
  constructor(readonly model: SecondOrderEnergy | GaussianParameters) {
    if (!isSecondOrderEnergy(model) && !isGaussian(model)) {
      throw new TypeError('SlicedScoreMatchingTrainer: model must be a SecondOrderEnergy (an EnergyNetwork) or a Gaussian energy (mean, precision)');
    }
  }

  /**
   * The loss and its gradient at parameters θ for data rows and given
   * projections (`[rows · k, d]`: rows n·k … n·k + k − 1 project row n).
   * For a Gaussian energy θ is (Λ upper triangle row by row, h = Λμ), as for {@link ScoreMatchingTrainer.objective}.
   * @throws {TypeError | RangeError | ShapeError} on a `theta` that is not a finite Float64Array of the
   *   parameters' length, or on bad data or noise (nothing is changed)
   * @example
   * ```ts
   * import { EnergyNetwork, SlicedScoreMatchingTrainer } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * new SlicedScoreMatchingTrainer(net).objective(net.getParameters(), [[0, 1]], [[1, -1]]).loss;
   * ```
   */
  objective(theta: Float64Array, data: DataInput, projections: DataInput, varianceReduction = false): LossAndGradient {
    const where = 'SlicedScoreMatchingTrainer.objective';
    const model = this.model;
    const d = model.dimension;
    const x = checkEnergyData(where, 'data', data, d);
    const v = checkEnergyData(where, 'projections', projections, d);
    checkAllFinite(where, 'projections', v.data);
    if (v.rows % x.rows !== 0) throw new RangeError(`${where}: projections must have a positive multiple of the data's ${x.rows} rows (got ${v.rows})`);
    const vr = checkBoolean(where, 'varianceReduction', varianceReduction);
    if (!isSecondOrderEnergy(model)) {
      if (vr) throw new RangeError(`${where}: varianceReduction applies to gradient-trained energies (an EnergyNetwork)`);
      return gaussianSlicedObjective(checkGaussianTheta(where, theta, d), x, v, d);
    }
    return withParameters(where, model, theta, 0, () => {
      const gradient = new Float64Array(theta.length);
      return { loss: slicedScoreMatchingLoss(model, x, v, gradient, vr), gradient };
    });
  }

  /**
   * Trains on `data` for `epochs` shuffled passes of mini-batches (a network), or
   * minimises the loss with its projections fixed by damped Newton steps, each an epoch,
   * and writes μ, Λ into the model (a Gaussian energy). On a Gaussian energy, a fit whose
   * `epochs` run out while the loss still falls (with few rows or projections the loss may
   * have no minimum) returns with a `warning` on its last epoch's metrics saying so.
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} when a step is not finite (it is not applied). On a Gaussian energy:
   * when the loss, its Hessian or the fitted parameters are not finite (e.g. data whose squares
   * overflow), the Hessian is not positive definite, or no Newton step keeps the precision
   * positive definite with a finite loss (the loss falls towards a singular precision: too few
   * rows or projections); the mean, precision and generator are then as they were
   * @example
   * ```ts
   * import { EnergyNetwork, SlicedScoreMatchingTrainer, twoMoons } from 'boltzmann';
   * const t = new SlicedScoreMatchingTrainer(new EnergyNetwork(2, { hidden: [8], rng: 1 }));
   * t.fit(twoMoons(128, { rng: 2 }), { batchSize: 32, projection: 'gaussian', rng: 3 }).epochs; // 1
   * ```
   */
  fit(data: DataInput, options?: SlicedScoreMatchingFitOptions): FitResult {
    const where = 'SlicedScoreMatchingTrainer.fit';
    const model = this.model;
    if (!isSecondOrderEnergy(model)) return this.fitGaussian(where, model, data, options);
    const raw = checkOptionsKeys(where, options, FIT_KEYS);
    const k = raw.nProjections === undefined ? 1 : checkInt(where, 'nProjections', raw.nProjections, 1);
    const kind = raw.projection === undefined ? 'rademacher' : checkOneOf(where, 'projection', raw.projection, ['rademacher', 'gaussian'] as const);
    const vr = raw.varianceReduction === undefined ? false : checkBoolean(where, 'varianceReduction', raw.varianceReduction);
    const o = GradientLoop.check(where, raw);
    const d = model.dimension;
    const x = checkEnergyData(where, 'data', data, d);
    // the projections of one step: nProjections rows per row of the batch
    checkElements(where, 'batchSize × nProjections × dimension (the projections)', Math.min(o.batchSize, x.rows), k, d);
    this.loop ??= new GradientLoop([model.parameters]);
    const loop = this.loop;
    try {
      return loop.run(where, x, o, model.random, (batch, rng, grads) => {
        const v: Matrix = { rows: batch.rows * k, cols: d, data: drawProjections(new Float64Array(batch.rows * k * d), kind, rng) };
        return slicedScoreMatchingLoss(model, batch, v, grads[0], vr);
      });
    } finally {
      this.steps = loop.t;
    }
  }

  private fitGaussian(where: string, model: GaussianParameters, data: DataInput, options: SlicedScoreMatchingFitOptions | undefined): FitResult {
    checkGaussianPathKeys(where, options, FIT_KEYS.filter((k) => !(GAUSSIAN_KEYS as readonly string[]).includes(k)));
    const o = checkOptionsKeys(where, options, GAUSSIAN_KEYS);
    const k = o.nProjections === undefined ? 1 : checkInt(where, 'nProjections', o.nProjections, 1);
    const kind = o.projection === undefined ? 'rademacher' : checkOneOf(where, 'projection', o.projection, ['rademacher', 'gaussian'] as const);
    const epochs = o.epochs === undefined ? 20 : checkSteps(where, 'epochs', o.epochs, 1);
    checkNewtonLoop(where, o);
    const d = model.dimension;
    const x = checkGaussianData(where, data, d);
    checkElements(where, 'rows × nProjections × dimension (the projections)', x.rows, k, d);
    const c = centredGaussian(x, model);
    return keepStreamOnFailure(model, () => {
      const rng = o.rng === undefined ? model.random.split() : toRandom(o.rng, where);
      const v: Matrix = { rows: x.rows * k, cols: d, data: drawProjections(new Float64Array(x.rows * k * d), kind, rng) };
      const count = (n: number): void => {
        this.steps += n;
      };
      return runNewton(where, 'sliced-score-matching', model, (t) => gaussianSlicedObjective(t, c.x, v, d), c.theta0, epochs, o, count, undefined, undefined, c.offset);
    });
  }
}

/**
 * Sliced score matching for `E = ½(x−μ)ᵀΛ(x−μ)` at θ = (Λ, h = Λμ):
 * `J = mean_j [½(v_jᵀ(Λx − h))² − v_jᵀΛv_j]`, quadratic in θ.
 */
function gaussianSlicedObjective(theta: Float64Array, x: Matrix, v: Matrix, d: number): LossAndGradient {
  const m = nSymmetric(d);
  const lambda = unpackSymmetric(theta, d);
  const h = theta.subarray(m, m + d);
  const k = v.rows / x.rows;
  const g = new Float64Array(d * d);
  const gh = new Float64Array(d);
  let loss = 0;
  for (let j = 0; j < v.rows; j++) {
    const xr = x.data.subarray(Math.floor(j / k) * d, Math.floor(j / k) * d + d);
    const vj = v.data.subarray(j * d, j * d + d);
    let r = 0;
    let c = 0;
    for (let i = 0; i < d; i++) {
      let s = -h[i];
      let t = 0;
      for (let q = 0; q < d; q++) {
        s += lambda[i * d + q] * xr[q];
        t += lambda[i * d + q] * vj[q];
      }
      r += vj[i] * s;
      c += vj[i] * t;
    }
    loss += 0.5 * r * r - c;
    for (let i = 0; i < d; i++) {
      gh[i] -= r * vj[i];
      for (let q = 0; q < d; q++) g[i * d + q] += r * vj[i] * xr[q] - vj[i] * vj[q];
    }
  }
  const n = v.rows;
  for (let q = 0; q < d * d; q++) g[q] /= n;
  for (let i = 0; i < d; i++) gh[i] /= n;
  const gradient = new Float64Array(m + d);
  packSymmetricGradient(g, d, gradient);
  gradient.set(gh, m);
  return { loss: loss / n, gradient };
}
