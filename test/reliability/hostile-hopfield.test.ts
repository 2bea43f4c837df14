/**
 * Hostile arguments to the Hopfield family, the associative memories, the toy datasets and the
 * capacity lab. Each case failed before its fix with an engine error (`Cannot convert object to
 * primitive value`, `Invalid typed array length`, `Array buffer allocation failed`,
 * `o.onStage is not a function`), a hang, an error naming another function, or a value accepted
 * silently; or it threw only after the model or its generator had changed. Now each is one of the
 * library's typed errors (`where: …`), naming the argument, thrown before any state changes.
 */
import { describe, expect, it } from 'vitest';
import {
  barsAndStripes,
  basinRadius,
  capacitySweep,
  concentricRings,
  DenseAssociativeMemory,
  ExpandedHopfieldNetwork,
  FormatError,
  GradedHopfieldNetwork,
  geometricSchedule,
  HopfieldNetwork,
  LIMITS,
  ModernHopfieldNetwork,
  memoryCapacity,
  memoryCapacitySweep,
  randomPatterns,
  recallOverlap,
  ringOfGaussians,
  sampleBarsAndStripes,
  spuriousAttractors,
  twoMoons,
} from '../../src/index.js';
import { expectError, UNPRINTABLE } from './library-error.js';

const ELEMENTS = `(LIMITS.maxElements)`;
const STEPS = `(LIMITS.maxSteps)`;

interface Stateful {
  toDocument(): unknown;
  random: { getState(): unknown };
}

/** The model's document and its generator's state, to compare before and after a failing call. */
function snapshot(m: Stateful): string {
  return JSON.stringify(m.toDocument()) + JSON.stringify(m.random.getState());
}

const P4 = [
  [1, -1, 1, -1],
  [1, 1, -1, -1],
];
const CUE = (): Float64Array => Float64Array.of(1, 1, 1, -1);

function hopfield(): HopfieldNetwork {
  const net = new HopfieldNetwork(4, { rng: 3 });
  net.fit(P4);
  return net;
}
function expanded(): ExpandedHopfieldNetwork {
  const net = new ExpandedHopfieldNetwork(4, 3, { rng: 5 });
  net.fit(P4);
  return net;
}
function graded(): GradedHopfieldNetwork {
  const net = new GradedHopfieldNetwork(4, { rng: 2 });
  net.fit(P4);
  return net;
}
function modern(): ModernHopfieldNetwork {
  const net = new ModernHopfieldNetwork(4, { rng: 2, beta: 4 });
  net.fit(P4);
  return net;
}
function dense(): DenseAssociativeMemory {
  const net = new DenseAssociativeMemory(4, { rng: 2 });
  net.fit(P4);
  return net;
}

/** Calls `bad` on a fresh model, which must fail with a library error naming `fragment`, leaving the model as it was; returns the error. */
function expectUnchanged<M extends Stateful>(make: () => M, bad: (m: M) => unknown, where: string, fragment: string | RegExp, type: new (...args: never[]) => Error = Error): M {
  const m = make();
  const before = snapshot(m);
  expectError(() => bad(m), type, where, fragment);
  expect(snapshot(m)).toBe(before);
  return m;
}

