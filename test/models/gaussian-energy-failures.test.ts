/**
 * GaussianEnergy.fit (and the four trainers behind it) when its Newton steps cannot
 * reach a minimum: a loss that is not finite, or no step that keeps the precision
 * positive definite, is a NumericalError naming the trainer and its loss with the
 * model (mean, precision, generator) as it was; a fit that stops short of a minimum
 * (`epochs` ran out while the loss still fell, or the loss has none) returns with a
 * `warning` on its last epoch's metrics; a converged fit carries none.
 */
import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/errors.js';
import type { FitResult } from '../../src/models/contract.js';
import { GaussianEnergy, type GaussianEnergyFitMethod } from '../../src/models/gaussian-energy.js';
import { DenoisingScoreMatchingTrainer } from '../../src/train/denoising-score-matching.js';
import { NoiseContrastiveTrainer } from '../../src/train/noise-contrastive-estimation.js';
import { ScoreMatchingTrainer } from '../../src/train/score-matching.js';
import { SlicedScoreMatchingTrainer } from '../../src/train/sliced-score-matching.js';
import { maxDiff, truth } from '../train/gaussian-estimators-helpers.js';

/** Finite data whose squares overflow float64: every estimator's loss is Infinity or NaN. */
const HUGE = [[1e200, 1e200], [1e200, -1e200], [1, 1]];
const METHODS: readonly [GaussianEnergyFitMethod, string][] = [
  ['score-matching', 'ScoreMatchingTrainer'],
  ['sliced-score-matching', 'SlicedScoreMatchingTrainer'],
  ['denoising-score-matching', 'DenoisingScoreMatchingTrainer'],
  ['nce', 'NoiseContrastiveTrainer'],
];

const make = (): GaussianEnergy => new GaussianEnergy(2, { mean: [0.5, -1], precision: [2, 0.6, 0.6, 1.5], rng: 3 });
const snapshot = (g: GaussianEnergy) => ({ mean: Array.from(g.mean), precision: Array.from(g.precision), random: JSON.stringify(g.random.getState()) });
const warnings = (r: FitResult): string[] => r.history.flatMap((m) => (m.warning === undefined ? [] : [m.warning]));

describe('GaussianEnergy.fit when its loss is not finite', () => {
  for (const [method, trainer] of METHODS) {
    it(`${method}: a NumericalError naming ${trainer} and what is not finite; the model is as it was, and a retry equals a twin that never failed`, () => {
      const g = make();
      g.sample(2); // the stream is somewhere in the middle
      const before = snapshot(g);
      let error: unknown;
      try {
        g.fit(HUGE, { method });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NumericalError);
      const message = (error as Error).message;
      expect(message).toContain(trainer);
      expect(message).toMatch(/not finite/);
      if (method !== 'nce') expect(message).toContain(`the ${method} loss is not finite`);
      expect(snapshot(g)).toEqual(before);
      // nothing of the failed call lingers: the next fit is the one a twin makes
      const twin = make();
      twin.sample(2);
      const data = truth(2, 5).sample(300);
      g.fit(data, { method });
      twin.fit(data, { method });
      expect(Array.from(g.precision)).toEqual(Array.from(twin.precision));
      expect(Array.from(g.mean)).toEqual(Array.from(twin.mean));
    });
  }

  it('the trainers count no Newton iterations for a fit that throws', () => {
    for (const t of [new ScoreMatchingTrainer(make()), new SlicedScoreMatchingTrainer(make()), new DenoisingScoreMatchingTrainer(make()), new NoiseContrastiveTrainer(make())]) {
      expect(() => t.fit(HUGE)).toThrow(NumericalError);
      expect(t.steps).toBe(0);
    }
    const nce = new NoiseContrastiveTrainer(make());
    expect(() => nce.fit(HUGE)).toThrow(NumericalError);
    expect(nce.logPartition).toBeNaN();
  });
});

