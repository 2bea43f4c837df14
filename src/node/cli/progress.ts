/**
 * The progress bar of long commands: a bar with percentage and ETA, redrawn
 * at most ten times a second, on a terminal only (piped output gets the
 * per-epoch lines alone).
 * @module
 */
import type { CliStream } from './context.js';

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

  /** Redraws the bar after `done` units, with `label` before it. */
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
