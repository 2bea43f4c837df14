/**
 * Dataset loaders for Node: IDX files (`.gz` or raw) read synchronously with
 * `node:zlib`, MNIST-style folders (MNIST, binarized MNIST, CalTech 101
 * Silhouettes, any `*-images-idx3-ubyte` / `*-labels-idx1-ubyte` pair), and the
 * UCI/scikit-learn 8×8 digits CSV.
 *
 * Images come back as a {@link Matrix} `[count, height·width]` with values in
 * `[0, 1]` (pixels / 255, or / 16 for digits), or 0/1 when binarized (by
 * threshold or by seeded sampling) or when the file already holds 0/1 values;
 * labels as a `Uint8Array`. The npm package ships no data: pass the folder.
 * @module
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { binarizeSample, binarizeThreshold } from '../data/binarize.js';
import { describeValue, FormatError } from '../errors.js';
import { parseCsv } from '../io/csv.js';
import { decodeIdxData, GUNZIP_DEFAULT_MAX_BYTES, IDX_MAX_DIMS, type IdxArray, type IdxHeader, idxElementBytes, isGzip, parseIdxHeader } from '../io/idx.js';
import type { Matrix } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { checkInRange, checkInt, checkOneOf, checkOptions, checkOptionsKeys, optionKeys } from '../validate.js';

/**
 * Decompresses gzip bytes synchronously with `node:zlib`, capping the output.
 *
 * @param bytes - gzip data
 * @param maxBytes - largest output accepted (default 1 GiB)
 * @returns the decompressed bytes
 * @throws {TypeError} when `bytes` is not a Uint8Array
 * @throws {FormatError} on corrupt or truncated data, or output above `maxBytes`
 * @example
 * ```ts
 * import { gunzipSyncChecked } from 'boltzmann/node';
 * import { gzipSync } from 'node:zlib';
 * gunzipSyncChecked(new Uint8Array(gzipSync('hi'))).length; // 2
 * ```
 * @category Data & files
 */
