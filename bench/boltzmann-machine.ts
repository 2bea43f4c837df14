/**
 * Boltzmann machines: the figures of the Boltzmann-machine issue, measured.
 *
 * 1. Gibbs samples vs the exact Boltzmann distribution (TV against the derived bound).
 * 2. Sampled ML gradient vs the exact gradient (z-scores over replicates).
 * 3. Simulated annealing vs the enumerated ground state of random 16-unit machines (rate).
 * 4. Classification with label units (tiny digits, bars vs stripes, sklearn digits when present).
 * 5. Bars-and-stripes 3×3 learning curve (exact log-likelihood) and sample quality;
 *    4×4 with BENCH_BAS4=1 (slow: 2²⁴ states per exact evaluation).
 * 6. Exact enumeration speed (Gray code): log Z for 16, 20, 24 units.
 *
 * Run: `npm run bench -- boltzmann-machine` (BENCH_QUICK=1 for a smaller run).
 * Writes bench/out/boltzmann-machine.json. Timings are provisional (shared machine).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BoltzmannMachine,
  BoltzmannMachineTrainer,
  barsAndStripes,
  classifyBarsAndStripes,
  exactDistribution,
  exactGroundState,
  exactLogPartition,
  geometricSchedule,
  type Matrix,
  Random,
  totalVariation,
  totalVariationBound,
  zeros,
} from '../src/index.js';
import { loadDigits } from '../src/node/data.js';
import { benchDir, printTable, writeResult } from './common.js';

const quick = process.env.BENCH_QUICK === '1';

function randomParameters(n: number, seed: number, scale: number) {
  const rng = new Random(seed);
  const w = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = scale * rng.normal();
      w.data[i * n + j] = v;
      w.data[j * n + i] = v;
    }
  }
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = scale * rng.normal();
  return { w, b };
}

/** Exact distribution of a sequential-scan chain after `sweeps` sweeps from uniform (reference kernel). */
function chainDistribution(w: Float64Array, b: Float64Array, n: number, t: number, free: number[], values: Float64Array, sweeps: number) {
  const m = free.length;
  const size = 2 ** m;
  let pi = new Float64Array(size).fill(1 / size);
  const s = new Float64Array(n);
  for (let sw = 0; sw < sweeps; sw++) {
    for (let k = 0; k < m; k++) {
      const next = new Float64Array(size);
      const i = free[k];
      const bit = 1 << k;
      for (let x = 0; x < size; x++) {
        if (x & bit) continue;
        s.set(values);
        for (let q = 0; q < m; q++) s[free[q]] = (x >>> q) & 1;
        let h = b[i];
        for (let j = 0; j < n; j++) if (j !== i) h += w[i * n + j] * s[j];
        const p1 = 1 / (1 + Math.exp(-h / t));
        const mass = pi[x] + pi[x | bit];
        next[x | bit] += mass * p1;
        next[x] += mass * (1 - p1);
      }
      pi = next;
    }
  }
  return pi;
}

