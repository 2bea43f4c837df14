/**
 * What every command receives: the streams it writes to, the abort signal of
 * Ctrl-C, the environment, and a per-step hook for tests.
 * @module
 */

/** A stream the CLI writes to (process.stdout / process.stderr or a test double).
 * @category Data & files
 */
export interface CliStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether it is a terminal (progress bar and redraws only then). */
  isTTY?: boolean;
  /** Terminal width in columns. */
  columns?: number;
}

import type { ModelRegistry } from '../../io/registry.js';

/** Where the CLI reads and writes; every field defaults to the process's own.
 * @category Data & files
 */
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
  /** The model kinds (default `MODEL_REGISTRY`; pass an extended one to add a family). */
  registry?: ModelRegistry;
  /**
   * Threads for the products of training, sampling and evaluation (`--threads`);
   * undefined: the automatic choice (a worker pool on up to 4 cores for large products).
   */
  threads?: number;
}

/** Raised when Ctrl-C stops a command (exit code 130).
 * @category Data & files
 */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

/** A command: its arguments (after the command name) → exit code.
 * @category Data & files
 */
export type Command = (args: string[], ctx: CliContext, registry: ModelRegistry) => Promise<number>;

/** Formats a number with `digits` decimals (non-finite values as they are).
 * @category Data & files
 */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}
