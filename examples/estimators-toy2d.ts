/**
 * Estimators compared on 2-D toys (issue #19): the same EnergyNetwork (two
 * swish layers), the same number of parameter updates, several seeds, trained
 * by each estimator of `EnergyNetwork.fit` — contrastive divergence with
 * Langevin negatives ('cd-langevin'), exact score matching, sliced score
 * matching, denoising score matching (σ = 0.05) and noise-contrastive
 * estimation (Gaussian noise fitted to the data, log Z learned) — on the ring
 * of 8 Gaussians, two moons and concentric rings.
 *
 * For each fit the learned density `exp(−E)/Z` on the box [-3, 3]² is
 * normalised by `logPartition2D` (adaptive Simpson), and its total variation
 * `½∫|p_model − p_true|` from the toy's exact density (closed form for the
 * ring and the rings, a 1-D integral along the moon arcs) is computed on a
 * midpoint grid. A uniform density on the box is the baseline.
 *
 * Run: `node --import tsx examples/estimators-toy2d.ts` (about 10–20 min on a
 * shared machine; `--small` for a seconds-long smoke run; `--seeds N`).
 * Output: examples/out/estimators-toy2d.json and one SVG per dataset × method
 * (energy contours with 500 Langevin samples) in examples/out/estimators-toy2d/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logPartition2D } from '../src/energy/quadrature.js';
import { concentricRings, ringOfGaussians, twoMoons } from '../src/data/toy2d.js';
import { contourSvg, energyGrid } from '../src/io/views/contours.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { EnergyNetwork } from '../src/models/energy-network.js';

const LO = -3;
const HI = 3;

/** One toy: a sampler and its exact density. */
export interface Toy {
  name: string;
  sample: (n: number, rng: number) => Matrix;
  density: (x: number, y: number) => number;
}

const gauss1 = (d: number, s: number) => Math.exp((-0.5 * d * d) / (s * s)) / (Math.sqrt(2 * Math.PI) * s);

const RING_STD = 0.15;
const MOON_NOISE = 0.08;
const RADII = [1, 2.2];
const RING_NOISE = 0.08;
/** Midpoints along the moon parameter t ∈ (0, π). */
const MOON_T = Array.from({ length: 600 }, (_, i) => ((i + 0.5) * Math.PI) / 600);

/** The three toys with their exact densities. */
export const TOYS: Toy[] = [
  {
    name: 'ring of 8',
    sample: (n, rng) => ringOfGaussians(n, { rng, std: RING_STD }),
    density: (x, y) => {
      let p = 0;
      for (let k = 0; k < 8; k++) {
        const a = (2 * Math.PI * k) / 8;
        p += gauss1(x - 2 * Math.cos(a), RING_STD) * gauss1(y - 2 * Math.sin(a), RING_STD);
      }
      return p / 8;
    },
  },
  {
    name: 'two moons',
    sample: (n, rng) => twoMoons(n, { rng, noise: MOON_NOISE }),
    density: (x, y) => {
      // t ~ U(0, π); upper arc (cos t − 0.5, sin t − 0.25), lower arc (0.5 − cos t, 0.25 − sin t), each with probability ½
      let p = 0;
      for (const t of MOON_T) {
        const c = Math.cos(t);
        const s = Math.sin(t);
        p += gauss1(x - (c - 0.5), MOON_NOISE) * gauss1(y - (s - 0.25), MOON_NOISE);
        p += gauss1(x - (0.5 - c), MOON_NOISE) * gauss1(y - (0.25 - s), MOON_NOISE);
      }
      return (0.5 * p) / MOON_T.length;
    },
  },
  {
    name: 'rings',
    sample: (n, rng) => concentricRings(n, { rng, radii: RADII, noise: RING_NOISE }),
    density: (x, y) => {
      // r = r_k + noise·z, angle uniform: density of ρ = |x| is Σ_k [N(ρ; r_k) + N(−ρ; r_k)]/K, spread over 2πρ
      const rho = Math.hypot(x, y);
      if (rho === 0) return 0;
      let p = 0;
      for (const r of RADII) p += gauss1(rho - r, RING_NOISE) + gauss1(rho + r, RING_NOISE);
      return p / (RADII.length * 2 * Math.PI * rho);
    },
  },
];

/** How one method trains the network: `updates` parameter updates on `data`, seeded. */
type Train = (net: EnergyNetwork, data: Matrix, updates: number, seed: number, small: boolean) => void;

