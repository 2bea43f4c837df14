/**
 * Hostile arguments to the samplers, the chain runners and diagnostics, the exact and quadrature
 * tools, the Ising model, the stable scalar functions, the kernel seam and the generator. Each
 * case failed before its fix with an engine error (`Cannot convert object to primitive value`,
 * `o.onSample is not a function`, `Array buffer allocation failed`, `Invalid typed array length`,
 * `Do not know how to serialize a BigInt`), a hang, an error naming another function, or a value
 * accepted silently; or it threw only after the sampler or its generator had changed. Now each is
 * one of the library's typed errors (`where: …`), naming the argument, thrown before any state
 * changes: a later step gives the numbers of an untouched twin.
 */
import { describe, expect, it } from 'vitest';
import { createWasmKernel, createWasmWorkerPool, splitMix64 } from '../../src/base.js';
import {
  AnnealedLangevin,
  cos,
  cosh,
  exp,
  log,
  log1p,
  pow,
  sin,
  sinh,
  tanh,
  acceptanceRates,
  anneal,
  autocorrelation,
  chainTraces,
  energyTrace,
  energyTraces,
  enumerateStates,
  exactLogLikelihood,
  exactLogPartition,
  exactMarginal,
  FormatError,
  formatTrace,
  fromArrays,
  geometricLadder,
  IsingModel,
  IsingSampler,
  indexFromState,
  Langevin,
  LIMITS,
  linearSchedule,
  listSchedule,
  logAddExp,
  logarithmicSchedule,
  logMeanExp,
  logPartition1D,
  logPartition2D,
  logSigmoid,
  logSumExp,
  Metropolis,
  ParallelTempering,
  QuadraticEnergy,
  QuadraticGibbs,
  Random,
  runChain,
  runChains,
  type Sampler,
  ShapeError,
  sigmoid,
  softplus,
  softplusSum,
  splitRHat,
  stateFrequencies,
  stateFromIndex,
  toRandom,
  totalVariation,
  totalVariationBound,
  traceRows,
  UpdateTraceRecorder,
  withThreads,
} from '../../src/index.js';
import { expectError, isLibraryError, UNPRINTABLE } from './library-error.js';

/** Values of the wrong kind for a number, an array or a callback. */
const NOT_NUMBERS: ReadonlyArray<readonly [string, () => unknown]> = [...UNPRINTABLE, ['1n', () => 1n], ['null', () => null], ["'3'", () => '3'], ['[]', () => []]];
const NOT_FUNCTIONS: ReadonlyArray<readonly [string, () => unknown]> = [...UNPRINTABLE, ['5', () => 5], ['null', () => null], ['NaN', () => Number.NaN], ["'f'", () => 'f'], ['{}', () => ({})]];

type ErrorType = new (...args: never[]) => Error;

const STEPS = `at most ${LIMITS.maxSteps} (LIMITS.maxSteps)`;
const ELEMENTS = `at most ${LIMITS.maxElements} (LIMITS.maxElements)`;

const ising2 = (): QuadraticEnergy =>
  new QuadraticEnergy(
    fromArrays([
      [0, 1, 0],
      [1, 0, -1],
      [0, -1, 0],
    ]),
    Float64Array.of(0.2, 0, -0.1),
    'spin',
  );
const gaussian = () => ({
  dimension: 2,
  domain: 'continuous' as const,
  energy: (x: Float64Array) => 0.5 * (x[0] * x[0] + x[1] * x[1]),
  gradient: (out: Float64Array, x: Float64Array) => {
    out[0] = x[0];
    out[1] = x[1];
    return out;
  },
});

/** One maker per sampler kind, each the same chain every call. */
const SAMPLERS: ReadonlyArray<readonly [string, () => Sampler]> = [
  ['QuadraticGibbs', () => new QuadraticGibbs(ising2(), { temperature: 0.7, rng: 3 })],
  ['Metropolis', () => new Metropolis(ising2(), { temperature: 0.7, rng: 3 })],
  ['Langevin', () => new Langevin(gaussian(), { method: 'mala', stepSize: 0.3, rng: 3 })],
  ['ParallelTempering', () => new ParallelTempering(ising2(), { temperature: 0.5, tMax: 4, nReplicas: 3, rng: 3 })],
  ['IsingSampler', () => new IsingSampler(new IsingModel(4, { rng: 1 }), { temperature: 2.3, rng: 3 })],
];

/** The sampler's snapshot (state, temperature, generator, counters), to compare before and after a failing call. */
function fingerprint(s: Sampler): string {
  return JSON.stringify(s.snapshot());
}

/**
 * Calls `bad` on a fresh sampler: it must fail with a library error of `type` naming `fragment`,
 * leaving the sampler as it was — the same snapshot as an untouched twin, and the same next steps.
 */
function expectSamplerUnchanged(make: () => Sampler, bad: (s: Sampler) => unknown, type: ErrorType, where: string, fragment: string | RegExp): void {
  const s = make();
  const twin = make();
  expectError(() => bad(s), type, where, fragment);
  expect(fingerprint(s)).toBe(fingerprint(twin));
  for (let t = 0; t < 3; t++) {
    s.step();
    twin.step();
  }
  expect(Array.from(s.state)).toEqual(Array.from(twin.state));
  expect(s.energy()).toBe(twin.energy());
}

