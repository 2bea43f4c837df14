import { describe, expect, it } from 'vitest';
import { exactDistribution, exactMoments } from '../../src/energy/exact.js';
import { FormatError } from '../../src/errors.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';

// Boltzmann machines with ±1 units (issue #20): E(s) = −½ sᵀWs − bᵀs over
// s ∈ {−1, +1}^n, Gibbs conditional P(s_i = +1 | rest) = σ(2h_i/T).

function spinMachine(nv: number, nh: number, seed: number, scale: number, temperature = 1): BoltzmannMachine {
  const bm = new BoltzmannMachine(nv, nh, { units: 'spin', initScale: scale, rng: seed, temperature });
  const r = new Random(seed + 100);
  for (let i = 0; i < bm.dimension; i++) bm.bias[i] = 0.5 * scale * r.normal();
  return bm;
}

/** −½ sᵀWs − bᵀs, written out. */
function energy(bm: BoltzmannMachine, s: number[]): number {
  const n = bm.dimension;
  let e = 0;
  for (let i = 0; i < n; i++) {
    e -= bm.bias[i] * s[i];
    for (let j = 0; j < n; j++) e -= 0.5 * bm.weights.data[i * n + j] * s[i] * s[j];
  }
  return e;
}

/** All ±1 vectors of length n (bit i of the index set ⇔ unit i = +1). */
function spins(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, k) => Array.from({ length: n }, (_, i) => ((k >>> i) & 1 ? 1 : -1)));
}

const DATA = [
  [1, 1, -1, -1],
  [-1, -1, 1, 1],
  [1, 1, -1, -1],
  [-1, -1, 1, 1],
  [1, -1, -1, -1],
];

