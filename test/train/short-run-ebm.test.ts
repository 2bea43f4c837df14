import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';
import { ShortRunEBMTrainer } from '../../src/train/short-run-ebm.js';

/** Two clusters in [0, 1]²: around (0.25, 0.25) and (0.75, 0.75), std 0.05. */
function clusters(n: number, seed: number): Matrix {
  const r = new Random(seed);
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = i % 2 === 0 ? 0.25 : 0.75;
    data[2 * i] = c + 0.05 * r.normal();
    data[2 * i + 1] = c + 0.05 * r.normal();
  }
  return { rows: n, cols: 2, data };
}

const uniform = (n: number, seed: number): Matrix => {
  const r = new Random(seed);
  return { rows: n, cols: 2, data: new Float64Array(2 * n).map(() => r.float64()) };
};

describe('ShortRunEBMTrainer objective and gradient', () => {
  it('has the gradient of ⟨E⁺⟩ − ⟨E⁻⟩ + α(⟨E⁺²⟩ + ⟨E⁻²⟩) + (λ/2)‖θ‖² (central differences)', () => {
    const net = new EnergyNetwork(3, { hidden: [5], rng: 1 });
    const trainer = new ShortRunEBMTrainer(net, { regularization: 0.7, weightDecay: 0.1, rng: 2 });
    const pos = [[0.1, 0.5, 0.9], [0.3, 0.2, 0.4]];
    const neg = [[0.6, 0.6, 0.1], [0.9, 0.0, 0.3], [0.2, 0.8, 0.5]];
    const { gradient } = trainer.objectiveGradient(pos, neg);
    const h = 1e-5;
    const theta = net.parameters;
    for (let j = 0; j < theta.length; j++) {
      const t = theta[j];
      theta[j] = t + h;
      const up = trainer.objectiveGradient(pos, neg).objective;
      theta[j] = t - h;
      const down = trainer.objectiveGradient(pos, neg).objective;
      theta[j] = t;
      expect(Math.abs((up - down) / (2 * h) - gradient[j])).toBeLessThan(1e-7 * (1 + Math.abs(gradient[j])));
    }
  });
});

describe('ShortRunEBMTrainer replay buffer', () => {
  it('starts 95% of chains from buffer entries (within 4 binomial SE) and 5% from fresh noise; reused starts are buffer copies', () => {
    const net = new EnergyNetwork(2, { hidden: [4], rng: 3 });
    const trainer = new ShortRunEBMTrainer(net, { sgldSteps: 0, learningRate: 1e-4, rng: 4 });
    const data = clusters(64, 5);
    const first = trainer.step({ rows: 32, cols: 2, data: data.data.subarray(0, 64) });
    expect(first.reused).toBe(0); // the buffer is shorter than the batch: all fresh
    const before = trainer.buffer;
    const second = trainer.step({ rows: 32, cols: 2, data: data.data.subarray(0, 64) });
    const after = trainer.buffer;
    // with 0 SGLD steps the negatives are the starts: count those equal to a row of the old buffer
    let copies = 0;
    for (let r = 32; r < 64; r++) {
      const a = after.data.subarray(2 * r, 2 * r + 2);
      for (let q = 0; q < before.rows; q++) {
        if (before.data[2 * q] === a[0] && before.data[2 * q + 1] === a[1]) {
          copies++;
          break;
        }
      }
    }
    expect(copies).toBe(second.reused);
    let reused = 0;
    let chains = 0;
    for (let s = 0; s < 200; s++) {
      reused += trainer.step({ rows: 32, cols: 2, data: data.data.subarray(0, 64) }).reused;
      chains += 32;
    }
    const se = Math.sqrt((0.95 * 0.05) / chains);
    expect(Math.abs(reused / chains - 0.95)).toBeLessThan(4 * se);
    expect(trainer.reuseFraction).toBeCloseTo((reused + second.reused) / (chains + 64), 12);
  });

  it('follows reinitProbability (0.3 → 70% reuse) and keeps the buffer a ring of bufferSize', () => {
    const trainer = new ShortRunEBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 3 }), { sgldSteps: 0, reinitProbability: 0.3, bufferSize: 100, rng: 6 });
    const batch = clusters(20, 7);
    trainer.step(batch);
    let reused = 0;
    for (let s = 0; s < 300; s++) reused += trainer.step(batch).reused;
    const p = reused / (300 * 20);
    expect(Math.abs(p - 0.7)).toBeLessThan(4 * Math.sqrt((0.7 * 0.3) / 6000));
    expect(trainer.bufferCount).toBe(100);
  });
});

