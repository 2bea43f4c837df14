/**
 * `boltzmann train <kind>` and `boltzmann train --resume <checkpoint>`: the
 * kind comes from the registry, its options from its declaration, and the
 * training from its trainer factory (iterative, resumable) or its `create`
 * hook (one-shot, e.g. a Hopfield network storing patterns).
 * @module
 */
import { resolve } from 'node:path';
import type { JsonValue, ModelDocument } from '../../../document.js';
import { FormatError } from '../../../errors.js';
import type { ModelKind, ModelRegistry } from '../../../io/registry.js';
import { Random } from '../../../random/random.js';
import {
  DATA_FLAGS,
  type FlagSpecs,
  intOpt,
  kindFlags,
  parseFlags,
  readKindOptions,
  refuseOtherKindsFlags,
  str,
  UsageError,
  type Values,
} from '../args.js';
import { type CliContext, Interrupted } from '../context.js';
import { dataDir, dataSpec, loadData } from '../data.js';
import { readDocument, writeJson } from '../files.js';
import { commandHelp } from '../help.js';
import { cliState, type TrainState, trainLoop } from './train-loop.js';

/** Flags of the iterative loop (refused for one-shot kinds). */
const LOOP_FLAGS: FlagSpecs = {
  epochs: { type: 'string' },
  monitor: { type: 'string' },
  checkpoint: { type: 'string' },
};

const COMMON_FLAGS: FlagSpecs = {
  ...DATA_FLAGS,
  seed: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  quiet: { type: 'boolean' },
};

/** The flags of every kind's `train` options. */
function allKindFlags(registry: ModelRegistry): FlagSpecs {
  return Object.assign({}, ...registry.kinds.map((k) => kindFlags(k.options?.train))) as FlagSpecs;
}

function trainable(registry: ModelRegistry): string[] {
  return registry.kinds.filter((k) => k.create !== undefined).map((k) => k.kind);
}

/**
 * Runs `train`.
 *
 * @param args - the arguments after `train`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function train(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const kindFlagSpecs = allKindFlags(registry);
  const { values: v, positionals } = parseFlags('train', args, { ...COMMON_FLAGS, ...LOOP_FLAGS, ...kindFlagSpecs });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'train')}\n`);
    return 0;
  }
  const resume = str(v, 'resume');
  if (resume !== undefined) {
    if (positionals.length > 0) throw new UsageError(`train --resume: unexpected argument '${positionals[0]}' (the model kind comes from the checkpoint)`);
    return resumeTraining(v, ctx, readDocument(resume), registry, kindFlagSpecs);
  }
  const names = trainable(registry);
  const name = positionals[0];
  if (name === undefined) throw new UsageError(`train: which model? (one of ${names.join(', ')}); see boltzmann train --help`);
  const kind = registry.get(name);
  if (kind?.create === undefined) {
    const near = registry.suggest(name);
    const hint = near !== undefined && names.includes(near) ? `; did you mean '${near}'?` : '';
    throw new UsageError(`train: unknown model '${name}' (one of ${names.join(', ')}${hint})`);
  }
  if (positionals.length > 1) throw new UsageError(`train: unexpected argument '${positionals[1]}'`);
  const own = { ...kindFlags(kind.options?.train), ...(kind.trainer ? LOOP_FLAGS : {}) };
  refuseOtherKindsFlags(`train ${kind.kind}`, kind.kind, v, own, { ...kindFlagSpecs, ...LOOP_FLAGS });
  return kind.trainer ? startTraining(kind, v, ctx) : trainOnce(kind, v, ctx);
}

/** Seed streams: 0 model initialisation, 1 training, 2 data order, 3 binarization, 4 extra stages (DBM pretraining). */
function streams(seed: number): Random[] {
  return new Random(seed).streams(3);
}

