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
import { aisSchedule, averageLogLikelihood, rbmAIS } from '../eval/ais.js';
import { pseudoLikelihood } from '../eval/pseudo-likelihood.js';
import { RBM_EXACT_MAX_UNITS, rbmExactLogPartition } from '../eval/rbm-exact.js';
import type { JsonObject, JsonValue, ModelDocument } from '../io/document.js';
import { tileImages } from '../io/image.js';
import type { Matrix } from '../linalg/matrix.js';
import { HopfieldNetwork } from '../models/hopfield.js';
import { RBM } from '../models/rbm.js';
import { Random, type RandomState } from '../random/random.js';
import { ContrastiveDivergence } from '../train/contrastive-divergence.js';
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
const DOC_KINDS: Record<Kind, string> = { rbm: 'rbm', hopfield: 'hopfield', bm: 'boltzmann-machine', dbn: 'dbn', dbm: 'dbm' };

const MAIN_HELP = `boltzmann — energy-based models from the command line

Usage: boltzmann <command> [options]

Commands:
  train <rbm|hopfield|bm|dbn|dbm>  train a model on data and save it as JSON
  sample <model.json>              draw samples (RBM dreams, Hopfield Gibbs samples)
  eval <model.json>                log-likelihood (RBM: exact when small, else AIS); Hopfield recall quality
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

bm, dbn, dbm: not available in this build (exit code 2).

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
}

const TRAIN_OPTS = {
  ...DATA_OPTS,
  seed: { type: 'string' },
  out: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'string' },
  quiet: { type: 'boolean' },
  hidden: { type: 'string' },
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
} as const;

async function train(args: string[], ctx: CliContext): Promise<number> {
  const { values: v, positionals } = parse('train', args, TRAIN_OPTS);
  if (v.help) {
    ctx.stdout.write(`${HELP.train}\n`);
    return 0;
  }
  const resume = str(v, 'resume');
  if (resume !== undefined) return trainRbm(v, ctx, readDocument(resume), positionals);
  const kind = positionals[0];
  if (kind === undefined) throw new UsageError(`train: which model? (one of ${KINDS.join(', ')}); see boltzmann train --help`);
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`train: unknown model '${kind}' (one of ${KINDS.join(', ')})`);
  if (positionals.length > 1) throw new UsageError(`train: unexpected argument '${positionals[1]}'`);
  if (kind === 'rbm') return trainRbm(v, ctx, undefined, positionals);
  if (kind === 'hopfield') return trainHopfield(v, ctx);
  throw new UsageError(`train ${kind}: not available in this build (the ${kind} model has not landed yet); available: rbm, hopfield`);
}

function checkpointState(cli: TrainState, cd: ContrastiveDivergence): ModelDocument {
  const doc = cd.toDocument();
  doc.state = { ...(doc.state ?? {}), cli: cli as unknown as JsonValue };
  return doc;
}

function rbmFlagsOnResume(v: Values): void {
  for (const f of ['hidden', 'batch-size', 'lr', 'k', 'persistent', 'chains', 'momentum', 'weight-decay', 'data', 'limit', 'binarize', 'threshold', 'seed']) {
    if (v[f] !== undefined) throw new UsageError(`train --resume: --${f} is taken from the checkpoint and cannot be changed`);
  }
}

async function trainRbm(v: Values, ctx: CliContext, resumeDoc: ModelDocument | undefined, positionals: string[]): Promise<number> {
  let cd: ContrastiveDivergence;
  let st: TrainState;
  let data: CliData;
  if (resumeDoc !== undefined) {
    if (positionals.length > 0 && positionals[0] !== 'rbm') {
      if (positionals[0] !== undefined && (KINDS as readonly string[]).includes(positionals[0])) {
        throw new UsageError(`train --resume: resuming ${positionals[0]} is not available in this build (only rbm trains iteratively)`);
      }
      throw new UsageError(`train --resume: unexpected argument '${positionals[0]}'`);
    }
    if (resumeDoc.kind !== 'rbm') throw new UsageError(`train --resume: only rbm checkpoints can be resumed (got a '${resumeDoc.kind}' document)`);
    rbmFlagsOnResume(v);
    const cli = (resumeDoc.state as JsonObject | undefined)?.cli as unknown as TrainState | undefined;
    if (cli === undefined || cli === null || cli.command !== 'train') {
      throw new FormatError('train --resume: the document has no command-line training state (state.cli); was it written by boltzmann train?');
    }
    cd = ContrastiveDivergence.fromDocument(resumeDoc, RBM.fromDocument);
    st = { ...cli, spec: { ...cli.spec } };
    if (v.epochs !== undefined) st.epochs = intOpt(v, 'epochs', st.epochs);
    if (st.epochs < st.epoch) throw new UsageError(`train --resume: --epochs ${st.epochs} is less than the epochs already done (${st.epoch})`);
    const out = str(v, 'out');
    if (out !== undefined) st.out = resolve(out);
    const ck = str(v, 'checkpoint');
    if (ck !== undefined) st.checkpoint = resolve(ck);
    if (v.monitor !== undefined) st.monitor = intOpt(v, 'monitor', 500);
    data = load(st.spec, st.seed);
    if (data.matrix.cols !== cd.model.nVisible) {
      throw new FormatError(`train --resume: the data has ${data.matrix.cols} columns but the model has ${cd.model.nVisible} visible units`);
    }
  } else {
    const out = str(v, 'out');
    if (out === undefined) throw new UsageError('train: --out <model.json> is required');
    if (v.rule !== undefined) throw new UsageError('train rbm: --rule applies to hopfield only');
    const seed = intOpt(v, 'seed', 0, 0);
    const spec = dataSpec(v, ctx);
    const hidden = intOpt(v, 'hidden', 64);
    const epochs = intOpt(v, 'epochs', 10);
    const batchSize = intOpt(v, 'batch-size', 20);
    const lr = numOpt(v, 'lr', 0.05, 0, 1e6);
    const k = intOpt(v, 'k', 1);
    const persistent = v.persistent === true;
    if (v.chains !== undefined && !persistent) throw new UsageError('train rbm: --chains needs --persistent');
    const chains = persistent ? intOpt(v, 'chains', batchSize) : undefined;
    const momentum = numOpt(v, 'momentum', 0, 0, 1, true);
    const weightDecay = numOpt(v, 'weight-decay', 0, 0, 1e6);
    const monitor = intOpt(v, 'monitor', 500);
    data = load(spec, seed);
    const [initRng, trainRng, orderRng] = new Random(seed).streams(3) as [Random, Random, Random];
    const rbm = new RBM(data.matrix.cols, hidden, { rng: initRng, data: data.matrix });
    cd = new ContrastiveDivergence(rbm, { k, persistent, nChains: chains, batchSize, learningRate: lr, momentum, weightDecay, rng: trainRng });
    const outPath = resolve(out);
    st = {
      command: 'train',
      kind: 'rbm',
      seed,
      epochs,
      epoch: 0,
      batch: 0,
      orderRng: orderRng.getState(),
      spec,
      out: outPath,
      checkpoint: str(v, 'checkpoint') !== undefined ? resolve(str(v, 'checkpoint') as string) : `${outPath.replace(/\.json$/i, '')}.checkpoint.json`,
      monitor,
      height: data.height ?? null,
      width: data.width ?? null,
    };
  }
  const quiet = v.quiet === true;
  const rbm = cd.model as RBM;
  const m = data.matrix, n = m.rows, nV = m.cols, bs = cd.batchSize;
  const nb = Math.ceil(n / bs);
  if (!quiet) {
    ctx.stderr.write(
      `${resumeDoc ? 'resuming' : 'training'} rbm ${nV}×${rbm.nHidden} on ${data.description}: ` +
        `${cd.persistent ? 'PCD' : 'CD'}-${cd.k}, batch ${bs}, lr ${typeof cd.learningRate === 'number' ? cd.learningRate : 'schedule'}, ` +
        `${st.epochs} epochs${st.epoch > 0 || st.batch > 0 ? ` from epoch ${st.epoch + 1}, batch ${st.batch + 1}/${nb}` : ''}, seed ${st.seed}\n`,
    );
  }
  const monRows = Math.min(st.monitor, n);
  const monitor: Matrix = { rows: monRows, cols: nV, data: m.data.subarray(0, monRows * nV) };
  const buf = new Float64Array(bs * nV);
  const progress = new Progress(ctx.stderr, st.epochs * nb, !quiet && ctx.stderr.isTTY === true);
  let orderRng = Random.fromState(st.orderRng);
  let lastYield = performance.now();
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
        writeJson(st.checkpoint, checkpointState(st, cd));
        ctx.stderr.write(`interrupted at epoch ${st.epoch + 1}, batch ${st.batch}/${nb}; checkpoint written to ${st.checkpoint}\n`);
        ctx.stderr.write(`resume with: boltzmann train --resume ${st.checkpoint}\n`);
        throw new Interrupted('interrupted');
      }
      const start = st.batch * bs, rows = Math.min(bs, n - start);
      for (let r = 0; r < rows; r++) {
        const src = (perm[start + r] as number) * nV;
        buf.set(m.data.subarray(src, src + nV), r * nV);
      }
      cd.step({ rows, cols: nV, data: buf.subarray(0, rows * nV) });
      ctx.onStep?.(cd.steps);
      progress.update(st.epoch * nb + st.batch + 1, `epoch ${st.epoch + 1}/${st.epochs}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    st.epoch++;
    st.batch = 0;
    cd.epoch = st.epoch;
    st.orderRng = orderRng.getState();
    if (!quiet) {
      // Metrics draw from their own generator, so they never change the training run.
      const rec = rbm.reconstruct(monitor);
      let err = 0;
      for (let i = 0; i < rec.data.length; i++) {
        const d = (monitor.data[i] as number) - (rec.data[i] as number);
        err += d * d;
      }
      const pl = pseudoLikelihood(rbm, monitor, { rng: new Random(st.epoch) });
      let plMean = 0;
      for (let i = 0; i < pl.length; i++) plMean += (pl[i] as number) / pl.length;
      const fe = rbm.freeEnergy(monitor);
      let feMean = 0;
      for (let i = 0; i < fe.length; i++) feMean += (fe[i] as number) / fe.length;
      progress.clear();
      ctx.stdout.write(
        `epoch ${st.epoch}/${st.epochs}  recon ${fmt(err / monRows, 3)}  pseudo-LL ${fmt(plMean, 3)}  free energy ${fmt(feMean, 3)}  ${seconds.toFixed(2)}s\n`,
      );
    }
    orderRng = Random.fromState(st.orderRng);
  }
  progress.clear();
  writeJson(st.out, checkpointState(st, cd));
  if (!quiet) ctx.stderr.write(`wrote ${st.out}\n`);
  return 0;
}

