/**
 * safetensors — the tensor file format of Hugging Face, read and written by
 * PyTorch (`safetensors.torch`), NumPy (`safetensors.numpy`), JAX and many
 * others — so parameters move between this library and the Python world.
 *
 * Layout: 8 bytes little-endian `u64` header length `N`; `N` bytes of UTF-8
 * JSON `{ "__metadata__": { str: str }, "<name>": { "dtype": "F64", "shape":
 * [r, c], "data_offsets": [begin, end] }, … }`, padded with spaces; then the
 * data, little-endian, row-major, offsets relative to the end of the header.
 *
 * {@link encodeSafetensors} writes float64 (or float32) tensors, sorted by
 * name, with the header padded to 8 bytes so the data is aligned.
 * {@link decodeSafetensors} treats the file as hostile and checks, before
 * allocating any tensor: header length within the file and at most 100 MB (as
 * the reference implementation); header starts with `{`, is valid UTF-8 and
 * JSON, has no duplicate keys (JSON.parse would silently keep the last) and no
 * `__proto__` / `constructor` / `prototype` names; every dtype known; every
 * shape a list of non-negative integers whose byte size (computed without
 * overflow) equals `end − begin`; offsets in range and, sorted, tiling the data
 * buffer exactly with no gap or overlap (as the reference implementation).
 * F64 is read exactly; F32, F16, BF16, integer and BOOL tensors are converted
 * to float64 (I64/U64 beyond 2⁵³ are rejected as not exactly representable);
 * the F8 types are rejected as unsupported.
 * @module
 */
import { describeValue, FormatError } from '../errors.js';
import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  type JsonObject,
  type JsonValue,
  type ModelDocument,
  type Tensor,
  tensorFromJson,
  tensorToJson,
} from '../document.js';
import { checkOptionsKeys, optionKeys } from '../validate.js';

/** dtypes {@link decodeSafetensors} reads (converted to float64).
 * @category Data & files
 */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** dtypes of the format that this library recognises but does not read. */
const UNSUPPORTED_DTYPES = new Set(['F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64', 'C128']);

/**
 * The largest header accepted: 100 MB, as in the reference implementation.
 *
 * @example
 * ```ts
 * import { SAFETENSORS_MAX_HEADER_BYTES } from 'boltzmann';
 * SAFETENSORS_MAX_HEADER_BYTES; // 100000000: a larger header is refused before it is parsed
 * ```
 * @category Data & files
 */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * The largest number of dimensions accepted for one tensor.
 *
 * @example
 * ```ts
 * import { SAFETENSORS_MAX_DIMS } from 'boltzmann';
 * SAFETENSORS_MAX_DIMS; // 64
 * ```
 * @category Data & files
 */
export const SAFETENSORS_MAX_DIMS = 64;

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** A decoded safetensors file.
 * @category Data & files
 */
export interface SafetensorsFile {
  /** Tensors by name (a prototype-free object), values converted to float64. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings (a prototype-free object; empty when absent). */
  metadata: Record<string, string>;
  /** Each tensor's dtype as stored in the file. */
  dtypes: Record<string, SafetensorsDtype>;
}

/** Options of {@link encodeSafetensors}.
 * @category Data & files
 */
export interface EncodeSafetensorsOptions {
  /** Stored element type: `'F64'` (default, exact) or `'F32'` (rounded to nearest float32, the usual PyTorch dtype). */
  dtype?: 'F64' | 'F32';
}

