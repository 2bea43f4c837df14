/**
 * Named data sets outside the repository (issue #15): `boltzmann data fetch`
 * against a local HTTP server started here (no test needs the network), and
 * the order in which `--data` resolves a named set: `--data-dir`, then
 * `$BOLTZMANN_DATA_DIR`, then the per-user cache, then ../shared/data.
 *
 * The server serves `digits/digits.csv.gz` as the real file (from
 * ../shared/data, whose SHA-256 is the one in the fetch table), as altered
 * bytes of the same length, as a 404, as a body longer than declared or than
 * expected, and as half a body that then stalls (for Ctrl-C).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';
import { dataSearchPath, FETCHABLE_SETS, fetchDataSet, findDataSet, userCacheDir } from '../../src/node/cli/fetch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shared = join(root, '..', 'shared', 'data');
const digitsFile = join(shared, 'digits', 'digits.csv.gz');

async function cli(args: string[], env: Record<string, string>, signal?: AbortSignal) {
  const stdout = new Capture(), stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env, signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The files left in a folder (none at all when it does not exist). */
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

if (!existsSync(digitsFile)) console.warn(`[test/node/cli-data] ${digitsFile} not found: the named-set tests are skipped`);
describe.skipIf(!existsSync(digitsFile))('boltzmann data fetch and the resolution of named sets', () => {
  let server: Server;
  let base = '';
  let dir = '';
  let good: Buffer;
  let requests = 0;
  let onStall: (() => void) | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-data-'));
    good = readFileSync(digitsFile);
    server = createServer((req, res) => {
      requests++;
      const [, mode, set, file] = (req.url ?? '').split('/');
      if (set !== 'digits' || file !== 'digits.csv.gz') {
        res.writeHead(404).end('no such file');
        return;
      }
      if (mode === 'good') res.writeHead(200, { 'content-length': good.length }).end(good);
      else if (mode === 'altered') {
        const bad = Buffer.from(good);
        bad[1000] = (bad[1000] as number) ^ 1;
        res.writeHead(200, { 'content-length': bad.length }).end(bad);
      } else if (mode === 'error') res.writeHead(500).end('broken');
      else if (mode === 'declared-large') res.writeHead(200, { 'content-length': good.length + 1 }).end(Buffer.concat([good, Buffer.from([0])]));
      else if (mode === 'endless') {
        // no content-length: the body runs past the expected size
        res.writeHead(200);
        res.write(good);
        res.end(Buffer.alloc(1 << 20));
      } else if (mode === 'stall') {
        res.writeHead(200, { 'content-length': good.length });
        res.write(good.subarray(0, 20000));
        onStall?.();
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const envFor = (cache: string, mode: string) => ({ XDG_CACHE_HOME: cache, BOLTZMANN_DATA_URL: `${base}/${mode}` });

  it('fetches a set into the user cache with its SHA-256 checked; a second fetch keeps it; --data then finds it there', async () => {
    const cache = join(dir, 'ok');
    const r = await cli(['data', 'fetch', 'digits'], envFor(cache, 'good'));
    expect(r.code, r.stderr).toBe(0);
    const folder = join(cache, 'boltzmann', 'digits');
    expect(filesIn(folder)).toEqual(['digits.csv.gz']);
    expect(readFileSync(join(folder, 'digits.csv.gz')).equals(good)).toBe(true);
    expect(r.stderr).toMatch(/digits\.csv\.gz: 57512 bytes from .* \(SHA-256 checked\)/);
    const n = requests;
    const again = await cli(['data', 'fetch', 'digits'], envFor(cache, 'good'));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already there/);
    expect(requests).toBe(n); // nothing downloaded
    const list = await cli(['data', 'list', '--json'], { XDG_CACHE_HOME: cache });
    const sets = (JSON.parse(list.stdout) as { sets: { name: string; path: string; from: string }[] }).sets;
    expect(sets.find((s) => s.name === 'digits')).toMatchObject({ path: folder, from: 'cache' });
    const train = await cli(['train', 'hopfield', '--data', 'digits', '--limit', '5', '--out', join(dir, 'h.json')], { XDG_CACHE_HOME: cache });
    expect(train.code, train.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as { state: { cli: { spec: { dataDir: string } } } };
    expect(doc.state.cli.spec.dataDir).toBe(join(cache, 'boltzmann'));
  });

  it('refuses a body whose SHA-256 differs, and leaves no file', async () => {
    const cache = join(dir, 'altered');
    const r = await cli(['data', 'fetch', 'digits'], envFor(cache, 'altered'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SHA-256 [0-9a-f]{64} does not match the expected 46abec6b/);
    expect(filesIn(join(cache, 'boltzmann', 'digits'))).toEqual([]);
  });

  it('reports an HTTP error (exit 1) and leaves no file', async () => {
    const cache = join(dir, 'error');
    const r = await cli(['data', 'fetch', 'digits'], envFor(cache, 'error'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 500/);
    expect(filesIn(join(cache, 'boltzmann', 'digits'))).toEqual([]);
  });

  it('refuses an oversized body (declared, or streamed past the size) and leaves no file', async () => {
    for (const [mode, msg] of [
      ['declared-large', /declares 57513 bytes, expected 57512/],
      ['endless', /larger than the expected 57512 bytes/],
    ] as const) {
      const cache = join(dir, mode);
      const r = await cli(['data', 'fetch', 'digits'], envFor(cache, mode));
      expect(r.code, mode).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(filesIn(join(cache, 'boltzmann', 'digits'))).toEqual([]);
    }
  });

  it('stops on Ctrl-C mid-download (exit 130) and leaves no partial file', async () => {
    const cache = join(dir, 'stall');
    const controller = new AbortController();
    onStall = () => setTimeout(() => controller.abort(), 200);
    const t0 = performance.now();
    const r = await cli(['data', 'fetch', 'digits'], envFor(cache, 'stall'), controller.signal);
    onStall = undefined;
    expect(r.code).toBe(130);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/interrupted: digits not complete/);
    expect(filesIn(join(cache, 'boltzmann', 'digits'))).toEqual([]);
  });

  it('a set without a public source, or an unknown name, is a usage error', async () => {
    const r = await cli(['data', 'fetch', 'caltech101-silhouettes'], envFor(join(dir, 'x'), 'good'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'caltech101-silhouettes' cannot be fetched: published only as a MATLAB file/);
    const u = await cli(['data', 'fetch', 'digts'], envFor(join(dir, 'x'), 'good'));
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown set 'digts' \(did you mean 'digits'\?\)/);
  });

  it('resolves a named set from --data-dir, then $BOLTZMANN_DATA_DIR, then the cache, then ../shared/data', async () => {
    const places = ['flag', 'env', 'cache/boltzmann'].map((p) => join(dir, 'order', p));
    for (const p of places) {
      mkdirSync(join(p, 'digits'), { recursive: true });
      copyFileSync(digitsFile, join(p, 'digits', 'digits.csv.gz'));
    }
    const [flag, envDir, cacheDir] = places as [string, string, string];
    const cache = join(dir, 'order', 'cache');
    const where = async (args: string[], env: Record<string, string>) => {
      const r = await cli(['data', 'list', '--json', ...args], env);
      return (JSON.parse(r.stdout) as { sets: { name: string; path: string; from: string }[] }).sets.find((s) => s.name === 'digits');
    };
    expect(await where(['--data-dir', flag], { BOLTZMANN_DATA_DIR: envDir, XDG_CACHE_HOME: cache })).toMatchObject({ from: '--data-dir', path: join(flag, 'digits') });
    expect(await where([], { BOLTZMANN_DATA_DIR: envDir, XDG_CACHE_HOME: cache })).toMatchObject({ from: '$BOLTZMANN_DATA_DIR', path: join(envDir, 'digits') });
    expect(await where([], { XDG_CACHE_HOME: cache })).toMatchObject({ from: 'cache', path: join(cacheDir, 'digits') });
    // a place without the set is passed over
    expect(await where(['--data-dir', join(dir, 'order', 'empty')], { XDG_CACHE_HOME: cache })).toMatchObject({ from: 'cache' });
    expect(await where([], { XDG_CACHE_HOME: join(dir, 'order', 'none') })).toMatchObject({ from: 'repository', path: join(shared, 'digits') });
    // and train stores the folder it used
    const out = join(dir, 'order', 'm.json');
    const t = await cli(['train', 'hopfield', '--data', 'digits', '--limit', '3', '--out', out], { BOLTZMANN_DATA_DIR: envDir, XDG_CACHE_HOME: cache });
    expect(t.code, t.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { state: { cli: { spec: { dataDir: string } } } }).state.cli.spec.dataDir).toBe(envDir);
  });

  it('the cache is $XDG_CACHE_HOME/boltzmann, else ~/.cache/boltzmann; the table has a digest per file', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/boltzmann');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/boltzmann');
    expect(userCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/boltzmann');
    expect(dataSearchPath('/d', { BOLTZMANN_DATA_DIR: '/e', HOME: '/h' }).map((p) => p.dir)).toEqual(['/d', '/e', '/h/.cache/boltzmann', join(process.cwd(), '..', 'shared', 'data')]);
    for (const set of Object.values(FETCHABLE_SETS)) for (const f of set.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('a failed fetch leaves no folder, and a folder without the set does not hide it', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'boltzmann-fetch-left-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  /** A small digits set (65 columns: 64 pixels 0..16 and the label) in `<at>/digits/digits.csv.gz`. */
  const digitsIn = (at: string): string => {
    mkdirSync(join(at, 'digits'), { recursive: true });
    const line = (r: number) => [...Array.from({ length: 64 }, (_, i) => ((r + i) % 4) * 4), r % 10].join(',');
    writeFileSync(join(at, 'digits', 'digits.csv.gz'), gzipSync(Buffer.from(`${Array.from({ length: 12 }, (_, r) => line(r)).join('\n')}\n`)));
    return at;
  };

  it('data fetch from an unreachable mirror exits 1 and leaves nothing in the cache; train then names the missing set, not ENOENT', async () => {
    const cache = join(tmp, 'unreachable');
    const r = await cli(['data', 'fetch', 'digits'], { XDG_CACHE_HOME: cache, BOLTZMANN_DATA_URL: 'http://127.0.0.1:9' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/could not fetch digits\/digits\.csv\.gz/);
    expect(filesIn(join(cache, 'boltzmann'))).toEqual([]); // no digits/ and no digits.tmp-<pid>/
    const envDir = digitsIn(join(tmp, 'shared-like'));
    const t = await cli(['train', 'hopfield', '--data', 'digits', '--limit', '3', '--out', join(tmp, 'h.json')], { XDG_CACHE_HOME: cache, BOLTZMANN_DATA_DIR: envDir });
    expect(t.code, t.stderr).toBe(0);
  });

  it('an empty (or temporary-files-only) set folder earlier in the search path is passed over', async () => {
    const empty = join(tmp, 'older-version');
    mkdirSync(join(empty, 'digits'), { recursive: true });
    const envDir = digitsIn(join(tmp, 'real'));
    const places = dataSearchPath(empty, { BOLTZMANN_DATA_DIR: envDir, XDG_CACHE_HOME: join(tmp, 'no-cache') });
    expect(findDataSet('digits', places, /^digits\.csv(?:\.gz)?$/)?.from).toBe('$BOLTZMANN_DATA_DIR');
    expect(findDataSet('digits', places)?.from).toBe('$BOLTZMANN_DATA_DIR'); // without a pattern: any file but a temporary one
    writeFileSync(join(empty, 'digits', 'digits.csv.gz.tmp-123'), 'partial');
    expect(findDataSet('digits', places)?.from).toBe('$BOLTZMANN_DATA_DIR');
    const env = { BOLTZMANN_DATA_DIR: envDir, XDG_CACHE_HOME: join(tmp, 'no-cache') };
    const list = await cli(['data', 'list', '--json', '--data-dir', empty], env);
    const sets = (JSON.parse(list.stdout) as { sets: { name: string; from: string }[] }).sets;
    expect(sets.find((s) => s.name === 'digits')?.from).toBe('$BOLTZMANN_DATA_DIR');
    const t = await cli(['train', 'hopfield', '--data', 'digits', '--data-dir', empty, '--limit', '3', '--out', join(tmp, 'h2.json')], env);
    expect(t.code, t.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(tmp, 'h2.json'), 'utf8')) as { state: { cli: { spec: { dataDir: string } } } }).state.cli.spec.dataDir).toBe(envDir);
  });

  it('fetchDataSet fills a temporary sibling and renames it into place only when every file is there', async () => {
    const a = Buffer.from('first file'), b = Buffer.from('second file');
    const sha = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    const sets = {
      two: {
        folder: 'two',
        mirrors: ['http://mirror.invalid/'],
        files: [
          { name: 'a.bin', bytes: a.length, sha256: sha(a), checked: 'here' },
          { name: 'b.bin', bytes: b.length, sha256: sha(b), checked: 'here' },
        ],
      },
    };
    let served: Record<string, Buffer> = { 'a.bin': a };
    const fakeFetch = (async (url: string | URL | Request) => {
      const name = String(url).split('/').pop() as string;
      const body = served[name];
      return body === undefined ? new Response('no', { status: 404 }) : new Response(new Uint8Array(body), { status: 200, headers: { 'content-length': String(body.length) } });
    }) as typeof fetch;
    const into = join(tmp, 'fetch-into');
    // the second file fails: no folder, no staging folder, no file left
    await expect(fetchDataSet('two', { dir: into, sets, fetch: fakeFetch })).rejects.toThrow(/could not fetch two\/b\.bin: .*HTTP 404/);
    expect(filesIn(into)).toEqual([]);
    // aborted after the first file: the same
    const controller = new AbortController();
    served = { 'a.bin': a, 'b.bin': b };
    const abortingFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url).endsWith('b.bin')) controller.abort(new Error('stopped'));
      return fakeFetch(url, init);
    }) as typeof fetch;
    await expect(fetchDataSet('two', { dir: into, sets, fetch: abortingFetch, signal: controller.signal })).rejects.toThrow('stopped');
    expect(filesIn(into)).toEqual([]);
    // complete: the set's folder with both files, nothing else
    expect(await fetchDataSet('two', { dir: into, sets, fetch: fakeFetch })).toBe(join(into, 'two'));
    expect(filesIn(into)).toEqual(['two']);
    expect(filesIn(join(into, 'two')).sort()).toEqual(['a.bin', 'b.bin']);
  });
});
