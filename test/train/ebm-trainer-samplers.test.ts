import { describe, expect, it } from 'vitest';
import { ringOfGaussians } from '../../src/data/toy2d.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';
import type { Sampler } from '../../src/samplers/types.js';
import { EBMTrainer, type NegativeSamplerFactory, parametricEnergy } from '../../src/train/ebm-trainer.js';

/** E(x) = ½·4·x²: N(0, 1/4) (parameters (μ, log precision)). */
function narrowGaussian() {
  return parametricEnergy({
    dimension: 1,
    parameters: Float64Array.of(0, Math.log(4)),
    energy: (x, t) => 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2,
    gradX: (out, x, t) => {
      out[0] = Math.exp(t[1]) * (x[0] - t[0]);
    },
    gradTheta: (out, x, t) => {
      out[0] = -Math.exp(t[1]) * (x[0] - t[0]);
      out[1] = 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2;
    },
  });
}

describe('EBMTrainer negatives from any sampler', () => {
  const data = ringOfGaussians(256, { rng: 2 });

  it("sampler: 'langevin' is the default, bit for bit (parameters, buffer, generator)", () => {
    const a = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    const b = a.clone();
    const ta = new EBMTrainer(a, { rng: 3, langevinSteps: 5 });
    const tb = new EBMTrainer(b, { rng: 3, langevinSteps: 5, sampler: 'langevin' });
    ta.fit(data, { epochs: 2, batchSize: 64 });
    tb.fit(data, { epochs: 2, batchSize: 64 });
    expect(Array.from(b.parameters)).toEqual(Array.from(a.parameters));
    expect(Array.from(tb.buffer.data)).toEqual(Array.from(ta.buffer.data));
    expect(tb.random.getState()).toEqual(ta.random.getState());
    // the numbers the trainer gave before the sampler option existed (commit 51245e2)
    expect([a.parameters[0], a.parameters[5], a.parameters[a.parameters.length - 1]]).toEqual([0.3128695385901238, -0.5025379113974306, -0.007964266726360218]);
    // and the document of a default trainer carries no sampler key (documents unchanged)
    const state = ta.toDocument().state as unknown as { training: { options: object } };
    expect('sampler' in state.training.options).toBe(false);
  });

  it('a sampler factory makes one chain per batch row and its final states are the negatives', () => {
    const calls: number[] = [];
    const target = Float64Array.of(0.25, -0.5);
    const factory: NegativeSamplerFactory = (model, rng, index) => {
      calls.push(index);
      expect(model.dimension).toBe(2);
      expect(rng).toBeInstanceOf(Random);
      const state = new Float64Array(2);
      const s: Sampler = {
        dimension: 2,
        state,
        temperature: 1,
        setState: (x) => state.set(x),
        step: () => state.set(target),
        energy: () => model.energy(state),
        snapshot: () => ({ kind: 'test', state: Array.from(state), temperature: 1, rng: rng.getState() }),
        restore: () => undefined,
      };
      return s;
    };
    const t = new EBMTrainer(new EnergyNetwork(2, { hidden: [8], rng: 1 }), { rng: 3, sampler: factory, langevinSteps: 2 });
    t.step({ rows: 32, cols: 2, data: data.data.slice(0, 64) });
    expect(calls).toEqual(Array.from({ length: 32 }, (_, i) => i));
    const buf = t.buffer;
    expect(buf.rows).toBe(32);
    for (let r = 0; r < 32; r++) expect([buf.data[2 * r], buf.data[2 * r + 1]]).toEqual([0.25, -0.5]);
    // a second step reuses the chains
    t.step({ rows: 32, cols: 2, data: data.data.slice(0, 64) });
    expect(calls.length).toBe(32);
    expect(() => t.toDocument()).toThrow(/sampler factory/);
  });

  // Negatives of a fixed energy N(0, 1/4) from 4000 chains started uniformly in [−3, 3]: their mean
  // and variance must match the target within 4 standard errors (se(mean) = √(σ²/n) = 0.0079,
  // se(var) = σ²√(2/n) = 0.0056). The step size 0.25 mixes in far fewer than the 60 steps run
  // (random-walk sd 0.5 = the target sd); one SGD step at rate 1e-300 leaves the energy unchanged.
  for (const sampler of ['metropolis', 'mala', 'tempering'] as const) {
    it(`'${sampler}' negatives sample the model (mean, variance within 4 standard errors)`, () => {
      const n = 4000;
      const t = new EBMTrainer(narrowGaussian(), { sampler, stepSize: 0.25, langevinSteps: 60, rng: 7, optimizer: 'sgd', learningRate: 1e-300, bufferSize: n });
      const batch: Matrix = { rows: n, cols: 1, data: new Random(8).fillNormal(new Float64Array(n)) };
      t.step(batch);
      const x = t.buffer.data;
      let m = 0;
      for (const v of x) m += v / n;
      let v2 = 0;
      for (const v of x) v2 += (v - m) ** 2 / n;
      expect(Math.abs(m)).toBeLessThan(4 * Math.sqrt(0.25 / n));
      expect(Math.abs(v2 - 0.25)).toBeLessThan(4 * 0.25 * Math.sqrt(2 / n));
    });
  }

  it('named samplers are reproducible from the seed and saved in the document', () => {
    const run = () => {
      const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
      const t = new EBMTrainer(net, { rng: 3, sampler: 'metropolis', langevinSteps: 3 });
      t.fit(data, { epochs: 1, batchSize: 64 });
      return { params: Array.from(net.parameters), t };
    };
    const a = run();
    const b = run();
    expect(b.params).toEqual(a.params);
    const back = EBMTrainer.fromDocument(JSON.parse(JSON.stringify(a.t.toDocument())), EnergyNetwork.fromDocument);
    expect(back.options.sampler).toBe('metropolis');
  });

  it('refuses an unknown sampler, and EnergyNetwork.fit passes the option through', () => {
    const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
    expect(() => new EBMTrainer(net, { sampler: 'gibbs' as never })).toThrow(/sampler/);
    expect(() => net.fit(data, { sampler: 'hmc' as never })).toThrow(/sampler/);
    net.fit(data, { sampler: 'mala', langevinSteps: 2, batchSize: 64 });
    expect(() => net.partialFit(data, { sampler: 'metropolis' })).toThrow(/sampler is fixed/);
    expect(() => net.fit(data, { method: 'nce', sampler: 'mala' })).toThrow(/sampler does not apply to method 'nce'/);
  });
});
