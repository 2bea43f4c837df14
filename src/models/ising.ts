/**
 * The two-dimensional Ising model on a periodic L×L lattice: an
 * {@link EnergyModel} for the generic samplers, a fast dedicated sampler
 * (Metropolis and heat-bath sweeps, sequential or checkerboard order),
 * observables, and Onsager's exact results for comparison.
 *
 * Conventions: spins ±1, site `i = r·L + c` (row-major), each site bonded to
 * its right and lower neighbour (periodic), so
 * `E(s) = −J Σ_⟨ij⟩ s_i s_j − H Σ_i s_i` counts each of the `2L²` bonds once.
 * @module
 */

import { checkDocument, type ModelDocument, modelState, restoreModelRandom } from '../document.js';
import type { EnergyModel } from '../energy/types.js';
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { logAddExp, logSigmoid } from '../linalg/stable.js';
import { cosh, exp, log, pow, sinh, tanh } from '../math/elementary.js';
import { MAX_STREAMS, Random, type RandomState, toRandom } from '../random/random.js';
import { ZERO_COST_ACCEPTANCE } from '../samplers/common.js';
import { integratedAutocorrelationTime } from '../samplers/diagnostics.js';
import type { Sampler, SamplerSnapshot } from '../samplers/types.js';
import {
  checkAbortSignal,
  checkBoolean,
  checkCallback,
  checkElements,
  checkFinite,
  checkInt,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkScoresFinite,
  checkSize,
  checkSpins,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import type { BaseFitOptions, EpochMetrics, FitResult, Model, ScoreResult } from './contract.js';
import { hasExactIsingLogPartition, ISING_ENUMERATION_MAX_L, isingLogPartitionExact, latticeSums } from './ising-exact.js';
import {
  addIsingStatistics,
  emptyIsingStatistics,
  type IsingStatistics,
  isingNewton,
  likelihoodBounded,
  likelihoodCovariance,
  likelihoodObjective,
  pseudoLikelihoodBounded,
  pseudoLikelihoodCovariance,
  pseudoLikelihoodObjective,
} from './ising-fit.js';
import { type AISPath, aisSchedule, aisScheduleOfLength, annealedImportanceSampling } from './rbm-ais.js';
import { aisScoreResult, logZFloorFromRows } from './rbm-log-z-bound.js';

/** Options of {@link IsingModel}.
 * @category Models
 */
export interface IsingModelOptions {
  /** Coupling `J` (ferromagnetic when > 0). Default 1. */
  J?: number;
  /** External field `H`. Default 0. */
  H?: number;
  /**
   * The temperature `T > 0` (units of `J/k_B`) of the model's Boltzmann distribution
   * `p(s) = e^{−E(s)/T} / Z`, which `sample`, `score` and `fit` use and samplers start
   * from. Default Onsager's `T_c` of `|J|` (of 1 when `J = 0`), fixed at construction.
   */
  temperature?: number;
  /** Seed or generator of the model's own stream ({@link IsingModel.random}; a `Random` is used, and advanced, as is). Default seed 0. */
  rng?: number | Random;
}

const MODEL_KEYS = optionKeys<IsingModelOptions>()({ J: true, H: true, temperature: true, rng: true });

/** The estimators of {@link IsingModel.fit}.
 * @category Models
 */
export type IsingFitMethod = 'pseudo-likelihood' | 'ml';

/** Options of {@link IsingModel.fit} and {@link IsingModel.partialFit}.
 * @category Models
 */
export interface IsingFitOptions extends BaseFitOptions {
  /**
   * `'pseudo-likelihood'` (default): maximum pseudo-likelihood (Besag 1975), any `L`;
   * `'ml'`: maximum likelihood with the exact `log Z` (enumerated density of states, `L ≤ 4`).
   */
  method?: IsingFitMethod;
  /** Most Newton steps (each a history entry). Default 100. */
  epochs?: number;
  /** `false` keeps `H` as it is and fits `J` alone. Default `true`. */
  fitField?: boolean;
  /**
   * Ridge `(l2/2)·(K² + h²)` subtracted from the objective per row, on the dimensionless
   * couplings `K = J/T`, `h = H/T` (`h` only when fitted). It keeps the estimate finite
   * where the data alone put it at infinity (every row all up, say). Default 0.
   */
  l2?: number;
}

const FIT_KEYS = optionKeys<IsingFitOptions>()({ method: true, epochs: true, fitField: true, l2: true, onEpoch: true, signal: true });

/** Options of {@link IsingModel.standardErrors}.
 * @category Models
 */
export interface IsingStandardErrorOptions {
  /** The estimator, as given to `fit`: `'pseudo-likelihood'` (default) or `'ml'`. */
  method?: IsingFitMethod;
  /** As given to `fit`: `false` when only `J` was estimated. Default `true`. */
  fitField?: boolean;
}

const SE_KEYS = optionKeys<IsingStandardErrorOptions>()({ method: true, fitField: true });

/** What {@link IsingModel.standardErrors} returns: asymptotic standard errors, in the units of the couplings.
 * @category Models
 */
export interface IsingStandardErrors {
  /** Of the estimate of `J`. */
  J: number;
  /** Of the estimate of `H` (0 when `H` was not estimated, `fitField: false`). */
  H: number;
}

/** Options of {@link IsingModel.score} and {@link IsingModel.scoreSamples}.
 * @category Models
 */
export interface IsingScoreOptions {
  /**
   * `'auto'` (default): `'exact'` where `log Z` is known exactly (zero field — Kaufman's
   * formula for the finite torus, any `L`; `J = 0`; or `L ≤ 4` by enumeration), else `'ais'`.
   * `'pseudo'`: the pseudo-log-likelihood `Σ_i log p(s_i | s_rest)` of each row.
   */
  method?: 'auto' | 'exact' | 'ais' | 'pseudo';
  /** AIS runs (default 100). */
  aisRuns?: number;
  /** AIS β steps (default: Salakhutdinov & Murray's 14 500, in their proportions for other counts). */
  aisBetas?: number;
  /** Seed or generator of the AIS runs (default: the model's stream, continued). */
  rng?: number | Random;
}

const SCORE_KEYS = optionKeys<IsingScoreOptions>()({ method: true, aisRuns: true, aisBetas: true, rng: true });

/** Options of {@link IsingModel.sample}.
 * @category Models
 */
export interface IsingSampleOptions {
  /** Sweeps each configuration's chain runs from its start (at most `LIMITS.maxSteps`). Default 500. */
  sweeps?: number;
  /** The model contract's name for `sweeps` ({@link BaseSampleOptions}), so that code written for any model's `sample` runs here; give one or the other. */
  steps?: number;
  /** Temperature `T > 0`. Default the model's {@link IsingModel.temperature}. */
  temperature?: number;
  /** Update rule, as {@link IsingSamplerOptions.update}. Default `'metropolis'`. */
  update?: 'metropolis' | 'heat-bath';
  /** Site order, as {@link IsingSamplerOptions.order}. Default `'sequential'`. */
  order?: 'sequential' | 'checkerboard';
  /** Start of each chain: `'random'` (default, from the generator), `'up'` or `'down'`. */
  initial?: 'random' | 'up' | 'down';
  /**
   * Seed or generator for this call only (a `Random` is used, and advanced, as is).
   * Default: the model's stream ({@link IsingModel.random}), continued.
   */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<IsingSampleOptions>()({ sweeps: true, steps: true, temperature: true, update: true, order: true, initial: true, rng: true });

/**
 * The 2-D Ising energy `E(s) = −J Σ_⟨ij⟩ s_i s_j − H Σ_i s_i` on an `L × L`
 * periodic lattice (nearest neighbours, each bond once). Implements
 * {@link EnergyModel} (`domain: 'spin'`, with an O(1) `deltaEnergyFlip`), so
 * {@link Metropolis}, {@link ParallelTempering} and the rest sample it; the
 * dedicated {@link IsingSampler} is much faster, and {@link IsingModel.sample}
 * draws configurations with it from the model's own generator stream.
 *
 * It follows the model contract at its `temperature` `T`: `p(s) = e^{−E(s)/T} / Z`.
 * `fit` estimates `J` and `H` from configurations by maximum pseudo-likelihood (or exact
 * maximum likelihood for `L ≤ 4`); `score` gives the exact log-likelihood where `log Z` is
 * known exactly ({@link IsingModel.logPartition}: Kaufman's formula at zero field, any `L`),
 * else an AIS estimate.
 *
 * @example
 * ```ts
 * import { IsingModel } from 'boltzmann';
 * const m = new IsingModel(4, { rng: 1 });
 * m.energy(new Float64Array(16).fill(1)); // −32: 2·16 bonds, all satisfied
 * m.sample(3, { sweeps: 100, temperature: 2 }).rows; // 3 configurations, ±1
 * ```
 * @category Models
 */
export class IsingModel implements EnergyModel, Model<IsingFitOptions, IsingSampleOptions, IsingScoreOptions> {
  /** The document kind, `'ising'`. */
  readonly kind = 'ising' as const;
  /** The model's own generator stream (seeded once at construction; {@link IsingModel.sample} continues it). */
  readonly random: Random;
  /** Side length `L`. */
  readonly L: number;
  /** Number of spins `L²`. */
  readonly dimension: number;
  /** Always `'spin'`. */
  readonly domain = 'spin' as const;
  /** The temperature `T` of the model's distribution `e^{−E/T}/Z` (fixed at construction). */
  readonly temperature: number;
  private coupling: number;
  private field: number;
  /** The sufficient statistics of every row `fit` and `partialFit` have seen since the last `fit` (undefined before any). */
  private seen: IsingStatistics | undefined;

  /**
   * @param L - side length, an integer ≥ 2
   * @param options - coupling and field
   * @throws {TypeError | RangeError} on bad arguments
   */
  constructor(L: number, options?: IsingModelOptions) {
    checkInt('IsingModel', 'L', L, 2, 46340);
    checkElements('IsingModel', 'L²', L, L);
    const o = checkOptionsKeys('IsingModel', options, MODEL_KEYS);
    this.coupling = o.J === undefined ? 1 : checkFinite('IsingModel', 'J', o.J);
    this.field = o.H === undefined ? 0 : checkFinite('IsingModel', 'H', o.H);
    if (o.temperature === undefined) {
      const tc = onsagerCriticalTemperature(this.coupling === 0 ? 1 : Math.abs(this.coupling));
      // T_c = 2|J| / ln(1 + √2) overflows for |J| above about 7.9e307: a model at T = ∞ could not be saved
      if (!Number.isFinite(tc)) throw new RangeError(`IsingModel: J must be small enough for the default temperature T_c(|J|) = 2.269·|J| to be finite; pass temperature (got J = ${o.J})`);
      this.temperature = tc;
    } else this.temperature = checkPositive('IsingModel', 'temperature', o.temperature);
    this.random = toRandom(o.rng ?? 0, 'IsingModel');
    this.L = L;
    this.dimension = L * L;
  }

  /** Coupling `J` (`fit` changes it). */
  get J(): number {
    return this.coupling;
  }

  /** External field `H` (`fit` changes it, unless `fitField: false`). */
  get H(): number {
    return this.field;
  }

  /**
   * `n` spin configurations, one per row: `n` independent chains of the
   * dedicated {@link IsingSampler}, one after the other, each started
   * (`initial: 'random'`) from the model's stream (or from `rng` when given)
   * and run `sweeps` sweeps at `temperature`; each chain's generator continues
   * where the previous one stopped, and the generator continues after the
   * last. Two calls give different draws; the same seed at construction gives
   * the same sequence, and the same `rng` the same configurations (a loaded
   * copy's too).
   *
   * @param n - number of configurations (≥ 1)
   * @param options - see {@link IsingSampleOptions}
   * @returns `[n, L²]` ±1 configurations (row-major sites)
   * @throws {TypeError | RangeError} on bad arguments (nothing is drawn)
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * const m = new IsingModel(16, { rng: 3 });
   * const s = m.sample(4, { sweeps: 200, temperature: 1.5, initial: 'up' });
   * s.data.reduce((a, v) => a + v, 0) / s.data.length; // ≈ 0.98: ordered at T = 1.5 (Onsager's infinite lattice: 0.987)
   * m.sample(2, { sweeps: 10, rng: 5 }); // the same 2 configurations at every call (the model's stream is not touched)
   * ```
   */
  sample(n: number, options?: IsingSampleOptions): Matrix {
    const where = 'IsingModel.sample';
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n × L²', n, this.L * this.L);
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    if (o.sweeps !== undefined && o.steps !== undefined) throw new TypeError(`${where}: give sweeps or steps (the contract's name for it), not both`);
    const sweeps =
      o.steps !== undefined ? checkSize(where, 'steps', o.steps, 0, 'maxSteps') : o.sweeps === undefined ? 500 : checkSize(where, 'sweeps', o.sweeps, 0, 'maxSteps');
    const temperature = o.temperature === undefined ? undefined : checkPositive(where, 'temperature', o.temperature);
    const update = o.update === undefined ? undefined : checkOneOf(where, 'update', o.update, ['metropolis', 'heat-bath'] as const);
    const order = o.order === undefined ? undefined : checkOneOf(where, 'order', o.order, ['sequential', 'checkerboard'] as const);
    const initial = o.initial === undefined ? 'random' : checkOneOf(where, 'initial', o.initial, ['random', 'up', 'down'] as const);
    const d = this.dimension;
    if (n * d > 2 ** 31) throw new RangeError(`${where}: n · L² must be at most 2^31 (got ${n * d})`);
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const out = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const s = new IsingSampler(this, { rng, initial, ...(temperature === undefined ? {} : { temperature }), ...(update ? { update } : {}), ...(order ? { order } : {}) });
      for (let k = 0; k < sweeps; k++) s.step();
      out.set(s.state, r * d);
      rng.setState(s.random.getState());
    }
    return { rows: n, cols: d, data: out };
  }

  /** Checks a ±1 state of length `L²`. */
  private check(where: string, s: unknown): Float64Array {
    const v = checkVector(where, 's', s, this.dimension);
    checkSpins(where, 's', v);
    return v;
  }

  /**
   * Sum of the four neighbours of site `i` (unchecked).
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(4).neighbourSum(new Float64Array(16).fill(1), 0); // 4 (periodic boundaries)
   * ```
   */
  neighbourSum(s: ArrayLike<number>, i: number): number {
    const L = this.L;
    const r = (i / L) | 0;
    const c = i - r * L;
    const up = (r === 0 ? L - 1 : r - 1) * L + c;
    const dn = (r === L - 1 ? 0 : r + 1) * L + c;
    const lf = r * L + (c === 0 ? L - 1 : c - 1);
    const rt = r * L + (c === L - 1 ? 0 : c + 1);
    return s[up] + s[dn] + s[lf] + s[rt];
  }

  /**
   * `E(s)`; `s` is checked (length `L²`, ±1 entries).
   * @throws {TypeError | RangeError | ShapeError} on a bad state
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(4).energy(new Float64Array(16).fill(-1)); // −32: every bond satisfied
   * ```
   */
  energy(s: Float64Array): number {
    this.check('IsingModel.energy', s);
    const { bonds, magnetisation } = latticeSums(s, this.L);
    return -this.J * bonds - this.H * magnetisation;
  }

  /**
   * `E(s') − E(s)` for flipping spin `i`: `2 s_i (J Σ_nb s_j + H)`, O(1), unchecked.
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(4).deltaEnergyFlip(new Float64Array(16).fill(1), 5); // 8: breaking four bonds
   * ```
   */
  deltaEnergyFlip(s: Float64Array, i: number): number {
    return 2 * s[i] * (this.J * this.neighbourSum(s, i) + this.H);
  }

  /**
   * Magnetisation per site `m = (1/N) Σ s_i`.
   * @throws {TypeError | RangeError | ShapeError} on a bad state
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(2).magnetisation(Float64Array.of(1, 1, 1, -1)); // 0.5
   * ```
   */
  magnetisation(s: Float64Array): number {
    this.check('IsingModel.magnetisation', s);
    let m = 0;
    for (let i = 0; i < s.length; i++) m += s[i];
    return m / this.dimension;
  }

  /**
   * The exact `log Z = log Σ_s e^{−E(s)/T}` at the model's temperature, where one is known:
   * zero field (`H = 0`) with `J ≥ 0` or an even `L` — Kaufman's formula for the finite
   * torus ({@link kaufmanLogPartition}), any `L`; `J = 0` — `L²·log(2 cosh(H/T))`; or `L ≤ 4`
   * — the enumerated density of states, any field.
   *
   * @returns `log Z` (nats)
   * @throws {RangeError} where no exact value is known (a field on a lattice larger than
   *   4 × 4, or an antiferromagnet on an odd one): use `score`'s `'ais'`
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(32, { temperature: 2 }).logPartition() / 32 ** 2; // ≈ 1.0265: −f/T per site at T = 2 (Kaufman)
   * new IsingModel(3, { H: 0.5, temperature: 1 }).logPartition(); // by enumerating the 512 states
   * ```
   */
  logPartition(): number {
    const { K, h } = this.couplings('IsingModel.logPartition');
    const v = isingLogPartitionExact(this.L, K, h);
    if (v === undefined) {
      throw new RangeError(
        `IsingModel.logPartition: no exact log Z is known for L = ${this.L}, J = ${this.J}, H = ${this.H} (Kaufman's formula needs H = 0, and J ≥ 0 or an even L; enumeration needs L ≤ ${ISING_ENUMERATION_MAX_L}); use score(data, { method: 'ais' })`,
      );
    }
    return v;
  }

  /**
   * Whether {@link IsingModel.logPartition} has an exact value for this model (zero field
   * with `J ≥ 0` or an even `L`, `J = 0`, or `L ≤ 4`).
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(64).hasExactLogPartition(); // true: zero field
   * new IsingModel(64, { H: 0.1 }).hasExactLogPartition(); // false: score uses AIS
   * ```
   */
  hasExactLogPartition(): boolean {
    const K = this.J / this.temperature, h = this.H / this.temperature;
    return Number.isFinite(K) && Number.isFinite(h) && hasExactIsingLogPartition(this.L, K, h);
  }

  /**
   * Asymptotic standard errors of the estimates `fit` makes from `data` (independent
   * configurations, `[n, L²]`), evaluated at the model's current `J` and `H` — after `fit`, the
   * estimate. For the pseudo-likelihood (default) the sandwich `A⁻¹VA⁻¹/n` (`A` the mean negative
   * Hessian of a row's log pseudo-likelihood, `V` the covariance of its gradient over the rows):
   * Besag's estimator is consistent but not efficient, so the Fisher information alone would be too
   * optimistic. For `'ml'` (`L ≤ 4`) the inverse Fisher information `Cov(B, M)⁻¹/n`. Scaled back to
   * `J` and `H` by `T`; with `fitField: false`, `H` is not estimated and its error is 0. The ridge
   * `l2` is not accounted for. Rows drawn from one Markov chain are correlated: the errors are then
   * too small by about the square root of their autocorrelation time.
   *
   * @param data - the configurations the estimate came from
   * @param options - `method` and `fitField`, as given to `fit`
   * @returns `{ J, H }`: the standard errors, in the units of `J` and `H`
   * @throws {TypeError | RangeError | ShapeError} on bad data or options, `'ml'` above L = 4, or
   *   couplings whose `J/T` or `H/T` overflow
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * const truth = new IsingModel(8, { J: 1, H: 0.1, temperature: 3, rng: 1 });
   * const rows = truth.sample(400, { sweeps: 200, update: 'heat-bath' });
   * const model = new IsingModel(8, { temperature: 3 });
   * model.fit(rows);
   * const se = model.standardErrors(rows); // { J: ≈ 0.014, H: ≈ 0.012 }
   * Math.abs(model.J - 1) < 4 * se.J; // true
   * ```
   */
  standardErrors(data: DataInput, options?: IsingStandardErrorOptions): IsingStandardErrors {
    const where = 'IsingModel.standardErrors';
    const o = checkOptionsKeys(where, options, SE_KEYS);
    const method = o.method === undefined ? 'pseudo-likelihood' : checkOneOf(where, 'method', o.method, ['pseudo-likelihood', 'ml'] as const);
    const fitField = o.fitField === undefined ? true : checkBoolean(where, 'fitField', o.fitField);
    if (method === 'ml' && this.L > ISING_ENUMERATION_MAX_L) {
      throw new RangeError(`${where}: method 'ml' needs the density of states, so L ≤ ${ISING_ENUMERATION_MAX_L} (got L = ${this.L}); use 'pseudo-likelihood'`);
    }
    const x = this.rows(where, data);
    const { K, h } = this.couplings(where);
    const c = method === 'ml' ? likelihoodCovariance(this.L, K, h, x.rows, fitField) : pseudoLikelihoodCovariance(x, this.L, K, h, fitField);
    const T = this.temperature;
    return { J: T * Math.sqrt(c.KK), H: T * Math.sqrt(c.hh) };
  }

  /** `K = J/T` and `h = H/T`, which the distribution depends on; a RangeError where they overflow (a temperature far below the couplings). */
  private couplings(where: string): { K: number; h: number } {
    const K = this.J / this.temperature, h = this.H / this.temperature;
    if (!Number.isFinite(K) || !Number.isFinite(h)) {
      throw new RangeError(`${where}: J/T and H/T must be finite for the distribution e^{−E/T}/Z (got J = ${this.J}, H = ${this.H}, temperature ${this.temperature})`);
    }
    return { K, h };
  }

  /** The ±1 rows of `data` (`[rows, L²]`, at least one), checked. */
  private rows(where: string, data: DataInput): Matrix {
    const x = toMatrix(where, 'data', data, this.dimension);
    if (x.rows === 0) throw new ShapeError(`${where}: data must have at least one row of ${this.dimension} spins`);
    checkSpins(where, 'data', x.data);
    return x;
  }

  /**
   * Estimates `J` and `H` at the model's temperature from configurations (rows of ±1
   * spins, `[n, L²]`, row-major sites): the maximum of the mean log pseudo-likelihood
   * `(1/n) Σ_rows Σ_i log σ(2 s_i (J n_i + H)/T)` (`n_i` the sum of the four neighbours;
   * Besag 1975), a consistent estimator for any `L`, or with `method: 'ml'` the maximum of
   * the exact mean log-likelihood (`L ≤ 4`). Both are concave in `(J, H)`: Newton's method
   * (with halving and Levenberg–Marquardt steps where the curvature is nearly singular), started
   * from `J = H = 0` (with `fitField: false`, `H` stays as it is), stops when no step raises the
   * objective any more. Forgets the rows of earlier `partialFit` calls. A fit that runs out of
   * `epochs` keeps its last iterate and says so in the last history entry's `warning`; one
   * aborted before its first step changes nothing.
   *
   * @param data - `[n, L²]` ±1 configurations (any {@link DataInput})
   * @param options - see {@link IsingFitOptions}
   * @returns one history entry per Newton step (`loss`: minus the objective, the ridge
   *   included; `pseudoLikelihood` or `logLikelihood`: the objective without it)
   * @throws {TypeError | RangeError | ShapeError} on bad data or options, and a RangeError when
   *   the maximum is at infinite couplings (every row all up, say) and `l2` is 0 — before
   *   anything changes
   * @throws {NumericalError} when the estimate is not finite (the model is unchanged)
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * const truth = new IsingModel(16, { J: 1, H: 0.05, temperature: 3, rng: 1 });
   * const rows = truth.sample(300, { sweeps: 300, update: 'heat-bath' }); // 300 independent chains
   * const model = new IsingModel(16, { temperature: 3 });
   * model.fit(rows);
   * [model.J, model.H]; // ≈ [1.000, 0.057]
   * model.standardErrors(rows); // ≈ { J: 0.008, H: 0.005 }: the truth (1, 0.05) is within 2 of them
   * ```
   */
  fit(data: DataInput, options?: IsingFitOptions): FitResult {
    return this.fitWith('IsingModel.fit', data, options, false);
  }

  /**
   * {@link IsingModel.fit} on every row seen since the last `fit`: the rows of `batch` join
   * those of earlier `partialFit` calls (their counts are kept, and saved with the model), and
   * the estimate is refitted from the current couplings (the first call starts as `fit` does).
   * So `partialFit(a)` then `partialFit(b)` reaches the estimate of `fit` on `a` and `b`
   * together (to rounding) — provided `a` alone has a finite estimate: a batch that is refused
   * (its rows alone put the maximum at infinite couplings, without `l2`) is not kept.
   *
   * @param batch - `[n, L²]` ±1 configurations
   * @param options - as {@link IsingModel.fit}
   * @returns as {@link IsingModel.fit}
   * @throws as {@link IsingModel.fit} (nothing changes, the counts included)
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * const m = new IsingModel(2, { temperature: 1 });
   * m.partialFit([[1, 1, 1, -1], [-1, -1, 1, -1]]);
   * m.partialFit([[1, 1, -1, 1]]); // the estimate from all three rows
   * ```
   */
  partialFit(batch: DataInput, options?: IsingFitOptions): FitResult {
    return this.fitWith('IsingModel.partialFit', batch, options, true);
  }

  private fitWith(where: string, data: DataInput, options: IsingFitOptions | undefined, partial: boolean): FitResult {
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const method = o.method === undefined ? 'pseudo-likelihood' : checkOneOf(where, 'method', o.method, ['pseudo-likelihood', 'ml'] as const);
    const maxSteps = o.epochs === undefined ? 100 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
    const fitField = o.fitField === undefined ? true : checkBoolean(where, 'fitField', o.fitField);
    const l2 = o.l2 === undefined ? 0 : checkNonNegative(where, 'l2', o.l2);
    const onEpoch = checkCallback<(m: EpochMetrics) => unknown>(where, 'onEpoch', o.onEpoch);
    const signal = checkAbortSignal(where, o.signal);
    if (method === 'ml' && this.L > ISING_ENUMERATION_MAX_L) {
      throw new RangeError(`${where}: method 'ml' needs the exact log Z of every coupling, by enumerating the 2^(L²) states, so L ≤ ${ISING_ENUMERATION_MAX_L} (got L = ${this.L}); use 'pseudo-likelihood'`);
    }
    const x = this.rows(where, data);
    const stats = emptyIsingStatistics();
    if (partial && this.seen !== undefined) {
      stats.rows = this.seen.rows;
      stats.bonds = this.seen.bonds;
      stats.magnetisation = this.seen.magnetisation;
      stats.pairs.set(this.seen.pairs);
    }
    addIsingStatistics(stats, x, this.L);
    const T = this.temperature;
    if (l2 === 0 && !(method === 'ml' ? likelihoodBounded(stats, this.L, fitField) : pseudoLikelihoodBounded(stats, fitField))) {
      throw new RangeError(
        `${where}: the data put the ${method === 'ml' ? 'likelihood' : 'pseudo-likelihood'}'s maximum at infinite couplings (they lie on the edge of what the lattice allows: every row all up, say, or every spin agreeing with its neighbours); pass l2 > 0 for a finite estimate`,
      );
    }
    const objective = method === 'ml' ? likelihoodObjective(stats, this.L) : pseudoLikelihoodObjective(stats);
    // fit (and a first partialFit) starts from K = h = 0, a later partialFit from the current estimate;
    // with fitField false, h stays at the model's H/T
    const warm = partial && this.seen !== undefined;
    if (warm || !fitField) this.couplings(where); // the start uses them
    const K0 = warm ? this.J / T : 0, h0 = warm || !fitField ? this.H / T : 0;
    const history: EpochMetrics[] = [];
    let t0 = performance.now();
    const r = isingNewton(objective, K0, h0, {
      where,
      fitField,
      l2,
      maxSteps,
      signal,
      onStep: (step, value, K, h) => {
        const now = performance.now();
        const plain = objective(K, h, false).f;
        const m: EpochMetrics = { epoch: step, steps: step + 1, learningRate: Number.NaN, seconds: (now - t0) / 1000, loss: -value };
        if (method === 'ml') m.logLikelihood = plain;
        else m.pseudoLikelihood = plain;
        history.push(m);
        t0 = now;
        return onEpoch === undefined ? true : onEpoch(m) !== false;
      },
    });
    // stopped (aborted) before any step: nothing was fitted, so nothing changes, the counts included
    if (r.stopped && r.steps === 0) return { history, epochs: 0, aborted: signal?.aborted === true };
    const J = r.K * T, H = fitField ? r.h * T : this.field;
    if (!Number.isFinite(J) || !Number.isFinite(H)) {
      throw new NumericalError(`${where}: the estimate is not finite (J = ${J}, H = ${H}); the model is unchanged`);
    }
    if (!r.converged && !r.stopped && history.length > 0) {
      history[history.length - 1].warning = `${where}: stopped after ${maxSteps} Newton steps (epochs) before the objective stopped rising; pass a larger epochs`;
    }
    this.coupling = J;
    this.field = H;
    this.seen = stats;
    return { history, epochs: r.steps, aborted: signal?.aborted === true };
  }

  /**
   * The log-likelihood of each row, `log p(s) = −E(s)/T − log Z` (nats): exact where
   * {@link IsingModel.logPartition} is, else with AIS's estimate of `log Z` (annealing
   * `e^{−βE/T}` from the uniform distribution, β = 0, with one heat-bath sweep per β);
   * or the pseudo-log-likelihood `Σ_i log σ(2 s_i (J n_i + H)/T)` with `method: 'pseudo'`.
   *
   * @param data - `[n, L²]` ±1 configurations
   * @param options - see {@link IsingScoreOptions}
   * @returns `n` values
   * @throws {TypeError | RangeError | ShapeError} on bad data or options, or `'exact'` where
   *   no exact `log Z` is known
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(2, { J: 0, temperature: 1 }).scoreSamples([[1, 1, -1, 1]]); // [4·log ½]
   * ```
   */
  scoreSamples(data: DataInput, options?: IsingScoreOptions): Float64Array {
    return this.scoreChecked('IsingModel.scoreSamples', data, options).perRow;
  }

  /**
   * The mean of {@link IsingModel.scoreSamples} (summed in row order, then divided), with
   * its method, the `log Z` used and, for AIS, the interval from AIS's ±3σ interval of `log Z`.
   *
   * @param data - `[n, L²]` ±1 configurations
   * @param options - see {@link IsingScoreOptions}
   * @returns `{ mean, lower, upper, method, logZ?, ess? }`
   * @throws as {@link IsingModel.scoreSamples}
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * const m = new IsingModel(8, { temperature: 2.5, rng: 2 });
   * m.score(m.sample(50, { sweeps: 200 })).method; // 'exact' (zero field: Kaufman's log Z)
   * ```
   */
  score(data: DataInput, options?: IsingScoreOptions): ScoreResult {
    return this.scoreChecked('IsingModel.score', data, options).result;
  }

  private scoreChecked(where: string, data: DataInput, options: IsingScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const r = this.scoreUnchecked(where, data, options);
    checkScoresFinite(where, r.perRow);
    return r;
  }

  private scoreUnchecked(where: string, data: DataInput, options: IsingScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const requested = o.method === undefined ? 'auto' : checkOneOf(where, 'method', o.method, ['auto', 'exact', 'ais', 'pseudo'] as const);
    const runs = o.aisRuns === undefined ? 100 : checkInt(where, 'aisRuns', o.aisRuns, 1, MAX_STREAMS);
    const betaSteps = o.aisBetas === undefined ? undefined : checkSize(where, 'aisBetas', o.aisBetas, 3, 'maxSteps');
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, where);
    const x = this.rows(where, data);
    const { K, h } = this.couplings(where);
    const N = this.dimension, L = this.L;
    const exact = hasExactIsingLogPartition(L, K, h);
    const method = requested === 'auto' ? (exact ? 'exact' : 'ais') : requested;
    // AIS keeps a lattice per run
    if (method === 'ais') checkElements(where, 'aisRuns × L²', runs, N);
    if (method === 'exact' && !exact) this.logPartition(); // throws its RangeError
    const perRow = new Float64Array(x.rows);
    const mean = (): number => {
      let sum = 0;
      for (let r = 0; r < perRow.length; r++) sum += perRow[r];
      return sum / perRow.length;
    };
    if (method === 'pseudo') {
      for (let r = 0; r < x.rows; r++) {
        const s = x.data.subarray(r * N, (r + 1) * N);
        let v = 0;
        for (let i = 0; i < N; i++) v += logSigmoid(2 * s[i] * (K * this.neighbourSum(s, i) + h));
        perRow[r] = v;
      }
      const m = mean();
      return { perRow, result: { mean: m, lower: m, upper: m, method: 'pseudo' } };
    }
    // −E(s)/T = K·B(s) + h·M(s) of each row
    const unnormalised = (rows: Matrix): Float64Array => {
      const out = new Float64Array(rows.rows);
      for (let r = 0; r < rows.rows; r++) {
        const { bonds, magnetisation } = latticeSums(rows.data.subarray(r * N, (r + 1) * N), L);
        out[r] = K * bonds + h * magnetisation;
      }
      return out;
    };
    const u = unnormalised(x);
    if (method === 'exact') {
      const logZ = this.logPartition();
      for (let r = 0; r < x.rows; r++) perRow[r] = u[r] - logZ;
      const m = mean();
      return { perRow, result: { mean: m, lower: m, upper: m, method: 'exact', logZ } };
    }
    const betas = betaSteps === undefined ? aisSchedule() : aisScheduleOfLength(betaSteps);
    const ais = annealedImportanceSampling(isingAISPath(this), { betas, runs, rng: rng ?? this.random });
    for (let r = 0; r < x.rows; r++) perRow[r] = u[r] - ais.logZ;
    const m = mean();
    // A certified floor under log Z: log Σ e^{K·B + h·M} over the distinct scored rows and the two
    // ordered states (all down, all up), which AIS's interval must not lie below.
    let floor = logZFloorFromRows(x, u, unnormalised, -1).logZLowerBound;
    let upSeen = false;
    for (let r = 0; r < x.rows && !upSeen; r++) {
      upSeen = true;
      for (let i = r * N; i < (r + 1) * N && upSeen; i++) upSeen = x.data[i] === 1;
    }
    if (!upSeen) floor = logAddExp(floor, 2 * N * K + N * h);
    return { perRow, result: aisScoreResult(m, ais, floor) };
  }

  /**
   * A copy (document round trip): same couplings, temperature, seen rows and stream position.
   *
   * @returns the copy
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(4, { J: 0.5 }).clone().J; // 0.5
   * ```
   */
  clone(): IsingModel {
    return IsingModel.fromDocument(this.toDocument());
  }

  /**
   * The model as a document (no tensors; `L`, `J`, `H`, `T` in `config`; the generator and
   * the counts of the rows seen by `fit`/`partialFit` in `state`).
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * new IsingModel(8, { temperature: 2 }).toDocument().config; // { L: 8, J: 1, H: 0, T: 2 }
   * ```
   */
  toDocument(): ModelDocument {
    const seen = this.seen;
    const training =
      seen === undefined ? undefined : { rows: seen.rows, bonds: seen.bonds, magnetisation: seen.magnetisation, pairs: Array.from(seen.pairs) };
    return { format: 'boltzmann', version: 1, kind: 'ising', config: { L: this.L, J: this.J, H: this.H, T: this.temperature }, tensors: {}, state: modelState(this.random, training) };
  }

  /**
   * Rebuilds a model from {@link IsingModel.toDocument} output (a document without `T`, from
   * before the model had a temperature, gets the default `T_c` of its `J`).
   * @throws {FormatError} on a malformed document
   *
   * @example
   * ```ts
   * import { IsingModel } from 'boltzmann';
   * IsingModel.fromDocument(new IsingModel(8).toDocument()).dimension; // 64
   * ```
   */
  static fromDocument(doc: unknown): IsingModel {
    const d = checkDocument(doc, 'ising');
    const { L, J, H, T } = d.config as Record<string, unknown>;
    let m: IsingModel;
    try {
      m = new IsingModel(L as number, { J: J as number, H: H as number, ...(T === undefined ? {} : { temperature: T as number }) });
    } catch (e) {
      throw new FormatError(`load ising: bad config (${(e as Error).message})`);
    }
    restoreModelRandom('load ising', d, m.random);
    const t = d.state?.training;
    if (t !== undefined) m.seen = readStatistics(t, m.dimension);
    return m;
  }
}

