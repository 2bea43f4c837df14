/**
 * The 2-D Ising model against its exact solutions.
 *
 * 1. The check: L = 64, T = 2.0 and T = 2.2, ⟨|m|⟩ with its standard error
 *    (from the integrated autocorrelation time) against Onsager–Yang's
 *    `(1 − sinh(2/T)^−4)^{1/8}`; passes when within 0.01.
 * 2. The curve: ⟨|m|⟩(T) for T from 1.5 to 3.2 on L = 16, 32 and 64 (finite-size
 *    rounding around T_c ≈ 2.269), drawn against the exact curve; the energy per site
 *    and the specific heat against the exact values of the same finite torus
 *    (derivatives of Kaufman's log Z, `kaufmanLogPartition`) and Onsager's infinite lattice.
 *    Each Monte Carlo energy is scored by its z-score against the finite-lattice value.
 * 3. The inverse problem: configurations drawn at known (J, H) on a 16 × 16 torus above T_c,
 *    `IsingModel.fit` (maximum pseudo-likelihood) recovers J and H, with their asymptotic
 *    (sandwich) standard errors.
 * 4. AIS against Kaufman: `score(…, { method: 'ais' })` on L = 16 at T_c next to the exact log Z.
 *
 * Run: `npm run example:ising` (a couple of minutes; `-- --quick` or ISING_QUICK=1 for
 * a seconds-long smoke run with fewer sweeps and temperatures).
 * Output: examples/out/ising-magnetisation.svg, ising-energy.svg, ising-specific-heat.svg,
 * ising-onsager.json; the checks on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IsingModel,
  IsingSampler,
  kaufmanLogPartition,
  linePlot,
  onsagerCriticalTemperature,
  onsagerEnergyPerSite,
  onsagerMagnetisation,
  type PlotSeries,
} from '../src/index.js';

/** Options of {@link runIsing}. */
export interface IsingExampleOptions {
  /** Fewer sweeps, temperatures and sizes (seconds). */
  quick?: boolean;
  /** Where the figures and the JSON go (default examples/out). */
  outDir?: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

/** One Monte Carlo point of the curves, with the exact values of its finite lattice. */
export interface IsingCurvePoint {
  L: number;
  T: number;
  absMagnetisation: number;
  energyPerSite: number;
  energyPerSiteError: number;
  /** Kaufman's exact ⟨E⟩/N of the L × L torus at T. */
  exactEnergyPerSite: number;
  /** (Monte Carlo − exact) / standard error. */
  energyZ: number;
  specificHeat: number;
  exactSpecificHeat: number;
}

/** What {@link runIsing} found. */
export interface IsingExampleResult {
  /** The L = 64 checks of ⟨|m|⟩ against Onsager–Yang. */
  checks: { T: number; absMagnetisation: number; error: number; onsager: number; pass: boolean }[];
  curve: IsingCurvePoint[];
  /** The inverse problem: the truth, the estimate and its asymptotic standard errors. */
  fit: { J: number; H: number; fittedJ: number; fittedH: number; seJ: number; seH: number; rows: number };
  /** AIS next to the exact log Z. */
  ais: { L: number; T: number; exact: number; logZ: number; lower: number; upper: number; ess: number; seconds: number };
}

/**
 * Exact energy and specific heat per site of the zero-field L × L torus at temperature T
 * (J = 1), from Kaufman's log Z(K), K = 1/T, by central differences:
 * `u = −(1/N) d log Z/dK`, `c = (K²/N) d² log Z/dK²`.
 */
export function kaufmanThermodynamics(L: number, T: number): { energyPerSite: number; specificHeat: number } {
  const K = 1 / T, d = 1e-4 * K, N = L * L;
  const zm = kaufmanLogPartition(L, K - d), z0 = kaufmanLogPartition(L, K), zp = kaufmanLogPartition(L, K + d);
  return { energyPerSite: -(zp - zm) / (2 * d) / N, specificHeat: (K * K * (zp - 2 * z0 + zm)) / (d * d) / N };
}

/** Runs the four parts; writes the figures and the JSON to `outDir`. */
export function runIsing(options: IsingExampleOptions = {}): IsingExampleResult {
  const quick = options.quick === true;
  const outDir = options.outDir ?? join(dirname(fileURLToPath(import.meta.url)), 'out');
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(outDir, { recursive: true });
  const tc = onsagerCriticalTemperature();

  // 1. The L = 64 check.
  const checkSweeps = quick ? 2000 : 40000;
  log(`L = 64 check (${checkSweeps} sweeps after ${checkSweeps / 10} burn-in, Metropolis checkerboard):`);
  const checks: IsingExampleResult['checks'] = [];
  for (const T of [2.0, 2.2]) {
    const s = new IsingSampler(new IsingModel(64), { temperature: T, rng: 2026, initial: 'up', order: 'checkerboard' });
    const t0 = performance.now();
    const r = s.measure({ sweeps: checkSweeps, burnIn: checkSweeps / 10 });
    const exact = onsagerMagnetisation(T);
    const pass = Math.abs(r.absMagnetisation - exact) < 0.01;
    log(
      `  T = ${T.toFixed(1)}: <|m|> = ${r.absMagnetisation.toFixed(4)} ± ${r.absMagnetisationError.toFixed(4)} ` +
        `(tau = ${r.tauAbsMagnetisation.toFixed(1)} sweeps), Onsager ${exact.toFixed(4)}, ` +
        `diff ${(r.absMagnetisation - exact).toFixed(4)} ${pass ? 'PASS (< 0.01)' : 'FAIL'}; ` +
        `e = ${r.energyPerSite.toFixed(4)} ± ${r.energyPerSiteError.toFixed(4)} vs ${onsagerEnergyPerSite(T).toFixed(4)} ` +
        `[${((performance.now() - t0) / 1000).toFixed(1)} s]`,
    );
    checks.push({ T, absMagnetisation: r.absMagnetisation, error: r.absMagnetisationError, onsager: exact, pass });
  }

  // 2. The curves, with the exact values of each finite torus.
  const temps: number[] = [];
  const nT = quick ? 8 : 28;
  for (let k = 0; k < nT; k++) temps.push(1.5 + (1.7 * k) / (nT - 1));
  temps.push(tc);
  temps.sort((a, b) => a - b);
  const sizes = quick ? [16, 32] : [16, 32, 64];
  const sweeps = quick ? 1000 : 10000;
  const curve: IsingCurvePoint[] = [];
  const mSeries: PlotSeries[] = [];
  const eSeries: PlotSeries[] = [];
  const cSeries: PlotSeries[] = [];
  const fine = Array.from({ length: 341 }, (_, k) => 1.5 + (1.7 * k) / 340);
  const palette = ['#1f77b4', '#d62728', '#2ca02c'];
  sizes.forEach((L, li) => {
    const m: number[] = [];
    const e: number[] = [];
    const c: number[] = [];
    // Start ordered at the lowest temperature and carry the state upwards (shorter equilibration).
    const s = new IsingSampler(new IsingModel(L), { temperature: temps[0], rng: L, initial: 'up', order: 'checkerboard' });
    let worst = 0;
    for (const T of temps) {
      s.temperature = T;
      const r = s.measure({ sweeps, burnIn: sweeps / 5 });
      const exact = kaufmanThermodynamics(L, T);
      const z = (r.energyPerSite - exact.energyPerSite) / r.energyPerSiteError;
      worst = Math.max(worst, Math.abs(z));
      m.push(r.absMagnetisation);
      e.push(r.energyPerSite);
      c.push(r.specificHeat);
      curve.push({
        L,
        T,
        absMagnetisation: r.absMagnetisation,
        energyPerSite: r.energyPerSite,
        energyPerSiteError: r.energyPerSiteError,
        exactEnergyPerSite: exact.energyPerSite,
        energyZ: z,
        specificHeat: r.specificHeat,
        exactSpecificHeat: exact.specificHeat,
      });
    }
    const color = palette[li % palette.length];
    mSeries.push({ name: `L = ${L} (Monte Carlo)`, x: temps, y: m, markers: true, color });
    eSeries.push({ name: `L = ${L} (Monte Carlo)`, x: temps, y: e, markers: true, color });
    cSeries.push({ name: `L = ${L} (Monte Carlo)`, x: temps, y: c, markers: true, color });
    const exactFine = fine.map((T) => kaufmanThermodynamics(L, T));
    eSeries.push({ name: `L = ${L} exact (Kaufman)`, x: fine, y: exactFine.map((x) => x.energyPerSite), color });
    cSeries.push({ name: `L = ${L} exact (Kaufman)`, x: fine, y: exactFine.map((x) => x.specificHeat), color });
    log(`curve L = ${L}: energy per site within ${worst.toFixed(1)} standard errors of the exact finite-torus value at every T`);
  });
  mSeries.push({ name: 'Onsager (L = ∞)', x: fine, y: fine.map((T) => onsagerMagnetisation(T)), color: '#000000', dashed: true });
  eSeries.push({ name: 'Onsager (L = ∞)', x: fine, y: fine.map((T) => onsagerEnergyPerSite(T)), color: '#000000', dashed: true });
  const marks = [{ x: tc, label: 'T_c = 2.269' }];
  writeFileSync(
    join(outDir, 'ising-magnetisation.svg'),
    linePlot(mSeries, { title: '2-D Ising: spontaneous magnetisation', xLabel: 'temperature T (J/k_B)', yLabel: '⟨|m|⟩', marks, yRange: [0, 1] }),
  );
  writeFileSync(
    join(outDir, 'ising-energy.svg'),
    linePlot(eSeries, { title: '2-D Ising: energy per site, Monte Carlo and exact', xLabel: 'temperature T (J/k_B)', yLabel: '⟨E⟩/N', marks }),
  );
  writeFileSync(
    join(outDir, 'ising-specific-heat.svg'),
    linePlot(cSeries, { title: '2-D Ising: specific heat per site, Monte Carlo and exact', xLabel: 'temperature T (J/k_B)', yLabel: 'C/N', marks }),
  );

  // 3. The inverse problem: J and H back from configurations.
  const truthJ = 1, truthH = 0.05, T = 3;
  const rows = quick ? 150 : 1000;
  const truth = new IsingModel(16, { J: truthJ, H: truthH, temperature: T, rng: 7 });
  // each configuration from its own chain, 300 heat-bath sweeps from a random start (with 60 the
  // magnetisation has not quite relaxed: H comes out ~15% low)
  const configs = truth.sample(rows, { sweeps: 300, update: 'heat-bath', order: 'checkerboard' });
  const model = new IsingModel(16, { temperature: T });
  const fr = model.fit(configs);
  const { J: seJ, H: seH } = model.standardErrors(configs); // the sandwich, for independent configurations
  log(
    `inverse Ising (16 × 16, T = ${T}, ${rows} configurations): J = ${model.J.toFixed(4)} ± ${seJ.toFixed(4)} (truth ${truthJ}), ` +
      `H = ${model.H.toFixed(4)} ± ${seH.toFixed(4)} (truth ${truthH}) by maximum pseudo-likelihood in ${fr.epochs} Newton steps`,
  );

  // 4. AIS against Kaufman's exact log Z.
  const aisModel = new IsingModel(16, { temperature: tc, rng: 3 });
  const t0 = performance.now();
  const a = aisModel.score([new Array(256).fill(1)], { method: 'ais', ...(quick ? { aisBetas: 5000, aisRuns: 50 } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const exact = aisModel.logPartition();
  const logZ = a.logZ as number;
  const ais = { L: 16, T: tc, exact, logZ, lower: logZ - (a.upper - a.mean), upper: logZ + (a.mean - a.lower), ess: a.ess as number, seconds };
  log(
    `AIS on 16 × 16 at T_c: log Z = ${logZ.toFixed(4)} [${ais.lower.toFixed(4)}, ${ais.upper.toFixed(4)}] ` +
      `(ESS ${a.ess?.toFixed(0)}, ${seconds.toFixed(1)} s); Kaufman's exact ${exact.toFixed(4)}`,
  );

  const result: IsingExampleResult = { checks, curve, fit: { J: truthJ, H: truthH, fittedJ: model.J, fittedH: model.H, seJ, seH, rows }, ais };
  writeFileSync(join(outDir, 'ising-onsager.json'), `${JSON.stringify({ quick, ...result }, null, 1)}\n`);
  log(`written ${join(outDir, 'ising-magnetisation.svg')}, ising-energy.svg, ising-specific-heat.svg, ising-onsager.json`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick') || process.env.ISING_QUICK === '1';
  const r = runIsing({ quick });
  if (!quick && !r.checks.every((c) => c.pass)) process.exitCode = 1;
}
