import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArrays, GaussianRBM, pseudoLikelihood, Random, RBM, rbmExactLogLikelihood } from '../../src/index.js';
import { arbRBM, bits, lse } from '../helpers/rbm-brute.js';

describe('pseudoLikelihood', () => {
  it('exact option = Σ_i log P(v_i | v_−i) from the exact joint distribution', () => {
    fc.assert(
      fc.property(arbRBM(5, 4), fc.nat(), (rbm, x) => {
        const nV = rbm.nVisible;
        const a = x % 2 ** nV;
        const v = bits(a, nV);
        const all = fromArrays(Array.from({ length: 2 ** nV }, (_, s) => bits(s, nV)));
        const logp = rbmExactLogLikelihood(rbm, all);
        let ref = 0;
        for (let i = 0; i < nV; i++) ref += logp[a] - lse([logp[a], logp[a ^ (1 << i)]]);
        expect(pseudoLikelihood(rbm, fromArrays([v]), { exact: true })[0]).toBeCloseTo(ref, 9);
      }),
      { numRuns: 40 },
    );
  });

  it('exact option at MNIST size (the SIMD softplus sums) = the free-energy differences term by term', () => {
    const nV = 784, nH = 100;
    const rbm = new RBM(nV, nH, { rng: 4, weightStd: 0.3 });
    const r = new Random(5);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: nV }, () => (r.float64() < 0.15 ? 1 : 0)));
    const pl = pseudoLikelihood(rbm, fromArrays(rows), { exact: true });
    for (let row = 0; row < rows.length; row++) {
      const v = rows[row] as number[];
      const flips = Array.from({ length: nV }, (_, i) => v.map((x, k) => (k === i ? 1 - x : x)));
      const f = rbm.freeEnergy(fromArrays([v, ...flips]));
      let ref = 0;
      for (let i = 1; i <= nV; i++) ref += -Math.log1p(Math.exp(-((f[i] as number) - (f[0] as number))));
      expect(Math.abs((pl[row] as number) - ref)).toBeLessThan(1e-9 * Math.abs(ref));
    }
  });

  it('the default is scikit-learn’s estimator: D · log σ(F(ṽ) − F(v)) with one random flipped unit', () => {
    const rbm = new RBM(6, 4, { rng: 1, weightStd: 1 });
    const data = fromArrays([[1, 0, 1, 1, 0, 0], [0, 0.5, 1, 0, 0.25, 1]]);
    const pl = pseudoLikelihood(rbm, data, { rng: 7 });
    const r = new Random(7);
    for (let row = 0; row < 2; row++) {
      const v = Array.from(data.data.subarray(row * 6, row * 6 + 6));
      const i = r.int(6);
      const flipped = v.slice();
      flipped[i] = 1 - flipped[i];
      const f = rbm.freeEnergy(fromArrays([v, flipped]));
      expect(pl[row]).toBeCloseTo(-6 * Math.log1p(Math.exp(-(f[1] - f[0]))), 10);
    }
    // its mean over many draws of the flipped unit is the exact pseudo-likelihood
    const v = fromArrays(Array.from({ length: 6000 }, () => [1, 0, 1, 1, 0, 0]));
    const est = pseudoLikelihood(rbm, v, { rng: 3 });
    const exact = pseudoLikelihood(rbm, fromArrays([[1, 0, 1, 1, 0, 0]]), { exact: true })[0];
    let m = 0, m2 = 0;
    for (const e of est) { m += e / est.length; m2 += (e * e) / est.length; }
    const se = Math.sqrt((m2 - m * m) / est.length);
    expect(Math.abs(m - exact)).toBeLessThan(5 * se);
  });

  it('needs binary visible units and does not modify the data', () => {
    expect(() => pseudoLikelihood(new GaussianRBM(2, 2), fromArrays([[1, 0]]))).toThrow(TypeError);
    const data = fromArrays([[1, 0, 1]]);
    const copy = data.data.slice();
    pseudoLikelihood(new RBM(3, 2), data);
    pseudoLikelihood(new RBM(3, 2), data, { exact: true });
    expect(data.data).toEqual(copy);
    expect(() => pseudoLikelihood(new RBM(3, 2), data, { exakt: true } as never)).toThrow(/exact/);
  });

  it('without rng, the estimator continues the model stream; plain rows are accepted', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [i % 2, (i >> 1) % 2, 1, 0, (i >> 2) % 2, 1]);
    const a = new RBM(6, 4, { rng: 2, weightStd: 1 }), b = new RBM(6, 4, { rng: 2, weightStd: 1 });
    const a1 = pseudoLikelihood(a, rows);
    expect(Array.from(pseudoLikelihood(a, rows))).not.toEqual(Array.from(a1));
    expect(Array.from(pseudoLikelihood(b, rows))).toEqual(Array.from(a1));
  });
});