const BATCH = 100;
/** DSM noise level: below the toys' own spread (0.08–0.15), so the blur it learns stays small. */
const DSM_SIGMA = 0.05;

/** The estimators; those `EnergyNetwork.fit` does not offer (yet) are reported as unavailable. */
export const METHODS: { name: string; train: Train }[] = [
  {
    name: 'cd-langevin',
    train: (net, data, updates, seed) =>
      net.fit(data, { method: 'cd-langevin', epochs: updates / (data.rows / BATCH), batchSize: BATCH, learningRate: 5e-3, langevinSteps: 20, bounds: [LO, HI], rng: seed }),
  },
  ...(
    [
      ['score-matching', {}],
      ['sliced-score-matching', {}],
      ['denoising-score-matching', { sigma: DSM_SIGMA }],
      ['nce', {}],
    ] as const
  ).map(([method, extra]) => ({
    name: method,
    train: ((net, data, updates, seed) =>
      net.fit(data, { method, ...extra, epochs: updates / (data.rows / BATCH), batchSize: BATCH, learningRate: 5e-3, rng: seed })) as Train,
  })),
];

/** The toys' densities on the TV grid, computed once per toy and grid size. */
const truthCache = new Map<string, Float64Array>();

/** TV between the model density (normalised by quadrature on the box) and the toy's, on a G×G midpoint grid. */
export function totalVariation(net: EnergyNetwork, toy: Toy, G: number, tol: number): { tv: number; logZ: number; truthMass: number; modelMass: number; tvUniform: number } {
  const x1 = new Float64Array(2);
  const { logZ } = logPartition2D(
    (a, b) => {
      x1[0] = a;
      x1[1] = b;
      return net.energy(x1);
    },
    [LO, HI],
    [LO, HI],
    { relativeTolerance: tol },
  );
  const h = (HI - LO) / G;
  const pts: Matrix = { rows: G * G, cols: 2, data: new Float64Array(2 * G * G) };
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < G; j++) {
      pts.data[2 * (i * G + j)] = LO + (j + 0.5) * h;
      pts.data[2 * (i * G + j) + 1] = LO + (i + 0.5) * h;
    }
  }
  const e = net.energies(new Float64Array(G * G), pts);
  const key = `${toy.name}/${G}`;
  let truth = truthCache.get(key);
  if (truth === undefined) {
    truth = new Float64Array(G * G);
    for (let k = 0; k < G * G; k++) truth[k] = toy.density(pts.data[2 * k], pts.data[2 * k + 1]);
    truthCache.set(key, truth);
  }
  let tv = 0;
  let mass = 0;
  let modelMass = 0;
  let tvU = 0;
  const u = 1 / ((HI - LO) * (HI - LO));
  for (let k = 0; k < G * G; k++) {
    const pt = truth[k];
    const pm = Math.exp(-e[k] - logZ);
    modelMass += pm;
    tv += Math.abs(pm - pt);
    tvU += Math.abs(u - pt);
    mass += pt;
  }
  return { tv: 0.5 * tv * h * h, logZ, truthMass: mass * h * h, modelMass: modelMass * h * h, tvUniform: 0.5 * tvU * h * h };
}

/** One row of the table: a dataset × method over seeds. */
export interface ToyRow {
  dataset: string;
  method: string;
  /** TV per seed (NaN when the method failed or is unavailable). */
  tv: number[];
  meanTV: number;
  sdTV: number;
  /** Training seconds per seed. */
  seconds: number[];
  /** The quadrature-normalised model density summed on the TV grid, per seed: far from 1 means spikes narrower than a cell (the TV is then unreliable). */
  modelMass: number[];
  /** log Z (quadrature on the box) per seed. */
  logZ: number[];
  error?: string;
}

/** Options of {@link runToyComparison}. */
export interface ToyRunOptions {
  small?: boolean;
  seeds?: number;
  outDir?: string;
  methods?: readonly string[];
  log?: (line: string) => void;
}

