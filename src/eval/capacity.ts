/**
 * The capacity lab: how many patterns a Hopfield network stores, and how well
 * it recalls them. Every function returns plain data for plotting.
 *
 * - {@link stability}: which stored patterns are fixed points;
 * - {@link recallOverlap}: overlap `m = ξ·y/N` reached from cues with bits
 *   flipped or masked;
 * - {@link basinRadius}: how many flipped bits a pattern still recovers from;
 * - {@link spuriousAttractors}: where random starts end up (stored, reversed,
 *   mixture, other);
 * - {@link capacitySweep}: all of it against the load `α = P/N`.
 *
 * Published marks: {@link AGS_CRITICAL_LOAD} (Amit, Gutfreund & Sompolinsky
 * 1985) and {@link mcElieceCapacity} (McEliece, Posner, Rodemich & Venkatesh 1987).
 * @module
 */

import { localFieldsUnchecked } from '../energy/quadratic.js';
import { describeValue } from '../errors.js';
import { getKernel } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { log } from '../math/elementary.js';
import { DenseAssociativeMemory, type InteractionFunction } from '../models/dense-associative-memory.js';
import { energyFromFields, evolveAsyncUnchecked, HopfieldNetwork, isFixedPointUnchecked } from '../models/hopfield-network.js';
import { ModernHopfieldNetwork } from '../models/modern-hopfield-network.js';
import { Random, toRandom } from '../random/random.js';
import { HOPFIELD_RULES, type HopfieldRule, toSpinPatterns } from '../train/hopfield-rules.js';
import { checkBoolean, checkElements, checkInRange, checkInt, checkOneOf, checkOptionsKeys, checkSize, type DataInput, optionKeys } from '../validate.js';

/**
 * The critical load of Hebbian storage for large N: `α_c ≈ 0.138` (Amit, Gutfreund & Sompolinsky 1985).
 *
 * @example
 * ```ts
 * import { AGS_CRITICAL_LOAD } from 'boltzmann';
 * Math.floor(AGS_CRITICAL_LOAD * 1000); // 138 patterns at most for N = 1000
 * ```
 * @category Evaluation
 */
export const AGS_CRITICAL_LOAD = 0.138;

/**
 * McEliece et al. (1987): with Hebbian storage of random patterns, all `P`
 * patterns are exactly stable with probability → 1 only while
 * `P ≤ N / (4 ln N)`; a given single pattern is stable up to `N / (2 ln N)`.
 *
 * @param n - number of units (≥ 2)
 * @param which - `'all'` (default, `N/(4 ln N)`) or `'each'` (`N/(2 ln N)`)
 * @returns the number of patterns
 * @throws {RangeError | TypeError} when `n` is not an integer ≥ 2
 * @example
 * ```ts
 * import { mcElieceCapacity } from 'boltzmann';
 * Math.round(mcElieceCapacity(1000)); // 36
 * ```
 * @category Evaluation
 */
export function mcElieceCapacity(n: number, which: 'all' | 'each' = 'all'): number {
  checkInt('mcElieceCapacity', 'n', n, 2);
  checkOneOf('mcElieceCapacity', 'which', which, ['all', 'each'] as const);
  return n / ((which === 'all' ? 4 : 2) * log(n));
}

/** Evolution settings shared by the lab functions.
 * @category Evaluation
 */
export interface LabDynamicsOptions {
  /** Asynchronous visiting order. Default `'sequential'`. */
  order?: 'sequential' | 'random';
  /** Zero-field rule. Default `'keep'`. */
  tie?: 'keep' | 'minus';
  /** Sweep limit. Default 200. */
  maxSweeps?: number;
}

/** How a cue is made from a pattern.
 * @category Evaluation
 */
export interface CueOptions {
  /** Fraction of bits flipped, chosen at random (exactly `round(flip·N)` bits). Default 0. */
  flip?: number;
  /** Fraction of bits masked (the last `round(mask·N)` bits, as in a half-hidden image). Default 0. */
  mask?: number;
  /** What masked bits are set to: `'random'` ±1 (default), `'minus'` (−1) or `'plus'` (+1). */
  maskFill?: 'random' | 'minus' | 'plus';
}

const CUE_KEYS = optionKeys<CueOptions>()({ flip: true, mask: true, maskFill: true });

/**
 * Makes a cue from a pattern: flips `round(flip·N)` distinct random bits, and
 * overwrites the last `round(mask·N)` bits with `maskFill`.
 *
 * @param out - length-`N` output (may not alias `pattern`)
 * @param pattern - length-`N` spins
 * @param options - flip fraction, mask fraction, mask fill
 * @param rng - seed or generator
 * @returns `out`
 * @throws {RangeError | TypeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { makeCue } from 'boltzmann';
 * makeCue(new Float64Array(4), Float64Array.of(1, 1, 1, 1), { mask: 0.5, maskFill: 'minus' }, 1); // [1, 1, -1, -1]
 * ```
 * @category Evaluation
 */
export function makeCue(out: Float64Array, pattern: Float64Array, options: CueOptions, rng: number | Random): Float64Array {
  const where = 'makeCue';
  const x = toSpinPatterns(where, [pattern as ArrayLike<number>]).data;
  const n = x.length;
  if (!(out instanceof Float64Array) || out.length !== n) throw new TypeError(`${where}: out must be a Float64Array of length ${n} (got ${describeValue(out)})`);
  const c = checkCue(where, checkOptionsKeys(where, options, CUE_KEYS));
  makeCueUnchecked(out, x, n, c.flip, c.mask, c.maskFill, toRandom(rng, where), new Uint32Array(n));
  return out;
}

/** Reads the cue options of an already key-checked options object. */
function checkCue(where: string, o: CueOptions): Required<CueOptions> {
  return {
    flip: o.flip === undefined ? 0 : checkInRange(where, 'flip', o.flip, 0, 1),
    mask: o.mask === undefined ? 0 : checkInRange(where, 'mask', o.mask, 0, 1),
    maskFill: o.maskFill === undefined ? 'random' : checkOneOf(where, 'maskFill', o.maskFill, ['random', 'minus', 'plus'] as const),
  };
}

