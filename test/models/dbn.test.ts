import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError } from '../../src/errors.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import { fromArrays, type Matrix } from '../../src/linalg/matrix.js';
import { DBN, LabelledRBM } from '../../src/models/dbn.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';

/** A DBN with N(0, scale²) weights and biases. */
function randomDBN(sizes: number[], seed: number, scale: number, nLabels = 0): DBN {
  const dbn = new DBN(sizes, { nLabels, rng: seed, weightStd: scale });
  const rng = new Random(seed + 1000);
  for (const l of dbn.layers) {
    rng.fillNormal(l.visibleBias, 0, Math.min(scale, 1));
    rng.fillNormal(l.hiddenBias, 0, Math.min(scale, 1));
  }
  return dbn;
}

function bits(s: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (s >> i) & 1);
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Brute force, written independently of the library: the joint of the top RBM
 * `exp(−E(h_{L−1}, y, h_L)) / Z` over every state (labels one-hot), times the
 * directed conditionals `Π_k P(h_{k−1} | h_k)`, summed over every hidden state.
 */
function bruteForceLogP(dbn: DBN, v: number[], y?: number): number {
  const L = dbn.depth, sizes = dbn.sizes, nL = dbn.nLabels;
  const top = dbn.layers[L - 1];
  const topE = (x: number[], h: number[]): number => {
    let e = 0;
    for (let i = 0; i < x.length; i++) e -= top.visibleBias[i] * x[i];
    for (let j = 0; j < h.length; j++) e -= top.hiddenBias[j] * h[j];
    for (let i = 0; i < x.length; i++) for (let j = 0; j < h.length; j++) e -= x[i] * top.weights.data[i * top.nHidden + j] * h[j];
    return e;
  };
  const labelsOf = nL === 0 ? [[] as number[]] : Array.from({ length: nL }, (_, c) => bits(1 << c, nL));
  let Z = 0;
  const pTop = new Map<string, number>(); // unnormalised P(h_{L−1}, y)
  for (let s = 0; s < 2 ** sizes[L - 1]; s++) {
    for (let c = 0; c < labelsOf.length; c++) {
      const x = [...bits(s, sizes[L - 1]), ...labelsOf[c]];
      let sum = 0;
      for (let t = 0; t < 2 ** sizes[L]; t++) sum += Math.exp(-topE(x, bits(t, sizes[L])));
      Z += sum;
      pTop.set(`${s},${c}`, sum);
    }
  }
  // P(h_{k−1} = a | h_k = b) for layer k ≥ 1 (layers[k−1])
  const cond = (k: number, a: number[], b: number[]): number => {
    const rbm = dbn.layers[k - 1];
    let p = 1;
    for (let i = 0; i < a.length; i++) {
      let act = rbm.visibleBias[i];
      for (let j = 0; j < b.length; j++) act += rbm.weights.data[i * rbm.nHidden + j] * b[j];
      p *= a[i] === 1 ? sig(act) : 1 - sig(act);
    }
    return p;
  };
  // enumerate h_1 … h_{L−1} jointly
  const hidden = sizes.slice(1, L);
  const total = hidden.reduce((a, n) => a * 2 ** n, 1);
  let p = 0;
  for (let idx = 0; idx < total; idx++) {
    let rest = idx;
    const hs: number[][] = [v];
    for (const n of hidden) {
      hs.push(bits(rest % 2 ** n, n));
      rest = Math.floor(rest / 2 ** n);
    }
    const sTop = hs[L - 1].reduce((a, b, i) => a + (b << i), 0);
    let pt = 0;
    if (y === undefined) for (let c = 0; c < labelsOf.length; c++) pt += pTop.get(`${sTop},${c}`) as number;
    else pt = pTop.get(`${sTop},${y}`) as number;
    let q = pt / Z;
    for (let k = 1; k < L; k++) q *= cond(k, hs[k - 1], hs[k]);
    if (L === 1) q = pt / Z; // v is the top RBM's visible layer
    p += q;
  }
  return Math.log(p);
}

