/**
 * Salakhutdinov & Murray (2008, §5) DBN 784-500-2000 on MNIST: the CD-25 784-500 RBM of
 * ./rbm-paper.ts frozen at the bottom, a 500-2000 top RBM trained greedily on the bottom's
 * hidden layer (rbm.m conventions, see ./dbn-paper-protocol.ts), scored by S&M's variational
 * lower bound on the test log-likelihood with `log Z_top` by AIS.
 *
 *   node --import tsx bench/reproduce/dbn-paper.ts [--bottom checkpoint.json|model.safetensors|model.json]
 *        [--epochs N] [--k-schedule ramp25|1x5,3x5,…] [--input samples|probs] [--seed 1] [--threads 1]
 *        [--init random|rbm] [--top-hidden 2000] [--rows N] [--test-rows N] [--checkpoint dir] [--out dir]
 *        [--resume] [--no-eval] [--eval-only] [--plot-only]
 *        [--ais-runs 100] [--ais-betas 14500] [--bound-samples 10] [--monitor-rows 2000] [--until HH:MM] [--data dir]
 *
 * --until HH:MM (UTC): stop training before an epoch predicted to end after that time, then evaluate.
 * --top-from <dbn-paper checkpoint.json>: start from that run's top RBM and trainer (epoch E, trained
 * on another bottom's h₁, e.g. an earlier checkpoint of the same CD-25 run) and continue it from
 * epoch E + 1 on this bottom (recorded as warmStart in the checkpoint and results.json).
 * --anneal-from F --anneal-epochs N (our choice, not S&M's): epochs F+1 … F+N run at rbm.m's 0.1
 * falling linearly to 0 (as rbm-paper.ts's tail); kept in the checkpoint, so --resume continues it.
 * --init random (default): rbm.m's 0.1·N(0, 1) weights; rbm: Hinton, Osindero & Teh's (2006) start
 * from the bottom RBM's transposed weights (padded; see dbnTopStart), so the DBN starts as the RBM.
 * --bottom defaults to the CD-25 run's checkpoint (bench/reproduce/checkpoints/rbm-paper-cd25-seed1/
 * checkpoint.json, read only). The bottom RBM is copied into this run's checkpoint at epoch 0,
 * so a resumed run uses the same bottom whatever the file holds later. After every epoch the
 * checkpoint (bottom, top model and trainer documents, monitor curve) is written atomically
 * (temp file + rename) under bench/reproduce/checkpoints/<run>/; --resume continues it
 * bit-exactly. The monitor per epoch: the top RBM's certified log Z lower bound, upper bound on
 * the test h₁ log-likelihood, pseudo-likelihood and reconstruction error (as rbm-paper.ts), and
 * `dbnBoundUpper`: the DBN's S&M bound on the test rows (the first --monitor-rows of them for both) with the certified log Z bound in place
 * of AIS (one draw per row), an upper bound on what the AIS evaluation can give.
 *
 * Evaluation (unless --no-eval; --eval-only evaluates the checkpoint as it stands): log Z_top by
 * AIS (--ais-runs × --ais-betas, split 1:8:20 as S&M's 500/4 000/10 000; base rates from the
 * training rows' h₁ means), the per-row bound before log Z with --bound-samples draws of Q per
 * test row (blocks of 100 rows; `DBN.score(…, { method: 'bound' })`'s computation, which holds
 * every draw at once), the estimate with the ±3σ interval of log Z and the ESS. Writes the whole
 * DBN as float32 safetensors models/<run>.safetensors (kind `dbn`, loadable with the library's
 * loader), the entry <run> in results.json and the curve <run>.svg under --out (default
 * bench/reproduce). --plot-only draws the curve so far. The process title contains
 * "dbn-paper.ts", so `pgrep -f dbn-paper.ts` finds it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix, ModelDocument } from '../../src/index.js';
import { RBM, rbmLogZLowerBound, safetensorsToDocument, withThreads } from '../../src/index.js';
import { loadMnist } from '../../src/node/data.js';
import { buildDbn, DBN_PAPER_TEST_LL, type DbnCheckpoint, dbnTopStart, drawBinary, evaluateBound, hiddenMeans, parseKSchedule, runEpochs } from './dbn-paper-protocol.js';
import { dbnPaperPlot } from './plots.js';
import { scriptArgs } from './cli-args.js';
import { gitCommit, upsertResult, writeJsonAtomic, writeModelF32 } from './publish.js';

const { args, str, int } = scriptArgs('dbn-paper');
const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../..');
const epochs = int('epochs', 20);
const seed = int('seed', 1, 0);
const threads = int('threads', 1);
const topHidden = int('top-hidden', 2000);
const schedule = parseKSchedule(str('k-schedule', '1x5,3x5,5x5,10'));
const init = str('init', 'random');
if (init !== 'random' && init !== 'rbm') throw new RangeError(`dbn-paper: --init must be random or rbm (got ${init})`);
const input = str('input', 'samples') as 'samples' | 'probs';
if (input !== 'samples' && input !== 'probs') throw new RangeError(`dbn-paper: --input must be samples or probs (got ${input})`);
const untilArg = str('until', '');
let until: number | undefined;
if (untilArg !== '') {
  const m = /^(\d\d):(\d\d)$/.exec(untilArg);
  if (m === null) throw new RangeError(`dbn-paper: --until must be HH:MM (UTC) (got ${untilArg})`);
  const d = new Date();
  d.setUTCHours(Number(m[1]), Number(m[2]), 0, 0);
  until = d.getTime();
}
const aisRuns = int('ais-runs', 100);
const aisBetas = int('ais-betas', 14500, 3);
const boundSamples = int('bound-samples', 10);
const topFrom = args.includes('--top-from') ? resolve(str('top-from', '')) : undefined;
// --anneal-from F --anneal-epochs N (our choice): epochs F+1…F+N at rbm.m's 0.1 falling linearly to 0
const anneal = args.includes('--anneal-from') ? { from: int('anneal-from', 1), epochs: int('anneal-epochs', 10) } : undefined;
if (anneal !== undefined && epochs > anneal.from + anneal.epochs) throw new RangeError(`dbn-paper: --epochs ${epochs} is past the annealed tail (${anneal.from} + ${anneal.epochs})`);
const run = `dbn-paper-${topFrom === undefined ? '' : 'warm-'}${anneal === undefined ? '' : `anneal${anneal.from}x${anneal.epochs}-`}${init === 'rbm' ? 'init-rbm-' : ''}${schedule.spec.replace(/,/g, '_')}-${input}-seed${seed}${topHidden === 2000 ? '' : `-top${topHidden}`}${args.includes('--rows') ? `-rows${str('rows', '')}` : ''}`;
const outDir = resolve(str('out', here));
const ckptDir = resolve(str('checkpoint', join(here, 'checkpoints', run)));
const ckptFile = join(ckptDir, 'checkpoint.json');
const dataDir = resolve(str('data', resolve(here, '../../../shared/data/mnist-binarized')));
const bottomPath = resolve(str('bottom', join(here, 'checkpoints', 'rbm-paper-cd25-seed1', 'checkpoint.json')));
if (!existsSync(dataDir)) {
  console.log(`dbn-paper: ${dataDir} not found; nothing to do`);
  process.exit(0);
}
const allTrain = loadMnist(dataDir, { split: 'train' }).images;
const nRows = int('rows', allTrain.rows);
const train: Matrix = nRows === allTrain.rows ? allTrain : { rows: nRows, cols: 784, data: allTrain.data.subarray(0, nRows * 784) };
const allTest = loadMnist(dataDir, { split: 'test' }).images;
const nTest = int('test-rows', allTest.rows);
const test: Matrix = nTest === allTest.rows ? allTest : { rows: nTest, cols: 784, data: allTest.data.subarray(0, nTest * 784) };

/** The bottom RBM from a rbm-paper checkpoint, a safetensors file or a model document. */
function readBottom(path: string): { doc: ModelDocument; source: string } {
  if (!existsSync(path)) throw new Error(`dbn-paper: --bottom ${path} not found`);
  const shown = relative(repoRoot, path);
  if (path.endsWith('.safetensors')) return { doc: RBM.fromDocument(safetensorsToDocument(readFileSync(path))).toDocument(), source: shown };
  const j = JSON.parse(readFileSync(path, 'utf8')) as { document?: ModelDocument; epoch?: number; run?: string } & ModelDocument;
  if (j.document !== undefined) return { doc: RBM.fromDocument(j.document).toDocument(), source: `${shown} (${j.run ?? 'checkpoint'} at epoch ${j.epoch})` };
  return { doc: RBM.fromDocument(j).toDocument(), source: shown };
}

