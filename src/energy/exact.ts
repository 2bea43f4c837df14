/**
 * Exact answers for small discrete models, by enumerating every state.
 *
 * For a quadratic energy `E(s) = −½ sᵀWs − bᵀs` (binary 0/1 or spin ±1 units)
 * at temperature `T`, the states of the free units are visited in Gray-code
 * order — one unit changes per step, so the energy and the local fields are
 * updated in O(n) — and every sum over states is a log-sum-exp, so nothing
 * overflows at low temperature. This gives `log Z`, the full distribution, the
 * visible marginal `P(v)` with hidden units summed out, `⟨s_i⟩`, `⟨s_i s_j⟩`,
 * the internal energy `U`, the entropy `H`, the free energy `F = U − T·H`
 * (which equals `−T log Z`), and the exact log-likelihood of a data set and its
 * gradient. Any subset of units may be clamped to given values: sums then run
 * over the free units only (conditional distributions, `P(c | v)`).
 *
 * States are indexed by their bits: bit `k` of an index is the value of the
 * `k`-th free unit (1 for `s = 1`, 0 for `s = 0` or `y = −1`); with nothing
 * clamped, bit `i` is unit `i`.
 *
 * Enumeration is limited to {@link EXACT_MAX_UNITS} free units; above it every
 * function throws a `RangeError` that names the limit instead of running for
 * hours.
 * @module
 */

import { describeValue, ShapeError } from '../errors.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import { exp, log } from '../math/elementary.js';
import {
  checkAllFinite,
  checkBinary,
  checkBoolean,
  checkInt,
  checkMatrix,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSpins,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import type { QuadraticEnergy } from './quadratic.js';
import type { EnergyModel } from './types.js';

/**
 * The largest number of free units the exact tools enumerate (2²⁴ ≈ 1.7·10⁷ states).
 *
 * @example
 * ```ts
 * import { EXACT_MAX_UNITS } from 'boltzmann';
 * 2 ** EXACT_MAX_UNITS; // 16777216 states at most
 * ```
 * @category Evaluation
 */
export const EXACT_MAX_UNITS = 24;

/** Options shared by the exact tools for quadratic energies.
 * @category Evaluation
 */
export interface ExactOptions {
  /** Temperature `T > 0`. Default 1. */
  temperature?: number;
  /** Clamp mask of length `n`: units with a non-zero entry are held at their value in {@link ExactOptions.clampValues}. */
  clamp?: Uint8Array;
  /** Length-`n` state giving the values of the clamped units (other entries are ignored). Required with `clamp`. */
  clampValues?: Float64Array;
}

const EXACT_KEYS = optionKeys<ExactOptions>()({ temperature: true, clamp: true, clampValues: true });

/** Options of {@link exactGroundState}: clamping (a temperature is accepted and ignored) and the tie tolerance.
 * @category Evaluation
 */
export interface ExactGroundStateOptions extends ExactOptions {
  /** Relative tolerance for energies counted as ties with the lowest. Default 1e-9. */
  tolerance?: number;
}
const GROUND_KEYS = optionKeys<ExactGroundStateOptions>()({ temperature: true, clamp: true, clampValues: true, tolerance: true });

/** Options of {@link exactMarginal} and {@link enumerateStates}.
 * @category Evaluation
 */
export interface ExactTemperatureOptions {
  /** Temperature `T > 0`. Default 1. */
  temperature?: number;
}
const TEMPERATURE_KEYS = optionKeys<ExactTemperatureOptions>()({ temperature: true });

/** Options of {@link exactLogLikelihood}.
 * @category Evaluation
 */
export interface ExactLogLikelihoodOptions extends ExactTemperatureOptions {
  /** Compute the gradient and the data/model statistics (default true); `false` is faster. */
  gradient?: boolean;
}
const LIKELIHOOD_KEYS = optionKeys<ExactLogLikelihoodOptions>()({ temperature: true, gradient: true });

/** Internal: the validated enumeration problem. */
interface Problem {
  n: number;
  w: Float64Array;
  b: Float64Array;
  spin: boolean;
  t: number;
  free: Uint32Array;
  base: Float64Array;
}

/**
 * Throws a `RangeError` naming the limit when `nFree` units are too many to enumerate.
 * @internal
 */
function checkEnumerable(where: string, nFree: number): void {
  if (nFree > EXACT_MAX_UNITS) {
    throw new RangeError(
      `${where}: exact enumeration is limited to ${EXACT_MAX_UNITS} free units (2^${EXACT_MAX_UNITS} states); got ${nFree} free units — clamp units or use a sampling estimate`,
    );
  }
}

function checkState(where: string, name: string, s: Float64Array, spin: boolean): void {
  if (spin) checkSpins(where, name, s);
  else checkBinary(where, name, s);
}

function setup(where: string, energy: QuadraticEnergy, options: ExactOptions | undefined): Problem {
  const o = checkOptionsKeys(where, options, EXACT_KEYS);
  if (energy === null || typeof energy !== 'object' || !(energy.bias instanceof Float64Array) || energy.weights === undefined) {
    throw new TypeError(`${where}: energy must be a QuadraticEnergy (got ${describeValue(energy)})`);
  }
  // the fields a duck-typed energy could get wrong: the weights must be the [n, n] matrix of its n units
  const n = energy.bias.length;
  if (energy.dimension !== n) throw new ShapeError(`${where}: energy.dimension must equal energy.bias.length = ${n} (got ${describeValue(energy.dimension)})`);
  checkMatrix(where, 'energy.weights', energy.weights, n, n);
  checkOneOf(where, 'energy.domain', energy.domain, ['spin', 'binary'] as const);
  const t = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
  const spin = energy.domain === 'spin';
  const base = new Float64Array(n);
  const lo = spin ? -1 : 0;
  base.fill(lo);
  const freeList: number[] = [];
  if (o.clampValues !== undefined) checkVector(where, 'clampValues', o.clampValues, n);
  if (o.clamp !== undefined) {
    if (!(o.clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(o.clamp)})`);
    if (o.clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${o.clamp.length})`);
    if (o.clampValues === undefined) throw new TypeError(`${where}: clampValues must be given with clamp`);
    const cv = checkVector(where, 'clampValues', o.clampValues, n);
    for (let i = 0; i < n; i++) {
      if (o.clamp[i]) {
        const v = cv[i];
        if (spin ? v !== 1 && v !== -1 : v !== 0 && v !== 1) {
          throw new RangeError(`${where}: clampValues[${i}] must be ${spin ? '±1' : '0 or 1'} for a clamped unit (got ${v})`);
        }
        base[i] = v;
      } else freeList.push(i);
    }
  } else {
    for (let i = 0; i < n; i++) freeList.push(i);
  }
  checkEnumerable(where, freeList.length);
  return { n, w: energy.weights.data, b: energy.bias, spin, t, free: Uint32Array.from(freeList), base };
}

