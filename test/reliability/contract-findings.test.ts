/**
 * A reviewer's probe of the model contract (2026-12-05) found these, each reproduced before the fix:
 * - `DBM.fit` and `DBN.fit` refused a bad learning-rate schedule only when the joint trainer or
 *   a higher layer first read it, after pretraining or the lower layers had changed the model;
 * - `IsingModel` took J = 1e308 and got T = ∞ (its default T_c·|J| overflowed): unsavable;
 * - extreme but finite parameters gave NaN or −∞ scores (Ising exact, RBM pseudo-likelihood,
 *   DBN exact, the modern Hopfield network's stored patterns) instead of a typed error;
 * - an already-aborted signal stored the patterns anyway (graded, dense and modern Hopfield
 *   networks) or took a Newton step and said "aborted" (GaussianEnergy);
 * - `EnergyNetwork.scoreSamples([])` answered [] after computing log Z, and the Hopfield
 *   networks' `sample(0)` answered an empty matrix, where every other family refuses both.
 */
import { describe, expect, it } from 'vitest';
import { NumericalError, ShapeError } from '../../src/errors.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { DenseAssociativeMemory } from '../../src/models/dense-associative-memory.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { ExpandedHopfieldNetwork } from '../../src/models/expanded-hopfield-network.js';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { GradedHopfieldNetwork } from '../../src/models/graded-hopfield-network.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { IsingModel } from '../../src/models/ising.js';
import { ModernHopfieldNetwork } from '../../src/models/modern-hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';

