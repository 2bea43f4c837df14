/**
 * A small reader for MATLAB level-5 MAT-files (`save -v7`), enough for the
 * published data sets the command line converts: little-endian files holding
 * two-dimensional `double`, `uint8` and `logical` arrays, each stored plainly
 * (`miMATRIX`) or zlib-compressed (`miCOMPRESSED`, inflated with `node:zlib`).
 * Anything else (big-endian files, complex, sparse, cell, struct, char or
 * other numeric classes, more than two dimensions) is a {@link FormatError};
 * every size the file declares is checked against what is left of the file
 * and against `maxBytes` before anything is allocated or inflated.
 *
 * MATLAB stores arrays column-major; {@link readMat} returns them row-major
 * (`data[i·cols + j]` is the entry in row `i`, column `j`).
 * @module
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { describeValue, FormatError } from '../errors.js';
import { GUNZIP_DEFAULT_MAX_BYTES } from '../io/idx.js';
import { checkInt, checkOptionsKeys, optionKeys } from '../validate.js';

/** One array of a MAT-file, row-major.
 * @category Data & files
 */
export interface MatArray {
  /** The variable's name. */
  readonly name: string;
  /** Its MATLAB class: `double`, `uint8`, or `logical` (stored as uint8 with the logical flag; values 0/1). */
  readonly class: 'double' | 'uint8' | 'logical';
  /** Rows. */
  readonly rows: number;
  /** Columns. */
  readonly cols: number;
  /** `rows·cols` values, row-major: `Float64Array` for `double`, `Uint8Array` otherwise. */
  readonly data: Float64Array | Uint8Array;
}

/** Options of {@link readMat}.
 * @category Data & files
 */
export interface ReadMatOptions {
  /**
   * Most bytes the reader may produce in all: inflated elements plus the arrays
   * returned (default 1 GiB). A compressed element is inflated only after its
   * declared size fits, and never past that size.
   */
  readonly maxBytes?: number;
}

const READ_MAT_KEYS = optionKeys<ReadMatOptions>()({ maxBytes: true });

const WHERE = 'readMat';

// Data types (miXXX) and array classes (mxXXX_CLASS) of the MAT-file format.
const MI_INT8 = 1;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MX_DOUBLE = 6;
const MX_UINT8 = 9;
const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

/** Numeric data types a real part may be stored as: bytes per value and a reader. */
const NUMERIC: Readonly<Record<number, { size: number; name: string; get: (v: DataView, off: number) => number }>> = {
  1: { size: 1, name: 'miINT8', get: (v, o) => v.getInt8(o) },
  2: { size: 1, name: 'miUINT8', get: (v, o) => v.getUint8(o) },
  3: { size: 2, name: 'miINT16', get: (v, o) => v.getInt16(o, true) },
  4: { size: 2, name: 'miUINT16', get: (v, o) => v.getUint16(o, true) },
  5: { size: 4, name: 'miINT32', get: (v, o) => v.getInt32(o, true) },
  6: { size: 4, name: 'miUINT32', get: (v, o) => v.getUint32(o, true) },
  7: { size: 4, name: 'miSINGLE', get: (v, o) => v.getFloat32(o, true) },
  9: { size: 8, name: 'miDOUBLE', get: (v, o) => v.getFloat64(o, true) },
};

const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};

/** A data element's tag: its type, the offset of its data, its size and where the next element starts. */
interface Tag {
  readonly type: number;
  readonly data: number;
  readonly bytes: number;
  readonly next: number;
}