describe('ShortRunEBMTrainer on a small problem', () => {
  const data = clusters(256, 8);
  const train = (seed: number, alpha: number) => {
    const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 9 });
    const trainer = new ShortRunEBMTrainer(net, { sgldSteps: 20, stepSize: 1, sgldGradClip: 0.05, noise: 0.005, learningRate: 3e-3, regularization: alpha, rng: seed });
    const history = trainer.fit(data, { epochs: 15, batchSize: 64 }).history;
    return { net, trainer, history };
  };
  const { net, trainer, history } = train(10, 1);

  it('closes the energy gap: the epoch loss ⟨E⁺⟩ − ⟨E⁻⟩ shrinks towards 0 as the buffer samples catch up with the data', () => {
    const first = history[0].loss as number;
    const last = history[history.length - 1].loss as number;
    expect(Math.abs(last)).toBeLessThan(Math.abs(first) / 3);
  });

  it('moves SGLD chains from noise towards the clusters', () => {
    // distance to the nearest cluster centre: uniform noise ≈ 0.3 on average; short-run samples much closer
    const dist = (m: Matrix) => {
      let s = 0;
      for (let i = 0; i < m.rows; i++) {
        const d = [0.25, 0.75].map((c) => Math.hypot(m.data[2 * i] - c, m.data[2 * i + 1] - c));
        s += Math.min(...d) / m.rows;
      }
      return s;
    };
    const samples = trainer.sample(256, { steps: 40 });
    expect(dist(samples)).toBeLessThan(0.4 * dist(uniform(256, 11)));
  });

  it('keeps energies near 0 with the α(E⁺² + E⁻²) term, and lets them drift without it', () => {
    const meanSq = (n: EnergyNetwork) => n.energies(new Float64Array(256), data).reduce((a, b) => a + b * b, 0) / 256;
    const free = train(10, 0).net;
    expect(meanSq(net)).toBeLessThan(1);
    expect(meanSq(free)).toBeGreaterThan(4 * meanSq(net));
  });

  it('is deterministic by seed: same seed same parameters and buffer, another seed differs', () => {
    const again = train(10, 1);
    expect(Array.from(again.net.parameters)).toEqual(Array.from(net.parameters));
    expect(Array.from(again.trainer.buffer.data)).toEqual(Array.from(trainer.buffer.data));
    const other = train(12, 1);
    expect(Array.from(other.net.parameters)).not.toEqual(Array.from(net.parameters));
  });
});

describe('ShortRunEBMTrainer gradient clipping and checks', () => {
  it('rescales the parameter gradient to gradClip (Adam: the first step is scale-free, the second is not)', () => {
    const make = (gradClip: number) => new ShortRunEBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 3 }), { sgldSteps: 2, gradClip, rng: 4 });
    const a = make(1e9);
    const b = make(1e-3);
    const batch = clusters(16, 2);
    const sa = a.step(batch);
    const sb = b.step(batch);
    expect(sa.clipped).toBe(false);
    expect(sb.clipped).toBe(true);
    expect(sb.gradNorm).toBe(sa.gradNorm);
    // lr = 1e-3: each coordinate moves by ≈ 1e-3 either way (Adam's ε = 1e-8 makes the clipped one a hair shorter)
    const maxDiff = () => {
      let diff = 0;
      for (let j = 0; j < a.model.parameters.length; j++) diff = Math.max(diff, Math.abs(b.model.parameters[j] - a.model.parameters[j]));
      return diff;
    };
    const d1 = maxDiff();
    expect(d1).toBeLessThan(1e-5);
    a.step(batch);
    b.step(batch);
    expect(maxDiff()).toBeGreaterThan(10 * d1);
  });

  it('refuses bad options and data before changing anything; a NaN energy changes nothing', () => {
    const net = new EnergyNetwork(2, { hidden: [4], rng: 3 });
    expect(() => new ShortRunEBMTrainer(net, { reinitProbability: 2 })).toThrow(/reinitProbability/);
    expect(() => new ShortRunEBMTrainer(net, { bounds: [1, 0] })).toThrow(/low < high/);
    expect(() => new ShortRunEBMTrainer(net, { gradClip: 0 })).toThrow(/gradClip/);
    expect(() => new ShortRunEBMTrainer(net, { sgldStep: 3 } as never)).toThrow(/sgldSteps/);
    expect(() => new ShortRunEBMTrainer({} as never)).toThrow(/ParametricEnergy/);
    const trainer = new ShortRunEBMTrainer(net, { rng: 1 });
    const theta = net.getParameters();
    const rng = trainer.random.getState();
    expect(() => trainer.step([[0, 1, 2]])).toThrow(/batch/);
    expect(() => trainer.step([[0, Number.NaN]])).toThrow(/batch/);
    expect(() => trainer.sample(2, { init: [[0, 0]] })).toThrow(/init/);
    expect(() => trainer.sample(2, { fromBuffer: true })).toThrow(/non-empty buffer/);
    net.parameters[net.parameters.length - 1] = Number.NaN;
    expect(() => trainer.step([[0.5, 0.5]])).toThrow(NumericalError);
    net.parameters[net.parameters.length - 1] = theta[theta.length - 1];
    expect(Array.from(net.parameters)).toEqual(Array.from(theta));
    expect(trainer.random.getState()).toEqual(rng);
    expect(trainer.steps).toBe(0);
    expect(trainer.bufferCount).toBe(0);
  });
});
