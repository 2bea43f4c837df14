/**
 * Restricted Boltzmann machine with binary (0/1) visible and hidden units.
 *
 * Energy `E(v, h) = −vᵀWh − bᵀv − cᵀh` with `W` of shape `[nVisible, nHidden]`,
 * visible bias `b`, hidden bias `c`. Conditionals
 * `P(h_j = 1 | v) = σ(c_j + (vᵀW)_j)` and `P(v_i = 1 | h) = σ(b_i + (W h)_i)`; free
 * energy `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)`, so `P(v) = exp(−F(v)) / Z`.
 *
 * Every batched method takes its rows as any {@link DataInput} (a `Matrix`,
 * `number[][]`, or a typed array with a shape) of shape `[batch, n]` (one sample
 * per row) and returns a new matrix unless an `out` matrix is given.
 *
 * The model contract (see `contract.ts`): `fit` / `partialFit` train through an
 * {@link RBMTrainer}, `sample` runs Gibbs chains, `scoreSamples` / `score` give
 * exact, AIS or pseudo log-likelihoods, `transform` the hidden features. Each
 * model owns one generator stream, {@link RBMBase.random}, seeded at
 * construction; every stochastic method without an explicit `rng` continues it.
 * @module
 */
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { checkDocument, type JsonObject, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import { softplusSum } from '../linalg/stable.js';
import { Random, toRandom } from '../random/random.js';
import {
  checkAllFinite,
  checkBoolean,
  checkElements,
  checkInt,
  checkMatrix,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSteps,
  checkUnitInterval,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { accumulateOuter, addScaledRowSums, hiddenToVisible, sigmoidRows, visibleToHidden } from './rbm-products.js';
import { log } from '../math/elementary.js';
import type { BaseSampleOptions, FitResult, Model, ScoreMethod, ScoreOptions, ScoreResult } from './contract.js';
import {
  type CheckedRBMFitOptions,
  checkRBMFitOptions,
  checkRBMTrainerOptions,
  RBM_TRAINER_FIT_KEYS,
  RBM_TRAINER_KEYS,
  RBMTrainer,
  type RBMTrainerFitOptions,
  type RBMTrainerOptions,
  type RBMTrainingMethod,
} from '../train/rbm-trainer.js';
import { aisScheduleOfLength, type AISResult, rbmAIS } from './rbm-ais.js';
import { bernoulliDraws } from '../linalg/wasm/bernoulli.js';
import { RBM_EXACT_MAX_UNITS, rbmExactLogLikelihood, rbmExactLogPartition } from './rbm-exact.js';
import { pseudoLikelihood } from './rbm-pseudo-likelihood.js';
import { aisScoreResult, logZFloorFromRows } from './rbm-log-z-bound.js';
import { undoOnFailure } from './undo.js';

/**
 * What every RBM variant (binary, Gaussian–Bernoulli) offers to the shared
 * trainers, pseudo-likelihood, AIS and deep stacks. Methods ending in
 * `Unchecked` trust their arguments and allocate nothing.
 * @category Models
 */
export interface RBMLike {
  /** Number of visible units. */
  readonly nVisible: number;
  /** Number of hidden units. */
  readonly nHidden: number;
  /** Weights `[nVisible, nHidden]`, row-major. */
  readonly weights: Matrix;
  /** Visible biases, length `nVisible`. */
  readonly visibleBias: Float64Array;
  /** Hidden biases, length `nHidden`. */
  readonly hiddenBias: Float64Array;
  /** `'binary'` (0/1 visible units) or `'gaussian'` (real visible units). */
  readonly visibleType: 'binary' | 'gaussian';
  /** The model's own generator stream (trainers split theirs off it when given no `rng`). */
  readonly random: Random;
  /**
   * The trainable parameter arrays, in a fixed order (weights data, visible
   * bias, hidden bias, then any extra such as log-variances). Held by reference.
   */
  parameterArrays(): Float64Array[];
  /** `out[rows, nHidden] = P(h = 1 | v)` for the `rows` rows of `v`. */
  hiddenProbsUnchecked(out: Float64Array, v: Float64Array, rows: number, binaryHint?: boolean): void;
  /**
   * Draws `v ~ P(v | h)` into `out` for `rows` rows of `h`, using `mean` (same
   * size as `out`) as scratch for the conditional means.
   */
  sampleVisibleUnchecked(out: Float64Array, mean: Float64Array, h: Float64Array, rows: number, rng: Random): void;
  /** `out[rows, nVisible] = E[v | h]`. */
  visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint?: boolean): void;
  /**
   * Adds `scale ×` the sufficient statistics `∂(−E)/∂θ` of the pairs
   * `(v, p)` (p = hidden probabilities), summed over `rows`, to `grads`
   * (arrays in {@link RBMLike.parameterArrays} order). With `overwriteWeights`
   * the weight statistic replaces `grads[0]` instead (which then need not be
   * zeroed first; the other arrays are added to as always).
   */
  accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint?: boolean, overwriteWeights?: boolean): void;
  /** `out[r] = F(v_r)` using `scratch` of length `rows · nHidden`. */
  freeEnergyUnchecked(out: Float64Array, v: Float64Array, rows: number, scratch: Float64Array): void;
  /**
   * `out[r] = −log Σ_v exp(−E(v, h_r))` (the free energy of a hidden state, the
   * visible layer summed or integrated out) using `scratch` of length `rows · nVisible`.
   */
  hiddenFreeEnergyUnchecked(out: Float64Array, h: Float64Array, rows: number, scratch: Float64Array): void;
  /** The document kind, e.g. `'rbm'`. */
  readonly kind: string;
  /** Saves the model (and optional training state) as a {@link ModelDocument}. */
  toDocument(training?: JsonObject): ModelDocument;
}

/** Options of the {@link RBM} constructor.
 * @category Models
 */
export interface RBMOptions {
  /**
   * Seed or generator of the model's stream ({@link RBMBase.random}): it draws the
   * initial weights, then every stochastic method continues it. A `Random` given
   * here is used (and advanced) by the model. Default seed `0`.
   */
  rng?: number | Random;
  /** Standard deviation of the initial Gaussian weights. Default `0.01`. */
  weightStd?: number;
  /**
   * Training data `[n, nVisible]` whose column means set the initial visible
   * biases to `log(p/(1−p))` (p clipped to `[0.001, 0.999]`). Default: zero biases.
   */
  data?: DataInput;
}

const RBM_KEYS = optionKeys<RBMOptions>()({ rng: true, weightStd: true, data: true });

/**
 * Options of `fit` and `partialFit` of {@link RBM} and `GaussianRBM`: the
 * trainer's hyperparameters ({@link RBMTrainerOptions}) and the epoch loop's
 * options ({@link RBMTrainerFitOptions}).
 * @category Models
 */
export interface RBMFitOptions extends RBMTrainerOptions, RBMTrainerFitOptions {
  /** `'pcd'` (default): persistent contrastive divergence; `'cd'`: CD-k from the data. */
  method?: RBMTrainingMethod;
  /** Seed or generator of the trainer. Default: split off the model's stream ({@link RBMBase.random}). */
  rng?: number | Random;
}

/** Options of `partialFit`: those of `fit` without `epochs` (one pass over the batch).
 * @category Models
 */
export type RBMPartialFitOptions = Omit<RBMFitOptions, 'epochs'>;

const RBM_FIT_KEYS = optionKeys<RBMFitOptions>()({
  method: true,
  k: true,
  nChains: true,
  learningRate: true,
  momentum: true,
  weightDecay: true,
  batchSize: true,
  sparsityTarget: true,
  sparsityCost: true,
  sparsityDecay: true,
  rng: true,
  epochs: true,
  validation: true,
  metrics: true,
  monitorSize: true,
  onEpoch: true,
  signal: true,
  threads: true,
});
const RBM_PARTIAL_FIT_KEYS = RBM_FIT_KEYS.filter((k) => k !== 'epochs');

/** Options of `sample` of {@link RBM} and `GaussianRBM`.
 * @category Models
 */
