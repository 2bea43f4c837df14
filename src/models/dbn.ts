/**
 * Deep belief net (Hinton, Osindero & Teh 2006): a stack of binary RBMs
 * `v = h₀ – h₁ – … – h_L`, trained greedily layer by layer with the shared
 * {@link ContrastiveDivergence} trainer, each RBM on the hidden probabilities
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
import { checkDocument, type ModelDocument, readTensor, tensorToJson } from '../document.js';
import { getKernel } from '../linalg/kernel.js';
import { argmaxRows, type Matrix } from '../linalg/matrix.js';
import { logSumExp, sigmoid, softplus } from '../linalg/stable.js';
import { exp } from '../math/elementary.js';
import { type Random, toRandom } from '../random/random.js';
import { ContrastiveDivergence, type ContrastiveDivergenceOptions, type EpochMetrics } from '../train/rbm-trainer.js';
import { checkBoolean, checkInt, checkOneOf, checkOptions, checkPositive, checkPositiveInt } from '../validate.js';
import { checkBatch, RBM, type RBMOptions } from './rbm.js';
import { hiddenToVisible } from './rbm-products.js';

/**
 * A binary RBM whose last `nLabels` visible units form one softmax group (a
 * one-hot label): `P(y = k | h) = softmax(b_y + W_y h)_k`; the other visible
 * units are Bernoulli as usual. The energy and free energy are those of the RBM
 * restricted to one-hot labels, so {@link ContrastiveDivergence} trains it unchanged.
 *
 * @example
 * ```ts
 * import { LabelledRBM, fromArrays } from 'boltzmann';
 * const rbm = new LabelledRBM(3, 2, 4, { rng: 1 });
 * const p = rbm.visibleProbs(fromArrays([[1, 0, 1, 1]]));
 * p.data[3] + p.data[4]; // 1 (the label group sums to one)
 * ```
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
    checkPositiveInt('LabelledRBM', 'nFeatures', nFeatures);
    checkInt('LabelledRBM', 'nLabels', nLabels, 2);
    super(nFeatures + nLabels, nHidden, options);
    this.nFeatures = nFeatures;
    this.nLabels = nLabels;
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
    checkInt(where, 'steps', steps);
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

/** Options of the {@link DBN} constructor. */
export interface DBNOptions {
  /** Softmax label units joined to the top RBM (0: none, else ≥ 2). Default `0`. */
  nLabels?: number;
  /** Seed or generator for the initial weights. Default seed `0`. */
  rng?: number | Random;
  /** Standard deviation of the initial weights. Default `0.01`. */
  weightStd?: number;
}

/** Options of {@link DBN.fit}. */
export interface DBNFitOptions {
  /** Class index of every training row (required when the DBN has label units). */
  labels?: ArrayLike<number>;
  /** Epochs per RBM (one number, or one per layer). Default `10`. */
  epochs?: number | readonly number[];
  /** Options of each layer's {@link ContrastiveDivergence} (one, or one per layer); `rng` comes from `rng`. */
  trainer?: ContrastiveDivergenceOptions | readonly ContrastiveDivergenceOptions[];
  /** Seed or generator; layer `k` trains from its own stream. Default seed `0`. */
  rng?: number | Random;
  /** What the next layer trains on: `'probs'` (default) or `'samples'` of the hidden units. */
  propagate?: 'probs' | 'samples';
  /** Set each RBM's visible biases from its input's means before training. Default `true`. */
  initBiases?: boolean;
  /** Called after every epoch of every layer (layer 0 = bottom). */
  onEpoch?: (layer: number, metrics: EpochMetrics) => void;
  /** Stops between steps when aborted. */
  signal?: AbortSignal;
}

/** Options of {@link DBN.generate}. */
export interface DBNGenerateOptions {
  /** Gibbs steps in the top RBM. Default `1000`. */
  gibbsSteps?: number;
  /** A class per sample: the label units are clamped to it (label units required). */
  labels?: ArrayLike<number>;
  /** Return the bottom layer's probabilities `P(v | h₁)` instead of a sample. Default `true`. */
  meanField?: boolean;
}

/**
 * Largest hidden layer {@link DBN.exactLogLikelihood} enumerates.
 *
 * @example
 * ```ts
 * import { DBN, DBN_EXACT_MAX_UNITS, fromArrays } from 'boltzmann';
 * const dbn = new DBN([4, 6, 3], { rng: 1 }); // top hidden layer 3 ≤ DBN_EXACT_MAX_UNITS (20)
 * dbn.exactLogLikelihood(fromArrays([[1, 0, 1, 0]])).length; // 1
 * ```
 */
export const DBN_EXACT_MAX_UNITS = 20;

/**
 * A deep belief net of binary RBMs, any layer sizes.
 *
 * @example
 * ```ts
 * import { DBN, fromArrays } from 'boltzmann';
 * const data = fromArrays([[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]]);
 * const dbn = new DBN([4, 3, 2], { rng: 1 });
 * dbn.fit(data, { epochs: 5, trainer: { batchSize: 2 } });
 * dbn.transform(data).cols; // 2
 * dbn.generate(3, { gibbsSteps: 10 }, 2).rows; // 3
 * ```
 */
