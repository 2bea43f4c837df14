/**
 * The stricter pass rule (issue #15) on the loaders whose own fuzzers live in files shared with
 * other work: safetensors bytes (`decodeSafetensors`, `safetensorsToDocument`) and gzip through
 * the Node IDX loader with `limit` and `maxBytes` (the streaming path). Only the library's own
 * typed errors with its `where: …` message pass; an engine error (a RangeError or TypeError
 * from V8) fails the property.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/io/idx.js';
import { decodeSafetensors, encodeSafetensors, safetensorsToDocument } from '../../src/io/safetensors.js';
import { loadIdx } from '../../src/node/data.js';
import { expectLibraryError } from './library-error.js';

describe('loader fuzzers with the stricter pass rule', () => {
  it('safetensors: 10 000 truncated, bit-flipped, header-edited and random files give only library errors', () => {
    const seeds = [
      encodeSafetensors({ w: { shape: [3, 2], data: Float64Array.of(1, 2, 3, 4, 5, 6) }, b: { shape: [2], data: Float64Array.of(-1, 0.5) } }, { kind: 'rbm' }),
      encodeSafetensors({ x: { shape: [0], data: new Float64Array(0) } }),
      encodeSafetensors({ a: { shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) } }, { n: '5' }, { dtype: 'F32' }),
    ];
    const header = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);
    const withHeader = (text: string, body: Uint8Array) => {
      const h = new TextEncoder().encode(text);
      const out = new Uint8Array(8 + h.length + body.length);
      new DataView(out.buffer).setUint32(0, h.length, true);
      out.set(h, 8);
      out.set(body, 8 + h.length);
      return out;
    };
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([b, k]) => b.slice(0, k % (b.length + 1))),
      fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, k, v]) => {
        const c = b.slice();
        c[k % c.length] = v;
        return c;
      }),
      fc.tuple(fc.constantFrom(...seeds), fc.string({ maxLength: 12 }), fc.nat(), fc.nat({ max: 6 })).map(([b, s, k, cut]) => {
        const n = header(b);
        const text = new TextDecoder().decode(b.subarray(8, 8 + n));
        const i = k % (text.length + 1);
        return withHeader(text.slice(0, i) + s + text.slice(i + cut), b.subarray(8 + n));
      }),
      fc
        .tuple(fc.constantFrom('F64', 'F32', 'F16', 'I64', 'x'), fc.array(fc.constantFrom(0, 1, 3, 2 ** 31, 2 ** 53, -1, 1.5), { maxLength: 3 }), fc.nat(), fc.nat())
        .map(([dtype, shape, a, b]) => withHeader(JSON.stringify({ t: { dtype, shape, data_offsets: [a % 64, b % 64] } }), new Uint8Array(32))),
    );
    let cases = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutated, (bytes) => {
        cases++;
        try {
          const f = decodeSafetensors(bytes);
          for (const t of Object.values(f.tensors)) expect(t.data.length).toBe(t.shape.reduce((x, y) => x * y, 1));
          safetensorsToDocument(bytes, { kind: 'rbm', config: {} });
        } catch (e) {
          expectLibraryError(e);
          rejected++;
        }
      }),
      { numRuns: 10_000, seed: 15 },
    );
    console.log(`safetensors fuzz (library errors only): ${cases} cases, ${rejected} rejected with a typed error`);
    expect(cases).toBe(10_000);
  });

  it('loadIdx streaming path: 600 corrupted .gz files with limit / maxBytes give only library errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-fuzz-gz-'));
    try {
      const good = new Uint8Array(gzipSync(encodeIdx({ type: 'uint8', dims: [40, 3, 3], data: Array.from({ length: 360 }, (_, i) => (i * 37) % 256) })));
      const path = join(dir, 'x.gz');
      const inputs = fc.sample(
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), fc.option(fc.nat({ max: 50 })), fc.option(fc.nat({ max: 400 }))),
        { numRuns: 600, seed: 16 },
      );
      let rejected = 0;
      for (const [k, v, cut, limit, maxBytes] of inputs) {
        const b = good.slice(0, Math.max(2, cut % (good.length + 1)));
        b[k % b.length] = v;
        b[0] = 0x1f;
        b[1] = 0x8b;
        writeFileSync(path, b);
        const options: { limit?: number; maxBytes?: number } = {};
        if (limit !== null) options.limit = limit;
        if (maxBytes !== null) options.maxBytes = maxBytes;
        try {
          const idx = loadIdx(path, options);
          expect(idx.data.length).toBe(idx.dims.reduce((x, y) => x * y, 1));
        } catch (e) {
          expectLibraryError(e);
          rejected++;
        }
      }
      console.log(`loadIdx streaming fuzz (library errors only): ${inputs.length} cases, ${rejected} rejected with a typed error`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
