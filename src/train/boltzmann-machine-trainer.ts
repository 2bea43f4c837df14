/**
 * Maximum-likelihood learning for Boltzmann machines — the lecture's algorithm.
 *
 * For `P(s) ∝ exp(−E(s)/T)` with `E = −½ sᵀWs − bᵀs` the gradient of the mean
 * log-likelihood of the visible data is
 *
 * `∂L/∂w_ij = (⟨s_i s_j⟩_clamped − ⟨s_i s_j⟩_free) / T`, `∂L/∂b_i = (⟨s_i⟩_clamped − ⟨s_i⟩_free) / T`:
 *
 * - clamped phase: for each pattern, the visible units (and the label, when
 *   labels are given) are fixed and Gibbs sampling over the hidden units gives
 *   `K` samples after a burn-in;
 * - free phase: `M` samples from Gibbs chains started at random states (the
 *   lecture, `freeStart: 'random'`), from persistent chains carried across
 *   updates (`'persistent'`), or from the data (`'data'`, the lecture's remark
 *   "run Gibbs sampling from states in P"): each chain starts at a training row
 *   with its hidden (and free label) units from that row's last clamped-phase
 *   sample, i.e. at a draw of the clamped distribution `P_data(v) P(h | v)`.
 *   With few sweeps this is contrastive divergence for the general machine: the
 *   free statistics stay near the data's, so the estimate is biased toward zero
 *   (CD's bias); with many sweeps it converges to the same gradient as random starts.
 *
 * Update: `w_ij ← w_ij + η (∂L/∂w_ij − λ w_ij)`, `b_i ← b_i + η ∂L/∂b_i`, with
 * learning rate `η` (a number or a schedule over epochs) and weight decay `λ`.
 * At `T = 1` this is exactly the lecture's `Δw_ij = η(⟨s_i s_j⟩_clamped − ⟨s_i s_j⟩_free)`.
 * The same rule trains spin machines (`units: 'spin'`, ±1 data), with the
 * products `s_i s_j` of ±1 units.
 * Every random choice comes from the trainer's generator, and the trainer owns
 * the persistent chains, so the same seed gives bit-identical weights and a
 * saved trainer ({@link BoltzmannMachineTrainer.toDocument}) resumes exactly.
 * @module
 */
import { checkDocument, type JsonObject, type JsonValue, type ModelDocument, randomStateToJson } from '../document.js';
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import { BoltzmannMachine, type BoltzmannMachineChain } from '../models/boltzmann-machine.js';
import type { BaseFitOptions, EpochMetrics, FitResult, Trainer } from '../models/contract.js';
import { MAX_STREAMS, Random, type RandomState, toRandom } from '../random/random.js';
import type { SamplerSnapshot } from '../samplers/types.js';
import {
  checkAllFinite,
  checkBinary,
  checkElements,
  checkInt,
  checkKnownKeys,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSteps,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { checkAbortSignal, checkCallback, errorMessage, numberArray } from './checks.js';

/** Hyperparameters of {@link BoltzmannMachineTrainer} (also accepted by {@link BoltzmannMachine.fit}).
 * @category Training
 */
export interface BoltzmannMachineTrainerOptions {
  /** Learning rate `η`, or a schedule `epoch => η` (epochs count from 0). Default 0.05. */
  learningRate?: number | ((epoch: number) => number);
  /** L2 weight decay `λ` (weights only, not biases). Default 0. */
  weightDecay?: number;
  /** `K`: clamped-phase samples per pattern. Default 10. */
  clampedSamples?: number;
  /** Clamped-phase sweeps discarded per pattern before the first sample. Default 10. */
  clampedBurnIn?: number;
  /** `M`: free-phase samples per update, split evenly over {@link BoltzmannMachineTrainerOptions.freeChains}. Default 100. */
  freeSamples?: number;
  /** Free-phase chains (independent streams). Default 10. */
  freeChains?: number;
  /** Free-phase sweeps discarded before the first sample. Default 50 for random starts, 1 for persistent chains, 0 for data starts. */
  freeBurnIn?: number;
  /** Sweeps between recorded samples in both phases. Default 1. */
  thin?: number;
  /** Keep the free-phase chains across updates (persistent chains, owned by the trainer and saved with it). Default false. Same as `freeStart: 'persistent'`. */
  persistent?: boolean;
  /**
   * Where the free-phase chains start: `'random'` (uniform random states, the
   * lecture's algorithm; the default), `'persistent'` (chains carried across
   * updates; same as `persistent: true`) or `'data'` (chain `c` of an update
   * starts at batch row `(o + c) mod B`, `o` drawn uniformly once per update,
   * hidden and free label units from that row's last clamped-phase sample:
   * contrastive divergence for the general machine. CD-k is
   * `freeStart: 'data', freeChains: M, freeSamples: M, freeBurnIn: k − 1`).
   * Default `'persistent'` when `persistent: true`, else `'random'`.
   */
  freeStart?: BoltzmannFreeStart;
  /** Patterns per update; default all of them (full-batch, as in the lecture). */
  batchSize?: number;
  /** Compute the exact log-likelihood after each epoch: `'auto'` when the machine has ≤ 20 non-label units. Default `'auto'`. */
  exactLogLikelihood?: boolean | 'auto';
  /**
   * The trainer's generator (seed or {@link Random}): clamped and free chains,
   * batch order. Default: one split off the model's stream. Passing the
   * model's own `random` shares its stream.
   */
  rng?: number | Random;
}

/**
 * The keys of {@link BoltzmannMachineTrainerOptions}.
 * @internal
 */
export const TRAINER_OPTION_KEYS = optionKeys<BoltzmannMachineTrainerOptions>()({
  learningRate: true,
  weightDecay: true,
  clampedSamples: true,
  clampedBurnIn: true,
  freeSamples: true,
  freeChains: true,
  freeBurnIn: true,
  thin: true,
  persistent: true,
  freeStart: true,
  batchSize: true,
  exactLogLikelihood: true,
  rng: true,
});

/** Where the free-phase chains of a {@link BoltzmannMachineTrainer} start (see {@link BoltzmannMachineTrainerOptions.freeStart}).
 * @category Training
 */
export type BoltzmannFreeStart = 'random' | 'data' | 'persistent';

/**
 * Checks the rows of `x` hold the machine's unit values: 0/1 for binary
 * machines, ±1 for spin machines (0/1 data given to a spin machine is refused,
 * not converted: the message says how to convert).
 * @internal
 */
export function checkUnitData(where: string, name: string, x: Matrix, units: 'binary' | 'spin'): void {
  if (units !== 'spin') {
    checkBinary(where, name, x.data);
    return;
  }
  const d = x.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v !== 1 && v !== -1) {
      const r = Math.floor(k / x.cols);
      throw new RangeError(
        `${where}: ${name} must be ±1 for a machine with units 'spin' (got ${v} at row ${r}, column ${k - r * x.cols}; convert 0/1 data with s = 2x − 1)`,
      );
    }
  }
}

