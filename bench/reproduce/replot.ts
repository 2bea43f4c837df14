/**
 * Redraws the published likelihood-versus-epoch figures from bench/reproduce/results.json alone
 * (each entry holds its run's monitor curve, final figures and command), for the runs whose
 * checkpoints are not at hand — they are git-ignored and stay on the machine that trained:
 *
 *   node --import tsx bench/reproduce/replot.ts [--results bench/reproduce/results.json] [--check]
 *
 * For every rbm-paper, dbn-paper and dbm-paper entry whose `<name>.svg` lies next to the results
 * file, it rewrites that SVG with the same drawing the run's script uses (`plots.ts`); a DBM run
 * that trained on past its entry is drawn to the epoch its latest annealed tail left it at
 * ({@link runningFigureOf}). It creates no other file. `--check` writes nothing and exits 1 when a
 * figure would change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from './cli-args.js';
import { DBM_PAPER, type DbmCurveRow, type PretrainRule } from './dbm-paper-protocol.js';
import type { DbnCurveRow } from './dbn-paper-protocol.js';
import { dbmPaperPlot, dbnPaperPlot, rbmPaperPlot } from './plots.js';
import { PAPER_PROTOCOLS, type PaperCurveRow } from './rbm-paper-protocol.js';

/** The fields of a results.json entry that the figures need. */
interface Entry {
  name: string;
  command?: string;
  curve?: unknown[];
  testLL?: number;
  epochs?: number;
  pretrainEpochs?: number[];
  testBoundCeiling?: number;
  aisBelowCertified?: boolean;
  ais?: string;
  warmStart?: { epochs: number; bottomSource: string };
}

/** The value after `--flag` in a recorded command, or undefined. */
export function flagOf(command: string, flag: string): string | undefined {
  const m = command.match(new RegExp(`--${flag} (\\S+)`));
  return m?.[1];
}

/** The run a DBM figure shows: its pretraining epochs, the command that made `curve`, the joint epoch it stands at. */
function dbmRun(pretrainEpochs: number[], cmd: string, curve: DbmCurveRow[], epoch: number, anneal?: { from: number; epochs: number }) {
  return {
    curve,
    anneal,
    sizes: (flagOf(cmd, 'sizes') ?? DBM_PAPER.sizes.join(',')).split(',').map(Number),
    pretrainDone: [pretrainEpochs[0] as number, pretrainEpochs[1] as number] as [number, number],
    pretrainRule: (flagOf(cmd, 'pretrain') ?? 'cd1') as PretrainRule,
    phase: 'joint' as const,
    epoch,
  };
}

/** The SVG a results entry's figure is, drawn from the entry alone; undefined for entries without one. */
export function figureOf(e: Entry): string | undefined {
  const cmd = e.command ?? '';
  const curve = e.curve;
  if (curve === undefined || curve.length === 0) return undefined;
  const annealFrom = flagOf(cmd, 'anneal-from');
  if (e.name.startsWith('rbm-paper-')) {
    const protocol = PAPER_PROTOCOLS[flagOf(cmd, 'protocol') ?? ''];
    if (protocol === undefined) return undefined;
    return rbmPaperPlot(curve as PaperCurveRow[], { protocol, annealFrom: annealFrom === undefined ? undefined : Number(annealFrom), aisTestLL: e.testLL });
  }
  if (e.name.startsWith('dbn-paper-')) {
    return dbnPaperPlot(curve as DbnCurveRow[], {
      warmStart: e.warmStart,
      topHidden: Number(flagOf(cmd, 'top-hidden') ?? 2000),
      scheduleSpec: flagOf(cmd, 'k-schedule') ?? '',
      input: flagOf(cmd, 'input') ?? 'samples',
      aisTestLL: e.testLL,
    });
  }
  if (e.name.startsWith('dbm-paper-')) {
    const rows = curve as DbmCurveRow[];
    const joint = rows.filter((r) => r.phase === 'joint');
    if (e.epochs === undefined || e.pretrainEpochs === undefined || joint.length === 0) return undefined;
    const aisMatch = (e.ais ?? '').match(/^(\d+) runs x (\d+) betas/);
    const anneal = annealFrom === undefined ? undefined : { from: Number(annealFrom), epochs: Number(flagOf(cmd, 'anneal-epochs') ?? 20) };
    const c = dbmRun(e.pretrainEpochs, cmd, rows, e.epochs, anneal);
    const final =
      e.testLL === undefined || e.testBoundCeiling === undefined || aisMatch === null
        ? undefined
        : { epoch: e.epochs, bound: e.testLL, ceiling: e.testBoundCeiling, valid: e.aisBelowCertified !== true, runs: Number(aisMatch[1]), betas: Number(aisMatch[2]) };
    return dbmPaperPlot(c, Number(flagOf(cmd, 'monitor-rows') ?? 1000), final);
  }
  return undefined;
}

/**
 * A DBM run's own figure where it went on training after its entry was written: its annealed
 * tails (`<run>-anneal<F>x<N>-seed<s>`) copied its checkpoint at joint epoch F, so the tail with
 * the largest F carries the run's curve up to F — what `dbm-paper.ts --plot-only` drew from the
 * checkpoint then (no final evaluation: "running"). Undefined when no tail goes past the entry.
 */
export function runningFigureOf(e: Entry, entries: readonly Entry[]): string | undefined {
  const m = e.name.match(/^(dbm-paper-.*)-seed(\d+)$/);
  if (m === null || e.name.includes('-anneal') || e.epochs === undefined || e.pretrainEpochs === undefined) return undefined;
  let best: { from: number; tail: Entry } | undefined;
  for (const t of entries) {
    const a = t.name.match(/^(.*)-anneal(\d+)x\d+-seed(\d+)$/);
    if (a === null || a[1] !== m[1] || a[3] !== m[2] || t.curve === undefined) continue;
    const from = Number(a[2]);
    if (from > e.epochs && (best === undefined || from > best.from)) best = { from, tail: t };
  }
  if (best === undefined) return undefined;
  const cmd = best.tail.command ?? '';
  const from = best.from;
  const curve = (best.tail.curve as DbmCurveRow[]).filter((r) => r.phase !== 'joint' || r.epoch <= from);
  return dbmPaperPlot(dbmRun(e.pretrainEpochs, cmd, curve, from), Number(flagOf(cmd, 'monitor-rows') ?? 1000));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { has, str } = scriptArgs('replot');
  const here = dirname(fileURLToPath(import.meta.url));
  const resultsFile = resolve(str('results', join(here, 'results.json')));
  const check = has('check');
  const entries = JSON.parse(readFileSync(resultsFile, 'utf8')) as Entry[];
  let changed = 0;
  for (const e of entries) {
    const file = join(dirname(resultsFile), `${e.name}.svg`);
    if (!existsSync(file)) continue;
    const svg = runningFigureOf(e, entries) ?? figureOf(e);
    if (svg === undefined) continue;
    const same = readFileSync(file, 'utf8') === svg;
    if (!same) changed++;
    if (!check && !same) writeFileSync(file, svg);
    console.log(`${same ? 'unchanged' : check ? 'would change' : 'redrawn'}: ${e.name}.svg`);
  }
  if (check && changed > 0) process.exit(1);
}
