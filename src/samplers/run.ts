/**
 * Running any {@link Sampler} with burn-in and thinning.
 * @module
 */
import { checkInt, checkOptionsKeys, optionKeys } from '../validate.js';
import type { RunOptions, RunResult, Sampler } from './types.js';

const RUN_KEYS = optionKeys<RunOptions>()({ nSamples: true, burnIn: true, thin: true, onSample: true, recordEnergy: true });

/**
 * Runs a chain: `burnIn` steps, then `nSamples` samples each `thin` steps apart.
 *
 * @returns the samples `[nSamples, dimension]` and their energies
 * @throws {RangeError | TypeError} on bad options
 * @example
 * ```ts
 * import { runChain, QuadraticGibbs, QuadraticEnergy, zeros, Random } from 'boltzmann';
 * const e = new QuadraticEnergy(zeros(3, 3), new Float64Array(3), 'binary');
 * const g = new QuadraticGibbs(e, { rng: new Random(1) });
 * runChain(g, { nSamples: 10, burnIn: 5 }).samples.length; // 30
 * ```
 */
export function runChain(sampler: Sampler, options: RunOptions): RunResult {
  const o = checkOptionsKeys('runChain', options, RUN_KEYS);
  const nSamples = checkInt('runChain', 'nSamples', o.nSamples);
  const burnIn = o.burnIn === undefined ? 0 : checkInt('runChain', 'burnIn', o.burnIn);
  const thin = o.thin === undefined ? 1 : checkInt('runChain', 'thin', o.thin, 1);
  const recordEnergy = o.recordEnergy ?? true;
  const d = sampler.dimension;
  const samples = new Float64Array(nSamples * d);
  const energies = new Float64Array(recordEnergy ? nSamples : 0);
  for (let i = 0; i < burnIn; i++) sampler.step();
  for (let s = 0; s < nSamples; s++) {
    for (let t = 0; t < thin; t++) sampler.step();
    samples.set(sampler.state, s * d);
    if (recordEnergy) energies[s] = sampler.energy();
    o.onSample?.(sampler.state, s);
  }
  return { samples, energies, nSamples, dimension: d };
}
