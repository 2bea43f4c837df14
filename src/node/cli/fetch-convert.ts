/**
 * Turning a downloaded MATLAB file into the IDX files the loaders read, for a
 * named set published only as a MAT-file (`mnist-binarized`): images from a
 * logical `[n, height·width]` array (one image a row, pixels row-major), labels
 * as the argmax of a one-hot `[n, classes]` array, in the file's row order.
 * Each IDX file is checked against its recorded size and SHA-256 before
 * anything is written.
 * @module
 */
import { createHash } from 'node:crypto';
import { FormatError } from '../../errors.js';
import type { MatArray } from '../mat.js';

/** One IDX file made from a MAT-file array.
 * @category Data & files
 */
export interface ConvertedFile {
  /** File name written in the set's folder (gzip-compressed: ends in `.gz`). */
  readonly name: string;
  /** The MAT-file variable it is made from. */
  readonly from: string;
  /** `images`: a logical `[n, height·width]` array → IDX3 uint8 `[n, height, width]`; `labels`: a one-hot `[n, k]` array → IDX1 uint8 `[n]`, the argmax of each row. */
  readonly as: 'images' | 'labels';
  /** Exact size of the (uncompressed) IDX file. */
  readonly bytes: number;
  /** SHA-256 (hex) of the uncompressed IDX file. */
  readonly sha256: string;
}

/** How a set's downloaded MAT-file becomes its IDX files.
 * @category Data & files
 */
export interface MatConversion {
  /** Image height (rows of pixels). */
  readonly height: number;
  /** Image width. */
  readonly width: number;
  /** The files made. */
  readonly outputs: readonly ConvertedFile[];
}

const WHERE = 'convert';

function header(magic: number, dims: readonly number[]): Uint8Array {
  const h = new Uint8Array(4 + 4 * dims.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, magic, false);
  for (let i = 0; i < dims.length; i++) v.setUint32(4 + 4 * i, dims[i] as number, false);
  return h;
}

/**
 * The IDX bytes (uncompressed) of one output: images are the array's rows as
 * they are (0/1), labels the index of each row's first maximum.
 *
 * @param arr - the MAT-file array (row-major, {@link readMat})
 * @param out - what to make
 * @param conv - the image shape
 * @returns the IDX file's bytes
 * @throws {FormatError} when the array has the wrong class or shape
 * @example
 * ```ts
 * import { idxFromMatArray } from 'boltzmann/node';
 * const idx = idxFromMatArray({ name: 't', class: 'double', rows: 1, cols: 2, data: new Float64Array([0, 1]) },
 *   { name: 'l', from: 't', as: 'labels', bytes: 9, sha256: '' }, { height: 1, width: 2, outputs: [] });
 * idx; // Uint8Array [0, 0, 8, 1, 0, 0, 0, 1, 1]
 * ```
 * @category Data & files
 */
export function idxFromMatArray(arr: MatArray, out: ConvertedFile, conv: MatConversion): Uint8Array {
  const n = arr.rows;
  if (out.as === 'images') {
    const d = conv.height * conv.width;
    if (arr.class !== 'logical' && arr.class !== 'uint8') throw new FormatError(`${WHERE}: ${arr.name} must be a logical or uint8 array for ${out.name} (got ${arr.class})`);
    if (arr.cols !== d) throw new FormatError(`${WHERE}: ${arr.name} must have ${d} columns (${conv.height}×${conv.width} pixels) for ${out.name} (got ${arr.rows}×${arr.cols})`);
    const h = header(0x00000803, [n, conv.height, conv.width]);
    const bytes = new Uint8Array(h.length + n * d);
    bytes.set(h, 0);
    bytes.set(arr.data as Uint8Array, h.length);
    return bytes;
  }
  const k = arr.cols;
  if (k < 1 || k > 256) throw new FormatError(`${WHERE}: ${arr.name} must have 1 to 256 columns (one a class) for ${out.name} (got ${arr.rows}×${k})`);
  const h = header(0x00000801, [n]);
  const bytes = new Uint8Array(h.length + n);
  bytes.set(h, 0);
  const x = arr.data;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let max = x[i * k] as number;
    for (let j = 1; j < k; j++) {
      const v = x[i * k + j] as number;
      if (v > max) {
        max = v;
        best = j;
      }
    }
    if (!Number.isFinite(max)) throw new FormatError(`${WHERE}: ${arr.name} row ${i} has no finite maximum for ${out.name}`);
    bytes[h.length + i] = best;
  }
  return bytes;
}