const ENCODE_KEYS = optionKeys<EncodeSafetensorsOptions>()({ dtype: true });

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function checkName(where: string, name: string, what: string): void {
  if (name.length === 0) throw new FormatError(`${where}: ${what} names must be non-empty`);
  if (FORBIDDEN_NAMES.has(name)) throw new FormatError(`${where}: ${what} name '${name}' is not allowed`);
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file.
 * Tensors are written sorted by name, each as little-endian F64 (default) or
 * F32; the header is compact JSON padded with spaces so the data starts at a
 * multiple of 8 bytes. The same tensors give the same bytes.
 *
 * @param tensors - tensors by name (a plain object or a Map); each `data.length` equals the product of `shape`
 * @param metadata - optional `__metadata__` strings
 * @param options - `dtype`: `'F64'` (default) or `'F32'`
 * @returns the file's bytes
 * @throws {TypeError} on a wrong argument type
 * @throws {RangeError} on a bad shape, a data length that does not match it, or a bad dtype
 * @throws {FormatError} on an empty or forbidden name (`__metadata__`, `__proto__`, `constructor`, `prototype`)
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from 'boltzmann';
 * const bytes = encodeSafetensors({ weights: { shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) } }, { kind: 'rbm' });
 * decodeSafetensors(bytes).tensors.weights.shape; // [2, 2]
 * ```
 * @category Data & files
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor> | ReadonlyMap<string, Tensor>,
  metadata?: Record<string, string>,
  options?: EncodeSafetensorsOptions,
): Uint8Array {
  const where = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object') {
    throw new TypeError(`${where}: tensors must be an object or Map of { shape, data } (got ${describeValue(tensors)})`);
  }
  const opts = checkOptionsKeys(where, options, ENCODE_KEYS);
  const dtype = opts.dtype === undefined ? 'F64' : opts.dtype;
  if (dtype !== 'F64' && dtype !== 'F32') throw new RangeError(`${where}: options.dtype must be 'F64' or 'F32' (got ${describeValue(dtype)})`);
  const entries: [string, Tensor][] = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const elem = DTYPE_BYTES[dtype];
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new TypeError(`${where}: metadata must be an object of strings (got ${describeValue(metadata)})`);
    }
    const meta: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(metadata)) {
      checkName(where, k, 'metadata');
      if (typeof v !== 'string') throw new TypeError(`${where}: metadata['${k}'] must be a string (got ${describeValue(v)})`);
      meta[k] = v;
    }
    header.__metadata__ = meta;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (typeof name !== 'string') throw new TypeError(`${where}: tensor names must be strings (got ${describeValue(name)})`);
    checkName(where, name, 'tensor');
    if (name === '__metadata__') throw new FormatError(`${where}: '__metadata__' is reserved and cannot name a tensor`);
    if (t === null || typeof t !== 'object' || !(t.data instanceof Float64Array) || !Array.isArray(t.shape)) {
      throw new TypeError(`${where}: tensor '${name}' must be { shape: number[], data: Float64Array } (got ${describeValue(t)})`);
    }
    if (t.shape.length > SAFETENSORS_MAX_DIMS) throw new RangeError(`${where}: tensor '${name}' has more than ${SAFETENSORS_MAX_DIMS} dimensions`);
    let size = 1;
    for (const s of t.shape) {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
        throw new RangeError(`${where}: tensor '${name}' shape must hold non-negative integers (got [${t.shape.join(', ')}])`);
      }
      size *= s;
    }
    if (size !== t.data.length) {
      throw new RangeError(`${where}: tensor '${name}' data must have ${size} entries for shape [${t.shape.join(', ')}] (got ${t.data.length})`);
    }
    header[name] = { dtype, shape: t.shape.slice(), data_offsets: [offset, offset + size * elem] };
    offset += size * elem;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const [, t] of entries) {
    const d = t.data;
    if (dtype === 'F64') {
      if (LITTLE_ENDIAN) out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
      else for (let i = 0; i < d.length; i++) view.setFloat64(pos + 8 * i, d[i] as number, true);
    } else {
      for (let i = 0; i < d.length; i++) view.setFloat32(pos + 4 * i, d[i] as number, true);
    }
    pos += d.length * elem;
  }
  return out;
}

/**
 * Finds duplicate object keys in valid JSON text (JSON.parse keeps the last
 * silently). Returns the first duplicate found, or null.
 */
function findDuplicateKey(text: string): string | null {
  const stack: (Set<string> | null)[] = []; // a Set per open object, null per open array
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      const top = stack[stack.length - 1];
      if (top) {
        // a string in an object is a key when the next non-space character is ':'
        let j = i;
        while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
        if (text[j] === ':') {
          const key = JSON.parse(text.slice(start, i)) as string;
          if (top.has(key)) return key;
          top.add(key);
        }
      }
      continue;
    }
    if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    i++;
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  size: number;
  begin: number;
  end: number;
}

/** f16 bits → number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f === 0 ? s * Number.POSITIVE_INFINITY : Number.NaN;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Decodes a safetensors file, checking it as described in the module notes
 * before allocating any tensor. Every tensor comes back as float64.
 *
 * @param bytes - the whole file
 * @returns tensors (float64), metadata strings, and each tensor's stored dtype
 * @throws {TypeError} when `bytes` is not a Uint8Array
 * @throws {FormatError} naming the first problem found in the file
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from 'boltzmann';
 * import { readFileSync, writeFileSync } from 'node:fs';
 * writeFileSync('model.safetensors', encodeSafetensors({ w: { shape: [2], data: Float64Array.of(1, 2) } }, { note: 'hi' }));
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync('model.safetensors')));
 * Array.from(tensors.w.data); // [1, 2]
 * metadata.note; // 'hi'
 * ```
 * @category Data & files
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  const where = 'decodeSafetensors';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${where}: bytes must be a Uint8Array (got ${describeValue(bytes)})`);
  if (bytes.length < 8) throw new FormatError(`${where}: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new FormatError(`${where}: header length ${hi > 0x1fffff ? 'above 2^53' : n} exceeds the limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes`);
  }
  if (n > bytes.length - 8) throw new FormatError(`${where}: header length ${n} runs past the end of the ${bytes.length}-byte file`);
  if (n < 2 || bytes[8] !== 0x7b) throw new FormatError(`${where}: the header must be a JSON object starting with '{'`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new FormatError(`${where}: the header is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${where}: the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isPlainObject(header)) throw new FormatError(`${where}: the header must be a JSON object`);
  const dup = findDuplicateKey(text);
  if (dup !== null) throw new FormatError(`${where}: duplicate key ${JSON.stringify(dup)} in the header`);

  const bufferLen = bytes.length - 8 - n;
  const metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const name of Object.keys(header)) {
    const info = header[name];
    if (name === '__metadata__') {
      if (info === null) continue;
      if (!isPlainObject(info)) throw new FormatError(`${where}: __metadata__ must be an object of strings`);
      for (const k of Object.keys(info)) {
        checkName(where, k, 'metadata');
        const v = info[k];
        if (typeof v !== 'string') throw new FormatError(`${where}: __metadata__['${k}'] must be a string (got ${describeValue(v)})`);
        metadata[k] = v;
      }
      continue;
    }
    checkName(where, name, 'tensor');
    const t = `${where}: tensor ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)}`;
    if (!isPlainObject(info)) throw new FormatError(`${t} must be an object { dtype, shape, data_offsets }`);
    for (const k of Object.keys(info)) {
      if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw new FormatError(`${t} has an unknown field ${JSON.stringify(k)}`);
    }
    const dtype = info.dtype;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
      const why = typeof dtype === 'string' && UNSUPPORTED_DTYPES.has(dtype) ? 'is not supported' : 'is unknown';
      throw new FormatError(`${t} dtype ${describeValue(dtype)} ${why} (readable: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.length > SAFETENSORS_MAX_DIMS) {
      throw new FormatError(`${t} shape must be an array of at most ${SAFETENSORS_MAX_DIMS} sizes`);
    }
    const elem = DTYPE_BYTES[dtype as SafetensorsDtype];
    let size = 1;
    let tooBig = false;
    for (const s of shape) {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
        throw new FormatError(`${t} shape must hold non-negative integers (got ${describeValue(s)})`);
      }
      size *= s;
      if (size * elem > bufferLen) tooBig = true;
    }
    if (size === 0) tooBig = false;
    const offsets = info.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
    ) {
      throw new FormatError(`${t} data_offsets must be [begin, end] with non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > bufferLen) {
      throw new FormatError(`${t} data_offsets [${begin}, ${end}] out of range for a data buffer of ${bufferLen} bytes`);
    }
    if (tooBig || size * elem !== end - begin) {
      throw new FormatError(
        `${t} shape [${shape.join(', ')}] of ${dtype} needs ${tooBig ? `more than ${bufferLen}` : size * elem} bytes, but data_offsets span ${end - begin}`,
      );
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], size, begin, end });
  }
  // The tensors must tile the data buffer: sorted by offsets, no gap, no overlap, nothing left over.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const e of sorted) {
    if (e.begin !== pos) {
      throw new FormatError(
        `${where}: tensor ${JSON.stringify(e.name)} starts at byte ${e.begin} of the data, expected ${pos} (${e.begin < pos ? 'overlap' : 'gap'})`,
      );
    }
    pos = e.end;
  }
  if (pos !== bufferLen) throw new FormatError(`${where}: the tensors cover ${pos} bytes of data, but the file holds ${bufferLen}`);

  const tensors: Record<string, Tensor> = Object.create(null);
  const dtypes: Record<string, SafetensorsDtype> = Object.create(null);
  const base = 8 + n;
  for (const e of entries) {
    const data = new Float64Array(e.size);
    const o = base + e.begin;
    switch (e.dtype) {
      case 'F64':
        if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes.subarray(o, o + 8 * e.size));
        else for (let i = 0; i < e.size; i++) data[i] = view.getFloat64(o + 8 * i, true);
        break;
      case 'F32':
        for (let i = 0; i < e.size; i++) data[i] = view.getFloat32(o + 4 * i, true);
        break;
      case 'F16':
        for (let i = 0; i < e.size; i++) data[i] = halfToNumber(view.getUint16(o + 2 * i, true));
        break;
      case 'BF16': {
        const f = new DataView(new ArrayBuffer(4));
        for (let i = 0; i < e.size; i++) {
          f.setUint32(0, view.getUint16(o + 2 * i, true) << 16);
          data[i] = f.getFloat32(0);
        }
        break;
      }
      case 'I64':
      case 'U64':
        for (let i = 0; i < e.size; i++) {
          const v = e.dtype === 'I64' ? view.getBigInt64(o + 8 * i, true) : view.getBigUint64(o + 8 * i, true);
          if (v > 9007199254740992n || v < -9007199254740992n) {
            throw new FormatError(`${where}: tensor ${JSON.stringify(e.name)} entry ${i} (${v}) is not exactly representable as a float64`);
          }
          data[i] = Number(v);
        }
        break;
      case 'I32':
        for (let i = 0; i < e.size; i++) data[i] = view.getInt32(o + 4 * i, true);
        break;
      case 'U32':
        for (let i = 0; i < e.size; i++) data[i] = view.getUint32(o + 4 * i, true);
        break;
      case 'I16':
        for (let i = 0; i < e.size; i++) data[i] = view.getInt16(o + 2 * i, true);
        break;
      case 'U16':
        for (let i = 0; i < e.size; i++) data[i] = view.getUint16(o + 2 * i, true);
        break;
      case 'I8':
        for (let i = 0; i < e.size; i++) data[i] = view.getInt8(o + i);
        break;
      case 'U8':
        for (let i = 0; i < e.size; i++) data[i] = bytes[o + i] as number;
        break;
      case 'BOOL':
        for (let i = 0; i < e.size; i++) {
          const b = bytes[o + i] as number;
          if (b > 1) throw new FormatError(`${where}: tensor ${JSON.stringify(e.name)} BOOL entry ${i} must be 0 or 1 (got ${b})`);
          data[i] = b;
        }
        break;
    }
    tensors[e.name] = { shape: e.shape.slice(), data };
    dtypes[e.name] = e.dtype;
  }
  return { tensors, metadata, dtypes };
}

/** Options of {@link documentToSafetensors}.
 * @category Data & files
 */
export interface DocumentToSafetensorsOptions {
  /**
   * What becomes of the document's training `state`: `'tensors'` (default)
   * keeps it for resuming, with every numeric array of 64 or more entries
   * (momentum, persistent chains, …) stored as an F64 tensor named
   * `state/<path>` (and so is every compact `{ shape, dtype: 'f64', base64 }`
   * tensor in it) and only the small rest (epoch, generator state, settings)
   * as JSON metadata; `'omit'` leaves it out (a file of the parameters only).
   */
  state?: 'tensors' | 'omit';
}

const DOCUMENT_TO_SAFETENSORS_KEYS = optionKeys<DocumentToSafetensorsOptions>()({ state: true });

/** Numeric arrays in the training state at least this long are stored as tensors. */
const STATE_TENSOR_MIN = 64;
/** Prefix of the tensors that hold training-state arrays. */
const STATE_PREFIX = 'state/';
/** The key of the JSON object that stands for a state array stored as a tensor. */
const STATE_REF = '$tensor';
/** Marks a reference to a tensor that was in the compact `{ shape, dtype, base64 }` form. */
const STATE_BASE64 = '$base64';

/** RFC 6901 escaping of one path segment. */
function pointerSegment(k: string | number): string {
  return String(k).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A copy of `v` with long numeric arrays moved into `out` (as tensors) and replaced by `{ $tensor: name }`. */
function stateToTensors(v: JsonValue, path: string, out: Map<string, Tensor>): JsonValue {
  if (Array.isArray(v)) {
    if (v.length >= STATE_TENSOR_MIN && v.every((x) => typeof x === 'number')) {
      const name = STATE_PREFIX + path;
      out.set(name, { shape: [v.length], data: Float64Array.from(v as number[]) });
      return { [STATE_REF]: name };
    }
    return v.map((x, i) => stateToTensors(x, path === '' ? String(i) : `${path}/${i}`, out));
  }
  if (v !== null && typeof v === 'object') {
    if (Object.hasOwn(v, STATE_REF)) throw new FormatError(`documentToSafetensors: state must not hold a '${STATE_REF}' key (at '${path}')`);
    const keys = Object.keys(v);
    if (keys.length === 3 && v.dtype === 'f64' && typeof v.base64 === 'string' && Array.isArray(v.shape)) {
      // a compact tensor inside the state (tensorToJson's default form): stored as a tensor too
      const name = STATE_PREFIX + path;
      out.set(name, tensorFromJson('documentToSafetensors', name, v));
      return { [STATE_REF]: name, [STATE_BASE64]: true };
    }
    const o: Record<string, JsonValue> = Object.create(null);
    for (const k of Object.keys(v)) {
      const seg = pointerSegment(k);
      o[k] = stateToTensors(v[k] as JsonValue, path === '' ? seg : `${path}/${seg}`, out);
    }
    return o;
  }
  return v;
}

/** Inverse of {@link stateToTensors}: `{ $tensor: name }` back to the array (the tensor's name is recorded in `used`). */
function stateFromTensors(v: unknown, tensors: Record<string, Tensor>, used: Set<string>, depth: number): JsonValue {
  if (depth > 64) throw new FormatError(`safetensorsToDocument: metadata 'boltzmann.state' is nested more than 64 levels deep`);
  if (Array.isArray(v)) return v.map((x) => stateFromTensors(x, tensors, used, depth + 1));
  if (v !== null && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    if (Object.hasOwn(r, STATE_REF)) {
      const name = r[STATE_REF];
      const compact = Object.hasOwn(r, STATE_BASE64);
      if (compact && r[STATE_BASE64] !== true) throw new FormatError(`safetensorsToDocument: state reference's '${STATE_BASE64}' must be true`);
      if (Object.keys(r).length !== (compact ? 2 : 1) || typeof name !== 'string' || !name.startsWith(STATE_PREFIX) || !Object.hasOwn(tensors, name)) {
        throw new FormatError(`safetensorsToDocument: state reference ${describeValue(r[STATE_REF])} does not name a '${STATE_PREFIX}…' tensor of the file`);
      }
      const t = tensors[name] as Tensor;
      used.add(name);
      if (compact) return tensorToJson(t) as unknown as JsonValue;
      if (t.shape.length !== 1) throw new FormatError(`safetensorsToDocument: state tensor '${name}' must be 1-D (got shape [${t.shape.join(', ')}])`);
      return Array.from(t.data);
    }
    const o: Record<string, JsonValue> = Object.create(null);
    for (const k of Object.keys(r)) o[k] = stateFromTensors(r[k], tensors, used, depth + 1);
    return o;
  }
  return v as JsonValue;
}

