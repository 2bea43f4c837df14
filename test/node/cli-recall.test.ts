/**
 * The README's `recall` examples restore what they promise (issue #15): the
 * commands are run as documented, on the 8×8 digits of ../shared/data, and the
 * restored rows are counted.
 *
 * - `train hopfield --data digits --limit 10 --rule pseudo-inverse`, then
 *   `recall … --index i --noise 0.2` for i = 0…9: 10 of 10 restored exactly
 *   (the Hebbian rule on the same correlated digits: 0 of 10; Storkey's: 3).
 * - `train dense-associative-memory --data digits --limit 5` (exponential F),
 *   then `recall … --index i --noise 0.2 --mask bottom`: 5 of 5 half-hidden
 *   digits completed (with 10 stored: 7 of 10, where the pseudo-inverse
 *   Hopfield network completes 1 of 10; half a digit is sometimes ambiguous).
 *
 * The counts are exact: data, cue noise and dynamics are all seeded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(root, '..', 'shared', 'data');
const dir = mkdtempSync(join(tmpdir(), 'boltzmann-recall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli([...args, '--data-dir', dataDir], { stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Trains `kind` with `train` and counts the rows `0 … limit−1` that `recall` restores exactly. */
async function restored(kind: string, trainArgs: string[], limit: number, recallArgs: string[]): Promise<number> {
  const model = join(dir, `${kind}-${trainArgs.join('')}-${limit}.json`);
  const t = await cli(['train', kind, '--data', 'digits', '--limit', String(limit), ...trainArgs, '--out', model, '--quiet']);
  expect(t.code, t.stderr).toBe(0);
  let count = 0;
  for (let i = 0; i < limit; i++) {
    const r = await cli(['recall', model, '--data', 'digits', '--index', String(i), ...recallArgs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { restored: boolean; overlap: number; cueOverlap: number };
    expect(out.cueOverlap).toBeLessThan(1); // the cue really was corrupted
    if (out.restored) count++;
  }
  return count;
}

if (!existsSync(join(dataDir, 'digits'))) console.warn(`[test/node/cli-recall] ${join(dataDir, 'digits')} not found: the README recall examples are skipped`);
describe.skipIf(!existsSync(join(dataDir, 'digits')))('the README recall examples', () => {
  it('pseudo-inverse Hopfield network: 10 of 10 digits from 20% noise (Hebbian: 0 of 10, Storkey: 3)', async () => {
    expect(await restored('hopfield', ['--rule', 'pseudo-inverse'], 10, ['--noise', '0.2'])).toBe(10);
    expect(await restored('hopfield', ['--rule', 'hebbian'], 10, ['--noise', '0.2'])).toBe(0);
    expect(await restored('hopfield', ['--rule', 'storkey'], 10, ['--noise', '0.2'])).toBe(3);
  });

  it('dense associative memory: 5 of 5 half-hidden digits completed; of 10, 7 (pseudo-inverse Hopfield: 1)', async () => {
    const masked = ['--noise', '0.2', '--mask', 'bottom'];
    expect(await restored('dense-associative-memory', [], 5, masked)).toBe(5);
    expect(await restored('dense-associative-memory', [], 10, masked)).toBe(7);
    expect(await restored('hopfield', ['--rule', 'pseudo-inverse'], 10, masked)).toBe(1);
  });

  it("recall's help says which rule suits correlated data", async () => {
    const stdout = new Capture();
    expect(await runCli(['recall', '--help'], { stdout, stderr: new Capture(), env: {} })).toBe(0);
    expect(stdout.text).toMatch(/correlated patterns .* need the pseudo-inverse rule/);
    expect(stdout.text).toMatch(/dense-associative-memory/);
  });

  it('dense-associative-memory: --degree past 64 is a usage error (exit 2)', async () => {
    const r = await cli(['train', 'dense-associative-memory', '--data', 'digits', '--degree', '65', '--out', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--degree must be at most 64 \(got 65\)/);
  });
});
