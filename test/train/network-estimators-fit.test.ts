import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork, type EnergyNetworkFitMethod } from '../../src/models/energy-network.js';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { Random } from '../../src/random/random.js';
import { DenoisingScoreMatchingTrainer } from '../../src/train/denoising-score-matching.js';
import { NoiseContrastiveTrainer } from '../../src/train/noise-contrastive-estimation.js';
import { ScoreMatchingTrainer } from '../../src/train/score-matching.js';
import { drawProjections, SlicedScoreMatchingTrainer } from '../../src/train/sliced-score-matching.js';
import { noiseConditionalScore } from '../../src/train/energy-estimators.js';

/**
 * The MLP estimators train: each one's own objective (at fixed draws) falls,
 * and each fits a correlated 2-D Gaussian.
 *
 * Fit tolerance. The data are n = 2000 draws of N(μ, Σ); the sample moments
 * (the Gaussian MLE, which exact score matching on GaussianEnergy returns)
 * have standard errors se(x̄ᵢ) = √(Sᵢᵢ/n) and se(Sᵢⱼ) = √((SᵢᵢSⱼⱼ + Sᵢⱼ²)/n).
 * Any consistent estimator differs from the MLE by O(1/√n); we allow 5 of
 * these standard errors (an estimator up to (5/3)² ≈ 2.8 times less efficient
 * than the MLE passes at the 3σ level), which is 0.07–0.12 here. The learned
 * density's moments are computed by a 160 × 160 midpoint rule on [−6, 6]²
 * (the Gaussian's mass outside is < 1e-9; the rule's error is far below 1e-3).
 */
const n = 2000;
const truth = new GaussianEnergy(2, { mean: [0.5, -0.5], precision: [2, 0.6, 0.6, 1.5], rng: 5 });
const data = truth.sample(n);
const mle = new GaussianEnergy(2);
mle.fit(data); // exact score matching = sample mean and inverse (1/n) sample covariance
const S = inverse2(mle.precision);
const seMean = [Math.sqrt(S[0] / n), Math.sqrt(S[3] / n)];
const seCov = [Math.sqrt((2 * S[0] * S[0]) / n), Math.sqrt((S[0] * S[3] + S[1] * S[1]) / n), Math.sqrt((2 * S[3] * S[3]) / n)];

function inverse2(p: ArrayLike<number>): number[] {
  const det = p[0] * p[3] - p[1] * p[2];
  return [p[3] / det, -p[1] / det, -p[2] / det, p[0] / det];
}

/** Mean and covariance [c11, c12, c22] of exp(−E) on [−6, 6]² by the midpoint rule. */
function densityMoments(net: EnergyNetwork): { mean: number[]; cov: number[] } {
  const m = 160;
  const lo = -6;
  const step = 12 / m;
  const pts = new Float64Array(m * m * 2);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      pts[2 * (i * m + j)] = lo + (i + 0.5) * step;
      pts[2 * (i * m + j) + 1] = lo + (j + 0.5) * step;
    }
  }
  const e = net.energies(new Float64Array(m * m), { rows: m * m, cols: 2, data: pts });
  const min = e.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  let z = 0;
  const mean = [0, 0];
  const w = e.map((v) => Math.exp(-(v - min)));
  for (let k = 0; k < m * m; k++) {
    z += w[k];
    mean[0] += w[k] * pts[2 * k];
    mean[1] += w[k] * pts[2 * k + 1];
  }
  mean[0] /= z;
  mean[1] /= z;
  const cov = [0, 0, 0];
  for (let k = 0; k < m * m; k++) {
    const a = pts[2 * k] - mean[0];
    const b = pts[2 * k + 1] - mean[1];
    cov[0] += (w[k] * a * a) / z;
    cov[1] += (w[k] * a * b) / z;
    cov[2] += (w[k] * b * b) / z;
  }
  return { mean, cov };
}

/** Largest deviation in units of the standard errors, against target covariance [c11, c12, c22]. */
function zScore(got: { mean: number[]; cov: number[] }, cov: number[]): number {
  let worst = 0;
  for (let i = 0; i < 2; i++) worst = Math.max(worst, Math.abs(got.mean[i] - mle.mean[i]) / seMean[i]);
  for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(got.cov[k] - cov[k]) / seCov[k]);
  return worst;
}

const LOOP = { epochs: 30, batchSize: 100, learningRate: 3e-3 } as const;

describe('the MLP estimators fit a 2-D Gaussian (moments within 5 standard errors of the MLE)', () => {
  const cases: [EnergyNetworkFitMethod, object][] = [
    ['score-matching', {}],
    ['sliced-score-matching', { nProjections: 2 }],
    ['nce', {}],
  ];
  for (const [method, extra] of cases) {
    it(method, () => {
      const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 1 });
      net.fit(data, { method, ...LOOP, ...extra });
      expect(zScore(densityMoments(net), [S[0], S[1], S[3]])).toBeLessThan(5);
    });
  }

  it('DSM approaches the data as σ → 0: its optimum is the data convolved with N(0, σ²I)', () => {
    const dist: number[] = [];
    for (const sigma of [0.6, 0.3, 0.15]) {
      const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 1 });
      net.fit(data, { method: 'denoising-score-matching', sigma, noiseDraws: 2, ...LOOP });
      const got = densityMoments(net);
      const s2 = sigma * sigma;
      // within 5 standard errors of the smoothed Gaussian's moments S + σ²I …
      expect(zScore(got, [S[0] + s2, S[1], S[3] + s2])).toBeLessThan(5);
      dist.push(zScore(got, [S[0], S[1], S[3]]));
    }
    // … so the distance to the data's own moments shrinks with σ, from a clear bias (σ² = 0.36 ≈ 15 se) to within 5 se
    expect(dist[0]).toBeGreaterThan(dist[1]);
    expect(dist[1]).toBeGreaterThan(dist[2]);
    expect(dist[0]).toBeGreaterThan(10);
    expect(dist[2]).toBeLessThan(5);
  });
});

