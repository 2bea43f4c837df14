import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnergyModel } from '../../src/energy/types.js';
import { enumerateStates } from '../../src/energy/exact.js';
import { Random } from '../../src/random/random.js';
import { gaussianProposal, independenceProposal, Metropolis, type Proposal } from '../../src/samplers/metropolis.js';
import { runChain } from '../../src/samplers/run.js';
import { chainTv, energyMeanZ, gauss2, gaussianMomentZ, randomQuadratic, withoutDelta } from './ebm-helpers.js';

describe('Metropolis: exact distribution of small discrete models', () => {
  // 5 units → 32 states; T = 0.7 so that dropping 1/T (sampling at T = 1) is a gross error.
  const cases: [string, 'spin' | 'binary', boolean, 'sequential' | 'random'][] = [
    ['spin, deltaEnergyFlip, sequential', 'spin', true, 'sequential'],
    ['binary, deltaEnergyFlip, random scan', 'binary', true, 'random'],
    ['spin, energy-only model', 'spin', false, 'sequential'],
  ];
  for (const [name, domain, delta, scan] of cases) {
    it(`${name}: TV to the exact distribution below the derived bound, mean energy within 4 standard errors`, () => {
      const q = randomQuadratic(5, domain, 11);
      const model = delta ? q : withoutDelta(q);
      const T = 0.7;
      const states = enumerateStates(q, { temperature: T });
      const mh = new Metropolis(model, { temperature: T, rng: 5, scan });
      const { samples, energies } = runChain(mh, { nSamples: 20000, burnIn: 100, recordEnergy: true });
      const { tv, bound, tau } = chainTv(samples, 5, states.probabilities);
      expect(tv, `tau=${tau}`).toBeLessThan(bound);
      // The mean energy within 4 standard errors of the exact ⟨E⟩: this catches a temperature
      // 10% off (sampling at 0.77 gives z ≈ 7–9 here), which the TV bound lets through up to ~20%.
      expect(Math.abs(energyMeanZ(energies, states))).toBeLessThan(4);
      expect(mh.acceptanceRate).toBeGreaterThan(0);
      expect(mh.acceptanceRate).toBeLessThan(1);
    });
  }

  it('cached energy equals a fresh evaluation after many accepted moves', () => {
    const q = randomQuadratic(6, 'binary', 3);
    const mh = new Metropolis(q, { rng: 1 });
    for (let i = 0; i < 200; i++) mh.step();
    expect(mh.energy()).toBeCloseTo(q.energy(mh.state), 10);
  });
});

describe('Metropolis: continuous targets', () => {
  it('Gaussian random walk: mean and covariance of a 2-D Gaussian within their sampling error', () => {
    const mh = new Metropolis(gauss2.model, { stepSize: 1.2, rng: 21, initial: Float64Array.of(1, -1) });
    const { samples } = runChain(mh, { nSamples: 40000, burnIn: 500, recordEnergy: false });
    const { zMax, details } = gaussianMomentZ(samples);
    expect(zMax, details).toBeLessThan(4.5);
    expect(mh.acceptanceRate).toBeGreaterThan(0.2);
  });

  it('independence proposal: the q-ratio makes the chain exact (and a user proposal is one step each)', () => {
    // Proposal N(0, 2²) is far from the target N((1,−1), Σ): without the log q-ratio the chain
    // would sample ∝ target × proposal. With it, the moments match.
    const q = independenceProposal(new Float64Array(2), 2.5);
    const mh = new Metropolis(gauss2.model, { proposal: q, rng: 8, initial: Float64Array.of(1, -1) });
    const { samples } = runChain(mh, { nSamples: 40000, burnIn: 200, recordEnergy: false });
    const { zMax, details } = gaussianMomentZ(samples);
    expect(zMax, details).toBeLessThan(4.5);
    expect(mh.proposed).toBe(40200);
  });

  it('a non-symmetric user proposal: log-normal multiplicative walk on x > 0 targets Gamma(3, 1)', () => {
    // E(x) = x − 2 log x (x > 0), i.e. Gamma(shape 3, rate 1): mean 3, variance 3.
    // Proposal x' = x·exp(s ξ): q(x'|x) = LogNormal, log q(x|x') − log q(x'|x) = log(x'/x).
    const gamma: EnergyModel = {
      dimension: 1,
      domain: 'continuous',
      energy: (x) => (x[0] > 0 ? x[0] - 2 * Math.log(x[0]) : Number.POSITIVE_INFINITY),
    };
    const logWalk: Proposal = {
      propose(out, x, rng) {
        out[0] = x[0] * Math.exp(0.8 * rng.normal());
        return Math.log(out[0] / x[0]);
      },
    };
    const mh = new Metropolis(gamma, { proposal: logWalk, rng: 4, initial: Float64Array.of(3) });
    const { samples } = runChain(mh, { nSamples: 60000, burnIn: 500, recordEnergy: false });
    let m = 0;
    for (const v of samples) m += v;
    m /= samples.length;
    // se = √(Var·τ/n) with Var = 3 and τ ≤ 10 for this walk (measured ≈ 5): 4σ ≈ 0.05.
    expect(Math.abs(m - 3)).toBeLessThan(4 * Math.sqrt((3 * 10) / samples.length));
  });
});

