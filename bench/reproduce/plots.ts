/**
 * The likelihood-versus-epoch figures of the reproduction runs (rbm-paper, dbn-paper, dbm-paper),
 * as pure functions of a run's monitor curve and final figures: the scripts draw them from their
 * checkpoints, and `replot.ts` redraws the published ones from results.json.
 */
import { linePlot } from '../../src/index.js';
import { DBM_PAPER, type DbmCheckpoint } from './dbm-paper-protocol.js';
import { DBN_PAPER_TEST_LL, type DbnCurveRow } from './dbn-paper-protocol.js';
import type { PaperCurveRow, PaperProtocol } from './rbm-paper-protocol.js';

/** The RBM figure: the monitor's certified upper bound, the pseudo-likelihood, the AIS estimate and the paper's figure. */
export function rbmPaperPlot(curve: readonly PaperCurveRow[], o: { protocol: PaperProtocol; annealFrom?: number; aisTestLL?: number }): string {
  const { protocol, annealFrom, aisTestLL } = o;
  const x = curve.map((r) => r.epoch);
  const last = x[x.length - 1] as number;
  const series = [
    { name: 'certified upper bound on test LL (monitor)', x, y: curve.map((r) => r.testLLUpperBound), markers: true },
    { name: 'test pseudo-log-likelihood', x, y: curve.map((r) => r.pseudoLikelihood), dashed: true },
    ...(annealFrom === undefined ? [] : [{ name: `learning-rate decay 0.1 → 0 from epoch ${annealFrom}`, x: [annealFrom, annealFrom], y: [Math.min(...curve.map((r) => r.testLLUpperBound)), protocol.paperTestLL], dashed: true }]),
    { name: `paper (S&M 2008): ${protocol.paperTestLL}`, x: [1, last], y: [protocol.paperTestLL, protocol.paperTestLL], dashed: true },
  ];
  if (aisTestLL !== undefined) series.push({ name: `AIS test LL at epoch ${last}: ${aisTestLL.toFixed(2)}`, x: [last], y: [aisTestLL], markers: true });
  const status = aisTestLL === undefined ? `, epoch ${last} (running)` : '';
  return linePlot(series, {
    title: `MNIST RBM 784-500, ${protocol.name === 'cd25' ? 'CD-25 (k 1→25)' : protocol.describe}, S&M 2008 protocol${status}`,
    xLabel: 'epoch',
    yLabel: 'nats per test digit',
    width: 760,
    height: 420,
  });
}

/** The DBN figure: the top RBM's certified bound is on h₁, so it shows `dbnBoundUpper` (and the paper, and AIS). */
export function dbnPaperPlot(
  curve: readonly DbnCurveRow[],
  o: { warmStart?: { epochs: number; bottomSource: string }; topHidden: number; scheduleSpec: string; input: string; aisTestLL?: number },
): string {
  const { warmStart, aisTestLL } = o;
  const x = curve.map((r) => r.epoch);
  const last = x[x.length - 1] ?? 1;
  const w = warmStart?.epochs ?? 0;
  const before = curve.filter((r) => r.epoch <= w),
    after = curve.filter((r) => r.epoch > w);
  const series = [
    { name: 'S&M bound with the certified log Z_top lower bound (an upper bound on the AIS figure)', x: after.map((r) => r.epoch), y: after.map((r) => r.dbnBoundUpper), markers: true },
    { name: `paper (S&M 2008, DBN): ${DBN_PAPER_TEST_LL}`, x: [1, last], y: [DBN_PAPER_TEST_LL, DBN_PAPER_TEST_LL], dashed: true },
  ];
  if (before.length > 0) series.push({ name: `the same, epochs 1-${w} on the earlier bottom (${warmStart?.bottomSource.replace(/^.*\(/, '(')})`, x: before.map((r) => r.epoch), y: before.map((r) => r.dbnBoundUpper), markers: true });
  if (aisTestLL !== undefined) series.push({ name: `S&M bound, AIS log Z_top, epoch ${last}: ${aisTestLL.toFixed(2)}`, x: [last], y: [aisTestLL], markers: true });
  return linePlot(series, {
    title: `MNIST DBN 784-500-${o.topHidden} (CD-25 bottom), top RBM k ${o.scheduleSpec}, ${o.input}${aisTestLL === undefined ? `, epoch ${last} (running)` : ''}`,
    xLabel: 'epoch of the top RBM',
    yLabel: 'nats per test digit',
    width: 760,
    height: 420,
  });
}