/** The counts of `state.training` (see {@link IsingModel.toDocument}), checked. */
function readStatistics(t: unknown, N: number): IsingStatistics {
  const bad = (why: string): FormatError => new FormatError(`load ising: state.training ${why}`);
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw bad(`must be an object (got ${describeValue(t)})`);
  const { rows, bonds, magnetisation, pairs } = t as Record<string, unknown>;
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) throw bad(`.rows must be a positive integer (got ${describeValue(rows)})`);
  if (typeof bonds !== 'number' || !Number.isSafeInteger(bonds) || Math.abs(bonds) > 2 * N * rows) throw bad(`.bonds must be an integer within ±2·L²·rows (got ${describeValue(bonds)})`);
  if (typeof magnetisation !== 'number' || !Number.isSafeInteger(magnetisation) || Math.abs(magnetisation) > N * rows) {
    throw bad(`.magnetisation must be an integer within ±L²·rows (got ${describeValue(magnetisation)})`);
  }
  if (!Array.isArray(pairs) || pairs.length !== 10) throw bad(`.pairs must be an array of 10 counts (got ${describeValue(pairs)})`);
  const out = emptyIsingStatistics();
  let total = 0;
  for (let b = 0; b < 10; b++) {
    const c: unknown = pairs[b];
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) throw bad(`.pairs[${b}] must be a non-negative integer (got ${describeValue(c)})`);
    out.pairs[b] = c;
    total += c;
  }
  if (total !== rows * N) throw bad(`.pairs must count rows·L² = ${rows * N} sites (got ${total})`);
  out.rows = rows;
  out.bonds = bonds;
  out.magnetisation = magnetisation;
  return out;
}

