import { describe, expect, it } from 'vitest';
import {
  boundTerms,
  buildDbn,
  type DbnCheckpoint,
  dbnTopStart,
  drawBinary,
  epochDrawSeed,
  evaluateBound,
  hiddenMeans,
  parseKSchedule,
  runEpochs,
  topInput,
} from '../../bench/reproduce/dbn-paper-protocol.js';
import { Random } from '../../src/random/random.js';
import { RBM } from '../../src/models/rbm.js';
import { DBN } from '../../src/models/dbn.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { JsonObject } from '../../src/document.js';

/** Rows of two noisy prototypes (so the bottom RBM has structure to learn). */
function data(rows: number, nV: number, seed: number): Matrix {
  const rng = new Random(seed);
  const d = new Float64Array(rows * nV);
  for (let r = 0; r < rows; r++) {
    const proto = r % 2;
    for (let i = 0; i < nV; i++) {
      const on = (i < nV / 2) === (proto === 0);
      d[r * nV + i] = rng.float64() < (on ? 0.85 : 0.1) ? 1 : 0;
    }
  }
  return { rows, cols: nV, data: d };
}

/** A small bottom RBM trained for a few CD-1 epochs. */
function bottomRbm(nV: number, nH: number, train: Matrix, epochs = 5): RBM {
  const rbm = new RBM(nV, nH, { rng: 3, weightStd: 0.1 });
  rbm.fit(train, { method: 'cd', k: 1, epochs, learningRate: 0.1, batchSize: 20, rng: 4 });
  return rbm;
}

const training = (doc: { state?: unknown }): JsonObject => (doc.state as JsonObject).training as JsonObject;

