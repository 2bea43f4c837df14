/**
 * Putting a model back when a training call fails before its first update.
 * @module
 * @internal
 */

/**
 * `steps` as they are, except that `onFailure` runs when one of them throws,
 * before the error goes on: what the generator forms of `fit` (`fitSteps`) use
 * to restore what the call changed before its first update. @internal
 */
export function* undoOnFailure<R>(steps: Generator<void, R, void>, onFailure: () => void): Generator<void, R, void> {
  try {
    return yield* steps;
  } catch (e) {
    onFailure();
    throw e;
  }
}
