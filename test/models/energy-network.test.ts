import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Matrix, fromArrays } from '../../src/linalg/matrix.js';
import { type Activation, EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';

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
    const doc2 = net.toDocument();
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
