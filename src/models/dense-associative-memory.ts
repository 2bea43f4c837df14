/**
 * Dense associative memory (Krotov & Hopfield 2016; Demircigil, Heusel,
 * Löwe, Upgang & Vermet 2017): ±1 units, stored patterns `ξ_μ`, energy
 * `E(σ) = −Σ_μ F(ξ_μ · σ)` with a rapidly growing interaction function `F`:
 *
 * - `'polynomial'`: `F(x) = xⁿ` (n = 2 is the Hebbian Hopfield network up to a constant);
 * - `'rectified-polynomial'`: `F(x) = max(x, 0)ⁿ`;
 * - `'exponential'`: `F(x) = eˣ`, where the dynamics compare `log Σ_μ e^{x_μ}`
 *   (the stable log-sum-exp of src/linalg/stable.ts) and never form `eˣ` unscaled.
 *
 * Capacity (random patterns, each pattern stable with high probability):
 * `K_max ≈ Nⁿ⁻¹ / (2 (2n−3)!! ln N)` for the polynomial energy (see
 * {@link denseCapacityTheory}); exponential in N for `F = exp`.
 * @module
 */

import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSumExp } from '../linalg/stable.js';
import { exp, log } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { toSpinPatterns } from '../train/hopfield-rules.js';
import { checkAbortSignal, checkCallback, checkElements, checkInt, checkOneOf, checkOptionsKeys, checkSize, checkSpins, checkSteps, checkVector, type DataInput, LIMITS, optionKeys } from '../validate.js';
import type { FitResult, ScoreResult } from './contract.js';
import type { EvolveResult } from './hopfield-network.js';

/**
 * The interaction function `F` of a {@link DenseAssociativeMemory}.
 * @category Models
 */
export type InteractionFunction = 'polynomial' | 'rectified-polynomial' | 'exponential';

const INTERACTIONS: readonly InteractionFunction[] = ['polynomial', 'rectified-polynomial', 'exponential'];

/** Options of the {@link DenseAssociativeMemory} constructor.
 * @category Models
 */
export interface DenseAssociativeMemoryOptions {
  /** Seed or generator of the memory's own stream (random update order). Default seed 0. */
  rng?: number | Random;
  /** The interaction function F. Default `'polynomial'`. */
  interaction?: InteractionFunction;
  /** The degree n of the (rectified) polynomial, an integer ≥ 1. Default 3. */
  degree?: number;
}

const NETWORK_KEYS = optionKeys<DenseAssociativeMemoryOptions>()({ rng: true, interaction: true, degree: true });

/** Options of {@link DenseAssociativeMemory.fit} and {@link DenseAssociativeMemory.partialFit}.
 * @category Models
 */
export interface DenseFitOptions {
  /** Accept 0/1 patterns (mapped to ±1). Default false. */
  binary?: boolean;
  /** Change the interaction function F (default: keep the memory's). */
  interaction?: InteractionFunction;
  /** Change the degree n (default: keep the memory's). */
  degree?: number;
  /** Ignored (storage is one pass); accepted for the common fit options. */
  epochs?: number;
  /** Called once with the storage's metrics. */
  onEpoch?: (metrics: import('./contract.js').EpochMetrics) => unknown;
  /** Accepted for the common fit options (storage is one pass and cannot be stopped). */
  signal?: AbortSignal;
}

const FIT_KEYS = optionKeys<DenseFitOptions>()({ binary: true, interaction: true, degree: true, epochs: true, onEpoch: true, signal: true });

/** Options of {@link DenseAssociativeMemory.evolve}.
 * @category Models
 */
export interface DenseEvolveOptions {
  /** Visiting order: `'sequential'` (default) or `'random'` (a fresh permutation each sweep). */
  order?: 'sequential' | 'random';
  /** Most sweeps (N update attempts each). Default 100. */
  maxSweeps?: number;
  /** Seed or generator for `order: 'random'`. Default: the memory's own stream. */
  rng?: number | Random;
  /** Units with a non-zero entry are held at their cue value. Length N. */
  clamp?: Uint8Array;
}

const EVOLVE_KEYS = optionKeys<DenseEvolveOptions>()({ order: true, maxSweeps: true, rng: true, clamp: true });

/**
 * `(2n − 1)!! = 1 · 3 · 5 ⋯ (2n − 1)`, with `(−1)!! = 1`.
 */
function doubleFactorialOdd(m: number): number {
  let r = 1;
  for (let k = m; k > 1; k -= 2) r *= k;
  return r;
}

