/**
 * One seeded computation whose result must be bit-identical in Node and in
 * Chromium: it exercises the generator (uniform, normal, Bernoulli), the GEMM
 * kernel and Gibbs sampling, and returns a SHA-256 of every float64 produced.
 * Used by test/browser/same-numbers.test.ts on both sides.
 */
import { QuadraticEnergy, QuadraticGibbs, Random, gemm, matrix, symmetrize, zeroDiagonal, zeros } from '../../src/index.js';

/** Runs the computation and returns the hex SHA-256 of its float64 outputs. */
export async function sameNumbersRun(): Promise<string> {
  const rng = new Random(20261126);
  const a = matrix(37, 53, rng.fillNormal(new Float64Array(37 * 53)));
  const b = matrix(53, 29, rng.fillUniform(new Float64Array(53 * 29)));
  const c = gemm(zeros(37, 29), a, b);
  const w = matrix(12, 12, rng.fillNormal(new Float64Array(144), 0, 0.7));
  zeroDiagonal(symmetrize(w));
  const g = new QuadraticGibbs(new QuadraticEnergy(w, rng.fillNormal(new Float64Array(12), 0, 0.3), 'binary'), { rng: rng.split() });
  const trace = new Float64Array(200 * 12);
  for (let s = 0; s < 200; s++) {
    g.step();
    trace.set(g.state, s * 12);
  }
  const parts = [c.data, trace, Float64Array.of(g.energy(), rng.float64())];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float64Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', all.buffer);
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}
