import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, fromArrays, GaussianRBM, Random, rbmExactLogLikelihood } from '../../src/index.js';
import { bits, lse } from '../helpers/rbm-brute.js';

const p = fc.double({ min: -2, max: 2, noNaN: true });
const arbGRBM = fc
  .record({ nV: fc.integer({ min: 1, max: 4 }), nH: fc.integer({ min: 1, max: 4 }) })
  .chain(({ nV, nH }) =>
    fc.record({
      nV: fc.constant(nV),
      nH: fc.constant(nH),
      w: fc.array(p, { minLength: nV * nH, maxLength: nV * nH }),
      b: fc.array(p, { minLength: nV, maxLength: nV }),
      c: fc.array(p, { minLength: nH, maxLength: nH }),
      ls: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: nV, maxLength: nV }),
      v: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: nV, maxLength: nV }),
    }),
  )
  .map(({ nV, nH, w, b, c, ls, v }) => {
    const g = new GaussianRBM(nV, nH, { learnSigma: true });
    g.weights.data.set(w);
    g.visibleBias.set(b);
    g.hiddenBias.set(c);
    g.logSigma.set(ls);
    g.syncSigma();
    return { g, v };
  });

describe('GaussianRBM', () => {
  it('freeEnergy(v) = −log Σ_h exp(−E(v, h)) and P(h_j = 1 | v) matches the joint', () => {
    fc.assert(
      fc.property(arbGRBM, ({ g, v }) => {
        const nH = g.nHidden;
        const logw = Array.from({ length: 2 ** nH }, (_, b) => -g.energy(fromArrays([v]), fromArrays([bits(b, nH)]))[0]);
        expect(g.freeEnergy(fromArrays([v]))[0]).toBeCloseTo(-lse(logw), 9);
        const ph = g.hiddenProbs(fromArrays([v])).data;
        for (let j = 0; j < nH; j++) {
          expect(ph[j]).toBeCloseTo(Math.exp(lse(logw.filter((_, b) => ((b >> j) & 1) === 1)) - lse(logw)), 9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('the log σ statistic is ∂(−E)/∂log σ (finite differences of the energy)', () => {
    fc.assert(
      fc.property(arbGRBM, ({ g, v }) => {
        const h = bits(1, g.nHidden);
        const grads = g.parameterArrays().map((a) => new Float64Array(a.length));
        g.accumulateStatistics(grads, 1, Float64Array.from(v), Float64Array.from(h), 1);
        const eps = 1e-6;
        for (let i = 0; i < g.nVisible; i++) {
          const x = g.logSigma[i];
          g.logSigma[i] = x + eps; g.syncSigma();
          const up = -g.energy(fromArrays([v]), fromArrays([h]))[0];
          g.logSigma[i] = x - eps; g.syncSigma();
          const down = -g.energy(fromArrays([v]), fromArrays([h]))[0];
          g.logSigma[i] = x; g.syncSigma();
          expect(grads[3][i]).toBeCloseTo((up - down) / (2 * eps), 4);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('sampleVisible draws N(b + σ ⊙ W h, σ²) (fixed seed)', () => {
    const g = new GaussianRBM(2, 2, { rng: 1, weightStd: 1, sigma: Float64Array.of(0.5, 2) });
    g.visibleBias.set([1, -1]);
    const N = 20000;
    const h = fromArrays(Array.from({ length: N }, () => [1, 0]));
    const s = g.sampleVisible(h, new Random(2));
    const mean = g.visibleMean(fromArrays([[1, 0]])).data;
    const sig = [0.5, 2];
    for (let i = 0; i < 2; i++) {
      let m = 0, m2 = 0;
      for (let r = 0; r < N; r++) { m += s.data[r * 2 + i] / N; m2 += s.data[r * 2 + i] ** 2 / N; }
      // mean: std σ/√N; variance: relative std √(2/N) ≈ 1%, allow 5σ
      expect(Math.abs(m - mean[i])).toBeLessThan((5 * sig[i]) / Math.sqrt(N));
      expect(Math.abs((m2 - m * m) / sig[i] ** 2 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    }
  });

  it('the visible mean at σ ≠ 1 is b + σ ⊙ (W h), by hand and as the Gibbs marginal (issue #15)', () => {
    // W = [[1, −2], [0.5, 3]] (nVisible × nHidden), b = (1, −1), σ = (0.5, 2).
    const g = new GaussianRBM(2, 2, { sigma: Float64Array.of(0.5, 2) });
    g.weights.data.set([1, -2, 0.5, 3]);
    g.visibleBias.set([1, -1]);
    g.hiddenBias.set([0.3, -0.4]);
    // by hand: h = (1, 1): Wh = (−1, 3.5), mean = (1 − 0.5, −1 + 7) = (0.5, 6); h = (0, 1): Wh = (−2, 3), mean = (0, 5)
    // (σ² ⊙ Wh would give (0.75, 13) and (0.5, 11))
    const m = g.visibleMean([[1, 1], [0, 1], [0, 0]]).data;
    expect(Array.from(m)).toEqual([0.5, 6, 0, 5, 1, -1]);
    // sampleVisible against the hand-computed mean, not against visibleMean
    const N = 20_000;
    const s = g.sampleVisible(fromArrays(Array.from({ length: N }, () => [1, 1])), new Random(4));
    const want = [0.5, 6], sig = [0.5, 2];
    for (let i = 0; i < 2; i++) {
      let mean = 0;
      for (let r = 0; r < N; r++) mean += s.data[r * 2 + i] / N;
      expect(Math.abs(mean - want[i])).toBeLessThan((5 * sig[i]) / Math.sqrt(N));
    }
    // Gibbs sampling (sample) against the exact marginal mean: integrating v out,
    // log P(h) = c·h + Σ_i (b_i a_i/σ_i + a_i²/2) with a = W h, and E[v] = Σ_h P(h) (b + σ ⊙ a).
    const w = [1, -2, 0.5, 3], b = [1, -1], c = [0.3, -0.4];
    const logp: number[] = [], means: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const h = [k & 1, (k >> 1) & 1];
      let lp = c[0] * h[0] + c[1] * h[1];
      const mu: number[] = [];
      for (let i = 0; i < 2; i++) {
        const a = w[i * 2] * h[0] + w[i * 2 + 1] * h[1];
        lp += (b[i] * a) / sig[i] + (a * a) / 2;
        mu.push(b[i] + sig[i] * a);
      }
      logp.push(lp);
      means.push(mu);
    }
    const z = lse(logp);
    const exact = [0, 1].map((i) => means.reduce((acc, mu, k) => acc + Math.exp(logp[k] - z) * mu[i], 0));
    const n = 4000;
    const draws = g.sample(n, { steps: 30, rng: 9 });
    for (let i = 0; i < 2; i++) {
      let mean = 0, sq = 0;
      for (let r = 0; r < n; r++) { mean += draws.data[r * 2 + i] / n; sq += draws.data[r * 2 + i] ** 2 / n; }
      const se = Math.sqrt((sq - mean * mean) / n); // independent chains
      expect(Math.abs(mean - exact[i])).toBeLessThan(5 * se);
    }
  });

  it('initialises visible biases to the data means, σ = 1 by default; round-trips through JSON', () => {
    const data = fromArrays([[1, 2], [3, -2]]);
    const g = new GaussianRBM(2, 3, { rng: 3, data });
    expect(Array.from(g.visibleBias)).toEqual([2, 0]);
    expect(Array.from(g.visibleSigma())).toEqual([1, 1]);
    const copy = data.data.slice();
    g.transform(data); g.reconstruct(data); g.gibbs(data, 2, 1); g.freeEnergy(data);
    expect(data.data).toEqual(copy);
    const back = GaussianRBM.fromDocument(JSON.parse(JSON.stringify(g.toDocument())));
    expect(back.weights.data).toEqual(g.weights.data);
    expect(back.logSigma).toEqual(g.logSigma);
    expect(() => GaussianRBM.fromDocument({ ...g.toDocument(), kind: 'rbm' })).toThrow(FormatError);
    expect(() => new GaussianRBM(2, 2, { sigma: 0 })).toThrow(RangeError);
  });

  it("config.learnSigma: true/false round-trip, absent is false, anything else is a FormatError (it loaded as false: a learned σ stopped being learned)", () => {
    for (const learnSigma of [true, false]) {
      const g = new GaussianRBM(2, 3, { rng: 3, learnSigma });
      expect(GaussianRBM.fromDocument(JSON.parse(JSON.stringify(g.toDocument()))).learnSigma).toBe(learnSigma);
    }
    const doc = (): { config: Record<string, unknown> } => JSON.parse(JSON.stringify(new GaussianRBM(2, 3, { rng: 3, learnSigma: true }).toDocument()));
    const d = doc();
    delete d.config.learnSigma;
    expect(GaussianRBM.fromDocument(d).learnSigma).toBe(false);
    for (const bad of ['true', 1, null, {}]) {
      const e = doc();
      e.config.learnSigma = bad;
      expect(() => GaussianRBM.fromDocument(e)).toThrow(/^load gaussian-rbm: config\.learnSigma must be true or false/);
      expect(() => GaussianRBM.fromDocument(e)).toThrow(FormatError);
    }
  });
});

describe('GaussianRBM model contract', () => {
  const rows: number[][] = [];
  for (let i = 0; i < 40; i++) rows.push(i % 2 ? [1.5, -1, 0.2] : [-1.2, 1, -0.3]);

  it('fits from number[][], scores exactly (hidden layer enumerated, visible units integrated)', () => {
    const g = new GaussianRBM(3, 4, { rng: 1, data: rows, learnSigma: true });
    const before = g.score(rows);
    expect(before.method).toBe('exact');
    const ll = rbmExactLogLikelihood(g, fromArrays(rows));
    expect(before.mean).toBeCloseTo(ll.reduce((s, x) => s + x, 0) / ll.length, 12);
    expect(Array.from(g.scoreSamples(rows))).toEqual(Array.from(ll));
    const res = g.fit(rows, { method: 'cd', epochs: 100, batchSize: 10, learningRate: 0.01 });
    expect(res.epochs).toBe(100);
    expect(g.score(rows).mean).toBeGreaterThan(before.mean);
    expect(g.partialFit(rows).epochs).toBe(1);
  });

  it("refuses 'ais' and 'pseudo' (binary visible units only) and an exact score beyond the limit", () => {
    const g = new GaussianRBM(3, 4, { rng: 1 });
    expect(() => g.score(rows, { method: 'ais' })).toThrow(RangeError);
    expect(() => g.score(rows, { method: 'pseudo' })).toThrow(RangeError);
    expect(() => new GaussianRBM(2, 30).score([[0, 0]])).toThrow(/nHidden = 30/);
  });

  it('sample continues the stream: different draws per call, same sequence per seed', () => {
    const a = new GaussianRBM(2, 3, { rng: 4, weightStd: 1 });
    const b = new GaussianRBM(2, 3, { rng: 4, weightStd: 1 });
    const a1 = a.sample(10, { steps: 5 });
    expect(Array.from(a1.data)).not.toEqual(Array.from(a.sample(10, { steps: 5 }).data));
    expect(Array.from(b.sample(10, { steps: 5 }).data)).toEqual(Array.from(a1.data));
    expect(() => a.sample(1, { steps: 5, init: [[0, 0]], clamp: Uint8Array.of(1, 0), meanfield: true } as never)).toThrow(/meanField/);
    expect(() => new GaussianRBM(2, 3, { sigmas: 2 } as never)).toThrow(/sigma/);
    expect(() => a.fit(rows.map((r) => r.slice(0, 2)), { epoch: 3 } as never)).toThrow(/epochs/);
  });
});