function gibbsVsExact() {
  console.log('\n1. Gibbs samples vs exact distribution (independent chains, one sample each after burn-in)');
  const nChains = quick ? 4000 : 12000;
  const burnIn = 25;
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  for (const clamped of [0, 1]) {
    for (const n of [3, 6, 10]) {
      for (const t of [0.5, 1, 2]) {
        const seed = 1000 * n + Math.round(10 * t) + clamped;
        const { w, b } = randomParameters(n, seed, 1);
        const bm = BoltzmannMachine.fromParameters(w, b, { nVisible: n, temperature: t, rng: seed + 1 });
        const nc = clamped ? Math.max(1, Math.floor(n / 3)) : 0;
        const clamp = new Uint8Array(n);
        const values = new Float64Array(n);
        const cr = new Random(seed + 2);
        const order = Array.from(cr.permutation(n));
        for (let k = 0; k < nc; k++) {
          clamp[order[k]] = 1;
          values[order[k]] = cr.float64() < 0.5 ? 1 : 0;
        }
        const free: number[] = [];
        for (let i = 0; i < n; i++) if (!clamp[i]) free.push(i);
        const s = bm.sampleStates(nChains, nc ? { steps: burnIn, clamp, values } : { steps: burnIn });
        const hist = new Float64Array(2 ** free.length);
        for (let r = 0; r < nChains; r++) {
          let x = 0;
          for (let k = 0; k < free.length; k++) if (s.data[r * n + free[k]] === 1) x |= 1 << k;
          hist[x] += 1 / nChains;
        }
        const exact = exactDistribution(bm.energyFunction, nc ? { temperature: t, clamp, clampValues: values } : { temperature: t });
        const piK = chainDistribution(w.data, b, n, t, free, values, burnIn);
        const bias = totalVariation(piK, exact);
        const bound = totalVariationBound(piK, nChains, 5) + bias;
        const tv = totalVariation(hist, exact);
        rows.push([String(n), String(t), String(nc), String(nChains), tv.toFixed(4), bound.toFixed(4), bias.toExponential(1), tv < bound ? 'yes' : 'NO']);
        out.push({ n, temperature: t, clamped: nc, nChains, burnIn, tv, bound, burnInBias: bias });
      }
    }
  }
  printTable(['units', 'T', 'clamped', 'chains', 'TV', 'bound', 'burn-in TV', 'within'], rows);
  return out;
}

function gradientAgreement() {
  console.log('\n2. Sampled ML gradient vs exact gradient (4 visible + 2 hidden, T = 0.7, 5 patterns)');
  const t = 0.7;
  const bm = new BoltzmannMachine(4, 2, { temperature: t, initScale: 0.5, rng: 5 });
  const r0 = new Random(6);
  for (let i = 0; i < bm.dimension; i++) bm.bias[i] = 0.5 * r0.normal();
  const data = zeros(5, 4);
  const dr = new Random(9);
  for (let k = 0; k < data.data.length; k++) data.data[k] = dr.float64() < 0.5 ? 1 : 0;
  const exact = bm.exactLogLikelihood(data);
  const trainer = new BoltzmannMachineTrainer(bm, { clampedSamples: 5, clampedBurnIn: 10, freeSamples: 50, freeChains: 50, freeBurnIn: 20, rng: bm.random });
  const R = quick ? 100 : 400;
  const n = bm.dimension;
  const reps: Float64Array[] = [];
  for (let r = 0; r < R; r++) {
    const g = trainer.estimateGradient(data);
    const v = new Float64Array(n * n + n);
    v.set(g.weights.data);
    v.set(g.bias, n * n);
    reps.push(v);
  }
  const exactAll = new Float64Array(n * n + n);
  exactAll.set(exact.weights.data);
  exactAll.set(exact.bias, n * n);
  const zs: number[] = [];
  let sdSingle = 0;
  let count = 0;
  for (let k = 0; k < n * n + n; k++) {
    if (k < n * n && Math.floor(k / n) >= k % n) continue;
    let m = 0;
    for (const v of reps) m += v[k] / R;
    let ss = 0;
    for (const v of reps) ss += (v[k] - m) ** 2;
    const sd = Math.sqrt(ss / (R - 1));
    zs.push((m - exactAll[k]) / (sd / Math.sqrt(R)));
    sdSingle += sd;
    count++;
  }
  const maxZ = Math.max(...zs.map(Math.abs));
  const rmsZ = Math.sqrt(zs.reduce((a, z) => a + z * z, 0) / zs.length);
  const gradRms = Math.sqrt(Array.from(exactAll).reduce((a, x) => a + x * x, 0) / count);
  printTable(
    ['replicates', 'entries', 'max |z|', 'rms z', 'mean sd of one estimate', 'rms exact gradient'],
    [[String(R), String(count), maxZ.toFixed(2), rmsZ.toFixed(2), (sdSingle / count).toFixed(4), gradRms.toFixed(4)]],
  );
  return { replicates: R, entries: count, maxAbsZ: maxZ, rmsZ, meanSd: sdSingle / count, rmsExactGradient: gradRms };
}

