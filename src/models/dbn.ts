/**
 * Deep belief net (Hinton, Osindero & Teh 2006): a stack of binary RBMs
 * `v = h₀ – h₁ – … – h_L`, trained greedily layer by layer with the shared
 * {@link RBMTrainer}, each RBM on the hidden probabilities
 * of the one below. As a generative model the top two layers form an
 * undirected RBM and every lower layer is a directed sigmoid belief net,
 * `P(h_{k−1} = 1 | h_k) = σ(b_{k−1} + W_k h_k)`; sampling runs Gibbs in the top
 * RBM, then one directed pass down.
 *
 * Optional label units (Hinton et al. 2006, §6): a softmax group of `nLabels`
 * units joined to the top RBM's visible layer, `[h_{L−1}, y]`, giving a
 * generative classifier `P(y | v) ∝ exp(−F_top(h_{L−1}(v), y))` and class-conditional generation.
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { checkDocument, type JsonObject, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { getKernel, withThreads } from '../linalg/kernel.js';
import { argmaxRows, type Matrix } from '../linalg/matrix.js';
import { logSumExp, sigmoid, softplus } from '../linalg/stable.js';
import { exp, log } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { RBM_TRAINER_KEYS, RBMTrainer, type RBMTrainerOptions } from '../train/rbm-trainer.js';
import { checkBoolean, checkElements, checkInt, checkOneOf, checkOptions, checkScoresFinite, checkOptionsKeys, checkPositive, checkPositiveInt, checkSize, checkSteps, checkVector, type DataInput, optionKeys, toMatrix } from '../validate.js';
import { checkAbortSignal, checkCallback } from '../train/checks.js';
import type { BaseFitOptions, BaseSampleOptions, EpochMetrics, FitResult, Model, ScoreOptions, ScoreResult } from './contract.js';
import { checkBatch, RBM, type RBMOptions, type RBMScoreOptions, readRBMTensors, readSizes } from './rbm.js';
import { aisSchedule, rbmAIS } from './rbm-ais.js';
import { rbmExactLogPartition } from './rbm-exact.js';
import { hiddenToVisible } from './rbm-products.js';

/**
 * A binary RBM whose last `nLabels` visible units form one softmax group (a
 * one-hot label): `P(y = k | h) = softmax(b_y + W_y h)_k`; the other visible
 * units are Bernoulli as usual. The energy and free energy are those of the RBM
 * restricted to one-hot labels, so {@link RBMTrainer} trains it unchanged.
 *
 * @example
 * ```ts
 * import { LabelledRBM, fromArrays } from 'boltzmann';
 * const rbm = new LabelledRBM(3, 2, 4, { rng: 1 });
 * const p = rbm.visibleProbs(fromArrays([[1, 0, 1, 1]]));
 * p.data[3] + p.data[4]; // 1 (the label group sums to one)
 * ```
 * @category Models
 */
export class LabelledRBM extends RBM {
  /** Number of ordinary (Bernoulli) visible units, first in the visible layer. */
  readonly nFeatures: number;
  /** Size of the softmax label group, last in the visible layer. */
  readonly nLabels: number;

  /**
   * @param nFeatures - Bernoulli visible units
   * @param nLabels - softmax label units (≥ 2)
   * @param nHidden - hidden units
   * @param options - as {@link RBM}
   * @throws {RangeError} on bad sizes
   * @example
   * ```ts
   * import { LabelledRBM } from 'boltzmann';
   * new LabelledRBM(784, 10, 500).nVisible; // 794
   * ```
   */
  constructor(nFeatures: number, nLabels: number, nHidden: number, options?: RBMOptions) {
    checkSize('LabelledRBM', 'nFeatures', nFeatures);
    checkSize('LabelledRBM', 'nLabels', nLabels, 2);
    super(nFeatures + nLabels, nHidden, options);
    this.nFeatures = nFeatures;
    this.nLabels = nLabels;
  }

  /**
   * Refused: the top layer of a DBN, with one-hot label units the RBM likelihood formulas do not cover; score the DBN (with labels for the joint)
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * // see the class example: score the enclosing model instead
   * ```
   */
  override scoreSamples(_data: DataInput, _options?: RBMScoreOptions): Float64Array {
    throw new RangeError(`LabelledRBM.scoreSamples: the top layer of a DBN, with one-hot label units the RBM likelihood formulas do not cover; score the DBN (with labels for the joint)`);
  }

  /**
   * Refused: the top layer of a DBN, with one-hot label units the RBM likelihood formulas do not cover; score the DBN (with labels for the joint)
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * // see the class example: score the enclosing model instead
   * ```
   */
  override score(_data: DataInput, _options?: RBMScoreOptions): ScoreResult {
    throw new RangeError(`LabelledRBM.score: the top layer of a DBN, with one-hot label units the RBM likelihood formulas do not cover; score the DBN (with labels for the joint)`);
  }