/**
 * Krotov & Hopfield's (2016) capacity estimate of the polynomial dense
 * associative memory, `K_max ≈ Nⁿ⁻¹ / (2 (2n−3)!! ln N)` random patterns
 * (each stable with high probability). For n = 2 it is McEliece's `N / (2 ln N)`.
 *
 * @param n - number of units N (≥ 2)
 * @param degree - degree n of `F(x) = xⁿ` (≥ 2)
 * @returns the number of patterns (not rounded)
 * @throws {RangeError | TypeError} when N or n is not an integer ≥ 2
 * @example
 * ```ts
 * import { denseCapacityTheory } from 'boltzmann';
 * Math.round(denseCapacityTheory(200, 3)); // 1258
 * ```
 * @category Models
 */
export function denseCapacityTheory(n: number, degree: number): number {
  checkInt('denseCapacityTheory', 'n', n, 2);
  checkInt('denseCapacityTheory', 'degree', degree, 2, 64);
  let p = 1;
  for (let k = 0; k < degree - 1; k++) p *= n;
  return p / (2 * doubleFactorialOdd(2 * degree - 3) * log(n));
}

/** `xⁿ` for an integer n ≥ 1 by repeated multiplication (exact for integers below 2⁵³). */
function ipow(x: number, n: number): number {
  let r = x;
  for (let k = 1; k < n; k++) r *= x;
  return r;
}

/**
 * Dense associative memory of `N` ±1 units storing patterns `ξ_μ` (rows of
 * {@link DenseAssociativeMemory.patterns}) with energy `E(σ) = −Σ_μ F(ξ_μ·σ)`.
 * Asynchronous dynamics flip a unit exactly when the flip lowers the energy
 * (`Σ_μ F(x_μ − 2σ_iξ_μi) > Σ_μ F(x_μ)`, where `x_μ = ξ_μ·σ` are kept up to
 * date in O(K) per flip); ties keep the unit. With `F = exp` the comparison is
 * between log-sum-exps, so N in the thousands is safe; the energy itself,
 * `−e^{logsumexp}`, overflows to `−Infinity` beyond `x ≈ 709` (use
 * {@link DenseAssociativeMemory.logNegativeEnergy}).
 *
 * It defines no probability distribution: `sample`, `scoreSamples` and `score`
 * throw a RangeError saying so.
 *
 * @example
 * ```ts
 * import { DenseAssociativeMemory } from 'boltzmann';
 * const dam = new DenseAssociativeMemory(6, { degree: 3 });
 * dam.fit([[1, 1, 1, -1, -1, -1], [1, -1, 1, -1, 1, -1]]);
 * Array.from(dam.evolve(Float64Array.of(1, 1, -1, -1, -1, -1)).state); // [1, 1, 1, -1, -1, -1]
 * ```
 * @category Models
 */
export class DenseAssociativeMemory {
  /** The document kind, `'dense-associative-memory'`. */
  readonly kind = 'dense-associative-memory' as const;
  /** Number of units N. */
  readonly dimension: number;
  /** Always `'spin'` (±1 units). */
  readonly domain = 'spin' as const;
  /** The memory's own generator stream, seeded once at construction. */
  readonly random: Random;
  private fn: InteractionFunction;
  private deg: number;
  private xi: Matrix;
  /** Patterns transposed, `[N, K]`: column access per unit. */
  private xiT: Float64Array;

  /**
   * A memory of `n` units storing nothing.
   *
   * @param n - number of units (≥ 1, at most `LIMITS.maxElements`)
   * @param options - `rng` (default seed 0), `interaction` (default `'polynomial'`), `degree` (default 3)
   * @throws {TypeError | RangeError} on a bad size (a RangeError naming `LIMITS.maxElements` above it) or bad or unknown options
   */
  constructor(n: number, options?: DenseAssociativeMemoryOptions) {
    const where = 'DenseAssociativeMemory';
    checkSize(where, 'n', n, 1);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    this.fn = o.interaction === undefined ? 'polynomial' : checkOneOf(where, 'interaction', o.interaction, INTERACTIONS);
    this.deg = o.degree === undefined ? 3 : checkInt(where, 'degree', o.degree, 1, 64);
    this.random = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
    this.dimension = n;
    this.xi = { rows: 0, cols: n, data: new Float64Array(0) };
    this.xiT = new Float64Array(0);
  }

  /** The interaction function F. */
  get interaction(): InteractionFunction {
    return this.fn;
  }

