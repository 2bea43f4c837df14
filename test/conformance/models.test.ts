/** Conformance subjects: every model, listed once. */
import { ShapeError } from '../../src/errors.js';
import { fromArrays, type Matrix, matrix } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { ExpandedHopfieldNetwork } from '../../src/models/expanded-hopfield-network.js';
import { Random } from '../../src/random/random.js';
import { BoltzmannMachineTrainer } from '../../src/train/boltzmann-machine-trainer.js';
import { trainHopfieldContrastive } from '../../src/train/train-hopfield-contrastive.js';
import { badMatrices, badVectors, conformance } from './suite.js';

function spinPatterns(p: number, n: number, seed: number): Matrix {
  const r = new Random(seed);
  return matrix(p, n, Float64Array.from({ length: p * n }, () => (r.float64() < 0.5 ? -1 : 1)));
}

function binaryData(p: number, n: number, seed: number): Matrix {
  const r = new Random(seed);
  return matrix(p, n, Float64Array.from({ length: p * n }, () => (r.float64() < 0.4 ? 1 : 0)));
}

const docString = (d: unknown) => JSON.stringify(d);

// ---------------------------------------------------------------- Hopfield
const N = 16;
conformance<HopfieldNetwork>({
  name: 'HopfieldNetwork',
  create: (seed) => {
    const net = new HopfieldNetwork(N, { rng: seed });
    net.fit(spinPatterns(3, N, seed), { rule: 'hebbian' });
    return net;
  },
  fingerprint: (m) => docString(m.toDocument()),
  badConstruction: [
    { why: 'asymmetric weights', make: () => HopfieldNetwork.fromWeights(fromArrays([[0, 1], [2, 0]])), error: RangeError, message: /symmetric/ },
    { why: 'non-square weights', make: () => HopfieldNetwork.fromWeights(matrix(2, 3)), error: ShapeError, message: /weights/ },
    { why: 'NaN weight', make: () => HopfieldNetwork.fromWeights(fromArrays([[0, Number.NaN], [Number.NaN, 0]])), error: RangeError, message: /weights/ },
    { why: 'bias of wrong length', make: () => HopfieldNetwork.fromWeights(matrix(2, 2), new Float64Array(3)), error: ShapeError, message: /bias/ },
    { why: 'zero units', make: () => new HopfieldNetwork(0), error: RangeError, message: /\bn\b/ },
    { why: 'unknown constructor option', make: () => new HopfieldNetwork(3, { temprature: 1 } as never), error: TypeError, message: /temprature/ },
    { why: '0/1 patterns without the binary option', make: () => new HopfieldNetwork(3).fit(fromArrays([[0, 1, 1]])), error: RangeError, message: /patterns/ },
    { why: 'unknown rule', make: () => new HopfieldNetwork(4).fit(spinPatterns(2, 4, 1), { rule: 'oja' as never }), error: RangeError, message: /rule/ },
  ],
  calls: [
    { name: 'energy', invoke: (m, y) => m.energy(y as Float64Array), valid: () => [new Float64Array(N).fill(1)], invalid: badVectors('y', N, 'spin') },
    {
      name: 'evolve',
      invoke: (m, y, o) => m.evolve(y as Float64Array, o as never),
      valid: () => [new Float64Array(N).fill(-1), { maxSweeps: 20 }],
      invalid: [
        ...badVectors<HopfieldNetwork>('cue', N, 'spin', (v) => [v]),
        { why: 'maxSweeps 0', args: () => [new Float64Array(N).fill(1), { maxSweeps: 0 }], error: RangeError, message: /maxSweeps/ },
        { why: 'unknown mode', args: () => [new Float64Array(N).fill(1), { mode: 'chaotic' }], error: RangeError, message: /mode/ },
      ],
    },
    {
      name: 'sampleRecall',
      invoke: (m, y, o) => m.sampleRecall(y as Float64Array, o as never),
      valid: () => [new Float64Array(N).fill(1), { temperature: 0.5, sweeps: 5, rng: 3 }],
      invalid: [
        ...badVectors<HopfieldNetwork>('cue', N, 'spin', (v) => [v, { rng: 1 }]),
        { why: 'temperature 0', args: () => [new Float64Array(N).fill(1), { temperature: 0 }], error: RangeError, message: /temperature/ },
      ],
    },
    {
      name: 'trainHopfieldContrastive',
      invoke: (m, p, o) => trainHopfieldContrastive(m, p as Matrix, o as never),
      valid: () => [spinPatterns(3, N, 5), { epochs: 2, rng: 1 }],
      invalid: [
        ...badMatrices<HopfieldNetwork>('patterns', N, 'spin', (v) => [v, { epochs: 1, rng: 1 }]),
        { why: 'learning rate NaN', args: () => [spinPatterns(3, N, 5), { learningRate: Number.NaN }], error: RangeError, message: /learningRate/ },
        { why: 'negative epochs', args: () => [spinPatterns(3, N, 5), { epochs: -1 }], error: RangeError, message: /epochs/ },
      ],
    },
  ],
  train: (m, seed) => {
    trainHopfieldContrastive(m, spinPatterns(3, N, seed), { epochs: 3, variant: 'random-starts', rng: seed });
  },
  save: (m) => docString(m.toDocument()),
  load: (s) => HopfieldNetwork.fromDocument(JSON.parse(s)),
  outputs: (m) => {
    const cue = spinPatterns(1, N, 42).data;
    const r = m.evolve(cue, { maxSweeps: 50 });
    return Float64Array.from([...r.state, m.energy(r.state), ...m.localFields(new Float64Array(N), cue)]);
  },
});

