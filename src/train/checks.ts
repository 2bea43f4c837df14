/**
 * Argument checks shared by the trainers and the models' `fit`, `score` and
 * loaders: callbacks and signals (checked with the other options, before
 * anything is drawn or changed, so a call with `onEpoch: 5` fails at once
 * instead of after its first epoch has updated the parameters), and lists of
 * numbers given as plain arrays (each entry's type checked before any
 * conversion, so `[1n]` or `[{}]` gets the library's error, not the engine's).
 * @module
 * @internal
 */
import { describeValue } from '../errors.js';
import { checkElements } from '../validate.js';

export { checkAbortSignal, checkCallback } from '../validate.js';

/**
 * A copy of `value`, an array (typed array, or other array-like object) of
 * numbers, as a Float64Array; a TypeError naming `name` when it is not one or
 * an entry is not a number (the entry's index and value in the message). Non-finite entries
 * are left to the caller.
 * @internal
 */
export function numberArray(where: string, name: string, value: unknown): Float64Array {
  if (value instanceof Float64Array) return value.slice();
  const length = value !== null && typeof value === 'object' ? (value as { length?: unknown }).length : undefined;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || value instanceof BigInt64Array || value instanceof BigUint64Array) {
    throw new TypeError(`${where}: ${name} must be an array of numbers (got ${describeValue(value)})`);
  }
  const a = value as ArrayLike<unknown>;
  checkElements(where, `${name}.length`, a.length);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw new TypeError(`${where}: ${name}[${i}] must be a number (got ${describeValue(v)})`);
    out[i] = v;
  }
  return out;
}

/**
 * The message of a caught error, for a loader that wraps it in a FormatError:
 * `e.message` for an Error, else the value described (code that throws a string,
 * `undefined` or a symbol does not turn the loader's error into the engine's).
 * @internal
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : describeValue(e);
}
