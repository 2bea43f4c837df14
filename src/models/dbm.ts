/**
 * Deep Boltzmann machine (Salakhutdinov & Hinton 2009) with binary (0/1) units:
 * a visible layer `x₀ = v` and 2 or 3 hidden layers `x₁ … x_L`, undirected,
 * connections only between adjacent layers.
 *
 * Energy `E(x) = −Σ_l x_{l−1}ᵀ W_l x_l − Σ_l b_lᵀ x_l` with `W_l` of shape
 * `[n_{l−1}, n_l]` (`weights[l−1]`) and `b_l` = `biases[l]` (`biases[0]` is the
 * visible bias). Each layer's conditional given its neighbours is factorial:
 * `P(x_l,j = 1 | x_{l−1}, x_{l+1}) = σ(b_l,j + (x_{l−1}ᵀW_l)_j + (W_{l+1}x_{l+1})_j)`,
 * so the odd layers are independent given the even layers and vice versa:
 * block Gibbs sampling alternates the two halves.
 *
 * Data-dependent statistics use mean-field fixed-point updates
 * `μ_l ← σ(b_l + μ_{l−1}ᵀW_l + W_{l+1}μ_{l+1})` started from a bottom-up pass
 * with doubled weights (every layer but the top lacks its top-down input).
 * `fit` runs greedy pretraining ({@link pretrainDBM}) and joint training
 * ({@link DBMTrainer}); `score` is exact for small models (`dbm-exact.ts`),
 * otherwise the variational lower bound with AIS `log Z` (`dbm-ais.ts`).
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { checkDocument, type JsonObject, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { gemmSparseA, getKernel } from '../linalg/kernel.js';
import { sigmoidBernoulli } from '../linalg/wasm/gather.js';
import { type Matrix, rowsView } from '../linalg/matrix.js';
import { sigmoid } from '../linalg/stable.js';
import { log } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { checkAbortSignal, checkCallback } from '../train/checks.js';
import { checkDBMTrainerOptions, checkLearningRateStart, checkValidationRows, DBMTrainer, type DBMTrainerOptions } from '../train/dbm-trainer.js';
import { pretrainDBM } from '../train/pretrain-dbm.js';
import type { RBMTrainerOptions } from '../train/rbm-trainer.js';
import {
  checkBoolean,
  checkElements,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkPositiveInt,
  checkSize,
  checkSteps,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import type { BaseFitOptions, BaseSampleOptions, EpochMetrics, FitResult, Model, ScoreOptions, ScoreResult } from './contract.js';
import { dbmAIS, dbmHiddenBaseRates, dbmLogZFloorFrom, dbmVariationalBound } from './dbm-ais.js';
import { aisBelowFloor } from './rbm-log-z-bound.js';
import { dbmExactLogLikelihood, dbmExactLogPartition, dbmExactSize, DBM_EXACT_MAX_UNITS } from './dbm-exact.js';
import { checkBatch, logitMeans } from './rbm.js';
import { aisSchedule, aisScheduleOfLength } from './rbm-ais.js';
import { sigmoidRows } from './rbm-products.js';

/** Options of the {@link DBM} constructor.
 * @category Models
 */
export interface DBMOptions {
  /** Seed or generator: the initial weights, then the model's own stream ({@link DBM.random}). Default seed `0`. */
  rng?: number | Random;
  /** Standard deviation of the initial Gaussian weights. Default `0.01`. */
  weightStd?: number;
  /** Training rows `[n, nVisible]` whose clipped column means set the visible bias to their logits. */
  data?: DataInput;
}

const DBM_KEYS = optionKeys<DBMOptions>()({ rng: true, weightStd: true, data: true });

/** Options of {@link DBM.meanField} and of everything that runs mean-field inference.
 * @category Models
 */
export interface MeanFieldOptions {
  /** Most fixed-point sweeps. Default `30`. */
  maxIterations?: number;
  /** Stop when no posterior mean moves by more than this in a sweep. Default `1e-6`. */
  tolerance?: number;
}

const MEAN_FIELD_KEYS = optionKeys<MeanFieldOptions>()({ maxIterations: true, tolerance: true });

/** Options of {@link DBM.transform}: which layers, and the mean-field settings.
 * @category Models
 */
export interface DBMTransformOptions extends MeanFieldOptions {
  /** `'all'` (default): every hidden layer's means, concatenated; `'top'`: the top layer's. */
  layers?: 'all' | 'top';
}

const TRANSFORM_KEYS = optionKeys<DBMTransformOptions>()({ maxIterations: true, tolerance: true, layers: true });

/** Options of {@link DBM.sample}.
 * @category Models
 */
