import { describe, expect, it } from 'vitest';
import { BoltzmannMachine, BoltzmannMachineTrainer, DBM, DBMTrainer, DBN, fromArrays, NumericalError, RBM, RBMTrainer } from '../../src/index.js';

// "Nothing is lost": a training call whose first update fails leaves no trace — the parameters,
// the model's generator, the kept trainer (and its hyperparameters) and the trainer's generator
// (the epoch's shuffle included) are as before, so a retry with a smaller rate draws the same
// numbers as a twin that never failed.

const data = fromArrays([
  [1, 0, 1, 0, 1, 0],
  [0, 1, 0, 1, 0, 1],
  [1, 1, 0, 0, 1, 1],
  [0, 0, 1, 1, 0, 0],
  [1, 1, 1, 0, 0, 0],
]);
const json = (x: unknown): string => JSON.stringify(x);

describe('a training call that fails at its first update changes nothing', () => {
  it('RBMTrainer.runEpoch rewinds the shuffle too (a retry draws the same numbers)', () => {
    const make = (): RBMTrainer => new RBMTrainer(new RBM(6, 3, { rng: 1, weightStd: 0.5 }), { method: 'pcd', nChains: 3, batchSize: 2, rng: 4 });
    const t = make(), twin = make();
    t.runEpoch(data);
    twin.runEpoch(data);
    const knobs = t as unknown as { weightDecay: number; learningRate: number };
    knobs.weightDecay = 1e308; // lr·decay·θ overflows at the first update
    knobs.learningRate = 1e3;
    const before = json(t.saveState());
    expect(() => t.runEpoch(data)).toThrow(NumericalError);
    // the rate and decay are options, so compare what they do not cover: generator, chains, momentum, counters
    expect(json(t.saveState())).toBe(before);
    knobs.weightDecay = 0;
    knobs.learningRate = 0.1;
    t.runEpoch(data);
    twin.runEpoch(data);
    expect(json(t.toDocument())).toBe(json(twin.toDocument()));
  });

  it('DBMTrainer.fit and BoltzmannMachineTrainer.fit rewind the shuffle too', () => {
    const dbm = new DBM([6, 3, 2], { rng: 1 });
    dbm.weights[0]?.data.fill(1e300); // the weight-decay term overflows at any rate this large
    const t = new DBMTrainer(dbm, { learningRate: 1e308, batchSize: 2, nChains: 4, rng: 1 });
    const before = json(t.toDocument());
    expect(() => t.fit(data, { epochs: 1 })).toThrow(NumericalError);
    expect(json(t.toDocument())).toBe(before);
    const bm = new BoltzmannMachine(6, 1, { rng: 2 });
    const tr = new BoltzmannMachineTrainer(bm, { learningRate: 1e308, weightDecay: 1e300, batchSize: 2, persistent: true, freeChains: 2, freeSamples: 4, rng: 5 });
    const trBefore = json(tr.toDocument());
    expect(() => tr.fit(data, { epochs: 1 })).toThrow(NumericalError);
    expect(json(tr.toDocument())).toBe(trBefore);
  });

  it('RBM.fit, fitSteps and partialFit put back the model’s generator and the kept trainer', () => {
    const bad = { learningRate: 1e3, weightDecay: 1e308, batchSize: 2, method: 'cd' } as const;
    const calls: [string, (m: RBM) => unknown][] = [
      ['fit', (m) => m.fit(data, { ...bad, epochs: 2 })],
      ['fitSteps', (m) => [...m.fitSteps(data, { ...bad, epochs: 2 })]],
      ['partialFit with a new trainer', (m) => m.partialFit(data, bad)],
    ];
    for (const [what, call] of calls) {
      const rbm = new RBM(6, 3, { rng: 1, weightStd: 0.5 });
      rbm.partialFit(data, { batchSize: 2, learningRate: 0.1 });
      const kept = rbm.lastTrainer, doc = json(rbm.toDocument()), random = json(rbm.random.getState()), keptState = json(kept?.toDocument());
      expect(() => call(rbm), what).toThrow(NumericalError);
      expect(json(rbm.toDocument()), what).toBe(doc);
      expect(json(rbm.random.getState()), what).toBe(random);
      expect(rbm.lastTrainer, what).toBe(kept);
      expect(json(kept?.toDocument()), what).toBe(keptState);
    }
  });

  it('BoltzmannMachine.fit and partialFit put back the generator, the kept trainer and its hyperparameters', () => {
    const bm = new BoltzmannMachine(6, 1, { rng: 2 });
    bm.partialFit(data, { learningRate: 0.01, batchSize: 2 });
    const twin = BoltzmannMachine.fromDocument(JSON.parse(json(bm.toDocument())));
    twin.partialFit(data, { learningRate: 0.01, batchSize: 2 });
    const again = new BoltzmannMachine(6, 1, { rng: 2 });
    again.partialFit(data, { learningRate: 0.01, batchSize: 2 });
    const doc = json(bm.toDocument()), random = json(bm.random.getState());
    expect(() => bm.partialFit(data, { learningRate: 1e308, weightDecay: 1e300 })).toThrow(NumericalError);
    expect(() => bm.fit(data, { learningRate: 1e308, weightDecay: 1e300, epochs: 2 })).toThrow(NumericalError);
    expect(json(bm.toDocument())).toBe(doc);
    expect(json(bm.random.getState())).toBe(random);
    // the kept trainer still has learning rate 0.01 and no decay: the next pass is the never-failed twin's
    bm.partialFit(data);
    again.partialFit(data);
    expect(json(bm.toDocument())).toBe(json(again.toDocument()));
  });

  it('DBM.fit and partialFit put back the generator and the kept trainer; DBN.fit its initialised visible biases too', () => {
    const dbm = new DBM([6, 3, 2], { rng: 1 });
    dbm.partialFit(data, { batchSize: 2, nChains: 4, learningRate: 0.01 });
    const kept = (dbm as unknown as { trainer: unknown }).trainer;
    dbm.weights[0]?.data.fill(1e300);
    const doc = json(dbm.toDocument()), random = json(dbm.random.getState());
    expect(() => dbm.fit(data, { pretrain: false, learningRate: 1e308, batchSize: 2, nChains: 4, epochs: 2 })).toThrow(NumericalError);
    expect(json(dbm.toDocument())).toBe(doc);
    expect(json(dbm.random.getState())).toBe(random);
    expect((dbm as unknown as { trainer: unknown }).trainer).toBe(kept);

    const dbn = new DBN([6, 3, 2], { rng: 1 });
    const dbnDoc = json(dbn.toDocument()), dbnRandom = json(dbn.random.getState());
    expect(() => dbn.fit(data, { learningRate: 1e3, weightDecay: 1e308, batchSize: 2, epochs: 2 })).toThrow(NumericalError);
    expect(json(dbn.toDocument())).toBe(dbnDoc); // initBiases had set the visible biases from the data
    expect(json(dbn.random.getState())).toBe(dbnRandom);
    expect(() => dbn.partialFit(data, { learningRate: 1e3, weightDecay: 1e308, batchSize: 2 })).toThrow(NumericalError);
    expect(json(dbn.toDocument())).toBe(dbnDoc);
    expect(json(dbn.random.getState())).toBe(dbnRandom);
  });

  it('a call that failed after some updates keeps them (each failing update itself is not applied)', () => {
    const rbm = new RBM(6, 3, { rng: 1, weightStd: 0.5 });
    const it = rbm.fitSteps(data, { learningRate: 0.1, batchSize: 2, method: 'cd', epochs: 3 });
    it.next();
    const after1 = json(rbm.toDocument());
    const t = rbm.lastTrainer as unknown as { weightDecay: number; learningRate: number };
    t.weightDecay = 1e308;
    t.learningRate = 1e3;
    expect(() => it.next()).toThrow(NumericalError);
    expect(json(rbm.toDocument())).toBe(after1);
    expect(rbm.lastTrainer?.steps).toBe(1);
  });
});
