import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { colormapColor, createImage, heatmap, MAX_IMAGE_PIXELS, tileFilters, tileImages } from '../../src/io/image.js';
import { fromArrays, matrix, transpose, zeros } from '../../src/linalg/matrix.js';

/** Grey level of pixel (x, y) (asserting it is grey and opaque). */
function greyAt(img: { width: number; data: Uint8ClampedArray }, x: number, y: number): number {
  const p = 4 * (y * img.width + x);
  expect(img.data[p + 1]).toBe(img.data[p]);
  expect(img.data[p + 2]).toBe(img.data[p]);
  expect(img.data[p + 3]).toBe(255);
  return img.data[p] as number;
}

const batch = (values: fc.Arbitrary<number>) =>
  fc
    .record({ count: fc.integer({ min: 1, max: 7 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }) })
    .chain(({ count, h, w }) =>
      fc.record({
        count: fc.constant(count),
        h: fc.constant(h),
        w: fc.constant(w),
        data: fc.array(values, { minLength: count * h * w, maxLength: count * h * w }),
        columns: fc.integer({ min: 1, max: 8 }),
        padding: fc.integer({ min: 0, max: 3 }),
        scale: fc.integer({ min: 1, max: 3 }),
      }),
    );

describe('tileImages', () => {
  it('has the documented size, draws each value as its grey block and the padding as background', () => {
    fc.assert(
      fc.property(batch(fc.constantFrom(0, 1)), ({ count, h, w, data, columns, padding, scale }) => {
        const m = matrix(count, h * w, Float64Array.from(data));
        const before = m.data.slice();
        const img = tileImages(m, { height: h, width: w, columns, padding, scale, background: 77 });
        const cols = Math.min(columns, count);
        const rows = Math.ceil(count / columns);
        expect(img.width).toBe(cols * w * scale + (cols + 1) * padding);
        expect(img.height).toBe(rows * h * scale + (rows + 1) * padding);
        expect(img.data.length).toBe(4 * img.width * img.height);
        expect(m.data).toEqual(before); // input untouched
        // every pixel: either inside tile k at (i, j), or background
        const expected = new Uint8Array(img.width * img.height).fill(77);
        for (let k = 0; k < count; k++) {
          const x0 = padding + (k % columns) * (w * scale + padding);
          const y0 = padding + Math.floor(k / columns) * (h * scale + padding);
          for (let i = 0; i < h * scale; i++)
            for (let j = 0; j < w * scale; j++) {
              const v = data[k * h * w + Math.floor(i / scale) * w + Math.floor(j / scale)] as number;
              expected[(y0 + i) * img.width + x0 + j] = 255 * v; // 0/1 → black/white under 'auto'
            }
        }
        for (let y = 0; y < img.height; y++)
          for (let x = 0; x < img.width; x++) expect(greyAt(img, x, y)).toBe(expected[y * img.width + x]);
      }),
      { numRuns: 60 },
    );
  });

  it("maps ±1 spins to black/white under 'auto' and honours invert", () => {
    fc.assert(
      fc.property(batch(fc.constantFrom(-1, 1)), ({ count, h, w, data }) => {
        const m = matrix(count, h * w, Float64Array.from(data));
        for (const invert of [false, true]) {
          const img = tileImages(m, { height: h, width: w, columns: count, padding: 0, invert });
          for (let k = 0; k < count; k++)
            for (let i = 0; i < h; i++)
              for (let j = 0; j < w; j++) {
                const v = data[k * h * w + i * w + j] as number;
                const white = (v === 1) !== invert;
                expect(greyAt(img, k * w + j, i)).toBe(white ? 255 : 0);
              }
        }
      }),
      { numRuns: 50 },
    );
  });

  it("maps 'per-image' ranges so each tile's min is black and max white; fixed ranges clamp", () => {
    fc.assert(
      fc.property(batch(fc.double({ min: -1e3, max: 1e3, noNaN: true })), ({ count, h, w, data }) => {
        const m = matrix(count, h * w, Float64Array.from(data));
        const img = tileImages(m, { height: h, width: w, columns: count, padding: 0, range: 'per-image' });
        for (let k = 0; k < count; k++) {
          const tile = data.slice(k * h * w, (k + 1) * h * w);
          const lo = Math.min(...tile);
          const hi = Math.max(...tile);
          for (let i = 0; i < h; i++)
            for (let j = 0; j < w; j++) {
              const v = tile[i * w + j] as number;
              const g = greyAt(img, k * w + j, i);
              if (hi === lo) expect(g).toBe(128);
              else expect(g).toBe(Math.round((255 * (v - lo)) / (hi - lo)));
            }
        }
        const fixed = tileImages(m, { height: h, width: w, columns: count, padding: 0, range: [-1, 1] });
        for (let k = 0; k < count; k++)
          for (let i = 0; i < h; i++)
            for (let j = 0; j < w; j++) {
              const v = Math.max(-1, Math.min(1, data[k * h * w + i * w + j] as number));
              expect(greyAt(fixed, k * w + j, i)).toBe(Math.round((255 * (v + 1)) / 2));
            }
      }),
      { numRuns: 40 },
    );
  });

  it("'symmetric' puts 0 at mid-grey; 'auto' on general data uses [min, max]", () => {
    const m = fromArrays([[-2, 0, 1, 2]]);
    const s = tileImages(m, { height: 1, width: 4, padding: 0, range: 'symmetric' });
    expect([0, 1, 2, 3].map((x) => greyAt(s, x, 0))).toEqual([0, 128, Math.round(255 * 0.75), 255]);
    const a = tileImages(fromArrays([[-3, 0, 5]]), { height: 1, width: 3, padding: 0 });
    expect([0, 1, 2].map((x) => greyAt(a, x, 0))).toEqual([0, Math.round((255 * 3) / 8), 255]);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const m = fromArrays([[0, 1, 1, 0]]);
    expect(() => tileImages(m, { height: 3, width: 2 })).toThrow(ShapeError);
    expect(() => tileImages(m, { height: 0, width: 4 })).toThrow(/tileImages: options.height/);
    expect(() => tileImages(matrix(0, 4), { height: 2, width: 2 })).toThrow(RangeError);
    expect(() => tileImages(fromArrays([[0, Number.NaN, 1, 0]]), { height: 2, width: 2 })).toThrow(/finite/);
    expect(() => tileImages(m, { height: 2, width: 2, range: [1, 1] })).toThrow(RangeError);
    expect(() => tileImages(m, { height: 2, width: 2, range: 'nope' as never })).toThrow(RangeError);
    expect(() => tileImages(m, { height: 2, width: 2, background: 256 })).toThrow(/background/);
    expect(() => tileImages(m, { height: 2, width: 2, scale: 0 })).toThrow(/scale/);
    expect(() => tileImages({} as never, { height: 2, width: 2 })).toThrow(TypeError);
    expect(() => tileImages(m, undefined as never)).toThrow(TypeError);
    expect(() => tileImages(matrix(1, 1), { height: 1, width: 1, scale: 4096, padding: 4096, columns: 1 })).toThrow(
      /MAX_IMAGE_PIXELS/,
    );
  });
});

