/**
 * Argument checks shared by every public function. Each throws a typed error
 * whose message reads `${where}: ${name} must be ${expected} (got ${value})`.
 * @module
 * @internal
 */
import { describeValue, NumericalError, ShapeError } from './errors.js';
import type { Matrix } from './linalg/matrix.js';

/** Throws a TypeError or RangeError naming `where` and `name`. */
function fail(kind: 'type' | 'range', where: string, name: string, expected: string, value: unknown): never {
  const msg = `${where}: ${name} must be ${expected} (got ${describeValue(value)})`;
  throw kind === 'type' ? new TypeError(msg) : new RangeError(msg);
}

/** A finite number.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkFinite } from 'boltzmann/base';
 * checkFinite('f', 'x', 2.5); // 2.5 (NaN or '2' would throw)
 * ```
 */
export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') fail('type', where, name, 'a finite number', value);
  if (!Number.isFinite(value)) fail('range', where, name, 'a finite number', value);
  return value;
}

/** A finite number in [lo, hi] (inclusive bounds unless stated).
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkInRange } from 'boltzmann/base';
 * checkInRange('f', 'p', 0.3, 0, 1); // 0.3
 * ```
 */
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

/** A finite number > 0.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkPositive } from 'boltzmann/base';
 * checkPositive('f', 'rate', 0.1); // 0.1
 * ```
 */
export function checkPositive(where: string, name: string, value: unknown): number {
  const v = checkFinite(where, name, value);
  if (!(v > 0)) fail('range', where, name, 'a positive finite number', v);
  return v;
}

/** A finite number >= 0.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkNonNegative } from 'boltzmann/base';
 * checkNonNegative('f', 'decay', 0); // 0
 * ```
 */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  const v = checkFinite(where, name, value);
  if (!(v >= 0)) fail('range', where, name, 'a non-negative finite number', v);
  return v;
}

/** An integer >= min (default 0).
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkInt } from 'boltzmann/base';
 * checkInt('f', 'k', 3, 1); // 3
 * ```
 */
export function checkInt(where: string, name: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') fail('type', where, name, `an integer >= ${min}`, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    fail('range', where, name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** An integer >= 1.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkPositiveInt } from 'boltzmann/base';
 * checkPositiveInt('f', 'n', 5); // 5
 * ```
 */
export function checkPositiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') fail('type', where, name, 'a positive integer', value);
  if (!Number.isInteger(value) || value < 1) fail('range', where, name, 'a positive integer', value);
  return value;
}

/** A boolean.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkBoolean } from 'boltzmann/base';
 * checkBoolean('f', 'flag', true); // true
 * ```
 */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail('type', where, name, 'a boolean', value);
  return value;
}

/** One of the given string values.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkOneOf } from 'boltzmann/base';
 * checkOneOf('f', 'rule', 'cd', ['cd', 'pcd'] as const); // 'cd'
 * ```
 */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(typeof value === 'string' ? 'range' : 'type', where, name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** A Float64Array, optionally of a given length.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkVector } from 'boltzmann/base';
 * checkVector('f', 'b', new Float64Array(3), 3).length; // 3
 * ```
 */
export function checkVector(where: string, name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) fail('type', where, name, 'a Float64Array', value);
  if (length !== undefined && value.length !== length) {
    throw new ShapeError(`${where}: ${name} must have length ${length} (got ${value.length})`);
  }
  return value;
}

/** A Matrix (rows, cols, data with data.length === rows*cols), optionally with given dims.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkMatrix } from 'boltzmann/base';
 * checkMatrix('f', 'w', { rows: 1, cols: 2, data: new Float64Array(2) }).cols; // 2
 * ```
 */
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

/** Every entry finite. Reports the first bad index.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkAllFinite } from 'boltzmann/base';
 * checkAllFinite('f', 'x', [1, 2, 3]); // ok; [1, NaN] throws naming index 1
 * ```
 */
export function checkAllFinite(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new RangeError(`${where}: ${name} must contain only finite numbers (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry 0 or 1.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkBinary } from 'boltzmann/base';
 * checkBinary('f', 'v', [0, 1, 1]); // ok; [0, 2] throws
 * ```
 */
export function checkBinary(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && v !== 1) {
      throw new RangeError(`${where}: ${name} must contain only 0/1 values (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry -1 or +1.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkSpins } from 'boltzmann/base';
 * checkSpins('f', 's', [1, -1]); // ok; [0] throws
 * ```
 */
export function checkSpins(where: string, name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 1 && v !== -1) {
      throw new RangeError(`${where}: ${name} must contain only ±1 values (got ${describeValue(v)} at index ${i})`);
    }
  }
}

/** Every entry in [0, 1].
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkUnitInterval } from 'boltzmann/base';
 * checkUnitInterval('f', 'p', [0, 0.5, 1]); // ok; [1.5] throws
 * ```
 */
export function checkUnitInterval(where: string, name: string, data: ArrayLike<number>): void {
  // a Float64Array (the usual case: every checked matrix) gets a loop of its own, so that the
  // engine compiles it for that one array type; the first bad index is found the same way
  const bad = data instanceof Float64Array ? firstOutsideUnit(data) : firstOutsideUnitLike(data);
  if (bad >= 0) {
    throw new RangeError(`${where}: ${name} must contain only values in [0, 1] (got ${describeValue(data[bad])} at index ${bad})`);
  }
}

function firstOutsideUnit(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) return i;
  }
  return -1;
}

