/**
 * `boltzmann convert <from> <to>`: rewrites a model file in the format its
 * extension names — `.safetensors` for safetensors (the parameters as F64
 * tensors, kind and configuration in the metadata), anything else for a JSON
 * document. The model is rebuilt through the registry on the way, so only a
 * valid model is written.
 * @module
 */
import type { ModelRegistry } from '../../../io/registry.js';
import { parseFlags, UsageError } from '../args.js';
import type { CliContext } from '../context.js';
import { encodeModel, loadModelFile, prepareOutput, writeAtomic } from '../files.js';
import { commandHelp } from '../help.js';

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
  const { values: v, positionals } = parseFlags('convert', args, { quiet: { type: 'boolean' } });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'convert')}\n`);
    return 0;
  }
  const [from, to, extra] = positionals;
  if (from === undefined || to === undefined) throw new UsageError('convert: needs two files (boltzmann convert <model.json> <model.safetensors>, or back)');
  if (extra !== undefined) throw new UsageError(`convert: unexpected argument '${extra}'`);
  const { model, doc } = loadModelFile(from, registry);
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