export function gunzipSyncChecked(bytes: Uint8Array, maxBytes = GUNZIP_DEFAULT_MAX_BYTES): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`gunzip: bytes must be a Uint8Array (got ${describeValue(bytes)})`);
  checkInt('gunzip', 'maxBytes', maxBytes);
  try {
    const out = gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new FormatError(`gunzip: decompressed size exceeds maxBytes = ${maxBytes}`);
    throw new FormatError(`gunzip: corrupt or truncated gzip data (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The default `maxBytes` of the Node loaders ({@link loadIdx}, {@link loadMnist},
 * {@link loadImageFolder}, {@link loadCaltechSilhouettes}, {@link loadDigits}): 1 GiB.
 * A file whose header declares more data than `maxBytes` (after `limit`) is refused
 * before its data is decompressed; decompression never produces more than the
 * declared bytes; the image loaders also refuse an images matrix (8 bytes a value)
 * above `maxBytes`. So a loader's peak memory stays below about `maxBytes` whatever
 * the file holds (a 1 MiB gzip bomb inflating to 1 GiB is refused after reading its header).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { gzipSync } from 'node:zlib';
 * import { encodeIdx } from 'boltzmann';
 * import { LOADER_DEFAULT_MAX_BYTES, loadIdx } from 'boltzmann/node';
 * LOADER_DEFAULT_MAX_BYTES; // 1073741824
 * // 1000 bytes of data (zeros), a few dozen once compressed
 * writeFileSync('zeros-idx3-ubyte.gz', gzipSync(encodeIdx({ type: 'uint8', dims: [10, 10, 10], data: new Uint8Array(1000) })));
 * loadIdx('zeros-idx3-ubyte.gz', { maxBytes: 4 * LOADER_DEFAULT_MAX_BYTES }).dims; // [10, 10, 10]; the cap raised to 4 GiB
 * try { loadIdx('zeros-idx3-ubyte.gz', { maxBytes: 100 }); } catch (e) { (e as Error).name; } // 'FormatError': it declares 1000 data bytes (refused after reading the header)
 * loadIdx('zeros-idx3-ubyte.gz', { maxBytes: 100, limit: 1 }).dims; // [1, 10, 10]: 100 bytes, within the cap
 * ```
 * @category Data & files
 */
export const LOADER_DEFAULT_MAX_BYTES = GUNZIP_DEFAULT_MAX_BYTES;

/**
 * Refuses a file larger than `maxBytes` from its size alone, before any read (past 2 GiB
 * `readFileSync` would throw Node's own RangeError without the file's name); a missing file
 * passes, for the read to report. @internal
 */
export function refuseLargerThan(where: string, path: string, maxBytes: number): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  if (size > maxBytes) throw new FormatError(`${where}: ${path} is ${size} bytes, more than maxBytes = ${maxBytes}; refused before reading`);
}

/** Decompressed bytes [0, n) of a file, gzip or raw, never producing (much) more than asked. */
interface ByteSource {
  /** The first `n` decompressed bytes, or fewer when the data ends first. */
  prefix(n: number): Uint8Array;
  /** All the decompressed bytes, failing once more than `n` would come out. */
  exactly(n: number): Uint8Array;
}

const DEFLATE_MAX_RATIO = 1100; // deflate expands at most 1032:1

function gzipSource(where: string, path: string, raw: Uint8Array): ByteSource {
  const wrap = (e: unknown, n: number): never => {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FormatError(`${where}: ${path} decompresses to more than the ${n} bytes its IDX header declares`);
    }
    throw new FormatError(`${where}: corrupt or truncated gzip data in ${path} (${e instanceof Error ? e.message : String(e)})`);
  };
  return {
    prefix(n) {
      // Decompress ever longer prefixes of the input (each at most ~1032× its length) until n bytes come out:
      // the work is about twice the bytes needed, and nothing past them is held.
      for (let k = 1024; ; k *= 2) {
        const last = k >= raw.length;
        let out: Uint8Array;
        try {
          out = gunzipSync(raw.subarray(0, Math.min(k, raw.length)), {
            finishFlush: zlibConstants.Z_SYNC_FLUSH,
            maxOutputLength: Math.max(1, Math.min(raw.length, k) * DEFLATE_MAX_RATIO),
          });
        } catch (e) {
          return wrap(e, n);
        }
        if (out.length >= n || last) return out.length > n ? out.subarray(0, n) : out;
      }
    },
    exactly(n) {
      try {
        const out = gunzipSync(raw, { maxOutputLength: Math.max(1, n) });
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      } catch (e) {
        return wrap(e, n);
      }
    },
  };
}

