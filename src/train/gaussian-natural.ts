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
 * @throws {NumericalError} when Λ is not positive definite, or μ or Λ is not finite (nothing is written)
 */
export function fromNatural(theta: Float64Array, d: number, mean: Float64Array, precision: Float64Array, where: string): void {
  const lambda = unpackSymmetric(theta, d);
  const chol = cholesky(lambda, d);
  if (chol === undefined) throw new NumericalError(`${where}: the fitted precision is not positive definite`);
  const mu = choleskySolve(chol, d, theta.subarray(nSymmetric(d), nSymmetric(d) + d));
  if (!allFinite(lambda) || !allFinite(mu)) throw new NumericalError(`${where}: the fitted mean or precision is not finite`);
  precision.set(lambda);
  mean.set(mu);
}

/**
 * Lower Cholesky factor of a symmetric d × d matrix (row-major), or undefined when it is
 * not positive definite: when some pivot is at most `floor` times its diagonal entry
 * (default 0: not positive).
 */
export function cholesky(a: ArrayLike<number>, d: number, floor = 0): Float64Array | undefined {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > (floor === 0 ? 0 : floor * Math.abs(a[i * d + i])))) return undefined;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/**
 * True when a symmetric matrix (a covariance or a precision) is not positive
 * definite up to rounding: some pivot of its Cholesky factorisation (for a
 * covariance, a variable's variance left after regressing it on the earlier ones)
 * is at most 64·d·ε of its diagonal entry — as for the covariance of fewer than
 * d + 1 affinely independent rows, or of rows on a lower-dimensional subspace.
 */
