/**
 * The Salakhutdinov & Hinton (2009, §3–4) DBM protocol as a resumable state machine: greedy
 * pretraining of the bottom RBM (bottom-up input doubled) → the top RBM (top-down input
 * doubled) → joint training of the composed DBM by stochastic approximation with persistent
 * fantasy particles and mean-field data statistics. Every step is one epoch of one phase, from
 * a JSON checkpoint to the next checkpoint, so resuming from any checkpoint (in any phase) gives
 * the numbers of an uninterrupted run bit for bit. Used by bench/reproduce/dbm-paper.ts; tested
 * in test/train/dbm-paper-protocol.test.ts.
 *
 * Every choice and its source is listed in {@link DBM_PAPER} and in docs/reproductions.md.
 */
import { aisSchedule, DBM, dbmAIS, dbmHiddenBaseRates, DBMTrainer, dbmVariationalBound, RBMTrainer, ScaledRBM } from '../../src/index.js';
import type { EpochMetrics, Matrix, ModelDocument } from '../../src/index.js';
import { dbmLogZFloorFrom } from '../../src/models/dbm-ais.js';
import { firstRows } from '../../src/io/kinds/common.js';

/**
 * The protocol. S&H 2009 = Salakhutdinov & Hinton, "Deep Boltzmann Machines", AISTATS 2009
 * (the text was not at hand in the session that wrote this: the entries marked "S&H" are as
 * the paper is usually cited; the others are our choices, with reasons, in docs/reproductions.md).
 */
export const DBM_PAPER = {
  /** S&H §4: the MNIST DBM with 500 and 1000 hidden units. */
  sizes: [784, 500, 1000] as const,
  /** S&H §4: −84.62 nats, the variational lower bound on the test log-likelihood (AIS log Z). */
  paperTestLL: -84.62,
  /**
   * Pretraining RBMs (S&H §3.1: CD on RBMs with the doubled inputs). Learning rate 0.05,
   * momentum 0.5, weight cost 2e-4, batch 100, CD-1: our choice (the library example's
   * settings; rbm.m's lr 0.1 with momentum 0.9 drove CD-1 into a deep spurious-mode collapse
   * in our S&M RBM runs, and a pretrained layer taken from the collapse would seed the DBM badly).
   */
  pretrain: { method: 'cd' as const, k: 1, learningRate: 0.05, momentum: 0.5, weightDecay: 2e-4, batchSize: 100 },
  /**
   * The alternative pretraining rule (`--pretrain pcd`, our choice, not S&H's): the library's
   * recommended RBM recipe (PCD-1, 100 persistent chains, momentum 0.5, no weight cost, batch
   * 100) on the same doubled-input RBMs, the learning rate falling linearly per epoch from 0.02
   * (epoch e of T at 0.02·(T + 1 − e)/T). Chosen because CD-1 pretraining left the composed DBM
   * with a spurious mode at the blank image that AIS never reached (see docs/reproductions.md);
   * PCD's persistent chains visit such modes and its gradient removes them.
   */
  pretrainPcd: { method: 'pcd' as const, k: 1, learningRate: 0.02, momentum: 0.5, weightDecay: 0, batchSize: 100, nChains: 100 },
  /** Initial pretraining weights N(0, 0.01²) (the library default), visible bias = logit of the input means (Hinton's guide §8). */
  pretrainWeightStd: 0.01,
  /**
   * Joint training (S&H §4: batches of 100, 100 fantasy particles, 5 Gibbs updates of the
   * particles per update, initial learning rate 0.005 decreased gradually towards 0). The
   * decay η₀/(1 + t/τ) with τ = 6 000 updates (10 epochs of 600 batches) is our choice of
   * "gradually": it does not depend on the planned number of epochs, so a run can be extended;
   * after S&H's ~300 000 updates it is η₀/51. Momentum 0.5 and weight cost 2e-4: our choice
   * (the library's defaults); mean field 10 sweeps, tolerance 1e-5: our choice (the library example).
   */
  joint: { learningRate: 0.005, decay: 6000, momentum: 0.5, weightDecay: 2e-4, batchSize: 100, nChains: 100, gibbsSteps: 5, meanField: { maxIterations: 10, tolerance: 1e-5 } },
  /**
   * The slower joint schedule (`--joint slow`, our choice): the initial rate of the public
   * re-implementations that follow S&H's Matlab code (1e-3) instead of the paper text's 0.005,
   * with momentum 0.5 throughout. The code's per-update decay ε ← ε/1.000015 is approximated by
   * η₀/(1 + t/τ) with τ = 1/0.000015 ≈ 66 667 updates (the same initial slope). Chosen because at
   * 0.005 the fantasy particles fell behind the sharpening modes (AIS under the certified floor
   * from joint epoch 2 on). The code's switch to momentum 0.9 after 5 epochs was tried and
   * dropped: in the epoch after it, the monitor rows' E_q[−E] + H(q) fell from 734 to 570, the
   * reconstruction error rose from 17.3 to 19.2 and the short AIS fell under the certified floor.
   */
  jointSlow: { learningRate: 0.001, decay: 66_667, momentum: 0.5, weightDecay: 2e-4, batchSize: 100, nChains: 100, gibbsSteps: 5, meanField: { maxIterations: 10, tolerance: 1e-5 } },
};

