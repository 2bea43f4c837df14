/**
 * The Ising model on the model contract: its exact log Z (Kaufman's formula at zero field,
 * the density of states for L ≤ 4) against plain enumeration and Onsager's infinite-lattice
 * free energy; its scores against enumerated probabilities; AIS against the exact log Z;
 * and its estimators (pseudo-likelihood, exact maximum likelihood) against their defining
 * conditions and, on exact samples, against the truth within their asymptotic standard errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enumerateStates } from '../../src/energy/exact.js';
import { FormatError, ShapeError } from '../../src/errors.js';
import { kaufmanLogPartition, loadModel } from '../../src/index.js';
import { IsingModel, IsingSampler } from '../../src/models/ising.js';
import { addIsingStatistics, emptyIsingStatistics, isingNewton, likelihoodObjective, pseudoLikelihoodObjective } from '../../src/models/ising-fit.js';
import { Random } from '../../src/random/random.js';

/** Bond sum B and magnetisation M of one ±1 state of the L × L torus (independent of the library's sums). */
function bm(s: ArrayLike<number>, L: number): [number, number] {
  let B = 0, M = 0;
  for (let r = 0; r < L; r++) {
    for (let c = 0; c < L; c++) {
      const v = s[r * L + c];
      M += v;
      B += v * s[r * L + ((c + 1) % L)] + v * s[((r + 1) % L) * L + c];
    }
  }
  return [B, M];
}

/** All 2^N states (row k: bit i of k set ↔ spin i up), with their B and M. */
function states(L: number): { s: Float64Array[]; B: number[]; M: number[] } {
  const N = L * L, s: Float64Array[] = [], B: number[] = [], M: number[] = [];
  for (let k = 0; k < 2 ** N; k++) {
    const x = Float64Array.from({ length: N }, (_, i) => ((k >>> i) & 1 ? 1 : -1));
    const [b, m] = bm(x, L);
    s.push(x);
    B.push(b);
    M.push(m);
  }
  return { s, B, M };
}

/** log Σ_s e^{K B + h M} by plain enumeration, summed from the largest term. */
function bruteLogZ(L: number, K: number, h: number): number {
  const { B, M } = states(L);
  const t = B.map((b, i) => K * b + h * M[i]);
  const mx = Math.max(...t);
  return mx + Math.log(t.reduce((a, v) => a + Math.exp(v - mx), 0));
}

/** Onsager's −f/T per site of the infinite lattice at K: ln 2 + (1/8π²)∬ ln[cosh²2K − sinh 2K (cos a + cos b)], by the midpoint rule (exponentially accurate for this periodic integrand). */
function onsagerLogZPerSite(K: number, m = 400): number {
  let sum = 0;
  const c2 = Math.cosh(2 * K) ** 2, s2 = Math.sinh(2 * K);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const a = (2 * Math.PI * (i + 0.5)) / m, b = (2 * Math.PI * (j + 0.5)) / m;
      sum += Math.log(c2 - s2 * (Math.cos(a) + Math.cos(b)));
    }
  }
  return Math.LN2 + (0.5 * sum) / (m * m);
}

/** n exact draws from the model's Boltzmann distribution (inverse CDF over the enumerated states). */
function exactSamples(model: IsingModel, n: number, seed: number): number[][] {
  const ex = enumerateStates(model, { temperature: model.temperature });
  const cdf = new Float64Array(ex.probabilities.length);
  let acc = 0;
  for (let k = 0; k < cdf.length; k++) cdf[k] = acc += ex.probabilities[k];
  const rng = new Random(seed), N = model.dimension, out: number[][] = [];
  for (let r = 0; r < n; r++) {
    const u = rng.float64() * acc;
    let k = 0;
    while (k < cdf.length - 1 && cdf[k] <= u) k++;
    out.push(Array.from({ length: N }, (_, i) => ((k >>> i) & 1 ? 1 : -1)));
  }
  return out;
}

/** Inverse of a 2 × 2 symmetric matrix [a b; b d]. */
const inv2 = (a: number, b: number, d: number): [number, number, number] => {
  const det = a * d - b * b;
  return [d / det, -b / det, a / det];
};

/**
 * The pseudo-likelihood estimator's asymptotic standard errors of (K, h) at the truth: √n (θ̂ − θ) →
 * N(0, A⁻¹ V A⁻¹), with A the mean negative Hessian of a row's log pseudo-likelihood and V the
 * covariance of its gradient (mean zero at the truth), both computed here from the rows.
 */
function plStandardErrors(rows: ArrayLike<number>[], L: number, K: number, h: number): [number, number] {
  const n = rows.length, lat = new IsingModel(L, { J: 1, H: 0, temperature: 1 });
  let aKK = 0, aKh = 0, ahh = 0, sKK = 0, sKh = 0, shh = 0;
  for (const s of rows) {
    let gK = 0, gh = 0;
    for (let i = 0; i < L * L; i++) {
      const nb = lat.neighbourSum(s, i), z = 2 * s[i] * (K * nb + h), q = 1 / (1 + Math.exp(z)), w = q * (1 - q);
      gK += q * 2 * s[i] * nb;
      gh += q * 2 * s[i];
      aKK += (w * 4 * nb * nb) / n;
      aKh += (w * 4 * nb) / n;
      ahh += (w * 4) / n;
    }
    sKK += (gK * gK) / n;
    sKh += (gK * gh) / n;
    shh += (gh * gh) / n;
  }
  const [a, b, d] = inv2(aKK, aKh, ahh);
  const varK = a * (a * sKK + b * sKh) + b * (a * sKh + b * shh), varH = b * (b * sKK + d * sKh) + d * (b * sKh + d * shh);
  return [Math.sqrt(varK / n), Math.sqrt(varH / n)];
}

