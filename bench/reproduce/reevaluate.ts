/**
 * Re-evaluates a PUBLISHED model — the float32 safetensors file a results.json entry names —
 * with a fresh AIS seed, through the library's public contract only (`loadModel`, `score`):
 *
 *   node --import tsx bench/reproduce/reevaluate.ts --name <results.json entry> [--seed 11]
 *        [--ais-runs 100] [--ais-betas 14500] [--threads 2] [--json]
 *        [--test-rows 10000] [--results bench/reproduce/results.json] [--data ../shared/data/mnist-binarized]
 *
 * RBMs: `rbm.score(test, { method: 'ais', aisBase: train })`, the AIS estimate of the test
 * log-likelihood. DBMs: `dbm.score(test, { method: 'bound', aisBase: train, aisHiddenBase: 'data' })`,
 * the mean-field variational lower bound with log Z from AIS. Both with the base-rate model from
 * the 60 000 training rows, as the entry's own evaluation. The point is a second opinion on a
 * published figure: a different AIS stream on the file anyone can download, not the checkpoint
 * the figure was measured on (float64), so differences include the float32 rounding of the
 * parameters. Nothing is written; the figures are printed (text, or one JSON line with --json).
 * Needs ../shared/data/mnist-binarized (exits with a message where it is absent). The model path
 * is read relative to the results file's folder. `--test-rows` scores the first N test rows only
 * (a smoke run; the published figures are over all 10 000).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScoreResult } from '../../src/index.js';
import { DBM, loadModel, RBM, safetensorsToDocument, withThreads } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';
import { scriptArgs } from './cli-args.js';

const { has, str, int } = scriptArgs('reevaluate');
const here = fileURLToPath(new URL('.', import.meta.url));
const name = str('name', '');
if (name === '') throw new RangeError('reevaluate: --name <results.json entry> is required');
const seed = int('seed', 11, 0);
const runs = int('ais-runs', 100);
const betas = int('ais-betas', 14500, 3);
const threads = int('threads', 2);
const testRows = int('test-rows', 10_000);
const resultsFile = resolve(str('results', join(here, 'results.json')));

const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { name: string; model?: string; testLL?: number; interval?: number[]; ess?: number }[];
const entry = results.find((r) => r.name === name);
if (entry?.model === undefined) throw new RangeError(`reevaluate: ${resultsFile} has no entry '${name}' with a model`);
const dataDir = resolve(str('data', resolve(here, '../../../shared/data/mnist-binarized')));
if (!existsSync(dataDir)) {
  console.log(`reevaluate: skipped — ${dataDir} is absent (the MNIST data lives in ../shared/data)`);
  process.exit(0);
}
const model = loadModel(safetensorsToDocument(readFileSync(join(dirname(resultsFile), entry.model))));
if (!(model instanceof DBM || model instanceof RBM)) throw new RangeError(`reevaluate: '${name}' is not an RBM or a DBM (DBN entries: dbn-paper.ts --eval-only)`);
const train = loadMnist(dataDir, { split: 'train' }).images;
const test = loadMnist(dataDir, { split: 'test', limit: testRows }).images;
const t0 = performance.now();
const r: ScoreResult =
  model instanceof DBM
    ? withThreads(threads, () => model.score(test, { method: 'bound', aisRuns: runs, aisBetas: betas, aisBase: train, aisHiddenBase: 'data', rng: seed }))
    : withThreads(threads, () => model.score(test, { method: 'ais', aisRuns: runs, aisBetas: betas, aisBase: train, rng: seed }));
const seconds = (performance.now() - t0) / 1000;
const fields = { name, seed, runs, betas, testRows: test.rows, testLL: r.mean, interval: [r.lower, r.upper], ess: r.ess, logZ: r.logZ, logZLowerBound: r.logZLowerBound, seconds, published: { testLL: entry.testLL, interval: entry.interval, ess: entry.ess } };
if (has('json')) console.log(JSON.stringify(fields));
else {
  console.log(`${name} (${entry.model}), AIS seed ${seed}, ${runs} runs × ${betas} βs, ${seconds.toFixed(0)} s on ${threads} threads`);
  console.log(`  test ${r.mean.toFixed(2)} [${r.lower.toFixed(2)}, ${r.upper.toFixed(2)}], ESS ${r.ess?.toFixed(1)}, log Z ${r.logZ?.toFixed(2)} (certified ≥ ${r.logZLowerBound?.toFixed(2)})`);
  console.log(`  published: ${entry.testLL?.toFixed(2)} [${entry.interval?.map((x) => x.toFixed(2)).join(', ')}], ESS ${entry.ess?.toFixed(1)}`);
}
