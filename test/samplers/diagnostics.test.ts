import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptanceRates,
  autocorrelation,
  effectiveSampleSize,
  energyTrace,
  integratedAutocorrelationTime,
  monteCarloStandardError,
  splitRHat,
  summarizeChains,
} from '../../src/samplers/diagnostics.js';
import { Random } from '../../src/random/random.js';
import { Metropolis } from '../../src/samplers/metropolis.js';
import { randomQuadratic } from './ebm-helpers.js';

/** AR(1) x_t = φ x_{t−1} + √(1−φ²) ξ_t (unit variance, started in equilibrium): ρ(t) = φ^t, τ = (1+φ)/(1−φ). */
function ar1(n: number, phi: number, seed: number, shift = 0): Float64Array {
  const r = new Random(seed);
  const x = new Float64Array(n);
  x[0] = r.normal();
  const s = Math.sqrt(1 - phi * phi);
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + s * r.normal();
  if (shift) for (let i = 0; i < n; i++) x[i] += shift;
  return x;
}

describe('autocorrelation and integrated autocorrelation time', () => {
  it('AR(1): ρ(t) ≈ φ^t and τ ≈ (1+φ)/(1−φ) for both window rules', () => {
    const phi = 0.8;
    const n = 100000;
    const x = ar1(n, phi, 1);
    const rho = autocorrelation(x, 5);
    // se of ρ̂(t) ≈ √((1+φ²)/(1−φ²)/n) ≈ 0.0075 (Bartlett); 4σ ≈ 0.03.
    for (let t = 0; t <= 5; t++) expect(Math.abs(rho[t] - phi ** t)).toBeLessThan(0.03);
    const exact = (1 + phi) / (1 - phi); // 9
    for (const method of ['sokal', 'geyer'] as const) {
      const r = integratedAutocorrelationTime(x, { method });
      // Sokal's variance estimate: var(τ̂)/τ² ≈ 2(2M+1)/n; with M ≈ 5τ = 45 that is 0.0018,
      // so the relative se is 4.3% and 4σ ≈ 17%.
      expect(Math.abs(r.tau - exact) / exact, `${method}: ${r.tau}`).toBeLessThan(0.17);
      expect(r.reliable).toBe(true);
      expect(r.method).toBe(method);
    }
    const sokal = integratedAutocorrelationTime(x);
    expect(sokal.window).toBeGreaterThanOrEqual(5 * sokal.tau - 1);
  });

  it('independent draws: τ ≈ 1, ESS ≈ n, MCSE ≈ σ/√n', () => {
    const r = new Random(2);
    const n = 20000;
    const x = Float64Array.from({ length: n }, () => 3 * r.normal());
    const tau = integratedAutocorrelationTime(x).tau;
    // τ̂ − 1 = 2 Σ_{t≤M} ρ̂(t) with M ≈ 5 and se(ρ̂) = 1/√n: se(τ̂) ≈ 2√(M/n) ≈ 0.03.
    expect(Math.abs(tau - 1)).toBeLessThan(0.12);
    // Geyer's sequence too: here an off-by-one (τ̂ + 1, which the AR(1) test's 17% lets through
    // at τ = 9) is a 100% error. Its first pair Γ₀ = γ(0) + γ(1) gives τ̂ = 1 + 2ρ̂(1) + …, the
    // later pairs stop at the first non-positive one, so τ̂ − 1 stays within a few 1/√n.
    expect(Math.abs(integratedAutocorrelationTime(x, { method: 'geyer' }).tau - 1)).toBeLessThan(0.12);
    expect(Math.abs(effectiveSampleSize(x) / n - 1)).toBeLessThan(0.12);
    expect(Math.abs(monteCarloStandardError(x) / (3 / Math.sqrt(n)) - 1)).toBeLessThan(0.1);
  });

  it('several chains: pooled autocovariance; a constant trace has τ = 1', () => {
    const chains = [ar1(20000, 0.5, 3), ar1(20000, 0.5, 4)];
    const tau = integratedAutocorrelationTime(chains).tau;
    expect(Math.abs(tau - 3) / 3).toBeLessThan(0.15);
    expect(effectiveSampleSize(chains)).toBeCloseTo(40000 / tau, 6);
    expect(integratedAutocorrelationTime(new Float64Array(10).fill(2)).tau).toBe(1);
  });

  it('several chains in different places: ESS about the number of chains and an MCSE of the spread of their means (Vehtari et al. 2021)', () => {
    // Four AR(1) chains (φ = 0.5, unit variance), two about +2 and two about −2:
    // each is well mixed on its own, so averaging within-chain autocorrelations alone gave
    // τ ≈ 3, ESS ≈ 2 700 of 8 000 and an MCSE of 0.04 — while the overall mean is known only
    // to about ±1 (four chain means at ±2). The multi-chain ρ̂(t) stays near
    // 1 − W/var⁺ = 1 − 1/(1 + 16/3) = 0.84 at every lag.
    const chains = [2, 2, -2, -2].map((s, i) => ar1(2000, 0.5, 40 + i, s));
    const r = integratedAutocorrelationTime(chains);
    expect(r.reliable).toBe(false);
    expect(effectiveSampleSize(chains)).toBeLessThan(20);
    expect(monteCarloStandardError(chains)).toBeGreaterThan(0.5);
    expect(effectiveSampleSize(chains, { method: 'geyer' })).toBeLessThan(20);
    // Chains from the same place: τ ≈ 3 (relative se ≈ √(2(2M+1)/N) ≈ 10% here), and within 3%
    // of the within-chain average over the same window (var⁺ exceeds W only by the chain means'
    // sampling variance, about τ/n).
    const same = [0, 1, 2, 3].map((i) => ar1(2000, 0.5, 50 + i));
    const r2 = integratedAutocorrelationTime(same);
    expect(Math.abs(r2.tau - 3) / 3).toBeLessThan(0.15);
    const rho = autocorrelation(same, r2.window);
    let within = 1;
    for (let t = 1; t <= r2.window; t++) within += 2 * rho[t];
    expect(Math.abs(r2.tau / within - 1)).toBeLessThan(0.03);
    expect(effectiveSampleSize(same)).toBeCloseTo(8000 / r2.tau, 6);
  });

  it('property: ρ(0) = 1, |ρ(t)| ≤ 1; τ is invariant under affine maps a·x + b (a ≠ 0)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: -0.9, max: 0.95, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (seed, phi, a, b) => {
          const x = ar1(500, phi, seed);
          const y = x.map((v) => -a * v + b);
          const rho = autocorrelation(x, 20);
          const t1 = integratedAutocorrelationTime(x).tau;
          const t2 = integratedAutocorrelationTime(y).tau;
          return rho[0] === 1 && rho.every((v) => Math.abs(v) <= 1 + 1e-12) && Math.abs(t1 - t2) <= 1e-6 * t1;
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('split R-hat', () => {
  it('≈ 1 for chains from the same distribution, large for chains in different places', () => {
    const same = [ar1(5000, 0.5, 1), ar1(5000, 0.5, 2), ar1(5000, 0.5, 3), ar1(5000, 0.5, 4)];
    // For converged chains R̂ − 1 ≈ O(τ/n) ≈ 3/2500 here.
    expect(splitRHat(same)).toBeLessThan(1.01);
    const apart = [ar1(5000, 0.5, 1), ar1(5000, 0.5, 2, 3)];
    expect(splitRHat(apart)).toBeGreaterThan(1.5);
  });

  it('splitting catches a single chain that drifts', () => {
    const x = ar1(4000, 0.5, 9).map((v, i) => v + (i < 2000 ? 0 : 2));
    expect(splitRHat(x)).toBeGreaterThan(1.2);
  });

  it('several chains drifting together: split R-hat flags them, plain R-hat would not (issue #15)', () => {
    // Four identical ramps x_t = t, n = 1000 (halves of 500). By hand: half means 249.5 and 749.5,
    // within-half variance W = 500·501/12 = 20 875, B/n = 8·250²/7 = 71 428.57…, so
    // R̂ = √((499/500·W + B/n) / W) = 2.1023… Unsplit, the four chains are equal (B = 0) and
    // R̂ = √(999/1000) < 1.
    const ramp = Float64Array.from({ length: 1000 }, (_, t) => t);
    const W = (500 * 501) / 12;
    const bOverN = (8 * 250 ** 2) / 7;
    expect(splitRHat([ramp, ramp, ramp, ramp])).toBeCloseTo(Math.sqrt(((499 / 500) * W + bOverN) / W), 9);
    // Noisy drifting chains (AR(1) noise plus a common trend of 3 over the run): split R-hat ≈ 1.2,
    // while R-hat on the unsplit chains (computed here) stays below 1.01.
    const drift = [1, 2, 3, 4].map((seed) => ar1(4000, 0.5, seed).map((v, i) => v + (3 * i) / 4000));
    const split = splitRHat(drift);
    const plain = (() => {
      const n = 4000, m = drift.length;
      const means = drift.map((x) => x.reduce((a, v) => a + v, 0) / n);
      const w = drift.reduce((acc, x, j) => acc + x.reduce((a, v) => a + (v - means[j]) ** 2, 0) / (n - 1), 0) / m;
      const g = means.reduce((a, v) => a + v, 0) / m;
      const b = means.reduce((a, v) => a + (v - g) ** 2, 0) / (m - 1);
      return Math.sqrt((((n - 1) / n) * w + b) / w);
    })();
    expect(plain).toBeLessThan(1.01);
    expect(split).toBeGreaterThan(1.1);
  });

  it('property: invariant under affine maps; ≥ about 1 − O(1/n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (seed, a) => {
        const c = [ar1(200, 0.3, seed), ar1(200, 0.3, seed + 1), ar1(200, 0.3, seed + 2)];
        const r1 = splitRHat(c);
        const r2 = splitRHat(c.map((x) => x.map((v) => a * v - 7)));
        return Math.abs(r1 - r2) < 1e-9 * r1 && r1 > 0.97;
      }),
      { numRuns: 60 },
    );
  });

  it('validates shapes and values', () => {
    expect(() => splitRHat([new Float64Array(10), new Float64Array(9)])).toThrow(/length 10/);
    expect(() => splitRHat(Float64Array.of(1, 2, Number.NaN, 4))).toThrow(/finite/);
    expect(() => splitRHat(Float64Array.of(1, 2))).toThrow(/at least 4/);
    expect(() => integratedAutocorrelationTime(new Float64Array(10), { method: 'x' as never })).toThrow(RangeError);
    expect(splitRHat([new Float64Array(8).fill(1), new Float64Array(8).fill(1)])).toBe(1);
  });
});

