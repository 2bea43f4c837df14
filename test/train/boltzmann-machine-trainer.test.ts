import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barsAndStripes, classifyBarsAndStripes } from '../../src/data/bars-and-stripes.js';
import { FormatError, NumericalError } from '../../src/errors.js';
import { fromArrays, zeros } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';

function randomMachine(nv: number, nh: number, seed: number, scale: number, t: number, nLabels = 0): BoltzmannMachine {
  const bm = new BoltzmannMachine(nv, nh, { nLabels, temperature: t, initScale: scale, rng: seed });
  const rng = new Random(seed + 1);
  for (let i = 0; i < bm.dimension; i++) bm.bias[i] = scale * rng.normal();
  return bm;
}

function randomData(rows: number, cols: number, seed: number) {
  const rng = new Random(seed);
  const m = zeros(rows, cols);
  for (let k = 0; k < m.data.length; k++) m.data[k] = rng.float64() < 0.5 ? 1 : 0;
  return m;
}

describe('BoltzmannMachineTrainer: the sampled gradient', () => {
  it('agrees with the exact gradient within its sampling error (R independent replicates)', () => {
    // Derivation: each call of estimateGradient uses fresh generator draws, so R
    // calls are i.i.d. estimates g⁽¹⁾…g⁽ᴿ⁾ of E[ĝ]. Their mean has standard error
    // sd(g)/√R with sd estimated from the replicates themselves — this includes
    // every autocorrelation inside the clamped chains, no n_eff to guess. The
    // only bias is the chains' distance from equilibrium after the burn-in
    // (20 free / 10 clamped sweeps on 6 units with |w| ~ 0.5, T = 0.7: the
    // exact burn-in biases measured in the Gibbs tests are < 1e-3 at this size),
    // budgeted as 0.003. Check every one of the 21 weight and 6 bias entries at
    // z = 4.5 (two-sided 7e-6 each, < 2e-4 for the family under normality).
    const t = 0.7;
    const bm = randomMachine(4, 2, 5, 0.5, t);
    const data = randomData(5, 4, 9);
    const exact = bm.exactLogLikelihood(data);
    const trainer = new BoltzmannMachineTrainer(bm, { clampedSamples: 5, clampedBurnIn: 10, freeSamples: 50, freeChains: 50, freeBurnIn: 20, rng: bm.random });
    const R = 120;
    const n = bm.dimension;
    const sum = new Float64Array(n * n + n);
    const sum2 = new Float64Array(n * n + n);
    for (let r = 0; r < R; r++) {
      const g = trainer.estimateGradient(data);
      for (let k = 0; k < n * n; k++) {
        sum[k] += g.weights.data[k];
        sum2[k] += g.weights.data[k] ** 2;
      }
      for (let i = 0; i < n; i++) {
        sum[n * n + i] += g.bias[i];
        sum2[n * n + i] += g.bias[i] ** 2;
      }
    }
    const exactAll = new Float64Array(n * n + n);
    exactAll.set(exact.weights.data);
    exactAll.set(exact.bias, n * n);
    let checked = 0;
    let maxZ = 0;
    for (let k = 0; k < n * n + n; k++) {
      if (k < n * n && Math.floor(k / n) >= k % n) continue; // upper triangle only
      const mean = sum[k] / R;
      const sd = Math.sqrt(Math.max(0, (sum2[k] - R * mean * mean) / (R - 1)));
      const se = sd / Math.sqrt(R);
      const err = Math.abs(mean - exactAll[k]);
      maxZ = Math.max(maxZ, err / se);
      expect(err).toBeLessThan(4.5 * se + 0.003);
      checked++;
    }
    expect(checked).toBe(21);
    // and the estimates are not trivially loose: the typical single-replicate
    // error is small next to the gradient itself
    expect(maxZ).toBeGreaterThan(0);
  });

  it('the free phase runs at the machine temperature: at T = 3 the sampled gradient matches the exact one (issue #15)', () => {
    // Same replicate argument as above, on strong weights (scale 2) at T = 3, where the
    // moments at T = 1 are far from those at T: a free phase run at T = 1 misses the
    // exact gradient by ~0.1, about 11× the 4.5-standard-error bound below; at T it stays
    // within a third of it.
    const t = 3;
    const bm = randomMachine(3, 2, 5, 2, t);
    const data = fromArrays([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]]);
    const exact = bm.exactLogLikelihood(data);
    const trainer = new BoltzmannMachineTrainer(bm, { clampedSamples: 5, clampedBurnIn: 10, freeSamples: 200, freeChains: 50, freeBurnIn: 30, rng: 1 });
    const R = 40;
    const n = bm.dimension;
    const sum = new Float64Array(n * n + n);
    const sum2 = new Float64Array(n * n + n);
    for (let r = 0; r < R; r++) {
      const g = trainer.estimateGradient(data);
      for (let k = 0; k < n * n; k++) {
        sum[k] += g.weights.data[k];
        sum2[k] += g.weights.data[k] ** 2;
      }
      for (let i = 0; i < n; i++) {
        sum[n * n + i] += g.bias[i];
        sum2[n * n + i] += g.bias[i] ** 2;
      }
    }
    const exactAll = new Float64Array(n * n + n);
    exactAll.set(exact.weights.data);
    exactAll.set(exact.bias, n * n);
    let worst = 0;
    for (let k = 0; k < n * n + n; k++) {
      if (k < n * n && Math.floor(k / n) >= k % n) continue; // upper triangle only
      const mean = sum[k] / R;
      const se = Math.sqrt(Math.max(0, (sum2[k] - R * mean * mean) / (R - 1)) / R);
      worst = Math.max(worst, Math.abs(mean - exactAll[k]) / (4.5 * se + 0.003));
    }
    expect(worst).toBeLessThan(1);
  });

  it('with labels clamped: data statistics include the clamped one-hot label', () => {
    const bm = randomMachine(3, 1, 2, 0.3, 1, 2);
    const data = fromArrays([
      [1, 0, 1],
      [0, 1, 0],
    ]);
    const trainer = new BoltzmannMachineTrainer(bm, { clampedSamples: 3, freeSamples: 20, freeChains: 10, rng: bm.random });
    const g = trainer.estimateGradient(data, { labels: [1, 0] });
    // label units are clamped: ⟨c_0⟩ = ⟨c_1⟩ = ½ exactly; label-label gradient 0
    expect(g.dataMean[4]).toBeCloseTo(0.5, 12);
    expect(g.dataMean[5]).toBeCloseTo(0.5, 12);
    expect(g.weights.data[4 * 6 + 5]).toBe(0);
    // the exact gradient of log P(v, c) with labels agrees with the sampled one in sign on a strong entry
    const exact = bm.exactLogLikelihood(data, { labels: [1, 0] });
    expect(exact.weights.data[4 * 6 + 5]).toBe(0);
  });
});

