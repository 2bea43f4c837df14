/**
 * `boltzmann data fetch mnist-binarized`: the set is published only as a
 * MATLAB file (BinaryDataMNIST.mat in Boltzxuann/RP-iRBM), which the fetcher
 * downloads (size and SHA-256 checked), converts to the four IDX files
 * (src/node/mat.ts, src/node/cli/fetch-convert.ts) and checks against the
 * SHA-256 of each decompressed IDX file recorded in
 * ../shared/data/mnist-binarized/README.txt. No test needs the network: a
 * local HTTP server serves MAT-files written here byte by byte, and the tests
 * give the fetcher a table with their own digests (`sets`), except where the
 * real table is the point:
 *
 * - a full-size MAT-file rebuilt from ../shared/data/mnist-binarized (the
 *   arrays the README describes, column-major) converts to IDX files whose
 *   SHA-256 are the README's (so the conversion reproduces those bytes);
 * - the command line, with the real table, refuses a MAT-file that is not
 *   the published one and leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { convertMatToIdx } from '../../src/node/cli/fetch-convert.js';
import { DownloadError, FETCHABLE_SETS, type FetchableSet, fetchDataSet } from '../../src/node/cli/fetch.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';
import { loadMnist } from '../../src/node/data.js';
import { readMat } from '../../src/node/mat.js';
import { doubleArray, doubleArrayAsU8, header, idxImages, idxLabels, logicalArray, oneHot } from './mat-writer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sharedSet = join(root, '..', 'shared', 'data', 'mnist-binarized');
const REAL = FETCHABLE_SETS['mnist-binarized'] as FetchableSet;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** A small set: 3 training and 2 test images of 28×28 (a pseudo-random 0/1 pattern), one-hot targets. */
function smallSet() {
  const img = (n: number, seed: number) => Uint8Array.from({ length: n * 784 }, (_, k) => ((k * 2654435761 + seed) >>> 7) & 1);
  const trainImages = img(3, 1);
  const testImages = img(2, 5);
  const trainLabels = [7, 0, 9];
  const testLabels = [3, 3];
  const mat = Buffer.concat([
    header(),
    logicalArray('Bdata_train', trainImages, 3, 784),
    logicalArray('Bdata_test', testImages, 2, 784),
    doubleArrayAsU8('train_targets', oneHot(trainLabels, 10), 3, 10), // MATLAB stores 0/1 doubles compactly
    doubleArray('test_targets', oneHot(testLabels, 10), 2, 10),
  ]);
  // the IDX files, written here directly from the row-major arrays (not through the converter)
  const idx = {
    'binarized-train-images-idx3-ubyte.gz': idxImages(trainImages, 3, 28, 28),
    'binarized-train-labels-idx1-ubyte.gz': idxLabels(trainLabels),
    'binarized-test-images-idx3-ubyte.gz': idxImages(testImages, 2, 28, 28),
    'binarized-test-labels-idx1-ubyte.gz': idxLabels(testLabels),
  } as Record<string, Buffer>;
  return { mat, idx, trainImages, trainLabels, testLabels };
}

/** The real table with the MAT-file's and the IDX files' sizes and digests replaced by those of `mat` and `idx`. */
function tableFor(mat: Buffer, idx: Record<string, Buffer>): Record<string, FetchableSet> {
  const conv = REAL.convert as NonNullable<FetchableSet['convert']>;
  return {
    'mnist-binarized': {
      ...REAL,
      files: [{ ...(REAL.files[0] as FetchableSet['files'][number]), bytes: mat.length, sha256: sha(mat) }],
      convert: { ...conv, outputs: conv.outputs.map((o) => ({ ...o, bytes: (idx[o.name] as Buffer).length, sha256: sha(idx[o.name] as Buffer) })) },
    },
  };
}

