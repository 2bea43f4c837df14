/**
 * The command line checks before it works and names the file it refuses:
 * `sample` checks `--out` and `--shape` before drawing; model and data files
 * above the loaders' `maxBytes` are refused from their size (a sparse file,
 * no disk used) with a FormatError naming the file, never Node's own
 * RangeError; a model or CSV problem names the file; an IDX file of zero
 * columns is refused at load.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { encodeIdx } from '../../src/io/idx.js';
import { createRegistry, MODEL_REGISTRY, type ModelKind } from '../../src/io/registry.js';
import { loadCliData } from '../../src/node/cli/data.js';
import { loadModelFile, readDocument } from '../../src/node/cli/files.js';
import { loadDigits } from '../../src/node/data.js';
import { loadSafetensors, saveSafetensors } from '../../src/node/safetensors.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'boltzmann-cli-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], registry = MODEL_REGISTRY) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: {}, registry });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** 30 rows of 16 bits (4×4 pictures). */
function writeCsvData(name: string): string {
  const p = join(dir, name);
  const lines: string[] = [];
  for (let r = 0; r < 30; r++) lines.push(Array.from({ length: 16 }, (_, i) => ((r + i) % 3 === 0 ? 1 : 0)).join(','));
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}
const data = writeCsvData('rows.csv');

