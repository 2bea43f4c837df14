/**
 * Training and scoring in a Web Worker (or a Node `worker_threads` worker), so
 * that a page's main thread never waits for them (issue #16).
 *
 * - The worker script calls {@link serveModelWorker}: it rebuilds each model it
 *   is sent through the registry, runs `fit` or `score`, posts progress events
 *   and sends back the trained model's parameters (or the score).
 * - The main thread calls {@link fitInWorker} or {@link scoreInWorker}: they
 *   send the model (its typed arrays with a skeleton document, so the page
 *   never writes the base64 of a large model), its generator state and a copy
 *   of the data, all transferred, and on completion copy the trained
 *   parameters and the generator state back INTO the given model, which then
 *   holds exactly (bit for bit) what `model.fit(data, options)` on the main
 *   thread would have given.
 *
 * Abort: an RBM (`RBM`, `GaussianRBM`) trains mini-batch by mini-batch with a
 * pause for the worker's event loop every `sliceMs` (25 ms), so an abort is seen
 * before the next mini-batch in any page. Other families run their `fit` in
 * one go with a signal that reads a shared flag: the abort is seen before
 * the next update where `SharedArrayBuffer` exists (Node; cross-origin
 * isolated pages), else only when `fit` ends. RBM AIS scores run β step by
 * β step in the same way; other scores in one go.
 * @module
 */
import type { ModelDocument } from '../document.js';
import { describeValue, FormatError, NotFittedError, NumericalError, ShapeError } from '../errors.js';
import { withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import type { EpochMetrics, FitResult, ScoreResult } from '../models/contract.js';
import { yieldToEventLoop } from '../models/fit-async.js';
import { aisSchedule, rbmAISWork } from '../models/rbm-ais.js';
import { RBM_EXACT_MAX_UNITS } from '../models/rbm-exact.js';
import { rbmAISScore, RBMBase, type RBMFitOptions } from '../models/rbm.js';
import { Random, type RandomState } from '../random/random.js';
import type { RBMTrainer } from '../train/rbm-trainer.js';
import { checkInt, checkOptionsKeys, type DataInput, optionKeys, toMatrix } from '../validate.js';
import { MODEL_REGISTRY, type ModelKind, type ModelRegistry } from './registry.js';

/** A `message` or `error` event as a worker delivers it (`data` for messages, `message`/`error` for errors). */
interface WorkerEventLike {
  /** The message (for `'message'`). */
  readonly data?: unknown;
  /** The error's text (for `'error'`). */
  readonly message?: string;
  /** The error (for `'error'`, where the platform gives it). */
  readonly error?: unknown;
}

/**
 * The side of a worker the main thread talks to: a browser `Worker` fits as it
 * is; a Node `worker_threads` `Worker` through `nodeWorkerPort` (`boltzmann/node`).
 * @category Training
 */
export interface ModelWorkerLike {
  /** Sends a message, transferring the listed buffers. */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Listens for `'message'` (`event.data`) and `'error'` events. */
  addEventListener(type: 'message' | 'error', listener: (event: WorkerEventLike) => void): void;
  /** Stops listening. */
  removeEventListener(type: 'message' | 'error', listener: (event: WorkerEventLike) => void): void;
}

/**
 * The worker's own side: a browser worker's global scope (`self`) fits as it
 * is; Node's `parentPort` through `nodeParentPort` (`boltzmann/node`).
 * @category Training
 */
export interface ModelWorkerScope {
  /** Sends a message. */
  postMessage(message: unknown): void;
  /** Listens for `'message'` events (`event.data`). */
  addEventListener(type: 'message', listener: (event: { readonly data?: unknown }) => void): void;
  /** Stops listening. */
  removeEventListener(type: 'message', listener: (event: { readonly data?: unknown }) => void): void;
}

/**
 * A progress event of {@link fitInWorker} / {@link scoreInWorker}.
 * @category Training
 */
export interface WorkerProgress {
  /** What runs: `'fit'` or `'score'`. */
  task: 'fit' | 'score';
  /** Units of work done: mini-batch updates (fit) or AIS β steps (score). */
  done: number;
  /** Units in all; `NaN` where the worker cannot know it (a family that trains in one go). */
  total: number;
  /** Epochs completed (fit; `0` for a score). */
  epoch: number;
  /** Updates made so far by the trainer (fit; `0` for a score). */
  steps: number;
  /** The epoch's metrics, on the event sent when an epoch ends with metrics (as `onEpoch` gets them). */
  metrics?: EpochMetrics;
}

/**
 * How to watch and stop {@link fitInWorker} / {@link scoreInWorker}.
 * @category Training
 */
export interface WorkerRunOptions {
  /** Called on the main thread with every progress event (at least one per epoch, and about every `sliceMs`). */
  onProgress?: (progress: WorkerProgress) => void;
  /** Stops the work in the worker (see {@link fitInWorker} and {@link scoreInWorker} for what the promise does). */
  signal?: AbortSignal;
  /** Longest run of work between pauses of the worker's event loop, ms (stepped families). Default `25`. */
  sliceMs?: number;
  /** The registry that rebuilds the trained model on this side. Default {@link MODEL_REGISTRY}. */
  registry?: ModelRegistry;
}

/** The options type of a model's `fit` (`object` when it has none).
 * @category Training
 */
export type FitOptionsOf<M> = M extends {
  /** The model's `fit`, whose options type is taken. */
  fit(data: never, options?: infer O): unknown;
}
  ? (unknown extends O ? object : NonNullable<O>) : object;

/** The options type of a model's `score` (`object` when it has none).
 * @category Training
 */
export type ScoreOptionsOf<M> = M extends {
  /** The model's `score`, whose options type is taken. */
  score(data: never, options?: infer O): unknown;
}
  ? (unknown extends O ? object : NonNullable<O>) : object;

/** A model's options as they go to a worker: data only — `signal` and `onEpoch` are in {@link WorkerRunOptions}; a seed for `rng`.
 * @category Training
 */
export type WorkerOptions<O> = Omit<O, 'signal' | 'onEpoch' | 'rng'> &
  ('rng' extends keyof O
    ? {
        /** Seed of the generator (a number: a generator object does not travel to the worker). */
        rng?: number;
      }
    : unknown);

const RUN_KEYS = optionKeys<WorkerRunOptions>()({ onProgress: true, signal: true, sliceMs: true, registry: true });

/** Options of {@link serveModelWorker}.
 * @category Training
 */
export interface ServeModelWorkerOptions {
  /** The registry that rebuilds the models sent (add your own kinds). Default {@link MODEL_REGISTRY}. */
  registry?: ModelRegistry;
}

const SERVE_KEYS = optionKeys<ServeModelWorkerOptions>()({ registry: true });

/**
 * The worker failed: its script threw or could not load, a message could not
 * be read, or it answered with something that was not a model of the kind
 * sent. The model given to {@link fitInWorker} is left as it was. (Errors that
 * the model's own `fit`/`score` throws in the worker — a `TypeError` for an
 * unknown option, a `ShapeError`, a `NumericalError` — reject with their own
 * class and message instead.)
 *
 * @example
 * ```ts
 * import { ModelWorkerError } from 'boltzmann';
 * new ModelWorkerError('fitInWorker: the worker failed').name; // 'ModelWorkerError'
 * ```
 * @category Errors & checks
 */
export class ModelWorkerError extends Error {
  /** Creates a worker error (with the worker's error as `cause`, where there is one). */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelWorkerError';
  }
}

