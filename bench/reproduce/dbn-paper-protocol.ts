/**
 * The DBN 784-500-2000 of Salakhutdinov & Murray (2008, §5): a frozen bottom RBM (the CD-25
 * 784-500 RBM of ./rbm-paper.ts) and a 500-2000 top RBM trained greedily on the bottom RBM's
 * hidden layer, evaluated by S&M's variational lower bound with `log Z_top` by AIS. Used by
 * bench/reproduce/dbn-paper.ts; tested in test/train/dbn-paper-protocol.test.ts.
 *
 * The top RBM follows the same `rbm.m` conventions as the RBM runs (lr 0.1, momentum 0.5 → 0.9
 * after epoch 5, weight cost 2·10⁻⁴, batch 100, weights 0.1·N(0, 1), zero biases) and reuses
 * `paperEpoch` of ./rbm-paper-protocol.ts with its own k schedule. Its training rows are a
 * fresh binary draw `h₁ ~ Q(h₁ | v) = Π σ(c + vW)` of the 60 000 training images every epoch
 * (one generator per epoch, so a resumed run draws the same rows).
 */
import { aisSchedule, DBN, RBM, RBMTrainer, Random, rbmAIS } from '../../src/index.js';
import type { AISResult, Matrix, ModelDocument } from '../../src/index.js';
import { dbnBoundTerms } from '../../src/models/dbn.js';
import { annealedLearningRate, type PaperCurveRow, type PaperProtocol, paperEpoch, paperStart } from './rbm-paper-protocol.js';

/** S&M 2008 (§5): the DBN's test lower bound. */
export const DBN_PAPER_TEST_LL = -86.22;

/** A k schedule for the top RBM: k per 1-based epoch, the last entry repeating. */
export interface KSchedule {
  /** The spec it was parsed from, e.g. `1x5,3x5,5x5,10` or `ramp25`. */
  spec: string;
  k: (epoch: number) => number;
}

/**
 * Parses a k schedule: `ramp<K>` (k = epoch up to K, as the CD-25 bottom RBM's ramp), or a
 * comma list of `k` or `kxN` (k for N epochs); the last k continues after the list.
 */
export function parseKSchedule(spec: string): KSchedule {
  const where = 'parseKSchedule';
  const ramp = /^ramp(\d+)$/.exec(spec);
  if (ramp !== null) {
    const K = Number(ramp[1]);
    if (!(K >= 1)) throw new RangeError(`${where}: spec must be ramp<K> with K ≥ 1 (got ${spec})`);
    return { spec, k: (e) => Math.min(K, e) };
  }
  const list: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:x(\d+))?$/.exec(part.trim());
    if (m === null || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) {
      throw new RangeError(`${where}: spec must be ramp<K> or a comma list of k or kxN with k, N ≥ 1 (got ${spec})`);
    }
    for (let i = 0; i < (m[2] === undefined ? 1 : Number(m[2])); i++) list.push(Number(m[1]));
  }
  return { spec, k: (e) => list[Math.min(e, list.length) - 1] as number };
}

/**
 * The epoch-0 document of the top RBM (nVisible-nHidden, rbm.m initialisation: 0.1·N(0, 1)
 * weights, zero biases) and its trainer at k = k(1). With `from` (the bottom RBM, `--init rbm`):
 * Hinton, Osindero & Teh's (2006, §4) initialisation, the bottom's weights transposed, padded:
 * the first `from.nVisible` hidden units get `Wᵀ` and the bottom's visible biases, the top's
 * visible biases are the bottom's hidden biases, and the other hidden units keep small
 * 0.001·N(0, 1) weights (exactly zero would keep them identical under CD) and zero biases. The
 * top then models `P(h₁)` of the bottom RBM (up to the small units), so the DBN starts as the
 * bottom RBM and its S&M bound at epoch 0 is the RBM's log-likelihood (Q is the exact posterior).
 */
export function dbnTopStart(schedule: KSchedule, seed: number, nVisible = 500, nHidden = 2000, from?: RBM): ModelDocument {
  const doc = paperStart(asProtocol(schedule), seed, nVisible, nHidden);
  if (from === undefined) return doc;
  const nB = from.nVisible;
  if (from.nHidden !== nVisible || nHidden < nB) throw new RangeError(`dbnTopStart: --init rbm needs a bottom RBM with ${nVisible} hidden units and at most ${nHidden} visible units (got ${nB}-${from.nHidden})`);
  const top = RBM.fromDocument(doc);
  const W = top.weights.data, B = from.weights.data;
  for (let i = 0; i < nVisible; i++) {
    for (let j = 0; j < nHidden; j++) W[i * nHidden + j] = j < nB ? (B[j * nVisible + i] as number) : 0.01 * (W[i * nHidden + j] as number);
  }
  top.visibleBias.set(from.hiddenBias);
  top.hiddenBias.fill(0);
  top.hiddenBias.set(from.visibleBias);
  const t = RBMTrainer.fromDocument(doc, () => top);
  return t.toDocument();
}

