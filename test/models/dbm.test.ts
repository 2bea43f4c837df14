import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import { FormatError, ShapeError } from '../../src/errors.js';
import { dbmExactLogLikelihood, dbmExactLogPartition } from '../../src/models/dbm-exact.js';
import { exactLogLikelihood, exactLogPartition } from '../../src/energy/exact.js';
import { fromArrays, type Matrix } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { Random } from '../../src/random/random.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { pretrainDBM } from '../../src/train/pretrain-dbm.js';
import { randomDBM } from '../helpers/dbm-random.js';

/** The DBM as one fully connected binary Boltzmann machine E = −½ sᵀWs − bᵀs (the brute-force reference). */
function asQuadratic(dbm: DBM): QuadraticEnergy {
  const sizes = dbm.sizes;
  const N = sizes.reduce((a, b) => a + b, 0);
  const off = [0];
  for (const s of sizes) off.push(off[off.length - 1] + s);
  const W = new Float64Array(N * N), b = new Float64Array(N);
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        const w = dbm.weights[l].data[i * sizes[l + 1] + j];
        W[(off[l] + i) * N + off[l + 1] + j] = w;
        W[(off[l + 1] + j) * N + off[l] + i] = w;
      }
    }
  }
  sizes.forEach((s, l) => {
    for (let i = 0; i < s; i++) b[off[l] + i] = dbm.biases[l][i];
  });
  return new QuadraticEnergy({ rows: N, cols: N, data: W }, b, 'binary');
}

const bits = (s: number, n: number): number[] => Array.from({ length: n }, (_, i) => (s >> i) & 1);
const allStates = (n: number): Matrix => fromArrays(Array.from({ length: 2 ** n }, (_, s) => bits(s, n)));

describe('DBM exact log Z and log-likelihood', () => {
  it('agree with brute-force enumeration of the whole Boltzmann machine (2 and 3 hidden layers)', () => {
    for (const [sizes, seed] of [
      [[6, 4, 3], 1],
      [[5, 3, 4, 2], 2],
      [[3, 6, 2], 3],
      [[4, 2, 5, 3], 4],
    ] as [number[], number][]) {
      const dbm = randomDBM(sizes, seed, 1);
      const q = asQuadratic(dbm);
      expect(dbmExactLogPartition(dbm)).toBeCloseTo(exactLogPartition(q), 10);
      const data = allStates(sizes[0]);
      const vis = Array.from({ length: sizes[0] }, (_, i) => i);
      const ref = exactLogLikelihood(q, data, vis, { gradient: false }).perExample;
      const ll = dbmExactLogLikelihood(dbm, data);
      for (let r = 0; r < data.rows; r++) expect(ll[r]).toBeCloseTo(ref[r], 10);
    }
  });

  it('gives log Z = (Σ n_l)·log 2 and log P(v) = −n_v·log 2 for an all-zero model', () => {
    const dbm = new DBM([3, 2, 4], { weightStd: 1e-300 });
    expect(dbmExactLogPartition(dbm)).toBeCloseTo(9 * Math.LN2, 12);
    expect(dbmExactLogLikelihood(dbm, fromArrays([[1, 0, 1]]))[0]).toBeCloseTo(-3 * Math.LN2, 12);
  });

  it('refuses models too large to enumerate', () => {
    expect(() => dbmExactLogPartition(new DBM([30, 30, 30]))).toThrow(RangeError);
  });
});

