/**
 * The MAT-file reader (src/node/mat.ts): files written byte by byte here
 * (test/node/mat-writer.ts) and one written by SciPy's `savemat`; values come
 * back row-major; truncation, unsupported types and layouts, and sizes past
 * `maxBytes` are typed FormatErrors raised before anything large is inflated.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { readMat } from '../../src/node/mat.js';
import { colMajorU8, compressed, doubleArray, doubleArrayAsU8, element, header, logicalArray, MI, MX, matrix } from './mat-writer.js';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** A 3 × 4 logical array, row-major, no symmetry that would hide a transposition. */
const L = [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0];
/** A 2 × 3 double array, row-major. */
const D = [0.5, -2, 3.25, 1e-3, 7, -1e300];

/** Expects `f` to throw a FormatError whose message matches `re`. */
function formatError(f: () => unknown, re: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a FormatError matching ${re}`).toBeInstanceOf(FormatError);
  expect((caught as Error).message).toMatch(re);
}

describe('readMat', () => {
  it('reads compressed logical and double arrays, column-major in the file, row-major out', () => {
    const file = Buffer.concat([header(), logicalArray('Bdata', L, 3, 4), doubleArray('targets', D, 2, 3)]);
    const vars = readMat(u8(file));
    expect([...vars.keys()]).toEqual(['Bdata', 'targets']);
    const b = vars.get('Bdata');
    expect(b).toMatchObject({ name: 'Bdata', class: 'logical', rows: 3, cols: 4 });
    expect(b?.data).toBeInstanceOf(Uint8Array);
    expect([...(b?.data ?? [])]).toEqual(L);
    const t = vars.get('targets');
    expect(t).toMatchObject({ class: 'double', rows: 2, cols: 3 });
    expect(t?.data).toBeInstanceOf(Float64Array);
    expect([...(t?.data ?? [])]).toEqual(D);
  });

  it('reads plain (uncompressed) elements, short names in the small-element form, and doubles stored as miUINT8', () => {
    const plain = matrix({ name: 'x', cls: MX.UINT8, dims: [2, 3], type: MI.UINT8, values: colMajorU8([1, 2, 3, 4, 5, 250], 2, 3) });
    const file = Buffer.concat([header(), plain, doubleArrayAsU8('oh', [0, 1, 0, 1, 0, 0], 2, 3)]);
    const vars = readMat(u8(file));
    expect(vars.get('x')).toMatchObject({ class: 'uint8', rows: 2, cols: 3 });
    expect([...(vars.get('x')?.data ?? [])]).toEqual([1, 2, 3, 4, 5, 250]);
    expect(vars.get('oh')?.data).toEqual(new Float64Array([0, 1, 0, 1, 0, 0]));
  });

  it('reads a file written by SciPy (scipy.io.savemat, do_compression=True)', () => {
    // savemat(f, {'L': [[1,0,1,1,0],[0,0,1,0,1],[1,1,0,0,0]] as bool, 'dbl': [[0.5,-2],[3.25,1e-3],[7,-0.0]], 'u8': [[1,200],[35,7]] as uint8})
    const b64 =
      'TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFRodSBEZWMgIDMgMTI6MTE6MTggMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAALQAAAHic42NgYHAAYjYg5gBiTiYGMGCF8pmhbEYg9AHSIGl+KJ+BkRFMgTAAKKoA4w8AAABBAAAAeJzjY2BgSABiNiDmgNIgwArlMwMxExAzAlkpSTkMnEC2AQMMPLCH0FwOEFoGSjMc+LPy4yXfpACoPEMDABjCCa8PAAAAKAAAAHic42NgYDAAYjYg5gBiTgYIYIXymaCYEUiWWoDYLAyMyifYAR0EAhA=';
    const vars = readMat(u8(Buffer.from(b64, 'base64')));
    expect(vars.get('L')).toMatchObject({ class: 'logical', rows: 3, cols: 5 });
    expect([...(vars.get('L')?.data ?? [])]).toEqual([1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0]);
    expect(vars.get('dbl')).toMatchObject({ class: 'double', rows: 3, cols: 2 });
    expect([...(vars.get('dbl')?.data ?? [])]).toEqual([0.5, -2, 3.25, 1e-3, 7, -0]);
    expect(vars.get('u8')).toMatchObject({ class: 'uint8', rows: 2, cols: 2 });
    expect([...(vars.get('u8')?.data ?? [])]).toEqual([1, 200, 35, 7]);
  });

  it('a truncated file is a FormatError at every cut that is not between two elements', () => {
    const first = logicalArray('Bdata', L, 3, 4);
    const file = Buffer.concat([header(), first, doubleArray('targets', D, 2, 3)]);
    const boundaries = new Set([128, 128 + first.length]);
    for (let n = 0; n < file.length; n++) {
      if (boundaries.has(n)) {
        expect(readMat(u8(file.subarray(0, n))).size).toBe(n === 128 ? 0 : 1);
        continue;
      }
      expect(() => readMat(u8(file.subarray(0, n))), `cut at ${n}`).toThrow(FormatError);
    }
    formatError(() => readMat(u8(file.subarray(0, file.length - 3))), /truncated/);
    formatError(() => readMat(u8(file.subarray(0, 100))), /not a MAT-file \(100 bytes/);
  });

  it('refuses unsupported types and layouts with a FormatError naming them', () => {
    const h = header();
    const char = compressed(matrix({ name: 's', cls: MX.CHAR, dims: [1, 2], type: 4, values: Buffer.from([104, 0, 105, 0]) }));
    formatError(() => readMat(u8(Buffer.concat([h, char]))), /'?char arrays are not supported/);
    formatError(() => readMat(u8(Buffer.concat([h, element(MI.INT32, Buffer.alloc(8))]))), /expected miMATRIX \(14\) or miCOMPRESSED \(15\) \(got type 5\)/);
    const u8AsDouble = compressed(matrix({ name: 'u', cls: MX.UINT8, dims: [1, 1], type: MI.DOUBLE, values: Buffer.alloc(8) }));
    formatError(() => readMat(u8(Buffer.concat([h, u8AsDouble]))), /uint8 array must store miUINT8 values \(got miDOUBLE\)/);
    const threeD = compressed(matrix({ name: 'c', cls: MX.DOUBLE, dims: [1, 1, 1], type: MI.DOUBLE, values: Buffer.alloc(8) }));
    formatError(() => readMat(u8(Buffer.concat([h, threeD]))), /only two-dimensional arrays .* \(got 3 dimensions\)/);
    const wrongCount = compressed(matrix({ name: 'w', cls: MX.DOUBLE, dims: [2, 2], type: MI.DOUBLE, values: Buffer.alloc(24) }));
    formatError(() => readMat(u8(Buffer.concat([h, wrongCount]))), /2×2 miDOUBLE values need 32 bytes \(the element holds 24\)/);
    formatError(() => readMat(u8(Buffer.concat([h, logicalArray('b', [0, 2], 1, 2)]))), /logical array must hold 0 or 1 \(got 2 in row 0, column 1\)/);
    formatError(() => readMat(u8(Buffer.concat([h, logicalArray('b', [0], 1, 1), logicalArray('b', [1], 1, 1)]))), /a second array named 'b'/);
    const be = Buffer.from(h);
    be.write('MI', 126, 'latin1');
    formatError(() => readMat(u8(be)), /big-endian MAT-files are not supported/);
    const v73 = Buffer.from(h);
    v73.write('MATLAB 7.3 MAT-file', 0, 'latin1');
    formatError(() => readMat(u8(v73)), /not a level-5 MAT-file/);
    // a compressed element must hold an miMATRIX
    const notMatrix = element(MI.COMPRESSED, deflateSync(element(MI.DOUBLE, Buffer.alloc(8))), { pad: false });
    formatError(() => readMat(u8(Buffer.concat([h, notMatrix]))), /must hold an miMATRIX \(type 14; got type 9\)/);
    expect(() => readMat(Array.from(h) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => readMat(u8(h), { maxBytes: 0 })).toThrow(RangeError);
    expect(() => readMat(u8(h), { limit: 1 } as never)).toThrow(/limit/);
  });

  it('bounds decompression: a declared size past maxBytes is refused before inflating, and a stream longer than declared stops at the declared size', () => {
    const n = 2000;
    const big = logicalArray('big', new Uint8Array(n * n), n, n); // 4 MB of zeros in a few kB
    expect(big.length).toBeLessThan(10_000);
    const file = u8(Buffer.concat([header(), big]));
    // inflated element (≈ 4 MB) + the array returned (4 MB) must fit
    formatError(() => readMat(file, { maxBytes: 1_000_000 }), /element 0 \(offset 128\): inflating needs 4000056 bytes, more than the 1000000 left of maxBytes = 1000000/);
    formatError(() => readMat(file, { maxBytes: 5_000_000 }), /'big' needs 4000000 bytes, more than the 999944 left of maxBytes = 5000000/);
    expect(readMat(file, { maxBytes: 8_000_056 }).get('big')?.data.length).toBe(n * n);
    // an inner tag that declares 48 bytes but a stream that inflates to 4 MB: stopped at the declared size
    const inner = matrix({ name: 'big', cls: MX.UINT8, logical: true, dims: [n, n], type: MI.UINT8, values: Buffer.alloc(n * n) });
    const small = matrix({ name: 'x', cls: MX.UINT8, logical: true, dims: [1, 1], type: MI.UINT8, values: Buffer.alloc(1) });
    inner.writeUInt32LE(small.length - 8, 4);
    const lying = element(MI.COMPRESSED, deflateSync(inner), { pad: false });
    formatError(() => readMat(u8(Buffer.concat([header(), lying]))), new RegExp(`inflates to more than the ${small.length} bytes it declares`));
    // a compressed length past the end of the file
    const cut = Buffer.from(logicalArray('b', [1], 1, 1));
    cut.writeUInt32LE(1e9, 4);
    formatError(() => readMat(u8(Buffer.concat([header(), cut]))), /truncated \(the element declares 1000000000 bytes/);
  });
});
