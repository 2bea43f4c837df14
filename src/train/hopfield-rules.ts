/**
 * Storage rules for Hopfield networks: Hebbian (batch and incremental),
 * Storkey (1997) and the pseudo-inverse (projection) rule. Every rule returns
 * or updates a weight matrix that is exactly symmetric with a zero diagonal.
 *
 * Patterns are spins (±1), one per row of a `[nPatterns, n]` matrix.
 * @module
 */
import { describeValue, NumericalError, ShapeError } from '../errors.js';
import { getKernel } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import {
  checkAllFinite,
  checkBoolean,
  checkInt,
  checkMatrix,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSpins,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';

/** The storage rules {@link storeWeights} understands.
 * @category Training
 */
export type HopfieldRule = 'hebbian' | 'storkey' | 'pseudo-inverse';

/**
 * The storage rule names, in a list (for validation and sweeps).
 *
 * @example
 * ```ts
 * import { HOPFIELD_RULES, HopfieldNetwork } from 'boltzmann';
 * for (const rule of HOPFIELD_RULES) new HopfieldNetwork(4).fit([[1, -1, 1, -1]], { rule });
 * ```
 * @category Training
 */
export const HOPFIELD_RULES: readonly HopfieldRule[] = ['hebbian', 'storkey', 'pseudo-inverse'];

/** Options of {@link toSpinPatterns}.
 * @category Training
 */
export interface SpinPatternOptions {
  /** Accept 0/1 patterns and convert them with `y = 2s − 1`. Default false (±1 only). */
  binary?: boolean;
  /** Required pattern length `n`. */
  dimension?: number;
}

const SPIN_PATTERN_KEYS = optionKeys<SpinPatternOptions>()({ binary: true, dimension: true });

/**
 * Validates patterns and returns them as a fresh `[nPatterns, n]` matrix of
 * spins (the input is never modified or aliased).
 *
 * @param where - the calling function, for error messages
 * @param patterns - `[nPatterns, n]`: a {@link Matrix}, `number[][]` or any {@link DataInput}
 * @param options - `binary: true` accepts 0/1 values; `dimension` fixes `n`
 * @returns a new matrix of ±1 values
 * @throws {TypeError} when `patterns` is not a {@link DataInput}, or on an unknown option
 * @throws {ShapeError} on ragged rows, no patterns, or the wrong length
 * @throws {RangeError} on values other than ±1 (or 0/1 with `binary`), NaN included
 * @example
 * ```ts
 * import { toSpinPatterns } from 'boltzmann';
 * toSpinPatterns('demo', [[0, 1, 1]], { binary: true }).data; // Float64Array [-1, 1, 1]
 * ```
 * @category Training
 */
export function toSpinPatterns(where: string, patterns: DataInput, options?: SpinPatternOptions): Matrix {
  const o = checkOptionsKeys(where, options, SPIN_PATTERN_KEYS);
  const binary = o.binary === undefined ? false : checkBoolean(where, 'binary', o.binary);
  if (o.dimension !== undefined) checkInt(where, 'dimension', o.dimension, 0);
  const src = toMatrix(where, 'patterns', patterns);
  // toMatrix keeps Float64Array data as is: copy it, so the input is never aliased.
  const m: Matrix = src.data === (patterns as { data?: unknown }).data ? { rows: src.rows, cols: src.cols, data: src.data.slice() } : src;
  if (m.rows === 0 || m.cols === 0) {
    throw new ShapeError(`${where}: patterns must have at least one pattern of length ≥ 1 (got [${m.rows}, ${m.cols}])`);
  }
  if (o.dimension !== undefined && m.cols !== o.dimension) {
    throw new ShapeError(`${where}: patterns must have length ${o.dimension} (got ${m.cols})`);
  }
  const d = m.data;
  if (binary) {
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v !== 0 && v !== 1 && v !== -1) {
        throw new RangeError(`${where}: patterns must contain only 0/1 values (got ${describeValue(v)} at index ${i})`);
      }
    }
    for (let i = 0; i < d.length; i++) if (d[i] === 0) d[i] = -1;
  } else {
    checkSpins(where, 'patterns', d);
  }
  return m;
}

/** Copies the upper triangle onto the lower one and zeroes the diagonal (exact symmetry). */
function mirrorUpperZeroDiag(w: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    w[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) w[j * n + i] = w[i * n + j];
  }
}