/**
 * The AIS path of `model` at its temperature `T`: from the uniform distribution over the
 * `2^N` states (β = 0, `log Z₀ = N log 2`) to `e^{−βE/T}`, one {@link IsingSampler} per run
 * (each on a stream split from the AIS generator, started at a uniform random state), each
 * transition one sequential heat-bath sweep at temperature `T/β`. The sampler's O(1) energy
 * gives `log p*_β = −βE/T`.
 */
function isingAISPath(model: IsingModel): AISPath<IsingSampler[]> {
  const T = model.temperature;
  return {
    logZBase: model.dimension * Math.LN2,
    sampleBase(runs, rng) {
      const out: IsingSampler[] = [];
      for (let r = 0; r < runs; r++) out.push(new IsingSampler(model, { temperature: T, update: 'heat-bath', order: 'sequential', rng: rng.split() }));
      return out;
    },
    logUnnormalised(beta, samplers, out) {
      for (let r = 0; r < out.length; r++) out[r] = (-beta * samplers[r].energy()) / T;
    },
    transition(beta, samplers) {
      for (const s of samplers) {
        s.temperature = T / beta;
        s.step();
      }
    },
  };
}


/** Options of {@link IsingSampler}.
 * @category Models
 */
export interface IsingSamplerOptions {
  /** Temperature `T > 0` (units of `J/k_B`). Default the model's {@link IsingModel.temperature}. */
  temperature?: number;
  /** `'metropolis'` (flip with probability `min(1, e^{−ΔE/T})`, 0.9 at `ΔE = 0`) or `'heat-bath'` (redraw from the conditional). Default `'metropolis'`. */
  update?: 'metropolis' | 'heat-bath';
  /** `'sequential'` (row by row) or `'checkerboard'` (all even sites, then all odd). Default `'sequential'`. */
  order?: 'sequential' | 'checkerboard';
  /**
   * Seed or generator. The sampler copies its state and then advances its own
   * copy. Default: a generator split from the model's stream
   * (`model.random.split()`), so samplers of one model differ and follow its seed.
   */
  rng?: number | Random;
  /** Initial state: `'random'` (default, drawn from `rng`), `'up'`, `'down'`, or a ±1 `Float64Array`. */
  initial?: 'random' | 'up' | 'down' | Float64Array;
}

