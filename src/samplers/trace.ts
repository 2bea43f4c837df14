/**
 * Per-update traces for teaching: which unit was visited, the local field it
 * saw, the energy change its update made, its new value and the energy after
 * it — as typed columns ({@link UpdateTrace}), as an array of records
 * ({@link traceRows}) and as a compact text table ({@link formatTrace}).
 *
 * Recorded by {@link HopfieldNetwork.evolve} with `trace: true` (one row per
 * flip) and by {@link QuadraticGibbs.traceSweeps} (one row per single-unit
 * update, flipped or not).
 * @module
 */
import { describeValue } from '../errors.js';
import { checkInt, checkOptionsKeys, LIMITS, optionKeys } from '../validate.js';

/**
 * A trace of single-unit updates as typed columns of equal length
 * {@link UpdateTrace.length}. Row `r` says: in sweep `sweep[r]` (1-based) unit
 * `unit[r]` saw the local field `localField[r]` (`h_i = Σ_j w_ij s_j + b_i`,
 * before the update), was set to `state[r]`, which changed the energy by
 * `deltaE[r] = −(s_new − s_old) · h_i`, leaving the energy `energy[r]`.
 * `flipped[r]` is 1 when the unit changed. `initialEnergy` is the energy
 * before the first row.
 * @category Sampling
 */
export interface UpdateTrace {
  /** Number of rows. */
  readonly length: number;
  /** Energy of the starting state. */
  readonly initialEnergy: number;
  /** Sweep of each row, counted from 1. */
  readonly sweep: Uint32Array;
  /** Unit index of each row. */
  readonly unit: Uint32Array;
  /** Local field the unit saw before its update. */
  readonly localField: Float64Array;
  /** Energy change made by the update (0 when the unit kept its value). */
  readonly deltaE: Float64Array;
  /** The unit's value after the update. */
  readonly state: Float64Array;
  /** Energy of the whole state after the update. */
  readonly energy: Float64Array;
  /** 1 when the unit changed value, else 0. */
  readonly flipped: Uint8Array;
}

/** One row of an {@link UpdateTrace} as a record ({@link traceRows}).
 * @category Sampling
 */
export interface UpdateTraceRow {
  /** Sweep, counted from 1. */
  sweep: number;
  /** Unit index. */
  unit: number;
  /** Local field before the update. */
  localField: number;
  /** Energy change made by the update. */
  deltaE: number;
  /** The unit's new value. */
  state: number;
  /** Energy after the update. */
  energy: number;
  /** Whether the unit changed value. */
  flipped: boolean;
}

/** Names of {@link UpdateTraceRecorder.push}'s four value arguments, for messages. */
const VALUE_NAMES = ['localField', 'deltaE', 'state', 'energy'] as const;

/**
 * Grows the columns of an {@link UpdateTrace} row by row (amortised O(1) per row).
 *
 * @example
 * ```ts
 * import { UpdateTraceRecorder } from 'boltzmann';
 * const rec = new UpdateTraceRecorder(-1);
 * rec.push(1, 0, -0.5, -1, 1, -2, true);
 * rec.finish().length; // 1
 * ```
 * @category Sampling
 */
export class UpdateTraceRecorder {
  private n = 0;
  private cap = 16;
  private sweep: Uint32Array = new Uint32Array(16);
  private unit: Uint32Array = new Uint32Array(16);
  private field: Float64Array = new Float64Array(16);
  private dE: Float64Array = new Float64Array(16);
  private value: Float64Array = new Float64Array(16);
  private e: Float64Array = new Float64Array(16);
  private flip: Uint8Array = new Uint8Array(16);

  /**
   * @param initialEnergy - the energy before the first row
   * @throws {TypeError} when `initialEnergy` is not a number
   */
  constructor(readonly initialEnergy: number) {
    if (typeof initialEnergy !== 'number') {
      throw new TypeError(`UpdateTraceRecorder: initialEnergy must be a number (got ${describeValue(initialEnergy)})`);
    }
  }