describe('noise-conditional DSM learns the score of the data blurred at each σ', () => {
  // 1-D data N(m, s²): the blurred density is N(m, s² + σ²), whose score is −(x − m)/(s² + σ²).
  // The least-squares slope of the learned score over m ± 1.5√(s² + σ²) estimates −1/(s² + σ²);
  // a precision estimated from n = 2000 rows has relative sd √(2/n) ≈ 3.2%, and DSM's noise draws
  // add to it: we allow 5 of those (16%). An energy that ignores log σ would have one slope for
  // all σ, 11 times too small at σ = 0.1 or too large at σ = 1.
  it('slopes −1/(s² + σ²) for σ from 1 to 0.1 (within 16%)', () => {
    const n = 2000;
    const m = 0.5;
    const sd = 0.3;
    const r = new Random(3);
    const x = { rows: n, cols: 1, data: Float64Array.from({ length: n }, () => m + sd * r.normal()) };
    const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 1 });
    net.fit(x, { method: 'denoising-score-matching', noiseConditional: true, sigmas: [1, 0.5, 0.25, 0.1], noiseDraws: 2, ...LOOP });
    const s = noiseConditionalScore(net);
    expect(s.dimension).toBe(1);
    for (const sigma of [1, 0.5, 0.25, 0.1]) {
      const v = sd * sd + sigma * sigma;
      const k = 21;
      const xs = Float64Array.from({ length: k }, (_, i) => m + Math.sqrt(v) * (-1.5 + (3 * i) / (k - 1)));
      const out = s.scoreAt({ rows: k, cols: 1, data: new Float64Array(k) }, { rows: k, cols: 1, data: xs }, sigma).data;
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let sxy = 0;
      for (let i = 0; i < k; i++) {
        sx += xs[i];
        sy += out[i];
        sxx += xs[i] * xs[i];
        sxy += xs[i] * out[i];
      }
      const slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
      expect(Math.abs(slope * v + 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    }
  });
});

describe('each estimator lowers its own objective (fixed evaluation draws)', () => {
  const x = data;
  const small = (seed: number) => new EnergyNetwork(2, { hidden: [16, 16], rng: seed });
  const fit = { epochs: 4, batchSize: 100, learningRate: 3e-3 } as const;

  it('exact score matching', () => {
    const net = small(2);
    const t = new ScoreMatchingTrainer(net);
    const before = t.loss(x);
    const h = t.fit(x, { ...fit, rng: 3 }).history;
    expect(t.loss(x)).toBeLessThan(before);
    expect(h[h.length - 1].loss as number).toBeLessThan(h[0].loss as number);
  });

  it('sliced score matching', () => {
    const net = small(2);
    const t = new SlicedScoreMatchingTrainer(net);
    const v: Matrix = { rows: x.rows, cols: 2, data: drawProjections(new Float64Array(x.rows * 2), 'gaussian', new Random(4)) };
    const before = t.objective(net.getParameters(), x, v).loss;
    t.fit(x, { ...fit, rng: 3, projection: 'gaussian' });
    expect(t.objective(net.getParameters(), x, v).loss).toBeLessThan(before);
  });

  it('denoising score matching (a σ ladder)', () => {
    const net = small(2);
    const t = new DenoisingScoreMatchingTrainer(net);
    const eps: Matrix = { rows: x.rows, cols: 2, data: new Random(5).fillNormal(new Float64Array(x.rows * 2)) };
    const sig = Float64Array.from({ length: x.rows }, (_, j) => [1, 0.5, 0.25][j % 3]);
    const before = t.objective(net.getParameters(), x, eps, sig).loss;
    t.fit(x, { ...fit, rng: 3, sigmas: [1, 0.5, 0.25] });
    expect(t.objective(net.getParameters(), x, eps, sig).loss).toBeLessThan(before);
  });

  it('noise-contrastive estimation (and log Z is learned)', () => {
    const net = small(2);
    const t = new NoiseContrastiveTrainer(net);
    const y = new GaussianEnergy(2, { mean: Array.from(mle.mean), precision: Array.from(mle.precision) }).sample(4 * x.rows, { rng: 6 });
    const noise = { mean: mle.mean, covariance: Float64Array.from(S) };
    const before = t.objective(Float64Array.from([...net.getParameters(), 0]), x, y, noise).loss;
    t.fit(x, { ...fit, rng: 3, noise });
    expect(Number.isFinite(t.logPartition)).toBe(true);
    expect(t.objective(Float64Array.from([...net.getParameters(), t.logPartition]), x, y, noise).loss).toBeLessThan(before);
  });
});
