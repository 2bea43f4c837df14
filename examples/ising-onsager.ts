/**
 * The 2-D Ising model against Onsager's exact solution.
 *
 * 1. The check: L = 64, T = 2.0 and T = 2.2, ⟨|m|⟩ with its standard error
 *    (from the integrated autocorrelation time) against Onsager–Yang's
 *    `(1 − sinh(2/T)^−4)^{1/8}`; passes when within 0.01.
 * 2. The curve: ⟨|m|⟩(T) for T from 1.5 to 3.2 on L = 16, 32 and 64 (finite-size
 *    rounding around T_c ≈ 2.269), drawn against the exact curve, plus the
 *    energy per site against Onsager's exact u(T) and the specific heat.
 *
 * Run: `npm run example:ising` (about a minute; `-- --quick` or ISING_QUICK=1 for
 * a seconds-long smoke run with fewer sweeps and temperatures).
 * Output: examples/out/ising-magnetisation.svg, examples/out/ising-energy.svg,
 * examples/out/ising-onsager.json; the check table on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IsingModel,
  IsingSampler,
  linePlot,
  onsagerCriticalTemperature,
  onsagerEnergyPerSite,
  onsagerMagnetisation,
  type PlotSeries,
} from '../src/index.js';

const quick = process.argv.includes('--quick') || process.env.ISING_QUICK === '1';
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(outDir, { recursive: true });
const tc = onsagerCriticalTemperature();

// 1. The L = 64 check.
const checkSweeps = quick ? 2000 : 40000;
console.log(`L = 64 check (${checkSweeps} sweeps after ${checkSweeps / 10} burn-in, Metropolis checkerboard):`);
const checks: Record<string, unknown>[] = [];
let allPass = true;
for (const T of [2.0, 2.2]) {
  const s = new IsingSampler(new IsingModel(64), { temperature: T, rng: 2026, initial: 'up', order: 'checkerboard' });
  const t0 = performance.now();
  const r = s.measure({ sweeps: checkSweeps, burnIn: checkSweeps / 10 });
  const exact = onsagerMagnetisation(T);
  const pass = Math.abs(r.absMagnetisation - exact) < 0.01;
  allPass &&= pass;
  console.log(
    `  T = ${T.toFixed(1)}: <|m|> = ${r.absMagnetisation.toFixed(4)} ± ${r.absMagnetisationError.toFixed(4)} ` +
      `(tau = ${r.tauAbsMagnetisation.toFixed(1)} sweeps), Onsager ${exact.toFixed(4)}, ` +
      `diff ${(r.absMagnetisation - exact).toFixed(4)} ${pass ? 'PASS (< 0.01)' : 'FAIL'}; ` +
      `e = ${r.energyPerSite.toFixed(4)} ± ${r.energyPerSiteError.toFixed(4)} vs ${onsagerEnergyPerSite(T).toFixed(4)} ` +
      `[${((performance.now() - t0) / 1000).toFixed(1)} s]`,
  );
  checks.push({ L: 64, T, sweeps: checkSweeps, ...r, onsager: exact, pass });
}

// 2. The curve.
const temps: number[] = [];
const nT = quick ? 8 : 28;
for (let k = 0; k < nT; k++) temps.push(1.5 + (1.7 * k) / (nT - 1));
temps.push(tc);
temps.sort((a, b) => a - b);
const sizes = quick ? [16, 32] : [16, 32, 64];
const sweeps = quick ? 1000 : 10000;
const curve: Record<string, unknown>[] = [];
const mSeries: PlotSeries[] = [];
const eSeries: PlotSeries[] = [];
const cSeries: PlotSeries[] = [];
for (const L of sizes) {
  const m: number[] = [];
  const e: number[] = [];
  const c: number[] = [];
  // Start ordered at the lowest temperature and carry the state upwards (shorter equilibration).
  const s = new IsingSampler(new IsingModel(L), { temperature: temps[0], rng: L, initial: 'up', order: 'checkerboard' });
  for (const T of temps) {
    s.temperature = T;
    const r = s.measure({ sweeps, burnIn: sweeps / 5 });
    m.push(r.absMagnetisation);
    e.push(r.energyPerSite);
    c.push(r.specificHeat);
    curve.push({ L, T, absMagnetisation: r.absMagnetisation, error: r.absMagnetisationError, energyPerSite: r.energyPerSite, specificHeat: r.specificHeat, susceptibility: r.susceptibility });
  }
  mSeries.push({ name: `L = ${L} (Monte Carlo)`, x: temps, y: m, markers: true });
  eSeries.push({ name: `L = ${L} (Monte Carlo)`, x: temps, y: e, markers: true });
  cSeries.push({ name: `L = ${L}`, x: temps, y: c, markers: true });
  console.log(`curve L = ${L} done`);
}
const fine = Array.from({ length: 341 }, (_, k) => 1.5 + (1.7 * k) / 340);
mSeries.push({ name: 'Onsager (L = ∞)', x: fine, y: fine.map((T) => onsagerMagnetisation(T)), color: '#000000', dashed: true });
eSeries.push({ name: 'Onsager (L = ∞)', x: fine, y: fine.map((T) => onsagerEnergyPerSite(T)), color: '#000000', dashed: true });
const marks = [{ x: tc, label: 'T_c = 2.269' }];
writeFileSync(
  join(outDir, 'ising-magnetisation.svg'),
  linePlot(mSeries, { title: '2-D Ising: spontaneous magnetisation', xLabel: 'temperature T (J/k_B)', yLabel: '⟨|m|⟩', marks, yRange: [0, 1] }),
);
writeFileSync(
  join(outDir, 'ising-energy.svg'),
  linePlot(eSeries, { title: '2-D Ising: energy per site', xLabel: 'temperature T (J/k_B)', yLabel: '⟨E⟩/N', marks }),
);
writeFileSync(
  join(outDir, 'ising-specific-heat.svg'),
  linePlot(cSeries, { title: '2-D Ising: specific heat per site', xLabel: 'temperature T (J/k_B)', yLabel: 'C/N', marks }),
);
writeFileSync(join(outDir, 'ising-onsager.json'), `${JSON.stringify({ quick, checks, curve }, null, 1)}\n`);
console.log(`written ${join(outDir, 'ising-magnetisation.svg')}, ising-energy.svg, ising-specific-heat.svg, ising-onsager.json`);
if (!quick && !allPass) process.exitCode = 1;
