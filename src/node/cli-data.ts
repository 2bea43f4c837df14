/**
 * Data sources for the command line: IDX files (gzip or not), CSV files of
 * numbers, and the named sets of the project's data folder, scaled to [0, 1]
 * and binarized by threshold or by seeded sampling.
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FormatError } from '../errors.js';
import { parseIdx } from '../io/idx.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random/random.js';

/** A data set loaded for the command line. */
export interface CliData {
  /** `[n, d]` rows, values in [0, 1] (0/1 after binarization). */
  readonly matrix: Matrix;
  /** Labels when the source has them. */
  readonly labels?: Int32Array;
  /** Image height when the rows are pictures. */
  readonly height?: number;
  /** Image width when the rows are pictures. */
  readonly width?: number;
  /** What was loaded (for messages). */
  readonly description: string;
}

/** How to turn values in [0, 1] into 0/1. */
export type Binarize = 'threshold' | 'sample' | 'none';

/** Options of {@link loadCliData}. */
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
}

interface NamedSet {
  folder: string;
  splits: Record<string, [images: string, labels: string | null]>;
  csv?: boolean;
  about: string;
}

/** The named sets and their files, relative to the data folder. */
export const NAMED_SETS: Readonly<Record<string, NamedSet>> = {
  'mnist-binarized': {
    folder: 'mnist-binarized',
    splits: {
      train: ['binarized-train-images-idx3-ubyte.gz', 'binarized-train-labels-idx1-ubyte.gz'],
      test: ['binarized-test-images-idx3-ubyte.gz', 'binarized-test-labels-idx1-ubyte.gz'],
    },
    about: '70 000 MNIST digits, stochastically binarized, 28×28 (train 60 000 / test 10 000)',
  },
  mnist: {
    folder: 'mnist',
    splits: { test: ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'] },
    about: 'the 10 000 MNIST test digits, grey levels, 28×28 (split: test only)',
  },
  'mnist-train10k': {
    folder: 'mnist-train10k',
    splits: { train: ['train10k-images-idx3-ubyte.gz', 'train10k-labels-idx1-ubyte.gz'] },
    about: 'the first 10 000 MNIST training digits, grey levels, 28×28',
  },
  'caltech101-silhouettes': {
    folder: 'caltech101-silhouettes',
    splits: {
      train: ['caltech101-silhouettes-28-train-images-idx3-ubyte.gz', 'caltech101-silhouettes-28-train-labels-idx1-ubyte.gz'],
      val: ['caltech101-silhouettes-28-val-images-idx3-ubyte.gz', 'caltech101-silhouettes-28-val-labels-idx1-ubyte.gz'],
      test: ['caltech101-silhouettes-28-test-images-idx3-ubyte.gz', 'caltech101-silhouettes-28-test-labels-idx1-ubyte.gz'],
    },
    about: 'CalTech 101 Silhouettes 28×28 (1 = background)',
  },
  digits: {
    folder: 'digits',
    splits: { train: ['digits.csv.gz', null] },
    csv: true,
    about: 'the 1797 UCI/scikit-learn 8×8 digits, values 0..16, label in the last column',
  },
};

/** Reads a file, gunzipping it when it starts with the gzip magic number. */
export function readMaybeGzip(path: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  if (statSync(path).isDirectory()) throw new Error(`is a folder, not a file: ${path}`);
  const raw = new Uint8Array(readFileSync(path));
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return new Uint8Array(gunzipSync(raw));
  return raw;
}

/** Parses a CSV of numbers (no header, or a header that is skipped when not numeric). */
export function parseNumericCsv(text: string, where: string): { rows: number; cols: number; data: Float64Array } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new FormatError(`${where}: no rows`);
  let start = 0;
  const first = (lines[0] as string).split(/[,;\t]/);
  if (first.some((f) => f.trim() !== '' && !Number.isFinite(Number(f)))) start = 1;
  const cols = (lines[start] ?? '').split(/[,;\t]/).length;
  const rows = lines.length - start;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const f = (lines[r + start] as string).split(/[,;\t]/);
    if (f.length !== cols) throw new FormatError(`${where}: line ${r + start + 1} has ${f.length} fields (expected ${cols})`);
    for (let c = 0; c < cols; c++) {
      const v = Number((f[c] as string).trim());
      if (!Number.isFinite(v)) throw new FormatError(`${where}: line ${r + start + 1}, field ${c + 1} is not a number (${f[c]})`);
      data[r * cols + c] = v;
    }
  }
  return { rows, cols, data };
}

function squareSide(d: number): number | undefined {
  const s = Math.round(Math.sqrt(d));
  return s * s === d ? s : undefined;
}