/** Options of {@link hebbianWeights} and {@link hebbianUpdate}.
 * @category Training
 */
export interface HebbianOptions {
  /**
   * Scale of each pattern's outer product: `'n'` (default) gives `W = (1/N) Σ ξξᵀ`,
   * `'patterns'` gives the lecture's `1/N_p`, `'none'` gives integer weights.
   * The scale does not change the dynamics without biases (a positive factor
   * on all weights leaves every field's sign, and so every fixed point, as it
   * is); it does change the energies (by `N/N_p`) and, with biases, the
   * dynamics: for `ξ¹ = (+1, +1, −1, −1)`, `ξ² = (+1, +1, +1, −1)` and a bias
   * −1.5 on unit 0, `ξ¹` is a fixed point with `1/N_p` (field +0.5) but not
   * with `1/N` (field −0.5) (test/train/lecture-conventions.test.ts).
   */
  scale?: 'n' | 'patterns' | 'none';
}

const HEBBIAN_KEYS = optionKeys<HebbianOptions>()({ scale: true });

/**
 * Hebbian storage: `W = c · Σ_p ξ^p ξ^pᵀ` with the diagonal set to zero, where
 * `c = 1/N` by default; the lecture writes `c = 1/N_p` (`scale: 'patterns'`).
 * Computed as one `ΞᵀΞ` product through the kernel.
 *
 * @param patterns - `[nPatterns, n]` spins (see {@link toSpinPatterns})
 * @param options - the scale `c`
 * @returns a new `[n, n]` symmetric matrix with zero diagonal
 * @throws {TypeError | RangeError | ShapeError} on bad patterns or options
 * @example
 * ```ts
 * import { hebbianWeights } from 'boltzmann';
 * hebbianWeights([[1, -1, 1, -1]]).data[1]; // -0.25
 * hebbianWeights([[1, 1, -1, -1], [1, 1, 1, -1]], { scale: 'patterns' }).data[1]; // 1 (the lecture's 1/N_p)
 * ```
 * @category Training
 */
export function hebbianWeights(patterns: DataInput, options?: HebbianOptions): Matrix {
  const o = checkOptionsKeys('hebbianWeights', options, HEBBIAN_KEYS);
  const scale = o.scale === undefined ? 'n' : checkOneOf('hebbianWeights', 'scale', o.scale, ['n', 'patterns', 'none'] as const);
  const xi = toSpinPatterns('hebbianWeights', patterns);
  return hebbianWeightsUnchecked(xi, scale);
}

/**
 * Unchecked Hebbian weights from a validated spin matrix.
 *
 * @example
 * ```ts
 * import { fromArrays } from 'boltzmann';
 * import { hebbianWeightsUnchecked } from 'boltzmann/base';
 * hebbianWeightsUnchecked(fromArrays([[1, -1, 1, -1]])).data[1]; // -0.25
 * ```
 * @category Training
 */
export function hebbianWeightsUnchecked(xi: Matrix, scale: 'n' | 'patterns' | 'none' = 'n'): Matrix {
  const n = xi.cols;
  const p = xi.rows;
  const c = scale === 'n' ? 1 / n : scale === 'patterns' ? 1 / p : 1;
  const w = new Float64Array(n * n);
  // Integer sums of ±1 products are exact, so the scale applied once gives exact symmetry;
  // the mirror makes it independent of the kernel's reduction order anyway.
  getKernel().gemm(true, false, n, n, p, c, xi.data, n, xi.data, n, 0, w, n);
  mirrorUpperZeroDiag(w, n);
  return { rows: n, cols: n, data: w };
}

function checkSquareWeights(where: string, weights: Matrix): number {
  checkMatrix(where, 'weights', weights);
  if (weights.rows !== weights.cols) throw new ShapeError(`${where}: weights must be square (got [${weights.rows}, ${weights.cols}])`);
  return weights.rows;
}

function checkPattern(where: string, pattern: unknown, n: number): Float64Array {
  const v = checkVector(where, 'pattern', pattern, n);
  checkSpins(where, 'pattern', v);
  return v;
}

