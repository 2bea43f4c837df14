import { describe, expect, it } from 'vitest';
import { concentricRings, ringOfGaussians, twoMoons } from '../../src/data/toy2d.js';
import { integratedAutocorrelationTime } from '../../src/samplers/diagnostics.js';
import { NumericalError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';
import { EBMTrainer, parametricEnergy } from '../../src/train/ebm-trainer.js';

/** E(x; μ, s) = ½ eˢ (x − μ)²: N(μ, e⁻ˢ). */
function gaussianEnergy(mu0 = 0, s0 = 0) {
  return parametricEnergy({
    dimension: 1,
    parameters: Float64Array.of(mu0, s0),
    energy: (x, t) => 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2,
    gradX: (out, x, t) => {
      out[0] = Math.exp(t[1]) * (x[0] - t[0]);
    },
    gradTheta: (out, x, t) => {
      out[0] = -Math.exp(t[1]) * (x[0] - t[0]);
      out[1] = 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2;
    },
  });
}

function gaussianData(n: number, mean: number, sd: number, seed: number): Matrix {
  const r = new Random(seed);
  return { rows: n, cols: 1, data: Float64Array.from({ length: n }, () => mean + sd * r.normal()) };
}

describe('EBMTrainer with a user-supplied energy', () => {
  it('recovers the mean and standard deviation of Gaussian data (Polyak average within its error bars)', () => {
    const N = 4000;
    const data = gaussianData(N, 2, 0.5, 1);
    let dm = 0;
    let dv = 0;
    for (const v of data.data) dm += v / N;
    for (const v of data.data) dv += (v - dm) ** 2 / N;
    const dataSd = Math.sqrt(dv);
    const g = gaussianEnergy();
    const eps = 0.08;
    const tr = new EBMTrainer(g, {
      optimizer: 'sgd',
      learningRate: 0.05,
      regularization: 0,
      stepSize: eps,
      langevinSteps: 50, // from noise: (1 − εp/2)⁵⁰ ≈ 2·10⁻⁴, i.e. equilibrated chains, no stale negatives
      bufferSize: 0,
      bounds: [-2, 6],
      rng: 2,
    });
    tr.fit(data, { epochs: 10, batchSize: 100 }); // burn-in of the stochastic approximation
    tr.learningRate = 0.01;
    const K = 1000;
    const B = 100;
    const mus = new Float64Array(K);
    const sds = new Float64Array(K);
    const r = new Random(5);
    const batch: Matrix = { rows: B, cols: 1, data: new Float64Array(B) };
    for (let k = 0; k < K; k++) {
      for (let n = 0; n < B; n++) batch.data[n] = data.data[r.int(N)];
      tr.step(batch);
      mus[k] = g.parameters[0];
      sds[k] = Math.exp(-g.parameters[1] / 2);
    }
    // Fixed point of CD: the chain's moments equal the data's (dm, dataSd). The chain is ULA, whose
    // stationary variance for precision p is 1/(p(1 − εp/4)), so the learned sd is biased low by
    // the factor √(1 − ε/(4σ²)) ≈ 0.96 — we correct for it. What remains is the Polyak average's
    // Monte Carlo error sd(iterates)·√(τ/K) (τ from the iterates' autocorrelation): test at 4.5σ.
    const check = (x: Float64Array, target: number) => {
      let m = 0;
      for (const v of x) m += v / x.length;
      let s = 0;
      for (const v of x) s += (v - m) ** 2 / (x.length - 1);
      const se = Math.sqrt((s * integratedAutocorrelationTime(x).tau) / x.length);
      return { m, se, z: Math.abs(m - target) / se };
    };
    const mu = check(mus, dm);
    const sd = check(sds, dataSd * Math.sqrt(1 - eps / (4 * dataSd * dataSd)));
    expect(mu.z, `μ = ${mu.m} ± ${mu.se}, data ${dm}`).toBeLessThan(4.5);
    expect(sd.z, `σ = ${sd.m} ± ${sd.se}, data ${dataSd}`).toBeLessThan(4.5);
    expect(tr.steps).toBe(10 * 40 + K);
    expect(tr.bufferCount).toBe(0);
  });

  it('a failing step (non-finite energy) leaves parameters, buffer, optimizer and generator untouched', () => {
    const g = parametricEnergy({
      dimension: 1,
      parameters: Float64Array.of(1),
      energy: (x, t) => (x[0] > 10 ? Number.NaN : t[0] * x[0] * x[0]),
      gradX: (out, x, t) => {
        out[0] = 2 * t[0] * x[0];
      },
      gradTheta: (out, x) => {
        out[0] = x[0] * x[0];
      },
    });
    const tr = new EBMTrainer(g, { rng: 3, bounds: [-1, 1], langevinSteps: 2 });
    tr.step({ rows: 2, cols: 1, data: Float64Array.of(0.1, -0.2) });
    const before = JSON.stringify({ theta: Array.from(g.parameters), state: tr.getState() });
    expect(() => tr.step({ rows: 2, cols: 1, data: Float64Array.of(0.1, 11) })).toThrow(NumericalError);
    expect(JSON.stringify({ theta: Array.from(g.parameters), state: tr.getState() })).toBe(before);
    expect(() => tr.step({ rows: 1, cols: 2, data: Float64Array.of(0, 0) })).toThrow(/shape/);
    expect(JSON.stringify({ theta: Array.from(g.parameters), state: tr.getState() })).toBe(before);
  });
});

describe('EBMTrainer with the energy network', () => {
  it('learns to put low energy on a ring of Gaussians (smoke), with a replay buffer that fills up', () => {
    const data = ringOfGaussians(400, { rng: 1 });
    const net = new EnergyNetwork(2, { hidden: [16, 16], rng: 2 });
    const tr = new EBMTrainer(net, { learningRate: 3e-3, rng: 3, langevinSteps: 10, bufferSize: 1000 });
    const hist = tr.fit(data, { epochs: 6, batchSize: 50 });
    expect(hist.history.length).toBe(6);
    expect(hist.epochs).toBe(6);
    expect(hist.aborted).toBe(false);
    expect(tr.bufferCount).toBe(Math.min(1000, 6 * 8 * 50));
    // The data must end up with lower energy than uniform noise on the box (what CD optimises).
    const r = new Random(4);
    const noise: Matrix = { rows: 400, cols: 2, data: Float64Array.from({ length: 800 }, () => r.uniform(-3, 3)) };
    const eD = net.energies(new Float64Array(400), data).reduce((a, b) => a + b, 0) / 400;
    const eN = net.energies(new Float64Array(400), noise).reduce((a, b) => a + b, 0) / 400;
    expect(eD).toBeLessThan(eN - 0.2);
    const s = tr.sample(20, { steps: 5 });
    expect(s.rows).toBe(20);
    expect(s.data.every((v) => v >= -3 && v <= 3)).toBe(true);
  });

  it('resumes bit-exactly from parameters + getState()', () => {
    const data = twoMoons(200, { rng: 5 });
    const mk = () => new EnergyNetwork(2, { hidden: [8], rng: 6 });
    const netA = mk();
    const a = new EBMTrainer(netA, { rng: 7, langevinSteps: 3, bufferSize: 64 });
    a.fit(data, { epochs: 1, batchSize: 40 });
    const theta = netA.getParameters();
    const state = JSON.parse(JSON.stringify(a.getState()));
    a.fit(data, { epochs: 1, batchSize: 40 });
    const netB = mk();
    netB.setParameters(theta);
    const b = new EBMTrainer(netB, { rng: 0, langevinSteps: 3, bufferSize: 64 });
    b.setState(state);
    b.fit(data, { epochs: 1, batchSize: 40 });
    expect(Array.from(netB.parameters)).toEqual(Array.from(netA.parameters));
    expect(Array.from(b.buffer.data)).toEqual(Array.from(a.buffer.data));
  });

  it('validates options', () => {
    const net = new EnergyNetwork(2, { hidden: [4] });
    expect(() => new EBMTrainer({} as never)).toThrow(TypeError);
    expect(() => new EBMTrainer(net, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new EBMTrainer(net, { bounds: [1, 0] })).toThrow(/bounds/);
    expect(() => new EBMTrainer(net, { reinitProbability: 2 })).toThrow(RangeError);
    expect(() => new EBMTrainer(net, { optimizer: 'rmsprop' as never })).toThrow(RangeError);
  });
});

describe('toy 2-D data', () => {
  it('is seeded, shaped [n, 2] and has the documented geometry', () => {
    const a = ringOfGaussians(2000, { rng: 9, std: 0.05 });
    expect(Array.from(a.data)).toEqual(Array.from(ringOfGaussians(2000, { rng: 9, std: 0.05 }).data));
    expect([a.rows, a.cols]).toEqual([2000, 2]);
    // Each point is within 5σ of one of the 8 modes at radius 2.
    for (let i = 0; i < 2000; i++) {
      const x = a.data[2 * i];
      const y = a.data[2 * i + 1];
      let d = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 8; k++) d = Math.min(d, Math.hypot(x - 2 * Math.cos((k * Math.PI) / 4), y - 2 * Math.sin((k * Math.PI) / 4)));
      expect(d).toBeLessThan(0.05 * 5 * Math.SQRT2);
    }
    const rings = concentricRings(1000, { radii: [1, 3], noise: 0 , rng: 2 });
    for (let i = 0; i < 1000; i++) {
      const r = Math.hypot(rings.data[2 * i], rings.data[2 * i + 1]);
      expect(Math.min(Math.abs(r - 1), Math.abs(r - 3))).toBeLessThan(1e-12);
    }
    const moons = twoMoons(1000, { noise: 0, rng: 3 });
    let mx = 0;
    for (let i = 0; i < 1000; i++) mx += moons.data[2 * i] / 1000;
    expect(Math.abs(mx)).toBeLessThan(0.1);
    expect(() => ringOfGaussians(-1)).toThrow(RangeError);
    expect(() => concentricRings(10, { radii: [] })).toThrow(TypeError);
  });
});
