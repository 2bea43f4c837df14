import { describe, expect, it } from 'vitest';
import { FormatError, NumericalError } from '../../src/errors.js';
import { fromArrays } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';
import { EBMTrainer, type EBMTrainerState, type NegativeSampler, type NegativeSamplerFactory, parametricEnergy } from '../../src/train/ebm-trainer.js';

const SAMPLERS = ['langevin', 'mala', 'metropolis', 'tempering'] as const;
const real2 = [
  [0.5, -0.2],
  [1.1, 0.3],
  [-0.4, 0.8],
  [0.2, -1.0],
  [0.9, 0.1],
  [-0.7, -0.3],
];
/** A batch whose gradient overflows: the step fails after the negatives are drawn. */
const overflowing = [
  [1e300, 1e300],
  [1e300, -1e300],
  [1, 1],
];
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** Bit-for-bit equality of two number arrays (Object.is per entry: −0 and NaN count). */
function expectBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diff.push(i);
  expect(diff).toEqual([]);
}
function expectSameTrainer(a: EBMTrainer<EnergyNetwork>, b: EBMTrainer<EnergyNetwork>): void {
  expectBits(a.model.parameters, b.model.parameters);
  expectBits(a.buffer.data, b.buffer.data);
  expect(JSON.stringify(a.getState())).toBe(JSON.stringify(b.getState()));
}
const trainerOf = (net: EnergyNetwork) => net.lastTrainer as EBMTrainer<EnergyNetwork>;
const fitOptions = (sampler: NegativeSampler, langevinSteps: number) => ({ batchSize: 3, sampler, langevinSteps });