  /**
   * Unchecked visible means: σ for the features, softmax over the label group.
   *
   * @example
   * ```ts
   * import { LabelledRBM } from 'boltzmann';
   * const rbm = new LabelledRBM(3, 2, 4, { rng: 1 });
   * const mean = new Float64Array(5);
   * rbm.visibleMeanUnchecked(mean, Float64Array.of(1, 0, 1, 0), 1);
   * mean[3] + mean[4]; // 1: the label group is a softmax
   * ```
   */
  override visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint = false): void {
    const nV = this.nVisible, nF = this.nFeatures;
    hiddenToVisible(out, h, rows, this.weights.data, this.visibleBias, nV, this.nHidden, binaryHint);
    for (let r = 0; r < rows; r++) {
      const o = r * nV;
      for (let i = 0; i < nF; i++) out[o + i] = sigmoid(out[o + i]);
      let m = -Infinity;
      for (let i = nF; i < nV; i++) if (out[o + i] > m) m = out[o + i];
      let s = 0;
      for (let i = nF; i < nV; i++) {
        out[o + i] = exp(out[o + i] - m);
        s += out[o + i];
      }
      for (let i = nF; i < nV; i++) out[o + i] /= s;
    }
  }

  /**
   * Unchecked draw: Bernoulli features, one categorical draw for the label group.
   *
   * @example
   * ```ts
   * import { LabelledRBM, Random } from 'boltzmann';
   * const rbm = new LabelledRBM(3, 2, 4, { rng: 1 });
   * const v = new Float64Array(5), mean = new Float64Array(5);
   * rbm.sampleVisibleUnchecked(v, mean, Float64Array.of(1, 0, 1, 0), 1, new Random(2));
   * v[3] + v[4]; // 1: exactly one label unit is on
   * ```
   */
  override sampleVisibleUnchecked(out: Float64Array, mean: Float64Array, h: Float64Array, rows: number, rng: Random): void {
    this.visibleMeanUnchecked(mean, h, rows, true);
    const nV = this.nVisible, nF = this.nFeatures;
    for (let r = 0; r < rows; r++) {
      const o = r * nV;
      for (let i = 0; i < nF; i++) out[o + i] = rng.float64() < mean[o + i] ? 1 : 0;
      drawCategorical(out, o + nF, mean, o + nF, this.nLabels, rng);
    }
  }

  /**
   * Draws `v ~ P(v | h)`: Bernoulli features and a one-hot label.
   *
   * @param h - hidden rows `[batch, nHidden]`
   * @param rng - seed or generator
   * @param out - optional `[batch, nVisible]` result
   * @returns `[batch, nVisible]` samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { LabelledRBM, fromArrays } from 'boltzmann';
   * new LabelledRBM(2, 3, 2).sampleVisible(fromArrays([[1, 0]]), 1).cols; // 5
   * ```
   */
  override sampleVisible(h: Matrix, rng: number | Random, out?: Matrix): Matrix {
    const o = super.visibleProbs(h, out);
    const g = toRandom(rng, 'LabelledRBM.sampleVisible');
    const mean = new Float64Array(o.data);
    const nV = this.nVisible, nF = this.nFeatures;
    for (let r = 0; r < o.rows; r++) {
      for (let i = 0; i < nF; i++) o.data[r * nV + i] = g.float64() < mean[r * nV + i] ? 1 : 0;
      drawCategorical(o.data, r * nV + nF, mean, r * nV + nF, this.nLabels, g);
    }
    return o;
  }

  /**
   * Gibbs steps `v → h → v` with one-hot label draws (see {@link RBM.gibbs}); clamp
   * the label units to generate a class, or the features to classify by sampling.
   *
   * @param v - starting rows `[batch, nVisible]`
   * @param steps - Gibbs steps
   * @param rng - seed or generator
   * @param options - `clamp` mask (length `nVisible` or `batch·nVisible`), `meanField` for the last step
   * @returns `[batch, nVisible]`
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { LabelledRBM, fromArrays } from 'boltzmann';
   * new LabelledRBM(2, 2, 3, { rng: 1 }).gibbs(fromArrays([[1, 0, 0, 1]]), 5, 2).cols; // 4
   * ```
   */
  override gibbs(v: Matrix, steps: number, rng: number | Random, options?: { clamp?: Uint8Array; meanField?: boolean }): Matrix {
    const where = 'LabelledRBM.gibbs';
    checkBatch(where, 'v', v, this.nVisible, 'unit');
    checkSteps(where, 'steps', steps);
    const o = checkOptions(where, options);
    const g = toRandom(rng, where);
    const rows = v.rows, nV = this.nVisible;
    const mask = o.clamp;
    if (mask !== undefined && (!(mask instanceof Uint8Array) || (mask.length !== nV && mask.length !== rows * nV))) {
      throw new ShapeError(`${where}: clamp must be a Uint8Array of length ${nV} or ${rows * nV} (got ${describeValue(mask)})`);
    }
    const meanField = o.meanField === true;
    const cur = new Float64Array(v.data), next = new Float64Array(cur.length), mean = new Float64Array(cur.length);
    const h = new Float64Array(rows * this.nHidden);
    for (let s = 0; s < steps; s++) {
      this.hiddenProbsUnchecked(h, cur, rows);
      for (let i = 0; i < h.length; i++) h[i] = g.float64() < h[i] ? 1 : 0;
      this.sampleVisibleUnchecked(next, mean, h, rows, g);
      const src = s === steps - 1 && meanField ? mean : next;
      for (let i = 0; i < cur.length; i++) if (mask === undefined || mask[mask.length === nV ? i % nV : i] === 0) cur[i] = src[i];
    }
    return { rows, cols: nV, data: cur };
  }

  /**
   * A deep copy, label group included (the parameters and the generator's state; no trainer).
   * @returns a new LabelledRBM
   * @example
   * ```ts
   * import { LabelledRBM } from 'boltzmann';
   * new LabelledRBM(3, 2, 4).clone().nLabels; // 2
   * ```
   */
  override clone(): LabelledRBM {
    return this.copyInto(new LabelledRBM(this.nFeatures, this.nLabels, this.nHidden, { weightStd: 1 }));
  }

  /** The label group's size, in the document's config. */
  protected override documentConfig(): JsonObject {
    return { nLabels: this.nLabels };
  }

  /**
   * Loads a layer saved by {@link RBM.toDocument} on a LabelledRBM (kind `'rbm'`,
   * `nLabels` in its config: the last `nLabels` visible units are the label group).
   *
   * @param doc - parsed JSON
   * @returns the layer (its generator continues the saved one, `state.rng`; seed `0` without it)
   * @throws {FormatError} when the document is malformed, of another kind or has a bad `nLabels`
   * @example
   * ```ts
   * import { LabelledRBM } from 'boltzmann';
   * LabelledRBM.fromDocument(new LabelledRBM(3, 2, 4).toDocument()).nFeatures; // 3
   * ```
   */
  static override fromDocument(doc: unknown): LabelledRBM {
    const d = checkDocument(doc, 'rbm');
    for (const key of ['upScale', 'downScale']) {
      if (key in d.config) throw new FormatError(`load rbm: config.${key} makes this a ScaledRBM document; load it with ScaledRBM.fromDocument`);
    }
    const { nVisible, nHidden } = readSizes(d);
    const k = d.config.nLabels;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k >= nVisible) {
      throw new FormatError(`load rbm: config.nLabels must be an integer in [2, ${nVisible - 1}] (got ${describeValue(k)})`);
    }
    return readRBMTensors(d, new LabelledRBM(nVisible - k, k, nHidden, { weightStd: 1 }));
  }
}

/** Writes a one-hot draw from the probabilities `p[po … po+n−1]` into `out[o … o+n−1]`. */
function drawCategorical(out: Float64Array, o: number, p: Float64Array, po: number, n: number, rng: Random): void {
  const u = rng.float64();
  let acc = 0, k = n - 1;
  for (let i = 0; i < n; i++) {
    acc += p[po + i];
    if (u < acc) {
      k = i;
      break;
    }
  }
  for (let i = 0; i < n; i++) out[o + i] = i === k ? 1 : 0;
}

/** Options of the {@link DBN} constructor.
 * @category Models
 */
export interface DBNOptions {
  /** Softmax label units joined to the top RBM (0: none, else ≥ 2). Default `0`. */
  nLabels?: number;
  /** Seed or generator: the initial weights (one stream per layer), then the model's own stream ({@link DBN.random}). Default seed `0`. */
  rng?: number | Random;
  /** Standard deviation of the initial weights. Default `0.01`. */
  weightStd?: number;
}

const DBN_KEYS = optionKeys<DBNOptions>()({ nLabels: true, rng: true, weightStd: true });

/** The RBM trainer's hyperparameters, as {@link DBN.fit} takes them (the generator comes from the fit's `rng`).
 * @category Models
 */
export type DBNLayerTrainerOptions = Omit<RBMTrainerOptions, 'rng'>;

const LAYER_TRAINER_KEYS = RBM_TRAINER_KEYS.filter((k) => k !== 'rng');

/**
 * Options of {@link DBN.fit} and {@link DBN.partialFit}: the RBM trainer's
 * hyperparameters for every layer (`method`, `k`, `learningRate`, `momentum`,
 * `batchSize`, …; per layer in `layerOptions`), and the stack's own options.
 * @category Models
 */
export interface DBNFitOptions extends DBNLayerTrainerOptions {
  /** Class index of every training row (required when the DBN has label units). */
  labels?: ArrayLike<number>;
  /** Epochs per RBM (one number, or one per layer). Default `10`. Not for `partialFit` (one pass). */
  epochs?: number | readonly number[];
  /** Per-layer trainer options (one entry per RBM, bottom first), over the shared ones. */
  layerOptions?: readonly DBNLayerTrainerOptions[];
  /** Seed or generator; layer `k` trains from its own stream. Default: split from the model's stream {@link DBN.random}. */
  rng?: number | Random;
  /** What the next layer trains on: `'probs'` (default) or `'samples'` of the hidden units. */
  propagate?: 'probs' | 'samples';
  /** Set each RBM's visible biases from its input's means before training. Default `true`. */
  initBiases?: boolean;
  /** Called after every epoch of every layer with its metrics (`stage` is `'layer k'`, 0 = bottom); return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops between steps when aborted. */
  signal?: AbortSignal;
  /** Worker threads for the linear algebra (see `withThreads`). */
  threads?: number;
}