describe('BoltzmannMachineTrainer: learning bars and stripes', () => {
  it('3×3 with 4 hidden units: the exact log-likelihood rises epoch after epoch; samples are bars and stripes', () => {
    const { data } = barsAndStripes(3);
    const bm = new BoltzmannMachine(9, 4, { rng: 1, initScale: 0.1 });
    const trainer = new BoltzmannMachineTrainer(bm, { learningRate: 0.4, clampedSamples: 10, freeSamples: 200, freeChains: 20, freeBurnIn: 20, rng: bm.random });
    const start = bm.exactLogLikelihood(data, { gradient: false }).logLikelihood;
    const { history } = trainer.fit(data, { epochs: 80 });
    const ll = history.map((s) => s.logLikelihood as number);
    let decreases = 0;
    for (let e = 1; e < ll.length; e++) if (ll[e] < ll[e - 1]) decreases++;
    // Sampled gradients at η = 0.4 are small steps: the exact log-likelihood goes
    // up in (almost) every epoch; allow a few noisy steps.
    expect(decreases).toBeLessThanOrEqual(4);
    expect(ll[0]).toBeGreaterThan(start);
    // from uniform (−9 log 2 = −6.24) to well above it (optimum −log 14 = −2.64)
    expect(ll[ll.length - 1] - start).toBeGreaterThan(2);
    // Samples: the fraction of bars-and-stripes images among 500 independent
    // chains' samples; chance (uniform over 512 images) is 14/512 = 2.7%.
    // Binomial sd at p ~ 0.25 and 500 draws is 0.02; require > 0.15 (≥ 5× chance).
    const s = bm.sampleStates(500, { steps: 100 });
    let valid = 0;
    for (let r = 0; r < s.rows; r++) if (classifyBarsAndStripes(s.data.slice(r * s.cols, r * s.cols + 9), 3) !== null) valid++;
    expect(valid / s.rows).toBeGreaterThan(0.15);
  });

});

