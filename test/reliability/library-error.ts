/**
 * The pass rule of the loader fuzzers (issue #15): only the library's own typed errors pass —
 * a `FormatError`, `ShapeError`, `RangeError` or `TypeError` whose message has the library's
 * format `where: …` (`parseIdx: bad magic number …`, `Random.sampleBernoulli: probs[0] must …`).
 * Engine errors (`Cannot read properties of null`, `Invalid typed array length: …`,
 * `Offset is outside the bounds of the DataView`, `Maximum call stack size exceeded`) fail,
 * even though they are RangeErrors or TypeErrors too.
 */
import { expect } from 'vitest';
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

/** The values whose `String(x)` or `${x}` throws the engine's TypeError (made fresh for each use). */
export const UNPRINTABLE: ReadonlyArray<readonly [string, () => unknown]> = [
  ['{ toString: 1 }', () => ({ toString: 1 })],
  ['Object.create(null)', () => Object.create(null)],
  ["Symbol('x')", () => Symbol('x')],
];

/** Runs `f`, which must throw one of the library's own typed errors (an engine error is rethrown); returns it. */
export function libraryError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    if (!isLibraryError(e)) throw e;
    return e as Error;
  }
  throw new Error('expected a library error, but the call returned');
}

/** Expects a library error of `type` whose message starts with `where: ` and contains (or matches) `fragment`. */
export function expectError(f: () => unknown, type: new (...args: never[]) => Error, where: string, fragment: string | RegExp): Error {
  const e = libraryError(f);
  expect(e, e.message).toBeInstanceOf(type);
  expect(e.message.startsWith(`${where}: `), e.message).toBe(true);
  if (typeof fragment === 'string') expect(e.message).toContain(fragment);
  else expect(e.message).toMatch(fragment);
  return e;
}