describe('Kaufman: the exact log Z of the zero-field torus', () => {
  // the reference sums up to 2^16 terms in order: its own relative rounding is about √(2^16)·2^−53 ≈ 3e−14
  it('equals enumeration of all 2^(L²) states for L = 2, 3, 4 from K → 0 to deep in the ordered phase (relative 1e-13)', () => {
    for (const L of [2, 3, 4]) {
      for (const K of [1e-9, 0.01, 0.2, 0.4406867935097715, 0.7, 3, 40]) {
        const exact = bruteLogZ(L, K, 0);
        expect(Math.abs(kaufmanLogPartition(L, K) - exact) / exact, `L = ${L}, K = ${K}`).toBeLessThan(1e-13);
      }
    }
  });

  it('the antiferromagnet on an even torus has the ferromagnet’s Z; an odd torus is refused', () => {
    expect(Math.abs(kaufmanLogPartition(4, -0.6) - bruteLogZ(4, -0.6, 0))).toBeLessThan(1e-12);
    expect(() => kaufmanLogPartition(3, -0.6)).toThrow(RangeError);
    expect(() => kaufmanLogPartition(3, -0.6)).toThrow(/odd L/);
  });

  it("converges to Onsager's free energy on a large lattice away from T_c (1e-10 per site), with the ordered phase's two ground states adding log 2", () => {
    // away from T_c the finite-size corrections fall off as e^{−L/ξ}; below T_c the torus has two
    // degenerate ordered phases, so Z_L → 2·e^{−Nf/T}: log Z_L = −Nf/T + log 2 (4e−5 per site at L = 128)
    const N = 128 ** 2;
    expect(Math.abs(kaufmanLogPartition(128, 0.25) / N - onsagerLogZPerSite(0.25))).toBeLessThan(1e-10);
    expect(Math.abs((kaufmanLogPartition(128, 0.6) - Math.LN2) / N - onsagerLogZPerSite(0.6))).toBeLessThan(1e-10);
    expect(Math.abs(kaufmanLogPartition(128, 0.6) / N - onsagerLogZPerSite(0.6))).toBeGreaterThan(0.9 * (Math.LN2 / N));
  });

  it('stays finite where Z itself overflows a double, and refuses bad arguments with typed errors', () => {
    const v = kaufmanLogPartition(64, 400); // Z = e^{2·64²·400}: ground states dominate, log Z = 2NK + log 2
    expect(v).toBeCloseTo(2 * 64 * 64 * 400 + Math.LN2, 6);
    expect(() => kaufmanLogPartition(1, 0.3)).toThrow(RangeError);
    expect(() => kaufmanLogPartition(4, Number.NaN)).toThrow(RangeError);
    expect(() => kaufmanLogPartition('4' as unknown as number, 0.3)).toThrow(TypeError);
  });
});

describe('IsingModel.logPartition and scores', () => {
  it('logPartition is exact with a field for L ≤ 4 and at zero field for any L; elsewhere a RangeError that points to AIS', () => {
    const m = new IsingModel(3, { J: 0.8, H: -0.3, temperature: 1.7 });
    expect(Math.abs(m.logPartition() - bruteLogZ(3, 0.8 / 1.7, -0.3 / 1.7))).toBeLessThan(1e-12);
    expect(new IsingModel(20, { temperature: 2 }).logPartition()).toBe(kaufmanLogPartition(20, 0.5));
    const free = new IsingModel(7, { J: 0, H: 0.4, temperature: 2 });
    expect(free.logPartition()).toBeCloseTo(49 * Math.log(2 * Math.cosh(0.2)), 12);
    expect(() => new IsingModel(5, { H: 0.1 }).logPartition()).toThrow(/no exact log Z .*method: 'ais'/);
    expect(() => new IsingModel(5, { J: -1, temperature: 2 }).logPartition()).toThrow(RangeError);
  });

  it('scoreSamples are the enumerated log-probabilities; pseudo scores are the sums of the exact conditionals', () => {
    const m = new IsingModel(3, { J: 0.6, H: 0.25, temperature: 1.3 });
    const ex = enumerateStates(m, { temperature: 1.3 });
    const rows = [0, 5, 137, 511].map((k) => Array.from({ length: 9 }, (_, i) => ((k >>> i) & 1 ? 1 : -1)));
    const per = m.scoreSamples(rows);
    const pseudo = m.scoreSamples(rows, { method: 'pseudo' });
    rows.forEach((row, r) => {
      const k = row.reduce((a, v, i) => a + (v === 1 ? 2 ** i : 0), 0);
      expect(Math.abs(per[r] - Math.log(ex.probabilities[k]))).toBeLessThan(1e-12);
      let pl = 0;
      for (let i = 0; i < 9; i++) pl += Math.log(ex.probabilities[k] / (ex.probabilities[k] + ex.probabilities[k ^ (1 << i)]));
      expect(Math.abs(pseudo[r] - pl)).toBeLessThan(1e-12);
    });
    const s = m.score(rows);
    expect(s.method).toBe('exact');
    expect(s.mean).toBe(per.reduce((a, v) => a + v, 0) / per.length);
    expect(m.score(rows, { method: 'pseudo' }).method).toBe('pseudo');
  });

  it("AIS brackets the exact log Z within its ±3σ interval (field on L = 3; zero field on L = 6 against Kaufman), and 'auto' picks it only where no exact value is known", () => {
    for (const [m, runs, betas] of [
      [new IsingModel(3, { J: 0.9, H: 0.3, temperature: 1.2 }), 200, 600],
      [new IsingModel(6, { J: 1, temperature: 2.4 }), 200, 1500],
    ] as const) {
      const rows = [Array.from({ length: m.dimension }, () => 1)];
      const a = m.score(rows, { method: 'ais', aisRuns: runs, aisBetas: betas, rng: 3 });
      const exact = m.logPartition();
      expect(a.method).toBe('ais');
      // the interval of the mean is the interval of log Ẑ carried over: exact ∈ [log Ẑ − (upper − mean), log Ẑ + (mean − lower)]
      expect(exact).toBeGreaterThanOrEqual((a.logZ as number) - (a.upper - a.mean));
      expect(exact).toBeLessThanOrEqual((a.logZ as number) + (a.mean - a.lower));
      expect(a.ess as number, 'a few runs carrying all the weight would make the interval meaningless').toBeGreaterThan(20);
    }
    const big = new IsingModel(5, { H: 0.2, temperature: 3, rng: 1 });
    expect(big.score([new Array(25).fill(1)], { aisBetas: 50, aisRuns: 5 }).method).toBe('ais');
    expect(() => big.score([new Array(25).fill(1)], { method: 'exact' })).toThrow(/no exact log Z/);
  });
});

