import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aisSchedule, FormatError, fromArrays, pseudoLikelihood, Random, RBM, rbmAIS, rbmExactLogLikelihood, rbmExactLogPartition, RBMTrainer, ShapeError } from '../../src/index.js';
import { arbRBM, bits, bruteLogZ, energyOf, lse, rbmWith } from '../helpers/rbm-brute.js';

/** All 2^n binary rows as a matrix. */
function allStates(n: number) {
  return fromArrays(Array.from({ length: 2 ** n }, (_, a) => bits(a, n)));
}

describe('RBM', () => {
  it('freeEnergy(v) = −log Σ_h exp(−E(v, h)) by enumeration', () => {
    fc.assert(
      fc.property(arbRBM(), (rbm) => {
        const vs = allStates(rbm.nVisible);
        const f = rbm.freeEnergy(vs);
        for (let a = 0; a < vs.rows; a++) {
          const v = bits(a, rbm.nVisible);
          const terms = Array.from({ length: 2 ** rbm.nHidden }, (_, b) => -energyOf(rbm, v, bits(b, rbm.nHidden)));
          expect(f[a]).toBeCloseTo(-lse(terms), 10);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('energy(v, h) matches the definition', () => {
    fc.assert(
      fc.property(arbRBM(), fc.nat(), fc.nat(), (rbm, x, y) => {
        const v = bits(x % 2 ** rbm.nVisible, rbm.nVisible);
        const h = bits(y % 2 ** rbm.nHidden, rbm.nHidden);
        expect(rbm.energy(fromArrays([v]), fromArrays([h]))[0]).toBeCloseTo(energyOf(rbm, v, h), 10);
      }),
      { numRuns: 50 },
    );
  });

  it('hiddenProbs and visibleProbs equal the exact conditionals of the joint distribution', () => {
    fc.assert(
      fc.property(arbRBM(4, 4), (rbm) => {
        const nV = rbm.nVisible, nH = rbm.nHidden;
        // P(h_j = 1 | v) from the joint: Σ_{h: h_j=1} e^{−E} / Σ_h e^{−E}
        for (let a = 0; a < 2 ** nV; a++) {
          const v = bits(a, nV);
          const logw = Array.from({ length: 2 ** nH }, (_, b) => -energyOf(rbm, v, bits(b, nH)));
          const z = lse(logw);
          const p = rbm.hiddenProbs(fromArrays([v])).data;
          for (let j = 0; j < nH; j++) {
            const on = logw.filter((_, b) => ((b >> j) & 1) === 1);
            expect(p[j]).toBeCloseTo(Math.exp(lse(on) - z), 10);
          }
        }
        for (let b = 0; b < 2 ** nH; b++) {
          const h = bits(b, nH);
          const logw = Array.from({ length: 2 ** nV }, (_, a) => -energyOf(rbm, bits(a, nV), h));
          const z = lse(logw);
          const p = rbm.visibleProbs(fromArrays([h])).data;
          for (let i = 0; i < nV; i++) {
            const on = logw.filter((_, a) => ((a >> i) & 1) === 1);
            expect(p[i]).toBeCloseTo(Math.exp(lse(on) - z), 10);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('never modifies its inputs', () => {
    const rbm = new RBM(5, 3, { rng: 1, weightStd: 1 });
    const v = fromArrays([[1, 0, 1, 1, 0], [0, 0, 1, 0, 1]]);
    const h = fromArrays([[1, 0, 1], [0, 1, 1]]);
    const v0 = v.data.slice(), h0 = h.data.slice();
    rbm.hiddenProbs(v); rbm.transform(v); rbm.sampleHidden(v, 1); rbm.freeEnergy(v); rbm.energy(v, h);
    rbm.visibleProbs(h); rbm.sampleVisible(h, 2); rbm.gibbs(v, 3, 3); rbm.reconstruct(v);
    rbm.inpaint(v, Uint8Array.of(1, 1, 0, 0, 0), 3, 4);
    expect(v.data).toEqual(v0);
    expect(h.data).toEqual(h0);
  });

  it('initialises from a seed: small Gaussian weights, logit visible biases, zero hidden biases', () => {
    const data = fromArrays([[1, 0, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0]]);
    const a = new RBM(3, 400, { rng: 9, data });
    const b = new RBM(3, 400, { rng: 9, data });
    expect(a.weights.data).toEqual(b.weights.data);
    let s = 0, s2 = 0;
    for (const w of a.weights.data) { s += w; s2 += w * w; }
    const n = a.weights.data.length;
    // std estimate of 1200 N(0, 0.01²) draws: relative error ≈ 1/√(2n) ≈ 2%, allow 10%
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeGreaterThan(0.009);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeLessThan(0.011);
    expect(a.visibleBias[0]).toBeCloseTo(Math.log(0.999 / 0.001), 10); // p = 1 clipped
    expect(a.visibleBias[1]).toBeCloseTo(Math.log(0.25 / 0.75), 10);
    expect(a.visibleBias[2]).toBeCloseTo(0, 12);
    expect(a.hiddenBias.every((x) => x === 0)).toBe(true);
  });

  it('Gibbs chains sample the exact distribution P(v) (fixed seed)', () => {
    const rbm = rbmWith(3, 2, [1.5, -1, -1.2, 0.8, 0.5, 1.1], [-0.5, 0.3, 0.2], [0.4, -0.6]);
    const logZ = bruteLogZ(rbm);
    const N = 4000;
    const start = fromArrays(Array.from({ length: N }, () => [0, 0, 0]));
    const out = rbm.gibbs(start, 60, new Random(11));
    const counts = new Array(8).fill(0);
    for (let r = 0; r < N; r++) counts[out.data[r * 3] + 2 * out.data[r * 3 + 1] + 4 * out.data[r * 3 + 2]]++;
    const f = rbm.freeEnergy(allStates(3));
    for (let a = 0; a < 8; a++) {
      const p = Math.exp(-f[a] - logZ);
      // N independent chains: count ~ Binomial(N, p) once mixed; 5 standard deviations.
      expect(Math.abs(counts[a] / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-3);
    }
  });

  it('clamped Gibbs keeps clamped units and samples the conditional of the rest', () => {
    const rbm = rbmWith(3, 2, [1.5, -1, -1.2, 0.8, 0.5, 1.1], [-0.5, 0.3, 0.2], [0.4, -0.6]);
    const N = 4000;
    const start = fromArrays(Array.from({ length: N }, () => [1, 0, 0]));
    const out = rbm.gibbs(start, 40, 5, { clamp: Uint8Array.of(1, 0, 0) });
    const f = rbm.freeEnergy(allStates(3));
    // P(v2, v3 | v1 = 1) ∝ exp(−F(v)) over states with bit 0 set
    const idx = [1, 3, 5, 7];
    const z = lse(idx.map((a) => -f[a]));
    const counts = new Map<number, number>();
    for (let r = 0; r < N; r++) {
      expect(out.data[r * 3]).toBe(1);
      const a = 1 + 2 * out.data[r * 3 + 1] + 4 * out.data[r * 3 + 2];
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    for (const a of idx) {
      const p = Math.exp(-f[a] - z);
      expect(Math.abs((counts.get(a) ?? 0) / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-3);
    }
  });

  it('sampleHidden draws with the hidden probabilities (fixed seed)', () => {
    const rbm = new RBM(4, 3, { rng: 2, weightStd: 1 });
    const N = 5000;
    const v = fromArrays(Array.from({ length: N }, () => [1, 0, 1, 1]));
    const s = rbm.sampleHidden(v, 3);
    const p = rbm.hiddenProbs(fromArrays([[1, 0, 1, 1]])).data;
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let r = 0; r < N; r++) m += s.data[r * 3 + j] / N;
      expect(Math.abs(m - p[j])).toBeLessThan(5 * Math.sqrt((p[j] * (1 - p[j])) / N));
    }
  });

  it('same seed, same samples', () => {
    const rbm = new RBM(6, 4, { rng: 3, weightStd: 0.5 });
    const v = fromArrays([[1, 0, 1, 0, 1, 0]]);
    expect(rbm.gibbs(v, 5, 42).data).toEqual(rbm.gibbs(v, 5, 42).data);
  });

  it('rejects bad arguments before doing anything', () => {
    expect(() => new RBM(0, 3)).toThrow(RangeError);
    expect(() => new RBM(3, 1.5)).toThrow(/nHidden/);
    expect(() => new RBM(3, 2, { weightStd: -1 })).toThrow(/weightStd/);
    const rbm = new RBM(3, 2);
    expect(() => rbm.hiddenProbs(fromArrays([[1, 0]]))).toThrow(ShapeError);
    expect(() => rbm.hiddenProbs(fromArrays([[1, Number.NaN, 0]]))).toThrow(/v must contain only values in \[0, 1\] \(got NaN/);
    expect(() => rbm.energy(fromArrays([[1, 0, 0]]), fromArrays([[1, 0], [0, 1]]))).toThrow(ShapeError);
    expect(() => rbm.gibbs(fromArrays([[1, 0, 0]]), -1, 1)).toThrow(RangeError);
    expect(() => rbm.gibbs(fromArrays([[1, 0, 0]]), 1, 1, { clamp: Uint8Array.of(1) })).toThrow(ShapeError);
    const v = fromArrays([[1, 0, 1]]);
    expect(() => rbm.hiddenProbs(v, v)).toThrow(ShapeError);
  });

  it('round-trips through its JSON document exactly, and rejects malformed documents', () => {
    const rbm = new RBM(4, 3, { rng: 5, weightStd: 0.3 });
    rbm.hiddenBias[1] = 0.1 + 0.2;
    const json = JSON.stringify(rbm.toDocument());
    const back = RBM.fromDocument(JSON.parse(json));
    expect(back.weights.data).toEqual(rbm.weights.data);
    expect(back.visibleBias).toEqual(rbm.visibleBias);
    expect(back.hiddenBias).toEqual(rbm.hiddenBias);
    expect(JSON.stringify(back.toDocument())).toBe(json);
    const bad = JSON.parse(json);
    bad.tensors.weights.shape = [3, 4];
    expect(() => RBM.fromDocument(bad)).toThrow(FormatError);
    expect(() => RBM.fromDocument({ ...JSON.parse(json), kind: 'dbn' })).toThrow(FormatError);
    expect(() => RBM.fromDocument({ ...JSON.parse(json), config: { nVisible: -1, nHidden: 3 } })).toThrow(FormatError);
  });
});

describe('RBM model contract', () => {
  const data = [[1, 1, 0, 0, 1], [0, 0, 1, 1, 0], [1, 0, 1, 0, 1], [0, 1, 0, 1, 0]];
  const params = (m: RBM) => m.parameterArrays().map((p) => Array.from(p));

  it('fits from number[][] (PCD by default) and raises the exact log-likelihood', () => {
    const rbm = new RBM(5, 4, { rng: 4, data });
    const before = rbm.score(data).mean;
    const res = rbm.fit(data, { epochs: 600, learningRate: 0.2, momentum: 0.5, batchSize: 4, nChains: 50 });
    expect(res).toEqual({ history: [], epochs: 600, aborted: false });
    expect(rbm.score(data).mean).toBeGreaterThan(before + 0.8);
  });

  it('fit is the trainer behind it: same numbers as RBMTrainer with the same options and generator', () => {
    const a = new RBM(5, 4, { rng: 2 });
    const b = new RBM(5, 4, { rng: 2 });
    a.fit(data, { method: 'cd', k: 2, batchSize: 3, momentum: 0.5, epochs: 4, rng: 9 });
    new RBMTrainer(b, { method: 'cd', k: 2, batchSize: 3, momentum: 0.5, rng: 9 }).fit(fromArrays(data), { epochs: 4 });
    expect(params(a)).toEqual(params(b));
  });

  it('the same construction seed gives the same fit; the trainer generator comes from the model stream', () => {
    const run = (seed: number) => {
      const rbm = new RBM(5, 4, { rng: seed });
      rbm.fit(data, { epochs: 3, batchSize: 2 });
      return params(rbm);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('partialFit continues the kept trainer (momentum, chains, generator) across calls', () => {
    const opts = { method: 'pcd' as const, nChains: 6, momentum: 0.7, batchSize: 3, rng: 11 };
    const straight = new RBM(5, 4, { rng: 1 });
    straight.fit(data, { ...opts, epochs: 3 });
    const stepped = new RBM(5, 4, { rng: 1 });
    for (let i = 0; i < 3; i++) expect(stepped.partialFit(data, opts).epochs).toBe(1);
    expect(params(stepped)).toEqual(params(straight));
    // a later call without options continues too; a changed hyperparameter starts a new trainer
    const cont = new RBM(5, 4, { rng: 1 });
    cont.partialFit(data, opts);
    cont.partialFit(data);
    cont.partialFit(data, { batchSize: 3 });
    expect(params(cont)).toEqual(params(straight));
    const restarted = new RBM(5, 4, { rng: 1 });
    restarted.partialFit(data, opts);
    restarted.partialFit(data, { ...opts, momentum: 0.5 });
    restarted.partialFit(data, { ...opts, momentum: 0.5 });
    expect(params(restarted)).not.toEqual(params(straight));
  });

  it('partialFit after a recipe fit (rate decayed to 0) starts a plain PCD trainer, as on a fresh model', () => {
    const rbm = new RBM(5, 4, { rng: 1 });
    rbm.fit(data, { epochs: 2 });
    const recipe = rbm.lastTrainer!;
    expect(recipe.currentLearningRate()).toBe(0); // the schedule has run out
    const before = params(rbm);
    rbm.partialFit(data);
    expect(rbm.lastTrainer).not.toBe(recipe);
    expect(rbm.lastTrainer!.currentLearningRate()).toBe(new RBMTrainer(new RBM(5, 4), {}).currentLearningRate());
    expect(params(rbm)).not.toEqual(before);
    // and that trainer is kept from then on
    const kept = rbm.lastTrainer;
    rbm.partialFit(data);
    expect(rbm.lastTrainer).toBe(kept);
    // a fit with a constant rate is continued, as before
    const plain = new RBM(5, 4, { rng: 1 });
    plain.fit(data, { epochs: 1, method: 'pcd' });
    const t = plain.lastTrainer;
    plain.partialFit(data);
    expect(plain.lastTrainer).toBe(t);
  });

  it('sample: two calls give different draws, the same construction seed the same sequence', () => {
    const make = () => new RBM(6, 4, { rng: 3, weightStd: 1 });
    const a = make(), b = make();
    const a1 = a.sample(20, { steps: 10 }), a2 = a.sample(20, { steps: 10 });
    expect(a1.rows).toBe(20);
    expect(a1.cols).toBe(6);
    expect(a1.data.every((x) => x === 0 || x === 1)).toBe(true);
    expect(Array.from(a1.data)).not.toEqual(Array.from(a2.data));
    expect(Array.from(b.sample(20, { steps: 10 }).data)).toEqual(Array.from(a1.data));
    expect(Array.from(b.sample(20, { steps: 10 }).data)).toEqual(Array.from(a2.data));
    // an explicit rng overrides the stream and leaves it untouched
    const c = make();
    expect(Array.from(c.sample(5, { steps: 3, rng: 7 }).data)).toEqual(Array.from(make().sample(5, { steps: 3, rng: 7 }).data));
    expect(Array.from(c.sample(20, { steps: 10 }).data)).toEqual(Array.from(a1.data));
    // gibbs without rng continues the stream as well
    expect(Array.from(c.gibbs(data.map((r) => r.concat([0])), 3).data)).not.toEqual(Array.from(c.gibbs(data.map((r) => r.concat([0])), 3).data));
  });

  it('sample draws P(v) (default start, fixed seed) and the conditional with init + clamp', () => {
    const rbm = rbmWith(3, 2, [1.5, -1, -1.2, 0.8, 0.5, 1.1], [-0.5, 0.3, 0.2], [0.4, -0.6]);
    const N = 4000;
    const f = rbm.freeEnergy(allStates(3));
    const logZ = bruteLogZ(rbm);
    const counts = new Array(8).fill(0);
    const out = rbm.sample(N, { steps: 30 });
    for (let r = 0; r < N; r++) counts[out.data[r * 3] + 2 * out.data[r * 3 + 1] + 4 * out.data[r * 3 + 2]]++;
    for (let a = 0; a < 8; a++) {
      const p = Math.exp(-f[a] - logZ);
      expect(Math.abs(counts[a] / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-3);
    }
    const cond = rbm.sample(N, { init: [[1, 0, 0]], clamp: Uint8Array.of(1, 0, 0), steps: 30 });
    const idx = [1, 3, 5, 7];
    const z = lse(idx.map((a) => -f[a]));
    const c2 = new Map<number, number>();
    for (let r = 0; r < N; r++) {
      expect(cond.data[r * 3]).toBe(1);
      const a = 1 + 2 * cond.data[r * 3 + 1] + 4 * cond.data[r * 3 + 2];
      c2.set(a, (c2.get(a) ?? 0) + 1);
    }
    for (const a of idx) {
      const p = Math.exp(-f[a] - z);
      expect(Math.abs((c2.get(a) ?? 0) / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-3);
    }
  });

  it("score 'exact' is the mean of the exact log-likelihoods; scoreSamples the per-row values", () => {
    const rbm = new RBM(5, 3, { rng: 6, weightStd: 1 });
    const ll = rbmExactLogLikelihood(rbm, fromArrays(data));
    const mean = ll.reduce((s, x) => s + x, 0) / ll.length;
    const s = rbm.score(data);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.lower).toBe(s.mean);
    expect(s.upper).toBe(s.mean);
    expect(s.logZ).toBeCloseTo(rbmExactLogPartition(rbm), 12);
    expect(rbm.score(data, { method: 'exact' })).toEqual(s);
    expect(Array.from(rbm.scoreSamples(data))).toEqual(Array.from(ll));
    const pl = rbm.score(data, { method: 'pseudo' });
    expect(pl.method).toBe('pseudo');
    const plRows = pseudoLikelihood(rbm, fromArrays(data), { exact: true });
    expect(pl.mean).toBeCloseTo(plRows.reduce((a, x) => a + x, 0) / plRows.length, 12);
    expect(() => rbm.score(data, { method: 'bound' })).toThrow(RangeError);
  });

  it("score 'ais' brackets the exact value with its ±3σ interval on log Z", () => {
    const rbm = new RBM(12, 10, { rng: 2, weightStd: 0.5 });
    const d = Array.from({ length: 30 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 5 < 2 ? 1 : 0)));
    const exact = rbm.score(d).mean;
    const s = rbm.score(d, { method: 'ais', aisRuns: 50, aisBetas: 2000, rng: 4 });
    expect(s.method).toBe('ais');
    expect(Math.abs(s.mean - exact)).toBeLessThan(0.1);
    expect(s.lower).toBeLessThanOrEqual(s.mean);
    expect(s.upper).toBeGreaterThanOrEqual(s.mean);
    // the same AIS run by hand: base-rate model from the scored data, 2000 βs in S&M's proportions
    const ais = rbmAIS(rbm, { base: d, betas: aisSchedule(69, 552, 1379), runs: 50, rng: 4 });
    expect(s.logZ).toBe(ais.logZ);
    expect(s.lower).toBeCloseTo(s.mean - (ais.logZUpper - ais.logZ), 12);
    expect(s.upper).toBeCloseTo(s.mean + (ais.logZ - ais.logZLower), 12);
    expect(s.ess).toBeGreaterThanOrEqual(1);
    expect(s.ess).toBeLessThanOrEqual(50);
    const rows = rbm.scoreSamples(d, { method: 'ais', aisRuns: 50, aisBetas: 2000, rng: 4 });
    expect(rows.reduce((a, x) => a + x, 0) / rows.length).toBeCloseTo(s.mean, 10);
    // large models default to AIS; without rng AIS continues the model's stream
    const big = new RBM(30, 30, { rng: 1 });
    const one = [Array.from({ length: 30 }, (_, j) => j % 2)];
    const r1 = big.score(one, { aisRuns: 5, aisBetas: 60 });
    expect(r1.method).toBe('ais');
    expect(big.score(one, { aisRuns: 5, aisBetas: 60 }).logZ).not.toBe(r1.logZ);
  });

  it('refuses unknown options with the closest key, and bad input before any change', () => {
    const rbm = new RBM(5, 3, { rng: 1 });
    const state = JSON.stringify(rbm.random.getState());
    const before = params(rbm);
    const bad = { epoch: 5 } as never;
    expect(() => rbm.fit(data, bad)).toThrow(TypeError);
    expect(() => rbm.fit(data, bad)).toThrow(/epochs/);
    expect(() => rbm.partialFit(data, { epochs: 2 } as never)).toThrow(TypeError);
    expect(() => rbm.fit(data, { epochs: 0 })).toThrow(RangeError);
    expect(() => rbm.fit(data, { k: 0 })).toThrow(RangeError);
    expect(() => rbm.fit(data, { method: 'pcdd' as never })).toThrow(RangeError);
    expect(() => rbm.fit(data, { threads: 0 })).toThrow(RangeError);
    expect(() => rbm.fit([[1, 0, 1]])).toThrow(ShapeError);
    expect(() => rbm.fit([[1, 0, 1, 0, 2]])).toThrow(RangeError);
    expect(() => rbm.fit([[1, 0, 1, 0, 1], [1, 0]])).toThrow(/row 1/);
    expect(() => rbm.sample(2, { step: 3 } as never)).toThrow(/steps/);
    expect(() => rbm.sample(0)).toThrow(RangeError);
    expect(() => rbm.sample(2, { clamp: Uint8Array.of(1, 0, 0, 0, 0) })).toThrow(/init/);
    expect(() => rbm.score(data, { methd: 'exact' } as never)).toThrow(/method/);
    expect(() => new RBM(5, 3, { learning_rate: 0.1 } as never)).toThrow(TypeError);
    expect(() => new RBMTrainer(rbm, { learning_rate: 0.1 } as never)).toThrow(/learningRate/);
    expect(() => rbm.gibbs(data, 1, 1, { clamps: Uint8Array.of(1) } as never)).toThrow(/clamp/);
    expect(JSON.stringify(rbm.random.getState())).toBe(state);
    expect(params(rbm)).toEqual(before);
  });

  it('accepts every DataInput form; transform, clone and the document keep the numbers', () => {
    const rbm = new RBM(5, 3, { rng: 8, weightStd: 0.5, data });
    const flat = Float64Array.from(data.flat());
    const m = fromArrays(data);
    const h = rbm.transform(data);
    expect(Array.from(rbm.transform({ data: flat, shape: [4, 5] }).data)).toEqual(Array.from(h.data));
    expect(Array.from(rbm.transform({ rows: 4, cols: 5, data: Uint8Array.from(data.flat()) }).data)).toEqual(Array.from(h.data));
    expect(Array.from(rbm.hiddenProbs(m).data)).toEqual(Array.from(h.data));
    const back = RBM.fromDocument(JSON.parse(JSON.stringify(rbm.toDocument())));
    expect(back.score(data)).toEqual(rbm.score(data));
    const c = rbm.clone();
    expect(Array.from(c.sample(3, { steps: 5 }).data)).toEqual(Array.from(rbm.sample(3, { steps: 5 }).data));
    expect(rbm.kind).toBe('rbm');
  });
});