/** `a` or `a–b`: the range of the values (the monitor's settings may change between sessions). */
const span = (x: number[]): string => (Math.min(...x) === Math.max(...x) ? String(x[0]) : `${Math.min(...x)}–${Math.max(...x)}`);

/** The final evaluation a DBM figure marks: the bound with full AIS and its certified ceiling. */
export interface DbmPlotFinal {
  epoch: number;
  bound: number;
  ceiling: number;
  valid: boolean;
  betas: number;
  runs: number;
}

/** The DBM figure: the bound versus the joint epoch (epoch 0: the composed, pretrained DBM). */
export function dbmPaperPlot(
  c: Pick<DbmCheckpoint, 'curve' | 'anneal' | 'sizes' | 'pretrainDone' | 'pretrainRule' | 'phase' | 'epoch'>,
  monitorRowCount: number,
  final?: DbmPlotFinal,
): string {
  const joint = c.curve.filter((r) => r.phase === 'joint');
  // short-AIS bounds whose log Z lies wholly below the certified floor are not valid: left out
  const withAIS = joint.filter((r) => r.shortAIS !== undefined && r.warning === undefined && (r.certifiedLogZLowerBound === undefined || r.shortAIS.logZUpper >= r.certifiedLogZLowerBound));
  const dropped = joint.filter((r) => r.shortAIS !== undefined).length - withAIS.length;
  const ceil = joint.filter((r) => r.boundCeiling !== undefined);
  const last = Math.max(1, ...joint.map((r) => r.epoch));
  const series = [
    { name: `certified ceiling on the bound: mean B(v) − log Σ e^B over rows + blank (${monitorRowCount} test rows)`, x: ceil.map((r) => r.epoch), y: ceil.map((r) => r.boundCeiling as number), markers: true },
    { name: `paper (S&H 2009, other binarization): ${DBM_PAPER.paperTestLL}`, x: [0, last], y: [DBM_PAPER.paperTestLL, DBM_PAPER.paperTestLL], dashed: true },
  ];
  if (c.anneal !== undefined) series.push({ name: `learning rate falls linearly towards 0 from joint epoch ${c.anneal.from} (our choice)`, x: [c.anneal.from, c.anneal.from], y: [DBM_PAPER.paperTestLL, Math.min(DBM_PAPER.paperTestLL, ...ceil.map((r) => r.boundCeiling as number), ...withAIS.map((r) => r.shortAIS?.bound as number)) - 10], dashed: true });
  if (withAIS.length > 0) series.push({ name: `test bound, SHORT AIS log Z (${span(withAIS.map((r) => r.shortAIS?.runs as number))} runs × ${span(withAIS.map((r) => r.shortAIS?.betas as number))} βs)`, x: withAIS.map((r) => r.epoch), y: withAIS.map((r) => r.shortAIS?.bound as number), markers: true });
  if (final !== undefined) {
    series.push({ name: `all 10 000 test rows at epoch ${final.epoch}: certified ceiling ${final.ceiling.toFixed(2)}`, x: [final.epoch], y: [final.ceiling], markers: true });
    if (final.valid) series.push({ name: `test bound at epoch ${final.epoch}, AIS ${final.runs} × ${final.betas}: ${final.bound.toFixed(2)}`, x: [final.epoch], y: [final.bound], markers: true });
  }
  const p = c.pretrainDone;
  const note = dropped > 0 || (final !== undefined && !final.valid) ? '; AIS estimates below the certified log Z floor left out' : '';
  return linePlot(series, {
    title: `MNIST DBM ${c.sizes.join('-')}, S&H 2009 protocol: ${c.pretrainRule === 'pcd' ? 'PCD ' : ''}pretraining ${p[0]} + ${p[1]} epochs, joint epoch ${c.phase === 'joint' ? c.epoch : 0}${final === undefined ? ' (running)' : ''}${note}`,
    xLabel: 'joint-training epoch (0: pretrained DBM)',
    yLabel: 'nats per test digit',
    width: 760,
    height: 420,
  });
}
