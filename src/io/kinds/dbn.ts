/**
 * The `dbn` kind: deep belief nets, trained greedily bottom layer first (one
 * command-line stage per layer, each an {@link RBMTrainer}), sampled and
 * scored through the model contract.
 * @module
 */
import type { JsonObject } from '../../document.js';
import { logSumExp, sigmoid, softplus } from '../../linalg/stable.js';
import { exp, log } from '../../math/elementary.js';
import { DBN, DBN_EXACT_MAX_UNITS } from '../../models/dbn.js';
import type { RBM } from '../../models/rbm.js';
import { aisSchedule, rbmAISWork } from '../../models/rbm-ais.js';
import { rbmExactLogPartition } from '../../models/rbm-exact.js';
import { hiddenToVisible } from '../../models/rbm-products.js';
import { Random } from '../../random/random.js';
import { RBMTrainer } from '../../train/rbm-trainer.js';
import type { Matrix } from '../../linalg/matrix.js';
import { checkElements, checkSize, checkSteps } from '../../validate.js';
import { type SteppedWork, yieldToEventLoop } from '../../models/fit-async.js';
import { KindOptionError } from '../kind-option-error.js';
import type { EvaluateReport, ModelKind, StageSetup, TrainingStage } from '../registry.js';
import { AIS_OPTIONS, fmt, num, scoreReport } from './common.js';
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

/** One draw from the categorical `p[po … po+n)` into the one-hot `out[o … o+n)` (as `DBN.sample` draws it). */
function drawCategorical(out: Float64Array, o: number, p: Float64Array, po: number, n: number, rng: Random): void {
  const u = rng.float64();
  let acc = 0, k = n - 1;
  for (let i = 0; i < n; i++) {
    acc += p[po + i] as number;
    if (u < acc) {
      k = i;
      break;
    }
  }
  for (let i = 0; i < n; i++) out[o + i] = i === k ? 1 : 0;
}

/**
 * `dbn.sample(n, { steps, meanField: false, rng })` as stepped work, one unit
 * per Gibbs sweep of the top RBM (the directed pass down comes with the
 * result), with the same rows bit for bit.
 *
 * @param dbn - the model
 * @param n - rows
 * @param steps - Gibbs sweeps in the top RBM
 * @param rng - the generator of the draw
 * @returns the stepped draw of `[n, nVisible]` bits
 * @example
 * ```ts
 * import { DBN, Random } from 'boltzmann';
 * import { dbnSampleWork } from 'boltzmann/base';
 * const w = dbnSampleWork(new DBN([6, 4, 3], { rng: 1 }), 2, 10, new Random(5));
 * w.advance(w.total);
 * w.result().rows; // 2
 * ```
 * @category Data & files
 */
export function dbnSampleWork(dbn: DBN, n: number, steps: number, rng: Random): SteppedWork<Matrix> {
  const where = 'dbnSampleWork';
  checkSize(where, 'n', n);
  checkElements(where, 'n × units', n, dbn.sizes.reduce((a, b) => a + b, 0));
  checkSteps(where, 'steps', steps, 0);
  const g = rng;
  const L = dbn.depth, top = dbn.layers[L - 1] as RBM, nV = top.nVisible, nH = top.nHidden, nF = dbn.sizes[L - 1] as number, nL = dbn.nLabels;
  const x = new Float64Array(n * nV), mean = new Float64Array(n * nV), h = new Float64Array(n * nH);
  const p0 = new Float64Array(nV);
  for (let i = 0; i < nF; i++) p0[i] = sigmoid(top.visibleBias[i] as number);
  if (nL > 0) {
    const lse = logSumExp(top.visibleBias, nF, nV);
    for (let i = nF; i < nV; i++) p0[i] = exp((top.visibleBias[i] as number) - lse);
  }
  for (let r = 0; r < n; r++) {
    const o2 = r * nV;
    for (let i = 0; i < nF; i++) x[o2 + i] = g.float64() < (p0[i] as number) ? 1 : 0;
    if (nL > 0) drawCategorical(x, o2 + nF, p0, nF, nL, g);
  }
  let done = 0;
  let out: Matrix | undefined;
  return {
    total: steps,
    get done() {
      return done;
    },
    advance(units: number): void {
      const end = Math.min(steps, done + Math.max(0, units));
      for (; done < end; done++) {
        top.hiddenProbsUnchecked(h, x, n);
        for (let i = 0; i < h.length; i++) h[i] = g.float64() < (h[i] as number) ? 1 : 0;
        top.visibleMeanUnchecked(mean, h, n, true);
        for (let r = 0; r < n; r++) {
          const o2 = r * nV;
          for (let i = 0; i < nF; i++) x[o2 + i] = g.float64() < (mean[o2 + i] as number) ? 1 : 0;
          if (nL > 0) drawCategorical(x, o2 + nF, mean, o2 + nF, nL, g);
        }
      }
    },
    result(): Matrix {
      if (out !== undefined) return out;
      let cur = new Float64Array(n * nF);
      for (let r = 0; r < n; r++) cur.set(x.subarray(r * nV, r * nV + nF), r * nF);
      for (let k = L - 2; k >= 0; k--) {
        const rbm = dbn.layers[k] as RBM;
        const next = new Float64Array(n * rbm.nVisible);
        rbm.visibleMeanUnchecked(next, cur, n, true);
        for (let i = 0; i < next.length; i++) next[i] = g.float64() < (next[i] as number) ? 1 : 0;
        cur = next;
      }
      out = { rows: n, cols: dbn.nVisible, data: cur };
      return out;
    },
  };
}

