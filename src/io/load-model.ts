/**
 * Loading any saved model: parse a JSON model document (text or parsed value)
 * and rebuild the model its `kind` names. Everything a file can get wrong is
 * reported as a {@link FormatError} (or a RangeError/TypeError from a model's
 * own checks) before any large allocation.
 * @module
 */
import { describeValue, FormatError } from '../errors.js';
import type { BoltzmannMachine } from '../models/boltzmann-machine.js';
import type { DBM } from '../models/dbm.js';
import type { DBN } from '../models/dbn.js';
import type { EnergyNetwork } from '../models/energy-network.js';
import type { ExpandedHopfieldNetwork } from '../models/expanded-hopfield-network.js';
import type { GaussianEnergy } from '../models/gaussian-energy.js';
import type { GaussianRBM } from '../models/gaussian-rbm.js';
import type { HopfieldNetwork } from '../models/hopfield-network.js';
import type { IsingModel } from '../models/ising.js';
import type { RBM } from '../models/rbm.js';
import type { DenseAssociativeMemory } from '../models/dense-associative-memory.js';
import type { GradedHopfieldNetwork } from '../models/graded-hopfield-network.js';
import type { ModernHopfieldNetwork } from '../models/modern-hopfield-network.js';
import type { ModelDocument } from '../document.js';
import { checkOptionsKeys, optionKeys } from '../validate.js';
import { MODEL_REGISTRY, type ModelRegistry, type Saveable } from './registry.js';

/** Every model a document of a built-in kind can hold: one class per kind of
 * {@link MODEL_REGISTRY}, in its order (`hopfield`, `hopfield-expanded`,
 * `boltzmann-machine`, `rbm`, `gaussian-rbm`, `dbn`, `dbm`, `ising`,
 * `energy-network`, `graded-hopfield`, `dense-associative-memory`,
 * `modern-hopfield`, `gaussian-energy`).
 * @category Data & files
 */
export type AnyModel =
  | HopfieldNetwork
  | ExpandedHopfieldNetwork
  | BoltzmannMachine
  | RBM
  | GaussianRBM
  | DBN
  | DBM
  | IsingModel
  | EnergyNetwork
  | GradedHopfieldNetwork
  | DenseAssociativeMemory
  | ModernHopfieldNetwork
  | GaussianEnergy;

/**
 * The model kinds {@link loadModel} knows by default: the names of
 * {@link MODEL_REGISTRY}.
 *
 * @example
 * ```ts
 * import { MODEL_KINDS } from 'boltzmann';
 * MODEL_KINDS.includes('rbm'); // true
 * ```
 * @category Data & files
 */
export const MODEL_KINDS: readonly string[] = MODEL_REGISTRY.names;

/** Options of {@link loadModel}.
 * @category Data & files
 */
export interface LoadModelOptions {
  /** The kinds to load (default {@link MODEL_REGISTRY}); `createRegistry([...MODEL_REGISTRY, myKind])` adds a family. */
  registry?: ModelRegistry;
  /** Longest accepted JSON text (default {@link MAX_MODEL_TEXT}). */
  maxLength?: number;
}

const LOAD_MODEL_KEYS = optionKeys<LoadModelOptions>()({ registry: true, maxLength: true });

/**
 * Default cap on the length of a JSON model text: 2³⁰ characters.
 *
 * @example
 * ```ts
 * import { MAX_MODEL_TEXT } from 'boltzmann';
 * MAX_MODEL_TEXT; // 1073741824
 * ```
 * @category Data & files
 */
export const MAX_MODEL_TEXT = 2 ** 30;

/**
 * Parses JSON model text into a document object, with a size cap and a
 * {@link FormatError} for malformed JSON.
 *
 * @param text - the file's contents
 * @param maxLength - longest accepted text (default {@link MAX_MODEL_TEXT})
 * @throws {FormatError} when the text is too long or not JSON
 * @example
 * ```ts
 * import { parseModelText } from 'boltzmann';
 * parseModelText('{"format":"boltzmann"}'); // { format: 'boltzmann' }
 * ```
 * @category Data & files
 */
export function parseModelText(text: string, maxLength = MAX_MODEL_TEXT): unknown {
  if (typeof text !== 'string') throw new TypeError(`parseModelText: text must be a string (got ${describeValue(text)})`);
  if (typeof maxLength !== 'number' || Number.isNaN(maxLength) || maxLength < 0) {
    throw new TypeError(`parseModelText: maxLength must be a number ≥ 0 (got ${describeValue(maxLength)})`);
  }
  if (text.length > maxLength) throw new FormatError(`parseModelText: text is ${text.length} characters, more than the limit ${maxLength}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FormatError(`parseModelText: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Rebuilds a model from a saved document — a parsed object or JSON text —
 * through the registry entry of its `kind` (see {@link MODEL_REGISTRY}).
 *
 * @param doc - the document, or its JSON text
 * @returns the model, one of {@link AnyModel}
 * @throws {FormatError} for malformed text, an unknown kind, or a document that does not fit its kind
 * @throws {TypeError} for an unknown option
 * @example
 * ```ts
 * import { loadModel, RBM } from 'boltzmann';
 * const rbm = new RBM(4, 2, { rng: 1 });
 * loadModel(JSON.stringify(rbm.toDocument())) instanceof RBM; // true
 * ```
 * @category Data & files
 */
export function loadModel(doc: string | ModelDocument | unknown): AnyModel;
/**
 * {@link loadModel} with options: a `registry` extended with your own kinds
 * (then the result is any {@link Saveable} model of that registry) or a `maxLength`.
 *
 * @param doc - the document, or its JSON text
 * @param options - `registry` (default {@link MODEL_REGISTRY}), `maxLength` of the text
 * @returns the model
 * @throws {FormatError} for malformed text, an unknown kind, or a document that does not fit its kind
 * @example
 * ```ts
 * import { loadModel, MODEL_REGISTRY, RBM } from 'boltzmann';
 * const model = loadModel(JSON.stringify(new RBM(4, 2).toDocument()), { registry: MODEL_REGISTRY });
 * model instanceof RBM; // true
 * model.toDocument().kind; // 'rbm'
 * ```
 * @category Data & files
 */
export function loadModel(doc: string | ModelDocument | unknown, options: LoadModelOptions): AnyModel | Saveable;
export function loadModel(doc: string | ModelDocument | unknown, options?: LoadModelOptions): AnyModel | Saveable {
  const where = 'loadModel';
  const o = checkOptionsKeys(where, options, LOAD_MODEL_KEYS);
  const registry = o.registry ?? MODEL_REGISTRY;
  const d = typeof doc === 'string' ? parseModelText(doc, o.maxLength ?? MAX_MODEL_TEXT) : doc;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new FormatError(`${where}: document must be a JSON object (got ${describeValue(d)})`);
  }
  const kind = (d as { kind?: unknown }).kind;
  const entry = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (entry === undefined) {
    const near = typeof kind === 'string' ? registry.suggest(kind) : undefined;
    throw new FormatError(
      `${where}: kind must be one of ${registry.names.map((k) => `'${k}'`).join(', ')} (got ${describeValue(kind)}${near === undefined ? '' : `; did you mean '${near}'?`})`,
    );
  }
  return entry.fromDocument(d);
}