function firstOutsideUnitLike(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) return i;
  }
  return -1;
}

/** Optional-object check: undefined becomes {}, non-objects are a TypeError.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkOptions } from 'boltzmann/base';
 * checkOptions('f', undefined); // {}
 * ```
 */
export function checkOptions<T extends object>(where: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('type', where, 'options', 'an object', value);
  return value;
}

/**
 * Levenshtein distance between two short strings (option names), used to
 * suggest the closest valid key.
 */
function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, sub);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n] as number;
}

/**
 * The valid key closest to `key` (case-insensitive, snake_case folded to
 * camelCase first), or undefined when none is close (distance > 3 or more than
 * half the key's length).
 * @category Errors & checks
 * @example
 * ```ts
 * import { closestKey } from 'boltzmann/base';
 * closestKey('epoch', ['epochs', 'batchSize']); // 'epochs'
 * ```
 */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  const norm = (s: string): string => s.replace(/[_-]([a-z])/g, (_m, c: string) => c.toUpperCase()).toLowerCase();
  const k = norm(key);
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const d = editDistance(k, norm(v));
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return bestD <= Math.min(3, Math.max(1, Math.ceil(k.length / 2))) ? best : undefined;
}

/**
 * Throws a TypeError for the first own key of `options` not in `valid`, naming
 * it and suggesting the closest valid key: `RBM.fit: unknown option 'epoch'
 * (did you mean 'epochs'?)`.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkKnownKeys } from 'boltzmann/base';
 * checkKnownKeys('f', { epochs: 1 }, ['epochs']); // ok; { epoch: 1 } throws "did you mean 'epochs'?"
 * ```
 */
export function checkKnownKeys(where: string, options: object, valid: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const near = closestKey(key, valid);
    const hint = near === undefined ? `valid options: ${valid.map((v) => `'${v}'`).join(', ')}` : `did you mean '${near}'?`;
    throw new TypeError(`${where}: unknown option '${key}' (${hint})`);
  }
}

/**
 * Every key of `T`, written once as an object literal so that the compiler
 * checks the list is complete and has no extra key:
 * `const FIT_KEYS = optionKeys<FitOptions>()({ epochs: true, signal: true })`.
 * @category Errors & checks
 * @example
 * ```ts
 * import { optionKeys } from 'boltzmann/base';
 * const KEYS = optionKeys<{ a?: number; b?: string }>()({ a: true, b: true }); // ['a', 'b']
 * ```
 */
export function optionKeys<T extends object>(): (keys: { [K in keyof Required<T>]: true }) => readonly (keyof T & string)[] {
  return (keys) => Object.freeze(Object.keys(keys)) as readonly (keyof T & string)[];
}

/**
 * Checks an options object and its keys: undefined becomes `{}`, a non-object
 * is a TypeError, and an unknown key is a TypeError naming it with the closest
 * valid key.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkOptionsKeys } from 'boltzmann/base';
 * checkOptionsKeys('f', { epochs: 2 }, ['epochs']).epochs; // 2
 * ```
 */
export function checkOptionsKeys<T extends object>(where: string, value: T | undefined, valid: readonly string[]): Partial<T> {
  const o = checkOptions(where, value);
  checkKnownKeys(where, o, valid);
  return o;
}

/** Any typed array of numbers (not BigInt64Array/BigUint64Array).
 * @category Errors & checks
 */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** A flat numeric typed array with its `[rows, cols]` shape.
 * @category Errors & checks
 */
export interface ShapedArray {
  /** `rows · cols` entries, row-major. */
  readonly data: NumericArray;
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
}

/**
 * What every data argument accepts: a {@link Matrix}, a list of equal-length
 * rows (`number[][]`, or rows that are typed arrays), a `{ rows, cols, data }`
 * with any numeric typed array, or a {@link ShapedArray} `{ data, shape }`.
 * @category Errors & checks
 */
