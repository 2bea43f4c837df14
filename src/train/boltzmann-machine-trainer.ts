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
 *   lecture), or from persistent chains carried across updates.
 *
 * Update: `w_ij ← w_ij + η (∂L/∂w_ij − λ w_ij)`, `b_i ← b_i + η ∂L/∂b_i`, with
 * learning rate `η` (a number or a schedule over epochs) and weight decay `λ`.
 * At `T = 1` this is exactly the lecture's `Δw_ij = η(⟨s_i s_j⟩_clamped − ⟨s_i s_j⟩_free)`.
 * Every random choice comes from the model's generator, so the same seed gives
 * bit-identical weights and a saved model resumes exactly.
 * @module
 */
import { NumericalError, ShapeError } from '../errors.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import type { BoltzmannMachine, BoltzmannMachineChain } from '../models/boltzmann-machine.js';
import type { SamplerSnapshot } from '../samplers/types.js';
import { checkBinary, checkInt, checkMatrix, checkNonNegative, checkOptions, checkPositive } from '../validate.js';

/** Options of {@link BoltzmannMLTrainer}. */
export interface BoltzmannMLOptions {
  /** Learning rate `η`, or a schedule `epoch => η` (epochs count from 0). Default 0.05. */
  learningRate?: number | ((epoch: number) => number);
  /** L2 weight decay `λ` (weights only, not biases). Default 0. */
  weightDecay?: number;
  /** `K`: clamped-phase samples per pattern. Default 10. */
  clampedSamples?: number;
  /** Clamped-phase sweeps discarded per pattern before the first sample. Default 10. */
  clampedBurnIn?: number;
  /** `M`: free-phase samples per update, split evenly over {@link BoltzmannMLOptions.freeChains}. Default 100. */
  freeSamples?: number;
  /** Free-phase chains (independent streams). Default 10. */
  freeChains?: number;
  /** Free-phase sweeps discarded before the first sample. Default 50 for fresh chains, 1 for persistent chains. */
  freeBurnIn?: number;
  /** Sweeps between recorded samples in both phases. Default 1. */
  thin?: number;
  /** Use the model's persistent chains for the free phase (saved with the model). Default false. */
  persistent?: boolean;
  /** Patterns per update; default all of them (full-batch, as in the lecture). */
  batchSize?: number;
  /** Compute the exact log-likelihood after each epoch: `'auto'` when the machine has ≤ 20 non-label units. Default `'auto'`. */
  exactLogLikelihood?: boolean | 'auto';
}

/** A sampled estimate of the log-likelihood gradient and the statistics behind it. */
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

/** Statistics of one training epoch. */
export interface BoltzmannEpochStats {
  /** Epoch index (from 0). */
  readonly epoch: number;
  /** The learning rate used. */
  readonly learningRate: number;
  /** Number of parameter updates in the epoch. */
  readonly updates: number;
  /** Root-mean-square of the last update's weight gradient entries. */
  readonly gradientRms: number;
  /** Exact mean log-likelihood (nats per pattern) after the epoch, or `undefined` when not computed. */
  readonly logLikelihood: number | undefined;
  /** Wall-clock seconds the epoch took (without the exact log-likelihood). */
  readonly seconds: number;
}

/**
 * Trains a {@link BoltzmannMachine} by the lecture's maximum-likelihood rule.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine, BoltzmannMLTrainer, barsAndStripes } from 'boltzmann';
 * const data = barsAndStripes(3).data;
 * const bm = new BoltzmannMachine({ nVisible: 9, nHidden: 4, rng: 1 });
 * const trainer = new BoltzmannMLTrainer(bm, { learningRate: 0.1 });
 * const history = trainer.fit(data, undefined, { epochs: 5 });
 * history[4].logLikelihood; // exact, nats per pattern
 * ```
 */
