/**
 * The error a model kind throws for a command-line option value it refuses.
 * Kept in its own file so that the kinds (which the registry imports) can throw
 * it without importing the registry at run time.
 * @module
 */

/**
 * A command-line option value that a kind refuses (sizes beyond what the
 * family supports, an option that needs another): the command line reports it
 * as a usage error (exit code 2).
 *
 * @example
 * ```ts
 * import { KindOptionError } from 'boltzmann';
 * new KindOptionError('train boltzmann-machine: at most 4096 units') instanceof RangeError; // true
 * ```
 * @category Data & files
 */
export class KindOptionError extends RangeError {
  /** Always `'KindOptionError'`. */
  override name = 'KindOptionError';
}
