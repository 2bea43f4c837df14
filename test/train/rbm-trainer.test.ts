import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RBMTrainer,
  fromArrays,
  FormatError,
  GaussianRBM,
  type Matrix,
  NumericalError,
  RBM,
  rbmExactGradient,
  rbmExactLogLikelihood,
  ShapeError,
} from '../../src/index.js';
import { rbmWith } from '../helpers/rbm-brute.js';

const patterns = [
  [1, 1, 0, 0, 1],
  [0, 0, 1, 1, 0],
  [1, 0, 1, 0, 1],
  [0, 1, 0, 1, 0],
];
function repeated(rows: number[][], times: number): Matrix {
  const out: number[][] = [];
  for (let t = 0; t < times; t++) out.push(...rows);
  return fromArrays(out);
}
function params(m: { parameterArrays(): Float64Array[] }): Float64Array[] {
  return m.parameterArrays().map((p) => p.slice());
}

describe('RBMTrainer', () => {
  it('the CD-k gradient approaches the exact gradient as k grows (tiny RBM, fixed seed)', () => {
    const rbm = rbmWith(4, 3, [2, -1.5, 1, -2, 1.5, -1, 1.8, 1, -1.5, -1, -2, 1.2], [0.5, -0.5, 0.3, -0.2], [-0.5, 0.2, 0.4]);
    const data4 = patterns.map((p) => p.slice(0, 4));
    const N = 3000;
    const batch = repeated(data4, N); // 12 000 rows
    const exact = rbmExactGradient(rbm, fromArrays(data4));
    const errors: number[] = [];
    for (const k of [1, 3, 30]) {
      const cd = new RBMTrainer(rbm, { k, batchSize: batch.rows, rng: 7 });
      const g = cd.gradient(batch);
      let maxErr = 0;
      for (let a = 0; a < 3; a++) for (let i = 0; i < g[a].length; i++) maxErr = Math.max(maxErr, Math.abs(g[a][i] - exact[a][i]));
      errors.push(maxErr);
    }
    // Each component is a mean of 12 000 terms in [−1, 1]: std ≤ 1/√12000 ≈ 0.009, and the
    // positive phase is exact, so with k = 30 (mixed) every error is below 5·0.009 ≈ 0.046.
    expect(errors[2]).toBeLessThan(0.046);
    // CD-1 is visibly biased on this strongly coupled model, and the bias shrinks with k.
    expect(errors[0]).toBeGreaterThan(0.1);
    expect(errors[1]).toBeLessThan(errors[0]);
  });

  it('learning rate 0 leaves the parameters bit-identical (CD and PCD, momentum, decay, sparsity)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.nat(1000), (persistent, k, seed) => {
        const rbm = new RBM(5, 3, { rng: seed, weightStd: 0.5 });
        const before = params(rbm);
        const cd = new RBMTrainer(rbm, {
          k, method: persistent ? 'pcd' : 'cd', learningRate: 0, momentum: 0.9, weightDecay: 0.01, sparsityTarget: 0.1, batchSize: 2, rng: seed,
        });
        cd.fit(fromArrays(patterns), { epochs: 2 });
        expect(params(rbm)).toEqual(before);
      }),
      { numRuns: 20 },
    );
  });

  it('weight decay takes exactly −ηλW from the weights in one step and nothing from the biases (issue #15)', () => {
    // Two trainers with the same seed see the same batch and draw the same negative phase;
    // they differ only in λ, so after one step (no momentum yet) the parameters differ by
    // exactly −ηλθ on the weights (up to one rounding of θ) and not at all on the biases.
    for (const method of ['cd', 'pcd'] as const) {
      const base = rbmWith(5, 3, [0.9, -0.6, 0.3, -0.8, 0.5, -0.2, 0.7, 0.4, -0.9, -0.3, 0.6, 0.8, -0.5, 0.2, -0.7], [0.8, -0.6, 0.4, -0.9, 0.5], [-0.7, 0.6, 0.9]);
      const lr = 0.1, lambda = 0.5;
      const models = [0, lambda].map((wd) => {
        const m = base.clone();
        new RBMTrainer(m, { method, learningRate: lr, momentum: 0.5, weightDecay: wd, batchSize: 4, rng: 11 }).step(fromArrays(patterns));
        return params(m);
      });
      const [plain, decayed] = models;
      const theta = params(base);
      let worstW = 0, smallestW = Infinity;
      for (let i = 0; i < theta[0].length; i++) {
        const want = -lr * lambda * theta[0][i];
        worstW = Math.max(worstW, Math.abs(decayed[0][i] - plain[0][i] - want));
        smallestW = Math.min(smallestW, Math.abs(want));
      }
      expect(smallestW).toBeGreaterThan(0.009); // every weight has a visible decay term
      expect(worstW).toBeLessThan(1e-15);
      // biases: bit-identical (the decay would move each by ηλ|b| ≥ 0.01)
      expect(decayed[1]).toEqual(plain[1]);
      expect(decayed[2]).toEqual(plain[2]);
    }
  });

  it('never modifies the data', () => {
    const data = fromArrays(patterns);
    const copy = data.data.slice();
    const rbm = new RBM(5, 3, { rng: 1 });
    const cd = new RBMTrainer(rbm, { method: 'pcd', batchSize: 3, rng: 2 });
    cd.fit(data, { epochs: 3, validation: data, onEpoch: () => {} });
    cd.step(data.rows > 3 ? fromArrays(patterns.slice(0, 3)) : data);
    cd.gradient(fromArrays(patterns.slice(0, 2)));
    expect(data.data).toEqual(copy);
  });

  it('same seed gives bit-identical parameters; another seed does not', () => {
    const run = (seed: number) => {
      const rbm = new RBM(5, 4, { rng: 3 });
      new RBMTrainer(rbm, { k: 2, method: 'pcd', nChains: 7, momentum: 0.5, batchSize: 3, rng: seed }).fit(fromArrays(patterns), { epochs: 5 });
      return params(rbm);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('training raises the exact log-likelihood of a small data set (CD-1 and PCD)', () => {
    const data = fromArrays(patterns);
    const mean = (x: Float64Array) => x.reduce((s, y) => s + y, 0) / x.length;
    for (const [persistent, lr, nChains, epochs] of [[false, 0.2, 4, 300], [true, 0.1, 100, 500]] as const) {
      const rbm = new RBM(5, 4, { rng: 4, data });
      const before = mean(rbmExactLogLikelihood(rbm, data));
      new RBMTrainer(rbm, { method: persistent ? 'pcd' : 'cd', nChains: persistent ? nChains : undefined, learningRate: lr, momentum: 0.5, batchSize: 4, rng: 5 }).fit(data, { epochs });
      const after = mean(rbmExactLogLikelihood(rbm, data));
      // log(1/4) ≈ −1.39 is the optimum for 4 equally likely patterns; the initial model gives ≈ −3.47.
      expect(after).toBeGreaterThan(before + 0.8);
      expect(after).toBeGreaterThan(-2.6);
    }
  });

  it('PCD chains at fixed parameters give the exact model statistics (fixed seed)', () => {
    // The strongly coupled model of the CD-k test, where CD-1 is off by more than 0.1.
    const rbm = rbmWith(4, 3, [2, -1.5, 1, -2, 1.5, -1, 1.8, 1, -1.5, -1, -2, 1.2], [0.5, -0.5, 0.3, -0.2], [-0.5, 0.2, 0.4]);
    const data4 = fromArrays(patterns.map((p) => p.slice(0, 4)));
    const exact = rbmExactGradient(rbm, data4);
    const cd = new RBMTrainer(rbm, { method: 'pcd', nChains: 8000, batchSize: 4, learningRate: 0, rng: 3 });
    for (let t = 0; t < 30; t++) cd.gradient(data4); // burn-in of the chains at fixed parameters
    const g = cd.gradient(data4);
    // Positive phase exact; negative phase a mean over 8000 (nearly independent) chains of terms in
    // [0, 1]: std ≤ 0.5/√8000 ≈ 0.0056, so every component within 5σ ≈ 0.028.
    for (let a = 0; a < 3; a++) for (let i = 0; i < g[a].length; i++) expect(Math.abs(g[a][i] - exact[a][i])).toBeLessThan(0.028);
  });

  it('PCD chains persist across steps: from a data mode the model rarely visits they reach the exact statistics (issue #15)', () => {
    // One hidden unit gating four visible ones (W = 3, b = −1.5, c = −4): the model puts most of its
    // mass on the "on" mode (E[v_i] ≈ 0.74), the data sit in the "off" mode (all zeros), and one
    // Gibbs step from the data stays near it. Chains restarted at the data every step give
    // CD-1's gradient, 0.6 off the exact one; persistent chains mix in ~20 steps.
    const rbm = rbmWith(4, 1, [3, 3, 3, 3], [-1.5, -1.5, -1.5, -1.5], [-4]);
    const data4 = fromArrays([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const exact = rbmExactGradient(rbm, data4);
    expect(exact[1][0]).toBeLessThan(-0.7);
    const cd = new RBMTrainer(rbm, { method: 'pcd', k: 1, nChains: 4000, batchSize: 4, learningRate: 0.1, rng: 3 });
    // fixed parameters: gradient() advances the chains without updating the model
    for (let t = 0; t < 60; t++) cd.gradient(data4);
    const g = cd.gradient(data4);
    // negative phase: a mean over 4000 independent chains of terms in [0, 1]: std ≤ 0.5/√4000 ≈ 0.0079; allow 5σ
    const tol = 5 * 0.5 / Math.sqrt(4000);
    let worst = 0;
    for (let a = 0; a < 3; a++) for (let i = 0; i < g[a].length; i++) worst = Math.max(worst, Math.abs(g[a][i] - exact[a][i]));
    expect(worst).toBeLessThan(tol);
  });

  // A PCD chain keeps its hidden sample from one update to the next (scikit-learn's layout: one
  // v·W product fewer per update); documents written before that carry only the visible states.
  it('PCD chains carry their hidden samples in the saved state; an older document without them continues from the visible states', () => {
    const rbm = new RBM(5, 4, { rng: 2 });
    const data = fromArrays(patterns.slice(0, 4));
    const cd = new RBMTrainer(rbm, { method: 'pcd', nChains: 5, batchSize: 4, rng: 7 });
    expect(cd.saveState().hiddenChains).toBe(null);
    cd.step(data);
    const doc = JSON.parse(JSON.stringify(cd.toDocument()));
    const hidden = doc.state.training.hiddenChains;
    expect(hidden).not.toBe(null);
    // resumed from the document: bit for bit the same as continuing
    const twin = RBMTrainer.fromDocument(doc, RBM.fromDocument);
    cd.step(data);
    twin.step(data);
    expect(params(twin.model)).toEqual(params(rbm));
    expect(twin.saveState()).toEqual(cd.saveState());
    // an older document (visible states only) loads, and its chains continue from them
    const old = JSON.parse(JSON.stringify(doc));
    delete old.state.training.hiddenChains;
    const fromOld = RBMTrainer.fromDocument(old, RBM.fromDocument);
    expect(fromOld.saveState().hiddenChains).toBe(null);
    expect(fromOld.persistentChains()).toEqual(RBMTrainer.fromDocument(doc, RBM.fromDocument).persistentChains());
    fromOld.step(data);
    const after = fromOld.persistentChains()!;
    expect(after.rows).toBe(5);
    expect(after.data.every((x) => x === 0 || x === 1)).toBe(true);
    expect(fromOld.saveState().hiddenChains).not.toBe(null);
    // hidden samples without visible states are malformed
    const broken = JSON.parse(JSON.stringify(doc));
    broken.state.training.chains = null;
    expect(() => RBMTrainer.fromDocument(broken, RBM.fromDocument)).toThrow(/state\.training\.hiddenChains is missing or malformed/);
    // the chains hold sampled states: hidden units are 0/1, and so are a binary RBM's visible units
    for (const [key, value] of [['hiddenChains', 0.5], ['hiddenChains', 7], ['hiddenChains', -1], ['chains', 0.5]] as const) {
      const off = JSON.parse(JSON.stringify(doc));
      const n = key === 'chains' ? 5 * 5 : 5 * 4;
      off.state.training[key] = Array.from({ length: n }, (_, i) => (i === 3 ? value : i % 2));
      expect(() => RBMTrainer.fromDocument(off, RBM.fromDocument), `${key} ${value}`).toThrow(FormatError);
      expect(() => RBMTrainer.fromDocument(off, RBM.fromDocument), `${key} ${value}`).toThrow(new RegExp(`state\\.training\\.${key} is missing or malformed \\(expected .*each 0 or 1\\)`));
    }
    // the same arrays with 0/1 entries load
    const fine = JSON.parse(JSON.stringify(doc));
    fine.state.training.hiddenChains = Array.from({ length: 20 }, (_, i) => i % 2);
    expect(RBMTrainer.fromDocument(fine, RBM.fromDocument).saveState().hiddenChains).not.toBe(null);
  });

  it('PCD keeps nChains chains whatever the batch size', () => {
    const rbm = new RBM(5, 3, { rng: 1 });
    const cd = new RBMTrainer(rbm, { method: 'pcd', nChains: 13, batchSize: 2, rng: 1 });
    expect(cd.persistentChains()?.rows).toBe(13);
    cd.step(fromArrays(patterns.slice(0, 2)));
    const chains = cd.persistentChains()!;
    expect(chains.rows).toBe(13);
    expect(chains.data.every((x) => x === 0 || x === 1)).toBe(true);
    expect(() => new RBMTrainer(rbm, { method: 'cd', nChains: 13, batchSize: 2 })).toThrow(RangeError);
  });

  it('resumes bit-exactly from its document (PCD, momentum, sparsity)', () => {
    const data = fromArrays(patterns);
    const opts = { k: 2, method: 'pcd' as const, nChains: 5, momentum: 0.7, weightDecay: 1e-3, sparsityTarget: 0.2, batchSize: 3, rng: 8 };
    const straight = new RBM(5, 4, { rng: 2 });
    new RBMTrainer(straight, opts).fit(data, { epochs: 6 });
    const first = new RBM(5, 4, { rng: 2 });
    const cd1 = new RBMTrainer(first, opts);
    cd1.fit(data, { epochs: 3 });
    const doc = JSON.parse(JSON.stringify(cd1.toDocument()));
    const cd2 = RBMTrainer.fromDocument(doc, RBM.fromDocument);
    cd2.fit(data, { epochs: 3 });
    expect(params(cd2.model)).toEqual(params(straight));
    expect(cd2.epoch).toBe(6);
  });

  it('stores its state compactly (base64 tensors) and still reads the older plain number arrays, bit-exactly', () => {
    const data = fromArrays(patterns);
    const opts = { method: 'pcd' as const, nChains: 4, momentum: 0.6, sparsityTarget: 0.2, batchSize: 3, rng: 5 };
    const cd = new RBMTrainer(new RBM(5, 4, { rng: 2 }), opts);
    cd.fit(data, { epochs: 2 });
    const doc = JSON.parse(JSON.stringify(cd.toDocument()));
    const tr = doc.state.training;
    for (const t of [...tr.velocity, tr.chains, tr.sparsityAverage]) expect(t).toMatchObject({ dtype: 'f64', base64: expect.any(String) });
    // the same state written the old way: plain arrays of numbers
    const decode = (t: { base64: string }): number[] => Array.from(new Float64Array(Uint8Array.from(atob(t.base64), (c) => c.charCodeAt(0)).buffer));
    const old = JSON.parse(JSON.stringify(doc));
    old.state.training.velocity = tr.velocity.map(decode);
    old.state.training.chains = decode(tr.chains);
    old.state.training.sparsityAverage = decode(tr.sparsityAverage);
    const a = RBMTrainer.fromDocument(doc, RBM.fromDocument);
    const b = RBMTrainer.fromDocument(old, RBM.fromDocument);
    a.fit(data, { epochs: 2 });
    b.fit(data, { epochs: 2 });
    expect(params(a.model)).toEqual(params(b.model));
    expect(a.saveState()).toEqual(b.saveState());
    // a malformed tensor is the usual FormatError naming the field
    const broken = JSON.parse(JSON.stringify(doc));
    broken.state.training.velocity[0].base64 = 'AAAA';
    expect(() => RBMTrainer.fromDocument(broken, RBM.fromDocument)).toThrow(/state\.training\.velocity is missing or malformed/);
  });

  it('a non-finite update throws NumericalError and leaves parameters, momentum and chains unchanged', () => {
    const rbm = new RBM(5, 3, { rng: 1, weightStd: 0.5 });
    const cd = new RBMTrainer(rbm, { method: 'pcd', momentum: 0.5, weightDecay: 1e308, learningRate: 1e3, batchSize: 2, rng: 3 });
    const before = params(rbm);
    const state = JSON.stringify(cd.saveState().velocity);
    expect(() => cd.step(fromArrays(patterns.slice(0, 2)))).toThrow(NumericalError);
    expect(params(rbm)).toEqual(before);
    expect(JSON.stringify(cd.saveState().velocity)).toBe(state);
    expect(cd.saveState().chains).toBe(null);
    expect(cd.steps).toBe(0);
  });

  // the update itself, against its formula: a twin restored from the document at each state gives
  // the gradient the step will use (the same draws)
  it('steps (100×60 weights, momentum and weight decay) are θ + μ·v + lr·(g − λ·θ) of the trainer’s own gradients, bit for bit', () => {
    const rbm = new RBM(100, 60, { rng: 1 });
    const data = fromArrays(Array.from({ length: 4 }, (_, i) => Array.from({ length: 100 }, (_, j) => ((i * 5 + j) % 4 === 0 ? 1 : 0))));
    const opts = { method: 'cd' as const, momentum: 0.5, weightDecay: 0.01, learningRate: 0.05, batchSize: 4, rng: 3 };
    const cd = new RBMTrainer(rbm, opts);
    let v = new Float64Array(100 * 60);
    for (let t = 0; t < 3; t++) {
      const twin = RBMTrainer.fromDocument(JSON.parse(JSON.stringify(cd.toDocument())), RBM.fromDocument);
      const g = twin.gradient(data)[0];
      const w = rbm.weights.data.slice();
      const d = w.map((x, i) => opts.momentum * v[i] + opts.learningRate * (g[i] - opts.weightDecay * x));
      cd.step(data);
      expect(rbm.weights.data.every((x, i) => Object.is(x, w[i] + d[i])), `step ${t}`).toBe(true);
      v = d;
    }
  });

  it('stops cleanly on an AbortSignal and calls onEpoch with metrics', () => {
    const rbm = new RBM(5, 3, { rng: 1 });
    const cd = new RBMTrainer(rbm, { batchSize: 2, rng: 1 });
    const ctl = new AbortController();
    const seen: number[] = [];
    const res = cd.fit(fromArrays(patterns), {
      epochs: 10,
      validation: fromArrays(patterns.slice(0, 2)),
      onEpoch: (m) => {
        seen.push(m.epoch);
        expect(Number.isFinite(m.reconstructionError)).toBe(true);
        expect(m.pseudoLikelihood).toBeLessThan(0);
        expect(m.freeEnergyGap).toBeCloseTo(m.validationFreeEnergy! - m.trainFreeEnergy!, 12);
        if (m.epoch === 2) ctl.abort();
      },
      signal: ctl.signal,
    });
    expect(res.aborted).toBe(true);
    expect(res.epochs).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
  });

  it('follows a learning-rate schedule and stops early when onEpoch returns false', () => {
    const calls: number[] = [];
    const rbm = new RBM(5, 3, { rng: 1 });
    const cd = new RBMTrainer(rbm, { batchSize: 4, learningRate: (epoch) => { calls.push(epoch); return 0.1 / (1 + epoch); }, rng: 1 });
    const res = cd.fit(fromArrays(patterns), { epochs: 5, onEpoch: (m) => m.epoch < 2 });
    expect(res.epochs).toBe(3);
    expect(new Set(calls)).toEqual(new Set([0, 1, 2, 3]));
    const bad = new RBMTrainer(rbm, { learningRate: () => Number.NaN });
    expect(() => bad.step(fromArrays(patterns))).toThrow(RangeError);
  });

  it('a sparsity target pulls the mean hidden activation towards it', () => {
    const data = repeated(patterns, 10);
    const meanAct = (target?: number) => {
      const rbm = new RBM(5, 8, { rng: 3, data });
      new RBMTrainer(rbm, { batchSize: 4, learningRate: 0.1, sparsityTarget: target, sparsityCost: 1, rng: 4 }).fit(data, { epochs: 30 });
      const p = rbm.hiddenProbs(data).data;
      return p.reduce((s, x) => s + x, 0) / p.length;
    };
    const free = meanAct();
    const sparse = meanAct(0.05);
    expect(Math.abs(sparse - 0.05)).toBeLessThan(Math.abs(free - 0.05));
    expect(sparse).toBeLessThan(0.15);
  });

  it('the sparsity penalty adds exactly η·cost·(target − q_j) to c_j and η·cost·(target − q_j)·mean(v_i) to W_ij on a first step', () => {
    // On the first step q is the batch's mean hidden probability (no running average yet), and the
    // penalty draws no random numbers, so the two trainers differ by the penalty alone. (The test
    // above passed with the weight term's sign reversed: the bias term alone moves the activation.)
    const batch = fromArrays(patterns.slice(0, 4));
    const make = (target?: number) => {
      const rbm = new RBM(5, 8, { rng: 3, data: batch });
      return { rbm, trainer: new RBMTrainer(rbm, { batchSize: 4, learningRate: 0.1, sparsityTarget: target, sparsityCost: 0.7, rng: 4 }) };
    };
    const a = make(), b = make(0.05);
    const plain = a.trainer, sparse = b.trainer;
    const q = a.rbm.hiddenProbs(batch);
    plain.step(batch);
    sparse.step(batch);
    for (let j = 0; j < 8; j++) {
      let qj = 0;
      for (let r = 0; r < 4; r++) qj += q.data[r * 8 + j] / 4;
      const pull = 0.1 * 0.7 * (0.05 - qj);
      expect(sparse.model.hiddenBias[j] - plain.model.hiddenBias[j]).toBeCloseTo(pull, 12);
      for (let i = 0; i < 5; i++) {
        let vi = 0;
        for (let r = 0; r < 4; r++) vi += batch.data[r * 5 + i] / 4;
        expect(sparse.model.weights.data[i * 8 + j] - plain.model.weights.data[i * 8 + j]).toBeCloseTo(pull * vi, 12);
      }
    }
    expect(Array.from(sparse.model.visibleBias)).toEqual(Array.from(plain.model.visibleBias));
  });

  it('trains a Gaussian–Bernoulli RBM: the exact log-likelihood rises (fixed and learned σ)', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 40; i++) rows.push(i % 2 ? [1.5, -1, 0.2] : [-1.2, 1, -0.3]);
    const data = fromArrays(rows);
    const mean = (x: Float64Array) => x.reduce((s, y) => s + y, 0) / x.length;
    const gains: number[] = [];
    for (const learnSigma of [false, true]) {
      const g = new GaussianRBM(3, 4, { rng: 1, data, learnSigma });
      const l0 = mean(rbmExactLogLikelihood(g, data));
      new RBMTrainer(g, { batchSize: 10, learningRate: 0.01, rng: 2 }).fit(data, { epochs: 100 });
      gains.push(mean(rbmExactLogLikelihood(g, data)) - l0);
      if (learnSigma) expect(g.logSigma.some((x) => x !== 0)).toBe(true);
      else expect(g.logSigma.every((x) => x === 0)).toBe(true);
    }
    expect(gains[0]).toBeGreaterThan(0);
    // Learning σ fits the small variance of the third column: a much larger gain.
    expect(gains[1]).toBeGreaterThan(gains[0] + 0.3);
  });

  it('rejects bad options and batches before any change', () => {
    const rbm = new RBM(5, 3);
    expect(() => new RBMTrainer(rbm, { k: 0 })).toThrow(RangeError);
    expect(() => new RBMTrainer(rbm, { momentum: 1 })).toThrow(RangeError);
    expect(() => new RBMTrainer(rbm, { learningRate: -1 })).toThrow(RangeError);
    expect(() => new RBMTrainer({} as RBM)).toThrow(TypeError);
    const cd = new RBMTrainer(rbm, { batchSize: 2 });
    const before = params(rbm);
    expect(() => cd.step(fromArrays(patterns))).toThrow(ShapeError);
    expect(() => cd.step(fromArrays([[1, 0, 1]]))).toThrow(ShapeError);
    expect(() => cd.fit(fromArrays(patterns), { epochs: 0 })).toThrow(RangeError);
    expect(params(rbm)).toEqual(before);
  });
});

describe('RBMTrainer contract', () => {
  it('fits plain rows, refuses unknown options with the closest key, and splits its generator off the model stream', () => {
    const rows = patterns.map((p) => p.slice());
    const a = new RBM(5, 3, { rng: 6 }), b = new RBM(5, 3, { rng: 6 });
    const ta = new RBMTrainer(a, { batchSize: 2 });
    expect(ta.fit(rows, { epochs: 2 })).toEqual({ history: [], epochs: 2, aborted: false });
    new RBMTrainer(b, { batchSize: 2, rng: new RBM(5, 3, { rng: 6 }).random.split() }).fit(rows, { epochs: 2 });
    expect(params(a)).toEqual(params(b));
    expect(ta.epoch).toBe(2);
    expect(ta.steps).toBe(4);
    expect(() => ta.fit(rows, { epoch: 3 } as never)).toThrow(TypeError);
    expect(() => ta.fit(rows, { epoch: 3 } as never)).toThrow(/epochs/);
    expect(() => new RBMTrainer(a, { persistent: true } as never)).toThrow(TypeError);
    expect(() => new RBMTrainer(a, { method: 'pcd', nChains: 0 })).toThrow(RangeError);
    expect(() => ta.fit(rows, { threads: 1.5 })).toThrow(RangeError);
    expect(ta.epoch).toBe(2);
  });

  it('reports the contract metrics (EpochMetrics) per epoch', () => {
    const rbm = new RBM(5, 3, { rng: 1 });
    const res = new RBMTrainer(rbm, { batchSize: 2, rng: 1 }).fit(patterns.map((p) => p.slice()), { epochs: 2, metrics: true });
    expect(res.history.map((m) => m.epoch)).toEqual([0, 1]);
    for (const m of res.history) {
      expect(m.learningRate).toBe(0.1);
      expect(Number.isFinite(m.reconstructionError)).toBe(true);
      expect(Number.isNaN(m.freeEnergyGap)).toBe(true);
    }
  });
});
