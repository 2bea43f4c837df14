/**
 * Hostile arguments to the training, scoring and loading calls of the Boltzmann machines, RBMs,
 * deep stacks, parametric energies and their trainers: each gets the library's own typed error
 * (`where: name must be … (got …)`, never the engine's TypeError or RangeError), thrown before
 * anything changes — the model's parameters, its generator and its kept trainer are as they
 * were, so a later call draws the same numbers as an untouched twin.
 *
 * Every case here failed before the fix it names: with an engine error (`Cannot mix BigInt and
 * other types`, `Cannot convert object to primitive value`, `o.onEpoch is not a function`,
 * `Invalid typed array length`), after a first epoch had updated the parameters, after the
 * model's generator had been split, or by accepting the value silently.
 */
import { describe, expect, it } from 'vitest';
import {
  aisSchedule,
  annealedImportanceSampling,
  averageLogLikelihood,
  BoltzmannMachine,
  BoltzmannMachineTrainer,
  DBM,
  DBMTrainer,
  DBN,
  DenoisingScoreMatchingTrainer,
  dbmAIS,
  dbmVariationalBound,
  drawProjections,
  EBMTrainer,
  type EnergyModel,
  EnergyNetwork,
  FormatError,
  GaussianEnergy,
  HopfieldNetwork,
  LogisticRegression,
  Metropolis,
  NoiseContrastiveTrainer,
  NoiseDensity,
  pretrainDBM,
  Random,
  RBM,
  RBMTrainer,
  rbmAIS,
  ScaledRBM,
  ScoreMatchingTrainer,
  SlicedScoreMatchingTrainer,
  trainHopfieldContrastive,
} from '../../src/index.js';
import { expectLibraryError } from './library-error.js';

const json = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
type ErrorClass = new (...args: never[]) => Error;

/** The error `f` throws (the test fails when it throws none). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

/**
 * `call` on a fresh model throws the library's `type` naming `fragment`, and leaves the model as
 * it was: its `state` is unchanged, and `after` (a later call that draws from the model's
 * generator) gives what it gives on an untouched twin.
 */
function refuses<M>(make: () => M, state: (m: M) => string, call: (m: M) => unknown, type: ErrorClass, fragment: RegExp, after: (m: M) => unknown): void {
  const m = make(), twin = make();
  const before = state(m);
  const e = thrown(() => call(m));
  expectLibraryError(e);
  expect(e).toBeInstanceOf(type);
  expect(e.message).toMatch(fragment);
  expect(state(m)).toBe(before);
  expect(json(after(m))).toBe(json(after(twin)));
}

/** A refused call that has no model to change (a loader, a constructor, a free function). */
function rejects(call: () => unknown, type: ErrorClass, fragment: RegExp): void {
  const e = thrown(call);
  expectLibraryError(e);
  expect(e).toBeInstanceOf(type);
  expect(e.message).toMatch(fragment);
}

const bits = [
  [1, 0, 1, 0],
  [0, 1, 0, 1],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
];
const points = [
  [0, 0.5],
  [1, -0.5],
  [0.3, 0.2],
  [-0.4, 0.9],
  [0.1, -0.2],
  [0.7, 0.7],
];
const hostile = () => ({ toString: 1 });

// states
const rbmState = (m: RBM): string => json([m.toDocument(), m.random.getState(), m.lastTrainer?.toDocument()]);
const bmState = (m: BoltzmannMachine): string => json([m.toDocument(), m.random.getState(), (m as unknown as { trainer?: BoltzmannMachineTrainer }).trainer?.toDocument()]);
const dbmState = (m: DBM): string => json([m.toDocument(), m.random.getState(), (m as unknown as { trainer?: DBMTrainer }).trainer?.toDocument()]);
const dbnState = (m: DBN): string => json([m.toDocument(), m.random.getState()]);
const netState = (m: EnergyNetwork): string => json([m.toDocument(), m.random.getState()]);
const gaussState = (m: GaussianEnergy): string => json([m.toDocument(), m.random.getState()]);