const SAMPLER_KEYS = optionKeys<IsingSamplerOptions>()({ temperature: true, update: true, order: true, rng: true, initial: true });

/** Options of {@link IsingSampler.measure}.
 * @category Models
 */
export interface IsingMeasureOptions {
  /** Sweeps measured (at most `LIMITS.maxSteps`). */
  sweeps: number;
  /** Sweeps discarded first (at most `LIMITS.maxSteps`). Default 0. */
  burnIn?: number;
  /** Sweeps between measurements (at most `sweeps / 4`). Default 1. */
  thin?: number;
  /** Keep the per-measurement traces of `m` and `e`. Default false. */
  keepTraces?: boolean;
}

const MEASURE_KEYS = optionKeys<IsingMeasureOptions>()({ sweeps: true, burnIn: true, thin: true, keepTraces: true });

/** Result of {@link IsingSampler.measure}: thermal averages with error bars.
 * @category Models
 */
export interface IsingMeasurement {
  /** Temperature. */
  readonly temperature: number;
  /** Number of measurements. */
  readonly samples: number;
  /** `⟨|m|⟩`, `m` the magnetisation per site. */
  readonly absMagnetisation: number;
  /** Standard error of `⟨|m|⟩` (`sd · √(τ/n)`). */
  readonly absMagnetisationError: number;
  /** `⟨m⟩` (near 0 in zero field on long runs: the two phases are equally likely). */
  readonly magnetisation: number;
  /** `⟨m²⟩`. */
  readonly magnetisationSquared: number;
  /** `⟨e⟩`, `e = E/N` the energy per site. */
  readonly energyPerSite: number;
  /** Standard error of `⟨e⟩`. */
  readonly energyPerSiteError: number;
  /** Specific heat per site `C = N (⟨e²⟩ − ⟨e⟩²) / T²`. */
  readonly specificHeat: number;
  /** Susceptibility per site `χ = N (⟨m²⟩ − ⟨|m|⟩²) / T` (the finite-lattice estimator with `|m|`). */
  readonly susceptibility: number;
  /** Integrated autocorrelation time of `|m|`, in measurements (Sokal window). */
  readonly tauAbsMagnetisation: number;
  /** Integrated autocorrelation time of `e`, in measurements. */
  readonly tauEnergy: number;
  /** Acceptance (Metropolis) or change (heat-bath) rate of single-site updates during the run. */
  readonly flipRate: number;
  /** Per-measurement `m` (when `keepTraces`). */
  readonly magnetisationTrace?: Float64Array;
  /** Per-measurement `e` (when `keepTraces`). */
  readonly energyTrace?: Float64Array;
}

