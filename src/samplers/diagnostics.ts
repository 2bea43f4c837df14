/**
 * Chain diagnostics: energy traces, acceptance rates, autocorrelation,
 * integrated autocorrelation time, effective sample size, Monte Carlo
 * standard errors and split R-hat.
 *
 * A scalar trace is an array or typed array of finite numbers (a
 * `Float64Array` of a statistic over the recorded samples); functions that
 * take `chains` accept one trace or an array of traces of equal length
 * (`chains × samples` at most `LIMITS.maxElements`).
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import { checkElements, checkInt, checkOneOf, checkOptionsKeys, checkPositive, checkSize, optionKeys } from '../validate.js';
import { checkEnergyValue, checkSampler } from './common.js';
import type { Sampler } from './types.js';

/** One scalar trace or several of equal length (arrays or typed arrays of numbers).
 * @category Sampling
 */
export type Traces = ArrayLike<number> | readonly ArrayLike<number>[];

/** An array or a typed array of numbers (not a DataView): something with a real, memory-backed length. */
function isTrace(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function toChains(where: string, x: Traces, minLength: number): ArrayLike<number>[] {
  if (!isTrace(x)) throw new TypeError(`${where}: chains must be a trace or an array of traces (got ${describeValue(x)})`);
  const isList = Array.isArray(x) && x.length > 0 && typeof x[0] === 'object';
  const chains = (isList ? (x as ArrayLike<number>[]) : [x as ArrayLike<number>]).slice();
  if (chains.length === 0) throw new RangeError(`${where}: chains must contain at least one trace`);
  for (let c = 0; c < chains.length; c++) {
    const ch: unknown = chains[c];
    if (!isTrace(ch)) throw new TypeError(`${where}: chain ${c} must be an array of numbers (got ${describeValue(ch)})`);
  }
  const n = chains[0].length;
  checkElements(where, 'chains × samples', chains.length, n);
  for (let c = 0; c < chains.length; c++) {
    const ch = chains[c];
    if (ch.length !== n) throw new ShapeError(`${where}: every chain must have length ${n} (chain ${c} has ${ch.length})`);
    for (let i = 0; i < n; i++) {
      const v: unknown = ch[i];
      if (typeof v !== 'number') throw new TypeError(`${where}: chain ${c} must hold only numbers (got ${describeValue(v)} at index ${i})`);
      if (!Number.isFinite(v)) throw new RangeError(`${where}: chain ${c} must be finite (got ${describeValue(v)} at index ${i})`);
    }
  }
  if (n < minLength) throw new RangeError(`${where}: chains must have at least ${minLength} samples (got ${n})`);
  return chains;
}

function meanOf(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i];
  return s / (end - start);
}

/** Mean over chains of the biased lag-`t` autocovariance `(1/n) Σ (x_i − x̄)(x_{i+t} − x̄)`, each chain about its own mean. */
function autocovAt(chains: ArrayLike<number>[], means: Float64Array, t: number): number {
  let acc = 0;
  const n = chains[0].length;
  for (let c = 0; c < chains.length; c++) {
    const x = chains[c];
    const m = means[c];
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i] - m) * (x[i + t] - m);
    acc += s / n;
  }
  return acc / chains.length;
}

/**
 * Normalised autocorrelation `ρ(t) = γ(t)/γ(0)` for `t = 0 … maxLag`, with the
 * biased (1/n) autocovariance estimator (positive semi-definite), averaged over chains.
 *
 * @param chains - one trace or several of equal length (≥ 2 samples)
 * @param maxLag - largest lag (default `min(n − 1, 1000)`)
 * @returns `ρ(0…maxLag)` (`ρ(0) = 1`; all zero for a constant trace except `ρ(0)`)
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { autocorrelation } from 'boltzmann';
 * autocorrelation(Float64Array.of(1, -1, 1, -1), 1)[1]; // -0.75
 * ```
 * @category Sampling
 */