export interface RBMSampleOptions extends BaseSampleOptions {
  /** Full Gibbs steps `v → h → v` after the starting state. Default `1000`. */
  steps?: number;
  /**
   * Starting visible rows `[m, nVisible]`; row `r` of the result starts from row
   * `r mod m`. Default: `v ~ P(v | h)` with every hidden unit on with probability ½.
   */
  init?: DataInput;
  /**
   * Conditional sampling: a `Uint8Array` of length `nVisible` (one mask for every
   * row) or `n·nVisible`, 1 = the unit keeps its value from `init` throughout. Needs `init`.
   */
  clamp?: Uint8Array;
  /** Return `E[v | h]` of the last step instead of a draw (clamped units keep their values). Default `false`. */
  meanField?: boolean;
  /** Seed or generator for this call only. Default: the model's stream ({@link RBMBase.random}), continued. */
  rng?: number | Random;
}

const RBM_SAMPLE_KEYS = optionKeys<RBMSampleOptions>()({ steps: true, init: true, clamp: true, meanField: true, rng: true });

/** Options of `score` and `scoreSamples` of {@link RBM} and `GaussianRBM`.
 * @category Models
 */
export interface RBMScoreOptions extends ScoreOptions {
  /**
   * `'auto'` (default): `'exact'` when the smaller layer has at most
   * {@link RBM_EXACT_MAX_UNITS} units (the hidden layer for Gaussian visible
   * units), else `'ais'` (binary visible units only); `'pseudo'`: the exact
   * pseudo-log-likelihood `Σ_i log P(v_i | v_−i)`. `'bound'` is refused (DBN/DBM only).
   */
  method?: 'auto' | ScoreMethod;
  /** AIS runs. Default `100`. */
  aisRuns?: number;
  /**
   * Number of AIS β steps, spread as in Salakhutdinov & Murray's schedule
   * (1/29 over [0, 0.5), 8/29 over [0.5, 0.9), the rest over [0.9, 1]). Default `14500`.
   */
  aisBetas?: number;
  /**
   * AIS base-rate model: rows whose clipped column means give its visible biases
   * (e.g. the training data), or the biases themselves. Default: the scored data.
   */
  aisBase?: DataInput | Float64Array;
  /** Seed or generator for AIS. Default: the model's stream ({@link RBMBase.random}), continued. */
  rng?: number | Random;
  /** Worker threads for AIS's products (see `withThreads`; the numbers do not depend on it). Default: automatic. */
  threads?: number;
}

const RBM_SCORE_KEYS = optionKeys<RBMScoreOptions>()({ method: true, aisRuns: true, aisBetas: true, aisBase: true, rng: true, threads: true });

/** Options of {@link RBMBase.gibbs}.
 * @category Models
 */
export interface RBMGibbsOptions {
  /** `Uint8Array` of length `nVisible` (one mask for every row) or `batch·nVisible`, 1 = clamped. */
  clamp?: Uint8Array;
  /** Return `P(v | h)` of the last step instead of a sample (clamped units keep their values). */
  meanField?: boolean;
}

const RBM_GIBBS_KEYS = optionKeys<RBMGibbsOptions>()({ clamp: true, meanField: true });

/**
 * @internal `score`'s result for `'ais'`: `mean(−F(v) − log Ẑ)` with the interval of `log Ẑ`,
 * the certified `log Z` floor over the scored rows and the blank image, and the warning when
 * AIS's interval lies wholly below that floor.
 */
export function rbmAISScore(model: RBMBase, m: Matrix, ais: AISResult): ScoreResult {
  const negFOf = (x: Matrix): Float64Array => {
    const f = new Float64Array(x.rows);
    model.freeEnergyUnchecked(f, x.data, x.rows, new Float64Array(x.rows * model.nHidden));
    for (let i = 0; i < f.length; i++) f[i] = -f[i];
    return f;
  };
  const g = negFOf(m);
  // the mean of scoreSamples' values −F(v) − log Ẑ, summed in row order, then divided
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] - ais.logZ;
  const mean = s / g.length;
  return aisScoreResult(mean, ais, logZFloorFromRows(m, g, negFOf).logZLowerBound);
}

/** The β schedule of `aisBetas` steps with Salakhutdinov & Murray's proportions. */
function scaledSchedule(where: string, steps: number): Float64Array {
  checkInt(where, 'aisBetas', steps, 3);
  return aisScheduleOfLength(steps);
}

/**
 * Probability clip used when setting visible biases from data means.
 *
 * @example
 * ```ts
 * import { RBM, fromArrays } from 'boltzmann';
 * import { VISIBLE_BIAS_CLIP } from 'boltzmann/base';
 * // a pixel that is never on gets b = log(p/(1−p)) with p clipped to VISIBLE_BIAS_CLIP (0.001), not −∞
 * new RBM(2, 3, { data: fromArrays([[0, 1], [0, 1]]) }).visibleBias[0]; // ≈ −6.9
 * ```
 * @category Models
 */
export const VISIBLE_BIAS_CLIP = 1e-3;

/** @internal Checks a batch of visible or hidden rows (any {@link DataInput}) and returns it as a Matrix. */
export function checkBatch(where: string, name: string, m: unknown, cols: number, units: 'unit' | 'real' = 'real'): Matrix {
  const x = toMatrix(where, name, m, cols);
  if (x.rows === 0) throw new ShapeError(`${where}: ${name} must have at least one row (got [0, ${cols}])`);
  if (units === 'unit') checkUnitInterval(where, name, x.data);
  else checkAllFinite(where, name, x.data);
  return x;
}

/**
 * The value range a model's visible data must lie in: `'unit'` ([0, 1], binary units or
 * their probabilities) for binary visible units, `'real'` (any finite number) for Gaussian ones.
 *
 * @example
 * ```ts
 * import { RBM } from 'boltzmann';
 * import { visibleUnits } from 'boltzmann/base';
 * visibleUnits(new RBM(2, 2)); // 'unit'
 * ```
 * @category Models
 */
export function visibleUnits(model: { readonly visibleType: 'binary' | 'gaussian' }): 'unit' | 'real' {
  return model.visibleType === 'binary' ? 'unit' : 'real';
}

/** @internal Checks an optional `out` matrix of the given shape that must not overlap `input`. */
export function checkOut(where: string, out: unknown, rows: number, cols: number, ...inputs: Matrix[]): Matrix | undefined {
  if (out === undefined) return undefined;
  const o = checkMatrix(where, 'out', out, rows, cols);
  for (const x of inputs) {
    if (x.data.buffer === o.data.buffer) {
      const a0 = x.data.byteOffset, a1 = a0 + x.data.byteLength;
      const b0 = o.data.byteOffset, b1 = b0 + o.data.byteLength;
      if (a0 < b1 && b0 < a1) throw new RangeError(`${where}: out must not share memory with an input`);
    }
  }
  return o;
}

/** @internal Logit of the clipped column means of `data`, written to `out`. */
export function logitMeans(out: Float64Array, data: Matrix, clip = VISIBLE_BIAS_CLIP): void {
  const n = data.cols;
  out.fill(0);
  for (let r = 0; r < data.rows; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) out[i] += data.data[o + i];
  }
  for (let i = 0; i < n; i++) {
    let p = data.rows > 0 ? out[i] / data.rows : 0.5;
    if (p < clip) p = clip;
    if (p > 1 - clip) p = 1 - clip;
    out[i] = log(p / (1 - p));
  }
}

