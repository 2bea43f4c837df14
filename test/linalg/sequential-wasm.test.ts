/**
 * The sequential samplers in WebAssembly (src/linalg/wasm/sequential.ts) against the
 * TypeScript loops they replace, bit for bit: asynchronous Hopfield updates
 * (evolveAsyncUnchecked), QuadraticGibbs sweeps (spins and binary, sequential and random
 * scan, clamped units), a Boltzmann machine's chain, and the module's generator, exp and σ.
 * The TS loops run with the plain-TypeScript kernel installed (setKernel(tsKernel)), which is
 * how a caller turns the WebAssembly loops off.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { QuadraticEnergy, zeroQuadraticEnergy } from '../../src/energy/quadratic.js';
import { setKernel } from '../../src/linalg/kernel.js';
import { matrix } from '../../src/linalg/matrix.js';
import { sigmoid } from '../../src/linalg/stable.js';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import {
  GIBBS_WASM_MIN_UNITS,
  HOPFIELD_WASM_MIN_UNITS,
  METROPOLIS_WASM_MIN_UNITS,
  OWNED_WEIGHTS_MIN_UNITS,
  sequentialExports,
  sequentialWeights,
  useSequentialWasm,
  weightsInOwnMemory,
} from '../../src/linalg/wasm/sequential.js';
import { SEQUENTIAL_WASM_BASE64 } from '../../src/linalg/wasm/sequential-bytes.js';
import { exp } from '../../src/math/elementary.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { evolveAsyncUnchecked, HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { Random } from '../../src/random/random.js';
import { QuadraticGibbs } from '../../src/samplers/gibbs.js';
import { Metropolis } from '../../src/samplers/metropolis.js';

afterEach(() => {
  setKernel(undefined);
});

/** Runs `fn` with the TypeScript loops (the plain-TS kernel installed). */
function withTs<T>(fn: () => T): T {
  const prev = setKernel(tsKernel);
  try {
    return fn();
  } finally {
    setKernel(prev);
  }
}