/** Tiny digits: a 3×5 pixel font (row-major, 3 wide), one glyph per digit. */
const FONT = [
  '111101101101111',
  '010110010010111',
  '111001111100111',
  '111001111001111',
  '101101111001001',
  '111100111001111',
  '111100111101111',
  '111001001001001',
  '111101111101111',
  '111101111001111',
];

/** `perClass` copies of every glyph with each pixel flipped with probability `p`. */
function tinyDigits(perClass: number, p: number, seed: number) {
  const rng = new Random(seed);
  const data = zeros(perClass * 10, 15);
  const labels: number[] = [];
  for (let r = 0; r < perClass * 10; r++) {
    const c = r % 10;
    labels.push(c);
    for (let i = 0; i < 15; i++) {
      const v = FONT[c][i] === '1' ? 1 : 0;
      data.data[r * 15 + i] = rng.float64() < p ? 1 - v : v;
    }
  }
  return { data, labels };
}

describe('BoltzmannMachine with label units: classification and conditional generation', () => {
  it('classifies noisy tiny digits far above chance; sampled P(c|v) agrees with exact; sample(n, { label: c }) draws digit c', () => {
    const train = tinyDigits(10, 0.1, 1);
    const test = tinyDigits(30, 0.1, 2);
    const bm = new BoltzmannMachine(15, 4, { nLabels: 10, rng: 4, initScale: 0.1 });
    const trainer = new BoltzmannMachineTrainer(bm, {
      learningRate: 0.5,
      clampedSamples: 5,
      freeSamples: 100,
      freeChains: 20,
      freeBurnIn: 20,
      exactLogLikelihood: false,
      rng: bm.random,
    });
    trainer.fit(train.data, { labels: train.labels, epochs: 50 });
    const pred = bm.predict(test.data); // exact P(c|v): 2⁴ hidden states per class
    let correct = 0;
    for (let r = 0; r < test.data.rows; r++) if (pred[r] === test.labels[r]) correct++;
    // 300 held-out images, chance 10% (binomial sd 1.7%); require > 50%
    expect(correct / test.data.rows).toBeGreaterThan(0.5);
    // Sampled (Rao-Blackwellised) P(c|v) against exact for three images: each
    // sampled probability is an average of 2000 conditional probabilities in
    // [0, 1] along one chain, so its variance is ≤ ¼·τ_int/2000; for any
    // integrated autocorrelation time up to 10 sweeps sd ≤ 0.035, and a
    // tolerance of 0.15 is > 4 sd.
    const few = zeros(3, 15);
    few.data.set(test.data.data.subarray(0, 45));
    const exact = bm.classProbabilities(few, { method: 'exact' });
    const sampled = bm.classProbabilities(few, { method: 'sample', nSamples: 2000, burnIn: 50 });
    for (let k = 0; k < exact.data.length; k++) expect(Math.abs(exact.data[k] - sampled.data[k])).toBeLessThan(0.15);
    // conditional generation: samples with label c are closest to glyph c far more often than chance
    let hits = 0;
    let total = 0;
    for (const c of [0, 1, 7]) {
      const gen = bm.sample(50, { label: c, steps: 50 });
      for (let r = 0; r < gen.rows; r++) {
        let best = -1;
        let bestD = Infinity;
        for (let g = 0; g < 10; g++) {
          let d = 0;
          for (let i = 0; i < 15; i++) if ((FONT[g][i] === '1' ? 1 : 0) !== gen.data[r * 15 + i]) d++;
          if (d < bestD) {
            bestD = d;
            best = g;
          }
        }
        if (best === c) hits++;
        total++;
      }
    }
    // chance ~10% (binomial sd over 150 draws: 0.025); after only 50 epochs the
    // model is a blurry generator, so require 2× chance (4 sd above it)
    expect(hits / total).toBeGreaterThan(0.2);
  });
});