/** @internal Reads and checks the clamp mask for `sampleClamped`. */
function checkMask(where: string, mask: unknown, rows: number, cols: number): Uint8Array {
  if (!(mask instanceof Uint8Array)) {
    throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(mask)})`);
  }
  if (mask.length !== cols && mask.length !== rows * cols) {
    throw new ShapeError(`${where}: clamp must have length nVisible = ${cols} or rows*nVisible = ${rows * cols} (got ${mask.length})`);
  }
  return mask;
}


/**
 * What the binary and Gaussian–Bernoulli RBMs share: parameters, the model
 * contract (`fit`, `partialFit`, `sample`, `scoreSamples`, `score`, `transform`),
 * the conditionals' checked public forms, free energy, Gibbs chains, inpainting
 * and reconstruction. Subclasses supply the visible-unit specifics (the
 * `*Unchecked` members of {@link RBMLike}).
 *
 * @example
 * ```ts
 * import { GaussianRBM, RBM } from 'boltzmann';
 * import { RBMBase } from 'boltzmann/base';
 * const models: RBMBase[] = [new RBM(4, 3), new GaussianRBM(4, 3)];
 * models.map((m) => m.hiddenProbs([[0, 0, 0, 0]]).cols); // [3, 3]
 * ```
 * @category Models
 */
export abstract class RBMBase implements RBMLike, Model<RBMFitOptions, RBMSampleOptions, RBMScoreOptions> {
  /** Number of visible units. */
  readonly nVisible: number;
  /** Number of hidden units. */
  readonly nHidden: number;
  /** Weights `[nVisible, nHidden]`, row-major; entry `(i, j)` couples visible `i` and hidden `j`. */
  readonly weights: Matrix;
  /** Visible biases `b`, length `nVisible`. */
  readonly visibleBias: Float64Array;
  /** Hidden biases `c`, length `nHidden`. */
  readonly hiddenBias: Float64Array;
  /**
   * The model's own generator stream: seeded once at construction from the
   * `rng` option (after drawing the initial weights from it), continued by every
   * stochastic method that is not given an explicit `rng` (`sample`, `gibbs`,
   * AIS in `score`, the trainer of `fit`). The same seed gives the same sequence.
   */
  readonly random: Random;
  /** `'binary'` or `'gaussian'`. */
  abstract readonly visibleType: 'binary' | 'gaussian';

  /** The value range of visible data: [0, 1] for binary units, any finite number for Gaussian ones. */
  protected get visibleUnits(): 'unit' | 'real' {
    return visibleUnits(this);
  }
  /** The document kind. */
  abstract readonly kind: string;
  /** The class name used in error messages. */
  protected abstract readonly name: string;
  private scratchH = new Float64Array(0);
  /** The trainer kept between `fit` / `partialFit` calls, and the `rng` option it was built with. */
  private trainer: RBMTrainer | undefined;
  private trainerRng: number | Random | undefined;
  /** Whether the kept trainer runs fit's recipe (its rate reaches 0 at the fit's end). */
  private trainerFromRecipe = false;

  /**
   * Allocates the parameters: Gaussian weights with standard deviation `std` from `rng`, zero biases.
   * The generator then becomes the model's stream {@link RBMBase.random}.
   *
   * @param where - class name for error messages
   * @param nVisible - positive integer
   * @param nHidden - positive integer
   * @param std - weight standard deviation (> 0)
   * @param rng - seed or generator
   * @throws {RangeError | TypeError} on bad sizes
   */
  protected constructor(where: string, nVisible: number, nHidden: number, std: number, rng: number | Random) {
    checkSize(where, 'nVisible', nVisible);
    checkSize(where, 'nHidden', nHidden);
    checkElements(where, 'nVisible × nHidden', nVisible, nHidden);
    checkPositive(where, 'weightStd', std);
    const g = toRandom(rng, where);
    this.nVisible = nVisible;
    this.nHidden = nHidden;
    this.weights = { rows: nVisible, cols: nHidden, data: new Float64Array(nVisible * nHidden) };
    this.visibleBias = new Float64Array(nVisible);
    this.hiddenBias = new Float64Array(nHidden);
    g.fillNormal(this.weights.data, 0, std);
    this.random = g;
  }

  /** Scratch of at least `n` entries (grows once). */
  protected hScratch(n: number): Float64Array {
    if (this.scratchH.length < n) this.scratchH = new Float64Array(n);
    return this.scratchH;
  }

  /** An explicit generator, or the model's stream. */
  protected generator(where: string, rng: number | Random | undefined): Random {
    return rng === undefined ? this.random : toRandom(rng, where);
  }

  /** See {@link RBMLike.parameterArrays}. */
  abstract parameterArrays(): Float64Array[];
  /** See {@link RBMLike.hiddenProbsUnchecked}. */
  abstract hiddenProbsUnchecked(out: Float64Array, v: Float64Array, rows: number, binaryHint?: boolean): void;
  /** See {@link RBMLike.sampleVisibleUnchecked}. */
  abstract sampleVisibleUnchecked(out: Float64Array, mean: Float64Array, h: Float64Array, rows: number, rng: Random): void;
  /** See {@link RBMLike.visibleMeanUnchecked}. */
  abstract visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint?: boolean): void;
  /** See {@link RBMLike.accumulateStatistics}. */
  abstract accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint?: boolean, overwriteWeights?: boolean): void;
  /** See {@link RBMLike.freeEnergyUnchecked}. */
  abstract freeEnergyUnchecked(out: Float64Array, v: Float64Array, rows: number, scratch: Float64Array): void;
  /** See {@link RBMLike.hiddenFreeEnergyUnchecked}. */
  abstract hiddenFreeEnergyUnchecked(out: Float64Array, h: Float64Array, rows: number, scratch: Float64Array): void;
  /** See {@link RBMLike.toDocument}. */
  abstract toDocument(training?: JsonObject): ModelDocument;

  /**
   * Trains the model on `data` for `epochs` epochs with a fresh {@link RBMTrainer}
   * (method `'pcd'` by default; `'cd'` for CD-k). When no `method` is named, a binary
   * RBM trains with the recommended recipe, {@link RBM_RECIPE}: PCD-1 with 100
   * persistent chains, momentum 0.5, mini-batches of 100 rows (at most a tenth of
   * the data) and a learning rate decaying linearly from 0.02 (or from a numeric
   * `learningRate` given) to 0 over the run — each only where the option is not
   * given. Naming a method gives the plain trainer (constant rate, its defaults:
   * {@link RBMTrainerOptions}). Every call starts a new trainer:
   * momentum, persistent chains and the sparsity average restart, and the
   * trainer's generator is split off the model's stream unless `rng` is given, so
   * the same construction seed gives the same parameters. The trainer is then
   * kept for {@link RBMBase.partialFit}.
   *
   * @param data - training rows `[n, nVisible]` (any {@link DataInput}; not modified)
   * @param options - see {@link RBMFitOptions}
   * @returns `{ history, epochs, aborted }` (metrics when `onEpoch` or `metrics` is given)
   * @throws {TypeError} on an unknown option (naming the closest valid one) or a bad type
   * @throws {ShapeError | RangeError} on bad data or option values (before any change)
   * @throws {NumericalError} when an update is not finite (that update is not applied)
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const data = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
   * const rbm = new RBM(4, 2, { rng: 1, data });
   * rbm.fit(data, { epochs: 20, learningRate: 0.1, batchSize: 2 }).epochs; // 20
   * ```
   */
  fit(data: DataInput, options?: RBMFitOptions): FitResult {
    const undo = this.undoPoint();
    const [trainer, m, checked] = this.startFit(`${this.name}.fit`, data, options);
    try {
      return trainer.fitCheckedData(m, checked);
    } catch (e) {
      undo(trainer);
      throw e;
    }
  }

  /**
   * {@link RBMBase.fit} as a generator that yields after every mini-batch update and
   * returns the {@link FitResult}: driving it to the end gives exactly what `fit`
   * gives (parameters, generator states, metrics). Arguments are checked and the
   * new trainer ({@link RBMBase.lastTrainer}) is made when it is called, before the
   * first update; run each `next()` inside the thread scope you want. Used to pause
   * between updates (a Web Worker that must see an abort message, a page that must
   * stay responsive).
   *
   * @param data - training rows `[n, nVisible]` (any {@link DataInput}; not modified)
   * @param options - see {@link RBMFitOptions}
   * @returns a generator of the updates; its return value is the fit's result
   * @throws {TypeError | ShapeError | RangeError} as {@link RBMBase.fit} (before any update)
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 2, { rng: 1 });
   * const it = rbm.fitSteps([[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 3, batchSize: 1, method: 'cd' });
   * let r = it.next();
   * while (!r.done) r = it.next(); // 6 updates
   * r.value.epochs; // 3
   * ```
   */
  fitSteps(data: DataInput, options?: RBMFitOptions): Generator<void, FitResult, void> {
    const undo = this.undoPoint();
    const [trainer, m, checked] = this.startFit(`${this.name}.fitSteps`, data, options);
    let steps: Generator<void, FitResult, void>;
    try {
      // checks a learning-rate schedule's first value: a refusal puts back the generator and the kept trainer too
      steps = trainer.fitStepsCheckedData(m, checked);
    } catch (e) {
      undo(trainer);
      throw e;
    }
    return undoOnFailure(steps, () => undo(trainer));
  }

  /**
   * What a training call that fails before its first update must put back: the
   * model's generator (a new trainer splits its stream) and the kept trainer. The
   * returned function restores them when `trainer` has made no update since.
   */
  private undoPoint(): (trainer: RBMTrainer) => void {
    const random = this.random.getState(), kept = this.trainer, keptRng = this.trainerRng, keptRecipe = this.trainerFromRecipe;
    const steps = kept?.steps;
    return (trainer) => {
      const fresh = trainer !== kept;
      if (trainer.steps !== (fresh ? 0 : steps)) return;
      this.random.setState(random);
      this.trainer = kept;
      this.trainerRng = keptRng;
      this.trainerFromRecipe = keptRecipe;
    };
  }

  /**
   * The trainer made by the last `fit`, `fitSteps` or `partialFit` (undefined before
   * the first): its epoch and step counters, persistent chains and generator — the
   * state `partialFit` continues.
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 2, { rng: 1 });
   * rbm.fit([[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 2, batchSize: 1 });
   * rbm.lastTrainer?.steps; // 4
   * ```
   */
  get lastTrainer(): RBMTrainer | undefined {
    return this.trainer;
  }

  /** Checks fit's arguments and makes (and keeps) its trainer. */
  private startFit(where: string, data: DataInput, options: RBMFitOptions | undefined): [RBMTrainer, Matrix, CheckedRBMFitOptions] {
    const o = checkOptionsKeys(where, options, RBM_FIT_KEYS);
    const m = checkBatch(where, 'data', data, this.nVisible, this.visibleUnits);
    const [given, fitOptions] = splitFitOptions(o);
    const checked = checkRBMFitOptions(where, this, fitOptions);
    // the trainer options as given are checked before the recipe reads them (batchSize: 3n, learningRate: '3')
    checkRBMTrainerOptions(where, this, { method: 'pcd', ...given }, false);
    const trainerOptions = o.method === undefined && this.visibleType === 'binary' ? withRecipe(given, m.rows, checked.epochs) : given;
    const trainer = new RBMTrainer(this, { method: 'pcd', ...trainerOptions });
    this.trainer = trainer;
    this.trainerRng = trainerOptions.rng;
    this.trainerFromRecipe = trainerOptions !== given && typeof given.learningRate !== 'function';
    return [trainer, m, checked];
  }

  /**
   * One pass of updates over `batch` (shuffled into mini-batches of `batchSize`
   * rows), continuing the trainer kept by the previous `fit` or `partialFit`:
   * momentum, persistent chains and the trainer's generator carry over, so a
   * stream of batches trains like one long run. The first call (or a call giving a
   * trainer option — `method`, `k`, `learningRate`, ... — whose value differs from
   * the kept trainer's) starts a new trainer as `fit` does. So does the first call
   * after a `fit` that ran the recipe ({@link RBM_RECIPE}, no `method` named): its
   * learning rate has decayed to 0 at that fit's end, so the stream starts a plain
   * PCD trainer (its defaults, or the options given), as on a fresh model.
   *
   * @param batch - rows `[n, nVisible]` (any {@link DataInput}; not modified)
   * @param options - see {@link RBMPartialFitOptions}
   * @returns `{ history, epochs: 1, aborted }`
   * @throws {TypeError | ShapeError | RangeError} as {@link RBMBase.fit}
   * @throws {NumericalError} as {@link RBMBase.fit}
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 2, { rng: 1 });
   * for (const batch of [[[1, 1, 0, 0], [0, 0, 1, 1]], [[1, 1, 0, 0]]]) rbm.partialFit(batch, { batchSize: 2 });
   * ```
   */
  partialFit(batch: DataInput, options?: RBMPartialFitOptions): FitResult {
    const where = `${this.name}.partialFit`;
    const o = checkOptionsKeys(where, options, RBM_PARTIAL_FIT_KEYS);
    const m = checkBatch(where, 'batch', batch, this.nVisible, this.visibleUnits);
    const [trainerOptions, fitOptions] = splitFitOptions(o);
    const checked = checkRBMFitOptions(where, this, fitOptions);
    checkRBMTrainerOptions(where, this, { method: 'pcd', ...trainerOptions }, false);
    const undo = this.undoPoint();
    let trainer = this.trainer;
    // the recipe's rate decays to 0 at the end of its fit: a stream of batches after it starts afresh
    if (trainer === undefined || this.trainerFromRecipe || !this.keeps(trainer, trainerOptions)) {
      trainer = new RBMTrainer(this, { method: 'pcd', ...trainerOptions });
      this.trainer = trainer;
      this.trainerRng = trainerOptions.rng;
      this.trainerFromRecipe = false;
    }
    try {
      return trainer.fitCheckedData(m, { ...checked, epochs: 1 });
    } catch (e) {
      undo(trainer);
      throw e;
    }
  }

  /** Whether every trainer option given equals the kept trainer's. */
  private keeps(trainer: RBMTrainer, o: RBMTrainerOptions): boolean {
    for (const [key, value] of Object.entries(o)) {
      const current = key === 'rng' ? this.trainerRng : (trainer as unknown as Record<string, unknown>)[key];
      if (value !== current) return false;
    }
    return true;
  }

  /**
   * `n` samples of the visible units by block Gibbs sampling: `steps` full steps
   * `v → h → v` from `init` (or from `v ~ P(v | h)` with uniformly random `h`).
   * Draws continue the model's stream, so two calls give different samples and
   * the same construction seed gives the same sequence. With `clamp`, the masked
   * units keep their values from `init` (conditional sampling).
   *
   * @param n - number of samples (positive integer)
   * @param options - see {@link RBMSampleOptions}
   * @returns `[n, nVisible]` samples (0/1 for binary visible units)
   * @throws {TypeError | ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * rbm.sample(5, { steps: 100 }).rows; // 5
   * rbm.sample(2, { init: [[1, 1, 0, 0]], clamp: Uint8Array.of(1, 1, 0, 0), steps: 20 }).data.slice(0, 2); // [1, 1]
   * ```
   */
  sample(n: number, options?: RBMSampleOptions): Matrix {
    const where = `${this.name}.sample`;
    checkSize(where, 'n', n);
    checkElements(where, 'n × (nVisible + nHidden)', n, this.nVisible + this.nHidden);
    const o = checkOptionsKeys(where, options, RBM_SAMPLE_KEYS);
    const steps = o.steps === undefined ? 1000 : checkSteps(where, 'steps', o.steps);
    const init = o.init === undefined ? undefined : checkBatch(where, 'init', o.init, this.nVisible, this.visibleUnits);
    if (o.clamp !== undefined && init === undefined) throw new TypeError(`${where}: clamp needs init (the values of the clamped units)`);
    const mask = o.clamp === undefined ? undefined : checkMask(where, o.clamp, n, this.nVisible);
    const meanField = o.meanField === undefined ? false : checkBoolean(where, 'meanField', o.meanField);
    const g = this.generator(where, o.rng);
    const nV = this.nVisible, nH = this.nHidden;
    const cur = new Float64Array(n * nV);
    if (init !== undefined) {
      for (let r = 0; r < n; r++) {
        const src = (r % init.rows) * nV;
        cur.set(init.data.subarray(src, src + nV), r * nV);
      }
    } else {
      const h = this.hScratch(n * nH);
      for (let i = 0, e = n * nH; i < e; i++) h[i] = g.float64() < 0.5 ? 1 : 0;
      this.sampleVisibleUnchecked(cur, new Float64Array(n * nV), h, n, g);
    }
    return this.runGibbs(cur, n, steps, g, mask, meanField);
  }

  /**
   * Per-row log-likelihood `log P(v) = −F(v) − log Z` (nats; log-densities for
   * Gaussian visible units), with `log Z` exact where the smaller layer can be
   * enumerated, else estimated by AIS ({@link rbmAIS}); or the exact
   * pseudo-log-likelihood with `method: 'pseudo'`.
   *
   * @param data - rows `[n, nVisible]` (any {@link DataInput})
   * @param options - see {@link RBMScoreOptions}
   * @returns length-`n` log-likelihoods
   * @throws {RangeError} when the method does not apply to the model (e.g. `'exact'` on
   *   a model too large to enumerate, `'ais'` or `'pseudo'` with Gaussian visible units)
   * @throws {TypeError | ShapeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(3, 2, { rng: 1 }).scoreSamples([[1, 0, 1], [0, 1, 0]]).length; // 2 (exact: 2² hidden states)
   * ```
   */
  scoreSamples(data: DataInput, options?: RBMScoreOptions): Float64Array {
    const where = `${this.name}.scoreSamples`;
    const o = checkOptionsKeys(where, options, RBM_SCORE_KEYS);
    const m = checkBatch(where, 'data', data, this.nVisible, this.visibleUnits);
    const method = this.scoreMethod(where, o);
    if (method === 'exact') return rbmExactLogLikelihood(this, m);
    if (method === 'pseudo') return pseudoLikelihood(this, m, { exact: true });
    const ais = this.ais(where, m, o);
    const out = new Float64Array(m.rows);
    this.freeEnergyUnchecked(out, m.data, m.rows, this.hScratch(m.rows * this.nHidden));
    for (let r = 0; r < out.length; r++) out[r] = -out[r] - ais.logZ;
    return out;
  }

  /**
   * Mean log-likelihood per row (nats) with its interval and method. `'exact'`:
   * the interval is the point. `'ais'`: `mean = mean(−F(v) − log Ẑ)` (the mean of
   * {@link RBMBase.scoreSamples} with the same options), and
   * `[lower, upper]` the values at the ends of the ±3σ interval of `log Ẑ`
   * (`lower = mean − (log Z_upper − log Ẑ)`), with `logZ` and the effective sample
   * size `ess`. `'pseudo'`: the mean pseudo-log-likelihood (not a likelihood).
   *
   * @param data - rows `[n, nVisible]` (any {@link DataInput})
   * @param options - see {@link RBMScoreOptions}
   * @returns `{ mean, lower, upper, method, logZ?, ess? }`
   * @throws {RangeError | TypeError | ShapeError} as {@link RBMBase.scoreSamples}
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(3, 2, { rng: 1 });
   * rbm.score([[1, 0, 1], [0, 1, 0]]).method; // 'exact'
   * rbm.score([[1, 0, 1]], { method: 'ais', aisRuns: 20, aisBetas: 500 }).method; // 'ais'
   * ```
   */
  score(data: DataInput, options?: RBMScoreOptions): ScoreResult {
    const where = `${this.name}.score`;
    const o = checkOptionsKeys(where, options, RBM_SCORE_KEYS);
    const m = checkBatch(where, 'data', data, this.nVisible, this.visibleUnits);
    const method = this.scoreMethod(where, o);
    const mean = (x: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i];
      return s / x.length;
    };
    if (method === 'exact') {
      const logZ = rbmExactLogPartition(this);
      const ll = mean(rbmExactLogLikelihood(this, m, logZ));
      return { mean: ll, lower: ll, upper: ll, method, logZ };
    }
    if (method === 'pseudo') {
      const pl = mean(pseudoLikelihood(this, m, { exact: true }));
      return { mean: pl, lower: pl, upper: pl, method };
    }
    return rbmAISScore(this, m, this.ais(where, m, o));
  }

  /** The score method `options.method` resolves to for this model. */
  private scoreMethod(where: string, o: Partial<RBMScoreOptions>): 'exact' | 'ais' | 'pseudo' {
    const method = o.method === undefined ? 'auto' : checkOneOf(where, 'method', o.method, ['auto', 'exact', 'ais', 'bound', 'pseudo'] as const);
    if (o.aisRuns !== undefined) {
      // AIS keeps aisRuns visible and hidden states
      checkSize(where, 'aisRuns', o.aisRuns);
      checkElements(where, 'aisRuns × (nVisible + nHidden)', o.aisRuns, this.nVisible + this.nHidden);
    }
    if (o.aisBetas !== undefined) checkSize(where, 'aisBetas', o.aisBetas, 3, 'maxSteps');
    // the AIS options are checked whichever method runs (a bad one is refused, not ignored)
    if (o.aisBase instanceof Float64Array) checkVector(where, 'aisBase', o.aisBase, this.nVisible);
    else if (o.aisBase !== undefined) checkBatch(where, 'aisBase', o.aisBase, this.nVisible, this.visibleUnits);
    if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where);
    if (o.threads !== undefined) checkInt(where, 'threads', o.threads, 1, 64);
    const binary = this.visibleType === 'binary';
    const enumerated = binary ? Math.min(this.nVisible, this.nHidden) : this.nHidden;
    if (method === 'bound') throw new RangeError(`${where}: method 'bound' is for DBN and DBM; an RBM has 'exact', 'ais' and 'pseudo'`);
    if (method === 'auto') {
      if (enumerated <= RBM_EXACT_MAX_UNITS) return 'exact';
      if (!binary) {
        throw new RangeError(
          `${where}: the exact likelihood of Gaussian visible units enumerates the hidden layer (nHidden = ${this.nHidden} > ${RBM_EXACT_MAX_UNITS}) and AIS needs binary visible units; use method 'pseudo' on binary models or a smaller hidden layer`,
        );
      }
      return 'ais';
    }
    if (!binary && (method === 'ais' || method === 'pseudo')) {
      throw new RangeError(`${where}: method '${method}' needs binary visible units (got Gaussian visible units; use 'exact')`);
    }
    return method;
  }

  /** AIS estimate of log Z with the score options. */
  private ais(where: string, m: Matrix, o: Partial<RBMScoreOptions>): AISResult {
    let base: Float64Array | Matrix = m;
    if (o.aisBase instanceof Float64Array) base = o.aisBase;
    else if (o.aisBase !== undefined) base = checkBatch(where, 'aisBase', o.aisBase, this.nVisible, this.visibleUnits);
    return rbmAIS(this, {
      base,
      runs: o.aisRuns ?? 100,
      betas: o.aisBetas === undefined ? undefined : scaledSchedule(where, o.aisBetas),
      rng: this.generator(where, o.rng),
      threads: o.threads,
    });
  }

  /**
   * Hidden probabilities `P(h_j = 1 | v) = σ(c_j + (vᵀW)_j)` (the features).
   *
   * @param v - visible rows `[batch, nVisible]` (0/1 or in [0, 1]; any {@link DataInput})
   * @param out - optional `[batch, nHidden]` result
   * @returns `[batch, nHidden]` probabilities
   * @throws {ShapeError} when `v` has the wrong number of columns
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 3).hiddenProbs([[1, 0]]).cols; // 3
   * ```
   */
  hiddenProbs(v: DataInput, out?: Matrix): Matrix {
    const x = checkBatch(`${this.name}.hiddenProbs`, 'v', v, this.nVisible, this.visibleUnits);
    const o = checkOut(`${this.name}.hiddenProbs`, out, x.rows, this.nHidden, x) ?? { rows: x.rows, cols: this.nHidden, data: new Float64Array(x.rows * this.nHidden) };
    this.hiddenProbsUnchecked(o.data, x.data, x.rows);
    return o;
  }

  /**
   * Features for downstream models: the hidden probabilities `P(h = 1 | v)`
   * (the same as {@link RBMBase.hiddenProbs}, named as in scikit-learn).
   *
   * @param v - visible rows `[batch, nVisible]` (any {@link DataInput})
   * @returns `[batch, nHidden]` features
   * @throws {ShapeError | RangeError} as {@link RBMBase.hiddenProbs}
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 3).transform([[1, 0]]).cols; // 3
   * ```
   */
  transform(v: DataInput): Matrix {
    const x = checkBatch(`${this.name}.transform`, 'v', v, this.nVisible, this.visibleUnits);
    const o = { rows: x.rows, cols: this.nHidden, data: new Float64Array(x.rows * this.nHidden) };
    this.hiddenProbsUnchecked(o.data, x.data, x.rows);
    return o;
  }

  /**
   * Draws `h ~ P(h | v)` (0/1 values).
   *
   * @param v - visible rows `[batch, nVisible]` (any {@link DataInput})
   * @param rng - seed or generator; default: the model's stream, continued
   * @param out - optional `[batch, nHidden]` result
   * @returns `[batch, nHidden]` binary samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 3).sampleHidden([[1, 0]], 7).cols; // 3
   * ```
   */
  sampleHidden(v: DataInput, rng?: number | Random, out?: Matrix): Matrix {
    const x = checkBatch(`${this.name}.sampleHidden`, 'v', v, this.nVisible, this.visibleUnits);
    const o = checkOut(`${this.name}.sampleHidden`, out, x.rows, this.nHidden, x) ?? { rows: x.rows, cols: this.nHidden, data: new Float64Array(x.rows * this.nHidden) };
    const g = this.generator(`${this.name}.sampleHidden`, rng);
    this.hiddenProbsUnchecked(o.data, x.data, x.rows);
    const d = o.data;
    for (let i = 0; i < d.length; i++) d[i] = g.float64() < d[i] ? 1 : 0;
    return o;
  }

  /**
   * Free energy `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)` of each row, so that
   * `P(v) = exp(−F(v)) / Z`.
   *
   * @param v - `[batch, nVisible]` (any {@link DataInput})
   * @param out - optional result of length `batch`
   * @returns free energies, length `batch`
   * @throws {ShapeError | RangeError} on bad arguments
   * @throws {NumericalError} when a free energy leaves float64's range (parameters near ±1e308); `out` is left unchanged
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 1).freeEnergy([[1, 1]]).length; // 1
   * ```
   */
  freeEnergy(v: DataInput, out?: Float64Array): Float64Array {
    const x = checkBatch(`${this.name}.freeEnergy`, 'v', v, this.nVisible, this.visibleUnits);
    if (out !== undefined && (!(out instanceof Float64Array) || out.length !== x.rows)) {
      throw new ShapeError(`${this.name}.freeEnergy: out must be a Float64Array of length ${x.rows} (got ${describeValue(out)})`);
    }
    const f = new Float64Array(x.rows);
    this.freeEnergyUnchecked(f, x.data, x.rows, this.hScratch(x.rows * this.nHidden));
    for (let r = 0; r < f.length; r++) {
      if (!Number.isFinite(f[r])) {
        throw new NumericalError(
          `${this.name}.freeEnergy: F(v) of row ${r} is ${f[r]}: it leaves float64's range for these parameters (weights or biases near ±1e308)`,
        );
      }
    }
    if (out === undefined) return f;
    out.set(f);
    return out;
  }

  /**
   * Runs `steps` full Gibbs steps `v → h → v` from each row of `v` and returns the
   * final visible samples (0/1). With `clamp`, the masked visible units keep their
   * values from `v` throughout (conditional sampling, inpainting). The
   * fixed-start form of {@link RBMBase.sample}.
   *
   * @param v - starting visible rows `[batch, nVisible]` (any {@link DataInput}; not modified)
   * @param steps - number of Gibbs steps (integer ≥ 0)
   * @param rng - seed or generator; default: the model's stream, continued
   * @param options - see {@link RBMGibbsOptions}
   * @returns `[batch, nVisible]` visible state after `steps` steps
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * rbm.gibbs([[1, 1, 0, 0]], 10, 2, { clamp: Uint8Array.of(1, 1, 0, 0) }).data.slice(0, 2); // [1, 1]
   * ```
   */
  gibbs(v: DataInput, steps: number, rng?: number | Random, options?: RBMGibbsOptions): Matrix {
    const where = `${this.name}.gibbs`;
    const x = checkBatch(where, 'v', v, this.nVisible, this.visibleUnits);
    checkSteps(where, 'steps', steps);
    const o = checkOptionsKeys(where, options, RBM_GIBBS_KEYS);
    const mask = o.clamp === undefined ? undefined : checkMask(where, o.clamp, x.rows, this.nVisible);
    const meanField = o.meanField === undefined ? false : checkBoolean(where, 'meanField', o.meanField);
    const g = this.generator(where, rng);
    return this.runGibbs(new Float64Array(x.data), x.rows, steps, g, mask, meanField);
  }

  /** `steps` Gibbs steps on `cur` (`rows` rows, changed in place and returned as a Matrix). */
  private runGibbs(cur: Float64Array, rows: number, steps: number, g: Random, mask: Uint8Array | undefined, meanField: boolean): Matrix {
    const nV = this.nVisible, nH = this.nHidden;
    const mean = new Float64Array(rows * nV);
    const next = new Float64Array(rows * nV);
    const h = this.hScratch(rows * nH);
    for (let s = 0; s < steps; s++) {
      this.hiddenProbsUnchecked(h, cur, rows);
      for (let i = 0, e = rows * nH; i < e; i++) h[i] = g.float64() < h[i] ? 1 : 0;
      if (s === steps - 1 && meanField) this.visibleMeanUnchecked(next, h, rows, true);
      else this.sampleVisibleUnchecked(next, mean, h, rows, g);
      for (let i = 0, e = rows * nV; i < e; i++) {
        if (mask !== undefined && mask[mask.length === nV ? i % nV : i] !== 0) continue;
        cur[i] = next[i];
      }
    }
    return { rows, cols: nV, data: cur };
  }

  /**
   * Inpainting: fills the visible units where `known` is 0 by `steps` Gibbs steps
   * with the known units clamped, and returns the mean-field `P(v | h)` of the
   * last step for the unknown units (known units keep their values).
   *
   * @param v - `[batch, nVisible]` rows (any {@link DataInput}); the unknown entries are only used as the starting state
   * @param known - `Uint8Array` mask (length `nVisible` or `batch·nVisible`), 1 = known
   * @param steps - Gibbs steps (positive integer)
   * @param rng - seed or generator; default: the model's stream, continued
   * @returns `[batch, nVisible]` completed rows
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * rbm.inpaint([[1, 0, 0, 0]], Uint8Array.of(1, 1, 0, 0), 20, 3).cols; // 4
   * ```
   */
  inpaint(v: DataInput, known: Uint8Array, steps: number, rng?: number | Random): Matrix {
    checkSize(`${this.name}.inpaint`, 'steps', steps, 1, 'maxSteps');
    return this.gibbs(v, steps, rng, { clamp: known, meanField: true });
  }

  /**
   * Mean-field reconstruction `P(v | h = P(h | v))` (one deterministic up-down pass).
   *
   * @param v - `[batch, nVisible]` (any {@link DataInput})
   * @returns `[batch, nVisible]` reconstructed probabilities
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(3, 2).reconstruct([[1, 0, 1]]).cols; // 3
   * ```
   */
  reconstruct(v: DataInput): Matrix {
    const x = checkBatch(`${this.name}.reconstruct`, 'v', v, this.nVisible, this.visibleUnits);
    const h = this.hScratch(x.rows * this.nHidden);
    this.hiddenProbsUnchecked(h, x.data, x.rows);
    const out = { rows: x.rows, cols: this.nVisible, data: new Float64Array(x.rows * this.nVisible) };
    this.visibleMeanUnchecked(out.data, h, x.rows);
    return out;
  }

  /** Copies the generator state and parameters of `this` into `c` (for `clone`). */
  protected copyInto<T extends RBMBase>(c: T): T {
    c.weights.data.set(this.weights.data);
    c.visibleBias.set(this.visibleBias);
    c.hiddenBias.set(this.hiddenBias);
    c.random.setState(this.random.getState());
    return c;
  }
}

