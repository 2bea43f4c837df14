import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bernoulliDraws, bernoulliWasm } from '../../src/linalg/wasm/bernoulli.js';
import { Random } from '../../src/random/random.js';

/** The loop bernoulliDraws replaces, on a generator of the same state. */
function tsDraws(p: Float64Array, n: number, rng: Random): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.float64() < p[i] ? 1 : 0;
  return out;
}

describe('Bernoulli draws in WebAssembly', () => {
  it('give the TS loop’s draws and leave the generator where it leaves it, spare normal included', () => {
    for (const n of [0, 1, 255, 256, 257, 1000, 50_000]) {
      for (const seed of [0, 1, 12345]) {
        const a = new Random(seed), b = new Random(seed);
        a.normal(); // caches a spare normal deviate, which must survive
        b.normal();
        const src = new Random(seed + 7);
        // probabilities with the edge cases: 0, 1, NaN, values a hair either side of a draw
        const p = Float64Array.from({ length: n }, (_, i) => (i % 101 === 0 ? Number.NaN : i % 37 === 0 ? 0 : i % 41 === 0 ? 1 : src.float64()));
        const want = tsDraws(p, n, a);
        const got = new Float64Array(n);
        bernoulliDraws(got, p, n, b);
        expect(Array.from(got)).toEqual(Array.from(want));
        expect(b.getState()).toEqual(a.getState());
        expect(b.normal()).toBe(a.normal());
      }
    }
  });

  it('draws exactly Random.float64(): probabilities set to the very uniforms (and the next double above) split 0/1 as the TS loop does', () => {
    // p_i = u_i gives 0 (u < u is false); p_i just above u_i gives 1: any change in a uniform's bits changes a draw
    const n = 4096;
    const peek = new Random(21);
    const p = new Float64Array(n);
    const buf = new Float64Array(1);
    const bits = new BigInt64Array(buf.buffer);
    for (let i = 0; i < n; i++) {
      const u = peek.float64();
      buf[0] = u;
      if (i % 2 === 1) bits[0] += 1n; // the next double above u (u ≥ 0)
      p[i] = buf[0];
    }
    const got = new Float64Array(n);
    bernoulliDraws(got, p, n, new Random(21));
    expect(Array.from(got)).toEqual(Array.from({ length: n }, (_, i) => i % 2));
  });

  it('draws in place (out = p) and only the first n entries', () => {
    const p = Float64Array.from({ length: 600 }, (_, i) => (i % 3) / 2);
    const want = tsDraws(p, 500, new Random(4));
    const x = Float64Array.from(p);
    bernoulliDraws(x, x, 500, new Random(4));
    expect(Array.from(x.subarray(0, 500))).toEqual(Array.from(want));
    expect(Array.from(x.subarray(500))).toEqual(Array.from(p.subarray(500)));
  });

  it('is the WebAssembly path here (switching it off gives the same numbers), and its frequencies follow p', () => {
    const n = 200_000;
    const p = new Float64Array(n).fill(0.3);
    const on = new Float64Array(n), off = new Float64Array(n);
    bernoulliDraws(on, p, n, new Random(9));
    bernoulliWasm.enabled = false;
    try {
      bernoulliDraws(off, p, n, new Random(9));
    } finally {
      bernoulliWasm.enabled = true;
    }
    expect(Array.from(on)).toEqual(Array.from(off));
    const mean = on.reduce((s, x) => s + x, 0) / n;
    // 5 binomial standard errors: √(0.3·0.7/200 000) ≈ 0.001
    expect(Math.abs(mean - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / n));
  });

  it('the committed bernoulli-bytes.ts matches the WAT source (node scripts/build-bernoulli-wasm.mjs)', () => {
    execFileSync(process.execPath, ['scripts/build-bernoulli-wasm.mjs', '--check'], { stdio: 'pipe' });
  });
});