function allStates(n: number): Matrix {
  return fromArrays(Array.from({ length: 2 ** n }, (_, s) => bits(s, n)));
}

describe('DBN exact log-likelihood', () => {
  it('agrees with brute-force enumeration (2 and 3 hidden layers, with and without labels)', () => {
    const cases: [number[], number][] = [
      [[4, 3, 2], 0],
      [[3, 3, 2, 3], 0],
      [[4, 2, 3], 3],
      [[3, 2, 2, 2], 2],
      [[4, 3], 0],
    ];
    for (const [sizes, nL] of cases) {
      const dbn = randomDBN(sizes, 11 + sizes.length + nL, 1.2, nL);
      const data = allStates(sizes[0]);
      const ll = dbn.scoreSamples(data);
      for (let r = 0; r < data.rows; r++) {
        const v = Array.from(data.data.subarray(r * sizes[0], (r + 1) * sizes[0]));
        expect(ll[r]).toBeCloseTo(bruteForceLogP(dbn, v), 10);
      }
      // normalised: Σ_v P(v) = 1
      expect(ll.reduce((a, x) => a + Math.exp(x), 0)).toBeCloseTo(1, 12);
      if (nL > 0) {
        const y = Array.from({ length: data.rows }, (_, r) => r % nL);
        const lj = dbn.scoreSamples(data, { labels: y });
        for (let r = 0; r < data.rows; r++) {
          const v = Array.from(data.data.subarray(r * sizes[0], (r + 1) * sizes[0]));
          expect(lj[r]).toBeCloseTo(bruteForceLogP(dbn, v, y[r]), 10);
        }
      }
    }
  });

  it('for one RBM it is −F(v) − log Z with the RBM module’s exact log Z', () => {
    const dbn = randomDBN([5, 4], 3, 1);
    const data = fromArrays([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0]]);
    const ll = dbn.scoreSamples(data);
    const f = dbn.layers[0].freeEnergy(data);
    const lz = rbmExactLogPartition(dbn.layers[0]);
    expect(ll[0]).toBeCloseTo(-f[0] - lz, 10);
    expect(ll[1]).toBeCloseTo(-f[1] - lz, 10);
  });

  it('refuses layers too large to enumerate', () => {
    expect(() => new DBN([3, 30, 2]).scoreSamples(fromArrays([[1, 0, 1]]), { method: 'exact' })).toThrow(RangeError);
    expect(() => new DBN([3, 30, 2]).score(fromArrays([[1, 0, 1]]), { method: 'exact' })).toThrow(/at most 20/);
  });
});