describe('IsingModel AIS scores: the certified floor under log Z', () => {
  it('never exceeds the exact log Z, and flags an AIS run that missed the ordered states', () => {
    // L = 3 with a field: exact log Z by enumeration; the floor sums e^{−E/T} over the distinct rows and the two ordered states
    const m = new IsingModel(3, { J: 0.8, H: 0.2, temperature: 1.2, rng: 4 });
    const rows = exactSamples(m, 30, 2);
    const a = m.score(rows, { method: 'ais', aisRuns: 50, aisBetas: 300, rng: 1 });
    expect(a.logZLowerBound as number).toBeLessThanOrEqual(m.logPartition());
    expect(a.warning).toBeUndefined();
    // 3 β steps at T = 0.5 on 5 × 5: AIS's whole interval lies far below the ordered states' own weight
    const cold = new IsingModel(5, { J: 1, H: 0.01, temperature: 0.5 });
    const c = cold.score([new Array(25).fill(1)], { method: 'ais', aisBetas: 3, aisRuns: 5, rng: 1 });
    // all up (2·25·2 + 25·0.02 = 100.5) and all down (99.5): log(e^100.5 + e^99.5)
    expect(c.logZLowerBound as number).toBeCloseTo(100.5 + Math.log1p(Math.exp(-1)), 10);
    expect(c.warning).toMatch(/AIS missed probability mass/);
  });
});

