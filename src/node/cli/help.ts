/**
 * Help texts: the program's, and each command's, with the options of every
 * model kind generated from the registry (so a new family documents itself).
 * @module
 */
import type { KindCommandOptions, KindOption, ModelRegistry } from '../../io/registry.js';
import { NAMED_SETS } from './data.js';
import { FETCHABLE_SETS, NOT_FETCHABLE } from './fetch.js';

/** The commands, with one line each.
 * @category Data & files
 */
export const COMMANDS: Readonly<Record<string, string>> = {
  train: 'train a model on data and save it as JSON (resumable after Ctrl-C)',
  sample: 'draw samples (Gibbs sampling from random starts)',
  eval: 'log-likelihood (exact when small, else AIS or a bound); Hopfield recall quality',
  recall: 'restore a corrupted pattern (Hopfield networks, dense associative memories)',
  info: "print a model file's kind, shapes, configuration and training state",
  convert: 'rewrite a model file as safetensors or JSON (by the extension: convert m.json m.safetensors)',
  data: 'list the named data sets and where each is found; fetch one into the user cache',
};

const DATA_HELP = `  --data <src>          IDX/CSV path or named set (e.g. mnist-binarized, digits, mnist-binarized:test)
  --data-dir <dir>      folder of the named sets, looked in first (then $BOLTZMANN_DATA_DIR,
                        the user cache of 'boltzmann data fetch', ../shared/data beside
                        the repository)
  --limit <n>           use the first n rows
  --binarize <mode>     threshold (default) | sample (seeded Bernoulli) | none
  --threshold <t>       threshold for --binarize threshold (default 0.5)`;

/** One option line: `  --name <value>        help (default x)`. */
function optionLine(o: KindOption): string {
  const value =
    o.type === 'boolean' ? '' : o.type === 'int' ? ' <n>' : o.type === 'number' ? ' <x>' : o.type === 'ints' ? ' <n,n,...>' : ` <${(o.choices ?? []).join('|')}>`;
  const flag = `--${o.name}${value}`;
  const dflt = o.default === undefined || o.type === 'boolean' ? '' : ` (default ${Array.isArray(o.default) ? o.default.join(',') : String(o.default)})`;
  return `  ${flag.padEnd(21)} ${o.help}${dflt}`;
}

/** The kinds' sections of a command's help: title, options, notes. */
function kindSections(registry: ModelRegistry, command: keyof KindCommandOptions, has: (k: ModelRegistry['kinds'][number]) => boolean): string {
  const parts: string[] = [];
  for (const k of registry.kinds) {
    if (!has(k)) continue;
    const opts = k.options?.[command] ?? [];
    const note = k.notes?.[command];
    if (opts.length === 0 && note === undefined) continue;
    parts.push([`${k.kind} — ${k.title}:`, ...opts.map(optionLine), ...(note === undefined ? [] : note.split('\n').map((l) => `  ${l}`))].join('\n'));
  }
  return parts.join('\n\n');
}

/** The program's help.
 * @category Data & files
 */
export function mainHelp(registry: ModelRegistry): string {
  const trainable = registry.kinds.filter((k) => k.create !== undefined).map((k) => k.kind);
  return `boltzmann — energy-based models from the command line

Usage: boltzmann <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([c, about]) => `  ${(c === 'train' ? `train <kind>` : c === 'convert' ? 'convert <from> <to>' : c === 'data' ? 'data list|fetch <name>' : `${c} <model.json>`).padEnd(21)} ${about}`)
  .join('\n')}

Model kinds (train): ${trainable.join(', ')}
All kinds (files): ${registry.names.join(', ')}

Global options:
  -h, --help     help (also after a command: boltzmann train --help)
  --version      print the version
  --debug        print stack traces on errors
  --force        let an output replace an existing file that boltzmann did not write
  --threads <n>  threads for the products (default: a worker pool on up to 4 cores for
                 large models; --threads 1 stays on one core); results are the same bits

Data (--data): a path to an IDX file (.gz or not) or a CSV of numbers, or a named set,
looked for in --data-dir, $BOLTZMANN_DATA_DIR, the user cache ($XDG_CACHE_HOME/boltzmann
or ~/.cache/boltzmann; 'boltzmann data fetch mnist' fills it), then ../shared/data beside
the repository (from any working folder; an installed copy has none):
${Object.entries(NAMED_SETS)
  .map(([k, v]) => `  ${k.padEnd(24)} ${v.about}`)
  .join('\n')}
Append :test / :val to choose a split, e.g. mnist-binarized:test.

Model files: a name ending in .safetensors is read and written as safetensors (the
parameters as named F64 tensors; see 'boltzmann convert --help'); any other as JSON.
Outputs never replace an input of the same command, nor an existing file that boltzmann
did not write (unless --force); a missing or read-only folder fails before any work.

Exit codes: 0 ok, 1 runtime failure, 2 usage error, 130 interrupted (Ctrl-C).`;
}

