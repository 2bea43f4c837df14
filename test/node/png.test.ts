import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tileImages } from '../../src/io/image.js';
import { matrix } from '../../src/linalg/matrix.js';
import { crc32, encodePng, writePng } from '../../src/node/png.js';
import { decodePng } from '../helpers/png-decode.js';

describe('crc32', () => {
  it('matches the standard check value and composes', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a);
        ab.set(b, a.length);
        expect(crc32(b, crc32(a))).toBe(crc32(ab));
      }),
    );
  });
});

describe('encodePng', () => {
  it('decodes back to the same RGBA pixels (colour with alpha)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.uint8Array({ minLength: 4 * 144, maxLength: 4 * 144 }),
        (width, height, pool) => {
          const data = new Uint8ClampedArray(pool.subarray(0, 4 * width * height));
          const png = encodePng({ width, height, data });
          const back = decodePng(png);
          expect([back.width, back.height]).toEqual([width, height]);
          expect(Array.from(back.data)).toEqual(Array.from(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes opaque grey images as greyscale and they decode to the same pixels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }),
        (h, w, pool) => {
          const img = tileImages(matrix(2, h * w, Float64Array.from(pool.concat(pool).slice(0, 2 * h * w))), {
            height: h,
            width: w,
            scale: 2,
          });
          const back = decodePng(encodePng(img));
          expect(back.colorType).toBe(0);
          expect(Array.from(back.data)).toEqual(Array.from(img.data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects malformed images with typed errors', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(15) })).toThrow(RangeError);
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8ClampedArray(0) })).toThrow(RangeError);
    expect(() => encodePng({ width: 1, height: 1, data: [1, 2, 3, 4] } as never)).toThrow(TypeError);
    expect(() => encodePng(null as never)).toThrow(TypeError);
    expect(() => writePng('' as never, { width: 1, height: 1, data: new Uint8ClampedArray(4) })).toThrow(TypeError);
  });

  it('writePng writes the encoded bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-png-'));
    try {
      const img = tileImages(matrix(3, 4, Float64Array.of(0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0)), { height: 2, width: 2 });
      const path = join(dir, 'x.png');
      writePng(path, img);
      expect(new Uint8Array(readFileSync(path))).toEqual(encodePng(img));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