export function isNumericallySingular(c: ArrayLike<number>, d: number): boolean {
  return cholesky(c, d, 64 * d * Number.EPSILON) === undefined;
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
  const mean = sampleMean(x, n, d);
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

/** The column means of `n` rows of `d` values (summed in row order, then divided). @internal */
export function sampleMean(x: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** True when the packed precision part of θ is positive definite. */
export function precisionIsPositiveDefinite(theta: Float64Array, d: number): boolean {
  return cholesky(unpackSymmetric(theta, d), d) !== undefined;
}

/**
 * How {@link minimiseNewton} stopped:
 * - `'converged'`: no step along the Newton direction lowers the loss (or one leaves it
 *   equal), or the iteration limit came with the Newton decrement at the final point
 *   within {@link NEWTON_TOLERANCE} — the minimum as far as float64 rounding shows it;
 * - `'stopped'`: `onIteration` returned false;
 * - `'iterations'`: the iteration limit came while a full Newton step at the final
 *   point would still lower the loss by more than that tolerance (or no Newton step
 *   could be formed there).
 */
export type NewtonStop = 'converged' | 'stopped' | 'iterations';

/** What {@link minimiseNewton} returns. */
export interface NewtonResult {
  /** The final parameters. */
  theta: Float64Array;
  /** Why it stopped. */
  stop: NewtonStop;
  /** The loss at `theta`. */
  loss: number;
  /** With `'iterations'`: what a full Newton step at `theta` would still gain, or why none could be formed. */
  remaining?: string;
}

/**
 * Relative tolerance of {@link minimiseNewton} at its iteration limit: the fit has
 * converged when half the Newton decrement `gᵀH⁻¹g` (the decrease a full step
 * predicts) is at most `NEWTON_TOLERANCE · |loss|`.
 */
export const NEWTON_TOLERANCE = 1e-8;

const TOWARDS_SINGULAR = 'the loss falls towards a singular precision: on these data it has no minimum with Λ positive definite (too few rows), or they are too badly scaled (centre and rescale them)';

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * The Newton step `H⁻¹g` at θ and the decrement `gᵀH⁻¹g`: the Hessian is the
 * central difference of the gradient, symmetrised, with a ridge added (from
 * 1e-12 up to 10⁶ · max(1, max |Hⱼⱼ|)) when it does not factor. A string says
 * why there is none: the Hessian is not finite, or not positive definite even
 * with the largest ridge.
 */
function newtonStep(objective: (theta: Float64Array) => LossAndGradient, theta: Float64Array, gradient: Float64Array): { step: Float64Array; decrement: number } | string {
  const p = theta.length;
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
  if (!allFinite(hess)) return 'its Hessian is not finite (the data or the parameters are too large for float64)';
  let scale = 1;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(hess[j * p + j]));
  let chol = cholesky(hess, p);
  let ridge = 1e-12;
  while (chol === undefined && ridge <= 1e6 * scale) {
    const hr = hess.slice();
    for (let j = 0; j < p; j++) hr[j * p + j] += ridge;
    chol = cholesky(hr, p);
    ridge *= 10;
  }
  if (chol === undefined) return `its Hessian is not positive definite, even with a ridge of ${1e6 * scale} (the loss is not convex there)`;
  const step = choleskySolve(chol, p, gradient);
  let decrement = 0;
  for (let j = 0; j < p; j++) decrement += step[j] * gradient[j];
  return { step, decrement };
}

/**
 * Damped Newton minimisation of a smooth convex loss: the Hessian is the
 * central difference of the analytic gradient (exact up to rounding for the
 * quadratic score-matching losses), the step is halved until the loss falls
 * and the precision stays positive definite. Calls `onIteration(loss)` after
 * every accepted step. Stops (see {@link NewtonStop}) when no step lowers the
 * loss: with a positive-definite Hessian the Newton direction descends, so when
 * none of the steps 1, ½, …, 2⁻³⁹ of it gives a lower finite loss, the loss's
 * rounding hides any further decrease and the minimum is reached as far as
 * float64 shows; or after `iterations` steps (then one more Newton step is formed
 * at the final point to tell whether the minimum was reached); or when
 * `onIteration` returns false. Nothing outside is changed: the caller writes the
 * result. `what` names the loss in errors, e.g. `'ScoreMatchingTrainer.fit: the score-matching loss'`.
 * @throws {NumericalError} when the loss or its gradient is not finite at the start,
 * or at some iteration the Newton step cannot be formed (Hessian not finite, or not
 * positive definite) or no step along it gives a finite loss with a positive-definite precision
 */
export function minimiseNewton(
  objective: (theta: Float64Array) => LossAndGradient,
  theta: Float64Array,
  d: number,
  iterations: number,
  onIteration: (loss: number, iteration: number) => boolean,
  what: string,
): NewtonResult {
  const p = theta.length;
  let current = objective(theta);
  if (!Number.isFinite(current.loss) || !allFinite(current.gradient)) {
    const part = Number.isFinite(current.loss) ? `its gradient is not (loss ${current.loss})` : `it is ${current.loss}`;
    throw new NumericalError(
      `${what} is not finite at the starting parameters: ${part} (an overflow: the data, or the model's mean and precision, are too large for float64 arithmetic; rescale the data); nothing was changed`,
    );
  }
  for (let it = 0; ; it++) {
    const newton = newtonStep(objective, theta, current.gradient);
    if (it >= iterations) {
      if (typeof newton === 'string') return { theta, stop: 'iterations', loss: current.loss, remaining: `no Newton step can be formed there: ${newton}` };
      const gain = newton.decrement / 2;
      if (gain <= NEWTON_TOLERANCE * Math.abs(current.loss)) return { theta, stop: 'converged', loss: current.loss };
      return { theta, stop: 'iterations', loss: current.loss, remaining: `a full Newton step would still lower it by about ${gain}` };
    }
    if (typeof newton === 'string') throw new NumericalError(`${what}: ${newton} at Newton iteration ${it + 1}; nothing was changed`);
    const { step } = newton;
    let t = 1;
    let accepted = false;
    let equal = false;
    let positiveDefinite = false;
    let finite = false;
    for (let tries = 0; tries < 40; tries++, t /= 2) {
      const cand = theta.slice();
      for (let j = 0; j < p; j++) cand[j] -= t * step[j];
      if (!precisionIsPositiveDefinite(cand, d)) continue;
      positiveDefinite = true;
      const next = objective(cand);
      if (!Number.isFinite(next.loss) || !allFinite(next.gradient)) continue;
      finite = true;
      if (next.loss <= current.loss) {
        equal = !(next.loss < current.loss);
        theta = cand;
        current = next;
        accepted = true;
        break;
      }
    }
    if (!finite) {
      const why = positiveDefinite
        ? 'every step along the Newton direction gives a loss that is not finite (an overflow)'
        : `every step along the Newton direction leaves the positive-definite precisions (${TOWARDS_SINGULAR})`;
      throw new NumericalError(`${what}: ${why}, at Newton iteration ${it + 1}; nothing was changed`);
    }
    if (!accepted || equal) {
      // stuck on the boundary of the positive-definite precisions: not a minimum but where the loss falls towards a singular one
      if (isNumericallySingular(unpackSymmetric(theta, d), d)) throw new NumericalError(`${what}: the Newton steps stopped at a numerically singular precision (${TOWARDS_SINGULAR}), at Newton iteration ${it + 1}; nothing was changed`);
      return { theta, stop: 'converged', loss: current.loss };
    }
    if (onIteration(current.loss, it) === false) return { theta, stop: 'stopped', loss: current.loss };
  }
}

/** `log ∫ exp(−½xᵀΛx) dx = (d/2) log 2π − ½ log det Λ`. */
export function gaussianLogZ(precision: Float64Array, d: number): number {
  const l = cholesky(precision, d);
  if (l === undefined) throw new NumericalError('gaussianLogZ: the precision is not positive definite');
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * log(l[i * d + i]);
  return 0.5 * d * log(2 * Math.PI) - 0.5 * logDet;
}