describe('Metropolis: state, snapshots, validation', () => {
  it('same seed, same chain; snapshot → restore repeats bit for bit', () => {
    const q = randomQuadratic(7, 'spin', 2);
    const a = new Metropolis(q, { rng: 9, temperature: 1.3 });
    const b = new Metropolis(q, { rng: 9, temperature: 1.3 });
    for (let i = 0; i < 20; i++) {
      a.step();
      b.step();
    }
    expect(Array.from(a.state)).toEqual(Array.from(b.state));
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const ra = runChain(a, { nSamples: 30 }).samples;
    const c = new Metropolis(q, { rng: 123 });
    c.restore(snap);
    expect(Array.from(runChain(c, { nSamples: 30 }).samples)).toEqual(Array.from(ra));
    expect(c.accepted).toBe(a.accepted);
  });

  it('continuous chains resume exactly too (including the spare normal)', () => {
    const a = new Metropolis(gauss2.model, { rng: 3, proposal: gaussianProposal(0.7) });
    a.step();
    const snap = a.snapshot();
    const ra = runChain(a, { nSamples: 25 }).samples;
    const b = new Metropolis(gauss2.model, { rng: 0, proposal: gaussianProposal(0.7) });
    b.restore(snap);
    expect(Array.from(runChain(b, { nSamples: 25 }).samples)).toEqual(Array.from(ra));
  });

  it('rejects bad input before any change', () => {
    const q = randomQuadratic(3, 'spin', 1);
    expect(() => new Metropolis(q, { temperature: 0 })).toThrow(/Metropolis: temperature/);
    expect(() => new Metropolis(q, { initial: Float64Array.of(1, 0, 1) })).toThrow(/±1/);
    expect(() => new Metropolis(q, { scan: 'diagonal' as never })).toThrow(RangeError);
    expect(() => new Metropolis({} as never)).toThrow(TypeError);
    const mh = new Metropolis(q, { rng: 1 });
    const before = mh.state.slice();
    expect(() => mh.setState(Float64Array.of(1, 1))).toThrow(/length 3/);
    expect(() => mh.restore({ kind: 'gibbs' } as never)).toThrow(/snapshot/);
    expect(() => {
      mh.temperature = -1;
    }).toThrow(RangeError);
    expect(Array.from(mh.state)).toEqual(Array.from(before));
    expect(mh.temperature).toBe(1);
  });

  it('property: acceptance rate in [0, 1], states stay in the domain, any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom<'spin' | 'binary'>('spin', 'binary'), (seed, domain) => {
        const q = randomQuadratic(4, domain, seed % 1000);
        const mh = new Metropolis(q, { rng: new Random(seed) });
        for (let i = 0; i < 5; i++) mh.step();
        const ok = Array.from(mh.state).every((v) => (domain === 'spin' ? v === 1 || v === -1 : v === 0 || v === 1));
        return ok && mh.acceptanceRate >= 0 && mh.acceptanceRate <= 1 && Math.abs(mh.energy() - q.energy(mh.state)) < 1e-9;
      }),
      { numRuns: 50 },
    );
  });

  it('NaN or infinite proposals are rejected, never accepted', () => {
    const wall: EnergyModel = { dimension: 1, domain: 'continuous', energy: (x) => (Math.abs(x[0]) < 1 ? 0 : Number.NaN) };
    const mh = new Metropolis(wall, { stepSize: 3, rng: 2 });
    for (let i = 0; i < 500; i++) {
      mh.step();
      expect(Math.abs(mh.state[0])).toBeLessThan(1);
    }
  });
});
