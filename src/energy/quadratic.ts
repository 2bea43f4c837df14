/**
 * Quadratic (pairwise) energies: Hopfield networks, Ising models and Boltzmann
 * machines all share `E(s) = −½ sᵀWs − bᵀs`, with `W` symmetric and zero on
 * the diagonal, over spins (±1) or binary units (0/1).
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { hasZeroDiagonal, isSymmetric } from '../linalg/symmetric.js';
import { checkAllFinite, checkBinary, checkMatrix, checkOneOf, checkSpins, checkVector } from '../validate.js';
import type { EnergyModel } from './types.js';

/** Set only inside {@link zeroQuadraticEnergy}: the constructor's arguments are known valid zeros. */
let zeroWeights = false;

/**
 * The quadratic energy with zero weights and biases over `data` (`n × n`, all zeros: a
 * model's freshly made weights), built without the constructor's O(n²) checks, which on
 * zeros can only pass (and on a fresh memory would fault every page in to read it).
 * `data` must be zeros of length n². Internal: models own such weights.
 * @internal
 */
export function zeroQuadraticEnergy(n: number, data: Float64Array, domain: 'spin' | 'binary'): QuadraticEnergy {
  if (data.length !== n * n) throw new RangeError(`zeroQuadraticEnergy: data must hold n² = ${n * n} zeros (got ${data.length})`);
  zeroWeights = true;
  try {
    return new QuadraticEnergy({ rows: n, cols: n, data }, new Float64Array(n), domain);
  } finally {
    zeroWeights = false;
  }
}

/**
 * `E(s) = −½ sᵀWs − bᵀs = −Σ_{i<j} w_ij s_i s_j − Σ_i b_i s_i`.
 *
 * The local field is `h_i = Σ_{j≠i} w_ij s_j + b_i`. Flipping unit `i` changes
 * the energy by `ΔE = 2 y_i h_i` for spins and `(2 s_i − 1) h_i` for binary
 * units. The weights and bias are held by reference: models that own them
 * (Hopfield, Boltzmann machine) update them in place.
 *
 * @example
 * ```ts
 * import { QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * e.energy(Float64Array.of(1, 1)); // -1
 * ```
 * @category Models
 */
export class QuadraticEnergy implements EnergyModel {
  /** Number of units. */
  readonly dimension: number;
  /** `'spin'` (±1) or `'binary'` (0/1). */
  readonly domain: 'spin' | 'binary';
  /** Symmetric `[n, n]` weights with zero diagonal (held by reference). */
  readonly weights: Matrix;
  /** Length-`n` biases (held by reference). */
  readonly bias: Float64Array;

  /**
   * @param weights - `[n, n]`, symmetric, zero diagonal, finite
   * @param bias - length `n`, finite
   * @param domain - `'spin'` or `'binary'`
   * @throws {ShapeError | RangeError | TypeError} on bad input
   */
  constructor(weights: Matrix, bias: Float64Array, domain: 'spin' | 'binary') {
    // zeroQuadraticEnergy's fresh zeros pass every check: no O(n²) scan for them
    if (!zeroWeights) {
      checkMatrix('QuadraticEnergy', 'weights', weights);
      if (weights.rows !== weights.cols) {
        throw new ShapeError(`QuadraticEnergy: weights must be square (got [${weights.rows}, ${weights.cols}])`);
      }
      checkVector('QuadraticEnergy', 'bias', bias, weights.rows);
      checkOneOf('QuadraticEnergy', 'domain', domain, ['spin', 'binary'] as const);
      checkAllFinite('QuadraticEnergy', 'weights', weights.data);
      checkAllFinite('QuadraticEnergy', 'bias', bias);
      if (!isSymmetric(weights)) throw new RangeError('QuadraticEnergy: weights must be symmetric (w_ij === w_ji)');
      if (!hasZeroDiagonal(weights)) throw new RangeError('QuadraticEnergy: weights must have a zero diagonal');
    }
    this.dimension = weights.rows;
    this.domain = domain;
    this.weights = weights;
    this.bias = bias;
  }

  /**
   * Checks that `s` is a valid state (length and unit convention).
   *
   * @example
   * ```ts
   * import { QuadraticEnergy } from 'boltzmann';
   * const q = new QuadraticEnergy({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0) }, new Float64Array(2), 'spin');
   * q.checkState('myFunction', 'x', Float64Array.of(1, -1)); // the vector itself, checked
   * try { q.checkState('myFunction', 'x', Float64Array.of(1, 0)); } catch (e) { (e as Error).name; } // 'RangeError': 0 is not a spin
   * ```
   */
  checkState(where: string, name: string, s: unknown): Float64Array {
    const v = checkVector(where, name, s, this.dimension);
    if (this.domain === 'spin') checkSpins(where, name, v);
    else checkBinary(where, name, v);
    return v;
  }

