/**
 * The model registry: one {@link ModelKind} per family, the single place a
 * family is declared. {@link loadModel} rebuilds saved models through it, and
 * every command of the `boltzmann` command line (`train`, `sample`, `eval`,
 * `recall`, `info`) looks a kind up here instead of branching on `kind`.
 *
 * The built-in kinds are {@link MODEL_REGISTRY} (frozen). To add a family,
 * implement the model contract (`src/models/contract.ts`), describe it with a
 * `ModelKind`, and pass an extended registry where one is taken:
 * `loadModel(doc, { registry: createRegistry([...MODEL_REGISTRY, myKind]) })`.
 * See `docs/adding-a-model-family.md`.
 * @module
 */
import type { JsonValue, ModelDocument } from '../document.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random/random.js';
import type { SteppedWork } from '../models/fit-async.js';
import { describeValue } from '../errors.js';
import { closestKey } from '../validate.js';
import { DENSE_ASSOCIATIVE_MEMORY_KIND, GRADED_HOPFIELD_KIND, MODERN_HOPFIELD_KIND } from './kinds/associative-memories.js';
import { BOLTZMANN_MACHINE_KIND } from './kinds/boltzmann-machine.js';
import { DBM_KIND } from './kinds/dbm.js';
import { DBN_KIND } from './kinds/dbn.js';
import { ENERGY_NETWORK_KIND, EXPANDED_HOPFIELD_KIND, GAUSSIAN_ENERGY_KIND, GAUSSIAN_RBM_KIND, ISING_KIND } from './kinds/load-only.js';
import { HOPFIELD_KIND } from './kinds/hopfield.js';
import { RBM_KIND } from './kinds/rbm.js';

export { KindOptionError } from './kind-option-error.js';

/** The value types a command-line option can take.
 * @category Data & files
 */
export type KindOptionType = 'int' | 'number' | 'boolean' | 'choice' | 'ints';

/**
 * One command-line option of a kind, declared as data: the command line
 * parses, checks and documents it from this description alone.
 * @category Data & files
 */
export interface KindOption {
  /** Flag name without the dashes, e.g. `'batch-size'` for `--batch-size`. */
  readonly name: string;
  /** `'int'`, `'number'`, `'boolean'` (a flag), `'choice'` (one of `choices`), `'ints'` (comma-separated integers). */
  readonly type: KindOptionType;
  /** Default value; absent: the library's own default (the value is `null`). */
  readonly default?: number | boolean | string | readonly number[];
  /** One line of help. */
  readonly help: string;
  /** Smallest value (`'int'`, `'number'`, and each entry of `'ints'`). */
  readonly min?: number;
  /** Largest value (`'number'`). */
  readonly max?: number;
  /** True when `max` itself is excluded. */
  readonly maxOpen?: boolean;
  /** The allowed values of a `'choice'`. */
  readonly choices?: readonly string[];
  /** Fewest entries of an `'ints'` list. */
  readonly minItems?: number;
  /** Most entries of an `'ints'` list. */
  readonly maxItems?: number;
  /** A boolean option this one needs (e.g. `chains` needs `persistent`). */
  readonly requires?: string;
}

/** Parsed option values by option name (`null`: not given and no default).
 * @category Data & files
 */
export type KindOptionValues = Readonly<Record<string, JsonValue>>;

/** The command-line options a kind takes, per command (common options such as `--seed` are not listed).
 * @category Data & files
 */
export interface KindCommandOptions {
  /** `train <kind>`. */
  readonly train?: readonly KindOption[];
  /** `sample <model>`. */
  readonly sample?: readonly KindOption[];
  /** `eval <model>`. */
  readonly eval?: readonly KindOption[];
  /** `recall <model>`. */
  readonly recall?: readonly KindOption[];
}

/** What a training stage needs from the command line.
 * @category Data & files
 */
export interface TrainContext {
  /** Training rows, `[n, nVisible]`, values 0/1. */
  readonly data: Matrix;
  /** The kind's `train` options, parsed (saved in checkpoints). */
  readonly options: KindOptionValues;
  /** The run's seed: every generator derives from it. */
  readonly seed: number;
  /** Rows of the data used for the per-epoch metrics. */
  readonly monitor: number;
  /** Prints a note (on the error stream; not when quiet). */
  note(line: string): void;
}

/** One stage of iterative training, driven mini-batch by mini-batch by the command line.
 * @category Data & files
 */
export interface TrainingStage {
  /** For the start line, e.g. `rbm 784×64, PCD-1, batch 20, lr 0.05`. */
  readonly label: string;
  /** Rows per update. */
  readonly batchSize: number;
  /** One update on the rows `rows` of the stage's data. */
  step(rows: Uint32Array): void;
  /** The model document with the trainer's resumable state. */
  save(): ModelDocument;
  /** This epoch's metrics, formatted on one line. */
  metrics(): string;
  /** Called after every epoch with the number of epochs done in this stage. */
  epochDone(epoch: number): void;
}