describe('DBN generation', () => {
  // Statistical test: with n independent samples the frequency of each visible
  // state has standard deviation sqrt(p(1−p)/n); we allow 5 of them plus 0.005
  // for the finite Gibbs chain in the top RBM (its mixing is fast at these
  // weights: 200 steps ≫ the relaxation time of a 3×3 RBM with |w| ~ 1).
  // Breaking the directed pass (using P(v|h) from the wrong layer) or dropping
  // the clamped label makes this fail (checked by hand).
  it('samples follow the exact P(v) (and P(v | y) with clamped labels)', () => {
    const dbn = randomDBN([3, 3, 3], 5, 1, 2);
    const n = 6000;
    const states = allStates(3);
    const pv = Array.from(dbn.scoreSamples(states), Math.exp);
    const check = (samples: Matrix, p: number[]): void => {
      const freq = new Array(8).fill(0);
      for (let r = 0; r < samples.rows; r++) freq[samples.data[3 * r] + 2 * samples.data[3 * r + 1] + 4 * samples.data[3 * r + 2]] += 1 / samples.rows;
      for (let s = 0; s < 8; s++) expect(Math.abs(freq[s] - p[s])).toBeLessThan(5 * Math.sqrt((p[s] * (1 - p[s])) / samples.rows) + 0.005);
    };
    check(dbn.sample(n, { steps: 200, meanField: false, rng: 7 }), pv);
    // Class-conditional: P(v | y) = P(v, y) / Σ_v P(v, y). Strong weights (σ = 3) and
    // balanced label biases make P(v | y = 1) differ from P(v) by up to 0.14 in one
    // state, far beyond the tolerance (≈ 0.04), so ignoring the clamp fails.
    const strong = randomDBN([3, 3, 3], 7, 3, 2);
    strong.layers[1].visibleBias.fill(0, 3, 5);
    const y = 1;
    const lj = Array.from(strong.scoreSamples(states, { labels: new Array(8).fill(y) }), Math.exp);
    const py = lj.reduce((a, b) => a + b, 0);
    check(strong.sample(n, { steps: 300, meanField: false, labels: new Array(n).fill(y), rng: 8 }), lj.map((p) => p / py));
  });

  it('is deterministic given the seed and returns probabilities with meanField', () => {
    const dbn = randomDBN([6, 4, 3], 2, 1);
    const a = dbn.sample(4, { steps: 20, rng: 3 });
    const b = dbn.sample(4, { steps: 20, rng: 3 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(a.data.some((x) => x > 0 && x < 1)).toBe(true);
  });
});

describe('DBN classification', () => {
  it('predictProba equals the exact posterior of the top RBM given the up-pass features', () => {
    const dbn = randomDBN([4, 3, 2], 9, 1, 3);
    const v = fromArrays([[1, 0, 1, 1], [0, 1, 0, 0]]);
    const p = dbn.predictProba(v);
    const x = dbn.transform(v, { layer: 1 });
    const top = dbn.layers[1];
    for (let r = 0; r < 2; r++) {
      // brute force: Σ_h exp(−E([x, e_y], h)), normalised over y
      const un: number[] = [];
      for (let y = 0; y < 3; y++) {
        const xv = [...Array.from(x.data.subarray(3 * r, 3 * r + 3)), ...bits(1 << y, 3)];
        let s = 0;
        for (let t = 0; t < 4; t++) {
          const h = bits(t, 2);
          let e = 0;
          for (let i = 0; i < 6; i++) e -= top.visibleBias[i] * xv[i];
          for (let j = 0; j < 2; j++) e -= top.hiddenBias[j] * h[j];
          for (let i = 0; i < 6; i++) for (let j = 0; j < 2; j++) e -= xv[i] * top.weights.data[i * 2 + j] * h[j];
          s += Math.exp(-e);
        }
        un.push(s);
      }
      const z = un.reduce((a, b) => a + b, 0);
      for (let y = 0; y < 3; y++) expect(p.data[3 * r + y]).toBeCloseTo(un[y] / z, 12);
    }
    expect(Array.from(dbn.predict(v))).toEqual([0, 1].map((r) => [0, 1, 2].reduce((b, y) => (p.data[3 * r + y] > p.data[3 * r + b] ? y : b), 0)));
  });

  it('learns a separable toy problem (labels joined to the top RBM)', () => {
    const rng = new Random(4);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let r = 0; r < 200; r++) {
      const c = r % 2;
      rows.push(Array.from({ length: 8 }, (_, i) => ((i < 4) === (c === 0) ? (rng.float64() < 0.9 ? 1 : 0) : rng.float64() < 0.1 ? 1 : 0)));
      y.push(c);
    }
    const data = fromArrays(rows);
    const dbn = new DBN([8, 6, 6], { nLabels: 2, rng: 1 });
    dbn.fit(data, { labels: y, epochs: 30, batchSize: 10, learningRate: 0.1, momentum: 0.5, rng: 2 });
    const pred = dbn.predict(data);
    let err = 0;
    for (let r = 0; r < 200; r++) if (pred[r] !== y[r]) err++;
    expect(err / 200).toBeLessThan(0.05);
  });
});

describe('DBN greedy training', () => {
  it('trains each layer with the shared CD trainer on the hidden probabilities of the layer below', () => {
    const data = fromArrays([[1, 1, 0, 0, 1], [0, 0, 1, 1, 0], [1, 0, 1, 0, 1], [0, 1, 0, 1, 1]]);
    const dbn = new DBN([5, 4, 3], { rng: 3 });
    const init = dbn.layers.map((l) => l.clone());
    const trainer = { batchSize: 2, learningRate: 0.1, k: 2 };
    dbn.fit(data, { epochs: 3, ...trainer, rng: 5 });
    // Re-create by hand with the same generator streams.
    const streams = new Random(5).streams(4);
    const r0 = init[0];
    r0.initVisibleBias(data);
    new RBMTrainer(r0, { ...trainer, rng: streams[0] }).fit(data, { epochs: 3 });
    const r1 = init[1];
    const h = r0.hiddenProbs(data);
    r1.initVisibleBias(h);
    new RBMTrainer(r1, { ...trainer, rng: streams[2] }).fit(h, { epochs: 3 });
    expect(Array.from(dbn.layers[0].weights.data)).toEqual(Array.from(r0.weights.data));
    expect(Array.from(dbn.layers[1].weights.data)).toEqual(Array.from(r1.weights.data));
    expect(Array.from(dbn.layers[1].hiddenBias)).toEqual(Array.from(r1.hiddenBias));
  });

  it('validates before training and leaves the model unchanged on bad input', () => {
    const dbn = new DBN([3, 2, 2], { nLabels: 2 });
    const before = JSON.stringify(dbn.toDocument());
    const data = fromArrays([[1, 0, 1]]);
    expect(() => dbn.fit(data)).toThrow(TypeError); // labels missing
    expect(() => dbn.fit(data, { labels: [2] })).toThrow(RangeError);
    expect(() => dbn.fit(data, { labels: [0], layerOptions: [{}, { k: 0 }] })).toThrow(RangeError);
    expect(() => dbn.fit(fromArrays([[1, 0]]), { labels: [0] })).toThrow(ShapeError);
    expect(JSON.stringify(dbn.toDocument())).toBe(before);
    expect(() => new DBN([3])).toThrow(RangeError);
    expect(() => new DBN([3, 2], { nLabels: 1 })).toThrow(RangeError);
    expect(() => new DBN([3, 2]).predict(data)).toThrow(RangeError);
  });

  it('does not modify its input', () => {
    const data = fromArrays([[1, 0, 1], [0, 1, 1]]);
    const copy = Float64Array.from(data.data);
    const dbn = new DBN([3, 2, 2]);
    dbn.fit(data, { epochs: 1, batchSize: 2 });
    dbn.transform(data);
    dbn.scoreSamples(data);
    expect(Array.from(data.data)).toEqual(Array.from(copy));
  });
});

describe('LabelledRBM', () => {
  it('has a softmax label group and one-hot label samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const rbm = new LabelledRBM(3, 4, 2, { rng: seed, weightStd: 2 });
        const h = fromArrays([[1, 0], [0, 1]]);
        const p = rbm.visibleProbs(h);
        for (let r = 0; r < 2; r++) expect(p.data.subarray(r * 7 + 3, r * 7 + 7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        const s = rbm.sampleVisible(h, seed);
        for (let r = 0; r < 2; r++) expect(s.data.subarray(r * 7 + 3, r * 7 + 7).reduce((a, b) => a + b, 0)).toBe(1);
      }),
      { numRuns: 30 },
    );
  });
});