export interface DBMSampleOptions extends BaseSampleOptions {
  /** Alternating (odd, even) Gibbs sweeps. Default `1000`. */
  steps?: number;
  /** Starting visible rows `[n, nVisible]` (default: Bernoulli(σ(visible bias))). */
  init?: DataInput;
  /** Return `P(v | x₁)` of the last sweep instead of a binary sample. Default `true`. */
  meanField?: boolean;
  /** Seed or generator for this call only (default: continue the model's stream {@link DBM.random}). */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<DBMSampleOptions>()({ steps: true, init: true, meanField: true, rng: true });

/**
 * Options of {@link DBM.fit} and {@link DBM.partialFit}: the joint trainer's
 * hyperparameters ({@link DBMTrainerOptions}), the pretraining settings and the
 * common fit options.
 * @category Models
 */
export interface DBMFitOptions extends BaseFitOptions, DBMTrainerOptions {
  /** Joint-training epochs. Default `10`. */
  epochs?: number;
  /**
   * Greedy pretraining before joint training ({@link pretrainDBM}): `true`
   * (default, 10 epochs per RBM), `false`, or the epochs per RBM (one number or
   * one per weight matrix). Ignored by `partialFit`.
   */
  pretrain?: boolean | number | readonly number[];
  /** Options of the pretraining RBM trainers (one for all, or one per weight matrix); `rng` comes from the fit's generator. */
  pretrainTrainer?: RBMTrainerOptions | readonly RBMTrainerOptions[];
  /** Worker threads for the linear algebra (see `withThreads`). */
  threads?: number;
  /** Binary rows for joint training's spurious-mode monitor (see `DBMTrainerFitOptions.validation`): `logZLowerBound`, `boundCeiling` and `warning` in each joint epoch's metrics. */
  validation?: DataInput;
}

const FIT_KEYS = optionKeys<DBMFitOptions>()({
  validation: true,
  temperedTransitions: true,
  epochs: true,
  onEpoch: true,
  signal: true,
  pretrain: true,
  pretrainTrainer: true,
  threads: true,
  learningRate: true,
  decay: true,
  momentum: true,
  weightDecay: true,
  batchSize: true,
  nChains: true,
  gibbsSteps: true,
  meanField: true,
  rng: true,
});

/** Options of {@link DBM.score} and {@link DBM.scoreSamples}.
 * @category Models
 */
export interface DBMScoreOptions extends ScoreOptions {
  /** `'auto'` (default: `'exact'` while the smaller hidden parity has at most {@link DBM_EXACT_MAX_UNITS} units, else `'bound'`), `'exact'` or `'bound'`. */
  method?: 'auto' | 'exact' | 'bound';
  /**
   * AIS base-rate model of `'bound'`: rows whose clipped column means give its visible biases
   * (e.g. the training data), or the biases themselves. Default: the scored data.
   */
  aisBase?: DataInput | Float64Array;
  /**
   * The AIS base model's hidden layers: `'data'` (default where the base is given by rows) at the
   * mean-field rates of those rows (up to their first 10 000; {@link dbmHiddenBaseRates}), or
   * `'uniform'`. With uniform hidden layers AIS can miss most of a joint-trained DBM's mass (MNIST:
   * ESS 1 and an estimate under the certified floor, where the data rates gave ESS 68 from the same
   * 100 runs). A base given as visible biases always has uniform hidden layers.
   */
  aisHiddenBase?: 'data' | 'uniform';
  /** Seed or generator for AIS. Default: the model's stream ({@link DBM.random}), continued. */
  rng?: number | Random;
}

const SCORE_KEYS = optionKeys<DBMScoreOptions>()({ method: true, aisRuns: true, aisBetas: true, aisBase: true, aisHiddenBase: true, rng: true });

/**
 * The β schedule of `count` steps in Salakhutdinov & Murray's proportions
 * (500 : 4 000 : 10 000 over [0, 0.5), [0.5, 0.9), [0.9, 1]); the default
 * (undefined) is their full 14 500-step schedule.
 */
function aisBetas(where: string, count: number | undefined): Float64Array {
  if (count === undefined) return aisSchedule();
  return aisScheduleOfLength(checkSize(where, 'aisBetas', count, 3, 'maxSteps'));
}

/** `onEpoch`, `signal` and `threads` of `fit` and `partialFit`, checked before anything is drawn. */
function checkLoopOptions(where: string, o: { onEpoch?: unknown; signal?: unknown; threads?: unknown; rng?: unknown }): void {
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
  if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
  if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng as number, where);
}

/** @internal Checks a `[rows ≥ 1, cols]` batch of values in [0, 1] (every DBM unit is binary). */
function checkRows(where: string, name: string, m: unknown, cols: number): Matrix {
  return checkBatch(where, name, m, cols, 'unit');
}

/** @internal Reads and checks mean-field options. */
export function readMeanField(where: string, options: MeanFieldOptions | undefined): { maxIterations: number; tolerance: number } {
  const o = checkOptionsKeys(where, options, MEAN_FIELD_KEYS);
  return {
    maxIterations: o.maxIterations === undefined ? 30 : checkSize(where, 'maxIterations', o.maxIterations, 1, 'maxSteps'),
    tolerance: o.tolerance === undefined ? 1e-6 : checkNonNegative(where, 'tolerance', o.tolerance),
  };
}

/**
 * A deep Boltzmann machine with binary units and 2 or 3 hidden layers.
 *
 * @example
 * ```ts
 * import { DBM, fromArrays } from 'boltzmann';
 * const data = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const dbm = new DBM([4, 3, 2], { rng: 1 });
 * dbm.fit(data, { epochs: 5, pretrain: 5, batchSize: 2, nChains: 4 });
 * dbm.sample(2, { steps: 10 }).rows; // 2
 * dbm.score(data).method; // 'exact' (small enough to enumerate)
 * dbm.transform(data).cols; // 5
 * ```
 * @category Models
 */
export class DBM implements Model<DBMFitOptions, DBMSampleOptions, DBMScoreOptions> {
  /** The document kind. */
  readonly kind = 'dbm';
  /** The model's own generator stream: seeded at construction (after drawing the initial weights), continued by `sample`, `score` and the default generators of `fit`. */
  readonly random: Random;
  /** Layer sizes `[nVisible, n₁, n₂(, n₃)]`. */
  readonly sizes: readonly number[];
  /** `weights[l]` couples layer `l` and `l+1`, shape `[sizes[l], sizes[l+1]]`, row-major. */
  readonly weights: Matrix[];
  /** `biases[l]` of layer `l` (index 0 = visible), length `sizes[l]`. */
  readonly biases: Float64Array[];
  private scratch: Float64Array[] = [];
  private scratchRows = 0;
  /** Mean field's input of layer 1 from the data, b₁ + v·W₁ (grown once). */
  private bottomUp = new Float64Array(0);
  /** The joint trainer kept between `fit`/`partialFit` calls. */
  private trainer: DBMTrainer | undefined;
  /** The `rng` option of the call that made {@link DBM.trainer} (compared by a later `partialFit`). */
  private trainerRng: unknown;

