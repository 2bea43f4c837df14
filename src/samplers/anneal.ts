/**
 * Simulated annealing over any {@link Sampler}.
 * @module
 */
import { checkInt, checkOptionsKeys, optionKeys } from '../validate.js';
import type { Schedule } from './schedules.js';
import type { Sampler } from './types.js';

/** Options of {@link anneal}.
 * @category Sampling
 */
export interface AnnealOptions {
  /** Sweeps at each temperature. Default 1. */
  sweepsPerTemperature?: number;
  /**
   * Stop early after this many consecutive sweeps in which the state did not
   * change (a frozen chain). Default: never stop early.
   */
  stopAfterUnchanged?: number;
  /** Called after each temperature stage. */
  onStage?: (stage: { index: number; temperature: number; energy: number }) => void;
}

/** Result of {@link anneal}.
 * @category Sampling
 */
export interface AnnealResult {
  /** The final state (a copy). */
  readonly state: Float64Array;
  /** Its energy. */
  readonly energy: number;
  /** Lowest energy seen at the end of any sweep, and the state that had it. */
  readonly bestEnergy: number;
  /** The state with {@link AnnealResult.bestEnergy} (a copy). */
  readonly bestState: Float64Array;
  /** Temperature stages run. */
  readonly stages: number;
  /** Total sweeps run. */
  readonly sweeps: number;
  /** The temperature of the last stage. */
  readonly finalTemperature: number;
}

const ANNEAL_KEYS = optionKeys<AnnealOptions>()({ sweepsPerTemperature: true, stopAfterUnchanged: true, onStage: true });

function sameState(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Simulated annealing: for each temperature of `schedule`, set the sampler's
 * temperature and run `sweepsPerTemperature` sweeps; stop when the schedule
 * ends or the state is frozen. The sampler's temperature is left at the last
 * stage's value.
 *
 * @example
 * ```ts
 * import { anneal, geometricSchedule, QuadraticGibbs, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, -1], [-1, 0]]), new Float64Array(2), 'spin');
 * const r = anneal(new QuadraticGibbs(e, { rng: 1 }), geometricSchedule(5, 0.9, 0.05));
 * r.bestEnergy; // -1: the two spins anti-aligned
 * ```
 * @category Sampling
 */
export function anneal(sampler: Sampler, schedule: Schedule, options?: AnnealOptions): AnnealResult {
  const o = checkOptionsKeys('anneal', options, ANNEAL_KEYS);
  if (typeof schedule !== 'function') throw new TypeError('anneal: schedule must be a function k => temperature | undefined');
  const sweepsPer = o.sweepsPerTemperature === undefined ? 1 : checkInt('anneal', 'sweepsPerTemperature', o.sweepsPerTemperature, 1);
  const stopAfter = o.stopAfterUnchanged === undefined ? Infinity : checkInt('anneal', 'stopAfterUnchanged', o.stopAfterUnchanged, 1);
  const prev = new Float64Array(sampler.dimension);
  let bestEnergy = sampler.energy();
  const bestState = sampler.state.slice();
  let unchanged = 0;
  let sweeps = 0;
  let stage = 0;
  let lastT = sampler.temperature;
  for (;; stage++) {
    const t = schedule(stage);
    if (t === undefined) break;
    sampler.temperature = t;
    lastT = t;
    for (let s = 0; s < sweepsPer; s++) {
      prev.set(sampler.state);
      sampler.step();
      sweeps++;
      const e = sampler.energy();
      if (e < bestEnergy) {
        bestEnergy = e;
        bestState.set(sampler.state);
      }
      unchanged = sameState(prev, sampler.state) ? unchanged + 1 : 0;
    }
    o.onStage?.({ index: stage, temperature: t, energy: sampler.energy() });
    if (unchanged >= stopAfter) {
      stage++;
      break;
    }
  }
  return {
    state: sampler.state.slice(),
    energy: sampler.energy(),
    bestEnergy,
    bestState,
    stages: stage,
    sweeps,
    finalTemperature: lastT,
  };
}