async function trainHopfield(v: Values, ctx: CliContext): Promise<number> {
  const out = str(v, 'out');
  if (out === undefined) throw new UsageError('train: --out <model.json> is required');
  for (const f of ['hidden', 'epochs', 'batch-size', 'lr', 'k', 'persistent', 'chains', 'momentum', 'weight-decay', 'monitor', 'checkpoint']) {
    if (v[f] !== undefined) throw new UsageError(`train hopfield: --${f} applies to rbm only`);
  }
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

type Loaded = { kind: 'rbm'; model: RBM; doc: ModelDocument } | { kind: 'hopfield'; model: HopfieldNetwork; doc: ModelDocument };

function loadModel(path: string): Loaded {
  const doc = readDocument(path);
  if (doc.kind === 'rbm') return { kind: 'rbm', model: RBM.fromDocument(doc), doc };
  if (doc.kind === 'hopfield') return { kind: 'hopfield', model: HopfieldNetwork.fromDocument(doc), doc };
  throw new UsageError(`${path}: models of kind '${String(doc.kind)}' are not available in this build (available: rbm, hopfield)`);
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
  rows.forEach((x, i) => data.set(x, i * d));
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
  if (lm.kind === 'rbm') {
    if (v.temperature !== undefined) throw new UsageError('sample: --temperature applies to hopfield models only');
    const nV = lm.model.nVisible;
    const start = new Float64Array(n * nV);
    for (let i = 0; i < start.length; i++) start[i] = rng.float64() < 0.5 ? 1 : 0;
    const s = lm.model.gibbs({ rows: n, cols: nV, data: start }, steps, rng);
    for (let r = 0; r < n; r++) rows.push(s.data.slice(r * nV, (r + 1) * nV));
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
      const total = intOpt(v, 'ais-steps', 14500, 3);
      // Scale Salakhutdinov & Murray's 500 / 4000 / 10000 split to the requested total.
      const a = Math.max(1, Math.round((total * 500) / 14500)), b = Math.max(1, Math.round((total * 4000) / 14500));
      const c = Math.max(1, total - a - b);
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      ctx.signal?.addEventListener('abort', onAbort);
      let ais: ReturnType<typeof rbmAIS>;
      try {
        ais = rbmAIS(rbm, { base: data.matrix, betas: aisSchedule(a, b, c), runs, rng: seed, signal: controller.signal });
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
    resumable: cli?.command === 'train' && training !== undefined,
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