/** Whether `dbn.score(…, { method: 'exact' })` can enumerate this DBN (the limits of `DBN.score`). */
function fitsExact(dbn: DBN): boolean {
  const L = dbn.depth, sizes = dbn.sizes;
  if ((sizes[L - 1] as number) > DBN_EXACT_MAX_UNITS) return false;
  for (let m = L - 1; m >= 2; m--) if ((sizes[m - 1] as number) > DBN_EXACT_MAX_UNITS || (sizes[m] as number) + (sizes[m - 1] as number) > 24) return false;
  return true;
}

/** The top RBM's smaller layer up to which the bound enumerates `log Z_top` (as `DBN.score` does). */
const BOUND_EXACT_TOP_UNITS = 20;

/** Rows of the replicated data per unit of the bound's up-pass. */
const BOUND_BLOCK_ROWS = 500;

/**
 * `dbn.score(data, { method: 'bound', aisRuns: runs, aisBetas: steps, rng: seed })`
 * (Salakhutdinov & Murray's 2008 variational lower bound, `log Z_top` by AIS)
 * as stepped work: one unit per AIS β step, then one per block of the
 * replicated rows of each layer's up-pass; the same numbers bit for bit.
 */
function dbnBoundWork(dbn: DBN, data: Matrix, runs: number, steps: number, samples: number, seed: number): SteppedWork<EvaluateReport> {
  if (dbn.nLabels > 0) throw new KindOptionError(`eval: the bound needs a DBN without label units (it has ${dbn.nLabels}); this DBN is too large for the exact log-likelihood`);
  const g = new Random(seed);
  const L = dbn.depth, top = dbn.layers[L - 1] as RBM, n = data.rows, nV = dbn.nVisible;
  const exactTop = Math.min(top.nVisible, top.nHidden) <= BOUND_EXACT_TOP_UNITS;
  const a = Math.max(1, Math.round(steps / 29)), b = Math.max(1, Math.round((8 * steps) / 29));
  const ais = exactTop ? undefined : rbmAISWork(top, { runs, betas: aisSchedule(a, b, Math.max(1, steps - a - b)), base: L === 1 ? data : dbn.transform(data, { layer: L - 1 }), rng: g });
  const aisUnits = ais?.total ?? 0;
  const rows = n * samples;
  const blocks = Math.ceil(rows / BOUND_BLOCK_ROWS);
  const total = aisUnits + (L - 1) * blocks;
  // the bound's state: the replicated rows of the current layer, their running totals
  let cur = new Float64Array(0);
  let total2 = new Float64Array(0);
  let next = new Float64Array(0);
  let done = 0;
  const replicate = (): void => {
    cur = new Float64Array(rows * nV);
    for (let r = 0; r < n; r++) for (let s = 0; s < samples; s++) cur.set(data.data.subarray(r * nV, (r + 1) * nV), (r * samples + s) * nV);
    total2 = new Float64Array(rows);
  };
  const boundUnit = (u: number): void => {
    if (u === 0) replicate();
    const k = 1 + Math.floor(u / blocks), blk = u % blocks;
    const rbm = dbn.layers[k - 1] as RBM, nLow = rbm.nVisible, nUp = rbm.nHidden;
    if (blk === 0) next = new Float64Array(rows * nUp);
    const r0 = blk * BOUND_BLOCK_ROWS, m = Math.min(BOUND_BLOCK_ROWS, rows - r0);
    const x = cur.subarray(r0 * nLow, (r0 + m) * nLow);
    const p = new Float64Array(m * nUp);
    rbm.hiddenProbsUnchecked(p, x, m);
    const h = next.subarray(r0 * nUp, (r0 + m) * nUp);
    for (let r = 0; r < m; r++) {
      let ent = 0;
      for (let j = 0; j < nUp; j++) {
        const q = p[r * nUp + j] as number;
        if (q > 0) ent -= q * log(q);
        if (q < 1) ent -= (1 - q) * log(1 - q);
        h[r * nUp + j] = g.float64() < q ? 1 : 0;
      }
      total2[r0 + r] = (total2[r0 + r] as number) + ent;
    }
    const act = new Float64Array(m * nLow);
    hiddenToVisible(act, h, m, rbm.weights.data, rbm.visibleBias, nLow, nUp, true);
    for (let r = 0; r < m; r++) {
      let t = 0;
      for (let i = 0; i < nLow; i++) {
        const av = act[r * nLow + i] as number;
        t += (x[r * nLow + i] as number) * av - softplus(av);
      }
      total2[r0 + r] = (total2[r0 + r] as number) + t;
    }
    if (blk === blocks - 1) cur = next;
  };
  return {
    label: 'bound',
    unit: ais === undefined ? `blocks of ${BOUND_BLOCK_ROWS} rows` : `steps (${aisUnits} of AIS, then blocks of ${BOUND_BLOCK_ROWS} rows)`,
    total,
    get done() {
      return done;
    },
    advance(units: number): void {
      const end = Math.min(total, done + Math.max(0, units));
      while (done < end) {
        if (ais !== undefined && done < aisUnits) {
          const k = Math.min(end, aisUnits) - done;
          ais.advance(k);
          done += k;
        } else {
          boundUnit(done - aisUnits);
          done++;
        }
      }
    },
    result(): EvaluateReport {
      let logZ: number, logZLower: number, logZUpper: number, ess: number | undefined;
      if (ais === undefined) logZ = logZLower = logZUpper = rbmExactLogPartition(top);
      else {
        const r = ais.result();
        ({ logZ, logZLower, logZUpper } = r);
        ess = r.effectiveSampleSize;
      }
      if (L === 1) replicate();
      const f = new Float64Array(rows);
      top.freeEnergyUnchecked(f, cur, rows, new Float64Array(rows * top.nHidden));
      // as DBN.score: each row's bound minus log Z, their mean summed in row order then divided
      let sum = 0;
      for (let r = 0; r < n; r++) {
        let t = 0;
        for (let s = 0; s < samples; s++) t += (total2[r * samples + s] as number) - (f[r * samples + s] as number);
        sum += t / samples - logZ;
      }
      const mu = sum / n;
      return scoreReport(
        { mean: mu, lower: mu - (logZUpper - logZ), upper: mu + (logZ - logZLower), method: 'bound', logZ, ...(ess === undefined ? {} : { ess }) },
        n,
      );
    },
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
    eval: AIS_OPTIONS,
  },
  notes: {
    train: '--epochs is per layer; Ctrl-C and --resume work within and across layers',
    eval:
      'the exact log-likelihood while the layers enumerate (unless --runs or --ais-steps is given), else\n' +
      "Salakhutdinov & Murray's (2008) variational lower bound (100 samples of the up-pass per row, held\n" +
      'at once: 1000 rows of 784 pixels take about 0.6 GB) with log Z of the top RBM by AIS (±3σ\n' +
      'bounds; exact when its smaller layer has at most 20 units)',
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
            out.state = { ...(out.state ?? {}), layerTraining: { stage: k, training: trainer.saveState() } };
            return out;
          },
        };
      },
    };
  },
  sample: (dbn, n, { steps, rng }) => dbnSampleWork(dbn, n, steps, rng),
  evaluate(dbn, data, { options: o, given, seed }) {
    if (o.exact === true) {
      if (!fitsExact(dbn)) throw new KindOptionError(`eval --exact: this DBN (layers ${dbn.sizes.join(', ')}) is too large to enumerate; drop --exact for the bound`);
    } else if (given.has('runs') || given.has('ais-steps') || !fitsExact(dbn)) {
      return dbnBoundWork(dbn, data, num(o.runs) ?? 100, num(o['ais-steps']) ?? 14500, 100, seed);
    }
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
