import { describe, expect, it } from 'vitest';
import { annealedJointRate, certifiedLogZ, composeDbm, DBM_PAPER, type DbmCheckpoint, type DbmRunSettings, dbmPaperDone, dbmPaperSeeds, dbmPaperStart, dbmPaperStep, pcdPretrainRate } from '../../bench/reproduce/dbm-paper-protocol.js';
import { Random } from '../../src/random/random.js';
import { DBM } from '../../src/models/dbm.js';
import { dbmLogZLowerBound, dbmVariationalBound } from '../../src/models/dbm-ais.js';
import { dbmExactLogLikelihood, dbmExactLogPartition } from '../../src/models/dbm-exact.js';
import { ScaledRBM } from '../../src/models/scaled-rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import type { Matrix } from '../../src/linalg/matrix.js';

// A tiny DBM 12-6-8 (smaller parity: 12 + 8 = 20 ≤ 24 units, so it can be enumerated) on
// 300 synthetic rows: two prototypes with 10% of the bits flipped.
const sizes = [12, 6, 8];
function data(rows: number, seed: number): Matrix {
  const rng = new Random(seed);
  const d = new Float64Array(rows * 12);
  for (let r = 0; r < rows; r++) {
    const proto = rng.float64() < 0.5 ? 0 : 1;
    for (let i = 0; i < 12; i++) {
      const bit = (i < 6) === (proto === 0) ? 1 : 0;
      d[r * 12 + i] = rng.float64() < 0.1 ? 1 - bit : bit;
    }
  }
  return { rows, cols: 12, data: d };
}
const train = data(300, 1);
const test = data(60, 2);
const settings = (p1: number, p2: number, joint: number): DbmRunSettings => ({ pretrainEpochs: [p1, p2], jointEpochs: joint, threads: 1, monitorAIS: { every: 2, runs: 4, betas: 60 } });

/** Steps until done; `reload` passes every checkpoint through JSON, as a stopped and resumed run does. */
function runTo(ck: DbmCheckpoint, s: DbmRunSettings, reload: boolean): DbmCheckpoint {
  let c = ck;
  while (!dbmPaperDone(c, s)) {
    c = dbmPaperStep(c, train, test, s);
    if (reload) c = JSON.parse(JSON.stringify(c)) as DbmCheckpoint;
  }
  return c;
}
/** The checkpoint without the wall-clock fields. */
const timeless = (c: DbmCheckpoint): unknown =>
  JSON.parse(JSON.stringify({ ...c, trainSeconds: 0, curve: c.curve.map((r) => ({ ...r, seconds: 0, ...(r.shortAIS ? { shortAIS: { ...r.shortAIS, seconds: 0 } } : {}) })) }));

