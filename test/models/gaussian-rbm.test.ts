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
