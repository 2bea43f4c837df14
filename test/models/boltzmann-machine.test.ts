import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { exactGroundState, exactLogPartition, stateFromIndex } from '../../src/energy/exact.js';
import { fromArrays, zeros } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { Random } from '../../src/random/random.js';
import { runChain } from '../../src/samplers/run.js';

function randomMachine(nv: number, nh: number, nl: number, seed: number, scale = 1, t = 1): BoltzmannMachine {
  const bm = new BoltzmannMachine({ nVisible: nv, nHidden: nh, nLabels: nl, initScale: scale, temperature: t, rng: seed });
  const r = new Random(seed + 7);
  for (let i = 0; i < bm.dimension; i++) bm.bias[i] = scale * r.normal();
  return bm;
}

/** Brute force over (v, h, one-hot c): log Σ_{kept} exp(−E/T) − log Z, or log Z when `keep` is omitted. */
function bruteLogProb(bm: BoltzmannMachine, keep?: (s: Float64Array) => boolean): number {
  const m = bm.labelStart;
  const K = bm.nLabels;
  const s = new Float64Array(bm.dimension);
  const x = new Float64Array(m);
  let z = 0;
  let num = 0;
  for (let k = 0; k < Math.max(1, K); k++) {
    for (let idx = 0; idx < 2 ** m; idx++) {
      stateFromIndex(x, idx, 'binary');
      s.fill(0);
      s.set(x);
      if (K > 0) s[m + k] = 1;
      const p = Math.exp(-bm.energy(s) / bm.temperature);
      z += p;
      if (keep?.(s)) num += p;
    }
  }
  return keep ? Math.log(num / z) : Math.log(z);
}

describe('BoltzmannMachine: construction and energy', () => {
  it('lays out [visible | hidden | labels], symmetric weights, zero diagonal, zero label-label block', () => {
    const bm = new BoltzmannMachine({ nVisible: 3, nHidden: 2, nLabels: 3, initScale: 1, rng: 1 });
    const n = bm.dimension;
    expect(n).toBe(8);
    expect(bm.hiddenStart).toBe(3);
    expect(bm.labelStart).toBe(5);
    for (let i = 0; i < n; i++) {
      expect(bm.weights.data[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) {
        expect(bm.weights.data[i * n + j]).toBe(bm.weights.data[j * n + i]);
        if (i >= 5 && j >= 5) expect(bm.weights.data[i * n + j]).toBe(0);
      }
    }
  });

  it('energy is −½ sᵀWs − bᵀs (property) and rejects non-one-hot labels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.nat(1000), (nv, nh, seed) => {
        const bm = randomMachine(nv, nh, 0, seed);
        const n = bm.dimension;
        const s = new Float64Array(n);
        const r = new Random(seed);
        for (let i = 0; i < n; i++) s[i] = r.float64() < 0.5 ? 1 : 0;
        let e = 0;
        for (let i = 0; i < n; i++) {
          e -= bm.bias[i] * s[i];
          for (let j = 0; j < n; j++) e -= 0.5 * bm.weights.data[i * n + j] * s[i] * s[j];
        }
        expect(bm.energy(s)).toBeCloseTo(e, 10);
      }),
    );
    const bm = new BoltzmannMachine({ nVisible: 2, nLabels: 2 });
    expect(() => bm.energy(Float64Array.of(1, 0, 1, 1))).toThrow(/one-hot/);
    expect(() => bm.energy(Float64Array.of(1, 0, 0, 0))).toThrow(/one-hot/);
  });

  it('rejects bad options and parameters with typed errors', () => {
    expect(() => new BoltzmannMachine({ nVisible: 0 })).toThrow(/nVisible/);
    expect(() => new BoltzmannMachine({ nVisible: 2, nLabels: 1 })).toThrow(/nLabels/);
    expect(() => new BoltzmannMachine({ nVisible: 2, temperature: -1 })).toThrow(/temperature/);
    expect(() => new BoltzmannMachine({ nVisible: 2, scan: 'zigzag' as never })).toThrow(/scan/);
    const asym = fromArrays([
      [0, 1],
      [2, 0],
    ]);
    expect(() => BoltzmannMachine.fromParameters(asym, new Float64Array(2), { nVisible: 2 })).toThrow(/symmetric/);
    const bm = new BoltzmannMachine({ nVisible: 1, nLabels: 2 });
    const w = zeros(3, 3);
    w.data[1 * 3 + 2] = 1;
    w.data[2 * 3 + 1] = 1;
    const before = bm.weights.data.slice();
    expect(() => bm.setParameters(w, new Float64Array(3))).toThrow(/label units/);
    expect(Array.from(bm.weights.data)).toEqual(Array.from(before));
  });
});

