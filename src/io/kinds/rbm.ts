/**
 * The `rbm` kind: binary restricted Boltzmann machines, trained by CD-k or
 * persistent CD ({@link RBMTrainer}), sampled and scored through the model
 * contract.
 * @module
 */
import type { Matrix } from '../../linalg/matrix.js';
import { RBM_EXACT_MAX_UNITS } from '../../models/rbm-exact.js';
import { pseudoLikelihood } from '../../models/rbm-pseudo-likelihood.js';
import { rbmLogZLowerBound } from '../../models/rbm-log-z-bound.js';
import { RBM, rbmAISScore } from '../../models/rbm.js';
import { aisSchedule, rbmAISWork } from '../../models/rbm-ais.js';
import { mapWork, type SteppedWork } from '../../models/fit-async.js';
import type { ScoreResult } from '../../models/contract.js';
import { Random } from '../../random/random.js';
import { RBMTrainer, type RBMTrainerOptions } from '../../train/rbm-trainer.js';
import type { EvaluateReport, KindOption, KindOptionValues, ModelKind, TrainingStage } from '../registry.js';
import { KindOptionError } from '../kind-option-error.js';
import { AIS_OPTIONS, firstRows, floorFields, floorLines, fmt, gather, MOMENTUM, mean, num, sgdOptions } from './common.js';

/** The CD options shared by `rbm` and `dbn`.
 * @category Data & files
 */
export const CD_OPTIONS: readonly KindOption[] = [
  { name: 'k', type: 'int', default: 1, help: 'Gibbs steps per update' },
  { name: 'persistent', type: 'boolean', help: 'persistent CD (PCD)' },
  { name: 'chains', type: 'int', requires: 'persistent', help: 'persistent chains (default: the batch size)' },
  ...sgdOptions(20, 0.05),
  MOMENTUM,
];

/** The trainer options of parsed CD options.
 * @category Data & files
 */
export function cdTrainerOptions(o: KindOptionValues, rng: Random): RBMTrainerOptions {
  const persistent = o.persistent === true;
  return {
    method: persistent ? 'pcd' : 'cd',
    k: num(o.k),
    nChains: persistent ? num(o.chains) : undefined,
    batchSize: num(o['batch-size']),
    learningRate: num(o.lr),
    momentum: num(o.momentum),
    weightDecay: num(o['weight-decay']),
    rng,
  };
}

/**
 * Reconstruction error, the exact pseudo-log-likelihood (every unit, no random
 * draw, so its epoch-to-epoch change means something), the mean free energy of
 * the fixed monitor rows, and the certified upper bound on their log-likelihood
 * (`rbmLogZLowerBound` over the blank image, the monitor rows and the persistent
 * chains), which falls when a spurious mode grows — on one line.
 */
function rbmMetrics(rbm: RBM, monitor: Matrix, chains: Matrix | undefined): string {
  const rec = rbm.reconstruct(monitor);
  let err = 0;
  for (let i = 0; i < rec.data.length; i++) {
    const d = (monitor.data[i] as number) - (rec.data[i] as number);
    err += d * d;
  }
  const pl = mean(pseudoLikelihood(rbm, monitor, { exact: true }));
  const fe = mean(rbm.freeEnergy(monitor));
  const bound = rbm.visibleType === 'binary' ? rbmLogZLowerBound(rbm, chains === undefined ? [monitor] : [monitor, chains]).logZLowerBound : Number.NaN;
  return `recon ${fmt(err / monitor.rows, 3)}  pseudo-LL ${fmt(pl, 3)}  free energy ${fmt(fe, 3)}  LL ≤ ${fmt(-fe - bound, 3)}`;
}

/**
 * A training stage driving an {@link RBMTrainer} (also the layers of a DBN).
 *
 * @param trainer - the trainer
 * @param data - the stage's rows
 * @param monitorRows - rows of the per-epoch metrics
 * @param label - the start of the label, e.g. `rbm 16×6, `
 * @category Data & files
 */
export function rbmStage(trainer: RBMTrainer, data: Matrix, monitorRows: number, label: string): TrainingStage {
  const rbm = trainer.model as RBM;
  const buf = new Float64Array(trainer.batchSize * data.cols);
  const monitor = firstRows(data, monitorRows);
  const lr = typeof trainer.learningRate === 'number' ? trainer.learningRate : 'schedule';
  return {
    label: `${label}${trainer.method === 'pcd' ? 'PCD' : 'CD'}-${trainer.k}, batch ${trainer.batchSize}, lr ${lr}`,
    batchSize: trainer.batchSize,
    step: (idx) => trainer.step(gather(data, idx, buf)),
    save: () => trainer.toDocument(),
    metrics: () => rbmMetrics(rbm, monitor, trainer.persistentChains()),
    epochDone: (e) => {
      trainer.epoch = e;
    },
  };
}

/** `eval` of an RBM: exact log Z when the smaller layer is enumerable, else AIS with ±3σ bounds. */
function evaluateRBM(rbm: RBM, data: Matrix, o: KindOptionValues, given: ReadonlySet<string>, seed: number): EvaluateReport | SteppedWork<EvaluateReport> {
  const small = Math.min(rbm.nVisible, rbm.nHidden) <= RBM_EXACT_MAX_UNITS;
  if (o.exact === true && !small) {
    throw new KindOptionError(`eval --exact: needs min(nVisible, nHidden) ≤ ${RBM_EXACT_MAX_UNITS} (got ${rbm.nVisible}×${rbm.nHidden}); drop --exact to use AIS`);
  }
  const rows = data.rows;
  if (small && !given.has('runs') && !given.has('ais-steps')) {
    const r = rbm.score(data, { method: 'exact' });
    const logZ = r.logZ as number;
    return {
      fields: { method: 'exact', logZ, logLikelihood: r.mean, rows },
      lines: [`log Z = ${fmt(logZ, 6)} (exact)`, `average log-likelihood = ${fmt(r.mean, 6)} nats over ${rows} rows`],
    };
  }
  const runs = num(o.runs) ?? 100, steps = num(o['ais-steps']) ?? 14500;
  return mapWork(aisScoreWork(rbm, data, runs, steps, seed), (r) => aisReport(r, runs, steps, rows));
}