/**
 * Incremental Hebbian storage of one more pattern, in place:
 * `w_ij += c · ξ_i ξ_j` for `i ≠ j`. Storing patterns one at a time gives the
 * batch {@link hebbianWeights} result (up to rounding when `c = 1/N`).
 *
 * @param weights - `[n, n]` symmetric weights with zero diagonal, updated in place
 * @param pattern - length-`n` spins
 * @param scale - the factor `c`; default `1/n`
 * @returns `weights`
 * @throws {ShapeError | RangeError | TypeError} on bad input (nothing is changed)
 * @example
 * ```ts
 * import { hebbianUpdate, zeros } from 'boltzmann';
 * const w = zeros(2, 2);
 * hebbianUpdate(w, Float64Array.of(1, -1)).data; // Float64Array [0, -0.5, -0.5, 0]
 * ```
 * @category Training
 */
export function hebbianUpdate(weights: Matrix, pattern: Float64Array, scale?: number): Matrix {
  const n = checkSquareWeights('hebbianUpdate', weights);
  const xi = checkPattern('hebbianUpdate', pattern, n);
  const c = scale === undefined ? 1 / n : checkPositive('hebbianUpdate', 'scale', scale);
  hebbianUpdateUnchecked(weights.data, xi, n, c);
  return weights;
}

/**
 * {@link hebbianUpdate} without checks: `w_ij += c·ξ_i·ξ_j` for `i ≠ j` on the
 * row-major `n×n` weights `w`, kept exactly symmetric (each sum written to both
 * halves). @internal
 */
export function hebbianUpdateUnchecked(w: Float64Array, xi: Float64Array, n: number, c: number): void {
  for (let i = 0; i < n; i++) {
    const a = c * xi[i];
    const o = i * n;
    for (let j = i + 1; j < n; j++) {
      const v = w[o + j] + a * xi[j];
      w[o + j] = v;
      w[j * n + i] = v;
    }
  }
}

/**
 * Storkey's (1997) incremental rule, in place, for one new pattern `ξ`:
 *
 * `w_ij ← w_ij + (1/N)(ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j)`, with
 * `h_ij = Σ_{k≠i,j} w_ik ξ_k` (the local field at `i` leaving out `j`).
 *
 * It is local and incremental like Hebb's rule, but stores more patterns
 * (its capacity grows as `N/√(2 ln N)` rather than `N/(2 ln N)`).
 *
 * @param weights - `[n, n]` symmetric weights with zero diagonal, updated in place
 * @param pattern - length-`n` spins
 * @returns `weights`
 * @throws {ShapeError | RangeError | TypeError} on bad input (nothing is changed)
 * @throws {NumericalError} when the update would overflow to non-finite weights (nothing is changed)
 * @example
 * ```ts
 * import { storkeyUpdate, zeros } from 'boltzmann';
 * storkeyUpdate(zeros(2, 2), Float64Array.of(1, 1)).data; // Float64Array [0, 0.5, 0.5, 0]
 * ```
 * @category Training
 */
export function storkeyUpdate(weights: Matrix, pattern: Float64Array): Matrix {
  const n = checkSquareWeights('storkeyUpdate', weights);
  const xi = checkPattern('storkeyUpdate', pattern, n);
  storkeyUpdateUnchecked(weights.data, xi, n, new Float64Array(n));
  return weights;
}

/**
 * Unchecked Storkey update; `h` is scratch of length `n`. Throws a
 * {@link NumericalError} and leaves `w` unchanged when a new weight would not
 * be finite.
 *
 * @example
 * ```ts
 * import { storkeyUpdateUnchecked } from 'boltzmann/base';
 * const w = new Float64Array(4);
 * storkeyUpdateUnchecked(w, Float64Array.of(1, 1), 2, new Float64Array(2));
 * w; // Float64Array [0, 0.5, 0.5, 0]
 * ```
 * @category Training
 */
