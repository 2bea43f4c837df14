/**
 * Binarization of real-valued data in [0, 1] (pixel intensities,
 * probabilities) into 0/1 units, by threshold or by seeded sampling, and
 * conversion between the two unit conventions: binary 0/1 (Boltzmann
 * machines, RBMs) and spins ±1 (Hopfield, Ising), `s = 2x − 1`.
 * @module
 */
import { ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random/random.js';
import { toRandom } from '../random/random.js';
import { checkAllFinite, checkBinary, checkFinite, checkMatrix, checkSpins, checkUnitInterval, type DataInput, toMatrix } from '../validate.js';

function outFor(where: string, x: Matrix, out: Matrix | undefined): Matrix {
  if (out === undefined) return { rows: x.rows, cols: x.cols, data: new Float64Array(x.rows * x.cols) };
  checkMatrix(where, 'out', out);
  if (out.rows !== x.rows || out.cols !== x.cols) {
    throw new ShapeError(`${where}: out must have shape [${x.rows}, ${x.cols}] (got [${out.rows}, ${out.cols}])`);
  }
  return out;
}

/**
 * Binarizes by threshold: `out[i] = x[i] >= threshold ? 1 : 0` (MNIST's usual
 * "pixel ≥ 128" is `threshold = 128/255`; the default 0.5 is nearly the same).
 *
 * @param x - `[n, d]` finite values (a Matrix, `number[][]` or a typed array with a shape)
 * @param threshold - the cut (default 0.5)
 * @param out - optional output of the same shape (may be `x` itself); allocated when omitted
 * @returns `out`, with 0/1 entries
 * @throws {TypeError} when `x` or `out` is not a Matrix
 * @throws {RangeError} on a non-finite threshold or value
 * @throws {ShapeError} when `out` has another shape
 * @example
 * ```ts
 * import { binarizeThreshold, fromArrays } from 'boltzmann';
 * binarizeThreshold(fromArrays([[0.2, 0.5, 0.9]])).data; // Float64Array [0, 1, 1]
 * ```
 * @category Data & files
 */
export function binarizeThreshold(x: DataInput, threshold = 0.5, out?: Matrix): Matrix {
  const where = 'binarizeThreshold';
  const X = toMatrix(where, 'x', x);
  checkFinite(where, 'threshold', threshold);
  const o = outFor(where, X, out);
  checkAllFinite(where, 'x.data', X.data);
  const a = X.data;
  const b = o.data;
  for (let i = 0; i < a.length; i++) b[i] = (a[i] as number) >= threshold ? 1 : 0;
  return o;
}

/**
 * Binarizes by sampling: each `out[i]` is 1 with probability `x[i]`, else 0,
 * using `rng` (one `float64()` draw per entry, in row-major order, `u < x[i]`),
 * so the same seed gives the same bits. This is the "stochastically binarized
 * MNIST" of Salakhutdinov & Murray (2008).
 *
 * @param x - `[n, d]` probabilities in [0, 1] (a Matrix, `number[][]` or a typed array with a shape)
 * @param rng - a seed or a {@link Random} (advanced by `n·d` draws)
 * @param out - optional output of the same shape (may be `x` itself)
 * @returns `out`, with 0/1 entries
 * @throws {TypeError} when `x` or `out` is not a Matrix, or `rng` is neither seed nor Random
 * @throws {RangeError} when a value lies outside [0, 1]
 * @throws {ShapeError} when `out` has another shape
 * @example
 * ```ts
 * import { binarizeSample, fromArrays } from 'boltzmann';
 * binarizeSample(fromArrays([[0, 1, 0.5]]), 42).data; // [0, 1, 0 or 1]
 * ```
 * @category Data & files
 */
export function binarizeSample(x: DataInput, rng: number | Random, out?: Matrix): Matrix {
  const where = 'binarizeSample';
  const X = toMatrix(where, 'x', x);
  const o = outFor(where, X, out);
  checkUnitInterval(where, 'x.data', X.data);
  const r = toRandom(rng, where);
  r.sampleBernoulli(o.data, X.data);
  return o;
}

/**
 * Converts 0/1 binary units to ±1 spins: `s = 2x − 1`.
 *
 * @param x - `[n, d]` with 0/1 entries (a Matrix, `number[][]` or a typed array with a shape)
 * @param out - optional output (may be `x`)
 * @returns `out` with ±1 entries
 * @throws {TypeError} when not a Matrix; {@link ShapeError} on a shape mismatch; `RangeError` on a non-0/1 entry
 * @example
 * ```ts
 * import { binaryToSpins, fromArrays } from 'boltzmann';
 * binaryToSpins(fromArrays([[0, 1]])).data; // Float64Array [-1, 1]
 * ```
 * @category Data & files
 */
export function binaryToSpins(x: DataInput, out?: Matrix): Matrix {
  const where = 'binaryToSpins';
  const X = toMatrix(where, 'x', x);
  const o = outFor(where, X, out);
  checkBinary(where, 'x.data', X.data);
  for (let i = 0; i < X.data.length; i++) o.data[i] = 2 * (X.data[i] as number) - 1;
  return o;
}

/**
 * Converts ±1 spins to 0/1 binary units: `x = (s + 1) / 2`.
 *
 * @param s - `[n, d]` with ±1 entries (a Matrix, `number[][]` or a typed array with a shape)
 * @param out - optional output (may be `s`)
 * @returns `out` with 0/1 entries
 * @throws {TypeError} when not a Matrix; {@link ShapeError} on a shape mismatch; `RangeError` on a non-±1 entry
 * @example
 * ```ts
 * import { spinsToBinary, fromArrays } from 'boltzmann';
 * spinsToBinary(fromArrays([[-1, 1]])).data; // Float64Array [0, 1]
 * ```
 * @category Data & files
 */
export function spinsToBinary(s: DataInput, out?: Matrix): Matrix {
  const where = 'spinsToBinary';
  const S = toMatrix(where, 's', s);
  const o = outFor(where, S, out);
  checkSpins(where, 's.data', S.data);
  for (let i = 0; i < S.data.length; i++) o.data[i] = ((S.data[i] as number) + 1) / 2;
  return o;
}
