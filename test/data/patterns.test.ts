import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barsAndStripes } from '../../src/data/bars-and-stripes.js';
import { flipNoise, randomPatterns } from '../../src/data/patterns.js';
import { concentricRings, ringOfGaussians, twoMoons } from '../../src/data/toy2d.js';
import { fromArrays } from '../../src/linalg/matrix.js';

describe('randomPatterns', () => {
  it('draws ±1 or 0/1 values, deterministically from the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 }), fc.nat(), fc.boolean(), fc.constantFrom('spin', 'binary') as fc.Arbitrary<'spin' | 'binary'>, (n, d, seed, exact, domain) => {
        const p = randomPatterns(n, d, seed, { domain, exact, density: 0.3 });
        expect([p.rows, p.cols]).toEqual([n, d]);
        const allowed = domain === 'spin' ? [-1, 1] : [0, 1];
        for (const v of p.data) expect(allowed).toContain(v);
        expect(randomPatterns(n, d, seed, { domain, exact, density: 0.3 }).data).toEqual(p.data);
        if (exact) for (let i = 0; i < n; i++) expect(p.data.subarray(i * d, (i + 1) * d).filter((v) => v === 1).length).toBe(Math.round(0.3 * d));
      }),
    );
  });

  it('has the requested density: 5σ bound, and exact subsets are uniform over positions', () => {
    // independent: 200 × 200 = 40 000 units at density 0.2: σ = sqrt(0.2·0.8/40000) = 0.002; 5σ = 0.01
    const p = randomPatterns(200, 200, 9, { density: 0.2, domain: 'binary' });
    const mean = p.data.reduce((s, v) => s + v, 0) / p.data.length;
    expect(Math.abs(mean - 0.2)).toBeLessThan(0.01);
    // exact: 4000 patterns of 10 units with 3 on: each position on with prob 0.3; count per position
    // ~ Binomial(4000, 0.3): σ = sqrt(4000·0.21) ≈ 29; 5σ ≈ 145 around 1200
    const q = randomPatterns(4000, 10, 3, { density: 0.3, domain: 'binary', exact: true });
    for (let j = 0; j < 10; j++) {
      let c = 0;
      for (let i = 0; i < 4000; i++) c += q.data[i * 10 + j] as number;
      expect(Math.abs(c - 1200)).toBeLessThan(5 * Math.sqrt(4000 * 0.21));
    }
    expect(() => randomPatterns(2, 3, 1, { density: 1.5 })).toThrow(RangeError);
    expect(() => randomPatterns(-1, 3, 1)).toThrow(RangeError);
    expect(() => randomPatterns(2 ** 16, 2 ** 16, 1)).toThrow(RangeError);
  });
});

describe('flipNoise', () => {
  it('flips exactly count distinct units per row (spins and binary) without touching the input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), (n, d, seed, k0) => {
        const k = k0 % (d + 1);
        for (const domain of ['spin', 'binary'] as const) {
          const p = randomPatterns(n, d, seed, { domain });
          const before = p.data.slice();
          const c = flipNoise(p, seed + 1, { count: k, domain });
          expect(p.data).toEqual(before);
          for (let i = 0; i < n; i++) {
            let diff = 0;
            for (let j = 0; j < d; j++) {
              const a = p.data[i * d + j] as number;
              const b = c.data[i * d + j] as number;
              if (a !== b) {
                diff++;
                expect(b).toBe(domain === 'spin' ? -a : 1 - a);
              }
            }
            expect(diff).toBe(k);
          }
        }
      }),
    );
  });

  it('flips each unit with the given probability (5σ)', () => {
    // 40 000 units, p = 0.1: σ = sqrt(0.1·0.9/40000) = 0.0015; 5σ = 0.0075
    const p = randomPatterns(100, 400, 1);
    const c = flipNoise(p, 2, { probability: 0.1 });
    let flipped = 0;
    for (let i = 0; i < p.data.length; i++) if (p.data[i] !== c.data[i]) flipped++;
    expect(Math.abs(flipped / p.data.length - 0.1)).toBeLessThan(0.0075);
    expect(() => flipNoise(p, 1, {})).toThrow(TypeError);
    expect(() => flipNoise(p, 1, { count: 401 })).toThrow(RangeError);
    expect(() => flipNoise(fromArrays([[0, 1]]), 1, { count: 1 })).toThrow(/±1/);
  });

  it('takes plain arrays as well as a Matrix (same numbers)', () => {
    const rows = [
      [1, -1, 1, -1],
      [-1, -1, 1, 1],
    ];
    expect(Array.from(flipNoise(rows, 3, { count: 2 }).data)).toEqual(Array.from(flipNoise(fromArrays(rows), 3, { count: 2 }).data));
    expect(rows).toEqual([
      [1, -1, 1, -1],
      [-1, -1, 1, 1],
    ]);
    expect(() => flipNoise([[1, -1], [1]], 3, { count: 1 })).toThrow(/patterns rows/);
  });
});

describe('data options: an unknown key is refused, naming it and the closest valid key', () => {
  it('randomPatterns, flipNoise, the toy 2-D sets and barsAndStripes', () => {
    const bad = (f: () => unknown, key: string, near: string) => {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(new RegExp(`unknown option '${key}' \\(did you mean '${near}'\\?\\)`));
    };
    bad(() => randomPatterns(2, 3, 1, { densty: 0.3 } as never), 'densty', 'density');
    bad(() => flipNoise(randomPatterns(1, 4, 1), 1, { count: 1, domian: 'spin' } as never), 'domian', 'domain');
    bad(() => ringOfGaussians(4, { mode: 3 } as never), 'mode', 'modes');
    bad(() => twoMoons(4, { noize: 0.1 } as never), 'noize', 'noise');
    bad(() => concentricRings(4, { radius: [1] } as never), 'radius', 'radii');
    bad(() => barsAndStripes(3, { includeUniforms: false } as never), 'includeUniforms', 'includeUniform');
  });
});
