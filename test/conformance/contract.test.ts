/**
 * The model contract, driven on every family from plain arrays: construct from sizes and
 * an options object, fit, partialFit, sample twice (different draws; same seed → same
 * draws), scoreSamples/score, transform where defined, save → JSON → load through the
 * registry → identical score, and unknown options refused with a suggestion.
 */
import { describe, expect, it } from 'vitest';
import {
  BoltzmannMachine,
  DBM,
  DBN,
  DenseAssociativeMemory,
  EnergyNetwork,
  ExpandedHopfieldNetwork,
  GaussianRBM,
  HopfieldNetwork,
  GaussianEnergy,
  FormatError,
  GradedHopfieldNetwork,
  IsingModel,
  LabelledRBM,
  loadModel,
  ModernHopfieldNetwork,
  RBM,
  ScaledRBM,
} from '../../src/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { FitResult, ScoreResult } from '../../src/models/contract.js';

/** What the suite needs from a model: exactly the contract's verbs. */
interface ContractModel {
  readonly kind: string;
  fit(data: number[][], options?: Record<string, unknown>): FitResult;
  partialFit(data: number[][], options?: Record<string, unknown>): FitResult;
  sample(n: number, options?: Record<string, unknown>): Matrix;
  scoreSamples(data: number[][], options?: Record<string, unknown>): Float64Array;
  score(data: number[][], options?: Record<string, unknown>): ScoreResult;
  transform?(data: number[][]): Matrix;
  toDocument(): unknown;
  clone(): ContractModel;
}

interface Family {
  name: string;
  make: (seed: number) => ContractModel;
  data: number[][];
  fitOptions: Record<string, unknown>;
  nVisible: number;
  hasTransform: boolean;
  /** Method `score` takes for these small models. */
  scoreMethod: string;
}

const binary6 = [
  [1, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 1],
  [1, 1, 0, 0, 0, 0],
  [0, 0, 0, 0, 1, 1],
  [1, 1, 1, 0, 0, 1],
  [0, 1, 0, 1, 1, 1],
];
const spins6 = binary6.map((r) => r.map((x) => 2 * x - 1));
// 3 × 3 Ising configurations, mostly aligned but not all (a finite pseudo-likelihood maximum)
const spins9 = [
  [1, 1, 1, 1, 1, 1, 1, -1, 1],
  [-1, -1, -1, -1, 1, -1, -1, -1, -1],
  [1, 1, -1, 1, 1, 1, 1, 1, 1],
  [1, -1, 1, 1, 1, 1, -1, 1, 1],
  [-1, -1, -1, 1, -1, -1, -1, -1, 1],
  [1, 1, 1, -1, -1, 1, 1, 1, 1],
];
const real2 = [
  [0.5, -0.2],
  [1.1, 0.3],
  [-0.4, 0.8],
  [0.2, -1.0],
  [0.9, 0.1],
  [-0.7, -0.3],
];