function makeCueUnchecked(
  out: Float64Array,
  x: Float64Array,
  n: number,
  flip: number,
  mask: number,
  maskFill: 'random' | 'minus' | 'plus',
  rng: Random,
  perm: Uint32Array,
): void {
  out.set(x);
  const nFlip = Math.round(flip * n);
  if (nFlip > 0) {
    for (let i = 0; i < n; i++) perm[i] = i;
    // Partial Fisher–Yates: the first nFlip entries are a uniform random subset.
    for (let k = 0; k < nFlip; k++) {
      const r = k + rng.int(n - k);
      const t = perm[k];
      perm[k] = perm[r];
      perm[r] = t;
      out[perm[k]] = -out[perm[k]];
    }
  }
  const nMask = Math.round(mask * n);
  for (let i = n - nMask; i < n; i++) out[i] = maskFill === 'minus' ? -1 : maskFill === 'plus' ? 1 : rng.float64() < 0.5 ? -1 : 1;
}

/** Reusable buffers for repeated evolution of one network (allocated once). */
class Dynamics {
  readonly n: number;
  readonly y: Float64Array;
  readonly h: Float64Array;
  readonly order: Uint32Array;
  readonly counters = new Float64Array(2);
  readonly perm: Uint32Array;
  private readonly w: Float64Array;
  private readonly b: Float64Array;
  private readonly minus: boolean;
  private readonly maxSweeps: number;
  private readonly rng: Random | null;

  constructor(net: HopfieldNetwork, dyn: Required<LabDynamicsOptions>, rng: Random) {
    const n = net.dimension;
    this.n = n;
    this.w = net.weights.data;
    this.b = net.bias;
    this.y = new Float64Array(n);
    this.h = new Float64Array(n);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.perm = new Uint32Array(n);
    this.minus = dyn.tie === 'minus';
    this.maxSweeps = dyn.maxSweeps;
    this.rng = dyn.order === 'random' ? rng : null;
  }

  /** Evolves `this.y` in place (units `first … N−1` only); returns whether it converged. */
  run(first = 0): boolean {
    this.h.set(this.b);
    getKernel().gemv(false, this.n, this.n, 1, this.w, this.n, this.y, 1, this.h);
    const count = this.n - first;
    for (let k = 0; k < count; k++) this.order[k] = first + k;
    return evolveAsyncUnchecked(this.w, this.b, this.y, this.h, this.n, this.order, count, this.minus, this.maxSweeps, this.rng, this.rng !== null, null, this.counters);
  }

  energy(): number {
    return energyFromFields(this.y, this.h, this.b, this.n);
  }
}

function checkDynamics(where: string, o: LabDynamicsOptions): Required<LabDynamicsOptions> {
  return {
    order: o.order === undefined ? 'sequential' : checkOneOf(where, 'order', o.order, ['sequential', 'random'] as const),
    tie: o.tie === undefined ? 'keep' : checkOneOf(where, 'tie', o.tie, ['keep', 'minus'] as const),
    maxSweeps: o.maxSweeps === undefined ? 200 : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps'),
  };
}

function checkNet(where: string, net: unknown): HopfieldNetwork {
  if (!(net instanceof HopfieldNetwork)) throw new TypeError(`${where}: net must be a HopfieldNetwork (got ${describeValue(net)})`);
  return net;
}

/** Result of {@link stability}.
 * @category Evaluation
 */
export interface StabilityResult {
  /** Fraction of patterns that are fixed points. */
  readonly stableFraction: number;
  /** Per pattern: 1 when it is a fixed point. */
  readonly stable: Uint8Array;
  /** Whether every pattern is a fixed point. */
  readonly allStable: boolean;
  /** Fraction of all bits `(p, i)` that would flip (`ξ_i h_i < 0`, or `h_i = 0`, `ξ_i = +1` with `tie: 'minus'`). */
  readonly unstableBitFraction: number;
}

/** Options of {@link stability}.
 * @category Evaluation
 */
export interface StabilityOptions {
  /** Zero-field rule. Default `'keep'`. */
  tie?: 'keep' | 'minus';
  /** Accept 0/1 patterns. Default false. */
  binary?: boolean;
}

const STABILITY_KEYS = optionKeys<StabilityOptions>()({ tie: true, binary: true });

/**
 * Which stored patterns are fixed points of the deterministic dynamics.
 *
 * @param net - the network
 * @param patterns - `[nPatterns, N]` spins, any {@link DataInput}
 * @param options - `tie` rule (default `'keep'`), `binary` to accept 0/1
 * @returns per-pattern stability and summary fractions
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { HopfieldNetwork, stability } from 'boltzmann';
 * const p = [[1, 1, -1, -1], [1, -1, 1, -1]];
 * const net = new HopfieldNetwork(4);
 * net.fit(p);
 * stability(net, p).stableFraction; // 1
 * ```
 * @category Evaluation
 */
export function stability(net: HopfieldNetwork, patterns: DataInput, options?: StabilityOptions): StabilityResult {
  const where = 'stability';
  checkNet(where, net);
  const o = checkOptionsKeys(where, options, STABILITY_KEYS);
  const minus = (o.tie === undefined ? 'keep' : checkOneOf(where, 'tie', o.tie, ['keep', 'minus'] as const)) === 'minus';
  const n = net.dimension;
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: n });
  return stabilityUnchecked(net, xi, minus);
}

function stabilityUnchecked(net: HopfieldNetwork, xi: Matrix, minus: boolean): StabilityResult {
  const n = xi.cols;
  const p = xi.rows;
  const h = new Float64Array(p * n);
  const w = net.weights.data;
  const b = net.bias;
  // Fresh fields with the same summation order as isFixedPoint, so both agree bit for bit at ties.
  for (let k = 0; k < p; k++) localFieldsUnchecked(h.subarray(k * n, (k + 1) * n), w, b, xi.data.subarray(k * n, (k + 1) * n), n);
  const stable = new Uint8Array(p);
  let bad = 0;
  let nStable = 0;
  for (let k = 0; k < p; k++) {
    let ok = 1;
    for (let i = 0; i < n; i++) {
      const yi = xi.data[k * n + i];
      const hi = h[k * n + i];
      if (yi * hi < 0 || (minus && hi === 0 && yi > 0)) {
        ok = 0;
        bad++;
      }
    }
    stable[k] = ok;
    nStable += ok;
  }
  return { stableFraction: nStable / p, stable, allStable: nStable === p, unstableBitFraction: bad / (p * n) };
}

