/**
 * Hopfield networks (Hopfield 1982): spin units (±1), symmetric weights with a
 * zero diagonal, optional biases, energy `E(y) = −½ yᵀWy − bᵀy`.
 *
 * Deterministic dynamics (asynchronous in sequential or random order,
 * synchronous with 2-cycle detection) keep the local fields `h = W y + b` up
 * to date incrementally (O(N) per flip). Stochastic dynamics and annealing use
 * the shared {@link QuadraticGibbs} sampler and {@link anneal}.
 * @module
 */

import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { EXACT_MAX_UNITS, exactLogPartition } from '../energy/exact.js';
import { type QuadraticEnergy, quadraticEnergyUnchecked, zeroQuadraticEnergy } from '../energy/quadratic.js';
import type { EnergyModel } from '../energy/types.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { getKernel, withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSigmoid } from '../linalg/stable.js';
import { hasZeroDiagonal, isSymmetric } from '../linalg/symmetric.js';
import { evolveAsyncWasm, hopfieldWasmFits, sequentialWeights } from '../linalg/wasm/sequential.js';
import { Random, toRandom } from '../random/random.js';
import { type AnnealOptions, type AnnealResult, anneal } from '../samplers/anneal.js';
import { QuadraticGibbs, type QuadraticGibbsOptions } from '../samplers/gibbs.js';
import type { Schedule } from '../samplers/schedules.js';
import { type UpdateTrace, UpdateTraceRecorder } from '../samplers/trace.js';
import {
  HOPFIELD_RULES,
  type HopfieldRule,
  hebbianWeightsUnchecked,
  pseudoInverseWeightsUnchecked,
  hebbianUpdateUnchecked,
  storkeyUpdateUnchecked,
  storkeyWeightsUnchecked,
  toSpinPatterns,
} from '../train/hopfield-rules.js';
import { type HopfieldContrastiveOptions, trainHopfieldContrastiveAt } from '../train/train-hopfield-contrastive.js';
import {
  checkAbortSignal,
  checkAllFinite,
  checkBoolean,
  checkCallback,
  checkElements,
  checkInt,
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
import type { EpochMetrics, FitResult, Model, ScoreResult } from './contract.js';

/**
 * What a unit does when its local field is exactly zero:
 * - `'keep'` (default): it keeps its state, so a unit flips only when `y_i h_i < 0`;
 * - `'minus'`: the lecture's slide rule `y_i = Θ(h_i)` with `Θ(0) = −1`.
 *
 * The choice matters whenever fields can be exactly zero, as they often are
 * with Hebbian weights of few patterns. Storing the two non-orthogonal
 * patterns `ξ¹ = (+1, +1, −1, −1)`, `ξ² = (+1, +1, +1, −1)` in 4 neurons
 * leaves unit 2 with no weights (its field is 0 in every state): with
 * `'keep'` the fixed points are `±ξ¹` and `±ξ²`; with the lecture's
 * `'minus'` unit 2 always goes to −1, so only `ξ¹` and `−ξ²` are fixed points
 * and `ξ²` evolves to `ξ¹` (test/train/lecture-conventions.test.ts).
 * `'keep'` is the default because it never raises the energy and keeps the
 * `y ↔ −y` symmetry of a bias-free network.
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1], [1, 1, 1, -1]]);
 * net.isFixedPoint(Float64Array.of(1, 1, 1, -1)); // true
 * net.isFixedPoint(Float64Array.of(1, 1, 1, -1), 'minus'); // false
 * ```
 * @category Models
 */
export type TieRule = 'keep' | 'minus';

/** Options of {@link HopfieldNetwork.evolve}.
 * @category Models
 */
export interface EvolveOptions {
  /** `'async'` (one unit at a time, default) or `'sync'` (all units at once). */
  mode?: 'async' | 'sync';
  /** Asynchronous visiting order: `'sequential'` (index order, default) or `'random'` (a fresh permutation each sweep). */
  order?: 'sequential' | 'random';
  /** Zero-field rule. Default `'keep'`. */
  tie?: TieRule;
  /** Most sweeps (async: N update attempts each; sync: one parallel step each). Default 1000. */
  maxSweeps?: number;
  /** Seed or generator for `order: 'random'`. Default: the network's own stream, continued. */
  rng?: number | Random;
  /** Units with a non-zero entry are held at their cue value. Length N. */
  clamp?: Uint8Array;
  /**
   * Record one {@link UpdateTrace} row per flip (sweep, unit, local field, ΔE,
   * new value, energy after) in {@link EvolveResult.trace}. Default false: the
   * untraced dynamics run unchanged. Sync mode records the flips of a step in
   * index order, each with the field that decided it (the step's common field)
   * and the energy change of applying it after the earlier flips of that step.
   */
  trace?: boolean;
}

const EVOLVE_KEYS = optionKeys<EvolveOptions>()({ mode: true, order: true, tie: true, maxSweeps: true, rng: true, clamp: true, trace: true });

/** Result of {@link HopfieldNetwork.evolve}.
 * @category Models
 */
export interface EvolveResult {
  /** The final state (a new array). */
  readonly state: Float64Array;
  /** Whether a fixed point was reached (a full sweep, or a parallel step, changed nothing). */
  readonly converged: boolean;
  /** Sweeps (async) or parallel steps (sync) run, including the last one that confirmed the fixed point. */
  readonly sweeps: number;
  /** Total number of unit flips. */
  readonly flips: number;
  /** `energies[0]` is the cue's energy; `energies[k]` the energy after sweep `k` (length `sweeps + 1`). */
  readonly energies: Float64Array;
  /** Synchronous mode only: the state returned to the one two steps before (a 2-cycle). Always false for async. */
  readonly cycle: boolean;
  /** With `trace: true`: one row per flip ({@link formatTrace} prints it). */
  readonly trace?: UpdateTrace;
}

/** Options of {@link HopfieldNetwork.sampleRecall}.
 * @category Models
 */
export interface SampleRecallOptions {
  /** Temperature `T > 0`. Default: the network's {@link HopfieldNetwork.temperature}. */
  temperature?: number;
  /** Gibbs sweeps to run (L). Default 100. */
  sweeps?: number;
  /** Average the last `M` samples and threshold (M = 1 outputs the last sample). Default 1. */
  average?: number;
  /** `'sequential'` or `'random'` scan. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Seed or generator. Default: the network's own stream, continued. */
  rng?: number | Random;
  /** Units held at their cue value. */
  clamp?: Uint8Array;
}

const SAMPLE_RECALL_KEYS = optionKeys<SampleRecallOptions>()({ temperature: true, sweeps: true, average: true, scan: true, rng: true, clamp: true });

/** Result of {@link HopfieldNetwork.sampleRecall}.
 * @category Models
 */
export interface SampleRecallResult {
  /** `sign(mean)`, with the last sample's value where the mean is exactly 0. */
  readonly state: Float64Array;
  /** The average of the last `M` samples, each entry in [−1, 1]. */
  readonly mean: Float64Array;
  /** The last sample. */
  readonly last: Float64Array;
  /** Energy of {@link SampleRecallResult.state}. */
  readonly energy: number;
}

/** Options of {@link HopfieldNetwork.annealRecall}.
 * @category Models
 */
export interface AnnealRecallOptions extends AnnealOptions {
  /** `'sequential'` or `'random'` scan. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Seed or generator. Default: the network's own stream, continued. */
  rng?: number | Random;
  /** Units held at their cue value. */
  clamp?: Uint8Array;
  /** After annealing, descend deterministically to a fixed point (zero temperature). Default false. */
  quench?: boolean;
}

const ANNEAL_RECALL_KEYS = optionKeys<AnnealRecallOptions>()({
  sweepsPerTemperature: true,
  stopAfterUnchanged: true,
  onStage: true,
  scan: true,
  rng: true,
  clamp: true,
  quench: true,
});

/** Options of the {@link HopfieldNetwork} constructor (and of {@link HopfieldNetwork.fromWeights}).
 * @category Models
 */
export interface HopfieldNetworkOptions {
  /** Seed or generator of the network's own stream ({@link HopfieldNetwork.random}). Default seed 0. */
  rng?: number | Random;
  /** Temperature `T > 0` of the stochastic network `P(y) ∝ exp(−E(y)/T)` (sample, score, sampleRecall). Default 1. */
  temperature?: number;
}

const NETWORK_KEYS = optionKeys<HopfieldNetworkOptions>()({ rng: true, temperature: true });

/**
 * How {@link HopfieldNetwork.fit} stores patterns: a one-shot storage rule
 * (`'hebbian'`, `'storkey'`, `'pseudo-inverse'`, see {@link HopfieldRule}) or
 * `'contrastive'` training (see {@link trainHopfieldContrastive}).
 * @category Models
 */
export type HopfieldFitRule = HopfieldRule | 'contrastive';

/** The rules {@link HopfieldNetwork.fit} accepts, in a list. */
/** The rules `fit` takes. @internal */
export const FIT_RULES: readonly HopfieldFitRule[] = [...HOPFIELD_RULES, 'contrastive'];

/**
 * Options of {@link HopfieldNetwork.fit}: the rule, `binary`, the options of
 * the chosen rule, and the common fit options. The contrastive training
 * options (`variant`, `learningRate`, `steps`, `starts`, `batchSize`,
 * `cueNoise`, `trainBias`, `maxSweeps`, `stopWhenStable`, `statistics`,
 * `init`, `rng`) apply to `rule: 'contrastive'` only; `scale` to `'hebbian'`,
 * `tolerance` to `'pseudo-inverse'`. The one-shot rules store in one pass and
 * ignore `epochs`.
 * @category Models
 */
export interface HopfieldFitOptions extends HopfieldContrastiveOptions {
  /** Storage rule or `'contrastive'` training. Default `'hebbian'`. */
  rule?: HopfieldFitRule;
  /** Hebbian scale of each outer product (see {@link HebbianOptions}). Default `'n'` (`1/N`); the lecture's `1/N_p` is `'patterns'`. */
  scale?: 'n' | 'patterns' | 'none';
  /** Pseudo-inverse rank tolerance (see {@link PseudoInverseOptions}). Default 1e-9. */
  tolerance?: number;
}

const FIT_KEYS = optionKeys<HopfieldFitOptions>()({
  rule: true,
  binary: true,
  scale: true,
  tolerance: true,
  epochs: true,
  onEpoch: true,
  signal: true,
  threads: true,
  variant: true,
  learningRate: true,
  steps: true,
  starts: true,
  batchSize: true,
  cueNoise: true,
  trainBias: true,
  maxSweeps: true,
  stopWhenStable: true,
  statistics: true,
  init: true,
  rng: true,
});

/**
 * Options of {@link HopfieldNetwork.partialFit}: as for `fit`, without
 * `epochs` (one pass), `init` (always the current weights), `scale` and
 * `tolerance`.
 * @category Models
 */
export type HopfieldPartialFitOptions = Omit<HopfieldFitOptions, 'epochs' | 'init' | 'scale' | 'tolerance'>;

const PARTIAL_FIT_KEYS = FIT_KEYS.filter((k) => k !== 'epochs' && k !== 'init' && k !== 'scale' && k !== 'tolerance');

/** Options that apply to one rule only, with that rule. */
const RULE_ONLY: Readonly<Record<string, HopfieldFitRule>> = {
  scale: 'hebbian',
  tolerance: 'pseudo-inverse',
  variant: 'contrastive',
  learningRate: 'contrastive',
  steps: 'contrastive',
  starts: 'contrastive',
  batchSize: 'contrastive',
  cueNoise: 'contrastive',
  trainBias: 'contrastive',
  maxSweeps: 'contrastive',
  stopWhenStable: 'contrastive',
  statistics: 'contrastive',
  init: 'contrastive',
  rng: 'contrastive',
};

/** Options of {@link HopfieldNetwork.sample}.
 * @category Models
 */
export interface HopfieldSampleOptions {
  /** Temperature `T > 0`. Default: the network's {@link HopfieldNetwork.temperature}. */
  temperature?: number;
  /** Gibbs sweeps per sample (each row is its own chain). Default 100. */
  sweeps?: number;
  /** The model contract's name for `sweeps` ({@link BaseSampleOptions}), so that code written for any model's `sample` runs here; give one or the other. */
  steps?: number;
  /** `'sequential'` or `'random'` scan. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Start of every chain (length N spins). Default: a uniformly random state per chain. */
  initial?: Float64Array;
  /** Units held at their `initial` value (needs `initial`). Length N. */
  clamp?: Uint8Array;
  /** Seed or generator. Default: the network's own stream, continued. */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<HopfieldSampleOptions>()({ temperature: true, sweeps: true, steps: true, scan: true, initial: true, clamp: true, rng: true });

/** Options of {@link HopfieldNetwork.scoreSamples} and {@link HopfieldNetwork.score}.
 * @category Models
 */
export interface HopfieldScoreOptions {
  /**
   * `'exact'` (enumeration of `log Z`, up to {@link EXACT_MAX_UNITS} units),
   * `'pseudo'` (pseudo-log-likelihood `Σ_i log P(y_i | y_−i)`, any size, not a
   * likelihood) or `'auto'` (default: `'exact'`).
   */
  method?: 'auto' | 'exact' | 'pseudo';
  /** Temperature `T > 0`. Default: the network's {@link HopfieldNetwork.temperature}. */
  temperature?: number;
  /** Accept 0/1 rows. Default false. */
  binary?: boolean;
}

const SCORE_KEYS = optionKeys<HopfieldScoreOptions>()({ method: true, temperature: true, binary: true });

/**
 * Unchecked asynchronous deterministic dynamics, in place on `y` and `h`.
 *
 * Visits the units listed in `order[0..count)` (`permute` reshuffles that
 * prefix before each sweep); a unit flips when `y_i h_i < 0` (or, with
 * `minus`, when `h_i = 0` and `y_i = +1`); each flip updates every field by
 * `h_j += 2 y_i^new w_ij`. Energies (from the fields, O(N)) go to `energies`
 * when given (needs length `maxSweeps + 1`).
 *
 * @param w - row-major `[n, n]` weights (symmetric, zero diagonal)
 * @param b - biases
 * @param y - state (±1), updated in place
 * @param h - fields `W y + b` on entry, kept up to date
 * @param n - number of units
 * @param order - unit indices to visit
 * @param count - how many entries of `order` to use
 * @param minus - the `Θ(0) = −1` tie rule
 * @param maxSweeps - sweep limit
 * @param rng - generator when `permute`
 * @param permute - reshuffle `order` each sweep
 * @param energies - optional output
 * @param counters - output: `counters[0]` = sweeps run, `counters[1]` = flips
 * @returns whether a fixed point was reached
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { evolveAsyncUnchecked } from 'boltzmann/base';
 * const net = new HopfieldNetwork(6);
 * net.fit([[1, 1, 1, -1, -1, -1]]);
 * const y = Float64Array.of(1, -1, 1, -1, -1, -1);
 * const h = net.localFields(new Float64Array(6), y);
 * const counters = new Float64Array(2);
 * evolveAsyncUnchecked(net.weights.data, net.bias, y, h, 6, Uint32Array.of(0, 1, 2, 3, 4, 5), 6, false, 100, null, false, null, counters); // true
 * Array.from(y); // [1, 1, 1, -1, -1, -1]
 * ```
 * @category Models
 */
export function evolveAsyncUnchecked(
  w: Float64Array,
  b: Float64Array,
  y: Float64Array,
  h: Float64Array,
  n: number,
  order: Uint32Array,
  count: number,
  minus: boolean,
  maxSweeps: number,
  rng: Random | null,
  permute: boolean,
  energies: Float64Array | null,
  counters: Float64Array,
): boolean {
  // The same loop in WebAssembly (same draws, same bits) where it is available and worth it.
  if (hopfieldWasmFits(w, y, h, n, order, count, rng)) {
    return evolveAsyncWasm(w, b, y, h, n, order, count, minus, maxSweeps, rng, permute, energies, counters);
  }
  if (energies) energies[0] = energyFromFields(y, h, b, n);
  let flips = 0;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    if (permute && rng) {
      for (let k = count - 1; k > 0; k--) {
        const r = rng.int(k + 1);
        const t = order[k];
        order[k] = order[r];
        order[r] = t;
      }
    }
    let changed = 0;
    for (let k = 0; k < count; k++) {
      const i = order[k];
      const hi = h[i];
      const yi = y[i];
      if (yi * hi < 0 || (minus && hi === 0 && yi > 0)) {
        y[i] = -yi;
        addRowUnchecked(h, w, i * n, n, -2 * yi);
        changed++;
      }
    }
    sweeps++;
    flips += changed;
    if (energies) energies[sweeps] = energyFromFields(y, h, b, n);
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  counters[0] = sweeps;
  counters[1] = flips;
  return converged;
}

/**
 * {@link evolveAsyncUnchecked} with one {@link UpdateTrace} row per flip: the
 * same visits, decisions and floating-point operations (the states, fields,
 * energies and generator draws are bit-identical), plus an O(N) energy per
 * flip. Kept apart so the untraced loop stays as it is.
 */
function evolveAsyncTraced(
  w: Float64Array,
  b: Float64Array,
  y: Float64Array,
  h: Float64Array,
  n: number,
  order: Uint32Array,
  count: number,
  minus: boolean,
  maxSweeps: number,
  rng: Random | null,
  permute: boolean,
  energies: Float64Array,
  counters: Float64Array,
  recorder: UpdateTraceRecorder,
): boolean {
  energies[0] = energyFromFields(y, h, b, n);
  let flips = 0;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    if (permute && rng) {
      for (let k = count - 1; k > 0; k--) {
        const r = rng.int(k + 1);
        const t = order[k];
        order[k] = order[r];
        order[r] = t;
      }
    }
    let changed = 0;
    for (let k = 0; k < count; k++) {
      const i = order[k];
      const hi = h[i];
      const yi = y[i];
      if (yi * hi < 0 || (minus && hi === 0 && yi > 0)) {
        y[i] = -yi;
        addRowUnchecked(h, w, i * n, n, -2 * yi);
        changed++;
        recorder.push(sweeps + 1, i, hi, 2 * yi * hi, -yi, energyFromFields(y, h, b, n), true);
      }
    }
    sweeps++;
    flips += changed;
    energies[sweeps] = energyFromFields(y, h, b, n);
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  counters[0] = sweeps;
  counters[1] = flips;
  return converged;
}

/**
 * `h[j] += d · w[o + j]` for `j < n`: the O(N) field update after a flip, unrolled by four
 * (about 1.5× faster than the plain loop in V8; the sums are the same, term by term).
 *
 * @example
 * ```ts
 * import { addRowUnchecked } from 'boltzmann/base';
 * const h = new Float64Array(3);
 * addRowUnchecked(h, Float64Array.of(0, 1, 2, 1, 0, 3, 2, 3, 0), 3, 3, 2); // h += 2 · row 1 of W
 * Array.from(h); // [2, 0, 6]
 * ```
 * @category Models
 */
export function addRowUnchecked(h: Float64Array, w: Float64Array, o: number, n: number, d: number): void {
  let j = 0;
  const m = n - 3;
  for (; j < m; j += 4) {
    h[j] += w[o + j] * d;
    h[j + 1] += w[o + j + 1] * d;
    h[j + 2] += w[o + j + 2] * d;
    h[j + 3] += w[o + j + 3] * d;
  }
  for (; j < n; j++) h[j] += w[o + j] * d;
}

/**
 * `E = −½ Σ y_i (h_i + b_i)` from fields `h = W y + b`, in O(N).
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { energyFromFields } from 'boltzmann/base';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, -1, 1, -1]]);
 * const y = Float64Array.of(1, -1, 1, -1);
 * const h = net.localFields(new Float64Array(4), y);
 * energyFromFields(y, h, net.bias, 4) === net.energy(y); // true
 * ```
 * @category Models
 */
export function energyFromFields(y: Float64Array, h: Float64Array, b: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) e += y[i] * (h[i] + b[i]);
  return -0.5 * e;
}

/**
 * A Hopfield network over `N` spin units: `E(y) = −½ yᵀWy − bᵀy`, with
 * symmetric weights and a zero diagonal. Deterministic dynamics
 * ({@link HopfieldNetwork.evolve}) recall stored patterns; the stochastic
 * network at temperature `T` is the Boltzmann distribution
 * `P(y) = exp(−E(y)/T) / Z`, which {@link HopfieldNetwork.sample} draws from
 * and {@link HopfieldNetwork.score} evaluates.
 *
 * `new HopfieldNetwork(n, options)` has zero weights; {@link HopfieldNetwork.fit}
 * stores patterns with a rule, {@link HopfieldNetwork.partialFit} adds more,
 * {@link HopfieldNetwork.fromWeights} wraps given parameters. It is an
 * {@link EnergyModel} (domain `'spin'`), built on a {@link QuadraticEnergy}
 * that holds the weights and biases. The network owns one generator stream
 * ({@link HopfieldNetwork.random}), seeded once from `options.rng`: every
 * stochastic method without an explicit `rng` continues it.
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * const net = new HopfieldNetwork(4, { rng: 1 });
 * net.fit([[1, 1, -1, -1], [1, -1, 1, -1]]);
 * net.evolve(Float64Array.of(1, 1, -1, 1)).state; // a stored pattern or a nearby valley
 * net.sample(3).rows; // 3
 * net.score([[1, 1, -1, -1]]).method; // 'exact'
 * ```
 * @category Models
 */
export class HopfieldNetwork implements EnergyModel, Model<HopfieldFitOptions, HopfieldSampleOptions, HopfieldScoreOptions> {
  /** The document kind, `'hopfield'`. */
  readonly kind = 'hopfield' as const;
  /** Number of units `N`. */
  readonly dimension: number;
  /** Always `'spin'` (±1 units). */
  readonly domain = 'spin' as const;
  /** The quadratic energy; shares {@link HopfieldNetwork.weights} and {@link HopfieldNetwork.bias}. */
  readonly quadratic: QuadraticEnergy;
  /** The network's own generator stream, seeded once at construction; stochastic methods without an `rng` continue it. */
  readonly random: Random;
  /** The rule that built the weights, when built from patterns (informational). */
  rule: HopfieldFitRule | 'custom';
  private temp: number;

  /**
   * A network of `n` units with zero weights and biases.
   *
   * @param n - number of units (≥ 1)
   * @param options - `rng` (seed or generator of the network's stream, default seed 0), `temperature` (default 1)
   * @throws {TypeError | RangeError} when `n` is not a positive integer (a RangeError naming `LIMITS.maxElements` when the `[n, n]` weights would exceed it), or on bad or unknown options
   */
  constructor(n: number, options?: HopfieldNetworkOptions) {
    const where = 'HopfieldNetwork';
    if (typeof n === 'object' && n !== null) {
      throw new TypeError(`${where}: the first argument is the number of units n; build a network from weights with HopfieldNetwork.fromWeights(weights, bias)`);
    }
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n²', n, n);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    this.temp = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    this.random = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
    // in the sequential samplers' own memory from 256 units (OWNED_WEIGHTS_MIN_UNITS), so that their flips read rows in place
    this.quadratic = zeroQuadraticEnergy(n, sequentialWeights(n), 'spin');
    this.dimension = n;
    this.rule = 'custom';
  }

  /**
   * `[N, N]` weights (live; keep them symmetric with a zero diagonal if you edit them). From 256
   * units `weights.data` is a view into a WebAssembly memory of its own (recall and Gibbs read its
   * rows in place): its `.buffer` is larger than the weights and cannot be transferred, so use
   * `byteOffset`/`byteLength` (or a copy) where you handle the buffer itself.
   */
  get weights(): Matrix {
    return this.quadratic.weights;
  }

  /** Length-`N` biases (live). */
  get bias(): Float64Array {
    return this.quadratic.bias;
  }

  /** Temperature `T > 0` of the stochastic network (default of sample, score, sampleRecall). Setting it validates `T > 0`. */
  get temperature(): number {
    return this.temp;
  }

  /** Sets the temperature T > 0 (a RangeError otherwise). */
  set temperature(t: number) {
    this.temp = checkPositive('HopfieldNetwork.temperature', 'temperature', t);
  }

  /**
   * A network with the given weights and biases (both copied).
   *
   * @param weights - `[N, N]`, exactly symmetric, zero diagonal, finite; any {@link DataInput}
   * @param bias - length `N`, finite; default zeros
   * @param options - `rng`, `temperature` as for the constructor
   * @returns the network (rule `'custom'`)
   * @throws {ShapeError} when the shapes disagree
   * @throws {RangeError} on asymmetric weights, a non-zero diagonal or non-finite values
   * @throws {TypeError} when the arguments are not numeric arrays, or on unknown options or a bad `rng` (the errors name `HopfieldNetwork.fromWeights`)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = HopfieldNetwork.fromWeights([[0, -1], [-1, 0]], [0.5, 0]);
   * net.energy(Float64Array.of(1, -1)); // -1.5
   * ```
   */
  static fromWeights(weights: DataInput, bias?: ArrayLike<number>, options?: HopfieldNetworkOptions): HopfieldNetwork {
    const where = 'HopfieldNetwork.fromWeights';
    const w = toMatrix(where, 'weights', weights);
    if (w.rows < 1) throw new ShapeError(`${where}: weights must be at least [1, 1] (got [${w.rows}, ${w.cols}])`);
    if (w.rows !== w.cols) throw new ShapeError(`${where}: weights must be square (got [${w.rows}, ${w.cols}])`);
    const n = w.rows;
    checkElements(where, 'weights rows × cols', n, n);
    const b = bias === undefined ? new Float64Array(n) : toBias(where, bias, n);
    checkAllFinite(where, 'weights', w.data);
    checkAllFinite(where, 'bias', b);
    if (!isSymmetric(w)) throw new RangeError(`${where}: weights must be symmetric (w_ij === w_ji)`);
    if (!hasZeroDiagonal(w)) throw new RangeError(`${where}: weights must have a zero diagonal`);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    const temperature = o.temperature === undefined ? undefined : checkPositive(where, 'temperature', o.temperature);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, where);
    const net = new HopfieldNetwork(n, { rng, temperature });
    net.weights.data.set(w.data);
    net.bias.set(b);
    return net;
  }

  /**
   * Stores `patterns`, replacing the weights (and zeroing the biases), with a
   * storage rule — `'hebbian'` (default, `W = (1/N) Σ ξξᵀ`), `'storkey'`,
   * `'pseudo-inverse'` — or by `'contrastive'` training: Hebbian storage, then
   * `epochs` (default 20) of {@link trainHopfieldContrastive} (`init: 'current'`
   * continues from the current weights instead). Contrastive training draws
   * from `options.rng`, else from the network's stream. `variant` picks how the
   * valleys are found, including the lecture's first formulation
   * `'all-states'` (raise every non-desired state, exact by enumeration,
   * `N ≤ 20`; it amounts to a rescaled Hebbian rule).
   *
   * @param patterns - `[nPatterns, N]` spins (0/1 with `binary: true`), any {@link DataInput}
   * @param options - `rule`, `binary`, the rule's options, `onEpoch`, `signal`, `threads`
   * @returns the {@link FitResult}: one entry per contrastive epoch; for a one-shot rule one entry (`epoch` 0, `steps` = patterns stored)
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options, or an option of another rule (nothing is changed); with `'contrastive'`, a RangeError naming `LIMITS.maxSteps` when `epochs`, `steps` or `maxSweeps` exceed it, `LIMITS.maxElements` when the `[starts, N]` valleys would
   * @throws {NumericalError} when a contrastive update is not finite
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(4);
   * net.fit([[1, -1, 1, -1]], { rule: 'storkey' }).history[0].steps; // 1
   * net.isFixedPoint(Float64Array.of(1, -1, 1, -1)); // true
   * ```
   */
  fit(patterns: DataInput, options?: HopfieldFitOptions): FitResult {
    return fitHopfieldAt('HopfieldNetwork.fit', this, patterns, options);
  }

  /**
   * Stores more patterns, continuing from the current weights. Incremental
   * rules: `'hebbian'` adds `(1/N) ξξᵀ` per pattern, `'storkey'` applies
   * Storkey's update per pattern (so partialFit pattern by pattern equals fit
   * on them all), `'contrastive'` runs one epoch of contrastive training on
   * the batch. The pseudo-inverse rule projects onto the span of all the
   * patterns at once and is not incremental: it is refused (refit with every
   * pattern). The default rule is the network's own when it is incremental
   * (after `fit(..., { rule: 'storkey' })`, more Storkey storage), else
   * `'hebbian'`.
   *
   * @param patterns - `[nPatterns, N]` spins (0/1 with `binary`), any {@link DataInput}
   * @param options - `rule`, `binary`, contrastive options, `onEpoch`, `signal`, `threads`
   * @returns the {@link FitResult} (one entry)
   * @throws {TypeError | RangeError | ShapeError} on bad input, or the pseudo-inverse rule (nothing is changed; contrastive sizes are checked against `LIMITS` as in {@link HopfieldNetwork.fit})
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(4);
   * net.partialFit([[1, 1, -1, -1]]);
   * net.isFixedPoint(Float64Array.of(1, 1, -1, -1)); // true
   * ```
   */
  partialFit(patterns: DataInput, options?: HopfieldPartialFitOptions): FitResult {
    return partialFitHopfieldAt('HopfieldNetwork.partialFit', this, patterns, options);
  }

  /**
   * `n` states drawn from the stochastic network `P(y) ∝ exp(−E(y)/T)` by
   * Gibbs sampling (`P(y_i = +1 | rest) = σ(2h_i/T)`, i.e. `σ(2(Σ_j w_ij y_j + b_i)/T)`;
   * the lecture's `σ(Σ_j w_ij y_j + 2b_i)` is wrong, see docs/lecture-errata.md): each row is its own
   * chain, started from a uniformly random state (or `initial`) and run for
   * `sweeps` sweeps. Draws continue the network's stream unless `rng` is given,
   * so two calls give different samples and the same construction seed gives
   * the same sequence.
   *
   * @param n - number of samples (rows)
   * @param options - temperature, sweeps, scan, initial state, clamp mask, generator
   * @returns `[n, N]` spins
   * @throws {TypeError | RangeError | ShapeError} on bad arguments or unknown options, before anything is drawn (a RangeError naming `LIMITS.maxElements` when the `[n, N]` output exceeds it, `LIMITS.maxSteps` for `sweeps` above it)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(8, { rng: 1, temperature: 0.5 });
   * net.fit([[1, 1, 1, 1, -1, -1, -1, -1]]);
   * net.sample(5, { sweeps: 20 }).rows; // 5 states near ±the pattern
   * ```
   */
  sample(n: number, options?: HopfieldSampleOptions): Matrix {
    return sampleHopfieldAt('HopfieldNetwork.sample', this, n, options);
  }

  /**
   * Per-row log-likelihood (nats) of `data` under the stochastic network at
   * temperature `T`: `log P(y) = −E(y)/T − log Z`, with `log Z` by exact
   * enumeration of all `2^N` states (method `'exact'`, up to
   * {@link EXACT_MAX_UNITS} units). `{ method: 'pseudo' }` gives the
   * pseudo-log-likelihood `Σ_i log σ(2 y_i h_i / T)` instead (any size).
   *
   * @param data - `[nRows, N]` spins (0/1 with `binary`), any {@link DataInput}
   * @param options - method, temperature, binary
   * @returns one value per row
   * @throws {RangeError} when `N` is too large to enumerate (method `'exact'`/`'auto'`), or on bad options
   * @throws {TypeError | ShapeError} on bad data or unknown options
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * new HopfieldNetwork(3).scoreSamples([[1, -1, 1]])[0]; // −3·log 2 (zero weights: uniform)
   * ```
   */
  scoreSamples(data: DataInput, options?: HopfieldScoreOptions): Float64Array {
    return this.scoreRows('HopfieldNetwork.scoreSamples', data, options).values;
  }

  /**
   * Mean log-likelihood per row of `data` (see {@link HopfieldNetwork.scoreSamples});
   * exact, so `lower = upper = mean`, with the `logZ` used.
   *
   * @param data - `[nRows, N]` spins (0/1 with `binary`), any {@link DataInput}
   * @param options - method, temperature, binary
   * @returns `{ mean, lower, upper, method, logZ }` (no `logZ` for `'pseudo'`)
   * @throws {RangeError} when `N` is too large to enumerate, or on bad options
   * @throws {TypeError | ShapeError} on bad data or unknown options
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(4);
   * net.fit([[1, 1, -1, -1]]);
   * net.score([[1, 1, -1, -1]]).method; // 'exact'
   * ```
   */
  score(data: DataInput, options?: HopfieldScoreOptions): ScoreResult {
    const r = this.scoreRows('HopfieldNetwork.score', data, options);
    let sum = 0;
    for (const v of r.values) sum += v;
    const mean = sum / r.values.length;
    return r.logZ === undefined ? { mean, lower: mean, upper: mean, method: r.method } : { mean, lower: mean, upper: mean, method: r.method, logZ: r.logZ };
  }

  private scoreRows(where: string, data: DataInput, options: HopfieldScoreOptions | undefined): { values: Float64Array; method: 'exact' | 'pseudo'; logZ?: number } {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const method = o.method === undefined ? 'auto' : checkOneOf(where, 'method', o.method, ['auto', 'exact', 'pseudo'] as const);
    const t = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    const n = this.dimension;
    const xi = toSpinPatterns(where, data, { binary: o.binary, dimension: n });
    const w = this.weights.data;
    const b = this.bias;
    const values = new Float64Array(xi.rows);
    if (method === 'pseudo') {
      const h = new Float64Array(n);
      for (let r = 0; r < xi.rows; r++) {
        const y = xi.data.subarray(r * n, (r + 1) * n);
        h.set(b);
        getKernel().gemv(false, n, n, 1, w, n, y, 1, h);
        let s = 0;
        for (let i = 0; i < n; i++) s += logSigmoid((2 * y[i] * h[i]) / t);
        values[r] = s;
      }
      return { values, method };
    }
    if (n > EXACT_MAX_UNITS) {
      throw new RangeError(
        `${where}: the exact log-likelihood enumerates all 2^N states and is limited to N ≤ ${EXACT_MAX_UNITS} units (got N = ${n}); pass { method: 'pseudo' } for the pseudo-log-likelihood`,
      );
    }
    const logZ = exactLogPartition(this.quadratic, { temperature: t });
    for (let r = 0; r < xi.rows; r++) values[r] = -quadraticEnergyUnchecked(w, b, xi.data.subarray(r * n, (r + 1) * n), n) / t - logZ;
    return { values, method: 'exact', logZ };
  }

  /**
   * `E(y) = −½ yᵀWy − bᵀy = −Σ_{i<j} w_ij y_i y_j − Σ_i b_i y_i`.
   *
   * In terms of the local fields `h_i = Σ_{j≠i} w_ij y_j + b_i` this is
   * `−½ Σ_i y_i (h_i + b_i)`. The lecture's Ising slide writes the middle
   * expression as `−½ Σ_i x_i f(p_i)` (with `f = h`), which is `½ Σ_i b_i y_i`
   * too high; see docs/lecture-errata.md.
   *
   * @param y - length-`N` spins
   * @returns the energy
   * @throws {ShapeError | RangeError | TypeError} on a bad state
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * HopfieldNetwork.fromWeights([[0, -0.5], [-0.5, 0]]).energy(Float64Array.of(1, -1)); // -0.5
   * ```
   */
  energy(y: Float64Array): number {
    this.quadratic.checkState('HopfieldNetwork.energy', 'y', y);
    return quadraticEnergyUnchecked(this.weights.data, this.bias, y, this.dimension);
  }

  /**
   * `E(y') − E(y) = 2 y_i h_i` for flipping unit `i`.
   *
   * @param y - length-`N` spins
   * @param i - unit index
   * @returns the energy change
   * @throws {ShapeError | RangeError | TypeError} on a bad state or index
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * HopfieldNetwork.fromWeights([[0, -0.5], [-0.5, 0]]).deltaEnergyFlip(Float64Array.of(1, -1), 0); // 1
   * ```
   */
  deltaEnergyFlip(y: Float64Array, i: number): number {
    this.quadratic.checkState('HopfieldNetwork.deltaEnergyFlip', 'y', y);
    checkInt('HopfieldNetwork.deltaEnergyFlip', 'i', i, 0, this.dimension - 1);
    return this.quadratic.deltaEnergyFlip(y, i);
  }

  /**
   * Local fields `h = W y + b` into `out`.
   *
   * @param out - length-`N` output
   * @param y - length-`N` spins
   * @returns `out`
   * @throws {ShapeError | RangeError | TypeError} on bad arrays
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * HopfieldNetwork.fromWeights([[0, -0.5], [-0.5, 0]]).localFields(new Float64Array(2), Float64Array.of(1, 1)); // [-0.5, -0.5]
   * ```
   */
  localFields(out: Float64Array, y: Float64Array): Float64Array {
    checkVector('HopfieldNetwork.localFields', 'out', out, this.dimension);
    this.quadratic.checkState('HopfieldNetwork.localFields', 'y', y);
    return this.quadratic.localFields(out, y);
  }

  /**
   * Whether `y` is a fixed point of the deterministic dynamics: no unit has
   * `y_i h_i < 0` (and, with `tie: 'minus'`, no `+1` unit has `h_i = 0`).
   *
   * @param y - length-`N` spins
   * @param tie - zero-field rule; default `'keep'`
   * @returns true when no update would change `y`
   * @throws {ShapeError | RangeError | TypeError} on a bad state
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(3);
   * net.fit([[1, -1, 1]]);
   * net.isFixedPoint(Float64Array.of(-1, 1, -1)); // true
   * ```
   */
  isFixedPoint(y: Float64Array, tie: TieRule = 'keep'): boolean {
    this.quadratic.checkState('HopfieldNetwork.isFixedPoint', 'y', y);
    const minus = checkOneOf('HopfieldNetwork.isFixedPoint', 'tie', tie, ['keep', 'minus'] as const) === 'minus';
    return isFixedPointUnchecked(this.weights.data, this.bias, y, this.dimension, minus);
  }

  /**
   * Deterministic evolution from `cue` until a fixed point or `maxSweeps`.
   *
   * - async: units are visited one at a time (index order or a fresh random
   *   permutation per sweep); a unit flips when `y_i h_i < 0`. Every flip lowers
   *   `E` by `2|h_i|`, so a fixed point is reached in finitely many flips.
   * - sync: all units update at once from the same fields; the energy may rise
   *   and the state may fall into a 2-cycle, which is detected and reported.
   *
   * Fields are updated incrementally, O(N) per flip. Ties are exact only when
   * the weights are exactly representable: with Hebbian weights `k/N` and `N`
   * not a power of two, a field that is 0 in exact arithmetic may come out as
   * ±1e-17 and break the tie by rounding.
   *
   * With `trace: true` the result also holds one {@link UpdateTrace} row per
   * flip (print it with {@link formatTrace}); the dynamics are bit-identical.
   *
   * @param cue - length-`N` spins (not modified)
   * @param options - mode, order, tie rule, sweep limit, generator, clamp mask
   * @returns final state, convergence, sweeps, flips, energy per sweep, cycle flag
   * @throws {ShapeError | RangeError | TypeError} on a bad cue or options — `rng` is checked even when `order` is `'sequential'`; `maxSweeps` above `LIMITS.maxSteps` is a RangeError naming it
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(6);
   * net.fit([[1, 1, 1, -1, -1, -1]]);
   * const r = net.evolve(Float64Array.of(1, -1, 1, -1, -1, -1));
   * [r.converged, Array.from(r.state)]; // [true, [1, 1, 1, -1, -1, -1]]
   * net.evolve(Float64Array.of(1, -1, 1, -1, -1, -1), { trace: true }).trace?.length; // 1 flip
   * ```
   */
  evolve(cue: Float64Array, options?: EvolveOptions): EvolveResult {
    const where = 'HopfieldNetwork.evolve';
    const o = checkOptionsKeys(where, options, EVOLVE_KEYS);
    this.quadratic.checkState(where, 'cue', cue);
    return evolveHopfieldChecked(this, cue, checkEvolveOptions(where, this, o));
  }

  /**
   * A {@link QuadraticGibbs} sampler on this network (`P(y_i = +1 | rest) = σ(2h_i/T)`),
   * sharing its weights, for use with {@link runChain} or {@link anneal}. It
   * draws from the network's stream and runs at the network's temperature
   * unless `options` say otherwise.
   *
   * @param options - temperature, scan, clamp, generator, initial state
   * @returns the sampler
   * @throws {TypeError | RangeError | ShapeError} on bad options (named `HopfieldNetwork.gibbs`; `null` is not a default)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(3);
   * net.fit([[1, -1, 1]]);
   * const g = net.gibbs({ temperature: 0.5, rng: 1 });
   * g.step(); g.state.length; // 3
   * ```
   */
  gibbs(options?: QuadraticGibbsOptions): QuadraticGibbs {
    const where = 'HopfieldNetwork.gibbs';
    const o = checkOptionsKeys(where, options, GIBBS_KEYS);
    const temperature = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    const clamp = checkClamp(where, o.clamp, this.dimension);
    const initial = o.initial === undefined ? undefined : this.quadratic.checkState(where, 'initial', o.initial);
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    return new QuadraticGibbs(this.quadratic, { temperature, scan, clamp, initial, rng });
  }

  /**
   * Stochastic retrieval (the lecture's stochastic Hopfield network): Gibbs
   * sweeps at temperature `T` from `cue`, then average the last `M` samples and
   * take the sign (`M = 1` returns the last sample).
   *
   * @param cue - length-`N` spins (the chain's initial state)
   * @param options - temperature, sweeps, average M, scan, generator, clamp
   * @returns the thresholded average, the average itself, the last sample and its energy
   * @throws {ShapeError | RangeError | TypeError} on a bad cue or options, before anything is drawn (`sweeps` above `LIMITS.maxSteps` is a RangeError naming it)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(8);
   * net.fit([[1, 1, 1, 1, -1, -1, -1, -1]]);
   * net.sampleRecall(Float64Array.of(1, 1, 1, -1, -1, -1, -1, -1), { temperature: 0.2, sweeps: 20, average: 10, rng: 3 }).state;
   * ```
   */
  sampleRecall(cue: Float64Array, options?: SampleRecallOptions): SampleRecallResult {
    const where = 'HopfieldNetwork.sampleRecall';
    const o = checkOptionsKeys(where, options, SAMPLE_RECALL_KEYS);
    this.quadratic.checkState(where, 'cue', cue);
    const temperature = o.temperature === undefined ? this.temp : checkPositive(where, 'temperature', o.temperature);
    const sweeps = o.sweeps === undefined ? 100 : checkSize(where, 'sweeps', o.sweeps, 1, 'maxSteps');
    const m = o.average === undefined ? 1 : checkInt(where, 'average', o.average, 1, sweeps);
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    checkClamp(where, o.clamp, this.dimension);
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const g = new QuadraticGibbs(this.quadratic, { temperature, scan, rng, initial: cue, clamp: o.clamp });
    const n = this.dimension;
    const mean = new Float64Array(n);
    for (let t = 0; t < sweeps; t++) {
      g.step();
      if (t >= sweeps - m) for (let i = 0; i < n; i++) mean[i] += g.state[i];
    }
    const last = g.state.slice();
    const state = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      mean[i] /= m;
      state[i] = mean[i] > 0 ? 1 : mean[i] < 0 ? -1 : last[i];
    }
    return { state, mean, last, energy: this.quadratic.energy(state) };
  }

  /**
   * Simulated annealing from `cue` with any schedule ({@link geometricSchedule},
   * {@link linearSchedule}, {@link logarithmicSchedule}, {@link listSchedule} or
   * your own), through {@link anneal} on a {@link QuadraticGibbs} sampler.
   * With `quench`, the final state then descends deterministically to a fixed point.
   *
   * @param cue - length-`N` spins (the initial state)
   * @param schedule - temperatures by stage
   * @param options - sweeps per temperature, early stop, scan, generator, clamp, quench
   * @returns the annealing result (final and best state and energy)
   * @throws {ShapeError | RangeError | TypeError} on bad input, checked before anything is drawn: a schedule that is not a function or whose first temperature is not positive, an `onStage` that is not a function, `sweepsPerTemperature` above `LIMITS.maxSteps`
   * @example
   * ```ts
   * import { HopfieldNetwork, geometricSchedule } from 'boltzmann';
   * const net = new HopfieldNetwork(6);
   * net.fit([[1, -1, 1, -1, 1, -1]]);
   * net.annealRecall(Float64Array.of(1, 1, 1, 1, 1, 1), geometricSchedule(2, 0.8, 0.05), { rng: 1 }).bestEnergy;
   * ```
   */
  annealRecall(cue: Float64Array, schedule: Schedule, options?: AnnealRecallOptions): AnnealResult {
    const where = 'HopfieldNetwork.annealRecall';
    const o = checkOptionsKeys(where, options, ANNEAL_RECALL_KEYS);
    this.quadratic.checkState(where, 'cue', cue);
    if (typeof schedule !== 'function') {
      throw new TypeError(`${where}: schedule must be a function k => temperature | undefined (got ${describeValue(schedule)})`);
    }
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    const quench = o.quench === undefined ? false : checkBoolean(where, 'quench', o.quench);
    checkClamp(where, o.clamp, this.dimension);
    const sweepsPerTemperature = o.sweepsPerTemperature === undefined ? undefined : checkSize(where, 'sweepsPerTemperature', o.sweepsPerTemperature, 1, 'maxSteps');
    const stopAfterUnchanged = o.stopAfterUnchanged === undefined ? undefined : checkInt(where, 'stopAfterUnchanged', o.stopAfterUnchanged, 1);
    if (o.onStage !== undefined && typeof o.onStage !== 'function') {
      throw new TypeError(`${where}: onStage must be a function (got ${describeValue(o.onStage)})`);
    }
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const t0 = schedule(0);
    const temperature = t0 === undefined ? 1 : checkPositive(where, 'schedule(0)', t0);
    const g = new QuadraticGibbs(this.quadratic, { temperature, scan, rng, initial: cue, clamp: o.clamp });
    const r = anneal(g, schedule, { sweepsPerTemperature, stopAfterUnchanged, onStage: o.onStage });
    if (!quench) return r;
    const q = this.evolve(r.state, { clamp: o.clamp });
    const best = q.energies[q.sweeps] < r.bestEnergy;
    return {
      ...r,
      state: q.state,
      energy: q.energies[q.sweeps],
      bestEnergy: best ? q.energies[q.sweeps] : r.bestEnergy,
      bestState: best ? q.state.slice() : r.bestState,
    };
  }

  /**
   * Saves the network as a `'hopfield'` {@link ModelDocument}.
   *
   * @returns the document (config `n`, `rule`, `temperature`; weights `[N, N]`, bias `[N]`)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * new HopfieldNetwork(2).toDocument().kind; // 'hopfield'
   * ```
   */
  toDocument(): ModelDocument {
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'hopfield',
      config: { n: this.dimension, rule: this.rule, temperature: this.temp },
      tensors: {
        weights: tensorToJson({ shape: [this.dimension, this.dimension], data: this.weights.data }),
        bias: tensorToJson({ shape: [this.dimension], data: this.bias }),
      },
      state: modelState(this.random),
    };
  }

  /**
   * Loads a network saved by {@link HopfieldNetwork.toDocument} (a document
   * without `temperature` has `T = 1`).
   *
   * @param doc - the parsed JSON document
   * @param options - `rng`: seed or generator of the loaded network's stream (default: the saved stream, `state.rng`, continued; seed 0 for a document without one)
   * @returns the network
   * @throws {FormatError} when the document is malformed, asymmetric or has a non-zero diagonal
   * @throws {TypeError | RangeError} on unknown options or a bad `rng`
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = new HopfieldNetwork(3);
   * net.fit([[1, -1, 1]]);
   * HopfieldNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument()))).dimension; // 3
   * ```
   */
  static fromDocument(doc: unknown, options?: Pick<HopfieldNetworkOptions, 'rng'>): HopfieldNetwork {
    const o = checkOptionsKeys('HopfieldNetwork.fromDocument', options, RNG_KEYS);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, 'HopfieldNetwork.fromDocument');
    const d = checkDocument(doc, 'hopfield');
    const n = d.config.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new FormatError(`load hopfield: config.n must be a positive integer (got ${describeValue(n)})`);
    }
    const temperature = readTemperature('load hopfield', d);
    const rule = readRule('load hopfield', d, FIT_RULES);
    const w = readTensor(d, 'weights', [n, n]);
    const b = readTensor(d, 'bias', [n]);
    let net: HopfieldNetwork;
    try {
      net = HopfieldNetwork.fromWeights({ rows: n, cols: n, data: w.data }, b.data, { rng, temperature });
    } catch (e) {
      throw new FormatError(`load hopfield: ${(e as Error).message}`);
    }
    net.rule = rule;
    if (rng === undefined) restoreModelRandom('load hopfield', d, net.random);
    return net;
  }

  /**
   * An independent copy: the same weights, biases, rule and temperature, and a
   * copy of the generator stream (so the copy draws what this network would).
   *
   * @returns the copy
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const a = new HopfieldNetwork(4, { rng: 2 });
   * a.fit([[1, -1, 1, -1]]);
   * const b = a.clone();
   * a.sample(2).data.join() === b.sample(2).data.join(); // true
   * ```
   */
  clone(): HopfieldNetwork {
    const c = new HopfieldNetwork(this.dimension, { rng: this.random.clone(), temperature: this.temp });
    c.weights.data.set(this.weights.data);
    c.bias.set(this.bias);
    c.rule = this.rule;
    return c;
  }
}