/**
 * Makes every output of `conv` from the arrays `vars` and checks each
 * against its recorded size and SHA-256.
 *
 * @param vars - the MAT-file's arrays ({@link readMat})
 * @param conv - the outputs and image shape
 * @returns the IDX files' bytes, by output name, in the order of `conv.outputs`
 * @throws {FormatError} when an array is missing or has the wrong class or shape
 * @throws {Error} (a `ConversionMismatch`) when an output's size or SHA-256 is not the recorded one
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import { convertMatToIdx, type MatArray } from 'boltzmann/node';
 * // for a real set: convertMatToIdx(readMat(bytes), FETCHABLE_SETS['mnist-binarized'].convert!)
 * const targets: MatArray = { name: 'y', class: 'double', rows: 2, cols: 3, data: Float64Array.of(0, 0, 1, 1, 0, 0) }; // one-hot rows
 * const expected = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 2, 0); // IDX1 uint8 [2]: the labels 2 and 0
 * const sha256 = createHash('sha256').update(expected).digest('hex');
 * const files = convertMatToIdx(new Map([['y', targets]]), {
 *   height: 1,
 *   width: 1,
 *   outputs: [{ name: 'labels-idx1-ubyte', from: 'y', as: 'labels', bytes: expected.length, sha256 }],
 * });
 * files.get('labels-idx1-ubyte'); // Uint8Array [0, 0, 8, 1, 0, 0, 0, 2, 2, 0]
 * ```
 * @category Data & files
 */
export function convertMatToIdx(vars: ReadonlyMap<string, MatArray>, conv: MatConversion): Map<string, Uint8Array> {
  const result = new Map<string, Uint8Array>();
  for (const out of conv.outputs) {
    const arr = vars.get(out.from);
    if (arr === undefined) throw new FormatError(`${WHERE}: the MAT-file has no array '${out.from}' (for ${out.name}; it has ${[...vars.keys()].join(', ') || 'none'})`);
    const bytes = idxFromMatArray(arr, out, conv);
    if (bytes.length !== out.bytes) throw new ConversionMismatch(`${out.name}: converted to ${bytes.length} bytes, expected ${out.bytes}; refused, nothing written`);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== out.sha256) throw new ConversionMismatch(`${out.name}: the converted file's SHA-256 ${digest} does not match the expected ${out.sha256}; refused, nothing written`);
    result.set(out.name, bytes);
  }
  return result;
}

/**
 * A converted file whose size or SHA-256 is not the recorded one
 * ({@link convertMatToIdx}; `data fetch` reports it as a `DownloadError`).
 *
 * @example
 * ```ts
 * import { ConversionMismatch, convertMatToIdx, type MatArray, type MatConversion } from 'boltzmann/node';
 * const vars = new Map<string, MatArray>([['y', { name: 'y', class: 'double', rows: 1, cols: 2, data: Float64Array.of(0, 1) }]]);
 * const conversion: MatConversion = {
 *   height: 1,
 *   width: 1,
 *   outputs: [{ name: 'labels-idx1-ubyte', from: 'y', as: 'labels', bytes: 9, sha256: '0'.repeat(64) }], // a wrong SHA-256
 * };
 * try {
 *   convertMatToIdx(vars, conversion);
 * } catch (e) {
 *   if (e instanceof ConversionMismatch) e.message; // 'labels-idx1-ubyte: the converted file's SHA-256 … does not match the expected 000…; refused, nothing written'
 * }
 * ```
 * @category Errors & checks
 */
export class ConversionMismatch extends Error {
  /** Always `'ConversionMismatch'`. */
  override name = 'ConversionMismatch';
}