/** Each command's help text, from the registry. */
const COMMAND_HELP: Readonly<Record<string, (registry: ModelRegistry) => string>> = {
  train(registry) {
      const kinds = registry.kinds.filter((k) => k.create !== undefined).map((k) => k.kind);
      return `Usage: boltzmann train <${kinds.join('|')}> --data <src> --out <model.json> [options]

Trains a model and writes its JSON document (with the training state, so that
'train --resume model.json --epochs N' can continue it), or, when --out ends in
.safetensors, a safetensors file of its parameters (not resumable: the training
state stays in JSON checkpoints).

Common options:
${DATA_HELP}
  --seed <n>            seed of every random choice (default 0)
  --out <file>          where to write the model (.json, or .safetensors); with --resume,
                        default: the file being resumed (never a path stored inside it)
  --resume <file>       continue from a checkpoint (or a saved JSON model); data and options
                        come from it; --data may name the data again if it moved (it must be
                        the same rows: their SHA-256 is stored and checked)
  --quiet               no progress output

Iterative training (${registry.kinds.filter((k) => k.create !== undefined && k.trainer !== undefined).map((k) => k.kind).join(', ')}):
  --epochs <n>          epochs (default 10, at most 1000000; with --resume: the total to reach)
  --monitor <n>         rows used for the per-epoch metrics (default 500; 0: no metrics,
                        each epoch's line gives its training time alone)
  --checkpoint <file>   where Ctrl-C writes the checkpoint (JSON; default <out>.checkpoint.json,
                        with --resume and no --out: the file being resumed)

${kindSections(registry, 'train', (k) => k.create !== undefined)}

Ctrl-C writes a checkpoint and exits with 130; 'train --resume <checkpoint>' continues
bit-exactly (the same parameters as a run that was never interrupted).`;
  },
  sample: (registry) =>
    `Usage: boltzmann sample <model.json> [options]

Draws samples by Gibbs sampling from random starts (kinds: ${registry.kinds.filter((k) => k.sample !== undefined).map((k) => k.kind).join(', ')}).
  --n <n>               number of samples (default 16)
  --steps <n>           Gibbs steps or sweeps (default 1000)
  --seed <n>            seed (default 0)
  --shape <HxW>         image shape (default: square)
  --out <file>          .png (a grid of pictures) or .json (the samples); default: text on stdout

${kindSections(registry, 'sample', (k) => k.sample !== undefined)}`.trimEnd(),
  eval: (registry) =>
    `Usage: boltzmann eval <model.json> --data <src> [options]

Scores the data under the model (kinds: ${registry.kinds.filter((k) => k.evaluate !== undefined).map((k) => k.kind).join(', ')}).
${DATA_HELP}
  --seed <n>            seed (default 0)
  --json                print the result as JSON

${kindSections(registry, 'eval', (k) => k.evaluate !== undefined)}`,
  recall: (registry) =>
    `Usage: boltzmann recall <model.json> --data <src> [options]

Corrupts one data row and lets the model restore it (kinds: ${registry.kinds.filter((k) => k.recall !== undefined).map((k) => k.kind).join(', ')}).
${DATA_HELP}
  --index <i>           which row (default 0)
  --noise <p>           fraction of bits flipped (default 0.2)
  --mask <m>            none (default) | top | bottom | left | right: also hide half the picture
  --seed <n>            seed (default 0)
  --shape <HxW>         image shape (default: square)
  --out <file>          .png with original | cue | restored; default: text on stdout
  --json                print the result as JSON

${kindSections(registry, 'recall', (k) => k.recall !== undefined)}`,
  convert: () =>
    `Usage: boltzmann convert <from> <to> [--quiet]

Rewrites a model file in the format of the output's extension: .safetensors (the
parameters as named F64 tensors, row-major; kind and configuration in the metadata;
the training state is left out) or JSON (any other name). The model is rebuilt on
the way, so only a valid model is written: convert rbm.json rbm.safetensors, and back.
  --kind <kind>         for a safetensors file written elsewhere (PyTorch, NumPy): its model kind
  --config <json>       ... and its configuration, e.g. '{"nVisible":784,"nHidden":500}'
  --quiet               do not print the path written

Tensor names (row-major; an RBM's weights are [nVisible, nHidden], the transpose of
PyTorch's nn.Linear(nVisible, nHidden).weight and of scikit-learn's components_):
see 'boltzmann info <model>' for a model's names and docs/pytorch-numpy.md for each family.`,
  data: () =>
    `Usage: boltzmann data list [--data-dir <dir>] [--json]
       boltzmann data fetch <name> [--data-dir <dir>] [--quiet]

list: every named set and the folder it resolves to (--data-dir, $BOLTZMANN_DATA_DIR,
the user cache, ../shared/data beside the repository: the first that holds it).
fetch: downloads a set from its public sources into the user cache ($XDG_CACHE_HOME/boltzmann,
else ~/.cache/boltzmann), or into --data-dir. Every file's size and SHA-256 are checked while
it streams; it is written under a temporary name and renamed into place only when it matches
(nothing is left on a mismatch, an HTTP error, an oversized body or Ctrl-C). Files already
there and correct are kept. $BOLTZMANN_DATA_URL names a mirror to use instead (<url>/<set>/<file>).
Fetchable: ${Object.entries(FETCHABLE_SETS)
      .map(([k, s]) => `${k} (${s.files.map((f) => f.name).join(', ')}${s.convert === undefined ? '' : ', converted to IDX files checked by SHA-256'})`)
      .join('; ')}.
Not fetchable (no public source of the same files): ${Object.keys(NOT_FETCHABLE).join(', ')}.`,
  info: () =>
    `Usage: boltzmann info <model.json> [--json]

Prints a model file's kind, version, tensor shapes, configuration and training state.
  --json                print the summary as JSON`,
};

/** A command's help, or undefined for an unknown command.
 * @category Data & files
 */
export function commandHelp(registry: ModelRegistry, command: string): string | undefined {
  return Object.hasOwn(COMMAND_HELP, command) ? (COMMAND_HELP[command] as (r: ModelRegistry) => string)(registry) : undefined;
}