export function autocorrelation(chains: Traces, maxLag?: number): Float64Array {
  const c = toChains('autocorrelation', chains, 2);
  const n = c[0].length;
  const M = maxLag === undefined ? Math.min(n - 1, 1000) : checkInt('autocorrelation', 'maxLag', maxLag, 0, n - 1);
  const means = Float64Array.from(c, (x) => meanOf(x));
  const out = new Float64Array(M + 1);
  const g0 = autocovAt(c, means, 0);
  out[0] = 1;
  if (g0 === 0) return out;
  for (let t = 1; t <= M; t++) out[t] = autocovAt(c, means, t) / g0;
  return out;
}

/** Options of {@link integratedAutocorrelationTime}.
 * @category Sampling
 */
export interface AutocorrelationTimeOptions {
  /**
   * Window rule:
   * - `'sokal'` (default): Sokal's automatic windowing — `τ(M) = 1 + 2 Σ_{t=1}^{M} ρ(t)`
   *   with the smallest `M` such that `M ≥ c · max(τ(M), 1)` (Sokal 1997; Madras & Sokal 1988;
   *   the `max(·, 1)` keeps antithetic chains, whose `τ(1)` can be near 0, from stopping at `M = 1`).
   * - `'geyer'`: Geyer's (1992) initial monotone positive sequence — sums of
   *   adjacent pairs `Γ_k = γ(2k) + γ(2k+1)` while positive, made non-increasing,
   *   `τ = −1 + 2 Σ Γ_k / γ(0)`.
   */
  method?: 'sokal' | 'geyer';
  /** Sokal's window constant `c` (default 5; 4–10 are usual). */
  c?: number;
}

const AUTOCORRELATION_KEYS = optionKeys<AutocorrelationTimeOptions>()({ method: true, c: true });

/** Result of {@link integratedAutocorrelationTime}.
 * @category Sampling
 */
export interface AutocorrelationTime {
  /** The integrated autocorrelation time `τ_int = 1 + 2 Σ_{t≥1} ρ(t)` (in samples). */
  readonly tau: number;
  /** The lag window used (largest lag summed). */
  readonly window: number;
  /** The window rule used. */
  readonly method: 'sokal' | 'geyer';
  /**
   * Whether the estimate can be trusted: the window rule terminated before
   * `n/2` and the chains are longer than `50 τ` (the rule of thumb of emcee,
   * Foreman-Mackey et al. 2013).
   */
  readonly reliable: boolean;
}

/**
 * Integrated autocorrelation time of a scalar trace, or of several chains together. The
 * variance of the mean of `n` correlated samples is `σ² τ / n`, so `n / τ` samples are
 * "effectively independent". One chain: `ρ(t) = γ(t)/γ(0)` (biased autocovariances). Several
 * chains: `ρ̂(t) = 1 − (W − γ̄(t)) / var⁺` (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
 * the form of Stan and ArviZ), with `γ̄(t)` the chains' mean autocovariance about their own
 * means, `W` the mean within-chain variance and `var⁺ = (n−1)/n·W + B/n` (`B/n` the variance of
 * the chain means): chains that sit in different places keep `ρ̂` high at every lag, so `τ`
 * is large (and `reliable` false) and the effective sample size falls to about the number of
 * chains, instead of counting every sample of chains that never met.
 *
 * @param chains - one trace or several of equal length (≥ 4 samples)
 * @param options - window rule (see {@link AutocorrelationTimeOptions})
 * @returns `τ`, the window and whether the estimate is reliable; `τ = 1` for a constant trace
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { integratedAutocorrelationTime, Random } from 'boltzmann';
 * const r = new Random(1); const x = new Float64Array(20000);
 * for (let i = 1; i < x.length; i++) x[i] = 0.9 * x[i - 1] + r.normal(); // AR(1): τ = 1.9/0.1 = 19
 * integratedAutocorrelationTime(x).tau; // ≈ 23.6 for this seed (the true 19, within the estimate's spread: 17–23 over other seeds)
 * ```
 * @category Sampling
 */
