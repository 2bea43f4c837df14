import { describe, expect, it } from 'vitest';
import { aisSchedule } from '../../src/models/rbm-ais.js';
import { dbmAIS, dbmAISWork, dbmHiddenBaseRates, dbmHiddenBaseRatesWork, dbmVariationalBound } from '../../src/models/dbm-ais.js';
import { thenWork } from '../../src/models/fit-async.js';
import { dbmExactLogLikelihood, dbmExactLogPartition } from '../../src/models/dbm-exact.js';
import { fromArrays } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { Random } from '../../src/random/random.js';
import { randomDBM } from '../helpers/dbm-random.js';

describe('dbmAIS', () => {
  // The requirement: |log Ẑ − log Z| < 0.1 nats. With 100 runs and 1 500 β
  // steps the spread of the log weights here is ≈ 0.1–0.3, so the standard error
  // of log Ẑ is ≈ 0.03 and 0.1 nats is > 3σ; the ±3σ interval must contain the
  // exact value as well. Dropping the (1−β)·b_A term of the visible transition,
  // or summing the even layers with stale odd ones, moves the estimate by more
  // than 0.1 (checked by hand). Both paths: the odd layers summed out (default)
  // and the even ones (sumOut: 'even'); for the latter, dropping the (1−β)·b_A
  // term from the visible softplus, or the odd layers' bias term, fails too.
  for (const sumOut of ['odd', 'even'] as const) {
  it(`log Z within 0.1 nats of exact (two-layer DBM, data base model, ${sumOut} layers summed out)`, () => {
    const dbm = randomDBM([12, 8, 6], 1, 0.6);
    const exact = dbmExactLogPartition(dbm);
    const data = fromArrays([
      [1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0],
      [0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0],
      [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1],
    ]);
    const r = dbmAIS(dbm, { base: data, betas: aisSchedule(100, 400, 1000), runs: 100, rng: 3, sumOut });
    expect(Math.abs(r.logZ - exact)).toBeLessThan(0.1);
    expect(r.logZLower).toBeLessThanOrEqual(exact);
    expect(r.logZUpper).toBeGreaterThanOrEqual(exact);
    expect(r.effectiveSampleSize).toBeGreaterThan(20);
  });

  it(`log Z within 0.1 nats of exact (three hidden layers, uniform base, ${sumOut} layers summed out)`, () => {
    const dbm = randomDBM([8, 6, 5, 4], 2, 0.6);
    const exact = dbmExactLogPartition(dbm);
    const r = dbmAIS(dbm, { betas: aisSchedule(100, 400, 1000), runs: 100, rng: 4, sumOut });
    expect(Math.abs(r.logZ - exact)).toBeLessThan(0.1);
  });

  it(`is exact at β-path length 1 for a model equal to the base (zero weights, ${sumOut} layers summed out)`, () => {
    const dbm = new DBM([5, 3, 2], { weightStd: 1e-300 });
    dbm.biases[0].set([0.3, -1, 2, 0, 0.5]);
    const r = dbmAIS(dbm, { base: dbm.biases[0], betas: Float64Array.of(0, 1), runs: 3, sumOut });
    expect(r.logZ).toBeCloseTo(dbmExactLogPartition(dbm), 12);
  });
  }

  // A base with hidden-layer rates (the mean-field posteriors' averages over data): both paths
  // stay exact, with log Z_A = Σ softplus over every layer's base biases. Dropping the hidden
  // base term from the summed-out softplus (or from the sampled layers' weights) moves the
  // estimate by more than 0.1 (checked by hand: dropping it from the summed-out softplus moves the
  // odd path by 1.9 nats; dropping the sampled layers' base term moves the even path by 2.8).
  it('log Z within 0.1 nats of exact with hidden base rates (both paths, 2 and 3 hidden layers)', () => {
    const data = fromArrays([
      [1, 1, 0, 0, 1, 0, 1, 0],
      [0, 1, 1, 0, 1, 0, 0, 0],
      [1, 0, 0, 1, 1, 1, 0, 0],
      [0, 0, 1, 1, 0, 0, 1, 1],
    ]);
    for (const sizes of [
      [8, 6, 5],
      [8, 6, 5, 4],
    ]) {
      const dbm = randomDBM(sizes, 3, 0.8);
      const exact = dbmExactLogPartition(dbm);
      const hiddenBase = dbmHiddenBaseRates(dbm, data);
      expect(hiddenBase.map((b) => b.length)).toEqual(sizes.slice(1));
      for (const sumOut of ['odd', 'even'] as const) {
        const r = dbmAIS(dbm, { base: data, hiddenBase, betas: aisSchedule(100, 400, 1000), runs: 100, rng: 7, sumOut });
        expect(Math.abs(r.logZ - exact), `${sizes} ${sumOut}`).toBeLessThan(0.1);
      }
    }
    // a one-step path is importance sampling from the base: exact for a model equal to its base
    const flat = new DBM([5, 3, 2], { weightStd: 1e-300 });
    flat.biases[0].set([0.3, -1, 2, 0, 0.5]);
    flat.biases[1].set([1, -2, 0.5]);
    flat.biases[2].set([-0.7, 0.2]);
    for (const sumOut of ['odd', 'even'] as const) {
      const r = dbmAIS(flat, { base: flat.biases[0], hiddenBase: [flat.biases[1], flat.biases[2]], betas: Float64Array.of(0, 1), runs: 3, sumOut });
      expect(r.logZ).toBeCloseTo(dbmExactLogPartition(flat), 12);
    }
    expect(() => dbmAIS(flat, { hiddenBase: [new Float64Array(3)] })).toThrow(TypeError);
    expect(() => dbmAIS(flat, { hiddenBase: [new Float64Array(3), new Float64Array(3)] })).toThrow(RangeError);
    expect(() => dbmHiddenBaseRates(flat, [[0, 1]])).toThrow();
  });

  it('hidden base rates as stepped work (chunks of 100 rows) give the same numbers, and chain into AIS', () => {
    const dbm = randomDBM([8, 6, 5], 4, 0.8);
    const rng = new Random(9);
    const data = fromArrays(Array.from({ length: 230 }, () => Array.from({ length: 8 }, () => (rng.float64() < 0.3 ? 1 : 0))));
    const work = dbmHiddenBaseRatesWork(dbm, data);
    expect(work.total).toBe(3);
    while (work.done < work.total) work.advance(1);
    expect(work.result().map((b) => Array.from(b))).toEqual(dbmHiddenBaseRates(dbm, data).map((b) => Array.from(b)));
    const betas = aisSchedule(5, 10, 20);
    const chained = thenWork(dbmHiddenBaseRatesWork(dbm, data), (hiddenBase) => dbmAISWork(dbm, { base: data, hiddenBase, betas, runs: 6, rng: 2 }), betas.length - 1);
    expect(chained.total).toBe(3 + betas.length - 1);
    chained.advance(2);
    expect(chained.done).toBe(2);
    chained.advance(5);
    expect(chained.done).toBe(7);
    chained.advance(chained.total);
    expect(chained.done).toBe(chained.total);
    expect(chained.result().logZ).toBe(dbmAIS(dbm, { base: data, hiddenBase: dbmHiddenBaseRates(dbm, data), betas, runs: 6, rng: 2 }).logZ);
    expect(() => thenWork(dbmHiddenBaseRatesWork(dbm, data), () => dbmAISWork(dbm, { betas, runs: 2 }), 3).advance(10)).toThrow(RangeError);
  });

  // Far from the base model (log Z more than 20 nats above log Z_A with N(0, 2²) parameters), so a 1%
  // bias in every weight increment (≈ 0.3 nats) is outside the tolerance: both paths, 200 runs.
  it('log Z within 0.15 nats of exact on a model far from its base (both paths)', () => {
    const dbm = randomDBM([10, 8, 6], 5, 2);
    const exact = dbmExactLogPartition(dbm);
    let logZA = 0;
    for (const n of dbm.sizes) logZA += n * Math.LN2;
    expect(exact - logZA).toBeGreaterThan(20);
    for (const sumOut of ['odd', 'even'] as const) {
      const r = dbmAIS(dbm, { betas: aisSchedule(300, 1200, 3000), runs: 200, rng: 6, sumOut });
      expect(Math.abs(r.logZ - exact)).toBeLessThan(0.15);
    }
  });

  it('is deterministic for a seed and validates arguments', () => {
    const dbm = randomDBM([4, 3, 2], 1, 0.5);
    const o = { betas: aisSchedule(5, 10, 20), runs: 5, rng: 1 };
    expect(dbmAIS(dbm, o).logZ).toBe(dbmAIS(dbm, o).logZ);
    expect(() => dbmAIS(dbm, { base: new Float64Array(3) })).toThrow(RangeError);
    expect(() => dbmAIS(dbm, { betas: Float64Array.of(0, 0.5) })).toThrow(RangeError);
    expect(() => dbmAIS({} as DBM)).toThrow(TypeError);
    // @ts-expect-error only 'odd' or 'even'
    expect(() => dbmAIS(dbm, { sumOut: 'all' })).toThrow(/sumOut/);
  });
});

