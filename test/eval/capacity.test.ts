import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGS_CRITICAL_LOAD,
  basinRadius,
  capacitySweep,
  type HopfieldFitOptions,
  HopfieldNetwork,
  type Matrix,
  makeCue,
  mcElieceCapacity,
  Random,
  recallOverlap,
  ShapeError,
  spuriousAttractors,
  stability,
  trainHopfieldContrastive,
} from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

/** A network of the patterns' size with the patterns stored by `fit`. */
function fitted(patterns: number[][] | Matrix, options?: HopfieldFitOptions): HopfieldNetwork {
  const net = new HopfieldNetwork(Array.isArray(patterns) ? patterns[0].length : patterns.cols);
  net.fit(patterns, options);
  return net;
}

describe('capacity lab: building blocks', () => {
  it('makeCue flips exactly round(flip·N) distinct bits and masks the last round(mask·N)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(1e9), (n, flip, mask, seed) => {
        const x = Float64Array.from(randomPatterns(1, n, new Random(seed))[0]);
        const copy = x.slice();
        const flipped = makeCue(new Float64Array(n), x, { flip }, seed);
        let d = 0;
        for (let i = 0; i < n; i++) if (flipped[i] !== x[i]) d++;
        expect(d).toBe(Math.round(flip * n));
        const masked = makeCue(new Float64Array(n), x, { mask, maskFill: 'minus' }, seed);
        const m = Math.round(mask * n);
        for (let i = 0; i < n; i++) expect(masked[i]).toBe(i >= n - m ? -1 : x[i]);
        expect(x).toEqual(copy);
      }),
    );
  });

  it('stability agrees with isFixedPoint, pattern by pattern', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 2, max: 30 }), fc.nat(1e9), fc.constantFrom('keep', 'minus'), (p, n, seed, tie) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const net = fitted(pats, { rule: seed % 2 ? 'storkey' : 'hebbian' });
        const s = stability(net, pats, { tie });
        pats.forEach((x, k) => {
          expect(s.stable[k] === 1).toBe(net.isFixedPoint(Float64Array.from(x), tie));
        });
        expect(s.allStable).toBe(s.stableFraction === 1);
      }),
      { numRuns: 100 },
    );
  });

  it('recallOverlap: the overlap of a stable pattern from a clean cue is 1, and each overlap is what evolve() gives', () => {
    const rng = new Random(5);
    const pats = randomPatterns(6, 80, rng);
    const net = fitted(pats);
    const clean = recallOverlap(net, pats);
    const st = stability(net, pats);
    pats.forEach((x, k) => {
      if (st.stable[k]) expect(clean.overlaps[k]).toBe(1);
      const r = net.evolve(Float64Array.from(x), { maxSweeps: 200 });
      expect(clean.overlaps[k]).toBeCloseTo(r.state.reduce((s, v, i) => s + v * x[i], 0) / 80, 12);
    });
    const noisy = recallOverlap(net, pats, { flip: 0.1, trials: 4, rng: 1 });
    expect(noisy.overlaps.length).toBe(24);
    expect(noisy.cueOverlap).toBeCloseTo(0.8, 12);
    expect(noisy.meanOverlap).toBeGreaterThan(0.95);
    const masked = recallOverlap(net, pats, { mask: 0.25, maskFill: 'random', trials: 4, rng: 2 });
    expect(masked.cueOverlap).toBeLessThan(0.9);
    expect(masked.meanOverlap).toBeGreaterThan(0.95);
    // A partial cue with the known bits held: those bits never change, so the overlap there stays exact.
    const partial = recallOverlap(net, pats, { mask: 0.5, maskFill: 'minus', clampUnmasked: true, rng: 3 });
    expect(partial.meanOverlap).toBeGreaterThan(0.95);
    expect(() => recallOverlap(net, pats, { clampUnmasked: 1 as unknown as boolean })).toThrow(TypeError);
  });

  it('basinRadius of a single stored pattern is just under N/2 (every cue closer than N/2 returns in one sweep)', () => {
    // N a power of two: the weights ±1/N are exact, so the zero fields at distance N/2 − 1 (odd N) are exact ties.
    // (With 1/N inexact, a field that is 0 in exact arithmetic can come out as ±1e-17 and break the tie by rounding.)
    for (const n of [8, 16, 64]) {
      const x = Float64Array.from(randomPatterns(1, n, new Random(n))[0]);
      const net = fitted([Array.from(x)]);
      const r = basinRadius(net, x, { step: 1, trials: 5, rng: 1 });
      expect(r.radius).toBe(Math.ceil(n / 2) - 1);
    }
  });

  it('spuriousAttractors: one pattern gives only the pattern and its reversal; three patterns at small load give 3-mixtures', () => {
    const rng = new Random(8);
    const one = randomPatterns(1, 50, rng);
    const r1 = spuriousAttractors(fitted(one), one, { starts: 40, rng: 1 });
    expect(r1.counts.pattern + r1.counts.reversed).toBe(40);
    expect(r1.counts.pattern).toBeGreaterThan(5);
    expect(r1.counts.reversed).toBeGreaterThan(5);
    const three = randomPatterns(3, 200, rng);
    const r3 = spuriousAttractors(fitted(three), three, { starts: 100, rng: 2, tolerance: 0 });
    expect(r3.counts.mixture).toBeGreaterThan(0);
    const mix = r3.attractors.find((a) => a.kind === 'mixture');
    expect(mix?.mixture?.length).toBe(3);
    // A symmetric 3-mixture has overlap 1/2 with each of its patterns (for N → ∞); here within sampling error of N = 200.
    expect(Math.abs(mix?.overlap ?? 0)).toBeGreaterThan(0.35);
    expect(r3.counts.pattern + r3.counts.reversed + r3.counts.mixture + r3.counts.other + r3.counts.unconverged).toBe(100);
  });

  it('rejects bad input with typed errors', () => {
    const net = fitted([[1, -1, 1, -1]]);
    expect(() => stability(net, [[1, -1, 1]])).toThrow(ShapeError);
    expect(() => recallOverlap(net, [[1, -1, 1, 0]])).toThrow(RangeError);
    expect(() => recallOverlap(net, [[1, -1, 1, -1]], { flip: 1.5 })).toThrow(RangeError);
    expect(() => recallOverlap({} as HopfieldNetwork, [[1]])).toThrow(TypeError);
    expect(() => basinRadius(net, Float64Array.of(1, -1), {})).toThrow(ShapeError);
    expect(() => spuriousAttractors(net, [[1, -1, 1, -1]], { tolerance: 0.9 })).toThrow(RangeError);
    expect(() => capacitySweep({ n: 1, alphas: [0.1] })).toThrow(RangeError);
    expect(() => capacitySweep({ n: 10, alphas: [] })).toThrow(TypeError);
    expect(() => mcElieceCapacity(1)).toThrow(RangeError);
    // Unknown options: a TypeError naming the key and the closest valid one.
    expect(() => stability(net, [[1, -1, 1, -1]], { ties: 'keep' } as never)).toThrow(/unknown option 'ties' \(did you mean 'tie'\?\)/);
    expect(() => recallOverlap(net, [[1, -1, 1, -1]], { flips: 0.1 } as never)).toThrow(/did you mean 'flip'/);
    expect(() => basinRadius(net, Float64Array.of(1, -1, 1, -1), { trial: 3 } as never)).toThrow(/did you mean 'trials'/);
    expect(() => spuriousAttractors(net, [[1, -1, 1, -1]], { start: 3 } as never)).toThrow(/did you mean 'starts'/);
    expect(() => capacitySweep({ n: 10, alphas: [0.1], alpha: 0.1 } as never)).toThrow(/did you mean 'alphas'/);
    expect(() => makeCue(new Float64Array(4), Float64Array.of(1, 1, 1, 1), { mask_fill: 'minus' } as never, 1)).toThrow(/did you mean 'maskFill'/);
  });

  it('without rng, the lab functions continue the network stream (same construction seed, same results; repeated calls differ)', () => {
    const pats = randomPatterns(4, 40, new Random(10));
    const a = new HopfieldNetwork(40, { rng: 5 });
    const b = new HopfieldNetwork(40, { rng: 5 });
    a.fit(pats);
    b.fit(pats);
    const r1 = recallOverlap(a, pats, { flip: 0.3, trials: 3 });
    const r2 = recallOverlap(a, pats, { flip: 0.3, trials: 3 });
    expect(Array.from(r1.overlaps)).not.toEqual(Array.from(r2.overlaps));
    expect(Array.from(recallOverlap(b, pats, { flip: 0.3, trials: 3 }).overlaps)).toEqual(Array.from(r1.overlaps));
    expect(Array.from(recallOverlap(b, pats, { flip: 0.3, trials: 3 }).overlaps)).toEqual(Array.from(r2.overlaps));
    expect(spuriousAttractors(a, pats, { starts: 10 }).counts).toEqual(spuriousAttractors(b, pats, { starts: 10 }).counts);
  });
});

