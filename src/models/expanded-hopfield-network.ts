/**
 * The lecture's expanded Hopfield network: `N` visible units plus `K` hidden
 * units, where the hidden part of each stored pattern is filled at random.
 * Retrieval evolves the whole network from a visible cue (hidden units
 * started at random, free) and reads the visible part.
 * @module
 */
import { FormatError } from '../errors.js';
import { checkDocument, type ModelDocument, readTensor, tensorToJson } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { HOPFIELD_RULES, type HopfieldRule, type PatternsInput, storeWeightsUnchecked, toSpinPatterns } from '../train/hopfield-rules.js';
import { checkBoolean, checkInt, checkOneOf, checkOptions, checkSpins, checkVector } from '../validate.js';
import { type EvolveOptions, type EvolveResult, HopfieldNetwork } from './hopfield-network.js';

/** Options of {@link ExpandedHopfieldNetwork.fromPatterns}. */
export interface ExpandedFromPatternsOptions {
  /** Number of hidden units K (≥ 0). */
  nHidden: number;
  /** Storage rule for the expanded `[P, N + K]` patterns. Default `'hebbian'`. */
  rule?: HopfieldRule;
  /** Accept 0/1 visible patterns. Default false. */
  binary?: boolean;
  /** Seed or generator for the random hidden parts. Default seed 0. */
  rng?: number | Random;
}

/** Options of {@link ExpandedHopfieldNetwork.recall}. */
export interface ExpandedRecallOptions extends Omit<EvolveOptions, 'clamp'> {
  /** Start of the hidden units: `'random'` ±1 (default) or a given length-K spin vector. */
  hiddenInit?: 'random' | Float64Array;
  /** Hold the visible units at the cue (only the hidden ones evolve). Default false. */
  clampVisible?: boolean;
}

/** Result of {@link ExpandedHopfieldNetwork.recall}. */
export interface ExpandedRecallResult extends EvolveResult {
  /** The visible part of the final state (length N). */
  readonly visible: Float64Array;
  /** The hidden part of the final state (length K). */
  readonly hidden: Float64Array;
}

/**
 * A Hopfield network on `N + K` units whose first `N` are visible.
 *
 * @example
 * ```ts
 * import { ExpandedHopfieldNetwork } from 'boltzmann';
 * const net = ExpandedHopfieldNetwork.fromPatterns([[1, -1, 1, -1, 1, -1]], { nHidden: 4, rng: 1 });
 * net.recall(Float64Array.of(1, -1, 1, -1, 1, 1), { rng: 2 }).visible; // [1, -1, 1, -1, 1, -1]
 * ```
 */
export class ExpandedHopfieldNetwork {
  /** Number of visible units N. */
  readonly nVisible: number;
  /** Number of hidden units K. */
  readonly nHidden: number;
  /** The underlying network on `N + K` units (visible first). */
  readonly network: HopfieldNetwork;
  /** The random hidden parts `[P, K]` assigned to the stored patterns. */
  readonly hiddenPatterns: Matrix;

  /**
   * @param network - a network on `nVisible + nHidden` units
   * @param nVisible - number of visible units (the first ones)
   * @param hiddenPatterns - `[P, K]` hidden parts (copied), `K = network.dimension − nVisible`
   * @throws {TypeError | RangeError | ShapeError} on inconsistent sizes or non-spin hidden patterns
   */
  constructor(network: HopfieldNetwork, nVisible: number, hiddenPatterns: Matrix) {
    const where = 'ExpandedHopfieldNetwork';
    if (!(network instanceof HopfieldNetwork)) throw new TypeError(`${where}: network must be a HopfieldNetwork`);
    checkInt(where, 'nVisible', nVisible, 1, network.dimension);
    const k = network.dimension - nVisible;
    const hp =
      hiddenPatterns.rows === 0 || k === 0
        ? { rows: hiddenPatterns.rows, cols: k, data: new Float64Array(hiddenPatterns.rows * k) }
        : toSpinPatterns(where, hiddenPatterns, { dimension: k });
    this.network = network;
    this.nVisible = nVisible;
    this.nHidden = k;
    this.hiddenPatterns = hp;
  }

  /**
   * Stores visible patterns, each extended by `K` random hidden spins.
   *
   * @param patterns - `[P, N]` visible spins (0/1 with `binary`)
   * @param options - `nHidden`, `rule`, `binary`, `rng`
   * @returns the expanded network
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * ExpandedHopfieldNetwork.fromPatterns([[1, -1, 1]], { nHidden: 2 }).network.dimension; // 5
   * ```
   */
  static fromPatterns(patterns: PatternsInput, options: ExpandedFromPatternsOptions): ExpandedHopfieldNetwork {
    const where = 'ExpandedHopfieldNetwork.fromPatterns';
    const o = checkOptions(where, options);
    const k = checkInt(where, 'nHidden', o.nHidden, 0);
    const rule = o.rule === undefined ? 'hebbian' : checkOneOf(where, 'rule', o.rule, HOPFIELD_RULES);
    const xi = toSpinPatterns(where, patterns, { binary: o.binary });
    const rng = toRandom(o.rng ?? 0, where);
    const p = xi.rows;
    const n = xi.cols;
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
    const net = new HopfieldNetwork(storeWeightsUnchecked({ rows: p, cols: n + k, data: full }, rule));
    net.rule = rule;
    return new ExpandedHopfieldNetwork(net, n, { rows: p, cols: k, data: hidden });
  }