describe('unprintable values in messages: describeValue, never String(x)', () => {
  it('Metropolis, Langevin, ParallelTempering: model.dimension and model.domain', () => {
    const ctors: ReadonlyArray<readonly [string, (m: never) => unknown]> = [
      ['Metropolis', (m) => new Metropolis(m)],
      ['Langevin', (m) => new Langevin(m)],
      ['ParallelTempering', (m) => new ParallelTempering(m)],
    ];
    for (const [where, make] of ctors) {
      for (const [, value] of UNPRINTABLE) {
        expectError(() => make({ ...gaussian(), dimension: value() } as never), TypeError, where, 'model.dimension must be a positive integer');
        expectError(() => make({ ...gaussian(), domain: value() } as never), RangeError, where, "model.domain must be 'binary', 'spin' or 'continuous'");
      }
    }
  });

  it('AnnealedLangevin: target.dimension and target.domain', () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => new AnnealedLangevin({ ...gaussian(), dimension: value() } as never), TypeError, 'AnnealedLangevin', 'target.dimension must be a positive integer');
      expectError(() => new AnnealedLangevin({ ...gaussian(), domain: value() } as never), RangeError, 'AnnealedLangevin', "target.domain must be 'continuous'");
    }
  });

  it('enumerateStates: model.domain', () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => enumerateStates({ dimension: 2, domain: value(), energy: () => 0 } as never), RangeError, 'enumerateStates', "model.domain must be 'binary' or 'spin'");
    }
  });

  it('withThreads: threads; softplusSum: start and n', () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => withThreads(value() as never, () => 1), TypeError, 'withThreads', 'threads must be a positive integer');
      expectError(() => softplusSum(new Float64Array(3), value() as never, 1), TypeError, 'softplusSum', 'start must be a number');
      expectError(() => softplusSum(new Float64Array(3), 0, value() as never), TypeError, 'softplusSum', 'n must be a number');
    }
  });

  it('createWasmKernel and createWasmWorkerPool: options.precision and options.fma', async () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => createWasmKernel({ precision: value() as never }), RangeError, 'createWasmKernel', 'options.precision must be');
      expectError(() => createWasmKernel({ fma: value() as never }), TypeError, 'createWasmKernel', 'options.fma must be a boolean');
      for (const [options, fragment] of [
        [{ precision: value() }, 'options.precision must be'],
        [{ fma: value() }, 'options.fma must be a boolean'],
      ] as const) {
        const e = await createWasmWorkerPool(options as never).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(isLibraryError(e), String((e as Error)?.message)).toBe(true);
        expect((e as Error).message).toMatch(new RegExp(`^createWasmWorkerPool: ${fragment}`));
      }
    }
  });

  it('logPartition1D / logPartition2D: a domain that JSON.stringify cannot print (BigInt, a cycle)', () => {
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    for (const domain of [[1n, 2], cyclic, [Symbol('x'), 1]]) {
      expectError(() => logPartition1D((x) => x * x, domain as never), TypeError, 'logPartition1D', 'domain must be a pair [low, high] of numbers');
      expectError(() => logPartition2D((x, y) => x * y, [0, 1], domain as never), TypeError, 'logPartition2D', 'domainY must be a pair');
    }
  });

  it('the diagnostics: a trace entry that cannot be printed', () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => autocorrelation([1, value(), 2, 3] as never), TypeError, 'autocorrelation', 'chain 0 must hold only numbers');
      expectError(() => splitRHat([Float64Array.of(1, 2, 3, 4), [1, 2, value(), 4]] as never), TypeError, 'splitRHat', 'chain 1 must hold only numbers');
    }
  });

  it('runChains: a chain whose sampler has an unprintable dimension', () => {
    for (const [, value] of UNPRINTABLE) {
      const factory = (rng: Random, i: number) =>
        i === 0 ? new Metropolis(ising2(), { rng }) : ({ ...new Metropolis(ising2(), { rng }), step() {}, energy: () => 0, dimension: value() } as never);
      expectError(() => runChains(2, factory, { nSamples: 2 }), TypeError, 'runChains', 'factory(rng, 1).dimension must be');
    }
  });
});

describe('callbacks are checked before the chain moves', () => {
  it('runChain: onSample that is not a function, on every sampler', () => {
    for (const [, make] of SAMPLERS) {
      for (const [, value] of NOT_FUNCTIONS) {
        expectSamplerUnchanged(make, (s) => runChain(s, { nSamples: 3, burnIn: 2, onSample: value() as never }), TypeError, 'runChain', 'onSample must be a function');
      }
    }
  });

  it('anneal: onStage that is not a function, on every sampler', () => {
    for (const [, make] of SAMPLERS) {
      for (const [, value] of NOT_FUNCTIONS) {
        expectSamplerUnchanged(make, (s) => anneal(s, linearSchedule(2, 0.5, 4), { onStage: value() as never }), TypeError, 'anneal', 'onStage must be a function');
      }
    }
  });

  it('runChains: onSample that is not a function (NaN and null were ignored)', () => {
    for (const [, value] of NOT_FUNCTIONS) {
      let built = 0;
      const factory = (rng: Random) => {
        built++;
        return new Metropolis(ising2(), { rng });
      };
      expectError(() => runChains(2, factory, { nSamples: 2, onSample: value() as never }), TypeError, 'runChains', 'onSample must be a function');
      expect(built).toBe(0);
    }
  });

  it('withThreads: fn that is not a function', () => {
    for (const [, value] of NOT_FUNCTIONS) expectError(() => withThreads(1, value() as never), TypeError, 'withThreads', 'fn must be a function');
  });
});

