import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../src/linalg/matrix.js';
import { DBM } from '../../src/models/dbm.js';
import { Random } from '../../src/random/random.js';
import { DBMTrainer } from '../../src/train/dbm-trainer.js';
import { FormatError } from '../../src/errors.js';
import { randomDBM } from '../helpers/dbm-random.js';

/** The exact joint distribution over all 2^N states (state bits in layer order, unit 0 of layer 0 lowest). */
function jointDistribution(dbm: DBM): Float64Array {
  const sizes = dbm.sizes, N = sizes.reduce((a, b) => a + b, 0), S = 2 ** N;
  const layers = sizes.map((n) => new Float64Array(S * n));
  for (let s = 0; s < S; s++) {
    let bit = 0;
    sizes.forEach((n, l) => {
      for (let j = 0; j < n; j++) layers[l][s * n + j] = (s >> bit++) & 1;
    });
  }
  const e = dbm.energy(layers.map((d, l) => ({ rows: S, cols: sizes[l], data: d })));
  let m = Number.POSITIVE_INFINITY;
  for (const x of e) m = Math.min(m, x);
  const p = new Float64Array(S);
  let z = 0;
  for (let s = 0; s < S; s++) z += p[s] = Math.exp(m - e[s]);
  for (let s = 0; s < S; s++) p[s] /= z;
  return p;
}

/** χ² quantile for `k` degrees of freedom at the standard-normal quantile `z` (Wilson–Hilferty). */
const chi2Quantile = (k: number, z: number): number => k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;

