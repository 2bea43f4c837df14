import { describe, expect, it } from 'vitest';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { Random } from '../../src/random/random.js';
import { DenoisingScoreMatchingTrainer } from '../../src/train/denoising-score-matching.js';
import { gradientError, inverse, maxDiff, moments, truth } from './gaussian-estimators-helpers.js';

describe('DenoisingScoreMatchingTrainer (Vincent 2011)', () => {
  const n = 20000;
  const draws = 10;
  const data = truth(2, 21).sample(n);
  const { mean, cov } = moments(data.data, n, 2);

  it('approaches the sample moments as σ → 0, with the bias Σ + σ²I it derives', () => {
    // Population optimum: the noisy data's Gaussian, μ = x̄, Λ = (S + σ²I)⁻¹ (expected loss
    // = ½tr(Λ²(S + σ²I)) − trΛ + const). With N = n·draws antithetic draws the empirical
    // noise second moment M = mean εεᵀ has entries of sd ≤ √(2/N), and Λ solves
    // ½(ΛA + AΛ) = M with A = S + σ²M, so each entry of Λ − (S + σ²I)⁻¹ has sd
    // ≲ √(2/N)·λmax(A⁻¹) ≤ √(2/N)·tr(A⁻¹): the tolerance is 4 of those.
    const N = n * draws;
    const far: number[] = [];
    for (const sigma of [0.8, 0.2, 0.05]) {
      const model = new GaussianEnergy(2, { rng: 3 });
      const trainer = new DenoisingScoreMatchingTrainer(model);
      const res = trainer.fit(data, { sigma, noiseDraws: draws });
      const biased = inverse(cov.map((v, k) => (k % 3 === 0 ? v + sigma * sigma : v)), 2);
      const tol = 4 * Math.sqrt(2 / N) * (biased[0] + biased[3]);
      // the mean is the sample mean (antithetic draws cancel the noise in it)
      expect(maxDiff(model.mean, mean)).toBeLessThan(1e-8);
      expect(maxDiff(model.precision, biased)).toBeLessThan(tol);
      far.push(maxDiff(model.precision, inverse(cov, 2)));
      if (sigma >= 0.2) expect(far[far.length - 1]).toBeGreaterThan(tol); // the bias is real and seen
      else expect(far[far.length - 1]).toBeLessThan(tol); // and vanishes as σ → 0
      // loss does not rise from iteration to iteration
      for (let i = 1; i < res.history.length; i++) expect(res.history[i].loss as number).toBeLessThanOrEqual(res.history[i - 1].loss as number);
    }
    expect(far[0]).toBeGreaterThan(far[1]);
    expect(far[1]).toBeGreaterThan(far[2]);
  });

  it('its loss decreases on its own objective (fixed draws) from the starting point', () => {
    const model = new GaussianEnergy(2, { rng: 3 });
    const trainer = new DenoisingScoreMatchingTrainer(model);
    const small = data.data.subarray(0, 400);
    const x = { rows: 200, cols: 2, data: small };
    const noise = { rows: 200, cols: 2, data: new Random(9).fillNormal(new Float64Array(400)) };
    const start = Float64Array.of(1, 0, 1, 0, 0);
    const before = trainer.objective(start, x, noise, 0.3).loss;
    const res = trainer.fit(x, { sigma: 0.3, noiseDraws: 1, rng: 9 });
    expect(res.history[0].loss as number).toBeLessThan(before - 0.1);
    // and the fitted parameters minimise it: the gradient there is zero up to rounding
    const m = model.precision;
    const h = [m[0] * model.mean[0] + m[1] * model.mean[1], m[2] * model.mean[0] + m[3] * model.mean[1]];
    const g = trainer.objective(Float64Array.of(m[0], m[1], m[3], h[0], h[1]), x, noise, 0.3).gradient;
    expect(Math.max(...Array.from(g, Math.abs))).toBeLessThan(1e-8);
  });

  it('its gradient matches central finite differences', () => {
    const t = new DenoisingScoreMatchingTrainer(new GaussianEnergy(2));
    const x = truth(2, 4).sample(30);
    const noise = { rows: 60, cols: 2, data: new Random(5).fillNormal(new Float64Array(120)) };
    for (const theta of [Float64Array.of(1.3, 0.2, 0.9, 0.4, -0.7), Float64Array.of(0.6, -0.4, 2.2, -1.1, 0.3)]) {
      expect(gradientError((th) => t.objective(th, x, noise, 0.5), theta)).toBeLessThan(1e-7);
    }
  });

  it('GaussianEnergy.fit dispatches to it, and bad options are refused', () => {
    const a = new GaussianEnergy(2, { rng: 1 });
    a.fit({ rows: 2000, cols: 2, data: data.data.subarray(0, 4000) }, { method: 'denoising-score-matching', sigma: 0.1, rng: 2 });
    expect(a.precision[0]).toBeGreaterThan(1.5);
    expect(() => new DenoisingScoreMatchingTrainer(a).fit(data, { sigma: -1 })).toThrow(/sigma/);
  });
});
