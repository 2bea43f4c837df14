/**
 * Numerically stable scalar functions. Every one returns a finite value
 * wherever the exact result is finite, for inputs up to ±1e308. They use the
 * portable `exp`/`log`/`log1p` of `src/math/elementary.ts`, so results are
 * bit-identical in Node and in browsers.
 * @module
 */
import { describeValue } from '../errors.js';
import { exp, log, log1p, notANumber } from '../math/elementary.js';

/** An array or a typed array of numbers (not a DataView or a BigInt array): a real, memory-backed length. */
function isNumberArray(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array));
}

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^{−x})`, evaluated without overflow. NaN propagates.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { sigmoid } from 'boltzmann';
 * sigmoid(0); // 0.5
 * sigmoid(-1e6); // 0
 * ```
 * @category Linear algebra
 */
export function sigmoid(x: number): number {
  if (typeof x !== 'number') notANumber('sigmoid', 'x', x);
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/**
 * Softplus `log(1 + eˣ)`, stable for large |x| (≈ x for x ≫ 0, ≈ eˣ for x ≪ 0). NaN propagates.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { softplus } from 'boltzmann';
 * softplus(0); // Math.LN2
 * softplus(1e6); // 1e6
 * ```
 * @category Linear algebra
 */
export function softplus(x: number): number {
  if (typeof x !== 'number') notANumber('softplus', 'x', x);
  if (x > 0) return x + log1p(exp(-x));
  return log1p(exp(x));
}

/**
 * `Σ_{j<n} softplus(scale·x[start + j])`, the hidden-unit sum of an RBM's free
 * energy, with one logarithm per 512 terms instead of one `log1p` per term:
 * `Σ softplus(y) = Σ max(y, 0) + log Π (1 + e^{−|y|})`, each factor in (1, 2],
 * the product logged every 512 factors so it cannot overflow. The rounding
 * error is that of summing the terms one by one (≈ n·ε relative), and ±∞ and
 * NaN propagate as they would term by term.
 *
 * @param x - values
 * @param start - index of the first term
 * @param n - number of terms
 * @param scale - factor applied to each value (default 1)
 * @returns the sum
 * @throws {TypeError} when `x` is not an array or typed array of numbers, or `start`, `n` or `scale` is not a number
 * @throws {RangeError} when `start`/`n` are not integers selecting a range inside `x`
 * @example
 * ```ts
 * import { softplusSum } from 'boltzmann';
 * softplusSum(Float64Array.of(0, 1000, -1000), 0, 3); // log 2 + 1000
 * ```
 * @category Linear algebra
 */
export function softplusSum(x: ArrayLike<number>, start: number, n: number, scale = 1): number {
  const where = 'softplusSum';
  if (!isNumberArray(x)) throw new TypeError(`${where}: x must be an array or typed array of numbers (got ${describeValue(x)})`);
  if (typeof start !== 'number') notANumber(where, 'start', start);
  if (typeof n !== 'number') notANumber(where, 'n', n);
  if (typeof scale !== 'number') notANumber(where, 'scale', scale);
  if (!(Number.isInteger(start) && Number.isInteger(n) && start >= 0 && n >= 0 && start + n <= x.length)) {
    throw new RangeError(
      `${where}: start and n must be integers with start ≥ 0, n ≥ 0 and start + n ≤ x.length (got start ${describeValue(start)}, n ${describeValue(n)}, length ${x.length})`,
    );
  }
  if (!ArrayBuffer.isView(x)) checkNumbers(where, x, start, start + n);
  let pos = 0;
  let logs = 0;
  let prod = 1;
  for (let j = 0; j < n; j++) {
    const y = scale * x[start + j];
    if (y > 0) {
      pos += y;
      prod *= 1 + exp(-y);
    } else prod *= 1 + exp(y); // y ≤ 0, or NaN (which propagates through the product)
    if ((j & 511) === 511) {
      logs += log(prod);
      prod = 1;
    }
  }
  return pos + (logs + log(prod));
}

/**
 * `log σ(x) = −softplus(−x)`, stable for large |x|. NaN propagates.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { logSigmoid } from 'boltzmann';
 * logSigmoid(-1e6); // -1e6
 * ```
 * @category Linear algebra
 */
export function logSigmoid(x: number): number {
  if (typeof x !== 'number') notANumber('logSigmoid', 'x', x);
  return -softplus(-x);
}

/**
 * `log Σᵢ exp(xᵢ)` with the maximum factored out. Returns `-Infinity` for an
 * empty array or all `-Infinity` inputs, `+Infinity` if any input is `+Infinity`,
 * and `NaN` if any input is NaN.
 *
 * @param x - values (an array or typed array of numbers)
 * @param start - first index (default 0)
 * @param end - one past the last index (default `x.length`)
 * @throws {TypeError} when `x` is not an array or typed array of numbers, or `start`/`end` not a number
 * @throws {RangeError} when `start`/`end` are not integers with `0 ≤ start ≤ end ≤ x.length`
 * @example
 * ```ts
 * import { logSumExp } from 'boltzmann';
 * logSumExp([1e6, 1e6]); // 1e6 + Math.LN2
 * ```
 * @category Linear algebra
 */
export function logSumExp(x: ArrayLike<number>, start = 0, end?: number): number {
  checkRange('logSumExp', x, start, end);
  const stop = end ?? x.length;
  return logSumExpUnchecked(x, start, stop);
}

/** Checks `x` (an array or typed array of numbers) and `0 ≤ start ≤ end ≤ x.length`, integers. */
function checkRange(where: string, x: ArrayLike<number>, start: unknown, end: unknown): void {
  if (!isNumberArray(x)) throw new TypeError(`${where}: x must be an array or typed array of numbers (got ${describeValue(x)})`);
  if (typeof start !== 'number') notANumber(where, 'start', start);
  if (end !== undefined && typeof end !== 'number') notANumber(where, 'end', end);
  const e = end ?? x.length;
  if (!(Number.isInteger(start) && Number.isInteger(e) && start >= 0 && start <= e && e <= x.length)) {
    throw new RangeError(
      `${where}: start and end must be integers with 0 ≤ start ≤ end ≤ x.length (got start ${describeValue(start)}, end ${describeValue(e)}, length ${x.length})`,
    );
  }
  if (!ArrayBuffer.isView(x)) checkNumbers(where, x, start, e);
}

/** Every entry of a plain array in [start, end) a number (typed arrays need no check). */
function checkNumbers(where: string, x: ArrayLike<unknown>, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new TypeError(`${where}: x[${i}] must be a number (got ${describeValue(v)})`);
  }
}