const TWO30 = 1073741824;


/**
 * A fast single-thread sampler of the 2-D Ising model at temperature `T`.
 *
 * Spins live in an `Int8Array`; each update reads the four neighbours, looks
 * up its acceptance threshold in a precomputed table (the only possible energy
 * changes are `ΔE = 2s(J·nb + H)`, `nb ∈ {−4, −2, 0, 2, 4}`, `s = ±1`, so
 * `exp(−ΔE/T)` takes at most 10 values), and compares it with a 30-bit uniform
 * draw from an inlined xoroshiro128+ (the same generator and state as
 * {@link Random}): each step serves two sites, the top 30 bits of each of its
 * two 32-bit word sums (pure-rand's own 32-bit output, and the other word pair's
 * sum), so a sweep advances the generator by
 * `⌈n/2⌉` steps for each row of `n` sites visited (`L²/2` steps for even `L`).
 * Thresholds are `⌊q·2³⁰⌋` for the flip probability `q`, so probabilities are
 * exact to within 2⁻³⁰ ≈ 9.3·10⁻¹⁰. The flip bit is the sign of
 * `u − threshold`, so the loops have no data-dependent branch and their speed
 * does not depend on the temperature; the sequential sweep also computes each
 * site's outcome for both values of its freshly updated left neighbour and
 * selects one, which keeps the site-to-site dependency short. Measured
 * (`npm run bench -- ising`, 256×256, one thread): about 165–170 M update
 * attempts/s sequential and 195 M/s checkerboard at any temperature.
 * The magnetisation and bond sum are updated with every flip, so
 * {@link IsingSampler.energy} and {@link IsingSampler.magnetisation} cost O(1).
 *
 * - Metropolis: flip with probability `min(1, exp(−ΔE/T))`, except `0.9` when
 *   `ΔE = 0` exactly: always accepting zero-cost flips makes a fixed-order sweep
 *   reducible (at `H = 0` it never visits some states of small lattices: 4 of
 *   the 16 at `L = 2`, 64 of the 65 536 at `L = 4`, biasing ⟨e⟩ at `L = 2` by
 *   over 100 standard errors), while any acceptance in (0, 1) at `ΔE = 0` keeps
 *   detailed balance and irreducibility. 0.9 rather than ½ because the
 *   zero-cost moves carry the domain walls: at `L = 64, T = 2` the
 *   autocorrelation time of `|m|` is 7.1 sweeps with 0.9 and 12.2 with ½
 *   (5.6 with 1).
 * - Heat-bath: set `s_i = +1` with probability `σ(2(J·nb + H)/T)` (implemented
 *   as flipping `s_i` with the conditional probability of `−s_i`).
 *
 * One {@link IsingSampler.step} is one sweep (`L²` updates).
 *
 * @example
 * ```ts
 * import { IsingModel, IsingSampler } from 'boltzmann';
 * const s = new IsingSampler(new IsingModel(32), { temperature: 2.0, rng: 1, initial: 'up' });
 * const r = s.measure({ sweeps: 2000, burnIn: 200 });
 * r.absMagnetisation; // ≈ 0.91 (Onsager: 0.9113)
 * ```
 * @category Models
 */
