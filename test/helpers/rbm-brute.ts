/** Brute-force references for small RBMs: every (v, h) pair enumerated from the energy. */
import fc from 'fast-check';
import { RBM } from '../../src/models/rbm.js';

/** Bits of `idx` as a 0/1 array of length n (bit j = unit j). */
export function bits(idx: number, n: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) out.push((idx >> j) & 1);
  return out;
}

/** E(v, h) = −vᵀWh − bᵀv − cᵀh straight from the definition. */
export function energyOf(rbm: RBM, v: ArrayLike<number>, h: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < rbm.nVisible; i++) {
    e -= rbm.visibleBias[i] * v[i];
    for (let j = 0; j < rbm.nHidden; j++) e -= v[i] * rbm.weights.data[i * rbm.nHidden + j] * h[j];
  }
  for (let j = 0; j < rbm.nHidden; j++) e -= rbm.hiddenBias[j] * h[j];
  return e;
}

/** log Σ exp(x) for a plain array. */
export function lse(x: number[]): number {
  const m = Math.max(...x);
  return m + Math.log(x.reduce((s, y) => s + Math.exp(y - m), 0));
}

/** log Z by enumerating both layers. */
export function bruteLogZ(rbm: RBM): number {
  const terms: number[] = [];
  for (let a = 0; a < 2 ** rbm.nVisible; a++) {
    const v = bits(a, rbm.nVisible);
    for (let b = 0; b < 2 ** rbm.nHidden; b++) terms.push(-energyOf(rbm, v, bits(b, rbm.nHidden)));
  }
  return lse(terms);
}

/** An RBM with the given parameters. */
export function rbmWith(nV: number, nH: number, w: number[], b: number[], c: number[]): RBM {
  const rbm = new RBM(nV, nH);
  rbm.weights.data.set(w.slice(0, nV * nH));
  rbm.visibleBias.set(b.slice(0, nV));
  rbm.hiddenBias.set(c.slice(0, nH));
  return rbm;
}

/** fast-check arbitrary: a small RBM (1–5 visible, 1–5 hidden) with parameters in [−scale, scale]. */
export function arbRBM(maxV = 5, maxH = 5, scale = 3): fc.Arbitrary<RBM> {
  const p = fc.double({ min: -scale, max: scale, noNaN: true });
  return fc
    .record({ nV: fc.integer({ min: 1, max: maxV }), nH: fc.integer({ min: 1, max: maxH }) })
    .chain(({ nV, nH }) =>
      fc
        .record({
          w: fc.array(p, { minLength: nV * nH, maxLength: nV * nH }),
          b: fc.array(p, { minLength: nV, maxLength: nV }),
          c: fc.array(p, { minLength: nH, maxLength: nH }),
        })
        .map(({ w, b, c }) => rbmWith(nV, nH, w, b, c)),
    );
}