/** The free-unit block of the weights, the free units' fields and the energy of the first state. */
function start(p: Problem): { wf: Float64Array; hf: Float64Array; e: number; s: Float64Array } {
  const { n, w, b, free } = p;
  const s = p.base.slice();
  const h = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let acc = b[i];
    const o = i * n;
    for (let j = 0; j < n; j++) acc += w[o + j] * s[j];
    h[i] = acc;
  }
  for (let i = 0; i < n; i++) e -= s[i] * (0.5 * (h[i] - b[i]) + b[i]);
  const m = free.length;
  const wf = new Float64Array(m * m);
  const hf = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    hf[k] = h[free[k]];
    for (let l = 0; l < m; l++) wf[k * m + l] = w[free[k] * n + free[l]];
  }
  return { wf, hf, e, s };
}

/**
 * Visits every assignment of the free units in Gray-code order. `visit(code, a, s)`
 * receives the state index (bits of the free units), `a = −E(s)/T` and the live state.
 * O(nFree) per state (only the free units' fields are kept); nothing allocated per state.
 */
function enumerate(p: Problem, visit: (code: number, a: number, s: Float64Array) => void): void {
  const { spin, t, free } = p;
  const st = start(p);
  const { wf, hf, s } = st;
  let e = st.e;
  const invT = 1 / t;
  const m = free.length;
  const total = 2 ** m;
  let code = 0;
  visit(0, -e * invT, s);
  const lo = spin ? -1 : 0;
  for (let k = 1; k < total; k++) {
    // the bit that changes between gray(k−1) and gray(k) is the lowest set bit of k
    const bit = 31 - Math.clz32(k & -k);
    code ^= 1 << bit;
    const i = free[bit];
    const old = s[i];
    const v = old === 1 ? lo : 1;
    const delta = v - old;
    // E(s') − E(s) = −δ h_i (zero diagonal)
    e -= delta * hf[bit];
    s[i] = v;
    const o = bit * m;
    for (let l = 0; l < m; l++) hf[l] += wf[o + l] * delta;
    visit(code >>> 0, -e * invT, s);
  }
}

/** Streaming log-sum-exp over the enumeration (the Gray-code walk inlined: the hot path of every exact tool). */
function logPartition(p: Problem): number {
  const { spin, t, free } = p;
  const st = start(p);
  const { wf, hf, s } = st;
  let e = st.e;
  const invT = 1 / t;
  const m = free.length;
  const total = 2 ** m;
  const lo = spin ? -1 : 0;
  // shift by the running maximum of a = −E/T; rescale the sum when it grows
  let mx = -e * invT;
  let sum = 1;
  for (let k = 1; k < total; k++) {
    const bit = 31 - Math.clz32(k & -k);
    const i = free[bit];
    const old = s[i];
    const v = old === 1 ? lo : 1;
    const delta = v - old;
    e -= delta * hf[bit];
    s[i] = v;
    const o = bit * m;
    for (let l = 0; l < m; l++) hf[l] += wf[o + l] * delta;
    const a = -e * invT;
    if (a <= mx) sum += exp(a - mx);
    else {
      sum = sum * exp(mx - a) + 1;
      mx = a;
    }
  }
  return mx + log(sum);
}

/**
 * `log Z` of `P(s) ∝ exp(−E(s)/T)`, summed over the free units (all units, or
 * those not clamped). With units clamped this is `log Σ_free exp(−E(s)/T)`, so
 * `exp(logZ(clamped) − logZ)` is the marginal probability of the clamped values.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param options - temperature and clamping
 * @returns `log Z` (natural log)
 * @throws {RangeError} when more than {@link EXACT_MAX_UNITS} units are free, or on bad options
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy (`[n, n]` weights, `n` biases, domain `'spin'` or `'binary'`), or an option has the wrong type (`clamp` a Uint8Array, `clampValues` a Float64Array of length `n`)
 * @example
 * ```ts
 * import { exactLogPartition, QuadraticEnergy, zeros } from 'boltzmann';
 * exactLogPartition(new QuadraticEnergy(zeros(3, 3), new Float64Array(3), 'binary')); // 3·log 2
 * ```
 * @category Evaluation
 */