describe('sizes are checked against LIMITS before allocating or looping', () => {
  it('runChain: nSamples, burnIn, thin and nSamples × dimension; the sampler is untouched', () => {
    const make = SAMPLERS[1][1];
    for (const key of ['nSamples', 'burnIn', 'thin'] as const) {
      for (const v of [LIMITS.maxSteps + 1, 2 ** 31, Number.POSITIVE_INFINITY]) {
        expectSamplerUnchanged(make, (s) => runChain(s, { nSamples: 2, [key]: v }), RangeError, 'runChain', `${key} must be ${STEPS}`);
      }
    }
    const d = 2 ** 18;
    const wide: Sampler = { ...new Metropolis(ising2()), dimension: d, state: new Float64Array(d), step() {}, energy: () => 0 } as never;
    expectError(() => runChain(wide, { nSamples: 2 ** 10 + 1 }), RangeError, 'runChain', `nSamples × dimension must be at most ${LIMITS.maxElements} elements`);
  });

  it('runChains: nChains (one stream each), nSamples, burnIn and thin, before the factory runs', () => {
    let built = 0;
    const factory = (rng: Random) => {
      built++;
      return new Metropolis(ising2(), { rng });
    };
    expectError(() => runChains(2 ** 20 + 1, factory, { nSamples: 1 }), RangeError, 'runChains', 'nChains must be an integer in [1, 1048576]');
    for (const key of ['nSamples', 'burnIn', 'thin'] as const) {
      expectError(() => runChains(2, factory, { nSamples: 1, [key]: LIMITS.maxSteps + 1 }), RangeError, 'runChains', `${key} must be ${STEPS}`);
    }
    expect(built).toBe(0);
  });

  it('anneal: a schedule of 10¹² stages, and sweepsPerTemperature; the sampler is untouched', () => {
    for (const [, make] of SAMPLERS) {
      expectSamplerUnchanged(make, (s) => anneal(s, (k) => (k < 1e12 ? 1 : undefined)), RangeError, 'anneal', 'schedule must end (return undefined) within 16777216 stages (LIMITS.maxSteps)');
      expectSamplerUnchanged(make, (s) => anneal(s, linearSchedule(2, 1, 3), { sweepsPerTemperature: LIMITS.maxSteps + 1 }), RangeError, 'anneal', `sweepsPerTemperature must be ${STEPS}`);
    }
  });

  it('linearSchedule / logarithmicSchedule: steps; geometricLadder: n', () => {
    expectError(() => linearSchedule(2, 1, LIMITS.maxSteps + 1), RangeError, 'linearSchedule', `steps must be ${STEPS}`);
    expectError(() => logarithmicSchedule(1, 2 ** 31), RangeError, 'logarithmicSchedule', `steps must be ${STEPS}`);
    expectError(() => geometricLadder(1, 2, LIMITS.maxSteps + 1), RangeError, 'geometricLadder', `n must be ${STEPS}`);
  });

  it('ParallelTempering: nReplicas and temperatures.length (one stream each), named as its own', () => {
    expectError(() => new ParallelTempering(ising2(), { nReplicas: 2 ** 20 + 1 }), RangeError, 'ParallelTempering', 'nReplicas must be an integer in [2, 1048576]');
    expectError(() => new ParallelTempering(ising2(), { temperatures: { length: 2 ** 40 } as never }), RangeError, 'ParallelTempering', 'temperatures.length must be an integer in [2, 1048576]');
  });

  it('QuadraticGibbs.traceSweeps, IsingSampler.measure: sweeps, burnIn; the sampler is untouched', () => {
    expectSamplerUnchanged(SAMPLERS[0][1], (s) => (s as QuadraticGibbs).traceSweeps(LIMITS.maxSteps + 1), RangeError, 'QuadraticGibbs.traceSweeps', `sweeps must be ${STEPS}`);
    const ising = SAMPLERS[4][1];
    expectSamplerUnchanged(ising, (s) => (s as IsingSampler).measure({ sweeps: LIMITS.maxSteps + 1 }), RangeError, 'IsingSampler.measure', `sweeps must be ${STEPS}`);
    expectSamplerUnchanged(ising, (s) => (s as IsingSampler).measure({ sweeps: 8, burnIn: 2 ** 31 }), RangeError, 'IsingSampler.measure', `burnIn must be ${STEPS}`);
  });

  it("IsingModel.sample: sweeps; the model's stream is untouched", () => {
    const m = new IsingModel(4, { rng: 2 });
    const twin = new IsingModel(4, { rng: 2 });
    expectError(() => m.sample(1, { sweeps: LIMITS.maxSteps + 1 }), RangeError, 'IsingModel.sample', `sweeps must be ${STEPS}`);
    expect(Array.from(m.sample(2, { sweeps: 3 }).data)).toEqual(Array.from(twin.sample(2, { sweeps: 3 }).data));
  });

  it('energyTrace: nSteps, burnIn and thin; the sampler is untouched', () => {
    const make = SAMPLERS[1][1];
    expectSamplerUnchanged(make, (s) => energyTrace(s, LIMITS.maxSteps + 1), RangeError, 'energyTrace', `nSteps must be ${STEPS}`);
    expectSamplerUnchanged(make, (s) => energyTrace(s, 2, { burnIn: LIMITS.maxSteps + 1 }), RangeError, 'energyTrace', `burnIn must be ${STEPS}`);
    expectSamplerUnchanged(make, (s) => energyTrace(s, 2, { thin: 2 ** 31 }), RangeError, 'energyTrace', `thin must be ${STEPS}`);
  });

  it('Metropolis / Langevin / AnnealedLangevin: a model dimension past LIMITS.maxElements; stepsPerLevel', () => {
    const big = { ...gaussian(), dimension: LIMITS.maxElements + 1 };
    expectError(() => new Metropolis(big), RangeError, 'Metropolis', `model.dimension must be ${ELEMENTS}`);
    expectError(() => new Langevin(big), RangeError, 'Langevin', `model.dimension must be ${ELEMENTS}`);
    expectError(() => new AnnealedLangevin(big), RangeError, 'AnnealedLangevin', `target.dimension must be ${ELEMENTS}`);
    expectError(() => new AnnealedLangevin(gaussian(), { stepsPerLevel: LIMITS.maxSteps + 1 }), RangeError, 'AnnealedLangevin', `stepsPerLevel must be ${STEPS}`);
  });

  it('Random: permutation(n), shuffle of a huge array-like, splitMix64 count; the generator is untouched', () => {
    const r = new Random(5);
    const before = JSON.stringify(r.getState());
    expectError(() => r.permutation(LIMITS.maxElements + 1), RangeError, 'Random.permutation', `n must be ${ELEMENTS}`);
    expectError(() => r.shuffle({ length: 2 ** 40 }), RangeError, 'Random.shuffle', `array.length must be ${ELEMENTS}`);
    expect(JSON.stringify(r.getState())).toBe(before);
    expectError(() => splitMix64(0n, 2 ** 31), RangeError, 'splitMix64', `count must be ${STEPS}`);
  });

  it('the diagnostics: chains × samples; logPartition1D: maxEvaluations; exactMarginal: visible.length', () => {
    const chain = new Float64Array(2 ** 15);
    const many = Array.from({ length: 2 ** 14 }, () => chain);
    expectError(() => splitRHat(many), RangeError, 'splitRHat', `chains × samples must be at most ${LIMITS.maxElements} elements`);
    expectError(() => logPartition1D((x) => x * x, [0, 1], { maxEvaluations: LIMITS.maxElements + 1 }), RangeError, 'logPartition1D', `maxEvaluations must be ${ELEMENTS}`);
    expectError(() => exactMarginal(ising2(), { length: 2 ** 40 } as never), RangeError, 'exactMarginal', 'visible.length must be an integer in [0, 3]');
    expectError(() => exactMarginal(ising2(), { length: -1 } as never), RangeError, 'exactMarginal', 'visible.length must be an integer in [0, 3]');
  });
});