const families: Family[] = [
  {
    name: 'RBM',
    make: (seed) => new RBM(6, 3, { rng: seed }) as unknown as ContractModel,
    data: binary6,
    fitOptions: { epochs: 2, batchSize: 2 },
    nVisible: 6,
    hasTransform: true,
    scoreMethod: 'exact',
  },
  {
    name: 'GaussianRBM',
    make: (seed) => new GaussianRBM(2, 3, { rng: seed }) as unknown as ContractModel,
    data: real2,
    fitOptions: { epochs: 2, batchSize: 2 },
    nVisible: 2,
    hasTransform: true,
    scoreMethod: 'exact',
  },
  {
    name: 'BoltzmannMachine',
    make: (seed) => new BoltzmannMachine(6, 2, { rng: seed }) as unknown as ContractModel,
    data: binary6,
    fitOptions: { epochs: 2 },
    nVisible: 6,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'DBN',
    make: (seed) => new DBN([6, 4, 3], { rng: seed }) as unknown as ContractModel,
    data: binary6,
    fitOptions: { epochs: 2 },
    nVisible: 6,
    hasTransform: true,
    scoreMethod: 'exact',
  },
  {
    name: 'DBM',
    make: (seed) => new DBM([6, 4, 3], { rng: seed }) as unknown as ContractModel,
    data: binary6,
    fitOptions: { epochs: 2 },
    nVisible: 6,
    hasTransform: true,
    scoreMethod: 'exact',
  },
  {
    name: 'HopfieldNetwork',
    make: (seed) => new HopfieldNetwork(6, { rng: seed }) as unknown as ContractModel,
    data: spins6.slice(0, 2),
    fitOptions: { rule: 'hebbian' },
    nVisible: 6,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'ExpandedHopfieldNetwork',
    make: (seed) => new ExpandedHopfieldNetwork(6, 3, { rng: seed }) as unknown as ContractModel,
    data: spins6.slice(0, 3),
    fitOptions: { rule: 'hebbian' },
    nVisible: 6,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'ModernHopfieldNetwork',
    make: (seed) => new ModernHopfieldNetwork(2, { rng: seed, beta: 2 }) as unknown as ContractModel,
    data: real2,
    fitOptions: {},
    nVisible: 2,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'GaussianEnergy',
    make: (seed) => new GaussianEnergy(2, { rng: seed }) as unknown as ContractModel,
    data: real2,
    fitOptions: {},
    nVisible: 2,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'IsingModel',
    make: (seed) => new IsingModel(3, { rng: seed, temperature: 2 }) as unknown as ContractModel,
    data: spins9,
    fitOptions: {},
    nVisible: 9,
    hasTransform: false,
    scoreMethod: 'exact',
  },
  {
    name: 'EnergyNetwork',
    make: (seed) => new EnergyNetwork(2, { rng: seed }) as unknown as ContractModel,
    data: real2,
    fitOptions: { epochs: 2, batchSize: 3 },
    nVisible: 2,
    hasTransform: false,
    scoreMethod: 'exact',
  },
];

const same = (a: Matrix, b: Matrix): boolean => a.rows === b.rows && a.cols === b.cols && a.data.every((x, i) => x === b.data[i]);

for (const f of families) {
  describe(`contract: ${f.name}`, () => {
    it('fit and partialFit from plain arrays return { history, epochs, aborted }', () => {
      const m = f.make(1);
      const r = m.fit(f.data, f.fitOptions);
      expect(Array.isArray(r.history)).toBe(true);
      expect(r.epochs).toBeGreaterThan(0);
      expect(r.aborted).toBe(false);
      const p = m.partialFit(f.data.slice(0, 2));
      expect(p.aborted).toBe(false);
      expect(typeof m.kind).toBe('string');
    });

    it('sample(n) twice gives n rows and different draws; the same seed gives the same draws', () => {
      const a = f.make(3);
      a.fit(f.data, f.fitOptions);
      const b = a.clone();
      const s1 = a.sample(4);
      const s2 = a.sample(4);
      expect(s1.rows).toBe(4);
      expect(s1.cols).toBe(f.nVisible);
      expect(same(s1, s2)).toBe(false);
      const c = f.make(3);
      c.fit(f.data, f.fitOptions);
      expect(same(c.sample(4), s1)).toBe(true);
      expect(b.sample(4).rows).toBe(4);
    });

    it("save → JSON → loadModel continues the model's stream: the loaded copy samples what the original samples next", () => {
      const m = f.make(7);
      m.fit(f.data, f.fitOptions);
      m.sample(2); // the stream is past its seed
      const loaded = loadModel(JSON.stringify(m.toDocument())) as unknown as ContractModel & { random: { getState(): unknown } };
      expect(loaded.random.getState()).toEqual((m as unknown as { random: { getState(): unknown } }).random.getState());
      expect(same(loaded.sample(3), m.sample(3))).toBe(true);
      expect(JSON.stringify(loaded.toDocument())).toBe(JSON.stringify(m.toDocument()));
    });

    it('scoreSamples and score agree; save → JSON → loadModel gives the identical score', () => {
      const m = f.make(5);
      m.fit(f.data, f.fitOptions);
      const per = m.scoreSamples(f.data);
      expect(per.length).toBe(f.data.length);
      for (const x of per) expect(Number.isFinite(x)).toBe(true);
      const s = m.score(f.data);
      expect(s.method).toBe(f.scoreMethod);
      const mean = per.reduce((t, x) => t + x, 0) / per.length;
      expect(s.mean, "score.mean is the mean of scoreSamples, summed in order then divided").toBe(mean);
      expect(s.lower).toBeLessThanOrEqual(s.mean);
      expect(s.upper).toBeGreaterThanOrEqual(s.mean);
      const loaded = loadModel(JSON.stringify(m.toDocument())) as unknown as ContractModel;
      expect(loaded.kind).toBe(m.kind);
      expect(loaded.score(f.data).mean).toBe(s.mean);
      expect(Array.from(loaded.scoreSamples(f.data))).toEqual(Array.from(per));
    });

    if (f.hasTransform) {
      it('transform gives one row per input row', () => {
        const m = f.make(7);
        m.fit(f.data, f.fitOptions);
        expect(m.transform?.(f.data).rows).toBe(f.data.length);
      });
    }

    it("refuses unknown options with the closest valid key ('epoch' → 'epochs')", () => {
      const m = f.make(9);
      expect(() => m.fit(f.data, { ...f.fitOptions, epoch: 5 })).toThrow(TypeError);
      expect(() => m.fit(f.data, { ...f.fitOptions, epoch: 5 })).toThrow(/unknown option 'epoch'/);
      expect(() => m.sample(2, { sweepz: 3 })).toThrow(/unknown option 'sweepz'/);
      expect(() => m.score(f.data, { methd: 'exact' })).toThrow(/did you mean 'method'/);
    });

    it('refuses ragged and non-numeric rows with a typed error naming the row', () => {
      const m = f.make(11);
      const ragged = [f.data[0] as number[], (f.data[1] as number[]).slice(1)];
      expect(() => m.fit(ragged, f.fitOptions)).toThrow(/row 1/);
      const bad = [f.data[0] as number[], (f.data[1] as number[]).map((x, i) => (i === 0 ? ('x' as unknown as number) : x))];
      expect(() => m.scoreSamples(bad)).toThrow(TypeError);
    });
  });
}