/** The protocol's tag: every message of ours carries `boltzmann: 'worker/1'`. */
const TAG = 'worker/1';

interface JobMessage {
  boltzmann: typeof TAG;
  type: 'fit' | 'score';
  id: number;
  /** The model's document; with `snapshot`, a skeleton whose tensors were written empty. */
  doc: ModelDocument;
  /** The model's arrays, scalars and generator states, when `doc` is a skeleton. */
  snapshot?: SnapshotEntry[];
  random: RandomState;
  rows: number;
  cols: number;
  data: Float64Array;
  options: Record<string, unknown>;
  flag?: Int32Array;
  sliceMs: number;
}

interface ReplyMessage {
  boltzmann: typeof TAG;
  id: number;
  type: 'progress' | 'done' | 'error' | 'need-document';
  progress?: WorkerProgress;
  result?: FitResult | ScoreResult;
  snapshot?: SnapshotEntry[];
  random?: RandomState;
  name?: string;
  message?: string;
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  TypeError,
  RangeError,
  ShapeError,
  FormatError,
  NumericalError,
  NotFittedError,
};

function isTagged(x: unknown): x is { boltzmann: string; type: string; id: number } {
  return x !== null && typeof x === 'object' && (x as { boltzmann?: unknown }).boltzmann === TAG;
}

/** A signal whose `aborted` is read by the trainers before every update: a local flag or a shared one. */
function flagSignal(local: { aborted: boolean }, shared: Int32Array | undefined): AbortSignal {
  const s = {
    get aborted(): boolean {
      return local.aborted || (shared !== undefined && Atomics.load(shared, 0) !== 0);
    },
  };
  return s as AbortSignal;
}

/** A copy of a document with every tensor (`{ shape, base64 }` or `{ shape, data }`) replaced by zeros of its shape. */
function zeroTensors(doc: unknown): ModelDocument {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x === null || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    const shape = o.shape;
    if (Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0) && (typeof o.base64 === 'string' || Array.isArray(o.data))) {
      let n = 1;
      for (const d of shape as number[]) n *= d;
      return { shape: shape.slice(), data: new Array<number>(n).fill(0) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = walk(v);
    return out;
  };
  return walk(doc) as ModelDocument;
}

