import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import {
  EXACT_MAX_UNITS,
  enumerateStates,
  exactDistribution,
  exactGroundState,
  exactLogLikelihood,
  exactLogPartition,
  exactMarginal,
  exactMoments,
  exactThermodynamics,
  indexFromState,
  stateFrequencies,
  stateFromIndex,
  totalVariation,
  totalVariationBound,
} from '../../src/energy/exact.js';
import { fromArrays, zeros } from '../../src/linalg/matrix.js';
import { Random } from '../../src/random/random.js';

/** A random symmetric zero-diagonal model with N(0, scale²) couplings and biases. */
function randomModel(n: number, seed: number, domain: 'binary' | 'spin', scale = 1): QuadraticEnergy {
  const rng = new Random(seed);
  const w = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = scale * rng.normal();
      w.data[i * n + j] = v;
      w.data[j * n + i] = v;
    }
  }
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = scale * rng.normal();
  return new QuadraticEnergy(w, b, domain);
}

/** Brute force: energy() of every state, plain sums (no Gray code, no incremental updates). */
function brute(e: QuadraticEnergy, t: number) {
  const n = e.dimension;
  const s = new Float64Array(n);
  const a: number[] = [];
  for (let k = 0; k < 2 ** n; k++) {
    stateFromIndex(s, k, e.domain);
    a.push(-e.energy(s) / t);
  }
  const mx = Math.max(...a);
  const z = a.reduce((acc, x) => acc + Math.exp(x - mx), 0);
  const logZ = mx + Math.log(z);
  const p = a.map((x) => Math.exp(x - logZ));
  const mean = new Float64Array(n);
  const corr = new Float64Array(n * n);
  for (let k = 0; k < p.length; k++) {
    stateFromIndex(s, k, e.domain);
    for (let i = 0; i < n; i++) {
      mean[i] += p[k] * s[i];
      for (let j = 0; j < n; j++) corr[i * n + j] += p[k] * s[i] * s[j];
    }
  }
  return { logZ, p, mean, corr };
}

const arbModel = fc.record({
  n: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  spin: fc.boolean(),
  t: fc.double({ min: 0.2, max: 5, noNaN: true }),
  scale: fc.double({ min: 0.1, max: 3, noNaN: true }),
});

