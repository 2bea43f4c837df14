/**
 * Boltzmann machines (Ackley, Hinton & Sejnowski 1985): binary units {0, 1}
 * (or, with `units: 'spin'`, ±1 units) split into visible, hidden and
 * (optionally, binary machines only) one-hot label groups, dense symmetric
 * weights with a zero diagonal, biases and a temperature `T`:
 *
 * `E(s) = −½ sᵀWs − bᵀs`, `P(s) = exp(−E(s)/T) / Z`.
 *
 * Binary units are resampled from `P(s_i = 1 | rest) = σ(h_i / T)`, spins from
 * `P(s_i = +1 | rest) = σ(2 h_i / T)` (`h_i = Σ_j w_ij s_j + b_i`); training
 * follows `⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model` in both. A spin machine and the
 * binary machine with `x = (s + 1) / 2`, `W_bin = 4 W_spin`,
 * `b_bin = 2 b_spin − 2 W_spin·1` define the same distribution (conversely
 * `W_spin = W_bin / 4`, `b_spin = b_bin / 2 + W_bin·1 / 4`). A spin machine
 * takes and returns ±1 data only: 0/1 data is refused with a `RangeError`
 * naming the argument (convert with `s = 2x − 1` first).
 *
 * Units are laid out `[visible | hidden | labels]`. The label group is one-hot:
 * the model's states are those with exactly one label unit on, weights between
 * label units are always zero (they never matter for a one-hot group), and the
 * label group is resampled as a block from its exact conditional
 * `P(c = k | rest) ∝ exp(h_k / T)` after each Gibbs sweep of the other units.
 *
 * The model holds its parameters and one generator stream ({@link BoltzmannMachine.random},
 * seeded once at construction) that every stochastic method continues.
 * Sampling runs the shared {@link QuadraticGibbs} sampler (sequential or random
 * scan, any subset of units clamped) and {@link anneal}; independent chains
 * draw from independent {@link Random.streams}. Training, its generator and its
 * persistent chains live in {@link BoltzmannMachineTrainer}.
 * @module
 */