describe('type confusion: wrong kinds of arguments', () => {
  it('runChain / anneal / energyTrace: a sampler that is not one', () => {
    for (const [, value] of [...NOT_NUMBERS, ['{}', () => ({})]] as const) {
      expectError(() => runChain(value() as never, { nSamples: 2 }), TypeError, 'runChain', 'sampler must be a Sampler');
      expectError(() => anneal(value() as never, linearSchedule(2, 1, 2)), TypeError, 'anneal', 'sampler must be a Sampler');
      expectError(() => energyTrace(value() as never, 2), TypeError, 'energyTrace', 'sampler must be a Sampler');
    }
    // a sampler without energy() was found out after its steps had run
    let steps = 0;
    const noEnergy = { dimension: 1, state: new Float64Array(1), temperature: 1, step: () => steps++ };
    expectError(() => energyTrace(noEnergy as never, 3), TypeError, 'energyTrace', 'sampler must be a Sampler with step() and energy() methods');
    expectError(() => runChain({ ...noEnergy, energy: () => 0, state: [0] } as never, { nSamples: 1 }), TypeError, 'runChain', 'sampler.state must be a Float64Array');
    expect(steps).toBe(0);
  });

  it('runChains: chains that is not an array; a factory that returns no Sampler', () => {
    const factory = (rng: Random) => new Metropolis(ising2(), { rng });
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['{}', () => ({})], ['5', () => 5]] as const) {
      expectError(() => runChains(2, factory, { nSamples: 1, chains: value() as never }), TypeError, 'runChains', 'chains must be an array of chain indices');
      expectError(() => runChains(2, () => value() as never, { nSamples: 1 }), TypeError, 'runChains', 'factory(rng, 0) must be a Sampler');
    }
  });

  it('chainTraces / energyTraces / acceptanceRates: a result or list that is not one', () => {
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => chainTraces(value() as never, (x) => x[0]), TypeError, 'chainTraces', 'result must be the output of runChains');
      expectError(() => energyTraces(value() as never), TypeError, 'energyTraces', 'result must be the output of runChains');
    }
    // an object without a rate reads NaN; anything else is not a sampler
    for (const value of [null, Symbol('x'), 1n, '3', 5, undefined]) {
      expectError(() => acceptanceRates([value] as never), TypeError, 'acceptanceRates', 'samplers[0] must be a Sampler');
    }
    expectError(() => chainTraces({ runs: [null] } as never, (x) => x[0]), TypeError, 'chainTraces', 'result.runs[0] must be a RunResult');
    const r = runChains(2, (rng) => new Metropolis(ising2(), { rng }), { nSamples: 3 });
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => chainTraces(r, () => value() as never), TypeError, 'chainTraces', 'f must return a number');
    }
  });

  it('Metropolis / Langevin: a model whose energy is not a number is named, and setState changes nothing', () => {
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => new Metropolis({ ...gaussian(), energy: () => value() } as never), TypeError, 'Metropolis', 'model.energy must return a number');
      expectError(() => new Langevin({ ...gaussian(), energy: () => value() } as never, { method: 'mala' }), TypeError, 'Langevin', 'model.energy must return a number');
      let bad = false;
      const model = { ...gaussian(), energy: (x: Float64Array) => (bad ? value() : 0.5 * x[0] * x[0]) };
      const mh = new Metropolis(model as never, { rng: 2 });
      bad = true;
      expectError(() => mh.setState(Float64Array.of(1, 2)), TypeError, 'Metropolis.setState', 'model.energy must return a number');
      expect(Array.from(mh.state)).toEqual([0, 0]);
      expectError(() => mh.step(), TypeError, 'Metropolis.step', 'model.energy must return a number');
      expect(Array.from(mh.state)).toEqual([0, 0]);
    }
    const flip = { dimension: 2, domain: 'spin' as const, energy: () => 0, deltaEnergyFlip: () => '1' };
    expectError(() => new Metropolis(flip as never, { rng: 1 }).step(), TypeError, 'Metropolis.step', 'model.deltaEnergyFlip must return a number');
  });

  it('toRandom: a where that is not a string (it is printed in messages)', () => {
    for (const [, value] of NOT_NUMBERS.filter(([n]) => n !== "'3'")) expectError(() => toRandom(1.5, value() as never), TypeError, 'toRandom', 'where must be a string');
  });

  it('listSchedule: a list that is not an array, or holds a non-number', () => {
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['3', () => 3], ['{ length: 2 }', () => ({ length: 2 })]] as const) {
      expectError(() => listSchedule(value() as never), TypeError, 'listSchedule', 'temperatures must be an array of positive numbers');
    }
    expectError(() => listSchedule([1, Symbol('x')] as never), TypeError, 'listSchedule', 'temperatures[1] must be a finite number');
  });

  it('anneal: a schedule temperature that is not positive and finite, found before the first sweep', () => {
    for (const [, make] of SAMPLERS) {
      for (const bad of [Symbol('x'), '1', -1, Number.NaN, Number.POSITIVE_INFINITY, null]) {
        const schedule = (k: number) => (k < 4 ? (k === 2 ? bad : 1) : undefined);
        const type = typeof bad === 'number' ? RangeError : TypeError;
        expectSamplerUnchanged(make, (s) => anneal(s, schedule as never), type, 'anneal', /schedule\(2\) must be a (positive )?finite number/);
      }
    }
  });

  it('QuadraticGibbs: a model that is not a QuadraticEnergy', () => {
    for (const [, value] of [...NOT_NUMBERS, ['{}', () => ({})], ['a Gaussian', gaussian]] as const) {
      expectError(() => new QuadraticGibbs(value() as never), TypeError, 'QuadraticGibbs', 'model must be a QuadraticEnergy');
    }
  });

  it('Metropolis: deltaEnergyFlip or gradient that is not a method; a proposal whose log q-ratio is not a number', () => {
    const spin = { dimension: 2, domain: 'spin' as const, energy: () => 0 };
    for (const [, value] of NOT_FUNCTIONS.filter(([n]) => n !== 'null')) {
      expectError(() => new Metropolis({ ...spin, deltaEnergyFlip: value() } as never), TypeError, 'Metropolis', 'model.deltaEnergyFlip must be a method');
      expectError(() => new Metropolis({ ...gaussian(), gradient: value() } as never), TypeError, 'Metropolis', 'model.gradient must be a method');
    }
    for (const [, value] of NOT_NUMBERS) {
      const mh = new Metropolis(gaussian(), { rng: 1, proposal: { propose: () => value() as never } });
      expectError(() => mh.step(), TypeError, 'Metropolis.step', 'proposal.propose must return the log q-ratio, a number');
      expect(Array.from(mh.state)).toEqual([0, 0]);
    }
  });

  it('ParallelTempering: a temperature that overflows a rung changes nothing; replicaEnergies needs a Float64Array', () => {
    for (const t of [1e308, Number.MAX_VALUE]) {
      const pt = new ParallelTempering(ising2(), { temperature: 1, tMax: 10, nReplicas: 3, rng: 1 });
      const ladder = Array.from(pt.temperatures);
      const rungs = pt.replicas.map((r) => r.temperature);
      expectError(
        () => {
          pt.temperature = t;
        },
        RangeError,
        'ParallelTempering.temperature',
        'not a positive finite temperature',
      );
      expect(Array.from(pt.temperatures)).toEqual(ladder);
      expect(pt.replicas.map((r) => r.temperature)).toEqual(rungs);
    }
    const pt = new ParallelTempering(ising2(), { nReplicas: 3, rng: 1 });
    for (const [, value] of [...NOT_NUMBERS, ['5', () => 5], ['[0, 0, 0]', () => [0, 0, 0]]] as const) {
      expectError(() => pt.replicaEnergies(value() as never), TypeError, 'ParallelTempering.replicaEnergies', 'out must be a Float64Array');
    }
    expectError(() => pt.replicaEnergies(new Float64Array(2)), ShapeError, 'ParallelTempering.replicaEnergies', 'out must have length 3');
  });

  it('restore: a snapshot state entry that is not a number is a FormatError, and nothing changes', () => {
    for (const [, make] of SAMPLERS.slice(0, 3)) {
      for (const [, value] of [...UNPRINTABLE, ['1n', () => 1n]] as const) {
        const snap = JSON.parse(JSON.stringify(make().snapshot()));
        snap.state[0] = value();
        expectSamplerUnchanged(make, (s) => s.restore(snap), FormatError, `${make().constructor.name}.restore`, 'snapshot.state[0] must be a number');
      }
    }
  });

  it('ParallelTempering.restore: a rung temperature of 0 is a FormatError, and nothing changes', () => {
    const make = SAMPLERS[3][1];
    const snap = JSON.parse(JSON.stringify(make().snapshot()));
    snap.extra.temperatures[0] = 0;
    expectSamplerUnchanged(make, (s) => s.restore(snap), FormatError, 'ParallelTempering.restore', 'snapshot.extra.temperatures must be positive and finite');
  });

  it('AnnealedLangevin: a sigma that is not a number', () => {
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => new AnnealedLangevin(gaussian(), { sigmas: [1, value()] as never }), TypeError, 'AnnealedLangevin', 'sigmas[1] must be a finite number');
    }
  });

  it('runChain recordEnergy, IsingSampler.measure keepTraces, exactLogLikelihood gradient: booleans only', () => {
    for (const [, value] of [...NOT_NUMBERS, ['1', () => 1], ["'no'", () => 'no']] as const) {
      expectSamplerUnchanged(SAMPLERS[1][1], (s) => runChain(s, { nSamples: 2, recordEnergy: value() as never }), TypeError, 'runChain', 'recordEnergy must be a boolean');
      expectSamplerUnchanged(SAMPLERS[4][1], (s) => (s as IsingSampler).measure({ sweeps: 8, keepTraces: value() as never }), TypeError, 'IsingSampler.measure', 'keepTraces must be a boolean');
      expectError(() => exactLogLikelihood(ising2(), [[1, -1]], [0, 1], { gradient: value() as never }), TypeError, 'exactLogLikelihood', 'gradient must be a boolean');
    }
  });
});