/** Trains every method on every toy for every seed; writes the JSON table and the SVGs; returns the rows. */
export function runToyComparison(options: ToyRunOptions = {}): { rows: ToyRow[]; baseline: Record<string, number>; truthMass: Record<string, number> } {
  const small = options.small ?? false;
  const seeds = options.seeds ?? (small ? 1 : 3);
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? join(dirname(fileURLToPath(import.meta.url)), 'out');
  const svgDir = join(outDir, 'estimators-toy2d');
  mkdirSync(svgDir, { recursive: true });
  const nData = small ? 200 : 2000;
  const updates = small ? 4 : 400; // parameter updates (batches of 100)
  const hidden = small ? [8] : [32, 32];
  const G = small ? 40 : 400;
  const tol = small ? 1e-3 : 1e-6;
  const methods = METHODS.filter((m) => options.methods === undefined || options.methods.includes(m.name));
  const rows: ToyRow[] = [];
  const baseline: Record<string, number> = {};
  const truthMass: Record<string, number> = {};
  for (const [d, toy] of TOYS.entries()) {
    const data = toy.sample(nData, 100 + d);
    for (const method of methods) {
      const tv: number[] = [];
      const seconds: number[] = [];
      const modelMass: number[] = [];
      const logZ: number[] = [];
      let error: string | undefined;
      for (let s = 0; s < seeds; s++) {
        const net = new EnergyNetwork(2, { hidden, activation: 'swish', rng: 1000 * d + s });
        const t0 = performance.now();
        try {
          method.train(net, data, updates, 77 + s, small);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          tv.push(Number.NaN);
          seconds.push(Number.NaN);
          break;
        }
        seconds.push((performance.now() - t0) / 1000);
        const r = totalVariation(net, toy, G, tol);
        tv.push(r.tv);
        modelMass.push(r.modelMass);
        logZ.push(r.logZ);
        baseline[toy.name] = r.tvUniform;
        truthMass[toy.name] = r.truthMass;
        if (s === 0) {
          const grid = energyGrid((x, y) => net.energy(Float64Array.of(x, y)), { xRange: [LO, HI], yRange: [LO, HI], resolution: small ? 21 : 81 });
          const samples = net.sample(small ? 50 : 500, { steps: small ? 10 : 300, bounds: [LO, HI] });
          const svg = contourSvg(grid, { levels: 12, samples, title: `${toy.name} — ${method.name} (TV ${r.tv.toFixed(3)})` });
          writeFileSync(join(svgDir, `${toy.name.replace(/ /g, '-')}--${method.name}.svg`), svg);
        }
      }
      const ok = tv.filter((v) => Number.isFinite(v));
      const meanTV = ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : Number.NaN;
      const sdTV = ok.length > 1 ? Math.sqrt(ok.reduce((a, b) => a + (b - meanTV) ** 2, 0) / (ok.length - 1)) : Number.NaN;
      const row: ToyRow = { dataset: toy.name, method: method.name, tv, meanTV, sdTV, seconds, modelMass, logZ, ...(error ? { error } : {}) };
      rows.push(row);
      log(
        error
          ? `${toy.name.padEnd(10)} ${method.name.padEnd(24)} unavailable: ${error.slice(0, 120)}`
          : `${toy.name.padEnd(10)} ${method.name.padEnd(24)} TV ${meanTV.toFixed(3)} ± ${Number.isNaN(sdTV) ? '—' : sdTV.toFixed(3)}  [${tv.map((v) => v.toFixed(3)).join(', ')}]  ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s/fit; grid mass [${modelMass.map((v) => v.toFixed(3)).join(', ')}], log Z [${logZ.map((v) => v.toFixed(1)).join(', ')}]`,
      );
    }
    log(`${toy.name.padEnd(10)} ${'uniform'.padEnd(24)} TV ${baseline[toy.name]?.toFixed(3)} (baseline); truth mass on the grid ${truthMass[toy.name]?.toFixed(4)}`);
  }
  const json = { small, seeds, nData, updates, batchSize: BATCH, hidden, grid: G, box: [LO, HI], quadratureTolerance: tol, baseline, truthMass, rows };
  writeFileSync(join(outDir, 'estimators-toy2d.json'), `${JSON.stringify(json, null, 1)}\n`);
  return { rows, baseline, truthMass };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const k = argv.indexOf('--seeds');
  const methodsArg = argv.indexOf('--methods');
  const t0 = performance.now();
  runToyComparison({
    small: argv.includes('--small'),
    seeds: k >= 0 ? Number(argv[k + 1]) : undefined,
    methods: methodsArg >= 0 ? argv[methodsArg + 1].split(',') : undefined,
  });
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s; table in examples/out/estimators-toy2d.json, SVGs in examples/out/estimators-toy2d/`);
}
