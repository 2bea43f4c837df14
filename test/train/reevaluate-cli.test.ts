import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeModelF32 } from '../../bench/reproduce/publish.js';
import { DBM, HopfieldNetwork, loadModel, RBM, safetensorsToDocument } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';

// bench/reproduce/reevaluate.ts scores a published float32 model through the contract: its figures
// must be those of `loadModel(file).score(...)` with the same options and seed, computed here in
// process (a small RBM and DBM on the first 60 test rows, short AIS so it runs in seconds).
const dataDir = resolve('../shared/data/mnist-binarized');
const tmp = mkdtempSync(join(tmpdir(), 'reevaluate-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (...extra: string[]): string =>
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/reproduce/reevaluate.ts', '--results', join(tmp, 'results.json'), '--data', dataDir, '--test-rows', '60', '--ais-runs', '4', '--ais-betas', '60', '--threads', '1', '--json', ...extra], { encoding: 'utf8', stdio: 'pipe' });

/** As the script's JSON line carries it (±∞, e.g. an interval's open end, becomes null). */
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe.runIf(existsSync(dataDir))('bench/reproduce/reevaluate.ts', () => {
  it('gives the in-process score of the published file, for an RBM and a DBM; refuses an unknown entry', () => {
    const train = loadMnist(dataDir, { split: 'train', limit: 300 }).images;
    const rbm = new RBM(784, 12, { rng: 3 });
    rbm.fit(train, { epochs: 1, batchSize: 50 });
    const dbm = new DBM([784, 10, 8], { rng: 4 });
    dbm.fit(train, { epochs: 1, pretrain: 1, batchSize: 50, nChains: 20 });
    mkdirSync(join(tmp, 'models'));
    const entries = [
      { name: 'tiny-rbm', model: writeModelF32(tmp, 'tiny-rbm', rbm.toDocument()), testLL: -1 },
      { name: 'tiny-dbm', model: writeModelF32(tmp, 'tiny-dbm', dbm.toDocument()), testLL: -2 },
      { name: 'no-model', testLL: -3 },
    ];
    writeFileSync(join(tmp, 'results.json'), JSON.stringify(entries));
    const fullTrain = loadMnist(dataDir, { split: 'train' }).images;
    const test = loadMnist(dataDir, { split: 'test', limit: 60 }).images;
    const load = (name: string) => loadModel(safetensorsToDocument(readFileSync(join(tmp, 'models', `${name}.safetensors`))));

    const r = JSON.parse(cli('--name', 'tiny-rbm', '--seed', '5'));
    const rbm32 = load('tiny-rbm');
    if (!(rbm32 instanceof RBM)) throw new Error('not an RBM');
    const want = rbm32.score(test, { method: 'ais', aisRuns: 4, aisBetas: 60, aisBase: fullTrain, rng: 5 });
    expect([r.testLL, r.interval, r.ess, r.logZ, r.testRows, r.published.testLL]).toEqual(json([want.mean, [want.lower, want.upper], want.ess, want.logZ, 60, -1]));

    const d = JSON.parse(cli('--name', 'tiny-dbm', '--seed', '6'));
    const dbm32 = load('tiny-dbm');
    if (!(dbm32 instanceof DBM)) throw new Error('not a DBM');
    const wantD = dbm32.score(test, { method: 'bound', aisRuns: 4, aisBetas: 60, aisBase: fullTrain, aisHiddenBase: 'data', rng: 6 });
    expect([d.testLL, d.interval, d.ess, d.logZ]).toEqual(json([wantD.mean, [wantD.lower, wantD.upper], wantD.ess, wantD.logZ]));
    // another seed, another AIS stream
    expect(JSON.parse(cli('--name', 'tiny-dbm', '--seed', '7')).logZ).not.toBe(d.logZ);

    expect(() => cli('--name', 'no-model')).toThrow(/has no entry 'no-model' with a model/);
    expect(() => cli('--name', 'absent')).toThrow(/has no entry 'absent'/);
    writeFileSync(join(tmp, 'results.json'), JSON.stringify([...entries, { name: 'a-hopfield', model: writeModelF32(tmp, 'a-hopfield', new HopfieldNetwork(784).toDocument()) }]));
    expect(() => cli('--name', 'a-hopfield')).toThrow(/is not an RBM or a DBM/);
  }, 120_000);
});
