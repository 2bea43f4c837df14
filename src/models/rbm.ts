/**
 * Restricted Boltzmann machine with binary (0/1) visible and hidden units.
 *
 * Energy `E(v, h) = −vᵀWh − bᵀv − cᵀh` with `W` of shape `[nVisible, nHidden]`,
 * visible bias `b`, hidden bias `c`. Conditionals
 * `P(h_j = 1 | v) = σ(c_j + (vᵀW)_j)` and `P(v_i = 1 | h) = σ(b_i + (W h)_i)`; free
 * energy `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)`, so `P(v) = exp(−F(v)) / Z`.
 *
 * Every batched method takes a `Matrix` of shape `[batch, n]` (one sample per
 * row) and returns a new matrix unless an `out` matrix is given. Every random
 * draw comes from the `Random` passed in.
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { checkDocument, type JsonObject, type ModelDocument, readTensor, tensorToJson } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import { sigmoid, softplusSum } from '../linalg/stable.js';
import { type Random, toRandom } from '../random/random.js';
import { checkAllFinite, checkInt, checkMatrix, checkOptions, checkPositive, checkPositiveInt, checkUnitInterval } from '../validate.js';
import { accumulateOuter, hiddenToVisible, visibleToHidden } from './rbm-products.js';
import { log } from '../math/elementary.js';

/**
 * What every RBM variant (binary, Gaussian–Bernoulli) offers to the shared
 * trainers, pseudo-likelihood, AIS and deep stacks. Methods ending in
 * `Unchecked` trust their arguments and allocate nothing.
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
   * (arrays in {@link RBMLike.parameterArrays} order).
   */
  accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint?: boolean): void;
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

/** Options of the {@link RBM} constructor. */
export interface RBMOptions {
  /** Seed or generator for the initial weights. Default seed `0`. */
  rng?: number | Random;
  /** Standard deviation of the initial Gaussian weights. Default `0.01`. */
  weightStd?: number;
  /**
   * Training data `[n, nVisible]` whose column means set the initial visible
   * biases to `log(p/(1−p))` (p clipped to `[0.001, 0.999]`). Default: zero biases.
   */
  data?: Matrix;
}

/**
 * Probability clip used when setting visible biases from data means.
 *
 * @example
 * ```ts
 * import { RBM, VISIBLE_BIAS_CLIP, fromArrays } from 'boltzmann';
 * // a pixel that is never on gets b = log(p/(1−p)) with p clipped to VISIBLE_BIAS_CLIP (0.001), not −∞
 * new RBM(2, 3, { data: fromArrays([[0, 1], [0, 1]]) }).visibleBias[0]; // ≈ −6.9
 * ```
 */
export const VISIBLE_BIAS_CLIP = 1e-3;