export function exactLogPartition(energy: QuadraticEnergy, options?: ExactOptions): number {
  return logPartition(setup('exactLogPartition', energy, options));
}

/**
 * The full Boltzmann distribution over the free units: entry `k` is the
 * probability of the state whose free-unit bits are `k` (see the module notes).
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param options - temperature and clamping (clamped: the conditional distribution of the free units)
 * @returns `Float64Array` of `2^nFree` probabilities summing to 1
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} free units, or on bad options
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy (`[n, n]` weights, `n` biases, domain `'spin'` or `'binary'`), or an option has the wrong type (`clamp` a Uint8Array, `clampValues` a Float64Array of length `n`)
 * @example
 * ```ts
 * import { exactDistribution, QuadraticEnergy, zeros } from 'boltzmann';
 * exactDistribution(new QuadraticEnergy(zeros(2, 2), Float64Array.of(0, 0), 'binary')); // [0.25, 0.25, 0.25, 0.25]
 * ```
 * @category Evaluation
 */
export function exactDistribution(energy: QuadraticEnergy, options?: ExactOptions): Float64Array {
  const p = setup('exactDistribution', energy, options);
  const out = new Float64Array(2 ** p.free.length);
  enumerate(p, (c, a) => {
    out[c] = a;
  });
  let mx = -Infinity;
  for (let k = 0; k < out.length; k++) if (out[k] > mx) mx = out[k];
  let sum = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = exp(out[k] - mx);
    sum += out[k];
  }
  for (let k = 0; k < out.length; k++) out[k] /= sum;
  return out;
}

/** Exact moments of the Boltzmann distribution.
 * @category Evaluation
 */
export interface ExactMoments {
  /** `log Z` over the free units. */
  readonly logZ: number;
  /** `⟨s_i⟩` for every unit (clamped units give their clamped value). */
  readonly mean: Float64Array;
  /** `[n, n]` matrix of `⟨s_i s_j⟩` (diagonal `⟨s_i²⟩`: `⟨s_i⟩` for binary, 1 for spins). */
  readonly correlation: Matrix;
}

/**
 * Accumulates `weight · ⟨s⟩` and `weight · ⟨s sᵀ⟩` (upper triangle, in binary
 * coordinates `x = (s − lo)/(1 − lo)`) into `mean`/`corr`, returns `log Z`.
 */
function accumulateMoments(p: Problem, weight: number, mean: Float64Array, corr: Float64Array): number {
  const logZ = logPartition(p);
  const n = p.n;
  const active = new Int32Array(n);
  const hi = 1;
  enumerate(p, (_c, a, s) => {
    const q = weight * exp(a - logZ);
    let m = 0;
    for (let i = 0; i < n; i++) if (s[i] === hi) active[m++] = i;
    for (let x = 0; x < m; x++) {
      const i = active[x];
      mean[i] += q;
      const o = i * n;
      for (let y = x + 1; y < m; y++) corr[o + active[y]] += q;
    }
  });
  return logZ;
}

/** Converts binary-coordinate accumulators into `⟨s⟩`, `⟨s sᵀ⟩` of the domain (full symmetric matrix). */
function finishMoments(n: number, spin: boolean, mean: Float64Array, corr: Float64Array): void {
  // mean[i] = ⟨x_i⟩, corr[i<j] = ⟨x_i x_j⟩ with x ∈ {0,1}
  for (let i = 0; i < n; i++) {
    corr[i * n + i] = mean[i];
    for (let j = i + 1; j < n; j++) corr[j * n + i] = corr[i * n + j];
  }
  if (!spin) return;
  // y = 2x − 1: ⟨y_i y_j⟩ = 4⟨x_i x_j⟩ − 2⟨x_i⟩ − 2⟨x_j⟩ + 1, ⟨y_i²⟩ = 1
  for (let i = 0; i < n; i++) {
    corr[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = 4 * corr[i * n + j] - 2 * mean[i] - 2 * mean[j] + 1;
      corr[i * n + j] = v;
      corr[j * n + i] = v;
    }
  }
  for (let i = 0; i < n; i++) mean[i] = 2 * mean[i] - 1;
}

/**
 * Exact `⟨s_i⟩` and `⟨s_i s_j⟩` under `P(s) ∝ exp(−E(s)/T)` (conditional on the
 * clamped units when some are clamped). Cost `O(2^nFree · n²)` at most.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param options - temperature and clamping
 * @returns `log Z`, the means and the `[n, n]` correlation matrix
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} free units, or on bad options
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy (`[n, n]` weights, `n` biases, domain `'spin'` or `'binary'`), or an option has the wrong type (`clamp` a Uint8Array, `clampValues` a Float64Array of length `n`)
 * @example
 * ```ts
 * import { exactMoments, QuadraticEnergy, zeros } from 'boltzmann';
 * exactMoments(new QuadraticEnergy(zeros(2, 2), Float64Array.of(0, 0), 'spin')).mean; // [0, 0]
 * ```
 * @category Evaluation
 */
