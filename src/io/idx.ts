/**
 * IDX files (the MNIST format) and gzip, without any platform dependency.
 *
 * An IDX file is a big-endian header — two zero bytes, a type code, the number
 * of dimensions `d`, then `d` unsigned 32-bit sizes — followed by the
 * row-major data. MNIST images are `0x00000803` (unsigned bytes, 3 dims:
 * count × rows × cols), labels `0x00000801`.
 *
 * {@link parseIdx} checks every header field, and that the declared size
 * equals the bytes actually present, **before** allocating anything, so a
 * hostile header (2³¹ rows, products that overflow) costs nothing.
 * {@link gunzip} uses the platform's `DecompressionStream` (browsers, Node ≥ 18,
 * Deno, Bun) with a cap on the output size against decompression bombs; in
 * Node, `loadIdx` from `boltzmann/node` reads files synchronously.
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkFinite, checkInt, checkOptionsKeys, optionKeys } from '../validate.js';

const IDX_TO_MATRIX_KEYS = optionKeys<{ scale?: number; limit?: number }>()({ scale: true, limit: true });
const GUNZIP_KEYS = optionKeys<{ maxBytes?: number }>()({ maxBytes: true });

/** The element types of IDX files, by name.
 * @category Data & files
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding the data of an IDX file of each type.
 * @category Data & files
 */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file.
 * @category Data & files
 */
export interface IdxArray {
  /** Element type. */
  type: IdxType;
  /** Dimensions, outermost first, e.g. `[10000, 28, 28]`. */
  dims: number[];
  /** `dims.reduce(*)` elements, row-major, in native byte order (a fresh copy). */
  data: IdxData;
}

/**
 * IDX type codes (the third byte of the magic number) by type.
 *
 * @example
 * ```ts
 * import { IDX_TYPE_CODES } from 'boltzmann';
 * IDX_TYPE_CODES.uint8; // 8: MNIST images start 00 00 08 03
 * ```
 * @category Data & files
 */
export const IDX_TYPE_CODES: Readonly<Record<IdxType, number>> = Object.freeze({
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
});

const CODE_TO_TYPE = new Map<number, IdxType>(
  (Object.keys(IDX_TYPE_CODES) as IdxType[]).map((t) => [IDX_TYPE_CODES[t], t] as [number, IdxType]),
);

const ELEMENT_BYTES: Readonly<Record<IdxType, number>> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/**
 * The largest number of dimensions accepted by {@link parseIdx} and {@link encodeIdx}.
 *
 * @example
 * ```ts
 * import { IDX_MAX_DIMS } from 'boltzmann';
 * IDX_MAX_DIMS; // 16
 * ```
 * @category Data & files
 */
export const IDX_MAX_DIMS = 16;

