/**
 * Gaussian–Bernoulli RBM: real-valued visible units, binary hidden units.
 *
 * Energy `E(v, h) = Σ_i (v_i − b_i)² / (2σ_i²) − cᵀh − Σ_ij (v_i / σ_i) W_ij h_j`, so
 * `P(h_j = 1 | v) = σ(c_j + Σ_i (v_i/σ_i) W_ij)` and `v_i | h ~ N(b_i + σ_i (W h)_i, σ_i²)`.
 * Free energy `F(v) = Σ_i (v_i − b_i)²/(2σ_i²) − Σ_j softplus(c_j + Σ_i (v_i/σ_i) W_ij)`.
 *
 * By default `σ_i = 1` and fixed: standardise the data (zero mean, unit variance per
 * column) first. With `learnSigma: true` the trainer also learns `log σ_i`.
 *
 * It meets the model contract through {@link RBMBase}: `fit` / `partialFit`
 * (CD/PCD), `sample`, `transform`, and `score` / `scoreSamples` — exact
 * log-densities while the hidden layer can be enumerated (the visible units are
 * integrated in closed form); AIS and pseudo-likelihood need binary visible units.
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { checkDocument, type JsonObject, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import { sigmoid, softplusSum } from '../linalg/stable.js';
import type { Random } from '../random/random.js';
import { checkBoolean, checkOptionsKeys, type DataInput, optionKeys } from '../validate.js';
import { checkBatch, RBMBase, readSizes } from './rbm.js';
import { accumulateOuter, addScaledRowSums, hiddenToVisible, visibleToHidden } from './rbm-products.js';
import { exp, log } from '../math/elementary.js';

const HALF_LOG_2PI = 0.5 * log(2 * Math.PI);

/** Options of the {@link GaussianRBM} constructor.
 * @category Models
 */
export interface GaussianRBMOptions {
  /**
   * Seed or generator of the model's stream ({@link RBMBase.random}): it draws the
   * initial weights, then every stochastic method continues it. Default seed `0`.
   */
  rng?: number | Random;
  /** Standard deviation of the initial Gaussian weights. Default `0.01`. */
  weightStd?: number;
  /** Learn the visible standard deviations (as `log σ`). Default `false` (σ fixed). */
  learnSigma?: boolean;
  /** Initial σ: one number for all units or one per unit. Default `1`. */
  sigma?: number | Float64Array;
  /** Training data `[n, nVisible]` (any {@link DataInput}): its column means become the visible biases. */
  data?: DataInput;
}

const GAUSSIAN_RBM_KEYS = optionKeys<GaussianRBMOptions>()({ rng: true, weightStd: true, learnSigma: true, sigma: true, data: true });

/**
 * A Gaussian–Bernoulli RBM for real-valued data.
 *
 * @example
 * ```ts
 * import { GaussianRBM } from 'boltzmann';
 * const data = [[0.5, -1.2], [1.1, 0.3], [-0.7, 0.9]];
 * const grbm = new GaussianRBM(2, 3, { rng: 1, data });
 * grbm.fit(data, { epochs: 3, batchSize: 3, learningRate: 0.01 });
 * grbm.transform(data).cols; // 3
 * grbm.sample(4, { steps: 100 }).rows; // 4
 * grbm.score(data).method; // 'exact' (2³ hidden states; log-density in nats)
 * ```
 * @category Models
 */
export class GaussianRBM extends RBMBase {
  /** Always `'gaussian'`. */
  readonly visibleType = 'gaussian' as const;
  /** Always `'gaussian-rbm'`. */
  readonly kind: string = 'gaussian-rbm';
  /** Class name for error messages. */
  protected readonly name: string = 'GaussianRBM';
  /** `log σ_i` of each visible unit (learned when {@link GaussianRBM.learnSigma}). */
  readonly logSigma: Float64Array;
  /** Whether training updates `logSigma`. */
  readonly learnSigma: boolean;
  private readonly sigma: Float64Array;
  private scaled = new Float64Array(0);
  private extra = new Float64Array(0);
  private readonly zeroV: Float64Array;

