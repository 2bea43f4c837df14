/**
 * The `dbm` kind: deep Boltzmann machines with 2 or 3 hidden layers,
 * Salakhutdinov & Hinton's procedure (greedy pretraining, then joint training
 * with persistent fantasy particles by {@link DBMTrainer}), sampled and scored
 * through the model contract.
 * @module
 */
import type { Matrix } from '../../linalg/matrix.js';
import { sigmoid } from '../../linalg/stable.js';
import { DBM } from '../../models/dbm.js';
import { dbmAISWork, dbmHiddenBaseRatesWork, dbmVariationalBound } from '../../models/dbm-ais.js';
import { DBM_EXACT_MAX_UNITS, dbmExactSize } from '../../models/dbm-exact.js';
import type { ScoreResult } from '../../models/contract.js';
import { mapWork, type SteppedWork, thenWork } from '../../models/fit-async.js';
import { aisSchedule, aisScheduleOfLength } from '../../models/rbm-ais.js';
import { Random } from '../../random/random.js';
import { DBMTrainer } from '../../train/dbm-trainer.js';
import { pretrainDBMAsync } from '../../train/pretrain-dbm.js';
import { KindOptionError } from '../kind-option-error.js';
import type { EvaluateReport, KindOptionValues, ModelKind, StageSetup, TrainingStage } from '../registry.js';
import { AIS_OPTIONS, firstRows, fmt, gather, MOMENTUM, num, sgdOptions } from './common.js';

/** Mean-field reconstruction error of the monitor rows, P(v | μ₁) = σ(W₀ μ₁ + b₀). */
function reconstructionError(dbm: DBM, monitor: Matrix): number {
  const nV = monitor.cols;
  const mu = dbm.meanField(monitor)[0] as Matrix;
  const w = dbm.weights[0] as Matrix, b = dbm.biases[0] as Float64Array, n1 = mu.cols;
  let err = 0;
  for (let r = 0; r < monitor.rows; r++) {
    for (let i = 0; i < nV; i++) {
      let a = b[i] as number;
      for (let j = 0; j < n1; j++) a += (w.data[i * n1 + j] as number) * (mu.data[r * n1 + j] as number);
      const d = (monitor.data[r * nV + i] as number) - sigmoid(a);
      err += d * d;
    }
  }
  return err / monitor.rows;
}

function dbmStage(trainer: DBMTrainer, data: Matrix, monitorRows: number): TrainingStage {
  const dbm = trainer.model;
  const buf = new Float64Array(trainer.batchSize * data.cols);
  const monitor = firstRows(data, monitorRows);
  const tt = trainer.temperedTransitions;
  return {
    label: `dbm ${dbm.sizes.join('×')}, ${trainer.nChains} fantasy particles, ${trainer.gibbsSteps} Gibbs sweeps${tt === undefined ? '' : `, tempered transitions (${tt.levels} levels to β ${tt.minBeta}, every ${tt.every} updates)`}, batch ${trainer.batchSize}`,
    batchSize: trainer.batchSize,
    step: (idx) => trainer.step(gather(data, idx, buf)),
    save: () => trainer.toDocument(),
    metrics: () => `recon ${fmt(reconstructionError(dbm, monitor), 3)}  lr ${fmt(trainer.currentLearningRate(), 5)}  ${trainer.steps} updates`,
    epochDone: (e) => {
      trainer.epoch = e;
    },
  };
}

/** A fresh DBM for `data` (visible biases from its column means). */
function createDBM(o: KindOptionValues, data: Matrix, rng: Random): DBM {
  return new DBM([data.cols, ...(o.layers as number[])], { rng, data });
}

/** `temperedTransitions` from `--tempered-levels` (with `--tempered-min-beta`, `--tempered-every`), or undefined. */
function tempered(o: KindOptionValues): { temperedTransitions?: { levels: number; minBeta: number; every: number } } {
  const levels = num(o['tempered-levels']);
  if (levels === undefined) {
    for (const k of ['tempered-min-beta', 'tempered-every']) if (o[k] !== null && o[k] !== undefined) throw new KindOptionError(`train dbm: --${k} needs --tempered-levels`);
    return {};
  }
  const minBeta = num(o['tempered-min-beta']) ?? 0.9;
  if (!(minBeta > 0 && minBeta < 1)) throw new KindOptionError(`train dbm: --tempered-min-beta must be in (0, 1) (got ${minBeta})`);
  return { temperedTransitions: { levels, minBeta, every: num(o['tempered-every']) ?? 1 } };
}

