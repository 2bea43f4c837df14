/**
 * The three formulas of the lecture that are wrong, each next to the corrected
 * form the library implements, with the numbers each gives on a small example
 * (docs/lecture-errata.md; issue #20).
 */
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, hebbianWeights, trainHopfieldContrastive } from '../../src/index.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** W as nested arrays from a flat row-major matrix, plus c·D (D nested). */
function plus(w: { data: Float64Array; cols: number }, c: number, d: number[][]): number[][] {
  const n = w.cols;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => w.data[i * n + j] + c * d[i][j]));
}

describe('erratum 1: the update sign of "raise the valleys"', () => {
  // Three patterns in N = 6; with Hebbian weights all three evolve to the spurious
  // mixture y' = sign(ξ¹ + ξ² + ξ³), a valley not in P.
  const P = [
    [1, 1, 1, -1, 1, 1],
    [-1, 1, 1, -1, 1, -1],
    [1, 1, -1, -1, 1, -1],
  ];
  const VALLEY = [1, 1, 1, -1, 1, -1];
  const n = 6;
  const eta = 1 / n;

  it("the slide's W ← W − η(Σ_P yyᵀ − Σ_valleys y'y'ᵀ) raises J = Σ_P E(y) − Σ_valleys E(y'); W ← W + η(…) lowers it", () => {
    const w0 = hebbianWeights(P);
    const net0 = HopfieldNetwork.fromWeights(plus(w0, 0, Array.from({ length: n }, () => new Array<number>(n).fill(0))));
    for (const x of P) expect(Array.from(net0.evolve(Float64Array.from(x)).state)).toEqual(VALLEY);
    const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : P.reduce((a, y) => a + y[i] * y[j], 0) - VALLEY[i] * VALLEY[j])));
    const J = (w: number[][]) => {
      const net = HopfieldNetwork.fromWeights(w);
      return P.reduce((a, y) => a + net.energy(Float64Array.from(y)), 0) - net.energy(Float64Array.from(VALLEY));
    };
    const before = J(plus(w0, 0, d));
    const corrected = J(plus(w0, eta, d));
    const slide = J(plus(w0, -eta, d));
    // J is linear in W: J(W ± ηD) = J(W) ∓ η Σ_{i<j} D_ij² = −4 ∓ 24/6.
    let d2 = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d2 += d[i][j] * d[i][j];
    expect(d2).toBe(24);
    expect(before).toBeCloseTo(-4, 12);
    expect(corrected).toBeCloseTo(-8, 12);
    expect(slide).toBeCloseTo(0, 12);
  });

  it("the library's update (trainHopfieldContrastive, 'from-patterns') lowers its objective; the same step with the slide's sign raises it", () => {
    const net = new HopfieldNetwork(n);
    net.fit(P);
    const w0 = net.weights.data.slice();
    const Jlib = (w: Float64Array) => {
      const m = HopfieldNetwork.fromWeights(Array.from({ length: n }, (_, i) => Array.from(w.subarray(i * n, (i + 1) * n))));
      return P.reduce((a, y) => a + m.energy(Float64Array.from(y)) - m.energy(Float64Array.from(VALLEY)), 0) / P.length;
    };
    trainHopfieldContrastive(net, P, { variant: 'from-patterns', epochs: 1 });
    const w1 = net.weights.data;
    const slide = w0.map((v, k) => v - (w1[k] - v));
    expect(Jlib(w0)).toBeCloseTo(1 / 3, 12);
    expect(Jlib(w1)).toBeLessThan(Jlib(w0));
    expect(Jlib(slide)).toBeGreaterThan(Jlib(w0));
    expect(Jlib(w1) - Jlib(w0)).toBeCloseTo(-(Jlib(slide) - Jlib(w0)), 12);
  });
});