/** Reads the tag at `off` of `view` (whose elements end at `end`), in the normal or the small-element form. */
function readTag(view: DataView, off: number, end: number, what: string): Tag {
  if (off + 8 > end) throw new FormatError(`${WHERE}: ${what}: truncated (a tag needs 8 bytes at offset ${off}, ${Math.max(0, end - off)} left)`);
  const word = view.getUint32(off, true);
  if (word >>> 16 !== 0) {
    // small data element: type in the low half, size (≤ 4) in the high half, data in the next 4 bytes
    const bytes = word >>> 16;
    if (bytes > 4) throw new FormatError(`${WHERE}: ${what}: a small data element must hold at most 4 bytes (got ${bytes})`);
    return { type: word & 0xffff, data: off + 4, bytes, next: off + 8 };
  }
  const bytes = view.getUint32(off + 4, true);
  if (bytes > end - off - 8) {
    throw new FormatError(`${WHERE}: ${what}: truncated (the element declares ${bytes} bytes at offset ${off}, ${end - off - 8} left)`);
  }
  return { type: word, data: off + 8, bytes, next: Math.min(end, off + 8 + pad8(bytes)) };
}

const pad8 = (n: number): number => n + ((8 - (n % 8)) % 8);

/** Bytes a compressed element will inflate to, read from its first 8 inflated bytes (the inner tag). */
function inflatedSize(raw: Uint8Array, what: string): number {
  // Inflate ever longer prefixes (deflate expands at most ~1032:1) until the 8-byte inner tag comes out.
  for (let k = 64; ; k *= 2) {
    const last = k >= raw.length;
    let out: Uint8Array;
    try {
      out = inflateSync(raw.subarray(0, Math.min(k, raw.length)), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, Math.min(k, raw.length) * 1100),
      });
    } catch (e) {
      throw new FormatError(`${WHERE}: ${what}: corrupt zlib data (${e instanceof Error ? e.message : String(e)})`);
    }
    if (out.length >= 8) {
      const v = new DataView(out.buffer, out.byteOffset, 8);
      const type = v.getUint32(0, true);
      if (type !== MI_MATRIX) throw new FormatError(`${WHERE}: ${what}: a compressed element must hold an miMATRIX (type 14; got type ${type})`);
      return 8 + v.getUint32(4, true);
    }
    if (last) throw new FormatError(`${WHERE}: ${what}: truncated zlib data (${out.length} bytes inflated, a tag needs 8)`);
  }
}

/** The running total of bytes produced, checked against `maxBytes`. */
class Budget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number, what: string): void {
    if (n > this.max - this.used) {
      throw new FormatError(`${WHERE}: ${what} needs ${n} bytes, more than the ${this.max - this.used} left of maxBytes = ${this.max}`);
    }
    this.used += n;
  }
}