/** Which joint-training schedule: the paper text's rates (`paper`) or the code's slower ones (`slow`). */
export type JointSchedule = 'paper' | 'slow';

/** Which rule pretrains the two RBMs. */
export type PretrainRule = 'cd1' | 'pcd';

/** The PCD pretraining's learning rate for (1-based) epoch `epoch` of `epochs`: 0.02·(epochs + 1 − epoch)/epochs. */
export const pcdPretrainRate = (epoch: number, epochs: number): number => (DBM_PAPER.pretrainPcd.learningRate * Math.max(1, epochs + 1 - epoch)) / epochs;

/** The phases, in order. */
export type DbmPhase = 'pretrain1' | 'pretrain2' | 'joint';

/** One row of the per-epoch monitor. */
export interface DbmCurveRow {
  phase: DbmPhase;
  /** Epoch within the phase (1-based; 0 for the composed DBM before joint training). */
  epoch: number;
  seconds: number;
  /** Training reconstruction error of the epoch (pretraining: the RBM's; joint: the mean-field one). */
  reconstructionError?: number;
  learningRate?: number;
  meanFieldIterations?: number;
  /** Joint phase: mean over the monitor rows of −E_q[E(v, h)] + H(q) (the bound before − log Z). */
  unnormalisedBound?: number;
  /**
   * Joint phase: a certified lower bound on log Z, log Σ_v e^{B(v)} over the distinct monitor
   * rows and the blank image, B(v) = E_q[−E(v, h)] + H(q) ≤ log Σ_h e^{−E(v, h)} (no sampling).
   */
  certifiedLogZLowerBound?: number;
  /** `unnormalisedBound − certifiedLogZLowerBound`: no valid estimate of the monitor rows' bound lies above it. */
  boundCeiling?: number;
  /** Joint phase: B(blank), the mean-field bound of the blank image (the spurious mode the first runs grew). */
  blankB?: number;
  /** Joint phase: the largest B(v) over the monitor rows. */
  bestRowB?: number;
  /** Joint phase, after epoch 0: the fewest pixels on among the visible fantasy particles (0: one is the blank image). */
  fewestParticlePixels?: number;
  /** Joint training with tempered transitions: the fraction of the epoch's moves accepted. */
  temperedAcceptance?: number;
  /** Set when the short AIS's whole log Z interval lies below the certified lower bound (the AIS is certainly an underestimate). */
  warning?: string;
  /** Joint phase, every few epochs: log Z by a SHORT AIS (see `monitorAIS`), and the bound on the monitor rows with it. */
  shortAIS?: { runs: number; betas: number; logZ: number; logZLower: number; logZUpper: number; ess: number; bound: number; seconds: number; hiddenBase?: boolean };
}

