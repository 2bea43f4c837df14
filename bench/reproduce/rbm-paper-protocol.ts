/**
 * The Salakhutdinov & Murray (2008, §5) RBM protocols with the conventions of Hinton &
 * Salakhutdinov's published `rbm.m`, and one epoch of it from a checkpoint document
 * (used by bench/reproduce/rbm-paper.ts; tested in test/train/rbm-paper-protocol.test.ts).
 *
 * The trainer has no momentum or k schedule of its own: every epoch builds the trainer from
 * the previous epoch's document with `RBMTrainer.fromDocument(doc, …, { momentum, k })`,
 * which keeps the velocity, generator and counters and sets that epoch's momentum and k.
 */
import { RBM, RBMTrainer } from '../../src/index.js';
import type { DataInput, EpochMetrics, Matrix, ModelDocument } from '../../src/index.js';

/** A protocol: k per (1-based) epoch and a description. */
export interface PaperProtocol {
  name: 'cd1' | 'cd3' | 'cd25';
  describe: string;
  /** Salakhutdinov & Murray's test log-likelihood for it (Table 1 of §5). */
  paperTestLL: number;
  k: (epoch: number) => number;
}

/** rbm.m: `if epoch>5, momentum=finalmomentum (0.9); else momentum=initialmomentum (0.5)` (1-based epochs). */
export const momentumOf = (epoch: number): number => (epoch > 5 ? 0.9 : 0.5);

/** The three RBM protocols of S&M §5. */
export const PAPER_PROTOCOLS: Record<string, PaperProtocol> = {
  cd1: { name: 'cd1', describe: 'CD-1', paperTestLL: -125.53, k: () => 1 },
  cd3: { name: 'cd3', describe: 'CD-3', paperTestLL: -105.5, k: () => 3 },
  // S&M §5: k "gradually increased from 1 to 25"; the ramp is our choice: k = epoch for the
  // first 25 epochs, then 25.
  cd25: { name: 'cd25', describe: 'CD-25 (k = epoch for epochs 1-25, then 25)', paperTestLL: -86.34, k: (e) => Math.min(25, e) },
};

/** rbm.m: epsilonw = epsilonvb = epsilonhb = 0.1, weightcost = 0.0002, batches of 100. */
export const PAPER_HYPER = { method: 'cd' as const, learningRate: 0.1, weightDecay: 2e-4, batchSize: 100 };
/** rbm.m: `vishid = 0.1*randn(numdims, numhid)`, biases zero. */
export const PAPER_WEIGHT_STD = 0.1;

/**
 * The annealed tail (our choice, not S&M's): after `from` epochs of the protocol, `epochs` more
 * with the learning rate falling linearly from rbm.m's 0.1 towards 0, one value per epoch:
 * epoch `from + j` (j = 1…epochs) runs at `0.1 · (epochs + 1 − j) / (epochs + 1)`.
 */
export function annealedLearningRate(epoch: number, from: number, epochs: number): number | undefined {
  if (epoch <= from) return undefined;
  const j = epoch - from;
  if (j > epochs) throw new RangeError(`annealedLearningRate: epoch ${epoch} is past the tail (${from} + ${epochs})`);
  return (PAPER_HYPER.learningRate * (epochs + 1 - j)) / (epochs + 1);
}

/** The epoch-0 document: a fresh 784-500 (or nVisible-nHidden) RBM and its trainer. */
export function paperStart(protocol: PaperProtocol, seed: number, nVisible = 784, nHidden = 500): ModelDocument {
  const rbm = new RBM(nVisible, nHidden, { rng: seed, weightStd: PAPER_WEIGHT_STD }); // zero biases
  return new RBMTrainer(rbm, { ...PAPER_HYPER, k: protocol.k(1), momentum: momentumOf(1) }).toDocument();
}

/** One row of the per-epoch monitor. */
export interface PaperCurveRow {
  epoch: number;
  k: number;
  momentum: number;
  /** The epoch's learning rate where it differs from rbm.m's constant 0.1 (the annealed tail). */
  learningRate?: number;
  seconds: number;
  logZLowerBound: number;
  testLLUpperBound: number;
  pseudoLikelihood: number;
  reconstructionError: number;
  warning?: string;
}

/**
 * Runs epoch `epoch` (1-based; the document must be at epoch − 1) with that epoch's k and
 * momentum and returns the new document and the monitor row (metrics on `validation`).
 */
export function paperEpoch(
  doc: ModelDocument,
  protocol: PaperProtocol,
  epoch: number,
  train: DataInput,
  validation: Matrix,
  threads?: number,
  learningRate?: number,
): { document: ModelDocument; row: PaperCurveRow } {
  const k = protocol.k(epoch), momentum = momentumOf(epoch);
  const trainer = RBMTrainer.fromDocument(doc, RBM.fromDocument, { k, momentum, ...(learningRate === undefined ? {} : { learningRate }) });
  if (trainer.epoch !== epoch - 1) throw new RangeError(`paperEpoch: the document is at epoch ${trainer.epoch}, not ${epoch - 1}`);
  let row: PaperCurveRow | undefined;
  trainer.fit(train, {
    epochs: 1,
    validation,
    ...(threads === undefined ? {} : { threads }),
    onEpoch: (m: EpochMetrics) => {
      row = {
        epoch,
        k,
        momentum,
        ...(learningRate === undefined ? {} : { learningRate }),
        seconds: m.seconds as number,
        logZLowerBound: m.logZLowerBound as number,
        testLLUpperBound: m.logLikelihoodUpperBound as number,
        pseudoLikelihood: m.pseudoLikelihood as number,
        reconstructionError: m.reconstructionError as number,
        ...(m.warning === undefined ? {} : { warning: m.warning }),
      };
    },
  });
  if (row === undefined || trainer.epoch !== epoch) throw new Error(`paperEpoch: epoch ${epoch} did not complete`);
  return { document: trainer.toDocument(), row };
}
