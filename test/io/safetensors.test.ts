import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { DOCUMENT_FORMAT, expandTensors, type ModelDocument, readTensor, type Tensor, tensorToJson } from '../../src/document.js';
import {
  decodeSafetensors,
  documentToSafetensors,
  encodeSafetensors,
  SAFETENSORS_MAX_HEADER_BYTES,
  safetensorsToDocument,
} from '../../src/io/safetensors.js';
import { loadSafetensors, saveSafetensors } from '../../src/node/safetensors.js';
import { matrix, rowsView } from '../../src/linalg/matrix.js';
import { RBM } from '../../src/models/rbm.js';
import { RBMTrainer } from '../../src/train/rbm-trainer.js';

// ---------- helpers ----------
const hexOf = (d: Float64Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && hexOf(a) === hexOf(b);

/** Builds a file from a header object (or raw header text) and a data buffer, without any checks. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  let text = typeof header === 'string' ? header : JSON.stringify(header);
  if (pad) text += ' '.repeat((8 - ((8 + text.length) % 8)) % 8);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** Any float64 bit pattern (NaN payloads included). */
const anyDouble = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([a, b]) => {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, a);
  v.setUint32(4, b);
  return v.getFloat64(0);
});
const tensorArb: fc.Arbitrary<Tensor> = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(anyDouble, { minLength: n, maxLength: n }).map((d) => ({ shape, data: Float64Array.from(d) }));
});
const nameArb = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !['__proto__', 'constructor', 'prototype', '__metadata__'].includes(s));
const tensorsArb = fc.dictionary(nameArb, tensorArb, { maxKeys: 5 });
const metaArb = fc.option(fc.dictionary(nameArb, fc.string({ maxLength: 10 }), { maxKeys: 3 }), { nil: undefined });

function findPython(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}
const PY = findPython();
if (!PY) console.warn('[test/io/safetensors] no python3 with numpy found: the Python interoperability tests are skipped');
const SCRIPT = resolve(__dirname, '../fixtures/safetensors_roundtrip.py');