describe('S&H 2009 DBM protocol, resumable (bench/reproduce/dbm-paper-protocol.ts)', () => {
  it('--pretrain pcd: both RBMs train by PCD with the recipe chains and a per-epoch falling rate, and resume bit for bit', () => {
    const s = settings(2, 2, 1);
    const start = dbmPaperStart('t', 7, train, sizes, 'pcd');
    const resumed = runTo(start, s, true), whole = runTo(start, s, false);
    expect(timeless(resumed)).toEqual(timeless(whole));
    expect(resumed.pretrainRule).toBe('pcd');
    const opts = (doc: unknown): Record<string, unknown> => ((doc as { state: { training: { options: Record<string, unknown> } } }).state.training.options);
    for (const layer of [resumed.layer1, resumed.layer2]) {
      expect(opts(layer)).toMatchObject({ method: 'pcd', nChains: DBM_PAPER.pretrainPcd.nChains, momentum: 0.5, weightDecay: 0 });
      expect(opts(layer).learningRate).toBe(pcdPretrainRate(2, 2)); // the last epoch's rate
    }
    expect([pcdPretrainRate(1, 2), pcdPretrainRate(2, 2)]).toEqual([0.02, 0.01]);
    expect(resumed.curve.filter((r) => r.phase === 'pretrain1').map((r) => r.learningRate)).toEqual([0.02, 0.01]);
    // a different rule from the same seed trains different layers
    const cd = runTo(dbmPaperStart('t', 7, train, sizes), settings(2, 2, 0), false);
    expect(composeDbm(cd).weights[0]!.data).not.toEqual(composeDbm(resumed).weights[0]!.data);
  });

  it('stepping through checkpoints, stopped and extended in every phase, equals one uninterrupted training bit for bit', () => {
    // (a) The phases run by the step machine, every checkpoint through JSON as a stopped and
    // resumed run does: stopped after pretraining-1 epoch 1 (of 1 asked), resumed with 2 asked;
    // stopped right after the phase boundary, in pretraining 2, at joint epoch 0 and at joint
    // epoch 1 (of 1 asked), resumed with 3 asked.
    const reload = (c: DbmCheckpoint): DbmCheckpoint => JSON.parse(JSON.stringify(c)) as DbmCheckpoint;
    let ck = reload(dbmPaperStep(dbmPaperStart('t', 7, train, sizes), train, test, settings(1, 2, 1)));
    expect([ck.phase, ck.epoch]).toEqual(['pretrain1', 1]);
    const full = settings(2, 2, 3);
    ck = reload(dbmPaperStep(ck, train, test, full));
    ck = reload(dbmPaperStep(ck, train, test, full));
    expect([ck.phase, ck.epoch]).toEqual(['pretrain2', 0]);
    ck = reload(dbmPaperStep(ck, train, test, full));
    ck = runTo(ck, settings(2, 2, 0), true);
    expect([ck.phase, ck.epoch, ck.pretrainDone]).toEqual(['joint', 0, [2, 2]]);
    ck = runTo(ck, settings(2, 2, 1), true);
    ck = runTo(ck, full, true);
    expect([ck.phase, ck.epoch]).toEqual(['joint', 3]);
    // (b) The same in one go, in memory.
    const once = runTo(dbmPaperStart('t', 7, train, sizes), settings(2, 2, 3), false);
    expect(timeless(ck)).toEqual(timeless(once));
    expect(once.curve.map((r) => `${r.phase}:${r.epoch}`)).toEqual(['pretrain1:1', 'pretrain1:2', 'pretrain2:1', 'pretrain2:2', 'joint:0', 'joint:1', 'joint:2', 'joint:3']);
    expect(once.curve.filter((r) => r.shortAIS !== undefined).map((r) => r.epoch)).toEqual([0, 2]);

    // (c) An independent reference: each trainer kept alive over all its epochs (no documents),
    // with the protocol's seeds and hyperparameters. Equal parameters mean that the
    // checkpoints carry every bit of state (velocity, fantasy particles, generators, counters).
    const s = dbmPaperSeeds(7);
    const r1 = new ScaledRBM(12, 6, { upScale: 2, weightStd: DBM_PAPER.pretrainWeightStd, rng: s.layer1, data: train });
    new RBMTrainer(r1, { ...DBM_PAPER.pretrain, rng: s.trainer1 }).fit(train, { epochs: 2 });
    const h1 = r1.hiddenProbs(train);
    const r2 = new ScaledRBM(6, 8, { downScale: 2, weightStd: DBM_PAPER.pretrainWeightStd, rng: s.layer2, data: h1 });
    new RBMTrainer(r2, { ...DBM_PAPER.pretrain, rng: s.trainer2 }).fit(h1, { epochs: 2 });
    const dbm = new DBM(sizes, { rng: s.dbm });
    dbm.weights[0]!.data.set(r1.weights.data);
    dbm.weights[1]!.data.set(r2.weights.data);
    dbm.biases[0]!.set(r1.visibleBias);
    for (let j = 0; j < 6; j++) dbm.biases[1]![j] = 0.5 * (r1.hiddenBias[j]! + r2.visibleBias[j]!);
    dbm.biases[2]!.set(r2.hiddenBias);
    const ref = new DBMTrainer(dbm, { ...DBM_PAPER.joint, rng: s.trainer });
    ref.fit(train, { epochs: 3 });
    const got = DBMTrainer.fromDocument(ck.joint);
    expect(got.steps).toBe(ref.steps);
    const a = got.model.parameterArrays(), b = ref.model.parameterArrays();
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i]!)).toEqual(Array.from(b[i]!));
    // and training moved the parameters (the comparison is not between two untouched models)
    const composed = composeDbm(JSON.parse(JSON.stringify({ ...ck, joint: undefined })) as DbmCheckpoint).parameterArrays();
    expect(Array.from(a[0]!)).not.toEqual(Array.from(composed[0]!));
  });

  it('an annealed tail runs each epoch at η₀·(N + 1 − j)/(N + 1) under the schedule\'s decay, resumes bit for bit, and equals a trainer driven by hand', () => {
    const base = runTo(dbmPaperStart('t', 7, train, sizes), settings(1, 1, 1), false);
    const tail = { ...base, anneal: { from: 1, epochs: 3 } };
    expect([1, 2, 3, 4].map((e) => annealedJointRate('paper', tail.anneal, e))).toEqual([undefined, 0.005 * 0.75, 0.005 * 0.5, 0.005 * 0.25]);
    expect(annealedJointRate('slow', tail.anneal, 2)).toBe(0.001 * 0.75);
    expect(() => annealedJointRate('paper', tail.anneal, 5)).toThrow(/past the tail/);
    const s = settings(1, 1, 4);
    const resumed = runTo(tail, s, true), whole = runTo(tail, s, false);
    expect(timeless(resumed)).toEqual(timeless(whole));
    // the recorded rates: the tail's η times the decay 1/(1 + t/τ) at the epoch's last update
    const perEpoch = Math.ceil(train.rows / DBM_PAPER.joint.batchSize);
    const rows = whole.curve.filter((r) => r.phase === 'joint' && r.epoch >= 2);
    expect(rows.map((r) => r.epoch)).toEqual([2, 3, 4]);
    rows.forEach((r, i) => {
      expect(r.learningRate).toBeCloseTo((0.005 * (3 - i)) / 4 / (1 + (r.epoch * perEpoch - 1) / DBM_PAPER.joint.decay), 15);
    });
    // by hand: the base's trainer continued epoch by epoch at the tail's rates
    let refDoc = base.joint;
    for (const f of [0.75, 0.5, 0.25]) {
      const t = DBMTrainer.fromDocument(refDoc, { learningRate: 0.005 * f });
      t.fit(train, { epochs: 1 });
      refDoc = t.toDocument();
    }
    const got = DBM.fromDocument(whole.joint).parameterArrays(), want = DBM.fromDocument(refDoc).parameterArrays();
    for (let k = 0; k < got.length; k++) expect(Array.from(got[k]!)).toEqual(Array.from(want[k]!));
    // and the tail differs from continuing at the schedule's own rate
    const plain = DBM.fromDocument(runTo(base, s, false).joint).parameterArrays();
    expect(Array.from(plain[0]!)).not.toEqual(Array.from(got[0]!));
  });

  it('refuses more pretraining once joint training has started', () => {
    const ck = runTo(dbmPaperStart('t', 3, train, sizes), settings(1, 1, 0), false);
    expect(() => dbmPaperStep(ck, train, test, settings(2, 1, 1))).toThrow(/past pretraining/);
  });

  it('the variational bound of the trained DBM lies below its exact log-likelihood, within the KL gap', () => {
    const ck = runTo(dbmPaperStart('t', 5, train, sizes), settings(3, 3, 2), false);
    const dbm = DBM.fromDocument(ck.joint);
    const lz = dbmExactLogPartition(dbm);
    const exact = dbmExactLogLikelihood(dbm, test, lz);
    const bound = dbmVariationalBound(dbm, test, lz);
    let gap = 0;
    for (let r = 0; r < test.rows; r++) {
      // log P(v) − bound = KL(q ‖ P(h | v)) ≥ 0, exactly (no sampling: log Z is exact)
      expect(bound.perRow[r]!).toBeLessThanOrEqual(exact[r]! + 1e-9);
      gap += exact[r]! - bound.perRow[r]!;
    }
    // The mean-field posterior of so small a model is close to the true one: a mean gap of
    // more than 1 nat would mean the bound computes something else.
    expect(gap / test.rows).toBeLessThan(1);
    expect(gap / test.rows).toBeGreaterThan(0);
    // the monitor's "E_q[−E] + H(q)" is the same bound before log Z
    const row = ck.curve[ck.curve.length - 1]!;
    expect(row.unnormalisedBound).toBeCloseTo(dbmVariationalBound(dbm, test, 0).meanUnnormalised, 12);
    // and the short AIS of the monitor (4 runs × 60 βs) lands near the exact log Z: its spread
    // on this 20-unit model is a few tenths of a nat at most
    const withAIS = ck.curve.filter((r) => r.shortAIS !== undefined && r.epoch === 2)[0]!;
    expect(Math.abs(withAIS.shortAIS!.logZ - lz)).toBeLessThan(1);
    // the monitor's certified lower bound on log Z holds against the exact one
    for (const r of ck.curve.filter((x) => x.certifiedLogZLowerBound !== undefined)) expect(r.certifiedLogZLowerBound!).toBeLessThanOrEqual(lz + 1e-9);
    expect(row.certifiedLogZLowerBound).toBeLessThanOrEqual(lz);
    expect(row.boundCeiling).toBeCloseTo(row.unnormalisedBound! - row.certifiedLogZLowerBound!, 12);
  });

  it('the certified log Z lower bound counts each distinct state once (and the blank image)', () => {
    // Vanishing weights: q is exact, B(v) = log Σ_h e^{−E(v, h)}, and with visible biases +1
    // the state 1111 holds σ(1)⁴ ≈ 29% of the mass, the blank image σ(−1)⁴ ≈ 0.5%. 100 copies
    // of 1111 must give log Z + log(σ(1)⁴ + σ(−1)⁴), not log Z + log(100 · σ(1)⁴ + …) > log Z.
    const dbm = new DBM([4, 3, 2], { rng: 1, weightStd: 1e-12 });
    dbm.biases[0]!.fill(1);
    const lz = dbmExactLogPartition(dbm);
    const ones: Matrix = { rows: 100, cols: 4, data: new Float64Array(400).fill(1) };
    const c = certifiedLogZ(dbm, ones);
    expect(c.logZLowerBound).toBeLessThanOrEqual(lz + 1e-9);
    // the blank image adds its mass
    const s5 = 1 / (1 + Math.exp(-1)), s5m = 1 - s5;
    expect(c.logZLowerBound - lz).toBeCloseTo(Math.log(s5 ** 4 + s5m ** 4), 9);
    expect(c.meanUnnormalised - lz).toBeCloseTo(4 * Math.log(s5), 9);
    // the script's floor from precomputed B(v) is the library's dbmLogZLowerBound
    const d = new DBM([6, 4, 3], { rng: 2, weightStd: 1 });
    const rows: Matrix = { rows: 5, cols: 6, data: Float64Array.from([1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1]) };
    expect(certifiedLogZ(d, rows).logZLowerBound).toBeCloseTo(dbmLogZLowerBound(d, [rows]).logZLowerBound, 9);
  });
});