  /**
   * @param nVisible - number of visible units (positive integer)
   * @param nHidden - number of hidden units (positive integer)
   * @param options - see {@link GaussianRBMOptions}
   * @throws {RangeError | TypeError | ShapeError} on bad arguments
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(4, 2, { learnSigma: true }).logSigma.length; // 4
   * ```
   */
  constructor(nVisible: number, nHidden: number, options?: GaussianRBMOptions) {
    const o = checkOptionsKeys('GaussianRBM', options, GAUSSIAN_RBM_KEYS);
    const data = o.data === undefined ? undefined : checkBatch('GaussianRBM', 'data', o.data, nVisible);
    super('GaussianRBM', nVisible, nHidden, o.weightStd === undefined ? 0.01 : o.weightStd, o.rng === undefined ? 0 : o.rng);
    this.learnSigma = o.learnSigma === undefined ? false : checkBoolean('GaussianRBM', 'learnSigma', o.learnSigma);
    this.logSigma = new Float64Array(nVisible);
    this.zeroV = new Float64Array(nVisible);
    this.sigma = new Float64Array(nVisible).fill(1);
    if (o.sigma !== undefined) {
      const s = o.sigma;
      if (typeof s === 'number') {
        if (!(s > 0 && Number.isFinite(s))) throw new RangeError(`GaussianRBM: sigma must be a positive finite number (got ${describeValue(s)})`);
        this.logSigma.fill(log(s));
      } else {
        if (!(s instanceof Float64Array) || s.length !== nVisible) {
          throw new ShapeError(`GaussianRBM: sigma must be a number or a Float64Array of length ${nVisible} (got ${describeValue(s)})`);
        }
        for (let i = 0; i < nVisible; i++) {
          if (!(s[i] > 0 && Number.isFinite(s[i]))) throw new RangeError(`GaussianRBM: sigma[${i}] must be positive and finite (got ${s[i]})`);
          this.logSigma[i] = log(s[i]);
        }
      }
    }
    if (data !== undefined) {
      const d = data;
      for (let r = 0; r < d.rows; r++) for (let i = 0; i < nVisible; i++) this.visibleBias[i] += d.data[r * nVisible + i] / d.rows;
    }
    this.syncSigma();
  }

  /**
   * Recomputes `σ = exp(logSigma)`; call after changing `logSigma` by hand.
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { learnSigma: true });
   * g.logSigma.fill(Math.LN2); // σ = 2 for both units
   * g.syncSigma();
   * Array.from(g.visibleSigma()); // [2, 2]
   * ```
   */
  syncSigma(): void {
    for (let i = 0; i < this.nVisible; i++) this.sigma[i] = exp(this.logSigma[i]);
  }

  /**
   * The visible standard deviations `σ_i` (a copy).
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * Array.from(new GaussianRBM(2, 3).visibleSigma()); // [1, 1]
   * ```
   */
  visibleSigma(): Float64Array {
    this.syncSigma();
    return new Float64Array(this.sigma);
  }

