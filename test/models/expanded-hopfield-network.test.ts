import { describe, expect, it } from 'vitest';
import { expandTensors } from '../../src/document.js';
import { ExpandedHopfieldNetwork, FormatError, hasZeroDiagonal, isSymmetric, Random, ShapeError } from '../../src/index.js';

/** The exact marginal P(v) of the visible units at temperature T, by brute force over all N + K spins. */
function bruteVisibleLogProbs(net: ExpandedHopfieldNetwork, t: number): Map<string, number> {
  const d = net.nVisible + net.nHidden;
  const logw = new Map<string, number[]>();
  for (let s = 0; s < 1 << d; s++) {
    const y = Float64Array.from({ length: d }, (_, i) => ((s >> i) & 1 ? 1 : -1));
    const k = Array.from(y.subarray(0, net.nVisible)).join(',');
    const list = logw.get(k) ?? [];
    list.push(-net.network.energy(y) / t);
    logw.set(k, list);
  }
  const all = Array.from(logw.values()).flat();
  const m = Math.max(...all);
  const logZ = m + Math.log(all.reduce((a, l) => a + Math.exp(l - m), 0));
  const out = new Map<string, number>();
  for (const [k, list] of logw) out.set(k, m + Math.log(list.reduce((a, l) => a + Math.exp(l - m), 0)) - logZ);
  return out;
}

