/**
 * The iterative training loop of `train`: epochs of shuffled mini-batches
 * over the stages of a {@link TrainingPlan}, per-epoch lines, a progress bar,
 * and a checkpoint on Ctrl-C from which `train --resume` continues
 * bit-exactly (the data order is redrawn from the generator state saved at
 * the start of the epoch).
 * @module
 */
import { withThreads } from '../../../linalg/kernel.js';
import type { JsonObject, JsonValue, ModelDocument } from '../../../document.js';
import { FormatError } from '../../../errors.js';
import type { KindOptionValues, TrainingPlan, TrainingStage } from '../../../io/registry.js';
import { Random, type RandomState } from '../../../random/random.js';
import { type CliContext, Interrupted } from '../context.js';
import type { CliData, DataSpec } from '../data.js';
import { encodeModel, writeAtomic } from '../files.js';
import { formatDuration, Progress } from '../progress.js';

/** What `train` saves under `state.cli` so that `--resume` continues exactly.
 * @category Data & files
 */
export interface TrainState {
  /** Always `'train'`. */
  command: 'train';
  /** The document kind. */
  kind: string;
  /** The seed every generator derives from. */
  seed: number;
  /** Training stages: the layers of a DBN (one stage for the other models). */
  stages: number;
  /** The stage in progress. */
  stage: number;
  /** Epochs per stage. */
  epochs: number;
  /** Epochs done in this stage. */
  epoch: number;
  /** Mini-batches done in this epoch. */
  batch: number;
  /** Data-order generator at the start of the current epoch (the permutation is redrawn from it). */
  orderRng: RandomState;
  /** Where the data came from. */
  spec: DataSpec;
  /** Output path (absolute). Not stored: `--resume` writes to `--out` or to the file it continues. */
  out: string;
  /** Checkpoint path (absolute). Not stored, as `out`. */
  checkpoint: string;
  /** Rows of the per-epoch metrics (0: no metrics). */
  monitor: number;
  /** Picture height of the data, or null. */
  height: number | null;
  /** Picture width of the data, or null. */
  width: number | null;
  /** The kind's `train` options, as parsed (used to rebuild the trainer on resume). */
  options: KindOptionValues;
}

/** `doc` with the command-line state under `state.cli` (without the output paths, which are never stored).
 * @category Data & files
 */
export function withCli(doc: ModelDocument, st: object): ModelDocument {
  const { out: _out, checkpoint: _checkpoint, ...stored } = st as Partial<TrainState>;
  doc.state = { ...(doc.state ?? {}), cli: stored as unknown as JsonValue };
  return doc;
}

/**
 * `plan.stage(index, resume)` with its setup work (DBM pretraining) shown by a
 * progress bar on a terminal and stopped by Ctrl-C (nothing is saved then).
 *
 * @returns the stage
 * @throws {Interrupted} when Ctrl-C stopped the setup
 * @category Data & files
 */
async function openStage(plan: TrainingPlan, index: number, resume: ModelDocument | undefined, ctx: CliContext, quiet: boolean): Promise<TrainingStage> {
  let bar: Progress | undefined;
  try {
    return await plan.stage(index, resume, {
      signal: ctx.signal,
      progress: (done, total, label) => {
        bar ??= new Progress(ctx.stderr, total, !quiet && ctx.stderr.isTTY === true);
        bar.update(done, label);
      },
    });
  } catch (e) {
    bar?.clear();
    if (ctx.signal?.aborted) {
      ctx.stderr.write('interrupted during the stage setup (pretraining); nothing was saved\n');
      throw new Interrupted('interrupted');
    }
    throw e;
  } finally {
    bar?.clear();
  }
}

/** `s` as one word of a POSIX shell command: as it is when plain, else in single quotes. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command-line state of a document written by `train`, or undefined.
 * @category Data & files
 */
export function cliState(doc: ModelDocument): JsonObject | undefined {
  const cli = (doc.state as JsonObject | undefined)?.cli;
  return cli !== null && typeof cli === 'object' && !Array.isArray(cli) ? cli : undefined;
}

/**
 * Runs (or resumes, from `resume`) the stages of `plan`, writing `st.out` at
 * the end or `st.checkpoint` when Ctrl-C aborts.
 *
 * @returns the exit code (0)
 * @throws {Interrupted} after writing the checkpoint
 * @category Data & files
 */
