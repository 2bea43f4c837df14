/**
 * Per-update traces (issue #20, "Views for teaching"): HopfieldNetwork.evolve({ trace: true })
 * and QuadraticGibbs.traceSweeps. Every row is checked by replaying it from the starting state
 * with energies and fields computed from scratch, and the traced runs must leave the same
 * states, counters, energies and generator state as the untraced ones.
 */
import { describe, expect, it } from 'vitest';
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { Random } from '../../src/random/random.js';
import { QuadraticGibbs } from '../../src/samplers/gibbs.js';
import { formatTrace, traceRows, type UpdateTrace } from '../../src/samplers/trace.js';

function randomSymmetric(n: number, rng: Random): Matrix {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = rng.uniform(-1, 1);
      w[i * n + j] = v;
      w[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data: w };
}

function randomState(n: number, rng: Random, lo: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.float64() < 0.5 ? lo : 1;
  return y;
}

/** Direct `E = −Σ_{i<j} w_ij s_i s_j − Σ b_i s_i` and field `h_i = Σ_j w_ij s_j + b_i`, written independently. */
function directEnergy(w: Matrix, b: Float64Array, s: Float64Array): number {
  const n = s.length;
  let e = 0;
  for (let i = 0; i < n; i++) {
    e -= b[i] * s[i];
    for (let j = i + 1; j < n; j++) e -= w.data[i * n + j] * s[i] * s[j];
  }
  return e;
}
function directField(w: Matrix, b: Float64Array, s: Float64Array, i: number): number {
  let h = b[i];
  for (let j = 0; j < s.length; j++) h += w.data[i * s.length + j] * s[j];
  return h;
}

/** Replays the trace from `start`, checking every column against values computed from scratch; returns the final state. */
function replay(trace: UpdateTrace, w: Matrix, b: Float64Array, start: Float64Array, fieldAtStepStart = false): Float64Array {
  const s = start.slice();
  expect(trace.initialEnergy).toBeCloseTo(directEnergy(w, b, s), 10);
  let prevE = trace.initialEnergy;
  let stepState = s.slice();
  let lastSweep = 0;
  for (let r = 0; r < trace.length; r++) {
    const i = trace.unit[r];
    expect(trace.sweep[r]).toBeGreaterThanOrEqual(lastSweep);
    if (trace.sweep[r] !== lastSweep) stepState = s.slice();
    lastSweep = trace.sweep[r];
    expect(trace.localField[r]).toBeCloseTo(directField(w, b, fieldAtStepStart ? stepState : s, i), 10);
    const before = directEnergy(w, b, s);
    expect(trace.flipped[r]).toBe(trace.state[r] !== s[i] ? 1 : 0);
    s[i] = trace.state[r];
    const after = directEnergy(w, b, s);
    expect(trace.deltaE[r]).toBeCloseTo(after - before, 10);
    expect(trace.energy[r]).toBeCloseTo(after, 10);
    expect(trace.energy[r] - prevE).toBeCloseTo(trace.deltaE[r], 10);
    prevE = trace.energy[r];
  }
  return s;
}

describe('HopfieldNetwork.evolve trace', () => {
  it('leaves the dynamics bit-identical and records every flip, replayable from the cue', () => {
    const rng = new Random(11);
    for (let t = 0; t < 12; t++) {
      const n = 3 + rng.int(10);
      const w = randomSymmetric(n, rng);
      const b = Float64Array.from({ length: n }, () => rng.uniform(-0.3, 0.3));
      const cue = randomState(n, rng, -1);
      const order = t % 2 === 0 ? 'sequential' : 'random';
      const plain = HopfieldNetwork.fromWeights(w, b).evolve(cue, { order, rng: t });
      const traced = HopfieldNetwork.fromWeights(w, b).evolve(cue, { order, rng: t, trace: true });
      expect(plain.trace).toBeUndefined();
      expect(Array.from(traced.state)).toEqual(Array.from(plain.state));
      expect(Array.from(traced.energies)).toEqual(Array.from(plain.energies));
      expect([traced.sweeps, traced.flips, traced.converged]).toEqual([plain.sweeps, plain.flips, plain.converged]);
      const tr = traced.trace as UpdateTrace;
      expect(tr.length).toBe(plain.flips);
      for (let r = 0; r < tr.length; r++) {
        expect(tr.flipped[r]).toBe(1);
        expect(tr.deltaE[r]).toBeLessThan(0); // every asynchronous flip lowers E by 2|h_i|
        expect(tr.deltaE[r]).toBeCloseTo(-2 * Math.abs(tr.localField[r]), 12);
        expect(tr.sweep[r]).toBeLessThanOrEqual(traced.sweeps);
      }
      expect(Array.from(replay(tr, w, b, cue))).toEqual(Array.from(plain.state));
      if (tr.length > 0) expect(tr.energy[tr.length - 1]).toBeCloseTo(plain.energies[plain.sweeps], 10);
    }
  });

  it('draws the same permutations as the untraced run (the network stream continues identically)', () => {
    const rng = new Random(5);
    const w = randomSymmetric(9, rng);
    const a = HopfieldNetwork.fromWeights(w, undefined, { rng: 3 });
    const c = HopfieldNetwork.fromWeights(w, undefined, { rng: 3 });
    const cue = randomState(9, rng, -1);
    a.evolve(cue, { order: 'random' });
    c.evolve(cue, { order: 'random', trace: true });
    expect(a.random.float64()).toBe(c.random.float64());
  });

  it('records sync steps with the common field and the energy of each flip applied in turn', () => {
    const rng = new Random(8);
    const n = 8;
    const w = randomSymmetric(n, rng);
    const b = new Float64Array(n);
    const cue = randomState(n, rng, -1);
    const net = HopfieldNetwork.fromWeights(w, b);
    const plain = net.evolve(cue, { mode: 'sync', maxSweeps: 20 });
    const traced = net.evolve(cue, { mode: 'sync', maxSweeps: 20, trace: true });
    expect(Array.from(traced.state)).toEqual(Array.from(plain.state));
    expect(traced.cycle).toBe(plain.cycle);
    const tr = traced.trace as UpdateTrace;
    expect(tr.length).toBe(plain.flips);
    replay(tr, w, b, cue, true);
  });

  it("shows the lecture's 4-neuron example flip by flip", () => {
    // Hebbian (1/N) weights of ξ = (+1, +1, −1, −1): w_ij = ξ_i ξ_j / 4. From (+1, −1, −1, −1)
    // (energy 0) unit 1 sees h_1 = (ξ_1ξ_0·1 + ξ_1ξ_2·(−1) + ξ_1ξ_3·(−1)) / 4 = 3/4 and flips,
    // lowering E by 2|h_1| = 1.5 to the stored pattern's −1.5.
    const net = new HopfieldNetwork(4);
    net.fit([[1, 1, -1, -1]]);
    const r = net.evolve(Float64Array.of(1, -1, -1, -1), { trace: true });
    const rows = traceRows(r.trace as UpdateTrace);
    expect(rows).toEqual([{ sweep: 1, unit: 1, localField: 0.75, deltaE: -1.5, state: 1, energy: -1.5, flipped: true }]);
    expect((r.trace as UpdateTrace).initialEnergy).toBeCloseTo(0, 15);
  });

  it('rejects a non-boolean trace option before running', () => {
    const net = new HopfieldNetwork(3);
    expect(() => net.evolve(Float64Array.of(1, 1, 1), { trace: 1 as unknown as boolean })).toThrow(/HopfieldNetwork.evolve: trace must be/);
  });
});

