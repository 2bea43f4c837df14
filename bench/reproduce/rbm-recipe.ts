/**
 * The recommended RBM recipe on MNIST, through the contract alone: `new RBM(784, 500)`,
 * `fit` with no method named (RBM_RECIPE: PCD-1, 100 chains, momentum 0.5, batch 100,
 * learning rate 0.02 → 0 linearly; --lr sets the initial rate), on the 60 000 training rows of
 * ../shared/data/mnist-binarized (one stochastic binarization, NOT Salakhutdinov & Murray's),
 * then the test log-likelihood by AIS (14 500 βs × 100 runs, base rates from the training
 * data) with its ±3σ interval and ESS, and the certified no-AIS bound.
 *
 *   node --import tsx bench/reproduce/rbm-recipe.ts [--epochs 20] [--lr 0.02] [--seed 1] [--threads 2] [--data dir]
 *
 * Per epoch it prints the spurious-mode monitor: −F(blank image) and the certified lower
 * bound on log Z from the blank image and the test rows (so an upper bound on the test
 * log-likelihood). Writes bench/reproduce/models/<name>.safetensors (float32) and adds or
 * replaces the entry <name> in bench/reproduce/results.json (name: rbm-pcd-recipe-lr<lr>-e<epochs>,
 * with -seed<s> for seeds other than 1).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RBM, rbmLogZLowerBound } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';
import { gitCommit, upsertResult, writeModelF32 } from './publish.js';

const args = process.argv.slice(2);
const opt = (n: string, d: number): number => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const epochs = opt('epochs', 20);
const seed = opt('seed', 1);
const threads = opt('threads', 2);
const lr = opt('lr', 0.02);
const name = `rbm-pcd-recipe-lr${lr}-e${epochs}${seed === 1 ? '' : `-seed${seed}`}`;
const here = fileURLToPath(new URL('.', import.meta.url));
const dataIdx = args.indexOf('--data');
const dataDir = dataIdx >= 0 ? resolve(args[dataIdx + 1] as string) : resolve(here, '../../../shared/data/mnist-binarized');
if (!existsSync(dataDir)) {
  console.log(`rbm-recipe: ${dataDir} not found; nothing to do`);
  process.exit(0);
}
const train = loadMnist(dataDir, { split: 'train' }).images;
const test = loadMnist(dataDir, { split: 'test' }).images;
const blank = { rows: 1, cols: 784, data: new Float64Array(784) };
const meanNegF = (m: typeof test): number => -rbm.freeEnergy(m).reduce((s, x) => s + x, 0) / m.rows;

const rbm = new RBM(784, 500, { rng: seed, data: train });
const curve: Record<string, number>[] = [];
const t0 = performance.now();
rbm.fit(train, {
  epochs,
  learningRate: lr,
  threads,
  onEpoch: (m) => {
    const bound = rbmLogZLowerBound(rbm, [test]);
    const row = {
      epoch: m.epoch + 1,
      seconds: m.seconds,
      learningRate: m.learningRate,
      pseudoLikelihood: m.pseudoLikelihood ?? Number.NaN,
      reconstructionError: m.reconstructionError ?? Number.NaN,
      negFreeEnergyBlank: -(rbm.freeEnergy(blank)[0] as number),
      logZLowerBound: bound.logZLowerBound,
      testLLUpperBound: meanNegF(test) - bound.logZLowerBound,
    };
    curve.push(row);
    console.log(JSON.stringify(row));
  },
});
const trainSeconds = (performance.now() - t0) / 1000;
console.log(`training: ${trainSeconds.toFixed(1)} s`);
const a0 = performance.now();
const score = rbm.score(test, { method: 'ais', aisRuns: 100, aisBetas: 14500, aisBase: train, rng: seed + 3 });
const aisSeconds = (performance.now() - a0) / 1000;
const trainScore = rbm.score({ rows: 10000, cols: 784, data: train.data.subarray(0, 10000 * 784) }, { method: 'ais', aisRuns: 100, aisBetas: 14500, aisBase: train, rng: seed + 3 });
const bound = rbmLogZLowerBound(rbm, [test]);
console.log(`AIS (${aisSeconds.toFixed(0)} s): test ${score.mean.toFixed(2)} [${score.lower.toFixed(2)}, ${score.upper.toFixed(2)}], ESS ${score.ess?.toFixed(1)}, log Z ${score.logZ?.toFixed(2)}; train ${trainScore.mean.toFixed(2)}; certified log Z ≥ ${bound.logZLowerBound.toFixed(2)}`);

const model = writeModelF32(here, name, rbm.toDocument());
const commit = gitCommit(here);
const entry = {
  name,
  model,
  testLL: score.mean,
  interval: [score.lower, score.upper],
  ess: score.ess,
  logZ: score.logZ,
  certifiedLogZLowerBound: bound.logZLowerBound,
  trainLL: trainScore.mean,
  trainSeconds,
  aisSeconds,
  protocol: `RBM 784-500, RBM.fit with no method (RBM_RECIPE: PCD-1, 100 chains, momentum 0.5, batch 100, lr ${lr} -> 0 linear, ${epochs} epochs), 60 000 rows`,
  binarization: 'mnist-binarized: one stochastic Bernoulli(pixel/255) draw (not Salakhutdinov & Murray\'s)',
  ais: '100 runs x 14 500 betas, base rates from the training data',
  command: `node --import tsx bench/reproduce/rbm-recipe.ts --epochs ${epochs} --lr ${lr} --seed ${seed} --threads ${threads}`,
  seed,
  commit,
  curve,
};
upsertResult(here, entry);
console.log(`wrote ${model} and results.json`);
