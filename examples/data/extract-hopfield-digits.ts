/**
 * Extracts the small digit set that `examples/hopfield-digits.ts` stores: for each class 0–9, the binarized-MNIST
 * test image closest (in Hamming distance) to its class's mean among the first 300 of that class — a clean,
 * typical-looking prototype. Writes examples/data/hopfield-digits.txt (28 text rows of '.'/'#' per digit).
 *
 * Run: `node --import tsx examples/data/extract-hopfield-digits.ts` (needs ../shared/data/mnist-binarized).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { idxToMatrix, parseIdx } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', '..', '..', 'shared', 'data', 'mnist-binarized');
if (!existsSync(dataDir)) {
  console.error(`extract-hopfield-digits: ${dataDir} not found`);
  process.exit(1);
}
const images = idxToMatrix(parseIdx(gunzipSync(readFileSync(join(dataDir, 'binarized-test-images-idx3-ubyte.gz')))));
const labels = parseIdx(gunzipSync(readFileSync(join(dataDir, 'binarized-test-labels-idx1-ubyte.gz')))).data;
const d = images.cols;
const lines = [
  '# Ten binarized-MNIST test digits (one per class 0-9), 28x28, "#" = ink (1), "." = background (0).',
  '# Each is the test image closest in Hamming distance to its class mean among the first 300 of that class.',
  '# Source: ../shared/data/mnist-binarized/binarized-test-images-idx3-ubyte.gz; made by extract-hopfield-digits.ts.',
];
for (let c = 0; c < 10; c++) {
  const idx: number[] = [];
  for (let i = 0; i < labels.length && idx.length < 300; i++) if (labels[i] === c) idx.push(i);
  const mean = new Float64Array(d);
  for (const i of idx) for (let j = 0; j < d; j++) mean[j] += images.data[i * d + j] / idx.length;
  let best = idx[0];
  let bestDist = Infinity;
  for (const i of idx) {
    let dist = 0;
    for (let j = 0; j < d; j++) dist += Math.abs(images.data[i * d + j] - (mean[j] > 0.5 ? 1 : 0));
    if (dist < bestDist) {
      bestDist = dist;
      best = i;
    }
  }
  lines.push(`digit ${c} test-index ${best}`);
  for (let r = 0; r < 28; r++) {
    let s = '';
    for (let k = 0; k < 28; k++) s += images.data[best * d + r * 28 + k] > 0.5 ? '#' : '.';
    lines.push(s);
  }
}
writeFileSync(join(here, 'hopfield-digits.txt'), `${lines.join('\n')}\n`);
console.log(`wrote ${join(here, 'hopfield-digits.txt')}`);