/** The worker's handling of one job. */
async function runJob(
  scope: ModelWorkerScope,
  registry: ModelRegistry,
  job: JobMessage,
  local: { aborted: boolean },
  requestDocument: () => Promise<ModelDocument>,
): Promise<void> {
  const post = (m: Omit<ReplyMessage, 'boltzmann' | 'id'>): void => scope.postMessage({ boltzmann: TAG, id: job.id, ...m });
  const kind = registry.get(job.doc?.kind);
  if (kind === undefined) throw new ModelWorkerError(`serveModelWorker: no registered kind '${String(job.doc?.kind)}' (register it with the registry option)`);
  let model: ModelWithRandom | undefined;
  if (job.snapshot !== undefined) {
    // the skeleton with zero tensors gives a model of the right shape; the snapshot then fills in every field
    try {
      const m = kind.fromDocument(zeroTensors(job.doc)) as ModelWithRandom;
      if (applySnapshot(m, job.snapshot, true) === undefined) model = m;
    } catch {
      model = undefined;
    }
  }
  if (model === undefined) model = kind.fromDocument(job.snapshot === undefined ? job.doc : await requestDocument()) as ModelWithRandom;
  model.random.setState(job.random);
  const data: Matrix = { rows: job.rows, cols: job.cols, data: job.data };
  const signal = flagSignal(local, job.flag);
  const sliceMs = job.sliceMs;
  const threads = job.options.threads as number | undefined;
  if (job.type === 'fit') {
    let lastPost = performance.now();
    let checks = 0;
    const epochEvent = (metrics: EpochMetrics, epoch: number, steps: number, done: number, total: number): void => {
      post({ type: 'progress', progress: { task: 'fit', done, total, epoch, steps, metrics } });
    };
    let result: FitResult;
    let fitTotal = Number.NaN;
    if (model instanceof RBMBase) {
      // the model's fitSteps makes fit's very trainer (options checked, the recipe applied, its
      // generator split off the model's stream) and gives fit's numbers, one mini-batch per step
      let done = 0, total = Number.NaN;
      let trainer: RBMTrainer | undefined;
      const onEpoch = (metrics: EpochMetrics): void => epochEvent(metrics, (trainer as RBMTrainer).epoch, (trainer as RBMTrainer).steps, done, total);
      const it = model.fitSteps(data, { ...job.options, onEpoch, signal } as RBMFitOptions);
      trainer = model.lastTrainer;
      if (trainer === undefined) throw new ModelWorkerError('serveModelWorker: the RBM made no trainer');
      const t = trainer;
      const epochs = (job.options.epochs as number | undefined) ?? 10;
      total = epochs * Math.ceil(data.rows / t.batchSize);
      fitTotal = total;
      const steps0 = t.steps;
      for (;;) {
        await yieldToEventLoop();
        const r = withThreads(threads, () => {
          const t0 = performance.now(), e0 = t.epoch;
          let step = it.next();
          // a slice ends after sliceMs or at an epoch's end, so there is a progress event per epoch
          while (step.done !== true && performance.now() - t0 < sliceMs && t.epoch === e0) step = it.next();
          return step;
        });
        done = t.steps - steps0;
        if (r.done === true) {
          result = r.value;
          break;
        }
        post({ type: 'progress', progress: { task: 'fit', done, total, epoch: t.epoch, steps: t.steps } });
      }
    } else {
      // one synchronous fit; progress from the per-update signal checks (about every sliceMs) and onEpoch
      let epochs = 0;
      const counting = {
        get aborted(): boolean {
          checks++;
          const now = performance.now();
          if (now - lastPost >= sliceMs) {
            lastPost = now;
            post({ type: 'progress', progress: { task: 'fit', done: checks, total: Number.NaN, epoch: epochs, steps: checks } });
          }
          return signal.aborted;
        },
      } as AbortSignal;
      const onEpoch = (metrics: EpochMetrics): void => {
        epochs++;
        epochEvent(metrics, epochs, metrics.steps, checks, Number.NaN);
      };
      await yieldToEventLoop();
      result = (model as unknown as { fit(d: Matrix, o: unknown): FitResult }).fit(data, { ...job.options, onEpoch, signal: counting });
    }
    // the trained model as a fresh load of its document would hold it (no trainer, no scratch),
    // sent as its parameter arrays: the main thread copies them in place without parsing a document
    const fresh = kind.fromDocument(model.toDocument()) as ModelWithRandom;
    fresh.random.setState(model.random.getState());
    const snapshot = takeSnapshot(fresh);
    // the updates made: the RBM trainer's count, else the trainers' checks of the signal (one per update)
    const steps = model instanceof RBMBase && model.lastTrainer !== undefined ? model.lastTrainer.steps : checks;
    // a last event with the updates made (also after an abort), then the model
    post({ type: 'progress', progress: { task: 'fit', done: steps, total: fitTotal, epoch: result.epochs, steps } });
    post({ type: 'done', result, snapshot, random: model.random.getState() });
    return;
  }
  // score
  const work = rbmScoreWork(model, data, job.options);
  let result: ScoreResult;
  if (work === undefined) {
    await yieldToEventLoop();
    result = (model as unknown as { score(d: Matrix, o: unknown): ScoreResult }).score(data, job.options);
  } else {
    const w = work.ais;
    while (w.done < w.total) {
      await yieldToEventLoop();
      if (signal.aborted) {
        post({ type: 'error', name: 'AbortError', message: 'scoreInWorker: aborted' });
        return;
      }
      withThreads(threads, () => {
        const t0 = performance.now();
        do w.advance(1);
        while (w.done < w.total && !signal.aborted && performance.now() - t0 < sliceMs);
      });
      post({ type: 'progress', progress: { task: 'score', done: w.done, total: w.total, epoch: 0, steps: 0 } });
    }
    result = work.finish();
  }
  post({ type: 'done', result, random: model.random.getState() });
}