function newTrainer(o: KindOptionValues, data: Matrix, initRng: Random, trainRng: Random): DBMTrainer {
  return new DBMTrainer(createDBM(o, data, initRng), {
    ...tempered(o),
    learningRate: num(o.lr),
    momentum: num(o.momentum),
    weightDecay: num(o['weight-decay']),
    batchSize: num(o['batch-size']),
    nChains: num(o.chains),
    gibbsSteps: num(o['gibbs-steps']),
    rng: trainRng,
  });
}

/** Greedy layer-wise pretraining of a fresh trainer's model (synchronous), then a trainer over the pretrained parameters. */
async function pretrained(trainer: DBMTrainer, data: Matrix, o: KindOptionValues, seed: number, setup: StageSetup | undefined): Promise<DBMTrainer> {
  const doc = trainer.toDocument();
  const dbm = DBM.fromDocument(doc);
  const batch = num(o['batch-size']);
  // The asynchronous form (same parameters as pretrainDBM): Ctrl-C stops it within an epoch.
  const r = await pretrainDBMAsync(dbm, data, {
    epochs: num(o['pretrain-epochs']),
    trainer: { batchSize: batch === 100 ? 20 : batch, learningRate: 0.05 },
    rng: new Random(seed).streams(5)[4],
    signal: setup?.signal,
    onProgress: (done, total) => setup?.progress?.(done, total, 'pretraining'),
  });
  if (r.aborted) throw setup?.signal?.reason ?? new Error('dbm: pretraining was stopped');
  const t = DBMTrainer.fromDocument(doc);
  for (let l = 0; l < dbm.weights.length; l++) (t.model.weights[l] as Matrix).data.set((dbm.weights[l] as Matrix).data);
  for (let l = 0; l < dbm.biases.length; l++) (t.model.biases[l] as Float64Array).set(dbm.biases[l] as Float64Array);
  return DBMTrainer.fromDocument(t.toDocument());
}

/** The `dbm` kind.
 * @category Data & files
 */
export const DBM_KIND: ModelKind<DBM> = {
  kind: 'dbm',
  title: "deep Boltzmann machine, 2 or 3 hidden layers (Salakhutdinov & Hinton's procedure)",
  options: {
    train: [
      { name: 'layers', type: 'ints', default: [32, 16], minItems: 2, maxItems: 3, help: 'hidden layer sizes' },
      { name: 'pretrain-epochs', type: 'int', default: 5, min: 0, help: 'greedy layer-wise pretraining epochs per layer (0 = none; batch 20, lr 0.05)' },
      ...sgdOptions(100, 0.005),
      MOMENTUM,
      { name: 'chains', type: 'int', help: 'persistent fantasy particles (default 100)' },
      { name: 'gibbs-steps', type: 'int', help: 'Gibbs sweeps of the particles per update (default 5)' },
      { name: 'tempered-levels', type: 'int', min: 1, help: 'tempered transitions for the particles: inverse temperatures below 1 on the ladder (default: none)' },
      { name: 'tempered-min-beta', type: 'number', min: 0, max: 1, maxOpen: true, help: 'the ladder\'s hottest inverse temperature (default 0.9; needs --tempered-levels)' },
      { name: 'tempered-every', type: 'int', min: 1, help: 'updates between tempered transitions (default 1; needs --tempered-levels)' },
    ],
    eval: AIS_OPTIONS,
  },
  notes: {
    train: 'Ctrl-C during pretraining stops at once and saves nothing; during joint training it writes a checkpoint',
    eval: "log Z exactly when small (unless --runs or --ais-steps is given), else AIS and the\nvariational lower bound on the log-likelihood (method 'bound')",
  },
  is: (m): m is DBM => m instanceof DBM,
  fromDocument: (doc) => DBM.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  create: (o, data, rng) => ({ model: createDBM(o, data, rng) }),
  trainer(ctx) {
    const [initRng, trainRng] = new Random(ctx.seed).streams(2) as [Random, Random];
    return {
      stages: 1,
      async stage(_index, resume, setup) {
        if (resume) return dbmStage(DBMTrainer.fromDocument(resume), ctx.data, ctx.monitor);
        let trainer = newTrainer(ctx.options, ctx.data, initRng, trainRng);
        const pre = num(ctx.options['pretrain-epochs']) ?? 0;
        if (pre > 0) {
          ctx.note(`pretraining the dbm layer by layer (${pre} epochs each; Ctrl-C stops it, saving nothing)`);
          trainer = await pretrained(trainer, ctx.data, ctx.options, ctx.seed, setup);
        }
        return dbmStage(trainer, ctx.data, ctx.monitor);
      },
    };
  },
  sample: (dbm, n, { steps, rng }) => dbmSampleWork(dbm, n, steps, rng),
  evaluate(dbm, data, { options: o, given }): EvaluateReport | SteppedWork<EvaluateReport> {
    const ais = given.has('runs') || given.has('ais-steps');
    const method = ais ? 'bound' : o.exact === true ? 'exact' : 'auto';
    if (method === 'bound' || (method === 'auto' && dbmExactSize(dbm) > DBM_EXACT_MAX_UNITS)) {
      // DBM.score's 'bound' as stepped work (one unit per β step), the same numbers bit for bit.
      const rows = data.rows;
      // the base's hidden layers at the data's mean-field rates (DBM.score's default aisHiddenBase: 'data'),
      // stepped like the AIS after it, so that Ctrl-C stops it between chunks of rows
      const betas = scoreBetas(num(o['ais-steps'])) ?? aisSchedule();
      const ais = thenWork(
        dbmHiddenBaseRatesWork(dbm, firstRows(data, 10_000)),
        (hiddenBase) => dbmAISWork(dbm, { base: data, hiddenBase, runs: num(o.runs) ?? 100, betas, rng: dbm.random }),
        betas.length - 1,
      );
      return mapWork(ais, (a): EvaluateReport => {
        const b = dbmVariationalBound(dbm, data, a);
        return boundReport({ mean: b.mean, lower: b.lower, upper: b.upper, method: 'bound', logZ: a.logZ }, rows);
      });
    }
    let r: ReturnType<DBM['score']>;
    try {
      r = dbm.score(data, { method, aisRuns: num(o.runs), aisBetas: num(o['ais-steps']) });
    } catch (e) {
      if (e instanceof RangeError && o.exact === true) throw new KindOptionError(`eval --exact: ${e.message}`);
      throw e;
    }
    const rows = data.rows;
    if (r.method === 'exact') {
      return {
        fields: { method: 'exact', logLikelihood: r.mean, logZ: r.logZ as number, rows },
        lines: [`average log-likelihood = ${fmt(r.mean, 6)} nats over ${rows} rows (exact)`],
      };
    }
    return boundReport(r, rows);
  },
};

