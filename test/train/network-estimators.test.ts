import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';
import { DenoisingScoreMatchingTrainer } from '../../src/train/denoising-score-matching.js';
import { NoiseContrastiveTrainer } from '../../src/train/noise-contrastive-estimation.js';
import { ScoreMatchingTrainer } from '../../src/train/score-matching.js';
import { drawProjections, SlicedScoreMatchingTrainer } from '../../src/train/sliced-score-matching.js';
import type { LossAndGradient } from '../../src/train/gaussian-natural.js';

/**
 * The estimators on the MLP energy: each loss equals its definition computed
 * independently (from ∇ₓE and central differences of it), each gradient
 * equals central differences of its loss, each loss falls under its own
 * training, and each fits a 2-D Gaussian.
 *
 * Finite-difference tolerance: a central difference with step h has error
 * ≤ h²/6·|f'''| + ε|f|/h; with h = 1e-4 and |f'''| ≲ 100 here that is ≲ 2e-7,
 * so TOL = 100·(h² + ε/h) ≈ 1e-6 (relative to 1 + |fd|).
 */
const h = 1e-4;
const TOL = 100 * (h * h + 2.220446049250313e-16 / h);

const normal = (rows: number, cols: number, seed: number, scale = 1): Matrix => ({
  rows,
  cols,
  data: new Random(seed).fillNormal(new Float64Array(rows * cols), 0, scale),
});

function net(seed: number): EnergyNetwork {
  const n = new EnergyNetwork(2, { hidden: [6, 5], activation: 'swish', rng: seed, initScale: 1.2 });
  new Random(seed + 50).fillNormal(n.layerBias(0), 0, 0.5);
  return n;
}

function grads(n: EnergyNetwork, x: Matrix): Float64Array {
  return n.inputGradients({ rows: x.rows, cols: x.cols, data: new Float64Array(x.data.length) }, x).data;
}