const data = [
  [1, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [1, 1, 0, 0, 0, 0],
  [0, 0, 0, 0, 1, 1],
];
const doc = (m: { toDocument(): unknown }) => JSON.stringify(m.toDocument());

describe('learning-rate schedules are refused before any training', () => {
  it('DBM.fit: a joint schedule whose first value is negative, with pretraining on', () => {
    const m = new DBM([6, 4, 3], { rng: 1 });
    const before = doc(m);
    expect(() => m.fit(data, { epochs: 2, pretrain: 1, learningRate: () => -1 })).toThrow(/DBMTrainer: learningRate schedule must return a non-negative finite number \(got -1 at epoch 0\)/);
    expect(doc(m)).toBe(before);
    // and the model trains as before afterwards: the same numbers as a twin never refused
    const twin = new DBM([6, 4, 3], { rng: 1 });
    m.fit(data, { epochs: 1, pretrain: 1 });
    twin.fit(data, { epochs: 1, pretrain: 1 });
    expect(doc(m)).toBe(doc(twin));
  });

  it('DBN.fit: the second layer’s schedule giving NaN, after the first layer would have trained', () => {
    const m = new DBN([6, 4, 3], { rng: 1 });
    const before = doc(m);
    expect(() => m.fit(data, { epochs: 2, layerOptions: [{}, { learningRate: () => Number.NaN }] })).toThrow(RangeError);
    expect(doc(m)).toBe(before);
  });
});

describe('parameters at the edge of float64', () => {
  it('IsingModel: J whose default temperature overflows is refused; with a temperature, exact scores that overflow are a NumericalError', () => {
    expect(() => new IsingModel(3, { J: 1e308 })).toThrow(/J must be small enough/);
    expect(new IsingModel(3, { J: 1e300 }).temperature).toBeCloseTo(2.269185314213022e300, -290);
    const m = new IsingModel(3, { J: 1e308, temperature: 2 });
    const row = [[1, 1, 1, 1, 1, 1, 1, -1, 1]];
    expect(() => m.scoreSamples(row)).toThrow(NumericalError);
    expect(() => m.score(row)).toThrow(/IsingModel\.score: the log-likelihood of row 0 is NaN/);
  });

  it('RBM pseudo-likelihood (sampled and exact) and DBN exact scores: NumericalError, not NaN', () => {
    const r = new RBM(2, 2, { rng: 1 });
    r.weights.data.fill(1e308);
    r.visibleBias.fill(1e308);
    r.hiddenBias.fill(1e308);
    expect(() => r.scoreSamples([[1, 0]], { method: 'pseudo' })).toThrow(/pseudo-log-likelihood of row 0 is NaN/);
    const d = new DBN([2, 2, 2], { rng: 1 });
    for (const l of d.layers) {
      l.weights.data.fill(1e308);
      l.visibleBias.fill(1e308);
      l.hiddenBias.fill(1e308);
    }
    expect(() => d.scoreSamples([[1, 0]])).toThrow(NumericalError);
    // ordinary parameters still score
    expect(Number.isFinite(new DBN([2, 2, 2], { rng: 1 }).scoreSamples([[1, 0]])[0])).toBe(true);
  });

  it('ModernHopfieldNetwork refuses patterns whose squared norm overflows (its energy and scores were ∞ and NaN)', () => {
    const h = new ModernHopfieldNetwork(2, { beta: 1 });
    h.fit([[1, 0]]);
    const before = doc(h);
    expect(() => h.fit([[1e200, 1e200], [-1e200, 1e200]])).toThrow(/pattern 0's squared norm overflows/);
    expect(() => h.partialFit([[1e155, 1e155]])).toThrow(RangeError);
    expect(doc(h)).toBe(before);
    h.fit([[1e150, 1e150]]); // finite squared norm: stored
    expect(h.patterns.rows).toBe(1);
  });
});

describe('an already-aborted signal changes nothing, in every family', () => {
  const spins = [
    [1, -1, 1, -1],
    [1, 1, -1, -1],
  ];
  const signal = AbortSignal.abort();
  const stores: Array<[string, () => { fit(p: number[][], o: { signal: AbortSignal }): unknown; toDocument(): unknown }]> = [
    ['GradedHopfieldNetwork', () => new GradedHopfieldNetwork(4)],
    ['DenseAssociativeMemory', () => new DenseAssociativeMemory(4)],
    ['ModernHopfieldNetwork', () => new ModernHopfieldNetwork(4)],
    ['HopfieldNetwork', () => new HopfieldNetwork(4)],
  ];
  for (const [name, make] of stores) {
    it(`${name}.fit`, () => {
      const m = make();
      const before = doc(m);
      expect(m.fit(spins, { signal })).toEqual({ history: [], epochs: 0, aborted: true });
      expect(doc(m)).toBe(before);
    });
  }
  for (const method of ['score-matching', 'sliced-score-matching', 'denoising-score-matching', 'nce'] as const) {
    it(`GaussianEnergy.fit, method '${method}' (the generator too)`, () => {
      const g = new GaussianEnergy(2, { rng: 4 });
      const before = doc(g);
      const x = new GaussianEnergy(2, { rng: 9 }).sample(50);
      expect(g.fit(x, { method, signal })).toEqual({ history: [], epochs: 0, aborted: true });
      expect(doc(g)).toBe(before);
      // bad data is still refused first
      expect(() => g.fit([[Number.NaN, 1]], { method, signal })).toThrow();
    });
  }
});

describe('empty requests are refused as in every other family', () => {
  it('EnergyNetwork.scoreSamples([]) and score([]): ShapeError before the quadrature', () => {
    const e = new EnergyNetwork(2, { hidden: [4], rng: 1 });
    expect(() => e.scoreSamples([])).toThrow(ShapeError);
    expect(() => e.score([])).toThrow(/at least one row/);
  });

  it('HopfieldNetwork.sample(0) and ExpandedHopfieldNetwork.sample(0): RangeError', () => {
    expect(() => new HopfieldNetwork(4).sample(0)).toThrow(RangeError);
    expect(() => new ExpandedHopfieldNetwork(4, 2, { rng: 1 }).sample(0)).toThrow(RangeError);
    expect(new HopfieldNetwork(4).sample(1).rows).toBe(1);
  });
});
