/**
 * Issue #15, "Files: nothing lost, nothing overwritten that the user did not
 * name", safetensors by extension with `convert`, and malformed `state.cli`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ModelDocument, readTensor } from '../../src/document.js';
import { FormatError } from '../../src/errors.js';
import { parseCsv } from '../../src/io/csv.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { createImage } from '../../src/io/image.js';
import { withoutTrainingState } from '../../src/node/cli/files.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';
import { isOurFile, writeAtomic } from '../../src/node/cli/files.js';
import { encodePng } from '../../src/node/png.js';
import { Random } from '../../src/random/random.js';

const dir = mkdtempSync(join(tmpdir(), 'boltzmann-cli-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bars and stripes on a 4×4 grid plus 5% flipped bits. */
function barsText(rows: number, seed: number): string {
  const rng = new Random(seed);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const bars = rng.float64() < 0.5;
    const on = Array.from({ length: 4 }, () => rng.float64() < 0.5);
    const x: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) x.push(((bars ? on[j] : on[i]) ? 1 : 0) ^ (rng.float64() < 0.05 ? 1 : 0));
    lines.push(x.join(','));
  }
  return `${lines.join('\n')}\n`;
}
function writeData(name: string, rows = 60, seed = 5): string {
  const p = join(dir, name);
  writeFileSync(p, barsText(rows, seed));
  return p;
}
const data = writeData('bas.csv');

async function cli(args: string[], opts: { signal?: AbortSignal; onStep?: (s: number) => void } = {}) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: {}, signal: opts.signal, onStep: opts.onStep });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
const readDoc = (p: string): ModelDocument => JSON.parse(readFileSync(p, 'utf8')) as ModelDocument;
const rbm = (out: string, extra: string[] = [], d = data) => ['train', 'rbm', '--data', d, '--hidden', '5', '--epochs', '2', '--batch-size', '10', '--seed', '3', '--out', out, '--quiet', ...extra];
const tmpLeft = (folder: string) => readdirSync(folder).filter((f) => /\.tmp-\d+$/.test(f));

