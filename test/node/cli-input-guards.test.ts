/**
 * The command line checks before it works and names the file it refuses:
 * `sample` checks `--out` and `--shape` before drawing; model and data files
 * above the loaders' `maxBytes` are refused from their size (a sparse file,
 * no disk used) with a FormatError naming the file, never Node's own
 * RangeError; a model or CSV problem names the file; an IDX file of zero
 * columns is refused at load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, MODEL_REGISTRY, type ModelKind } from '../../src/io/registry.js';
import { type CliStream, runCli } from '../../src/node/cli/index.js';

const dir = mkdtempSync(join(tmpdir(), 'boltzmann-cli-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Capture implements CliStream {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
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
    const counting = createRegistry(
      MODEL_REGISTRY.kinds.map((k) => (k === rbm ? { ...rbm, sample: (...a: Parameters<NonNullable<ModelKind['sample']>>) => (draws++, (rbm.sample as NonNullable<ModelKind['sample']>).call(rbm, ...a)) } : k)),
    );
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
