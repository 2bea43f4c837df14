/**
 * Contrastive divergence (CD-k, Hinton 2002) and persistent contrastive
 * divergence (PCD, Tieleman 2008) for every {@link RBMLike} model.
 *
 * One step on a mini-batch `V₀` of `B` rows:
 * - positive phase: `P₀ = P(h | V₀)`, statistics `V₀ᵀP₀ / B`, `ΣV₀ / B`, `ΣP₀ / B`;
 * - negative phase: `k` Gibbs steps `h ~ P(h|v)`, `v ~ P(v|h)`, from the data (CD),
 *   or `k` sweeps `v ~ P(v|h)`, `h ~ P(h|v)` of `nChains` persistent chains (PCD),
 *   then `P_k = P(h | V_k)` and the same statistics with `1 / nChains`. A PCD
 *   chain keeps its hidden sample: the last sweep's `h ~ P_k` is drawn after the
 *   statistics (scikit-learn's layout), so each update runs `k` products
 *   `h·Wᵀ` and `k` products `v·W` for its chains rather than `k + 1` of the latter;
 *   a chain starts from a row of the first batch with `h ~ P(h | v)`;
 * - update: `Δ ← μ·Δ + η·(pos − neg − λ·W [− sparsity])`, `θ ← θ + Δ`.
 *
 * The update is computed into scratch buffers and checked to be finite before
 * anything is committed: a step that would produce NaN or ±∞ throws
 * {@link NumericalError} and leaves parameters, momentum and chains untouched.
 *
 * {@link RBMTrainer} is the step-level API behind `RBM.fit` / `GaussianRBM.fit`.
 * @module
 */
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { bernoulliDraws } from '../linalg/wasm/bernoulli.js';
import { checkDocument, floatsFromJson, floatsToJson, type JsonObject, type JsonValue, type ModelDocument } from '../document.js';
import { withResident, withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import type { BaseFitOptions, EpochMetrics, FitResult, Trainer } from '../models/contract.js';
import { checkBatch, RBM, type RBMLike, visibleUnits } from '../models/rbm.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import {
  checkBoolean,
  checkElements,
  checkInRange,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositiveInt,
  checkSize,
  type DataInput,
  optionKeys,
} from '../validate.js';
import { pseudoLikelihood } from '../models/rbm-pseudo-likelihood.js';
import { rbmLogZLowerBound } from '../models/rbm-log-z-bound.js';
import { checkAbortSignal, checkCallback, errorMessage } from './checks.js';

/** A learning rate: a constant, or a function of the epoch (0-based) and the step count.
 * @category Training
 */
export type LearningRate = number | ((epoch: number, step: number) => number);

/** The RBM training algorithms: contrastive divergence or persistent contrastive divergence.
 * @category Training
 */
export type RBMTrainingMethod = 'cd' | 'pcd';

/** Options of {@link RBMTrainer} (the hyperparameters of the update rule).
 * @category Training
 */
export interface RBMTrainerOptions {
  /**
   * `'cd'`: CD-k, the negative phase restarts from the data of each mini-batch;
   * `'pcd'`: persistent CD, the negative phase continues `nChains` persistent chains.
   * Default `'cd'` for a trainer built by hand (`RBM.fit` defaults to `'pcd'`).
   */
  method?: RBMTrainingMethod;
  /** Gibbs steps per update (CD-k). Default `1`. */
  k?: number;
  /** Number of persistent chains (`'pcd'` only). Default: the batch size. */
  nChains?: number;
  /** Learning rate η (or a schedule). Default `0.1`. */
  learningRate?: LearningRate;
  /** Momentum μ in [0, 1). Default `0`. */
  momentum?: number;
  /** L2 weight decay λ on the weights (not the biases). Default `0`. */
  weightDecay?: number;
  /** Mini-batch size. Default `10`. */
  batchSize?: number;
  /**
   * Target mean activation of each hidden unit (Hinton's practical guide, §11);
   * off when undefined. The penalty gradient `cost·(target − q_j)` is added to
   * the hidden bias and `cost·(target − q_j)·mean(v_i)` to the weights, where `q`
   * is an exponentially decaying average of the batch's hidden probabilities.
   */
  sparsityTarget?: number;
  /** Weight of the sparsity penalty. Default `0.1` when a target is set. */
  sparsityCost?: number;
  /** Decay of the running hidden activation `q`. Default `0.9`. */
  sparsityDecay?: number;
  /**
   * Seed or generator for shuffling and sampling. Default: a generator split
   * off the model's own stream (`model.random.split()`), so training is
   * reproducible from the model's construction seed.
   */
  rng?: number | Random;
}

/** The keys of {@link RBMTrainerOptions}. @internal */
export const RBM_TRAINER_KEYS = optionKeys<RBMTrainerOptions>()({
  method: true,
  k: true,
  nChains: true,
  learningRate: true,
  momentum: true,
  weightDecay: true,
  batchSize: true,
  sparsityTarget: true,
  sparsityCost: true,
  sparsityDecay: true,
  rng: true,
});

/** Options of {@link RBMTrainer.fit}.
 * @category Training
 */
export interface RBMTrainerFitOptions extends BaseFitOptions {
  /** Number of epochs. Default `10`. */
  epochs?: number;
  /** Held-out rows for pseudo-likelihood and the free-energy gap. */
  validation?: DataInput;
  /** Compute the metrics after each epoch. Default `true` when `onEpoch` is given. */
  metrics?: boolean;
  /** Training rows used for the metrics (a fixed random subset). Default `1000`. */
  monitorSize?: number;
  /** Called after every epoch; return `false` to stop early. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops training after the current step when aborted. */
  signal?: AbortSignal;
  /** Worker threads for the matrix products (see `withThreads`). Default: the kernel's choice. */
  threads?: number;
}

/** The keys of {@link RBMTrainerFitOptions}. @internal */
export const RBM_TRAINER_FIT_KEYS = optionKeys<RBMTrainerFitOptions>()({
  epochs: true,
  validation: true,
  metrics: true,
  monitorSize: true,
  onEpoch: true,
  signal: true,
  threads: true,
});