interface ModelWithRandom {
  readonly kind: string;
  readonly random: Random;
  toDocument(): ModelDocument;
}

const RBM_AIS_OPTION_KEYS = new Set(['method', 'aisRuns', 'aisBetas', 'rng', 'threads']);

/**
 * `rbm.score(data, options)` as AIS work of one unit per β step, when the
 * options resolve to AIS on a binary RBM; undefined otherwise (the model's own
 * `score` then runs, and throws its own errors on bad options).
 */
function rbmScoreWork(model: unknown, data: Matrix, o: Record<string, unknown>): { ais: ReturnType<typeof rbmAISWork>; finish(): ScoreResult } | undefined {
  if (!(model instanceof RBMBase) || model.visibleType !== 'binary' || data.cols !== model.nVisible || data.rows === 0) return undefined;
  for (const k of Object.keys(o)) if (o[k] !== undefined && !RBM_AIS_OPTION_KEYS.has(k)) return undefined;
  const method = o.method ?? 'auto';
  const ais = method === 'ais' || (method === 'auto' && Math.min(model.nVisible, model.nHidden) > RBM_EXACT_MAX_UNITS);
  if (!ais) return undefined;
  const runs = o.aisRuns ?? 100;
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1) return undefined;
  let betas: Float64Array | undefined;
  if (o.aisBetas !== undefined) {
    const steps = o.aisBetas;
    if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 3) return undefined;
    // RBM.score's schedule for aisBetas steps (Salakhutdinov & Murray's proportions)
    const a = Math.max(1, Math.round(steps / 29));
    const b = Math.max(1, Math.round((8 * steps) / 29));
    betas = aisSchedule(a, b, Math.max(1, steps - a - b));
  }
  for (let i = 0; i < data.data.length; i++) {
    const x = data.data[i];
    if (x !== 0 && x !== 1) return undefined; // let score name the bad entry
  }
  const rng = (o.rng ?? model.random) as number | Random;
  const work = rbmAISWork(model, { base: data, runs, ...(betas === undefined ? {} : { betas }), rng, ...(o.threads === undefined ? {} : { threads: o.threads as number }) });
  return {
    ais: work,
    finish(): ScoreResult {
      return rbmAISScore(model, data, work.result());
    },
  };
}

/**
 * Serves {@link fitInWorker} and {@link scoreInWorker} in a worker script:
 * listens for their messages on `scope`, rebuilds each model from its document
 * through the registry, runs `fit` (an RBM mini-batch by mini-batch, pausing
 * for the event loop every 25 ms so that an abort is seen before the next
 * update) or `score` (RBM AIS β step by β step), posts progress events and
 * finally the trained model's document or the score. Messages that are not
 * ours are ignored, so the worker can do other things too.
 *
 * @param scope - the worker's scope; default `globalThis` (a browser worker's `self`). In Node: `nodeParentPort()`.
 * @param options - `registry` to serve kinds of your own
 * @returns a function that stops serving
 * @throws {TypeError} when `scope` has no `postMessage`/`addEventListener`, or on an unknown option
 * @example
 * ```ts
 * // runs in a browser
 * // worker.ts, bundled as the page's worker script
 * import { serveModelWorker } from 'boltzmann';
 * serveModelWorker();
 * ```
 * @category Training
 */
