import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, fromArrays, Random, RBM, ShapeError } from '../../src/index.js';
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