describe('tileFilters', () => {
  it('tiles the columns of a weight matrix, per-filter scaled by default', () => {
    fc.assert(
      fc.property(batch(fc.double({ min: -5, max: 5, noNaN: true })), ({ count, h, w, data, columns }) => {
        const rowsMajor = matrix(count, h * w, Float64Array.from(data));
        const weights = transpose(zeros(h * w, count), rowsMajor); // [h·w, count]
        const a = tileFilters(weights, { height: h, width: w, columns });
        const b = tileImages(rowsMajor, { height: h, width: w, columns, range: 'per-image' });
        expect(a).toEqual(b);
        expect(tileFilters(weights, { height: h, width: w, columns, range: [-1, 1] })).toEqual(
          tileImages(rowsMajor, { height: h, width: w, columns, range: [-1, 1] }),
        );
      }),
      { numRuns: 50 },
    );
    expect(() => tileFilters(zeros(5, 2), { height: 2, width: 2 })).toThrow(ShapeError);
  });
});

describe('heatmap and colormaps', () => {
  it('has width·scale × height·scale pixels; grey maps min→black, max→white; flipY mirrors rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 25, maxLength: 25 }),
        (rows, cols, scale, pool) => {
          const m = matrix(rows, cols, Float64Array.from(pool.slice(0, rows * cols)));
          const img = heatmap(m, { colormap: 'grey', scale });
          const flipped = heatmap(m, { colormap: 'grey', scale, flipY: true });
          expect([img.width, img.height]).toEqual([cols * scale, rows * scale]);
          let lo = Infinity;
          let hi = -Infinity;
          for (const v of m.data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          for (let i = 0; i < rows; i++)
            for (let j = 0; j < cols; j++) {
              const v = m.data[i * cols + j] as number;
              const g = hi > lo ? Math.round((255 * (v - lo)) / (hi - lo)) : 128;
              expect(greyAt(img, j * scale + scale - 1, i * scale)).toBe(g);
              expect(greyAt(flipped, j * scale, (rows - 1 - i) * scale + scale - 1)).toBe(g);
            }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hits the colormap end points and centres coolwarm on 0', () => {
    expect(colormapColor('viridis', 0)).toEqual([68, 1, 84]);
    expect(colormapColor('viridis', 1)).toEqual([253, 231, 37]);
    expect(colormapColor('viridis', 7)).toEqual([253, 231, 37]);
    expect(colormapColor('grey', 0.5)).toEqual([128, 128, 128]);
    const img = heatmap(fromArrays([[-4, 0, 1]]), { colormap: 'coolwarm' });
    expect(Array.from(img.data.subarray(4, 7))).toEqual([221, 221, 221]);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([59, 76, 192]);
    expect(() => heatmap(fromArrays([[1]]), { colormap: 'jet' as never })).toThrow(RangeError);
    expect(() => heatmap(matrix(0, 3))).toThrow(RangeError);
    expect(() => heatmap(fromArrays([[Number.POSITIVE_INFINITY]]))).toThrow(/finite/);
    expect(() => colormapColor('x' as never, 0)).toThrow(RangeError);
  });

  it('createImage fills and bounds its size', () => {
    const img = createImage(2, 3, [1, 2, 3]);
    expect(Array.from(img.data.subarray(20, 24))).toEqual([1, 2, 3, 255]);
    expect(() => createImage(MAX_IMAGE_PIXELS, 2)).toThrow(RangeError);
    expect(() => createImage(-1, 2)).toThrow(RangeError);
    expect(() => createImage(2, 2, [1, 2] as never)).toThrow(RangeError);
  });
});
