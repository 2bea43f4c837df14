import { describe, expect, it } from 'vitest';
import { exactMoments } from '../../src/energy/exact.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';

// Free phase started from the data (issue #20): the lecture's "run Gibbs
// sampling from states in P", i.e. contrastive divergence for the general
// Boltzmann machine. Exact answers come from enumerating the 2^5 states.

function machine(seed: number, scan: 'sequential' | 'random' = 'sequential'): BoltzmannMachine {
  const bm = new BoltzmannMachine(3, 2, { initScale: 1, rng: seed, scan });
  const r = new Random(seed + 1);
  for (let i = 0; i < bm.dimension; i++) bm.bias[i] = 0.5 * r.normal();
  return bm;
}
// concentrated data, far from the model's distribution, so CD's pull toward the data shows
const DATA = [
  [1, 1, 1],
  [1, 1, 0],
  [1, 1, 1],
  [0, 1, 1],
];

/** Exact ⟨s_i⟩ and ⟨s_i s_j⟩ (i < j) of the model, flattened in the order of `flat`. */
function flat(mean: ArrayLike<number>, corr: { data: ArrayLike<number> }, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(mean[i]);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(corr.data[i * n + j]);
  return out;
}

/** The visible units' moments: ⟨v0⟩, ⟨v1⟩, ⟨v2⟩, ⟨v0 v1⟩, ⟨v0 v2⟩, ⟨v1 v2⟩. */
function visibleMoments(mean: ArrayLike<number>, corr: ArrayLike<number>, n: number): number[] {
  return [mean[0], mean[1], mean[2], corr[1], corr[2], corr[n + 2]];
}

