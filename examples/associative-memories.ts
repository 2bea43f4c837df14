/**
 * Associative memories beyond the binary Hopfield network (issue #18):
 *
 * 1. Capacity of the dense associative memory (Krotov & Hopfield 2016),
 *    polynomial F(x) = x³, against the Hebbian network at the same recall
 *    quality (at least 90% of the stored random patterns are fixed points),
 *    at N = 200; then the measured capacity exponent over N against the
 *    theory K_max ≈ Nⁿ⁻¹ / (2(2n−3)!! ln N).
 * 2. The modern continuous Hopfield network (Ramsauer et al. 2020) storing
 *    5 000 MNIST test digits (±1 pixels): cues with the bottom half masked
 *    (set to 0) and 20% of the visible half flipped, mean overlap with the
 *    original after ONE update ξ ← X softmax(β Xᵀ ξ); the classical rules on
 *    the same cues (masked half set to −1, evolved to a fixed point); and the
 *    β below which the fixed points are metastable averages (max softmax
 *    weight < 0.5).
 *    Then the table of overlaps per model (Hebbian, pseudo-inverse, DAM x³,
 *    DAM eˣ, modern) and number of stored digits (10, 100, 1000).
 * 3. The graded (tanh) network: energy along an RK4 trajectory.
 *
 * Run: `npm run example:memories` (`-- --quick` for the small smoke size).
 * MNIST is read from ../shared/data/mnist (test split) or --data DIR; the
 * MNIST part is skipped with a message when the files are absent.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DenseAssociativeMemory,
  denseCapacityTheory,
  GradedHopfieldNetwork,
  HopfieldNetwork,
  type HopfieldRule,
  linePlot,
  memoryCapacity,
  memoryCapacitySweep,
  ModernHopfieldNetwork,
  Random,
} from '../src/index.js';
import { loadMnist } from '../src/node/index.js';

const quick = process.argv.includes('--quick');
const dataArg = process.argv.indexOf('--data');
const mnistDir = dataArg > 0 ? (process.argv[dataArg + 1] as string) : join(process.cwd(), '..', 'shared', 'data', 'mnist');
const QUALITY = 0.9; // fraction of stored patterns that must be fixed points

function randomPatterns(k: number, n: number, rng: Random): Float64Array {
  const d = new Float64Array(k * n);
  for (let i = 0; i < d.length; i++) d[i] = rng.float64() < 0.5 ? -1 : 1;
  return d;
}

/** The largest K with ≥ QUALITY of the stored random patterns fixed points (src/eval/capacity.ts). */
const capacity = (memory: 'hebbian' | number, n: number, seed: number, probe: number): number =>
  memory === 'hebbian'
    ? memoryCapacity({ n, quality: QUALITY, probe, rng: seed })
    : memoryCapacity({ n, memory: 'polynomial', degree: memory, quality: QUALITY, probe, rng: seed });

/** Mean overlap reached from cues with `flip` of the bits flipped (K stored, the first `count` probed). */
const recallOverlap = (memory: 'hebbian' | number, n: number, k: number, seed: number, flip: number, count: number): number =>
  memoryCapacitySweep({ n, patterns: [k], memory: memory === 'hebbian' ? 'hebbian' : 'polynomial', degree: memory === 'hebbian' ? 3 : memory, flip, maxPatterns: count, rng: seed })[0]
    .meanOverlap;