/** Options of {@link BoltzmannMachineTrainer.step}, {@link BoltzmannMachineTrainer.trainEpoch} and {@link BoltzmannMachineTrainer.estimateGradient}.
 * @category Training
 */
export interface BoltzmannMachineBatchOptions {
  /** The class of each row (labeled machines): clamped in the clamped phase. */
  labels?: ArrayLike<number>;
}
const BATCH_KEYS = optionKeys<BoltzmannMachineBatchOptions>()({ labels: true });

/** Options of {@link BoltzmannMachineTrainer.fit}.
 * @category Training
 */
export interface BoltzmannMachineTrainerFitOptions extends BaseFitOptions, BoltzmannMachineBatchOptions {
  /** Threads for the linear-algebra kernels (see `withThreads`). Default: the kernel's. */
  threads?: number;
}
const TRAINER_FIT_KEYS = optionKeys<BoltzmannMachineTrainerFitOptions>()({ epochs: true, onEpoch: true, signal: true, labels: true, threads: true });

/** A sampled estimate of the log-likelihood gradient and the statistics behind it.
 * @category Training
 */
export interface BoltzmannGradient {
  /** `[n, n]` `(⟨s_i s_j⟩_clamped − ⟨s_i s_j⟩_free) / T`, zero on the diagonal and between label units. */
  readonly weights: Matrix;
  /** `(⟨s_i⟩_clamped − ⟨s_i⟩_free) / T`. */
  readonly bias: Float64Array;
  /** `⟨s_i⟩_clamped`. */
  readonly dataMean: Float64Array;
  /** `⟨s_i s_j⟩_clamped`, `[n, n]`. */
  readonly dataCorrelation: Matrix;
  /** `⟨s_i⟩_free`. */
  readonly modelMean: Float64Array;
  /** `⟨s_i s_j⟩_free`, `[n, n]`. */
  readonly modelCorrelation: Matrix;
}

interface Settings {
  lr: number | ((epoch: number) => number);
  decay: number;
  K: number;
  clampedBurnIn: number;
  M: number;
  nFreeChains: number;
  freeBurnIn: number;
  thin: number;
  persistent: boolean;
  freeStart: BoltzmannFreeStart;
  batchSize: number | undefined;
  exactMode: boolean | 'auto';
  rng: Random | undefined;
}

/**
 * Checks the options of a {@link BoltzmannMachineTrainer} (what its constructor and
 * `configure` check) without making anything: `BoltzmannMachine.fit` refuses a bad
 * option this way before it splits the model's generator. @internal
 */
export function checkBoltzmannTrainerOptions(where: string, model: BoltzmannMachine, options: BoltzmannMachineTrainerOptions | undefined): void {
  parseSettings(where, options, undefined, model.dimension);
}

/** The options of {@link BoltzmannMachineTrainer.fit} checked (labels are checked with the data). @internal */
export function checkBoltzmannFitRunOptions(where: string, options: BoltzmannMachineTrainerFitOptions | undefined): Partial<BoltzmannMachineTrainerFitOptions> & { epochs: number } {
  const o = checkOptionsKeys(where, options, TRAINER_FIT_KEYS);
  const epochs = o.epochs === undefined ? 10 : checkSteps(where, 'epochs', o.epochs, 0);
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
  if (o.threads !== undefined) checkInt(where, 'threads', o.threads, 1);
  return { ...o, epochs };
}

