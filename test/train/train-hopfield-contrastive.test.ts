import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasZeroDiagonal, HopfieldNetwork, isSymmetric, NumericalError, Random, ShapeError, stability, trainContrastive } from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

const variants = ['random-starts', 'from-patterns', 'few-steps'] as const;

describe('trainContrastive ("raise the valleys")', () => {
  it('keeps the weights exactly symmetric with a zero diagonal, for every variant', () => {
    fc.assert(
      fc.property(
        fc.record({ p: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 2, max: 16 }), seed: fc.nat(1e9) }),
        fc.constantFrom(...variants),
        fc.boolean(),
        ({ p, n, seed }, variant, trainBias) => {
          const pats = randomPatterns(p, n, new Random(seed));
          const net = HopfieldNetwork.fromPatterns(pats);
          trainContrastive(net, pats, { variant, epochs: 3, rng: seed, trainBias, cueNoise: 0.1 });
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
    const hebb = stability(HopfieldNetwork.fromPatterns(pats), pats).stableFraction;
    expect(hebb).toBeLessThan(0.5);
    for (const variant of variants) {
      const net = HopfieldNetwork.fromPatterns(pats);
      const r = trainContrastive(net, pats, { variant, epochs: 30, rng: 1 });
      const after = stability(net, pats).stableFraction;
      expect(after).toBeGreaterThan(hebb + 0.3);
      expect(r.history.length).toBe(30);
      expect(r.history[29].stableFraction).toBe(after);
    }
  });

  it('from Hebbian weights at α ≈ 0.19, the SGD variant makes every pattern a fixed point and stops early', () => {
    const pats = randomPatterns(12, 64, new Random(2));
    const net = HopfieldNetwork.fromPatterns(pats);
    expect(stability(net, pats).allStable).toBe(false);
    const r = trainContrastive(net, pats, { variant: 'few-steps', steps: 2, epochs: 200, rng: 3, stopWhenStable: true });
    expect(r.epochs).toBeLessThan(200);
    expect(stability(net, pats).allStable).toBe(true);
    expect(r.history.at(-1)?.stableFraction).toBe(1);
  });

  it('is deterministic for a seed, and epoch statistics are reported to onEpoch', () => {
    const pats = randomPatterns(6, 24, new Random(4));
    const a = HopfieldNetwork.fromPatterns(pats);
    const b = HopfieldNetwork.fromPatterns(pats);
    const seen: number[] = [];
    trainContrastive(a, pats, { variant: 'random-starts', epochs: 4, rng: 9, onEpoch: (s) => seen.push(s.epoch) });
    trainContrastive(b, pats, { variant: 'random-starts', epochs: 4, rng: 9 });
    expect(a.weights.data).toEqual(b.weights.data);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('bad input is rejected before anything changes; a non-finite update throws NumericalError and leaves the network as it was', () => {
    const pats = randomPatterns(5, 10, new Random(5));
    const net = HopfieldNetwork.fromPatterns(pats);
    const w0 = net.weights.data.slice();
    expect(() => trainContrastive(net, [[1, -1, 1]], {})).toThrow(ShapeError);
    expect(() => trainContrastive(net, pats, { variant: 'dream' as 'few-steps' })).toThrow(RangeError);
    expect(() => trainContrastive(net, pats, { learningRate: 0 })).toThrow(RangeError);
    expect(() => trainContrastive(net, pats, { batchSize: 6 })).toThrow(RangeError);
    expect(() => trainContrastive(net, pats, { cueNoise: 2 })).toThrow(RangeError);
    expect(net.weights.data).toEqual(w0);
    expect(() => trainContrastive(net, pats, { learningRate: Number.MAX_VALUE, epochs: 50, variant: 'random-starts', rng: 1 })).toThrow(NumericalError);
    for (const x of net.weights.data) expect(Number.isFinite(x)).toBe(true);
    expect(isSymmetric(net.weights)).toBe(true);
  });
});