/** Splits fit options into the trainer's and the epoch loop's (undefined values dropped). */
/**
 * The recommended RBM recipe that {@link RBMBase.fit} uses when no `method` is
 * named (binary RBMs): persistent contrastive divergence (PCD-1, Tieleman 2008)
 * with `nChains` chains, `momentum`, mini-batches of `batchSize` rows (at most
 * `ceil(rows / 10)`, so small data sets still get ten updates per epoch) and a
 * learning rate decaying linearly from `learningRate` (or the numeric
 * `learningRate` option) to 0 over the fit's steps; a schedule function given as
 * `learningRate` is used as it is.
 * Unlike CD-1, whose negative phase never leaves the data, the persistent chains
 * visit the model's own modes, so no spurious mode (such as the blank image of an
 * MNIST RBM) can grow unseen; the decay to zero lets the parameters settle
 * instead of oscillating with the chains.
 *
 * @example
 * ```ts
 * import { RBM_RECIPE } from 'boltzmann';
 * RBM_RECIPE.nChains; // 100
 * ```
 * @category Models
 */
export const RBM_RECIPE: Readonly<{
  /** Initial learning rate (a numeric `learningRate` option replaces it), decaying linearly to 0 over the fit's steps. */
  learningRate: number;
  /** Momentum μ. */
  momentum: number;
  /** Persistent chains. */
  nChains: number;
  /** Mini-batch size (at most a tenth of the rows). */
  batchSize: number;
}> = Object.freeze({
  learningRate: 0.02,
  momentum: 0.5,
  nChains: 100,
  batchSize: 100,
});