describe('EBMTrainer: the negative chains are part of the training state', () => {
  for (const sampler of SAMPLERS) {
    for (const langevinSteps of [2, 3]) {
      it(`'${sampler}' (${langevinSteps} steps): fit 2 epochs, save, load, fit 2 = fit 4, bit for bit`, () => {
        const full = new EnergyNetwork(2, { rng: 1, hidden: [4] });
        full.fit(real2, { ...fitOptions(sampler, langevinSteps), epochs: 4 });
        const half = new EnergyNetwork(2, { rng: 1, hidden: [4] });
        half.fit(real2, { ...fitOptions(sampler, langevinSteps), epochs: 2 });
        const doc = json(trainerOf(half).toDocument());
        const training = (doc.state as { training: Record<string, unknown> }).training;
        // 'langevin' makes no chains, and its documents carry none (they are as before)
        expect('chains' in training).toBe(sampler !== 'langevin');
        const resumed = EBMTrainer.fromDocument(doc, EnergyNetwork.fromDocument);
        resumed.fit(fromArrays(real2), { epochs: 2, batchSize: 3 });
        expectSameTrainer(resumed, trainerOf(full));
        expect(resumed.epoch).toBe(4);
        // and the same through getState / setState on a fresh trainer of the loaded parameters
        const again = new EnergyNetwork(2, { rng: 1, hidden: [4] });
        again.fit(real2, { ...fitOptions(sampler, langevinSteps), epochs: 2 });
        const state = json(trainerOf(again).getState());
        const net = EnergyNetwork.fromDocument(json(again.toDocument()));
        const t = new EBMTrainer(net, { rng: 99, sampler, langevinSteps });
        t.setState(state);
        t.fit(fromArrays(real2), { epochs: 2, batchSize: 3 });
        expectSameTrainer(t, trainerOf(full));
      });
    }
  }

  it('a named sampler gives the numbers it gave before its chains were saved (pinned)', () => {
    const pinned: Record<string, number[]> = {
      mala: [0.31078574382439705, -0.5125514533280116, 0.005146187636737515],
      metropolis: [0.3102417882850574, -0.5134352492275626, 0.005316012771593978],
      tempering: [0.3106071196737316, -0.513247183857653, 0.004954755040074366],
    };
    for (const sampler of ['mala', 'metropolis', 'tempering'] as const) {
      const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      net.fit(real2, { ...fitOptions(sampler, 3), epochs: 3 });
      expect([net.parameters[0], net.parameters[5], net.parameters[16]]).toEqual(pinned[sampler]);
    }
  });

  it('a state saved before the chains were kept (no chains) loads, and the next step makes them from the restored generator', () => {
    const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
    net.fit(real2, { ...fitOptions('mala', 2), epochs: 1 });
    const doc = json(trainerOf(net).toDocument());
    const training = (doc.state as { training: Record<string, unknown> }).training;
    delete training.chains;
    const a = EBMTrainer.fromDocument(json(doc), EnergyNetwork.fromDocument);
    const b = EBMTrainer.fromDocument(json(doc), EnergyNetwork.fromDocument);
    expect('chains' in a.getState()).toBe(false);
    // what a trainer with that generator and no chains yet does: split each chain from it
    const c = new EBMTrainer(EnergyNetwork.fromDocument(json(doc)), { sampler: 'mala', langevinSteps: 2, rng: 5 });
    const { chains: _none, ...old } = json(trainerOf(net).getState());
    c.setState(old as EBMTrainerState);
    for (const t of [a, b, c]) t.step(real2.slice(0, 3));
    expect(a.getState().chains?.length).toBe(3);
    expectSameTrainer(a, b);
    expectSameTrainer(a, c as EBMTrainer<EnergyNetwork>);
  });

  it('a chain that ends outside the box, at a state of energy −∞, still saves and resumes (chains keep their clamped final rows)', () => {
    // finite on the box [−3, 3]; −∞ beyond 4, where a wide random walk goes and stays
    const walker = () =>
      parametricEnergy({
        dimension: 1,
        parameters: Float64Array.of(1),
        energy: (x, t) => (x[0] > 4 ? Number.NEGATIVE_INFINITY : 0.5 * t[0] * x[0] * x[0]),
        gradX: (out, x, t) => {
          out[0] = t[0] * x[0];
        },
        gradTheta: (out, x) => {
          out[0] = 0.5 * x[0] * x[0];
        },
      });
    const options = { sampler: 'metropolis', stepSize: 25, langevinSteps: 5, bounds: [-3, 3], rng: 4, learningRate: 1e-2 } as const;
    const a = new EBMTrainer(walker(), options);
    const batch = fromArrays([[0.5], [-0.5], [1], [-1]]);
    for (let k = 0; k < 3; k++) a.step(batch);
    expect(a.buffer.data.some((v) => v === 3)).toBe(true); // some chains ended beyond the box
    const saved = JSON.parse(JSON.stringify(a.getState())) as EBMTrainerState;
    const b = new EBMTrainer(walker(), options);
    b.model.parameters.set(a.model.parameters);
    b.setState(saved);
    for (let k = 0; k < 3; k++) {
      a.step(batch);
      b.step(batch);
    }
    expectBits(b.model.parameters, a.model.parameters);
    expect(JSON.stringify(b.getState())).toBe(JSON.stringify(a.getState()));
  });

  it('refuses chains that do not fit the trainer, and changes nothing', () => {
    const make = (sampler: NegativeSampler) => {
      const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      net.fit(real2, { ...fitOptions(sampler, 2), epochs: 1 });
      return trainerOf(net);
    };
    const mala = make('mala');
    const metropolis = make('metropolis');
    const tempering = make('tempering');
    const langevin = make('langevin');
    const before = JSON.stringify(mala.getState());
    const withChains = (t: EBMTrainer<EnergyNetwork>, chains: unknown) => ({ ...json(t.getState()), chains }) as EBMTrainerState;
    // another sampler's snapshots
    expect(() => mala.setState(withChains(mala, json(metropolis.getState()).chains))).toThrow(FormatError);
    // not an array
    expect(() => mala.setState(withChains(mala, { 0: 1 }))).toThrow(TypeError);
    // a snapshot at another step size (MALA) or temperature
    const malaChains = json(mala.getState()).chains as unknown as { extra: { stepSize: number }; temperature: number }[];
    malaChains[1].extra.stepSize = 0.5;
    expect(() => mala.setState(withChains(mala, malaChains))).toThrow(/chains\[1\].*step size/);
    const hot = json(metropolis.getState()).chains as unknown as { temperature: number }[];
    hot[0].temperature = 2;
    expect(() => metropolis.setState(withChains(metropolis, hot))).toThrow(/chains\[0\]/);
    const ladder = json(tempering.getState()).chains as unknown as { extra: { temperatures: number[] } }[];
    ladder[2].extra.temperatures[3] = 9;
    expect(() => tempering.setState(withChains(tempering, ladder))).toThrow(/chains\[2\]/);
    // a malformed generator state
    const broken = json(mala.getState()).chains as unknown as { rng: unknown }[];
    broken[0].rng = { algorithm: 'xoroshiro128+', words: [0, 0, 0, 0], spareNormal: null };
    expect(() => mala.setState(withChains(mala, broken))).toThrow();
    // 'langevin' keeps no chains
    expect(() => langevin.setState(withChains(langevin, json(mala.getState()).chains))).toThrow(/'langevin' sampler keeps no chains/);
    expect(JSON.stringify(mala.getState())).toBe(before);
    // through a document: a FormatError naming the training state
    const doc = json(mala.toDocument());
    (doc.state as { training: Record<string, unknown> }).training.chains = 'none';
    expect(() => EBMTrainer.fromDocument(doc, EnergyNetwork.fromDocument)).toThrow(/state\.training\.state/);
  });
});

