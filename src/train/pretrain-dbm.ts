/**
 * {@link pretrainDBM}: greedy layer-wise pretraining of a deep Boltzmann machine
 * (Salakhutdinov & Hinton 2009, §3.1; middle layers as in Salakhutdinov & Hinton
 * 2012) with the RBM trainer on {@link ScaledRBM}s — the bottom RBM with its
 * bottom-up input doubled, the top RBM with its top-down input doubled, middle
 * RBMs trained plainly and halved when composed — so that each hidden layer,
 * which in the DBM gets input from both neighbours, is not counted twice.
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import type { EpochMetrics } from '../models/contract.js';
import { DBM } from '../models/dbm.js';
import { checkBatch, type RBM, type RBMLike } from '../models/rbm.js';
import { ScaledRBM } from '../models/scaled-rbm.js';
import { Random, toRandom } from '../random/random.js';
import { checkOptions, checkOptionsKeys, checkPositiveInt, type DataInput, optionKeys, toMatrix } from '../validate.js';
import { checkRBMTrainerOptions, RBMTrainer, type RBMTrainerOptions } from './rbm-trainer.js';
import { checkAbortSignal, checkCallback } from './checks.js';
import { yieldToEventLoop } from '../models/fit-async.js';

/** Options of {@link pretrainDBM}.
 * @category Training
 */
export interface DBMPretrainOptions {
  /** Epochs per RBM (one number for all, or one per layer). Default `10`. */
  epochs?: number | readonly number[];
  /** Options of each layer's RBM trainer (one for all, or one per layer); `rng` is overridden by a stream of `rng`. */
  trainer?: RBMTrainerOptions | readonly RBMTrainerOptions[];
  /** Seed or generator: layer `l` is initialised and trained from its own stream. Default: a generator split from `dbm.random`. */
  rng?: number | Random;
  /** Called after every epoch of every RBM with its metrics (`stage` is `'pretrain l'`, 0 = bottom); return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops between epochs when aborted (the model keeps what was composed so far: nothing). */
  signal?: AbortSignal;
  /** Worker threads for the linear algebra (see `withThreads`). */
  threads?: number;
}

const PRETRAIN_KEYS = optionKeys<DBMPretrainOptions>()({ epochs: true, trainer: true, rng: true, onEpoch: true, signal: true, threads: true });

/** What {@link pretrainDBM} returns.
 * @category Training
 */
export interface DBMPretrainResult {
  /** The trained RBMs, bottom first (fewer than the layers when stopped early; the DBM is then unchanged). */
  rbms: RBM[];
  /** Metrics of every epoch of every RBM, in order (computed only when `onEpoch` is given). */
  history: EpochMetrics[];
  /** Epochs completed over all RBMs. */
  epochs: number;
  /** True when the signal or `onEpoch` stopped pretraining before every RBM was trained. */
  aborted: boolean;
}

/** `options.threads` checked (a positive integer, or undefined), before anything runs in its scope. */
function checkThreads(where: string, options: unknown): number | undefined {
  const t = options !== null && typeof options === 'object' ? (options as { threads?: unknown }).threads : undefined;
  return t === undefined ? undefined : checkPositiveInt(where, 'threads', t);
}

/** One item of a per-layer option. */
function perLayer<T>(where: string, name: string, v: T | readonly T[] | undefined, layers: number): (T | undefined)[] {
  if (Array.isArray(v)) {
    if (v.length !== layers) throw new RangeError(`${where}: ${name} must have one entry per layer (${layers}) (got ${v.length})`);
    return v.slice();
  }
  return Array.from({ length: layers }, () => v as T | undefined);
}

