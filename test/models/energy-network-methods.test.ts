import { describe, expect, it } from 'vitest';
import { ringOfGaussians } from '../../src/data/toy2d.js';
import { EnergyNetwork, type EnergyNetworkFitMethod } from '../../src/models/energy-network.js';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { DenoisingScoreMatchingTrainer } from '../../src/train/denoising-score-matching.js';
import { NoiseContrastiveTrainer } from '../../src/train/noise-contrastive-estimation.js';
import { ScoreMatchingTrainer } from '../../src/train/score-matching.js';
import { SlicedScoreMatchingTrainer } from '../../src/train/sliced-score-matching.js';

const data = ringOfGaussians(256, { rng: 2 });
const METHODS: EnergyNetworkFitMethod[] = ['score-matching', 'sliced-score-matching', 'denoising-score-matching', 'nce'];

describe('EnergyNetwork.fit({ method }) runs the estimators', () => {
  it('each method trains through its trainer, reproducibly from the construction seed', () => {
    const kinds = [ScoreMatchingTrainer, SlicedScoreMatchingTrainer, DenoisingScoreMatchingTrainer, NoiseContrastiveTrainer];
    for (const [i, method] of METHODS.entries()) {
      const a = new EnergyNetwork(2, { hidden: [8], rng: 1 });
      const b = new EnergyNetwork(2, { hidden: [8], rng: 1 });
      const before = a.getParameters();
      const ra = a.fit(data, { method, epochs: 2, batchSize: 64 });
      b.fit(data, { method, epochs: 2, batchSize: 64 });
      expect(ra.epochs).toBe(2);
      expect(ra.history.every((m) => Number.isFinite(m.loss))).toBe(true);
      expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
      expect(Array.from(a.parameters)).not.toEqual(Array.from(before));
      expect(a.lastTrainer).toBeInstanceOf(kinds[i]);
    }
  });

  it('the same fit as the trainer used directly with the generator split from the model', () => {
    const a = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    const b = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    a.fit(data, { method: 'denoising-score-matching', sigmas: [0.5, 0.1], epochs: 2, batchSize: 64, learningRate: 2e-3 });
    new DenoisingScoreMatchingTrainer(b).fit(data, { sigmas: [0.5, 0.1], epochs: 2, batchSize: 64, learningRate: 2e-3 });
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
  });

  it('partialFit continues the last method (optimizer moments and generator carried over)', () => {
    const a = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    const b = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    a.fit(data, { method: 'sliced-score-matching', epochs: 2, batchSize: 64 });
    const t = new SlicedScoreMatchingTrainer(b);
    t.fit(data, { epochs: 1, batchSize: 64 });
    t.fit(data, { epochs: 1, batchSize: 64 });
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
    a.partialFit(data, { batchSize: 64 });
    t.fit(data, { epochs: 1, batchSize: 64 });
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
    expect((a.lastTrainer as SlicedScoreMatchingTrainer).steps).toBe(12);
  });

  it("NCE's learned log Z is the trainer's logPartition", () => {
    const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    net.fit(data, { method: 'nce', epochs: 2, batchSize: 64, noiseRatio: 2 });
    expect(Number.isFinite((net.lastTrainer as NoiseContrastiveTrainer).logPartition)).toBe(true);
  });

  it("refuses another method's options, bad methods and bad values before anything changes", () => {
    const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    const theta = net.getParameters();
    const state = net.random.getState();
    expect(() => net.fit(data, { method: 'nce', nProjections: 2 })).toThrow(/nProjections does not apply to method 'nce'/);
    expect(() => net.fit(data, { method: 'score-matching', langevinSteps: 2 })).toThrow(/langevinSteps does not apply/);
    expect(() => net.fit(data, { sigmas: [0.1] })).toThrow(/sigmas does not apply to method 'cd-langevin'/);
    expect(() => net.fit(data, { method: 'mle' as never })).toThrow(/method/);
    expect(() => net.fit(data, { method: 'denoising-score-matching', sigmas: [0.1, -1] })).toThrow(/sigmas\[1\]/);
    expect(() => net.fit(data, { method: 'denoising-score-matching', sigma: 0.1, sigmas: 0.2 })).toThrow(/sigma or sigmas/);
    expect(() => net.fit(data, { method: 'sliced-score-matching', projection: 'sobol' as never })).toThrow(/projection/);
    expect(() => net.fit(data, { method: 'nce', noise: { mean: [0], covariance: [1] } })).toThrow(/mean must have length 2/);
    expect(() => net.fit(data, { method: 'nce', noise: { components: [{ mean: [0, 0], covariance: [1, 2, 2, 1] }] } })).toThrow(/positive definite/);
    expect(Array.from(net.parameters)).toEqual(Array.from(theta));
    expect(net.random.getState()).toEqual(state);
  });
});

describe('the estimator trainers keep their Gaussian (Newton) path', () => {
  it('refuses options that only a network reads', () => {
    const g = new GaussianEnergy(2);
    expect(() => new ScoreMatchingTrainer(g).fit([[0, 1], [1, 0], [2, 2]], { learningRate: 1e-3 })).toThrow(/learningRate applies to gradient-trained energies/);
    expect(() => new DenoisingScoreMatchingTrainer(g).fit([[0, 1], [1, 0], [2, 2]], { sigmas: [0.1, 0.2] })).toThrow(/sigmas applies to gradient-trained/);
    expect(() => new NoiseContrastiveTrainer(g).fit([[0, 1], [1, 0], [2, 2]], { batchSize: 2 })).toThrow(/batchSize applies to gradient-trained/);
    expect(() => new SlicedScoreMatchingTrainer({ dimension: 2 } as never)).toThrow(/SecondOrderEnergy/);
  });

  it('NCE on a GaussianEnergy with a given noise density recovers the mean within its sampling error', () => {
    // n = 5 000 from N(μ, Σ); NCE is consistent for any noise covering the data, with variance a
    // small multiple of the MLE's for a noise this close to the data: 6 MLE standard deviations
    // (sd(μ̂ⱼ) = √(Σⱼⱼ/n), sd(log Ẑ) = √(d/(2n))).
    const n = 5000;
    const truth = new GaussianEnergy(2, { mean: [0.5, -1], precision: [2, 0.6, 0.6, 1.5], rng: 31 });
    const x = truth.sample(n);
    const model = new GaussianEnergy(2);
    const nce = new NoiseContrastiveTrainer(model);
    nce.fit(x, { noise: { weights: [1, 1], components: [{ mean: [0.5, -1], covariance: [1, 0, 0, 1] }, { mean: [0, 0], covariance: [2, 0, 0, 2] }] }, rng: 4 });
    const sd = [Math.sqrt(1.5 / 2.64 / n), Math.sqrt(2 / 2.64 / n)];
    expect(Math.abs(model.mean[0] - 0.5)).toBeLessThan(6 * sd[0]);
    expect(Math.abs(model.mean[1] + 1)).toBeLessThan(6 * sd[1]);
    expect(Math.abs(nce.logPartition - truth.logZ)).toBeLessThan(6 * Math.sqrt(2 / (2 * n)));
  });
});
