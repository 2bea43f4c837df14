import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, LogisticRegression, NumericalError, Random } from '../../src/index.js';

// Findings of a fuzzing review, each a silent corruption or a crash no catch could stop before.
describe('fuzz findings', () => {
  it('Random.streams refuses a count past 2²⁰ with a RangeError instead of exhausting the heap', () => {
    expect(() => new Random(1).streams(2 ** 20 + 1)).toThrow(RangeError);
    expect(() => new Random(1).streams(1e9)).toThrow(/at most 1048576/);
    expect(new Random(1).streams(3)).toHaveLength(3);
  });

  it('QuadraticGibbs.updateUnit checks its index: a bad one throws and leaves the sampler as it was', () => {
    const g = HopfieldNetwork.fromWeights([
      [0, -1, 1],
      [-1, 0, -1],
      [1, -1, 0],
    ]).gibbs({ temperature: 0.5, rng: 1 });
    const twin = HopfieldNetwork.fromWeights([
      [0, -1, 1],
      [-1, 0, -1],
      [1, -1, 0],
    ]).gibbs({ temperature: 0.5, rng: 1 });
    for (const i of [3, 99, -1, 0.5, Number.NaN]) expect(() => g.updateUnit(i), String(i)).toThrow(RangeError);
    for (let s = 0; s < 5; s++) {
      g.step();
      twin.step();
    }
    expect(Array.from(g.state)).toEqual(Array.from(twin.state));
    expect(typeof g.updateUnit(2)).toBe('boolean');
  });

  it('LogisticRegression.fit refuses an update that makes a bias infinite (it was written silently)', () => {
    // the first update (biases ±1.6e308) is finite; the second would overflow: refused, not applied
    const lr = new LogisticRegression(2, 2);
    expect(() => lr.fit([[0, 0], [0, 0]], [0, 0], { learningRate: 1.7e308, epochs: 3, batchSize: 2, momentum: 0.9 })).toThrow(NumericalError);
    expect(Array.from(lr.bias).every(Number.isFinite)).toBe(true);
    expect(Array.from(lr.weights.data).every(Number.isFinite)).toBe(true);
  });
});