export class BoltzmannMLTrainer {
  /** The model being trained (updated in place). */
  readonly model: BoltzmannMachine;
  /** Epochs completed. */
  epoch = 0;
  private readonly lr: number | ((epoch: number) => number);
  private readonly decay: number;
  private readonly K: number;
  private readonly clampedBurnIn: number;
  private readonly M: number;
  private readonly nFreeChains: number;
  private readonly freeBurnIn: number;
  private readonly thin: number;
  private readonly persistent: boolean;
  private readonly batchSize: number | undefined;
  private readonly exactMode: boolean | 'auto';
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
   * @param options - see {@link BoltzmannMLOptions}
   * @throws {TypeError | RangeError} on bad options
   */
  constructor(model: BoltzmannMachine, options?: BoltzmannMLOptions) {
    const where = 'BoltzmannMLTrainer';
    if (model === null || typeof model !== 'object' || !(model.bias instanceof Float64Array) || typeof model.createChain !== 'function') {
      throw new TypeError(`${where}: model must be a BoltzmannMachine`);
    }
    const o = checkOptions(where, options);
    if (typeof o.learningRate === 'function') this.lr = o.learningRate;
    else this.lr = o.learningRate === undefined ? 0.05 : checkPositive(where, 'learningRate', o.learningRate);
    this.decay = o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay);
    this.K = o.clampedSamples === undefined ? 10 : checkInt(where, 'clampedSamples', o.clampedSamples, 1);
    this.clampedBurnIn = o.clampedBurnIn === undefined ? 10 : checkInt(where, 'clampedBurnIn', o.clampedBurnIn, 0);
    this.nFreeChains = o.freeChains === undefined ? 10 : checkInt(where, 'freeChains', o.freeChains, 1);
    this.M = o.freeSamples === undefined ? 100 : checkInt(where, 'freeSamples', o.freeSamples, 1);
    if (this.M % this.nFreeChains !== 0) {
      throw new RangeError(`${where}: freeSamples must be a multiple of freeChains (got ${this.M} and ${this.nFreeChains})`);
    }
    if (o.persistent !== undefined && typeof o.persistent !== 'boolean') throw new TypeError(`${where}: persistent must be a boolean`);
    this.persistent = o.persistent ?? false;
    this.freeBurnIn = o.freeBurnIn === undefined ? (this.persistent ? 1 : 50) : checkInt(where, 'freeBurnIn', o.freeBurnIn, 0);
    this.thin = o.thin === undefined ? 1 : checkInt(where, 'thin', o.thin, 1);
    this.batchSize = o.batchSize === undefined ? undefined : checkInt(where, 'batchSize', o.batchSize, 1);
    const ex = o.exactLogLikelihood ?? 'auto';
    if (ex !== 'auto' && typeof ex !== 'boolean') throw new TypeError(`${where}: exactLogLikelihood must be a boolean or 'auto'`);
    this.exactMode = ex;
    this.model = model;
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

  /** The learning rate at an epoch (validated). */
  private rateAt(epoch: number): number {
    const v = typeof this.lr === 'function' ? this.lr(epoch) : this.lr;
    return checkPositive('BoltzmannMLTrainer', `learningRate(${epoch})`, v);
  }

