/**
 * The certified log Z floor that `score` reports next to AIS, and the warning when AIS's whole
 * interval lies below it (AIS missed a mode). The models put a spurious mode at the blank image
 * far from the AIS base (a uniform base from rows of density ½): few AIS βs never reach it.
 */
import { describe, expect, it } from 'vitest';
import { fromArrays, type Matrix } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { dbmLogZLowerBound, dbmVariationalBound } from '../../src/models/dbm-ais.js';
import { dbmExactLogPartition } from '../../src/models/dbm-exact.js';
import { RBM } from '../../src/models/rbm.js';
import { rbmExactLogLikelihood, rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import { Random } from '../../src/random/random.js';

function halfRows(n: number, cols: number, seed: number): Matrix {
  const g = new Random(seed);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < data.length; i++) data[i] = g.float64() < 0.5 ? 1 : 0;
  return { rows: n, cols, data };
}

function allStates(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, s) => Array.from({ length: n }, (_, i) => (s >> i) & 1));
}

describe('RBM.score: the certified log Z floor beside AIS', () => {
  // 40 visible units, 6 hidden: hidden unit 0 has weights −10 and bias 150, so −F(blank) ≈ 150
  // while a typical row (≈ 20 units on) gets nothing from it: the blank image holds almost all of Z.
  const spurious = (): RBM => {
    const rbm = new RBM(40, 6, { rng: 2, weightStd: 0.1 });
    for (let i = 0; i < 40; i++) rbm.weights.data[i * 6] = -10;
    rbm.hiddenBias[0] = 150;
    return rbm;
  };
  const data = halfRows(50, 40, 3);

  it('warns when AIS misses the blank mode, and the floor keeps the true likelihood below its ceiling', () => {
    const rbm = spurious();
    const exactLogZ = rbmExactLogPartition(rbm);
    const s = rbm.score(data, { method: 'ais', aisRuns: 4, aisBetas: 30, rng: 5 });
    expect(s.logZLowerBound).toBeDefined();
    const floor = s.logZLowerBound as number;
    expect(floor).toBeLessThanOrEqual(exactLogZ + 1e-9);
    expect(floor).toBeGreaterThan(149); // the blank image alone
    expect(s.logZ as number).toBeLessThan(floor - 50); // AIS stayed near the base
    expect(s.warning).toMatch(/below the certified lower bound/);
    // the certified ceiling mean + logZ − floor holds for the exact mean log-likelihood
    const ll = rbmExactLogLikelihood(rbm, data);
    const exactMean = ll.reduce((a, b) => a + b, 0) / ll.length;
    expect(exactMean).toBeLessThanOrEqual(s.mean + (s.logZ as number) - floor + 1e-9);
    expect(s.upper).toBeGreaterThan(exactMean + 50); // what AIS alone would have claimed
  });

  it('gives the floor without a warning when AIS is sound', () => {
    const rbm = new RBM(12, 5, { rng: 7, weightStd: 0.5 });
    const x = halfRows(30, 12, 8);
    const s = rbm.score(x, { method: 'ais', aisRuns: 50, aisBetas: 1000, rng: 9 });
    expect(s.warning).toBeUndefined();
    expect(s.logZLowerBound as number).toBeLessThanOrEqual(rbmExactLogPartition(rbm) + 1e-12);
    expect(s.logZLowerBound as number).toBeLessThanOrEqual(s.logZ as number);
  });
});

describe('dbmLogZLowerBound and DBM.score', () => {
  const dbm = new DBM([10, 4, 3], { rng: 11, weightStd: 1 });
  new Random(12).fillNormal(dbm.biases[0], 0, 1);

  it('is below the exact log Z, grows with the set, and over every visible state is within the mean-field gap', () => {
    const exact = dbmExactLogPartition(dbm);
    const all = allStates(10);
    const few = dbmLogZLowerBound(dbm, [fromArrays(all.slice(0, 50))]);
    const full = dbmLogZLowerBound(dbm, [fromArrays(all), fromArrays(all.slice(0, 20))]);
    expect(full.states).toBe(1024); // duplicates and the blank counted once
    expect(few.states).toBe(50);
    expect(few.logZLowerBound).toBeLessThan(full.logZLowerBound);
    expect(full.logZLowerBound).toBeLessThanOrEqual(exact + 1e-12);
    // each B(v) is mean field's lower bound on log Σ_h e^{−E(v,h)}; with 4 + 3 hidden units the gap is small
    expect(exact - full.logZLowerBound).toBeLessThan(0.5);
    // bestNegFreeEnergy is B of the best state: the per-row bound plus 0
    const best = full.bestIndex < 0 ? Array(10).fill(0) : (all.concat(all.slice(0, 20))[full.bestIndex] as number[]);
    expect(full.bestNegFreeEnergy).toBeCloseTo(dbmVariationalBound(dbm, fromArrays([best]), 0).perRow[0] as number, 12);
  });

  it('refuses what is not a DBM or sets of the wrong width, by name', () => {
    expect(() => dbmLogZLowerBound({} as DBM, [])).toThrow(TypeError);
    expect(() => dbmLogZLowerBound(dbm, [fromArrays([[1, 0]])])).toThrow(/sets\[0\]/);
  });

  it("score's 'bound' warns when AIS misses a blank mode, and the floor is certified", () => {
    const d = new DBM([40, 5, 3], { rng: 13, weightStd: 0.1 });
    for (let i = 0; i < 40; i++) d.weights[0].data[i * 5] = -10; // h¹₀ on only near the blank image
    d.biases[1][0] = 150;
    const exact = dbmExactLogPartition(d);
    const x = halfRows(40, 40, 14);
    const s = d.score(x, { method: 'bound', aisRuns: 4, aisBetas: 30, rng: 15 });
    expect(s.logZLowerBound as number).toBeLessThanOrEqual(exact + 1e-9);
    expect(s.logZLowerBound as number).toBeGreaterThan(149);
    expect(s.warning).toMatch(/below the certified lower bound/);
    const sound = new DBM([12, 4, 3], { rng: 16, weightStd: 0.5 }).score(halfRows(30, 12, 17), { method: 'bound', aisRuns: 50, aisBetas: 1000, rng: 18 });
    expect(sound.warning).toBeUndefined();
    expect(sound.logZLowerBound as number).toBeLessThanOrEqual(sound.logZ as number);
  });

  it("score's floor reuses the scored rows' B(v), and binarises rows that are not 0/1", () => {
    const x = halfRows(25, 10, 19);
    const s = dbm.score(x, { method: 'bound', aisRuns: 10, aisBetas: 200, rng: 20 });
    expect(s.logZLowerBound as number).toBeCloseTo(dbmLogZLowerBound(dbm, [x]).logZLowerBound, 9);
    const soft: Matrix = { rows: x.rows, cols: 10, data: x.data.map((v) => (v === 1 ? 0.9 : 0.2)) };
    const t = dbm.score(soft, { method: 'bound', aisRuns: 10, aisBetas: 200, rng: 20 });
    expect(t.logZLowerBound).toBe(dbmLogZLowerBound(dbm, [x]).logZLowerBound);
  });
});
