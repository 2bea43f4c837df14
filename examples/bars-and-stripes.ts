/**
 * Bars and stripes — the classic Boltzmann-machine benchmark (the lecture's
 * maximum-likelihood algorithm with hidden units).
 *
 * Trains a fully connected Boltzmann machine (visible + hidden units) on every
 * n×n bars-and-stripes pattern with sampled clamped/free phases, prints the
 * EXACT log-likelihood (hidden units summed out by enumeration) after each
 * epoch next to the two reference points — the uniform model (−n² log 2) and
 * the best possible model (−log #patterns) — then draws samples, reports the
 * fraction that are valid bars or stripes, prints them as ASCII art and writes
 * a PNG grid.
 *
 * Run: `npm run example:bars-and-stripes` (3×3, 6 hidden units);
 *      `npm run example:bars-and-stripes -- --size 4` (4×4, 8 hidden: 24 units, each exact
 *      evaluation enumerates 2²⁴ states — slow, so it is evaluated every 10 epochs);
 *      `-- --quick` or BAS_QUICK=1 for a seconds-long smoke run.
 * Output: examples/out/bars-and-stripes-<n>x<n>.png
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoltzmannMachine, BoltzmannMachineTrainer, barsAndStripes, classifyBarsAndStripes, tileImages, zeros } from '../src/index.js';
import { writePng } from '../src/node/png.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BAS_QUICK === '1';
const sizeArg = args.indexOf('--size');
const size = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 3;
if (size !== 3 && size !== 4) throw new RangeError('bars-and-stripes example: --size must be 3 or 4');
const nHidden = size === 3 ? 6 : 8;
const epochs = quick ? 15 : size === 3 ? 300 : 200;
const evalEvery = size === 3 ? 1 : 10;

const { data } = barsAndStripes(size);
const nv = size * size;
const uniform = -nv * Math.log(2);
const best = -Math.log(data.rows);
console.log(`${size}×${size} bars and stripes: ${data.rows} patterns, ${nv} visible + ${nHidden} hidden units`);
console.log(`reference log-likelihoods (nats/pattern): uniform model ${uniform.toFixed(3)}, best possible ${best.toFixed(3)}\n`);

const bm = new BoltzmannMachine(nv, nHidden, { initScale: 0.1, rng: 2026 });
const trainer = new BoltzmannMachineTrainer(bm, {
  // η decays as 0.6/(1 + epoch/50) and the free phase uses 1000 samples, so the
  // sampled gradient is accurate enough for the exact log-likelihood to rise
  // epoch after epoch (bigger steps or fewer samples learn faster but rattle:
  // see the bench, η = 1/(1 + epoch/100) with 200 samples)
  learningRate: (e) => 0.6 / (1 + e / 50),
  clampedSamples: 10,
  clampedBurnIn: 10,
  freeSamples: 1000,
  freeChains: 50,
  freeBurnIn: 20,
  persistent: true,
  exactLogLikelihood: false,
  // share the model's stream (the numbers printed before the trainer had its own)
  rng: bm.random,
});
console.log('epoch   η       exact log-likelihood   (gap to best)');
let last = bm.exactLogLikelihood(data, { gradient: false }).logLikelihood;
console.log(`${'init'.padStart(5)}           ${last.toFixed(4).padStart(9)}             ${(best - last).toFixed(4)}`);
const t0 = performance.now();
let decreases = 0;
let evaluations = 0;
for (let e = 0; e < epochs; e++) {
  const s = trainer.trainEpoch(data);
  if ((e + 1) % evalEvery === 0 || e === epochs - 1) {
    const ll = bm.exactLogLikelihood(data, { gradient: false }).logLikelihood;
    if (ll < last) decreases++;
    evaluations++;
    last = ll;
    console.log(`${String(e + 1).padStart(5)}   ${s.learningRate.toFixed(3)}   ${last.toFixed(4).padStart(9)}             ${(best - last).toFixed(4)}`);
  }
}
console.log(`\nthe exact log-likelihood fell in ${decreases} of ${evaluations} evaluations`);
console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s (provisional timing, shared machine)`);

// Samples: independent chains from the trained model.
const nShow = 32;
const nCount = quick ? 200 : 2000;
const visible = bm.sample(nCount, { steps: 200 }); // [nCount, nv]: one draw per independent chain
let valid = 0;
for (let r = 0; r < nCount; r++) {
  if (classifyBarsAndStripes(visible.data.slice(r * nv, (r + 1) * nv), size) !== null) valid++;
}
console.log(
  `${valid} of ${nCount} samples (${((100 * valid) / nCount).toFixed(1)}%) are bars or stripes; a uniform model gives ${((100 * data.rows) / 2 ** nv).toFixed(1)}%`,
);
// exact probability mass the model puts on the data set
const pv = bm.visibleDistribution();
let mass = 0;
for (let r = 0; r < data.rows; r++) {
  let k = 0;
  for (let i = 0; i < nv; i++) if (data.data[r * nv + i] === 1) k |= 1 << i;
  mass += pv[k];
}
console.log(`exact probability mass on the ${data.rows} training patterns: ${(100 * mass).toFixed(1)}%\n`);

// ASCII art: 8 samples per line
for (let start = 0; start < nShow; start += 8) {
  for (let y = 0; y < size; y++) {
    let line = '';
    for (let r = start; r < start + 8; r++) {
      for (let x = 0; x < size; x++) line += visible.data[r * nv + y * size + x] === 1 ? '█' : '·';
      line += '   ';
    }
    console.log(line);
  }
  console.log();
}

const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const show = zeros(nShow, nv);
show.data.set(visible.data.subarray(0, nShow * nv));
const file = join(outDir, `bars-and-stripes-${size}x${size}.png`);
writePng(file, tileImages(show, { height: size, width: size, columns: 8, scale: 12, padding: 4, range: [0, 1], invert: true }));
console.log(`wrote ${file}`);
