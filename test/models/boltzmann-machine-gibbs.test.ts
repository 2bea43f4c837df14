/**
 * Gibbs samples of a Boltzmann machine against the exact Boltzmann distribution.
 *
 * How the tolerance is derived (no fudge factors):
 *
 * 1. Every sample comes from its own chain (`nChains` independent generator
 *    streams, one recorded state per chain after `burnIn` sweeps from a
 *    uniformly random start). The samples are therefore i.i.d. draws from
 *    `π_k`, the distribution of the chain after k sweeps, so n_eff = nChains
 *    exactly (no autocorrelation to estimate).
 * 2. `π_k` is computed *exactly* here by pushing the uniform start distribution
 *    through an independent reference implementation of the single-site kernel
 *    `P(s_i = 1 | rest) = σ((Σ_j w_ij s_j + b_i)/T)` (O(n·2ⁿ) per update). So
 *    the burn-in bias `TV(π_k, P)` is known, not guessed.
 * 3. For the histogram p̂ of N i.i.d. draws from π: `E|p̂_x − π_x| ≤ √(π_x(1−π_x)/N)`
 *    (Jensen), so `E[TV(p̂, π)] ≤ ½ Σ_x √(π_x(1−π_x)/N)`; one draw moves TV by at
 *    most 1/N, so McDiarmid gives `P(TV ≥ E + z/(2√N)) ≤ exp(−z²/2)`; z = 5 → 3.7e-6.
 * 4. Triangle inequality: `TV(p̂, P) ≤ TV(p̂, π_k) + TV(π_k, P)`.
 *
 * Sabotage check (done by hand on a copy of the tree, not committed):
 * replacing `h / this.temp` by `h` in `QuadraticGibbs.updateUnit` makes all 13
 * cases with T ≠ 1 fail (TV 0.13–0.46 against bounds of 0.04–0.17); dropping
 * the 1/T in the label block draw (`BoltzmannMachineChain.drawLabel`) makes the
 * labeled case fail (TV 0.088 against 0.042).
 */
import { describe, expect, it } from 'vitest';
import { exactDistribution, totalVariation, totalVariationBound } from '../../src/energy/exact.js';
import { zeros } from '../../src/linalg/matrix.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';

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

/**
 * Exact distribution over the free units (bit m = free unit m) of a chain after
 * `sweeps` sweeps from the uniform distribution. Reference kernel written
 * independently of QuadraticGibbs.
 */
function chainDistribution(
  w: Float64Array,
  b: Float64Array,
  n: number,
  t: number,
  free: number[],
  values: Float64Array,
  sweeps: number,
  scan: 'sequential' | 'random',
): Float64Array {
  const m = free.length;
  const size = 2 ** m;
  let pi = new Float64Array(size).fill(1 / size);
  const s = new Float64Array(n);
  const load = (x: number) => {
    s.set(values);
    for (let k = 0; k < m; k++) s[free[k]] = (x >>> k) & 1;
  };
  const applyUnit = (src: Float64Array, dst: Float64Array, k: number, weight: number) => {
    const i = free[k];
    const bit = 1 << k;
    for (let x = 0; x < size; x++) {
      if (x & bit) continue;
      load(x);
      let h = b[i];
      for (let j = 0; j < n; j++) if (j !== i) h += w[i * n + j] * s[j];
      const p1 = 1 / (1 + Math.exp(-h / t));
      const mass = src[x] + src[x | bit];
      dst[x | bit] += weight * mass * p1;
      dst[x] += weight * mass * (1 - p1);
    }
  };
  for (let sw = 0; sw < sweeps; sw++) {
    for (let u = 0; u < m; u++) {
      const next = new Float64Array(size);
      if (scan === 'sequential') applyUnit(pi, next, u, 1);
      else for (let k = 0; k < m; k++) applyUnit(pi, next, k, 1 / m);
      pi = next;
    }
  }
  return pi;
}

/** Histogram over the free units' bits. */
function freeHistogram(samples: Float64Array, n: number, free: number[]): Float64Array {
  const rows = samples.length / n;
  const out = new Float64Array(2 ** free.length);
  for (let r = 0; r < rows; r++) {
    let x = 0;
    for (let k = 0; k < free.length; k++) if (samples[r * n + free[k]] === 1) x |= 1 << k;
    out[x] += 1 / rows;
  }
  return out;
}

interface Case {
  n: number;
  t: number;
  clamped: number;
  scan: 'sequential' | 'random';
}