  private checkData(where: string, data: Matrix, labels: ArrayLike<number> | undefined): void {
    const m = this.model;
    checkMatrix(where, 'data', data, undefined, m.nVisible);
    if (data.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
    checkBinary(where, 'data', data.data);
    if (labels !== undefined) {
      if (m.nLabels === 0) throw new RangeError(`${where}: labels given but the machine has no label units`);
      if (labels.length !== data.rows) throw new ShapeError(`${where}: labels must have length ${data.rows} (got ${labels.length})`);
      for (let r = 0; r < labels.length; r++) checkInt(where, `labels[${r}]`, labels[r], 0, m.nLabels - 1);
    }
  }

  /** Adds `weight · s` and `weight · s sᵀ` (upper triangle) for a binary state. */
  private accumulate(s: Float64Array, weight: number, mean: Float64Array, corr: Float64Array): void {
    const n = s.length;
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
    const values = new Float64Array(n);
    if (labels !== undefined) {
      for (let k = 0; k < K; k++) clamp[l0 + k] = 1;
      values[l0] = 1;
    }
    const chain = m.createChain({ clamp, values });
    const rng = chain.random;
    const s = this.state;
    const wData = 1 / (rows.length * this.K);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let i = 0; i < nv; i++) s[i] = data.data[row * nv + i];
      for (let i = nv; i < l0; i++) s[i] = rng.float64() < 0.5 ? 0 : 1;
      if (K > 0) {
        for (let k = 0; k < K; k++) s[l0 + k] = 0;
        s[l0 + (labels !== undefined ? labels[row] : rng.int(K))] = 1;
      }
      chain.gibbs.setState(s);
      for (let t = 0; t < this.clampedBurnIn; t++) chain.step();
      for (let k = 0; k < this.K; k++) {
        for (let t = 0; t < this.thin; t++) chain.step();
        this.accumulate(chain.state, wData, this.dMean, this.dCorr);
      }
    }
    // free phase
    const perChain = this.M / this.nFreeChains;
    const wModel = 1 / this.M;
    let chains: BoltzmannMachineChain[];
    if (this.persistent) chains = m.getPersistentChains(this.nFreeChains);
    else {
      const streams = m.rng.split().streams(this.nFreeChains);
      chains = streams.map((g) => m.createChain({ rng: g }));
    }
    for (const c of chains) {
      c.temperature = m.temperature;
      for (let t = 0; t < this.freeBurnIn; t++) c.step();
      for (let k = 0; k < perChain; k++) {
        for (let t = 0; t < this.thin; t++) c.step();
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
   * @param labels - optional class per row (clamped in the clamped phase)
   * @returns the {@link BoltzmannGradient}
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMLTrainer, fromArrays } from 'boltzmann';
   * const t = new BoltzmannMLTrainer(new BoltzmannMachine({ nVisible: 2, nHidden: 1 }));
   * t.estimateGradient(fromArrays([[1, 0]])).bias.length; // 3
   * ```
   */
  estimateGradient(data: Matrix, labels?: ArrayLike<number>): BoltzmannGradient {
    this.checkData('BoltzmannMLTrainer.estimateGradient', data, labels);
    const rows = Uint32Array.from({ length: data.rows }, (_, i) => i);
    this.gradientInto(data, labels, rows);
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
   * One update on the given rows: estimate the gradient, form the new
   * parameters in scratch, check they are finite, then commit. On a non-finite
   * result the model (parameters, generator, persistent chains) is restored and
   * a {@link NumericalError} is thrown.
   *
   * @param data - `[N, nVisible]` binary patterns
   * @param labels - optional class per row
   * @param rows - which rows form the batch (default all)
   * @returns root-mean-square of the weight gradient
   * @throws {NumericalError} when the update is not finite (model unchanged)
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMLTrainer, fromArrays } from 'boltzmann';
   * const t = new BoltzmannMLTrainer(new BoltzmannMachine({ nVisible: 2 }));
   * t.step(fromArrays([[1, 1]]));
   * ```
   */
  step(data: Matrix, labels?: ArrayLike<number>, rows?: ArrayLike<number>): number {
    const where = 'BoltzmannMLTrainer.step';
    this.checkData(where, data, labels);
    let batch: ArrayLike<number>;
    if (rows === undefined) batch = Uint32Array.from({ length: data.rows }, (_, i) => i);
    else {
      if (rows.length < 1) throw new RangeError(`${where}: rows must not be empty`);
      for (let k = 0; k < rows.length; k++) checkInt(where, `rows[${k}]`, rows[k], 0, data.rows - 1);
      batch = rows;
    }
    const eta = this.rateAt(this.epoch);
    return this.update(where, data, labels, batch, eta);
  }

  private update(where: string, data: Matrix, labels: ArrayLike<number> | undefined, rows: ArrayLike<number>, eta: number): number {
    const m = this.model;
    const n = m.dimension;
    const rngState = m.rng.getState();
    const snaps: SamplerSnapshot[] = this.persistent ? m.getPersistentChains(this.nFreeChains).map((c) => c.snapshot()) : [];
    const rollback = (): void => {
      m.rng.setState(rngState);
      if (this.persistent) {
        const chains = m.getPersistentChains(this.nFreeChains);
        for (let c = 0; c < chains.length; c++) chains[c].restore(snaps[c]);
      }
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
        const v = w[k] + eta * (this.gW[k] - this.decay * w[k]);
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
    m.refreshChains();
    return Math.sqrt(sq / Math.max(1, n * (n - 1)));
  }

  /**
   * One epoch: the data in batches (shuffled by the model's generator when
   * `batchSize` is smaller than the data), one update per batch, then the
   * exact log-likelihood when enabled.
   *
   * @param data - `[N, nVisible]` binary patterns
   * @param labels - optional class per row
   * @returns the {@link BoltzmannEpochStats}
   * @throws {NumericalError} when an update is not finite (that update is not applied)
   * @throws {TypeError | RangeError | ShapeError} on bad data
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMLTrainer, fromArrays } from 'boltzmann';
   * const t = new BoltzmannMLTrainer(new BoltzmannMachine({ nVisible: 2 }));
   * t.trainEpoch(fromArrays([[1, 1], [0, 0]])).logLikelihood; // exact, nats
   * ```
   */
  trainEpoch(data: Matrix, labels?: ArrayLike<number>): BoltzmannEpochStats {
    const where = 'BoltzmannMLTrainer.trainEpoch';
    this.checkData(where, data, labels);
    const eta = this.rateAt(this.epoch);
    const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    const N = data.rows;
    const bs = this.batchSize === undefined || this.batchSize >= N ? N : this.batchSize;
    const order = bs === N ? Uint32Array.from({ length: N }, (_, i) => i) : this.model.rng.permutation(N);
    let updates = 0;
    let rms = 0;
    for (let start = 0; start < N; start += bs) {
      rms = this.update(where, data, labels, order.subarray(start, Math.min(N, start + bs)), eta);
      updates++;
    }
    const seconds = ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000;
    const exact = this.exactMode === 'auto' ? this.model.labelStart <= 20 : this.exactMode;
    const ll = exact ? this.model.exactLogLikelihood(data, labels, { gradient: false }).logLikelihood : undefined;
    const stats: BoltzmannEpochStats = { epoch: this.epoch, learningRate: eta, updates, gradientRms: rms, logLikelihood: ll, seconds };
    this.epoch++;
    return stats;
  }

  /**
   * Trains for `epochs` epochs.
   *
   * @param data - `[N, nVisible]` binary patterns
   * @param labels - optional class per row
   * @param options - `epochs` (default 10) and an `onEpoch` callback
   * @returns the statistics of every epoch
   * @throws {NumericalError} when an update is not finite
   * @throws {TypeError | RangeError | ShapeError} on bad data or options
   * @example
   * ```ts
   * import { BoltzmannMachine, BoltzmannMLTrainer, barsAndStripes } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 9, nHidden: 3 });
   * new BoltzmannMLTrainer(bm).fit(barsAndStripes(3).data, undefined, { epochs: 2 }).length; // 2
   * ```
   */
  fit(
    data: Matrix,
    labels?: ArrayLike<number>,
    options?: { epochs?: number; onEpoch?: (stats: BoltzmannEpochStats) => void },
  ): BoltzmannEpochStats[] {
    const where = 'BoltzmannMLTrainer.fit';
    const o = checkOptions(where, options);
    const epochs = o.epochs === undefined ? 10 : checkInt(where, 'epochs', o.epochs, 0);
    this.checkData(where, data, labels);
    const out: BoltzmannEpochStats[] = [];
    for (let e = 0; e < epochs; e++) {
      const s = this.trainEpoch(data, labels);
      out.push(s);
      o.onEpoch?.(s);
    }
    return out;
  }
}
