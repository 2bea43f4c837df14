import { describe, expect, it } from 'vitest';
import type { EnergyModel } from '../../src/energy/types.js';
import { NumericalError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { AnnealedLangevin, geometricNoiseLevels, type NoiseConditionalScore } from '../../src/samplers/annealed-langevin.js';

/**
 * 1-D mixture 0.8·N(−4, 0.5²) + 0.2·N(4, 0.5²). Blurred by N(0, σ²) it stays a
 * mixture with component variance v = 0.25 + σ², so its noise-conditional score
 * is exact: s(x, σ) = Σ_k r_k(x) (μ_k − x)/v with r_k the responsibilities.
 */
const MEANS = [-4, 4];
const WEIGHTS = [0.8, 0.2];
const S2 = 0.25;

function mixtureScore(out: Matrix, x: Matrix, sigma: number): Matrix {
  const v = S2 + sigma * sigma;
  const [m0, m1] = MEANS;
  const lw = Math.log(WEIGHTS[1] / WEIGHTS[0]);
  for (let i = 0; i < x.rows; i++) {
    const xi = x.data[i];
    // r1 = responsibility of the right mode, by a logistic of the log-odds
    const logOdds = lw + ((xi - m0) * (xi - m0) - (xi - m1) * (xi - m1)) / (2 * v);
    const r1 = 1 / (1 + Math.exp(-logOdds));
    out.data[i] = ((1 - r1) * (m0 - xi) + r1 * (m1 - xi)) / v;
  }
  return out;
}
const mixture: NoiseConditionalScore = { dimension: 1, scoreAt: mixtureScore };

/** 2-D Gaussian energy E = ½ xᵀΛx with Λ = [[2, 0.8], [0.8, 1]]; covariance Λ⁻¹. */
const LAMBDA = [2, 0.8, 0.8, 1];
const DET = LAMBDA[0] * LAMBDA[3] - LAMBDA[1] * LAMBDA[2];
const COV = [LAMBDA[3] / DET, -LAMBDA[1] / DET, -LAMBDA[2] / DET, LAMBDA[0] / DET];
const MU = [1, -0.5];
const grad = (out: Float64Array, x: Float64Array) => {
  const a = x[0] - MU[0];
  const b = x[1] - MU[1];
  out[0] = LAMBDA[0] * a + LAMBDA[1] * b;
  out[1] = LAMBDA[2] * a + LAMBDA[3] * b;
  return out;
};
const gaussian: EnergyModel = {
  dimension: 2,
  domain: 'continuous',
  energy: (x) => {
    const g = grad(new Float64Array(2), x);
    return 0.5 * ((x[0] - MU[0]) * g[0] + (x[1] - MU[1]) * g[1]);
  },
  gradient: grad,
};
const batchedGaussian = {
  dimension: 2,
  inputGradients(out: Matrix, x: Matrix): Matrix {
    for (let r = 0; r < x.rows; r++) grad(out.data.subarray(2 * r, 2 * r + 2), x.data.subarray(2 * r, 2 * r + 2));
    return out;
  },
};

/**
 * σ from 8 (twice the modes' distance from 0) down to 0.2; αᵢ/(2vᵢ) ≤ ε/(2σ_L²) = 0.0625 keeps the
 * O(α) ULA bias small at every level, and T·ε/(2v_L) = 1.7 lets the last level equilibrate.
 */
const MIX_OPTIONS = { sigmaMax: 8, sigmaMin: 0.2, levels: 10, stepsPerLevel: 200, stepSize: 0.005, bounds: [-8, 8] as const };
const SIGMA_L = 0.2;

describe('AnnealedLangevin on a mixture with a known noise-conditional score', () => {
  const n = 4000;
  const x = new AnnealedLangevin(mixture, { ...MIX_OPTIONS, rng: 11 }).sample(n).data;

  it('gives the modes their weights (0.8 / 0.2) within 4 binomial standard errors', () => {
    let right = 0;
    for (const v of x) if (v > 0) right++;
    const frac = right / n;
    const se = Math.sqrt((WEIGHTS[1] * WEIGHTS[0]) / n); // 0.0063
    expect(Math.abs(frac - WEIGHTS[1])).toBeLessThan(4 * se);
  });

  it('matches each mode’s mean and variance (0.25 + σ_L², plus the O(ε) ULA bias) within 4 standard errors', () => {
    for (const [k, m] of MEANS.entries()) {
      const xs = Array.from(x).filter((v) => (k === 0 ? v < 0 : v > 0));
      const nk = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / nk;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (nk - 1);
      const v = S2 + SIGMA_L * SIGMA_L;
      // ULA on N(m, v) with step α is stationary at variance v / (1 − α/(4v)); α = ε = 0.005.
      const vUla = v / (1 - 0.005 / (4 * v));
      expect(Math.abs(mean - m)).toBeLessThan(4 * Math.sqrt(v / nk));
      expect(Math.abs(variance - vUla)).toBeLessThan(4 * vUla * Math.sqrt(2 / nk));
    }
  });

  it('is what makes the weights right: plain Langevin at σ_L with the same number of steps keeps chains in their starting basin', () => {
    const plain = new AnnealedLangevin(mixture, { sigmas: [SIGMA_L], stepsPerLevel: 2000, stepSize: 0.005, bounds: [-8, 8], rng: 11 }).sample(n).data;
    let right = 0;
    for (const v of plain) if (v > 0) right++;
    // the basins split [-8, 8] near 0, so about half the chains end in the 0.2 mode
    expect(Math.abs(right / n - 0.5)).toBeLessThan(0.05);
  });

  it('denoises with one step x + σ_L² s(x, σ_L) from the last level’s states', () => {
    const opts = { sigmaMax: 8, sigmaMin: 0.05, levels: 4, stepsPerLevel: 20, stepSize: 0.005, bounds: [-8, 8] as const, rng: 3 };
    const raw = new AnnealedLangevin(mixture, opts).sample(50);
    const den = new AnnealedLangevin(mixture, { ...opts, denoise: true }).sample(50);
    const s = mixtureScore({ rows: 50, cols: 1, data: new Float64Array(50) }, raw, 0.05);
    for (let i = 0; i < 50; i++) expect(den.data[i]).toBe(raw.data[i] + 0.0025 * s.data[i]);
  });
});

describe('AnnealedLangevin on an energy (score −∇E)', () => {
  it('samples a correlated Gaussian: mean and covariance within 4 standard errors', () => {
    const n = 4000;
    const sampler = new AnnealedLangevin(gaussian, { sigmaMax: 1, sigmaMin: 0.1, levels: 5, stepsPerLevel: 60, stepSize: 0.01, bounds: [-3, 3], rng: 5 });
    const x = sampler.sample(n).data;
    const mean = [0, 0];
    for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) mean[j] += x[2 * i + j] / n;
    const cov = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) cov[2 * a + b] += ((x[2 * i + a] - mean[a]) * (x[2 * i + b] - mean[b])) / (n - 1);
    }
    for (let j = 0; j < 2; j++) expect(Math.abs(mean[j] - MU[j])).toBeLessThan(4 * Math.sqrt(COV[3 * j] / n));
    // Var of a sample covariance entry: (Σ_aa Σ_bb + Σ_ab²)/n; the ULA bias at ε = 0.01 is ≈ ε‖Λ‖/4 relative (< 0.6%)
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        const se = Math.sqrt((COV[3 * a] * COV[3 * b] + COV[2 * a + b] ** 2) / n);
        expect(Math.abs(cov[2 * a + b] - COV[2 * a + b])).toBeLessThan(4 * se + 0.006 * Math.abs(COV[2 * a + b]));
      }
    }
  });

  it('gives the same numbers from a per-row gradient and a batched inputGradients', () => {
    const opts = { sigmaMax: 1, sigmaMin: 0.1, levels: 3, stepsPerLevel: 10, stepSize: 0.01, rng: 9 };
    const a = new AnnealedLangevin(gaussian, opts).sample(20);
    const b = new AnnealedLangevin(batchedGaussian, opts).sample(20);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('samples an EnergyNetwork through its batched inputGradients (not its contract score(data))', () => {
    const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    const opts = { sigmaMax: 1, sigmaMin: 0.1, levels: 3, stepsPerLevel: 5, stepSize: 0.01, rng: 2 };
    const a = new AnnealedLangevin(net, opts).sample(10);
    const b = new AnnealedLangevin({ dimension: 2, domain: 'continuous', energy: (x) => net.energy(x), gradient: (out, x) => net.gradient(out, x) }, opts).sample(10);
    for (let i = 0; i < 20; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 12);
  });
});

