/**
 * The versioned JSON document every model saves to and loads from.
 *
 * ```json
 * { "format": "boltzmann", "version": 1, "kind": "rbm",
 *   "config": { "nVisible": 784, "nHidden": 500 },
 *   "tensors": { "weights": { "shape": [784, 500], "dtype": "f64", "base64": "…" } },
 *   "state": { "rng": { … }, "chains": { … }, "epoch": 3 } }
 * ```
 *
 * Tensors are float64, written by default as the base64 text of their
 * little-endian bytes (`{ shape, dtype: 'f64', base64 }`, 10⅔ characters per
 * entry instead of up to 24 for a JSON number). Documents with the older
 * `{ shape, data: number[] }` form are still read, and
 * {@link expandTensors} turns a document into that form for reading or
 * editing by hand. Both forms round-trip exactly (every bit, `-0` included),
 * so save → load → save gives identical bytes and training resumes
 * bit-exactly from `state`.
 * @module
 */
import { describeValue, FormatError } from './errors.js';
import { Random, type RandomState } from './random/random.js';

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

/** A tensor as JSON numbers (the original document form, still read; a plain JSON value, so it can sit in `state`).
 * @category Data & files
 */
export type TensorNumbersJson = {
  /** Dimensions. */
  shape: number[];
  /** Entries as JSON numbers, row-major. */
  data: number[];
};

/** A tensor as the base64 text of its little-endian float64 bytes (the form written by default; a plain JSON value, so it can sit in `state`).
 * @category Data & files
 */
export type TensorBase64Json = {
  /** Dimensions. */
  shape: number[];
  /** Always `'f64'`: 8 little-endian bytes per entry. */
  dtype: 'f64';
  /** Standard base64 (RFC 4648, with `=` padding) of the `8 · size` bytes, row-major. */
  base64: string;
};

/** A tensor as stored in a {@link ModelDocument}: base64 bytes (written) or JSON numbers (also read).
 * @category Data & files
 */
export type TensorJson = TensorBase64Json | TensorNumbersJson;

/** How {@link tensorToJson} writes a tensor: `'base64'` (default, compact) or `'numbers'` (readable).
 * @category Data & files
 */
export type TensorEncoding = 'base64' | 'numbers';

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
  /**
   * The model's own generator stream as `rng` (every model writes it, so a loaded copy
   * draws what the saved model would have drawn next, as `clone()` does), and, when a
   * trainer saved the document, its state as `training` (generator, persistent chains,
   * momentum, epoch) for bit-exact resumption.
   */
  state?: JsonObject;
}

/**
 * Converts a {@link Tensor} to its JSON form (copies the data): by default the
 * base64 text of its little-endian float64 bytes, or with `{ encoding: 'numbers' }`
 * an array of JSON numbers. Both are read back bit-exactly by {@link readTensor}.
 *
 * @param t - the tensor
 * @param options - `encoding`: `'base64'` (default) or `'numbers'`
 * @returns the JSON form
 * @throws {TypeError} on an unknown encoding
 * @example
 * ```ts
 * import { tensorToJson } from 'boltzmann/base';
 * tensorToJson({ shape: [2], data: Float64Array.of(1, 2) }); // { shape: [2], dtype: 'f64', base64: 'AAAAAAAA8D8AAAAAAAAAQA==' }
 * tensorToJson({ shape: [2], data: Float64Array.of(1, 2) }, { encoding: 'numbers' }); // { shape: [2], data: [1, 2] }
 * ```
 * @category Data & files
 */
export function tensorToJson(t: Tensor, options?: { encoding?: 'base64' }): TensorBase64Json;
export function tensorToJson(t: Tensor, options: { encoding: 'numbers' }): TensorNumbersJson;
export function tensorToJson(t: Tensor, options?: { encoding?: TensorEncoding }): TensorJson;
export function tensorToJson(t: Tensor, options?: { encoding?: TensorEncoding }): TensorJson {
  const encoding = options?.encoding ?? 'base64';
  if (encoding === 'numbers') return { shape: t.shape.slice(), data: Array.from(t.data) };
  if (encoding !== 'base64') {
    throw new TypeError(`tensorToJson: encoding must be 'base64' or 'numbers' (got ${describeValue(encoding)})`);
  }
  return { shape: t.shape.slice(), dtype: 'f64', base64: float64ToBase64(t.data) };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** The base64 text of `x`'s little-endian float64 bytes. @internal */
function float64ToBase64(x: Float64Array): string {
  const n = x.length * 8;
  const bytes = new Uint8Array(n);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < x.length; i++) view.setFloat64(i * 8, x[i], true);
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = B64_CODES[(v >> 6) & 63];
    out[o++] = B64_CODES[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = i + 1 < n ? B64_CODES[(v >> 6) & 63] : 61; // '='
    out[o++] = 61;
  }
  let s = '';
  for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode.apply(null, out.subarray(k, k + 8192) as unknown as number[]);
  return s;
}

/**
 * Decodes canonical base64 (padded, no whitespace, zero unused bits) of exactly
 * `size` little-endian float64 values; the text length is checked before
 * anything is allocated. @internal
 */