const RNG_KEYS = optionKeys<Pick<HopfieldNetworkOptions, 'rng'>>()({ rng: true });

const GIBBS_KEYS = optionKeys<QuadraticGibbsOptions>()({ temperature: true, scan: true, clamp: true, rng: true, initial: true });

/**
 * {@link HopfieldNetwork.fit} with the function named in messages (`where`), for the models built
 * on a {@link HopfieldNetwork} (the expanded network). Every argument is checked before anything
 * changes. @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { fitHopfieldAt } from './hopfield-network.js';
 * fitHopfieldAt('MyModel.fit', new HopfieldNetwork(2), [[1, -1]]).epochs; // 1
 * ```
 */
export function fitHopfieldAt(where: string, net: HopfieldNetwork, patterns: DataInput, options?: HopfieldFitOptions): FitResult {
  const o = checkOptionsKeys(where, options, FIT_KEYS);
  const rule = o.rule === undefined ? 'hebbian' : checkOneOf(where, 'rule', o.rule, FIT_RULES);
  checkRuleOptions(where, o, rule);
  checkThreads(where, o.threads);
  if (rule === 'contrastive') {
    checkContrastiveSizes(where, o, net.dimension);
    const { rule: _rule, scale: _scale, tolerance: _tolerance, ...rest } = o;
    return trainHopfieldContrastiveAt(where, net, patterns, { ...rest, init: o.init === undefined ? 'hebbian' : o.init });
  }
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: net.dimension });
  const scale = o.scale === undefined ? 'n' : checkOneOf(where, 'scale', o.scale, ['n', 'patterns', 'none'] as const);
  const tolerance = o.tolerance === undefined ? 1e-9 : checkPositive(where, 'tolerance', o.tolerance);
  if (o.epochs !== undefined) checkSteps(where, 'epochs', o.epochs, 0);
  checkFitCallbacks(where, o);
  return withThreads(o.threads, () => {
    if (o.signal?.aborted) return { history: [], epochs: 0, aborted: true };
    const t0 = now();
    const w = rule === 'hebbian' ? hebbianWeightsUnchecked(xi, scale) : rule === 'storkey' ? storkeyWeightsUnchecked(xi) : pseudoInverseWeightsUnchecked(xi, tolerance);
    net.weights.data.set(w.data);
    net.bias.fill(0);
    net.rule = rule;
    return oneShotResult(xi.rows, t0, o.onEpoch);
  });
}

