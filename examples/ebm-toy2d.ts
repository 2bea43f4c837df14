/**
 * Energy-based models on 2-D toy data: an EnergyNetwork (two swish layers)
 * trained by contrastive divergence with Langevin negatives and a replay
 * buffer (Du & Mordatch 2019) on a ring of 8 Gaussians, two moons and
 * concentric rings.
 *
 * For each dataset the PNG shows, left to right: a histogram of the data, the
 * learned density `exp(−E(x))/Z` (Z by summing over the grid), and a
 * histogram of fresh Langevin samples from the model. Printed: the total
 * variation between the learned density and a 200 000-point histogram of
 * the data distribution on the same 64×64 grid (0 = identical, 1 = disjoint;
 * a uniform density scores about 0.8 on the ring), and the mean log-likelihood
 * of the training data under the model read as a density on the box
 * (`EnergyNetwork.score`, log Z by Simpson quadrature).
 *
 * Run: `npm run example:ebm` (several minutes; `-- --quick` or EBM_QUICK=1 for a
 * seconds-long smoke run with a tiny network).
 * Output: examples/out/ebm-toy2d.png, examples/out/ebm-toy2d.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  concentricRings,
  EBMTrainer,
  createImage,
  EnergyNetwork,
  heatmap,
  type Matrix,
  type RgbaImage,
  ringOfGaussians,
  twoMoons,
} from '../src/index.js';
import { writePng } from '../src/node/png.js';

const quick = process.argv.includes('--quick') || process.env.EBM_QUICK === '1';
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(outDir, { recursive: true });

const G = 64; // grid cells per axis
const LO = -3;
const HI = 3;
const cell = (HI - LO) / G;

/** Normalised histogram of points on the G×G grid, row = y (ascending), column = x. */
function histogram(x: Matrix): Matrix {
  const h = new Float64Array(G * G);
  let n = 0;
  for (let i = 0; i < x.rows; i++) {
    const c = Math.floor((x.data[2 * i] - LO) / cell);
    const r = Math.floor((x.data[2 * i + 1] - LO) / cell);
    if (c >= 0 && c < G && r >= 0 && r < G) {
      h[r * G + c]++;
      n++;
    }
  }
  for (let k = 0; k < h.length; k++) h[k] /= Math.max(n, 1);
  return { rows: G, cols: G, data: h };
}

/** Learned density at the cell centres, normalised over the grid. */
function density(net: EnergyNetwork): Matrix {
  const pts: Matrix = { rows: G * G, cols: 2, data: new Float64Array(2 * G * G) };
  for (let r = 0; r < G; r++) {
    for (let c = 0; c < G; c++) {
      pts.data[2 * (r * G + c)] = LO + (c + 0.5) * cell;
      pts.data[2 * (r * G + c) + 1] = LO + (r + 0.5) * cell;
    }
  }
  const e = net.energies(new Float64Array(G * G), pts);
  let mn = Number.POSITIVE_INFINITY;
  for (const v of e) mn = Math.min(mn, v);
  const p = e.map((v) => Math.exp(-(v - mn)));
  const z = p.reduce((a, b) => a + b, 0);
  return { rows: G, cols: G, data: p.map((v) => v / z) };
}

const tv = (a: Matrix, b: Matrix) => 0.5 * a.data.reduce((s, v, k) => s + Math.abs(v - b.data[k]), 0);

/** Copies `src` into `dst` at (x0, y0). */
function blit(dst: RgbaImage, src: RgbaImage, x0: number, y0: number): void {
  for (let y = 0; y < src.height; y++) {
    const from = 4 * y * src.width;
    dst.data.set(src.data.subarray(from, from + 4 * src.width), 4 * ((y0 + y) * dst.width + x0));
  }
}

const datasets: [string, (n: number, rng: number) => Matrix][] = [
  ['ring of 8 Gaussians', (n, rng) => ringOfGaussians(n, { rng, std: 0.15 })],
  ['two moons', (n, rng) => twoMoons(n, { rng, noise: 0.08 })],
  ['concentric rings', (n, rng) => concentricRings(n, { rng, radii: [1, 2.2], noise: 0.08 })],
];

const scale = 4;
const gap = 8;
const panel = G * scale;
const img = createImage(3 * panel + 4 * gap, datasets.length * panel + (datasets.length + 1) * gap, 255);
const report: Record<string, unknown>[] = [];
for (const [d, [name, make]] of datasets.entries()) {
  const t0 = performance.now();
  const data = make(quick ? 300 : 2000, 10 + d);
  const reference = histogram(make(200000, 100 + d));
  const net = new EnergyNetwork(2, { hidden: quick ? [16, 16] : [64, 64], activation: 'swish', rng: 20 + d });
  const trainer = new EBMTrainer(net, {
    learningRate: quick ? 2e-3 : 5e-3,
    langevinSteps: quick ? 10 : 20,
    stepSize: 0.01,
    bufferSize: 10000,
    reinitProbability: 0.05,
    bounds: [LO, HI],
    regularization: 0.1,
    rng: 30 + d,
  });
  const epochs = quick ? 2 : 40;
  trainer.fit(data, {
    epochs,
    batchSize: 100,
    onEpoch: (m) => {
      if (!quick && (m.epoch + 1) % 10 === 0) console.log(`  ${name} epoch ${m.epoch + 1}: E(data) − E(samples) ${m.loss?.toFixed(3)}`);
    },
  });
  const learned = density(net);
  const samples = trainer.sample(quick ? 500 : 4000, { steps: quick ? 20 : 300 });
  // The same density, normalised by Simpson quadrature on the box (nats per point).
  const logLikelihood = net.score(data, { bounds: [LO, HI] }).mean;
  const uniform: Matrix = { rows: G, cols: G, data: new Float64Array(G * G).fill(1 / (G * G)) };
  const result = {
    dataset: name,
    trainingPoints: data.rows,
    epochs,
    steps: trainer.steps,
    tvLearnedVsTrue: tv(learned, reference),
    tvSamplesVsTrue: tv(histogram(samples), reference),
    tvUniformVsTrue: tv(uniform, reference),
    logLikelihood,
    seconds: (performance.now() - t0) / 1000,
  };
  report.push(result);
  console.log(
    `${name}: TV(learned density, truth) = ${result.tvLearnedVsTrue.toFixed(3)}, TV(Langevin samples, truth) = ${result.tvSamplesVsTrue.toFixed(3)} ` +
      `(uniform: ${result.tvUniformVsTrue.toFixed(3)}), mean log-likelihood ${logLikelihood.toFixed(3)} nats [${result.seconds.toFixed(1)} s]`,
  );
  const y0 = gap + d * (panel + gap);
  const panels = [histogram(data), learned, histogram(samples)];
  for (const [k, m] of panels.entries()) blit(img, heatmap(m, { colormap: 'magma', scale, flipY: true }), gap + k * (panel + gap), y0);
}
const png = join(outDir, 'ebm-toy2d.png');
writePng(png, img);
writeFileSync(join(outDir, 'ebm-toy2d.json'), `${JSON.stringify({ quick, grid: G, box: [LO, HI], report }, null, 1)}\n`);
console.log(`written ${png} (rows: datasets; columns: data, learned density, Langevin samples) and ebm-toy2d.json`);
