import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, hasZeroDiagonal, isSymmetric, NumericalError, Random, ShapeError, stability, trainHopfieldContrastive } from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

/** A network of the patterns' size with the patterns stored by Hebb's rule. */
function fitted(patterns: number[][]): HopfieldNetwork {
  const net = new HopfieldNetwork(patterns[0].length);
  net.fit(patterns);
  return net;
}

const variants = ['random-starts', 'from-patterns', 'few-steps'] as const;

describe('trainHopfieldContrastive ("raise the valleys")', () => {
  it('keeps the weights exactly symmetric with a zero diagonal, for every variant', () => {
    fc.assert(
      fc.property(
        fc.record({ p: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 2, max: 16 }), seed: fc.nat(1e9) }),
        fc.constantFrom(...variants),
        fc.boolean(),
        ({ p, n, seed }, variant, trainBias) => {
          const pats = randomPatterns(p, n, new Random(seed));
          const net = fitted(pats);
          trainHopfieldContrastive(net, pats, { variant, epochs: 3, rng: seed, trainBias, cueNoise: 0.1 });
          expect(isSymmetric(net.weights)).toBe(true);
          expect(hasZeroDiagonal(net.weights)).toBe(true);
          expect(net.rule).toBe('contrastive');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('every variant keeps more patterns stable than Hebbian storage at a load where Hebbian fails (N = 100, α = 0.25)', () => {
    const rng = new Random(7);
    const n = 100;
    const pats = randomPatterns(25, n, rng);
    const hebb = stability(fitted(pats), pats).stableFraction;
    expect(hebb).toBeLessThan(0.5);
    for (const variant of variants) {
      const net = fitted(pats);
      const r = trainHopfieldContrastive(net, pats, { variant, epochs: 30, rng: 1 });
      const after = stability(net, pats).stableFraction;
      expect(after).toBeGreaterThan(hebb + 0.3);
      expect(r.history.length).toBe(30);
      expect(r.history[29].stableFraction).toBe(after);
    }
  });

  it('from Hebbian weights at α ≈ 0.19, the SGD variant makes every pattern a fixed point and stops early', () => {
    const pats = randomPatterns(12, 64, new Random(2));
    const net = fitted(pats);
    expect(stability(net, pats).allStable).toBe(false);
    const r = trainHopfieldContrastive(net, pats, { variant: 'few-steps', steps: 2, epochs: 200, rng: 3, stopWhenStable: true });
    expect(r.epochs).toBeLessThan(200);
    expect(stability(net, pats).allStable).toBe(true);
    expect(r.history.at(-1)?.stableFraction).toBe(1);
  });

  it('is deterministic for a seed, and epoch statistics are reported to onEpoch', () => {
    const pats = randomPatterns(6, 24, new Random(4));
    const a = fitted(pats);
    const b = fitted(pats);
    const seen: number[] = [];
    trainHopfieldContrastive(a, pats, { variant: 'random-starts', epochs: 4, rng: 9, onEpoch: (s) => seen.push(s.epoch) });
    trainHopfieldContrastive(b, pats, { variant: 'random-starts', epochs: 4, rng: 9 });
    expect(a.weights.data).toEqual(b.weights.data);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('bad input is rejected before anything changes; a non-finite update throws NumericalError and leaves the network as it was', () => {
    const pats = randomPatterns(5, 10, new Random(5));
    const net = fitted(pats);
    const w0 = net.weights.data.slice();
    expect(() => trainHopfieldContrastive(net, [[1, -1, 1]], {})).toThrow(ShapeError);
    expect(() => trainHopfieldContrastive(net, pats, { variant: 'dream' as 'few-steps' })).toThrow(RangeError);
    expect(() => trainHopfieldContrastive(net, pats, { learningRate: 0 })).toThrow(RangeError);
    expect(() => trainHopfieldContrastive(net, pats, { batchSize: 6 })).toThrow(RangeError);
    expect(() => trainHopfieldContrastive(net, pats, { cueNoise: 2 })).toThrow(RangeError);
    expect(() => trainHopfieldContrastive(net, pats, { epoch: 3 } as never)).toThrow(/unknown option 'epoch' \(did you mean 'epochs'\?\)/);
    expect(() => trainHopfieldContrastive(net, pats, { init: 'zeros' as 'hebbian' })).toThrow(RangeError);
    expect(net.weights.data).toEqual(w0);
    expect(() => trainHopfieldContrastive(net, pats, { learningRate: Number.MAX_VALUE, epochs: 50, variant: 'random-starts', rng: 1 })).toThrow(NumericalError);
    for (const x of net.weights.data) expect(Number.isFinite(x)).toBe(true);
    expect(isSymmetric(net.weights)).toBe(true);
  });
});

describe('trainHopfieldContrastive: the FitResult contract', () => {
  it('reports one EpochMetrics per epoch (epoch from 0, cumulative steps, η, the statistics) and draws from the network stream without rng', () => {
    const pats = randomPatterns(8, 32, new Random(6));
    const net = fitted(pats);
    const r = trainHopfieldContrastive(net, pats, { variant: 'few-steps', epochs: 4, rng: 2 });
    expect(r.epochs).toBe(4);
    expect(r.aborted).toBe(false);
    expect(r.history.map((m) => m.epoch)).toEqual([0, 1, 2, 3]);
    for (const m of r.history) {
      expect(m.learningRate).toBe(0.1 / 32); // the few-steps default (issue #20: was 1/N, which cycled)
      expect(m.seconds).toBeGreaterThanOrEqual(0);
      expect(m.stableFraction).toBeGreaterThanOrEqual(0);
      expect(m.meanOverlap).toBeLessThanOrEqual(1);
      expect(m.changedPairs).toBeGreaterThanOrEqual(0);
    }
    for (let k = 1; k < 4; k++) expect(r.history[k].steps).toBeGreaterThanOrEqual(r.history[k - 1].steps);
    // statistics: false → no history; onEpoch still sees each epoch.
    const seen: number[] = [];
    const quiet = trainHopfieldContrastive(fitted(pats), pats, { epochs: 3, statistics: false, rng: 2, onEpoch: (m) => seen.push(m.epoch) });
    expect(quiet.history).toEqual([]);
    expect(seen).toEqual([0, 1, 2]);
    // The network's own stream: the same construction seed gives the same training, and it continues across calls.
    const a = new HopfieldNetwork(32, { rng: 9 });
    const b = new HopfieldNetwork(32, { rng: 9 });
    a.fit(pats);
    b.fit(pats);
    trainHopfieldContrastive(a, pats, { variant: 'random-starts', epochs: 2 });
    trainHopfieldContrastive(b, pats, { variant: 'random-starts', epochs: 2 });
    expect(a.weights.data).toEqual(b.weights.data);
  });

  it("init: 'hebbian' stores the patterns first; an aborted signal stops before the next epoch", () => {
    const pats = randomPatterns(5, 16, new Random(8));
    const a = new HopfieldNetwork(16);
    trainHopfieldContrastive(a, pats, { init: 'hebbian', epochs: 2, rng: 1 });
    const b = fitted(pats);
    trainHopfieldContrastive(b, pats, { epochs: 2, rng: 1 });
    expect(a.weights.data).toEqual(b.weights.data);
    const ctl = new AbortController();
    const c = fitted(pats);
    const r = trainHopfieldContrastive(c, pats, { epochs: 10, rng: 1, onEpoch: () => ctl.abort(), signal: ctl.signal });
    expect(r.epochs).toBe(1);
    expect(r.aborted).toBe(true);
  });
});