export function exactMoments(energy: QuadraticEnergy, options?: ExactOptions): ExactMoments {
  const p = setup('exactMoments', energy, options);
  const n = p.n;
  const mean = new Float64Array(n);
  const corr = zeros(n, n);
  const logZ = accumulateMoments(p, 1, mean, corr.data);
  finishMoments(n, p.spin, mean, corr.data);
  return { logZ, mean, correlation: corr };
}

/** Exact thermodynamic quantities of a model at one temperature.
 * @category Evaluation
 */
export interface Thermodynamics {
  /** The temperature `T`. */
  readonly temperature: number;
  /** `log Z`. */
  readonly logZ: number;
  /** Internal energy `U = Σ P(s) E(s)`. */
  readonly internalEnergy: number;
  /** Entropy `H = −Σ P(s) log P(s)` (nats). */
  readonly entropy: number;
  /** Free energy `F = U − T·H`. */
  readonly freeEnergy: number;
  /** `−T log Z`, equal to {@link Thermodynamics.freeEnergy} at equilibrium. */
  readonly freeEnergyFromZ: number;
  /** Heat capacity `C = Var(E) / T²`. */
  readonly heatCapacity: number;
  /** The lowest energy over the enumerated states. */
  readonly groundEnergy: number;
}

/**
 * Internal energy, entropy, free energy (both ways), heat capacity and ground
 * energy by enumeration. `H` is summed as `−Σ p log p` with each `log p`
 * computed from its own energy, so `F = U − T·H` against `−T log Z` is a check.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param options - temperature and clamping
 * @returns the {@link Thermodynamics} at `options.temperature`
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} free units, or on bad options
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy (`[n, n]` weights, `n` biases, domain `'spin'` or `'binary'`), or an option has the wrong type (`clamp` a Uint8Array, `clampValues` a Float64Array of length `n`)
 * @example
 * ```ts
 * import { exactThermodynamics, QuadraticEnergy, zeros } from 'boltzmann';
 * exactThermodynamics(new QuadraticEnergy(zeros(4, 4), new Float64Array(4), 'spin')).entropy; // 4·log 2
 * ```
 * @category Evaluation
 */
export function exactThermodynamics(energy: QuadraticEnergy, options?: ExactOptions): Thermodynamics {
  const p = setup('exactThermodynamics', energy, options);
  const t = p.t;
  const logZ = logPartition(p);
  let u = 0;
  let u2 = 0;
  let h = 0;
  let ground = Infinity;
  enumerate(p, (_c, a) => {
    const logp = a - logZ;
    const q = exp(logp);
    const e = -a * t;
    if (e < ground) ground = e;
    u += q * e;
    u2 += q * e * e;
    if (q > 0) h -= q * logp;
  });
  const variance = Math.max(0, u2 - u * u);
  return {
    temperature: t,
    logZ,
    internalEnergy: u,
    entropy: h,
    freeEnergy: u - t * h,
    freeEnergyFromZ: -t * logZ,
    heatCapacity: variance / (t * t),
    groundEnergy: ground,
  };
}

/** The exact ground state(s) of a model.
 * @category Evaluation
 */
export interface GroundState {
  /** The lowest energy. */
  readonly energy: number;
  /** One state with that energy (the first in Gray-code order). */
  readonly state: Float64Array;
  /** Number of states within `tolerance` of the lowest energy (degeneracy). */
  readonly degeneracy: number;
  /** The second-lowest distinct energy (gap = secondEnergy − energy); `Infinity` for a one-state space. */
  readonly secondEnergy: number;
}

/**
 * The minimum-energy state by enumeration (temperature-free), with its
 * degeneracy and the energy gap. Clamped units keep their values.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param options - clamping (temperature ignored); `tolerance` for ties (default 1e-9 relative)
 * @returns the {@link GroundState}
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} free units, or on bad options
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy (`[n, n]` weights, `n` biases, domain `'spin'` or `'binary'`), or an option has the wrong type (`clamp` a Uint8Array, `clampValues` a Float64Array of length `n`)
 * @example
 * ```ts
 * import { exactGroundState, QuadraticEnergy, fromArrays } from 'boltzmann';
 * exactGroundState(new QuadraticEnergy(fromArrays([[0, -1], [-1, 0]]), new Float64Array(2), 'spin')).energy; // -1
 * ```
 * @category Evaluation
 */
export function exactGroundState(energy: QuadraticEnergy, options?: ExactGroundStateOptions): GroundState {
  const o = checkOptionsKeys('exactGroundState', options, GROUND_KEYS);
  const p = setup('exactGroundState', energy, { clamp: o.clamp, clampValues: o.clampValues, temperature: 1 });
  const tol = o.tolerance === undefined ? 1e-9 : checkPositive('exactGroundState', 'tolerance', o.tolerance);
  let best = Infinity;
  let second = Infinity;
  let count = 0;
  const state = new Float64Array(p.n);
  enumerate(p, (_c, a, s) => {
    const e = -a;
    const scale = tol * Math.max(1, Math.abs(e), best === Infinity ? 0 : Math.abs(best));
    if (e < best - scale) {
      if (best < Infinity) second = best;
      best = e;
      count = 1;
      state.set(s);
    } else if (Math.abs(e - best) <= scale) count++;
    else if (e < second) second = e;
  });
  return { energy: best, state, degeneracy: count, secondEnergy: second };
}