// ---------- tests ----------
describe('encodeSafetensors / decodeSafetensors', () => {
  it('round-trips any float64 tensors bit-exactly (NaN payloads, -0, subnormals), with metadata, 8-byte aligned data', () => {
    fc.assert(
      fc.property(tensorsArb, metaArb, (tensors, meta) => {
        const bytes = encodeSafetensors(tensors, meta);
        const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        expect((8 + n) % 8).toBe(0);
        const back = decodeSafetensors(bytes);
        expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, t] of Object.entries(tensors)) {
          expect(back.tensors[name]?.shape).toEqual(t.shape);
          expect(sameBits(back.tensors[name]?.data as Float64Array, t.data)).toBe(true);
          expect(back.dtypes[name]).toBe('F64');
        }
        expect({ ...back.metadata }).toEqual(meta ?? {});
        // same tensors in another insertion order → same bytes
        const reversed = Object.fromEntries(Object.entries(tensors).reverse());
        expect(encodeSafetensors(reversed, meta)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('F32 output rounds to float32 and reads back as the float32 value', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 20 }), (vals) => {
        const data = Float64Array.from(vals);
        const back = decodeSafetensors(encodeSafetensors({ w: { shape: [vals.length], data } }, undefined, { dtype: 'F32' }));
        expect(back.dtypes.w).toBe('F32');
        expect(Array.from(back.tensors.w?.data as Float64Array)).toEqual(vals.map(Math.fround));
      }),
    );
  });

  it('reads other dtypes (F16, BF16, integers, BOOL) as float64 and rejects what float64 cannot hold', () => {
    const u16 = (vals: number[]) => new Uint8Array(Uint16Array.from(vals).buffer);
    const f = (dtype: string, shape: number[], data: Uint8Array) =>
      decodeSafetensors(rawFile({ x: { dtype, shape, data_offsets: [0, data.length] } }, data)).tensors.x?.data;
    expect(Array.from(f('F16', [4], u16([0x3c00, 0xc000, 0x0001, 0x7c00])) as Float64Array)).toEqual([1, -2, 2 ** -24, Number.POSITIVE_INFINITY]);
    expect(Array.from(f('BF16', [2], u16([0x3f80, 0xc0a0])) as Float64Array)).toEqual([1, -5]);
    expect(Array.from(f('I8', [2], Uint8Array.of(0xff, 3)) as Float64Array)).toEqual([-1, 3]);
    expect(Array.from(f('U16', [1], u16([65535])) as Float64Array)).toEqual([65535]);
    expect(Array.from(f('I64', [1], new Uint8Array(BigInt64Array.of(-(2n ** 53n)).buffer)) as Float64Array)).toEqual([-(2 ** 53)]);
    expect(() => f('U64', [1], new Uint8Array(BigUint64Array.of(2n ** 53n + 1n).buffer))).toThrow(/not exactly representable/);
    expect(Array.from(f('BOOL', [2], Uint8Array.of(1, 0)) as Float64Array)).toEqual([1, 0]);
    expect(() => f('BOOL', [1], Uint8Array.of(2))).toThrow(FormatError);
    expect(() => f('F8_E4M3', [1], Uint8Array.of(1))).toThrow(/not supported/);
    expect(() => f('Q4', [1], Uint8Array.of(1))).toThrow(/unknown/);
  });

  it('rejects every structural defect with a FormatError naming it', () => {
    const d16 = new Uint8Array(16);
    const ok = { a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } };
    expect(decodeSafetensors(rawFile(ok, d16)).tensors.a?.shape).toEqual([2]);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(7), /too short/],
      [(() => { const b = rawFile(ok, d16); new DataView(b.buffer).setUint32(0, 1000, true); return b; })(), /past the end/],
      [(() => { const b = rawFile(ok, d16); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), /exceeds the limit/],
      [(() => { const b = new Uint8Array(16); new DataView(b.buffer).setUint32(0, SAFETENSORS_MAX_HEADER_BYTES + 1, true); return b; })(), /exceeds the limit/],
      [rawFile(' {"a":1}'), /starting with '\{'/],
      [rawFile('{"a":'), /not valid JSON/],
      [rawFile('[1]'), /starting with '\{'/],
      [(() => { const b = rawFile('{"a":"\u00e9"}'); b[13] = 0xff; return b; })(), /UTF-8|JSON/],
      [rawFile('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}', d16), /duplicate key "a"/],
      [rawFile('{"a":{"dtype":"F64","dtype":"F32","shape":[2],"data_offsets":[0,16]}}', d16), /duplicate key "dtype"/],
      [rawFile('{"__metadata__":{"k":"1","k":"2"}}'), /duplicate key "k"/],
      [rawFile('{"__proto__":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}', d16), /not allowed/],
      [rawFile({ constructor: ok.a }, d16), /not allowed/],
      [rawFile('{"__metadata__":{"__proto__":"x"}}'), /not allowed/],
      [rawFile({ __metadata__: { k: 1 } }), /must be a string/],
      [rawFile({ __metadata__: [1] }), /object of strings/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16], extra: 1 } }, d16), /unknown field/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 24] } }, d16), /out of range/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [16, 0] } }, d16), /out of range/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [-8, 8] } }, d16), /non-negative integers/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 1e300] } }, d16), /non-negative integers/],
      [rawFile({ a: { dtype: 'F64', shape: [3], data_offsets: [0, 16] } }, new Uint8Array(32)), /needs 24 bytes, but data_offsets span 16/],
      [rawFile({ a: { dtype: 'F64', shape: [3], data_offsets: [0, 16] } }, d16), /needs more than 16 bytes/],
      [rawFile({ a: { dtype: 'F64', shape: [2 ** 31, 2 ** 31, 2 ** 31], data_offsets: [0, 16] } }, d16), /needs more than 16/],
      [rawFile({ a: { dtype: 'F64', shape: [-1], data_offsets: [0, 16] } }, d16), /non-negative/],
      [rawFile({ a: { dtype: 'F64', shape: [1.5], data_offsets: [0, 16] } }, d16), /non-negative/],
      [rawFile({ a: { dtype: 'F64', shape: '2', data_offsets: [0, 16] } }, d16), /shape must be an array/],
      [rawFile({ a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, d16), /cover 8 bytes of data, but the file holds 16/],
      [rawFile({ a: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } }, d16), /expected 0 \(gap\)/],
      [rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] }, b: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } }, d16), /overlap/],
      [rawFile({ a: 3 }), /must be an object/],
    ];
    for (const [bytes, re] of cases) {
      let err: unknown;
      try {
        decodeSafetensors(bytes);
      } catch (e) {
        err = e;
      }
      expect(err, String(re)).toBeInstanceOf(FormatError);
      expect((err as Error).message).toMatch(re);
    }
    expect(() => decodeSafetensors('x' as never)).toThrow(TypeError);
  });

  it('encode rejects bad input with typed errors; decoded objects have no prototype', () => {
    const t = { shape: [1], data: Float64Array.of(1) };
    expect(() => encodeSafetensors({ a: { shape: [2], data: Float64Array.of(1) } })).toThrow(RangeError);
    expect(() => encodeSafetensors({ a: { shape: [-1], data: new Float64Array(0) } })).toThrow(RangeError);
    expect(() => encodeSafetensors({ a: { shape: [1], data: [1] } as never })).toThrow(TypeError);
    expect(() => encodeSafetensors(JSON.parse('{"__proto__":{"shape":[1],"data":1}}'))).toThrow(FormatError);
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow(FormatError);
    expect(() => encodeSafetensors({ '': t })).toThrow(FormatError);
    expect(() => encodeSafetensors({ a: t }, { k: 1 as never })).toThrow(TypeError);
    expect(() => encodeSafetensors({ a: t }, undefined, { dtype: 'F16' as never })).toThrow(RangeError);
    const back = decodeSafetensors(encodeSafetensors(new Map([['toString', t]])));
    expect(Object.getPrototypeOf(back.tensors)).toBe(null);
    expect(Object.getPrototypeOf(back.metadata)).toBe(null);
    expect(back.tensors['toString' as string]?.data).toEqual(Float64Array.of(1));
  });

  it('fuzz: 10 000 malformed files (truncated, bit-flipped, header-mutated, random) give only typed errors', () => {
    const seeds = fc.sample(fc.tuple(tensorsArb, metaArb), { numRuns: 40, seed: 3 }).map(([t, m]) => encodeSafetensors(t, m));
    const headerEdits: ((h: Record<string, unknown>) => void)[] = [
      (h) => { for (const k of Object.keys(h)) if (k !== '__metadata__') (h[k] as { data_offsets: number[] }).data_offsets = [0, 2 ** 40]; },
      (h) => { for (const k of Object.keys(h)) if (k !== '__metadata__') (h[k] as { shape: number[] }).shape = [2 ** 31, 2 ** 31]; },
      (h) => { for (const k of Object.keys(h)) if (k !== '__metadata__') (h[k] as { dtype: string }).dtype = 'F32'; },
      (h) => { h.__proto__x = { dtype: 'F64', shape: [0], data_offsets: [0, 0] }; },
      (h) => { h['constructor' as string] = { dtype: 'F64', shape: [0], data_offsets: [0, 0] }; },
      (h) => { h.__metadata__ = { n: 5 }; },
      (h) => { for (const k of Object.keys(h)) delete h[k]; },
    ];
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([b, k]) => b.subarray(0, k % (b.length + 1))),
      fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([b, k, v, inHeader]) => {
        const c = b.slice();
        const n = new DataView(c.buffer).getUint32(0, true);
        c[inHeader ? k % Math.min(c.length, 8 + n) : k % c.length] = v;
        return c;
      }),
      fc.tuple(fc.constantFrom(...seeds), fc.constantFrom(...headerEdits)).map(([b, edit]) => {
        const n = new DataView(b.buffer).getUint32(0, true);
        const h = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
        edit(h);
        return rawFile(h, b.subarray(8 + n));
      }),
      fc.tuple(fc.constantFrom(...seeds), fc.string({ maxLength: 20 }), fc.nat()).map(([b, s, k]) => {
        const n = new DataView(b.buffer).getUint32(0, true);
        const text = new TextDecoder().decode(b.subarray(8, 8 + n));
        const i = k % (text.length + 1);
        return rawFile(text.slice(0, i) + s + text.slice(i), b.subarray(8 + n), false);
      }),
    );
    let parsed = 0;
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          const f = decodeSafetensors(bytes);
          parsed++;
          for (const t of Object.values(f.tensors)) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
        } catch (e) {
          if (!(e instanceof FormatError || e instanceof RangeError || e instanceof TypeError)) throw e;
        }
      }),
      { numRuns: 10_000, seed: 99 },
    );
    expect(parsed).toBeGreaterThan(0); // some mutations are still valid files
  });
});