describe('EBMTrainer: a failing step puts back the chains and the generator', () => {
  for (const sampler of SAMPLERS) {
    it(`'${sampler}': state unchanged, and the next step equals that of a twin that never failed`, () => {
      const make = () => {
        const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
        net.fit(real2, { ...fitOptions(sampler, 3), epochs: 1 });
        return trainerOf(net);
      };
      const a = make();
      const b = make();
      const before = JSON.stringify(a.getState());
      const theta = a.model.getParameters();
      expect(() => a.step(overflowing)).toThrow(NumericalError);
      expect(JSON.stringify(a.getState())).toBe(before);
      expectBits(a.model.parameters, theta);
      a.step(real2.slice(0, 3));
      b.step(real2.slice(0, 3));
      expectSameTrainer(a, b);
    });
  }

  it('a step that fails before a new chain is used drops the chain it made (the next step makes it again from the generator)', () => {
    const make = () => {
      const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      net.fit(real2, { ...fitOptions('metropolis', 2), epochs: 1, batchSize: 2 });
      return trainerOf(net);
    };
    const a = make();
    const b = make();
    expect(a.getState().chains?.length).toBe(2);
    expect(() => a.step(overflowing)).toThrow(NumericalError); // would make a third chain
    expect(a.getState().chains?.length).toBe(2);
    a.step(real2.slice(0, 3));
    b.step(real2.slice(0, 3));
    expectSameTrainer(a, b);
  });
});

