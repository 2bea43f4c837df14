import { describe, expect, it } from 'vitest';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { Random } from '../../src/random/random.js';
import { NoiseContrastiveTrainer } from '../../src/train/noise-contrastive-estimation.js';
import { gradientError, truth } from './gaussian-estimators-helpers.js';

describe('NoiseContrastiveTrainer (Gutmann & Hyvärinen 2010)', () => {
  it('recovers μ, Λ and log Z within their sampling error at n = 20 000 (seeded)', () => {
    const n = 20000;
    const nu = 4;
    const tr = truth(2, 31);
    const data = tr.sample(n);
    const model = new GaussianEnergy(2, { rng: 3 });
    const nce = new NoiseContrastiveTrainer(model);
    const res = nce.fit(data, { noiseRatio: nu });
    // Sampling error of the maximum-likelihood estimates at the truth (Σ = Λ⁻¹):
    // sd(μ̂ⱼ) = √(Σⱼⱼ/n), sd(Λ̂ᵢⱼ) = √((ΛᵢᵢΛⱼⱼ + Λᵢⱼ²)/n) (Wishart), sd(log Ẑ) = sd(−½ log det Λ̂) = √(d/(2n)).
    // NCE with a noise density equal to the data's Gaussian has asymptotic variance (1 + 1/ν)
    // times that; the tolerance is 4 of those standard deviations.
    const L = tr.precision;
    const det = L[0] * L[3] - L[1] * L[2];
    const sigma = [L[3] / det, -L[1] / det, -L[2] / det, L[0] / det];
    const k = 4 * Math.sqrt(1 + 1 / nu);
    for (let j = 0; j < 2; j++) expect(Math.abs(model.mean[j] - tr.mean[j])).toBeLessThan(k * Math.sqrt(sigma[j * 3] / n));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const sd = Math.sqrt((L[i * 3] * L[j * 3] + L[i * 2 + j] ** 2) / n);
        expect(Math.abs(model.precision[i * 2 + j] - L[i * 2 + j])).toBeLessThan(k * sd);
      }
    }
    const sdLogZ = Math.sqrt(2 / (2 * n));
    expect(Math.abs(nce.logPartition - tr.logZ)).toBeLessThan(k * sdLogZ);
    // the learned log Z agrees with the closed form of the fitted energy (self-normalisation)
    expect(Math.abs(nce.logPartition - model.logZ)).toBeLessThan(k * sdLogZ);
    // the loss fell and did not rise
    for (let i = 1; i < res.history.length; i++) expect(res.history[i].loss as number).toBeLessThanOrEqual(res.history[i - 1].loss as number);
  });

  it('recovers μ, Λ and log Z with a noise density unlike the data (fails when the noise density is evaluated off the data’s centring)', () => {
    // With the default noise (the data's own Gaussian) NCE's optimum is close to the Newton start
    // (the data's Gaussian, the maximum-likelihood fit), so the test above exercises little of
    // NCE's own equations. Here the noise is N((1.5, 0), [[2, 0.3], [0.3, 1.2]]). Spread of the estimates over 40 replicate
    // data sets and noise draws (n = 20 000, ν = 4; no bias: every replicate mean within 1.3
    // standard errors of the truth): sd(μ) 0.0054 / 0.0058, sd(Λ) 0.023 / 0.014 / 0.017,
    // sd(log Z) 0.010. The tolerance is 4.5 of those (4 σ, with room for the ±11% error of an sd
    // from 40 replicates).
    const tr = truth(2, 100);
    const model = new GaussianEnergy(2, { rng: 3 });
    const nce = new NoiseContrastiveTrainer(model);
    const noise = { mean: Float64Array.of(1.5, 0), covariance: Float64Array.of(2, 0.3, 0.3, 1.2) };
    nce.fit(tr.sample(20000), { noiseRatio: 4, noise, rng: 200 });
    const sd = { mean: [0.0054, 0.0058], precision: [0.023, 0.014, 0.014, 0.017], logZ: 0.01 };
    for (let j = 0; j < 2; j++) expect(Math.abs(model.mean[j] - tr.mean[j])).toBeLessThan(4.5 * sd.mean[j]);
    for (let k = 0; k < 4; k++) expect(Math.abs(model.precision[k] - tr.precision[k])).toBeLessThan(4.5 * sd.precision[k]);
    expect(Math.abs(nce.logPartition - tr.logZ)).toBeLessThan(4.5 * sd.logZ);
  });

  it('its loss decreases on its own objective, and its gradient matches central finite differences', () => {
    const t = new NoiseContrastiveTrainer(new GaussianEnergy(2));
    const x = truth(2, 4).sample(40);
    const y = new Random(6).fillNormal(new Float64Array(160));
    const noiseRows = { rows: 80, cols: 2, data: y };
    const noise = { mean: Float64Array.of(0.5, -1), covariance: Float64Array.of(0.6, -0.2, -0.2, 0.8) };
    for (const theta of [Float64Array.of(1.3, 0.2, 0.9, 0.4, -0.7, 1.1), Float64Array.of(2.6, -0.4, 1.2, -1.1, 0.3, 0.2)]) {
      expect(gradientError((th) => t.objective(th, x, noiseRows, noise), theta)).toBeLessThan(1e-7);
    }
    const model = new GaussianEnergy(2, { rng: 2 });
    const nce = new NoiseContrastiveTrainer(model);
    const res = nce.fit(truth(2, 8).sample(3000), { noiseRatio: 2, rng: 5 });
    expect(res.history.length).toBeGreaterThan(1);
    expect(res.history[res.history.length - 1].loss as number).toBeLessThan(res.history[0].loss as number);
  });

  it('GaussianEnergy.fit dispatches to it; the same seed gives the same numbers; bad options are refused', () => {
    const data = truth(2, 9).sample(500);
    const a = new GaussianEnergy(2, { rng: 1 });
    const b = new GaussianEnergy(2, { rng: 1 });
    a.fit(data, { method: 'nce', noiseRatio: 3 });
    b.fit(data, { method: 'nce', noiseRatio: 3 });
    expect(Array.from(a.precision)).toEqual(Array.from(b.precision));
    expect(() => a.fit(data, { method: 'nce', noiseRatio: 0 })).toThrow(/noiseRatio/);
    expect(() => a.fit(data, { method: 'mle' as never })).toThrow(/method/);
  });
});

