import { describe, expect, it } from 'vitest';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { Random } from '../../src/random/random.js';
import { drawProjections, SlicedScoreMatchingTrainer } from '../../src/train/sliced-score-matching.js';
import { gradientError, truth } from './gaussian-estimators-helpers.js';

describe('SlicedScoreMatchingTrainer on a GaussianEnergy (Newton on the quadratic loss)', () => {
  const n = 2000;
  const x = truth(2, 11).sample(n);

  it('with 64 projections per row it lands within half a standard error of exact score matching', () => {
    // Exact SM gives μ = x̄, Λ = S⁻¹. The statistical sd of Λ̂ᵢⱼ is √((ΛᵢᵢΛⱼⱼ + Λᵢⱼ²)/n) (≈ 0.03–0.045
    // here) and of μ̂ᵢ √(Σᵢᵢ/n); the projections' extra error shrinks as 1/√k, and at k = 64 must be
    // below half of those (one projection per row is typically 1–2.5 of them off).
    const exact = new GaussianEnergy(2);
    exact.fit(x);
    const L = exact.precision;
    const det = L[0] * L[3] - L[1] * L[2];
    const sigma = [L[3] / det, L[0] / det];
    const g = new GaussianEnergy(2);
    const t = new SlicedScoreMatchingTrainer(g);
    const res = t.fit(x, { nProjections: 64, rng: 2 });
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const se = Math.sqrt((L[i * 3] * L[j * 3] + L[i * 2 + j] ** 2) / n);
        expect(Math.abs(g.precision[i * 2 + j] - L[i * 2 + j])).toBeLessThan(0.5 * se);
      }
      expect(Math.abs(g.mean[i] - exact.mean[i])).toBeLessThan(0.5 * Math.sqrt(sigma[i] / n));
    }
    for (let i = 1; i < res.history.length; i++) expect(res.history[i].loss as number).toBeLessThanOrEqual(res.history[i - 1].loss as number);
  });

  it("GaussianEnergy.fit(data, { method: 'sliced-score-matching' }) is this trainer, bit for bit", () => {
    const a = new GaussianEnergy(2), b = new GaussianEnergy(2);
    a.fit(x, { method: 'sliced-score-matching', nProjections: 4, rng: 5 });
    new SlicedScoreMatchingTrainer(b).fit(x, { nProjections: 4, rng: 5 });
    expect(Array.from(a.precision)).toEqual(Array.from(b.precision));
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
  });

  it('its gradient matches central finite differences', () => {
    const t = new SlicedScoreMatchingTrainer(new GaussianEnergy(2));
    const few = truth(2, 5).sample(40);
    const v = { rows: 120, cols: 2, data: drawProjections(new Float64Array(240), 'gaussian', new Random(3)) };
    for (const theta of [Float64Array.of(1.3, 0.2, 0.9, 0.4, 2.1), Float64Array.of(0.5, -0.3, 1.7, -1.2, 0.4)]) {
      expect(gradientError((th) => t.objective(th, few, v), theta)).toBeLessThan(1e-7);
    }
  });

  it('refuses network-only options and bad models', () => {
    const t = new SlicedScoreMatchingTrainer(new GaussianEnergy(2));
    expect(() => t.fit(x, { learningRate: 1e-3 })).toThrow(/learningRate applies to gradient-trained/);
    expect(() => t.fit(x, { varianceReduction: true })).toThrow(/varianceReduction applies to gradient-trained/);
    expect(() => new SlicedScoreMatchingTrainer({} as never)).toThrow(/SecondOrderEnergy/);
  });
});
