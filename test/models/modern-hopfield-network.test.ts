import { describe, expect, it } from 'vitest';
import { FormatError, loadModel, ModernHopfieldNetwork, Random, ShapeError } from '../../src/index.js';

function gaussianPatterns(k: number, n: number, rng: Random, scale = 1): number[][] {
  return Array.from({ length: k }, () => Array.from({ length: n }, () => scale * rng.normal()));
}

/** ξ ← X softmax(β Xᵀ ξ), written out with Math.exp (small scores only). */
function naiveUpdate(pats: number[][], s: ArrayLike<number>, beta: number): number[] {
  const z = pats.map((p) => beta * p.reduce((a, v, i) => a + v * s[i], 0));
  const w = z.map((v) => Math.exp(v));
  const tot = w.reduce((a, b) => a + b, 0);
  return Array.from({ length: s.length }, (_, i) => pats.reduce((a, p, mu) => a + (w[mu] / tot) * p[i], 0));
}

function naiveEnergy(pats: number[][], s: ArrayLike<number>, beta: number): number {
  const z = pats.map((p) => beta * p.reduce((a, v, i) => a + v * s[i], 0));
  const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
  const q = Array.from(s).reduce((a, v) => a + v * v, 0);
  const m2 = Math.max(...pats.map((p) => p.reduce((a, v) => a + v * v, 0)));
  return -lse / beta + 0.5 * q + Math.log(pats.length) / beta + 0.5 * m2;
}

