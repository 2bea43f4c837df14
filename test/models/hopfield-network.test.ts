import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evolveAsyncUnchecked,
  FormatError,
  fromArrays,
  geometricSchedule,
  HopfieldNetwork,
  linearSchedule,
  listSchedule,
  logarithmicSchedule,
  type Matrix,
  Random,
  ShapeError,
} from '../../src/index.js';

/** A random symmetric matrix with zero diagonal and entries in [−1, 1) (or small integers when `ints`). */
function randomSymmetric(n: number, rng: Random, ints = false): Matrix {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = ints ? rng.int(5) - 2 : rng.uniform(-1, 1);
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data: w };
}

function randomSpins(n: number, rng: Random): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.float64() < 0.5 ? -1 : 1;
  return y;
}

/** Direct `E = −Σ_{i<j} w_ij y_i y_j − Σ b_i y_i`, written independently of the library. */
function directEnergy(w: Matrix, b: Float64Array, y: Float64Array): number {
  const n = y.length;
  let e = 0;
  for (let i = 0; i < n; i++) {
    e -= b[i] * y[i];
    for (let j = i + 1; j < n; j++) e -= w.data[i * n + j] * y[i] * y[j];
  }
  return e;
}

const key = (v: ArrayLike<number>) => Array.from(v, (x) => (x > 0 ? '+' : '-')).join('');

function allStates(n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let s = 0; s < 1 << n; s++) out.push(Float64Array.from({ length: n }, (_, i) => ((s >> i) & 1 ? 1 : -1)));
  return out;
}

const netArb = fc.record({ n: fc.integer({ min: 1, max: 24 }), seed: fc.nat(1e9), ints: fc.boolean(), bias: fc.boolean() });

