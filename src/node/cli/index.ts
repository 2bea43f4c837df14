/**
 * The `boltzmann` command line: train, sample, evaluate, recall and inspect
 * models from a terminal. Every command looks the model kind up in the
 * registry ({@link MODEL_REGISTRY}); one file per command under `commands/`.
 *
 * ```sh
 * boltzmann train rbm --data mnist-binarized --hidden 64 --epochs 5 --seed 1 --out rbm.json
 * boltzmann sample rbm.json --n 16 --steps 1000 --out dreams.png
 * boltzmann eval rbm.json --data mnist-binarized:test --limit 1000
 * boltzmann train hopfield --data digits --limit 5 --rule pseudo-inverse --out hop.json
 * boltzmann recall hop.json --data digits --index 2 --noise 0.2
 * boltzmann info rbm.json
 * boltzmann convert rbm.json rbm.safetensors
 * boltzmann data fetch mnist
 * boltzmann data list
 * ```
 *
 * Exit codes: 0 success, 1 runtime failure (missing file, malformed model,
 * numerical trouble), 2 usage error (unknown command or flag, bad value),
 * 130 interrupted (Ctrl-C; `train` first writes a checkpoint that
 * `train --resume` continues bit-exactly).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KindOptionError, MODEL_REGISTRY } from '../../io/registry.js';
import { closestKey } from '../../validate.js';
import { UsageError } from './args.js';
import { convert } from './commands/convert.js';
import { data } from './commands/data.js';
import { evaluate } from './commands/eval.js';
import { info } from './commands/info.js';
import { recall } from './commands/recall.js';
import { sample } from './commands/sample.js';
import { train } from './commands/train.js';
import { type CliContext, type Command, Interrupted } from './context.js';
import { withFileSession } from './files.js';
import { commandHelp, mainHelp } from './help.js';

export { UsageError } from './args.js';
export type { CliContext, CliStream } from './context.js';

const COMMAND_RUNNERS: Readonly<Record<string, Command>> = { train, sample, eval: evaluate, recall, info, convert, data };

/** Program-level flags accepted before the command. */
const LEADING_FLAGS = ['--help', '-h', '--version', '-v', '--debug'];

