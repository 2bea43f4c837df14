/**
 * RBM AIS at Salakhutdinov & Murray's full setting — 100 runs × 14 500 βs on a
 * 784×500 RBM — through `rbm.score(…, { method: 'ais' })`'s engine (`rbmAIS`,
 * no kernel call: the default kernel with the automatic threads, and with
 * `threads: 1`), next to a NumPy implementation of the same algorithm
 * (bench/rbm-ais-numpy.py: same base-rate model, schedule and transitions;
 * OpenBLAS with 1 and 2 threads) in the same run. The two sides alternate, each
 * keeps its best of `AIS_REPEATS` (default 1). Both estimates of log Z are
 * printed: they agree within the AIS interval (different generators), not bit
 * for bit.
 *
 * Model: bench/reproduce/models/rbm-pcd-recipe-lr0.02-e20.safetensors (the
 * recipe's published model); base rates from the 60 000 binarized training rows.
 * Run: npm run bench -- ais-numpy   (writes bench/out/ais-numpy.json)
 * Environment: AIS_FRACTION=0.1 runs a tenth of the schedule (a quick look),
 * AIS_REPEATS=n repeats each side n times.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { idxToMatrix, parseIdx } from '../src/io/idx.js';
import { safetensorsToDocument } from '../src/io/safetensors.js';
import { automaticThreads } from '../src/linalg/wasm/auto.js';
import { RBM } from '../src/models/rbm.js';
import { aisSchedule, rbmAIS } from '../src/models/rbm-ais.js';
import { benchDir, findPython, printTable, writeResult } from './common.js';

/** Runs the AIS-vs-NumPy bench; returns what it writes to bench/out/ais-numpy.json (undefined when skipped; bench/kernels.ts embeds it). */
export async function main(): Promise<Record<string, unknown> | undefined> {
  const dataFile = join(benchDir, '..', '..', 'shared', 'data', 'mnist-binarized', 'binarized-train-images-idx3-ubyte.gz');
  const modelFile = join(benchDir, 'reproduce', 'models', 'rbm-pcd-recipe-lr0.02-e20.safetensors');
  if (!existsSync(dataFile) || !existsSync(modelFile)) {
    console.log(`skipped: ${existsSync(dataFile) ? modelFile : dataFile} is absent`);
    return undefined;
  }
  const fraction = Number(process.env.AIS_FRACTION ?? '1');
  const repeats = Math.max(1, Math.floor(Number(process.env.AIS_REPEATS ?? '1')));
  const [a, b, c] = [500, 4000, 10000].map((x) => Math.max(1, Math.round(x * fraction)));
  const runs = 100;
  const X = idxToMatrix(parseIdx(gunzipSync(readFileSync(dataFile))));
  const rbm = RBM.fromDocument(safetensorsToDocument(readFileSync(modelFile)));
  const py = findPython(['numpy', 'threadpoolctl']);
  const script = join(benchDir, 'rbm-ais-numpy.py');
  if (!py) console.log('NumPy reference skipped: no python3 with numpy and threadpoolctl (pip install numpy threadpoolctl)');
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  const autoThreads = automaticThreads();
  const ours: Record<string, { seconds: number; logZ: number }> = {};
  const numpy: Record<string, { seconds: number; logZ: number }> = {};
  const keep = (rec: Record<string, { seconds: number; logZ: number }>, key: string, r: { seconds: number; logZ: number }): void => {
    if (!rec[key] || r.seconds < rec[key].seconds) rec[key] = r;
  };
  console.log(`AIS: ${runs} runs × ${a + b + c} βs, 784×500 RBM, base rates from ${X.rows} rows${fraction !== 1 ? ` (AIS_FRACTION=${fraction})` : ''}`);
  for (let rep = 0; rep < repeats; rep++) {
    if (py) {
      for (const t of [1, 2]) {
        const out = execFileSync(py, [script, modelFile, dataFile, String(runs), String(a), String(b), String(c), String(t), String(rep + 1)], { encoding: 'utf8', env });
        keep(numpy, String(t), JSON.parse(out) as { seconds: number; logZ: number });
      }
    }
    for (const threads of autoThreads > 1 ? [undefined, 1] : [1]) {
      const t0 = performance.now();
      const r = rbmAIS(rbm, { runs, betas: aisSchedule(a, b, c), base: X, rng: rep + 1, threads });
      keep(ours, String(threads ?? autoThreads), { seconds: (performance.now() - t0) / 1000, logZ: r.logZ });
    }
  }
  const best = Math.min(...Object.values(numpy).map((r) => r.seconds));
  const rows: (string | number)[][] = [];
  for (const [t, r] of Object.entries(ours)) rows.push(['rbmAIS (default kernel)', t, r.seconds, r.logZ.toFixed(3), Number.isFinite(best) ? (r.seconds / best).toFixed(2) : '-']);
  for (const [t, r] of Object.entries(numpy)) rows.push(['NumPy/OpenBLAS', t, r.seconds, r.logZ.toFixed(3), (r.seconds / best).toFixed(2)]);
  printTable(['implementation', 'threads', 'seconds', 'log Z', 'ratio to NumPy best'], rows);
  const result = { runs, betas: a + b + c + 1, fraction, ours, numpy, oursOverNumpyBest: Object.fromEntries(Object.entries(ours).map(([t, r]) => [t, r.seconds / best])) };
  console.log(`written ${writeResult('ais-numpy', result)}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
