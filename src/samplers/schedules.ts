/**
 * Temperature schedules for simulated annealing.
 * @module
 */
import { log, pow } from '../math/elementary.js';
import { checkInRange, checkInt, checkPositive } from '../validate.js';

/**
 * A temperature schedule: the temperature of stage `k = 0, 1, 2, …`, or
 * `undefined` when the schedule is over.
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
  checkInt('linearSchedule', 'steps', steps, 1);
  return (k) => {
    if (k >= steps) return undefined;
    return steps === 1 ? t0 : t0 + ((tMin - t0) * k) / (steps - 1);
  };
}

/**
 * Logarithmic cooling (Geman & Geman): `T_k = c / log(k + 2)` for `k < steps`.
 * Slow enough to reach a global minimum in theory, for large enough `c`.
 *
 * @example
 * ```ts
 * import { logarithmicSchedule } from 'boltzmann';
 * logarithmicSchedule(1, 5)(0); // 1 / Math.log(2)
 * ```
 * @category Sampling
 */
export function logarithmicSchedule(c: number, steps: number): Schedule {
  checkPositive('logarithmicSchedule', 'c', c);
  checkInt('logarithmicSchedule', 'steps', steps, 1);
  return (k) => (k < steps ? c / log(k + 2) : undefined);
}

/**
 * A user-supplied list of temperatures, used in order.
 *
 * @throws {RangeError} when a temperature is not positive and finite
 * @example
 * ```ts
 * import { listSchedule } from 'boltzmann';
 * listSchedule([3, 2, 1])(2); // 1
 * ```
 * @category Sampling
 */
export function listSchedule(temperatures: readonly number[]): Schedule {
  for (let i = 0; i < temperatures.length; i++) checkPositive('listSchedule', `temperatures[${i}]`, temperatures[i]);
  const ts = temperatures.slice();
  return (k) => ts[k];
}