/** @internal Checks a batch matrix of visible or hidden rows. */
export function checkBatch(where: string, name: string, m: unknown, cols: number, units: 'unit' | 'real' = 'real'): Matrix {
  const x = checkMatrix(where, name, m, undefined, cols);
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
 * import { RBM, visibleUnits } from 'boltzmann';
 * visibleUnits(new RBM(2, 2)); // 'unit'
 * ```
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
 * What the binary and Gaussian–Bernoulli RBMs share: parameters, the conditionals'
 * checked public forms, free energy, Gibbs chains, inpainting and reconstruction.
 * Subclasses supply the visible-unit specifics (the `*Unchecked` members of {@link RBMLike}).
 *
 * @example
 * ```ts
 * import { GaussianRBM, RBM, RBMBase } from 'boltzmann';
 * const models: RBMBase[] = [new RBM(4, 3), new GaussianRBM(4, 3)];
 * models.map((m) => m.hiddenProbs({ rows: 1, cols: 4, data: new Float64Array(4) }).cols); // [3, 3]
 * ```
 */
export abstract class RBMBase implements RBMLike {
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

  /**
   * Allocates the parameters: Gaussian weights with standard deviation `std` from `rng`, zero biases.
   *
   * @param where - class name for error messages
   * @param nVisible - positive integer
   * @param nHidden - positive integer
   * @param std - weight standard deviation (> 0)
   * @param rng - seed or generator
   * @throws {RangeError | TypeError} on bad sizes
   */
  protected constructor(where: string, nVisible: number, nHidden: number, std: number, rng: number | Random) {
    checkPositiveInt(where, 'nVisible', nVisible);
    checkPositiveInt(where, 'nHidden', nHidden);
    checkPositive(where, 'weightStd', std);
    const g = toRandom(rng, where);
    this.nVisible = nVisible;
    this.nHidden = nHidden;
    this.weights = { rows: nVisible, cols: nHidden, data: new Float64Array(nVisible * nHidden) };
    this.visibleBias = new Float64Array(nVisible);
    this.hiddenBias = new Float64Array(nHidden);
    g.fillNormal(this.weights.data, 0, std);
  }

  /** Scratch of at least `n` entries (grows once). */
  protected hScratch(n: number): Float64Array {
    if (this.scratchH.length < n) this.scratchH = new Float64Array(n);
    return this.scratchH;
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
  abstract accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint?: boolean): void;
  /** See {@link RBMLike.freeEnergyUnchecked}. */
  abstract freeEnergyUnchecked(out: Float64Array, v: Float64Array, rows: number, scratch: Float64Array): void;
  /** See {@link RBMLike.hiddenFreeEnergyUnchecked}. */
  abstract hiddenFreeEnergyUnchecked(out: Float64Array, h: Float64Array, rows: number, scratch: Float64Array): void;
  /** See {@link RBMLike.toDocument}. */
  abstract toDocument(training?: JsonObject): ModelDocument;

  /**
   * Hidden probabilities `P(h_j = 1 | v) = σ(c_j + (vᵀW)_j)` (the features).
   *
   * @param v - visible rows `[batch, nVisible]` (0/1 or in [0, 1])
   * @param out - optional `[batch, nHidden]` result
   * @returns `[batch, nHidden]` probabilities
   * @throws {ShapeError} when `v` has the wrong number of columns
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 3).hiddenProbs(fromArrays([[1, 0]])).cols; // 3
   * ```
   */
  hiddenProbs(v: Matrix, out?: Matrix): Matrix {
    checkBatch(`${this.name}.hiddenProbs`, 'v', v, this.nVisible, this.visibleUnits);
    const o = checkOut(`${this.name}.hiddenProbs`, out, v.rows, this.nHidden, v) ?? { rows: v.rows, cols: this.nHidden, data: new Float64Array(v.rows * this.nHidden) };
    this.hiddenProbsUnchecked(o.data, v.data, v.rows);
    return o;
  }

  /**
   * Features for downstream models: the hidden probabilities `P(h = 1 | v)`
   * (the same as {@link RBM.hiddenProbs}, named as in scikit-learn).
   *
   * @param v - visible rows `[batch, nVisible]`
   * @returns `[batch, nHidden]` features
   * @throws {ShapeError | RangeError} as {@link RBM.hiddenProbs}
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 3).transform(fromArrays([[1, 0]])).cols; // 3
   * ```
   */
  transform(v: Matrix): Matrix {
    checkBatch(`${this.name}.transform`, 'v', v, this.nVisible, this.visibleUnits);
    const o = { rows: v.rows, cols: this.nHidden, data: new Float64Array(v.rows * this.nHidden) };
    this.hiddenProbsUnchecked(o.data, v.data, v.rows);
    return o;
  }

  /**
   * Draws `h ~ P(h | v)` (0/1 values).
   *
   * @param v - visible rows `[batch, nVisible]`
   * @param rng - seed or generator
   * @param out - optional `[batch, nHidden]` result
   * @returns `[batch, nHidden]` binary samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 3).sampleHidden(fromArrays([[1, 0]]), 7).cols; // 3
   * ```
   */
  sampleHidden(v: Matrix, rng: number | Random, out?: Matrix): Matrix {
    checkBatch(`${this.name}.sampleHidden`, 'v', v, this.nVisible, this.visibleUnits);
    const g = toRandom(rng, `${this.name}.sampleHidden`);
    const o = checkOut(`${this.name}.sampleHidden`, out, v.rows, this.nHidden, v) ?? { rows: v.rows, cols: this.nHidden, data: new Float64Array(v.rows * this.nHidden) };
    this.hiddenProbsUnchecked(o.data, v.data, v.rows);
    const d = o.data;
    for (let i = 0; i < d.length; i++) d[i] = g.float64() < d[i] ? 1 : 0;
    return o;
  }

  /**
   * Free energy `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)` of each row, so that
   * `P(v) = exp(−F(v)) / Z`.
   *
   * @param v - `[batch, nVisible]`
   * @param out - optional result of length `batch`
   * @returns free energies, length `batch`
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 1).freeEnergy(fromArrays([[1, 1]])).length; // 1
   * ```
   */
  freeEnergy(v: Matrix, out?: Float64Array): Float64Array {
    checkBatch(`${this.name}.freeEnergy`, 'v', v, this.nVisible, this.visibleUnits);
    if (out !== undefined && (!(out instanceof Float64Array) || out.length !== v.rows)) {
      throw new ShapeError(`RBM.freeEnergy: out must be a Float64Array of length ${v.rows} (got ${describeValue(out)})`);
    }
    const o = out ?? new Float64Array(v.rows);
    this.freeEnergyUnchecked(o, v.data, v.rows, this.hScratch(v.rows * this.nHidden));
    return o;
  }

  /**
   * Runs `steps` full Gibbs steps `v → h → v` from each row of `v` and returns the
   * final visible samples (0/1). With `clamp`, the masked visible units keep their
   * values from `v` throughout (conditional sampling, inpainting).
   *
   * @param v - starting visible rows `[batch, nVisible]` (not modified)
   * @param steps - number of Gibbs steps (integer ≥ 0)
   * @param rng - seed or generator
   * @param options - `clamp`: `Uint8Array` of length `nVisible` (same mask for every
   *   row) or `batch·nVisible`, 1 = clamped; `meanField`: return `P(v | h)` of the last
   *   step instead of a sample (clamped units keep their values)
   * @returns `[batch, nVisible]` visible state after `steps` steps
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * const v = fromArrays([[1, 1, 0, 0]]);
   * rbm.gibbs(v, 10, 2, { clamp: Uint8Array.of(1, 1, 0, 0) }).data.slice(0, 2); // [1, 1]
   * ```
   */
  gibbs(v: Matrix, steps: number, rng: number | Random, options?: { clamp?: Uint8Array; meanField?: boolean }): Matrix {
    const where = `${this.name}.gibbs`;
    checkBatch(where, 'v', v, this.nVisible, this.visibleUnits);
    checkInt(where, 'steps', steps);
    const o = checkOptions(where, options);
    const g = toRandom(rng, where);
    const mask = o.clamp === undefined ? undefined : checkMask(where, o.clamp, v.rows, this.nVisible);
    const meanField = o.meanField === true;
    const rows = v.rows, nV = this.nVisible, nH = this.nHidden;
    const cur = new Float64Array(v.data);
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
   * @param v - `[batch, nVisible]` rows; the unknown entries are only used as the starting state
   * @param known - `Uint8Array` mask (length `nVisible` or `batch·nVisible`), 1 = known
   * @param steps - Gibbs steps (positive integer)
   * @param rng - seed or generator
   * @returns `[batch, nVisible]` completed rows
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * const rbm = new RBM(4, 3, { rng: 1 });
   * rbm.inpaint(fromArrays([[1, 0, 0, 0]]), Uint8Array.of(1, 1, 0, 0), 20, 3).cols; // 4
   * ```
   */
  inpaint(v: Matrix, known: Uint8Array, steps: number, rng: number | Random): Matrix {
    checkPositiveInt(`${this.name}.inpaint`, 'steps', steps);
    return this.gibbs(v, steps, rng, { clamp: known, meanField: true });
  }

  /**
   * Mean-field reconstruction `P(v | h = P(h | v))` (one deterministic up-down pass).
   *
   * @param v - `[batch, nVisible]`
   * @returns `[batch, nVisible]` reconstructed probabilities
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(3, 2).reconstruct(fromArrays([[1, 0, 1]])).cols; // 3
   * ```
   */
  reconstruct(v: Matrix): Matrix {
    checkBatch(`${this.name}.reconstruct`, 'v', v, this.nVisible, this.visibleUnits);
    const h = this.hScratch(v.rows * this.nHidden);
    this.hiddenProbsUnchecked(h, v.data, v.rows);
    const out = { rows: v.rows, cols: this.nVisible, data: new Float64Array(v.rows * this.nVisible) };
    this.visibleMeanUnchecked(out.data, h, v.rows);
    return out;
  }

}

/**
 * A binary restricted Boltzmann machine (0/1 visible and hidden units).
 *
 * @example
 * ```ts
 * import { RBM, fromArrays, Random } from 'boltzmann';
 * const data = fromArrays([[1, 0, 1], [0, 1, 1]]);
 * const rbm = new RBM(3, 2, { rng: 1, data });
 * rbm.hiddenProbs(data).rows;           // 2
 * rbm.freeEnergy(data).length;          // 2
 * rbm.gibbs(data, 5, new Random(2)).cols; // 3
 * ```
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
   * @throws {ShapeError} when `data` does not have `nVisible` columns
   * @example
   * ```ts
   * import { RBM } from 'boltzmann';
   * const rbm = new RBM(784, 500, { rng: 42 });
   * rbm.weights.rows; // 784
   * ```
   */
  constructor(nVisible: number, nHidden: number, options?: RBMOptions) {
    const o = checkOptions('RBM', options);
    super('RBM', nVisible, nHidden, o.weightStd ?? 0.01, o.rng ?? 0);
    if (o.data !== undefined) {
      checkBatch('RBM', 'data', o.data, nVisible, 'unit');
      logitMeans(this.visibleBias, o.data);
    }
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
    for (let i = 0, e = rows * this.nHidden; i < e; i++) out[i] = sigmoid(out[i]);
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
    for (let i = 0, e = rows * this.nVisible; i < e; i++) out[i] = sigmoid(out[i]);
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
    for (let i = 0, e = rows * this.nVisible; i < e; i++) out[i] = rng.float64() < mean[i] ? 1 : 0;
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
  accumulateStatistics(grads: Float64Array[], scale: number, v: Float64Array, p: Float64Array, rows: number, binaryHint = false): void {
    const nV = this.nVisible, nH = this.nHidden;
    accumulateOuter(grads[0], scale, v, p, rows, nV, nH, 1, binaryHint);
    const gb = grads[1], gc = grads[2];
    for (let r = 0; r < rows; r++) {
      const ov = r * nV, oh = r * nH;
      for (let i = 0; i < nV; i++) gb[i] += scale * v[ov + i];
      for (let j = 0; j < nH; j++) gc[j] += scale * p[oh + j];
    }
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
   * @param h - hidden rows `[batch, nHidden]`
   * @param out - optional `[batch, nVisible]` result
   * @returns `[batch, nVisible]` probabilities
   * @throws {ShapeError} when `h` has the wrong number of columns
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 3).visibleProbs(fromArrays([[1, 0, 1]])).cols; // 2
   * ```
   */
  visibleProbs(h: Matrix, out?: Matrix): Matrix {
    checkBatch('RBM.visibleProbs', 'h', h, this.nHidden, 'unit');
    const o = checkOut('RBM.visibleProbs', out, h.rows, this.nVisible, h) ?? { rows: h.rows, cols: this.nVisible, data: new Float64Array(h.rows * this.nVisible) };
    this.visibleMeanUnchecked(o.data, h.data, h.rows);
    return o;
  }

  /**
   * Draws `v ~ P(v | h)` (0/1 values).
   *
   * @param h - hidden rows `[batch, nHidden]`
   * @param rng - seed or generator
   * @param out - optional `[batch, nVisible]` result
   * @returns `[batch, nVisible]` binary samples
   * @throws {ShapeError | RangeError | TypeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 3).sampleVisible(fromArrays([[1, 0, 1]]), 7).cols; // 2
   * ```
   */
  sampleVisible(h: Matrix, rng: number | Random, out?: Matrix): Matrix {
    checkBatch('RBM.sampleVisible', 'h', h, this.nHidden, 'unit');
    const g = toRandom(rng, 'RBM.sampleVisible');
    const o = checkOut('RBM.sampleVisible', out, h.rows, this.nVisible, h) ?? { rows: h.rows, cols: this.nVisible, data: new Float64Array(h.rows * this.nVisible) };
    const d = o.data;
    this.visibleMeanUnchecked(d, h.data, h.rows);
    for (let i = 0; i < d.length; i++) d[i] = g.float64() < d[i] ? 1 : 0;
    return o;
  }

  /**
   * Joint energy `E(v, h) = −vᵀWh − bᵀv − cᵀh` of each row pair.
   *
   * @param v - `[batch, nVisible]`
   * @param h - `[batch, nHidden]`
   * @returns energies, length `batch`
   * @throws {ShapeError} when the shapes disagree
   * @throws {RangeError} on non-finite entries
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 1).energy(fromArrays([[0, 0]]), fromArrays([[0]]))[0]; // 0 (all units off)
   * ```
   */
  energy(v: Matrix, h: Matrix): Float64Array {
    checkBatch('RBM.energy', 'v', v, this.nVisible, 'unit');
    checkBatch('RBM.energy', 'h', h, this.nHidden, 'unit');
    if (h.rows !== v.rows) throw new ShapeError(`RBM.energy: h must have ${v.rows} rows like v (got ${h.rows})`);
    const nV = this.nVisible, nH = this.nHidden;
    const act = new Float64Array(v.rows * nH);
    visibleToHidden(act, v.data, v.rows, this.weights.data, this.hiddenBias, nV, nH);
    const out = new Float64Array(v.rows);
    for (let r = 0; r < v.rows; r++) {
      let e = 0;
      for (let i = 0; i < nV; i++) e -= this.visibleBias[i] * v.data[r * nV + i];
      for (let j = 0; j < nH; j++) e -= act[r * nH + j] * h.data[r * nH + j];
      out[r] = e;
    }
    return out;
  }

  /**
   * Sets the visible biases to `log(p/(1−p))` of the data's column means, with `p`
   * clipped to `[clip, 1 − clip]` (Hinton's practical guide).
   *
   * @param data - `[n, nVisible]` training rows
   * @param clip - probability clip (default `0.001`)
   * @returns `this`
   * @throws {ShapeError | RangeError} on bad arguments
   * @example
   * ```ts
   * import { RBM, fromArrays } from 'boltzmann';
   * new RBM(2, 1).initVisibleBias(fromArrays([[1, 0], [1, 1]])).visibleBias[1]; // 0
   * ```
   */
  initVisibleBias(data: Matrix, clip = VISIBLE_BIAS_CLIP): this {
    checkBatch('RBM.initVisibleBias', 'data', data, this.nVisible, 'unit');
    checkPositive('RBM.initVisibleBias', 'clip', clip);
    if (clip >= 0.5) throw new RangeError(`RBM.initVisibleBias: clip must be in (0, 0.5) (got ${clip})`);
    logitMeans(this.visibleBias, data, clip);
    return this;
  }

  /**
   * A deep copy (parameters only).
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
    const c = new RBM(this.nVisible, this.nHidden, { weightStd: 1 });
    c.weights.data.set(this.weights.data);
    c.visibleBias.set(this.visibleBias);
    c.hiddenBias.set(this.hiddenBias);
    return c;
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
      config: { nVisible: this.nVisible, nHidden: this.nHidden },
      tensors: {
        weights: tensorToJson({ shape: [this.nVisible, this.nHidden], data: this.weights.data }),
        visibleBias: tensorToJson({ shape: [this.nVisible], data: this.visibleBias }),
        hiddenBias: tensorToJson({ shape: [this.nHidden], data: this.hiddenBias }),
      },
    };
    if (training !== undefined) doc.state = { training };
    return doc;
  }

  /**
   * Loads a model saved by {@link RBM.toDocument} (the training state, if any,
   * is read by the trainer's `fromDocument`).
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
    const { nVisible, nHidden } = readSizes(d);
    const w = readTensor(d, 'weights', [nVisible, nHidden]);
    const b = readTensor(d, 'visibleBias', [nVisible]);
    const c = readTensor(d, 'hiddenBias', [nHidden]);
    const rbm = new RBM(nVisible, nHidden, { weightStd: 1 });
    rbm.weights.data.set(w.data);
    rbm.visibleBias.set(b.data);
    rbm.hiddenBias.set(c.data);
    return rbm;
  }
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