describe('BoltzmannMachineTrainer freeStart', () => {
  it("'data' with many sweeps: the free statistics agree with the exact model moments within sampling error", () => {
    // M independent chains (freeChains = freeSamples), one sample each after
    // 41 sweeps: every statistic is a mean of M i.i.d. 0/1 products with
    // mean p (the exact moment), so its standard error is √(p(1−p)/M). 15
    // statistics, each within 5 SE (family-wise false alarm < 1e-5).
    const bm = machine(3);
    const n = bm.dimension;
    const M = 4000;
    const t = new BoltzmannMachineTrainer(bm, { freeStart: 'data', freeChains: M, freeSamples: M, freeBurnIn: 40, clampedSamples: 1, rng: 11 });
    const g = t.estimateGradient(DATA);
    const ex = exactMoments(bm.energyFunction);
    const est = flat(g.modelMean, g.modelCorrelation, n);
    const exact = flat(ex.mean, ex.correlation, n);
    let worst = 0;
    for (let k = 0; k < est.length; k++) {
      const se = Math.sqrt((exact[k] * (1 - exact[k])) / M);
      worst = Math.max(worst, Math.abs(est[k] - exact[k]) / se);
    }
    console.log(`freeStart 'data', 41 sweeps: worst deviation ${worst.toFixed(2)} SE`);
    expect(worst).toBeLessThan(5);
  });

  it("'data' with one sweep is contrastive divergence: pulled toward the data's statistics, unlike random starts", () => {
    // CD-1 estimate C, exact model moments E, data moments D (visible units:
    // exact from the rows). CD's bias: C lies between E and D, so ‖C − D‖ is
    // well below ‖E − D‖; random starts R are pulled toward the uniform state
    // instead. Each entry's SE ≤ 0.5/√M = 0.0035.
    // Random scan: a sweep is n single-unit updates at random units, so about
    // e⁻¹ of the units keep their start. (With the sequential scan one sweep
    // resamples every unit and the pull toward the data is gone: measured over
    // 12 machines, ‖C − D‖ < ‖E − D‖ held in 12/12 with random scan, 3/12 sequential.)
    const M = 20000;
    const run = (freeStart: 'data' | 'random'): number[] => {
      const bm = machine(3, 'random');
      const t = new BoltzmannMachineTrainer(bm, { freeStart, freeChains: M, freeSamples: M, freeBurnIn: 0, clampedSamples: 1, rng: 12 });
      const g = t.estimateGradient(DATA);
      return visibleMoments(g.modelMean, g.modelCorrelation.data, bm.dimension);
    };
    const bm = machine(3, 'random');
    const ex = exactMoments(bm.energyFunction);
    const E = visibleMoments(ex.mean, ex.correlation.data, bm.dimension);
    const D = [0.75, 1, 0.75, 0.75, 0.5, 0.75];
    const C = run('data');
    const R = run('random');
    const dist = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));
    const se = 0.5 / Math.sqrt(M);
    const distED = dist(E, D);
    const distCD = dist(C, D);
    const distRD = dist(R, D);
    // figures for the report
    console.log(`CD-1 free phase: ‖E−D‖ = ${distED.toFixed(4)}, ‖C−D‖ = ${distCD.toFixed(4)}, ‖R−D‖ = ${distRD.toFixed(4)}, ‖C−E‖ = ${dist(C, E).toFixed(4)}, ‖C−R‖ = ${dist(C, R).toFixed(4)}, SE ${se.toFixed(4)}`);
    // biased: far more than sampling error away from the exact moments, toward the data
    expect(dist(C, E)).toBeGreaterThan(20 * se);
    expect(distCD).toBeLessThan(distED - 20 * se);
    // a different estimator from random starts, which are not pulled toward the data
    expect(dist(C, R)).toBeGreaterThan(20 * se);
    expect(distCD).toBeLessThan(distRD - 20 * se);
  });

  it("training with freeStart 'data' (CD-1 style) raises the exact log-likelihood", () => {
    const bm = new BoltzmannMachine(4, 2, { initScale: 0.1, rng: 5 });
    const data = [
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [1, 0, 0, 0],
    ];
    const before = bm.exactLogLikelihood(data, { gradient: false }).logLikelihood;
    const t = new BoltzmannMachineTrainer(bm, { freeStart: 'data', freeChains: 50, freeSamples: 50, learningRate: 0.2, rng: 6 });
    const { history } = t.fit(data, { epochs: 60 });
    const after = history[history.length - 1].logLikelihood as number;
    console.log(`freeStart 'data' training: exact log-likelihood ${before.toFixed(4)} → ${after.toFixed(4)} nats/pattern (entropy bound of the data ${(-(0.4 * Math.log(0.4) * 2 + 0.2 * Math.log(0.2))).toFixed(4)})`);
    expect(after).toBeGreaterThan(before + 0.5);
  });

  it("defaults are today's behaviour bit for bit; options are checked; the start is saved and resumed", () => {
    const data = [
      [1, 0, 1],
      [0, 1, 1],
    ];
    const weights = (opts: object): number[] => {
      const bm = machine(7);
      new BoltzmannMachineTrainer(bm, { rng: 3, freeSamples: 20, freeChains: 4, ...opts }).fit(data, { epochs: 3 });
      return Array.from(bm.weights.data);
    };
    expect(weights({ freeStart: 'random' })).toEqual(weights({}));
    expect(weights({ freeStart: 'persistent' })).toEqual(weights({ persistent: true }));
    expect(weights({ freeStart: 'data' })).not.toEqual(weights({}));
    const bm = machine(7);
    expect(new BoltzmannMachineTrainer(bm).freeStart).toBe('random');
    expect(new BoltzmannMachineTrainer(bm, { persistent: true }).freeStart).toBe('persistent');
    expect(() => new BoltzmannMachineTrainer(bm, { freeStart: 'clamped' as 'data' })).toThrow(/freeStart/);
    expect(() => new BoltzmannMachineTrainer(bm, { freeStart: 'data', persistent: true })).toThrow(RangeError);
    // save / resume bit-exactly
    const a = new BoltzmannMachineTrainer(machine(7), { freeStart: 'data', rng: 4, freeSamples: 8, freeChains: 4 });
    a.fit(data, { epochs: 2 });
    const b = BoltzmannMachineTrainer.fromDocument(JSON.parse(JSON.stringify(a.toDocument())));
    expect(b.freeStart).toBe('data');
    a.fit(data, { epochs: 2 });
    b.fit(data, { epochs: 2 });
    expect(Array.from(b.model.weights.data)).toEqual(Array.from(a.model.weights.data));
    // the model's fit passes it on
    const c = machine(7);
    c.fit(data, { epochs: 1, freeStart: 'data' });
    // labeled machines: the free chains start from the row's label (clamped phase), labels then free
    const lab = new BoltzmannMachine(3, 1, { nLabels: 2, initScale: 0.5, rng: 8 });
    const g = new BoltzmannMachineTrainer(lab, { freeStart: 'data', freeChains: 4, freeSamples: 4, rng: 2 }).estimateGradient(data, { labels: [0, 1] });
    for (const x of g.modelMean) expect(Number.isFinite(x)).toBe(true);
    expect(g.modelMean[4] + g.modelMean[5]).toBe(1); // one-hot label in every free sample
  });
});