describe('GaussianEnergy.fit when no Newton step keeps the precision positive definite', () => {
  it('sliced score matching on six rows with one projection each: the loss falls towards a singular precision — a NumericalError, model as it was', () => {
    // 6 projected rows for 5 parameters (Λ upper triangle, h): the old code stopped on a
    // numerically singular precision and returned it without a word
    const rows = [[0.5, -0.2], [1.1, 0.3], [-0.4, 0.8], [0.2, -1.0], [0.9, 0.1], [-0.7, -0.3]];
    const g = make();
    const before = snapshot(g);
    expect(() => g.fit(rows, { method: 'sliced-score-matching', rng: 1 })).toThrow(NumericalError);
    expect(() => g.fit(rows, { method: 'sliced-score-matching', rng: 1 })).toThrow(/SlicedScoreMatchingTrainer\.fit: the sliced-score-matching loss.*singular precision/);
    expect(snapshot(g)).toEqual(before);
    // other projections of the same rows: the loss keeps falling until epochs run out (the old code returned Λ ≈ 3.8e16 everywhere without a word)
    const r = g.fit(rows, { method: 'sliced-score-matching', rng: 3 });
    expect(r.epochs).toBe(20);
    expect(r.history[19].warning).toMatch(/^not converged after 20 Newton iterations: at the sliced-score-matching loss/);
  });
});

describe('GaussianEnergy.fit that stops short of a minimum says so in its result', () => {
  it('score matching on rows with a singular covariance: no minimum, a warning on the last epoch', () => {
    const g = new GaussianEnergy(2);
    const r = g.fit([[1, 2], [2, 4], [3, 6]]);
    expect(r.epochs).toBeGreaterThan(0);
    expect(r.history[r.history.length - 1].warning).toMatch(/score-matching loss has no minimum on these data \(their covariance is singular: fewer than 3 affinely independent rows/);
    expect(warnings(r)).toHaveLength(1);
  });

  it('data far from unit scale: epochs run out while the loss still falls (before: no word of it)', () => {
    const g = new GaussianEnergy(2);
    const r = g.fit([[1e100, 1e100], [1e100, -1e100], [1, 1], [-1e100, 5e99]]);
    expect(r.epochs).toBe(20);
    expect(r.history[19].warning).toMatch(/^not converged after 20 Newton iterations: at the score-matching loss .*, a full Newton step would still lower it by about /);
  });

  it('NCE with too few epochs: not converged; with its default epochs: converged, no warning', () => {
    const data = truth(2, 9).sample(500);
    const short = new GaussianEnergy(2, { rng: 1 }).fit(data, { method: 'nce', epochs: 1 });
    expect(short.epochs).toBe(1);
    expect(short.history[0].warning).toMatch(/^not converged after 1 Newton iterations: at the NCE loss/);
    expect(warnings(new GaussianEnergy(2, { rng: 1 }).fit(data, { method: 'nce' }))).toEqual([]);
  });

  it('converged fits carry no warning, even with epochs: 1 on a quadratic loss (one Newton step reaches its minimum)', () => {
    const data = truth(3, 4).sample(400);
    for (const [method] of METHODS) {
      for (const epochs of method === 'nce' ? [30] : [1, 20]) {
        const r = new GaussianEnergy(3, { rng: 2 }).fit(data, { method, epochs });
        expect(r.epochs, `${method} ${epochs}`).toBeGreaterThan(0);
        expect(warnings(r), `${method} ${epochs}`).toEqual([]);
      }
    }
  });
});

describe('GaussianEnergy.partialFit', () => {
  it('is fit on the batch alone: nothing of earlier batches is continued', () => {
    const a = truth(2, 1).sample(300);
    const b = new GaussianEnergy(2, { mean: [3, 1], precision: [1, 0.2, 0.2, 0.5], rng: 2 }).sample(300);
    const g = new GaussianEnergy(2);
    g.partialFit(a);
    g.partialFit(b);
    const fresh = new GaussianEnergy(2);
    fresh.fit(b);
    expect(maxDiff(g.mean, fresh.mean)).toBeLessThan(1e-9);
    expect(maxDiff(g.precision, fresh.precision)).toBeLessThan(1e-9);
  });
});