  /**
   * Creates a DBM with small Gaussian weights and zero biases (visible bias from
   * the data's means when `data` is given).
   *
   * @param sizes - `[nVisible, n₁, n₂]` or `[nVisible, n₁, n₂, n₃]` (positive integers)
   * @param options - see {@link DBMOptions}
   * @throws {RangeError} on a bad size list or `weightStd`
   * @throws {ShapeError} when `data` does not have `nVisible` columns
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * new DBM([784, 500, 1000], { rng: 1 }).depth; // 2
   * ```
   */
  constructor(sizes: readonly number[], options?: DBMOptions) {
    const where = 'DBM';
    if (!Array.isArray(sizes) || sizes.length < 3 || sizes.length > 4) {
      throw new RangeError(`${where}: sizes must be an array [nVisible, n1, n2] or [nVisible, n1, n2, n3] (got ${describeValue(sizes)})`);
    }
    for (let l = 0; l < sizes.length; l++) checkSize(where, `sizes[${l}]`, sizes[l]);
    for (let l = 0; l + 1 < sizes.length; l++) checkElements(where, `sizes[${l}] × sizes[${l + 1}]`, sizes[l] as number, sizes[l + 1] as number);
    const o = checkOptionsKeys(where, options, DBM_KEYS);
    const std = o.weightStd === undefined ? 0.01 : checkPositive(where, 'weightStd', o.weightStd);
    const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
    const data = o.data === undefined ? undefined : checkRows(where, 'data', toMatrix(where, 'data', o.data, sizes[0]), sizes[0]);
    this.sizes = Object.freeze(sizes.slice());
    this.weights = [];
    this.biases = sizes.map((n) => new Float64Array(n));
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = { rows: sizes[l], cols: sizes[l + 1], data: new Float64Array(sizes[l] * sizes[l + 1]) };
      rng.fillNormal(w.data, 0, std);
      this.weights.push(w);
    }
    if (data !== undefined) logitMeans(this.biases[0], data);
    this.random = rng;
  }

  /** Number of visible units. */
  get nVisible(): number {
    return this.sizes[0];
  }

  /** Number of hidden layers (2 or 3). */
  get depth(): number {
    return this.sizes.length - 1;
  }

  /**
   * The trainable arrays by reference: every `weights[l].data`, then every `biases[l]`.
   *
   * @returns `[W₁, …, W_L, b₀, …, b_L]`
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * new DBM([3, 2, 2]).parameterArrays().length; // 5
   * ```
   */
  parameterArrays(): Float64Array[] {
    return [...this.weights.map((w) => w.data), ...this.biases];
  }

  /**
   * Unchecked total input of layer `l`, `out = scale·(b_l + up·x_{l−1}ᵀW_l + down·W_{l+1}x_{l+1})`
   * for `rows` rows; a `null` neighbour (or factor 0) is left out.
   * @internal
   */
  layerInputUnchecked(
    out: Float64Array,
    l: number,
    below: Float64Array | null,
    above: Float64Array | null,
    rows: number,
    up = 1,
    down = 1,
    binary = false,
  ): void {
    const n = this.sizes[l], b = this.biases[l];
    for (let r = 0; r < rows; r++) out.set(b, r * n);
    if (below !== null && l > 0 && up !== 0) this.addFromBelow(out, l, below, rows, up, binary);
    if (above !== null && l < this.sizes.length - 1 && down !== 0) this.addFromAbove(out, l, above, rows, down, binary);
  }

  /**
   * `out += up·below·W_l` (`rows` rows of layer `l − 1` below). `binary`: `below` is
   * likely mostly zeros (a sampled 0/1 state, or data), so the product goes through
   * {@link gemmSparseA}, which skips its zeros where that is faster — the same sums
   * in the same order, so the same bits. @internal
   */
  private addFromBelow(out: Float64Array, l: number, below: Float64Array, rows: number, up: number, binary: boolean): void {
    const n = this.sizes[l], m = this.sizes[l - 1], w = this.weights[l - 1].data;
    if (binary) gemmSparseA(false, false, rows, n, m, up, below, m, w, n, 1, out, n);
    else getKernel().gemm(false, false, rows, n, m, up, below, m, w, n, 1, out, n);
  }

  /** `out += down·above·W_{l+1}ᵀ` (`rows` rows of layer `l + 1` above); `binary` as {@link addFromBelow}. @internal */
  private addFromAbove(out: Float64Array, l: number, above: Float64Array, rows: number, down: number, binary: boolean): void {
    const n = this.sizes[l], m = this.sizes[l + 1], w = this.weights[l].data;
    if (binary) gemmSparseA(false, true, rows, n, m, down, above, m, w, m, 1, out, n);
    else getKernel().gemm(false, true, rows, n, m, down, above, m, w, m, 1, out, n);
  }

  /** @internal Scratch arrays of `rows × sizes[l]` (grown once). */
  private layerScratch(rows: number): Float64Array[] {
    if (this.scratchRows < rows) {
      this.scratch = this.sizes.map((n) => new Float64Array(rows * n));
      this.scratchRows = rows;
    }
    return this.scratch;
  }

  /**
   * Unchecked mean-field inference for `rows` visible rows `v`: fills `mu[l]`
   * (`l = 1 … L`, `mu[0]` unused) starting from the doubled bottom-up pass, then
   * sweeps `μ_l ← σ(b_l + μ_{l−1}W_l + W_{l+1}μ_{l+1})` for `l = 1 … L` until the
   * largest change is at most `tolerance`. `tmp` holds at least `rows · max(n_l)`.
   * Returns the number of sweeps.
   * @internal
   */
  meanFieldUnchecked(mu: Float64Array[], v: Float64Array, rows: number, maxIterations: number, tolerance: number, tmp: Float64Array): number {
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) {
      const below = l === 1 ? v : mu[l - 1];
      // the data (layer 0) often mostly zeros: the gathered product where that is faster (same bits)
      this.layerInputUnchecked(mu[l], l, below, null, rows, l < L ? 2 : 1, 0, l === 1);
      sigmoidRows(mu[l], rows * this.sizes[l]);
    }
    // Layer 1's input from the data, b₁ + v·W₁, is the same at every sweep: computed once, then each
    // sweep adds the term from above to a copy of it — the operations of recomputing it, so the same bits.
    const n1 = this.sizes[1];
    if (this.bottomUp.length < rows * n1) this.bottomUp = new Float64Array(rows * n1);
    const fromData = this.bottomUp;
    this.layerInputUnchecked(fromData, 1, v, null, rows, 1, 1, true);
    let it = 0;
    while (it < maxIterations) {
      it++;
      let change = 0;
      for (let l = 1; l <= L; l++) {
        const e = rows * this.sizes[l];
        if (l === 1) {
          tmp.set(e === fromData.length ? fromData : fromData.subarray(0, e));
          if (L > 1) this.addFromAbove(tmp, 1, mu[2], rows, 1, false);
        } else this.layerInputUnchecked(tmp, l, mu[l - 1], l < L ? mu[l + 1] : null, rows);
        sigmoidRows(tmp, e);
        const m = mu[l];
        for (let i = 0; i < e; i++) {
          const p = tmp[i];
          const d = Math.abs(p - m[i]);
          if (d > change) change = d;
          m[i] = p;
        }
      }
      if (change <= tolerance) break;
    }
    return it;
  }

  /**
   * Unchecked block-Gibbs sweeps on `rows` chains held in `x[0 … L]` (binary):
   * each sweep samples the odd layers given the even ones, then the even layers
   * (visible included) given the odd ones. `tmp` holds `rows · max(n_l)`.
   * @internal
   */
  gibbsUnchecked(x: Float64Array[], rows: number, sweeps: number, rng: Random, tmp: Float64Array): void {
    const L = this.sizes.length - 1;
    for (let s = 0; s < sweeps; s++) {
      for (let parity = 1; parity >= 0; parity--) {
        for (let l = parity; l <= L; l += 2) this.sampleLayerUnchecked(x, l, rows, rng, tmp);
      }
    }
  }

  /**
   * @internal One tempered transition (Neal 1996; used for learning DBMs by Salakhutdinov 2009)
   * of each of the `rows` states in `x`, accepted or rejected per row. With inverse temperatures
   * `betas` = β₀ = 1 > β₁ > … > β_K (p_k ∝ e^{−β_k E}, every parameter scaled): the up leg
   * x̂_i = T̂_i(x̂_{i−1}) for i = 1 … K, the down leg x̌_{i−1} = Ť_i(x̌_i) for i = K … 1 (x̌_K = x̂_K),
   * where T̂_i samples the odd layers given the even ones and then the even given the odd at β_i, and
   * Ť_i is its reverse (even, then odd). The proposal x̌₀ is accepted with probability
   * min(1, Π_{i=0}^{K−1} p_{i+1}(x̂_i)/p_i(x̂_i) · p_i(x̌_i)/p_{i+1}(x̌_i)), i.e. log-ratio
   * `Σ_{i=0}^{K−1} (β_i − β_{i+1}) (E(x̂_i) − E(x̌_i))`, which leaves p_{β=1} invariant.
   * Each energy after a half-sweep comes from the inputs just computed
   * (`E = −Σ_{sampled layers} x_l·u_l − Σ_{others} b_l·x_l`, every weight joins an odd and an even
   * layer), so the move costs 2K Gibbs sweeps and one extra input pass.
   * Scratch: `save` (a copy of `x`), `energy` and `logA` (≥ rows each), `tmp` (≥ rows · max n_l).
   * Returns the number of rows accepted.
   */
  temperedTransitionUnchecked(
    x: Float64Array[],
    rows: number,
    betas: ArrayLike<number>,
    rng: Random,
    tmp: Float64Array,
    save: Float64Array[],
    energy: Float64Array,
    logA: Float64Array,
  ): number {
    const L = this.sizes.length - 1, K = betas.length - 1;
    for (let l = 0; l <= L; l++) save[l].set(x[l].subarray(0, rows * this.sizes[l]));
    // E(x̂₀): the odd layers' inputs from the even ones, nothing sampled
    this.temperedBlock(x, rows, 1, 1, null, tmp, energy);
    for (let r = 0; r < rows; r++) logA[r] = (betas[0] - betas[1]) * energy[r];
    for (let i = 1; i <= K; i++) {
      this.temperedBlock(x, rows, 1, betas[i], rng, tmp, null);
      // x̂_i's energy enters for i < K (x̂_K = x̌_K enters no term)
      this.temperedBlock(x, rows, 0, betas[i], rng, tmp, i < K ? energy : null);
      if (i < K) for (let r = 0; r < rows; r++) logA[r] += (betas[i] - betas[i + 1]) * energy[r];
    }
    for (let i = K; i >= 1; i--) {
      this.temperedBlock(x, rows, 0, betas[i], rng, tmp, null);
      this.temperedBlock(x, rows, 1, betas[i], rng, tmp, energy);
      // x̌_{i−1} = Ť_i(x̌_i), down to the proposal x̌₀: the factor p_{i−1}(x̌_{i−1}) / p_i(x̌_{i−1})
      for (let r = 0; r < rows; r++) logA[r] -= (betas[i - 1] - betas[i]) * energy[r];
    }
    let accepted = 0;
    for (let r = 0; r < rows; r++) {
      if (log(rng.float64()) < logA[r]) {
        accepted++;
        continue;
      }
      for (let l = 0; l <= L; l++) {
        const n = this.sizes[l];
        x[l].set(save[l].subarray(r * n, (r + 1) * n), r * n);
      }
    }
    return accepted;
  }

  /**
   * @internal The layers of one parity given the others: their inputs `u_l` (unit scale) into
   * `tmp`, then, with `rng`, `x_l ~ Bernoulli(σ(β·u_l))`; with `energy`, each row's
   * `E = −Σ_{this parity} x_l·u_l − Σ_{other parity} b_l·x_l` after the block.
   */
  private temperedBlock(x: Float64Array[], rows: number, parity: number, beta: number, rng: Random | null, tmp: Float64Array, energy: Float64Array | null): void {
    const L = this.sizes.length - 1;
    if (energy !== null) energy.fill(0, 0, rows);
    for (let l = parity; l <= L; l += 2) {
      const n = this.sizes[l], xl = x[l];
      this.layerInputUnchecked(tmp, l, l > 0 ? x[l - 1] : null, l < L ? x[l + 1] : null, rows, 1, 1, true);
      if (rng !== null) sigmoidBernoulli(xl, tmp, rows * n, beta, rng);
      if (energy === null) continue;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = r * n, e = j + n; j < e; j++) s += xl[j] * tmp[j];
        energy[r] -= s;
      }
    }
    if (energy === null) return;
    for (let l = 1 - parity; l <= L; l += 2) {
      const n = this.sizes[l], xl = x[l], b = this.biases[l];
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0, o = r * n; j < n; j++) s += b[j] * xl[o + j];
        energy[r] -= s;
      }
    }
  }

  /** @internal Samples layer `l` of `x` given its neighbours (1 = β scale on every term). */
  sampleLayerUnchecked(x: Float64Array[], l: number, rows: number, rng: Random, tmp: Float64Array): void {
    const L = this.sizes.length - 1;
    // the neighbours are sampled 0/1 states: gathered products where faster (same bits)
    this.layerInputUnchecked(tmp, l, l > 0 ? x[l - 1] : null, l < L ? x[l + 1] : null, rows, 1, 1, true);
    // t[i] = rng.float64() < σ(tmp[i]) ? 1 : 0, in order: the same numbers and generator state, σ and the uniforms in SIMD
    sigmoidBernoulli(x[l], tmp, rows * this.sizes[l], 1, rng);
  }

  /**
   * Mean-field posteriors `q(x_l) = Π_j μ_l,j^{x} (1−μ_l,j)^{1−x}` of the hidden
   * layers given visible rows (the data-dependent statistics of training).
   *
   * @param v - `[batch, nVisible]` rows (0/1 or in [0, 1])
   * @param options - see {@link MeanFieldOptions}
   * @returns one `[batch, n_l]` matrix of means per hidden layer
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBM, fromArrays } from 'boltzmann';
   * new DBM([2, 3, 2]).meanField(fromArrays([[1, 0]])).length; // 2
   * ```
   */
  meanField(v: DataInput, options?: MeanFieldOptions): Matrix[] {
    const where = 'DBM.meanField';
    const x = checkRows(where, 'v', toMatrix(where, 'v', v, this.nVisible), this.nVisible);
    const { maxIterations, tolerance } = readMeanField(where, options);
    return this.meanFieldChecked(x, maxIterations, tolerance);
  }

  private meanFieldChecked(v: Matrix, maxIterations: number, tolerance: number): Matrix[] {
    const rows = v.rows;
    const mu = this.sizes.map((n) => new Float64Array(rows * n));
    this.meanFieldUnchecked(mu, v.data, rows, maxIterations, tolerance, new Float64Array(rows * Math.max(...this.sizes)));
    return mu.slice(1).map((d, i) => ({ rows, cols: this.sizes[i + 1], data: d }));
  }

  /**
   * Features for downstream models: the mean-field posterior means of the hidden
   * layers, concatenated (`'all'`, default, `[batch, n₁ + … + n_L]`) or of the top layer only.
   *
   * @param v - `[batch, nVisible]`
   * @param options - see {@link DBMTransformOptions}
   * @returns the feature matrix
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * new DBM([2, 3, 2]).transform([[1, 0]]).cols; // 5
   * ```
   */
  transform(v: DataInput, options?: DBMTransformOptions): Matrix {
    const where = 'DBM.transform';
    const x = checkRows(where, 'v', toMatrix(where, 'v', v, this.nVisible), this.nVisible);
    const o = checkOptionsKeys(where, options, TRANSFORM_KEYS);
    const which = o.layers === undefined ? 'all' : checkOneOf(where, 'layers', o.layers, ['all', 'top'] as const);
    const { maxIterations, tolerance } = readMeanField(where, { maxIterations: o.maxIterations, tolerance: o.tolerance });
    const mu = this.meanFieldChecked(x, maxIterations, tolerance);
    if (which === 'top') return mu[mu.length - 1];
    const rows = x.rows;
    const cols = mu.reduce((s, m) => s + m.cols, 0);
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let off = r * cols;
      for (const m of mu) {
        out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), off);
        off += m.cols;
      }
    }
    return { rows, cols, data: out };
  }

  /**
   * Draws visible samples by block Gibbs sampling, alternating the odd and even
   * layers, from `init` (or from the visible biases' Bernoulli rows; hidden
   * layers start empty and are drawn first). Continues the model's stream
   * {@link DBM.random} unless `rng` is given, so two calls give different draws.
   *
   * @param n - number of chains (must equal the rows of `init` when it is given)
   * @param options - see {@link DBMSampleOptions}
   * @returns `[n, nVisible]` visible samples (or probabilities with `meanField`)
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * const dbm = new DBM([4, 3, 2], { rng: 1 });
   * dbm.sample(5, { steps: 20 }).rows; // 5
   * dbm.sample(2, { steps: 20, meanField: false, rng: 7 }).rows; // 2, reproducible for seed 7
   * ```
   */
  sample(n: number, options?: DBMSampleOptions): Matrix {
    const where = 'DBM.sample';
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const steps = o.steps === undefined ? 1000 : checkSteps(where, 'steps', o.steps);
    const meanField = o.meanField === undefined ? true : checkBoolean(where, 'meanField', o.meanField);
    const rows = checkSize(where, 'n', n);
    checkElements(where, 'n × units', rows, this.sizes.reduce((a, b) => a + b, 0));
    const init = o.init === undefined ? undefined : checkRows(where, 'init', toMatrix(where, 'init', o.init, this.nVisible), this.nVisible);
    if (init !== undefined && init.rows !== rows) throw new ShapeError(`${where}: init must have n = ${rows} rows (got ${init.rows})`);
    const g = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const nV = this.nVisible;
    const x = this.sizes.map((m) => new Float64Array(rows * m));
    if (init !== undefined) x[0].set(init.data);
    else {
      const p = this.biases[0].map(sigmoid);
      for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) x[0][r * nV + i] = g.float64() < p[i] ? 1 : 0;
    }
    const tmp = new Float64Array(rows * Math.max(...this.sizes));
    // Even hidden layers start at zero; the first half-sweep draws the odd layers from (v, x₂…).
    this.gibbsUnchecked(x, rows, steps, g, tmp);
    if (!meanField) return { rows, cols: nV, data: x[0] };
    const out = new Float64Array(rows * nV);
    this.layerInputUnchecked(out, 0, null, x[1], rows);
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]);
    return { rows, cols: nV, data: out };
  }

  /**
   * Trains the DBM (Salakhutdinov & Hinton 2009): greedy pretraining of one
   * RBM per weight matrix ({@link pretrainDBM}, unless `pretrain: false`), then
   * `epochs` of joint training by a fresh {@link DBMTrainer} (persistent chains,
   * mean-field data statistics). The trainer is kept, so `partialFit` continues
   * it. Generators: `rng` when given, else streams split from {@link DBM.random}.
   *
   * @param data - `[n, nVisible]` rows in [0, 1] (not modified)
   * @param options - see {@link DBMFitOptions}
   * @returns the metrics of every epoch (stages `'pretrain l'`, then `'joint'`), epochs completed, whether aborted
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any training)
   * @throws {NumericalError} when an update is not finite
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * const dbm = new DBM([4, 3, 2], { rng: 1 });
   * const res = dbm.fit([[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 3, pretrain: 2, batchSize: 2, nChains: 4, onEpoch: () => {} });
   * res.history.map((m) => m.stage); // ['pretrain 0', 'pretrain 0', 'pretrain 1', 'pretrain 1', 'joint', 'joint', 'joint']
   * ```
   */
  fit(data: DataInput, options?: DBMFitOptions): FitResult {
    const where = 'DBM.fit';
    const x = checkRows(where, 'data', toMatrix(where, 'data', data, this.nVisible), this.nVisible);
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const epochs = o.epochs === undefined ? 10 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
    let pretrainEpochs: number | readonly number[] | undefined;
    if (o.pretrain === undefined || o.pretrain === true) pretrainEpochs = 10;
    else if (o.pretrain !== false) pretrainEpochs = o.pretrain;
    if (pretrainEpochs !== undefined && typeof pretrainEpochs !== 'number' && !Array.isArray(pretrainEpochs)) {
      throw new TypeError(`${where}: pretrain must be a boolean, a number of epochs or one per weight matrix (got ${describeValue(o.pretrain)})`);
    }
    if (typeof pretrainEpochs === 'number') checkPositiveInt(where, 'pretrain', pretrainEpochs);
    if (o.pretrainTrainer !== undefined && pretrainEpochs === undefined) throw new RangeError(`${where}: pretrainTrainer needs pretraining (got pretrain: false)`);
    checkLoopOptions(where, o);
    const validation = checkValidationRows(where, o.validation, this.nVisible);
    const { epochs: _e, onEpoch, signal, pretrain: _p, pretrainTrainer, threads, rng, validation: _v, ...trainerOptions } = o;
    // Validates every trainer option before any training or drawing.
    checkDBMTrainerOptions(where, this, trainerOptions);
    // …and a learning-rate schedule's first value, which the joint trainer reads only after pretraining.
    checkLearningRateStart('DBMTrainer', trainerOptions.learningRate);
    const undo = this.undoPoint();
    try {
      const root = rng === undefined ? this.random.split() : toRandom(rng, where);
      const [pretrainRng, jointRng] = root.streams(2);
      const history: EpochMetrics[] = [];
      let done = 0;
      if (pretrainEpochs !== undefined) {
        const pre = pretrainDBM(this, x, { epochs: pretrainEpochs, trainer: pretrainTrainer, rng: pretrainRng, onEpoch, signal, threads });
        history.push(...pre.history);
        done += pre.epochs;
        if (pre.aborted) return { history, epochs: done, aborted: signal?.aborted === true };
      }
      this.trainer = new DBMTrainer(this, { ...trainerOptions, rng: jointRng });
      this.trainerRng = rng;
      const res = this.trainer.fit(x, { epochs, signal, threads, onEpoch: stagedOnEpoch(onEpoch, history), ...(validation === undefined ? {} : { validation }) });
      return { history, epochs: done + res.epochs, aborted: res.aborted };
    } catch (e) {
      undo();
      throw e;
    }
  }

  /**
   * What a training call that fails before changing any parameter must put back:
   * the model's generator (a fit splits its stream) and the kept trainer. The
   * returned function restores them when every parameter still has its value
   * from now (bit for bit); a call that failed after some updates keeps them and
   * its trainer.
   */
  private undoPoint(): () => void {
    const random = this.random.getState(), kept = this.trainer, keptRng = this.trainerRng;
    const params = this.parameterArrays().map((a) => Float64Array.from(a));
    return () => {
      const now = this.parameterArrays();
      for (let a = 0; a < params.length; a++) {
        const was = params[a] as Float64Array, is = now[a] as Float64Array;
        for (let i = 0; i < was.length; i++) if (!Object.is(was[i], is[i])) return;
      }
      this.random.setState(random);
      this.trainer = kept;
      this.trainerRng = keptRng;
    };
  }

  /**
   * Whether every trainer option given to `partialFit` equals the kept trainer's (then the
   * pass continues it): `c` is the options as checked, defaults filled in; a `meanField` or
   * `temperedTransitions` object compares as the settings it gives, `rng` as given.
   */
  private keeps(t: DBMTrainer, given: DBMTrainerOptions, c: ReturnType<typeof checkDBMTrainerOptions>): boolean {
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) continue;
      let same: boolean;
      if (key === 'meanField') same = c.maxIterations === t.maxIterations && c.tolerance === t.tolerance;
      else if (key === 'temperedTransitions') {
        const a = c.tempered, b = t.temperedTransitions;
        same = a !== undefined && b !== undefined && a.levels === b.levels && a.minBeta === b.minBeta && a.every === b.every;
      } else if (key === 'rng') same = value === this.trainerRng;
      else same = (c as Record<string, unknown>)[key] === (t as unknown as Record<string, unknown>)[key];
      if (!same) return false;
    }
    return true;
  }

  /**
   * One pass of joint training over `batch` (mini-batches of `batchSize`),
   * continuing the trainer of earlier `fit`/`partialFit` calls (chains,
   * momentum, generator, learning-rate decay). The first call (or a call giving a
   * trainer option — `learningRate`, `nChains`, `meanField`, … — whose value differs
   * from the kept trainer's) starts a new trainer from the options given, as
   * `RBM.partialFit` does; options equal to the kept trainer's continue it.
   * No pretraining.
   *
   * @param batch - `[rows, nVisible]` rows in [0, 1] (not modified)
   * @param options - the trainer options (a new trainer when they differ from the kept one's), `onEpoch`, `signal`, `threads`
   * @returns the metrics of the pass (stage `'joint'`)
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @throws {NumericalError} when an update is not finite
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * const dbm = new DBM([4, 3, 2], { rng: 1 });
   * dbm.partialFit([[1, 1, 0, 0], [0, 0, 1, 1]], { batchSize: 2, nChains: 4 }).epochs; // 1
   * ```
   */
  partialFit(batch: DataInput, options?: DBMFitOptions): FitResult {
    const where = 'DBM.partialFit';
    const x = checkRows(where, 'batch', toMatrix(where, 'batch', batch, this.nVisible), this.nVisible);
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    for (const key of ['epochs', 'pretrain', 'pretrainTrainer'] as const) {
      if (o[key] !== undefined) throw new TypeError(`${where}: option '${key}' is for fit (partialFit makes one joint pass, no pretraining)`);
    }
    checkLoopOptions(where, o);
    const validation = checkValidationRows(where, o.validation, this.nVisible);
    const { onEpoch, signal, threads, validation: _v, ...trainerOptions } = o;
    // every trainer option is checked before anything is drawn
    const c = checkDBMTrainerOptions(where, this, trainerOptions);
    const undo = this.undoPoint();
    if (this.trainer === undefined || !this.keeps(this.trainer, trainerOptions, c)) {
      this.trainer = new DBMTrainer(this, trainerOptions);
      this.trainerRng = trainerOptions.rng;
    }
    const history: EpochMetrics[] = [];
    try {
      const res = this.trainer.fit(x, { epochs: 1, signal, threads, onEpoch: stagedOnEpoch(onEpoch, history), ...(validation === undefined ? {} : { validation }) });
      return { history, epochs: res.epochs, aborted: res.aborted };
    } catch (e) {
      undo();
      throw e;
    }
  }

  /** The method `score` uses for `method` (`'auto'` resolved). */
  private scoreMethod(where: string, method: unknown): 'exact' | 'bound' {
    const m = method === undefined ? 'auto' : checkOneOf(where, 'method', method, ['auto', 'exact', 'bound'] as const);
    if (m !== 'auto') return m;
    return dbmExactSize(this) <= DBM_EXACT_MAX_UNITS ? 'exact' : 'bound';
  }

  /** Per-row scores and the summary. */
  private scoreChecked(where: string, data: DataInput, options: DBMScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const x = checkRows(where, 'data', toMatrix(where, 'data', data, this.nVisible), this.nVisible);
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const method = this.scoreMethod(where, o.method);
    // AIS keeps a state of every unit per run
    const runs = o.aisRuns === undefined ? 100 : checkSize(where, 'aisRuns', o.aisRuns);
    checkElements(where, 'aisRuns × units', runs, this.sizes.reduce((a, b) => a + b, 0));
    const betas = aisBetas(where, o.aisBetas);
    // the AIS options are checked whichever method runs (a bad one is refused, not ignored)
    if (o.aisBase instanceof Float64Array) checkVector(where, 'aisBase', o.aisBase, this.nVisible);
    else if (o.aisBase !== undefined) checkRows(where, 'aisBase', toMatrix(where, 'aisBase', o.aisBase, this.nVisible), this.nVisible);
    if (o.aisHiddenBase !== undefined && o.aisHiddenBase !== 'data' && o.aisHiddenBase !== 'uniform') {
      throw new TypeError(`${where}: aisHiddenBase must be 'data' or 'uniform' (got ${describeValue(o.aisHiddenBase)})`);
    }
    if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where);
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    if (method === 'exact') {
      const logZ = dbmExactLogPartition(this);
      const perRow = dbmExactLogLikelihood(this, x, logZ);
      const m = mean(perRow);
      return { perRow, result: { mean: m, lower: m, upper: m, method, logZ } };
    }
    const hb = o.aisHiddenBase === undefined ? 'data' : o.aisHiddenBase;
    if (hb !== 'data' && hb !== 'uniform') throw new TypeError(`${where}: aisHiddenBase must be 'data' or 'uniform' (got ${describeValue(hb)})`);
    const base = o.aisBase ?? x;
    let hiddenBase: Float64Array[] | undefined;
    if (hb === 'data' && !(base instanceof Float64Array)) {
      const rows = checkRows(where, 'aisBase', toMatrix(where, 'aisBase', base, this.nVisible), this.nVisible);
      hiddenBase = dbmHiddenBaseRates(this, rowsView(rows, 0, Math.min(rows.rows, 10_000)));
    }
    const ais = dbmAIS(this, { base, hiddenBase, runs, betas, rng: o.rng === undefined ? this.random : toRandom(o.rng, where) });
    const b = dbmVariationalBound(this, x, ais);
    const floor = dbmLogZFloorFrom(this, x, Float64Array.from(b.perRow, (v) => v + ais.logZ)).logZLowerBound;
    const warning = aisBelowFloor(ais, floor);
    return {
      perRow: b.perRow,
      result: { mean: b.mean, lower: b.lower, upper: b.upper, method, logZ: ais.logZ, ess: ais.effectiveSampleSize, logZLowerBound: floor, ...(warning === undefined ? {} : { warning }) },
    };
  }

  /**
   * Per-row log-likelihood `log P(v)` (nats): exact by enumeration while the
   * smaller hidden parity has at most {@link DBM_EXACT_MAX_UNITS} units
   * (`method: 'exact'`), otherwise (`'bound'`) the mean-field variational lower
   * bound `−E_q[E(v, h)] + H(q) − log Ẑ` with `log Ẑ` from AIS ({@link dbmAIS};
   * base model from `aisBase`, default the scored data's means, with hidden layers at those rows'
   * mean-field rates unless `aisHiddenBase: 'uniform'`; the model's stream unless `rng`).
   *
   * @param data - `[n, nVisible]` binary rows
   * @param options - see {@link DBMScoreOptions}
   * @returns length-`n` log-likelihoods (or bounds)
   * @throws {ShapeError | RangeError | TypeError} on bad arguments, or `'exact'` on a model too large
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * new DBM([3, 2, 2], { weightStd: 1e-12 }).scoreSamples([[1, 0, 1]])[0]; // ≈ 3·log(1/2)
   * ```
   */
  scoreSamples(data: DataInput, options?: DBMScoreOptions): Float64Array {
    return this.scoreChecked('DBM.scoreSamples', data, options).perRow;
  }

  /**
   * Mean log-likelihood per row with its interval: `'exact'` (interval = point)
   * for small models, else `'bound'`: the variational lower bound with AIS
   * `log Ẑ`; `lower`/`upper` are the bound at the ends of the ±3σ interval of `log Ẑ`.
   *
   * @param data - `[n, nVisible]` binary rows
   * @param options - see {@link DBMScoreOptions}
   * @returns `{ mean, lower, upper, method, logZ, ess? }`
   * @throws {ShapeError | RangeError | TypeError} as {@link DBM.scoreSamples}
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * const dbm = new DBM([3, 2, 2], { rng: 1 });
   * dbm.score([[1, 0, 1], [0, 1, 0]]).method; // 'exact'
   * dbm.score([[1, 0, 1]], { method: 'bound', aisRuns: 10, aisBetas: 200 }).method; // 'bound'
   * ```
   */
  score(data: DataInput, options?: DBMScoreOptions): ScoreResult {
    return this.scoreChecked('DBM.score', data, options).result;
  }

  /**
   * Energy `E(x) = −Σ_l x_{l−1}ᵀW_l x_l − Σ_l b_lᵀx_l` of full states.
   *
   * @param states - one `[batch, sizes[l]]` matrix per layer, visible first
   * @returns energies, length `batch`
   * @throws {ShapeError | RangeError} on bad shapes or entries
   * @example
   * ```ts
   * import { DBM, fromArrays } from 'boltzmann';
   * const dbm = new DBM([2, 1, 1]);
   * dbm.energy([fromArrays([[0, 0]]), fromArrays([[0]]), fromArrays([[0]])])[0]; // 0
   * ```
   */
  energy(states: readonly DataInput[]): Float64Array {
    const where = 'DBM.energy';
    if (!Array.isArray(states) || states.length !== this.sizes.length) {
      throw new ShapeError(`${where}: layers must be an array of ${this.sizes.length} matrices (got ${describeValue(states)})`);
    }
    const layers = states.map((m, l) => checkRows(where, `layers[${l}]`, toMatrix(where, `layers[${l}]`, m, this.sizes[l]), this.sizes[l]));
    const rows = layers[0].rows;
    for (let l = 1; l < layers.length; l++) {
      if (layers[l].rows !== rows) throw new ShapeError(`${where}: layers[${l}] must have ${rows} rows (got ${layers[l].rows})`);
    }
    const out = new Float64Array(rows);
    const tmp = this.layerScratch(rows);
    for (let l = 0; l < this.sizes.length; l++) {
      // Σ over layer l of x_l · (b_l + x_{l−1}W_l): each edge counted once (from its upper layer).
      this.layerInputUnchecked(tmp[l], l, l > 0 ? layers[l - 1].data : null, null, rows);
      const n = this.sizes[l], x = layers[l].data, t = tmp[l];
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += x[r * n + j] * t[r * n + j];
        out[r] -= s;
      }
    }
    return out;
  }

  /**
   * A deep copy of the parameters, with a copy of the generator stream (the
   * copy draws what the original would draw next); the trainer kept by `fit` is not copied.
   *
   * @returns a new DBM
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * const a = new DBM([3, 2, 2], { rng: 4 });
   * a.clone().weights[0].data[0] === a.weights[0].data[0]; // true
   * ```
   */
  clone(): DBM {
    const c = new DBM(this.sizes, { weightStd: 1 });
    for (let l = 0; l < this.weights.length; l++) c.weights[l].data.set(this.weights[l].data);
    for (let l = 0; l < this.biases.length; l++) c.biases[l].set(this.biases[l]);
    (c as { random: Random }).random = this.random.clone();
    return c;
  }

  /**
   * Saves the model as a versioned JSON document (kind `'dbm'`); a trainer passes
   * its state (fantasy particles, momentum, generator) as `training`.
   *
   * @param training - optional training state stored under `state.training`
   * @returns the document
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * DBM.fromDocument(JSON.parse(JSON.stringify(new DBM([3, 2, 2]).toDocument()))).depth; // 2
   * ```
   */
  toDocument(training?: JsonObject): ModelDocument {
    const tensors: ModelDocument['tensors'] = {};
    this.weights.forEach((w, l) => {
      tensors[`weights${l}`] = tensorToJson({ shape: [w.rows, w.cols], data: w.data });
    });
    this.biases.forEach((b, l) => {
      tensors[`bias${l}`] = tensorToJson({ shape: [b.length], data: b });
    });
    const doc: ModelDocument = { format: 'boltzmann', version: 1, kind: 'dbm', config: { sizes: this.sizes.slice() }, tensors };
    doc.state = modelState(this.random, training);
    return doc;
  }

  /**
   * Loads a model saved by {@link DBM.toDocument} (training state is read by `DBMTrainer.fromDocument`).
   *
   * @param doc - parsed JSON
   * @returns the model
   * @throws {FormatError} when the document is malformed or of another kind
   * @example
   * ```ts
   * import { DBM } from 'boltzmann';
   * DBM.fromDocument(new DBM([4, 3, 2, 2]).toDocument()).depth; // 3
   * ```
   */
  static fromDocument(doc: unknown): DBM {
    const d = checkDocument(doc, 'dbm');
    const sizes = d.config.sizes;
    if (
      !Array.isArray(sizes) ||
      sizes.length < 3 ||
      sizes.length > 4 ||
      !sizes.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= 1e7)
    ) {
      throw new FormatError(`load dbm: config.sizes must be 3 or 4 positive integers (got ${describeValue(sizes)})`);
    }
    const sz = sizes as number[];
    const tensors = sz.slice(0, -1).map((n, l) => readTensor(d, `weights${l}`, [n, sz[l + 1]]));
    const biases = sz.map((n, l) => readTensor(d, `bias${l}`, [n]));
    const dbm = new DBM(sz, { weightStd: 1 });
    for (let l = 0; l < tensors.length; l++) dbm.weights[l].data.set(tensors[l].data);
    for (let l = 0; l < biases.length; l++) dbm.biases[l].set(biases[l].data);
    restoreModelRandom('load dbm', d, dbm.random);
    return dbm;
  }
}

/** @internal An `onEpoch` that tags every joint-training epoch with `stage: 'joint'` and records it in `history`. */
function stagedOnEpoch(onEpoch: ((m: EpochMetrics) => unknown) | undefined, history: EpochMetrics[]): (m: EpochMetrics) => unknown {
  return (m) => {
    const staged: EpochMetrics = { ...m, stage: 'joint' };
    history.push(staged);
    return onEpoch?.(staged);
  };
}
