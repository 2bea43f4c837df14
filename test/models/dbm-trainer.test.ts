import { describe, expect, it } from 'vitest';
import { FormatError, NumericalError, ShapeError } from '../../src/errors.js';
import { dbmExactLogLikelihood } from '../../src/models/dbm-exact.js';
import { fromArrays, type Matrix } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { Random } from '../../src/random/random.js';
import { ScaledRBM } from '../../src/models/scaled-rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { pretrainDBM } from '../../src/train/pretrain-dbm.js';

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const bits = (s: number, n: number): number[] => Array.from({ length: n }, (_, i) => (s >> i) & 1);
const mean = (a: Float64Array): number => a.reduce((x, y) => x + y, 0) / a.length;

const patterns = fromArrays([
  [1, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [1, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [1, 0, 1, 0, 1, 0],
  [1, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [0, 1, 0, 1, 0, 1],
]);

describe('ScaledRBM (doubled-input RBMs of DBM pretraining)', () => {
  it('scales only the weight term of each conditional', () => {
    const up = new ScaledRBM(3, 2, { upScale: 2, rng: 1, weightStd: 1 });
    up.visibleBias.set([0.1, -0.2, 0.3]);
    up.hiddenBias.set([0.5, -0.5]);
    const v = [1, 0, 1], h = [0, 1];
    const ph = up.hiddenProbs(fromArrays([v]));
    for (let j = 0; j < 2; j++) {
      let a = up.hiddenBias[j];
      for (let i = 0; i < 3; i++) a += 2 * v[i] * up.weights.data[i * 2 + j];
      expect(ph.data[j]).toBeCloseTo(sig(a), 14);
    }
    const down = new ScaledRBM(3, 2, { downScale: 2, rng: 1, weightStd: 1 });
    const pv = down.visibleProbs(fromArrays([h]));
    for (let i = 0; i < 3; i++) expect(pv.data[i]).toBeCloseTo(sig(2 * down.weights.data[i * 2 + 1]), 14);
    expect(() => new ScaledRBM(3, 2, { upScale: 0 })).toThrow(RangeError);
  });
});

describe('pretrainDBM', () => {
  it('trains the RBMs with the shared CD trainer and composes them (bottom ×2 up, top ×2 down, middle halved, biases averaged)', () => {
    const dbm = new DBM([6, 4, 3, 2], { rng: 1 });
    const trainer = { batchSize: 4, learningRate: 0.1, k: 1 };
    const { rbms } = pretrainDBM(dbm, patterns, { epochs: 3, trainer, rng: 7 });
    // Reproduce by hand with the same streams.
    const s = new Random(7).streams(6);
    let input: Matrix = patterns;
    const ref: ScaledRBM[] = [];
    for (let l = 0; l < 3; l++) {
      const r = new ScaledRBM(dbm.sizes[l], dbm.sizes[l + 1], { upScale: l === 0 ? 2 : 1, downScale: l === 2 ? 2 : 1, rng: s[2 * l], data: input });
      new RBMTrainer(r, { ...trainer, rng: s[2 * l + 1] }).fit(input, { epochs: 3 });
      ref.push(r);
      input = r.hiddenProbs(input);
    }
    for (let l = 0; l < 3; l++) expect(Array.from(rbms[l].weights.data)).toEqual(Array.from(ref[l].weights.data));
    expect(Array.from(dbm.weights[0].data)).toEqual(Array.from(ref[0].weights.data));
    expect(Array.from(dbm.weights[1].data)).toEqual(Array.from(ref[1].weights.data, (w) => w / 2));
    expect(Array.from(dbm.weights[2].data)).toEqual(Array.from(ref[2].weights.data));
    expect(Array.from(dbm.biases[0])).toEqual(Array.from(ref[0].visibleBias));
    expect(dbm.biases[1][2]).toBeCloseTo((ref[0].hiddenBias[2] + ref[1].visibleBias[2]) / 2, 15);
    expect(dbm.biases[2][1]).toBeCloseTo((ref[1].hiddenBias[1] + ref[2].visibleBias[1]) / 2, 15);
    expect(Array.from(dbm.biases[3])).toEqual(Array.from(ref[2].hiddenBias));
  });

  it('validates before training', () => {
    const dbm = new DBM([6, 4, 3]);
    const before = JSON.stringify(dbm.toDocument());
    expect(() => pretrainDBM(dbm, fromArrays([[1, 0]]))).toThrow(ShapeError);
    expect(() => pretrainDBM(dbm, patterns, { epochs: [1, 2, 3] })).toThrow(RangeError);
    expect(() => pretrainDBM({} as DBM, patterns)).toThrow(TypeError);
    expect(JSON.stringify(dbm.toDocument())).toBe(before);
  });
});

describe('DBMTrainer', () => {
  it('raises the exact log-likelihood of the training data (pretraining + joint training)', () => {
    const dbm = new DBM([6, 4, 3], { rng: 2 });
    const ll0 = mean(dbmExactLogLikelihood(dbm, patterns));
    pretrainDBM(dbm, patterns, { epochs: 100, trainer: { batchSize: 4, learningRate: 0.1 }, rng: 3 });
    const ll1 = mean(dbmExactLogLikelihood(dbm, patterns));
    const t = new DBMTrainer(dbm, { batchSize: 4, nChains: 20, gibbsSteps: 2, learningRate: 0.05, decay: 200, rng: 4 });
    t.fit(patterns, { epochs: 100 });
    const ll2 = mean(dbmExactLogLikelihood(dbm, patterns));
    // ll0 ≈ −6 log 2 = −4.16 nats (an almost flat model). Seeded run: pretraining
    // reaches ≈ −2.76 and joint training ≈ −2.17 (the best possible for these 8
    // rows, their empirical entropy, is −1.07).
    expect(ll1).toBeGreaterThan(ll0 + 1);
    expect(ll2).toBeGreaterThan(ll1 + 0.2);
  });

  // Statistical test of the fantasy particles: with learning rate 0 the
  // persistent chains are block-Gibbs chains of the fixed model, so after 40
  // updates (×2 sweeps) their visible states are ≈ independent draws of P(v).
  // Each of the 16 state frequencies over 4000 chains has standard deviation
  // sqrt(p(1−p)/4000); we allow 5 of them plus 0.004 of burn-in bias.
  it('keeps its fantasy particles distributed as the model (learning rate 0)', () => {
    const dbm = new DBM([4, 3, 3], { rng: 5, weightStd: 0.8 });
    const rng = new Random(6);
    for (const b of dbm.biases) rng.fillNormal(b, 0, 0.8);
    const states = fromArrays(Array.from({ length: 16 }, (_, s) => bits(s, 4)));
    const p = Array.from(dbmExactLogLikelihood(dbm, states), Math.exp);
    const t = new DBMTrainer(dbm, { learningRate: 0, momentum: 0, weightDecay: 0, batchSize: 2, nChains: 4000, gibbsSteps: 2, rng: 8 });
    const batch = fromArrays([[1, 0, 1, 0], [0, 1, 0, 1]]);
    for (let i = 0; i < 40; i++) t.step(batch);
    const v = t.fantasyParticles()[0];
    const freq = new Array(16).fill(0);
    for (let r = 0; r < v.rows; r++) freq[v.data[4 * r] + 2 * v.data[4 * r + 1] + 4 * v.data[4 * r + 2] + 8 * v.data[4 * r + 3]] += 1 / v.rows;
    for (let k = 0; k < 16; k++) expect(Math.abs(freq[k] - p[k])).toBeLessThan(5 * Math.sqrt((p[k] * (1 - p[k])) / v.rows) + 0.004);
  });

  it('decays the learning rate as η₀ / (1 + t/τ)', () => {
    const t = new DBMTrainer(new DBM([6, 3, 2]), { learningRate: 0.01, decay: 10, batchSize: 4, nChains: 4 });
    t.fit(patterns, { epochs: 5 });
    expect(t.steps).toBe(10);
    expect(t.currentLearningRate()).toBeCloseTo(0.01 / 2, 15);
  });

  it('a step that would overflow throws and changes nothing', () => {
    const dbm = new DBM([6, 3, 2], { rng: 1 });
    dbm.weights[0].data.fill(1e300); // the weight-decay term λ·W·η overflows
    const t = new DBMTrainer(dbm, { learningRate: 1e308, batchSize: 8, nChains: 4, rng: 1 });
    const before = JSON.stringify(t.toDocument());
    expect(() => t.step(patterns)).toThrow(NumericalError);
    expect(JSON.stringify(t.toDocument())).toBe(before);
    expect(() => t.step(fromArrays([[1, 0]]))).toThrow(ShapeError);
    expect(() => new DBMTrainer(dbm, { momentum: 1 })).toThrow(RangeError);
    expect(() => new DBMTrainer(dbm, { decay: 0 })).toThrow(RangeError);
    expect(() => new DBMTrainer({} as DBM)).toThrow(TypeError);
  });

  it('resumes bit-exactly from its document', () => {
    const make = (): DBMTrainer => new DBMTrainer(new DBM([6, 4, 3], { rng: 3 }), { batchSize: 4, nChains: 5, decay: 7, rng: 9 });
    const a = make();
    a.fit(patterns, { epochs: 2 });
    const b = DBMTrainer.fromDocument(JSON.parse(JSON.stringify(a.toDocument())));
    a.fit(patterns, { epochs: 2 });
    b.fit(patterns, { epochs: 2 });
    expect(JSON.stringify(b.toDocument())).toBe(JSON.stringify(a.toDocument()));
    const c = make();
    c.fit(patterns, { epochs: 4 });
    expect(JSON.stringify(c.toDocument())).toBe(JSON.stringify(a.toDocument()));
    // the fantasy particles are sampled 0/1 states: anything else in a document is refused
    const off = JSON.parse(JSON.stringify(a.toDocument()));
    off.state.training.chains[1] = Array.from({ length: 5 * 4 }, (_, i) => (i === 2 ? 0.5 : i % 2));
    expect(() => DBMTrainer.fromDocument(off)).toThrow(FormatError);
    expect(() => DBMTrainer.fromDocument(off)).toThrow(/state\.training\.chains is missing or malformed \(expected sampled states, each 0 or 1\)/);
    off.state.training.chains[1] = Array.from({ length: 5 * 4 }, (_, i) => i % 2);
    expect(DBMTrainer.fromDocument(off).fantasyParticles()[1]?.data[1]).toBe(1);
  });

  it('does not modify its input', () => {
    const copy = Float64Array.from(patterns.data);
    new DBMTrainer(new DBM([6, 3, 2]), { batchSize: 3, nChains: 3 }).fit(patterns, { epochs: 1 });
    expect(Array.from(patterns.data)).toEqual(Array.from(copy));
  });
});