function randomPatterns(p: number, n: number, rng: Random): number[][] {
  return Array.from({ length: p }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
}

describe('ExpandedHopfieldNetwork (N visible + K hidden units)', () => {
  it('stores [ξ | random hidden part] and keeps the hidden parts it drew', () => {
    const pats = randomPatterns(3, 20, new Random(1));
    const net = new ExpandedHopfieldNetwork(20, 10, { rng: 2 });
    net.fit(pats);
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
    const net = new ExpandedHopfieldNetwork(60, 20, { rng: 4 });
    net.fit(pats);
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
    const net = new ExpandedHopfieldNetwork(12, 6, { rng: 6 });
    net.fit(pats);
    const cue = Float64Array.from(pats[0]);
    cue[0] = -cue[0];
    const r = net.recall(cue, { clampVisible: true, hiddenInit: new Float64Array(6).fill(1) });
    expect(Array.from(r.visible)).toEqual(Array.from(cue));
    expect(() => net.recall(cue, { hiddenInit: new Float64Array(5).fill(1) })).toThrow(ShapeError);
    expect(() => net.recall(Float64Array.of(1, -1), {})).toThrow(ShapeError);
    expect(() => new ExpandedHopfieldNetwork(12, -1)).toThrow(RangeError);
  });

  it('round-trips through its document', () => {
    const pats = randomPatterns(3, 8, new Random(7));
    const net = new ExpandedHopfieldNetwork(8, 4, { rng: 8 });
    net.fit(pats, { rule: 'storkey' });
    const json = JSON.stringify(net.toDocument());
    const back = ExpandedHopfieldNetwork.fromDocument(JSON.parse(json));
    expect(back.network.weights.data).toEqual(net.network.weights.data);
    expect(back.hiddenPatterns.data).toEqual(net.hiddenPatterns.data);
    expect(JSON.stringify(back.toDocument())).toBe(json);
    const bad = expandTensors(JSON.parse(json));
    bad.tensors.hiddenPatterns.data[0] = 0.5;
    expect(() => ExpandedHopfieldNetwork.fromDocument(bad)).toThrow(FormatError);
  });

  it('fit from number[][] then recall; the hidden parts come from the network stream (same seed, same parts; an explicit rng overrides)', () => {
    const pats = randomPatterns(2, 10, new Random(9));
    const a = new ExpandedHopfieldNetwork(10, 5, { rng: 3 });
    const b = new ExpandedHopfieldNetwork(10, 5, { rng: 3 });
    const r = a.fit(pats);
    b.fit(pats);
    expect(r.history[0].steps).toBe(2);
    expect(a.kind).toBe('hopfield-expanded');
    expect(Array.from(a.hiddenPatterns.data)).toEqual(Array.from(b.hiddenPatterns.data));
    const c = new ExpandedHopfieldNetwork(10, 5, { rng: 99 });
    c.fit(pats, { rng: 3 });
    expect(Array.from(c.hiddenPatterns.data)).toEqual(Array.from(a.hiddenPatterns.data));
    expect(Array.from(a.recall(Float64Array.from(pats[0])).visible)).toEqual(pats[0]);
    // partialFit appends patterns with fresh hidden parts; pseudo-inverse is refused.
    a.partialFit(randomPatterns(1, 10, new Random(1)));
    expect(a.hiddenPatterns.rows).toBe(3);
    const p = new ExpandedHopfieldNetwork(10, 5);
    p.fit(pats, { rule: 'pseudo-inverse' });
    expect(() => p.partialFit(pats)).toThrow(/not incremental/);
    expect(p.hiddenPatterns.rows).toBe(2);
  });

  it('sample: visible rows; two calls differ, the same seed gives the same draws', () => {
    const pats = randomPatterns(2, 6, new Random(2));
    const make = () => {
      const net = new ExpandedHopfieldNetwork(6, 3, { rng: 5, temperature: 2 });
      net.fit(pats);
      return net;
    };
    const a = make();
    const s1 = a.sample(6, { sweeps: 4 });
    const s2 = a.sample(6, { sweeps: 4 });
    expect(s1.rows).toBe(6);
    expect(s1.cols).toBe(6);
    expect(Array.from(s1.data)).not.toEqual(Array.from(s2.data));
    expect(Array.from(make().sample(6, { sweeps: 4 }).data)).toEqual(Array.from(s1.data));
    expect(Array.from(a.clone().sample(6, { sweeps: 4 }).data)).toEqual(Array.from(a.sample(6, { sweeps: 4 }).data));
  });

  it('scoreSamples is the exact visible marginal log P(v) (hidden units summed out) at the temperature', () => {
    const pats = randomPatterns(3, 5, new Random(4));
    const net = new ExpandedHopfieldNetwork(5, 3, { rng: 1, temperature: 0.9 });
    net.fit(pats, { rule: 'storkey' });
    const brute = bruteVisibleLogProbs(net, 0.9);
    const rows = [...pats, [1, 1, 1, 1, 1]];
    const per = net.scoreSamples(rows);
    rows.forEach((v, r) => {
      expect(per[r]).toBeCloseTo(brute.get(v.join(',')) as number, 12);
    });
    const s = net.score(rows);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo(per.reduce((t, x) => t + x, 0) / per.length, 12);
    const back = ExpandedHopfieldNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
    expect(back.temperature).toBe(0.9);
    expect(back.score(rows).mean).toBe(s.mean);
    expect(() => new ExpandedHopfieldNetwork(20, 10).score([new Array(20).fill(1)])).toThrow(/limited to N \+ K ≤ 24/);
  });

  it('unknown options are a TypeError with the closest valid key', () => {
    const net = new ExpandedHopfieldNetwork(4, 2);
    expect(() => new ExpandedHopfieldNetwork(4, 2, { seed: 1 } as never)).toThrow(/unknown option 'seed'/);
    expect(() => net.fit([[1, -1, 1, -1]], { rulle: 'storkey' } as never)).toThrow(/did you mean 'rule'/);
    expect(() => net.recall(Float64Array.of(1, -1, 1, -1), { clampVisibles: true } as never)).toThrow(/did you mean 'clampVisible'/);
    expect(() => net.sample(2, { sweepz: 3 } as never)).toThrow(/unknown option 'sweepz'/);
    expect(() => net.score([[1, -1, 1, -1]], { methd: 'exact' } as never)).toThrow(/did you mean 'method'/);
    // An option of another rule is refused before the stream moves on.
    const fresh = new ExpandedHopfieldNetwork(4, 2);
    expect(() => net.fit([[1, -1, 1, -1]], { variant: 'few-steps' })).toThrow(/applies only to rule 'contrastive'/);
    expect(Array.from(net.sample(2, { sweeps: 2 }).data)).toEqual(Array.from(fresh.sample(2, { sweeps: 2 }).data));
  });
});