// models
const rbm = (): RBM => new RBM(4, 2, { rng: 1 });
const bm = (): BoltzmannMachine => new BoltzmannMachine(4, 1, { rng: 1 });
const dbm = (): DBM => new DBM([4, 3, 2], { rng: 1 });
const dbn = (): DBN => new DBN([4, 3, 2], { rng: 1 });
const net = (): EnergyNetwork => new EnergyNetwork(2, { hidden: [3], rng: 1 });
const gauss = (): GaussianEnergy => new GaussianEnergy(2, { rng: 1 });

// later calls that draw from the model's generator
const rbmNext = (m: RBM): unknown => [m.sample(2, { steps: 2 }), m.fit(bits, { epochs: 1, batchSize: 2, method: 'cd' }).epochs, m.toDocument()];
const bmNext = (m: BoltzmannMachine): unknown => [m.sample(2, { steps: 2 }), m.toDocument()];
const dbmNext = (m: DBM): unknown => m.sample(2, { steps: 2 });
const dbnNext = (m: DBN): unknown => m.sample(2, { steps: 2 });
const netNext = (m: EnergyNetwork): unknown => [m.sample(2, { steps: 2 }), m.fit(points, { method: 'sliced-score-matching', batchSize: 3 }).history[0]?.loss, m.getParameters()];
const gaussNext = (m: GaussianEnergy): unknown => [m.sample(2), m.mean, m.precision];

describe('error messages print hostile values with describeValue (defect 1)', () => {
  it('BoltzmannMachine.fromDocument: config.nHidden {toString: 1} or a null-prototype object (was: Cannot convert object to primitive value)', () => {
    for (const bad of [hostile(), Object.create(null) as unknown, Symbol('x')]) {
      const doc = JSON.parse(JSON.stringify(bm().toDocument()));
      doc.config.nHidden = bad;
      rejects(() => BoltzmannMachine.fromDocument(doc), FormatError, /config\.nHidden must be an integer/);
    }
    const doc = JSON.parse(JSON.stringify(bm().toDocument()));
    doc.config.units = 1n; // was: "Do not know how to serialize a BigInt"
    rejects(() => BoltzmannMachine.fromDocument(doc), FormatError, /config\.units must be 'binary' or 'spin' \(got 1n?\)/);
  });

  it('ScaledRBM.fromDocument: config.upScale {toString: 1} (was: Cannot convert object to primitive value)', () => {
    const doc = JSON.parse(JSON.stringify(new ScaledRBM(3, 2, { upScale: 2 }).toDocument()));
    doc.config.upScale = Object.create(null);
    rejects(() => ScaledRBM.fromDocument(doc), FormatError, /config\.upScale must be a positive finite number \(got object\)/);
  });

  it('dbmAIS: sumOut {toString: 1} (was: Cannot convert object to primitive value)', () => {
    refuses(dbm, dbmState, (m) => dbmAIS(m, { runs: 2, betas: aisSchedule(2, 2, 2), sumOut: hostile() as never }), TypeError, /sumOut must be 'odd' or 'even' \(got object\)/, dbmNext);
  });

  it('EnergyNetwork.partialFit: a fixed sampler whose toString is not callable (was: Cannot convert object to primitive value)', () => {
    const factory = (model: EnergyModel, rng: Random): Metropolis => new Metropolis(model, { stepSize: 0.1, rng });
    Object.defineProperty(factory, 'toString', { value: 1 });
    const make = (): EnergyNetwork => {
      const m = net();
      m.fit(points, { sampler: factory, langevinSteps: 1, bufferSize: 4, batchSize: 3 });
      return m;
    };
    // the kept trainer's sampler is that factory: a call asking for another one is refused, naming it
    refuses(make, netState, (m) => m.partialFit(points, { sampler: 'langevin' }), RangeError, /sampler is fixed by the trainer .* \(it has function\)/, netNext);
  });
});

