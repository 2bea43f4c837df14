/**
 * A closed-form exponential-family energy, `E(x) = ½(x−μ)ᵀΛ(x−μ)`, to
 * compare estimators on: its log partition function, scores and samples are
 * exact, and it is fitted by exact score matching, denoising score matching
 * or noise-contrastive estimation.
 * @module
 */
import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom } from '../document.js';
import { FormatError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { DenoisingScoreMatchingTrainer, type DenoisingScoreMatchingFitOptions } from '../train/denoising-score-matching.js';
import { cholesky, gaussianLogZ } from '../train/gaussian-natural.js';
import { NoiseContrastiveTrainer, type NoiseContrastiveFitOptions } from '../train/noise-contrastive-estimation.js';
import { checkGaussianData, ScoreMatchingTrainer, type ScoreMatchingFitOptions } from '../train/score-matching.js';
import { SlicedScoreMatchingTrainer, type SlicedScoreMatchingFitOptions } from '../train/sliced-score-matching.js';
import { checkAllFinite, checkElements, checkInt, checkOneOf, checkOptions, checkOptionsKeys, checkPositiveInt, checkSize, checkVector, type DataInput, optionKeys } from '../validate.js';
import { errorMessage, numberArray } from '../train/checks.js';
import type { FitResult, Model, ScoreOptions, ScoreResult } from './contract.js';

/** Construction options of {@link GaussianEnergy}.
 * @category Models
 */
export interface GaussianEnergyOptions {
  /** Seed or generator of the model's stream (default 0). */
  rng?: number | Random;
  /** Mean μ (default 0). */
  mean?: ArrayLike<number>;
  /** Precision Λ, d × d row-major, symmetric positive definite (default the identity). */
  precision?: ArrayLike<number>;
}
const OPTION_KEYS = optionKeys<GaussianEnergyOptions>()({ rng: true, mean: true, precision: true });

/** The estimators of {@link GaussianEnergy.fit}.
 * @category Models
 */
export type GaussianEnergyFitMethod = 'score-matching' | 'sliced-score-matching' | 'denoising-score-matching' | 'nce';
const METHODS: readonly GaussianEnergyFitMethod[] = ['score-matching', 'sliced-score-matching', 'denoising-score-matching', 'nce'];

/** Options of {@link GaussianEnergy.fit}: `method` plus that estimator's options.
 * @category Models
 */
export type GaussianEnergyFitOptions = {
  /** The estimator: `'score-matching'` (default), `'sliced-score-matching'`, `'denoising-score-matching'` or `'nce'`. */
  method?: GaussianEnergyFitMethod;
} & ScoreMatchingFitOptions &
  SlicedScoreMatchingFitOptions &
  DenoisingScoreMatchingFitOptions &
  NoiseContrastiveFitOptions;

/** Options of {@link GaussianEnergy.sample}.
 * @category Models
 */
export interface GaussianEnergySampleOptions {
  /** Generator to draw from instead of the model's stream. */
  rng?: number | Random;
}

const SCORE_KEYS = optionKeys<ScoreOptions>()({ method: true, aisRuns: true, aisBetas: true });

/** A vector argument as a Float64Array: plain arrays and typed arrays are copied, then checked. */
function vector(where: string, name: string, value: unknown, length: number): Float64Array {
  const v = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof Float64Array)) ? numberArray(where, name, value) : value;
  return checkVector(where, name, v, length);
}

function checkSymmetricPositiveDefinite(where: string, name: string, a: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (a[i * d + j] !== a[j * d + i]) throw new RangeError(`${where}: ${name} must be symmetric (got [${i}][${j}] = ${a[i * d + j]}, [${j}][${i}] = ${a[j * d + i]})`);
    }
  }
  if (cholesky(a, d) === undefined) throw new RangeError(`${where}: ${name} must be positive definite (its Cholesky factorisation failed)`);
}

