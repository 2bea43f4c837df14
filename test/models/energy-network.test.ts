import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTensors } from '../../src/document.js';
import { type Matrix, fromArrays } from '../../src/linalg/matrix.js';
import { type Activation, EnergyNetwork } from '../../src/models/energy-network.js';
import { FormatError, ShapeError } from '../../src/errors.js';
import { Random } from '../../src/random/random.js';
import { EBMTrainer, parametricEnergy } from '../../src/train/ebm-trainer.js';

const batch = (rows: number, cols: number, seed: number): Matrix => ({
  rows,
  cols,
  data: new Random(seed).fillNormal(new Float64Array(rows * cols), 0, 1.5),
});

describe('EnergyNetwork: analytic gradients equal finite differences', () => {
  // Central differences have error O(h²·E''') + O(ε_machine·|E|/h): with h = 1e-5 both are
  // below 1e-8 for these O(1) networks, so 1e-6 (abs + rel) is a safe, still sharp tolerance.
  const h = 1e-5;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b));
  const arch = fc.record({
    dim: fc.integer({ min: 1, max: 4 }),
    hidden: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 3 }),
    activation: fc.constantFrom<Activation>('softplus', 'tanh', 'swish'),
    seed: fc.integer({ min: 0, max: 1e6 }),
    rows: fc.integer({ min: 1, max: 4 }),
  });

  it('property: ∇ₓE (batched and single) matches central differences', () => {
    fc.assert(
      fc.property(arch, ({ dim, hidden, activation, seed, rows }) => {
        const net = new EnergyNetwork(dim, { hidden, activation, rng: seed });
        const x = batch(rows, dim, seed + 1);
        const g = net.inputGradients({ rows, cols: dim, data: new Float64Array(rows * dim) }, x);
        for (let r = 0; r < rows; r++) {
          const xr = x.data.slice(r * dim, (r + 1) * dim);
          const single = net.gradient(new Float64Array(dim), xr);
          for (let j = 0; j < dim; j++) {
            const p = xr.slice();
            const m = xr.slice();
            p[j] += h;
            m[j] -= h;
            const fd = (net.energy(p) - net.energy(m)) / (2 * h);
            if (!close(g.data[r * dim + j], fd) || !close(single[j], fd)) return false;
          }
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('property: ∇θ of a weighted batch Σ w_n E(x_n) matches central differences in every parameter', () => {
    fc.assert(
      fc.property(arch, ({ dim, hidden, activation, seed, rows }) => {
        const net = new EnergyNetwork(dim, { hidden, activation, rng: seed });
        const x = batch(rows, dim, seed + 2);
        const w = new Random(seed + 3).fillNormal(new Float64Array(rows));
        const g = net.parameterGradient(new Float64Array(net.nParameters), x, w);
        const e = new Float64Array(rows);
        const objective = () => {
          net.energies(e, x);
          return e.reduce((a, v, n) => a + w[n] * v, 0);
        };
        const theta = net.parameters;
        for (let k = 0; k < theta.length; k++) {
          const old = theta[k];
          theta[k] = old + h;
          const fp = objective();
          theta[k] = old - h;
          const fm = objective();
          theta[k] = old;
          if (!close(g[k], (fp - fm) / (2 * h))) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});

describe('EnergyNetwork: structure and API', () => {
  it('batched energies equal single energies; the default parameter gradient is the batch mean', () => {
    const net = new EnergyNetwork(3, { hidden: [8, 5], rng: 4 });
    const x = batch(6, 3, 9);
    const e = net.energies(new Float64Array(6), x);
    for (let r = 0; r < 6; r++) expect(e[r]).toBeCloseTo(net.energy(x.data.slice(r * 3, r * 3 + 3)), 12);
    const mean = net.parameterGradient(new Float64Array(net.nParameters), x);
    const sum = net.parameterGradient(new Float64Array(net.nParameters), x, new Float64Array(6).fill(1));
    for (let k = 0; k < mean.length; k++) expect(mean[k]).toBeCloseTo(sum[k] / 6, 12);
    expect(net.layerSizes).toEqual([3, 8, 5, 1]);
    expect(net.nParameters).toBe(3 * 8 + 8 + 8 * 5 + 5 + 5 + 1);
  });

  it('parameters are one flat vector; layer views alias it', () => {
    const net = new EnergyNetwork(2, { hidden: [3], rng: 1 });
    net.layerBias(0)[1] = 7;
    expect(net.parameters[2 * 3 + 1]).toBe(7);
    const theta = net.getParameters();
    theta[0] = 42;
    expect(net.parameters[0]).not.toBe(42);
    net.setParameters(theta);
    expect(net.layerWeights(0)[0]).toBe(42);
  });

  it('document round trip is bit-exact and validated', () => {
    const net = new EnergyNetwork(2, { hidden: [4, 4], activation: 'tanh', rng: 5 });
    const back = EnergyNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
    expect(Array.from(back.parameters)).toEqual(Array.from(net.parameters));
    expect(back.activation).toBe('tanh');
    const x = fromArrays([[0.3, -0.2]]);
    expect(back.energies(new Float64Array(1), x)[0]).toBe(net.energies(new Float64Array(1), x)[0]);
    const doc = net.toDocument();
    doc.config.activation = 'relu';
    expect(() => EnergyNetwork.fromDocument(doc)).toThrow(/activation/);
    const doc2 = expandTensors(net.toDocument());
    doc2.tensors.W1.data.pop();
    expect(() => EnergyNetwork.fromDocument(doc2)).toThrow(/W1/);
  });

  it('validates input and never modifies it', () => {
    const net = new EnergyNetwork(2, { hidden: [3], rng: 1 });
    expect(() => new EnergyNetwork(0)).toThrow(/inputDim/);
    expect(() => new EnergyNetwork(2, { hidden: [0] })).toThrow(/hidden\[0\]/);
    expect(() => new EnergyNetwork(2, { activation: 'relu' as never })).toThrow(RangeError);
    expect(() => net.energies(new Float64Array(1), fromArrays([[1, 2, 3]]))).toThrow(/shape/);
    expect(() => net.energies(new Float64Array(1), fromArrays([[1, Number.NaN]]))).toThrow(/finite/);
    expect(() => net.setParameters(new Float64Array(2))).toThrow(/length/);
    const x = fromArrays([
      [1, 2],
      [3, 4],
    ]);
    const copy = x.data.slice();
    net.inputGradients(fromArrays([[0, 0], [0, 0]]), x);
    net.parameterGradient(new Float64Array(net.nParameters), x);
    expect(Array.from(x.data)).toEqual(Array.from(copy));
    expect(() => net.inputGradients(x, x)).toThrow(/alias/);
  });
});

describe('EnergyNetwork on the model contract', () => {
  const rows = (n: number, seed: number): number[][] => {
    const r = new Random(seed);
    return Array.from({ length: n }, () => [r.normal() * 0.5 + 1, r.normal() * 0.5 - 1]);
  };
  const opts = { epochs: 2, batchSize: 20, learningRate: 3e-3, langevinSteps: 4, bufferSize: 100 } as const;

  it('fit from plain arrays: reproducible from the construction seed, one loss per epoch, the stream continues', () => {
    const a = new EnergyNetwork(2, { hidden: [6], rng: 3 });
    const b = new EnergyNetwork(2, { hidden: [6], rng: 3 });
    expect(a.kind).toBe('energy-network');
    const ra = a.fit(rows(60, 1), opts);
    const rb = b.fit(fromArrays(rows(60, 1)), opts);
    expect(ra.epochs).toBe(2);
    expect(ra.aborted).toBe(false);
    expect(ra.history.map((m) => [m.epoch, m.steps])).toEqual([
      [0, 3],
      [1, 6],
    ]);
    expect(ra.history.every((m) => Number.isFinite(m.loss) && m.learningRate === 3e-3)).toBe(true);
    expect(ra.history.map((m) => m.loss)).toEqual(rb.history.map((m) => m.loss));
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
    // Two sample calls differ; the same seed gives the same sequence.
    const s1 = a.sample(4, { steps: 3 });
    const s2 = a.sample(4, { steps: 3 });
    expect(Array.from(s1.data)).not.toEqual(Array.from(s2.data));
    expect(Array.from(b.sample(4, { steps: 3 }).data)).toEqual(Array.from(s1.data));
    expect(Array.from(b.sample(4, { steps: 3 }).data)).toEqual(Array.from(s2.data));
    // A second fit starts a fresh trainer whose generator continues the model's stream.
    const again = a.fit(rows(60, 1), opts);
    expect(again.history[0].epoch).toBe(0);
  });

  it('fit is the trainer with a generator split from the model stream; partialFit continues it', () => {
    const data = fromArrays(rows(40, 2));
    const a = new EnergyNetwork(2, { hidden: [5], rng: 4 });
    const b = new EnergyNetwork(2, { hidden: [5], rng: 4 });
    a.fit(data, { epochs: 1, batchSize: 10, langevinSteps: 3 });
    a.partialFit(data, { langevinSteps: 3, learningRate: 2e-3 });
    a.partialFit(data);
    const t = new EBMTrainer(b, { langevinSteps: 3 });
    t.fit(data, { epochs: 1, batchSize: 10 });
    t.learningRate = 2e-3;
    t.fit(data, { epochs: 1, batchSize: 40 });
    t.fit(data, { epochs: 1, batchSize: 40 });
    expect(Array.from(a.parameters)).toEqual(Array.from(b.parameters));
    expect(Array.from(a.random.getState().words)).toEqual(Array.from(b.random.getState().words));
    // partialFit without a previous fit makes the trainer on its first call.
    const c = new EnergyNetwork(2, { hidden: [5], rng: 4 });
    const d = new EnergyNetwork(2, { hidden: [5], rng: 4 });
    c.partialFit(data, { langevinSteps: 2 });
    c.partialFit(data);
    const td = new EBMTrainer(d, { langevinSteps: 2 });
    td.fit(data, { batchSize: 40 });
    td.fit(data, { batchSize: 40 });
    expect(Array.from(c.parameters)).toEqual(Array.from(d.parameters));
    expect(() => c.partialFit(data, { langevinSteps: 5 })).toThrow(/langevinSteps is fixed/);
    expect(() => c.partialFit(data, { rng: 1 })).toThrow(/rng is read only when the trainer is made/);
    expect(() => c.partialFit(data, { epochs: 2 })).toThrow(/epochs must be 1/);
  });

  it('bad data or options change nothing (not even the stream); an unknown key names the closest valid one', () => {
    const net = new EnergyNetwork(2, { hidden: [4], rng: 5 });
    const before = JSON.stringify([Array.from(net.parameters), net.random.getState()]);
    const same = () => expect(JSON.stringify([Array.from(net.parameters), net.random.getState()])).toBe(before);
    const bad = (f: () => unknown, re: RegExp, type: new (...args: never[]) => Error = TypeError) => {
      expect(f).toThrow(type);
      expect(f).toThrow(re);
      same();
    };
    bad(() => net.fit(rows(10, 1), { epoch: 3 } as never), /unknown option 'epoch' \(did you mean 'epochs'\?\)/);
    bad(() => net.fit(rows(10, 1), { learning_rate: 0.1 } as never), /did you mean 'learningRate'\?/);
    bad(() => net.fit(rows(10, 1), { epochs: -1 }), /epochs/, RangeError);
    bad(() => net.fit(rows(10, 1), { method: 'pcd' as never }), /method/, RangeError);
    bad(() => net.fit([[1, 2], [3]]), /data rows/, ShapeError);
    bad(() => net.fit([[1, 2, 3]]), /shape/, ShapeError);
    bad(() => net.partialFit(rows(10, 1), { batchsize: 4 } as never), /did you mean 'batchSize'\?/);
    bad(() => net.sample(3, { step: 4 } as never), /did you mean 'steps'\?/);
    bad(() => net.sample(3, { init: [[0, 0]] }), /init/, ShapeError);
    bad(() => net.score(rows(3, 1), { bound: [-1, 1] } as never), /did you mean 'bounds'\?/);
    bad(() => new EnergyNetwork(2, { hiden: [3] } as never), /did you mean 'hidden'\?/);
    bad(() => new EBMTrainer(net, { langevinStep: 3 } as never), /did you mean 'langevinSteps'\?/);
    bad(() => new EBMTrainer(net, { rng: 1 }).fit(rows(10, 1), { batch_size: 4 } as never), /did you mean 'batchSize'\?/);
  });

  it('scoreSamples: exact log-likelihood by Simpson quadrature, checked on linear energies with closed-form Z', () => {
    // E(x) = w·x + b (no hidden layer): Z over [lo, hi]^d = e^{−b} Π_j (e^{−w_j lo} − e^{−w_j hi}) / w_j.
    const lo = -2;
    const hi = 3;
    const axis = (w: number) => Math.log((Math.exp(-w * lo) - Math.exp(-w * hi)) / w);
    const one = new EnergyNetwork(1, { hidden: [], rng: 1 });
    one.layerWeights(0)[0] = 0.7;
    one.layerBias(0)[0] = 0.2;
    const logZ1 = -0.2 + axis(0.7);
    const s1 = one.scoreSamples([[0.5], [-2], [3], [3.01]], { bounds: [lo, hi] });
    expect(s1[0]).toBeCloseTo(-(0.7 * 0.5 + 0.2) - logZ1, 10);
    expect(s1[1]).toBeCloseTo(-(0.7 * -2 + 0.2) - logZ1, 10);
    expect(s1[3]).toBe(Number.NEGATIVE_INFINITY); // outside the box
    const two = new EnergyNetwork(2, { hidden: [], rng: 1 });
    two.layerWeights(0).set([-0.4, 1.1]);
    two.layerBias(0)[0] = -0.3;
    const logZ2 = 0.3 + axis(-0.4) + axis(1.1);
    const r = two.score([[0, 0], [1, -1]], { bounds: [lo, hi] });
    expect(r.method).toBe('exact');
    expect(r.logZ).toBeCloseTo(logZ2, 7);
    const want = (-(0.3 * 0 - 0.3) - (-0.4 * 1 + 1.1 * -1 - 0.3)) / 2 - logZ2;
    expect(r.mean).toBeCloseTo(want, 7);
    expect([r.lower, r.upper]).toEqual([r.mean, r.mean]);
    // A trained network: deterministic, and exp(log p) integrates to 1 on a finer grid.
    const net = new EnergyNetwork(2, { hidden: [8], rng: 2 });
    const a = net.score(rows(5, 3));
    expect(net.score(rows(5, 3))).toEqual(a);
    expect(net.score(rows(5, 3), { gridSize: 400, method: 'exact' }).logZ).toBeCloseTo(a.logZ as number, 6);
  });

  it('scoreSamples refuses what it cannot compute with a clear RangeError', () => {
    const three = new EnergyNetwork(3, { hidden: [4], rng: 1 });
    expect(() => three.scoreSamples([[0, 0, 0]])).toThrow(/dimension 1 or 2 \(got dimension 3\)/);
    const net = new EnergyNetwork(2, { hidden: [4], rng: 1 });
    expect(() => net.score([[0, 0]], { method: 'ais' as never })).toThrow(/method 'ais' is not available/);
    expect(() => net.score([[0, 0]], { gridSize: 7 })).toThrow(/even/);
    expect(() => net.score([[0, 0]], { bounds: [1, -1] })).toThrow(/low < high/);
    expect(() => net.score([])).toThrow(/at least one row/);
  });

  it('signal and onEpoch stop training; clone and documents keep parameters and the stream', () => {
    const data = rows(40, 6);
    const net = new EnergyNetwork(2, { hidden: [4], rng: 7 });
    const ctl = new AbortController();
    ctl.abort();
    const theta = Array.from(net.parameters);
    const r = net.fit(data, { epochs: 3, batchSize: 10, signal: ctl.signal });
    expect([r.epochs, r.aborted, r.history.length]).toEqual([0, true, 0]);
    expect(Array.from(net.parameters)).toEqual(theta);
    const stopped = net.fit(data, { epochs: 5, batchSize: 10, langevinSteps: 2, onEpoch: (m) => m.epoch < 1 });
    expect([stopped.epochs, stopped.aborted]).toEqual([2, false]);
    const twin = net.clone();
    expect(Array.from(twin.parameters)).toEqual(Array.from(net.parameters));
    expect(Array.from(twin.sample(3, { steps: 4 }).data)).toEqual(Array.from(net.sample(3, { steps: 4 }).data));
    const back = EnergyNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
    expect(back.score(data).mean).toBe(net.score(data).mean);
  });

  it('EBMTrainer.toDocument → fromDocument resumes training bit-exactly', () => {
    const data = fromArrays(rows(30, 8));
    const a = new EBMTrainer(new EnergyNetwork(2, { hidden: [4], rng: 9 }), { rng: 10, langevinSteps: 2, bufferSize: 40, gradClip: 5 });
    a.fit(data, { epochs: 1, batchSize: 10 });
    const doc = JSON.parse(JSON.stringify(a.toDocument()));
    const b = EBMTrainer.fromDocument(doc, EnergyNetwork.fromDocument);
    expect([b.epoch, b.steps]).toEqual([1, 3]);
    a.fit(data, { epochs: 1, batchSize: 10 });
    b.fit(data, { epochs: 1, batchSize: 10 });
    expect(Array.from(b.model.parameters)).toEqual(Array.from(a.model.parameters));
    expect(b.options).toEqual(a.options);
    expect(() => new EBMTrainer(parametricEnergyOf1D(), { rng: 1 }).toDocument()).toThrow(TypeError);
    delete doc.state.training.m;
    expect(() => EBMTrainer.fromDocument(doc, EnergyNetwork.fromDocument)).toThrow(FormatError);
  });

  it('sample takes an rng (seed or Random) for the call: a loaded copy with the same rng gives the same samples, bit for bit', () => {
    const net = new EnergyNetwork(2, { hidden: [4], rng: 3 });
    net.fit(fromArrays(rows(20, 4)), { epochs: 1, batchSize: 10, langevinSteps: 2 });
    const loaded = EnergyNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
    const stream = net.random.getState();
    const a = net.sample(5, { steps: 10, rng: 7 });
    // a seed is a fresh generator each call; the model's stream is not touched
    expect(net.random.getState()).toEqual(stream);
    expect(Array.from(net.sample(5, { steps: 10, rng: 7 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(loaded.sample(5, { steps: 10, rng: 7 }).data)).toEqual(Array.from(a.data));
    // a Random is used, and advanced, as is
    const r1 = new Random(7);
    const r2 = new Random(7);
    expect(Array.from(net.sample(5, { steps: 10, rng: r1 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(loaded.sample(5, { steps: 10, rng: r2 }).data)).toEqual(Array.from(a.data));
    expect(r1.getState()).toEqual(r2.getState());
    expect(r1.getState()).not.toEqual(new Random(7).getState());
    // with init, the same: the generator drives the noise only
    const init = [
      [0.5, 0.5],
      [-1, 1],
    ];
    expect(Array.from(loaded.sample(2, { steps: 5, init, rng: 9 }).data)).toEqual(Array.from(net.sample(2, { steps: 5, init, rng: 9 }).data));
    // without rng: the model's stream, as before (a twin at the same stream position draws the same)
    const twin = net.clone();
    expect(Array.from(twin.sample(3, { steps: 4 }).data)).toEqual(Array.from(net.sample(3, { steps: 4, rng: net.random }).data));
    expect(twin.random.getState()).toEqual(net.random.getState());
    // validated, before anything is drawn
    const before = net.random.getState();
    expect(() => net.sample(2, { rng: -1 })).toThrow(RangeError);
    expect(() => net.sample(2, { rng: 1.5 })).toThrow(/rng|seed/);
    expect(() => net.sample(2, { rng: 'x' as never })).toThrow(TypeError);
    expect(() => net.sample(2, { rnd: 1 } as never)).toThrow(/rng/);
    expect(net.random.getState()).toEqual(before);
  });
});

function parametricEnergyOf1D() {
  return parametricEnergy({
    dimension: 1,
    parameters: Float64Array.of(1),
    energy: (x, t) => t[0] * x[0] * x[0],
    gradX: (out, x, t) => {
      out[0] = 2 * t[0] * x[0];
    },
    gradTheta: (out, x) => {
      out[0] = x[0] * x[0];
    },
  });
}
