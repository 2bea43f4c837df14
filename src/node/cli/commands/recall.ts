/**
 * `boltzmann recall <model> --data <src>`: corrupts one data row (flipped
 * bits, optionally half the picture hidden) and lets a kind with a `recall`
 * hook restore it.
 * @module
 */
import { withThreads } from '../../../linalg/kernel.js';
import { resolve } from 'node:path';
import { FormatError } from '../../../errors.js';
import type { ModelRegistry } from '../../../io/registry.js';
import { Random } from '../../../random/random.js';
import { DATA_FLAGS, intOpt, kindFlags, modelArg, numOpt, oneOf, parseFlags, readKindOptions, refuseOtherKindsFlags, str, UsageError } from '../args.js';
import { type CliContext, fmt } from '../context.js';
import { dataSpec, loadData, noteDataInput } from '../data.js';
import { asciiPictures, imageShape, loadModelFile, prepareOutput, writePicture } from '../files.js';
import { commandHelp } from '../help.js';

const MASKS = ['none', 'top', 'bottom', 'left', 'right'] as const;

/** Whether pixel (r, c) of an h×w picture is hidden by `mask`. */
const HIDDEN: Readonly<Record<(typeof MASKS)[number], (r: number, c: number, h: number, w: number) => boolean>> = {
  none: () => false,
  top: (r, _c, h) => r < h / 2,
  bottom: (r, _c, h) => r >= h / 2,
  left: (_r, c, _h, w) => c < w / 2,
  right: (_r, c, _h, w) => c >= w / 2,
};

/**
 * Runs `recall`.
 *
 * @param args - the arguments after `recall`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function recall(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const all = Object.assign({}, ...registry.kinds.map((k) => kindFlags(k.options?.recall)));
  const { values: v, positionals } = parseFlags('recall', args, {
    ...DATA_FLAGS,
    index: { type: 'string' },
    noise: { type: 'string' },
    mask: { type: 'string' },
    seed: { type: 'string' },
    shape: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...all,
  });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'recall')}\n`);
    return 0;
  }
  const path = modelArg('recall', positionals);
  const seed = intOpt(v, 'seed', 0, 0);
  const index = intOpt(v, 'index', 0, 0);
  const noise = numOpt(v, 'noise', 0.2, 0, 1);
  const mask = oneOf(v, 'mask', MASKS, 'none');
  const o = str(v, 'out');
  if (o !== undefined && !/\.png$/i.test(o)) throw new UsageError(`recall: --out must end in .png (got ${JSON.stringify(o)})`);
  const spec = dataSpec(v, ctx);
  if (spec.limit !== null && index >= spec.limit) throw new UsageError(`recall: --index ${index} is beyond --limit ${spec.limit}`);
  const { kind, model, doc } = loadModelFile(path, registry);
  if (kind.recall === undefined) {
    const can = registry.kinds.filter((k) => k.recall !== undefined).map((k) => k.kind);
    throw new UsageError(`recall: needs a model that recalls (${can.join(', ')}; got '${kind.kind}'); for other models use sample`);
  }
  refuseOtherKindsFlags('recall', kind.kind, v, kindFlags(kind.options?.recall), all);
  noteDataInput(spec);
  if (o !== undefined) prepareOutput(o); // before the work: not an input, a writable folder, not someone else's file
  const options = readKindOptions('recall', v, kind.options?.recall);
  const n = kind.nVisible(model);
  const data = loadData({ ...spec, limit: Math.max(spec.limit ?? 0, index + 1) }, seed);
  if (data.matrix.cols !== n) throw new FormatError(`recall: the data has ${data.matrix.cols} columns but the model has ${n} visible units`);
  if (index >= data.matrix.rows) throw new UsageError(`recall: --index ${index} is out of range (the data has ${data.matrix.rows} rows)`);
  const shape = imageShape(v, n, doc);
  if (mask !== 'none' && !shape) throw new UsageError('recall: --mask needs pictures (square rows or --shape HxW)');
  const rng = new Random(seed);
  const original = data.matrix.data.slice(index * n, (index + 1) * n);
  const cue = original.slice();
  for (let i = 0; i < n; i++) if (rng.float64() < noise) cue[i] = 1 - (cue[i] as number);
  if (shape) {
    const [h, w] = shape;
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (HIDDEN[mask](r, c, h, w)) cue[r * w + c] = 0;
  }
  const recallHook = kind.recall.bind(kind);
  const res = withThreads(ctx.threads, () => recallHook(model, cue, { rng: rng.split(), options }));
  /** Overlap of ±1 spins, m = (1/n) Σ s_i s'_i, from 0/1 rows. */
  const overlap = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (2 * (x[i] as number) - 1) * (2 * (original[i] as number) - 1);
    return s / n;
  };
  const oCue = overlap(cue), oRes = overlap(res.state);
  if (v.json === true) {
    ctx.stdout.write(
      `${JSON.stringify({ index, cueOverlap: oCue, overlap: oRes, restored: oRes === 1, converged: res.converged, sweeps: res.sweeps, flips: res.flips, state: Array.from(res.state) })}\n`,
    );
  } else {
    if (shape && o === undefined) ctx.stdout.write(asciiPictures([original, cue, res.state], shape, ['original', 'cue', 'restored']));
    ctx.stdout.write(
      `cue overlap ${fmt(oCue, 4)} → restored overlap ${fmt(oRes, 4)}${oRes === 1 ? ' (exact)' : ''}; ` +
        `${res.converged ? 'converged' : 'not converged'} after ${res.sweeps} sweeps, ${res.flips} flips\n`,
    );
  }
  if (o !== undefined) {
    writePicture(resolve(o), [original, cue, res.state], shape, 3);
    ctx.stderr.write(`wrote ${resolve(o)}\n`);
  }
  return 0;
}