let ck: DbnCheckpoint;
if (args.includes('--resume') || args.includes('--eval-only') || args.includes('--plot-only')) {
  if (!existsSync(ckptFile)) throw new Error(`dbn-paper: no checkpoint at ${ckptFile}`);
  ck = JSON.parse(readFileSync(ckptFile, 'utf8')) as DbnCheckpoint;
  if (ck.seed !== seed || ck.schedule !== schedule.spec || ck.input !== input || (ck.init ?? 'random') !== init) {
    throw new Error(`dbn-paper: checkpoint ${ckptFile} is seed ${ck.seed}, k ${ck.schedule}, input ${ck.input}, init ${ck.init}; not seed ${seed}, k ${schedule.spec}, input ${input}, init ${init}`);
  }
  console.log(`resuming ${run} at epoch ${ck.epoch} (bottom: ${ck.bottomSource})`);
} else {
  if (existsSync(ckptFile)) throw new Error(`dbn-paper: ${ckptFile} exists; pass --resume to continue it (or remove it)`);
  const b = readBottom(bottomPath);
  const from = init === 'rbm' ? RBM.fromDocument(b.doc) : undefined;
  ck = { run, seed, schedule: schedule.spec, input, init, ...(anneal === undefined ? {} : { anneal }), epoch: 0, trainSeconds: 0, bottomSource: b.source, bottom: b.doc, curve: [], document: dbnTopStart(schedule, seed, 500, topHidden, from) };
  if (topFrom !== undefined) {
    // --top-from: continue the top RBM (parameters, velocity, generator, epoch count) of another
    // run's checkpoint, trained there on another bottom's h₁, on this bottom's h₁ from its next epoch.
    const w = JSON.parse(readFileSync(topFrom, 'utf8')) as DbnCheckpoint;
    if (w.seed !== seed || w.schedule !== schedule.spec || w.input !== input || (w.init ?? 'random') !== init) throw new Error(`dbn-paper: --top-from ${topFrom} is another protocol (seed ${w.seed}, k ${w.schedule}, input ${w.input})`);
    ck = { ...ck, epoch: w.epoch, trainSeconds: w.trainSeconds, curve: w.curve, document: w.document, warmStart: { from: relative(repoRoot, topFrom), epochs: w.epoch, bottomSource: w.bottomSource } };
    console.log(`${run}: top RBM continued from ${topFrom} at epoch ${w.epoch} (trained on the h1 of ${w.bottomSource})`);
  }
  console.log(`${run}: bottom ${b.source}`);
}
const bottom = RBM.fromDocument(ck.bottom);
if (bottom.nHidden !== 500 || bottom.nVisible !== 784) throw new RangeError(`dbn-paper: the bottom RBM must be 784-500 (got ${bottom.nVisible}-${bottom.nHidden})`);