describe('type confusion: the exact and quadrature tools', () => {
  it('the exact tools: an energy whose weights, dimension or domain do not fit', () => {
    const e = ising2();
    const like = (patch: object) => ({ weights: e.weights, bias: e.bias, dimension: 3, domain: 'spin', ...patch });
    for (const [, value] of [...NOT_NUMBERS, ['-1', () => -1], ['Infinity', () => Number.POSITIVE_INFINITY], ['2 ** 31', () => 2 ** 31]] as const) {
      expectError(() => exactLogPartition(like({ dimension: value() }) as never), ShapeError, 'exactLogPartition', 'energy.dimension must equal energy.bias.length = 3');
    }
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => exactLogPartition(like({ weights: value() }) as never), TypeError, 'exactLogPartition', 'energy');
    }
    for (const domain of ['continuous', 5, null]) {
      expectError(() => exactLogPartition(like({ domain }) as never), Error, 'exactLogPartition', "energy.domain must be one of 'spin', 'binary'");
    }
  });

  it('the exact tools: clampValues of the wrong kind (it was ignored without clamp)', () => {
    for (const [, value] of [...NOT_NUMBERS, ['[1, 1, 1]', () => [1, 1, 1]]] as const) {
      expectError(() => exactLogPartition(ising2(), { clampValues: value() as never }), TypeError, 'exactLogPartition', 'clampValues must be a Float64Array');
    }
  });

  it("stateFromIndex: a domain other than 'binary' or 'spin' (it was taken for binary)", () => {
    for (const domain of ['continuous', 5, null, Symbol('x')]) {
      expectError(() => stateFromIndex(new Float64Array(2), 1, domain as never), Error, 'stateFromIndex', "domain must be one of 'binary', 'spin'");
    }
  });

  it('indexFromState / stateFrequencies: a state that is not 0/1 or ±1', () => {
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['{ length: { toString: 1 } }', () => ({ length: { toString: 1 } })]] as const) {
      expectError(() => indexFromState(value() as never), TypeError, 'indexFromState', 'state must be an array or typed array');
    }
    expectError(() => indexFromState([0.5, 1]), RangeError, 'indexFromState', 'state must hold binary (0/1) or spin (±1) values (got 0.5 at index 0)');
    expectError(() => indexFromState([1, Symbol('x')] as never), TypeError, 'indexFromState', 'at index 1');
    expectError(() => indexFromState([1, 0, -1]), RangeError, 'indexFromState', 'not both (0 at index 1, −1 at index 2)');
    expect(indexFromState(Float64Array.of(1, -1, 1))).toBe(5);
    expect(indexFromState([1, 0, 1])).toBe(5);
    expectError(() => stateFrequencies(Float64Array.of(1, 0.5, 0, 1), 2), RangeError, 'stateFrequencies', 'got 0.5 at index 1');
  });

  it('totalVariation / totalVariationBound: probabilities that are not an array of numbers', () => {
    const q = Float64Array.of(0.5, 0.5);
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['{ length: 2 ** 40 }', () => ({ length: 2 ** 40 })]] as const) {
      expectError(() => totalVariation(value() as never, q), TypeError, 'totalVariation', 'p must be an array or typed array of probabilities');
      expectError(() => totalVariation(q, value() as never), TypeError, 'totalVariation', 'q must be an array or typed array of probabilities');
      expectError(() => totalVariationBound(value() as never, 10), TypeError, 'totalVariationBound', 'p must be an array or typed array');
    }
    expectError(() => totalVariation([Symbol('x'), 1] as never, [0, 1]), TypeError, 'totalVariation', 'p[0] must be a number');
    expectError(() => totalVariationBound([0.5, Number.NaN], 10), RangeError, 'totalVariationBound', 'p[1] must be finite');
  });

  it('enumerateStates / logPartition1D / logPartition2D: an energy that returns a non-number', () => {
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => enumerateStates({ dimension: 2, domain: 'spin', energy: () => value() } as never), TypeError, 'enumerateStates', 'model.energy must return a number');
      expectError(() => logPartition1D(() => value() as never, [0, 1]), TypeError, 'logPartition1D', 'energy must return a number');
      expectError(() => logPartition2D(() => value() as never, [0, 1], [0, 1]), TypeError, 'logPartition2D', 'energy must return a number');
    }
  });

  it('QuadraticEnergy.localFields / deltaEnergyFlip: outputs, states and indices of the wrong kind', () => {
    const e = ising2();
    const s = Float64Array.of(1, -1, 1);
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => e.localFields(value() as never, s), TypeError, 'QuadraticEnergy.localFields', 'out must be a Float64Array');
      expectError(() => e.localFields(new Float64Array(3), value() as never), TypeError, 'QuadraticEnergy.localFields', 's must be a Float64Array');
      expectError(() => e.deltaEnergyFlip(s, value() as never), TypeError, 'QuadraticEnergy.deltaEnergyFlip', 'i must be an integer in [0, 3)');
      expectError(() => e.deltaEnergyFlip(value() as never, 0), TypeError, 'QuadraticEnergy.deltaEnergyFlip', 's must be a Float64Array');
    }
    expectError(() => e.deltaEnergyFlip(s, 3), RangeError, 'QuadraticEnergy.deltaEnergyFlip', 'i must be an integer in [0, 3) (got 3)');
    expectError(() => e.localFields(new Float64Array(3), Float64Array.of(1, 0.5, 1)), RangeError, 'QuadraticEnergy.localFields', 's must contain only ±1 values');
  });
});