describe('ModernHopfieldNetwork (Ramsauer et al. 2020)', () => {
  it('one update is X softmax(β Xᵀξ) and the energy is Ramsauer’s, against the formulas written out', () => {
    const rng = new Random(1);
    const pats = gaussianPatterns(7, 5, rng);
    for (const beta of [0.1, 1, 3]) {
      const net = new ModernHopfieldNetwork(5, { beta });
      net.fit(pats);
      for (let t = 0; t < 5; t++) {
        const s = Float64Array.from({ length: 5 }, () => rng.normal());
        const want = naiveUpdate(pats, s, beta);
        const got = net.recall(s).state;
        for (let i = 0; i < 5; i++) expect(got[i]).toBeCloseTo(want[i], 12);
        expect(net.energy(s)).toBeCloseTo(naiveEnergy(pats, s, beta), 11);
      }
    }
  });

  it('the update is ξ − ∇E (finite differences), so fixed points are stationary points of E', () => {
    const rng = new Random(2);
    const pats = gaussianPatterns(6, 4, rng);
    const net = new ModernHopfieldNetwork(4, { beta: 2 });
    net.fit(pats);
    for (let t = 0; t < 5; t++) {
      const s = Float64Array.from({ length: 4 }, () => rng.normal());
      const u = net.recall(s).state;
      for (let i = 0; i < 4; i++) {
        const h = 1e-6;
        const a = s.slice(), b = s.slice();
        a[i] += h;
        b[i] -= h;
        const grad = (net.energy(a) - net.energy(b)) / (2 * h);
        expect(grad).toBeCloseTo(s[i] - u[i], 6);
      }
    }
  });

  it('never raises the energy along evolve, and converges to a fixed point', () => {
    const rng = new Random(3);
    for (const beta of [0.05, 0.5, 5]) {
      const net = new ModernHopfieldNetwork(20, { beta });
      net.fit(gaussianPatterns(30, 20, rng));
      for (let t = 0; t < 5; t++) {
        const r = net.evolve(Float64Array.from({ length: 20 }, () => 2 * rng.normal()), { maxSweeps: 1000, tolerance: 1e-10 });
        expect(r.converged).toBe(true);
        for (let k = 1; k < r.energies.length; k++) expect(r.energies[k]).toBeLessThanOrEqual(r.energies[k - 1] + 1e-12);
        const again = net.recall(r.state).state;
        for (let i = 0; i < 20; i++) expect(again[i]).toBeCloseTo(r.state[i], 8);
      }
    }
  });

  it('large β: one step retrieves a well-separated pattern; small β: the fixed point is the metastable average of all patterns', () => {
    const rng = new Random(4);
    const n = 64;
    const pats = Array.from({ length: 20 }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    const net = new ModernHopfieldNetwork(n, { beta: 1 });
    net.fit(pats);
    const cue = Float64Array.from(pats[3]);
    for (let i = 0; i < 16; i++) cue[i] = -cue[i];
    const r = net.recall(cue);
    for (let i = 0; i < n; i++) expect(r.state[i]).toBeCloseTo(pats[3][i], 6);
    expect(Math.max(...net.attention(r.state))).toBeGreaterThan(1 - 1e-6);
    // β → 0: softmax → uniform, the fixed point → the mean pattern (distance O(β · spread)).
    const mean = Array.from({ length: n }, (_, i) => pats.reduce((a, p) => a + p[i], 0) / pats.length);
    const f = net.evolve(cue, { beta: 1e-4, maxSweeps: 200 });
    for (let i = 0; i < n; i++) expect(f.state[i]).toBeCloseTo(mean[i], 2);
    const p = net.attention(f.state, 1e-4);
    expect(Math.max(...p)).toBeLessThan(0.06);
  });

  it('stable for huge scores (β‖x‖² = 10⁶): no NaN, exact pattern', () => {
    const net = new ModernHopfieldNetwork(3, { beta: 1e4 });
    net.fit([[10, 0, 0], [0, 10, 0]]);
    const r = net.recall(Float64Array.of(9, 1, 0));
    expect(Array.from(r.state)).toEqual([10, 0, 0]);
    expect(Number.isFinite(r.energies[1])).toBe(true);
  });

  it('batch retrieve agrees with recall row by row; clamped units stay', () => {
    const rng = new Random(5);
    const pats = gaussianPatterns(9, 6, rng);
    const net = new ModernHopfieldNetwork(6, { beta: 0.7 });
    net.fit(pats);
    const cues = gaussianPatterns(4, 6, rng);
    const out = net.retrieve(cues, { steps: 2 });
    for (let r = 0; r < 4; r++) {
      const one = net.recall(Float64Array.from(cues[r]), { maxSweeps: 2, tolerance: 1e-300 }).state;
      for (let i = 0; i < 6; i++) expect(out.data[r * 6 + i]).toBeCloseTo(one[i], 12);
    }
    const clamp = Uint8Array.of(1, 1, 0, 0, 0, 0);
    const c = net.evolve(Float64Array.from(cues[0]), { clamp });
    expect(c.state[0]).toBe(cues[0][0]);
    expect(c.state[1]).toBe(cues[0][1]);
  });

  it('saves, loads (also through loadModel), clones; checks arguments first', () => {
    const net = new ModernHopfieldNetwork(3, { beta: 2.5 });
    net.fit([[0.5, -1, 2], [1, 1, 1]]);
    const doc = JSON.parse(JSON.stringify(net.toDocument()));
    const b = loadModel(JSON.stringify(doc)) as unknown as ModernHopfieldNetwork;
    expect(b).toBeInstanceOf(ModernHopfieldNetwork);
    const s = Float64Array.of(0.1, 0.2, 0.3);
    expect(b.energy(s)).toBe(net.energy(s));
    expect(net.clone().recall(s).state).toEqual(net.recall(s).state);
    expect(() => ModernHopfieldNetwork.fromDocument({ ...doc, config: { ...doc.config, beta: -1 } })).toThrow(FormatError);
    expect(b.score([[1, 1, 1]]).mean).toBe(net.score([[1, 1, 1]]).mean);
    expect(() => new ModernHopfieldNetwork(3).sample(1)).toThrow(/no patterns/);
    expect(() => net.score([[1, 1, 1]], { method: 'ais' } as never)).toThrow(/exact/);
    expect(() => net.sample(2, { sweeps: 3 } as never)).toThrow(/unknown option 'sweeps'/);
    expect(() => net.fit([[1, 2]])).toThrow(ShapeError);
    expect(() => net.fit([[1, Number.NaN, 2]])).toThrow(RangeError);
    expect(() => net.fit([[1, 1, 1]], { beta: 0 })).toThrow(RangeError);
    expect(net.patterns.rows).toBe(2);
    expect(net.beta).toBe(2.5);
    expect(() => new ModernHopfieldNetwork(3).recall(s)).toThrow(/no patterns/);
    expect(() => net.recall(s, { steps: 2 } as never)).toThrow(TypeError);
  });

  describe('its Boltzmann distribution p_β(ξ) ∝ exp(−βE(ξ)): a mixture of N(x_μ, I/β) with weights ∝ exp(β‖x_μ‖²/2)', () => {
    it('log p(ξ) + βE(ξ) is the same constant at every ξ (the density is exp(−βE) normalised)', () => {
      const net = new ModernHopfieldNetwork(3, { beta: 1.7 });
      net.fit([[0.5, -1, 2], [1, 1, 1], [-1, 0, 0.3]]);
      const r = new Random(4);
      const xs = Array.from({ length: 6 }, () => [r.normal(), r.normal(), r.normal()].map((v) => 2 * v));
      const lp = net.scoreSamples(xs);
      const c = xs.map((x, i) => (lp[i] as number) + 1.7 * net.energy(Float64Array.from(x)));
      for (const v of c) expect(v).toBeCloseTo(c[0] as number, 10);
    });

    it('integrates to 1 (one unit, trapezoid rule over ±12 standard deviations)', () => {
      for (const beta of [0.3, 1, 6]) {
        const net = new ModernHopfieldNetwork(1, { beta });
        net.fit([[-1], [0.5], [2]]);
        const h = 0.002, lo = -3 - 12 / Math.sqrt(beta), hi = 4 + 12 / Math.sqrt(beta);
        const grid: number[][] = [];
        for (let x = lo; x <= hi; x += h) grid.push([x]);
        const p = net.scoreSamples(grid);
        let z = 0;
        for (let i = 0; i < p.length; i++) z += Math.exp(p[i] as number) * (i === 0 || i === p.length - 1 ? h / 2 : h);
        expect(z).toBeCloseTo(1, 6);
      }
    });

    it('samples the mixture: component frequencies, within-component mean and variance within sampling error', () => {
      // β = 16 (sd 0.25) and patterns ≥ 2.7 apart: a sample lands nearest another pattern with probability < 1e-7
      const beta = 16;
      const pats = [[2, 0], [0, 2], [-1.9, 0]];
      const net = new ModernHopfieldNetwork(2, { beta, rng: 8 });
      net.fit(pats);
      const n = 40_000;
      const s = net.sample(n);
      // exact weights ∝ exp(β‖x_μ‖²/2), here far apart, so the nearest pattern tells the component
      const lw = pats.map((p) => 0.5 * beta * (p[0] * p[0] + p[1] * p[1]));
      const m = Math.max(...lw);
      const w = lw.map((v) => Math.exp(v - m));
      const tot = w.reduce((a, b) => a + b, 0);
      const counts = [0, 0, 0];
      const sum = [0, 0, 0].map(() => [0, 0]);
      const sq = [0, 0, 0];
      for (let r = 0; r < n; r++) {
        const x = [s.data[2 * r] as number, s.data[2 * r + 1] as number];
        let best = 0;
        for (let k = 1; k < 3; k++) if ((x[0] - pats[k][0]) ** 2 + (x[1] - pats[k][1]) ** 2 < (x[0] - pats[best][0]) ** 2 + (x[1] - pats[best][1]) ** 2) best = k;
        counts[best]++;
        sum[best][0] += x[0] - pats[best][0];
        sum[best][1] += x[1] - pats[best][1];
        sq[best] += (x[0] - pats[best][0]) ** 2 + (x[1] - pats[best][1]) ** 2;
      }
      for (let k = 0; k < 3; k++) {
        const pk = w[k] / tot;
        expect(Math.abs(counts[k] / n - pk)).toBeLessThan(5 * Math.sqrt((pk * (1 - pk)) / n) + 1e-12);
        if (counts[k] > 1000) {
          // mean offset 0 with SE √(1/(β·count)); E‖ξ − x_μ‖² = 2/β with SE ≈ (2/β)·√(1/count)
          for (const d of [0, 1]) expect(Math.abs(sum[k][d] / counts[k])).toBeLessThan(5 / Math.sqrt(beta * counts[k]));
          expect(Math.abs(sq[k] / counts[k] - 2 / beta)).toBeLessThan(5 * (2 / beta) / Math.sqrt(counts[k]));
        }
      }
      // continues the stream: two calls differ; the same seed repeats
      expect(Array.from(net.sample(2).data)).not.toEqual(Array.from(net.sample(2).data));
      const a = new ModernHopfieldNetwork(2, { beta, rng: 3 }), b = new ModernHopfieldNetwork(2, { beta, rng: 3 });
      a.fit(pats);
      b.fit(pats);
      expect(Array.from(a.sample(5).data)).toEqual(Array.from(b.sample(5).data));
    });
  });
});
