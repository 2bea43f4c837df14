/**
 * Smoke run of examples/ising-onsager.ts at its `--quick` size (seconds): it runs end to end,
 * writes its figures, the Monte Carlo energies agree with Kaufman's exact finite-torus values
 * within their standard errors, the fit recovers J and H, and AIS brackets the exact log Z.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kaufmanThermodynamics, runIsing } from '../../examples/ising-onsager.js';
import { onsagerEnergyPerSite } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ising-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/ising-onsager.ts --quick', () => {
  it("Kaufman's finite-torus energy approaches Onsager's infinite lattice as L grows (away from T_c)", () => {
    for (const T of [1.8, 3]) {
      const d16 = Math.abs(kaufmanThermodynamics(16, T).energyPerSite - onsagerEnergyPerSite(T));
      const d64 = Math.abs(kaufmanThermodynamics(64, T).energyPerSite - onsagerEnergyPerSite(T));
      expect(d64).toBeLessThan(1e-7);
      expect(d64).toBeLessThanOrEqual(d16);
    }
  });

  it('runs end to end; energies within 5 standard errors of the exact finite-torus values; the fit and AIS land on the truth', () => {
    const r = runIsing({ quick: true, outDir: dir, log: () => {} });
    // the standard errors come from the integrated autocorrelation time; 5σ over ~18 points
    for (const p of r.curve) expect(Math.abs(p.energyZ), `L = ${p.L}, T = ${p.T}`).toBeLessThan(5);
    // the pseudo-likelihood estimate within 4 of its sandwich standard errors (about 0.01 in J here)
    expect(r.fit.seJ).toBeLessThan(0.03);
    expect(Math.abs(r.fit.fittedJ - r.fit.J)).toBeLessThan(4 * r.fit.seJ);
    expect(Math.abs(r.fit.fittedH - r.fit.H)).toBeLessThan(4 * r.fit.seH);
    // AIS's ±3σ interval holds the exact log Z, with enough effective runs for that interval to mean something
    expect(r.ais.ess).toBeGreaterThan(20);
    expect(r.ais.upper - r.ais.lower).toBeLessThan(0.6);
    expect(r.ais.exact).toBeGreaterThanOrEqual(r.ais.lower);
    expect(r.ais.exact).toBeLessThanOrEqual(r.ais.upper);
    for (const f of ['ising-magnetisation.svg', 'ising-energy.svg', 'ising-specific-heat.svg', 'ising-onsager.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'ising-energy.svg'), 'utf8')).toContain('exact (Kaufman)');
  });
});