/** Decodes the miMATRIX whose data is `buf[start, end)`. */
function readMatrix(buf: Uint8Array, start: number, end: number, budget: Budget, what: string): MatArray {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flagsTag = readTag(view, start, end, `${what} (array flags)`);
  if (flagsTag.type !== MI_UINT32 || flagsTag.bytes !== 8) {
    throw new FormatError(`${WHERE}: ${what}: array flags must be 8 bytes of miUINT32 (got type ${flagsTag.type}, ${flagsTag.bytes} bytes)`);
  }
  const flags = view.getUint32(flagsTag.data, true);
  const cls = flags & 0xff;
  const clsName = CLASS_NAMES[cls] ?? `class ${cls}`;
  if (cls !== MX_DOUBLE && cls !== MX_UINT8) throw new FormatError(`${WHERE}: ${what}: ${clsName} arrays are not supported (only double, uint8 and logical)`);
  if ((flags & FLAG_COMPLEX) !== 0) throw new FormatError(`${WHERE}: ${what}: complex arrays are not supported`);
  const logical = (flags & FLAG_LOGICAL) !== 0;
  if (logical && cls !== MX_UINT8) throw new FormatError(`${WHERE}: ${what}: a logical array must be stored as uint8 (got ${clsName})`);

  const dimsTag = readTag(view, flagsTag.next, end, `${what} (dimensions)`);
  if (dimsTag.type !== MI_INT32 || dimsTag.bytes % 4 !== 0) {
    throw new FormatError(`${WHERE}: ${what}: dimensions must be miINT32 (got type ${dimsTag.type}, ${dimsTag.bytes} bytes)`);
  }
  if (dimsTag.bytes !== 8) throw new FormatError(`${WHERE}: ${what}: only two-dimensional arrays are supported (got ${dimsTag.bytes / 4} dimensions)`);
  const rows = view.getInt32(dimsTag.data, true);
  const cols = view.getInt32(dimsTag.data + 4, true);
  if (rows < 0 || cols < 0) throw new FormatError(`${WHERE}: ${what}: dimensions must be non-negative (got ${rows}×${cols})`);

  const nameTag = readTag(view, dimsTag.next, end, `${what} (name)`);
  if (nameTag.type !== MI_INT8) throw new FormatError(`${WHERE}: ${what}: the array name must be miINT8 (got type ${nameTag.type})`);
  let name = '';
  for (let i = 0; i < nameTag.bytes; i++) {
    const c = buf[nameTag.data + i] as number;
    if (c < 0x20 || c > 0x7e) throw new FormatError(`${WHERE}: ${what}: the array name must be printable ASCII (byte ${c} at ${i})`);
    name += String.fromCharCode(c);
  }
  const label = `${what} '${name}'`;

  const realTag = readTag(view, nameTag.next, end, `${label} (values)`);
  const num = NUMERIC[realTag.type];
  if (num === undefined) throw new FormatError(`${WHERE}: ${label}: values of data type ${realTag.type} are not supported`);
  if (cls === MX_UINT8 && realTag.type !== 2) throw new FormatError(`${WHERE}: ${label}: a ${logical ? 'logical' : 'uint8'} array must store miUINT8 values (got ${num.name})`);
  const count = rows * cols; // both < 2^31: exact
  if (realTag.bytes !== count * num.size) {
    throw new FormatError(`${WHERE}: ${label}: ${rows}×${cols} ${num.name} values need ${count * num.size} bytes (the element holds ${realTag.bytes})`);
  }
  if (realTag.next < end) {
    const extra = readTag(view, realTag.next, end, `${label} (after the values)`);
    throw new FormatError(`${WHERE}: ${label}: unexpected element of type ${extra.type} after the values (imaginary part or sparse data are not supported)`);
  }
  budget.take(count * (cls === MX_DOUBLE ? 8 : 1), label);

  // column-major (MATLAB) → row-major: entry (i, j) is at j·rows + i in the file
  const d0 = realTag.data;
  if (cls === MX_UINT8) {
    const src = buf.subarray(d0, d0 + count);
    if (logical) {
      for (let k = 0; k < count; k++) {
        const v = src[k] as number;
        if (v > 1) throw new FormatError(`${WHERE}: ${label}: a logical array must hold 0 or 1 (got ${v} in row ${k % rows}, column ${Math.floor(k / rows)})`);
      }
    }
    const out = new Uint8Array(count);
    // in 64×64 tiles, so that both the reads and the writes stay in cache
    for (let i0 = 0; i0 < rows; i0 += 64) {
      const i1 = Math.min(rows, i0 + 64);
      for (let j0 = 0; j0 < cols; j0 += 64) {
        const j1 = Math.min(cols, j0 + 64);
        for (let j = j0; j < j1; j++) {
          const s = j * rows;
          for (let i = i0; i < i1; i++) out[i * cols + j] = src[s + i] as number;
        }
      }
    }
    return { name, class: logical ? 'logical' : 'uint8', rows, cols, data: out };
  }
  const out = new Float64Array(count);
  const { size, get } = num;
  for (let j = 0; j < cols; j++) {
    const s = d0 + j * rows * size;
    for (let i = 0; i < rows; i++) out[i * cols + j] = get(view, s + i * size);
  }
  return { name, class: 'double', rows, cols, data: out };
}