  /**
   * Appends one row. The row is checked (nothing is appended on an error): `sweep`
   * and `unit` integers in `[0, 2³²)`, the four values numbers, `flipped` a boolean;
   * a trace holds at most `LIMITS.maxElements` rows.
   *
   * @throws {TypeError | RangeError} on a bad row, or when the trace is full
   * @example
   * ```ts
   * import { UpdateTraceRecorder } from 'boltzmann';
   * new UpdateTraceRecorder(0).push(1, 2, 0.5, 0, 1, 0, false);
   * ```
   */
  push(sweep: number, unit: number, localField: number, deltaE: number, state: number, energy: number, flipped: boolean): void {
    const where = 'UpdateTraceRecorder.push';
    checkInt(where, 'sweep', sweep, 0, 0xffffffff);
    checkInt(where, 'unit', unit, 0, 0xffffffff);
    if (typeof localField !== 'number' || typeof deltaE !== 'number' || typeof state !== 'number' || typeof energy !== 'number') {
      const k = [localField, deltaE, state, energy].findIndex((v) => typeof v !== 'number');
      throw new TypeError(`${where}: ${VALUE_NAMES[k]} must be a number (got ${describeValue([localField, deltaE, state, energy][k])})`);
    }
    if (typeof flipped !== 'boolean') throw new TypeError(`${where}: flipped must be a boolean (got ${describeValue(flipped)})`);
    if (this.n === LIMITS.maxElements) throw new RangeError(`${where}: a trace holds at most ${LIMITS.maxElements} rows (LIMITS.maxElements)`);
    if (this.n === this.cap) this.grow();
    const r = this.n++;
    this.sweep[r] = sweep;
    this.unit[r] = unit;
    this.field[r] = localField;
    this.dE[r] = deltaE;
    this.value[r] = state;
    this.e[r] = energy;
    this.flip[r] = flipped ? 1 : 0;
  }

  /**
   * The recorded trace (columns trimmed to the row count).
   *
   * @example
   * ```ts
   * import { UpdateTraceRecorder } from 'boltzmann';
   * new UpdateTraceRecorder(0).finish().length; // 0
   * ```
   */
  finish(): UpdateTrace {
    const n = this.n;
    return {
      length: n,
      initialEnergy: this.initialEnergy,
      sweep: this.sweep.slice(0, n),
      unit: this.unit.slice(0, n),
      localField: this.field.slice(0, n),
      deltaE: this.dE.slice(0, n),
      state: this.value.slice(0, n),
      energy: this.e.slice(0, n),
      flipped: this.flip.slice(0, n),
    };
  }

  private grow(): void {
    const c = this.cap * 2;
    const u32 = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(c);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    this.sweep = u32(this.sweep);
    this.unit = u32(this.unit);
    this.field = f64(this.field);
    this.dE = f64(this.dE);
    this.value = f64(this.value);
    this.e = f64(this.e);
    const fl = new Uint8Array(c);
    fl.set(this.flip);
    this.flip = fl;
    this.cap = c;
  }
}

/**
 * The rows of a trace as an array of records.
 *
 * @param trace - a trace
 * @returns one record per row
 * @throws {TypeError} when `trace` is not an {@link UpdateTrace}
 * @example
 * ```ts
 * import { HopfieldNetwork, traceRows } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1]]);
 * const r = net.evolve(Float64Array.of(1, -1, -1, -1), { trace: true });
 * traceRows(r.trace!)[0].unit; // 1
 * ```
 * @category Sampling
 */
export function traceRows(trace: UpdateTrace): UpdateTraceRow[] {
  checkTrace('traceRows', trace);
  const rows: UpdateTraceRow[] = [];
  for (let r = 0; r < trace.length; r++) {
    rows.push({
      sweep: trace.sweep[r],
      unit: trace.unit[r],
      localField: trace.localField[r],
      deltaE: trace.deltaE[r],
      state: trace.state[r],
      energy: trace.energy[r],
      flipped: trace.flipped[r] === 1,
    });
  }
  return rows;
}