function annealingRate() {
  console.log('\n3. Simulated annealing vs the enumerated ground state, random 16-unit machines (w, b ~ N(0, 1))');
  const runs = quick ? 50 : 200;
  const schedules: [string, () => ReturnType<typeof geometricSchedule>, number][] = [
    ['geometric 4→0.01, α=0.95, 1 sweep', () => geometricSchedule(4, 0.95, 0.01), 1],
    ['geometric 4→0.01, α=0.9, 1 sweep', () => geometricSchedule(4, 0.9, 0.01), 1],
    ['geometric 4→0.01, α=0.8, 1 sweep', () => geometricSchedule(4, 0.8, 0.01), 1],
    ['geometric 4→0.01, α=0.95, 4 sweeps', () => geometricSchedule(4, 0.95, 0.01), 4],
  ];
  const grounds: number[] = [];
  const machines: BoltzmannMachine[] = [];
  for (let m = 0; m < runs; m++) {
    const bm = new BoltzmannMachine(16, 0, { initScale: 1, rng: 100 + m });
    const r = new Random(100 + m + 7);
    for (let i = 0; i < 16; i++) bm.bias[i] = r.normal();
    machines.push(bm);
    grounds.push(exactGroundState(bm.energyFunction).energy);
  }
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  for (const [name, sched, sweeps] of schedules) {
    let final = 0;
    let best = 0;
    let sweepsTotal = 0;
    for (let m = 0; m < runs; m++) {
      const a = machines[m].anneal({ schedule: sched(), sweepsPerTemperature: sweeps });
      if (Math.abs(a.energy - grounds[m]) < 1e-9) final++;
      if (Math.abs(a.bestEnergy - grounds[m]) < 1e-9) best++;
      sweepsTotal += a.sweeps;
    }
    rows.push([name, String(runs), (final / runs).toFixed(3), (best / runs).toFixed(3), String(Math.round(sweepsTotal / runs))]);
    out.push({ schedule: name, runs, finalStateRate: final / runs, bestSeenRate: best / runs, sweeps: sweepsTotal / runs });
  }
  printTable(['schedule', 'runs', 'final state = ground', 'best seen = ground', 'sweeps/run'], rows);
  return out;
}

const FONT = [
  '111101101101111',
  '010110010010111',
  '111001111100111',
  '111001111001111',
  '101101111001001',
  '111100111001111',
  '111100111101111',
  '111001001001001',
  '111101111101111',
  '111101111001111',
];

function tinyDigits(perClass: number, p: number, seed: number) {
  const rng = new Random(seed);
  const data = zeros(perClass * 10, 15);
  const labels: number[] = [];
  for (let r = 0; r < perClass * 10; r++) {
    const c = r % 10;
    labels.push(c);
    for (let i = 0; i < 15; i++) {
      const v = FONT[c][i] === '1' ? 1 : 0;
      data.data[r * 15 + i] = rng.float64() < p ? 1 - v : v;
    }
  }
  return { data, labels };
}

function accuracy(bm: BoltzmannMachine, data: Matrix, labels: ArrayLike<number>): number {
  const p = bm.predict(data);
  let c = 0;
  for (let r = 0; r < p.length; r++) if (p[r] === labels[r]) c++;
  return c / p.length;
}