/** Options of {@link recallOverlap}.
 * @category Evaluation
 */
export interface RecallOptions extends CueOptions, LabDynamicsOptions {
  /** Cues per pattern. Default 1. */
  trials?: number;
  /** Evaluate only the first `maxPatterns` patterns. Default all. */
  maxPatterns?: number;
  /** With `mask`: hold the unmasked bits at their (known) values, so only the masked ones evolve — a partial cue. Default false. */
  clampUnmasked?: boolean;
  /** Accept 0/1 patterns. Default false. */
  binary?: boolean;
  /** Seed or generator. Default: the network's own stream ({@link HopfieldNetwork.random}), continued. */
  rng?: number | Random;
}

const RECALL_KEYS = optionKeys<RecallOptions>()({
  flip: true,
  mask: true,
  maskFill: true,
  order: true,
  tie: true,
  maxSweeps: true,
  trials: true,
  maxPatterns: true,
  clampUnmasked: true,
  binary: true,
  rng: true,
});

/** Result of {@link recallOverlap}.
 * @category Evaluation
 */
export interface RecallResult {
  /** Mean final overlap `m = ξ·y/N` over all cues. */
  readonly meanOverlap: number;
  /** Median final overlap (robust to the few failed retrievals that dominate the mean near capacity). */
  readonly medianOverlap: number;
  /** Fraction of cues whose final overlap is at least 0.9 (a successful retrieval). */
  readonly retrievedFraction: number;
  /** Final overlap of each cue, pattern-major (`[pattern * trials + trial]`). */
  readonly overlaps: Float64Array;
  /** Fraction of cues whose evolution ended exactly on the pattern. */
  readonly exactFraction: number;
  /** Fraction of evolutions that reached a fixed point within the sweep limit. */
  readonly convergedFraction: number;
  /** Mean sweeps per evolution. */
  readonly meanSweeps: number;
  /** Mean overlap of the cues themselves (before evolution). */
  readonly cueOverlap: number;
}

/**
 * Recall quality: for each pattern, make cues (bits flipped and/or masked),
 * evolve asynchronously to a fixed point, and measure the overlap with the
 * pattern. With no flip and no mask this measures retrieval from a clean cue.
 *
 * @param net - the network
 * @param patterns - `[nPatterns, N]` spins
 * @param options - cue corruption, trials, dynamics, generator
 * @returns mean and per-cue overlaps, exact-recall and convergence fractions
 * @throws {TypeError | RangeError | ShapeError} on bad input (a RangeError naming `LIMITS.maxSteps` for `trials` or `maxSweeps` above it, `LIMITS.maxElements` when patterns × trials exceeds it)
 * @example
 * ```ts
 * import { HopfieldNetwork, recallOverlap } from 'boltzmann';
 * const p = [[1, 1, 1, 1, -1, -1, -1, -1]];
 * const net = new HopfieldNetwork(8);
 * net.fit(p);
 * recallOverlap(net, p, { flip: 0.25, trials: 5 }).meanOverlap; // 1
 * ```
 * @category Evaluation
 */
export function recallOverlap(net: HopfieldNetwork, patterns: DataInput, options?: RecallOptions): RecallResult {
  const where = 'recallOverlap';
  checkNet(where, net);
  const o = checkOptionsKeys(where, options, RECALL_KEYS);
  const n = net.dimension;
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: n });
  const cue = checkCue(where, o);
  const dyn = checkDynamics(where, o);
  const trials = o.trials === undefined ? 1 : checkSize(where, 'trials', o.trials, 1, 'maxSteps');
  const pEval = o.maxPatterns === undefined ? xi.rows : Math.min(xi.rows, checkInt(where, 'maxPatterns', o.maxPatterns, 1));
  checkElements(where, 'patterns × trials', pEval, trials);
  const clampUnmasked = o.clampUnmasked === undefined ? false : checkBoolean(where, 'clampUnmasked', o.clampUnmasked);
  const rng = o.rng === undefined ? net.random : toRandom(o.rng, where);
  return recallUnchecked(net, xi, pEval, trials, cue, dyn, rng, clampUnmasked);
}

function recallUnchecked(
  net: HopfieldNetwork,
  xi: Matrix,
  pEval: number,
  trials: number,
  cue: Required<CueOptions>,
  dyn: Required<LabDynamicsOptions>,
  rng: Random,
  clampUnmasked = false,
): RecallResult {
  const n = xi.cols;
  const first = clampUnmasked ? n - Math.round(cue.mask * n) : 0;
  const d = new Dynamics(net, dyn, rng);
  const overlaps = new Float64Array(pEval * trials);
  let exact = 0;
  let conv = 0;
  let sweeps = 0;
  let cueOv = 0;
  for (let k = 0; k < pEval; k++) {
    const x = xi.data.subarray(k * n, (k + 1) * n);
    for (let t = 0; t < trials; t++) {
      makeCueUnchecked(d.y, x, n, cue.flip, cue.mask, cue.maskFill, rng, d.perm);
      let m0 = 0;
      for (let i = 0; i < n; i++) m0 += x[i] * d.y[i];
      cueOv += m0 / n;
      if (d.run(first)) conv++;
      sweeps += d.counters[0];
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i] * d.y[i];
      overlaps[k * trials + t] = m / n;
      if (m === n) exact++;
    }
  }
  const total = pEval * trials;
  let sum = 0;
  let ok = 0;
  for (let i = 0; i < total; i++) {
    sum += overlaps[i];
    if (overlaps[i] >= 0.9) ok++;
  }
  return {
    meanOverlap: sum / total,
    medianOverlap: median(overlaps),
    retrievedFraction: ok / total,
    overlaps,
    exactFraction: exact / total,
    convergedFraction: conv / total,
    meanSweeps: sweeps / total,
    cueOverlap: cueOv / total,
  };
}

