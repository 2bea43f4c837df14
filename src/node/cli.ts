/**
 * The `boltzmann` command line: train, sample, evaluate, recall and inspect
 * models from a terminal.
 *
 * ```sh
 * boltzmann train rbm --data mnist-binarized --hidden 64 --epochs 5 --seed 1 --out rbm.json
 * boltzmann sample rbm.json --n 16 --steps 1000 --out dreams.png
 * boltzmann eval rbm.json --data mnist-binarized:test --limit 1000
 * boltzmann train hopfield --data digits --limit 5 --rule pseudo-inverse --out hop.json
 * boltzmann recall hop.json --data digits --index 2 --noise 0.2
 * boltzmann info rbm.json
 * ```
 *
 * Exit codes: 0 success, 1 runtime failure (missing file, malformed model,
 * numerical trouble), 2 usage error (unknown command or flag, bad value),
 * 130 interrupted (Ctrl-C; `train` first writes a checkpoint that
 * `train --resume` continues bit-exactly).
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FormatError } from '../errors.js';
import { aisSchedule, averageLogLikelihood, rbmAIS } from '../models/rbm-ais.js';
import { dbmAIS, dbmVariationalBound } from '../models/dbm-ais.js';
import { dbmExactLogLikelihood, dbmExactLogPartition } from '../models/dbm-exact.js';
import { pseudoLikelihood } from '../models/rbm-pseudo-likelihood.js';
import { RBM_EXACT_MAX_UNITS, rbmExactLogPartition } from '../models/rbm-exact.js';
import type { JsonObject, JsonValue, ModelDocument } from '../document.js';
import { tileImages } from '../io/image.js';
import type { Matrix } from '../linalg/matrix.js';
import { BoltzmannMachine } from '../models/boltzmann-machine.js';
import { DBM } from '../models/dbm.js';
import { DBN } from '../models/dbn.js';
import { HopfieldNetwork } from '../models/hopfield-network.js';
import { RBM } from '../models/rbm.js';
import { Random, type RandomState } from '../random/random.js';
import { sigmoid } from '../linalg/stable.js';
import { BoltzmannMLTrainer } from '../train/boltzmann-machine-trainer.js';
import { ContrastiveDivergence } from '../train/rbm-trainer.js';
import { DBMTrainer, pretrainDBM } from '../train/dbm-trainer.js';
import { HOPFIELD_RULES, type HopfieldRule } from '../train/hopfield-rules.js';
import { type Binarize, type CliData, loadCliData, NAMED_SETS, UsageError } from './cli-data.js';
import { writePng } from './png.js';

export { UsageError } from './cli-data.js';

/** A stream the CLI writes to (process.stdout / process.stderr or a test double). */
export interface CliStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether it is a terminal (progress bar and redraws only then). */
  isTTY?: boolean;
  /** Terminal width in columns. */
  columns?: number;
}

/** Where the CLI reads and writes; every field defaults to the process's own. */
export interface CliContext {
  /** Results and per-epoch lines. */
  stdout: CliStream;
  /** Progress bar, notes and errors. */
  stderr: CliStream;
  /** Aborted on Ctrl-C: `train` checkpoints and exits with 130. */
  signal?: AbortSignal;
  /** Environment (for `BOLTZMANN_DATA_DIR`). */
  env: Record<string, string | undefined>;
  /** Called after every training step (tests use it to interrupt at a given step). */
  onStep?: (step: number) => void;
}

/** Raised when Ctrl-C stops a command (exit code 130). */
class Interrupted extends Error {
  override name = 'Interrupted';
}

const KINDS = ['rbm', 'hopfield', 'bm', 'dbn', 'dbm'] as const;
type Kind = (typeof KINDS)[number];

const MAIN_HELP = `boltzmann — energy-based models from the command line

Usage: boltzmann <command> [options]

Commands:
  train <rbm|hopfield|bm|dbn|dbm>  train a model on data and save it as JSON (resumable after Ctrl-C)
  sample <model.json>              draw samples (Gibbs sampling from random starts)
  eval <model.json>                log-likelihood (exact when small, else AIS); Hopfield recall quality
  recall <model.json>              Hopfield: restore a corrupted pattern
  info <model.json>                print a model file's kind, shapes, configuration and training state

Global options:
  -h, --help     help (also after a command: boltzmann train --help)
  --version      print the version
  --debug        print stack traces on errors

Data (--data): a path to an IDX file (.gz or not) or a CSV of numbers, or a named set
from the data folder (--data-dir, $BOLTZMANN_DATA_DIR, or ../shared/data):
${Object.entries(NAMED_SETS)
  .map(([k, v]) => `  ${k.padEnd(24)} ${v.about}`)
  .join('\n')}
Append :test / :val to choose a split, e.g. mnist-binarized:test.

Exit codes: 0 ok, 1 runtime failure, 2 usage error, 130 interrupted (Ctrl-C).`;

const DATA_HELP = `  --data <src>          IDX/CSV path or named set (e.g. mnist-binarized, digits, mnist-binarized:test)
  --data-dir <dir>      folder of the named sets (default $BOLTZMANN_DATA_DIR or ../shared/data)
  --limit <n>           use the first n rows
  --binarize <mode>     threshold (default) | sample (seeded Bernoulli) | none
  --threshold <t>       threshold for --binarize threshold (default 0.5)`;

const HELP: Record<string, string> = {
  train: `Usage: boltzmann train <rbm|hopfield|bm|dbn|dbm> --data <src> --out <model.json> [options]

Trains a model and writes its JSON document (with the training state, so that
'train --resume model.json --epochs N' can continue it).

Common options:
${DATA_HELP}
  --seed <n>            seed of every random choice (default 0)
  --out <file>          where to write the model (required unless --resume gives it)
  --checkpoint <file>   where Ctrl-C writes the checkpoint (default <out>.checkpoint.json)
  --resume <file>       continue from a checkpoint (or a saved model); data and options come from it
  --quiet               no progress output

rbm (binary RBM, CD-k / persistent CD):
  --hidden <n>          hidden units (default 64)
  --epochs <n>          epochs (default 10; with --resume: the total to reach)
  --batch-size <n>      mini-batch size (default 20)
  --lr <x>              learning rate (default 0.05)
  --k <n>               Gibbs steps per update (default 1)
  --persistent          persistent CD (PCD)
  --chains <n>          persistent chains (default: batch size)
  --momentum <x>        momentum in [0, 1) (default 0)
  --weight-decay <x>    L2 weight decay (default 0)
  --monitor <n>         rows used for the per-epoch metrics (default 500)

hopfield (±1 spins; data rows are binarized 0/1 and mapped to y = 2x − 1):
  --rule <r>            hebbian (default) | storkey | pseudo-inverse
                        (the patterns are the first --limit rows; default limit 10)

bm (fully connected Boltzmann machine, the lecture's maximum-likelihood rule; ≤ 4096 units):
  --hidden <n>          hidden units (default 0)
  --epochs, --batch-size (default 20), --lr (default 0.05), --weight-decay
  --persistent          persistent free-phase chains; --chains <n> free chains (default 10)
  --clamped-samples <n> clamped-phase samples per pattern (default 10)
  --free-samples <n>    free-phase samples per update (default 100)
  --gibbs-steps <n>     burn-in sweeps of both phases (default 10 / 50)

dbn (deep belief net: RBMs trained greedily, bottom first; --epochs is per layer):
  --layers <n,n,...>    hidden layer sizes (default 64,32)
  --k, --persistent, --chains, --batch-size, --lr, --momentum, --weight-decay as for rbm

dbm (deep Boltzmann machine, 2 or 3 hidden layers; Salakhutdinov & Hinton's procedure):
  --layers <n,n[,n]>    hidden layer sizes (default 32,16)
  --pretrain-epochs <n> greedy layer-wise pretraining epochs per layer (default 5; 0 = none;
                        batch 20, lr 0.05; Ctrl-C takes effect once pretraining has ended)
  --epochs, --batch-size (default 100), --lr (default 0.005), --momentum, --weight-decay
  --chains <n>          persistent fantasy particles (default 100)
  --gibbs-steps <n>     Gibbs sweeps of the particles per update (default 5)

Ctrl-C writes a checkpoint and exits with 130; 'train --resume <checkpoint>' continues
bit-exactly (the same parameters as a run that was never interrupted).`,
  sample: `Usage: boltzmann sample <model.json> [options]

Draws samples by Gibbs sampling from random starts.
  --n <n>               number of samples (default 16)
  --steps <n>           Gibbs steps (RBM) or sweeps (Hopfield) (default 1000)
  --temperature <T>     Hopfield temperature (default 1)
  --seed <n>            seed (default 0)
  --shape <HxW>         image shape (default: square)
  --out <file>          .png (a grid of pictures) or .json (the samples); default: text on stdout`,
  eval: `Usage: boltzmann eval <model.json> --data <src> [options]

RBM: average log-likelihood of the data in nats; log Z exactly when min(nVisible, nHidden) ≤ ${RBM_EXACT_MAX_UNITS},
otherwise by annealed importance sampling (Salakhutdinov & Murray 2008) with ±3σ bounds.
DBM: log Z exactly when small, else AIS, and the variational lower bound on the log-likelihood.
DBN: exact (the top hidden layer summed out; small models only). Boltzmann machine: exact (≤ 20 units).
Hopfield: fraction of data rows that are fixed points, and recall overlap from noisy cues.
${DATA_HELP}
  --seed <n>            seed (default 0)
  --runs <n>            AIS runs (default 100)
  --ais-steps <n>       AIS β steps (default 14500, the published schedule scaled)
  --exact               insist on the exact computation (error if too large)
  --noise <p>           Hopfield: fraction of bits flipped in each cue (default 0.1)`,
  recall: `Usage: boltzmann recall <model.json> --data <src> [options]

Hopfield: corrupts one data row and lets the network restore it (asynchronous dynamics).
${DATA_HELP}
  --index <i>           which row (default 0)
  --noise <p>           fraction of bits flipped (default 0.2)
  --mask <m>            none (default) | top | bottom | left | right: also hide half the picture
  --order <o>           sequential (default) | random
  --max-sweeps <n>      sweep limit (default 100)
  --seed <n>            seed (default 0)
  --out <file>          .png with original | cue | restored; default: text on stdout`,
  info: `Usage: boltzmann info <model.json> [--json]

Prints a model file's kind, version, tensor shapes, configuration and training state.
  --json                print the summary as JSON`,
};