import { QuadraticEnergy } from '../energy/quadratic.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import {
  EXACT_MAX_UNITS,
  exactLogLikelihood,
  exactLogPartition,
  exactMoments,
  exactThermodynamics,
  type Thermodynamics,
} from '../energy/exact.js';
import { checkDocument, type JsonObject, type ModelDocument, modelState, readModelRandom, readTensor, tensorToJson } from '../document.js';
import { argmaxRows, type Matrix, zeros } from '../linalg/matrix.js';
import { sequentialWeights } from '../linalg/wasm/sequential.js';
import { logSumExp } from '../linalg/stable.js';
import { aisScoreResult, logZFloorFromRows } from './rbm-log-z-bound.js';
import { exp, log } from '../math/elementary.js';
import { MAX_STREAMS, type Random, toRandom } from '../random/random.js';
import { type AnnealOptions, type AnnealResult, anneal } from '../samplers/anneal.js';
import { QuadraticGibbs } from '../samplers/gibbs.js';
import { geometricSchedule, type Schedule } from '../samplers/schedules.js';
import type { Sampler, SamplerSnapshot } from '../samplers/types.js';
import {
  BoltzmannMachineTrainer,
  type BoltzmannMachineTrainerFitOptions,
  type BoltzmannMachineTrainerOptions,
  TRAINER_OPTION_KEYS,
  checkBoltzmannFitRunOptions,
  checkBoltzmannTrainerOptions,
  checkUnitData,
} from '../train/boltzmann-machine-trainer.js';
import { checkCallback, errorMessage, numberArray } from '../train/checks.js';
import {
  checkBinary,
  checkBoolean,
  checkElements,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSpins,
  checkSteps,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import type { BaseSampleOptions, FitResult, Model, ScoreMethod, ScoreOptions, ScoreResult } from './contract.js';
import { type AISPath, type AISResult, aisSchedule, aisScheduleOfLength, annealedImportanceSampling } from './rbm-ais.js';

/** Options of the {@link BoltzmannMachine} constructor (the sizes come first: `new BoltzmannMachine(nVisible, nHidden, options)`).
 * @category Models
 */
export interface BoltzmannMachineOptions {
  /** Number of one-hot label units (0, or ≥ 2). Default 0. */
  nLabels?: number;
  /** Temperature `T > 0`. Default 1. */
  temperature?: number;
  /** Gibbs scan order. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Standard deviation of the initial weights, `w_ij ~ N(0, initScale²)`; biases start at 0. Default 0.01. */
  initScale?: number;
  /** Seed or generator of the model's stream ({@link BoltzmannMachine.random}): initial weights, then every sampling call. Default seed 0. */
  rng?: number | Random;
  /**
   * The units' values: `'binary'` (0/1, the default) or `'spin'` (±1, with the
   * spin conditional `σ(2h/T)`; data, clamp values and samples are ±1; no
   * label units). See the module notes for the parameter mapping between the two.
   */
  units?: BoltzmannUnits;
}
const CONSTRUCTOR_KEYS = optionKeys<BoltzmannMachineOptions>()({ nLabels: true, temperature: true, scan: true, initScale: true, rng: true, units: true });

/** The unit values of a {@link BoltzmannMachine}: `'binary'` (0/1) or `'spin'` (±1).
 * @category Models
 */
export type BoltzmannUnits = 'binary' | 'spin';

/** Options of {@link BoltzmannMachine.fromParameters}: the group sizes (adding up to the weights' size) and the constructor's options.
 * @category Models
 */
export interface BoltzmannMachineParameterOptions extends Omit<BoltzmannMachineOptions, 'initScale'> {
  /** Number of visible units. Default: every unit that is neither hidden nor a label. */
  nVisible?: number;
  /** Number of hidden units. Default 0. */
  nHidden?: number;
}
const PARAMETER_KEYS = optionKeys<BoltzmannMachineParameterOptions>()({
  nVisible: true,
  nHidden: true,
  nLabels: true,
  temperature: true,
  scan: true,
  rng: true,
  units: true,
});

/**
 * Options of {@link BoltzmannMachine.sample} and {@link BoltzmannMachine.sampleStates}.
 * `chains` independent Gibbs chains (independent generator streams) each run
 * `steps` sweeps and then record `n / chains` states `thin` sweeps apart.
 * @category Models
 */
export interface BoltzmannMachineSampleOptions extends BaseSampleOptions {
  /** Burn-in: sweeps before a chain's first recorded state. Default 100. */
  steps?: number;
  /** Independent chains; must divide `n`. Default `n` (one state per chain: independent draws). */
  chains?: number;
  /** Sweeps between a chain's recorded states. Default 1. */
  thin?: number;
  /**
   * Units held fixed (non-zero = clamped): length `nVisible` (visible units only)
   * or `n = nVisible + nHidden + nLabels` (any units; the label group clamped
   * all together or not at all).
   */
  clamp?: ArrayLike<number>;
  /** The clamped units' values (0/1, or ±1 for spin machines; same length as `clamp`; other entries are ignored but must be valid unit values too). Required with `clamp`. */
  values?: ArrayLike<number>;
  /**
   * Conditional generation: clamp the one-hot label group to this class, so
   * the rows are draws of `v` from `P(v | c = label)`. Without it the label
   * group is sampled with the other units and the rows are draws from the
   * marginal `P(v)`.
   */
  label?: number;
  /** Temperature for this call. Default: the model's. */
  temperature?: number;
  /**
   * Seed or generator for this call only (a `Random` is used, and advanced, as is); the chains'
   * streams are split off it. Default: the model's stream ({@link BoltzmannMachine.random}), continued.
   */
  rng?: number | Random;
}
const SAMPLE_KEYS = optionKeys<BoltzmannMachineSampleOptions>()({
  rng: true,
  steps: true,
  chains: true,
  thin: true,
  clamp: true,
  values: true,
  label: true,
  temperature: true,
});

/** Training algorithms of {@link BoltzmannMachine.fit}.
 * @category Models
 */
export type BoltzmannMachineFitMethod = 'ml';

/**
 * Options of {@link BoltzmannMachine.fit} and {@link BoltzmannMachine.partialFit}:
 * the trainer's hyperparameters ({@link BoltzmannMachineTrainerOptions}),
 * epochs, labels, callbacks, and the algorithm.
 * @category Models
 */
export interface BoltzmannMachineFitOptions extends BoltzmannMachineTrainerOptions, BoltzmannMachineTrainerFitOptions {
  /** `'ml'` (default): the lecture's maximum-likelihood rule with sampled clamped and free phases ({@link BoltzmannMachineTrainer}). */
  method?: BoltzmannMachineFitMethod;
}
const FIT_KEYS = optionKeys<BoltzmannMachineFitOptions>()({
  method: true,
  epochs: true,
  labels: true,
  onEpoch: true,
  signal: true,
  threads: true,
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

/**
 * Options of {@link BoltzmannMachine.scoreSamples} and {@link BoltzmannMachine.score}.
 * `method`: `'auto'` (default) is `'exact'` while `nVisible + nHidden ≤ EXACT_MAX_UNITS`,
 * else `'ais'`; `'ais'` needs `nHidden ≤ EXACT_MAX_UNITS` (the hidden units are summed
 * exactly for each row, `log Z` is estimated). `'pseudo'` and `'bound'` are not offered.
 * @category Models
 */
export interface BoltzmannMachineScoreOptions extends ScoreOptions {
  /** AIS generator (seed or {@link Random}). Default: the model's stream. */
  rng?: number | Random;
}
const SCORE_KEYS = optionKeys<BoltzmannMachineScoreOptions>()({ method: true, aisRuns: true, aisBetas: true, rng: true });

/** Options of {@link BoltzmannMachine.exactLogLikelihood}.
 * @category Models
 */
export interface BoltzmannLikelihoodOptions {
  /** The class of each row (labeled machines): gives `log P(v, c)` instead of `log P(v)`. */
  labels?: ArrayLike<number>;
  /** Compute the gradient (default true); `false` is faster. */
  gradient?: boolean;
}
const LIKELIHOOD_KEYS = optionKeys<BoltzmannLikelihoodOptions>()({ labels: true, gradient: true });

/** Result of {@link BoltzmannMachine.exactLogLikelihood}.
 * @category Models
 */
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

/** Options of {@link BoltzmannMachine.createChain}.
 * @category Models
 */
export interface BoltzmannChainOptions {
  /** Clamp mask of length `n` (non-zero = clamped). */
  clamp?: Uint8Array;
  /** Length-`n` binary values of the clamped units. Required with `clamp`. */
  values?: Float64Array;
  /** Generator of the chain. Default: one split off the model's stream. */
  rng?: number | Random;
  /** Temperature. Default: the model's. */
  temperature?: number;
  /** Starting state (binary, label group one-hot); default a uniformly random one drawn from the chain's generator. */
  initial?: Float64Array;
}
const CHAIN_KEYS = optionKeys<BoltzmannChainOptions>()({ clamp: true, values: true, rng: true, temperature: true, initial: true });

/** Options of {@link BoltzmannMachine.anneal}.
 * @category Models
 */
export interface BoltzmannAnnealOptions extends AnnealOptions {
  /** Temperature schedule. Default geometric from 4T down to 0.01T with α = 0.95. */
  schedule?: Schedule;
  /** Clamp mask of length `n`. */
  clamp?: Uint8Array;
  /** Values of the clamped units (length `n`). */
  values?: Float64Array;
  /** Generator. Default: one split off the model's stream. */
  rng?: number | Random;
}
const ANNEAL_KEYS = optionKeys<BoltzmannAnnealOptions>()({
  sweepsPerTemperature: true,
  stopAfterUnchanged: true,
  onStage: true,
  schedule: true,
  clamp: true,
  values: true,
  rng: true,
});

/** Options of {@link BoltzmannMachine.complete}.
 * @category Models
 */
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
const COMPLETION_KEYS = optionKeys<CompletionOptions>()({
  method: true,
  burnIn: true,
  average: true,
  schedule: true,
  sweepsPerTemperature: true,
  label: true,
});

/** Result of {@link BoltzmannMachine.complete}.
 * @category Models
 */
export interface CompletionResult {
  /** The completed visible vector (known units unchanged). */
  readonly visible: Float64Array;
  /** `'sample'`: the frequency of `s_i = 1` (+1 for spin machines) over the averaged samples; `'anneal'`: the final state (as 0/1: `(s + 1) / 2` for spins). */
  readonly probabilities: Float64Array;
  /** The final full state of the chain. */
  readonly state: Float64Array;
}

/** Options of {@link BoltzmannMachine.classProbabilities} and {@link BoltzmannMachine.predict}.
 * @category Models
 */
export interface ClassifyOptions {
  /** `'exact'` (enumerate the hidden units; needs nHidden ≤ 24) or `'sample'` (Gibbs with v clamped). Default: exact when nHidden ≤ 16. */
  method?: 'exact' | 'sample';
  /** Sampled estimate: sweeps discarded. Default 50. */
  burnIn?: number;
  /** Sampled estimate: sweeps averaged. Default 200. */
  nSamples?: number;
}
const CLASSIFY_KEYS = optionKeys<ClassifyOptions>()({ method: true, burnIn: true, nSamples: true });

/**
 * One Gibbs chain of a {@link BoltzmannMachine}: a {@link QuadraticGibbs}
 * sweep over the free non-label units followed, when the label group is free,
 * by a block draw of the one-hot label from `P(c = k | rest) ∝ exp(h_k/T)`.
 * Implements {@link Sampler}, so {@link runChain} and {@link anneal} run it.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine, runChain } from 'boltzmann';
 * const bm = new BoltzmannMachine(4, 2, { rng: 1 });
 * runChain(bm.createChain(), { nSamples: 10, burnIn: 20 }).samples.length; // 60
 * ```
 * @category Models
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
  private readonly spin: boolean;

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
    this.spin = model.units === 'spin';
    const lo = this.spin ? -1 : 0;
    // initial state: uniform random free units, clamped values, a random one-hot label
    const init = new Float64Array(n);
    if (initial !== undefined) {
      checkOneHot('BoltzmannMachineChain', 'initial', initial, this.labelStart, this.nLabels, this.spin);
      init.set(initial);
    } else for (let i = 0; i < this.labelStart; i++) init[i] = clamp[i] && values ? values[i] : rng.float64() < 0.5 ? lo : 1;
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * chain.setState(Float64Array.of(1, 0, 1, 0, 0, 0, 1)); // units [v v v | h h | c c]
   * ```
   */
  setState(x: Float64Array): void {
    checkVector('BoltzmannMachineChain.setState', 'x', x, this.dimension);
    checkOneHot('BoltzmannMachineChain.setState', 'x', x, this.labelStart, this.nLabels, this.spin);
    this.gibbs.setState(x);
  }

  /**
   * One sweep of the free units, then a block draw of the label group when it is free. Allocates nothing.
   *
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
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
   * const chain = new BoltzmannMachine(3, 2, { nLabels: 2, rng: 1 }).createChain({ rng: 2 });
   * const saved = chain.snapshot(); chain.step(); chain.restore(saved);
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    this.gibbs.restore(snapshot);
  }
}

/** Checks the units' domain (0/1, or ±1 when `spin`) and a one-hot label group. */
function checkOneHot(where: string, name: string, x: ArrayLike<number>, start: number, K: number, spin = false): void {
  if (spin) checkSpins(where, name, x);
  else checkBinary(where, name, x);
  if (K === 0) return;
  let on = 0;
  for (let k = 0; k < K; k++) on += x[start + k];
  if (on !== 1) throw new RangeError(`${where}: the label units of ${name} must be one-hot (got ${on} units on)`);
}


/**
 * A Boltzmann machine over binary units `[visible | hidden | labels]`.
 *
 * The model owns one generator stream, {@link BoltzmannMachine.random}, seeded
 * once from `options.rng`: the initial weights come from it, and every
 * stochastic method without an explicit generator continues it, so two calls of
 * `sample(5)` give different draws while the same seed gives the same sequence.
 *
 * @example
 * ```ts
 * import { BoltzmannMachine } from 'boltzmann';
 * const bm = new BoltzmannMachine(4, 2, { rng: 7 });
 * bm.fit([[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 5 });
 * bm.sample(8); // Matrix [8, 4] of visible units
 * bm.score([[1, 1, 0, 0]]).mean; // exact mean log P(v), nats
 * ```
 * @category Models
 */
export class BoltzmannMachine implements Model<BoltzmannMachineFitOptions, BoltzmannMachineSampleOptions, BoltzmannMachineScoreOptions> {
  /** The document kind, `'boltzmann-machine'`. */
  readonly kind = 'boltzmann-machine';
  /** Number of visible units. */
  readonly nVisible: number;
  /** Number of hidden units. */
  readonly nHidden: number;
  /** Number of one-hot label units (0 when unlabeled). */
  readonly nLabels: number;
  /** Total number of units `n = nVisible + nHidden + nLabels`. */
  readonly dimension: number;
  /**
   * `[n, n]` symmetric weights, zero diagonal, zero between label units (updated in place by
   * training). From 256 units `weights.data` is a view into a WebAssembly memory of its own (the
   * Gibbs sweeps read its rows in place): its `.buffer` is larger than the weights and cannot be
   * transferred, so use `byteOffset`/`byteLength` (or a copy) where you handle the buffer itself.
   */
  readonly weights: Matrix;
  /** Length-`n` biases. */
  readonly bias: Float64Array;
  /** The energy `E(s) = −½ sᵀWs − bᵀs` over binary units (holds {@link weights} and {@link bias} by reference). */
  readonly energyFunction: QuadraticEnergy;
  /** Gibbs scan order. */
  readonly scan: 'sequential' | 'random';
  /** The units' values: `'binary'` (0/1) or `'spin'` (±1). */
  readonly units: BoltzmannUnits;
  /** The model's generator stream: initial weights, then every sampling call continues it (saved with the model). */
  readonly random: Random;
  private temp: number;
  /** The trainer kept between {@link BoltzmannMachine.fit} / {@link BoltzmannMachine.partialFit} calls. */
  private trainer: BoltzmannMachineTrainer | undefined;

  /**
   * @param nVisible - number of visible units (≥ 1)
   * @param nHidden - number of hidden units (≥ 0). Default 0
   * @param options - labels, temperature, scan, initial weight scale, seed
   * @throws {TypeError | RangeError} on bad sizes or options (e.g. `nLabels = 1`, an unknown key)
   */
  constructor(nVisible: number, nHidden = 0, options?: BoltzmannMachineOptions) {
    const where = 'BoltzmannMachine';
    const o = checkOptionsKeys(where, options, CONSTRUCTOR_KEYS);
    const nv = checkSize(where, 'nVisible', nVisible, 1);
    const nh = checkSize(where, 'nHidden', nHidden, 0);
    const nl = o.nLabels === undefined ? 0 : checkSize(where, 'nLabels', o.nLabels, 0);
    checkElements(where, '(nVisible + nHidden + nLabels)²', nv + nh + nl, nv + nh + nl);
    if (nl === 1) throw new RangeError(`${where}: nLabels must be 0 or at least 2 (got 1)`);
    const t = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    const scale = o.initScale === undefined ? 0.01 : checkNonNegative(where, 'initScale', o.initScale);
    const units = o.units === undefined ? 'binary' : checkOneOf(where, 'units', o.units, ['binary', 'spin'] as const);
    if (units === 'spin' && nl !== 0) throw new RangeError(`${where}: nLabels must be 0 with units 'spin' (one-hot label units are binary) (got ${nl})`);
    const n = nv + nh + nl;
    if (n > 4096) throw new RangeError(`${where}: total units must be at most 4096 (got ${n})`);
    const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
    this.nVisible = nv;
    this.nHidden = nh;
    this.nLabels = nl;
    this.dimension = n;
    this.scan = scan;
    this.units = units;
    this.temp = t;
    this.random = rng;
    // in the sequential samplers' own memory from 256 units (OWNED_WEIGHTS_MIN_UNITS), so that their Gibbs sweeps read rows in place
    this.weights = { rows: n, cols: n, data: sequentialWeights(n) };
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
    this.energyFunction = new QuadraticEnergy(this.weights, this.bias, units);
  }

  /**
   * A machine with the given parameters (copied).
   *
   * @param weights - `[n, n]` symmetric, zero diagonal, finite; zero between label units
   * @param bias - length `n`
   * @param options - group sizes (default: all units visible), temperature, scan, seed
   * @returns the machine
   * @throws {ShapeError | RangeError | TypeError} on bad parameters
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = BoltzmannMachine.fromParameters([[0, 2], [2, 0]], [-1, -1]);
   * bm.energy(Float64Array.of(1, 1)); // -2 + 2 = 0
   * ```
   */
  static fromParameters(weights: DataInput, bias: ArrayLike<number>, options?: BoltzmannMachineParameterOptions): BoltzmannMachine {
    const where = 'BoltzmannMachine.fromParameters';
    const o = checkOptionsKeys(where, options, PARAMETER_KEYS);
    const w = toMatrix(where, 'weights', weights);
    const nh = o.nHidden === undefined ? 0 : o.nHidden;
    const nl = o.nLabels === undefined ? 0 : o.nLabels;
    const nv = o.nVisible === undefined ? w.rows - (typeof nh === 'number' ? nh : 0) - (typeof nl === 'number' ? nl : 0) : o.nVisible;
    const bm = new BoltzmannMachine(nv, nh, { nLabels: o.nLabels, temperature: o.temperature, scan: o.scan, rng: o.rng, initScale: 0, units: o.units });
    bm.setParameters(w, bias);
    return bm;
  }

  /**
   * Replaces the weights and biases (copied, validated first; nothing changes on error).
   *
   * @param weights - `[n, n]` symmetric, zero diagonal, finite, zero between label units
   * @param bias - length `n`, finite
   * @throws {ShapeError | RangeError | TypeError} on bad parameters
   * @example
   * ```ts
   * import { BoltzmannMachine, zeros } from 'boltzmann';
   * const bm = new BoltzmannMachine(3);
   * bm.setParameters(zeros(3, 3), new Float64Array(3));
   * ```
   */
  setParameters(weights: DataInput, bias: ArrayLike<number>): void {
    const where = 'BoltzmannMachine.setParameters';
    const n = this.dimension;
    const w = checkMatrix(where, 'weights', toMatrix(where, 'weights', weights), n, n);
    const b = checkVector(where, 'bias', bias instanceof Float64Array ? bias : toVector(where, 'bias', bias), n);
    // QuadraticEnergy validates symmetry, diagonal and finiteness
    new QuadraticEnergy({ rows: n, cols: n, data: w.data }, b, this.units);
    const l0 = this.labelStart;
    for (let i = l0; i < n; i++) {
      for (let j = l0; j < n; j++) {
        if (w.data[i * n + j] !== 0) throw new RangeError(`${where}: weights between label units must be 0 (got ${w.data[i * n + j]} at [${i}, ${j}])`);
      }
    }
    this.weights.data.set(w.data);
    this.bias.set(b);
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

  /**
   * The energy `E(s) = −½ sᵀWs − bᵀs` of a full state.
   *
   * @param state - length `n`, binary; label group one-hot when there is one
   * @returns the energy
   * @throws {RangeError | ShapeError} on an invalid state
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine(2, 0, { initScale: 0 }).energy(Float64Array.of(1, 1)); // 0
   * ```
   */
  energy(state: Float64Array): number {
    checkOneHot('BoltzmannMachine.energy', 'state', checkVector('BoltzmannMachine.energy', 'state', state, this.dimension), this.labelStart, this.nLabels, this.units === 'spin');
    return this.energyFunction.energy(state);
  }

  /** Validates a clamp mask + values pair (labels all-or-nothing, one-hot); returns full-length copies. */
  private checkClampPair(
    where: string,
    clamp: ArrayLike<number> | undefined,
    values: ArrayLike<number> | undefined,
  ): { clamp: Uint8Array; values: Float64Array | undefined } {
    const n = this.dimension;
    if (clamp === undefined) {
      if (values !== undefined) throw new TypeError(`${where}: values needs a clamp mask`);
      return { clamp: new Uint8Array(n), values: undefined };
    }
    if (clamp === null || typeof clamp !== 'object' || typeof clamp.length !== 'number') throw new TypeError(`${where}: clamp must be an array or Uint8Array (got ${describeValue(clamp)})`);
    const len = clamp.length;
    if (len !== n && len !== this.nVisible) throw new ShapeError(`${where}: clamp must have length ${this.nVisible} (visible units) or ${n} (all units) (got ${len})`);
    if (values === undefined) throw new TypeError(`${where}: values must be given with clamp`);
    const vals = toVector(where, 'values', values);
    if (vals.length !== len) throw new ShapeError(`${where}: values must have the length of clamp, ${len} (got ${vals.length})`);
    if (this.units === 'spin') checkSpins(where, 'values', vals);
    else checkBinary(where, 'values', vals);
    const c = new Uint8Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < len; i++) {
      c[i] = clamp[i] ? 1 : 0;
      v[i] = vals[i];
    }
    const l0 = this.labelStart;
    if (this.nLabels > 0) {
      const c0 = c[l0];
      for (let k = 1; k < this.nLabels; k++) {
        if (c[l0 + k] !== c0) throw new RangeError(`${where}: the label units must be clamped all together or not at all`);
      }
      if (c0) checkOneHot(where, 'values', v, l0, this.nLabels);
    }
    return { clamp: c, values: v };
  }

  /**
   * A new Gibbs chain (a {@link Sampler}) with optional clamped units, drawing from `rng`
   * (default: a generator split off the model's stream).
   *
   * @param options - clamp mask and values, generator, temperature, starting state
   * @returns the chain
   * @throws {TypeError | RangeError | ShapeError} on bad options
   * @example
   * ```ts
   * import { BoltzmannMachine, anneal, geometricSchedule } from 'boltzmann';
   * const bm = new BoltzmannMachine(5, 0, { rng: 3 });
   * anneal(bm.createChain(), geometricSchedule(2, 0.9, 0.05)).bestEnergy;
   * ```
   */
  createChain(options?: BoltzmannChainOptions): BoltzmannMachineChain {
    const where = 'BoltzmannMachine.createChain';
    const o = checkOptionsKeys(where, options, CHAIN_KEYS);
    if (o.clamp !== undefined && !(o.clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(o.clamp)})`);
    if (o.clamp !== undefined && o.clamp.length !== this.dimension) throw new ShapeError(`${where}: clamp must have length ${this.dimension} (got ${o.clamp.length})`);
    const { clamp, values } = this.checkClampPair(where, o.clamp, o.values);
    const t = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    if (o.initial !== undefined) {
      checkVector(where, 'initial', o.initial, this.dimension);
      // unit values and a one-hot label, checked before the model's generator is split
      checkOneHot(where, 'initial', o.initial, this.labelStart, this.nLabels, this.units === 'spin');
    }
    const rng = o.rng === undefined ? this.random.split() : toRandom(o.rng, where);
    return new BoltzmannMachineChain(this, clamp, values, rng, t, o.initial);
  }

  /** Parses sample options into chains, sweeps and the clamp; throws before anything is drawn. */
  private sampleSetup(where: string, n: number, options: BoltzmannMachineSampleOptions | undefined) {
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const rows = checkSize(where, 'n', n, 1);
    // one generator stream per chain (at most MAX_STREAMS), split off the model's after every check
    const chains = o.chains === undefined ? rows : checkInt(where, 'chains', o.chains, 1, MAX_STREAMS);
    if (chains > MAX_STREAMS) throw new RangeError(`${where}: chains (default n) must be at most ${MAX_STREAMS}, one generator stream each (got n = ${rows}; give chains dividing n)`);
    checkElements(where, 'n × units', rows, this.nVisible + this.nHidden + this.nLabels);
    checkElements(where, 'chains × units', chains, this.nVisible + this.nHidden + this.nLabels);
    if (rows % chains !== 0) throw new RangeError(`${where}: chains must divide n (got n = ${rows}, chains = ${chains})`);
    const steps = o.steps === undefined ? 100 : checkSteps(where, 'steps', o.steps, 0);
    const thin = o.thin === undefined ? 1 : checkSteps(where, 'thin', o.thin, 1);
    const t = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    let { clamp, values } = this.checkClampPair(where, o.clamp, o.values);
    if (o.label !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: label given but the machine has no label units`);
      const c = checkInt(where, 'label', o.label, 0, this.nLabels - 1);
      const l0 = this.labelStart;
      if (clamp[l0]) throw new RangeError(`${where}: give label or clamp the label units, not both`);
      values = values ?? new Float64Array(this.dimension);
      for (let k = 0; k < this.nLabels; k++) {
        clamp[l0 + k] = 1;
        values[l0 + k] = k === c ? 1 : 0;
      }
    }
    if (!Number.isSafeInteger(rows * this.dimension) || rows * this.dimension > 2 ** 31) {
      throw new RangeError(`${where}: n · (number of units) must be below 2^31 (got ${rows * this.dimension})`);
    }
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    return { rows, chains, steps, thin, t, clamp, values, rng };
  }

  /**
   * Full states `[visible | hidden | labels]` by Gibbs sampling: `chains`
   * independent chains (independent streams of a generator split off the
   * model's stream, or off `options.rng`), each run `steps` sweeps, then recorded `n / chains` times,
   * `thin` sweeps apart; rows are chain by chain.
   *
   * @param n - number of states (rows)
   * @param options - see {@link BoltzmannMachineSampleOptions}
   * @returns `[n, dimension]` binary states
   * @throws {TypeError | RangeError | ShapeError} on bad options (before anything is drawn)
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine(3, 2, { rng: 1 }).sampleStates(8, { chains: 4, steps: 10 }).cols; // 5
   * ```
   */
  sampleStates(n: number, options?: BoltzmannMachineSampleOptions): Matrix {
    const s = this.sampleSetup('BoltzmannMachine.sampleStates', n, options);
    return this.runChains(s.rng, s.rows, s.chains, s.steps, s.thin, s.t, s.clamp, s.values);
  }

  /**
   * `n` samples of the visible units by Gibbs sampling (see
   * {@link BoltzmannMachine.sampleStates} for the chains). Hidden units are
   * summed out by sampling them along; the label group is sampled too unless
   * `label` clamps it (conditional generation from `P(v | c)`). Continues the
   * model's stream: two calls give different draws.
   *
   * @param n - number of rows
   * @param options - burn-in `steps`, `chains`, `thin`, clamping, `label`, temperature
   * @returns `[n, nVisible]` binary samples
   * @throws {TypeError | RangeError | ShapeError} on bad options (before anything is drawn)
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(4, 2, { nLabels: 2, rng: 1 });
   * bm.sample(3).rows; // 3
   * bm.sample(6, { label: 1, chains: 2, steps: 50 }).cols; // 4: draws from P(v | c = 1)
   * ```
   */
  sample(n: number, options?: BoltzmannMachineSampleOptions): Matrix {
    const s = this.sampleSetup('BoltzmannMachine.sample', n, options);
    return visiblePart(this.runChains(s.rng, s.rows, s.chains, s.steps, s.thin, s.t, s.clamp, s.values), this.nVisible);
  }

  private runChains(
    rng: Random,
    rows: number,
    nChains: number,
    burnIn: number,
    thin: number,
    t: number,
    clamp: Uint8Array,
    values: Float64Array | undefined,
  ): Matrix {
    const streams = rng.split().streams(nChains);
    const n = this.dimension;
    const perChain = rows / nChains;
    const out = zeros(rows, n);
    for (let c = 0; c < nChains; c++) {
      const ch = new BoltzmannMachineChain(this, clamp, values, streams[c], t);
      for (let s = 0; s < burnIn; s++) ch.step();
      for (let r = 0; r < perChain; r++) {
        for (let s = 0; s < thin; s++) ch.step();
        out.data.set(ch.state, (c * perChain + r) * n);
      }
    }
    return out;
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
   * new BoltzmannMachine(6, 0, { initScale: 1, rng: 2 }).anneal().bestEnergy;
   * ```
   */
  anneal(options?: BoltzmannAnnealOptions): AnnealResult {
    const where = 'BoltzmannMachine.anneal';
    const o = checkOptionsKeys(where, options, ANNEAL_KEYS);
    // checked before the chain is made (which splits the model's generator)
    checkAnnealOptions(where, o);
    checkCallback(where, 'onStage', o.onStage);
    if (o.stopAfterUnchanged !== undefined) checkInt(where, 'stopAfterUnchanged', o.stopAfterUnchanged, 1);
    // the chain splits the model's generator: a schedule refused by anneal (one that never
    // ends) or a failing run puts it back, so nothing is drawn for a call that throws
    const random = this.random.getState();
    try {
      const chain = this.createChain({ clamp: o.clamp, values: o.values, rng: o.rng });
      const schedule = o.schedule === undefined ? defaultSchedule(this.temp) : o.schedule;
      return anneal(chain, schedule, { sweepsPerTemperature: o.sweepsPerTemperature, stopAfterUnchanged: o.stopAfterUnchanged, onStage: o.onStage });
    } catch (e) {
      this.random.setState(random);
      throw e;
    }
  }

  /**
   * Pattern completion: clamp the known visible units (and optionally the
   * label), then either Gibbs-sample the rest and average the last `average`
   * samples (threshold ½, the lecture's retrieval), or anneal them.
   *
   * @param visible - length-`nVisible` `Float64Array` of unit values, 0/1 (±1 for spin machines; the values of unknown units are ignored, but must still be valid)
   * @param known - length-`nVisible` `Uint8Array` mask, non-zero = known
   * @param options - method, burn-in, averaging, schedule, label
   * @returns the {@link CompletionResult}
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(4, 2, { rng: 1 });
   * bm.complete(Float64Array.of(1, 1, 0, 0), Uint8Array.of(1, 1, 0, 0)).visible.length; // 4
   * ```
   */
  complete(visible: Float64Array, known: Uint8Array, options?: CompletionOptions): CompletionResult {
    const where = 'BoltzmannMachine.complete';
    const o = checkOptionsKeys(where, options, COMPLETION_KEYS);
    const nv = this.nVisible;
    const vis = checkVector(where, 'visible', visible, nv);
    if (!(known instanceof Uint8Array)) throw new TypeError(`${where}: known must be a Uint8Array (got ${describeValue(known)})`);
    if (known.length !== nv) throw new ShapeError(`${where}: known must have length ${nv} (got ${known.length})`);
    const spin = this.units === 'spin';
    if (spin) checkSpins(where, 'visible', vis);
    else checkBinary(where, 'visible', vis);
    const method = o.method === undefined ? 'sample' : checkOneOf(where, 'method', o.method, ['sample', 'anneal'] as const);
    const burnIn = o.burnIn === undefined ? 100 : checkSteps(where, 'burnIn', o.burnIn, 0);
    const average = o.average === undefined ? 50 : checkInt(where, 'average', o.average, 1);
    // the annealing options are checked whichever method runs (a bad one is refused, not ignored)
    checkAnnealOptions(where, o);
    const n = this.dimension;
    const clamp = new Uint8Array(n);
    const values = new Float64Array(n);
    if (spin) values.fill(-1);
    for (let i = 0; i < nv; i++) {
      if (known[i]) {
        clamp[i] = 1;
        values[i] = vis[i];
      }
    }
    if (o.label !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: label given but the machine has no label units`);
      const c = checkInt(where, 'label', o.label, 0, this.nLabels - 1);
      for (let k = 0; k < this.nLabels; k++) clamp[this.labelStart + k] = 1;
      values[this.labelStart + c] = 1;
    }
    const random = this.random.getState();
    const chain = this.createChain({ clamp, values });
    const probs = new Float64Array(nv);
    if (method === 'anneal') {
      let r: AnnealResult;
      try {
        r = anneal(chain, o.schedule === undefined ? defaultSchedule(this.temp) : o.schedule, { sweepsPerTemperature: o.sweepsPerTemperature === undefined ? 4 : o.sweepsPerTemperature });
      } catch (e) {
        // a schedule refused by anneal (one that never ends): nothing is drawn
        this.random.setState(random);
        throw e;
      }
      for (let i = 0; i < nv; i++) probs[i] = spin ? (r.bestState[i] + 1) / 2 : r.bestState[i];
      chain.gibbs.setState(r.bestState);
    } else {
      for (let s = 0; s < burnIn; s++) chain.step();
      for (let s = 0; s < average; s++) {
        chain.step();
        for (let i = 0; i < nv; i++) probs[i] += spin ? (chain.state[i] + 1) / 2 : chain.state[i];
      }
      for (let i = 0; i < nv; i++) probs[i] /= average;
    }
    const out = new Float64Array(nv);
    for (let i = 0; i < nv; i++) out[i] = known[i] ? vis[i] : probs[i] > 0.5 ? 1 : spin ? -1 : 0;
    return { visible: out, probabilities: probs, state: chain.state.slice() };
  }

  // -------------------------------------------------------------------------
  // Training

  /**
   * Trains by maximum likelihood ({@link BoltzmannMachineTrainer}) for
   * `options.epochs` epochs (default 10), starting from the current
   * parameters. Each `fit` starts a fresh trainer (new optimiser counters and
   * persistent chains) whose generator is split off the model's stream (or
   * `options.rng`), and keeps it, so a following {@link BoltzmannMachine.partialFit}
   * continues it.
   *
   * @param data - `[N, nVisible]` binary rows (any {@link DataInput})
   * @param options - epochs, `labels` (one class per row, labeled machines), hyperparameters, callbacks
   * @returns the {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before training)
   * @throws {NumericalError} when an update is not finite (that update is not applied)
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(3, 1, { rng: 1 });
   * bm.fit([[1, 1, 0], [0, 1, 1]], { epochs: 3, learningRate: 0.1 }).history.length; // 3
   * ```
   */
  fit(data: DataInput, options?: BoltzmannMachineFitOptions): FitResult {
    const where = 'BoltzmannMachine.fit';
    const { trainerOptions, runOptions } = this.splitFitOptions(where, options);
    const x = this.checkData(where, data, runOptions.labels);
    // every option is checked before the model's generator is split for the new trainer
    checkBoltzmannTrainerOptions(where, this, trainerOptions);
    // a fit that fails before its first update leaves the model's generator and kept trainer as they were
    const random = this.random.getState(), kept = this.trainer;
    const trainer = new BoltzmannMachineTrainer(this, { ...trainerOptions, rng: trainerOptions.rng ?? this.random.split() });
    this.trainer = trainer;
    try {
      return trainer.fit(x, runOptions);
    } catch (e) {
      if (trainer.steps === 0) {
        this.random.setState(random);
        this.trainer = kept;
      }
      throw e;
    }
  }

  /**
   * One pass over `batch` (one epoch: updates of `batchSize` rows, default
   * all of them), continuing the trainer kept by earlier `fit`/`partialFit`
   * calls (its generator, persistent chains and epoch count), or starting one
   * as {@link BoltzmannMachine.fit} does. Hyperparameters given here replace the
   * kept trainer's from now on.
   *
   * @param batch - `[N, nVisible]` binary rows
   * @param options - as for {@link BoltzmannMachine.fit}, without `epochs`
   * @returns the {@link FitResult} of the one pass
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before training)
   * @throws {NumericalError} when an update is not finite
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(3, 1, { rng: 1 });
   * bm.partialFit([[1, 1, 0]]);
   * bm.partialFit([[0, 1, 1]]).epochs; // 1
   * ```
   */
  partialFit(batch: DataInput, options?: BoltzmannMachineFitOptions): FitResult {
    const where = 'BoltzmannMachine.partialFit';
    if (options !== undefined && options !== null && typeof options === 'object' && 'epochs' in options) {
      throw new TypeError(`${where}: epochs is not an option of partialFit (it makes one pass over the batch; use fit for epochs)`);
    }
    const { trainerOptions, runOptions } = this.splitFitOptions(where, options);
    const x = this.checkData(where, batch, runOptions.labels);
    // every option is checked before the model's generator is split for a new trainer
    checkBoltzmannTrainerOptions(where, this, trainerOptions);
    // a pass that fails before its first update leaves the model's generator, the kept trainer and
    // its hyperparameters as they were
    const random = this.random.getState(), kept = this.trainer;
    const keptSteps = kept?.steps ?? 0;
    let trainer = this.trainer;
    let undoConfigure: (() => void) | undefined;
    if (trainer === undefined) {
      trainer = new BoltzmannMachineTrainer(this, { ...trainerOptions, rng: trainerOptions.rng ?? this.random.split() });
    } else if (Object.keys(trainerOptions).length > 0) {
      undoConfigure = trainer.configurationUndo();
      trainer.configure(trainerOptions);
    }
    this.trainer = trainer;
    try {
      return trainer.fit(x, { ...runOptions, epochs: 1 });
    } catch (e) {
      if (trainer.steps === (trainer === kept ? keptSteps : 0)) {
        undoConfigure?.();
        this.random.setState(random);
        this.trainer = kept;
      }
      throw e;
    }
  }

  private splitFitOptions(
    where: string,
    options: BoltzmannMachineFitOptions | undefined,
  ): { trainerOptions: BoltzmannMachineTrainerOptions; runOptions: BoltzmannMachineTrainerFitOptions } {
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    if (o.method !== undefined) checkOneOf(where, 'method', o.method, ['ml'] as const);
    const trainerOptions: Record<string, unknown> = {};
    const runOptions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'method' || v === undefined) continue;
      if ((TRAINER_OPTION_KEYS as readonly string[]).includes(k)) trainerOptions[k] = v;
      else runOptions[k] = v;
    }
    // the loop's options (epochs, onEpoch, signal, threads) are checked here too, before anything changes
    checkBoltzmannFitRunOptions(where, runOptions);
    return { trainerOptions: trainerOptions as BoltzmannMachineTrainerOptions, runOptions: runOptions as BoltzmannMachineTrainerFitOptions };
  }

  // -------------------------------------------------------------------------
  // Exact quantities (small machines) and scores

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
   * new BoltzmannMachine(3, 0, { initScale: 0 }).logPartition(); // 3·log 2
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
   * new BoltzmannMachine(4, 0, { initScale: 1 }).thermodynamics(2).freeEnergy;
   * ```
   */
  thermodynamics(temperature?: number): Thermodynamics {
    const where = 'BoltzmannMachine.thermodynamics';
    if (this.nLabels > 0) throw new RangeError(`${where}: not available for machines with label units (nLabels = ${this.nLabels})`);
    const t = temperature === undefined ? this.temp : checkPositive(where, 'temperature', temperature);
    return exactThermodynamics(this.energyFunction, { temperature: t });
  }

  /** Converts and checks data (binary, nVisible columns, ≥ 1 row) and labels. */
  private checkData(where: string, data: DataInput, labels: ArrayLike<number> | undefined): Matrix {
    const x = checkMatrix(where, 'data', toMatrix(where, 'data', data), undefined, this.nVisible);
    if (x.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
    checkUnitData(where, 'data', x, this.units);
    if (labels !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: labels given but the machine has no label units`);
      if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new TypeError(`${where}: labels must be an array of class indices`);
      if (labels.length !== x.rows) throw new ShapeError(`${where}: labels must have length ${x.rows} (got ${labels.length})`);
      for (let r = 0; r < labels.length; r++) checkInt(where, `labels[${r}]`, labels[r], 0, this.nLabels - 1);
    }
    return x;
  }

  /**
   * Exact mean log-likelihood `(1/N) Σ log P(v)` of the rows of `data` (hidden
   * and label units summed out), or `(1/N) Σ log P(v, c)` when `labels` are
   * given; with its exact gradient `∂L/∂W`, `∂L/∂b` (zero on the diagonal and
   * between label units).
   *
   * @param data - `[N, nVisible]` binary
   * @param options - `labels` (one class per row, labeled machines); `gradient: false` skips the gradient
   * @returns mean log-likelihood (nats) and gradient
   * @throws {RangeError | ShapeError} on bad data or more than 24 non-label units
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(2, 1, { initScale: 0 });
   * bm.exactLogLikelihood([[1, 0]]).logLikelihood; // 2·log ½
   * ```
   */
  exactLogLikelihood(data: DataInput, options?: BoltzmannLikelihoodOptions): BoltzmannLikelihood {
    const where = 'BoltzmannMachine.exactLogLikelihood';
    const o = checkOptionsKeys(where, options, LIKELIHOOD_KEYS);
    const labels = o.labels;
    const x = this.checkData(where, data, labels);
    const withGrad = o.gradient === undefined ? true : checkBoolean(where, 'gradient', o.gradient);
    const n = this.dimension;
    const nv = this.nVisible;
    const t = this.temp;
    this.checkExactSize(where, this.labelStart);
    if (this.nLabels === 0) {
      const vis = Array.from({ length: nv }, (_, i) => i);
      const r = exactLogLikelihood(this.energyFunction, x, vis, { temperature: t, gradient: withGrad });
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
    const perExample = new Float64Array(x.rows);
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    let ll = 0;
    for (let r = 0; r < x.rows; r++) {
      const values = new Float64Array(n);
      values.set(x.data.subarray(r * nv, (r + 1) * nv));
      const comps = this.components(clamp, values, labels === undefined ? undefined : labels[r]);
      const lzr = mixMoments(comps, 1 / x.rows, dataMean, dataCorr);
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
    return { logLikelihood: ll / x.rows, perExample, weights: gw, bias: gb };
  }

  /**
   * Per-row log-likelihood `log P(v) = log Z(v) − log Z` in nats, hidden and
   * label units summed out. `'exact'` (what `'auto'` picks while
   * `nVisible + nHidden ≤ EXACT_MAX_UNITS` = 24) enumerates every state;
   * `'ais'` (what `'auto'` picks above) sums `Z(v)` exactly over the hidden
   * (and label) units of each row and estimates `log Z` by annealed importance
   * sampling along `p*_β(s) = exp(−β E(s)/T)` from the uniform distribution
   * (β = 0, `log Z_0 = (nVisible + nHidden)·log 2 + log nLabels`) to the model
   * (β = 1), one Gibbs sweep at temperature `T/β` per β; it needs
   * `nHidden ≤ 24`. The AIS generator continues the model's stream unless
   * `rng` is given.
   *
   * @param data - `[N, nVisible]` binary rows (any {@link DataInput})
   * @param options - `method`, `aisRuns` (default 100), `aisBetas` (default 14 500), `rng`
   * @returns `Float64Array` of `N` log-probabilities
   * @throws {RangeError} above the method's size limit (the message names it), or for `'pseudo'`/`'bound'`
   * @throws {TypeError | ShapeError} on bad data or options
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine(2, 1, { initScale: 0 }).scoreSamples([[1, 0], [1, 1]]); // [2·log ½, 2·log ½]
   * ```
   */
  scoreSamples(data: DataInput, options?: BoltzmannMachineScoreOptions): Float64Array {
    return this.scoreChecked('BoltzmannMachine.scoreSamples', data, options).perRow;
  }

  /**
   * Mean log-likelihood per row (nats) with its interval. `'exact'`: the
   * interval is the point and `logZ` is exact. `'ais'`: `mean = mean(log Z(v) − log Ẑ)` (the mean of {@link BoltzmannMachine.scoreSamples} with the same options)
   * and `[lower, upper]` the values at the ends of the ±3σ interval of `log Ẑ`
   * (the upper `log Z` end gives `lower`), with `logZ` and the effective sample
   * size `ess`. See {@link BoltzmannMachine.scoreSamples} for the methods.
   *
   * @param data - `[N, nVisible]` binary rows
   * @param options - `method`, `aisRuns`, `aisBetas`, `rng`
   * @returns the {@link ScoreResult}
   * @throws {RangeError} above the method's size limit, or for `'pseudo'`/`'bound'`
   * @throws {TypeError | ShapeError} on bad data or options
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(2, 1, { initScale: 0 });
   * bm.score([[1, 0]]); // { mean: 2·log ½, lower: mean, upper: mean, method: 'exact', logZ: 3·log 2 }
   * bm.score([[1, 0]], { method: 'ais', aisRuns: 20, aisBetas: 300 }).method; // 'ais'
   * ```
   */
  score(data: DataInput, options?: BoltzmannMachineScoreOptions): ScoreResult {
    return this.scoreChecked('BoltzmannMachine.score', data, options).result;
  }

  /** Per-row scores and the summary, all arguments checked before anything is drawn. */
  private scoreChecked(where: string, data: DataInput, options: BoltzmannMachineScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const x = this.checkData(where, data, undefined);
    const requested = o.method === undefined ? 'auto' : checkOneOf(where, 'method', o.method, ['auto', 'exact', 'ais', 'bound', 'pseudo'] as const);
    // one chain (its own stream, a state of every unit) per run
    const runs = o.aisRuns === undefined ? 100 : checkInt(where, 'aisRuns', o.aisRuns, 1, MAX_STREAMS);
    checkElements(where, 'aisRuns × units', runs, this.dimension);
    const betas = aisBetas(where, o.aisBetas);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, where);
    const nFree = this.labelStart;
    if (requested === 'bound' || requested === 'pseudo') {
      throw new RangeError(`${where}: method '${requested}' is not available for Boltzmann machines (use 'exact' or 'ais')`);
    }
    const method: ScoreMethod = requested === 'auto' ? (nFree <= EXACT_MAX_UNITS ? 'exact' : 'ais') : requested;
    if (method === 'exact' && nFree > EXACT_MAX_UNITS) {
      throw new RangeError(
        `${where}: the exact log-likelihood enumerates 2^(nVisible + nHidden) states and needs nVisible + nHidden ≤ ${EXACT_MAX_UNITS} (EXACT_MAX_UNITS; got ${nFree}); use method 'ais'`,
      );
    }
    if (method === 'ais' && this.nHidden > EXACT_MAX_UNITS) {
      throw new RangeError(
        `${where}: AIS scoring sums the hidden units of each row exactly and needs nHidden ≤ ${EXACT_MAX_UNITS} (EXACT_MAX_UNITS; got ${this.nHidden})`,
      );
    }
    const mean = (a: Float64Array): number => {
      let sum = 0;
      for (let r = 0; r < a.length; r++) sum += a[r];
      return sum / a.length;
    };
    if (method === 'exact') {
      const perRow = this.exactLogLikelihood(x, { gradient: false }).perExample;
      const m = mean(perRow);
      return { perRow, result: { mean: m, lower: m, upper: m, method, logZ: this.logPartition() } };
    }
    const ais = this.aisLogPartition(runs, betas, rng ?? this.random);
    return BoltzmannMachine.aisScore(this, x, ais);
  }

  /**
   * @internal `score`'s `'ais'` result from an AIS estimate: per row `log Z(v) − log Ẑ` (the
   * hidden units summed exactly), the mean with the interval of `log Ẑ`, the certified `log Z`
   * floor `log Σ_v Z(v)` over the distinct scored rows and the blank image (all −1 for spin
   * units), and the warning when
   * AIS's interval lies wholly below it. Shared by `score` and the command line's stepped AIS.
   */
  static aisScore(bm: BoltzmannMachine, x: Matrix, ais: AISResult): { perRow: Float64Array; result: ScoreResult } {
    const logZv = bm.logPartitionsClampedVisible(x);
    const perRow = logZv.map((z) => z - ais.logZ);
    // the mean of the per-row values, summed in row order, then divided (score.mean is the mean of scoreSamples)
    let sum = 0;
    for (let r = 0; r < perRow.length; r++) sum += perRow[r];
    const mean = sum / perRow.length;
    // the rows' own log Z(v) reused; the blank image is all 0, or all −1 for spin units
    const floor = logZFloorFromRows(x, logZv, (states) => bm.logPartitionsClampedVisible(states), bm.units === 'spin' ? -1 : 0).logZLowerBound;
    return { perRow, result: aisScoreResult(mean, ais, floor) };
  }

  /** `log Z(v) = log Σ_{h, c} exp(−E(v, h, c)/T)` of each row, by enumerating the hidden units per class. */
  private logPartitionsClampedVisible(x: Matrix): Float64Array {
    const n = this.dimension;
    const nv = this.nVisible;
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    const out = new Float64Array(x.rows);
    const values = new Float64Array(n);
    for (let r = 0; r < x.rows; r++) {
      values.fill(0);
      values.set(x.data.subarray(r * nv, (r + 1) * nv));
      const lz = this.components(clamp, values).map((c) => exactLogPartition(this.energyFunction, { temperature: this.temp, clamp: c.clamp, clampValues: c.values }));
      out[r] = logSumExp(lz);
    }
    return out;
  }

  /**
   * AIS estimate of `log Z` along `p*_β(s) = exp(−β E(s)/T)` from the uniform
   * distribution over `[visible | hidden]` and the one-hot label (β = 0) to
   * the model (β = 1); each run is a {@link BoltzmannMachineChain} (its own
   * stream of a generator split off `rng`) swept once at temperature `T/β` per β.
   */
  private aisLogPartition(runs: number, betas: Float64Array, rng: Random): AISResult {
    const t = this.temp;
    const logZBase = this.labelStart * Math.LN2 + (this.nLabels > 0 ? log(this.nLabels) : 0);
    const noClamp = new Uint8Array(this.dimension);
    interface State {
      chains: BoltzmannMachineChain[];
      energies: Float64Array;
      fresh: boolean;
    }
    const path: AISPath<State> = {
      logZBase,
      sampleBase: (r, g) => {
        // a new chain starts uniformly at random: the base distribution, exactly
        const chains = g.split().streams(r).map((s) => new BoltzmannMachineChain(this, noClamp, undefined, s, t));
        return { chains, energies: new Float64Array(r), fresh: false };
      },
      logUnnormalised: (beta, st, out) => {
        if (!st.fresh) {
          for (let k = 0; k < st.chains.length; k++) st.energies[k] = st.chains[k].energy();
          st.fresh = true;
        }
        for (let k = 0; k < st.chains.length; k++) out[k] = (-beta * st.energies[k]) / t;
      },
      transition: (beta, st) => {
        const tb = t / beta;
        for (const c of st.chains) {
          c.temperature = tb;
          c.step();
        }
        st.fresh = false;
      },
    };
    return annealedImportanceSampling(path, { betas, runs, rng });
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
   * new BoltzmannMachine(2, 1, { initScale: 0 }).visibleDistribution(); // [0.25, 0.25, 0.25, 0.25]
   * ```
   */
  visibleDistribution(): Float64Array {
    const where = 'BoltzmannMachine.visibleDistribution';
    this.checkExactSize(where, this.labelStart);
    const nv = this.nVisible;
    const data = zeros(2 ** nv, nv);
    const spin = this.units === 'spin';
    for (let k = 0; k < 2 ** nv; k++) for (let i = 0; i < nv; i++) data.data[k * nv + i] = spin ? 2 * ((k >>> i) & 1) - 1 : (k >>> i) & 1;
    const lp = this.exactLogLikelihood(data, { gradient: false }).perExample;
    return lp.map(exp);
  }

  /**
   * Class posterior `P(c | v)` for each row: exact (enumerating the hidden
   * units with `v` and each class clamped: `P(c|v) ∝ Σ_h exp(−E(v, h, c)/T)`)
   * or sampled (Gibbs over hidden and label units with `v` clamped, averaging
   * the exact label conditional `softmax(h_label/T)` over the chain — a
   * Rao-Blackwellised estimate; continues the model's stream).
   *
   * @param data - `[N, nVisible]` binary
   * @param options - method, burn-in and samples for the sampled estimate
   * @returns `[N, nLabels]` probabilities (rows sum to 1)
   * @throws {RangeError} for an unlabeled machine, or `'exact'` with more than 24 hidden units
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(2, 1, { nLabels: 2, rng: 1 });
   * bm.classProbabilities([[1, 0]]).data; // ≈ [0.5, 0.5] before training
   * ```
   */
  classProbabilities(data: DataInput, options?: ClassifyOptions): Matrix {
    const where = 'BoltzmannMachine.classProbabilities';
    if (this.nLabels === 0) throw new RangeError(`${where}: the machine has no label units`);
    const x = this.checkData(where, data, undefined);
    const o = checkOptionsKeys(where, options, CLASSIFY_KEYS);
    const method =
      o.method === undefined ? (this.nHidden <= 16 ? 'exact' : 'sample') : checkOneOf(where, 'method', o.method, ['exact', 'sample'] as const);
    const burnIn = o.burnIn === undefined ? 50 : checkSteps(where, 'burnIn', o.burnIn, 0);
    const nSamples = o.nSamples === undefined ? 200 : checkInt(where, 'nSamples', o.nSamples, 1);
    if (method === 'exact') this.checkExactSize(where, this.nHidden);
    const n = this.dimension;
    const nv = this.nVisible;
    const K = this.nLabels;
    const out = zeros(x.rows, K);
    const clamp = new Uint8Array(n);
    for (let i = 0; i < nv; i++) clamp[i] = 1;
    const values = new Float64Array(n);
    const lz = new Float64Array(K);
    const cond = new Float64Array(K);
    for (let r = 0; r < x.rows; r++) {
      values.fill(0);
      values.set(x.data.subarray(r * nv, (r + 1) * nv));
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
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine(2, 0, { nLabels: 2 }).predict([[1, 0]]).length; // 1
   * ```
   */
  predict(data: DataInput, options?: ClassifyOptions): Int32Array {
    return argmaxRows(this.classProbabilities(data, options));
  }

  // -------------------------------------------------------------------------
  // Saving and loading

  /**
   * The model as a versioned JSON document (kind `'boltzmann-machine'`), with
   * the model's generator in `state.rng` so sampling resumes bit-exactly, and
   * a trainer's state in `state.training` when given (see
   * {@link BoltzmannMachineTrainer.toDocument}).
   *
   * @param training - a trainer's state (internal; use the trainer's `toDocument`)
   * @returns the {@link ModelDocument}
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * new BoltzmannMachine(3).toDocument().kind; // 'boltzmann-machine'
   * ```
   */
  toDocument(training?: JsonObject): ModelDocument {
    const n = this.dimension;
    const state = modelState(this.random, training);
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
        // written for spin machines only, so binary documents stay as they were
        ...(this.units === 'spin' ? { units: 'spin' } : {}),
      },
      tensors: {
        weights: tensorToJson({ shape: [n, n], data: this.weights.data }),
        bias: tensorToJson({ shape: [n], data: this.bias }),
      },
      state,
    };
  }

  /**
   * Loads a machine saved by {@link BoltzmannMachine.toDocument} (a trainer's
   * state in the document is ignored here; see {@link BoltzmannMachineTrainer.fromDocument}).
   *
   * @param doc - the parsed JSON document
   * @returns the machine, with its generator restored
   * @throws {FormatError} when the document is malformed
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(3, 1);
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
        throw new FormatError(`${where}: config.${name} must be an integer in [${min}, 4096] (got ${describeValue(v)})`);
      }
      return v;
    };
    const nv = int('nVisible', 1);
    const nh = int('nHidden', 0);
    const nl = int('nLabels', 0);
    const t = c.temperature;
    if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) throw new FormatError(`${where}: config.temperature must be a positive number (got ${describeValue(t)})`);
    const scan = c.scan;
    if (scan !== 'sequential' && scan !== 'random') throw new FormatError(`${where}: config.scan must be 'sequential' or 'random' (got ${describeValue(scan)})`);
    // documents without config.units (all before issue #20) are binary machines
    const units = c.units ?? 'binary';
    if (units !== 'binary' && units !== 'spin') throw new FormatError(`${where}: config.units must be 'binary' or 'spin' (got ${describeValue(units)})`);
    const n = nv + nh + nl;
    const w = readTensor(d, 'weights', [n, n]);
    const b = readTensor(d, 'bias', [n]);
    const rng = readModelRandom(where, d);
    try {
      const bm = new BoltzmannMachine(nv, nh, { nLabels: nl, temperature: t, scan, initScale: 0, rng, units });
      bm.setParameters({ rows: n, cols: n, data: w.data }, b.data);
      return bm;
    } catch (e) {
      throw new FormatError(`${where}: ${errorMessage(e)}`);
    }
  }

  /**
   * An independent copy: same parameters, same generator state (so the copy
   * draws what the original would), no trainer.
   *
   * @returns the copy
   * @example
   * ```ts
   * import { BoltzmannMachine } from 'boltzmann';
   * const bm = new BoltzmannMachine(3, 1, { rng: 2 });
   * bm.clone().sample(2).data; // equals bm.sample(2).data
   * ```
   */
  clone(): BoltzmannMachine {
    return BoltzmannMachine.fromDocument(this.toDocument());
  }
}

/**
 * The AIS β schedule for `count` steps, spread as Salakhutdinov & Murray's
 * (1/29 of the steps over [0, 0.5), 8/29 over [0.5, 0.9), the rest over [0.9, 1]);
 * their full 14 500-step schedule when `count` is undefined.
 */
function aisBetas(where: string, count: number | undefined): Float64Array {
  if (count === undefined) return aisSchedule();
  return aisScheduleOfLength(checkSize(where, 'aisBetas', count, 3, 'maxSteps'));
}

/** The schedule (a function) and sweeps per temperature of `anneal` and `complete`, checked before a chain is made. */
function checkAnnealOptions(where: string, o: { schedule?: unknown; sweepsPerTemperature?: unknown }): void {
  if (o.schedule !== undefined && typeof o.schedule !== 'function') {
    throw new TypeError(`${where}: schedule must be a function k => temperature | undefined (got ${describeValue(o.schedule)})`);
  }
  if (o.sweepsPerTemperature !== undefined) checkSize(where, 'sweepsPerTemperature', o.sweepsPerTemperature, 1, 'maxSteps');
}

function defaultSchedule(t: number): Schedule {
  return geometricSchedule(4 * t, 0.95, 0.01 * t);
}

/** A numeric array as a Float64Array (copied), with a TypeError naming the argument otherwise. */
function toVector(where: string, name: string, x: ArrayLike<number>): Float64Array {
  return numberArray(where, name, x);
}

/** The first `nVisible` columns of a `[rows, n]` matrix, copied. */
function visiblePart(full: Matrix, nv: number): Matrix {
  const out = zeros(full.rows, nv);
  for (let r = 0; r < full.rows; r++) out.data.set(full.data.subarray(r * full.cols, r * full.cols + nv), r * nv);
  return out;
}