function logSumExpUnchecked(x: ArrayLike<number>, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = x[i];
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let s = 0;
  for (let i = start; i < end; i++) s += exp(x[i] - max);
  return max + log(s);
}

/**
 * `log((1/n) Σᵢ exp(xᵢ))`, the log of the mean of exponentials (AIS weights);
 * `-Infinity` for an empty range.
 *
 * @throws {TypeError | RangeError} on bad arguments, as {@link logSumExp}
 *
 * @example
 * ```ts
 * import { logMeanExp } from 'boltzmann';
 * logMeanExp([0, 0, 0]); // 0
 * ```
 * @category Linear algebra
 */
export function logMeanExp(x: ArrayLike<number>, start = 0, end?: number): number {
  checkRange('logMeanExp', x, start, end);
  const stop = end ?? x.length;
  const n = stop - start;
  if (n <= 0) return -Infinity;
  return logSumExpUnchecked(x, start, stop) - log(n);
}

/**
 * `log(eᵃ + eᵇ)` for two numbers, stable. NaN propagates.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { logAddExp } from 'boltzmann';
 * logAddExp(0, 0); // Math.LN2
 * ```
 * @category Linear algebra
 */
export function logAddExp(a: number, b: number): number {
  if (typeof a !== 'number') notANumber('logAddExp', 'a', a);
  if (typeof b !== 'number') notANumber('logAddExp', 'b', b);
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  if (m === Infinity) return Infinity;
  return m + log1p(exp(-Math.abs(a - b)));
}