/**
 * Writes a model document (from any model's `toDocument()`) as safetensors:
 * its tensors as F64 (either document form: base64 or JSON numbers), and its
 * envelope in the metadata (`boltzmann.format`, `boltzmann.version`,
 * `boltzmann.kind`, and `boltzmann.config` / `boltzmann.state` as JSON text),
 * so {@link safetensorsToDocument} rebuilds the same document and
 * `Model.fromDocument` the same model. The training state's long numeric
 * arrays go into `state/<path>` F64 tensors rather than the metadata (or the
 * state is left out with `{ state: 'omit' }`). Python sees ordinary named
 * float64 tensors.
 *
 * @param doc - a model document
 * @param options - `state`: `'tensors'` (default) or `'omit'`
 * @returns the safetensors bytes
 * @throws {TypeError | FormatError} when the document is malformed
 * @example
 * ```ts
 * import { documentToSafetensors, RBM, RBMTrainer } from 'boltzmann';
 * const data = [[1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1 });
 * const trainer = new RBMTrainer(rbm, { method: 'pcd', batchSize: 2, rng: 2 });
 * trainer.fit(data, { epochs: 1 });
 * const bytes = documentToSafetensors(rbm.toDocument()); // the model
 * const withState = documentToSafetensors(trainer.toDocument()); // the model and the trainer's state (to resume)
 * const weightsOnly = documentToSafetensors(trainer.toDocument(), { state: 'omit' }); // the model alone
 * ```
 * @category Data & files
 */