describe('BoltzmannMachine with spin units', () => {
  it('the exact log-likelihood equals brute-force enumeration of the ±1 energy (with hidden units, T = 1.5)', () => {
    const bm = spinMachine(3, 2, 1, 1, 1.5);
    const T = 1.5;
    const all = spins(5);
    const logZ = Math.log(all.reduce((z, s) => z + Math.exp(-energy(bm, s) / T), 0));
    const rows = [
      [1, -1, 1],
      [-1, -1, -1],
      [1, 1, 1],
    ];
    const want = rows.map((v) => Math.log(spins(2).reduce((z, h) => z + Math.exp(-energy(bm, [...v, ...h]) / T), 0)) - logZ);
    const got = bm.exactLogLikelihood(rows);
    for (let r = 0; r < rows.length; r++) expect(Math.abs(got.perExample[r] - want[r])).toBeLessThan(1e-12);
    expect(Math.abs(bm.logPartition() - logZ)).toBeLessThan(1e-12);
    const p = bm.visibleDistribution();
    expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(Math.log(p[0]) - want[1])).toBeLessThan(1e-12); // index 0 = all −1
  });

  it('Gibbs sampling reproduces the exact distribution over all 2^5 states (TV within a bound from N)', () => {
    // N independent chains, one state each after 60 sweeps. The empirical TV
    // has mean ≤ ½ Σ_s √(p_s(1−p_s)/N) and, changing by ≤ 1/N per draw,
    // exceeds its mean by t with probability ≤ exp(−2Nt²) (McDiarmid): t for 1e-6.
    const bm = spinMachine(3, 2, 2, 1);
    const N = 20000;
    const states = bm.sampleStates(N, { steps: 60 });
    const counts = new Float64Array(32);
    for (let r = 0; r < N; r++) {
      let k = 0;
      for (let i = 0; i < 5; i++) {
        const v = states.data[r * 5 + i];
        expect(v === 1 || v === -1).toBe(true);
        if (v === 1) k |= 1 << i;
      }
      counts[k]++;
    }
    const p = exactDistribution(bm.energyFunction);
    let tv = 0;
    let meanBound = 0;
    for (let k = 0; k < 32; k++) {
      tv += 0.5 * Math.abs(counts[k] / N - p[k]);
      meanBound += 0.5 * Math.sqrt((p[k] * (1 - p[k])) / N);
    }
    const bound = meanBound + Math.sqrt(Math.log(1e6) / (2 * N));
    // the binary conditional σ(h/T) on spins is the spin chain at 2T: far away
    const hot = exactDistribution(bm.energyFunction, { temperature: 2 });
    let tvHot = 0;
    for (let k = 0; k < 32; k++) tvHot += 0.5 * Math.abs(hot[k] - p[k]);
    console.log(`spin Gibbs: TV ${tv.toFixed(4)} (bound ${bound.toFixed(4)}); TV(P_T, P_2T) = ${tvHot.toFixed(4)}`);
    expect(tv).toBeLessThan(bound);
    expect(tvHot).toBeGreaterThan(3 * bound);
    // sample() returns ±1 visible rows
    const v = bm.sample(10);
    expect(v.cols).toBe(3);
    for (const x of v.data) expect(x === 1 || x === -1).toBe(true);
  });

  it('the trainer estimates ⟨s_i⟩ and ⟨s_i s_j⟩ of ±1 units: free phase within sampling error of the exact moments, clamped visible pairs exact', () => {
    // M independent free chains, one ±1 sample each after 301 sweeps: each
    // statistic is a mean of M i.i.d. ±1 values with mean m (exact), so its
    // SE is √((1 − m²)/M); 15 statistics within 5 SE. (Weights of scale 0.4:
    // a ±1 coupling w acts like 4w between 0/1 units, and at scale 1 the chains
    // are bimodal and mix slowly; at 41 sweeps a bias of ~4 SE remained.)
    const bm = spinMachine(3, 2, 4, 0.4);
    const n = bm.dimension;
    const M = 4000;
    const rows = [
      [1, -1, 1],
      [1, 1, -1],
      [-1, -1, 1],
    ];
    const g = new BoltzmannMachineTrainer(bm, { freeChains: M, freeSamples: M, freeBurnIn: 300, clampedSamples: 2, rng: 9 }).estimateGradient(rows);
    const ex = exactMoments(bm.energyFunction);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(g.modelMean[i] - ex.mean[i]) / Math.sqrt((1 - ex.mean[i] ** 2) / M));
      for (let j = i + 1; j < n; j++) {
        const m = ex.correlation.data[i * n + j];
        worst = Math.max(worst, Math.abs(g.modelCorrelation.data[i * n + j] - m) / Math.sqrt((1 - m * m) / M));
      }
    }
    console.log(`spin free phase: worst deviation ${worst.toFixed(2)} SE`);
    expect(worst).toBeLessThan(5);
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const want = rows.reduce((a, r) => a + r[i] * r[j], 0) / rows.length;
        expect(Math.abs(g.dataCorrelation.data[i * n + j] - want)).toBeLessThan(1e-12);
      }
    }
  });

  it('training on ±1 data raises the exact log-likelihood (random, persistent and data-started free phases)', () => {
    for (const freeStart of ['random', 'persistent', 'data'] as const) {
      const bm = new BoltzmannMachine(4, 2, { units: 'spin', initScale: 0.1, rng: 3 });
      const before = bm.exactLogLikelihood(DATA, { gradient: false }).logLikelihood;
      const { history } = bm.fit(DATA, { epochs: 40, learningRate: 0.05, freeStart, rng: 4 });
      const after = history[history.length - 1].logLikelihood as number;
      console.log(`spin training (${freeStart}): exact log-likelihood ${before.toFixed(4)} → ${after.toFixed(4)} nats/pattern`);
      expect(after).toBeGreaterThan(before + 1);
    }
  });

  it('AIS scoring of a spin machine brackets the exact log-likelihood (uniform ±1 base)', () => {
    const bm = spinMachine(4, 2, 6, 0.5);
    const exact = bm.score(DATA, { method: 'exact' }).mean;
    const ais = bm.score(DATA, { method: 'ais', aisRuns: 64, aisBetas: 2000, rng: 1 });
    console.log(`spin AIS: exact ${exact.toFixed(4)}, AIS ${ais.mean.toFixed(4)} [${ais.lower.toFixed(4)}, ${ais.upper.toFixed(4)}]`);
    expect(ais.lower).toBeLessThanOrEqual(exact);
    expect(ais.upper).toBeGreaterThanOrEqual(exact);
    expect(ais.upper - ais.lower).toBeLessThan(0.2);
    // the certified floor sums Z(v) over the distinct ±1 rows and the all −1 state: below the exact log Z
    const logZ = bm.score(DATA, { method: 'exact' }).logZ as number;
    expect(ais.logZLowerBound as number).toBeLessThanOrEqual(logZ + 1e-12);
    expect(ais.logZLowerBound as number).toBeGreaterThan(logZ - 3);
    expect(ais.warning).toBeUndefined();
  });

  it('a spin machine and the binary machine with mapped parameters (x = (s+1)/2) define the same distribution', () => {
    // spin → binary: W = 4W', b = 2b' − 2W'·1; binary → spin: W' = W/4, b' = b/2 + W·1/4
    const sm = spinMachine(3, 2, 5, 1.2);
    const n = sm.dimension;
    const W = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) {
        W[i * n + j] = 4 * sm.weights.data[i * n + j];
        row += sm.weights.data[i * n + j];
      }
      b[i] = 2 * sm.bias[i] - 2 * row;
    }
    const bin = BoltzmannMachine.fromParameters({ rows: n, cols: n, data: W }, b, { nVisible: 3, nHidden: 2 });
    const ps = sm.visibleDistribution();
    const pb = bin.visibleDistribution();
    let maxDiff = 0;
    for (let k = 0; k < ps.length; k++) maxDiff = Math.max(maxDiff, Math.abs(ps[k] - pb[k]));
    console.log(`spin vs mapped binary: max |P_spin(v) − P_bin(v)| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-12);
    // the way back gives the spin parameters again
    const back = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += W[i * n + j];
      back[i] = b[i] / 2 + row / 4;
    }
    for (let i = 0; i < n; i++) expect(Math.abs(back[i] - sm.bias[i])).toBeLessThan(1e-12);
    // and log-likelihoods of mapped data agree
    const ls = sm.exactLogLikelihood([[1, -1, 1]]).logLikelihood;
    const lb = bin.exactLogLikelihood([[1, 0, 1]]).logLikelihood;
    expect(Math.abs(ls - lb)).toBeLessThan(1e-12);
  });

  it('checks: 0/1 data and labels are refused, documents carry units (old ones load as binary)', () => {
    const bm = spinMachine(3, 1, 7, 1);
    expect(() => bm.fit([[1, 0, 1]], { epochs: 1 })).toThrow(/data must be ±1 for a machine with units 'spin' \(got 0 at row 0, column 1; convert 0\/1 data with s = 2x − 1\)/);
    expect(() => bm.exactLogLikelihood([[1, 0, 1]])).toThrow(RangeError);
    expect(() => new BoltzmannMachine(3, 1, { units: 'spin', nLabels: 2 })).toThrow(/nLabels must be 0 with units 'spin'/);
    expect(() => new BoltzmannMachine(3, 1, { units: 'ising' as 'spin' })).toThrow(/units/);
    const doc = JSON.parse(JSON.stringify(bm.toDocument()));
    expect(doc.config.units).toBe('spin');
    const back = BoltzmannMachine.fromDocument(doc);
    expect(back.units).toBe('spin');
    expect(Array.from(back.sample(4).data)).toEqual(Array.from(bm.clone().sample(4).data));
    const old = JSON.parse(JSON.stringify(new BoltzmannMachine(3, 1).toDocument()));
    expect(old.config.units).toBeUndefined();
    expect(BoltzmannMachine.fromDocument(old).units).toBe('binary');
    expect(() => BoltzmannMachine.fromDocument({ ...doc, config: { ...doc.config, units: 'ising' } })).toThrow(FormatError);
    // fromParameters takes units too
    const fp = BoltzmannMachine.fromParameters([[0, 0.5], [0.5, 0]], [0.1, -0.1], { units: 'spin' });
    expect(fp.units).toBe('spin');
    expect(fp.energy(Float64Array.of(1, -1))).toBeCloseTo(0.5 - 0.1 - 0.1, 12);
    expect(() => fp.energy(Float64Array.of(1, 0))).toThrow(RangeError);
    // completion returns ±1
    const c = bm.complete(Float64Array.of(1, -1, -1), Uint8Array.of(1, 1, 0));
    expect(c.visible[2] === 1 || c.visible[2] === -1).toBe(true);
  });
});
