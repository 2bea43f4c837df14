/**
 * Typed errors thrown by `boltzmann`.
 *
 * Every message names the function, the argument, what was expected and what
 * was given, e.g. `RBM: nHidden must be a positive integer (got 0)`.
 * Errors are thrown before any state changes.
 *
 * - `TypeError`  — wrong kind of value (not a number, not a Float64Array, ...).
 * - `RangeError` — a value outside its allowed range (negative size, NaN, 0.5 where ±1 expected).
 * - {@link ShapeError} — array or matrix dimensions that do not fit together.
 * - {@link NumericalError} — a computation produced a non-finite value; the model was left unchanged.
 * - {@link FormatError} — a file or document (JSON model, safetensors, IDX, CSV) is malformed.
 * - {@link NotFittedError} — a method that needs a trained model was called before training.
 * @module
 */

/**
 * Array or matrix dimensions that do not fit together.
 *
 * @example
 * ```ts
 * import { gemm, zeros, ShapeError } from 'boltzmann';
 * try { gemm(zeros(2, 3), zeros(2, 2), zeros(3, 3)); } catch (e) { e instanceof ShapeError; } // true
 * ```
 * @category Errors & checks
 */
export class ShapeError extends RangeError {
  /** Creates a shape error with a message that names the function and argument. */
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/**
 * A computation produced a non-finite value (NaN or ±Infinity). Training steps
 * that throw this leave the model's parameters exactly as before the step.
 *
 * @example
 * ```ts
 * import { NumericalError } from 'boltzmann';
 * new NumericalError('RBM.step: gradient is not finite').name; // 'NumericalError'
 * ```
 * @category Errors & checks
 */
export class NumericalError extends Error {
  /** Creates a numerical error. */
  constructor(message: string) {
    super(message);
    this.name = 'NumericalError';
  }
}

/**
 * A serialized document or data file is malformed: bad magic number, truncated
 * bytes, header sizes that disagree with the data, unknown format version.
 *
 * @example
 * ```ts
 * import { FormatError } from 'boltzmann';
 * new FormatError('readIdx: bad magic number 0x00000000').name; // 'FormatError'
 * ```
 * @category Errors & checks
 */
export class FormatError extends Error {
  /** Creates a format error. */
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/**
 * A method that needs a trained or initialised model was called too early.
 *
 * @example
 * ```ts
 * import { NotFittedError } from 'boltzmann';
 * new NotFittedError('RBM.transform: call fit() first').name; // 'NotFittedError'
 * ```
 * @category Errors & checks
 */
export class NotFittedError extends Error {
  /** Creates a not-fitted error. */
  constructor(message: string) {
    super(message);
    this.name = 'NotFittedError';
  }
}

/**
 * Describes a value for an error message: numbers as written, arrays by
 * type and length, objects by constructor name.
 *
 * @example
 * ```ts
 * import { describeValue } from 'boltzmann';
 * describeValue(new Float64Array(3)); // 'Float64Array(3)'
 * ```
 * @category Errors & checks
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'function';
  // objects may be hostile (a getter or proxy trap that throws, a `constructor` that is not a class)
  try {
    if (ArrayBuffer.isView(value)) {
      const ctor = Object.getPrototypeOf(value)?.constructor?.name;
      const length = (value as unknown as { length?: unknown }).length;
      return `${typeof ctor === 'string' ? ctor : 'ArrayBufferView'}(${typeof length === 'number' ? length : (value as DataView).byteLength})`;
    }
    if (Array.isArray(value)) return `Array(${value.length})`;
    const m = value as { rows?: unknown; cols?: unknown };
    if (typeof m.rows === 'number' && typeof m.cols === 'number') return `Matrix[${m.rows}, ${m.cols}]`;
    const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? ctor : 'object';
  } catch {
    return 'object';
  }
}
