/** Conformance subjects: the general samplers (issue 6), the Ising model and the energy network. */
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import type { EnergyModel } from '../../src/energy/types.js';
import { ShapeError } from '../../src/errors.js';
import { matrix, type Matrix } from '../../src/linalg/matrix.js';
import { symmetrize, zeroDiagonal } from '../../src/linalg/symmetric.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { IsingModel, IsingSampler } from '../../src/models/ising.js';
import { Random } from '../../src/random/random.js';
import { Langevin } from '../../src/samplers/langevin.js';
import { Metropolis } from '../../src/samplers/metropolis.js';
import { ParallelTempering } from '../../src/samplers/tempering.js';
import type { Sampler, SamplerSnapshot } from '../../src/samplers/types.js';
import { EBMTrainer } from '../../src/train/ebm-trainer.js';
import { badMatrices, badVectors, conformance, type Subject } from './suite.js';

const spinModel = (() => {
  const r = new Random(5);
  const w = matrix(6, 6, r.fillNormal(new Float64Array(36)));
  zeroDiagonal(symmetrize(w));
  return new QuadraticEnergy(w, r.fillNormal(new Float64Array(6)), 'spin');
})();

/** A 2-D anisotropic Gaussian energy E(x) = ½ xᵀ A x. */
const gaussian: EnergyModel = {
  dimension: 2,
  domain: 'continuous',
  energy: (x) => 0.5 * (2 * x[0] * x[0] + x[0] * x[1] + x[1] * x[1]),
  gradient: (out, x) => {
    out[0] = 2 * x[0] + 0.5 * x[1];
    out[1] = 0.5 * x[0] + x[1];
    return out;
  },
};

/** Shared subject shape for samplers: save = snapshot, load = restore into a fresh one. */
function samplerSubject<S extends Sampler>(
  name: string,
  make: (seed: number) => S,
  domain: 'spin' | 'real',
  bad: Subject<S>['badConstruction'],
): Subject<S> {
  const d = make(0).dimension;
  return {
    name,
    create: make,
    fingerprint: (s) => JSON.stringify(s.snapshot()),
    badConstruction: bad,
    calls: [
      {
        name: 'setState',
        invoke: (s, x) => s.setState(x as Float64Array),
        valid: () => [new Float64Array(d).fill(domain === 'spin' ? -1 : 0.25)],
        invalid: badVectors('x', d, domain),
      },
      {
        name: 'temperature setter',
        invoke: (s, t) => {
          s.temperature = t as number;
        },
        valid: () => [0.8],
        invalid: [
          { why: 'zero', args: () => [0], error: RangeError, message: /temperature/ },
          { why: 'NaN', args: () => [Number.NaN], error: RangeError, message: /temperature/ },
        ],
      },
    ],
    train: (s) => {
      for (let i = 0; i < 30; i++) s.step();
    },
    save: (s) => JSON.stringify(s.snapshot()),
    load: (str) => {
      const s = make(12345);
      s.restore(JSON.parse(str) as SamplerSnapshot);
      return s;
    },
    outputs: (s) => {
      const out = new Float64Array(d * 8);
      for (let i = 0; i < 8; i++) {
        s.step();
        out.set(s.state, i * d);
      }
      return out;
    },
  };
}

conformance(
  samplerSubject('Metropolis (spins, single flip)', (seed) => new Metropolis(spinModel, { rng: seed, temperature: 1.2 }), 'spin', [
    { why: 'temperature -1', make: () => new Metropolis(spinModel, { temperature: -1 }), error: RangeError, message: /temperature/ },
    { why: 'initial with 0 (not ±1)', make: () => new Metropolis(spinModel, { initial: new Float64Array(6) }), error: RangeError, message: /initial/ },
    { why: 'model not an EnergyModel', make: () => new Metropolis({} as never), error: TypeError, message: /model/ },
    { why: 'unknown option key', make: () => new Metropolis(spinModel, { temprature: 1 } as never), error: TypeError, message: /unknown option 'temprature' \(did you mean 'temperature'\?\)/ },
  ]),
);

conformance(
  samplerSubject('Metropolis (continuous, Gaussian walk)', (seed) => new Metropolis(gaussian, { rng: seed, stepSize: 0.7 }), 'real', [
    { why: 'stepSize 0', make: () => new Metropolis(gaussian, { stepSize: 0 }), error: RangeError, message: /stepSize/ },
    { why: 'initial of wrong length', make: () => new Metropolis(gaussian, { initial: new Float64Array(3) }), error: ShapeError, message: /initial/ },
  ]),
);

conformance(
  samplerSubject('ParallelTempering', (seed) => new ParallelTempering(spinModel, { rng: seed, temperature: 1, tMax: 4, nReplicas: 4 }), 'spin', [
    { why: 'one replica', make: () => new ParallelTempering(spinModel, { nReplicas: 1 }), error: RangeError, message: /nReplicas/ },
    { why: 'decreasing ladder', make: () => new ParallelTempering(spinModel, { temperatures: [2, 1] }), error: RangeError, message: /temperatures/ },
    { why: 'unknown option key', make: () => new ParallelTempering(spinModel, { swapEvry: 2 } as never), error: TypeError, message: /unknown option 'swapEvry' \(did you mean 'swapEvery'\?\)/ },
  ]),
);

