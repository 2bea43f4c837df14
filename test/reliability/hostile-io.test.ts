import { describe, expect, it } from 'vitest';
import { createRegistry, identity, isSymmetric, MODEL_REGISTRY, parseModelText } from '../../src/index.js';
import { isLibraryError } from './library-error.js';

// Values that make `String(x)` or arithmetic throw the engine's own TypeError
const HOSTILE: unknown[] = [{ toString: 1 }, Object.create(null), Symbol('x')];

/** The error `f` throws (fails the test when it returns). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('hostile arguments to the io and linear-algebra helpers get the library’s typed errors', () => {
  it('isSymmetric checks its tolerance', () => {
    for (const t of [...HOSTILE, -1, Number.NaN, '0']) {
      const e = thrown(() => isSymmetric(identity(2), t as number));
      expect(isLibraryError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(/^isSymmetric: tolerance/);
    }
    expect(isSymmetric(identity(2), 0.1)).toBe(true);
  });

  it('parseModelText checks maxLength', () => {
    for (const t of [...HOSTILE, -1, Number.NaN]) {
      const e = thrown(() => parseModelText('{}', t as number));
      expect(isLibraryError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(/^parseModelText: maxLength must be a number ≥ 0/);
    }
    expect(parseModelText('{}', Number.POSITIVE_INFINITY)).toEqual({});
  });

  it('createRegistry refuses what is not an iterable of kinds', () => {
    for (const k of [...HOSTILE, null, 3, 'rbm', undefined]) {
      const e = thrown(() => createRegistry(k as never));
      expect(isLibraryError(e), String(e)).toBe(true);
      expect((e as Error).message).toMatch(/^createRegistry: kinds must be an iterable/);
    }
    expect(createRegistry(new Set(MODEL_REGISTRY)).names).toContain('rbm');
  });
});
