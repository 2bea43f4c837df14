/**
 * Seeded two-dimensional toy datasets for energy-based models: a ring of
 * Gaussians, two moons and concentric rings. Each returns a `[n, 2]` matrix.
 * @module
 */

import { describeValue } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { cos, sin } from '../math/elementary.js';
import { type Random, toRandom } from '../random/random.js';
import { checkElements, checkInt, checkNonNegative, checkOptionsKeys, checkPositive, checkSize, optionKeys } from '../validate.js';

/** Options of {@link ringOfGaussians}.
 * @category Data & files
 */
export interface RingOfGaussiansOptions {
  /** Number of Gaussians, evenly spaced on the circle. Default 8. */
  modes?: number;
  /** Circle radius. Default 2. */
  radius?: number;
  /** Standard deviation of each Gaussian (isotropic). Default 0.1. */
  std?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
}

const RING_KEYS = optionKeys<RingOfGaussiansOptions>()({ modes: true, radius: true, std: true, rng: true });

/**
 * `n` points from an equal mixture of `modes` isotropic Gaussians centred at
 * `radius·(cos 2πk/modes, sin 2πk/modes)`.
 *
 * @param n - number of points
 * @param options - see {@link RingOfGaussiansOptions}
 * @returns `[n, 2]`
 * @throws {TypeError | RangeError} on bad arguments (a RangeError naming `LIMITS.maxElements` when the `[n, 2]` output would exceed it)
 * @example
 * ```ts
 * import { ringOfGaussians } from 'boltzmann';
 * ringOfGaussians(1000, { rng: 1 }).rows; // 1000
 * ```
 * @category Data & files
 */
export function ringOfGaussians(n: number, options?: RingOfGaussiansOptions): Matrix {
  const where = 'ringOfGaussians';
  checkPoints(where, n);
  const o = checkOptionsKeys(where, options, RING_KEYS);
  const modes = o.modes === undefined ? 8 : checkInt(where, 'modes', o.modes, 1);
  const radius = o.radius === undefined ? 2 : checkNonNegative(where, 'radius', o.radius);
  const std = o.std === undefined ? 0.1 : checkNonNegative(where, 'std', o.std);
  const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * rng.int(modes)) / modes;
    data[2 * i] = radius * cos(a) + std * rng.normal();
    data[2 * i + 1] = radius * sin(a) + std * rng.normal();
  }
  return { rows: n, cols: 2, data };
}

/** Options of {@link twoMoons}.
 * @category Data & files
 */
export interface TwoMoonsOptions {
  /** Standard deviation of the Gaussian noise added to each point. Default 0.1. */
  noise?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
}

const MOONS_KEYS = optionKeys<TwoMoonsOptions>()({ noise: true, rng: true });

/**
 * `n` points from two interleaved half circles (as scikit-learn's
 * `make_moons`): the upper moon `(cos t, sin t)` and the lower moon
 * `(1 − cos t, 1/2 − sin t)`, `t ∼ U[0, π]`, each point on either with
 * probability ½, plus Gaussian noise; then shifted by `(−1/2, −1/4)` so the set is centred.
 *
 * @param n - number of points
 * @param options - see {@link TwoMoonsOptions}
 * @returns `[n, 2]`
 * @throws {TypeError | RangeError} on bad arguments (a RangeError naming `LIMITS.maxElements` when the `[n, 2]` output would exceed it)
 * @example
 * ```ts
 * import { twoMoons } from 'boltzmann';
 * twoMoons(500, { noise: 0.05, rng: 2 }).cols; // 2
 * ```
 * @category Data & files
 */
export function twoMoons(n: number, options?: TwoMoonsOptions): Matrix {
  const where = 'twoMoons';
  checkPoints(where, n);
  const o = checkOptionsKeys(where, options, MOONS_KEYS);
  const noise = o.noise === undefined ? 0.1 : checkNonNegative(where, 'noise', o.noise);
  const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = Math.PI * rng.float64();
    const upper = rng.float64() < 0.5;
    const x = upper ? cos(t) : 1 - cos(t);
    const y = upper ? sin(t) : 0.5 - sin(t);
    data[2 * i] = x - 0.5 + noise * rng.normal();
    data[2 * i + 1] = y - 0.25 + noise * rng.normal();
  }
  return { rows: n, cols: 2, data };
}

/** Options of {@link concentricRings}.
 * @category Data & files
 */
export interface ConcentricRingsOptions {
  /** Ring radii. Default `[1, 2]`. */
  radii?: readonly number[];
  /** Standard deviation of the radial Gaussian noise. Default 0.05. */
  noise?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
}

const RINGS_KEYS = optionKeys<ConcentricRingsOptions>()({ radii: true, noise: true, rng: true });

/**
 * `n` points on concentric circles: a ring chosen uniformly, an angle
 * uniform in `[0, 2π)`, and the radius perturbed by Gaussian noise.
 *
 * @param n - number of points
 * @param options - see {@link ConcentricRingsOptions}
 * @returns `[n, 2]`
 * @throws {TypeError | RangeError} on bad arguments (a RangeError naming `LIMITS.maxElements` when the `[n, 2]` output would exceed it)
 * @example
 * ```ts
 * import { concentricRings } from 'boltzmann';
 * concentricRings(800, { radii: [0.5, 1.5, 2.5], rng: 3 }).rows; // 800
 * ```
 * @category Data & files
 */
export function concentricRings(n: number, options?: ConcentricRingsOptions): Matrix {
  const where = 'concentricRings';
  checkPoints(where, n);
  const o = checkOptionsKeys(where, options, RINGS_KEYS);
  const radii = o.radii === undefined ? [1, 2] : o.radii;
  if (!Array.isArray(radii) || radii.length === 0) throw new TypeError(`${where}: radii must be a non-empty array of positive numbers (got ${describeValue(radii)})`);
  for (const [i, r] of radii.entries()) checkPositive(where, `radii[${i}]`, r);
  const noise = o.noise === undefined ? 0.05 : checkNonNegative(where, 'noise', o.noise);
  const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const r = radii[rng.int(radii.length)] + noise * rng.normal();
    const a = 2 * Math.PI * rng.float64();
    data[2 * i] = r * cos(a);
    data[2 * i + 1] = r * sin(a);
  }
  return { rows: n, cols: 2, data };
}

/** The number of points `n`: an integer ≥ 0 whose `[n, 2]` output fits `LIMITS.maxElements`. */
function checkPoints(where: string, n: number): void {
  checkSize(where, 'n', n, 0);
  checkElements(where, 'n × 2', n, 2);
}