export function integratedAutocorrelationTime(chains: Traces, options?: AutocorrelationTimeOptions): AutocorrelationTime {
  const where = 'integratedAutocorrelationTime';
  const c = toChains(where, chains, 4);
  const o = checkOptionsKeys(where, options, AUTOCORRELATION_KEYS);
  const method = o.method === undefined ? 'sokal' : checkOneOf(where, 'method', o.method, ['sokal', 'geyer'] as const);
  const cw = o.c === undefined ? 5 : checkPositive(where, 'c', o.c);
  const n = c[0].length;
  const total = n * c.length;
  const means = Float64Array.from(c, (x) => meanOf(x));
  const g0 = autocovAt(c, means, 0);
  // several chains: ρ̂(t) = 1 − (W − γ̄(t)) / var⁺ (Vehtari et al. 2021, eq. 10; Stan's and
  // ArviZ's form), W the mean within-chain variance, var⁺ = (n−1)/n·W + B/n with B/n the
  // variance of the chain means. Chains that disagree keep ρ̂(t) near 1 − W/var⁺ > 0 at every
  // lag, so τ grows and the ESS falls to about the number of chains, where chains that are each
  // well mixed in a different place would otherwise look fully effective. One chain: ρ(t) = γ(t)/γ(0).
  const nChains = c.length;
  let varPlus = g0;
  let w = g0;
  if (nChains > 1) {
    w = (g0 * n) / (n - 1);
    const grand = meanOf(means);
    let b = 0;
    for (let j = 0; j < nChains; j++) {
      const d = means[j] - grand;
      b += d * d;
    }
    varPlus = ((n - 1) / n) * w + b / (nChains - 1);
  }
  if (varPlus === 0) return { tau: 1, window: 0, method, reliable: true };
  const rho = (t: number): number => 1 - (w - autocovAt(c, means, t)) / varPlus;
  const maxLag = Math.floor(n / 2);
  if (method === 'sokal') {
    let tau = 1;
    for (let m = 1; m <= maxLag; m++) {
      tau += 2 * rho(m);
      // max(τ, 1): for antithetic chains τ(m) can dip near 0 at m = 1; a window of at least c lags.
      if (m >= cw * Math.max(tau, 1)) return { tau: Math.max(tau, 1 / total), window: m, method, reliable: n >= 50 * tau };
    }
    return { tau: Math.max(tau, 1 / total), window: maxLag, method, reliable: false };
  }
  // Geyer: initial monotone positive sequence.
  let sum = 0;
  let prev = Number.POSITIVE_INFINITY;
  let k = 0;
  let terminated = false;
  for (; 2 * k + 1 <= maxLag; k++) {
    let gamma = (k === 0 ? 1 : rho(2 * k)) + rho(2 * k + 1);
    if (!(gamma > 0)) {
      terminated = true;
      break;
    }
    if (gamma > prev) gamma = prev;
    prev = gamma;
    sum += gamma;
  }
  const tau = Math.max(-1 + 2 * sum, 1 / total);
  const reliable = terminated && n >= 50 * tau;
  return { tau, window: Math.max(0, 2 * k - 1), method, reliable };
}

/**
 * Effective sample size `N / τ` of one or several chains (`N` = all samples
 * together), with `τ` from {@link integratedAutocorrelationTime} (for several chains the
 * multi-chain `ρ̂` there, so disagreeing chains give a small ESS).
 *
 * @param chains - one trace or several of equal length
 * @param options - window rule
 * @returns the effective number of independent samples
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { effectiveSampleSize, Random } from 'boltzmann';
 * const r = new Random(2);
 * effectiveSampleSize(Float64Array.from({ length: 4000 }, () => r.normal())); // ≈ 4000
 * ```
 * @category Sampling
 */
export function effectiveSampleSize(chains: Traces, options?: AutocorrelationTimeOptions): number {
  const c = toChains('effectiveSampleSize', chains, 4);
  return (c.length * c[0].length) / integratedAutocorrelationTime(c, options).tau;
}