describe('IsingModel.fit', () => {
  it('maximum likelihood (L = 3) matches the moments: the model’s exact ⟨B⟩ and ⟨M⟩ equal the data means', () => {
    const truth = new IsingModel(3, { J: 0.7, H: 0.2, temperature: 1.5 });
    const rows = exactSamples(truth, 400, 11);
    const m = new IsingModel(3, { temperature: 1.5 });
    const r = m.fit(rows, { method: 'ml' });
    expect(r.epochs).toBeGreaterThan(1);
    expect(r.history.at(-1)?.warning).toBeUndefined();
    const ex = enumerateStates(m, { temperature: 1.5 });
    const { B, M } = states(3);
    let eB = 0, eM = 0;
    ex.probabilities.forEach((p, k) => {
      eB += p * B[k];
      eM += p * M[k];
    });
    const dB = rows.reduce((a, s) => a + bm(s, 3)[0], 0) / rows.length, dM = rows.reduce((a, s) => a + bm(s, 3)[1], 0) / rows.length;
    expect(Math.abs(eB - dB)).toBeLessThan(1e-9);
    expect(Math.abs(eM - dM)).toBeLessThan(1e-9);
    // and it is the maximum of the exact log-likelihood: any nearby couplings score lower
    const best = m.score(rows).mean;
    for (const [dJ, dH] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3]]) {
      expect(new IsingModel(3, { J: m.J + dJ, H: m.H + dH, temperature: 1.5 }).score(rows).mean).toBeLessThan(best);
    }
  });

  it('training raises the exact log-likelihood: the history’s logLikelihood never falls (beyond rounding, in the last steps) and ends far above the start', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.5, H: -0.1, temperature: 1 }), 200, 5);
    const h = new IsingModel(3, { temperature: 1 }).fit(rows, { method: 'ml' }).history;
    const start = new IsingModel(3, { J: 0, H: 0, temperature: 1 }).score(rows).mean;
    let prev = start;
    for (const e of h) {
      // f = K·B̄ + h·M̄ − log Z with terms near 10: its own rounding is a few 1e−15
      expect(e.logLikelihood as number).toBeGreaterThanOrEqual(prev - 1e-14);
      prev = e.logLikelihood as number;
    }
    expect((h[0].logLikelihood as number) - start).toBeGreaterThan(0.1);
  });

  it('maximum pseudo-likelihood is stationary: the gradient of Σ log p(s_i | rest), computed here, vanishes at the estimate', () => {
    const rows = exactSamples(new IsingModel(4, { J: 0.4, H: 0.15, temperature: 1 }), 300, 2);
    const m = new IsingModel(4, { temperature: 1 });
    m.fit(rows);
    const ex = new IsingModel(4, { J: 1, H: 0, temperature: 1 });
    let gK = 0, gh = 0;
    for (const s of rows) {
      for (let i = 0; i < 16; i++) {
        const nb = ex.neighbourSum(s, i), z = 2 * s[i] * (m.J * nb + m.H);
        const q = 1 / (1 + Math.exp(z));
        gK += q * 2 * s[i] * nb;
        gh += q * 2 * s[i];
      }
    }
    expect(Math.abs(gK / rows.length)).toBeLessThan(1e-9);
    expect(Math.abs(gh / rows.length)).toBeLessThan(1e-9);
  });

  it('recovers the couplings of exact samples within 4 asymptotic standard errors (ML: Fisher information; pseudo-likelihood: the sandwich)', () => {
    const T = 2, J = 0.8, H = 0.1, K = J / T, h = H / T, n = 2000;
    const truth = new IsingModel(4, { J, H, temperature: T });
    const rows = exactSamples(truth, n, 21);
    // ML: √n (θ̂ − θ) → N(0, I⁻¹), I = Cov(B, M) under the model
    const ex = enumerateStates(truth, { temperature: T });
    const { B, M } = states(4);
    let eB = 0, eM = 0;
    ex.probabilities.forEach((p, k) => {
      eB += p * B[k];
      eM += p * M[k];
    });
    let vBB = 0, vBM = 0, vMM = 0;
    ex.probabilities.forEach((p, k) => {
      vBB += p * (B[k] - eB) ** 2;
      vBM += p * (B[k] - eB) * (M[k] - eM);
      vMM += p * (M[k] - eM) ** 2;
    });
    const [iKK, , ihh] = inv2(vBB, vBM, vMM);
    const ml = new IsingModel(4, { temperature: T });
    ml.fit(rows, { method: 'ml' });
    expect(Math.abs(ml.J / T - K)).toBeLessThan(4 * Math.sqrt(iKK / n));
    expect(Math.abs(ml.H / T - h)).toBeLessThan(4 * Math.sqrt(ihh / n));
    const pl = new IsingModel(4, { temperature: T });
    pl.fit(rows);
    const [seK, seh] = plStandardErrors(rows, 4, K, h);
    expect(Math.abs(pl.J / T - K)).toBeLessThan(4 * seK);
    expect(Math.abs(pl.H / T - h)).toBeLessThan(4 * seh);
  });

  it('recovers J and H from the sampler’s configurations of a 12 × 12 lattice above T_c, within 4 sandwich standard errors', () => {
    // independent chains from random starts, 200 heat-bath sweeps at T = 1.3 T_c (correlation length
    // about 2 sites; 60 sweeps leave the magnetisation visibly short of equilibrium): the rows are
    // close to independent exact draws
    const T = 3, truth = new IsingModel(12, { J: 1, H: 0.1, temperature: T, rng: 4 });
    const rows = Array.from(truth.sample(600, { sweeps: 200, order: 'checkerboard', update: 'heat-bath' }).data);
    const table = Array.from({ length: 600 }, (_, r) => rows.slice(r * 144, (r + 1) * 144));
    const m = new IsingModel(12, { temperature: T });
    m.fit(table);
    const [seK, seh] = plStandardErrors(table, 12, 1 / T, 0.1 / T);
    expect(Math.abs(m.J / T - 1 / T)).toBeLessThan(4 * seK);
    expect(Math.abs(m.H / T - 0.1 / T)).toBeLessThan(4 * seh);
  });

  it('partialFit adds up batches: two partial fits reach the fit of all rows, and a loaded copy continues the counts', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.5, H: 0.3, temperature: 1 }), 120, 8);
    const all = new IsingModel(3, { temperature: 1 });
    all.fit(rows);
    const parts = new IsingModel(3, { temperature: 1 });
    parts.partialFit(rows.slice(0, 50));
    const saved = JSON.stringify(parts.toDocument());
    parts.partialFit(rows.slice(50));
    expect(Math.abs(parts.J - all.J)).toBeLessThan(1e-12);
    expect(Math.abs(parts.H - all.H)).toBeLessThan(1e-12);
    const loaded = loadModel(saved) as IsingModel;
    loaded.partialFit(rows.slice(50));
    expect([loaded.J, loaded.H]).toEqual([parts.J, parts.H]);
    // fit forgets earlier batches
    const again = new IsingModel(3, { temperature: 1 });
    again.partialFit(rows.slice(0, 50));
    again.fit(rows);
    expect([again.J, again.H]).toEqual([all.J, all.H]);
  });

  it('fitField: false keeps H and fits J alone (the zero-field model of the data)', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.6, H: 0, temperature: 1 }), 300, 9);
    const m = new IsingModel(3, { H: 0, temperature: 1 });
    m.fit(rows, { method: 'ml', fitField: false });
    expect(m.H).toBe(0);
    // 1-D moment matching: ⟨B⟩ under the fit equals the data mean
    const ex = enumerateStates(m, { temperature: 1 });
    const { B } = states(3);
    const eB = ex.probabilities.reduce((a, p, k) => a + p * B[k], 0);
    expect(Math.abs(eB - rows.reduce((a, s) => a + bm(s, 3)[0], 0) / rows.length)).toBeLessThan(1e-9);
  });

  it('data whose maximum is at infinite couplings are refused before anything changes; l2 gives a finite estimate', () => {
    const m = new IsingModel(3, { J: 0.3, H: 0.1, temperature: 1 });
    const up = [new Array(9).fill(1), new Array(9).fill(1)];
    const before = JSON.stringify(m.toDocument());
    for (const method of ['pseudo-likelihood', 'ml'] as const) {
      expect(() => m.fit(up, { method })).toThrow(RangeError);
      expect(() => m.partialFit(up, { method })).toThrow(/maximum at infinite couplings.*l2 > 0/);
    }
    // all up or all down: B at its maximum in every row, so J → ∞ even though M averages 0
    expect(() => m.fit([new Array(9).fill(1), new Array(9).fill(-1)], { method: 'ml' })).toThrow(/infinite couplings/);
    expect(JSON.stringify(m.toDocument())).toBe(before);
    m.fit(up, { l2: 0.5 });
    expect(Number.isFinite(m.J) && m.J > 0 && m.H > 0).toBe(true);
  });

  it('refuses bad options and data with typed errors naming them, before anything changes', () => {
    const m = new IsingModel(3, { temperature: 1 });
    const rows = [[1, -1, 1, 1, 1, -1, 1, 1, -1]];
    expect(() => m.fit(rows, { method: 'em' as never })).toThrow(/method/);
    expect(() => m.fit(rows, { l2: -1 })).toThrow(/l2/);
    expect(() => m.fit(rows, { epochs: 0 })).toThrow(/epochs/);
    expect(() => m.fit(rows, { fitField: 'no' as never })).toThrow(/fitField/);
    expect(() => m.fit([[1, 0, 1, 1, 1, -1, 1, 1, -1]])).toThrow(RangeError);
    expect(() => m.fit([[1, 1]])).toThrow(ShapeError);
    expect(() => m.fit([])).toThrow(ShapeError);
    expect(() => new IsingModel(5).fit([new Array(25).fill(1)], { method: 'ml' })).toThrow(/L ≤ 4/);
    expect(() => m.score(rows, { aisRuns: 0 })).toThrow(/aisRuns/);
    expect([m.J, m.H]).toEqual([1, 0]);
  });

  it('onEpoch sees every Newton step and can stop the fit; an aborted signal stops it before the first', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.5, H: 0.2, temperature: 1 }), 100, 3);
    const seen: number[] = [];
    const r = new IsingModel(3, { temperature: 1 }).fit(rows, {
      onEpoch: (e) => {
        seen.push(e.epoch);
        return e.epoch < 1;
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(r.epochs).toBe(2);
    const c = new AbortController();
    c.abort();
    const a = new IsingModel(3, { temperature: 1 }).fit(rows, { signal: c.signal });
    expect(a.aborted).toBe(true);
    expect(a.epochs).toBe(0);
    const short = new IsingModel(3, { temperature: 1 }).fit(rows, { epochs: 1 });
    expect(short.history[0].warning).toMatch(/stopped after 1 Newton steps/);
  });
});