// Invariance, the property a tempered transition must have: rows drawn exactly from the Boltzmann
// distribution stay exactly Boltzmann-distributed after one move. 40 000 independent exact draws, one
// transition each (rows are independent, so the χ² test applies), on models with strong N(0, 4)
// parameters and a ladder down to β = 0.1, where the proposal alone is far from p₁ (the acceptance
// step has work to do). Threshold: the χ² quantile at z = 4.75 (p ≈ 1e-6) for the cells with an
// expected count ≥ 5 (the rest pooled). Checked by hand to fail (χ² in the tens of thousands) when
// every proposal is accepted and when the log-ratio's sign is flipped; it also caught a first draft
// that took the down leg's energies at x̌_K … x̌_1 instead of x̌_{K−1} … x̌_0 (χ² 286 against 137 on
// 3-2-2; that draft passed on 2-2-2-2, hence both shapes).
describe('DBM tempered transitions', () => {
  for (const sizes of [
    [3, 2, 2],
    [2, 2, 2, 2],
  ]) {
    it(`leave the exact joint distribution invariant (${sizes.join('-')})`, () => {
      const dbm = randomDBM(sizes, 11, 2);
      const p = jointDistribution(dbm);
      const S = p.length, n = 40000, rng = new Random(5);
      const cdf = new Float64Array(S);
      for (let s = 0, c = 0; s < S; s++) cdf[s] = c += p[s];
      const x = sizes.map((k) => new Float64Array(n * k));
      for (let r = 0; r < n; r++) {
        const u = rng.float64();
        let s = 0;
        while (s < S - 1 && cdf[s] <= u) s++;
        let bit = 0;
        sizes.forEach((k, l) => {
          for (let j = 0; j < k; j++) x[l][r * k + j] = (s >> bit++) & 1;
        });
      }
      const betas = [1, 0.75, 0.5, 0.25, 0.1];
      const save = sizes.map((k) => new Float64Array(n * k));
      const accepted = dbm.temperedTransitionUnchecked(x, n, betas, rng, new Float64Array(n * Math.max(...sizes)), save, new Float64Array(n), new Float64Array(n));
      // both outcomes occur, so both branches are exercised
      expect(accepted).toBeGreaterThan(0.05 * n);
      expect(accepted).toBeLessThan(0.95 * n);
      const count = new Float64Array(S);
      for (let r = 0; r < n; r++) {
        let s = 0, bit = 0;
        sizes.forEach((k, l) => {
          for (let j = 0; j < k; j++) s += x[l][r * k + j] << bit++;
        });
        count[s]++;
      }
      let chi2 = 0, cells = 0, restO = 0, restE = 0;
      for (let s = 0; s < S; s++) {
        const e = n * p[s];
        if (e >= 5) {
          chi2 += (count[s] - e) ** 2 / e;
          cells++;
        } else {
          restO += count[s];
          restE += e;
        }
      }
      if (restE > 0) {
        chi2 += (restO - restE) ** 2 / restE;
        cells++;
      }
      expect(cells).toBeGreaterThan(20);
      expect(chi2).toBeLessThan(chi2Quantile(cells - 1, 4.75));
    });
  }

  it('move the trainer’s particles between modes that plain Gibbs sweeps do not leave', () => {
    // two mirror-image modes of equal energy: every unit on, or every unit off (biases −½ Σ w over
    // each unit's neighbours make E symmetric under flipping every unit), with a barrier that block
    // Gibbs sweeps do not cross in practice (a unit of layer 1 in the all-on state has input +10);
    // a ladder down to β = 0.05 crosses it
    const dbm = new DBM([4, 4, 4], { rng: 1, weightStd: 1e-9 });
    for (const w of dbm.weights) w.data.fill(2.5);
    dbm.biases[0].fill(-5);
    dbm.biases[1].fill(-10);
    dbm.biases[2].fill(-5);
    const data = fromArrays([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
    ]);
    const run = (tempered: boolean): number => {
      const t = new DBMTrainer(dbm.clone(), {
        learningRate: 0,
        batchSize: 2,
        nChains: 50,
        gibbsSteps: 1,
        rng: 3,
        ...(tempered ? { temperedTransitions: { levels: 20, minBeta: 0.05 } } : {}),
      });
      // a particle's mode: the majority of its layer-1 units (the layer whose input is ±10)
      const modes = (): number[] => {
        const h = t.fantasyParticles()[1].data;
        return Array.from({ length: 50 }, (_, c) => (h[4 * c] + h[4 * c + 1] + h[4 * c + 2] + h[4 * c + 3] >= 2 ? 1 : 0));
      };
      let flips = 0;
      t.step(data);
      let prev = modes();
      for (let s = 0; s < 40; s++) {
        t.step(data);
        const cur = modes();
        for (let c = 0; c < 50; c++) if (cur[c] !== prev[c]) flips++;
        prev = cur;
      }
      return flips;
    };
    const plain = run(false), tempered = run(true);
    expect(plain).toBeLessThan(5);
    expect(tempered).toBeGreaterThan(50);
  });

  it('resume bit-exactly from the trainer document and reject bad settings', () => {
    const data = fromArrays([
      [1, 1, 0, 0, 1],
      [0, 0, 1, 1, 0],
      [1, 0, 1, 0, 1],
    ]);
    const opts = { batchSize: 3, nChains: 6, learningRate: 0.05, rng: 2, temperedTransitions: { levels: 4, minBeta: 0.3, every: 2 } };
    const a = new DBMTrainer(randomDBM([5, 4, 3], 1, 1), opts);
    const hist = a.fit(data, { epochs: 4 }).history;
    expect(hist[0].temperedAcceptance).toBeGreaterThan(0);
    expect(hist[0].temperedAcceptance).toBeLessThanOrEqual(1);
    const b = new DBMTrainer(randomDBM([5, 4, 3], 1, 1), opts);
    b.fit(data, { epochs: 2 });
    const c = DBMTrainer.fromDocument(JSON.parse(JSON.stringify(b.toDocument())));
    expect(c.temperedTransitions).toEqual({ levels: 4, minBeta: 0.3, every: 2 });
    c.fit(data, { epochs: 2 });
    expect(c.model.parameterArrays().map((p) => Array.from(p))).toEqual(a.model.parameterArrays().map((p) => Array.from(p)));
    expect(c.fantasyParticles()[0].data).toEqual(a.fantasyParticles()[0].data);
    // off: no acceptance in the metrics, and the document says null
    const off = new DBMTrainer(randomDBM([5, 4, 3], 1, 1), { batchSize: 3, nChains: 6, rng: 2 });
    expect(off.fit(data, { epochs: 1 }).history[0].temperedAcceptance).toBeUndefined();
    expect(off.temperedTransitions).toBeUndefined();
    const dbm = randomDBM([5, 4, 3], 1, 1);
    expect(() => new DBMTrainer(dbm, { temperedTransitions: { levels: 0, minBeta: 0.5 } })).toThrow(/temperedTransitions\.levels/);
    expect(() => new DBMTrainer(dbm, { temperedTransitions: { levels: 3, minBeta: 1 } })).toThrow(/temperedTransitions\.minBeta/);
    expect(() => new DBMTrainer(dbm, { temperedTransitions: { levels: 3, minBeta: 0 } })).toThrow(RangeError);
    expect(() => new DBMTrainer(dbm, { temperedTransitions: { levels: 3, minBeta: 0.5, every: 1.5 } })).toThrow(/every/);
    // @ts-expect-error an unknown key is refused
    expect(() => new DBMTrainer(dbm, { temperedTransitions: { levels: 3, minBeta: 0.5, spacing: 'geometric' } })).toThrow(/spacing/);
    const doc = JSON.parse(JSON.stringify(b.toDocument()));
    doc.state.training.options.temperedTransitions = { levels: -1, minBeta: 0.5, every: 1 };
    expect(() => DBMTrainer.fromDocument(doc)).toThrow(FormatError);
    // the fit of the model takes it too
    const m = randomDBM([5, 4, 3], 1, 1);
    const r = m.fit(data, { epochs: 1, pretrain: false, batchSize: 3, nChains: 6, temperedTransitions: { levels: 2, minBeta: 0.5 } });
    expect(r.history[0].temperedAcceptance).toBeGreaterThan(0);
  });
});