/**
 * {@link HopfieldNetwork.partialFit} with the function named in messages (`where`). @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { partialFitHopfieldAt } from './hopfield-network.js';
 * partialFitHopfieldAt('MyModel.partialFit', new HopfieldNetwork(2), [[1, -1]]).epochs; // 1
 * ```
 */
export function partialFitHopfieldAt(where: string, net: HopfieldNetwork, patterns: DataInput, options?: HopfieldPartialFitOptions): FitResult {
  const o = checkOptionsKeys(where, options, PARTIAL_FIT_KEYS);
  const own = net.rule === 'storkey' || net.rule === 'contrastive' || net.rule === 'pseudo-inverse' ? net.rule : 'hebbian';
  const rule = o.rule === undefined ? own : checkOneOf(where, 'rule', o.rule, FIT_RULES);
  if (rule === 'pseudo-inverse') {
    throw new RangeError(
      `${where}: the pseudo-inverse rule is not incremental (it projects onto the span of all the patterns at once); refit with every pattern, fit(all, { rule: 'pseudo-inverse' }), or pass rule 'hebbian', 'storkey' or 'contrastive'`,
    );
  }
  checkRuleOptions(where, o, rule);
  checkThreads(where, o.threads);
  if (rule === 'contrastive') {
    checkContrastiveSizes(where, o, net.dimension);
    const { rule: _rule, ...rest } = o;
    return trainHopfieldContrastiveAt(where, net, patterns, { ...rest, epochs: 1, init: 'current' });
  }
  const n = net.dimension;
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: n });
  checkFitCallbacks(where, o);
  return withThreads(o.threads, () => {
    if (o.signal?.aborted) return { history: [], epochs: 0, aborted: true };
    const t0 = now();
    const w = net.weights.data;
    const wasZero = isAllZero(w);
    if (rule === 'hebbian') {
      for (let p = 0; p < xi.rows; p++) hebbianUpdateUnchecked(w, xi.data.subarray(p * n, (p + 1) * n), n, 1 / n);
    } else {
      const h = new Float64Array(n);
      for (let p = 0; p < xi.rows; p++) storkeyUpdateUnchecked(w, xi.data.subarray(p * n, (p + 1) * n), n, h);
    }
    if (net.rule !== rule) net.rule = wasZero ? rule : 'custom';
    return oneShotResult(xi.rows, t0, o.onEpoch);
  });
}