  /** The degree n of the (rectified) polynomial (unused by `'exponential'`). */
  get degree(): number {
    return this.deg;
  }

  /** The stored patterns `[K, N]` (±1; a live view, do not edit). */
  get patterns(): Matrix {
    return this.xi;
  }

  /**
   * Stores `patterns`, replacing what was stored (one pass; `F` and `n` may be changed here).
   *
   * @param patterns - `[K, N]` spins (0/1 with `binary`), any {@link DataInput}
   * @param options - `binary`, `interaction`, `degree`, `onEpoch`
   * @returns a one-entry {@link FitResult} (`steps` = patterns stored)
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options, an `onEpoch` that is not a function or a `signal` that is not an AbortSignal (nothing changes)
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(4);
   * dam.fit([[1, -1, 1, -1]], { interaction: 'exponential' }).history[0].steps; // 1
   * ```
   */
  fit(patterns: DataInput, options?: DenseFitOptions): FitResult {
    return this.store('DenseAssociativeMemory.fit', patterns, options, false);
  }

  /**
   * Stores more patterns, keeping those already stored.
   *
   * @param patterns - `[K', N]` spins (0/1 with `binary`)
   * @param options - as for {@link DenseAssociativeMemory.fit}
   * @returns a one-entry {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options (as for fit; a RangeError naming `LIMITS.maxElements` when all the stored patterns would exceed it)
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(4);
   * dam.fit([[1, -1, 1, -1]]);
   * dam.partialFit([[1, 1, 1, 1]]);
   * dam.patterns.rows; // 2
   * ```
   */
  partialFit(patterns: DataInput, options?: DenseFitOptions): FitResult {
    return this.store('DenseAssociativeMemory.partialFit', patterns, options, true);
  }

  private store(where: string, patterns: DataInput, options: DenseFitOptions | undefined, append: boolean): FitResult {
    const t0 = now();
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const fn = o.interaction === undefined ? this.fn : checkOneOf(where, 'interaction', o.interaction, INTERACTIONS);
    const deg = o.degree === undefined ? this.deg : checkInt(where, 'degree', o.degree, 1, 64);
    checkCallback(where, 'onEpoch', o.onEpoch);
    checkAbortSignal(where, o.signal);
    if (o.epochs !== undefined) checkSteps(where, 'epochs', o.epochs, 1);
    const x = toSpinPatterns(where, patterns, { binary: o.binary, dimension: this.dimension });
    checkElements(where, 'stored patterns × N', (append ? this.xi.rows : 0) + x.rows, this.dimension);
    // an already-aborted signal stores nothing, as every model's fit does
    if (o.signal?.aborted) return { history: [], epochs: 0, aborted: true };
    this.fn = fn;
    this.deg = deg;
    this.setPatterns(append ? concatRows(this.xi, x) : x);
    const m = { epoch: 0, steps: x.rows, learningRate: Number.NaN, seconds: (now() - t0) / 1000 };
    o.onEpoch?.(m);
    return { history: [m], epochs: 1, aborted: false };
  }

  private setPatterns(x: Matrix): void {
    const k = x.rows, n = this.dimension;
    const t = new Float64Array(k * n);
    for (let mu = 0; mu < k; mu++) for (let i = 0; i < n; i++) t[i * k + mu] = x.data[mu * n + i];
    this.xi = x;
    this.xiT = t;
  }

  /** The overlaps `x_μ = ξ_μ · σ` (unchecked). */
  private overlaps(s: Float64Array, out: Float64Array): Float64Array {
    const k = this.xi.rows, n = this.dimension, d = this.xi.data;
    for (let mu = 0; mu < k; mu++) {
      let v = 0;
      const o = mu * n;
      for (let i = 0; i < n; i++) v += d[o + i] * s[i];
      out[mu] = v;
    }
    return out;
  }

  /** `Σ_μ F(x_μ)`, or for `'exponential'` `log Σ_μ e^{x_μ}` (unchecked). */
  private core(x: Float64Array): number {
    const k = x.length, n = this.deg;
    if (this.fn === 'exponential') return logSumExp(x);
    let s = 0;
    if (this.fn === 'polynomial') for (let mu = 0; mu < k; mu++) s += ipow(x[mu], n);
    else for (let mu = 0; mu < k; mu++) if (x[mu] > 0) s += ipow(x[mu], n);
    return s;
  }

