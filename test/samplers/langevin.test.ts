import { describe, expect, it } from 'vitest';
import type { EnergyModel } from '../../src/energy/types.js';
import { integratedAutocorrelationTime } from '../../src/samplers/diagnostics.js';
import { Langevin } from '../../src/samplers/langevin.js';
import { runChain } from '../../src/samplers/run.js';
import { gauss2, gaussianMomentZ, randomQuadratic } from './ebm-helpers.js';

/** E(x) = x⁴/4 in 1-D: ⟨x²⟩ = 2Γ(3/4)/Γ(1/4) ≈ 0.676, computed here by quadrature. */
const quartic: EnergyModel = {
  dimension: 1,
  domain: 'continuous',
  energy: (x) => x[0] ** 4 / 4,
  gradient: (out, x) => {
    out[0] = x[0] ** 3;
    return out;
  },
};

function quarticSecondMoment(): number {
  let z = 0;
  let m2 = 0;
  const h = 1e-4;
  for (let x = -8; x <= 8; x += h) {
    const w = Math.exp(-(x ** 4) / 4);
    z += w;
    m2 += x * x * w;
  }
  return m2 / z;
}

/** Mean of x² over samples, with its standard error √(Var(x²)·τ/n). */
function secondMoment(samples: Float64Array): { m: number; se: number } {
  const y = samples.map((v) => v * v);
  let m = 0;
  for (const v of y) m += v;
  m /= y.length;
  let s = 0;
  for (const v of y) s += (v - m) ** 2;
  const tau = Math.max(1, integratedAutocorrelationTime(y).tau);
  return { m, se: Math.sqrt(((s / (y.length - 1)) * tau) / y.length) };
}

describe('Langevin and MALA', () => {
  it('ULA with a small step: 2-D Gaussian mean and covariance within their sampling error', () => {
    // ULA's stationary covariance is Σ(I − εP/4)⁻¹: with ε = 0.02 and ‖P‖ ≈ 1.3 the bias is ≈ 0.7%,
    // well below the ≈ 3% standard error of 40 000 thinned samples with τ ≈ 10–30.
    const ula = new Langevin(gauss2.model, { stepSize: 0.02, rng: 3, initial: Float64Array.of(1, -1) });
    const { samples } = runChain(ula, { nSamples: 40000, burnIn: 2000, thin: 10, recordEnergy: false });
    const { zMax, details } = gaussianMomentZ(samples);
    expect(zMax, details).toBeLessThan(4.5);
    expect(ula.acceptanceRate).toBe(1);
  });

  it('MALA with a large step: 2-D Gaussian moments within their sampling error', () => {
    const mala = new Langevin(gauss2.model, { stepSize: 0.8, method: 'mala', rng: 4, initial: Float64Array.of(1, -1) });
    const { samples } = runChain(mala, { nSamples: 40000, burnIn: 500, recordEnergy: false });
    const { zMax, details } = gaussianMomentZ(samples);
    expect(zMax, details).toBeLessThan(4.5);
    expect(mala.acceptanceRate).toBeGreaterThan(0.5);
    expect(mala.acceptanceRate).toBeLessThan(1);
  });

  it('on a quartic well with a large step, MALA is exact where ULA is visibly biased', () => {
    const exact = quarticSecondMoment();
    const eps = 0.3;
    const mala = new Langevin(quartic, { stepSize: eps, method: 'mala', rng: 5 });
    const m = secondMoment(runChain(mala, { nSamples: 60000, burnIn: 500, recordEnergy: false }).samples);
    expect(Math.abs(m.m - exact), `MALA ⟨x²⟩ = ${m.m} ± ${m.se}, exact ${exact}`).toBeLessThan(4.5 * m.se);
    const ula = new Langevin(quartic, { stepSize: eps, rng: 5 });
    const u = secondMoment(runChain(ula, { nSamples: 150000, burnIn: 500, recordEnergy: false }).samples);
    expect(Math.abs(u.m - exact), `ULA ⟨x²⟩ = ${u.m} ± ${u.se}`).toBeGreaterThan(6 * u.se);
  });

  it('temperature: at T = 2 the Gaussian covariance doubles (MALA)', () => {
    const mala = new Langevin(gauss2.model, { stepSize: 1, method: 'mala', rng: 6, temperature: 2 });
    const { samples } = runChain(mala, { nSamples: 30000, burnIn: 500, recordEnergy: false });
    let v = 0;
    for (let r = 0; r < 30000; r++) v += (samples[2 * r] - 1) ** 2;
    v /= 30000;
    // Var of (x−μ)² is 2·(2Σ₀₀)² = 8; τ ≤ 10 here, so se ≤ √(80/30000) ≈ 0.05.
    expect(Math.abs(v - 2)).toBeLessThan(4.5 * Math.sqrt(80 / 30000));
  });

  it('snapshot → restore repeats bit for bit; energies are consistent', () => {
    for (const method of ['ula', 'mala'] as const) {
      const a = new Langevin(gauss2.model, { method, stepSize: 0.3, rng: 7 });
      a.step();
      const snap = JSON.parse(JSON.stringify(a.snapshot()));
      const ra = runChain(a, { nSamples: 20 });
      const b = new Langevin(gauss2.model, { method, stepSize: 0.1, rng: 0 });
      b.restore(snap);
      const rb = runChain(b, { nSamples: 20 });
      expect(Array.from(rb.samples)).toEqual(Array.from(ra.samples));
      expect(Array.from(rb.energies)).toEqual(Array.from(ra.energies));
      expect(a.energy()).toBeCloseTo(gauss2.model.energy(a.state), 12);
    }
  });

  it('rejects models without gradients, discrete models and bad options', () => {
    expect(() => new Langevin({ dimension: 1, domain: 'continuous', energy: () => 0 })).toThrow(/gradient/);
    expect(() => new Langevin(randomQuadratic(3, 'spin', 1))).toThrow(/continuous/);
    expect(() => new Langevin(gauss2.model, { stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new Langevin(gauss2.model, { method: 'hmc' as never })).toThrow(RangeError);
    const l = new Langevin(gauss2.model, { method: 'mala' });
    expect(() => l.setState(Float64Array.of(Number.NaN, 0))).toThrow(RangeError);
    expect(() => l.restore({ ...l.snapshot(), extra: { method: 'ula', stepSize: 1, accepted: 0, proposed: 0 } })).toThrow(/method/);
  });
});