/**
 * Greedy layer-wise pretraining of a DBM: trains one RBM per weight matrix with
 * the RBM trainer — the bottom with doubled bottom-up input, the top with
 * doubled top-down input, middle ones plain — each on the previous RBM's hidden
 * probabilities, then writes them into `dbm`: `W₁ = W_bottom`, middle
 * `W_l = W_rbm / 2`, `W_L = W_top`; a hidden layer's bias is the mean of the
 * hidden bias of the RBM below and the visible bias of the RBM above (so that
 * `σ(b + x_{l−1}W + W x_{l+1})` averages the two RBMs' doubled inputs); the
 * visible bias is the bottom RBM's. `DBM.fit` calls it unless `pretrain: false`.
 *
 * @param dbm - the model to initialise (overwritten only when every layer trained)
 * @param data - `[n, nVisible]` training rows in [0, 1] (not modified)
 * @param options - see {@link DBMPretrainOptions}
 * @returns the trained RBMs and the metrics of every epoch
 * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any training)
 * @throws {NumericalError} when an RBM update is not finite (`dbm` unchanged)
 * @example
 * ```ts
 * import { DBM, pretrainDBM } from 'boltzmann';
 * const dbm = new DBM([4, 3, 2], { rng: 1 });
 * pretrainDBM(dbm, [[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 2, trainer: { batchSize: 2 } }).rbms.length; // 2
 * ```
 * @category Training
 */
export function pretrainDBM(dbm: DBM, data: DataInput, options?: DBMPretrainOptions): DBMPretrainResult {
  const where = 'pretrainDBM';
  // the thread count is read before the checks of the first step run (inside its thread scope)
  const threads = checkThreads(where, options);
  const steps = pretrainSteps(where, dbm, data, options, false);
  for (;;) {
    const r = withThreads(threads, () => steps.next());
    if (r.done === true) return r.value;
  }
}

/**
 * The asynchronous form of {@link pretrainDBM}: the same parameters, bit for
 * bit, with each RBM trained one epoch per call of its trainer's `fit` and a
 * pause for the event loop between epochs, so that an `AbortSignal` aborted by
 * a timer or an event stops pretraining (within the current epoch: the RBM
 * trainer checks the signal before every mini-batch) and a page stays responsive.
 * The random parts of the per-epoch metrics may differ from {@link pretrainDBM}'s
 * (their monitor generator is drawn per call); the training does not.
 *
 * @param dbm - the model to initialise (overwritten only when every layer trained)
 * @param data - `[n, nVisible]` training rows in [0, 1] (not modified)
 * @param options - see {@link DBMPretrainOptions}; `onProgress(done, total)` is called after every epoch
 * @returns the trained RBMs and the metrics of every epoch
 * @throws {ShapeError | RangeError | TypeError} on bad arguments (before any training)
 * @throws {NumericalError} when an RBM update is not finite (`dbm` unchanged)
 * @example
 * ```ts
 * import { DBM, pretrainDBMAsync } from 'boltzmann';
 * const dbm = new DBM([4, 3, 2], { rng: 1 });
 * const r = await pretrainDBMAsync(dbm, [[1, 1, 0, 0], [0, 0, 1, 1]], { epochs: 2, trainer: { batchSize: 2 }, signal: AbortSignal.timeout(60_000) });
 * r.rbms.length; // 2
 * ```
 * @category Training
 */
export async function pretrainDBMAsync(
  dbm: DBM,
  data: DataInput,
  options?: DBMPretrainOptions & { onProgress?: (done: number, total: number) => void },
): Promise<DBMPretrainResult> {
  const where = 'pretrainDBMAsync';
  const { onProgress, ...rest } = checkOptions(where, options);
  checkCallback(where, 'onProgress', onProgress);
  const threads = checkThreads(where, rest);
  const steps = pretrainSteps(where, dbm, data, rest, true);
  for (;;) {
    const r = withThreads(threads, () => steps.next());
    if (r.done === true) return r.value;
    onProgress?.(r.value.done, r.value.total);
    await yieldToEventLoop();
  }
}

/**
 * Pretraining as a generator: checks everything on the first `next()`, then
 * trains; with `perEpoch`, each RBM is trained one epoch per `fit` call and the
 * generator yields `{ done, total }` epochs after each (otherwise it yields after
 * each RBM).
 */
