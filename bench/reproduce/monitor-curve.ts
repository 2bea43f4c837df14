/**
 * Where CD-1 collapses and PCD does not: the per-epoch certified upper bound on the test
 * log-likelihood (the spurious-mode monitor in `fit`'s metrics: log Z ≥ log Σ e^{−F} over the
 * blank image, the test rows and the persistent chains) for a 784-500 RBM on the 60 000
 * mnist-binarized training rows, trained by
 * - CD-1 with the protocol of the first wave (lr 0.05, momentum 0.5, weight decay 2e-4,
 *   batch 100) — the run whose AIS test log-likelihood was −165.1 after 10 epochs, and
 * - the recommended recipe (RBM.fit with no method: PCD-1, lr 0.02 → 0), whose curve comes
 *   from bench/reproduce/results.json (written by rbm-recipe.ts) when present.
 * No AIS is needed: the bound alone shows the collapse. Writes docs/reproductions-monitor.svg
 * and bench/reproduce/monitor-cd1.json.
 *
 *   node --import tsx bench/reproduce/monitor-curve.ts [--epochs 10] [--threads 2] [--data dir] [--plot-only]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linePlot, RBM } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';

const args = process.argv.slice(2);
const opt = (n: string, d: string): string => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? (args[i + 1] as string) : d;
};
const epochs = Number(opt('epochs', '10'));
const threads = Number(opt('threads', '2'));
const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = resolve(opt('data', resolve(here, '../../../shared/data/mnist-binarized')));
if (!args.includes('--plot-only') && !existsSync(dataDir)) {
  console.log(`monitor-curve: ${dataDir} not found; nothing to do`);
  process.exit(0);
}
type Row = { epoch: number; upper: number; pseudoLikelihood: number; reconstructionError: number; warning?: string };
const cd1: Row[] = args.includes('--plot-only') ? (JSON.parse(readFileSync(join(here, 'monitor-cd1.json'), 'utf8')) as Row[]) : trainCd1();
if (!args.includes('--plot-only')) writeFileSync(join(here, 'monitor-cd1.json'), `${JSON.stringify(cd1, null, 1)}\n`);

const series = [{ name: 'CD-1 (lr 0.05, momentum 0.5, decay 2e-4): upper bound', x: cd1.map((r) => r.epoch), y: cd1.map((r) => r.upper), markers: true }];
const resultsPath = join(here, 'results.json');
if (existsSync(resultsPath)) {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as { name: string; curve?: { epoch: number; testLLUpperBound: number }[]; testLL?: number }[];
  const pcd = results.find((r) => r.name.startsWith('rbm-pcd-recipe-lr0.02'));
  if (pcd?.curve !== undefined) {
    series.push({ name: 'recipe (PCD-1, lr 0.02 → 0): upper bound', x: pcd.curve.map((r) => r.epoch), y: pcd.curve.map((r) => r.testLLUpperBound), markers: true });
  }
}
const svg = linePlot(series, {
  title: 'MNIST RBM 784-500: certified upper bound on the test log-likelihood per epoch',
  xLabel: 'epoch',
  yLabel: 'nats per test digit (upper bound)',
  width: 760,
  height: 420,
  yRange: [-175, -55],
});
writeFileSync(resolve(here, '../../docs/reproductions-monitor.svg'), svg);
console.log('wrote docs/reproductions-monitor.svg and bench/reproduce/monitor-cd1.json');

/** Trains the CD-1 run and returns its per-epoch monitor rows. */
function trainCd1(): Row[] {
  const train = loadMnist(dataDir, { split: 'train' }).images;
  const test = loadMnist(dataDir, { split: 'test' }).images;
  const rbm = new RBM(784, 500, { rng: 1, data: train });
  const cd1: Row[] = [];
  rbm.fit(train, {
    method: 'cd',
    k: 1,
    epochs,
    learningRate: 0.05,
    momentum: 0.5,
    weightDecay: 2e-4,
    batchSize: 100,
    validation: test,
    threads,
    onEpoch: (m) => {
      const row = {
        epoch: m.epoch + 1,
        upper: m.logLikelihoodUpperBound as number,
        pseudoLikelihood: m.pseudoLikelihood as number,
        reconstructionError: m.reconstructionError as number,
        ...(m.warning === undefined ? {} : { warning: m.warning }),
      };
      cd1.push(row);
      console.log(JSON.stringify(row));
    },
  });
  return cd1;
}
