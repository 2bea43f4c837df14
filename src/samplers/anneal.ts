/**
 * Simulated annealing over any {@link Sampler}.
 * @module
 */
import { describeValue } from '../errors.js';
import { checkCallback, checkInt, checkOptionsKeys, checkPositive, checkSize, LIMITS, optionKeys } from '../validate.js';
import { checkEnergyValue, checkSampler } from './common.js';
import type { Schedule } from './schedules.js';
import type { Sampler } from './types.js';

/** Options of {@link anneal}.
 * @category Sampling
 */
export interface AnnealOptions {
  /** Sweeps at each temperature (an integer in [1, `LIMITS.maxSteps`]). Default 1. */
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
 * The temperatures of `schedule`, stage 0 first, each checked positive and
 * finite: the schedule is evaluated (it must be a function of `k` alone) up to
 * its first `undefined`, before anything runs. A schedule that has not ended
 * after `LIMITS.maxSteps` stages is refused (schedule(LIMITS.maxSteps) is
 * asked first, so a 10¹²-stage schedule is refused at once).
 */
function scheduleTemperatures(where: string, schedule: Schedule): number[] {
  const max = LIMITS.maxSteps;
  const tooLong = (): never => {
    throw new RangeError(`${where}: schedule must end (return undefined) within ${max} stages (LIMITS.maxSteps)`);
  };
  if (schedule(max) !== undefined) tooLong();
  const ts: number[] = [];
  for (let k = 0; ; k++) {
    const t: unknown = schedule(k);
    if (t === undefined) return ts;
    if (k === max) tooLong();
    ts.push(checkPositive(where, `schedule(${k})`, t));
  }
}

/**
 * Simulated annealing: for each temperature of `schedule`, set the sampler's
 * temperature and run `sweepsPerTemperature` sweeps; stop when the schedule
 * ends or the state is frozen. The sampler's temperature is left at the last
 * stage's value. The schedule's temperatures are read (and checked) before
 * the first sweep, so a bad argument leaves the sampler — its state and its
 * generator — as it was.
 *
 * @param sampler - any {@link Sampler} with a settable `temperature`
 * @param schedule - the temperature of stage `k` (a function of `k` alone), `undefined` when over
 * @param options - see {@link AnnealOptions}
 * @returns the final and best states and energies
 * @throws {TypeError} when `sampler` is not a Sampler, `schedule` not a function, a temperature not a number, `onStage` not a function, or an option of the wrong type
 * @throws {RangeError} when a temperature is not positive and finite, the schedule does not end within `LIMITS.maxSteps` stages, or `sweepsPerTemperature` (at most `LIMITS.maxSteps`) or `stopAfterUnchanged` is not a positive integer
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
  const where = 'anneal';
  checkSampler(where, 'sampler', sampler);
  const o = checkOptionsKeys(where, options, ANNEAL_KEYS);
  if (typeof schedule !== 'function') {
    throw new TypeError(`${where}: schedule must be a function k => temperature | undefined (got ${describeValue(schedule)})`);
  }
  const sweepsPer = o.sweepsPerTemperature === undefined ? 1 : checkSize(where, 'sweepsPerTemperature', o.sweepsPerTemperature, 1, 'maxSteps');
  const stopAfter = o.stopAfterUnchanged === undefined ? Infinity : checkInt(where, 'stopAfterUnchanged', o.stopAfterUnchanged, 1);
  const onStage = checkCallback(where, 'onStage', o.onStage);
  const temperatures = scheduleTemperatures(where, schedule);
  const prev = new Float64Array(sampler.dimension);
  let bestEnergy = checkEnergyValue(where, 'sampler.energy()', sampler.energy());
  const bestState = sampler.state.slice();
  let unchanged = 0;
  let sweeps = 0;
  let stage = 0;
  let lastT = sampler.temperature;
  for (; stage < temperatures.length; stage++) {
    const t = temperatures[stage];
    sampler.temperature = t;
    lastT = t;
    for (let s = 0; s < sweepsPer; s++) {
      prev.set(sampler.state);
      sampler.step();
      sweeps++;
      const e = checkEnergyValue(where, 'sampler.energy()', sampler.energy());
      if (e < bestEnergy) {
        bestEnergy = e;
        bestState.set(sampler.state);
      }
      unchanged = sameState(prev, sampler.state) ? unchanged + 1 : 0;
    }
    onStage?.({ index: stage, temperature: t, energy: sampler.energy() });
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