function classification() {
  console.log('\n4. Classification with one-hot label units (P(c|v) exact: hidden units enumerated with v and c clamped)');
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  {
    const train = tinyDigits(10, 0.1, 1);
    const test = tinyDigits(30, 0.1, 2);
    const bm = new BoltzmannMachine(15, 4, { nLabels: 10, rng: 4, initScale: 0.1 });
    const tr = new BoltzmannMachineTrainer(bm, { learningRate: 0.5, clampedSamples: 5, freeSamples: 100, freeChains: 20, freeBurnIn: 20, exactLogLikelihood: false, rng: bm.random });
    tr.fit(train.data, { labels: train.labels, epochs: quick ? 30 : 100 });
    const a = accuracy(bm, test.data, test.labels);
    rows.push(['tiny digits 3×5, 10% pixel noise', '15+4+10', '100', '300', accuracy(bm, train.data, train.labels).toFixed(3), a.toFixed(3), '0.100']);
    out.push({ task: 'tiny-digits', train: 100, test: 300, accuracy: a, chance: 0.1 });
  }
  {
    const { data, labels } = barsAndStripes(3, { includeUniform: false });
    const bm = new BoltzmannMachine(9, 8, { nLabels: 2, rng: 4, initScale: 0.3 });
    const tr = new BoltzmannMachineTrainer(bm, { learningRate: 1, clampedSamples: 5, freeSamples: 100, freeChains: 20, freeBurnIn: 20, exactLogLikelihood: false, rng: bm.random });
    tr.fit(data, { labels, epochs: quick ? 50 : 300 });
    const noisy = zeros(data.rows * 9, 9);
    const nl: number[] = [];
    for (let r = 0; r < data.rows; r++) {
      for (let p = 0; p < 9; p++) {
        const o = (r * 9 + p) * 9;
        for (let i = 0; i < 9; i++) noisy.data[o + i] = data.data[r * 9 + i];
        noisy.data[o + p] = 1 - noisy.data[o + p];
        nl.push(labels[r]);
      }
    }
    const a = accuracy(bm, noisy, nl);
    rows.push(['bars vs stripes 3×3 (test: 1 pixel flipped)', '9+8+2', '12', '108', accuracy(bm, data, labels).toFixed(3), a.toFixed(3), '0.500']);
    out.push({ task: 'bars-vs-stripes', train: 12, test: 108, accuracy: a, chance: 0.5 });
  }
  const digitsDir = join(benchDir, '..', '..', 'shared', 'data', 'digits');
  if (existsSync(digitsDir)) {
    const ds = loadDigits(digitsDir, { binarize: 'threshold', threshold: 0.5 });
    const nTrain = 1500;
    const train = zeros(nTrain, 64);
    train.data.set(ds.images.data.subarray(0, nTrain * 64));
    const test = zeros(ds.images.rows - nTrain, 64);
    test.data.set(ds.images.data.subarray(nTrain * 64));
    const bm = new BoltzmannMachine(64, 0, { nLabels: 10, rng: 4, initScale: 0.01 });
    const tr = new BoltzmannMachineTrainer(bm, {
      learningRate: 0.1,
      clampedSamples: 1,
      freeSamples: 200,
      freeChains: 20,
      freeBurnIn: 5,
      persistent: true,
      batchSize: 100,
      exactLogLikelihood: false,
      rng: bm.random,
    });
    tr.fit(train, { labels: ds.labels.subarray(0, nTrain), epochs: quick ? 3 : 15 });
    const a = accuracy(bm, test, ds.labels.subarray(nTrain));
    rows.push(['sklearn digits 8×8 binarized (PCD)', '64+0+10', String(nTrain), String(test.rows), accuracy(bm, train, ds.labels.subarray(0, nTrain)).toFixed(3), a.toFixed(3), '0.100']);
    out.push({ task: 'sklearn-digits', train: nTrain, test: test.rows, accuracy: a, chance: 0.1 });
  } else console.log(`(skipping sklearn digits: ${digitsDir} not found)`);
  printTable(['task', 'units v+h+c', 'train', 'test', 'train acc', 'test acc', 'chance'], rows);
  return out;
}