function save(c: DbnCheckpoint): void {
  writeJsonAtomic(ckptFile, c);
}
if (ck.epoch === 0 && !existsSync(ckptFile)) save(ck);

const trainMeans = withThreads(threads, () => hiddenMeans(bottom, train));
const testMeans = withThreads(threads, () => hiddenMeans(bottom, test));
const testH = drawBinary(testMeans, seed + 7); // one fixed draw of the test rows' h₁ (the top RBM's monitor rows, the certified bound)
// the per-epoch monitor on the first --monitor-rows test rows (default 2 000: its cost is a CD-5 epoch's tenth)
const nMon = Math.min(test.rows, int('monitor-rows', 2000));
const monTest: Matrix = { rows: nMon, cols: 784, data: test.data.subarray(0, nMon * 784) };
const monH: Matrix = { rows: nMon, cols: 500, data: testH.data.subarray(0, nMon * 500) };

if (!args.includes('--eval-only') && !args.includes('--plot-only')) {
  ck = runEpochs(ck, epochs, { trainMeans, test: monTest, testH: monH }, (c, wall) => {
    save(c);
    console.log(`${new Date().toISOString()} ${JSON.stringify(c.curve[c.curve.length - 1])} (epoch wall ${wall.toFixed(1)} s)`);
  }, threads, (c, wall) => {
    // --until HH:MM (UTC, today): stop before an epoch that would end after it (judged by the last epoch's wall time, +20%)
    if (until === undefined) return false;
    const k0 = schedule.k(c.epoch), k1 = schedule.k(c.epoch + 1);
    const next = wall * ((3 + 2 * k1) / (3 + 2 * k0)) * 1.2;
    const stop = Date.now() + next * 1000 > until;
    if (stop) console.log(`--until: stopping after epoch ${c.epoch} (the next would take about ${next.toFixed(0)} s)`);
    return stop;
  });
}


