/**
 * The lecture's expanded Hopfield network: `N` visible units plus `K` hidden
 * units, where the hidden part of each stored pattern is filled at random.
 * Retrieval evolves the whole network from a visible cue (hidden units
 * started at random, free) and reads the visible part.
 * @module
 */

import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { EXACT_MAX_UNITS, exactLogPartition } from '../energy/exact.js';
import { describeValue, FormatError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { Random, toRandom } from '../random/random.js';
import { toSpinPatterns } from '../train/hopfield-rules.js';
import {
  checkBoolean,
  checkElements,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSpins,
  checkVector,
  type DataInput,
  optionKeys,
} from '../validate.js';
import type { FitResult, Model, ScoreResult } from './contract.js';
import {
  checkEvolveOptions,
  type EvolveOptions,
  type EvolveResult,
  evolveHopfieldChecked,
  FIT_RULES,
  fitHopfieldAt,
  type HopfieldFitOptions,
  HopfieldNetwork,
  type HopfieldNetworkOptions,
  type HopfieldPartialFitOptions,
  type HopfieldSampleOptions,
  partialFitHopfieldAt,
  readRule,
  sampleHopfieldAt,
} from './hopfield-network.js';

/** Options of the {@link ExpandedHopfieldNetwork} constructor.
 * @category Models
 */
export interface ExpandedHopfieldNetworkOptions {
  /** Seed or generator of the network's own stream (hidden parts, recall starts, samples). Default seed 0. */
  rng?: number | Random;
  /** Temperature `T > 0` of the stochastic network (sample, score). Default 1. */
  temperature?: number;
}

const NETWORK_KEYS = optionKeys<ExpandedHopfieldNetworkOptions>()({ rng: true, temperature: true });

/**
 * Options of {@link ExpandedHopfieldNetwork.fit}: those of
 * {@link HopfieldNetwork.fit} (rule and its options, `binary` for the visible
 * patterns), where `rng` (any rule) draws the random hidden parts and then
 * drives contrastive training. Default: the network's own stream.
 * @category Models
 */
export type ExpandedFitOptions = HopfieldFitOptions;

const FIT_KEYS = optionKeys<ExpandedFitOptions>()({
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

/** Options of {@link ExpandedHopfieldNetwork.partialFit} (see {@link HopfieldNetwork.partialFit}).
 * @category Models
 */
export type ExpandedPartialFitOptions = HopfieldPartialFitOptions;

const PARTIAL_FIT_KEYS = FIT_KEYS.filter((k) => k !== 'epochs' && k !== 'init' && k !== 'scale' && k !== 'tolerance');

/** Options of {@link ExpandedHopfieldNetwork.recall}.
 * @category Models
 */
export interface ExpandedRecallOptions extends Omit<EvolveOptions, 'clamp' | 'trace'> {
  /** Start of the hidden units: `'random'` ±1 (default) or a given length-K spin vector. */
  hiddenInit?: 'random' | Float64Array;
  /** Hold the visible units at the cue (only the hidden ones evolve). Default false. */
  clampVisible?: boolean;
}

const RECALL_KEYS = optionKeys<ExpandedRecallOptions>()({
  mode: true,
  order: true,
  tie: true,
  maxSweeps: true,
  rng: true,
  hiddenInit: true,
  clampVisible: true,
});

/** Result of {@link ExpandedHopfieldNetwork.recall}.
 * @category Models
 */
export interface ExpandedRecallResult extends EvolveResult {
  /** The visible part of the final state (length N). */
  readonly visible: Float64Array;
  /** The hidden part of the final state (length K). */
  readonly hidden: Float64Array;
}

/** Options of {@link ExpandedHopfieldNetwork.sample}: as {@link HopfieldSampleOptions}, with `initial`/`clamp` over all `N + K` units.
 * @category Models
 */
export type ExpandedSampleOptions = HopfieldSampleOptions;

const SAMPLE_KEYS = optionKeys<ExpandedSampleOptions>()({ temperature: true, sweeps: true, steps: true, scan: true, initial: true, clamp: true, rng: true });

/** Options of {@link ExpandedHopfieldNetwork.scoreSamples} and {@link ExpandedHopfieldNetwork.score}.
 * @category Models
 */
export interface ExpandedScoreOptions {
  /** `'exact'` or `'auto'` (default, the same): the visible marginal by enumeration. */
  method?: 'auto' | 'exact';
  /** Temperature `T > 0`. Default: the network's temperature. */
  temperature?: number;
  /** Accept 0/1 visible rows. Default false. */
  binary?: boolean;
}

const SCORE_KEYS = optionKeys<ExpandedScoreOptions>()({ method: true, temperature: true, binary: true });

/**
 * The lecture's expanded Hopfield network: `N` visible units plus `K` hidden
 * units, on one {@link HopfieldNetwork} of `N + K` units (visible first).
 * {@link ExpandedHopfieldNetwork.fit} extends each visible pattern by `K`
 * random hidden spins (drawn from the network's stream) and stores the
 * expanded patterns with a rule; retrieval evolves the whole network from a
 * visible cue and reads the visible part. `sample` and `score` concern the
 * visible units of the stochastic network at temperature `T` (hidden units
 * summed out).
 *
 * @example
 * ```ts
 * import { ExpandedHopfieldNetwork } from 'boltzmann';
 * const net = new ExpandedHopfieldNetwork(6, 4, { rng: 1 });
 * net.fit([[1, -1, 1, -1, 1, -1]]);
 * net.recall(Float64Array.of(1, -1, 1, -1, 1, 1)).visible; // [1, -1, 1, -1, 1, -1]
 * ```
 * @category Models
 */
export class ExpandedHopfieldNetwork implements Model<ExpandedFitOptions, ExpandedSampleOptions, ExpandedScoreOptions> {
  /** The document kind, `'hopfield-expanded'`. */
  readonly kind = 'hopfield-expanded' as const;
  /** Number of visible units N. */
  readonly nVisible: number;
  /** Number of hidden units K. */
  readonly nHidden: number;
  /** The underlying network on `N + K` units (visible first); it shares this network's stream. */
  readonly network: HopfieldNetwork;
  /** The network's own generator stream (also the underlying network's), seeded once at construction. */
  readonly random: Random;
  private hidden: Matrix;

  /**
   * A network of `nVisible + nHidden` units with zero weights and no stored pattern.
   *
   * @param nVisible - number of visible units N (≥ 1)
   * @param nHidden - number of hidden units K (≥ 0)
   * @param options - `rng` (default seed 0), `temperature` (default 1)
   * @throws {TypeError | RangeError} on bad sizes (a RangeError naming `LIMITS.maxElements` when the `[N + K, N + K]` weights would exceed it) or bad or unknown options
   */
  constructor(nVisible: number, nHidden: number, options?: ExpandedHopfieldNetworkOptions) {
    const where = 'ExpandedHopfieldNetwork';
    checkSize(where, 'nVisible', nVisible, 1);
    checkSize(where, 'nHidden', nHidden, 0);
    checkElements(where, '(nVisible + nHidden)²', nVisible + nHidden, nVisible + nHidden);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    const temperature = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    this.random = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
    this.network = new HopfieldNetwork(nVisible + nHidden, { rng: this.random, temperature });
    this.nVisible = nVisible;
    this.nHidden = nHidden;
    this.hidden = { rows: 0, cols: nHidden, data: new Float64Array(0) };
  }

  /** The random hidden parts `[P, K]` assigned to the stored patterns, in order. */
  get hiddenPatterns(): Matrix {
    return this.hidden;
  }

  /** Temperature `T > 0` of the stochastic network (the underlying network's). */
  get temperature(): number {
    return this.network.temperature;
  }

  /** Sets the temperature T > 0 of the underlying network. */
  set temperature(t: number) {
    this.network.temperature = checkPositive('ExpandedHopfieldNetwork.temperature', 'temperature', t);
  }

  /**
   * Stores visible patterns, replacing what was stored: each is extended by
   * `K` random hidden spins (from `options.rng`, else the network's stream)
   * and the `[P, N + K]` expanded patterns are stored with the rule (see
   * {@link HopfieldNetwork.fit}).
   *
   * @param patterns - `[P, N]` visible spins (0/1 with `binary`), any {@link DataInput}
   * @param options - rule and its options, `binary`, `rng`
   * @returns the underlying network's {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad input or unknown options (as {@link HopfieldNetwork.fit}; the network and its stream are left as they were)
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = new ExpandedHopfieldNetwork(3, 2);
   * net.fit([[1, -1, 1]], { rule: 'storkey' });
   * net.hiddenPatterns.rows; // 1
   * ```
   */
  fit(patterns: DataInput, options?: ExpandedFitOptions): FitResult {
    const where = 'ExpandedHopfieldNetwork.fit';
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const { rng: seed, binary, ...rest } = o;
    if (o.rule !== undefined) checkOneOf(where, 'rule', o.rule, ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive'] as const);
    const xi = toSpinPatterns(where, patterns, { binary, dimension: this.nVisible });
    const rng = seed === undefined ? this.random : toRandom(seed, where);
    const saved = rng.getState();
    const { full, hidden } = this.expand(xi, rng);
    let r: FitResult;
    try {
      r = fitHopfieldAt(where, this.network, full, o.rule === 'contrastive' ? { ...rest, rng } : rest);
    } catch (e) {
      rng.setState(saved); // a refused option leaves the stream where it was
      throw e;
    }
    this.hidden = hidden;
    return r;
  }

  /**
   * Stores more visible patterns, each with fresh random hidden spins,
   * continuing from the current weights (see {@link HopfieldNetwork.partialFit}:
   * Hebbian, Storkey and contrastive are incremental, the pseudo-inverse rule is refused).
   *
   * @param patterns - `[P, N]` visible spins (0/1 with `binary`), any {@link DataInput}
   * @param options - rule and its options, `binary`, `rng`
   * @returns the underlying network's {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad input, unknown options or the pseudo-inverse rule
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = new ExpandedHopfieldNetwork(4, 2);
   * net.fit([[1, 1, -1, -1]]);
   * net.partialFit([[1, -1, 1, -1]]);
   * net.hiddenPatterns.rows; // 2
   * ```
   */
  partialFit(patterns: DataInput, options?: ExpandedPartialFitOptions): FitResult {
    const where = 'ExpandedHopfieldNetwork.partialFit';
    const o = checkOptionsKeys(where, options, PARTIAL_FIT_KEYS);
    const { rng: seed, binary, ...rest } = o;
    const own = this.network.rule;
    const rule = o.rule !== undefined ? o.rule : own === 'storkey' || own === 'contrastive' || own === 'pseudo-inverse' ? own : 'hebbian';
    checkOneOf(where, 'rule', rule, ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive'] as const);
    if (rule === 'pseudo-inverse') {
      throw new RangeError(`${where}: the pseudo-inverse rule is not incremental (it projects onto the span of all the patterns at once); refit with every pattern`);
    }
    const xi = toSpinPatterns(where, patterns, { binary, dimension: this.nVisible });
    const rng = seed === undefined ? this.random : toRandom(seed, where);
    const saved = rng.getState();
    const { full, hidden } = this.expand(xi, rng);
    let r: FitResult;
    try {
      r = partialFitHopfieldAt(where, this.network, full, rule === 'contrastive' ? { ...rest, rule, rng } : { ...rest, rule });
    } catch (e) {
      rng.setState(saved); // a refused option leaves the stream where it was
      throw e;
    }
    const k = this.nHidden;
    const data = new Float64Array((this.hidden.rows + hidden.rows) * k);
    data.set(this.hidden.data);
    data.set(hidden.data, this.hidden.rows * k);
    this.hidden = { rows: this.hidden.rows + hidden.rows, cols: k, data };
    return r;
  }

  /** `[P, N + K]` expanded patterns with hidden parts drawn from `rng` (row by row, `K` draws each). */
  private expand(xi: Matrix, rng: Random): { full: Matrix; hidden: Matrix } {
    const p = xi.rows;
    const n = xi.cols;
    const k = this.nHidden;
    const full = new Float64Array(p * (n + k));
    const hidden = new Float64Array(p * k);
    for (let r = 0; r < p; r++) {
      full.set(xi.data.subarray(r * n, (r + 1) * n), r * (n + k));
      for (let j = 0; j < k; j++) {
        const v = rng.float64() < 0.5 ? -1 : 1;
        hidden[r * k + j] = v;
        full[r * (n + k) + n + j] = v;
      }
    }
    return { full: { rows: p, cols: n + k, data: full }, hidden: { rows: p, cols: k, data: hidden } };
  }

  /**
   * Recalls from a visible cue: hidden units start at random (from `rng`, else
   * the network's stream) or as given, the whole network evolves
   * deterministically (see {@link HopfieldNetwork.evolve}), and the visible
   * part is read out.
   *
   * @param cue - length-N visible spins
   * @param options - evolution options, hidden start, visible clamping
   * @returns the evolution result with the visible and hidden parts split out
   * @throws {TypeError | RangeError | ShapeError} on a bad cue or options, all checked before the hidden start is drawn (as {@link HopfieldNetwork.evolve})
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = new ExpandedHopfieldNetwork(4, 2, { rng: 1 });
   * net.fit([[1, 1, -1, -1]]);
   * net.recall(Float64Array.of(1, 1, -1, 1)).visible; // [1, 1, -1, -1]
   * ```
   */
  recall(cue: Float64Array, options?: ExpandedRecallOptions): ExpandedRecallResult {
    const where = 'ExpandedHopfieldNetwork.recall';
    const o = checkOptionsKeys(where, options, RECALL_KEYS);
    const n = this.nVisible;
    const k = this.nHidden;
    checkSpins(where, 'cue', checkVector(where, 'cue', cue, n));
    const v = toSpinPatterns(where, [cue as ArrayLike<number>], { dimension: n }).data;
    const clampVisible = o.clampVisible === undefined ? false : checkBoolean(where, 'clampVisible', o.clampVisible);
    let h0: Float64Array | undefined;
    if (o.hiddenInit !== undefined && o.hiddenInit !== 'random') {
      if (!(o.hiddenInit instanceof Float64Array)) throw new TypeError(`${where}: hiddenInit must be 'random' or a Float64Array (got ${describeValue(o.hiddenInit)})`);
      checkSpins(where, 'hiddenInit', checkVector(where, 'hiddenInit', o.hiddenInit, k));
      h0 = toSpinPatterns(where, [o.hiddenInit as ArrayLike<number>], { dimension: k }).data;
    }
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    let clamp: Uint8Array | undefined;
    if (clampVisible) {
      clamp = new Uint8Array(n + k);
      clamp.fill(1, 0, n);
    }
    // every option is checked (naming this method) before the hidden start draws from the stream
    const { hiddenInit: _h, clampVisible: _c, ...evolveOptions } = o;
    const checked = checkEvolveOptions(where, this.network, { ...evolveOptions, rng, clamp });
    const full = new Float64Array(n + k);
    full.set(v);
    if (h0) full.set(h0, n);
    else for (let j = 0; j < k; j++) full[n + j] = rng.float64() < 0.5 ? -1 : 1;
    const r = evolveHopfieldChecked(this.network, full, checked);
    return { ...r, visible: r.state.slice(0, n), hidden: r.state.slice(n) };
  }

  /**
   * `n` samples of the visible units of the stochastic network at temperature
   * `T`: Gibbs chains over all `N + K` units (see {@link HopfieldNetwork.sample}),
   * visible part kept. Draws continue the network's stream unless `rng` is given.
   *
   * @param n - number of samples
   * @param options - temperature, sweeps, scan, initial state and clamp mask (length `N + K`), generator
   * @returns `[n, N]` visible spins
   * @throws {TypeError | RangeError | ShapeError} on bad arguments or unknown options (as {@link HopfieldNetwork.sample})
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = new ExpandedHopfieldNetwork(4, 2, { rng: 3 });
   * net.fit([[1, 1, -1, -1]]);
   * net.sample(2).cols; // 4
   * ```
   */
  sample(n: number, options?: ExpandedSampleOptions): Matrix {
    const where = 'ExpandedHopfieldNetwork.sample';
    checkOptionsKeys(where, options, SAMPLE_KEYS);
    const all = sampleHopfieldAt(where, this.network, n, options);
    const nv = this.nVisible;
    const d = all.cols;
    const out = new Float64Array(all.rows * nv);
    for (let r = 0; r < all.rows; r++) out.set(all.data.subarray(r * d, r * d + nv), r * nv);
    return { rows: all.rows, cols: nv, data: out };
  }

  /**
   * Per-row log-likelihood (nats) of visible rows under the stochastic
   * network at temperature `T`, hidden units summed out:
   * `log P(v) = log Σ_h exp(−E(v, h)/T) − log Z`, both by exact enumeration
   * (up to {@link EXACT_MAX_UNITS} units in all).
   *
   * @param data - `[nRows, N]` visible spins (0/1 with `binary`), any {@link DataInput}
   * @param options - method (`'exact'`), temperature, binary
   * @returns one value per row
   * @throws {RangeError} when `N + K` is too large to enumerate, or on bad options
   * @throws {TypeError | ShapeError} on bad data or unknown options
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * new ExpandedHopfieldNetwork(2, 1).scoreSamples([[1, -1]])[0]; // −2·log 2 (zero weights: uniform)
   * ```
   */
  scoreSamples(data: DataInput, options?: ExpandedScoreOptions): Float64Array {
    return this.scoreRows('ExpandedHopfieldNetwork.scoreSamples', data, options).values;
  }

  /**
   * Mean visible log-likelihood per row (see {@link ExpandedHopfieldNetwork.scoreSamples});
   * exact, so `lower = upper = mean`.
   *
   * @param data - `[nRows, N]` visible spins, any {@link DataInput}
   * @param options - method, temperature, binary
   * @returns `{ mean, lower, upper, method: 'exact', logZ }`
   * @throws {RangeError} when `N + K` is too large to enumerate, or on bad options
   * @throws {TypeError | ShapeError} on bad data or unknown options
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = new ExpandedHopfieldNetwork(4, 2);
   * net.fit([[1, 1, -1, -1]]);
   * net.score([[1, 1, -1, -1]]).method; // 'exact'
   * ```
   */
  score(data: DataInput, options?: ExpandedScoreOptions): ScoreResult {
    const r = this.scoreRows('ExpandedHopfieldNetwork.score', data, options);
    let sum = 0;
    for (const v of r.values) sum += v;
    const mean = sum / r.values.length;
    return { mean, lower: mean, upper: mean, method: 'exact', logZ: r.logZ };
  }

  private scoreRows(where: string, data: DataInput, options: ExpandedScoreOptions | undefined): { values: Float64Array; logZ: number } {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    if (o.method !== undefined) checkOneOf(where, 'method', o.method, ['auto', 'exact'] as const);
    const t = o.temperature === undefined ? this.temperature : checkPositive(where, 'temperature', o.temperature);
    const n = this.nVisible;
    const d = this.network.dimension;
    const xi = toSpinPatterns(where, data, { binary: o.binary, dimension: n });
    if (d > EXACT_MAX_UNITS) {
      throw new RangeError(
        `${where}: the exact visible log-likelihood enumerates all 2^(N+K) states and is limited to N + K ≤ ${EXACT_MAX_UNITS} units (got ${n} + ${this.nHidden} = ${d})`,
      );
    }
    const q = this.network.quadratic;
    const logZ = exactLogPartition(q, { temperature: t });
    const clamp = new Uint8Array(d);
    clamp.fill(1, 0, n);
    const values = new Float64Array(xi.rows);
    const state = new Float64Array(d).fill(1);
    for (let r = 0; r < xi.rows; r++) {
      state.set(xi.data.subarray(r * n, (r + 1) * n));
      values[r] = exactLogPartition(q, { temperature: t, clamp, clampValues: state }) - logZ;
    }
    return { values, logZ };
  }

  /**
   * Saves as a `'hopfield-expanded'` {@link ModelDocument}.
   *
   * @returns the document (config `nVisible`, `nHidden`, `nPatterns`, `rule`, `temperature`; weights, bias, hidden parts)
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * new ExpandedHopfieldNetwork(2, 1).toDocument().kind; // 'hopfield-expanded'
   * ```
   */
  toDocument(): ModelDocument {
    const d = this.network.dimension;
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'hopfield-expanded',
      config: { nVisible: this.nVisible, nHidden: this.nHidden, nPatterns: this.hidden.rows, rule: this.network.rule, temperature: this.temperature },
      tensors: {
        weights: tensorToJson({ shape: [d, d], data: this.network.weights.data }),
        bias: tensorToJson({ shape: [d], data: this.network.bias }),
        hiddenPatterns: tensorToJson({ shape: [this.hidden.rows, this.nHidden], data: this.hidden.data }),
      },
      state: modelState(this.random),
    };
  }

  /**
   * Loads a network saved by {@link ExpandedHopfieldNetwork.toDocument} (a
   * document without `temperature` has `T = 1`).
   *
   * @param doc - the parsed JSON document
   * @param options - `rng`: seed or generator of the loaded network's stream (default: the saved stream, `state.rng`, continued; seed 0 for a document without one)
   * @returns the network
   * @throws {FormatError} when the document is malformed
   * @throws {TypeError | RangeError} on unknown options or a bad `rng`
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const doc = new ExpandedHopfieldNetwork(2, 1).toDocument();
   * ExpandedHopfieldNetwork.fromDocument(doc).nHidden; // 1
   * ```
   */
  static fromDocument(doc: unknown, options?: Pick<HopfieldNetworkOptions, 'rng'>): ExpandedHopfieldNetwork {
    const o = checkOptionsKeys('ExpandedHopfieldNetwork.fromDocument', options, RNG_KEYS);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, 'ExpandedHopfieldNetwork.fromDocument');
    const d = checkDocument(doc, 'hopfield-expanded');
    const { nVisible, nHidden, nPatterns } = d.config;
    for (const [name, v, min] of [
      ['nVisible', nVisible, 1],
      ['nHidden', nHidden, 0],
      ['nPatterns', nPatterns, 0],
    ] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        throw new FormatError(`load hopfield-expanded: config.${name} must be an integer ≥ ${min} (got ${describeValue(v)})`);
      }
    }
    const t = d.config.temperature;
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t <= 0)) {
      throw new FormatError(`load hopfield-expanded: config.temperature must be a positive number (got ${describeValue(t)})`);
    }
    const nv = nVisible as number;
    const nh = nHidden as number;
    const np = nPatterns as number;
    const dim = nv + nh;
    const rule = readRule('load hopfield-expanded', d, FIT_RULES);
    const w = readTensor(d, 'weights', [dim, dim]);
    const b = readTensor(d, 'bias', [dim]);
    const hp = readTensor(d, 'hiddenPatterns', [np, nh]);
    try {
      const checked = HopfieldNetwork.fromWeights({ rows: dim, cols: dim, data: w.data }, b.data);
      const hidden = np === 0 || nh === 0 ? { rows: np, cols: nh, data: new Float64Array(np * nh) } : toSpinPatterns('ExpandedHopfieldNetwork', { rows: np, cols: nh, data: hp.data });
      const net = new ExpandedHopfieldNetwork(nv, nh, { rng, temperature: t as number | undefined });
      net.network.weights.data.set(checked.weights.data);
      net.network.bias.set(checked.bias);
      net.network.rule = rule;
      net.hidden = hidden;
      if (rng === undefined) restoreModelRandom('load hopfield-expanded', d, net.random);
      return net;
    } catch (e) {
      throw new FormatError(`load hopfield-expanded: ${(e as Error).message}`);
    }
  }

  /**
   * An independent copy: the same weights, hidden parts, rule and temperature,
   * and a copy of the generator stream.
   *
   * @returns the copy
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const a = new ExpandedHopfieldNetwork(3, 2, { rng: 4 });
   * a.fit([[1, -1, 1]]);
   * a.clone().hiddenPatterns.data.join() === a.hiddenPatterns.data.join(); // true
   * ```
   */
  clone(): ExpandedHopfieldNetwork {
    const c = new ExpandedHopfieldNetwork(this.nVisible, this.nHidden, { rng: this.random.clone(), temperature: this.temperature });
    c.network.weights.data.set(this.network.weights.data);
    c.network.bias.set(this.network.bias);
    c.network.rule = this.network.rule;
    c.hidden = { rows: this.hidden.rows, cols: this.nHidden, data: this.hidden.data.slice() };
    return c;
  }
}

const RNG_KEYS = optionKeys<Pick<HopfieldNetworkOptions, 'rng'>>()({ rng: true });
