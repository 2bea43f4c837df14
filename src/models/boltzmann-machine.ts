/**
 * Boltzmann machines (Ackley, Hinton & Sejnowski 1985): binary units {0, 1}
 * split into visible, hidden and (optionally) one-hot label groups, dense
 * symmetric weights with a zero diagonal, biases and a temperature `T`:
 *
 * `E(s) = −½ sᵀWs − bᵀs`, `P(s) = exp(−E(s)/T) / Z`.
 *
 * Units are laid out `[visible | hidden | labels]`. The label group is one-hot:
 * the model's states are those with exactly one label unit on, weights between
 * label units are always zero (they never matter for a one-hot group), and the
 * label group is resampled as a block from its exact conditional
 * `P(c = k | rest) ∝ exp(h_k / T)` after each Gibbs sweep of the other units.
 *
 * Sampling runs the shared {@link QuadraticGibbs} sampler (sequential or random
 * scan, any subset of units clamped) and {@link anneal}; independent chains
 * draw from independent {@link Random.streams}; persistent chains survive
 * between calls and are saved with the model.
 * @module
 */
import { QuadraticEnergy } from '../energy/quadratic.js';
import { FormatError, ShapeError } from '../errors.js';
import {
  EXACT_MAX_UNITS,
  exactLogLikelihood,
  exactLogPartition,
  exactMoments,
  exactThermodynamics,
  type Thermodynamics,
} from '../energy/exact.js';
import { checkDocument, type JsonObject, type ModelDocument, readTensor, tensorToJson } from '../document.js';
import { argmaxRows, type Matrix, zeros } from '../linalg/matrix.js';
import { logSumExp } from '../linalg/stable.js';
import { exp } from '../math/elementary.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import { type AnnealOptions, type AnnealResult, anneal } from '../samplers/anneal.js';
import { QuadraticGibbs } from '../samplers/gibbs.js';
import { geometricSchedule, type Schedule } from '../samplers/schedules.js';
import type { Sampler, SamplerSnapshot } from '../samplers/types.js';
import {
  checkAllFinite,
  checkBinary,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkVector,
} from '../validate.js';

/** Options of the {@link BoltzmannMachine} constructor. */
export interface BoltzmannMachineOptions {
  /** Number of visible units (≥ 1). */
  nVisible: number;
  /** Number of hidden units. Default 0. */
  nHidden?: number;
  /** Number of one-hot label units (0, or ≥ 2). Default 0. */
  nLabels?: number;
  /** Temperature `T > 0`. Default 1. */
  temperature?: number;
  /** Gibbs scan order. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Standard deviation of the initial weights, `w_ij ~ N(0, initScale²)`; biases start at 0. Default 0.01. */
  initScale?: number;
  /** Seed or generator for initialisation and all later sampling. Default seed 0. */
  rng?: number | Random;
}

/** Options of {@link BoltzmannMachine.sample}. */
export interface BoltzmannSampleOptions {
  /** Independent chains, each from its own generator stream. Default 1. */
  nChains?: number;
  /** Samples recorded per chain. Default 1. */
  nSamples?: number;
  /** Sweeps discarded before the first sample. Default 100 for fresh chains, 0 for persistent chains. */
  burnIn?: number;
  /** Sweeps between recorded samples. Default 1. */
  thin?: number;
  /** Units held fixed (length n, non-zero = clamped). The label group must be clamped entirely or not at all. */
  clamp?: Uint8Array;
  /** Length-n binary state giving the clamped units' values (other entries are ignored). Required with `clamp`. */
  values?: Float64Array;
  /**
   * Continue the model's persistent chains instead of starting fresh ones
   * (no clamping). They are created on first use (or re-created when `nChains`
   * changes) and saved by {@link BoltzmannMachine.toDocument}.
   */
  persistent?: boolean;
  /** Temperature for this call. Default: the model's. */
  temperature?: number;
}

/** Result of {@link BoltzmannMachine.exactLogLikelihood}. */
export interface BoltzmannLikelihood {
  /** Mean log-likelihood (nats per pattern). */
  readonly logLikelihood: number;
  /** `log P(v)` (or `log P(v, c)`) of each row. */
  readonly perExample: Float64Array;
  /** `∂L/∂W`, `[n, n]` (zeros when the gradient was not requested). */
  readonly weights: Matrix;
  /** `∂L/∂b`, length `n`. */
  readonly bias: Float64Array;
}

/** Options of {@link BoltzmannMachine.complete}. */
export interface CompletionOptions {
  /** `'sample'`: Gibbs with the known units clamped, average the last `average` samples and threshold at ½; `'anneal'`: anneal the free units. Default `'sample'`. */
  method?: 'sample' | 'anneal';
  /** Sweeps before averaging (`'sample'`). Default 100. */
  burnIn?: number;
  /** Number of final samples averaged (`'sample'`; M = 1 outputs the last sample). Default 50. */
  average?: number;
  /** Annealing schedule (`'anneal'`). Default geometric from 4T down to 0.01T with α = 0.95. */
  schedule?: Schedule;
  /** Sweeps per temperature (`'anneal'`). Default 4. */
  sweepsPerTemperature?: number;
  /** Clamp the label group to this class while completing. */
  label?: number;
}

/** Result of {@link BoltzmannMachine.complete}. */
export interface CompletionResult {
  /** The completed visible vector (known units unchanged). */
  readonly visible: Float64Array;
  /** `'sample'`: the frequency of `s_i = 1` over the averaged samples; `'anneal'`: the final state. */
  readonly probabilities: Float64Array;
  /** The final full state of the chain. */
  readonly state: Float64Array;
}

/** Options of {@link BoltzmannMachine.classProbabilities}. */
export interface ClassifyOptions {
  /** `'exact'` (enumerate the hidden units; needs nHidden ≤ 24) or `'sample'` (Gibbs with v clamped). Default: exact when possible. */
  method?: 'exact' | 'sample';
  /** Sampled estimate: sweeps discarded. Default 50. */
  burnIn?: number;
  /** Sampled estimate: sweeps averaged. Default 200. */
  nSamples?: number;
}

