import { describe, expect, it } from 'vitest';
import { DenseAssociativeMemory, denseCapacityTheory, FormatError, HopfieldNetwork, loadModel, Random, ShapeError } from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

/** The energy −Σ F(ξ·σ) written out directly (F = exp formed naively: small N only). */
function naiveEnergy(pats: number[][], s: Float64Array, f: 'polynomial' | 'rectified-polynomial' | 'exponential', n: number): number {
  let e = 0;
  for (const p of pats) {
    const x = p.reduce((a, v, i) => a + v * s[i], 0);
    e -= f === 'exponential' ? Math.exp(x) : f === 'polynomial' ? x ** n : Math.max(x, 0) ** n;
  }
  return e;
}

const FNS = ['polynomial', 'rectified-polynomial', 'exponential'] as const;

describe('DenseAssociativeMemory (Krotov & Hopfield 2016)', () => {
  it('energy is −Σ F(ξ·σ) and fixed points are exactly the states no single flip lowers, for every F (all 2^7 states)', () => {
    const n = 7;
    const pats = randomPatterns(4, n, new Random(3));
    for (const f of FNS) {
      for (const degree of [2, 3, 4]) {
        const dam = new DenseAssociativeMemory(n, { interaction: f, degree });
        dam.fit(pats);
        let fixed = 0;
        for (let code = 0; code < 1 << n; code++) {
          const s = Float64Array.from({ length: n }, (_, i) => ((code >> i) & 1 ? 1 : -1));
          const e = naiveEnergy(pats, s, f, degree);
          expect(dam.energy(s)).toBeCloseTo(e, 9);
          let brute = true;
          for (let i = 0; i < n; i++) {
            const t = s.slice();
            t[i] = -t[i];
            if (naiveEnergy(pats, t, f, degree) < e - 1e-9 * Math.abs(e)) brute = false;
          }
          expect(dam.isFixedPoint(s), `${f} n=${degree} state ${code}`).toBe(brute);
          if (brute) fixed++;
        }
        expect(fixed).toBeGreaterThan(0);
      }
    }
  });

  it('evolution lowers the energy at every sweep and ends at a fixed point', () => {
    const rng = new Random(5);
    for (const f of FNS) {
      const dam = new DenseAssociativeMemory(40, { interaction: f, degree: 3, rng: 1 });
      dam.fit(randomPatterns(30, 40, rng));
      for (let t = 0; t < 10; t++) {
        const cue = Float64Array.from({ length: 40 }, () => (rng.float64() < 0.5 ? -1 : 1));
        const r = dam.evolve(cue, { order: 'random' });
        expect(r.converged).toBe(true);
        expect(dam.isFixedPoint(r.state)).toBe(true);
        for (let k = 1; k < r.energies.length; k++) expect(r.energies[k]).toBeLessThanOrEqual(r.energies[k - 1]);
        if (r.flips > 0) expect(r.energies[r.sweeps]).toBeLessThan(r.energies[0]);
      }
    }
  });

  it('polynomial n = 2 runs exactly the Hebbian Hopfield dynamics (same states, flip for flip)', () => {
    // N = 64: the Hebbian weights are multiples of 1/64, so its fields (and ties) are exact.
    const rng = new Random(8);
    const pats = randomPatterns(12, 64, rng);
    const dam = new DenseAssociativeMemory(64, { degree: 2 });
    dam.fit(pats);
    const net = new HopfieldNetwork(64);
    net.fit(pats);
    for (let t = 0; t < 20; t++) {
      const cue = Float64Array.from({ length: 64 }, () => (rng.float64() < 0.5 ? -1 : 1));
      const a = dam.evolve(cue), b = net.evolve(cue);
      expect(Array.from(a.state)).toEqual(Array.from(b.state));
      expect(a.flips).toBe(b.flips);
    }
  });

  it('n = 3 stores a load far beyond the Hebbian network (N = 100, K = 100: all stable vs almost none)', () => {
    const rng = new Random(11);
    const pats = randomPatterns(100, 100, rng);
    const dam = new DenseAssociativeMemory(100, { degree: 3 });
    dam.fit(pats);
    const net = new HopfieldNetwork(100);
    net.fit(pats);
    let damStable = 0, hebStable = 0;
    for (const p of pats) {
      if (dam.isFixedPoint(Float64Array.from(p))) damStable++;
      if (net.isFixedPoint(Float64Array.from(p))) hebStable++;
    }
    // Theory: K_max(100, 3) ≈ 362 ≫ 100, so each pattern is stable with probability ≈ 1;
    // Hebbian at α = 1 ≫ 0.138: a pattern is stable with probability ≈ (Φ(1))^100 ≈ 0.
    expect(damStable).toBe(100);
    expect(hebStable).toBeLessThanOrEqual(2);
    // And it recalls from 15% flipped bits.
    for (let p = 0; p < 10; p++) {
      const cue = Float64Array.from(pats[p]);
      for (let i = 0; i < 15; i++) cue[(p * 7 + i * 13) % 100] *= -1;
      expect(Array.from(dam.evolve(cue).state)).toEqual(pats[p]);
    }
    expect(denseCapacityTheory(100, 3)).toBeCloseTo(10000 / (6 * Math.log(100)), 9);
    expect(denseCapacityTheory(1000, 2)).toBeCloseTo(1000 / (2 * Math.log(1000)), 9);
    expect(denseCapacityTheory(100, 4)).toBeCloseTo(1e6 / (2 * 15 * Math.log(100)), 6);
  });

  it('exponential F is stable at N = 2000 (overlaps up to 2000, e^2000 overflows) and recalls from 40% noise', () => {
    const rng = new Random(2);
    const n = 2000;
    const pats = randomPatterns(50, n, rng);
    const dam = new DenseAssociativeMemory(n, { interaction: 'exponential' });
    dam.fit(pats);
    const cue = Float64Array.from(pats[7]);
    for (let i = 0; i < 0.4 * n; i++) cue[i] = -cue[i];
    const r = dam.evolve(cue);
    expect(Array.from(r.state)).toEqual(pats[7]);
    expect(dam.logNegativeEnergy(r.state)).toBeCloseTo(n, 6);
    expect(dam.energy(r.state)).toBe(-Infinity);
    expect(() => new DenseAssociativeMemory(3).logNegativeEnergy(Float64Array.of(1, 1, 1))).toThrow(RangeError);
  });

  it('partialFit appends; clamped units stay; random order draws from the own stream', () => {
    const dam = new DenseAssociativeMemory(6, { rng: 4 });
    dam.fit([[1, 1, 1, -1, -1, -1]]);
    dam.partialFit([[0, 1, 0, 1, 0, 1]], { binary: true });
    expect(Array.from(dam.patterns.data.subarray(6))).toEqual([-1, 1, -1, 1, -1, 1]);
    const clamp = Uint8Array.of(1, 0, 0, 0, 0, 0);
    const r = dam.evolve(Float64Array.of(-1, 1, 1, -1, -1, -1), { clamp });
    expect(r.state[0]).toBe(-1);
    const a = dam.clone();
    expect(Array.from(dam.evolve(Float64Array.of(1, -1, 1, 1, -1, 1), { order: 'random' }).state)).toEqual(
      Array.from(a.evolve(Float64Array.of(1, -1, 1, 1, -1, 1), { order: 'random' }).state),
    );
  });

  it('saves, loads (also through loadModel), clones; refuses sample/score with a RangeError naming why', () => {
    const dam = new DenseAssociativeMemory(5, { interaction: 'rectified-polynomial', degree: 4 });
    dam.fit(randomPatterns(3, 5, new Random(1)));
    const doc = JSON.parse(JSON.stringify(dam.toDocument()));
    const b = DenseAssociativeMemory.fromDocument(doc);
    expect(b.interaction).toBe('rectified-polynomial');
    expect(b.degree).toBe(4);
    expect(Array.from(b.patterns.data)).toEqual(Array.from(dam.patterns.data));
    const c = loadModel(JSON.stringify(doc)) as unknown as DenseAssociativeMemory;
    expect(c).toBeInstanceOf(DenseAssociativeMemory);
    const s = Float64Array.of(1, -1, 1, 1, -1);
    expect(c.energy(s)).toBe(dam.energy(s));
    expect(dam.clone().energy(s)).toBe(dam.energy(s));
    expect(() => dam.sample(2)).toThrow(/no probability distribution/);
    expect(() => dam.score([[1, 1, 1, 1, 1]])).toThrow(RangeError);
    expect(() => dam.scoreSamples([[1, 1, 1, 1, 1]])).toThrow(RangeError);
    expect(() => DenseAssociativeMemory.fromDocument({ ...doc, config: { ...doc.config, degree: 0 } })).toThrow(FormatError);
    const bad = dam.clone();
    bad.patterns.data[0] = 0.5;
    expect(() => DenseAssociativeMemory.fromDocument(bad.toDocument())).toThrow(FormatError);
  });

  it('checks its arguments before changing anything', () => {
    const dam = new DenseAssociativeMemory(3);
    dam.fit([[1, -1, 1]]);
    expect(() => dam.fit([[1, 0, 1]])).toThrow(RangeError);
    expect(() => dam.fit([[1, -1]])).toThrow(ShapeError);
    expect(() => dam.fit([[1, -1, 1]], { degree: 0 })).toThrow(RangeError);
    expect(() => dam.fit([[1, -1, 1]], { interaction: 'cubic' as never })).toThrow(RangeError);
    expect(() => dam.fit([[1, -1, 1]], { beta: 1 } as never)).toThrow(TypeError);
    expect(dam.patterns.rows).toBe(1);
    expect(dam.degree).toBe(3);
    expect(() => dam.evolve(Float64Array.of(1, 0, 1))).toThrow(RangeError);
    expect(() => dam.evolve(Float64Array.of(1, 1))).toThrow(ShapeError);
    expect(() => dam.evolve(Float64Array.of(1, 1, 1), { clamp: new Uint8Array(2) })).toThrow(ShapeError);
    expect(() => new DenseAssociativeMemory(0)).toThrow(RangeError);
    expect(() => new DenseAssociativeMemory(3, { gain: 1 } as never)).toThrow(TypeError);
  });
});