describe('data fetch mnist-binarized: download the MAT-file, convert, check every IDX file', () => {
  let server: Server;
  let base = '';
  let dir = '';
  let requests = 0;
  const served = new Map<string, Buffer>();
  const small = smallSet();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-mat-'));
    served.set('small', small.mat);
    served.set('truncated', small.mat.subarray(0, small.mat.length - 40));
    served.set('samesize', Buffer.concat([small.mat, Buffer.alloc(4058081 - small.mat.length)]));
    server = createServer((req, res) => {
      requests++;
      const [, mode, set, file] = (req.url ?? '').split('/');
      const body = served.get(mode ?? '');
      if (set !== 'mnist-binarized' || file !== 'BinaryDataMNIST.mat' || body === undefined) {
        res.writeHead(404).end('no such file');
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  const mirror = (mode: string) => [`${base}/${mode}/mnist-binarized/`];

  it('fetches and converts into the folder the loaders read; the MAT-file is not kept; a second fetch downloads nothing', async () => {
    const out = join(dir, 'ok');
    const notes: string[] = [];
    const sets = tableFor(small.mat, small.idx);
    const folder = await fetchDataSet('mnist-binarized', { dir: out, mirrors: mirror('small'), sets, note: (l) => notes.push(l) });
    expect(folder).toBe(join(out, 'mnist-binarized'));
    expect(filesIn(folder)).toEqual(Object.keys(small.idx).sort());
    for (const [name, want] of Object.entries(small.idx)) expect(gunzipSync(readFileSync(join(folder, name))).equals(want), name).toBe(true);
    expect(notes.join('\n')).toMatch(/binarized-train-images-idx3-ubyte\.gz: converted from BinaryDataMNIST\.mat, 2368 bytes \(SHA-256 of the IDX checked\)/);
    const train = loadMnist(folder, { split: 'train' });
    expect([train.images.rows, train.images.cols]).toEqual([3, 784]);
    expect(Array.from(train.images.data)).toEqual(Array.from(small.trainImages));
    expect(Array.from(train.labels)).toEqual(small.trainLabels);
    expect(Array.from(loadMnist(folder, { split: 'test' }).labels)).toEqual(small.testLabels);
    const n = requests;
    const again: string[] = [];
    await fetchDataSet('mnist-binarized', { dir: out, mirrors: mirror('small'), sets, note: (l) => again.push(l) });
    expect(requests).toBe(n);
    expect(again.every((l) => /already there/.test(l))).toBe(true);
  });

  it('refuses when a converted file does not have the recorded SHA-256, and leaves nothing behind', async () => {
    const out = join(dir, 'mismatch');
    const sets = tableFor(small.mat, small.idx);
    const set = sets['mnist-binarized'] as FetchableSet & { convert: NonNullable<FetchableSet['convert']> };
    const outputs = set.convert.outputs.map((o, i) => (i === 3 ? { ...o, sha256: '0'.repeat(64) } : o));
    const bad = { 'mnist-binarized': { ...set, convert: { ...set.convert, outputs } } };
    const err = await fetchDataSet('mnist-binarized', { dir: out, mirrors: mirror('small'), sets: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/binarized-test-labels-idx1-ubyte\.gz: the converted file's SHA-256 [0-9a-f]{64} does not match the expected 0{64}; refused, nothing written/);
    expect(filesIn(join(out, 'mnist-binarized'))).toEqual([]);
  });

  it('stops on an abort once the MAT-file is in (before converting), and leaves nothing behind', async () => {
    const out = join(dir, 'abort');
    const controller = new AbortController();
    const onProgress = (_: string, received: number, total: number) => {
      if (received === total) controller.abort(new Error('stop'));
    };
    const sets = tableFor(small.mat, small.idx);
    const err = await fetchDataSet('mnist-binarized', { dir: out, mirrors: mirror('small'), sets, signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('stop');
    expect(filesIn(join(out, 'mnist-binarized'))).toEqual([]);
  });

  it('a MAT-file that matches its digest but is malformed is a FormatError, and leaves nothing behind', async () => {
    const out = join(dir, 'malformed');
    const truncated = served.get('truncated') as Buffer;
    const err = await fetchDataSet('mnist-binarized', { dir: out, mirrors: mirror('truncated'), sets: tableFor(truncated, small.idx) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(filesIn(join(out, 'mnist-binarized'))).toEqual([]);
  });

  it('the command line, with the real digests, refuses a MAT-file that is not the published one (exit 1) and leaves nothing behind', async () => {
    const cache = join(dir, 'cli');
    const stdout = new Capture(), stderr = new Capture();
    const code = await runCli(['data', 'fetch', 'mnist-binarized'], { stdout, stderr, env: { XDG_CACHE_HOME: cache, BOLTZMANN_DATA_URL: `${base}/small` } });
    expect(code, stderr.text).toBe(1);
    expect(stderr.text).toMatch(new RegExp(`the server declares ${small.mat.length} bytes, expected 4058081`));
    expect(filesIn(join(cache, 'boltzmann', 'mnist-binarized'))).toEqual([]);
    const same = await runCli(['data', 'fetch', 'mnist-binarized'], { stdout, stderr, env: { XDG_CACHE_HOME: cache, BOLTZMANN_DATA_URL: `${base}/samesize` } });
    expect(same, stderr.text).toBe(1);
    expect(stderr.text).toMatch(/SHA-256 [0-9a-f]{64} does not match the expected e4a352ff14c0b14c/);
    expect(filesIn(join(cache, 'boltzmann', 'mnist-binarized'))).toEqual([]);
    const list = new Capture();
    await runCli(['data', 'list', '--json'], { stdout: list, stderr, env: { XDG_CACHE_HOME: cache } });
    const sets = (JSON.parse(list.text) as { sets: { name: string; fetchable: boolean; notFetchable?: string }[] }).sets;
    expect(sets.find((s) => s.name === 'mnist-binarized')).toMatchObject({ fetchable: true });
    expect(sets.find((s) => s.name === 'mnist-binarized')?.notFetchable).toBeUndefined();
  });

  if (!existsSync(join(sharedSet, 'binarized-train-images-idx3-ubyte.gz'))) console.warn(`[test/node/cli-data-mat] ${sharedSet} not found: the real-table digest test is skipped`);
  it.skipIf(!existsSync(join(sharedSet, 'binarized-train-images-idx3-ubyte.gz')))(
    "a MAT-file holding the README's arrays converts to IDX files with the README's SHA-256 (the real table's digests)",
    () => {
      const images = (split: 'train' | 'test') => gunzipSync(readFileSync(join(sharedSet, `binarized-${split}-images-idx3-ubyte.gz`))).subarray(16);
      const labels = (split: 'train' | 'test') => gunzipSync(readFileSync(join(sharedSet, `binarized-${split}-labels-idx1-ubyte.gz`))).subarray(8);
      const mat = Buffer.concat([
        header('MATLAB 5.0 MAT-file, Platform: PCWIN, Created on: Mon May 30 14:51:30 2016'),
        logicalArray('Bdata_train', images('train'), 60000, 784),
        logicalArray('Bdata_test', images('test'), 10000, 784),
        doubleArrayAsU8('train_targets', oneHot(labels('train'), 10), 60000, 10),
        doubleArray('test_targets', oneHot(labels('test'), 10), 10000, 10),
      ]);
      const files = convertMatToIdx(readMat(new Uint8Array(mat.buffer, mat.byteOffset, mat.byteLength)), REAL.convert as NonNullable<FetchableSet['convert']>);
      const conv = REAL.convert as NonNullable<FetchableSet['convert']>;
      for (const o of conv.outputs) expect(sha(files.get(o.name) as Uint8Array), o.name).toBe(o.sha256);
      // and the README's digests are the files' in ../shared/data
      for (const o of conv.outputs) expect(sha(gunzipSync(readFileSync(join(sharedSet, o.name)))), o.name).toBe(o.sha256);
    },
    60_000,
  );
});
