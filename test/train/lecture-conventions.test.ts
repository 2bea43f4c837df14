/**
 * The lecture's conventions, selectable: the tie rule Θ(0) = −1 (`tie: 'minus'`)
 * and the Hebbian scale 1/N_p (`scale: 'patterns'`), on a 4-neuron network
 * storing two non-orthogonal patterns (issue #20).
 */
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, hebbianWeights } from '../../src/index.js';

// Two non-orthogonal patterns (overlap ξ¹·ξ² = 2). Σ ξξᵀ has w₀₁ = 2, w₀₃ = w₁₃ = −2 and
// w₀₂ = w₁₂ = w₂₃ = 0: unit 2's local field is exactly 0 in every state.
const XI1 = [1, 1, -1, -1];
const XI2 = [1, 1, 1, -1];
const P = [XI1, XI2];

function allStates(n: number): Float64Array[] {
  return Array.from({ length: 2 ** n }, (_, c) => Float64Array.from({ length: n }, (_, i) => ((c >> i) & 1 ? 1 : -1)));
}

function fixedPoints(net: HopfieldNetwork, tie: 'keep' | 'minus'): string[] {
  return allStates(4)
    .filter((y) => net.isFixedPoint(y, tie))
    .map((y) => Array.from(y, (v) => (v > 0 ? '+' : '-')).join(''));
}

describe('the lecture conventions on two non-orthogonal patterns (N = 4)', () => {
  it('tie rule: with ties kept both patterns are fixed points; with Θ(0) = −1 (the slides) ξ² is lost and evolves to ξ¹', () => {
    const net = new HopfieldNetwork(4);
    net.fit(P);
    for (const y of allStates(4)) expect(net.localFields(new Float64Array(4), y)[2]).toBe(0);
    // Library default: ties keep the state. Fixed points (units 0 1 2 3): ξ¹, ξ², and their reversals.
    expect(fixedPoints(net, 'keep').sort()).toEqual(['++--', '+++-', '--++', '---+'].sort());
    // The lecture's Θ(0) = −1: unit 2 is always set to −1, so only ξ¹ and −ξ² remain (the ± symmetry is broken).
    expect(fixedPoints(net, 'minus').sort()).toEqual(['++--', '---+'].sort());
    const r = net.evolve(Float64Array.from(XI2), { tie: 'minus' });
    expect(Array.from(r.state)).toEqual(XI1);
    expect(Array.from(net.evolve(Float64Array.from(XI2)).state)).toEqual(XI2);
  });

  it('Hebbian scale: 1/N_p (the slides) doubles the weights and energies of 1/N here (N/N_p = 2), with the same fixed points; with a bias it changes the dynamics', () => {
    const byN = hebbianWeights(P);
    const byP = hebbianWeights(P, { scale: 'patterns' });
    expect(Array.from(byN.data)).toEqual([0, 0.5, 0, -0.5, 0.5, 0, 0, -0.5, 0, 0, 0, 0, -0.5, -0.5, 0, 0]);
    expect(Array.from(byP.data)).toEqual([0, 1, 0, -1, 1, 0, 0, -1, 0, 0, 0, 0, -1, -1, 0, 0]);
    const a = new HopfieldNetwork(4);
    a.fit(P);
    const b = new HopfieldNetwork(4);
    b.fit(P, { scale: 'patterns' });
    expect(a.energy(Float64Array.from(XI1))).toBe(-1.5);
    expect(b.energy(Float64Array.from(XI1))).toBe(-3);
    for (const tie of ['keep', 'minus'] as const) expect(fixedPoints(b, tie)).toEqual(fixedPoints(a, tie));
    // A bias −1.5 on unit 0: its field at ξ¹ is 4c − 1.5, i.e. −0.5 at c = 1/N (ξ¹ unstable) and +0.5 at c = 1/N_p (stable).
    a.bias[0] = -1.5;
    b.bias[0] = -1.5;
    expect(a.isFixedPoint(Float64Array.from(XI1))).toBe(false);
    expect(b.isFixedPoint(Float64Array.from(XI1))).toBe(true);
  });
});
