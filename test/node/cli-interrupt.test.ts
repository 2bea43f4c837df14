/**
 * Ctrl-C latency of `eval` (AIS) and `sample` at the README's defaults
 * (issue #15, "Must show"): the real binary is spawned
 * (`node --import tsx src/node/cli-bin.ts`), SIGINT is sent 2 s after the long
 * work has started, and the process must exit with code 130 well within the
 * bound. Before the fix, the synchronous loops ignored SIGINT until they ended
 * (about 4 minutes for `eval`). The measured latency is printed.
 *
 * `eval`: `eval rbm.json --data mnist-binarized:test --limit 1000` on a 784×100
 * RBM (the README's `--hidden 100`), default AIS (100 runs × 14 500 β steps),
 * on ../shared/data when present, else on 1000 generated rows.
 * `sample`: `sample rbm.json --n 16 --steps 1000 --out dreams.png` on a 784×2000
 * RBM, large enough that 1000 sweeps take many seconds on this machine.
 *
 * `train dbm`: SIGINT during greedy pretraining (1000 epochs per layer on
 * 2000 generated rows, layers 200,200); it stops between RBM epochs.
 *
 * The bound (3 s) leaves margin for a loaded 2-core machine; the target is
 * about one second.
 *
 * The other kinds (second block): `eval` and `sample` of a boltzmann-machine
 * (64 visible + 8 hidden, the README's `--hidden 8` on the digits; AIS at the
 * default 100 runs × 14 500 β steps), a dbn (784-500-2000: the bound, AIS over
 * the top RBM) and a hopfield network (784 units; recall from 10 000 cues),
 * SIGINT 1 s after the work has started; each must exit 130 within the same
 * 3 s bound (run alone they take 40–650 ms; 2.2 s was seen once with the
 * machine's load average at 18 on 2 cores).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBN } from '../../src/models/dbn.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { Random, RBM } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sharedData = join(root, '..', 'shared', 'data');
const BOUND_MS = 3000;

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  latencyMs: number;
  stderr: string;
}

/** Spawns the CLI, waits for `started` on stderr plus `afterMs`, sends SIGINT, and times the exit. */
function interruptCli(args: string[], started: RegExp, afterMs: number): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/node/cli-bin.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sentAt = -1;
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit (SIGINT ${sentAt < 0 ? 'never sent' : `sent ${Math.round(performance.now() - sentAt)} ms ago`}); stderr:\n${stderr}`));
    }, 90_000);
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (timer === undefined && started.test(stderr)) {
        timer = setTimeout(() => {
          sentAt = performance.now();
          child.kill('SIGINT');
        }, afterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer !== undefined) clearTimeout(timer);
      if (sentAt < 0) {
        reject(new Error(`the CLI exited (code ${code}) before SIGINT was sent; stderr:\n${stderr}`));
        return;
      }
      resolve({ code, signal, latencyMs: performance.now() - sentAt, stderr });
    });
  });
}

describe('Ctrl-C latency at the README defaults (issue #15)', () => {
  let dir = '';
  let dataArgs: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-interrupt-'));
    const r = new Random(7);
    // The README's model: 784 visible, 100 hidden (random weights: AIS takes as long on any weights).
    const rbm100 = new RBM(784, 100, { rng: 1, weightStd: 0.05 });
    writeFileSync(join(dir, 'rbm.json'), JSON.stringify(rbm100.toDocument()));
    const rbm2000 = new RBM(784, 2000, { rng: 2, weightStd: 0.05 });
    writeFileSync(join(dir, 'big.json'), JSON.stringify(rbm2000.toDocument()));
    if (existsSync(join(sharedData, 'mnist-binarized'))) {
      dataArgs = ['--data', 'mnist-binarized:test', '--data-dir', sharedData, '--limit', '1000'];
    } else {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++) lines.push(Array.from({ length: 784 }, () => (r.float64() < 0.13 ? 1 : 0)).join(','));
      writeFileSync(join(dir, 'test.csv'), `${lines.join('\n')}\n`);
      dataArgs = ['--data', join(dir, 'test.csv'), '--limit', '1000'];
      console.log('cli-interrupt: ../shared/data/mnist-binarized not found; using 1000 generated rows');
    }
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('eval (AIS, 100 runs × 14 500 β steps) exits 130 within the bound of SIGINT', async () => {
    const r = await interruptCli(['eval', join(dir, 'rbm.json'), ...dataArgs], /AIS: 14500 β steps/, 2000);
    console.log(`cli-interrupt: eval exited ${r.code} ${Math.round(r.latencyMs)} ms after SIGINT`);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted after \d+ of 14500 β steps/);
    expect(r.latencyMs).toBeLessThan(BOUND_MS);
  }, 120_000);

  it('sample (--n 16 --steps 1000) exits 130 within the bound of SIGINT and writes nothing', async () => {
    const out = join(dir, 'dreams.png');
    const r = await interruptCli(['sample', join(dir, 'big.json'), '--n', '16', '--steps', '1000', '--out', out], /sampling: 1000 sweeps/, 2000);
    console.log(`cli-interrupt: sample exited ${r.code} ${Math.round(r.latencyMs)} ms after SIGINT`);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted after \d+ of 1000 sweeps/);
    expect(existsSync(out)).toBe(false);
    expect(r.latencyMs).toBeLessThan(BOUND_MS);
  }, 120_000);

  it('train dbm exits 130 within the bound of SIGINT during pretraining (nothing written)', async () => {
    const r = new Random(11);
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(Array.from({ length: 100 }, () => (r.float64() < 0.3 ? 1 : 0)).join(','));
    const csv = join(dir, 'd100.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'dbm.json');
    const args = ['train', 'dbm', '--data', csv, '--layers', '200,200', '--pretrain-epochs', '1000', '--epochs', '1', '--out', out];
    const res = await interruptCli(args, /pretraining the dbm/, 2000);
    console.log(`cli-interrupt: train dbm (pretraining) exited ${res.code} ${Math.round(res.latencyMs)} ms after SIGINT`);
    expect(res.signal).toBeNull();
    expect(res.code).toBe(130);
    expect(res.stderr).toMatch(/interrupted during the stage setup \(pretraining\)/);
    expect(existsSync(out)).toBe(false);
    expect(res.latencyMs).toBeLessThan(BOUND_MS);
  }, 120_000);
});

describe('Ctrl-C latency of eval and sample for boltzmann-machine, dbn and hopfield (issue #15)', () => {
  let dir = '';
  let digits: string[] = [];
  let mnist: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-interrupt-kinds-'));
    const r = new Random(3);
    writeFileSync(join(dir, 'bm.json'), JSON.stringify(new BoltzmannMachine(64, 8, { rng: 1, initScale: 0.3 }).toDocument()));
    writeFileSync(join(dir, 'bm-big.json'), JSON.stringify(new BoltzmannMachine(400, 0, { rng: 2, initScale: 0.3 }).toDocument()));
    writeFileSync(join(dir, 'dbn.json'), JSON.stringify(new DBN([784, 500, 2000], { rng: 3, weightStd: 0.05 }).toDocument()));
    const net = new HopfieldNetwork(784, { rng: 4 });
    const patterns = Array.from({ length: 20 }, () => Array.from({ length: 784 }, () => (r.float64() < 0.5 ? 1 : 0)));
    net.fit(patterns, { binary: true });
    writeFileSync(join(dir, 'hopfield.json'), JSON.stringify(net.toDocument()));
    if (existsSync(join(sharedData, 'digits')) && existsSync(join(sharedData, 'mnist-binarized'))) {
      digits = ['--data', 'digits', '--data-dir', sharedData];
      mnist = ['--data', 'mnist-binarized:test', '--data-dir', sharedData];
    } else {
      const csv = (rows: number, cols: number, name: string): string => {
        const lines: string[] = [];
        for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, () => (r.float64() < 0.2 ? 1 : 0)).join(','));
        writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
        return join(dir, name);
      };
      digits = ['--data', csv(1797, 64, 'digits.csv')];
      mnist = ['--data', csv(10000, 784, 'mnist.csv')];
      console.log('cli-interrupt: ../shared/data not found; using generated rows');
    }
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, () => string[], RegExp, RegExp][] = [
    ['eval boltzmann-machine (AIS)', () => ['eval', join(dir, 'bm.json'), ...digits], /AIS: 14500 β steps/, /interrupted after \d+ of 14500 β steps/],
    ['sample boltzmann-machine', () => ['sample', join(dir, 'bm-big.json'), '--n', '16', '--steps', '100000', '--out', join(dir, 'bm.png')], /sampling: 100001 sweeps/, /interrupted after \d+ of 100001 sweeps/],
    ['eval dbn (bound)', () => ['eval', join(dir, 'dbn.json'), ...mnist, '--limit', '1000'], /bound: 14700 steps/, /interrupted after \d+ of 14700 steps/],
    ['sample dbn', () => ['sample', join(dir, 'dbn.json'), '--n', '16', '--steps', '100000', '--out', join(dir, 'dbn.png')], /sampling: 100000 sweeps/, /interrupted after \d+ of 100000 sweeps/],
    ['eval hopfield', () => ['eval', join(dir, 'hopfield.json'), ...mnist, '--limit', '10000'], /recall: 10000 rows/, /interrupted after \d+ of 10000 rows/],
    ['sample hopfield', () => ['sample', join(dir, 'hopfield.json'), '--n', '16', '--steps', '1000', '--out', join(dir, 'hop.png')], /sampling: 16000 sweeps/, /interrupted after \d+ of 16000 sweeps/],
  ];
  for (const [name, args, started, stopped] of cases) {
    it(`${name} exits 130 within the bound of SIGINT and writes nothing`, async () => {
      const a = args();
      const r = await interruptCli(a, started, 1000);
      console.log(`cli-interrupt: ${name} exited ${r.code} ${Math.round(r.latencyMs)} ms after SIGINT`);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(stopped);
      const out = a[a.indexOf('--out') + 1];
      if (a.includes('--out')) expect(existsSync(out as string)).toBe(false);
      expect(r.latencyMs).toBeLessThan(BOUND_MS);
    }, 120_000);
  }
});