const DBN_FIT_KEYS = optionKeys<DBNFitOptions>()({
  labels: true,
  epochs: true,
  layerOptions: true,
  rng: true,
  propagate: true,
  initBiases: true,
  onEpoch: true,
  signal: true,
  threads: true,
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
});

/** Options of {@link DBN.sample}.
 * @category Models
 */
export interface DBNSampleOptions extends BaseSampleOptions {
  /** Gibbs steps in the top RBM. Default `1000`. */
  steps?: number;
  /** One class for every sample: the label units are clamped to it (label units required). */
  label?: number;
  /** A class per sample (length `n`): the label units are clamped to it (label units required). */
  labels?: ArrayLike<number>;
  /** Return the bottom layer's probabilities `P(v | h₁)` instead of a sample. Default `true`. */
  meanField?: boolean;
  /** Seed or generator for this call only (default: continue the model's stream {@link DBN.random}). */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<DBNSampleOptions>()({ steps: true, label: true, labels: true, meanField: true, rng: true });

/** Options of {@link DBN.score} and {@link DBN.scoreSamples}.
 * @category Models
 */
export interface DBNScoreOptions extends ScoreOptions {
  /**
   * `'auto'` (default): `'exact'` while enumeration fits (see {@link DBN_EXACT_MAX_UNITS}), else `'bound'`;
   * `'exact'`; `'bound'`: Salakhutdinov & Murray's (2008) variational lower bound (no label units).
   */
  method?: 'auto' | 'exact' | 'bound';
  /** A class per row: score the joint `log P(v, y)` instead of `log P(v)` (exact only; label units required). */
  labels?: ArrayLike<number>;
  /** `'bound'`: samples of the recognition posterior per row. Default `100`. */
  boundSamples?: number;
  /** `'bound'`: AIS base-rate model of the top RBM: its input rows, or visible biases. Default: the scored data propagated up. */
  aisBase?: DataInput | Float64Array;
  /** `'bound'`: seed or generator for the samples and AIS. Default: the model's stream ({@link DBN.random}), continued. */
  rng?: number | Random;
}

/** Options of {@link DBN.transform}.
 * @category Models
 */
export interface DBNTransformOptions {
  /** The layer whose hidden probabilities are returned, `1 … L`. Default `L` (the top). */
  layer?: number;
}

const TRANSFORM_KEYS = optionKeys<DBNTransformOptions>()({ layer: true });

const SCORE_KEYS = optionKeys<DBNScoreOptions>()({ method: true, aisRuns: true, aisBetas: true, labels: true, boundSamples: true, aisBase: true, rng: true });

/** Largest top RBM (smaller layer) whose `log Z` the `'bound'` score enumerates instead of estimating by AIS. */
const BOUND_EXACT_TOP_UNITS = 20;

/**
 * Largest layer exact scoring ({@link DBN.scoreSamples}) enumerates: the top
 * RBM's visible layer, and every hidden layer below it (with at most 24 units
 * in two adjacent enumerated layers).
 *
 * @example
 * ```ts
 * import { DBN, DBN_EXACT_MAX_UNITS } from 'boltzmann';
 * const dbn = new DBN([4, 6, 3], { rng: 1 }); // layer 1 has 6 ≤ DBN_EXACT_MAX_UNITS (20) units
 * dbn.score([[1, 0, 1, 0]]).method; // 'exact'
 * ```
 * @category Models
 */
export const DBN_EXACT_MAX_UNITS = 20;

/** Whether every option given for a layer's trainer equals the kept trainer's value. */
function keepsOptions(t: RBMTrainer, o: DBNLayerTrainerOptions): boolean {
  for (const [key, value] of Object.entries(o)) {
    if (value !== undefined && (t as unknown as Record<string, unknown>)[key] !== value) return false;
  }
  return true;
}

/**
 * A deep belief net of binary RBMs, any layer sizes.
 *
 * @example
 * ```ts
 * import { DBN, fromArrays } from 'boltzmann';
 * const data = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const dbn = new DBN([4, 3, 2], { rng: 1 });
 * dbn.fit(data, { epochs: 5, batchSize: 2 });
 * dbn.transform(data).cols; // 2
 * dbn.sample(3, { steps: 10 }).rows; // 3
 * dbn.score(data).method; // 'exact'
 * ```
 * @category Models
 */
export class DBN implements Model<BaseFitOptions, DBNSampleOptions, DBNScoreOptions> {
  /** The document kind. */
  readonly kind = 'dbn';
  /** The model's own generator stream: seeded at construction, continued by `sample` and the default generators of `fit`/`partialFit`. */
  readonly random: Random;
  /** Layer sizes `[nVisible, n₁, …, n_L]` (labels not included). */
  readonly sizes: readonly number[];
  /** Label units joined to the top RBM (0: none). */
  readonly nLabels: number;
  /** The RBMs, bottom first: `layers[k]` has `sizes[k]` (plus the labels for the top) visible and `sizes[k+1]` hidden units. */
  readonly layers: RBM[];
  /** The layers' trainers kept between `fit`/`partialFit` calls (created as each layer starts training). */
  private trainers: (RBMTrainer | undefined)[] = [];
  /** The `rng` option of the call that made {@link DBN.trainers} (compared by a later `partialFit`). */
  private trainerRng: unknown;

  /**
   * @param sizes - `[nVisible, n₁, …, n_L]`, at least two entries, positive integers
   * @param options - see {@link DBNOptions}
   * @throws {RangeError} on bad sizes or options
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([784, 500, 500, 2000], { nLabels: 10 }).layers[2].nVisible; // 510
   * ```
   */
  constructor(sizes: readonly number[], options?: DBNOptions) {
    const where = 'DBN';
    if (!Array.isArray(sizes) || sizes.length < 2) throw new RangeError(`${where}: sizes must be an array of at least 2 layer sizes (got ${describeValue(sizes)})`);
    for (let k = 0; k < sizes.length; k++) checkSize(where, `sizes[${k}]`, sizes[k]);
    for (let k = 0; k + 1 < sizes.length; k++) checkElements(where, `sizes[${k}] × sizes[${k + 1}]`, sizes[k] as number, sizes[k + 1] as number);
    const o = checkOptionsKeys(where, options, DBN_KEYS);
    const nLabels = o.nLabels === undefined ? 0 : checkInt(where, 'nLabels', o.nLabels, 0);
    if (nLabels === 1) throw new RangeError(`${where}: nLabels must be 0 or at least 2 (got 1)`);
    const std = o.weightStd === undefined ? 0.01 : checkPositive(where, 'weightStd', o.weightStd);
    this.random = toRandom(o.rng === undefined ? 0 : o.rng, where);
    const streams = this.random.streams(sizes.length - 1);
    this.sizes = Object.freeze(sizes.slice());
    this.nLabels = nLabels;
    const L = sizes.length - 1;
    this.layers = [];
    for (let k = 0; k < L; k++) {
      const opts = { rng: streams[k], weightStd: std };
      this.layers.push(k === L - 1 && nLabels > 0 ? new LabelledRBM(sizes[k], nLabels, sizes[k + 1], opts) : new RBM(sizes[k], sizes[k + 1], opts));
    }
  }

  /** Number of visible units. */
  get nVisible(): number {
    return this.sizes[0];
  }

  /** Number of RBMs (hidden layers). */
  get depth(): number {
    return this.sizes.length - 1;
  }

  private checkLabels(where: string, labels: unknown, rows: number): ArrayLike<number> {
    if (this.nLabels === 0) throw new RangeError(`${where}: labels need a DBN with label units (nLabels = 0)`);
    if (labels === null || typeof labels !== 'object' || typeof (labels as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`${where}: labels must be an array of class indices (got ${describeValue(labels)})`);
    }
    const y = labels as ArrayLike<number>;
    if (y.length !== rows) throw new ShapeError(`${where}: labels must have ${rows} entries (got ${y.length})`);
    for (let i = 0; i < y.length; i++) checkInt(where, `labels[${i}]`, y[i], 0, this.nLabels - 1);
    return y;
  }