/**
 * `rbm.score(data, { method: 'ais', aisRuns: runs, aisBetas: steps, rng: seed })` as
 * stepped work (one unit per β step), with the same numbers bit for bit.
 */
function aisScoreWork(rbm: RBM, data: Matrix, runs: number, steps: number, seed: number): SteppedWork<ScoreResult> {
  // The β schedule of RBM.score's aisBetas (Salakhutdinov & Murray's proportions).
  const a = Math.max(1, Math.round(steps / 29));
  const b = Math.max(1, Math.round((8 * steps) / 29));
  const betas = aisSchedule(a, b, Math.max(1, steps - a - b));
  const work = rbmAISWork(rbm, { base: data, runs, betas, rng: seed });
  return mapWork(work, (ais) => rbmAISScore(rbm, data, ais));
}

/** The `eval` report of an AIS score. */
function aisReport(r: ScoreResult, runs: number, steps: number, rows: number): EvaluateReport {
  const logZ = r.logZ as number, ess = r.ess as number;
  // score's interval is the ±3σ interval of log Ẑ carried to the mean: lower = mean − (log Z_upper − log Ẑ).
  const logZLower = logZ - (r.upper - r.mean), logZUpper = logZ + (r.mean - r.lower);
  return {
    fields: {
      method: 'ais',
      logZ,
      logZLower,
      logZUpper,
      effectiveSampleSize: ess,
      runs,
      steps,
      logLikelihood: r.mean,
      logLikelihoodLower: r.lower,
      logLikelihoodUpper: r.upper,
      rows,
      ...floorFields(r),
    },
    lines: [
      `log Z = ${fmt(logZ, 4)} [${fmt(logZLower, 4)}, ${fmt(logZUpper, 4)}] (AIS, ${runs} runs × ${steps} steps, ESS ${fmt(ess, 1)})`,
      `average log-likelihood = ${fmt(r.mean, 4)} [${fmt(r.lower, 4)}, ${fmt(r.upper, 4)}] nats over ${rows} rows`,
      ...floorLines(r),
    ],
  };
}

/**
 * `rbm.sample(n, { steps, rng })` as stepped work, one unit per Gibbs sweep:
 * the starting state now, then `rbm.gibbs` a few sweeps at a time on the same
 * generator (the same numbers, bit for bit).
 *
 * @param rbm - the model
 * @param n - rows
 * @param steps - Gibbs sweeps
 * @param rng - the generator of the draw
 * @returns the stepped draw
 * @example
 * ```ts
 * import { RBM, Random } from 'boltzmann';
 * import { gibbsSampleWork } from 'boltzmann/base';
 * const w = gibbsSampleWork(new RBM(4, 3, { rng: 1 }), 2, 10, new Random(5));
 * w.advance(w.total);
 * w.result().rows; // 2
 * ```
 * @category Data & files
 */
export function gibbsSampleWork(rbm: RBM, n: number, steps: number, rng: Random): SteppedWork<Matrix> {
  let cur = rbm.sample(n, { steps: 0, rng });
  let done = 0;
  return {
    total: steps,
    get done() {
      return done;
    },
    advance(units: number): void {
      const k = Math.min(units, steps - done);
      if (k <= 0) return;
      cur = rbm.gibbs(cur, k, rng);
      done += k;
    },
    result: () => cur,
  };
}

/** A fresh RBM for `data` (visible biases from its column means). */
function createRBM(o: KindOptionValues, data: Matrix, rng: Random): RBM {
  return new RBM(data.cols, num(o.hidden) ?? 64, { rng, data });
}

/** The `rbm` kind.
 * @category Data & files
 */
export const RBM_KIND: ModelKind<RBM> = {
  kind: 'rbm',
  title: 'binary restricted Boltzmann machine, trained by CD-k or persistent CD',
  options: {
    train: [{ name: 'hidden', type: 'int', default: 64, help: 'hidden units' }, ...CD_OPTIONS],
    eval: AIS_OPTIONS,
  },
  notes: {
    eval: `log Z exactly when min(nVisible, nHidden) ≤ ${RBM_EXACT_MAX_UNITS} (unless --runs or --ais-steps is given),\notherwise by annealed importance sampling (Salakhutdinov & Murray 2008) with ±3σ bounds.`,
  },
  is: (m): m is RBM => m instanceof RBM,
  fromDocument: (doc) => RBM.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  create: (o, data, rng) => ({ model: createRBM(o, data, rng) }),
  trainer(ctx) {
    const [initRng, trainRng] = new Random(ctx.seed).streams(2) as [Random, Random];
    const nV = ctx.data.cols;
    return {
      stages: 1,
      stage(_index, resume) {
        const trainer = resume
          ? RBMTrainer.fromDocument(resume, (d) => RBM.fromDocument(d))
          : new RBMTrainer(createRBM(ctx.options, ctx.data, initRng), cdTrainerOptions(ctx.options, trainRng));
        return rbmStage(trainer, ctx.data, ctx.monitor, `rbm ${nV}×${trainer.model.nHidden}, `);
      },
    };
  },
  sample: (rbm, n, { steps, rng }) => gibbsSampleWork(rbm, n, steps, rng),
  evaluate: (rbm, data, { options, given, seed }) => evaluateRBM(rbm, data, options, given, seed),
};