/**
 * Reads the arrays of a little-endian level-5 MAT-file (as MATLAB's `save`
 * and SciPy's `savemat` write them), each returned row-major.
 *
 * @param bytes - the whole file
 * @param options - `maxBytes`: most bytes inflated plus returned (default 1 GiB)
 * @returns the arrays by name (a `Map`, in file order)
 * @throws {TypeError} when `bytes` is not a Uint8Array, or on a bad option
 * @throws {FormatError} on a truncated or malformed file, an unsupported array
 *   or layout, two arrays with the same name, or more than `maxBytes`
 * @example
 * ```ts
 * // needs files: BinaryDataMNIST.mat, the binarized MNIST as a MATLAB file
 * import { readFileSync } from 'node:fs';
 * import { readMat } from 'boltzmann/node';
 * const vars = readMat(new Uint8Array(readFileSync('BinaryDataMNIST.mat')));
 * const images = vars.get('Bdata_test'); // { class: 'logical', rows: 10000, cols: 784, data: Uint8Array }
 * ```
 * @category Data & files
 */
export function readMat(bytes: Uint8Array, options?: ReadMatOptions): Map<string, MatArray> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${WHERE}: bytes must be a Uint8Array (got ${describeValue(bytes)})`);
  const o = checkOptionsKeys(WHERE, options, READ_MAT_KEYS);
  const maxBytes = o.maxBytes === undefined ? GUNZIP_DEFAULT_MAX_BYTES : checkInt(WHERE, 'options.maxBytes', o.maxBytes, 1);
  if (bytes.length < 128) throw new FormatError(`${WHERE}: not a MAT-file (${bytes.length} bytes; the header alone is 128)`);
  const text = String.fromCharCode(...bytes.subarray(0, 19));
  if (text !== 'MATLAB 5.0 MAT-file') throw new FormatError(`${WHERE}: not a level-5 MAT-file (the header does not start with 'MATLAB 5.0 MAT-file')`);
  if (bytes[126] === 0x4d && bytes[127] === 0x49) throw new FormatError(`${WHERE}: big-endian MAT-files are not supported`);
  if (bytes[126] !== 0x49 || bytes[127] !== 0x4d) throw new FormatError(`${WHERE}: bad endian indicator in the header (expected 'IM')`);
  const version = (bytes[124] as number) | ((bytes[125] as number) << 8);
  if (version !== 0x0100) throw new FormatError(`${WHERE}: unsupported MAT-file version 0x${version.toString(16)} (expected 0x0100)`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const budget = new Budget(maxBytes);
  const out = new Map<string, MatArray>();
  let off = 128;
  for (let index = 0; off < bytes.length; index++) {
    const what = `element ${index} (offset ${off})`;
    const tag = readTag(view, off, bytes.length, what);
    let arr: MatArray;
    if (tag.type === MI_COMPRESSED) {
      const raw = bytes.subarray(tag.data, tag.data + tag.bytes);
      const size = inflatedSize(raw, what);
      budget.take(size, `${what}: inflating`);
      let inner: Uint8Array;
      try {
        const b = inflateSync(raw, { maxOutputLength: Math.max(1, size) });
        inner = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new FormatError(`${WHERE}: ${what}: inflates to more than the ${size} bytes it declares`);
        throw new FormatError(`${WHERE}: ${what}: corrupt or truncated zlib data (${e instanceof Error ? e.message : String(e)})`);
      }
      if (inner.length !== size) throw new FormatError(`${WHERE}: ${what}: inflates to ${inner.length} bytes, not the ${size} it declares`);
      arr = readMatrix(inner, 8, size, budget, what);
      off = tag.data + tag.bytes; // compressed elements are not padded
    } else if (tag.type === MI_MATRIX) {
      arr = readMatrix(bytes, tag.data, tag.data + tag.bytes, budget, what);
      off = tag.next;
    } else {
      throw new FormatError(`${WHERE}: ${what}: expected miMATRIX (14) or miCOMPRESSED (15) (got type ${tag.type})`);
    }
    if (out.has(arr.name)) throw new FormatError(`${WHERE}: ${what}: a second array named '${arr.name}'`);
    out.set(arr.name, arr);
  }
  return out;
}
