/**
 * Hopfield dynamics speed: update attempts/s and flips/s at N = 1000 and 4096.
 *
 * Workloads (Hebbian storage of P = 0.1·N random patterns):
 * - `recall 10%`: asynchronous sequential evolution from cues with 10% of bits flipped, to a fixed point
 *   (the dynamics loop only: fields of the cue precomputed, as the incremental loop's own cost);
 * - `random starts`: the same from uniformly random states (many flips: O(N) each);
 * - `fixed point`: sweeps over a stored pattern (no flips: the pure cost of an attempt);
 * - `evolve() end-to-end`: the public method, including validation, the O(N²) initial fields and the result;
 * - `gibbs T=0.5`: stochastic sweeps through QuadraticGibbs (σ(2h/T) and a random number per attempt);
 * - `reference loop`: a minimal hand-written loop of the same algorithm, run in the same process, for the ratio.
 *
 * Target: ≥ 20 M attempts/s at N = 1000 on the recall workload.
 * Run: `npm run bench -- hopfield` (writes bench/out/hopfield.json).
 */
import { HopfieldNetwork, Random } from '../src/index.js';
import { evolveAsyncUnchecked, localFieldsUnchecked } from '../src/base.js';
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
  n: number;
  workload: string;
  attemptsPerSec: number;
  /** Attempts per second of this process's CPU time (user + system): close to the idle-machine rate when the machine is shared. */
  attemptsPerCpuSec: number;
  flipsPerSec: number;
  attemptsPerCall: number;
  flipsPerCall: number;
  msPerCall: number;
}

export function main(): void {
  const quick = process.env.BENCH_QUICK === '1';
  const rows: Row[] = [];
  const minMs = quick ? 150 : 800;
  for (const n of [1000, 4096]) {
    const rng = new Random(n);
    const p = Math.round(0.1 * n);
    const pats = new Float64Array(p * n);
    for (let i = 0; i < pats.length; i++) pats[i] = rng.float64() < 0.5 ? -1 : 1;
    const net = new HopfieldNetwork(n);
    net.fit({ rows: p, cols: n, data: pats });
    const w = net.weights.data;
    const b = net.bias;
    const nCues = 16;
    const cues: Float64Array[] = [];
    const randoms: Float64Array[] = [];
    for (let c = 0; c < nCues; c++) {
      const x = pats.subarray((c % p) * n, ((c % p) + 1) * n);
      const cue = x.slice();
      for (let i = 0; i < n; i++) if (rng.float64() < 0.1) cue[i] = -cue[i];
      cues.push(cue);
      randoms.push(Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    }
    const cueFields = cues.map((y) => {
      const h = new Float64Array(n);
      localFieldsUnchecked(h, w, b, y, n);
      return h;
    });
    const randFields = randoms.map((y) => {
      const h = new Float64Array(n);
      localFieldsUnchecked(h, w, b, y, n);
      return h;
    });
    const y = new Float64Array(n);
    const h = new Float64Array(n);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const counters = new Float64Array(2);

    const measure = (workload: string, once: (k: number) => [number, number]) => {
      // Warm up, then time whole passes over the cue set for at least minMs.
      for (let k = 0; k < nCues; k++) once(k);
      let attempts = 0;
      let flips = 0;
      let calls = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let t = 0;
      do {
        for (let k = 0; k < nCues; k++) {
          const [a, f] = once(k);
          attempts += a;
          flips += f;
          calls++;
        }
        t = performance.now() - t0;
      } while (t < minMs);
      const s = t / 1000;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      rows.push({ n, workload, attemptsPerSec: attempts / s, attemptsPerCpuSec: attempts / cpu, flipsPerSec: flips / s, attemptsPerCall: attempts / calls, flipsPerCall: flips / calls, msPerCall: t / calls });
    };

    const dyn = (starts: Float64Array[], fields: Float64Array[]) => (k: number): [number, number] => {
      y.set(starts[k]);
      h.set(fields[k]);
      evolveAsyncUnchecked(w, b, y, h, n, order, n, false, 1000, null, false, null, counters);
      return [counters[0] * n, counters[1]];
    };
    measure('recall 10%', dyn(cues, cueFields));
    measure('random starts', dyn(randoms, randFields));
    // The fixed point reached from pattern 0 (at α = 0.1 a pattern may have a bit or two unstable).
    const stored = net.evolve(pats.slice(0, n)).state;
    const storedFields = new Float64Array(n);
    localFieldsUnchecked(storedFields, w, b, stored, n);
    measure('fixed point', () => {
      y.set(stored);
      h.set(storedFields);
      evolveAsyncUnchecked(w, b, y, h, n, order, n, false, 20, null, false, null, counters);
      return [counters[0] * n, counters[1]];
    });
    measure('reference loop (recall 10%)', (k) => {
      y.set(cues[k]);
      h.set(cueFields[k]);
      const [s, f] = referenceLoop(w, y, h, n);
      return [s * n, f];
    });
    measure('evolve() end-to-end (recall 10%)', (k) => {
      const r = net.evolve(cues[k]);
      return [r.sweeps * n, r.flips];
    });
    const g = net.gibbs({ temperature: 0.5, rng: 1, initial: cues[0] });
    measure('gibbs T=0.5 (10 sweeps)', () => {
      const f0 = g.flipCount;
      for (let s = 0; s < 10; s++) g.step();
      return [10 * n, g.flipCount - f0];
    });
  }
  printTable(
    ['N', 'workload', 'attempts/s', 'attempts/cpu-s', 'flips/s', 'attempts/call', 'flips/call', 'ms/call'],
    rows.map((r) => [r.n, r.workload, `${(r.attemptsPerSec / 1e6).toFixed(1)} M`, `${(r.attemptsPerCpuSec / 1e6).toFixed(1)} M`, `${(r.flipsPerSec / 1e6).toFixed(3)} M`, r.attemptsPerCall, r.flipsPerCall, r.msPerCall]),
  );
  const at = (n: number, w: string, cpu = false) => {
    const r = rows.find((x) => x.n === n && x.workload === w);
    return r ? (cpu ? r.attemptsPerCpuSec : r.attemptsPerSec) : Number.NaN;
  };
  const ratio = at(1000, 'recall 10%', true) / at(1000, 'reference loop (recall 10%)', true);
  console.log(
    `\nN=1000 recall: ${(at(1000, 'recall 10%') / 1e6).toFixed(1)} M attempts/s wall, ${(at(1000, 'recall 10%', true) / 1e6).toFixed(1)} M per CPU-second ` +
      `(target ≥ 20 M); library / reference loop (CPU time) = ${ratio.toFixed(2)}`,
  );
  console.log(`file: ${writeResult('hopfield', { rows, targetAttemptsPerSec: 20e6, ratioToReference: ratio })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
