/**
 * Smoke runs of the issue-#19 experiments at their `--small` size (seconds):
 * they run end to end, write their PNG/SVG/JSON, and their figures are in range.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDigits } from '../../examples/estimators-digits.js';
import { runToyComparison, TOYS } from '../../examples/estimators-toy2d.js';

const dir = mkdtempSync(join(tmpdir(), 'estimators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/estimators-toy2d.ts --small', () => {
  it('gives the toys’ exact densities unit mass on the box (midpoint rule, 100×100)', () => {
    const G = 100;
    const h = 6 / G;
    for (const toy of TOYS) {
      let mass = 0;
      for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) mass += toy.density(-3 + (j + 0.5) * h, -3 + (i + 0.5) * h);
      expect(Math.abs(mass * h * h - 1)).toBeLessThan(2e-3);
    }
  });

  it('fills the TV table (CD-Langevin always; the other estimators when EnergyNetwork.fit has them) and writes SVGs', () => {
    const lines: string[] = [];
    const { rows, baseline } = runToyComparison({ small: true, outDir: dir, log: (l) => lines.push(l) });
    expect(rows.length).toBe(3 * 5);
    for (const r of rows.filter((x) => x.method === 'cd-langevin')) {
      expect(r.tv[0]).toBeGreaterThan(0);
      expect(r.tv[0]).toBeLessThanOrEqual(1);
      // the density normalised by logPartition2D also sums to 1 on the TV grid
      expect(Math.abs(r.modelMass[0] - 1)).toBeLessThan(0.02);
    }
    for (const v of Object.values(baseline)) expect(v).toBeGreaterThan(0.5);
    expect(existsSync(join(dir, 'estimators-toy2d.json'))).toBe(true);
    const svgs = readdirSync(join(dir, 'estimators-toy2d'));
    expect(svgs).toContain('ring-of-8--cd-langevin.svg');
    expect(readFileSync(join(dir, 'estimators-toy2d', 'ring-of-8--cd-langevin.svg'), 'utf8')).toContain('<svg');
  });
});

describe('examples/estimators-digits.ts --small', () => {
  it('trains the classifier and the Du & Mordatch EBM, labels the samples and writes the grids', () => {
    const { reference, noise, testError, results } = runDigits({ small: true, outDir: dir, log: () => {} });
    expect(testError).toBeLessThan(0.2);
    expect(reference.meanConfidence).toBeGreaterThan(noise.meanConfidence);
    const dm = results.find((r) => r.name === 'du-mordatch-noise');
    expect(results.map((r) => r.name)).toEqual(['du-mordatch-noise', 'du-mordatch-buffer', 'dsm-ladder-annealed-langevin', 'dsm-0.1-annealed-langevin', 'dsm-noise-conditional-annealed-langevin']);
    expect(dm?.report.histogram.reduce((a, b) => a + b, 0)).toBe(100);
    expect(existsSync(join(dir, 'estimators-digits-du-mordatch-noise.png'))).toBe(true);
    expect(existsSync(join(dir, 'estimators-digits.json'))).toBe(true);
  });
});
