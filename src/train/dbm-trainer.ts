/**
 * {@link DBMTrainer}: joint training of deep Boltzmann machines (Salakhutdinov &
 * Hinton 2009) by stochastic approximation of the likelihood gradient,
 * `ΔW_l ∝ ⟨x_{l−1} x_lᵀ⟩_data − ⟨x_{l−1} x_lᵀ⟩_model`, with the data term from
 * mean-field posteriors and the model term from persistent block-Gibbs chains
 * ("fantasy particles"), momentum, weight decay and a decaying learning rate.
 * Greedy pretraining is {@link pretrainDBM}; `DBM.fit` runs both.
 * @module
 */
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { checkDocument, floatsFromJson, floatsToJson, type JsonObject, type JsonValue, type ModelDocument } from '../document.js';
import { gemmSparseA, getKernel, withResident, withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import type { BaseFitOptions, EpochMetrics, FitResult, Trainer } from '../models/contract.js';
import { DBM, type MeanFieldOptions, readMeanField } from '../models/dbm.js';
import { dbmLogZFloorFrom, dbmVariationalBound } from '../models/dbm-ais.js';
import { checkBatch } from '../models/rbm.js';
import { sigmoidRows } from '../models/rbm-products.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import {
  checkBinary,
  checkElements,
  checkInRange,
  checkNonNegative,
  checkOptionsKeys,
  checkPositive,
  checkPositiveInt,
  checkSize,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { checkAbortSignal, checkCallback, errorMessage } from './checks.js';
import type { LearningRate } from './rbm-trainer.js';

/** Options of {@link DBMTrainer}.
 * @category Training
 */
export interface DBMTrainerOptions {
  /** Base learning rate η₀, or a schedule of (epoch, step). Default `0.005`. */
  learningRate?: LearningRate;
  /**
   * Decay time τ (in updates): the learning rate is `η₀ / (1 + t/τ)` at update `t`
   * (Robbins–Monro, as the stochastic approximation requires). Default: no decay.
   */
  decay?: number;
  /** Momentum in [0, 1). Default `0.5`. */
  momentum?: number;
  /** L2 weight decay on the weights. Default `0.0002`. */
  weightDecay?: number;
  /** Mini-batch size. Default `100`. */
  batchSize?: number;
  /** Number of persistent fantasy particles. Default `100`. */
  nChains?: number;
  /** Block-Gibbs sweeps of the fantasy particles per update. Default `5`. */
  gibbsSteps?: number;
  /** Mean-field settings for the data-dependent statistics. Default `{ maxIterations: 10, tolerance: 1e-5 }`. */
  meanField?: MeanFieldOptions;
  /**
   * Tempered transitions (Neal 1996) for the fantasy particles, as Salakhutdinov (2009) used to learn
   * DBMs: every `every` updates, after the Gibbs sweeps, each particle goes up a ladder of `levels`
   * inverse temperatures spaced evenly from 1 to `minBeta` and back down (2·levels Gibbs sweeps of
   * p_β ∝ e^{−βE}), and the end state replaces it with the Metropolis probability that keeps the
   * model's distribution invariant. It lets particles cross between modes that the hotter
   * distributions join and plain sweeps at β = 1 rarely leave, so the gradient sees every mode's
   * mass. Keep the acceptance (the epoch metrics' `temperedAcceptance`) well above zero. Default: none.
   */
  temperedTransitions?: TemperedTransitionOptions;
  /** Seed or generator for shuffling and sampling. Default: a generator split from the model's stream (`model.random.split()`). */
  rng?: number | Random;
}

/** Settings of {@link DBMTrainerOptions.temperedTransitions}.
 * @category Training
 */
export interface TemperedTransitionOptions {
  /** Inverse temperatures below 1 on the ladder (K ≥ 1; the move costs 2K Gibbs sweeps). */
  levels: number;
  /** The hottest inverse temperature β_K, in (0, 1). */
  minBeta: number;
  /** Updates between moves (every update when 1). Default `1`. */
  every?: number;
}

/** Every key of {@link DBMTrainerOptions}. */
const DBM_TRAINER_KEYS = optionKeys<DBMTrainerOptions>()({
  learningRate: true,
  decay: true,
  momentum: true,
  weightDecay: true,
  batchSize: true,
  nChains: true,
  gibbsSteps: true,
  meanField: true,
  temperedTransitions: true,
  rng: true,
});

const TEMPERED_KEYS = optionKeys<TemperedTransitionOptions>()({ levels: true, minBeta: true, every: true });

/** Options of {@link DBMTrainer.fit}.
 * @category Training
 */
export interface DBMTrainerFitOptions extends BaseFitOptions {
  /** Worker threads for the linear algebra (see `withThreads`). */
  threads?: number;
  /**
   * Rows for the spurious-mode monitor (e.g. held-out data; binary, `[m, nVisible]`). When
   * given, every epoch's metrics carry `logZLowerBound` — `log Σ_v e^{B(v)}` over the distinct
   * states among the blank image, these rows and the fantasy particles, with `B(v)` the
   * mean-field bound on `log Σ_h e^{−E(v, h)}` (the trainer's mean-field settings) — and
   * `boundCeiling = mean B(rows) − logZLowerBound`, an upper bound on the rows' variational
   * bound that needs no sampling; `warning` is set when the blank image outweighs every row and
   * no fantasy particle is blank (a mode the particles never visit, which the gradient cannot
   * remove and AIS from the data's base rates misses). Costs one mean-field pass over the rows
   * and the particles per epoch.
   */
  validation?: DataInput;
}

const TRAINER_FIT_KEYS = optionKeys<DBMTrainerFitOptions>()({ epochs: true, onEpoch: true, signal: true, threads: true, validation: true });

/**
 * @internal The monitor rows of `validation` checked (binary, `nVisible` columns, at least one
 * row), or undefined when none are given; `DBM.fit` checks them with this before pretraining.
 */
export function checkValidationRows(where: string, v: DataInput | undefined, nVisible: number): Matrix | undefined {
  if (v === undefined) return undefined;
  const m = checkBatch(where, 'validation', toMatrix(where, 'validation', v, nVisible), nVisible, 'unit');
  checkBinary(where, 'validation', m.data);
  return m;
}

/**
 * @internal The DBM spurious-mode monitor of one epoch (see {@link DBMTrainerFitOptions.validation}).
 */
export function dbmModeMonitor(dbm: DBM, rows: Matrix, particles: Matrix, meanField: MeanFieldOptions): Pick<EpochMetrics, 'logZLowerBound' | 'boundCeiling' | 'warning'> {
  const nV = dbm.nVisible, m = rows.rows, k = particles.rows;
  const all: Matrix = { rows: m + k, cols: nV, data: new Float64Array((m + k) * nV) };
  all.data.set(rows.data.subarray(0, m * nV));
  for (let i = 0, e = k * nV; i < e; i++) all.data[m * nV + i] = particles.data[i] > 0.5 ? 1 : 0;
  const b = dbmVariationalBound(dbm, all, 0, meanField).perRow;
  const { logZLowerBound: floor, blank } = dbmLogZFloorFrom(dbm, all, b, meanField);
  let mean = 0, best = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < m; r++) {
    mean += b[r] / m;
    if (b[r] > best) best = b[r];
  }
  let fewest = nV;
  for (let r = 0; r < k; r++) {
    let on = 0;
    for (let j = 0; j < nV; j++) on += all.data[(m + r) * nV + j];
    if (on < fewest) fewest = on;
  }
  const out: Pick<EpochMetrics, 'logZLowerBound' | 'boundCeiling' | 'warning'> = { logZLowerBound: floor, boundCeiling: mean - floor };
  if (blank > best && fewest > 0) {
    out.warning =
      `the blank image outweighs every validation row (B(blank) = ${blank.toFixed(2)} > ${best.toFixed(2)}) and no fantasy particle is blank (the nearest has ${fewest} units on): ` +
      'a spurious mode the particles never visit; the gradient cannot remove it, and AIS from the data\'s base rates will miss it (DBM.score warns)';
  }
  return out;
}