describe('DBN 784-500-2000 pipeline (bench/reproduce/dbn-paper-protocol.ts)', () => {
  it('parses k schedules: ramp<K> and k / kxN lists whose last k repeats', () => {
    expect([1, 2, 9, 10, 11, 50].map(parseKSchedule('ramp10').k)).toEqual([1, 2, 9, 10, 10, 10]);
    expect([1, 2, 3, 4, 5, 6, 7, 30].map(parseKSchedule('1x2,3x3,10').k)).toEqual([1, 1, 3, 3, 3, 10, 10, 10]);
    expect(() => parseKSchedule('0x3')).toThrow(/comma list/);
    expect(() => parseKSchedule('ramp')).toThrow(/comma list/);
  });

  it("the blocked bound is DBN.score's 'bound' computation, bit for bit (same generator, two layers)", () => {
    const dbn = new DBN([12, 7, 5], { rng: 2, weightStd: 0.8 });
    for (const l of dbn.layers) for (let i = 0; i < l.hiddenBias.length; i++) l.hiddenBias[i] = 0.3 * (i % 3) - 0.3;
    const x = data(10, 12, 5);
    // the top's smaller layer has 5 ≤ 20 units: DBN.score enumerates log Z_top (no AIS draws), so
    // both consume the generator only for the draws of Q
    const lib = dbn.scoreSamples(x, { method: 'bound', boundSamples: 7, rng: 9 });
    const logZ = rbmExactLogPartition(dbn.layers[1] as RBM);
    const ours = boundTerms(dbn, x, 7, new Random(9), 3); // blocks of 3 rows: 3, 3, 3, 1
    expect(Array.from(ours, (b) => b - logZ)).toEqual(Array.from(lib));
  });

  it('a run saved as JSON after every epoch and resumed gives the bits of an uninterrupted run', () => {
    const train = data(300, 16, 1), test = data(60, 16, 2);
    const bottom = bottomRbm(16, 8, train);
    const trainMeans = hiddenMeans(bottom, train);
    const testH = drawBinary(hiddenMeans(bottom, test), 8);
    const start = (): DbnCheckpoint => ({
      run: 't',
      seed: 5,
      schedule: '1x2,3',
      input: 'samples',
      epoch: 0,
      trainSeconds: 0,
      bottomSource: 'test',
      bottom: bottom.toDocument(),
      curve: [],
      document: dbnTopStart(parseKSchedule('1x2,3'), 5, 8, 6),
    });
    const d = { trainMeans, test, testH };
    const whole = runEpochs(start(), 4, d, () => {});
    // interrupted after epoch 2: only what the checkpoint file holds survives
    let saved = '';
    runEpochs(start(), 2, d, (c) => {
      saved = JSON.stringify(c);
    });
    const resumed = runEpochs(JSON.parse(saved) as DbnCheckpoint, 4, d, () => {});
    expect(resumed.epoch).toBe(4);
    expect(RBM.fromDocument(resumed.document).weights.data).toEqual(RBM.fromDocument(whole.document).weights.data);
    expect(RBM.fromDocument(resumed.document).hiddenBias).toEqual(RBM.fromDocument(whole.document).hiddenBias);
    expect(training(resumed.document).velocity).toEqual(training(whole.document).velocity);
    expect(training(resumed.document).rng).toEqual(training(whole.document).rng);
    const strip = (c: DbnCheckpoint) => c.curve.map(({ seconds: _s, ...r }) => r);
    expect(strip(resumed)).toEqual(strip(whole));
    expect(whole.curve.map((r) => r.k)).toEqual([1, 1, 3, 3]);
    // the top RBM trained on a fresh draw of h₁ each epoch, from (seed, epoch)
    expect(topInput(trainMeans, 'samples', 5, 3).data).toEqual(drawBinary(trainMeans, epochDrawSeed(5, 3)).data);
    expect(topInput(trainMeans, 'samples', 5, 3).data).not.toEqual(topInput(trainMeans, 'samples', 5, 4).data);
    expect(topInput(trainMeans, 'probs', 5, 3)).toBe(trainMeans);
    // the annealed tail (--anneal-from 2 --anneal-epochs 2): epochs 3 and 4 at 0.1·2/3 and 0.1/3,
    // kept in the checkpoint, resumed bit for bit; epochs 1-2 as before
    const annealed = (): DbnCheckpoint => ({ ...start(), anneal: { from: 2, epochs: 2 } });
    const wholeA = runEpochs(annealed(), 4, d, () => {});
    let savedA = '';
    runEpochs(annealed(), 2, d, (c) => {
      savedA = JSON.stringify(c);
    });
    const resumedA = runEpochs(JSON.parse(savedA) as DbnCheckpoint, 4, d, () => {});
    expect(strip(resumedA)).toEqual(strip(wholeA));
    expect(wholeA.curve.map((r) => r.learningRate)).toEqual([undefined, undefined, (0.1 * 2) / 3, 0.1 / 3]);
    expect(strip(wholeA).slice(0, 2)).toEqual(strip(whole).slice(0, 2));
    expect(RBM.fromDocument(wholeA.document).weights.data).not.toEqual(RBM.fromDocument(whole.document).weights.data);
  });

  it('the evaluated bound lies below the exact log-likelihood of an enumerable DBN, and the AIS log Z_top is exact within its interval', () => {
    const train = data(300, 10, 3), test = data(200, 10, 4);
    const bottom = bottomRbm(10, 6, train);
    const trainMeans = hiddenMeans(bottom, train);
    const testH = drawBinary(hiddenMeans(bottom, test), 8);
    const ck: DbnCheckpoint = {
      run: 't',
      seed: 2,
      schedule: '1',
      input: 'samples',
      epoch: 0,
      trainSeconds: 0,
      bottomSource: 'test',
      bottom: bottom.toDocument(),
      curve: [],
      document: dbnTopStart(parseKSchedule('1'), 2, 6, 4),
    };
    const done = runEpochs(ck, 3, { trainMeans, test, testH }, () => {});
    const dbn = buildDbn(bottom, RBM.fromDocument(done.document));
    const exact = dbn.score(test, { method: 'exact' }).mean;
    const S = 200;
    const ev = evaluateBound(dbn, test, trainMeans, { aisRuns: 50, aisBetas: 1000, boundSamples: S, seed: 1 });
    const logZ = rbmExactLogPartition(dbn.layers[1] as RBM);
    expect(logZ).toBeGreaterThanOrEqual(ev.ais.logZLower);
    expect(logZ).toBeLessThanOrEqual(ev.ais.logZUpper);
    // The bound itself, enumerated: Σ_h Q(h|v)[log P(v|h) − F_top(h)] + H(Q(·|v)) over the 2⁶ states h.
    const nH = 6, S2 = 2 ** nH;
    const states = new Float64Array(S2 * nH);
    for (let s = 0; s < S2; s++) for (let j = 0; j < nH; j++) states[s * nH + j] = (s >> j) & 1;
    const fTop = new Float64Array(S2);
    (dbn.layers[1] as RBM).freeEnergyUnchecked(fTop, states, S2, new Float64Array(S2 * 4));
    const p = hiddenMeans(bottom, test).data;
    const bl = dbn.layers[0] as RBM;
    let exactBound = 0;
    for (let r = 0; r < test.rows; r++) {
      let b = 0;
      for (let s = 0; s < S2; s++) {
        let logQ = 0, logPv = 0;
        for (let j = 0; j < nH; j++) logQ += Math.log(states[s * nH + j] === 1 ? (p[r * nH + j] as number) : 1 - (p[r * nH + j] as number));
        for (let i = 0; i < 10; i++) {
          let a = bl.visibleBias[i] as number;
          for (let j = 0; j < nH; j++) a += (bl.weights.data[i * nH + j] as number) * (states[s * nH + j] as number);
          logPv += (test.data[r * 10 + i] as number) * a - Math.log1p(Math.exp(a));
        }
        b += Math.exp(logQ) * (logPv - (fTop[s] as number) - logQ);
      }
      exactBound += b / test.rows;
    }
    exactBound -= logZ;
    expect(exactBound).toBeLessThanOrEqual(exact + 1e-9);
    // The estimate's sampling error: S draws of Q per row; the per-draw sd from S = 1 draws.
    const perRow = boundTerms(dbn, test, 1, new Random(7));
    let m = 0, v = 0;
    for (const b of perRow) m += b / perRow.length;
    for (const b of perRow) v += (b - m) ** 2 / (perRow.length - 1);
    const bound = ev.boundBeforeLogZ - logZ;
    expect(Math.abs(bound - exactBound)).toBeLessThan(4 * Math.sqrt(v / (S * test.rows)));
    expect(ev.testLL.lower).toBeLessThanOrEqual(ev.testLL.mean);
    expect(ev.testLL.mean).toBeLessThanOrEqual(ev.testLL.upper);
    // the monitor's dbnBoundUpper uses the certified log Z lower bound: at or above the bound (up to one draw's noise)
    const last = done.curve[done.curve.length - 1];
    expect(last?.dbnBoundUpper).toBeGreaterThan(exactBound - 4 * Math.sqrt(v / test.rows));
  });

  it("--init rbm (Hinton, Osindero & Teh 2006): the DBN starts as its bottom RBM, log-likelihood and bound", () => {
    const train = data(300, 10, 6), test = data(100, 10, 7);
    const bottom = bottomRbm(10, 6, train, 60);
    const top = RBM.fromDocument(dbnTopStart(parseKSchedule('1'), 3, 6, 13, bottom)); // 10 transposed units + 3 small ones
    const dbn = buildDbn(bottom, top);
    const rbmLL = bottom.score(test, { method: 'exact' }).mean;
    const dbnLL = dbn.score(test, { method: 'exact' }).mean;
    // the 3 extra units have 0.001·N(0,1) weights: −F_top moves by about Σ_j σ(0)·(hW)_j, a few 10⁻³ at most
    expect(Math.abs(dbnLL - rbmLL)).toBeLessThan(1e-3); // 5·10⁻⁶ here
    // Q is then the exact posterior: the bound's per-row draws have no gap left (S = 2 000 draws; 4σ)
    const logZ = rbmExactLogPartition(top);
    const S = 2000;
    const b = boundTerms(dbn, test, S, new Random(2));
    let m = 0;
    for (const x of b) m += x / b.length;
    expect(Math.abs(m - logZ - dbnLL)).toBeLessThan(0.02); // 0.003 here
    // and a top RBM from rbm.m's random start is far from it
    const rand = buildDbn(bottom, RBM.fromDocument(dbnTopStart(parseKSchedule('1'), 3, 6, 13)));
    expect(Math.abs(rand.score(test, { method: 'exact' }).mean - rbmLL)).toBeGreaterThan(0.3); // 0.59 here
  });
});