function loadIdxFile(path: string, limit: number | undefined): { m: Matrix; height?: number; width?: number; max: number } {
  const idx = parseIdx(readMaybeGzip(path));
  const n0 = idx.dims[0] as number;
  let d = 1;
  for (let k = 1; k < idx.dims.length; k++) d *= idx.dims[k] as number;
  const rows = limit === undefined ? n0 : Math.min(limit, n0);
  const data = new Float64Array(rows * d);
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = idx.data[i] as number;
    data[i] = v;
    if (v > max) max = v;
  }
  const height = idx.dims.length === 3 ? idx.dims[1] : squareSide(d);
  const width = idx.dims.length === 3 ? idx.dims[2] : squareSide(d);
  return { m: { rows, cols: d, data }, height, width, max };
}

function loadIdxLabels(path: string, limit: number | undefined): Int32Array {
  const idx = parseIdx(readMaybeGzip(path));
  const n = limit === undefined ? idx.data.length : Math.min(limit, idx.data.length);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = idx.data[i] as number;
  return out;
}

/**
 * Resolves and loads `spec`: a named set (`mnist-binarized`, `mnist-binarized:test`,
 * `digits`, …) from `dataDir`, or a path to an IDX (`.gz` or not) or CSV file.
 * Values are scaled to [0, 1] (divided by the maximum when it exceeds 1) and
 * binarized.
 *
 * @param spec - the set name or file path
 * @param options - data folder, row limit, binarization
 * @returns the rows, labels and image shape
 * @throws {Error} when the file is missing; {@link FormatError} when it is malformed
 */
export function loadCliData(spec: string, options: LoadCliDataOptions): CliData {
  const [name, split] = spec.split(':') as [string, string | undefined];
  const named = Object.hasOwn(NAMED_SETS, name) ? NAMED_SETS[name] : undefined;
  let m: Matrix;
  let labels: Int32Array | undefined;
  let height: number | undefined;
  let width: number | undefined;
  let max: number;
  let description: string;
  if (named !== undefined) {
    const sp = split ?? (named.splits.train ? 'train' : Object.keys(named.splits)[0]);
    const files = sp === undefined ? undefined : named.splits[sp];
    if (files === undefined) {
      throw new UsageError(`data set '${name}' has no split '${split}' (splits: ${Object.keys(named.splits).join(', ')})`);
    }
    const folder = join(options.dataDir, named.folder);
    if (!existsSync(folder)) throw new Error(`data set '${name}' not found in ${options.dataDir} (set --data-dir or BOLTZMANN_DATA_DIR)`);
    if (named.csv) {
      const t = parseNumericCsv(new TextDecoder().decode(readMaybeGzip(join(folder, files[0]))), name);
      const rows = options.limit === undefined ? t.rows : Math.min(options.limit, t.rows);
      const d = t.cols - 1;
      const data = new Float64Array(rows * d);
      labels = new Int32Array(rows);
      max = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < d; c++) {
          const v = t.data[r * t.cols + c] as number;
          data[r * d + c] = v;
          if (v > max) max = v;
        }
        labels[r] = t.data[r * t.cols + d] as number;
      }
      m = { rows, cols: d, data };
      height = squareSide(d);
      width = height;
    } else {
      const r = loadIdxFile(join(folder, files[0]), options.limit);
      ({ m, height, width, max } = r);
      if (files[1] !== null) labels = loadIdxLabels(join(folder, files[1]), options.limit);
    }
    description = `${name}:${sp} (${m.rows} rows × ${m.cols})`;
  } else {
    const path = resolve(spec);
    if (!existsSync(path)) {
      throw new Error(`no such file or data set: ${spec} (named sets: ${Object.keys(NAMED_SETS).join(', ')})`);
    }
    if (/\.csv(\.gz)?$/i.test(path)) {
      const t = parseNumericCsv(new TextDecoder().decode(readMaybeGzip(path)), spec);
      const rows = options.limit === undefined ? t.rows : Math.min(options.limit, t.rows);
      m = { rows, cols: t.cols, data: t.data.slice(0, rows * t.cols) };
      max = 0;
      for (let i = 0; i < m.data.length; i++) if ((m.data[i] as number) > max) max = m.data[i] as number;
      height = squareSide(t.cols);
      width = height;
    } else {
      ({ m, height, width, max } = loadIdxFile(path, options.limit));
    }
    description = `${spec} (${m.rows} rows × ${m.cols})`;
  }
  if (m.rows === 0) throw new FormatError(`${spec}: no rows`);
  const x = m.data;
  for (let i = 0; i < x.length; i++) {
    if ((x[i] as number) < 0) throw new FormatError(`${spec}: values must be non-negative (got ${x[i]} at entry ${i})`);
  }
  if (max > 1) for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / max;
  const mode = options.binarize ?? 'threshold';
  if (mode === 'threshold') {
    const t = options.threshold ?? 0.5;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) >= t ? 1 : 0;
  } else if (mode === 'sample') {
    const rng = options.rng;
    if (rng === undefined) throw new Error('loadCliData: sampling binarization needs a generator');
    for (let i = 0; i < x.length; i++) x[i] = rng.float64() < (x[i] as number) ? 1 : 0;
  }
  return { matrix: m, labels, height, width, description };
}

/** A usage problem in a data specification (reported with exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
