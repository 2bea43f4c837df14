/**
 * Helpers for the symmetric, zero-diagonal weight matrices of fully connected
 * models (Hopfield networks, Boltzmann machines).
 * @module
 */
import { ShapeError } from '../errors.js';
import { checkMatrix, checkNonNegative } from '../validate.js';
import type { Matrix } from './matrix.js';

function checkSquare(where: string, m: Matrix): void {
  checkMatrix(where, 'm', m);
  if (m.rows !== m.cols) throw new ShapeError(`${where}: m must be square (got [${m.rows}, ${m.cols}])`);
}

/**
 * Replaces `m` by `(m + mᵀ) / 2` in place and returns it. The result is exactly
 * symmetric (each pair is written from one computed value).
 *
 * @throws {ShapeError} when `m` is not square
 * @example
 * ```ts
 * import { symmetrize, fromArrays, toArrays } from 'boltzmann';
 * toArrays(symmetrize(fromArrays([[0, 1], [3, 0]]))); // [[0, 2], [2, 0]]
 * ```
 * @category Linear algebra
 */
export function symmetrize(m: Matrix): Matrix {
  checkSquare('symmetrize', m);
  const n = m.rows;
  const d = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (d[i * n + j] + d[j * n + i]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return m;
}

/**
 * Sets the diagonal of a square matrix to zero in place and returns it.
 *
 * @throws {ShapeError} when `m` is not square
 * @example
 * ```ts
 * import { zeroDiagonal, identity } from 'boltzmann';
 * zeroDiagonal(identity(2)).data; // [0, 0, 0, 0]
 * ```
 * @category Linear algebra
 */
export function zeroDiagonal(m: Matrix): Matrix {
  checkSquare('zeroDiagonal', m);
  for (let i = 0; i < m.rows; i++) m.data[i * m.cols + i] = 0;
  return m;
}

/**
 * Whether `m` is square and exactly symmetric (`m[i][j] === m[j][i]`), within
 * an optional absolute tolerance.
 *
 * @param m - the matrix
 * @param tolerance - largest accepted `|m[i][j] − m[j][i]|` (default 0: exact)
 * @throws {TypeError | RangeError} when `tolerance` is not a finite number ≥ 0
 * @example
 * ```ts
 * import { isSymmetric, identity } from 'boltzmann';
 * isSymmetric(identity(3)); // true
 * ```
 * @category Linear algebra
 */
export function isSymmetric(m: Matrix, tolerance = 0): boolean {
  checkMatrix('isSymmetric', 'm', m);
  checkNonNegative('isSymmetric', 'tolerance', tolerance);
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  const d = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = d[i * n + j];
      const b = d[j * n + i];
      if (tolerance === 0 ? a !== b : !(Math.abs(a - b) <= tolerance)) return false;
    }
  }
  return true;
}

/**
 * Whether every diagonal entry of a square matrix is exactly zero.
 *
 * @example
 * ```ts
 * import { hasZeroDiagonal, zeros } from 'boltzmann';
 * hasZeroDiagonal(zeros(3, 3)); // true
 * ```
 * @category Linear algebra
 */
export function hasZeroDiagonal(m: Matrix): boolean {
  checkMatrix('hasZeroDiagonal', 'm', m);
  if (m.rows !== m.cols) return false;
  for (let i = 0; i < m.rows; i++) if (m.data[i * m.cols + i] !== 0) return false;
  return true;
}
