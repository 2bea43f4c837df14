import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { DBM_PAPER } from '../../bench/reproduce/dbm-paper-protocol.js';

// End to end through the command line (bench/reproduce/dbm-paper.ts) on 300 MNIST rows and a
// 784-20-30 DBM: a run stopped after pretraining and composition (--epochs 0 --no-eval), resumed
// to joint epoch 1 (--no-eval) and resumed again to epoch 2 writes the same checkpoint bit for bit as one uninterrupted run, then the evaluation
// writes the float32 model, the results.json entry (keeping the other entries) and the SVG.
const dataDir = resolve('../shared/data/mnist-binarized');
const tmp = mkdtempSync(join(tmpdir(), 'dbm-paper-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const common = ['--sizes', '784,20,30', '--rows', '300', '--test-rows', '200', '--monitor-rows', '100', '--epochs-pretrain', '2,1', '--monitor-ais-runs', '4', '--monitor-ais-betas', '60', '--ais-runs', '8', '--ais-betas', '200', '--data', dataDir];
const cli = (...extra: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', 'bench/reproduce/dbm-paper.ts', ...common, ...extra], { encoding: 'utf8', stdio: 'pipe' });
/** The checkpoint without wall-clock fields. */
function timeless(dir: string): unknown {
  const c = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
  c.trainSeconds = 0;
  for (const r of c.curve) {
    r.seconds = 0;
    if (r.shortAIS) r.shortAIS.seconds = 0;
  }
  return c;
}

describe.runIf(existsSync(dataDir))('bench/reproduce/dbm-paper.ts end to end', () => {
  it('stop after pretraining + resume with more epochs = one run, bit for bit; evaluation writes model, entry and SVG', () => {
    const a = join(tmp, 'a'), b = join(tmp, 'b'), out = join(tmp, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'results.json'), JSON.stringify([{ name: 'rbm-other', testLL: -1 }]));
    cli('--epochs', '0', '--no-eval', '--checkpoint', a); // pretraining 2 + 1 and the composed DBM (joint epoch 0)
    expect(JSON.parse(readFileSync(join(a, 'checkpoint.json'), 'utf8')).phase).toBe('joint');
    cli('--epochs', '1', '--resume', '--no-eval', '--checkpoint', a); // joint epoch 1: fantasy particles, momentum in the checkpoint
    const a1 = join(tmp, 'a1');
    cpSync(a, a1, { recursive: true });
    cli('--epochs', '2', '--resume', '--checkpoint', a, '--out', out, '--seed', '1');
    cli('--epochs', '2', '--no-eval', '--checkpoint', b);
    expect(timeless(a)).toEqual(timeless(b));
    expect(() => cli('--epochs', '2', '--checkpoint', b)).toThrow(/exists; pass --resume/);
    // an annealed tail from a's joint epoch 2 (its own checkpoint; a is left as it was)
    const c = join(tmp, 'c');
    expect(() => cli('--anneal-from', '1', '--anneal-epochs', '1', '--anneal-base', a, '--checkpoint', c, '--no-eval')).toThrow(/not joint epoch --anneal-from 1/);
    cli('--anneal-from', '2', '--anneal-epochs', '1', '--anneal-base', a, '--checkpoint', c, '--no-eval');
    const tail = JSON.parse(readFileSync(join(c, 'checkpoint.json'), 'utf8')) as { epoch: number; anneal: unknown; curve: { epoch: number; phase: string; learningRate?: number }[] };
    expect([tail.epoch, tail.anneal]).toEqual([3, { from: 2, epochs: 1 }]);
    expect(tail.curve.at(-1)?.learningRate).toBeLessThan(0.5 * DBM_PAPER.joint.learningRate); // η₀/2 under the decay
    expect(timeless(a)).toEqual(timeless(b));
    // --float32-from 1 on a copy of a at joint epoch 1: epoch 2 on the float32 pool (other bits than a's
    // float64 epoch 2, the same epochs before it); recorded, so later calls must say the same
    cli('--epochs', '2', '--resume', '--no-eval', '--checkpoint', a1, '--float32-from', '1');
    const f = JSON.parse(readFileSync(join(a1, 'checkpoint.json'), 'utf8')) as { epoch: number; float32From?: number; joint: unknown; curve: { epoch: number; phase: string }[] };
    const d = JSON.parse(readFileSync(join(a, 'checkpoint.json'), 'utf8')) as typeof f;
    expect([f.epoch, f.float32From, d.float32From]).toEqual([2, 1, undefined]);
    expect((timeless(a1) as typeof f).curve.slice(0, -1)).toEqual((timeless(a) as typeof f).curve.slice(0, -1));
    expect(f.joint).not.toEqual(d.joint);
    expect(() => cli('--epochs', '3', '--resume', '--no-eval', '--checkpoint', a1)).toThrow(/pass --float32-from 1/);
    expect(() => cli('--epochs', '3', '--resume', '--no-eval', '--checkpoint', a, '--float32-from', '1')).toThrow(/at or after the epoch the checkpoint stands at/);
    const out1 = join(tmp, 'out1');
    mkdirSync(out1);
    cli('--eval-only', '--checkpoint', a1, '--out', out1, '--float32-from', '1');
    const f32Entry = (JSON.parse(readFileSync(join(out1, 'results.json'), 'utf8')) as { command: string; protocol: string }[])[0];
    expect(f32Entry?.command).toContain(' --float32-from 1 ');
    expect(f32Entry?.protocol).toContain('joint epochs after 1 with their products on the float32 pool');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { name: string; testLL: number; interval: number[]; ess: number; epochs: number; pretrainEpochs: number[]; logZ: number; certifiedLogZLowerBound: number; testBoundCeiling: number; aisBelowCertified: boolean }[];
    expect(results.map((r) => r.name)).toEqual(['rbm-other', 'dbm-paper-784-20-30-seed1-rows300']);
    const e = results.find((r) => r.name === 'dbm-paper-784-20-30-seed1-rows300');
    expect(e?.epochs).toBe(2);
    expect(e?.pretrainEpochs).toEqual([2, 1]);
    expect(e!.interval[0]! <= e!.testLL && e!.testLL <= e!.interval[1]!).toBe(true);
    expect(e!.testBoundCeiling).toBeCloseTo(e!.testLL + e!.logZ - e!.certifiedLogZLowerBound, 9);
    const model = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'models', 'dbm-paper-784-20-30-seed1-rows300.safetensors'))));
    expect(Object.keys(model.tensors).length).toBeGreaterThan(0);
    expect(Object.values(model.dtypes).every((d) => d === 'F32')).toBe(true);
    expect(readFileSync(join(out, 'dbm-paper-784-20-30-seed1-rows300.svg'), 'utf8')).toContain('<svg');
  }, 360_000);
});
