/**
 * Argument checks shared by every public function. Each throws a typed error
 * whose message reads `${where}: ${name} must be ${expected} (got ${value})`.
 * @module
 * @internal
 */
import { describeValue, ShapeError } from './errors.js';
import type { Matrix } from './linalg/matrix.js';

/** Throws a TypeError or RangeError naming `where` and `name`. */
function fail(kind: 'type' | 'range', where: string, name: string, expected: string, value: unknown): never {
  const msg = `${where}: ${name} must be ${expected} (got ${describeValue(value)})`;
  throw kind === 'type' ? new TypeError(msg) : new RangeError(msg);
}

/** A finite number. */
export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') fail('type', where, name, 'a finite number', value);
  if (!Number.isFinite(value)) fail('range', where, name, 'a finite number', value);
  return value;
}

/** A finite number in [lo, hi] (inclusive bounds unless stated). */
export function checkInRange(
  where: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  opts: { loOpen?: boolean; hiOpen?: boolean } = {},
): number {
  const v = checkFinite(where, name, value);
  const okLo = opts.loOpen ? v > lo : v >= lo;
  const okHi = opts.hiOpen ? v < hi : v <= hi;
  if (!okLo || !okHi) {
    const l = opts.loOpen ? '(' : '[';
    const h = opts.hiOpen ? ')' : ']';
    fail('range', where, name, `in ${l}${lo}, ${hi}${h}`, v);
  }
  return v;
}

/** A finite number > 0. */
export function checkPositive(where: string, name: string, value: unknown): number {
  const v = checkFinite(where, name, value);
  if (!(v > 0)) fail('range', where, name, 'a positive finite number', v);
  return v;
}

/** A finite number >= 0. */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  const v = checkFinite(where, name, value);
  if (!(v >= 0)) fail('range', where, name, 'a non-negative finite number', v);
  return v;
}

/** An integer >= min (default 0). */
export function checkInt(where: string, name: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') fail('type', where, name, `an integer >= ${min}`, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    fail('range', where, name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** An integer >= 1. */
export function checkPositiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') fail('type', where, name, 'a positive integer', value);
  if (!Number.isInteger(value) || value < 1) fail('range', where, name, 'a positive integer', value);
  return value;
}

/** A boolean. */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail('type', where, name, 'a boolean', value);
  return value;
}

/** One of the given string values. */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(typeof value === 'string' ? 'range' : 'type', where, name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** A Float64Array, optionally of a given length. */
export function checkVector(where: string, name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) fail('type', where, name, 'a Float64Array', value);
  if (length !== undefined && value.length !== length) {
    throw new ShapeError(`${where}: ${name} must have length ${length} (got ${value.length})`);
  }
  return value;
}

/** A Matrix (rows, cols, data with data.length === rows*cols), optionally with given dims. */
export function checkMatrix(where: string, name: string, value: unknown, rows?: number, cols?: number): Matrix {
  const m = value as Matrix;
  if (
    m === null ||
    typeof m !== 'object' ||
    !(m.data instanceof Float64Array) ||
    !Number.isInteger(m.rows) ||
    !Number.isInteger(m.cols) ||
    m.rows < 0 ||
    m.cols < 0
  ) {
    fail('type', where, name, 'a Matrix { rows, cols, data: Float64Array }', value);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`${where}: ${name}.data must have length rows*cols = ${m.rows * m.cols} (got ${m.data.length})`);
  }
  if ((rows !== undefined && m.rows !== rows) || (cols !== undefined && m.cols !== cols)) {
    throw new ShapeError(
      `${where}: ${name} must have shape [${rows ?? m.rows}, ${cols ?? m.cols}] (got [${m.rows}, ${m.cols}])`,
    );
  }
  return m;
}

/** Every entry finite. Reports the first bad index. */
export function checkAllFinite(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new RangeError(`${where}: ${name} must contain only finite numbers (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry 0 or 1. */
export function checkBinary(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && v !== 1) {
      throw new RangeError(`${where}: ${name} must contain only 0/1 values (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry -1 or +1. */
export function checkSpins(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 1 && v !== -1) {
      throw new RangeError(`${where}: ${name} must contain only ±1 values (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry in [0, 1]. */
export function checkUnitInterval(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(`${where}: ${name} must contain only values in [0, 1] (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Optional-object check: undefined becomes {}, non-objects are a TypeError. */
export function checkOptions<T extends object>(where: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('type', where, 'options', 'an object', value);
  return value;
}