// ---------------------------------------------------------------- Boltzmann machine
const NV = 5;
conformance<BoltzmannMachine>({
  name: 'BoltzmannMachine',
  create: (seed) => new BoltzmannMachine(NV, 3, { nLabels: 2, rng: seed }),
  fingerprint: (m) => docString(m.toDocument()),
  badConstruction: [
    { why: 'nVisible 0', make: () => new BoltzmannMachine(0), error: RangeError, message: /nVisible/ },
    { why: 'nHidden fractional', make: () => new BoltzmannMachine(2, 1.5), error: RangeError, message: /nHidden/ },
    { why: 'one label unit', make: () => new BoltzmannMachine(2, 0, { nLabels: 1 }), error: RangeError, message: /nLabels/ },
    { why: 'temperature -1', make: () => new BoltzmannMachine(2, 0, { temperature: -1 }), error: RangeError, message: /temperature/ },
    { why: 'options not an object', make: () => new BoltzmannMachine(3, 0, 3 as never), error: TypeError, message: /options/ },
    { why: 'unknown option', make: () => new BoltzmannMachine(3, 0, { nLabel: 2 } as never), error: TypeError, message: /did you mean 'nLabels'/ },
  ],
  calls: [
    {
      name: 'energy',
      invoke: (m, s) => m.energy(s as Float64Array),
      valid: () => [Float64Array.of(1, 0, 1, 0, 1, 0, 1, 1, 1, 0)],
      invalid: badVectors('state', NV + 3 + 2, 'binary'),
    },
    {
      name: 'exactLogLikelihood',
      invoke: (m, d, l) => m.exactLogLikelihood(d as Matrix, { labels: l as number[] }),
      valid: () => [binaryData(4, NV, 3), [0, 1, 1, 0]],
      invalid: [
        ...badMatrices<BoltzmannMachine>('data', NV, 'binary', (v) => [v, [0, 1, 1]]),
        { why: 'label out of range', args: () => [binaryData(2, NV, 3), [0, 2]], error: RangeError, message: /label/ },
      ],
    },
    {
      name: 'classProbabilities',
      invoke: (m, d) => m.classProbabilities(d as Matrix),
      valid: () => [binaryData(3, NV, 4)],
      invalid: badMatrices('data', NV, 'binary'),
    },
    {
      name: 'trainer.step',
      invoke: (m, d, l) => new BoltzmannMachineTrainer(m, { freeSamples: 20, clampedSamples: 2, rng: 1 }).step(d as Matrix, { labels: l as number[] }),
      valid: () => [binaryData(4, NV, 5), [1, 0, 0, 1]],
      invalid: [
        ...badMatrices<BoltzmannMachine>('data', NV, 'binary', (v) => [v, [0, 1, 1]]),
        { why: 'labels of wrong length', args: () => [binaryData(4, NV, 5), [0, 1]], error: RangeError, message: /labels/ },
      ],
    },
    {
      name: 'partialFit',
      invoke: (m, d, l) => m.partialFit(d as number[][], { labels: l as number[], freeSamples: 20, clampedSamples: 2 }),
      valid: () => [[[1, 0, 1, 0, 1], [0, 1, 1, 0, 0]], [1, 0]],
      invalid: [
        ...badMatrices<BoltzmannMachine>('data', NV, 'binary', (v) => [v, [0, 1, 1]]),
        { why: 'labels of wrong length', args: () => [binaryData(4, NV, 5), [0, 1]], error: RangeError, message: /labels/ },
      ],
    },
  ],
  train: (m, seed) => {
    const t = new BoltzmannMachineTrainer(m, { freeSamples: 20, clampedSamples: 2, persistent: true, learningRate: 0.1 });
    const data = binaryData(6, NV, seed);
    for (let e = 0; e < 2; e++) t.trainEpoch(data, { labels: [0, 1, 0, 1, 1, 0] });
  },
  save: (m) => docString(m.toDocument()),
  load: (s) => BoltzmannMachine.fromDocument(JSON.parse(s)),
  outputs: (m) => {
    const d = binaryData(3, NV, 77);
    return Float64Array.from([...m.classProbabilities(d).data, m.logPartition(), ...m.sample(4, { chains: 2, steps: 3 }).data]);
  },
});

