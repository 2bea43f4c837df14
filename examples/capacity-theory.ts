/**
 * The capacity lab over N (issue #18): the largest number of random ±1
 * patterns K_max each associative memory stores with at least 90% of them
 * fixed points of its asynchronous dynamics, against the theory of each, on one
 * log–log SVG:
 *
 * - Hebbian Hopfield network (and the dense memory with F(x) = x², the same
 *   network): McEliece et al. (1987) N/(2 ln N) for patterns that are all
 *   fixed points, and Amit–Gutfreund–Sompolinsky's α_c·N = 0.138·N (recall
 *   with a few per cent of errors, an upper reference);
 * - dense associative memory, polynomial F(x) = xⁿ, n = 3 and 4 (Krotov &
 *   Hopfield 2016): K_max ≈ Nⁿ⁻¹ / (2(2n−3)!! ln N);
 * - dense associative memory, exponential F(x) = eˣ (Demircigil et al. 2017):
 *   the capacity is at least exp(αN) for every α < ln 2 / 2 (a lower bound,
 *   for large N), drawn as 2^{N/2}.
 *
 * Each measurement is a bisection over K on one random pattern set per K
 * (`memoryCapacity`, src/eval/capacity.ts), the first 200 patterns probed.
 * The polynomial memories' capacities grow as Nⁿ⁻¹, so their largest N is
 * limited by time (the n = 4 memory at N = 200 would store ~50 000 patterns);
 * the exponential one is measured at small N for the same reason.
 *
 * Run: `npm run example:capacity-theory` (`-- --quick` for the smoke size).
 * Output: the table on stdout and examples/out/capacity-theory.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGS_CRITICAL_LOAD, denseCapacityTheory, linePlot, memoryCapacity, type MemoryKind, type PlotSeries } from '../src/index.js';

const quick = process.argv.includes('--quick');
const QUALITY = 0.9;
const PROBE = quick ? 60 : 200;

interface Family {
  name: string;
  memory: MemoryKind;
  degree?: number;
  ns: number[];
  theory: (n: number) => number;
  theoryName: string;
  color: string;
}

const families: Family[] = [
  {
    name: 'Hebbian',
    memory: 'hebbian',
    ns: quick ? [50, 100] : [100, 200, 400, 1000],
    theory: (n) => n / (2 * Math.log(n)),
    theoryName: 'McEliece N/(2 ln N)',
    color: '#1f77b4',
  },
  {
    name: 'DAM x³',
    memory: 'polynomial',
    degree: 3,
    ns: quick ? [30, 60] : [50, 100, 200, 400],
    theory: (n) => denseCapacityTheory(n, 3),
    theoryName: 'Krotov–Hopfield N²/(6 ln N)',
    color: '#d62728',
  },
  {
    name: 'DAM x⁴',
    memory: 'polynomial',
    degree: 4,
    ns: quick ? [20, 30] : [30, 50, 100],
    theory: (n) => denseCapacityTheory(n, 4),
    theoryName: 'Krotov–Hopfield N³/(30 ln N)',
    color: '#2ca02c',
  },
  {
    name: 'DAM eˣ',
    memory: 'exponential',
    ns: quick ? [8, 10] : [8, 10, 12, 14, 16, 18],
    theory: (n) => 2 ** (n / 2),
    theoryName: 'Demircigil lower bound exp(N ln2 / 2)',
    color: '#9467bd',
  },
];

const series: PlotSeries[] = [];
console.log(`K_max: the largest K with ≥ ${QUALITY * 100}% of the stored random patterns fixed points (first ${PROBE} probed), against theory`);
console.log(`${'memory'.padEnd(10)}${'N'.padStart(6)}${'K_max'.padStart(9)}${'theory'.padStart(10)}${'ratio'.padStart(8)}${'seconds'.padStart(9)}`);
const fits: string[] = [];
for (const f of families) {
  const ks: number[] = [];
  for (const n of f.ns) {
    const t0 = performance.now();
    const k = memoryCapacity({ n, memory: f.memory, degree: f.degree, quality: QUALITY, probe: PROBE, rng: 1 });
    ks.push(k);
    const th = f.theory(n);
    console.log(
      `${f.name.padEnd(10)}${String(n).padStart(6)}${String(k).padStart(9)}${th.toFixed(0).padStart(10)}${(k / th).toFixed(2).padStart(8)}${((performance.now() - t0) / 1000).toFixed(1).padStart(9)}`,
    );
  }
  // least-squares exponent of ln K on ln N (polynomial families) or slope of ln K on N (exponential)
  const xs = f.memory === 'exponential' ? f.ns : f.ns.map(Math.log);
  const ys = ks.map(Math.log), ts = f.ns.map((n) => Math.log(f.theory(n)));
  const slope = (v: number[]): number => {
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = v.reduce((a, b) => a + b, 0) / v.length;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i] - mx) * (v[i] - my);
      sxx += (xs[i] - mx) * (xs[i] - mx);
    }
    return sxy / sxx;
  };
  fits.push(
    f.memory === 'exponential'
      ? `${f.name}: ln K_max grows by ${slope(ys).toFixed(3)} per unit (Demircigil: K_max ≥ exp(αN) for every α < ln2/2 = ${(Math.LN2 / 2).toFixed(3)}, asymptotically)`
      : `${f.name}: exponent of K_max in N ${slope(ys).toFixed(2)} (theory curve over the same N ${slope(ts).toFixed(2)})`,
  );
  const lo = f.ns[0], hi = f.ns[f.ns.length - 1];
  const grid = [...new Set(Array.from({ length: 31 }, (_, i) => Math.round(lo * (hi / lo) ** (i / 30))))];
  series.push({ name: `${f.name} measured`, x: f.ns, y: ks, markers: true, color: f.color });
  series.push({ name: f.theoryName, x: grid, y: grid.map(f.theory), dashed: true, color: f.color });
}
const hebNs = families[0].ns;
series.push({ name: 'AGS α_c·N = 0.138 N', x: hebNs, y: hebNs.map((n) => AGS_CRITICAL_LOAD * n), dashed: true, color: '#7f7f7f' });
for (const line of fits) console.log(line);

const svg = linePlot(series, {
  title: `Capacity of associative memories against theory (${QUALITY * 100}% of the patterns fixed points)`,
  xLabel: 'N (units)',
  yLabel: 'K_max (patterns)',
  logX: true,
  logY: true,
});
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'capacity-theory.svg'), svg);
console.log('wrote examples/out/capacity-theory.svg');
