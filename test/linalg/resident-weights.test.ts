import { describe, expect, it } from 'vitest';
import { naiveKernel } from '../../src/linalg/naive.js';
import { residentWeights } from '../../src/linalg/wasm/resident-weights.js';
import { Random } from '../../src/random/random.js';

/** The naive product's bits: out ← A·op(W) + out, each entry summed over p ascending from zero, then plus out. */
function naive(out: Float64Array, a: Float64Array, m: number, W: Float64Array, rows: number, cols: number, transposed: boolean): Float64Array {
  const k = transposed ? cols : rows, n = transposed ? rows : cols;
  const c = out.slice();
  naiveKernel.gemm(false, transposed, m, n, k, 1, a, k, W, cols, 1, c, n);
  return c;
}

describe('residentWeights (weights kept as strips for AIS)', () => {
  const r = new Random(5);
  const shapes = [
    [300, 37],
    [9, 270],
  ] as const;
  const weights = shapes.map(([rows, cols]) => {
    const data = new Float64Array(rows * cols);
    r.fillNormal(data, 0, 0.3);
    return { data, rows, cols };
  });
  const rw = residentWeights(weights);

  it('accumulates 0/1 rows times each matrix and its transpose at any density with the naive product’s bits', () => {
    expect(rw).not.toBeNull();
    for (const [w, { data, rows, cols }] of weights.entries()) {
      for (const transposed of [false, true]) {
        for (const density of [0, 0.05, 0.5, 1]) {
          const m = 11, k = transposed ? cols : rows, n = transposed ? rows : cols;
          const a = Float64Array.from({ length: m * k }, () => (r.float64() < density ? 1 : 0));
          const out = Float64Array.from({ length: m * n }, () => r.normal());
          const want = naive(out, a, m, data, rows, cols, transposed);
          expect(rw!.accumulate(out, a, m, w, transposed)).toBe(true);
          expect(Array.from(out), `matrix ${w}, transposed ${transposed}, density ${density}`).toEqual(Array.from(want));
          // the same rows as lists of their ones (W itself only)
          if (!transposed) {
            const ones: number[] = [], start = [0];
            for (let i = 0; i < m; i++) {
              for (let p = 0; p < k; p++) if (a[i * k + p] !== 0) ones.push(p);
              start.push(ones.length);
            }
            const out2 = Float64Array.from({ length: m * n }, (_, i) => want[i] - want[i] + (i % 7));
            const want2 = naive(out2, a, m, data, rows, cols, false);
            expect(rw!.accumulateOnes(out2, Int32Array.from(ones), Int32Array.from(start), m, w)).toBe(true);
            expect(Array.from(out2)).toEqual(Array.from(want2));
          }
        }
      }
    }
  });

  it('refuses — out untouched, nothing allocated — where the operands would not fit in 2 GiB', () => {
    const out = new Float64Array(4).fill(3);
    // 10⁷ rows of 300: the copy of A alone would take 24 GB (the operand is not read)
    expect(rw!.accumulate(out, new Float64Array(4), 10_000_000, 0, false)).toBe(false);
    expect(rw!.accumulateOnes(out, new Int32Array(4), Int32Array.of(0, 2 ** 30), 1, 0)).toBe(false);
    expect(Array.from(out)).toEqual([3, 3, 3, 3]);
  });
});
