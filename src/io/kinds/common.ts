/**
 * Helpers shared by the built-in kinds' command-line hooks.
 * @module
 */
import type { JsonValue } from '../../document.js';
import type { Matrix } from '../../linalg/matrix.js';
import type { ScoreResult } from '../../models/contract.js';
import type { EvaluateReport, KindOption, ModelKind, Saveable } from '../registry.js';

/** A number option's value, or undefined (the library's default) when null.
 * @category Data & files
 */
export function num(x: JsonValue | undefined): number | undefined {
  return typeof x === 'number' ? x : undefined;
}

/** Formats a number with `digits` decimals (non-finite values as they are).
 * @category Data & files
 */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** The mean of an array.
 * @category Data & files
 */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Copies the rows `idx` of `m` into `buf` and returns them as a matrix view.
 * @category Data & files
 */
export function gather(m: Matrix, idx: Uint32Array, buf: Float64Array): Matrix {
  const d = m.cols;
  for (let r = 0; r < idx.length; r++) {
    const src = (idx[r] as number) * d;
    buf.set(m.data.subarray(src, src + d), r * d);
  }
  return { rows: idx.length, cols: d, data: buf.subarray(0, idx.length * d) };
}

/** The first `rows` rows of `m` (a view), for the per-epoch metrics.
 * @category Data & files
 */
export function firstRows(m: Matrix, rows: number): Matrix {
  const r = Math.min(rows, m.rows);
  return { rows: r, cols: m.cols, data: m.data.subarray(0, r * m.cols) };
}

/** Options shared by the trainers: mini-batch, learning rate, weight decay.
 * @category Data & files
 */
export function sgdOptions(batchSize: number, lr: number): KindOption[] {
  return [
    { name: 'batch-size', type: 'int', default: batchSize, help: 'mini-batch size' },
    { name: 'lr', type: 'number', default: lr, min: 0, max: 1e6, help: 'learning rate' },
    { name: 'weight-decay', type: 'number', min: 0, max: 1e6, help: 'L2 weight decay (default 0)' },
  ];
}

/** `--momentum`.
 * @category Data & files
 */
export const MOMENTUM: KindOption = { name: 'momentum', type: 'number', min: 0, max: 1, maxOpen: true, help: 'momentum in [0, 1) (default 0)' };

/** The AIS options of `eval`.
 * @category Data & files
 */
export const AIS_OPTIONS: readonly KindOption[] = [
  { name: 'runs', type: 'int', default: 100, help: 'AIS runs' },
  { name: 'ais-steps', type: 'int', default: 14500, min: 3, help: 'AIS β steps (the published schedule scaled)' },
  { name: 'exact', type: 'boolean', help: 'insist on the exact computation (error if too large)' },
];

/** The ±1 spins of a row of 0/1 bits (`2x − 1`): how the command line's 0/1 data reach the spin models. @internal */
export function spinsFromBits(bits: ArrayLike<number>): Float64Array {
  return Float64Array.from(bits, (x) => 2 * x - 1);
}

/** The `eval` report of a contract `score` result.
 * @category Data & files
 */
export function scoreReport(r: ScoreResult, rows: number): EvaluateReport {
  const interval = r.lower === r.upper ? '' : ` [${fmt(r.lower, 4)}, ${fmt(r.upper, 4)}]`;
  return {
    fields: {
      method: r.method,
      logLikelihood: r.mean,
      logLikelihoodLower: r.lower,
      logLikelihoodUpper: r.upper,
      rows,
      ...(r.logZ === undefined ? {} : { logZ: r.logZ }),
      ...(r.ess === undefined ? {} : { effectiveSampleSize: r.ess }),
      ...floorFields(r),
    },
    lines: [`average log-likelihood = ${fmt(r.mean, 6)}${interval} nats over ${rows} rows (${r.method})`, ...floorLines(r)],
  };
}

/** The report fields of a score's certified `log Z` floor and its warning, where it has them. */
export function floorFields(r: ScoreResult): Record<string, number | string> {
  return { ...(r.logZLowerBound === undefined ? {} : { logZLowerBound: r.logZLowerBound }), ...(r.warning === undefined ? {} : { warning: r.warning }) };
}

/** The report lines of a score's certified `log Z` floor and its warning, where it has them. */
export function floorLines(r: ScoreResult): string[] {
  const out: string[] = [];
  if (r.logZLowerBound !== undefined && r.logZ !== undefined) {
    out.push(`certified log Z ≥ ${fmt(r.logZLowerBound, 4)} (blank image and scored rows): average log-likelihood ≤ ${fmt(r.mean + r.logZ - r.logZLowerBound, 4)} whatever AIS says`);
  }
  if (r.warning !== undefined) out.push(`WARNING: ${r.warning}`);
  return out;
}

/**
 * A kind the command line loads and inspects but does not train: its name,
 * title, class (for `is` and `fromDocument`) and visible-unit count, plus any
 * extra hooks (e.g. `evaluate`).
 * @category Data & files
 */
export function loadOnlyKind<M extends Saveable>(
  kind: string,
  title: string,
  cls: (abstract new (...args: never[]) => M) & { fromDocument(doc: unknown): M },
  nVisible: (m: M) => number,
  extra?: Pick<ModelKind<M>, 'evaluate'>,
): ModelKind<M> {
  return {
    kind,
    title,
    is: (m): m is M => m instanceof cls,
    fromDocument: (doc) => cls.fromDocument(doc),
    nVisible,
    ...extra,
  };
}
