/**
 * Multinomial logistic regression (softmax regression), trained by seeded
 * mini-batch gradient descent with momentum and L2 regularisation — the
 * standard read-out for judging learned features ("logistic regression on
 * RBM / DBN / DBM features vs on raw pixels").
 *
 * Model `P(y = k | x) = softmax(xᵀW + c)_k`, `W` of shape `[nFeatures, nClasses]`;
 * loss `−(1/n) Σ_r log P(y_r | x_r) + (λ/2)‖W‖²`.
 * @module
 */
import { describeValue, NumericalError, ShapeError } from '../errors.js';
import { getKernel } from '../linalg/kernel.js';
import { argmaxRows, type Matrix } from '../linalg/matrix.js';
import { exp, log } from '../math/elementary.js';
import { type Random, toRandom } from '../random/random.js';
import {
  checkAllFinite,
  checkElements,
  checkInRange,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOptionsKeys,
  checkSize,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';

/** Options of {@link LogisticRegression.fit}.
 * @category Training
 */
export interface LogisticRegressionFitOptions {
  /** Step size. Default `0.1`. */
  learningRate?: number;
  /** Passes over the data. Default `20`. */
  epochs?: number;
  /** Mini-batch size. Default `100`. */
  batchSize?: number;
  /** L2 penalty λ on the weights. Default `1e-4`. */
  l2?: number;
  /** Momentum in [0, 1). Default `0.9`. */
  momentum?: number;
  /** Seed or generator for shuffling. Default seed `0`. */
  rng?: number | Random;
}

const FIT_KEYS = optionKeys<LogisticRegressionFitOptions>()({
  learningRate: true,
  epochs: true,
  batchSize: true,
  l2: true,
  momentum: true,
  rng: true,
});

function checkLabels(where: string, labels: unknown, rows: number, nClasses: number): ArrayLike<number> {
  if (labels === null || typeof labels !== 'object' || typeof (labels as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${where}: labels must be an array of class indices (got ${describeValue(labels)})`);
  }
  const y = labels as ArrayLike<number>;
  if (y.length !== rows) throw new ShapeError(`${where}: labels must have one entry per row (${rows}) (got ${y.length})`);
  for (let i = 0; i < y.length; i++) checkInt(where, `labels[${i}]`, y[i], 0, nClasses - 1);
  return y;
}

/**
 * Softmax regression classifier.
 *
 * @example
 * ```ts
 * import { LogisticRegression, fromArrays } from 'boltzmann';
 * const x = fromArrays([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const clf = new LogisticRegression(2, 2);
 * clf.fit(x, [0, 0, 1, 1], { epochs: 200, batchSize: 4, rng: 1 });
 * clf.predict(x); // Int32Array [0, 0, 1, 1]
 * ```
 * @category Training
 */
export class LogisticRegression {
  /** Number of input features. */
  readonly nFeatures: number;
  /** Number of classes. */
  readonly nClasses: number;
  /** Weights `[nFeatures, nClasses]` (start at zero). */
  readonly weights: Matrix;
  /** Class biases, length `nClasses`. */
  readonly bias: Float64Array;

  /**
   * @param nFeatures - input dimension (positive integer)
   * @param nClasses - number of classes (integer ≥ 2)
   * @throws {TypeError | RangeError} on bad sizes (`nFeatures × nClasses` at most `LIMITS.maxElements`)
   * @example
   * ```ts
   * import { LogisticRegression } from 'boltzmann';
   * new LogisticRegression(784, 10).weights.rows; // 784
   * ```
   */
  constructor(nFeatures: number, nClasses: number) {
    checkSize('LogisticRegression', 'nFeatures', nFeatures);
    checkSize('LogisticRegression', 'nClasses', nClasses, 2);
    checkElements('LogisticRegression', 'nFeatures × nClasses', nFeatures, nClasses);
    this.nFeatures = nFeatures;
    this.nClasses = nClasses;
    this.weights = { rows: nFeatures, cols: nClasses, data: new Float64Array(nFeatures * nClasses) };
    this.bias = new Float64Array(nClasses);
  }

  /** Unchecked softmax probabilities of `rows` rows of `x` into `out` `[rows, nClasses]`. */
  private probsUnchecked(out: Float64Array, x: Float64Array, rows: number): void {
    const K = this.nClasses;
    for (let r = 0; r < rows; r++) out.set(this.bias, r * K);
    getKernel().gemm(false, false, rows, K, this.nFeatures, 1, x, this.nFeatures, this.weights.data, K, 1, out, K);
    for (let r = 0; r < rows; r++) {
      const o = r * K;
      let m = -Infinity;
      for (let k = 0; k < K; k++) if (out[o + k] > m) m = out[o + k];
      let s = 0;
      for (let k = 0; k < K; k++) {
        const e = exp(out[o + k] - m);
        out[o + k] = e;
        s += e;
      }
      for (let k = 0; k < K; k++) out[o + k] /= s;
    }
  }

  private checkX(where: string, x: unknown): Matrix {
    const empty = Array.isArray(x) && x.length === 0;
    const m = checkMatrix(where, 'x', toMatrix(where, 'x', x, empty ? this.nFeatures : undefined), undefined, this.nFeatures);
    checkAllFinite(where, 'x', m.data);
    return m;
  }

  /**
   * Trains by mini-batch gradient descent with momentum (continuing from the current weights).
   *
   * @param x - `[n, nFeatures]` inputs (not modified; a Matrix, `number[][]` or a typed array with a shape)
   * @param labels - length-`n` class indices in `[0, nClasses)`
   * @param options - see {@link LogisticRegressionFitOptions}
   * @returns the mean training loss after each epoch
   * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any update)
   * @throws {NumericalError} when an update is not finite (the step is not applied)
   * @example
   * ```ts
   * import { LogisticRegression, fromArrays } from 'boltzmann';
   * new LogisticRegression(1, 2).fit(fromArrays([[0], [1]]), [0, 1], { epochs: 3 }).length; // 3
   * ```
   */
  fit(x: DataInput, labels: ArrayLike<number>, options?: LogisticRegressionFitOptions): number[] {
    const where = 'LogisticRegression.fit';
    const X = this.checkX(where, x);
    if (X.rows === 0) throw new ShapeError(`${where}: x must have at least one row`);
    const y = checkLabels(where, labels, X.rows, this.nClasses);
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const lr = o.learningRate === undefined ? 0.1 : checkNonNegative(where, 'learningRate', o.learningRate);
    const epochs = o.epochs === undefined ? 20 : checkSize(where, 'epochs', o.epochs, 1, 'maxSteps');
    const bs = o.batchSize === undefined ? 100 : checkSize(where, 'batchSize', o.batchSize);
    const l2 = o.l2 === undefined ? 1e-4 : checkNonNegative(where, 'l2', o.l2);
    const mom = o.momentum === undefined ? 0.9 : checkInRange(where, 'momentum', o.momentum, 0, 1, { hiOpen: true });
    const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
    const D = this.nFeatures, K = this.nClasses, n = X.rows, k = getKernel();
    // a batch holds at most the n rows there are (the same updates as batches of bs rows)
    const rowsPerBatch = Math.min(bs, n);
    checkElements(where, 'batchSize × nClasses', rowsPerBatch, K);
    const xb = new Float64Array(rowsPerBatch * D);
    const p = new Float64Array(rowsPerBatch * K);
    const gW = new Float64Array(D * K), gb = new Float64Array(K);
    const vW = new Float64Array(D * K), vb = new Float64Array(K);
    const W = this.weights.data, c = this.bias;
    const history: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const perm = rng.permutation(n);
      let loss = 0;
      for (let start = 0; start < n; start += bs) {
        const rows = Math.min(bs, n - start);
        for (let r = 0; r < rows; r++) xb.set(X.data.subarray(perm[start + r] * D, (perm[start + r] + 1) * D), r * D);
        this.probsUnchecked(p, xb, rows);
        // dL/dlogits = p − onehot(y), averaged over the batch
        gb.fill(0);
        for (let r = 0; r < rows; r++) {
          const t = y[perm[start + r]];
          loss -= log(Math.max(p[r * K + t], 1e-300));
          p[r * K + t] -= 1;
          for (let kk = 0; kk < K; kk++) gb[kk] += p[r * K + kk] / rows;
        }
        k.gemm(true, false, D, K, rows, 1 / rows, xb, D, p, K, 0, gW, K);
        for (let i = 0; i < gW.length; i++) {
          const d = mom * vW[i] - lr * (gW[i] + l2 * W[i]);
          if (!Number.isFinite(W[i] + d)) throw new NumericalError(`${where}: update is not finite at weight ${i} (learning rate ${lr})`);
          gW[i] = d;
        }
        for (let kk = 0; kk < K; kk++) {
          gb[kk] = mom * vb[kk] - lr * gb[kk];
          if (!Number.isFinite(c[kk] + gb[kk])) throw new NumericalError(`${where}: update is not finite at bias ${kk} (learning rate ${lr})`);
        }
        for (let i = 0; i < gW.length; i++) {
          vW[i] = gW[i];
          W[i] += gW[i];
        }
        for (let kk = 0; kk < K; kk++) {
          vb[kk] = gb[kk];
          c[kk] += gb[kk];
        }
      }
      history.push(loss / n);
    }
    return history;
  }

  /**
   * Class probabilities.
   *
   * @param x - `[n, nFeatures]` (a Matrix, `number[][]` or a typed array with a shape)
   * @returns `[n, nClasses]`, rows summing to 1
   * @throws {ShapeError | RangeError} on bad input
   * @example
   * ```ts
   * import { LogisticRegression, fromArrays } from 'boltzmann';
   * new LogisticRegression(2, 3).predictProba(fromArrays([[1, 0]])).data[0]; // 1/3
   * ```
   */
  predictProba(x: DataInput): Matrix {
    const X = this.checkX('LogisticRegression.predictProba', x);
    const out = new Float64Array(X.rows * this.nClasses);
    const chunk = 1000;
    for (let s = 0; s < X.rows; s += chunk) {
      const rows = Math.min(chunk, X.rows - s);
      this.probsUnchecked(out.subarray(s * this.nClasses), X.data.subarray(s * this.nFeatures, (s + rows) * this.nFeatures), rows);
    }
    return { rows: X.rows, cols: this.nClasses, data: out };
  }

  /**
   * Most probable class of each row (ties: the lowest index).
   *
   * @param x - `[n, nFeatures]` (a Matrix, `number[][]` or a typed array with a shape)
   * @returns length-`n` class indices
   * @throws {ShapeError | RangeError} on bad input
   * @example
   * ```ts
   * import { LogisticRegression, fromArrays } from 'boltzmann';
   * new LogisticRegression(2, 3).predict(fromArrays([[1, 0]]))[0]; // 0
   * ```
   */
  predict(x: DataInput): Int32Array {
    return argmaxRows(this.predictProba(x));
  }

  /**
   * Fraction of rows whose predicted class differs from the label.
   *
   * @param x - `[n, nFeatures]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param labels - length-`n` class indices
   * @returns the error rate in [0, 1]
   * @throws {ShapeError | RangeError | TypeError} on bad input
   * @example
   * ```ts
   * import { LogisticRegression, fromArrays } from 'boltzmann';
   * new LogisticRegression(1, 2).errorRate(fromArrays([[0], [1]]), [0, 1]); // 0.5
   * ```
   */
  errorRate(x: DataInput, labels: ArrayLike<number>): number {
    const pred = this.predict(x);
    const y = checkLabels('LogisticRegression.errorRate', labels, pred.length, this.nClasses);
    if (pred.length === 0) return 0;
    let wrong = 0;
    for (let r = 0; r < pred.length; r++) if (pred[r] !== y[r]) wrong++;
    return wrong / pred.length;
  }

  /**
   * Mean cross-entropy `−(1/n) Σ log P(y_r | x_r)` (without the L2 term).
   *
   * @param x - `[n, nFeatures]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param labels - class indices
   * @returns nats per row
   * @throws {ShapeError | RangeError | TypeError} on bad input
   * @example
   * ```ts
   * import { LogisticRegression, fromArrays } from 'boltzmann';
   * new LogisticRegression(1, 2).loss(fromArrays([[3]]), [1]); // log 2
   * ```
   */
  loss(x: DataInput, labels: ArrayLike<number>): number {
    const p = this.predictProba(x);
    const y = checkLabels('LogisticRegression.loss', labels, p.rows, this.nClasses);
    let s = 0;
    for (let r = 0; r < p.rows; r++) s -= log(p.data[r * this.nClasses + y[r]]);
    return p.rows === 0 ? 0 : s / p.rows;
  }
}