  /**
   * Whether flipping unit `i` (state `s`, overlaps `x`) strictly lowers the energy (unchecked).
   * Polynomial: `Σ_μ [F(x_μ − 2sξ_μi) − F(x_μ)] > 0`. Exponential: the same sum of
   * `e^{x−m}` terms with the largest exponent `m` of both states factored out.
   */
  private flipLowers(x: Float64Array, i: number, s: number): boolean {
    const k = this.xi.rows, n = this.deg, t = this.xiT, o = i * k;
    const d = -2 * s;
    if (this.fn === 'exponential') {
      let m = -Infinity;
      for (let mu = 0; mu < k; mu++) {
        const a = x[mu], b = a + d * t[o + mu];
        if (a > m) m = a;
        if (b > m) m = b;
      }
      let gain = 0;
      for (let mu = 0; mu < k; mu++) {
        const a = x[mu], b = a + d * t[o + mu];
        gain += exp(b - m) - exp(a - m);
      }
      return gain > 0;
    }
    let gain = 0;
    if (this.fn === 'polynomial') {
      for (let mu = 0; mu < k; mu++) {
        const a = x[mu];
        gain += ipow(a + d * t[o + mu], n) - ipow(a, n);
      }
    } else {
      for (let mu = 0; mu < k; mu++) {
        const a = x[mu], b = a + d * t[o + mu];
        gain += (b > 0 ? ipow(b, n) : 0) - (a > 0 ? ipow(a, n) : 0);
      }
    }
    return gain > 0;
  }

  private checkState(where: string, name: string, s: unknown): Float64Array {
    const v = checkVector(where, name, s, this.dimension);
    checkSpins(where, name, v);
    return v;
  }

  /**
   * The energy `E(σ) = −Σ_μ F(ξ_μ·σ)` (0 with nothing stored). With `F = exp` it
   * is `−exp(logsumexp)`, which overflows to `−Infinity` for overlaps beyond about 709.
   *
   * @param s - length-N spins
   * @returns the energy
   * @throws {TypeError | ShapeError | RangeError} on a bad state
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(2, { degree: 2 });
   * dam.fit([[1, 1]]);
   * dam.energy(Float64Array.of(1, 1)); // -4
   * ```
   */
  energy(s: Float64Array): number {
    this.checkState('DenseAssociativeMemory.energy', 's', s);
    return this.energyUnchecked(s);
  }

  private energyUnchecked(s: Float64Array): number {
    if (this.xi.rows === 0) return 0;
    const c = this.core(this.overlaps(s, new Float64Array(this.xi.rows)));
    return this.fn === 'exponential' ? -exp(c) : -c;
  }

  /**
   * `log(−E(σ)) = log Σ_μ e^{ξ_μ·σ}` for `F = exp` (finite where the energy overflows).
   *
   * @param s - length-N spins
   * @returns the log of minus the energy
   * @throws {RangeError} unless the interaction is `'exponential'`; on a bad state
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(1000, { interaction: 'exponential' });
   * const p = new Float64Array(1000).fill(1);
   * dam.fit([p]);
   * dam.logNegativeEnergy(p); // 1000
   * ```
   */
  logNegativeEnergy(s: Float64Array): number {
    const where = 'DenseAssociativeMemory.logNegativeEnergy';
    if (this.fn !== 'exponential') throw new RangeError(`${where}: interaction must be 'exponential' (got ${describeValue(this.fn)}); use energy()`);
    this.checkState(where, 's', s);
    return this.core(this.overlaps(s, new Float64Array(this.xi.rows)));
  }

  /**
   * Whether every unit of `s` is stable (no single flip lowers the energy).
   *
   * @param s - length-N spins
   * @returns true at a fixed point of the asynchronous dynamics
   * @throws {TypeError | ShapeError | RangeError} on a bad state
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(4);
   * dam.fit([[1, -1, 1, -1]]);
   * dam.isFixedPoint(Float64Array.of(1, -1, 1, -1)); // true
   * ```
   */
  isFixedPoint(s: Float64Array): boolean {
    this.checkState('DenseAssociativeMemory.isFixedPoint', 's', s);
    const x = this.overlaps(s, new Float64Array(this.xi.rows));
    for (let i = 0; i < this.dimension; i++) if (this.flipLowers(x, i, s[i])) return false;
    return true;
  }

