/**
 * `boltzmann train <kind>` and `boltzmann train --resume <checkpoint>`: the
 * kind comes from the registry, its options from its declaration, and the
 * training from its trainer factory (iterative, resumable) or its `create`
 * hook (one-shot, e.g. a Hopfield network storing patterns).
 * @module
 */
import type { JsonObject, JsonValue } from '../../../document.js';
import { describeValue, FormatError } from '../../../errors.js';
import type { KindOption, KindOptionValues, ModelKind, ModelRegistry } from '../../../io/registry.js';
import { Random, type RandomState } from '../../../random/random.js';
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
import { type DataSpec, dataDir, dataSha256, dataSpec, isNamedSet, loadData, noteDataInput } from '../data.js';
import { encodeModel, isSafetensorsPath, prepareOutput, readDocument, writeAtomic } from '../files.js';
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
    return resumeTraining(resume, v, ctx, registry, kindFlagSpecs);
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

/**
 * The most epochs per stage `train` runs (`--epochs`, and `epochs` in a
 * checkpoint's `state.cli`): one million.
 * @category Data & files
 */
export const MAX_TRAIN_EPOCHS = 1_000_000;

/**
 * The most training stages a checkpoint may declare (`state.cli.stages`, the
 * layers of a DBN); it must also equal the stages of the options it stores.
 * @category Data & files
 */
export const MAX_TRAIN_STAGES = 64;

/** `--epochs`, at most {@link MAX_TRAIN_EPOCHS}. */
function epochsOpt(v: Values, dflt: number): number {
  const e = intOpt(v, 'epochs', dflt);
  if (e > MAX_TRAIN_EPOCHS) throw new UsageError(`--epochs must be an integer in [1, ${MAX_TRAIN_EPOCHS}] (got ${JSON.stringify(v.epochs)})`);
  return e;
}

/** The checkpoint file next to the output: `m.json` / `m.safetensors` → `m.checkpoint.json`. */
function defaultCheckpoint(out: string): string {
  return `${out.replace(/\.(json|safetensors)$/i, '')}.checkpoint.json`;
}

/** `--checkpoint` must be JSON: it carries the full training state. */
function checkpointPath(ck: string | undefined, fallback: string, allowed?: string): string {
  if (ck !== undefined && isSafetensorsPath(ck)) {
    throw new UsageError(`--checkpoint must be a JSON file (it keeps the whole training state; got ${JSON.stringify(ck)})`);
  }
  return prepareOutput(ck ?? fallback, '--checkpoint', allowed);
}

async function startTraining(kind: ModelKind, v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx);
  const options = readKindOptions(`train ${kind.kind}`, v, kind.options?.train);
  const epochs = epochsOpt(v, 10);
  const monitor = intOpt(v, 'monitor', 500, 0);
  // Outputs are checked before the (long) work: not an input, a writable folder, not someone else's file.
  noteDataInput(spec);
  const outPath = prepareOutput(out);
  const checkpoint = checkpointPath(str(v, 'checkpoint'), defaultCheckpoint(outPath));
  const data = loadData(spec, seed);
  spec.sha256 = dataSha256(data.matrix);
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
    checkpoint,
    monitor,
    height: data.height ?? null,
    width: data.width ?? null,
    options,
  };
  return trainLoop(st, plan, data, ctx, quiet, undefined);
}

/** Flags `--resume` may change; every other one comes from the checkpoint. */
const RESUME_FLAGS = ['epochs', 'monitor', 'checkpoint', 'out', 'data', 'data-dir', 'quiet', 'resume', 'help', 'debug'];

const isObject = (x: unknown): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x);
const isInt = (x: unknown, lo: number, hi = Number.MAX_SAFE_INTEGER): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= lo && x <= hi;

/** Whether `value` is a valid stored value of the kind option `o` (null: the library's default). */
function optionValueOk(o: KindOption, value: unknown): boolean {
  if (value === null) return o.type !== 'boolean';
  switch (o.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return isInt(value, o.min ?? 1);
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= (o.min ?? Number.NEGATIVE_INFINITY) &&
        value <= (o.max ?? Number.MAX_VALUE) &&
        !(o.maxOpen === true && value === o.max)
      );
    case 'choice':
      return typeof value === 'string' && (o.choices ?? []).includes(value);
    case 'ints':
      return (
        Array.isArray(value) &&
        value.length >= (o.minItems ?? 1) &&
        value.length <= (o.maxItems ?? Number.POSITIVE_INFINITY) &&
        value.every((x) => isInt(x, o.min ?? 1))
      );
  }
}

