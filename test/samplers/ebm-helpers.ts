/**
 * Shared fixtures of the generic-sampler tests: small discrete models with
 * exact distributions, a 2-D Gaussian energy, and the derived statistical bounds.
 */
import type { EnergyModel } from '../../src/energy/types.js';
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import { type EnumeratedStates, totalVariation, totalVariationBound, stateFrequencies } from '../../src/energy/exact.js';
import { integratedAutocorrelationTime, monteCarloStandardError } from '../../src/samplers/diagnostics.js';
import { matrix } from '../../src/linalg/matrix.js';
import { Random } from '../../src/random/random.js';

/** A random quadratic energy (symmetric, zero diagonal) with N(0, scale²) weights and biases. */
export function randomQuadratic(n: number, domain: 'spin' | 'binary', seed: number, scale = 0.7): QuadraticEnergy {
  const rng = new Random(seed);
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = scale * rng.normal();
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  const b = rng.fillNormal(new Float64Array(n), 0, scale);
  return new QuadraticEnergy(matrix(n, n, w), b, domain);
}

/** The same energy without `deltaEnergyFlip`, to exercise the two-evaluation path. */
export function withoutDelta(e: EnergyModel): EnergyModel {
  return { dimension: e.dimension, domain: e.domain, energy: (x) => e.energy(x) };
}

/**
 * TV distance between a chain's state histogram and the exact distribution,
 * and the bound it must stay below.
 *
 * Derivation of the bound. For `n` independent draws, `E|p̂_k − p_k| ≤
 * √(p_k(1−p_k)/n)` (Jensen), so `E[TV] ≤ ½ Σ_k √(p_k(1−p_k)/n)`, and one
 * draw moves TV by at most `1/n`, so McDiarmid gives `P(TV > E[TV] + z/(2√n))
 * ≤ exp(−z²/2)` (`totalVariationBound`, z = 5: tail 4·10⁻⁶). A Markov chain's
 * `n` correlated samples carry the information of `n/τ` independent ones for
 * each indicator `1{x = k}`, with `τ` its integrated autocorrelation time; we
 * take the largest `τ` over the states that carry 99% of the mass (floored at
 * 1, since antithetic chains can have `τ < 1` and we do not want the bound to
 * shrink), and set `n_eff = n / τ_max`.
 */
export function chainTv(samples: Float64Array, dimension: number, p: Float64Array): { tv: number; bound: number; tau: number } {
  const n = samples.length / dimension;
  const freq = stateFrequencies(samples, dimension);
  const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a]);
  let mass = 0;
  let tau = 1;
  const ind = new Float64Array(n);
  for (const k of order) {
    if (mass > 0.99) break;
    mass += p[k];
    for (let r = 0; r < n; r++) {
      let idx = 0;
      for (let i = 0; i < dimension; i++) if (samples[r * dimension + i] === 1) idx |= 1 << i;
      ind[r] = idx === k ? 1 : 0;
    }
    tau = Math.max(tau, integratedAutocorrelationTime(ind).tau);
  }
  return { tv: totalVariation(freq, p), bound: totalVariationBound(p, n / tau), tau };
}

/**
 * How far a chain's mean energy lies from the exact ⟨E⟩ of the enumerated distribution, in
 * Monte Carlo standard errors (`(Ē − ⟨E⟩) / MCSE`, MCSE from the energy trace's integrated
 * autocorrelation time). For a correct sampler it is approximately N(0, 1), so `|z| < 4`
 * fails by chance about once in 16 000 seeds. The TV bound above is a high-probability bound
 * over all states at once (about 7× a correct chain's TV here); this one statistic is far
 * sharper against a bias that moves the whole distribution, such as a wrong temperature
 * (tested in the sampler tests: a swap rule with T in place of 1/T, or Metropolis at 1.1 T).
 */
export function energyMeanZ(energies: Float64Array, exact: EnumeratedStates): number {
  let mean = 0;
  for (const e of energies) mean += e;
  mean /= energies.length;
  let exactMean = 0;
  for (let k = 0; k < exact.probabilities.length; k++) exactMean += exact.probabilities[k] * exact.energies[k];
  return (mean - exactMean) / monteCarloStandardError(energies);
}

/** `E(x) = ½ (x − μ)ᵀ P (x − μ)` in 2-D with covariance `Σ = P⁻¹`. */
export const gauss2 = (() => {
  const mu = Float64Array.of(1, -1);
  const cov = [
    [1, 0.5],
    [0.5, 2],
  ];
  const det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
  const P = [
    [cov[1][1] / det, -cov[0][1] / det],
    [-cov[1][0] / det, cov[0][0] / det],
  ];
  const model: EnergyModel = {
    dimension: 2,
    domain: 'continuous',
    energy(x) {
      const a = x[0] - mu[0];
      const b = x[1] - mu[1];
      return 0.5 * (P[0][0] * a * a + 2 * P[0][1] * a * b + P[1][1] * b * b);
    },
    gradient(out, x) {
      const a = x[0] - mu[0];
      const b = x[1] - mu[1];
      out[0] = P[0][0] * a + P[0][1] * b;
      out[1] = P[1][0] * a + P[1][1] * b;
      return out;
    },
  };
  return { mu, cov, model };
})();

/**
 * Checks sample mean and covariance of `[n, 2]` samples against `gauss2`.
 *
 * Error bars: the sample mean of coordinate `i` has standard error
 * `√(Σ_ii τ_i / n)`, and the sample covariance `ŝ_ij = mean((x_i−μ_i)(x_j−μ_j))`
 * has standard error `√(Var(y_ij) τ_ij / n)` with, for a Gaussian,
 * `Var(y_ij) = Σ_ii Σ_jj + Σ_ij²` (Isserlis); the `τ` are the integrated
 * autocorrelation times of each series (Sokal window). Returns the largest
 * deviation in units of its standard error, which must stay below z = 4.5
 * (5 checks: two-sided tail ≈ 7·10⁻⁶ each under normality of the estimator).
 */
export function gaussianMomentZ(samples: Float64Array): { zMax: number; details: string } {
  const n = samples.length / 2;
  const { mu, cov } = gauss2;
  const series = (f: (a: number, b: number) => number) => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = f(samples[2 * r], samples[2 * r + 1]);
    return out;
  };
  const checks: [string, Float64Array, number, number][] = [
    ['mean0', series((a) => a), mu[0], cov[0][0]],
    ['mean1', series((_, b) => b), mu[1], cov[1][1]],
    ['cov00', series((a) => (a - mu[0]) ** 2), cov[0][0], 2 * cov[0][0] ** 2],
    ['cov11', series((_, b) => (b - mu[1]) ** 2), cov[1][1], 2 * cov[1][1] ** 2],
    ['cov01', series((a, b) => (a - mu[0]) * (b - mu[1])), cov[0][1], cov[0][0] * cov[1][1] + cov[0][1] ** 2],
  ];
  let zMax = 0;
  const parts: string[] = [];
  for (const [name, s, target, variance] of checks) {
    let m = 0;
    for (let r = 0; r < n; r++) m += s[r];
    m /= n;
    const tau = Math.max(1, integratedAutocorrelationTime(s).tau);
    const se = Math.sqrt((variance * tau) / n);
    const z = Math.abs(m - target) / se;
    zMax = Math.max(zMax, z);
    parts.push(`${name}: ${m.toFixed(4)} vs ${target} (z=${z.toFixed(2)}, tau=${tau.toFixed(1)})`);
  }
  return { zMax, details: parts.join('; ') };
}
