import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { binarizeSample, binarizeThreshold, binaryToSpins, spinsToBinary } from '../../src/data/binarize.js';
import { fromArrays, matrix } from '../../src/linalg/matrix.js';
import { Random } from '../../src/random/random.js';

const unitMatrix = fc
  .record({ rows: fc.integer({ min: 0, max: 5 }), cols: fc.integer({ min: 0, max: 7 }) })
  .chain(({ rows, cols }) =>
    fc
      .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols })
      .map((d) => matrix(rows, cols, Float64Array.from(d))),
  );

describe('binarizeThreshold', () => {
  it('gives 1 exactly where x ≥ threshold, leaves x untouched, and works in place', () => {
    fc.assert(
      fc.property(unitMatrix, fc.double({ min: 0, max: 1, noNaN: true }), (x, t) => {
        const before = x.data.slice();
        const b = binarizeThreshold(x, t);
        expect(x.data).toEqual(before);
        for (let i = 0; i < before.length; i++) expect(b.data[i]).toBe((before[i] as number) >= t ? 1 : 0);
        expect(binarizeThreshold(x, t, x).data).toEqual(b.data);
      }),
    );
    expect(() => binarizeThreshold(fromArrays([[Number.NaN]]))).toThrow(RangeError);
    expect(() => binarizeThreshold(fromArrays([[1]]), Number.NaN)).toThrow(RangeError);
    expect(() => binarizeThreshold(fromArrays([[1]]), 0.5, matrix(1, 2))).toThrow(ShapeError);
  });

  it('every function takes plain arrays and shaped typed arrays as well as a Matrix', () => {
    expect(Array.from(binarizeThreshold([[0.2, 0.5, 0.9]]).data)).toEqual([0, 1, 1]);
    expect(Array.from(binarizeThreshold({ data: Float32Array.of(0.2, 0.7), shape: [1, 2] }).data)).toEqual([0, 1]);
    expect(Array.from(binarizeSample([[0, 1]], 3).data)).toEqual([0, 1]);
    expect(Array.from(binaryToSpins([[0, 1]]).data)).toEqual([-1, 1]);
    expect(Array.from(spinsToBinary([[-1, 1]]).data)).toEqual([0, 1]);
    expect(() => binaryToSpins([[0, 1], [1]])).toThrow(ShapeError);
  });
});

describe('binarizeSample', () => {
  it('is u < x for the generator draws, in row-major order (same seed, same bits)', () => {
    fc.assert(
      fc.property(unitMatrix, fc.nat(), (x, seed) => {
        const b = binarizeSample(x, seed);
        const r = new Random(seed);
        for (let i = 0; i < x.data.length; i++) expect(b.data[i]).toBe(r.float64() < (x.data[i] as number) ? 1 : 0);
        expect(binarizeSample(x, new Random(seed)).data).toEqual(b.data);
      }),
    );
  });

  it('has mean x: 0 and 1 are deterministic, p = 0.3 within 5σ', () => {
    // n = 40 000 Bernoulli(0.3) draws: σ(mean) = sqrt(0.3·0.7/40000) ≈ 0.00229; 5σ ≈ 0.0115
    const n = 40_000;
    const x = matrix(1, n, new Float64Array(n).fill(0.3));
    const b = binarizeSample(x, 123);
    const mean = b.data.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(mean - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / n));
    expect(binarizeSample(fromArrays([[0, 1, 0, 1]]), 5).data).toEqual(Float64Array.of(0, 1, 0, 1));
    expect(() => binarizeSample(fromArrays([[1.5]]), 1)).toThrow(RangeError);
    expect(() => binarizeSample(fromArrays([[0.5]]), -1)).toThrow(RangeError);
  });
});

describe('binaryToSpins / spinsToBinary', () => {
  it('are inverse bijections 0/1 ↔ ±1 and reject values outside the convention', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 30 }), (bits) => {
        const x = matrix(1, bits.length, Float64Array.from(bits));
        const s = binaryToSpins(x);
        for (let i = 0; i < bits.length; i++) expect(s.data[i]).toBe(bits[i] === 1 ? 1 : -1);
        expect(spinsToBinary(s).data).toEqual(x.data);
      }),
    );
    expect(() => binaryToSpins(fromArrays([[-1]]))).toThrow(/0\/1/);
    expect(() => spinsToBinary(fromArrays([[0]]))).toThrow(/±1/);
  });
});