function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}[${i}]: ${got[i]} ≠ ${want[i]}`);
  }
}

/** A symmetric zero-diagonal n × n matrix: Hebbian from p spin patterns, or small integers (many exact ties). */
function weights(n: number, rng: Random, kind: 'hebbian' | 'integer' | 'gaussian'): Float64Array {
  const w = new Float64Array(n * n);
  if (kind === 'hebbian') {
    const p = Math.max(1, Math.round(0.1 * n));
    const pats = Array.from({ length: p }, () => Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (const x of pats) s += x[i] * x[j];
      w[i * n + j] = w[j * n + i] = s / n;
    }
  } else {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      w[i * n + j] = w[j * n + i] = kind === 'integer' ? rng.int(3) - 1 : 0.3 * rng.normal();
    }
  }
  return w;
}

/**
 * Generator words whose next `float64()` is exactly 0: the two 32-bit outputs must have their
 * top 27 and 26 bits zero. Sufficient linear conditions (xoroshiro128+'s step is linear over
 * GF(2)): low32(s1) = 0 and bits 5–31 of s0 zero (so s0 + s1 has low word < 32), and the same
 * for the stepped state with bits 6–31 — 117 conditions on 128 bits, solved by elimination.
 */
function zeroDrawWords(): [number, number, number, number] {
  const M64 = (1n << 64n) - 1n;
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
  const step = (x: bigint): bigint => {
    const s0 = x & M64;
    const s1 = x >> 64n;
    const a = s0 ^ s1;
    return (rotl(s0, 24n) ^ a ^ ((a << 16n) & M64)) | (rotl(a, 37n) << 64n);
  };
  const cols = Array.from({ length: 128 }, (_, k) => step(1n << BigInt(k)));
  const rowOf = (j: number, linear: boolean): bigint => {
    if (!linear) return 1n << BigInt(j);
    let r = 0n;
    for (let k = 0; k < 128; k++) if (((cols[k] as bigint) >> BigInt(j)) & 1n) r |= 1n << BigInt(k);
    return r;
  };
  const rows: bigint[] = [];
  for (const linear of [false, true]) {
    for (let j = 64; j < 96; j++) rows.push(rowOf(j, linear)); // low word of s1
    for (let j = linear ? 6 : 5; j < 32; j++) rows.push(rowOf(j, linear)); // bits of s0's low word
  }
  // reduced row echelon form, then one free variable set to 1
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < 128 && r < rows.length; c++) {
    const bit = 1n << BigInt(c);
    const p = rows.findIndex((x, i) => i >= r && (x & bit) !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p] as bigint, rows[r] as bigint];
    for (let i = 0; i < rows.length; i++) if (i !== r && ((rows[i] as bigint) & bit) !== 0n) rows[i] = (rows[i] as bigint) ^ (rows[r] as bigint);
    pivots.push(c);
    r++;
  }
  const free = Array.from({ length: 128 }, (_, c) => c).filter((c) => !pivots.includes(c));
  let x = 1n << BigInt(free[0] as number);
  pivots.forEach((c, i) => {
    if (((rows[i] as bigint) >> BigInt(free[0] as number)) & 1n) x |= 1n << BigInt(c);
  });
  const s0 = x & M64;
  const s1 = x >> 64n;
  const i32 = (v: bigint) => Number(BigInt.asIntN(32, v));
  return [i32(s0 >> 32n), i32(s0), i32(s1 >> 32n), i32(s1)];
}

describe('the module’s generator, exp and σ', () => {
  it('the committed sequential-bytes.ts matches the WAT source (node scripts/build-sequential-wasm.mjs)', () => {
    execFileSync(process.execPath, ['scripts/build-sequential-wasm.mjs', '--check'], { stdio: 'pipe' });
  });

  it('stays under 4 KB, the most a browser page’s main thread compiles synchronously', () => {
    expect(atob(SEQUENTIAL_WASM_BASE64).length).toBeLessThan(4096);
  });

  it('draws the same float64 and int numbers as Random, in the same order', () => {
    const s = sequentialExports();
    expect(s).toBeDefined();
    if (!s) return;
    for (const seed of [0, 1, 42, 2 ** 52 + 7]) {
      const r = new Random(seed);
      const w = r.getState().words;
      s.i32[0] = w[1];
      s.i32[1] = w[0];
      s.i32[2] = w[3];
      s.i32[3] = w[2];
      for (let t = 0; t < 20000; t++) {
        if (t % 3 === 0) {
          const n = [1, 2, 3, 7, 1000, 65536, 1e9 + 7, 3e9][t % 8] as number;
          const got: number = s.ex.int(n) >>> 0;
          const want = r.int(n);
          if (got !== want) expect.fail(`seed ${seed}, draw ${t}: int(${n}) ${got} ≠ ${want}`);
        } else {
          const got: number = s.ex.float64();
          const want = r.float64();
          if (got !== want) expect.fail(`seed ${seed}, draw ${t}: float64 ${got} ≠ ${want}`);
        }
      }
    }
  });

  it('gives the bits of elementary.ts exp and stable.ts sigmoid, every branch of fdlibm included', () => {
    const s = sequentialExports();
    if (!s) return;
    const r = new Random(5);
    const xs = [0, -0, 1, -1, 2 ** -28, -(2 ** -29), 0.34657359027997264, -0.34657359027997264, 1.0397207708399179, -1.0397207708399179];
    xs.push(709.782712893384, 709.79, 710, 1e308, -708.4, -709.78, -720, -745.13, -745.14, -1e308, Infinity, -Infinity, Number.NaN, 5e-324);
    for (let i = 0; i < 50000; i++) xs.push((r.float64() - 0.5) * ([3, 30, 300, 1500, 1e-8] as const)[i % 5]);
    for (const x of xs) {
      if (!Object.is(s.ex.exp(x), exp(x))) expect.fail(`exp(${x}): ${s.ex.exp(x)} ≠ ${exp(x)}`);
      if (!Object.is(s.ex.sigmoid(x), sigmoid(x))) expect.fail(`sigmoid(${x}): ${s.ex.sigmoid(x)} ≠ ${sigmoid(x)}`);
    }
  });
});

describe('asynchronous Hopfield updates in WebAssembly', () => {
  it('keeps the TS loop for a generator that draws otherwise (a subclass of Random)', () => {
    class Biased extends Random {
      override float64(): number {
        return 0.5 * super.float64();
      }
    }
    expect(useSequentialWasm(100, 32, new Random(1))).toBe(sequentialExports() !== undefined);
    expect(useSequentialWasm(100, 32, new Biased(1))).toBe(false);
    const n = 64;
    const rng = new Random(4);
    const e = new QuadraticEnergy(matrix(n, n, weights(n, rng, 'gaussian')), new Float64Array(n), 'spin');
    const a = new QuadraticGibbs(e, { rng: new Biased(3) });
    const b = withTs(() => new QuadraticGibbs(e, { rng: new Biased(3) }));
    for (let t = 0; t < 5; t++) {
      a.step();
      withTs(() => b.step());
    }
    expectSameBits(a.state, b.state, 'biased generator state');
  });

  it('runs where the module compiles and not under the TS kernel', () => {
    expect(useSequentialWasm(HOPFIELD_WASM_MIN_UNITS, HOPFIELD_WASM_MIN_UNITS)).toBe(sequentialExports() !== undefined);
    expect(useSequentialWasm(HOPFIELD_WASM_MIN_UNITS - 1, HOPFIELD_WASM_MIN_UNITS)).toBe(false);
    withTs(() => expect(useSequentialWasm(1000, HOPFIELD_WASM_MIN_UNITS)).toBe(false));
  });

  it('gives the TS loop’s states, fields, order, counters, energies and generator, bit for bit', () => {
    let cases = 0;
    for (const n of [HOPFIELD_WASM_MIN_UNITS, 33, 67, 100, 131, 256]) {
      for (const kind of ['hebbian', 'integer', 'gaussian'] as const) {
        for (let seed = 1; seed <= 4; seed++) {
          const rng = new Random(1000 * n + seed);
          const w = weights(n, rng, kind);
          const b = Float64Array.from({ length: n }, () => (kind === 'integer' ? 0 : seed % 2 ? 0.05 * rng.normal() : 0));
          const y0 = Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1));
          const h0 = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let a = b[i];
            for (let j = 0; j < n; j++) a += w[i * n + j] * y0[j];
            h0[i] = a;
          }
          // some units held (count < n, a shuffled subset) on every other seed
          const count = seed % 2 ? n : n - 1 - rng.int(Math.floor(n / 3));
          const order0 = rng.permutation(n);
          const minus = seed % 4 < 2;
          const permute = seed !== 4;
          const maxSweeps = seed === 3 ? 2 : 50;
          const run = () => {
            const y = y0.slice();
            const h = h0.slice();
            const order = order0.slice();
            const r = new Random(seed * 7919);
            const energies = seed % 2 ? new Float64Array(maxSweeps + 1) : null;
            const counters = new Float64Array(2);
            const converged = evolveAsyncUnchecked(w, b, y, h, n, order, count, minus, maxSweeps, r, permute, energies, counters);
            return { y, h, order, converged, counters, energies, words: r.getState().words, next: r.float64() };
          };
          const got = run();
          const want = withTs(run);
          const what = `n ${n} ${kind} seed ${seed}`;
          expectSameBits(got.y, want.y, `${what} y`);
          expectSameBits(got.h, want.h, `${what} h`);
          expectSameBits(got.order, want.order, `${what} order`);
          expectSameBits(got.counters, want.counters, `${what} counters`);
          if (want.energies) expectSameBits(got.energies as Float64Array, want.energies, `${what} energies`);
          expect(got.converged, what).toBe(want.converged);
          expect(got.words, what).toEqual(want.words);
          expect(got.next, what).toBe(want.next);
          if (want.counters[1] > 0) cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(60); // the runs flipped units (the comparison is not vacuous)
  });

  it('reads maxSweeps as the TS loop does (∞, a fraction, 0, NaN)', () => {
    const n = 90;
    const rng = new Random(3);
    const w = weights(n, rng, 'gaussian');
    const b = new Float64Array(n);
    const y0 = Float64Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1));
    const h0 = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h0[i] += w[i * n + j] * y0[j];
    for (const maxSweeps of [Number.POSITIVE_INFINITY, 1.5, 0, Number.NaN]) {
      const run = () => {
        const y = y0.slice();
        const h = h0.slice();
        const counters = new Float64Array(2);
        const converged = evolveAsyncUnchecked(w, b, y, h, n, rng.permutation(n).sort(), n, false, maxSweeps, null, false, null, counters);
        return { y, counters, converged };
      };
      const got = run();
      const want = withTs(run);
      expectSameBits(got.y, want.y, `maxSweeps ${maxSweeps} y`);
      expectSameBits(got.counters, want.counters, `maxSweeps ${maxSweeps} counters`);
      expect(got.converged).toBe(want.converged);
    }
  });

  it('gives HopfieldNetwork.evolve’s result bit for bit (sequential and random order, clamped units)', () => {
    for (const n of [80, 200]) {
      const rng = new Random(n);
      const pats = Float64Array.from({ length: 8 * n }, () => (rng.float64() < 0.5 ? -1 : 1));
      const net = new HopfieldNetwork(n, { rng: 3 });
      net.fit({ rows: 8, cols: n, data: pats });
      const clamp = new Uint8Array(n);
      for (let i = 0; i < n; i += 7) clamp[i] = 1;
      for (const order of ['sequential', 'random'] as const) {
        for (let c = 0; c < 4; c++) {
          const cue = pats.slice((c % 8) * n, (c % 8 + 1) * n);
          for (let i = 0; i < n; i++) if (rng.float64() < 0.25) cue[i] = -cue[i];
          const opts = { order, rng: 10 + c, ...(c % 2 ? { clamp } : {}) };
          const got = net.evolve(cue, opts);
          const want = withTs(() => net.evolve(cue, opts));
          expectSameBits(got.state, want.state, `evolve ${order} ${c} state`);
          expectSameBits(got.energies, want.energies, `evolve ${order} ${c} energies`);
          expect([got.sweeps, got.flips, got.converged]).toEqual([want.sweeps, want.flips, want.converged]);
        }
      }
    }
  });
});

describe('Gibbs sweeps in WebAssembly', () => {
  function compareChains(e: QuadraticEnergy, options: ConstructorParameters<typeof QuadraticGibbs>[1], steps: number, what: string): number {
    const a = new QuadraticGibbs(e, options);
    const b = withTs(() => new QuadraticGibbs(e, options));
    let changes = 0;
    for (let t = 0; t < steps; t++) {
      const ca = a.step();
      const cb = withTs(() => b.step());
      expect(ca, `${what} step ${t}`).toBe(cb);
      changes += cb;
      expectSameBits(a.state, b.state, `${what} step ${t} state`);
      expectSameBits(a.fields, b.fields, `${what} step ${t} fields`);
    }
    expect(a.flipCount).toBe(b.flipCount);
    expect(a.random.getState()).toEqual(b.random.getState());
    return changes;
  }

  it('gives the TS sweep’s states, fields, counts and generator for spins and binary units, both scans, clamps', () => {
    let total = 0;
    for (const n of [GIBBS_WASM_MIN_UNITS, 33, 50, 128, 201]) {
      for (const domain of ['spin', 'binary'] as const) {
        for (const scan of ['sequential', 'random'] as const) {
          for (const kind of ['gaussian', 'integer'] as const) {
            const rng = new Random(n * 31 + (domain === 'spin' ? 1 : 2));
            const w = weights(n, rng, kind);
            const bias = Float64Array.from({ length: n }, () => (kind === 'integer' ? rng.int(3) - 1 : 0.2 * rng.normal()));
            const e = new QuadraticEnergy(matrix(n, n, w), bias, domain);
            const clamp = new Uint8Array(n);
            if (scan === 'random') for (let i = 0; i < n; i += 5) clamp[i] = 1;
            for (const temperature of [0.3, 1, 4.5]) {
              total += compareChains(e, { temperature, scan, clamp, rng: n + Math.round(10 * temperature) }, 6, `${n} ${domain} ${scan} ${kind} T=${temperature}`);
            }
          }
        }
      }
    }
    expect(total).toBeGreaterThan(1000);
  });

  it('keeps fields with exact zeros (integer weights at T = 1: σ(0) = ½ draws) identical', () => {
    const n = 64;
    const rng = new Random(77);
    const w = weights(n, rng, 'integer');
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.float64() < 0.95) w[i * n + j] = w[j * n + i] = 0;
    const e = new QuadraticEnergy(matrix(n, n, w), new Float64Array(n), 'spin');
    expect(compareChains(e, { temperature: 1, rng: 9 }, 30, 'ties')).toBeGreaterThan(300);
    const g = new QuadraticGibbs(e, { temperature: 1, rng: 9 });
    let zeros = 0;
    for (let t = 0; t < 30; t++) {
      g.step();
      for (let i = 0; i < n; i++) if (g.fields[i] === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(100); // many draws from σ(0) = ½
  });

  it('keeps the strict draw u < p at the boundary: a draw of exactly 0 against σ = 0 leaves the unit off', () => {
    // A generator state whose next float64() is exactly 0 (a GF(2) solution of xoroshiro128+'s linear step).
    const rng = Random.fromState({ algorithm: 'xoroshiro128+', words: zeroDrawWords(), spareNormal: null });
    expect(rng.clone().float64()).toBe(0);
    const n = 40;
    const e = new QuadraticEnergy(matrix(n, n, new Float64Array(n * n)), new Float64Array(n).fill(-1000), 'binary');
    const opts = { temperature: 1, rng, initial: new Float64Array(n) };
    const a = new QuadraticGibbs(e, { ...opts, rng: rng.clone() });
    const b = withTs(() => new QuadraticGibbs(e, { ...opts, rng: rng.clone() }));
    a.step();
    withTs(() => b.step());
    expectSameBits(b.state, new Float64Array(n), 'TS state (σ(−1000) = 0: never on)');
    expectSameBits(a.state, b.state, 'state');
    expect(a.random.getState()).toEqual(b.random.getState());
  });

  it('runs a Boltzmann machine’s chain (visible, hidden and a free label group) exactly as the TS sweep', () => {
    const bm = new BoltzmannMachine(40, 20, { nLabels: 3, rng: 4 });
    const w = bm.energyFunction.weights.data;
    const n = bm.energyFunction.dimension;
    const rng = new Random(8);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) w[i * n + j] = w[j * n + i] = 0.4 * rng.normal();
    for (let i = 0; i < n; i++) bm.energyFunction.bias[i] = 0.1 * rng.normal();
    const a = bm.createChain({ rng: 12 });
    const b = withTs(() => bm.createChain({ rng: 12 }));
    for (let t = 0; t < 40; t++) {
      a.step();
      withTs(() => b.step());
      expectSameBits(a.state, b.state, `bm step ${t}`);
    }
    expect(a.random.getState()).toEqual(b.random.getState());
  });
});

describe('Metropolis sweeps over a quadratic energy in WebAssembly', () => {
  it('gives the TS sweep’s states, energies, acceptance counts and generator (spins and binary, hot and cold, zero-cost flips)', () => {
    let accepted = 0;
    let rejected = 0;
    for (const n of [METROPOLIS_WASM_MIN_UNITS, 33, 50, 67, 130]) {
      for (const domain of ['spin', 'binary'] as const) {
        for (const kind of ['gaussian', 'integer'] as const) {
          const rng = new Random(n * 17 + (domain === 'spin' ? 1 : 2));
          const w = weights(n, rng, kind);
          const bias = Float64Array.from({ length: n }, () => (kind === 'integer' ? rng.int(3) - 1 : 0.2 * rng.normal()));
          const e = new QuadraticEnergy(matrix(n, n, w), bias, domain);
          for (const temperature of [0.2, 1, 8]) {
            const opts = { temperature, rng: n + Math.round(10 * temperature) };
            const a = new Metropolis(e, opts);
            const b = withTs(() => new Metropolis(e, opts));
            const what = `${n} ${domain} ${kind} T=${temperature}`;
            for (let t = 0; t < 5; t++) {
              a.step();
              withTs(() => b.step());
              expectSameBits(a.state, b.state, `${what} step ${t} state`);
              expect(Object.is(a.energy(), b.energy()), `${what} step ${t} energy ${a.energy()} vs ${b.energy()}`).toBe(true);
            }
            expect([a.accepted, a.proposed]).toEqual([b.accepted, b.proposed]);
            expect(a.random.getState()).toEqual(b.random.getState());
            accepted += b.accepted;
            rejected += b.proposed - b.accepted;
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('keeps the TS loop for random scan and for an energy whose ΔE is its own', () => {
    const n = 40;
    const rng = new Random(2);
    const e = new QuadraticEnergy(matrix(n, n, weights(n, rng, 'gaussian')), new Float64Array(n), 'spin');
    class Shifted extends QuadraticEnergy {
      override deltaEnergyFlip(s: Float64Array, i: number): number {
        return super.deltaEnergyFlip(s, i) + 0.25;
      }
    }
    const shifted = new Shifted(e.weights, e.bias, 'spin');
    for (const [model, scan] of [[e, 'random'], [shifted, 'sequential']] as const) {
      const a = new Metropolis(model, { scan, rng: 4 });
      const b = withTs(() => new Metropolis(model, { scan, rng: 4 }));
      for (let t = 0; t < 5; t++) {
        a.step();
        withTs(() => b.step());
      }
      expectSameBits(a.state, b.state, `${scan} state`);
      expect(a.energy()).toBe(b.energy());
    }
  });
});


describe('weights in the module’s own memory (sequentialWeights: rows read in place)', () => {
  it('gives Hopfield networks and Boltzmann machines from 256 units such weights, smaller ones plain arrays', () => {
    const big = new HopfieldNetwork(OWNED_WEIGHTS_MIN_UNITS);
    expect(weightsInOwnMemory(big.weights.data)).toBe(true);
    expect(big.weights.data.length).toBe(OWNED_WEIGHTS_MIN_UNITS ** 2);
    expect(big.weights.data.every((x) => x === 0)).toBe(true);
    expect(weightsInOwnMemory(new HopfieldNetwork(OWNED_WEIGHTS_MIN_UNITS - 1).weights.data)).toBe(false);
    expect(weightsInOwnMemory(new BoltzmannMachine(200, 100).weights.data)).toBe(true);
    // a copy of them, or a part, is an ordinary array for the module: its rows are copied in
    expect(weightsInOwnMemory(big.weights.data.slice())).toBe(false);
    expect(weightsInOwnMemory(big.weights.data.subarray(OWNED_WEIGHTS_MIN_UNITS))).toBe(false);
    expect(weightsInOwnMemory(sequentialWeights(300))).toBe(true);
  });

  it('a model’s fresh zero energy (zeroQuadraticEnergy, no O(n²) scan) is the checked constructor’s', () => {
    for (const n of [3, 300]) {
      for (const domain of ['spin', 'binary'] as const) {
        const data = sequentialWeights(n);
        const e = zeroQuadraticEnergy(n, data, domain);
        const checked = new QuadraticEnergy({ rows: n, cols: n, data: new Float64Array(n * n) }, new Float64Array(n), domain);
        expect([e.dimension, e.domain, e.weights.rows, e.weights.cols, e.bias.length]).toEqual([checked.dimension, checked.domain, n, n, n]);
        expect(e.weights.data).toBe(data); // held by reference, as the constructor does
        expect(e.bias.every((x) => x === 0)).toBe(true);
        const s = Float64Array.from({ length: n }, (_, i) => (domain === 'spin' ? (i % 2 ? 1 : -1) : i % 2));
        expect(e.energy(s)).toBe(checked.energy(s));
      }
    }
    expect(() => zeroQuadraticEnergy(4, new Float64Array(15), 'spin')).toThrow(/n² = 16/);
    // the constructor checks again after it
    expect(() => new QuadraticEnergy({ rows: 2, cols: 2, data: Float64Array.of(0, 1, 2, 0) }, new Float64Array(2), 'spin')).toThrow(/symmetric/);
  });

  it('Hopfield recall reads the live weights: the TS loop’s results bit for bit, also after the weights are edited between calls', () => {
    const n = 300;
    const rng = new Random(5);
    const pats = Float64Array.from({ length: 20 * n }, () => (rng.float64() < 0.5 ? -1 : 1));
    const net = new HopfieldNetwork(n, { rng: 1 });
    expect(weightsInOwnMemory(net.weights.data)).toBe(true);
    net.fit({ rows: 20, cols: n, data: pats });
    const w = net.weights.data;
    let flips = 0;
    for (let c = 0; c < 6; c++) {
      if (c >= 3) {
        // edit rows the next recall will read (symmetric, zero diagonal), after earlier calls read them
        for (let k = 0; k < 200; k++) {
          const i = rng.int(n), j = rng.int(n);
          if (i !== j) w[i * n + j] = w[j * n + i] = 0.5 * rng.normal();
        }
      }
      const cue = pats.slice(c * n, (c + 1) * n);
      for (let i = 0; i < n; i++) if (rng.float64() < 0.2) cue[i] = -cue[i];
      for (const order of ['sequential', 'random'] as const) {
        const got = net.evolve(cue, { order, rng: 7 + c });
        const want = withTs(() => net.evolve(cue, { order, rng: 7 + c }));
        expectSameBits(got.state, want.state, `recall ${c} ${order}`);
        expectSameBits(got.energies, want.energies, `recall ${c} ${order} energies`);
        expect([got.sweeps, got.flips]).toEqual([want.sweeps, want.flips]);
        flips += got.flips;
      }
    }
    expect(flips).toBeGreaterThan(300);
  });

  it('Gibbs and Metropolis sweeps on owned weights give the TS sweeps’ bits (a Hopfield network and a Boltzmann machine)', () => {
    const n = 280;
    const net = new HopfieldNetwork(n, { rng: 2 });
    const w = net.weights.data;
    expect(weightsInOwnMemory(w)).toBe(true);
    w.set(weights(n, new Random(3), 'gaussian'));
    for (let i = 0; i < n; i++) net.bias[i] = 0.1 * i / n;
    const e = net.quadratic;
    for (const temperature of [0.5, 3]) {
      const a = new QuadraticGibbs(e, { temperature, rng: 4 });
      const b = withTs(() => new QuadraticGibbs(e, { temperature, rng: 4 }));
      const m1 = new Metropolis(e, { temperature, rng: 5 });
      const m2 = withTs(() => new Metropolis(e, { temperature, rng: 5 }));
      for (let t = 0; t < 6; t++) {
        if (t === 3) w[1 * n + 2] = w[2 * n + 1] = 2.5; // edited between sweeps: both read the new value
        a.step();
        withTs(() => b.step());
        expectSameBits(a.state, b.state, `gibbs T=${temperature} step ${t}`);
        m1.step();
        withTs(() => m2.step());
        expectSameBits(m1.state, m2.state, `metropolis T=${temperature} step ${t}`);
      }
      expect([m1.accepted, m1.proposed]).toEqual([m2.accepted, m2.proposed]);
      // the same model's recall (another layout over the same memory), with and without clamped units, then Gibbs again
      const cue = Float64Array.from(a.state, (x) => (x > 0 ? 1 : -1));
      const clamp = new Uint8Array(n);
      for (let i = 0; i < n; i += 5) clamp[i] = 1;
      for (const opts of [{}, { clamp }, { order: 'random' as const, rng: 2 }]) {
        const got = net.evolve(cue, opts);
        const want = withTs(() => net.evolve(cue, opts));
        expectSameBits(got.state, want.state, `evolve T=${temperature} ${JSON.stringify(Object.keys(opts))}`);
      }
      const g1 = new QuadraticGibbs(e, { temperature, rng: 8, clamp });
      const g2 = withTs(() => new QuadraticGibbs(e, { temperature, rng: 8, clamp }));
      g1.step();
      withTs(() => g2.step());
      expectSameBits(g1.state, g2.state, `clamped gibbs T=${temperature}`);
    }
    const bm = new BoltzmannMachine(200, 80, { rng: 6, initScale: 0.3 });
    expect(weightsInOwnMemory(bm.weights.data)).toBe(true);
    const c1 = bm.createChain({ rng: 9 });
    const c2 = withTs(() => bm.createChain({ rng: 9 }));
    for (let t = 0; t < 10; t++) {
      c1.step();
      withTs(() => c2.step());
      expectSameBits(c1.state, c2.state, `bm step ${t}`);
    }
  });
});
