import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { type CliStream, runCli } from '../../src/node/cli/index.js';
import { Random } from '../../src/random/random.js';

// `train boltzmann-machine --units spin` and `--free-start` (issue #20).
const dir = mkdtempSync(join(tmpdir(), 'boltzmann-bm-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rng = new Random(3);
const rows: number[][] = [];
for (let r = 0; r < 30; r++) {
  const a = rng.float64() < 0.5 ? 1 : 0;
  rows.push([a, a, 1 - a, 1 - a, rng.float64() < 0.5 ? 1 : 0]);
}
const data = join(dir, 'd.csv');
writeFileSync(data, `${rows.map((r) => r.join(',')).join('\n')}\n`);

class Capture implements CliStream {
  text = '';
  isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
async function cli(args: string[]) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('command line: boltzmann-machine --units spin, --free-start', () => {
  it('trains a ±1 machine on 0/1 files (mapped to 2x − 1), evaluates it exactly and samples 0/1 rows', async () => {
    const out = join(dir, 'spin.json');
    const base = ['train', 'boltzmann-machine', '--data', data, '--hidden', '2', '--epochs', '3', '--batch-size', '10', '--seed', '2', '--quiet'];
    const t = await cli([...base, '--units', 'spin', '--free-start', 'data', '--out', out]);
    expect(t.code, t.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.config.units).toBe('spin');
    expect(doc.state.training.options.freeStart).toBe('data');
    const bm = BoltzmannMachine.fromDocument(doc);
    const e = await cli(['eval', out, '--data', data, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const report = JSON.parse(e.stdout);
    expect(report.method).toBe('exact');
    const want = bm.exactLogLikelihood(rows.map((r) => r.map((x) => 2 * x - 1))).logLikelihood;
    expect(Math.abs(report.logLikelihood - want)).toBeLessThan(1e-9);
    const s = await cli(['sample', out, '--n', '6', '--steps', '5', '--out', join(dir, 's.json')]);
    expect(s.code, s.stderr).toBe(0);
    const samples = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).samples as number[][];
    expect(samples).toHaveLength(6);
    for (const r of samples) for (const x of r) expect(x === 0 || x === 1).toBe(true);
    // the default stays a 0/1 machine with the document as before (no units field)
    const b = await cli([...base, '--out', join(dir, 'bin.json')]);
    expect(b.code, b.stderr).toBe(0);
    const bdoc = JSON.parse(readFileSync(join(dir, 'bin.json'), 'utf8'));
    expect(bdoc.config.units).toBeUndefined();
    expect(bdoc.state.training.options.freeStart).toBe('random');
    // contradictory options are refused
    const bad = await cli([...base, '--persistent', '--free-start', 'data', '--out', join(dir, 'bad.json')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/persistent must agree with freeStart/);
  });
});
