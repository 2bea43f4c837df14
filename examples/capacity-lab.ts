/**
 * The Hopfield capacity lab: sweeps the load α = P/N for Hebbian, Storkey,
 * pseudo-inverse and contrastive storage and writes CSV files and SVG plots
 * with the published marks:
 *
 * - overlap reached from a clean cue against α, Hebbian at N = 200 … 2000
 *   (the Amit–Gutfreund–Sompolinsky breakdown at α ≈ 0.138 sharpens with N);
 * - overlap and fraction of stable patterns against α for every rule at N = 1000;
 * - the fraction of trials in which *every* pattern is a fixed point against
 *   P / (N / 4 ln N) (McEliece et al. 1987), Hebbian at N = 200, 500, 1000.
 *
 * Run: `npm run example:capacity` (tens of minutes on a shared 2-core machine; `-- --quick` or
 * CAPACITY_QUICK=1 for a seconds-long smoke run at small N; `-- --replot` redraws the SVGs from
 * the CSVs of an earlier run without recomputing).
 * Output: examples/out/capacity-*.csv and examples/out/capacity-*.svg.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGS_CRITICAL_LOAD,
  type CapacityPoint,
  capacitySweep,
  HopfieldNetwork,
  linePlot,
  type Matrix,
  mcElieceCapacity,
  PLOT_COLORS,
  type PlotSeries,
  type Random,
} from '../src/index.js';

const quick = process.argv.includes('--quick') || process.env.CAPACITY_QUICK === '1';
const replot = process.argv.includes('--replot');
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(outDir, { recursive: true });

interface Row extends CapacityPoint {
  rule: string;
}

const range = (lo: number, hi: number, step: number) => {
  const out: number[] = [];
  for (let a = lo; a <= hi + 1e-9; a += step) out.push(Math.round(a * 1e4) / 1e4);
  return out;
};

function contrastive(xi: Matrix, rng: Random): HopfieldNetwork {
  const net = new HopfieldNetwork(xi.cols);
  net.fit(xi, { rule: 'contrastive', variant: 'few-steps', steps: 3, epochs: quick ? 5 : 25, rng, statistics: false, stopWhenStable: true });
  return net;
}

function sweep(rule: string, n: number, alphas: number[], trials: number, maxPatterns: number, seed: number): Row[] {
  const t0 = performance.now();
  const pts = capacitySweep({
    n,
    alphas,
    trials,
    maxPatterns,
    rng: seed,
    rule: rule === 'contrastive' ? contrastive : (rule as 'hebbian' | 'storkey' | 'pseudo-inverse'),
  });
  const rows = pts.map((p) => ({ ...p, rule }));
  console.log(
    `${rule.padEnd(14)} N=${String(n).padEnd(5)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ` +
      rows.map((r) => `${r.alpha.toFixed(3)}:${r.meanOverlap.toFixed(3)}`).join(' '),
  );
  return rows;
}

const csvOf = (rows: Row[]) =>
  [
    'rule,n,alpha,nPatterns,meanOverlap,overlapStdError,medianOverlap,retrievedFraction,stableFraction,allStableFraction,exactFraction,trials',
    ...rows.map((r) =>
      [
        r.rule,
        r.n,
        r.alpha,
        r.nPatterns,
        r.meanOverlap,
        r.overlapStdError,
        r.medianOverlap,
        r.retrievedFraction,
        r.stableFraction,
        r.allStableFraction,
        r.exactFraction,
        r.trials,
      ].join(','),
    ),
  ].join('\n') + '\n';

/** Reads a CSV written by `csvOf` back into rows (for `--replot`). */
function readRows(name: string): Row[] {
  const [head, ...lines] = readFileSync(join(outDir, name), 'utf8').trim().split('\n');
  const keys = head.split(',');
  return lines.map((line) => {
    const v = line.split(',');
    const o: Record<string, string | number> = {};
    keys.forEach((k, i) => {
      o[k] = k === 'rule' ? v[i] : Number(v[i]);
    });
    return o as unknown as Row;
  });
}

function save(name: string, content: string): void {
  const p = join(outDir, name);
  writeFileSync(p, content);
  console.log(`wrote ${p}`);
}

// 1. Hebbian overlap against α at several N: the AGS breakdown sharpens as N grows.
const hebbN = quick ? [100, 200] : [200, 500, 1000, 2000];
const hebbRows: Row[] = replot ? readRows('capacity-hebbian.csv') : [];
for (const n of replot ? [] : hebbN) {
  const alphas = quick ? [0.05, 0.1, 0.14, 0.2, 0.3] : range(0.06, 0.24, 0.01);
  // Enough trials that each point averages ≥ ~100 recalls.
  const maxPatterns = quick ? 20 : 100;
  const trials = quick ? 1 : Math.max(1, Math.round(2000 / n));
  hebbRows.push(...sweep('hebbian', n, alphas, trials, maxPatterns, n));
}
if (!replot) save('capacity-hebbian.csv', csvOf(hebbRows));
save(
  'capacity-hebbian.svg',
  linePlot(
    hebbN.map<PlotSeries>((n) => {
      const r = hebbRows.filter((x) => x.n === n);
      return { name: `Hebbian N=${n}`, x: r.map((x) => x.alpha), y: r.map((x) => x.meanOverlap), markers: true };
    }),
    {
      title: 'Hebbian Hopfield network: recall from a clean cue',
      xLabel: 'load α = P/N',
      yLabel: 'mean overlap after evolution',
      yRange: [0, 1.02],
      marks: [{ x: AGS_CRITICAL_LOAD, label: 'α_c ≈ 0.138 (AGS 1985)' }],
    },
  ),
);