export function storkeyUpdateUnchecked(w: Float64Array, xi: Float64Array, n: number, h: Float64Array): void {
  // h_i = Σ_k w_ik ξ_k (the zero diagonal leaves out k = i); h_ij = h_i − w_ij ξ_j.
  getKernel().gemv(false, n, n, 1, w, n, xi, 0, h);
  const c = 1 / n;
  // Phase 1: the new values go to the lower triangle only (the loop reads the
  // upper one and h), so an overflow can be undone exactly from the upper one.
  let finite = true;
  for (let i = 0; i < n; i++) {
    const xii = xi[i];
    const hi = h[i];
    const o = i * n;
    for (let j = i + 1; j < n; j++) {
      const wij = w[o + j];
      const xij = xi[j];
      const hij = hi - wij * xij;
      const hji = h[j] - wij * xii;
      const v = wij + c * (xii * xij - xii * hji - hij * xij);
      if (v - v !== 0) finite = false; // ±Infinity or NaN
      w[j * n + i] = v;
    }
  }
  // Phase 2: mirror (new values on success, the old ones back on overflow).
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = i + 1; j < n; j++) {
      if (finite) w[o + j] = w[j * n + i];
      else w[j * n + i] = w[o + j];
    }
  }
  if (!finite) {
    throw new NumericalError(
      `Storkey rule: the update overflowed to non-finite weights (the rule's weights grow geometrically with the number of patterns stored; ${n} units): store fewer patterns, or use the 'pseudo-inverse' rule`,
    );
  }
}

/**
 * Storkey storage of all patterns, one after another from `W = 0`.
 *
 * @param patterns - `[nPatterns, n]` spins
 * @returns a new `[n, n]` symmetric matrix with zero diagonal
 * @throws {TypeError | RangeError | ShapeError} on bad patterns
 * @throws {NumericalError} when the weights overflow (Storkey weights grow geometrically with the number of patterns)
 * @example
 * ```ts
 * import { storkeyWeights } from 'boltzmann';
 * storkeyWeights([[1, -1, 1], [1, 1, -1]]).rows; // 3
 * ```
 * @category Training
 */
export function storkeyWeights(patterns: DataInput): Matrix {
  const xi = toSpinPatterns('storkeyWeights', patterns);
  return storkeyWeightsUnchecked(xi);
}

/**
 * Unchecked Storkey weights from a validated spin matrix.
 *
 * @example
 * ```ts
 * import { fromArrays } from 'boltzmann';
 * import { storkeyWeightsUnchecked } from 'boltzmann/base';
 * storkeyWeightsUnchecked(fromArrays([[1, -1, 1], [1, 1, -1]])).rows; // 3
 * ```
 * @category Training
 */
export function storkeyWeightsUnchecked(xi: Matrix): Matrix {
  const n = xi.cols;
  const w = new Float64Array(n * n);
  const h = new Float64Array(n);
  for (let p = 0; p < xi.rows; p++) storkeyUpdateUnchecked(w, xi.data.subarray(p * n, (p + 1) * n), n, h);
  return { rows: n, cols: n, data: w };
}

/** Options of {@link pseudoInverseWeights}.
 * @category Training
 */
export interface PseudoInverseOptions {
  /**
   * A pattern whose component orthogonal to the earlier ones has norm below
   * `tolerance · √N` is treated as linearly dependent and adds nothing. Default 1e-9.
   */
  tolerance?: number;
}

const PSEUDO_INVERSE_KEYS = optionKeys<PseudoInverseOptions>()({ tolerance: true });

/**
 * Pseudo-inverse (projection) rule (Personnaz, Guyon & Dreyfus 1985):
 * `W = Ξᵀ (Ξ Ξᵀ)⁺ Ξ`, the orthogonal projector onto the span of the patterns,
 * with the diagonal then set to zero. Every pattern in the span satisfies
 * `W ξ = ξ`, so after zeroing the diagonal `h_i = (1 − P_ii) ξ_i` and every one
 * of up to `N − 1` linearly independent patterns is a fixed point.
 *
 * Computed by modified Gram–Schmidt with re-orthogonalisation (so linearly
 * dependent patterns are handled exactly: they add nothing to the span), then
 * `W = QᵀQ` through the kernel.
 *
 * @param patterns - `[nPatterns, n]` spins
 * @param options - the rank tolerance
 * @returns a new `[n, n]` symmetric matrix with zero diagonal
 * @throws {TypeError | RangeError | ShapeError} on bad patterns or options
 * @throws {NumericalError} if the result is not finite
 * @example
 * ```ts
 * import { pseudoInverseWeights } from 'boltzmann';
 * pseudoInverseWeights([[1, 1, 1, -1], [1, 1, -1, 1]]).rows; // 4
 * ```
 * @category Training
 */