describe("contract: sample's chain length is `steps` (BaseSampleOptions) in every family whose sample runs a chain", () => {
  // the exact samplers (ModernHopfieldNetwork, GaussianEnergy) have no chain and refuse it
  const chains = families.filter((f) => f.name !== 'ModernHopfieldNetwork' && f.name !== 'GaussianEnergy');
  for (const f of chains) {
    it(`${f.name}: sample(n, { steps }) runs that many steps`, () => {
      const a = f.make(13);
      a.fit(f.data, f.fitOptions);
      const b = a.clone();
      const short = a.sample(3, { steps: 1, rng: 5 });
      const long = b.sample(3, { steps: 40, rng: 5 });
      expect(short.rows).toBe(3);
      expect(same(short, long)).toBe(false);
      expect(same(a.clone().sample(3, { steps: 1, rng: 5 }), short)).toBe(true);
    });
  }
  it("the Hopfield networks' own name, sweeps, is the same option; both at once are refused", () => {
    for (const f of families.filter((g) => g.name === 'HopfieldNetwork' || g.name === 'ExpandedHopfieldNetwork')) {
      const m = f.make(17);
      m.fit(f.data, f.fitOptions);
      expect(same(m.clone().sample(3, { steps: 7, rng: 2 }), m.clone().sample(3, { sweeps: 7, rng: 2 }))).toBe(true);
      expect(() => m.sample(3, { steps: 7, sweeps: 7 })).toThrow(/give sweeps or steps .*not both/);
      expect(() => m.sample(3, { steps: 0 })).toThrow(/steps/);
    }
  });
  it('IsingModel: steps is its sweeps', () => {
    const m = new IsingModel(4, { rng: 1 });
    expect(same(m.sample(2, { steps: 9, rng: 3 }), m.sample(2, { sweeps: 9, rng: 3 }))).toBe(true);
    expect(same(m.sample(2, { steps: 9, rng: 3 }), m.sample(2, { steps: 1, rng: 3 }))).toBe(false);
    expect(() => m.sample(2, { steps: 9, sweeps: 9 })).toThrow(/IsingModel\.sample: give sweeps or steps/);
  });
});

