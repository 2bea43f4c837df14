import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTensors } from '../../src/document.js';
import { FormatError } from '../../src/errors.js';
import { exactGroundState, exactLogPartition, stateFromIndex } from '../../src/energy/exact.js';
import { fromArrays, zeros } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { Random } from '../../src/random/random.js';
import { runChain } from '../../src/samplers/run.js';

function randomMachine(nv: number, nh: number, nl: number, seed: number, scale = 1, t = 1): BoltzmannMachine {
  const bm = new BoltzmannMachine(nv, nh, { nLabels: nl, initScale: scale, temperature: t, rng: seed });
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
    const bm = new BoltzmannMachine(3, 2, { nLabels: 3, initScale: 1, rng: 1 });
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
    const bm = new BoltzmannMachine(2, 0, { nLabels: 2 });
    expect(() => bm.energy(Float64Array.of(1, 0, 1, 1))).toThrow(/one-hot/);
    expect(() => bm.energy(Float64Array.of(1, 0, 0, 0))).toThrow(/one-hot/);
  });

  it('rejects bad options and parameters with typed errors', () => {
    expect(() => new BoltzmannMachine(0)).toThrow(/nVisible/);
    expect(() => new BoltzmannMachine(2, 0, { nLabels: 1 })).toThrow(/nLabels/);
    expect(() => new BoltzmannMachine(2, 0, { temperature: -1 })).toThrow(/temperature/);
    expect(() => new BoltzmannMachine(2, 0, { scan: 'zigzag' as never })).toThrow(/scan/);
    const asym = fromArrays([
      [0, 1],
      [2, 0],
    ]);
    expect(() => BoltzmannMachine.fromParameters(asym, new Float64Array(2), { nVisible: 2 })).toThrow(/symmetric/);
    const bm = new BoltzmannMachine(1, 0, { nLabels: 2 });
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
    const a = randomMachine(4, 2, 0, 3).sampleStates(15, { chains: 5, steps: 10 });
    const b = randomMachine(4, 2, 0, 3).sampleStates(15, { chains: 5, steps: 10 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const c = randomMachine(4, 2, 0, 3).sampleStates(6, { chains: 2, steps: 10 });
    expect(Array.from(c.data)).toEqual(Array.from(a.data.subarray(0, c.data.length)));
  });

  it('the model stream continues across calls and is saved with the model (bit-exact continuation)', () => {
    const bm = randomMachine(4, 2, 2, 5);
    bm.sample(3, { steps: 5 });
    const copy = BoltzmannMachine.fromDocument(JSON.parse(JSON.stringify(bm.toDocument())));
    const x = bm.sample(12, { chains: 3 });
    const y = copy.sample(12, { chains: 3 });
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    // the next call continues the stream: other draws
    const next = bm.sample(12, { chains: 3 });
    expect(Array.from(next.data)).not.toEqual(Array.from(x.data));
    // clone copies the generator state too
    const twin = bm.clone();
    expect(Array.from(twin.sample(6).data)).toEqual(Array.from(bm.sample(6).data));
    // the document round trip is stable
    const doc = JSON.stringify(bm.toDocument());
    expect(JSON.stringify(BoltzmannMachine.fromDocument(JSON.parse(doc)).toDocument())).toBe(doc);
  });

  it('clamped units never move; clamping a partial label group is rejected', () => {
    const bm = randomMachine(3, 2, 2, 9);
    const clamp = Uint8Array.of(1, 0, 1, 0, 0, 1, 1);
    const values = Float64Array.of(1, 0, 0, 0, 0, 0, 1);
    const s = bm.sampleStates(100, { chains: 20, steps: 3, clamp, values });
    for (let r = 0; r < s.rows; r++) {
      expect(s.data[r * 7 + 0]).toBe(1);
      expect(s.data[r * 7 + 2]).toBe(0);
      expect(s.data[r * 7 + 5]).toBe(0);
      expect(s.data[r * 7 + 6]).toBe(1);
    }
    // the visible rows of sample(), clamped by a visible-length mask as plain arrays
    const v = bm.sample(10, { clamp: [1, 0, 1], values: [0, 0, 1], steps: 3 });
    expect(v.cols).toBe(3);
    for (let r = 0; r < v.rows; r++) expect([v.data[r * 3], v.data[r * 3 + 2]]).toEqual([0, 1]);
    expect(() => bm.sample(1, { clamp: Uint8Array.of(0, 0, 0, 0, 0, 1, 0), values: new Float64Array(7) })).toThrow(/all together/);
    expect(() => bm.sample(1, { clamp: Uint8Array.of(0, 0, 0, 0, 0, 1, 1), values: new Float64Array(7) })).toThrow(/one-hot/);
    expect(() => bm.sample(1, { label: 0, clamp, values })).toThrow(/label/);
    expect(() => bm.sample(1, { label: 2 })).toThrow(/label/);
    expect(() => bm.sample(1, { clamp: [1, 0], values: [1, 0] })).toThrow(/clamp must have length 3/);
    const nan = values.slice();
    nan[1] = Number.NaN;
    expect(() => bm.sample(1, { clamp, values: nan })).toThrow(/values must contain only 0\/1/);
    expect(() => bm.complete(Float64Array.of(1, Number.NaN, 0), Uint8Array.of(1, 0, 1))).toThrow(/visible/);
    expect(() => bm.sample(4, { chains: 0 })).toThrow(/chains/);
    expect(() => bm.sample(4, { chains: 3 })).toThrow(/chains must divide n/);
    expect(() => bm.sample(0)).toThrow(/n must/);
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
          const ll = bm.exactLogLikelihood(fromArrays([Array.from(v)]), { gradient: false }).logLikelihood;
          expect(ll).toBeCloseTo(bruteLogProb(bm, sameV), 9);
          if (nl > 0) {
            const c = r.int(nl);
            const llc = bm.exactLogLikelihood(fromArrays([Array.from(v)]), { labels: [c], gradient: false }).logLikelihood;
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
    const g = bm.exactLogLikelihood(data, { labels });
    const n = bm.dimension;
    const ll = () => bm.exactLogLikelihood(data, { labels, gradient: false }).logLikelihood;
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
    const bm = new BoltzmannMachine(20, 5);
    expect(() => bm.logPartition()).toThrow(/24/);
    expect(() => bm.exactLogLikelihood(zeros(1, 20))).toThrow(/24/);
  });

  it('fromDocument rejects malformed documents with FormatError', () => {
    const doc = new BoltzmannMachine(2, 1).toDocument();
    expect(() => BoltzmannMachine.fromDocument({ ...doc, kind: 'rbm' })).toThrow(FormatError);
    expect(() => BoltzmannMachine.fromDocument({ ...doc, config: { ...doc.config, nHidden: -1 } })).toThrow(FormatError);
    const bad = expandTensors(doc);
    bad.tensors.weights.data[1] = 5; // asymmetric
    expect(() => BoltzmannMachine.fromDocument(bad)).toThrow(FormatError);
    const badRng = JSON.parse(JSON.stringify(doc));
    badRng.state.rng = { algorithm: 'nope', words: [1] };
    expect(() => BoltzmannMachine.fromDocument(badRng)).toThrow(FormatError);
  });
});

describe('BoltzmannMachine: the model contract', () => {
  const data = [
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
  ];

  it('fit trains from number[][] and returns a FitResult; the same seed gives the same weights', () => {
    const run = () => {
      const bm = new BoltzmannMachine(4, 2, { rng: 3 });
      const r = bm.fit(data, { epochs: 3, learningRate: 0.2, freeSamples: 20, freeChains: 4, clampedSamples: 2 });
      return { bm, r };
    };
    const { bm, r } = run();
    expect(r.epochs).toBe(3);
    expect(r.aborted).toBe(false);
    expect(r.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    expect(r.history[2].steps).toBe(3);
    expect(Number.isFinite(r.history[2].logLikelihood)).toBe(true);
    expect(Array.from(run().bm.weights.data)).toEqual(Array.from(bm.weights.data));
    // labels go in the options; onEpoch returning false stops early
    const lab = new BoltzmannMachine(4, 1, { nLabels: 2, rng: 1 });
    const seen: number[] = [];
    const rl = lab.fit(data, { labels: [0, 1, 0], epochs: 5, freeSamples: 10, onEpoch: (m) => seen.push(m.epoch) < 2 });
    expect(rl.epochs).toBe(2);
    expect(seen).toEqual([0, 1]);
    // an aborted signal stops before the first epoch
    const ac = new AbortController();
    ac.abort();
    expect(bm.fit(data, { epochs: 3, signal: ac.signal }).aborted).toBe(true);
  });

  it('partialFit continues the kept trainer: two passes equal one trainer making two epochs', () => {
    const opts = { learningRate: 0.1, freeSamples: 20, freeChains: 4, clampedSamples: 2, persistent: true } as const;
    const a = new BoltzmannMachine(4, 2, { rng: 9 });
    const r1 = a.partialFit(data, opts);
    const r2 = a.partialFit(data);
    expect(r1.epochs).toBe(1);
    expect(r2.history[0].epoch).toBe(1);
    const b = new BoltzmannMachine(4, 2, { rng: 9 });
    b.fit(data, { ...opts, epochs: 2 });
    expect(Array.from(a.weights.data)).toEqual(Array.from(b.weights.data));
    expect(() => a.partialFit(data, { epochs: 2 } as never)).toThrow(/partialFit/);
  });

  it('sample(n) continues the model stream: two calls differ, the same seed gives the same sequence', () => {
    const a = new BoltzmannMachine(5, 2, { initScale: 0.5, rng: 4 });
    const b = new BoltzmannMachine(5, 2, { initScale: 0.5, rng: 4 });
    const a1 = a.sample(20);
    const a2 = a.sample(20);
    expect(a1.rows).toBe(20);
    expect(a1.cols).toBe(5);
    expect(Array.from(a2.data)).not.toEqual(Array.from(a1.data));
    expect(Array.from(b.sample(20).data)).toEqual(Array.from(a1.data));
    expect(Array.from(b.sample(20).data)).toEqual(Array.from(a2.data));
  });

  it('sample with a label draws from P(v | c): clamping the label equals sampleStates with the label group clamped', () => {
    const a = randomMachine(3, 1, 3, 21);
    const b = randomMachine(3, 1, 3, 21);
    const x = a.sample(8, { label: 2, steps: 5 });
    const clamp = Uint8Array.of(0, 0, 0, 0, 1, 1, 1);
    const values = Float64Array.of(0, 0, 0, 0, 0, 0, 1);
    const full = b.sampleStates(8, { clamp, values, steps: 5 });
    for (let r = 0; r < 8; r++) {
      expect(Array.from(x.data.subarray(r * 3, r * 3 + 3))).toEqual(Array.from(full.data.subarray(r * 7, r * 7 + 3)));
      expect(Array.from(full.data.subarray(r * 7 + 4, r * 7 + 7))).toEqual([0, 0, 1]);
    }
  });

  it('scoreSamples is exact log P(v) and score its mean, labels and hidden units summed out', () => {
    const bm = randomMachine(3, 2, 2, 17);
    const x = [
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 1],
    ];
    const lp = bm.scoreSamples(x);
    const exact = bm.exactLogLikelihood(x, { gradient: false });
    expect(Array.from(lp)).toEqual(Array.from(exact.perExample));
    for (let r = 0; r < 3; r++) {
      const row = x[r];
      expect(lp[r]).toBeCloseTo(bruteLogProb(bm, (s) => row.every((v, i) => s[i] === v)), 10);
    }
    const sc = bm.score(x);
    expect(sc.method).toBe('exact');
    expect(sc.mean).toBeCloseTo((lp[0] + lp[1] + lp[2]) / 3, 14);
    expect(sc.lower).toBe(sc.mean);
    expect(sc.upper).toBe(sc.mean);
    expect(sc.logZ).toBeCloseTo(bruteLogProb(bm), 10);
    expect(bm.score(x, { method: 'exact' }).mean).toBe(sc.mean);
    expect(() => bm.score(x, { method: 'pseudo' })).toThrow(RangeError);
    expect(() => bm.score(x, { method: 'bound' })).toThrow(RangeError);
    const big = new BoltzmannMachine(20, 5);
    expect(() => big.scoreSamples(zeros(1, 20), { method: 'exact' })).toThrow(/nVisible \+ nHidden ≤ 24/);
    const wide = new BoltzmannMachine(2, 25);
    expect(() => wide.score([[0, 1]])).toThrow(/nHidden ≤ 24/);
    expect(() => wide.score([[0, 1]], { method: 'ais' })).toThrow(/nHidden ≤ 24/);
  });

  it('AIS scores agree with enumeration on small machines (log Z inside its ±3σ interval, within 0.05 nats)', () => {
    // Two machines, labeled and not; 200 runs over 3000 βs on ≤ 10 units. The
    // ±3σ interval comes from the spread of the importance weights: measured
    // half-widths 0.031 and 0.019 nats (σ ≈ 0.010 and 0.006), errors on these
    // seeds 0.0013 and 0.0043; over 10 seeds at 100 runs × 1000 βs the errors'
    // spread (sd ≈ 0.025 and 0.009) matched the reported σ, so 0.05 is ≥ 5σ.
    for (const [nv, nh, nl, seed] of [
      [6, 3, 0, 31],
      [5, 2, 3, 32],
    ] as const) {
      const bm = randomMachine(nv, nh, nl, seed, 0.7);
      const x = Array.from({ length: 4 }, (_, r) => Array.from({ length: nv }, (_, i) => (r + i) % 2));
      const exact = bm.score(x);
      const lpExact = bm.scoreSamples(x);
      const ais = bm.score(x, { method: 'ais', aisRuns: 200, aisBetas: 3000, rng: seed });
      expect(ais.method).toBe('ais');
      expect(Math.abs((ais.logZ as number) - (exact.logZ as number))).toBeLessThan(0.05);
      expect(exact.mean).toBeGreaterThanOrEqual(ais.lower);
      expect(exact.mean).toBeLessThanOrEqual(ais.upper);
      expect(ais.ess).toBeGreaterThan(20);
      // per-row: log Z(v) is exact, so every row is off by the same log Z error
      const lpAis = bm.scoreSamples(x, { method: 'ais', aisRuns: 200, aisBetas: 3000, rng: seed });
      for (let r = 0; r < x.length; r++) expect(lpAis[r] - lpExact[r]).toBeCloseTo(exact.logZ as number - (ais.logZ as number), 10);
    }
    // without rng AIS continues the model's stream: two calls give different estimates
    const bm = randomMachine(4, 2, 0, 33, 0.7);
    const a = bm.score([[1, 0, 1, 0]], { method: 'ais', aisRuns: 20, aisBetas: 100 });
    const b = bm.score([[1, 0, 1, 0]], { method: 'ais', aisRuns: 20, aisBetas: 100 });
    expect(a.logZ).not.toBe(b.logZ);
  });

  it('refuses unknown options with a TypeError naming the closest valid key', () => {
    const bm = new BoltzmannMachine(3, 1, { nLabels: 2 });
    expect(() => new BoltzmannMachine(3, 1, { nLabel: 2 } as never)).toThrow(/unknown option 'nLabel' \(did you mean 'nLabels'\?\)/);
    expect(() => new BoltzmannMachine(3, 1, { nLabel: 2 } as never)).toThrow(TypeError);
    expect(() => bm.fit([[1, 0, 1]], { epoch: 5 } as never)).toThrow(/did you mean 'epochs'/);
    expect(() => bm.fit([[1, 0, 1]], { learning_rate: 0.1 } as never)).toThrow(/did you mean 'learningRate'/);
    expect(() => bm.sample(2, { step: 5 } as never)).toThrow(/did you mean 'steps'/);
    expect(() => bm.score([[1, 0, 1]], { methods: 'exact' } as never)).toThrow(/did you mean 'method'/);
    expect(() => bm.complete(Float64Array.of(1, 0, 1), Uint8Array.of(1, 0, 0), { average: 2, burnin: 3 } as never)).toThrow(/did you mean 'burnIn'/);
    expect(() => bm.classProbabilities([[1, 0, 1]], { nSample: 3 } as never)).toThrow(/did you mean 'nSamples'/);
    expect(() => bm.createChain({ temp: 2 } as never)).toThrow(/unknown option 'temp'/);
    expect(() => bm.exactLogLikelihood([[1, 0, 1]], { label: [0] } as never)).toThrow(/did you mean 'labels'/);
    expect(() => BoltzmannMachine.fromParameters(zeros(2, 2), [0, 0], { nVisble: 2 } as never)).toThrow(/did you mean 'nVisible'/);
    // bad data is refused before anything changes
    const before = JSON.stringify(bm.toDocument());
    expect(() => bm.fit([[1, 0]])).toThrow(/3 columns|shape/);
    expect(() => bm.fit([[1, 0, 1]], { labels: [2] })).toThrow(/labels\[0\]/);
    expect(JSON.stringify(bm.toDocument())).toBe(before);
  });
});