/** The checkpoint: everything a run needs to continue. */
export interface DbmCheckpoint {
  run: string;
  seed: number;
  sizes: number[];
  phase: DbmPhase;
  /** Epochs completed in the current phase. */
  epoch: number;
  /** The pretraining rule: S&H's CD-1 (absent: the first runs) or the PCD recipe ({@link DBM_PAPER}.pretrainPcd). */
  pretrainRule?: PretrainRule;
  /** Pretraining epochs completed per RBM. */
  pretrainDone: [number, number];
  trainSeconds: number;
  /** Bottom RBM trainer document (kept after its phase: the top RBM's input is computed from it). */
  layer1: ModelDocument;
  /** Top RBM trainer document (from phase pretrain2 on). */
  layer2?: ModelDocument;
  /** DBM trainer document (joint phase). */
  joint?: ModelDocument;
  /** The joint schedule (absent: `paper`). */
  jointSchedule?: JointSchedule;
  /**
   * An annealed tail (our choice, not S&H's; absent: none): from joint epoch `from` on, epoch
   * `from + j` (j = 1 … `epochs`) runs at the schedule's rate times `(epochs + 1 − j)/(epochs + 1)`
   * ({@link annealedJointRate}).
   */
  anneal?: { from: number; epochs: number };
  /**
   * Single-precision products (our choice, for time; absent: float64 throughout): joint epochs
   * after this one ran their products, the epoch's monitor included, on the float32 pool
   * (`createWasmPool({ precision: 'float32' })`: operands rounded to float32, 256-term partial
   * sums in float32 added into float64; the gathered 0/1 products and everything outside the
   * kernel stay float64). The evaluation always runs in float64.
   */
  float32From?: number;
  curve: DbmCurveRow[];
}

/** The per-run settings that may change between sessions. */
export interface DbmRunSettings {
  /** Pretraining epochs for the bottom and the top RBM. */
  pretrainEpochs: [number, number];
  /** Joint-training epochs. */
  jointEpochs: number;
  /** Worker threads. */
  threads?: number;
  /**
   * Short AIS every `every` joint epochs (and at epoch 0), `runs` × `betas`; `every: 0` turns it off.
   * `hiddenBase`: the base model's hidden layers at the data's mean-field rates (dbmHiddenBaseRates over
   * the first 2 000 training rows) instead of uniform (absent: uniform, as the runs before it used).
   */
  monitorAIS: { every: number; runs: number; betas: number; hiddenBase?: boolean };
}

/** Generator seeds, fixed functions of the run's seed. */
export const dbmPaperSeeds = (seed: number) => ({ layer1: seed + 1, trainer1: seed + 2, layer2: seed + 3, trainer2: seed + 4, dbm: seed + 5, trainer: seed + 6, monitor: (epoch: number) => seed * 100_003 + 7 + epoch });

/** A scaled RBM trainer document → the model, with the factors of layer `layer` (1 bottom, 2 top). */
function scaledLoader(layer: 1 | 2): (doc: unknown) => ScaledRBM {
  return (doc) => {
    const r = ScaledRBM.fromDocument(doc);
    const upScale = layer === 1 ? 2 : 1, downScale = layer === 2 ? 2 : 1;
    if (r.upScale === upScale && r.downScale === downScale) return r;
    // checkpoints written before documents carried the factors (they load with factors 1)
    const s = new ScaledRBM(r.nVisible, r.nHidden, { upScale, downScale, weightStd: 1 });
    s.weights.data.set(r.weights.data);
    s.visibleBias.set(r.visibleBias);
    s.hiddenBias.set(r.hiddenBias);
    return s;
  };
}

/** The bottom RBM's hidden probabilities (bottom-up input doubled): the top RBM's training data. */
export function layer2Input(ck: DbmCheckpoint, train: Matrix): Matrix {
  return scaledLoader(1)(ck.layer1).hiddenProbs(train);
}

/** A fresh trainer document for pretraining layer `layer` on `input`. */
function pretrainStart(layer: 1 | 2, nVisible: number, nHidden: number, input: Matrix, seed: number, rule: PretrainRule = 'cd1'): ModelDocument {
  const s = dbmPaperSeeds(seed);
  const rbm = new ScaledRBM(nVisible, nHidden, {
    upScale: layer === 1 ? 2 : 1,
    downScale: layer === 2 ? 2 : 1,
    weightStd: DBM_PAPER.pretrainWeightStd,
    rng: layer === 1 ? s.layer1 : s.layer2,
    data: input,
  });
  return new RBMTrainer(rbm, { ...(rule === 'pcd' ? DBM_PAPER.pretrainPcd : DBM_PAPER.pretrain), rng: layer === 1 ? s.trainer1 : s.trainer2 }).toDocument();
}