// ── 1. Dense associative memory capacity ────────────────────────────────────────
{
  const t0 = performance.now();
  const n = quick ? 60 : 200;
  const probe = quick ? 60 : 200;
  console.log(`1. capacity at N = ${n}: the largest K with ≥ ${QUALITY * 100}% of the stored random patterns fixed points (first ${probe} probed)`);
  const heb = capacity('hebbian', n, 1, probe);
  const d2 = capacity(2, n, 1, probe);
  const d3 = capacity(3, n, 1, probe);
  const ovH = recallOverlap('hebbian', n, heb, 1, 0.1, 50);
  const ov3 = recallOverlap(3, n, d3, 1, 0.1, 50);
  console.log(`   Hebbian Hopfield         K = ${String(heb).padStart(5)}   (McEliece N/(2 ln N) = ${(n / (2 * Math.log(n))).toFixed(1)}); overlap from 10% noise ${ovH.toFixed(4)}`);
  console.log(`   DAM polynomial n = 2     K = ${String(d2).padStart(5)}   (the same network, in exact integer arithmetic: ties at h = 0 do not round)`);
  console.log(`   DAM polynomial n = 3     K = ${String(d3).padStart(5)}   (theory ${denseCapacityTheory(n, 3).toFixed(0)}); overlap from 10% noise ${ov3.toFixed(4)}`);
  console.log(`   ratio DAM n=3 / Hebbian = ${(d3 / heb).toFixed(1)}×  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const ns = quick ? [30, 60] : [50, 100, 200];
  const ks = ns.map((m) => (m === n ? d3 : capacity(3, m, 1, probe)));
  const lx = ns.map(Math.log), ly = ks.map(Math.log), lt = ns.map((m) => Math.log(denseCapacityTheory(m, 3)));
  const slope = (ys: number[]) => {
    const mx = lx.reduce((a, b) => a + b, 0) / lx.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < lx.length; i++) {
      sxy += (lx[i] - mx) * (ys[i] - my);
      sxx += (lx[i] - mx) * (lx[i] - mx);
    }
    return sxy / sxx;
  };
  console.log(`   capacity exponent, n = 3 (least squares of ln K_max on ln N over N = ${ns.join(', ')}):`);
  for (let i = 0; i < ns.length; i++) {
    console.log(`     N = ${String(ns[i]).padStart(4)}: measured K_max = ${String(ks[i]).padStart(5)}, theory ${denseCapacityTheory(ns[i], 3).toFixed(0).padStart(5)}  (ratio ${(ks[i] / denseCapacityTheory(ns[i], 3)).toFixed(2)})`);
  }
  console.log(`     measured exponent ${slope(ly).toFixed(2)}; theory curve's exponent over the same N ${slope(lt).toFixed(2)} (n − 1 = 2 without the 1/ln N factor)`);
  // Measured points and theory curves on one log–log SVG.
  const hs = ns.map((m) => (m === n ? heb : capacity('hebbian', m, 1, probe)));
  const grid = Array.from({ length: 41 }, (_, i) => Math.round(ns[0] * (ns[ns.length - 1] / ns[0]) ** (i / 40)));
  const svg = linePlot(
    [
      { name: 'DAM x³ measured', x: ns, y: ks, markers: true, color: '#d62728' },
      { name: 'Krotov–Hopfield N²/(6 ln N)', x: grid, y: grid.map((m) => denseCapacityTheory(m, 3)), dashed: true, color: '#d62728' },
      { name: 'Hebbian measured', x: ns, y: hs, markers: true, color: '#1f77b4' },
      { name: 'McEliece N/(2 ln N)', x: grid, y: grid.map((m) => m / (2 * Math.log(m))), dashed: true, color: '#1f77b4' },
    ],
    {
      title: `Capacity at ${QUALITY * 100}% of the patterns stable: dense associative memory vs Hebbian`,
      xLabel: 'N (units)',
      yLabel: 'K_max (patterns)',
      logX: true,
      logY: true,
    },
  );
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'associative-capacity.svg'), svg);
  console.log(`     wrote examples/out/associative-capacity.svg (Hebbian measured ${hs.join(', ')})`);
}

