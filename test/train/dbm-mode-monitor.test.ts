/**
 * DBM joint training's spurious-mode monitor (`validation`): a certified log Z floor over the
 * blank image, the validation rows and the fantasy particles; the ceiling on the rows' bound; the
 * warning when the blank image outweighs every row and no particle visits it.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { dbmVariationalBound } from '../../src/models/dbm-ais.js';
import { dbmExactLogPartition } from '../../src/models/dbm-exact.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { Random } from '../../src/random/random.js';
import type { EpochMetrics } from '../../src/models/contract.js';

function halfRows(n: number, cols: number, seed: number, density = 0.5): Matrix {
  const g = new Random(seed);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < data.length; i++) data[i] = g.float64() < density ? 1 : 0;
  return { rows: n, cols, data };
}

describe('DBMTrainer.fit({ validation }): the spurious-mode monitor', () => {
  it('reports a floor below the exact log Z and a ceiling above the exact variational bound, every epoch', () => {
    const dbm = new DBM([10, 4, 3], { rng: 1, weightStd: 0.5 });
    const train = halfRows(40, 10, 2), val = halfRows(15, 10, 3);
    const t = new DBMTrainer(dbm, { batchSize: 10, nChains: 8, learningRate: 0.05, rng: 4 });
    const seen: EpochMetrics[] = [];
    t.fit(train, {
      epochs: 3,
      validation: val,
      onEpoch: (m) => {
        // the monitor describes the model as it stands at the end of the epoch
        const lz = dbmExactLogPartition(dbm);
        expect(m.logZLowerBound as number).toBeLessThanOrEqual(lz + 1e-9);
        const exactBound = dbmVariationalBound(dbm, val, lz, { maxIterations: 10, tolerance: 1e-5 }).mean;
        expect(m.boundCeiling as number).toBeGreaterThanOrEqual(exactBound - 1e-9);
        expect((m.boundCeiling as number) - exactBound).toBeCloseTo(lz - (m.logZLowerBound as number), 9);
        seen.push(m);
      },
    });
    expect(seen).toHaveLength(3);
    expect(seen.every((m) => m.warning === undefined)).toBe(true);
  });

  it('warns when the blank image outweighs every row and no fantasy particle is blank', () => {
    // h¹₀ fires only near the blank image (fewer than 15 of 40 pixels on): B(blank) ≈ 150, while rows
    // with ≈ 32 pixels on get ≈ 3·32 from the visible biases and nothing from h¹₀; with h¹₀ off every
    // pixel is on with probability σ(3) ≈ 0.95, so particles started at such rows never get near the blank image
    const mk = (): DBM => {
      const d = new DBM([40, 5, 3], { rng: 5, weightStd: 0.1 });
      for (let i = 0; i < 40; i++) d.weights[0].data[i * 5] = -10;
      d.biases[0].fill(3);
      d.biases[1][0] = 150;
      return d;
    };
    const train = halfRows(30, 40, 6, 0.8), val = halfRows(10, 40, 7, 0.8);
    const m = new DBMTrainer(mk(), { batchSize: 10, nChains: 6, learningRate: 1e-6, rng: 8 }).fit(train, { epochs: 1, validation: val }).history[0] as EpochMetrics;
    expect(m.warning).toMatch(/blank image outweighs every validation row/);
    expect(m.logZLowerBound as number).toBeGreaterThan(149);
    // the particles that do visit it (blank rows in the training data start some there): no warning
    const withBlank: Matrix = { rows: 30, cols: 40, data: train.data.slice() };
    withBlank.data.fill(0, 0, 15 * 40); // half the rows blank
    const visited = new DBMTrainer(mk(), { batchSize: 30, nChains: 6, learningRate: 1e-6, rng: 8 }).fit(withBlank, { epochs: 1, validation: val }).history[0] as EpochMetrics;
    expect(visited.warning).toBeUndefined();
    expect(visited.logZLowerBound).toBeCloseTo(m.logZLowerBound as number, 0);
    // without the mode: no warning
    const plain = new DBMTrainer(new DBM([40, 5, 3], { rng: 5, weightStd: 0.1 }), { batchSize: 10, nChains: 6, rng: 8 }).fit(train, { epochs: 1, validation: val }).history[0] as EpochMetrics;
    expect(plain.warning).toBeUndefined();
  });

  it('DBM.fit passes validation to joint training; bad rows are refused by name before any training', () => {
    const dbm = new DBM([6, 4, 3], { rng: 9 });
    const data = halfRows(20, 6, 10);
    const r = dbm.fit(data, { epochs: 2, pretrain: 1, batchSize: 5, nChains: 4, validation: halfRows(5, 6, 11), rng: 12 });
    const joint = r.history.filter((m) => m.stage === 'joint');
    expect(joint).toHaveLength(2);
    expect(joint.every((m) => typeof m.logZLowerBound === 'number' && typeof m.boundCeiling === 'number')).toBe(true);
    expect(r.history.filter((m) => m.stage !== 'joint').every((m) => m.boundCeiling === undefined)).toBe(true);
    const before = Array.from(dbm.weights[0].data);
    expect(() => dbm.fit(data, { epochs: 1, validation: [[0.5, 0, 1, 0, 1, 0]] })).toThrow(/validation/);
    expect(() => dbm.fit(data, { epochs: 1, validation: [[1, 0]] })).toThrow(/validation/);
    expect(() => new DBMTrainer(dbm).fit(data, { validation: [[2, 0, 1, 0, 1, 0]] })).toThrow(/validation/);
    expect(Array.from(dbm.weights[0].data)).toEqual(before);
  });
});