/** The trainer options of {@link RBM_RECIPE} for `rows` rows and `epochs` epochs, under the options given. */
function withRecipe(given: RBMTrainerOptions, rows: number, epochs: number): RBMTrainerOptions {
  const batchSize = given.batchSize ?? Math.max(1, Math.min(RBM_RECIPE.batchSize, Math.ceil(rows / 10)));
  const total = epochs * Math.ceil(rows / batchSize);
  const lr0 = typeof given.learningRate === 'number' ? given.learningRate : RBM_RECIPE.learningRate;
  return {
    momentum: RBM_RECIPE.momentum,
    nChains: RBM_RECIPE.nChains,
    ...given,
    learningRate: typeof given.learningRate === 'function' ? given.learningRate : (_epoch: number, step: number) => lr0 * Math.max(0, 1 - step / total),
    batchSize,
  };
}

function splitFitOptions(o: Partial<RBMFitOptions>): [RBMTrainerOptions, Partial<RBMTrainerFitOptions>] {
  const trainer: Record<string, unknown> = {};
  const fit: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    if ((RBM_TRAINER_KEYS as readonly string[]).includes(key)) trainer[key] = value;
    else if ((RBM_TRAINER_FIT_KEYS as readonly string[]).includes(key)) fit[key] = value;
  }
  return [trainer as RBMTrainerOptions, fit as Partial<RBMTrainerFitOptions>];
}