export function serveModelWorker(scope?: ModelWorkerScope, options?: ServeModelWorkerOptions): () => void {
  const where = 'serveModelWorker';
  const s = (scope ?? globalThis) as ModelWorkerScope;
  if (s === null || typeof s !== 'object' || typeof s.postMessage !== 'function' || typeof s.addEventListener !== 'function') {
    throw new TypeError(`${where}: scope must have postMessage and addEventListener (a worker's self, or nodeParentPort()) (got ${describeValue(scope)})`);
  }
  const o = checkOptionsKeys(where, options, SERVE_KEYS);
  const registry = o.registry ?? MODEL_REGISTRY;
  if (registry === null || typeof registry !== 'object' || typeof registry.get !== 'function') {
    throw new TypeError(`${where}: registry must be a model registry (createRegistry) (got ${describeValue(registry)})`);
  }
  const running = new Map<number, { aborted: boolean }>();
  const waiting = new Map<number, (doc: ModelDocument) => void>();
  const listener = (ev: { readonly data?: unknown }): void => {
    const m = ev?.data;
    if (!isTagged(m)) return;
    if (m.type === 'document') {
      waiting.get(m.id)?.((m as unknown as { doc: ModelDocument }).doc);
      waiting.delete(m.id);
      return;
    }
    if (m.type === 'abort') {
      const job = running.get(m.id);
      if (job) job.aborted = true;
      return;
    }
    if (m.type !== 'fit' && m.type !== 'score') return;
    const local = { aborted: false };
    running.set(m.id, local);
    const requestDocument = (): Promise<ModelDocument> =>
      new Promise((resolve) => {
        waiting.set(m.id, resolve);
        s.postMessage({ boltzmann: TAG, id: m.id, type: 'need-document' });
      });
    runJob(s, registry, m as unknown as JobMessage, local, requestDocument)
      .catch((e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        s.postMessage({ boltzmann: TAG, id: m.id, type: 'error', name: err.name, message: err.message });
      })
      .finally(() => {
        running.delete(m.id);
        waiting.delete(m.id);
      });
  };
  s.addEventListener('message', listener);
  return () => s.removeEventListener('message', listener);
}

let nextId = 1;

function checkWorker(where: string, worker: unknown): ModelWorkerLike {
  const w = worker as ModelWorkerLike;
  if (w === null || typeof w !== 'object' || typeof w.postMessage !== 'function' || typeof w.addEventListener !== 'function' || typeof w.removeEventListener !== 'function') {
    throw new TypeError(`${where}: worker must have postMessage, addEventListener and removeEventListener (a Worker, or nodeWorkerPort(worker)) (got ${describeValue(worker)})`);
  }
  return w;
}

function checkModel(where: string, model: unknown, registry: ModelRegistry): { model: ModelWithRandom; kind: ModelKind } {
  const m = model as ModelWithRandom;
  if (m === null || typeof m !== 'object' || typeof m.toDocument !== 'function' || typeof m.kind !== 'string') {
    throw new TypeError(`${where}: model must be a model (with kind and toDocument) (got ${describeValue(model)})`);
  }
  const kind = registry.get(m.kind);
  if (kind === undefined || !kind.is(m)) throw new TypeError(`${where}: model must be of a registered kind (got kind '${m.kind}'; pass a registry with it)`);
  const r = m.random as Random | undefined;
  if (r === null || typeof r !== 'object' || typeof r.getState !== 'function' || typeof r.setState !== 'function') {
    throw new TypeError(`${where}: model must have a generator stream (random with getState/setState) (got ${describeValue(r)})`);
  }
  return { model: m, kind };
}