function* pretrainSteps(
  where: string,
  dbm: DBM,
  data: DataInput,
  options: DBMPretrainOptions | undefined,
  perEpoch: boolean,
): Generator<{ done: number; total: number }, DBMPretrainResult> {
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM (got ${describeValue(dbm)})`);
  const x = checkBatch(where, 'data', toMatrix(where, 'data', data, dbm.nVisible), dbm.nVisible, 'unit');
  if (x.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
  const o = checkOptionsKeys(where, options, PRETRAIN_KEYS);
  const L = dbm.depth;
  const epochs = perLayer(where, 'epochs', o.epochs, L).map((e, l) => (e === undefined ? 10 : checkPositiveInt(where, `epochs[${l}]`, e)));
  const trainers = perLayer(where, 'trainer', o.trainer, L).map((t, l) => {
    if (t !== undefined && (t === null || typeof t !== 'object' || Array.isArray(t))) {
      throw new TypeError(`${where}: trainer${Array.isArray(o.trainer) ? `[${l}]` : ''} must be an object of RBM trainer options (got ${describeValue(t)})`);
    }
    return checkOptions(where, t);
  });
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
  if (o.threads !== undefined) checkPositiveInt(where, 'threads', o.threads);
  // Validates every layer's trainer options (with the layer's sizes) before anything is trained or drawn.
  for (let l = 0; l < L; l++) checkRBMTrainerOptions(where, { nVisible: dbm.sizes[l], nHidden: dbm.sizes[l + 1] } as RBMLike, { ...trainers[l], rng: 0 });
  if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where);
  const streams = (o.rng === undefined ? dbm.random.split() : toRandom(o.rng, where)).streams(2 * L);
  const allEpochs = epochs.reduce((a, b) => a + b, 0);
  const rbms: RBM[] = [];
  const history: EpochMetrics[] = [];
  let total = 0;
  let input = x;
  for (let l = 0; l < L; l++) {
    const stage = `pretrain ${l}`;
    const rbm = new ScaledRBM(dbm.sizes[l], dbm.sizes[l + 1], { upScale: l === 0 ? 2 : 1, downScale: l === L - 1 ? 2 : 1, rng: streams[2 * l], data: input });
    const cd = new RBMTrainer(rbm, { ...trainers[l], rng: streams[2 * l + 1] });
    let stopped = false;
    const onEpoch = o.onEpoch;
    const fitOptions = {
      epochs: perEpoch ? 1 : epochs[l],
      signal: o.signal,
      onEpoch:
        onEpoch === undefined
          ? undefined
          : (m: EpochMetrics) => {
              const staged: EpochMetrics = { ...m, stage };
              history.push(staged);
              stopped = onEpoch(staged) === false;
              return !stopped;
            },
    };
    for (let e = 0; e < (perEpoch ? epochs[l] : 1); e++) {
      if (perEpoch && o.signal?.aborted) return { rbms, history, epochs: total, aborted: true };
      const res = cd.fit(input, fitOptions);
      total += res.epochs;
      if (res.aborted || stopped) return { rbms, history, epochs: total, aborted: true };
      yield { done: total, total: allEpochs };
    }
    rbms.push(rbm);
    if (l < L - 1) input = rbm.hiddenProbs(input);
  }
  // Compose.
  for (let l = 0; l < L; l++) {
    const w = dbm.weights[l].data, src = rbms[l].weights.data;
    const f = l > 0 && l < L - 1 ? 0.5 : 1;
    for (let i = 0; i < w.length; i++) w[i] = f * src[i];
  }
  dbm.biases[0].set(rbms[0].visibleBias);
  for (let l = 1; l < L; l++) {
    const b = dbm.biases[l], c = rbms[l - 1].hiddenBias, a = rbms[l].visibleBias;
    for (let j = 0; j < b.length; j++) b[j] = 0.5 * (c[j] + a[j]);
  }
  dbm.biases[L].set(rbms[L - 1].hiddenBias);
  return { rbms, history, epochs: total, aborted: false };
}