describe('HopfieldNetwork: asynchronous deterministic dynamics', () => {
  it('energy never rises, each flip lowers it, and a fixed point is reached in finitely many flips (random W, b, y)', () => {
    fc.assert(
      fc.property(netArb, fc.constantFrom('sequential', 'random'), fc.constantFrom('keep', 'minus'), ({ n, seed, ints, bias }, order, tie) => {
        const rng = new Random(seed);
        const w = randomSymmetric(n, rng, ints);
        const b = new Float64Array(n);
        if (bias) for (let i = 0; i < n; i++) b[i] = ints ? rng.int(3) - 1 : rng.uniform(-1, 1);
        const net = new HopfieldNetwork(w, b);
        const cue = randomSpins(n, rng);
        const r = net.evolve(cue, { order, tie, rng: seed, maxSweeps: 10_000 });
        expect(r.converged).toBe(true);
        expect(r.cycle).toBe(false);
        expect(r.energies.length).toBe(r.sweeps + 1);
        expect(r.energies[0]).toBeCloseTo(directEnergy(w, b, cue), 9);
        for (let k = 1; k < r.energies.length; k++) expect(r.energies[k]).toBeLessThanOrEqual(r.energies[k - 1] + 1e-9);
        expect(r.energies[r.sweeps]).toBeCloseTo(directEnergy(w, b, r.state), 9);
        expect(net.isFixedPoint(r.state, tie)).toBe(true);
        // The final sweep confirmed the fixed point, so it changed nothing.
        expect(r.energies[r.sweeps]).toBe(r.energies[r.sweeps - 1]);
        // Finitely many flips: with 'keep' every flip lowers E by 2|h_i| > 0, so flips ≤ number of distinct energies below E(cue) ≤ 2^n.
        expect(r.flips).toBeLessThanOrEqual(2 ** n);
      }),
      { numRuns: 200 },
    );
  });

  it('each single flip (keep rule) lowers the energy strictly: checked flip by flip', () => {
    fc.assert(
      fc.property(netArb, ({ n, seed, ints, bias }) => {
        const rng = new Random(seed);
        const w = randomSymmetric(n, rng, ints);
        const b = new Float64Array(n);
        if (bias) for (let i = 0; i < n; i++) b[i] = rng.uniform(-1, 1);
        const net = new HopfieldNetwork(w, b);
        let y = randomSpins(n, rng);
        // One flip at a time (maxSweeps 1 on a clamp mask that frees one unit).
        for (let step = 0; step < 5 * n; step++) {
          const i = step % n;
          const clamp = new Uint8Array(n).fill(1);
          clamp[i] = 0;
          const e0 = directEnergy(w, b, y);
          const r = net.evolve(y, { clamp, maxSweeps: 1 });
          const e1 = directEnergy(w, b, r.state);
          if (r.flips === 1) expect(e1).toBeLessThan(e0);
          else expect(e1).toBe(e0);
          y = r.state;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('incremental fields equal W·y + b after any sequence of flips', () => {
    fc.assert(
      fc.property(netArb, fc.array(fc.nat(1000), { maxLength: 60 }), ({ n, seed, bias }, picks) => {
        const rng = new Random(seed);
        const w = randomSymmetric(n, rng);
        const b = new Float64Array(n);
        if (bias) for (let i = 0; i < n; i++) b[i] = rng.uniform(-2, 2);
        const net = new HopfieldNetwork(w, b);
        // Drive evolveAsyncUnchecked on a random state, then also through forced flips via a Gibbs chain at high T.
        const y = randomSpins(n, rng);
        const h = net.localFields(new Float64Array(n), y);
        const order = Uint32Array.from({ length: n }, (_, i) => i);
        evolveAsyncUnchecked(net.weights.data, net.bias, y, h, n, order, n, false, 3, rng, true, null, new Float64Array(2));
        const g = net.gibbs({ temperature: 1e6, rng: seed, initial: y });
        for (const p of picks) g.setUnitUnchecked(p % n, -g.state[p % n]);
        const fresh = net.localFields(new Float64Array(n), y);
        for (let i = 0; i < n; i++) expect(h[i]).toBeCloseTo(fresh[i], 10);
        const fresh2 = net.localFields(new Float64Array(n), g.state);
        for (let i = 0; i < n; i++) expect(g.fields[i]).toBeCloseTo(fresh2[i], 10);
      }),
      { numRuns: 150 },
    );
  });

  it('ties keep the state by default; Θ(0) = −1 sends a +1 unit with zero field to −1', () => {
    const net = HopfieldNetwork.zeros(3);
    const y = Float64Array.of(1, -1, 1);
    const keep = net.evolve(y);
    expect(Array.from(keep.state)).toEqual([1, -1, 1]);
    expect(keep.flips).toBe(0);
    expect(keep.converged).toBe(true);
    const minus = net.evolve(y, { tie: 'minus' });
    expect(Array.from(minus.state)).toEqual([-1, -1, -1]);
    expect(minus.flips).toBe(2);
    expect(net.isFixedPoint(y)).toBe(true);
    expect(net.isFixedPoint(y, 'minus')).toBe(false);
  });

  it('clamped units never change', () => {
    const rng = new Random(4);
    const net = new HopfieldNetwork(randomSymmetric(12, rng));
    for (let t = 0; t < 20; t++) {
      const y = randomSpins(12, rng);
      const clamp = Uint8Array.from({ length: 12 }, () => (rng.float64() < 0.4 ? 1 : 0));
      const r = net.evolve(y, { clamp, order: 'random', rng: t });
      for (let i = 0; i < 12; i++) if (clamp[i]) expect(r.state[i]).toBe(y[i]);
    }
  });

  it('the same seed gives the same random-order trajectory; the cue is not modified', () => {
    const rng = new Random(9);
    const net = new HopfieldNetwork(randomSymmetric(30, rng));
    const y = randomSpins(30, rng);
    const copy = y.slice();
    const a = net.evolve(y, { order: 'random', rng: 5 });
    const b = net.evolve(y, { order: 'random', rng: new Random(5) });
    expect(a).toEqual(b);
    expect(y).toEqual(copy);
  });
});

describe('HopfieldNetwork: synchronous dynamics', () => {
  it('detects the 2-cycle of two mutually inhibiting units started equal', () => {
    const net = new HopfieldNetwork(fromArrays([[0, -1], [-1, 0]]));
    const r = net.evolve(Float64Array.of(1, 1), { mode: 'sync' });
    expect(r.cycle).toBe(true);
    expect(r.converged).toBe(false);
    expect(r.sweeps).toBe(2);
    expect(Array.from(r.state)).toEqual([1, 1]);
    // Asynchronous updates from the same cue settle instead.
    const a = net.evolve(Float64Array.of(1, 1));
    expect(a.converged).toBe(true);
    expect(Array.from(a.state)).toEqual([-1, 1]);
  });

  it('on random networks it ends at a fixed point or a 2-cycle (never anything else), and a fixed point is a fixed point', () => {
    fc.assert(
      fc.property(netArb, ({ n, seed, bias }) => {
        const rng = new Random(seed);
        const w = randomSymmetric(n, rng);
        const b = new Float64Array(n);
        if (bias) for (let i = 0; i < n; i++) b[i] = rng.uniform(-1, 1);
        const net = new HopfieldNetwork(w, b);
        const r = net.evolve(randomSpins(n, rng), { mode: 'sync', maxSweeps: 10_000 });
        // Parallel dynamics with symmetric W always reach a fixed point or a 2-cycle (Goles et al. 1985).
        expect(r.converged || r.cycle).toBe(true);
        if (r.converged) expect(net.isFixedPoint(r.state)).toBe(true);
        expect(r.energies[r.sweeps]).toBeCloseTo(directEnergy(w, b, r.state), 9);
      }),
      { numRuns: 150 },
    );
  });
});

describe("HopfieldNetwork: the lecture's 4-neuron examples (Hebbian storage)", () => {
  const fixedPoints = (net: HopfieldNetwork) => allStates(net.dimension).filter((y) => net.isFixedPoint(y)).map(key).sort();

  it('two orthogonal patterns: both are stored, with their reversals (y and −y), and nothing else', () => {
    const patterns = [
      [1, 1, -1, -1],
      [1, -1, 1, -1],
    ];
    const net = HopfieldNetwork.fromPatterns(patterns);
    const expected = patterns.flatMap((p) => [key(p), key(p.map((x) => -x))]).sort();
    expect(fixedPoints(net)).toEqual(expected);
    // Stored patterns are strict minima (every unit agrees with its field), and every one of the 16
    // states flows to one of the four memories (a one-bit corruption may sit between two of them).
    for (const p of patterns) {
      const y = Float64Array.from(p);
      const h = net.localFields(new Float64Array(4), y);
      for (let i = 0; i < 4; i++) expect(y[i] * h[i]).toBeGreaterThan(0);
    }
    for (const y of allStates(4)) expect(expected).toContain(key(net.evolve(y).state));
  });

  it('three non-orthogonal patterns: two disappear, and the only memories are ±(+++−), one of which (−−−+) was never stored', () => {
    // Exhaustive search (all triples of 4-spin patterns, zero-diagonal Hebbian weights, either tie rule) shows
    // that a non-orthogonal triple always loses stored patterns; here ++−− and +−+− are not fixed points and
    // every state flows to ±(+++−). The "fake" memory −−−+ is the reversal the lecture warns about.
    const patterns = [
      [1, 1, -1, -1],
      [1, -1, 1, -1],
      [1, 1, 1, -1],
    ];
    const net = HopfieldNetwork.fromPatterns(patterns);
    expect(net.isFixedPoint(Float64Array.from(patterns[0]))).toBe(false);
    expect(net.isFixedPoint(Float64Array.from(patterns[1]))).toBe(false);
    expect(net.isFixedPoint(Float64Array.from(patterns[2]))).toBe(true);
    expect(fixedPoints(net)).toEqual(['+++-', '---+'].sort());
    const stored = new Set(patterns.map(key));
    const fake = fixedPoints(net).filter((k) => !stored.has(k));
    expect(fake).toEqual(['---+']);
  });

  it('a 6-neuron triple where every pattern disappears and the mixture sgn(ξ¹+ξ²+ξ³) becomes a fake memory', () => {
    const patterns = [
      [1, -1, -1, -1, -1, -1],
      [-1, 1, -1, -1, -1, -1],
      [-1, -1, 1, -1, -1, -1],
    ];
    const net = HopfieldNetwork.fromPatterns(patterns);
    const mixture = patterns[0].map((_, i) => Math.sign(patterns[0][i] + patterns[1][i] + patterns[2][i]));
    for (const p of patterns) expect(net.isFixedPoint(Float64Array.from(p))).toBe(false);
    expect(net.isFixedPoint(Float64Array.from(mixture))).toBe(true);
    expect(fixedPoints(net)).toEqual([key(mixture), key(mixture.map((x) => -x))].sort());
  });
});

/** Exact Boltzmann distribution at temperature T by enumeration. */
function exactDistribution(net: HopfieldNetwork, t: number): Map<string, number> {
  const states = allStates(net.dimension);
  const logw = states.map((y) => -net.energy(y) / t);
  const m = Math.max(...logw);
  const z = logw.reduce((s, l) => s + Math.exp(l - m), 0);
  return new Map(states.map((y, k) => [key(y), Math.exp(logw[k] - m) / z]));
}

describe('HopfieldNetwork: stochastic retrieval and annealing (through QuadraticGibbs / anneal)', () => {
  it('the last sample of independent chains follows the exact Boltzmann distribution at T (chi-square against enumeration)', () => {
    const rng = new Random(11);
    const n = 4;
    const net = new HopfieldNetwork(randomSymmetric(n, rng), Float64Array.of(0.3, -0.2, 0.1, 0.4));
    const T = 0.7;
    const exact = exactDistribution(net, T);
    const R = 4000;
    const counts = new Map<string, number>();
    const streams = new Random(2024).streams(R);
    for (let r = 0; r < R; r++) {
      // 30 sweeps from a fixed start mix this 4-unit chain completely (total-variation distance < 1e-6 by its spectral gap).
      const s = net.sampleRecall(Float64Array.of(1, 1, 1, 1), { temperature: T, sweeps: 30, rng: streams[r] });
      counts.set(key(s.last), (counts.get(key(s.last)) ?? 0) + 1);
    }
    // Pearson chi-square with 15 degrees of freedom: P(χ² > 37.7) = 0.001 under the exact distribution.
    let chi2 = 0;
    for (const [k, p] of exact) chi2 += ((counts.get(k) ?? 0) - R * p) ** 2 / (R * p);
    expect(chi2).toBeLessThan(37.7);
  });

  it('the average of the last M samples estimates ⟨y_i⟩ within the sampling error', () => {
    const net = new HopfieldNetwork(fromArrays([[0, 0.5, 0], [0.5, 0, -0.3], [0, -0.3, 0]]), Float64Array.of(0.2, 0, -0.1));
    const T = 1.3;
    const exact = exactDistribution(net, T);
    const mean = [0, 0, 0];
    for (const [k, p] of exact) for (let i = 0; i < 3; i++) mean[i] += (k[i] === '+' ? 1 : -1) * p;
    // 40 independent chains × M = 500 samples; per-chain means are independent, so the spread of the
    // grand mean is estimated from them: tolerance 4.5 standard errors.
    const per: number[][] = [[], [], []];
    for (let c = 0; c < 40; c++) {
      const r = net.sampleRecall(Float64Array.of(1, 1, 1), { temperature: T, sweeps: 550, average: 500, rng: 100 + c });
      for (let i = 0; i < 3; i++) per[i].push(r.mean[i]);
      for (let i = 0; i < 3; i++) expect(r.state[i]).toBe(r.mean[i] > 0 ? 1 : r.mean[i] < 0 ? -1 : r.last[i]);
    }
    for (let i = 0; i < 3; i++) {
      const m = per[i].reduce((s, v) => s + v, 0) / 40;
      const sd = Math.sqrt(per[i].reduce((s, v) => s + (v - m) ** 2, 0) / 39);
      expect(Math.abs(m - mean[i])).toBeLessThan((4.5 * sd) / Math.sqrt(40) + 1e-3);
    }
  });

  it('annealing with geometric, linear, logarithmic and list schedules finds the exact ground state of a small frustrated net', () => {
    const rng = new Random(21);
    const n = 12;
    const net = new HopfieldNetwork(randomSymmetric(n, rng), Float64Array.from({ length: n }, () => rng.uniform(-0.5, 0.5)));
    let emin = Infinity;
    for (const y of allStates(n)) emin = Math.min(emin, net.energy(y));
    const cue = Float64Array.from({ length: n }, () => 1);
    for (const schedule of [
      geometricSchedule(3, 0.95, 0.02),
      linearSchedule(3, 0.02, 150),
      logarithmicSchedule(1.5, 150),
      listSchedule(Array.from({ length: 100 }, (_, k) => 3 * 0.95 ** k)),
    ]) {
      const r = net.annealRecall(cue, schedule, { sweepsPerTemperature: 5, rng: 3, quench: true });
      expect(r.bestEnergy).toBeCloseTo(emin, 9);
      expect(net.isFixedPoint(r.state)).toBe(true);
    }
  });
});

describe('HopfieldNetwork: construction, validation, documents', () => {
  it('bad input gets a typed error before anything changes', () => {
    const net = HopfieldNetwork.fromPatterns([[1, -1, 1, -1]]);
    const before = net.weights.data.slice();
    expect(() => net.evolve(Float64Array.of(1, -1, 1))).toThrow(ShapeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, 0))).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, Number.NaN))).toThrow(/±1/);
    expect(() => net.evolve([1, -1, 1, -1] as unknown as Float64Array)).toThrow(TypeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { mode: 'parallel' as 'sync' })).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { maxSweeps: 0 })).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { clamp: new Uint8Array(3) })).toThrow(ShapeError);
    expect(() => net.sampleRecall(Float64Array.of(1, -1, 1, -1), { temperature: 0 })).toThrow(RangeError);
    expect(() => net.store([[1, -1, 1]])).toThrow(ShapeError);
    expect(() => net.store([[1, -1, 1, 2]])).toThrow(RangeError);
    expect(net.weights.data).toEqual(before);
    expect(() => new HopfieldNetwork(fromArrays([[0, 1], [0.5, 0]]))).toThrow(/symmetric/);
    expect(() => new HopfieldNetwork(fromArrays([[1, 0], [0, 0]]))).toThrow(/diagonal/);
    expect(() => new HopfieldNetwork(fromArrays([[0, Number.NaN], [Number.NaN, 0]]))).toThrow(RangeError);
    expect(() => new HopfieldNetwork(fromArrays([[0, 1]]))).toThrow(ShapeError);
    expect(() => new HopfieldNetwork(fromArrays([[0, 1], [1, 0]]), new Float64Array(3))).toThrow(ShapeError);
    expect(() => HopfieldNetwork.fromPatterns([[0, 1, 1]])).toThrow(/±1/);
    expect(() => HopfieldNetwork.fromPatterns([[1, -1], [1]])).toThrow(ShapeError);
    expect(() => HopfieldNetwork.fromPatterns([[1, -1]], { rule: 'oja' as 'hebbian' })).toThrow(RangeError);
  });

  it('0/1 patterns are accepted only with binary: true and mean the same as ±1', () => {
    const a = HopfieldNetwork.fromPatterns([[0, 1, 1, 0]], { binary: true });
    const b = HopfieldNetwork.fromPatterns([[-1, 1, 1, -1]]);
    expect(a.weights.data).toEqual(b.weights.data);
  });

  it('the constructor copies its arguments; the network is an EnergyModel whose energy matches the direct sum', () => {
    const rng = new Random(3);
    const w = randomSymmetric(7, rng);
    const b = Float64Array.from({ length: 7 }, () => rng.uniform(-1, 1));
    const net = new HopfieldNetwork(w, b);
    w.data[1] = 99;
    b[0] = 99;
    expect(net.weights.data[1]).not.toBe(99);
    expect(net.bias[0]).not.toBe(99);
    expect(net.domain).toBe('spin');
    const y = randomSpins(7, rng);
    const wOrig = net.weights;
    expect(net.energy(y)).toBeCloseTo(directEnergy(wOrig, net.bias, y), 12);
    for (let i = 0; i < 7; i++) {
      const z = y.slice();
      z[i] = -z[i];
      expect(net.deltaEnergyFlip(y, i)).toBeCloseTo(net.energy(z) - net.energy(y), 12);
    }
  });

  it('toDocument / fromDocument round-trips exactly through JSON and rejects broken documents', () => {
    const rng = new Random(8);
    const net = new HopfieldNetwork(randomSymmetric(6, rng), Float64Array.from({ length: 6 }, () => rng.normal()));
    const json = JSON.stringify(net.toDocument());
    const back = HopfieldNetwork.fromDocument(JSON.parse(json));
    expect(back.weights.data).toEqual(net.weights.data);
    expect(back.bias).toEqual(net.bias);
    expect(JSON.stringify(back.toDocument())).toBe(json);
    const stored = HopfieldNetwork.fromPatterns([[1, -1, 1]], { rule: 'storkey' });
    expect(HopfieldNetwork.fromDocument(stored.toDocument()).rule).toBe('storkey');
    const doc = JSON.parse(json);
    doc.tensors.weights.data[1] += 1;
    expect(() => HopfieldNetwork.fromDocument(doc)).toThrow(FormatError);
    expect(() => HopfieldNetwork.fromDocument({ ...JSON.parse(json), kind: 'rbm' })).toThrow(FormatError);
    expect(() => HopfieldNetwork.fromDocument({ ...JSON.parse(json), config: { n: 5 } })).toThrow(FormatError);
  });

  it('store() adds patterns incrementally: Hebbian equals fromPatterns, Storkey equals fromPatterns', () => {
    const rng = new Random(5);
    const pats = Array.from({ length: 5 }, () => Array.from(randomSpins(16, rng)));
    for (const rule of ['hebbian', 'storkey'] as const) {
      const inc = HopfieldNetwork.zeros(16);
      for (const p of pats) inc.store([p], { rule });
      const batch = HopfieldNetwork.fromPatterns(pats, { rule });
      for (let i = 0; i < 256; i++) expect(inc.weights.data[i]).toBeCloseTo(batch.weights.data[i], 12);
      expect(inc.rule).toBe(rule);
    }
  });
});