/** Validates a list of distinct unit indices in [0, n). */
function checkUnitList(where: string, name: string, units: ArrayLike<number>, n: number): Uint32Array {
  if (units === null || typeof units !== 'object' || typeof units.length !== 'number') {
    throw new TypeError(`${where}: ${name} must be an array of unit indices (got ${describeValue(units)})`);
  }
  // distinct units in [0, n): at most n of them
  checkInt(where, `${name}.length`, units.length, 0, n);
  const seen = new Uint8Array(n);
  const out = new Uint32Array(units.length);
  for (let k = 0; k < units.length; k++) {
    const i = checkInt(where, `${name}[${k}]`, units[k], 0, n - 1);
    if (seen[i]) throw new RangeError(`${where}: ${name} must not repeat a unit (unit ${i} appears twice)`);
    seen[i] = 1;
    out[k] = i;
  }
  return out;
}

/**
 * The marginal distribution of the `visible` units with all other units summed
 * out: entry `k` is `P(v)` for the visible vector whose bit `m` is the value of
 * unit `visible[m]`.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param visible - distinct unit indices (at most {@link EXACT_MAX_UNITS} total units are enumerated)
 * @param options - temperature (clamping is not allowed here)
 * @returns `Float64Array` of `2^visible.length` probabilities
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} units, or on bad arguments
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy, or `visible` is not a list of at most `n` unit indices
 * @example
 * ```ts
 * import { exactMarginal, QuadraticEnergy, zeros } from 'boltzmann';
 * exactMarginal(new QuadraticEnergy(zeros(3, 3), new Float64Array(3), 'binary'), [0]); // [0.5, 0.5]
 * ```
 * @category Evaluation
 */
export function exactMarginal(energy: QuadraticEnergy, visible: ArrayLike<number>, options?: ExactTemperatureOptions): Float64Array {
  const where = 'exactMarginal';
  const p = setup(where, energy, { temperature: checkOptionsKeys(where, options, TEMPERATURE_KEYS).temperature });
  const vis = checkUnitList(where, 'visible', visible, p.n);
  const bitOf = new Int32Array(p.n).fill(-1);
  for (let m = 0; m < vis.length; m++) bitOf[vis[m]] = m;
  const logZ = logPartition(p);
  const out = new Float64Array(2 ** vis.length);
  const nv = vis.length;
  enumerate(p, (_c, a, s) => {
    let k = 0;
    for (let m = 0; m < nv; m++) if (s[vis[m]] === 1) k |= 1 << m;
    out[k >>> 0] += exp(a - logZ);
  });
  return out;
}

/** Exact log-likelihood of a data set and its gradient.
 * @category Evaluation
 */
export interface ExactLikelihood {
  /** Mean log-likelihood `(1/N) Σ_v log P(v)` (nats per example). */
  readonly logLikelihood: number;
  /** `log P(v)` of each example. */
  readonly perExample: Float64Array;
  /** `log Z` of the model. */
  readonly logZ: number;
  /** `∂/∂W` of the mean log-likelihood, `[n, n]`, symmetric, zero diagonal: `(⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model) / T`. */
  readonly weights: Matrix;
  /** `∂/∂b` of the mean log-likelihood: `(⟨s_i⟩_data − ⟨s_i⟩_model) / T`. */
  readonly bias: Float64Array;
  /** Data statistics `⟨s_i⟩_data` (hidden units averaged with visible units clamped to each example). */
  readonly dataMean: Float64Array;
  /** Data statistics `⟨s_i s_j⟩_data`, `[n, n]`. */
  readonly dataCorrelation: Matrix;
  /** Model statistics `⟨s_i⟩_model`. */
  readonly modelMean: Float64Array;
  /** Model statistics `⟨s_i s_j⟩_model`, `[n, n]`. */
  readonly modelCorrelation: Matrix;
}

/**
 * Exact mean log-likelihood `(1/N) Σ_v log P(v)` of the rows of `data` under
 * the model's marginal over `visible` units (hidden units summed out), and its
 * exact gradient. With `P(s) ∝ exp(−E(s)/T)` and `E = −½ sᵀWs − bᵀs`:
 * `∂L/∂w_ij = (⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model) / T`, where the data term
 * averages over the hidden units with the visible units clamped to each
 * example. Each distinct example is enumerated once.
 *
 * @param energy - a binary or spin {@link QuadraticEnergy}
 * @param data - `[nExamples, visible.length]` in the energy's domain (any {@link DataInput}); column `m` is unit `visible[m]`
 * @param visible - distinct unit indices of the visible units
 * @param options - temperature; `gradient: false` skips the gradient (faster)
 * @returns the {@link ExactLikelihood}
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} units, or on bad arguments
 * @throws {TypeError | ShapeError} when `energy` is not a QuadraticEnergy, or `visible` is not a list of at most `n` unit indices
 * @throws {ShapeError} when `data` has the wrong number of columns
 * @example
 * ```ts
 * import { exactLogLikelihood, QuadraticEnergy, zeros, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(zeros(3, 3), new Float64Array(3), 'binary');
 * exactLogLikelihood(e, fromArrays([[1, 0]]), [0, 1]).logLikelihood; // 2·log(1/2)
 * ```
 * @category Evaluation
 */
