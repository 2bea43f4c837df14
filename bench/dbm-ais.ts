/**
 * The DBM's MNIST likelihood bound at the full AIS setting: 100 runs × 14 500 βs on the saved
 * 784-500-1000 DBM (bench/out/deep-mnist-dbm/dbm-epoch1.json, from `npm run example:deep-mnist`),
 * with the WebAssembly SIMD kernel, base rate from the training rows, variational lower bound on the
 * 10 000 test digits of mnist-binarized. Run: npm run bench -- dbm-ais (writes bench/out/dbm-ais.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbmAIS, dbmVariationalBound } from '../src/models/dbm-ais.js';
import { setKernel } from '../src/linalg/kernel.js';
import { initWasm } from '../src/linalg/wasm/wasm-kernel.js';
import { DBM } from '../src/models/dbm.js';
import { loadMnist } from '../src/node/data.js';
import { benchDir, outDir, writeResult } from './common.js';

export async function main(): Promise<void> {
  const dataDir = join(benchDir, '..', '..', 'shared', 'data', 'mnist-binarized');
  const modelPath = process.env.DBM_MODEL ?? join(outDir, 'deep-mnist-dbm', 'dbm-epoch1.json');
  if (!existsSync(dataDir) || !existsSync(modelPath)) {
    console.log(`skipped: needs ${dataDir} and ${modelPath} (npm run example:deep-mnist first)`);
    return;
  }
  const dbm = DBM.fromDocument(JSON.parse(readFileSync(modelPath, 'utf8')));
  const train = loadMnist(dataDir, { split: 'train', limit: 10_000 }).images;
  const test = loadMnist(dataDir, { split: 'test' }).images;
  const prev = setKernel(await initWasm());
  try {
    const t0 = performance.now();
    const ais = dbmAIS(dbm, { base: train, runs: 100, rng: 11 });
    const seconds = (performance.now() - t0) / 1000;
    const bound = dbmVariationalBound(dbm, test, ais);
    console.log(`DBM ${dbm.sizes.join('-')}: log Z = ${ais.logZ.toFixed(2)} [${ais.logZLower.toFixed(2)}, ${ais.logZUpper.toFixed(2)}], ESS ${ais.effectiveSampleSize.toFixed(1)}, ${ais.steps} βs × ${ais.runs} runs in ${seconds.toFixed(0)} s`);
    const b = { mean: bound.mean, lower: bound.lower, upper: bound.upper };
    console.log(`test variational lower bound (nats): ${b.mean.toFixed(2)} [${b.lower.toFixed(2)}, ${b.upper.toFixed(2)}]`);
    console.log(`written ${writeResult('dbm-ais', { model: modelPath, ais: { ...ais, logWeights: undefined }, seconds, testBound: b })}`);
  } finally {
    setKernel(prev);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
