/**
 * Many independent chains, each from its own generator stream.
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import type { Random } from '../random/random.js';
import { MAX_STREAMS, toRandom } from '../random/random.js';
import { checkCallback, checkInt, checkOptionsKeys, optionKeys } from '../validate.js';
import { checkSampler } from './common.js';
import { checkRunSizes, runChain } from './run.js';
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
 * @param nChains - number of chains (an integer in [1, 2²⁰]: one generator stream each)
 * @param factory - builds chain `i`'s sampler from its generator
 * @param options - see {@link MultiChainOptions}
 * @returns per-chain samples, energies and samplers
 * @throws {TypeError} when `factory` or `onSample` is not a function, `chains` not an array, `factory` does not return a Sampler, or an option has the wrong type
 * @throws {RangeError} when `nChains` is not an integer in [1, 2²⁰], a size is out of range (see {@link runChain}), or `chains` holds an index outside `[0, nChains)` or repeats one
 * @throws {ShapeError} when the chains' samplers have different dimensions
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
  checkInt(where, 'nChains', nChains, 1, MAX_STREAMS);
  if (typeof factory !== 'function') throw new TypeError(`${where}: factory must be a function (rng, index) => Sampler (got ${describeValue(factory)})`);
  const o = checkOptionsKeys(where, options, MULTI_CHAIN_KEYS);
  const { nSamples, burnIn, thin, recordEnergy } = checkRunSizes(where, o);
  const cb = checkCallback(where, 'onSample', o.onSample);
  if (o.chains !== undefined && !Array.isArray(o.chains)) {
    throw new TypeError(`${where}: chains must be an array of chain indices (got ${describeValue(o.chains)})`);
  }
  const indices = o.chains === undefined ? Array.from({ length: nChains }, (_, i) => i) : o.chains.slice();
  const seen = new Set<number>();
  for (let k = 0; k < indices.length; k++) {
    const i = checkInt(where, `chains[${k}]`, indices[k], 0, nChains - 1);
    if (seen.has(i)) throw new RangeError(`${where}: chains must not repeat an index (got ${i} twice)`);
    seen.add(i);
  }
  const root = toRandom(o.rng ?? 0, where);
  const streams = root.streams(nChains);
  const runs: RunResult[] = [];
  const samplers: Sampler[] = [];
  for (const i of indices) {
    const s = checkSampler(where, `factory(rng, ${i})`, factory(streams[i], i));
    if (samplers.length > 0 && s.dimension !== samplers[0].dimension) {
      throw new ShapeError(`${where}: every chain must have dimension ${samplers[0].dimension} (chain ${i} has ${describeValue(s.dimension)})`);
    }
    runs.push(runChain(s, { nSamples, burnIn, thin, recordEnergy, onSample: cb ? (x, k) => cb(x, k, i) : undefined }));
    samplers.push(s);
  }
  return { indices, runs, samplers };
}

/** Checks that `result` looks like the output of {@link runChains}: `runs` of samples `[nSamples, dimension]`. */
function checkMultiChainResult(where: string, result: unknown): MultiChainResult {
  const r = result as MultiChainResult;
  if (r === null || typeof r !== 'object' || !Array.isArray(r.runs)) {
    throw new TypeError(`${where}: result must be the output of runChains (got ${describeValue(result)})`);
  }
  for (let c = 0; c < r.runs.length; c++) {
    const run = r.runs[c] as RunResult;
    const ok =
      run !== null &&
      typeof run === 'object' &&
      run.samples instanceof Float64Array &&
      run.energies instanceof Float64Array &&
      Number.isSafeInteger(run.nSamples) &&
      Number.isSafeInteger(run.dimension) &&
      run.nSamples >= 0 &&
      run.dimension >= 0 &&
      run.samples.length === run.nSamples * run.dimension;
    if (!ok) throw new TypeError(`${where}: result.runs[${c}] must be a RunResult (samples of length nSamples × dimension; got ${describeValue(run)})`);
  }
  return r;
}

/**
 * Scalar traces of each chain: `f(sample)` for every recorded sample, one
 * `Float64Array` per chain — the input of {@link integratedAutocorrelationTime},
 * {@link effectiveSampleSize} and {@link splitRHat}.
 *
 * @param result - the output of {@link runChains}
 * @param f - a statistic of one sample (the sample is a view: do not keep it)
 * @returns `nChains` traces of length `nSamples`
 * @throws {TypeError} when `result` is not the output of {@link runChains}, `f` is not a function, or `f` returns a non-number
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
  checkMultiChainResult('chainTraces', result);
  if (typeof f !== 'function') throw new TypeError(`chainTraces: f must be a function (x) => number (got ${describeValue(f)})`);
  return result.runs.map((r) => {
    const out = new Float64Array(r.nSamples);
    const d = r.dimension;
    for (let s = 0; s < r.nSamples; s++) {
      const v: unknown = f(r.samples.subarray(s * d, (s + 1) * d));
      if (typeof v !== 'number') throw new TypeError(`chainTraces: f must return a number (got ${describeValue(v)} for sample ${s})`);
      out[s] = v;
    }
    return out;
  });
}

/**
 * The energy trace of each chain (requires `recordEnergy`, the default).
 *
 * @param result - the output of {@link runChains}
 * @returns one energy trace per chain
 * @throws {TypeError} when `result` is not the output of {@link runChains}
 * @example
 * ```ts
 * import { runChains, energyTraces, Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * energyTraces(runChains(2, (rng) => new Metropolis(e, { rng }), { nSamples: 10 }))[0].length; // 10
 * ```
 * @category Sampling
 */
export function energyTraces(result: MultiChainResult): Float64Array[] {
  checkMultiChainResult('energyTraces', result);
  return result.runs.map((r) => r.energies);
}