function checkBytes(where: string, bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${where}: bytes must be a Uint8Array (got ${describeValue(bytes)})`);
  return bytes;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Parses an (uncompressed) IDX file.
 *
 * Checks, in order and before allocating: the length covers the 4-byte magic
 * number; its first two bytes are zero; the type code is known; the number of
 * dimensions is 1..{@link IDX_MAX_DIMS}; the header fits; the product of the
 * dimensions times the element size equals exactly the bytes that follow
 * (computed without overflow).
 *
 * @param bytes - the whole file (decompress `.gz` files first, e.g. with {@link gunzip} or {@link readIdx})
 * @returns type, dims and a fresh typed array of the data
 * @throws {TypeError} when `bytes` is not a Uint8Array
 * @throws {FormatError} on a bad magic number, unknown type, bad dimension count, or a size that disagrees with the bytes present
 * @example
 * ```ts
 * import { parseIdx } from 'boltzmann';
 * // labels file with two labels, 3 and 7
 * const idx = parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 3, 7));
 * idx.dims; // [2]
 * idx.data; // Uint8Array [3, 7]
 * ```
 * @category Data & files
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  const where = 'parseIdx';
  checkBytes(where, bytes);
  const h = parseIdxHeader(bytes);
  const available = bytes.length - h.headerBytes;
  if (h.dataBytes !== available) {
    throw new FormatError(
      `${where}: dims [${h.dims.join(', ')}] of ${h.type} need ${h.dataBytes > Number.MAX_SAFE_INTEGER ? 'more than 2^53' : h.dataBytes} data bytes, but the file has ${available} after the ${h.headerBytes}-byte header`,
    );
  }
  return { type: h.type, dims: h.dims, data: decodeIdxData(h.type, h.count, bytes.subarray(h.headerBytes)) };
}

/** The header of an IDX file, as read by {@link parseIdxHeader}.
 * @category Data & files
 */
export interface IdxHeader {
  /** Element type. */
  type: IdxType;
  /** Dimensions, outermost first. */
  dims: number[];
  /** Bytes of the header: `4 + 4 · dims.length`. */
  headerBytes: number;
  /** Product of the dimensions (`Infinity` when it passes 2^53). */
  count: number;
  /** `count` times the element size: the data bytes that must follow the header. */
  dataBytes: number;
}

/**
 * Reads and checks the header of an IDX file from its first bytes (the data
 * need not be present): the magic number's two zero bytes, the type code, the
 * number of dimensions (1..{@link IDX_MAX_DIMS}) and the sizes. Streaming
 * readers call it on the first `4 + 4·d` bytes to size (or refuse) the data
 * before decompressing it.
 *
 * @param bytes - at least the header of an IDX file
 * @returns type, dims, header length, element count and data bytes
 * @throws {TypeError} when `bytes` is not a Uint8Array
 * @throws {FormatError} on a bad magic number, unknown type, bad dimension count, or too few bytes for the header
 * @example
 * ```ts
 * import { parseIdxHeader } from 'boltzmann';
 * parseIdxHeader(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2)).dataBytes; // 2
 * ```
 * @category Data & files
 */
export function parseIdxHeader(bytes: Uint8Array): IdxHeader {
  const where = 'parseIdx';
  checkBytes(where, bytes);
  if (bytes.length < 4) throw new FormatError(`${where}: file is ${bytes.length} bytes, too short for the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this looks like gzip: decompress first, e.g. with readIdx)' : '';
    throw new FormatError(`${where}: bad magic number ${hex(magic)}: must start with two zero bytes${gz}`);
  }
  const type = CODE_TO_TYPE.get(bytes[2] as number);
  if (type === undefined) {
    throw new FormatError(
      `${where}: unknown type code 0x${(bytes[2] as number).toString(16).padStart(2, '0')} in magic number ${hex(magic)} (known: 08 u8, 09 i8, 0b i16, 0c i32, 0d f32, 0e f64)`,
    );
  }
  const nDims = bytes[3] as number;
  if (nDims < 1 || nDims > IDX_MAX_DIMS) {
    throw new FormatError(`${where}: number of dimensions must be 1..${IDX_MAX_DIMS} (got ${nDims} in magic number ${hex(magic)})`);
  }
  const headerBytes = 4 + 4 * nDims;
  if (bytes.length < headerBytes) {
    throw new FormatError(`${where}: file is ${bytes.length} bytes, too short for a header of ${nDims} dimensions (${headerBytes} bytes)`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let k = 0; k < nDims; k++) {
    const d = view.getUint32(4 + 4 * k);
    dims.push(d);
    count *= d; // exact while count ≤ 2^53
  }
  if (dims.includes(0)) count = 0;
  else if (count > Number.MAX_SAFE_INTEGER) count = Number.POSITIVE_INFINITY;
  return { type, dims, headerBytes, count, dataBytes: count * ELEMENT_BYTES[type] };
}

/**
 * Decodes `count` big-endian elements of `type` from `body` into a fresh typed
 * array of exactly `count` elements (never a view of `body`'s memory).
 * @internal
 */
export function decodeIdxData(type: IdxType, count: number, body: Uint8Array): IdxData {
  // Fresh arrays of exactly `count` elements: never `body.slice()`, which for a Node Buffer is a view
  // into the caller's memory (or Node's shared 8 KiB pool), not a copy.
  switch (type) {
    case 'uint8': {
      const a = new Uint8Array(count);
      a.set(body.subarray(0, count));
      return a;
    }
    case 'int8': {
      const a = new Int8Array(count);
      a.set(new Int8Array(body.buffer, body.byteOffset, count));
      return a;
    }
    default: {
      const bv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (type === 'int16') {
        const a = new Int16Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getInt16(2 * i);
        return a;
      }
      if (type === 'int32') {
        const a = new Int32Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getInt32(4 * i);
        return a;
      }
      if (type === 'float32') {
        const a = new Float32Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getFloat32(4 * i);
        return a;
      }
      const a = new Float64Array(count);
      for (let i = 0; i < count; i++) a[i] = bv.getFloat64(8 * i);
      return a;
    }
  }
}

/** Bytes per element of each IDX type.
 * @internal
 */
export function idxElementBytes(type: IdxType): number {
  return ELEMENT_BYTES[type];
}

/**
 * Encodes an array as an (uncompressed) IDX file, the inverse of {@link parseIdx}.
 * Values are stored as given (a Float64Array written as uint8 must hold integers 0..255).
 *
 * @param idx - `{ type, dims, data }`; `data.length` must equal the product of `dims`
 * @returns the file's bytes
 * @throws {TypeError} on a wrong argument type
 * @throws {RangeError} on an unknown type, bad dims, or a value the type cannot hold exactly
 * @throws {ShapeError} when `data.length` differs from the product of `dims`
 * @example
 * ```ts
 * import { encodeIdx, parseIdx } from 'boltzmann';
 * const bytes = encodeIdx({ type: 'uint8', dims: [2], data: Uint8Array.of(3, 7) });
 * parseIdx(bytes).data; // Uint8Array [3, 7]
 * ```
 * @category Data & files
 */