describe('IsingModel.fit: starting points, options and edges (review)', () => {
  it('partialFit continues from a far estimate: nearly aligned rows first (J ≈ 1.4 at T = 1), then many rows from T = 3, reach fit on all of them', () => {
    const sat = exactSamples(new IsingModel(3, { J: 1, H: 0, temperature: 0.4 }), 40, 14); // nearly all aligned
    const warm = exactSamples(new IsingModel(3, { J: 1, H: 0.1, temperature: 3 }), 300, 4);
    for (const method of ['pseudo-likelihood', 'ml'] as const) {
      const p = new IsingModel(3, { temperature: 1 });
      p.partialFit(sat, { method, l2: 1e-3 });
      expect(p.J).toBeGreaterThan(1); // far from the optimum of all the rows (about 0.4)
      const r = p.partialFit(warm, { method, l2: 1e-3 });
      expect(r.history.at(-1)?.warning).toBeUndefined();
      const all = new IsingModel(3, { temperature: 1 });
      all.fit(sat.concat(warm), { method, l2: 1e-3 });
      expect(Math.abs(p.J - all.J), method).toBeLessThan(1e-10);
      expect(Math.abs(p.H - all.H), method).toBeLessThan(1e-10);
    }
    // a first partialFit starts as fit does, whatever the model's couplings (K₀ = J/T = 20 here)
    const cold = new IsingModel(3, { temperature: 0.05 });
    cold.partialFit(warm);
    const ref = new IsingModel(3, { temperature: 0.05 });
    ref.fit(warm);
    expect([cold.J, cold.H]).toEqual([ref.J, ref.H]);
  });

  it('the solver reaches the same maximum from far starting points, where the Hessian is nearly singular and the Newton step absurdly long', () => {
    const rows = exactSamples(new IsingModel(4, { J: 1, H: 0.1, temperature: 3 }), 100, 5);
    const stats = emptyIsingStatistics();
    addIsingStatistics(stats, { rows: rows.length, cols: 16, data: Float64Array.from(rows.flat()) }, 4);
    for (const [name, objective] of [
      ['ml', likelihoodObjective(stats, 4)],
      ['pseudo-likelihood', pseudoLikelihoodObjective(stats)],
    ] as const) {
      const o = { where: 'test', fitField: true, l2: 0, maxSteps: 200 };
      const ref = isingNewton(objective, 0, 0, o);
      expect(ref.converged).toBe(true);
      for (const [K0, h0] of [[6, 0], [3, 3], [8, 6], [15, 0], [-10, 4]]) {
        const r = isingNewton(objective, K0, h0, o);
        expect(r.converged, `${name} from (${K0}, ${h0})`).toBe(true);
        expect(r.steps).toBeGreaterThan(0);
        expect(Math.abs(r.K - ref.K), `${name} from (${K0}, ${h0})`).toBeLessThan(1e-9);
        expect(Math.abs(r.h - ref.h), `${name} from (${K0}, ${h0})`).toBeLessThan(1e-9);
      }
    }
  });

  it('fitField: false keeps H bit for bit and makes the pseudo-likelihood stationary in J alone, at that field', () => {
    // (0.2 / 2.9)·2.9 is 0.19999999999999998: H must not go through H/T and back
    const rows = exactSamples(new IsingModel(3, { J: 1, H: 0.2, temperature: 2.9 }), 200, 12);
    const m = new IsingModel(3, { J: 1, H: 0.2, temperature: 2.9 });
    m.fit(rows, { fitField: false });
    expect(m.H).toBe(0.2);
    const lat = new IsingModel(3, { J: 1, H: 0, temperature: 1 });
    const K = m.J / 2.9, h = 0.2 / 2.9;
    let gK = 0;
    for (const s of rows) {
      for (let i = 0; i < 9; i++) {
        const nb = lat.neighbourSum(s, i);
        gK += (2 * s[i] * nb) / (1 + Math.exp(2 * s[i] * (K * nb + h)));
      }
    }
    expect(Math.abs(gK / rows.length)).toBeLessThan(1e-9);
  });

  it('the ridge enters at its stated strength: the gradient of the pseudo-likelihood equals l2·(K, h) at the estimate', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.6, H: 0.3, temperature: 1 }), 100, 13);
    const m = new IsingModel(3, { temperature: 1 });
    m.fit(rows, { l2: 0.3 });
    const lat = new IsingModel(3, { J: 1, H: 0, temperature: 1 });
    let gK = 0, gh = 0;
    for (const s of rows) {
      for (let i = 0; i < 9; i++) {
        const nb = lat.neighbourSum(s, i), q = 1 / (1 + Math.exp(2 * s[i] * (m.J * nb + m.H)));
        gK += (q * 2 * s[i] * nb) / rows.length;
        gh += (q * 2 * s[i]) / rows.length;
      }
    }
    expect(Math.abs(gK - 0.3 * m.J)).toBeLessThan(1e-9);
    expect(Math.abs(gh - 0.3 * m.H)).toBeLessThan(1e-9);
  });

  it('existence with J alone (fitField: false) is one-dimensional: all-up rows and one flip have a finite J but no finite (J, H); a checkerboard has neither', () => {
    const rows = Array.from({ length: 1000 }, () => new Array(16).fill(1));
    rows.push([1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => new IsingModel(4, { temperature: 1 }).fit(rows)).toThrow(/infinite couplings/);
    const m = new IsingModel(4, { H: 0, temperature: 1 });
    m.fit(rows, { fitField: false });
    expect(m.J).toBeGreaterThan(0.5);
    expect(Number.isFinite(m.J)).toBe(true);
    // every spin disagrees with its four neighbours: s·n = −4 everywhere, so K → −∞ along one direction
    const checker = Array.from({ length: 16 }, (_, i) => ((i >> 2) + (i & 3)) % 2 ? 1 : -1);
    for (const fitField of [true, false]) expect(() => new IsingModel(4, { temperature: 1 }).fit([checker, checker.map((v) => -v)], { fitField })).toThrow(/infinite couplings/);
    // and the other side: every spin agrees with its neighbours, so K → +∞ even at a fixed field
    expect(() => new IsingModel(4, { H: 0.3, temperature: 1 }).fit(rows.slice(0, 10), { fitField: false })).toThrow(/infinite couplings/);
    expect(() => new IsingModel(4, { H: 0.3, temperature: 1 }).fit(rows.slice(0, 10), { fitField: false, method: 'ml' })).toThrow(/infinite couplings/);
  });

  it('exact maximum likelihood stays accurate at saturation: all-up rows with a tiny ridge reach the maximiser found here by bisection', () => {
    // f(K) = −log Σ_s e^{K(B(s) − 18)} − l2·K²/2 on the 3 × 3 torus (h = 0 kept): f′(K) = E[18 − B] − l2·K
    const l2 = 1e-30, { B } = states(3);
    const slope = (K: number): number => {
      let w = 0, e = 0;
      for (const b of B) {
        const x = Math.exp(K * (b - 18));
        w += x;
        e += x * (18 - b);
      }
      return e / w - l2 * K;
    };
    let lo = 0, hi = 60;
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (slope(mid) > 0) lo = mid;
      else hi = mid;
    }
    const m = new IsingModel(3, { H: 0, temperature: 1 });
    const r = m.fit([new Array(9).fill(1), new Array(9).fill(1)], { method: 'ml', fitField: false, l2 });
    expect(r.history.at(-1)?.warning).toBeUndefined();
    expect(Math.abs(m.J - lo) / lo).toBeLessThan(1e-9);
  });

  it('an aborted fit or partialFit changes nothing: couplings and counts stay', () => {
    const rows = exactSamples(new IsingModel(3, { J: 0.5, H: 0.2, temperature: 1 }), 50, 6);
    const c = new AbortController();
    c.abort();
    for (const call of ['fit', 'partialFit'] as const) {
      const m = new IsingModel(3, { J: 0.7, H: 0.2, temperature: 1 });
      const before = JSON.stringify(m.toDocument());
      const r = m[call](rows, { signal: c.signal });
      expect(r).toEqual({ history: [], epochs: 0, aborted: true });
      expect(JSON.stringify(m.toDocument())).toBe(before);
    }
  });

  it("'exact' and 'pseudo' scores on a lattice too large for AIS's default 100 lattices (L = 1700, Kaufman)", () => {
    const m = new IsingModel(1700, { temperature: 3 });
    const row = { rows: 1, cols: 1700 ** 2, data: new Float64Array(1700 ** 2).fill(1) };
    const s = m.score(row);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo((2 * 1700 ** 2) / 3 - kaufmanLogPartition(1700, 1 / 3), 4);
    expect(m.score(row, { method: 'pseudo' }).method).toBe('pseudo');
    expect(() => m.score(row, { method: 'ais' })).toThrow(/aisRuns × L²/);
  });

  it('a temperature that makes J/T or H/T overflow: the energy works, the distribution is refused by name', () => {
    const m = new IsingModel(4, { J: 1e300, H: 0.5, temperature: 1e-300 });
    expect(m.energy(new Float64Array(16).fill(1))).toBe(-32e300 - 8);
    expect(m.hasExactLogPartition()).toBe(false);
    expect(() => m.logPartition()).toThrow(/J\/T and H\/T must be finite/);
    expect(() => m.score([new Array(16).fill(1)])).toThrow(/J\/T and H\/T must be finite/);
    expect(() => m.fit([new Array(16).fill(1), new Array(16).fill(-1)], { fitField: false, l2: 1 })).toThrow(/J\/T and H\/T must be finite/);
    // fitted from J = H = 0, the estimate does not need the old couplings
    m.fit(exactSamples(new IsingModel(4, { J: 3e-301, H: 1e-301, temperature: 1e-300 }), 50, 1));
    expect(Number.isFinite(m.J) && Number.isFinite(m.H)).toBe(true);
  });
});

