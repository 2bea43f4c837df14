/**
 * Writes level-5 MAT-files byte by byte for the tests (the format as
 * documented by MathWorks: a 128-byte header, then 8-byte-aligned data
 * elements; `miCOMPRESSED` elements hold a zlib stream of one `miMATRIX`).
 * Arrays are given row-major and written column-major, as MATLAB does.
 */
import { deflateSync } from 'node:zlib';

export const MI = { INT8: 1, UINT8: 2, INT32: 5, UINT32: 6, DOUBLE: 9, MATRIX: 14, COMPRESSED: 15 } as const;
export const MX = { CHAR: 4, DOUBLE: 6, UINT8: 9 } as const;

const pad8 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);

/** A data element in the normal form: type, size, data padded to 8 bytes. */
export function element(type: number, data: Buffer, { pad = true } = {}): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeUInt32LE(type, 0);
  tag.writeUInt32LE(data.length, 4);
  return Buffer.concat([tag, pad ? pad8(data) : data]);
}

/** A data element in the small form (at most 4 bytes of data in the tag's second word). */
export function smallElement(type: number, data: Buffer): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(((data.length << 16) | type) >>> 0, 0);
  data.copy(b, 4);
  return b;
}

/** The 128-byte header (little-endian: 'IM'). */
export function header(text = 'MATLAB 5.0 MAT-file, Platform: test, Created on: never'): Buffer {
  const h = Buffer.alloc(128, 0x20);
  h.write(text, 0, 'latin1');
  h.fill(0, 116, 124);
  h.writeUInt16LE(0x0100, 124);
  h.write('IM', 126, 'latin1');
  return h;
}

export interface ArraySpec {
  name: string;
  cls: number;
  logical?: boolean;
  dims: number[];
  /** The values' data type (miUINT8, miDOUBLE, …). */
  type: number;
  /** Values, already in file order (column-major). */
  values: Buffer;
}

/** An miMATRIX element. */
export function matrix(a: ArraySpec): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(a.cls | (a.logical ? 0x0200 : 0), 0);
  const dims = Buffer.alloc(4 * a.dims.length);
  for (let i = 0; i < a.dims.length; i++) dims.writeInt32LE(a.dims[i] as number, 4 * i);
  const name = Buffer.from(a.name, 'latin1');
  const body = Buffer.concat([
    element(MI.UINT32, flags),
    element(MI.INT32, dims),
    name.length <= 4 ? smallElement(MI.INT8, name) : element(MI.INT8, name),
    element(a.type, a.values),
  ]);
  return element(MI.MATRIX, body);
}

/** An miCOMPRESSED element holding `inner` (not padded, as MATLAB writes it). */
export function compressed(inner: Buffer): Buffer {
  return element(MI.COMPRESSED, deflateSync(inner), { pad: false });
}

/** Column-major bytes of a row-major `rows × cols` uint8 array. */
export function colMajorU8(rowMajor: ArrayLike<number>, rows: number, cols: number): Buffer {
  const b = Buffer.alloc(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) b[j * rows + i] = rowMajor[i * cols + j] as number;
  return b;
}

/** Column-major little-endian doubles of a row-major `rows × cols` array. */
export function colMajorF64(rowMajor: ArrayLike<number>, rows: number, cols: number): Buffer {
  const b = Buffer.alloc(8 * rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) b.writeDoubleLE(rowMajor[i * cols + j] as number, 8 * (j * rows + i));
  return b;
}

/** A logical array (class uint8 with the logical flag, miUINT8 values), compressed. */
export const logicalArray = (name: string, rowMajor: ArrayLike<number>, rows: number, cols: number): Buffer =>
  compressed(matrix({ name, cls: MX.UINT8, logical: true, dims: [rows, cols], type: MI.UINT8, values: colMajorU8(rowMajor, rows, cols) }));

/** A double array stored as miDOUBLE, compressed. */
export const doubleArray = (name: string, rowMajor: ArrayLike<number>, rows: number, cols: number): Buffer =>
  compressed(matrix({ name, cls: MX.DOUBLE, dims: [rows, cols], type: MI.DOUBLE, values: colMajorF64(rowMajor, rows, cols) }));

/** A double array of small non-negative integers stored as miUINT8 (MATLAB's compact storage), compressed. */
export const doubleArrayAsU8 = (name: string, rowMajor: ArrayLike<number>, rows: number, cols: number): Buffer =>
  compressed(matrix({ name, cls: MX.DOUBLE, dims: [rows, cols], type: MI.UINT8, values: colMajorU8(rowMajor, rows, cols) }));

/** The IDX bytes of `n` images `h × w` (row-major 0/1 values) or of `n` labels. */
export function idxImages(values: ArrayLike<number>, n: number, h: number, w: number): Buffer {
  const b = Buffer.alloc(16 + n * h * w);
  b.writeUInt32BE(0x803, 0);
  b.writeUInt32BE(n, 4);
  b.writeUInt32BE(h, 8);
  b.writeUInt32BE(w, 12);
  for (let k = 0; k < n * h * w; k++) b[16 + k] = values[k] as number;
  return b;
}

export function idxLabels(labels: ArrayLike<number>): Buffer {
  const b = Buffer.alloc(8 + labels.length);
  b.writeUInt32BE(0x801, 0);
  b.writeUInt32BE(labels.length, 4);
  for (let k = 0; k < labels.length; k++) b[8 + k] = labels[k] as number;
  return b;
}

/** One-hot rows (row-major) of `labels` over `k` classes. */
export function oneHot(labels: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) out[i * k + (labels[i] as number)] = 1;
  return out;
}