/** The epoch-0 checkpoint. */
export function dbmPaperStart(run: string, seed: number, train: Matrix, sizes: readonly number[] = DBM_PAPER.sizes, rule: PretrainRule = 'cd1'): DbmCheckpoint {
  if (sizes.length !== 3) throw new RangeError(`dbmPaperStart: sizes must be [nVisible, nHidden1, nHidden2] (got ${sizes.join(',')})`);
  return {
    run,
    seed,
    sizes: sizes.slice(),
    phase: 'pretrain1',
    epoch: 0,
    ...(rule === 'cd1' ? {} : { pretrainRule: rule }),
    pretrainDone: [0, 0],
    trainSeconds: 0,
    layer1: pretrainStart(1, sizes[0] as number, sizes[1] as number, train, seed, rule),
    curve: [],
  };
}

/**
 * Composes the DBM from the two pretrained RBMs as `pretrainDBM` does for two hidden layers:
 * W₁ = W_bottom, W₂ = W_top, b₀ = the bottom RBM's visible bias, b₁ = the mean of the bottom
 * RBM's hidden bias and the top RBM's visible bias, b₂ = the top RBM's hidden bias.
 */
export function composeDbm(ck: DbmCheckpoint): DBM {
  if (ck.layer2 === undefined) throw new RangeError('composeDbm: the checkpoint has no top RBM');
  const r1 = scaledLoader(1)(ck.layer1), r2 = scaledLoader(2)(ck.layer2);
  const dbm = new DBM(ck.sizes, { rng: dbmPaperSeeds(ck.seed).dbm });
  dbm.weights[0]!.data.set(r1.weights.data);
  dbm.weights[1]!.data.set(r2.weights.data);
  dbm.biases[0]!.set(r1.visibleBias);
  const b1 = dbm.biases[1]!;
  for (let j = 0; j < b1.length; j++) b1[j] = 0.5 * ((r1.hiddenBias[j] as number) + (r2.visibleBias[j] as number));
  dbm.biases[2]!.set(r2.hiddenBias);
  return dbm;
}

/**
 * A certified lower bound on log Z from rows: log Σ_v e^{B(v)} over the distinct rows and the
 * blank image, where B(v) = E_q[−E(v, h)] + H(q) (mean field) ≤ log Σ_h e^{−E(v, h)}, so the
 * sum is ≤ Z. Returns it and the mean B over `rows`.
 */
export function certifiedLogZ(dbm: DBM, rows: Matrix): { logZLowerBound: number; meanUnnormalised: number; blank: number; bestRow: number } {
  const b = dbmVariationalBound(dbm, rows, 0).perRow;
  let sum = 0, best = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < rows.rows; r++) {
    sum += b[r] as number;
    best = Math.max(best, b[r] as number);
  }
  const floor = dbmLogZFloorFrom(dbm, rows, b);
  return { logZLowerBound: floor.logZLowerBound, meanUnnormalised: sum / rows.rows, blank: floor.blank, bestRow: best };
}

/** The fewest units on in any row of `m` (a 0/1 matrix): how near the blank image the nearest row is. */
function fewestOn(m: Matrix): number {
  let fewest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < m.rows; r++) {
    let on = 0;
    for (let j = 0; j < m.cols; j++) on += m.data[r * m.cols + j] as number;
    fewest = Math.min(fewest, on);
  }
  return fewest;
}