describe('callbacks and signals are checked before the first epoch (defect 2)', () => {
  it('ScoreMatchingTrainer on a network: onEpoch 5 (was: o.onEpoch is not a function, after the first epoch updated the parameters)', () => {
    refuses(net, netState, (m) => new ScoreMatchingTrainer(m).fit(points, { batchSize: 3, onEpoch: 5 as never }), TypeError, /ScoreMatchingTrainer\.fit: onEpoch must be a function \(got 5\)/, netNext);
  });

  it('EnergyNetwork.fit with the NCE and denoising estimators: onEpoch 5, signal "stop"', () => {
    refuses(net, netState, (m) => m.fit(points, { method: 'nce', batchSize: 3, onEpoch: 5 as never }), TypeError, /onEpoch must be a function/, netNext);
    refuses(net, netState, (m) => m.fit(points, { method: 'denoising-score-matching', batchSize: 3, signal: 'stop' as never }), TypeError, /signal must be an AbortSignal \(got "stop"\)/, netNext);
    refuses(net, netState, (m) => new SlicedScoreMatchingTrainer(m).fit(points, { batchSize: 3, signal: {} as never }), TypeError, /signal must be an AbortSignal/, netNext);
  });

  it('the Gaussian (Newton) estimators: onEpoch 5 and signal 1n (was: o.onEpoch is not a function; the signal was ignored)', () => {
    refuses(gauss, gaussState, (m) => new NoiseContrastiveTrainer(m).fit(points, { rng: 1, onEpoch: 5 as never }), TypeError, /NoiseContrastiveTrainer\.fit: onEpoch must be a function/, gaussNext);
    refuses(gauss, gaussState, (m) => new DenoisingScoreMatchingTrainer(m).fit(points, { onEpoch: [] as never }), TypeError, /onEpoch must be a function \(got Array\(0\)\)/, gaussNext);
    refuses(gauss, gaussState, (m) => m.fit(points, { method: 'score-matching', signal: 1n as never }), TypeError, /signal must be an AbortSignal \(got 1n?\)/, gaussNext);
    refuses(gauss, gaussState, (m) => m.fit(points, { method: 'sliced-score-matching', onEpoch: 'log' as never }), TypeError, /onEpoch must be a function/, gaussNext);
  });

  it('rbmAIS, RBMTrainer.runEpoch, DBM.fit, DBMTrainer.fit, DBN.fit: a signal that is not an AbortSignal (was: ignored)', () => {
    refuses(rbm, rbmState, (m) => rbmAIS(m, { runs: 2, betas: aisSchedule(2, 2, 2), signal: {} as never }), TypeError, /rbmAIS: signal must be an AbortSignal/, rbmNext);
    const t = new RBMTrainer(rbm(), { batchSize: 2, rng: 3 }), twin = new RBMTrainer(rbm(), { batchSize: 2, rng: 3 });
    const before = json(t.toDocument());
    rejects(() => t.runEpoch(bits, 'abort' as never), TypeError, /RBMTrainer\.runEpoch: signal must be an AbortSignal/);
    expect(json(t.toDocument())).toBe(before);
    t.runEpoch(bits);
    twin.runEpoch(bits);
    expect(json(t.toDocument())).toBe(json(twin.toDocument()));
    refuses(dbm, dbmState, (m) => m.fit(bits, { epochs: 1, pretrain: false, batchSize: 2, nChains: 2, signal: 5 as never }), TypeError, /DBM\.fit: signal must be an AbortSignal/, dbmNext);
    refuses(dbn, dbnState, (m) => m.fit(bits, { epochs: 1, batchSize: 2, signal: Symbol('x') as never }), TypeError, /DBN\.fit: signal must be an AbortSignal/, dbnNext);
    const dt = new DBMTrainer(dbm(), { batchSize: 2, nChains: 2, rng: 1 });
    const dtBefore = json(dt.toDocument());
    rejects(() => dt.fit(bits, { epochs: 1, signal: 'x' as never }), TypeError, /DBMTrainer\.fit: signal must be an AbortSignal/);
    expect(json(dt.toDocument())).toBe(dtBefore);
  });

  it('pretrainDBM: a bad signal is refused before the generator is split (was: refused by the first RBM trainer, after the split)', () => {
    refuses(dbm, dbmState, (m) => pretrainDBM(m, bits, { epochs: 1, signal: 'x' as never }), TypeError, /pretrainDBM: signal must be an AbortSignal/, dbmNext);
  });

  it('BoltzmannMachine.anneal: onStage 5 (was: o.onStage is not a function, after the chain split the generator)', () => {
    refuses(bm, bmState, (m) => m.anneal({ onStage: 5 as never }), TypeError, /BoltzmannMachine\.anneal: onStage must be a function \(got 5\)/, bmNext);
    refuses(bm, bmState, (m) => m.anneal({ sweepsPerTemperature: -1 }), RangeError, /sweepsPerTemperature/, bmNext);
  });

  it('trainHopfieldContrastive: onEpoch and threads (was: threads {toString: 1} reached the kernel)', () => {
    const make = () => new HopfieldNetwork(4, { rng: 1 } as never);
    const state = (m: HopfieldNetwork) => json([m.weights, m.bias, m.random.getState()]);
    const pats = [
      [1, -1, 1, -1],
      [1, 1, -1, -1],
    ];
    refuses(make, state, (m) => trainHopfieldContrastive(m, pats, { onEpoch: 5 as never }), TypeError, /onEpoch must be a function \(got 5\)/, (m) => trainHopfieldContrastive(m, pats, { epochs: 2, variant: 'random-starts' }).epochs);
    refuses(make, state, (m) => trainHopfieldContrastive(m, pats, { threads: hostile() as never }), TypeError, /threads must be an integer/, state);
  });
});