/**
 * {@link HopfieldNetwork.sample} with the function named in messages (`where`). @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { sampleHopfieldAt } from './hopfield-network.js';
 * sampleHopfieldAt('MyModel.sample', new HopfieldNetwork(2), 3).rows; // 3
 * ```
 */
export function sampleHopfieldAt(where: string, net: HopfieldNetwork, n: number, options?: HopfieldSampleOptions): Matrix {
  const { temperature, sweeps, scan, initial, clamp, rng } = checkHopfieldSample(where, net, n, options);
  const N = net.dimension;
  const out = new Float64Array(n * N);
  const start = new Float64Array(N);
  let g: QuadraticGibbs | undefined;
  for (let r = 0; r < n; r++) {
    if (initial) start.set(initial);
    else for (let i = 0; i < N; i++) start[i] = rng.float64() < 0.5 ? -1 : 1;
    if (g === undefined) g = new QuadraticGibbs(net.quadratic, { temperature, scan, rng, clamp, initial: start });
    else g.setState(start);
    for (let t = 0; t < sweeps; t++) g.step();
    out.set(g.state, r * N);
  }
  return { rows: n, cols: N, data: out };
}

/**
 * Every check of {@link HopfieldNetwork.sample} (`n ≥ 1` and its size, temperature, sweeps or
 * steps, scan, initial, clamp, rng), drawing nothing, with `where` in messages. @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { checkHopfieldSample } from './hopfield-network.js';
 * checkHopfieldSample('f', new HopfieldNetwork(2), 3, { sweeps: 5 }).sweeps; // 5
 * ```
 */