/** {@link RBMTrainerFitOptions} checked and with their defaults. @internal */
export interface CheckedRBMFitOptions {
  epochs: number;
  validation: Matrix | undefined;
  metrics: boolean;
  monitorSize: number;
  onEpoch: ((metrics: EpochMetrics) => unknown) | undefined;
  signal: AbortSignal | undefined;
  threads: number | undefined;
}

/**
 * Checks the options of {@link RBMTrainer.fit} for a model (the keys have been
 * checked by the caller) and fills in the defaults. @internal
 */
export function checkRBMFitOptions(where: string, model: RBMLike, o: Partial<RBMTrainerFitOptions>): CheckedRBMFitOptions {
  const epochs = o.epochs === undefined ? 10 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
  const validation = o.validation === undefined ? undefined : checkBatch(where, 'validation', o.validation, model.nVisible, visibleUnits(model));
  const onEpoch = checkCallback<(metrics: EpochMetrics) => unknown>(where, 'onEpoch', o.onEpoch);
  const metrics = o.metrics === undefined ? onEpoch !== undefined : checkBoolean(where, 'metrics', o.metrics);
  const monitorSize = o.monitorSize === undefined ? 1000 : checkPositiveInt(where, 'monitorSize', o.monitorSize);
  const signal = checkAbortSignal(where, o.signal);
  if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
  return { epochs, validation, metrics, monitorSize, onEpoch, signal, threads: o.threads };
}

/** A gradient estimate in the model's parameter order (see {@link RBMLike.parameterArrays}).
 * @category Training
 */
export type RBMGradient = Float64Array[];

function checkLearningRate(where: string, lr: unknown): LearningRate {
  if (typeof lr === 'function') return lr as LearningRate;
  return checkNonNegative(where, 'learningRate', lr);
}

/** {@link RBMTrainerOptions} checked and with their defaults (the generator not yet made). @internal */
export interface CheckedRBMTrainerOptions {
  method: RBMTrainingMethod;
  k: number;
  batchSize: number;
  nChains: number;
  learningRate: LearningRate;
  momentum: number;
  weightDecay: number;
  sparsityTarget: number | undefined;
  sparsityCost: number;
  sparsityDecay: number;
}

/**
 * Checks the options of an {@link RBMTrainer} for `model` (keys, types, ranges and,
 * with `sizes`, the batch and chain allocations against `LIMITS.maxElements`) without
 * making anything, so that a model's `fit` can refuse a bad option before it draws
 * from its generator or derives the recipe's defaults from it. @internal
 */
export function checkRBMTrainerOptions(where: string, model: RBMLike, options: RBMTrainerOptions | undefined, sizes = true): CheckedRBMTrainerOptions {
  const o = checkOptionsKeys(where, options, RBM_TRAINER_KEYS);
  const method = o.method === undefined ? 'cd' : checkOneOf(where, 'method', o.method, ['cd', 'pcd'] as const);
  const k = o.k === undefined ? 1 : checkSize(where, 'k', o.k, 1, 'maxSteps');
  const batchSize = o.batchSize === undefined ? 10 : checkSize(where, 'batchSize', o.batchSize);
  const nChains = o.nChains === undefined ? batchSize : checkSize(where, 'nChains', o.nChains);
  if (sizes && typeof model.nVisible === 'number' && typeof model.nHidden === 'number') {
    checkElements(where, 'batchSize × (nVisible + nHidden)', batchSize, model.nVisible + model.nHidden);
    checkElements(where, 'nChains × (nVisible + nHidden)', nChains, model.nVisible + model.nHidden);
  }
  if (method !== 'pcd' && o.nChains !== undefined && o.nChains !== batchSize) {
    throw new RangeError(`${where}: nChains applies to method 'pcd' only (got ${nChains} with method 'cd')`);
  }
  const learningRate = o.learningRate === undefined ? 0.1 : checkLearningRate(where, o.learningRate);
  const momentum = o.momentum === undefined ? 0 : checkInRange(where, 'momentum', o.momentum, 0, 1, { hiOpen: true });
  const weightDecay = o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay);
  const sparsityTarget = o.sparsityTarget === undefined ? undefined : checkInRange(where, 'sparsityTarget', o.sparsityTarget, 0, 1, { loOpen: true, hiOpen: true });
  const sparsityCost = o.sparsityCost === undefined ? 0.1 : checkNonNegative(where, 'sparsityCost', o.sparsityCost);
  const sparsityDecay = o.sparsityDecay === undefined ? 0.9 : checkInRange(where, 'sparsityDecay', o.sparsityDecay, 0, 1, { hiOpen: true });
  if (o.rng === undefined) {
    if (!(model.random instanceof Random)) throw new TypeError(`${where}: the model has no generator stream (random); pass rng`);
  } else if (!(o.rng instanceof Random)) toRandom(o.rng, where); // a bad seed is refused here (a seed makes a new generator: nothing is drawn)
  return { method, k, batchSize, nChains, learningRate, momentum, weightDecay, sparsityTarget, sparsityCost, sparsityDecay };
}

/**
 * The step-level trainer behind `RBM.fit` and `GaussianRBM.fit`: CD-k and
 * persistent CD for every {@link RBMLike} model. It owns the generator, the
 * persistent chains, the momentum and the sparsity average; the model holds
 * the parameters. Build it once per model; call {@link RBMTrainer.fit} for
 * whole epochs or {@link RBMTrainer.step} to drive your own loop.
 *
 * @example
 * ```ts
 * import { RBM, RBMTrainer } from 'boltzmann';
 * const data = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1, data });
 * const trainer = new RBMTrainer(rbm, { method: 'pcd', k: 1, learningRate: 0.1, batchSize: 2, rng: 2 });
 * trainer.fit(data, { epochs: 5 }).epochs; // 5
 * ```
 * @category Training
 */