  /**
   * Asynchronous deterministic dynamics from `cue`: each visited unit flips when
   * the flip lowers the energy, until a sweep changes nothing.
   *
   * @param cue - length-N spins (not modified)
   * @param options - order, maxSweeps, rng, clamp
   * @returns the final state, convergence, sweeps, flips and the energy after each sweep
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (`rng` is checked even when unused; `maxSweeps` above `LIMITS.maxSteps` is a RangeError naming it)
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(6);
   * dam.fit([[1, 1, 1, -1, -1, -1]]);
   * dam.evolve(Float64Array.of(-1, 1, 1, -1, -1, 1)).converged; // true
   * ```
   */
  evolve(cue: Float64Array, options?: DenseEvolveOptions): EvolveResult {
    return this.run('DenseAssociativeMemory.evolve', cue, options);
  }

  private run(where: string, cue: Float64Array, options: DenseEvolveOptions | undefined): EvolveResult {
    const o = checkOptionsKeys(where, options, EVOLVE_KEYS);
    this.checkState(where, 'cue', cue);
    const order = o.order === undefined ? 'sequential' : checkOneOf(where, 'order', o.order, ['sequential', 'random'] as const);
    const maxSweeps = o.maxSweeps === undefined ? 100 : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
    const clamp = checkClamp(where, o.clamp, this.dimension);
    const given = o.rng === undefined ? undefined : toRandom(o.rng, where);
    const rng = order === 'random' ? (given ?? this.random) : null;
    const n = this.dimension, k = this.xi.rows, t = this.xiT;
    const s = cue.slice();
    const x = this.overlaps(s, new Float64Array(k));
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (!clamp?.[i]) free.push(i);
    const visit = Uint32Array.from(free);
    const energies = [this.energyUnchecked(s)];
    let sweeps = 0, flips = 0, converged = false;
    while (sweeps < maxSweeps) {
      if (rng) {
        for (let a = visit.length - 1; a > 0; a--) {
          const r = rng.int(a + 1);
          const tmp = visit[a];
          visit[a] = visit[r];
          visit[r] = tmp;
        }
      }
      let changed = 0;
      for (let a = 0; a < visit.length; a++) {
        const i = visit[a];
        const si = s[i];
        if (this.flipLowers(x, i, si)) {
          s[i] = -si;
          const d = -2 * si, oi = i * k;
          for (let mu = 0; mu < k; mu++) x[mu] += d * t[oi + mu];
          changed++;
        }
      }
      sweeps++;
      flips += changed;
      energies.push(this.energyUnchecked(s));
      if (changed === 0) {
        converged = true;
        break;
      }
    }
    return { state: s, converged, sweeps, flips, energies: Float64Array.from(energies), cycle: false };
  }

  /**
   * Retrieval from a cue: the same as {@link DenseAssociativeMemory.evolve}.
   *
   * @param cue - length-N spins
   * @param options - as for evolve
   * @returns the evolution result
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (as {@link DenseAssociativeMemory.evolve})
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(4);
   * dam.fit([[1, -1, 1, -1]]);
   * Array.from(dam.recall(Float64Array.of(1, 1, 1, -1)).state); // [1, -1, 1, -1]
   * ```
   */
  recall(cue: Float64Array, options?: DenseEvolveOptions): EvolveResult {
    return this.run('DenseAssociativeMemory.recall', cue, options);
  }

  /**
   * Not defined: a dense associative memory here is a deterministic
   * energy-descent memory, not a normalised distribution.
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * try { new DenseAssociativeMemory(3).sample(1); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  sample(_n: number, _options?: object): Matrix {
    throw new RangeError(
      'DenseAssociativeMemory.sample: the dense associative memory defines no probability distribution to sample (it is a deterministic energy-descent memory); use evolve/recall',
    );
  }

  /**
   * Not defined (no normalised distribution; see {@link DenseAssociativeMemory.sample}).
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * try { new DenseAssociativeMemory(3).scoreSamples([[1, 1, 1]]); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  scoreSamples(_data: DataInput, _options?: object): Float64Array {
    throw new RangeError('DenseAssociativeMemory.scoreSamples: the dense associative memory defines no likelihood to score; use energy() or recall quality');
  }

  /**
   * Not defined (no normalised distribution; see {@link DenseAssociativeMemory.sample}).
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * try { new DenseAssociativeMemory(3).score([[1, 1, 1]]); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  score(_data: DataInput, _options?: object): ScoreResult {
    throw new RangeError('DenseAssociativeMemory.score: the dense associative memory defines no likelihood to score; use energy() or recall quality');
  }

  /**
   * Saves the memory as a `'dense-associative-memory'` document: config `n`,
   * `interaction`, `degree`, `patterns` (K); tensor `patterns` `[K, N]` (±1, row-major).
   *
   * @returns the document
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * new DenseAssociativeMemory(2).toDocument().kind; // 'dense-associative-memory'
   * ```
   */
  toDocument(): ModelDocument {
    return {
      format: 'boltzmann',
      version: 1,
      kind: this.kind,
      config: { n: this.dimension, interaction: this.fn, degree: this.deg, patterns: this.xi.rows },
      tensors: { patterns: tensorToJson({ shape: [this.xi.rows, this.dimension], data: this.xi.data }) },
      state: modelState(this.random),
    };
  }

