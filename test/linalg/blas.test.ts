import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  argmaxRows,
  axpy,
  clone,
  dot,
  fromArrays,
  gemm,
  gemv,
  ger,
  getKernel,
  hasZeroDiagonal,
  identity,
  isSymmetric,
  matrix,
  row,
  rowsView,
  scal,
  setKernel,
  ShapeError,
  symmetrize,
  toArrays,
  transpose,
  zeroDiagonal,
  zeros,
} from '../../src/index.js';
import { naiveKernel } from '../../src/base.js';

const small = fc.integer({ min: 0, max: 9 });

describe('Matrix', () => {
  it('fromArrays / toArrays round-trip any rectangular array', () => {
    fc.assert(
      fc.property(small, small, (r, c) => {
        const rows = Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => i * 10 + j - 3.5));
        const m = fromArrays(rows);
        expect(m.rows).toBe(r);
        expect(m.cols).toBe(r === 0 ? 0 : c);
        if (r > 0) expect(toArrays(m)).toEqual(rows);
      }),
    );
  });

  it('rowsView and row share memory with the parent', () => {
    const m = fromArrays([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const v = rowsView(m, 1, 3);
    expect(v.rows).toBe(2);
    v.data[0] = 30;
    expect(m.data[2]).toBe(30);
    row(m, 2)[1] = 60;
    expect(m.data[5]).toBe(60);
  });

  it('rejects bad shapes, ragged rows and bad ranges with typed errors', () => {
    expect(() => matrix(2, 2, new Float64Array(3))).toThrow(ShapeError);
    expect(() => matrix(-1, 2)).toThrow(RangeError);
    expect(() => fromArrays([[1, 2], [3]])).toThrow(/rows\[1\] must have length 2/);
    expect(() => fromArrays([[1, 'x' as unknown as number]])).toThrow(TypeError);
    expect(() => rowsView(zeros(2, 2), 1, 3)).toThrow(/end must be an integer in \[1, 2\]/);
  });

  it('transpose twice is the identity and refuses aliasing', () => {
    fc.assert(
      fc.property(small, small, (r, c) => {
        const m = matrix(r, c, Float64Array.from({ length: r * c }, (_, i) => i));
        const t = transpose(zeros(c, r), m);
        expect(transpose(zeros(r, c), t).data).toEqual(m.data);
      }),
    );
    const sq = zeros(2, 2);
    expect(() => transpose(sq, sq)).toThrow(/share memory/);
  });
});

describe('checked BLAS', () => {
  it('gemm validates shapes and aliasing before touching out', () => {
    const out = zeros(2, 2);
    out.data.fill(7);
    expect(() => gemm(out, zeros(2, 3), zeros(2, 2))).toThrow(ShapeError);
    expect(() => gemm(out, zeros(2, 2), zeros(2, 3))).toThrow(/out must have shape \[2, 3\]/);
    expect(() => gemm(out, out, identity(2))).toThrow(/share memory/);
    expect(() => gemm(out, identity(2), identity(2), { alpha: Number.NaN })).toThrow(/alpha must be a finite number/);
    expect(Array.from(out.data)).toEqual([7, 7, 7, 7]);
  });

  it('gemm matches hand values for every transpose combination', () => {
    const a = fromArrays([
      [1, 2],
      [3, 4],
    ]);
    expect(toArrays(gemm(zeros(2, 2), a, a))).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(toArrays(gemm(zeros(2, 2), a, a, { transA: true }))).toEqual([
      [10, 14],
      [14, 20],
    ]);
    expect(toArrays(gemm(zeros(2, 2), a, a, { transB: true }))).toEqual([
      [5, 11],
      [11, 25],
    ]);
    const c = fromArrays([
      [1, 1],
      [1, 1],
    ]);
    expect(toArrays(gemm(c, a, a, { transA: true, transB: true, alpha: 2, beta: -1 }))).toEqual([
      [13, 29],
      [19, 43],
    ]);
  });

  it('gemm on row views equals gemm on copies', () => {
    const big = matrix(6, 3, Float64Array.from({ length: 18 }, (_, i) => i - 9));
    const w = matrix(3, 2, Float64Array.of(1, -2, 0.5, 3, -1, 2));
    const view = rowsView(big, 2, 5);
    const r1 = gemm(zeros(3, 2), view, w);
    const r2 = gemm(zeros(3, 2), clone(view), w);
    expect(r1.data).toEqual(r2.data);
  });

  it('gemv, ger, axpy, dot, scal agree with hand values', () => {
    const a = fromArrays([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(gemv(new Float64Array(2), a, Float64Array.of(1, 1)))).toEqual([3, 7]);
    expect(Array.from(gemv(new Float64Array(2), a, Float64Array.of(1, 1), { trans: true }))).toEqual([4, 6]);
    expect(toArrays(ger(zeros(2, 2), Float64Array.of(1, 2), Float64Array.of(3, 4), 2))).toEqual([
      [6, 8],
      [12, 16],
    ]);
    expect(Array.from(axpy(Float64Array.of(1, 1), 2, Float64Array.of(1, 2)))).toEqual([3, 5]);
    expect(dot(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6))).toBe(32);
    expect(Array.from(scal(Float64Array.of(1, -2), 3))).toEqual([3, -6]);
    expect(() => dot(new Float64Array(2), new Float64Array(3))).toThrow(ShapeError);
    expect(() => gemv(new Float64Array(3), a, Float64Array.of(1, 1))).toThrow(/out must have length 2/);
  });

  it('the kernel seam swaps backends and restores them', () => {
    const prev = setKernel(naiveKernel);
    try {
      expect(getKernel().name).toBe('naive');
      expect(toArrays(gemm(zeros(1, 1), fromArrays([[2]]), fromArrays([[3]])))).toEqual([[6]]);
    } finally {
      setKernel(prev);
    }
    expect(getKernel().name).toBe('wasm-simd-exact'); // the automatic choice again
    expect(() => setKernel({ name: 'x' } as never)).toThrow(TypeError);
  });
});

describe('symmetric helpers', () => {
  it('symmetrize + zeroDiagonal give exact symmetry and zero diagonal for any square matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer(), (n, seed) => {
        const m = matrix(n, n, Float64Array.from({ length: n * n }, (_, i) => Math.sin(seed + i * 1.7) * 5));
        zeroDiagonal(symmetrize(m));
        expect(isSymmetric(m)).toBe(true);
        expect(hasZeroDiagonal(m)).toBe(true);
      }),
    );
    expect(() => symmetrize(zeros(2, 3))).toThrow(ShapeError);
  });
});

describe('argmaxRows', () => {
  it('returns, per row, the index of the first maximal entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (r, c, seed) => {
        const m = matrix(r, c, Float64Array.from({ length: r * c }, (_, i) => Math.round(Math.sin(seed + i) * 3)));
        const got = argmaxRows(m);
        for (let i = 0; i < r; i++) {
          const row = Array.from(m.data.subarray(i * c, (i + 1) * c));
          expect(got[i]).toBe(row.indexOf(Math.max(...row)));
        }
      }),
    );
    expect(() => argmaxRows('x' as never)).toThrow(TypeError);
  });
});