export class RBMTrainer implements Trainer<RBMLike> {
  /** The model being trained (its parameters change in place). */
  readonly model: RBMLike;
  /** `'cd'` or `'pcd'`. */
  readonly method: RBMTrainingMethod;
  /** Gibbs steps per update. */
  readonly k: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Persistent chain count (equals the batch size for CD). */
  readonly nChains: number;
  /** Momentum μ. */
  readonly momentum: number;
  /** L2 weight decay λ. */
  readonly weightDecay: number;
  /** Learning rate or schedule. */
  readonly learningRate: LearningRate;
  /** Sparsity target (undefined: off). */
  readonly sparsityTarget: number | undefined;
  /** Sparsity cost. */
  readonly sparsityCost: number;
  /** Sparsity decay. */
  readonly sparsityDecay: number;
  /** Epochs completed. */
  epoch = 0;
  /** Updates completed. */
  steps = 0;
  private rng: Random;
  private readonly persistent: boolean;
  private readonly params: Float64Array[];
  private readonly velocity: Float64Array[];
  private readonly grad: Float64Array[];
  /** θ + Δ of the step being checked, copied into the parameters once all of it is finite. */
  private readonly nextParams: Float64Array[];
  private readonly q: Float64Array;
  private qInitialised = false;
  private chains: Float64Array | undefined;
  private chainsInitialised = false;
  /** PCD: the chains' hidden samples `[nChains, nHidden]`, carried from one update to the next. */
  private hiddenChains: Float64Array | undefined;
  /** The hidden samples the next commit takes (drawn from `P_k` after the statistics). */
  private nextHiddenChains: Float64Array | undefined;
  /**
   * False until the hidden samples exist: before the first update, and after loading a document
   * written before they were kept (its chains then continue from their visible states, `h ~ P(h|v)`).
   */
  private hiddenChainsReady = false;
  private readonly nextChains: Float64Array;
  // per-step scratch
  private readonly v0: Float64Array;
  private readonly p0: Float64Array;
  private readonly vk: Float64Array;
  private readonly hk: Float64Array;
  private readonly mean: Float64Array;
  private readonly colMean: Float64Array;

  /**
   * @param model - the RBM to train (binary or Gaussian–Bernoulli)
   * @param options - see {@link RBMTrainerOptions}
   * @throws {TypeError | RangeError} on bad options (an unknown key names the closest valid one)
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * new RBMTrainer(new RBM(4, 3), { method: 'pcd', nChains: 20 }).nChains; // 20
   * ```
   */
  constructor(model: RBMLike, options?: RBMTrainerOptions) {
    const where = 'RBMTrainer';
    if (model === null || typeof model !== 'object' || typeof model.parameterArrays !== 'function') {
      throw new TypeError(`${where}: model must be an RBM (got ${describeValue(model)})`);
    }
    const c = checkRBMTrainerOptions(where, model, options);
    const o = options as RBMTrainerOptions;
    this.method = c.method;
    this.persistent = this.method === 'pcd';
    this.k = c.k;
    this.batchSize = c.batchSize;
    this.nChains = c.nChains;
    this.learningRate = c.learningRate;
    this.momentum = c.momentum;
    this.weightDecay = c.weightDecay;
    this.sparsityTarget = c.sparsityTarget;
    this.sparsityCost = c.sparsityCost;
    this.sparsityDecay = c.sparsityDecay;
    // Last, after every check: splitting advances the model's stream.
    this.rng = o?.rng === undefined ? model.random.split() : toRandom(o.rng, where);
    this.model = model;
    const nV = model.nVisible, nH = model.nHidden;
    this.params = model.parameterArrays();
    this.velocity = this.params.map((p) => new Float64Array(p.length));
    this.grad = this.params.map((p) => new Float64Array(p.length));
    this.nextParams = this.params.map((p) => new Float64Array(p.length));
    this.q = new Float64Array(nH);
    const rowsNeg = this.persistent ? this.nChains : this.batchSize;
    if (this.persistent) {
      this.chains = new Float64Array(this.nChains * nV);
      this.hiddenChains = new Float64Array(this.nChains * nH);
      this.nextHiddenChains = new Float64Array(this.nChains * nH);
    }
    this.nextChains = new Float64Array(this.persistent ? this.nChains * nV : 0);
    this.v0 = new Float64Array(this.batchSize * nV);
    this.p0 = new Float64Array(this.batchSize * nH);
    this.vk = new Float64Array(rowsNeg * nV);
    this.hk = new Float64Array(rowsNeg * nH);
    this.mean = new Float64Array(rowsNeg * nV);
    this.colMean = new Float64Array(nV);
  }

