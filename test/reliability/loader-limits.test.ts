/**
 * Bounded decompression in the Node loaders (issue #15, "Bounded sizes and decompression"):
 * every loader takes `maxBytes` (default `LOADER_DEFAULT_MAX_BYTES`, 1 GiB), reads the IDX
 * header before the data, refuses a file that declares more than `maxBytes` (or an images
 * matrix of more than `maxBytes`), never decompresses past the declared size, and applies
 * `limit` while streaming. Peak memory is measured in a child process
 * (`process.resourceUsage().maxRSS`), against a baseline child that loads a tiny folder.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { encodeIdx } from '../../src/io/idx.js';
import { LOADER_DEFAULT_MAX_BYTES, loadIdx, loadMnist } from '../../src/node/data.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 2 ** 20;

function header(dims: number[]): Buffer {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h[2] = 8;
  h[3] = dims.length;
  for (const [k, d] of dims.entries()) h.writeUInt32BE(d, 4 + 4 * k);
  return h;
}

/** Writes gzip(header(dims) + `bodyBytes` zero bytes) by streaming (the generator never holds the body). */
async function writeZeroBomb(path: string, dims: number[], bodyBytes: number): Promise<void> {
  const gz = createGzip({ level: 9 });
  const out = createWriteStream(path);
  gz.pipe(out);
  gz.write(header(dims));
  const chunk = Buffer.alloc(MiB);
  for (let left = bodyBytes; left > 0; left -= chunk.length) {
    if (!gz.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'finish');
}

function labels(dir: string, n: number): void {
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([header([n]), Buffer.alloc(n)]), { level: 9 }));
}

interface ChildResult {
  ok: boolean;
  name?: string;
  message?: string;
  rows?: number;
  peakRss: number;
}

function runChild(dir: string, options: object): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/reliability/load-child.ts'), dir, JSON.stringify(options)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`child failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

const mb = (b: number) => `${(b / MiB).toFixed(0)} MiB`;

describe('gzip bombs through loadMnist: peak memory bounded by maxBytes', () => {
  const dirs: Record<string, string> = {};
  let baseline = 0;

  beforeAll(async () => {
    const mk = () => mkdtempSync(join(tmpdir(), 'boltzmann-bomb-'));
    // the bomb: 1 MiB of gzip declaring (and holding) ~1 GiB of 28×28 images
    dirs.big = mk();
    const nBig = Math.floor((2 ** 30 - 16) / 784);
    await writeZeroBomb(join(dirs.big, 'train-images-idx3-ubyte.gz'), [nBig, 28, 28], nBig * 784);
    labels(dirs.big, nBig);
    // a small bomb (64 MiB of pixels), safe to run on code without limits, for maxBytes = 16 MiB
    dirs.small = mk();
    const nSmall = Math.floor((64 * MiB) / 784);
    await writeZeroBomb(join(dirs.small, 'train-images-idx3-ubyte.gz'), [nSmall, 28, 28], nSmall * 784);
    labels(dirs.small, nSmall);
    // a lying header: 10 images declared, 256 MiB of data behind them
    dirs.liar = mk();
    await writeZeroBomb(join(dirs.liar, 'train-images-idx3-ubyte.gz'), [10, 28, 28], 256 * MiB);
    labels(dirs.liar, 10);
    // 16 MiB of pixels: a 128 MiB images matrix
    dirs.fits = mk();
    const nFits = Math.floor((16 * MiB) / 784);
    await writeZeroBomb(join(dirs.fits, 'train-images-idx3-ubyte.gz'), [nFits, 28, 28], nFits * 784);
    labels(dirs.fits, nFits);
    // a tiny valid folder: the child's baseline memory
    dirs.tiny = mk();
    writeFileSync(join(dirs.tiny, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx({ type: 'uint8', dims: [2, 28, 28], data: new Uint8Array(1568) })));
    labels(dirs.tiny, 2);
    const b = runChild(dirs.tiny, {});
    expect(b.ok).toBe(true);
    baseline = b.peakRss;
  }, 120_000);

  afterAll(() => {
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  });

  it('the 1 MiB bomb (1 GiB inflated) with the default maxBytes: refused from its header, peak RSS far below 2 × maxBytes', () => {
    const r = runChild(dirs.big as string, {});
    console.log(`1 MiB gzip bomb, default maxBytes ${mb(LOADER_DEFAULT_MAX_BYTES)}: peak RSS ${mb(r.peakRss)} (baseline ${mb(baseline)}) — ${r.message}`);
    expect(r.ok).toBe(false);
    expect(r.name).toBe('FormatError');
    expect(r.message).toMatch(/^loadImageFolder: .*maxBytes = 1073741824/);
    expect(r.peakRss).toBeLessThan(2 * LOADER_DEFAULT_MAX_BYTES);
    expect(r.peakRss - baseline).toBeLessThan(64 * MiB);
  });

  it('the same bomb with limit: 10 decompresses only 10 images', () => {
    const r = runChild(dirs.big as string, { limit: 10 });
    console.log(`1 MiB gzip bomb, limit 10: peak RSS ${mb(r.peakRss)} (baseline ${mb(baseline)})`);
    expect(r).toMatchObject({ ok: true, rows: 10 });
    expect(r.peakRss - baseline).toBeLessThan(64 * MiB);
  });

  it('maxBytes = 16 MiB against a 64 MiB file: refused, growth under 2 × maxBytes', () => {
    const maxBytes = 16 * MiB;
    const r = runChild(dirs.small as string, { maxBytes });
    console.log(`64 MiB bomb, maxBytes 16 MiB: peak RSS ${mb(r.peakRss)} (baseline ${mb(baseline)})`);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/maxBytes = 16777216/);
    expect(r.peakRss - baseline).toBeLessThan(2 * maxBytes);
  });

  it('a file just inside maxBytes = 128 MiB (a 128 MiB matrix) loads with growth under 2 × maxBytes', () => {
    const r = runChild(dirs.fits as string, { maxBytes: 128 * MiB });
    console.log(`16 MiB of pixels (128 MiB matrix), maxBytes 128 MiB: peak RSS ${mb(r.peakRss)} (baseline ${mb(baseline)})`);
    expect(r).toMatchObject({ ok: true, rows: Math.floor((16 * MiB) / 784) });
    expect(r.peakRss - baseline).toBeLessThan(2 * 128 * MiB);
  });

  it('a header declaring 10 images with 256 MiB behind it: decompression stops at the declared size', () => {
    const r = runChild(dirs.liar as string, {});
    console.log(`lying header (10 images, 256 MiB of data): peak RSS ${mb(r.peakRss)} (baseline ${mb(baseline)}) — ${r.message}`);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^loadImageFolder: .*decompresses to more than the 7856 bytes its IDX header declares/);
    expect(r.peakRss - baseline).toBeLessThan(64 * MiB);
  });
});