function median(v: Float64Array): number {
  const s = v.slice().sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Options of {@link basinRadius}.
 * @category Evaluation
 */
export interface BasinOptions extends LabDynamicsOptions {
  /** Random cues at each distance. Default 10. */
  trials?: number;
  /** Fraction of cues that must return exactly to the pattern. Default 1. */
  successRate?: number;
  /** Distance increment in bits. Default `max(1, round(N/100))`. */
  step?: number;
  /** Largest distance tried, in bits. Default `N/2`. */
  maxDistance?: number;
  /** Seed or generator. Default: the network's own stream, continued. */
  rng?: number | Random;
}

const BASIN_KEYS = optionKeys<BasinOptions>()({
  order: true,
  tie: true,
  maxSweeps: true,
  trials: true,
  successRate: true,
  step: true,
  maxDistance: true,
  rng: true,
});

/** One point of a basin curve: a distance in bits and the fraction of cues at that distance recalled exactly.
 * @category Evaluation
 */
export interface BasinPoint {
  /** Number of flipped bits. */
  readonly distance: number;
  /** Fraction of cues that returned exactly to the pattern. */
  readonly success: number;
}

/** Result of {@link basinRadius}.
 * @category Evaluation
 */
export interface BasinResult {
  /** The largest distance `d` (bits) such that every tried distance up to `d` met the success rate. */
  readonly radius: number;
  /** `radius / N`. */
  readonly fraction: number;
  /** Each tried distance with its fraction of exact recalls. */
  readonly curve: BasinPoint[];
}

/**
 * Basin of attraction of one pattern: flip `d` random bits for `d = step,
 * 2·step, …`, evolve, and count exact returns; the radius is the last
 * distance before the success rate first fails (0 if the pattern is not even
 * a fixed point).
 *
 * @param net - the network
 * @param pattern - length-`N` spins
 * @param options - trials, success rate, step, max distance, dynamics, generator
 * @returns the radius in bits and as a fraction of N, and the success curve
 * @throws {TypeError | RangeError | ShapeError} on bad input (a RangeError naming `LIMITS.maxSteps` for `trials` or `maxSweeps` above it)
 * @example
 * ```ts
 * import { HopfieldNetwork, basinRadius } from 'boltzmann';
 * const p = [1, 1, 1, 1, 1, 1, -1, -1, -1, -1];
 * const net = new HopfieldNetwork(10, { rng: 1 });
 * net.fit([p]);
 * basinRadius(net, Float64Array.from(p), { step: 1 }).radius; // 4
 * ```
 * @category Evaluation
 */
export function basinRadius(net: HopfieldNetwork, pattern: Float64Array, options?: BasinOptions): BasinResult {
  const where = 'basinRadius';
  checkNet(where, net);
  const o = checkOptionsKeys(where, options, BASIN_KEYS);
  const n = net.dimension;
  const x = toSpinPatterns(where, [pattern as ArrayLike<number>], { dimension: n }).data;
  const dyn = checkDynamics(where, o);
  const trials = o.trials === undefined ? 10 : checkSize(where, 'trials', o.trials, 1, 'maxSteps');
  const successRate = o.successRate === undefined ? 1 : checkInRange(where, 'successRate', o.successRate, 0, 1, { loOpen: true });
  const step = o.step === undefined ? Math.max(1, Math.round(n / 100)) : checkInt(where, 'step', o.step, 1);
  const maxDistance = o.maxDistance === undefined ? Math.floor(n / 2) : checkInt(where, 'maxDistance', o.maxDistance, 0, n);
  const rng = o.rng === undefined ? net.random : toRandom(o.rng, where);
  if (!isFixedPointUnchecked(net.weights.data, net.bias, x, n, dyn.tie === 'minus')) return { radius: 0, fraction: 0, curve: [] };
  const d = new Dynamics(net, dyn, rng);
  const curve: BasinPoint[] = [];
  let radius = 0;
  for (let dist = step; dist <= maxDistance; dist += step) {
    let ok = 0;
    for (let t = 0; t < trials; t++) {
      makeCueUnchecked(d.y, x, n, dist / n, 0, 'random', rng, d.perm);
      d.run();
      let same = true;
      for (let i = 0; i < n; i++) {
        if (d.y[i] !== x[i]) {
          same = false;
          break;
        }
      }
      if (same) ok++;
    }
    const success = ok / trials;
    curve.push({ distance: dist, success });
    if (success < successRate) break;
    radius = dist;
  }
  return { radius, fraction: radius / n, curve };
}

/** The kind of a fixed point reached from a random start.
 * @category Evaluation
 */
export type AttractorKind = 'pattern' | 'reversed' | 'mixture' | 'other' | 'unconverged';

/** One distinct end state found by {@link spuriousAttractors}.
 * @category Evaluation
 */
export interface Attractor {
  /** The state. */
  readonly state: Float64Array;
  /** Its classification. */
  readonly kind: AttractorKind;
  /** How many starts ended here. */
  readonly count: number;
  /** Its energy. */
  readonly energy: number;
  /** Index of the pattern with the largest |overlap|. */
  readonly nearestPattern: number;
  /** The overlap with that pattern (signed). */
  readonly overlap: number;
  /** For mixtures: the (signed, 1-based) pattern indices mixed, e.g. `[1, -3, 4]`. */
  readonly mixture?: readonly number[];
}

/** Options of {@link spuriousAttractors}.
 * @category Evaluation
 */
export interface SpuriousOptions extends LabDynamicsOptions {
  /** Random starts. Default 100. */
  starts?: number;
  /** Hamming tolerance (fraction of N) for matching a pattern, its reverse or a 3-mixture. Default 0.02. */
  tolerance?: number;
  /** Accept 0/1 patterns. Default false. */
  binary?: boolean;
  /** Seed or generator. Default: the network's own stream, continued. */
  rng?: number | Random;
}

const SPURIOUS_KEYS = optionKeys<SpuriousOptions>()({ order: true, tie: true, maxSweeps: true, starts: true, tolerance: true, binary: true, rng: true });

/** Result of {@link spuriousAttractors}.
 * @category Evaluation
 */
export interface SpuriousResult {
  /** Number of starts ending in each kind of state. */
  readonly counts: Readonly<Record<AttractorKind, number>>;
  /** Distinct end states, most visited first. */
  readonly attractors: Attractor[];
}

/**
 * Where random starts end up. Each final state is classified by its overlaps
 * `m_p = ξ^p·y/N` with the stored patterns:
 * - `'pattern'` / `'reversed'`: within `tolerance` of some `ξ^p` / `−ξ^p`;
 * - `'mixture'`: within `tolerance` of `sgn(±ξ^a ± ξ^b ± ξ^c)` for the three
 *   patterns of largest |overlap| (signs from the overlaps) — the classic
 *   symmetric 3-mixture spurious state;
 * - `'other'`: anything else (spin-glass states); `'unconverged'` when the sweep limit was hit.
 *
 * @param net - the network
 * @param patterns - `[nPatterns, N]` spins
 * @param options - starts, tolerance, dynamics, generator
 * @returns counts per kind and the distinct attractors
 * @throws {TypeError | RangeError | ShapeError} on bad input (a RangeError naming `LIMITS.maxSteps` for `starts` or `maxSweeps` above it)
 * @example
 * ```ts
 * import { HopfieldNetwork, spuriousAttractors } from 'boltzmann';
 * const p = [[1, 1, 1, 1, -1, -1, -1, -1]];
 * const net = new HopfieldNetwork(8, { rng: 1 });
 * net.fit(p);
 * spuriousAttractors(net, p, { starts: 20 }).counts.reversed > 0; // true
 * ```
 * @category Evaluation
 */
export function spuriousAttractors(net: HopfieldNetwork, patterns: DataInput, options?: SpuriousOptions): SpuriousResult {
  const where = 'spuriousAttractors';
  checkNet(where, net);
  const o = checkOptionsKeys(where, options, SPURIOUS_KEYS);
  const n = net.dimension;
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: n });
  const dyn = checkDynamics(where, o);
  const starts = o.starts === undefined ? 100 : checkSize(where, 'starts', o.starts, 1, 'maxSteps');
  const tol = o.tolerance === undefined ? 0.02 : checkInRange(where, 'tolerance', o.tolerance, 0, 0.5);
  const rng = o.rng === undefined ? net.random : toRandom(o.rng, where);
  const d = new Dynamics(net, dyn, rng);
  const p = xi.rows;
  const counts: Record<AttractorKind, number> = { pattern: 0, reversed: 0, mixture: 0, other: 0, unconverged: 0 };
  const found = new Map<string, { att: Omit<Attractor, 'count'>; count: number }>();
  const m = new Float64Array(p);
  const maxDiff = Math.floor(tol * n);
  for (let s = 0; s < starts; s++) {
    for (let i = 0; i < n; i++) d.y[i] = rng.float64() < 0.5 ? -1 : 1;
    const converged = d.run();
    let key = '';
    for (let i = 0; i < n; i++) key += d.y[i] > 0 ? '1' : '0';
    const prev = found.get(key);
    if (prev) {
      prev.count++;
      counts[prev.att.kind]++;
      continue;
    }
    for (let k = 0; k < p; k++) {
      let a = 0;
      const off = k * n;
      for (let i = 0; i < n; i++) a += xi.data[off + i] * d.y[i];
      m[k] = a / n;
    }
    let best = 0;
    for (let k = 1; k < p; k++) if (Math.abs(m[k]) > Math.abs(m[best])) best = k;
    let kind: AttractorKind;
    let mixture: number[] | undefined;
    // Hamming distance to ±ξ is N(1 − |m|)/2.
    if (!converged) kind = 'unconverged';
    else if (Math.round((n * (1 - Math.abs(m[best]))) / 2) <= maxDiff) kind = m[best] > 0 ? 'pattern' : 'reversed';
    else {
      kind = 'other';
      if (p >= 3) {
        const idx = Array.from(m.keys()).sort((a, b) => Math.abs(m[b]) - Math.abs(m[a]) || a - b).slice(0, 3);
        let diff = 0;
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (const k of idx) z += Math.sign(m[k]) * xi.data[k * n + i];
          if ((z > 0 ? 1 : -1) !== d.y[i]) diff++;
        }
        if (diff <= maxDiff && idx.every((k) => m[k] !== 0)) {
          kind = 'mixture';
          mixture = idx.map((k) => Math.sign(m[k]) * (k + 1));
        }
      }
    }
    counts[kind]++;
    found.set(key, {
      att: { state: d.y.slice(), kind, energy: d.energy(), nearestPattern: best, overlap: m[best], ...(mixture ? { mixture } : {}) },
      count: 1,
    });
  }
  const attractors = Array.from(found.values())
    .map((v) => ({ ...v.att, count: v.count }))
    .sort((a, b) => b.count - a.count || a.energy - b.energy);
  return { counts, attractors };
}