/**
 * Checks a checkpoint's `state.cli` field by field before anything uses it:
 * a malformed one is a {@link FormatError} naming the field, an absurd count a
 * RangeError (epochs at most {@link MAX_TRAIN_EPOCHS}, stages at most
 * {@link MAX_TRAIN_STAGES}). Stored paths other than the data are ignored.
 */
function parseTrainState(raw: JsonObject, kind: ModelKind, path: string): Omit<TrainState, 'out' | 'checkpoint'> {
  const where = `train --resume: ${path}: state.cli`;
  const bad = (field: string, expected: string, value: unknown): FormatError =>
    new FormatError(`${where}.${field} must be ${expected} (got ${describeValue(value)})`);
  const int = (field: string, lo: number, hi: number, range = false): number => {
    const x = raw[field];
    if (typeof x !== 'number' || !Number.isInteger(x)) throw bad(field, `an integer in [${lo}, ${hi}]`, x);
    if (x < lo || x > hi) {
      if (range) throw new RangeError(`${where}.${field} must be an integer in [${lo}, ${hi}] (got ${describeValue(x)})`);
      throw bad(field, `an integer in [${lo}, ${hi}]`, x);
    }
    return x;
  };
  const seed = int('seed', 0, Number.MAX_SAFE_INTEGER);
  const stages = int('stages', 1, MAX_TRAIN_STAGES, true);
  const stage = int('stage', 0, stages);
  const epochs = int('epochs', 1, MAX_TRAIN_EPOCHS, true);
  const epoch = int('epoch', 0, epochs);
  const batch = int('batch', 0, Number.MAX_SAFE_INTEGER);
  const monitor = int('monitor', 0, Number.MAX_SAFE_INTEGER);
  let orderRng: RandomState;
  try {
    orderRng = Random.fromState(raw.orderRng as unknown as RandomState).getState();
  } catch (e) {
    throw bad('orderRng', `a generator state (${(e as Error).message})`, raw.orderRng);
  }
  const size = (field: string): number | null => {
    const x = raw[field];
    if (x === null || x === undefined) return null;
    if (!isInt(x, 1)) throw bad(field, 'a positive integer or null', x);
    return x;
  };
  const height = size('height'), width = size('width');
  const sp = raw.spec;
  if (!isObject(sp)) throw bad('spec', 'an object { data, dataDir, limit, binarize, threshold }', sp);
  if (typeof sp.data !== 'string' || sp.data === '') throw bad('spec.data', 'a non-empty string', sp.data);
  if (typeof sp.dataDir !== 'string') throw bad('spec.dataDir', 'a string', sp.dataDir);
  if (sp.limit !== null && !isInt(sp.limit, 0)) throw bad('spec.limit', 'a non-negative integer or null', sp.limit);
  if (sp.binarize !== 'threshold' && sp.binarize !== 'sample' && sp.binarize !== 'none') throw bad('spec.binarize', "'threshold', 'sample' or 'none'", sp.binarize);
  if (typeof sp.threshold !== 'number' || !(sp.threshold >= 0 && sp.threshold <= 1)) throw bad('spec.threshold', 'a number in [0, 1]', sp.threshold);
  if (sp.sha256 !== undefined && (typeof sp.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sp.sha256))) throw bad('spec.sha256', '64 hexadecimal digits', sp.sha256);
  const spec: DataSpec = { data: sp.data, dataDir: sp.dataDir, limit: sp.limit as number | null, binarize: sp.binarize, threshold: sp.threshold };
  if (sp.sha256 !== undefined) spec.sha256 = sp.sha256 as string;
  const opts = raw.options;
  if (!isObject(opts)) throw bad('options', 'an object of the train options', opts);
  const declared = kind.options?.train ?? [];
  const options: Record<string, JsonValue> = { ...readKindOptions(`train ${kind.kind}`, {}, declared) };
  for (const key of Object.keys(opts)) {
    const o = declared.find((d) => d.name === key);
    if (o === undefined) throw bad(`options`, `the train options of ${kind.kind} (${declared.map((d) => d.name).join(', ')})`, key);
    const value = opts[key];
    if (!optionValueOk(o, value)) throw bad(`options.${key}`, `a valid --${key} value (${o.type})`, value);
    options[key] = value as JsonValue;
  }
  return {
    command: 'train',
    kind: kind.kind,
    seed,
    stages,
    stage,
    epochs,
    epoch,
    batch,
    orderRng,
    spec,
    monitor,
    height,
    width,
    options: options as KindOptionValues,
  };
}

