/**
 * Data sources for the command line, on top of the library's loaders: IDX
 * files (gzip or not, {@link loadIdx}), CSV files of numbers ({@link parseCsv}),
 * and the named sets of the project's data folder ({@link loadMnist},
 * {@link loadCaltechSilhouettes}, {@link loadDigits}), scaled to [0, 1] and
 * binarized by threshold or by seeded sampling ({@link binarizeThreshold},
 * {@link binarizeSample}).
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { binarizeSample, binarizeThreshold } from '../../data/binarize.js';
import { FormatError } from '../../errors.js';
import { parseCsv } from '../../io/csv.js';
import { isGzip } from '../../io/idx.js';
import type { Matrix } from '../../linalg/matrix.js';
import { Random } from '../../random/random.js';
import { intOpt, numOpt, oneOf, str, UsageError, type Values } from './args.js';
import type { CliContext } from './context.js';
import { dataSearchPath, FETCHABLE_SETS, findDataSet, NOT_FETCHABLE } from './fetch.js';
import { checkFileSize, namingFile, noteInput } from './files.js';
import { gunzipSyncChecked, type ImageDataset, LOADER_DEFAULT_MAX_BYTES, loadCaltechSilhouettes, loadDigits, loadIdx, loadMnist } from '../data.js';


/** A data set loaded for the command line.
 * @category Data & files
 */
export interface CliData {
  /** `[n, d]` rows, values in [0, 1] (0/1 after binarization). */
  readonly matrix: Matrix;
  /** Labels when the source has them. */
  readonly labels?: ArrayLike<number>;
  /** Image height when the rows are pictures. */
  readonly height?: number;
  /** Image width when the rows are pictures. */
  readonly width?: number;
  /** What was loaded (for messages). */
  readonly description: string;
}

/** How to turn values in [0, 1] into 0/1.
 * @category Data & files
 */
export type Binarize = 'threshold' | 'sample' | 'none';

/** Options of {@link loadCliData}.
 * @category Data & files
 */
export interface LoadCliDataOptions {
  /** Folder holding the named sets (`mnist-binarized/`, `digits/`, …). */
  dataDir: string;
  /** Keep the first `limit` rows. */
  limit?: number;
  /** Binarization (default `'threshold'`). */
  binarize?: Binarize;
  /** Threshold for `'threshold'` (default 0.5): `x ≥ threshold → 1`. */
  threshold?: number;
  /** Generator for `'sample'`. */
  rng?: Random;
  /**
   * Largest data file read, and largest decompressed CSV, in bytes (default
   * {@link LOADER_DEFAULT_MAX_BYTES}, 1 GiB); a larger file is refused from its
   * size, before it is read (IDX files: the data bytes their header declares).
   */
  maxBytes?: number;
}

interface NamedSet {
  folder: string;
  /** A file name the set's folder must hold (a folder without one is passed over, {@link findDataSet}). */
  holds: RegExp;
  splits: readonly ('train' | 'test' | 'val')[];
  load: (dir: string, split: 'train' | 'test' | 'val', limit: number | undefined) => ImageDataset;
  about: string;
}

/** The named sets, their folders in the data folder, and their loaders.
 * @category Data & files
 */