export function checkHopfieldSample(
  where: string,
  net: HopfieldNetwork,
  n: number,
  options?: HopfieldSampleOptions,
): { temperature: number; sweeps: number; scan: 'sequential' | 'random'; initial: Float64Array | undefined; clamp: Uint8Array | undefined; rng: Random } {
  checkSize(where, 'n', n, 1);
  checkElements(where, 'n × dimension', n, net.dimension);
  const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
  const N = net.dimension;
  const temperature = o.temperature === undefined ? net.temperature : checkPositive(where, 'temperature', o.temperature);
  if (o.sweeps !== undefined && o.steps !== undefined) throw new TypeError(`${where}: give sweeps or steps (the contract's name for it), not both`);
  const sweeps = o.steps !== undefined ? checkSize(where, 'steps', o.steps, 1, 'maxSteps') : o.sweeps === undefined ? 100 : checkSize(where, 'sweeps', o.sweeps, 1, 'maxSteps');
  const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
  const initial = o.initial === undefined ? undefined : net.quadratic.checkState(where, 'initial', o.initial);
  const clamp = checkClamp(where, o.clamp, N);
  if (clamp && !initial) throw new TypeError(`${where}: clamp needs initial (the values the clamped units are held at)`);
  const rng = o.rng === undefined ? net.random : toRandom(o.rng, where);
  return { temperature, sweeps, scan, initial, clamp, rng };
}