describe('model documents as safetensors', () => {
  it('document → safetensors → document is the identity (tensors bit-exact, config and state kept)', () => {
    const doc: ModelDocument = {
      format: DOCUMENT_FORMAT,
      version: 1,
      kind: 'rbm',
      config: { nVisible: 3, nHidden: 2, learningRate: 0.1 },
      tensors: {
        weights: tensorToJson({ shape: [3, 2], data: Float64Array.of(0.1, -0.2, 1e-300, 5, -0, 7) }),
        visibleBias: tensorToJson({ shape: [3], data: Float64Array.of(1, 2, 3) }),
      },
      state: { epoch: 4, rng: { algorithm: 'xoroshiro128+', words: [1, 2, 3, 4], spareNormal: null } },
    };
    const back = safetensorsToDocument(documentToSafetensors(doc));
    expect(back).toEqual(doc);
    expect(Object.is(readTensor(back, 'weights').data[4], -0)).toBe(true);
    expect(documentToSafetensors(back)).toEqual(documentToSafetensors(doc));
    // the older JSON-numbers form writes the same file
    const numbers = expandTensors(doc);
    expect(numbers.tensors.weights?.data).toEqual([0.1, -0.2, 1e-300, 5, -0, 7]);
    expect(documentToSafetensors(numbers)).toEqual(documentToSafetensors(doc));
    // a foreign file needs kind and config
    const foreign = encodeSafetensors({ weights: { shape: [1], data: Float64Array.of(2) } });
    expect(() => safetensorsToDocument(foreign)).toThrow(/boltzmann.kind/);
    expect(safetensorsToDocument(foreign, { kind: 'rbm', config: { nVisible: 1 } }).config).toEqual({ nVisible: 1 });
    expect(() => safetensorsToDocument(encodeSafetensors({}, { 'boltzmann.kind': 'rbm', 'boltzmann.config': '{' }))).toThrow(FormatError);
  });

  it('training state: long arrays become state/… tensors, the metadata stays small, and the document comes back equal (issue #15)', () => {
    const rbm = new RBM(784, 100, { rng: 1 });
    const data = matrix(20, 784, Float64Array.from({ length: 20 * 784 }, (_, i) => ((i * 7919) % 13 < 5 ? 1 : 0)));
    const trainer = new RBMTrainer(rbm, { method: 'pcd', nChains: 10, batchSize: 10, momentum: 0.5, rng: 2 });
    trainer.fit(data, { epochs: 1 });
    const doc = JSON.parse(JSON.stringify(trainer.toDocument())) as ModelDocument;
    const bytes = documentToSafetensors(doc);
    const f = decodeSafetensors(bytes);
    const meta = f.metadata['boltzmann.state'] ?? '';
    expect(meta.length).toBeLessThan(4096); // was about 1.9 MB of JSON numbers for this trainer
    expect(Object.keys(f.tensors).filter((k) => k.startsWith('state/')).sort()).toEqual([
      'state/training/chains',
      'state/training/hiddenChains',
      'state/training/velocity/0',
      'state/training/velocity/1',
      'state/training/velocity/2',
    ]);
    const back = safetensorsToDocument(bytes);
    expect(back).toEqual(doc);
    // resuming from the file continues bit for bit
    const a = RBMTrainer.fromDocument(doc, RBM.fromDocument), b = RBMTrainer.fromDocument(back, RBM.fromDocument);
    a.step(rowsView(data, 0, 10));
    b.step(rowsView(data, 0, 10));
    expect(b.model.parameterArrays()).toEqual(a.model.parameterArrays());
    // compact tensors inside the state (the form trainers can write with tensorToJson) go to tensors too
    const compactState = { ...doc, state: { training: { velocity: [tensorToJson({ shape: [2, 40], data: Float64Array.from({ length: 80 }, (_, i) => i / 7 - 3) })], epoch: 3 } } };
    const cf = decodeSafetensors(documentToSafetensors(compactState));
    expect(cf.tensors['state/training/velocity/0']?.shape).toEqual([2, 40]);
    expect((cf.metadata['boltzmann.state'] ?? '').length).toBeLessThan(200);
    expect(safetensorsToDocument(documentToSafetensors(compactState))).toEqual(compactState);
    // { state: 'omit' }: parameters only
    const lean = decodeSafetensors(documentToSafetensors(doc, { state: 'omit' }));
    expect(lean.metadata['boltzmann.state']).toBeUndefined();
    expect(Object.keys(lean.tensors).sort()).toEqual(['hiddenBias', 'visibleBias', 'weights']);
    expect(() => documentToSafetensors(doc, { state: 'json' } as never)).toThrow(TypeError);
    expect(() => documentToSafetensors(doc, { stat: 'omit' } as never)).toThrow(/unknown option 'stat'/);
    // broken references are FormatErrors
    const ref = (r: unknown) => encodeSafetensors({ 'state/x': { shape: [2], data: Float64Array.of(1, 2) } }, { 'boltzmann.kind': 'rbm', 'boltzmann.state': JSON.stringify({ v: r }) });
    expect(safetensorsToDocument(ref({ $tensor: 'state/x' })).state).toEqual({ v: [1, 2] });
    expect(safetensorsToDocument(ref({ $tensor: 'state/x', $base64: true })).state).toEqual({ v: tensorToJson({ shape: [2], data: Float64Array.of(1, 2) }) });
    for (const bad of [{ $tensor: 'state/y' }, { $tensor: 'weights' }, { $tensor: 3 }, { $tensor: 'state/x', extra: 1 }, { $tensor: 'state/x', $base64: 1 }]) {
      expect(() => safetensorsToDocument(ref(bad))).toThrow(FormatError);
    }
  });

  it('saveSafetensors / loadSafetensors write and read files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-st-'));
    try {
      const p = join(dir, 'm.safetensors');
      saveSafetensors(p, { w: { shape: [2], data: Float64Array.of(1, 2) } }, { a: 'b' });
      expect(loadSafetensors(p).tensors.w?.data).toEqual(Float64Array.of(1, 2));
      expect(() => saveSafetensors('', {})).toThrow(TypeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!PY)('interoperability with an independent numpy reader/writer', () => {
  it('Python reads our files bit-exactly, and we read its re-written copy bit-exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-st-py-'));
    try {
      const samples = fc.sample(fc.tuple(tensorsArb, metaArb), { numRuns: 3, seed: 5 });
      samples.push([{ W: { shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) * 1e-3) }, c: { shape: [], data: Float64Array.of(Math.PI) } }, { kind: 'rbm' }]);
      for (const [k, [tensors, meta]] of samples.entries()) {
        const a = join(dir, `a${k}.safetensors`);
        const b = join(dir, `b${k}.safetensors`);
        writeFileSync(a, encodeSafetensors(tensors, meta));
        const r = spawnSync(PY as string, [SCRIPT, 'copy', a, b], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        const summary = JSON.parse(r.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; hex: string }> };
        expect(summary.metadata).toEqual(meta ?? {});
        expect(Object.keys(summary.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, t] of Object.entries(tensors)) {
          const s = summary.tensors[name];
          expect(s?.dtype).toBe('F64');
          expect(s?.shape).toEqual(t.shape);
          expect(s?.hex).toBe(hexOf(t.data)); // Python saw exactly our bits
        }
        const back = decodeSafetensors(new Uint8Array(readFileSync(b)));
        for (const [name, t] of Object.entries(tensors)) expect(sameBits(back.tensors[name]?.data as Float64Array, t.data)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file that Python wrote (F64, F32, F16, I64, BOOL, empty, scalar) as Python widens it to float64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-st-py-'));
    try {
      const p = join(dir, 'py.safetensors');
      const r = spawnSync(PY as string, [SCRIPT, 'write', p], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; f64hex: string }> };
      const f = decodeSafetensors(new Uint8Array(readFileSync(p)));
      expect({ ...f.metadata }).toEqual(summary.metadata);
      expect(Object.keys(f.tensors).sort()).toEqual(Object.keys(summary.tensors).sort());
      for (const [name, s] of Object.entries(summary.tensors)) {
        expect(f.dtypes[name]).toBe(s.dtype);
        expect(f.tensors[name]?.shape).toEqual(s.shape);
        expect(hexOf(f.tensors[name]?.data as Float64Array)).toBe(s.f64hex);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
