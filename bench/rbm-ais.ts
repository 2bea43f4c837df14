/**
 * AIS with Salakhutdinov & Murray's default schedule (14 500 βs, 100 runs) against the
 * exact log Z, on random RBMs and on an RBM trained on digits, all with ≤ 20 hidden units.
 *
 * Run: npm run bench -- rbm-ais   (BENCH_QUICK=1 for a 10× shorter schedule)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { aisSchedule, rbmAIS } from '../src/models/rbm-ais.js';
import { rbmExactLogPartition } from '../src/models/rbm-exact.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { RBM } from '../src/models/rbm.js';
import { Random } from '../src/random/random.js';
import { RBMTrainer } from '../src/train/rbm-trainer.js';
import { benchDir, printTable, writeResult } from './common.js';

function randomRBM(nV: number, nH: number, seed: number, std: number): RBM {
  const rbm = new RBM(nV, nH, { rng: seed, weightStd: std });
  const r = new Random(seed + 100);
  r.fillNormal(rbm.visibleBias, 0, 1);
  r.fillNormal(rbm.hiddenBias, 0, 1);
  return rbm;
}

function digitsBinary(): Matrix | undefined {
  const file = resolve(benchDir, '../../shared/data/digits/digits.csv.gz');
  if (!existsSync(file)) return undefined;
  const lines = gunzipSync(readFileSync(file)).toString().trim().split('\n');
  const X = new Float64Array(lines.length * 64);
  for (let r = 0; r < lines.length; r++) {
    const f = lines[r].split(',');
    for (let i = 0; i < 64; i++) X[r * 64 + i] = Number(f[i]) >= 8 ? 1 : 0;
  }
  return { rows: lines.length, cols: 64, data: X };
}

export function main(): void {
  const quick = process.env.BENCH_QUICK === '1';
  const betas = quick ? aisSchedule(50, 400, 1000) : aisSchedule();
  const cases: { name: string; rbm: RBM; base?: Matrix }[] = [
    { name: 'random 20×10, W~N(0,1)', rbm: randomRBM(20, 10, 1, 1) },
    { name: 'random 12×20, W~N(0,1)', rbm: randomRBM(12, 20, 2, 1) },
    { name: 'random 100×20, W~N(0,0.3²)', rbm: randomRBM(100, 20, 3, 0.3) },
  ];
  const digits = digitsBinary();
  if (digits) {
    const rbm = new RBM(64, 20, { rng: 4, data: digits });
    new RBMTrainer(rbm, { method: 'pcd', learningRate: 0.05, momentum: 0.5, batchSize: 20, rng: 5 }).fit(digits, { epochs: 30 });
    cases.push({ name: 'digits (≥8 → 1) 64×20, PCD 30 epochs', rbm, base: digits });
  }
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  for (const c of cases) {
    const exact = rbmExactLogPartition(c.rbm);
    const t0 = performance.now();
    const a = rbmAIS(c.rbm, { betas, runs: 100, rng: 7, base: c.base });
    const s = (performance.now() - t0) / 1000;
    rows.push([c.name, exact.toFixed(4), a.logZ.toFixed(4), (a.logZ - exact).toFixed(4), `[${a.logZLower.toFixed(3)}, ${a.logZUpper.toFixed(3)}]`, a.effectiveSampleSize.toFixed(1), s]);
    out.push({ name: c.name, exact, ais: a.logZ, error: a.logZ - exact, lower: a.logZLower, upper: a.logZUpper, ess: a.effectiveSampleSize, seconds: s });
  }
  console.log(`\nAIS, ${betas.length - 1} βs × 100 runs, against exact log Z`);
  printTable(['model', 'exact log Z', 'AIS log Z', 'error', '±3σ', 'ESS', 'AIS s'], rows);
  console.log(`wrote ${writeResult('rbm-ais', { steps: betas.length - 1, runs: 100, cases: out })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