const GLOBAL = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;
const DATA_OPTS = {
  data: { type: 'string' },
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  binarize: { type: 'string' },
  threshold: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

function parse(cmd: string, args: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...GLOBAL, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message.split('\n')[0]}`);
  }
}

function intOpt(v: Values, name: string, dflt: number, min = 1): number {
  const s = v[name];
  if (s === undefined) return dflt;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(s)})`);
  }
  return n;
}

function numOpt(v: Values, name: string, dflt: number, lo: number, hi: number, hiOpen = false): number {
  const s = v[name];
  if (s === undefined) return dflt;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (hiOpen && n === hi)) {
    throw new UsageError(`--${name} must be a number in [${lo}, ${hi}${hiOpen ? ')' : ']'} (got ${JSON.stringify(s)})`);
  }
  return n;
}

function oneOf<T extends string>(v: Values, name: string, choices: readonly T[], dflt: T): T {
  const s = v[name];
  if (s === undefined) return dflt;
  if (!choices.includes(s as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(s)})`);
  return s as T;
}

function str(v: Values, name: string): string | undefined {
  const s = v[name];
  return typeof s === 'string' ? s : undefined;
}

function dataDir(v: Values, ctx: CliContext): string {
  return resolve(str(v, 'data-dir') ?? ctx.env.BOLTZMANN_DATA_DIR ?? '../shared/data');
}

/** The data-related choices, saved in checkpoints so that --resume reloads the same rows. */
interface DataSpec {
  data: string;
  dataDir: string;
  limit: number | null;
  binarize: Binarize;
  threshold: number;
}

function dataSpec(v: Values, ctx: CliContext, defaultLimit?: number): DataSpec {
  const data = str(v, 'data');
  if (data === undefined) throw new UsageError('--data is required (a file path or a named set; see boltzmann --help)');
  const limit = v.limit === undefined ? (defaultLimit ?? null) : intOpt(v, 'limit', 0);
  return {
    data,
    dataDir: dataDir(v, ctx),
    limit,
    binarize: oneOf(v, 'binarize', ['threshold', 'sample', 'none'] as const, 'threshold'),
    threshold: numOpt(v, 'threshold', 0.5, 0, 1),
  };
}

function load(spec: DataSpec, seed: number): CliData {
  return loadCliData(spec.data, {
    dataDir: spec.dataDir,
    limit: spec.limit ?? undefined,
    binarize: spec.binarize,
    threshold: spec.threshold,
    // Its own stream, so that sampling the binarization never shifts the training draws.
    rng: new Random(seed).streams(4)[3],
  });
}

function readDocument(path: string): ModelDocument {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || (doc as { format?: unknown }).format !== 'boltzmann') {
    throw new FormatError(`${path}: not a boltzmann model document (format must be 'boltzmann')`);
  }
  return doc as ModelDocument;
}

/** Writes atomically (temporary file, then rename), so a Ctrl-C never leaves half a file. */
function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(2, '0'), ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
}

/** A progress bar with ETA on a terminal; nothing when piped (per-epoch lines say enough). */
class Progress {
  private last = 0;
  private readonly t0 = performance.now();
  private startDone = -1;
  private shown = false;
  constructor(
    private readonly stream: CliStream,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  update(done: number, label: string): void {
    if (!this.enabled) return;
    if (this.startDone < 0) this.startDone = done;
    const now = performance.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const frac = this.total > 0 ? done / this.total : 1;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const fill = Math.round(frac * width);
    const elapsed = (now - this.t0) / 1000;
    const rate = (done - this.startDone) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (this.total - done) / rate : Number.NaN;
    const bar = `${'█'.repeat(fill)}${'░'.repeat(width - fill)}`;
    this.stream.write(`\r\x1b[2K${label} ${bar} ${Math.floor(frac * 100)}% ETA ${formatDuration(eta)}`);
    this.shown = true;
  }

  /** Clears the bar so that a line can be printed. */
  clear(): void {
    if (this.enabled && this.shown) {
      this.stream.write('\r\x1b[2K');
      this.shown = false;
    }
  }
}

function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

// ───────────────────────────── train ─────────────────────────────

/** What `train` saves under `state.cli` so that `--resume` continues exactly. */
interface TrainState {
  command: 'train';
  kind: Kind;
  seed: number;
  /** Training stages: the layers of a DBN (one stage for the other models). */
  stages: number;
  stage: number;
  /** Epochs per stage. */
  epochs: number;
  epoch: number;
  batch: number;
  /** Data-order generator at the start of the current epoch (the permutation is redrawn from it). */
  orderRng: RandomState;
  spec: DataSpec;
  out: string;
  checkpoint: string;
  monitor: number;
  height: number | null;
  width: number | null;
  /** The model and trainer flags, as parsed (used to rebuild the trainer on resume). */
  options: JsonObject;
}

const TRAIN_OPTS = {
  ...DATA_OPTS,
  seed: { type: 'string' },
  out: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'string' },
  quiet: { type: 'boolean' },
  hidden: { type: 'string' },
  layers: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  k: { type: 'string' },
  persistent: { type: 'boolean' },
  chains: { type: 'string' },
  momentum: { type: 'string' },
  'weight-decay': { type: 'string' },
  monitor: { type: 'string' },
  rule: { type: 'string' },
  'gibbs-steps': { type: 'string' },
  'pretrain-epochs': { type: 'string' },
  'clamped-samples': { type: 'string' },
  'free-samples': { type: 'string' },
} as const;

/** Flags each model accepts (besides the common ones). */
const MODEL_FLAGS: Record<Kind, string[]> = {
  rbm: ['hidden', 'epochs', 'batch-size', 'lr', 'k', 'persistent', 'chains', 'momentum', 'weight-decay', 'monitor', 'checkpoint'],
  hopfield: ['rule'],
  bm: ['hidden', 'epochs', 'batch-size', 'lr', 'persistent', 'chains', 'weight-decay', 'monitor', 'checkpoint', 'clamped-samples', 'free-samples', 'gibbs-steps'],
  dbn: ['layers', 'epochs', 'batch-size', 'lr', 'k', 'persistent', 'chains', 'momentum', 'weight-decay', 'monitor', 'checkpoint'],
  dbm: ['layers', 'epochs', 'batch-size', 'lr', 'momentum', 'weight-decay', 'chains', 'gibbs-steps', 'pretrain-epochs', 'monitor', 'checkpoint'],
};
const ALL_MODEL_FLAGS = [...new Set(Object.values(MODEL_FLAGS).flat())];

async function train(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('train', args, TRAIN_OPTS);
  if (v.help) {
    ctx.stdout.write(`${HELP.train}\n`);
    return 0;
  }
  const resume = str(v, 'resume');
  if (resume !== undefined) {
    if (positionals.length > 0) throw new UsageError(`train --resume: unexpected argument '${positionals[0]}' (the model kind comes from the checkpoint)`);
    return resumeTraining(v, ctx, readDocument(resume));
  }
  const kind = positionals[0];
  if (kind === undefined) throw new UsageError(`train: which model? (one of ${KINDS.join(', ')}); see boltzmann train --help`);
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`train: unknown model '${kind}' (one of ${KINDS.join(', ')})`);
  if (positionals.length > 1) throw new UsageError(`train: unexpected argument '${positionals[1]}'`);
  const k = kind as Kind;
  for (const f of ALL_MODEL_FLAGS) {
    if (v[f] !== undefined && !MODEL_FLAGS[k].includes(f)) throw new UsageError(`train ${k}: --${f} does not apply to ${k} (see boltzmann train --help)`);
  }
  if (k === 'hopfield') return trainHopfield(v, ctx);
  return startTraining(k, v, ctx);
}

/** One stage of iterative training, driven batch by batch by {@link trainLoop}. */
interface Session {
  /** For the start line, e.g. `rbm 784×64, PCD-1`. */
  readonly label: string;
  readonly batchSize: number;
  /** One update on the rows `idx` of the data. */
  step(idx: Uint32Array): void;
  /** The model document with the trainer's resumable state (no `state.cli`). */
  save(): ModelDocument;
  /** Per-epoch metrics, formatted. */
  metrics(): string;
  /** Called after every epoch with the number of epochs done in this stage. */
  epochDone(epoch: number): void;
}

function parseLayers(v: Values, kind: Kind): number[] {
  const s = str(v, 'layers') ?? (kind === 'dbn' ? '64,32' : '32,16');
  const sizes = s.split(',').map((x) => Number(x.trim()));
  if (sizes.length < 1 || sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new UsageError(`--layers must be comma-separated positive integers, e.g. 500,200 (got ${JSON.stringify(s)})`);
  }
  if (kind === 'dbm' && (sizes.length < 2 || sizes.length > 3)) throw new UsageError(`train dbm: --layers must give 2 or 3 hidden layers (got ${sizes.length})`);
  return sizes;
}

/** Parses the model and trainer flags into JSON (saved in the checkpoint; undefined = the library's default). */
function trainOptions(kind: Kind, v: Values): JsonObject {
  const o: Record<string, JsonValue | undefined> = {};
  const batch = intOpt(v, 'batch-size', kind === 'dbm' ? 100 : 20);
  o.batchSize = batch;
  o.lr = numOpt(v, 'lr', kind === 'dbm' ? 0.005 : 0.05, 0, 1e6);
  o.weightDecay = v['weight-decay'] === undefined ? null : numOpt(v, 'weight-decay', 0, 0, 1e6);
  if (kind === 'rbm' || kind === 'dbn') {
    o.k = intOpt(v, 'k', 1);
    o.persistent = v.persistent === true;
    if (v.chains !== undefined && v.persistent !== true) throw new UsageError(`train ${kind}: --chains needs --persistent`);
    o.chains = v.persistent === true ? intOpt(v, 'chains', batch) : null;
  }
  if (kind === 'rbm' || kind === 'dbn' || kind === 'dbm') o.momentum = v.momentum === undefined ? null : numOpt(v, 'momentum', 0, 0, 1, true);
  if (kind === 'rbm') o.hidden = intOpt(v, 'hidden', 64);
  if (kind === 'dbn' || kind === 'dbm') o.layers = parseLayers(v, kind);
  if (kind === 'dbm') {
    o.chains = v.chains === undefined ? null : intOpt(v, 'chains', 100);
    o.gibbsSteps = v['gibbs-steps'] === undefined ? null : intOpt(v, 'gibbs-steps', 5);
    o.pretrainEpochs = intOpt(v, 'pretrain-epochs', 5, 0);
  }
  if (kind === 'bm') {
    o.hidden = intOpt(v, 'hidden', 0, 0);
    o.persistent = v.persistent === true;
    o.chains = v.chains === undefined ? null : intOpt(v, 'chains', 10);
    o.clampedSamples = v['clamped-samples'] === undefined ? null : intOpt(v, 'clamped-samples', 10);
    o.freeSamples = v['free-samples'] === undefined ? null : intOpt(v, 'free-samples', 100);
    o.gibbsSteps = v['gibbs-steps'] === undefined ? null : intOpt(v, 'gibbs-steps', 10);
  }
  return o as JsonObject;
}

const optNum = (x: JsonValue | undefined): number | undefined => (typeof x === 'number' ? x : undefined);

function cdOptions(o: JsonObject, rng: Random): ConstructorParameters<typeof ContrastiveDivergence>[1] {
  return {
    k: optNum(o.k),
    persistent: o.persistent === true,
    nChains: o.persistent === true ? optNum(o.chains) : undefined,
    batchSize: optNum(o.batchSize),
    learningRate: optNum(o.lr),
    momentum: optNum(o.momentum),
    weightDecay: optNum(o.weightDecay),
    rng,
  };
}

function gather(m: Matrix, idx: Uint32Array, buf: Float64Array): Matrix {
  const d = m.cols;
  for (let r = 0; r < idx.length; r++) {
    const src = (idx[r] as number) * d;
    buf.set(m.data.subarray(src, src + d), r * d);
  }
  return { rows: idx.length, cols: d, data: buf.subarray(0, idx.length * d) };
}

function rbmMetrics(rbm: RBM, monitor: Matrix, epoch: number): string {
  // Metrics draw from their own generator, so they never change the training run.
  const rec = rbm.reconstruct(monitor);
  let err = 0;
  for (let i = 0; i < rec.data.length; i++) {
    const d = (monitor.data[i] as number) - (rec.data[i] as number);
    err += d * d;
  }
  const pl = pseudoLikelihood(rbm, monitor, { rng: new Random(epoch) });
  let plMean = 0;
  for (let i = 0; i < pl.length; i++) plMean += (pl[i] as number) / pl.length;
  const fe = rbm.freeEnergy(monitor);
  let feMean = 0;
  for (let i = 0; i < fe.length; i++) feMean += (fe[i] as number) / fe.length;
  return `recon ${fmt(err / monitor.rows, 3)}  pseudo-LL ${fmt(plMean, 3)}  free energy ${fmt(feMean, 3)}`;
}

function rbmSession(cd: ContrastiveDivergence, data: Matrix, monitorRows: number, label: string): Session {
  const rbm = cd.model as RBM;
  const buf = new Float64Array(cd.batchSize * data.cols);
  const monitor: Matrix = { rows: Math.min(monitorRows, data.rows), cols: data.cols, data: data.data.subarray(0, Math.min(monitorRows, data.rows) * data.cols) };
  return {
    label: `${label}${cd.persistent ? 'PCD' : 'CD'}-${cd.k}, batch ${cd.batchSize}, lr ${typeof cd.learningRate === 'number' ? cd.learningRate : 'schedule'}`,
    batchSize: cd.batchSize,
    step: (idx) => cd.step(gather(data, idx, buf)),
    save: () => cd.toDocument(),
    metrics: () => rbmMetrics(rbm, monitor, cd.epoch),
    epochDone: (e) => {
      cd.epoch = e;
    },
  };
}

/** Builds the session of `st.stage`, from scratch or from the checkpoint `doc`. */
function makeSession(st: TrainState, data: Matrix, doc: ModelDocument | undefined, model: { dbn?: DBN }): Session {
  const o = st.options;
  const [initRng, trainRng] = new Random(st.seed).streams(2) as [Random, Random];
  const nV = data.cols;
  if (st.kind === 'rbm') {
    const cd = doc
      ? ContrastiveDivergence.fromDocument(doc, RBM.fromDocument)
      : new ContrastiveDivergence(new RBM(nV, optNum(o.hidden) ?? 64, { rng: initRng, data }), cdOptions(o, trainRng));
    return rbmSession(cd, data, st.monitor, `rbm ${nV}×${cd.model.nHidden}, `);
  }
  if (st.kind === 'dbn') {
    const layers = o.layers as number[];
    let dbn = model.dbn;
    if (dbn === undefined) {
      dbn = doc ? DBN.fromDocument(doc) : new DBN([nV, ...layers], { rng: initRng });
      model.dbn = dbn;
    }
    const k = st.stage;
    const input = k === 0 ? data : dbn.transform(data, { layer: k });
    const layer = dbn.layers[k] as RBM;
    const saved = (doc?.state as JsonObject | undefined)?.layerTraining as JsonObject | undefined;
    let cd: ContrastiveDivergence;
    if (saved && saved.stage === k) {
      cd = ContrastiveDivergence.fromDocument(layer.toDocument(saved.training as JsonObject), () => layer);
    } else {
      layer.initVisibleBias(input);
      cd = new ContrastiveDivergence(layer, cdOptions(o, trainRng.streams(k + 1)[k] as Random));
    }
    const s = rbmSession(cd, input, st.monitor, `dbn layer ${k + 1}/${dbn.depth} (${layer.nVisible}×${layer.nHidden}), `);
    const d = dbn;
    return {
      ...s,
      save: () => {
        const out = d.toDocument();
        out.state = { layerTraining: { stage: k, training: cd.saveState() } };
        return out;
      },
    };
  }
  if (st.kind === 'dbm') {
    let trainer: DBMTrainer;
    if (doc) trainer = DBMTrainer.fromDocument(doc);
    else {
      const dbm = new DBM([nV, ...(o.layers as number[])], { rng: initRng, data });
      trainer = new DBMTrainer(dbm, {
        learningRate: optNum(o.lr),
        momentum: optNum(o.momentum),
        weightDecay: optNum(o.weightDecay),
        batchSize: optNum(o.batchSize),
        nChains: optNum(o.chains),
        gibbsSteps: optNum(o.gibbsSteps),
        rng: trainRng,
      });
    }
    const dbm = trainer.model;
    const buf = new Float64Array(trainer.batchSize * nV);
    const monitor: Matrix = { rows: Math.min(st.monitor, data.rows), cols: nV, data: data.data.subarray(0, Math.min(st.monitor, data.rows) * nV) };
    return {
      label: `dbm ${dbm.sizes.join('×')}, ${trainer.nChains} fantasy particles, ${trainer.gibbsSteps} Gibbs sweeps, batch ${trainer.batchSize}`,
      batchSize: trainer.batchSize,
      step: (idx) => trainer.step(gather(data, idx, buf)),
      save: () => trainer.toDocument(),
      metrics: () => {
        // Mean-field reconstruction P(v | μ₁) = σ(W₀ μ₁ + b₀).
        const mu = dbm.meanField(monitor)[0] as Matrix;
        const w = dbm.weights[0] as Matrix, b = dbm.biases[0] as Float64Array, n1 = mu.cols;
        let err = 0;
        for (let r = 0; r < monitor.rows; r++) {
          for (let i = 0; i < nV; i++) {
            let a = b[i] as number;
            for (let j = 0; j < n1; j++) a += (w.data[i * n1 + j] as number) * (mu.data[r * n1 + j] as number);
            const d = (monitor.data[r * nV + i] as number) - sigmoid(a);
            err += d * d;
          }
        }
        return `recon ${fmt(err / monitor.rows, 3)}  lr ${fmt(trainer.currentLearningRate(), 5)}  ${trainer.steps} updates`;
      },
      epochDone: (e) => {
        trainer.epoch = e;
      },
    };
  }
  // bm
  const bm = doc ? BoltzmannMachine.fromDocument(doc) : new BoltzmannMachine({ nVisible: nV, nHidden: optNum(o.hidden) ?? 0, rng: initRng });
  const trainer = new BoltzmannMLTrainer(bm, {
    learningRate: optNum(o.lr),
    weightDecay: optNum(o.weightDecay),
    persistent: o.persistent === true,
    freeChains: optNum(o.chains),
    clampedSamples: optNum(o.clampedSamples),
    freeSamples: optNum(o.freeSamples),
    freeBurnIn: optNum(o.gibbsSteps),
    clampedBurnIn: optNum(o.gibbsSteps),
    batchSize: optNum(o.batchSize),
    exactLogLikelihood: false,
  });
  trainer.epoch = st.epoch;
  const monitor: Matrix = { rows: Math.min(st.monitor, data.rows), cols: nV, data: data.data.subarray(0, Math.min(st.monitor, data.rows) * nV) };
  let rms = Number.NaN;
  return {
    label: `bm ${nV} visible + ${bm.nHidden} hidden, batch ${optNum(o.batchSize)}, lr ${optNum(o.lr)}`,
    batchSize: optNum(o.batchSize) ?? 20,
    step: (idx) => {
      rms = trainer.step(data, undefined, idx);
    },
    save: () => bm.toDocument(),
    metrics: () => {
      const small = bm.nVisible + bm.nHidden <= 20;
      const ll = small ? `log-likelihood ${fmt(bm.exactLogLikelihood(monitor, undefined, { gradient: false }).logLikelihood, 4)} (exact)  ` : '';
      return `${ll}gradient rms ${fmt(rms, 5)}`;
    },
    epochDone: (e) => {
      trainer.epoch = e;
    },
  };
}

function withCli(doc: ModelDocument, st: TrainState): ModelDocument {
  doc.state = { ...(doc.state ?? {}), cli: st as unknown as JsonValue };
  return doc;
}

async function startTraining(kind: Kind, v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx);
  const options = trainOptions(kind, v);
  const epochs = intOpt(v, 'epochs', 10);
  const monitor = intOpt(v, 'monitor', 500);
  const data = load(spec, seed);
  if (kind === 'bm' && data.matrix.cols + (optNum(options.hidden) ?? 0) > 4096) {
    throw new UsageError(`train bm: a general Boltzmann machine here has at most 4096 units (got ${data.matrix.cols} visible); use rbm`);
  }
  const outPath = resolve(out);
  const ck = str(v, 'checkpoint');
  const st: TrainState = {
    command: 'train',
    kind,
    seed,
    stages: kind === 'dbn' ? (options.layers as number[]).length : 1,
    stage: 0,
    epochs,
    epoch: 0,
    batch: 0,
    orderRng: (new Random(seed).streams(3)[2] as Random).getState(),
    spec,
    out: outPath,
    checkpoint: ck !== undefined ? resolve(ck) : `${outPath.replace(/\.json$/i, '')}.checkpoint.json`,
    monitor,
    height: data.height ?? null,
    width: data.width ?? null,
    options,
  };
  const model: { dbn?: DBN } = {};
  const pre = optNum(options.pretrainEpochs) ?? 0;
  if (kind === 'dbm' && pre > 0) {
    // Greedy layer-wise pretraining (synchronous: Ctrl-C takes effect when it ends).
    if (v.quiet !== true) ctx.stderr.write(`pretraining the dbm layer by layer (${pre} epochs each; Ctrl-C takes effect after pretraining)\n`);
    const session = makeSession(st, data.matrix, undefined, model);
    const doc = session.save();
    const dbm = DBM.fromDocument(doc);
    pretrainDBM(dbm, data.matrix, {
      epochs: pre,
      trainer: { batchSize: optNum(options.batchSize) === 100 ? 20 : optNum(options.batchSize), learningRate: 0.05 },
      rng: new Random(seed).streams(5)[4],
    });
    const t = DBMTrainer.fromDocument(doc);
    for (let l = 0; l < dbm.weights.length; l++) (t.model.weights[l] as Matrix).data.set((dbm.weights[l] as Matrix).data);
    for (let l = 0; l < dbm.biases.length; l++) (t.model.biases[l] as Float64Array).set(dbm.biases[l] as Float64Array);
    return trainLoop(st, data, ctx, v.quiet === true, t.toDocument(), model, false);
  }
  return trainLoop(st, data, ctx, v.quiet === true, undefined, model, false);
}

async function resumeTraining(v: Values, ctx: CliContext, doc: ModelDocument): Promise<number> {
  const cli = (doc.state as JsonObject | undefined)?.cli as unknown as TrainState | undefined;
  if (cli === undefined || cli === null || cli.command !== 'train') {
    throw new FormatError('train --resume: the document has no command-line training state (state.cli); was it written by boltzmann train?');
  }
  if (!(['rbm', 'bm', 'dbn', 'dbm'] as string[]).includes(cli.kind)) throw new UsageError(`train --resume: a '${cli.kind}' model is not trained iteratively; nothing to resume`);
  for (const f of [...ALL_MODEL_FLAGS.filter((x) => !['epochs', 'monitor', 'checkpoint'].includes(x)), 'data', 'limit', 'binarize', 'threshold', 'seed', 'data-dir']) {
    if (v[f] !== undefined && f !== 'data-dir') throw new UsageError(`train --resume: --${f} is taken from the checkpoint and cannot be changed`);
  }
  const st: TrainState = { ...cli, spec: { ...cli.spec }, options: { ...cli.options } };
  if (v['data-dir'] !== undefined) st.spec.dataDir = dataDir(v, ctx);
  if (v.epochs !== undefined) {
    st.epochs = intOpt(v, 'epochs', st.epochs);
    if (st.stages === 1 && st.epochs < st.epoch) throw new UsageError(`train --resume: --epochs ${st.epochs} is less than the epochs already done (${st.epoch})`);
    if (st.stages > 1 && st.epochs < st.epoch) throw new UsageError(`train --resume: --epochs ${st.epochs} is less than the epochs already done in this layer (${st.epoch})`);
  }
  const out = str(v, 'out');
  if (out !== undefined) st.out = resolve(out);
  const ck = str(v, 'checkpoint');
  if (ck !== undefined) st.checkpoint = resolve(ck);
  if (v.monitor !== undefined) st.monitor = intOpt(v, 'monitor', 500);
  const data = load(st.spec, st.seed);
  return trainLoop(st, data, ctx, v.quiet === true, doc, {}, true);
}

async function trainLoop(st: TrainState, data: CliData, ctx: CliContext, quiet: boolean, doc: ModelDocument | undefined, model: { dbn?: DBN }, resumed: boolean): Promise<number> {
  const m = data.matrix, n = m.rows;
  if (st.stage >= st.stages) {
    if (!quiet) ctx.stderr.write('nothing to do: every layer is trained already\n');
    writeJson(st.out, withCli(doc ?? ({} as ModelDocument), st));
    return 0;
  }
  let session = makeSession(st, m, doc, model);
  const nb = Math.ceil(n / session.batchSize);
  if (!quiet) {
    ctx.stderr.write(
      `${resumed ? 'resuming' : 'training'} ${session.label} on ${data.description}: ${st.epochs} epochs` +
        `${st.stages > 1 ? ` per layer` : ''}${st.epoch > 0 || st.batch > 0 ? ` from epoch ${st.epoch + 1}, batch ${st.batch + 1}/${nb}` : ''}, seed ${st.seed}\n`,
    );
  }
  const total = st.stages * st.epochs * nb;
  const progress = new Progress(ctx.stderr, total, !quiet && ctx.stderr.isTTY === true);
  let orderRng = Random.fromState(st.orderRng);
  let lastYield = performance.now();
  while (st.stage < st.stages) {
    while (st.epoch < st.epochs) {
      const epochStart = orderRng.getState();
      const perm = orderRng.permutation(n);
      const t0 = performance.now();
      for (; st.batch < nb; st.batch++) {
        if (performance.now() - lastYield > 50) {
          // Let the event loop run, so that a Ctrl-C (SIGINT handler) can set the abort signal.
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
        if (ctx.signal?.aborted) {
          st.orderRng = epochStart;
          progress.clear();
          writeJson(st.checkpoint, withCli(session.save(), st));
          const where = `${st.stages > 1 ? `layer ${st.stage + 1}/${st.stages}, ` : ''}epoch ${st.epoch + 1}, batch ${st.batch}/${nb}`;
          ctx.stderr.write(`interrupted at ${where}; checkpoint written to ${st.checkpoint}\n`);
          ctx.stderr.write(`resume with: boltzmann train --resume ${st.checkpoint}\n`);
          throw new Interrupted('interrupted');
        }
        const start = st.batch * session.batchSize;
        session.step(perm.subarray(start, Math.min(n, start + session.batchSize)));
        ctx.onStep?.(st.stage * st.epochs * nb + st.epoch * nb + st.batch + 1);
        const label = `${st.stages > 1 ? `layer ${st.stage + 1}/${st.stages} ` : ''}epoch ${st.epoch + 1}/${st.epochs}`;
        progress.update(st.stage * st.epochs * nb + st.epoch * nb + st.batch + 1, label);
      }
      const seconds = (performance.now() - t0) / 1000;
      st.epoch++;
      st.batch = 0;
      session.epochDone(st.epoch);
      st.orderRng = orderRng.getState();
      if (!quiet) {
        const line = session.metrics();
        progress.clear();
        ctx.stdout.write(`${st.stages > 1 ? `layer ${st.stage + 1}/${st.stages} ` : ''}epoch ${st.epoch}/${st.epochs}  ${line}  ${seconds.toFixed(2)}s\n`);
      }
      orderRng = Random.fromState(st.orderRng);
    }
    if (st.stage + 1 >= st.stages) break;
    st.stage++;
    st.epoch = 0;
    session = makeSession(st, m, undefined, model);
    if (!quiet) {
      progress.clear();
      ctx.stderr.write(`training ${session.label}\n`);
    }
  }
  progress.clear();
  const final = session.save();
  st.stage = st.stages - 1;
  writeJson(st.out, withCli(final, st));
  if (!quiet) ctx.stderr.write(`wrote ${st.out}\n`);
  return 0;
}

async function trainHopfield(v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  const rule = oneOf<HopfieldRule>(v, 'rule', HOPFIELD_RULES, 'hebbian');
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx, 10);
  if (spec.binarize === 'none') throw new UsageError('train hopfield: patterns must be binary (--binarize threshold or sample)');
  const data = load(spec, seed);
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
  const net = HopfieldNetwork.fromPatterns(data.matrix, { rule, binary: true });
  const doc = net.toDocument();
  doc.state = {
    cli: { command: 'train', kind: 'hopfield', seed, spec: spec as unknown as JsonValue, height: data.height ?? null, width: data.width ?? null },
  };
  writeJson(resolve(out), doc);
  if (v.quiet !== true) {
    let stable = 0;
    const y = new Float64Array(net.dimension);
    for (let p = 0; p < data.matrix.rows; p++) {
      for (let i = 0; i < y.length; i++) y[i] = 2 * (data.matrix.data[p * y.length + i] as number) - 1;
      if (net.isFixedPoint(y)) stable++;
    }
    ctx.stdout.write(`stored ${data.matrix.rows} patterns of ${net.dimension} units (${rule}); ${stable}/${data.matrix.rows} are fixed points\n`);
    ctx.stderr.write(`wrote ${resolve(out)}\n`);
  }
  return 0;
}

// ───────────────────────────── load a model ─────────────────────────────

type Loaded =
  | { kind: 'rbm'; model: RBM; doc: ModelDocument }
  | { kind: 'hopfield'; model: HopfieldNetwork; doc: ModelDocument }
  | { kind: 'bm'; model: BoltzmannMachine; doc: ModelDocument }
  | { kind: 'dbn'; model: DBN; doc: ModelDocument }
  | { kind: 'dbm'; model: DBM; doc: ModelDocument };

function loadModel(path: string): Loaded {
  const doc = readDocument(path);
  switch (doc.kind) {
    case 'rbm':
      return { kind: 'rbm', model: RBM.fromDocument(doc), doc };
    case 'hopfield':
      return { kind: 'hopfield', model: HopfieldNetwork.fromDocument(doc), doc };
    case 'boltzmann-machine':
      return { kind: 'bm', model: BoltzmannMachine.fromDocument(doc), doc };
    case 'dbn':
      return { kind: 'dbn', model: DBN.fromDocument(doc), doc };
    case 'dbm':
      return { kind: 'dbm', model: DBM.fromDocument(doc), doc };
    default:
      throw new UsageError(`${path}: models of kind '${String(doc.kind)}' are not available in this build (available: rbm, hopfield, boltzmann-machine, dbn, dbm)`);
  }
}

function modelArg(cmd: string, positionals: string[]): string {
  const p = positionals[0];
  if (p === undefined) throw new UsageError(`${cmd}: which model file? (boltzmann ${cmd} <model.json>)`);
  if (positionals.length > 1) throw new UsageError(`${cmd}: unexpected argument '${positionals[1]}'`);
  return p;
}

function imageShape(v: Values, d: number, doc?: ModelDocument): [number, number] | undefined {
  const s = str(v, 'shape');
  if (s !== undefined) {
    const mm = /^(\d+)x(\d+)$/.exec(s);
    if (!mm || Number(mm[1]) * Number(mm[2]) !== d) throw new UsageError(`--shape must be HxW with H·W = ${d} (got ${JSON.stringify(s)})`);
    return [Number(mm[1]), Number(mm[2])];
  }
  const cli = (doc?.state as JsonObject | undefined)?.cli as JsonObject | undefined;
  if (cli && typeof cli.height === 'number' && typeof cli.width === 'number' && cli.height * cli.width === d) return [cli.height, cli.width];
  const side = Math.round(Math.sqrt(d));
  return side * side === d ? [side, side] : undefined;
}

/** Text pictures of 0/1 rows, side by side. */
function asciiPictures(rows: Float64Array[], shape: [number, number] | undefined, titles?: string[]): string {
  const d = rows[0]?.length ?? 0;
  const [h, w] = shape ?? [1, d];
  const lines: string[] = [];
  if (titles) lines.push(titles.map((t) => t.slice(0, w).padEnd(w)).join('  '));
  for (let r = 0; r < h; r++) {
    lines.push(rows.map((x) => Array.from(x.subarray(r * w, (r + 1) * w), (b) => (b >= 0.5 ? '█' : '·')).join('')).join('  '));
  }
  return `${lines.join('\n')}\n`;
}

function writePicture(path: string, rows: Float64Array[], shape: [number, number] | undefined, columns?: number): void {
  if (!shape) throw new UsageError('cannot draw pictures: the rows are not square; give --shape HxW');
  const d = shape[0] * shape[1];
  const data = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) data.set(rows[i] as Float64Array, i * d);
  writePng(path, tileImages({ rows: rows.length, cols: d, data }, { height: shape[0], width: shape[1], scale: 4, range: [0, 1], columns }));
}

// ───────────────────────────── sample ─────────────────────────────

async function sample(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('sample', args, {
    n: { type: 'string' },
    steps: { type: 'string' },
    temperature: { type: 'string' },
    seed: { type: 'string' },
    shape: { type: 'string' },
    out: { type: 'string' },
  });
  if (v.help) {
    ctx.stdout.write(`${HELP.sample}\n`);
    return 0;
  }
  const path = modelArg('sample', positionals);
  const n = intOpt(v, 'n', 16);
  const steps = intOpt(v, 'steps', 1000, 0);
  const seed = intOpt(v, 'seed', 0, 0);
  const temperature = numOpt(v, 'temperature', 1, Number.MIN_VALUE, 1e300);
  const out = str(v, 'out');
  const lm = loadModel(path);
  const rng = new Random(seed);
  const rows: Float64Array[] = [];
  if (v.temperature !== undefined && lm.kind !== 'hopfield') throw new UsageError('sample: --temperature applies to hopfield models only');
  const pushRows = (s: Matrix, cols: number): void => {
    for (let r = 0; r < s.rows; r++) rows.push(s.data.slice(r * s.cols, r * s.cols + cols));
  };
  if (lm.kind === 'rbm') {
    const nV = lm.model.nVisible;
    const start = new Float64Array(n * nV);
    for (let i = 0; i < start.length; i++) start[i] = rng.float64() < 0.5 ? 1 : 0;
    pushRows(lm.model.gibbs({ rows: n, cols: nV, data: start }, steps, rng), nV);
  } else if (lm.kind === 'dbn') {
    pushRows(lm.model.generate(n, { gibbsSteps: steps, meanField: false }, rng), lm.model.nVisible);
  } else if (lm.kind === 'dbm') {
    pushRows(lm.model.sample(n, { steps, meanField: false }, rng), lm.model.nVisible);
  } else if (lm.kind === 'bm') {
    lm.model.rng = rng;
    pushRows(lm.model.sample({ nChains: n, nSamples: 1, burnIn: steps }), lm.model.nVisible);
  } else {
    const d = lm.model.dimension;
    for (let r = 0; r < n; r++) {
      const init = new Float64Array(d);
      for (let i = 0; i < d; i++) init[i] = rng.float64() < 0.5 ? 1 : -1;
      const g = lm.model.gibbs({ temperature, rng: rng.split(), initial: init });
      for (let t = 0; t < steps; t++) {
        if (ctx.signal?.aborted) throw new Interrupted('interrupted');
        g.step();
      }
      rows.push(Float64Array.from(g.state, (y) => (y > 0 ? 1 : 0)));
    }
  }
  const d = rows[0]?.length ?? 0;
  const shape = imageShape(v, d, lm.doc);
  if (out === undefined) {
    for (const x of rows) ctx.stdout.write(`${asciiPictures([x], shape)}\n`);
  } else if (/\.png$/i.test(out)) {
    writePicture(resolve(out), rows, shape);
    ctx.stderr.write(`wrote ${n} samples to ${resolve(out)}\n`);
  } else if (/\.json$/i.test(out)) {
    writeJson(resolve(out), { samples: rows.map((x) => Array.from(x)), shape: shape ?? null, steps, seed });
    ctx.stderr.write(`wrote ${n} samples to ${resolve(out)}\n`);
  } else {
    throw new UsageError(`sample: --out must end in .png or .json (got ${JSON.stringify(out)})`);
  }
  return 0;
}

// ───────────────────────────── eval ─────────────────────────────

/** The AIS schedule: Salakhutdinov & Murray's 500 / 4000 / 10000 split scaled to --ais-steps. */
function aisBetas(v: Values): Float64Array {
  const total = intOpt(v, 'ais-steps', 14500, 3);
  const a = Math.max(1, Math.round((total * 500) / 14500)), b = Math.max(1, Math.round((total * 4000) / 14500));
  return aisSchedule(a, b, Math.max(1, total - a - b));
}

async function evaluate(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('eval', args, {
    ...DATA_OPTS,
    seed: { type: 'string' },
    runs: { type: 'string' },
    'ais-steps': { type: 'string' },
    exact: { type: 'boolean' },
    noise: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (v.help) {
    ctx.stdout.write(`${HELP.eval}\n`);
    return 0;
  }
  const path = modelArg('eval', positionals);
  const seed = intOpt(v, 'seed', 0, 0);
  const spec = dataSpec(v, ctx);
  const lm = loadModel(path);
  const data = load(spec, seed);
  const result: Record<string, number | string> = {};
  if (lm.kind === 'rbm') {
    const rbm = lm.model;
    if (data.matrix.cols !== rbm.nVisible) throw new FormatError(`eval: the data has ${data.matrix.cols} columns but the model has ${rbm.nVisible} visible units`);
    const small = Math.min(rbm.nVisible, rbm.nHidden) <= RBM_EXACT_MAX_UNITS;
    if (v.exact === true && !small) {
      throw new UsageError(`eval --exact: needs min(nVisible, nHidden) ≤ ${RBM_EXACT_MAX_UNITS} (got ${rbm.nVisible}×${rbm.nHidden}); drop --exact to use AIS`);
    }
    if (small && v.runs === undefined && v['ais-steps'] === undefined) {
      const logZ = rbmExactLogPartition(rbm);
      const ll = averageLogLikelihood(rbm, data.matrix, logZ);
      Object.assign(result, { method: 'exact', logZ, logLikelihood: ll.mean, rows: data.matrix.rows });
      if (v.json !== true) ctx.stdout.write(`log Z = ${fmt(logZ, 6)} (exact)\naverage log-likelihood = ${fmt(ll.mean, 6)} nats over ${data.matrix.rows} rows\n`);
    } else {
      const runs = intOpt(v, 'runs', 100);
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      ctx.signal?.addEventListener('abort', onAbort);
      let ais: ReturnType<typeof rbmAIS>;
      try {
        ais = rbmAIS(rbm, { base: data.matrix, betas: aisBetas(v), runs, rng: seed, signal: controller.signal });
      } finally {
        ctx.signal?.removeEventListener('abort', onAbort);
      }
      if (ctx.signal?.aborted) throw new Interrupted('interrupted');
      const ll = averageLogLikelihood(rbm, data.matrix, ais);
      Object.assign(result, {
        method: 'ais',
        logZ: ais.logZ,
        logZLower: ais.logZLower,
        logZUpper: ais.logZUpper,
        effectiveSampleSize: ais.effectiveSampleSize,
        runs,
        steps: ais.steps,
        logLikelihood: ll.mean,
        logLikelihoodLower: ll.lower,
        logLikelihoodUpper: ll.upper,
        rows: data.matrix.rows,
      });
      if (v.json !== true) {
        ctx.stdout.write(
          `log Z = ${fmt(ais.logZ, 4)} [${fmt(ais.logZLower, 4)}, ${fmt(ais.logZUpper, 4)}] (AIS, ${runs} runs × ${ais.steps} steps, ESS ${fmt(ais.effectiveSampleSize, 1)})\n` +
            `average log-likelihood = ${fmt(ll.mean, 4)} [${fmt(ll.lower, 4)}, ${fmt(ll.upper, 4)}] nats over ${data.matrix.rows} rows\n`,
        );
      }
    }
  } else if (lm.kind === 'bm' || lm.kind === 'dbn' || lm.kind === 'dbm') {
    const nV = lm.model.nVisible;
    if (data.matrix.cols !== nV) throw new FormatError(`eval: the data has ${data.matrix.cols} columns but the model has ${nV} visible units`);
    const report = (method: string, ll: number, extra: Record<string, number> = {}): void => {
      Object.assign(result, { method, logLikelihood: ll, rows: data.matrix.rows, ...extra });
      if (v.json !== true) ctx.stdout.write(`average log-likelihood = ${fmt(ll, 6)} nats over ${data.matrix.rows} rows (${method})\n`);
    };
    const mean = (x: Float64Array): number => x.reduce((a, b) => a + b, 0) / x.length;
    if (lm.kind === 'bm') {
      const bm = lm.model;
      if (bm.nVisible + bm.nHidden > 20) {
        throw new UsageError(`eval: the exact log-likelihood of a Boltzmann machine needs ≤ 20 visible + hidden units (got ${bm.nVisible + bm.nHidden}); no AIS for general machines in this build`);
      }
      report('exact', bm.exactLogLikelihood(data.matrix, undefined, { gradient: false }).logLikelihood);
    } else if (lm.kind === 'dbn') {
      let ll: Float64Array;
      try {
        ll = lm.model.exactLogLikelihood(data.matrix);
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(`eval: ${e.message}`);
        throw e;
      }
      report('exact', mean(ll));
    } else {
      const dbm = lm.model;
      let done = false;
      if (v.runs === undefined && v['ais-steps'] === undefined) {
        try {
          const logZ = dbmExactLogPartition(dbm);
          report('exact', mean(dbmExactLogLikelihood(dbm, data.matrix, logZ)), { logZ });
          done = true;
        } catch (e) {
          if (!(e instanceof RangeError) || v.exact === true) throw v.exact === true ? new UsageError(`eval --exact: ${(e as Error).message}`) : e;
        }
      }
      if (!done) {
        const runs = intOpt(v, 'runs', 100);
        const ais = dbmAIS(dbm, { base: data.matrix, betas: aisBetas(v), runs, rng: seed });
        const bound = dbmVariationalBound(dbm, data.matrix, ais);
        Object.assign(result, { method: 'ais+variational', logZ: ais.logZ, logZLower: ais.logZLower, logZUpper: ais.logZUpper, logLikelihoodBound: bound.mean, rows: data.matrix.rows });
        if (v.json !== true) {
          ctx.stdout.write(
            `log Z = ${fmt(ais.logZ, 4)} [${fmt(ais.logZLower, 4)}, ${fmt(ais.logZUpper, 4)}] (AIS, ${runs} runs × ${ais.steps} steps)\n` +
              `variational lower bound on the average log-likelihood = ${fmt(bound.mean, 4)} [${fmt(bound.lower, 4)}, ${fmt(bound.upper, 4)}] nats over ${data.matrix.rows} rows\n`,
          );
        }
      }
    }
  } else {
    const net = lm.model, n = net.dimension;
    if (data.matrix.cols !== n) throw new FormatError(`eval: the data has ${data.matrix.cols} columns but the network has ${n} units`);
    const noise = numOpt(v, 'noise', 0.1, 0, 1);
    const rng = new Random(seed);
    let stable = 0, overlap = 0, exact = 0;
    const y = new Float64Array(n);
    for (let p = 0; p < data.matrix.rows; p++) {
      for (let i = 0; i < n; i++) y[i] = 2 * (data.matrix.data[p * n + i] as number) - 1;
      if (net.isFixedPoint(y)) stable++;
      const cue = y.slice();
      for (let i = 0; i < n; i++) if (rng.float64() < noise) cue[i] = -(cue[i] as number);
      const r = net.evolve(cue, { maxSweeps: 100 });
      let o = 0;
      for (let i = 0; i < n; i++) o += (r.state[i] as number) * (y[i] as number);
      overlap += o / n / data.matrix.rows;
      if (o === n) exact++;
    }
    Object.assign(result, { method: 'hopfield', rows: data.matrix.rows, fixedPoints: stable, meanOverlap: overlap, exactRecalls: exact, noise });
    if (v.json !== true) {
      ctx.stdout.write(
        `fixed points: ${stable}/${data.matrix.rows}\nrecall from ${noise * 100}% noise: mean overlap ${fmt(overlap, 4)}, exact ${exact}/${data.matrix.rows}\n`,
      );
    }
  }
  if (v.json === true) ctx.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

// ───────────────────────────── recall ─────────────────────────────

async function recall(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('recall', args, {
    ...DATA_OPTS,
    index: { type: 'string' },
    noise: { type: 'string' },
    mask: { type: 'string' },
    order: { type: 'string' },
    'max-sweeps': { type: 'string' },
    seed: { type: 'string' },
    shape: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (v.help) {
    ctx.stdout.write(`${HELP.recall}\n`);
    return 0;
  }
  const path = modelArg('recall', positionals);
  const seed = intOpt(v, 'seed', 0, 0);
  const index = intOpt(v, 'index', 0, 0);
  const noise = numOpt(v, 'noise', 0.2, 0, 1);
  const mask = oneOf(v, 'mask', ['none', 'top', 'bottom', 'left', 'right'] as const, 'none');
  const order = oneOf(v, 'order', ['sequential', 'random'] as const, 'sequential');
  const maxSweeps = intOpt(v, 'max-sweeps', 100);
  const spec = dataSpec(v, ctx);
  if (spec.limit !== null && index >= spec.limit) throw new UsageError(`recall: --index ${index} is beyond --limit ${spec.limit}`);
  const lm = loadModel(path);
  if (lm.kind !== 'hopfield') throw new UsageError(`recall: needs a hopfield model (got '${lm.kind}'); for RBMs use sample`);
  const net = lm.model, n = net.dimension;
  const data = load({ ...spec, limit: Math.max(spec.limit ?? 0, index + 1) }, seed);
  if (data.matrix.cols !== n) throw new FormatError(`recall: the data has ${data.matrix.cols} columns but the network has ${n} units`);
  if (index >= data.matrix.rows) throw new UsageError(`recall: --index ${index} is out of range (the data has ${data.matrix.rows} rows)`);
  const shape = imageShape(v, n, lm.doc);
  if (mask !== 'none' && !shape) throw new UsageError('recall: --mask needs pictures (square rows or --shape HxW)');
  const rng = new Random(seed);
  const original = Float64Array.from(data.matrix.data.subarray(index * n, (index + 1) * n), (x) => 2 * x - 1);
  const cue = original.slice();
  for (let i = 0; i < n; i++) if (rng.float64() < noise) cue[i] = -(cue[i] as number);
  if (mask !== 'none' && shape) {
    const [h, w] = shape;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const hide = mask === 'top' ? r < h / 2 : mask === 'bottom' ? r >= h / 2 : mask === 'left' ? c < w / 2 : c >= w / 2;
        if (hide) cue[r * w + c] = -1;
      }
    }
  }
  const res = net.evolve(cue, { order, rng: rng.split(), maxSweeps });
  const overlap = (x: Float64Array): number => {
    let o = 0;
    for (let i = 0; i < n; i++) o += (x[i] as number) * (original[i] as number);
    return o / n;
  };
  const oCue = overlap(cue), oRes = overlap(res.state);
  const toBits = (x: Float64Array): Float64Array => Float64Array.from(x, (y) => (y > 0 ? 1 : 0));
  if (v.json === true) {
    ctx.stdout.write(
      `${JSON.stringify({ index, cueOverlap: oCue, overlap: oRes, restored: oRes === 1, converged: res.converged, sweeps: res.sweeps, flips: res.flips, state: Array.from(toBits(res.state)) })}\n`,
    );
  } else {
    if (shape && out(v) === undefined) ctx.stdout.write(asciiPictures([toBits(original), toBits(cue), toBits(res.state)], shape, ['original', 'cue', 'restored']));
    ctx.stdout.write(
      `cue overlap ${fmt(oCue, 4)} → restored overlap ${fmt(oRes, 4)}${oRes === 1 ? ' (exact)' : ''}; ` +
        `${res.converged ? 'converged' : 'not converged'} after ${res.sweeps} sweeps, ${res.flips} flips\n`,
    );
  }
  const o = out(v);
  if (o !== undefined) {
    if (!/\.png$/i.test(o)) throw new UsageError(`recall: --out must end in .png (got ${JSON.stringify(o)})`);
    writePicture(resolve(o), [toBits(original), toBits(cue), toBits(res.state)], shape, 3);
    ctx.stderr.write(`wrote ${resolve(o)}\n`);
  }
  return 0;
}

function out(v: Values): string | undefined {
  return str(v, 'out');
}

// ───────────────────────────── info ─────────────────────────────

async function info(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('info', args, { json: { type: 'boolean' } });
  if (v.help) {
    ctx.stdout.write(`${HELP.info}\n`);
    return 0;
  }
  const path = modelArg('info', positionals);
  const doc = readDocument(path);
  const tensors: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(doc.tensors ?? {})) tensors[name] = Array.isArray(t?.shape) ? t.shape : [];
  const state = (doc.state ?? {}) as JsonObject;
  const training = state.training as JsonObject | undefined;
  const cli = state.cli as JsonObject | undefined;
  const summary = {
    file: resolve(path),
    kind: doc.kind,
    version: doc.version,
    config: doc.config,
    tensors,
    parameters: Object.values(tensors).reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0),
    training: training ? { epoch: training.epoch ?? null, steps: training.steps ?? null, options: training.options ?? null } : null,
    resumable: cli?.command === 'train' && cli.kind !== 'hopfield',
    data: cli?.spec ?? null,
  };
  if (v.json === true) {
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `file:       ${summary.file}`,
    `kind:       ${summary.kind} (document version ${summary.version})`,
    `config:     ${JSON.stringify(summary.config)}`,
    'tensors:',
    ...Object.entries(tensors).map(([k, s]) => `  ${k.padEnd(14)} [${s.join(', ')}]`),
    `parameters: ${summary.parameters}`,
  ];
  if (summary.training) {
    lines.push(`training:   epoch ${String(summary.training.epoch)}, ${String(summary.training.steps)} steps, options ${JSON.stringify(summary.training.options)}`);
  }
  if (summary.data) lines.push(`data:       ${JSON.stringify(summary.data)}`);
  if (summary.resumable) lines.push(`resume:     boltzmann train --resume ${path} --epochs <total>`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

// ───────────────────────────── entry ─────────────────────────────

function version(): string {
  try {
    const here = dirname(new URL(import.meta.url).pathname);
    for (const p of [resolve(here, '../package.json'), resolve(here, '../../package.json')]) {
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
 * @param context - streams, abort signal (Ctrl-C) and environment; default the process's
 * @returns the exit code
 * @example
 * ```ts
 * import { runCli } from 'boltzmann/node';
 * const code = await runCli(['info', 'model.json']);
 * ```
 */
export async function runCli(argv: readonly string[], context?: Partial<CliContext>): Promise<number> {
  const ctx: CliContext = {
    stdout: context?.stdout ?? process.stdout,
    stderr: context?.stderr ?? process.stderr,
    signal: context?.signal,
    env: context?.env ?? process.env,
    onStep: context?.onStep,
  };
  const args = argv.slice();
  const debug = args.includes('--debug');
  try {
    const cmd = args.shift();
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      const topic = cmd === 'help' ? args[0] : undefined;
      ctx.stdout.write(`${topic !== undefined && Object.hasOwn(HELP, topic) ? HELP[topic] : MAIN_HELP}\n`);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v') {
      ctx.stdout.write(`${version()}\n`);
      return 0;
    }
    switch (cmd) {
      case 'train':
        return await train(args, ctx);
      case 'sample':
        return await sample(args, ctx);
      case 'eval':
        return await evaluate(args, ctx);
      case 'recall':
        return await recall(args, ctx);
      case 'info':
        return await info(args, ctx);
      default:
        throw new UsageError(`unknown command '${cmd}' (train, sample, eval, recall, info; see boltzmann --help)`);
    }
  } catch (e) {
    if (e instanceof Interrupted) return 130;
    const err = e as Error;
    const usage = err instanceof UsageError;
    const msg = String(err?.message ?? err).split('\n')[0];
    ctx.stderr.write(`boltzmann: ${usage ? 'usage error: ' : 'error: '}${msg}\n`);
    if (debug && err?.stack) ctx.stderr.write(`${err.stack}\n`);
    else if (usage) ctx.stderr.write('(see boltzmann --help)\n');
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