/** Refuses what cannot travel to a worker: functions (a callback, a schedule function), and the hooks that have their own argument. */
function checkSendable(where: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object (got ${describeValue(options)})`);
  const o = options as Record<string, unknown>;
  for (const [key, value] of Object.entries(o)) {
    if (key === 'signal' || key === 'onEpoch') {
      if (value === undefined) continue;
      throw new TypeError(`${where}: options.${key} cannot be sent to a worker; pass ${key === 'signal' ? 'signal' : 'onProgress (its events carry the epoch metrics)'} in the fifth argument (got ${describeValue(value)})`);
    }
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`${where}: options.${key} must be data that can be sent to a worker (not a function) (got ${describeValue(value)})`);
    }
    if (value !== null && typeof value === 'object' && typeof (value as Random).getState === 'function') {
      throw new TypeError(`${where}: options.${key} must be data that can be sent to a worker (a seed, not a generator) (got ${describeValue(value)})`);
    }
  }
  return { ...o };
}

/** One value of a model's state: a typed array, a scalar or a generator state, at a property path. */
interface SnapshotEntry {
  /** Property names from the model down. */
  path: string[];
  /** A parameter array (or any typed array the model holds). */
  array?: Float64Array;
  /** A number, boolean or string field. */
  value?: number | boolean | string;
  /** A generator's state. */
  state?: RandomState;
}

const SKIPPED_KEYS = new Set(['trainer', 'trainers', 'trainerRng']);

/** The typed arrays, scalars and generator states of `model` (own fields, nested objects and arrays up to 4 deep; trainers left out). */
function takeSnapshot(model: object): SnapshotEntry[] {
  const out: SnapshotEntry[] = [];
  const seen = new Set<object>([model]);
  const walk = (o: Record<string, unknown>, path: string[], depth: number): void => {
    for (const key of Object.keys(o)) {
      if (SKIPPED_KEYS.has(key)) continue;
      const v = o[key];
      const p = [...path, key];
      if (ArrayBuffer.isView(v)) out.push({ path: p, array: v as Float64Array });
      else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out.push({ path: p, value: v });
      else if (v !== null && typeof v === 'object' && !seen.has(v)) {
        seen.add(v);
        const r = v as Random;
        if (typeof r.getState === 'function' && typeof r.setState === 'function') out.push({ path: p, state: r.getState() });
        else if (depth > 0) walk(v as Record<string, unknown>, p, depth - 1);
      }
    }
  };
  walk(model as Record<string, unknown>, [], 4);
  return out;
}

/**
 * Copies a snapshot into `model` in place, all or nothing: every non-empty
 * array must meet an array of the same type and length, every scalar a field of
 * the same type, every generator state a generator; else nothing is changed and
 * the answer is the first path that does not fit. Empty arrays (unused scratch)
 * are skipped. With `grow`, an array sent for a field the model holds empty (a
 * scratch buffer sized on first use) replaces it.
 */
function applySnapshot(model: object, snapshot: unknown, grow = false): string | undefined {
  if (!Array.isArray(snapshot) || snapshot.length === 0) return 'no snapshot';
  const plan: (() => void)[] = [];
  for (const e of snapshot as SnapshotEntry[]) {
    if (e === null || typeof e !== 'object' || !Array.isArray(e.path) || e.path.length === 0) return 'a malformed entry';
    let parent = model as Record<string, unknown>;
    for (let k = 0; k < e.path.length - 1 && parent !== undefined; k++) parent = parent[e.path[k] as string] as Record<string, unknown>;
    const name = e.path.join('.');
    if (parent === null || typeof parent !== 'object') return name;
    const key = e.path[e.path.length - 1] as string;
    const t = parent[key];
    if (e.array !== undefined) {
      const a = e.array;
      if (!ArrayBuffer.isView(a)) return name;
      if (a.length === 0) continue;
      if (!ArrayBuffer.isView(t) || (t as object).constructor !== a.constructor) return name;
      if (grow && (t as Float64Array).length === 0) plan.push(() => (parent[key] = a));
      else if ((t as Float64Array).length !== a.length) return name;
      else plan.push(() => (t as Float64Array).set(a));
    } else if (e.state !== undefined) {
      const r = t as Random;
      if (r === null || typeof r !== 'object' || typeof r.setState !== 'function') return name;
      // checked here, not when the plan runs: a malformed state must not stop it halfway
      if (!isRandomState(e.state)) return name;
      plan.push(() => r.setState(e.state as RandomState));
    } else {
      if (typeof t !== typeof e.value) return name;
      if (!Object.is(t, e.value)) plan.push(() => (parent[key] = e.value));
    }
  }
  for (const f of plan) f();
  return undefined;
}

/** True when `state` is a generator state {@link Random.setState} accepts (checked on a scratch generator). */
function isRandomState(state: unknown): state is RandomState {
  try {
    Random.fromState(state as RandomState);
    return true;
  } catch {
    return false;
  }
}

/** Arrays of at least this many entries are set aside while the skeleton document is written (smaller ones cost little to write). */
const SET_ASIDE_MIN = 1024;

/**
 * The model's document without the cost of writing its large tensors (base64
 * of every parameter, tens of ms for an RBM 784×500 on a page's main thread):
 * the large typed arrays are set aside while `toDocument` writes a skeleton,
 * and every array goes as a copy in a snapshot (transferred). Any trouble
 * here: the full document; a skeleton the worker cannot rebuild (a tensor
 * whose shape is its own length, written empty): the worker asks for the full
 * document.
 */
function lightDocument(model: ModelWithRandom): { doc: ModelDocument; snapshot?: SnapshotEntry[] } {
  const entries = takeSnapshot(model);
  const swaps: { parent: Record<string, unknown>; key: string; value: unknown }[] = [];
  let doc: ModelDocument | undefined;
  try {
    for (const e of entries) {
      if (e.array === undefined || e.array.length < SET_ASIDE_MIN) continue;
      let parent = model as unknown as Record<string, unknown>;
      for (let k = 0; k < e.path.length - 1; k++) parent = parent[e.path[k] as string] as Record<string, unknown>;
      const key = e.path[e.path.length - 1] as string;
      swaps.push({ parent, key, value: parent[key] });
      parent[key] = new (e.array.constructor as new (n: number) => Float64Array)(0);
    }
    doc = model.toDocument();
  } catch {
    doc = undefined;
  } finally {
    for (let k = swaps.length - 1; k >= 0; k--) {
      const s = swaps[k] as (typeof swaps)[number];
      s.parent[s.key] = s.value;
    }
  }
  if (doc === undefined) return { doc: model.toDocument() };
  return { doc, snapshot: entries.map((e) => (e.array === undefined ? e : { path: e.path, array: e.array.slice() })) };
}

/** Runs one job in the worker and settles with its reply. */
function runInWorker(
  where: string,
  type: 'fit' | 'score',
  worker: unknown,
  model: unknown,
  data: unknown,
  options: unknown,
  run: WorkerRunOptions | undefined,
): Promise<{ reply: ReplyMessage; model: ModelWithRandom; kind: ModelKind }> {
  const w = checkWorker(where, worker);
  const r = checkOptionsKeys(where, run, RUN_KEYS);
  const registry = r.registry ?? MODEL_REGISTRY;
  if (registry === null || typeof registry !== 'object' || typeof registry.get !== 'function') {
    throw new TypeError(`${where}: registry must be a model registry (createRegistry) (got ${describeValue(registry)})`);
  }
  const { model: m, kind } = checkModel(where, model, registry);
  const x = toMatrix(where, 'data', data);
  const o = checkSendable(where, options);
  if (r.onProgress !== undefined && typeof r.onProgress !== 'function') throw new TypeError(`${where}: onProgress must be a function (got ${describeValue(r.onProgress)})`);
  const signal = r.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw new TypeError(`${where}: signal must be an AbortSignal (got ${describeValue(signal)})`);
  }
  const sliceMs = r.sliceMs === undefined ? 25 : checkInt(where, 'sliceMs', r.sliceMs, 0, 60_000);
  const onProgress = r.onProgress;
  const id = nextId++;
  const g = globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer; crossOriginIsolated?: boolean };
  const flag = typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false ? new Int32Array(new g.SharedArrayBuffer(4)) : undefined;
  const copy = Float64Array.from(x.data);
  const light = lightDocument(m);
  const transfer: ArrayBuffer[] = [copy.buffer];
  // the snapshot's arrays are fresh slice() copies: each over an ArrayBuffer of its own, never shared
  for (const e of light.snapshot ?? []) if (e.array !== undefined) transfer.push(e.array.buffer as ArrayBuffer);
  const job: JobMessage = {
    boltzmann: TAG,
    type,
    id,
    doc: light.doc,
    ...(light.snapshot ? { snapshot: light.snapshot } : {}),
    random: m.random.getState(),
    rows: x.rows,
    cols: x.cols,
    data: copy,
    options: o,
    sliceMs,
    ...(flag ? { flag } : {}),
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      settled = true;
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      if (flag) Atomics.store(flag, 0, 1);
      w.postMessage({ boltzmann: TAG, type: 'abort', id }, []);
      if (type === 'score' && !settled) {
        // a score has nothing to keep: reject at once, as runStepped does, with the signal's reason
        cleanup();
        reject(signal?.reason ?? new Error(`${where}: aborted`));
      }
    };
    const onError = (ev: WorkerEventLike): void => {
      if (settled) return;
      cleanup();
      const cause = ev?.error ?? ev;
      reject(new ModelWorkerError(`${where}: the worker failed (${ev?.message ?? describeValue(cause)}); the model is unchanged`, { cause }));
    };
    const onMessage = (ev: WorkerEventLike): void => {
      const msg = ev?.data;
      if (!isTagged(msg) || msg.id !== id || settled) return;
      const reply = msg as unknown as ReplyMessage;
      if (reply.type === 'need-document') {
        // the worker could not rebuild the model from the skeleton: the full document (slower to write)
        w.postMessage({ boltzmann: TAG, type: 'document', id, doc: m.toDocument() }, []);
        return;
      }
      if (reply.type === 'progress') {
        if (onProgress && reply.progress) onProgress(reply.progress);
        return;
      }
      cleanup();
      if (reply.type === 'error') {
        if (reply.name === 'AbortError' && signal?.aborted) {
          reject(signal.reason ?? new Error(`${where}: aborted`));
          return;
        }
        const Ctor = ERROR_CLASSES[reply.name ?? ''];
        reject(Ctor ? new Ctor(reply.message ?? '') : new ModelWorkerError(`${where}: the worker failed: ${reply.name ?? 'Error'}: ${reply.message ?? ''}; the model is unchanged`));
        return;
      }
      resolve({ reply, model: m, kind });
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    if (signal) {
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (settled) return;
    try {
      w.postMessage(job, transfer);
    } catch (e) {
      cleanup();
      reject(new ModelWorkerError(`${where}: the job could not be sent to the worker (${e instanceof Error ? e.message : String(e)})`, { cause: e }));
    }
  });
}

/**
 * `model.fit(data, options)` in a worker that runs {@link serveModelWorker}:
 * the page's main thread stays free. The model's document, its generator
 * state and a copy of the data (transferred) are sent; when the worker is done,
 * the trained parameters and the generator state are loaded back INTO `model`
 * (in place, as `fit` does), bit for bit what `model.fit(data, options)` on
 * this thread gives. The trainer is not kept here: a later `partialFit` starts
 * a new one.
 *
 * Progress: `onProgress` gets an event about every `sliceMs` and at the end of
 * every epoch, with the epoch's metrics (computed as when `fit` is given an
 * `onEpoch`, so the result's `history` is the one `model.fit(data, { ...options,
 * onEpoch })` gives; the parameters do not depend on it).
 *
 * Abort: as `fit` with a signal, an aborted fit stops before the next update
 * and is not an error: the promise resolves with `aborted: true`, and `model`
 * holds every update made before the abort (the epochs completed and the part
 * of the current one). An RBM sees the abort before its next mini-batch in any
 * page; other families where `SharedArrayBuffer` exists (Node, cross-origin
 * isolated pages), else when their `fit` ends.
 *
 * @param worker - a `Worker` running `serveModelWorker()` (in Node: `nodeWorkerPort(worker)`)
 * @param model - a model of a registered kind; updated in place
 * @param data - training rows (any {@link DataInput}; copied, not modified)
 * @param options - the model's `fit` options, as data (seeds, not generators; no functions)
 * @param run - `onProgress`, `signal`, `sliceMs`, `registry`
 * @returns the fit's result
 * @throws {TypeError | RangeError} on bad arguments (before anything is sent); the errors the model's own `fit` throws (same class and message); {@link ModelWorkerError} when the worker fails (the model is left as it was)
 * @example
 * ```ts
 * import { RBM, fitInWorker, serveModelWorker } from 'boltzmann';
 * // in a page: const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }),
 * // whose script calls serveModelWorker(); here the two ends of a MessageChannel stand in for them
 * const { port1: worker, port2: workerSelf } = new MessageChannel();
 * const stop = serveModelWorker(workerSelf);
 * const images = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1 });
 * let progress = '';
 * const r = await fitInWorker(worker, rbm, images, { epochs: 10 }, { onProgress: (p) => { progress = `${p.done}/${p.total}`; } });
 * r.epochs; // 10; rbm holds the trained parameters
 * progress; // '40/40': mini-batch updates done, of all
 * stop();
 * worker.close();
 * ```
 * @category Training
 */
export async function fitInWorker<M extends object>(worker: ModelWorkerLike, model: M, data: DataInput, options?: WorkerOptions<FitOptionsOf<M>>, run?: WorkerRunOptions): Promise<FitResult> {
  const where = 'fitInWorker';
  const { reply, model: m, kind } = await runInWorker(where, 'fit', worker, model, data, options, run);
  const result = reply.result as FitResult;
  const m0 = m as unknown as Record<string, unknown>;
  const misfit = result === null || typeof result !== 'object' || !Array.isArray(result.history) ? 'result' : applySnapshot(m0, reply.snapshot);
  if (misfit !== undefined) {
    throw new ModelWorkerError(`${where}: the worker's model does not fit this ${kind.kind} (at ${misfit}); the model is unchanged`);
  }
  for (const key of SKIPPED_KEYS) if (m0[key] !== undefined) m0[key] = undefined;
  return result;
}

