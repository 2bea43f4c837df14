/**
 * The compact tensor form of model documents (issue #15): `{ shape, dtype: 'f64', base64 }`,
 * the base64 of the little-endian float64 bytes. Round trips are bit-exact (−0, subnormals,
 * ±max); the encoding is standard base64 (checked against Node's Buffer); the older
 * `{ shape, data: number[] }` form is still read; and more than 10 000 documents with a
 * damaged base64 tensor (bad characters, wrong length, padding, non-canonical bits,
 * non-finite values, absurd shapes, wrong dtype, both forms at once) each load or fail with
 * a typed error of ours — never an engine error, a crash or a large allocation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTensors, floatsFromJson, floatsToJson, type ModelDocument, readTensor, tensorToJson } from '../../src/document.js';
import { FormatError } from '../../src/errors.js';
import { loadModel } from '../../src/io/load-model.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const bitsOf = (x: Float64Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length * 2));
const docOf = (t: unknown): ModelDocument => ({ format: 'boltzmann', version: 1, kind: 'x', config: {}, tensors: { t } }) as ModelDocument;
const bytesOf = (x: Float64Array) => {
  const b = new Uint8Array(x.length * 8);
  const v = new DataView(b.buffer);
  for (let i = 0; i < x.length; i++) v.setFloat64(i * 8, x[i], true);
  return b;
};

describe('compact tensor encoding', () => {
  it('round-trips every finite float64 bit-exactly, and is the standard base64 of the little-endian bytes (property)', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 40 }), (values) => {
        const x = Float64Array.from(values);
        const j = tensorToJson({ shape: [x.length], data: x });
        expect(j.dtype).toBe('f64');
        expect(j.base64).toBe(Buffer.from(bytesOf(x)).toString('base64'));
        const back = readTensor(docOf(JSON.parse(JSON.stringify(j))), 't', [x.length]).data;
        expect(bitsOf(back)).toEqual(bitsOf(x));
        // the numbers form reads to the same bits in memory (JSON text turns −0 into 0, which base64 keeps)
        const nums = readTensor(docOf(tensorToJson({ shape: [x.length], data: x }, { encoding: 'numbers' })), 't').data;
        expect(bitsOf(nums)).toEqual(bitsOf(back));
      }),
      { numRuns: 500, seed: 15 },
    );
    const edge = Float64Array.of(-0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2.2250738585072014e-308, 0.1);
    expect(bitsOf(readTensor(docOf(tensorToJson({ shape: [7], data: edge })), 't').data)).toEqual(bitsOf(edge));
    expect(() => tensorToJson({ shape: [1], data: Float64Array.of(1) }, { encoding: 'hex' as never })).toThrow(TypeError);
  });

  it('every model saves the compact form by default, loads both forms to the same bits, and re-saves identical text', () => {
    const models = [
      new RBM(6, 3, { rng: 1, weightStd: 0.3 }),
      new GaussianRBM(4, 3, { rng: 2 }),
      new BoltzmannMachine(4, 2, { nLabels: 2, rng: 3 }),
      new DBN([6, 4, 3], { rng: 4 }),
      new DBM([6, 4, 3], { rng: 5 }),
    ];
    const hop = new HopfieldNetwork(5);
    hop.fit([[1, -1, 1, -1, 1]]);
    for (const m of [...models, hop]) {
      const doc = m.toDocument();
      const text = JSON.stringify(doc);
      for (const t of Object.values(doc.tensors)) expect(Object.keys(t).sort()).toEqual(['base64', 'dtype', 'shape']);
      expect(JSON.stringify(loadModel(text).toDocument())).toBe(text);
      expect(JSON.stringify(loadModel(JSON.stringify(expandTensors(doc))).toDocument())).toBe(text);
    }
  });

  it('state arrays: floatsToJson / floatsFromJson read both forms and check the length', () => {
    const x = Float64Array.of(-0, 1.5, -2e-310);
    const j = JSON.parse(JSON.stringify(floatsToJson(x)));
    expect(bitsOf(floatsFromJson('load', 'v', j, 3))).toEqual(bitsOf(x));
    expect(floatsFromJson('load', 'v', [1, 2, 3], 3)).toEqual(Float64Array.of(1, 2, 3));
    expect(() => floatsFromJson('load', 'v', [1, 2], 3)).toThrow(/load: tensor 'v' must have shape \[3\] \(got \[2\]\)/);
    expect(() => floatsFromJson('load', 'v', j, 4)).toThrow(FormatError);
    expect(() => floatsFromJson('load', 'v', [1, 'x', 3], 3)).toThrow(/entry 1 must be a finite number/);
    expect(() => floatsFromJson('load', 'v', null, 3)).toThrow(FormatError);
  });

  it('names what is wrong: length, character, padding, non-canonical bits, non-finite, dtype, both forms', () => {
    const good = tensorToJson({ shape: [2], data: Float64Array.of(1, 2) }); // 16 bytes → 24 characters, '==' padded
    const read = (t: unknown) => readTensor(docOf(t), 't', [2]);
    expect(read(good).data).toEqual(Float64Array.of(1, 2));
    expect(() => read({ ...good, base64: good.base64.slice(4) })).toThrow(/must have 24 characters for 2 float64 entries \(got 20\)/);
    expect(() => read({ ...good, base64: `*${good.base64.slice(1)}` })).toThrow(/invalid character "\*" at 0/);
    expect(() => read({ ...good, base64: `${good.base64.slice(0, 22)}A=` })).toThrow(/must end with ==/);
    expect(() => read({ ...good, base64: `${good.base64.slice(0, 21)}B==` })).toThrow(/not canonical/);
    const nan = Buffer.from(bytesOf(Float64Array.of(1, Number.NaN))).toString('base64');
    expect(() => read({ ...good, base64: nan })).toThrow(/entry 1 must be a finite number \(got NaN\)/);
    expect(() => read({ ...good, dtype: 'f32' })).toThrow(/dtype must be 'f64'/);
    expect(() => read({ ...good, base64: 7 })).toThrow(/base64 must be a string/);
    expect(() => read({ ...good, data: [1, 2] })).toThrow(/either data or base64, not both/);
    expect(() => read({ shape: [2] })).toThrow(/needs data/);
    // absurd sizes fail on the length check, before any allocation
    expect(() => readTensor(docOf({ shape: [2 ** 26, 2 ** 27], dtype: 'f64', base64: 'AAAA' }), 't')).toThrow(FormatError);
    expect(() => readTensor(docOf({ shape: [2 ** 40, 2 ** 40], dtype: 'f64', base64: '' }), 't')).toThrow(/too large/);
  });
});

/** Our typed errors; engine errors and crashes are not. */
function isOurs(e: unknown): boolean {
  if (e instanceof FormatError) return true;
  if (!(e instanceof RangeError || e instanceof TypeError)) return false;
  const m = e.message;
  if (/^(Invalid|Array buffer|Maximum call stack|Cannot |Reflect|Right-hand)/.test(m) || /is not (a function|iterable|an object)/.test(m)) return false;
  return /^[A-Za-z][\w.]*( [\w.-]+)?: /.test(m);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ODD = ['=', '-', '_', ' ', '\n', '.', 'é', '\u0000', '\u{1F600}', '%'];

/** One random mutation of one base64 tensor of `doc` (a deep copy). */
function mutateTensor(doc: Json, rng: Random): string {
  const copy = JSON.parse(JSON.stringify(doc)) as { tensors: Record<string, Record<string, Json>> };
  const names = Object.keys(copy.tensors);
  const t = copy.tensors[names[rng.int(names.length)] as string] as Record<string, Json>;
  const s = t.base64 as string;
  const at = rng.int(Math.max(1, s.length));
  switch (rng.int(12)) {
    case 0: // a character from the alphabet (valid base64, other numbers: may be non-finite or non-canonical)
      t.base64 = s.slice(0, at) + B64[rng.int(64)] + s.slice(at + 1);
      break;
    case 1: // a character outside the alphabet
      t.base64 = s.slice(0, at) + ODD[rng.int(ODD.length)] + s.slice(at + 1);
      break;
    case 2: // truncated or extended
      t.base64 = rng.int(2) === 0 ? s.slice(0, at) : s + 'AAAA='.slice(0, 1 + rng.int(5));
      break;
    case 3: // padding removed, doubled or moved
      t.base64 = rng.int(2) === 0 ? s.replaceAll('=', '') : `${s.slice(0, at)}=${s.slice(at)}`;
      break;
    case 4: // the last group's unused bits
      t.base64 = `${s.slice(0, -3)}${B64[rng.int(64)]}${s.slice(-2)}`;
      break;
    case 5: // an exponent field of all ones (Infinity / NaN) in some entry
      {
        const k = 8 * rng.int(Math.max(1, Math.floor((s.length * 3) / 32)));
        const bytes = Buffer.from(s, 'base64');
        if (k + 7 < bytes.length) {
          bytes[k + 7] = rng.int(2) === 0 ? 0x7f : 0xff;
          bytes[k + 6] = 0xf0 | rng.int(16);
        }
        t.base64 = bytes.toString('base64');
      }
      break;
    case 6: // dtype
      t.dtype = ['f32', 'F64', 'f64 ', null, 5, ['f64']][rng.int(6)] as Json;
      break;
    case 7: // shape: grown, shrunk, absurd
      t.shape = [[...(t.shape as number[]), 2], (t.shape as number[]).slice(1), [2 ** 31, 2 ** 31], [2 ** 26, 2 ** 27], [-1, 4], [1.5], 'big', [2 ** 53]][rng.int(8)] as Json;
      break;
    case 8: // both forms, or neither
      if (rng.int(2) === 0) t.data = [1, 2];
      else delete t.base64;
      break;
    case 9: // base64 of the wrong type
      t.base64 = [null, 7, ['AAAA'], { a: 1 }, true][rng.int(5)] as Json;
      break;
    case 10: // a tensor from another shape, re-encoded (valid base64, wrong size)
      t.base64 = Buffer.from(new Uint8Array(8 * (1 + rng.int(40)))).toString('base64');
      break;
    default: // valid base64 of random finite numbers (loads, unless the model refuses the values)
      {
        const n = Buffer.from(s, 'base64').length / 8;
        const x = Float64Array.from({ length: n }, () => (rng.float64() - 0.5) * 10 ** rng.int(6));
        t.base64 = Buffer.from(bytesOf(x)).toString('base64');
      }
  }
  return JSON.stringify(copy);
}

describe('fuzzing the compact tensor form', () => {
  it('≥ 10 000 documents with a damaged base64 tensor: loaded, or a typed error of ours', () => {
    const hop = new HopfieldNetwork(5);
    hop.fit([[1, -1, 1, -1, 1], [1, 1, -1, -1, 1]]);
    const docs: Record<string, Json> = JSON.parse(
      JSON.stringify({
        rbm: new RBM(6, 3, { rng: 2, weightStd: 0.3 }).toDocument(),
        'gaussian-rbm': new GaussianRBM(4, 3, { rng: 6 }).toDocument(),
        'boltzmann-machine': new BoltzmannMachine(4, 2, { nLabels: 2, rng: 5 }).toDocument(),
        hopfield: hop.toDocument(),
        dbn: new DBN([6, 4, 3], { rng: 7 }).toDocument(),
        dbm: new DBM([6, 4, 3], { rng: 8 }).toDocument(),
      }),
    );
    const rng = new Random(1515);
    const perKind = 1700;
    let cases = 0;
    let rejected = 0;
    let slowest = 0;
    const rssStart = process.memoryUsage().rss;
    let rssMax = rssStart;
    const failures: string[] = [];
    for (const [kind, doc] of Object.entries(docs)) {
      for (let i = 0; i < perKind; i++) {
        const text = mutateTensor(doc, rng);
        const t0 = performance.now();
        try {
          loadModel(text);
        } catch (e) {
          rejected++;
          if (!isOurs(e) && failures.length < 10) failures.push(`${kind}: ${(e as Error).name}: ${(e as Error).message}\n  ${text.slice(0, 300)}`);
        }
        slowest = Math.max(slowest, performance.now() - t0);
        cases++;
        if ((cases & 255) === 0) rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }
    }
    console.log(`tensor-encoding fuzz: ${cases} cases, ${rejected} rejected, slowest ${slowest.toFixed(1)} ms, RSS growth ${((rssMax - rssStart) / 2 ** 20).toFixed(0)} MiB`);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(10_000);
    expect(rejected).toBeGreaterThan(cases / 2);
    expect(rejected).toBeLessThan(cases); // some damaged documents are still valid (new finite values)
    expect(slowest).toBeLessThan(2000);
    expect(rssMax - rssStart).toBeLessThan(512 * 2 ** 20);
  });
});