/** One point of a {@link capacitySweep}.
 * @category Evaluation
 */
export interface CapacityPoint {
  /** Number of units N. */
  readonly n: number;
  /** Load α = P/N (as realised: `nPatterns / n`). */
  readonly alpha: number;
  /** Number of stored patterns P. */
  readonly nPatterns: number;
  /** Mean recall overlap over trials and evaluated patterns. */
  readonly meanOverlap: number;
  /** Standard error of {@link CapacityPoint.meanOverlap} across trials (0 with one trial). */
  readonly overlapStdError: number;
  /** Median recall overlap over all evaluated cues of all trials. */
  readonly medianOverlap: number;
  /** Fraction of evaluated cues that reached an overlap ≥ 0.9. */
  readonly retrievedFraction: number;
  /** Mean fraction of the evaluated patterns (all, unless `maxPatterns` is set) that are fixed points. */
  readonly stableFraction: number;
  /** Fraction of trials in which every evaluated pattern was a fixed point (set no `maxPatterns` for McEliece's all-patterns criterion). */
  readonly allStableFraction: number;
  /** Mean fraction of evaluated cues recalled exactly. */
  readonly exactFraction: number;
  /** Trials (independent pattern sets). */
  readonly trials: number;
}

/** Options of {@link capacitySweep}.
 * @category Evaluation
 */