/**
 * One Gibbs chain of a {@link BoltzmannMachine}: a {@link QuadraticGibbs}
 * sweep over the free non-label units followed, when the label group is free,
 * by a block draw of the one-hot label from `P(c = k | rest) ∝ exp(h_k/T)`.
 * Implements {@link Sampler}, so {@link runChain} and {@link anneal} run it.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine, runChain } from 'boltzmann';
 * const bm = new BoltzmannMachine({ nVisible: 4, nHidden: 2, rng: 1 });
 * runChain(bm.createChain(), { nSamples: 10, burnIn: 20 }).samples.length; // 60
 * ```
 */
export class BoltzmannMachineChain implements Sampler {
  /** Number of units. */
  readonly dimension: number;
  /** The underlying single-unit Gibbs sampler (labels are always in its clamp mask). */
  readonly gibbs: QuadraticGibbs;
  private readonly labelStart: number;
  private readonly nLabels: number;
  private readonly labelsFree: boolean;
  private readonly probs: Float64Array;

  /**
   * Use {@link BoltzmannMachine.createChain}.
   * @internal
   */
  constructor(
    model: BoltzmannMachine,
    clamp: Uint8Array,
    values: Float64Array | undefined,
    rng: Random,
    temperature: number,
    initial?: Float64Array,
  ) {
    const n = model.dimension;
    this.dimension = n;
    this.nLabels = model.nLabels;
    this.labelStart = model.nVisible + model.nHidden;
    this.labelsFree = this.nLabels > 0 && !clamp[this.labelStart];
    const gclamp = clamp.slice();
    for (let k = 0; k < this.nLabels; k++) gclamp[this.labelStart + k] = 1;
    this.probs = new Float64Array(this.nLabels);
    // initial state: uniform random free units, clamped values, a random one-hot label
    const init = new Float64Array(n);
    if (initial !== undefined) {
      checkBinary('BoltzmannMachineChain', 'initial', initial);
      checkOneHot('BoltzmannMachineChain', 'initial', initial, this.labelStart, this.nLabels);
      init.set(initial);
    } else for (let i = 0; i < this.labelStart; i++) init[i] = clamp[i] && values ? values[i] : rng.float64() < 0.5 ? 0 : 1;
    if (this.nLabels > 0 && initial === undefined) {
      if (this.labelsFree) init[this.labelStart + rng.int(this.nLabels)] = 1;
      else for (let k = 0; k < this.nLabels; k++) init[this.labelStart + k] = (values as Float64Array)[this.labelStart + k];
    }
    this.gibbs = new QuadraticGibbs(model.energyFunction, { temperature, scan: model.scan, clamp: gclamp, rng, initial: init });
  }

  /** The current state (live view). */
  get state(): Float64Array {
    return this.gibbs.state;
  }

  /** The temperature `T`. */
  get temperature(): number {
    return this.gibbs.temperature;
  }
  /** Sets the temperature (validated `T > 0`). */
  set temperature(t: number) {
    this.gibbs.temperature = t;
  }

  /** The generator this chain draws from. */
  get random(): Random {
    return this.gibbs.random;
  }

  /** Whether the one-hot label group is resampled (not clamped). */
  get labelsAreFree(): boolean {
    return this.labelsFree;
  }

  /**
   * Sets the state (binary; label group one-hot) and recomputes the fields.
   * @throws {RangeError | ShapeError} on an invalid state
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.setState(Float64Array.of(1, 0, 1, 0, 0, 0, 1)); // units [v v v | h h | c c]
   * ```
   */
  setState(x: Float64Array): void {
    checkVector('BoltzmannMachineChain.setState', 'x', x, this.dimension);
    checkBinary('BoltzmannMachineChain.setState', 'x', x);
    checkOneHot('BoltzmannMachineChain.setState', 'x', x, this.labelStart, this.nLabels);
    this.gibbs.setState(x);
  }

  /**
   * One sweep of the free units, then a block draw of the label group when it is free. Allocates nothing.
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.step(); chain.state; // a new binary state with a one-hot label
   * ```
   */
  step(): void {
    this.gibbs.step();
    if (this.labelsFree) this.drawLabel();
  }