const cases: Case[] = [];
for (const n of [3, 6, 10]) for (const t of [0.5, 1, 2]) cases.push({ n, t, clamped: 0, scan: 'sequential' });
for (const n of [5, 9]) for (const t of [0.5, 1, 2]) cases.push({ n, t, clamped: n === 5 ? 2 : 3, scan: 'sequential' });
cases.push({ n: 6, t: 0.5, clamped: 0, scan: 'random' }, { n: 7, t: 2, clamped: 2, scan: 'random' });

describe('BoltzmannMachine Gibbs sampling matches the exact Boltzmann distribution', () => {
  it.each(cases)('n = $n, T = $t, $clamped clamped units, $scan scan', ({ n, t, clamped, scan }) => {
    const seed = 1000 * n + Math.round(10 * t) + clamped;
    const { w, b } = randomParameters(n, seed, 1);
    const bm = BoltzmannMachine.fromParameters(w, b, { nVisible: n, temperature: t, scan, rng: seed + 1 });
    const clamp = new Uint8Array(n);
    const values = new Float64Array(n);
    const crng = new Random(seed + 2);
    const order = Array.from(crng.permutation(n));
    for (let k = 0; k < clamped; k++) {
      clamp[order[k]] = 1;
      values[order[k]] = crng.float64() < 0.5 ? 1 : 0;
    }
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (!clamp[i]) free.push(i);
    const nChains = 6000;
    const burnIn = 20;
    const samples = bm.sampleStates(nChains, clamped > 0 ? { steps: burnIn, clamp, values } : { steps: burnIn });
    // clamped units never move
    for (let r = 0; r < nChains; r++) for (let i = 0; i < n; i++) if (clamp[i]) expect(samples.data[r * n + i]).toBe(values[i]);
    const exact = exactDistribution(bm.energyFunction, clamped > 0 ? { temperature: t, clamp, clampValues: values } : { temperature: t });
    const piK = chainDistribution(w.data, b, n, t, free, values, burnIn, scan);
    const burnBias = totalVariation(piK, exact);
    const bound = totalVariationBound(piK, nChains, 5) + burnBias;
    const tv = totalVariation(freeHistogram(samples.data, n, free), exact);
    expect(burnBias).toBeLessThan(0.01); // the burn-in is long enough to be a small part of the budget
    expect(tv).toBeLessThan(bound);
  });

  it('labeled machine: label block moves sample the one-hot-restricted distribution', () => {
    // 3 visible + 1 hidden + 3 labels; exact P over (v, h, c one-hot) by clamping each class.
    const nv = 3;
    const nh = 1;
    const K = 3;
    const n = nv + nh + K;
    const { w, b } = randomParameters(n, 77, 1.5);
    for (let i = nv + nh; i < n; i++) for (let j = nv + nh; j < n; j++) w.data[i * n + j] = 0;
    const bm = BoltzmannMachine.fromParameters(w, b, { nVisible: nv, nHidden: nh, nLabels: K, temperature: 0.5, rng: 3 });
    const m = nv + nh;
    const exact = new Float64Array(2 ** m * K);
    const total = bm.logPartition();
    // the joint over (x, k) with the label one-hot, by brute force
    let z = 0;
    const s = new Float64Array(n);
    for (let k = 0; k < K; k++) {
      for (let x = 0; x < 2 ** m; x++) {
        s.fill(0);
        for (let i = 0; i < m; i++) s[i] = (x >>> i) & 1;
        s[m + k] = 1;
        const p = Math.exp(-bm.energy(s) / 0.5);
        exact[k * 2 ** m + x] = p;
        z += p;
      }
    }
    for (let i = 0; i < exact.length; i++) exact[i] /= z;
    expect(Math.log(z)).toBeCloseTo(total, 10);
    const nChains = 8000;
    const samples = bm.sampleStates(nChains, { steps: 60 });
    const hist = new Float64Array(exact.length);
    for (let r = 0; r < nChains; r++) {
      let x = 0;
      let k = -1;
      let on = 0;
      for (let i = 0; i < m; i++) if (samples.data[r * n + i] === 1) x |= 1 << i;
      for (let j = 0; j < K; j++) {
        if (samples.data[r * n + m + j] === 1) {
          k = j;
          on++;
        }
      }
      expect(on).toBe(1);
      hist[k * 2 ** m + x] += 1 / nChains;
    }
    // Burn-in of 60 sweeps on 4 + a label block: the chain's distance to
    // equilibrium is far below the budget of 0.005 (the unclamped cases' exact
    // burn-in biases are < 1e-3 after 20 sweeps).
    const bound = totalVariationBound(exact, nChains, 5) + 0.005;
    expect(totalVariation(hist, exact)).toBeLessThan(bound);
  });
});