/** A resumable training run: its stages (the layers of a DBN; one for most kinds).
 * @category Data & files
 */
export interface TrainingPlan {
  /** Number of stages. */
  readonly stages: number;
  /**
   * The stage `index`, fresh or from the checkpoint `resume` (a document saved by a stage's `save`).
   * A stage with long setup work (DBM pretraining) returns a promise, reports
   * through `setup.progress` and stops when `setup.signal` is aborted (rejecting).
   */
  stage(index: number, resume?: ModelDocument, setup?: StageSetup): TrainingStage | Promise<TrainingStage>;
}

/** What the command line gives a stage's setup work (DBM pretraining).
 * @category Data & files
 */
export interface StageSetup {
  /** Aborted on Ctrl-C: the setup stops within an epoch and the promise rejects. */
  readonly signal?: AbortSignal;
  /** Units done of `total` (e.g. pretraining epochs), with a label for the progress bar. */
  progress?(done: number, total: number, label: string): void;
}

/** Options of a kind's `sample` hook.
 * @category Data & files
 */
export interface SampleHookOptions {
  /** Gibbs steps / sweeps from the random start. */
  readonly steps: number;
  /** The generator of this draw (the command's `--seed`). */
  readonly rng: Random;
  /** The kind's own `sample` options, parsed. */
  readonly options: KindOptionValues;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** Options of a kind's `evaluate` hook.
 * @category Data & files
 */
export interface EvaluateHookOptions {
  /** The command's seed. */
  readonly seed: number;
  /** The kind's own `eval` options, parsed. */
  readonly options: KindOptionValues;
  /** Which `eval` options were given on the command line (an estimator may change with them). */
  readonly given: ReadonlySet<string>;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** What `eval` prints: JSON fields (`--json`) or text lines.
 * @category Data & files
 */
export interface EvaluateReport {
  /** The result as JSON fields (`method` among them). */
  readonly fields: Readonly<Record<string, number | string>>;
  /** The result as text, one entry per line. */
  readonly lines: readonly string[];
}

/** Options of a kind's `recall` hook.
 * @category Data & files
 */
export interface RecallHookOptions {
  /** The generator of the dynamics. */
  readonly rng: Random;
  /** The kind's own `recall` options, parsed. */
  readonly options: KindOptionValues;
}

/** What a `recall` hook returns.
 * @category Data & files
 */
export interface RecallHookResult {
  /** The restored row, values 0/1. */
  readonly state: Float64Array;
  /** Whether the dynamics reached a fixed point. */
  readonly converged: boolean;
  /** Sweeps made. */
  readonly sweeps: number;
  /** Units flipped. */
  readonly flips: number;
}

/** What every model can do: save itself as a document.
 * @category Data & files
 */
export interface Saveable {
  /** The model's document. */
  toDocument(): ModelDocument;
}

/**
 * A model family as the loader and the command line see it. Hooks are
 * optional: a command refuses a kind without the hook it needs (`recall` on
 * an RBM, `train` on an Ising model).
 *
 * @typeParam M - the model class
 * @example
 * ```ts
 * import { createRegistry, DOCUMENT_FORMAT, DOCUMENT_VERSION, loadModel, MODEL_REGISTRY, type ModelDocument, type ModelKind } from 'boltzmann';
 * class MyModel {
 *   constructor(readonly nVisible: number) {}
 *   toDocument(): ModelDocument {
 *     return { format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, kind: 'my-model', config: { nVisible: this.nVisible }, tensors: {} };
 *   }
 *   static fromDocument(doc: unknown): MyModel {
 *     return new MyModel(Number((doc as ModelDocument).config.nVisible));
 *   }
 * }
 * const mine: ModelKind<MyModel> = {
 *   kind: 'my-model',
 *   title: 'my energy-based model',
 *   is: (m): m is MyModel => m instanceof MyModel,
 *   fromDocument: (doc) => MyModel.fromDocument(doc),
 *   nVisible: (m) => m.nVisible,
 * };
 * const registry = createRegistry([...MODEL_REGISTRY, mine]);
 * const loaded = loadModel(new MyModel(3).toDocument(), { registry });
 * loaded instanceof MyModel; // true
 * ```
 * @category Data & files
 */
export interface ModelKind<M extends Saveable = Saveable> {
  /** The document kind, e.g. `'rbm'`: the one name of the family (files, command line, messages). */
  readonly kind: string;
  /** One line saying what it is, e.g. `'binary restricted Boltzmann machine (CD-k / PCD)'`. */
  readonly title: string;
  /** The command-line options it takes, per command. */
  readonly options?: KindCommandOptions;
  /** Extra help lines per command (what the options do together, which estimator `eval` uses). */
  readonly notes?: { readonly [C in keyof KindCommandOptions]?: string };
  /** Whether `model` is of this kind. */
  is(model: unknown): model is M;
  /** Rebuilds a model from its document (the class's static `fromDocument`). */
  fromDocument(doc: unknown): M;
  /** Units in a data row (visible units). */
  nVisible(model: M): number;
  /**
   * A fresh model for `data` from the parsed `train` options; a kind without
   * a `trainer` also fits it here (e.g. a Hopfield network stores the rows)
   * and returns the summary line to print.
   */
  create?(options: KindOptionValues, data: Matrix, rng: Random): {
    /** The new model. */
    model: M;
    /** A one-line summary printed by the command line (e.g. what was stored). */
    summary?: string;
  };
  /** Resumable step-level training (the trainer classes behind the model's `fit`). */
  trainer?(context: TrainContext): TrainingPlan;
  /**
   * `n` rows of visible units (values 0/1) drawn from the model; long draws
   * return {@link SteppedWork} (one unit per sweep), which the command line drives
   * with a progress bar and Ctrl-C between units.
   */
  sample?(model: M, n: number, options: SampleHookOptions): Matrix | SteppedWork<Matrix>;
  /** Scores `data` (the model's `score`, or what fits the family); long estimates (AIS) return {@link SteppedWork}. */
  evaluate?(model: M, data: Matrix, options: EvaluateHookOptions): EvaluateReport | SteppedWork<EvaluateReport>;
  /** Restores a cue (a row of 0/1 values). */
  recall?(model: M, cue: Float64Array, options: RecallHookOptions): RecallHookResult;
}

/** A set of kinds, looked up by name; iterable, so `[...MODEL_REGISTRY, myKind]` lists its kinds and one more.
 * @category Data & files
 */
export interface ModelRegistry extends Iterable<ModelKind> {
  /** The kinds, in registration order. */
  readonly kinds: readonly ModelKind[];
  /** The kind named `kind`, or undefined. */
  get(kind: string): ModelKind | undefined;
  /** The kind names, in registration order. */
  readonly names: readonly string[];
  /** The registered name closest to `kind` (for "did you mean"), or undefined. */
  suggest(kind: string): string | undefined;
}

/**
 * Makes a registry from kinds (later entries may not reuse a name).
 *
 * @param kinds - the kinds, e.g. `[...MODEL_REGISTRY, myKind]`
 * @returns a frozen registry
 * @throws {TypeError} when a kind has no name or a name is used twice
 * @example
 * ```ts
 * import { createRegistry, MODEL_REGISTRY } from 'boltzmann';
 * const registry = createRegistry([...MODEL_REGISTRY]);
 * registry.get('rbm')?.kind; // 'rbm'
 * ```
 * @category Data & files
 */
export function createRegistry(kinds: Iterable<ModelKind>): ModelRegistry {
  const map = new Map<string, ModelKind>();
  if (kinds === null || typeof kinds !== 'object' || typeof (kinds as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError(`createRegistry: kinds must be an iterable of kinds, e.g. an array (got ${describeValue(kinds)})`);
  }
  for (const k of kinds) {
    if (k === null || typeof k !== 'object' || typeof k.kind !== 'string' || k.kind === '') {
      throw new TypeError('createRegistry: every kind must be an object with a non-empty string kind');
    }
    if (typeof k.fromDocument !== 'function' || typeof k.is !== 'function' || typeof k.nVisible !== 'function') {
      throw new TypeError(`createRegistry: kind '${k.kind}' must have is, fromDocument and nVisible functions`);
    }
    if (map.has(k.kind)) throw new TypeError(`createRegistry: kind '${k.kind}' is registered twice`);
    map.set(k.kind, Object.freeze({ ...k }));
  }
  const list = Object.freeze([...map.values()]);
  const names = Object.freeze([...map.keys()]);
  return Object.freeze({
    kinds: list,
    names,
    get: (kind: string) => (typeof kind === 'string' ? map.get(kind) : undefined),
    suggest: (kind: string) => closestKey(kind, names),
    [Symbol.iterator]: () => list[Symbol.iterator](),
  });
}

/**
 * The built-in kinds: `hopfield`, `hopfield-expanded`, `boltzmann-machine`,
 * `rbm`, `gaussian-rbm`, `dbn`, `dbm`, `ising`, `energy-network`,
 * `graded-hopfield`, `dense-associative-memory`, `modern-hopfield`,
 * `gaussian-energy` (13; {@link loadModel} returns one of {@link AnyModel}).
 *
 * @example
 * ```ts
 * import { MODEL_REGISTRY } from 'boltzmann';
 * MODEL_REGISTRY.names.includes('dbm'); // true
 * ```
 * @category Data & files
 */
export const MODEL_REGISTRY: ModelRegistry = createRegistry([
  HOPFIELD_KIND,
  EXPANDED_HOPFIELD_KIND,
  BOLTZMANN_MACHINE_KIND,
  RBM_KIND,
  GAUSSIAN_RBM_KIND,
  DBN_KIND,
  DBM_KIND,
  ISING_KIND,
  ENERGY_NETWORK_KIND,
  GRADED_HOPFIELD_KIND, DENSE_ASSOCIATIVE_MEMORY_KIND, MODERN_HOPFIELD_KIND,
  GAUSSIAN_ENERGY_KIND,
] as ModelKind[]);