/**
 * Trains a {@link DBM} by stochastic approximation (persistent chains) with
 * mean-field data statistics.
 *
 * @example
 * ```ts
 * import { DBM, DBMTrainer, fromArrays } from 'boltzmann';
 * const data = fromArrays([[1, 1, 0, 0], [0, 0, 1, 1]]);
 * const dbm = new DBM([4, 3, 2], { rng: 1 });
 * new DBMTrainer(dbm, { batchSize: 2, nChains: 4, rng: 2 }).fit(data, { epochs: 3 }).epochs; // 3
 * ```
 * @category Training
 */
export class DBMTrainer implements Trainer<DBM> {
  /** The model (changed in place). */
  readonly model: DBM;
  /** Base learning rate or schedule. */
  readonly learningRate: LearningRate;
  /** Decay time τ in updates (Infinity: none). */
  readonly decay: number;
  /** Momentum. */
  readonly momentum: number;
  /** Weight decay. */
  readonly weightDecay: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Fantasy particles. */
  readonly nChains: number;
  /** Gibbs sweeps per update. */
  readonly gibbsSteps: number;
  /** Most mean-field sweeps. */
  readonly maxIterations: number;
  /** Mean-field tolerance. */
  readonly tolerance: number;
  /** Epochs completed. */
  epoch = 0;
  /** Updates completed. */
  steps = 0;
  private rng: Random;
  private readonly params: Float64Array[];
  private readonly velocity: Float64Array[];
  private readonly grad: Float64Array[];
  private readonly chains: Float64Array[];
  private readonly next: Float64Array[];
  private chainsInitialised = false;
  private readonly mu: Float64Array[];
  private readonly probs: Float64Array[];
  private readonly tmp: Float64Array;
  private readonly tmpChains: Float64Array;
  private lastIterations = 0;
  private lastReconstruction = 0;
  /** Tempered transitions: the settings, the ladder β₀ = 1 > … > β_K and the scratch, when on. */
  private readonly tempered: Required<TemperedTransitionOptions> | undefined;
  private readonly betas: Float64Array;
  private readonly ttSave: Float64Array[];
  private readonly ttEnergy: Float64Array;
  private readonly ttLogA: Float64Array;
  private lastAccepted = 0;
  private lastAttempts = 0;

