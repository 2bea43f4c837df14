/**
 * Extracts the demo's small data set from ../shared/data into demo/data/digits.json:
 * - ten prototype digits (one per class, the thresholded MNIST test image closest
 *   to its class mean) for the Hopfield network to store, and
 * - the first 600 MNIST training digits (thresholded at 0.5) for the in-page RBM.
 * Rows are bit-packed (row-major, most significant bit first) and base64-encoded.
 *
 * Run: npm run demo:data   (needs ../shared/data; the output is committed)
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCliData } from '../src/node/cli/data.js';

const dataDir = fileURLToPath(new URL('../../shared/data', import.meta.url));
const out = fileURLToPath(new URL('./data/digits.json', import.meta.url));
const D = 784;

function pack(rows: Float64Array[]): string {
  const bytes = new Uint8Array(Math.ceil((rows.length * D) / 8));
  let k = 0;
  for (const r of rows) for (let i = 0; i < D; i++, k++) if (r[i] === 1) bytes[k >> 3] |= 0x80 >> (k & 7);
  return Buffer.from(bytes).toString('base64');
}

// Prototypes: for each class, the thresholded test image nearest (Hamming) to the class mean.
const test = loadCliData('mnist:test', { dataDir, limit: 2000, binarize: 'threshold', threshold: 0.5 });
const labels = test.labels as ArrayLike<number>;
const prototypes: Float64Array[] = [];
for (let c = 0; c < 10; c++) {
  const mean = new Float64Array(D);
  let n = 0;
  for (let r = 0; r < test.matrix.rows; r++) {
    if (labels[r] !== c) continue;
    for (let i = 0; i < D; i++) mean[i] += test.matrix.data[r * D + i] as number;
    n++;
  }
  let best = -1, bestDist = Infinity;
  for (let r = 0; r < test.matrix.rows; r++) {
    if (labels[r] !== c) continue;
    let d = 0;
    for (let i = 0; i < D; i++) d += Math.abs((test.matrix.data[r * D + i] as number) - (mean[i] as number) / n);
    if (d < bestDist) [best, bestDist] = [r, d];
  }
  prototypes.push(test.matrix.data.slice(best * D, (best + 1) * D));
}

const train = loadCliData('mnist-train10k', { dataDir, limit: 600, binarize: 'threshold', threshold: 0.5 });
const trainRows = Array.from({ length: train.matrix.rows }, (_, r) => train.matrix.data.slice(r * D, (r + 1) * D));

const doc = {
  about: 'MNIST digits (LeCun, Cortes & Burges), thresholded at 0.5; see demo/make-data.ts',
  height: 28,
  width: 28,
  prototypes: { labels: Array.from({ length: 10 }, (_, c) => c), count: 10, bits: pack(prototypes) },
  training: { labels: Array.from(train.labels as ArrayLike<number>).slice(0, trainRows.length), count: trainRows.length, bits: pack(trainRows) },
};
writeFileSync(out, `${JSON.stringify(doc)}\n`);
console.log(`wrote ${out}: ${prototypes.length} prototypes, ${trainRows.length} training digits`);