if (args.includes('--plot-only')) {
  writeFileSync(join(outDir, `${run}.svg`), dbnPaperPlot(ck.curve, { warmStart: ck.warmStart, topHidden, scheduleSpec: schedule.spec, input }));
  console.log(`wrote ${run}.svg (monitor curve to epoch ${ck.epoch}, no AIS)`);
  process.exit(0);
}
if (args.includes('--no-eval')) process.exit(0);

const top = RBM.fromDocument(ck.document);
const dbn = buildDbn(bottom, top);
const a0 = performance.now();
const ev = withThreads(threads, () => evaluateBound(dbn, test, trainMeans, { aisRuns, aisBetas, boundSamples, seed }));
const evalSeconds = (performance.now() - a0) / 1000;
const { ais, testLL } = ev;
const [a, b] = ev.split;
const mu = ev.boundBeforeLogZ;
console.log(`AIS log Z_top ${ais.logZ.toFixed(2)} [${ais.logZLower.toFixed(2)}, ${ais.logZUpper.toFixed(2)}], ESS ${ais.effectiveSampleSize.toFixed(1)} (${ais.steps} βs × ${ais.runs} runs)`);
const certified = rbmLogZLowerBound(top, [drawBinary(trainMeans, seed + 9), testH]).logZLowerBound;
console.log(
  `bound (AIS and bound ${evalSeconds.toFixed(0)} s, ${boundSamples} draws of Q per row, ${test.rows} rows): test ${testLL.mean.toFixed(2)} [${testLL.lower.toFixed(2)}, ${testLL.upper.toFixed(2)}]; ` +
    `certified log Z_top ≥ ${certified.toFixed(2)} (bound ≤ ${(mu - certified).toFixed(2)})`,
);

// An AIS log Z below the certified lower bound is an AIS failure (too short a schedule, or a
// mode AIS never found): the estimate is then not a bound on anything; say so in the entry.
const aisBelowCertified = ais.logZ < certified;
if (aisBelowCertified) console.log(`WARNING: AIS log Z_top ${ais.logZ.toFixed(2)} < certified lower bound ${certified.toFixed(2)}: the AIS figure is invalid; the test bound is ≤ ${(mu - certified).toFixed(2)}`);

