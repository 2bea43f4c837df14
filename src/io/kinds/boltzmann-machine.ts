/**
 * The `boltzmann-machine` kind: fully connected Boltzmann machines trained by
 * the maximum-likelihood rule with sampled statistics
 * ({@link BoltzmannMachineTrainer}), sampled and scored through the model
 * contract. With `--units spin` the machine has ±1 units: the data files'
 * 0/1 rows are mapped to `s = 2x − 1` for training and scoring, and samples
 * are written back as `x = (s + 1) / 2` (as the `hopfield` kind does).
 * @module
 */
import { EXACT_MAX_UNITS } from '../../energy/exact.js';
import type { Matrix } from '../../linalg/matrix.js';
import { log } from '../../math/elementary.js';
import { BoltzmannMachine, type BoltzmannMachineChain } from '../../models/boltzmann-machine.js';
import { mapWork, type SteppedWork } from '../../models/fit-async.js';
import { type AISPath, type AISResult, aisScheduleOfLength, annealedImportanceSamplingWork } from '../../models/rbm-ais.js';
import { Random } from '../../random/random.js';
import { checkElements, checkSize, checkSteps } from '../../validate.js';
import { BoltzmannMachineTrainer } from '../../train/boltzmann-machine-trainer.js';
import { KindOptionError } from '../kind-option-error.js';
import type { EvaluateReport, ModelKind } from '../registry.js';
import { AIS_OPTIONS, firstRows, fmt, gather, num, scoreReport, sgdOptions } from './common.js';

/** Most units the command line trains in a general machine (the updates cost O(n²) per sweep). */
const MAX_UNITS = 4096;

/** Units up to which the per-epoch metrics include the exact log-likelihood. */
const EXACT_METRIC_UNITS = 20;

/**
 * `bm.sample(n, { steps })` as stepped work, one unit per sweep of all `n`
 * chains (`steps` burn-in sweeps and the one that records): each chain on its
 * own stream of a generator split off the model's stream, as `sample` does,
 * so the rows are the same bit for bit.
 *
 * @param bm - the model
 * @param n - rows (one chain each)
 * @param steps - burn-in sweeps
 * @returns the stepped draw of `[n, nVisible]` rows
 * @example
 * ```ts
 * import { BoltzmannMachine } from 'boltzmann';
 * import { bmSampleWork } from 'boltzmann/base';
 * const w = bmSampleWork(new BoltzmannMachine(4, 2, { rng: 1 }), 3, 10);
 * w.advance(w.total);
 * w.result().rows; // 3
 * ```
 * @category Data & files
 */
export function bmSampleWork(bm: BoltzmannMachine, n: number, steps: number): SteppedWork<Matrix> {
  const where = 'bmSampleWork';
  checkSize(where, 'n', n, 1);
  checkElements(where, 'n × units', n, bm.dimension);
  checkSteps(where, 'steps', steps, 0);
  return bmSampleWorkUnchecked(bm, n, steps);
}

function bmSampleWorkUnchecked(bm: BoltzmannMachine, n: number, steps: number): SteppedWork<Matrix> {
  const streams = bm.random.split().streams(n);
  const chains: BoltzmannMachineChain[] = streams.map((rng) => bm.createChain({ rng }));
  const total = steps + 1;
  let done = 0;
  return {
    total,
    get done() {
      return done;
    },
    advance(units: number): void {
      const k = Math.min(units, total - done);
      for (let u = 0; u < k; u++) for (const c of chains) c.step();
      done += Math.max(0, k);
    },
    result(): Matrix {
      const nV = bm.nVisible;
      const out = new Float64Array(n * nV);
      for (let r = 0; r < n; r++) out.set((chains[r] as BoltzmannMachineChain).state.subarray(0, nV), r * nV);
      return { rows: n, cols: nV, data: out };
    },
  };
}

/** The rows of `x` in the machine's units: `2x − 1` for spin machines (the files hold 0/1), else `x` itself. */
function toUnits(bm: BoltzmannMachine, x: Matrix): Matrix {
  if (bm.units !== 'spin') return x;
  return { rows: x.rows, cols: x.cols, data: x.data.map((v) => 2 * v - 1) };
}

/** Rows of a spin machine back as 0/1 (`(s + 1) / 2`); binary rows unchanged. */
function fromUnits(bm: BoltzmannMachine, x: Matrix): Matrix {
  if (bm.units !== 'spin') return x;
  return { rows: x.rows, cols: x.cols, data: x.data.map((v) => (v + 1) / 2) };
}

/** The β schedule of `BoltzmannMachine.score`'s `aisBetas` (Salakhutdinov & Murray's proportions). */
function scoreBetas(count: number): Float64Array {
  return aisScheduleOfLength(count);
}

/**
 * AIS of `log Z` along the tempered full energy `exp(−β E(s)/T)` from the
 * uniform distribution (β = 0) to the model (β = 1), as stepped work (one unit
 * per β step): the path of `BoltzmannMachine.score`'s `'ais'` method, so the
 * same numbers for the same generator.
 */