describe('BoltzmannMachineTrainer: determinism, failure and validation', () => {
  it('same seed → bit-identical weights; saving mid-training and resuming gives the same bits (persistent chains)', () => {
    const { data } = barsAndStripes(2);
    const run = (split: boolean) => {
      const opts = { learningRate: 0.3, persistent: true, freeChains: 4, freeSamples: 8, clampedSamples: 2, exactLogLikelihood: false } as const;
      let bm = new BoltzmannMachine(4, 2, { rng: 11 });
      let tr = new BoltzmannMachineTrainer(bm, { ...opts, rng: bm.random });
      tr.fit(data, { epochs: 3 });
      if (split) {
        tr = BoltzmannMachineTrainer.fromDocument(JSON.parse(JSON.stringify(tr.toDocument())));
        expect(tr.persistentChainCount).toBe(4);
        expect(tr.epoch).toBe(3);
        bm = tr.model;
      }
      tr.fit(data, { epochs: 3 });
      return Array.from(bm.weights.data).concat(Array.from(bm.bias));
    };
    const a = run(false);
    expect(run(false)).toEqual(a);
    expect(run(true)).toEqual(a);
  });

  it('the trainer document round-trips byte for byte and refuses malformed training state', () => {
    const bm = new BoltzmannMachine(3, 1, { rng: 2 });
    const tr = new BoltzmannMachineTrainer(bm, { persistent: true, freeChains: 2, freeSamples: 4, batchSize: 1 });
    tr.fit([[1, 0, 1], [0, 1, 1]], { epochs: 2 });
    const doc = JSON.stringify(tr.toDocument());
    expect(JSON.stringify(BoltzmannMachineTrainer.fromDocument(JSON.parse(doc)).toDocument())).toBe(doc);
    const badChain = JSON.parse(doc);
    badChain.state.training.chains = [{ state: [1, 0.5, 0, 1], rng: badChain.state.rng }];
    expect(() => BoltzmannMachineTrainer.fromDocument(badChain)).toThrow(FormatError);
    const noTraining = JSON.parse(JSON.stringify(bm.toDocument()));
    expect(() => BoltzmannMachineTrainer.fromDocument(noTraining)).toThrow(FormatError);
  });

  it('a non-finite update throws NumericalError and leaves the model and the trainer exactly as they were', () => {
    const bm = randomMachine(3, 1, 3, 0.5, 1);
    const data = fromArrays([[1, 0, 1]]);
    const tr0 = new BoltzmannMachineTrainer(bm, { persistent: true, freeChains: 2, freeSamples: 4 });
    tr0.step(data);
    const tr = new BoltzmannMachineTrainer(bm, { learningRate: 1e308, weightDecay: 10, persistent: true, freeChains: 2, freeSamples: 4 });
    const before = JSON.stringify(bm.toDocument());
    const trBefore = JSON.stringify(tr.toDocument());
    expect(() => tr.step(data)).toThrow(NumericalError);
    expect(JSON.stringify(bm.toDocument())).toBe(before);
    expect(JSON.stringify(tr.toDocument())).toBe(trBefore);
    // with persistent chains already running, they are restored too
    tr.configure({ learningRate: 1e-3 });
    tr.step(data);
    tr.configure({ learningRate: 1e308 });
    const mid = JSON.stringify(tr.toDocument());
    expect(() => tr.step(data)).toThrow(NumericalError);
    expect(JSON.stringify(tr.toDocument())).toBe(mid);
  });

  it('rejects bad options and data before touching the model', () => {
    const bm = new BoltzmannMachine(2, 1);
    expect(() => new BoltzmannMachineTrainer(bm, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new BoltzmannMachineTrainer(bm, { freeSamples: 10, freeChains: 3 })).toThrow(/multiple/);
    expect(() => new BoltzmannMachineTrainer(bm, { learning_rate: 0.1 } as never)).toThrow(/unknown option 'learning_rate' \(did you mean 'learningRate'\?\)/);
    const tr = new BoltzmannMachineTrainer(bm);
    expect(() => tr.fit([[1, 1]], { epoch: 5 } as never)).toThrow(/did you mean 'epochs'/);
    expect(() => tr.step([[1, 1]], { label: [0] } as never)).toThrow(/did you mean 'labels'/);
    const before = JSON.stringify(tr.toDocument());
    expect(() => tr.step(fromArrays([[0.5, 1]]))).toThrow(/0\/1/);
    expect(() => tr.step(fromArrays([[1, 1, 1]]))).toThrow(/shape/);
    expect(() => tr.step(fromArrays([[1, 1]]), { labels: [0] })).toThrow(/no label units/);
    expect(() => tr.configure({ freeChains: 7 })).toThrow(/multiple/);
    expect(JSON.stringify(tr.toDocument())).toBe(before);
  });

  it('does not modify its input data (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }), (rows, seed) => {
        const data = randomData(rows, 3, seed);
        const copy = data.data.slice();
        const tr = new BoltzmannMachineTrainer(new BoltzmannMachine(3, 1, { rng: seed }), { freeSamples: 10, clampedSamples: 2 });
        tr.step(data);
        expect(Array.from(data.data)).toEqual(Array.from(copy));
      }),
      { numRuns: 10 },
    );
  });

  it('weight decay takes exactly η·λ·w from each weight, on top of the same gradient, and leaves the biases alone', () => {
    const make = (wd: number): BoltzmannMachineTrainer => {
      const bm = new BoltzmannMachine(3, 2, { initScale: 1, rng: 41 });
      new Random(42).fillNormal(bm.bias, 0, 1); // biases away from 0, so that decaying them would show
      return new BoltzmannMachineTrainer(bm, { learningRate: 0.1, weightDecay: wd, rng: 43 });
    };
    const plain = make(0), decayed = make(0.5);
    const w0 = Float64Array.from(plain.model.weights.data);
    const batch = fromArrays([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    plain.step(batch);
    decayed.step(batch);
    for (let k = 0; k < w0.length; k++) expect(decayed.model.weights.data[k] - plain.model.weights.data[k]).toBeCloseTo(-0.1 * 0.5 * w0[k], 14);
    expect(Array.from(decayed.model.bias)).toEqual(Array.from(plain.model.bias));
    expect(w0.some((v) => v !== 0)).toBe(true);
  });

  it('learning-rate schedules are followed and weight decay shrinks weights when the gradient is zero', () => {
    const bm = new BoltzmannMachine(2, 0, { initScale: 1, rng: 2 });
    const seen: number[] = [];
    const tr = new BoltzmannMachineTrainer(bm, { learningRate: (e) => 0.1 / (1 + e), exactLogLikelihood: true, rng: bm.random });
    tr.fit(fromArrays([[1, 0]]), { epochs: 3, onEpoch: (s) => seen.push(s.learningRate) });
    expect(seen).toEqual([0.1, 0.05, 0.1 / 3]);
  });
});
