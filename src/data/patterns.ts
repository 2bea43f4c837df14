/**
 * Seeded random patterns — the memories of Hopfield capacity experiments and
 * toy data for Boltzmann machines — and seeded corruption of patterns
 * (flipped units) for recall tests.
 * @module
 */
import { describeValue } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { checkBinary, checkElements, checkInRange, checkInt, checkOneOf, checkOptionsKeys, checkSize, checkSpins, type DataInput, optionKeys, toMatrix } from '../validate.js';

/** Unit convention of generated patterns: `'spin'` (±1) or `'binary'` (0/1).
 * @category Data & files
 */
export type PatternDomain = 'spin' | 'binary';

/** Options of {@link randomPatterns}.
 * @category Data & files
 */
export interface RandomPatternOptions {
  /** `'spin'` (±1, default) or `'binary'` (0/1). */
  domain?: PatternDomain;
  /** Probability that a unit is "on" (+1 or 1); default 0.5. */
  density?: number;
  /** When true, each pattern has exactly `round(density · dimension)` units on (a uniformly random subset). Default false (independent units). */
  exact?: boolean;
}

const PATTERN_KEYS = optionKeys<RandomPatternOptions>()({ domain: true, density: true, exact: true });

/**
 * Draws `count` random patterns of `dimension` units. With `exact: false`
 * (default) every unit is independently on with probability `density` (one
 * `float64()` draw per unit, row-major); with `exact: true` each pattern has
 * exactly `round(density·dimension)` units on, chosen uniformly.
 *
 * @param count - number of patterns (integer ≥ 0)
 * @param dimension - units per pattern (integer ≥ 0)
 * @param rng - a seed or a {@link Random}
 * @param options - domain (`'spin'` default), density (0.5), exact
 * @returns a `[count, dimension]` matrix of ±1 or 0/1 values
 * @throws {TypeError | RangeError} on bad arguments (a RangeError naming `LIMITS.maxElements` when `count × dimension` exceeds it)
 * @example
 * ```ts
 * import { randomPatterns } from 'boltzmann';
 * const memories = randomPatterns(10, 100, 42); // 10 random ±1 patterns
 * const sparse = randomPatterns(5, 100, 7, { domain: 'binary', density: 0.1, exact: true }); // 10 ones each
 * ```
 * @category Data & files
 */
export function randomPatterns(count: number, dimension: number, rng: number | Random, options?: RandomPatternOptions): Matrix {
  const where = 'randomPatterns';
  checkSize(where, 'count', count, 0);
  checkSize(where, 'dimension', dimension, 0);
  checkElements(where, 'count × dimension', count, dimension);
  const opts = checkOptionsKeys(where, options, PATTERN_KEYS);
  const domain = opts.domain === undefined ? 'spin' : checkOneOf(where, 'options.domain', opts.domain, ['spin', 'binary'] as const);
  const density = opts.density === undefined ? 0.5 : checkInRange(where, 'options.density', opts.density, 0, 1);
  const exact = opts.exact === undefined ? false : opts.exact;
  if (typeof exact !== 'boolean') throw new TypeError(`${where}: options.exact must be a boolean (got ${describeValue(exact)})`);
  const r = toRandom(rng, where);
  const off = domain === 'spin' ? -1 : 0;
  const data = new Float64Array(count * dimension);
  if (!exact) {
    for (let i = 0; i < data.length; i++) data[i] = r.float64() < density ? 1 : off;
  } else {
    const k = Math.round(density * dimension);
    const idx = new Uint32Array(dimension);
    for (let p = 0; p < count; p++) {
      for (let i = 0; i < dimension; i++) idx[i] = i;
      // partial Fisher–Yates: the first k entries become a uniform k-subset
      for (let i = 0; i < k; i++) {
        const j = i + r.int(dimension - i);
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
      }
      const row = p * dimension;
      data.fill(off, row, row + dimension);
      for (let i = 0; i < k; i++) data[row + (idx[i] as number)] = 1;
    }
  }
  return { rows: count, cols: dimension, data };
}

/** Options of {@link flipNoise}.
 * @category Data & files
 */
export interface FlipNoiseOptions {
  /** `'spin'` (±1, default) or `'binary'` (0/1): how a unit is flipped (`s → −s` or `x → 1 − x`). */
  domain?: PatternDomain;
  /** Flip each unit independently with this probability. */
  probability?: number;
  /** Flip exactly this many units per pattern (a uniformly random subset). */
  count?: number;
}

const FLIP_NOISE_KEYS = optionKeys<FlipNoiseOptions>()({ domain: true, probability: true, count: true });

/**
 * Returns a corrupted copy of `patterns`: in each row, either every unit is
 * flipped independently with `probability`, or exactly `count` distinct units
 * are flipped (give one of the two). The input is not modified.
 *
 * @param patterns - `[n, d]` ±1 (domain `'spin'`) or 0/1 (domain `'binary'`): a Matrix, `number[][]` or a typed array with a shape
 * @param rng - a seed or a {@link Random}
 * @param options - domain, and `probability` or `count`
 * @returns a new `[n, d]` matrix
 * @throws {TypeError | RangeError} on bad arguments or values outside the domain
 * @example
 * ```ts
 * import { flipNoise, randomPatterns } from 'boltzmann';
 * const p = randomPatterns(1, 100, 1);
 * const cue = flipNoise(p, 2, { count: 10 }); // exactly 10 of 100 spins flipped
 * ```
 * @category Data & files
 */
export function flipNoise(patterns: DataInput, rng: number | Random, options: FlipNoiseOptions): Matrix {
  const where = 'flipNoise';
  const P = toMatrix(where, 'patterns', patterns);
  if (options === undefined) throw new TypeError(`${where}: options must give probability or count (got undefined)`);
  const opts = checkOptionsKeys(where, options, FLIP_NOISE_KEYS);
  const domain = opts.domain === undefined ? 'spin' : checkOneOf(where, 'options.domain', opts.domain, ['spin', 'binary'] as const);
  if ((opts.probability === undefined) === (opts.count === undefined)) {
    throw new TypeError(`${where}: options must give exactly one of probability and count`);
  }
  const d = P.cols;
  const probability = opts.probability === undefined ? null : checkInRange(where, 'options.probability', opts.probability, 0, 1);
  const count = opts.count === undefined ? null : checkInt(where, 'options.count', opts.count, 0, d);
  if (domain === 'spin') checkSpins(where, 'patterns.data', P.data);
  else checkBinary(where, 'patterns.data', P.data);
  const r = toRandom(rng, where);
  const data = P.data.slice();
  const flip = (i: number) => {
    data[i] = domain === 'spin' ? -(data[i] as number) : 1 - (data[i] as number);
  };
  if (probability !== null) {
    for (let i = 0; i < data.length; i++) if (r.float64() < probability) flip(i);
  } else {
    const k = count as number;
    const idx = new Uint32Array(d);
    for (let p = 0; p < P.rows; p++) {
      for (let i = 0; i < d; i++) idx[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + r.int(d - i);
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
        flip(p * d + (idx[i] as number));
      }
    }
  }
  return { rows: P.rows, cols: d, data };
}
