/**
 * What `train` says about time and how to go on: each epoch's line gives the training time and
 * the metrics' time apart (the metrics of 500 MNIST rows cost more than a 10 000-row epoch of
 * training, and the line gave the training alone); the ETA counts the metrics and says it is a
 * lower bound (≥) until their cost has been timed; `--monitor 0` turns the metrics off; and the
 * resume hint printed on Ctrl-C names the run's `--out`, which the checkpoint does not store (a
 * resume without it wrote the finished model over the checkpoint).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelDocument } from '../../src/document.js';
import { createRegistry, MODEL_REGISTRY, type ModelKind, type ModelRegistry } from '../../src/io/registry.js';
import { runCli } from '../../src/node/cli/index.js';
import { Random } from '../../src/random/random.js';
import { Capture } from '../helpers/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'bz-train-time-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = join(dir, 'd.csv');
{
  const r = new Random(3);
  const rows = Array.from({ length: 200 }, () => Array.from({ length: 12 }, () => (r.float64() < 0.3 ? 1 : 0)));
  writeFileSync(data, `${rows.map((x) => x.join(',')).join('\n')}\n`);
}

class Tty extends Capture {
  readonly isTTY = true;
}

async function cli(args: string[], opts: { tty?: boolean; signal?: AbortSignal; onStep?: (s: number) => void; registry?: ModelRegistry } = {}) {
  const stdout = opts.tty ? new Tty() : new Capture(), stderr = opts.tty ? new Tty() : new Capture();
  const code = await runCli(args, { stdout, stderr, env: {}, signal: opts.signal, onStep: opts.onStep, registry: opts.registry });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const rbm = (out: string, extra: string[] = []) => ['train', 'rbm', '--data', data, '--hidden', '5', '--epochs', '3', '--batch-size', '5', '--seed', '7', '--out', out, ...extra];
const tensors = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as ModelDocument).tensors;

describe('train: per-epoch time, metrics and ETA', () => {
  it('each epoch line gives the training time and the metrics time apart', async () => {
    const r = await cli(rbm(join(dir, 'a.json')));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const [i, l] of lines.entries()) expect(l).toMatch(new RegExp(`^epoch ${i + 1}/3 +recon .* +train \\d+\\.\\d\\ds +metrics \\d+\\.\\d\\ds$`));
  });

  it('--monitor 0 turns the metrics off (same model), here and on --resume; a negative count is refused', async () => {
    const r = await cli(rbm(join(dir, 'b.json'), ['--monitor', '0']));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const [i, l] of lines.entries()) expect(l).toMatch(new RegExp(`^epoch ${i + 1}/3 +train \\d+\\.\\d\\ds$`));
    expect(tensors(join(dir, 'b.json'))).toEqual(tensors(join(dir, 'a.json')));
    // a model trained with --monitor 0 stores it, and resumes
    const more = await cli(['train', '--resume', join(dir, 'b.json'), '--epochs', '4']);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stdout.trim()).toMatch(/^epoch 4\/4 +train \d+\.\d\ds$/);
    const again = await cli(['train', '--resume', join(dir, 'b.json'), '--epochs', '5', '--monitor', '20']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toMatch(/^epoch 5\/5 +recon .* metrics \d+\.\d\ds$/);
    const bad = await cli(rbm(join(dir, 'c.json'), ['--monitor', '-1']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--monitor must be an integer ≥ 0/);
    const help = await cli(['train', '--help']);
    expect(help.stdout).toMatch(/--monitor <n> +rows used for the per-epoch metrics \(default 500; 0: no metrics/);
  });

  it('the ETA counts the metrics still to run, and is a lower bound (≥) until they have been timed', async () => {
    // the rbm kind with metrics that take 0.8 s (the training takes milliseconds)
    const kind = MODEL_REGISTRY.get('rbm') as ModelKind;
    const train = kind.trainer as NonNullable<ModelKind['trainer']>;
    const slow: ModelKind = {
      ...kind,
      trainer: (c) => {
        const plan = train(c);
        return {
          stages: plan.stages,
          stage: async (i, resume, setup) => {
            const s = await plan.stage(i, resume, setup);
            return {
              ...s,
              label: s.label,
              batchSize: s.batchSize,
              metrics: () => {
                const until = performance.now() + 800;
                while (performance.now() < until);
                return s.metrics();
              },
            };
          },
        };
      },
    };
    const registry = createRegistry([slow]);
    const r = await cli(rbm(join(dir, 'eta.json')), { tty: true, registry });
    expect(r.code, r.stderr).toBe(0);
    const bars = r.stderr.split('\r').filter((s) => s.includes('ETA'));
    const epoch = (e: number) => bars.filter((s) => s.includes(`epoch ${e}/3 `));
    expect(epoch(1).length).toBeGreaterThan(0);
    for (const b of epoch(1)) expect(b).toMatch(/ETA ≥\d+:\d\d$/);
    // at 100% of the mini-batches the last epoch's metrics (0.8 s) are still to run: the rate of
    // units done said ETA 0:00
    expect(epoch(3).at(-1)).toMatch(/100% ETA 0:01$/);
    for (const b of [...epoch(2), ...epoch(3)]) expect(b).not.toMatch(/≥/);
    // without metrics the ETA is the training's alone, never a bound
    const q = await cli(rbm(join(dir, 'eta0.json'), ['--monitor', '0']), { tty: true, registry });
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toMatch(/ETA \d+:\d\d/);
    expect(q.stderr).not.toMatch(/≥/);
  });
});

describe('train: the resume hint after Ctrl-C', () => {
  it('names --out, so the hinted command writes the finished model there, not over the checkpoint', async () => {
    const out = join(dir, 'hint.json');
    const ck = join(dir, 'hint.checkpoint.json');
    const ac = new AbortController();
    const r = await cli(rbm(out), { signal: ac.signal, onStep: (s) => s === 50 && ac.abort() });
    expect(r.code, r.stderr).toBe(130);
    const m = /resume with: boltzmann train (.*)\n/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect((m as RegExpExecArray)[1]).toBe(`--resume ${ck} --out ${out}`);
    const before = readFileSync(ck, 'utf8');
    const done = await cli(['train', ...((m as RegExpExecArray)[1] as string).split(' ')]);
    expect(done.code, done.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(ck, 'utf8')).toBe(before);
    expect(tensors(out)).toEqual(tensors(join(dir, 'a.json')));
  });

  it('quotes a path with spaces; a run continuing its own file needs no --out', async () => {
    const out = join(dir, 'my model.json');
    const ac = new AbortController();
    const r = await cli(rbm(out), { signal: ac.signal, onStep: (s) => s === 10 && ac.abort() });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`resume with: boltzmann train --resume '${join(dir, 'my model.checkpoint.json')}' --out '${out}'\n`);
    const own = join(dir, 'own.json');
    expect((await cli(rbm(own, ['--epochs', '1']))).code).toBe(0);
    const ac2 = new AbortController();
    const r2 = await cli(['train', '--resume', own, '--epochs', '3'], { signal: ac2.signal, onStep: (s) => s === 50 && ac2.abort() });
    expect(r2.code, r2.stderr).toBe(130);
    expect(r2.stderr).toContain(`resume with: boltzmann train --resume ${own}\n`);
  });
});
