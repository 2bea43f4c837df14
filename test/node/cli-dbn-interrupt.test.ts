/**
 * The deep-stack step of `train dbn` (issue #15): the next layer's training
 * data (the up-pass through the trained layers) is computed in blocks of rows
 * with pauses for the event loop, so Ctrl-C is seen during it. A Ctrl-C that
 * lands there writes a checkpoint holding the trained layers and no state for
 * the next one, and `--resume` then ends with exactly the parameters of an
 * uninterrupted run. The blocks give the numbers of one up-pass.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DBN, MODEL_REGISTRY, Random, type ModelDocument } from '../../src/index.js';
import { readKindOptions } from '../../src/node/cli/args.js';
import { type CliStream, runCli } from '../../src/node/cli/index.js';

class Capture implements CliStream {
  text = '';
  write(t: string): boolean {
    this.text += t;
    return true;
  }
}

async function cli(args: string[], opts: { signal?: AbortSignal; onStep?: (s: number) => void } = {}) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: {}, signal: opts.signal, onStep: opts.onStep });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const readDoc = (p: string): ModelDocument => JSON.parse(readFileSync(p, 'utf8')) as ModelDocument;
const learned = (d: ModelDocument) => {
  const { cli: _cli, ...state } = (d.state ?? {}) as Record<string, unknown>;
  return { tensors: d.tensors, state };
};

describe('train dbn: Ctrl-C during the up-pass to the next layer', () => {
  let dir = '';
  let data = '';
  const rows = 1200;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-dbn-interrupt-'));
    const r = new Random(5);
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) lines.push(Array.from({ length: 20 }, (_, j) => (r.float64() < 0.2 + 0.03 * j ? 1 : 0)).join(','));
    data = join(dir, 'd.csv');
    writeFileSync(data, `${lines.join('\n')}\n`);
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints before layer 2 and resumes to the uninterrupted parameters', async () => {
    const args = (out: string, extra: string[] = []) => ['train', 'dbn', '--data', data, '--layers', '12,8', '--epochs', '2', '--batch-size', '40', '--seed', '3', '--out', out, ...extra];
    const straight = join(dir, 'straight.json');
    const s = await cli(args(straight));
    expect(s.code, s.stderr).toBe(0);
    // 30 steps per epoch, 2 epochs: step 60 is the last of layer 1, so the abort lands in the up-pass to layer 2.
    const ck = join(dir, 'ck.json');
    const ac = new AbortController();
    let steps = 0;
    const r = await cli(args(join(dir, 'part.json'), ['--checkpoint', ck]), { signal: ac.signal, onStep: (step) => { steps = step; if (step === 60) ac.abort(); } });
    expect(r.code, r.stderr).toBe(130);
    expect(steps).toBe(60);
    expect(r.stderr).toMatch(/interrupted at layer 2\/2, epoch 1, batch 0\/30; checkpoint written/);
    const ckDoc = readDoc(ck);
    expect((ckDoc.state as Record<string, unknown>).layerTraining).toBeUndefined();
    const done = await cli(['train', '--resume', ck]);
    expect(done.code, done.stderr).toBe(0);
    expect(learned(readDoc(ck))).toEqual(learned(readDoc(straight)));
  }, 120_000);

  it('the up-pass in blocks of 500 rows gives the numbers of one up-pass', () => {
    const net = new DBN([20, 12, 8], { rng: 4, weightStd: 0.5 });
    const r = new Random(2);
    const x = new Float64Array(rows * 20);
    for (let i = 0; i < x.length; i++) x[i] = r.float64() < 0.4 ? 1 : 0;
    const whole = net.transform({ rows, cols: 20, data: x }, { layer: 2 });
    const parts: number[] = [];
    for (let s0 = 0; s0 < rows; s0 += 500) {
      const n = Math.min(500, rows - s0);
      parts.push(...net.transform({ rows: n, cols: 20, data: x.subarray(s0 * 20, (s0 + n) * 20) }, { layer: 2 }).data);
    }
    expect(parts).toEqual(Array.from(whole.data));
  });

  it("the dbn kind's stage trains layer 2 on the same rows with and without the blocks (metrics over all rows agree)", async () => {
    const kind = MODEL_REGISTRY.get('dbn');
    const r = new Random(9);
    const x = new Float64Array(rows * 20);
    for (let i = 0; i < x.length; i++) x[i] = r.float64() < 0.4 ? 1 : 0;
    const m = { rows, cols: 20, data: x };
    const options = readKindOptions('train', { layers: '12,8' }, kind?.options?.train);
    const plan = () => kind?.trainer?.({ data: m, options, seed: 3, monitor: rows, note: () => {} });
    let calls = 0;
    const blocks = await plan()?.stage(1, undefined, { progress: () => calls++ });
    const whole = await plan()?.stage(1);
    expect(calls).toBe(3); // 500 + 500 + 200 rows
    expect(blocks?.metrics()).toBe(whole?.metrics());
  });
});
