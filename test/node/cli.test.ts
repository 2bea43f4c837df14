import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { averageLogLikelihood } from '../../src/models/rbm-ais.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import type { ModelDocument } from '../../src/document.js';
import { RBM } from '../../src/models/rbm.js';
import { type CliStream, runCli } from '../../src/node/cli/index.js';
import { Random } from '../../src/random/random.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'boltzmann-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bars and stripes on a 4×4 grid plus 5% flipped bits: 120 rows of 16 binary values, labels none. */
function writeData(name: string, rows = 120, seed = 5): string {
  const rng = new Random(seed);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const bars = rng.float64() < 0.5;
    const on = Array.from({ length: 4 }, () => rng.float64() < 0.5);
    const x: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) x.push(((bars ? on[j] : on[i]) ? 1 : 0) ^ (rng.float64() < 0.05 ? 1 : 0));
    lines.push(x.join(','));
  }
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}
const data = writeData('bas.csv');

class Capture implements CliStream {
  text = '';
  constructor(public isTTY = false) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

async function cli(args: string[], opts: { tty?: boolean; signal?: AbortSignal; onStep?: (s: number) => void } = {}) {
  const stdout = new Capture(opts.tty), stderr = new Capture(opts.tty);
  const code = await runCli(args, { stdout, stderr, env: {}, signal: opts.signal, onStep: opts.onStep });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const readDoc = (p: string): ModelDocument => JSON.parse(readFileSync(p, 'utf8')) as ModelDocument;
/** Parameters and model/trainer state (generators, momentum, chains), without the command line's own state (paths). */
const learned = (d: ModelDocument) => {
  const { cli: _cli, ...state } = (d.state ?? {}) as Record<string, unknown>;
  return { tensors: d.tensors, state };
};

const rbmArgs = (out: string, extra: string[] = []) => [
  'train', 'rbm', '--data', data, '--hidden', '6', '--epochs', '3', '--batch-size', '7', '--lr', '0.1', '--momentum', '0.5', '--seed', '11', '--out', out, ...extra,
];

describe('boltzmann CLI: help, usage errors, exit codes', () => {
  it('--help on the program and on each command exits 0 with usage text', async () => {
    for (const args of [['--help'], ['train', '--help'], ['sample', '--help'], ['eval', '--help'], ['recall', '--help'], ['info', '--help'], ['help', 'train']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: boltzmann/);
    }
    // no command: the help, but as a usage error (on stderr, exit 2)
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/Usage: boltzmann/);
  });

  it('usage errors exit 2 with one line (no stack trace)', async () => {
    const cases = [
      ['frobnicate'],
      ['train'],
      ['train', 'svm', '--data', data, '--out', 'x.json'],
      ['train', 'rbm', '--data', data],
      ['train', 'rbm', '--out', join(dir, 'x.json')],
      ['train', 'rbm', '--data', data, '--out', join(dir, 'x.json'), '--hidden', '0'],
      ['train', 'rbm', '--data', data, '--out', join(dir, 'x.json'), '--lr', 'fast'],
      ['train', 'rbm', '--data', data, '--out', join(dir, 'x.json'), '--bogus'],
      ['train', 'rbm', '--data', data, '--out', join(dir, 'x.json'), '--chains', '3'],
      ['train', 'dbn', '--data', data, '--out', join(dir, 'x.json'), '--rule', 'hebbian'],
      ['train', 'dbm', '--data', data, '--out', join(dir, 'x.json'), '--layers', '4'],
      ['train', 'dbm', '--data', data, '--out', join(dir, 'x.json'), '--layers', '6,4', '--tempered-every', '2'],
      ['train', 'dbm', '--data', data, '--out', join(dir, 'x.json'), '--layers', '6,4', '--tempered-levels', '3', '--tempered-min-beta', '0'],
      ['train', 'dbn', '--data', data, '--out', join(dir, 'x.json'), '--layers', '4,x'],
      ['train', 'boltzmann-machine', '--data', data, '--out', join(dir, 'x.json'), '--k', '2'],
      ['train', 'hopfield', '--data', data, '--out', join(dir, 'x.json'), '--epochs', '2'],
      ['sample'],
    ];
    for (const args of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(/^boltzmann: usage error: /);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      // the way out is on that line, once: the help (the command's own or the program's), or the closest spelling
      expect(r.stderr, args.join(' ')).toMatch(/boltzmann (?:[a-z]+ )?--help|did you mean/);
      expect(r.stderr.match(/--help/g)?.length ?? 0, args.join(' ')).toBeLessThanOrEqual(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await cli(['train', 'boltzmann-machine', '--data', data, '--out', 'x.json', '--k', '2'])).stderr).toMatch(/--k does not apply to boltzmann-machine/);
  });

  it('runtime failures exit 1 with one line; --debug adds the stack', async () => {
    const missing = await cli(['info', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^boltzmann: error: no such file/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"boltzmann","version":99,"kind":"rbm","config":{},"tensors":{}}');
    const newer = await cli(['sample', bad]);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(/newer than this library reads/);
    const dbg = await cli(['sample', bad, '--debug']);
    expect(dbg.code).toBe(1);
    expect(dbg.stderr).toMatch(/\n\s+at /);
  });
});

describe('boltzmann CLI: train, info, sample, eval', () => {
  it('trains an RBM, prints one plain line per epoch when piped, and a bar with ETA on a terminal', async () => {
    const out = join(dir, 'plain.json');
    const r = await cli(rbmArgs(out));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const [i, l] of lines.entries()) expect(l).toMatch(new RegExp(`^epoch ${i + 1}/3 +recon [0-9.]+ +pseudo-LL -[0-9.]+`));
    expect(r.stdout + r.stderr).not.toMatch(/\r|ETA/);
    const doc = readDoc(out);
    expect(doc.kind).toBe('rbm');
    expect(doc.tensors.weights?.shape).toEqual([16, 6]);
    const tty = await cli(rbmArgs(join(dir, 'tty.json')), { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(new RegExp(`\r${String.fromCharCode(27)}\\[2Kepoch 3/3 █+ 100% ETA \\d+:\\d\\d`));
    // same seed, same numbers, whatever the output mode
    expect(learned(readDoc(join(dir, 'tty.json')))).toEqual(learned(doc));
  });

  it('info prints the kind, shapes, configuration and training state', async () => {
    const out = join(dir, 'info.json');
    await cli(rbmArgs(out));
    const r = await cli(['info', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kind: +rbm/);
    expect(r.stdout).toMatch(/weights +\[16, 6\]/);
    expect(r.stdout).toMatch(/training: +epoch 3, 54 steps/); // 3 epochs × ceil(120 / 7) = 54 steps
    const j = JSON.parse((await cli(['info', out, '--json'])).stdout);
    expect(j.parameters).toBe(16 * 6 + 16 + 6);
    expect(j.resumable).toBe(true);
  });

  it('eval gives the exact log-likelihood for a small RBM, and AIS brackets it', async () => {
    const out = join(dir, 'eval.json');
    await cli(rbmArgs(out));
    const rbm = RBM.fromDocument(readDoc(out));
    const rows = readFileSync(data, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    const m = { rows: rows.length, cols: 16, data: Float64Array.from(rows.flat()) };
    // eval goes through the model's contract score; the free functions sum the same terms in another order
    const exact = rbm.score(m, { method: 'exact' }).mean;
    expect(Math.abs(exact - averageLogLikelihood(rbm, m, rbmExactLogPartition(rbm)).mean)).toBeLessThan(1e-12);
    const e = JSON.parse((await cli(['eval', out, '--data', data, '--json'])).stdout);
    expect(e.method).toBe('exact');
    expect(e.logLikelihood).toBe(exact);
    // AIS: the library reports ±3σ bounds on log Z from the spread of the importance weights;
    // the exact value must lie inside them (fails with probability ≈ 0.3% for a fixed seed).
    const a = JSON.parse((await cli(['eval', out, '--data', data, '--runs', '64', '--ais-steps', '400', '--seed', '3', '--json'])).stdout);
    expect(a.method).toBe('ais');
    expect(exact).toBeGreaterThanOrEqual(a.logLikelihoodLower);
    expect(exact).toBeLessThanOrEqual(a.logLikelihoodUpper);
    expect(Math.abs(a.logLikelihood - exact)).toBeLessThan(0.5);
  });

  it('sample writes binary samples as JSON and as a PNG, the same for the same seed', async () => {
    const out = join(dir, 'samp.json');
    await cli(rbmArgs(out));
    const s1 = join(dir, 's1.json'), s2 = join(dir, 's2.json'), png = join(dir, 's.png');
    expect((await cli(['sample', out, '--n', '5', '--steps', '20', '--seed', '4', '--out', s1])).code).toBe(0);
    await cli(['sample', out, '--n', '5', '--steps', '20', '--seed', '4', '--out', s2]);
    const j = JSON.parse(readFileSync(s1, 'utf8'));
    expect(j.samples).toHaveLength(5);
    expect(j.samples.flat().every((x: number) => x === 0 || x === 1)).toBe(true);
    expect(readFileSync(s2, 'utf8')).toBe(readFileSync(s1, 'utf8'));
    expect((await cli(['sample', out, '--n', '4', '--steps', '5', '--out', png])).code).toBe(0);
    expect(Array.from(readFileSync(png).subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const text = await cli(['sample', out, '--n', '1', '--steps', '5']);
    expect(text.stdout.trim().split('\n')).toHaveLength(4); // one 4×4 picture
  });

  it('trains a Hopfield network and recall restores a corrupted pattern', async () => {
    const pats = join(dir, 'pats.csv');
    const rng = new Random(9);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: 64 }, () => (rng.float64() < 0.5 ? 1 : 0)));
    writeFileSync(pats, rows.map((r) => r.join(',')).join('\n'));
    const out = join(dir, 'hop.json');
    const t = await cli(['train', 'hopfield', '--data', pats, '--rule', 'pseudo-inverse', '--out', out]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/3\/3 are fixed points/);
    for (const index of [0, 1, 2]) {
      const r = JSON.parse((await cli(['recall', out, '--data', pats, '--index', String(index), '--noise', '0.15', '--seed', String(index), '--json'])).stdout);
      expect(r.cueOverlap).toBeLessThan(1);
      expect(r.state).toEqual(rows[index]);
      expect(r.restored).toBe(true);
    }
    const half = await cli(['recall', out, '--data', pats, '--index', '1', '--noise', '0', '--mask', 'top']);
    expect(half.code).toBe(0);
    expect(half.stdout).toMatch(/original +cue +restored/);
    expect(half.stdout).toMatch(/restored overlap 1\.0000 \(exact\)/);
    const ev = JSON.parse((await cli(['eval', out, '--data', pats, '--json'])).stdout);
    expect(ev.fixedPoints).toBe(3);
    expect((await cli(['recall', join(dir, 'eval.json'), '--data', data])).code).toBe(2); // an RBM cannot recall
  });
});

describe('boltzmann CLI: Ctrl-C checkpoints and bit-exact resume', () => {
  async function interruptedRun(tag: string, stopAt: number[], base: (out: string, extra: string[]) => string[], extra: string[] = []): Promise<ModelDocument> {
    const out = join(dir, `${tag}.json`), ck = join(dir, `${tag}.ckpt.json`);
    let args = base(out, ['--checkpoint', ck, ...extra]);
    for (const s of stopAt) {
      const ac = new AbortController();
      const r = await cli(args, { signal: ac.signal, onStep: (step) => step === s && ac.abort() });
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/checkpoint written to/);
      expect(existsSync(out)).toBe(false);
      args = ['train', '--resume', ck];
    }
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    // resume writes to --out or to the file it continues, never to the path the first run was given (issue #15)
    expect(existsSync(out)).toBe(stopAt.length === 0);
    return readDoc(stopAt.length === 0 ? out : ck);
  }

  async function checkResume(tag: string, base: (out: string, extra: string[]) => string[], extra: string[], stopsList: number[][]): Promise<void> {
    const straightPath = join(dir, `${tag}-straight.json`);
    const s = await cli(base(straightPath, extra));
    expect(s.code, s.stderr).toBe(0);
    const straight = learned(readDoc(straightPath));
    for (const stops of stopsList) {
      const resumed = await interruptedRun(`${tag}-${stops.join('-')}`, stops, base, extra);
      expect(learned(resumed), `${tag} interrupted at ${stops}`).toEqual(straight);
    }
  }

  it('an interrupted and resumed RBM run gives the same parameters and state as an uninterrupted one (CD and PCD)', async () => {
    // 18 steps per epoch: mid-epoch, at the last step of an epoch, and twice in one run
    await checkResume('cd', rbmArgs, [], [[5], [18], [1, 30, 31]]);
    await checkResume('pcd', rbmArgs, ['--persistent', '--chains', '4', '--k', '2'], [[5], [18], [1, 30, 31]]);
  });

  it('resumes a DBN bit-exactly, within a layer and across the layer boundary', async () => {
    const dbn = (out: string, extra: string[]) => ['train', 'dbn', '--data', data, '--layers', '6,3', '--epochs', '2', '--batch-size', '10', '--seed', '4', '--out', out, '--quiet', ...extra];
    // 12 steps per epoch, 24 per layer
    await checkResume('dbn', dbn, ['--persistent', '--chains', '5'], [[7], [24], [20, 30]]);
  });

  it('resumes a DBM (after pretraining) and a Boltzmann machine bit-exactly', async () => {
    const dbm = (out: string, extra: string[]) => [
      'train', 'dbm', '--data', data, '--layers', '6,4', '--epochs', '2', '--batch-size', '10', '--chains', '8', '--pretrain-epochs', '1', '--seed', '5', '--out', out, '--quiet', ...extra,
    ];
    await checkResume('dbm', dbm, [], [[5], [12, 13]]);
    // with tempered transitions (every 2 updates): the option and the ladder survive the checkpoint
    await checkResume('dbm-tt', dbm, ['--tempered-levels', '3', '--tempered-min-beta', '0.5', '--tempered-every', '2'], [[7]]);
    expect(readDoc(join(dir, 'dbm-tt-straight.json')).state?.training).toMatchObject({ options: { temperedTransitions: { levels: 3, minBeta: 0.5, every: 2 } } });
    const bm = (out: string, extra: string[]) => [
      'train', 'boltzmann-machine', '--data', data, '--limit', '40', '--hidden', '2', '--epochs', '2', '--batch-size', '10', '--clamped-samples', '2', '--free-samples', '8', '--gibbs-steps', '2', '--seed', '6', '--out', out, '--quiet', ...extra,
    ];
    await checkResume('bm', bm, ['--persistent', '--chains', '2'], [[3], [4, 6]]);
  });

  it('sample and eval work on DBN, DBM and Boltzmann-machine files', async () => {
    for (const kind of ['dbn', 'dbm', 'bm']) {
      const path = join(dir, `${kind}-straight.json`);
      const s = await cli(['sample', path, '--n', '2', '--steps', '5', '--out', join(dir, `${kind}-s.json`)]);
      expect(s.code, s.stderr).toBe(0);
      const j = JSON.parse(readFileSync(join(dir, `${kind}-s.json`), 'utf8'));
      expect(j.samples).toHaveLength(2);
      expect(j.samples[0]).toHaveLength(16);
      const info = await cli(['info', path, '--json']);
      expect(JSON.parse(info.stdout).resumable).toBe(true);
    }
    // exact log-likelihoods where the models are small enough
    const dbnEval = JSON.parse((await cli(['eval', join(dir, 'dbn-straight.json'), '--data', data, '--json'])).stdout);
    expect(dbnEval.method).toBe('exact');
    expect(dbnEval.logLikelihood).toBeLessThan(0);
    expect(dbnEval.logLikelihood).toBeGreaterThan(-16 * Math.LN2 - 1e-9 - 20);
    const dbmEval = JSON.parse((await cli(['eval', join(dir, 'dbm-straight.json'), '--data', data, '--json'])).stdout);
    expect(dbmEval.method).toBe('exact');
    const bmEval = JSON.parse((await cli(['eval', join(dir, 'bm-straight.json'), '--data', data, '--limit', '40', '--json'])).stdout);
    expect(bmEval.method).toBe('exact');
    // AIS on request (the estimator of machines too large to enumerate), bracketing the exact value
    const bmAis = JSON.parse((await cli(['eval', join(dir, 'bm-straight.json'), '--data', data, '--limit', '40', '--runs', '32', '--ais-steps', '300', '--json'])).stdout);
    expect(bmAis.method).toBe('ais');
    expect(bmAis.logLikelihoodLower).toBeLessThanOrEqual(bmEval.logLikelihood);
    expect(bmAis.logLikelihoodUpper).toBeGreaterThanOrEqual(bmEval.logLikelihood);
  });

  it('resume --epochs extends a finished run exactly as a longer run would', async () => {
    const short = join(dir, 'short.json'), long = join(dir, 'long.json'), ext = join(dir, 'ext.json');
    await cli(rbmArgs(short, ['--quiet']));
    await cli([...rbmArgs(long, ['--quiet']).map((a) => (a === '3' ? '5' : a))]);
    expect((await cli(['train', '--resume', short, '--epochs', '5', '--out', ext, '--quiet'])).code).toBe(0);
    expect(learned(readDoc(ext))).toEqual(learned(readDoc(long)));
    expect((await cli(['train', '--resume', short, '--epochs', '5', '--out', ext, '--hidden', '9'])).code).toBe(2);
  });

  it('the real binary: SIGINT writes a checkpoint, exits 130, and --resume continues bit-exactly', async () => {
    const big = writeData('big.csv', 400, 6);
    const out = join(dir, 'sig.json'), ck = join(dir, 'sig.ckpt.json');
    const args = ['train', 'rbm', '--data', big, '--hidden', '8', '--epochs', '100000', '--batch-size', '10', '--seed', '2', '--out', out, '--checkpoint', ck];
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/node/cli-bin.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolveExit) => {
      child.stdout.on('data', (b) => {
        stdout += b;
        if (/epoch 2\//.test(stdout) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolveExit(c));
    }).finally(() => clearTimeout(guard));
    expect(code, stderr).toBe(130);
    expect(stdout).not.toMatch(/\r/); // piped: plain lines
    expect(stderr).toMatch(/checkpoint written to/);
    const state = (readDoc(ck).state as { cli: { epoch: number; batch: number } }).cli;
    const total = String(state.epoch + 1);
    const resumedOut = join(dir, 'sig-resumed.json');
    expect((await cli(['train', '--resume', ck, '--epochs', total, '--out', resumedOut, '--quiet'])).code).toBe(0);
    const straightOut = join(dir, 'sig-straight.json');
    const straightArgs = args.map((a) => (a === '100000' ? total : a === out ? straightOut : a));
    expect((await cli([...straightArgs, '--quiet'])).code).toBe(0);
    expect(learned(readDoc(resumedOut))).toEqual(learned(readDoc(straightOut)));
  });
});
