/**
 * The one contract every trainable model family implements: `fit`,
 * `partialFit`, `sample`, `scoreSamples`, `score`, `transform` (where the model
 * has hidden features), `toDocument`, `clone`, and a static `fromDocument`.
 * Trainers implement {@link Trainer}: they own the generator, persistent chains
 * and optimiser state; a model holds its parameters and one generator stream
 * for its own stochastic methods (`sample`, AIS in `score`).
 * @module
 */
import type { ModelDocument } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random/random.js';
import type { DataInput } from '../validate.js';

export type { DataInput, NumericArray, ShapedArray } from '../validate.js';

/**
 * Metrics reported after every epoch by every trainer. The common fields are
 * always set; the others are set by the families that compute them (e.g. the
 * RBM trainers report `reconstructionError`, `pseudoLikelihood` and the free
 * energies; an enumerable model may report its exact `logLikelihood`).
 * @category Models
 */
export interface EpochMetrics {
  /** Epoch index within its stage, 0-based. */
  epoch: number;
  /** Total number of updates so far (in this stage). */
  steps: number;
  /** Learning rate used in this epoch's last step (NaN when the method has none). */
  learningRate: number;
  /** Seconds spent in this epoch's updates. */
  seconds: number;
  /** Stage of a multi-stage fit, e.g. `'layer 0'` (DBN), `'pretrain 1'` or `'joint'` (DBM); absent for one-stage fits. */
  stage?: string;
  /** The trainer's own objective for this epoch, when it has one (lower is better). */
  loss?: number;
  /** Mean squared reconstruction error per sample on a fixed training subset. */
  reconstructionError?: number;
  /** Mean free energy of the training subset. */
  trainFreeEnergy?: number;
  /** Mean pseudo-log-likelihood (nats per sample) of the validation data, or of the training subset. */
  pseudoLikelihood?: number;
  /** Mean free energy of the validation data (NaN without validation data). */
  validationFreeEnergy?: number;
  /** `validationFreeEnergy − trainFreeEnergy` (NaN without validation data). */
  freeEnergyGap?: number;
  /** Exact mean log-likelihood of the training data (nats), for models small enough to enumerate. */
  logLikelihood?: number;
  /**
   * The spurious-mode monitor (binary RBMs): a certified lower bound on log Z,
   * `log Σ_{v ∈ S} e^{−F(v)}` over the distinct states S = the blank image, the
   * monitored rows and the persistent chains' states (see `rbmLogZLowerBound`);
   * for DBM joint training with `validation`, `log Σ_{v ∈ S} e^{B(v)}` with the
   * mean-field bound `B(v)` and the fantasy particles as chains (see `dbmLogZLowerBound`).
   */
  logZLowerBound?: number;
  /**
   * `mean(−F(v)) − logZLowerBound` over the validation rows (or the monitored
   * training rows): an upper bound on their mean log-likelihood (nats) that needs
   * no sampling theory. It falls when a mode the data never visit grows.
   */
  logLikelihoodUpperBound?: number;
  /**
   * DBM joint training with `validation`: `mean B(v) − logZLowerBound` over the validation
   * rows, `B(v)` the mean-field bound on `log Σ_h e^{−E(v, h)}`: an upper bound on their mean
   * variational lower bound (nats) that needs no sampling theory.
   */
  boundCeiling?: number;
  /** Set when the monitor sees trouble, e.g. the upper bound falling while pseudo-likelihood rises. */
  warning?: string;
  /** Fraction of the stored patterns that are fixed points of the deterministic dynamics (Hopfield contrastive training). */
  stableFraction?: number;
  /** Mean overlap `ξ·y/N` reached by evolution from each clean stored pattern (Hopfield contrastive training). */
  meanOverlap?: number;
  /** (pattern, valley) pairs that differed and so changed the weights in this epoch (Hopfield contrastive training). */
  changedPairs?: number;
  /** Mean number of mean-field sweeps per mini-batch (DBM joint training). */
  meanFieldIterations?: number;
  /** DBM joint training with tempered transitions: the fraction of the epoch's moves accepted. */
  temperedAcceptance?: number;
}

/** What every `fit` returns.
 * @category Models
 */
export interface FitResult {
  /** Metrics of every epoch, in order (empty when metrics are off). */
  history: EpochMetrics[];
  /** Epochs completed (over all stages). */
  epochs: number;
  /** True when an AbortSignal stopped training. */
  aborted: boolean;
}

/** Options every `fit` accepts; each family adds its own (method, learning rate, ...).
 * @category Models
 */
export interface BaseFitOptions {
  /** Number of epochs (passes over the data). */
  epochs?: number;
  /** Called after every epoch with its metrics; return `false` to stop early. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops training after the current step when aborted. */
  signal?: AbortSignal;
}