describe('dbmVariationalBound', () => {
  it('is a lower bound on the exact log-likelihood of every row, and tight when the weights vanish', () => {
    const dbm = randomDBM([6, 4, 3], 5, 1);
    const data = fromArrays([
      [1, 0, 1, 1, 0, 0],
      [0, 0, 0, 1, 1, 1],
      [1, 1, 1, 1, 1, 1],
    ]);
    const lz = dbmExactLogPartition(dbm);
    const exact = dbmExactLogLikelihood(dbm, data, lz);
    const b = dbmVariationalBound(dbm, data, lz);
    for (let r = 0; r < 3; r++) expect(b.perRow[r]).toBeLessThanOrEqual(exact[r] + 1e-12);
    expect(b.mean).toBeCloseTo((b.perRow[0] + b.perRow[1] + b.perRow[2]) / 3, 12);
    // With W = 0 the posterior is factorial, q is exact, and the bound equals log P(v).
    const flat = new DBM([6, 4, 3], { weightStd: 1e-300 });
    const rng = new Random(2);
    for (const bias of flat.biases) rng.fillNormal(bias, 0, 1);
    const fz = dbmExactLogPartition(flat);
    const fb = dbmVariationalBound(flat, data, fz);
    const fe = dbmExactLogLikelihood(flat, data, fz);
    for (let r = 0; r < 3; r++) expect(fb.perRow[r]).toBeCloseTo(fe[r], 10);
  });

  it('maps the AIS interval onto the bound', () => {
    const dbm = randomDBM([4, 3, 2], 1, 0.5);
    const data = fromArrays([[1, 0, 1, 0]]);
    const ais = dbmAIS(dbm, { betas: aisSchedule(10, 40, 100), runs: 20, rng: 2 });
    const b = dbmVariationalBound(dbm, data, ais);
    expect(b.mean).toBeCloseTo(b.meanUnnormalised - ais.logZ, 12);
    expect(b.lower).toBeCloseTo(b.meanUnnormalised - ais.logZUpper, 12);
    expect(b.upper).toBeCloseTo(b.meanUnnormalised - ais.logZLower, 12);
    expect(() => dbmVariationalBound(dbm, data, Number.NaN)).toThrow(RangeError);
  });
});