export const NAMED_SETS: Readonly<Record<string, NamedSet>> = {
  'mnist-binarized': {
    folder: 'mnist-binarized',
    holds: /images[-_.]idx3[-_.]ubyte(?:\.gz)?$/,
    splits: ['train', 'test'],
    load: (dir, split, limit) => loadMnist(dir, { split, limit }),
    about: '70 000 MNIST digits, stochastically binarized, 28×28 (train 60 000 / test 10 000)',
  },
  mnist: {
    folder: 'mnist',
    holds: /images[-_.]idx3[-_.]ubyte(?:\.gz)?$/,
    splits: ['test', 'train'],
    load: (dir, split, limit) => {
      if (split === 'train' && !existsSync(join(dir, 'train-images-idx3-ubyte.gz')) && !existsSync(join(dir, 'train-images-idx3-ubyte'))) {
        throw new Error(`data set 'mnist' has no training images in ${dir} (boltzmann data fetch mnist downloads them)`);
      }
      return loadMnist(dir, { split, limit });
    },
    about: 'the original MNIST, grey levels, 28×28: test (10 000; the default) and, once fetched, train (60 000)',
  },
  'mnist-train10k': {
    folder: 'mnist-train10k',
    holds: /images[-_.]idx3[-_.]ubyte(?:\.gz)?$/,
    splits: ['train'],
    load: (dir, split, limit) => loadMnist(dir, { split, limit }),
    about: 'the first 10 000 MNIST training digits, grey levels, 28×28',
  },
  'caltech101-silhouettes': {
    folder: 'caltech101-silhouettes',
    holds: /images[-_.]idx3[-_.]ubyte(?:\.gz)?$/,
    splits: ['train', 'val', 'test'],
    load: (dir, split, limit) => loadCaltechSilhouettes(dir, { split, limit }),
    about: 'CalTech 101 Silhouettes 28×28 (1 = background)',
  },
  digits: {
    folder: 'digits',
    holds: /^digits\.csv(?:\.gz)?$/,
    splits: ['train'],
    load: (dir, _split, limit) => loadDigits(dir, { limit }),
    about: 'the 1797 UCI/scikit-learn 8×8 digits, values 0..16 scaled to [0, 1]',
  },
};

function squareSide(d: number): number | undefined {
  const s = Math.round(Math.sqrt(d));
  return s * s === d ? s : undefined;
}

/** Divides by the maximum when it exceeds 1 (grey levels 0..255, counts 0..16); rejects negative values. */
function scaleToUnit(m: Matrix, what: string): void {
  const x = m.data;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!(v >= 0)) throw new FormatError(`${what}: values must be non-negative numbers (got ${v} at entry ${i})`);
    if (v > max) max = v;
  }
  if (max > 1) for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / max;
}

/**
 * Resolves and loads `spec`: a named set (`mnist-binarized`, `mnist-binarized:test`,
 * `digits`, …) from `dataDir`, or a path to an IDX (`.gz` or not) or CSV file.
 * Values are scaled to [0, 1] and binarized.
 *
 * @param spec - the set name (with an optional `:split`) or a file path
 * @param options - data folder, row limit, binarization
 * @returns the rows, labels and image shape
 * @throws {UsageError} on an unknown split; Error when a file is missing; {@link FormatError} when it is malformed
 * @category Data & files
 */