/**
 * Monte Carlo standard error of the mean of a trace: `s · √(τ / N)`, with `s`
 * the pooled sample standard deviation (about the grand mean, so it includes the spread
 * between chains) and `τ` the integrated autocorrelation time (multi-chain for several).
 *
 * @param chains - one trace or several of equal length
 * @param options - window rule
 * @returns the standard error of the overall mean
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { monteCarloStandardError, Random } from 'boltzmann';
 * const r = new Random(3);
 * monteCarloStandardError(Float64Array.from({ length: 10000 }, () => r.normal())); // ≈ 0.01
 * ```
 * @category Sampling
 */
export function monteCarloStandardError(chains: Traces, options?: AutocorrelationTimeOptions): number {
  const c = toChains('monteCarloStandardError', chains, 4);
  const total = c.length * c[0].length;
  const m = c.reduce((a, x) => a + meanOf(x) * x.length, 0) / total;
  let ss = 0;
  for (const x of c) for (let i = 0; i < x.length; i++) { const d = x[i] - m; ss += d * d; }
  const sd = Math.sqrt(ss / (total - 1));
  return sd * Math.sqrt(integratedAutocorrelationTime(c, options).tau / total);
}

/**
 * Split R-hat (Gelman et al., *Bayesian Data Analysis*, 3rd ed., §11.4): each
 * chain is cut into halves (a middle sample of odd-length chains is dropped),
 * and with `W` the mean within-half variance and `B/n` the variance of the
 * half means, `R̂ = √(((n−1)/n · W + B/n) / W)`. Values near 1 (below about
 * 1.01–1.05) mean the chains agree; large values mean they have not mixed.
 * Splitting catches a single chain that drifts, and several chains stuck in
 * different modes.
 *
 * @param chains - one trace or several of equal length (≥ 4 samples)
 * @returns `R̂` (about 1 or more); 1 when every half is constant and equal, `Infinity` when constant but different
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { splitRHat } from 'boltzmann';
 * splitRHat([Float64Array.of(0, 1, 0, 1), Float64Array.of(5, 6, 5, 6)]) > 2; // true: the chains disagree
 * ```
 * @category Sampling
 */
export function splitRHat(chains: Traces): number {
  const c = toChains('splitRHat', chains, 4);
  const half = Math.floor(c[0].length / 2);
  const off = c[0].length - half; // second half starts here (drops the middle sample when odd)
  const halves: [ArrayLike<number>, number][] = [];
  for (const x of c) halves.push([x, 0], [x, off]);
  const m = halves.length;
  const means = new Float64Array(m);
  let W = 0;
  for (let j = 0; j < m; j++) {
    const [x, s] = halves[j];
    const mu = meanOf(x, s, s + half);
    means[j] = mu;
    let ss = 0;
    for (let i = s; i < s + half; i++) { const d = x[i] - mu; ss += d * d; }
    W += ss / (half - 1);
  }
  W /= m;
  const grand = meanOf(means);
  let bOverN = 0;
  for (let j = 0; j < m; j++) { const d = means[j] - grand; bOverN += d * d; }
  bOverN /= m - 1;
  if (W === 0) return bOverN === 0 ? 1 : Number.POSITIVE_INFINITY;
  const varPlus = ((half - 1) / half) * W + bOverN;
  return Math.sqrt(varPlus / W);
}

/** Summary of a scalar statistic over chains: see {@link summarizeChains}.
 * @category Sampling
 */
export interface ChainSummary {
  /** Overall mean. */
  readonly mean: number;
  /** Pooled standard deviation. */
  readonly sd: number;
  /** Monte Carlo standard error of the mean. */
  readonly mcse: number;
  /** Integrated autocorrelation time (Sokal window). */
  readonly tau: number;
  /** Effective sample size. */
  readonly ess: number;
  /** Split R-hat (1 chain: split into halves). */
  readonly rHat: number;
}

/**
 * Mean, standard deviation, MCSE, τ, ESS and split R-hat of one statistic over chains.
 *
 * @param chains - one trace or several of equal length (≥ 4 samples)
 * @param options - window rule for τ
 * @returns the summary
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { summarizeChains, Random } from 'boltzmann';
 * const r = new Random(4);
 * summarizeChains([0, 1].map(() => Float64Array.from({ length: 1000 }, () => r.normal()))).rHat; // ≈ 1
 * ```
 * @category Sampling
 */