/** The checked options of {@link HopfieldNetwork.evolve} (see {@link checkEvolveOptions}). @internal */
export interface CheckedEvolveOptions {
  /** `'async'` or `'sync'`. */
  readonly mode: 'async' | 'sync';
  /** The `Θ(0) = −1` tie rule. */
  readonly minus: boolean;
  /** Sweep limit (at most `LIMITS.maxSteps`). */
  readonly maxSweeps: number;
  /** Clamp mask of the right length, if any. */
  readonly clamp: Uint8Array | undefined;
  /** Whether to record a trace. */
  readonly traced: boolean;
  /** The generator of `order: 'random'`, else null. */
  readonly rng: Random | null;
}

/**
 * Checks every option of {@link HopfieldNetwork.evolve} (mode, order, tie, maxSweeps, rng —
 * also when `order` does not use it —, clamp, trace) without drawing anything, naming `where`
 * in messages. @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { checkEvolveOptions } from './hopfield-network.js';
 * checkEvolveOptions('f', new HopfieldNetwork(2), { maxSweeps: 5 }).maxSweeps; // 5
 * ```
 */
export function checkEvolveOptions(where: string, net: HopfieldNetwork, o: Partial<EvolveOptions>): CheckedEvolveOptions {
  const mode = o.mode === undefined ? 'async' : checkOneOf(where, 'mode', o.mode, ['async', 'sync'] as const);
  const order = o.order === undefined ? 'sequential' : checkOneOf(where, 'order', o.order, ['sequential', 'random'] as const);
  const minus = (o.tie === undefined ? 'keep' : checkOneOf(where, 'tie', o.tie, ['keep', 'minus'] as const)) === 'minus';
  const maxSweeps = o.maxSweeps === undefined ? 1000 : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
  const clamp = checkClamp(where, o.clamp, net.dimension);
  const traced = o.trace === undefined ? false : checkBoolean(where, 'trace', o.trace);
  const given = o.rng === undefined ? undefined : toRandom(o.rng, where);
  const rng = order === 'random' ? (given ?? net.random) : null;
  return { mode, minus, maxSweeps, clamp, traced, rng };
}