export function exactLogLikelihood(
  energy: QuadraticEnergy,
  data: DataInput,
  visible: ArrayLike<number>,
  options?: ExactLogLikelihoodOptions,
): ExactLikelihood {
  const where = 'exactLogLikelihood';
  const o = checkOptionsKeys(where, options, LIKELIHOOD_KEYS);
  const p = setup(where, energy, { temperature: o.temperature });
  const n = p.n;
  const vis = checkUnitList(where, 'visible', visible, n);
  const x = checkMatrix(where, 'data', toMatrix(where, 'data', data), undefined, vis.length);
  if (x.rows < 1) throw new RangeError(`${where}: data must have at least one row (got 0)`);
  checkState(where, 'data', x.data, p.spin);
  const withGrad = o.gradient === undefined ? true : checkBoolean(where, 'gradient', o.gradient);
  const nv = vis.length;
  const clamp = new Uint8Array(n);
  for (let m = 0; m < nv; m++) clamp[vis[m]] = 1;
  const values = new Float64Array(n);
  const dataMean = new Float64Array(n);
  const dataCorr = zeros(n, n);
  const modelMean = new Float64Array(n);
  const modelCorr = zeros(n, n);
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (!clamp[i]) free.push(i);
  const clampedProblem: Problem = { ...p, free: Uint32Array.from(free), base: values };
  // group identical rows so each is enumerated once
  const groups = new Map<string, { row: number; count: number; logp: number }>();
  const perExample = new Float64Array(x.rows);
  const keys: string[] = new Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    const k = Array.prototype.join.call(x.data.subarray(r * nv, (r + 1) * nv), ',') as string;
    keys[r] = k;
    const g = groups.get(k);
    if (g) g.count++;
    else groups.set(k, { row: r, count: 1, logp: 0 });
  }
  const logZ = withGrad ? accumulateMoments(p, 1, modelMean, modelCorr.data) : logPartition(p);
  const invRows = 1 / x.rows;
  for (const g of groups.values()) {
    values.fill(p.spin ? -1 : 0);
    for (let m = 0; m < nv; m++) values[vis[m]] = x.data[g.row * nv + m];
    const logZv = withGrad
      ? accumulateMoments(clampedProblem, g.count * invRows, dataMean, dataCorr.data)
      : logPartition(clampedProblem);
    g.logp = logZv - logZ;
  }
  let ll = 0;
  for (let r = 0; r < x.rows; r++) {
    const lp = (groups.get(keys[r]) as { logp: number }).logp;
    perExample[r] = lp;
    ll += lp;
  }
  ll *= invRows;
  const gw = zeros(n, n);
  const gb = new Float64Array(n);
  if (withGrad) {
    finishMoments(n, p.spin, dataMean, dataCorr.data);
    finishMoments(n, p.spin, modelMean, modelCorr.data);
    const invT = 1 / p.t;
    for (let i = 0; i < n; i++) {
      gb[i] = (dataMean[i] - modelMean[i]) * invT;
      for (let j = 0; j < n; j++) {
        if (i !== j) gw.data[i * n + j] = (dataCorr.data[i * n + j] - modelCorr.data[i * n + j]) * invT;
      }
    }
  }
  return {
    logLikelihood: ll,
    perExample,
    logZ,
    weights: gw,
    bias: gb,
    dataMean,
    dataCorrelation: dataCorr,
    modelMean,
    modelCorrelation: modelCorr,
  };
}

// ---------------------------------------------------------------------------
// Generic tools for any EnergyModel over a binary or spin domain

/**
 * Writes the state with index `index` into `out`: unit `i` is `1` when bit `i`
 * of `index` is set, else `0` (binary) or `−1` (spin).
 *
 * @param out - length-`n` output (`n ≤ 31`)
 * @param index - integer in `[0, 2^n)`
 * @param domain - `'binary'` or `'spin'`
 * @returns `out`
 * @throws {TypeError | RangeError} when `out` is not a Float64Array of length ≤ 31, `index` is out of range, or `domain` is not `'binary'` or `'spin'`
 * @example
 * ```ts
 * import { stateFromIndex } from 'boltzmann';
 * stateFromIndex(new Float64Array(3), 5, 'spin'); // [1, -1, 1]
 * ```
 * @category Evaluation
 */
export function stateFromIndex(out: Float64Array, index: number, domain: 'binary' | 'spin'): Float64Array {
  checkVector('stateFromIndex', 'out', out);
  if (out.length > 31) throw new RangeError(`stateFromIndex: out must have length at most 31 (got ${out.length})`);
  checkInt('stateFromIndex', 'index', index, 0, 2 ** out.length - 1);
  checkOneOf('stateFromIndex', 'domain', domain, ['binary', 'spin'] as const);
  const lo = domain === 'spin' ? -1 : 0;
  for (let i = 0; i < out.length; i++) out[i] = (index >>> i) & 1 ? 1 : lo;
  return out;
}

/**
 * The index of a binary or spin state: bit `i` is set when unit `i` equals 1.
 *
 * @param state - binary (0/1) or spin (±1) vector (an array or typed array) of length ≤ 31
 * @returns the index in `[0, 2^n)`
 * @throws {TypeError} when `state` is not an array or typed array, or holds a non-number
 * @throws {RangeError} when the state is longer than 31 units, holds a value other than 0, 1 and −1, or mixes 0 and −1
 * @example
 * ```ts
 * import { indexFromState } from 'boltzmann';
 * indexFromState(Float64Array.of(1, -1, 1)); // 5
 * ```
 * @category Evaluation
 */