  /** `[rows, nF + nLabels]` rows of `x` followed by the one-hot labels (or `fill` everywhere when labels are undefined). */
  private withLabels(x: Float64Array, rows: number, nF: number, labels: ArrayLike<number> | undefined, fill = 0): Float64Array {
    const nL = this.nLabels, w = nF + nL;
    const out = new Float64Array(rows * w);
    for (let r = 0; r < rows; r++) {
      out.set(x.subarray(r * nF, (r + 1) * nF), r * w);
      if (labels === undefined) out.fill(fill, r * w + nF, (r + 1) * w);
      else out[r * w + nF + labels[r]] = 1;
    }
    return out;
  }

  /** Checks the options shared by `fit` and `partialFit`; returns them with the per-layer trainer options. */
  private checkFit(where: string, data: DataInput, options: DBNFitOptions | undefined) {
    const x = checkBatch(where, 'data', toMatrix(where, 'data', data, this.nVisible), this.nVisible, 'unit');
    const o = checkOptionsKeys(where, options, DBN_FIT_KEYS);
    const L = this.depth;
    const labels = this.nLabels > 0 ? this.checkLabels(where, o.labels, x.rows) : undefined;
    if (this.nLabels === 0 && o.labels !== undefined) throw new RangeError(`${where}: labels need a DBN with label units (nLabels = 0)`);
    const shared: DBNLayerTrainerOptions = {};
    for (const key of LAYER_TRAINER_KEYS) if (o[key] !== undefined) (shared as Record<string, unknown>)[key] = o[key];
    let perLayer: DBNLayerTrainerOptions[] = Array.from({ length: L }, () => shared);
    if (o.layerOptions !== undefined) {
      if (!Array.isArray(o.layerOptions) || o.layerOptions.length !== L) {
        throw new RangeError(`${where}: layerOptions must have one entry per layer (${L}) (got ${describeValue(o.layerOptions)})`);
      }
      perLayer = o.layerOptions.map((t, k) => ({ ...shared, ...checkOptionsKeys(`${where}: layerOptions[${k}]`, t, LAYER_TRAINER_KEYS) }));
    }
    const propagate = o.propagate === undefined ? 'probs' : checkOneOf(where, 'propagate', o.propagate, ['probs', 'samples'] as const);
    const initBiases = o.initBiases === undefined ? true : checkBoolean(where, 'initBiases', o.initBiases);
    checkCallback(where, 'onEpoch', o.onEpoch);
    checkAbortSignal(where, o.signal);
    if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
    if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng as number, where);
    // Validate every trainer's options before anything is trained.
    // …and each layer's learning-rate schedule at its first update: layer k > 0 starts only after
    // the layers below it have trained, too late to refuse it with the model unchanged.
    for (let k = 0; k < L; k++) new RBMTrainer(this.layers[k].clone(), { ...perLayer[k], rng: 0 }).currentLearningRate();
    return { x, o, labels, perLayer, propagate, initBiases };
  }

  /** The input of layer `k`'s RBM: `x` (the layer below's output), with the one-hot labels for a labelled top RBM. */
  private layerInput(k: number, x: Matrix, labels: ArrayLike<number> | undefined): Matrix {
    const rbm = this.layers[k];
    return k === this.depth - 1 && this.nLabels > 0 ? { rows: x.rows, cols: rbm.nVisible, data: this.withLabels(x.data, x.rows, this.sizes[k], labels) } : x;
  }

  /**
   * Runs `epochs[k]` epochs of the trainer `trainerFor(k, input)` gives on each
   * layer in turn, each on the hidden probabilities (or samples, from
   * `sampleRng(k)`) of the one below.
   */
  private trainLayers(
    x: Matrix,
    labels: ArrayLike<number> | undefined,
    trainerFor: (k: number, input: Matrix) => RBMTrainer,
    epochs: readonly number[],
    propagate: 'probs' | 'samples',
    sampleRng: (k: number) => Random,
    onEpoch: ((m: EpochMetrics) => unknown) | undefined,
    signal: AbortSignal | undefined,
  ): FitResult {
    const L = this.depth;
    const history: EpochMetrics[] = [];
    let done = 0;
    let input = x;
    for (let k = 0; k < L; k++) {
      const rbm = this.layers[k];
      const xk = this.layerInput(k, input, labels);
      const stage = `layer ${k}`;
      let stopped = false;
      const res = trainerFor(k, xk).fit(xk, {
        epochs: epochs[k],
        signal,
        onEpoch:
          onEpoch === undefined
            ? undefined
            : (m: EpochMetrics) => {
                const staged: EpochMetrics = { ...m, stage };
                history.push(staged);
                stopped = onEpoch(staged) === false;
                return !stopped;
              },
      });
      done += res.epochs;
      if (res.aborted || stopped) return { history, epochs: done, aborted: res.aborted };
      if (k < L - 1) input = propagate === 'probs' ? rbm.hiddenProbs(input) : rbm.sampleHidden(input, sampleRng(k));
    }
    return { history, epochs: done, aborted: false };
  }