function version(): string {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    for (const p of [resolve(here, '../package.json'), resolve(here, '../../package.json'), resolve(here, '../../../package.json')]) {
      if (existsSync(p)) {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'boltzmann' && pkg.version) return pkg.version;
      }
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/**
 * Runs the `boltzmann` command line with `argv` (the arguments after the
 * program name) and returns the exit code: 0 ok, 1 runtime failure, 2 usage
 * error, 130 interrupted. Errors are printed as one line on `stderr` (with the
 * stack trace when `--debug` is among the arguments). Nothing here calls
 * `process.exit`, so it can run inside tests or other programs.
 *
 * @param argv - arguments, e.g. `['train', 'rbm', '--data', 'digits', '--out', 'm.json']`
 * @param context - streams, abort signal (Ctrl-C), environment and model registry; default the process's
 * @returns the exit code
 * @example
 * ```ts
 * import { runCli } from 'boltzmann/node';
 * const code = await runCli(['info', 'model.json']);
 * ```
 * @category Data & files
 */
export async function runCli(argv: readonly string[], context?: Partial<CliContext>): Promise<number> {
  const ctx: CliContext = {
    stdout: context?.stdout ?? process.stdout,
    stderr: context?.stderr ?? process.stderr,
    signal: context?.signal,
    threads: context?.threads,
    env: context?.env ?? process.env,
    onStep: context?.onStep,
    registry: context?.registry ?? MODEL_REGISTRY,
  };
  const registry = ctx.registry ?? MODEL_REGISTRY;
  const args = argv.slice();
  const debug = args.includes('--debug');
  try {
    // --force is global, before or after the command: an output may replace an existing file that boltzmann did not write.
    let force = false;
    for (let i = 0; i < args.length && args[i] !== '--'; i++) {
      if (args[i] === '--force') {
        force = true;
        args.splice(i--, 1);
      }
    }
    // --threads <n> is global: it may stand before or anywhere after the command (not after `--`).
    const dashes = args.indexOf('--');
    const ti = args.findIndex((a, i) => (dashes < 0 || i < dashes) && (a === '--threads' || a.startsWith('--threads=')));
    if (ti >= 0) {
      const a = args[ti] as string;
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[ti + 1];
      const n = Number(text);
      if (text === undefined || !/^[0-9]+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 64) {
        throw new UsageError(`--threads must be an integer in [1, 64] (got ${text === undefined ? 'nothing' : `'${text}'`})`);
      }
      args.splice(ti, a.includes('=') ? 1 : 2);
      ctx.threads = n;
    }
    // Program-level flags may come before the command: `boltzmann --debug train …`, `boltzmann -h train`, `boltzmann --threads 2 train …`.
    let help = false;
    while (args.length > 0 && (args[0] as string).startsWith('-')) {
      const flag = args[0] as string;
      if (flag === '--version' || flag === '-v') {
        ctx.stdout.write(`${version()}\n`);
        return 0;
      }
      if (!LEADING_FLAGS.includes(flag)) {
        const near = closestKey(flag.replace(/^-+/, ''), ['help', 'version', 'debug', 'threads']);
        throw new UsageError(`unknown option '${flag}' before the command (${near === undefined ? 'see boltzmann --help' : `did you mean '--${near}'?`})`);
      }
      if (flag === '--help' || flag === '-h') help = true;
      args.shift();
    }
    let cmd = args.shift();
    if (cmd === 'help') {
      help = true;
      cmd = args.shift();
    }
    if (cmd === undefined) {
      // `boltzmann --help` asked for the text (stdout, exit 0); a bare `boltzmann` is a usage error (stderr, exit 2)
      (help ? ctx.stdout : ctx.stderr).write(`${mainHelp(registry)}\n`);
      return help ? 0 : 2;
    }
    const run = Object.hasOwn(COMMAND_RUNNERS, cmd) ? COMMAND_RUNNERS[cmd] : undefined;
    if (run === undefined) {
      const near = closestKey(cmd, Object.keys(COMMAND_RUNNERS));
      throw new UsageError(`unknown command '${cmd}' (${near === undefined ? `${Object.keys(COMMAND_RUNNERS).join(', ')}; see boltzmann --help` : `did you mean '${near}'?`})`);
    }
    if (help) {
      ctx.stdout.write(`${commandHelp(registry, cmd)}\n`);
      return 0;
    }
    return await withFileSession(force, () => run(args, ctx, registry));
  } catch (e) {
    if (e instanceof Interrupted) return 130;
    const err = e as Error;
    // a size past the library's documented limits (LIMITS) is a usage error too: the arguments asked for it
    const usage = err instanceof UsageError || err instanceof KindOptionError || (err instanceof RangeError && /\(LIMITS\.\w+\)/.test(err.message));
    const msg = String(err?.message ?? err).split('\n')[0] as string;
    // one line: a usage error points to the help unless its message already does or names the fix
    const hint = usage && !/boltzmann (?:[a-z]+ )?--help|did you mean/.test(msg) ? ' (see boltzmann --help)' : '';
    ctx.stderr.write(`boltzmann: ${usage ? 'usage error: ' : 'error: '}${msg}${hint}\n`);
    if (debug && err?.stack) ctx.stderr.write(`${err.stack}\n`);
    return usage ? 2 : 1;
  }
}

/**
 * The process entry point of the `boltzmann` binary: wires Ctrl-C (first:
 * checkpoint and exit 130; second: exit 130 at once), runs {@link runCli} on
 * `process.argv`, and sets the exit code.
 *
 * @returns a promise that settles when the command has finished
 * @example
 * ```ts
 * // bin/boltzmann.mjs
 * import { cliMain } from 'boltzmann/node';
 * await cliMain();
 * ```
 * @category Data & files
 */
export async function cliMain(): Promise<void> {
  const controller = new AbortController();
  let count = 0;
  const onSigint = (): void => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write('\ninterrupt: finishing the current step (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (controller.signal.aborted && process.exitCode === 0) process.exitCode = 130;
}