export class IsingSampler implements Sampler {
  /** The model. */
  readonly model: IsingModel;
  /** The model's coupling when the sampler was made (a later `fit` of the model does not change this sampler). */
  readonly J: number;
  /** The model's field when the sampler was made. */
  readonly H: number;
  /** Number of spins. */
  readonly dimension: number;
  /** The spins (live view; ±1). Modify only through {@link IsingSampler.setState}. */
  readonly spins: Int8Array;
  /** Update rule. */
  readonly update: 'metropolis' | 'heat-bath';
  /** Site order. */
  readonly order: 'sequential' | 'checkerboard';
  private readonly L: number;
  private readonly up: Int32Array;
  private readonly down: Int32Array;
  private readonly metroThr = new Int32Array(20);
  private readonly hbThr = new Int32Array(20);
  private readonly mirror: Float64Array;
  private readonly rs = new Int32Array(4); // [s01, s00, s11, s10] as in pure-rand
  private temp: number;
  private mag = 0;
  private bonds = 0;
  private nFlips = 0;
  private nUpdates = 0;

  /**
   * @param model - the lattice
   * @param options - see {@link IsingSamplerOptions}
   * @throws {TypeError | RangeError | ShapeError} on bad options
   */
  constructor(model: IsingModel, options?: IsingSamplerOptions) {
    const where = 'IsingSampler';
    if (!(model instanceof IsingModel)) throw new TypeError(`${where}: model must be an IsingModel`);
    const o = checkOptionsKeys(where, options, SAMPLER_KEYS);
    const temp = o.temperature === undefined ? model.temperature : checkPositive(where, 'temperature', o.temperature);
    const update = o.update === undefined ? 'metropolis' : checkOneOf(where, 'update', o.update, ['metropolis', 'heat-bath'] as const);
    const order = o.order === undefined ? 'sequential' : checkOneOf(where, 'order', o.order, ['sequential', 'checkerboard'] as const);
    const init = o.initial ?? 'random';
    if (typeof init === 'string') checkOneOf(where, 'initial', init, ['random', 'up', 'down'] as const);
    else {
      checkVector(where, 'initial', init, model.dimension);
      checkSpins(where, 'initial', init);
    }
    // Last, after every check: the default splits the model's stream (and so advances it).
    const rng = o.rng === undefined ? model.random.split() : toRandom(o.rng, where);
    const L = model.L;
    const n = model.dimension;
    this.model = model;
    this.J = model.J;
    this.H = model.H;
    this.dimension = n;
    this.L = L;
    this.update = update;
    this.order = order;
    this.temp = temp;
    this.spins = new Int8Array(n);
    this.mirror = new Float64Array(n);
    this.up = new Int32Array(L);
    this.down = new Int32Array(L);
    for (let r = 0; r < L; r++) {
      this.up[r] = (r === 0 ? L - 1 : r - 1) * L;
      this.down[r] = (r === L - 1 ? 0 : r + 1) * L;
    }
    if (init === 'random') for (let i = 0; i < n; i++) this.spins[i] = rng.float64() < 0.5 ? -1 : 1;
    else if (init === 'up' || init === 'down') this.spins.fill(init === 'up' ? 1 : -1);
    else for (let i = 0; i < n; i++) this.spins[i] = init[i];
    this.rs.set(rng.getState().words);
    this.recount();
    this.buildTable();
  }

  /** The temperature; setting it validates `T > 0` and rebuilds the acceptance table. */
  get temperature(): number {
    return this.temp;
  }
  set temperature(t: number) {
    this.temp = checkPositive('IsingSampler.temperature', 'temperature', t);
    this.buildTable();
  }

  /** The state as a `Float64Array` (a view refreshed on each access; copy it to keep it). */
  get state(): Float64Array {
    const m = this.mirror;
    const s = this.spins;
    for (let i = 0; i < m.length; i++) m[i] = s[i];
    return m;
  }

  /** A copy of the sampler's generator at its current position. */
  get random(): Random {
    return Random.fromState(this.randomState());
  }

  private randomState(): RandomState {
    const w = this.rs;
    return { algorithm: 'xoroshiro128+', words: [w[0], w[1], w[2], w[3]], spareNormal: null };
  }

  private buildTable(): void {
    // Both tables are indexed by k = s·nb + 4 + 5(s + 1) ∈ {0,2,…,8} ∪ {10,…,18} and hold the
    // probability q of flipping s: Metropolis q = min(1, e^{−ΔE/T}) (ZERO_COST_ACCEPTANCE at ΔE = 0), heat-bath q = 1/(1 + e^{ΔE/T})
    // (the conditional probability of −s), with ΔE = 2s(J·nb + H), as the 30-bit threshold
    // ⌊q·2³⁰⌋: a 30-bit uniform draw u flips s when u < threshold (always when q = 1).
    const { J, H } = this;
    const T = this.temp;
    for (const s of [-1, 1]) {
      for (let nb = -4; nb <= 4; nb += 2) {
        const dE = 2 * s * (J * nb + H);
        const k = s * nb + 4 + 5 * (s + 1);
        // ΔE = 0 exactly (J·nb + H = 0, e.g. nb = 0 at H = 0): flip with probability ZERO_COST_ACCEPTANCE, not 1.
        // Detailed balance holds for any a(0) ∈ (0, 1]; a(0) = 1 makes fixed-order sweeps reducible (at
        // H = 0 the L = 2, 3 lattices never visit some states, and even L = 4 misses 64 of 2¹⁶).
        const tie = Math.abs(J * nb + H) <= 1e-12 * (4 * Math.abs(J) + Math.abs(H));
        this.metroThr[k] = Math.floor((tie ? ZERO_COST_ACCEPTANCE : dE < 0 ? 1 : exp(-dE / T)) * TWO30);
        this.hbThr[k] = Math.floor((dE >= 0 ? exp(-dE / T) / (1 + exp(-dE / T)) : 1 / (1 + exp(dE / T))) * TWO30);
      }
    }
  }

  private recount(): void {
    const { bonds, magnetisation } = latticeSums(this.spins, this.L);
    this.bonds = bonds;
    this.mag = magnetisation;
  }

  /**
   * Sets the spins (validated: length `L²`, ±1).
   * @throws {TypeError | RangeError | ShapeError} on a bad state (nothing changes)
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(4), { temperature: 2, rng: 1 });
   * s.setState(new Float64Array(16).fill(1));
   * s.magnetisation; // 1
   * ```
   */
  setState(x: Float64Array): void {
    checkVector('IsingSampler.setState', 'x', x, this.dimension);
    checkSpins('IsingSampler.setState', 'x', x);
    for (let i = 0; i < x.length; i++) this.spins[i] = x[i];
    this.recount();
  }

  /**
   * One sweep with the configured update rule and order.
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(16), { temperature: 3, rng: 1 });
   * for (let t = 0; t < 100; t++) s.step(); // 100 sweeps
   * ```
   */
  step(): void {
    this.sweep(this.update, this.order);
  }

  /**
   * One sweep of `L²` single-site updates with the given rule and order
   * (overriding the configured ones for this sweep).
   * @throws {RangeError} on an unknown rule or order
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(16), { temperature: 2, rng: 1 });
   * s.sweep('heat-bath', 'checkerboard');
   * ```
   */
  sweep(update: 'metropolis' | 'heat-bath' = this.update, order: 'sequential' | 'checkerboard' = this.order): void {
    checkOneOf('IsingSampler.sweep', 'update', update, ['metropolis', 'heat-bath'] as const);
    checkOneOf('IsingSampler.sweep', 'order', order, ['sequential', 'checkerboard'] as const);
    this.sweepKernel(update === 'heat-bath', order === 'checkerboard');
  }

  private sweepKernel(heatBath: boolean, checker: boolean): void {
    const thr = heatBath ? this.hbThr : this.metroThr;
    this.nFlips += checker ? this.checkerboardSweep(thr) : this.sequentialSweep(thr);
    this.nUpdates += this.L * this.L; // both passes of a checkerboard sweep together visit every site once
  }