describe('AnnealedLangevin ladder, stream and checks', () => {
  it('uses αᵢ = ε σᵢ²/σ_L² and a geometric ladder', () => {
    const s = new AnnealedLangevin(gaussian, { sigmas: [1, 0.5, 0.25], stepSize: 0.01 });
    const a = s.stepSizes();
    expect(a[0]).toBeCloseTo(0.16, 15);
    expect(a[1]).toBeCloseTo(0.04, 15);
    expect(a[2]).toBe(0.01);
    const g = geometricNoiseLevels(1, 0.01, 5);
    expect(g[0]).toBe(1);
    expect(g[4]).toBe(0.01);
    for (let i = 1; i < 5; i++) expect(g[i] / g[i - 1]).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(Array.from(geometricNoiseLevels(2, 1, 1))).toEqual([2]);
    expect(Array.from(new AnnealedLangevin(gaussian).sigmas)).toEqual(Array.from(geometricNoiseLevels(1, 0.01, 10)));
  });

  it('is seeded: same seed same samples; a second call continues the stream; onLevel sees every level', () => {
    const opts = { levels: 3, stepsPerLevel: 5, stepSize: 0.01, rng: 4 };
    const a = new AnnealedLangevin(gaussian, opts);
    const b = new AnnealedLangevin(gaussian, opts);
    const a1 = a.sample(8);
    const seen: number[] = [];
    const b1 = b.sample(8, { onLevel: (l, sigma) => seen.push(l, sigma) });
    expect(Array.from(b1.data)).toEqual(Array.from(a1.data));
    expect(seen).toEqual(Array.from(a.sigmas).flatMap((s, l) => [l, s]));
    const a2 = a.sample(8);
    expect(Array.from(a2.data)).not.toEqual(Array.from(a1.data));
    const init = [[0, 0], [1, 1]];
    expect(Array.from(new AnnealedLangevin(gaussian, opts).sample(2, { init }).data)).toEqual(Array.from(new AnnealedLangevin(gaussian, opts).sample(2, { init }).data));
  });

  it('clamps to bounds when asked', () => {
    const x = new AnnealedLangevin(mixture, { ...MIX_OPTIONS, levels: 3, stepsPerLevel: 10, bounds: [-1, 1], clamp: true, rng: 2 }).sample(200).data;
    for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('throws NumericalError on a non-finite score and leaves the stream where it was', () => {
    let calls = 0;
    const bad: NoiseConditionalScore = {
      dimension: 1,
      scoreAt: (out) => {
        out.data.fill(++calls > 3 ? Number.NaN : 0);
        return out;
      },
    };
    const s = new AnnealedLangevin(bad, { levels: 2, stepsPerLevel: 5, rng: 1 });
    const before = s.random.getState();
    expect(() => s.sample(3)).toThrow(NumericalError);
    expect(s.random.getState()).toEqual(before);
  });

  it('refuses bad targets and options, naming them', () => {
    expect(() => new AnnealedLangevin({} as never)).toThrow(/target.dimension/);
    expect(() => new AnnealedLangevin({ dimension: 2 } as never)).toThrow(/scoreAt\(out, x, sigma\)/);
    expect(() => new AnnealedLangevin({ ...gaussian, domain: 'binary' })).toThrow(/domain must be 'continuous'/);
    expect(() => new AnnealedLangevin(gaussian, { sigmas: [1, 1] })).toThrow(/strictly decreasing/);
    expect(() => new AnnealedLangevin(gaussian, { sigmas: [1, -1] })).toThrow(/sigmas\[1\]/);
    expect(() => new AnnealedLangevin(gaussian, { sigmas: [] })).toThrow(/at least one level/);
    expect(() => new AnnealedLangevin(gaussian, { sigmas: [1], levels: 3 })).toThrow(/not both/);
    expect(() => new AnnealedLangevin(gaussian, { sigmaMax: 0.1, sigmaMin: 1 })).toThrow(/sigmaMin must be < sigmaMax/);
    expect(() => new AnnealedLangevin(gaussian, { stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new AnnealedLangevin(gaussian, { stepsPerLevel: 0 })).toThrow(/stepsPerLevel/);
    expect(() => new AnnealedLangevin(gaussian, { bounds: [1, 0] })).toThrow(/low < high/);
    expect(() => new AnnealedLangevin(gaussian, { stepsize: 0.1 } as never)).toThrow(/stepSize/);
    const s = new AnnealedLangevin(gaussian, { rng: 1 });
    const before = s.random.getState();
    expect(() => s.sample(0)).toThrow(/n/);
    expect(() => s.sample(2, { init: [[0, 0]] })).toThrow(/init/);
    expect(() => s.sample(1, { init: [[0, Number.NaN]] })).toThrow(/init/);
    expect(s.random.getState()).toEqual(before);
  });
});
