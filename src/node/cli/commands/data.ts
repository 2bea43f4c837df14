/**
 * `boltzmann data list` (the named sets and where each resolves) and
 * `boltzmann data fetch <name>` (download a set from its public sources into
 * the per-user cache, every file's SHA-256 checked).
 * @module
 */
import type { ModelRegistry } from '../../../io/registry.js';
import { closestKey } from '../../../validate.js';
import { parseFlags, str, UsageError } from '../args.js';
import { type CliContext, Interrupted } from '../context.js';
import { NAMED_SETS } from '../data.js';
import { dataSearchPath, FETCHABLE_SETS, fetchDataSet, findDataSet, NOT_FETCHABLE, userCacheDir } from '../fetch.js';
import { commandHelp } from '../help.js';
import { formatDuration, Progress } from '../progress.js';

/**
 * Runs `data list` or `data fetch <name>`.
 *
 * @param args - the arguments after `data`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds (for the help)
 * @returns the exit code
 * @category Data & files
 */
export async function data(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const { values: v, positionals } = parseFlags('data', args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'data')}\n`);
    return 0;
  }
  const [sub, ...rest] = positionals;
  if (sub === 'list') {
    if (rest.length > 0) throw new UsageError(`data list: unexpected argument '${rest[0]}'`);
    return list(str(v, 'data-dir'), v.json === true, ctx);
  }
  if (sub === 'fetch') {
    if (rest.length !== 1) throw new UsageError(`data fetch: give one set name (fetchable: ${Object.keys(FETCHABLE_SETS).join(', ')})`);
    return fetchCommand(rest[0] as string, str(v, 'data-dir'), v.quiet === true, ctx);
  }
  if (sub === undefined) throw new UsageError("data: give 'list' or 'fetch <name>' (see boltzmann data --help)");
  const near = closestKey(sub, ['list', 'fetch']);
  throw new UsageError(`data: unknown subcommand '${sub}' (${near === undefined ? "'list' or 'fetch <name>'" : `did you mean '${near}'?`})`);
}

function list(dataDir: string | undefined, json: boolean, ctx: CliContext): number {
  const places = dataSearchPath(dataDir, ctx.env);
  const rows = Object.entries(NAMED_SETS).map(([name, set]) => {
    const at = findDataSet(set.folder, places, set.holds);
    return {
      name,
      about: set.about,
      path: at === undefined ? null : `${at.dir}/${set.folder}`,
      from: at?.from ?? null,
      fetchable: Object.hasOwn(FETCHABLE_SETS, name),
      ...(Object.hasOwn(NOT_FETCHABLE, name) ? { notFetchable: NOT_FETCHABLE[name] } : {}),
    };
  });
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ searchPath: places, sets: rows })}\n`);
    return 0;
  }
  for (const r of rows) {
    const where = r.path === null ? `not found${r.fetchable ? ` (boltzmann data fetch ${r.name})` : ''}` : `${r.path}  (${r.from})`;
    ctx.stdout.write(`${r.name.padEnd(24)} ${where}\n`);
  }
  ctx.stdout.write(`\nlooked in, in order: ${places.map((p) => `${p.dir} (${p.from})`).join(', ')}\n`);
  ctx.stdout.write(`fetchable: ${Object.keys(FETCHABLE_SETS).join(', ')}\n`);
  return 0;
}

async function fetchCommand(name: string, dataDir: string | undefined, quiet: boolean, ctx: CliContext): Promise<number> {
  if (!Object.hasOwn(FETCHABLE_SETS, name)) {
    if (Object.hasOwn(NOT_FETCHABLE, name)) throw new UsageError(`data fetch: '${name}' cannot be fetched: ${NOT_FETCHABLE[name]}`);
    const near = closestKey(name, Object.keys(FETCHABLE_SETS));
    throw new UsageError(`data fetch: unknown set '${name}' (${near === undefined ? `fetchable: ${Object.keys(FETCHABLE_SETS).join(', ')}` : `did you mean '${near}'?`})`);
  }
  const dir = dataDir ?? userCacheDir(ctx.env);
  const mirror = ctx.env.BOLTZMANN_DATA_URL;
  const set = FETCHABLE_SETS[name] as (typeof FETCHABLE_SETS)[string];
  const total = set.files.reduce((a, f) => a + f.bytes, 0);
  const tty = ctx.stderr.isTTY === true && !quiet;
  const progress = new Progress(ctx.stderr, total, tty);
  const before = new Map<string, number>();
  let base = 0;
  const t0 = performance.now();
  let nextLine = 0.1;
  const note = (line: string): void => {
    progress.clear();
    if (!quiet) ctx.stderr.write(`${line}\n`);
  };
  try {
    const folder = await fetchDataSet(name, {
      dir,
      mirrors: mirror === undefined || mirror === '' ? undefined : [mirror.endsWith('/') ? `${mirror}${set.folder}/` : `${mirror}/${set.folder}/`],
      signal: ctx.signal,
      note,
      onProgress: (file, received) => {
        if (!before.has(file)) before.set(file, base);
        const done = (before.get(file) as number) + received;
        base = Math.max(base, done);
        if (tty) progress.update(done, `fetching ${name}`);
        else if (!quiet && done / total >= nextLine && performance.now() - t0 > 2000) {
          const s = (performance.now() - t0) / 1000;
          ctx.stderr.write(`fetching ${name}: ${Math.floor((100 * done) / total)}% (${done}/${total} bytes), ETA ${formatDuration((s * (total - done)) / done)}\n`);
          nextLine = Math.floor((10 * done) / total + 1) / 10;
        }
      },
    });
    progress.clear();
    const n = set.convert === undefined ? set.files.length : set.convert.outputs.length;
    if (!quiet) ctx.stderr.write(`${name}: ${n} files in ${folder}${set.convert === undefined ? '' : ` (converted from ${set.files.map((f) => f.name).join(', ')})`}\n`);
    return 0;
  } catch (e) {
    progress.clear();
    if (ctx.signal?.aborted) {
      ctx.stderr.write(`interrupted: ${name} not complete (no partial file left)\n`);
      throw new Interrupted('interrupted');
    }
    throw e;
  }
}
