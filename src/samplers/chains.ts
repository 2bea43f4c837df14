/**
 * Many independent chains, each from its own generator stream.
 * @module
 */
import { ShapeError } from '../errors.js';
import type { Random } from '../random/random.js';
import { toRandom } from '../random/random.js';
import { checkInt, checkOptionsKeys, optionKeys } from '../validate.js';
import { runChain } from './run.js';
import type { RunResult, Sampler } from './types.js';

/** Builds the sampler of chain `index` from its own generator (stream `index` of the root).
 * @category Sampling
 */
export type ChainFactory = (rng: Random, index: number) => Sampler;

/** Options of {@link runChains}.
 * @category Sampling
 */
export interface MultiChainOptions {
  /** Samples recorded per chain. */
  nSamples: number;
  /** Steps discarded before the first sample. Default 0. */
  burnIn?: number;
  /** Steps between recorded samples. Default 1. */
  thin?: number;
  /** Record each sample's energy. Default true. */
  recordEnergy?: boolean;
  /** Root seed or generator; chain `i` draws from `rng.streams(·)[i]`. The root is not advanced. Default seed 0. */
  rng?: number | Random;
  /**
   * Which chains to run (indices in `[0, nChains)`, any order). Default all.
   * Chain `i`'s result depends only on `i`, never on which others ran or in what order.
   */
  chains?: readonly number[];
  /** Called with each recorded sample (live view), its index and its chain's index. */
  onSample?: (x: Float64Array, sampleIndex: number, chainIndex: number) => void;
}

const MULTI_CHAIN_KEYS = optionKeys<MultiChainOptions>()({
  nSamples: true,
  burnIn: true,
  thin: true,
  recordEnergy: true,
  rng: true,
  chains: true,
  onSample: true,
});

/** Result of {@link runChains}.
 * @category Sampling
 */
export interface MultiChainResult {
  /** The chain indices run, in the order given. */
  readonly indices: readonly number[];
  /** One {@link RunResult} per chain run, aligned with {@link MultiChainResult.indices}. */
  readonly runs: readonly RunResult[];
  /** The samplers, left at their final states (e.g. to continue or read acceptance rates). */
  readonly samplers: readonly Sampler[];
}

/**
 * Runs `nChains` independent chains. The root generator is split into
 * non-overlapping jump streams (`rng.streams(nChains)`); chain `i` is built by
 * `factory(stream_i, i)` and run with {@link runChain}. Because stream `i` does
 * not depend on the number of chains, chain `i` gives the same numbers whether
 * it runs alone, among others, first or last — so chains can be split across
 * workers without changing results.
 *
 * @param nChains - number of chains (≥ 1)
 * @param factory - builds chain `i`'s sampler from its generator
 * @param options - see {@link MultiChainOptions}
 * @returns per-chain samples, energies and samplers
 * @throws {TypeError | RangeError | ShapeError} on bad arguments
 * @example
 * ```ts
 * import { runChains, Metropolis, QuadraticEnergy, fromArrays, splitRHat, chainTraces } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * const r = runChains(4, (rng) => new Metropolis(e, { rng }), { nSamples: 500, rng: 7 });
 * splitRHat(chainTraces(r, (x) => x[0] + x[1])); // close to 1
 * ```
 * @category Sampling
 */
export function runChains(nChains: number, factory: ChainFactory, options: MultiChainOptions): MultiChainResult {
  const where = 'runChains';
  checkInt(where, 'nChains', nChains, 1);
  if (typeof factory !== 'function') throw new TypeError(`${where}: factory must be a function (rng, index) => Sampler`);
  const o = checkOptionsKeys(where, options, MULTI_CHAIN_KEYS);
  const nSamples = checkInt(where, 'nSamples', o.nSamples);
  const indices = o.chains === undefined ? Array.from({ length: nChains }, (_, i) => i) : o.chains.slice();
  if (!Array.isArray(indices)) throw new TypeError(`${where}: chains must be an array of chain indices`);
  const seen = new Set<number>();
  for (const i of indices) {
    checkInt(where, 'chains[i]', i, 0, nChains - 1);
    if (seen.has(i)) throw new RangeError(`${where}: chains must not repeat an index (got ${i} twice)`);
    seen.add(i);
  }
  const root = toRandom(o.rng ?? 0, where);
  const streams = root.streams(nChains);
  const runs: RunResult[] = [];
  const samplers: Sampler[] = [];
  for (const i of indices) {
    const s = factory(streams[i], i);
    if (s === null || typeof s !== 'object' || typeof s.step !== 'function') {
      throw new TypeError(`${where}: factory must return a Sampler (chain ${i})`);
    }
    if (samplers.length > 0 && s.dimension !== samplers[0].dimension) {
      throw new ShapeError(`${where}: every chain must have dimension ${samplers[0].dimension} (chain ${i} has ${s.dimension})`);
    }
    const cb = o.onSample;
    runs.push(
      runChain(s, {
        nSamples,
        burnIn: o.burnIn,
        thin: o.thin,
        recordEnergy: o.recordEnergy,
        onSample: cb ? (x, k) => cb(x, k, i) : undefined,
      }),
    );
    samplers.push(s);
  }
  return { indices, runs, samplers };
}

/**
 * Scalar traces of each chain: `f(sample)` for every recorded sample, one
 * `Float64Array` per chain — the input of {@link integratedAutocorrelationTime},
 * {@link effectiveSampleSize} and {@link splitRHat}.
 *
 * @param result - the output of {@link runChains}
 * @param f - a statistic of one sample (the sample is a view: do not keep it)
 * @returns `nChains` traces of length `nSamples`
 * @throws {TypeError} when `f` is not a function
 * @example
 * ```ts
 * import { runChains, chainTraces, Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * const r = runChains(2, (rng) => new Metropolis(e, { rng }), { nSamples: 10 });
 * chainTraces(r, (x) => x[0]).length; // 2
 * ```
 * @category Sampling
 */
export function chainTraces(result: MultiChainResult, f: (x: Float64Array) => number): Float64Array[] {
  if (typeof f !== 'function') throw new TypeError('chainTraces: f must be a function (x) => number');
  return result.runs.map((r) => {
    const out = new Float64Array(r.nSamples);
    const d = r.dimension;
    for (let s = 0; s < r.nSamples; s++) out[s] = f(r.samples.subarray(s * d, (s + 1) * d));
    return out;
  });
}

/**
 * The energy trace of each chain (requires `recordEnergy`, the default).
 *
 * @param result - the output of {@link runChains}
 * @returns one energy trace per chain
 * @example
 * ```ts
 * import { runChains, energyTraces, Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * energyTraces(runChains(2, (rng) => new Metropolis(e, { rng }), { nSamples: 10 }))[0].length; // 10
 * ```
 * @category Sampling
 */
export function energyTraces(result: MultiChainResult): Float64Array[] {
  return result.runs.map((r) => r.energies);
}