describe('unprintable values in messages: describeValue, never String(x)', () => {
  const loaders: ReadonlyArray<readonly [string, (doc: unknown) => unknown, () => { config: Record<string, unknown> }, readonly string[]]> = [
    ['load hopfield', (d) => HopfieldNetwork.fromDocument(d), () => hopfield().toDocument() as never, ['n', 'temperature', 'rule']],
    ['load hopfield-expanded', (d) => ExpandedHopfieldNetwork.fromDocument(d), () => expanded().toDocument() as never, ['nVisible', 'nHidden', 'nPatterns', 'temperature', 'rule']],
    ['load graded-hopfield', (d) => GradedHopfieldNetwork.fromDocument(d), () => graded().toDocument() as never, ['n', 'gain', 'rule']],
    ['load modern-hopfield', (d) => ModernHopfieldNetwork.fromDocument(d), () => modern().toDocument() as never, ['n', 'patterns', 'beta']],
    ['load dense-associative-memory', (d) => DenseAssociativeMemory.fromDocument(d), () => dense().toDocument() as never, ['n', 'patterns', 'interaction', 'degree']],
  ];
  for (const [where, load, doc, keys] of loaders) {
    it(`${where}: a config field that cannot be printed is a FormatError naming it`, () => {
      for (const key of keys) {
        for (const [, value] of UNPRINTABLE) {
          const d = doc();
          d.config[key] = value();
          expectError(() => load(d), FormatError, where, `config.${key} must be`);
        }
      }
    });
  }

  it("config.rule: a misspelt or non-string rule is a FormatError (it loaded as 'custom'); absent is 'custom'; every rule round-trips", () => {
    const cases = [
      ['load hopfield', (d: unknown) => HopfieldNetwork.fromDocument(d).rule, () => hopfield().toDocument() as unknown as { config: Record<string, unknown> }, ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive', 'custom']],
      ['load hopfield-expanded', (d: unknown) => ExpandedHopfieldNetwork.fromDocument(d).network.rule, () => expanded().toDocument() as unknown as { config: Record<string, unknown> }, ['hebbian', 'storkey', 'pseudo-inverse', 'contrastive', 'custom']],
      ['load graded-hopfield', (d: unknown) => GradedHopfieldNetwork.fromDocument(d).rule, () => graded().toDocument() as unknown as { config: Record<string, unknown> }, ['hebbian', 'storkey', 'pseudo-inverse', 'custom']],
    ] as const;
    for (const [where, loadRule, doc, rules] of cases) {
      for (const bad of ['hebian', 'Hebbian', '', 5, null, true, ['hebbian']]) {
        const d = doc();
        d.config.rule = bad;
        expectError(() => loadRule(d), FormatError, where, 'config.rule must be one of');
      }
      const d = doc();
      delete d.config.rule;
      expect(loadRule(d), where).toBe('custom');
      for (const rule of rules) {
        const e = doc();
        e.config.rule = rule;
        expect(loadRule(e), `${where} ${rule}`).toBe(rule);
      }
    }
    // the graded network has no contrastive rule
    const g = graded().toDocument() as unknown as { config: Record<string, unknown> };
    g.config.rule = 'contrastive';
    expectError(() => GradedHopfieldNetwork.fromDocument(g), FormatError, 'load graded-hopfield', 'config.rule must be one of hebbian, storkey, pseudo-inverse, custom');
  });

  it('HopfieldNetwork.fromWeights: an unprintable bias is a TypeError naming bias', () => {
    for (const [, value] of UNPRINTABLE) {
      expectError(() => HopfieldNetwork.fromWeights([[0, 1], [1, 0]], value() as never), TypeError, 'HopfieldNetwork.fromWeights', 'bias must be an array of numbers');
    }
  });

  it('an unprintable clamp is a TypeError naming clamp, on every model, and nothing changes', () => {
    for (const [, value] of UNPRINTABLE) {
      const clamp = (): never => value() as never;
      const f = 'clamp must be a Uint8Array';
      // each line: a fresh model, the failing call, nothing changed
      expectUnchanged(hopfield, (m) => m.evolve(CUE(), { clamp: clamp() }), 'HopfieldNetwork.evolve', f, TypeError);
      expectUnchanged(hopfield, (m) => m.sample(2, { initial: CUE(), clamp: clamp() }), 'HopfieldNetwork.sample', f, TypeError);
      expectUnchanged(hopfield, (m) => m.sampleRecall(CUE(), { clamp: clamp() }), 'HopfieldNetwork.sampleRecall', f, TypeError);
      expectUnchanged(hopfield, (m) => m.annealRecall(CUE(), geometricSchedule(2, 0.5, 0.1), { clamp: clamp() }), 'HopfieldNetwork.annealRecall', f, TypeError);
      expectUnchanged(hopfield, (m) => m.gibbs({ clamp: clamp() }), 'HopfieldNetwork.gibbs', f, TypeError);
      expectUnchanged(expanded, (m) => m.sample(2, { clamp: clamp() }), 'ExpandedHopfieldNetwork.sample', f, TypeError);
      expectUnchanged(graded, (m) => m.evolve(Float64Array.of(0.5, -0.5, 0.1, 0), { clamp: clamp() }), 'GradedHopfieldNetwork.evolve', f, TypeError);
      expectUnchanged(modern, (m) => m.evolve(CUE(), { clamp: clamp() }), 'ModernHopfieldNetwork.evolve', f, TypeError);
      expectUnchanged(modern, (m) => m.recall(CUE(), { clamp: clamp() }), 'ModernHopfieldNetwork.recall', f, TypeError);
      expectUnchanged(dense, (m) => m.evolve(CUE(), { clamp: clamp() }), 'DenseAssociativeMemory.evolve', f, TypeError);
    }
  });

  it("ModernHopfieldNetwork.scoreSamples / score: an unprintable method is a TypeError naming method", () => {
    const net = modern();
    for (const [, value] of UNPRINTABLE) {
      expectError(() => net.scoreSamples([[1, 1, 1, 1]], { method: value() as never }), TypeError, 'ModernHopfieldNetwork.scoreSamples', "method must be 'auto' or 'exact'");
      expectError(() => net.score([[1, 1, 1, 1]], { method: value() as never }), TypeError, 'ModernHopfieldNetwork.score', "method must be 'auto' or 'exact'");
    }
  });

  it('fit / partialFit: an unprintable threads is a TypeError naming threads, and nothing changes', () => {
    for (const [, value] of UNPRINTABLE) {
      const threads = (): never => value() as never;
      expectUnchanged(hopfield, (m) => m.fit(P4, { threads: threads() }), 'HopfieldNetwork.fit', 'threads must be', TypeError);
      expectUnchanged(hopfield, (m) => m.partialFit(P4, { threads: threads() }), 'HopfieldNetwork.partialFit', 'threads must be', TypeError);
      expectUnchanged(expanded, (m) => m.fit(P4, { threads: threads() }), 'ExpandedHopfieldNetwork.fit', 'threads must be', TypeError);
      expectUnchanged(expanded, (m) => m.partialFit(P4, { threads: threads() }), 'ExpandedHopfieldNetwork.partialFit', 'threads must be', TypeError);
    }
  });
});

describe('ExpandedHopfieldNetwork.recall checks every option before it draws the hidden start', () => {
  const bad: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["mode 'parallel'", { mode: 'parallel' }, 'mode must be one of'],
    ['order 5', { order: 5 }, 'order must be one of'],
    ['tie null', { tie: null }, 'tie must be one of'],
    ['tie { toString: 1 }', { tie: { toString: 1 } }, 'tie must be one of'],
    ['maxSweeps 0', { maxSweeps: 0 }, 'maxSweeps must be a positive integer'],
    ['maxSweeps 2^31', { maxSweeps: 2 ** 31 }, `maxSweeps must be at most ${LIMITS.maxSteps} ${STEPS}`],
    ["maxSweeps Symbol('x')", { maxSweeps: Symbol('x') }, 'maxSweeps must be a positive integer'],
  ];
  for (const [label, options, fragment] of bad) {
    it(`${label}: the error names ExpandedHopfieldNetwork.recall and the option; the stream is not advanced`, () => {
      const net = expanded();
      const twin = expanded();
      const before = snapshot(net);
      expectError(() => net.recall(CUE(), options as never), Error, 'ExpandedHopfieldNetwork.recall', fragment);
      expect(snapshot(net)).toBe(before);
      // the next recall draws the same hidden start as on a twin that never saw the failing call
      const a = net.recall(CUE());
      const b = twin.recall(CUE());
      expect(Array.from(a.hidden)).toEqual(Array.from(b.hidden));
      expect(Array.from(a.state)).toEqual(Array.from(b.state));
    });
  }
});