describe('DBN documents', () => {
  it('round-trips through JSON exactly and rejects malformed documents', () => {
    const dbn = randomDBN([5, 4, 3, 2], 1, 0.7, 3);
    const back = DBN.fromDocument(JSON.parse(JSON.stringify(dbn.toDocument())));
    expect(back.sizes).toEqual(dbn.sizes);
    expect(back.nLabels).toBe(3);
    expect(back.layers[2]).toBeInstanceOf(LabelledRBM);
    for (let k = 0; k < 3; k++) expect(Array.from(back.layers[k].weights.data)).toEqual(Array.from(dbn.layers[k].weights.data));
    const v = fromArrays([[1, 0, 1, 1, 0]]);
    expect(Array.from(back.predictProba(v).data)).toEqual(Array.from(dbn.predictProba(v).data));
    const doc = dbn.toDocument();
    expect(() => DBN.fromDocument({ ...doc, kind: 'dbm' })).toThrow(FormatError);
    expect(() => DBN.fromDocument({ ...doc, config: { sizes: [5], nLabels: 0 } })).toThrow(FormatError);
    expect(() => DBN.fromDocument({ ...doc, config: { sizes: [5, 4, 3, 2], nLabels: 0 } })).toThrow(FormatError);
    expect(new RBM(2, 2)).toBeInstanceOf(RBM);
  });
});