  /**
   * The learning rate in effect for the next step.
   *
   * @example
   * ```ts
   * import { RBMTrainer, RBM } from 'boltzmann';
   * const cd = new RBMTrainer(new RBM(4, 3), { learningRate: (epoch) => 0.1 / (1 + epoch) });
   * cd.currentLearningRate(); // 0.1 (epoch 0)
   * ```
   */
  currentLearningRate(): number {
    const lr = this.learningRate;
    if (typeof lr === 'number') return lr;
    const v = lr(this.epoch, this.steps);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`RBMTrainer: learningRate schedule must return a non-negative finite number (got ${describeValue(v)} at epoch ${this.epoch})`);
    }
    return v;
  }

  /**
   * The persistent chains' visible states `[nChains, nVisible]` (a copy: the last update's
   * negative samples `V_k`; the chains carry on from their hidden samples), or undefined for CD.
   *
   * @example
   * ```ts
   * import { RBMTrainer, RBM, fromArrays } from 'boltzmann';
   * const cd = new RBMTrainer(new RBM(2, 2), { method: 'pcd', nChains: 3, batchSize: 2 });
   * cd.step(fromArrays([[1, 0], [0, 1]]));
   * cd.persistentChains()?.rows; // 3: the fantasy particles, e.g. to draw them
   * ```
   */
  persistentChains(): Matrix | undefined {
    if (this.chains === undefined) return undefined;
    return { rows: this.nChains, cols: this.model.nVisible, data: new Float64Array(this.chains) };
  }

  /**
   * Computes the CD-k (or PCD) gradient estimate of the mean log-likelihood on
   * `batch` into the trainer's scratch (`rows` rows of `v0`), without updating
   * anything but the generator and (for PCD) `nextChains`. @internal
   */
  private computeGradient(rows: number): void {
    const m = this.model;
    // W does not change while the gradient is computed, and only the two products Vᵀ·P touch its
    // gradient (the binary RBM's statistics): a kernel with its own memory keeps one copy of each
    // for the whole step instead of copying them at every product (the same bits)
    if (m.accumulateStatistics === RBM.prototype.accumulateStatistics) {
      withResident([m.weights.data], [this.grad[0]], () => this.computeGradientIn(rows));
    } else this.computeGradientIn(rows);
  }

  private computeGradientIn(rows: number): void {
    const m = this.model, nV = m.nVisible, nH = m.nHidden, rng = this.rng;
    const v0 = this.v0, p0 = this.p0, vk = this.vk, hk = this.hk, mean = this.mean;
    // the positive statistics overwrite the weight gradient (no zeroing pass over it, and no copy of it into the kernel)
    for (let a = 1; a < this.grad.length; a++) this.grad[a].fill(0);
    m.hiddenProbsUnchecked(p0, v0, rows, m.visibleType === 'binary');
    m.accumulateStatistics(this.grad, 1 / rows, v0, p0, rows, m.visibleType === 'binary', true);
    let negRows: number;
    if (this.persistent) {
      negRows = this.nChains;
      if (this.hiddenChainsReady) hk.set(this.hiddenChains!);
      else {
        // Start each chain from a training row of this first batch (or, for a document written
        // before the hidden samples were kept, from its saved visible state): h ~ P(h | v).
        if (!this.chainsInitialised) for (let c = 0; c < negRows; c++) vk.set(v0.subarray((c % rows) * nV, (c % rows + 1) * nV), c * nV);
        else vk.set(this.chains!);
        m.hiddenProbsUnchecked(hk, vk, negRows, m.visibleType === 'binary');
        bernoulliDraws(hk, hk, negRows * nH, rng);
      }
      m.sampleVisibleUnchecked(vk, mean, hk, negRows, rng);
      for (let s = 1; s < this.k; s++) {
        m.hiddenProbsUnchecked(hk, vk, negRows, m.visibleType === 'binary');
        bernoulliDraws(hk, hk, negRows * nH, rng);
        m.sampleVisibleUnchecked(vk, mean, hk, negRows, rng);
      }
      this.nextChains.set(vk);
    } else {
      negRows = rows;
      bernoulliDraws(hk, p0, rows * nH, rng);
      m.sampleVisibleUnchecked(vk, mean, hk, rows, rng);
      for (let s = 1; s < this.k; s++) {
        m.hiddenProbsUnchecked(hk, vk, rows, m.visibleType === 'binary');
        bernoulliDraws(hk, hk, rows * nH, rng);
        m.sampleVisibleUnchecked(vk, mean, hk, rows, rng);
      }
    }
    m.hiddenProbsUnchecked(hk, vk, negRows, m.visibleType === 'binary');
    m.accumulateStatistics(this.grad, -1 / negRows, vk, hk, negRows, m.visibleType === 'binary');
    // the chains' hidden samples for the next update: h ~ P_k
    if (this.persistent) bernoulliDraws(this.nextHiddenChains!, hk, negRows * nH, rng);
  }

  /**
   * The CD-k / PCD estimate of the log-likelihood gradient on `batch`, in the
   * model's parameter order (weights, visible bias, hidden bias, …), without
   * changing the parameters. Advances the generator (and, for PCD, the chains).
   *
   * @param batch - `[rows, nVisible]` with `rows ≤ batchSize` (any {@link DataInput})
   * @returns fresh arrays holding the estimate
   * @throws {ShapeError | RangeError} on a bad batch
   * @example
   * ```ts
   * import { RBM, RBMTrainer, fromArrays } from 'boltzmann';
   * const rbm = new RBM(2, 2);
   * const g = new RBMTrainer(rbm, { batchSize: 1 }).gradient(fromArrays([[1, 0]]));
   * g[0].length; // 4
   * ```
   */
  gradient(batch: DataInput): RBMGradient {
    const rows = this.loadBatch('RBMTrainer.gradient', batch);
    this.computeGradient(rows);
    if (this.persistent) this.commitChains();
    return this.grad.map((g) => new Float64Array(g));
  }

  /** PCD: the chains' new visible states and hidden samples become the chains. */
  private commitChains(): void {
    this.chains!.set(this.nextChains);
    this.hiddenChains!.set(this.nextHiddenChains!);
    this.chainsInitialised = true;
    this.hiddenChainsReady = true;
  }

  private loadBatch(where: string, input: DataInput): number {
    const batch = checkBatch(where, 'batch', input, this.model.nVisible, visibleUnits(this.model));
    if (batch.rows < 1 || batch.rows > this.batchSize) {
      throw new ShapeError(`${where}: batch must have 1..${this.batchSize} rows (got ${batch.rows})`);
    }
    this.v0.set(batch.data);
    return batch.rows;
  }

  /**
   * One update on a mini-batch (the step-wise API).
   *
   * @param batch - `[rows, nVisible]`, `1 ≤ rows ≤ batchSize` (any {@link DataInput}; not modified)
   * @throws {ShapeError | RangeError} on a bad batch (nothing changes)
   * @throws {NumericalError} when the update is not finite (parameters, momentum, chains and generator unchanged)
   * @example
   * ```ts
   * import { RBM, RBMTrainer, fromArrays } from 'boltzmann';
   * const rbm = new RBM(2, 2);
   * new RBMTrainer(rbm, { batchSize: 2 }).step(fromArrays([[1, 0], [0, 1]]));
   * ```
   */
  step(batch: DataInput): void {
    const lr = this.currentLearningRate();
    const rows = this.loadBatch('RBMTrainer.step', batch);
    this.update(rows, lr);
  }

  private update(rows: number, lr: number): void {
    // The negative phase draws from the generator; a failing step rewinds it too, so the
    // trainer is left exactly as before (and a retry with a smaller rate draws the same numbers).
    const rngBefore = this.rng.getState();
    this.computeGradient(rows);
    const m = this.model, nV = m.nVisible, nH = m.nHidden;
    const grad = this.grad, params = this.params, vel = this.velocity, mu = this.momentum;
    // Sparsity: q ← decay·q + (1−decay)·mean(P₀); gradient cost·(target − q).
    let qNew: Float64Array | undefined;
    if (this.sparsityTarget !== undefined && this.sparsityCost > 0) {
      const p0 = this.p0, q = this.hk.subarray(0, nH), cm = this.colMean;
      q.fill(0);
      for (let r = 0; r < rows; r++) for (let j = 0; j < nH; j++) q[j] += p0[r * nH + j] / rows;
      const dec = this.qInitialised ? this.sparsityDecay : 0;
      for (let j = 0; j < nH; j++) q[j] = dec * this.q[j] + (1 - dec) * q[j];
      cm.fill(0);
      for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) cm[i] += this.v0[r * nV + i] / rows;
      const t = this.sparsityTarget, cost = this.sparsityCost, gW = grad[0], gc = grad[2];
      for (let j = 0; j < nH; j++) gc[j] += cost * (t - q[j]);
      for (let i = 0; i < nV; i++) {
        const o = i * nH, vi = cm[i];
        if (vi === 0) continue;
        for (let j = 0; j < nH; j++) gW[o + j] += cost * (t - q[j]) * vi;
      }
      qNew = q;
    }
    // New velocity Δ into grad (in place) and θ + Δ into a scratch copy, checked for
    // finiteness before anything is committed: `bad += 0·(θ + Δ)` stays 0 while every
    // sum is finite and becomes NaN at the first ±∞/NaN (no branch in the loop; the rare
    // failure is located afterwards).
    const wd = this.weightDecay, next = this.nextParams;
    for (let a = 0; a < params.length; a++) {
      const q = next[a];
      const bad = momentumStep(grad[a], params[a], vel[a], q, mu, lr, a === 0 ? wd : 0);
      if (bad !== 0) {
        let i = 0;
        while (Number.isFinite(q[i])) i++;
        this.rng.setState(rngBefore);
        throw new NumericalError(`RBMTrainer.step: update of parameter array ${a} is not finite at index ${i} (learning rate ${lr}); model unchanged`);
      }
    }
    // Commit: θ ← θ + Δ (a copy of the checked sums), and Δ becomes the velocity (the arrays
    // swap roles: the old velocity's array is the next step's gradient scratch, zeroed before use).
    for (let a = 0; a < params.length; a++) {
      params[a].set(next[a]);
      const g = grad[a];
      grad[a] = vel[a];
      vel[a] = g;
    }
    if (this.persistent) this.commitChains();
    if (qNew !== undefined) {
      this.q.set(qNew);
      this.qInitialised = true;
    }
    this.steps++;
  }

  /**
   * One epoch: shuffles the rows with the trainer's generator and runs one step per
   * mini-batch (the last batch may be smaller).
   *
   * @param data - `[n, nVisible]` training rows (any {@link DataInput}; not modified)
   * @param signal - optional abort signal, checked before each step
   * @returns `true` when the epoch completed, `false` when aborted
   * @throws {ShapeError | RangeError} on bad data
   * @throws {TypeError} when `signal` is not an AbortSignal (nothing changes)
   * @throws {NumericalError} as {@link RBMTrainer.step}
   * @example
   * ```ts
   * import { RBM, RBMTrainer, fromArrays } from 'boltzmann';
   * const data = fromArrays([[1, 0], [0, 1], [1, 1]]);
   * new RBMTrainer(new RBM(2, 2), { batchSize: 2 }).runEpoch(data); // true
   * ```
   */
  runEpoch(data: DataInput, signal?: AbortSignal): boolean {
    const m = checkBatch('RBMTrainer.runEpoch', 'data', data, this.model.nVisible, visibleUnits(this.model));
    return this.epochUnchecked(m, checkAbortSignal('RBMTrainer.runEpoch', signal));
  }

  private epochUnchecked(data: Matrix, signal?: AbortSignal): boolean {
    const it = this.epochSteps(data, signal);
    let r = it.next();
    while (r.done !== true) r = it.next();
    return r.value;
  }

  /** One epoch, yielding after every mini-batch update (see {@link RBMTrainer.fitSteps}). */
  private *epochSteps(data: Matrix, signal?: AbortSignal): Generator<void, boolean, void> {
    const nV = this.model.nVisible, n = data.rows, bs = this.batchSize;
    // a failing first update leaves the epoch no trace: the shuffle's draws are rewound too
    const beforeShuffle = this.rng.getState();
    const perm = this.rng.permutation(n);
    for (let start = 0; start < n; start += bs) {
      if (signal?.aborted) return false;
      const rows = Math.min(bs, n - start);
      for (let r = 0; r < rows; r++) {
        const src = perm[start + r] * nV;
        this.v0.set(data.data.subarray(src, src + nV), r * nV);
      }
      try {
        this.update(rows, this.currentLearningRate());
      } catch (e) {
        if (start === 0) this.rng.setState(beforeShuffle);
        throw e;
      }
      yield;
    }
    this.epoch++;
    return true;
  }

  /**
   * Trains for several epochs, with optional per-epoch metrics and early stop.
   * Continues this trainer's state (generator, momentum, chains, epoch count).
   *
   * @param data - `[n, nVisible]` training rows (any {@link DataInput}; not modified)
   * @param options - see {@link RBMTrainerFitOptions}
   * @returns the metrics history, epochs completed and whether training was aborted
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any update)
   * @throws {NumericalError} as {@link RBMTrainer.step}
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * const data = [[1, 0, 1], [0, 1, 0]];
   * const trainer = new RBMTrainer(new RBM(3, 2), { batchSize: 2, method: 'pcd' });
   * trainer.fit(data, { epochs: 2, onEpoch: (m) => console.log(m.epoch, m.pseudoLikelihood) }).history.length; // 2
   * ```
   */
  fit(data: DataInput, options?: RBMTrainerFitOptions): FitResult {
    const where = 'RBMTrainer.fit';
    const m = checkBatch(where, 'data', data, this.model.nVisible, visibleUnits(this.model));
    const o = checkRBMFitOptions(where, this.model, checkOptionsKeys(where, options, RBM_TRAINER_FIT_KEYS));
    return this.fitCheckedData(m, o);
  }

  /**
   * {@link RBMTrainer.fit} as a generator that yields after every mini-batch
   * update and returns the {@link FitResult}: driving it to the end gives
   * exactly what `fit` gives (parameters, state and metrics). `fitAsync` uses it
   * to pause for the event loop between mini-batches. Arguments are checked
   * here, before the first update; run each `next()` inside the thread scope
   * you want (`fit` runs them all in `withThreads(options.threads, …)`).
   *
   * @param data - `[n, nVisible]` training rows (any {@link DataInput}; not modified)
   * @param options - see {@link RBMTrainerFitOptions}
   * @returns a generator of the updates; its return value is the fit's result
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any update)
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * const trainer = new RBMTrainer(new RBM(3, 2), { batchSize: 1 });
   * const it = trainer.fitSteps([[1, 0, 1], [0, 1, 0]], { epochs: 2 });
   * let r = it.next();
   * while (!r.done) r = it.next(); // 4 updates
   * r.value.epochs; // 2
   * ```
   */
  fitSteps(data: DataInput, options?: RBMTrainerFitOptions): Generator<void, FitResult, void> {
    const where = 'RBMTrainer.fitSteps';
    const m = checkBatch(where, 'data', data, this.model.nVisible, visibleUnits(this.model));
    const o = checkRBMFitOptions(where, this.model, checkOptionsKeys(where, options, RBM_TRAINER_FIT_KEYS));
    return this.fitStepsCheckedData(m, o);
  }

  /**
   * {@link RBMTrainer.fitSteps} on data and options already checked as it checks them (the
   * model's `fitSteps` checks them itself, so the rows are not scanned twice).
   * @internal
   */
  fitStepsCheckedData(data: Matrix, o: CheckedRBMFitOptions): Generator<void, FitResult, void> {
    if (typeof this.learningRate === 'function') this.currentLearningRate();
    return this.fitStepsChecked(data, o);
  }

  /**
   * {@link RBMTrainer.fit} on data and options already checked as it checks them (the
   * model's `fit` and `partialFit` check them themselves, so the rows are not scanned twice).
   * @internal
   */
  fitCheckedData(data: Matrix, o: CheckedRBMFitOptions): FitResult {
    if (typeof this.learningRate === 'function') this.currentLearningRate();
    return withThreads(o.threads, () => {
      const it = this.fitStepsChecked(data, o);
      let r = it.next();
      while (r.done !== true) r = it.next();
      return r.value;
    });
  }

  /** The epochs of {@link RBMTrainer.fit}, yielding after every update. */
  private *fitStepsChecked(data: Matrix, o: CheckedRBMFitOptions): Generator<void, FitResult, void> {
    // Metrics use their own generator so that turning them on does not change training.
    const metricRng = new Random(this.epoch * 7919 + 17);
    let monitor: Matrix | undefined;
    if (o.metrics) {
      const nV = this.model.nVisible;
      const take = Math.min(o.monitorSize, data.rows);
      const idx = metricRng.permutation(data.rows).subarray(0, take);
      const mdata = new Float64Array(take * nV);
      for (let r = 0; r < take; r++) mdata.set(data.data.subarray(idx[r] * nV, (idx[r] + 1) * nV), r * nV);
      monitor = { rows: take, cols: nV, data: mdata };
    }
    const history: EpochMetrics[] = [];
    const signal = o.signal;
    let done = 0;
    for (let e = 0; e < o.epochs; e++) {
      if (signal?.aborted) return { history, epochs: done, aborted: true };
      const t0 = performance.now();
      const ok = yield* this.epochSteps(data, signal);
      const seconds = (performance.now() - t0) / 1000;
      if (!ok) return { history, epochs: done, aborted: true };
      done++;
      if (monitor !== undefined) {
        const m = this.evaluate(monitor, o.validation, metricRng, seconds);
        const warning = spuriousModeWarning(history, m);
        if (warning !== undefined) m.warning = warning;
        history.push(m);
        if (o.onEpoch !== undefined && o.onEpoch(m) === false) break;
      }
    }
    return { history, epochs: done, aborted: false };
  }

  private evaluate(train: Matrix, validation: Matrix | undefined, rng: Random, seconds: number): EpochMetrics {
    const m = this.model, nV = m.nVisible, nH = m.nHidden;
    const rows = train.rows;
    const h = new Float64Array(rows * nH);
    const rec = new Float64Array(rows * nV);
    m.hiddenProbsUnchecked(h, train.data, rows);
    m.visibleMeanUnchecked(rec, h, rows);
    let err = 0;
    for (let i = 0; i < rec.length; i++) {
      const d = train.data[i] - rec[i];
      err += d * d;
    }
    const fe = new Float64Array(rows);
    m.freeEnergyUnchecked(fe, train.data, rows, h);
    let ft = 0;
    for (let i = 0; i < rows; i++) ft += fe[i] / rows;
    let fv = Number.NaN;
    if (validation !== undefined && validation.rows > 0) {
      const hv = new Float64Array(validation.rows * nH);
      const fev = new Float64Array(validation.rows);
      m.freeEnergyUnchecked(fev, validation.data, validation.rows, hv);
      fv = 0;
      for (let i = 0; i < validation.rows; i++) fv += fev[i] / validation.rows;
    }
    let pl = Number.NaN;
    let logZLowerBound = Number.NaN;
    let upper = Number.NaN;
    if (m.visibleType === 'binary') {
      const plData = validation !== undefined && validation.rows > 0 ? validation : train;
      const s = pseudoLikelihood(m, plData, { rng });
      pl = 0;
      for (let i = 0; i < s.length; i++) pl += s[i] / s.length;
      // The spurious-mode monitor: a certified log Z bound from the blank image, the
      // monitored rows and the persistent chains' states, so an upper bound on the
      // monitored rows' mean log-likelihood that falls when a mode the data never visits grows.
      const sets: Matrix[] = [train];
      if (validation !== undefined && validation.rows > 0) sets.push(validation);
      const chains = this.persistentChains();
      if (chains !== undefined) sets.push(chains);
      logZLowerBound = rbmLogZLowerBound(m, sets).logZLowerBound;
      upper = -(validation !== undefined && validation.rows > 0 ? fv : ft) - logZLowerBound;
    }
    return {
      epoch: this.epoch - 1,
      steps: this.steps,
      learningRate: this.currentLearningRate(),
      reconstructionError: err / rows,
      trainFreeEnergy: ft,
      pseudoLikelihood: pl,
      validationFreeEnergy: fv,
      freeEnergyGap: fv - ft,
      logZLowerBound,
      logLikelihoodUpperBound: upper,
      seconds,
    };
  }

  /**
   * The trainer's resumable state (generator, momentum, persistent chains,
   * sparsity average, counters) as JSON; pass it to the model's `toDocument`.
   *
   * @returns a JSON object
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * const rbm = new RBM(2, 2);
   * const trainer = new RBMTrainer(rbm, { method: 'pcd', batchSize: 2 });
   * const doc = rbm.toDocument(trainer.saveState());
   * ```
   */
  saveState(): JsonObject {
    const lr = this.learningRate;
    return {
      options: {
        method: this.method,
        k: this.k,
        batchSize: this.batchSize,
        nChains: this.nChains,
        learningRate: typeof lr === 'number' ? lr : null,
        momentum: this.momentum,
        weightDecay: this.weightDecay,
        sparsityTarget: this.sparsityTarget ?? null,
        sparsityCost: this.sparsityCost,
        sparsityDecay: this.sparsityDecay,
      },
      epoch: this.epoch,
      steps: this.steps,
      rng: this.rng.getState() as unknown as JsonValue,
      // compact base64 tensors (older documents' plain number arrays are read too)
      velocity: this.velocity.map((v) => floatsToJson(v) as unknown as JsonValue),
      chains: this.chains !== undefined && this.chainsInitialised ? (floatsToJson(this.chains) as unknown as JsonValue) : null,
      hiddenChains: this.hiddenChains !== undefined && this.hiddenChainsReady ? (floatsToJson(this.hiddenChains) as unknown as JsonValue) : null,
      sparsityAverage: this.qInitialised ? (floatsToJson(this.q) as unknown as JsonValue) : null,
    };
  }

  /**
   * The model's document with this trainer's state, so that
   * {@link RBMTrainer.fromDocument} resumes training bit-exactly.
   *
   * @returns the document
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * const trainer = new RBMTrainer(new RBM(2, 2));
   * trainer.toDocument().state; // { rng, training: { ... } }: the model's stream and the trainer's state
   * ```
   */
  toDocument(): ModelDocument {
    return this.model.toDocument(this.saveState());
  }

  /**
   * Restores a trainer (and its model) from a document written by
   * {@link RBMTrainer.toDocument}. The generator comes from the saved state.
   *
   * @param doc - the parsed document
   * @param load - the model loader, e.g. `RBM.fromDocument` or `GaussianRBM.fromDocument`
   * @param overrides - a learning-rate schedule (functions are not saved) or other options (not `rng`)
   * @returns the trainer, whose `model` is the loaded model
   * @throws {FormatError} when the document or its training state is malformed
   * @example
   * ```ts
   * import { RBM, RBMTrainer } from 'boltzmann';
   * const doc = new RBMTrainer(new RBM(2, 2), { method: 'pcd' }).toDocument();
   * RBMTrainer.fromDocument(doc, RBM.fromDocument).method; // 'pcd'
   * ```
   */
  static fromDocument(doc: unknown, load: (doc: unknown) => RBMLike, overrides?: Omit<RBMTrainerOptions, 'rng'>): RBMTrainer {
    const model = load(doc);
    const d = checkDocument(doc, model.kind);
    const bad = (what: string, expected?: string): never => {
      throw new FormatError(`load ${d.kind}: state.training.${what} is missing or malformed${expected === undefined ? '' : ` (expected ${expected})`}`);
    };
    const t = (d.state as JsonObject | undefined)?.training as JsonObject | undefined;
    if (t === undefined || t === null || typeof t !== 'object') bad('(object)');
    const tr = t as JsonObject;
    const opts = tr.options as JsonObject;
    if (opts === null || typeof opts !== 'object') bad('options');
    const num = (x: JsonValue | undefined): number | undefined => (typeof x === 'number' ? x : undefined);
    // an option is a number, or absent (null: saved as "none", e.g. a schedule or no sparsity target)
    const opt = (key: string): number | undefined => {
      const x = opts[key];
      if (x === undefined || x === null) return undefined;
      return typeof x === 'number' ? x : bad(`options.${key}`, 'a number');
    };
    if (opts.method !== 'cd' && opts.method !== 'pcd') bad('options.method');
    const method = opts.method as RBMTrainingMethod;
    const options: RBMTrainerOptions = {
      method,
      k: opt('k'),
      batchSize: opt('batchSize'),
      nChains: method === 'pcd' ? opt('nChains') : undefined,
      learningRate: opt('learningRate'),
      momentum: opt('momentum'),
      weightDecay: opt('weightDecay'),
      sparsityTarget: opt('sparsityTarget'),
      sparsityCost: opt('sparsityCost'),
      sparsityDecay: opt('sparsityDecay'),
      ...checkOptionsKeys('RBMTrainer.fromDocument', overrides, RBM_TRAINER_KEYS.filter((k) => k !== 'rng')),
    };
    let cd: RBMTrainer;
    try {
      cd = new RBMTrainer(model, { ...options, rng: Random.fromState(tr.rng as unknown as RandomState) });
    } catch (e) {
      throw new FormatError(`load ${d.kind}: state.training is invalid (${errorMessage(e)})`);
    }
    const epoch = num(tr.epoch), steps = num(tr.steps);
    if (epoch === undefined || steps === undefined || !Number.isSafeInteger(epoch) || !Number.isSafeInteger(steps) || epoch < 0 || steps < 0) bad('epoch/steps', 'non-negative integers');
    cd.epoch = epoch as number;
    cd.steps = steps as number;
    const vel = tr.velocity;
    if (!Array.isArray(vel) || vel.length !== cd.velocity.length) bad('velocity');
    readArrays(vel as JsonValue[], cd.velocity, bad, 'velocity');
    if (tr.chains !== null && tr.chains !== undefined) {
      if (cd.chains === undefined) bad('chains');
      readArrays([tr.chains], [cd.chains!], bad, 'chains');
      // the chains hold samples: 0/1 states of binary units (a GaussianRBM's visible ones are real)
      if (model.visibleType === 'binary' && !allBinary(cd.chains!)) bad('chains', 'binary visible states, each 0 or 1');
      cd.chainsInitialised = true;
      // documents from before the hidden samples were kept have none: the chains continue from
      // their visible states
      if (tr.hiddenChains !== null && tr.hiddenChains !== undefined) {
        readArrays([tr.hiddenChains], [cd.hiddenChains!], bad, 'hiddenChains');
        if (!allBinary(cd.hiddenChains!)) bad('hiddenChains', 'hidden states, each 0 or 1');
        cd.hiddenChainsReady = true;
      }
    } else if (tr.hiddenChains !== null && tr.hiddenChains !== undefined) bad('hiddenChains');
    if (tr.sparsityAverage !== null && tr.sparsityAverage !== undefined) {
      readArrays([tr.sparsityAverage], [cd.q], bad, 'sparsityAverage');
      cd.qInitialised = true;
    }
    return cd;
  }
}