export type DataInput =
  | Matrix
  | {
      /** Number of rows. */
      readonly rows: number;
      /** Number of columns. */
      readonly cols: number;
      /** `rows · cols` entries, row-major, any numeric typed array. */
      readonly data: NumericArray;
    }
  | ShapedArray
  | readonly (readonly number[])[]
  | readonly ArrayLike<number>[];

function isNumericArray(x: unknown): x is NumericArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/**
 * Converts any {@link DataInput} to a {@link Matrix}. A Matrix whose data is
 * already a Float64Array is returned as is (no copy); anything else is copied.
 * Ragged rows, non-numeric entries and shapes that do not match the data get a
 * typed error naming the argument and the first bad row. Entries are checked
 * finite here only for `number[][]` input (typed arrays of integers are always
 * finite; float arrays are checked by the model's own range check).
 *
 * @param where - the function, for messages
 * @param name - the argument, for messages
 * @param input - the data
 * @param cols - the required number of columns, when known
 * @throws {TypeError} when the input is not one of the accepted forms or holds a non-number
 * @throws {ShapeError} on ragged rows or a shape/column mismatch
 * @category Errors & checks
 * @example
 * ```ts
 * import { toMatrix } from 'boltzmann/base';
 * toMatrix('f', 'data', [[1, 2], [3, 4]]).data; // Float64Array [1, 2, 3, 4]
 * ```
 */
export function toMatrix(where: string, name: string, input: unknown, cols?: number): Matrix {
  let m: Matrix;
  if (Array.isArray(input)) {
    const rows = input.length;
    const first = input[0] as unknown;
    const c = rows === 0 ? (cols ?? 0) : (first as { length?: unknown })?.length;
    if (rows > 0 && (typeof c !== 'number' || !(Array.isArray(first) || isNumericArray(first)))) {
      throw new TypeError(`${where}: ${name} must be a Matrix, a list of rows (number[][]) or a typed array with a shape (row 0 is ${describeValue(first)})`);
    }
    const nc = c as number;
    if (!Number.isSafeInteger(rows * nc)) throw new RangeError(`${where}: ${name} is too large (${rows} × ${nc})`);
    const data = new Float64Array(rows * nc);
    for (let r = 0; r < rows; r++) {
      const row = input[r] as unknown;
      if (!(Array.isArray(row) || isNumericArray(row))) {
        throw new TypeError(`${where}: ${name} row ${r} must be an array of numbers (got ${describeValue(row)})`);
      }
      if (row.length !== nc) throw new ShapeError(`${where}: ${name} rows must all have length ${nc} (row ${r} has ${row.length})`);
      for (let j = 0; j < nc; j++) {
        const v = (row as ArrayLike<unknown>)[j];
        if (typeof v !== 'number') {
          throw new TypeError(`${where}: ${name} row ${r} must hold only numbers (got ${describeValue(v)} at column ${j})`);
        }
        data[r * nc + j] = v;
      }
    }
    m = { rows, cols: nc, data };
  } else if (input !== null && typeof input === 'object' && 'shape' in input && 'data' in input) {
    const { shape, data } = input as { shape: unknown; data: unknown };
    if (!isNumericArray(data)) throw new TypeError(`${where}: ${name}.data must be a numeric typed array (got ${describeValue(data)})`);
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)) {
      throw new TypeError(`${where}: ${name}.shape must be [rows, cols] of non-negative integers (got ${describeValue(shape)})`);
    }
    const [rows, c] = shape as [number, number];
    if (data.length !== rows * c) throw new ShapeError(`${where}: ${name}.data must have length ${rows}·${c} = ${rows * c} (got ${data.length})`);
    m = { rows, cols: c, data: data instanceof Float64Array ? data : Float64Array.from(data) };
  } else if (input !== null && typeof input === 'object' && 'data' in input && 'rows' in input && 'cols' in input) {
    const x = input as { rows: unknown; cols: unknown; data: unknown };
    if (x.data instanceof Float64Array) {
      m = checkMatrix(where, name, x);
    } else {
      if (!isNumericArray(x.data)) throw new TypeError(`${where}: ${name}.data must be a numeric typed array (got ${describeValue(x.data)})`);
      const conv = { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) };
      m = checkMatrix(where, name, conv);
    }
  } else {
    throw new TypeError(`${where}: ${name} must be a Matrix, a list of rows (number[][]) or a typed array with a shape (got ${describeValue(input)})`);
  }
  if (cols !== undefined && m.cols !== cols) {
    throw new ShapeError(`${where}: ${name} must have ${cols} columns (got ${m.cols})`);
  }
  return m;
}