export function indexFromState(state: ArrayLike<number>): number {
  const where = 'indexFromState';
  if (!isNumberArray(state)) throw new TypeError(`${where}: state must be an array or typed array (got ${describeValue(state)})`);
  if (state.length > 31) throw new RangeError(`${where}: state must have length at most 31 (got ${state.length})`);
  checkDiscreteStates(where, 'state', state);
  let k = 0;
  for (let i = 0; i < state.length; i++) if (state[i] === 1) k |= 1 << i;
  return k >>> 0;
}

/** An array or a typed array (not a DataView): a real, memory-backed length. */
function isNumberArray(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Every entry of `data` a unit value of one domain: 0/1 (binary) or ±1 (spin)
 * — `1` with `0`, or `1` with `−1`, never `0` with `−1` (a TypeError for a
 * non-number, a RangeError naming the first bad index otherwise).
 */
function checkDiscreteStates(where: string, name: string, data: ArrayLike<unknown>): void {
  let zero = -1;
  let minus = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === 1) continue;
    if (v === 0) zero = zero < 0 ? i : zero;
    else if (v === -1) minus = minus < 0 ? i : minus;
    else {
      const kind = typeof v === 'number' ? RangeError : TypeError;
      throw new kind(`${where}: ${name} must hold binary (0/1) or spin (±1) values (got ${describeValue(v)} at index ${i})`);
    }
    if (zero >= 0 && minus >= 0) {
      throw new RangeError(`${where}: ${name} must be binary (0/1) or spin (±1), not both (0 at index ${zero}, −1 at index ${minus})`);
    }
  }
}

/** Every state of a small discrete model with its energy and probability.
 * @category Evaluation
 */
export interface EnumeratedStates {
  /** Number of units `n`. */
  readonly dimension: number;
  /** The domain of the units. */
  readonly domain: 'binary' | 'spin';
  /** The temperature used for the probabilities. */
  readonly temperature: number;
  /** `E(s)` for each state index (see {@link stateFromIndex}). */
  readonly energies: Float64Array;
  /** `P(s) = exp(−E(s)/T) / Z` for each state index. */
  readonly probabilities: Float64Array;
  /** `log Z`. */
  readonly logZ: number;
}

/**
 * Enumerates every state of any {@link EnergyModel} with a binary or spin
 * domain: energies (by `energy()` for every state; exact, no incremental drift)
 * and Boltzmann probabilities at temperature `T`, indexed by state bits. Use it
 * to test any sampler against the exact answer.
 *
 * @param model - an energy model with `domain` `'binary'` or `'spin'`
 * @param options - `temperature` (default 1)
 * @returns the {@link EnumeratedStates}
 * @throws {RangeError} above {@link EXACT_MAX_UNITS} units or for a continuous domain
 * @throws {TypeError} when `model` is not an EnergyModel, or its `energy` returns a non-number
 * @example
 * ```ts
 * import { enumerateStates, QuadraticEnergy, zeros } from 'boltzmann';
 * enumerateStates(new QuadraticEnergy(zeros(2, 2), new Float64Array(2), 'spin')).probabilities; // [0.25, 0.25, 0.25, 0.25]
 * ```
 * @category Evaluation
 */
export function enumerateStates(model: EnergyModel, options?: ExactTemperatureOptions): EnumeratedStates {
  const where = 'enumerateStates';
  const o = checkOptionsKeys(where, options, TEMPERATURE_KEYS);
  if (model === null || typeof model !== 'object' || typeof model.energy !== 'function') {
    throw new TypeError(`${where}: model must be an EnergyModel (got ${describeValue(model)})`);
  }
  if (model.domain !== 'binary' && model.domain !== 'spin') {
    throw new RangeError(`${where}: model.domain must be 'binary' or 'spin' (got ${describeValue(model.domain)})`);
  }
  const n = checkInt(where, 'model.dimension', model.dimension, 0);
  checkEnumerable(where, n);
  const t = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
  const total = 2 ** n;
  const energies = new Float64Array(total);
  const s = new Float64Array(n);
  for (let k = 0; k < total; k++) {
    stateFromIndexUnchecked(s, k, model.domain);
    const e: unknown = model.energy(s);
    if (typeof e !== 'number') throw new TypeError(`${where}: model.energy must return a number (got ${describeValue(e)} for state ${k})`);
    energies[k] = e;
  }
  checkAllFinite(where, 'energies', energies);
  const probabilities = new Float64Array(total);
  let mx = -Infinity;
  for (let k = 0; k < total; k++) mx = Math.max(mx, -energies[k] / t);
  let sum = 0;
  for (let k = 0; k < total; k++) {
    probabilities[k] = exp(-energies[k] / t - mx);
    sum += probabilities[k];
  }
  for (let k = 0; k < total; k++) probabilities[k] /= sum;
  return { dimension: n, domain: model.domain, temperature: t, energies, probabilities, logZ: mx + log(sum) };
}

function stateFromIndexUnchecked(out: Float64Array, index: number, domain: 'binary' | 'spin'): void {
  const lo = domain === 'spin' ? -1 : 0;
  for (let i = 0; i < out.length; i++) out[i] = (index >>> i) & 1 ? 1 : lo;
}