/**
 * The Gaussian energy `E(x) = ½(x−μ)ᵀΛ(x−μ)` on ℝᵈ, with `∇ₓE = Λ(x−μ)`,
 * `log Z = (d/2) log 2π − ½ log det Λ`, exact log-likelihoods and exact samples
 * (x = μ + L⁻ᵀz with Λ = LLᵀ). Document tensors: `mean` `[d]` and `precision`
 * `[d, d]` (row-major).
 * @category Models
 * @example
 * ```ts
 * import { GaussianEnergy } from 'boltzmann';
 * const g = new GaussianEnergy(2, { mean: [1, 0], precision: [2, 0, 0, 2] });
 * g.energy(Float64Array.of(2, 0)); // 1
 * ```
 */
export class GaussianEnergy implements Model<GaussianEnergyFitOptions, GaussianEnergySampleOptions> {
  /** The document kind, `'gaussian-energy'`. */
  readonly kind = 'gaussian-energy' as const;
  /** The model's own generator stream. */
  readonly random: Random;
  /** Dimension d. */
  readonly dimension: number;
  /** Mean μ (live; estimators write it). */
  readonly mean: Float64Array;
  /** Precision Λ, d × d row-major (live; estimators write it). */
  readonly precision: Float64Array;

  /**
   * @param dimension - d ≥ 1
   * @param options - see {@link GaussianEnergyOptions}
   * @throws {TypeError | RangeError} on bad options
   */
  constructor(dimension: number, options?: GaussianEnergyOptions) {
    const where = 'GaussianEnergy';
    checkSize(where, 'dimension', dimension, 1);
    checkElements(where, 'dimension × dimension', dimension, dimension);
    const o = checkOptionsKeys(where, options, OPTION_KEYS);
    const mean = o.mean === undefined ? new Float64Array(dimension) : vector(where, 'mean', o.mean, dimension).slice();
    checkAllFinite(where, 'mean', mean);
    let precision: Float64Array;
    if (o.precision === undefined) {
      precision = new Float64Array(dimension * dimension);
      for (let i = 0; i < dimension; i++) precision[i * dimension + i] = 1;
    } else {
      precision = vector(where, 'precision', o.precision, dimension * dimension).slice();
      checkAllFinite(where, 'precision', precision);
      checkSymmetricPositiveDefinite(where, 'precision', precision, dimension);
    }
    this.random = toRandom(o.rng === undefined ? 0 : o.rng, where);
    this.dimension = dimension;
    this.mean = mean;
    this.precision = precision;
  }

  /** Number of visible units (= dimension), for the registry and the command line. */
  get nVisible(): number {
    return this.dimension;
  }