describe('DBM energy and conditionals', () => {
  it('energy equals the quadratic form of the equivalent Boltzmann machine', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const dbm = randomDBM([4, 3, 2, 3], seed, 1);
        const q = asQuadratic(dbm);
        const rng = new Random(seed);
        const layers = dbm.sizes.map((n) => fromArrays([Array.from({ length: n }, () => (rng.float64() < 0.5 ? 1 : 0))]));
        const s = Float64Array.from(layers.flatMap((m) => Array.from(m.data)));
        expect(dbm.energy(layers)[0]).toBeCloseTo(q.energy(s), 10);
      }),
      { numRuns: 25 },
    );
  });

  it('mean-field output is a fixed point of μ_l = σ(b_l + μ_{l−1}W_l + W_{l+1}μ_{l+1})', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const dbm = randomDBM([5, 4, 3, 2], seed, 0.5);
        const v = fromArrays([[1, 0, 1, 1, 0]]);
        const mu = dbm.meanField(v, { maxIterations: 500, tolerance: 1e-13 });
        const layers = [v, ...mu];
        for (let l = 1; l <= 3; l++) {
          for (let j = 0; j < dbm.sizes[l]; j++) {
            let a = dbm.biases[l][j];
            for (let i = 0; i < dbm.sizes[l - 1]; i++) a += layers[l - 1].data[i] * dbm.weights[l - 1].data[i * dbm.sizes[l] + j];
            if (l < 3) for (let k = 0; k < dbm.sizes[l + 1]; k++) a += dbm.weights[l].data[j * dbm.sizes[l + 1] + k] * layers[l + 1].data[k];
            expect(mu[l - 1].data[j]).toBeCloseTo(1 / (1 + Math.exp(-a)), 9);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('transform concatenates the mean-field layers (or returns the top one)', () => {
    const dbm = randomDBM([4, 3, 2], 1, 1);
    const v = fromArrays([[1, 0, 0, 1], [0, 1, 1, 0]]);
    const mu = dbm.meanField(v);
    const all = dbm.transform(v);
    expect(all.cols).toBe(5);
    expect(Array.from(all.data.subarray(0, 3))).toEqual(Array.from(mu[0].data.subarray(0, 3)));
    expect(Array.from(all.data.subarray(8, 10))).toEqual(Array.from(mu[1].data.subarray(2, 4)));
    expect(Array.from(dbm.transform(v, { layers: 'top' }).data)).toEqual(Array.from(mu[1].data));
  });
});

describe('DBM sampling', () => {
  // Statistical test: 6000 independent chains, each 60 block-Gibbs sweeps from
  // Bernoulli(σ(b)) (the chains mix in a few sweeps at |w| ≈ 0.8). The
  // frequency of each of the 16 visible states has standard deviation
  // sqrt(p(1−p)/n); we allow 5 of them plus 0.004 for residual burn-in bias.
  // Sampling the even layers with stale odd layers, or dropping the top-down
  // term of layer 1, makes it fail (checked by hand).
  it('visible samples follow the exact marginal P(v) (2 and 3 hidden layers)', () => {
    // weight scale 2 as well: at 0.8 a sampler that never updates the top layer still passed
    // (its visible marginal moved by 0.81 of the tolerance), at 2 it fails (2.2 of it)
    for (const [sizes, scale] of [
      [[4, 3, 3], 0.8],
      [[4, 2, 3, 2], 0.8],
      [[4, 3, 3], 2],
    ] as const) {
      const dbm = randomDBM([...sizes], 7, scale);
      const p = Array.from(dbmExactLogLikelihood(dbm, allStates(4)), Math.exp);
      const n = 6000;
      const s = dbm.sample(n, { steps: 60, meanField: false, rng: 9 });
      const freq = new Array(16).fill(0);
      for (let r = 0; r < n; r++) {
        let k = 0;
        for (let i = 0; i < 4; i++) k += s.data[4 * r + i] << i;
        freq[k] += 1 / n;
      }
      for (let k = 0; k < 16; k++) expect(Math.abs(freq[k] - p[k])).toBeLessThan(5 * Math.sqrt((p[k] * (1 - p[k])) / n) + 0.004);
    }
  });

  it('is deterministic for a seed and validates its arguments', () => {
    const dbm = randomDBM([4, 3, 2], 3, 1);
    expect(Array.from(dbm.sample(3, { steps: 5, rng: 1 }).data)).toEqual(Array.from(dbm.sample(3, { steps: 5, rng: 1 }).data));
    expect(() => dbm.sample(0)).toThrow(RangeError);
    expect(() => dbm.sample(2, { init: fromArrays([[1, 0]]) })).toThrow(ShapeError);
    expect(() => dbm.meanField(fromArrays([[1, 0, 0, Number.NaN]]))).toThrow(RangeError);
    expect(() => dbm.meanField(fromArrays([[1, 0, 0, 0]]), { maxIterations: 0 })).toThrow(RangeError);
    expect(() => new DBM([3, 2])).toThrow(RangeError);
    expect(() => new DBM([3, 2, 2, 2, 2])).toThrow(RangeError);
    expect(() => new DBM([3, 0, 2])).toThrow(RangeError);
  });
});

describe('DBM documents', () => {
  it('round-trip exactly and reject malformed input', () => {
    const dbm = randomDBM([5, 4, 3, 2], 5, 1);
    const back = DBM.fromDocument(JSON.parse(JSON.stringify(dbm.toDocument())));
    expect(back.sizes).toEqual(dbm.sizes);
    for (let l = 0; l < 3; l++) expect(Array.from(back.weights[l].data)).toEqual(Array.from(dbm.weights[l].data));
    for (let l = 0; l < 4; l++) expect(Array.from(back.biases[l])).toEqual(Array.from(dbm.biases[l]));
    const doc = dbm.toDocument();
    expect(() => DBM.fromDocument({ ...doc, kind: 'dbn' })).toThrow(FormatError);
    expect(() => DBM.fromDocument({ ...doc, config: { sizes: [5, 4] } })).toThrow(FormatError);
    expect(() => DBM.fromDocument({ ...doc, config: { sizes: [5, 4, 4, 2] } })).toThrow(FormatError);
  });
});

describe('DBM model contract', () => {
  const rows = [
    [1, 1, 1, 0, 0, 0],
    [0, 0, 0, 1, 1, 1],
    [1, 1, 1, 0, 0, 0],
    [0, 0, 0, 1, 1, 1],
  ];

  it('fit = pretrainDBM then a DBMTrainer, from number[][], with stages and streams of rng', () => {
    const dbm = new DBM([6, 4, 3], { rng: 1 });
    const stages: string[] = [];
    const res = dbm.fit(rows, {
      epochs: 3,
      pretrain: [2, 1],
      pretrainTrainer: { batchSize: 2, learningRate: 0.1 },
      batchSize: 2,
      nChains: 4,
      learningRate: 0.01,
      rng: 5,
      onEpoch: (m) => void stages.push(m.stage as string),
    });
    expect(res.epochs).toBe(6);
    expect(stages).toEqual(['pretrain 0', 'pretrain 0', 'pretrain 1', 'joint', 'joint', 'joint']);
    expect(res.history.map((m) => m.stage)).toEqual(stages);
    expect(res.history[5].meanFieldIterations).toBeGreaterThan(0);
    // By hand with the same streams.
    const ref = new DBM([6, 4, 3], { rng: 1 });
    const [pre, joint] = new Random(5).streams(2);
    pretrainDBM(ref, fromArrays(rows), { epochs: [2, 1], trainer: { batchSize: 2, learningRate: 0.1 }, rng: pre });
    new DBMTrainer(ref, { batchSize: 2, nChains: 4, learningRate: 0.01, rng: joint }).fit(rows, { epochs: 3 });
    expect(JSON.stringify(dbm.toDocument())).toBe(JSON.stringify(ref.toDocument()));
    // Without rng: reproducible from the construction seed.
    const a = new DBM([6, 4, 3], { rng: 2 });
    const b = new DBM([6, 4, 3], { rng: 2 });
    a.fit(rows, { epochs: 2, pretrain: 2, batchSize: 2, nChains: 4 });
    b.fit(rows, { epochs: 2, pretrain: 2, batchSize: 2, nChains: 4 });
    expect(JSON.stringify(a.toDocument())).toBe(JSON.stringify(b.toDocument()));
    // pretrain: false skips pretraining.
    expect(new DBM([6, 4, 3]).fit(rows, { epochs: 2, pretrain: false, batchSize: 2, nChains: 4 }).history.map((m) => m.stage)).toEqual(['joint', 'joint']);
  });

  it('partialFit continues the trainer of fit (one joint pass)', () => {
    const dbm = new DBM([6, 4, 3], { rng: 3 });
    dbm.fit(rows, { epochs: 2, pretrain: false, batchSize: 2, nChains: 4 });
    const r = dbm.partialFit(rows);
    expect(r.history.map((m) => [m.stage, m.epoch, m.steps])).toEqual([['joint', 2, 6]]);
    expect(() => dbm.partialFit(rows, { epochs: 2 })).toThrow(TypeError);
    const fresh = new DBM([6, 4, 3], { rng: 3 });
    expect(fresh.partialFit(rows, { batchSize: 4, nChains: 4 }).history[0].steps).toBe(1);
  });

  it('partialFit: options equal to the kept trainer\'s continue it; a different value starts a new trainer (it was silently ignored)', () => {
    const opts = { batchSize: 2, nChains: 4, learningRate: 0.01, meanField: { maxIterations: 5, tolerance: 1e-4 } };
    const a = new DBM([6, 4, 3], { rng: 3 });
    const perEpoch = a.fit(rows, { epochs: 1, pretrain: false, ...opts }).history[0].steps;
    // the same values again: the same trainer, one epoch further, the bits of a call without options
    const b = new DBM([6, 4, 3], { rng: 3 });
    b.fit(rows, { epochs: 1, pretrain: false, ...opts });
    expect(a.partialFit(rows, opts).history.map((m) => [m.epoch, m.steps])).toEqual([[1, 2 * perEpoch]]);
    b.partialFit(rows);
    expect(JSON.stringify(a.toDocument())).toBe(JSON.stringify(b.toDocument()));
    // a new learning rate (or mean-field setting) is used: a new trainer, epoch 0
    const r = a.partialFit(rows, { ...opts, learningRate: 0.02 });
    expect(r.history.map((m) => [m.epoch, m.steps, m.learningRate])).toEqual([[0, perEpoch, 0.02]]);
    expect(a.partialFit(rows, { learningRate: 0.02 }).history[0].epoch).toBe(1);
    expect(a.partialFit(rows, { meanField: { maxIterations: 6, tolerance: 1e-4 } }).history[0].epoch).toBe(0);
    // a failing call leaves the kept trainer: the next call continues it
    expect(() => a.partialFit([[2, 0, 0, 0, 0, 0]], { learningRate: 0.5 })).toThrow(RangeError);
    expect(a.partialFit(rows).history[0].epoch).toBe(1);
  });

  it('sample continues the model’s stream: two calls differ, the same seed repeats the sequence', () => {
    const a = randomDBM([4, 3, 2], 3, 1);
    const b = randomDBM([4, 3, 2], 3, 1);
    const a1 = a.sample(6, { steps: 5, meanField: false });
    const a2 = a.sample(6, { steps: 5, meanField: false });
    expect(Array.from(a1.data)).not.toEqual(Array.from(a2.data));
    expect(Array.from(b.sample(6, { steps: 5, meanField: false }).data)).toEqual(Array.from(a1.data));
    expect(Array.from(b.sample(6, { steps: 5, meanField: false }).data)).toEqual(Array.from(a2.data));
    expect(() => a.sample(2, { init: [[1, 0, 1, 0]] })).toThrow(ShapeError); // init rows must equal n
    expect(a.sample(1, { init: [[1, 0, 1, 0]], steps: 2 }).rows).toBe(1);
  });

  it('score on a small net is the exact mean; the bound lies below it with an AIS interval', () => {
    const dbm = randomDBM([6, 4, 3], 5, 1);
    const exact = dbmExactLogLikelihood(dbm, fromArrays(rows));
    const s = dbm.score(rows);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo(exact.reduce((x, y) => x + y, 0) / exact.length, 12);
    expect([s.lower, s.upper]).toEqual([s.mean, s.mean]);
    expect(s.logZ).toBeCloseTo(dbmExactLogPartition(dbm), 12);
    expect(Array.from(dbm.scoreSamples(rows))).toEqual(Array.from(exact));
    // 'bound' on request: the mean-field bound with AIS log Z (≈ exact log Z here, so below the exact mean).
    const b = dbm.score(rows, { method: 'bound', aisRuns: 50, aisBetas: 2000 });
    expect(b.method).toBe('bound');
    expect(b.lower).toBeLessThanOrEqual(b.mean);
    expect(b.upper).toBeGreaterThanOrEqual(b.mean);
    expect(b.mean).toBeLessThan(s.mean + 0.05);
    expect(Math.abs((b.logZ as number) - dbmExactLogPartition(dbm))).toBeLessThan(0.1);
    expect(b.ess).toBeGreaterThan(1);
    // the AIS base's hidden layers: the scored rows' mean-field rates by default, or uniform; both near exact log Z
    const u = dbm.score(rows, { method: 'bound', aisRuns: 50, aisBetas: 2000, aisHiddenBase: 'uniform', rng: 3 });
    const d = dbm.score(rows, { method: 'bound', aisRuns: 50, aisBetas: 2000, rng: 3 });
    expect(u.logZ).not.toBe(d.logZ);
    for (const r of [u, d]) expect(Math.abs((r.logZ as number) - dbmExactLogPartition(dbm))).toBeLessThan(0.1);
    // @ts-expect-error only 'data' or 'uniform'
    expect(() => dbm.score(rows, { method: 'bound', aisHiddenBase: 'mean' })).toThrow(TypeError);
    // too large to enumerate → 'bound' automatically
    expect(new DBM([30, 30, 30]).score([Array.from({ length: 30 }, (_, i) => i % 2)], { aisRuns: 4, aisBetas: 30 }).method).toBe('bound');
    expect(() => new DBM([30, 30, 30]).score([Array.from({ length: 30 }, () => 0)], { method: 'exact' })).toThrow(RangeError);
  });

  it('refuses unknown options with a suggestion', () => {
    const dbm = new DBM([4, 3, 2]);
    const v = [[1, 0, 1, 0]];
    expect(() => dbm.fit(v, { epoch: 2 } as never)).toThrow(/unknown option 'epoch' \(did you mean 'epochs'\?\)/);
    expect(() => dbm.sample(2, { step: 5 } as never)).toThrow(/did you mean 'steps'/);
    expect(() => dbm.score(v, { aisRun: 5 } as never)).toThrow(/did you mean 'aisRuns'/);
    expect(() => dbm.transform(v, { layer: 'top' } as never)).toThrow(/did you mean 'layers'/);
    expect(() => dbm.meanField(v, { maxIteration: 3 } as never)).toThrow(/did you mean 'maxIterations'/);
    expect(() => new DBM([4, 3, 2], { weightstd: 1 } as never)).toThrow(/did you mean 'weightStd'/);
    expect(() => new DBMTrainer(dbm, { batch_size: 2 } as never)).toThrow(/did you mean 'batchSize'/);
    expect(() => pretrainDBM(dbm, v, { epoch: 2 } as never)).toThrow(/did you mean 'epochs'/);
  });

  it('clone copies the parameters and the stream', () => {
    const a = randomDBM([4, 3, 2], 6, 1);
    const c = a.clone();
    expect(Array.from(c.sample(3, { steps: 3 }).data)).toEqual(Array.from(a.sample(3, { steps: 3 }).data));
  });
});

describe('building blocks without a likelihood of their own', () => {
  it('ScaledRBM and LabelledRBM refuse score and scoreSamples with a RangeError naming what to score instead', async () => {
    const { ScaledRBM, LabelledRBM } = await import('../../src/index.js');
    const s = new ScaledRBM(4, 3, { upScale: 2 });
    expect(() => s.score([[1, 0, 1, 0]])).toThrow(/ScaledRBM.score: .*score the DBM/);
    expect(() => s.scoreSamples([[1, 0, 1, 0]])).toThrow(RangeError);
    const l = new LabelledRBM(4, 2, 3);
    expect(() => l.score([[1, 0, 1, 0, 1, 0]])).toThrow(/LabelledRBM.score: .*score the DBN/);
  });
});