export function encodeIdx(idx: { type: IdxType; dims: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const where = 'encodeIdx';
  if (idx === null || typeof idx !== 'object') throw new TypeError(`${where}: idx must be { type, dims, data } (got ${describeValue(idx)})`);
  const { type, dims, data } = idx;
  if (typeof type !== 'string' || !Object.hasOwn(ELEMENT_BYTES, type)) {
    throw new RangeError(`${where}: type must be one of ${Object.keys(ELEMENT_BYTES).join(', ')} (got ${describeValue(type)})`);
  }
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > IDX_MAX_DIMS) {
    throw new RangeError(`${where}: dims must be an array of 1..${IDX_MAX_DIMS} sizes (got ${describeValue(dims)})`);
  }
  let count = 1;
  for (let k = 0; k < dims.length; k++) {
    count *= checkInt(where, `dims[${k}]`, dims[k], 0, 0xffffffff);
  }
  if (data === null || typeof data !== 'object' || typeof (data as { length?: unknown }).length !== 'number') {
    throw new TypeError(`${where}: data must be an array or typed array of numbers (got ${describeValue(data)})`);
  }
  if (data.length !== count) {
    throw new ShapeError(`${where}: data must have ${count} elements for dims [${dims.join(', ')}] (got ${data.length})`);
  }
  const elem = ELEMENT_BYTES[type];
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + elem * count);
  const view = new DataView(out.buffer);
  out[2] = IDX_TYPE_CODES[type];
  out[3] = dims.length;
  dims.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d);
  });
  const limits: Record<string, [number, number]> = {
    uint8: [0, 255],
    int8: [-128, 127],
    int16: [-32768, 32767],
    int32: [-2147483648, 2147483647],
  };
  const lim = limits[type];
  for (let i = 0; i < count; i++) {
    const v = data[i] as number;
    if (typeof v !== 'number') throw new TypeError(`${where}: data[${i}] must be a number (got ${describeValue(v)})`);
    if (lim && !(Number.isInteger(v) && v >= lim[0] && v <= lim[1])) {
      throw new RangeError(`${where}: data[${i}] must be an integer in [${lim[0]}, ${lim[1]}] for ${type} (got ${describeValue(v)})`);
    }
    const o = header + elem * i;
    if (type === 'uint8') out[o] = v;
    else if (type === 'int8') view.setInt8(o, v);
    else if (type === 'int16') view.setInt16(o, v);
    else if (type === 'int32') view.setInt32(o, v);
    else if (type === 'float32') view.setFloat32(o, v);
    else view.setFloat64(o, v);
  }
  return out;
}

/**
 * Converts an IDX array to a {@link Matrix}: the first dimension becomes the
 * rows, the product of the others the columns (a `[n, 28, 28]` image file
 * becomes `[n, 784]`), each value multiplied by `scale`.
 *
 * @param idx - a parsed IDX array (e.g. from {@link parseIdx})
 * @param options - `scale` (default 1; use `1/255` for MNIST pixels), `limit` (keep only the first `limit` rows)
 * @returns a new matrix
 * @throws {TypeError | RangeError} on a bad argument
 * @example
 * ```ts
 * import { idxToMatrix, parseIdx } from 'boltzmann';
 * const idx = parseIdx(Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255));
 * idxToMatrix(idx, { scale: 1 / 255 }).data; // Float64Array [0, 1]
 * ```
 * @category Data & files
 */
export function idxToMatrix(idx: IdxArray, options?: { scale?: number; limit?: number }): Matrix {
  const where = 'idxToMatrix';
  if (idx === null || typeof idx !== 'object' || !Array.isArray(idx.dims) || idx.dims.length < 1 || !ArrayBuffer.isView(idx.data)) {
    throw new TypeError(`${where}: idx must be an IdxArray { type, dims, data } (got ${describeValue(idx)})`);
  }
  const opts = checkOptionsKeys(where, options, IDX_TO_MATRIX_KEYS);
  const scale = opts.scale === undefined ? 1 : checkFinite(where, 'options.scale', opts.scale);
  const n0 = idx.dims[0] as number;
  let cols = 1;
  for (let k = 1; k < idx.dims.length; k++) cols *= idx.dims[k] as number;
  if (n0 * cols !== idx.data.length) {
    throw new ShapeError(`${where}: idx.data must have ${n0 * cols} elements for dims [${idx.dims.join(', ')}] (got ${idx.data.length})`);
  }
  const rows = opts.limit === undefined ? n0 : Math.min(n0, checkInt(where, 'options.limit', opts.limit));
  const out = new Float64Array(rows * cols);
  const src = idx.data;
  if (scale === 1) for (let i = 0; i < out.length; i++) out[i] = src[i] as number;
  else for (let i = 0; i < out.length; i++) out[i] = (src[i] as number) * scale;
  return { rows, cols, data: out };
}

