import { describe, expect, it } from 'vitest';
import { aisSchedule, DBM, DBMTrainer, dbmAIS, setKernel, withThreads } from '../../src/index.js';
import { sigmoid } from '../../src/linalg/stable.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { Random } from '../../src/random/random.js';

/**
 * The DBM's hot paths — gathered products for 0/1 operands (data, sampled states), layer 1's
 * input from the data computed once per mean-field run, σ and the Bernoulli draws in SIMD —
 * must give the same bits on every kernel and thread count, and the bits of the plain loops
 * they replace.
 */
const differences = (a: Float64Array, b: Float64Array): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
};

function binaryRows(rows: number, cols: number, seed: number, p = 0.15): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: rows * cols }, () => (r.float64() < p ? 1 : 0));
}

/** `fn()` on the TS kernel (the automatic choice restored after). */
function onTsKernel<T>(fn: () => T): T {
  setKernel(tsKernel);
  try {
    return fn();
  } finally {
    setKernel(undefined);
  }
}

/** A DBM with weights large enough that the layers are far from uniform (sparse sampled states). */
function model(sizes: number[], seed: number): DBM {
  const dbm = new DBM(sizes, { rng: seed });
  const r = new Random(seed + 1);
  for (const w of dbm.weights) for (let i = 0; i < w.data.length; i++) w.data[i] = 0.15 * r.normal();
  for (const b of dbm.biases.slice(1)) for (let i = 0; i < b.length; i++) b[i] = -1.5 + 0.3 * r.normal();
  return dbm;
}

describe('DBM hot paths: the same bits everywhere', () => {
  const sizes = [196, 120, 160];

  it('mean field with layer 1’s data input computed once equals recomputing it at every sweep', () => {
    const dbm = model(sizes, 3);
    const rows = 50, v = binaryRows(rows, sizes[0], 4);
    const mu = sizes.map((n) => new Float64Array(rows * n));
    const tmp = new Float64Array(rows * Math.max(...sizes));
    const its = dbm.meanFieldUnchecked(mu, v, rows, 7, 0, tmp);
    expect(its).toBe(7);
    // reference: the plain sweeps, each recomputing b₁ + v·W₁ + μ₂·W₂ᵀ, σ one value at a time
    const ref = sizes.map((n) => new Float64Array(rows * n));
    for (let l = 1; l <= 2; l++) {
      dbm.layerInputUnchecked(ref[l], l, l === 1 ? v : ref[l - 1], null, rows, l < 2 ? 2 : 1, 0, l === 1);
      for (let i = 0; i < ref[l].length; i++) ref[l][i] = sigmoid(ref[l][i]);
    }
    for (let it = 0; it < 7; it++) {
      for (let l = 1; l <= 2; l++) {
        const t = new Float64Array(rows * sizes[l]);
        dbm.layerInputUnchecked(t, l, l === 1 ? v : ref[l - 1], l < 2 ? ref[l + 1] : null, rows, 1, 1, l === 1);
        for (let i = 0; i < t.length; i++) ref[l][i] = sigmoid(t[i]);
      }
    }
    expect(differences(mu[1], ref[1])).toBe(0);
    expect(differences(mu[2], ref[2])).toBe(0);
  });

  it('a Gibbs layer update equals rng.float64() < σ(input) drawn in order, and leaves the generator where that loop does', () => {
    const dbm = model(sizes, 5);
    const rows = 40;
    const x = sizes.map((n, l) => binaryRows(rows, n, 10 + l, 0.2));
    const rng = new Random(7), ref = new Random(7);
    const tmp = new Float64Array(rows * Math.max(...sizes));
    const want = new Float64Array(rows * sizes[1]);
    const input = new Float64Array(rows * sizes[1]);
    dbm.layerInputUnchecked(input, 1, x[0], x[2], rows, 1, 1, true);
    for (let i = 0; i < want.length; i++) want[i] = ref.float64() < sigmoid(input[i]) ? 1 : 0;
    dbm.sampleLayerUnchecked(x, 1, rows, rng, tmp);
    expect(differences(x[1], want)).toBe(0);
    expect(rng.float64()).toBe(ref.float64());
  });

  it('joint training gives the same parameters on the TS kernel, on one thread and on two', () => {
    const data = { rows: 200, cols: sizes[0], data: binaryRows(200, sizes[0], 21) };
    const train = (how: 'ts' | 1 | 2): DBM => {
      const dbm = model(sizes, 8);
      const tr = new DBMTrainer(dbm, { learningRate: 0.01, batchSize: 100, nChains: 100, gibbsSteps: 3, meanField: { maxIterations: 5, tolerance: 1e-7 }, rng: 9 });
      if (how === 'ts') onTsKernel(() => tr.fit(data, { epochs: 1 }));
      else tr.fit(data, { epochs: 1, threads: how });
      return dbm;
    };
    const ts = train('ts');
    for (const how of [1, 2] as const) {
      const d = train(how);
      for (let l = 0; l < d.weights.length; l++) expect(differences(d.weights[l].data, ts.weights[l].data), `W${l + 1}, ${how} thread(s)`).toBe(0);
      for (let l = 0; l < d.biases.length; l++) expect(differences(d.biases[l], ts.biases[l]), `b${l}, ${how} thread(s)`).toBe(0);
    }
  });

  it('AIS gives the same log weights on the TS kernel, on one thread and on two', () => {
    const dbm = model(sizes, 12);
    const opts = { runs: 30, betas: aisSchedule(20, 40, 60), rng: 13 };
    const ts = onTsKernel(() => dbmAIS(dbm, opts).logWeights);
    for (const t of [1, 2]) expect(differences(withThreads(t, () => dbmAIS(dbm, opts)).logWeights, ts), `${t} thread(s)`).toBe(0);
  });

  it('AIS with dense states and layers over 256 units (its products gathered at any density) gives the same log weights everywhere, both paths', () => {
    // weak weights and zero biases: about half the sampled units are on, where the kernels' own
    // switch (0.4) would run dense products, whose 256-deep blocks sum in another order
    const dbm = new DBM([300, 280, 270], { rng: 21, weightStd: 0.02 });
    for (const sumOut of ['odd', 'even'] as const) {
      const opts = { runs: 12, betas: aisSchedule(4, 8, 12), rng: 22, sumOut };
      const ts = onTsKernel(() => dbmAIS(dbm, opts).logWeights);
      for (const t of [1, 2]) expect(differences(withThreads(t, () => dbmAIS(dbm, opts)).logWeights, ts), `${sumOut}, ${t} thread(s)`).toBe(0);
    }
  });
});
