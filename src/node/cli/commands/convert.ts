/**
 * `boltzmann convert <from> <to>`: rewrites a model file in the format its
 * extension names — `.safetensors` for safetensors (the parameters as F64
 * tensors, kind and configuration in the metadata), anything else for a JSON
 * document. The model is rebuilt through the registry on the way, so only a
 * valid model is written. A safetensors file written elsewhere (PyTorch,
 * NumPy) needs `--kind` and `--config`.
 * @module
 */
import type { JsonObject } from '../../../document.js';
import type { ModelRegistry } from '../../../io/registry.js';
import { parseFlags, str, UsageError, type Values } from '../args.js';
import type { CliContext } from '../context.js';
import { encodeModel, kindOf, loadModelFile, prepareOutput, writeAtomic } from '../files.js';
import { commandHelp } from '../help.js';

/** `--kind` and `--config` for a safetensors file written elsewhere (PyTorch, NumPy), which carries no `boltzmann.*` metadata. */
function foreignKind(v: Values, registry: ModelRegistry): { kind: string; config: JsonObject } | undefined {
  const kind = str(v, 'kind'), text = str(v, 'config');
  if (kind === undefined && text === undefined) return undefined;
  if (kind === undefined || text === undefined) throw new UsageError('convert: --kind and --config go together (for a safetensors file written elsewhere)');
  kindOf(registry, kind, 'convert: --kind');
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new UsageError(`convert: --config must be a JSON object, e.g. '{"nVisible":784,"nHidden":500}' (got ${JSON.stringify(text)})`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new UsageError(`convert: --config must be a JSON object, e.g. '{"nVisible":784,"nHidden":500}' (got ${JSON.stringify(text)})`);
  }
  return { kind, config: config as JsonObject };
}

/**
 * Runs `convert`.
 *
 * @param args - the arguments after `convert`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function convert(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const { values: v, positionals } = parseFlags('convert', args, { kind: { type: 'string' }, config: { type: 'string' }, quiet: { type: 'boolean' } });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'convert')}\n`);
    return 0;
  }
  const [from, to, extra] = positionals;
  if (from === undefined || to === undefined) throw new UsageError('convert: needs two files (boltzmann convert <model.json> <model.safetensors>, or back)');
  if (extra !== undefined) throw new UsageError(`convert: unexpected argument '${extra}'`);
  const fallback = foreignKind(v, registry);
  const { model, doc } = loadModelFile(from, registry, fallback);
  const outPath = prepareOutput(to, 'convert: output');
  // The parameters come from the rebuilt model (so only a valid model is written); the state from both
  // (a JSON → JSON copy keeps a checkpoint's training state; safetensors keeps only state.cli).
  const rebuilt = model.toDocument();
  const state = { ...(rebuilt.state ?? {}), ...(doc.state ?? {}) };
  const outDoc = Object.keys(state).length === 0 ? rebuilt : { ...rebuilt, state };
  writeAtomic(outPath, () => encodeModel(outPath, outDoc));
  if (v.quiet !== true) ctx.stderr.write(`wrote ${outPath}\n`);
  return 0;
}
