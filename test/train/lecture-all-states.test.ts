/**
 * The lecture's first formulation of contrastive Hopfield training, "raise all
 * non-desired states" (`variant: 'all-states'`): exact by enumeration, and the
 * same as a rescaled Hebbian rule (the slide's "Issue??").
 */
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, hebbianWeights, Random, trainHopfieldContrastive } from '../../src/index.js';

const at = (m: { data: Float64Array; cols: number }, i: number, j: number): number => m.data[i * m.cols + j];

/** The update direction by brute force, written independently of the library: E_P[yyᵀ] − E_{y'∉P}[y'y'ᵀ]. */
function bruteForceDirection(patterns: number[][]): number[][] {
  const n = patterns[0].length;
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const y of patterns) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i][j] += (y[i] * y[j]) / patterns.length;
  const key = (y: number[]) => y.join(',');
  const stored = new Set(patterns.map(key));
  const others: number[][] = [];
  for (let c = 0; c < 2 ** n; c++) {
    const y = Array.from({ length: n }, (_, i) => ((c >> i) & 1 ? 1 : -1));
    if (!stored.has(key(y))) others.push(y);
  }
  for (const y of others) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i][j] -= (y[i] * y[j]) / others.length;
  return d;
}

// Two non-orthogonal patterns of a 4-neuron net (overlap 2).
const P = [
  [1, 1, -1, -1],
  [1, 1, 1, -1],
];

describe("trainHopfieldContrastive, variant 'all-states' (raise all non-desired states)", () => {
  it('one epoch from zero weights gives the exact enumerated update: η(1/N_p + 1/(2^N − N_p)) Σ yyᵀ, a rescaled Hebbian rule', () => {
    const net = new HopfieldNetwork(4);
    const eta = 0.25;
    const r = trainHopfieldContrastive(net, P, { variant: 'all-states', epochs: 1, learningRate: eta });
    // Σ yyᵀ off the diagonal: (0,1) = 2, (0,3) = −2, (1,3) = −2, the rest 0. Factor η(1/2 + 1/14) = 1/7.
    // So w01 = 2/7, w03 = w13 = −2/7, w02 = w12 = w23 = 0.
    const w = net.weights;
    expect(at(w, 0, 1)).toBeCloseTo(2 / 7, 14);
    expect(at(w, 0, 3)).toBeCloseTo(-2 / 7, 14);
    expect(at(w, 1, 3)).toBeCloseTo(-2 / 7, 14);
    expect(at(w, 0, 2)).toBeCloseTo(0, 14);
    expect(at(w, 1, 2)).toBeCloseTo(0, 14);
    expect(at(w, 2, 3)).toBeCloseTo(0, 14);
    // The brute-force direction, and the Hebbian sum rescaled, agree entry by entry.
    const d = bruteForceDirection(P);
    const hebb = hebbianWeights(P, { scale: 'none' });
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        expect(at(w, i, j)).toBeCloseTo(eta * d[i][j], 14);
        expect(at(w, i, j)).toBeCloseTo(eta * (1 / 2 + 1 / 14) * at(hebb, i, j), 14);
      }
    }
    expect(r.history[0].changedPairs).toBe(14); // 2^4 − 2 non-desired states
  });

  it('the update does not depend on W: from any start, each epoch adds the same rescaled Hebbian matrix (N = 7, 3 patterns, 5 epochs)', () => {
    const rng = new Random(11);
    const n = 7;
    const pats = Array.from({ length: 3 }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    const w0 = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) w0[i][j] = w0[j][i] = rng.float64() - 0.5;
    const net = HopfieldNetwork.fromWeights(w0);
    const eta = 0.1;
    trainHopfieldContrastive(net, pats, { variant: 'all-states', epochs: 5, learningRate: eta });
    const distinct = new Set(pats.map((p) => p.join(','))).size;
    const factor = 5 * eta * (1 / 3 + 1 / (2 ** n - distinct));
    const hebb = hebbianWeights(pats, { scale: 'none' });
    const d = bruteForceDirection(pats);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(at(net.weights, i, j) - w0[i][j]).toBeCloseTo(factor * at(hebb, i, j), 12);
        expect(at(net.weights, i, j) - w0[i][j]).toBeCloseTo(5 * eta * d[i][j], 12);
      }
    }
  });

  it("HopfieldNetwork.fit(…, { rule: 'contrastive', variant: 'all-states' }) is Hebbian storage plus epochs × the same update", () => {
    const net = new HopfieldNetwork(4);
    net.fit(P, { rule: 'contrastive', variant: 'all-states', epochs: 3, learningRate: 0.25 });
    const h = hebbianWeights(P); // 1/N scale: Σ yyᵀ / 4
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(at(net.weights, i, j)).toBeCloseTo(at(h, i, j) * (1 + 4 * 3 * (1 / 7)), 14);
    expect(net.rule).toBe('contrastive');
  });

  it('refuses N > 20 with a RangeError naming the limit, before anything changes', () => {
    const net = new HopfieldNetwork(21);
    const pats = [Array.from({ length: 21 }, (_, i) => (i % 2 ? 1 : -1))];
    const w0 = net.weights.data.slice();
    expect(() => trainHopfieldContrastive(net, pats, { variant: 'all-states', init: 'hebbian' })).toThrow(RangeError);
    expect(() => net.fit(pats, { rule: 'contrastive', variant: 'all-states' })).toThrow(/variant 'all-states'.*N ≤ 20 \(got N = 21\)/);
    expect(net.weights.data).toEqual(w0);
  });
});
