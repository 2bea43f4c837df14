/**
 * The dense row-major matrix type every model is built on.
 *
 * A {@link Matrix} is a plain object `{ rows, cols, data }` whose `data` is a
 * `Float64Array` of length `rows * cols`, entry `(i, j)` at `data[i * cols + j]`.
 * Row-range views share the parent's buffer (`data.subarray`), so a mini-batch
 * costs no copy. Only the functions named `zeros`, `matrix`, `fromArrays`,
 * `clone`, `identity` and `randomMatrix`-style constructors allocate.
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import { checkElements, checkInt, checkMatrix } from '../validate.js';

/**
 * A dense row-major `rows × cols` matrix of float64 values.
 * `data[i * cols + j]` is entry `(i, j)`; `data.length === rows * cols`.
 * @category Linear algebra
 */
export interface Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row-major entries, length `rows * cols`. May be a view into a larger buffer. */
  readonly data: Float64Array;
}

/**
 * Wraps (or allocates) row-major data as a `rows × cols` matrix. The data is not copied.
 *
 * @param rows - number of rows (integer ≥ 0)
 * @param cols - number of columns (integer ≥ 0)
 * @param data - optional `Float64Array` of length `rows * cols`; zeros when omitted
 * @returns the matrix
 * @throws {RangeError} on a negative or non-integer size
 * @throws {ShapeError} when `data.length !== rows * cols`
 * @example
 * ```ts
 * import { matrix } from 'boltzmann';
 * const m = matrix(2, 2, Float64Array.of(1, 2, 3, 4)); // [[1, 2], [3, 4]]
 * ```
 * @category Linear algebra
 */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  checkInt('matrix', 'rows', rows);
  checkInt('matrix', 'cols', cols);
  if (data === undefined) return { rows, cols, data: new Float64Array(checkElements('matrix', 'rows × cols', rows, cols)) };
  if (!(data instanceof Float64Array)) {
    throw new TypeError(`matrix: data must be a Float64Array (got ${describeValue(data)})`);
  }
  if (data.length !== rows * cols) {
    throw new ShapeError(`matrix: data must have length rows*cols = ${rows * cols} (got ${data.length})`);
  }
  return { rows, cols, data };
}

/**
 * Allocates a `rows × cols` matrix of zeros.
 *
 * @example
 * ```ts
 * import { zeros } from 'boltzmann';
 * zeros(2, 3).data.length; // 6
 * ```
 * @category Linear algebra
 */
export function zeros(rows: number, cols: number): Matrix {
  checkInt('zeros', 'rows', rows);
  checkInt('zeros', 'cols', cols);
  return { rows, cols, data: new Float64Array(checkElements('zeros', 'rows × cols', rows, cols)) };
}

/**
 * Allocates the `n × n` identity matrix.
 *
 * @example
 * ```ts
 * import { identity } from 'boltzmann';
 * identity(2).data; // Float64Array [1, 0, 0, 1]
 * ```
 * @category Linear algebra
 */
export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Builds a matrix from nested arrays (one inner array per row). All rows must
 * have the same length and every entry must be a finite number.
 *
 * @throws {TypeError} when `rows` is not an array of arrays of numbers
 * @throws {ShapeError} on ragged rows
 * @example
 * ```ts
 * import { fromArrays } from 'boltzmann';
 * fromArrays([[1, 2, 3], [4, 5, 6]]).cols; // 3
 * ```
 * @category Linear algebra
 */
export function fromArrays(rows: ArrayLike<ArrayLike<number>>): Matrix {
  if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') {
    throw new TypeError(`fromArrays: rows must be an array of number arrays (got ${describeValue(rows)})`);
  }
  const r = rows.length;
  const c = r === 0 ? 0 : (rows[0]?.length ?? -1);
  if (c < 0) throw new TypeError(`fromArrays: rows[0] must be an array of numbers (got ${describeValue(rows[0])})`);
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new TypeError(`fromArrays: rows[${i}] must be an array of numbers (got ${describeValue(row)})`);
    }
    if (row.length !== c) throw new ShapeError(`fromArrays: rows[${i}] must have length ${c} (got ${row.length})`);
    for (let j = 0; j < c; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        throw new TypeError(`fromArrays: rows[${i}][${j}] must be a number (got ${describeValue(v)})`);
      }
      data[i * c + j] = v;
    }
  }
  return { rows: r, cols: c, data };
}

/**
 * Copies a matrix into nested plain arrays (one per row).
 *
 * @example
 * ```ts
 * import { fromArrays, toArrays } from 'boltzmann';
 * toArrays(fromArrays([[1, 2]])); // [[1, 2]]
 * ```
 * @category Linear algebra
 */
