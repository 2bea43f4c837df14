/**
 * The demo's RBM training schedule, one mini-batch at a time: persistent CD on
 * the 600 training digits, 64 hidden units, seeded. Shared by the Web Worker
 * that trains in the page (demo/rbm-worker.ts) and by the test that checks the
 * worker's model is bit for bit the one this schedule gives on the main thread.
 */
import { type Matrix, Random, RBM, RBMTrainer } from '../src/index.js';

/** The schedule's constants. */
export const RBM_DEMO = { chains: 16, epochs: 30, hidden: 64, seed: 2026, batch: 20, learningRate: 0.05, momentum: 0.5 } as const;

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
    method: 'pcd',
    nChains: RBM_DEMO.chains,
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