async function resumeTraining(path: string, v: Values, ctx: CliContext, registry: ModelRegistry, kindFlagSpecs: FlagSpecs): Promise<number> {
  if (isSafetensorsPath(path)) {
    throw new UsageError(`train --resume: ${path} is a safetensors file, which keeps the parameters but not the training state; resume from the JSON model or checkpoint`);
  }
  // Not noted as an input: the file being resumed is where the result goes unless --out says otherwise.
  const doc = readDocument(path, { input: false });
  const raw = cliState(doc);
  if (raw === undefined || raw.command !== 'train') {
    throw new FormatError('train --resume: the document has no command-line training state (state.cli); was it written by boltzmann train?');
  }
  if (typeof raw.kind !== 'string') throw new FormatError(`train --resume: ${path}: state.cli.kind must be a model kind (got ${describeValue(raw.kind)})`);
  const kind = registry.get(raw.kind);
  if (kind === undefined) throw new UsageError(`train --resume: unknown model kind '${raw.kind}' (available: ${registry.names.join(', ')})`);
  if (kind.trainer === undefined) throw new UsageError(`train --resume: a '${raw.kind}' model is not trained iteratively; nothing to resume`);
  for (const f of [...Object.keys(kindFlagSpecs), ...Object.keys(COMMON_FLAGS)]) {
    if (v[f] !== undefined && !RESUME_FLAGS.includes(f)) throw new UsageError(`train --resume: --${f} is taken from the checkpoint and cannot be changed`);
  }
  const parsed = parseTrainState(raw, kind, path);
  const spec = parsed.spec;
  if (v['data-dir'] !== undefined) spec.dataDir = dataDir(v, ctx, spec.data);
  const given = str(v, 'data');
  if (given !== undefined) {
    // The data may have moved: --data names it again, and the digest below proves it is the same.
    if (isNamedSet(given) !== isNamedSet(spec.data)) throw new UsageError(`train --resume: --data ${given} is not the kind of source the checkpoint was trained on (${spec.data})`);
    spec.data = dataSpec({ data: given }, ctx).data;
  }
  let epochs = parsed.epochs;
  if (v.epochs !== undefined) {
    epochs = epochsOpt(v, epochs);
    if (epochs < parsed.epoch) {
      throw new UsageError(`train --resume: --epochs ${epochs} is less than the epochs already done${parsed.stages > 1 ? ' in this layer' : ''} (${parsed.epoch})`);
    }
  }
  const out = str(v, 'out');
  // Never a path stored in the document: --out, or the file being resumed.
  noteDataInput(spec);
  const outPath = prepareOutput(out ?? path, '--out', path);
  const checkpoint = checkpointPath(str(v, 'checkpoint'), out !== undefined ? defaultCheckpoint(outPath) : path, path);
  const st: TrainState = { ...parsed, epochs, out: outPath, checkpoint };
  if (v.monitor !== undefined) st.monitor = intOpt(v, 'monitor', 500, 0);
  const data = loadData(st.spec, st.seed);
  const digest = dataSha256(data.matrix);
  if (spec.sha256 === undefined) {
    if (v.quiet !== true) ctx.stderr.write(`note: ${path} stores no digest of its data; cannot check that ${spec.data} is the data it was trained on\n`);
    spec.sha256 = digest;
  } else if (digest !== spec.sha256) {
    throw new UsageError(
      `train --resume: ${data.description} is not the data ${path} was trained on (SHA-256 of the rows ${digest.slice(0, 12)}…, stored ${spec.sha256.slice(0, 12)}…); ` +
        'give --data with the original data',
    );
  }
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
  if (plan.stages !== st.stages) {
    throw new FormatError(`train --resume: ${path}: state.cli.stages must be ${plan.stages} for the stored options (got ${st.stages})`);
  }
  return trainLoop(st, plan, data, ctx, quiet, doc);
}

async function trainOnce(kind: ModelKind, v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const seed = intOpt(v, 'seed', 0, 0);
  const options = readKindOptions(`train ${kind.kind}`, v, kind.options?.train);
  const spec = dataSpec(v, ctx, 10);
  if (spec.binarize === 'none') throw new UsageError(`train ${kind.kind}: patterns must be binary (--binarize threshold or sample)`);
  noteDataInput(spec);
  const outPath = prepareOutput(out);
  const data = loadData(spec, seed);
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  const { model, summary } = (kind.create as NonNullable<ModelKind['create']>)(options, data.matrix, streams(seed)[0] as Random);
  const doc = model.toDocument();
  doc.state = {
    ...(doc.state ?? {}),
    cli: { command: 'train', kind: kind.kind, seed, spec: spec as unknown as JsonValue, height: data.height ?? null, width: data.width ?? null, options },
  };
  writeAtomic(outPath, () => encodeModel(outPath, doc));
  if (v.quiet !== true) {
    if (summary !== undefined) ctx.stdout.write(`${summary}\n`);
    ctx.stderr.write(`wrote ${outPath}\n`);
  }
  return 0;
}