  // The two sweep kernels below share their generator handling: an inlined xoroshiro128+ step
  // (pure-rand's next(), on the state words of this.rs = [hi s0, lo s0, hi s1, lo s1]) serves two
  // sites: u1 = top 30 bits of s00 + s10 (the low words: pure-rand's own 32-bit output) and u2 =
  // top 30 bits of s01 + s11 (the high words, without the carry). Neither has a data-dependent branch, so
  // their speed does not depend on the temperature (no mispredicted accept/reject).

  /**
   * Checkerboard sweep: two passes, one per colour (r + c even, then odd). For even L no site's
   * neighbours change within a pass; for odd L the wrap joins two sites of one colour, which is
   * still correct because every neighbour is read live from the lattice. Returns flips.
   */
  private checkerboardSweep(thr: Int32Array): number {
    const L = this.L;
    const sp = this.spins;
    const up = this.up;
    const down = this.down;
    const rs = this.rs;
    let s01 = rs[0];
    let s00 = rs[1];
    let s11 = rs[2];
    let s10 = rs[3];
    let mag = this.mag;
    let bonds = this.bonds;
    let flips = 0;
    for (let p = 0; p < 2; p++) {
      for (let r = 0; r < L; r++) {
        const ro = r * L;
        const end = ro + L - 1;
        const uo = up[r] - ro;
        const dno = down[r] - ro;
        let i = ro + ((r + p) & 1);
        for (; i + 2 <= end; i += 4) {
          const u1 = (s00 + s10) >>> 2;
          const u2 = (s01 + s11) >>> 2;
        const a0 = s10 ^ s00;
        const a1 = s11 ^ s01;
        const t00 = s00;
        const t01 = s01;
        s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
        s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27);
        s11 = (a0 << 5) ^ (a1 >>> 27);
          // Site i (its right neighbour i + 1 ≤ end never wraps), then j = i + 2 (j − 1 ≥ ro).
          const s = sp[i];
          const nb = sp[uo + i] + sp[dno + i] + sp[i === ro ? end : i - 1] + sp[i + 1];
          const k = s * nb + 4 + 5 * (s + 1);
          const d = -2 * s * ((u1 - thr[k]) >>> 31); // flip when u1 < threshold
          sp[i] = s + d;
          mag += d;
          bonds += d * nb;
          flips += d & 2;
          const j = i + 2;
          const s2 = sp[j];
          const nb2 = sp[uo + j] + sp[dno + j] + sp[j - 1] + sp[j === end ? ro : j + 1];
          const k2 = s2 * nb2 + 4 + 5 * (s2 + 1);
          const d2 = -2 * s2 * ((u2 - thr[k2]) >>> 31);
          sp[j] = s2 + d2;
          mag += d2;
          bonds += d2 * nb2;
          flips += d2 & 2;
        }
        if (i <= end) {
          // An odd number of sites of this colour in the row: the last takes a fresh step (first word sum).
          const u1 = (s00 + s10) >>> 2;
        const a0 = s10 ^ s00;
        const a1 = s11 ^ s01;
        const t00 = s00;
        const t01 = s01;
        s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
        s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27);
        s11 = (a0 << 5) ^ (a1 >>> 27);
          const s = sp[i];
          const nb = sp[uo + i] + sp[dno + i] + sp[i === ro ? end : i - 1] + sp[i === end ? ro : i + 1];
          const k = s * nb + 4 + 5 * (s + 1);
          const d = -2 * s * ((u1 - thr[k]) >>> 31);
          sp[i] = s + d;
          mag += d;
          bonds += d * nb;
          flips += d & 2;
        }
      }
    }
    rs[0] = s01;
    rs[1] = s00;
    rs[2] = s11;
    rs[3] = s10;
    this.mag = mag;
    this.bonds = bonds;
    return flips / 2; // counted 2 per flip (a plain number: no 32-bit wrap on huge lattices)
  }

  /**
   * Sequential (row-major) sweep. Each site's left neighbour is the site just updated; to keep
   * that dependency short, the new spin is computed for both possible left values from the
   * other three neighbours (two table lookups off the critical path), and the left neighbour's
   * new value, carried in a register, selects between them with a mask. Returns flips.
   */
  private sequentialSweep(thr: Int32Array): number {
    const L = this.L;
    const sp = this.spins;
    const up = this.up;
    const down = this.down;
    const rs = this.rs;
    let s01 = rs[0];
    let s00 = rs[1];
    let s11 = rs[2];
    let s10 = rs[3];
    let mag = this.mag;
    let bonds = this.bonds;
    let flips = 0;
    for (let r = 0; r < L; r++) {
      const ro = r * L;
      const end = ro + L - 1;
      const uo = up[r] - ro;
      const dno = down[r] - ro;
      let left = sp[end]; // not yet updated in this sweep
      let i = ro;
      for (; i + 1 <= end; i += 2) {
        const u1 = (s00 + s10) >>> 2;
        const u2 = (s01 + s11) >>> 2;
        const a0 = s10 ^ s00;
        const a1 = s11 ^ s01;
        const t00 = s00;
        const t01 = s01;
        s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
        s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27);
        s11 = (a0 << 5) ^ (a1 >>> 27);
        // Site i: rest = up + down + right; k(left = ±1) = k0 ± s.
        const s = sp[i];
        const rest = sp[uo + i] + sp[dno + i] + sp[i + 1];
        const k0 = s * rest + 4 + 5 * (s + 1);
        const sPlus = s - 2 * s * ((u1 - thr[k0 + s]) >>> 31); // new spin if left = +1
        const sMinus = s - 2 * s * ((u1 - thr[k0 - s]) >>> 31); // new spin if left = −1
        const mask = left >> 1; // 0 for +1, −1 for −1
        const ns = (sPlus & ~mask) | (sMinus & mask);
        const d = ns - s;
        sp[i] = ns;
        mag += d;
        bonds += d * (rest + left);
        flips += d & 2;
        left = ns;
        // Site j = i + 1 (its right neighbour wraps to the row's first site, already updated).
        const j = i + 1;
        const s2 = sp[j];
        const rest2 = sp[uo + j] + sp[dno + j] + sp[j === end ? ro : j + 1];
        const k2 = s2 * rest2 + 4 + 5 * (s2 + 1);
        const sPlus2 = s2 - 2 * s2 * ((u2 - thr[k2 + s2]) >>> 31);
        const sMinus2 = s2 - 2 * s2 * ((u2 - thr[k2 - s2]) >>> 31);
        const mask2 = left >> 1;
        const ns2 = (sPlus2 & ~mask2) | (sMinus2 & mask2);
        const d2 = ns2 - s2;
        sp[j] = ns2;
        mag += d2;
        bonds += d2 * (rest2 + left);
        flips += d2 & 2;
        left = ns2;
      }
      if (i <= end) {
        // Odd L: the row's last site takes a fresh step (first word sum).
        const u1 = (s00 + s10) >>> 2;
        const a0 = s10 ^ s00;
        const a1 = s11 ^ s01;
        const t00 = s00;
        const t01 = s01;
        s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
        s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
        s10 = (a1 << 5) ^ (a0 >>> 27);
        s11 = (a0 << 5) ^ (a1 >>> 27);
        const s = sp[i];
        const nb = sp[uo + i] + sp[dno + i] + left + sp[ro];
        const k = s * nb + 4 + 5 * (s + 1);
        const d = -2 * s * ((u1 - thr[k]) >>> 31);
        sp[i] = s + d;
        mag += d;
        bonds += d * nb;
        flips += d & 2;
      }
    }
    rs[0] = s01;
    rs[1] = s00;
    rs[2] = s11;
    rs[3] = s10;
    this.mag = mag;
    this.bonds = bonds;
    return flips / 2; // counted 2 per flip (a plain number: no 32-bit wrap on huge lattices)
  }

  /**
   * Total energy `E` of the current state (O(1), kept up to date by every flip).
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(4), { temperature: 2, rng: 1, initial: 'up' });
   * s.energy(); // −32 (all up: 32 satisfied bonds)
   * ```
   */
  energy(): number {
    return -this.J * this.bonds - this.H * this.mag;
  }

  /** Magnetisation per site `m = (1/N) Σ s_i` (O(1)). */
  get magnetisation(): number {
    return this.mag / this.dimension;
  }

  /** Energy per site `E/N` (O(1)). */
  get energyPerSite(): number {
    return this.energy() / this.dimension;
  }

  /** Fraction of single-site updates that flipped a spin, since construction or the last reset. */
  get acceptanceRate(): number {
    return this.nUpdates === 0 ? Number.NaN : this.nFlips / this.nUpdates;
  }

  /**
   * Zeroes the flip counters.
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(16), { temperature: 2.5, rng: 1 });
   * for (let t = 0; t < 50; t++) s.step(); // burn-in
   * s.resetStatistics(); // acceptanceRate now counts from here
   * ```
   */
  resetStatistics(): void {
    this.nFlips = 0;
    this.nUpdates = 0;
  }

  /**
   * Runs `burnIn` sweeps, then `sweeps` sweeps measuring every `thin`-th, and
   * returns thermal averages (`|m|`, `m`, `m²`, `e`, specific heat,
   * susceptibility) with standard errors from the integrated autocorrelation time.
   *
   * @throws {TypeError | RangeError} on bad options (need at least 4 measurements; `sweeps` and `burnIn` at most `LIMITS.maxSteps`), before any sweep
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(16), { temperature: 3, rng: 2 });
   * const r = s.measure({ sweeps: 500, burnIn: 100 });
   * [r.absMagnetisation, r.absMagnetisationError]; // mean and standard error
   * ```
   */
  measure(options: IsingMeasureOptions): IsingMeasurement {
    const where = 'IsingSampler.measure';
    const o = checkOptionsKeys(where, options, MEASURE_KEYS);
    const sweeps = checkSize(where, 'sweeps', o.sweeps, 1, 'maxSteps');
    const burnIn = o.burnIn === undefined ? 0 : checkSize(where, 'burnIn', o.burnIn, 0, 'maxSteps');
    const thin = o.thin === undefined ? 1 : checkSize(where, 'thin', o.thin, 1, 'maxSteps');
    const keepTraces = o.keepTraces === undefined ? false : checkBoolean(where, 'keepTraces', o.keepTraces);
    const n = Math.floor(sweeps / thin);
    if (n < 4) throw new RangeError(`${where}: sweeps / thin must give at least 4 measurements (got ${n})`);
    for (let i = 0; i < burnIn; i++) this.step();
    const f0 = this.nFlips;
    const u0 = this.nUpdates;
    const mt = new Float64Array(n);
    const et = new Float64Array(n);
    const absm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < thin; t++) this.step();
      mt[k] = this.magnetisation;
      absm[k] = Math.abs(mt[k]);
      et[k] = this.energyPerSite;
    }
    let sa = 0;
    let sm = 0;
    let sm2 = 0;
    let se = 0;
    let se2 = 0;
    for (let k = 0; k < n; k++) {
      sa += absm[k];
      sm += mt[k];
      sm2 += mt[k] * mt[k];
      se += et[k];
      se2 += et[k] * et[k];
    }
    const N = this.dimension;
    const T = this.temp;
    const a = sa / n;
    const m2 = sm2 / n;
    const e = se / n;
    const varE = Math.max(0, se2 / n - e * e);
    const varA = Math.max(0, m2 - a * a);
    const tauA = integratedAutocorrelationTime(absm).tau;
    const tauE = integratedAutocorrelationTime(et).tau;
    const sd = (v: number) => Math.sqrt((v * n) / (n - 1));
    const res: IsingMeasurement = {
      temperature: T,
      samples: n,
      absMagnetisation: a,
      absMagnetisationError: sd(varA) * Math.sqrt(tauA / n),
      magnetisation: sm / n,
      magnetisationSquared: m2,
      energyPerSite: e,
      energyPerSiteError: sd(varE) * Math.sqrt(tauE / n),
      specificHeat: (N * varE) / (T * T),
      susceptibility: (N * varA) / T,
      tauAbsMagnetisation: tauA,
      tauEnergy: tauE,
      flipRate: (this.nFlips - f0) / (this.nUpdates - u0),
      ...(keepTraces ? { magnetisationTrace: mt, energyTrace: et } : {}),
    };
    return res;
  }

  /**
   * Saves spins, temperature, generator and counters.
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(8), { temperature: 2, rng: 1 });
   * const saved = JSON.stringify(s.snapshot()); // spins, temperature, generator
   * ```
   */
  snapshot(): SamplerSnapshot {
    return {
      kind: 'ising',
      state: Array.from(this.spins),
      temperature: this.temp,
      rng: this.randomState(),
      extra: { flips: this.nFlips, updates: this.nUpdates },
    };
  }

  /**
   * Restores a snapshot of a sampler of the same lattice; later sweeps repeat bit for bit.
   * @throws {FormatError} when the snapshot does not fit (nothing changes)
   *
   * @example
   * ```ts
   * import { IsingModel, IsingSampler } from 'boltzmann';
   * const s = new IsingSampler(new IsingModel(8), { temperature: 2, rng: 1 });
   * const saved = s.snapshot();
   * s.step();
   * const e = s.energy();
   * s.restore(saved);
   * s.step();
   * s.energy() === e; // true: the same sweep again
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    const where = 'IsingSampler.restore';
    if (snapshot?.kind !== 'ising' || !Array.isArray(snapshot.state) || snapshot.state.length !== this.dimension) {
      throw new FormatError(`${where}: snapshot must be an 'ising' snapshot of dimension ${this.dimension}`);
    }
    if (!snapshot.state.every((v) => v === 1 || v === -1)) throw new FormatError(`${where}: snapshot.state must be ±1`);
    if (!(typeof snapshot.temperature === 'number' && snapshot.temperature > 0 && Number.isFinite(snapshot.temperature))) {
      throw new FormatError(`${where}: snapshot.temperature must be a positive number`);
    }
    const words = Random.fromState(snapshot.rng).getState().words; // validates
    const flips = snapshot.extra?.flips;
    const updates = snapshot.extra?.updates;
    if (!Number.isSafeInteger(flips) || !Number.isSafeInteger(updates)) {
      throw new FormatError(`${where}: snapshot.extra.flips and updates must be integers`);
    }
    for (let i = 0; i < this.dimension; i++) this.spins[i] = snapshot.state[i];
    this.rs.set(words);
    this.temp = snapshot.temperature;
    this.nFlips = flips as number;
    this.nUpdates = updates as number;
    this.recount();
    this.buildTable();
  }
}

/**
 * Onsager's critical temperature of the square-lattice Ising model,
 * `T_c = 2J / ln(1 + √2) ≈ 2.269 J`.
 *
 * @param J - coupling, > 0 (default 1)
 * @returns `T_c`
 * @throws {RangeError} when `J ≤ 0`
 * @example
 * ```ts
 * import { onsagerCriticalTemperature } from 'boltzmann';
 * onsagerCriticalTemperature(); // 2.269185314213022
 * ```
 * @category Models
 */
