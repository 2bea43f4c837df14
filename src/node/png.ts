/**
 * PNG output for Node: encode an {@link RgbaImage} (from `tileImages`,
 * `heatmap`, …) and write it to a file. The deflate step is Node's own zlib,
 * so no PNG dependency is needed; the rest (chunks, CRC-32, scanline filters)
 * is the few lines below.
 *
 * Opaque all-grey images are written as 8-bit greyscale (colour type 0),
 * others as 8-bit RGBA (colour type 6). Each scanline takes the filter
 * (None, Sub, Up, Average or Paeth) with the smallest sum of absolute
 * differences, the usual heuristic of libpng.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describeValue } from '../errors.js';
import type { RgbaImage } from '../io/image.js';

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

let crcTable: Uint32Array | null = null;

/**
 * CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320), as used by PNG, gzip and zip.
 *
 * @param bytes - the data
 * @param crc - running CRC from a previous call (default 0, i.e. start fresh)
 * @returns the CRC as an unsigned 32-bit integer
 * @example
 * ```ts
 * import { crc32 } from 'boltzmann/node';
 * crc32(new TextEncoder().encode('123456789')).toString(16); // 'cbf43926'
 * ```
 * @category Data & files
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (crcTable[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

function checkImage(where: string, img: unknown): RgbaImage {
  const m = img as RgbaImage;
  const d: unknown = m === null || typeof m !== 'object' ? undefined : m.data;
  if (!(d instanceof Uint8ClampedArray || d instanceof Uint8Array)) {
    throw new TypeError(`${where}: image must be { width, height, data: Uint8ClampedArray } (got ${describeValue(img)})`);
  }
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 0x7fffffff;
  if (!ok(m.width) || !ok(m.height)) {
    throw new RangeError(
      `${where}: image width and height must be integers in [1, 2^31) (got ${describeValue(m.width)} × ${describeValue(m.height)})`,
    );
  }
  if (m.data.length !== 4 * m.width * m.height) {
    throw new RangeError(`${where}: image.data must have 4*width*height = ${4 * m.width * m.height} bytes (got ${m.data.length})`);
  }
  return m;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Filters one scanline `cur` (previous `prev`, bytes per pixel `bpp`) with filter `type` into `out`; returns the cost. */
function filterLine(type: number, cur: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array): number {
  let cost = 0;
  for (let i = 0; i < cur.length; i++) {
    const x = cur[i] as number;
    const a = i >= bpp ? (cur[i - bpp] as number) : 0;
    const b = prev[i] as number;
    const c = i >= bpp ? (prev[i - bpp] as number) : 0;
    let pred = 0;
    if (type === 1) pred = a;
    else if (type === 2) pred = b;
    else if (type === 3) pred = (a + b) >>> 1;
    else if (type === 4) pred = paeth(a, b, c);
    const v = (x - pred) & 0xff;
    out[i] = v;
    cost += v < 128 ? v : 256 - v;
  }
  return cost;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/**
 * Encodes an RGBA image as a PNG file (8 bits per channel, non-interlaced).
 * Opaque images whose pixels are all grey are written as greyscale.
 *
 * @param img - the image (`data.length === 4 * width * height`, width and height ≥ 1)
 * @returns the PNG file's bytes
 * @throws {TypeError} when `img` is not an image
 * @throws {RangeError} on bad dimensions or a data length that does not match them
 * @example
 * ```ts
 * import { createImage } from 'boltzmann';
 * import { encodePng } from 'boltzmann/node';
 * const png = encodePng(createImage(4, 4, [255, 0, 0]));
 * png.subarray(1, 4); // 'PNG' in ASCII
 * ```
 * @category Data & files
 */
export function encodePng(img: RgbaImage): Uint8Array {
  const { width, height, data } = checkImage('encodePng', img);
  let grey = true;
  for (let p = 0; p < data.length && grey; p += 4) {
    grey = data[p] === data[p + 1] && data[p] === data[p + 2] && data[p + 3] === 255;
  }
  const bpp = grey ? 1 : 4;
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  const trial = new Uint8Array(stride);
  const best = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    if (grey) for (let x = 0; x < width; x++) cur[x] = data[4 * (y * width + x)] as number;
    else cur.set(data.subarray(4 * y * width, 4 * (y + 1) * width));
    let bestType = 0;
    let bestCost = Infinity;
    for (let type = 0; type < 5; type++) {
      const cost = filterLine(type, cur, prev, bpp, trial);
      if (cost < bestCost) {
        bestCost = cost;
        bestType = type;
        best.set(trial);
      }
    }
    raw[y * (stride + 1)] = bestType;
    raw.set(best, y * (stride + 1) + 1);
    [prev, cur] = [cur, prev];
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = grey ? 0 : 6; // colour type: greyscale or RGBA
  // compression 0, filter method 0, interlace 0
  const idat = new Uint8Array(deflateSync(raw, { level: 9 }));
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Encodes an image as PNG and writes it to `path` (overwriting).
 *
 * @param path - file path
 * @param img - the image
 * @throws {TypeError | RangeError} as {@link encodePng}; Node's file-system errors on write failure
 * @example
 * ```ts
 * import { fromArrays, tileImages } from 'boltzmann';
 * import { writePng } from 'boltzmann/node';
 * writePng('patterns.png', tileImages(fromArrays([[1, 0, 0, 1]]), { height: 2, width: 2, scale: 8 }));
 * ```
 * @category Data & files
 */
export function writePng(path: string, img: RgbaImage): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`writePng: path must be a non-empty string (got ${describeValue(path)})`);
  }
  writeFileSync(path, encodePng(img));
}
