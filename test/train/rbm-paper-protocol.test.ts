import { describe, expect, it } from 'vitest';
import { annealedLearningRate, momentumOf, PAPER_PROTOCOLS, PAPER_HYPER, paperEpoch, paperStart } from '../../bench/reproduce/rbm-paper-protocol.js';
import { Random } from '../../src/random/random.js';
import { RBM } from '../../src/models/rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { floatsFromJson, type JsonObject, type JsonValue, type ModelDocument } from '../../src/document.js';

const nV = 20, nH = 8;
function data(rows: number, seed: number): Matrix {
  const rng = new Random(seed);
  const d = new Float64Array(rows * nV);
  for (let i = 0; i < d.length; i++) d[i] = rng.float64() < 0.3 + 0.4 * ((i % nV) / nV) ? 1 : 0;
  return { rows, cols: nV, data: d };
}
const train = data(300, 1);
const test = data(50, 2);
const training = (doc: ModelDocument): JsonObject => (doc.state as JsonObject).training as JsonObject;

describe('S&M 2008 RBM protocols with rbm.m conventions (bench/reproduce/rbm-paper-protocol.ts)', () => {
  it('momentum 0.5 for epochs 1-5 then 0.9; k 1, 3, and 1 → 25 one per epoch', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map(momentumOf)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9]);
    expect([1, 6, 50].map(PAPER_PROTOCOLS.cd1!.k)).toEqual([1, 1, 1]);
    expect([1, 6, 50].map(PAPER_PROTOCOLS.cd3!.k)).toEqual([3, 3, 3]);
    expect([1, 2, 3, 24, 25, 26, 200].map(PAPER_PROTOCOLS.cd25!.k)).toEqual([1, 2, 3, 24, 25, 25, 25]);
  });

  it('starts from 0.1·N(0,1) weights, zero biases, lr 0.1, weight cost 2e-4, batch 100, CD', () => {
    const doc = paperStart(PAPER_PROTOCOLS.cd1!, 3, 100, 50);
    const rbm = RBM.fromDocument(doc);
    const w = rbm.weights.data;
    let s = 0, s2 = 0;
    for (const x of w) {
      s += x;
      s2 += x * x;
    }
    const sd = Math.sqrt(s2 / w.length - (s / w.length) ** 2);
    // 5 000 draws: the sample sd lies within 0.1·(1 ± 4/√(2·5000)) = 0.1 ± 0.004.
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.004);
    expect(rbm.visibleBias.every((b) => b === 0) && rbm.hiddenBias.every((c) => c === 0)).toBe(true);
    const o = training(doc).options as JsonObject;
    expect(o).toMatchObject({ method: 'cd', k: 1, learningRate: 0.1, weightDecay: 2e-4, batchSize: 100, momentum: 0.5 });
    expect(PAPER_HYPER).toEqual({ method: 'cd', learningRate: 0.1, weightDecay: 2e-4, batchSize: 100 });
  });

  it('rebuilding the trainer from its document every epoch gives the numbers of one uninterrupted fit, bit for bit', () => {
    const p = PAPER_PROTOCOLS.cd3!;
    const start = paperStart(p, 5, nV, nH);
    let doc = start;
    for (let e = 1; e <= 3; e++) doc = paperEpoch(doc, p, e, train, test).document;
    const whole = RBMTrainer.fromDocument(start, RBM.fromDocument);
    whole.fit(train, { epochs: 3 });
    expect(Array.from(RBM.fromDocument(doc).weights.data)).toEqual(Array.from((whole.model as RBM).weights.data));
    expect(training(doc).velocity).toEqual(training(whole.toDocument()).velocity);
    expect(training(doc).rng).toEqual(training(whole.toDocument()).rng);
  });

  it('epoch 6 carries the saved velocity over with momentum 0.9 (checked with the learning rate set to 0)', () => {
    const p = PAPER_PROTOCOLS.cd1!;
    let doc = paperStart(p, 7, nV, nH);
    for (let e = 1; e <= 5; e++) doc = paperEpoch(doc, p, e, train, test).document;
    // With η = 0 every step is Δ = μ·Δ_prev: three batches of 100 move θ by (μ + μ² + μ³)·Δ₅.
    const frozen = JSON.parse(JSON.stringify(doc)) as ModelDocument;
    ((training(frozen).options as JsonObject).learningRate as number) = 0;
    const before = RBM.fromDocument(frozen).weights.data;
    // the velocity is stored as compact tensors (floatsToJson); decode the weights' one
    const v5 = Array.from(floatsFromJson('test', 'velocity', (training(frozen).velocity as JsonValue[])[0], before.length));
    const { document, row } = paperEpoch(frozen, p, 6, train, test);
    expect(row).toMatchObject({ epoch: 6, k: 1, momentum: 0.9 });
    const after = RBM.fromDocument(document).weights.data;
    const f = 0.9 + 0.81 + 0.729;
    let worst = 0;
    for (let i = 0; i < after.length; i++) worst = Math.max(worst, Math.abs(after[i] - (before[i] + f * (v5[i] as number))));
    expect(worst).toBeLessThan(1e-12);
    expect(v5.some((x) => Math.abs(x) > 1e-6)).toBe(true);
  });

  it('CD-25 trains epoch e with k = e (the ramp reaches the trainer)', () => {
    const p = PAPER_PROTOCOLS.cd25!;
    let doc = paperStart(p, 9, nV, nH);
    const ks: number[] = [];
    for (let e = 1; e <= 3; e++) {
      doc = paperEpoch(doc, p, e, train, test).document;
      ks.push((training(doc).options as JsonObject).k as number);
    }
    expect(ks).toEqual([1, 2, 3]);
  });

  it('the annealed tail runs epoch F + j at 0.1·(N + 1 − j)/(N + 1), and that rate reaches the trainer', () => {
    expect(annealedLearningRate(100, 100, 20)).toBeUndefined();
    expect(annealedLearningRate(101, 100, 20)).toBeCloseTo((0.1 * 20) / 21, 15);
    expect(annealedLearningRate(120, 100, 20)).toBeCloseTo(0.1 / 21, 15);
    expect(() => annealedLearningRate(121, 100, 20)).toThrow(/past the tail/);
    const p = PAPER_PROTOCOLS.cd25!;
    let doc = paperStart(p, 3, nV, nH);
    doc = paperEpoch(doc, p, 1, train, test).document;
    const lr = annealedLearningRate(2, 1, 2) as number;
    const { document, row } = paperEpoch(doc, p, 2, train, test, undefined, lr);
    expect(row.learningRate).toBe(lr);
    expect((training(document).options as JsonObject).learningRate).toBe(lr);
    // the same epoch at rbm.m's rate moves the weights further from epoch 1's
    const plain = paperEpoch(doc, p, 2, train, test).document;
    const w1 = RBM.fromDocument(doc).weights.data, wa = RBM.fromDocument(document).weights.data, wp = RBM.fromDocument(plain).weights.data;
    let da = 0, dp = 0;
    for (let i = 0; i < w1.length; i++) {
      da += (wa[i] - w1[i]) ** 2;
      dp += (wp[i] - w1[i]) ** 2;
    }
    expect(da).toBeLessThan(dp);
  });

  it('refuses a document at the wrong epoch', () => {
    const p = PAPER_PROTOCOLS.cd1!;
    expect(() => paperEpoch(paperStart(p, 1, nV, nH), p, 2, train, test)).toThrow(/at epoch 0, not 1/);
  });
});