  /**
   * `E(x) = ½(x−μ)ᵀΛ(x−μ)` of one point.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(1).energy(Float64Array.of(2)); // 2
   * ```
   */
  energy(x: ArrayLike<number>): number {
    const d = this.dimension;
    const v = vector('GaussianEnergy.energy', 'x', x, d);
    let q = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.precision[i * d + j] * (v[j] - this.mean[j]);
      q += (v[i] - this.mean[i]) * s;
    }
    return 0.5 * q;
  }

  /**
   * `∇ₓE(x) = Λ(x−μ)` into `out`.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(1).gradient(new Float64Array(1), Float64Array.of(3))[0]; // 3
   * ```
   */
  gradient(out: Float64Array, x: ArrayLike<number>): Float64Array {
    const d = this.dimension;
    const v = vector('GaussianEnergy.gradient', 'x', x, d);
    if (out.length !== d) throw new ShapeError(`GaussianEnergy.gradient: out must have length ${d} (got ${out.length})`);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.precision[i * d + j] * (v[j] - this.mean[j]);
      out[i] = s;
    }
    return out;
  }

  /**
   * `log Z = log ∫ exp(−E) = (d/2) log 2π − ½ log det Λ`, in closed form.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(1).logZ; // log √(2π) ≈ 0.9189
   * ```
   */
  get logZ(): number {
    return gaussianLogZ(this.precision, this.dimension);
  }

  /**
   * Fits μ and Λ to `data` by `options.method`: `'score-matching'` (default;
   * {@link ScoreMatchingTrainer}), `'sliced-score-matching'`
   * ({@link SlicedScoreMatchingTrainer}, option `nProjections`), `'denoising-score-matching'`
   * ({@link DenoisingScoreMatchingTrainer}, option `sigma`) or `'nce'`
   * ({@link NoiseContrastiveTrainer}, option `noiseRatio`); the other options go to that trainer.
   *
   * Each minimises its loss by damped Newton steps (each an epoch) from the current μ and
   * Λ (NCE: from the Gaussian of the data's mean and covariance), on the rows centred on
   * their mean (every estimator moves with the data, so the fit is the same, and data far
   * from the origin fit as well as centred data), and stops when no step lowers the loss
   * any more: its minimum, as far as float64 rounding shows it. A fit that stops short of a minimum returns normally, with a
   * `warning` on the last epoch's metrics in `history` saying so: `epochs` ran out while the
   * loss still fell, or the loss has no minimum on these data (score matching with fewer
   * than d + 1 affinely independent rows: the precision grows without bound along the
   * directions they do not span).
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} when the estimator's loss, its Hessian or the fitted parameters are
   * not finite (e.g. data whose squares overflow float64), no Newton step can be taken (as
   * when the loss falls towards a singular precision: sliced score matching or NCE on too few
   * rows), or (`'nce'`) the data's covariance is not positive definite; the message names the trainer
   * and its loss. The model (μ, Λ and its generator) is then as it was.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * const g = new GaussianEnergy(1);
   * g.fit([[0], [2]]);
   * g.mean[0]; // 1
   * ```
   */
  fit(data: DataInput, options?: GaussianEnergyFitOptions): FitResult {
    const where = 'GaussianEnergy.fit';
    const { method, ...rest } = checkOptions(where, options);
    const m = method === undefined ? 'score-matching' : checkOneOf(where, 'method', method, METHODS);
    if (m === 'score-matching') return new ScoreMatchingTrainer(this).fit(data, rest);
    if (m === 'sliced-score-matching') return new SlicedScoreMatchingTrainer(this).fit(data, rest);
    if (m === 'denoising-score-matching') return new DenoisingScoreMatchingTrainer(this).fit(data, rest);
    return new NoiseContrastiveTrainer(this).fit(data, rest);
  }

  /**
   * Exactly {@link GaussianEnergy.fit} on `batch` alone. The estimators are one-shot: each
   * minimises its loss on the rows it is given (with fresh noise or projections for the
   * sampled ones), and that minimum does not depend on where the Newton steps start, so
   * there is no optimiser state to continue — earlier calls' data are not remembered, and
   * the result is the fit to `batch` (fit all the rows at once to combine batches). Its
   * errors and warnings are those of `fit`.
   * @throws {TypeError | RangeError | ShapeError | NumericalError} as {@link GaussianEnergy.fit}
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * const g = new GaussianEnergy(1);
   * g.partialFit([[0], [2]]);
   * g.partialFit([[10], [12]]);
   * g.mean[0]; // ≈ 11: the fit to the last batch alone
   * ```
   */
  partialFit(batch: DataInput, options?: GaussianEnergyFitOptions): FitResult {
    return this.fit(batch, options);
  }

  /**
   * `n` exact samples `x = μ + L⁻ᵀz` (Λ = LLᵀ, z standard normal), from the model's stream.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(3).sample(4).rows; // 4
   * ```
   */
  sample(n: number, options?: GaussianEnergySampleOptions): Matrix {
    const where = 'GaussianEnergy.sample';
    checkSize(where, 'n', n, 1);
    const d = this.dimension;
    checkElements(where, 'n × dimension', n, d);
    const o = checkOptionsKeys(where, options, ['rng']);
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const l = cholesky(this.precision, d) as Float64Array;
    const out: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    const z = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      rng.fillNormal(z);
      // solve Lᵀ y = z
      for (let i = d - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out.data[r * d + k];
        out.data[r * d + i] = s / l[i * d + i];
      }
      for (let i = 0; i < d; i++) out.data[r * d + i] += this.mean[i];
    }
    return out;
  }

  /**
   * Exact per-row log-likelihoods `−E(x) − log Z` (nats).
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (the AIS options are
   *   unused, the log-likelihood being exact, but a bad one is refused)
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(1).scoreSamples([[0]])[0]; // −0.9189…
   * ```
   */
  scoreSamples(data: DataInput, options?: ScoreOptions): Float64Array {
    const where = 'GaussianEnergy.scoreSamples';
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    if (o.method !== undefined) checkOneOf(where, 'method', o.method, ['auto', 'exact'] as const);
    // the log-likelihood is exact: the AIS options have nothing to do, but a bad one is still refused
    if (o.aisRuns !== undefined) checkPositiveInt(where, 'aisRuns', o.aisRuns);
    if (o.aisBetas !== undefined) checkInt(where, 'aisBetas', o.aisBetas, 3);
    const x = checkGaussianData(where, data, this.dimension);
    const d = this.dimension;
    const logZ = this.logZ;
    const out = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) out[r] = -this.energy(x.data.subarray(r * d, r * d + d)) - logZ;
    return out;
  }

  /**
   * Exact mean log-likelihood per row: `{ mean, lower: mean, upper: mean, method: 'exact', logZ }`.
   * @throws {TypeError | RangeError | ShapeError} as {@link GaussianEnergy.scoreSamples}
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(1).score([[0], [1]]).method; // 'exact'
   * ```
   */
  score(data: DataInput, options?: ScoreOptions): ScoreResult {
    const v = this.scoreSamples(data, options);
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    const mean = s / v.length;
    return { mean, lower: mean, upper: mean, method: 'exact', logZ: this.logZ };
  }

  /**
   * An independent copy (parameters and generator position).
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(2, { rng: 1 }).clone().dimension; // 2
   * ```
   */
  clone(): GaussianEnergy {
    const c = new GaussianEnergy(this.dimension, { mean: this.mean, precision: this.precision });
    c.random.setState(this.random.getState());
    return c;
  }

  /**
   * The model as a document: `config.dimension`, tensors `mean` `[d]` and `precision` `[d, d]`.
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * new GaussianEnergy(2).toDocument().kind; // 'gaussian-energy'
   * ```
   */
  toDocument(): ModelDocument {
    const d = this.dimension;
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'gaussian-energy',
      config: { dimension: d },
      tensors: { mean: { shape: [d], data: Array.from(this.mean) }, precision: { shape: [d, d], data: Array.from(this.precision) } },
      state: modelState(this.random),
    };
  }

  /**
   * Rebuilds a model from {@link GaussianEnergy.toDocument} output (bit-exact).
   * @throws {FormatError} on a malformed document or a precision that is not symmetric positive definite
   * @example
   * ```ts
   * import { GaussianEnergy } from 'boltzmann';
   * GaussianEnergy.fromDocument(new GaussianEnergy(2).toDocument()).logZ; // log 2π
   * ```
   */
  static fromDocument(doc: unknown): GaussianEnergy {
    const d = checkDocument(doc, 'gaussian-energy');
    const dim = d.config.dimension;
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 1 << 12) {
      throw new FormatError('load gaussian-energy: config.dimension must be a positive integer');
    }
    const mean = readTensor(d, 'mean', [dim]).data;
    const precision = readTensor(d, 'precision', [dim, dim]).data;
    let g: GaussianEnergy;
    try {
      g = new GaussianEnergy(dim, { mean, precision });
    } catch (e) {
      throw new FormatError(`load gaussian-energy: ${errorMessage(e)}`);
    }
    restoreModelRandom('load gaussian-energy', d, g.random);
    return g;
  }
}