/**
 * A binary restricted Boltzmann machine (0/1 visible and hidden units).
 *
 * @example
 * ```ts
 * import { RBM } from 'boltzmann';
 * const data = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1, data });
 * rbm.fit(data, { epochs: 50, learningRate: 0.1, batchSize: 2 });
 * rbm.sample(3, { steps: 200 }).rows;    // 3
 * rbm.score(data).mean;                  // exact mean log-likelihood (nats)
 * rbm.transform(data).cols;              // 2
 * const back = RBM.fromDocument(JSON.parse(JSON.stringify(rbm.toDocument())));
 * back.score(data).mean === rbm.score(data).mean; // true
 * ```
 * @category Models
 */
export class RBM extends RBMBase {
  /** Always `'binary'`. */
  readonly visibleType = 'binary' as const;
  /** Always `'rbm'`. */
  readonly kind: string = 'rbm';
  /** Class name for error messages. */
  protected readonly name: string = 'RBM';

  /**
   * Creates an RBM with small Gaussian weights (σ = `weightStd`), zero hidden
   * biases, and visible biases from the data's means when `data` is given.
   *
   * @param nVisible - number of visible units (positive integer)
   * @param nHidden - number of hidden units (positive integer)
   * @param options - see {@link RBMOptions}
   * @throws {RangeError} on a non-positive size or a bad `weightStd`
   * @throws {TypeError} on an unknown option (naming the closest valid one)
   * @throws {ShapeError} when `data` does not have `nVisible` columns
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(784, 500, { rng: 42 });
   * rbm.weights.rows; // 784
   * ```
   */
  constructor(nVisible: number, nHidden: number, options?: RBMOptions) {
    const o = checkOptionsKeys('RBM', options, RBM_KEYS);
    const data = o.data === undefined ? undefined : checkBatch('RBM', 'data', o.data, nVisible, 'unit');
    super('RBM', nVisible, nHidden, o.weightStd === undefined ? 0.01 : o.weightStd, o.rng === undefined ? 0 : o.rng);
    if (data !== undefined) logitMeans(this.visibleBias, data);
  }