describe('type confusion: the stable functions, the trace tools and the generator', () => {
  it('sigmoid, softplus, logSigmoid, logAddExp: an argument that is not a number', () => {
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => sigmoid(value() as never), TypeError, 'sigmoid', 'x must be a number');
      expectError(() => softplus(value() as never), TypeError, 'softplus', 'x must be a number');
      expectError(() => logSigmoid(value() as never), TypeError, 'logSigmoid', 'x must be a number');
      expectError(() => logAddExp(value() as never, 0), TypeError, 'logAddExp', 'a must be a number');
      expectError(() => logAddExp(0, value() as never), TypeError, 'logAddExp', 'b must be a number');
    }
    expect(Number.isNaN(sigmoid(Number.NaN))).toBe(true);
  });

  it("exp, log, log1p, pow, tanh, sin, cos, sinh, cosh: an argument that is not a number (was an engine error, or a coerced '3')", () => {
    const unary = { exp, log, log1p, tanh, sin, cos, sinh, cosh };
    for (const [, value] of NOT_NUMBERS) {
      for (const [name, f] of Object.entries(unary)) expectError(() => f(value() as never), TypeError, name, 'x must be a number');
      expectError(() => pow(value() as never, 2), TypeError, 'pow', 'x must be a number');
      expectError(() => pow(2, value() as never), TypeError, 'pow', 'y must be a number');
    }
    // numbers, NaN and the infinities keep their values
    expect(exp(0)).toBe(1);
    expect(Number.isNaN(log(Number.NaN))).toBe(true);
    expect(tanh(Number.POSITIVE_INFINITY)).toBe(1);
    expect(pow(2, 10)).toBe(1024);
  });

  it('logSumExp / logMeanExp: start and end are integers with 0 ≤ start ≤ end ≤ length', () => {
    const x = Float64Array.of(0, 1, 2);
    for (const f of [logSumExp, logMeanExp] as const) {
      const where = f.name;
      for (const start of [Number.NEGATIVE_INFINITY, Number.NaN, 0.5, -1, 4]) {
        expectError(() => f(x, start), RangeError, where, `start and end must be integers with 0 ≤ start ≤ end ≤ x.length (got start ${start}`);
      }
      for (const end of [Number.POSITIVE_INFINITY, 4, 1.5]) expectError(() => f(x, 0, end), RangeError, where, 'start and end must be integers');
      expectError(() => f(x, 2, 1), RangeError, where, 'start and end must be integers');
      for (const [, value] of UNPRINTABLE) expectError(() => f(x, value() as never), TypeError, where, 'start must be a number');
      for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['{ length: 2 ** 40 }', () => ({ length: 2 ** 40 })]] as const) {
        expectError(() => f(value() as never), TypeError, where, 'x must be an array or typed array of numbers');
      }
      expectError(() => f([0, Symbol('x')] as never), TypeError, where, 'x[1] must be a number');
    }
    expect(logSumExp(x, 1, 1)).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp(x)).toBe(logSumExp([0, 1, 2], 0, 3));
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]')] as const) {
      expectError(() => softplusSum(value() as never, 0, 0), TypeError, 'softplusSum', 'x must be an array or typed array of numbers');
      expectError(() => softplusSum(x, 0, 1, value() as never), TypeError, 'softplusSum', 'scale must be a number');
    }
  });

  it('traceRows / formatTrace / UpdateTraceRecorder: traces and rows of the wrong kind', () => {
    const fake = { length: 5, initialEnergy: 0, unit: new Uint32Array(2) };
    for (const [, value] of [...NOT_NUMBERS, ['a fake trace', () => fake], ['{ length: 2 ** 40 }', () => ({ length: 2 ** 40 })]] as const) {
      expectError(() => traceRows(value() as never), TypeError, 'traceRows', 'trace must be an UpdateTrace');
      expectError(() => formatTrace(value() as never), TypeError, 'formatTrace', 'trace must be an UpdateTrace');
    }
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => new UpdateTraceRecorder(value() as never), TypeError, 'UpdateTraceRecorder', 'initialEnergy must be a number');
      const rec = new UpdateTraceRecorder(0);
      expectError(() => rec.push(1, value() as never, 0, 0, 1, 0, true), TypeError, 'UpdateTraceRecorder.push', 'unit must be an integer');
      expectError(() => rec.push(1, 0, 0, 0, 1, value() as never, true), TypeError, 'UpdateTraceRecorder.push', 'energy must be a number');
      expectError(() => rec.push(1, 0, 0, 0, 1, 0, value() as never), TypeError, 'UpdateTraceRecorder.push', 'flipped must be a boolean');
      expect(rec.finish().length).toBe(0);
    }
  });

  it('Random: a draw with an argument of the wrong kind throws before it draws', () => {
    const r = new Random(9);
    const twin = new Random(9);
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => r.int(value() as never), TypeError, 'Random.int', 'n must be an integer in [1, 2^53]');
      expectError(() => r.uniform(value() as never, 1), TypeError, 'Random.uniform', 'lo must be a finite number');
      expectError(() => r.uniform(0, value() as never), TypeError, 'Random.uniform', 'hi must be a finite number');
      expectError(() => r.bernoulli(value() as never), TypeError, 'Random.bernoulli', 'p must be a number');
      expectError(() => r.streams(value() as never), TypeError, 'Random.streams', 'n must be a non-negative integer');
    }
    expectError(() => r.bernoulli(Number.NaN), RangeError, 'Random.bernoulli', 'p must be a number other than NaN (got NaN)');
    for (const [, value] of [...NOT_NUMBERS, ['[0, 0]', () => [0, 0]]] as const) {
      expectError(() => r.fillUniform(value() as never), TypeError, 'Random.fillUniform', 'out must be a Float64Array');
      expectError(() => r.fillNormal(value() as never), TypeError, 'Random.fillNormal', 'out must be a Float64Array');
    }
    for (const [, value] of NOT_NUMBERS) {
      expectError(() => r.fillNormal(new Float64Array(2), value() as never), TypeError, 'Random.fillNormal', 'mean must be a finite number');
      expectError(() => r.fillNormal(new Float64Array(2), 0, value() as never), TypeError, 'Random.fillNormal', 'std must be a finite number');
    }
    expectError(() => r.fillNormal(new Float64Array(2), 0, -1), RangeError, 'Random.fillNormal', 'std must be a non-negative finite number');
    for (const [, value] of [...NOT_NUMBERS.filter(([n]) => n !== '[]'), ['{}', () => ({})], ['{ length: -1 }', () => ({ length: -1 })]] as const) {
      expectError(() => r.shuffle(value() as never), Error, 'Random.shuffle', 'array');
    }
    expectError(() => splitMix64(5 as never, 2), TypeError, 'splitMix64', 'seed must be a bigint');
    expect(JSON.stringify(r.getState())).toBe(JSON.stringify(twin.getState()));
    expect(r.float64()).toBe(twin.float64());
  });
});
