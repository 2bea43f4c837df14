/**
 * The pass rule of the loader fuzzers (issue #15): only the library's own typed errors pass —
 * a `FormatError`, `ShapeError`, `RangeError` or `TypeError` whose message has the library's
 * format `where: …` (`parseIdx: bad magic number …`, `Random.sampleBernoulli: probs[0] must …`).
 * Engine errors (`Cannot read properties of null`, `Invalid typed array length: …`,
 * `Offset is outside the bounds of the DataView`, `Maximum call stack size exceeded`) fail,
 * even though they are RangeErrors or TypeErrors too.
 */
import { FormatError } from '../../src/errors.js';

/** `where: ` — an identifier path (`Random.sampleBernoulli`), optionally one more word, then a colon and a space. */
export const LIBRARY_MESSAGE = /^[A-Za-z_$][\w$]*(?:\.[\w$]+)*(?: [\w-]+)?: \S/;

/** True when `e` is one of the library's typed errors with its message format. */
export function isLibraryError(e: unknown): boolean {
  return (e instanceof FormatError || e instanceof RangeError || e instanceof TypeError) && LIBRARY_MESSAGE.test(e.message);
}

/** Rethrows `e` unless it is one of the library's own typed errors (see {@link isLibraryError}). */
export function expectLibraryError(e: unknown): void {
  if (!isLibraryError(e)) throw e;
}
