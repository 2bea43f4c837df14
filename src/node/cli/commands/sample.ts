/**
 * `boltzmann sample <model>`: draws rows from any kind with a `sample` hook
 * and prints them as text pictures, or writes a PNG grid or JSON.
 * @module
 */
import { withThreads } from '../../../linalg/kernel.js';
import { resolve } from 'node:path';
import type { ModelRegistry } from '../../../io/registry.js';
import { Random } from '../../../random/random.js';
import { intOpt, kindFlags, modelArg, parseFlags, readKindOptions, refuseOtherKindsFlags, str, UsageError } from '../args.js';
import type { CliContext } from '../context.js';
import { asciiPictures, imageShape, loadModelFile, prepareOutput, writeJson, writePicture } from '../files.js';
import { commandHelp } from '../help.js';
import { driveWork } from '../progress.js';

/**
 * Runs `sample`.
 *
 * @param args - the arguments after `sample`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function sample(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const all = Object.assign({}, ...registry.kinds.map((k) => kindFlags(k.options?.sample)));
  const { values: v, positionals } = parseFlags('sample', args, {
    n: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    shape: { type: 'string' },
    out: { type: 'string' },
    ...all,
  });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'sample')}\n`);
    return 0;
  }
  const path = modelArg('sample', positionals);
  const n = intOpt(v, 'n', 16);
  const steps = intOpt(v, 'steps', 1000, 0);
  const seed = intOpt(v, 'seed', 0, 0);
  const out = str(v, 'out');
  if (out !== undefined && !/\.(png|json)$/i.test(out)) throw new UsageError(`sample: --out must end in .png or .json (got ${JSON.stringify(out)})`);
  const { kind, model, doc } = loadModelFile(path, registry);
  if (kind.sample === undefined) {
    const can = registry.kinds.filter((k) => k.sample !== undefined).map((k) => k.kind);
    throw new UsageError(`sample: a '${kind.kind}' model cannot be sampled from the command line (kinds: ${can.join(', ')})`);
  }
  refuseOtherKindsFlags('sample', kind.kind, v, kindFlags(kind.options?.sample), all);
  const options = readKindOptions('sample', v, kind.options?.sample);
  // before the work (as recall does): the output is not an input, its folder exists and is writable, it is not someone else's file; --shape fits the model
  if (out !== undefined) prepareOutput(out);
  const shape = imageShape(v, kind.nVisible(model), doc);
  if (out !== undefined && /\.png$/i.test(out) && !shape) throw new UsageError('sample: cannot draw pictures: the rows are not square; give --shape HxW');
  const sampleHook = kind.sample.bind(kind);
  const drawn = withThreads(ctx.threads, () => sampleHook(model, n, { steps, rng: new Random(seed), options, signal: ctx.signal }));
  const s = await driveWork(drawn, ctx, 'sampling', 'sweeps');
  const rows: Float64Array[] = [];
  for (let r = 0; r < s.rows; r++) rows.push(s.data.slice(r * s.cols, (r + 1) * s.cols));
  if (out === undefined) {
    for (const x of rows) ctx.stdout.write(`${asciiPictures([x], shape)}\n`);
  } else if (/\.png$/i.test(out)) {
    writePicture(resolve(out), rows, shape);
    ctx.stderr.write(`wrote ${n} samples to ${resolve(out)}\n`);
  } else {
    writeJson(resolve(out), { samples: rows.map((x) => Array.from(x)), shape: shape ?? null, steps, seed });
    ctx.stderr.write(`wrote ${n} samples to ${resolve(out)}\n`);
  }
  return 0;
}