/** `paperEpoch`'s protocol object for a k schedule (only `k` is used by the epoch). */
function asProtocol(schedule: KSchedule): PaperProtocol {
  return { name: 'cd1', describe: `top RBM, k schedule ${schedule.spec}`, paperTestLL: DBN_PAPER_TEST_LL, k: schedule.k };
}

/** The bottom RBM's hidden probabilities `σ(c + vW)` of `data` (the mean of Q(h₁ | v)). */
export function hiddenMeans(bottom: RBM, data: Matrix): Matrix {
  const out = new Float64Array(data.rows * bottom.nHidden);
  bottom.hiddenProbsUnchecked(out, data.data, data.rows);
  return { rows: data.rows, cols: bottom.nHidden, data: out };
}

/** One binary draw `h ~ Bernoulli(means)` from `new Random(seed)`. */
export function drawBinary(means: Matrix, seed: number): Matrix {
  const g = new Random(seed);
  const out = new Float64Array(means.data.length);
  for (let i = 0; i < out.length; i++) out[i] = g.float64() < (means.data[i] as number) ? 1 : 0;
  return { rows: means.rows, cols: means.cols, data: out };
}

/** The seed of epoch `epoch`'s draw of the top RBM's training rows (`--input samples`). */
export const epochDrawSeed = (seed: number, epoch: number): number => seed * 1_000_003 + epoch;

/** One row of the DBN run's per-epoch monitor: the top RBM's cheap bounds and the DBN's. */
export interface DbnCurveRow extends PaperCurveRow {
  /**
   * `E_Q[log P(v | h₁) − F_top(h₁)] + H(Q)` averaged over the test rows (one draw of Q per
   * row, a fixed generator) minus the top RBM's certified `log Z` lower bound: an upper
   * bound on the S&M test bound (up to the one draw's sampling error), which AIS only lowers.
   */
  dbnBoundUpper: number;
}

/** The input of the top RBM for epoch `epoch`: a fresh binary draw of the training means, or the means themselves. */
export function topInput(trainMeans: Matrix, input: 'samples' | 'probs', seed: number, epoch: number): Matrix {
  return input === 'samples' ? drawBinary(trainMeans, epochDrawSeed(seed, epoch)) : trainMeans;
}

/**
 * Epoch `epoch` (1-based) of the top RBM: `paperEpoch` with the schedule's k and rbm.m's
 * momentum on `input`, the top RBM's monitor on `testH` (the test rows' h₁ draw), and the DBN
 * bound's cheap upper bound on `test` (the images).
 */
export function dbnTopEpoch(
  doc: ModelDocument,
  schedule: KSchedule,
  epoch: number,
  bottom: RBM,
  input: Matrix,
  test: Matrix,
  testH: Matrix,
  seed: number,
  threads?: number,
  learningRate?: number,
): { document: ModelDocument; row: DbnCurveRow } {
  const { document, row } = paperEpoch(doc, asProtocol(schedule), epoch, input, testH, threads, learningRate);
  const dbn = buildDbn(bottom, RBM.fromDocument(document));
  const terms = boundTerms(dbn, test, 1, new Random(seed + 11));
  let mu = 0;
  for (let r = 0; r < terms.length; r++) mu += (terms[r] as number) / terms.length;
  return { document, row: { ...row, dbnBoundUpper: mu - row.logZLowerBound } };
}

/** The DBN `[bottom.nVisible, bottom.nHidden, top.nHidden]` with copies of both RBMs' parameters. */
export function buildDbn(bottom: RBM, top: RBM): DBN {
  if (top.nVisible !== bottom.nHidden) throw new RangeError(`buildDbn: top.nVisible must equal bottom.nHidden (${bottom.nHidden}) (got ${top.nVisible})`);
  const dbn = new DBN([bottom.nVisible, bottom.nHidden, top.nHidden]);
  for (const [layer, rbm] of [
    [dbn.layers[0] as RBM, bottom],
    [dbn.layers[1] as RBM, top],
  ] as const) {
    layer.weights.data.set(rbm.weights.data);
    layer.visibleBias.set(rbm.visibleBias);
    layer.hiddenBias.set(rbm.hiddenBias);
  }
  return dbn;
}

/**
 * Salakhutdinov & Murray's (2008) bound before `log Z_top`, per row, in blocks of `blockRows`
 * data rows (the library's `dbnBoundTerms`; `DBN.score` runs it as one block and would hold
 * all n·samples replicated rows at once, 6 GB for 10 000 MNIST rows × 100 samples).
 */
export function boundTerms(dbn: DBN, data: Matrix, samples: number, rng: Random, blockRows = 100): Float64Array {
  return dbnBoundTerms(dbn, data, samples, rng, blockRows);
}