export async function trainLoop(
  st: TrainState,
  plan: TrainingPlan,
  data: CliData,
  ctx: CliContext,
  quiet: boolean,
  resume: ModelDocument | undefined,
): Promise<number> {
  const m = data.matrix, n = m.rows;
  if (st.stage >= st.stages) {
    if (!quiet) ctx.stderr.write('nothing to do: every layer is trained already\n');
    const doc = withCli(resume ?? ({} as ModelDocument), st);
    writeAtomic(st.out, () => encodeModel(st.out, doc));
    return 0;
  }
  let session = await openStage(plan, st.stage, resume, ctx, quiet);
  const nb = Math.ceil(n / session.batchSize);
  if (st.batch >= nb) throw new FormatError(`train --resume: state.cli.batch must be an integer in [0, ${nb - 1}] (got ${st.batch})`);
  if (!quiet) {
    ctx.stderr.write(
      `${resume ? 'resuming' : 'training'} ${session.label} on ${data.description}: ${st.epochs} epochs` +
        `${st.stages > 1 ? ` per layer` : ''}${st.epoch > 0 || st.batch > 0 ? ` from epoch ${st.epoch + 1}, batch ${st.batch + 1}/${nb}` : ''}, seed ${st.seed}\n`,
    );
  }
  const total = st.stages * st.epochs * nb;
  const progress = new Progress(ctx.stderr, total, !quiet && ctx.stderr.isTTY === true);
  let orderRng = Random.fromState(st.orderRng);
  let lastYield = performance.now();
  const layer = (): string => (st.stages > 1 ? `layer ${st.stage + 1}/${st.stages} ` : '');
  // The per-epoch metrics (not when quiet, nor with --monitor 0) are timed apart from the
  // training, and the ETA counts both: the mini-batches left at this run's time per batch,
  // plus the metrics of every epoch left at their mean time so far (a lower bound, shown
  // with ≥, until the first epoch's metrics have been timed).
  const metricsOn = !quiet && st.monitor > 0;
  let trainSeconds = 0, batchesRun = 0, metricsSeconds = 0, metricsRuns = 0;
  let epochT0 = performance.now(), epochBatches = 0, doneUnits = 0;
  const eta = (): string => {
    const spent = trainSeconds + (performance.now() - epochT0) / 1000, batches = batchesRun + epochBatches;
    if (batches === 0) return formatDuration(Number.NaN);
    let left = ((total - doneUnits) * spent) / batches;
    if (!metricsOn) return formatDuration(left);
    const epochsLeft = (st.stages - st.stage) * st.epochs - st.epoch;
    if (metricsRuns === 0) return `≥${formatDuration(left)}`;
    left += (epochsLeft * metricsSeconds) / metricsRuns;
    return formatDuration(left);
  };
  while (st.stage < st.stages) {
    while (st.epoch < st.epochs) {
      const epochStart = orderRng.getState();
      const perm = orderRng.permutation(n);
      epochT0 = performance.now();
      epochBatches = 0;
      for (; st.batch < nb; st.batch++) {
        if (performance.now() - lastYield > 50) {
          // Let the event loop run, so that a Ctrl-C (SIGINT handler) can set the abort signal.
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
        if (ctx.signal?.aborted) {
          st.orderRng = epochStart;
          progress.clear();
          const ckDoc = withCli(session.save(), st);
          writeAtomic(st.checkpoint, () => JSON.stringify(ckDoc));
          ctx.stderr.write(`interrupted at ${st.stages > 1 ? `layer ${st.stage + 1}/${st.stages}, ` : ''}epoch ${st.epoch + 1}, batch ${st.batch}/${nb}; checkpoint written to ${st.checkpoint}\n`);
          // The checkpoint does not store --out (a resumed run writes to --out, or else to the
          // file it continues), so the hint names it: the finished model goes where it was asked to.
          const out = st.out !== st.checkpoint ? ` --out ${shellWord(st.out)}` : '';
          ctx.stderr.write(`resume with: boltzmann train --resume ${shellWord(st.checkpoint)}${out}\n`);
          throw new Interrupted('interrupted');
        }
        const start = st.batch * session.batchSize;
        withThreads(ctx.threads, () => session.step(perm.subarray(start, Math.min(n, start + session.batchSize))));
        epochBatches++;
        const done = st.stage * st.epochs * nb + st.epoch * nb + st.batch + 1;
        ctx.onStep?.(done);
        doneUnits = done;
        progress.update(done, `${layer()}epoch ${st.epoch + 1}/${st.epochs}`, eta);
      }
      const seconds = (performance.now() - epochT0) / 1000;
      trainSeconds += seconds;
      batchesRun += epochBatches;
      epochBatches = 0;
      st.epoch++;
      st.batch = 0;
      session.epochDone(st.epoch);
      st.orderRng = orderRng.getState();
      if (metricsOn) {
        const m0 = performance.now();
        const line = session.metrics();
        const mSeconds = (performance.now() - m0) / 1000;
        metricsSeconds += mSeconds;
        metricsRuns++;
        progress.clear();
        ctx.stdout.write(`${layer()}epoch ${st.epoch}/${st.epochs}  ${line}  train ${seconds.toFixed(2)}s  metrics ${mSeconds.toFixed(2)}s\n`);
      } else if (!quiet) {
        progress.clear();
        ctx.stdout.write(`${layer()}epoch ${st.epoch}/${st.epochs}  train ${seconds.toFixed(2)}s\n`);
      }
      orderRng = Random.fromState(st.orderRng);
    }
    if (st.stage + 1 >= st.stages) break;
    st.stage++;
    st.epoch = 0;
    session = await openStage(plan, st.stage, undefined, ctx, quiet);
    if (!quiet) {
      progress.clear();
      ctx.stderr.write(`training ${session.label}\n`);
    }
  }
  progress.clear();
  const final = session.save();
  st.stage = st.stages - 1;
  const doc = withCli(final, st);
  writeAtomic(st.out, () => encodeModel(st.out, doc));
  if (!quiet) ctx.stderr.write(`wrote ${st.out}\n`);
  return 0;
}
