import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, Random, toRandom } from '../../src/index.js';
import { splitMix64 } from '../../src/base.js';

const ref = JSON.parse(readFileSync(new URL('../fixtures/xoroshiro128plus.json', import.meta.url), 'utf8')) as {
  splitmix64_seed_1234567: string[];
  cases: { seed: number; outputs: string[]; afterJump: string[] }[];
};
const low32 = (s: string) => Number(BigInt(s) & 0xffffffffn);

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 is too coarse; use erf via series/continued fraction). */
function normalCdf(x: number): number {
  // Zelen & Severo with high-precision erfc (W. J. Cody's rational approximations are overkill here):
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x > 0 ? 1 - p : p;
}

describe('Random: reference sequences', () => {
  it('SplitMix64 reproduces the published vectors for seed 1234567', () => {
    expect(splitMix64(1234567n, 5).map(String)).toEqual(ref.splitmix64_seed_1234567);
  });

  it('uint32() is the low word of the C reference xoroshiro128+ seeded through SplitMix64, before and after jump()', () => {
    for (const c of ref.cases) {
      const r = new Random(c.seed);
      expect(c.outputs.map(() => r.uint32())).toEqual(c.outputs.map(low32));
      r.jump();
      expect(c.afterJump.map(() => r.uint32())).toEqual(c.afterJump.map(low32));
    }
  });

  it('rejects bad seeds with typed errors', () => {
    expect(() => new Random(-1)).toThrow(RangeError);
    expect(() => new Random(1.5)).toThrow(/seed must be an integer/);
    expect(() => new Random('1' as unknown as number)).toThrow(TypeError);
    expect(() => toRandom({} as unknown as number)).toThrow(TypeError);
  });
});

