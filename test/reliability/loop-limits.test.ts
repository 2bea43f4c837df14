import { describe, expect, it } from 'vitest';
import { BoltzmannMachine, DBM, DBN, HopfieldNetwork, LIMITS, LogisticRegression, RBM, RBMTrainer } from '../../src/index.js';

// A loop count taken from input (epochs, Gibbs steps, sweeps, k) above LIMITS.maxSteps is refused at
// once with a RangeError naming the limit — 2³¹ epochs or steps would otherwise run for days — and
// the model is left as it was. Counts up to the limit keep their old checks and messages.
const HUGE = [LIMITS.maxSteps + 1, 2 ** 31, Number.POSITIVE_INFINITY];
const binary = [
  [1, 0, 1, 0],
  [0, 1, 0, 1],
];

function refused(f: () => unknown, name: string): void {
  expect(f).toThrow(RangeError);
  expect(f).toThrow(new RegExp(`${name} must be at most ${LIMITS.maxSteps} \\(LIMITS\\.maxSteps\\)`));
}

describe('loop counts are checked against LIMITS.maxSteps before anything runs', () => {
  it('RBM fit epochs, CD k, sample steps; the model is unchanged', () => {
    const rbm = new RBM(4, 2, { rng: 1 });
    const before = JSON.stringify(rbm.toDocument());
    const state = rbm.random.getState();
    for (const v of HUGE) {
      refused(() => rbm.fit(binary, { epochs: v }), 'epochs');
      refused(() => rbm.fit(binary, { method: 'cd', k: v }), 'k');
      refused(() => rbm.sample(2, { steps: v }), 'steps');
      refused(() => new RBMTrainer(rbm, { k: v }), 'k');
    }
    expect(JSON.stringify(rbm.toDocument())).toBe(before);
    expect(rbm.random.getState()).toEqual(state);
    expect(() => rbm.fit(binary, { epochs: 0 })).toThrow(/epochs must be a positive integer/);
  });

  it('DBN, DBM and BoltzmannMachine sample steps and fit epochs', () => {
    const dbm = new DBM([4, 3, 2], { rng: 1 });
    const dbn = new DBN([4, 3, 2], { rng: 1 });
    const bm = new BoltzmannMachine(4, 1, { rng: 1 });
    const before = [dbm, dbn, bm].map((m) => JSON.stringify(m.toDocument()));
    for (const v of HUGE) {
      refused(() => dbm.sample(2, { steps: v }), 'steps');
      refused(() => dbm.fit(binary, { epochs: v }), 'epochs');
      refused(() => dbn.sample(2, { steps: v }), 'steps');
      refused(() => bm.sample(2, { steps: v }), 'steps');
      refused(() => bm.sample(2, { thin: v }), 'thin');
      refused(() => bm.fit(binary, { epochs: v }), 'epochs');
    }
    expect([dbm, dbn, bm].map((m) => JSON.stringify(m.toDocument()))).toEqual(before);
  });

  it('contrastive Hopfield training and logistic regression epochs', () => {
    const net = new HopfieldNetwork(4, { rng: 1 });
    const lr = new LogisticRegression(2, 2);
    for (const v of HUGE) {
      refused(() => net.fit([[1, -1, 1, -1]], { rule: 'contrastive', epochs: v }), 'epochs');
      refused(() => lr.fit([[0, 1], [1, 0]], [0, 1], { epochs: v }), 'epochs');
    }
    expect(Array.from(net.weights.data).every((w) => w === 0)).toBe(true);
  });
});
