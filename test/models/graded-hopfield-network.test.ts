import { describe, expect, it } from 'vitest';
import { FormatError, GradedHopfieldNetwork, HopfieldNetwork, loadModel, Random, ShapeError } from '../../src/index.js';

/** A graded network with random symmetric zero-diagonal weights and random biases. */
function randomNetwork(n: number, rng: Random, gain: number): GradedHopfieldNetwork {
  const net = new GradedHopfieldNetwork(n, { gain, rng: 1 });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const w = rng.normal() / Math.sqrt(n);
      net.weights.data[i * n + j] = w;
      net.weights.data[j * n + i] = w;
    }
    net.bias[i] = 0.3 * rng.normal();
  }
  return net;
}

function randomCue(n: number, rng: Random): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * rng.float64() - 1);
}

describe('GradedHopfieldNetwork (Hopfield 1984)', () => {
  it('the energy is the Lyapunov function: ∂E/∂V_i = −(WV + b)_i + tanh⁻¹(V_i)/g (finite differences)', () => {
    const rng = new Random(1);
    const net = randomNetwork(6, rng, 2.5);
    for (let t = 0; t < 5; t++) {
      const v = Float64Array.from({ length: 6 }, () => 1.8 * rng.float64() - 0.9);
      for (let i = 0; i < 6; i++) {
        let h = net.bias[i];
        for (let j = 0; j < 6; j++) h += net.weights.data[i * 6 + j] * v[j];
        const a = v.slice(), b = v.slice();
        a[i] += 1e-6;
        b[i] -= 1e-6;
        const grad = (net.energy(a) - net.energy(b)) / 2e-6;
        expect(grad).toBeCloseTo(-h + Math.atanh(v[i]) / 2.5, 6);
      }
    }
    // At the corners the integral term is ln 2 per unit / g.
    expect(new GradedHopfieldNetwork(3, { gain: 2 }).energy(Float64Array.of(1, -1, 1))).toBeCloseTo((3 * Math.LN2) / 2, 14);
  });

  it('property: the energy never rises along asynchronous trajectories (random networks, gains, cues, orders)', () => {
    const rng = new Random(2);
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + rng.int(20);
      const gain = 0.2 + 20 * rng.float64();
      const net = randomNetwork(n, rng, gain);
      const r = net.evolve(randomCue(n, rng), { order: trial % 2 ? 'random' : 'sequential', maxSweeps: 200 });
      for (let k = 1; k < r.energies.length; k++) expect(r.energies[k], `trial ${trial} sweep ${k}`).toBeLessThanOrEqual(r.energies[k - 1] + 1e-12);
    }
  });

  it('property: the energy never rises along Euler (small dt) and RK4 trajectories, and both reach the same fixed point', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 15; trial++) {
      const n = 3 + rng.int(10);
      const gain = 0.5 + 4 * rng.float64();
      const net = randomNetwork(n, rng, gain);
      const cue = randomCue(n, rng);
      const e = net.evolve(cue, { mode: 'euler', dt: 0.01, maxSweeps: 20000, tolerance: 1e-11 });
      const r = net.evolve(cue, { mode: 'rk4', dt: 0.1, maxSweeps: 5000, tolerance: 1e-12 });
      for (const res of [e, r]) for (let k = 1; k < res.energies.length; k++) expect(res.energies[k]).toBeLessThanOrEqual(res.energies[k - 1] + 1e-12);
      expect(r.converged).toBe(true);
      // A fixed point of the flow: V = tanh(g (W V + b)).
      for (let i = 0; i < n; i++) {
        let h = net.bias[i];
        for (let j = 0; j < n; j++) h += net.weights.data[i * n + j] * r.state[j];
        expect(r.state[i]).toBeCloseTo(Math.tanh(gain * h), 8);
        if (e.converged) expect(e.state[i]).toBeCloseTo(r.state[i], 5);
      }
    }
  });

  it('RK4 is fourth order: halving dt shrinks the error at t = 1 by about 16', () => {
    const rng = new Random(4);
    const net = randomNetwork(5, rng, 1.5);
    const cue = randomCue(5, rng);
    const at = (dt: number) => net.evolve(cue, { mode: 'rk4', dt, maxSweeps: Math.round(1 / dt), tolerance: 1e-300 }).state;
    const ref = at(1 / 640);
    const err = (s: Float64Array) => Math.max(...Array.from(s, (v, i) => Math.abs(v - ref[i])));
    const ratio = err(at(0.1)) / err(at(0.05));
    expect(ratio).toBeGreaterThan(12);
    expect(ratio).toBeLessThan(20);
    const eRatio =
      (() => {
        const e1 = net.evolve(cue, { mode: 'euler', dt: 0.01, maxSweeps: 100, tolerance: 1e-300 }).state;
        const e2 = net.evolve(cue, { mode: 'euler', dt: 0.005, maxSweeps: 200, tolerance: 1e-300 }).state;
        return err(e1) / err(e2);
      })();
    expect(eRatio).toBeGreaterThan(1.7); // first order: about 2
    expect(eRatio).toBeLessThan(2.3);
  });

  it('high gain: retrieval from a noisy cue matches the binary Hopfield network’s stored pattern', () => {
    const rng = new Random(5);
    const n = 100;
    const pats = Array.from({ length: 5 }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    const net = new GradedHopfieldNetwork(n, { gain: 50 });
    net.fit(pats);
    const bin = new HopfieldNetwork(n);
    bin.fit(pats);
    expect(Array.from(net.weights.data)).toEqual(Array.from(bin.weights.data));
    for (let p = 0; p < 5; p++) {
      const cue = Float64Array.from(pats[p]);
      for (let i = 0; i < 15; i++) cue[(i * 7 + p) % n] *= -1;
      for (const mode of ['async', 'rk4'] as const) {
        const r = net.recall(cue, { mode, dt: 0.05 });
        expect(Array.from(r.state, Math.sign), mode).toEqual(pats[p]);
      }
    }
  });

  it('clamped units stay at the cue; saves, loads (also through loadModel), clones; refuses sample/score/partialFit', () => {
    const net = new GradedHopfieldNetwork(4, { gain: 3, rng: 7 });
    net.fit([[1, -1, 1, -1]], { rule: 'storkey' });
    const cue = Float64Array.of(0.2, 0.1, -0.5, 0.3);
    const clamp = Uint8Array.of(0, 0, 1, 0);
    expect(net.evolve(cue, { clamp }).state[2]).toBe(-0.5);
    expect(net.evolve(cue, { clamp, mode: 'rk4' }).state[2]).toBe(-0.5);
    const doc = JSON.parse(JSON.stringify(net.toDocument()));
    const b = loadModel(JSON.stringify(doc)) as unknown as GradedHopfieldNetwork;
    expect(b).toBeInstanceOf(GradedHopfieldNetwork);
    expect(b.gain).toBe(3);
    expect(b.rule).toBe('storkey');
    expect(b.energy(cue)).toBe(net.energy(cue));
    expect(net.clone().evolve(cue, { order: 'random' }).state).toEqual(net.evolve(cue, { order: 'random' }).state);
    const skew = net.clone();
    skew.weights.data[1] += 1;
    expect(() => GradedHopfieldNetwork.fromDocument(skew.toDocument())).toThrow(FormatError);
    expect(() => net.sample(1)).toThrow(/deterministic/);
    expect(() => net.score([[1, 1, 1, 1]])).toThrow(RangeError);
    expect(() => net.partialFit([[1, 1, 1, 1]])).toThrow(RangeError);
  });

  it('checks its arguments before changing anything', () => {
    const net = new GradedHopfieldNetwork(3);
    net.fit([[1, -1, 1]]);
    const w = Array.from(net.weights.data);
    expect(() => net.fit([[1, 0.5, 1]])).toThrow(RangeError);
    expect(() => net.fit([[1, 1]])).toThrow(ShapeError);
    expect(() => net.fit([[1, 1, 1]], { rule: 'oja' as never })).toThrow(RangeError);
    expect(Array.from(net.weights.data)).toEqual(w);
    expect(() => net.evolve(Float64Array.of(2, 0, 0))).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(0, 0, 0), { mode: 'leapfrog' as never })).toThrow(RangeError);
    expect(() => net.evolve(Float64Array.of(0, 0, 0), { dt: 0 })).toThrow(RangeError);
    expect(() => new GradedHopfieldNetwork(3, { gain: -1 })).toThrow(RangeError);
    expect(() => new GradedHopfieldNetwork(3, { beta: 1 } as never)).toThrow(TypeError);
  });
});
