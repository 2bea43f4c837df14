/**
 * Training curves as SVG from any `FitResult.history` (through {@link linePlot}).
 * @module
 */
import { describeValue } from '../../errors.js';
import type { EpochMetrics, FitResult } from '../../models/contract.js';
import { checkOptionsKeys, optionKeys } from '../../validate.js';
import { linePlot } from '../svg.js';

/**
 * The per-epoch metrics {@link trainingCurveSvg} can draw, in its default order.
 * @example
 * ```ts
 * import { CURVE_METRICS } from 'boltzmann';
 * CURVE_METRICS.includes('logLikelihood'); // true
 * ```
 * @category Data & files
 */
export const CURVE_METRICS = [
  'logLikelihood',
  'pseudoLikelihood',
  'logLikelihoodUpperBound',
  'logZLowerBound',
  'loss',
  'reconstructionError',
  'trainFreeEnergy',
  'validationFreeEnergy',
  'freeEnergyGap',
  'stableFraction',
  'meanOverlap',
  'changedPairs',
  'meanFieldIterations',
] as const;

/** A metric {@link trainingCurveSvg} can draw.
 * @category Data & files
 */
export type CurveMetric = (typeof CURVE_METRICS)[number];

/** Options of {@link trainingCurveSvg}.
 * @category Data & files
 */
export interface TrainingCurveOptions {
  /** Metrics to draw. Default: every metric of {@link CURVE_METRICS} with a finite value in some epoch. */
  metrics?: readonly CurveMetric[];
  /** Title. Default `'training curve'`. */
  title?: string;
  /** Label of the y axis. Default: the metric's name when there is one, else `'value'`. */
  yLabel?: string;
  /** Width in pixels. Default 640. */
  width?: number;
  /** Height in pixels. Default 400. */
  height?: number;
}

const CURVE_KEYS = optionKeys<TrainingCurveOptions>()({ metrics: true, title: true, yLabel: true, width: true, height: true });

/**
 * One line per metric against the epoch count (1, 2, … over all stages), with
 * a labelled vertical mark where a multi-stage fit (DBN layers, DBM
 * pretraining) enters a new stage. Epochs without a finite value leave a gap.
 *
 * @param history - `FitResult.history`, or the `FitResult` itself
 * @param options - metrics, title, y label, size
 * @returns the SVG document
 * @throws {TypeError} on a bad history or option; RangeError when no chosen metric has a value
 * @example
 * ```ts
 * import { trainingCurveSvg } from 'boltzmann';
 * const history = [
 *   { epoch: 0, steps: 10, learningRate: 0.1, seconds: 0.01, logLikelihood: -5.2 },
 *   { epoch: 1, steps: 20, learningRate: 0.1, seconds: 0.01, logLikelihood: -4.1 },
 * ];
 * trainingCurveSvg(history).startsWith('<svg'); // true
 * ```
 * @category Data & files
 */
export function trainingCurveSvg(history: readonly EpochMetrics[] | FitResult, options?: TrainingCurveOptions): string {
  const where = 'trainingCurveSvg';
  const h = Array.isArray(history) ? history : (history as FitResult | null)?.history;
  if (!Array.isArray(h) || h.some((e) => e === null || typeof e !== 'object')) {
    throw new TypeError(`${where}: history must be an array of EpochMetrics or a FitResult (got ${describeValue(history)})`);
  }
  const o = checkOptionsKeys(where, options, CURVE_KEYS);
  let metrics: CurveMetric[];
  if (o.metrics === undefined) metrics = CURVE_METRICS.filter((m) => h.some((e) => Number.isFinite(e[m])));
  else {
    if (!Array.isArray(o.metrics) || o.metrics.some((m) => !(CURVE_METRICS as readonly string[]).includes(m))) {
      throw new TypeError(`${where}: metrics must be names from CURVE_METRICS (got ${describeValue(o.metrics)})`);
    }
    metrics = [...o.metrics];
  }
  metrics = metrics.filter((m) => h.some((e) => Number.isFinite(e[m])));
  if (metrics.length === 0) throw new RangeError(`${where}: history has no finite value of ${o.metrics ? o.metrics.join(', ') : 'any metric'} (${h.length} epochs)`);
  const x = h.map((_, k) => k + 1);
  const series = metrics.map((m) => ({ name: m, x, y: h.map((e) => (Number.isFinite(e[m]) ? (e[m] as number) : Number.NaN)), markers: h.length <= 40 }));
  const marks: { x: number; label: string }[] = [];
  for (let k = 0; k < h.length; k++) {
    const s = h[k]?.stage;
    if (s !== undefined && (k === 0 || h[k - 1]?.stage !== s) && k > 0) marks.push({ x: k + 0.5, label: s });
  }
  return linePlot(series, {
    title: o.title ?? 'training curve',
    xLabel: 'epoch',
    yLabel: o.yLabel ?? (metrics.length === 1 ? (metrics[0] as string) : 'value'),
    width: o.width,
    height: o.height,
    marks,
    legend: metrics.length > 1,
  });
}