const model = writeModelF32(outDir, run, dbn.toDocument());
const commit = gitCommit(here);
const entry = {
  name: run,
  model,
  testLL: testLL.mean,
  interval: [testLL.lower, testLL.upper],
  ess: ais.effectiveSampleSize,
  kind: "lower bound (Salakhutdinov & Murray 2008): E_Q[log P(v|h1) - F_top(h1)] + H(Q) - log Z_top, Q the bottom RBM's up-pass; the interval is the bound's at the ends of log Z_top's ±3σ AIS interval",
  logZTop: ais.logZ,
  logZTopInterval: [ais.logZLower, ais.logZUpper],
  boundBeforeLogZ: mu,
  boundBeforeLogZStdErr: ev.boundBeforeLogZStdErr,
  certifiedLogZTopLowerBound: certified,
  certifiedBoundUpper: mu - certified,
  ...(aisBelowCertified ? { warning: 'AIS log Z_top below the certified lower bound: the AIS estimate is invalid (see certifiedBoundUpper)' } : {}),
  paperTestLL: DBN_PAPER_TEST_LL,
  bottom: ck.bottomSource,
  ...(ck.warmStart === undefined ? {} : { warmStart: ck.warmStart }),
  epochs: ck.epoch,
  trainSeconds: ck.trainSeconds,
  evalSeconds,
  testRows: test.rows,
  protocol:
    `DBN 784-500-${topHidden}: bottom RBM frozen (${ck.bottomSource}); top RBM 500-${topHidden} ${init === 'rbm' ? "initialised from the bottom RBM's transposed weights (Hinton, Osindero & Teh 2006; 784 units W^T and the bottom's visible biases, 1216 units 0.001·N(0,1), the bottom's hidden biases as visible biases) and" : 'initialised as rbm.m (0.1·N(0,1) weights, zero biases) and'} trained greedily on ${input === 'samples' ? 'a fresh binary draw h1 ~ Q(h1|v) of the training rows every epoch' : "the bottom RBM's hidden probabilities (rbm.m's batchposhidprobs)"}, ` +
    `CD with k per epoch ${schedule.spec} (last repeats), rbm.m conventions: lr 0.1 (constant), momentum 0.5 for epochs 1-5 then 0.9, weight cost 2e-4, batch 100; ${ck.epoch} epochs on ${train.rows} rows${ck.warmStart === undefined ? '' : ` (epochs 1-${ck.warmStart.epochs} on the h1 of the earlier bottom ${ck.warmStart.bottomSource}, continued by --top-from; epochs ${ck.warmStart.epochs + 1}-${ck.epoch} on this bottom's)`}${ck.anneal === undefined ? '' : `; then (our choice, not S&M's) the learning rate falls linearly per epoch from 0.1 towards 0 over epochs ${ck.anneal.from + 1}-${ck.anneal.from + ck.anneal.epochs} (epoch ${ck.anneal.from}+j at 0.1·(${ck.anneal.epochs + 1}-j)/${ck.anneal.epochs + 1})`}`,
  binarization: "mnist-binarized: one stochastic Bernoulli(pixel/255) draw (not Salakhutdinov & Murray's)",
  ais: `log Z_top: ${aisRuns} runs x ${ais.steps} betas (${a} to 0.5, ${b} to 0.9, the rest to 1), base rates from the training rows' h1 means; the bound: ${boundSamples} draws of Q per test row`,
  command: `node --import tsx bench/reproduce/dbn-paper.ts${args.includes('--bottom') ? ` --bottom ${relative(repoRoot, bottomPath)}` : ''}${ck.warmStart === undefined ? '' : ` --top-from ${ck.warmStart.from}`} --init ${init} --epochs ${ck.epoch} --k-schedule ${schedule.spec} --input ${input} --seed ${seed} --threads ${threads} --ais-runs ${aisRuns} --ais-betas ${aisBetas} --bound-samples ${boundSamples}${topHidden === 2000 ? '' : ` --top-hidden ${topHidden}`}${ck.anneal === undefined ? '' : ` --anneal-from ${ck.anneal.from} --anneal-epochs ${ck.anneal.epochs}`}`,
  seed,
  commit,
  curve: ck.curve,
};
const resultsPath = upsertResult(outDir, entry);
writeFileSync(join(outDir, `${run}.svg`), dbnPaperPlot(ck.curve, { warmStart: ck.warmStart, topHidden, scheduleSpec: schedule.spec, input, aisTestLL: testLL.mean }));
console.log(`wrote ${model}, ${run}.svg and the entry ${run} in ${resultsPath}`);