describe('IsingModel.standardErrors', () => {
  it('equals the sandwich computed here (pseudo-likelihood) and the inverse Fisher information from enumeration (ML)', () => {
    const T = 1.5, rows = exactSamples(new IsingModel(4, { J: 0.6, H: 0.15, temperature: T }), 500, 31);
    const pl = new IsingModel(4, { temperature: T });
    pl.fit(rows);
    const [seK, seh] = plStandardErrors(rows, 4, pl.J / T, pl.H / T);
    const se = pl.standardErrors(rows);
    expect(Math.abs(se.J / (T * seK) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(se.H / (T * seh) - 1)).toBeLessThan(1e-9);
    const ml = new IsingModel(4, { temperature: T });
    ml.fit(rows, { method: 'ml' });
    const ex = enumerateStates(ml, { temperature: T });
    const { B, M } = states(4);
    let eB = 0, eM = 0, vBB = 0, vBM = 0, vMM = 0;
    ex.probabilities.forEach((p, k) => {
      eB += p * B[k];
      eM += p * M[k];
    });
    ex.probabilities.forEach((p, k) => {
      vBB += p * (B[k] - eB) ** 2;
      vBM += p * (B[k] - eB) * (M[k] - eM);
      vMM += p * (M[k] - eM) ** 2;
    });
    const [iKK, , ihh] = inv2(vBB, vBM, vMM);
    const sm = ml.standardErrors(rows, { method: 'ml' });
    expect(Math.abs(sm.J / (T * Math.sqrt(iKK / 500)) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(sm.H / (T * Math.sqrt(ihh / 500)) - 1)).toBeLessThan(1e-9);
    expect(ml.standardErrors(rows, { method: 'ml', fitField: false }).H).toBe(0);
  });

  it('is calibrated: over 400 replicate data sets of exact draws the estimates spread as the standard errors say', () => {
    // the standard deviation of 400 estimates has a relative error of 1/√798 ≈ 3.5%: 0.15 is over 4 of those
    for (const [J, H, T] of [
      [0.5, 0.2, 1],
      [1, 0.1, 2],
    ] as const) {
      const truth = new IsingModel(3, { J, H, temperature: T });
      const ex = enumerateStates(truth, { temperature: T });
      const cdf = new Float64Array(ex.probabilities.length);
      let acc = 0;
      for (let k = 0; k < cdf.length; k++) cdf[k] = acc += ex.probabilities[k];
      const rng = new Random(9);
      const draw = (n: number): number[][] =>
        Array.from({ length: n }, () => {
          const u = rng.float64() * acc;
          let lo = 0, hi = cdf.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if ((cdf[mid] as number) <= u) lo = mid + 1;
            else hi = mid;
          }
          return Array.from({ length: 9 }, (_, i) => ((lo >>> i) & 1 ? 1 : -1));
        });
      for (const method of ['pseudo-likelihood', 'ml'] as const) {
        const js: number[] = [], hs: number[] = [];
        let seJ = 0, seH = 0;
        for (let rep = 0; rep < 400; rep++) {
          const rows = draw(1000);
          const m = new IsingModel(3, { temperature: T });
          m.fit(rows, { method });
          const se = m.standardErrors(rows, { method });
          js.push(m.J);
          hs.push(m.H);
          seJ += se.J / 400;
          seH += se.H / 400;
        }
        const sd = (a: number[]): number => {
          const mu = a.reduce((t, x) => t + x, 0) / a.length;
          return Math.sqrt(a.reduce((t, x) => t + (x - mu) ** 2, 0) / (a.length - 1));
        };
        expect(Math.abs(sd(js) / seJ - 1), `${method} J at T = ${T}`).toBeLessThan(0.15);
        expect(Math.abs(sd(hs) / seH - 1), `${method} H at T = ${T}`).toBeLessThan(0.15);
      }
    }
  });

  it('refuses bad options and ml above L = 4', () => {
    const m = new IsingModel(5, { temperature: 1 });
    const row = [new Array(25).fill(1)];
    expect(() => m.standardErrors(row, { method: 'ml' })).toThrow(/L ≤ 4/);
    expect(() => m.standardErrors(row, { methd: 'ml' } as never)).toThrow(/did you mean 'method'/);
    expect(() => m.standardErrors(row, { fitField: 1 as never })).toThrow(/fitField/);
  });
});

describe('IsingModel documents and samplers', () => {
  it('a document keeps T; one written before the model had a temperature loads with T_c of its J', () => {
    const m = new IsingModel(4, { J: 2, temperature: 1.5 });
    expect((loadModel(JSON.stringify(m.toDocument())) as IsingModel).temperature).toBe(1.5);
    const old = { format: 'boltzmann', version: 1, kind: 'ising', config: { L: 4, J: 2, H: 0 }, tensors: {} };
    expect((loadModel(JSON.stringify(old)) as IsingModel).temperature).toBe(new IsingModel(4, { J: 2 }).temperature);
    const bad = JSON.parse(JSON.stringify(m.toDocument()));
    bad.state.training = { rows: 1, bonds: 0, magnetisation: 0, pairs: [1, 2, 3] };
    expect(() => loadModel(JSON.stringify(bad))).toThrow(FormatError);
    bad.state.training = { rows: 1, bonds: 0, magnetisation: 0, pairs: [16, 0, 0, 0, 0, 0, 0, 0, 0, 1] };
    expect(() => loadModel(JSON.stringify(bad))).toThrow(/rows·L² = 16/);
  });

  it('a sampler keeps the couplings it was made with when the model is refitted', () => {
    const m = new IsingModel(3, { J: 1, H: 0, temperature: 2, rng: 1 });
    const s = new IsingSampler(m, { initial: 'up' });
    m.fit([
      [1, 1, 1, 1, -1, 1, 1, -1, 1],
      [-1, 1, -1, -1, -1, -1, 1, -1, -1],
    ], { l2: 0.1 });
    expect(m.J).not.toBe(1);
    expect(s.energy()).toBe(-18); // all up under J = 1: 18 satisfied bonds
    expect(s.temperature).toBe(2);
  });
});

describe('IsingModel: hostile arguments get the library’s typed errors, never an engine error', () => {
  it('fit, score, the temperature, kaufmanLogPartition and documents', () => {
    const vals: unknown[] = [{ toString: 1 }, Object.create(null), Symbol('x'), 1n, null, [], '3', Number.NaN, -1, 0.5, 2 ** 31, Number.POSITIVE_INFINITY, () => 1];
    const rows = [
      [1, -1, 1, 1, 1, -1, 1, 1, -1],
      [-1, -1, 1, 1, -1, 1, 1, -1, 1],
    ];
    const engine: string[] = [];
    const probe = (label: string, f: () => unknown): void => {
      try {
        f();
      } catch (e) {
        const typed = e instanceof Error && ['TypeError', 'RangeError', 'ShapeError', 'FormatError', 'NumericalError'].includes(e.name);
        if (!typed || /Cannot convert|Invalid typed array|Maximum call stack/.test((e as Error).message)) engine.push(`${label}: ${String(e)}`);
      }
    };
    const jsonable = (v: unknown): unknown => (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? 'x' : v);
    for (const v of vals) {
      for (const k of ['method', 'epochs', 'fitField', 'l2', 'onEpoch', 'signal']) probe(`fit ${k}`, () => new IsingModel(3, { temperature: 1 }).fit(rows, { [k]: v }));
      for (const k of ['method', 'aisRuns', 'aisBetas', 'rng']) probe(`score ${k}`, () => new IsingModel(3, { temperature: 1 }).score(rows, { [k]: v }));
      for (const k of ['method', 'fitField']) probe(`standardErrors ${k}`, () => new IsingModel(3, { temperature: 1 }).standardErrors(rows, { [k]: v }));
      probe('standardErrors data', () => new IsingModel(3, { temperature: 1 }).standardErrors(v as number[][]));
      probe('fit data', () => new IsingModel(3, { temperature: 1 }).fit(v as number[][]));
      probe('score data', () => new IsingModel(3, { temperature: 1 }).score(v as number[][]));
      probe('temperature', () => new IsingModel(3, { temperature: v as number }));
      probe('kaufman L', () => kaufmanLogPartition(v as number, 0.3));
      probe('kaufman K', () => kaufmanLogPartition(4, v as number));
      const doc = JSON.parse(JSON.stringify(new IsingModel(3, { temperature: 1 }).toDocument()));
      doc.config.T = jsonable(v);
      probe('document T', () => loadModel(JSON.stringify(doc)));
      doc.config.T = 1;
      doc.state.training = jsonable(v);
      probe('document state.training', () => loadModel(JSON.stringify(doc)));
    }
    expect(engine).toEqual([]);
  });
});

describe('properties (fast-check)', () => {
  it('kaufmanLogPartition: equal to the density of states for any K on L = 2, 3, 4, and even in K on even L', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 3, 4), fc.double({ min: -3, max: 3, noNaN: true }), (L, K) => {
        const k = L % 2 === 1 ? Math.abs(K) : K;
        const exact = bruteLogZ(L, k, 0);
        const v = kaufmanLogPartition(L, k);
        return Math.abs(v - exact) <= 1e-12 * Math.max(1, Math.abs(exact)) && (L % 2 === 1 || v === kaufmanLogPartition(L, -k));
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it('fit depends on the rows only through their counts: any order, and every row twice, give the same estimate', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(-1, 1), { minLength: 9, maxLength: 9 }), { minLength: 4, maxLength: 30 }), fc.integer(), (rows, seed) => {
        // the ridge keeps every data set's maximum finite
        const a = new IsingModel(3, { temperature: 1 });
        a.fit(rows, { l2: 0.01 });
        const shuffled = rows.slice().sort((p, q) => ((p.join('') + seed) < (q.join('') + seed) ? -1 : 1));
        const b = new IsingModel(3, { temperature: 1 });
        b.fit(shuffled.concat(shuffled), { l2: 0.01 });
        return Math.abs(a.J - b.J) < 1e-9 && Math.abs(a.H - b.H) < 1e-9;
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
