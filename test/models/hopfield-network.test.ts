import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FormatError,
  fromArrays,
  geometricSchedule,
  type HopfieldFitOptions,
  HopfieldNetwork,
  linearSchedule,
  listSchedule,
  logarithmicSchedule,
  type Matrix,
  Random,
  ShapeError,
  trainHopfieldContrastive,
} from '../../src/index.js';
import { evolveAsyncUnchecked } from '../../src/base.js';
import { expandTensors } from '../../src/document.js';

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

/** A network of the patterns' size with the patterns stored by `fit`. */
function fitted(patterns: number[][], options?: HopfieldFitOptions): HopfieldNetwork {
  const net = new HopfieldNetwork(patterns[0]?.length ?? 1);
  net.fit(patterns, options);
  return net;
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
        const net = HopfieldNetwork.fromWeights(w, b);
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
        const net = HopfieldNetwork.fromWeights(w, b);
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
        const net = HopfieldNetwork.fromWeights(w, b);
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
    const net = new HopfieldNetwork(3);
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
    const net = HopfieldNetwork.fromWeights(randomSymmetric(12, rng));
    for (let t = 0; t < 20; t++) {
      const y = randomSpins(12, rng);
      const clamp = Uint8Array.from({ length: 12 }, () => (rng.float64() < 0.4 ? 1 : 0));
      const r = net.evolve(y, { clamp, order: 'random', rng: t });
      for (let i = 0; i < 12; i++) if (clamp[i]) expect(r.state[i]).toBe(y[i]);
    }
  });

  it("order: 'random' visits the units in a random order: the first unit visited is uniform (issue #15)", () => {
    // Two units with w₁₂ = ½ (Hebb on [1, 1]) started at (1, −1): both are unstable, and the
    // first one visited flips and settles the other, so the end state names it:
    // (−1, −1) when unit 0 went first, (1, 1) when unit 1 did. In index order it is always unit 0.
    const net = new HopfieldNetwork(2, { rng: 5 });
    net.fit([[1, 1]]);
    const cue = Float64Array.of(1, -1);
    expect(Array.from(net.evolve(cue).state)).toEqual([-1, -1]);
    const runs = 800;
    let unit0First = 0;
    for (let r = 0; r < runs; r++) {
      const end = net.evolve(cue, { order: 'random' }).state;
      expect(end[0]).toBe(end[1]); // one flip, then a fixed point
      if (end[0] === -1) unit0First++;
    }
    // Binomial(800, ½): mean 400, std √200 ≈ 14.1; allow 5 std. A fixed order gives 800 (or 0), 28 std away.
    expect(Math.abs(unit0First - runs / 2)).toBeLessThan(5 * Math.sqrt(runs / 4));
    // and per call with a seed
    let seeded = 0;
    for (let r = 0; r < runs; r++) if (net.evolve(cue, { order: 'random', rng: r }).state[0] === -1) seeded++;
    expect(Math.abs(seeded - runs / 2)).toBeLessThan(5 * Math.sqrt(runs / 4));
  });

  it('the same seed gives the same random-order trajectory; the cue is not modified', () => {
    const rng = new Random(9);
    const net = HopfieldNetwork.fromWeights(randomSymmetric(30, rng));
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
    const net = HopfieldNetwork.fromWeights(fromArrays([[0, -1], [-1, 0]]));
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
        const net = HopfieldNetwork.fromWeights(w, b);
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
    const net = fitted(patterns);
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
    const net = fitted(patterns);
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
    const net = fitted(patterns);
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
    const net = HopfieldNetwork.fromWeights(randomSymmetric(n, rng), Float64Array.of(0.3, -0.2, 0.1, 0.4));
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
    const net = HopfieldNetwork.fromWeights(fromArrays([[0, 0.5, 0], [0.5, 0, -0.3], [0, -0.3, 0]]), Float64Array.of(0.2, 0, -0.1));
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
    const net = HopfieldNetwork.fromWeights(randomSymmetric(n, rng), Float64Array.from({ length: n }, () => rng.uniform(-0.5, 0.5)));
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
    const net = fitted([[1, -1, 1, -1]]);
    const before = net.weights.data.slice();
    expect(() => net.evolve(Float64Array.of(1, -1, 1))).toThrow(ShapeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, 0))).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, Number.NaN))).toThrow(/±1/);
    expect(() => net.evolve([1, -1, 1, -1] as unknown as Float64Array)).toThrow(TypeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { mode: 'parallel' as 'sync' })).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { maxSweeps: 0 })).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(1, -1, 1, -1), { clamp: new Uint8Array(3) })).toThrow(ShapeError);
    expect(() => net.sampleRecall(Float64Array.of(1, -1, 1, -1), { temperature: 0 })).toThrow(RangeError);
    expect(() => net.partialFit([[1, -1, 1]])).toThrow(ShapeError);
    expect(() => net.partialFit([[1, -1, 1, 2]])).toThrow(RangeError);
    expect(net.weights.data).toEqual(before);
    expect(() => HopfieldNetwork.fromWeights(fromArrays([[0, 1], [0.5, 0]]))).toThrow(/symmetric/);
    expect(() => HopfieldNetwork.fromWeights(fromArrays([[1, 0], [0, 0]]))).toThrow(/diagonal/);
    expect(() => HopfieldNetwork.fromWeights(fromArrays([[0, Number.NaN], [Number.NaN, 0]]))).toThrow(RangeError);
    expect(() => HopfieldNetwork.fromWeights(fromArrays([[0, 1]]))).toThrow(ShapeError);
    expect(() => HopfieldNetwork.fromWeights(fromArrays([[0, 1], [1, 0]]), new Float64Array(3))).toThrow(ShapeError);
    expect(() => fitted([[0, 1, 1]])).toThrow(/±1/);
    expect(() => fitted([[1, -1], [1]])).toThrow(ShapeError);
    expect(() => fitted([[1, -1]], { rule: 'oja' as 'hebbian' })).toThrow(RangeError);
  });

  it('0/1 patterns are accepted only with binary: true and mean the same as ±1', () => {
    const a = fitted([[0, 1, 1, 0]], { binary: true });
    const b = fitted([[-1, 1, 1, -1]]);
    expect(a.weights.data).toEqual(b.weights.data);
  });

  it('the constructor copies its arguments; the network is an EnergyModel whose energy matches the direct sum', () => {
    const rng = new Random(3);
    const w = randomSymmetric(7, rng);
    const b = Float64Array.from({ length: 7 }, () => rng.uniform(-1, 1));
    const net = HopfieldNetwork.fromWeights(w, b);
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
    const net = HopfieldNetwork.fromWeights(randomSymmetric(6, rng), Float64Array.from({ length: 6 }, () => rng.normal()));
    const json = JSON.stringify(net.toDocument());
    const back = HopfieldNetwork.fromDocument(JSON.parse(json));
    expect(back.weights.data).toEqual(net.weights.data);
    expect(back.bias).toEqual(net.bias);
    expect(JSON.stringify(back.toDocument())).toBe(json);
    const stored = fitted([[1, -1, 1]], { rule: 'storkey' });
    expect(HopfieldNetwork.fromDocument(stored.toDocument()).rule).toBe('storkey');
    const doc = expandTensors(JSON.parse(json));
    doc.tensors.weights.data[1] += 1;
    expect(() => HopfieldNetwork.fromDocument(doc)).toThrow(FormatError);
    expect(() => HopfieldNetwork.fromDocument({ ...JSON.parse(json), kind: 'rbm' })).toThrow(FormatError);
    expect(() => HopfieldNetwork.fromDocument({ ...JSON.parse(json), config: { n: 5 } })).toThrow(FormatError);
  });

  it('partialFit() adds patterns incrementally: Hebbian equals fit, Storkey equals fit', () => {
    const rng = new Random(5);
    const pats = Array.from({ length: 5 }, () => Array.from(randomSpins(16, rng)));
    for (const rule of ['hebbian', 'storkey'] as const) {
      const inc = new HopfieldNetwork(16);
      for (const p of pats) inc.partialFit([p], { rule });
      const batch = fitted(pats, { rule });
      for (let i = 0; i < 256; i++) expect(inc.weights.data[i]).toBeCloseTo(batch.weights.data[i], 12);
      expect(inc.rule).toBe(rule);
    }
  });
});

