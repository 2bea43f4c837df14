/**
 * The Du & Mordatch (2019) recipe for image energy-based models: short-run
 * stochastic-gradient Langevin dynamics from a replay buffer (95% reuse, 5%
 * fresh uniform noise), energy-magnitude regularisation and gradient
 * clipping, on any {@link ParametricEnergy} (an {@link EnergyNetwork}).
 * @module
 */
import { describeValue, NumericalError, ShapeError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import type { EpochMetrics, FitResult } from '../models/contract.js';
import { Random, toRandom } from '../random/random.js';
import {
  checkAllFinite,
  checkBoolean,
  checkElements,
  checkFinite,
  checkInRange,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOptionsKeys,
  checkPositive,
  checkSteps,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { adamStep, checkEBMFitOptions, checkParametricEnergy, type EBMTrainerFitOptions, type ParametricEnergy } from './ebm-trainer.js';

/** Options of {@link ShortRunEBMTrainer}.
 * @category Training
 */
export interface ShortRunEBMOptions {
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Adam's β₁ (Du & Mordatch use 0). Default 0; β₂ is 0.999. */
  beta1?: number;
  /** SGLD steps `K` per negative batch (Du & Mordatch: 60 on CIFAR-10). Default 20. */
  sgldSteps?: number;
  /** Gradient step `λ` in `x ← x − λ·clip(∇ₓE) + σξ` (Du & Mordatch: 10). Default 10. */
  stepSize?: number;
  /** Noise standard deviation `σ` of each SGLD step (Du & Mordatch: 0.005). Default 0.005. */
  noise?: number;
  /** Clip each coordinate of `∇ₓE` to `[−c, c]` in SGLD, so a step moves a coordinate at most `λc + |σξ|`. Default 0.01. */
  sgldGradClip?: number;
  /** Rescale the parameter gradient to this Euclidean norm when it is longer. Default 1. */
  gradClip?: number;
  /** Energy-magnitude regularisation `α`: the objective adds `α·(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩)`. Default 1. */
  regularization?: number;
  /** L2 weight decay on `θ`. Default 0. */
  weightDecay?: number;
  /** Replay buffer capacity (past negatives). Default 10 000. */
  bufferSize?: number;
  /** Probability that a chain starts from fresh uniform noise instead of a buffer entry (1 − reuse). Default 0.05. */
  reinitProbability?: number;
  /** Box `[low, high]` (every coordinate) of the fresh noise and of clamping (images: `[0, 1]`). Default `[0, 1]`. */
  bounds?: readonly [number, number];
  /** Clamp every SGLD step to `bounds`. Default true. */
  clamp?: boolean;
  /** Seed or generator. Default: split from the energy's own stream (`energy.random.split()`), else seed 0. */
  rng?: number | Random;
}

const KEYS = optionKeys<ShortRunEBMOptions>()({
  learningRate: true,
  beta1: true,
  sgldSteps: true,
  stepSize: true,
  noise: true,
  sgldGradClip: true,
  gradClip: true,
  regularization: true,
  weightDecay: true,
  bufferSize: true,
  reinitProbability: true,
  bounds: true,
  clamp: true,
  rng: true,
});

const FIT_KEYS = optionKeys<EBMTrainerFitOptions>()({ epochs: true, onEpoch: true, signal: true, batchSize: true, threads: true });

/** Options of {@link ShortRunEBMTrainer.sample}.
 * @category Training
 */
export interface ShortRunEBMSampleOptions {
  /** SGLD steps. Default `sgldSteps`. */
  steps?: number;
  /** Chain starts `[n, dimension]` (copied). Default: uniform noise in `bounds`. */
  init?: DataInput;
  /** Start from replay-buffer entries (drawn with replacement) instead of noise. Default false. */
  fromBuffer?: boolean;
}

const SAMPLE_KEYS = optionKeys<ShortRunEBMSampleOptions>()({ steps: true, init: true, fromBuffer: true });

/** Statistics of one {@link ShortRunEBMTrainer.step}.
 * @category Training
 */
export interface ShortRunEBMStepStats {
  /** `⟨E(x⁺)⟩` over the data batch. */
  readonly energyData: number;
  /** `⟨E(x⁻)⟩` over the negatives. */
  readonly energySample: number;
  /** The contrastive loss `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩`. */
  readonly loss: number;
  /** The full objective: `loss + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩)` (+ weight decay is not included). */
  readonly objective: number;
  /** Euclidean norm of the parameter gradient before clipping. */
  readonly gradNorm: number;
  /** Whether the gradient was rescaled to `gradClip`. */
  readonly clipped: boolean;
  /** Chains of this step that started from a buffer entry (the rest started from noise). */
  readonly reused: number;
}

/**
 * Trains a {@link ParametricEnergy} by the recipe of Du & Mordatch (2019),
 * "Implicit generation and generalization in energy-based models". One
 * {@link ShortRunEBMTrainer.step} on a data batch `x⁺` of size `B`:
 *
 * 1. starts `B` chains, each from a random replay-buffer entry, or — with
 *    probability `reinitProbability` (5%), or while the buffer holds fewer
 *    than `B` samples — from uniform noise in `bounds`;
 * 2. runs `K` short-run SGLD steps `x ← clamp(x − λ·clip(∇ₓE(x), ±c) + σξ)`
 *    (the paper's `λ/2`-and-`√λ` Langevin form with the noise turned down,
 *    as its experiments do: a sampler biased towards the modes);
 * 3. minimises `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩)` (the α term keeps
 *    energies near 0 and the training stable) by one Adam step on the
 *    parameter gradient, rescaled to norm `gradClip` when longer;
 * 4. pushes the negatives into the buffer (a ring of `bufferSize`).
 *
 * Each step computes into scratch and commits (parameters, optimizer,
 * buffer, counters) only when every number is finite; otherwise it throws
 * {@link NumericalError} and leaves everything, the generator included, as
 * it was. The trainer owns its generator (split from the energy's stream
 * unless `rng` is given): the same seed gives the same numbers.
 *
 * @example
 * ```ts
 * import { EnergyNetwork, ShortRunEBMTrainer } from 'boltzmann';
 * const images = { rows: 64, cols: 4, data: new Float64Array(256).map((_, i) => (i % 4) / 3) };
 * const net = new EnergyNetwork(4, { hidden: [16], rng: 1 });
 * const trainer = new ShortRunEBMTrainer(net, { sgldSteps: 10, rng: 2 });
 * trainer.fit(images, { epochs: 3, batchSize: 16 });
 * trainer.reuseFraction; // 0.875: the share of the chains started from the buffer over all steps (none at the first, whose buffer is empty)
 * trainer.sample(8).rows; // 8 short-run samples in [0, 1]⁴
 * ```
 * @category Training
 */
export class ShortRunEBMTrainer<E extends ParametricEnergy = ParametricEnergy> {
  /** The energy being trained (parameters updated in place). */
  readonly model: E;
  /** Resolved options. */
  readonly options: Readonly<Required<Omit<ShortRunEBMOptions, 'rng'>>>;
  private rng: Random;
  private readonly d: number;
  private readonly buf: Float64Array;
  private bufCount = 0;
  private bufNext = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly grad: Float64Array;
  private readonly gradNeg: Float64Array;
  private t = 0;
  private epochs = 0;
  private nReused = 0;
  private nChains = 0;

  /**
   * @param energy - the parametric energy to train (e.g. an {@link EnergyNetwork})
   * @param options - see {@link ShortRunEBMOptions}
   * @throws {TypeError | RangeError} on a bad energy or options (nothing is drawn)
   */
  constructor(energy: E, options?: ShortRunEBMOptions) {
    const where = 'ShortRunEBMTrainer';
    checkParametricEnergy(where, energy);
    const o = checkOptionsKeys(where, options, KEYS);
    const bounds = o.bounds === undefined ? ([0, 1] as const) : o.bounds;
    if (!Array.isArray(bounds) || bounds.length !== 2) throw new TypeError(`${where}: bounds must be [low, high] (got ${describeValue(bounds)})`);
    checkFinite(where, 'bounds[0]', bounds[0]);
    checkFinite(where, 'bounds[1]', bounds[1]);
    if (!(bounds[1] > bounds[0])) throw new RangeError(`${where}: bounds must satisfy low < high (got [${bounds[0]}, ${bounds[1]}])`);
    const resolved = {
      learningRate: o.learningRate === undefined ? 1e-3 : checkPositive(where, 'learningRate', o.learningRate),
      beta1: o.beta1 === undefined ? 0 : checkInRange(where, 'beta1', o.beta1, 0, 1, { hiOpen: true }),
      sgldSteps: o.sgldSteps === undefined ? 20 : checkSteps(where, 'sgldSteps', o.sgldSteps),
      stepSize: o.stepSize === undefined ? 10 : checkNonNegative(where, 'stepSize', o.stepSize),
      noise: o.noise === undefined ? 0.005 : checkNonNegative(where, 'noise', o.noise),
      sgldGradClip: o.sgldGradClip === undefined ? 0.01 : checkPositive(where, 'sgldGradClip', o.sgldGradClip),
      gradClip: o.gradClip === undefined ? 1 : checkPositive(where, 'gradClip', o.gradClip),
      regularization: o.regularization === undefined ? 1 : checkNonNegative(where, 'regularization', o.regularization),
      weightDecay: o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay),
      bufferSize: o.bufferSize === undefined ? 10000 : checkInt(where, 'bufferSize', o.bufferSize, 1, 1 << 24),
      reinitProbability: o.reinitProbability === undefined ? 0.05 : checkInRange(where, 'reinitProbability', o.reinitProbability, 0, 1),
      bounds: [bounds[0], bounds[1]] as const,
      clamp: o.clamp === undefined ? true : checkBoolean(where, 'clamp', o.clamp),
    };
    const own = energy.random;
    if (own !== undefined && !(own instanceof Random)) throw new TypeError(`${where}: energy.random must be a Random when present`);
    if (resolved.bufferSize * energy.dimension > 1 << 28) {
      throw new RangeError(`${where}: bufferSize × dimension must be at most 2^28 (got ${resolved.bufferSize} × ${energy.dimension})`);
    }
    this.rng = o.rng !== undefined ? toRandom(o.rng, where) : own !== undefined ? own.split() : new Random(0);
    this.model = energy;
    this.options = resolved;
    this.d = energy.dimension;
    const p = energy.parameters.length;
    this.buf = new Float64Array(resolved.bufferSize * this.d);
    this.m = new Float64Array(p);
    this.v = new Float64Array(p);
    this.grad = new Float64Array(p);
    this.gradNeg = new Float64Array(p);
  }

  /** Optimizer steps taken. */
  get steps(): number {
    return this.t;
  }

  /** Whole epochs completed by {@link ShortRunEBMTrainer.fit}. */
  get epoch(): number {
    return this.epochs;
  }

  /** The generator (advanced by every step and every `sample`). */
  get random(): Random {
    return this.rng;
  }

  /** Number of samples in the replay buffer. */
  get bufferCount(): number {
    return this.bufCount;
  }

  /** The replay buffer `[bufferCount, dimension]` (a copy). */
  get buffer(): Matrix {
    return { rows: this.bufCount, cols: this.d, data: this.buf.slice(0, this.bufCount * this.d) };
  }

  /** Fraction of all chains so far that started from the buffer (`NaN` before the first step). */
  get reuseFraction(): number {
    return this.nChains === 0 ? Number.NaN : this.nReused / this.nChains;
  }

  /** Runs `steps` SGLD steps on the rows of `x` in place (unchecked). */
  private sgld(x: Matrix, g: Matrix, steps: number): void {
    const { stepSize: lambda, noise, sgldGradClip: c, clamp, bounds } = this.options;
    const [lo, hi] = bounds;
    const xd = x.data;
    const gd = g.data;
    for (let k = 0; k < steps; k++) {
      this.model.inputGradients(g, x);
      for (let i = 0; i < xd.length; i++) {
        let gi = gd[i];
        if (gi > c) gi = c;
        else if (gi < -c) gi = -c;
        let v = xd[i] - lambda * gi + (noise > 0 ? noise * this.rng.normal() : 0);
        if (clamp) v = Math.min(hi, Math.max(lo, v));
        xd[i] = v;
      }
    }
    for (let i = 0; i < xd.length; i++) if (!Number.isFinite(xd[i])) throw new NumericalError('ShortRunEBMTrainer: an SGLD sample is not finite (∇ₓE is NaN)');
  }

  /** Fills `x` with chain starts; returns how many came from the buffer. */
  private initChains(x: Matrix): number {
    const d = this.d;
    const [lo, hi] = this.options.bounds;
    const p = this.options.reinitProbability;
    let reused = 0;
    for (let n = 0; n < x.rows; n++) {
      const o = n * d;
      const fresh = this.bufCount < x.rows || this.rng.float64() < p;
      if (fresh) for (let j = 0; j < d; j++) x.data[o + j] = lo + (hi - lo) * this.rng.float64();
      else {
        const b = this.rng.int(this.bufCount) * d;
        x.data.set(this.buf.subarray(b, b + d), o);
        reused++;
      }
    }
    return reused;
  }

  private checkData(where: string, name: string, data: unknown): Matrix {
    const m = checkMatrix(where, name, toMatrix(where, name, data), undefined, this.d);
    checkAllFinite(where, name, m.data);
    if (m.rows < 1) throw new ShapeError(`${where}: ${name} must have at least one row`);
    return m;
  }

  /**
   * One update on a data batch (see the class description).
   *
   * @param batch - `[batchSize, dimension]` data
   * @returns energies, losses, gradient norm, whether it was clipped, and how many chains reused the buffer
   * @throws {TypeError | RangeError | ShapeError} on a bad batch (nothing changes)
   * @throws {NumericalError} when an energy, gradient or sample is not finite (nothing changes)
   * @example
   * ```ts
   * import { EnergyNetwork, ShortRunEBMTrainer } from 'boltzmann';
   * const trainer = new ShortRunEBMTrainer(new EnergyNetwork(4, { hidden: [8], rng: 1 }), { sgldSteps: 5, rng: 2 });
   * const s = trainer.step([[0, 1, 0, 1], [1, 0, 1, 0]]);
   * [s.loss, s.objective, s.gradNorm, s.clipped, s.reused];
   * ```
   */
  step(batch: DataInput): ShortRunEBMStepStats {
    const x = this.checkData('ShortRunEBMTrainer.step', 'batch', batch);
    return this.stepChecked(x);
  }

  private stepChecked(pos: Matrix): ShortRunEBMStepStats {
    const B = pos.rows;
    const d = this.d;
    const neg: Matrix = { rows: B, cols: d, data: new Float64Array(B * d) };
    const g: Matrix = { rows: B, cols: d, data: new Float64Array(B * d) };
    const saved = this.rng.getState();
    try {
      const reused = this.initChains(neg);
      this.sgld(neg, g, this.options.sgldSteps);
      return this.update(pos, neg, reused);
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
  }

  /**
   * The objective `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩) + (λ/2)‖θ‖²`
   * and its gradient in `θ` (unclipped) for given positives and negatives:
   * what one step descends, with the negatives held fixed.
   *
   * @param positive - `[B, dimension]` data
   * @param negative - `[B', dimension]` negatives
   * @returns `{ objective, loss, gradient }` (`loss` = the contrastive part; `gradient` a new array)
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @throws {NumericalError} when an energy or the gradient is not finite
   * @example
   * ```ts
   * import { EnergyNetwork, ShortRunEBMTrainer } from 'boltzmann';
   * const trainer = new ShortRunEBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 1 }), { rng: 2 });
   * const { objective, gradient } = trainer.objectiveGradient([[0.2, 0.8]], [[0.5, 0.5], [0.9, 0.1]]);
   * ```
   */
  objectiveGradient(
    positive: DataInput,
    negative: DataInput,
  ): {
    /** The minimised objective, `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩) + (λ/2)‖θ‖²`. */
    objective: number;
    /** Its contrastive part alone, `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩`. */
    loss: number;
    /** The objective's gradient in the parameters (before clipping). */
    gradient: Float64Array;
  } {
    const where = 'ShortRunEBMTrainer.objectiveGradient';
    const pos = this.checkData(where, 'positive', positive);
    const neg = this.checkData(where, 'negative', negative);
    const r = this.gradient(pos, neg);
    let wd = 0;
    const theta = this.model.parameters;
    for (let j = 0; j < theta.length; j++) wd += theta[j] * theta[j];
    return { objective: r.mp - r.mn + this.options.regularization * r.sq + 0.5 * this.options.weightDecay * wd, loss: r.mp - r.mn, gradient: this.grad.slice() };
  }

  /** Energies and the objective's parameter gradient (into `this.grad`, weight decay included). */
  private gradient(pos: Matrix, neg: Matrix): { mp: number; mn: number; sq: number; norm: number } {
    const { regularization: alpha, weightDecay } = this.options;
    const B = pos.rows;
    const C = neg.rows;
    const ePos = this.model.energies(new Float64Array(B), pos);
    const eNeg = this.model.energies(new Float64Array(C), neg);
    let mp = 0;
    let mn = 0;
    let sq = 0;
    for (let n = 0; n < B; n++) {
      mp += ePos[n] / B;
      sq += (ePos[n] * ePos[n]) / B;
    }
    for (let n = 0; n < C; n++) {
      mn += eNeg[n] / C;
      sq += (eNeg[n] * eNeg[n]) / C;
    }
    if (!Number.isFinite(mp) || !Number.isFinite(mn) || !Number.isFinite(sq)) {
      throw new NumericalError('ShortRunEBMTrainer.step: energies are not finite (lower the learning rate or raise regularization)');
    }
    const wPos = new Float64Array(B);
    const wNeg = new Float64Array(C);
    for (let n = 0; n < B; n++) wPos[n] = (1 + 2 * alpha * ePos[n]) / B;
    for (let n = 0; n < C; n++) wNeg[n] = (-1 + 2 * alpha * eNeg[n]) / C;
    const gr = this.grad;
    const gn = this.gradNeg;
    this.model.parameterGradient(gr, pos, wPos);
    this.model.parameterGradient(gn, neg, wNeg);
    const theta = this.model.parameters;
    let norm2 = 0;
    for (let j = 0; j < gr.length; j++) {
      gr[j] += gn[j] + weightDecay * theta[j];
      norm2 += gr[j] * gr[j];
    }
    const norm = Math.sqrt(norm2);
    if (!Number.isFinite(norm)) throw new NumericalError('ShortRunEBMTrainer.step: the parameter gradient is not finite');
    return { mp, mn, sq, norm };
  }

  private update(pos: Matrix, neg: Matrix, reused: number): ShortRunEBMStepStats {
    const B = pos.rows;
    const { regularization: alpha, beta1, gradClip } = this.options;
    const { mp, mn, sq, norm } = this.gradient(pos, neg);
    const gr = this.grad;
    const theta = this.model.parameters;
    const clipped = norm > gradClip;
    if (clipped) {
      const s = gradClip / norm;
      for (let j = 0; j < gr.length; j++) gr[j] *= s;
    }
    // Commit.
    this.t++;
    adamStep(theta, gr, this.m, this.v, this.t, this.options.learningRate, beta1);
    const cap = this.options.bufferSize;
    const d = this.d;
    for (let n = 0; n < B; n++) {
      this.buf.set(neg.data.subarray(n * d, (n + 1) * d), this.bufNext * d);
      this.bufNext = (this.bufNext + 1) % cap;
      if (this.bufCount < cap) this.bufCount++;
    }
    this.nReused += reused;
    this.nChains += B;
    return { energyData: mp, energySample: mn, loss: mp - mn, objective: mp - mn + alpha * sq, gradNorm: norm, clipped, reused };
  }

  /**
   * Trains for `epochs` passes over `data` in shuffled mini-batches (rows
   * after the last whole batch of each epoch's permutation are skipped).
   * Each epoch's `loss` is its mean contrastive loss `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩`.
   *
   * @param data - `[nSamples, dimension]`
   * @param options - `epochs` (default 1), `batchSize` (default 128), `onEpoch` (return `false` to stop), `signal`, `threads`
   * @returns the metrics of each completed epoch
   * @throws {TypeError | RangeError | ShapeError} on bad input (before any update); {@link NumericalError} from a failing step
   * @example
   * ```ts
   * import { EnergyNetwork, ShortRunEBMTrainer } from 'boltzmann';
   * const data = { rows: 32, cols: 2, data: new Float64Array(64).fill(0.5) };
   * const trainer = new ShortRunEBMTrainer(new EnergyNetwork(2, { hidden: [8], rng: 1 }), { sgldSteps: 5, rng: 2 });
   * trainer.fit(data, { epochs: 2, batchSize: 16 }).history.length; // 2
   * ```
   */
  fit(data: DataInput, options?: EBMTrainerFitOptions): FitResult {
    const where = 'ShortRunEBMTrainer.fit';
    const X = this.checkData(where, 'data', data);
    const o = checkEBMFitOptions(where, checkOptionsKeys(where, options, FIT_KEYS));
    return withThreads(o.threads, () => {
      const d = this.d;
      const size = Math.min(o.batchSize, X.rows);
      const batch: Matrix = { rows: size, cols: d, data: new Float64Array(size * d) };
      const history: EpochMetrics[] = [];
      let done = 0;
      let aborted = false;
      for (let e = 0; e < o.epochs && !aborted; e++) {
        if (o.signal?.aborted) {
          aborted = true;
          break;
        }
        const t0 = now();
        const perm = this.rng.permutation(X.rows);
        let loss = 0;
        let count = 0;
        for (let start = 0; start + size <= X.rows; start += size) {
          if (o.signal?.aborted) {
            aborted = true;
            break;
          }
          for (let n = 0; n < size; n++) batch.data.set(X.data.subarray(perm[start + n] * d, (perm[start + n] + 1) * d), n * d);
          loss += this.stepChecked(batch).loss;
          count++;
        }
        if (aborted) break;
        const metrics: EpochMetrics = { epoch: this.epochs, steps: this.t, learningRate: this.options.learningRate, seconds: (now() - t0) / 1000, loss: loss / count };
        this.epochs++;
        done++;
        history.push(metrics);
        if (o.onEpoch?.(metrics) === false) break;
      }
      return { history, epochs: done, aborted };
    });
  }

  /**
   * `n` samples by `steps` SGLD steps (the training sampler) from uniform
   * noise in `bounds`, from `init`, or from replay-buffer entries; continues
   * the trainer's generator and leaves the buffer unchanged.
   *
   * @param n - number of samples (≥ 1)
   * @param options - see {@link ShortRunEBMSampleOptions}
   * @returns `[n, dimension]` samples
   * @throws {TypeError | RangeError | ShapeError} on bad input (nothing is drawn)
   * @throws {NumericalError} when a sample is not finite (the generator is put back)
   * @example
   * ```ts
   * import { EnergyNetwork, ShortRunEBMTrainer } from 'boltzmann';
   * const trainer = new ShortRunEBMTrainer(new EnergyNetwork(4, { hidden: [8], rng: 1 }), { rng: 2 });
   * trainer.sample(3, { steps: 40 }).rows; // 3
   * ```
   */
  sample(n: number, options?: ShortRunEBMSampleOptions): Matrix {
    const where = 'ShortRunEBMTrainer.sample';
    checkInt(where, 'n', n, 1, 1 << 24);
    checkElements(where, 'n × dimension', n, this.d);
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const steps = o.steps === undefined ? this.options.sgldSteps : checkSteps(where, 'steps', o.steps);
    const fromBuffer = o.fromBuffer === undefined ? false : checkBoolean(where, 'fromBuffer', o.fromBuffer);
    const d = this.d;
    let init: Matrix | undefined;
    if (o.init !== undefined) {
      if (fromBuffer) throw new RangeError(`${where}: give init or fromBuffer, not both`);
      init = checkMatrix(where, 'init', toMatrix(where, 'init', o.init), n, d);
      checkAllFinite(where, 'init', init.data);
    }
    if (fromBuffer && this.bufCount === 0) throw new RangeError(`${where}: fromBuffer needs a non-empty buffer (train first)`);
    const x: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    const saved = this.rng.getState();
    try {
      if (init !== undefined) x.data.set(init.data);
      else if (fromBuffer) {
        for (let r = 0; r < n; r++) {
          const b = this.rng.int(this.bufCount) * d;
          x.data.set(this.buf.subarray(b, b + d), r * d);
        }
      } else {
        const [lo, hi] = this.options.bounds;
        for (let i = 0; i < x.data.length; i++) x.data[i] = lo + (hi - lo) * this.rng.float64();
      }
      this.sgld(x, { rows: n, cols: d, data: new Float64Array(n * d) }, steps);
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
    return x;
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
