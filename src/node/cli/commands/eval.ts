/**
 * `boltzmann eval <model> --data <src>`: scores data under any kind with an
 * `evaluate` hook (exact log-likelihood, AIS, a bound, or recall quality, as
 * the family does it) and prints text or JSON.
 * @module
 */
import { withThreads } from '../../../linalg/kernel.js';
import { FormatError } from '../../../errors.js';
import type { ModelRegistry } from '../../../io/registry.js';
import { DATA_FLAGS, intOpt, kindFlags, modelArg, parseFlags, readKindOptions, refuseOtherKindsFlags, UsageError } from '../args.js';
import { type CliContext, Interrupted } from '../context.js';
import { dataSpec, loadData } from '../data.js';
import { loadModelFile } from '../files.js';
import { commandHelp } from '../help.js';
import { driveWork } from '../progress.js';

/**
 * Runs `eval`.
 *
 * @param args - the arguments after `eval`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function evaluate(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const all = Object.assign({}, ...registry.kinds.map((k) => kindFlags(k.options?.eval)));
  const { values: v, positionals } = parseFlags('eval', args, { ...DATA_FLAGS, seed: { type: 'string' }, json: { type: 'boolean' }, ...all });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'eval')}\n`);
    return 0;
  }
  const path = modelArg('eval', positionals);
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx);
  const { kind, model } = loadModelFile(path, registry);
  if (kind.evaluate === undefined) {
    const can = registry.kinds.filter((k) => k.evaluate !== undefined).map((k) => k.kind);
    throw new UsageError(`eval: a '${kind.kind}' model cannot be evaluated from the command line (kinds: ${can.join(', ')})`);
  }
  const own = kindFlags(kind.options?.eval);
  refuseOtherKindsFlags('eval', kind.kind, v, own, all);
  const options = readKindOptions('eval', v, kind.options?.eval);
  const data = loadData(spec, seed);
  const nV = kind.nVisible(model);
  if (data.matrix.cols !== nV) throw new FormatError(`eval: the data has ${data.matrix.cols} columns but the model has ${nV} visible units`);
  const evaluateHook = kind.evaluate.bind(kind);
  const given = new Set(Object.keys(own).filter((f) => v[f] !== undefined));
  const out = withThreads(ctx.threads, () => evaluateHook(model, data.matrix, { seed, options, given, signal: ctx.signal }));
  const report = await driveWork(out, ctx, 'AIS', 'β steps');
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  ctx.stdout.write(v.json === true ? `${JSON.stringify(report.fields)}\n` : `${report.lines.join('\n')}\n`);
  return 0;
}