  /** `v / σ` row by row into scratch. */
  private scale(v: Float64Array, rows: number): Float64Array {
    const n = rows * this.nVisible;
    if (this.scaled.length < n) this.scaled = new Float64Array(n);
    const s = this.scaled, sig = this.sigma, nV = this.nVisible;
    for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) s[r * nV + i] = v[r * nV + i] / sig[i];
    return s;
  }

  /**
   * The parameter arrays `[weights.data, visibleBias, hiddenBias]`, plus `logSigma` when learned.
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(2, 3).parameterArrays().length; // 3 (4 with learnSigma: the log σ array)
   * ```
   */
  parameterArrays(): Float64Array[] {
    return this.learnSigma
      ? [this.weights.data, this.visibleBias, this.hiddenBias, this.logSigma]
      : [this.weights.data, this.visibleBias, this.hiddenBias];
  }

  /**
   * Unchecked `out = σ(c + (v/σ) W)` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const p = new Float64Array(3);
   * g.hiddenProbsUnchecked(p, Float64Array.of(0.5, -1), 1); // p = P(h = 1 | v)
   * ```
   */
  hiddenProbsUnchecked(out: Float64Array, v: Float64Array, rows: number): void {
    this.syncSigma();
    visibleToHidden(out, this.scale(v, rows), rows, this.weights.data, this.hiddenBias, this.nVisible, this.nHidden);
    for (let i = 0, e = rows * this.nHidden; i < e; i++) out[i] = sigmoid(out[i]);
  }

  /**
   * Unchecked `out = b + σ ⊙ (W h)` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const mean = new Float64Array(2);
   * g.visibleMeanUnchecked(mean, Float64Array.of(1, 0, 1), 1); // E[v | h] = b + σ ⊙ (W h)
   * ```
   */
  visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint = false): void {
    this.syncSigma();
    const nV = this.nVisible, sig = this.sigma, b = this.visibleBias;
    hiddenToVisible(out, h, rows, this.weights.data, this.zeroV, nV, this.nHidden, binaryHint);
    for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) out[r * nV + i] = b[i] + sig[i] * out[r * nV + i];
  }

  /**
   * Unchecked Gaussian draw `v ~ N(b + σ ⊙ W h, σ²)` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { GaussianRBM, Random } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const v = new Float64Array(2), mean = new Float64Array(2);
   * g.sampleVisibleUnchecked(v, mean, Float64Array.of(1, 0, 1), 1, new Random(2)); // v ~ N(mean, σ²)
   * ```
   */
  sampleVisibleUnchecked(out: Float64Array, mean: Float64Array, h: Float64Array, rows: number, rng: Random): void {
    this.visibleMeanUnchecked(mean, h, rows, true);
    const nV = this.nVisible, sig = this.sigma;
    for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) out[r * nV + i] = mean[r * nV + i] + sig[i] * rng.normal();
  }

  /**
   * Unchecked sufficient statistics `∂(−E)/∂θ` with `h` replaced by `p` (see {@link RBMLike}):
   * `W: (v/σ) pᵀ`, `b: (v − b)/σ²`, `c: p`, `log σ: (v − b)²/σ² − (v/σ) ⊙ (W p)`.
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const grads = g.parameterArrays().map((a) => new Float64Array(a.length));
   * const v = Float64Array.of(0.5, -1), p = new Float64Array(3);
   * g.hiddenProbsUnchecked(p, v, 1);
   * g.accumulateStatistics(grads, 1, v, p, 1); // the positive phase of CD
   * ```
   */
  accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, _binaryHint = false, overwriteWeights = false): void {
    this.syncSigma();
    const nV = this.nVisible, nH = this.nHidden, sig = this.sigma, b = this.visibleBias;
    const sv = this.scale(v, rows);
    if (overwriteWeights) grads[0].fill(0);
    accumulateOuter(grads[0], scale, sv, p, rows, nV, nH, 1);
    const gb = grads[1], gc = grads[2];
    for (let r = 0; r < rows; r++) for (let i = 0; i < nV; i++) gb[i] += (scale * (v[r * nV + i] - b[i])) / (sig[i] * sig[i]);
    addScaledRowSums(gc, scale, p, rows, nH);
    if (this.learnSigma) {
      const n = rows * nV;
      if (this.extra.length < n) this.extra = new Float64Array(n);
      const wp = this.extra;
      hiddenToVisible(wp, p, rows, this.weights.data, this.zeroV, nV, nH);
      const gs = grads[3];
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < nV; i++) {
          const x = v[r * nV + i], d = (x - b[i]) / sig[i];
          gs[i] += scale * (d * d - (x / sig[i]) * wp[r * nV + i]);
        }
      }
    }
  }

  /**
   * Unchecked free energies (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const f = new Float64Array(1);
   * g.freeEnergyUnchecked(f, Float64Array.of(0.5, -1), 1, new Float64Array(3)); // f[0] = F(v)
   * ```
   */
  freeEnergyUnchecked(out: Float64Array, v: Float64Array, rows: number, scratch: Float64Array): void {
    this.syncSigma();
    const nV = this.nVisible, nH = this.nHidden, sig = this.sigma, b = this.visibleBias;
    visibleToHidden(scratch, this.scale(v, rows), rows, this.weights.data, this.hiddenBias, nV, nH);
    for (let r = 0; r < rows; r++) {
      let f = 0;
      for (let i = 0; i < nV; i++) {
        const d = (v[r * nV + i] - b[i]) / sig[i];
        f += 0.5 * d * d;
      }
      out[r] = f - softplusSum(scratch, r * nH, nH);
    }
  }

  /**
   * Unchecked hidden free energy with the visible units integrated out:
   * `F_h(h) = −cᵀh − Σ_i (b_i a_i/σ_i + a_i²/2 + log(√(2π) σ_i))`, `a = W h` (see {@link RBMLike}).
   *
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * const g = new GaussianRBM(2, 3, { rng: 1 });
   * const f = new Float64Array(1);
   * g.hiddenFreeEnergyUnchecked(f, Float64Array.of(1, 0, 1), 1, new Float64Array(2)); // f[0] = F_h(h)
   * ```
   */
  hiddenFreeEnergyUnchecked(out: Float64Array, h: Float64Array, rows: number, scratch: Float64Array): void {
    this.syncSigma();
    const nV = this.nVisible, nH = this.nHidden, sig = this.sigma, b = this.visibleBias, c = this.hiddenBias;
    hiddenToVisible(scratch, h, rows, this.weights.data, this.zeroV, nV, nH);
    let logNorm = 0;
    for (let i = 0; i < nV; i++) logNorm += HALF_LOG_2PI + this.logSigma[i];
    for (let r = 0; r < rows; r++) {
      let f = -logNorm;
      for (let j = 0; j < nH; j++) f -= c[j] * h[r * nH + j];
      for (let i = 0; i < nV; i++) {
        const a = scratch[r * nV + i];
        f -= (b[i] * a) / sig[i] + 0.5 * a * a;
      }
      out[r] = f;
    }
  }

  /**
   * Conditional means `E[v | h] = b + σ ⊙ (W h)`.
   *
   * @param hIn - hidden rows `[batch, nHidden]` (any {@link DataInput})
   * @returns `[batch, nVisible]` means
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(2, 3).visibleMean([[1, 0, 1]]).cols; // 2
   * ```
   */
  visibleMean(hIn: DataInput): Matrix {
    const h = checkBatch('GaussianRBM.visibleMean', 'h', hIn, this.nHidden, 'unit');
    const out = { rows: h.rows, cols: this.nVisible, data: new Float64Array(h.rows * this.nVisible) };
    this.visibleMeanUnchecked(out.data, h.data, h.rows);
    return out;
  }

  /**
   * Draws `v ~ N(b + σ ⊙ W h, σ²)`.
   *
   * @param hIn - hidden rows `[batch, nHidden]` (any {@link DataInput})
   * @param rng - seed or generator; default: the model's stream, continued
   * @returns `[batch, nVisible]` samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(2, 3).sampleVisible([[1, 0, 1]], 4).cols; // 2
   * ```
   */
  sampleVisible(hIn: DataInput, rng?: number | Random): Matrix {
    const h = checkBatch('GaussianRBM.sampleVisible', 'h', hIn, this.nHidden, 'unit');
    const g = this.generator('GaussianRBM.sampleVisible', rng);
    const n = h.rows * this.nVisible;
    const out = { rows: h.rows, cols: this.nVisible, data: new Float64Array(n) };
    this.sampleVisibleUnchecked(out.data, new Float64Array(n), h.data, h.rows, g);
    return out;
  }

  /**
   * Joint energy `E(v, h)` of each row pair.
   *
   * @param vIn - `[batch, nVisible]` (any {@link DataInput})
   * @param hIn - `[batch, nHidden]` (any {@link DataInput})
   * @returns energies, length `batch`
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(1, 1).energy([[1]], [[0]])[0]; // 0.5
   * ```
   */
  energy(vIn: DataInput, hIn: DataInput): Float64Array {
    const v = checkBatch('GaussianRBM.energy', 'v', vIn, this.nVisible);
    const h = checkBatch('GaussianRBM.energy', 'h', hIn, this.nHidden, 'unit');
    if (h.rows !== v.rows) throw new ShapeError(`GaussianRBM.energy: h must have ${v.rows} rows like v (got ${h.rows})`);
    this.syncSigma();
    const nV = this.nVisible, nH = this.nHidden, rows = v.rows;
    const act = new Float64Array(rows * nH);
    visibleToHidden(act, this.scale(v.data, rows), rows, this.weights.data, this.hiddenBias, nV, nH);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let e = 0;
      for (let i = 0; i < nV; i++) {
        const d = (v.data[r * nV + i] - this.visibleBias[i]) / this.sigma[i];
        e += 0.5 * d * d;
      }
      for (let j = 0; j < nH; j++) e -= act[r * nH + j] * h.data[r * nH + j];
      out[r] = e;
    }
    return out;
  }

  /**
   * A deep copy: the parameters, `learnSigma` and the state of the generator
   * stream; no trainer.
   *
   * @returns a new model with the same parameters and `learnSigma`
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * new GaussianRBM(3, 2).clone().nHidden; // 2
   * ```
   */
  clone(): GaussianRBM {
    const c = this.copyInto(new GaussianRBM(this.nVisible, this.nHidden, { learnSigma: this.learnSigma }));
    c.logSigma.set(this.logSigma);
    c.syncSigma();
    return c;
  }

  /**
   * Saves the model as a versioned JSON document (kind `'gaussian-rbm'`), with an
   * optional trainer state under `state.training`.
   *
   * @param training - optional training state
   * @returns the document
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * GaussianRBM.fromDocument(new GaussianRBM(3, 2).toDocument()).nVisible; // 3
   * ```
   */
  toDocument(training?: JsonObject): ModelDocument {
    const doc: ModelDocument = {
      format: 'boltzmann',
      version: 1,
      kind: 'gaussian-rbm',
      config: { nVisible: this.nVisible, nHidden: this.nHidden, learnSigma: this.learnSigma },
      tensors: {
        weights: tensorToJson({ shape: [this.nVisible, this.nHidden], data: this.weights.data }),
        visibleBias: tensorToJson({ shape: [this.nVisible], data: this.visibleBias }),
        hiddenBias: tensorToJson({ shape: [this.nHidden], data: this.hiddenBias }),
        logSigma: tensorToJson({ shape: [this.nVisible], data: this.logSigma }),
      },
    };
    doc.state = modelState(this.random, training);
    return doc;
  }

  /**
   * Loads a model saved by {@link GaussianRBM.toDocument}. The loaded model's
   * stream ({@link RBMBase.random}) continues the saved one (`state.rng`; seed
   * `0` for a document without it).
   *
   * @param doc - parsed JSON
   * @returns the model
   * @throws {FormatError} when the document is malformed
   * @example
   * ```ts
   * import { GaussianRBM } from 'boltzmann';
   * GaussianRBM.fromDocument(new GaussianRBM(3, 2).toDocument()).kind; // 'gaussian-rbm'
   * ```
   */
  static fromDocument(doc: unknown): GaussianRBM {
    const d = checkDocument(doc, 'gaussian-rbm');
    const { nVisible, nHidden } = readSizes(d);
    const w = readTensor(d, 'weights', [nVisible, nHidden]);
    const b = readTensor(d, 'visibleBias', [nVisible]);
    const c = readTensor(d, 'hiddenBias', [nHidden]);
    const s = readTensor(d, 'logSigma', [nVisible]);
    const learnSigma = d.config.learnSigma;
    if (learnSigma !== undefined && typeof learnSigma !== 'boolean') {
      throw new FormatError(`load gaussian-rbm: config.learnSigma must be true or false (got ${describeValue(learnSigma)})`);
    }
    const m = new GaussianRBM(nVisible, nHidden, { learnSigma: learnSigma === true });
    m.weights.data.set(w.data);
    m.visibleBias.set(b.data);
    m.hiddenBias.set(c.data);
    m.logSigma.set(s.data);
    restoreModelRandom('load gaussian-rbm', d, m.random);
    m.syncSigma();
    return m;
  }
}
