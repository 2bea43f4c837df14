/**
 * The "repository" place of the named sets is `../shared/data` beside the repository the CLI runs
 * from, found from the code's own file — it was `../shared/data` from the working directory, so
 * from `repo/docs` (or any folder but the repository's root) every named set was "not found",
 * still labelled "(repository)". An installed copy (inside node_modules) has no such place.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dataSearchPath, repositoryDataDir } from '../../src/node/cli/fetch.js';
import { runCli } from '../../src/node/cli/index.js';
import { Capture } from '../helpers/capture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shared = resolve(root, '../shared/data');
const haveDigits = existsSync(join(shared, 'digits'));
if (!haveDigits) console.warn(`[test/node/cli-data-place] ${join(shared, 'digits')} not found: only the search path is checked, not the set found there`);
const dir = mkdtempSync(join(tmpdir(), 'bz-data-place-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listFrom(cwd: string) {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const stdout = new Capture(), stderr = new Capture();
    const code = await runCli(['data', 'list', '--json'], { stdout, stderr, env: { XDG_CACHE_HOME: join(dir, 'empty-cache') } });
    expect(code, stderr.text).toBe(0);
    return JSON.parse(stdout.text) as { searchPath: { dir: string; from: string }[]; sets: { name: string; path: string | null; from: string | null }[] };
  } finally {
    process.chdir(before);
  }
}

describe('the repository data folder', () => {
  it('is ../shared/data beside the repository from any working directory, and the sets there are found', async () => {
    for (const cwd of [root, join(root, 'docs'), join(root, 'test/node'), dir, '/']) {
      const r = await listFrom(cwd);
      expect(r.searchPath.map((p) => p.from), cwd).toEqual(['cache', 'repository']);
      expect(r.searchPath[1]?.dir, cwd).toBe(shared);
      // the set itself only where the shared data is there (a clean clone in CI has none)
      if (!haveDigits) continue;
      const digits = r.sets.find((s) => s.name === 'digits');
      expect(digits, cwd).toEqual(expect.objectContaining({ path: join(shared, 'digits'), from: 'repository' }));
    }
  });

  it('keeps the documented order and the overrides before it', () => {
    const places = dataSearchPath('given', { BOLTZMANN_DATA_DIR: '/env/data', XDG_CACHE_HOME: '/xdg' });
    expect(places).toEqual([
      { dir: resolve('given'), from: '--data-dir' },
      { dir: '/env/data', from: '$BOLTZMANN_DATA_DIR' },
      { dir: '/xdg/boltzmann', from: 'cache' },
      { dir: shared, from: 'repository' },
    ]);
  });

  it('walks up from the code to the package named boltzmann; none inside node_modules, none without one', () => {
    const pkg = (d: string, name: string) => {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'package.json'), JSON.stringify({ name }));
    };
    const repo = join(dir, 'work', 'repo');
    pkg(repo, 'boltzmann');
    pkg(join(repo, 'src', 'node'), 'not-boltzmann'); // a nested package.json of another name is passed over
    expect(repositoryDataDir(join(repo, 'src', 'node', 'cli', 'fetch.ts'))).toBe(join(dir, 'work', 'shared', 'data'));
    expect(repositoryDataDir(join(repo, 'dist', 'chunk-X.cjs'))).toBe(join(dir, 'work', 'shared', 'data'));
    const installed = join(dir, 'app', 'node_modules', 'boltzmann');
    pkg(installed, 'boltzmann');
    expect(repositoryDataDir(join(installed, 'dist', 'cli.js'))).toBeUndefined();
    expect(repositoryDataDir(join(dir, 'nowhere', 'cli.js'))).toBeUndefined();
    expect(repositoryDataDir(undefined)).toBeUndefined();
  });
});
