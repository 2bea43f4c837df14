/**
 * The `boltzmann-machine` kind: fully connected Boltzmann machines trained by
 * the maximum-likelihood rule with sampled statistics
 * ({@link BoltzmannMachineTrainer}), sampled and scored through the model
 * contract.
 * @module
 */
import { BoltzmannMachine } from '../../models/boltzmann-machine.js';
import { Random } from '../../random/random.js';
import { BoltzmannMachineTrainer } from '../../train/boltzmann-machine-trainer.js';
import { KindOptionError } from '../kind-option-error.js';
import { type ModelKind } from '../registry.js';
import { AIS_OPTIONS, firstRows, fmt, gather, num, scoreReport, sgdOptions } from './common.js';

/** Most units the command line trains in a general machine (the updates cost O(n²) per sweep). */
const MAX_UNITS = 4096;

/** Units up to which the per-epoch metrics include the exact log-likelihood. */
const EXACT_METRIC_UNITS = 20;

/** The `boltzmann-machine` kind.
 * @category Data & files
 */
export const BOLTZMANN_MACHINE_KIND: ModelKind<BoltzmannMachine> = {
  kind: 'boltzmann-machine',
  title: `fully connected Boltzmann machine, the maximum-likelihood rule (≤ ${MAX_UNITS} units)`,
  options: {
    train: [
      { name: 'hidden', type: 'int', default: 0, min: 0, help: 'hidden units' },
      ...sgdOptions(20, 0.05),
      { name: 'persistent', type: 'boolean', help: 'persistent free-phase chains' },
      { name: 'chains', type: 'int', help: 'free-phase chains (default 10)' },
      { name: 'clamped-samples', type: 'int', help: 'clamped-phase samples per pattern (default 10)' },
      { name: 'free-samples', type: 'int', help: 'free-phase samples per update (default 100)' },
      { name: 'gibbs-steps', type: 'int', help: 'burn-in sweeps of both phases (default 10 / 50)' },
    ],
    eval: AIS_OPTIONS,
  },
  notes: { eval: 'the exact log-likelihood while the units enumerate (unless --runs or --ais-steps is given), else\nAIS along the tempered full energy, with ±3σ bounds' },
  is: (m): m is BoltzmannMachine => m instanceof BoltzmannMachine,
  fromDocument: (doc) => BoltzmannMachine.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  create: (o, data, rng) => ({ model: new BoltzmannMachine(data.cols, num(o.hidden) ?? 0, { rng }) }),
  trainer(ctx) {
    const o = ctx.options, nV = ctx.data.cols, nH = num(o.hidden) ?? 0;
    if (nV + nH > MAX_UNITS) {
      throw new KindOptionError(`train boltzmann-machine: a general Boltzmann machine here has at most ${MAX_UNITS} units (got ${nV} visible + ${nH} hidden); use rbm`);
    }
    const [initRng, trainRng] = new Random(ctx.seed).streams(2) as [Random, Random];
    return {
      stages: 1,
      stage(_index, resume) {
        const trainer = resume
          ? BoltzmannMachineTrainer.fromDocument(resume)
          : new BoltzmannMachineTrainer(new BoltzmannMachine(nV, nH, { rng: initRng }), {
              learningRate: num(o.lr),
              weightDecay: num(o['weight-decay']),
              persistent: o.persistent === true,
              freeChains: num(o.chains),
              clampedSamples: num(o['clamped-samples']),
              freeSamples: num(o['free-samples']),
              freeBurnIn: num(o['gibbs-steps']),
              clampedBurnIn: num(o['gibbs-steps']),
              batchSize: num(o['batch-size']),
              exactLogLikelihood: false,
              rng: trainRng,
            });
        const bm = trainer.model;
        const batchSize = num(o['batch-size']) ?? 20;
        const buf = new Float64Array(batchSize * nV);
        const monitor = firstRows(ctx.data, ctx.monitor);
        let rms = Number.NaN;
        return {
          label: `boltzmann-machine ${nV} visible + ${bm.nHidden} hidden, batch ${batchSize}, lr ${num(o.lr)}`,
          batchSize,
          step: (idx) => {
            rms = trainer.step(gather(ctx.data, idx, buf));
          },
          save: () => trainer.toDocument(),
          metrics: () => {
            const small = bm.nVisible + bm.nHidden <= EXACT_METRIC_UNITS;
            const ll = small ? `log-likelihood ${fmt(bm.score(monitor, { method: 'exact' }).mean, 4)} (exact)  ` : '';
            return `${ll}gradient rms ${fmt(rms, 5)}`;
          },
          epochDone: (e) => {
            trainer.epoch = e;
          },
        };
      },
    };
  },
  sample: (bm, n, { steps }) => bm.sample(n, { steps }),
  evaluate(bm, data, { options: o, given, seed }) {
    const method = o.exact === true ? 'exact' : given.has('runs') || given.has('ais-steps') ? 'ais' : 'auto';
    try {
      return scoreReport(bm.score(data, { method, aisRuns: num(o.runs), aisBetas: num(o['ais-steps']), rng: seed }), data.rows);
    } catch (e) {
      if (e instanceof RangeError) throw new KindOptionError(`eval: ${e.message}`);
      throw e;
    }
  },
};
