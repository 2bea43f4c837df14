/**
 * Shared pieces of the estimators that fit a quadratic (Gaussian) energy
 * `E(x) = ½xᵀΛx − hᵀx` in its natural parameters θ = (Λ upper triangle, h[, c]):
 * packing, Cholesky factorisation, sample moments and a damped Newton
 * minimiser whose Hessian is the central difference of the analytic gradient.
 * Internal (not exported from the front door).
 * @module
 */
import { NumericalError } from '../errors.js';
import { log } from '../math/elementary.js';
import type { Random } from '../random/random.js';

/**
 * What the estimators need of a quadratic energy: its dimension, live mean and
 * precision (row-major, symmetric) and its generator stream.
 * @category Training
 */
export interface GaussianParameters {
  /** Dimension d. */
  readonly dimension: number;
  /** Mean μ (length d, live). */
  readonly mean: Float64Array;
  /** Precision Λ (d × d row-major, symmetric positive definite, live). */
  readonly precision: Float64Array;
  /** The model's generator stream. */
  readonly random: Random;
}

/** A loss and its gradient with respect to the packed parameters.
 * @category Training
 */
export interface LossAndGradient {
  /** The objective's value. */
  loss: number;
  /** Its gradient with respect to the packed natural parameters. */
  gradient: Float64Array;
}

/** Number of packed precision entries, d(d+1)/2. */
export function nSymmetric(d: number): number {
  return (d * (d + 1)) / 2;
}

/** Unpacks θ's first d(d+1)/2 entries (upper triangle, row by row) into a full symmetric matrix. */
export function unpackSymmetric(theta: ArrayLike<number>, d: number, out = new Float64Array(d * d)): Float64Array {
  let k = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      out[i * d + j] = theta[k];
      out[j * d + i] = theta[k];
      k++;
    }
  }
  return out;
}

/** Packs the gradient matrix G = ∂L/∂Λ (full, as if entries were free) into the gradient for packed θ: G_ii, and G_ij + G_ji off the diagonal. */
export function packSymmetricGradient(g: ArrayLike<number>, d: number, out: Float64Array, offset = 0): void {
  let k = offset;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      out[k++] = i === j ? g[i * d + i] : g[i * d + j] + g[j * d + i];
    }
  }
}

/** Natural parameters θ = (Λ packed, h = Λμ) of a mean and precision. */
export function toNatural(mean: Float64Array, precision: Float64Array, d: number, extra = 0): Float64Array {
  const m = nSymmetric(d);
  const theta = new Float64Array(m + d + extra);
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) theta[k++] = precision[i * d + j];
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += precision[i * d + j] * mean[j];
    theta[m + i] = s;
  }
  return theta;
}

/**
 * Writes θ = (Λ, h) back as mean μ = Λ⁻¹h and precision Λ.
 * @throws {NumericalError} when Λ is not positive definite (nothing is written)
 */
export function fromNatural(theta: Float64Array, d: number, mean: Float64Array, precision: Float64Array, where: string): void {
  const lambda = unpackSymmetric(theta, d);
  const chol = cholesky(lambda, d);
  if (chol === undefined) throw new NumericalError(`${where}: the fitted precision is not positive definite`);
  const mu = choleskySolve(chol, d, theta.subarray(nSymmetric(d), nSymmetric(d) + d));
  precision.set(lambda);
  mean.set(mu);
}

/** Lower Cholesky factor of a symmetric d × d matrix (row-major), or undefined when it is not positive definite. */
export function cholesky(a: ArrayLike<number>, d: number): Float64Array | undefined {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b. */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * y[k];
    y[i] = s / l[i * d + i];
  }
  return y;
}

/** Inverse of a symmetric positive definite matrix from its Cholesky factor. */
export function choleskyInverse(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, d, e);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i];
  }
  return inv;
}

/** Sample mean and (biased, 1/n) sample covariance of the rows of X. */
export function sampleMoments(x: Float64Array, n: number, d: number): { mean: Float64Array; covariance: Float64Array } {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const a = x[r * d + i] - mean[i];
      for (let j = 0; j < d; j++) cov[i * d + j] += a * (x[r * d + j] - mean[j]);
    }
  }
  for (let k = 0; k < d * d; k++) cov[k] /= n;
  return { mean, covariance: cov };
}

/** True when the packed precision part of θ is positive definite. */
export function precisionIsPositiveDefinite(theta: Float64Array, d: number): boolean {
  return cholesky(unpackSymmetric(theta, d), d) !== undefined;
}

/**
 * Damped Newton minimisation of a smooth convex loss: the Hessian is the
 * central difference of the analytic gradient (exact up to rounding for the
 * quadratic score-matching losses), the step is halved until the loss falls
 * and the precision stays positive definite. Calls `onIteration(loss)` after
 * every accepted step; stops after `iterations` steps, when the loss stops
 * falling, or when `onIteration` returns false.
 */
export function minimiseNewton(
  objective: (theta: Float64Array) => LossAndGradient,
  theta: Float64Array,
  d: number,
  iterations: number,
  onIteration: (loss: number, iteration: number) => boolean,
): Float64Array {
  const p = theta.length;
  let current = objective(theta);
  for (let it = 0; it < iterations; it++) {
    const hess = new Float64Array(p * p);
    for (let k = 0; k < p; k++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[k]));
      const tp = theta.slice();
      const tm = theta.slice();
      tp[k] += h;
      tm[k] -= h;
      const gp = objective(tp).gradient;
      const gm = objective(tm).gradient;
      for (let j = 0; j < p; j++) hess[j * p + k] = (gp[j] - gm[j]) / (2 * h);
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hess[j * p + k] = hess[k * p + j] = (hess[j * p + k] + hess[k * p + j]) / 2;
    let chol = cholesky(hess, p);
    let ridge = 1e-12;
    while (chol === undefined && ridge < 1e6) {
      const hr = hess.slice();
      for (let j = 0; j < p; j++) hr[j * p + j] += ridge;
      chol = cholesky(hr, p);
      ridge *= 10;
    }
    if (chol === undefined) break;
    const step = choleskySolve(chol, p, current.gradient);
    let t = 1;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++, t /= 2) {
      const cand = theta.slice();
      for (let j = 0; j < p; j++) cand[j] -= t * step[j];
      if (!precisionIsPositiveDefinite(cand, d)) continue;
      const next = objective(cand);
      if (next.loss <= current.loss) {
        const done = !(next.loss < current.loss);
        theta = cand;
        current = next;
        accepted = !done;
        break;
      }
    }
    if (!accepted) break;
    if (onIteration(current.loss, it) === false) break;
  }
  return theta;
}

/** `log ∫ exp(−½xᵀΛx) dx = (d/2) log 2π − ½ log det Λ`. */
export function gaussianLogZ(precision: Float64Array, d: number): number {
  const l = cholesky(precision, d);
  if (l === undefined) throw new NumericalError('gaussianLogZ: the precision is not positive definite');
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * log(l[i * d + i]);
  return 0.5 * d * log(2 * Math.PI) - 0.5 * logDet;
}