// 2. Every rule at one N: overlap and stable fraction.
const nRules = quick ? 120 : 1000;
const ruleRows: Row[] = replot ? readRows('capacity-rules.csv') : [];
const ruleAlphas: Record<string, number[]> = quick
  ? { hebbian: [0.1, 0.2, 0.4], storkey: [0.1, 0.2, 0.4], 'pseudo-inverse': [0.1, 0.4, 0.9], contrastive: [0.1, 0.2, 0.4] }
  : {
      hebbian: range(0.04, 0.4, 0.04),
      storkey: range(0.04, 0.6, 0.04),
      'pseudo-inverse': [...range(0.1, 0.9, 0.1), 0.95, 0.99],
      contrastive: [0.1, 0.14, 0.2, 0.25, 0.3, 0.35, 0.4],
    };
for (const rule of replot ? [] : ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive']) {
  ruleRows.push(...sweep(rule, nRules, ruleAlphas[rule], 1, quick ? 20 : 100, 7));
}
if (!replot) save('capacity-rules.csv', csvOf(ruleRows));
const ruleSeries = (key: 'meanOverlap' | 'stableFraction', dashed: boolean) =>
  ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive'].map<PlotSeries>((rule, i) => {
    const r = ruleRows.filter((x) => x.rule === rule);
    const name = `${rule} (${key === 'meanOverlap' ? 'overlap' : 'stable'})`;
    return { name, x: r.map((x) => x.alpha), y: r.map((x) => x[key]), markers: true, dashed, color: PLOT_COLORS[i] };
  });
save(
  'capacity-rules.svg',
  linePlot([...ruleSeries('meanOverlap', false), ...ruleSeries('stableFraction', true)], {
    title: `Storage rules at N = ${nRules}: overlap from a clean cue (solid), fraction of stable patterns (dashed)`,
    xLabel: 'load α = P/N',
    yLabel: 'overlap / fraction',
    yRange: [0, 1.02],
    width: 760,
    marks: [
      { x: AGS_CRITICAL_LOAD, label: 'α_c ≈ 0.138' },
      { x: mcElieceCapacity(nRules) / nRules, label: 'N/(4 ln N)' },
    ],
  }),
);

// 3. McEliece: all patterns exactly stable, against P in units of N/(4 ln N).
const mcN = quick ? [100] : [200, 500, 1000];
const ratios = quick ? [0.5, 1, 2] : [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3];
const mcRows: Row[] = replot ? readRows('capacity-mceliece.csv') : [];
for (const n of replot ? [] : mcN) {
  const pc = mcElieceCapacity(n);
  const alphas = Array.from(new Set(ratios.map((r) => Math.max(1, Math.round(r * pc)) / n)));
  mcRows.push(...sweep('hebbian', n, alphas, quick ? 4 : 40, Number.MAX_SAFE_INTEGER, 100 + n).map((r) => ({ ...r, rule: 'hebbian-all' })));
}
if (!replot) save('capacity-mceliece.csv', csvOf(mcRows));
save(
  'capacity-mceliece.svg',
  linePlot(
    mcN.map<PlotSeries>((n) => {
      const r = mcRows.filter((x) => x.n === n);
      return { name: `N=${n}`, x: r.map((x) => x.nPatterns / mcElieceCapacity(n)), y: r.map((x) => x.allStableFraction), markers: true };
    }),
    {
      title: 'Hebbian: probability that every stored pattern is a fixed point',
      xLabel: 'P / (N / 4 ln N)',
      yLabel: 'fraction of trials with all patterns stable',
      yRange: [0, 1.02],
      marks: [{ x: 1, label: 'McEliece et al. 1987' }],
    },
  ),
);

// Summary lines for the report.
const at = (rows: Row[], n: number, a: number) => rows.find((r) => r.n === n && Math.abs(r.alpha - a) < 0.006);
for (const n of hebbN) {
  const s = [0.1, 0.12, 0.14, 0.16, 0.18, 0.2]
    .map((a) => {
      const r = at(hebbRows, n, a);
      const f = (v: number | undefined, d: number) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
      return `${a}: ${r ? `${f(r.meanOverlap, 3)}/${f(r.medianOverlap, 3)}/${f(r.retrievedFraction, 2)}` : '-'}`;
    })
    .join('  ');
  console.log(`Hebbian N=${n}, α: mean/median overlap/retrieved  ${s}`);
}
