import { describe, expect, it } from 'vitest';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { ScoreMatchingTrainer } from '../../src/train/score-matching.js';
import { gradientError, inverse, maxDiff, moments, truth } from './gaussian-estimators-helpers.js';

describe('ScoreMatchingTrainer (exact score matching, Hyvärinen 2005)', () => {
  const n = 5000;
  const data = truth(3, 11).sample(n);
  const { mean, cov } = moments(data.data, n, 3);

  it('recovers the sample mean and the inverse sample covariance in closed form (up to rounding)', () => {
    const model = new GaussianEnergy(3, { rng: 1 });
    const trainer = new ScoreMatchingTrainer(model);
    const before = trainer.loss(data);
    const res = trainer.fit(data);
    // the minimiser of ½tr(Λ²S) − trΛ + ½(x̄−μ)ᵀΛ²(x̄−μ) is μ = x̄, Λ = S⁻¹: equal up to rounding
    expect(maxDiff(model.mean, mean)).toBeLessThan(1e-9);
    expect(maxDiff(model.precision, inverse(cov, 3))).toBeLessThan(1e-9);
    // its own objective decreased and does not rise from one iteration to the next
    expect(res.history[0].loss as number).toBeLessThan(before);
    for (let i = 1; i < res.history.length; i++) expect(res.history[i].loss as number).toBeLessThanOrEqual(res.history[i - 1].loss as number);
    // at the minimum: J = ½tr(S⁻¹SS⁻¹) − tr S⁻¹ = −½ tr S⁻¹
    const trInv = inverse(cov, 3).reduce((s, v, k) => (k % 4 === 0 ? s + v : s), 0);
    expect(trainer.loss(data)).toBeCloseTo(-0.5 * trInv, 9);
  });

  it('GaussianEnergy.fit defaults to score matching', () => {
    const a = new GaussianEnergy(3);
    a.fit(data);
    expect(maxDiff(a.precision, inverse(cov, 3))).toBeLessThan(1e-9);
  });

  it('its gradient matches central finite differences at random parameters', () => {
    const t = new ScoreMatchingTrainer(new GaussianEnergy(3));
    const few = truth(3, 5).sample(50);
    for (const theta of [
      Float64Array.of(1.3, 0.2, -0.1, 0.9, 0.4, 2.1, 0.3, -0.7, 1.1),
      Float64Array.of(0.5, -0.3, 0.2, 1.7, 0.1, 0.8, -1.2, 0.4, 0.05),
    ]) {
      expect(gradientError((th) => t.objective(th, few), theta)).toBeLessThan(1e-7);
    }
  });

  it('refuses bad data and options before anything changes', () => {
    const model = new GaussianEnergy(2);
    const t = new ScoreMatchingTrainer(model);
    expect(() => t.fit([[1, 2, 3]])).toThrow(/data/);
    expect(() => t.fit([[1, 2]], { epoch: 3 } as never)).toThrow(/epochs/);
    expect(Array.from(model.mean)).toEqual([0, 0]);
  });
});