export class DBN {
  /** Layer sizes `[nVisible, n₁, …, n_L]` (labels not included). */
  readonly sizes: readonly number[];
  /** Label units joined to the top RBM (0: none). */
  readonly nLabels: number;
  /** The RBMs, bottom first: `layers[k]` has `sizes[k]` (plus the labels for the top) visible and `sizes[k+1]` hidden units. */
  readonly layers: RBM[];

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
    for (let k = 0; k < sizes.length; k++) checkPositiveInt(where, `sizes[${k}]`, sizes[k]);
    const o = checkOptions(where, options);
    const nLabels = o.nLabels === undefined ? 0 : checkInt(where, 'nLabels', o.nLabels, 0);
    if (nLabels === 1) throw new RangeError(`${where}: nLabels must be 0 or at least 2 (got 1)`);
    const std = o.weightStd === undefined ? 0.01 : checkPositive(where, 'weightStd', o.weightStd);
    const streams = toRandom(o.rng ?? 0, where).streams(sizes.length - 1);
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

  /**
   * Greedy layer-wise training: each RBM is trained by {@link ContrastiveDivergence}
   * on the hidden probabilities (or samples) of the one below; the top RBM also
   * sees the one-hot labels.
   *
   * @param data - `[n, nVisible]` rows in [0, 1] (not modified)
   * @param options - see {@link DBNFitOptions}
   * @returns the per-layer trainer histories
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before training)
   * @throws {NumericalError} when an RBM update is not finite (that RBM unchanged)
   * @example
   * ```ts
   * import { DBN, fromArrays } from 'boltzmann';
   * const dbn = new DBN([2, 3, 2], { nLabels: 2 });
   * dbn.fit(fromArrays([[1, 0], [0, 1]]), { labels: [0, 1], epochs: 2, trainer: { batchSize: 2 } }).length; // 2
   * ```
   */
  fit(data: Matrix, options?: DBNFitOptions): EpochMetrics[][] {
    const where = 'DBN.fit';
    checkBatch(where, 'data', data, this.nVisible, 'unit');
    if (data.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
    const o = checkOptions(where, options);
    const L = this.depth;
    const labels = this.nLabels > 0 ? this.checkLabels(where, o.labels, data.rows) : undefined;
    if (this.nLabels === 0 && o.labels !== undefined) throw new RangeError(`${where}: labels need a DBN with label units (nLabels = 0)`);
    const per = <T>(name: string, v: T | readonly T[] | undefined): (T | undefined)[] => {
      if (Array.isArray(v)) {
        if (v.length !== L) throw new RangeError(`${where}: ${name} must have one entry per layer (${L}) (got ${v.length})`);
        return v.slice();
      }
      return Array.from({ length: L }, () => v as T | undefined);
    };
    const epochs = per('epochs', o.epochs).map((e, k) => (e === undefined ? 10 : checkPositiveInt(where, `epochs[${k}]`, e)));
    const trainers = per('trainer', o.trainer).map((t) => checkOptions(where, t));
    const propagate = o.propagate === undefined ? 'probs' : checkOneOf(where, 'propagate', o.propagate, ['probs', 'samples'] as const);
    const initBiases = o.initBiases === undefined ? true : checkBoolean(where, 'initBiases', o.initBiases);
    if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new TypeError(`${where}: onEpoch must be a function (got ${describeValue(o.onEpoch)})`);
    const streams = toRandom(o.rng ?? 0, where).streams(2 * L);
    // Validate every trainer's options before anything is trained.
    for (let k = 0; k < L; k++) new ContrastiveDivergence(this.layers[k].clone(), { ...trainers[k], rng: 0 });
    const histories: EpochMetrics[][] = [];
    let input = data;
    for (let k = 0; k < L; k++) {
      const rbm = this.layers[k];
      const x = k === L - 1 && this.nLabels > 0 ? { rows: input.rows, cols: rbm.nVisible, data: this.withLabels(input.data, input.rows, this.sizes[k], labels) } : input;
      if (initBiases) rbm.initVisibleBias(x);
      const cd = new ContrastiveDivergence(rbm, { ...trainers[k], rng: streams[2 * k] });
      const onEpoch = o.onEpoch;
      const res = cd.fit(x, { epochs: epochs[k], signal: o.signal, onEpoch: onEpoch === undefined ? undefined : (m) => onEpoch(k, m) });
      histories.push(res.history);
      if (res.aborted) return histories;
      if (k < L - 1) input = propagate === 'probs' ? rbm.hiddenProbs(input) : rbm.sampleHidden(input, streams[2 * k + 1]);
    }
    return histories;
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
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { DBN, fromArrays } from 'boltzmann';
   * new DBN([3, 4, 2]).transform(fromArrays([[1, 0, 1]]), { layer: 1 }).cols; // 4
   * ```
   */
  transform(v: Matrix, options?: { layer?: number }): Matrix {
    const where = 'DBN.transform';
    checkBatch(where, 'v', v, this.nVisible, 'unit');
    const o = checkOptions(where, options);
    const layer = o.layer === undefined ? this.depth : checkInt(where, 'layer', o.layer, 1, this.depth);
    return this.upPass(v, layer);
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
   * import { DBN, fromArrays } from 'boltzmann';
   * new DBN([2, 3], { nLabels: 2 }).predictProba(fromArrays([[1, 0]])).cols; // 2
   * ```
   */
  predictProba(v: Matrix): Matrix {
    const where = 'DBN.predictProba';
    checkBatch(where, 'v', v, this.nVisible, 'unit');
    if (this.nLabels === 0) throw new RangeError(`${where}: the DBN has no label units`);
    const L = this.depth, top = this.layers[L - 1], nF = this.sizes[L - 1], nH = top.nHidden, nL = this.nLabels;
    const x = this.upPass(v, L - 1);
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
   * import { DBN, fromArrays } from 'boltzmann';
   * new DBN([2, 3], { nLabels: 2 }).predict(fromArrays([[1, 0]])).length; // 1
   * ```
   */
  predict(v: Matrix): Int32Array {
    return argmaxRows(this.predictProba(v));
  }

  /**
   * Generates samples: Gibbs sampling in the top RBM (label units clamped to
   * `labels` when given, else sampled as a softmax group), then one directed
   * pass down `h_{k−1} ~ P(h_{k−1} | h_k)`; the last step returns `P(v | h₁)` (or a sample).
   *
   * @param n - number of samples (must equal `labels.length` when labels are given)
   * @param options - see {@link DBNGenerateOptions}
   * @param rng - seed or generator
   * @returns `[n, nVisible]`
   * @throws {RangeError | ShapeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { DBN } from 'boltzmann';
   * new DBN([4, 3, 2], { nLabels: 2 }).generate(2, { gibbsSteps: 5, labels: [0, 1] }, 1).rows; // 2
   * ```
   */
  generate(n: number, options?: DBNGenerateOptions, rng: number | Random = 0): Matrix {
    const where = 'DBN.generate';
    checkPositiveInt(where, 'n', n);
    const o = checkOptions(where, options);
    const steps = o.gibbsSteps === undefined ? 1000 : checkInt(where, 'gibbsSteps', o.gibbsSteps);
    const meanField = o.meanField === undefined ? true : checkBoolean(where, 'meanField', o.meanField);
    const labels = o.labels === undefined ? undefined : this.checkLabels(where, o.labels, n);
    const g = toRandom(rng, where);
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

  /**
   * Exact log-likelihood of each row by enumeration: `log P(v)` (or `log P(v, y)`
   * with labels), where `P(h_{L−1}[, y]) = exp(−F_top) / Z_top` and each lower layer
   * is a directed sigmoid layer. Enumerates every hidden layer below the top RBM's hidden
   * layer (each at most {@link DBN_EXACT_MAX_UNITS} units, and at most 2²⁴ pairs of adjacent layer states).
   *
   * @param data - `[n, nVisible]` binary rows
   * @param labels - optional class per row (joint likelihood with the label units)
   * @returns length-`n` log-likelihoods (nats)
   * @throws {RangeError} when a layer is too large to enumerate, or on bad labels
   * @throws {ShapeError} on bad data
   * @example
   * ```ts
   * import { DBN, fromArrays } from 'boltzmann';
   * new DBN([3, 2, 2], { weightStd: 1e-12 }).exactLogLikelihood(fromArrays([[1, 0, 1]]))[0]; // ≈ 3·log(1/2)
   * ```
   */
  exactLogLikelihood(data: Matrix, labels?: ArrayLike<number>): Float64Array {
    const where = 'DBN.exactLogLikelihood';
    checkBatch(where, 'data', data, this.nVisible, 'unit');
    const y = labels === undefined ? undefined : this.checkLabels(where, labels, data.rows);
    const L = this.depth, sizes = this.sizes;
    const topVis = sizes[L - 1];
    if (topVis > DBN_EXACT_MAX_UNITS) throw new RangeError(`${where}: layer ${L - 1} has ${topVis} units; exact enumeration needs at most ${DBN_EXACT_MAX_UNITS}`);
    for (let m = L - 1; m >= 2; m--) {
      if (sizes[m - 1] > DBN_EXACT_MAX_UNITS || sizes[m] + sizes[m - 1] > 24) {
        throw new RangeError(`${where}: layers ${m - 1} and ${m} (${sizes[m - 1]} and ${sizes[m]} units) are too large to enumerate together (at most 24 units)`);
      }
    }
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
    return { format: 'boltzmann', version: 1, kind: 'dbn', config: { sizes: this.sizes.slice(), nLabels: this.nLabels }, tensors };
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