function parseSettings(where: string, options: BoltzmannMachineTrainerOptions | undefined, base: Settings | undefined, units: number): Settings {
  const o = checkOptionsKeys(where, options, TRAINER_OPTION_KEYS);
  let lr: number | ((epoch: number) => number);
  if (typeof o.learningRate === 'function') lr = o.learningRate;
  else lr = o.learningRate === undefined ? (base?.lr ?? 0.05) : checkPositive(where, 'learningRate', o.learningRate);
  const decay = o.weightDecay === undefined ? (base?.decay ?? 0) : checkNonNegative(where, 'weightDecay', o.weightDecay);
  const K = o.clampedSamples === undefined ? (base?.K ?? 10) : checkSteps(where, 'clampedSamples', o.clampedSamples, 1);
  const clampedBurnIn = o.clampedBurnIn === undefined ? (base?.clampedBurnIn ?? 10) : checkInt(where, 'clampedBurnIn', o.clampedBurnIn, 0);
  // one chain (its own stream and a state of every unit) per free chain
  const nFreeChains = o.freeChains === undefined ? (base?.nFreeChains ?? 10) : checkInt(where, 'freeChains', o.freeChains, 1, MAX_STREAMS);
  checkElements(where, 'freeChains × units', nFreeChains, units);
  const M = o.freeSamples === undefined ? (base?.M ?? 100) : checkSteps(where, 'freeSamples', o.freeSamples, 1);
  if (M % nFreeChains !== 0) {
    throw new RangeError(`${where}: freeSamples must be a multiple of freeChains (got ${M} and ${nFreeChains})`);
  }
  if (o.persistent !== undefined && typeof o.persistent !== 'boolean') throw new TypeError(`${where}: persistent must be a boolean (got ${describeValue(o.persistent)})`);
  const startOpt = o.freeStart === undefined ? undefined : checkOneOf(where, 'freeStart', o.freeStart, ['random', 'data', 'persistent'] as const);
  if (startOpt !== undefined && o.persistent !== undefined && o.persistent !== (startOpt === 'persistent')) {
    throw new RangeError(`${where}: persistent must agree with freeStart (got persistent ${o.persistent} and freeStart '${startOpt}')`);
  }
  const freeStart: BoltzmannFreeStart =
    startOpt ?? (o.persistent === undefined ? (base?.freeStart ?? 'random') : o.persistent ? 'persistent' : 'random');
  const persistent = freeStart === 'persistent';
  const freeBurnIn =
    o.freeBurnIn === undefined
      ? base !== undefined && o.persistent === undefined && startOpt === undefined
        ? base.freeBurnIn
        : persistent
          ? 1
          : freeStart === 'data'
            ? 0
            : 50
      : checkInt(where, 'freeBurnIn', o.freeBurnIn, 0);
  const thin = o.thin === undefined ? (base?.thin ?? 1) : checkSteps(where, 'thin', o.thin, 1);
  const batchSize = o.batchSize === undefined ? base?.batchSize : checkSize(where, 'batchSize', o.batchSize, 1);
  const ex = o.exactLogLikelihood === undefined ? (base?.exactMode ?? 'auto') : o.exactLogLikelihood;
  if (ex !== 'auto' && typeof ex !== 'boolean') throw new TypeError(`${where}: exactLogLikelihood must be a boolean or 'auto' (got ${describeValue(ex)})`);
  const rng = o.rng === undefined ? undefined : toRandom(o.rng, where);
  return { lr, decay, K, clampedBurnIn, M, nFreeChains, freeBurnIn, thin, persistent, freeStart, batchSize, exactMode: ex, rng };
}

/**
 * Trains a {@link BoltzmannMachine} by the lecture's maximum-likelihood rule:
 * the step-level API behind {@link BoltzmannMachine.fit}. The trainer owns its
 * generator, the persistent chains (with `persistent: true`) and the epoch and
 * step counters; the model holds only parameters.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine, BoltzmannMachineTrainer, barsAndStripes } from 'boltzmann';
 * const data = barsAndStripes(3).data;
 * const bm = new BoltzmannMachine(9, 4, { rng: 1 });
 * const trainer = new BoltzmannMachineTrainer(bm, { learningRate: 0.1 });
 * const { history } = trainer.fit(data, { epochs: 5 });
 * history[4].logLikelihood; // exact, nats per pattern
 * ```
 * @category Training
 */
export class BoltzmannMachineTrainer implements Trainer<BoltzmannMachine> {
  /** The model being trained (updated in place). */
  readonly model: BoltzmannMachine;
  /** Epochs completed. */
  epoch = 0;
  /** Updates made. */
  steps = 0;
  private settings: Settings;
  private rng: Random;
  private persistentChains: BoltzmannMachineChain[] = [];
  // workspaces, allocated once
  private readonly dMean: Float64Array;
  private readonly dCorr: Float64Array;
  private readonly mMean: Float64Array;
  private readonly mCorr: Float64Array;
  private readonly gW: Float64Array;
  private readonly gB: Float64Array;
  private readonly newW: Float64Array;
  private readonly newB: Float64Array;
  private readonly active: Int32Array;
  private readonly state: Float64Array;