/**
 * The deterministic dynamics of {@link HopfieldNetwork.evolve} from a checked cue with
 * options from {@link checkEvolveOptions}. @internal
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { checkEvolveOptions, evolveHopfieldChecked } from './hopfield-network.js';
 * const net = new HopfieldNetwork(2);
 * evolveHopfieldChecked(net, Float64Array.of(1, -1), checkEvolveOptions('f', net, {})).converged; // true
 * ```
 */
export function evolveHopfieldChecked(net: HopfieldNetwork, cue: Float64Array, c: CheckedEvolveOptions): EvolveResult {
  const n = net.dimension;
  const { minus, maxSweeps, rng } = c;
  const w = net.weights.data;
  const b = net.bias;
  const y = cue.slice();
  const h = b.slice();
  getKernel().gemv(false, n, n, 1, w, n, y, 1, h);
  const free = freeUnits(c.clamp, n);
  const energies = new Float64Array(maxSweeps + 1);
  const counters = new Float64Array(2);
  let converged: boolean;
  let cycle = false;
  const recorder = c.traced ? new UpdateTraceRecorder(energyFromFields(y, h, b, n)) : null;
  if (c.mode === 'async') {
    converged = recorder
      ? evolveAsyncTraced(w, b, y, h, n, free, free.length, minus, maxSweeps, rng, rng !== null, energies, counters, recorder)
      : evolveAsyncUnchecked(w, b, y, h, n, free, free.length, minus, maxSweeps, rng, rng !== null, energies, counters);
  } else {
    const r = evolveSyncUnchecked(w, b, y, h, n, free, minus, maxSweeps, energies, counters, recorder);
    converged = r === 1;
    cycle = r === 2;
  }
  const sweeps = counters[0];
  const result = { state: y, converged, sweeps, flips: counters[1], energies: energies.slice(0, sweeps + 1), cycle };
  return recorder ? { ...result, trace: recorder.finish() } : result;
}