describe('limit applies while streaming; maxBytes on every loader', () => {
  it('with limit, a file whose tail is corrupt loads (the tail is never decompressed); without, it is a FormatError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-limit-'));
    try {
      const n = 2000;
      const pixels = new Uint8Array(n * 784);
      let s = 1;
      for (let i = 0; i < pixels.length; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        pixels[i] = s >>> 24;
      }
      const gz = gzipSync(encodeIdx({ type: 'uint8', dims: [n, 28, 28], data: pixels }));
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length - 1000)); // truncated tail
      labels(dir, n);
      const ds = loadMnist(dir, { limit: 3 });
      expect(ds.images.rows).toBe(3);
      expect(Array.from(ds.images.data.subarray(0, 784), (v) => Math.round(v * 255))).toEqual(Array.from(pixels.subarray(0, 784)));
      expect(() => loadMnist(dir)).toThrow(FormatError);
      const idx = loadIdx(join(dir, 'train-images-idx3-ubyte.gz'), { limit: 3 });
      expect(idx.dims).toEqual([3, 28, 28]);
      expect(idx.data.length).toBe(3 * 784);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loadIdx and loadMnist take maxBytes, and refuse a file declaring more before decompressing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-maxbytes-'));
    try {
      const f = join(dir, 'train-images-idx3-ubyte');
      writeFileSync(f, encodeIdx({ type: 'uint8', dims: [4, 2, 2], data: new Uint8Array(16) }));
      labels(dir, 4);
      expect(loadIdx(f, { maxBytes: 16 }).data.length).toBe(16);
      expect(() => loadIdx(f, { maxBytes: 15 })).toThrow(/^loadIdx: .* declares 16 data bytes .*more than maxBytes = 15/);
      expect(loadIdx(f, { maxBytes: 8, limit: 2 }).dims).toEqual([2, 2, 2]);
      // the images matrix (8 bytes a value) counts too: 16 values → 128 bytes
      expect(loadMnist(dir, { maxBytes: 128 }).images.rows).toBe(4);
      expect(() => loadMnist(dir, { maxBytes: 127 })).toThrow(/matrix of 128 bytes.*maxBytes = 127/);
      expect(() => loadIdx(f, { maxBytes: -1 })).toThrow(/^loadIdx: options.maxBytes must be an integer >= 0 \(got -1\)$/);
      expect(() => loadIdx(f, { maxbytes: 1 } as never)).toThrow(/^loadIdx: unknown option/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an IDX file holding +Infinity is a FormatError naming the value and element, not a later NaN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boltzmann-inf-'));
    try {
      const f = join(dir, 'x-idx2-double');
      writeFileSync(f, encodeIdx({ type: 'float64', dims: [2, 2], data: [0, 0.5, Number.POSITIVE_INFINITY, 1] }));
      expect(() => loadIdx(f)).toThrow(FormatError);
      expect(() => loadIdx(f)).toThrow(/^loadIdx: .* holds a non-finite value \(Infinity\) at element 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