  /**
   * @param model - the DBM to train
   * @param options - see {@link DBMTrainerOptions}
   * @throws {TypeError | RangeError} on bad options
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * new DBMTrainer(new DBM([4, 3, 2]), { decay: 1000 }).decay; // 1000
   * ```
   */
  constructor(model: DBM, options?: DBMTrainerOptions) {
    const where = 'DBMTrainer';
    if (!(model instanceof DBM)) throw new TypeError(`${where}: model must be a DBM (got ${describeValue(model)})`);
    const c = checkDBMTrainerOptions(where, model, options);
    const o = options as DBMTrainerOptions;
    this.learningRate = c.learningRate;
    this.decay = c.decay;
    this.momentum = c.momentum;
    this.weightDecay = c.weightDecay;
    this.batchSize = c.batchSize;
    this.nChains = c.nChains;
    this.gibbsSteps = c.gibbsSteps;
    this.maxIterations = c.maxIterations;
    this.tolerance = c.tolerance;
    const tempered = c.tempered;
    // after every check: splitting advances the model's stream (nothing is drawn when an option is refused)
    this.rng = o?.rng === undefined ? model.random.split() : toRandom(o.rng, where);
    this.model = model;
    this.params = model.parameterArrays();
    this.velocity = this.params.map((p) => new Float64Array(p.length));
    this.grad = this.params.map((p) => new Float64Array(p.length));
    this.chains = model.sizes.map((n) => new Float64Array(this.nChains * n));
    this.next = model.sizes.map((n) => new Float64Array(this.nChains * n));
    this.mu = model.sizes.map((n) => new Float64Array(this.batchSize * n));
    this.probs = model.sizes.map((n) => new Float64Array(this.nChains * n));
    const maxN = Math.max(...model.sizes);
    this.tmp = new Float64Array(this.batchSize * maxN);
    this.tmpChains = new Float64Array(this.nChains * maxN);
    this.tempered = tempered;
    const tt = this.tempered;
    this.betas = new Float64Array(tt === undefined ? 0 : tt.levels + 1);
    if (tt !== undefined) for (let i = 0; i <= tt.levels; i++) this.betas[i] = 1 - (i * (1 - tt.minBeta)) / tt.levels;
    this.ttSave = tt === undefined ? [] : model.sizes.map((n) => new Float64Array(this.nChains * n));
    this.ttEnergy = new Float64Array(tt === undefined ? 0 : this.nChains);
    this.ttLogA = new Float64Array(tt === undefined ? 0 : this.nChains);
  }

  /** The tempered-transition settings (with `every` filled in), or undefined when off. */
  get temperedTransitions(): Required<TemperedTransitionOptions> | undefined {
    return this.tempered === undefined ? undefined : { ...this.tempered };
  }