function base64ToFloat64(text: string, size: number, what: string): Float64Array {
  const nBytes = size * 8;
  const want = 4 * Math.ceil(nBytes / 3);
  if (text.length !== want) {
    throw new FormatError(`${what} base64 must have ${want} characters for ${size} float64 entries (got ${text.length})`);
  }
  const bytes = new Uint8Array(nBytes);
  const pad = nBytes % 3 === 0 ? 0 : 3 - (nBytes % 3);
  const full = text.length - (pad > 0 ? 4 : 0);
  let o = 0;
  const bad = (k: number): never => {
    throw new FormatError(`${what} base64 has an invalid character ${JSON.stringify(text[k])} at ${k}`);
  };
  const code = (k: number): number => {
    const c = text.charCodeAt(k);
    const v = c < 128 ? B64_INDEX[c] : -1;
    return v < 0 ? bad(k) : v;
  };
  for (let k = 0; k < full; k += 4) {
    const v = (code(k) << 18) | (code(k + 1) << 12) | (code(k + 2) << 6) | code(k + 3);
    bytes[o++] = v >> 16;
    bytes[o++] = (v >> 8) & 255;
    bytes[o++] = v & 255;
  }
  if (pad > 0) {
    const k = full;
    if (text[k + 3] !== '=' || (pad === 2 && text[k + 2] !== '=')) {
      throw new FormatError(`${what} base64 must end with ${'='.repeat(pad)} for ${size} float64 entries`);
    }
    const a = code(k), b = code(k + 1), c = pad === 1 ? code(k + 2) : 0;
    if ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0)) {
      throw new FormatError(`${what} base64 is not canonical (unused bits set in its last group)`);
    }
    const v = (a << 18) | (b << 12) | (c << 6);
    bytes[o++] = v >> 16;
    if (pad === 1) bytes[o++] = (v >> 8) & 255;
  }
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = view.getFloat64(i * 8, true);
    if (v - v !== 0) throw new FormatError(`${what} entry ${i} must be a finite number (got ${v})`);
    out[i] = v;
  }
  return out;
}

/**
 * The entries of a stored tensor `t` (either form) after checking its shape,
 * its size (before allocating) and that every entry is finite. @internal
 *
 * @example
 * ```ts
 * import { tensorFromJson } from './document.js';
 * tensorFromJson('load rbm', 'b', { shape: [2], data: [1, 2] }).data; // Float64Array [1, 2]
 * ```
 */
export function tensorFromJson(where: string, name: string, t: unknown, expectedShape?: readonly number[]): Tensor {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new FormatError(`${where}: tensor '${name}' must be an object`);
  const r = t as Record<string, unknown>;
  const shape = Object.hasOwn(r, 'shape') ? r.shape : undefined;
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) {
    throw new FormatError(`${where}: tensor '${name}' shape must be an array of non-negative integers`);
  }
  if (expectedShape && (shape.length !== expectedShape.length || shape.some((s, i) => s !== expectedShape[i]))) {
    throw new FormatError(`${where}: tensor '${name}' must have shape [${expectedShape.join(', ')}] (got [${shape.join(', ')}])`);
  }
  let size = 1;
  for (const s of shape as number[]) size *= s;
  const hasData = Object.hasOwn(r, 'data');
  const hasBase64 = Object.hasOwn(r, 'base64');
  if (hasData && hasBase64) throw new FormatError(`${where}: tensor '${name}' must have either data or base64, not both`);
  if (hasBase64) {
    if (r.dtype !== 'f64') throw new FormatError(`${where}: tensor '${name}' dtype must be 'f64' (got ${describeValue(r.dtype)})`);
    if (typeof r.base64 !== 'string') throw new FormatError(`${where}: tensor '${name}' base64 must be a string (got ${describeValue(r.base64)})`);
    if (!Number.isSafeInteger(size * 8)) {
      throw new FormatError(`${where}: tensor '${name}' shape [${shape.join(', ')}] is too large (${size} entries)`);
    }
    return { shape: (shape as number[]).slice(), data: base64ToFloat64(r.base64, size, `${where}: tensor '${name}'`) };
  }
  const data = r.data;
  if (!Array.isArray(data)) throw new FormatError(`${where}: tensor '${name}' needs data (an array of numbers) or dtype 'f64' and base64`);
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

/**
 * A float array of training state (momentum, persistent chains, …) as JSON:
 * the compact 1-D tensor form, 10⅔ characters per entry. Read it back with
 * {@link floatsFromJson}, which also reads the older plain number arrays. @internal
 *
 * @example
 * ```ts
 * import { floatsToJson } from './document.js';
 * floatsToJson(Float64Array.of(1, 2)); // { shape: [2], dtype: 'f64', base64: 'AAAAAAAA8D8AAAAAAAAAQA==' }
 * ```
 */
export function floatsToJson(x: Float64Array): TensorBase64Json {
  return tensorToJson({ shape: [x.length], data: x });
}

