import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/linalg/stable.js';
import { sigmoidBernoulli } from '../../src/linalg/wasm/gather.js';
import { Random } from '../../src/random/random.js';

/** Inputs at every branch of exp inside σ (tiny, ±0, the reduction bounds, |x| ≥ 700, ±∞, NaN). */
const EDGES = [
  0, -0, 1e-300, -(2 ** -28), 2 ** -29, 0.34657359027997264, -0.3465735902799727, 1.0397207708399179, -1.039720770839918, 36.7, -36.7,
  -699.999999, 700, -700, 709.79, -709.79, 745.2, -745.2, -1e308, Infinity, -Infinity, Number.NaN,
];

function inputs(n: number, seed: number, std: number, edges: boolean): Float64Array {
  const r = new Random(seed);
  const x = new Float64Array(n);
  r.fillNormal(x, 0, std);
  if (edges) for (let i = 0; i < n; i += 5) x[i] = EDGES[r.int(EDGES.length)];
  return x;
}

/** The plain loop: a draw per value, in order, against the TS σ. */
function plain(x: Float64Array, n: number, scale: number, rng: Random): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.float64() < sigmoid(scale * x[i]) ? 1 : 0;
  return out;
}

function expectSame(x: Float64Array, n: number, scale: number, seed: number): void {
  const a = new Random(seed), b = new Random(seed);
  a.normal(); // leaves a spare normal deviate, which must survive
  b.normal();
  const want = plain(x, n, scale, a);
  const got = new Float64Array(n + 3).fill(7);
  sigmoidBernoulli(got, x, n, scale, b);
  expect(Array.from(got.subarray(0, n)), `n ${n}, scale ${scale}`).toEqual(Array.from(want));
  expect(Array.from(got.subarray(n))).toEqual([7, 7, 7]);
  expect(b.getState()).toEqual(a.getState());
  expect(b.normal()).toBe(a.normal());
  expect(b.float64()).toBe(a.float64());
}

describe('sigmoidBernoulli (σ and the draws in WebAssembly SIMD)', () => {
  it('gives the plain loop’s draws and leaves the generator in its state, for even, odd and small sizes', () => {
    let seed = 1;
    for (const n of [0, 1, 2, 3, 63, 64, 65, 500, 1001, 78_400]) {
      for (const scale of [1, 0.3, 1e-4]) expectSame(inputs(n + 5, seed, 3, false), n, scale, seed++);
    }
  });

  it('gives the plain loop’s draws on every branch of σ’s exp, |scale·x| ≥ 700, ±∞ and NaN', () => {
    let seed = 50;
    for (const n of [64, 257, 4000]) {
      for (const scale of [1, -1, 0.5, 0, 2e3]) expectSame(inputs(n, seed, 40, true), n, scale, seed++);
    }
    const x = Float64Array.from({ length: 4 * EDGES.length }, (_, i) => EDGES[i % EDGES.length]);
    expectSame(x, x.length, 1, 99);
    expectSame(x, x.length - 1, -3, 98);
  });

  it('decides like the exact σ where the uniform lies within any relative distance of it (the cheap test and its margin)', () => {
    // σ is computed exactly only where a cheap test (e^{−|t|} to about 1e-4, a relative margin of
    // 2^−11) cannot decide. Put σ(x_i) at u_i·(1 + δ_i) for the uniform u_i that element i will
    // draw, δ from ±1e-16 to ±1e-1 (both sides of the margin, and inside it), t of both signs:
    // the draws must be the plain loop's everywhere.
    const n = 40_000;
    for (const [seed, scale] of [
      [7, 1],
      [8, -1],
      [9, 0.37],
    ] as const) {
      const peek = new Random(seed);
      peek.normal();
      const pick = new Random(seed + 1000);
      const x = new Float64Array(n);
      let undecidedByMargin = 0;
      for (let i = 0; i < n; i++) {
        const u = peek.float64();
        const delta = (pick.float64() < 0.5 ? -1 : 1) * 10 ** (-16 + 15 * pick.float64());
        const target = Math.min(1 - 2 ** -53, Math.max(2 ** -1000, u * (1 + delta)));
        // the t with σ(t) = target (either branch: logit), then x = t / scale
        x[i] = Math.log(target / (1 - target)) / scale;
        if (Math.abs(delta) < 2 ** -11) undecidedByMargin++;
      }
      expect(undecidedByMargin).toBeGreaterThan(n / 4); // many inside the margin: the exact path runs
      expectSame(x, n, scale, seed);
    }
  });
});