/** The cheap monitor of a DBM on `rows`, with a short AIS when `withAIS`. */
function monitorDbm(
  dbm: DBM,
  rows: Matrix,
  train: Matrix,
  settings: DbmRunSettings,
  seed: number,
  epoch: number,
  particles?: Matrix,
): Pick<DbmCurveRow, 'unnormalisedBound' | 'certifiedLogZLowerBound' | 'boundCeiling' | 'blankB' | 'bestRowB' | 'fewestParticlePixels' | 'shortAIS' | 'warning'> {
  const c = certifiedLogZ(dbm, rows);
  const unnormalisedBound = c.meanUnnormalised;
  const base = {
    unnormalisedBound,
    certifiedLogZLowerBound: c.logZLowerBound,
    boundCeiling: unnormalisedBound - c.logZLowerBound,
    blankB: c.blank,
    bestRowB: c.bestRow,
    ...(particles === undefined ? {} : { fewestParticlePixels: fewestOn(particles) }),
  };
  const m = settings.monitorAIS;
  if (m.every <= 0 || epoch % m.every !== 0) return base;
  const t0 = performance.now();
  const n = m.betas, a = Math.max(1, Math.round((n * 500) / 14500)), b = Math.max(1, Math.round((n * 4000) / 14500));
  const hiddenBase = m.hiddenBase === true ? dbmHiddenBaseRates(dbm, firstRows(train, 2000)) : undefined;
  const ais = dbmAIS(dbm, { base: train, hiddenBase, runs: m.runs, betas: aisSchedule(a, b, Math.max(1, n - a - b)), rng: dbmPaperSeeds(seed).monitor(epoch) });
  const shortAIS = {
    runs: ais.runs,
    betas: ais.steps,
    logZ: ais.logZ,
    logZLower: ais.logZLower,
    logZUpper: ais.logZUpper,
    ess: ais.effectiveSampleSize,
    bound: unnormalisedBound - ais.logZ,
    seconds: (performance.now() - t0) / 1000,
    ...(hiddenBase === undefined ? {} : { hiddenBase: true }),
  };
  const low = ais.logZUpper < c.logZLowerBound;
  return { ...base, shortAIS, ...(low ? { warning: `short AIS log Z ≤ ${ais.logZUpper.toFixed(2)} lies below the certified lower bound ${c.logZLowerBound.toFixed(2)}: an underestimate, its bound is not valid` } : {}) };
}

/** The joint phase's trainer options for a schedule ({@link DBM_PAPER}.joint or `.jointSlow`). */
export const jointProtocol = (schedule: JointSchedule | undefined): typeof DBM_PAPER.joint => (schedule === 'slow' ? DBM_PAPER.jointSlow : DBM_PAPER.joint);

/**
 * The annealed tail's base learning rate for joint epoch `epoch` (1-based): the schedule's η₀ times
 * `(N + 1 − j)/(N + 1)` with `j = epoch − from`, so the rate falls linearly towards 0 over the tail
 * while the schedule's own decay 1/(1 + t/τ) still applies on top; `undefined` before the tail.
 */
export function annealedJointRate(schedule: JointSchedule, anneal: { from: number; epochs: number }, epoch: number): number | undefined {
  const j = epoch - anneal.from;
  if (j < 1) return undefined;
  if (j > anneal.epochs) throw new RangeError(`annealedJointRate: joint epoch ${epoch} is past the tail (${anneal.from} + ${anneal.epochs})`);
  return (jointProtocol(schedule).learningRate * (anneal.epochs + 1 - j)) / (anneal.epochs + 1);
}

/** True when the run has done everything `settings` asks. */
export function dbmPaperDone(ck: DbmCheckpoint, settings: DbmRunSettings): boolean {
  return ck.phase === 'joint' && ck.epoch >= settings.jointEpochs;
}

/**
 * One step: one epoch of the current phase (or, at the end of the top RBM's pretraining, the
 * composition of the DBM and its epoch-0 monitor row), from a checkpoint to the next one.
 * `layer2Data` is the top RBM's input (from {@link layer2Input}); it is computed when not given.
 * Throws when the settings ask for more pretraining than a run already past it can do.
 */