// ── 2. Modern continuous Hopfield network on MNIST ───────────────────────────────
if (!existsSync(join(mnistDir, 't10k-images-idx3-ubyte.gz')) && !existsSync(join(mnistDir, 't10k-images-idx3-ubyte'))) {
  console.log(`\n2. skipped: no MNIST test images in ${mnistDir} (pass --data DIR)`);
} else {
  const stored = quick ? 300 : 5000;
  const nCues = quick ? 100 : 5000;
  const nClassical = quick ? 50 : 300;
  const beta = 1;
  const t0 = performance.now();
  const { images, width, height } = loadMnist(mnistDir, { split: 'test', limit: stored, binarize: 'threshold' });
  const n = width * height;
  const half = (height / 2) * width;
  const x = Float64Array.from(images.data, (v) => 2 * v - 1);
  const rng = new Random(18);
  // Cues: bottom half masked, 20% of the visible half flipped (exactly round(0.2·half) pixels).
  const cueRows = Array.from({ length: nCues }, (_, r) => Math.floor((r * stored) / nCues));
  const cues = new Float64Array(nCues * n);
  const flips = Math.round(0.2 * half);
  const idx = Array.from({ length: half }, (_, i) => i);
  for (let r = 0; r < nCues; r++) {
    const src = cueRows[r] * n;
    for (let i = 0; i < half; i++) cues[r * n + i] = x[src + i];
    for (let k = 0; k < flips; k++) {
      const j = k + rng.int(half - k);
      [idx[k], idx[j]] = [idx[j], idx[k]];
      cues[r * n + idx[k]] = -cues[r * n + idx[k]];
    }
  }
  const overlapOf = (y: ArrayLike<number>, o: number, p: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[o + i] * x[p * n + i];
    return s / n;
  };
  console.log(`\n2. modern Hopfield: ${stored} MNIST test digits stored (±1 pixels, N = ${n}); ${nCues} cues: bottom half masked (0), ${flips} of the ${half} visible pixels flipped`);
  const net = new ModernHopfieldNetwork(n, { beta });
  net.fit({ rows: stored, cols: n, data: x });
  for (const b of quick ? [beta] : [0.1, 0.3, 1, 3]) {
    const t1 = performance.now();
    const out = net.retrieve({ rows: nCues, cols: n, data: cues }, { beta: b });
    let m = 0, ms = 0;
    for (let r = 0; r < nCues; r++) {
      m += overlapOf(out.data, r * n, cueRows[r]);
      const sg = Float64Array.from(out.data.subarray(r * n, (r + 1) * n), (v) => (v >= 0 ? 1 : -1));
      ms += overlapOf(sg, 0, cueRows[r]);
    }
    console.log(
      `   β = ${String(b).padEnd(5)} one update: mean overlap ${(m / nCues).toFixed(4)} (state), ${(ms / nCues).toFixed(4)} (its sign)${b === beta ? '   ← chosen β' : ''}  (${((performance.now() - t1) / 1000).toFixed(1)} s)`,
    );
  }
  // Classical rules on the same cues (masked half set to −1, the blank background), evolved to a fixed point.
  const rules: HopfieldRule[] = ['hebbian', 'storkey'];
  for (const rule of rules) {
    const t1 = performance.now();
    const hop = new HopfieldNetwork(n);
    hop.fit({ rows: stored, cols: n, data: x }, { rule });
    let m = 0;
    for (let r = 0; r < nClassical; r++) {
      const cue = Float64Array.from(cues.subarray(r * n, (r + 1) * n), (v) => (v === 0 ? -1 : v));
      m += overlapOf(hop.evolve(cue, { maxSweeps: 30 }).state, 0, cueRows[r]);
    }
    console.log(`   classical ${rule.padEnd(8)} (first ${nClassical} cues, evolved): mean overlap ${(m / nClassical).toFixed(4)}  (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  }
  if (stored >= n) console.log(`   (pseudo-inverse: ${stored} ≥ N = ${n} patterns span the whole space, so the projection W is the identity, zero once its diagonal is removed: every state is a fixed point and the cue comes back unchanged)`);
  // Metastable states: fixed points from the clean stored patterns, max softmax weight.
  const probe = quick ? 20 : 100;
  console.log(`   metastable states (fixed point from each of ${probe} clean stored digits; metastable when its max softmax weight < 0.5):`);
  let appear = Number.NaN;
  for (const b of quick ? [1, 0.1, 0.01] : [1, 0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.01]) {
    const start = { rows: probe, cols: n, data: Float64Array.from(x.subarray(0, probe * n)) };
    const fixed = net.retrieve(start, { beta: b, steps: 10 });
    let meta = 0, meanMax = 0;
    for (let r = 0; r < probe; r++) {
      const p = net.attention(fixed.data.subarray(r * n, (r + 1) * n), b);
      let mx = 0;
      for (let k = 0; k < p.length; k++) if (p[k] > mx) mx = p[k];
      meanMax += mx / probe;
      if (mx < 0.5) meta++;
    }
    if (Number.isNaN(appear) && meta > 0) appear = b;
    console.log(`     β = ${String(b).padEnd(6)} mean max weight ${meanMax.toFixed(3)}, metastable ${meta}/${probe}`);
  }
  console.log(`   metastable (averaged) states first appear at β ≈ ${appear} (going down the list)  (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`);

  // The table of overlaps per model and load, on the same kind of cues (the first K digits stored).
  const loads = quick ? [10, 100] : [10, 100, 1000];
  const perLoad = quick ? 20 : 100;
  console.log(`\n   correlated patterns: mean overlap per model and number of stored digits (${perLoad} cues each, same noise; the ±1 models see the masked half as random ±1, the modern one as 0):`);
  console.log(`   ${'model'.padEnd(30)}${loads.map((k) => `K = ${k}`.padStart(13)).join('')}`);
  const models: [string, (k: number) => (cue: Float64Array) => ArrayLike<number>][] = [
    ['Hebbian (evolved)', (k) => {
      const h = new HopfieldNetwork(n);
      h.fit({ rows: k, cols: n, data: x.subarray(0, k * n) });
      return (c) => h.evolve(c, { maxSweeps: 30 }).state;
    }],
    ['pseudo-inverse (evolved)', (k) => {
      if (k >= n) return () => [];
      const h = new HopfieldNetwork(n);
      h.fit({ rows: k, cols: n, data: x.subarray(0, k * n) }, { rule: 'pseudo-inverse' });
      return (c) => h.evolve(c, { maxSweeps: 30 }).state;
    }],
    ['DAM polynomial n = 3', (k) => {
      const d = new DenseAssociativeMemory(n, { degree: 3 });
      d.fit({ rows: k, cols: n, data: x.subarray(0, k * n) });
      return (c) => d.evolve(c, { maxSweeps: 30 }).state;
    }],
    ['DAM exponential', (k) => {
      const d = new DenseAssociativeMemory(n, { interaction: 'exponential' });
      d.fit({ rows: k, cols: n, data: x.subarray(0, k * n) });
      return (c) => d.evolve(c, { maxSweeps: 30 }).state;
    }],
    [`modern, β = ${beta}, one update`, (k) => {
      const m = new ModernHopfieldNetwork(n, { beta });
      m.fit({ rows: k, cols: n, data: x.subarray(0, k * n) });
      return (c) => m.recall(Float64Array.from(c, (v, i) => (i < half ? v : 0))).state;
    }],
  ];
  for (const [name, build] of models) {
    const cells: string[] = [];
    for (const k of loads) {
      const recall = build(k);
      let m = 0, count = 0;
      for (let r = 0; r < perLoad; r++) {
        const p = Math.floor((r * k) / perLoad);
        // Cue of digit p: its top half with exactly `flips` pixels flipped, bottom half random ±1 (no bias).
        const cue = Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1));
        for (let i = 0; i < half; i++) cue[i] = x[p * n + i];
        for (let j = 0; j < flips; j++) {
          const t = j + rng.int(half - j);
          [idx[j], idx[t]] = [idx[t], idx[j]];
          cue[idx[j]] = -cue[idx[j]];
        }
        const y = recall(cue);
        if (y.length === 0) break;
        let o = 0;
        for (let i = 0; i < n; i++) o += (y[i] >= 0 ? 1 : -1) * x[p * n + i];
        m += o / n;
        count++;
      }
      cells.push(count === 0 ? 'n/a (K ≥ N)'.padStart(13) : (m / count).toFixed(3).padStart(13));
    }
    console.log(`   ${name.padEnd(30)}${cells.join('')}`);
  }
}

// ── 3. Graded (tanh) network ─────────────────────────────────────────────────────
{
  const rng = new Random(3);
  const n = 100;
  const pats = randomPatterns(8, n, rng);
  const g = new GradedHopfieldNetwork(n, { gain: 8 });
  g.fit({ rows: 8, cols: n, data: pats });
  const cue = pats.slice(0, n);
  for (let i = 0; i < 25; i++) cue[i] = -cue[i];
  for (const mode of ['async', 'rk4'] as const) {
    const r = g.evolve(cue, { mode, dt: 0.1 });
    let o = 0;
    for (let i = 0; i < n; i++) o += Math.sign(r.state[i]) * pats[i];
    const rises = r.energies.some((e, k) => k > 0 && e > r.energies[k - 1] + 1e-12);
    console.log(
      `\n3. graded network (gain 8, 8 patterns, N = ${n}), ${mode}: overlap ${(o / n).toFixed(3)} from 25% flipped, ${r.sweeps} ${mode === 'async' ? 'sweeps' : 'steps'}, energy ${r.energies[0].toFixed(3)} → ${r.energies[r.sweeps].toFixed(3)}, ${rises ? 'ROSE' : 'never rose'}`,
    );
  }
}
