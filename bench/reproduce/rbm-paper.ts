/**
 * Salakhutdinov & Murray (2008, §5) RBM runs on MNIST: 784-500 RBMs trained by CD-1, CD-3
 * and CD-25 (k raised gradually from 1 to 25), with the conventions of Hinton &
 * Salakhutdinov's published `rbm.m`: learning rate 0.1 for weights and both biases (constant),
 * momentum 0.5 for the first 5 epochs then 0.9, weight cost 2·10⁻⁴ on the weights, mini-batches
 * of 100, initial weights 0.1·N(0, 1), zero biases. Data: the 60 000 training rows of
 * ../shared/data/mnist-binarized (one stochastic Bernoulli(pixel/255) draw, NOT the papers').
 *
 *   node --import tsx bench/reproduce/rbm-paper.ts --protocol cd1|cd3|cd25 [--epochs N] [--seed 1]
 *        [--threads 1] [--checkpoint dir] [--resume] [--no-eval] [--eval-only] [--plot-only] [--data dir]
 *
 * After every epoch it writes a checkpoint (atomically: temp file + rename) holding the model
 * and trainer documents (parameters, momentum velocity, generator state, epoch count) and the
 * per-epoch monitor curve, under bench/reproduce/checkpoints/<run>/ (git-ignored) unless
 * --checkpoint names another folder. --resume continues from it bit-exactly (same numbers as an
 * uninterrupted run); the learning rate is constant, so a finished run can be extended with
 * --resume and a larger --epochs. The monitor per epoch: the certified lower bound on log Z
 * (blank image, 1000 training rows, the 10 000 test rows) and so an upper bound on the test
 * log-likelihood, the exact pseudo-likelihood of the test rows, the reconstruction error of the
 * monitored training rows, and the epoch's seconds.
 *
 * When the run reaches --epochs (unless --no-eval): log Z by AIS (100 runs × 14 500 βs, base
 * rates from the training data), the test and train log-likelihoods from that one log Z (with
 * the ±3σ interval and ESS), and the certified no-AIS bound; writes the model as float32
 * safetensors bench/reproduce/models/<run>.safetensors, the entry <run> in
 * bench/reproduce/results.json, and the likelihood-vs-epoch plot bench/reproduce/<run>.svg.
 * --eval-only evaluates the checkpoint as it stands (a run stopped before --epochs);
 * --plot-only writes only the plot of the monitor curve so far (no AIS).
 *
 * The protocols and the per-epoch step (momentum and k schedules through
 * `RBMTrainer.fromDocument` overrides) are in ./rbm-paper-protocol.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelDocument } from '../../src/index.js';
import { aisSchedule, averageLogLikelihood, RBM, rbmAIS, rbmLogZLowerBound, withThreads } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';
import { rbmPaperPlot } from './plots.js';
import { scriptArgs } from './cli-args.js';
import { gitCommit, upsertResult, writeJsonAtomic, writeModelF32 } from './publish.js';
import { annealedLearningRate, PAPER_PROTOCOLS, type PaperCurveRow, paperEpoch, paperStart } from './rbm-paper-protocol.js';

const { args, str } = scriptArgs('rbm-paper');
const protocol = PAPER_PROTOCOLS[str('protocol', 'cd1')];
if (protocol === undefined) throw new RangeError(`rbm-paper: --protocol must be one of ${Object.keys(PAPER_PROTOCOLS).join(', ')} (got ${str('protocol', '')})`);
const epochs = Number(str('epochs', '100'));
const seed = Number(str('seed', '1'));
const threads = Number(str('threads', '1'));
if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`rbm-paper: --epochs must be a positive integer (got ${str('epochs', '')})`);
// --anneal-from F --anneal-epochs N (our choice, not S&M's): continue the run's epoch-F checkpoint
// for N more epochs with the learning rate falling linearly from 0.1 towards 0, as its own run.
const annealFrom = args.includes('--anneal-from') ? Number(str('anneal-from', '')) : undefined;
const annealEpochs = Number(str('anneal-epochs', '20'));
if (annealFrom !== undefined && !(Number.isInteger(annealFrom) && annealFrom >= 1 && Number.isInteger(annealEpochs) && annealEpochs >= 1))
  throw new RangeError(`rbm-paper: --anneal-from and --anneal-epochs must be positive integers (got ${str('anneal-from', '')}, ${str('anneal-epochs', '')})`);
const baseRun = `rbm-paper-${protocol.name}-seed${seed}${args.includes('--rows') ? `-rows${str('rows', '')}` : ''}`;
const run = annealFrom === undefined ? baseRun : baseRun.replace(`-seed${seed}`, `-anneal${annealFrom}x${annealEpochs}-seed${seed}`);
if (annealFrom !== undefined && epochs > annealFrom + annealEpochs) throw new RangeError(`rbm-paper: --epochs ${epochs} is past the annealed tail (${annealFrom} + ${annealEpochs})`);
const here = fileURLToPath(new URL('.', import.meta.url));
const ckptDir = resolve(str('checkpoint', join(here, 'checkpoints', run)));
const ckptFile = join(ckptDir, 'checkpoint.json');
const dataDir = resolve(str('data', resolve(here, '../../../shared/data/mnist-binarized')));
if (!existsSync(dataDir)) {
  console.log(`rbm-paper: ${dataDir} not found; nothing to do`);
  process.exit(0);
}
const allTrain = loadMnist(dataDir, { split: 'train' }).images;
// --rows N: the first N training rows only (a smoke test; the paper runs use all 60 000).
const nRows = Number(str('rows', String(allTrain.rows)));
const train = nRows === allTrain.rows ? allTrain : { rows: nRows, cols: 784, data: allTrain.data.subarray(0, nRows * 784) };
const test = loadMnist(dataDir, { split: 'test' }).images;

interface Checkpoint {
  run: string;
  protocol: string;
  seed: number;
  epoch: number;
  trainSeconds: number;
  curve: PaperCurveRow[];
  document: ModelDocument;
}


let ck: Checkpoint;
if (annealFrom !== undefined && !existsSync(ckptFile)) {
  // The tail starts from the base run's checkpoint, which must stand at epoch F.
  const baseFile = join(here, 'checkpoints', baseRun, 'checkpoint.json');
  if (!existsSync(baseFile)) throw new Error(`rbm-paper: --anneal-from: no checkpoint at ${baseFile}`);
  const base = JSON.parse(readFileSync(baseFile, 'utf8')) as Checkpoint;
  if (base.epoch !== annealFrom) throw new Error(`rbm-paper: ${baseFile} is at epoch ${base.epoch}, not --anneal-from ${annealFrom}`);
  ck = { ...base, run };
  console.log(`starting ${run} from ${baseRun} at epoch ${annealFrom}`);
} else if (args.includes('--resume') || args.includes('--eval-only') || args.includes('--plot-only')) {
  if (!existsSync(ckptFile)) throw new Error(`rbm-paper: --resume: no checkpoint at ${ckptFile}`);
  ck = JSON.parse(readFileSync(ckptFile, 'utf8')) as Checkpoint;
  if (ck.protocol !== protocol.name || ck.seed !== seed) throw new Error(`rbm-paper: checkpoint ${ckptFile} is ${ck.protocol} seed ${ck.seed}, not ${protocol.name} seed ${seed}`);
  console.log(`resuming ${run} at epoch ${ck.epoch}`);
} else {
  if (existsSync(ckptFile)) throw new Error(`rbm-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  ck = { run, protocol: protocol.name, seed, epoch: 0, trainSeconds: 0, curve: [], document: paperStart(protocol, seed) };
}

function save(c: Checkpoint): void {
  writeJsonAtomic(ckptFile, c);
}

while (!args.includes('--eval-only') && !args.includes('--plot-only') && ck.epoch < epochs) {
  const e = ck.epoch + 1; // 1-based epoch about to run
  const lr = annealFrom === undefined ? undefined : annealedLearningRate(e, annealFrom, annealEpochs);
  const { document, row } = paperEpoch(ck.document, protocol, e, train, test, threads, lr);
  ck = { ...ck, epoch: e, trainSeconds: ck.trainSeconds + row.seconds, curve: [...ck.curve, row], document };
  save(ck);
  console.log(`${new Date().toISOString()} ${JSON.stringify(row)}`);
}

if (args.includes('--plot-only')) {
  // The monitor curve so far, without AIS (e.g. for a run that has not finished).
  writeFileSync(join(here, `${run}.svg`), rbmPaperPlot(ck.curve, { protocol, annealFrom }));
  console.log(`wrote ${run}.svg (monitor curve to epoch ${ck.epoch}, no AIS)`);
  process.exit(0);
}
if (args.includes('--no-eval')) process.exit(0);

// Evaluation: one AIS log Z for both test and train likelihoods.
const rbm = RBM.fromDocument(ck.document);
const a0 = performance.now();
// default schedule: 500 + 4 000 + 10 000 βs; --quick-ais (smoke tests only): 10 runs × 750 βs
const quick = args.includes('--quick-ais');
const ais = withThreads(threads, () => rbmAIS(rbm, { base: train, runs: quick ? 10 : 100, rng: seed + 3, ...(quick ? { betas: aisSchedule(50, 200, 500) } : {}) }));
const aisSeconds = (performance.now() - a0) / 1000;
const testLL = averageLogLikelihood(rbm, test, ais);
const trainLL = averageLogLikelihood(rbm, train, ais);
const bound = rbmLogZLowerBound(rbm, [train, test]);
const testUpper = averageLogLikelihood(rbm, test, bound.logZLowerBound).mean;
console.log(
  `AIS (${aisSeconds.toFixed(0)} s, ${ais.steps} βs × ${ais.runs} runs): log Z ${ais.logZ.toFixed(2)} [${ais.logZLower.toFixed(2)}, ${ais.logZUpper.toFixed(2)}], ESS ${ais.effectiveSampleSize.toFixed(1)}; ` +
    `test ${testLL.mean.toFixed(2)} [${testLL.lower.toFixed(2)}, ${testLL.upper.toFixed(2)}], train ${trainLL.mean.toFixed(2)}; certified log Z ≥ ${bound.logZLowerBound.toFixed(2)} (test LL ≤ ${testUpper.toFixed(2)})`,
);

const model = writeModelF32(here, run, rbm.toDocument());
const commit = gitCommit(here);
const entry = {
  name: run,
  model,
  testLL: testLL.mean,
  interval: [testLL.lower, testLL.upper],
  ess: ais.effectiveSampleSize,
  logZ: ais.logZ,
  logZInterval: [ais.logZLower, ais.logZUpper],
  certifiedLogZLowerBound: bound.logZLowerBound,
  certifiedTestLLUpperBound: testUpper,
  trainLL: trainLL.mean,
  trainInterval: [trainLL.lower, trainLL.upper],
  paperTestLL: protocol.paperTestLL,
  epochs: ck.epoch,
  trainSeconds: ck.trainSeconds,
  aisSeconds,
  protocol: `RBM 784-500, ${protocol.describe}, Salakhutdinov & Murray 2008 §5 with rbm.m conventions: lr 0.1 (weights and biases, constant), momentum 0.5 for epochs 1-5 then 0.9, weight cost 2e-4, batch 100, weights 0.1·N(0,1), zero biases, ${ck.epoch} epochs, 60 000 rows${annealFrom === undefined ? '' : `; then (our choice, not S&M's) the learning rate falls linearly per epoch from 0.1 towards 0 over epochs ${annealFrom + 1}-${annealFrom + annealEpochs} (epoch ${annealFrom}+j at 0.1·(${annealEpochs + 1}-j)/${annealEpochs + 1})`}`,
  binarization: "mnist-binarized: one stochastic Bernoulli(pixel/255) draw (not Salakhutdinov & Murray's)",
  ais: '100 runs x 14 500 betas (500 to 0.5, 4 000 to 0.9, 10 000 to 1), base rates from the training data; train and test LL from the same log Z',
  command: `node --import tsx bench/reproduce/rbm-paper.ts --protocol ${protocol.name} --epochs ${ck.epoch} --seed ${seed} --threads ${threads}${annealFrom === undefined ? '' : ` --anneal-from ${annealFrom} --anneal-epochs ${annealEpochs}`}`,
  seed,
  commit,
  curve: ck.curve,
};
upsertResult(here, entry);

writeFileSync(join(here, `${run}.svg`), rbmPaperPlot(ck.curve, { protocol, annealFrom, aisTestLL: testLL.mean }));
console.log(`wrote ${model}, ${run}.svg and the entry ${run} in results.json`);