describe("every kind's document carries the model's stream (state.rng): a loaded copy continues it", () => {
  type Streamed = { random: { getState(): unknown; float64(): number }; toDocument(): unknown };
  const viaRegistry = (doc: unknown): Streamed => loadModel(JSON.stringify(doc)) as unknown as Streamed;
  // ScaledRBM and LabelledRBM blocks are kind 'rbm' documents that their own classes load
  const kinds: [string, () => Streamed, (doc: unknown) => Streamed][] = [
    ['IsingModel', () => new IsingModel(3, { rng: 4 }), viaRegistry],
    ['GradedHopfieldNetwork', () => new GradedHopfieldNetwork(4, { rng: 4 }), viaRegistry],
    ['DenseAssociativeMemory', () => new DenseAssociativeMemory(4, { rng: 4 }), viaRegistry],
    ['ScaledRBM', () => new ScaledRBM(4, 3, { rng: 4, upScale: 2, downScale: 1 }), (d) => ScaledRBM.fromDocument(JSON.parse(JSON.stringify(d)))],
    ['LabelledRBM', () => new LabelledRBM(4, 3, 2, { rng: 4 }), (d) => LabelledRBM.fromDocument(JSON.parse(JSON.stringify(d)))],
  ];
  for (const [name, make, load] of kinds) {
    it(name, () => {
      const m = make();
      m.random.float64(); // the stream is past its seed
      const loaded = load(m.toDocument());
      expect(loaded.random.getState()).toEqual(m.random.getState());
      expect(loaded.random.float64()).toBe(m.random.float64());
    });
  }

  it('a document without state.rng (written before) loads with the stream it always had; a malformed one is a FormatError', () => {
    const m = new RBM(4, 3, { rng: 9 });
    m.random.float64();
    const doc = JSON.parse(JSON.stringify(m.toDocument()));
    delete doc.state;
    expect((loadModel(JSON.stringify(doc)) as RBM).random.getState()).toEqual(new RBM(4, 3, { rng: 0 }).random.getState());
    const bad = JSON.parse(JSON.stringify(m.toDocument()));
    bad.state.rng.words = [0, 0, 0, 0];
    expect(() => loadModel(JSON.stringify(bad))).toThrow(FormatError);
    expect(() => loadModel(JSON.stringify(bad))).toThrow(/^load rbm: state\.rng is invalid/);
  });
});

describe('estimated scores: with the same seed, score.mean is the mean of scoreSamples (summed in row order, then divided)', () => {
  const rows6 = binary6.concat(binary6.map((r) => r.map((x) => 1 - x)));
  const cases: [string, () => ContractModel, number[][], Record<string, unknown>][] = [
    ['RBM (ais)', () => new RBM(6, 3, { rng: 2 }) as unknown as ContractModel, rows6, { method: 'ais', aisRuns: 7, aisBetas: 40, rng: 5 }],
    ['BoltzmannMachine (ais)', () => new BoltzmannMachine(6, 2, { rng: 2 }) as unknown as ContractModel, rows6, { method: 'ais', aisRuns: 7, aisBetas: 40, rng: 5 }],
    ['DBM (bound)', () => new DBM([6, 4, 3], { rng: 2 }) as unknown as ContractModel, rows6, { method: 'bound', aisRuns: 7, aisBetas: 40, rng: 5 }],
    ['IsingModel (ais)', () => new IsingModel(3, { J: 0.4, H: 0.3, temperature: 1, rng: 2 }) as unknown as ContractModel, spins9, { method: 'ais', aisRuns: 7, aisBetas: 40, rng: 5 }],
  ];
  for (const [name, make, data, options] of cases) {
    it(name, () => {
      const m = make();
      const per = m.scoreSamples(data, options);
      const s = m.score(data, options);
      expect(s.method).toBe(options.method);
      expect(s.mean).toBe(per.reduce((t, x) => t + x, 0) / per.length);
      expect(s.lower).toBeLessThanOrEqual(s.mean);
      expect(s.upper).toBeGreaterThanOrEqual(s.mean);
    });
  }
});
