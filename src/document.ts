/**
 * The versioned JSON document every model saves to and loads from.
 *
 * ```json
 * { "format": "boltzmann", "version": 1, "kind": "rbm",
 *   "config": { "nVisible": 784, "nHidden": 500 },
 *   "tensors": { "weights": { "shape": [784, 500], "data": [ … ] } },
 *   "state": { "rng": { … }, "chains": { … }, "epoch": 3 } }
 * ```
 *
 * Tensors are float64 written as JSON numbers, which round-trip exactly
 * (shortest round-trip decimal), so save → load → save gives identical bytes
 * and training resumes bit-exactly from `state`.
 * @module
 */
import { describeValue, FormatError } from './errors.js';

/**
 * The format name written in every document.
 *
 * @example
 * ```ts
 * import { DOCUMENT_FORMAT, RBM } from 'boltzmann';
 * new RBM(2, 2).toDocument().format === DOCUMENT_FORMAT; // true ('boltzmann')
 * ```
 * @category Data & files
 */
export const DOCUMENT_FORMAT = 'boltzmann';
/**
 * The newest document version this build reads and writes.
 *
 * @example
 * ```ts
 * import { DOCUMENT_VERSION, RBM } from 'boltzmann';
 * new RBM(2, 2).toDocument().version <= DOCUMENT_VERSION; // true: this build reads it
 * ```
 * @category Data & files
 */
export const DOCUMENT_VERSION = 1;

/** A JSON value.
 * @category Data & files
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object.
 * @category Data & files
 */
export type JsonObject = { [key: string]: JsonValue };

/** A dense float64 tensor, row-major.
 * @category Data & files
 */
export interface Tensor {
  /** Dimensions, e.g. `[784, 500]`; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** `shape.reduce(*)` entries, row-major. */
  readonly data: Float64Array;
}

/** A tensor as stored in a {@link ModelDocument}.
 * @category Data & files
 */
export interface TensorJson {
  /** Dimensions. */
  shape: number[];
  /** Entries as JSON numbers. */
  data: number[];
}

/** A saved model: format, version, kind, configuration, tensors and resumable state.
 * @category Data & files
 */
export interface ModelDocument {
  /** Always `'boltzmann'`. */
  format: typeof DOCUMENT_FORMAT;
  /** Document version (see {@link DOCUMENT_VERSION}). */
  version: number;
  /** Model kind, e.g. `'hopfield'`, `'boltzmann-machine'`, `'rbm'`, `'dbn'`, `'dbm'`. */
  kind: string;
  /** Hyperparameters and shapes. */
  config: JsonObject;
  /** Learned parameters by name. */
  tensors: Record<string, TensorJson>;
  /** Training state for bit-exact resumption: generator, persistent chains, momentum, epoch. */
  state?: JsonObject;
}

/**
 * Converts a {@link Tensor} to its JSON form (copies the data).
 *
 * @example
 * ```ts
 * import { tensorToJson } from 'boltzmann';
 * tensorToJson({ shape: [2], data: Float64Array.of(1, 2) }); // { shape: [2], data: [1, 2] }
 * ```
 * @category Data & files
 */
export function tensorToJson(t: Tensor): TensorJson {
  return { shape: t.shape.slice(), data: Array.from(t.data) };
}

/**
 * Checks a document's envelope (format, version, kind) and returns it typed.
 * Rejects unknown formats, newer versions, other kinds and polluted keys.
 *
 * @param doc - parsed JSON (unknown)
 * @param kind - the expected model kind
 * @throws {FormatError} naming what is wrong
 * @example
 * ```ts
 * import { checkDocument } from 'boltzmann';
 * checkDocument({ format: 'boltzmann', version: 1, kind: 'rbm', config: {}, tensors: {} }, 'rbm').kind; // 'rbm'
 * ```
 * @category Data & files
 */
export function checkDocument(doc: unknown, kind: string): ModelDocument {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FormatError(`load ${kind}: document must be a JSON object (got ${describeValue(doc)})`);
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== DOCUMENT_FORMAT) {
    throw new FormatError(`load ${kind}: format must be '${DOCUMENT_FORMAT}' (got ${describeValue(d.format)})`);
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    throw new FormatError(`load ${kind}: version must be a positive integer (got ${describeValue(d.version)})`);
  }
  if (d.version > DOCUMENT_VERSION) {
    throw new FormatError(
      `load ${kind}: document version ${d.version} is newer than this library reads (${DOCUMENT_VERSION}); upgrade boltzmann`,
    );
  }
  if (d.kind !== kind) throw new FormatError(`load ${kind}: kind must be '${kind}' (got ${describeValue(d.kind)})`);
  for (const key of ['config', 'tensors'] as const) {
    const v = d[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new FormatError(`load ${kind}: ${key} must be an object (got ${describeValue(v)})`);
    }
  }
  if (d.state !== undefined && (d.state === null || typeof d.state !== 'object' || Array.isArray(d.state))) {
    throw new FormatError(`load ${kind}: state must be an object when present (got ${describeValue(d.state)})`);
  }
  return d as unknown as ModelDocument;
}

/**
 * Reads tensor `name` from a document, checking that it exists, that its
 * shape is a list of non-negative integers equal to `expectedShape` (when
 * given), and that `data` has exactly that many finite numbers. Sizes are
 * checked before anything is allocated.
 *
 * @throws {FormatError} naming the tensor and the problem
 * @example
 * ```ts
 * import { readTensor } from 'boltzmann';
 * const doc = { format: 'boltzmann', version: 1, kind: 'x', config: {}, tensors: { b: { shape: [2], data: [1, 2] } } } as const;
 * readTensor(doc as never, 'b', [2]).data; // Float64Array [1, 2]
 * ```
 * @category Data & files
 */
export function readTensor(doc: ModelDocument, name: string, expectedShape?: readonly number[]): Tensor {
  const where = `load ${doc.kind}`;
  if (!Object.hasOwn(doc.tensors, name)) throw new FormatError(`${where}: missing tensor '${name}'`);
  const t = doc.tensors[name] as unknown as Record<string, unknown>;
  if (t === null || typeof t !== 'object') throw new FormatError(`${where}: tensor '${name}' must be an object`);
  const shape = t.shape;
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) {
    throw new FormatError(`${where}: tensor '${name}' shape must be an array of non-negative integers`);
  }
  if (expectedShape && (shape.length !== expectedShape.length || shape.some((s, i) => s !== expectedShape[i]))) {
    throw new FormatError(`${where}: tensor '${name}' must have shape [${expectedShape.join(', ')}] (got [${shape.join(', ')}])`);
  }
  let size = 1;
  for (const s of shape as number[]) size *= s;
  const data = t.data;
  if (!Array.isArray(data)) throw new FormatError(`${where}: tensor '${name}' data must be an array of numbers`);
  if (!Number.isSafeInteger(size) || data.length !== size) {
    throw new FormatError(`${where}: tensor '${name}' data must have ${size} entries for shape [${shape.join(', ')}] (got ${data.length})`);
  }
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FormatError(`${where}: tensor '${name}' entry ${i} must be a finite number (got ${describeValue(v)})`);
    }
    out[i] = v;
  }
  return { shape: (shape as number[]).slice(), data: out };
}