export function toArrays(m: Matrix): number[][] {
  checkMatrix('toArrays', 'm', m);
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * A view of rows `[start, end)` sharing `m`'s buffer: writing to the view writes to `m`.
 *
 * @throws {RangeError} when the range is outside `[0, m.rows]` or `start > end`
 * @example
 * ```ts
 * import { fromArrays, rowsView } from 'boltzmann';
 * const m = fromArrays([[1, 2], [3, 4], [5, 6]]);
 * rowsView(m, 1, 3).data; // Float64Array [3, 4, 5, 6] (a view)
 * ```
 * @category Linear algebra
 */
export function rowsView(m: Matrix, start: number, end: number): Matrix {
  checkMatrix('rowsView', 'm', m);
  checkInt('rowsView', 'start', start, 0, m.rows);
  checkInt('rowsView', 'end', end, start, m.rows);
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) };
}

/**
 * Row `i` of `m` as a `Float64Array` view (no copy).
 *
 * @example
 * ```ts
 * import { fromArrays, row } from 'boltzmann';
 * row(fromArrays([[1, 2], [3, 4]]), 1); // Float64Array [3, 4] (a view)
 * ```
 * @category Linear algebra
 */
export function row(m: Matrix, i: number): Float64Array {
  checkMatrix('row', 'm', m);
  checkInt('row', 'i', i, 0, m.rows - 1);
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/**
 * A deep copy of `m` with its own buffer.
 *
 * @example
 * ```ts
 * import { clone, zeros } from 'boltzmann';
 * const c = clone(zeros(2, 2)); c.data[0] = 1; // original unchanged
 * ```
 * @category Linear algebra
 */
export function clone(m: Matrix): Matrix {
  checkMatrix('clone', 'm', m);
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/**
 * Copies `a` into `out` (same shape) and returns `out`.
 *
 * @throws {ShapeError} when the shapes differ
 * @example
 * ```ts
 * import { copy, zeros, identity } from 'boltzmann';
 * copy(zeros(2, 2), identity(2)).data; // Float64Array [1, 0, 0, 1]
 * ```
 * @category Linear algebra
 */
export function copy(out: Matrix, a: Matrix): Matrix {
  checkMatrix('copy', 'a', a);
  checkMatrix('copy', 'out', out, a.rows, a.cols);
  out.data.set(a.data);
  return out;
}

/**
 * Writes the transpose of `a` (`rows × cols`) into `out` (`cols × rows`).
 *
 * @throws {ShapeError} on a shape mismatch
 * @throws {RangeError} when `out` shares memory with `a` (the result would be wrong)
 * @example
 * ```ts
 * import { fromArrays, transpose, zeros, toArrays } from 'boltzmann';
 * toArrays(transpose(zeros(2, 1), fromArrays([[1, 2]]))); // [[1], [2]]
 * ```
 * @category Linear algebra
 */
export function transpose(out: Matrix, a: Matrix): Matrix {
  checkMatrix('transpose', 'a', a);
  checkMatrix('transpose', 'out', out, a.cols, a.rows);
  if (overlaps(out.data, a.data) && a.data.length > 1) {
    throw new RangeError('transpose: out must not share memory with a');
  }
  const r = a.rows;
  const c = a.cols;
  const src = a.data;
  const dst = out.data;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dst[j * r + i] = src[i * c + j];
  return out;
}

/**
 * Whether two typed arrays share any bytes of the same buffer.
 *
 * @example
 * ```ts
 * import { overlaps } from 'boltzmann/base';
 * const a = new Float64Array(4);
 * overlaps(a.subarray(0, 2), a.subarray(1, 3)); // true
 * ```
 * @category Linear algebra
 */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset;
  const a1 = a0 + a.byteLength;
  const b0 = b.byteOffset;
  const b1 = b0 + b.byteLength;
  return a0 < b1 && b0 < a1 && a.byteLength > 0 && b.byteLength > 0;
}

/**
 * Index of the largest entry of each row (the first one on ties) — the predicted
 * class of a `[rows, classes]` probability matrix.
 *
 * @example
 * ```ts
 * import { argmaxRows, fromArrays } from 'boltzmann';
 * argmaxRows(fromArrays([[0.1, 0.9], [0.7, 0.3]])); // Int32Array [1, 0]
 * ```
 * @category Linear algebra
 */
export function argmaxRows(m: Matrix): Int32Array {
  checkMatrix('argmaxRows', 'm', m);
  const K = m.cols;
  const out = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    const o = r * K;
    let best = 0;
    for (let k = 1; k < K; k++) if (m.data[o + k] > m.data[o + best]) best = k;
    out[r] = best;
  }
  return out;
}