/** A run's checkpoint: the bottom RBM (copied at epoch 0), the top RBM and its trainer, the monitor curve. */
export interface DbnCheckpoint {
  run: string;
  seed: number;
  schedule: string;
  input: 'samples' | 'probs';
  /** When the top RBM was continued from another run's checkpoint (`--top-from`): that file, its epochs and its bottom. */
  warmStart?: { from: string; epochs: number; bottomSource: string };
  /** The top RBM's initialisation (absent: 'random'). */
  init?: 'random' | 'rbm';
  /** The annealed tail (our choice, `--anneal-from`): epochs `from + 1 … from + epochs` at rbm.m's 0.1 falling linearly to 0 (`annealedLearningRate`). */
  anneal?: { from: number; epochs: number };
  epoch: number;
  trainSeconds: number;
  /** Where the bottom RBM came from (and its epoch when a checkpoint). */
  bottomSource: string;
  bottom: ModelDocument;
  curve: DbnCurveRow[];
  /** The top RBM with its trainer's state (`RBMTrainer.toDocument`). */
  document: ModelDocument;
}

/**
 * Trains the checkpoint's top RBM from its epoch to `epochs`, calling `save` with the new
 * checkpoint after every epoch (the script writes it to disk there), or until `stop` says so. Everything an epoch
 * needs is in the checkpoint or derived from (seed, epoch), so a checkpoint saved, reloaded and
 * continued gives the numbers of an uninterrupted run.
 */
export function runEpochs(
  start: DbnCheckpoint,
  epochs: number,
  data: { trainMeans: Matrix; test: Matrix; testH: Matrix },
  save: (c: DbnCheckpoint, wallSeconds: number) => void,
  threads?: number,
  stop?: (c: DbnCheckpoint, wallSeconds: number) => boolean,
): DbnCheckpoint {
  const schedule = parseKSchedule(start.schedule);
  const bottom = RBM.fromDocument(start.bottom);
  let ck = start;
  while (ck.epoch < epochs) {
    const e = ck.epoch + 1;
    const x = topInput(data.trainMeans, ck.input, ck.seed, e);
    const t0 = performance.now();
    const lr = ck.anneal === undefined ? undefined : annealedLearningRate(e, ck.anneal.from, ck.anneal.epochs);
    const { document, row } = dbnTopEpoch(ck.document, schedule, e, bottom, x, data.test, data.testH, ck.seed, threads, lr);
    ck = { ...ck, epoch: e, trainSeconds: ck.trainSeconds + row.seconds, curve: [...ck.curve, row], document };
    const wall = (performance.now() - t0) / 1000;
    save(ck, wall);
    if (stop?.(ck, wall) === true) break;
  }
  return ck;
}

/** The evaluation: S&M's bound on `test` with `log Z_top` by AIS. */
export interface DbnEvaluation {
  ais: AISResult;
  /** The per-row bound before `log Z_top`, averaged over the rows. */
  boundBeforeLogZ: number;
  /** Its standard error over the rows (the spread of the rows, not only the draws of Q). */
  boundBeforeLogZStdErr: number;
  /** The estimate `boundBeforeLogZ − log Z_top` and its values at the ends of log Z's ±3σ interval. */
  testLL: { mean: number; lower: number; upper: number };
  /** The AIS schedule's split: βs to 0.5, to 0.9, to 1. */
  split: [number, number, number];
}

/**
 * Evaluates `dbn` (two layers) on `test`: `log Z_top` by AIS (`aisRuns` × `aisBetas`, split
 * 1:8:20 as S&M's 500/4 000/10 000, base rates from `base`, the generator `seed + 3`) and the
 * bound's expectation from `boundSamples` draws of Q per row (`seed + 5`).
 */
export function evaluateBound(dbn: DBN, test: Matrix, base: Matrix, o: { aisRuns: number; aisBetas: number; boundSamples: number; seed: number }): DbnEvaluation {
  const top = dbn.layers[dbn.depth - 1] as RBM;
  const a = Math.max(1, Math.round(o.aisBetas / 29)), b = Math.max(1, Math.round((8 * o.aisBetas) / 29)), c = Math.max(1, o.aisBetas - a - b);
  const ais = rbmAIS(top, { base, runs: o.aisRuns, rng: o.seed + 3, betas: aisSchedule(a, b, c) });
  const terms = boundTerms(dbn, test, o.boundSamples, new Random(o.seed + 5));
  let mu = 0;
  for (let r = 0; r < terms.length; r++) mu += (terms[r] as number) / terms.length;
  let v2 = 0;
  for (let r = 0; r < terms.length; r++) v2 += ((terms[r] as number) - mu) * ((terms[r] as number) - mu);
  const stdErr = terms.length > 1 ? Math.sqrt(v2 / (terms.length - 1) / terms.length) : Number.NaN;
  return { ais, boundBeforeLogZ: mu, boundBeforeLogZStdErr: stdErr, testLL: { mean: mu - ais.logZ, lower: mu - ais.logZUpper, upper: mu - ais.logZLower }, split: [a, b, c] };
}
