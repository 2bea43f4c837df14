/**
 * The spurious-mode monitor in RBMTrainer.fit's per-epoch metrics: a certified lower bound on
 * log Z (blank image, monitored rows, persistent chains) and the upper bound on the monitored
 * rows' log-likelihood it gives, checked against enumeration; and its warning, which fires
 * when the bound falls while the pseudo-likelihood rises (CD-1 at a high learning rate) and
 * stays quiet for the recommended recipe on the same data.
 */
import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../src/linalg/matrix.js';
import type { EpochMetrics } from '../../src/models/contract.js';
import { RBM } from '../../src/models/rbm.js';
import { rbmExactLogLikelihood, rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import { Random } from '../../src/random/random.js';

function prototypes(n: number, d: number, seed: number, density: number) {
  const r = new Random(seed);
  const protos = Array.from({ length: 10 }, () => Array.from({ length: d }, () => (r.float64() < density ? 1 : 0)));
  return fromArrays(Array.from({ length: n }, (_, i) => (protos[i % 10] as number[]).map((x) => (r.float64() < 0.03 ? 1 - x : x))));
}

describe('spurious-mode monitor', () => {
  it('bounds log Z from below and the log-likelihood from above at every epoch (enumeration, 12×8)', () => {
    const data = prototypes(200, 12, 3, 0.3);
    for (const method of ['cd', 'pcd'] as const) {
      const rbm = new RBM(12, 8, { rng: 1, data });
      let checked = 0;
      rbm.fit(data, {
        method,
        epochs: 8,
        learningRate: 0.1,
        batchSize: 10,
        validation: data,
        onEpoch: (m) => {
          const logZ = rbmExactLogPartition(rbm);
          const ll = rbmExactLogLikelihood(rbm, data, logZ).reduce((s, x) => s + x, 0) / data.rows;
          expect(m.logZLowerBound).toBeLessThanOrEqual(logZ + 1e-9);
          expect(m.logLikelihoodUpperBound).toBeGreaterThanOrEqual(ll - 1e-9);
          // the bound is not vacuous: the data's own states carry most of the mass here
          expect(logZ - (m.logZLowerBound as number)).toBeLessThan(3);
          checked++;
        },
      });
      expect(checked).toBe(8);
    }
  });

  it('warns when the bound falls while pseudo-likelihood rises (CD-1, lr 0.1), not for the recipe', () => {
    const data = prototypes(1000, 100, 1, 0.12);
    const run = (options: Parameters<RBM['fit']>[1]): EpochMetrics[] => new RBM(100, 50, { rng: 2, data }).fit(data, { ...options, epochs: 12, onEpoch: () => undefined }).history;
    const cd = run({ method: 'cd', k: 1, learningRate: 0.1, batchSize: 20, momentum: 0.5 });
    const warned = cd.filter((m) => m.warning !== undefined);
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]?.warning).toMatch(/nats below its best .* pseudo-likelihood rose/);
    const recipe = run({});
    expect(recipe.filter((m) => m.warning !== undefined)).toEqual([]);
  });
});
