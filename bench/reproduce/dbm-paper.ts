/**
 * Salakhutdinov & Hinton (2009) DBM 784-500-1000 on MNIST, resumable across sessions: greedy
 * pretraining of the bottom RBM (bottom-up input doubled) → the top RBM (top-down input doubled)
 * → joint training of the composed DBM (persistent fantasy particles, mean-field data
 * statistics), then the variational lower bound on the test log-likelihood with log Z by AIS.
 * The protocol and its sources: ./dbm-paper-protocol.ts and docs/reproductions.md. Data: the
 * 60 000 training rows of ../shared/data/mnist-binarized (one stochastic Bernoulli(pixel/255)
 * draw, NOT the paper's binarization).
 *
 *   node --import tsx bench/reproduce/dbm-paper.ts [--epochs-pretrain 10 | 10,20] [--epochs 500]
 *        [--seed 1] [--threads 1] [--checkpoint dir] [--resume] [--no-eval] [--eval-only] [--plot-only]
 *        [--pretrain cd1 | pcd] [--joint paper | slow] [--branch-from other-run/checkpoint.json]
 *        [--tempered levels,minBeta,every] [--particles N] [--continue-from other-run/checkpoint.json]
 *        [--anneal-from F --anneal-epochs N [--anneal-base the-run's-checkpoint-dir]] [--float32-from E]
 *        [--data dir] [--rows N] [--test-rows N] [--out dir] [--monitor-rows 1000]
 *        [--monitor-ais-every 1] [--monitor-ais-runs 20] [--monitor-ais-betas 1450]
 *        [--ais-runs 100] [--ais-betas 14500] [--ais-hidden-base data | uniform] [--train-bound-rows 10000] [--sizes 784,500,1000]
 *
 * --joint slow trains the joint phase at the rates of S&H's code (DBM_PAPER.jointSlow; run name
 * -jslow); --branch-from starts such a run at joint epoch 0 from the pretrained RBMs of another
 * run's checkpoint (same seed, sizes and pretraining rule), so the pretraining is not repeated.
 * --tempered L,β,k adds tempered transitions to the joint phase's fantasy particles (L levels from
 * β = 1 down to β, a move every k updates; DBMTrainerOptions.temperedTransitions; run name
 * -ttL-β-k); with --continue-from it starts from another run's joint state at the epoch it reached
 * (same seed, sizes, pretraining rule and schedule), so the move is tried where that run went wrong.
 * --anneal-from F --anneal-epochs N (run name -annealFxN; our choice, not S&H's) continues the run's
 * checkpoint at joint epoch F (it must stand there) for N epochs whose rate falls linearly towards 0
 * (epoch F + j at η₀·(N + 1 − j)/(N + 1), the schedule's decay still applied), as the RBM and DBN tails do.
 * --particles N (run name -pN) sets the number of fantasy particles; with --continue-from the
 * trainer keeps that run's generator and momentum and starts N fresh particles at training rows.
 * --float32-from E (our choice, for time; the run keeps its name) runs the products of joint epochs
 * E + 1, E + 2, … (their monitor included) on the float32 pool (createWasmPool({ precision:
 * 'float32' }): 1.3–1.6× the float64 pool's speed on this DBM's joint batches, three A/B rounds); the checkpoint records E,
 * every later invocation on it must pass the same E, and E cannot lie before the checkpoint's epoch
 * (epochs already trained in float64 stay so). The evaluation runs in float64.
 *
 * After every epoch of every phase it writes one checkpoint (temp file + rename) holding the
 * phase, the epoch, the trainer documents (parameters, momentum, fantasy particles, generator
 * states, counters) and the monitor curve, under bench/reproduce/checkpoints/<run>/ (git-ignored)
 * unless --checkpoint names another folder. --resume continues from it with the numbers of an
 * uninterrupted run, in whichever phase it stopped; --epochs-pretrain and --epochs default to
 * the checkpoint's and can be raised on a later resume (pretraining only while the run is still
 * in it; the joint learning rate η₀/(1 + t/τ) does not depend on --epochs, so raising it
 * extends the same schedule).
 *
 * The per-epoch monitor: pretraining, the RBM's reconstruction error; joint training, the
 * reconstruction error, the mean-field sweeps, and on --monitor-rows test rows the bound before
 * log Z (mean of −E_q[E] + H(q)), with every --monitor-ais-every epochs (and for the composed
 * DBM before joint training, "epoch 0") a SHORT AIS (--monitor-ais-runs × --monitor-ais-betas,
 * default 20 × 1 450, a tenth of the paper's schedule) giving a rough bound.
 *
 * --ais-hidden-base data (default) gives every AIS (monitor and evaluation) a base model whose hidden
 * layers sit at the data's mean-field rates (dbmHiddenBaseRates: the first 2 000 training rows for the
 * monitor, 10 000 for the evaluation) instead of uniform ones; uniform is what the runs before it used,
 * and its runs missed the joint-trained DBM's mass (see docs/reproductions.md).
 *
 * Evaluation (at --epochs unless --no-eval, or --eval-only on the checkpoint as it stands, which
 * must be in the joint phase): log Z by AIS (--ais-runs × --ais-betas, default 100 × 14 500 in
 * S&M's proportions, base rates from the training data), the variational lower bound on the
 * test rows and on the first --train-bound-rows training rows with its ±3σ interval and the ESS (what
 * `dbm.score(test, { method: 'bound' })` computes, with the AIS result kept for its interval);
 * writes the model as float32 safetensors <out>/models/<run>.safetensors, the entry <run> in
 * <out>/results.json (re-read right before writing; only the entry of this run is replaced) and
 * the plot <out>/<run>.svg. --plot-only writes only the plot of the curve so far.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../src/index.js';
import { aisSchedule, DBM, DBMTrainer, dbmAIS, dbmHiddenBaseRates, dbmVariationalBound, setKernel, withThreads } from '../../src/index.js';
import { firstRows } from '../../src/io/kinds/common.js';
import { dbmLogZFloorFrom } from '../../src/models/dbm-ais.js';
import { loadMnist } from '../../src/node/data.js';
import { createWasmPool, type WasmPoolKernel } from '../../src/node/wasm-pool.js';
import { composeDbm, DBM_PAPER, type DbmCheckpoint, type DbmCurveRow, type DbmRunSettings, dbmPaperDone, dbmPaperSeeds, dbmPaperStart, dbmPaperStep, jointProtocol, layer2Input } from './dbm-paper-protocol.js';
import { dbmPaperPlot } from './plots.js';
import { scriptArgs } from './cli-args.js';
import { gitCommit, upsertResult, writeJsonAtomic, writeModelF32 } from './publish.js';

process.title = 'node dbm-paper.ts';
const { has, str, int } = scriptArgs('dbm-paper');
const seed = int('seed', 1, 0);
const threads = int('threads', 1);
const sizes = str('sizes', DBM_PAPER.sizes.join(',')).split(',').map(Number);
const here = fileURLToPath(new URL('.', import.meta.url));
const out = resolve(str('out', here));
const sizeTag = sizes.join('-') === DBM_PAPER.sizes.join('-') ? '' : `-${sizes.join('-')}`;
// --pretrain cd1 (S&H, default) | pcd (our choice: the PCD recipe, DBM_PAPER.pretrainPcd; its own run)
const rule = str('pretrain', 'cd1');
if (rule !== 'cd1' && rule !== 'pcd') throw new RangeError(`dbm-paper: --pretrain must be cd1 or pcd (got ${rule})`);
// --joint paper (the paper text's rates, default) | slow (our choice: the code's initial rate, DBM_PAPER.jointSlow; its own run)
const schedule = str('joint', 'paper');
if (schedule !== 'paper' && schedule !== 'slow') throw new RangeError(`dbm-paper: --joint must be paper or slow (got ${schedule})`);
// --tempered L,β,k (our choice, after Salakhutdinov 2009): tempered transitions for the joint phase's particles
const ttArg = has('tempered') ? str('tempered', '').split(',').map(Number) : undefined;
if (ttArg !== undefined && (ttArg.length !== 3 || !Number.isInteger(ttArg[0]) || (ttArg[0] as number) < 1 || !((ttArg[1] as number) > 0 && (ttArg[1] as number) < 1) || !Number.isInteger(ttArg[2]) || (ttArg[2] as number) < 1)) {
  throw new RangeError(`dbm-paper: --tempered must be levels,minBeta,every (integers ≥ 1 and 0 < minBeta < 1; got ${str('tempered', '')})`);
}
// --ais-hidden-base data (default) | uniform: the hidden layers of every AIS base model
const aisHiddenBase = str('ais-hidden-base', 'data');
if (aisHiddenBase !== 'data' && aisHiddenBase !== 'uniform') throw new RangeError(`dbm-paper: --ais-hidden-base must be data or uniform (got ${aisHiddenBase})`);
const tempered = ttArg === undefined ? undefined : { levels: ttArg[0] as number, minBeta: ttArg[1] as number, every: ttArg[2] as number };
const ttTag = tempered === undefined ? '' : `-tt${tempered.levels}-${tempered.minBeta}-${tempered.every}`;
// --particles N (our choice): the joint phase's number of fantasy particles (the protocol's 100 when absent)
const particles = has('particles') ? int('particles', 100) : undefined;
const pTag = particles === undefined ? '' : `-p${particles}`;
const baseRun = `dbm-paper${sizeTag}${rule === 'pcd' ? '-pcdpre' : ''}${schedule === 'slow' ? '-jslow' : ''}${ttTag}${pTag}-seed${seed}${has('rows') ? `-rows${str('rows', '')}` : ''}`;
// --anneal-from F --anneal-epochs N (our choice, not S&H's): continue the run's checkpoint at joint epoch F
// for N epochs at a learning rate falling linearly towards 0 (annealedJointRate); its own run
const anneal = has('anneal-from') ? { from: int('anneal-from', 1), epochs: int('anneal-epochs', 20) } : undefined;
// --float32-from E (our choice, for time): joint epochs after E on the float32 pool (DbmCheckpoint.float32From)
const float32From = has('float32-from') ? int('float32-from', 0, 0) : undefined;
const run = anneal === undefined ? baseRun : baseRun.replace(`-seed${seed}`, `-anneal${anneal.from}x${anneal.epochs}-seed${seed}`);
const ckptDir = resolve(str('checkpoint', join(here, 'checkpoints', run)));
const ckptFile = join(ckptDir, 'checkpoint.json');
const dataDir = resolve(str('data', resolve(here, '../../../shared/data/mnist-binarized')));
if (!existsSync(dataDir)) {
  console.log(`dbm-paper: ${dataDir} not found; nothing to do`);
  process.exit(0);
}
const log = (s: string): void => console.log(`${new Date().toISOString()} ${s}`);
const allTrain = loadMnist(dataDir, { split: 'train' }).images;
// --rows N / --test-rows N: the first rows only (smoke tests; the paper run uses all of them).
const train = firstRows(allTrain, int('rows', allTrain.rows));
const allTest = loadMnist(dataDir, { split: 'test' }).images;
const test = firstRows(allTest, int('test-rows', allTest.rows));
const monitorRows = firstRows(test, int('monitor-rows', 1000));

/** The checkpoint file: the protocol's state plus the settings last used. */
interface CheckpointFile extends DbmCheckpoint {
  settings: DbmRunSettings;
}