function barsAndStripesCurve(size: number, nHidden: number, epochs: number, every: number) {
  console.log(`\n5. Bars and stripes ${size}×${size}, ${nHidden} hidden units: exact log-likelihood during ML training`);
  const { data } = barsAndStripes(size);
  const nv = size * size;
  const bm = new BoltzmannMachine(nv, nHidden, { initScale: 0.1, rng: 2026 });
  const tr = new BoltzmannMachineTrainer(bm, {
    learningRate: (e) => 1 / (1 + e / 100),
    clampedSamples: 10,
    freeSamples: 200,
    freeChains: 20,
    freeBurnIn: 20,
    persistent: true,
    exactLogLikelihood: false,
    rng: bm.random,
  });
  const curve: { epoch: number; logLikelihood: number }[] = [];
  const ll = () => bm.exactLogLikelihood(data, { gradient: false }).logLikelihood;
  curve.push({ epoch: 0, logLikelihood: ll() });
  const t0 = performance.now();
  for (let e = 1; e <= epochs; e++) {
    tr.trainEpoch(data);
    if (e % every === 0) curve.push({ epoch: e, logLikelihood: ll() });
  }
  const seconds = (performance.now() - t0) / 1000;
  const s = bm.sampleStates(2000, { steps: 200 });
  let valid = 0;
  for (let r = 0; r < s.rows; r++) if (classifyBarsAndStripes(s.data.slice(r * s.cols, r * s.cols + nv), size) !== null) valid++;
  let firstDecrease = -1;
  for (let k = 1; k < curve.length; k++) {
    if (curve[k].logLikelihood < curve[k - 1].logLikelihood) {
      firstDecrease = curve[k].epoch;
      break;
    }
  }
  const pick = curve.filter((c, k) => k === 0 || k === curve.length - 1 || [1, 5, 10, 20, 50, 100, 200, 300].includes(c.epoch));
  printTable(
    ['epoch', 'exact LL (nats)'],
    pick.map((c) => [String(c.epoch), c.logLikelihood.toFixed(4)]),
  );
  console.log(
    `uniform ${(-nv * Math.log(2)).toFixed(3)}, best possible ${(-Math.log(data.rows)).toFixed(3)}; first decrease at epoch ${firstDecrease}; ` +
      `valid samples ${((100 * valid) / s.rows).toFixed(1)}% (uniform model: ${((100 * data.rows) / 2 ** nv).toFixed(2)}%); ${seconds.toFixed(1)} s`,
  );
  return { size, nHidden, epochs, curve, validSampleFraction: valid / s.rows, firstDecrease, seconds };
}

function enumerationSpeed() {
  console.log('\n6. Exact log Z by Gray-code enumeration (provisional timings)');
  const rows: (string | number)[][] = [];
  const out: unknown[] = [];
  for (const n of quick ? [16, 20] : [16, 20, 24]) {
    const { w, b } = randomParameters(n, n, 0.3);
    const bm = BoltzmannMachine.fromParameters(w, b, { nVisible: n });
    const t0 = performance.now();
    const lz = exactLogPartition(bm.energyFunction);
    const ms = performance.now() - t0;
    rows.push([String(n), String(2 ** n), lz.toFixed(6), ms.toFixed(0), ((1e6 * ms) / 2 ** n).toFixed(1)]);
    out.push({ units: n, states: 2 ** n, ms });
  }
  printTable(['units', 'states', 'log Z', 'ms', 'ns/state'], rows);
  return out;
}

export function main(): void {
  const result = {
    gibbs: gibbsVsExact(),
    gradient: gradientAgreement(),
    annealing: annealingRate(),
    classification: classification(),
    barsAndStripes3: barsAndStripesCurve(3, 6, quick ? 30 : 300, 1),
    barsAndStripes4: process.env.BENCH_BAS4 === '1' ? barsAndStripesCurve(4, 8, 200, 20) : undefined,
    enumeration: enumerationSpeed(),
  };
  console.log(`\nwrote ${writeResult('boltzmann-machine', result)}`);
}