describe('sizes from input are checked against LIMITS before allocating or looping', () => {
  it('GradedHopfieldNetwork(n): n and n² against LIMITS.maxElements (not "Invalid typed array length")', () => {
    expectError(() => new GradedHopfieldNetwork(2 ** 31), RangeError, 'GradedHopfieldNetwork', `n must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
    expectError(() => new GradedHopfieldNetwork(2 ** 15), RangeError, 'GradedHopfieldNetwork', `n² must be at most ${LIMITS.maxElements} elements ${ELEMENTS}`);
  });

  it('ModernHopfieldNetwork(n) and DenseAssociativeMemory(n): n against LIMITS.maxElements', () => {
    expectError(() => new ModernHopfieldNetwork(2 ** 31), RangeError, 'ModernHopfieldNetwork', `n must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
    expectError(() => new DenseAssociativeMemory(2 ** 31), RangeError, 'DenseAssociativeMemory', `n must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
  });

  it('the toy 2-D datasets: n and the [n, 2] output against LIMITS.maxElements', () => {
    for (const [where, f] of [
      ['ringOfGaussians', ringOfGaussians],
      ['twoMoons', twoMoons],
      ['concentricRings', concentricRings],
    ] as const) {
      expectError(() => f(2 ** 31), RangeError, where, `n must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
      expectError(() => f(2 ** 28), RangeError, where, `n × 2 must be at most ${LIMITS.maxElements} elements ${ELEMENTS}`);
    }
  });

  it('randomPatterns and sampleBarsAndStripes: the output against LIMITS.maxElements, named by the function called', () => {
    expectError(() => randomPatterns(3, 2 ** 28, 1), RangeError, 'randomPatterns', `count × dimension must be at most ${LIMITS.maxElements} elements`);
    expectError(() => randomPatterns(1, 2 ** 31, 1), RangeError, 'randomPatterns', `dimension must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
    expectError(() => sampleBarsAndStripes(12, 2 ** 21, 1), RangeError, 'sampleBarsAndStripes', `count × size² must be at most ${LIMITS.maxElements} elements`);
  });

  it('HopfieldNetwork: sweep counts against LIMITS.maxSteps, with the generator untouched', () => {
    const m = expectUnchanged(hopfield, (n) => n.sample(2, { sweeps: 2 ** 31 }), 'HopfieldNetwork.sample', `sweeps must be at most ${LIMITS.maxSteps} ${STEPS}`, RangeError);
    expect(Array.from(m.sample(3).data)).toEqual(Array.from(hopfield().sample(3).data));
    expectUnchanged(hopfield, (n) => n.sampleRecall(CUE(), { sweeps: 2 ** 31 }), 'HopfieldNetwork.sampleRecall', `sweeps must be at most ${LIMITS.maxSteps}`, RangeError);
    expectUnchanged(hopfield, (n) => n.annealRecall(CUE(), geometricSchedule(2, 0.5, 0.1), { sweepsPerTemperature: 2 ** 31 }), 'HopfieldNetwork.annealRecall', `sweepsPerTemperature must be at most ${LIMITS.maxSteps}`, RangeError);
    expectUnchanged(expanded, (n) => n.sample(2, { sweeps: 2 ** 31 }), 'ExpandedHopfieldNetwork.sample', `sweeps must be at most ${LIMITS.maxSteps}`, RangeError);
  });

  it('HopfieldNetwork.fit / partialFit with rule contrastive: epochs, steps, maxSweeps, starts against LIMITS; the weights are untouched', () => {
    const cases: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
      [{ epochs: 2 ** 31 }, `epochs must be at most ${LIMITS.maxSteps} ${STEPS}`],
      [{ steps: 2 ** 31, variant: 'few-steps' }, `steps must be at most ${LIMITS.maxSteps} ${STEPS}`],
      [{ maxSweeps: 2 ** 31 }, `maxSweeps must be at most ${LIMITS.maxSteps} ${STEPS}`],
      [{ starts: 2 ** 31, variant: 'random-starts' }, `starts must be at most ${LIMITS.maxElements} ${ELEMENTS}`],
      [{ starts: 2 ** 27, variant: 'random-starts' }, `starts × N must be at most ${LIMITS.maxElements} elements ${ELEMENTS}`],
    ];
    for (const [o, fragment] of cases) {
      expectUnchanged(hopfield, (n) => n.fit(P4, { rule: 'contrastive', ...o }), 'HopfieldNetwork.fit', fragment, RangeError);
      expectUnchanged(expanded, (n) => n.fit(P4, { rule: 'contrastive', ...o }), 'ExpandedHopfieldNetwork.fit', fragment, RangeError);
      if (!('epochs' in o)) expectUnchanged(hopfield, (n) => n.partialFit(P4, { rule: 'contrastive', ...o }), 'HopfieldNetwork.partialFit', fragment, RangeError);
    }
  });

  it('the graded, modern and dense networks: maxSweeps / steps against LIMITS.maxSteps', () => {
    const f = `must be at most ${LIMITS.maxSteps} ${STEPS}`;
    expectUnchanged(graded, (n) => n.evolve(Float64Array.of(0.5, 0, 0, 0), { maxSweeps: 2 ** 31 }), 'GradedHopfieldNetwork.evolve', `maxSweeps ${f}`, RangeError);
    expectUnchanged(graded, (n) => n.recall(Float64Array.of(0.5, 0, 0, 0), { maxSweeps: 2 ** 31 }), 'GradedHopfieldNetwork.recall', `maxSweeps ${f}`, RangeError);
    expectUnchanged(modern, (n) => n.evolve(CUE(), { maxSweeps: 2 ** 31 }), 'ModernHopfieldNetwork.evolve', `maxSweeps ${f}`, RangeError);
    expectUnchanged(modern, (n) => n.retrieve([[1, 1, 1, -1]], { steps: 2 ** 31 }), 'ModernHopfieldNetwork.retrieve', `steps ${f}`, RangeError);
    expectUnchanged(dense, (n) => n.evolve(CUE(), { maxSweeps: 2 ** 31 }), 'DenseAssociativeMemory.evolve', `maxSweeps ${f}`, RangeError);
    expectUnchanged(dense, (n) => n.recall(CUE(), { maxSweeps: 2 ** 31 }), 'DenseAssociativeMemory.recall', `maxSweeps ${f}`, RangeError);
  });

  it('the capacity lab: trials, starts, maxSweeps, N and pattern counts against LIMITS, before any work', () => {
    const P8 = [
      [1, 1, 1, 1, -1, -1, -1, -1],
      [1, -1, 1, -1, 1, -1, 1, -1],
    ];
    const net = (): HopfieldNetwork => {
      const h = new HopfieldNetwork(8, { rng: 1 });
      h.fit(P8);
      return h;
    };
    const steps = `must be at most ${LIMITS.maxSteps} ${STEPS}`;
    expectUnchanged(net, (h) => recallOverlap(h, P8, { trials: 2 ** 31 }), 'recallOverlap', `trials ${steps}`, RangeError);
    const many = randomPatterns(17, 8, 1); // 17 patterns × 2^24 trials > LIMITS.maxElements overlaps
    expectUnchanged(net, (h) => recallOverlap(h, many, { trials: 2 ** 24 }), 'recallOverlap', 'patterns × trials must be at most', RangeError);
    expectUnchanged(net, (h) => recallOverlap(h, P8, { maxSweeps: 2 ** 31 }), 'recallOverlap', `maxSweeps ${steps}`, RangeError);
    expectUnchanged(net, (h) => basinRadius(h, Float64Array.from(P8[0] as number[]), { trials: 2 ** 31 }), 'basinRadius', `trials ${steps}`, RangeError);
    expectUnchanged(net, (h) => spuriousAttractors(h, P8, { starts: 2 ** 31 }), 'spuriousAttractors', `starts ${steps}`, RangeError);
    expectError(() => capacitySweep({ n: 2 ** 15, alphas: [0.1] }), RangeError, 'capacitySweep', `n² must be at most ${LIMITS.maxElements} elements`);
    expectError(() => capacitySweep({ n: 2 ** 12, alphas: [100] }), RangeError, 'capacitySweep', 'round(alphas[0]·n) × n must be at most');
    expectError(() => capacitySweep({ n: 8, alphas: [0.25], trials: 2 ** 31 }), RangeError, 'capacitySweep', `trials ${steps}`);
    expectError(() => memoryCapacitySweep({ n: 2 ** 15, patterns: [2] }), RangeError, 'memoryCapacitySweep', `n² must be at most ${LIMITS.maxElements} elements`);
    expectError(() => memoryCapacitySweep({ n: 8, patterns: [2 ** 31] }), RangeError, 'memoryCapacitySweep', `patterns[0] must be at most ${LIMITS.maxElements} ${ELEMENTS}`);
    expectError(() => memoryCapacitySweep({ n: 8, patterns: [2 ** 26] }), RangeError, 'memoryCapacitySweep', 'patterns[0] × n must be at most');
    expectError(() => memoryCapacitySweep({ n: 8, patterns: [2], trials: 2 ** 31 }), RangeError, 'memoryCapacitySweep', `trials ${steps}`);
    // was refused by HopfieldNetwork.evolve, after the first patterns were stored and probed
    expectError(() => memoryCapacitySweep({ n: 8, patterns: [2], maxSweeps: 2 ** 31 }), RangeError, 'memoryCapacitySweep', `maxSweeps ${steps}`);
    expectError(() => memoryCapacity({ n: 2 ** 15 }), RangeError, 'memoryCapacity', `n² must be at most ${LIMITS.maxElements} elements`);
  });
});

describe('callbacks and signals are checked before any work', () => {
  it('HopfieldNetwork.annealRecall: a non-function onStage is a TypeError before annealing (was "o.onStage is not a function" after the chain drew)', () => {
    for (const onStage of [5, '3', {}, null, { toString: 1 }]) {
      const m = expectUnchanged(hopfield, (n) => n.annealRecall(CUE(), geometricSchedule(2, 0.5, 0.1), { onStage: onStage as never }), 'HopfieldNetwork.annealRecall', 'onStage must be a function', TypeError);
      // the stream was not advanced: the next draws are those of an untouched twin
      expect(Array.from(m.sample(2, { sweeps: 3 }).data)).toEqual(Array.from(hopfield().sample(2, { sweeps: 3 }).data));
    }
  });

  it('a schedule that gives a bad first temperature is refused by annealRecall, naming schedule(0)', () => {
    expectUnchanged(hopfield, (n) => n.annealRecall(CUE(), () => -1), 'HopfieldNetwork.annealRecall', 'schedule(0) must be a positive', RangeError);
  });

  it('the graded, modern and dense fits refuse a signal that is not an AbortSignal (it was accepted)', () => {
    for (const signal of [5, 'x', null, {}, Symbol('x')]) {
      const s = signal as never;
      expectUnchanged(graded, (n) => n.fit([[1, 1, 1, 1]], { signal: s }), 'GradedHopfieldNetwork.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(modern, (n) => n.fit([[1, 1, 1, 1]], { signal: s }), 'ModernHopfieldNetwork.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(modern, (n) => n.partialFit([[1, 1, 1, 1]], { signal: s }), 'ModernHopfieldNetwork.partialFit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(dense, (n) => n.fit([[1, 1, 1, 1]], { signal: s }), 'DenseAssociativeMemory.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(dense, (n) => n.partialFit([[1, 1, 1, 1]], { signal: s }), 'DenseAssociativeMemory.partialFit', 'signal must be an AbortSignal', TypeError);
    }
  });

  it("an object whose aborted is not a boolean is not a signal (the Hopfield family accepted any object with an 'aborted' key)", () => {
    // { aborted: 'no' } was accepted, then read as aborted (a truthy string): fit stopped before its first epoch
    for (const signal of [{ aborted: 'no' }, { aborted: 1 }, { aborted: undefined }]) {
      const s = signal as never;
      expectUnchanged(hopfield, (n) => n.fit(P4, { rule: 'contrastive', signal: s }), 'HopfieldNetwork.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(graded, (n) => n.fit([[1, 1, 1, 1]], { signal: s }), 'GradedHopfieldNetwork.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(modern, (n) => n.fit([[1, 1, 1, 1]], { signal: s }), 'ModernHopfieldNetwork.fit', 'signal must be an AbortSignal', TypeError);
      expectUnchanged(dense, (n) => n.partialFit([[1, 1, 1, 1]], { signal: s }), 'DenseAssociativeMemory.partialFit', 'signal must be an AbortSignal', TypeError);
    }
  });
});

describe('null and unused options are not silently taken as "absent"', () => {
  it('HopfieldNetwork.gibbs: temperature or rng null is a TypeError (was the default)', () => {
    expectUnchanged(hopfield, (n) => n.gibbs({ temperature: null as never }), 'HopfieldNetwork.gibbs', 'temperature must be a finite number', TypeError);
    expectUnchanged(hopfield, (n) => n.gibbs({ rng: null as never }), 'HopfieldNetwork.gibbs', 'rng must be a seed', TypeError);
  });

  it("HopfieldNetwork.fit with rule contrastive: init null is a TypeError (was 'hebbian'), nothing changes", () => {
    expectUnchanged(hopfield, (n) => n.fit(P4, { rule: 'contrastive', init: null as never }), 'HopfieldNetwork.fit', 'init must be one of', TypeError);
  });

  it("ExpandedHopfieldNetwork.partialFit: rule null is a TypeError (was the network's own rule)", () => {
    expectUnchanged(expanded, (n) => n.partialFit(P4, { rule: null as never }), 'ExpandedHopfieldNetwork.partialFit', 'rule must be one of', TypeError);
  });

  it('evolve: an rng that is not a seed or a Random is refused even when order is sequential (it was ignored)', () => {
    expectUnchanged(hopfield, (n) => n.evolve(CUE(), { rng: 'x' as never }), 'HopfieldNetwork.evolve', 'rng must be a seed', TypeError);
    expectUnchanged(graded, (n) => n.evolve(Float64Array.of(0.5, 0, 0, 0), { rng: {} as never }), 'GradedHopfieldNetwork.evolve', 'rng must be a seed', TypeError);
    expectUnchanged(dense, (n) => n.evolve(CUE(), { rng: -1 }), 'DenseAssociativeMemory.evolve', 'seed must be an integer', RangeError);
  });

  it('barsAndStripes includeUniform null and the toy datasets rng null are TypeErrors (were the defaults)', () => {
    expectError(() => barsAndStripes(3, { includeUniform: null as never }), TypeError, 'barsAndStripes', 'includeUniform must be a boolean');
    expectError(() => ringOfGaussians(3, { rng: null as never }), TypeError, 'ringOfGaussians', 'rng must be a seed');
    expectError(() => twoMoons(3, { rng: null as never }), TypeError, 'twoMoons', 'rng must be a seed');
    expectError(() => concentricRings(3, { rng: null as never }), TypeError, 'concentricRings', 'rng must be a seed');
  });
});

describe('errors name the function that was called', () => {
  it('ExpandedHopfieldNetwork.sample / fit / partialFit / temperature (were HopfieldNetwork.*)', () => {
    expectUnchanged(expanded, (n) => n.sample(2, { scan: 'diagonal' as never }), 'ExpandedHopfieldNetwork.sample', 'scan must be one of', RangeError);
    expectUnchanged(expanded, (n) => n.sample(-1), 'ExpandedHopfieldNetwork.sample', 'n must be', RangeError);
    expectUnchanged(expanded, (n) => n.fit(P4, { scale: 'x' as never }), 'ExpandedHopfieldNetwork.fit', 'scale must be one of', RangeError);
    expectUnchanged(expanded, (n) => n.fit(P4, { onEpoch: 5 as never }), 'ExpandedHopfieldNetwork.fit', 'onEpoch must be a function', TypeError);
    expectUnchanged(expanded, (n) => n.partialFit(P4, { signal: 5 as never }), 'ExpandedHopfieldNetwork.partialFit', 'signal must be an AbortSignal', TypeError);
    expectUnchanged(
      expanded,
      (n) => {
        n.temperature = -1;
      },
      'ExpandedHopfieldNetwork.temperature',
      'temperature must be a positive',
      RangeError,
    );
  });

  it('recall of the graded and dense networks, score of the modern one, gibbs and energy of HopfieldNetwork', () => {
    expectError(() => graded().recall(Float64Array.of(2, 0, 0, 0)), RangeError, 'GradedHopfieldNetwork.recall', 'cue must hold values in [−1, 1]');
    expectError(() => dense().recall(CUE(), { order: 'x' as never }), RangeError, 'DenseAssociativeMemory.recall', 'order must be one of');
    expectError(() => modern().score([[1, 1, 1]]), RangeError, 'ModernHopfieldNetwork.score', 'data must have 4 columns');
    expectUnchanged(hopfield, (n) => n.gibbs({ scan: 'x' as never }), 'HopfieldNetwork.gibbs', 'scan must be one of', RangeError);
    expectUnchanged(hopfield, (n) => n.gibbs({ temperature: 0 }), 'HopfieldNetwork.gibbs', 'temperature must be a positive', RangeError);
    expectError(() => hopfield().energy(Float64Array.of(1, 0, 1, 1)), RangeError, 'HopfieldNetwork.energy', 'y must contain only ±1 values');
  });

  it('fromDocument and fromWeights: a bad rng option is a TypeError naming the loader (was a FormatError or the constructor)', () => {
    const cases: ReadonlyArray<readonly [string, (rng: never) => unknown]> = [
      ['HopfieldNetwork.fromDocument', (rng) => HopfieldNetwork.fromDocument(hopfield().toDocument(), { rng })],
      ['ExpandedHopfieldNetwork.fromDocument', (rng) => ExpandedHopfieldNetwork.fromDocument(expanded().toDocument(), { rng })],
      ['GradedHopfieldNetwork.fromDocument', (rng) => GradedHopfieldNetwork.fromDocument(graded().toDocument(), { rng })],
      ['ModernHopfieldNetwork.fromDocument', (rng) => ModernHopfieldNetwork.fromDocument(modern().toDocument(), { rng })],
      ['DenseAssociativeMemory.fromDocument', (rng) => DenseAssociativeMemory.fromDocument(dense().toDocument(), { rng })],
      ['HopfieldNetwork.fromWeights', (rng) => HopfieldNetwork.fromWeights([[0, 1], [1, 0]], undefined, { rng })],
    ];
    for (const [where, load] of cases) {
      expectError(() => load('x' as never), TypeError, where, 'rng must be a seed');
    }
    expectError(() => HopfieldNetwork.fromWeights([[0, 1], [1, 0]], undefined, { temperature: 0 }), RangeError, 'HopfieldNetwork.fromWeights', 'temperature must be a positive');
  });

  it('a loader whose pattern count is 0 does not let config.n escape the limit as a RangeError', () => {
    const m = modern().toDocument() as unknown as { config: Record<string, unknown>; tensors: Record<string, unknown> };
    m.config.n = 2 ** 40;
    m.config.patterns = 0;
    m.tensors.patterns = { shape: [0, 2 ** 40], data: [] };
    expectError(() => ModernHopfieldNetwork.fromDocument(m), FormatError, 'load modern-hopfield', `config.n must be at most ${LIMITS.maxElements}`);
    const d = dense().toDocument() as unknown as { config: Record<string, unknown>; tensors: Record<string, unknown> };
    d.config.n = 2 ** 40;
    d.config.patterns = 0;
    d.tensors.patterns = { shape: [0, 2 ** 40], data: [] };
    expectError(() => DenseAssociativeMemory.fromDocument(d), FormatError, 'load dense-associative-memory', `config.n must be at most ${LIMITS.maxElements}`);
  });
});