describe('erratum 2: the stochastic Hopfield conditional', () => {
  // N = 3, E(y) = −Σ_{i<j} w_ij y_i y_j − Σ b_i y_i; condition unit 0 on y₁ = +1, y₂ = −1.
  const W = [
    [0, 0.5, -1],
    [0.5, 0, 0.25],
    [-1, 0.25, 0],
  ];
  const B = [0.3, -0.2, 0.1];

  it('enumeration gives σ(2(Σ w y + b)) = σ(3.6) = 0.9734, not the slide’s σ(Σ w y + 2b) = σ(2.1) = 0.8909; the Gibbs sampler draws the former', () => {
    const net = HopfieldNetwork.fromWeights(W);
    net.bias.set(B);
    const up = Float64Array.of(1, 1, -1);
    const down = Float64Array.of(-1, 1, -1);
    const exact = Math.exp(-net.energy(up)) / (Math.exp(-net.energy(up)) + Math.exp(-net.energy(down)));
    const field = W[0][1] * 1 + W[0][2] * -1; // Σ_j w_0j y_j = 1.5
    const corrected = sigmoid(2 * (field + B[0]));
    const slide = sigmoid(field + 2 * B[0]);
    expect(exact).toBeCloseTo(corrected, 14);
    expect(corrected).toBeCloseTo(0.973403, 6);
    expect(slide).toBeCloseTo(0.890903, 6);
    // The library's Gibbs update of unit 0 from that state, 20 000 times (fixed seed).
    const g = net.gibbs({ rng: 7, temperature: 1 });
    const trials = 20000;
    let ups = 0;
    for (let t = 0; t < trials; t++) {
      g.setState(down);
      g.updateUnit(0);
      if (g.state[0] === 1) ups++;
    }
    const se = Math.sqrt((corrected * (1 - corrected)) / trials); // ≈ 0.0011
    expect(Math.abs(ups / trials - corrected)).toBeLessThan(4 * se);
    expect(Math.abs(ups / trials - slide)).toBeGreaterThan(20 * se);
  });
});

describe('erratum 3: the middle expression of the Ising Hamiltonian', () => {
  const J = [
    [0, 1, -0.5],
    [1, 0, 0.25],
    [-0.5, 0.25, 0],
  ];
  const B = [0.5, -1, 0.75];
  const f = (x: number[], i: number) => x.reduce((a, xj, j) => a + (j === i ? 0 : J[i][j] * xj), 0) + B[i];
  const middle = (x: number[]) => -0.5 * x.reduce((a, xi, i) => a + xi * f(x, i), 0);
  const right = (x: number[]) => {
    let e = 0;
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) e -= J[i][j] * x[i] * x[j];
    return e - x.reduce((a, xi, i) => a + B[i] * xi, 0);
  };

  it('−½ Σ x_i f(p_i) differs from −Σ_{i<j} J x x − Σ b x by ½ Σ b x; the library energy is the right-hand form, and only it changes by 2 x_i f_i on a flip', () => {
    const net = HopfieldNetwork.fromWeights(J);
    net.bias.set(B);
    const x = [1, 1, -1];
    // f = (1 + 0.5 + 0.5, 1 − 0.25 − 1, −0.5 + 0.25 + 0.75) = (2, −0.25, 0.5)
    // Σ b x = 0.5 − 1 − 0.75 = −1.25; −Σ_{i<j} J x x = −1 − 0.5 + 0.25 = −1.25.
    expect(right(x)).toBeCloseTo(0, 14); // −1.25 + 1.25
    expect(middle(x)).toBeCloseTo(-0.625, 14); // −½ (2 − 0.25 − 0.5)
    expect(middle(x) - right(x)).toBeCloseTo(0.5 * -1.25, 14); // middle − right = ½ Σ b x
    expect(net.energy(Float64Array.from(x))).toBeCloseTo(right(x), 14);
    for (let c = 0; c < 8; c++) {
      const s = [0, 1, 2].map((i): number => ((c >> i) & 1 ? 1 : -1));
      expect(net.energy(Float64Array.from(s))).toBeCloseTo(right(s), 14);
      for (let i = 0; i < 3; i++) {
        const t = s.slice();
        t[i] = -t[i];
        expect(right(t) - right(s)).toBeCloseTo(2 * s[i] * f(s, i), 14);
        expect(middle(t) - middle(s)).toBeCloseTo(2 * s[i] * f(s, i) - B[i] * s[i], 14);
      }
    }
    // Unit 1 at x = (1, 1, −1): f₁ = −0.25, so the slide's rule flips it (x₁f₁ < 0). The true energy falls by 0.5; the middle form rises by 0.5.
    const t = [1, -1, -1];
    expect(right(t) - right(x)).toBeCloseTo(-0.5, 14);
    expect(middle(t) - middle(x)).toBeCloseTo(0.5, 14);
  });
});
