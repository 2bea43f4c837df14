import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { expectLibraryError } from '../reliability/library-error.js';
import { encodeIdx, readIdx } from '../../src/io/idx.js';
import { gunzipSyncChecked, loadCaltechSilhouettes, loadDigits, loadIdx, loadImageFolder, loadMnist } from '../../src/node/data.js';

const DATA = resolve(__dirname, '../../../shared/data');
const haveData = existsSync(DATA);
if (!haveData) console.warn(`[test/node/data] ${DATA} not found: the real-dataset tests are skipped`);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'boltzmann-data-'));
}

describe('loadIdx and folder loaders on synthetic files', () => {
  it('reads raw and gzip IDX the same, and a folder split with limit, scaling and binarization', () => {
    const dir = tmp();
    try {
      const pixels = [0, 255, 128, 127, 51, 204, 0, 255];
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx({ type: 'uint8', dims: [2, 2, 2], data: pixels })));
      writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx({ type: 'uint8', dims: [2], data: [3, 9] }));
      expect(loadIdx(join(dir, 'train-labels-idx1-ubyte')).data).toEqual(Uint8Array.of(3, 9));
      const ds = loadMnist(dir);
      expect([ds.images.rows, ds.images.cols, ds.height, ds.width]).toEqual([2, 4, 2, 2]);
      expect(Array.from(ds.images.data)).toEqual(pixels.map((p) => p / 255));
      expect(Array.from(ds.labels)).toEqual([3, 9]);
      expect(loadMnist(dir, { limit: 1 }).images.rows).toBe(1);
      expect(Array.from(loadMnist(dir, { binarize: 'threshold' }).images.data)).toEqual([0, 1, 1, 0, 0, 1, 0, 1]);
      const s1 = loadMnist(dir, { binarize: 'sample', rng: 5 }).images.data;
      expect(loadMnist(dir, { binarize: 'sample', rng: 5 }).images.data).toEqual(s1);
      expect(s1[0]).toBe(0);
      expect(s1[1]).toBe(1);
      expect(() => loadMnist(dir, { binarize: 'sample' })).toThrow(TypeError);
      expect(() => loadMnist(dir, { split: 'test' })).toThrow(/no test images file/);
      expect(() => loadMnist(dir, { split: 'dev' as never })).toThrow(RangeError);
      // mismatched counts
      writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx({ type: 'uint8', dims: [3], data: [1, 2, 3] }));
      expect(() => loadMnist(dir)).toThrow(/2 images but 3 labels/);
      // corrupt gzip → FormatError naming the file
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2));
      expect(() => loadMnist(dir)).toThrow(FormatError);
      expect(() => gunzipSyncChecked(new Uint8Array(gzipSync(new Uint8Array(1000))), 10)).toThrow(/maxBytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fuzz: 400 corrupted .gz files on disk give only typed errors', () => {
    const dir = tmp();
    try {
      const good = new Uint8Array(gzipSync(encodeIdx({ type: 'uint8', dims: [4, 3, 3], data: new Array(36).fill(9) })));
      const path = join(dir, 'x.gz');
      let state = 12345;
      const rnd = () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return state;
      };
      let rejected = 0;
      for (let t = 0; t < 400; t++) {
        const b = good.slice(0, 2 + (rnd() % (good.length - 1)));
        b[rnd() % b.length] = rnd() & 0xff;
        writeFileSync(path, b);
        try {
          loadIdx(path);
        } catch (e) {
          expectLibraryError(e);
          rejected++;
        }
      }
      console.log(`loadIdx .gz fuzz (library errors only): 400 cases, ${rejected} rejected with a typed error`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveData)('real datasets in ../shared/data', () => {
  it('MNIST test split: 10 000 × 784 in [0, 1], class counts as published, same bytes as the README checksum', async () => {
    const t = loadMnist(join(DATA, 'mnist'), { split: 'test' });
    expect([t.images.rows, t.images.cols, t.height, t.width]).toEqual([10000, 784, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const l of t.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    let mn = 1;
    let mx = 0;
    for (const v of t.images.data) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    expect([mn, mx]).toEqual([0, 1]);
    // the decompressed file hashes to the published sha256
    const raw = gunzipSyncChecked(new Uint8Array(readFileSync(join(DATA, 'mnist/t10k-images-idx3-ubyte.gz'))));
    expect(createHash('sha256').update(raw).digest('hex')).toBe('0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7');
    // the browser path (DecompressionStream) gives the same labels
    const labels = await readIdx(new Uint8Array(readFileSync(join(DATA, 'mnist/t10k-labels-idx1-ubyte.gz'))));
    expect(labels.data).toEqual(t.labels);
  });

  it('MNIST train10k: labels equal the first 10 000 original training labels; pixels match the CSV fixture when present', () => {
    const ds = loadMnist(join(DATA, 'mnist-train10k'));
    expect([ds.images.rows, ds.images.cols]).toEqual([10000, 784]);
    const orig = loadIdx(join(DATA, 'mnist/train-labels-idx1-ubyte.gz'));
    expect(ds.labels).toEqual((orig.data as Uint8Array).subarray(0, 10000));
    const fixture = join(DATA, 'mnist-train10k/mnist_train_100.csv');
    if (!existsSync(fixture)) {
      console.warn(`[test/node/data] ${fixture} not found: pixel cross-check skipped`);
      return;
    }
    const csv = readFileSync(fixture, 'utf8').trim().split('\n');
    csv.forEach((line, i) => {
      const v = line.split(',').map(Number);
      expect(ds.labels[i]).toBe(v[0]);
      let bad = 0;
      for (let j = 0; j < 784; j++) if (ds.images.data[i * 784 + j] !== (v[j + 1] as number) / 255) bad++;
      expect(bad).toBe(0);
    });
  });

  it('binarized MNIST stays 0/1 (not rescaled) with density ≈ 0.13; the train split is found by name', () => {
    const te = loadMnist(join(DATA, 'mnist-binarized'), { split: 'test' });
    expect(te.images.rows).toBe(10000);
    let ones = 0;
    let other = 0;
    for (const v of te.images.data) {
      if (v === 1) ones++;
      else if (v !== 0) other++;
    }
    expect(other).toBe(0);
    expect(ones / te.images.data.length).toBeCloseTo(0.1325, 3);
    const tr = loadImageFolder(join(DATA, 'mnist-binarized'), { limit: 10 });
    expect(tr.images.rows).toBe(10);
    expect(tr.imagesPath).toMatch(/binarized-train-images/);
  });

  it('CalTech 101 Silhouettes: split sizes, 101 class names, invert flips polarity', () => {
    const dir = join(DATA, 'caltech101-silhouettes');
    const sizes = (['train', 'val', 'test'] as const).map((split) => loadCaltechSilhouettes(dir, { split }).images.rows);
    expect(sizes).toEqual([4100, 2264, 2307]);
    const v = loadCaltechSilhouettes(dir, { split: 'val' });
    const vi = loadCaltechSilhouettes(dir, { split: 'val', invert: true });
    expect(v.classNames.length).toBe(101);
    expect(Math.min(...v.labels)).toBe(1);
    expect(Math.max(...v.labels)).toBe(101);
    let mismatches = 0;
    for (let i = 0; i < v.images.data.length; i++) if (vi.images.data[i] !== 1 - (v.images.data[i] as number)) mismatches++;
    expect(mismatches).toBe(0);
    // background (1 in the file) dominates the border
    expect(v.images.data[0]).toBe(1);
  });

  it('digits: 1797 × 64 in [0, 1], class counts as documented', () => {
    const d = loadDigits(join(DATA, 'digits'));
    expect([d.images.rows, d.images.cols, d.height, d.width]).toEqual([1797, 64, 8, 8]);
    const counts = new Array(10).fill(0);
    for (const l of d.labels) counts[l]++;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Math.max(...d.images.data)).toBe(1);
    const b = loadDigits(join(DATA, 'digits', 'digits.csv.gz'), { binarize: 'threshold', limit: 10 });
    expect(b.images.rows).toBe(10);
    expect(b.images.data.every((v) => v === 0 || v === 1)).toBe(true);
  });
});
