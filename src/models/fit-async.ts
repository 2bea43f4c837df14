/**
 * Long work that lets the event loop run: a {@link SteppedWork} is a
 * synchronous computation cut into units (AIS β steps, Gibbs sweeps) that can
 * be advanced a few units at a time; {@link runStepped} drives one with a
 * pause for the event loop every few milliseconds, so that an `AbortSignal`
 * aborted by a timer, a button or Ctrl-C stops it, a progress bar redraws and a
 * browser page stays responsive. The numbers are those of the synchronous
 * computation, bit for bit: only the pauses differ.
 *
 * {@link fitAsync} does the same for training: a trainer with `fitSteps`
 * (`RBMTrainer`, `BoltzmannMachineTrainer`, `DBMTrainer`) is driven mini-batch by mini-batch with pauses between them;
 * any other trainer's `fit` one epoch at a time.
 * @module
 */
import { describeValue } from '../errors.js';
import { checkAbortSignal, checkInt, checkSteps, type DataInput, toMatrix } from '../validate.js';
import type { BaseFitOptions, EpochMetrics, FitResult } from './contract.js';
import { withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';

/**
 * A synchronous computation cut into `total` units of work, advanced a few at
 * a time (see {@link runStepped}). Advancing by `a` then `b` units gives the
 * same numbers as advancing by `a + b`.
 * @category Evaluation
 */
export interface SteppedWork<T> {
  /** Units of work in all (β steps, sweeps). */
  readonly total: number;
  /** Units done so far. */
  readonly done: number;
  /** Does up to `units` more units (fewer at the end). */
  advance(units: number): void;
  /** The result, once `done === total`. */
  result(): T;
  /** What the work is, for a progress line (e.g. `'AIS'`); optional. */
  readonly label?: string;
  /** What one unit is, plural, for a progress line (e.g. `'β steps'`); optional. */
  readonly unit?: string;
}

/** Options of {@link runStepped}.
 * @category Evaluation
 */
export interface RunSteppedOptions {
  /** Checked between units; when aborted, the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every slice with the units done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Longest run of units between pauses for the event loop, in milliseconds. Default `25`. */
  sliceMs?: number;
  /** Runs each slice inside `wrap` (e.g. a thread-count scope); default: called directly. */
  wrap?: <R>(fn: () => R) => R;
}

/**
 * Whether `x` is a {@link SteppedWork} (an object with `advance`, `result`, `total` and `done`).
 *
 * @param x - anything
 * @returns true for stepped work
 * @example
 * ```ts
 * import { isSteppedWork } from 'boltzmann';
 * isSteppedWork({ total: 1, done: 0, advance() {}, result: () => 1 }); // true
 * isSteppedWork(42); // false
 * ```
 * @category Evaluation
 */
export function isSteppedWork(x: unknown): x is SteppedWork<unknown> {
  if (x === null || typeof x !== 'object') return false;
  const w = x as Partial<SteppedWork<unknown>>;
  return typeof w.advance === 'function' && typeof w.result === 'function' && typeof w.total === 'number' && typeof w.done === 'number';
}

/**
 * A promise that settles after the event loop has run once (timers, I/O,
 * signals, a browser's input events): `setImmediate` in Node, a
 * `MessageChannel` message in a browser, else `setTimeout(0)`.
 *
 * @returns a promise that resolves on the next turn of the event loop
 * @example
 * ```ts
 * import { yieldToEventLoop } from 'boltzmann';
 * await yieldToEventLoop();
 * ```
 * @category Evaluation
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return new Promise((resolve) => si(resolve));
  }
  if (typeof g.MessageChannel === 'function') {
    const ch = new g.MessageChannel();
    return new Promise((resolve) => {
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function abortReason(signal: AbortSignal, where: string): unknown {
  return signal.reason ?? new Error(`${where}: aborted`);
}

/**
 * Drives `work` to the end, one unit at a time, pausing for the event loop
 * whenever `sliceMs` milliseconds have passed (and before the first unit), and
 * checking `signal` before every unit. The result is the one
 * `work.advance(work.total)` gives.
 *
 * @param work - the stepped computation
 * @param options - signal, progress callback, slice length, slice wrapper
 * @returns the work's result
 * @throws the signal's reason when aborted (the work is left part-done)
 * @throws {TypeError | RangeError} on bad options
 * @example
 * ```ts
 * import { RBM, rbmAISWork, runStepped, aisSchedule } from 'boltzmann';
 * const rbm = new RBM(6, 4, { rng: 1 });
 * const work = rbmAISWork(rbm, { betas: aisSchedule(10, 40, 100), runs: 10, rng: 2 });
 * const r = await runStepped(work, { signal: AbortSignal.timeout(60_000), onProgress: (d, t) => console.log(`${d}/${t}`) });
 * ```
 * @category Evaluation
 */
export async function runStepped<T>(work: SteppedWork<T>, options?: RunSteppedOptions): Promise<T> {
  const where = 'runStepped';
  if (!isSteppedWork(work)) throw new TypeError(`${where}: work must be stepped work (total, done, advance, result) (got ${describeValue(work)})`);
  const o = options ?? {};
  if (o === null || typeof o !== 'object') throw new TypeError(`${where}: options must be an object (got ${describeValue(o)})`);
  const signal = checkAbortSignal(where, o.signal);
  const sliceMs = o.sliceMs === undefined ? 25 : checkInt(where, 'sliceMs', o.sliceMs, 0, 60_000);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${where}: onProgress must be a function (got ${describeValue(o.onProgress)})`);
  if (o.wrap !== undefined && typeof o.wrap !== 'function') throw new TypeError(`${where}: wrap must be a function (got ${describeValue(o.wrap)})`);
  const wrap = o.wrap ?? (<R>(fn: () => R): R => fn());
  while (work.done < work.total) {
    await yieldToEventLoop();
    if (signal?.aborted) throw abortReason(signal, where);
    wrap(() => {
      const t0 = performance.now();
      do {
        work.advance(1);
      } while (work.done < work.total && !signal?.aborted && performance.now() - t0 < sliceMs);
    });
    o.onProgress?.(work.done, work.total);
  }
  if (signal?.aborted) throw abortReason(signal, where);
  return work.result();
}

/** The training side of the model contract that {@link fitAsync} drives.
 * @category Training
 */
export interface EpochFittable {
  /** Whole epochs over `data` (continuing the trainer's state). */
  fit(data: Matrix, options?: BaseFitOptions): FitResult;
  /**
   * Optional: `fit` as a generator that yields after every mini-batch update
   * and returns the fit's result (`RBMTrainer.fitSteps` and the like); when present,
   * {@link fitAsync} pauses for the event loop between mini-batches.
   */
  fitSteps?(data: Matrix, options?: BaseFitOptions): Iterator<void, FitResult, void>;
}

/** Extra options of {@link fitAsync}.
 * @category Training
 */
export interface FitAsyncOptions {
  /**
   * Longest run of mini-batches between pauses for the event loop, in
   * milliseconds, for trainers with `fitSteps`. Default `25`.
   */
  sliceMs?: number;
}

/**
 * The asynchronous form of a trainer's `fit`, with pauses for the event loop
 * so that an `AbortSignal` aborted by a timer or an event stops training and a
 * page stays responsive; `options.epochs` is required.
 *
 * - A trainer with `fitSteps` (`RBMTrainer`, `BoltzmannMachineTrainer`,
 *   `DBMTrainer`) is driven mini-batch by
 *   mini-batch, pausing whenever `sliceMs` (default 25 ms) have passed: a
 *   signal aborted by a timer stops it before the next mini-batch (at most one
 *   update after the timer fires), and everything is exactly what
 *   `trainer.fit(data, options)` gives: parameters, trainer state and the
 *   per-epoch metrics (their `seconds` include the pauses).
 * - Any other trainer (`EBMTrainer`, one of your own) runs one
 *   `trainer.fit(data, { ...options, epochs: 1 })` per epoch with a pause
 *   before each; a trainer that continues its own state between calls gives
 *   the parameters of one long `fit`, but a signal
 *   aborted during an epoch is seen when that epoch ends, and the per-epoch
 *   metrics use a monitor subset drawn per call.
 *
 * When aborted, the model is left as after the last completed update (no
 * update is half done) and the result says `aborted: true`. A model's own
 * `fit` starts a new trainer on every call, so pass the trainer, not the model.
 *
 * @param trainer - a trainer (anything with `fit(data, options)` that continues its state; `fitSteps` for per-batch pauses)
 * @param data - training rows (any {@link DataInput})
 * @param options - the trainer's fit options (`epochs`, `signal`, `onEpoch`, `threads`, ...) and `sliceMs`
 * @returns the concatenated history, epochs done, and whether the signal stopped it
 * @throws {TypeError | RangeError} on bad arguments, and what the trainer's `fit` throws
 * @example
 * ```ts
 * import { RBM, RBMTrainer, fitAsync } from 'boltzmann';
 * const trainer = new RBMTrainer(new RBM(4, 2, { rng: 1 }), { batchSize: 2 });
 * const r = await fitAsync(trainer, [[1, 0, 1, 0], [0, 1, 0, 1]], { epochs: 5, signal: AbortSignal.timeout(10_000) });
 * r.epochs; // 5
 * ```
 * @category Training
 */
export async function fitAsync<O extends BaseFitOptions>(trainer: EpochFittable, data: DataInput, options?: O & FitAsyncOptions): Promise<FitResult> {
  const where = 'fitAsync';
  if (trainer === null || typeof trainer !== 'object' || typeof trainer.fit !== 'function') {
    throw new TypeError(`${where}: trainer must have a fit(data, options) method (got ${describeValue(trainer)})`);
  }
  const o = (options ?? {}) as O & FitAsyncOptions;
  if (o === null || typeof o !== 'object') throw new TypeError(`${where}: options must be an object (got ${describeValue(o)})`);
  if (o.epochs === undefined) throw new TypeError(`${where}: options.epochs is required (the trainers' defaults differ)`);
  const epochs = checkSteps(where, 'epochs', o.epochs, 0);
  const signal = checkAbortSignal(where, o.signal);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new TypeError(`${where}: onEpoch must be a function (got ${describeValue(o.onEpoch)})`);
  const sliceMs = o.sliceMs === undefined ? 25 : checkInt(where, 'sliceMs', o.sliceMs, 0, 60_000);
  const { sliceMs: _slice, ...fitOptions } = o;
  const m = toMatrix(where, 'data', data);
  if (typeof trainer.fitSteps === 'function') {
    if (epochs === 0) return { history: [], epochs: 0, aborted: false };
    const it = trainer.fitSteps(m, { ...fitOptions, epochs } as BaseFitOptions);
    const threads = (o as { threads?: number }).threads;
    for (;;) {
      await yieldToEventLoop();
      const r = withThreads(threads, () => {
        const t0 = performance.now();
        let step = it.next();
        while (step.done !== true && performance.now() - t0 < sliceMs) step = it.next();
        return step;
      });
      if (r.done === true) return r.value;
    }
  }
  const history: EpochMetrics[] = [];
  let done = 0;
  let stop = false;
  const onEpoch = (metrics: EpochMetrics): unknown => {
    const r = o.onEpoch?.(metrics);
    if (r === false) stop = true;
    return r;
  };
  for (let e = 0; e < epochs; e++) {
    await yieldToEventLoop();
    if (signal?.aborted) return { history, epochs: done, aborted: true };
    const r = trainer.fit(m, { ...fitOptions, epochs: 1, onEpoch } as BaseFitOptions);
    history.push(...r.history);
    done += r.epochs;
    if (r.aborted) return { history, epochs: done, aborted: true };
    if (stop) break;
  }
  return { history, epochs: done, aborted: false };
}

/**
 * Two stepped computations in sequence: `first`, then the work `next` builds from its result,
 * whose total must be `nextTotal` (checked when it is built). Progress counts both.
 *
 * @param first - the first work
 * @param next - builds the second work from the first's result
 * @param nextTotal - the second work's units
 * @returns the chained work
 * @throws {RangeError} on a negative or fractional `nextTotal`
 * @throws {TypeError} when `first` is not stepped work or `next` not a function
 * @example
 * ```ts
 * import { DBM, dbmAISWork, dbmHiddenBaseRatesWork, thenWork, aisSchedule } from 'boltzmann';
 * const dbm = new DBM([4, 3, 2], { rng: 1 }), data = [[1, 0, 1, 0]], betas = aisSchedule(5, 10, 20);
 * const work = thenWork(dbmHiddenBaseRatesWork(dbm, data), (hiddenBase) => dbmAISWork(dbm, { base: data, hiddenBase, betas, runs: 4, rng: 1 }), betas.length - 1);
 * work.advance(work.total);
 * work.result().logZ;
 * ```
 * @category Training
 */
export function thenWork<A, B>(first: SteppedWork<A>, next: (a: A) => SteppedWork<B>, nextTotal: number): SteppedWork<B> {
  if (!isSteppedWork(first)) throw new TypeError(`thenWork: first must be stepped work { total, done, advance, result } (got ${describeValue(first)})`);
  if (typeof next !== 'function') throw new TypeError(`thenWork: next must be a function (got ${describeValue(next)})`);
  if (!Number.isInteger(nextTotal) || nextTotal < 0) throw new RangeError(`thenWork: nextTotal must be a non-negative integer (got ${describeValue(nextTotal)})`);
  let second: SteppedWork<B> | undefined;
  const start = (): SteppedWork<B> => {
    if (second === undefined) {
      second = next(first.result());
      if (!isSteppedWork(second)) throw new TypeError(`thenWork: next must return stepped work (got ${describeValue(second)})`);
      if (second.total !== nextTotal) throw new RangeError(`thenWork: the second work has ${describeValue(second.total)} units, not ${nextTotal}`);
    }
    return second;
  };
  return {
    get total() {
      return first.total + nextTotal;
    },
    get done() {
      return first.done + (second?.done ?? 0);
    },
    get label() {
      return second === undefined ? first.label : second.label;
    },
    get unit() {
      return second === undefined ? first.unit : second.unit;
    },
    advance(units: number): void {
      let left = units;
      if (first.done < first.total) {
        const before = first.done;
        first.advance(left);
        left -= first.done - before;
      }
      if (left > 0 && first.done >= first.total) start().advance(left);
    },
    result: () => start().result(),
  };
}

/**
 * `work` with its result passed through `f` (same units, same progress).
 *
 * @param work - stepped work
 * @param f - maps the result
 * @returns stepped work whose result is `f(work.result())`
 * @throws {TypeError} when `work` is not stepped work or `f` not a function
 * @example
 * ```ts
 * import { RBM, rbmAISWork, mapWork, aisSchedule } from 'boltzmann';
 * const w = mapWork(rbmAISWork(new RBM(6, 4, { rng: 1 }), { betas: aisSchedule(5, 20, 50), runs: 10, rng: 2 }), (r) => r.logZ);
 * w.advance(w.total);
 * w.result(); // log Z
 * ```
 * @category Evaluation
 */
export function mapWork<A, B>(work: SteppedWork<A>, f: (a: A) => B): SteppedWork<B> {
  if (!isSteppedWork(work)) throw new TypeError(`mapWork: work must be stepped work { total, done, advance, result } (got ${describeValue(work)})`);
  if (typeof f !== 'function') throw new TypeError(`mapWork: f must be a function (got ${describeValue(f)})`);
  return {
    get total() {
      return work.total;
    },
    get done() {
      return work.done;
    },
    advance: (units: number) => work.advance(units),
    result: () => f(work.result()),
    ...(work.label === undefined ? {} : { label: work.label }),
    ...(work.unit === undefined ? {} : { unit: work.unit }),
  };
}