async function startTraining(kind: ModelKind, v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx);
  const options = readKindOptions(`train ${kind.kind}`, v, kind.options?.train);
  const epochs = intOpt(v, 'epochs', 10);
  const monitor = intOpt(v, 'monitor', 500);
  const data = loadData(spec, seed);
  const quiet = v.quiet === true;
  const plan = (kind.trainer as NonNullable<ModelKind['trainer']>)({
    data: data.matrix,
    options,
    seed,
    monitor,
    note: (line) => {
      if (!quiet) ctx.stderr.write(`${line}\n`);
    },
  });
  const outPath = resolve(out);
  const ck = str(v, 'checkpoint');
  const st: TrainState = {
    command: 'train',
    kind: kind.kind,
    seed,
    stages: plan.stages,
    stage: 0,
    epochs,
    epoch: 0,
    batch: 0,
    orderRng: (streams(seed)[2] as Random).getState(),
    spec,
    out: outPath,
    checkpoint: ck !== undefined ? resolve(ck) : `${outPath.replace(/\.json$/i, '')}.checkpoint.json`,
    monitor,
    height: data.height ?? null,
    width: data.width ?? null,
    options,
  };
  return trainLoop(st, plan, data, ctx, quiet, undefined);
}

/** Flags `--resume` may change; every other one comes from the checkpoint. */
const RESUME_FLAGS = ['epochs', 'monitor', 'checkpoint', 'out', 'data-dir', 'quiet', 'resume', 'help', 'debug'];

async function resumeTraining(v: Values, ctx: CliContext, doc: ModelDocument, registry: ModelRegistry, kindFlagSpecs: FlagSpecs): Promise<number> {
  const cli = cliState(doc) as unknown as TrainState | undefined;
  if (cli === undefined || cli.command !== 'train') {
    throw new FormatError('train --resume: the document has no command-line training state (state.cli); was it written by boltzmann train?');
  }
  const kind = registry.get(cli.kind);
  if (kind === undefined) throw new UsageError(`train --resume: unknown model kind '${String(cli.kind)}' (available: ${registry.names.join(', ')})`);
  if (kind.trainer === undefined) throw new UsageError(`train --resume: a '${cli.kind}' model is not trained iteratively; nothing to resume`);
  for (const f of [...Object.keys(kindFlagSpecs), ...Object.keys(COMMON_FLAGS)]) {
    if (v[f] !== undefined && !RESUME_FLAGS.includes(f)) throw new UsageError(`train --resume: --${f} is taken from the checkpoint and cannot be changed`);
  }
  const st: TrainState = { ...cli, spec: { ...cli.spec }, options: { ...cli.options } };
  if (v['data-dir'] !== undefined) st.spec.dataDir = dataDir(v, ctx);
  if (v.epochs !== undefined) {
    st.epochs = intOpt(v, 'epochs', st.epochs);
    if (st.epochs < st.epoch) {
      throw new UsageError(`train --resume: --epochs ${st.epochs} is less than the epochs already done${st.stages > 1 ? ' in this layer' : ''} (${st.epoch})`);
    }
  }
  const out = str(v, 'out');
  if (out !== undefined) st.out = resolve(out);
  const ck = str(v, 'checkpoint');
  if (ck !== undefined) st.checkpoint = resolve(ck);
  if (v.monitor !== undefined) st.monitor = intOpt(v, 'monitor', 500);
  const data = loadData(st.spec, st.seed);
  const quiet = v.quiet === true;
  const plan = kind.trainer({
    data: data.matrix,
    options: st.options,
    seed: st.seed,
    monitor: st.monitor,
    note: (line) => {
      if (!quiet) ctx.stderr.write(`${line}\n`);
    },
  });
  return trainLoop(st, plan, data, ctx, quiet, doc);
}

async function trainOnce(kind: ModelKind, v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const seed = intOpt(v, 'seed', 0, 0);
  const options = readKindOptions(`train ${kind.kind}`, v, kind.options?.train);
  const spec = dataSpec(v, ctx, 10);
  if (spec.binarize === 'none') throw new UsageError(`train ${kind.kind}: patterns must be binary (--binarize threshold or sample)`);
  const data = loadData(spec, seed);
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  const { model, summary } = (kind.create as NonNullable<ModelKind['create']>)(options, data.matrix, streams(seed)[0] as Random);
  const doc = model.toDocument();
  doc.state = {
    ...(doc.state ?? {}),
    cli: { command: 'train', kind: kind.kind, seed, spec: spec as unknown as JsonValue, height: data.height ?? null, width: data.width ?? null, options },
  };
  writeJson(resolve(out), doc);
  if (v.quiet !== true) {
    if (summary !== undefined) ctx.stdout.write(`${summary}\n`);
    ctx.stderr.write(`wrote ${resolve(out)}\n`);
  }
  return 0;
}
