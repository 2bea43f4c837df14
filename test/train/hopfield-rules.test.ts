import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromArrays,
  type HopfieldFitOptions,
  HopfieldNetwork,
  hasZeroDiagonal,
  hebbianUpdate,
  hebbianWeights,
  isSymmetric,
  type Matrix,
  NumericalError,
  pseudoInverseWeights,
  Random,
  ShapeError,
  storeWeights,
  storkeyUpdate,
  storkeyWeights,
  toSpinPatterns,
  zeros,
} from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

/** A network of the patterns' size with the patterns stored by `fit`. */
function fitted(patterns: number[][], options?: HopfieldFitOptions): HopfieldNetwork {
  const net = new HopfieldNetwork(patterns[0].length);
  net.fit(patterns, options);
  return net;
}

/** Rows of the Sylvester–Hadamard matrix of order 2^k: mutually orthogonal ±1 patterns. */
function hadamard(k: number): number[][] {
  let h = [[1]];
  for (let s = 0; s < k; s++) h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((x) => -x)])];
  return h;
}

const patternsArb = fc.record({ p: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 2, max: 20 }), seed: fc.nat(1e9) });

describe('storage rules: structure', () => {
  it('every rule gives an exactly symmetric matrix with a zero diagonal, and does not modify its input', () => {
    fc.assert(
      fc.property(patternsArb, fc.constantFrom('hebbian', 'storkey', 'pseudo-inverse'), ({ p, n, seed }, rule) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const m = fromArrays(pats);
        const copy = m.data.slice();
        const w = storeWeights(m, rule);
        expect(isSymmetric(w)).toBe(true);
        expect(hasZeroDiagonal(w)).toBe(true);
        expect(m.data).toEqual(copy);
        expect(w.data.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('Hebbian: W = (1/N) Σ ξξᵀ off the diagonal, computed independently', () => {
    fc.assert(
      fc.property(patternsArb, ({ p, n, seed }) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const w = hebbianWeights(pats);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const direct = i === j ? 0 : pats.reduce((s, x) => s + x[i] * x[j], 0) / n;
            expect(w.data[i * n + j]).toBeCloseTo(direct, 14);
          }
        }
        expect(hebbianWeights(pats, { scale: 'none' }).data[1]).toBe(pats.reduce((s, x) => s + x[0] * x[1], 0));
        expect(hebbianWeights(pats, { scale: 'patterns' }).data[1]).toBeCloseTo(pats.reduce((s, x) => s + x[0] * x[1], 0) / p, 14);
      }),
      { numRuns: 100 },
    );
  });

  it('incremental Hebbian storage equals batch storage', () => {
    fc.assert(
      fc.property(patternsArb, ({ p, n, seed }) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const w = zeros(n, n);
        for (const x of pats) hebbianUpdate(w, Float64Array.from(x));
        const batch = hebbianWeights(pats);
        for (let i = 0; i < n * n; i++) expect(w.data[i]).toBeCloseTo(batch.data[i], 13);
        expect(isSymmetric(w)).toBe(true);
        expect(hasZeroDiagonal(w)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('Storkey matches a direct transcription of Storkey (1997) with h_ij = Σ_{k≠i,j} w_ik ξ_k', () => {
    fc.assert(
      fc.property(patternsArb, ({ p, n, seed }) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const ref: number[][] = Array.from({ length: n }, () => new Array(n).fill(0));
        for (const x of pats) {
          const h = (i: number, j: number) => {
            let s = 0;
            for (let k = 0; k < n; k++) if (k !== i && k !== j) s += ref[i][k] * x[k];
            return s;
          };
          const next = ref.map((r, i) => r.map((v, j) => (i === j ? 0 : v + (x[i] * x[j] - x[i] * h(j, i) - h(i, j) * x[j]) / n)));
          for (let i = 0; i < n; i++) ref[i] = next[i];
        }
        const w = storkeyWeights(pats);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(w.data[i * n + j]).toBeCloseTo(ref[i][j], 12);
        const inc = zeros(n, n);
        for (const x of pats) storkeyUpdate(inc, Float64Array.from(x));
        expect(inc.data).toEqual(w.data);
      }),
      { numRuns: 60 },
    );
  });

  it('pseudo-inverse: the weights plus their diagonal form the projector onto span(ξ) (W ξ = ξ, P² = P)', () => {
    fc.assert(
      fc.property(patternsArb, ({ p, n, seed }) => {
        const pats = randomPatterns(p, n, new Random(seed));
        const w = pseudoInverseWeights(pats);
        // W = P − diag(P) with P the projector, so (W ξ)_i = (1 − P_ii) ξ_i for every pattern with one P_ii per unit, in [0, 1].
        const diag = new Float64Array(n).fill(Number.NaN);
        for (const x of pats) {
          for (let i = 0; i < n; i++) {
            let h = 0;
            for (let j = 0; j < n; j++) h += w.data[i * n + j] * x[j];
            const d = 1 - h / x[i];
            if (Number.isNaN(diag[i])) diag[i] = d;
            expect(d).toBeCloseTo(diag[i], 9);
            expect(d).toBeGreaterThanOrEqual(-1e-9);
            expect(d).toBeLessThanOrEqual(1 + 1e-9);
          }
        }
        // P = W + diag(P_ii) is idempotent.
        const P = w.data.slice();
        for (let i = 0; i < n; i++) P[i * n + i] = diag[i];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += P[i * n + k] * P[k * n + j];
            expect(s).toBeCloseTo(P[i * n + j], 9);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('pseudo-inverse ignores linearly dependent patterns (a duplicate or a reversal adds nothing)', () => {
    const rng = new Random(3);
    const pats = randomPatterns(5, 16, rng);
    const a = pseudoInverseWeights(pats);
    const b = pseudoInverseWeights([...pats, pats[2], pats[0].map((x) => -x)]);
    for (let i = 0; i < 256; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 12);
  });
});

describe('storage rules: what they store', () => {
  it('orthogonal patterns are fixed points under Hebbian storage (Hadamard rows, any subset)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.nat(1e9), (k, seed) => {
        const rows = hadamard(k);
        const rng = new Random(seed);
        const n = rows.length;
        const count = 1 + rng.int(n - 1);
        const chosen = Array.from(rng.permutation(n)).slice(0, count).map((i) => rows[i]);
        const net = fitted(chosen);
        for (const x of chosen) expect(net.isFixedPoint(Float64Array.from(x))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('without biases, y and −y are both fixed points or both not, for every rule', () => {
    fc.assert(
      fc.property(patternsArb, fc.constantFrom('hebbian', 'storkey', 'pseudo-inverse'), ({ p, n, seed }, rule) => {
        const rng = new Random(seed);
        const pats = randomPatterns(p, n, rng);
        const net = fitted(pats, { rule });
        const probes = [...pats, ...randomPatterns(5, n, rng)];
        for (const x of probes) {
          const y = Float64Array.from(x);
          const neg = y.map((v) => -v);
          expect(net.isFixedPoint(neg)).toBe(net.isFixedPoint(y));
          const r = net.evolve(y);
          const rn = net.evolve(neg);
          expect(Array.from(rn.state)).toEqual(Array.from(r.state, (v) => -v));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('pseudo-inverse keeps every one of up to N − 1 random (linearly independent) patterns stable', () => {
    const rng = new Random(17);
    const n = 48;
    for (const p of [1, 12, 24, 36, 47]) {
      const pats = randomPatterns(p, n, rng);
      const net = fitted(pats, { rule: 'pseudo-inverse' });
      for (const x of pats) expect(net.isFixedPoint(Float64Array.from(x))).toBe(true);
    }
  });

  it('Storkey keeps more random patterns stable than Hebbian at the same load', () => {
    const rng = new Random(23);
    const n = 100;
    let heb = 0;
    let sto = 0;
    for (let t = 0; t < 5; t++) {
      const pats = randomPatterns(20, n, rng);
      const h = fitted(pats);
      const s = fitted(pats, { rule: 'storkey' });
      for (const x of pats) {
        heb += h.isFixedPoint(Float64Array.from(x)) ? 1 : 0;
        sto += s.isFixedPoint(Float64Array.from(x)) ? 1 : 0;
      }
    }
    expect(sto).toBeGreaterThan(heb);
  });
});

describe('storage rules: input checking', () => {
  it('rejects bad patterns with typed errors and leaves weights unchanged on a failed update', () => {
    expect(() => hebbianWeights([[1, 0, -1]])).toThrow(RangeError);
    expect(() => hebbianWeights([[1, Number.NaN]])).toThrow(/±1/);
    expect(() => hebbianWeights([])).toThrow(ShapeError);
    expect(() => hebbianWeights([[1, -1], [1]])).toThrow(ShapeError);
    expect(() => hebbianWeights('x' as unknown as number[][])).toThrow(TypeError);
    expect(() => hebbianWeights([[1, -1]], { scale: 'sqrt' as 'n' })).toThrow(RangeError);
    expect(() => storkeyWeights({ rows: 1, cols: 2, data: Float64Array.of(1, 2) })).toThrow(RangeError);
    expect(() => storeWeights([[1, -1]], 'oja' as 'hebbian')).toThrow(RangeError);
    expect(() => pseudoInverseWeights([[1, -1]], { tolerance: -1 })).toThrow(RangeError);
    const w: Matrix = hebbianWeights([[1, -1, 1]]);
    const before = w.data.slice();
    expect(() => hebbianUpdate(w, Float64Array.of(1, -1))).toThrow(ShapeError);
    expect(() => hebbianUpdate(w, Float64Array.of(1, 0.5, 1))).toThrow(RangeError);
    expect(() => storkeyUpdate(w, Float64Array.of(1, -1, Number.NaN))).toThrow(RangeError);
    expect(() => storkeyUpdate(zeros(2, 3), Float64Array.of(1, -1))).toThrow(ShapeError);
    expect(w.data).toEqual(before);
  });

  it('0/1 patterns convert only with binary: true', () => {
    expect(toSpinPatterns('t', [[0, 1]], { binary: true }).data).toEqual(Float64Array.of(-1, 1));
    expect(() => toSpinPatterns('t', [[0, 1]])).toThrow(RangeError);
    expect(() => toSpinPatterns('t', [[0, 2]], { binary: true })).toThrow(RangeError);
  });

  it('patterns come as any DataInput and are never aliased; unknown options are refused with a suggestion', () => {
    const data = Int8Array.of(1, -1, -1, 1);
    const shaped = toSpinPatterns('t', { data, shape: [2, 2] });
    expect(Array.from(shaped.data)).toEqual([1, -1, -1, 1]);
    const f = Float64Array.of(1, -1, -1, 1);
    const m = toSpinPatterns('t', { data: f, shape: [2, 2] });
    m.data[0] = -1;
    expect(f[0]).toBe(1);
    const mat = fromArrays([[1, -1]]);
    expect(toSpinPatterns('t', mat).data).not.toBe(mat.data);
    expect(hebbianWeights([Float64Array.of(1, -1, 1)]).rows).toBe(3);
    expect(() => hebbianWeights([[1, -1], ['a' as unknown as number, 1]])).toThrow(/row 1/);
    expect(() => hebbianWeights([[1, -1]], { scal: 'n' } as never)).toThrow(/unknown option 'scal' \(did you mean 'scale'\?\)/);
    expect(() => pseudoInverseWeights([[1, -1]], { tol: 1e-6 } as never)).toThrow(/unknown option 'tol'/);
    expect(() => toSpinPatterns('t', [[1, -1]], { binarry: true } as never)).toThrow(/did you mean 'binary'/);
  });
});

describe('Storkey overflow (issue #15)', () => {
  // Storkey weights grow geometrically with the number of patterns stored: 8 units
  // reach ~1e65 after 2 000 random patterns and overflow before 20 000.
  const pats = randomPatterns(20_000, 8, new Random(3));

  it('storkeyWeights and fit report a NumericalError, not a later QuadraticEnergy error; fit changes nothing', () => {
    expect(() => storkeyWeights(pats)).toThrow(NumericalError);
    expect(() => storkeyWeights(pats)).toThrow(/Storkey rule: the update overflowed/);
    const net = new HopfieldNetwork(8);
    net.fit(pats.slice(0, 3), { rule: 'storkey' });
    const before = net.weights.data.slice();
    expect(() => net.fit(pats, { rule: 'storkey' })).toThrow(NumericalError);
    expect(net.weights.data).toEqual(before);
    // short of overflow the result is unchanged by the check
    const w = storkeyWeights(pats.slice(0, 2000));
    expect(w.data.every(Number.isFinite)).toBe(true);
  });

  it('storkeyUpdate leaves the weights as they were when one new weight would overflow', () => {
    const w = fromArrays([
      [0, 1.7e308, 1.7e308],
      [1.7e308, 0, 1],
      [1.7e308, 1, 0],
    ]);
    const before = w.data.slice();
    expect(() => storkeyUpdate(w, Float64Array.of(1, -1, 1))).toThrow(NumericalError);
    expect(w.data).toEqual(before);
  });
});