  /**
   * `E(s)`; `s` is checked for length and unit values.
   *
   * @example
   * ```ts
   * import { QuadraticEnergy } from 'boltzmann';
   * const q = new QuadraticEnergy({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0) }, Float64Array.of(0.5, 0), 'spin');
   * q.energy(Float64Array.of(1, 1)); // −½·(1 + 1) − 0.5 = −1.5
   * ```
   */
  energy(s: Float64Array): number {
    this.checkState('QuadraticEnergy.energy', 's', s);
    return quadraticEnergyUnchecked(this.weights.data, this.bias, s, this.dimension);
  }

  /**
   * `E(s')−E(s)` for flipping unit `i`, in O(n). `s` must be a Float64Array of
   * length `n` and `i` a unit index (checked in O(1); the entries of `s` are not
   * checked: this is the inner loop of single-flip samplers).
   *
   * @throws {TypeError | ShapeError | RangeError} when `s` is not a Float64Array of length `n` or `i` not an integer in `[0, n)`
   * @example
   * ```ts
   * import { QuadraticEnergy } from 'boltzmann';
   * const q = new QuadraticEnergy({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 1, 0) }, new Float64Array(2), 'spin');
   * q.deltaEnergyFlip(Float64Array.of(1, 1), 0); // 2: flipping an aligned spin costs 2·s₀·h₀
   * ```
   */
  deltaEnergyFlip(s: Float64Array, i: number): number {
    const n = this.dimension;
    if (!(s instanceof Float64Array) || s.length !== n || typeof i !== 'number' || !(i >= 0 && i < n && Number.isInteger(i))) {
      checkVector('QuadraticEnergy.deltaEnergyFlip', 's', s, n);
      throw new (typeof i === 'number' ? RangeError : TypeError)(
        `QuadraticEnergy.deltaEnergyFlip: i must be an integer in [0, ${n}) (got ${describeValue(i)})`,
      );
    }
    const w = this.weights.data;
    let h = this.bias[i];
    const o = i * n;
    for (let j = 0; j < n; j++) h += w[o + j] * s[j];
    return this.domain === 'spin' ? 2 * s[i] * h : (2 * s[i] - 1) * h;
  }

  /**
   * Writes the local fields `h = W s + b` into `out` and returns it.
   * @throws {TypeError | ShapeError | RangeError} when `out` is not a Float64Array of length `n`, or `s` is not a valid state (length, unit values)
   *
   * @example
   * ```ts
   * import { QuadraticEnergy } from 'boltzmann';
   * const q = new QuadraticEnergy({ rows: 2, cols: 2, data: Float64Array.of(0, 2, 2, 0) }, Float64Array.of(1, 0), 'spin');
   * Array.from(q.localFields(new Float64Array(2), Float64Array.of(1, -1))); // [−1, 2]
   * ```
   */
  localFields(out: Float64Array, s: Float64Array): Float64Array {
    checkVector('QuadraticEnergy.localFields', 'out', out, this.dimension);
    this.checkState('QuadraticEnergy.localFields', 's', s);
    localFieldsUnchecked(out, this.weights.data, this.bias, s, this.dimension);
    return out;
  }
}

/**
 * Unchecked `−½ sᵀWs − bᵀs` for row-major `w` of size `n × n`.
 *
 * @example
 * ```ts
 * import { quadraticEnergyUnchecked } from 'boltzmann/base';
 * quadraticEnergyUnchecked(Float64Array.of(0, 1, 1, 0), Float64Array.of(0, 0), Float64Array.of(1, -1), 2); // 1
 * ```
 * @category Models
 */
export function quadraticEnergyUnchecked(w: Float64Array, b: Float64Array, s: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    const si = s[i];
    if (si === 0) continue;
    let acc = 0;
    const o = i * n;
    for (let j = i + 1; j < n; j++) acc += w[o + j] * s[j];
    e -= si * (acc + b[i]);
  }
  return e;
}

/**
 * Unchecked `out = W s + b`.
 *
 * @example
 * ```ts
 * import { localFieldsUnchecked } from 'boltzmann/base';
 * const h = new Float64Array(2);
 * localFieldsUnchecked(h, Float64Array.of(0, 1, 1, 0), Float64Array.of(0, 0), Float64Array.of(1, -1), 2);
 * Array.from(h); // [−1, 1]
 * ```
 * @category Models
 */
export function localFieldsUnchecked(out: Float64Array, w: Float64Array, b: Float64Array, s: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let acc = b[i];
    const o = i * n;
    for (let j = 0; j < n; j++) acc += w[o + j] * s[j];
    out[i] = acc;
  }
}
