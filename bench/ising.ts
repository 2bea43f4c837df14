/**
 * Ising Metropolis throughput: single-site update attempts per second on a
 * 256×256 periodic lattice, single thread, for the sequential and checkerboard
 * sweeps of IsingSampler and its heat-bath sweep, at T = 1.5 (ordered),
 * T_c and T = 3.5 (disordered). Reference measured in the same process: the
 * generic Metropolis sampler on the same IsingModel (EnergyModel path with
 * deltaEnergyFlip and Random.float64), and a plain-JS sequential sweep with
 * Math.random-free inline xorshift and a branchy acceptance test (what a
 * straightforward hand-written loop does). Target: ≥ 150 M attempts/s.
 * Each contender is timed in 6 interleaved rounds and keeps its best round.
 * Run: npm run bench -- ising   (writes bench/out/ising.json)
 */
import { IsingModel, IsingSampler, onsagerCriticalTemperature } from '../src/models/ising.js';
import { Metropolis } from '../src/samplers/metropolis.js';
import { printTable, timeIt, writeResult } from './common.js';

const L = 256;
const N = L * L;

/** A straightforward plain-JS sequential Metropolis sweep (xorshift32, exp table, branches), for reference. */
function plainSweepFactory(T: number): () => void {
  const s = new Int8Array(N);
  let x = 2463534242;
  for (let i = 0; i < N; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s[i] = x & 1 ? 1 : -1;
  }
  const acc = [1, 1, 1, Math.exp(-4 / T), Math.exp(-8 / T)]; // indexed by s·nb/2 + 2 for ΔE = 2 s nb ≥ 0
  return () => {
    for (let r = 0; r < L; r++) {
      const up = ((r + L - 1) % L) * L;
      const dn = ((r + 1) % L) * L;
      const ro = r * L;
      for (let c = 0; c < L; c++) {
        const i = ro + c;
        const nb = s[up + c] + s[dn + c] + s[ro + ((c + L - 1) % L)] + s[ro + ((c + 1) % L)];
        const k = (s[i] * nb) / 2 + 2;
        if (k <= 2) s[i] = -s[i];
        else {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          if ((x >>> 0) / 4294967296 < acc[k]) s[i] = -s[i];
        }
      }
    }
  };
}

export function main(): void {
  const model = new IsingModel(L);
  const tc = onsagerCriticalTemperature();
  const temps: [string, number][] = [
    ['1.5', 1.5],
    ['T_c', tc],
    ['3.5', 3.5],
  ];
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const [label, T] of temps) {
    const plain = plainSweepFactory(T);
    for (let i = 0; i < 20; i++) plain();
    const generic = new Metropolis(model, { temperature: T, rng: 1 });
    const variants: [string, 'metropolis' | 'heat-bath', 'sequential' | 'checkerboard'][] = [
      ['metropolis/sequential', 'metropolis', 'sequential'],
      ['metropolis/checkerboard', 'metropolis', 'checkerboard'],
      ['heat-bath/sequential', 'heat-bath', 'sequential'],
    ];
    const samplers = variants.map(([, update, order]) => new IsingSampler(model, { temperature: T, rng: 1, update, order }));
    for (const s of samplers) for (let i = 0; i < 20; i++) s.step(); // warm up (JIT) and leave the random start
    // Interleaved rounds, best of each: a burst of load on the shared machine then hits every
    // contender alike instead of one of them.
    const fns = [plain, () => generic.step(), ...samplers.map((s) => () => s.step())];
    const best = fns.map(() => Number.POSITIVE_INFINITY);
    for (let round = 0; round < 6; round++) {
      fns.forEach((f, i) => {
        best[i] = Math.min(best[i], timeIt(f, i === 1 ? 100 : 250));
      });
    }
    const [plainRate, genericRate, ...rates] = best.map((sec) => N / sec / 1e6);
    variants.forEach(([name], v) => {
      const rate = rates[v];
      rows.push([label, name, rate, plainRate, rate / plainRate, genericRate, rate / genericRate, rate >= 150 ? 'yes' : 'no']);
      results.push({ temperature: T, sweep: name, mAttemptsPerSec: rate, plainJsMAttemptsPerSec: plainRate, genericMetropolisMAttemptsPerSec: genericRate });
    });
  }
  printTable(['T', 'sweep', 'M attempts/s', 'plain-JS M/s', '× plain', 'generic MH M/s', '× generic', '≥150'], rows);
  console.log(`(L = ${L}, single thread, node ${process.version}; timings on a shared machine are provisional)`);
  console.log(`written ${writeResult('ising', { node: process.version, L, target: 150, results })}`);
}
