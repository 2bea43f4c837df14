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
import { Random } from '../../random/random.js';
import { DBMTrainer } from '../../train/dbm-trainer.js';
import { pretrainDBM } from '../../train/pretrain-dbm.js';
import { type EvaluateReport, KindOptionError, type KindOptionValues, type ModelKind, type TrainingStage } from '../registry.js';
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
  return {
    label: `dbm ${dbm.sizes.join('×')}, ${trainer.nChains} fantasy particles, ${trainer.gibbsSteps} Gibbs sweeps, batch ${trainer.batchSize}`,
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

function newTrainer(o: KindOptionValues, data: Matrix, initRng: Random, trainRng: Random): DBMTrainer {
  return new DBMTrainer(createDBM(o, data, initRng), {
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
function pretrained(trainer: DBMTrainer, data: Matrix, o: KindOptionValues, seed: number): DBMTrainer {
  const doc = trainer.toDocument();
  const dbm = DBM.fromDocument(doc);
  const batch = num(o['batch-size']);
  pretrainDBM(dbm, data, {
    epochs: num(o['pretrain-epochs']),
    trainer: { batchSize: batch === 100 ? 20 : batch, learningRate: 0.05 },
    rng: new Random(seed).streams(5)[4],
  });
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
    ],
    eval: AIS_OPTIONS,
  },
  notes: {
    train: 'Ctrl-C takes effect once pretraining has ended',
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
      stage(_index, resume) {
        if (resume) return dbmStage(DBMTrainer.fromDocument(resume), ctx.data, ctx.monitor);
        let trainer = newTrainer(ctx.options, ctx.data, initRng, trainRng);
        const pre = num(ctx.options['pretrain-epochs']) ?? 0;
        if (pre > 0) {
          ctx.note(`pretraining the dbm layer by layer (${pre} epochs each; Ctrl-C takes effect after pretraining)`);
          trainer = pretrained(trainer, ctx.data, ctx.options, ctx.seed);
        }
        return dbmStage(trainer, ctx.data, ctx.monitor);
      },
    };
  },
  sample: (dbm, n, { steps, rng }) => dbm.sample(n, { steps, meanField: false, rng }),
  evaluate(dbm, data, { options: o, given }): EvaluateReport {
    const ais = given.has('runs') || given.has('ais-steps');
    const method = ais ? 'bound' : o.exact === true ? 'exact' : 'auto';
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
    return {
      fields: { method: r.method, logZ: r.logZ as number, logLikelihoodBound: r.mean, logLikelihoodLower: r.lower, logLikelihoodUpper: r.upper, rows },
      lines: [
        `log Z = ${fmt(r.logZ as number, 4)} (AIS)`,
        `variational lower bound on the average log-likelihood = ${fmt(r.mean, 4)} [${fmt(r.lower, 4)}, ${fmt(r.upper, 4)}] nats over ${rows} rows`,
      ],
    };
  },
};