export interface CapacitySweepOptions extends CueOptions, LabDynamicsOptions {
  /** Number of units N. */
  n: number;
  /** Loads α = P/N to try (P = max(1, round(α N))). */
  alphas: readonly number[];
  /** Storage rule, or a function building a network from `[P, N]` patterns (e.g. with contrastive training). Default `'hebbian'`. */
  rule?: HopfieldRule | ((patterns: Matrix, rng: Random) => HopfieldNetwork);
  /** Independent random pattern sets per load. Default 1. */
  trials?: number;
  /** Evaluate recall and stability on at most this many patterns per trial (the first ones; all are stored). Default all. */
  maxPatterns?: number;
  /**
   * Seed or generator of the experiment (pattern sets, cues, builders). Default
   * seed 0: a sweep is a pure function of its options, so the same options give
   * the same points.
   */
  rng?: number | Random;
  /** Called after each point (for progress). */
  onPoint?: (point: CapacityPoint) => void;
}

const SWEEP_KEYS = optionKeys<CapacitySweepOptions>()({
  flip: true,
  mask: true,
  maskFill: true,
  order: true,
  tie: true,
  maxSweeps: true,
  n: true,
  alphas: true,
  rule: true,
  trials: true,
  maxPatterns: true,
  rng: true,
  onPoint: true,
});

/**
 * Capacity against load: for each α, store `P = round(αN)` random unbiased
 * patterns (with a rule or your builder), then measure stability and recall
 * overlap from cues (clean by default).
 *
 * @param options - N, loads, rule or builder, trials, cue, dynamics, generator
 * @returns one point per load
 * @throws {TypeError | RangeError | ShapeError} on bad options (a RangeError naming `LIMITS.maxElements` when `n²` or a `P × n` pattern set exceeds it, `LIMITS.maxSteps` for `trials` or `maxSweeps` above it)
 * @example
 * ```ts
 * import { capacitySweep } from 'boltzmann';
 * capacitySweep({ n: 100, alphas: [0.05, 0.3], rng: 1 }).map((p) => p.meanOverlap > 0.9); // [true, false]
 * ```
 * @category Evaluation
 */
export function capacitySweep(options: CapacitySweepOptions): CapacityPoint[] {
  const where = 'capacitySweep';
  const o = checkOptionsKeys(where, options, SWEEP_KEYS);
  const n = checkSize(where, 'n', o.n, 2);
  checkElements(where, 'n²', n, n);
  if (!Array.isArray(o.alphas) || o.alphas.length === 0) throw new TypeError(`${where}: alphas must be a non-empty array of loads (got ${describeValue(o.alphas)})`);
  const alphas = o.alphas.map((a, i) => checkInRange(where, `alphas[${i}]`, a, 0, 1e6, { loOpen: true }));
  for (const [i, a] of alphas.entries()) checkElements(where, `round(alphas[${i}]·n) × n`, Math.max(1, Math.round(a * n)), n);
  const rule = o.rule === undefined ? 'hebbian' : typeof o.rule === 'function' ? o.rule : checkOneOf(where, 'rule', o.rule, HOPFIELD_RULES);
  const trials = o.trials === undefined ? 1 : checkSize(where, 'trials', o.trials, 1, 'maxSteps');
  const maxPatterns = o.maxPatterns === undefined ? Number.POSITIVE_INFINITY : checkInt(where, 'maxPatterns', o.maxPatterns, 1);
  const cue = checkCue(where, o);
  const dyn = checkDynamics(where, o);
  if (o.onPoint !== undefined && typeof o.onPoint !== 'function') throw new TypeError(`${where}: onPoint must be a function (got ${describeValue(o.onPoint)})`);
  const rng = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
  const points: CapacityPoint[] = [];
  for (const alpha of alphas) {
    const p = Math.max(1, Math.round(alpha * n));
    let ov = 0;
    let ov2 = 0;
    let st = 0;
    let all = 0;
    let ex = 0;
    let ret = 0;
    const finals: number[] = [];
    for (let t = 0; t < trials; t++) {
      const xi: Matrix = { rows: p, cols: n, data: new Float64Array(p * n) };
      for (let i = 0; i < xi.data.length; i++) xi.data[i] = rng.float64() < 0.5 ? -1 : 1;
      let net: HopfieldNetwork;
      if (typeof rule === 'function') {
        net = rule({ rows: p, cols: n, data: xi.data.slice() }, rng);
        if (!(net instanceof HopfieldNetwork) || net.dimension !== n) throw new TypeError(`${where}: rule must return a HopfieldNetwork of dimension ${n}`);
      } else {
        net = new HopfieldNetwork(n);
        net.fit(xi, { rule });
      }
      const pEval = Math.min(p, maxPatterns);
      const s = stabilityUnchecked(net, pEval === p ? xi : { rows: pEval, cols: n, data: xi.data.subarray(0, pEval * n) }, dyn.tie === 'minus');
      const r = recallUnchecked(net, xi, pEval, 1, cue, dyn, rng);
      ov += r.meanOverlap;
      ov2 += r.meanOverlap * r.meanOverlap;
      st += s.stableFraction;
      all += s.allStable ? 1 : 0;
      ex += r.exactFraction;
      ret += r.retrievedFraction;
      for (const v of r.overlaps) finals.push(v);
    }
    const mean = ov / trials;
    const variance = trials > 1 ? Math.max(0, (ov2 - trials * mean * mean) / (trials - 1)) : 0;
    const point: CapacityPoint = {
      n,
      alpha: p / n,
      nPatterns: p,
      meanOverlap: mean,
      overlapStdError: Math.sqrt(variance / trials),
      medianOverlap: median(Float64Array.from(finals)),
      retrievedFraction: ret / trials,
      stableFraction: st / trials,
      allStableFraction: all / trials,
      exactFraction: ex / trials,
      trials,
    };
    points.push(point);
    o.onPoint?.(point);
  }
  return points;
}

/**
 * The associative memories {@link memoryCapacitySweep} and {@link memoryCapacity}
 * compare: the classical storage rules of {@link HopfieldNetwork}, the dense
 * associative memory's interaction functions ({@link DenseAssociativeMemory}),
 * and the modern continuous network ({@link ModernHopfieldNetwork}, one update,
 * read out by sign).
 * @category Evaluation
 */