  /**
   * Recalls from a visible cue: hidden units start at random (or as given),
   * the whole network evolves deterministically (see {@link HopfieldNetwork.evolve}),
   * and the visible part is read out.
   *
   * @param cue - length-N visible spins
   * @param options - evolution options, hidden start, visible clamping
   * @returns the evolution result with the visible and hidden parts split out
   * @throws {TypeError | RangeError | ShapeError} on bad input
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const net = ExpandedHopfieldNetwork.fromPatterns([[1, 1, -1, -1]], { nHidden: 2, rng: 1 });
   * net.recall(Float64Array.of(1, 1, -1, 1), { rng: 1 }).visible; // [1, 1, -1, -1]
   * ```
   */
  recall(cue: Float64Array, options?: ExpandedRecallOptions): ExpandedRecallResult {
    const where = 'ExpandedHopfieldNetwork.recall';
    const o = checkOptions(where, options);
    const n = this.nVisible;
    const k = this.nHidden;
    checkSpins(where, 'cue', checkVector(where, 'cue', cue, n));
    const v = toSpinPatterns(where, [cue as ArrayLike<number>], { dimension: n }).data;
    const clampVisible = o.clampVisible === undefined ? false : checkBoolean(where, 'clampVisible', o.clampVisible);
    let h0: Float64Array | undefined;
    if (o.hiddenInit !== undefined && o.hiddenInit !== 'random') {
      if (!(o.hiddenInit instanceof Float64Array)) throw new TypeError(`${where}: hiddenInit must be 'random' or a Float64Array`);
      checkSpins(where, 'hiddenInit', checkVector(where, 'hiddenInit', o.hiddenInit, k));
      h0 = toSpinPatterns(where, [o.hiddenInit as ArrayLike<number>], { dimension: k }).data;
    }
    const rng = toRandom(o.rng ?? 0, where);
    const full = new Float64Array(n + k);
    full.set(v);
    if (h0) full.set(h0, n);
    else for (let j = 0; j < k; j++) full[n + j] = rng.float64() < 0.5 ? -1 : 1;
    let clamp: Uint8Array | undefined;
    if (clampVisible) {
      clamp = new Uint8Array(n + k);
      clamp.fill(1, 0, n);
    }
    const { hiddenInit: _h, clampVisible: _c, ...evolveOptions } = o;
    const r = this.network.evolve(full, { ...evolveOptions, rng, clamp });
    return { ...r, visible: r.state.slice(0, n), hidden: r.state.slice(n) };
  }

  /**
   * Saves as a `'hopfield-expanded'` {@link ModelDocument}.
   *
   * @returns the document
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * ExpandedHopfieldNetwork.fromPatterns([[1, -1]], { nHidden: 1 }).toDocument().kind; // 'hopfield-expanded'
   * ```
   */
  toDocument(): ModelDocument {
    const d = this.network.dimension;
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'hopfield-expanded',
      config: { nVisible: this.nVisible, nHidden: this.nHidden, nPatterns: this.hiddenPatterns.rows, rule: this.network.rule },
      tensors: {
        weights: tensorToJson({ shape: [d, d], data: this.network.weights.data }),
        bias: tensorToJson({ shape: [d], data: this.network.bias }),
        hiddenPatterns: tensorToJson({ shape: [this.hiddenPatterns.rows, this.nHidden], data: this.hiddenPatterns.data }),
      },
    };
  }

  /**
   * Loads a network saved by {@link ExpandedHopfieldNetwork.toDocument}.
   *
   * @param doc - the parsed JSON document
   * @returns the network
   * @throws {FormatError} when the document is malformed
   * @example
   * ```ts
   * import { ExpandedHopfieldNetwork } from 'boltzmann';
   * const doc = ExpandedHopfieldNetwork.fromPatterns([[1, -1]], { nHidden: 1 }).toDocument();
   * ExpandedHopfieldNetwork.fromDocument(doc).nHidden; // 1
   * ```
   */
  static fromDocument(doc: unknown): ExpandedHopfieldNetwork {
    const d = checkDocument(doc, 'hopfield-expanded');
    const { nVisible, nHidden, nPatterns } = d.config;
    for (const [name, v, min] of [
      ['nVisible', nVisible, 1],
      ['nHidden', nHidden, 0],
      ['nPatterns', nPatterns, 0],
    ] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new FormatError(`load hopfield-expanded: config.${name} must be an integer ≥ ${min}`);
    }
    const nv = nVisible as number;
    const nh = nHidden as number;
    const np = nPatterns as number;
    const dim = nv + nh;
    const w = readTensor(d, 'weights', [dim, dim]);
    const b = readTensor(d, 'bias', [dim]);
    const hp = readTensor(d, 'hiddenPatterns', [np, nh]);
    try {
      const net = new HopfieldNetwork({ rows: dim, cols: dim, data: w.data }, b.data);
      if (typeof d.config.rule === 'string' && (HOPFIELD_RULES as readonly string[]).includes(d.config.rule)) net.rule = d.config.rule as HopfieldRule;
      return new ExpandedHopfieldNetwork(net, nv, { rows: np, cols: nh, data: hp.data });
    } catch (e) {
      throw new FormatError(`load hopfield-expanded: ${(e as Error).message}`);
    }
  }
}