  /**
   * Block-resamples the one-hot label group from its exact conditional `softmax(h_label / T)`.
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.drawLabel(); chain.state[5] + chain.state[6]; // 1
   * ```
   */
  drawLabel(): void {
    const g = this.gibbs;
    const K = this.nLabels;
    const l0 = this.labelStart;
    const invT = 1 / g.temperature;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) {
      const a = g.fields[l0 + k] * invT;
      this.probs[k] = a;
      if (a > mx) mx = a;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = exp(this.probs[k] - mx);
      this.probs[k] = e;
      sum += e;
    }
    let u = g.random.float64() * sum;
    let pick = K - 1;
    for (let k = 0; k < K; k++) {
      u -= this.probs[k];
      if (u < 0) {
        pick = k;
        break;
      }
    }
    for (let k = 0; k < K; k++) if (k !== pick && g.state[l0 + k] !== 0) g.setUnitUnchecked(l0 + k, 0);
    g.setUnitUnchecked(l0 + pick, 1);
  }

  /**
   * Writes the label posterior given everything else, `softmax(h_label / T)`, into `out`.
   * @internal
   */
  labelConditional(out: Float64Array): Float64Array {
    const g = this.gibbs;
    const invT = 1 / g.temperature;
    let mx = -Infinity;
    for (let k = 0; k < this.nLabels; k++) {
      out[k] = g.fields[this.labelStart + k] * invT;
      if (out[k] > mx) mx = out[k];
    }
    let sum = 0;
    for (let k = 0; k < this.nLabels; k++) {
      out[k] = exp(out[k] - mx);
      sum += out[k];
    }
    for (let k = 0; k < this.nLabels; k++) out[k] /= sum;
    return out;
  }

  /**
   * Recomputes the local fields after the model's weights changed.
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.refresh(); // after editing the model's weights in place
   * ```
   */
  refresh(): void {
    this.gibbs.refreshFields();
  }

  /**
   * Energy `E(s)` of the current state.
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.energy(); // a finite number
   * ```
   */
  energy(): number {
    return this.gibbs.energy();
  }

  /**
   * Saves state, temperature and generator (see {@link QuadraticGibbs.snapshot}).
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * const saved = chain.snapshot(); chain.step(); chain.restore(saved); // back where it was
   * ```
   */
  snapshot(): SamplerSnapshot {
    return this.gibbs.snapshot();
  }

  /**
   * Restores a snapshot of a chain of the same model and clamp mask.
   * @throws {FormatError} when the snapshot does not fit
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * const saved = chain.snapshot(); chain.step(); chain.restore(saved);
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    this.gibbs.restore(snapshot);
  }
}

function checkOneHot(where: string, name: string, x: ArrayLike<number>, start: number, K: number): void {
  checkBinary(where, name, x);
  if (K === 0) return;
  let on = 0;
  for (let k = 0; k < K; k++) on += x[start + k];
  if (on !== 1) throw new RangeError(`${where}: the label units of ${name} must be one-hot (got ${on} units on)`);
}

/**
 * A Boltzmann machine over binary units `[visible | hidden | labels]`.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine } from 'boltzmann';
 * const bm = new BoltzmannMachine({ nVisible: 4, nHidden: 2, rng: 7 });
 * const x = bm.sample({ nChains: 8, burnIn: 50 }); // Matrix [8, 6]
 * bm.logPartition(); // exact log Z (6 units)
 * ```
 */
export class BoltzmannMachine {
  /** Number of visible units. */
  readonly nVisible: number;
  /** Number of hidden units. */
  readonly nHidden: number;
  /** Number of one-hot label units (0 when unlabeled). */
  readonly nLabels: number;
  /** Total number of units `n = nVisible + nHidden + nLabels`. */
  readonly dimension: number;
  /** `[n, n]` symmetric weights, zero diagonal, zero between label units (updated in place by training). */
  readonly weights: Matrix;
  /** Length-`n` biases. */
  readonly bias: Float64Array;
  /** The energy `E(s) = −½ sᵀWs − bᵀs` over binary units (holds {@link weights} and {@link bias} by reference). */
  readonly energyFunction: QuadraticEnergy;
  /** Gibbs scan order. */
  readonly scan: 'sequential' | 'random';
  /** The generator behind initialisation and every sampling call (saved with the model). */
  rng: Random;
  private temp: number;
  private persistentChains: BoltzmannMachineChain[] = [];