  /**
   * @param model - the machine to train
   * @param options - see {@link BoltzmannMachineTrainerOptions}
   * @throws {TypeError | RangeError} on bad options (an unknown key names the closest valid one)
   */
  constructor(model: BoltzmannMachine, options?: BoltzmannMachineTrainerOptions) {
    const where = 'BoltzmannMachineTrainer';
    if (model === null || typeof model !== 'object' || !(model.bias instanceof Float64Array) || typeof model.createChain !== 'function') {
      throw new TypeError(`${where}: model must be a BoltzmannMachine`);
    }
    this.settings = parseSettings(where, options, undefined, model.dimension);
    this.model = model;
    this.rng = this.settings.rng ?? model.random.split();
    const n = model.dimension;
    this.dMean = new Float64Array(n);
    this.dCorr = new Float64Array(n * n);
    this.mMean = new Float64Array(n);
    this.mCorr = new Float64Array(n * n);
    this.gW = new Float64Array(n * n);
    this.gB = new Float64Array(n);
    this.newW = new Float64Array(n * n);
    this.newB = new Float64Array(n);
    this.active = new Int32Array(n);
    this.state = new Float64Array(n);
  }

  /** The trainer's generator (clamped and free chains, batch order). */
  get random(): Random {
    return this.rng;
  }

  /** Whether the free phase uses persistent chains. */
  get persistent(): boolean {
    return this.settings.persistent;
  }

  /** Where the free-phase chains start (see {@link BoltzmannMachineTrainerOptions.freeStart}). */
  get freeStart(): BoltzmannFreeStart {
    return this.settings.freeStart;
  }

  /**
   * Replaces hyperparameters from now on (validated first; nothing changes on
   * error). Options not given keep their current values; the generator,
   * persistent chains and counters continue (`rng` replaces the generator).
   * Used by {@link BoltzmannMachine.partialFit}.
   *
   * @param options - hyperparameters to change
   * @throws {TypeError | RangeError} on bad options
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(2));
   * t.configure({ learningRate: 0.01 });
   * ```
   */
  configure(options: BoltzmannMachineTrainerOptions): void {
    const s = parseSettings('BoltzmannMachineTrainer.configure', options, this.settings, this.model.dimension);
    this.settings = s;
    if (s.rng !== undefined) this.rng = s.rng;
  }

  /**
   * A function that puts back the hyperparameters and the generator object this
   * trainer has now (what {@link BoltzmannMachineTrainer.configure} replaces), for a
   * caller that configures and then must undo it when the first update fails.
   * @internal
   */
  configurationUndo(): () => void {
    const settings = this.settings, rng = this.rng;
    return () => {
      this.settings = settings;
      this.rng = rng;
    };
  }

  /** The learning rate at an epoch (validated). */
  private rateAt(epoch: number): number {
    const lr = this.settings.lr;
    const v = typeof lr === 'function' ? lr(epoch) : lr;
    return checkPositive('BoltzmannMachineTrainer', `learningRate(${epoch})`, v);
  }

