/**
 * The sequential samplers in WebAssembly against the plain TypeScript loops, same run.
 *
 * - Hopfield N = 1000 (Hebbian, P = 100): asynchronous update attempts/s through
 *   evolveAsyncUnchecked on three workloads — `recall 10%` (cues with 10% of bits flipped,
 *   to a fixed point; fields of the cue precomputed), `random starts` (many flips, O(N)
 *   each), `fixed point` (a stored fixed point: one sweep, no flips — the cost of an attempt
 *   plus the per-call copies) — with the WebAssembly loop
 *   (the default) and the TS loop (`setKernel(tsKernel)`), and the hand-written reference
 *   loop of bench/hopfield.ts;
 * - Gibbs sweeps at T = 0.5 on the same network (QuadraticGibbs.step: σ(2h/T) and a draw
 *   per attempt), attempts/s;
 * - Boltzmann machine Gibbs sweeps/s (BoltzmannMachineChain.step: a quarter of the units
 *   hidden, every unit free, random couplings of scale 2/√n) for 64, 200 and 1000 units;
 * - single-flip Metropolis proposals/s over a quadratic energy (sequential scan, spins,
 *   couplings N(0, 1/n)) at T = 0.5 and 2 for 200 and 1000 units (the flips/call column
 *   counts acceptances).
 *
 * Every row is timed for at least 0.8 s (0.15 s with BENCH_QUICK=1); the per-CPU-second rate
 * is the one to read on a shared machine. Target: ≥ 60 M attempts/s at N = 1000 (recall).
 * Run: `npm run bench -- sequential` (writes bench/out/sequential.json).
 */
import { BoltzmannMachine, HopfieldNetwork, Metropolis, matrix, QuadraticEnergy, Random, setKernel } from '../src/index.js';
import { tsKernel } from '../src/linalg/ts-kernel.js';
import { evolveAsyncUnchecked, localFieldsUnchecked } from '../src/base.js';
import { useSequentialWasm } from '../src/linalg/wasm/sequential.js';
import { printTable, writeResult } from './common.js';

function referenceLoop(w: Float64Array, y: Float64Array, h: Float64Array, n: number): [number, number] {
  let sweeps = 0;
  let flips = 0;
  for (;;) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      if (yi * h[i] < 0) {
        y[i] = -yi;
        const d = -2 * yi;
        const o = i * n;
        for (let j = 0; j < n; j++) h[j] += w[o + j] * d;
        changed++;
      }
    }
    sweeps++;
    flips += changed;
    if (changed === 0) return [sweeps, flips];
  }
}

interface Row {
  bench: string;
  n: number;
  loop: string;
  perSec: number;
  perCpuSec: number;
  unit: string;
  flipsPerCall: number;
}