describe('QuadraticGibbs.traceSweeps', () => {
  for (const domain of ['spin', 'binary'] as const) {
    it(`${domain}: the same chain as step(), one replayable row per update`, () => {
      const rng = new Random(domain === 'spin' ? 21 : 22);
      const n = 7;
      const w = randomSymmetric(n, rng);
      const b = Float64Array.from({ length: n }, () => rng.uniform(-0.5, 0.5));
      const e = new QuadraticEnergy(w, b, domain);
      const lo = domain === 'spin' ? -1 : 0;
      const init = randomState(n, rng, lo);
      for (const scan of ['sequential', 'random'] as const) {
        const g1 = new QuadraticGibbs(e, { temperature: 0.8, rng: 4, initial: init, scan });
        const g2 = new QuadraticGibbs(e, { temperature: 0.8, rng: 4, initial: init, scan });
        for (let k = 0; k < 5; k++) g1.step();
        const tr = g2.traceSweeps(5);
        expect(Array.from(g2.state)).toEqual(Array.from(g1.state));
        expect(Array.from(g2.fields)).toEqual(Array.from(g1.fields));
        expect(g2.flipCount).toBe(g1.flipCount);
        expect(g2.random.float64()).toBe(g1.random.float64());
        expect(tr.length).toBe(5 * n);
        let flips = 0;
        for (let r = 0; r < tr.length; r++) flips += tr.flipped[r];
        expect(flips).toBe(g1.flipCount);
        expect(Array.from(replay(tr, w, b, init))).toEqual(Array.from(g1.state));
        if (scan === 'sequential') expect(Array.from(tr.unit.subarray(0, n))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      }
    });
  }

  it('rejects a bad sweep count', () => {
    const g = new QuadraticGibbs(new QuadraticEnergy(randomSymmetric(3, new Random(1)), new Float64Array(3), 'spin'));
    expect(() => g.traceSweeps(0)).toThrow(/sweeps must be/);
  });
});

describe('formatTrace', () => {
  it('prints a header, the start energy and one line per row, flips starred', () => {
    const rng = new Random(2);
    const e = new QuadraticEnergy(randomSymmetric(5, rng), new Float64Array(5), 'spin');
    const tr = new QuadraticGibbs(e, { temperature: 1, rng: 9 }).traceSweeps(3);
    const lines = formatTrace(tr).split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['sweep', 'unit', 'field', 'dE', 'new', 'E']);
    expect(lines[1]).toBe(`start E = ${tr.initialEnergy.toFixed(3)}`);
    expect(lines.length).toBe(2 + tr.length);
    let flips = 0;
    for (let r = 0; r < tr.length; r++) flips += tr.flipped[r];
    expect(lines.filter((l) => l.endsWith('*')).length).toBe(flips);
    const cells = lines[2].trim().split(/\s+/);
    expect(Number(cells[1])).toBe(tr.unit[0]);
    expect(Number(cells[2])).toBeCloseTo(tr.localField[0], 3);
    expect(Number(cells[5])).toBeCloseTo(tr.energy[0], 3);
    const cut = formatTrace(tr, { maxRows: 4, digits: 1 }).split('\n');
    expect(cut.length).toBe(2 + 4 + 1);
    expect(cut[cut.length - 1]).toBe(`… ${tr.length - 4} more rows`);
    expect(() => formatTrace(tr, { digits: -1 })).toThrow(/formatTrace: digits must be/);
  });
});
