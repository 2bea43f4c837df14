/**
 * Smoke test of the lecture walk-through (examples/lecture/walkthrough.ts, issue #20) at its CI
 * size: every section runs, every figure that has an exact value (enumeration, closed form,
 * quadrature) matches it within its stated tolerance (sampling figures: a multiple of their
 * Monte Carlo error), the lecture's worked numbers are the ones printed, and the pictures are written.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Figure, walkthrough } from '../../examples/lecture/walkthrough.js';

const outDir = fileURLToPath(new URL('../../examples/out/lecture/', import.meta.url));
let figures: Figure[] = [];
const lines: string[] = [];
const value = (name: string): number => {
  const f = figures.find((g) => g.name === name);
  if (!f) throw new Error(`no figure ${name}`);
  return f.value;
};

beforeAll(() => {
  figures = walkthrough({ small: true, print: (l) => lines.push(l) });
});

describe('lecture walk-through (--small)', () => {
  it('runs the eleven sections in the lecture order', () => {
    const heads = lines.map((l) => l.trim()).filter((l) => l.startsWith('== ')).map((l) => Number(l.slice(3, l.indexOf('.'))));
    expect(heads).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(new Set(figures.map((f) => f.section)).size).toBe(11);
  });

  it('matches every exact value within its tolerance', () => {
    const withExact = figures.filter((f) => f.exact !== undefined);
    expect(withExact.length).toBeGreaterThanOrEqual(20);
    const off = withExact.filter((f) => !(Math.abs(f.value - (f.exact as number)) <= (f.tolerance ?? 0)));
    expect(off).toEqual([]);
  });

  it("prints the lecture's worked numbers", () => {
    // w = ξξᵀ: E(ξ) = −N(N−1)/2 = −6, the lowest possible energy of 4 neurons
    expect(value('one-pattern.E(ξ) with w = ξξᵀ')).toBe(-6);
    // two orthogonal patterns: exactly ±ξ¹, ±ξ²; two non-orthogonal under Θ(0) = −1: ξ¹ and −ξ² only
    expect(lines).toContain('  two orthogonal patterns ++−−, +−+−: fixed points ++−− +−+− −+−+ −−++');
    expect(lines.some((l) => l.includes("tie 'minus' (the slide's Θ(0) = −1): fixed points ++−− −−−+; +++− evolves to ++−−"))).toBe(true);
    // three patterns: two of them disappear
    expect(lines.filter((l) => l.includes('disappeared')).length).toBe(2);
    // N orthogonal patterns: W = 0, one energy, 2^N fixed points
    expect([value('flat.max|w|'), value('flat.distinct-energies'), value('flat.fixed-points')]).toEqual([0, 1, 16]);
    // the flip-by-flip trace: 2 flips, each ΔE = −2|h|, ending at E = −6
    const trace = lines.slice(lines.findIndex((l) => l.includes('sweep  unit')) + 2).slice(0, 2);
    expect(trace.map((l) => l.trim().split(/\s+/).slice(0, 6).map(Number))).toEqual([
      [1, 0, -1, -2, -1, 0],
      [1, 3, 3, -6, 1, -6],
    ]);
  });

  it('shows learning where the lecture says it happens', () => {
    expect(value('bm-visible.moment-mismatch')).toBeLessThan(0.1); // the ML fixed point: model correlations = data correlations
    expect(value('bm-hidden.log-likelihood gain')).toBeGreaterThan(0.2);
    expect(value('anneal.anneal-hits')).toBeGreaterThanOrEqual(value('anneal.descent-hits'));
    expect(value('rbm.cd1.log-likelihood')).toBeGreaterThan(-9 * Math.log(2) + 1); // a nat above the uniform model
    expect(value('dbn.log-likelihood')).toBeGreaterThan(-9 * Math.log(2) + 1);
    expect(value('dbm.log-likelihood')).toBeGreaterThan(-9 * Math.log(2) + 1);
    expect(value('capacity.stable-fraction K/N=0.05')).toBeGreaterThan(value('capacity.stable-fraction K/N=0.3'));
    // contrastive training from the Hebbian start: the lecture's SGD variant stores all four patterns, no spurious valley left
    expect(value('contrastive.hebbian.stable')).toBeLessThan(4);
    expect([value('contrastive.few-steps.stable'), value('contrastive.few-steps.spurious')]).toEqual([4, 0]);
  });

  it('writes the pictures under examples/out/lecture/', () => {
    for (const f of ['2-two-orthogonal.svg', '2-two-orthogonal.png', '3-flat.svg', '5-contrastive-few-steps.svg', '6-gibbs-vs-exact.svg', '8-bm-hidden-training.svg', '9-rbm-cd1.svg', '11-ebm-metropolis.svg', '11-ebm-cd-loss.svg']) {
      expect(statSync(join(outDir, f)).size).toBeGreaterThan(100);
    }
    const flat = readFileSync(join(outDir, '3-flat.svg'), 'utf8');
    expect(flat.split('class="cell"').length - 1).toBe(16);
    expect(flat.split('class="fixed-point"').length - 1).toBe(16);
    const bars = readFileSync(join(outDir, '6-gibbs-vs-exact.svg'), 'utf8');
    expect(bars.split('class="bar exact"').length - 1).toBe(32);
  });
});
