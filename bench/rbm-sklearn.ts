/**
 * RBMs against scikit-learn's BernoulliRBM, side by side in one run:
 *
 * 1. scikit-learn's own test setting (test_rbm.py::test_fit): digits scaled to [0, 1],
 *    64 hidden units, learning rate 0.1, batch 10, 7 epochs, persistent CD; the mean
 *    pseudo-likelihood of the training data (scikit-learn's estimator) over several seeds.
 * 2. Speed: one epoch on the first 10 000 images of ../shared/data/mnist-binarized,
 *    784×500, batch 100, learning rate 0.1 — ours (CD-1 and PCD-1, dense kernel and the
 *    sparse-operand path) against BernoulliRBM (which is PCD-1) with 1 and 2 OpenBLAS threads.
 *
 * Run: npm run bench -- rbm-sklearn (RBM_SKLEARN_SPEED=0 skips part 2). Needs Debian's
 * python3-sklearn for the reference columns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pseudoLikelihood } from '../src/models/rbm-pseudo-likelihood.js';
import { idxToMatrix, parseIdx } from '../src/io/idx.js';
import { getKernel } from '../src/linalg/kernel.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { RBM } from '../src/models/rbm.js';
import { sparseProducts } from '../src/models/rbm-products.js';
import { RBMTrainer } from '../src/train/rbm-trainer.js';
import { benchDir, findPython, printTable, writeResult } from './common.js';

const dataDir = resolve(benchDir, '../../shared/data');
const SEEDS = [9, 0, 1, 2, 3];

function loadDigits(): Matrix {
  const lines = gunzipSync(readFileSync(join(dataDir, 'digits/digits.csv.gz'))).toString().trim().split('\n');
  const X = new Float64Array(lines.length * 64);
  let max = 0;
  lines.forEach((l, r) => {
    const f = l.split(',');
    for (let i = 0; i < 64; i++) {
      X[r * 64 + i] = Number(f[i]);
      if (X[r * 64 + i] > max) max = X[r * 64 + i];
    }
  });
  for (let i = 0; i < X.length; i++) X[i] /= max; // min is 0: scikit-learn's (X − min) / max
  return { rows: lines.length, cols: 64, data: X };
}

/** Runs the python reference without the OpenBLAS overrides of this machine's environment. */
function python(py: string, args: string[]): string {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return execFileSync(py, [join(benchDir, 'rbm-sklearn.py'), ...args], { encoding: 'utf8', env, maxBuffer: 16 << 20 });
}

function meanSd(x: number[]): [number, number] {
  const m = x.reduce((s, y) => s + y, 0) / x.length;
  const v = x.reduce((s, y) => s + (y - m) ** 2, 0) / Math.max(1, x.length - 1);
  return [m, Math.sqrt(v)];
}

export function main(): void {
  if (!existsSync(join(dataDir, 'digits'))) {
    console.log(`rbm-sklearn: ${dataDir} not found; skipped`);
    return;
  }
  const py = findPython(['sklearn', 'numpy']);
  const result: Record<string, unknown> = { kernel: getKernel().name };

  // 1. Pseudo-likelihood on digits, scikit-learn's test setting.
  const X = loadDigits();
  const ours = SEEDS.map((seed) => {
    const rbm = new RBM(64, 64, { rng: seed }); // N(0, 0.01²) weights, zero biases, as scikit-learn
    const t0 = performance.now();
    new RBMTrainer(rbm, { method: 'pcd', learningRate: 0.1, batchSize: 10, rng: seed }).fit(X, { epochs: 7 });
    const seconds = (performance.now() - t0) / 1000;
    const pl = pseudoLikelihood(rbm, X, { rng: seed });
    return { seed, pl: pl.reduce((s, x) => s + x, 0) / pl.length, seconds };
  });
  let theirs: { seed: number; pl: number; seconds: number }[] = [];
  if (py) theirs = JSON.parse(python(py, ['digits', join(dataDir, 'digits/digits.csv.gz'), SEEDS.join(',')])).runs;
  const [om, os] = meanSd(ours.map((r) => r.pl));
  const rows: (string | number)[][] = [['boltzmann (PCD)', om.toFixed(2), os.toFixed(2), ours.map((r) => r.pl.toFixed(2)).join(' '), meanSd(ours.map((r) => r.seconds))[0]]];
  if (theirs.length) {
    const [tm, ts] = meanSd(theirs.map((r) => r.pl));
    rows.push(['scikit-learn BernoulliRBM', tm.toFixed(2), ts.toFixed(2), theirs.map((r) => r.pl.toFixed(2)).join(' '), meanSd(theirs.map((r) => r.seconds))[0]]);
  } else rows.push(['scikit-learn', 'not installed', '', '', '']);
  console.log('\ndigits 1797×64 in [0,1], 64 hidden, lr 0.1, batch 10, 7 epochs: mean pseudo-likelihood over seeds ' + SEEDS.join(','));
  printTable(['model', 'mean PL', 'sd', 'per seed', 'fit s'], rows);
  result.digits = { ours, theirs };

  // 2. One epoch on 10 000 binarized MNIST images.
  const mnistFile = join(dataDir, 'mnist-binarized/binarized-train-images-idx3-ubyte.gz');
  if (!existsSync(mnistFile) || process.env.RBM_SKLEARN_SPEED === '0') {
    writeResult('rbm-sklearn', result);
    return;
  }
  const M = idxToMatrix(parseIdx(gunzipSync(readFileSync(mnistFile))), { limit: 10000 });
  const epoch = (persistent: boolean, sparse: boolean): number => {
    sparseProducts.enabled = sparse;
    try {
      const rbm = new RBM(784, 500, { rng: 0 });
      const cd = new RBMTrainer(rbm, { method: persistent ? 'pcd' : 'cd', learningRate: 0.1, batchSize: 100, rng: 1 });
      const t0 = performance.now();
      cd.runEpoch(M);
      return (performance.now() - t0) / 1000;
    } finally {
      sparseProducts.enabled = true;
    }
  };
  const speed: { name: string; seconds: number }[] = [
    { name: `boltzmann CD-1, dense kernel '${getKernel().name}'`, seconds: epoch(false, false) },
    { name: 'boltzmann CD-1, sparse-operand products', seconds: epoch(false, true) },
    { name: 'boltzmann PCD-1, sparse-operand products', seconds: epoch(true, true) },
  ];
  const ref: Record<number, number> = {};
  let blas: unknown;
  if (py) {
    for (const threads of [1, 2]) {
      const r = JSON.parse(python(py, ['mnist', mnistFile, '10000', String(threads)]));
      ref[threads] = r.seconds;
      blas = r.blas;
      speed.push({ name: `scikit-learn BernoulliRBM (PCD-1), ${threads} BLAS thread${threads > 1 ? 's' : ''}`, seconds: r.seconds });
    }
    console.log(`\nthreadpoolctl: ${JSON.stringify(blas)}`);
  }
  console.log('\none epoch, 10 000 × 784 binarized MNIST, 500 hidden, batch 100 (provisional: shared machine)');
  printTable(
    ['run', 'seconds', 'ours/sklearn(1 thr)', 'ours/sklearn(2 thr)'],
    speed.map((s) => [s.name, s.seconds, ref[1] ? (s.seconds / ref[1]).toFixed(2) : '-', ref[2] ? (s.seconds / ref[2]).toFixed(2) : '-']),
  );
  result.mnistEpoch = { speed, sklearnSeconds: ref, blas };
  console.log(`wrote ${writeResult('rbm-sklearn', result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