  /**
   * Loads a memory saved by {@link DenseAssociativeMemory.toDocument}.
   *
   * @param doc - the parsed document
   * @param options - `rng` of the loaded memory's stream (default: the saved stream, `state.rng`, continued; seed 0 for a document without one)
   * @returns the memory
   * @throws {FormatError} when the document is malformed (including `config.n` above `LIMITS.maxElements`)
   * @throws {TypeError | RangeError} on unknown options or a bad `rng`
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const dam = new DenseAssociativeMemory(3);
   * dam.fit([[1, -1, 1]]);
   * DenseAssociativeMemory.fromDocument(JSON.parse(JSON.stringify(dam.toDocument()))).patterns.rows; // 1
   * ```
   */
  static fromDocument(doc: unknown, options?: { rng?: number | Random }): DenseAssociativeMemory {
    const o = checkOptionsKeys('DenseAssociativeMemory.fromDocument', options, RNG_KEYS);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, 'DenseAssociativeMemory.fromDocument');
    const d = checkDocument(doc, 'dense-associative-memory');
    const where = 'load dense-associative-memory';
    const n = readCount(where, d, 'n', 1);
    const k = readCount(where, d, 'patterns', 0);
    const fn = d.config.interaction;
    if (typeof fn !== 'string' || !(INTERACTIONS as readonly string[]).includes(fn)) {
      throw new FormatError(`${where}: config.interaction must be one of ${INTERACTIONS.join(', ')} (got ${describeValue(fn)})`);
    }
    const degree = d.config.degree;
    if (typeof degree !== 'number' || !Number.isInteger(degree) || degree < 1 || degree > 64) {
      throw new FormatError(`${where}: config.degree must be an integer in [1, 64] (got ${describeValue(degree)})`);
    }
    const t = readTensor(d, 'patterns', [k, n]);
    for (let i = 0; i < t.data.length; i++) {
      if (t.data[i] !== 1 && t.data[i] !== -1) throw new FormatError(`${where}: tensor 'patterns' must hold only ±1 (got ${describeValue(t.data[i])} at index ${i})`);
    }
    if (n > LIMITS.maxElements) throw new FormatError(`${where}: config.n must be at most ${LIMITS.maxElements} (LIMITS.maxElements) (got ${describeValue(n)})`);
    const m = new DenseAssociativeMemory(n, { rng, interaction: fn as InteractionFunction, degree });
    m.setPatterns({ rows: k, cols: n, data: Float64Array.from(t.data) });
    if (rng === undefined) restoreModelRandom(where, d, m.random);
    return m;
  }

  /**
   * An independent copy (patterns, F, n, and a copy of the generator stream).
   *
   * @returns the copy
   * @example
   * ```ts
   * import { DenseAssociativeMemory } from 'boltzmann';
   * const a = new DenseAssociativeMemory(3);
   * a.fit([[1, -1, 1]]);
   * a.clone().patterns.rows; // 1
   * ```
   */
  clone(): DenseAssociativeMemory {
    const c = new DenseAssociativeMemory(this.dimension, { rng: this.random.clone(), interaction: this.fn, degree: this.deg });
    c.setPatterns({ rows: this.xi.rows, cols: this.dimension, data: this.xi.data.slice() });
    return c;
  }
}

const RNG_KEYS = optionKeys<{ rng?: number | Random }>()({ rng: true });

function readCount(where: string, d: ModelDocument, name: string, min: number): number {
  const v = d.config[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new FormatError(`${where}: config.${name} must be an integer ≥ ${min} (got ${describeValue(v)})`);
  return v;
}

function concatRows(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: b.cols, data };
}

function checkClamp(where: string, clamp: unknown, n: number): Uint8Array | undefined {
  if (clamp === undefined) return undefined;
  if (!(clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(clamp)})`);
  if (clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${clamp.length})`);
  return clamp;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