describe('BoltzmannMachine.fit and partialFit check every option before they split the generator (defect 3)', () => {
  it('fit and partialFit with a bad trainer option leave the generator where it was', () => {
    refuses(bm, bmState, (m) => m.fit(bits, { learningRate: -1 }), RangeError, /BoltzmannMachine\.fit: learningRate must be a positive finite number \(got -1\)/, bmNext);
    refuses(bm, bmState, (m) => m.partialFit(bits, { freeSamples: 3, freeChains: 2 }), RangeError, /freeSamples must be a multiple of freeChains/, bmNext);
    refuses(bm, bmState, (m) => m.fit(bits, { persistent: 'yes' as never }), TypeError, /persistent must be a boolean \(got "yes"\)/, bmNext);
    refuses(bm, bmState, (m) => m.fit(bits, { epochs: 1, onEpoch: 5 as never }), TypeError, /BoltzmannMachine\.fit: onEpoch must be a function/, bmNext);
  });

  it('score, sample and createChain refuse a run or chain count beyond the generator streams, and a bad initial state, before drawing', () => {
    refuses(bm, bmState, (m) => m.score(bits, { method: 'ais', aisRuns: 2 ** 21, aisBetas: 10 }), RangeError, /aisRuns must be an integer in \[1, 1048576\]/, bmNext);
    refuses(bm, bmState, (m) => m.sample(2 ** 21, { steps: 0 }), RangeError, /chains \(default n\) must be at most 1048576/, bmNext);
    refuses(bm, bmState, (m) => m.createChain({ initial: Float64Array.of(1, 0, 0.5, 0, 1) }), RangeError, /initial must contain only 0\/1 values/, bmNext);
    refuses(bm, bmState, (m) => m.complete(Float64Array.of(1, 0, 0, 0), Uint8Array.of(1, 0, 0, 0), { schedule: 5 as never }), TypeError, /schedule must be a function/, bmNext);
  });

  it('BoltzmannMachineTrainer.fromDocument: overrides that are not options, and options that are not numbers', () => {
    const doc = JSON.parse(JSON.stringify(new BoltzmannMachineTrainer(bm(), { rng: 1 }).toDocument()));
    rejects(() => BoltzmannMachineTrainer.fromDocument(doc, Symbol('x') as never), TypeError, /overrides must be an object/);
    rejects(() => BoltzmannMachineTrainer.fromDocument(doc, { learning_rate: 0.1 } as never), TypeError, /did you mean 'learningRate'/);
    doc.state.training.options.freeSamples = '3';
    rejects(() => BoltzmannMachineTrainer.fromDocument(doc), FormatError, /options\.freeSamples is missing or malformed/);
  });
});