/** The `eval` report of a variational bound with AIS log Z. */
function boundReport(r: ScoreResult, rows: number): EvaluateReport {
  return {
    fields: { method: r.method, logZ: r.logZ as number, logLikelihoodBound: r.mean, logLikelihoodLower: r.lower, logLikelihoodUpper: r.upper, rows },
    lines: [
      `log Z = ${fmt(r.logZ as number, 4)} (AIS)`,
      `variational lower bound on the average log-likelihood = ${fmt(r.mean, 4)} [${fmt(r.lower, 4)}, ${fmt(r.upper, 4)}] nats over ${rows} rows`,
    ],
  };
}

/** The β schedule of `DBM.score`'s `aisBetas` (Salakhutdinov & Murray's proportions). */
function scoreBetas(count: number | undefined): Float64Array | undefined {
  if (count === undefined) return undefined;
  return aisScheduleOfLength(count);
}

/**
 * `dbm.sample(n, { steps, meanField: false, rng })` as stepped work, one unit
 * per Gibbs sweep (the same numbers, bit for bit).
 *
 * @param dbm - the model
 * @param n - rows
 * @param steps - Gibbs sweeps
 * @param rng - the generator of the draw
 * @returns the stepped draw
 * @example
 * ```ts
 * import { DBM, Random } from 'boltzmann';
 * import { dbmSampleWork } from 'boltzmann/base';
 * const w = dbmSampleWork(new DBM([4, 3, 2], { rng: 1 }), 2, 10, new Random(5));
 * w.advance(w.total);
 * w.result().rows; // 2
 * ```
 * @category Data & files
 */
export function dbmSampleWork(dbm: DBM, n: number, steps: number, rng: Random): SteppedWork<Matrix> {
  const nV = dbm.nVisible;
  const x = dbm.sizes.map((m) => new Float64Array(n * m));
  const p = (dbm.biases[0] as Float64Array).map(sigmoid);
  for (let r = 0; r < n; r++) for (let i = 0; i < nV; i++) (x[0] as Float64Array)[r * nV + i] = rng.float64() < (p[i] as number) ? 1 : 0;
  const tmp = new Float64Array(n * Math.max(...dbm.sizes));
  let done = 0;
  return {
    total: steps,
    get done() {
      return done;
    },
    advance(units: number): void {
      const k = Math.min(units, steps - done);
      if (k <= 0) return;
      dbm.gibbsUnchecked(x, n, k, rng, tmp);
      done += k;
    },
    result: () => ({ rows: n, cols: nV, data: x[0] as Float64Array }),
  };
}
