import { describe, expect, it } from 'vitest';
import { createRegistry, describeValue, identity, isSymmetric, MODEL_REGISTRY, mapWork, parseModelText, type SteppedWork, thenWork } from '../../src/index.js';
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

  it('thenWork and mapWork check their arguments when called, not when the work runs', () => {
    const work = (): SteppedWork<number> => {
      let done = 0;
      return {
        total: 1,
        get done() {
          return done;
        },
        advance: () => void (done = 1),
        result: () => 7,
      };
    };
    for (const bad of [...HOSTILE, null, 3, { total: 1 }]) {
      for (const [f, re] of [
        [() => mapWork(bad as never, (x) => x), /^mapWork: work must be stepped work/],
        [() => mapWork(work(), bad as never), /^mapWork: f must be a function/],
        [() => thenWork(bad as never, () => work(), 1), /^thenWork: first must be stepped work/],
        [() => thenWork(work(), bad as never, 1), /^thenWork: next must be a function/],
        [() => thenWork(work(), () => work(), (bad === 3 ? 0.5 : bad) as never), /^thenWork: nextTotal must be a non-negative integer/],
      ] as const) {
        const e = thrown(f);
        expect(isLibraryError(e), String(e)).toBe(true);
        expect((e as Error).message).toMatch(re);
      }
    }
    const w = thenWork(work(), (a) => mapWork(work(), (b) => a + b), 1);
    w.advance(w.total);
    expect(w.result()).toBe(14);
    const wrong = thenWork(work(), () => ({ total: { toString: 1 } }) as never, 1);
    wrong.advance(1);
    const e = thrown(() => wrong.result());
    expect(isLibraryError(e), String(e)).toBe(true);
  });

  it('describeValue never throws, whatever it is given', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy({}, { get: () => { throw new Error('trap'); } });
    const cases: [unknown, string][] = [
      [{ toString: 1 }, 'object'],
      [Object.create(null), 'object'],
      [Symbol('x'), 'Symbol(x)'],
      [{ constructor: { name: { toString: 1 } } }, 'object'],
      [{ constructor: 5 }, 'object'],
      [Object.defineProperty({}, 'constructor', { get: () => { throw new Error('getter'); } }), 'object'],
      [proxy, 'object'],
      [throwing, 'object'],
      [new Map(), 'Map'],
      [new Float32Array(3), 'Float32Array(3)'],
      [new DataView(new ArrayBuffer(5)), 'DataView(5)'],
      [{ rows: 2, cols: 3 }, 'Matrix[2, 3]'],
      [3n, '3n'],
    ];
    for (const [v, text] of cases) expect(describeValue(v)).toBe(text);
  });
});