/**
 * `model.score(data, options)` in a worker that runs {@link serveModelWorker}.
 * The model's generator state goes with it and comes back, so the result and
 * the model's stream afterwards are bit for bit those of `model.score` on this
 * thread. An RBM's AIS runs β step by β step with pauses for the worker's event
 * loop, so `signal` stops it within a slice; when aborted, the promise
 * rejects at once with the signal's reason (as `runStepped` does) and the
 * model's stream is not advanced. (Other scores run in one go: the promise
 * still rejects at once, but the worker finishes that score before its next job.)
 *
 * @param worker - a `Worker` running `serveModelWorker()` (in Node: `nodeWorkerPort(worker)`)
 * @param model - a model of a registered kind
 * @param data - rows to score (any {@link DataInput}; copied)
 * @param options - the model's `score` options, as data (`rng` a seed)
 * @param run - `onProgress` (β steps), `signal`, `sliceMs`, `registry`
 * @returns the score
 * @throws {TypeError | RangeError} on bad arguments; the errors the model's own `score` throws; {@link ModelWorkerError} when the worker fails; the signal's reason when aborted
 * @example
 * ```ts
 * import { RBM, scoreInWorker, serveModelWorker } from 'boltzmann';
 * // in a page, worker is a Worker whose script calls serveModelWorker(); here a MessageChannel stands in for it
 * const { port1: worker, port2: workerSelf } = new MessageChannel();
 * const stop = serveModelWorker(workerSelf);
 * const images = [[1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1 });
 * const r = await scoreInWorker(worker, rbm, images, { method: 'ais', aisRuns: 100 }, { signal: AbortSignal.timeout(60_000) });
 * r.mean; // the mean log-likelihood, nats per row
 * stop();
 * worker.close();
 * ```
 * @category Evaluation
 */
export async function scoreInWorker<M extends object>(worker: ModelWorkerLike, model: M, data: DataInput, options?: WorkerOptions<ScoreOptionsOf<M>>, run?: WorkerRunOptions): Promise<ScoreResult> {
  const where = 'scoreInWorker';
  const { reply, model: m } = await runInWorker(where, 'score', worker, model, data, options, run);
  const result = reply.result as ScoreResult;
  if (result === null || typeof result !== 'object' || typeof result.mean !== 'number') {
    throw new ModelWorkerError(`${where}: the worker's reply holds no score; the model is unchanged`);
  }
  if (reply.random !== undefined) {
    if (!isRandomState(reply.random)) throw new ModelWorkerError(`${where}: the worker's generator state is malformed; the model is unchanged`);
    m.random.setState(reply.random);
  }
  return result;
}