/** `threads` of the fit options: an integer in [1, 64] when given (as {@link withThreads} takes it). */
function checkThreads(where: string, threads: unknown): void {
  if (threads !== undefined) checkInt(where, 'threads', threads, 1, 64);
}

/**
 * The sizes of contrastive training, checked against {@link LIMITS} before any work: `epochs`,
 * `steps` and `maxSweeps` are loop counts (`LIMITS.maxSteps`), `starts` sizes a `[starts, N]`
 * buffer of valleys (`LIMITS.maxElements`).
 */
function checkContrastiveSizes(where: string, o: { epochs?: unknown; steps?: unknown; maxSweeps?: unknown; starts?: unknown }, n: number): void {
  if (o.epochs !== undefined) checkSize(where, 'epochs', o.epochs, 0, 'maxSteps');
  if (o.steps !== undefined) checkSize(where, 'steps', o.steps, 1, 'maxSteps');
  if (o.maxSweeps !== undefined) checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
  if (o.starts !== undefined) checkElements(where, 'starts × N', checkSize(where, 'starts', o.starts, 1), n);
}

/** `config.temperature` of a document: absent → 1, else a positive finite number. */
function readTemperature(where: string, doc: ModelDocument): number {
  const t = doc.config.temperature;
  if (t === undefined) return 1;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) throw new FormatError(`${where}: config.temperature must be a positive number (got ${describeValue(t)})`);
  return t;
}

/**
 * `config.rule` of a Hopfield-family document: one of `rules` or 'custom' ('custom' when absent);
 * anything else — a misspelt rule, a number — is a FormatError rather than a network that
 * reports the wrong rule.
 * @internal
 */
export function readRule<R extends string>(where: string, doc: ModelDocument, rules: readonly R[]): R | 'custom' {
  const rule = doc.config.rule;
  if (rule === undefined) return 'custom';
  const allowed: readonly string[] = [...rules, 'custom'];
  if (typeof rule !== 'string' || !allowed.includes(rule)) {
    throw new FormatError(`${where}: config.rule must be one of ${allowed.join(', ')} (got ${describeValue(rule)})`);
  }
  return rule as R | 'custom';
}

/** Refuses an option that belongs to another rule (e.g. `variant` with `'hebbian'`). */
function checkRuleOptions(where: string, o: object, rule: HopfieldFitRule): void {
  for (const [key, value] of Object.entries(o)) {
    const only = RULE_ONLY[key];
    if (value !== undefined && only !== undefined && only !== rule) {
      throw new TypeError(`${where}: option '${key}' applies only to rule '${only}' (the rule is '${rule}')`);
    }
  }
}

function checkFitCallbacks(where: string, o: { onEpoch?: unknown; signal?: unknown }): void {
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
}

/** The one-entry history of a one-shot storage (`steps` = patterns stored; no learning rate). */
function oneShotResult(patterns: number, t0: number, onEpoch: ((m: EpochMetrics) => unknown) | undefined): FitResult {
  const m: EpochMetrics = { epoch: 0, steps: patterns, learningRate: Number.NaN, seconds: (now() - t0) / 1000 };
  onEpoch?.(m);
  return { history: [m], epochs: 1, aborted: false };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** A bias vector from a Float64Array or a plain array of numbers (copied). */
function toBias(where: string, bias: ArrayLike<number>, n: number): Float64Array {
  if (bias instanceof Float64Array) return checkVector(where, 'bias', bias, n).slice();
  if (!Array.isArray(bias) && !ArrayBuffer.isView(bias)) throw new TypeError(`${where}: bias must be an array of numbers (got ${describeValue(bias)})`);
  if (bias.length !== n) throw new ShapeError(`${where}: bias must have length ${n} (got ${bias.length})`);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = bias[i];
    if (typeof v !== 'number') throw new TypeError(`${where}: bias must hold only numbers (got ${describeValue(v)} at index ${i})`);
    b[i] = v;
  }
  return b;
}

function isAllZero(w: Float64Array): boolean {
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

/** Validates an optional clamp mask. */
function checkClamp(where: string, clamp: unknown, n: number): Uint8Array | undefined {
  if (clamp === undefined) return undefined;
  if (!(clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(clamp)})`);
  if (clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${clamp.length})`);
  return clamp;
}

/** The indices of the units not clamped. */
function freeUnits(clamp: Uint8Array | undefined, n: number): Uint32Array {
  if (!clamp) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (!clamp[i]) m++;
  const free = new Uint32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (!clamp[i]) free[m++] = i;
  return free;
}

/**
 * Unchecked fixed-point test (computes each field in O(N), stops at the first unstable unit).
 *
 * @example
 * ```ts
 * import { HopfieldNetwork } from 'boltzmann';
 * import { isFixedPointUnchecked } from 'boltzmann/base';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, -1, 1, -1]]);
 * isFixedPointUnchecked(net.weights.data, net.bias, Float64Array.of(1, -1, 1, -1), 4, false); // true
 * ```
 * @category Models
 */
export function isFixedPointUnchecked(w: Float64Array, b: Float64Array, y: Float64Array, n: number, minus: boolean): boolean {
  for (let i = 0; i < n; i++) {
    let hi = b[i];
    const o = i * n;
    for (let j = 0; j < n; j++) hi += w[o + j] * y[j];
    const yi = y[i];
    if (yi * hi < 0 || (minus && hi === 0 && yi > 0)) return false;
  }
  return true;
}

/**
 * Unchecked synchronous dynamics, in place on `y` and `h`: each step flips
 * every free unit whose field disagrees with it, all from the same fields.
 * Returns 1 when a fixed point was reached, 2 on a 2-cycle, 0 at the limit.
 */
function evolveSyncUnchecked(
  w: Float64Array,
  b: Float64Array,
  y: Float64Array,
  h: Float64Array,
  n: number,
  free: Uint32Array,
  minus: boolean,
  maxSweeps: number,
  energies: Float64Array,
  counters: Float64Array,
  recorder: UpdateTraceRecorder | null,
): number {
  energies[0] = energyFromFields(y, h, b, n);
  const stepFields = recorder ? new Float64Array(n) : null;
  const flipList = new Uint32Array(free.length);
  const back1 = new Float64Array(n); // y(t): the state before the current step
  const back2 = new Float64Array(n); // y(t−1)
  let sweeps = 0;
  let flips = 0;
  let status = 0;
  while (sweeps < maxSweeps) {
    let m = 0;
    for (let k = 0; k < free.length; k++) {
      const i = free[k];
      const hi = h[i];
      const yi = y[i];
      if (yi * hi < 0 || (minus && hi === 0 && yi > 0)) flipList[m++] = i;
    }
    sweeps++;
    if (m === 0) {
      energies[sweeps] = energies[sweeps - 1];
      status = 1;
      break;
    }
    back2.set(back1);
    back1.set(y);
    if (stepFields) stepFields.set(h);
    for (let k = 0; k < m; k++) {
      const i = flipList[k];
      const d = -2 * y[i];
      if (recorder && stepFields) {
        const dE = -d * h[i];
        y[i] = -y[i];
        addRowUnchecked(h, w, i * n, n, d);
        recorder.push(sweeps, i, stepFields[i], dE, y[i], energyFromFields(y, h, b, n), true);
        continue;
      }
      y[i] = -y[i];
      addRowUnchecked(h, w, i * n, n, d);
    }
    flips += m;
    energies[sweeps] = energyFromFields(y, h, b, n);
    if (sweeps >= 2) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (y[i] !== back2[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        status = 2;
        break;
      }
    }
  }
  counters[0] = sweeps;
  counters[1] = flips;
  return status;
}