export function loadCliData(spec: string, options: LoadCliDataOptions): CliData {
  const colon = spec.lastIndexOf(':');
  const name = colon > 0 ? spec.slice(0, colon) : spec;
  const named = Object.hasOwn(NAMED_SETS, name) ? NAMED_SETS[name] : undefined;
  let m: Matrix;
  let labels: ArrayLike<number> | undefined;
  let height: number | undefined;
  let width: number | undefined;
  let description: string;
  if (named !== undefined) {
    const split = colon > 0 ? spec.slice(colon + 1) : (named.splits[0] as string);
    if (!(named.splits as readonly string[]).includes(split)) {
      throw new UsageError(`data set '${name}' has no split '${split}' (splits: ${named.splits.join(', ')})`);
    }
    const folder = join(options.dataDir, named.folder);
    if (!existsSync(folder)) throw new Error(`data set '${name}' not found in ${options.dataDir} (${notFoundHint(name)})`);
    const ds = named.load(folder, split as 'train' | 'test' | 'val', options.limit);
    ({ height, width, labels } = ds);
    m = ds.images;
    description = `${name}:${split} (${m.rows} rows × ${m.cols})`;
  } else {
    const path = resolve(spec);
    if (!existsSync(path)) {
      throw new Error(`no such file or data set: ${spec} (named sets: ${Object.keys(NAMED_SETS).join(', ')})`);
    }
    const st = statSync(path);
    if (st.isDirectory()) throw new Error(`is a folder, not a file: ${spec} (give an IDX or CSV file, or a named set)`);
    // a device or pipe (a stored path in a shared checkpoint could name one) would never end
    if (!st.isFile()) throw new Error(`not a regular file: ${spec} (give an IDX or CSV file, or a named set)`);
    noteInput(path);
    const maxBytes = options.maxBytes ?? LOADER_DEFAULT_MAX_BYTES;
    if (/\.csv(\.gz)?$/i.test(path)) {
      // refused from its size: readFileSync would throw Node's own RangeError past 2 GiB, without the file's name
      checkFileSize(path, maxBytes, 'a CSV file');
      let t: ReturnType<typeof parseCsv>['data'];
      try {
        let bytes: Uint8Array = new Uint8Array(readFileSync(path));
        if (isGzip(bytes)) bytes = gunzipSyncChecked(bytes, maxBytes);
        t = parseCsv(bytes).data;
      } catch (e) {
        throw namingFile(path, e);
      }
      const rows = options.limit === undefined ? t.rows : Math.min(options.limit, t.rows);
      m = { rows, cols: t.cols, data: t.data.slice(0, rows * t.cols) };
      height = squareSide(t.cols);
      width = height;
    } else {
      let idx: ReturnType<typeof loadIdx>;
      try {
        idx = loadIdx(path, { maxBytes, ...(options.limit === undefined ? {} : { limit: options.limit }) }); // only the rows used are decompressed
      } catch (e) {
        throw namingFile(path, e);
      }
      const n0 = idx.dims[0] as number;
      const cols = idx.dims.slice(1).reduce((a, b) => a * b, 1);
      if (cols === 0) throw new FormatError(`${path}: IDX dims [${idx.dims.join(', ')}] give rows of 0 columns; expected at least one value per row`);
      const d = idx.data.length / Math.max(1, n0);
      const rows = options.limit === undefined ? n0 : Math.min(options.limit, n0);
      m = { rows, cols: d, data: Float64Array.from(idx.data.subarray(0, rows * d)) };
      height = idx.dims.length === 3 ? idx.dims[1] : squareSide(d);
      width = idx.dims.length === 3 ? idx.dims[2] : squareSide(d);
    }
    description = `${spec} (${m.rows} rows × ${m.cols})`;
  }
  if (m.rows === 0) throw new FormatError(`${spec}: no rows`);
  scaleToUnit(m, spec);
  const mode = options.binarize ?? 'threshold';
  if (mode === 'threshold') binarizeThreshold(m, options.threshold ?? 0.5, m);
  else if (mode === 'sample') {
    if (options.rng === undefined) throw new Error('loadCliData: sampling binarization needs a generator');
    binarizeSample(m, options.rng, m);
  }
  return { matrix: m, labels, height, width, description };
}

/** The data-related choices, saved in checkpoints so that `--resume` reloads the same rows.
 * @category Data & files
 */
export interface DataSpec {
  /** `--data`: a named set or a file path. */
  data: string;
  /** The data folder of the named sets (absolute). */
  dataDir: string;
  /** `--limit`, or null for every row. */
  limit: number | null;
  /** `--binarize`. */
  binarize: Binarize;
  /** `--threshold`. */
  threshold: number;
  /**
   * SHA-256 (hex) of the rows as loaded ({@link dataSha256}), stored by `train`
   * so that `--resume` refuses other data; absent in older checkpoints.
   */
  sha256?: string;
}

/** Whether `data` names one of {@link NAMED_SETS} (with an optional `:split`), not a file.
 * @category Data & files
 */
export function isNamedSet(data: string): boolean {
  const colon = data.lastIndexOf(':');
  return Object.hasOwn(NAMED_SETS, colon > 0 ? data.slice(0, colon) : data);
}