export type MemoryKind = HopfieldRule | InteractionFunction | 'modern';

const MEMORY_KINDS: readonly MemoryKind[] = [...HOPFIELD_RULES, 'polynomial', 'rectified-polynomial', 'exponential', 'modern'];

/** Options of {@link memoryCapacitySweep}.
 * @category Evaluation
 */
export interface MemorySweepOptions {
  /** Number of units N (≥ 2). */
  n: number;
  /** Numbers of stored patterns K to try (superlinear memories need K ≫ N, so counts rather than loads). */
  patterns: readonly number[];
  /** The memory. Default `'hebbian'`. */
  memory?: MemoryKind;
  /** Degree n of the (rectified) polynomial. Default 3. */
  degree?: number;
  /** Inverse temperature of `'modern'`. Default 1. */
  beta?: number;
  /** Fraction of bits flipped in each recall cue (each bit independently). Default 0.1. */
  flip?: number;
  /** Independent random pattern sets per K. Default 1. */
  trials?: number;
  /** Evaluate stability and recall on at most this many patterns per trial (all are stored). Default 100. */
  maxPatterns?: number;
  /** Sweep limit of the asynchronous dynamics. Default 100. */
  maxSweeps?: number;
  /** Seed or generator of the experiment. Default seed 0. */
  rng?: number | Random;
}

const MEMORY_SWEEP_KEYS = optionKeys<MemorySweepOptions>()({
  n: true,
  patterns: true,
  memory: true,
  degree: true,
  beta: true,
  flip: true,
  trials: true,
  maxPatterns: true,
  maxSweeps: true,
  rng: true,
});

/** One point of {@link memoryCapacitySweep}.
 * @category Evaluation
 */
export interface MemoryPoint {
  /** The memory. */
  readonly memory: MemoryKind;
  /** Number of units N. */
  readonly n: number;
  /** Number of stored patterns K. */
  readonly nPatterns: number;
  /** Load `K / N`. */
  readonly alpha: number;
  /** Mean fraction of the evaluated patterns that are fixed points (modern: sign of one update from the pattern is the pattern). */
  readonly stableFraction: number;
  /** Mean overlap `ξ·y/N` reached from the noisy cues. */
  readonly meanOverlap: number;
  /** Mean fraction of cues recalled exactly. */
  readonly exactFraction: number;
  /** Trials. */
  readonly trials: number;
}

/** A memory built on `[K, N]` patterns: its stability test and its recall. */
interface BuiltMemory {
  stable(s: Float64Array): boolean;
  recall(cue: Float64Array): Float64Array;
}

function buildMemory(memory: MemoryKind, xi: Matrix, degree: number, beta: number, maxSweeps: number): BuiltMemory {
  const n = xi.cols;
  if (memory === 'modern') {
    const net = new ModernHopfieldNetwork(n, { beta });
    net.fit(xi);
    const sign = (s: Float64Array) => Float64Array.from(net.recall(s).state, (v) => (v >= 0 ? 1 : -1));
    return {
      stable: (s) => {
        const y = sign(s);
        for (let i = 0; i < n; i++) if (y[i] !== s[i]) return false;
        return true;
      },
      recall: sign,
    };
  }
  if (memory === 'polynomial' || memory === 'rectified-polynomial' || memory === 'exponential') {
    const dam = new DenseAssociativeMemory(n, { interaction: memory, degree });
    dam.fit(xi);
    return { stable: (s) => dam.isFixedPoint(s), recall: (c) => dam.evolve(c, { maxSweeps }).state };
  }
  const net = new HopfieldNetwork(n);
  net.fit(xi, { rule: memory });
  return { stable: (s) => net.isFixedPoint(s), recall: (c) => net.evolve(c, { maxSweeps }).state };
}

/** The `[n, n]` weights of the classical rules (the other memories store `[K, n]` patterns only). */
function checkMemorySize(where: string, memory: MemoryKind, n: number): void {
  if ((HOPFIELD_RULES as readonly string[]).includes(memory)) checkElements(where, 'n²', n, n);
}

/**
 * Capacity of any associative memory against the number of stored random
 * unbiased patterns: for each K, store K patterns, then measure the fraction
 * that are fixed points and the overlap reached from cues with `flip` of the
 * bits flipped. With `memory: 'polynomial', degree: 2` the points equal
 * `'hebbian'`'s (the same network, the same draws).
 *
 * @param options - N, pattern counts, memory and its parameters, cue noise, trials, generator
 * @returns one point per pattern count
 * @throws {TypeError | RangeError} on bad options (a RangeError naming `LIMITS.maxElements` when a `K × n` pattern set or the `n²` weights exceed it, `LIMITS.maxSteps` for `trials` or `maxSweeps` above it)
 * @example
 * ```ts
 * import { memoryCapacitySweep } from 'boltzmann';
 * memoryCapacitySweep({ n: 60, patterns: [30], memory: 'polynomial', degree: 3, rng: 1 })[0].stableFraction; // 1
 * ```
 * @category Evaluation
 */
