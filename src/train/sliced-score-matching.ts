/**
 * Sliced score matching (Song, Garg, Shi & Ermon 2019) for differentiable energies.
 * @module
 */
import type { Matrix } from '../linalg/matrix.js';
import type { FitResult } from '../models/contract.js';
import type { Random } from '../random/random.js';
import { checkBoolean, checkInt, checkOneOf, checkOptionsKeys, checkAllFinite, type DataInput } from '../validate.js';
import {
  GRADIENT_ESTIMATOR_KEYS,
  GradientLoop,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  type SecondOrderEnergy,
  slicedScoreMatchingLoss,
} from './energy-estimators.js';
import type { LossAndGradient } from './gaussian-natural.js';
import { checkEnergyData, withParameters } from './score-matching.js';

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

/**
 * Fills `out` with projection entries from `rng`: ±1 with equal probability, or standard normal.
 * @example
 * ```ts
 * import { drawProjections, Random } from 'boltzmann';
 * drawProjections(new Float64Array(4), 'rademacher', new Random(1)); // entries ±1
 * ```
 * @category Training
 */
export function drawProjections(out: Float64Array, kind: ProjectionDistribution, rng: Random): Float64Array {
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
  constructor(readonly model: SecondOrderEnergy) {
    if (!isSecondOrderEnergy(model)) {
      throw new TypeError('SlicedScoreMatchingTrainer: model must be a SecondOrderEnergy (an EnergyNetwork); fit a GaussianEnergy by exact score matching');
    }
  }

  /**
   * The loss and its gradient at parameters θ for data rows and given
   * projections (`[rows · k, d]`: rows n·k … n·k + k − 1 project row n).
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
    return withParameters(where, model, theta, 0, () => {
      const gradient = new Float64Array(theta.length);
      return { loss: slicedScoreMatchingLoss(model, x, v, gradient, vr), gradient };
    });
  }

  /**
   * Trains on `data` for `epochs` shuffled passes of mini-batches.
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} when a step is not finite (it is not applied)
   * @example
   * ```ts
   * import { EnergyNetwork, SlicedScoreMatchingTrainer, twoMoons } from 'boltzmann';
   * const t = new SlicedScoreMatchingTrainer(new EnergyNetwork(2, { hidden: [8], rng: 1 }));
   * t.fit(twoMoons(128, { rng: 2 }), { batchSize: 32, projection: 'gaussian', rng: 3 }).epochs; // 1
   * ```
   */
  fit(data: DataInput, options?: SlicedScoreMatchingFitOptions): FitResult {
    const where = 'SlicedScoreMatchingTrainer.fit';
    const raw = checkOptionsKeys(where, options, FIT_KEYS);
    const k = raw.nProjections === undefined ? 1 : checkInt(where, 'nProjections', raw.nProjections, 1);
    const kind = raw.projection === undefined ? 'rademacher' : checkOneOf(where, 'projection', raw.projection, ['rademacher', 'gaussian'] as const);
    const vr = raw.varianceReduction === undefined ? false : checkBoolean(where, 'varianceReduction', raw.varianceReduction);
    const o = GradientLoop.check(where, raw);
    const model = this.model;
    const d = model.dimension;
    const x = checkEnergyData(where, 'data', data, d);
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
}
