/**
 * The conformance suite (after scikit-learn's check_estimator): one set of
 * checks applied to every model and sampler by listing it once in
 * test/conformance/subjects.ts.
 *
 * Checks per subject:
 * 1. construction rejects bad arguments with a typed error naming the argument;
 * 2. every public call rejects wrong shapes, wrong types, NaN/±Infinity, values
 *    outside the unit convention and empty data with a typed error naming the
 *    argument, thrown before any state changes (full state compared before/after);
 * 3. valid calls never mutate their inputs;
 * 4. calls that need a trained model fail clearly before training;
 * 5. same seed → bit-identical state after training, twice in a row;
 * 6. save → load → save gives identical bytes, and the loaded model gives
 *    identical outputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type Matrix, matrix } from '../../src/linalg/matrix.js';

/** An error class the suite accepts. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** One invalid call: arguments that must be rejected. */
export interface BadArgs<M> {
  /** What is wrong, for the test name. */
  why: string;
  /** The arguments (built fresh for each check). */
  args: (m: M) => unknown[];
  /** Expected error class (TypeError, RangeError, ShapeError, …). */
  error: ErrorClass;
  /** The message must name the argument (and usually the expectation). */
  message: RegExp;
}

/** A public method of the subject with its valid and invalid arguments. */
export interface CallSpec<M> {
  /** Method name, for test names. */
  name: string;
  /** Calls the method. */
  invoke: (m: M, ...args: unknown[]) => unknown;
  /** Valid arguments (built fresh). */
  valid: (m: M) => unknown[];
  /** Invalid argument sets. */
  invalid: BadArgs<M>[];
}

/** A model or sampler under test. */
export interface Subject<M> {
  /** Name for the describe block. */
  name: string;
  /** A fresh, valid instance from a seed. */
  create: (seed: number) => M;
  /** The full observable state as a string (parameters, chains, generator). */
  fingerprint: (m: M) => string;
  /** Constructor calls that must throw. */
  badConstruction: { why: string; make: () => unknown; error: ErrorClass; message: RegExp }[];
  /** Public calls. */
  calls: CallSpec<M>[];
  /** A short seeded training run (or sampling run) that changes the state. */
  train: (m: M, seed: number) => void;
  /** Calls that must fail clearly before training, if any. */
  beforeTraining?: { why: string; call: (m: M) => unknown; error: ErrorClass }[];
  /** Serialises to a string (JSON document). */
  save: (m: M) => string;
  /** Loads what `save` wrote. */
  load: (s: string) => M;
  /** Deterministic outputs compared between a model and its loaded copy. */
  outputs: (m: M) => Float64Array;
}

/** Deep copy of an argument list, for the no-mutation check. */
function snapshotArgs(args: unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return { typed: v.constructor.name, data: Array.from(v as unknown as ArrayLike<number>) };
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (typeof v === 'function') return 'fn';
    return v;
  });
}

/** Counts of checks run per subject (for the closing report). */
export const checkCounts = new Map<string, number>();

function count(name: string): void {
  checkCounts.set(name, (checkCounts.get(name) ?? 0) + 1);
}

/** Registers the conformance checks for one subject. */
export function conformance<M>(s: Subject<M>): void {
  describe(`conformance: ${s.name}`, () => {
    afterAll(() => {
      console.log(`conformance: ${s.name}: ${checkCounts.get(s.name) ?? 0} checks passed`);
    });
    it('construction rejects bad arguments with typed errors naming them', () => {
      for (const b of s.badConstruction) {
        count(s.name);
        let thrown: unknown;
        try {
          b.make();
        } catch (e) {
          thrown = e;
        }
        expect(thrown, b.why).toBeInstanceOf(b.error);
        expect((thrown as Error).message, b.why).toMatch(b.message);
      }
    });

    for (const c of s.calls) {
      it(`${c.name}: bad input throws a typed error before any state changes`, () => {
        const m = s.create(1);
        s.train(m, 1);
        for (const b of c.invalid) {
          count(s.name);
          const before = s.fingerprint(m);
          let thrown: unknown;
          try {
            c.invoke(m, ...b.args(m));
          } catch (e) {
            thrown = e;
          }
          expect(thrown, `${c.name}: ${b.why}`).toBeInstanceOf(b.error);
          expect((thrown as Error).message, `${c.name}: ${b.why}`).toMatch(b.message);
          expect(s.fingerprint(m), `${c.name}: ${b.why} changed the state`).toBe(before);
        }
      });

      it(`${c.name}: valid input is never mutated`, () => {
        count(s.name);
        const m = s.create(2);
        s.train(m, 2);
        const args = c.valid(m);
        const before = snapshotArgs(args);
        c.invoke(m, ...args);
        expect(snapshotArgs(args)).toBe(before);
      });
    }

    if (s.beforeTraining?.length) {
      it('calls that need training fail clearly before it', () => {
        for (const b of s.beforeTraining ?? []) {
          count(s.name);
          const m = s.create(3);
          expect(() => b.call(m), b.why).toThrow(b.error);
        }
      });
    }

    it('same seed → bit-identical state after training, twice in a row', () => {
      count(s.name);
      const a = s.create(7);
      s.train(a, 7);
      const b = s.create(7);
      s.train(b, 7);
      expect(s.fingerprint(b)).toBe(s.fingerprint(a));
      const c = s.create(8);
      s.train(c, 8);
      expect(s.fingerprint(c)).not.toBe(s.fingerprint(a));
    });

    it('save → load → save gives identical bytes and identical outputs', () => {
      count(s.name);
      const m = s.create(9);
      s.train(m, 9);
      const first = s.save(m);
      const loaded = s.load(first);
      expect(s.save(loaded)).toBe(first);
      expect(Array.from(s.outputs(loaded))).toEqual(Array.from(s.outputs(m)));
    });
  });
}