describe('sizes from input are checked against LIMITS before anything is allocated (defect 4)', () => {
  it('AIS runs: rbmAIS, RBM.score, dbmAIS, DBM.score (was: Invalid typed array length)', () => {
    refuses(rbm, rbmState, (m) => rbmAIS(m, { runs: 2 ** 31, betas: aisSchedule(2, 2, 2) }), RangeError, /rbmAIS: runs must be at most 268435456 \(LIMITS\.maxElements\)/, rbmNext);
    refuses(rbm, rbmState, (m) => m.score(bits, { method: 'ais', aisRuns: 2 ** 31 }), RangeError, /RBM\.score: aisRuns must be at most 268435456/, rbmNext);
    refuses(rbm, rbmState, (m) => m.score(bits, { method: 'ais', aisRuns: 2 ** 27 }), RangeError, /aisRuns × \(nVisible \+ nHidden\) must be at most 268435456 elements/, rbmNext);
    refuses(dbm, dbmState, (m) => dbmAIS(m, { runs: 2 ** 31, betas: aisSchedule(2, 2, 2) }), RangeError, /dbmAIS: runs must be at most 268435456/, dbmNext);
    refuses(dbm, dbmState, (m) => m.score(bits, { method: 'bound', aisRuns: 2 ** 31, aisBetas: 10 }), RangeError, /DBM\.score: aisRuns must be at most/, dbmNext);
  });

  it('DBN.score boundSamples (was: Invalid typed array length)', () => {
    refuses(dbn, dbnState, (m) => m.score(bits, { method: 'bound', boundSamples: 2 ** 31 }), RangeError, /boundSamples must be at most 268435456/, dbnNext);
    refuses(dbn, dbnState, (m) => m.score(bits, { method: 'bound', boundSamples: 2 ** 26 }), RangeError, /rows × boundSamples × \(widest layer\) must be at most/, dbnNext);
  });

  it('EnergyNetwork.score gridSize (was: a hang or Invalid typed array length)', () => {
    refuses(net, netState, (m) => m.score([[0, 0]], { gridSize: 2 ** 31 }), RangeError, /gridSize must be at most 268435456/, netNext);
    refuses(net, netState, (m) => m.score([[0, 0]], { gridSize: 2 ** 16 }), RangeError, /\(gridSize \+ 1\)² \(the quadrature nodes\) must be at most/, netNext);
  });

  it('EBMTrainer bufferSize (also from a document) and sample(n) (was: Array buffer allocation failed)', () => {
    refuses(net, netState, (m) => new EBMTrainer(m, { bufferSize: 2 ** 31 }), RangeError, /EBMTrainer: bufferSize must be at most 268435456/, netNext);
    refuses(net, netState, (m) => m.fit(points, { bufferSize: 2 ** 28, langevinSteps: 1 }), RangeError, /bufferSize × dimension must be at most 268435456 elements/, netNext);
    const doc = JSON.parse(JSON.stringify(new EBMTrainer(net(), { bufferSize: 4, rng: 1 }).toDocument()));
    doc.state.training.options.bufferSize = 2 ** 31;
    rejects(() => EBMTrainer.fromDocument(doc, EnergyNetwork.fromDocument), FormatError, /bufferSize must be at most 268435456/);
    const t = new EBMTrainer(net(), { bufferSize: 4, rng: 1 });
    const before = json(t.toDocument());
    rejects(() => t.sample(2 ** 31), RangeError, /EBMTrainer\.sample: n must be at most 268435456/);
    rejects(() => t.sample(2 ** 28), RangeError, /n × dimension must be at most/);
    expect(json(t.toDocument())).toBe(before);
  });

  it('LogisticRegression sizes (was: Array buffer allocation failed)', () => {
    rejects(() => new LogisticRegression(2 ** 31, 2), RangeError, /nFeatures must be at most 268435456/);
    rejects(() => new LogisticRegression(2 ** 16, 2 ** 16), RangeError, /nFeatures × nClasses must be at most/);
    // a batch larger than the data holds only the rows there are: the same updates as one whole batch
    const a = new LogisticRegression(2, 2), b = new LogisticRegression(2, 2);
    const y = [0, 1, 0, 1, 0, 1];
    a.fit(points, y, { epochs: 2, batchSize: 2 ** 27, rng: 1 });
    b.fit(points, y, { epochs: 2, batchSize: 6, rng: 1 });
    expect(json([a.weights, a.bias])).toBe(json([b.weights, b.bias]));
  });

  it('noiseDraws, nProjections and noiseRatio of the estimators (was: Invalid typed array length)', () => {
    refuses(net, netState, (m) => m.fit(points, { method: 'denoising-score-matching', batchSize: 3, noiseDraws: 2 ** 31 }), RangeError, /noiseDraws × dimension \(the noise draws\) must be at most/, netNext);
    refuses(net, netState, (m) => m.fit(points, { method: 'sliced-score-matching', batchSize: 3, nProjections: 2 ** 31 }), RangeError, /nProjections × dimension \(the projections\) must be at most/, netNext);
    refuses(net, netState, (m) => m.fit(points, { method: 'nce', batchSize: 3, noiseRatio: 2 ** 31 }), RangeError, /noiseRatio × rows × dimension \(the noise samples\) must be at most/, netNext);
    refuses(gauss, gaussState, (m) => m.fit(points, { method: 'denoising-score-matching', noiseDraws: 2 ** 31 }), RangeError, /noiseDraws/, gaussNext);
    refuses(gauss, gaussState, (m) => m.fit(points, { method: 'sliced-score-matching', nProjections: 2 ** 31 }), RangeError, /nProjections/, gaussNext);
    refuses(gauss, gaussState, (m) => m.fit(points, { method: 'nce', noiseRatio: 2 ** 31 }), RangeError, /noiseRatio/, gaussNext);
  });

  it('trainHopfieldContrastive starts (was: Invalid typed array length)', () => {
    const m = new HopfieldNetwork(4, { rng: 1 } as never);
    rejects(() => trainHopfieldContrastive(m, [[1, -1, 1, -1]], { variant: 'random-starts', starts: 2 ** 31 }), RangeError, /starts must be at most 268435456/);
  });
});

