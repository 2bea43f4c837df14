/**
 * {@link ScaledRBM}: a binary RBM whose conditionals scale the weight term, the
 * building block of deep Boltzmann machine pretraining (Salakhutdinov & Hinton 2009).
 * @module
 */
import { sigmoid } from '../linalg/stable.js';
import { checkOptions, checkPositive, type DataInput } from '../validate.js';
import type { ScoreResult } from './contract.js';
import { checkDocument, type JsonObject } from '../document.js';
import { describeValue, FormatError } from '../errors.js';
import { RBM, type RBMOptions, type RBMScoreOptions, readRBMTensors, readSizes } from './rbm.js';
import { hiddenToVisible, visibleToHidden } from './rbm-products.js';

/** Options of the {@link ScaledRBM} constructor: the {@link RBM} options plus the two factors.
 * @category Models
 */
export interface ScaledRBMOptions extends RBMOptions {
  /** Factor on `vᵀW` in `P(h | v)` (positive). Default `1`. */
  upScale?: number;
  /** Factor on `W h` in `P(v | h)` (positive). Default `1`. */
  downScale?: number;
}

/**
 * A binary RBM whose conditionals scale the weight term:
 * `P(h = 1 | v) = σ(c + up·vᵀW)`, `P(v = 1 | h) = σ(b + down·W h)`. With
 * `up = 2` it is the bottom RBM of Salakhutdinov & Hinton's DBM pretraining
 * (two tied copies of the visible layer), with `down = 2` the top one. Trained
 * by the ordinary {@link RBMTrainer}, which only calls the
 * conditionals and the sufficient statistics. With `up ≠ down` no joint energy
 * has these two conditionals, so the block has no likelihood of its own
 * (`score` refuses); `freeEnergy` and the other methods not overridden here
 * are those of the plain RBM with the same parameters,
 * `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)`. Its documents (kind `'rbm'`,
 * with `upScale` and `downScale` in the config) load with
 * {@link ScaledRBM.fromDocument}.
 *
 * @example
 * ```ts
 * import { ScaledRBM, fromArrays } from 'boltzmann';
 * const rbm = new ScaledRBM(3, 2, { upScale: 2, rng: 1 });
 * rbm.hiddenProbs(fromArrays([[1, 0, 1]])).cols; // 2
 * ```
 * @category Models
 */
export class ScaledRBM extends RBM {
  /** Factor on the weight term of the hidden conditional. */
  readonly upScale: number;
  /** Factor on the weight term of the visible conditional. */
  readonly downScale: number;
  private readonly zeroH: Float64Array;
  private readonly zeroV: Float64Array;

  /**
   * @param nVisible - visible units
   * @param nHidden - hidden units
   * @param options - `upScale`, `downScale` (see {@link ScaledRBMOptions}) and the {@link RBM} options
   * @throws {RangeError} on bad sizes or factors
   * @throws {TypeError} on an unknown option
   * @example
   * ```ts
   * import { ScaledRBM } from 'boltzmann';
   * new ScaledRBM(4, 3, { downScale: 2 }).downScale; // 2
   * ```
   */
  constructor(nVisible: number, nHidden: number, options?: ScaledRBMOptions) {
    const { upScale, downScale, ...rest } = checkOptions('ScaledRBM', options);
    const up = upScale === undefined ? 1 : checkPositive('ScaledRBM', 'upScale', upScale);
    const down = downScale === undefined ? 1 : checkPositive('ScaledRBM', 'downScale', downScale);
    super(nVisible, nHidden, rest);
    this.upScale = up;
    this.downScale = down;
    this.zeroH = new Float64Array(nHidden);
    this.zeroV = new Float64Array(nVisible);
  }

  /**
   * Refused: a DBM pretraining block whose scaled conditionals are not those of the RBM free energy, so it has no likelihood of its own; score the DBM
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * // see the class example: score the enclosing model instead
   * ```
   */
  override scoreSamples(_data: DataInput, _options?: RBMScoreOptions): Float64Array {
    throw new RangeError(`ScaledRBM.scoreSamples: a DBM pretraining block whose scaled conditionals are not those of the RBM free energy, so it has no likelihood of its own; score the DBM`);
  }