export function pseudoInverseWeights(patterns: DataInput, options?: PseudoInverseOptions): Matrix {
  const o = checkOptionsKeys('pseudoInverseWeights', options, PSEUDO_INVERSE_KEYS);
  const tol = o.tolerance === undefined ? 1e-9 : checkPositive('pseudoInverseWeights', 'tolerance', o.tolerance);
  const xi = toSpinPatterns('pseudoInverseWeights', patterns);
  return pseudoInverseWeightsUnchecked(xi, tol);
}

/**
 * Unchecked pseudo-inverse weights from a validated spin matrix.
 *
 * @example
 * ```ts
 * import { fromArrays } from 'boltzmann';
 * import { pseudoInverseWeightsUnchecked } from 'boltzmann/base';
 * pseudoInverseWeightsUnchecked(fromArrays([[1, 1, 1, -1], [1, 1, -1, 1]])).rows; // 4
 * ```
 * @category Training
 */
export function pseudoInverseWeightsUnchecked(xi: Matrix, tolerance = 1e-9): Matrix {
  const n = xi.cols;
  const p = xi.rows;
  const q = new Float64Array(Math.min(p, n) * n);
  let rank = 0;
  const v = new Float64Array(n);
  const minNorm = tolerance * Math.sqrt(n);
  for (let r = 0; r < p; r++) {
    v.set(xi.data.subarray(r * n, (r + 1) * n));
    // Two passes of modified Gram–Schmidt ("twice is enough").
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < rank; k++) {
        const o = k * n;
        let d = 0;
        for (let j = 0; j < n; j++) d += q[o + j] * v[j];
        for (let j = 0; j < n; j++) v[j] -= d * q[o + j];
      }
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += v[j] * v[j];
    norm = Math.sqrt(norm);
    if (norm < minNorm || rank === n) continue;
    const o = rank * n;
    for (let j = 0; j < n; j++) q[o + j] = v[j] / norm;
    rank++;
  }
  const w = new Float64Array(n * n);
  if (rank > 0) getKernel().gemm(true, false, n, n, rank, 1, q, n, q, n, 0, w, n);
  mirrorUpperZeroDiag(w, n);
  checkAllFiniteNumerical(w);
  return { rows: n, cols: n, data: w };
}

function checkAllFiniteNumerical(w: Float64Array): void {
  try {
    checkAllFinite('pseudoInverseWeights', 'weights', w);
  } catch {
    throw new NumericalError('pseudoInverseWeights: the projection produced non-finite weights');
  }
}

/**
 * Weights for `patterns` under `rule` (dispatches to {@link hebbianWeights},
 * {@link storkeyWeights} or {@link pseudoInverseWeights}).
 *
 * @param patterns - `[nPatterns, n]` spins
 * @param rule - `'hebbian'`, `'storkey'` or `'pseudo-inverse'`
 * @returns a new `[n, n]` symmetric matrix with zero diagonal
 * @throws {TypeError | RangeError | ShapeError} on bad input
 * @example
 * ```ts
 * import { storeWeights } from 'boltzmann';
 * storeWeights([[1, -1, 1, -1]], 'storkey').rows; // 4
 * ```
 * @category Training
 */
export function storeWeights(patterns: DataInput, rule: HopfieldRule): Matrix {
  const r = checkOneOf('storeWeights', 'rule', rule, HOPFIELD_RULES);
  const xi = toSpinPatterns('storeWeights', patterns);
  return storeWeightsUnchecked(xi, r);
}

/**
 * Unchecked dispatch of {@link storeWeights} on a validated spin matrix.
 *
 * @example
 * ```ts
 * import { fromArrays } from 'boltzmann';
 * import { storeWeightsUnchecked } from 'boltzmann/base';
 * storeWeightsUnchecked(fromArrays([[1, -1]]), 'hebbian').data; // Float64Array [0, -0.5, -0.5, 0]
 * ```
 * @category Training
 */
export function storeWeightsUnchecked(xi: Matrix, rule: HopfieldRule): Matrix {
  if (rule === 'hebbian') return hebbianWeightsUnchecked(xi);
  if (rule === 'storkey') return storkeyWeightsUnchecked(xi);
  return pseudoInverseWeightsUnchecked(xi);
}