  /**
   * Greedy layer-wise training: each RBM is trained by a fresh {@link RBMTrainer}
   * on the hidden probabilities (or samples) of the one below; the top RBM also
   * sees the one-hot labels. The trainers are kept, so `partialFit` continues them.
   *
   * @param data - `[n, nVisible]` rows in [0, 1] (not modified)
   * @param options - see {@link DBNFitOptions}
   * @returns the metrics of every epoch of every layer (stage `'layer k'`; recorded when `onEpoch` is given), epochs completed, whether aborted
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before training)
   * @throws {NumericalError} when an RBM update is not finite (that RBM unchanged)
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * const dbn = new DBN([2, 3, 2], { nLabels: 2 });
   * dbn.fit([[1, 0], [0, 1]], { labels: [0, 1], epochs: [2, 3], batchSize: 2 }).epochs; // 5
   * ```
   */
  fit(data: DataInput, options?: DBNFitOptions): FitResult {
    const where = 'DBN.fit';
    const { x, o, labels, perLayer, propagate, initBiases } = this.checkFit(where, data, options);
    const L = this.depth;
    let epochs: number[];
    if (Array.isArray(o.epochs)) {
      if (o.epochs.length !== L) throw new RangeError(`${where}: epochs must have one entry per layer (${L}) (got ${o.epochs.length})`);
      epochs = o.epochs.map((e, k) => checkPositiveInt(where, `epochs[${k}]`, e));
    } else epochs = Array.from({ length: L }, () => (o.epochs === undefined ? 10 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps')));
    const undo = this.undoPoint();
    const streams = (o.rng === undefined ? this.random.split() : toRandom(o.rng as number | Random, where)).streams(2 * L);
    const trainers: (RBMTrainer | undefined)[] = Array.from({ length: L }, () => undefined);
    this.trainers = trainers;
    this.trainerRng = o.rng;
    const trainerFor = (k: number, input: Matrix): RBMTrainer => {
      if (initBiases) this.layers[k].initVisibleBias(input);
      const t = new RBMTrainer(this.layers[k], { ...perLayer[k], rng: streams[2 * k] });
      trainers[k] = t;
      return t;
    };
    try {
      return withThreads(o.threads, () => this.trainLayers(x, labels, trainerFor, epochs, propagate, (k) => streams[2 * k + 1], o.onEpoch, o.signal));
    } catch (e) {
      undo();
      throw e;
    }
  }

  /**
   * What a training call that fails before its first update must put back: the
   * layers' parameters (the visible biases `initBiases` set), the model's
   * generator and the kept trainers. The returned function restores them when no
   * trainer has made an update since; a call that failed after some updates
   * keeps them (each failing update itself is not applied).
   */
  private undoPoint(): () => void {
    const random = this.random.getState(), kept = this.trainers.slice(), steps = kept.map((t) => t?.steps ?? 0), keptRng = this.trainerRng;
    const params = this.layers.map((l) => l.parameterArrays().map((a) => Float64Array.from(a)));
    return () => {
      for (let k = 0; k < this.trainers.length; k++) {
        const t = this.trainers[k];
        if (t !== undefined && t.steps !== (t === kept[k] ? steps[k] : 0)) return;
      }
      for (let k = 0; k < this.layers.length; k++) {
        const now = (this.layers[k] as RBM).parameterArrays();
        for (let i = 0; i < now.length; i++) (now[i] as Float64Array).set(params[k]?.[i] as Float64Array);
      }
      this.random.setState(random);
      this.trainers = kept;
      this.trainerRng = keptRng;
    };
  }

  /**
   * One pass (one epoch, in mini-batches) over `batch` for every layer in turn,
   * bottom first, continuing the trainers of earlier `fit`/`partialFit` calls
   * (optimiser state, persistent chains, generators). The first call without
   * trainers creates them from the options given (and, with `initBiases`, sets
   * the visible biases from this batch); a later call giving a layer a trainer
   * option whose value differs from its kept trainer's (or a different `rng`)
   * starts that layer's trainer afresh, as `RBM.partialFit` does, keeping the
   * layer's parameters.
   *
   * @param batch - `[rows, nVisible]` rows in [0, 1] (not modified)
   * @param options - as {@link DBNFitOptions}, without `epochs`
   * @returns the metrics of the pass (one epoch per layer)
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before training)
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * const dbn = new DBN([4, 3, 2], { rng: 1 });
   * dbn.partialFit([[1, 1, 0, 0], [0, 0, 1, 1]], { batchSize: 2 }).epochs; // 2 (one per layer)
   * ```
   */
  partialFit(batch: DataInput, options?: DBNFitOptions): FitResult {
    const where = 'DBN.partialFit';
    if (options !== undefined && options !== null && typeof options === 'object' && 'epochs' in options && options.epochs !== undefined) {
      throw new TypeError(`${where}: option 'epochs' is for fit (partialFit makes one pass per layer)`);
    }
    const { x, o, labels, perLayer, propagate, initBiases } = this.checkFit(where, batch, options);
    const L = this.depth;
    const undo = this.undoPoint();
    const trainers = this.trainers;
    const root = o.rng === undefined ? this.random : toRandom(o.rng as number | Random, where);
    // a different rng, or a layer's trainer option that differs from its kept trainer's, starts that
    // layer's trainer afresh (as RBM.partialFit does); initBiases applies only where there was none
    const newRng = o.rng !== undefined && o.rng !== this.trainerRng;
    if (newRng) this.trainerRng = o.rng;
    const trainerFor = (k: number, input: Matrix): RBMTrainer => {
      let t = trainers[k];
      if (t === undefined || newRng || !keepsOptions(t, perLayer[k] as DBNLayerTrainerOptions)) {
        if (t === undefined && initBiases) this.layers[k].initVisibleBias(input);
        t = new RBMTrainer(this.layers[k], { ...perLayer[k], rng: root.split() });
        trainers[k] = t;
      }
      return t;
    };
    const ones = Array.from({ length: L }, () => 1);
    try {
      return withThreads(o.threads, () => this.trainLayers(x, labels, trainerFor, ones, propagate, () => this.random, o.onEpoch, o.signal));
    } catch (e) {
      undo();
      throw e;
    }
  }

  /** Unchecked deterministic up-pass to layer `upTo` (probabilities), label units at `1/nLabels` for the top. */
  private upPass(v: Matrix, upTo: number): Matrix {
    let x = v;
    for (let k = 0; k < upTo; k++) {
      const rbm = this.layers[k];
      let inp = x.data;
      if (rbm instanceof LabelledRBM) inp = this.withLabels(x.data, x.rows, this.sizes[k], undefined, 1 / this.nLabels);
      const out = new Float64Array(x.rows * rbm.nHidden);
      rbm.hiddenProbsUnchecked(out, inp, x.rows);
      x = { rows: x.rows, cols: rbm.nHidden, data: out };
    }
    return x;
  }

  /**
   * Features: hidden probabilities after a deterministic up-pass to `layer`
   * (default the top, `L`). For the top layer of a labelled DBN the label units are set to `1/nLabels`.
   *
   * @param v - `[batch, nVisible]`
   * @param options - `layer` in `1 … L`
   * @returns `[batch, sizes[layer]]`
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([3, 4, 2]).transform([[1, 0, 1]], { layer: 1 }).cols; // 4
   * ```
   */
  transform(v: DataInput, options?: DBNTransformOptions): Matrix {
    const where = 'DBN.transform';
    const x = checkBatch(where, 'v', toMatrix(where, 'v', v, this.nVisible), this.nVisible, 'unit');
    const o = checkOptionsKeys(where, options, TRANSFORM_KEYS);
    const layer = o.layer === undefined ? this.depth : checkInt(where, 'layer', o.layer, 1, this.depth);
    return this.upPass(x, layer);
  }

  /**
   * Class probabilities `P(y | v) ∝ exp(−F_top([h_{L−1}(v), e_y]))` with
   * `h_{L−1}(v)` from the deterministic up-pass (the DBN's generative classifier).
   *
   * @param v - `[batch, nVisible]`
   * @returns `[batch, nLabels]`, rows summing to 1
   * @throws {RangeError} without label units
   * @throws {ShapeError} on bad input
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([2, 3], { nLabels: 2 }).predictProba([[1, 0]]).cols; // 2
   * ```
   */
  predictProba(v: DataInput): Matrix {
    const where = 'DBN.predictProba';
    const vm = checkBatch(where, 'v', toMatrix(where, 'v', v, this.nVisible), this.nVisible, 'unit');
    if (this.nLabels === 0) throw new RangeError(`${where}: the DBN has no label units`);
    const L = this.depth, top = this.layers[L - 1], nF = this.sizes[L - 1], nH = top.nHidden, nL = this.nLabels;
    const x = this.upPass(vm, L - 1);
    const rows = x.rows;
    const act = new Float64Array(rows * nH);
    for (let r = 0; r < rows; r++) act.set(top.hiddenBias, r * nH);
    getKernel().gemm(false, false, rows, nH, nF, 1, x.data, nF, top.weights.data, nH, 1, act, nH);
    const out = new Float64Array(rows * nL);
    const W = top.weights.data, b = top.visibleBias;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < nL; c++) {
        let s = b[nF + c];
        const ow = (nF + c) * nH;
        for (let j = 0; j < nH; j++) s += softplus(act[r * nH + j] + W[ow + j]);
        out[r * nL + c] = s; // feature term bᵀx is the same for every class
      }
      const lse = logSumExp(out, r * nL, (r + 1) * nL);
      for (let c = 0; c < nL; c++) out[r * nL + c] = exp(out[r * nL + c] - lse);
    }
    return { rows, cols: nL, data: out };
  }

  /**
   * Most probable class under {@link DBN.predictProba}.
   *
   * @param v - `[batch, nVisible]`
   * @returns class indices
   * @throws {RangeError | ShapeError} as {@link DBN.predictProba}
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([2, 3], { nLabels: 2 }).predict([[1, 0]]).length; // 1
   * ```
   */
  predict(v: DataInput): Int32Array {
    return argmaxRows(this.predictProba(v));
  }

