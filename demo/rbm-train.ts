/**
 * The demo's RBM training schedule, one mini-batch at a time: CD-1 on the 600
 * training digits, 128 hidden units, seeded. Shared by the Web Worker that
 * trains in the page (demo/rbm-worker.ts) and by the test that checks the
 * worker's model is bit for bit the one this schedule gives on the main thread.
 *
 * Why CD-1 with 128 hidden units, and dreams started from training digits: the
 * earlier schedule (PCD with 16 chains, 64 hidden units) learned a model whose
 * Gibbs chains all fell within a few hundred steps into two modes, a 1 and a 3
 * (16 near-identical dreams; pairwise mean |Δ| of the chains' P(v|h) 0.07, 57 of
 * the 120 pairs within 0.05, whether the chains started from the persistent
 * chains or from training digits). No schedule that trains in a few seconds
 * mixes across the ten classes; this one keeps many digit-like modes, so
 * chains started from one training digit of each class wander among varied
 * digits (pairwise mean |Δ| ≈ 0.16 after 1800 steps, 6 to 8 classes among the
 * 16 by the nearest training digit).
 */
import { type Matrix, Random, RBM, RBMTrainer } from '../src/index.js';

/** The schedule's constants. */
/** The schedule's constants (`chains`: the dreaming chains, started from {@link dreamStarts}). */
export const RBM_DEMO = { chains: 16, epochs: 30, hidden: 128, seed: 2026, batch: 20, learningRate: 0.05, momentum: 0.5 } as const;

/**
 * The training rows the dreaming chains start from: the first digit of each
 * class 0–9 in turn, then the second of each, … until there are
 * `RBM_DEMO.chains` (16: one of every class, and a second 0–5).
 *
 * @param labels - the training digits' classes
 * @returns row indices into the training set, one per chain
 */
export function dreamStarts(labels: ArrayLike<number>): number[] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let r = 0; r < labels.length; r++) byClass[labels[r] as number]?.push(r);
  const rows: number[] = [];
  for (let nth = 0; rows.length < RBM_DEMO.chains; nth++) {
    let any = false;
    for (let c = 0; c < 10 && rows.length < RBM_DEMO.chains; c++) {
      const r = byClass[c]?.[nth];
      if (r === undefined) continue;
      rows.push(r);
      any = true;
    }
    if (!any) throw new RangeError(`dreamStarts: only ${rows.length} labelled digits (need ${RBM_DEMO.chains})`);
  }
  return rows;
}

/** A training run advanced one mini-batch per {@link DemoTraining.step}. */
export interface DemoTraining {
  readonly rbm: RBM;
  readonly trainer: RBMTrainer;
  /** Whole epochs done. */
  epoch(): number;
  /** Mini-batch updates done. */
  steps(): number;
  /** Whether all epochs are done. */
  done(): boolean;
  /** One mini-batch update (the data in a fresh seeded order every epoch). */
  step(): void;
}

/**
 * Starts the demo's training run on `training` (0/1 rows).
 *
 * @param training - `[rows, 784]` 0/1 digits
 * @returns the run, advanced by `step()`
 */
export function demoTraining(training: Matrix): DemoTraining {
  const n = training.cols, size = RBM_DEMO.batch;
  const [initRng, trainRng] = new Random(RBM_DEMO.seed).streams(3) as [Random, Random, Random];
  const rbm = new RBM(n, RBM_DEMO.hidden, { rng: initRng, data: training });
  const trainer = new RBMTrainer(rbm, {
    method: 'cd',
    batchSize: size,
    learningRate: RBM_DEMO.learningRate,
    momentum: RBM_DEMO.momentum,
    rng: trainRng,
  });
  const order = new Random(RBM_DEMO.seed + 1);
  let perm = order.permutation(training.rows);
  let cursor = 0;
  const batch = new Float64Array(size * n);
  return {
    rbm,
    trainer,
    epoch: () => trainer.epoch,
    steps: () => trainer.steps,
    done: () => trainer.epoch >= RBM_DEMO.epochs,
    step() {
      const rows = Math.min(size, training.rows - cursor);
      for (let r = 0; r < rows; r++) {
        const src = (perm[cursor + r] as number) * n;
        batch.set(training.data.subarray(src, src + n), r * n);
      }
      trainer.step({ rows, cols: n, data: batch.subarray(0, rows * n) });
      cursor += rows;
      if (cursor >= training.rows) {
        cursor = 0;
        trainer.epoch++;
        perm = order.permutation(training.rows);
      }
    },
  };
}