/**
 * Checks that `trace` is an {@link UpdateTrace}: typed columns (`Uint32Array`
 * sweep and unit, `Float64Array` values, `Uint8Array` flips) each of length
 * `trace.length`, and a numeric `initialEnergy`.
 */
function checkTrace(where: string, trace: unknown): UpdateTrace {
  const t = trace as UpdateTrace;
  const bad = (): never => {
    throw new TypeError(`${where}: trace must be an UpdateTrace (typed columns of length trace.length; got ${describeValue(trace)})`);
  };
  if (t === null || typeof t !== 'object') bad();
  const n = t.length;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || typeof t.initialEnergy !== 'number') bad();
  const columns: [unknown, new (n: number) => ArrayLike<number>][] = [
    [t.sweep, Uint32Array],
    [t.unit, Uint32Array],
    [t.localField, Float64Array],
    [t.deltaE, Float64Array],
    [t.state, Float64Array],
    [t.energy, Float64Array],
    [t.flipped, Uint8Array],
  ];
  for (const [col, type] of columns) if (!(col instanceof type) || col.length !== n) bad();
  return t;
}

/** Options of {@link formatTrace}.
 * @category Sampling
 */
export interface FormatTraceOptions {
  /** Digits after the decimal point for fields and energies. Default 3. */
  digits?: number;
  /** Most rows printed; the rest are summarised in one line. Default 200. */
  maxRows?: number;
}

const FORMAT_KEYS = optionKeys<FormatTraceOptions>()({ digits: true, maxRows: true });

/**
 * A compact text table of a trace: a header, the starting energy, one line per
 * row (`sweep unit h_i ΔE new E`, a `*` marking rows where the unit flipped).
 *
 * @param trace - a trace from {@link HopfieldNetwork.evolve} or {@link QuadraticGibbs.traceSweeps}
 * @param options - digits, row limit
 * @returns the table, lines joined by `\n`
 * @throws {TypeError | RangeError} on bad options, or when `trace` is not an {@link UpdateTrace}
 * @example
 * ```ts
 * import { HopfieldNetwork, formatTrace } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1]]);
 * console.log(formatTrace(net.evolve(Float64Array.of(1, -1, -1, -1), { trace: true }).trace!));
 * ```
 * @category Sampling
 */
export function formatTrace(trace: UpdateTrace, options?: FormatTraceOptions): string {
  const where = 'formatTrace';
  const o = checkOptionsKeys(where, options, FORMAT_KEYS);
  const digits = o.digits === undefined ? 3 : checkInt(where, 'digits', o.digits, 0, 12);
  const maxRows = o.maxRows === undefined ? 200 : checkInt(where, 'maxRows', o.maxRows, 0);
  checkTrace(where, trace);
  const num = (x: number): string => (Object.is(x, -0) ? 0 : x).toFixed(digits);
  const rows: string[][] = [['sweep', 'unit', 'field', 'dE', 'new', 'E', '']];
  const shown = Math.min(trace.length, maxRows);
  for (let r = 0; r < shown; r++) {
    rows.push([
      String(trace.sweep[r]),
      String(trace.unit[r]),
      num(trace.localField[r]),
      num(trace.deltaE[r]),
      (trace.state[r] > 0 ? '+' : '') + String(trace.state[r]),
      num(trace.energy[r]),
      trace.flipped[r] ? '*' : '',
    ]);
  }
  const widths = rows[0].map((_, c) => rows.reduce((w, row) => Math.max(w, row[c].length), 0));
  const line = (row: string[]): string =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]), `start E = ${num(trace.initialEnergy)}`];
  for (let r = 1; r < rows.length; r++) out.push(line(rows[r]));
  if (trace.length > shown) out.push(`… ${trace.length - shown} more rows`);
  return out.join('\n');
}