/**
 * Histogram of sampled states: counts per state index (see {@link indexFromState}),
 * normalised to frequencies.
 *
 * @param samples - `[nSamples, dimension]` row-major binary or spin states
 * @param dimension - units per sample (≤ {@link EXACT_MAX_UNITS})
 * @returns `Float64Array` of `2^dimension` frequencies summing to 1
 * @throws {ShapeError} when `samples.length` is not a multiple of `dimension`
 * @throws {RangeError} when a sample holds a value other than 0, 1 and −1, or the samples mix 0 and −1
 * @example
 * ```ts
 * import { stateFrequencies } from 'boltzmann';
 * stateFrequencies(Float64Array.of(1, 0, 1, 0, 0, 1), 2); // [0, 2/3, 1/3, 0]
 * ```
 * @category Evaluation
 */
export function stateFrequencies(samples: Float64Array, dimension: number): Float64Array {
  checkVector('stateFrequencies', 'samples', samples);
  checkInt('stateFrequencies', 'dimension', dimension, 1);
  checkEnumerable('stateFrequencies', dimension);
  if (samples.length % dimension !== 0 || samples.length === 0) {
    throw new ShapeError(`stateFrequencies: samples must have a positive multiple of ${dimension} entries (got ${samples.length})`);
  }
  checkDiscreteStates('stateFrequencies', 'samples', samples);
  const nSamples = samples.length / dimension;
  const out = new Float64Array(2 ** dimension);
  for (let r = 0; r < nSamples; r++) {
    let k = 0;
    const o = r * dimension;
    for (let i = 0; i < dimension; i++) if (samples[o + i] === 1) k |= 1 << i;
    out[k >>> 0] += 1;
  }
  for (let k = 0; k < out.length; k++) out[k] /= nSamples;
  return out;
}

/**
 * Total-variation distance `½ Σ_k |p_k − q_k|` between two distributions.
 *
 * @param p - probabilities
 * @param q - probabilities, same length
 * @returns a number in [0, 1]
 * @throws {TypeError} when `p` or `q` is not an array or typed array of numbers
 * @throws {RangeError} when an entry is not finite
 * @throws {ShapeError} when the lengths differ
 * @example
 * ```ts
 * import { totalVariation } from 'boltzmann';
 * totalVariation(Float64Array.of(1, 0), Float64Array.of(0.5, 0.5)); // 0.5
 * ```
 * @category Evaluation
 */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkProbabilities('totalVariation', 'p', p);
  checkProbabilities('totalVariation', 'q', q);
  if (p.length !== q.length) throw new ShapeError(`totalVariation: p and q must have the same length (got ${p.length} and ${q.length})`);
  let s = 0;
  for (let k = 0; k < p.length; k++) s += Math.abs(p[k] - q[k]);
  return 0.5 * s;
}

/**
 * A high-probability upper bound on the total-variation distance between the
 * exact distribution `p` and the histogram of `nEffective` independent draws
 * from it:
 *
 * - `E|p̂_k − p_k| ≤ sd(p̂_k) = √(p_k(1 − p_k)/n)` (Jensen), so
 *   `E[TV] ≤ ½ Σ_k √(p_k(1 − p_k)/n)`;
 * - one draw changes TV by at most `1/n`, so by McDiarmid's inequality
 *   `P(TV ≥ E[TV] + t) ≤ exp(−2 n t²)`; `t = z / (2√n)` gives a tail of `exp(−z²/2)`.
 *
 * Returns `½ Σ_k √(p_k(1 − p_k)/n) + z / (2√n)`. For correlated draws from a
 * Markov chain pass `n_eff = n / τ_int` (or use independent chains).
 *
 * @param p - exact probabilities
 * @param nEffective - number of independent draws (> 0)
 * @param z - margin in standard deviations (default 5: tail ≤ 3.7·10⁻⁶)
 * @returns the bound
 * @throws {TypeError} when `p` is not an array or typed array of numbers
 * @throws {RangeError} on a non-finite entry of `p`, or a non-positive `nEffective` or `z`
 * @example
 * ```ts
 * import { totalVariationBound } from 'boltzmann';
 * totalVariationBound(Float64Array.of(0.5, 0.5), 10000); // 0.005 + 0.025
 * ```
 * @category Evaluation
 */
export function totalVariationBound(p: ArrayLike<number>, nEffective: number, z = 5): number {
  checkProbabilities('totalVariationBound', 'p', p);
  checkPositive('totalVariationBound', 'nEffective', nEffective);
  checkPositive('totalVariationBound', 'z', z);
  let s = 0;
  for (let k = 0; k < p.length; k++) s += Math.sqrt(Math.max(0, p[k] * (1 - p[k])));
  return (0.5 * s) / Math.sqrt(nEffective) + z / (2 * Math.sqrt(nEffective));
}

/** An array or typed array of finite numbers (a TypeError or RangeError naming the first bad entry). */
function checkProbabilities(where: string, name: string, p: unknown): void {
  if (!isNumberArray(p)) throw new TypeError(`${where}: ${name} must be an array or typed array of probabilities (got ${describeValue(p)})`);
  for (let k = 0; k < p.length; k++) {
    const v = p[k];
    if (typeof v !== 'number') throw new TypeError(`${where}: ${name}[${k}] must be a number (got ${describeValue(v)})`);
    if (!Number.isFinite(v)) throw new RangeError(`${where}: ${name}[${k}] must be finite (got ${describeValue(v)})`);
  }
}