describe('the Gaussian estimators on data far from the origin', () => {
  it('score matching, sliced and denoising score matching fit data centred at (10⁸, −10⁸) as the same data centred (they stopped unconverged with a wrong precision)', () => {
    const r = new Random(11);
    const base = Array.from({ length: 400 }, () => [r.normal(), 0.5 * r.normal() + 0.3 * r.normal()]);
    for (const method of ['score-matching', 'sliced-score-matching', 'denoising-score-matching'] as const) {
      const opts = method === 'score-matching' ? { method } : { method, rng: 2 };
      const centred = new GaussianEnergy(2, { rng: 1 });
      centred.fit(base, opts);
      for (const [ox, oy] of [
        [1e4, 0],
        [1e8, -1e8],
      ]) {
        const g = new GaussianEnergy(2, { rng: 1 });
        const res = g.fit(
          base.map(([a, b]) => [a + ox, b + oy]),
          opts,
        );
        expect(res.history.at(-1)?.warning, method).toBeUndefined();
        const scale = Math.max(Math.abs(ox), Math.abs(oy));
        expect(Math.abs(g.mean[0] - ox - centred.mean[0]), method).toBeLessThan(1e-9 * scale);
        expect(Math.abs(g.mean[1] - oy - centred.mean[1]), method).toBeLessThan(1e-9 * scale);
        for (let q = 0; q < 4; q++) expect(Math.abs(g.precision[q] - centred.precision[q]), method).toBeLessThan(1e-6 * Math.abs(centred.precision[0]));
      }
    }
  });

  it('NCE fits data centred at (50, −30) and at (10⁴, 0) as it fits the same data centred (it threw: every Newton step left the positive-definite precisions)', () => {
    const r = new Random(11);
    const base = Array.from({ length: 400 }, () => [r.normal(), 0.5 * r.normal() + 0.3 * r.normal()]);
    const centred = new GaussianEnergy(2, { rng: 1 });
    centred.fit(base, { method: 'nce', rng: 2 });
    for (const [ox, oy] of [
      [50, -30],
      [1e4, 0],
    ]) {
      const g = new GaussianEnergy(2, { rng: 1 });
      const res = g.fit(
        base.map(([a, b]) => [a + ox, b + oy]),
        { method: 'nce', rng: 2 },
      );
      expect(res.history.at(-1)?.warning).toBeUndefined();
      // the estimator is affine-equivariant (the noise is the data's Gaussian, drawn from the same
      // normals): the same fit, moved by the offset, up to the rounding of the shifted sums
      const scale = Math.max(Math.abs(ox), Math.abs(oy));
      expect(Math.abs(g.mean[0] - ox - centred.mean[0])).toBeLessThan(1e-9 * scale);
      expect(Math.abs(g.mean[1] - oy - centred.mean[1])).toBeLessThan(1e-9 * scale);
      for (let q = 0; q < 4; q++) expect(Math.abs(g.precision[q] - centred.precision[q])).toBeLessThan(1e-6 * Math.abs(centred.precision[0]));
    }
  });
});