/**
 * How a score was obtained:
 * - `'exact'`: by enumeration (the interval is the point);
 * - `'ais'`: annealed importance sampling of log Z, interval ±3σ of its estimate;
 * - `'bound'`: a documented lower bound (DBN, DBM: variational bound with AIS log Z);
 * - `'pseudo'`: mean pseudo-log-likelihood (not a likelihood; no interval).
 * @category Models
 */
export type ScoreMethod = 'exact' | 'ais' | 'bound' | 'pseudo';

/** Options of `score` / `scoreSamples`.
 * @category Models
 */
export interface ScoreOptions {
  /** `'auto'` (default): exact where enumeration fits, else the family's estimator. */
  method?: 'auto' | ScoreMethod;
  /** AIS runs (default 100). */
  aisRuns?: number;
  /** AIS inverse temperatures (default: Salakhutdinov & Murray's 14 500-β schedule). */
  aisBetas?: number;
}

/** What every `score` returns: the mean log-likelihood per row (nats) with its interval.
 * @category Models
 */
export interface ScoreResult {
  /** Mean log-likelihood per row, in nats. */
  mean: number;
  /** Lower end of the interval (equal to `mean` for exact scores). */
  lower: number;
  /** Upper end of the interval (equal to `mean` for exact scores). With AIS it is `+Infinity` when the lower end of the ±3σ interval of `Ẑ` reaches 0 (too few effective runs to bound `log Z` from below); `mean + logZ − logZLowerBound` then still bounds the score. */
  upper: number;
  /** How it was computed. */
  method: ScoreMethod;
  /** The log partition function used, when one was (nats). */
  logZ?: number;
  /** Effective sample size of the AIS weights, when AIS was used. */
  ess?: number;
  /**
   * With AIS: a certified lower bound on `log Z` that needs no sampling theory,
   * `log Σ_v e^{−F(v)}` (RBM) or `log Σ_v e^{B(v)}` (DBM, `B(v) = −E_q[E(v, h)] + H(q)`,
   * the mean-field lower bound on `log Σ_h e^{−E(v, h)}`) over the distinct scored
   * rows and the blank image. The true mean log-likelihood (DBM: the true bound) is
   * at most `mean + logZ − logZLowerBound`, whatever AIS says.
   */
  logZLowerBound?: number;
  /**
   * Set when AIS's whole ±3σ interval of `log Z` lies below `logZLowerBound`:
   * AIS certainly missed probability mass (a mode its runs never reached, such as
   * the blank image of a CD-trained model), so `mean`, `lower` and `upper` are too high.
   */
  warning?: string;
}

/** Options every `sample` accepts; families add conditioning, clamping and labels.
 * @category Models
 */
export interface BaseSampleOptions {
  /** Gibbs sweeps / steps before the returned state (burn-in). */
  steps?: number;
}

/**
 * The model contract. `FitOpts`, `SampleOpts` and `ScoreOpts` are the family's
 * option types; every method checks its options and refuses unknown keys.
 * @category Models
 */
export interface Model<FitOpts extends BaseFitOptions = BaseFitOptions, SampleOpts = BaseSampleOptions, ScoreOpts = ScoreOptions> {
  /** The document kind, e.g. `'rbm'`. */
  readonly kind: string;
  /** The model's own generator stream (seeded at construction; calls continue it). */
  readonly random: Random;
  /** Trains on `data` (rows are samples) for `options.epochs` epochs. */
  fit(data: DataInput, options?: FitOpts): FitResult;
  /** One pass of updates over `batch`, continuing the optimiser state of earlier calls. */
  partialFit(batch: DataInput, options?: FitOpts): FitResult;
  /** `n` samples of the visible units, one per row. */
  sample(n: number, options?: SampleOpts): Matrix;
  /** Per-row log-likelihood (nats) of `data`. */
  scoreSamples(data: DataInput, options?: ScoreOpts): Float64Array;
  /** Mean log-likelihood of `data` with its interval and method. */
  score(data: DataInput, options?: ScoreOpts): ScoreResult;
  /** The versioned JSON document (see {@link ModelDocument}). */
  toDocument(): ModelDocument;
}

/**
 * The step-level training API behind `fit`. A trainer owns its generator,
 * persistent chains and optimiser state; `toDocument` saves the model with that
 * state so training resumes bit-exactly.
 * @category Models
 */
export interface Trainer<M> {
  /** The model being trained (its parameters change in place). */
  readonly model: M;
  /** Epochs completed. */
  readonly epoch: number;
  /** Updates made. */
  readonly steps: number;
  /** One update from one mini-batch. */
  step(batch: Matrix): unknown;
  /** Whole epochs over `data`. */
  fit(data: Matrix, options?: BaseFitOptions): FitResult;
  /** The model's document with the trainer's state. */
  toDocument(): ModelDocument;
}