export function documentToSafetensors(doc: ModelDocument, options?: DocumentToSafetensorsOptions): Uint8Array {
  const where = 'documentToSafetensors';
  const o = checkOptionsKeys(where, options, DOCUMENT_TO_SAFETENSORS_KEYS);
  const stateMode = o.state ?? 'tensors';
  if (stateMode !== 'tensors' && stateMode !== 'omit') {
    throw new TypeError(`${where}: state must be 'tensors' or 'omit' (got ${describeValue(stateMode)})`);
  }
  if (!isPlainObject(doc) || !isPlainObject(doc.tensors) || typeof doc.kind !== 'string') {
    throw new TypeError(`${where}: doc must be a model document { format, version, kind, config, tensors } (got ${describeValue(doc)})`);
  }
  const tensors = new Map<string, Tensor>();
  for (const name of Object.keys(doc.tensors)) tensors.set(name, tensorFromJson(where, name, doc.tensors[name]));
  const metadata: Record<string, string> = {
    'boltzmann.format': DOCUMENT_FORMAT,
    'boltzmann.version': String(doc.version),
    'boltzmann.kind': doc.kind,
    'boltzmann.config': JSON.stringify(doc.config ?? {}),
  };
  if (doc.state !== undefined && stateMode === 'tensors') {
    const stateTensors = new Map<string, Tensor>();
    const state = stateToTensors(doc.state as JsonValue, '', stateTensors);
    for (const [name, t] of stateTensors) {
      if (tensors.has(name)) throw new FormatError(`${where}: tensor '${name}' clashes with the training state's tensor of that name`);
      tensors.set(name, t);
    }
    metadata['boltzmann.state'] = JSON.stringify(state);
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Reads safetensors bytes back into a model document for `Model.fromDocument`.
 * Files written by {@link documentToSafetensors} carry their kind, config and
 * state (the state's `state/…` tensors are folded back into it as arrays, and
 * the model's tensors come back in the document's base64 form); for a file written elsewhere (e.g. PyTorch, with the same tensor names
 * and shapes), give `kind` and `config` — and note that float32 tensors are
 * widened exactly to float64.
 *
 * @param bytes - the safetensors file
 * @param fallback - `kind` and `config` to use when the file has no `boltzmann.*` metadata
 * @returns a model document (not yet checked against a model: `fromDocument` does that)
 * @throws {TypeError} when `bytes` is not a Uint8Array
 * @throws {FormatError} when the file is malformed, its metadata is not valid JSON, or the kind is unknown and not given
 * @example
 * ```ts
 * import { documentToSafetensors, encodeSafetensors, RBM, safetensorsToDocument } from 'boltzmann';
 * const bytes = documentToSafetensors(new RBM(4, 2, { rng: 1 }).toDocument());
 * const rbm = RBM.fromDocument(safetensorsToDocument(bytes)); // the same RBM
 * // a file written elsewhere (e.g. PyTorch) with the same tensor names and shapes, as float32:
 * const torchBytes = encodeSafetensors(
 *   {
 *     weights: { shape: [4, 2], data: new Float64Array(8).fill(0.5) },
 *     visibleBias: { shape: [4], data: new Float64Array(4) },
 *     hiddenBias: { shape: [2], data: new Float64Array(2) },
 *   },
 *   {},
 *   { dtype: 'F32' },
 * );
 * const fromTorch = RBM.fromDocument(safetensorsToDocument(torchBytes, { kind: 'rbm', config: { nVisible: 4, nHidden: 2 } }));
 * fromTorch.nHidden; // 2
 * ```
 * @category Data & files
 */
export function safetensorsToDocument(bytes: Uint8Array, fallback?: { kind: string; config: JsonObject }): ModelDocument {
  const where = 'safetensorsToDocument';
  const { tensors, metadata } = decodeSafetensors(bytes);
  const parseJson = (key: string): JsonObject | undefined => {
    const text = metadata[key];
    if (text === undefined) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new FormatError(`${where}: metadata '${key}' is not valid JSON`);
    }
    if (!isPlainObject(v)) throw new FormatError(`${where}: metadata '${key}' must be a JSON object`);
    return v as JsonObject;
  };
  const kind = metadata['boltzmann.kind'] ?? fallback?.kind;
  if (typeof kind !== 'string') {
    throw new FormatError(`${where}: the file has no 'boltzmann.kind' metadata; pass { kind, config } for files written elsewhere`);
  }
  const version = metadata['boltzmann.version'] === undefined ? DOCUMENT_VERSION : Number(metadata['boltzmann.version']);
  if (!Number.isInteger(version) || version < 1) {
    throw new FormatError(`${where}: metadata 'boltzmann.version' must be a positive integer (got ${describeValue(metadata['boltzmann.version'])})`);
  }
  const config = parseJson('boltzmann.config') ?? fallback?.config ?? {};
  const rawState = parseJson('boltzmann.state');
  const used = new Set<string>();
  const state = rawState === undefined ? undefined : (stateFromTensors(rawState, tensors, used, 0) as JsonObject);
  const docTensors: ModelDocument['tensors'] = Object.create(null);
  for (const name of Object.keys(tensors)) if (!used.has(name)) docTensors[name] = tensorToJson(tensors[name] as Tensor);
  const doc: ModelDocument = { format: DOCUMENT_FORMAT, version, kind, config, tensors: docTensors };
  if (state !== undefined) doc.state = state;
  return doc;
}
