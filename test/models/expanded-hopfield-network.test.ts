import { describe, expect, it } from 'vitest';
import { ExpandedHopfieldNetwork, FormatError, hasZeroDiagonal, isSymmetric, Random, ShapeError } from '../../src/index.js';

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

describe('ExpandedHopfieldNetwork (N visible + K hidden units)', () => {
  it('stores [ξ | random hidden part] and keeps the hidden parts it drew', () => {
    const pats = randomPatterns(3, 20, new Random(1));
    const net = ExpandedHopfieldNetwork.fromPatterns(pats, { nHidden: 10, rng: 2 });
    expect(net.network.dimension).toBe(30);
    expect(net.hiddenPatterns.rows).toBe(3);
    expect(net.hiddenPatterns.cols).toBe(10);
    expect(isSymmetric(net.network.weights)).toBe(true);
    expect(hasZeroDiagonal(net.network.weights)).toBe(true);
    for (let p = 0; p < 3; p++) {
      const full = Float64Array.from([...pats[p], ...net.hiddenPatterns.data.subarray(p * 10, (p + 1) * 10)]);
      expect(net.network.isFixedPoint(full)).toBe(true);
    }
  });

  it('recalls the visible part from a noisy visible cue with free hidden units', () => {
    const rng = new Random(3);
    const pats = randomPatterns(4, 60, rng);
    const net = ExpandedHopfieldNetwork.fromPatterns(pats, { nHidden: 20, rng: 4 });
    let exact = 0;
    for (let t = 0; t < 20; t++) {
      const p = pats[t % 4];
      const cue = Float64Array.from(p, (v) => (rng.float64() < 0.1 ? -v : v));
      const r = net.recall(cue, { rng: t });
      expect(r.visible.length).toBe(60);
      expect(r.hidden.length).toBe(20);
      if (r.visible.every((v, i) => v === p[i])) exact++;
    }
    expect(exact).toBeGreaterThanOrEqual(18);
  });

  it('clampVisible holds the cue; a given hidden start is used', () => {
    const pats = randomPatterns(2, 12, new Random(5));
    const net = ExpandedHopfieldNetwork.fromPatterns(pats, { nHidden: 6, rng: 6 });
    const cue = Float64Array.from(pats[0]);
    cue[0] = -cue[0];
    const r = net.recall(cue, { clampVisible: true, hiddenInit: new Float64Array(6).fill(1) });
    expect(Array.from(r.visible)).toEqual(Array.from(cue));
    expect(() => net.recall(cue, { hiddenInit: new Float64Array(5).fill(1) })).toThrow(ShapeError);
    expect(() => net.recall(Float64Array.of(1, -1), {})).toThrow(ShapeError);
    expect(() => ExpandedHopfieldNetwork.fromPatterns(pats, { nHidden: -1 })).toThrow(RangeError);
  });

  it('round-trips through its document', () => {
    const pats = randomPatterns(3, 8, new Random(7));
    const net = ExpandedHopfieldNetwork.fromPatterns(pats, { nHidden: 4, rng: 8, rule: 'storkey' });
    const json = JSON.stringify(net.toDocument());
    const back = ExpandedHopfieldNetwork.fromDocument(JSON.parse(json));
    expect(back.network.weights.data).toEqual(net.network.weights.data);
    expect(back.hiddenPatterns.data).toEqual(net.hiddenPatterns.data);
    expect(JSON.stringify(back.toDocument())).toBe(json);
    const bad = JSON.parse(json);
    bad.tensors.hiddenPatterns.data[0] = 0.5;
    expect(() => ExpandedHopfieldNetwork.fromDocument(bad)).toThrow(FormatError);
  });
});
