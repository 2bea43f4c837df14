/**
 * Contrastive-divergence training of parametric energies `E(x; θ)` with
 * Langevin negative samples and a replay buffer (Du & Mordatch 2019).
 * @module
 */
import { checkDocument, type JsonObject, type ModelDocument } from '../document.js';
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { pow } from '../math/elementary.js';
import type { BaseFitOptions, EpochMetrics, FitResult, Trainer } from '../models/contract.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import type { EnergyModel } from '../energy/types.js';
import { Langevin } from '../samplers/langevin.js';
import { Metropolis } from '../samplers/metropolis.js';
import { ParallelTempering } from '../samplers/tempering.js';
import type { Sampler, SamplerSnapshot } from '../samplers/types.js';
import {
  checkAbortSignal,
  checkAllFinite,
  checkBoolean,
  checkCallback,
  checkElements,
  checkFinite,
  checkInRange,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSteps,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { numberArray } from './checks.js';

/**
 * A differentiable parametric energy over `ℝ^dimension`, batched. Its
 * parameters are one flat vector that trainers update in place.
 * {@link EnergyNetwork} implements it; {@link parametricEnergy} wraps
 * user functions into one.
 * @category Training
 */
export interface ParametricEnergy {
  /** Input dimension. */
  readonly dimension: number;
  /** Optional: the energy's own generator stream; an {@link EBMTrainer} without an `rng` option splits its generator from it. */
  readonly random?: Random;
  /** Optional: the energy as a versioned document (what {@link EBMTrainer.toDocument} extends with the training state). */
  toDocument?(): ModelDocument;
  /** The parameters `θ` (live; updated in place by trainers). */
  readonly parameters: Float64Array;
  /** Writes `E(x_n; θ)` for each row of `x` (`[batch, dimension]`) into `out` and returns it. */
  energies(out: Float64Array, x: Matrix): Float64Array;
  /** Writes `∇ₓE(x_n; θ)` into row `n` of `out` (`[batch, dimension]`) and returns it. */
  inputGradients(out: Matrix, x: Matrix): Matrix;
  /** Writes `Σ_n weights_n ∇θE(x_n; θ)` into `out` (length = parameters) and returns it. */
  parameterGradient(out: Float64Array, x: Matrix, weights?: Float64Array): Float64Array;
}

/** A user-supplied energy, one sample at a time: see {@link parametricEnergy}.
 * @category Training
 */
export interface ParametricEnergyFunctions {
  /** Input dimension. */
  dimension: number;
  /** Initial parameters (copied). */
  parameters: Float64Array;
  /** `E(x; θ)`. */
  energy(x: Float64Array, theta: Float64Array): number;
  /** Writes `∇ₓE(x; θ)` into `out`. */
  gradX(out: Float64Array, x: Float64Array, theta: Float64Array): void;
  /** Writes `∇θE(x; θ)` into `out` (length = parameters). */
  gradTheta(out: Float64Array, x: Float64Array, theta: Float64Array): void;
}

/** A {@link ParametricEnergy} that is also an {@link EnergyModel} (continuous, with `gradient`).
 * @category Training
 */
export interface ParametricEnergyModel extends ParametricEnergy {
  /** Always `'continuous'`. */
  readonly domain: 'continuous';
  /** `E(x; θ)` at the current parameters. */
  energy(x: Float64Array): number;
  /** `∇ₓE(x; θ)` at the current parameters. */
  gradient(out: Float64Array, x: Float64Array): Float64Array;
}

const PARAMETRIC_ENERGY_KEYS = optionKeys<ParametricEnergyFunctions>()({
  dimension: true,
  parameters: true,
  energy: true,
  gradX: true,
  gradTheta: true,
});

/**
 * Wraps per-sample user functions `E(x; θ)`, `∇ₓE`, `∇θE` into a batched
 * {@link ParametricEnergy} (that is also an {@link EnergyModel}), so
 * {@link EBMTrainer} and the samplers work with any energy the user writes.
 *
 * @param f - the functions, dimension and initial parameters
 * @returns the wrapped energy (its `parameters` is a copy of `f.parameters`)
 * @throws {TypeError | RangeError} on bad input
 * @example
 * ```ts
 * import { parametricEnergy } from 'boltzmann';
 * // E(x; μ, s) = ½ e^s (x − μ)²: a Gaussian with mean μ and precision e^s
 * const gauss = parametricEnergy({
 *   dimension: 1, parameters: Float64Array.of(0, 0),
 *   energy: (x, t) => 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2,
 *   gradX: (out, x, t) => { out[0] = Math.exp(t[1]) * (x[0] - t[0]); },
 *   gradTheta: (out, x, t) => { out[0] = -Math.exp(t[1]) * (x[0] - t[0]); out[1] = 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2; },
 * });
 * ```
 * @category Training
 */
export function parametricEnergy(f: ParametricEnergyFunctions): ParametricEnergyModel {
  const where = 'parametricEnergy';
  const o = checkOptionsKeys(where, f, PARAMETRIC_ENERGY_KEYS) as ParametricEnergyFunctions;
  const d = checkInt(where, 'dimension', o.dimension, 1);
  checkVector(where, 'parameters', o.parameters);
  checkAllFinite(where, 'parameters', o.parameters);
  for (const name of ['energy', 'gradX', 'gradTheta'] as const) {
    if (typeof o[name] !== 'function') throw new TypeError(`${where}: ${name} must be a function`);
  }
  const theta = o.parameters.slice();
  const p = theta.length;
  const tmp = new Float64Array(p);
  const checkX = (w: string, x: Matrix) => {
    checkMatrix(w, 'x', x, undefined, d);
    checkAllFinite(w, 'x', x.data);
  };
  return {
    dimension: d,
    domain: 'continuous',
    parameters: theta,
    energy(x) {
      checkVector('parametricEnergy.energy', 'x', x, d);
      return o.energy(x, theta);
    },
    gradient(out, x) {
      checkVector('parametricEnergy.gradient', 'x', x, d);
      checkVector('parametricEnergy.gradient', 'out', out, d);
      o.gradX(out, x, theta);
      return out;
    },
    energies(out, x) {
      checkX('parametricEnergy.energies', x);
      checkVector('parametricEnergy.energies', 'out', out, x.rows);
      for (let n = 0; n < x.rows; n++) out[n] = o.energy(x.data.subarray(n * d, (n + 1) * d), theta);
      return out;
    },
    inputGradients(out, x) {
      checkX('parametricEnergy.inputGradients', x);
      checkMatrix('parametricEnergy.inputGradients', 'out', out, x.rows, d);
      for (let n = 0; n < x.rows; n++) o.gradX(out.data.subarray(n * d, (n + 1) * d), x.data.subarray(n * d, (n + 1) * d), theta);
      return out;
    },
    parameterGradient(out, x, weights) {
      checkX('parametricEnergy.parameterGradient', x);
      checkVector('parametricEnergy.parameterGradient', 'out', out, p);
      if (weights !== undefined) checkVector('parametricEnergy.parameterGradient', 'weights', weights, x.rows);
      out.fill(0);
      for (let n = 0; n < x.rows; n++) {
        const w = weights === undefined ? 1 / x.rows : weights[n];
        if (w === 0) continue;
        o.gradTheta(tmp, x.data.subarray(n * d, (n + 1) * d), theta);
        for (let j = 0; j < p; j++) out[j] += w * tmp[j];
      }
      return out;
    },
  };
}

/**
 * Builds the sampler of one negative chain for {@link EBMTrainer}: any
 * {@link Sampler} of `model` (continuous, with `gradient`) at temperature 1,
 * drawing from `rng` (split from the trainer's generator for chain `index`).
 * `model` is the trainer's view of its energy: it throws {@link NumericalError}
 * when asked about a state that is not finite. The sampler's `snapshot` and
 * `restore` are what {@link EBMTrainer.getState} saves and what a failing step
 * rewinds the chain with.
 * @category Training
 */
export type NegativeSamplerFactory = (model: EnergyModel, rng: Random, index: number) => Sampler;

/**
 * The negative-phase samplers of {@link EBMTrainer}: `'langevin'` (the
 * built-in unadjusted Langevin loop with `noiseScale`, `gradClip` and
 * clamping at every step), `'mala'` ({@link Langevin} with the Metropolis
 * adjustment, step `stepSize`), `'metropolis'` ({@link Metropolis}, Gaussian
 * random walk of standard deviation `√stepSize`: the lecture's generic
 * solution), `'tempering'` ({@link ParallelTempering}, 4 replicas up to
 * temperature 4, Metropolis replicas of step `√stepSize`), or a
 * {@link NegativeSamplerFactory}.
 * @category Training
 */
export type NegativeSampler = 'langevin' | 'mala' | 'metropolis' | 'tempering' | NegativeSamplerFactory;

/** Options of {@link EBMTrainer}.
 * @category Training
 */
export interface EBMTrainerOptions {
  /**
   * The sampler of the negative chains (see {@link NegativeSampler}). Default
   * `'langevin'`. Other samplers keep one chain object per batch row, set its
   * state to the chain start, run `langevinSteps` steps and clamp only the
   * final state to `bounds` (when `clamp`); `noiseScale` and `gradClip` apply to `'langevin'` only.
   * Each chain's generator is split from the trainer's when the chain is made; the chains
   * (generators, counters, a tempering chain's swap round) are part of the training state
   * ({@link EBMTrainer.getState}, {@link EBMTrainer.toDocument}), and a step that fails puts
   * them back as they were, with the trainer's generator. {@link EBMTrainer.sample}
   * always runs the built-in Langevin dynamics.
   */
  sampler?: NegativeSampler;
  /** Learning rate. Default 1e-3 (Adam) — use about 1e-2 for SGD. */
  learningRate?: number;
  /** `'adam'` (Kingma & Ba, β₁ = 0.9, β₂ = 0.999; Du & Mordatch use β₁ = 0) or `'sgd'`. Default `'adam'`. */
  optimizer?: 'adam' | 'sgd';
  /** Adam's β₁. Default 0.9. */
  beta1?: number;
  /** Sampler steps (Langevin steps by default) per negative batch. Default 20. */
  langevinSteps?: number;
  /** Langevin step size `ε` in `x ← x − (ε/2)∇ₓE + σ√ε ξ`. Default 0.01. */
  stepSize?: number;
  /** Noise scale `σ` (1 = exact Langevin; Du & Mordatch use smaller noise). Default 1. */
  noiseScale?: number;
  /** Clip each coordinate of `∇ₓE` to `[−gradClip, gradClip]` during Langevin. Default: no clipping. */
  gradClip?: number;
  /** Replay buffer capacity (past negative samples). 0 disables the buffer (short-run chains from noise). Default 10 000. */
  bufferSize?: number;
  /** Probability that a chain starts from fresh uniform noise instead of the buffer. Default 0.05. */
  reinitProbability?: number;
  /** Box `[low, high]` of the uniform noise that starts fresh chains (same for every coordinate). Default `[-3, 3]`. */
  bounds?: readonly [number, number];
  /** Clamp Langevin samples to `bounds`. Default true. */
  clamp?: boolean;
  /** Energy-magnitude regularisation `α (E(x⁺)² + E(x⁻)²)` (Du & Mordatch: 1). Default 0.1. */
  regularization?: number;
  /** L2 weight decay on `θ`. Default 0. */
  weightDecay?: number;
  /**
   * Seed or generator. Default: split from the energy's own stream
   * (`energy.random.split()`, e.g. an {@link EnergyNetwork}'s), else seed 0.
   */
  rng?: number | Random;
}

const TRAINER_KEYS = optionKeys<EBMTrainerOptions>()({
  sampler: true,
  learningRate: true,
  optimizer: true,
  beta1: true,
  langevinSteps: true,
  stepSize: true,
  noiseScale: true,
  gradClip: true,
  bufferSize: true,
  reinitProbability: true,
  bounds: true,
  clamp: true,
  regularization: true,
  weightDecay: true,
  rng: true,
});

/** Options of {@link EBMTrainer.fit}.
 * @category Training
 */
export interface EBMTrainerFitOptions extends BaseFitOptions {
  /** Mini-batch size (rows beyond the last whole batch of each shuffled epoch are skipped). Default 128. */
  batchSize?: number;
  /** Threads for the kernel (see `withThreads`). Default: the kernel's own choice. */
  threads?: number;
}

const TRAINER_FIT_KEYS = optionKeys<EBMTrainerFitOptions>()({ epochs: true, onEpoch: true, signal: true, batchSize: true, threads: true });

/** Options of {@link EBMTrainer.sample}.
 * @category Training
 */
export interface EBMTrainerSampleOptions {
  /** Langevin steps. Default 10 × `langevinSteps`. */
  steps?: number;
  /** Chain starts `[n, dimension]` (copied). Default: uniform noise in `bounds`. */
  init?: DataInput;
}

const TRAINER_SAMPLE_KEYS = optionKeys<EBMTrainerSampleOptions>()({ steps: true, init: true });

/**
 * Checks the loop options of {@link EBMTrainer.fit} (epochs, batch size,
 * callback, signal, threads) and returns them resolved.
 * @internal
 */
export function checkEBMFitOptions(
  where: string,
  o: Partial<EBMTrainerFitOptions>,
): { epochs: number; batchSize: number; onEpoch?: EBMTrainerFitOptions['onEpoch']; signal?: AbortSignal; threads?: number } {
  const epochs = o.epochs === undefined ? 1 : checkSteps(where, 'epochs', o.epochs);
  const batchSize = o.batchSize === undefined ? 128 : checkSize(where, 'batchSize', o.batchSize, 1);
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
  const threads = o.threads === undefined ? undefined : checkInt(where, 'threads', o.threads, 1);
  return { epochs, batchSize, onEpoch: o.onEpoch, signal: o.signal, threads };
}

/** The resumable state of an {@link EBMTrainer} (JSON-serialisable): see {@link EBMTrainer.getState}.
 * @category Training
 */
export interface EBMTrainerState {
  /** The generator's state. */
  rng: RandomState;
  /** Optimizer steps taken. */
  t: number;
  /** Adam first moments (one per parameter). */
  m: number[];
  /** Adam second moments (one per parameter). */
  v: number[];
  /** Replay-buffer samples, row-major `[count, dimension]`. */
  buffer: number[];
  /** Ring position of the next buffer write. */
  bufferNext: number;
  /**
   * The negative chains of a sampler other than `'langevin'`: one
   * {@link SamplerSnapshot} per chain made so far (chain `n` serves batch row
   * `n`), with its generator, counters and (tempering) swap round. Absent when
   * no chain has been made, as in every `'langevin'` trainer — and in states
   * saved before the chains were kept, which {@link EBMTrainer.setState} reads
   * as "no chain yet": the next step makes them afresh, each split from the
   * trainer's generator as a new trainer's are (so such a state resumes
   * deterministically, but not bit for bit with the run that saved it).
   */
  chains?: SamplerSnapshot[];
}

/** Statistics of one {@link EBMTrainer.step}.
 * @category Training
 */
export interface EBMTrainerStepStats {
  /** Mean energy of the data batch `⟨E(x⁺)⟩`. */
  readonly energyData: number;
  /** Mean energy of the negative samples `⟨E(x⁻)⟩`. */
  readonly energySample: number;
  /** Contrastive loss `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩` (the negated CD log-likelihood gradient's objective). */
  readonly loss: number;
  /** Euclidean norm of the parameter gradient (before the optimizer). */
  readonly gradNorm: number;
}

/**
 * Trains a {@link ParametricEnergy} by contrastive divergence. Maximum
 * likelihood gives `∇θ log p(x) = −∇θE(x) + E_{x'∼p}[∇θE(x')]`; one step
 * estimates it on a batch as
 *
 * `g = ⟨∇θE(x⁺)⟩_data − ⟨∇θE(x⁻)⟩_samples (+ 2α ⟨E ∇θE⟩ on both + λθ)`
 *
 * and moves `θ` against `g`. The negatives `x⁻` come from `K` Langevin steps
 * `x ← x − (ε/2)∇ₓE + σ√ε ξ` started, per chain, from a random replay-buffer
 * entry or (with probability `reinitProbability`, or while the buffer is
 * short) from uniform noise in `bounds`; the final negatives are pushed into
 * the buffer (Du & Mordatch 2019). With `bufferSize: 0` every chain starts
 * from noise (short-run MCMC, Nijkamp et al. 2019).
 *
 * The step-level API behind {@link EnergyNetwork.fit}: the trainer owns its
 * generator (split from the energy's own stream unless `rng` is given), the
 * optimizer moments and the replay buffer. A step validates the batch,
 * computes everything into scratch, and commits (parameters, optimizer state,
 * buffer) only when every number is finite; otherwise it throws
 * {@link NumericalError} and leaves the model, the buffer, the generator and
 * the negative chains exactly as they were. {@link EBMTrainer.fit} also puts
 * back the epoch's shuffle when the epoch's first update fails, so a trainer
 * whose fit fails before its first update is as it was before the call.
 *
 * @example
 * ```ts
 * import { EBMTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
 * const data = ringOfGaussians(2000, { rng: 1 });
 * const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 2 });
 * const trainer = new EBMTrainer(net, { learningRate: 1e-3, rng: 3 });
 * trainer.fit(data, { epochs: 2, batchSize: 100 }).history[1].loss; // ⟨E(data)⟩ − ⟨E(samples)⟩ of epoch 1
 * ```
 * @category Training
 */
export class EBMTrainer<E extends ParametricEnergy = ParametricEnergy> implements Trainer<E> {
  /** The energy being trained (parameters updated in place). */
  readonly model: E;
  /** Resolved options. */
  readonly options: Readonly<Required<Omit<EBMTrainerOptions, 'rng'>>>;
  private rng: Random;
  private readonly d: number;
  private readonly nParams: number;
  private readonly buf: Float64Array;
  private bufCount = 0;
  private bufNext = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly grad: Float64Array;
  private readonly gradNeg: Float64Array;
  private t = 0;
  private epochs = 0;
  private lr: number;
  private cap = 0;
  private neg: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  private negGrad: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  private ePos = new Float64Array(0);
  private eNeg = new Float64Array(0);
  private wPos = new Float64Array(0);
  private wNeg = new Float64Array(0);
  private chains: Sampler[] = [];
  private energyView: EnergyModel | undefined;

  /**
   * @param energy - the parametric energy to train
   * @param options - see {@link EBMTrainerOptions}
   * @throws {TypeError | RangeError} on bad options (an unknown key names the closest valid one)
   */
  constructor(energy: E, options?: EBMTrainerOptions) {
    const where = 'EBMTrainer';
    checkParametricEnergy(where, energy);
    const o = checkOptionsKeys(where, options, TRAINER_KEYS);
    const optimizer = o.optimizer === undefined ? 'adam' : checkOneOf(where, 'optimizer', o.optimizer, ['adam', 'sgd'] as const);
    const bounds = o.bounds === undefined ? ([-3, 3] as const) : o.bounds;
    if (!Array.isArray(bounds) || bounds.length !== 2) throw new TypeError(`${where}: bounds must be [low, high] (got ${describeValue(bounds)})`);
    checkFinite(where, 'bounds[0]', bounds[0]);
    checkFinite(where, 'bounds[1]', bounds[1]);
    if (!(bounds[1] > bounds[0])) throw new RangeError(`${where}: bounds must satisfy low < high (got [${bounds[0]}, ${bounds[1]}])`);
    let sampler: NegativeSampler = 'langevin';
    if (o.sampler !== undefined) {
      if (typeof o.sampler === 'function') sampler = o.sampler;
      else sampler = checkOneOf(where, 'sampler', o.sampler, ['langevin', 'mala', 'metropolis', 'tempering'] as const);
    }
    const resolved = {
      sampler,
      learningRate: o.learningRate === undefined ? 1e-3 : checkPositive(where, 'learningRate', o.learningRate),
      optimizer,
      beta1: o.beta1 === undefined ? 0.9 : checkInRange(where, 'beta1', o.beta1, 0, 1, { hiOpen: true }),
      langevinSteps: o.langevinSteps === undefined ? 20 : checkSteps(where, 'langevinSteps', o.langevinSteps),
      stepSize: o.stepSize === undefined ? 0.01 : checkPositive(where, 'stepSize', o.stepSize),
      noiseScale: o.noiseScale === undefined ? 1 : checkNonNegative(where, 'noiseScale', o.noiseScale),
      gradClip: o.gradClip === undefined ? Number.POSITIVE_INFINITY : checkPositive(where, 'gradClip', o.gradClip),
      bufferSize: o.bufferSize === undefined ? 10000 : checkSize(where, 'bufferSize', o.bufferSize, 0),
      reinitProbability: o.reinitProbability === undefined ? 0.05 : checkInRange(where, 'reinitProbability', o.reinitProbability, 0, 1),
      bounds: [bounds[0], bounds[1]] as const,
      clamp: o.clamp === undefined ? true : checkBoolean(where, 'clamp', o.clamp),
      regularization: o.regularization === undefined ? 0.1 : checkNonNegative(where, 'regularization', o.regularization),
      weightDecay: o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay),
    };
    // the replay buffer holds bufferSize rows of the energy's dimension
    checkElements(where, 'bufferSize × dimension', resolved.bufferSize, energy.dimension);
    const own = energy.random;
    if (own !== undefined && !(own instanceof Random)) throw new TypeError(`${where}: energy.random must be a Random when present`);
    // Last, after every check: deriving from the energy's stream advances it.
    this.rng = o.rng !== undefined ? toRandom(o.rng, where) : own !== undefined ? own.split() : new Random(0);
    this.model = energy;
    this.options = resolved;
    this.lr = resolved.learningRate;
    this.d = energy.dimension;
    this.nParams = energy.parameters.length;
    this.buf = new Float64Array(resolved.bufferSize * this.d);
    this.m = new Float64Array(this.nParams);
    this.v = new Float64Array(this.nParams);
    this.grad = new Float64Array(this.nParams);
    this.gradNeg = new Float64Array(this.nParams);
  }

  /** Number of samples in the replay buffer. */
  get bufferCount(): number {
    return this.bufCount;
  }

  /** The replay buffer's samples `[bufferCount, dimension]` (a copy). */
  get buffer(): Matrix {
    return { rows: this.bufCount, cols: this.d, data: this.buf.slice(0, this.bufCount * this.d) };
  }

  /** The current learning rate (starts at `options.learningRate`); set it for a decay schedule. */
  get learningRate(): number {
    return this.lr;
  }
  /** Sets the learning rate (validated `> 0`), e.g. for a decay schedule. */
  set learningRate(v: number) {
    this.lr = checkPositive('EBMTrainer.learningRate', 'learningRate', v);
  }

  /** Optimizer steps taken. */
  get steps(): number {
    return this.t;
  }

  /** Whole epochs completed by {@link EBMTrainer.fit}. */
  get epoch(): number {
    return this.epochs;
  }

  /** The generator (advanced by every step). */
  get random(): Random {
    return this.rng;
  }

  private ensure(batch: number): void {
    if (batch <= this.cap) return;
    const d = this.d;
    this.neg = { rows: batch, cols: d, data: new Float64Array(batch * d) };
    this.negGrad = { rows: batch, cols: d, data: new Float64Array(batch * d) };
    this.ePos = new Float64Array(batch);
    this.eNeg = new Float64Array(batch);
    this.wPos = new Float64Array(batch);
    this.wNeg = new Float64Array(batch);
    this.cap = batch;
  }

  /** Views of the first `batch` rows of the negative-sample workspaces. */
  private views(batch: number): { neg: Matrix; negGrad: Matrix } {
    const d = this.d;
    return {
      neg: { rows: batch, cols: d, data: this.neg.data.subarray(0, batch * d) },
      negGrad: { rows: batch, cols: d, data: this.negGrad.data.subarray(0, batch * d) },
    };
  }

  /**
   * Runs `steps` Langevin steps on the rows of `x` in place (unchecked). A
   * sample that is not finite (the input gradient overflowed or is NaN) throws
   * `fail()` before the energy is asked about it.
   */
  private langevin(x: Matrix, g: Matrix, steps: number, fail: () => NumericalError): void {
    const { stepSize: eps, noiseScale, gradClip, clamp, bounds } = this.options;
    const half = 0.5 * eps;
    const sd = noiseScale * Math.sqrt(eps);
    const xd = x.data;
    const gd = g.data;
    const [lo, hi] = bounds;
    for (let k = 0; k < steps; k++) {
      this.model.inputGradients(g, x);
      for (let i = 0; i < xd.length; i++) {
        let gi = gd[i];
        if (gi > gradClip) gi = gradClip;
        else if (gi < -gradClip) gi = -gradClip;
        let v = xd[i] - half * gi + sd * this.rng.normal();
        if (clamp) v = Math.min(hi, Math.max(lo, v));
        if (!Number.isFinite(v)) throw fail();
        xd[i] = v;
      }
    }
  }

  /**
   * The error of a step whose numbers stopped being finite: names the update
   * and the learning rate (nothing has changed when it is thrown).
   */
  private diverged(what: string): NumericalError {
    return new NumericalError(
      `EBMTrainer.step: ${what} in update ${this.t + 1} (learning rate ${this.lr}); the model and the trainer are unchanged (lower the learning rate or the step size)`,
    );
  }

  /**
   * The energy as an {@link EnergyModel} for the samplers: its own `energy` and
   * `gradient` when it is one, else a one-row view of the batched methods. A
   * state that is not finite (a diverging proposal) throws {@link NumericalError}
   * instead of reaching the energy's input validation.
   */
  private asEnergyModel(): EnergyModel {
    if (this.energyView !== undefined) return this.energyView;
    const check = (x: Float64Array): void => {
      for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw this.diverged('a sampler proposed a state that is not finite');
    };
    const m = this.model as unknown as Partial<ParametricEnergyModel>;
    const d = this.d;
    if (m.domain === 'continuous' && typeof m.energy === 'function' && typeof m.gradient === 'function') {
      const own = this.model as unknown as ParametricEnergyModel;
      this.energyView = {
        dimension: d,
        domain: 'continuous',
        energy(x: Float64Array): number {
          check(x);
          return own.energy(x);
        },
        gradient(g: Float64Array, x: Float64Array): Float64Array {
          check(x);
          return own.gradient(g, x);
        },
      };
      return this.energyView;
    }
    const one: Matrix = { rows: 1, cols: d, data: new Float64Array(d) };
    const out: Matrix = { rows: 1, cols: d, data: new Float64Array(d) };
    const e = new Float64Array(1);
    const model = this.model;
    this.energyView = {
      dimension: d,
      domain: 'continuous',
      energy(x: Float64Array): number {
        check(x);
        one.data.set(x);
        return model.energies(e, one)[0];
      },
      gradient(g: Float64Array, x: Float64Array): Float64Array {
        check(x);
        one.data.set(x);
        model.inputGradients(out, one);
        g.set(out.data);
        return g;
      },
    };
    return this.energyView;
  }

  /** Builds the sampler of chain `index` drawing from `rng` (by default split from the trainer's generator). */
  private makeSampler(index: number, rng: Random = this.rng.split()): Sampler {
    const s = this.options.sampler;
    const model = this.asEnergyModel();
    const sd = Math.sqrt(this.options.stepSize);
    if (typeof s === 'function') {
      const made = s(model, rng, index);
      if (made === null || typeof made !== 'object' || typeof made.step !== 'function' || typeof made.setState !== 'function' || made.dimension !== this.d) {
        throw new TypeError(`EBMTrainer: the sampler factory must return a Sampler of dimension ${this.d}`);
      }
      return made;
    }
    if (s === 'mala') return new Langevin(model, { method: 'mala', stepSize: this.options.stepSize, rng });
    if (s === 'metropolis') return new Metropolis(model, { stepSize: sd, rng });
    return new ParallelTempering(model, { nReplicas: 4, temperature: 1, tMax: 4, stepSize: sd, rng });
  }

  /**
   * Runs `steps` steps of one sampler per row of `x` from that row, in place
   * (clamping the final state), making the chains that are missing. Before a
   * chain that existed already moves, its snapshot goes into `backups` (chain
   * `n` at index `n`), so a failing step can put it back. A named sampler's
   * chain is then set to its (clamped, finite) final row: what it holds between
   * steps, and so what its snapshot saves (later steps start from their own
   * rows, so the numbers do not depend on it).
   */
  private runSamplers(x: Matrix, steps: number, backups: SamplerSnapshot[]): void {
    const d = this.d;
    const { clamp, bounds } = this.options;
    const [lo, hi] = bounds;
    const made = this.chains.length;
    const named = typeof this.options.sampler !== 'function';
    while (this.chains.length < x.rows) this.chains.push(this.makeSampler(this.chains.length));
    for (let n = 0; n < x.rows; n++) {
      const chain = this.chains[n];
      if (n < made) backups.push(chain.snapshot());
      const row = x.data.subarray(n * d, (n + 1) * d);
      chain.setState(row);
      for (let k = 0; k < steps; k++) chain.step();
      const st = chain.state;
      for (let j = 0; j < d; j++) {
        const v = clamp ? Math.min(hi, Math.max(lo, st[j])) : st[j];
        if (!Number.isFinite(v)) throw this.diverged('a negative sample is not finite');
        row[j] = v;
      }
      if (named) chain.setState(row);
    }
  }

  /** Fills the rows of `x` with chain starts: buffer entries or uniform noise (unchecked). */
  private initChains(x: Matrix): void {
    const d = this.d;
    const [lo, hi] = this.options.bounds;
    const p = this.options.reinitProbability;
    for (let n = 0; n < x.rows; n++) {
      const o = n * d;
      const fresh = this.bufCount < x.rows || this.rng.float64() < p;
      if (fresh) for (let j = 0; j < d; j++) x.data[o + j] = lo + (hi - lo) * this.rng.float64();
      else {
        const b = this.rng.int(this.bufCount) * d;
        for (let j = 0; j < d; j++) x.data[o + j] = this.buf[b + j];
      }
    }
  }

  /** The batch as a checked Matrix of this trainer's width (shape errors say "shape"). */
  private checkData(where: string, name: string, data: unknown): Matrix {
    // An empty list of rows has no width of its own: it takes this one's.
    const empty = Array.isArray(data) && data.length === 0;
    const m = checkMatrix(where, name, toMatrix(where, name, data, empty ? this.d : undefined), undefined, this.d);
    checkAllFinite(where, name, m.data);
    return m;
  }

  /**
   * One contrastive-divergence update on a batch of data.
   *
   * @param batch - `[batchSize, dimension]` data (a Matrix, `number[][]` or a typed array with a shape)
   * @returns energies, loss and gradient norm of the step
   * @throws {TypeError | RangeError | ShapeError} on a bad batch (nothing changes)
   * @throws {NumericalError} when a negative sample, an energy, the gradient or the update is not
   *   finite: the message names the update and the learning rate; nothing changes (parameters,
   *   optimizer, buffer, generator, chains)
   *
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { learningRate: 1e-3, rng: 2 });
   * const s = trainer.step(ringOfGaussians(64, { rng: 3 }));
   * [s.energyData, s.energySample, s.loss, s.gradNorm];
   * ```
   */
  step(batch: DataInput): EBMTrainerStepStats {
    const where = 'EBMTrainer.step';
    const x = this.checkData(where, 'batch', batch);
    if (x.rows < 1) throw new ShapeError(`${where}: batch must have at least one row`);
    return this.stepChecked(x);
  }

  private stepChecked(batch: Matrix): EBMTrainerStepStats {
    const B = batch.rows;
    this.ensure(B);
    const { neg, negGrad } = this.views(B);
    const savedRng = this.rng.getState();
    const made = this.chains.length;
    const backups: SamplerSnapshot[] = [];
    try {
      this.initChains(neg);
      if (this.options.sampler === 'langevin') {
        this.langevin(neg, negGrad, this.options.langevinSteps, () => this.diverged('a Langevin negative sample is not finite'));
      } else this.runSamplers(neg, this.options.langevinSteps, backups);
      return this.update(batch, neg);
    } catch (e) {
      // Put back everything the step drew: the generator, the chains it moved, the chains it made.
      this.rng.setState(savedRng);
      for (let n = 0; n < backups.length; n++) this.chains[n].restore(backups[n]);
      this.chains.length = made;
      throw e;
    }
  }

  private update(pos: Matrix, neg: Matrix): EBMTrainerStepStats {
    const B = pos.rows;
    const { regularization: alpha, weightDecay, optimizer, beta1 } = this.options;
    const lr = this.lr;
    const ePos = this.ePos.subarray(0, B);
    const eNeg = this.eNeg.subarray(0, B);
    this.model.energies(ePos, pos);
    this.model.energies(eNeg, neg);
    let mp = 0;
    let mn = 0;
    for (let n = 0; n < B; n++) {
      mp += ePos[n];
      mn += eNeg[n];
    }
    mp /= B;
    mn /= B;
    if (!Number.isFinite(mp) || !Number.isFinite(mn)) {
      throw this.diverged('energies are not finite');
    }
    const wPos = this.wPos.subarray(0, B);
    const wNeg = this.wNeg.subarray(0, B);
    for (let n = 0; n < B; n++) {
      wPos[n] = (1 + 2 * alpha * ePos[n]) / B;
      wNeg[n] = (-1 + 2 * alpha * eNeg[n]) / B;
    }
    const g = this.grad;
    const gn = this.gradNeg;
    this.model.parameterGradient(g, pos, wPos);
    this.model.parameterGradient(gn, neg, wNeg);
    const theta = this.model.parameters;
    let norm = 0;
    for (let j = 0; j < g.length; j++) {
      g[j] += gn[j] + weightDecay * theta[j];
      norm += g[j] * g[j];
    }
    if (!Number.isFinite(norm)) throw this.diverged('the parameter gradient is not finite');
    if (!updateIsFinite(theta, g, this.m, this.v, this.t + 1, lr, beta1, optimizer)) throw this.diverged('the parameter update is not finite');
    // Commit: optimizer, parameters, buffer.
    this.t++;
    if (optimizer === 'sgd') for (let j = 0; j < g.length; j++) theta[j] -= lr * g[j];
    else {
      adamStep(theta, g, this.m, this.v, this.t, lr, beta1);
    }
    this.pushBuffer(neg);
    return { energyData: mp, energySample: mn, loss: mp - mn, gradNorm: Math.sqrt(norm) };
  }

  private pushBuffer(x: Matrix): void {
    const cap = this.options.bufferSize;
    if (cap === 0) return;
    const d = this.d;
    for (let n = 0; n < x.rows; n++) {
      this.buf.set(x.data.subarray(n * d, (n + 1) * d), this.bufNext * d);
      this.bufNext = (this.bufNext + 1) % cap;
      if (this.bufCount < cap) this.bufCount++;
    }
  }

  /**
   * Trains for `epochs` passes over `data` in shuffled mini-batches (the rows
   * after the last whole batch of each epoch's permutation are skipped).
   * Each epoch's {@link EpochMetrics} has `loss` = the epoch's mean contrastive
   * objective `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩` over its steps (lower is better).
   *
   * @param data - `[nSamples, dimension]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param options - see {@link EBMTrainerFitOptions}: `epochs` (default 1), `batchSize` (default 128),
   *   `onEpoch` (return `false` to stop), `signal` (stops after the current step), `threads`
   * @returns the metrics of each completed epoch, the number completed, and whether a signal stopped it
   * @throws {TypeError | RangeError | ShapeError} on bad input (before any update)
   * @throws {NumericalError} from a failing step: that update is not applied, and when it is the
   *   first of its epoch the epoch's shuffle is put back as well, so a fit that fails before its
   *   first update leaves the trainer (generator, chains, buffer, optimizer) as it was
   *
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { learningRate: 1e-3, rng: 2 });
   * trainer.fit(ringOfGaussians(256, { rng: 3 }), { epochs: 2, batchSize: 64 }).history.length; // 2
   * ```
   */
  fit(data: DataInput, options?: EBMTrainerFitOptions): FitResult {
    const where = 'EBMTrainer.fit';
    const X = this.checkData(where, 'data', data);
    const o = checkEBMFitOptions(where, checkOptionsKeys(where, options, TRAINER_FIT_KEYS));
    if (X.rows < 1) throw new ShapeError(`${where}: data must have at least one row`);
    return withThreads(o.threads, () => this.epochLoop(X, o.epochs, o.batchSize, o.onEpoch, o.signal));
  }

  private epochLoop(
    data: Matrix,
    epochs: number,
    bs: number,
    onEpoch: EBMTrainerFitOptions['onEpoch'],
    signal: AbortSignal | undefined,
  ): FitResult {
    const d = this.d;
    const size = Math.min(bs, data.rows);
    const batch: Matrix = { rows: size, cols: d, data: new Float64Array(size * d) };
    const history: EpochMetrics[] = [];
    let done = 0;
    let aborted = false;
    for (let e = 0; e < epochs && !aborted; e++) {
      if (signal?.aborted) {
        aborted = true;
        break;
      }
      const t0 = now();
      const beforeShuffle = this.rng.getState();
      const perm = this.rng.permutation(data.rows);
      let sEd = 0;
      let sEs = 0;
      let count = 0;
      for (let start = 0; start + size <= data.rows; start += size) {
        if (signal?.aborted) {
          aborted = true;
          break;
        }
        for (let n = 0; n < size; n++) batch.data.set(data.data.subarray(perm[start + n] * d, (perm[start + n] + 1) * d), n * d);
        let s: EBMTrainerStepStats;
        try {
          s = this.stepChecked(batch);
        } catch (e) {
          // The epoch's first update failed: its shuffle is put back too (the step put back its own draws).
          if (count === 0) this.rng.setState(beforeShuffle);
          throw e;
        }
        sEd += s.energyData;
        sEs += s.energySample;
        count++;
      }
      if (aborted) break;
      const metrics: EpochMetrics = {
        epoch: this.epochs,
        steps: this.t,
        learningRate: this.lr,
        seconds: (now() - t0) / 1000,
        loss: (sEd - sEs) / count,
      };
      this.epochs++;
      done++;
      history.push(metrics);
      if (onEpoch?.(metrics) === false) break;
    }
    return { history, epochs: done, aborted };
  }

  /**
   * Draws `n` samples from the current energy by `steps` Langevin steps from
   * uniform noise in `bounds` (or from `init`), with the trainer's step size,
   * noise scale and clamping, continuing the trainer's generator. Does not
   * touch the replay buffer.
   *
   * @param n - number of samples
   * @param options - see {@link EBMTrainerSampleOptions}
   * @returns `[n, dimension]` samples
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @throws {NumericalError} when a sample stops being finite (the generator is put back)
   *
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * trainer.sample(10, { steps: 20 }).rows; // 10
   * ```
   */
  sample(n: number, options?: EBMTrainerSampleOptions): Matrix {
    const where = 'EBMTrainer.sample';
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n × dimension', n, this.d);
    const o = checkOptionsKeys(where, options, TRAINER_SAMPLE_KEYS);
    const steps = o.steps === undefined ? 10 * this.options.langevinSteps : checkSteps(where, 'steps', o.steps);
    const d = this.d;
    const x: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    let init: Matrix | undefined;
    if (o.init !== undefined) {
      init = checkMatrix(where, 'init', toMatrix(where, 'init', o.init), n, d);
      checkAllFinite(where, 'init', init.data);
    }
    const saved = this.rng.getState();
    try {
      if (init !== undefined) x.data.set(init.data);
      else {
        const [lo, hi] = this.options.bounds;
        for (let i = 0; i < x.data.length; i++) x.data[i] = lo + (hi - lo) * this.rng.float64();
      }
      const g: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
      this.langevin(x, g, steps, () => new NumericalError(`${where}: a Langevin sample is not finite (the energy's input gradient overflows: lower the step size)`));
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
    return x;
  }

  /**
   * The trainer's resumable state: generator, optimizer moments, step count,
   * replay buffer and the negative chains of a sampler other than `'langevin'`
   * (JSON-serialisable). With the energy's parameters, this resumes training
   * bit-exactly via {@link EBMTrainer.setState}.
   *
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * const saved = JSON.stringify(trainer.getState()); // save with the network's parameters
   * ```
   */
  getState(): EBMTrainerState {
    return {
      rng: this.rng.getState(),
      t: this.t,
      m: Array.from(this.m),
      v: Array.from(this.v),
      buffer: Array.from(this.buf.subarray(0, this.bufCount * this.d)),
      bufferNext: this.bufNext,
      ...(this.chains.length === 0 ? {} : { chains: this.chains.map((c) => c.snapshot()) }),
    };
  }

  /**
   * Restores {@link EBMTrainer.getState} output. The chains are rebuilt from
   * their snapshots (each must be one of this trainer's sampler, at its
   * temperature and step size); a state without `chains` (none made yet, or
   * saved before the chains were kept) leaves the trainer with none, so the
   * next step splits them from the restored generator.
   * @throws {TypeError | RangeError | ShapeError | FormatError} when the state does not fit this trainer (nothing changes)
   *
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * const saved = JSON.parse(JSON.stringify(trainer.getState()));
   * trainer.setState(saved); // training continues bit-exactly from here
   * ```
   */
  setState(state: EBMTrainerState): void {
    const where = 'EBMTrainer.setState';
    const s = checkOptions(where, state) as EBMTrainerState;
    const rng = Random.fromState(s.rng);
    const t = checkInt(where, 't', s.t);
    const arr = (name: string, v: unknown, len?: number) => {
      if (!Array.isArray(v) || (len !== undefined && v.length !== len)) {
        throw new ShapeError(`${where}: ${name} must be an array${len === undefined ? '' : ` of length ${len}`} (got ${describeValue(v)})`);
      }
      const f = numberArray(where, name, v);
      checkAllFinite(where, name, f);
      return f;
    };
    const m = arr('m', s.m, this.nParams);
    const v = arr('v', s.v, this.nParams);
    const buffer = arr('buffer', s.buffer);
    if (buffer.length % this.d !== 0 || buffer.length > this.buf.length) {
      throw new ShapeError(`${where}: buffer must hold at most ${this.options.bufferSize} samples of dimension ${this.d}`);
    }
    const count = buffer.length / this.d;
    const next = checkInt(where, 'bufferNext', s.bufferNext, 0, Math.max(0, this.options.bufferSize - 1));
    const chains = this.readChains(where, s.chains);
    this.rng = rng;
    this.chains = chains;
    this.t = t;
    this.m.set(m);
    this.v.set(v);
    this.buf.set(buffer);
    this.bufCount = count;
    this.bufNext = next;
  }

  /** Rebuilds the chains of {@link EBMTrainerState.chains} (checked; `undefined` gives none). */
  private readChains(where: string, saved: unknown): Sampler[] {
    if (saved === undefined) return [];
    if (!Array.isArray(saved)) throw new TypeError(`${where}: chains must be an array of sampler snapshots (got ${describeValue(saved)})`);
    const s = this.options.sampler;
    if (s === 'langevin' && saved.length > 0) {
      throw new RangeError(`${where}: chains must be empty: the 'langevin' sampler keeps no chains (got ${saved.length})`);
    }
    const chains: Sampler[] = [];
    for (let n = 0; n < saved.length; n++) {
      // The chain's own generator comes from its snapshot: the placeholder is replaced by restore.
      const chain = this.makeSampler(n, new Random(0));
      const ladder = chain instanceof ParallelTempering ? chain.temperatures : undefined;
      chain.restore(saved[n] as SamplerSnapshot);
      if (typeof s === 'function') {
        chains.push(chain);
        continue;
      }
      let fits = chain.temperature === 1;
      if (chain instanceof Langevin) fits &&= chain.stepSize === this.options.stepSize;
      if (chain instanceof ParallelTempering && ladder !== undefined) {
        const t = chain.temperatures;
        fits &&= ladder.every((v, k) => t[k] === v) && chain.replicas.every((r, k) => r.temperature === ladder[k]);
      }
      if (!fits) throw new RangeError(`${where}: chains[${n}] was saved at another temperature or step size than this trainer's '${s}' sampler runs`);
      chains.push(chain);
    }
    return chains;
  }

  /**
   * The energy's document with the trainer's state under `state.training`
   * (options, epoch, generator, optimizer moments, replay buffer, the chains
   * of a sampler other than `'langevin'`), so
   * {@link EBMTrainer.fromDocument} resumes training bit-exactly.
   *
   * @throws {TypeError} when the energy cannot save itself (a {@link parametricEnergy} has no document)
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new EBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 1 }), { rng: 2 });
   * trainer.toDocument().state; // { rng, training: { options, epoch, rng, t, m, v, buffer, bufferNext } } (and chains, once a non-Langevin sampler made them)
   * ```
   */
  toDocument(): ModelDocument {
    if (typeof this.model.toDocument !== 'function') {
      throw new TypeError('EBMTrainer.toDocument: the energy has no toDocument() (only savable energies such as EnergyNetwork)');
    }
    const o = this.options;
    if (typeof o.sampler === 'function') {
      throw new TypeError('EBMTrainer.toDocument: a trainer with a sampler factory cannot be saved (its sampler is code); use a named sampler');
    }
    const doc = this.model.toDocument();
    const options: JsonObject = {
      ...(o.sampler === 'langevin' ? {} : { sampler: o.sampler }),
      learningRate: this.lr,
      optimizer: o.optimizer,
      beta1: o.beta1,
      langevinSteps: o.langevinSteps,
      stepSize: o.stepSize,
      noiseScale: o.noiseScale,
      gradClip: Number.isFinite(o.gradClip) ? o.gradClip : null,
      bufferSize: o.bufferSize,
      reinitProbability: o.reinitProbability,
      bounds: [o.bounds[0], o.bounds[1]],
      clamp: o.clamp,
      regularization: o.regularization,
      weightDecay: o.weightDecay,
    };
    const training: JsonObject = { options, epoch: this.epochs, ...(this.getState() as unknown as JsonObject) };
    return { ...doc, state: { ...(doc.state ?? {}), training } };
  }

  /**
   * Restores a trainer and its energy from {@link EBMTrainer.toDocument} output.
   *
   * @param doc - the parsed document
   * @param load - the energy's loader, e.g. `EnergyNetwork.fromDocument`
   * @returns the trainer, whose `model` is the loaded energy; training continues bit-exactly
   * @throws {FormatError} when the document or its training state is malformed
   * @example
   * ```ts
   * import { EBMTrainer, EnergyNetwork } from 'boltzmann';
   * const doc = new EBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 1 }), { rng: 2 }).toDocument();
   * EBMTrainer.fromDocument(JSON.parse(JSON.stringify(doc)), EnergyNetwork.fromDocument).steps; // 0
   * ```
   */
  static fromDocument<M extends ParametricEnergy>(doc: unknown, load: (doc: unknown) => M): EBMTrainer<M> {
    if (typeof load !== 'function') throw new TypeError('EBMTrainer.fromDocument: load must be a function (doc) => energy');
    const model = load(doc);
    const d = doc as ModelDocument;
    const kind = typeof d?.kind === 'string' ? d.kind : 'energy';
    checkDocument(doc, kind);
    const training = (d.state as JsonObject | undefined)?.training as JsonObject | undefined;
    const bad = (what: string, e?: unknown): never => {
      throw new FormatError(`load ${kind}: state.training.${what} is missing or malformed${e instanceof Error ? ` (${e.message})` : ''}`);
    };
    if (training === undefined || training === null || typeof training !== 'object' || Array.isArray(training)) bad('(object)');
    const t = training as JsonObject;
    const opts = t.options as JsonObject;
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) bad('options');
    // a number, or absent (null: saved as "none", e.g. no gradient clipping); anything else is malformed
    const num = (key: string): number | undefined => {
      const x = opts[key];
      if (x === undefined || x === null) return undefined;
      return typeof x === 'number' ? x : bad(`options.${key}`);
    };
    let trainer: EBMTrainer<M>;
    try {
      trainer = new EBMTrainer(model, {
        sampler: opts.sampler === undefined ? undefined : (opts.sampler as NegativeSampler),
        learningRate: num('learningRate'),
        optimizer: opts.optimizer as 'adam' | 'sgd',
        beta1: num('beta1'),
        langevinSteps: num('langevinSteps'),
        stepSize: num('stepSize'),
        noiseScale: num('noiseScale'),
        gradClip: num('gradClip'),
        bufferSize: num('bufferSize'),
        reinitProbability: num('reinitProbability'),
        bounds: opts.bounds as unknown as [number, number],
        clamp: opts.clamp as boolean,
        regularization: num('regularization'),
        weightDecay: num('weightDecay'),
        rng: 0,
      });
    } catch (e) {
      return bad('options', e);
    }
    try {
      trainer.setState(t as unknown as EBMTrainerState);
      trainer.epochs = checkInt('EBMTrainer.fromDocument', 'epoch', t.epoch);
    } catch (e) {
      return bad('state', e);
    }
    return trainer;
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Checks that `energy` is a {@link ParametricEnergy} (energies, inputGradients,
 * parameterGradient, parameters, a dimension ≥ 1), or throws a TypeError naming `where`.
 * @internal
 */
export function checkParametricEnergy(where: string, energy: unknown): void {
  const e = energy as Partial<ParametricEnergy> | null;
  if (
    e === null ||
    typeof e !== 'object' ||
    typeof e.energies !== 'function' ||
    typeof e.inputGradients !== 'function' ||
    typeof e.parameterGradient !== 'function' ||
    !(e.parameters instanceof Float64Array)
  ) {
    throw new TypeError(`${where}: energy must be a ParametricEnergy (energies, inputGradients, parameterGradient, parameters)`);
  }
  checkInt(where, 'energy.dimension', e.dimension, 1);
}

/**
 * Whether the `t`-th update ({@link adamStep}, or SGD `θ ← θ − lr·g`) leaves
 * the parameters (and Adam's moments) finite; computes what the update would
 * write, with the same expressions, and writes nothing.
 */
function updateIsFinite(
  theta: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  t: number,
  lr: number,
  beta1: number,
  optimizer: 'adam' | 'sgd',
): boolean {
  if (optimizer === 'sgd') {
    for (let j = 0; j < g.length; j++) if (!Number.isFinite(theta[j] - lr * g[j])) return false;
    return true;
  }
  const b2 = 0.999;
  const c1 = beta1 > 0 ? 1 - pow(beta1, t) : 1;
  const c2 = 1 - pow(b2, t);
  for (let j = 0; j < g.length; j++) {
    const mj = beta1 * m[j] + (1 - beta1) * g[j];
    const vj = b2 * v[j] + (1 - b2) * g[j] * g[j];
    const next = theta[j] - (lr * (mj / c1)) / (Math.sqrt(vj / c2) + 1e-8);
    if (!Number.isFinite(mj) || !Number.isFinite(vj) || !Number.isFinite(next)) return false;
  }
  return true;
}

/**
 * One Adam step (Kingma & Ba 2015; β₂ = 0.999, ε = 1e-8) of the `t`-th update
 * (t ≥ 1): `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`,
 * `θ ← θ − lr·(m/c₁)/(√(v/c₂) + ε)` with the bias corrections `c₁ = 1 − β₁ᵗ`
 * (1 when β₁ = 0) and `c₂ = 1 − β₂ᵗ`. In place; unchecked.
 * @internal
 */
export function adamStep(theta: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number, lr: number, beta1: number): void {
  const b2 = 0.999;
  const c1 = beta1 > 0 ? 1 - pow(beta1, t) : 1;
  const c2 = 1 - pow(b2, t);
  for (let j = 0; j < g.length; j++) {
    m[j] = beta1 * m[j] + (1 - beta1) * g[j];
    v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
    theta[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + 1e-8);
  }
}