/** Whether every entry is exactly 0 or 1 (sampled states of binary units). */
function allBinary(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}

/** Reads state arrays (compact tensors or plain number arrays, see floatsFromJson) into `dst`. */
function readArrays(src: JsonValue[], dst: Float64Array[], bad: (w: string) => never, what: string): void {
  for (let a = 0; a < dst.length; a++) {
    let x: Float64Array | undefined;
    try {
      x = floatsFromJson('load', what, src[a], dst[a].length);
    } catch {
      x = undefined;
    }
    if (x === undefined) bad(what);
    else dst[a].set(x);
  }
}

/**
 * The warning of the spurious-mode monitor: the certified upper bound on the
 * monitored log-likelihood lies more than 2 nats below its best epoch so far while
 * the pseudo-likelihood is above that epoch's — the signature of CD's bias growing
 * a mode (such as the blank image) that the data never visit, which reconstruction
 * error and pseudo-likelihood, looking only near the data, cannot see.
 */
function spuriousModeWarning(history: readonly EpochMetrics[], cur: EpochMetrics): string | undefined {
  let best: EpochMetrics | undefined;
  for (const h of history) {
    const u = h.logLikelihoodUpperBound;
    if (u !== undefined && Number.isFinite(u) && (best === undefined || u > (best.logLikelihoodUpperBound as number))) best = h;
  }
  const b = cur.logLikelihoodUpperBound, q = cur.pseudoLikelihood;
  if (best === undefined || b === undefined || q === undefined || best.pseudoLikelihood === undefined) return undefined;
  const a = best.logLikelihoodUpperBound as number;
  if (!(b < a - 2 && q > best.pseudoLikelihood)) return undefined;
  return `the log-likelihood upper bound is ${(a - b).toFixed(1)} nats below its best (epoch ${best.epoch}: ${a.toFixed(1)}, now ${b.toFixed(1)}) while the pseudo-likelihood rose: a mode the data never visit is growing; train with method 'pcd' (the default) or a smaller learning rate`;
}