export function summarizeChains(chains: Traces, options?: AutocorrelationTimeOptions): ChainSummary {
  const c = toChains('summarizeChains', chains, 4);
  const total = c.length * c[0].length;
  const mean = c.reduce((a, x) => a + meanOf(x) * x.length, 0) / total;
  let ss = 0;
  for (const x of c) for (let i = 0; i < x.length; i++) { const d = x[i] - mean; ss += d * d; }
  const sd = Math.sqrt(ss / (total - 1));
  const { tau } = integratedAutocorrelationTime(c, options);
  return { mean, sd, mcse: sd * Math.sqrt(tau / total), tau, ess: total / tau, rHat: splitRHat(c) };
}

/** Options of {@link energyTrace}.
 * @category Sampling
 */
export interface EnergyTraceOptions {
  /** Steps run before the first record. Default 0. */
  burnIn?: number;
  /** Steps between records. Default 1. */
  thin?: number;
}

const ENERGY_TRACE_KEYS = optionKeys<EnergyTraceOptions>()({ burnIn: true, thin: true });

/**
 * Runs a sampler for `nSteps` steps and records the energy after each (the
 * energy trace: the first thing to look at for burn-in and stuck chains).
 *
 * @param sampler - any sampler (advanced in place)
 * @param nSteps - steps to record (at most `LIMITS.maxSteps`)
 * @param options - `burnIn` steps run first, `thin` steps between records (each at most `LIMITS.maxSteps`)
 * @returns the energies, length `nSteps`
 * @throws {RangeError | TypeError} on bad arguments (checked before the first step: the sampler is left as it was)
 * @example
 * ```ts
 * import { energyTrace, Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * energyTrace(new Metropolis(e, { rng: 1 }), 100).length; // 100
 * ```
 * @category Sampling
 */
export function energyTrace(sampler: Sampler, nSteps: number, options?: EnergyTraceOptions): Float64Array {
  const where = 'energyTrace';
  checkSampler(where, 'sampler', sampler, false);
  checkSize(where, 'nSteps', nSteps, 0, 'maxSteps');
  const o = checkOptionsKeys(where, options, ENERGY_TRACE_KEYS);
  const burnIn = o.burnIn === undefined ? 0 : checkSize(where, 'burnIn', o.burnIn, 0, 'maxSteps');
  const thin = o.thin === undefined ? 1 : checkSize(where, 'thin', o.thin, 1, 'maxSteps');
  for (let i = 0; i < burnIn; i++) sampler.step();
  const out = new Float64Array(nSteps);
  for (let s = 0; s < nSteps; s++) {
    for (let t = 0; t < thin; t++) sampler.step();
    out[s] = checkEnergyValue(where, 'sampler.energy()', sampler.energy());
  }
  return out;
}

/**
 * The acceptance rate of each sampler (`NaN` for samplers that do not report one, e.g. Gibbs).
 *
 * @param samplers - samplers (e.g. `runChains(...).samplers`)
 * @returns one rate per sampler
 * @throws {TypeError} when `samplers` is not an array of objects
 * @example
 * ```ts
 * import { acceptanceRates, Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * const mh = new Metropolis(e, { rng: 1 }); mh.step();
 * acceptanceRates([mh])[0]; // in [0, 1]
 * ```
 * @category Sampling
 */
export function acceptanceRates(samplers: readonly Sampler[]): Float64Array {
  if (!Array.isArray(samplers)) throw new TypeError(`acceptanceRates: samplers must be an array of Samplers (got ${describeValue(samplers)})`);
  for (let i = 0; i < samplers.length; i++) {
    const s: unknown = samplers[i];
    if (s === null || typeof s !== 'object') throw new TypeError(`acceptanceRates: samplers[${i}] must be a Sampler (got ${describeValue(s)})`);
  }
  return Float64Array.from(samplers, (s) => (typeof s.acceptanceRate === 'number' ? s.acceptanceRate : Number.NaN));
}