/** Runs the sequential-sampler bench; returns what it writes to bench/out/sequential.json (bench/kernels.ts embeds it). */
export function main(): { wasmAvailable: boolean; rows: Row[]; ratios: { bench: string; n: number; wasmOverTs: number }[] } {
  const quick = process.env.BENCH_QUICK === '1';
  const minMs = quick ? 150 : 800;
  const rows: Row[] = [];
  const wasmOn = useSequentialWasm(1000, 1);
  const loops: [string, (() => void) | null][] = [
    ['wasm', null],
    ['ts', null],
  ];

  /** Times `once` (returns [count, flips]) for ≥ minMs under the named loop. */
  const measure = (bench: string, n: number, loop: string, unit: string, once: (k: number) => [number, number]) => {
    const prev = loop === 'ts' ? setKernel(tsKernel) : undefined;
    try {
      for (let k = 0; k < 8; k++) once(k);
      let count = 0;
      let flips = 0;
      let calls = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let t = 0;
      do {
        for (let k = 0; k < 16; k++) {
          const [a, f] = once(k);
          count += a;
          flips += f;
          calls++;
        }
        t = performance.now() - t0;
      } while (t < minMs);
      const c = process.cpuUsage(c0);
      rows.push({ bench, n, loop, perSec: count / (t / 1000), perCpuSec: count / ((c.user + c.system) / 1e6), unit, flipsPerCall: flips / calls });
    } finally {
      if (prev !== undefined) setKernel(prev);
    }
  };

  // Hopfield N = 1000
  const n = 1000;
  const rng = new Random(n);
  const p = 100;
  const pats = new Float64Array(p * n);
  for (let i = 0; i < pats.length; i++) pats[i] = rng.float64() < 0.5 ? -1 : 1;
  const net = new HopfieldNetwork(n);
  net.fit({ rows: p, cols: n, data: pats });
  const w = net.weights.data;
  const b = net.bias;
  const nCues = 16;
  const fieldsOf = (y: Float64Array) => {
    const h = new Float64Array(n);
    localFieldsUnchecked(h, w, b, y, n);
    return h;
  };
  const cues: Float64Array[] = [];
  const randoms: Float64Array[] = [];
  for (let c = 0; c < nCues; c++) {
    const cue = pats.slice(c * n, (c + 1) * n);
    for (let i = 0; i < n; i++) if (rng.float64() < 0.1) cue[i] = -cue[i];
    cues.push(cue);
    randoms.push(Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
  }
  const cueFields = cues.map(fieldsOf);
  const randFields = randoms.map(fieldsOf);
  const stored = net.evolve(pats.slice(0, n)).state;
  const storedFields = fieldsOf(stored);
  const y = new Float64Array(n);
  const h = new Float64Array(n);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const counters = new Float64Array(2);
  const dyn = (starts: Float64Array[], fields: Float64Array[], maxSweeps: number) => (k: number): [number, number] => {
    y.set(starts[k % starts.length] as Float64Array);
    h.set(fields[k % fields.length] as Float64Array);
    evolveAsyncUnchecked(w, b, y, h, n, order, n, false, maxSweeps, null, false, null, counters);
    return [counters[0] * n, counters[1]];
  };
  for (const [loop] of loops) {
    measure('hopfield recall 10%', n, loop, 'attempts', dyn(cues, cueFields, 1000));
    measure('hopfield random starts', n, loop, 'attempts', dyn(randoms, randFields, 1000));
    measure('hopfield fixed point (no flips)', n, loop, 'attempts', dyn([stored], [storedFields], 20));
  }
  measure('hopfield recall 10%', n, 'reference TS loop', 'attempts', (k) => {
    y.set(cues[k] as Float64Array);
    h.set(cueFields[k] as Float64Array);
    const [s, f] = referenceLoop(w, y, h, n);
    return [s * n, f];
  });

  // Gibbs on the Hopfield network, T = 0.5
  for (const [loop] of loops) {
    const prev = loop === 'ts' ? setKernel(tsKernel) : undefined;
    const g = net.gibbs({ temperature: 0.5, rng: 1, initial: cues[0] });
    if (prev !== undefined) setKernel(prev);
    measure('gibbs T=0.5 (10 sweeps)', n, loop, 'attempts', () => {
      const f0 = g.flipCount;
      for (let s = 0; s < 10; s++) g.step();
      return [10 * n, g.flipCount - f0];
    });
  }

  // Boltzmann machine chains
  for (const units of [64, 200, 1000]) {
    const nh = Math.round(units / 4);
    const bm = new BoltzmannMachine(units - nh, nh, { rng: 2 });
    const e = bm.energyFunction;
    const r = new Random(units);
    const scale = 2 / Math.sqrt(units);
    for (let i = 0; i < units; i++) for (let j = i + 1; j < units; j++) e.weights.data[i * units + j] = e.weights.data[j * units + i] = scale * r.normal();
    for (let i = 0; i < units; i++) e.bias[i] = 0.1 * r.normal();
    const sweeps = Math.max(1, Math.round(20000 / units));
    for (const [loop] of loops) {
      const chain = bm.createChain({ rng: 3 });
      measure(`BM Gibbs sweeps (${sweeps}/call)`, units, loop, 'sweeps', () => {
        const f0 = chain.gibbs.flipCount;
        for (let s = 0; s < sweeps; s++) chain.step();
        return [sweeps, chain.gibbs.flipCount - f0];
      });
    }
  }

  // Metropolis over a quadratic energy (sequential scan), spins, couplings N(0, 1/n)
  for (const units of [200, 1000]) {
    const r = new Random(units + 1);
    const wq = new Float64Array(units * units);
    for (let i = 0; i < units; i++) for (let j = i + 1; j < units; j++) wq[i * units + j] = wq[j * units + i] = r.normal() / Math.sqrt(units);
    const e = new QuadraticEnergy(matrix(units, units, wq), new Float64Array(units), 'spin');
    for (const temperature of [0.5, 2]) {
      for (const [loop] of loops) {
        const prev = loop === 'ts' ? setKernel(tsKernel) : undefined;
        const mh = new Metropolis(e, { temperature, rng: 5 });
        if (prev !== undefined) setKernel(prev);
        measure(`Metropolis T=${temperature} (proposals)`, units, loop, 'proposals', () => {
          const a0 = mh.accepted;
          mh.step();
          return [units, mh.accepted - a0];
        });
      }
    }
  }

  const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1));
  console.log(`WebAssembly sequential loops available: ${wasmOn}`);
  printTable(
    ['bench', 'N', 'loop', 'per s', 'per CPU s', 'unit', 'flips/call'],
    rows.map((r) => [r.bench, r.n, r.loop, fmt(r.perSec), fmt(r.perCpuSec), r.unit, r.flipsPerCall.toFixed(1)]),
  );
  const ratio = (bench: string, units: number) => {
    const a = rows.find((r) => r.bench === bench && r.n === units && r.loop === 'wasm');
    const t = rows.find((r) => r.bench === bench && r.n === units && r.loop === 'ts');
    return a && t ? a.perCpuSec / t.perCpuSec : Number.NaN;
  };
  const ratios = [...new Set(rows.map((r) => `${r.bench}|${r.n}`))].map((k) => {
    const [bench, units] = k.split('|') as [string, string];
    return { bench, n: Number(units), wasmOverTs: ratio(bench, Number(units)) };
  });
  printTable(
    ['bench', 'N', 'wasm / ts (per CPU s)'],
    ratios.filter((r) => Number.isFinite(r.wasmOverTs)).map((r) => [r.bench, r.n, r.wasmOverTs.toFixed(2)]),
  );
  const result = { wasmAvailable: wasmOn, rows, ratios };
  writeResult('sequential', result);
  return result;
}