describe('DBN model contract', () => {
  const rows = [
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
    [0, 0, 1, 1],
  ];

  it('fits from number[][] and reports every layer’s epochs with its stage', () => {
    const dbn = new DBN([4, 3, 2], { rng: 1 });
    const stages: string[] = [];
    const res = dbn.fit(rows, { epochs: [2, 3], batchSize: 2, onEpoch: (m) => void stages.push(`${m.stage}:${m.epoch}`) });
    expect(res.epochs).toBe(5);
    expect(res.aborted).toBe(false);
    expect(stages).toEqual(['layer 0:0', 'layer 0:1', 'layer 1:0', 'layer 1:1', 'layer 1:2']);
    expect(res.history.map((m) => m.stage)).toEqual(['layer 0', 'layer 0', 'layer 1', 'layer 1', 'layer 1']);
    // The same as training from a Matrix.
    const b = new DBN([4, 3, 2], { rng: 1 });
    b.fit(fromArrays(rows), { epochs: [2, 3], batchSize: 2 });
    expect(JSON.stringify(b.toDocument())).toBe(JSON.stringify(dbn.toDocument()));
    // onEpoch returning false stops the whole fit.
    const c = new DBN([4, 3, 2], { rng: 1 });
    expect(c.fit(rows, { epochs: 4, onEpoch: () => false }).epochs).toBe(1);
  });

  it('fit is reproducible from the construction seed and continues the model’s stream', () => {
    const a = new DBN([4, 3, 2], { rng: 3 });
    const b = new DBN([4, 3, 2], { rng: 3 });
    a.fit(rows, { epochs: 2, batchSize: 2 });
    b.fit(rows, { epochs: 2, batchSize: 2 });
    expect(JSON.stringify(a.toDocument())).toBe(JSON.stringify(b.toDocument()));
    // A clone carries a copy of the stream: the same next fit.
    const c = a.clone();
    a.fit(rows, { epochs: 1, batchSize: 2, method: 'pcd' });
    c.fit(rows, { epochs: 1, batchSize: 2, method: 'pcd' });
    expect(JSON.stringify(a.toDocument())).toBe(JSON.stringify(c.toDocument())); // clone copies the stream
  });

  it('partialFit makes one pass per layer and continues its trainers', () => {
    const dbn = new DBN([4, 3, 2], { rng: 2 });
    const r1 = dbn.partialFit(rows, { batchSize: 2, onEpoch: () => {} });
    expect(r1.epochs).toBe(2);
    expect(r1.history.map((m) => [m.stage, m.epoch])).toEqual([
      ['layer 0', 0],
      ['layer 1', 0],
    ]);
    const r2 = dbn.partialFit(rows, { onEpoch: () => {} });
    expect(r2.history.map((m) => m.epoch)).toEqual([1, 1]); // the same trainers, one epoch further
    expect(() => dbn.partialFit(rows, { epochs: 2 } as never)).toThrow(TypeError);
  });

  it('partialFit: a trainer option that differs from a layer\'s kept trainer starts that layer afresh (it was silently ignored), keeping its parameters', () => {
    const dbn = new DBN([4, 3, 2], { rng: 2 });
    dbn.partialFit(rows, { batchSize: 2, learningRate: 0.05 });
    // the same options continue both layers
    expect(dbn.partialFit(rows, { batchSize: 2, learningRate: 0.05, onEpoch: () => {} }).history.map((m) => [m.epoch, m.learningRate])).toEqual([
      [1, 0.05],
      [1, 0.05],
    ]);
    // a new rate for layer 1 only: layer 0 continues, layer 1 restarts with it
    const before = dbn.layers[1].visibleBias.slice();
    const r = dbn.partialFit(rows, { batchSize: 2, learningRate: 0.05, layerOptions: [{}, { learningRate: 0.2 }], onEpoch: () => {} });
    expect(r.history.map((m) => [m.epoch, m.learningRate])).toEqual([
      [2, 0.05],
      [0, 0.2],
    ]);
    // initBiases did not reset the restarted layer's visible biases from the batch: they moved by training only
    expect(Array.from(dbn.layers[1].visibleBias)).not.toEqual(Array.from(before));
    const fresh = new DBN([4, 3, 2], { rng: 2 });
    fresh.partialFit(rows, { batchSize: 2, learningRate: 0.05 });
    fresh.partialFit(rows, { batchSize: 2, learningRate: 0.05 });
    expect(Array.from(fresh.layers[1].visibleBias)).toEqual(Array.from(before));
  });

  it('sample continues the model’s stream: two calls differ, the same seed repeats the sequence', () => {
    const a = new DBN([6, 4, 3], { rng: 5, weightStd: 1 });
    const b = new DBN([6, 4, 3], { rng: 5, weightStd: 1 });
    const a1 = a.sample(5, { steps: 10, meanField: false });
    const a2 = a.sample(5, { steps: 10, meanField: false });
    expect(Array.from(a1.data)).not.toEqual(Array.from(a2.data));
    expect(Array.from(b.sample(5, { steps: 10, meanField: false }).data)).toEqual(Array.from(a1.data));
    expect(Array.from(b.sample(5, { steps: 10, meanField: false }).data)).toEqual(Array.from(a2.data));
    // label: one class for every sample, the same as labels filled with it
    const l = new DBN([4, 3, 2], { nLabels: 2, rng: 1, weightStd: 1 });
    expect(Array.from(l.sample(3, { steps: 5, label: 1, rng: 2 }).data)).toEqual(Array.from(l.sample(3, { steps: 5, labels: [1, 1, 1], rng: 2 }).data));
    expect(() => l.sample(3, { label: 2 })).toThrow(RangeError);
    expect(() => new DBN([4, 3]).sample(3, { label: 0 })).toThrow(RangeError);
  });

  it('score on a small net is the exact mean log-likelihood', () => {
    const dbn = randomDBN([4, 3, 2], 4, 1);
    const ll = dbn.scoreSamples(rows);
    const s = dbn.score(rows);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo(ll.reduce((a, b) => a + b, 0) / ll.length, 14);
    expect(s.lower).toBe(s.mean);
    expect(s.upper).toBe(s.mean);
    expect(ll[0]).toBeCloseTo(bruteForceLogP(dbn, rows[0]), 10);
  });

  it('refuses unknown options with a suggestion', () => {
    const dbn = new DBN([4, 3, 2]);
    expect(() => dbn.fit(rows, { epoch: 2 } as never)).toThrow(/unknown option 'epoch' \(did you mean 'epochs'\?\)/);
    expect(() => dbn.fit(rows, { layerOptions: [{}, { learning_rate: 0.1 }] } as never)).toThrow(/did you mean 'learningRate'/);
    expect(() => dbn.sample(2, { gibbsSteps: 5 } as never)).toThrow(TypeError);
    expect(() => dbn.score(rows, { methd: 'exact' } as never)).toThrow(/did you mean 'method'/);
    expect(() => dbn.transform(rows, { layr: 1 } as never)).toThrow(/did you mean 'layer'/);
    expect(() => new DBN([4, 3], { nLabel: 2 } as never)).toThrow(/did you mean 'nLabels'/);
  });
});