const resuming = has('resume') || has('eval-only') || has('plot-only');
let ck: CheckpointFile;
if (resuming) {
  if (!existsSync(ckptFile)) throw new Error(`dbm-paper: no checkpoint at ${ckptFile}`);
  ck = JSON.parse(readFileSync(ckptFile, 'utf8')) as CheckpointFile;
  if ((ck.pretrainRule ?? 'cd1') !== rule) throw new Error(`dbm-paper: checkpoint ${ckptFile} was pretrained by ${ck.pretrainRule ?? 'cd1'}, not --pretrain ${rule}`);
  if (ck.seed !== seed || ck.sizes.join(',') !== sizes.join(',')) throw new Error(`dbm-paper: checkpoint ${ckptFile} is seed ${ck.seed}, sizes ${ck.sizes.join(',')}; not seed ${seed}, sizes ${sizes.join(',')}`);
  log(`resuming ${run}: phase ${ck.phase}, epoch ${ck.epoch} (pretraining ${ck.pretrainDone.join(' + ')} epochs)`);
} else if (anneal !== undefined) {
  if (existsSync(ckptFile)) throw new Error(`dbm-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  const baseFile = join(resolve(str('anneal-base', join(here, 'checkpoints', baseRun))), 'checkpoint.json');
  if (!existsSync(baseFile)) throw new Error(`dbm-paper: --anneal-from: no checkpoint at ${baseFile}`);
  const src = JSON.parse(readFileSync(baseFile, 'utf8')) as CheckpointFile;
  if (src.phase !== 'joint' || src.epoch !== anneal.from) throw new Error(`dbm-paper: ${baseFile} is at ${src.phase} epoch ${src.epoch}, not joint epoch --anneal-from ${anneal.from}`);
  ck = { ...src, run, anneal };
  log(`starting ${run} from ${baseRun} at joint epoch ${anneal.from}: ${anneal.epochs} epochs at a falling learning rate`);
} else if (has('continue-from')) {
  // --continue-from <checkpoint.json> (with --tempered or --particles): another run's joint state at the epoch it
  // reached, its trainer reloaded with tempered transitions on or another number of particles; the curve so far is that run's
  if (tempered === undefined && particles === undefined) throw new Error('dbm-paper: --continue-from needs --tempered or --particles (otherwise resume that run)');
  if (existsSync(ckptFile)) throw new Error(`dbm-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  const src = JSON.parse(readFileSync(resolve(str('continue-from', '')), 'utf8')) as CheckpointFile;
  if ((src.pretrainRule ?? 'cd1') !== rule || src.seed !== seed || src.sizes.join(',') !== sizes.join(',') || (src.jointSchedule ?? 'paper') !== schedule) {
    throw new Error(`dbm-paper: --continue-from is seed ${src.seed}, sizes ${src.sizes.join(',')}, pretraining ${src.pretrainRule ?? 'cd1'}, joint ${src.jointSchedule ?? 'paper'}: not this run's`);
  }
  if (src.phase !== 'joint' || src.joint === undefined) throw new Error(`dbm-paper: --continue-from is still pretraining (${src.phase})`);
  const doc = structuredClone(src.joint) as { state?: { training?: { chains?: unknown } } };
  // other particle counts start fresh particles (the first batch's rows), as a new trainer does
  if (particles !== undefined && doc.state?.training !== undefined) doc.state.training.chains = null;
  const overrides = { ...(tempered === undefined ? {} : { temperedTransitions: tempered }), ...(particles === undefined ? {} : { nChains: particles }) };
  ck = { ...src, run, joint: DBMTrainer.fromDocument(doc, overrides).toDocument() };
  log(`continued ${run} from ${str('continue-from', '')} at joint epoch ${ck.epoch} with ${JSON.stringify(overrides)}`);
} else if (has('branch-from')) {
  // --branch-from <checkpoint.json>: the pretrained RBMs of another run of the same seed, sizes and
  // pretraining rule (that run's joint phase is not used), joint training from epoch 0 on this run's schedule
  if (existsSync(ckptFile)) throw new Error(`dbm-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  const src = JSON.parse(readFileSync(resolve(str('branch-from', '')), 'utf8')) as CheckpointFile;
  if ((src.pretrainRule ?? 'cd1') !== rule || src.seed !== seed || src.sizes.join(',') !== sizes.join(',')) throw new Error(`dbm-paper: --branch-from is seed ${src.seed}, sizes ${src.sizes.join(',')}, pretraining ${src.pretrainRule ?? 'cd1'}: not this run's`);
  if (src.phase !== 'joint' || src.layer2 === undefined) throw new Error(`dbm-paper: --branch-from is still pretraining (${src.phase})`);
  const pre = src.curve.filter((r) => r.phase !== 'joint');
  const joint0 = src.curve.filter((r) => r.phase === 'joint' && r.epoch === 0);
  const pretrainSeconds = pre.reduce((t, r) => t + r.seconds, 0);
  const base: DbmCheckpoint = { ...src, run, jointSchedule: schedule, phase: 'joint', epoch: 0, trainSeconds: pretrainSeconds, curve: [...pre, ...joint0] };
  const dbm0 = composeDbm(base);
  const j0 = jointProtocol(schedule);
  ck = {
    ...base,
    joint: new DBMTrainer(dbm0, { ...j0, ...(tempered === undefined ? {} : { temperedTransitions: tempered }), ...(particles === undefined ? {} : { nChains: particles }), rng: dbmPaperSeeds(seed).trainer }).toDocument(),
    settings: src.settings,
  };
  log(`branched ${run} from ${str('branch-from', '')}: pretraining ${ck.pretrainDone.join(' + ')} epochs, joint epoch 0 (${schedule} schedule)`);
} else {
  if (existsSync(ckptFile)) throw new Error(`dbm-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  if (tempered !== undefined || particles !== undefined) throw new Error('dbm-paper: --tempered and --particles start from another run: add --branch-from or --continue-from');
  ck = { ...dbmPaperStart(run, seed, train, sizes, rule), ...(schedule === 'slow' ? { jointSchedule: 'slow' as const } : {}), settings: { pretrainEpochs: [10, 10], jointEpochs: 500, monitorAIS: { every: 1, runs: 20, betas: 1450 } } };
}
if ((ck.jointSchedule ?? 'paper') !== schedule) throw new Error(`dbm-paper: checkpoint ${ckptFile} uses the ${ck.jointSchedule ?? 'paper'} joint schedule, not --joint ${schedule}`);
if (float32From !== ck.float32From) {
  const training = !has('eval-only') && !has('plot-only');
  const done = ck.phase === 'joint' ? ck.epoch : 0;
  if (ck.float32From !== undefined || !training || float32From === undefined || float32From < done) {
    throw new Error(
      `dbm-paper: --float32-from ${float32From ?? '(absent)'} does not fit checkpoint ${ckptFile} (${ck.float32From === undefined ? 'float64 throughout' : `float32 after joint epoch ${ck.float32From}: pass --float32-from ${ck.float32From}`}; ${ck.phase} epoch ${ck.epoch}): ` +
        'float32 starts only when training, at or after the epoch the checkpoint stands at',
    );
  }
  ck.float32From = float32From;
}
const pe = str('epochs-pretrain', ck.settings.pretrainEpochs.join(',')).split(',').map(Number);
const settings: DbmRunSettings = {
  pretrainEpochs: [pe[0] as number, (pe[1] ?? pe[0]) as number],
  jointEpochs: int('epochs', ck.anneal === undefined ? ck.settings.jointEpochs : ck.anneal.from + ck.anneal.epochs, 0),
  threads,
  monitorAIS: {
    every: int('monitor-ais-every', ck.settings.monitorAIS.every, 0),
    runs: int('monitor-ais-runs', ck.settings.monitorAIS.runs),
    betas: int('monitor-ais-betas', ck.settings.monitorAIS.betas, 3),
    hiddenBase: aisHiddenBase === 'data',
  },
};
if (ck.anneal !== undefined && settings.jointEpochs > ck.anneal.from + ck.anneal.epochs) throw new RangeError(`dbm-paper: --epochs ${settings.jointEpochs} is past the annealed tail (${ck.anneal.from} + ${ck.anneal.epochs})`);
if (!settings.pretrainEpochs.every((e) => Number.isInteger(e) && e >= 1)) throw new RangeError(`dbm-paper: --epochs-pretrain must be one or two positive integers (got ${str('epochs-pretrain', '')})`);
ck.settings = settings;

function save(c: CheckpointFile): void {
  writeJsonAtomic(ckptFile, c);
}

const describe = (r: DbmCurveRow): string => {
  const parts = [`${r.phase} epoch ${r.epoch}`, `${r.seconds.toFixed(0)} s`];
  if (r.reconstructionError !== undefined) parts.push(`reconstruction ${r.reconstructionError.toFixed(3)}`);
  if (r.learningRate !== undefined) parts.push(`lr ${r.learningRate.toExponential(3)}`);
  if (r.meanFieldIterations !== undefined) parts.push(`mean-field sweeps ${r.meanFieldIterations.toFixed(2)}`);
  if (r.temperedAcceptance !== undefined) parts.push(`tempered transitions accepted ${(100 * r.temperedAcceptance).toFixed(1)}%`);
  if (r.unnormalisedBound !== undefined) parts.push(`E_q[−E] + H(q) ${r.unnormalisedBound.toFixed(2)}`);
  if (r.certifiedLogZLowerBound !== undefined) parts.push(`certified log Z ≥ ${r.certifiedLogZLowerBound.toFixed(2)} (bound ≤ ${(r.boundCeiling as number).toFixed(2)})`);
  if (r.blankB !== undefined && r.bestRowB !== undefined) parts.push(`B(blank) ${r.blankB.toFixed(2)}, best row ${r.bestRowB.toFixed(2)}`);
  if (r.fewestParticlePixels !== undefined) parts.push(`nearest particle to the blank image: ${r.fewestParticlePixels} pixels on`);
  if (r.shortAIS !== undefined) {
    const a = r.shortAIS;
    parts.push(`SHORT AIS (${a.runs} × ${a.betas}, ${a.seconds.toFixed(0)} s) log Z ${a.logZ.toFixed(2)} [${a.logZLower.toFixed(2)}, ${a.logZUpper.toFixed(2)}], ESS ${a.ess.toFixed(1)}${a.hiddenBase === true ? " (hidden base at the data rates)" : ""} → bound ${a.bound.toFixed(2)}`);
  }
  if (r.warning !== undefined) parts.push(`WARNING ${r.warning}`);
  return parts.join(', ');
};

if (!has('eval-only') && !has('plot-only')) {
  let input: Matrix | undefined;
  const layer2Data = (): Matrix => {
    input ??= layer2Input(ck, train);
    return input;
  };
  let f32: WasmPoolKernel | undefined;
  while (!dbmPaperDone(ck, settings)) {
    const before = ck.curve.length;
    const c = ck;
    const single = c.phase === 'joint' && c.float32From !== undefined && c.epoch >= c.float32From;
    if (single && f32 === undefined) {
      f32 = await createWasmPool({ threads, precision: 'float32' });
      log(`joint epochs from ${c.epoch + 1} on: products on ${f32.name} (${threads} thread${threads > 1 ? 's' : ''})`);
    }
    setKernel(single ? f32 : undefined);
    try {
      ck = { ...withThreads(threads, () => dbmPaperStep(c, train, monitorRows, settings, layer2Data)), settings };
    } finally {
      setKernel(undefined);
    }
    save(ck);
    for (const r of ck.curve.slice(before)) log(describe(r));
    if (ck.curve.length === before) log(`phase ${ck.phase} starts`);
  }
  await f32?.close();
}

if (has('plot-only')) {
  writeFileSync(join(out, `${run}.svg`), dbmPaperPlot(ck, monitorRows.rows));
  log(`wrote ${join(out, `${run}.svg`)} (curve to ${ck.phase} epoch ${ck.epoch}, no AIS)`);
  process.exit(0);
}
if (has('no-eval')) process.exit(0);
if (ck.phase !== 'joint' || ck.joint === undefined) throw new Error(`dbm-paper: the checkpoint is in ${ck.phase} (epoch ${ck.epoch}); evaluation needs the composed DBM (the joint phase)`);

// Evaluation: one AIS log Z for the test and train bounds.
// --eval-pretrained: evaluate the composed, pretrained DBM (joint epoch 0, rebuilt from the two
// pretrained RBMs in the checkpoint) instead of the joint-trained one; its own results entry.
const pretrainedOnly = has('eval-pretrained');
const dbm = pretrainedOnly ? composeDbm(ck) : DBM.fromDocument(ck.joint);
const evalEpoch = pretrainedOnly ? 0 : ck.epoch;
const evalRun = pretrainedOnly ? `${run}-joint0` : run;
const runs = int('ais-runs', 100);
const nBetas = int('ais-betas', 14500, 3);
const a = Math.max(1, Math.round((nBetas * 500) / 14500)), b = Math.max(1, Math.round((nBetas * 4000) / 14500));
const betas = aisSchedule(a, b, Math.max(1, nBetas - a - b));
const a0 = performance.now();
const hiddenBase = aisHiddenBase === 'data' ? withThreads(threads, () => dbmHiddenBaseRates(dbm, firstRows(train, 10_000))) : undefined;
const ais = withThreads(threads, () => dbmAIS(dbm, { base: train, hiddenBase, runs, betas, rng: seed * 100_003 + 3 }));
const aisSeconds = (performance.now() - a0) / 1000;
const nTrainBound = Math.min(int('train-bound-rows', 10_000), train.rows);
const b0 = performance.now();
const testB = withThreads(threads, () => dbmVariationalBound(dbm, test, ais));
const trainB = withThreads(threads, () => dbmVariationalBound(dbm, firstRows(train, nTrainBound), ais));
const boundSeconds = (performance.now() - b0) / 1000;
// log Z ≥ log Σ_v e^{B(v)} over the distinct test and training rows scored and the blank image
const evalRows: Matrix = { rows: test.rows + nTrainBound, cols: test.cols, data: new Float64Array((test.rows + nTrainBound) * test.cols) };
evalRows.data.set(test.data.subarray(0, test.rows * test.cols));
evalRows.data.set(train.data.subarray(0, nTrainBound * test.cols), test.rows * test.cols);
const evalB = Float64Array.from([...testB.perRow, ...trainB.perRow], (x) => x + ais.logZ);
const certified = withThreads(threads, () => dbmLogZFloorFrom(dbm, evalRows, evalB).logZLowerBound);
const aisTooLow = ais.logZUpper < certified;
log(
  `AIS (${aisSeconds.toFixed(0)} s, ${ais.steps} βs × ${ais.runs} runs): log Z ${ais.logZ.toFixed(2)} [${ais.logZLower.toFixed(2)}, ${ais.logZUpper.toFixed(2)}], ESS ${ais.effectiveSampleSize.toFixed(1)}; ` +
    `test bound ${testB.mean.toFixed(2)} [${testB.lower.toFixed(2)}, ${testB.upper.toFixed(2)}], train (first ${nTrainBound} rows) ${trainB.mean.toFixed(2)} (mean field ${boundSeconds.toFixed(0)} s); certified log Z ≥ ${certified.toFixed(2)} (test bound ≤ ${(testB.mean + ais.logZ - certified).toFixed(2)})${aisTooLow ? ' — AIS BELOW THE CERTIFIED BOUND: not a valid estimate' : ''}`,
);

const model = writeModelF32(out, evalRun, dbm.toDocument());
const commit = gitCommit(here);
const j = jointProtocol(schedule), p = rule === 'pcd' ? DBM_PAPER.pretrainPcd : DBM_PAPER.pretrain;
const entry = {
  name: evalRun,
  model,
  testLL: testB.mean,
  interval: [testB.lower, testB.upper],
  ess: ais.effectiveSampleSize,
  logZ: ais.logZ,
  logZInterval: [ais.logZLower, ais.logZUpper],
  certifiedLogZLowerBound: certified,
  testBoundCeiling: testB.mean + ais.logZ - certified,
  aisBelowCertified: aisTooLow,
  trainLL: trainB.mean,
  trainRows: nTrainBound,
  trainInterval: [trainB.lower, trainB.upper],
  measure: 'mean-field variational lower bound on log P(v) with log Z from AIS (an estimate of a lower bound)',
  paperTestLL: DBM_PAPER.paperTestLL,
  pretrainEpochs: ck.pretrainDone,
  epochs: evalEpoch,
  updates: evalEpoch * Math.ceil(train.rows / j.batchSize),
  trainSeconds: ck.trainSeconds,
  aisSeconds,
  boundSeconds,
  protocol:
    `DBM ${ck.sizes.join('-')}, Salakhutdinov & Hinton 2009: pretraining ${ck.pretrainDone[0]} + ${ck.pretrainDone[1]} epochs (bottom RBM with doubled bottom-up input, top RBM with doubled top-down input; ${rule === 'pcd' ? `PCD-${p.k} with ${DBM_PAPER.pretrainPcd.nChains} persistent chains (our choice, not S&H's), lr ${p.learningRate} falling linearly per epoch` : `CD-${p.k}, lr ${p.learningRate}`}, momentum ${p.momentum}, weight cost ${p.weightDecay}, batch ${p.batchSize}), ` +
    `joint training ${evalEpoch} epochs${pretrainedOnly ? ' (the composed, pretrained DBM)' : ''} (lr ${j.learningRate}/(1 + t/${j.decay}), momentum ${j.momentum}${schedule === 'slow' ? " (initial rate of S&H's code; our choice)" : ''}, weight cost ${j.weightDecay}, batch ${j.batchSize}, ${particles ?? j.nChains} fantasy particles, ${j.gibbsSteps} Gibbs sweeps per update, mean field ${j.meanField.maxIterations} sweeps${tempered === undefined ? '' : `, tempered transitions for the particles: ${tempered.levels} levels from β = 1 to ${tempered.minBeta}, a move every ${tempered.every} updates`}${ck.anneal === undefined ? '' : `; then (our choice, not S&H's) the rate's η₀ falls linearly towards 0 over joint epochs ${ck.anneal.from + 1}-${ck.anneal.from + ck.anneal.epochs} (epoch ${ck.anneal.from}+j at ${j.learningRate}·(${ck.anneal.epochs + 1}-j)/${ck.anneal.epochs + 1}, the 1/(1 + t/${j.decay}) decay still applied)`}${ck.float32From === undefined ? '' : `; joint epochs after ${ck.float32From} with their products on the float32 pool (our choice, for time)`}), ${train.rows} rows`,
  binarization: "mnist-binarized: one stochastic Bernoulli(pixel/255) draw (not Salakhutdinov & Hinton's)",
  aisHiddenBase: aisHiddenBase,
  ais: `${ais.runs} runs x ${ais.steps} betas (S&M proportions ${a} to 0.5, ${b} to 0.9, the rest to 1), base rates from the training data${hiddenBase === undefined ? ' (visible layer; hidden layers uniform)' : ' for every layer (hidden: mean-field rates over the first 10 000 training rows)'}; test and train bounds from the same log Z${nBetas < 14500 ? '; SHORTER than the paper-protocol 14 500 betas, for time' : ''}`,
  command: `node --import tsx bench/reproduce/dbm-paper.ts${rule === 'pcd' ? ' --pretrain pcd' : ''}${schedule === 'slow' ? ' --joint slow' : ''}${tempered === undefined ? '' : ` --tempered ${tempered.levels},${tempered.minBeta},${tempered.every}`}${particles === undefined ? '' : ` --particles ${particles}`}${ck.anneal === undefined ? '' : ` --anneal-from ${ck.anneal.from} --anneal-epochs ${ck.anneal.epochs}`}${ck.float32From === undefined ? '' : ` --float32-from ${ck.float32From}`} --epochs-pretrain ${ck.pretrainDone.join(',')} --epochs ${ck.epoch} --seed ${seed} --threads ${threads} --resume --eval-only${pretrainedOnly ? ' --eval-pretrained' : ''} --ais-runs ${runs} --ais-betas ${nBetas} --ais-hidden-base ${aisHiddenBase} --train-bound-rows ${nTrainBound}`,
  seed,
  commit,
  curve: ck.curve,
};
const resultsPath = upsertResult(out, entry);
if (!pretrainedOnly) writeFileSync(join(out, `${run}.svg`), dbmPaperPlot(ck, monitorRows.rows, { epoch: ck.epoch, bound: testB.mean, ceiling: testB.mean + ais.logZ - certified, valid: !aisTooLow, betas: ais.steps, runs: ais.runs }));
log(`wrote ${model}${pretrainedOnly ? "" : `, ${run}.svg`} and the entry ${evalRun} in ${resultsPath}`);