/** Invalid variants of a vector argument: wrong type, wrong length, NaN, ±Infinity, wrong unit values. */
export function badVectors<M>(
  name: string,
  length: number,
  domain: 'binary' | 'spin' | 'real',
  wrap: (v: unknown) => unknown[] = (v) => [v],
): BadArgs<M>[] {
  const valid = domain === 'spin' ? 1 : domain === 'binary' ? 1 : 0.5;
  const fill = (x: number, i: number) => {
    const v = new Float64Array(length).fill(valid);
    v[i] = x;
    return v;
  };
  const nameRe = new RegExp(escapeRe(name));
  const out: BadArgs<M>[] = [
    { why: `${name} not a Float64Array`, args: () => wrap(Array.from({ length }, () => valid)), error: TypeError, message: nameRe },
    { why: `${name} too short`, args: () => wrap(new Float64Array(Math.max(0, length - 1)).fill(valid)), error: RangeError, message: nameRe },
    { why: `${name} too long`, args: () => wrap(new Float64Array(length + 1).fill(valid)), error: RangeError, message: nameRe },
    { why: `${name} with NaN`, args: () => wrap(fill(Number.NaN, length - 1)), error: RangeError, message: nameRe },
    { why: `${name} with Infinity`, args: () => wrap(fill(Number.POSITIVE_INFINITY, 0)), error: RangeError, message: nameRe },
  ];
  if (domain === 'binary') out.push({ why: `${name} with 0.5 (not 0/1)`, args: () => wrap(fill(0.5, 0)), error: RangeError, message: nameRe });
  if (domain === 'binary') out.push({ why: `${name} with -1 (spin, not 0/1)`, args: () => wrap(fill(-1, 0)), error: RangeError, message: nameRe });
  if (domain === 'spin') out.push({ why: `${name} with 0 (binary, not ±1)`, args: () => wrap(fill(0, 0)), error: RangeError, message: nameRe });
  return out;
}

/** Invalid variants of a data-matrix argument `[n, cols]`. */
export function badMatrices<M>(
  name: string,
  cols: number,
  domain: 'binary' | 'spin' | 'real' | 'unit',
  wrap: (v: unknown) => unknown[] = (v) => [v],
): BadArgs<M>[] {
  const valid = domain === 'spin' ? 1 : domain === 'binary' ? 1 : domain === 'unit' ? 0.5 : 0.25;
  const mk = (rows: number, c: number, patch?: (d: Float64Array) => void): Matrix => {
    const d = new Float64Array(rows * c).fill(valid);
    patch?.(d);
    return matrix(rows, c, d);
  };
  const nameRe = new RegExp(escapeRe(name));
  const out: BadArgs<M>[] = [
    { why: `${name} not a Matrix`, args: () => wrap('not a matrix'), error: TypeError, message: nameRe },
    { why: `${name} with too few columns`, args: () => wrap(mk(3, cols - 1)), error: RangeError, message: nameRe },
    { why: `${name} with too many columns`, args: () => wrap(mk(3, cols + 1)), error: RangeError, message: nameRe },
    { why: `${name} empty`, args: () => wrap(mk(0, cols)), error: RangeError, message: nameRe },
    { why: `${name} with NaN`, args: () => wrap(mk(3, cols, (d) => { d[cols + 1] = Number.NaN; })), error: RangeError, message: nameRe },
    { why: `${name} with -Infinity`, args: () => wrap(mk(3, cols, (d) => { d[0] = Number.NEGATIVE_INFINITY; })), error: RangeError, message: nameRe },
  ];
  if (domain === 'binary') out.push({ why: `${name} with 0.5 (not 0/1)`, args: () => wrap(mk(3, cols, (d) => { d[2] = 0.5; })), error: RangeError, message: nameRe });
  if (domain === 'spin') out.push({ why: `${name} with 0 (not ±1)`, args: () => wrap(mk(3, cols, (d) => { d[2] = 0; })), error: RangeError, message: nameRe });
  if (domain === 'unit') out.push({ why: `${name} with 1.5 (not in [0,1])`, args: () => wrap(mk(3, cols, (d) => { d[2] = 1.5; })), error: RangeError, message: nameRe });
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
