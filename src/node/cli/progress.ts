/**
 * The progress bar of long commands: a bar with percentage and ETA, redrawn
 * at most ten times a second, on a terminal only (piped output gets the
 * per-epoch lines alone).
 * @module
 */
import { withThreads } from '../../linalg/kernel.js';
import { isSteppedWork, runStepped, type SteppedWork } from '../../models/fit-async.js';
import { type CliContext, type CliStream, Interrupted } from './context.js';

/** `m:ss` or `h:mm:ss`; `--:--` when unknown.
 * @category Data & files
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(2, '0'), ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
}

/** A progress bar with ETA on a terminal; nothing when piped (per-epoch lines say enough).
 * @category Data & files
 */
export class Progress {
  private last = 0;
  private readonly t0 = performance.now();
  private startDone = -1;
  private shown = false;

  /**
   * @param stream - where to draw (stderr)
   * @param total - units of work in all
   * @param enabled - draw at all (a terminal, not quiet)
   */
  constructor(
    private readonly stream: CliStream,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  /**
   * Redraws the bar after `done` units, with `label` before it. `eta`, when
   * given, says the ETA (called only when the bar is redrawn); else it is the
   * units left at the rate seen so far.
   */
  update(done: number, label: string, eta?: () => string): void {
    if (!this.enabled) return;
    if (this.startDone < 0) this.startDone = done;
    const now = performance.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const frac = this.total > 0 ? done / this.total : 1;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const fill = Math.round(frac * width);
    let etaText: string;
    if (eta !== undefined) etaText = eta();
    else {
      const elapsed = (now - this.t0) / 1000;
      const rate = (done - this.startDone) / Math.max(elapsed, 1e-9);
      etaText = formatDuration(rate > 0 ? (this.total - done) / rate : Number.NaN);
    }
    const bar = `${'█'.repeat(fill)}${'░'.repeat(width - fill)}`;
    this.stream.write(`\r\x1b[2K${label} ${bar} ${Math.floor(frac * 100)}% ETA ${etaText}`);
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

/**
 * The result of a kind's hook: returned at once when it is a value; when it is
 * {@link SteppedWork}, driven to the end with a pause for the event loop every
 * 50 ms (so that Ctrl-C is seen within about a second), a progress bar with ETA
 * on a terminal, and each slice run with the command's thread count.
 *
 * @param out - the hook's value or stepped work
 * @param ctx - streams, signal, threads
 * @param defaultLabel - the text before the bar, e.g. `AIS`, unless the work has its own `label`
 * @param defaultUnit - what a unit is, for the messages, e.g. `β steps`, unless the work has its own `unit`
 * @returns the result
 * @throws {Interrupted} when Ctrl-C aborted the work (exit code 130)
 * @category Data & files
 */
export async function driveWork<T>(out: T | SteppedWork<T>, ctx: CliContext, defaultLabel: string, defaultUnit: string): Promise<T> {
  if (!isSteppedWork(out)) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    return out as T;
  }
  const work = out as SteppedWork<T>;
  // the work may say what it is and what a unit is (a Hopfield evaluation counts rows, not β steps)
  const label = work.label ?? defaultLabel;
  const unit = work.unit ?? defaultUnit;
  const tty = ctx.stderr.isTTY === true;
  const progress = new Progress(ctx.stderr, work.total, tty);
  // Piped: a start line, then a plain line at every tenth once the work has taken 2 s.
  const t0 = performance.now();
  let tenth = 0;
  if (!tty) ctx.stderr.write(`${label}: ${work.total} ${unit}\n`);
  const plain = (done: number): void => {
    const t = Math.floor((10 * done) / Math.max(1, work.total));
    if (t <= tenth || done >= work.total) return;
    tenth = t;
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed < 2) return;
    ctx.stderr.write(`${label}: ${t * 10}% (${done}/${work.total} ${unit}), ETA ${formatDuration((elapsed * (work.total - done)) / done)}\n`);
  };
  try {
    return await runStepped(work, {
      signal: ctx.signal,
      sliceMs: 50,
      onProgress: (done) => (tty ? progress.update(done, label) : plain(done)),
      wrap: (fn) => withThreads(ctx.threads, fn),
    });
  } catch (e) {
    progress.clear();
    if (ctx.signal?.aborted) {
      ctx.stderr.write(`interrupted after ${work.done} of ${work.total} ${unit}\n`);
      throw new Interrupted('interrupted');
    }
    throw e;
  } finally {
    progress.clear();
  }
}
