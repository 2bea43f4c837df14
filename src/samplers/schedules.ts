/**
 * Temperature schedules for simulated annealing.
 * @module
 */

import { describeValue } from '../errors.js';
import { log, pow } from '../math/elementary.js';
import { checkInRange, checkPositive, checkSize } from '../validate.js';

/**
 * A temperature schedule: the temperature of stage `k = 0, 1, 2, …`, or
 * `undefined` when the schedule is over. It must be a function of `k` alone:
 * {@link anneal} reads every temperature before its first sweep, and refuses a
 * schedule that has not ended after `LIMITS.maxSteps` stages.
 * @category Sampling
 */
export type Schedule = (k: number) => number | undefined;

/**
 * Geometric cooling (the lecture's): `T_k = T₀ · αᵏ` while `T_k ≥ T_min`.
 *
 * @param t0 - starting temperature (> 0)
 * @param alpha - cooling factor in (0, 1)
 * @param tMin - final temperature (> 0, ≤ t0)
 * @example
 * ```ts
 * import { geometricSchedule } from 'boltzmann';
 * const s = geometricSchedule(10, 0.5, 1);
 * [s(0), s(1), s(3), s(4)]; // [10, 5, 1.25, undefined]
 * ```
 * @category Sampling
 */
export function geometricSchedule(t0: number, alpha: number, tMin: number): Schedule {
  checkPositive('geometricSchedule', 't0', t0);
  checkInRange('geometricSchedule', 'alpha', alpha, 0, 1, { loOpen: true, hiOpen: true });
  checkInRange('geometricSchedule', 'tMin', tMin, 0, t0, { loOpen: true });
  return (k) => {
    const t = t0 * pow(alpha, k);
    return t >= tMin * (1 - 1e-12) ? t : undefined;
  };
}

/**
 * Linear cooling from `t0` to `tMin` in `steps` stages (inclusive of both ends).
 *
 * @param t0 - starting temperature (> 0)
 * @param tMin - final temperature (> 0, ≤ t0)
 * @param steps - number of stages, an integer in [1, `LIMITS.maxSteps`]
 * @throws {TypeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { linearSchedule } from 'boltzmann';
 * const s = linearSchedule(2, 1, 3);
 * [s(0), s(1), s(2), s(3)]; // [2, 1.5, 1, undefined]
 * ```
 * @category Sampling
 */
export function linearSchedule(t0: number, tMin: number, steps: number): Schedule {
  checkPositive('linearSchedule', 't0', t0);
  checkInRange('linearSchedule', 'tMin', tMin, 0, t0, { loOpen: true });
  checkSize('linearSchedule', 'steps', steps, 1, 'maxSteps');
  return (k) => {
    if (k >= steps) return undefined;
    return steps === 1 ? t0 : t0 + ((tMin - t0) * k) / (steps - 1);
  };
}

/**
 * Logarithmic cooling (Geman & Geman): `T_k = c / log(k + 2)` for `k < steps`.
 * Slow enough to reach a global minimum in theory, for large enough `c`.
 *
 * @param c - scale (> 0)
 * @param steps - number of stages, an integer in [1, `LIMITS.maxSteps`]
 * @throws {TypeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { logarithmicSchedule } from 'boltzmann';
 * logarithmicSchedule(1, 5)(0); // 1 / Math.log(2)
 * ```
 * @category Sampling
 */
export function logarithmicSchedule(c: number, steps: number): Schedule {
  checkPositive('logarithmicSchedule', 'c', c);
  checkSize('logarithmicSchedule', 'steps', steps, 1, 'maxSteps');
  return (k) => (k < steps ? c / log(k + 2) : undefined);
}

/**
 * A user-supplied list of temperatures, used in order.
 *
 * @param temperatures - an array or typed array of at most `LIMITS.maxSteps` temperatures (copied)
 * @throws {TypeError} when `temperatures` is not an array or typed array, or an entry is not a number
 * @throws {RangeError} when a temperature is not positive and finite, or there are more than `LIMITS.maxSteps`
 * @example
 * ```ts
 * import { listSchedule } from 'boltzmann';
 * listSchedule([3, 2, 1])(2); // 1
 * ```
 * @category Sampling
 */
export function listSchedule(temperatures: readonly number[]): Schedule {
  const where = 'listSchedule';
  const list: unknown = temperatures;
  if (!Array.isArray(list) && !(ArrayBuffer.isView(list) && !(list instanceof DataView))) {
    throw new TypeError(`${where}: temperatures must be an array of positive numbers (got ${describeValue(list)})`);
  }
  const n = checkSize(where, 'temperatures.length', (list as ArrayLike<unknown>).length, 0, 'maxSteps');
  const ts: number[] = new Array(n);
  for (let i = 0; i < n; i++) ts[i] = checkPositive(where, `temperatures[${i}]`, (list as ArrayLike<unknown>)[i]);
  return (k) => ts[k];
}