describe('summaries, energy traces and acceptance rates', () => {
  it('summarizeChains agrees with the individual diagnostics', () => {
    const c = [ar1(3000, 0.6, 5), ar1(3000, 0.6, 6)];
    const s = summarizeChains(c);
    expect(s.tau).toBe(integratedAutocorrelationTime(c).tau);
    expect(s.ess).toBeCloseTo(effectiveSampleSize(c), 9);
    expect(s.mcse).toBeCloseTo(monteCarloStandardError(c), 12);
    expect(s.rHat).toBe(splitRHat(c));
    expect(Math.abs(s.mean)).toBeLessThan(5 * s.mcse);
  });

  it('energyTrace follows the sampler; acceptanceRates reads each sampler', () => {
    const q = randomQuadratic(4, 'spin', 2);
    const mh = new Metropolis(q, { rng: 3 });
    const tr = energyTrace(mh, 50, { burnIn: 3, thin: 2 });
    expect(tr.length).toBe(50);
    expect(tr[49]).toBeCloseTo(q.energy(mh.state), 10);
    expect(acceptanceRates([mh, { acceptanceRate: undefined } as never])[0]).toBe(mh.acceptanceRate);
    expect(Number.isNaN(acceptanceRates([{} as never])[0])).toBe(true);
  });
});