// ---------------------------------------------------------------- Hopfield network with hidden units
const NVIS = 10;
conformance<ExpandedHopfieldNetwork>({
  name: 'ExpandedHopfieldNetwork',
  create: (seed) => {
    const net = new ExpandedHopfieldNetwork(NVIS, 6, { rng: seed });
    net.fit(spinPatterns(4, NVIS, seed), { rule: 'pseudo-inverse' });
    return net;
  },
  fingerprint: (m) => docString(m.toDocument()),
  badConstruction: [
    { why: 'nHidden negative', make: () => new ExpandedHopfieldNetwork(4, -1), error: RangeError, message: /nHidden/ },
    { why: 'patterns with 0.5', make: () => new ExpandedHopfieldNetwork(3, 2).fit(fromArrays([[1, 0.5, -1]])), error: RangeError, message: /patterns/ },
    { why: 'unknown rule', make: () => new ExpandedHopfieldNetwork(4, 2).fit(spinPatterns(2, 4, 1), { rule: 'oja' as never }), error: RangeError, message: /rule/ },
  ],
  calls: [
    {
      name: 'recall',
      invoke: (m, cue, o) => m.recall(cue as Float64Array, o as never),
      valid: () => [spinPatterns(1, NVIS, 3).data, { rng: 1, maxSweeps: 30 }],
      invalid: [
        ...badVectors<ExpandedHopfieldNetwork>('cue', NVIS, 'spin', (v) => [v, { rng: 1 }]),
        { why: 'hiddenInit of wrong length', args: () => [spinPatterns(1, NVIS, 3).data, { hiddenInit: new Float64Array(2).fill(1), rng: 1 }], error: RangeError, message: /hiddenInit/ },
      ],
    },
  ],
  // Storage is the training; recall with a seeded generator must not change the network.
  train: (m, seed) => {
    m.recall(spinPatterns(1, NVIS, seed).data, { rng: seed, maxSweeps: 30 });
  },
  save: (m) => docString(m.toDocument()),
  load: (s) => ExpandedHopfieldNetwork.fromDocument(JSON.parse(s)),
  outputs: (m) => Float64Array.from(m.recall(spinPatterns(1, NVIS, 5).data, { rng: 9, maxSweeps: 30 }).state),
});
