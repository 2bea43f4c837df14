/**
 * A look at the data: loads each dataset found in ../shared/data (or $DATA_DIR),
 * tiles samples into PNG grids, shows MNIST grey / thresholded / sampled
 * binarizations side by side, plots the mean ink per class as an SVG, and
 * round-trips the digits through safetensors and CSV.
 *
 *   npm run example:datasets            # full
 *   npm run example:datasets -- --quick # a few images each (CI smoke run, seconds)
 *
 * Writes examples/out/datasets-*.png|svg. Works without the data folder (it
 * then draws random patterns only and says so).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  binarizeSample,
  binarizeThreshold,
  decodeSafetensors,
  encodeSafetensors,
  type Matrix,
  parseCsv,
  randomPatterns,
  tileImages,
  linePlot,
  writeCsv,
} from '../src/index.js';
import { loadCaltechSilhouettes, loadDigits, loadMnist, writePng } from '../src/node/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.DATASETS_QUICK === '1';
const dataDir = resolve(process.env.DATA_DIR ?? join(here, '../../shared/data'));
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const n = quick ? 10 : 100;
const written: string[] = [];
const png = (name: string, img: Parameters<typeof writePng>[1]) => {
  const p = join(outDir, `datasets-${name}.png`);
  writePng(p, img);
  written.push(p);
};

/** Interleaves rows of several matrices of equal shape: a0, b0, c0, a1, b1, c1, … */
function interleave(ms: Matrix[]): Matrix {
  const rows = ms[0]?.rows ?? 0;
  const cols = ms[0]?.cols ?? 0;
  const data = new Float64Array(rows * cols * ms.length);
  for (let i = 0; i < rows; i++) {
    for (const [k, m] of ms.entries()) data.set(m.data.subarray(i * cols, (i + 1) * cols), (i * ms.length + k) * cols);
  }
  return { rows: rows * ms.length, cols, data };
}

png('random-patterns', tileImages(randomPatterns(n, 16 * 16, 1, { density: 0.2 }), { height: 16, width: 16, columns: 10, scale: 3 }));

if (!existsSync(dataDir)) {
  console.log(`${dataDir} not found: only random patterns drawn (set DATA_DIR to the datasets folder)`);
} else {
  const mnist = loadMnist(join(dataDir, 'mnist'), { split: 'test', limit: quick ? 1000 : 10000 });
  png('mnist', tileImages(mnist.images, { height: 28, width: 28, columns: 10, scale: 2, range: [0, 1] }));
  const few: Matrix = { rows: 10, cols: 784, data: mnist.images.data.subarray(0, 7840) };
  png('mnist-binarized', tileImages(interleave([few, binarizeThreshold(few), binarizeSample(few, 42)]), { height: 28, width: 28, columns: 6, scale: 2 }));

  // mean ink per class and pixel row: one line per digit
  const x = Array.from({ length: 28 }, (_, r) => r);
  const series = Array.from({ length: 10 }, (_, d) => {
    const y = new Float64Array(28);
    let count = 0;
    for (let i = 0; i < mnist.images.rows; i++) {
      if (mnist.labels[i] !== d) continue;
      count++;
      for (let p = 0; p < 784; p++) y[Math.floor(p / 28)] += (mnist.images.data[i * 784 + p] as number) / 28;
    }
    return { name: String(d), x, y: Array.from(y, (v) => v / Math.max(1, count)), dashed: d >= 5 };
  });
  const svg = join(outDir, 'datasets-mnist-ink.svg');
  writeFileSync(svg, linePlot(series, { title: 'MNIST test: mean ink per image row, by digit', xLabel: 'pixel row', yLabel: 'mean intensity', marks: [{ x: 14, label: 'centre' }] }));
  written.push(svg);

  const sil = loadCaltechSilhouettes(join(dataDir, 'caltech101-silhouettes'), { split: 'train', limit: n, invert: true });
  png('caltech-silhouettes', tileImages(sil.images, { height: 28, width: 28, columns: 10, scale: 2, invert: true }));
  const bin = loadMnist(join(dataDir, 'mnist-binarized'), { split: 'test', limit: n });
  png('mnist-stochastic', tileImages(bin.images, { height: 28, width: 28, columns: 10, scale: 2 }));

  const digits = loadDigits(join(dataDir, 'digits'), { limit: n });
  png('digits', tileImages(digits.images, { height: 8, width: 8, columns: 10, scale: 6 }));
  // the same pixels through safetensors and CSV, bit for bit
  const st = decodeSafetensors(encodeSafetensors({ images: { shape: [digits.images.rows, 64], data: digits.images.data } }));
  const csv = parseCsv(writeCsv(digits.images), { header: false });
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  console.log(`digits: safetensors round trip exact: ${same(st.tensors.images?.data as Float64Array, digits.images.data)}, CSV round trip exact: ${same(csv.data.data, digits.images.data)}`);
  console.log(`MNIST test: ${mnist.images.rows} images; silhouettes classes: ${sil.classNames.length}; digits: ${digits.images.rows}`);
}
for (const p of written) console.log(`wrote ${p}`);