describe('capacity lab: the published figures, at small N (the full sweeps are in examples/capacity-lab.ts)', () => {
  it('theory marks: α_c = 0.138 and N/(4 ln N)', () => {
    expect(AGS_CRITICAL_LOAD).toBe(0.138);
    expect(mcElieceCapacity(1000)).toBeCloseTo(1000 / (4 * Math.log(1000)), 12);
    expect(mcElieceCapacity(1000, 'each')).toBeCloseTo(2 * mcElieceCapacity(1000), 12);
  });

  it('Hebbian: retrieval holds well below α_c and breaks down well above it (N = 300)', () => {
    const pts = capacitySweep({ n: 300, alphas: [0.05, 0.3], trials: 2, maxPatterns: 30, rng: 1 });
    expect(pts[0].meanOverlap).toBeGreaterThan(0.99);
    expect(pts[1].meanOverlap).toBeLessThan(0.7);
  });

  it('McEliece: at P ≈ N/(4 ln N) all patterns are usually exactly stable; at 4× that load almost never (N = 200)', () => {
    const n = 200;
    const pc = mcElieceCapacity(n);
    const [low, high] = capacitySweep({ n, alphas: [(0.5 * pc) / n, (4 * pc) / n], trials: 20, rng: 3 });
    // Per-trial probabilities of "all stable": at 0.5·P_c the expected number of unstable bits is ≈ N·P·Φ(−√(N/P)) ≈ 0.0001 → ≥ 0.9 all-stable;
    // at 4·P_c it is ≈ 200·38·Φ(−2.3) ≈ 80 → essentially 0. With 20 trials, thresholds 0.8 / 0.1 are many binomial σ away.
    expect(low.allStableFraction).toBeGreaterThanOrEqual(0.8);
    expect(high.allStableFraction).toBeLessThanOrEqual(0.1);
  });

  it('Storkey and pseudo-inverse keep more patterns stable than Hebbian at α = 0.2; contrastive training too (N = 150)', () => {
    const n = 150;
    const opts = { n, alphas: [0.2], trials: 2, maxPatterns: 30, rng: 4 } as const;
    const [heb] = capacitySweep(opts);
    const [sto] = capacitySweep({ ...opts, rule: 'storkey' });
    const [pin] = capacitySweep({ ...opts, rule: 'pseudo-inverse' });
    const [con] = capacitySweep({
      ...opts,
      rule: (xi, rng) => {
        const net = fitted(xi);
        trainHopfieldContrastive(net, xi, { variant: 'few-steps', epochs: 20, rng, statistics: false });
        return net;
      },
    });
    expect(sto.stableFraction).toBeGreaterThan(heb.stableFraction);
    expect(pin.stableFraction).toBe(1);
    expect(con.stableFraction).toBeGreaterThan(heb.stableFraction);
  });
});
