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
import { KindOptionError, type ModelKind } from '../registry.js';
import { fmt } from './common.js';
import { CD_OPTIONS, cdTrainerOptions, rbmStage } from './rbm.js';

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
      stage(k, resume) {
        if (dbn === undefined) dbn = resume ? DBN.fromDocument(resume) : new DBN([ctx.data.cols, ...layers], { rng: initRng });
        const net = dbn;
        const input = k === 0 ? ctx.data : net.transform(ctx.data, { layer: k });
        const layer = net.layers[k] as RBM;
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