describe('BoltzmannMachine: sampling', () => {
  it('same seed → same samples; chains are independent of how many run (streams)', () => {
    const a = randomMachine(4, 2, 0, 3).sample({ nChains: 5, nSamples: 3, burnIn: 10 });
    const b = randomMachine(4, 2, 0, 3).sample({ nChains: 5, nSamples: 3, burnIn: 10 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const c = randomMachine(4, 2, 0, 3).sample({ nChains: 2, nSamples: 3, burnIn: 10 });
    expect(Array.from(c.data)).toEqual(Array.from(a.data.subarray(0, c.data.length)));
  });

  it('persistent chains survive between calls and are saved with the model (bit-exact continuation)', () => {
    const bm = randomMachine(4, 2, 2, 5);
    bm.sample({ persistent: true, nChains: 3, burnIn: 5 });
    expect(bm.persistentChainCount).toBe(3);
    const copy = BoltzmannMachine.fromDocument(JSON.parse(JSON.stringify(bm.toDocument())));
    expect(copy.persistentChainCount).toBe(3);
    const x = bm.sample({ persistent: true, nChains: 3, nSamples: 4 });
    const y = copy.sample({ persistent: true, nChains: 3, nSamples: 4 });
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    // a persistent call continues: the first sample of the next call follows the last one
    const next = bm.sample({ persistent: true, nChains: 3, nSamples: 1 });
    expect(next.rows).toBe(3);
    // the document round trip is stable
    const doc = JSON.stringify(bm.toDocument());
    expect(JSON.stringify(BoltzmannMachine.fromDocument(JSON.parse(doc)).toDocument())).toBe(doc);
  });

  it('clamped units never move; clamping a partial label group is rejected', () => {
    const bm = randomMachine(3, 2, 2, 9);
    const clamp = Uint8Array.of(1, 0, 1, 0, 0, 1, 1);
    const values = Float64Array.of(1, 0, 0, 0, 0, 0, 1);
    const s = bm.sample({ nChains: 20, nSamples: 5, burnIn: 3, clamp, values });
    for (let r = 0; r < s.rows; r++) {
      expect(s.data[r * 7 + 0]).toBe(1);
      expect(s.data[r * 7 + 2]).toBe(0);
      expect(s.data[r * 7 + 5]).toBe(0);
      expect(s.data[r * 7 + 6]).toBe(1);
    }
    expect(() => bm.sample({ clamp: Uint8Array.of(0, 0, 0, 0, 0, 1, 0), values: new Float64Array(7) })).toThrow(/all together/);
    expect(() => bm.sample({ clamp: Uint8Array.of(0, 0, 0, 0, 0, 1, 1), values: new Float64Array(7) })).toThrow(/one-hot/);
    expect(() => bm.sample({ persistent: true, clamp, values })).toThrow(/persistent/);
    const nan = values.slice();
    nan[1] = Number.NaN;
    expect(() => bm.sample({ clamp, values: nan })).toThrow(/values must contain only 0\/1/);
    expect(() => bm.complete(Float64Array.of(1, Number.NaN, 0), Uint8Array.of(1, 0, 1))).toThrow(/visible/);
    expect(() => bm.sample({ nChains: 0 })).toThrow(/nChains/);
  });

  it('createChain is a Sampler: runChain and snapshot/restore work on it', () => {
    const bm = randomMachine(3, 1, 0, 2);
    const chain = bm.createChain({ rng: 4 });
    const snap = chain.snapshot();
    const a = runChain(chain, { nSamples: 5 }).samples;
    chain.restore(snap);
    const b = runChain(chain, { nSamples: 5 }).samples;
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('BoltzmannMachine: annealing and pattern completion', () => {
  it('annealing reaches the enumerated ground state of random 16-unit machines in most runs', () => {
    // 40 random machines (w_ij, b_i ~ N(0, 1)), default schedule 4T → 0.01T, α = 0.95,
    // one sweep per temperature. Measured rate on these seeds ≈ 0.9; a binomial
    // with p = 0.9 over 40 runs has sd 0.047, so 0.7 is > 4 sd below.
    let hits = 0;
    const runs = 40;
    for (let m = 0; m < runs; m++) {
      const bm = randomMachine(16, 0, 0, 100 + m);
      const g = exactGroundState(bm.energyFunction);
      const r = bm.anneal();
      expect(r.bestEnergy).toBeGreaterThanOrEqual(g.energy - 1e-9);
      if (Math.abs(r.energy - g.energy) < 1e-9) hits++;
    }
    expect(hits / runs).toBeGreaterThan(0.7);
  });

  it('pattern completion recovers a stored pattern from half of it (sample and anneal)', () => {
    // a machine that stores 1100 and 0011 strongly: w within a pair +4, across −4, biases −2
    const n = 4;
    const w = zeros(n, n);
    const set = (i: number, j: number, v: number) => {
      w.data[i * n + j] = v;
      w.data[j * n + i] = v;
    };
    set(0, 1, 4);
    set(2, 3, 4);
    for (const i of [0, 1]) for (const j of [2, 3]) set(i, j, -4);
    const bm = BoltzmannMachine.fromParameters(w, Float64Array.of(-2, -2, -2, -2), { nVisible: 4, rng: 1 });
    const known = Uint8Array.of(1, 0, 1, 0);
    const s = bm.complete(Float64Array.of(1, 0, 0, 0), known);
    expect(Array.from(s.visible)).toEqual([1, 1, 0, 0]);
    const a = bm.complete(Float64Array.of(0, 0, 1, 0), known, { method: 'anneal' });
    expect(Array.from(a.visible)).toEqual([0, 0, 1, 1]);
  });
});

describe('BoltzmannMachine: exact quantities', () => {
  it('log Z, log P(v) and log P(v, c) with labels agree with brute force (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(0, 2, 3),
        fc.nat(1000),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (nv, nh, nl, seed, t) => {
          const bm = randomMachine(nv, nh, nl, seed, 1, t);
          expect(bm.logPartition()).toBeCloseTo(bruteLogProb(bm), 10);
          const r = new Random(seed);
          const v = new Float64Array(nv);
          for (let i = 0; i < nv; i++) v[i] = r.float64() < 0.5 ? 1 : 0;
          const sameV = (s: Float64Array) => v.every((x, i) => s[i] === x);
          const ll = bm.exactLogLikelihood(fromArrays([Array.from(v)]), undefined, { gradient: false }).logLikelihood;
          expect(ll).toBeCloseTo(bruteLogProb(bm, sameV), 9);
          if (nl > 0) {
            const c = r.int(nl);
            const llc = bm.exactLogLikelihood(fromArrays([Array.from(v)]), [c], { gradient: false }).logLikelihood;
            expect(llc).toBeCloseTo(bruteLogProb(bm, (s) => sameV(s) && s[bm.labelStart + c] === 1), 9);
            // P(c | v) from classProbabilities = P(v, c) / P(v)
            const pc = bm.classProbabilities(fromArrays([Array.from(v)]), { method: 'exact' });
            expect(pc.data[c]).toBeCloseTo(Math.exp(llc - ll), 9);
          }
          // the visible marginal sums to 1
          const pv = bm.visibleDistribution();
          expect(pv.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 10);
        },
      ),
      { numRuns: 40, seed: 3 },
    );
  });

  it('the labeled exact gradient equals finite differences of the exact log-likelihood', () => {
    const bm = randomMachine(2, 1, 2, 4, 0.7, 0.8);
    const data = fromArrays([
      [1, 0],
      [1, 1],
    ]);
    const labels = [0, 1];
    const g = bm.exactLogLikelihood(data, labels);
    const n = bm.dimension;
    const ll = () => bm.exactLogLikelihood(data, labels, { gradient: false }).logLikelihood;
    const eps = 1e-5;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (i >= bm.labelStart && j >= bm.labelStart) continue;
        const w0 = bm.weights.data[i * n + j];
        const set = (v: number) => {
          bm.weights.data[i * n + j] = v;
          bm.weights.data[j * n + i] = v;
        };
        set(w0 + eps);
        const up = ll();
        set(w0 - eps);
        const dn = ll();
        set(w0);
        expect(g.weights.data[i * n + j]).toBeCloseTo((up - dn) / (2 * eps), 6);
      }
      const b0 = bm.bias[i];
      bm.bias[i] = b0 + eps;
      const up = ll();
      bm.bias[i] = b0 - eps;
      const dn = ll();
      bm.bias[i] = b0;
      expect(g.bias[i]).toBeCloseTo((up - dn) / (2 * eps), 6);
    }
  });

  it('thermodynamics: F = U − T·H = −T log Z over a range of temperatures', () => {
    const bm = randomMachine(8, 0, 0, 12);
    for (const t of [0.25, 0.5, 1, 2, 4]) {
      const th = bm.thermodynamics(t);
      expect(th.freeEnergy).toBeCloseTo(-t * exactLogPartition(bm.energyFunction, { temperature: t }), 9);
      expect(th.freeEnergy).toBeCloseTo(th.freeEnergyFromZ, 9);
    }
  });

  it('exact methods refuse machines above the enumeration limit with the limit in the message', () => {
    const bm = new BoltzmannMachine({ nVisible: 20, nHidden: 5 });
    expect(() => bm.logPartition()).toThrow(/24/);
    expect(() => bm.exactLogLikelihood(zeros(1, 20))).toThrow(/24/);
  });

  it('fromDocument rejects malformed documents with FormatError', () => {
    const doc = new BoltzmannMachine({ nVisible: 2, nHidden: 1 }).toDocument();
    expect(() => BoltzmannMachine.fromDocument({ ...doc, kind: 'rbm' })).toThrow(FormatError);
    expect(() => BoltzmannMachine.fromDocument({ ...doc, config: { ...doc.config, nHidden: -1 } })).toThrow(FormatError);
    const bad = JSON.parse(JSON.stringify(doc));
    bad.tensors.weights.data[1] = 5; // asymmetric
    expect(() => BoltzmannMachine.fromDocument(bad)).toThrow(FormatError);
    const badChain = JSON.parse(JSON.stringify(doc));
    badChain.state.chains = [{ state: [1, 0.5, 0], rng: doc.state?.rng }];
    expect(() => BoltzmannMachine.fromDocument(badChain)).toThrow(FormatError);
  });
});
