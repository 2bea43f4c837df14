/**
 * Running any {@link Sampler} with burn-in and thinning.
 * @module
 */
import { checkBoolean, checkCallback, checkElements, checkOptionsKeys, checkSize, optionKeys } from '../validate.js';
import { checkEnergyValue, checkSampler } from './common.js';
import type { RunOptions, RunResult, Sampler } from './types.js';

const RUN_KEYS = optionKeys<RunOptions>()({ nSamples: true, burnIn: true, thin: true, onSample: true, recordEnergy: true });

/** The options of {@link runChain} (and of each chain of `runChains`), checked: sizes within `LIMITS.maxSteps`. @internal */
export interface CheckedRunOptions {
  nSamples: number;
  burnIn: number;
  thin: number;
  recordEnergy: boolean;
}

/** Checks `nSamples`, `burnIn`, `thin` and `recordEnergy` (shared with `runChains`). @internal */
export function checkRunSizes(where: string, o: { nSamples?: unknown; burnIn?: unknown; thin?: unknown; recordEnergy?: unknown }): CheckedRunOptions {
  return {
    nSamples: checkSize(where, 'nSamples', o.nSamples, 0, 'maxSteps'),
    burnIn: o.burnIn === undefined ? 0 : checkSize(where, 'burnIn', o.burnIn, 0, 'maxSteps'),
    thin: o.thin === undefined ? 1 : checkSize(where, 'thin', o.thin, 1, 'maxSteps'),
    recordEnergy: o.recordEnergy === undefined ? true : checkBoolean(where, 'recordEnergy', o.recordEnergy),
  };
}

/**
 * Runs a chain: `burnIn` steps, then `nSamples` samples each `thin` steps apart.
 * Everything is checked before the first step, so a bad argument leaves the
 * sampler (its state and its generator) as it was.
 *
 * @param sampler - any {@link Sampler} (advanced in place)
 * @param options - see {@link RunOptions}
 * @returns the samples `[nSamples, dimension]` and their energies
 * @throws {TypeError} when `sampler` is not a Sampler (`step()`, `energy()`, a Float64Array `state`), an option has the wrong type, or `onSample` is not a function
 * @throws {RangeError} when `nSamples`, `burnIn` or `thin` is not an integer in range (each at most `LIMITS.maxSteps`; `nSamples × dimension` at most `LIMITS.maxElements`)
 * @example
 * ```ts
 * import { runChain, QuadraticGibbs, QuadraticEnergy, zeros, Random } from 'boltzmann';
 * const e = new QuadraticEnergy(zeros(3, 3), new Float64Array(3), 'binary');
 * const g = new QuadraticGibbs(e, { rng: new Random(1) });
 * runChain(g, { nSamples: 10, burnIn: 5 }).samples.length; // 30
 * ```
 */
export function runChain(sampler: Sampler, options: RunOptions): RunResult {
  const where = 'runChain';
  checkSampler(where, 'sampler', sampler);
  const o = checkOptionsKeys(where, options, RUN_KEYS);
  const { nSamples, burnIn, thin, recordEnergy } = checkRunSizes(where, o);
  const onSample = checkCallback(where, 'onSample', o.onSample);
  const d = sampler.dimension;
  checkElements(where, 'nSamples × dimension', nSamples, d);
  const samples = new Float64Array(nSamples * d);
  const energies = new Float64Array(recordEnergy ? nSamples : 0);
  for (let i = 0; i < burnIn; i++) sampler.step();
  for (let s = 0; s < nSamples; s++) {
    for (let t = 0; t < thin; t++) sampler.step();
    samples.set(sampler.state, s * d);
    if (recordEnergy) energies[s] = checkEnergyValue(where, 'sampler.energy()', sampler.energy());
    onSample?.(sampler.state, s);
  }
  return { samples, energies, nSamples, dimension: d };
}
