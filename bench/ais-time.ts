/**
 * How long annealed importance sampling takes at Salakhutdinov & Murray's full
 * setting — 100 runs × 14 500 βs — on a 784×500 RBM, with the WebAssembly SIMD
 * kernel (one thread, and two threads through the worker pool).
 * Uses bench/out/rbm-mnist/cd1.model.json when present (npm run example:rbm-mnist),
 * otherwise a random 784×500 RBM with a base rate from binarized MNIST.
 * Run: npm run bench -- ais-time   (writes bench/out/ais-time.json)
 * Set AIS_TIME_THREADS=1 or 2 to run only one backend.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rbmAIS } from '../src/models/rbm-ais.js';
import { setKernel } from '../src/linalg/kernel.js';
import { rowsView } from '../src/linalg/matrix.js';
import { initWasm } from '../src/linalg/wasm/wasm-kernel.js';
import { RBM } from '../src/models/rbm.js';
import { loadMnist } from '../src/node/data.js';
import { createWasmPool } from '../src/node/wasm-pool.js';
import { benchDir, outDir, printTable, writeResult } from './common.js';

export async function main(): Promise<void> {
  const dataDir = join(benchDir, '..', '..', 'shared', 'data', 'mnist-binarized');
  if (!existsSync(dataDir)) {
    console.log(`skipped: ${dataDir} is absent`);
    return;
  }
  const { images } = loadMnist(dataDir, { split: 'train', limit: 10_000 });
  const modelPath = join(outDir, 'rbm-mnist', 'cd1.model.json');
  const rbm = existsSync(modelPath)
    ? RBM.fromDocument(JSON.parse(readFileSync(modelPath, 'utf8')))
    : new RBM(784, 500, { rng: 1, data: images });
  const source = existsSync(modelPath) ? modelPath : 'random 784×500 (weights N(0, 0.01²))';
  const only = process.env.AIS_TIME_THREADS;
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const threads of [1, 2]) {
    if (only && Number(only) !== threads) continue;
    const kernel = threads === 1 ? await initWasm() : await createWasmPool({ threads });
    const prev = setKernel(kernel);
    try {
      const t0 = performance.now();
      const r = rbmAIS(rbm, { base: rowsView(images, 0, 10_000), runs: 100, rng: 7 });
      const seconds = (performance.now() - t0) / 1000;
      rows.push([kernel.name, threads, r.steps, r.runs, seconds, r.logZ, r.logZUpper - r.logZ, r.effectiveSampleSize]);
      results.push({ kernel: kernel.name, threads, steps: r.steps, runs: r.runs, seconds, logZ: r.logZ, logZLower: r.logZLower, logZUpper: r.logZUpper, ess: r.effectiveSampleSize });
    } finally {
      setKernel(prev);
      await (kernel as { close?: () => Promise<void> }).close?.();
    }
  }
  console.log(`model: ${source}`);
  printTable(['kernel', 'threads', 'βs', 'runs', 'seconds', 'log Z', '+3σ', 'ESS'], rows);
  console.log(`written ${writeResult('ais-time', { node: process.version, model: source, results })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