/**
 * The momentum step over one parameter array: `d = μ·v + lr·(g − decay·p)` into `g`,
 * `p + d` into `q`; returns 0 when every `p + d` is finite, else NaN (`Σ 0·(p + d)`).
 * Four independent running checks, so the loop is not held to one floating-point
 * addition's latency per element (about 2× faster on the 392 000 weights of a
 * 784×500 RBM); the stored values are those of the plain loop.
 */
function momentumStep(g: Float64Array, p: Float64Array, v: Float64Array, q: Float64Array, mu: number, lr: number, decay: number): number {
  const n = g.length;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, i = 0;
  for (; i + 3 < n; i += 4) {
    const p0 = p[i], p1 = p[i + 1], p2 = p[i + 2], p3 = p[i + 3];
    const d0 = mu * v[i] + lr * (g[i] - decay * p0);
    const d1 = mu * v[i + 1] + lr * (g[i + 1] - decay * p1);
    const d2 = mu * v[i + 2] + lr * (g[i + 2] - decay * p2);
    const d3 = mu * v[i + 3] + lr * (g[i + 3] - decay * p3);
    g[i] = d0;
    g[i + 1] = d1;
    g[i + 2] = d2;
    g[i + 3] = d3;
    const x0 = p0 + d0, x1 = p1 + d1, x2 = p2 + d2, x3 = p3 + d3;
    q[i] = x0;
    q[i + 1] = x1;
    q[i + 2] = x2;
    q[i + 3] = x3;
    b0 += 0 * x0;
    b1 += 0 * x1;
    b2 += 0 * x2;
    b3 += 0 * x3;
  }
  for (; i < n; i++) {
    const pi = p[i];
    const d = mu * v[i] + lr * (g[i] - decay * pi);
    g[i] = d;
    const x = pi + d;
    q[i] = x;
    b0 += 0 * x;
  }
  return b0 + b1 + b2 + b3;
}