  /**
   * The learning rate of the next update (schedule and decay applied).
   *
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * const trainer = new DBMTrainer(new DBM([4, 3, 2]), { learningRate: 0.01 });
   * trainer.currentLearningRate(); // 0.01 before any update (decay shrinks it as steps grow)
   * ```
   */
  currentLearningRate(): number {
    const lr = this.learningRate;
    let v: number;
    if (typeof lr === 'number') v = lr;
    else {
      v = lr(this.epoch, this.steps);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new RangeError(`DBMTrainer: learningRate schedule must return a non-negative finite number (got ${describeValue(v)} at epoch ${this.epoch})`);
      }
    }
    return Number.isFinite(this.decay) ? v / (1 + this.steps / this.decay) : v;
  }

  /**
   * The fantasy particles' states, one `[nChains, sizes[l]]` matrix per layer (copies).
   *
   * @returns the chains (all zero before the first update)
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * new DBMTrainer(new DBM([4, 3, 2]), { nChains: 7 }).fantasyParticles()[0].rows; // 7
   * ```
   */
  fantasyParticles(): Matrix[] {
    return this.chains.map((c, l) => ({ rows: this.nChains, cols: this.model.sizes[l], data: new Float64Array(c) }));
  }

  /** Positive and negative statistics of the batch held in `mu[0]` (rows) into `grad`. */
  private computeGradient(rows: number): void {
    const m = this.model, sizes = m.sizes, L = sizes.length - 1, k = getKernel();
    const mu = this.mu, grad = this.grad, rng = this.rng, nC = this.nChains;
    // the weight gradients are overwritten by their first product (β = 0); the bias gradients are sums
    for (let a = L; a < grad.length; a++) grad[a].fill(0);
    this.lastIterations = m.meanFieldUnchecked(mu, mu[0], rows, this.maxIterations, this.tolerance, this.tmp);
    // reconstruction P(v | μ₁) for monitoring
    m.layerInputUnchecked(this.tmp, 0, null, mu[1], rows);
    let rec = 0;
    sigmoidRows(this.tmp, rows * sizes[0]);
    for (let i = 0, e = rows * sizes[0]; i < e; i++) {
      const d = mu[0][i] - this.tmp[i];
      rec += d * d;
    }
    this.lastReconstruction = rec / rows;
    const x = this.next;
    if (!this.chainsInitialised) {
      // Fantasy particles start at training rows of the first batch, hidden layers at their mean-field values.
      for (let l = 0; l <= L; l++) {
        const n = sizes[l];
        for (let c = 0; c < nC; c++) {
          const r = c % rows;
          for (let j = 0; j < n; j++) x[l][c * n + j] = rng.float64() < mu[l][r * n + j] ? 1 : 0;
        }
      }
    } else for (let l = 0; l <= L; l++) x[l].set(this.chains[l]);
    m.gibbsUnchecked(x, nC, this.gibbsSteps, rng, this.tmpChains);
    const tt = this.tempered;
    if (tt !== undefined && this.steps % tt.every === 0) {
      this.lastAccepted = m.temperedTransitionUnchecked(x, nC, this.betas, rng, this.tmpChains, this.ttSave, this.ttEnergy, this.ttLogA);
      this.lastAttempts = nC;
    } else this.lastAccepted = this.lastAttempts = 0;
    // Rao–Blackwellised model statistics: even layers sampled, odd layers by their conditional means.
    const p = this.probs;
    for (let l = 0; l <= L; l++) {
      if (l % 2 === 0) p[l].set(x[l]);
      else {
        // the neighbours are sampled 0/1 states: gathered products where faster
        m.layerInputUnchecked(p[l], l, x[l - 1], l < L ? x[l + 1] : null, nC, 1, 1, true);
        sigmoidRows(p[l], nC * sizes[l]);
      }
    }
    for (let l = 0; l < L; l++) {
      const a = sizes[l], b = sizes[l + 1];
      // at even l the model statistics are sampled 0/1 states and, at l = 0, the data statistics are the
      // data: gathered products where faster (gemmSparseA measures the density; exact for any values)
      if (l % 2 === 0) {
        gemmSparseA(true, false, a, b, rows, 1 / rows, mu[l], a, mu[l + 1], b, 0, grad[l], b);
        gemmSparseA(true, false, a, b, nC, -1 / nC, p[l], a, p[l + 1], b, 1, grad[l], b);
      } else {
        k.gemm(true, false, a, b, rows, 1 / rows, mu[l], a, mu[l + 1], b, 0, grad[l], b);
        k.gemm(true, false, a, b, nC, -1 / nC, p[l], a, p[l + 1], b, 1, grad[l], b);
      }
    }
    for (let l = 0; l <= L; l++) {
      const g = grad[L + l], n = sizes[l];
      for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) g[j] += mu[l][r * n + j] / rows;
      for (let c = 0; c < nC; c++) for (let j = 0; j < n; j++) g[j] -= p[l][c * n + j] / nC;
    }
  }

  private update(rows: number, lr: number): void {
    // The generator is restored when the step fails, so a failed step changes nothing at all.
    const saved = this.rng.getState();
    try {
      // the weights do not change while the gradient is computed, and only products touch the weight
      // gradients: a kernel with its own memory keeps one copy of each for the whole step (same bits)
      const L = this.model.depth;
      withResident(
        this.model.weights.map((w) => w.data),
        this.grad.slice(0, L),
        () => this.computeGradient(rows),
      );
      this.checkedDelta(lr);
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
    this.commit();
  }

  /** Turns the gradient into the momentum update in `grad`, or throws when any new value is not finite. */
  private checkedDelta(lr: number): void {
    const L = this.model.depth, params = this.params, grad = this.grad, vel = this.velocity, mu = this.momentum, wd = this.weightDecay;
    for (let a = 0; a < params.length; a++) {
      const g = grad[a], p = params[a], v = vel[a], decay = a < L ? wd : 0;
      for (let i = 0; i < g.length; i++) {
        const d = mu * v[i] + lr * (g[i] - decay * p[i]);
        if (!Number.isFinite(p[i] + d)) {
          throw new NumericalError(`DBMTrainer.step: update of parameter array ${a} is not finite at index ${i} (learning rate ${lr}); model unchanged`);
        }
        g[i] = d;
      }
    }
  }

  private commit(): void {
    const params = this.params, grad = this.grad, vel = this.velocity;
    for (let a = 0; a < params.length; a++) {
      const g = grad[a], p = params[a];
      vel[a].set(g);
      for (let i = 0; i < g.length; i++) p[i] += g[i];
    }
    for (let l = 0; l < this.chains.length; l++) this.chains[l].set(this.next[l]);
    this.chainsInitialised = true;
    this.steps++;
  }

  /**
   * One update on a mini-batch.
   *
   * @param batch - `[rows, nVisible]` with `1 ≤ rows ≤ batchSize`, values in [0, 1] (not modified)
   * @throws {ShapeError | RangeError} on a bad batch (nothing changes)
   * @throws {NumericalError} when the update is not finite (parameters, momentum and chains unchanged)
   * @example
   * ```ts
   * import { DBM, DBMTrainer, fromArrays } from 'boltzmann';
   * const t = new DBMTrainer(new DBM([2, 2, 2]), { batchSize: 2, nChains: 2 });
   * t.step(fromArrays([[1, 0], [0, 1]]));
   * t.steps; // 1
   * ```
   */
  step(batch: DataInput): void {
    const where = 'DBMTrainer.step';
    const b = checkBatch(where, 'batch', toMatrix(where, 'batch', batch, this.model.nVisible), this.model.nVisible, 'unit');
    if (b.rows < 1 || b.rows > this.batchSize) throw new ShapeError(`${where}: batch must have 1..${this.batchSize} rows (got ${b.rows})`);
    const lr = this.currentLearningRate();
    this.mu[0].set(b.data);
    this.update(b.rows, lr);
  }

  /**
   * Trains for whole epochs (rows shuffled by the trainer's generator; the last
   * batch may be smaller). Continues this trainer's state (chains, momentum,
   * generator, counters) across calls.
   *
   * @param data - `[n, nVisible]` rows in [0, 1] (not modified)
   * @param options - see {@link DBMTrainerFitOptions}
   * @returns the metrics of each completed epoch (`meanFieldIterations` and
   *   `reconstructionError` set), epochs completed and whether the signal stopped it
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @throws {NumericalError} as {@link DBMTrainer.step}
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * const t = new DBMTrainer(new DBM([2, 2, 2]), { batchSize: 1, nChains: 2 });
   * t.fit([[1, 0], [0, 1]], { epochs: 2 }).history[1].epoch; // 1
   * ```
   */
  fit(data: DataInput, options?: DBMTrainerFitOptions): FitResult {
    const where = 'DBMTrainer.fit';
    const x = checkBatch(where, 'data', toMatrix(where, 'data', data, this.model.nVisible), this.model.nVisible, 'unit');
    if (x.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
    const o = checkOptionsKeys(where, options, TRAINER_FIT_KEYS);
    const epochs = o.epochs === undefined ? 10 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
    checkCallback(where, 'onEpoch', o.onEpoch);
    checkAbortSignal(where, o.signal);
    if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
    return withThreads(o.threads, () => {
      const it = this.fitStepsUnchecked(x, epochs, o.onEpoch, o.signal, checkValidationRows(where, o.validation, this.model.nVisible));
      let r = it.next();
      while (r.done !== true) r = it.next();
      return r.value;
    });
  }

  /**
   * {@link DBMTrainer.fit} as a generator that yields after every mini-batch
   * update and returns the {@link FitResult}: driving it to the end gives
   * exactly what `fit` gives. `fitAsync` uses it to pause for the event loop
   * between mini-batches. Arguments are checked here, before the first update;
   * run each `next()` inside the thread scope you want.
   *
   * @param data - `[n, nVisible]` binary rows (any {@link DataInput})
   * @param options - epochs (default 10), `onEpoch` (return `false` to stop), `signal`
   * @returns a generator of the updates; its return value is the fit's result
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any update)
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * const t = new DBMTrainer(new DBM([2, 2, 2], { rng: 1 }), { batchSize: 1, rng: 2 });
   * const it = t.fitSteps([[1, 0], [0, 1]], { epochs: 2 });
   * let r = it.next();
   * while (!r.done) r = it.next(); // 4 updates
   * r.value.epochs; // 2
   * ```
   */
  fitSteps(data: DataInput, options?: DBMTrainerFitOptions): Generator<void, FitResult, void> {
    const where = 'DBMTrainer.fitSteps';
    const x = checkBatch(where, 'data', toMatrix(where, 'data', data, this.model.nVisible), this.model.nVisible, 'unit');
    if (x.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
    const o = checkOptionsKeys(where, options, TRAINER_FIT_KEYS);
    const epochs = o.epochs === undefined ? 10 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
    checkCallback(where, 'onEpoch', o.onEpoch);
    checkAbortSignal(where, o.signal);
    if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
    return this.fitStepsUnchecked(x, epochs, o.onEpoch, o.signal, checkValidationRows(where, o.validation, this.model.nVisible));
  }


  private *fitStepsUnchecked(
    data: Matrix,
    epochs: number,
    onEpoch: ((m: EpochMetrics) => unknown) | undefined,
    signal: AbortSignal | undefined,
    validation?: Matrix,
  ): Generator<void, FitResult, void> {
    const nV = this.model.nVisible, n = data.rows, bs = this.batchSize;
    const history: EpochMetrics[] = [];
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      // a failing first update leaves the epoch no trace: the shuffle's draws are rewound too
      const beforeShuffle = this.rng.getState();
      const perm = this.rng.permutation(n);
      let its = 0, rec = 0, batches = 0, lr = 0, accepted = 0, attempts = 0;
      for (let start = 0; start < n; start += bs) {
        if (signal?.aborted) return { history, epochs: history.length, aborted: true };
        const rows = Math.min(bs, n - start);
        for (let r = 0; r < rows; r++) this.mu[0].set(data.data.subarray(perm[start + r] * nV, (perm[start + r] + 1) * nV), r * nV);
        lr = this.currentLearningRate();
        try {
          this.update(rows, lr);
        } catch (e) {
          if (start === 0) this.rng.setState(beforeShuffle);
          throw e;
        }
        its += this.lastIterations;
        rec += this.lastReconstruction * rows;
        accepted += this.lastAccepted;
        attempts += this.lastAttempts;
        batches++;
        yield;
      }
      const m: EpochMetrics = {
        epoch: this.epoch,
        steps: this.steps,
        learningRate: lr,
        seconds: (performance.now() - t0) / 1000,
        meanFieldIterations: its / batches,
        reconstructionError: rec / n,
        ...(attempts > 0 ? { temperedAcceptance: accepted / attempts } : {}),
        ...(validation === undefined
          ? {}
          : dbmModeMonitor(this.model, validation, { rows: this.nChains, cols: nV, data: this.chains[0] }, { maxIterations: this.maxIterations, tolerance: this.tolerance })),
      };
      this.epoch++;
      history.push(m);
      if (onEpoch?.(m) === false) break;
    }
    return { history, epochs: history.length, aborted: false };
  }

  /**
   * The resumable training state (options, generator, momentum, fantasy particles, counters).
   *
   * @returns a JSON object (pass it to `model.toDocument`)
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * const t = new DBMTrainer(new DBM([3, 2, 2]));
   * t.model.toDocument(t.saveState()).kind; // 'dbm'
   * ```
   */
  saveState(): JsonObject {
    const lr = this.learningRate;
    return {
      options: {
        learningRate: typeof lr === 'number' ? lr : null,
        decay: Number.isFinite(this.decay) ? this.decay : null,
        momentum: this.momentum,
        weightDecay: this.weightDecay,
        batchSize: this.batchSize,
        nChains: this.nChains,
        gibbsSteps: this.gibbsSteps,
        maxIterations: this.maxIterations,
        tolerance: this.tolerance,
        temperedTransitions: this.tempered === undefined ? null : { ...this.tempered },
      },
      epoch: this.epoch,
      steps: this.steps,
      rng: this.rng.getState() as unknown as JsonValue,
      // compact base64 tensors (older documents' plain number arrays are read too)
      velocity: this.velocity.map((v) => floatsToJson(v) as unknown as JsonValue),
      chains: this.chainsInitialised ? this.chains.map((c) => floatsToJson(c) as unknown as JsonValue) : null,
    };
  }

  /**
   * The model's document with this trainer's state.
   *
   * @returns the document (kind `'dbm'`)
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * new DBMTrainer(new DBM([3, 2, 2])).toDocument().state !== undefined; // true
   * ```
   */
  toDocument(): ModelDocument {
    return this.model.toDocument(this.saveState());
  }

  /**
   * Restores a trainer and its model from {@link DBMTrainer.toDocument}, so training resumes bit-exactly.
   *
   * @param doc - parsed document
   * @param overrides - options to replace (e.g. a learning-rate schedule, which is not saved)
   * @returns the trainer (its `model` is the loaded DBM)
   * @throws {FormatError} when the document or its training state is malformed
   * @example
   * ```ts
   * import { DBM, DBMTrainer } from 'boltzmann';
   * DBMTrainer.fromDocument(new DBMTrainer(new DBM([3, 2, 2]), { nChains: 3 }).toDocument()).nChains; // 3
   * ```
   */
  static fromDocument(doc: unknown, overrides?: DBMTrainerOptions): DBMTrainer {
    checkOptionsKeys('DBMTrainer.fromDocument', overrides, DBM_TRAINER_KEYS);
    const model = DBM.fromDocument(doc);
    const d = checkDocument(doc, 'dbm');
    const bad = (what: string, expected?: string): never => {
      throw new FormatError(`load dbm: state.training.${what} is missing or malformed${expected === undefined ? '' : ` (expected ${expected})`}`);
    };
    const tr = (d.state as JsonObject | undefined)?.training as JsonObject | undefined;
    if (tr === undefined || tr === null || typeof tr !== 'object' || Array.isArray(tr)) bad('(object)');
    const t = tr as JsonObject;
    const op = t.options as JsonObject;
    if (op === null || typeof op !== 'object' || Array.isArray(op)) bad('options');
    const num = (x: JsonValue | undefined): number | undefined => (typeof x === 'number' ? x : undefined);
    // an option is a number, or absent (null: saved as "none", e.g. a schedule or no decay)
    const opt = (key: string): number | undefined => {
      const x = op[key];
      if (x === undefined || x === null) return undefined;
      return typeof x === 'number' ? x : bad(`options.${key}`, 'a number');
    };
    const options: DBMTrainerOptions = {
      learningRate: opt('learningRate'),
      decay: opt('decay'),
      momentum: opt('momentum'),
      weightDecay: opt('weightDecay'),
      batchSize: opt('batchSize'),
      nChains: opt('nChains'),
      gibbsSteps: opt('gibbsSteps'),
      meanField: { maxIterations: opt('maxIterations'), tolerance: opt('tolerance') },
    };
    let trainer: DBMTrainer;
    try {
      // the saved generator goes in at construction: without one the trainer would split the
      // model's stream, which the document restored to where the saved model's stood
      trainer = new DBMTrainer(model, {
        ...options,
        ...readTemperedJson(op.temperedTransitions),
        ...overrides,
        rng: Random.fromState(t.rng as unknown as RandomState),
      });
    } catch (e) {
      throw new FormatError(`load dbm: state.training is invalid (${errorMessage(e)})`);
    }
    const epoch = num(t.epoch), steps = num(t.steps);
    if (epoch === undefined || steps === undefined || !Number.isInteger(epoch) || !Number.isInteger(steps) || epoch < 0 || steps < 0) bad('epoch/steps');
    trainer.epoch = epoch as number;
    trainer.steps = steps as number;
    readInto(t.velocity, trainer.velocity, bad, 'velocity');
    if (t.chains !== null && t.chains !== undefined) {
      readInto(t.chains, trainer.chains, bad, 'chains');
      // the fantasy particles are sampled states of binary units
      for (const c of trainer.chains) for (let i = 0; i < c.length; i++) if (c[i] !== 0 && c[i] !== 1) bad('chains', 'sampled states, each 0 or 1');
      trainer.chainsInitialised = true;
    }
    return trainer;
  }
}

/**
 * A learning-rate schedule's value at its first update (epoch 0, step 0), checked as the trainer
 * checks it then (a non-negative finite number), so that a fit which trains something else
 * first (`DBM.fit`'s pretraining) can refuse the schedule before any change. A number passes.
 * @internal
 */
export function checkLearningRateStart(where: string, lr: unknown): void {
  if (typeof lr !== 'function') return;
  const v: unknown = lr(0, 0);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${where}: learningRate schedule must return a non-negative finite number (got ${describeValue(v)} at epoch 0)`);
  }
}

/**
 * Checks the options of a {@link DBMTrainer} for `model` (keys, types, ranges, the batch and
 * chain allocations against `LIMITS.maxElements`, the generator) without making anything, so that
 * `DBM.fit` and `DBM.partialFit` can refuse a bad option before they draw or train. @internal
 */
export function checkDBMTrainerOptions(
  where: string,
  model: DBM,
  options: DBMTrainerOptions | undefined,
): {
  learningRate: number | ((epoch: number, step: number) => number);
  decay: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
  nChains: number;
  gibbsSteps: number;
  maxIterations: number;
  tolerance: number;
  tempered: Required<TemperedTransitionOptions> | undefined;
} {
  const o = checkOptionsKeys(where, options, DBM_TRAINER_KEYS);
  const lr = o.learningRate;
  const learningRate = lr === undefined ? 0.005 : typeof lr === 'function' ? lr : checkNonNegative(where, 'learningRate', lr);
  const decay = o.decay === undefined ? Number.POSITIVE_INFINITY : checkPositive(where, 'decay', o.decay);
  const momentum = o.momentum === undefined ? 0.5 : checkInRange(where, 'momentum', o.momentum, 0, 1, { hiOpen: true });
  const weightDecay = o.weightDecay === undefined ? 0.0002 : checkNonNegative(where, 'weightDecay', o.weightDecay);
  const batchSize = o.batchSize === undefined ? 100 : checkSize(where, 'batchSize', o.batchSize);
  const nChains = o.nChains === undefined ? 100 : checkSize(where, 'nChains', o.nChains);
  const units = model.sizes.reduce((a, b) => a + b, 0);
  checkElements(where, 'batchSize × units', batchSize, units);
  checkElements(where, 'nChains × units', nChains, units);
  const gibbsSteps = o.gibbsSteps === undefined ? 5 : checkSize(where, 'gibbsSteps', o.gibbsSteps, 1, 'maxSteps');
  const mf = readMeanField(where, o.meanField === undefined ? { maxIterations: 10, tolerance: 1e-5 } : o.meanField);
  const tempered = readTempered(where, o.temperedTransitions);
  if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where); // a bad seed is refused here (a seed draws nothing)
  return { learningRate, decay, momentum, weightDecay, batchSize, nChains, gibbsSteps, maxIterations: mf.maxIterations, tolerance: mf.tolerance, tempered };
}

/** The checked tempered-transition settings, or undefined when not given. */
function readTempered(where: string, o: TemperedTransitionOptions | undefined): Required<TemperedTransitionOptions> | undefined {
  if (o === undefined) return undefined;
  if (o === null || typeof o !== 'object') throw new TypeError(`${where}: temperedTransitions must be an object { levels, minBeta, every? } (got ${describeValue(o)})`);
  const t = checkOptionsKeys(`${where}: temperedTransitions`, o, TEMPERED_KEYS);
  const levels = checkPositiveInt(where, 'temperedTransitions.levels', t.levels);
  if (levels > 100000) throw new RangeError(`${where}: temperedTransitions.levels must be at most 100000 (got ${levels})`);
  const minBeta = checkInRange(where, 'temperedTransitions.minBeta', t.minBeta, 0, 1, { loOpen: true, hiOpen: true });
  const every = t.every === undefined ? 1 : checkPositiveInt(where, 'temperedTransitions.every', t.every);
  return { levels, minBeta, every };
}

/** The tempered-transition settings of a saved document (absent or null: off). */
function readTemperedJson(x: JsonValue | undefined): Pick<DBMTrainerOptions, 'temperedTransitions'> {
  if (x === undefined || x === null) return {};
  if (typeof x !== 'object' || Array.isArray(x)) throw new TypeError(`temperedTransitions must be an object (got ${describeValue(x)})`);
  const o = x as JsonObject;
  return { temperedTransitions: { levels: o.levels as number, minBeta: o.minBeta as number, every: o.every as number } };
}

function readInto(src: JsonValue | undefined, dst: Float64Array[], bad: (w: string) => never, what: string): void {
  if (!Array.isArray(src) || src.length !== dst.length) bad(what);
  const s = src as JsonValue[];
  for (let a = 0; a < dst.length; a++) {
    let x: Float64Array | undefined;
    try {
      x = floatsFromJson('load dbm', what, s[a], dst[a].length);
    } catch {
      x = undefined;
    }
    if (x === undefined) bad(what);
    else dst[a].set(x);
  }
}