  private checkData(where: string, data: DataInput, labels: ArrayLike<number> | undefined): Matrix {
    const m = this.model;
    const x = checkMatrix(where, 'data', toMatrix(where, 'data', data), undefined, m.nVisible);
    if (x.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
    checkUnitData(where, 'data', x, m.units);
    if (labels !== undefined) {
      if (m.nLabels === 0) throw new RangeError(`${where}: labels given but the machine has no label units`);
      if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new TypeError(`${where}: labels must be an array of class indices`);
      if (labels.length !== x.rows) throw new ShapeError(`${where}: labels must have length ${x.rows} (got ${labels.length})`);
      for (let r = 0; r < labels.length; r++) checkInt(where, `labels[${r}]`, labels[r], 0, m.nLabels - 1);
    }
    return x;
  }

  /**
   * The persistent chains (created, or re-created when `freeChains` changed,
   * from independent streams of a generator split off the trainer's).
   */
  private getPersistentChains(): BoltzmannMachineChain[] {
    const nChains = this.settings.nFreeChains;
    if (this.persistentChains.length !== nChains) {
      const streams = this.rng.split().streams(nChains);
      this.persistentChains = streams.map((g) => this.model.createChain({ rng: g }));
    }
    return this.persistentChains;
  }

  /** Number of persistent chains currently held. */
  get persistentChainCount(): number {
    return this.persistentChains.length;
  }

  /**
   * Drops the persistent chains (the next persistent update starts fresh ones).
   *
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(3), { persistent: true, freeChains: 2, freeSamples: 4 });
   * t.step([[1, 0, 1]]);
   * t.resetPersistentChains(); // t.persistentChainCount === 0
   * ```
   */
  resetPersistentChains(): void {
    this.persistentChains = [];
  }

  /** Adds `weight · s` and `weight · s sᵀ` (upper triangle) for a binary or spin state. */
  private accumulate(s: Float64Array, weight: number, mean: Float64Array, corr: Float64Array): void {
    const n = s.length;
    if (this.model.units === 'spin') {
      for (let i = 0; i < n; i++) {
        const wi = weight * s[i];
        mean[i] += wi;
        const o = i * n;
        for (let j = i + 1; j < n; j++) corr[o + j] += wi * s[j];
      }
      return;
    }
    const act = this.active;
    let m = 0;
    for (let i = 0; i < n; i++) if (s[i] === 1) act[m++] = i;
    for (let x = 0; x < m; x++) {
      const i = act[x];
      mean[i] += weight;
      const o = i * n;
      for (let y = x + 1; y < m; y++) corr[o + act[y]] += weight;
    }
  }

  /** Runs both phases on rows `rows` of `data` and writes the gradient into gW/gB. Unchecked. */
  private gradientInto(data: Matrix, labels: ArrayLike<number> | undefined, rows: ArrayLike<number>): void {
    const m = this.model;
    const st = this.settings;
    const n = m.dimension;
    const nv = m.nVisible;
    const l0 = m.labelStart;
    const K = m.nLabels;
    this.dMean.fill(0);
    this.dCorr.fill(0);
    this.mMean.fill(0);
    this.mCorr.fill(0);
    // clamped phase: one chain, visible (and label) units clamped, re-set per pattern
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    const lo = m.units === 'spin' ? -1 : 0;
    const values = new Float64Array(n);
    if (lo !== 0) values.fill(lo);
    if (labels !== undefined) {
      for (let k = 0; k < K; k++) clamp[l0 + k] = 1;
      values[l0] = 1;
    }
    const chain = m.createChain({ clamp, values, rng: this.rng.split() });
    const rng = chain.random;
    const s = this.state;
    const wData = 1 / (rows.length * st.K);
    const fromData = st.freeStart === 'data';
    const starts = fromData ? new Float64Array(rows.length * n) : undefined;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let i = 0; i < nv; i++) s[i] = data.data[row * nv + i];
      for (let i = nv; i < l0; i++) s[i] = rng.float64() < 0.5 ? lo : 1;
      if (K > 0) {
        for (let k = 0; k < K; k++) s[l0 + k] = 0;
        s[l0 + (labels !== undefined ? labels[row] : rng.int(K))] = 1;
      }
      chain.gibbs.setState(s);
      for (let t = 0; t < st.clampedBurnIn; t++) chain.step();
      for (let k = 0; k < st.K; k++) {
        for (let t = 0; t < st.thin; t++) chain.step();
        this.accumulate(chain.state, wData, this.dMean, this.dCorr);
      }
      // data starts: the row with its last clamped-phase hidden (and label) units
      if (starts !== undefined) starts.set(chain.state, r * n);
    }
    // free phase
    const perChain = st.M / st.nFreeChains;
    const wModel = 1 / st.M;
    let chains: BoltzmannMachineChain[];
    if (st.persistent) {
      chains = this.getPersistentChains();
      // the weights may have changed since the chains last ran (an update, setParameters)
      for (const c of chains) c.refresh();
    } else if (starts !== undefined) {
      const g0 = this.rng.split();
      const B = rows.length;
      const offset = g0.int(B);
      const streams = g0.streams(st.nFreeChains);
      chains = streams.map((g, c) => {
        const r = (offset + c) % B;
        return m.createChain({ rng: g, initial: starts.subarray(r * n, (r + 1) * n) });
      });
    } else {
      const streams = this.rng.split().streams(st.nFreeChains);
      chains = streams.map((g) => m.createChain({ rng: g }));
    }
    for (const c of chains) {
      c.temperature = m.temperature;
      for (let t = 0; t < st.freeBurnIn; t++) c.step();
      for (let k = 0; k < perChain; k++) {
        for (let t = 0; t < st.thin; t++) c.step();
        this.accumulate(c.state, wModel, this.mMean, this.mCorr);
      }
    }
    const invT = 1 / m.temperature;
    this.gW.fill(0);
    for (let i = 0; i < n; i++) {
      this.gB[i] = (this.dMean[i] - this.mMean[i]) * invT;
      for (let j = i + 1; j < n; j++) {
        if (i >= l0 && j >= l0) continue;
        const g = (this.dCorr[i * n + j] - this.mCorr[i * n + j]) * invT;
        this.gW[i * n + j] = g;
        this.gW[j * n + i] = g;
      }
    }
  }

  /**
   * A sampled estimate of the log-likelihood gradient on `data` (both phases),
   * without changing the parameters (the generator and persistent chains advance).
   *
   * @param data - `[N, nVisible]` binary patterns
   * @param options - `labels`: class per row (clamped in the clamped phase)
   * @returns the {@link BoltzmannGradient}
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(2, 1));
   * t.estimateGradient([[1, 0]]).bias.length; // 3
   * ```
   */
  estimateGradient(data: DataInput, options?: BoltzmannMachineBatchOptions): BoltzmannGradient {
    const where = 'BoltzmannMachineTrainer.estimateGradient';
    const labels = checkOptionsKeys(where, options, BATCH_KEYS).labels;
    const x = this.checkData(where, data, labels);
    const rows = Uint32Array.from({ length: x.rows }, (_, i) => i);
    this.gradientInto(x, labels, rows);
    const n = this.model.dimension;
    const full = (c: Float64Array, mean: Float64Array): Matrix => {
      const out = zeros(n, n);
      for (let i = 0; i < n; i++) {
        out.data[i * n + i] = mean[i];
        for (let j = i + 1; j < n; j++) {
          out.data[i * n + j] = c[i * n + j];
          out.data[j * n + i] = c[i * n + j];
        }
      }
      return out;
    };
    return {
      weights: { rows: n, cols: n, data: this.gW.slice() },
      bias: this.gB.slice(),
      dataMean: this.dMean.slice(),
      dataCorrelation: full(this.dCorr, this.dMean),
      modelMean: this.mMean.slice(),
      modelCorrelation: full(this.mCorr, this.mMean),
    };
  }

  /**
   * One update on the whole batch: estimate the gradient, form the new
   * parameters in scratch, check they are finite, then commit. On a non-finite
   * result the model's parameters, the trainer's generator and its persistent
   * chains are restored and a {@link NumericalError} is thrown.
   *
   * @param batch - `[N, nVisible]` binary patterns
   * @param options - `labels`: class per row
   * @returns root-mean-square of the weight gradient
   * @throws {NumericalError} when the update is not finite (nothing changed)
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(2));
   * t.step([[1, 1]]);
   * ```
   */
  step(batch: DataInput, options?: BoltzmannMachineBatchOptions): number {
    const where = 'BoltzmannMachineTrainer.step';
    const labels = checkOptionsKeys(where, options, BATCH_KEYS).labels;
    const x = this.checkData(where, batch, labels);
    const rows = Uint32Array.from({ length: x.rows }, (_, i) => i);
    const eta = this.rateAt(this.epoch);
    return this.update(where, x, labels, rows, eta);
  }

  private update(where: string, data: Matrix, labels: ArrayLike<number> | undefined, rows: ArrayLike<number>, eta: number): number {
    const m = this.model;
    const n = m.dimension;
    const persistent = this.settings.persistent;
    const rngState = this.rng.getState();
    const hadChains = this.persistentChains;
    // persistent chains are created (from the generator) before the clamped phase's draws
    const chains = persistent ? this.getPersistentChains() : [];
    const snaps: SamplerSnapshot[] = chains.map((c) => c.snapshot());
    const rollback = (): void => {
      this.rng.setState(rngState);
      this.persistentChains = hadChains;
      if (chains === hadChains) for (let c = 0; c < snaps.length; c++) chains[c].restore(snaps[c]);
    };
    try {
      this.gradientInto(data, labels, rows);
    } catch (e) {
      rollback();
      throw e;
    }
    const w = m.weights.data;
    const b = m.bias;
    const l0 = m.labelStart;
    const decay = this.settings.decay;
    let ok = true;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      this.newW[i * n + i] = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const k = i * n + j;
        if (i >= l0 && j >= l0) {
          this.newW[k] = 0;
          continue;
        }
        const v = w[k] + eta * (this.gW[k] - decay * w[k]);
        this.newW[k] = v;
        sq += this.gW[k] * this.gW[k];
        if (!Number.isFinite(v)) ok = false;
      }
      const bv = b[i] + eta * this.gB[i];
      this.newB[i] = bv;
      if (!Number.isFinite(bv)) ok = false;
    }
    if (!ok) {
      rollback();
      throw new NumericalError(`${where}: the update produced non-finite parameters (learning rate ${eta}); the model is unchanged`);
    }
    w.set(this.newW);
    b.set(this.newB);
    this.steps++;
    return Math.sqrt(sq / Math.max(1, n * (n - 1)));
  }

  /** One epoch over checked data; stops after the update during which `signal` was aborted (returns undefined then). */
  private runEpoch(where: string, data: Matrix, labels: ArrayLike<number> | undefined, signal: AbortSignal | undefined): EpochMetrics | undefined {
    const it = this.epochSteps(where, data, labels, signal);
    let r = it.next();
    while (r.done !== true) r = it.next();
    return r.value;
  }

  /** {@link BoltzmannMachineTrainer.runEpoch}, yielding after every update. */
  private *epochSteps(where: string, data: Matrix, labels: ArrayLike<number> | undefined, signal: AbortSignal | undefined): Generator<void, EpochMetrics | undefined, void> {
    const eta = this.rateAt(this.epoch);
    const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    const N = data.rows;
    const bsOpt = this.settings.batchSize;
    const bs = bsOpt === undefined || bsOpt >= N ? N : bsOpt;
    // a failing first update leaves the epoch no trace: the shuffle's draws are rewound too
    const beforeShuffle = this.rng.getState();
    const order = bs === N ? Uint32Array.from({ length: N }, (_, i) => i) : this.rng.permutation(N);
    for (let start = 0; start < N; start += bs) {
      try {
        this.update(where, data, labels, order.subarray(start, Math.min(N, start + bs)), eta);
      } catch (e) {
        if (start === 0) this.rng.setState(beforeShuffle);
        throw e;
      }
      yield;
      if (signal?.aborted) return undefined;
    }
    const seconds = ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000;
    const mode = this.settings.exactMode;
    const exact = mode === 'auto' ? this.model.labelStart <= 20 : mode;
    const metrics: EpochMetrics = { epoch: this.epoch, steps: this.steps, learningRate: eta, seconds };
    if (exact) metrics.logLikelihood = this.model.exactLogLikelihood(data, { labels, gradient: false }).logLikelihood;
    this.epoch++;
    return metrics;
  }

  /**
   * One epoch: the data in batches (shuffled by the trainer's generator when
   * `batchSize` is smaller than the data), one update per batch, then the
   * exact log-likelihood when enabled.
   *
   * @param data - `[N, nVisible]` binary patterns
   * @param options - `labels`: class per row
   * @returns the epoch's {@link EpochMetrics} (`logLikelihood` when computed)
   * @throws {NumericalError} when an update is not finite (that update is not applied)
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(2));
   * t.trainEpoch([[1, 1], [0, 0]]).logLikelihood; // exact, nats
   * ```
   */
  trainEpoch(data: DataInput, options?: BoltzmannMachineBatchOptions): EpochMetrics {
    const where = 'BoltzmannMachineTrainer.trainEpoch';
    const labels = checkOptionsKeys(where, options, BATCH_KEYS).labels;
    const x = this.checkData(where, data, labels);
    return this.runEpoch(where, x, labels, undefined) as EpochMetrics;
  }

  /**
   * Trains for `options.epochs` epochs (default 10).
   *
   * @param data - `[N, nVisible]` binary patterns (any {@link DataInput})
   * @param options - epochs, `labels` (class per row), `onEpoch` (return `false` to stop), `signal`, `threads`
   * @returns the {@link FitResult}: metrics of every epoch, epochs completed, whether a signal stopped it
   * @throws {NumericalError} when an update is not finite
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before training)
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer, barsAndStripes } from 'boltzmann';
   * const bm = new BoltzmannMachine(9, 3);
   * new BoltzmannMachineTrainer(bm).fit(barsAndStripes(3).data, { epochs: 2 }).epochs; // 2
   * ```
   */
  fit(data: DataInput, options?: BoltzmannMachineTrainerFitOptions): FitResult {
    const where = 'BoltzmannMachineTrainer.fit';
    const o = checkBoltzmannFitRunOptions(where, options);
    const x = this.checkData(where, data, o.labels);
    return withThreads(o.threads, () => {
      const it = this.fitStepsChecked(where, x, o.epochs, o);
      let r = it.next();
      while (r.done !== true) r = it.next();
      return r.value;
    });
  }

  /**
   * {@link BoltzmannMachineTrainer.fit} as a generator that yields after every
   * mini-batch update and returns the {@link FitResult}: driving it to the end
   * gives exactly what `fit` gives. `fitAsync` uses it to pause for the event
   * loop between mini-batches. Arguments are checked here, before the first
   * update; run each `next()` inside the thread scope you want.
   *
   * @param data - `[N, nVisible]` binary patterns (any {@link DataInput})
   * @param options - epochs, `labels`, `onEpoch` (return `false` to stop), `signal`
   * @returns a generator of the updates; its return value is the fit's result
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before training)
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const t = new BoltzmannMachineTrainer(new BoltzmannMachine(2, 0, { rng: 1 }), { rng: 2 });
   * const it = t.fitSteps([[1, 1], [0, 0]], { epochs: 2 });
   * let r = it.next();
   * while (!r.done) r = it.next(); // one update per epoch (one batch)
   * r.value.epochs; // 2
   * ```
   */
  fitSteps(data: DataInput, options?: BoltzmannMachineTrainerFitOptions): Generator<void, FitResult, void> {
    const where = 'BoltzmannMachineTrainer.fitSteps';
    const o = checkBoltzmannFitRunOptions(where, options);
    const x = this.checkData(where, data, o.labels);
    return this.fitStepsChecked(where, x, o.epochs, o);
  }

  private *fitStepsChecked(where: string, x: Matrix, epochs: number, o: BoltzmannMachineTrainerFitOptions): Generator<void, FitResult, void> {
    const history: EpochMetrics[] = [];
    let aborted = o.signal?.aborted ?? false;
    for (let e = 0; e < epochs && !aborted; e++) {
      const s = yield* this.epochSteps(where, x, o.labels, o.signal);
      if (s === undefined) {
        aborted = true;
        break;
      }
      history.push(s);
      if (o.onEpoch?.(s) === false) break;
      if (o.signal?.aborted) aborted = true;
    }
    return { history, epochs: history.length, aborted };
  }

  /**
   * The trainer's resumable state (hyperparameters, counters, generator,
   * persistent chains) as JSON, as stored under `state.training`.
   *
   * @returns a JSON object
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * new BoltzmannMachineTrainer(new BoltzmannMachine(2)).saveState().epoch; // 0
   * ```
   */
  saveState(): JsonObject {
    const s = this.settings;
    return {
      options: {
        learningRate: typeof s.lr === 'number' ? s.lr : null,
        weightDecay: s.decay,
        clampedSamples: s.K,
        clampedBurnIn: s.clampedBurnIn,
        freeSamples: s.M,
        freeChains: s.nFreeChains,
        freeBurnIn: s.freeBurnIn,
        thin: s.thin,
        persistent: s.persistent,
        freeStart: s.freeStart,
        batchSize: s.batchSize ?? null,
        exactLogLikelihood: s.exactMode,
      },
      epoch: this.epoch,
      steps: this.steps,
      rng: randomStateToJson(this.rng.getState()),
      chains: this.persistentChains.map((c) => ({ state: Array.from(c.state), rng: randomStateToJson(c.random.getState()) })),
    };
  }

  /**
   * The model's document with this trainer's state under `state.training`, so
   * that {@link BoltzmannMachineTrainer.fromDocument} resumes training bit-exactly.
   *
   * @returns the document
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * new BoltzmannMachineTrainer(new BoltzmannMachine(2)).toDocument().state?.training; // { options, epoch, steps, rng, chains }
   * ```
   */
  toDocument(): ModelDocument {
    return this.model.toDocument(this.saveState());
  }

  /**
   * Restores a trainer and its model from a document written by
   * {@link BoltzmannMachineTrainer.toDocument}.
   *
   * @param doc - the parsed document
   * @param overrides - hyperparameters to change (e.g. a learning-rate schedule: functions are not saved)
   * @returns the trainer, whose `model` is the loaded machine
   * @throws {FormatError} when the document or its training state is malformed
   * @throws {TypeError} when `overrides` is not an object of trainer options (an unknown key names the closest valid one)
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMachineTrainer } from 'boltzmann';
   * const doc = new BoltzmannMachineTrainer(new BoltzmannMachine(2), { persistent: true }).toDocument();
   * BoltzmannMachineTrainer.fromDocument(JSON.parse(JSON.stringify(doc))).persistent; // true
   * ```
   */
  static fromDocument(doc: unknown, overrides?: BoltzmannMachineTrainerOptions): BoltzmannMachineTrainer {
    const model = BoltzmannMachine.fromDocument(doc);
    const d = checkDocument(doc, model.kind);
    const where = `load ${d.kind}`;
    const bad = (what: string, why?: string): never => {
      throw new FormatError(`${where}: state.training.${what} is missing or malformed${why === undefined ? '' : ` (${why})`}`);
    };
    const t = (d.state as JsonObject | undefined)?.training as JsonObject | undefined;
    if (t === undefined || t === null || typeof t !== 'object' || Array.isArray(t)) return bad('(object)');
    const opts = t.options as JsonObject;
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) bad('options');
    const num = (x: JsonValue | undefined): number | undefined => (typeof x === 'number' ? x : undefined);
    // an option is a number, or absent (null: saved as "none", e.g. a schedule or no batch size)
    const opt = (key: string): number | undefined => {
      const x = opts[key];
      if (x === undefined || x === null) return undefined;
      return typeof x === 'number' ? x : bad(`options.${key}`, `a number, got ${describeValue(x)}`);
    };
    if (overrides !== undefined) {
      if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
        throw new TypeError(`BoltzmannMachineTrainer.fromDocument: overrides must be an object of trainer options (got ${describeValue(overrides)})`);
      }
      checkKnownKeys('BoltzmannMachineTrainer.fromDocument', overrides, TRAINER_OPTION_KEYS);
    }
    const ex = opts.exactLogLikelihood;
    const options: BoltzmannMachineTrainerOptions = {
      learningRate: opt('learningRate'),
      weightDecay: opt('weightDecay'),
      clampedSamples: opt('clampedSamples'),
      clampedBurnIn: opt('clampedBurnIn'),
      freeSamples: opt('freeSamples'),
      freeChains: opt('freeChains'),
      freeBurnIn: opt('freeBurnIn'),
      thin: opt('thin'),
      persistent: opts.persistent === true,
      freeStart: opts.freeStart === 'random' || opts.freeStart === 'data' || opts.freeStart === 'persistent' ? opts.freeStart : undefined,
      batchSize: opt('batchSize'),
      exactLogLikelihood: ex === true || ex === false || ex === 'auto' ? ex : undefined,
    };
    if (overrides !== undefined && (overrides.persistent !== undefined || overrides.freeStart !== undefined)) {
      // the override decides where the free chains start
      options.persistent = undefined;
      options.freeStart = undefined;
    }
    let tr: BoltzmannMachineTrainer;
    try {
      tr = new BoltzmannMachineTrainer(model, { ...options, ...overrides, rng: Random.fromState(t.rng as unknown as RandomState) });
    } catch (e) {
      return bad('options/rng', errorMessage(e));
    }
    const epoch = num(t.epoch);
    const steps = num(t.steps);
    if (epoch === undefined || steps === undefined || !Number.isInteger(epoch) || !Number.isInteger(steps) || epoch < 0 || steps < 0) bad('epoch/steps');
    tr.epoch = epoch as number;
    tr.steps = steps as number;
    const chains = t.chains;
    if (chains !== undefined) {
      if (!Array.isArray(chains)) bad('chains', 'must be an array');
      const n = model.dimension;
      const list: BoltzmannMachineChain[] = [];
      try {
        for (const ch of chains as JsonValue[]) {
          const obj = ch as JsonObject;
          if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.state)) throw new Error('each chain needs a state array');
          const s = numberArray(where, 'chain state', obj.state);
          checkVector(where, 'chain state', s, n);
          checkAllFinite(where, 'chain state', s);
          list.push(model.createChain({ rng: Random.fromState(obj.rng as unknown as RandomState), initial: s }));
        }
      } catch (e) {
        return bad('chains', errorMessage(e));
      }
      tr.persistentChains = list;
    }
    return tr;
  }
}

