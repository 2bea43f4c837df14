/**
 * Image energy-based models on the 8×8 digits (issue #19), two ways:
 *
 * 1. the Du & Mordatch (2019) recipe (`ShortRunEBMTrainer`): an EnergyNetwork
 *    trained with short-run SGLD negatives from a replay buffer (95% reuse),
 *    α(E⁺² + E⁻²) regularisation and gradient clipping;
 * 2. denoising score matching on the same network
 *    (`EnergyNetwork.fit(data, { method: 'denoising-score-matching' })`), with
 *    the σ ladder {0.4, 0.2, 0.1} weighted by σ² and with σ = 0.1 alone, each
 *    sampled by annealed Langevin dynamics (`AnnealedLangevin`, σ from 0.4 to
 *    0.1 in 5 levels, 200 steps each, ε = 2e-3) with a final denoising step;
 *    and a noise-conditional energy `E(x, log σ)` (`noiseConditional: true`,
 *    10 levels from 1 to 0.05) sampled through `noiseConditionalScore`.
 *
 * Quantitative check: a softmax regression (`LogisticRegression`) trained on
 * 80% of the real digits labels the generated images; printed are its mean
 * max-probability (confidence), the class histogram and the mean distance
 * to the nearest training image, next to the same figures for held-out real
 * digits and for uniform noise.
 *
 * Run: `node --import tsx examples/estimators-digits.ts` (a few minutes;
 * `--small` for a seconds-long smoke run; `--mnist` adds 28×28 MNIST with
 * the Du & Mordatch recipe; `--mnist-only` runs only that; `--dsm-only` skips
 * the Du & Mordatch part on the 8×8 digits).
 * Output: examples/out/estimators-digits-*.png and estimators-digits.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tileImages } from '../src/io/image.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { EnergyNetwork } from '../src/models/energy-network.js';
import { loadDigits, loadMnist } from '../src/node/data.js';
import { writePng } from '../src/node/png.js';
import { Random } from '../src/random/random.js';
import { AnnealedLangevin, type AnnealedLangevinTarget, geometricNoiseLevels } from '../src/samplers/annealed-langevin.js';
import { noiseConditionalScore } from '../src/train/energy-estimators.js';
import { LogisticRegression } from '../src/train/logistic.js';
import { ShortRunEBMTrainer } from '../src/train/short-run-ebm.js';

const here = dirname(fileURLToPath(import.meta.url));
/** MNIST (the optional `--mnist` part) is read from ../shared/data; the 8×8 digits are bundled (examples/data/digits, 57 KB). */
const DATA = join(here, '..', '..', 'shared', 'data');
const DIGITS = join(here, 'data', 'digits');

/** Confidence and class histogram of a classifier on a set of images. */
export interface LabelReport {
  /** Mean over images of the largest class probability. */
  meanConfidence: number;
  /** Images per predicted class (0..9). */
  histogram: number[];
  /** Fraction of images whose largest probability is at least 0.9. */
  confidentFraction: number;
  /** Mean Euclidean distance from each image to its nearest training image (copies score 0; noise scores high). */
  nearestTrainDistance: number;
}

function nearestDistance(images: Matrix, train: Matrix): number {
  const d = images.cols;
  let sum = 0;
  for (let r = 0; r < images.rows; r++) {
    let best = Number.POSITIVE_INFINITY;
    for (let q = 0; q < train.rows; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = images.data[r * d + j] - train.data[q * d + j];
        s += t * t;
      }
      if (s < best) best = s;
    }
    sum += Math.sqrt(best);
  }
  return sum / images.rows;
}

function labelReport(clf: LogisticRegression, images: Matrix, train: Matrix): LabelReport {
  const p = clf.predictProba(images);
  const K = p.cols;
  const histogram = new Array<number>(K).fill(0);
  let conf = 0;
  let confident = 0;
  for (let r = 0; r < p.rows; r++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (p.data[r * K + k] > p.data[r * K + best]) best = k;
    histogram[best]++;
    conf += p.data[r * K + best];
    if (p.data[r * K + best] >= 0.9) confident++;
  }
  return { meanConfidence: conf / p.rows, histogram, confidentFraction: confident / p.rows, nearestTrainDistance: nearestDistance(images, train) };
}