  /**
   * Draws samples: Gibbs sampling in the top RBM (label units clamped to
   * `label`/`labels` when given, else sampled as a softmax group), then one directed
   * pass down `h_{k−1} ~ P(h_{k−1} | h_k)`; the last step returns `P(v | h₁)` (or a sample).
   * Continues the model's stream {@link DBN.random} unless `rng` is given, so two
   * calls give different draws.
   *
   * @param n - number of samples (must equal `labels.length` when labels are given)
   * @param options - see {@link DBNSampleOptions}
   * @returns `[n, nVisible]`
   * @throws {RangeError | ShapeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * const dbn = new DBN([4, 3, 2], { nLabels: 2 });
   * dbn.sample(2, { steps: 5, labels: [0, 1] }).rows; // 2
   * dbn.sample(3, { steps: 5, label: 1, rng: 4 }).rows; // 3, reproducible for seed 4
   * ```
   */
  sample(n: number, options?: DBNSampleOptions): Matrix {
    const where = 'DBN.sample';
    checkSize(where, 'n', n);
    checkElements(where, 'n × units', n, this.sizes.reduce((a, b) => a + b, 0));
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const steps = o.steps === undefined ? 1000 : checkSteps(where, 'steps', o.steps);
    const meanField = o.meanField === undefined ? true : checkBoolean(where, 'meanField', o.meanField);
    if (o.label !== undefined && o.labels !== undefined) throw new TypeError(`${where}: give label or labels, not both`);
    let labels: ArrayLike<number> | undefined;
    if (o.labels !== undefined) labels = this.checkLabels(where, o.labels, n);
    else if (o.label !== undefined) {
      if (this.nLabels === 0) throw new RangeError(`${where}: label needs a DBN with label units (nLabels = 0)`);
      labels = new Int32Array(n).fill(checkInt(where, 'label', o.label, 0, this.nLabels - 1));
    }
    const g = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const L = this.depth, top = this.layers[L - 1], nV = top.nVisible, nH = top.nHidden, nF = this.sizes[L - 1], nL = this.nLabels;
    const x = new Float64Array(n * nV), mean = new Float64Array(n * nV), h = new Float64Array(n * nH);
    // start: features ~ Bernoulli(σ(b)), labels clamped or drawn from softmax(b_y)
    const p0 = new Float64Array(nV);
    for (let i = 0; i < nF; i++) p0[i] = sigmoid(top.visibleBias[i]);
    if (nL > 0) {
      const lse = logSumExp(top.visibleBias, nF, nV);
      for (let i = nF; i < nV; i++) p0[i] = exp(top.visibleBias[i] - lse);
    }
    for (let r = 0; r < n; r++) {
      const o2 = r * nV;
      for (let i = 0; i < nF; i++) x[o2 + i] = g.float64() < p0[i] ? 1 : 0;
      if (nL > 0) {
        if (labels !== undefined) for (let i = 0; i < nL; i++) x[o2 + nF + i] = i === labels[r] ? 1 : 0;
        else drawCategorical(x, o2 + nF, p0, nF, nL, g);
      }
    }
    for (let s = 0; s < steps; s++) {
      top.hiddenProbsUnchecked(h, x, n);
      for (let i = 0; i < h.length; i++) h[i] = g.float64() < h[i] ? 1 : 0;
      top.visibleMeanUnchecked(mean, h, n, true);
      const last = s === steps - 1 && meanField && L === 1;
      for (let r = 0; r < n; r++) {
        const o2 = r * nV;
        for (let i = 0; i < nF; i++) x[o2 + i] = last ? mean[o2 + i] : g.float64() < mean[o2 + i] ? 1 : 0;
        if (nL > 0 && labels === undefined) drawCategorical(x, o2 + nF, mean, o2 + nF, nL, g);
      }
    }
    // Directed pass down from the top RBM's (feature) visible layer.
    let cur = new Float64Array(n * nF);
    for (let r = 0; r < n; r++) cur.set(x.subarray(r * nV, r * nV + nF), r * nF);
    for (let k = L - 2; k >= 0; k--) {
      const rbm = this.layers[k];
      const next = new Float64Array(n * rbm.nVisible);
      rbm.visibleMeanUnchecked(next, cur, n, true);
      if (!(k === 0 && meanField)) for (let i = 0; i < next.length; i++) next[i] = g.float64() < next[i] ? 1 : 0;
      cur = next;
    }
    return { rows: n, cols: this.nVisible, data: cur };
  }

  /** The RangeError exact scoring throws when a layer is too large to enumerate, or undefined when it fits. */
  private exactLimit(where: string): RangeError | undefined {
    const L = this.depth, sizes = this.sizes;
    const topVis = sizes[L - 1];
    if (topVis > DBN_EXACT_MAX_UNITS) {
      return new RangeError(`${where}: layer ${L - 1} has ${topVis} units; exact scoring enumerates it and needs at most ${DBN_EXACT_MAX_UNITS} (use method 'bound')`);
    }
    for (let m = L - 1; m >= 2; m--) {
      if (sizes[m - 1] > DBN_EXACT_MAX_UNITS || sizes[m] + sizes[m - 1] > 24) {
        return new RangeError(
          `${where}: layers ${m - 1} and ${m} (${sizes[m - 1]} and ${sizes[m]} units) are too large to enumerate together (at most 24 units; use method 'bound')`,
        );
      }
    }
    return undefined;
  }

  /** Per-row scores and the summary. */
  private scoreChecked(where: string, data: DataInput, options: DBNScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const r = this.scoreUnchecked(where, data, options);
    checkScoresFinite(where, r.perRow);
    return r;
  }