describe('resume writes to --out or to the file it continues, never to a stored path', () => {
  it('train --resume copy.json leaves base.json alone, and a stored out pointing elsewhere is ignored', async () => {
    const base = join(dir, 'base.json'), copy = join(dir, 'copy.json'), victim = join(dir, 'victim.json');
    expect((await cli(rbm(base))).code).toBe(0);
    const baseText = readFileSync(base, 'utf8');
    const doc = readDoc(base);
    writeFileSync(copy, JSON.stringify(doc));
    expect((await cli(['train', '--resume', copy, '--epochs', '3', '--quiet'])).code).toBe(0);
    expect(readFileSync(base, 'utf8')).toBe(baseText);
    expect((readDoc(copy).state as { cli: { epoch: number } }).cli.epoch).toBe(3);
    // a shared model whose stored paths point at someone else's file
    writeFileSync(victim, '{"format":"boltzmann","precious":true}');
    const shared = join(dir, 'shared.json');
    const cliState = (doc.state as { cli: Record<string, unknown> }).cli;
    writeFileSync(shared, JSON.stringify({ ...doc, state: { ...doc.state, cli: { ...cliState, out: victim, checkpoint: victim } } }));
    const poisoned = JSON.stringify({ ...doc, state: { ...doc.state, cli: { ...cliState, out: victim, checkpoint: victim } } });
    expect((await cli(['train', '--resume', shared, '--epochs', '5', '--quiet'])).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('{"format":"boltzmann","precious":true}');
    expect((readDoc(shared).state as { cli: { epoch: number } }).cli.epoch).toBe(5);
    // interrupted: the checkpoint goes to the file being resumed, not to the stored checkpoint path
    writeFileSync(shared, poisoned);
    const ac = new AbortController();
    expect((await cli(['train', '--resume', shared, '--epochs', '5', '--quiet'], { signal: ac.signal, onStep: (s) => s === 14 && ac.abort() })).code).toBe(130);
    expect(readFileSync(victim, 'utf8')).toBe('{"format":"boltzmann","precious":true}');
    expect((readDoc(shared).state as { cli: { epoch: number; batch: number } }).cli).toMatchObject({ epoch: 2, batch: 2 });
    // --out names the destination; the resumed file is then left as it was
    const ext = join(dir, 'ext.json');
    const copyText = readFileSync(copy, 'utf8');
    expect((await cli(['train', '--resume', copy, '--epochs', '4', '--out', ext, '--quiet'])).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(copyText);
    expect((readDoc(ext).state as { cli: { epoch: number } }).cli.epoch).toBe(4);
    // the paths are not stored at all
    expect(Object.keys((readDoc(ext).state as { cli: object }).cli)).not.toContain('out');
  });

  it('stores the data path absolute with the SHA-256 of its rows: resume works from any folder and refuses other data', async () => {
    const sub = join(dir, 'cwd');
    mkdirSync(sub);
    writeFileSync(join(sub, 'rel.csv'), barsText(60, 7));
    const here = process.cwd();
    try {
      process.chdir(sub);
      expect((await cli(rbm('rel.json', [], 'rel.csv'))).code).toBe(0);
    } finally {
      process.chdir(here);
    }
    const model = join(sub, 'rel.json');
    const spec = (readDoc(model).state as { cli: { spec: { data: string; sha256: string } } }).cli.spec;
    expect(spec.data).toBe(join(sub, 'rel.csv'));
    expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    // from another working directory (this process's), the stored path still finds the data
    const r = await cli(['train', '--resume', model, '--epochs', '3', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    // the data changes: refused with a clear message, nothing written
    writeFileSync(join(sub, 'rel.csv'), barsText(60, 8));
    const before = readFileSync(model, 'utf8');
    const changed = await cli(['train', '--resume', model, '--epochs', '4', '--quiet']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/is not the data .* was trained on \(SHA-256 of the rows [0-9a-f]{12}…, stored [0-9a-f]{12}…\)/);
    expect(readFileSync(model, 'utf8')).toBe(before);
    // the data moved: --data names it again and the digest proves it is the same
    const moved = join(dir, 'moved.csv');
    writeFileSync(moved, barsText(60, 7));
    expect((await cli(['train', '--resume', model, '--epochs', '4', '--data', moved, '--quiet'])).code).toBe(0);
    expect((readDoc(model).state as { cli: { epoch: number } }).cli.epoch).toBe(4);
  });
});

describe('outputs never replace an input or a file that is not ours', () => {
  it('train --data x.csv --out x.csv and sample m.json --out m.json are refused, the inputs intact', async () => {
    const x = writeData('x.csv');
    const text = readFileSync(x, 'utf8');
    const t = await cli(rbm(x, [], x));
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/is an input of this command; refusing to overwrite it/);
    expect(readFileSync(x, 'utf8')).toBe(text);
    const m = join(dir, 'm.json');
    expect((await cli(rbm(m))).code).toBe(0);
    const mText = readFileSync(m, 'utf8');
    const s = await cli(['sample', m, '--n', '2', '--steps', '2', '--out', m]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/is an input of this command/);
    expect(readFileSync(m, 'utf8')).toBe(mText);
    // the checkpoint may not replace the data either
    expect((await cli(rbm(join(dir, 'm2.json'), ['--checkpoint', x]))).code).toBe(2);
    expect(readFileSync(x, 'utf8')).toBe(text);
    // nor may --resume --out replace the data
    expect((await cli(['train', '--resume', m, '--epochs', '3', '--out', data])).code).toBe(2);
  });

  it('refuses an existing file that boltzmann did not write unless --force; replaces its own', async () => {
    const notes = join(dir, 'notes.json');
    writeFileSync(notes, '{"mine": "do not lose"}');
    const r = await cli(rbm(notes));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and was not written by boltzmann; refusing to overwrite it \(add --force/);
    expect(readFileSync(notes, 'utf8')).toBe('{"mine": "do not lose"}');
    expect((await cli(['--force', ...rbm(notes)])).code).toBe(0); // before the command, or after it
    expect(readDoc(notes).kind).toBe('rbm');
    expect((await cli(rbm(notes))).code).toBe(0); // now it is ours
    // PNG: ours carry a Software chunk; another program's PNG is kept
    const photo = join(dir, 'photo.png');
    const foreign = encodePng(createImage(2, 2, [10, 20, 30]));
    writeFileSync(photo, foreign);
    expect((await cli(['sample', notes, '--n', '2', '--steps', '2', '--out', photo])).code).toBe(2);
    expect(new Uint8Array(readFileSync(photo))).toEqual(foreign);
    const ours = join(dir, 'ours.png');
    expect((await cli(['sample', notes, '--n', '2', '--steps', '2', '--out', ours])).code).toBe(0);
    expect(isOurFile(ours)).toBe(true);
    expect((await cli(['sample', notes, '--n', '3', '--steps', '2', '--out', ours])).code).toBe(0);
    // sample's JSON output is ours too (a second run replaces it)
    const sj = join(dir, 'samples.json');
    expect((await cli(['sample', notes, '--n', '2', '--steps', '2', '--out', sj])).code).toBe(0);
    expect((await cli(['sample', notes, '--n', '2', '--steps', '2', '--out', sj])).code).toBe(0);
  });

  it('an --out in a missing folder (or under a file) fails before any training step', async () => {
    for (const out of [join(dir, 'no', 'such', 'm.json'), join(data, 'm.json')]) {
      let steps = 0;
      const r = await cli(rbm(out, []).filter((a) => a !== '--quiet'), { onStep: () => steps++ });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the folder .* does not exist/);
      expect(steps).toBe(0);
      expect(r.stdout).toBe('');
    }
    let steps = 0;
    const r = await cli(rbm(join(dir, 'ok.json'), ['--checkpoint', join(dir, 'nope', 'c.json')]), { onStep: () => steps++ });
    expect(r.code).toBe(1);
    expect(steps).toBe(0);
    const folderOut = await cli(rbm(dir));
    expect(folderOut.code).toBe(1);
    expect(folderOut.stderr).toMatch(/is a folder/);
  });
});

describe('temporary files are removed on every failure', () => {
  it('EISDIR, ENOSPC (/dev/full) and an exception leave no *.tmp-<pid> behind', () => {
    const folder = join(dir, 'tmpcheck');
    mkdirSync(folder);
    const target = join(folder, 'taken');
    mkdirSync(target); // a folder where the file should go: rename fails with EISDIR (or ENOTEMPTY/EEXIST)
    writeFileSync(join(target, 'keep'), 'x');
    expect(() => writeAtomic(target, 'data')).toThrow();
    expect(tmpLeft(folder)).toEqual([]);
    if (existsSync('/dev/full')) {
      const full = join(folder, 'full.json');
      symlinkSync('/dev/full', `${full}.tmp-${process.pid}`);
      expect(() => writeAtomic(full, 'x'.repeat(1 << 16))).toThrow(/ENOSPC/);
      expect(tmpLeft(folder)).toEqual([]);
      expect(existsSync(full)).toBe(false);
    }
    expect(() =>
      writeAtomic(join(folder, 'boom.json'), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tmpLeft(folder)).toEqual([]);
  });

  it('a train whose output becomes a folder during training fails with exit 1 and leaves no temporary file', async () => {
    const folder = join(dir, 'race');
    mkdirSync(folder);
    const out = join(folder, 'm.json');
    const r = await cli(rbm(out), {
      onStep: (s) => {
        if (s === 1) {
          mkdirSync(out);
          writeFileSync(join(out, 'x'), 'x');
        }
      },
    });
    expect(r.code).toBe(1);
    expect(tmpLeft(folder)).toEqual([]);
  });
});

describe('CSV: a first row of bad numbers is an error, not a header', () => {
  it('NaN, 1e309, 0x1, inf, 1_000 and an empty field in row 1 are typed errors naming row 1 and the token', () => {
    for (const token of ['NaN', '1e309', '0x1', 'inf', '-Infinity', '1_000', '']) {
      const text = `1,${token},0\n1,0,1\n0,1,1\n`;
      expect(() => parseCsv(text), token).toThrow(FormatError);
      expect(() => parseCsv(text), token).toThrow(new RegExp(`row 1, line 1, column 3 \\(field 2\\): "${token}" is not a finite number`));
    }
    // real headers still are headers, number-like names beside them included
    expect(parseCsv('x,NaN,y\n1,2,3\n').header).toEqual(['x', 'NaN', 'y']);
    expect(parseCsv(',a,b\n1,2,3\n').header).toEqual(['', 'a', 'b']);
    expect(parseCsv('e,f\n1,2\n').header).toEqual(['e', 'f']);
  });

  it('the command line reports it instead of dropping the row', async () => {
    const bad = join(dir, 'nan.csv');
    writeFileSync(bad, `NaN,${'1,'.repeat(14)}1\n${barsText(20, 1)}`);
    const r = await cli(rbm(join(dir, 'nan.json'), [], bad));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 1, line 1, column 1 \(field 1\): "NaN" is not a finite number/);
  });
});

describe('safetensors by extension, and convert', () => {
  it('train --out m.safetensors writes safetensors with the same parameters as JSON, without the training state', async () => {
    const js = join(dir, 'st.json'), st = join(dir, 'st.safetensors');
    const extra = ['--persistent', '--chains', '4', '--momentum', '0.5'];
    expect((await cli(rbm(js, extra))).code).toBe(0);
    expect((await cli(rbm(st, extra))).code).toBe(0);
    const f = decodeSafetensors(new Uint8Array(readFileSync(st)));
    expect(f.dtypes.weights).toBe('F64');
    expect(f.tensors.weights?.shape).toEqual([16, 5]);
    const doc = readDoc(js);
    for (const name of ['weights', 'visibleBias', 'hiddenBias']) expect(f.tensors[name]?.data, name).toEqual(readTensor(doc, name).data);
    expect(f.metadata['boltzmann.kind']).toBe('rbm');
    const state = f.metadata['boltzmann.state'] ?? '';
    expect(state.length).toBeLessThan(2000);
    expect(state).not.toMatch(/velocity|"chains":\[|"training"/);
    expect(JSON.parse(state).cli.kind).toBe('rbm');
    // info, sample, eval read it
    const info = JSON.parse((await cli(['info', st, '--json'])).stdout);
    expect(info.kind).toBe('rbm');
    expect(info.tensors.weights).toEqual([16, 5]);
    expect(info.resumable).toBe(false);
    const evJ = JSON.parse((await cli(['eval', js, '--data', data, '--json'])).stdout);
    const evS = JSON.parse((await cli(['eval', st, '--data', data, '--json'])).stdout);
    expect(evS.logLikelihood).toBe(evJ.logLikelihood);
    const s1 = join(dir, 'st-s1.json'), s2 = join(dir, 'st-s2.json');
    expect((await cli(['sample', js, '--n', '3', '--steps', '5', '--seed', '2', '--out', s1])).code).toBe(0);
    expect((await cli(['sample', st, '--n', '3', '--steps', '5', '--seed', '2', '--out', s2])).code).toBe(0);
    expect(readFileSync(s2, 'utf8')).toBe(readFileSync(s1, 'utf8'));
    // not resumable: a clear usage error
    const res = await cli(['train', '--resume', st, '--epochs', '3']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/safetensors file, which keeps the parameters but not the training state/);
  });

  it('Ctrl-C with --out m.safetensors writes a JSON checkpoint; resuming it to m.safetensors gives the straight run bit for bit', async () => {
    const straight = join(dir, 'sts.safetensors'), out = join(dir, 'sti.safetensors'), ck = join(dir, 'sti.checkpoint.json');
    const extra = ['--persistent', '--chains', '3'];
    expect((await cli(rbm(straight, extra))).code).toBe(0);
    const ac = new AbortController();
    expect((await cli(rbm(out, extra), { signal: ac.signal, onStep: (s) => s === 4 && ac.abort() })).code).toBe(130);
    expect(existsSync(out)).toBe(false);
    expect(readDoc(ck).kind).toBe('rbm'); // JSON, with the whole training state
    expect((await cli(['train', '--resume', ck, '--out', out, '--quiet'])).code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(new Uint8Array(readFileSync(straight)));
    // a data path naming a device is refused, not read forever
    if (existsSync('/dev/zero')) {
      const r = await cli(rbm(join(dir, 'dev.json'), [], '/dev/zero'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not a regular file/);
    }
  });

  it('recall reads a Hopfield network from safetensors', async () => {
    const pats = join(dir, 'pats.csv');
    const rng = new Random(9);
    writeFileSync(pats, Array.from({ length: 3 }, () => Array.from({ length: 64 }, () => (rng.float64() < 0.5 ? 1 : 0)).join(',')).join('\n'));
    const hop = join(dir, 'hop.safetensors');
    expect((await cli(['train', 'hopfield', '--data', pats, '--rule', 'pseudo-inverse', '--out', hop, '--quiet'])).code).toBe(0);
    expect(decodeSafetensors(new Uint8Array(readFileSync(hop))).metadata['boltzmann.kind']).toBe('hopfield');
    const r = JSON.parse((await cli(['recall', hop, '--data', pats, '--index', '1', '--noise', '0.1', '--json'])).stdout);
    expect(r.restored).toBe(true);
    // its PNG may not replace the data or the model
    for (const target of [pats.replace(/\.csv$/, '.png'), hop]) {
      if (target.endsWith('.png')) writeFileSync(target, 'not a png of ours');
      const bad = await cli(['recall', hop, '--data', pats, '--out', target]);
      expect(bad.code).toBe(2);
    }
  });

  it('convert json → safetensors → json gives the same model parameters (RBM, DBN, DBM)', async () => {
    const cases: [string, string[]][] = [
      ['rbm', ['train', 'rbm', '--data', data, '--hidden', '4', '--epochs', '1', '--seed', '1']],
      ['dbn', ['train', 'dbn', '--data', data, '--layers', '5,3', '--epochs', '1', '--seed', '1']],
      ['dbm', ['train', 'dbm', '--data', data, '--layers', '5,3', '--epochs', '1', '--pretrain-epochs', '1', '--chains', '4', '--seed', '1']],
    ];
    for (const [kind, args] of cases) {
      const a = join(dir, `cv-${kind}.json`), b = join(dir, `cv-${kind}.safetensors`), c = join(dir, `cv-${kind}-back.json`);
      expect((await cli([...args, '--out', a, '--quiet'])).code, kind).toBe(0);
      const r1 = await cli(['convert', a, b]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(isOurFile(b)).toBe(true);
      const r2 = await cli(['convert', b, c, '--quiet']);
      expect(r2.code, r2.stderr).toBe(0);
      const orig = readDoc(a), back = readDoc(c);
      expect(back.kind).toBe(orig.kind);
      expect(back.config).toEqual(orig.config);
      expect(Object.keys(back.tensors).sort(), kind).toEqual(Object.keys(orig.tensors).sort());
      for (const name of Object.keys(orig.tensors)) expect(readTensor(back, name), `${kind} ${name}`).toEqual(readTensor(orig, name));
    }
    // convert refuses to overwrite its input and needs two files
    const a = join(dir, 'cv-rbm.json');
    expect((await cli(['convert', a, a])).code).toBe(2);
    expect((await cli(['convert', a])).code).toBe(2);
    expect((await cli(['convert', '--help'])).stdout).toMatch(/Usage: boltzmann convert/);
  });
});

describe("withoutTrainingState: a safetensors file keeps the model's stream and the command line's record", () => {
  it('drops state.training, keeps state.rng and state.cli', () => {
    const doc = {
      format: 'boltzmann',
      version: 1,
      kind: 'rbm',
      config: {},
      tensors: {},
      state: { rng: { algorithm: 'xoroshiro128+', words: [1, 2, 3, 4], spareNormal: null }, cli: { command: 'train' }, training: { epoch: 3 } },
    } as unknown as ModelDocument;
    expect(withoutTrainingState(doc).state).toEqual({ rng: doc.state?.rng, cli: { command: 'train' } });
    const { state: _s, ...bare } = doc;
    expect(withoutTrainingState({ ...bare, state: { training: { epoch: 3 } } } as ModelDocument).state).toBeUndefined();
  });
});

describe('convert: safetensors written elsewhere', () => {
  it('a file without boltzmann metadata needs --kind and --config, then gives the same tensors', async () => {
    const rng = new Random(4);
    const w = Float64Array.from({ length: 16 * 5 }, () => rng.normal() * 0.1);
    const b = Float64Array.from({ length: 16 }, () => rng.normal() * 0.1);
    const c = Float64Array.from({ length: 5 }, () => rng.normal() * 0.1);
    const torch = join(dir, 'torch.safetensors');
    writeFileSync(torch, encodeSafetensors({ weights: { shape: [16, 5], data: w }, visibleBias: { shape: [16], data: b }, hiddenBias: { shape: [5], data: c } }));
    const out = join(dir, 'from-torch.json');
    const bare = await cli(['convert', torch, out]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/no 'boltzmann\.kind' metadata/);
    expect((await cli(['convert', torch, out, '--kind', 'rbm'])).code).toBe(2);
    expect((await cli(['convert', torch, out, '--kind', 'rbm', '--config', '[1]'])).code).toBe(2);
    const r = await cli(['convert', torch, out, '--kind', 'rbm', '--config', '{"nVisible":16,"nHidden":5}', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const doc = readDoc(out);
    expect(readTensor(doc, 'weights').data).toEqual(w);
    expect(readTensor(doc, 'visibleBias').data).toEqual(b);
    expect(readTensor(doc, 'hiddenBias').data).toEqual(c);
    expect((await cli(['eval', out, '--data', data, '--json'])).code).toBe(0);
  });
});

describe('a malformed state.cli is a typed error, never an internal one', () => {
  it('refuses each malformed field with a FormatError or RangeError naming it, before any training', async () => {
    const good = join(dir, 'good.json');
    expect((await cli(rbm(good))).code).toBe(0);
    const doc = readDoc(good);
    const cliState = (doc.state as { cli: Record<string, unknown> }).cli;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ spec: 5 }, /state\.cli\.spec must be an object/],
      [{ spec: { ...(cliState.spec as object), data: 7 } }, /state\.cli\.spec\.data must be a non-empty string/],
      [{ stages: 1e300 }, /state\.cli\.stages must be an integer in \[1, 64\] \(got 1e\+300\)/],
      [{ stages: 3 }, /state\.cli\.stages must be 1 for the stored options/],
      [{ epochs: 1e300 }, /state\.cli\.epochs must be an integer in \[1, 1000000\]/],
      [{ epochs: 'many' }, /state\.cli\.epochs must be an integer/],
      [{ epoch: 99 }, /state\.cli\.epoch must be an integer in \[0, 2\]/],
      [{ batch: 1e9 }, /state\.cli\.batch must be an integer in \[0, 5\]/],
      [{ options: 'x' }, /state\.cli\.options must be an object/],
      [{ options: { ...(cliState.options as object), hidden: 'big' } }, /state\.cli\.options\.hidden must be a valid --hidden value/],
      [{ options: { ...(cliState.options as object), evil: 1 } }, /state\.cli\.options must be the train options of rbm/],
      [{ orderRng: null }, /state\.cli\.orderRng must be a generator state/],
      [{ seed: -1 }, /state\.cli\.seed must be an integer/],
      [{ kind: 5 }, /state\.cli\.kind must be a model kind/],
      [{ monitor: [] }, /state\.cli\.monitor must be an integer/],
    ];
    for (const [patch, message] of cases) {
      const bad = join(dir, 'bad-state.json');
      writeFileSync(bad, JSON.stringify({ ...doc, state: { ...doc.state, cli: { ...cliState, ...patch } } }));
      let steps = 0;
      const t0 = performance.now();
      const r = await cli(['train', '--resume', bad, '--quiet'], { onStep: () => steps++ });
      expect(r.code, JSON.stringify(patch)).toBe(1);
      expect(r.stderr, JSON.stringify(patch)).toMatch(message);
      expect(r.stderr).not.toMatch(/is not a function|Cannot read|undefined/);
      expect(steps).toBe(0);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
    const tooMany = await cli(['train', '--resume', good, '--epochs', '1000001']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--epochs must be an integer in \[1, 1000000\]/);
  });
});

describe('eval on an Ising model: the 0/1 rows as spins, exact where log Z is known, else the pseudo-log-likelihood', () => {
  it('scores as the model does', async () => {
    const { IsingModel } = await import('../../src/models/ising.js');
    const exact = new IsingModel(4, { J: 0.5, temperature: 1 });
    const pe = join(dir, 'ising4.json');
    writeFileSync(pe, JSON.stringify(exact.toDocument()));
    const rows = parseCsv(readFileSync(data, 'utf8')).data;
    const spins = { rows: rows.rows, cols: rows.cols, data: rows.data.map((x) => 2 * x - 1) };
    const ev = JSON.parse((await cli(['eval', pe, '--data', data, '--json'])).stdout);
    expect(ev.method).toBe('exact');
    expect(ev.logLikelihood).toBe(exact.score(spins).mean);
    const field = new IsingModel(5, { J: 0.5, H: 0.2, temperature: 1 });
    const pf = join(dir, 'ising5.json'), d25 = join(dir, 'spins25.csv');
    writeFileSync(pf, JSON.stringify(field.toDocument()));
    writeFileSync(d25, '1,0,1,1,0,1,1,1,0,0,1,0,1,1,1,0,0,1,1,0,1,1,1,1,0\n0,0,0,1,0,0,1,0,0,0,1,0,0,1,0,0,0,0,1,0,1,0,0,0,0\n');
    const ep = JSON.parse((await cli(['eval', pf, '--data', d25, '--json'])).stdout);
    expect(ep.method).toBe('pseudo');
    const s25 = parseCsv(readFileSync(d25, 'utf8')).data;
    expect(ep.logLikelihood).toBe(field.score({ rows: 2, cols: 25, data: s25.data.map((x) => 2 * x - 1) }, { method: 'pseudo' }).mean);
  });
});