describe('Random: distributions', () => {
  it('float64 is uniform on [0,1): chi-square over 100 bins (df 99, p=0.001 critical value 148.2)', () => {
    for (const seed of [1, 2, 3]) {
      const r = new Random(seed);
      const n = 200_000;
      const bins = new Float64Array(100);
      let outside = 0;
      for (let i = 0; i < n; i++) {
        const u = r.float64();
        if (!(u >= 0 && u < 1)) outside++;
        else bins[Math.floor(u * 100)]++;
      }
      expect(outside).toBe(0);
      const e = n / 100;
      let chi = 0;
      for (const b of bins) chi += ((b - e) * (b - e)) / e;
      expect(chi).toBeLessThan(148.2);
    }
  });

  it('float64 uses 53 bits: values are multiples of 2^-53 and the low bits vary', () => {
    const r = new Random(5);
    let oddSeen = 0;
    for (let i = 0; i < 1000; i++) {
      const k = r.float64() * 2 ** 53;
      expect(Number.isInteger(k)).toBe(true);
      if (k % 2 === 1) oddSeen++;
    }
    expect(oddSeen).toBeGreaterThan(400);
    expect(oddSeen).toBeLessThan(600);
  });

  it('normal() passes Kolmogorov–Smirnov against N(0,1) (n=100000, critical 1.95/√n at p=0.001)', () => {
    const r = new Random(11);
    const n = 100_000;
    const xs = new Float64Array(n);
    r.fillNormal(xs);
    xs.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(xs[i]);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
    let mean = 0;
    for (const x of xs) mean += x;
    mean /= n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('int(n) has no modulo bias: chi-square for n = 3, 7, 10, 1000 and a large non-power-of-two', () => {
    for (const n of [3, 7, 10, 1000]) {
      const r = new Random(n);
      const draws = 100 * n + 50_000;
      const counts = new Float64Array(n);
      for (let i = 0; i < draws; i++) counts[r.int(n)]++;
      const e = draws / n;
      let chi = 0;
      for (const c of counts) chi += ((c - e) * (c - e)) / e;
      const df = n - 1;
      // Wilson–Hilferty upper 0.1% point of chi-square(df).
      const z = 3.09;
      const crit = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
      expect(chi).toBeLessThan(crit);
    }
    // 3·2^30 = 0xC0000000: plain modulo would put 2/3 of the mass below 2^30.
    const big = 3 * 2 ** 30;
    const r = new Random(9);
    let low = 0;
    const draws = 60_000;
    for (let i = 0; i < draws; i++) if (r.int(big) < 2 ** 30) low++;
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(4 * Math.sqrt((1 / 3) * (2 / 3) / draws));
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('bernoulli(p) and sampleBernoulli hit p within 4 standard errors', () => {
    const r = new Random(4);
    const n = 50_000;
    for (const p of [0.01, 0.3, 0.5, 0.9]) {
      let s = 0;
      for (let i = 0; i < n; i++) s += r.bernoulli(p);
      expect(Math.abs(s / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    const probs = new Float64Array(n).fill(0.25);
    const out = r.sampleBernoulli(new Float64Array(n), probs);
    const mean = out.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
  });

  it('permutation() is a permutation, and every position is uniform (chi-square, n=5)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.nat(), (n, seed) => {
        const p = new Random(seed).permutation(n);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
    const r = new Random(77);
    const counts = new Float64Array(25);
    const trials = 50_000;
    for (let t = 0; t < trials; t++) {
      const p = r.permutation(5);
      for (let i = 0; i < 5; i++) counts[i * 5 + p[i]]++;
    }
    const e = trials / 5;
    for (const c of counts) expect(Math.abs(c - e)).toBeLessThan(4.5 * Math.sqrt(e * 0.8));
  });
});

describe('Random: streams and state', () => {
  it('same seed gives the same numbers; clone and fromState resume exactly (normal spare included)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 0, max: 20 }), (seed, k) => {
        const a = new Random(seed);
        const b = new Random(seed);
        for (let i = 0; i < k; i++) a.normal();
        for (let i = 0; i < k; i++) b.normal();
        const saved = JSON.parse(JSON.stringify(a.getState()));
        const c = a.clone();
        const xs = [a.normal(), a.float64(), a.int(1000), a.normal()];
        expect([b.normal(), b.float64(), b.int(1000), b.normal()]).toEqual(xs);
        expect([c.normal(), c.float64(), c.int(1000), c.normal()]).toEqual(xs);
        const d = Random.fromState(saved);
        expect([d.normal(), d.float64(), d.int(1000), d.normal()]).toEqual(xs);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects malformed states with FormatError', () => {
    const r = new Random(1);
    expect(() => r.setState({ algorithm: 'mt', words: [1, 2, 3, 4], spareNormal: null } as never)).toThrow(FormatError);
    expect(() => r.setState({ algorithm: 'xoroshiro128+', words: [0, 0, 0, 0], spareNormal: null })).toThrow(FormatError);
    expect(() => r.setState({ algorithm: 'xoroshiro128+', words: [1, 2, 3], spareNormal: null } as never)).toThrow(FormatError);
    expect(() => r.setState({ algorithm: 'xoroshiro128+', words: [2 ** 32, 0, 0, 1], spareNormal: null })).toThrow(FormatError);
  });

  it('streams(n): stream i does not depend on n, streams differ, and they are uncorrelated', () => {
    const base = new Random(123);
    const s3 = base.streams(3);
    const s5 = new Random(123).streams(5);
    for (let i = 0; i < 3; i++) expect(s3[i].float64()).toBe(s5[i].float64());
    const before = base.getState();
    base.streams(4);
    expect(base.getState()).toEqual(before);
    const [a, b] = new Random(9).streams(2);
    const n = 100_000;
    let sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      const x = a.float64();
      const y = b.float64();
      sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
    }
    const cov = sxy / n - (sx / n) * (sy / n);
    const corr = cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('split() children differ from the parent and from each other, deterministically', () => {
    const p = new Random(5);
    const c1 = p.split();
    const c2 = p.split();
    const q = new Random(5);
    expect(q.split().float64()).toBe(c1.float64());
    expect(c1.float64()).not.toBe(c2.float64());
  });
});