/**
 * True when `bytes` starts with the gzip magic number `1f 8b`.
 *
 * @param bytes - file contents
 * @returns whether it looks gzip-compressed
 * @example
 * ```ts
 * import { isGzip } from 'boltzmann';
 * isGzip(Uint8Array.of(0x1f, 0x8b, 8)); // true
 * ```
 * @category Data & files
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes instanceof Uint8Array && bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The default cap on {@link gunzip}'s output: 1 GiB.
 *
 * @example
 * ```ts
 * import { GUNZIP_DEFAULT_MAX_BYTES } from 'boltzmann';
 * GUNZIP_DEFAULT_MAX_BYTES; // 1073741824 (1 GiB); pass { maxBytes } to gunzip or readIdx to change it
 * ```
 * @category Data & files
 */
export const GUNZIP_DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * Decompresses gzip data with the platform's `DecompressionStream` (browsers,
 * Node ≥ 18). Multi-member files are handled by the platform. Output beyond
 * `maxBytes` aborts the stream (a defence against decompression bombs).
 *
 * @param bytes - gzip-compressed data
 * @param options - `maxBytes`: the largest output accepted (default {@link GUNZIP_DEFAULT_MAX_BYTES})
 * @returns the decompressed bytes
 * @throws {TypeError} when `bytes` is not a Uint8Array, or `DecompressionStream` is unavailable
 * @throws {FormatError} when the data is not valid gzip (bad header, corrupt stream, CRC mismatch, truncated) or the output exceeds `maxBytes`
 * @example
 * ```ts
 * import { gunzip } from 'boltzmann';
 * // gzip some bytes with the platform's CompressionStream, then decompress them
 * const gz = new Response(new Blob(['hello']).stream().pipeThrough(new CompressionStream('gzip')));
 * const gzBytes = new Uint8Array(await gz.arrayBuffer());
 * const text = new TextDecoder().decode(await gunzip(gzBytes)); // 'hello'
 * ```
 * @category Data & files
 */
export async function gunzip(bytes: Uint8Array, options?: { maxBytes?: number }): Promise<Uint8Array> {
  const where = 'gunzip';
  checkBytes(where, bytes);
  const opts = checkOptionsKeys(where, options, GUNZIP_KEYS);
  const maxBytes = opts.maxBytes === undefined ? GUNZIP_DEFAULT_MAX_BYTES : checkInt(where, 'options.maxBytes', opts.maxBytes);
  const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> })
    .DecompressionStream;
  if (typeof DS !== 'function') {
    throw new TypeError(`${where}: DecompressionStream is not available on this platform (in Node, use loadIdx from boltzmann/node)`);
  }
  if (!isGzip(bytes)) throw new FormatError(`${where}: not gzip data (the first bytes must be 1f 8b)`);
  const ds = new DS('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  // Feed the input without awaiting (backpressure would deadlock before the reader starts); errors surface on read.
  writer.write(bytes.slice()).catch(() => {});
  writer.close().catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new FormatError(`${where}: decompressed size exceeds maxBytes = ${maxBytes}`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${where}: corrupt or truncated gzip data (${e instanceof Error ? e.message : String(e)})`);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * Parses an IDX file that may be gzip-compressed (detected by its magic
 * number): {@link gunzip} when needed, then {@link parseIdx}. Works in browsers.
 *
 * @param bytes - the file, `.gz` or raw
 * @param options - `maxBytes` for the decompressed size (default {@link GUNZIP_DEFAULT_MAX_BYTES})
 * @returns the parsed array
 * @throws {TypeError | FormatError} as {@link gunzip} and {@link parseIdx}
 * @example
 * ```ts
 * import { encodeIdx, readIdx } from 'boltzmann';
 * // a small .gz IDX file; in a page, e.g. new Uint8Array(await (await fetch('t10k-labels-idx1-ubyte.gz')).arrayBuffer())
 * const raw = encodeIdx({ type: 'uint8', dims: [3], data: Uint8Array.of(7, 2, 1) });
 * const gz = new Response(new Blob([raw.slice()]).stream().pipeThrough(new CompressionStream('gzip')));
 * const bytes = new Uint8Array(await gz.arrayBuffer());
 * const labels = await readIdx(bytes); // gunzipped, then parsed
 * labels.dims; // [3]
 * Array.from(labels.data); // [7, 2, 1]
 * ```
 * @category Data & files
 */
export async function readIdx(bytes: Uint8Array, options?: { maxBytes?: number }): Promise<IdxArray> {
  checkBytes('readIdx', bytes);
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, options) : bytes);
}