/**
 * The documented limits on allocations sized by user input. Every size argument
 * (model sizes, batch sizes, chain counts, schedule lengths, sweep caps, matrix
 * shapes, CSV shapes) is checked against these before anything is allocated, and
 * a value beyond them throws a `RangeError` naming the argument and the limit
 * (`RBM: nVisible × nHidden must be at most 268435456 elements (LIMITS.maxElements) (got 1000000000000)`).
 *
 * - `maxElements` (2²⁸ = 268 435 456): values in one array (2 GiB of `Float64Array`),
 *   e.g. a weight matrix `nVisible × nHidden`, a batch `batchSize × nVisible`, `zeros(rows, cols)`.
 * - `maxSteps` (2²⁴ = 16 777 216): length of a per-step record — an AIS schedule's β values,
 *   a Hopfield network's `maxSweeps` (whose energy trace is kept).
 *
 * @example
 * ```ts
 * import { LIMITS } from 'boltzmann';
 * LIMITS.maxElements; // 268435456
 * ```
 * @category Errors & checks
 */
export const LIMITS: Readonly<{
  /** Largest number of elements of one array sized by input (2²⁸ float64 = 2 GiB). */
  maxElements: number;
  /** Largest number of steps, sweeps or inverse temperatures a loop sized by input may run (2²⁴). */
  maxSteps: number;
}> = Object.freeze({
  maxElements: 2 ** 28,
  maxSteps: 2 ** 24,
});

/** An integer size in [min, limit] where `limit` is a documented entry of {@link LIMITS}
 * (default `maxElements`); above it, a RangeError naming the argument and the limit.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkSize } from 'boltzmann/base';
 * checkSize('f', 'n', 10); // 10 (2 ** 31 would throw naming LIMITS.maxElements)
 * ```
 */
export function checkSize(where: string, name: string, value: unknown, min = 1, limit: keyof typeof LIMITS = 'maxElements'): number {
  const max = LIMITS[limit];
  if (typeof value === 'number' && value > max && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${where}: ${name} must be at most ${max} (LIMITS.${limit}) (got ${describeValue(value)})`);
  }
  return min === 1 ? checkPositiveInt(where, name, value) : checkInt(where, name, value, min);
}

/** The product of some sizes at most `LIMITS.maxElements` (one array of that many values);
 * `name` describes the product (`'nVisible × nHidden'`). Returns the product.
 * @category Errors & checks
 * @example
 * ```ts
 * import { checkElements } from 'boltzmann/base';
 * checkElements('f', 'rows × cols', 3, 4); // 12 (1e6, 1e6 would throw)
 * ```
 */
export function checkElements(where: string, name: string, ...sizes: number[]): number {
  let p = 1;
  for (const s of sizes) p *= s;
  if (p > LIMITS.maxElements) {
    throw new RangeError(`${where}: ${name} must be at most ${LIMITS.maxElements} elements (LIMITS.maxElements) (got ${describeValue(p)})`);
  }
  return p;
}

/**
 * `value` when it is undefined or a function; otherwise a TypeError
 * `${where}: ${name} must be a function (got …)`. Callbacks (`onEpoch`,
 * `onSample`, `onStage`, …) are checked with the other options, before
 * anything is drawn or changed, not when first called.
 * @internal
 */
export function checkCallback<F>(where: string, name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`${where}: ${name} must be a function (got ${describeValue(value)})`);
  }
  return value;
}

/**
 * `value` when it is undefined or an `AbortSignal` (an object whose `aborted` is
 * a boolean); otherwise a TypeError `${where}: signal must be an AbortSignal (got …)`.
 * @internal
 */
export function checkAbortSignal(where: string, value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be an AbortSignal (got ${describeValue(value)})`);
  }
  return value as AbortSignal;
}

/**
 * A loop count (epochs, sweeps, Gibbs or Langevin steps) from input: an integer
 * ≥ `min` and at most `LIMITS.maxSteps`; above that, a RangeError naming the
 * limit (a count of 2³¹ would run for days, not fail); otherwise the messages of
 * {@link checkInt}.
 * @internal
 */
export function checkSteps(where: string, name: string, value: unknown, min = 0): number {
  if (typeof value === 'number' && value > LIMITS.maxSteps && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${where}: ${name} must be at most ${LIMITS.maxSteps} (LIMITS.maxSteps) (got ${describeValue(value)})`);
  }
  return checkInt(where, name, value, min);
}

/**
 * Per-row scores computed in float64, checked: a NaN or ±Infinity there means that the
 * parameters (or their products) leave float64's range, and gets a NumericalError naming the
 * row rather than a number that would poison a mean. Returns `values`.
 * @internal
 */
export function checkScoresFinite(where: string, values: Float64Array, what = 'log-likelihood'): Float64Array {
  for (let r = 0; r < values.length; r++) {
    if (!Number.isFinite(values[r])) {
      throw new NumericalError(`${where}: the ${what} of row ${r} is ${values[r]}: it leaves float64's range for these parameters (values near ±1e308, or products of them that overflow)`);
    }
  }
  return values;
}