function rows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const d = m.cols;
  const out = new Float64Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) out.set(m.data.subarray(idx[i] * d, (idx[i] + 1) * d), i * d);
  return { rows: idx.length, cols: d, data: out };
}

const fmt = (r: LabelReport) =>
  `confidence ${r.meanConfidence.toFixed(3)} (≥ 0.9: ${(100 * r.confidentFraction).toFixed(0)}%), classes [${r.histogram.join(' ')}], nearest training image at ${r.nearestTrainDistance.toFixed(2)}`;

/** Options of {@link runDigits}. */
export interface DigitsRunOptions {
  small?: boolean;
  mnist?: boolean;
  /** Skip the Du & Mordatch part (the slow one). */
  dsmOnly?: boolean;
  outDir?: string;
  log?: (line: string) => void;
}

/** One generated set: how it was made, its label report, its wall time. */
export interface DigitsResult {
  name: string;
  report: LabelReport;
  trainSeconds: number;
  sampleSeconds: number;
  png?: string;
  error?: string;
}

/** Trains the classifier, the Du & Mordatch EBM and the DSM model; writes PNG grids and a JSON summary. */
export function runDigits(options: DigitsRunOptions = {}): { reference: LabelReport; noise: LabelReport; testError: number; results: DigitsResult[] } {
  const small = options.small ?? false;
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? join(here, 'out');
  mkdirSync(outDir, { recursive: true });
  const ds = loadDigits(DIGITS);
  const n = ds.images.rows;
  const perm = new Random(1).permutation(n);
  const nTrain = Math.floor(0.8 * n);
  const train = rows(ds.images, perm.subarray(0, nTrain));
  const test = rows(ds.images, perm.subarray(nTrain));
  const trainLabels = Array.from(perm.subarray(0, nTrain), (i) => ds.labels[i]);
  const testLabels = Array.from(perm.subarray(nTrain), (i) => ds.labels[i]);
  const clf = new LogisticRegression(64, 10);
  clf.fit(train, trainLabels, { epochs: small ? 5 : 100, batchSize: 50, learningRate: 0.1, rng: 2 });
  const testError = clf.errorRate(test, testLabels);
  const reference = labelReport(clf, rows(test, Array.from({ length: 100 }, (_, i) => i)), train);
  const rng = new Random(3);
  const noise = labelReport(clf, { rows: 100, cols: 64, data: new Float64Array(6400).map(() => rng.float64()) }, train);
  log(`classifier: test error ${(100 * testError).toFixed(1)}% on ${test.rows} held-out digits`);
  log(`  100 real held-out digits: ${fmt(reference)}`);
  log(`  100 uniform-noise images:  ${fmt(noise)}`);
  const results: DigitsResult[] = [];
  const grid = (name: string, images: Matrix, h = 8, w = 8) => {
    const file = join(outDir, `estimators-digits-${name}.png`);
    writePng(file, tileImages(images, { height: h, width: w, columns: 10, scale: h === 8 ? 4 : 2, range: [0, 1], invert: true }));
    return file;
  };
  grid('real', rows(test, Array.from({ length: 100 }, (_, i) => i)));

  // 1. Du & Mordatch: short-run SGLD from a replay buffer.
  if (!options.dsmOnly) {
    const net = new EnergyNetwork(64, { hidden: small ? [16] : [128, 128], activation: 'swish', rng: 4 });
    const trainer = new ShortRunEBMTrainer(net, { sgldSteps: small ? 5 : 40, stepSize: 10, noise: 0.005, sgldGradClip: 0.01, regularization: 1, gradClip: 1, learningRate: 1e-3, rng: 5 });
    const t0 = performance.now();
    trainer.fit(train, {
      epochs: small ? 1 : 40,
      batchSize: 64,
      onEpoch: (m) => {
        if (!small && (m.epoch + 1) % 10 === 0) log(`  D&M epoch ${m.epoch + 1}: ⟨E⁺⟩ − ⟨E⁻⟩ ${m.loss?.toFixed(4)} (${m.seconds.toFixed(1)} s)`);
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const fresh = trainer.sample(100, { steps: small ? 5 : 80 });
    const sampleSeconds = (performance.now() - t1) / 1000;
    const buffer = trainer.sample(100, { fromBuffer: true, steps: small ? 5 : 40 });
    for (const [name, images, secs] of [
      ['du-mordatch-noise', fresh, sampleSeconds],
      ['du-mordatch-buffer', buffer, Number.NaN],
    ] as const) {
      const report = labelReport(clf, images, train);
      results.push({ name, report, trainSeconds, sampleSeconds: secs, png: grid(name, images) });
      log(`${name}: ${fmt(report)}  [train ${trainSeconds.toFixed(1)} s; reuse ${(100 * trainer.reuseFraction).toFixed(1)}%]`);
    }
  }

  // 2. Denoising score matching + annealed Langevin with a final denoising step: an energy E(x) trained with the
  //    σ ladder {0.4, 0.2, 0.1} weighted by σ², or with σ = 0.1 alone (both sampled down the ladder 0.4 → 0.1,
  //    5 levels, 200 steps, ε = 2e-3); and a noise-conditional energy E(x, log σ) (Song & Ermon 2019) trained on
  //    10 levels from 1 to 0.05 (300 epochs: it has more to learn) and sampled down the same levels (100 steps each,
  //    ε = 2e-5·(σ_L/0.01)² = 5e-4).
  const ladder = [0.4, 0.28, 0.2, 0.14, 0.1];
  const ncsnLevels = Array.from(geometricNoiseLevels(1, 0.05, 10));
  for (const [name, sigmas, conditional] of [
    ['dsm-ladder', [0.4, 0.2, 0.1], false],
    ['dsm-0.1', [0.1], false],
    ['dsm-noise-conditional', ncsnLevels, true],
  ] as const) {
    const net = new EnergyNetwork(conditional ? 65 : 64, { hidden: small ? [16] : [128, 128], activation: 'swish', rng: 6 });
    const t0 = performance.now();
    try {
      net.fit(train, { method: 'denoising-score-matching', sigmas: [...sigmas], noiseConditional: conditional, epochs: small ? 1 : conditional ? 300 : 60, batchSize: 64, learningRate: 1e-3, rng: 7 });
      const trainSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const target: AnnealedLangevinTarget = conditional ? noiseConditionalScore(net) : net;
      const sampler = conditional
        ? new AnnealedLangevin(target, { sigmas: ncsnLevels, stepsPerLevel: small ? 5 : 100, stepSize: 5e-4, denoise: true, bounds: [0, 1], clamp: true, rng: 8 })
        : new AnnealedLangevin(target, { sigmas: ladder, stepsPerLevel: small ? 5 : 200, stepSize: 2e-3, denoise: true, bounds: [0, 1], clamp: true, rng: 8 });
      const images = sampler.sample(100);
      const sampleSeconds = (performance.now() - t1) / 1000;
      const report = labelReport(clf, images, train);
      const full = `${name}-annealed-langevin`;
      results.push({ name: full, report, trainSeconds, sampleSeconds, png: grid(full, images) });
      log(`${full}: ${fmt(report)}  [train ${trainSeconds.toFixed(1)} s, sample ${sampleSeconds.toFixed(1)} s]`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      results.push({ name, report: { meanConfidence: Number.NaN, histogram: [], confidentFraction: Number.NaN, nearestTrainDistance: Number.NaN }, trainSeconds: Number.NaN, sampleSeconds: Number.NaN, error });
      log(`${name}: unavailable (${error.slice(0, 140)})`);
    }
  }

  if (options.mnist) results.push(...runMnist({ small, outDir, log }));
  writeFileSync(join(outDir, 'estimators-digits.json'), `${JSON.stringify({ small, testError, reference, noise, results }, null, 1)}\n`);
  return { reference, noise, testError, results };
}

/** 28×28 MNIST (first 10 000 training images) with the Du & Mordatch recipe; the classifier is trained on the same images. */
export function runMnist(options: DigitsRunOptions = {}): DigitsResult[] {
  const small = options.small ?? false;
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? join(here, 'out');
  mkdirSync(outDir, { recursive: true });
  const results: DigitsResult[] = [];
  const grid = (name: string, images: Matrix) => {
    const file = join(outDir, `estimators-digits-${name}.png`);
    writePng(file, tileImages(images, { height: 28, width: 28, columns: 10, scale: 2, range: [0, 1], invert: true }));
    return file;
  };
  for (const d of ['mnist-train10k', 'mnist']) {
    if (!existsSync(join(DATA, d))) {
      log(`MNIST part skipped: ${join(DATA, d)} is absent (it lives in ../shared/data next to the repository)`);
      return results;
    }
  }
  const m = loadMnist(join(DATA, 'mnist-train10k'), { limit: small ? 256 : 10000 });
  const mt = loadMnist(join(DATA, 'mnist'), { split: 'test', limit: small ? 500 : 10000 });
  const clf28 = new LogisticRegression(784, 10);
  clf28.fit(m.images, m.labels, { epochs: small ? 1 : 10, batchSize: 100, learningRate: 0.1, rng: 2 });
  log(`MNIST classifier: test error ${(100 * clf28.errorRate(mt.images, mt.labels)).toFixed(1)}%; 100 real test digits: ${fmt(labelReport(clf28, rows(mt.images, Array.from({ length: 100 }, (_, i) => i)), m.images))}`);
  const noiseRng = new Random(3);
  log(`  100 uniform-noise images: ${fmt(labelReport(clf28, { rows: 100, cols: 784, data: new Float64Array(78400).map(() => noiseRng.float64()) }, m.images))}`);
  const net = new EnergyNetwork(784, { hidden: small ? [16] : [256, 256], activation: 'swish', rng: 9 });
  const trainer = new ShortRunEBMTrainer(net, { sgldSteps: small ? 3 : 30, stepSize: 10, noise: 0.005, sgldGradClip: 0.01, regularization: 1, gradClip: 1, learningRate: 1e-3, rng: 10 });
  const t0 = performance.now();
  trainer.fit(m.images, { epochs: small ? 1 : 2, batchSize: 64, onEpoch: (e) => log(`  MNIST D&M epoch ${e.epoch + 1}: ⟨E⁺⟩ − ⟨E⁻⟩ ${e.loss?.toFixed(4)} (${e.seconds.toFixed(1)} s)`) });
  const trainSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const images = trainer.sample(100, { fromBuffer: true, steps: small ? 3 : 30 });
  const sampleSeconds = (performance.now() - t1) / 1000;
  const report = labelReport(clf28, images, m.images);
  results.push({ name: 'mnist-du-mordatch-buffer', report, trainSeconds, sampleSeconds, png: grid('mnist-du-mordatch-buffer', images) });
  log(`mnist-du-mordatch-buffer: ${fmt(report)}  [train ${trainSeconds.toFixed(1)} s]`);
  writeFileSync(join(outDir, 'estimators-digits-mnist.json'), `${JSON.stringify({ small, results }, null, 1)}\n`);
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const small = process.argv.includes('--small');
  if (process.argv.includes('--mnist-only')) runMnist({ small });
  else runDigits({ small, mnist: process.argv.includes('--mnist'), dsmOnly: process.argv.includes('--dsm-only') });
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s; PNG grids and estimators-digits.json in examples/out/`);
}
