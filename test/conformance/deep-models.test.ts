/** Conformance subjects: RBMs (binary and Gaussian) with their CD trainer, DBN, DBM with its trainer. */
import { ShapeError } from '../../src/errors.js';
import { type Matrix, matrix } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { badMatrices, conformance } from './suite.js';

function binary(rows: number, cols: number, seed: number): Matrix {
  const r = new Random(seed);
  return matrix(rows, cols, Float64Array.from({ length: rows * cols }, () => (r.float64() < 0.35 ? 1 : 0)));
}
function real(rows: number, cols: number, seed: number): Matrix {
  const r = new Random(seed);
  return matrix(rows, cols, r.fillNormal(new Float64Array(rows * cols)));
}

const NV = 8;
const NH = 5;

for (const variant of ['binary', 'gaussian'] as const) {
  const isBin = variant === 'binary';
  const data = (seed: number) => (isBin ? binary(20, NV, seed) : real(20, NV, seed));
  const make = (seed: number): RBM | GaussianRBM => (isBin ? new RBM(NV, NH, { rng: seed, data: binary(20, NV, 1) }) : new GaussianRBM(NV, NH, { rng: seed, learnSigma: true }));
  const loadModel = (d: unknown): RBM | GaussianRBM => (isBin ? RBM.fromDocument(d) : GaussianRBM.fromDocument(d));
  conformance<{ rbm: RBM | GaussianRBM; cd: RBMTrainer }>({
    name: isBin ? 'RBM + RBMTrainer (PCD)' : 'GaussianRBM (learned σ) + RBMTrainer',
    create: (seed) => {
      const rbm = make(seed);
      return { rbm, cd: new RBMTrainer(rbm, { method: isBin ? 'pcd' : 'cd', k: 2, momentum: 0.5, batchSize: 5, rng: seed + 100, learningRate: 0.01 }) };
    },
    fingerprint: (m) => JSON.stringify(m.cd.toDocument()),
    badConstruction: [
      { why: 'nVisible 0', make: () => (isBin ? new RBM(0, 3) : new GaussianRBM(0, 3)), error: RangeError, message: /nVisible/ },
      { why: 'nHidden 2.5', make: () => (isBin ? new RBM(3, 2.5) : new GaussianRBM(3, 2.5)), error: RangeError, message: /nHidden/ },
      { why: 'weightStd negative', make: () => (isBin ? new RBM(3, 2, { weightStd: -1 }) : new GaussianRBM(3, 2, { weightStd: -1 })), error: RangeError, message: /weightStd/ },
      { why: 'trainer k 0', make: () => new RBMTrainer(make(1), { k: 0 }), error: RangeError, message: /\bk\b/ },
      { why: 'trainer momentum 1.5', make: () => new RBMTrainer(make(1), { momentum: 1.5 }), error: RangeError, message: /momentum/ },
    ],
    calls: [
      { name: 'cd.step', invoke: (m, b) => m.cd.step(b as Matrix), valid: () => [isBin ? binary(5, NV, 3) : real(5, NV, 3)], invalid: badMatrices('batch', NV, isBin ? 'unit' : 'real') },
      { name: 'hiddenProbs', invoke: (m, v) => m.rbm.hiddenProbs(v as Matrix), valid: () => [isBin ? binary(3, NV, 4) : real(3, NV, 4)], invalid: badMatrices('v', NV, isBin ? 'unit' : 'real') },
      { name: 'freeEnergy', invoke: (m, v) => m.rbm.freeEnergy(v as Matrix), valid: () => [isBin ? binary(3, NV, 5) : real(3, NV, 5)], invalid: badMatrices('v', NV, isBin ? 'unit' : 'real') },
      {
        name: isBin ? 'visibleProbs' : 'visibleMean',
        invoke: (m, h) => (m.rbm instanceof RBM ? m.rbm.visibleProbs(h as Matrix) : (m.rbm as GaussianRBM).visibleMean(h as Matrix)),
        valid: () => [binary(3, NH, 6)],
        invalid: badMatrices('h', NH, 'unit'),
      },
    ],
    train: (m, seed) => {
      m.cd.fit(data(seed), { epochs: 2 });
    },
    save: (m) => JSON.stringify(m.cd.toDocument()),
    load: (s) => {
      const cd = RBMTrainer.fromDocument(JSON.parse(s), loadModel);
      return { rbm: cd.model as RBM | GaussianRBM, cd };
    },
    outputs: (m) => {
      // One more training step after loading must match one more step on the original: bit-exact resume.
      m.cd.step(isBin ? binary(5, NV, 77) : real(5, NV, 77));
      return Float64Array.from([...m.rbm.freeEnergy(isBin ? binary(4, NV, 78) : real(4, NV, 78)), ...m.rbm.weights.data]);
    },
  });
}

