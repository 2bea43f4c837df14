import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError } from '../../src/errors.js';
import { expectLibraryError } from '../reliability/library-error.js';
import { encodeIdx, gunzip, IDX_TYPE_CODES, type IdxType, idxToMatrix, isGzip, parseIdx, readIdx } from '../../src/io/idx.js';

const TYPES = Object.keys(IDX_TYPE_CODES) as IdxType[];
const ELEM: Record<IdxType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** A random IDX array: type, 1..4 small dims, values representable in the type. */
const idxArb = fc
  .record({ type: fc.constantFrom(...TYPES), dims: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }) })
  .chain(({ type, dims }) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const value =
      type === 'uint8'
        ? fc.integer({ min: 0, max: 255 })
        : type === 'int8'
          ? fc.integer({ min: -128, max: 127 })
          : type === 'int16'
            ? fc.integer({ min: -32768, max: 32767 })
            : type === 'int32'
              ? fc.integer({ min: -2147483648, max: 2147483647 })
              : type === 'float32'
                ? fc.float({ noNaN: true }).map(Math.fround)
                : fc.double({ noNaN: true });
    return fc.record({ type: fc.constant(type), dims: fc.constant(dims), data: fc.array(value, { minLength: n, maxLength: n }) });
  });

/** Only the library's own typed errors (message `where: …`) are acceptable from a loader given hostile bytes. */
function expectTypedOrOk(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    expectLibraryError(e);
    return true;
  }
}

describe('parseIdx / encodeIdx', () => {
  it('round-trips every type and shape bit-exactly', () => {
    fc.assert(
      fc.property(idxArb, ({ type, dims, data }) => {
        const bytes = encodeIdx({ type, dims, data });
        const n = data.length;
        expect(bytes.length).toBe(4 + 4 * dims.length + ELEM[type] * n);
        expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, IDX_TYPE_CODES[type], dims.length]);
        const idx = parseIdx(bytes);
        expect(idx.type).toBe(type);
        expect(idx.dims).toEqual(dims);
        expect(idx.data.length).toBe(n);
        for (let i = 0; i < n; i++) expect(Object.is(idx.data[i], data[i])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads big-endian headers and data as the format specifies', () => {
    // int16 [2] = [258, -2]
    const idx = parseIdx(Uint8Array.of(0, 0, 0x0b, 1, 0, 0, 0, 2, 1, 2, 0xff, 0xfe));
    expect(Array.from(idx.data)).toEqual([258, -2]);
    const m = idxToMatrix(parseIdx(encodeIdx({ type: 'uint8', dims: [2, 2, 3], data: [0, 255, 51, 1, 2, 3, 4, 5, 6, 7, 8, 9] })), {
      scale: 1 / 255,
    });
    expect([m.rows, m.cols]).toEqual([2, 6]);
    expect(m.data[1]).toBe(1);
    expect(idxToMatrix(parseIdx(encodeIdx({ type: 'uint8', dims: [3, 1], data: [1, 2, 3] })), { limit: 2 }).data).toEqual(
      Float64Array.of(1, 2),
    );
  });

  it('rejects hostile headers before allocating: wrong magic, absurd and overflowing dims, size mismatch', () => {
    const header = (code: number, dims: number[]) => {
      const b = new Uint8Array(4 + 4 * dims.length);
      b[2] = code;
      b[3] = dims.length;
      const v = new DataView(b.buffer);
      for (const [k, d] of dims.entries()) v.setUint32(4 + 4 * k, d);
      return b;
    };
    expect(() => parseIdx(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0))).toThrow(/magic/);
    expect(() => parseIdx(Uint8Array.of(0x1f, 0x8b, 8, 1))).toThrow(/gzip/);
    expect(() => parseIdx(Uint8Array.of(0, 0, 7, 1, 0, 0, 0, 0))).toThrow(/type code 0x07/);
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 0))).toThrow(/dimensions/);
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 17))).toThrow(/dimensions/);
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 1))).toThrow(/too short/);
    expect(() => parseIdx(header(8, [2 ** 31, 28, 28]))).toThrow(FormatError);
    expect(() => parseIdx(header(0x0e, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]))).toThrow(/more than 2\^53/);
    // product that wraps to a small number in 32-bit arithmetic: 2^16 · 2^16 = 2^32 ≡ 0
    expect(() => parseIdx(header(8, [65536, 65536]))).toThrow(FormatError);
    // zero dimension after a huge one: valid, empty
    expect(parseIdx(header(8, [0xffffffff, 0])).data.length).toBe(0);
    // one byte short, one byte too many
    const ok = encodeIdx({ type: 'int32', dims: [2, 2], data: [1, 2, 3, 4] });
    expect(() => parseIdx(ok.subarray(0, ok.length - 1))).toThrow(/need 16 data bytes, but the file has 15/);
    const extra = new Uint8Array(ok.length + 1);
    extra.set(ok);
    expect(() => parseIdx(extra)).toThrow(FormatError);
    expect(() => parseIdx([0, 0, 8, 1] as never)).toThrow(TypeError);
  });

  it('encodeIdx validates its input', () => {
    expect(() => encodeIdx({ type: 'uint8', dims: [2], data: [1, 256] })).toThrow(RangeError);
    expect(() => encodeIdx({ type: 'int8', dims: [1], data: [0.5] })).toThrow(RangeError);
    expect(() => encodeIdx({ type: 'uint8', dims: [3], data: [1, 2] })).toThrow(ShapeError);
    expect(() => encodeIdx({ type: 'u8' as never, dims: [1], data: [1] })).toThrow(RangeError);
    expect(() => encodeIdx({ type: 'uint8', dims: [], data: [] })).toThrow(RangeError);
    expect(() => encodeIdx({ type: 'uint8', dims: [-1], data: [] })).toThrow(RangeError);
  });

  it('fuzz: 10 000 truncated, bit-flipped, random and header-mutated inputs give only typed errors', () => {
    const valid = fc.sample(idxArb, { numRuns: 50, seed: 7 }).map((a) => encodeIdx(a));
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([b, k]) => b.subarray(0, k % (b.length + 1))),
      fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, k, v]) => {
        const c = b.slice();
        if (c.length > 0) c[k % Math.min(c.length, 24)] = v; // mostly header bytes
        return c;
      }),
      fc
        .tuple(fc.constantFrom(8, 9, 0xb, 0xc, 0xd, 0xe, 0, 0xff), fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 6 }), fc.uint8Array({ maxLength: 32 }))
        .map(([code, dims, body]) => {
          const b = new Uint8Array(4 + 4 * dims.length + body.length);
          b[2] = code;
          b[3] = dims.length;
          const v = new DataView(b.buffer);
          for (const [k, d] of dims.entries()) v.setUint32(4 + 4 * k, d);
          b.set(body, 4 + 4 * dims.length);
          return b;
        }),
    );
    let cases = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutated, (bytes) => {
        cases++;
        rejected += +expectTypedOrOk(() => {
          const idx = parseIdx(bytes);
          // whatever parses must be self-consistent
          expect(idx.data.length).toBe(idx.dims.reduce((a, b) => a * b, 1));
        });
      }),
      { numRuns: 10_000, seed: 20261126 },
    );
    console.log(`parseIdx fuzz (library errors only): ${cases} cases, ${rejected} rejected with a typed error, ${cases - rejected} parsed`);
    expect(cases).toBe(10_000);
  });
});