/**
 * SHA-256 (hex) of loaded rows: the text `<rows>x<cols>\n`, then the values as
 * little-endian float64, row by row. The same file, limit and binarization
 * give the same digest from any working directory.
 *
 * @param m - the rows
 * @returns 64 hexadecimal digits
 * @category Data & files
 */
export function dataSha256(m: Matrix): string {
  const h = createHash('sha256');
  h.update(`${m.rows}x${m.cols}\n`);
  const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.rows * m.cols * 8);
  if (new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f) h.update(bytes);
  else {
    // big-endian host: swap each value to little-endian first
    const le = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) le[i] = bytes[(i & ~7) + 7 - (i & 7)] as number;
    h.update(le);
  }
  return h.digest('hex');
}

/** Records a file data source as an input of the running command (so no output may replace it).
 * @category Data & files
 */
export function noteDataInput(spec: DataSpec): void {
  if (!isNamedSet(spec.data)) noteInput(spec.data);
}

/** What to do about a named set that is nowhere: fetch it, or why it cannot be fetched. */
function notFoundHint(name: string): string {
  if (Object.hasOwn(FETCHABLE_SETS, name)) return `boltzmann data fetch ${name} downloads it into the user cache`;
  const why = Object.hasOwn(NOT_FETCHABLE, name) ? `it cannot be downloaded: ${NOT_FETCHABLE[name]}` : 'see boltzmann data list';
  return `give --data-dir or set BOLTZMANN_DATA_DIR to a folder holding ${name}/; ${why}`;
}

/**
 * The folder of the named sets for the data `data` (a named set with an
 * optional `:split`, or a file): the first of `--data-dir`,
 * `$BOLTZMANN_DATA_DIR`, the per-user cache and `../shared/data` that holds
 * the set ({@link dataSearchPath}); for a file, or a set found nowhere, the
 * first of them.
 *
 * @param v - the flags (`--data-dir`)
 * @param ctx - the environment
 * @param data - the `--data` value (a set name or a path)
 * @returns the folder (absolute)
 * @throws {Error} when `data` names a set that none of the folders holds (with how to get it)
 * @category Data & files
 */
export function dataDir(v: Values, ctx: CliContext, data?: string): string {
  const places = dataSearchPath(str(v, 'data-dir'), ctx.env);
  if (data === undefined || !isNamedSet(data)) return (places[0] as { dir: string }).dir;
  const colon = data.lastIndexOf(':');
  const name = colon > 0 ? data.slice(0, colon) : data;
  const set = NAMED_SETS[name] as NamedSet;
  const at = findDataSet(set.folder, places, set.holds);
  if (at === undefined) throw new Error(`data set '${name}' not found (looked in ${places.map((p) => p.dir).join(', ')}); ${notFoundHint(name)}`);
  return at.dir;
}

/** Reads the data flags (`--data` is required).
 * @category Data & files
 */
export function dataSpec(v: Values, ctx: CliContext, defaultLimit?: number): DataSpec {
  const data = str(v, 'data');
  if (data === undefined) throw new UsageError('--data is required (a file path or a named set; see boltzmann --help)');
  const limit = v.limit === undefined ? (defaultLimit ?? null) : intOpt(v, 'limit', 0);
  return {
    // a file path is stored absolute, so that --resume finds it from any working directory
    data: isNamedSet(data) ? data : resolve(data),
    dataDir: dataDir(v, ctx, data),
    limit,
    binarize: oneOf(v, 'binarize', ['threshold', 'sample', 'none'] as const, 'threshold'),
    threshold: numOpt(v, 'threshold', 0.5, 0, 1),
  };
}

/** Loads the rows of `spec`; sampled binarization draws from stream 3 of `seed`.
 * @category Data & files
 */
export function loadData(spec: DataSpec, seed: number): CliData {
  return loadCliData(spec.data, {
    dataDir: spec.dataDir,
    limit: spec.limit ?? undefined,
    binarize: spec.binarize,
    threshold: spec.threshold,
    // Its own stream, so that sampling the binarization never shifts the training draws.
    rng: new Random(seed).streams(4)[3],
  });
}
