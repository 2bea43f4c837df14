/**
 * What the docs may claim (issue #20): contrastive Hopfield training lowers the
 * contrastive objective, not necessarily the stored patterns' energies; and the
 * Langevin step is the one its docs state.
 */
import { describe, expect, it } from 'vitest';
import { HopfieldNetwork, Langevin, Random, trainHopfieldContrastive } from '../../src/index.js';

describe('trainHopfieldContrastive: what falls', () => {
  it("one 'from-patterns' update lowers the objective J = mean_k [E(ξᵏ) − E(yᵏ)] by exactly η Σ_{i<j} dw², while the patterns' summed energy rises (N = 12, 4 patterns)", () => {
    const rng = new Random(3);
    const n = 12;
    const pats = Array.from({ length: 4 }, () => Array.from({ length: n }, () => (rng.float64() < 0.5 ? -1 : 1)));
    const net = new HopfieldNetwork(n);
    net.fit(pats);
    // The valleys the update will use: each pattern evolved (sequential sweeps) to its fixed point.
    const valleys = pats.map((x) => net.evolve(Float64Array.from(x), { maxSweeps: 100 }).state);
    const J = () => pats.reduce((a, x, k) => a + net.energy(Float64Array.from(x)) - net.energy(valleys[k]), 0) / pats.length;
    const summed = () => pats.reduce((a, x) => a + net.energy(Float64Array.from(x)), 0);
    let dw2 = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let d = 0;
        for (let k = 0; k < pats.length; k++) d += (pats[k][i] * pats[k][j] - valleys[k][i] * valleys[k][j]) / pats.length;
        dw2 += d * d;
      }
    }
    expect(dw2).toBeGreaterThan(0); // some pattern is not a fixed point
    const j0 = J();
    const e0 = summed();
    const eta = 1 / n;
    trainHopfieldContrastive(net, pats, { variant: 'from-patterns', epochs: 1 });
    expect(J() - j0).toBeCloseTo(-eta * dw2, 12);
    expect(J()).toBeLessThan(j0);
    // The stored patterns' summed energy rose: −22.667 → −22.333.
    expect(e0).toBeCloseTo(-68 / 3, 12);
    expect(summed()).toBeCloseTo(-67 / 3, 12);
  });
});

describe('Langevin: the documented step', () => {
  it("one ULA step is x ← x − (ε/2)∇E(x)/T + √ε ξ with ξ the generator's next normal", () => {
    const gaussian = {
      dimension: 2,
      domain: 'continuous' as const,
      energy: (x: Float64Array) => 0.5 * (x[0] * x[0] + 4 * x[1] * x[1]),
      gradient: (out: Float64Array, x: Float64Array) => {
        out[0] = x[0];
        out[1] = 4 * x[1];
        return out;
      },
    };
    for (const temperature of [1, 2]) {
      const eps = 0.1;
      const s = new Langevin(gaussian, { stepSize: eps, rng: 5, initial: Float64Array.of(1, -2), temperature });
      s.step();
      const r = new Random(5);
      const xi0 = r.normal();
      const xi1 = r.normal();
      expect(s.state[0]).toBeCloseTo(1 - ((eps / 2) * 1) / temperature + Math.sqrt(eps) * xi0, 14);
      expect(s.state[1]).toBeCloseTo(-2 - ((eps / 2) * -8) / temperature + Math.sqrt(eps) * xi1, 14);
    }
  });
});
