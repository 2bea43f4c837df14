/**
 * AIS checked against the exact log Z on RBMs whose log Z lies 20+ nats from the base
 * model (N(0, 1) weights and biases, 20–22 visible units, hidden layer small enough to
 * enumerate). Near the base (the other AIS tests), a 1% bias in every weight increment
 * moves log Ẑ by hundredths of a nat and passes; here it moves it by ≥ 0.2 nats, many σ.
 */
import { describe, expect, it } from 'vitest';
import { RBM } from '../../src/models/rbm.js';
import { aisSchedule, rbmAIS } from '../../src/models/rbm-ais.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import { Random } from '../../src/random/random.js';

function farRBM(nV: number, nH: number, seed: number): RBM {
  const rbm = new RBM(nV, nH, { rng: seed, weightStd: 1 });
  const r = new Random(seed + 100);
  r.fillNormal(rbm.visibleBias, 0, 1);
  r.fillNormal(rbm.hiddenBias, 0, 1);
  return rbm;
}

describe('AIS on RBMs far from the base model', () => {
  for (const [nV, nH, seed] of [[20, 12, 1], [20, 12, 2], [22, 10, 4]] as const) {
    it(`reproduces the exact log Z of a ${nV}×${nH} RBM with N(0, 1) parameters (seed ${seed}) within 4σ`, () => {
      const rbm = farRBM(nV, nH, seed);
      const exact = rbmExactLogPartition(rbm);
      const logZBase = (nV + nH) * Math.log(2); // uniform base model
      expect(exact - logZBase).toBeGreaterThan(20);
      const ais = rbmAIS(rbm, { betas: aisSchedule(200, 1600, 4000), runs: 100, rng: seed + 7 });
      const sigma = (ais.logZUpper - ais.logZLower) / 6; // the interval is ±3 standard errors (delta method)
      expect(sigma).toBeLessThan(0.03);
      expect(Math.abs(ais.logZ - exact)).toBeLessThan(4 * sigma);
    });
  }
});