describe('option types are checked before any arithmetic on them (defect 5)', () => {
  it('RBM.fit batchSize 3n (was: Cannot mix BigInt and other types, in the recipe)', () => {
    refuses(rbm, rbmState, (m) => m.fit(bits, { batchSize: 3n as never }), TypeError, /RBM\.fit: batchSize must be a positive integer \(got 3n?\)/, rbmNext);
    refuses(rbm, rbmState, (m) => m.fit(bits, { batchSize: hostile() as never }), TypeError, /batchSize must be a positive integer \(got object\)/, rbmNext);
  });

  it('RBM.fit learningRate "0.1" or null (was: silently replaced by the recipe rate)', () => {
    refuses(rbm, rbmState, (m) => m.fit(bits, { learningRate: '0.1' as never }), TypeError, /RBM\.fit: learningRate must be a finite number \(got "0\.1"\)/, rbmNext);
    refuses(rbm, rbmState, (m) => m.fit(bits, { learningRate: null as never }), TypeError, /learningRate/, rbmNext);
  });

  it('RBM.fitSteps: a schedule whose first rate is not valid puts back the generator and the kept trainer (was: kept the new trainer)', () => {
    refuses(rbm, rbmState, (m) => m.fitSteps(bits, { epochs: 1, learningRate: () => Number.NaN }), RangeError, /learningRate schedule must return a non-negative finite number/, rbmNext);
  });
});