  /**
   * @param options - sizes, temperature, scan, initial weight scale, seed
   * @throws {TypeError | RangeError} on bad options (e.g. `nLabels = 1`)
   */
  constructor(options: BoltzmannMachineOptions) {
    const where = 'BoltzmannMachine';
    const o = checkOptions(where, options);
    const nv = checkInt(where, 'nVisible', o.nVisible, 1);
    const nh = o.nHidden === undefined ? 0 : checkInt(where, 'nHidden', o.nHidden, 0);
    const nl = o.nLabels === undefined ? 0 : checkInt(where, 'nLabels', o.nLabels, 0);
    if (nl === 1) throw new RangeError(`${where}: nLabels must be 0 or at least 2 (got 1)`);
    const t = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    const scale = o.initScale === undefined ? 0.01 : checkNonNegative(where, 'initScale', o.initScale);
    const rng = toRandom(o.rng ?? 0, where);
    const n = nv + nh + nl;
    if (n > 4096) throw new RangeError(`${where}: total units must be at most 4096 (got ${n})`);
    this.nVisible = nv;
    this.nHidden = nh;
    this.nLabels = nl;
    this.dimension = n;
    this.scan = scan;
    this.temp = t;
    this.rng = rng;
    this.weights = zeros(n, n);
    this.bias = new Float64Array(n);
    const l0 = nv + nh;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (i >= l0 && j >= l0) continue;
        const v = scale === 0 ? 0 : scale * rng.normal();
        this.weights.data[i * n + j] = v;
        this.weights.data[j * n + i] = v;
      }
    }
    this.energyFunction = new QuadraticEnergy(this.weights, this.bias, 'binary');
  }

  /**
   * A machine with the given parameters (copied).
   *
   * @param weights - `[n, n]` symmetric, zero diagonal, finite; zero between label units
   * @param bias - length `n`
   * @param options - group sizes (must add up to `n`), temperature, scan, seed
   * @returns the machine
   * @throws {ShapeError | RangeError | TypeError} on bad parameters
   * @example
   * ```ts
   * import { BoltzmannMachine, fromArrays } from 'boltzmann';
   * const bm = BoltzmannMachine.fromParameters(fromArrays([[0, 2], [2, 0]]), Float64Array.of(-1, -1), { nVisible: 2 });
   * bm.energy(Float64Array.of(1, 1)); // -2 + 2 = 0
   * ```
   */
  static fromParameters(weights: Matrix, bias: Float64Array, options: BoltzmannMachineOptions): BoltzmannMachine {
    const where = 'BoltzmannMachine.fromParameters';
    const bm = new BoltzmannMachine({ ...(checkOptions(where, options) as BoltzmannMachineOptions), initScale: 0 });
    bm.setParameters(weights, bias);
    return bm;
  }

  /**
   * Replaces the weights and biases (copied, validated first; nothing changes on error).
   * Persistent chains are kept and their fields refreshed.
   *
   * @param weights - `[n, n]` symmetric, zero diagonal, finite, zero between label units
   * @param bias - length `n`, finite
   * @throws {ShapeError | RangeError | TypeError} on bad parameters
   * @example
   * ```ts
   * import { BoltzmannMachine, zeros } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 3 });
   * bm.setParameters(zeros(3, 3), new Float64Array(3));
   * ```
   */
  setParameters(weights: Matrix, bias: Float64Array): void {
    const where = 'BoltzmannMachine.setParameters';
    const n = this.dimension;
    checkMatrix(where, 'weights', weights, n, n);
    checkVector(where, 'bias', bias, n);
    // QuadraticEnergy validates symmetry, diagonal and finiteness
    new QuadraticEnergy({ rows: n, cols: n, data: weights.data }, bias, 'binary');
    const l0 = this.nVisible + this.nHidden;
    for (let i = l0; i < n; i++) {
      for (let j = l0; j < n; j++) {
        if (weights.data[i * n + j] !== 0) throw new RangeError(`${where}: weights between label units must be 0 (got ${weights.data[i * n + j]} at [${i}, ${j}])`);
      }
    }
    this.weights.data.set(weights.data);
    this.bias.set(bias);
    this.refreshChains();
  }

  /** The temperature `T`. Setting it validates `T > 0`. */
  get temperature(): number {
    return this.temp;
  }
  /** Sets the temperature (validated `T > 0`). */
  set temperature(t: number) {
    this.temp = checkPositive('BoltzmannMachine.temperature', 'temperature', t);
  }

  /** Index of the first hidden unit (`nVisible`). */
  get hiddenStart(): number {
    return this.nVisible;
  }

  /** Index of the first label unit (`nVisible + nHidden`). */
  get labelStart(): number {
    return this.nVisible + this.nHidden;
  }

  /** Number of persistent chains currently held. */
  get persistentChainCount(): number {
    return this.persistentChains.length;
  }

  /**
   * The energy `E(s) = −½ sᵀWs − bᵀs` of a full state.
   *
   * @param state - length `n`, binary; label group one-hot when there is one
   * @returns the energy
   * @throws {RangeError | ShapeError} on an invalid state
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 2, initScale: 0 }).energy(Float64Array.of(1, 1)); // 0
   * ```
   */
  energy(state: Float64Array): number {
    checkOneHot('BoltzmannMachine.energy', 'state', checkVector('BoltzmannMachine.energy', 'state', state, this.dimension), this.labelStart, this.nLabels);
    return this.energyFunction.energy(state);
  }

  /** Validates a clamp mask + values pair (labels all-or-nothing, one-hot). */
  private checkClampPair(where: string, clamp: Uint8Array | undefined, values: Float64Array | undefined): Uint8Array {
    const n = this.dimension;
    if (clamp === undefined) {
      if (values !== undefined) throw new TypeError(`${where}: values needs a clamp mask`);
      return new Uint8Array(n);
    }
    if (!(clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array`);
    if (clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${clamp.length})`);
    if (values === undefined) throw new TypeError(`${where}: values must be given with clamp`);
    checkVector(where, 'values', values, n);
    checkBinary(where, 'values', values);
    const l0 = this.labelStart;
    if (this.nLabels > 0) {
      const c0 = clamp[l0] ? 1 : 0;
      for (let k = 1; k < this.nLabels; k++) {
        if ((clamp[l0 + k] ? 1 : 0) !== c0) throw new RangeError(`${where}: the label units must be clamped all together or not at all`);
      }
      if (c0) checkOneHot(where, 'values', values, l0, this.nLabels);
    }
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = clamp[i] ? 1 : 0;
    return out;
  }

  /**
   * A new Gibbs chain (a {@link Sampler}) with optional clamped units, drawing from `rng`
   * (default: a generator split off the model's).
   *
   * @param options - clamp mask and values, generator, temperature
   * @returns the chain
   * @throws {TypeError | RangeError | ShapeError} on bad options
   * @example
   * ```ts
   * import { BoltzmannMachine, anneal, geometricSchedule } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 5, rng: 3 });
   * anneal(bm.createChain(), geometricSchedule(2, 0.9, 0.05)).bestEnergy;
   * ```
   */
  createChain(options?: { clamp?: Uint8Array; values?: Float64Array; rng?: number | Random; temperature?: number }): BoltzmannMachineChain {
    const where = 'BoltzmannMachine.createChain';
    const o = checkOptions(where, options);
    const clamp = this.checkClampPair(where, o.clamp, o.values);
    const t = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    const rng = o.rng === undefined ? this.rng.split() : toRandom(o.rng, where);
    return new BoltzmannMachineChain(this, clamp, o.values, rng, t);
  }

  /**
   * Draws samples by Gibbs sampling: `nChains` independent chains (independent
   * generator streams split off the model's generator), each run `burnIn`
   * sweeps and then recorded `nSamples` times, `thin` sweeps apart. With
   * `persistent: true` the model's persistent chains continue where they
   * stopped.
   *
   * @param options - chains, samples, burn-in, thinning, clamping, persistence, temperature
   * @returns `[nChains · nSamples, n]` full states, chain by chain
   * @throws {TypeError | RangeError | ShapeError} on bad options (before anything is drawn)
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 3, rng: 1 });
   * bm.sample({ nChains: 4, nSamples: 2, burnIn: 10 }).rows; // 8
   * ```
   */
  sample(options?: BoltzmannSampleOptions): Matrix {
    const where = 'BoltzmannMachine.sample';
    const o = checkOptions(where, options);
    const nChains = o.nChains === undefined ? 1 : checkInt(where, 'nChains', o.nChains, 1);
    const nSamples = o.nSamples === undefined ? 1 : checkInt(where, 'nSamples', o.nSamples, 1);
    const persistent = o.persistent ?? false;
    if (typeof persistent !== 'boolean') throw new TypeError(`${where}: persistent must be a boolean`);
    const burnIn = o.burnIn === undefined ? (persistent ? 0 : 100) : checkInt(where, 'burnIn', o.burnIn, 0);
    const thin = o.thin === undefined ? 1 : checkInt(where, 'thin', o.thin, 1);
    const t = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    if (persistent && o.clamp !== undefined) throw new RangeError(`${where}: persistent chains cannot be clamped`);
    const clamp = this.checkClampPair(where, o.clamp, o.values);
    if (!Number.isSafeInteger(nChains * nSamples * this.dimension) || nChains * nSamples * this.dimension > 2 ** 31) {
      throw new RangeError(`${where}: nChains · nSamples · n must be below 2^31 (got ${nChains * nSamples * this.dimension})`);
    }
    const chains = persistent ? this.getPersistentChains(nChains) : this.freshChains(nChains, clamp, o.values, t);
    const n = this.dimension;
    const out = zeros(nChains * nSamples, n);
    for (let c = 0; c < nChains; c++) {
      const ch = chains[c];
      ch.temperature = t;
      for (let s = 0; s < burnIn; s++) ch.step();
      for (let r = 0; r < nSamples; r++) {
        for (let s = 0; s < thin; s++) ch.step();
        out.data.set(ch.state, (c * nSamples + r) * n);
      }
    }
    return out;
  }

  /** Fresh chains from independent streams of a generator split off the model's. */
  private freshChains(nChains: number, clamp: Uint8Array, values: Float64Array | undefined, t: number): BoltzmannMachineChain[] {
    const streams = this.rng.split().streams(nChains);
    const out: BoltzmannMachineChain[] = [];
    for (let c = 0; c < nChains; c++) out.push(new BoltzmannMachineChain(this, clamp, values, streams[c], t));
    return out;
  }

  /**
   * The persistent chains (created or re-created with `nChains` chains when the count differs).
   * @internal
   */
  getPersistentChains(nChains: number): BoltzmannMachineChain[] {
    if (this.persistentChains.length !== nChains) {
      this.persistentChains = this.freshChains(nChains, new Uint8Array(this.dimension), undefined, this.temp);
    }
    return this.persistentChains;
  }

  /**
   * Drops the persistent chains (the next persistent call starts fresh ones).
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 3 });
   * bm.sample({ persistent: true, nChains: 2 });
   * bm.resetPersistentChains(); // bm.persistentChainCount === 0
   * ```
   */
  resetPersistentChains(): void {
    this.persistentChains = [];
  }

  /**
   * Recomputes the persistent chains' local fields after the weights changed in place.
   * @internal
   */
  refreshChains(): void {
    for (const c of this.persistentChains) c.refresh();
  }

  /**
   * Simulated annealing of the free units from a random state (the lecture's
   * schedule by default), with optional clamped units.
   *
   * @param options - schedule (default geometric 4T → 0.01T, α = 0.95), sweeps per temperature, clamping, generator
   * @returns the {@link AnnealResult} (best state seen and final state)
   * @throws {TypeError | RangeError | ShapeError} on bad options
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 6, initScale: 1, rng: 2 }).anneal().bestEnergy;
   * ```
   */
  anneal(
    options?: AnnealOptions & { schedule?: Schedule; clamp?: Uint8Array; values?: Float64Array; rng?: number | Random },
  ): AnnealResult {
    const where = 'BoltzmannMachine.anneal';
    const o = checkOptions(where, options);
    const chain = this.createChain({ clamp: o.clamp, values: o.values, rng: o.rng });
    const schedule = o.schedule ?? defaultSchedule(this.temp);
    return anneal(chain, schedule, { sweepsPerTemperature: o.sweepsPerTemperature, stopAfterUnchanged: o.stopAfterUnchanged, onStage: o.onStage });
  }

  /**
   * Pattern completion: clamp the known visible units (and optionally the
   * label), then either Gibbs-sample the rest and average the last `average`
   * samples (threshold ½, the lecture's retrieval), or anneal them.
   *
   * @param visible - length `nVisible` binary vector (the values of unknown units are ignored, but must still be 0/1)
   * @param known - length `nVisible` mask, non-zero = known
   * @param options - method, burn-in, averaging, schedule, label
   * @returns the {@link CompletionResult}
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 4, nHidden: 2, rng: 1 });
   * bm.complete(Float64Array.of(1, 1, 0, 0), Uint8Array.of(1, 1, 0, 0)).visible.length; // 4
   * ```
   */
  complete(visible: Float64Array, known: Uint8Array, options?: CompletionOptions): CompletionResult {
    const where = 'BoltzmannMachine.complete';
    const o = checkOptions(where, options);
    const nv = this.nVisible;
    checkVector(where, 'visible', visible, nv);
    if (!(known instanceof Uint8Array)) throw new TypeError(`${where}: known must be a Uint8Array`);
    if (known.length !== nv) throw new ShapeError(`${where}: known must have length ${nv} (got ${known.length})`);
    checkBinary(where, 'visible', visible);
    const method = o.method === undefined ? 'sample' : checkOneOf(where, 'method', o.method, ['sample', 'anneal'] as const);
    const burnIn = o.burnIn === undefined ? 100 : checkInt(where, 'burnIn', o.burnIn, 0);
    const average = o.average === undefined ? 50 : checkInt(where, 'average', o.average, 1);
    const n = this.dimension;
    const clamp = new Uint8Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < nv; i++) {
      if (known[i]) {
        clamp[i] = 1;
        values[i] = visible[i];
      }
    }
    if (o.label !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: label given but the machine has no label units`);
      const c = checkInt(where, 'label', o.label, 0, this.nLabels - 1);
      for (let k = 0; k < this.nLabels; k++) clamp[this.labelStart + k] = 1;
      values[this.labelStart + c] = 1;
    }
    const chain = this.createChain({ clamp, values });
    const probs = new Float64Array(nv);
    if (method === 'anneal') {
      const r = anneal(chain, o.schedule ?? defaultSchedule(this.temp), { sweepsPerTemperature: o.sweepsPerTemperature ?? 4 });
      for (let i = 0; i < nv; i++) probs[i] = r.bestState[i];
      chain.gibbs.setState(r.bestState);
    } else {
      for (let s = 0; s < burnIn; s++) chain.step();
      for (let s = 0; s < average; s++) {
        chain.step();
        for (let i = 0; i < nv; i++) probs[i] += chain.state[i];
      }
      for (let i = 0; i < nv; i++) probs[i] /= average;
    }
    const out = new Float64Array(nv);
    for (let i = 0; i < nv; i++) out[i] = known[i] ? visible[i] : probs[i] > 0.5 ? 1 : 0;
    return { visible: out, probabilities: probs, state: chain.state.slice() };
  }

  // -------------------------------------------------------------------------
  // Exact quantities (small machines)

  /** Clamp configurations whose sum is the model's distribution: one per label class (one-hot), or one with nothing clamped. */
  private components(baseClamp: Uint8Array, baseValues: Float64Array, label?: number): { clamp: Uint8Array; values: Float64Array }[] {
    if (this.nLabels === 0) return [{ clamp: baseClamp, values: baseValues }];
    const out: { clamp: Uint8Array; values: Float64Array }[] = [];
    const l0 = this.labelStart;
    for (let k = 0; k < this.nLabels; k++) {
      if (label !== undefined && k !== label) continue;
      const clamp = baseClamp.slice();
      const values = baseValues.slice();
      for (let j = 0; j < this.nLabels; j++) {
        clamp[l0 + j] = 1;
        values[l0 + j] = j === k ? 1 : 0;
      }
      out.push({ clamp, values });
    }
    return out;
  }

  private checkExactSize(where: string, nFree: number): void {
    if (nFree > EXACT_MAX_UNITS) {
      throw new RangeError(`${where}: exact enumeration is limited to ${EXACT_MAX_UNITS} free units (got ${nFree}); use sampling`);
    }
  }

  /**
   * Exact `log Z` by enumeration (label group restricted to one-hot states).
   *
   * @param temperature - default: the model's
   * @returns `log Z`
   * @throws {RangeError} when more than 24 non-label units
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 3, initScale: 0 }).logPartition(); // 3·log 2
   * ```
   */
  logPartition(temperature?: number): number {
    const where = 'BoltzmannMachine.logPartition';
    const t = temperature === undefined ? this.temp : checkPositive(where, 'temperature', temperature);
    this.checkExactSize(where, this.labelStart);
    const n = this.dimension;
    const comps = this.components(new Uint8Array(n), new Float64Array(n));
    const lz = comps.map((c) => exactLogPartition(this.energyFunction, { temperature: t, clamp: c.clamp, clampValues: c.values }));
    return logSumExp(lz);
  }

  /**
   * Exact thermodynamics at temperature `T` (unlabeled machines): `U`, `H`,
   * `F = U − T·H`, `−T log Z`, heat capacity.
   *
   * @param temperature - default: the model's
   * @returns the {@link Thermodynamics}
   * @throws {RangeError} for labeled machines or more than 24 units
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 4, initScale: 1 }).thermodynamics(2).freeEnergy;
   * ```
   */
  thermodynamics(temperature?: number): Thermodynamics {
    const where = 'BoltzmannMachine.thermodynamics';
    if (this.nLabels > 0) throw new RangeError(`${where}: not available for machines with label units (nLabels = ${this.nLabels})`);
    const t = temperature === undefined ? this.temp : checkPositive(where, 'temperature', temperature);
    return exactThermodynamics(this.energyFunction, { temperature: t });
  }

  private checkData(where: string, data: Matrix, labels: ArrayLike<number> | undefined): void {
    checkMatrix(where, 'data', data, undefined, this.nVisible);
    if (data.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
    checkBinary(where, 'data', data.data);
    if (labels !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: labels given but the machine has no label units`);
      if (labels.length !== data.rows) throw new ShapeError(`${where}: labels must have length ${data.rows} (got ${labels.length})`);
      for (let r = 0; r < labels.length; r++) checkInt(where, `labels[${r}]`, labels[r], 0, this.nLabels - 1);
    }
  }

  /**
   * Exact mean log-likelihood `(1/N) Σ log P(v)` of the rows of `data` (hidden
   * and label units summed out), or `(1/N) Σ log P(v, c)` when `labels` are
   * given; with its exact gradient `∂L/∂W`, `∂L/∂b` (zero on the diagonal and
   * between label units).
   *
   * @param data - `[N, nVisible]` binary
   * @param labels - optional class of each row (labeled machines)
   * @param options - `gradient: false` skips the gradient
   * @returns mean log-likelihood (nats) and gradient
   * @throws {RangeError | ShapeError} on bad data or more than 24 non-label units
   * @example
   * ```ts
   * import { BoltzmannMachine, fromArrays } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 2, nHidden: 1, initScale: 0 });
   * bm.exactLogLikelihood(fromArrays([[1, 0]])).logLikelihood; // 2·log ½
   * ```
   */
  exactLogLikelihood(
    data: Matrix,
    labels?: ArrayLike<number>,
    options?: { gradient?: boolean },
  ): BoltzmannLikelihood {
    const where = 'BoltzmannMachine.exactLogLikelihood';
    this.checkData(where, data, labels);
    const withGrad = checkOptions(where, options).gradient ?? true;
    const n = this.dimension;
    const nv = this.nVisible;
    const t = this.temp;
    this.checkExactSize(where, this.labelStart);
    if (this.nLabels === 0) {
      const vis = Array.from({ length: nv }, (_, i) => i);
      const r = exactLogLikelihood(this.energyFunction, data, vis, { temperature: t, gradient: withGrad });
      return { logLikelihood: r.logLikelihood, perExample: r.perExample, weights: r.weights, bias: r.bias };
    }
    // labeled: mixture over the one-hot label components
    const e = this.energyFunction;
    const mixMoments = (comps: { clamp: Uint8Array; values: Float64Array }[], weight: number, mean: Float64Array, corr: Float64Array): number => {
      const lz = comps.map((c) => exactLogPartition(e, { temperature: t, clamp: c.clamp, clampValues: c.values }));
      const total = logSumExp(lz);
      if (withGrad) {
        for (let k = 0; k < comps.length; k++) {
          const w = weight * exp(lz[k] - total);
          const m = exactMoments(e, { temperature: t, clamp: comps[k].clamp, clampValues: comps[k].values });
          for (let i = 0; i < n; i++) mean[i] += w * m.mean[i];
          for (let i = 0; i < n * n; i++) corr[i] += w * m.correlation.data[i];
        }
      }
      return total;
    };
    const modelMean = new Float64Array(n);
    const modelCorr = new Float64Array(n * n);
    const dataMean = new Float64Array(n);
    const dataCorr = new Float64Array(n * n);
    const logZ = mixMoments(this.components(new Uint8Array(n), new Float64Array(n)), 1, modelMean, modelCorr);
    const perExample = new Float64Array(data.rows);
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    let ll = 0;
    for (let r = 0; r < data.rows; r++) {
      const values = new Float64Array(n);
      values.set(data.data.subarray(r * nv, (r + 1) * nv));
      const comps = this.components(clamp, values, labels === undefined ? undefined : labels[r]);
      const lzr = mixMoments(comps, 1 / data.rows, dataMean, dataCorr);
      perExample[r] = lzr - logZ;
      ll += perExample[r];
    }
    const gw = zeros(n, n);
    const gb = new Float64Array(n);
    if (withGrad) {
      const l0 = this.labelStart;
      for (let i = 0; i < n; i++) {
        gb[i] = (dataMean[i] - modelMean[i]) / t;
        for (let j = 0; j < n; j++) {
          if (i === j || (i >= l0 && j >= l0)) continue;
          gw.data[i * n + j] = (dataCorr[i * n + j] - modelCorr[i * n + j]) / t;
        }
      }
    }
    return { logLikelihood: ll / data.rows, perExample, weights: gw, bias: gb };
  }

  /**
   * Exact marginal distribution of the visible units, `P(v)` for all `2^nVisible`
   * vectors (bit `i` of the index is visible unit `i`), hidden and label units summed out.
   *
   * @returns `Float64Array` of `2^nVisible` probabilities
   * @throws {RangeError} when more than 24 non-label units
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 2, nHidden: 1, initScale: 0 }).visibleDistribution(); // [0.25, 0.25, 0.25, 0.25]
   * ```
   */
  visibleDistribution(): Float64Array {
    const where = 'BoltzmannMachine.visibleDistribution';
    this.checkExactSize(where, this.labelStart);
    const nv = this.nVisible;
    const data = zeros(2 ** nv, nv);
    for (let k = 0; k < 2 ** nv; k++) for (let i = 0; i < nv; i++) data.data[k * nv + i] = (k >>> i) & 1;
    const lp = this.exactLogLikelihood(data, undefined, { gradient: false }).perExample;
    return lp.map(exp);
  }

  /**
   * Class posterior `P(c | v)` for each row: exact (enumerating the hidden
   * units with `v` and each class clamped: `P(c|v) ∝ Σ_h exp(−E(v, h, c)/T)`)
   * or sampled (Gibbs over hidden and label units with `v` clamped, averaging
   * the exact label conditional `softmax(h_label/T)` over the chain — a
   * Rao-Blackwellised estimate).
   *
   * @param data - `[N, nVisible]` binary
   * @param options - method, burn-in and samples for the sampled estimate
   * @returns `[N, nLabels]` probabilities (rows sum to 1)
   * @throws {RangeError} for an unlabeled machine, or `'exact'` with more than 24 hidden units
   * @example
   * ```ts
   * import { BoltzmannMachine, fromArrays } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 2, nHidden: 1, nLabels: 2, rng: 1 });
   * bm.classProbabilities(fromArrays([[1, 0]])).data; // ≈ [0.5, 0.5] before training
   * ```
   */
  classProbabilities(data: Matrix, options?: ClassifyOptions): Matrix {
    const where = 'BoltzmannMachine.classProbabilities';
    if (this.nLabels === 0) throw new RangeError(`${where}: the machine has no label units`);
    this.checkData(where, data, undefined);
    const o = checkOptions(where, options);
    const method =
      o.method === undefined ? (this.nHidden <= 16 ? 'exact' : 'sample') : checkOneOf(where, 'method', o.method, ['exact', 'sample'] as const);
    const burnIn = o.burnIn === undefined ? 50 : checkInt(where, 'burnIn', o.burnIn, 0);
    const nSamples = o.nSamples === undefined ? 200 : checkInt(where, 'nSamples', o.nSamples, 1);
    if (method === 'exact') this.checkExactSize(where, this.nHidden);
    const n = this.dimension;
    const nv = this.nVisible;
    const K = this.nLabels;
    const out = zeros(data.rows, K);
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    const values = new Float64Array(n);
    const lz = new Float64Array(K);
    const cond = new Float64Array(K);
    for (let r = 0; r < data.rows; r++) {
      values.fill(0);
      values.set(data.data.subarray(r * nv, (r + 1) * nv));
      if (method === 'exact') {
        const comps = this.components(clamp, values);
        for (let k = 0; k < K; k++) lz[k] = exactLogPartition(this.energyFunction, { temperature: this.temp, clamp: comps[k].clamp, clampValues: comps[k].values });
        const total = logSumExp(lz);
        for (let k = 0; k < K; k++) out.data[r * K + k] = exp(lz[k] - total);
      } else {
        const chain = this.createChain({ clamp, values });
        for (let s = 0; s < burnIn; s++) chain.step();
        for (let s = 0; s < nSamples; s++) {
          chain.gibbs.step();
          chain.labelConditional(cond);
          for (let k = 0; k < K; k++) out.data[r * K + k] += cond[k] / nSamples;
          chain.drawLabel();
        }
      }
    }
    return out;
  }

  /**
   * The most probable class of each row under {@link BoltzmannMachine.classProbabilities}.
   *
   * @param data - `[N, nVisible]` binary
   * @param options - as for {@link BoltzmannMachine.classProbabilities}
   * @returns `Int32Array` of classes
   * @throws {RangeError} for an unlabeled machine
   * @example
   * ```ts
   * import { BoltzmannMachine, fromArrays } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 2, nLabels: 2 }).predict(fromArrays([[1, 0]])).length; // 1
   * ```
   */
  predict(data: Matrix, options?: ClassifyOptions): Int32Array {
    return argmaxRows(this.classProbabilities(data, options));
  }

  /**
   * Conditional generation: visible samples with the label clamped to `label`
   * (Gibbs over visible and hidden units).
   *
   * @param label - class in `[0, nLabels)`
   * @param options - chains, samples, burn-in, thinning
   * @returns `[nChains · nSamples, nVisible]` visible samples
   * @throws {RangeError} for an unlabeled machine or a bad label
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 4, nLabels: 2 }).generate(1, { nChains: 3 }).rows; // 3
   * ```
   */
  generate(label: number, options?: Omit<BoltzmannSampleOptions, 'clamp' | 'values' | 'persistent'>): Matrix {
    const where = 'BoltzmannMachine.generate';
    if (this.nLabels === 0) throw new RangeError(`${where}: the machine has no label units`);
    const c = checkInt(where, 'label', label, 0, this.nLabels - 1);
    const n = this.dimension;
    const clamp = new Uint8Array(n);
    const values = new Float64Array(n);
    for (let k = 0; k < this.nLabels; k++) clamp[this.labelStart + k] = 1;
    values[this.labelStart + c] = 1;
    const full = this.sample({ ...checkOptions(where, options), clamp, values, persistent: false });
    return visiblePart(full, this.nVisible);
  }

  // -------------------------------------------------------------------------
  // Saving and loading

  /**
   * The model as a versioned JSON document (kind `'boltzmann-machine'`), with
   * the generator and persistent chains in `state` so sampling and training
   * resume bit-exactly.
   *
   * @returns the {@link ModelDocument}
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine({ nVisible: 3 }).toDocument().kind; // 'boltzmann-machine'
   * ```
   */
  toDocument(): ModelDocument {
    const n = this.dimension;
    const chains = this.persistentChains.map((c) => ({ state: Array.from(c.state), rng: randomStateToJson(c.random.getState()) }));
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'boltzmann-machine',
      config: {
        nVisible: this.nVisible,
        nHidden: this.nHidden,
        nLabels: this.nLabels,
        temperature: this.temp,
        scan: this.scan,
      },
      tensors: {
        weights: tensorToJson({ shape: [n, n], data: this.weights.data }),
        bias: tensorToJson({ shape: [n], data: this.bias }),
      },
      state: { rng: randomStateToJson(this.rng.getState()), chains },
    };
  }

  /**
   * Loads a machine saved by {@link BoltzmannMachine.toDocument}.
   *
   * @param doc - the parsed JSON document
   * @returns the machine, with its generator and persistent chains restored
   * @throws {FormatError} when the document is malformed
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine({ nVisible: 3, nHidden: 1 });
   * BoltzmannMachine.fromDocument(JSON.parse(JSON.stringify(bm.toDocument()))).nHidden; // 1
   * ```
   */
  static fromDocument(doc: unknown): BoltzmannMachine {
    const d = checkDocument(doc, 'boltzmann-machine');
    const where = 'load boltzmann-machine';
    const c = d.config;
    const int = (name: string, min: number): number => {
      const v = c[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 4096) {
        throw new FormatError(`${where}: config.${name} must be an integer in [${min}, 4096] (got ${String(v)})`);
      }
      return v;
    };
    const nv = int('nVisible', 1);
    const nh = int('nHidden', 0);
    const nl = int('nLabels', 0);
    const t = c.temperature;
    if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) throw new FormatError(`${where}: config.temperature must be a positive number`);
    const scan = c.scan;
    if (scan !== 'sequential' && scan !== 'random') throw new FormatError(`${where}: config.scan must be 'sequential' or 'random'`);
    const n = nv + nh + nl;
    const w = readTensor(d, 'weights', [n, n]);
    const b = readTensor(d, 'bias', [n]);
    let bm: BoltzmannMachine;
    try {
      bm = new BoltzmannMachine({ nVisible: nv, nHidden: nh, nLabels: nl, temperature: t, scan, initScale: 0 });
      bm.setParameters({ rows: n, cols: n, data: w.data }, b.data);
    } catch (e) {
      throw new FormatError(`${where}: ${(e as Error).message}`);
    }
    const st = d.state;
    if (st !== undefined) {
      try {
        if (st.rng !== undefined) bm.rng = Random.fromState(st.rng as unknown as RandomState);
        const chains = st.chains;
        if (chains !== undefined) {
          if (!Array.isArray(chains)) throw new Error('state.chains must be an array');
          const list: BoltzmannMachineChain[] = [];
          for (const ch of chains) {
            const obj = ch as JsonObject;
            if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.state)) throw new Error('each chain needs a state array');
            const s = Float64Array.from(obj.state as number[]);
            checkVector(where, 'chain state', s, n);
            checkAllFinite(where, 'chain state', s);
            const chain = new BoltzmannMachineChain(bm, new Uint8Array(n), undefined, Random.fromState(obj.rng as unknown as RandomState), t, s);
            list.push(chain);
          }
          bm.persistentChains = list;
        }
      } catch (e) {
        throw new FormatError(`${where}: ${(e as Error).message}`);
      }
    }
    return bm;
  }
}

function randomStateToJson(s: RandomState): JsonObject {
  return { algorithm: s.algorithm, words: s.words.slice(), spareNormal: s.spareNormal };
}

function defaultSchedule(t: number): Schedule {
  return geometricSchedule(4 * t, 0.95, 0.01 * t);
}

/** The first `nVisible` columns of a `[rows, n]` matrix, copied. */
function visiblePart(full: Matrix, nv: number): Matrix {
  const out = zeros(full.rows, nv);
  for (let r = 0; r < full.rows; r++) out.data.set(full.data.subarray(r * full.cols, r * full.cols + nv), r * nv);
  return out;
}