describe('gunzip / readIdx', () => {
  it('decompresses gzip and parses .gz IDX the same as raw', async () => {
    const raw = encodeIdx({ type: 'uint8', dims: [3, 2], data: [1, 2, 3, 4, 5, 6] });
    const gz = new Uint8Array(gzipSync(raw));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(await gunzip(gz)).toEqual(raw);
    expect(await readIdx(gz)).toEqual(parseIdx(raw));
    expect(await readIdx(raw)).toEqual(parseIdx(raw));
  });

  it('rejects corrupt, truncated and oversized gzip with FormatError', async () => {
    const gz = new Uint8Array(gzipSync(new Uint8Array(5000).fill(7)));
    await expect(gunzip(gz.subarray(0, gz.length - 4))).rejects.toThrow(FormatError);
    await expect(gunzip(gz.subarray(0, 12))).rejects.toThrow(FormatError);
    await expect(gunzip(Uint8Array.of(1, 2, 3))).rejects.toThrow(/not gzip/);
    await expect(gunzip(gz, { maxBytes: 100 })).rejects.toThrow(/maxBytes/);
    await expect(gunzip('x' as never)).rejects.toThrow(TypeError);
    const flipped = gz.slice();
    flipped[gz.length - 6] ^= 0xff; // CRC byte
    await expect(gunzip(flipped)).rejects.toThrow(FormatError);
  });

  it('fuzz: 300 mutated gzip streams give only typed errors', async () => {
    const gz = new Uint8Array(gzipSync(encodeIdx({ type: 'uint8', dims: [50, 4], data: new Array(200).fill(3) })));
    const inputs = fc.sample(
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([k, v, cut]) => {
        const c = gz.slice(0, Math.max(2, cut % (gz.length + 1)));
        c[k % c.length] = v;
        c[0] = 0x1f;
        c[1] = 0x8b;
        return c;
      }),
      { numRuns: 300, seed: 11 },
    );
    let rejected = 0;
    for (const b of inputs) {
      try {
        await readIdx(b);
      } catch (e) {
        expectLibraryError(e);
        rejected++;
      }
    }
    console.log(`readIdx gzip fuzz (library errors only): ${inputs.length} cases, ${rejected} rejected with a typed error`);
  });
});