export function onsagerCriticalTemperature(J = 1): number {
  checkPositive('onsagerCriticalTemperature', 'J', J);
  return (2 * J) / log(1 + Math.SQRT2);
}

/**
 * Onsager–Yang spontaneous magnetisation per site of the infinite lattice,
 * `|m| = (1 − sinh(2J/T)^{−4})^{1/8}` for `T < T_c`, 0 above.
 *
 * @param T - temperature, > 0
 * @param J - coupling, > 0 (default 1)
 * @returns `|m|(T)`
 * @throws {RangeError} on bad arguments
 * @example
 * ```ts
 * import { onsagerMagnetisation } from 'boltzmann';
 * onsagerMagnetisation(2.0); // 0.9113…
 * ```
 * @category Models
 */
export function onsagerMagnetisation(T: number, J = 1): number {
  checkPositive('onsagerMagnetisation', 'T', T);
  checkPositive('onsagerMagnetisation', 'J', J);
  const sh = sinh((2 * J) / T);
  const x = 1 - pow(sh, -4);
  return x > 0 ? pow(x, 0.125) : 0;
}

/** Complete elliptic integral of the first kind `K(k)` (modulus `k`, `0 ≤ k < 1`) by the AGM. */
function ellipticK(k: number): number {
  let a = 1;
  let b = Math.sqrt(1 - k * k);
  for (let i = 0; i < 64 && Math.abs(a - b) > 1e-16 * a; i++) {
    const an = 0.5 * (a + b);
    b = Math.sqrt(a * b);
    a = an;
  }
  return Math.PI / (2 * a);
}

/**
 * Onsager's exact internal energy per site of the infinite lattice (zero field):
 * `u = −J coth(2K) [1 + (2/π)(2 tanh²(2K) − 1) K₁(κ)]`, `K = J/T`,
 * `κ = 2 sinh(2K)/cosh²(2K)`, `K₁` the complete elliptic integral of the first kind.
 *
 * @param T - temperature, > 0
 * @param J - coupling, > 0 (default 1)
 * @returns `u(T)` (−√2 J at `T_c`)
 * @throws {RangeError} on bad arguments
 * @example
 * ```ts
 * import { onsagerEnergyPerSite } from 'boltzmann';
 * onsagerEnergyPerSite(2.269185314213022); // ≈ −1.41421
 * ```
 * @category Models
 */
export function onsagerEnergyPerSite(T: number, J = 1): number {
  checkPositive('onsagerEnergyPerSite', 'T', T);
  checkPositive('onsagerEnergyPerSite', 'J', J);
  const K = J / T;
  const k = (2 * sinh(2 * K)) / (cosh(2 * K) * cosh(2 * K));
  const t = tanh(2 * K);
  const c = 2 * t * t - 1;
  const kk = Math.min(k, 1 - 1e-16);
  const ell = c === 0 ? 0 : c * ellipticK(kk);
  return (-J / t) * (1 + (2 / Math.PI) * ell);
}