  /**
   * Refused: a DBM pretraining block whose scaled conditionals are not those of the RBM free energy, so it has no likelihood of its own; score the DBM
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * // see the class example: score the enclosing model instead
   * ```
   */
  override score(_data: DataInput, _options?: RBMScoreOptions): ScoreResult {
    throw new RangeError(`ScaledRBM.score: a DBM pretraining block whose scaled conditionals are not those of the RBM free energy, so it has no likelihood of its own; score the DBM`);
  }

  /**
   * Unchecked `out = σ(c + up·vW)` for `rows` rows.
   *
   * @example
   * ```ts
   * import { ScaledRBM } from 'boltzmann';
   * const rbm = new ScaledRBM(4, 3, { upScale: 2, rng: 1 }); // bottom RBM of a DBM: P(h | v) counts v twice
   * const p = new Float64Array(3);
   * rbm.hiddenProbsUnchecked(p, Float64Array.of(1, 0, 1, 0), 1);
   * ```
   */
  override hiddenProbsUnchecked(out: Float64Array, v: Float64Array, rows: number, binaryHint = false): void {
    const nH = this.nHidden, c = this.hiddenBias, s = this.upScale;
    visibleToHidden(out, v, rows, this.weights.data, this.zeroH, this.nVisible, nH, binaryHint);
    for (let r = 0; r < rows; r++) {
      const o = r * nH;
      for (let j = 0; j < nH; j++) out[o + j] = sigmoid(c[j] + s * out[o + j]);
    }
  }

  /**
   * Unchecked `out = σ(b + down·hWᵀ)` for `rows` rows.
   *
   * @example
   * ```ts
   * import { ScaledRBM } from 'boltzmann';
   * const rbm = new ScaledRBM(4, 3, { downScale: 2, rng: 1 }); // top RBM of a DBM: P(v | h) counts h twice
   * const mean = new Float64Array(4);
   * rbm.visibleMeanUnchecked(mean, Float64Array.of(1, 0, 1), 1);
   * ```
   */
  override visibleMeanUnchecked(out: Float64Array, h: Float64Array, rows: number, binaryHint = false): void {
    const nV = this.nVisible, b = this.visibleBias, s = this.downScale;
    hiddenToVisible(out, h, rows, this.weights.data, this.zeroV, nV, this.nHidden, binaryHint);
    for (let r = 0; r < rows; r++) {
      const o = r * nV;
      for (let i = 0; i < nV; i++) out[o + i] = sigmoid(b[i] + s * out[o + i]);
    }
  }

  /**
   * A deep copy, factors included (the parameters and the generator's state; no trainer).
   * @returns a new ScaledRBM
   * @example
   * ```ts
   * import { ScaledRBM } from 'boltzmann';
   * new ScaledRBM(3, 2, { upScale: 2 }).clone().upScale; // 2
   * ```
   */
  override clone(): ScaledRBM {
    return this.copyInto(new ScaledRBM(this.nVisible, this.nHidden, { weightStd: 1, upScale: this.upScale, downScale: this.downScale }));
  }

  /** The two factors, in the document's config. */
  protected override documentConfig(): JsonObject {
    return { upScale: this.upScale, downScale: this.downScale };
  }

  /**
   * Loads a block saved by {@link RBM.toDocument} on a ScaledRBM (kind `'rbm'`, the
   * factors in its config; a document without them has factors 1).
   *
   * @param doc - parsed JSON
   * @returns the block (its generator continues the saved one, `state.rng`; seed `0` without it)
   * @throws {FormatError} when the document is malformed, of another kind or has bad factors
   * @example
   * ```ts
   * import { ScaledRBM } from 'boltzmann';
   * ScaledRBM.fromDocument(new ScaledRBM(3, 2, { downScale: 2 }).toDocument()).downScale; // 2
   * ```
   */
  static override fromDocument(doc: unknown): ScaledRBM {
    const d = checkDocument(doc, 'rbm');
    if ('nLabels' in d.config) throw new FormatError('load rbm: config.nLabels makes this a LabelledRBM document; load it with LabelledRBM.fromDocument');
    const { nVisible, nHidden } = readSizes(d);
    const factor = (key: 'upScale' | 'downScale'): number => {
      const v = d.config[key];
      if (v === undefined) return 1;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new FormatError(`load rbm: config.${key} must be a positive finite number (got ${describeValue(v)})`);
      return v;
    };
    return readRBMTensors(d, new ScaledRBM(nVisible, nHidden, { weightStd: 1, upScale: factor('upScale'), downScale: factor('downScale') }));
  }
}