  private scoreUnchecked(where: string, data: DataInput, options: DBNScoreOptions | undefined): { perRow: Float64Array; result: ScoreResult } {
    const x = checkBatch(where, 'data', toMatrix(where, 'data', data, this.nVisible), this.nVisible, 'unit');
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const m = o.method === undefined ? 'auto' : checkOneOf(where, 'method', o.method, ['auto', 'exact', 'bound'] as const);
    const top = this.layers[this.depth - 1];
    // AIS keeps a visible and a hidden state of the top RBM per run
    const runs = o.aisRuns === undefined ? 100 : checkSize(where, 'aisRuns', o.aisRuns);
    checkElements(where, 'aisRuns × (top nVisible + nHidden)', runs, top.nVisible + top.nHidden);
    let betas: Float64Array | undefined;
    if (o.aisBetas !== undefined) {
      const n = checkSize(where, 'aisBetas', o.aisBetas, 3, 'maxSteps');
      const a = Math.max(1, Math.round(n / 29)), b = Math.max(1, Math.round((8 * n) / 29));
      betas = aisSchedule(a, b, Math.max(1, n - a - b));
    }
    // the bound replicates every row boundSamples times, through every layer
    const samples = o.boundSamples === undefined ? 100 : checkSize(where, 'boundSamples', o.boundSamples);
    checkElements(where, 'rows × boundSamples × (widest layer)', x.rows, samples, Math.max(...this.sizes));
    if (o.aisBase instanceof Float64Array) checkVector(where, 'aisBase', o.aisBase, top.nVisible);
    else if (o.aisBase !== undefined) checkBatch(where, 'aisBase', o.aisBase, top.nVisible, 'unit');
    if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where);
    const y = o.labels === undefined ? undefined : this.checkLabels(where, o.labels, x.rows);
    const limit = this.exactLimit(where);
    const method = m === 'auto' ? (limit === undefined ? 'exact' : 'bound') : m;
    // the mean a user gets from scoreSamples: summed in row order, then divided
    const mean = (a: Float64Array): number => {
      let t = 0;
      for (let r = 0; r < a.length; r++) t += a[r];
      return t / a.length;
    };
    if (method === 'exact') {
      if (limit !== undefined) throw limit;
      const perRow = this.exactUnchecked(x, y);
      const mu = mean(perRow);
      return { perRow, result: { mean: mu, lower: mu, upper: mu, method } };
    }
    if (this.nLabels > 0) throw new RangeError(`${where}: the 'bound' score needs a DBN without label units (it has ${this.nLabels}); use 'exact' on a small DBN`);
    if (y !== undefined) throw new RangeError(`${where}: labels need method 'exact'`);
    const g = o.rng === undefined ? this.random : toRandom(o.rng, where);
    let logZ: number, logZLower: number, logZUpper: number, ess: number | undefined;
    if (Math.min(top.nVisible, top.nHidden) <= BOUND_EXACT_TOP_UNITS) logZ = logZLower = logZUpper = rbmExactLogPartition(top);
    else {
      const base = o.aisBase ?? this.upPass(x, this.depth - 1);
      const ais = rbmAIS(top, { runs, betas, base, rng: g });
      ({ logZ, logZLower, logZUpper } = ais);
      ess = ais.effectiveSampleSize;
    }
    const perRow = dbnBoundTerms(this, x, samples, g).map((b) => b - logZ);
    const mu = mean(perRow);
    const result: ScoreResult = { mean: mu, lower: mu - (logZUpper - logZ), upper: mu + (logZ - logZLower), method: 'bound', logZ };
    if (ess !== undefined) result.ess = ess;
    return { perRow, result };
  }

  /**
   * Per-row log-likelihood `log P(v)` (or the joint `log P(v, y)` with `labels`)
   * in nats. `'exact'` enumerates: `P(h_{L−1}[, y]) = exp(−F_top) / Z_top` and
   * each lower layer a directed sigmoid layer, every hidden layer below the top
   * RBM's hidden layer (each at most {@link DBN_EXACT_MAX_UNITS} units, at most
   * 24 units in two adjacent ones). `'bound'` (automatic beyond that) is
   * Salakhutdinov & Murray's (2008) variational lower bound with the up-pass as
   * the approximate posterior, its expectation estimated from `boundSamples`
   * draws per row, and `log Z_top` enumerated (top RBM's smaller layer ≤ 20
   * units) or estimated by AIS.
   *
   * @param data - `[n, nVisible]` binary rows
   * @param options - see {@link DBNScoreOptions}
   * @returns length-`n` log-likelihoods (nats)
   * @throws {RangeError} on `'exact'` for a DBN too large to enumerate, `'bound'` with label units, or bad labels
   * @throws {ShapeError | TypeError} on bad data or options
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([3, 2, 2], { weightStd: 1e-12 }).scoreSamples([[1, 0, 1]])[0]; // ≈ 3·log(1/2)
   * new DBN([3, 2, 2], { rng: 1 }).scoreSamples([[1, 0, 1]], { method: 'bound' })[0]; // ≤ the exact value (up to sampling noise)
   * ```
   */
  scoreSamples(data: DataInput, options?: DBNScoreOptions): Float64Array {
    return this.scoreChecked('DBN.scoreSamples', data, options).perRow;
  }

  /**
   * Mean log-likelihood per row (see {@link DBN.scoreSamples}): `'exact'` (the
   * interval is the point) or `'bound'` (`lower`/`upper`: the bound at the ends of
   * the ±3σ AIS interval of `log Z_top`; the point when `log Z_top` is enumerated).
   *
   * @param data - `[n, nVisible]` binary rows
   * @param options - see {@link DBNScoreOptions}
   * @returns `{ mean, lower, upper, method, logZ?, ess? }`
   * @throws {RangeError | ShapeError | TypeError} as {@link DBN.scoreSamples}
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([3, 2, 2], { rng: 1 }).score([[1, 0, 1], [0, 1, 1]]).method; // 'exact'
   * ```
   */
  score(data: DataInput, options?: DBNScoreOptions): ScoreResult {
    return this.scoreChecked('DBN.score', data, options).result;
  }

  /** Unchecked exact log-likelihood (sizes checked by {@link DBN.exactLimit}). */
  private exactUnchecked(data: Matrix, y: ArrayLike<number> | undefined): Float64Array {
    const L = this.depth, sizes = this.sizes;
    const topVis = sizes[L - 1];
    // log P(h_{L−1} = s, y) for every class y (or marginal over y) from the top RBM.
    const top = this.layers[L - 1], nL = this.nLabels;
    const S = 2 ** topVis;
    const classes = nL === 0 ? [-1] : Array.from({ length: nL }, (_, c) => c);
    const joint = classes.map(() => new Float64Array(S));
    const states = new Float64Array(S * topVis);
    fillBits(states, S, topVis);
    for (let ci = 0; ci < classes.length; ci++) {
      const c = classes[ci];
      const inp = nL === 0 ? states : this.withLabels(states, S, topVis, Int32Array.from({ length: S }, () => c));
      const f = joint[ci];
      top.freeEnergyUnchecked(f, inp, S, new Float64Array(S * top.nHidden));
      for (let s = 0; s < S; s++) f[s] = -f[s];
    }
    const all = new Float64Array(S * classes.length);
    for (let i = 0; i < joint.length; i++) all.set(joint[i], i * S);
    const logZ = logSumExp(all);
    let tables: Float64Array[];
    if (y === undefined) {
      const m = new Float64Array(S);
      const tmp = new Float64Array(classes.length);
      for (let s = 0; s < S; s++) {
        for (let i = 0; i < classes.length; i++) tmp[i] = joint[i][s];
        m[s] = logSumExp(tmp) - logZ;
      }
      tables = [m];
    } else tables = joint.map((t) => t.map((x) => x - logZ));
    // Propagate down the directed layers to h₁.
    for (let m = L - 1; m >= 2; m--) tables = tables.map((t) => this.propagateDown(t, m - 1));
    // log P(v) = logΣ_t P(h₁ = t) P(v | h₁ = t), or directly the table when L = 1.
    const out = new Float64Array(data.rows);
    if (L === 1) {
      for (let r = 0; r < data.rows; r++) {
        let idx = 0;
        for (let i = this.nVisible - 1; i >= 0; i--) idx = 2 * idx + (data.data[r * this.nVisible + i] !== 0 ? 1 : 0);
        out[r] = tables[y === undefined ? 0 : y[r]][idx];
      }
      return out;
    }
    const n1 = sizes[1], T = 2 ** n1, nV = this.nVisible, bottom = this.layers[0];
    const h1 = new Float64Array(T * n1);
    fillBits(h1, T, n1);
    const act = new Float64Array(T * nV);
    hiddenToVisible(act, h1, T, bottom.weights.data, bottom.visibleBias, nV, n1);
    const sp = new Float64Array(T);
    for (let t = 0; t < T; t++) for (let i = 0; i < nV; i++) sp[t] += softplus(act[t * nV + i]);
    const dots = new Float64Array(data.rows * T);
    getKernel().gemm(false, true, data.rows, T, nV, 1, data.data, nV, act, nV, 0, dots, T);
    const terms = new Float64Array(T);
    for (let r = 0; r < data.rows; r++) {
      const tab = tables[y === undefined ? 0 : y[r]];
      for (let t = 0; t < T; t++) terms[t] = tab[t] + dots[r * T + t] - sp[t];
      out[r] = logSumExp(terms);
    }
    return out;
  }

  /** `log P(h_k = s) = logΣ_t log P(h_{k+1} = t) + log P(h_k = s | h_{k+1} = t)` for layer `k ≥ 1`. */
  private propagateDown(upper: Float64Array, k: number): Float64Array {
    const rbm = this.layers[k], nLow = this.sizes[k], nUp = this.sizes[k + 1];
    const T = 2 ** nUp, S = 2 ** nLow;
    const up = new Float64Array(T * nUp);
    fillBits(up, T, nUp);
    const low = new Float64Array(S * nLow);
    fillBits(low, S, nLow);
    const act = new Float64Array(T * nLow);
    hiddenToVisible(act, up, T, rbm.weights.data, rbm.visibleBias, nLow, nUp);
    const out = new Float64Array(S).fill(-Infinity);
    const terms = new Float64Array(T);
    const sp = new Float64Array(T);
    for (let t = 0; t < T; t++) for (let i = 0; i < nLow; i++) sp[t] += softplus(act[t * nLow + i]);
    for (let s = 0; s < S; s++) {
      for (let t = 0; t < T; t++) {
        let d = 0;
        for (let i = 0; i < nLow; i++) if (low[s * nLow + i] !== 0) d += act[t * nLow + i];
        terms[t] = upper[t] + d - sp[t];
      }
      out[s] = logSumExp(terms);
    }
    return out;
  }

  /**
   * A deep copy of the parameters, with a copy of the generator stream (the
   * copy draws what the original would draw next); the trainers kept by `fit` are not copied.
   *
   * @returns a new DBN
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * const a = new DBN([3, 2, 2], { rng: 4 });
   * a.clone().layers[0].weights.data[0] === a.layers[0].weights.data[0]; // true
   * ```
   */
  clone(): DBN {
    const c = DBN.fromDocument(this.toDocument());
    (c as { random: Random }).random = this.random.clone();
    return c;
  }

  /**
   * Saves the DBN as a versioned JSON document (kind `'dbn'`).
   *
   * @returns the document
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * DBN.fromDocument(JSON.parse(JSON.stringify(new DBN([3, 2, 2]).toDocument()))).depth; // 2
   * ```
   */
  toDocument(): ModelDocument {
    const tensors: ModelDocument['tensors'] = {};
    this.layers.forEach((rbm, k) => {
      tensors[`weights${k}`] = tensorToJson({ shape: [rbm.nVisible, rbm.nHidden], data: rbm.weights.data });
      tensors[`visibleBias${k}`] = tensorToJson({ shape: [rbm.nVisible], data: rbm.visibleBias });
      tensors[`hiddenBias${k}`] = tensorToJson({ shape: [rbm.nHidden], data: rbm.hiddenBias });
    });
    return { format: 'boltzmann', version: 1, kind: 'dbn', config: { sizes: this.sizes.slice(), nLabels: this.nLabels }, tensors, state: modelState(this.random) };
  }

  /**
   * Loads a DBN saved by {@link DBN.toDocument}.
   *
   * @param doc - parsed JSON
   * @returns the DBN
   * @throws {FormatError} when the document is malformed or of another kind
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * DBN.fromDocument(new DBN([3, 2], { nLabels: 2 }).toDocument()).nLabels; // 2
   * ```
   */
  static fromDocument(doc: unknown): DBN {
    const d = checkDocument(doc, 'dbn');
    const sizes = d.config.sizes, nLabels = d.config.nLabels;
    if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > 64 || !sizes.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= 1e7)) {
      throw new FormatError(`load dbn: config.sizes must be at least 2 positive integers (got ${describeValue(sizes)})`);
    }
    if (typeof nLabels !== 'number' || !Number.isInteger(nLabels) || nLabels < 0 || nLabels === 1 || nLabels > 1e6) {
      throw new FormatError(`load dbn: config.nLabels must be 0 or an integer ≥ 2 (got ${describeValue(nLabels)})`);
    }
    const sz = sizes as number[];
    const L = sz.length - 1;
    const read = sz.slice(0, -1).map((n, k) => {
      const nv = n + (k === L - 1 ? nLabels : 0);
      return [readTensor(d, `weights${k}`, [nv, sz[k + 1]]), readTensor(d, `visibleBias${k}`, [nv]), readTensor(d, `hiddenBias${k}`, [sz[k + 1]])];
    });
    const dbn = new DBN(sz, { nLabels });
    read.forEach(([w, b, c], k) => {
      dbn.layers[k].weights.data.set(w.data);
      dbn.layers[k].visibleBias.set(b.data);
      dbn.layers[k].hiddenBias.set(c.data);
    });
    restoreModelRandom('load dbn', d, dbn.random);
    return dbn;
  }
}