describe('EBMTrainer: a diverging step is a NumericalError naming the update and the learning rate', () => {
  for (const sampler of ['langevin', 'mala', 'metropolis', 'tempering'] as const) {
    it(`'${sampler}': not the energy's input validation, and nothing changes`, () => {
      const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      // one finite SGD step at a huge rate: the parameters are huge, the next negatives diverge
      net.fit(real2, { epochs: 1, batchSize: 6, sampler, learningRate: 1e300, optimizer: 'sgd' });
      const t = trainerOf(net);
      const theta = net.getParameters();
      const state = JSON.stringify(t.getState());
      const random = JSON.stringify(net.random.getState());
      let error: unknown;
      try {
        net.partialFit(real2, { batchSize: 6 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NumericalError);
      expect(String((error as Error).message)).toMatch(/^EBMTrainer\.step: .* in update 2 \(learning rate 1e\+300\)/);
      expectBits(net.parameters, theta);
      expect(JSON.stringify(t.getState())).toBe(state);
      expect(JSON.stringify(net.random.getState())).toBe(random);
      expect(net.lastTrainer).toBe(t);
    });
  }

  it('a sampler factory whose chain ends at NaN: a NumericalError, not the energy\'s input validation', () => {
    const factory: NegativeSamplerFactory = (model) => {
      const state = new Float64Array(2);
      return {
        dimension: 2,
        state,
        temperature: 1,
        setState: (x) => state.set(x),
        step: () => state.fill(Number.NaN),
        energy: () => model.energy(state),
        snapshot: () => ({ kind: 'nan', state: Array.from(state), temperature: 1, rng: new Random(0).getState() }),
        restore: () => undefined,
      };
    };
    const t = new EBMTrainer(new EnergyNetwork(2, { rng: 1, hidden: [4] }), { sampler: factory, rng: 2, langevinSteps: 1 });
    const state = JSON.stringify(t.getState());
    expect(() => t.step(real2.slice(0, 3))).toThrow(/EBMTrainer\.step: a negative sample is not finite in update 1/);
    expect(JSON.stringify(t.getState())).toBe(state);
  });

  it('EBMTrainer.sample and EnergyNetwork.sample: a diverging Langevin chain is a NumericalError, the generator put back', () => {
    const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
    net.fit(real2, { epochs: 1, batchSize: 6, learningRate: 1e300, optimizer: 'sgd' });
    const t = trainerOf(net);
    const state = JSON.stringify(t.getState());
    expect(() => t.sample(4, { steps: 5 })).toThrow(NumericalError);
    expect(JSON.stringify(t.getState())).toBe(state);
    const random = JSON.stringify(net.random.getState());
    expect(() => net.sample(4, { steps: 5 })).toThrow(NumericalError);
    expect(JSON.stringify(net.random.getState())).toBe(random);
  });

  it('an update that would overflow the parameters is refused (SGD and Adam), with nothing changed', () => {
    // E(x; θ) = θ·x, ∇θE = x: with data far from the negatives the gradient is large
    const linear = () =>
      parametricEnergy({
        dimension: 1,
        parameters: Float64Array.of(0.5),
        energy: (x, t) => t[0] * x[0],
        gradX: (out, _x, t) => {
          out[0] = t[0];
        },
        gradTheta: (out, x) => {
          out[0] = x[0];
        },
      });
    // a finite gradient (about 1.5e100) whose SGD step at rate 1e300 overflows
    const sgd = new EBMTrainer(linear(), { optimizer: 'sgd', learningRate: 1e300, rng: 1, regularization: 0, bounds: [-1, 1] });
    const before = JSON.stringify(sgd.getState());
    expect(() => sgd.step({ rows: 2, cols: 1, data: Float64Array.of(1e100, 2e100) })).toThrow(
      /the parameter update is not finite in update 1 \(learning rate 1e\+300\)/,
    );
    expect(JSON.stringify(sgd.getState())).toBe(before);
    expect(sgd.model.parameters[0]).toBe(0.5);
    // Adam: lr·m̂ overflows at the largest rate
    const adam = new EBMTrainer(linear(), { learningRate: Number.MAX_VALUE, rng: 1, regularization: 0, bounds: [-1, 1] });
    const adamBefore = JSON.stringify(adam.getState());
    expect(() => adam.step({ rows: 2, cols: 1, data: Float64Array.of(10, 20) })).toThrow(/the parameter update is not finite/);
    expect(JSON.stringify(adam.getState())).toBe(adamBefore);
    expect(adam.model.parameters[0]).toBe(0.5);
  });
});

describe('a training call that fails on its first update leaves everything as before the call', () => {
  it("EBMTrainer.fit: the epoch's shuffle is put back, so a retry with a smaller learning rate draws the same numbers", () => {
    // the first update's gradient is finite, but SGD at 1e308 overflows the parameters: refused
    const make = () => new EBMTrainer(new EnergyNetwork(2, { rng: 1, hidden: [4], initScale: 30 }), { rng: 2, optimizer: 'sgd', langevinSteps: 2 });
    const data = fromArrays(real2.map(([x, y]) => [30 * x, 30 * y]));
    const a = make();
    const b = make();
    const state = JSON.stringify(a.getState());
    a.learningRate = 1.7e308;
    expect(() => a.fit(data, { epochs: 2, batchSize: 3 })).toThrow(/update 1 \(learning rate 1\.7e\+308\)/);
    expect(JSON.stringify(a.getState())).toBe(state);
    expect(a.epoch).toBe(0);
    a.learningRate = 1e-3;
    b.learningRate = 1e-3;
    a.fit(data, { epochs: 2, batchSize: 3 });
    b.fit(data, { epochs: 2, batchSize: 3 });
    expectSameTrainer(a, b);
  });

  it("a failure on the first update of an epoch puts back that epoch's shuffle (the first epoch's: as before the call)", () => {
    const make = () => new EBMTrainer(new EnergyNetwork(2, { rng: 1, hidden: [4] }), { rng: 2, sampler: 'metropolis', langevinSteps: 2 });
    const a = make();
    const b = make();
    // on a fresh trainer: as before the call
    const fresh = JSON.stringify(a.getState());
    expect(() => a.fit(overflowing, { epochs: 1, batchSize: 3 })).toThrow(NumericalError);
    expect(JSON.stringify(a.getState())).toBe(fresh);
    a.fit(real2, { epochs: 1, batchSize: 3 });
    b.fit(real2, { epochs: 1, batchSize: 3 });
    expectSameTrainer(a, b);
    const state = JSON.stringify(a.getState());
    expect(() => a.fit(overflowing, { epochs: 1, batchSize: 3 })).toThrow(NumericalError);
    expect(JSON.stringify(a.getState())).toBe(state);
    a.fit(real2, { epochs: 1, batchSize: 3 });
    b.fit(real2, { epochs: 1, batchSize: 3 });
    expectSameTrainer(a, b);
  });

  for (const sampler of ['langevin', 'tempering'] as const) {
    it(`EnergyNetwork.fit ('${sampler}'): the model's generator and the kept trainer are as before`, () => {
      const make = () => {
        const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
        net.fit(real2, { ...fitOptions(sampler, 2), epochs: 1 });
        return net;
      };
      const a = make();
      const b = make();
      const kept = a.lastTrainer;
      const random = JSON.stringify(a.random.getState());
      expect(() => a.fit(overflowing, { ...fitOptions(sampler, 2), epochs: 1 })).toThrow(NumericalError);
      expect(a.lastTrainer).toBe(kept);
      expect(JSON.stringify(a.random.getState())).toBe(random);
      // partialFit continues the kept trainer as if the failed fit never happened
      a.partialFit(real2, { batchSize: 3 });
      b.partialFit(real2, { batchSize: 3 });
      expectSameTrainer(trainerOf(a), trainerOf(b));
      a.fit(real2, { ...fitOptions(sampler, 2), epochs: 1 });
      b.fit(real2, { ...fitOptions(sampler, 2), epochs: 1 });
      expectSameTrainer(trainerOf(a), trainerOf(b));
    });
  }

  it('EnergyNetwork.partialFit: the kept trainer (generator, learning rate) is as before; the first partialFit keeps no trainer', () => {
    const make = () => {
      const net = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      net.fit(real2, { ...fitOptions('mala', 2), epochs: 1 });
      return net;
    };
    const a = make();
    const b = make();
    const kept = trainerOf(a);
    const state = JSON.stringify(kept.getState());
    expect(() => a.partialFit(overflowing, { batchSize: 3, learningRate: 0.5 })).toThrow(NumericalError);
    expect(a.lastTrainer).toBe(kept);
    expect(kept.learningRate).toBe(1e-3);
    expect(JSON.stringify(kept.getState())).toBe(state);
    a.partialFit(real2, { batchSize: 3 });
    b.partialFit(real2, { batchSize: 3 });
    expectSameTrainer(trainerOf(a), trainerOf(b));
    // a first partialFit makes the trainer: on failure it is not kept and the model's stream is as before
    const fresh = new EnergyNetwork(2, { rng: 1, hidden: [4] });
    const twin = new EnergyNetwork(2, { rng: 1, hidden: [4] });
    expect(() => fresh.partialFit(overflowing, { batchSize: 3 })).toThrow(NumericalError);
    expect(fresh.lastTrainer).toBeUndefined();
    expect(fresh.random.getState()).toEqual(twin.random.getState());
    fresh.partialFit(real2, { batchSize: 3 });
    twin.partialFit(real2, { batchSize: 3 });
    expectSameTrainer(trainerOf(fresh), trainerOf(twin));
  });

  for (const method of ['score-matching', 'sliced-score-matching'] as const) {
    it(`EnergyNetwork.fit ('${method}'): the model's generator is as before, and a kept estimator's too`, () => {
      // the first update overflows the parameters: refused
      const failing = { method, batchSize: 3, optimizer: 'sgd', learningRate: Number.MAX_VALUE } as const;
      const a = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      const b = new EnergyNetwork(2, { rng: 1, hidden: [4] });
      const random = JSON.stringify(a.random.getState());
      expect(() => a.fit(real2, failing)).toThrow(/the parameter update is not finite in update 1/);
      expect(JSON.stringify(a.random.getState())).toBe(random);
      expect(a.lastTrainer).toBeUndefined();
      a.fit(real2, { method, batchSize: 3, epochs: 2 });
      b.fit(real2, { method, batchSize: 3, epochs: 2 });
      expectBits(a.parameters, b.parameters);
      expect(a.random.getState()).toEqual(b.random.getState());
      // a kept estimator: its generator (and the epoch's shuffle) go back too
      expect(() => a.partialFit(real2, failing)).toThrow(NumericalError);
      a.partialFit(real2, { method, batchSize: 3 });
      b.partialFit(real2, { method, batchSize: 3 });
      expectBits(a.parameters, b.parameters);
      a.fit(real2, { method, batchSize: 3 });
      b.fit(real2, { method, batchSize: 3 });
      expectBits(a.parameters, b.parameters);
    });
  }
});
