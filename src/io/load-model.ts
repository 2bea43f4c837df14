/**
 * Loading any saved model: parse a JSON model document (text or parsed value)
 * and rebuild the model its `kind` names. Everything a file can get wrong is
 * reported as a {@link FormatError} (or a RangeError/TypeError from a model's
 * own checks) before any large allocation.
 * @module
 */
import { describeValue, FormatError } from '../errors.js';
import { BoltzmannMachine } from '../models/boltzmann-machine.js';
import { DBM } from '../models/dbm.js';
import { DBN } from '../models/dbn.js';
import { EnergyNetwork } from '../models/energy-network.js';
import { GaussianRBM } from '../models/gaussian-rbm.js';
import { HopfieldNetwork } from '../models/hopfield-network.js';
import { ExpandedHopfieldNetwork } from '../models/expanded-hopfield-network.js';
import { IsingModel } from '../models/ising.js';
import { RBM } from '../models/rbm.js';
import type { ModelDocument } from '../document.js';

/** Every model a document can hold, by kind. */
export type AnyModel =
  | HopfieldNetwork
  | ExpandedHopfieldNetwork
  | BoltzmannMachine
  | RBM
  | GaussianRBM
  | DBN
  | DBM
  | IsingModel
  | EnergyNetwork;

const loaders: Record<string, (doc: unknown) => AnyModel> = {
  hopfield: (d) => HopfieldNetwork.fromDocument(d),
  'hopfield-expanded': (d) => ExpandedHopfieldNetwork.fromDocument(d),
  'boltzmann-machine': (d) => BoltzmannMachine.fromDocument(d),
  rbm: (d) => RBM.fromDocument(d),
  'gaussian-rbm': (d) => GaussianRBM.fromDocument(d),
  dbn: (d) => DBN.fromDocument(d),
  dbm: (d) => DBM.fromDocument(d),
  ising: (d) => IsingModel.fromDocument(d),
  'energy-network': (d) => EnergyNetwork.fromDocument(d),
};

/**
 * The model kinds {@link loadModel} knows.
 *
 * @example
 * ```ts
 * import { MODEL_KINDS } from 'boltzmann';
 * MODEL_KINDS.includes('rbm'); // true
 * ```
 */
export const MODEL_KINDS: readonly string[] = Object.freeze(Object.keys(loaders));

/**
 * Default cap on the length of a JSON model text: 2³⁰ characters.
 *
 * @example
 * ```ts
 * import { MAX_MODEL_TEXT } from 'boltzmann';
 * MAX_MODEL_TEXT; // 1073741824
 * ```
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
 */
export function parseModelText(text: string, maxLength = MAX_MODEL_TEXT): unknown {
  if (typeof text !== 'string') throw new TypeError(`parseModelText: text must be a string (got ${describeValue(text)})`);
  if (text.length > maxLength) throw new FormatError(`parseModelText: text is ${text.length} characters, more than the limit ${maxLength}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FormatError(`parseModelText: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Rebuilds a model from a saved document — a parsed object or JSON text —
 * dispatching on its `kind` (see {@link MODEL_KINDS}).
 *
 * @throws {FormatError} for malformed text, an unknown kind, or a document that does not fit its kind
 * @example
 * ```ts
 * import { loadModel, HopfieldNetwork } from 'boltzmann';
 * const net = HopfieldNetwork.fromPatterns([[1, -1, 1, -1]]);
 * loadModel(JSON.stringify(net.toDocument())) instanceof HopfieldNetwork; // true
 * ```
 */
export function loadModel(doc: string | ModelDocument | unknown): AnyModel {
  const d = typeof doc === 'string' ? parseModelText(doc) : doc;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new FormatError(`loadModel: document must be a JSON object (got ${describeValue(d)})`);
  }
  const kind = (d as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !Object.hasOwn(loaders, kind)) {
    throw new FormatError(`loadModel: kind must be one of ${MODEL_KINDS.map((k) => `'${k}'`).join(', ')} (got ${describeValue(kind)})`);
  }
  return (loaders[kind] as (doc: unknown) => AnyModel)(d);
}