describe('more hostile values found by probing every option', () => {
  it('EBMTrainer.setState: entries that are not numbers (was: Cannot convert a BigInt value to a number)', () => {
    const t = new EBMTrainer(net(), { bufferSize: 4, langevinSteps: 1, rng: 1 });
    t.step(points);
    const s = JSON.parse(JSON.stringify(t.getState()));
    const before = json(t.toDocument());
    for (const bad of [1n, Symbol('x'), hostile(), null]) {
      rejects(() => t.setState({ ...s, m: [bad, ...s.m.slice(1)] }), TypeError, /EBMTrainer\.setState: m\[0\] must be a number/);
    }
    expect(json(t.toDocument())).toBe(before);
  });

  it('the estimators’ objectives: theta, noise and sigma of the wrong kind (was: theta.subarray is not a function, Cannot use \'in\' operator)', () => {
    rejects(() => new ScoreMatchingTrainer(gauss()).objective([1, 0, 1, 0, 0] as never, points), TypeError, /objective: theta must be a Float64Array/);
    rejects(() => new NoiseContrastiveTrainer(gauss()).objective(new Float64Array(6), points, points, 5 as never), TypeError, /noise must be \{ mean, covariance \}/);
    rejects(() => new NoiseContrastiveTrainer(gauss()).objective(new Float64Array(6), points, points, { mean: [0, 1n], covariance: [1, 0, 0, 1] } as never), TypeError, /noise\.mean\[1\] must be a number/);
    const n = net();
    rejects(() => new DenoisingScoreMatchingTrainer(n).objective(n.getParameters(), points, points, null as never), TypeError, /sigma must be a number or one per noise row/);
    rejects(() => new NoiseDensity(7 as never, 2, 'f'), TypeError, /f: noise must be/);
    rejects(() => new ScoreMatchingTrainer(5 as never), TypeError, /ScoreMatchingTrainer: model must be/);
    rejects(() => drawProjections(new Float64Array(2), 'uniform' as never, new Random(1)), RangeError, /drawProjections: kind must be one of/);
    rejects(() => averageLogLikelihood(rbm(), bits, null as never), TypeError, /averageLogLikelihood: logZ must be a number or an AISResult/);
    rejects(() => annealedImportanceSampling(null as never, { runs: 2, betas: aisSchedule(2, 2, 2), rng: 1 }), TypeError, /annealedImportanceSampling: path must be an AISPath/);
    rejects(() => dbmVariationalBound(dbm(), bits, { logZ: 1, logZLower: '0', logZUpper: 2 } as never), TypeError, /logZ\.logZLower must be a number \(got "0"\)/);
  });

  it('GaussianEnergy.fit and score: options that are not an object, AIS options of the wrong type (was: silently ignored)', () => {
    refuses(gauss, gaussState, (m) => m.fit(points, 5 as never), TypeError, /GaussianEnergy\.fit: options must be an object/, gaussNext);
    refuses(gauss, gaussState, (m) => m.score(points, { aisRuns: 'many' as never }), TypeError, /aisRuns must be a positive integer/, gaussNext);
  });

  it('score options a method does not use are still checked: RBM aisBase, DBN aisBase, DBM aisHiddenBase (was: silently ignored)', () => {
    refuses(rbm, rbmState, (m) => m.score(bits, { method: 'exact', aisBase: hostile() as never }), TypeError, /aisBase must be a Matrix/, rbmNext);
    refuses(dbn, dbnState, (m) => m.score(bits, { method: 'bound', aisBase: 'data' as never }), TypeError, /aisBase must be a Matrix/, dbnNext);
    refuses(dbm, dbmState, (m) => m.score(bits, { method: 'exact', aisHiddenBase: 'rates' as never }), TypeError, /aisHiddenBase must be 'data' or 'uniform'/, dbmNext);
  });

  it('DBMTrainer: temperedTransitions checked before the model’s generator is split (was: split first)', () => {
    refuses(dbm, dbmState, (m) => new DBMTrainer(m, { batchSize: 2, nChains: 2, temperedTransitions: { levels: 0, minBeta: 0.5 } }), RangeError, /temperedTransitions\.levels must be a positive integer/, dbmNext);
  });

  it('DBM.partialFit with a kept trainer still checks the trainer options it ignores (was: silently ignored)', () => {
    const make = (): DBM => {
      const m = dbm();
      m.partialFit(bits, { batchSize: 2, nChains: 2 });
      return m;
    };
    refuses(make, dbmState, (m) => m.partialFit(bits, { learningRate: 'fast' as never }), TypeError, /learningRate must be a finite number/, dbmNext);
  });

  it('threads of the kind the kernel cannot read: DBN.fit, DBM.fit, pretrainDBM (was: Cannot convert object to primitive value)', () => {
    refuses(dbn, dbnState, (m) => m.fit(bits, { epochs: 1, batchSize: 2, threads: hostile() as never }), TypeError, /DBN\.fit: threads must be a positive integer/, dbnNext);
    refuses(dbm, dbmState, (m) => m.fit(bits, { epochs: 1, pretrain: false, batchSize: 2, nChains: 2, threads: Object.create(null) }), TypeError, /DBM\.fit: threads must be a positive integer/, dbmNext);
    refuses(dbm, dbmState, (m) => pretrainDBM(m, bits, { threads: hostile() as never }), TypeError, /pretrainDBM: threads must be a positive integer/, dbmNext);
  });

  it('null is not "no value": rng, bounds, batchSize, gradient (was: the default, silently)', () => {
    rejects(() => new RBM(4, 2, { rng: null as never }), TypeError, /RBM: rng must be a seed/);
    rejects(() => new EnergyNetwork(2, { rng: null as never }), TypeError, /EnergyNetwork: rng must be a seed/);
    rejects(() => new EBMTrainer(net(), { bounds: null as never }), TypeError, /bounds must be \[low, high\] \(got null\)/);
    rejects(() => new LogisticRegression(2, 2).fit(points, [0, 1, 0, 1, 0, 1], { rng: null as never }), TypeError, /LogisticRegression\.fit: rng must be a seed/);
    refuses(net, netState, (m) => m.partialFit(points, { batchSize: null as never, langevinSteps: 1, bufferSize: 4 }), TypeError, /batchSize must be a positive integer \(got null\)/, netNext);
    refuses(bm, bmState, (m) => m.exactLogLikelihood(bits, { gradient: null as never }), TypeError, /gradient must be a boolean/, bmNext);
  });

  it('RBMTrainer.fromDocument: an option that is not a number (was: the default, silently)', () => {
    const doc = JSON.parse(JSON.stringify(new RBMTrainer(rbm(), { method: 'pcd', batchSize: 2, rng: 1 }).toDocument()));
    doc.state.training.options.k = '3';
    rejects(() => RBMTrainer.fromDocument(doc, RBM.fromDocument), FormatError, /state\.training\.options\.k is missing or malformed/);
  });
});