conformance<DBN>({
  name: 'DBN (greedy RBM stack with labels)',
  create: (seed) => new DBN([NV, 6, 4], { rng: seed, nLabels: 2 }),
  fingerprint: (m) => JSON.stringify(m.toDocument()),
  badConstruction: [
    { why: 'one layer', make: () => new DBN([5]), error: RangeError, message: /sizes/ },
    { why: 'zero-size layer', make: () => new DBN([5, 0]), error: RangeError, message: /sizes/ },
    { why: 'nLabels 1', make: () => new DBN([5, 3], { nLabels: 1 }), error: RangeError, message: /nLabels/ },
  ],
  calls: [
    { name: 'transform', invoke: (m, v) => m.transform(v as Matrix), valid: () => [binary(3, NV, 2)], invalid: badMatrices('v', NV, 'unit') },
    { name: 'predictProba', invoke: (m, v) => m.predictProba(v as Matrix), valid: () => [binary(3, NV, 3)], invalid: badMatrices('v', NV, 'unit') },
    {
      name: 'fit',
      invoke: (m, d, o) => m.fit(d as Matrix, o as never),
      valid: () => [binary(10, NV, 4), { labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], epochs: 1, rng: 1 }],
      invalid: [
        ...badMatrices<DBN>('data', NV, 'unit', (v) => [v, { labels: [0, 1, 0], epochs: 1 }]),
        { why: 'labels of wrong length', args: () => [binary(10, NV, 4), { labels: [0, 1], epochs: 1 }], error: ShapeError, message: /labels/ },
        { why: 'label out of range', args: () => [binary(2, NV, 4), { labels: [0, 2], epochs: 1 }], error: RangeError, message: /labels/ },
        { why: 'unknown option', args: () => [binary(2, NV, 4), { labels: [0, 1], epoch: 1 }], error: TypeError, message: /epochs/ },
      ],
    },
    { name: 'score', invoke: (m, v) => m.score(v as Matrix), valid: () => [binary(3, NV, 5)], invalid: badMatrices('data', NV, 'unit') },
  ],
  train: (m, seed) => {
    m.fit(binary(20, NV, seed), { labels: Array.from({ length: 20 }, (_, i) => i % 2), epochs: 2, rng: seed });
  },
  save: (m) => JSON.stringify(m.toDocument()),
  load: (s) => DBN.fromDocument(JSON.parse(s)),
  outputs: (m) => Float64Array.from([...m.transform(binary(3, NV, 9)).data, ...m.predictProba(binary(3, NV, 9)).data, ...m.sample(2, { rng: 5 }).data]),
});

conformance<{ dbm: DBM; trainer: DBMTrainer }>({
  name: 'DBM + DBMTrainer',
  create: (seed) => {
    const dbm = new DBM([NV, 6, 4], { rng: seed, data: binary(20, NV, 1) });
    return { dbm, trainer: new DBMTrainer(dbm, { batchSize: 5, nChains: 6, rng: seed + 50, learningRate: 0.01 }) };
  },
  fingerprint: (m) => JSON.stringify(m.trainer.toDocument()),
  badConstruction: [
    { why: 'one layer', make: () => new DBM([5]), error: RangeError, message: /sizes/ },
    { why: 'non-integer size', make: () => new DBM([5, 2.5]), error: RangeError, message: /sizes/ },
    { why: 'trainer batchSize 0', make: () => new DBMTrainer(new DBM([4, 3, 2]), { batchSize: 0 }), error: RangeError, message: /batchSize/ },
  ],
  calls: [
    { name: 'trainer.step', invoke: (m, b) => m.trainer.step(b as Matrix), valid: () => [binary(5, NV, 3)], invalid: badMatrices('batch', NV, 'unit') },
    { name: 'meanField', invoke: (m, v) => m.dbm.meanField(v as Matrix), valid: () => [binary(3, NV, 4)], invalid: badMatrices('v', NV, 'unit') },
    { name: 'transform', invoke: (m, v) => m.dbm.transform(v as Matrix), valid: () => [binary(3, NV, 5)], invalid: badMatrices('v', NV, 'unit') },
    {
      name: 'fit',
      invoke: (m, d, o) => m.dbm.fit(d as Matrix, o as never),
      valid: () => [binary(10, NV, 6), { epochs: 1, pretrain: 1, batchSize: 5, nChains: 4, rng: 1 }],
      invalid: [
        ...badMatrices<{ dbm: DBM; trainer: DBMTrainer }>('data', NV, 'unit', (v) => [v, { epochs: 1, pretrain: false }]),
        { why: 'unknown option', args: () => [binary(4, NV, 6), { epoch: 1 }], error: TypeError, message: /epochs/ },
        { why: 'bad joint option', args: () => [binary(4, NV, 6), { epochs: 1, nChains: 0 }], error: RangeError, message: /nChains/ },
        { why: 'bad pretraining option', args: () => [binary(4, NV, 6), { epochs: 1, pretrainTrainer: [{}, { k: 0 }] }], error: RangeError, message: /\bk\b/ },
      ],
    },
    { name: 'score', invoke: (m, v) => m.dbm.score(v as Matrix), valid: () => [binary(3, NV, 7)], invalid: badMatrices('data', NV, 'unit') },
  ],
  train: (m, seed) => {
    m.trainer.fit(binary(20, NV, seed), { epochs: 2 });
  },
  save: (m) => JSON.stringify(m.trainer.toDocument()),
  load: (s) => {
    const trainer = DBMTrainer.fromDocument(JSON.parse(s));
    return { dbm: trainer.model, trainer };
  },
  outputs: (m) => {
    m.trainer.step(binary(5, NV, 70));
    return Float64Array.from([...m.dbm.transform(binary(3, NV, 71)).data, ...m.dbm.sample(2, { rng: 4 }).data]);
  },
});