  /**
   * The parameter arrays `[weights.data, visibleBias, hiddenBias]` (by reference).
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const [w, b, c] = new RBM(4, 3).parameterArrays();
   * [w.length, b.length, c.length]; // [12, 4, 3]
   * ```
   */
  parameterArrays(): Float64Array[] {
    return [this.weights.data, this.visibleBias, this.hiddenBias];
  }

  /**
   * Unchecked `out = σ(vW + c)` for `rows` rows (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * const p = new Float64Array(3);
   * rbm.hiddenProbsUnchecked(p, Float64Array.of(1, 0, 1, 0), 1); // p = P(h = 1 | v)
   * ```
   */
  hiddenProbsUnchecked(out: Float64Array, v: Float64Array, rows: number, binaryHint = false): void {
    visibleToHidden(out, v, rows, this.weights.data, this.hiddenBias, this.nVisible, this.nHidden, binaryHint);
    sigmoidRows(out, rows * this.nHidden);
  }

  /**
   * Unchecked `out = σ(hWᵀ + b)` for `rows` rows (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * const mean = new Float64Array(4);
   * rbm.visibleMeanUnchecked(mean, Float64Array.of(1, 0, 1), 1); // mean = P(v = 1 | h)
   * ```
   */
  visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint = false): void {
    hiddenToVisible(out, h, rows, this.weights.data, this.visibleBias, this.nVisible, this.nHidden, binaryHint);
    sigmoidRows(out, rows * this.nVisible);
  }

  /**
   * Unchecked Bernoulli draw of the visible units given `h` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { RBM, Random } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * const v = new Float64Array(4), mean = new Float64Array(4);
   * rbm.sampleVisibleUnchecked(v, mean, Float64Array.of(1, 0, 1), 1, new Random(2)); // v ~ P(v | h), 0/1
   * ```
   */
  sampleVisibleUnchecked(out: Float64Array, mean: Float64Array, h: Float64Array, rows: number, rng: Random): void {
    this.visibleMeanUnchecked(mean, h, rows, true);
    bernoulliDraws(out, mean, rows * this.nVisible, rng);
  }

  /**
   * Unchecked sufficient statistics `scale·(vᵀp, Σv, Σp)` added to `grads` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * const grads = rbm.parameterArrays().map((a) => new Float64Array(a.length));
   * const v = Float64Array.of(1, 0, 1, 0), p = new Float64Array(3);
   * rbm.hiddenProbsUnchecked(p, v, 1);
   * rbm.accumulateStatistics(grads, 1, v, p, 1); // the positive phase of CD
   * ```
   */
  accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint = false, overwriteWeights = false): void {
    const nV = this.nVisible, nH = this.nHidden;
    accumulateOuter(grads[0], scale, v, p, rows, nV, nH, overwriteWeights ? 0 : 1, binaryHint);
    // branch-free: a zero term adds ±0, which leaves every value as it is (gb never holds −0: it
    // starts at +0, and a sum of non-zero terms is never −0), so the bits are those of skipping it,
    // without a mispredicted branch per unit of a sparse 0/1 row
    addScaledRowSums(grads[1], scale, v, rows, nV);
    addScaledRowSums(grads[2], scale, p, rows, nH);
  }

  /**
   * Unchecked free energies of `rows` rows of `v` into `out`; `scratch` holds `rows·nHidden`.
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3);
   * const f = new Float64Array(1);
   * rbm.freeEnergyUnchecked(f, Float64Array.of(1, 0, 1, 0), 1, new Float64Array(3)); // f[0] = F(v)
   * ```
   */
  freeEnergyUnchecked(out: Float64Array, v: Float64Array, rows: number, scratch: Float64Array): void {
    const nV = this.nVisible, nH = this.nHidden, b = this.visibleBias;
    visibleToHidden(scratch, v, rows, this.weights.data, this.hiddenBias, nV, nH);
    for (let r = 0; r < rows; r++) {
      let f = 0;
      const ov = r * nV, oh = r * nH;
      for (let i = 0; i < nV; i++) f -= b[i] * v[ov + i];
      out[r] = f - softplusSum(scratch, oh, nH);
    }
  }

  /**
   * Unchecked `out[r] = −cᵀh_r − Σ_i softplus(b_i + (W h_r)_i)` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(4, 3);
   * const f = new Float64Array(1);
   * rbm.hiddenFreeEnergyUnchecked(f, Float64Array.of(1, 0, 1), 1, new Float64Array(4)); // f[0] = F_h(h)
   * ```
   */
  hiddenFreeEnergyUnchecked(out: Float64Array, h: Float64Array, rows: number, scratch: Float64Array): void {
    const nV = this.nVisible, nH = this.nHidden, c = this.hiddenBias;
    hiddenToVisible(scratch, h, rows, this.weights.data, this.visibleBias, nV, nH);
    for (let r = 0; r < rows; r++) {
      let f = 0;
      const ov = r * nV, oh = r * nH;
      for (let j = 0; j < nH; j++) f -= c[j] * h[oh + j];
      out[r] = f - softplusSum(scratch, ov, nV);
    }
  }

  /**
   * Visible probabilities `P(v_i = 1 | h) = σ(b_i + (W h)_i)`.
   *
   * @param h - hidden rows `[batch, nHidden]` (any {@link DataInput})
   * @param out - optional `[batch, nVisible]` result
   * @returns `[batch, nVisible]` probabilities
   * @throws {ShapeError} when `h` has the wrong number of columns
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 3).visibleProbs([[1, 0, 1]]).cols; // 2
   * ```
   */
  visibleProbs(h: DataInput, out?: Matrix): Matrix {
    const x = checkBatch(`${this.name}.visibleProbs`, 'h', h, this.nHidden, 'unit');
    const o = checkOut(`${this.name}.visibleProbs`, out, x.rows, this.nVisible, x) ?? { rows: x.rows, cols: this.nVisible, data: new Float64Array(x.rows * this.nVisible) };
    this.visibleMeanUnchecked(o.data, x.data, x.rows);
    return o;
  }

  /**
   * Draws `v ~ P(v | h)` (0/1 values).
   *
   * @param h - hidden rows `[batch, nHidden]` (any {@link DataInput})
   * @param rng - seed or generator; default: the model's stream, continued
   * @param out - optional `[batch, nVisible]` result
   * @returns `[batch, nVisible]` binary samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 3).sampleVisible([[1, 0, 1]], 7).cols; // 2
   * ```
   */
  sampleVisible(h: DataInput, rng?: number | Random, out?: Matrix): Matrix {
    const where = `${this.name}.sampleVisible`;
    const x = checkBatch(where, 'h', h, this.nHidden, 'unit');
    const o = checkOut(where, out, x.rows, this.nVisible, x) ?? { rows: x.rows, cols: this.nVisible, data: new Float64Array(x.rows * this.nVisible) };
    const g = this.generator(where, rng);
    const d = o.data;
    this.visibleMeanUnchecked(d, x.data, x.rows);
    for (let i = 0; i < d.length; i++) d[i] = g.float64() < d[i] ? 1 : 0;
    return o;
  }

  /**
   * Joint energy `E(v, h) = −vᵀWh − bᵀv − cᵀh` of each row pair.
   *
   * @param v - `[batch, nVisible]` (any {@link DataInput})
   * @param h - `[batch, nHidden]` (any {@link DataInput})
   * @returns energies, length `batch`
   * @throws {ShapeError} when the shapes disagree
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 1).energy([[0, 0]], [[0]])[0]; // 0 (all units off)
   * ```
   */
  energy(v: DataInput, h: DataInput): Float64Array {
    const vm = checkBatch(`${this.name}.energy`, 'v', v, this.nVisible, 'unit');
    const hm = checkBatch(`${this.name}.energy`, 'h', h, this.nHidden, 'unit');
    if (hm.rows !== vm.rows) throw new ShapeError(`RBM.energy: h must have ${vm.rows} rows like v (got ${hm.rows})`);
    const nV = this.nVisible, nH = this.nHidden;
    const act = new Float64Array(vm.rows * nH);
    visibleToHidden(act, vm.data, vm.rows, this.weights.data, this.hiddenBias, nV, nH);
    const out = new Float64Array(vm.rows);
    for (let r = 0; r < vm.rows; r++) {
      let e = 0;
      for (let i = 0; i < nV; i++) e -= this.visibleBias[i] * vm.data[r * nV + i];
      for (let j = 0; j < nH; j++) e -= act[r * nH + j] * hm.data[r * nH + j];
      out[r] = e;
    }
    return out;
  }

  /**
   * Sets the visible biases to `log(p/(1−p))` of the data's column means, with `p`
   * clipped to `[clip, 1 − clip]` (Hinton's practical guide).
   *
   * @param data - `[n, nVisible]` training rows (any {@link DataInput})
   * @param clip - probability clip (default `0.001`)
   * @returns `this`
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * new RBM(2, 1).initVisibleBias([[1, 0], [1, 1]]).visibleBias[1]; // 0
   * ```
   */
  initVisibleBias(data: DataInput, clip = VISIBLE_BIAS_CLIP): this {
    const m = checkBatch('RBM.initVisibleBias', 'data', data, this.nVisible, 'unit');
    checkPositive('RBM.initVisibleBias', 'clip', clip);
    if (clip >= 0.5) throw new RangeError(`RBM.initVisibleBias: clip must be in (0, 0.5) (got ${clip})`);
    logitMeans(this.visibleBias, m, clip);
    return this;
  }

  /**
   * A deep copy: the parameters and the state of the generator stream (so the
   * copy draws what the original would draw next); no trainer.
   *
   * @returns a new RBM with the same parameters
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const a = new RBM(3, 2, { rng: 5 });
   * a.clone().weights.data[0] === a.weights.data[0]; // true
   * ```
   */
  clone(): RBM {
    return this.copyInto(new RBM(this.nVisible, this.nHidden, { weightStd: 1 }));
  }

  /**
   * Saves the model as a versioned JSON document (kind `'rbm'`). A trainer passes
   * its state (persistent chains, momentum, generator) as `training`, so that
   * training resumes bit-exactly from the document.
   *
   * @param training - optional training state stored under `state.training`
   * @returns the document
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const doc = new RBM(3, 2).toDocument();
   * RBM.fromDocument(JSON.parse(JSON.stringify(doc))).nHidden; // 2
   * ```
   */
  toDocument(training?: JsonObject): ModelDocument {
    const doc: ModelDocument = {
      format: 'boltzmann',
      version: 1,
      kind: 'rbm',
      config: { nVisible: this.nVisible, nHidden: this.nHidden, ...this.documentConfig() },
      tensors: {
        weights: tensorToJson({ shape: [this.nVisible, this.nHidden], data: this.weights.data }),
        visibleBias: tensorToJson({ shape: [this.nVisible], data: this.visibleBias }),
        hiddenBias: tensorToJson({ shape: [this.nHidden], data: this.hiddenBias }),
      },
    };
    doc.state = modelState(this.random, training);
    return doc;
  }

  /**
   * Loads a model saved by {@link RBM.toDocument} (the training state, if any,
   * is read by {@link RBMTrainer.fromDocument}). The loaded model's stream
   * ({@link RBMBase.random}) continues the saved one (`state.rng`), so the copy
   * samples what the saved model would have; a document without it (written
   * before) starts from seed `0`.
   *
   * @param doc - parsed JSON
   * @returns the model
   * @throws {FormatError} when the document is malformed or of another kind
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * RBM.fromDocument(new RBM(4, 3).toDocument()).nVisible; // 4
   * ```
   */
  static fromDocument(doc: unknown): RBM {
    const d = checkDocument(doc, 'rbm');
    for (const [key, cls] of [['upScale', 'ScaledRBM'], ['downScale', 'ScaledRBM'], ['nLabels', 'LabelledRBM']] as const) {
      if (key in d.config) throw new FormatError(`load rbm: config.${key} makes this a ${cls} document; load it with ${cls}.fromDocument`);
    }
    const { nVisible, nHidden } = readSizes(d);
    return readRBMTensors(d, new RBM(nVisible, nHidden, { weightStd: 1 }));
  }

  /** What a subclass adds to the document's config (its constructor's other arguments). */
  protected documentConfig(): JsonObject {
    return {};
  }
}

/** @internal Reads an `'rbm'` document's three tensors into `rbm` (sized from its config); returns it. */
export function readRBMTensors<T extends RBM>(d: ModelDocument, rbm: T): T {
  const w = readTensor(d, 'weights', [rbm.nVisible, rbm.nHidden]);
  const b = readTensor(d, 'visibleBias', [rbm.nVisible]);
  const c = readTensor(d, 'hiddenBias', [rbm.nHidden]);
  rbm.weights.data.set(w.data);
  rbm.visibleBias.set(b.data);
  rbm.hiddenBias.set(c.data);
  restoreModelRandom(`load ${d.kind}`, d, rbm.random);
  return rbm;
}

/** @internal Reads `nVisible`/`nHidden` from a document's config. */
export function readSizes(d: ModelDocument): { nVisible: number; nHidden: number } {
  const nVisible = d.config.nVisible;
  const nHidden = d.config.nHidden;
  for (const [name, v] of [['nVisible', nVisible], ['nHidden', nHidden]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1e8) {
      throw new FormatError(`load ${d.kind}: config.${name} must be a positive integer (got ${describeValue(v)})`);
    }
  }
  return { nVisible: nVisible as number, nHidden: nHidden as number };
}