/**
 * Reads a state array written by {@link floatsToJson}, or an older plain
 * array of numbers, checking that it has `length` finite entries (before
 * allocating). @internal
 *
 * @throws {FormatError} naming `where` and `name`
 * @example
 * ```ts
 * import { floatsFromJson } from './document.js';
 * floatsFromJson('load', 'velocity', [1, 2], 2); // Float64Array [1, 2]
 * ```
 */
export function floatsFromJson(where: string, name: string, value: unknown, length: number): Float64Array {
  if (Array.isArray(value)) return tensorFromJson(where, name, { shape: [value.length], data: value }, [length]).data;
  return tensorFromJson(where, name, value, [length]).data;
}

/**
 * A copy of `doc` with every tensor written as JSON numbers (`{ shape, data }`),
 * for reading or editing a document by hand; every model reads it back. The
 * tensors are checked on the way (shape, size, finite entries); config and
 * state are deep-copied as they are.
 *
 * @param doc - a model document (either tensor form)
 * @returns the expanded copy
 * @throws {FormatError} when a tensor is malformed
 * @example
 * ```ts
 * import { expandTensors, RBM } from 'boltzmann';
 * const doc = expandTensors(new RBM(2, 1).toDocument());
 * doc.tensors.visibleBias.data; // [0, 0]
 * ```
 * @category Data & files
 */
export function expandTensors(doc: ModelDocument): ModelDocument & {
  /** Every tensor in the readable `{ shape, data: number[] }` form. */
  tensors: Record<string, TensorNumbersJson>;
} {
  const where = `expandTensors${typeof doc?.kind === 'string' ? ` ${doc.kind}` : ''}`;
  if (doc === null || typeof doc !== 'object' || doc.tensors === null || typeof doc.tensors !== 'object') {
    throw new FormatError(`${where}: doc must be a model document with tensors (got ${describeValue(doc)})`);
  }
  const copy = JSON.parse(JSON.stringify({ ...doc, tensors: {} })) as ModelDocument & { tensors: Record<string, TensorNumbersJson> };
  for (const name of Object.keys(doc.tensors)) {
    const t = tensorFromJson(where, name, doc.tensors[name]);
    Object.defineProperty(copy.tensors, name, { value: tensorToJson(t, { encoding: 'numbers' }), enumerable: true, writable: true, configurable: true });
  }
  return copy;
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
 * import { checkDocument } from 'boltzmann/base';
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
 * given), and that it holds exactly that many finite float64 values — as
 * base64 bytes (`{ shape, dtype: 'f64', base64 }`) or JSON numbers
 * (`{ shape, data }`). Sizes are checked before anything is allocated.
 *
 * @throws {FormatError} naming the tensor and the problem
 * @example
 * ```ts
 * import { readTensor } from 'boltzmann/base';
 * const doc = { format: 'boltzmann', version: 1, kind: 'x', config: {}, tensors: { b: { shape: [2], data: [1, 2] } } } as const;
 * readTensor(doc as never, 'b', [2]).data; // Float64Array [1, 2]
 * ```
 * @category Data & files
 */
export function readTensor(doc: ModelDocument, name: string, expectedShape?: readonly number[]): Tensor {
  const where = `load ${doc.kind}`;
  if (!Object.hasOwn(doc.tensors, name)) throw new FormatError(`${where}: missing tensor '${name}'`);
  return tensorFromJson(where, name, doc.tensors[name], expectedShape);
}

/** A generator's state as JSON (`Random.fromState` reads it back). @internal */
export function randomStateToJson(s: RandomState): JsonObject {
  return { algorithm: s.algorithm, words: s.words.slice(), spareNormal: s.spareNormal };
}

/**
 * A model's `state` for its document: its own generator stream as `rng` (so a loaded copy
 * draws what the saved model would have drawn next, as `clone()` does), and a trainer's
 * state as `training` when given.
 * @internal
 */
export function modelState(random: Random, training?: JsonObject): JsonObject {
  const state: JsonObject = { rng: randomStateToJson(random.getState()) };
  if (training !== undefined) state.training = training;
  return state;
}

/**
 * The generator saved in `doc.state.rng` by {@link modelState}, or `undefined` when the
 * document has none (documents written before it carried one: the loader then seeds as it
 * always did). A malformed one is a FormatError naming `state.rng`.
 * @internal
 */
export function readModelRandom(where: string, doc: ModelDocument): Random | undefined {
  const raw = doc.state?.rng;
  if (raw === undefined) return undefined;
  try {
    return Random.fromState(raw as unknown as RandomState);
  } catch (e) {
    throw new FormatError(`${where}: state.rng is invalid (${e instanceof Error ? e.message : describeValue(e)})`);
  }
}

/**
 * Sets `random` (a freshly loaded model's stream) to the state saved in `doc.state.rng`,
 * when the document has one (see {@link readModelRandom}); otherwise leaves it as the
 * loader seeded it.
 * @internal
 */
export function restoreModelRandom(where: string, doc: ModelDocument, random: Random): void {
  const saved = readModelRandom(where, doc);
  if (saved !== undefined) random.setState(saved.getState());
}