export function dbmPaperStep(ck: DbmCheckpoint, train: Matrix, monitorRows: Matrix, settings: DbmRunSettings, layer2Data?: () => Matrix): DbmCheckpoint {
  const [p1, p2] = settings.pretrainEpochs;
  if ((ck.phase !== 'pretrain1' && ck.pretrainDone[0] < p1) || (ck.phase === 'joint' && ck.pretrainDone[1] < p2)) {
    throw new RangeError(`dbmPaperStep: the checkpoint is past pretraining (${ck.pretrainDone.join(' + ')} epochs); --epochs-pretrain cannot be raised to ${p1},${p2} now`);
  }
  const threads = settings.threads;
  if (ck.phase === 'pretrain1' || ck.phase === 'pretrain2') {
    const layer = ck.phase === 'pretrain1' ? 1 : 2;
    const target = settings.pretrainEpochs[layer - 1];
    if (ck.epoch < target) {
      const doc = layer === 1 ? ck.layer1 : (ck.layer2 as ModelDocument);
      const input = layer === 1 ? train : (layer2Data ?? (() => layer2Input(ck, train)))();
      const pcd = ck.pretrainRule === 'pcd';
      const trainer = RBMTrainer.fromDocument(doc, scaledLoader(layer), pcd ? { learningRate: pcdPretrainRate(ck.epoch + 1, target) } : undefined);
      if (trainer.epoch !== ck.epoch) throw new RangeError(`dbmPaperStep: layer ${layer} is at epoch ${trainer.epoch}, the checkpoint says ${ck.epoch}`);
      let m: EpochMetrics | undefined;
      trainer.fit(input, { epochs: 1, ...(threads === undefined ? {} : { threads }), onEpoch: (x: EpochMetrics) => void (m = x) });
      if (m === undefined) throw new Error(`dbmPaperStep: layer ${layer} epoch ${ck.epoch + 1} did not complete`);
      const row: DbmCurveRow = { phase: ck.phase, epoch: ck.epoch + 1, seconds: m.seconds as number, reconstructionError: m.reconstructionError as number, ...(pcd ? { learningRate: pcdPretrainRate(ck.epoch + 1, target) } : {}) };
      const done: [number, number] = layer === 1 ? [ck.epoch + 1, 0] : [ck.pretrainDone[0], ck.epoch + 1];
      return { ...ck, epoch: ck.epoch + 1, pretrainDone: done, trainSeconds: ck.trainSeconds + row.seconds, curve: [...ck.curve, row], ...(layer === 1 ? { layer1: trainer.toDocument() } : { layer2: trainer.toDocument() }) };
    }
    if (layer === 1) {
      // Phase boundary: the top RBM, on the bottom RBM's doubled-input hidden probabilities.
      const input = (layer2Data ?? (() => layer2Input(ck, train)))();
      return { ...ck, phase: 'pretrain2', epoch: 0, layer2: pretrainStart(2, ck.sizes[1] as number, ck.sizes[2] as number, input, ck.seed, ck.pretrainRule ?? 'cd1') };
    }
    // Phase boundary: compose the DBM, its joint trainer, and the monitor of the pretrained DBM.
    const t0 = performance.now();
    const dbm = composeDbm(ck);
    const joint = new DBMTrainer(dbm, { ...jointProtocol(ck.jointSchedule), rng: dbmPaperSeeds(ck.seed).trainer }).toDocument();
    const row: DbmCurveRow = { phase: 'joint', epoch: 0, seconds: 0, ...monitorDbm(dbm, monitorRows, train, settings, ck.seed, 0) };
    row.seconds = (performance.now() - t0) / 1000;
    return { ...ck, phase: 'joint', epoch: 0, joint, curve: [...ck.curve, row] };
  }
  // Joint training (in an annealed tail, at the tail's rate for this epoch).
  const tailRate = ck.anneal === undefined ? undefined : annealedJointRate(ck.jointSchedule ?? 'paper', ck.anneal, ck.epoch + 1);
  const trainer = DBMTrainer.fromDocument(ck.joint, tailRate === undefined ? undefined : { learningRate: tailRate });
  if (trainer.epoch !== ck.epoch) throw new RangeError(`dbmPaperStep: the DBM trainer is at epoch ${trainer.epoch}, the checkpoint says ${ck.epoch}`);
  let m: EpochMetrics | undefined;
  trainer.fit(train, { epochs: 1, ...(threads === undefined ? {} : { threads }), onEpoch: (x: EpochMetrics) => void (m = x) });
  if (m === undefined) throw new Error(`dbmPaperStep: joint epoch ${ck.epoch + 1} did not complete`);
  const e = ck.epoch + 1;
  const row: DbmCurveRow = {
    phase: 'joint',
    epoch: e,
    seconds: m.seconds as number,
    reconstructionError: m.reconstructionError as number,
    learningRate: m.learningRate as number,
    meanFieldIterations: m.meanFieldIterations as number,
    ...(m.temperedAcceptance === undefined ? {} : { temperedAcceptance: m.temperedAcceptance }),
    ...monitorDbm(trainer.model, monitorRows, train, settings, ck.seed, e, trainer.fantasyParticles()[0]),
  };
  return { ...ck, epoch: e, trainSeconds: ck.trainSeconds + row.seconds, curve: [...ck.curve, row], joint: trainer.toDocument() };
}

