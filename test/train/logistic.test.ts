import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { fromArrays } from '../../src/linalg/matrix.js';
import { Random } from '../../src/random/random.js';
import { LogisticRegression } from '../../src/train/logistic.js';

/** Three Gaussian blobs in 2D, well separated. */
function blobs(n: number, seed: number): { x: ReturnType<typeof fromArrays>; y: number[] } {
  const rng = new Random(seed);
  const centres = [[0, 3], [3, -2], [-3, -2]];
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    rows.push([centres[c][0] + 0.5 * rng.normal(), centres[c][1] + 0.5 * rng.normal()]);
    y.push(c);
  }
  return { x: fromArrays(rows), y };
}

describe('LogisticRegression', () => {
  it('separates well-separated classes and its loss decreases', () => {
    const { x, y } = blobs(300, 1);
    const clf = new LogisticRegression(2, 3);
    const hist = clf.fit(x, y, { epochs: 20, learningRate: 0.1, rng: 2 });
    expect(hist[hist.length - 1]).toBeLessThan(hist[0]);
    expect(clf.errorRate(x, y)).toBeLessThan(0.01);
    const test = blobs(300, 3);
    expect(clf.errorRate(test.x, test.y)).toBeLessThan(0.02);
  });

  it('gives rows of probabilities that sum to 1 and reports the cross-entropy', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }), (v) => {
        const clf = new LogisticRegression(2, 3);
        clf.weights.data.set([v[0], v[1], v[2], v[3], -v[0], 0.5]);
        const x = fromArrays([[v[2], v[3]]]);
        const p = clf.predictProba(x);
        expect(p.data[0] + p.data[1] + p.data[2]).toBeCloseTo(1, 12);
        expect(clf.loss(x, [1])).toBeCloseTo(-Math.log(p.data[1]), 10);
      }),
      { numRuns: 50 },
    );
  });

  // One full-batch step without momentum or L2 moves W by −η·∇L; compare ∇L with central differences of the loss.
  it('takes gradient steps: one full-batch step equals −η times the finite-difference gradient', () => {
    const { x, y } = blobs(12, 5);
    const base = new LogisticRegression(2, 3);
    base.weights.data.set([0.1, -0.2, 0.3, 0.05, 0.2, -0.1]);
    const stepped = new LogisticRegression(2, 3);
    stepped.weights.data.set(base.weights.data);
    const eta = 0.01;
    stepped.fit(x, y, { epochs: 1, batchSize: 12, learningRate: eta, momentum: 0, l2: 0 });
    for (let i = 0; i < 6; i++) {
      const h = 1e-6;
      const plus = new LogisticRegression(2, 3), minus = new LogisticRegression(2, 3);
      plus.weights.data.set(base.weights.data);
      minus.weights.data.set(base.weights.data);
      plus.weights.data[i] += h;
      minus.weights.data[i] -= h;
      const g = (plus.loss(x, y) - minus.loss(x, y)) / (2 * h);
      expect(stepped.weights.data[i] - base.weights.data[i]).toBeCloseTo(-eta * g, 8);
    }
  });

  it('is deterministic for a seed, does not modify inputs, and validates', () => {
    const { x, y } = blobs(30, 2);
    const copy = Float64Array.from(x.data);
    const a = new LogisticRegression(2, 3), b = new LogisticRegression(2, 3);
    a.fit(x, y, { epochs: 3, rng: 4 });
    b.fit(x, y, { epochs: 3, rng: 4 });
    expect(Array.from(a.weights.data)).toEqual(Array.from(b.weights.data));
    expect(Array.from(x.data)).toEqual(Array.from(copy));
    expect(() => a.fit(x, y.slice(1))).toThrow(ShapeError);
    expect(() => a.fit(x, y.map(() => 3))).toThrow(RangeError);
    expect(() => a.fit(fromArrays([[1, 2, 3]]), [0])).toThrow(ShapeError);
    expect(() => a.fit(x, y, { momentum: 1 })).toThrow(RangeError);
    expect(() => new LogisticRegression(2, 1)).toThrow(RangeError);
  });

  it('takes plain arrays (same numbers as a Matrix) and refuses unknown option keys with the closest valid one', () => {
    const { x, y } = blobs(30, 2);
    const rows = Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * 2, r * 2 + 2)));
    const a = new LogisticRegression(2, 3), b = new LogisticRegression(2, 3);
    expect(a.fit(rows, y, { epochs: 2, rng: 4 })).toEqual(b.fit(x, y, { epochs: 2, rng: 4 }));
    expect(Array.from(a.predict(rows))).toEqual(Array.from(b.predict(x)));
    expect(a.loss(rows, y)).toBe(b.loss(x, y));
    expect(a.errorRate({ data: Float32Array.of(0, 0), shape: [1, 2] }, [0])).toBe(b.errorRate([[0, 0]], [0]));
    const before = Array.from(a.weights.data);
    expect(() => a.fit(rows, y, { epoch: 3 } as never)).toThrow(/unknown option 'epoch' \(did you mean 'epochs'\?\)/);
    expect(() => a.fit(rows, y, { learning_rate: 0.1 } as never)).toThrow(TypeError);
    expect(() => a.fit([[1, 2], [3]], [0, 1])).toThrow(ShapeError);
    expect(Array.from(a.weights.data)).toEqual(before);
  });
});