describe('DBN likelihood bound (Salakhutdinov & Murray 2008)', () => {
  it('equals the exact log-likelihood for a single RBM', () => {
    const dbn = randomDBN([5, 4], 3, 1);
    const data = allStates(5);
    const exact = dbn.scoreSamples(data, { method: 'exact' });
    const bound = dbn.scoreSamples(data, { method: 'bound', boundSamples: 1 });
    for (let r = 0; r < data.rows; r++) expect(bound[r]).toBeCloseTo(exact[r], 10);
  });

  // The bound B(v) = Σ_h Q(h|v)[log P(v|h) − F_top(h)] + H(Q) − log Z, computed here by
  // enumerating h₁, lies below the exact log P(v) (Jensen); the sampled estimate with S draws
  // has standard error sqrt(Var_Q[term]/S): we allow 5 of them.
  it('is an unbiased estimate of a lower bound on the exact log-likelihood (two layers)', () => {
    const dbn = randomDBN([4, 3, 2], 8, 1.2);
    const data = allStates(4);
    const exact = dbn.scoreSamples(data, { method: 'exact' });
    const S = 400;
    const est = dbn.scoreSamples(data, { method: 'bound', boundSamples: S, rng: 3 });
    const bottom = dbn.layers[0], top = dbn.layers[1];
    const lz = rbmExactLogPartition(top);
    for (let r = 0; r < data.rows; r++) {
      const v = Array.from(data.data.subarray(4 * r, 4 * r + 4));
      const q = Array.from({ length: 3 }, (_, j) => sig(bottom.hiddenBias[j] + v.reduce((a, x, i) => a + x * bottom.weights.data[i * 3 + j], 0)));
      let mean = 0, sq = 0, ent = 0;
      for (const p of q) ent -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
      for (let t = 0; t < 8; t++) {
        const h = bits(t, 3);
        const qh = h.reduce((a, x, j) => a * (x ? q[j] : 1 - q[j]), 1);
        let logPv = 0;
        for (let i = 0; i < 4; i++) {
          const p = sig(bottom.visibleBias[i] + h.reduce((a, x, j) => a + x * bottom.weights.data[i * 3 + j], 0));
          logPv += Math.log(v[i] ? p : 1 - p);
        }
        const term = logPv - top.freeEnergy(fromArrays([h]))[0];
        mean += qh * term;
        sq += qh * term * term;
      }
      const B = mean + ent - lz;
      expect(B).toBeLessThanOrEqual(exact[r] + 1e-12);
      const se = Math.sqrt(Math.max(sq - mean * mean, 0) / S);
      expect(Math.abs(est[r] - B)).toBeLessThanOrEqual(5 * se + 1e-9);
    }
    const s = dbn.score(data, { method: 'bound', boundSamples: 50 });
    expect(s.method).toBe('bound');
    expect([s.lower, s.upper]).toEqual([s.mean, s.mean]); // log Z of the small top RBM is enumerated
  });

  it('is what auto scoring gives beyond enumeration (AIS for a large top RBM), and refuses label units', () => {
    const dbn = new DBN([30, 25, 25], { rng: 1, weightStd: 0.1 });
    const v = [Array.from({ length: 30 }, (_, i) => i % 2), Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0))];
    const s = dbn.score(v, { aisRuns: 20, aisBetas: 300, boundSamples: 5 });
    expect(s.method).toBe('bound');
    expect(s.lower).toBeLessThanOrEqual(s.mean);
    expect(s.upper).toBeGreaterThanOrEqual(s.mean);
    expect(s.ess).toBeGreaterThan(1);
    expect(Number.isFinite(s.logZ)).toBe(true);
    expect(() => new DBN([4, 3, 2], { nLabels: 2 }).score([[1, 0, 1, 0]], { method: 'bound' })).toThrow(/label units/);
  });
});