/** A model file of `kind` trained on {@link data}. */
async function trained(name: string): Promise<string> {
  const out = join(dir, name);
  const r = await cli(['train', 'rbm', '--data', data, '--hidden', '4', '--epochs', '1', '--batch-size', '10', '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

describe('sample checks --out and --shape before it samples', () => {
  it('a missing folder, an input, a foreign file and a --shape that does not fit fail before a single draw', async () => {
    const model = await trained('m.json');
    let draws = 0;
    const rbm = MODEL_REGISTRY.get('rbm') as ModelKind;
    const drawRows = rbm.sample as NonNullable<ModelKind['sample']>;
    const countingSample: ModelKind['sample'] = (...a) => {
      draws++;
      return drawRows.call(rbm, ...a);
    };
    const counting = createRegistry(MODEL_REGISTRY.kinds.map((k) => (k === rbm ? { ...rbm, sample: countingSample } : k)));
    const foreign = join(dir, 'notes.json');
    writeFileSync(foreign, '{"mine": true}');
    const cases: [string[], RegExp, number][] = [
      [['--out', join(dir, 'missing', 's.json')], /--out .*s\.json: the folder .*missing does not exist/, 1],
      [['--out', model], /is an input of this command/, 2],
      [['--out', foreign], /was not written by boltzmann; refusing to overwrite it/, 2],
      [['--shape', '3x5'], /--shape must be HxW with H·W = 16/, 2],
      [['--shape', '3x5', '--out', join(dir, 's.png')], /--shape must be HxW with H·W = 16/, 2],
    ];
    for (const [extra, message, code] of cases) {
      const r = await cli(['sample', model, '--n', '2', '--steps', '3', ...extra], counting);
      expect(r.code, extra.join(' ')).toBe(code);
      expect(r.stderr, extra.join(' ')).toMatch(message);
    }
    expect(draws).toBe(0);
    const ok = await cli(['sample', model, '--n', '2', '--steps', '3', '--out', join(dir, 's.json')], counting);
    expect(ok.code, ok.stderr).toBe(0);
    expect(draws).toBe(1);
  });
});

describe('files larger than maxBytes are refused from their size, naming the file', () => {
  /** A sparse file of `bytes` bytes (no disk used): `head` is written at its start. */
  const sparse = (name: string, bytes: number, head = ''): string => {
    const p = join(dir, name);
    writeFileSync(p, head);
    truncateSync(p, bytes);
    return p;
  };

  it('a 3 GiB CSV (plain or .csv.gz) is a FormatError naming the file and maxBytes, not Node\u2019s "greater than 2 GiB"', async () => {
    for (const name of ['big.csv', 'big.csv.gz']) {
      const p = sparse(name, 3 * 2 ** 30, '0,1\n');
      const r = await cli(['train', 'rbm', '--data', p, '--hidden', '2', '--out', join(dir, 'never.json')]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe(`boltzmann: error: ${p} is ${3 * 2 ** 30} bytes, more than maxBytes = ${2 ** 30} for a CSV file; refused before reading\n`);
    }
  });

  it('a 3 GiB model file (JSON or safetensors) and a 600 MB JSON one are refused before reading', async () => {
    for (const [name, bytes, limit] of [
      ['big.json', 3 * 2 ** 30, `maxBytes = ${2 ** 30}`],
      ['big.safetensors', 3 * 2 ** 30, `maxBytes = ${2 ** 30}`],
      ['long.json', 600 * 2 ** 20, `the engine's string limit = ${2 ** 29 - 24}`],
    ] as const) {
      const p = sparse(name, bytes, '{"format":"boltzmann",');
      for (const cmd of ['info', 'sample']) {
        const r = await cli([cmd, p]);
        expect(r.code, `${cmd} ${name}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toBe(`boltzmann: error: ${p} is ${bytes} bytes, more than ${limit} for a model file; refused before reading\n`);
      }
    }
  });

  it('the limit is an option of the loaders: readDocument and loadCliData take maxBytes', () => {
    const p = join(dir, 'small.csv');
    writeFileSync(p, '0,1\n1,0\n');
    expect(() => loadCliData(p, { dataDir: dir, maxBytes: 4 })).toThrow(FormatError);
    expect(() => loadCliData(p, { dataDir: dir, maxBytes: 4 })).toThrow(`${p} is 8 bytes, more than maxBytes = 4 for a CSV file`);
    expect(loadCliData(p, { dataDir: dir, maxBytes: 8 }).matrix.rows).toBe(2);
    const gz = join(dir, 'small.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from('0,1\n'.repeat(100))));
    expect(() => loadCliData(gz, { dataDir: dir, maxBytes: 100 })).toThrow(`${gz}: gunzip: decompressed size exceeds maxBytes = 100`);
    const m = join(dir, 'tiny.json');
    writeFileSync(m, '{"format":"boltzmann","kind":"rbm"}');
    expect(() => readDocument(m, { maxBytes: 10 })).toThrow(FormatError);
    expect(readDocument(m, { maxBytes: 100 }).kind).toBe('rbm');
  });

  it('the library loaders too: loadSafetensors and loadDigits refuse a 3 GiB file from its size (Node threw its own RangeError, unnamed)', () => {
    const st = sparse('lib.safetensors', 3 * 2 ** 30, '\x08\x00');
    expect(() => loadSafetensors(st)).toThrow(`loadSafetensors: ${st} is ${3 * 2 ** 30} bytes, more than maxBytes = ${2 ** 30}; refused before reading`);
    const small = join(dir, 'one.safetensors');
    saveSafetensors(small, { w: { shape: [2], data: Float64Array.of(1, 2) } });
    expect(() => loadSafetensors(small, { maxBytes: 10 })).toThrow(FormatError);
    expect(Array.from(loadSafetensors(small).tensors.w?.data ?? [])).toEqual([1, 2]);
    const digits = sparse('digits.csv', 3 * 2 ** 30, '0,1\n');
    expect(() => loadDigits(digits)).toThrow(`loadDigits: ${digits} is ${3 * 2 ** 30} bytes, more than maxBytes = ${2 ** 30}; refused before reading`);
  });
});

describe('errors about bad input name the file and keep their class', () => {
  it('a model document without its weights: the message starts with the path, exit 1', async () => {
    const p = join(dir, 'no-weights.json');
    const good = JSON.parse(readFileSync(await trained('w.json'), 'utf8')) as { tensors: Record<string, unknown> };
    delete good.tensors.weights;
    writeFileSync(p, JSON.stringify(good));
    for (const cmd of ['sample', 'eval']) {
      const r = await cli(cmd === 'eval' ? [cmd, p, '--data', data] : [cmd, p]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^boltzmann: error: ${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*weights`));
    }
    expect(() => loadModelFile(p, MODEL_REGISTRY)).toThrow(FormatError);
  });

  it('CSV and gzip errors from --data name the file and stay FormatErrors', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '0,1\n1,x\n');
    const corrupt = join(dir, 'corrupt.csv.gz');
    const z = gzipSync(Buffer.from('0,1\n1,0\n'));
    z[z.length - 5] = (z[z.length - 5] as number) ^ 0xff; // the CRC
    writeFileSync(corrupt, z);
    for (const [p, what] of [
      [bad, /parseCsv: line 2, column 3 .*"x" is not a finite number/],
      [corrupt, /gunzip/],
    ] as const) {
      expect(() => loadCliData(p, { dataDir: dir })).toThrow(FormatError);
      const r = await cli(['train', 'rbm', '--data', p, '--hidden', '2', '--out', join(dir, 'never.json')]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.startsWith(`boltzmann: error: ${p}: `), r.stderr).toBe(true);
      expect(r.stderr).toMatch(what);
    }
  });

  it('an IDX file of zero columns ([10, 0]) is refused at load, naming the file', async () => {
    const p = join(dir, 'zero-cols-idx2-ubyte');
    writeFileSync(p, encodeIdx({ type: 'uint8', dims: [10, 0], data: new Uint8Array(0) }));
    expect(() => loadCliData(p, { dataDir: dir })).toThrow(FormatError);
    const r = await cli(['train', 'rbm', '--data', p, '--hidden', '2', '--out', join(dir, 'never.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`boltzmann: error: ${p}: IDX dims [10, 0] give rows of 0 columns; expected at least one value per row\n`);
  });
});