/** Largest |analytic − central difference| / (1 + |fd|) of an objective's gradient at θ. */
function gradientError(objective: (t: Float64Array) => LossAndGradient, theta: Float64Array): number {
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

/** vᵀ∇ₓ²E v by a central difference of ∇ₓE along v (independent of the second-order code). */
function curvatureFD(n: EnergyNetwork, x: Float64Array, v: Float64Array): number {
  const d = x.length;
  const p = { rows: 1, cols: d, data: x.map((t, i) => t + h * v[i]) };
  const m = { rows: 1, cols: d, data: x.map((t, i) => t - h * v[i]) };
  const gp = grads(n, p);
  const gm = grads(n, m);
  let s = 0;
  for (let i = 0; i < d; i++) s += (v[i] * (gp[i] - gm[i])) / (2 * h);
  return s;
}

const data = normal(6, 2, 1, 1.2);

describe('exact score matching on EnergyNetwork', () => {
  const n = net(3);
  const t = new ScoreMatchingTrainer(n);

  it('its loss is mean[½‖∇ₓE‖² − tr ∇ₓ²E] (trace by differences of ∇ₓE)', () => {
    const g = grads(n, data);
    let want = 0;
    for (let r = 0; r < data.rows; r++) {
      const x = data.data.slice(2 * r, 2 * r + 2);
      want += 0.5 * (g[2 * r] ** 2 + g[2 * r + 1] ** 2) - curvatureFD(n, x, Float64Array.of(1, 0)) - curvatureFD(n, x, Float64Array.of(0, 1));
    }
    want /= data.rows;
    expect(Math.abs(t.loss(data) - want)).toBeLessThan(TOL * (1 + Math.abs(want)));
  });

  it('its gradient equals central differences of the loss', () => {
    expect(gradientError((th) => t.objective(th, data), n.getParameters())).toBeLessThan(TOL);
  });
});

describe('sliced score matching on EnergyNetwork', () => {
  const n = net(4);
  const t = new SlicedScoreMatchingTrainer(n);
  const k = 3;
  const v: Matrix = { rows: data.rows * k, cols: 2, data: drawProjections(new Float64Array(data.rows * k * 2), 'rademacher', new Random(5)) };

  it('its loss is mean[½(vᵀ∇ₓE)² − vᵀ∇ₓ²E v] (and ½‖∇ₓE‖² − vᵀ∇ₓ²E v with variance reduction)', () => {
    const g = grads(n, data);
    let want = 0;
    let wantVR = 0;
    for (let j = 0; j < v.rows; j++) {
      const r = Math.floor(j / k);
      const x = data.data.slice(2 * r, 2 * r + 2);
      const vj = v.data.slice(2 * j, 2 * j + 2);
      const slope = vj[0] * g[2 * r] + vj[1] * g[2 * r + 1];
      const c = curvatureFD(n, x, vj);
      want += 0.5 * slope * slope - c;
      wantVR += 0.5 * (g[2 * r] ** 2 + g[2 * r + 1] ** 2) - c;
    }
    want /= v.rows;
    wantVR /= v.rows;
    const th = n.getParameters();
    expect(Math.abs(t.objective(th, data, v).loss - want)).toBeLessThan(TOL * (1 + Math.abs(want)));
    expect(Math.abs(t.objective(th, data, v, true).loss - wantVR)).toBeLessThan(TOL * (1 + Math.abs(wantVR)));
  });

  it('its gradient equals central differences of the loss (plain and variance-reduced)', () => {
    expect(gradientError((th) => t.objective(th, data, v), n.getParameters())).toBeLessThan(TOL);
    expect(gradientError((th) => t.objective(th, data, v, true), n.getParameters())).toBeLessThan(TOL);
  });

  it('averaged over many projections it is the exact score-matching loss (E[vvᵀ] = I)', () => {
    // Var of one projection's term is O(‖g‖⁴ + ‖H‖²); with 4 000 projections per row the mean's
    // standard error is below 1% of the loss scale here; 4 standard errors (estimated) bound it.
    const K = 4000;
    for (const kind of ['rademacher', 'gaussian'] as const) {
      const vv: Matrix = { rows: data.rows * K, cols: 2, data: drawProjections(new Float64Array(data.rows * K * 2), kind, new Random(6)) };
      const th = n.getParameters();
      const exact = new ScoreMatchingTrainer(n).objective(th, data).loss;
      // per-projection terms for the standard error
      const g = grads(n, data);
      const hv = n.hessianVectorProducts({ rows: vv.rows, cols: 2, data: new Float64Array(vv.rows * 2) }, repeatRows(data, K), vv).data;
      let s = 0;
      let s2 = 0;
      for (let j = 0; j < vv.rows; j++) {
        const r = Math.floor(j / K);
        const slope = vv.data[2 * j] * g[2 * r] + vv.data[2 * j + 1] * g[2 * r + 1];
        const term = 0.5 * slope * slope - (vv.data[2 * j] * hv[2 * j] + vv.data[2 * j + 1] * hv[2 * j + 1]);
        s += term;
        s2 += term * term;
      }
      const mean = s / vv.rows;
      const se = Math.sqrt((s2 / vv.rows - mean * mean) / vv.rows);
      expect(Math.abs(t.objective(th, data, vv).loss - mean)).toBeLessThan(1e-9 * (1 + Math.abs(mean)));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    }
  });
});

function repeatRows(x: Matrix, k: number): Matrix {
  const out = new Float64Array(x.rows * k * x.cols);
  for (let j = 0; j < x.rows * k; j++) out.set(x.data.subarray(Math.floor(j / k) * x.cols, (Math.floor(j / k) + 1) * x.cols), j * x.cols);
  return { rows: x.rows * k, cols: x.cols, data: out };
}

describe('denoising score matching on EnergyNetwork', () => {
  const n = net(7);
  const t = new DenoisingScoreMatchingTrainer(n);
  const k = 2;
  const eps = normal(data.rows * k, 2, 8);
  const sig = Float64Array.from({ length: eps.rows }, (_, j) => [0.9, 0.3, 0.1][j % 3]);

  it('its loss is mean ½σ²‖∇ₓE(x + σε) − ε/σ‖² over a ladder of σ', () => {
    const xt = new Float64Array(eps.rows * 2);
    for (let j = 0; j < eps.rows; j++) for (let i = 0; i < 2; i++) xt[2 * j + i] = data.data[2 * Math.floor(j / k) + i] + sig[j] * eps.data[2 * j + i];
    const g = grads(n, { rows: eps.rows, cols: 2, data: xt });
    let want = 0;
    for (let j = 0; j < eps.rows; j++) {
      for (let i = 0; i < 2; i++) want += 0.5 * sig[j] ** 2 * (g[2 * j + i] - eps.data[2 * j + i] / sig[j]) ** 2;
    }
    want /= eps.rows;
    expect(Math.abs(t.objective(n.getParameters(), data, eps, sig).loss - want)).toBeLessThan(1e-12 * (1 + want));
  });

  it('its gradient equals central differences of the loss', () => {
    expect(gradientError((th) => t.objective(th, data, eps, sig), n.getParameters())).toBeLessThan(TOL);
    expect(gradientError((th) => t.objective(th, data, eps, 0.2), n.getParameters())).toBeLessThan(TOL);
  });
});

describe('noise-conditional denoising score matching on EnergyNetwork (E(x, log σ))', () => {
  const n = new EnergyNetwork(3, { hidden: [6, 5], activation: 'tanh', rng: 11, initScale: 1.2 });
  const t = new DenoisingScoreMatchingTrainer(n);
  const eps = normal(data.rows, 2, 12);
  const sig = Float64Array.from({ length: eps.rows }, (_, j) => [0.9, 0.3, 0.1][j % 3]);

  it('its loss is mean ½σ²‖∇ₓE(x + σε, log σ) − ε/σ‖² (x-part of the gradient only)', () => {
    const xt = new Float64Array(eps.rows * 3);
    for (let j = 0; j < eps.rows; j++) {
      for (let i = 0; i < 2; i++) xt[3 * j + i] = data.data[2 * j + i] + sig[j] * eps.data[2 * j + i];
      xt[3 * j + 2] = Math.log(sig[j]);
    }
    const g = grads(n, { rows: eps.rows, cols: 3, data: xt });
    let want = 0;
    for (let j = 0; j < eps.rows; j++) for (let i = 0; i < 2; i++) want += 0.5 * sig[j] ** 2 * (g[3 * j + i] - eps.data[2 * j + i] / sig[j]) ** 2;
    want /= eps.rows;
    expect(Math.abs(t.objective(n.getParameters(), data, eps, sig, true).loss - want)).toBeLessThan(1e-12 * (1 + want));
  });

  it('its gradient equals central differences of the loss', () => {
    expect(gradientError((th) => t.objective(th, data, eps, sig, true), n.getParameters())).toBeLessThan(TOL);
  });
});

describe('noise-contrastive estimation on EnergyNetwork', () => {
  const n = net(9);
  const t = new NoiseContrastiveTrainer(n);
  const noise = { mean: Float64Array.of(0.2, -0.1), covariance: Float64Array.of(1.5, 0.3, 0.3, 1) };
  const y = normal(15, 2, 10, 1.3);
  /** log N(u; m, C) for the 2×2 case, written out. */
  const logPn = (u0: number, u1: number) => {
    const a = u0 - 0.2;
    const b = u1 + 0.1;
    const det = 1.5 - 0.09;
    const q = (1 * a * a - 2 * 0.3 * a * b + 1.5 * b * b) / det;
    return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
  };

  it('its loss is the logistic loss of G = −E − c − log p_n − log ν', () => {
    const c = 1.7;
    const th = Float64Array.from([...n.getParameters(), c]);
    const ex = n.energies(new Float64Array(data.rows), data);
    const ey = n.energies(new Float64Array(y.rows), y);
    const logNu = Math.log(y.rows / data.rows);
    const ls = (z: number) => -Math.log1p(Math.exp(-z));
    let want = 0;
    for (let r = 0; r < data.rows; r++) want -= ls(-ex[r] - c - logPn(data.data[2 * r], data.data[2 * r + 1]) - logNu);
    for (let r = 0; r < y.rows; r++) want -= ls(ey[r] + c + logPn(y.data[2 * r], y.data[2 * r + 1]) + logNu);
    want /= data.rows;
    expect(Math.abs(t.objective(th, data, y, noise).loss - want)).toBeLessThan(1e-12 * (1 + want));
  });

  it('its gradient (θ and c) equals central differences of the loss, also with a mixture noise', () => {
    const th = Float64Array.from([...n.getParameters(), 0.8]);
    expect(gradientError((x) => t.objective(x, data, y, noise), th)).toBeLessThan(TOL);
    const mix = { weights: [1, 3], components: [noise, { mean: [1, 1], covariance: [0.5, 0, 0, 0.5] }] };
    expect(gradientError((x) => t.objective(x, data, y, mix), th)).toBeLessThan(TOL);
  });
});