function rawSource(path: string, size: number): ByteSource {
  const read = (n: number): Uint8Array => {
    const fd = openSync(path, 'r');
    try {
      const out = new Uint8Array(Math.min(n, size));
      let off = 0;
      while (off < out.length) {
        const got = readSync(fd, out, off, out.length - off, off);
        if (got === 0) break;
        off += got;
      }
      return out.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  };
  return { prefix: read, exactly: (n) => read(n + 1) };
}

function readIdxFile(
  where: string,
  path: string,
  maxBytes: number,
  limit: number | undefined,
  matrixBytes: (h: IdxHeader, rows: number) => number,
): IdxArray & { declaredRows: number } {
  const size = statSync(path).size;
  let src: ByteSource;
  if (isGzip(new Uint8Array(readHead(path, 2)))) {
    if (size > maxBytes) throw new FormatError(`${where}: ${path} is ${size} bytes, more than maxBytes = ${maxBytes}`);
    src = gzipSource(where, path, new Uint8Array(readFileSync(path)));
  } else src = rawSource(path, size);
  const head4 = src.prefix(4);
  const nDims = head4.length === 4 && head4[0] === 0 && head4[1] === 0 ? (head4[3] as number) : 0;
  let h: IdxHeader;
  try {
    h = parseIdxHeader(src.prefix(4 + 4 * Math.max(1, Math.min(nDims, IDX_MAX_DIMS))));
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${e.message} (file ${path})`);
    throw e;
  }
  const n0 = h.dims[0] as number;
  const rows = limit === undefined ? n0 : Math.min(n0, limit);
  const rowBytes = n0 === 0 ? 0 : h.dataBytes / n0;
  const need = rows * rowBytes;
  if (!(need <= maxBytes)) {
    throw new FormatError(
      `${where}: ${path} declares ${h.dataBytes} data bytes (${h.type} [${h.dims.join(', ')}])${limit === undefined ? '' : `, ${need} for ${rows} rows`}, more than maxBytes = ${maxBytes}; pass options.limit or a larger options.maxBytes`,
    );
  }
  const mb = matrixBytes(h, rows);
  if (mb > maxBytes) {
    throw new FormatError(
      `${where}: ${path} would give a matrix of ${mb} bytes (${rows} rows of ${h.type} [${h.dims.join(', ')}] as float64), more than maxBytes = ${maxBytes}; pass options.limit or a larger options.maxBytes`,
    );
  }
  let bytes: Uint8Array;
  if (rows === n0) {
    bytes = src.exactly(h.headerBytes + need);
    if (bytes.length !== h.headerBytes + need) {
      throw new FormatError(
        `${where}: ${path}: dims [${h.dims.join(', ')}] of ${h.type} need ${need} data bytes, but the file has ${bytes.length > h.headerBytes + need ? 'more' : bytes.length - h.headerBytes} after the ${h.headerBytes}-byte header`,
      );
    }
  } else {
    bytes = src.prefix(h.headerBytes + need);
    if (bytes.length !== h.headerBytes + need) {
      throw new FormatError(`${where}: ${path} is truncated: ${rows} rows need ${need} data bytes, the file has ${bytes.length - h.headerBytes}`);
    }
  }
  const dims = h.dims.slice();
  dims[0] = rows;
  const data = decodeIdxData(h.type, need / idxElementBytes(h.type), bytes.subarray(h.headerBytes));
  if (h.type === 'float32' || h.type === 'float64') {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new FormatError(`${where}: ${path} holds a non-finite value (${data[i]}) at element ${i}: IDX data must be finite`);
      }
    }
  }
  return { type: h.type, dims, data, declaredRows: n0 };
}

function readHead(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(n);
    const got = readSync(fd, out, 0, n, 0);
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an IDX file, gzip-compressed or not (detected from its first bytes),
 * streaming: the header is read first and checked against `maxBytes`, only the
 * rows asked for are decompressed, and decompression stops at the declared size.
 *
 * @param path - file path
 * @param options - `maxBytes`: the most data bytes read (default {@link LOADER_DEFAULT_MAX_BYTES}, 1 GiB);
 *   `limit`: keep only the first `limit` entries of the first dimension (the rest is not decompressed nor checked)
 * @returns the parsed array (see `parseIdx`), a fresh typed array
 * @throws {FormatError} when the file is not valid IDX or gzip, declares more than `maxBytes`, or a float file holds a non-finite value
 * @throws Node's file-system error (`ENOENT`, …) when it cannot be read
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { gzipSync } from 'node:zlib';
 * import { encodeIdx } from 'boltzmann';
 * import { loadIdx } from 'boltzmann/node';
 * // files like MNIST's t10k-labels-idx1-ubyte.gz (dims [10000]) and t10k-images-idx3-ubyte.gz ([10000, 28, 28]), small
 * writeFileSync('labels-idx1-ubyte.gz', gzipSync(encodeIdx({ type: 'uint8', dims: [3], data: Uint8Array.of(7, 2, 1) })));
 * writeFileSync('images-idx3-ubyte', encodeIdx({ type: 'uint8', dims: [3, 2, 2], data: new Uint8Array(12) }));
 * const labels = loadIdx('labels-idx1-ubyte.gz'); // { type: 'uint8', dims: [3], data: Uint8Array [7, 2, 1] }
 * loadIdx('images-idx3-ubyte', { limit: 2 }).dims; // [2, 2, 2]: the first two images only
 * ```
 * @category Data & files
 */
export function loadIdx(path: string, options?: { maxBytes?: number; limit?: number }): IdxArray {
  const where = 'loadIdx';
  checkPath(where, path);
  const opts = checkOptionsKeys(where, options, LOAD_IDX_KEYS);
  const maxBytes = opts.maxBytes === undefined ? LOADER_DEFAULT_MAX_BYTES : checkInt(where, 'options.maxBytes', opts.maxBytes);
  const limit = opts.limit === undefined ? undefined : checkInt(where, 'options.limit', opts.limit);
  const { type, dims, data } = readIdxFile(where, path, maxBytes, limit, () => 0);
  return { type, dims, data };
}

const LOAD_IDX_KEYS = optionKeys<{ maxBytes?: number; limit?: number }>()({ maxBytes: true, limit: true });

function checkPath(where: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`${where}: path must be a non-empty string (got ${describeValue(path)})`);
  }
  return path;
}

/** A split of an image dataset.
 * @category Data & files
 */
export type DatasetSplit = 'train' | 'test' | 'val';

/** How {@link loadMnist} and friends binarize images: not at all, by threshold, or by seeded sampling.
 * @category Data & files
 */
export type BinarizeMode = 'none' | 'threshold' | 'sample';

/** Options of {@link loadMnist}, {@link loadImageFolder}, {@link loadCaltechSilhouettes} and {@link loadDigits}.
 * @category Data & files
 */
export interface ImageDatasetOptions {
  /** Which split (default `'train'`). MNIST's test files are named `t10k-…`. */
  split?: DatasetSplit;
  /** Keep only the first `limit` images (default all). */
  limit?: number;
  /** `'none'` (default): values in [0, 1]; `'threshold'`: 1 where value ≥ `threshold`; `'sample'`: 1 with probability = value, from `rng`. */
  binarize?: BinarizeMode;
  /** Threshold for `binarize: 'threshold'` (default 0.5). */
  threshold?: number;
  /** Seed or generator for `binarize: 'sample'` (required then). */
  rng?: number | Random;
  /** The most data bytes read from one file, and the largest images matrix (8 bytes a value) built
   * (default {@link LOADER_DEFAULT_MAX_BYTES}, 1 GiB). Files declaring more are refused before decompressing. */
  maxBytes?: number;
}

/** An image dataset: images as rows of a matrix, labels, and the picture size.
 * @category Data & files
 */
export interface ImageDataset {
  /** `[count, height·width]`, values in [0, 1] (or 0/1 when binarized). */
  images: Matrix;
  /** `count` labels, as stored in the file. */
  labels: Uint8Array;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** The image file read. */
  imagesPath: string;
  /** The label file read. */
  labelsPath: string;
}

const SPLIT_PREFIXES: Record<DatasetSplit, string[]> = {
  train: ['train', 'train10k', 'training'],
  test: ['test', 't10k'],
  val: ['val', 'valid', 'validation'],
};

function findIdxFile(where: string, dir: string, split: DatasetSplit, kind: 'images' | 'labels'): string {
  const nd = kind === 'images' ? 3 : 1;
  const alts = SPLIT_PREFIXES[split].join('|');
  const re = new RegExp(`^(?:.*[-_.])?(?:${alts})[-_.]${kind}[-_.]idx${nd}[-_.]ubyte(?:\\.gz)?$`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const err = new Error(`${where}: ${dir} is not a directory`) as Error & { code: string };
    err.code = 'ENOENT';
    throw err;
  }
  const names = readdirSync(dir).filter((n) => re.test(n));
  if (names.length === 0) {
    const err = new Error(
      `${where}: no ${split} ${kind} file (like ${SPLIT_PREFIXES[split][0]}-${kind}-idx${nd}-ubyte.gz) in ${dir}`,
    ) as Error & { code: string };
    err.code = 'ENOENT';
    throw err;
  }
  // Prefer an uncompressed file when both exist; otherwise the names must agree on one file.
  const uncompressed = names.filter((n) => !n.endsWith('.gz'));
  const pick = uncompressed.length === 1 ? uncompressed : names.length === 1 ? names : null;
  if (pick === null) throw new RangeError(`${where}: several ${split} ${kind} files in ${dir}: ${names.join(', ')}`);
  return join(dir, pick[0] as string);
}

interface CheckedDatasetOptions {
  split: DatasetSplit;
  limit: number | undefined;
  binarize: BinarizeMode;
  threshold: number;
  rng: Random | null;
  maxBytes: number;
}

function checkDatasetOptions(where: string, options: ImageDatasetOptions | undefined): CheckedDatasetOptions {
  const opts = checkOptions(where, options);
  const split = opts.split === undefined ? 'train' : checkOneOf(where, 'options.split', opts.split, ['train', 'test', 'val'] as const);
  const limit = opts.limit === undefined ? undefined : checkInt(where, 'options.limit', opts.limit);
  const binarize = opts.binarize === undefined ? 'none' : checkOneOf(where, 'options.binarize', opts.binarize, ['none', 'threshold', 'sample'] as const);
  const threshold = opts.threshold === undefined ? 0.5 : checkInRange(where, 'options.threshold', opts.threshold, 0, 1);
  let rng: Random | null = null;
  if (binarize === 'sample') {
    if (opts.rng === undefined) throw new TypeError(`${where}: options.rng (a seed or Random) is required with binarize: 'sample'`);
    rng = toRandom(opts.rng, where);
  }
  const maxBytes = opts.maxBytes === undefined ? LOADER_DEFAULT_MAX_BYTES : checkInt(where, 'options.maxBytes', opts.maxBytes);
  return { split, limit, binarize, threshold, rng, maxBytes };
}

/** Divides the first `rows·cols` values by `divisor` (exactly, as `x / 255` in NumPy), then binarizes as asked. */
function finishImages(data: ArrayLike<number>, rows: number, cols: number, divisor: number, o: CheckedDatasetOptions): Matrix {
  const n = rows * cols;
  const out = new Float64Array(n);
  if (data instanceof Uint8Array) {
    // a 256-entry table of exactly v / divisor: same bits as dividing, without a division per pixel
    const table = new Float64Array(256);
    for (let v = 0; v < 256; v++) table[v] = v / divisor;
    for (let i = 0; i < n; i++) out[i] = table[data[i] as number] as number;
  } else for (let i = 0; i < n; i++) out[i] = (data[i] as number) / divisor;
  const m: Matrix = { rows, cols, data: out };
  if (o.binarize === 'threshold') return binarizeThreshold(m, o.threshold, m);
  if (o.binarize === 'sample') return binarizeSample(m, o.rng as Random, m);
  return m;
}

/** True when the first n values are all 0 or 1 (files that are already binary are not rescaled). */
function isBinary(data: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (data[i] !== 0 && data[i] !== 1) return false;
  return true;
}

/**
 * Loads one split of a folder holding IDX image and label files named like
 * MNIST's (`<prefix>-images-idx3-ubyte[.gz]`, `<prefix>-labels-idx1-ubyte[.gz]`,
 * e.g. `train-…`, `t10k-…`, `binarized-test-…`, `caltech101-silhouettes-28-val-…`).
 * Checks that images are uint8 `[n, h, w]`, labels uint8 `[n]`, with the same `n`.
 *
 * @param dir - the folder
 * @param options - split, limit, binarization (see {@link ImageDatasetOptions})
 * @returns images `[count, h·w]` in [0, 1] (0/1 files stay 0/1), labels, sizes and paths
 * @throws {TypeError | RangeError} on bad options
 * @throws {FormatError} when a file is malformed or the two files disagree
 * @throws Error with `code: 'ENOENT'` when the folder or a file is missing
 * @example
 * ```ts
 * import { mkdirSync, writeFileSync } from 'node:fs';
 * import { encodeIdx } from 'boltzmann';
 * import { loadImageFolder } from 'boltzmann/node';
 * // a folder laid out like MNIST's: two 2×2 test images and their labels
 * mkdirSync('tiny-set', { recursive: true });
 * writeFileSync('tiny-set/test-images-idx3-ubyte', encodeIdx({ type: 'uint8', dims: [2, 2, 2], data: Uint8Array.of(0, 255, 255, 0, 255, 0, 0, 255) }));
 * writeFileSync('tiny-set/test-labels-idx1-ubyte', encodeIdx({ type: 'uint8', dims: [2], data: Uint8Array.of(1, 0) }));
 * const { images, labels } = loadImageFolder('tiny-set', { split: 'test', limit: 1000 });
 * images.cols; // 4 (one image a row, 2·2 pixels)
 * Array.from(images.data.subarray(0, 4)); // [0, 1, 1, 0]: pixels ÷ 255
 * Array.from(labels); // [1, 0]
 * ```
 * @category Data & files
 */
export function loadImageFolder(dir: string, options?: ImageDatasetOptions): ImageDataset {
  const where = 'loadImageFolder';
  checkPath(where, dir);
  const o = checkDatasetOptions(where, options);
  const imagesPath = findIdxFile(where, dir, o.split, 'images');
  const labelsPath = findIdxFile(where, dir, o.split, 'labels');
  const img = readIdxFile(where, imagesPath, o.maxBytes, o.limit, (h, rows) => (h.dims.length === 3 ? rows * (h.dims[1] as number) * (h.dims[2] as number) * 8 : 0));
  const lab = readIdxFile(where, labelsPath, o.maxBytes, o.limit, () => 0);
  return fromIdx(where, img, lab, imagesPath, labelsPath, o);
}

function fromIdx(
  where: string,
  img: IdxArray & { declaredRows: number },
  lab: IdxArray & { declaredRows: number },
  imagesPath: string,
  labelsPath: string,
  o: CheckedDatasetOptions,
): ImageDataset {
  if (img.type !== 'uint8' || img.dims.length !== 3) {
    throw new FormatError(`${where}: ${imagesPath} must hold uint8 images [n, height, width] (got ${img.type} [${img.dims.join(', ')}])`);
  }
  if (lab.type !== 'uint8' || lab.dims.length !== 1) {
    throw new FormatError(`${where}: ${labelsPath} must hold uint8 labels [n] (got ${lab.type} [${lab.dims.join(', ')}])`);
  }
  const [rows, height, width] = img.dims as [number, number, number];
  if (lab.declaredRows !== img.declaredRows) {
    throw new FormatError(`${where}: ${img.declaredRows} images but ${lab.declaredRows} labels (${imagesPath}, ${labelsPath})`);
  }
  const cols = height * width;
  // only the rows read are looked at (with a limit, the rest of the file is never decompressed)
  const images = finishImages(img.data, rows, cols, isBinary(img.data, rows * cols) ? 1 : 255, o);
  const labels = (lab.data as Uint8Array).slice(0, rows);
  return { images, labels, height, width, imagesPath, labelsPath };
}

/**
 * Loads MNIST (or binarized MNIST, or the first-10k training subset) from a
 * folder of IDX files: the same as {@link loadImageFolder}. Pixels are scaled
 * to [0, 1] (÷ 255); the binarized set's 0/1 values stay 0/1.
 *
 * @param dir - e.g. `'../shared/data/mnist'` (test split), `'…/mnist-train10k'`, `'…/mnist-binarized'`
 * @param options - split (default `'train'`), limit, binarize, threshold, rng
 * @returns images `[count, 784]`, labels 0..9, height 28, width 28
 * @throws as {@link loadImageFolder}
 * @example
 * ```ts
 * // needs files: MNIST's test IDX files (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in data/mnist
 * import { loadMnist } from 'boltzmann/node';
 * const test = loadMnist('data/mnist', { split: 'test', binarize: 'sample', rng: 1 });
 * test.images.rows; // 10000
 * ```
 * @category Data & files
 */
export function loadMnist(dir: string, options?: ImageDatasetOptions): ImageDataset {
  return loadImageFolder(dir, options);
}

/** A CalTech 101 Silhouettes split, with class names.
 * @category Data & files
 */
export interface SilhouettesDataset extends ImageDataset {
  /** `classNames[label - 1]` is the name of class `label` (labels are 1..101 as in the original files). */
  classNames: string[];
}

/**
 * Loads a split of CalTech 101 Silhouettes (28×28, 0/1). In the files,
 * 1 = background; `invert: true` gives silhouette = 1, the convention of many
 * papers (for a binary RBM the two are a reparametrization of each other).
 *
 * @param dir - folder with `caltech101-silhouettes-28-{train,val,test}-…` IDX files and `classnames.txt`
 * @param options - split (`'train'`, `'val'`, `'test'`), limit, invert (default false), binarize options
 * @returns images `[count, 784]` (0/1), labels 1..101, and class names
 * @throws as {@link loadImageFolder}
 * @example
 * ```ts
 * // needs files: CalTech 101 Silhouettes' IDX files and classnames.txt in data/caltech101-silhouettes
 * import { loadCaltechSilhouettes } from 'boltzmann/node';
 * const { images, classNames } = loadCaltechSilhouettes('data/caltech101-silhouettes', { split: 'val', invert: true });
 * classNames.length; // 101
 * ```
 * @category Data & files
 */
export function loadCaltechSilhouettes(dir: string, options?: ImageDatasetOptions & { invert?: boolean }): SilhouettesDataset {
  const where = 'loadCaltechSilhouettes';
  const opts = checkOptions(where, options);
  const invert = opts.invert === undefined ? false : opts.invert;
  if (typeof invert !== 'boolean') throw new TypeError(`${where}: options.invert must be a boolean (got ${describeValue(invert)})`);
  const { invert: _ignored, ...rest } = opts;
  const ds = loadImageFolder(dir, rest);
  if (invert) {
    const d = ds.images.data;
    for (let i = 0; i < d.length; i++) d[i] = 1 - (d[i] as number);
  }
  const namesPath = join(dir, 'classnames.txt');
  const classNames = existsSync(namesPath)
    ? readFileSync(namesPath, 'utf8')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : [];
  return { ...ds, classNames };
}

/**
 * Loads the UCI / scikit-learn 8×8 handwritten digits (1797 images, values
 * 0..16, labels 0..9) from `digits.csv.gz` (or an uncompressed `.csv`): 65
 * numbers per line, the last one the label. Values are scaled to [0, 1] (÷ 16).
 *
 * @param path - the CSV file, or a folder containing `digits.csv.gz`
 * @param options - limit, binarize, threshold, rng (`split` is ignored: the set has one split)
 * @returns images `[count, 64]`, labels, height 8, width 8
 * @throws {FormatError} when the file is not 65 integer columns with pixels 0..16 and labels 0..9
 * @throws Node's file-system error when it cannot be read
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { loadDigits } from 'boltzmann/node';
 * // two lines of the digits' CSV: 64 pixels 0..16, then the label (the real file has 1797 lines)
 * const line = (pixel: number, label: number) => [...new Array(64).fill(pixel), label].join(',');
 * writeFileSync('digits.csv', `${line(4, 0)}\n${line(12, 1)}\n`);
 * const { images, labels } = loadDigits('digits.csv', { binarize: 'threshold' });
 * images.cols; // 64
 * images.data[0]; // 0: 4 ÷ 16 = 0.25 is below the threshold 0.5
 * images.data[64]; // 1: 12 ÷ 16 = 0.75 is above it
 * Array.from(labels); // [0, 1]
 * ```
 * @category Data & files
 */
export function loadDigits(path: string, options?: ImageDatasetOptions): ImageDataset {
  const where = 'loadDigits';
  checkPath(where, path);
  const o = checkDatasetOptions(where, options);
  let file = path;
  if (existsSync(path) && statSync(path).isDirectory()) {
    file = ['digits.csv.gz', 'digits.csv'].map((n) => join(path, n)).find((p) => existsSync(p)) ?? join(path, 'digits.csv.gz');
  }
  // refused from its size (a .gz, compressed, is smaller than what it inflates to)
  refuseLargerThan(where, file, o.maxBytes);
  let bytes: Uint8Array = new Uint8Array(readFileSync(file));
  if (isGzip(bytes)) bytes = gunzipSyncChecked(bytes, o.maxBytes);
  else if (bytes.length > o.maxBytes) throw new FormatError(`${where}: ${file} is ${bytes.length} bytes, more than maxBytes = ${o.maxBytes}`);
  const { data } = parseCsv(bytes, { header: false });
  if (data.cols !== 65) throw new FormatError(`${where}: ${file} must have 65 columns (64 pixels + label) (got ${data.cols})`);
  const n = data.rows;
  const rows = o.limit === undefined ? n : Math.min(n, o.limit);
  const pixels = new Float64Array(rows * 64);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 65; j++) {
      const v = data.data[i * 65 + j] as number;
      const max = j === 64 ? 9 : 16;
      if (!Number.isInteger(v) || v < 0 || v > max) {
        throw new FormatError(`${where}: ${file} line ${i + 1} column ${j + 1} must be an integer in [0, ${max}] (got ${v})`);
      }
      if (j < 64) pixels[i * 64 + j] = v;
      else labels[i] = v;
    }
  }
  const images = finishImages(pixels, rows, 64, 16, o);
  return { images, labels, height: 8, width: 8, imagesPath: file, labelsPath: file };
}
