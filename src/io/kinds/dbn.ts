/**
 * The `dbn` kind: deep belief nets, trained greedily bottom layer first (one
 * command-line stage per layer, each an {@link RBMTrainer}), sampled and
 * scored through the model contract.
 * @module
 */
import type { JsonObject } from '../../document.js';
import { DBN } from '../../models/dbn.js';
import type { RBM } from '../../models/rbm.js';
import { Random } from '../../random/random.js';
import { RBMTrainer } from '../../train/rbm-trainer.js';
import type { Matrix } from '../../linalg/matrix.js';
import { yieldToEventLoop } from '../../models/fit-async.js';
import { KindOptionError } from '../kind-option-error.js';
import { type ModelKind, type StageSetup, type TrainingStage } from '../registry.js';
import { fmt, num } from './common.js';
import { CD_OPTIONS, cdTrainerOptions, rbmStage } from './rbm.js';

/** Rows per block of the up-pass that makes a layer's training data. */
const UP_PASS_BLOCK = 500;

/**
 * `net.transform(data, { layer: k })` (the training data of layer `k`, the deep-stack
 * step) in blocks of rows, with a progress bar and a pause for the event loop
 * between blocks; undefined when `setup.signal` was aborted (Ctrl-C). The rows
 * are independent, so the blocks give the same numbers as one call.
 */
async function upPassInBlocks(net: DBN, data: Matrix, k: number, setup: StageSetup | undefined): Promise<Matrix | undefined> {
  const rows = data.rows, cols = data.cols;
  if (setup === undefined || rows <= UP_PASS_BLOCK) return net.transform(data, { layer: k });
  const width = (net.layers[k - 1] as RBM).nHidden;
  const out = new Float64Array(rows * width);
  for (let start = 0; start < rows; start += UP_PASS_BLOCK) {
    if (setup.signal?.aborted) return undefined;
    const r = Math.min(UP_PASS_BLOCK, rows - start);
    const block = net.transform({ rows: r, cols, data: data.data.subarray(start * cols, (start + r) * cols) }, { layer: k });
    out.set(block.data, start * width);
    setup.progress?.(start + r, rows, `layer ${k + 1} input`);
    await yieldToEventLoop();
  }
  return { rows, cols: width, data: out };
}

/**
 * The stage of layer `k` when Ctrl-C came before its data was ready: the
 * command line writes its checkpoint before any step, and that checkpoint holds
 * the layers below and no state for layer `k`, so `--resume` starts layer `k`
 * afresh (as the uninterrupted run does).
 */
function interruptedStage(net: DBN, layer: RBM, k: number, batchSize: number): TrainingStage {
  return {
    label: `dbn layer ${k + 1}/${net.depth} (${layer.nVisible}×${layer.nHidden}), interrupted`,
    batchSize,
    step: () => {
      throw new Error(`dbn: layer ${k + 1} was interrupted before its training data was ready`);
    },
    save: () => net.toDocument(),
    metrics: () => '',
    epochDone: () => {},
  };
}

/** The `dbn` kind.
 * @category Data & files
 */
export const DBN_KIND: ModelKind<DBN> = {
  kind: 'dbn',
  title: 'deep belief net: RBMs trained greedily, bottom first',
  options: {
    train: [{ name: 'layers', type: 'ints', default: [64, 32], help: 'hidden layer sizes' }, ...CD_OPTIONS],
  },
  notes: {
    train: '--epochs is per layer; Ctrl-C and --resume work within and across layers',
    eval: 'the exact log-likelihood (the top hidden layer summed out; small models only)',
  },
  is: (m): m is DBN => m instanceof DBN,
  fromDocument: (doc) => DBN.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  create: (o, data, rng) => ({ model: new DBN([data.cols, ...(o.layers as number[])], { rng }) }),
  trainer(ctx) {
    const [initRng, trainRng] = new Random(ctx.seed).streams(2) as [Random, Random];
    const layers = ctx.options.layers as number[];
    let dbn: DBN | undefined;
    return {
      stages: layers.length,
      async stage(k, resume, setup) {
        if (dbn === undefined) dbn = resume ? DBN.fromDocument(resume) : new DBN([ctx.data.cols, ...layers], { rng: initRng });
        const net = dbn;
        const input = k === 0 ? ctx.data : await upPassInBlocks(net, ctx.data, k, setup);
        const layer = net.layers[k] as RBM;
        if (input === undefined) return interruptedStage(net, layer, k, num(ctx.options['batch-size']) ?? 1);
        const saved = (resume?.state as JsonObject | undefined)?.layerTraining as JsonObject | undefined;
        let trainer: RBMTrainer;
        if (saved && saved.stage === k) {
          trainer = RBMTrainer.fromDocument(layer.toDocument(saved.training as JsonObject), () => layer);
        } else {
          layer.initVisibleBias(input);
          trainer = new RBMTrainer(layer, cdTrainerOptions(ctx.options, trainRng.streams(k + 1)[k] as Random));
        }
        const stage = rbmStage(trainer, input, ctx.monitor, `dbn layer ${k + 1}/${net.depth} (${layer.nVisible}×${layer.nHidden}), `);
        return {
          ...stage,
          save: () => {
            const out = net.toDocument();
            out.state = { layerTraining: { stage: k, training: trainer.saveState() } };
            return out;
          },
        };
      },
    };
  },
  sample: (dbn, n, { steps, rng }) => dbn.sample(n, { steps, meanField: false, rng }),
  evaluate(dbn, data) {
    let r: ReturnType<DBN['score']>;
    try {
      r = dbn.score(data, { method: 'exact' });
    } catch (e) {
      if (e instanceof RangeError) throw new KindOptionError(`eval: ${e.message}`);
      throw e;
    }
    return {
      fields: { method: 'exact', logLikelihood: r.mean, rows: data.rows },
      lines: [`average log-likelihood = ${fmt(r.mean, 6)} nats over ${data.rows} rows (exact)`],
    };
  },
};