function bmAISWork(bm: BoltzmannMachine, runs: number, betas: Float64Array, rng: Random): SteppedWork<AISResult> {
  const t = bm.temperature;
  const nFree = bm.nVisible + bm.nHidden;
  interface State {
    chains: BoltzmannMachineChain[];
    energies: Float64Array;
    fresh: boolean;
  }
  const path: AISPath<State> = {
    logZBase: nFree * Math.LN2 + (bm.nLabels > 0 ? log(bm.nLabels) : 0),
    sampleBase: (r, g) => {
      const chains = g.split().streams(r).map((s) => bm.createChain({ rng: s, temperature: t }));
      return { chains, energies: new Float64Array(r), fresh: false };
    },
    logUnnormalised: (beta, st, out) => {
      if (!st.fresh) {
        for (let k = 0; k < st.chains.length; k++) st.energies[k] = (st.chains[k] as BoltzmannMachineChain).energy();
        st.fresh = true;
      }
      for (let k = 0; k < st.chains.length; k++) out[k] = (-beta * (st.energies[k] as number)) / t;
    },
    transition: (beta, st) => {
      const tb = t / beta;
      for (const c of st.chains) {
        c.temperature = tb;
        c.step();
      }
      st.fresh = false;
    },
  };
  return annealedImportanceSamplingWork(path, { betas, runs, rng });
}

/**
 * `bm.score(data, { method: 'ais', aisRuns: runs, aisBetas: steps, rng: seed })`
 * as stepped work (one unit per β step), with the same numbers bit for bit.
 */
function bmAISScoreWork(bm: BoltzmannMachine, data: Matrix, runs: number, steps: number, seed: number): SteppedWork<EvaluateReport> {
  if (bm.nHidden > EXACT_MAX_UNITS) {
    throw new KindOptionError(`eval: AIS scoring sums the hidden units of each row exactly and needs nHidden ≤ ${EXACT_MAX_UNITS} (EXACT_MAX_UNITS; got ${bm.nHidden})`);
  }
  return mapWork(bmAISWork(bm, runs, scoreBetas(steps), new Random(seed)), (ais) => scoreReport(BoltzmannMachine.aisScore(bm, data, ais).result, data.rows));
}

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
      { name: 'free-start', type: 'choice', choices: ['random', 'data', 'persistent'], help: "where free-phase chains start (default random; 'data': from the batch rows, CD-like)" },
      { name: 'units', type: 'choice', choices: ['binary', 'spin'], default: 'binary', help: 'unit values: 0/1, or ±1 spins (data mapped to 2x − 1)' },
    ],
    eval: AIS_OPTIONS,
  },
  notes: { eval: 'the exact log-likelihood while the units enumerate (unless --runs or --ais-steps is given), else\nAIS along the tempered full energy, with ±3σ bounds' },
  is: (m): m is BoltzmannMachine => m instanceof BoltzmannMachine,
  fromDocument: (doc) => BoltzmannMachine.fromDocument(doc),
  nVisible: (m) => m.nVisible,
  create: (o, data, rng) => ({ model: new BoltzmannMachine(data.cols, num(o.hidden) ?? 0, { rng, units: o.units === 'spin' ? 'spin' : 'binary' }) }),
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
          : new BoltzmannMachineTrainer(new BoltzmannMachine(nV, nH, { rng: initRng, units: o.units === 'spin' ? 'spin' : 'binary' }), {
              learningRate: num(o.lr),
              weightDecay: num(o['weight-decay']),
              persistent: o.persistent === true ? true : undefined,
              freeStart: o['free-start'] === 'random' || o['free-start'] === 'data' || o['free-start'] === 'persistent' ? o['free-start'] : undefined,
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
        const monitor = toUnits(bm, firstRows(ctx.data, ctx.monitor));
        const spin = bm.units === 'spin';
        let rms = Number.NaN;
        return {
          label: `boltzmann-machine ${nV} visible + ${bm.nHidden} hidden${spin ? ' (±1 units)' : ''}, batch ${batchSize}, lr ${num(o.lr)}`,
          batchSize,
          step: (idx) => {
            const batch = gather(ctx.data, idx, buf);
            rms = trainer.step(spin ? toUnits(bm, batch) : batch);
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
  sample: (bm, n, { steps }) => (bm.units === 'spin' ? mapWork(bmSampleWork(bm, n, steps), (x) => fromUnits(bm, x)) : bmSampleWork(bm, n, steps)),
  evaluate(bm, file, { options: o, given, seed }) {
    const data = toUnits(bm, file);
    const method = o.exact === true ? 'exact' : given.has('runs') || given.has('ais-steps') ? 'ais' : 'auto';
    const nFree = bm.nVisible + bm.nHidden;
    if (method === 'ais' || (method === 'auto' && nFree > EXACT_MAX_UNITS)) return bmAISScoreWork(bm, data, num(o.runs) ?? 100, num(o['ais-steps']) ?? 14500, seed);
    try {
      return scoreReport(bm.score(data, { method }), data.rows);
    } catch (e) {
      if (e instanceof RangeError) throw new KindOptionError(`eval: ${e.message}`);
      throw e;
    }
  },
};
