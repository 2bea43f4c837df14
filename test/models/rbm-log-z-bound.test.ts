import { describe, expect, it } from 'vitest';
import { fromArrays } from '../../src/linalg/matrix.js';
import { RBM } from '../../src/models/rbm.js';
import { rbmExactLogPartition } from '../../src/models/rbm-exact.js';
import { rbmLogZLowerBound } from '../../src/models/rbm-log-z-bound.js';
import { Random } from '../../src/random/random.js';

function allStates(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, s) => Array.from({ length: n }, (_, i) => (s >> i) & 1));
}

describe('rbmLogZLowerBound', () => {
  const rbm = new RBM(8, 5, { rng: 3, weightStd: 1 });
  new Random(4).fillNormal(rbm.visibleBias, 0, 1);

  it('is below the exact log Z, and equals it when S holds every state (duplicates counted once)', () => {
    const exact = rbmExactLogPartition(rbm);
    const some = rbmLogZLowerBound(rbm, [fromArrays(allStates(8).slice(0, 40))]);
    expect(some.logZLowerBound).toBeLessThan(exact);
    const all = allStates(8);
    const b = rbmLogZLowerBound(rbm, [fromArrays(all), fromArrays(all.slice(0, 100))]);
    expect(b.states).toBe(256);
    expect(b.logZLowerBound).toBeCloseTo(exact, 12);
  });

  it('reports the blank image as the best state (index −1) when it dominates', () => {
    const r = new RBM(4, 2, { rng: 1 });
    r.visibleBias.fill(-5);
    const b = rbmLogZLowerBound(r, [fromArrays([[1, 1, 0, 0], [0, 0, 1, 1]])]);
    expect(b.bestIndex).toBe(-1);
    expect(b.states).toBe(3);
  });

  it('refuses sets of the wrong width', () => {
    expect(() => rbmLogZLowerBound(rbm, [fromArrays([[1, 0]])])).toThrow(/sets\[0\]/);
  });
});