describe('HopfieldNetwork: the model contract (fit, partialFit, sample, score, options)', () => {
  it('fit from number[][] stores the patterns and evolve recalls them from a corrupted cue', () => {
    const patterns = [
      [1, 1, 1, 1, -1, -1, -1, -1],
      [1, -1, 1, -1, 1, -1, 1, -1],
    ];
    const net = new HopfieldNetwork(8, { rng: 1 });
    const r = net.fit(patterns);
    expect(r.epochs).toBe(1);
    expect(r.aborted).toBe(false);
    expect(r.history).toHaveLength(1);
    expect(r.history[0].epoch).toBe(0);
    expect(r.history[0].steps).toBe(2);
    expect(net.rule).toBe('hebbian');
    const cue = Float64Array.from(patterns[0]);
    cue[1] = -cue[1];
    expect(Array.from(net.evolve(cue).state)).toEqual(patterns[0]);
    // The same as the batch rule from a Matrix, and fit replaces what was stored.
    const again = new HopfieldNetwork(8);
    again.fit([[1, 1, -1, -1, 1, 1, -1, -1]], { rule: 'storkey' });
    again.fit(fromArrays(patterns));
    expect(again.weights.data).toEqual(net.weights.data);
    expect(again.rule).toBe('hebbian');
  });

  it("fit with rule 'contrastive' is Hebbian storage then trainHopfieldContrastive, bit for bit; onEpoch sees every epoch", () => {
    const rng = new Random(31);
    const pats = Array.from({ length: 6 }, () => Array.from(randomSpins(20, rng)));
    const a = new HopfieldNetwork(20);
    const seen: number[] = [];
    const r = a.fit(pats, { rule: 'contrastive', variant: 'few-steps', epochs: 5, rng: 4, onEpoch: (m) => seen.push(m.epoch) });
    const b = fitted(pats);
    trainHopfieldContrastive(b, pats, { variant: 'few-steps', epochs: 5, rng: 4 });
    expect(a.weights.data).toEqual(b.weights.data);
    expect(r.epochs).toBe(5);
    expect(r.history.map((m) => m.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(a.rule).toBe('contrastive');
    // Without rng, training draws from the network's stream: same construction seed, same weights.
    const c = new HopfieldNetwork(20, { rng: 8 });
    const d = new HopfieldNetwork(20, { rng: 8 });
    c.fit(pats, { rule: 'contrastive', variant: 'random-starts', epochs: 3 });
    d.fit(pats, { rule: 'contrastive', variant: 'random-starts', epochs: 3 });
    expect(c.weights.data).toEqual(d.weights.data);
    // onEpoch returning false stops after that epoch.
    const e = new HopfieldNetwork(20);
    expect(e.fit(pats, { rule: 'contrastive', epochs: 10, rng: 1, onEpoch: (m) => m.epoch < 1 }).epochs).toBe(2);
  });

  it('partialFit: Hebbian and Storkey are incremental (the default is the network’s own rule); pseudo-inverse is refused', () => {
    const rng = new Random(12);
    const pats = Array.from({ length: 4 }, () => Array.from(randomSpins(10, rng)));
    const sto = new HopfieldNetwork(10);
    sto.fit(pats.slice(0, 2), { rule: 'storkey' });
    sto.partialFit(pats.slice(2));
    expect(sto.rule).toBe('storkey');
    expect(sto.weights.data).toEqual(fitted(pats, { rule: 'storkey' }).weights.data);
    const pin = fitted(pats, { rule: 'pseudo-inverse' });
    const before = pin.weights.data.slice();
    expect(() => pin.partialFit(pats)).toThrow(/not incremental/);
    expect(() => pin.partialFit(pats, { rule: 'pseudo-inverse' })).toThrow(RangeError);
    expect(pin.weights.data).toEqual(before);
    // Contrastive partialFit: one epoch from the current weights.
    const con = fitted(pats);
    const r = con.partialFit(pats, { rule: 'contrastive', rng: 2 });
    expect(r.epochs).toBe(1);
    const ref = fitted(pats);
    trainHopfieldContrastive(ref, pats, { epochs: 1, rng: 2 });
    expect(con.weights.data).toEqual(ref.weights.data);
  });

  it('sample(n): n rows of spins; two calls give different draws, the same seed the same sequence, clone draws what the original would', () => {
    const pats = [[1, 1, -1, -1, 1, -1]];
    const make = (seed: number) => {
      const net = new HopfieldNetwork(6, { rng: seed, temperature: 2 });
      net.fit(pats);
      return net;
    };
    const a = make(5);
    const c = a.clone();
    const s1 = a.sample(10, { sweeps: 5 });
    const s2 = a.sample(10, { sweeps: 5 });
    expect(s1.rows).toBe(10);
    expect(s1.cols).toBe(6);
    for (const v of s1.data) expect(Math.abs(v)).toBe(1);
    expect(Array.from(s1.data)).not.toEqual(Array.from(s2.data));
    const b = make(5);
    expect(Array.from(b.sample(10, { sweeps: 5 }).data)).toEqual(Array.from(s1.data));
    expect(Array.from(b.sample(10, { sweeps: 5 }).data)).toEqual(Array.from(s2.data));
    expect(Array.from(c.sample(10, { sweeps: 5 }).data)).toEqual(Array.from(s1.data));
    expect(Array.from(make(6).sample(10, { sweeps: 5 }).data)).not.toEqual(Array.from(s1.data));
    // Clamped units keep their initial values.
    const initial = Float64Array.of(1, 1, 1, 1, 1, 1);
    const clamp = Uint8Array.of(1, 0, 0, 0, 0, 1);
    const cl = a.sample(20, { initial, clamp, sweeps: 3 });
    for (let r = 0; r < 20; r++) expect([cl.data[r * 6], cl.data[r * 6 + 5]]).toEqual([1, 1]);
    expect(() => a.sample(2, { clamp })).toThrow(/initial/);
  });

  it('sample follows the exact Boltzmann distribution at the network temperature (chi-square against enumeration)', () => {
    const rng = new Random(13);
    const net = HopfieldNetwork.fromWeights(randomSymmetric(4, rng), Float64Array.of(0.2, -0.3, 0.1, 0.5), { rng: 7, temperature: 0.8 });
    const exact = exactDistribution(net, 0.8);
    const R = 4000;
    const s = net.sample(R, { sweeps: 30 });
    const counts = new Map<string, number>();
    for (let r = 0; r < R; r++) {
      const k = key(s.data.subarray(r * 4, (r + 1) * 4));
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // 15 degrees of freedom: P(χ² > 37.7) = 0.001.
    let chi2 = 0;
    for (const [k, p] of exact) chi2 += ((counts.get(k) ?? 0) - R * p) ** 2 / (R * p);
    expect(chi2).toBeLessThan(37.7);
  });

  it('scoreSamples is the exact log of the enumerated Boltzmann probabilities at the temperature; score is their mean', () => {
    const rng = new Random(17);
    const net = HopfieldNetwork.fromWeights(randomSymmetric(5, rng), Float64Array.from({ length: 5 }, () => rng.uniform(-1, 1)), { temperature: 0.7 });
    const exact = exactDistribution(net, 0.7);
    const states = allStates(5).slice(0, 7);
    const rows = states.map((y) => Array.from(y));
    const per = net.scoreSamples(rows);
    states.forEach((y, r) => {
      expect(per[r]).toBeCloseTo(Math.log(exact.get(key(y)) as number), 12);
    });
    const s = net.score(rows);
    expect(s.method).toBe('exact');
    expect(s.mean).toBeCloseTo(per.reduce((t, x) => t + x, 0) / per.length, 12);
    expect(s.lower).toBe(s.mean);
    expect(s.upper).toBe(s.mean);
    // At another temperature on request; 0/1 rows with binary.
    const at2 = exactDistribution(net, 2);
    expect(net.scoreSamples(rows, { temperature: 2 })[0]).toBeCloseTo(Math.log(at2.get(key(states[0])) as number), 12);
    expect(Array.from(net.scoreSamples(rows.map((r) => r.map((x) => (x + 1) / 2)), { binary: true }))).toEqual(Array.from(per));
    // Probabilities of all states sum to 1.
    const all = net.scoreSamples(allStates(5).map((y) => Array.from(y)));
    expect(all.reduce((t, x) => t + Math.exp(x), 0)).toBeCloseTo(1, 12);
  });

  it("score: 'pseudo' on request (Σ log σ(2 y_i h_i / T)); a network too large to enumerate gets a RangeError naming the limit", () => {
    const rng = new Random(19);
    const net = HopfieldNetwork.fromWeights(randomSymmetric(30, rng));
    const y = randomSpins(30, rng);
    expect(() => net.score([Array.from(y)])).toThrow(RangeError);
    expect(() => net.score([Array.from(y)])).toThrow(/limited to N ≤ 24.*method: 'pseudo'/);
    const h = net.localFields(new Float64Array(30), y);
    let direct = 0;
    for (let i = 0; i < 30; i++) direct -= Math.log1p(Math.exp(-2 * y[i] * h[i]));
    const s = net.score([Array.from(y)], { method: 'pseudo' });
    expect(s.method).toBe('pseudo');
    expect(s.mean).toBeCloseTo(direct, 10);
    expect(() => net.score([Array.from(y)], { method: 'ais' as 'exact' })).toThrow(RangeError);
  });

  it('evolve (random order), sampleRecall and annealRecall without rng continue the network stream', () => {
    const rng = new Random(23);
    const w = randomSymmetric(16, rng);
    const cue = randomSpins(16, rng);
    const a = HopfieldNetwork.fromWeights(w, undefined, { rng: 3 });
    const b = HopfieldNetwork.fromWeights(w, undefined, { rng: 3 });
    const r1 = a.sampleRecall(cue, { temperature: 3, sweeps: 2 });
    const r2 = a.sampleRecall(cue, { temperature: 3, sweeps: 2 });
    expect(Array.from(r1.last)).not.toEqual(Array.from(r2.last));
    expect(Array.from(b.sampleRecall(cue, { temperature: 3, sweeps: 2 }).last)).toEqual(Array.from(r1.last));
    expect(Array.from(b.sampleRecall(cue, { temperature: 3, sweeps: 2 }).last)).toEqual(Array.from(r2.last));
    // The explicit seed still overrides the stream.
    expect(a.evolve(cue, { order: 'random', rng: 5 })).toEqual(b.evolve(cue, { order: 'random', rng: 5 }));
    expect(a.evolve(cue, { order: 'random' })).toEqual(b.evolve(cue, { order: 'random' }));
    const hot = (k: number) => (k < 5 ? 2 : undefined);
    const s1 = a.annealRecall(cue, hot);
    const s2 = a.annealRecall(cue, hot);
    expect(b.annealRecall(cue, hot).state).toEqual(s1.state);
    expect(b.annealRecall(cue, hot).state).toEqual(s2.state);
  });

  it('unknown options are a TypeError naming the key and the closest valid one; options of another rule are refused', () => {
    const net = new HopfieldNetwork(4);
    const pats = [[1, -1, 1, -1]];
    expect(() => new HopfieldNetwork(4, { temprature: 2 } as never)).toThrow(/unknown option 'temprature' \(did you mean 'temperature'\?\)/);
    expect(() => net.fit(pats, { epoch: 5 } as never)).toThrow(TypeError);
    expect(() => net.fit(pats, { epoch: 5 } as never)).toThrow(/did you mean 'epochs'/);
    expect(() => net.fit(pats, { rules: 'storkey' } as never)).toThrow(/did you mean 'rule'/);
    expect(() => net.fit(pats, { variant: 'few-steps' })).toThrow(/applies only to rule 'contrastive'/);
    expect(() => net.fit(pats, { rule: 'storkey', scale: 'none' })).toThrow(/applies only to rule 'hebbian'/);
    expect(() => net.partialFit(pats, { epochs: 2 } as never)).toThrow(/unknown option 'epochs'/);
    expect(() => net.sample(2, { sweep: 3 } as never)).toThrow(/did you mean 'sweeps'/);
    expect(() => net.score(pats, { methd: 'exact' } as never)).toThrow(/did you mean 'method'/);
    expect(() => net.evolve(Float64Array.of(1, 1, 1, 1), { maxSweep: 3 } as never)).toThrow(/did you mean 'maxSweeps'/);
    expect(() => net.sampleRecall(Float64Array.of(1, 1, 1, 1), { temperatur: 3 } as never)).toThrow(/did you mean 'temperature'/);
    expect(() => net.annealRecall(Float64Array.of(1, 1, 1, 1), () => undefined, { quenched: true } as never)).toThrow(/did you mean 'quench'/);
    expect(() => trainHopfieldContrastive(net, pats, { learning_rate: 0.1 } as never)).toThrow(/did you mean 'learningRate'/);
    expect(() => new HopfieldNetwork(fromArrays([[0, 1], [1, 0]]) as never)).toThrow(/fromWeights/);
    expect(net.weights.data.every((x) => x === 0)).toBe(true);
  });

  it('documents keep the temperature; fromWeights accepts plain arrays', () => {
    const net = HopfieldNetwork.fromWeights(
      [
        [0, 0.5],
        [0.5, 0],
      ],
      [0.25, -1],
      { temperature: 0.5 },
    );
    expect(net.kind).toBe('hopfield');
    const back = HopfieldNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
    expect(back.temperature).toBe(0.5);
    expect(Array.from(back.bias)).toEqual([0.25, -1]);
    expect(back.score([[1, 1]]).mean).toBe(net.score([[1, 1]]).mean);
    const doc = net.toDocument();
    delete doc.config.temperature;
    expect(HopfieldNetwork.fromDocument(doc).temperature).toBe(1);
    expect(() => HopfieldNetwork.fromDocument({ ...net.toDocument(), config: { n: 2, temperature: -1 } })).toThrow(FormatError);
    expect(() => HopfieldNetwork.fromWeights([[0, 1], [1, 0]], [1, 2, 3])).toThrow(ShapeError);
  });
});