conformance(
  samplerSubject('Langevin (MALA)', (seed) => new Langevin(gaussian, { rng: seed, stepSize: 0.3, method: 'mala' }), 'real', [
    { why: 'no gradient', make: () => new Langevin({ ...gaussian, gradient: undefined }), error: TypeError, message: /gradient/ },
    { why: 'stepSize NaN', make: () => new Langevin(gaussian, { stepSize: Number.NaN }), error: RangeError, message: /stepSize/ },
    { why: 'unknown method', make: () => new Langevin(gaussian, { method: 'hmc' as never }), error: RangeError, message: /method/ },
    { why: 'unknown option key', make: () => new Langevin(gaussian, { stepsize: 0.1 } as never), error: TypeError, message: /unknown option 'stepsize' \(did you mean 'stepSize'\?\)/ },
  ]),
);

const ising = new IsingModel(4, { J: 1, H: 0.1 });
conformance(
  samplerSubject('IsingSampler', (seed) => new IsingSampler(ising, { rng: seed, temperature: 2.3, order: 'checkerboard' }), 'spin', [
    { why: 'L = 1', make: () => new IsingModel(1), error: RangeError, message: /L/ },
    { why: 'J NaN', make: () => new IsingModel(4, { J: Number.NaN }), error: RangeError, message: /J/ },
    { why: 'unknown update', make: () => new IsingSampler(ising, { update: 'wolff' as never }), error: RangeError, message: /update/ },
    { why: 'unknown option key', make: () => new IsingSampler(ising, { oder: 'sequential' } as never), error: TypeError, message: /unknown option 'oder' \(did you mean 'order'\?\)/ },
  ]),
);

// ---------------------------------------------------------------- Energy network trained by contrastive divergence
function points(n: number, seed: number): Matrix {
  const r = new Random(seed);
  return matrix(n, 2, r.fillNormal(new Float64Array(2 * n), 0.5, 0.3));
}

conformance<{ net: EnergyNetwork; trainer: EBMTrainer }>({
  name: 'EnergyNetwork + EBMTrainer',
  create: (seed) => {
    const net = new EnergyNetwork(2, { hidden: [8, 8], activation: 'swish', rng: seed });
    return { net, trainer: new EBMTrainer(net, { rng: seed + 1, langevinSteps: 5, bufferSize: 50, learningRate: 0.01 }) };
  },
  fingerprint: (m) => JSON.stringify(m.net.toDocument()) + JSON.stringify(m.trainer.getState()),
  badConstruction: [
    { why: 'inputDim 0', make: () => new EnergyNetwork(0), error: RangeError, message: /inputDim/ },
    { why: 'hidden layer of size 0', make: () => new EnergyNetwork(2, { hidden: [0] }), error: RangeError, message: /hidden/ },
    { why: 'unknown activation', make: () => new EnergyNetwork(2, { activation: 'relu' as never }), error: RangeError, message: /activation/ },
    { why: 'learningRate -1', make: () => new EBMTrainer(new EnergyNetwork(2), { learningRate: -1 }), error: RangeError, message: /learningRate/ },
    { why: 'unknown network option', make: () => new EnergyNetwork(2, { activations: 'tanh' } as never), error: TypeError, message: /unknown option 'activations' \(did you mean 'activation'\?\)/ },
    { why: 'unknown trainer option', make: () => new EBMTrainer(new EnergyNetwork(2), { step_size: 0.1 } as never), error: TypeError, message: /unknown option 'step_size' \(did you mean 'stepSize'\?\)/ },
  ],
  calls: [
    {
      name: 'trainer.step',
      invoke: (m, b) => m.trainer.step(b as Matrix),
      valid: () => [points(6, 3)],
      invalid: badMatrices('batch', 2, 'real'),
    },
    {
      name: 'net.energy',
      invoke: (m, x) => m.net.energy(x as Float64Array),
      valid: () => [Float64Array.of(0.1, 0.2)],
      invalid: badVectors('x', 2, 'real'),
    },
    {
      name: 'net.setParameters',
      invoke: (m, t) => m.net.setParameters(t as Float64Array),
      valid: (m) => [m.net.getParameters()],
      invalid: [
        { why: 'wrong length', args: (m) => [new Float64Array(m.net.nParameters + 1)], error: RangeError, message: /theta/ },
        { why: 'NaN', args: (m) => [new Float64Array(m.net.nParameters).fill(Number.NaN)], error: RangeError, message: /theta/ },
      ],
    },
  ],
  train: (m, seed) => {
    for (let i = 0; i < 3; i++) m.trainer.step(points(8, seed + i));
  },
  save: (m) => JSON.stringify(m.net.toDocument()),
  load: (s) => {
    const net = EnergyNetwork.fromDocument(JSON.parse(s));
    return { net, trainer: new EBMTrainer(net, { rng: 1 }) };
  },
  outputs: (m) => m.net.energies(new Float64Array(5), points(5, 99)),
});