/** Row `s` of `out` (`[count, n]`) = the bits of `s` (bit `i` = unit `i`). */
function fillBits(out: Float64Array, count: number, n: number): void {
  for (let s = 0; s < count; s++) {
    let x = s;
    for (let i = 0; i < n; i++) {
      out[s * n + i] = x % 2;
      x = Math.floor(x / 2);
    }
  }
}

/**
 * Salakhutdinov & Murray's (2008) bound before `log Z_top`, per row: with the
 * recognition posterior `Q(h_k | h_{k−1}) = Π σ(c_k + h_{k−1}W_k)` (the up-pass, `h₀ = v`),
 * `log P(v) ≥ E_Q[Σ_{k<L} log P(h_{k−1} | h_k) − F_top(h_{L−1})] + Σ_{k<L} E_Q[H(Q(h_k | h_{k−1}))] − log Z_top`,
 * the expectation estimated from `samples` draws of the chain per row (unbiased
 * for the bound; exact when the DBN is one RBM). Rows go through in blocks of
 * `blockRows` (memory: `blockRows · samples` replicated rows at a time); `DBN.score`
 * runs one block. With one hidden layer below the top RBM the draws come from `g`
 * in the same order whatever the block size; deeper DBNs draw block by block.
 * @internal
 */
export function dbnBoundTerms(dbn: DBN, x: Matrix, samples: number, g: Random, blockRows = x.rows): Float64Array {
  const L = dbn.depth, n = x.rows, nV = dbn.nVisible;
  const out = new Float64Array(n);
  for (let r0 = 0; r0 < n; r0 += blockRows) {
    const m = Math.min(blockRows, n - r0), rows = m * samples;
    let cur = new Float64Array(rows * nV);
    for (let r = 0; r < m; r++) for (let s = 0; s < samples; s++) cur.set(x.data.subarray((r0 + r) * nV, (r0 + r + 1) * nV), (r * samples + s) * nV);
    const total = new Float64Array(rows);
    for (let k = 1; k < L; k++) {
      const rbm = dbn.layers[k - 1], nLow = rbm.nVisible, nUp = rbm.nHidden;
      const p = new Float64Array(rows * nUp);
      rbm.hiddenProbsUnchecked(p, cur, rows);
      const h = new Float64Array(rows * nUp);
      for (let r = 0; r < rows; r++) {
        let ent = 0;
        for (let j = 0; j < nUp; j++) {
          const q = p[r * nUp + j];
          if (q > 0) ent -= q * log(q);
          if (q < 1) ent -= (1 - q) * log(1 - q);
          h[r * nUp + j] = g.float64() < q ? 1 : 0;
        }
        total[r] += ent;
      }
      // log P(h_{k−1} | h_k) = Σ_i x_i a_i − softplus(a_i), a = b + W h
      const act = new Float64Array(rows * nLow);
      hiddenToVisible(act, h, rows, rbm.weights.data, rbm.visibleBias, nLow, nUp, true);
      for (let r = 0; r < rows; r++) {
        let t = 0;
        for (let i = 0; i < nLow; i++) {
          const a = act[r * nLow + i];
          t += cur[r * nLow + i] * a - softplus(a);
        }
        total[r] += t;
      }
      cur = h;
    }
    const top = dbn.layers[L - 1];
    const f = new Float64Array(rows);
    top.freeEnergyUnchecked(f, cur, rows, new Float64Array(rows * top.nHidden));
    for (let r = 0; r < m; r++) {
      let t = 0;
      for (let s = 0; s < samples; s++) t += total[r * samples + s] - f[r * samples + s];
      out[r0 + r] = t / samples;
    }
  }
  return out;
}
