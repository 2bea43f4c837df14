/** Shared fixtures of the Gaussian-energy estimator tests: a fixed truth, its data, moments and checks. */
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import type { LossAndGradient } from '../../src/train/gaussian-natural.js';

/** The truth of dimension 2 or 3: a correlated Gaussian. */
export function truth(d: 2 | 3, seed: number): GaussianEnergy {
  return d === 2
    ? new GaussianEnergy(2, { mean: [0.5, -1], precision: [2, 0.6, 0.6, 1.5], rng: seed })
    : new GaussianEnergy(3, { mean: [0.5, -1, 0.25], precision: [2, 0.6, 0, 0.6, 1.5, -0.3, 0, -0.3, 1], rng: seed });
}

/** Sample mean and (1/n) covariance. */
export function moments(x: Float64Array, n: number, d: number): { mean: number[]; cov: number[] } {
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j] / n;
  const cov = new Array<number>(d * d).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] += ((x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j])) / n;
  return { mean, cov };
}

/** Inverse of a small matrix by Gauss–Jordan elimination (independent of the code under test). */
export function inverse(a: number[], d: number): number[] {
  const m = a.slice();
  const inv = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[p * d + c])) p = r;
    for (let k = 0; k < d; k++) {
      [m[c * d + k], m[p * d + k]] = [m[p * d + k], m[c * d + k]];
      [inv[c * d + k], inv[p * d + k]] = [inv[p * d + k], inv[c * d + k]];
    }
    const piv = m[c * d + c];
    for (let k = 0; k < d; k++) {
      m[c * d + k] /= piv;
      inv[c * d + k] /= piv;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c];
      for (let k = 0; k < d; k++) {
        m[r * d + k] -= f * m[c * d + k];
        inv[r * d + k] -= f * inv[c * d + k];
      }
    }
  }
  return inv;
}

/** Largest absolute entry-wise difference. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest |analytic − central difference| / (1 + |fd|) of an objective's gradient at θ. */
export function gradientError(objective: (t: Float64Array) => LossAndGradient, theta: Float64Array, h = 1e-5): number {
  const g = objective(theta).gradient;
  let worst = 0;
  for (let k = 0; k < theta.length; k++) {
    const tp = theta.slice();
    const tm = theta.slice();
    tp[k] += h;
    tm[k] -= h;
    const fd = (objective(tp).loss - objective(tm).loss) / (2 * h);
    worst = Math.max(worst, Math.abs(g[k] - fd) / (1 + Math.abs(fd)));
  }
  return worst;
}