export function memoryCapacitySweep(options: MemorySweepOptions): MemoryPoint[] {
  const where = 'memoryCapacitySweep';
  const o = checkOptionsKeys(where, options, MEMORY_SWEEP_KEYS);
  const n = checkSize(where, 'n', o.n, 2);
  if (!Array.isArray(o.patterns) || o.patterns.length === 0) {
    throw new TypeError(`${where}: patterns must be a non-empty array of pattern counts (got ${describeValue(o.patterns)})`);
  }
  const counts = o.patterns.map((k, i) => {
    const c = checkSize(where, `patterns[${i}]`, k, 1);
    checkElements(where, `patterns[${i}] × n`, c, n);
    return c;
  });
  const memory = o.memory === undefined ? 'hebbian' : checkOneOf(where, 'memory', o.memory, MEMORY_KINDS);
  checkMemorySize(where, memory, n);
  const degree = o.degree === undefined ? 3 : checkInt(where, 'degree', o.degree, 1, 64);
  const beta = o.beta === undefined ? 1 : checkInRange(where, 'beta', o.beta, 0, 1e300, { loOpen: true });
  const flip = o.flip === undefined ? 0.1 : checkInRange(where, 'flip', o.flip, 0, 1);
  const trials = o.trials === undefined ? 1 : checkSize(where, 'trials', o.trials, 1, 'maxSteps');
  const maxPatterns = o.maxPatterns === undefined ? 100 : checkInt(where, 'maxPatterns', o.maxPatterns, 1);
  const maxSweeps = o.maxSweeps === undefined ? 100 : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
  const rng = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
  const points: MemoryPoint[] = [];
  for (const k of counts) {
    let st = 0, ov = 0, ex = 0;
    for (let t = 0; t < trials; t++) {
      const xi: Matrix = { rows: k, cols: n, data: new Float64Array(k * n) };
      for (let i = 0; i < xi.data.length; i++) xi.data[i] = rng.float64() < 0.5 ? -1 : 1;
      const mem = buildMemory(memory, xi, degree, beta, maxSweeps);
      const pEval = Math.min(k, maxPatterns);
      let stable = 0, overlap = 0, exact = 0;
      for (let p = 0; p < pEval; p++) {
        const pat = xi.data.subarray(p * n, (p + 1) * n);
        if (mem.stable(pat)) stable++;
        const cue = pat.slice();
        for (let i = 0; i < n; i++) if (rng.float64() < flip) cue[i] = -cue[i];
        const y = mem.recall(cue);
        let m = 0;
        for (let i = 0; i < n; i++) m += y[i] * pat[i];
        overlap += m / n;
        if (m === n) exact++;
      }
      st += stable / pEval;
      ov += overlap / pEval;
      ex += exact / pEval;
    }
    points.push({ memory, n, nPatterns: k, alpha: k / n, stableFraction: st / trials, meanOverlap: ov / trials, exactFraction: ex / trials, trials });
  }
  return points;
}

/** Options of {@link memoryCapacity}.
 * @category Evaluation
 */
export interface MemoryCapacityOptions {
  /** Number of units N (≥ 2). */
  n: number;
  /** The memory. Default `'hebbian'`. */
  memory?: MemoryKind;
  /** Degree n of the (rectified) polynomial. Default 3. */
  degree?: number;
  /** Inverse temperature of `'modern'`. Default 1. */
  beta?: number;
  /** The recall quality: the fraction of stored patterns that must be fixed points. Default 0.9. */
  quality?: number;
  /** Patterns probed for stability per K (the first ones). Default 200. */
  probe?: number;
  /** Largest K tried. Default 1e6. */
  maxPatterns?: number;
  /** Seed of the pattern sets (the same seed for every K). Default 0. */
  rng?: number;
}

const MEMORY_CAPACITY_KEYS = optionKeys<MemoryCapacityOptions>()({ n: true, memory: true, degree: true, beta: true, quality: true, probe: true, maxPatterns: true, rng: true });

/**
 * The largest number of random patterns K a memory stores with at least
 * `quality` of them fixed points: K doubles until the quality fails, then
 * bisection to within 2% (each K draws its pattern set from the same seed).
 * Compare with {@link mcElieceCapacity} (Hebbian, `'each'`) and
 * {@link denseCapacityTheory} (polynomial).
 *
 * @param options - N, memory and its parameters, quality, probe, limit, seed
 * @returns K (0 when even one pattern fails the quality)
 * @throws {TypeError | RangeError} on bad options; a RangeError naming `LIMITS.maxElements` when the `n²` weights exceed it, or when the search reaches a K whose `K × n` pattern set would (before it is allocated; lower `maxPatterns`)
 * @example
 * ```ts
 * import { memoryCapacity } from 'boltzmann';
 * memoryCapacity({ n: 50, memory: 'polynomial', degree: 3 }) > 5 * memoryCapacity({ n: 50 }); // true
 * ```
 * @category Evaluation
 */
export function memoryCapacity(options: MemoryCapacityOptions): number {
  const where = 'memoryCapacity';
  const o = checkOptionsKeys(where, options, MEMORY_CAPACITY_KEYS);
  const n = checkSize(where, 'n', o.n, 2);
  const memory = o.memory === undefined ? 'hebbian' : checkOneOf(where, 'memory', o.memory, MEMORY_KINDS);
  checkMemorySize(where, memory, n);
  const degree = o.degree === undefined ? 3 : checkInt(where, 'degree', o.degree, 1, 64);
  const beta = o.beta === undefined ? 1 : checkInRange(where, 'beta', o.beta, 0, 1e300, { loOpen: true });
  const quality = o.quality === undefined ? 0.9 : checkInRange(where, 'quality', o.quality, 0, 1);
  const probe = o.probe === undefined ? 200 : checkInt(where, 'probe', o.probe, 1);
  const limit = o.maxPatterns === undefined ? 1e6 : checkInt(where, 'maxPatterns', o.maxPatterns, 1);
  const seed = o.rng === undefined ? 0 : checkInt(where, 'rng', o.rng);
  const ok = (k: number): boolean => {
    // K doubles towards maxPatterns: each K × n pattern set is checked before it is allocated
    checkElements(where, 'K × n (patterns tried × units)', k, n);
    const rng = new Random(seed);
    const xi: Matrix = { rows: k, cols: n, data: new Float64Array(k * n) };
    for (let i = 0; i < xi.data.length; i++) xi.data[i] = rng.float64() < 0.5 ? -1 : 1;
    const mem = buildMemory(memory, xi, degree, beta, 100);
    const count = Math.min(k, probe);
    let stable = 0;
    for (let p = 0; p < count; p++) if (mem.stable(xi.data.subarray(p * n, (p + 1) * n))) stable++;
    return stable >= quality * count;
  };
  if (!ok(1)) return 0;
  let lo = 1, hi = 2;
  while (hi <= limit && ok(hi)) {
    lo = hi;
    hi *= 2;
  }
  if (hi > limit) {
    if (ok(limit)) return limit;
    hi = limit;
  }
  while (hi - lo > Math.max(1, Math.round(lo * 0.02))) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