describe('exact enumeration of quadratic energies', () => {
  it('log Z, the distribution and the moments equal brute-force sums (property)', () => {
    fc.assert(
      fc.property(arbModel, ({ n, seed, spin, t, scale }) => {
        const e = randomModel(n, seed, spin ? 'spin' : 'binary', scale);
        const b = brute(e, t);
        expect(exactLogPartition(e, { temperature: t })).toBeCloseTo(b.logZ, 10);
        const p = exactDistribution(e, { temperature: t });
        for (let k = 0; k < p.length; k++) expect(p[k]).toBeCloseTo(b.p[k], 12);
        const m = exactMoments(e, { temperature: t });
        for (let i = 0; i < n; i++) expect(m.mean[i]).toBeCloseTo(b.mean[i], 10);
        for (let k = 0; k < n * n; k++) expect(m.correlation.data[k]).toBeCloseTo(b.corr[k], 10);
        const g = enumerateStates(e, { temperature: t });
        expect(g.logZ).toBeCloseTo(b.logZ, 10);
        expect(totalVariation(g.probabilities, p)).toBeLessThan(1e-12);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('F = U − T·H equals −T log Z; U = −d log Z / dβ; C = T⁻² Var E by finite differences', () => {
    fc.assert(
      fc.property(arbModel, ({ n, seed, spin, t, scale }) => {
        const e = randomModel(n, seed, spin ? 'spin' : 'binary', scale);
        const th = exactThermodynamics(e, { temperature: t });
        expect(th.freeEnergy).toBeCloseTo(th.freeEnergyFromZ, 9);
        expect(th.entropy).toBeGreaterThanOrEqual(-1e-12);
        expect(th.entropy).toBeLessThanOrEqual(n * Math.log(2) + 1e-9);
        // U = −∂ log Z/∂β with β = 1/T, central difference in β
        const beta = 1 / t;
        const hstep = 1e-4 * beta;
        const lz = (bb: number) => exactLogPartition(e, { temperature: 1 / bb });
        const dU = -(lz(beta + hstep) - lz(beta - hstep)) / (2 * hstep);
        expect(Math.abs(th.internalEnergy - dU)).toBeLessThan(1e-5 * Math.max(1, Math.abs(dU)));
        expect(th.heatCapacity).toBeGreaterThanOrEqual(0);
        expect(th.groundEnergy).toBeCloseTo(exactGroundState(e).energy, 10);
      }),
      { numRuns: 40, seed: 12 },
    );
  });

  it('a model with no couplings or biases: H = n log 2, U = 0, log Z = n log 2', () => {
    const e = new QuadraticEnergy(zeros(5, 5), new Float64Array(5), 'spin');
    const th = exactThermodynamics(e, { temperature: 0.7 });
    expect(th.entropy).toBeCloseTo(5 * Math.log(2), 12);
    expect(th.internalEnergy).toBeCloseTo(0, 12);
    expect(th.logZ).toBeCloseTo(5 * Math.log(2), 12);
  });

  it('the Gray-code walk keeps its accuracy at the size limit region (20 units, 2^20 states)', () => {
    const e = randomModel(20, 3, 'binary', 0.3);
    // logZ by Gray code vs a fresh (non-incremental) energy of the ground state and a Z lower bound
    const g = exactGroundState(e);
    expect(g.energy).toBeCloseTo(e.energy(g.state), 9);
    const lz = exactLogPartition(e);
    expect(lz).toBeGreaterThan(-g.energy);
    expect(lz).toBeLessThan(-g.energy + 20 * Math.log(2));
  });

  it('clamped enumeration: log Z(clamped) − log Z is the log marginal of the clamped values', () => {
    fc.assert(
      fc.property(arbModel, fc.integer({ min: 0, max: 1e6 }), ({ n, seed, spin, t, scale }, cseed) => {
        const domain = spin ? 'spin' : 'binary';
        const e = randomModel(n, seed, domain, scale);
        const rng = new Random(cseed);
        const clamp = new Uint8Array(n);
        const values = new Float64Array(n).fill(domain === 'spin' ? -1 : 0);
        const vis: number[] = [];
        for (let i = 0; i < n; i++) {
          if (rng.float64() < 0.5) {
            clamp[i] = 1;
            vis.push(i);
            values[i] = rng.float64() < 0.5 ? 1 : domain === 'spin' ? -1 : 0;
          }
        }
        const before = values.slice();
        const lzc = exactLogPartition(e, { temperature: t, clamp, clampValues: values });
        const lz = exactLogPartition(e, { temperature: t });
        const marg = exactMarginal(e, vis, { temperature: t });
        let k = 0;
        for (let m = 0; m < vis.length; m++) if (values[vis[m]] === 1) k |= 1 << m;
        expect(lzc - lz).toBeCloseTo(Math.log(marg[k]), 9);
        let sum = 0;
        for (const x of marg) sum += x;
        expect(sum).toBeCloseTo(1, 12);
        // conditional moments: clamped units keep their values
        const m = exactMoments(e, { temperature: t, clamp, clampValues: values });
        for (const i of vis) expect(m.mean[i]).toBeCloseTo(values[i], 12);
        expect(Array.from(values)).toEqual(Array.from(before));
        // conditional distribution sums to 1 over the free units
        const pc = exactDistribution(e, { temperature: t, clamp, clampValues: values });
        expect(pc.length).toBe(2 ** (n - vis.length));
        expect(pc.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('the exact log-likelihood gradient equals finite differences of the exact log-likelihood', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (nv, nh, seed, spin, t) => {
          const n = nv + nh;
          const domain = spin ? 'spin' : 'binary';
          const e = randomModel(n, seed, domain, 0.7);
          const rng = new Random(seed + 1);
          const rows = 5;
          const data = zeros(rows, nv);
          for (let k = 0; k < data.data.length; k++) data.data[k] = rng.float64() < 0.5 ? 1 : domain === 'spin' ? -1 : 0;
          // visible units in a scrambled order
          const order = Array.from(rng.permutation(n));
          const visible = order.slice(0, nv);
          const res = exactLogLikelihood(e, data, visible, { temperature: t });
          const eps = 1e-5;
          const ll = () => exactLogLikelihood(e, data, visible, { temperature: t, gradient: false }).logLikelihood;
          expect(res.logLikelihood).toBeCloseTo(ll(), 12);
          for (let i = 0; i < n; i++) {
            const b0 = e.bias[i];
            e.bias[i] = b0 + eps;
            const up = ll();
            e.bias[i] = b0 - eps;
            const dn = ll();
            e.bias[i] = b0;
            expect(res.bias[i]).toBeCloseTo((up - dn) / (2 * eps), 6);
            for (let j = i + 1; j < n; j++) {
              const w0 = e.weights.data[i * n + j];
              const set = (v: number) => {
                e.weights.data[i * n + j] = v;
                e.weights.data[j * n + i] = v;
              };
              set(w0 + eps);
              const u = ll();
              set(w0 - eps);
              const d = ll();
              set(w0);
              // one symmetric parameter w_ij = w_ji: dL/dw_ij as reported (per entry)
              expect(res.weights.data[i * n + j]).toBeCloseTo((u - d) / (2 * eps), 6);
              expect(res.weights.data[j * n + i]).toBe(res.weights.data[i * n + j]);
            }
            expect(res.weights.data[i * n + i]).toBe(0);
          }
          // per-example log-probabilities agree with the marginal
          const marg = exactMarginal(e, visible, { temperature: t });
          for (let r = 0; r < rows; r++) {
            const k = indexFromState(data.data.subarray(r * nv, (r + 1) * nv));
            expect(res.perExample[r]).toBeCloseTo(Math.log(marg[k]), 9);
          }
        },
      ),
      { numRuns: 25, seed: 14 },
    );
  });

  it('throws a RangeError naming the limit above 24 free units, without enumerating', () => {
    const n = EXACT_MAX_UNITS + 1;
    const e = new QuadraticEnergy(zeros(n, n), new Float64Array(n), 'binary');
    const t0 = Date.now();
    expect(() => exactLogPartition(e)).toThrow(RangeError);
    expect(() => exactLogPartition(e)).toThrow(/24 free units/);
    expect(() => exactThermodynamics(e)).toThrow(/24/);
    expect(() => enumerateStates(e)).toThrow(/24/);
    expect(() => exactMarginal(e, [0])).toThrow(/24/);
    expect(Date.now() - t0).toBeLessThan(1000);
    // clamping one unit brings it under the limit
    const clamp = new Uint8Array(n);
    clamp[0] = 1;
    clamp[1] = 1;
    expect(exactLogPartition(new QuadraticEnergy(zeros(n, n), new Float64Array(n), 'binary'), { clamp, clampValues: new Float64Array(n) })).toBeCloseTo(
      (n - 2) * Math.log(2),
      9,
    );
  });

  it('rejects bad arguments with typed errors naming the function', () => {
    const e = randomModel(3, 1, 'binary');
    expect(() => exactLogPartition(e, { temperature: 0 })).toThrow(/exactLogPartition: temperature/);
    expect(() => exactLogPartition(e, { clamp: new Uint8Array(2), clampValues: new Float64Array(3) })).toThrow(/clamp must have length 3/);
    expect(() => exactLogPartition(e, { clamp: new Uint8Array(3) })).toThrow(/clampValues/);
    expect(() => exactLogPartition(e, { clamp: Uint8Array.of(1, 0, 0), clampValues: Float64Array.of(-1, 0, 0) })).toThrow(RangeError);
    expect(() => exactMarginal(e, [0, 0])).toThrow(/repeat/);
    expect(() => exactMarginal(e, [3])).toThrow(/visible\[0\]/);
    expect(() => exactLogLikelihood(e, fromArrays([[0.5, 1]]), [0, 1])).toThrow(/0\/1/);
    expect(() => exactLogLikelihood(e, fromArrays([[0, 1, 1]]), [0, 1])).toThrow(/shape/);
    expect(() => enumerateStates({ dimension: 2, domain: 'continuous', energy: () => 0 })).toThrow(/domain/);
  });

  it('refuses unknown option keys with the closest valid one, and takes plain arrays as data', () => {
    const e = randomModel(3, 1, 'binary');
    expect(() => exactLogPartition(e, { temprature: 2 } as never)).toThrow(/exactLogPartition: unknown option 'temprature' \(did you mean 'temperature'\?\)/);
    expect(() => exactMoments(e, { clampValue: new Float64Array(3) } as never)).toThrow(/did you mean 'clampValues'/);
    expect(() => exactGroundState(e, { tolerence: 1e-6 } as never)).toThrow(/did you mean 'tolerance'/);
    expect(() => exactMarginal(e, [0], { clamp: new Uint8Array(3) } as never)).toThrow(TypeError);
    expect(() => exactLogLikelihood(e, [[0, 1]], [0, 1], { gradients: false } as never)).toThrow(/did you mean 'gradient'/);
    expect(() => enumerateStates(e, { temp: 1 } as never)).toThrow(/unknown option 'temp'/);
    const fromPlain = exactLogLikelihood(e, [[0, 1], [1, 1]], [0, 1], { gradient: false });
    const fromMatrix = exactLogLikelihood(e, fromArrays([[0, 1], [1, 1]]), [0, 1], { gradient: false });
    expect(Array.from(fromPlain.perExample)).toEqual(Array.from(fromMatrix.perExample));
    expect(() => exactLogLikelihood(e, [[0, 1], [1]], [0, 1])).toThrow(/row 1/);
  });

  it('stateFromIndex and indexFromState are inverse; frequencies and TV behave', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.boolean(), (n, k0, spin) => {
        const k = k0 % 2 ** n;
        const s = stateFromIndex(new Float64Array(n), k, spin ? 'spin' : 'binary');
        expect(indexFromState(s)).toBe(k);
      }),
    );
    const f = stateFrequencies(Float64Array.of(1, 0, 1, 0, 0, 1), 2);
    expect(Array.from(f)).toEqual([0, 2 / 3, 1 / 3, 0]);
    expect(totalVariation(f, f)).toBe(0);
    expect(totalVariationBound(Float64Array.of(0.5, 0.5), 10000, 5)).toBeCloseTo(0.005 + 0.025, 12);
  });

  it('enumerateStates works for any EnergyModel (a user-defined energy)', () => {
    const model = { dimension: 3, domain: 'binary' as const, energy: (x: Float64Array) => -(x[0] * x[1] * x[2]) * 2 };
    const r = enumerateStates(model, { temperature: 0.5 });
    // state 7 has E = −2, others 0: P(7) = e⁴ / (7 + e⁴)
    expect(r.probabilities[7]).toBeCloseTo(Math.exp(4) / (7 + Math.exp(4)), 12);
  });

  it('the ground state is the enumerated minimum and its degeneracy is counted', () => {
    // ferromagnetic pair without field: two ground states (++ and −−)
    const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
    const g = exactGroundState(e);
    expect(g.energy).toBe(-1);
    expect(g.degeneracy).toBe(2);
    expect(g.secondEnergy).toBe(1);
  });
});
