import { describe, expect, it } from 'vitest';
import type { ModelDocument } from '../../src/document.js';
import { FormatError } from '../../src/errors.js';
import { loadModel, MODEL_KINDS } from '../../src/io/load-model.js';
import { createRegistry, MODEL_REGISTRY, type ModelKind } from '../../src/io/registry.js';
import { RBM } from '../../src/models/rbm.js';

/** A toy family outside the library: a constant vector. */
class Constant {
  readonly kind = 'constant';
  constructor(readonly values: number[]) {}
  toDocument(): ModelDocument {
    return { format: 'boltzmann', version: 1, kind: 'constant', config: { values: this.values }, tensors: {} };
  }
  static fromDocument(doc: unknown): Constant {
    return new Constant((doc as { config: { values: number[] } }).config.values);
  }
}

const CONSTANT_KIND: ModelKind<Constant> = {
  kind: 'constant',
  title: 'a constant vector',
  is: (m): m is Constant => m instanceof Constant,
  fromDocument: (doc) => Constant.fromDocument(doc),
  nVisible: (m) => m.values.length,
};

describe('the model registry', () => {
  it('MODEL_REGISTRY holds every built-in kind once, frozen, one name per kind', () => {
    expect([...MODEL_REGISTRY.names].sort()).toEqual(
      [
        'boltzmann-machine',
        'dbm',
        'dbn',
        'dense-associative-memory',
        'energy-network',
        'gaussian-energy',
        'gaussian-rbm',
        'graded-hopfield',
        'hopfield',
        'hopfield-expanded',
        'ising',
        'modern-hopfield',
        'rbm',
      ].sort(),
    );
    expect(MODEL_KINDS).toEqual(MODEL_REGISTRY.names);
    expect(Object.isFrozen(MODEL_REGISTRY)).toBe(true);
    expect(Object.isFrozen(MODEL_REGISTRY.kinds)).toBe(true);
    expect([...MODEL_REGISTRY].map((k) => k.kind)).toEqual(MODEL_REGISTRY.names);
    for (const k of MODEL_REGISTRY) {
      expect(k.title.length, k.kind).toBeGreaterThan(0);
      expect(k.title, k.kind).not.toMatch(/\n/);
    }
    // the command line trains exactly these
    expect(MODEL_REGISTRY.kinds.filter((k) => k.create !== undefined).map((k) => k.kind)).toEqual(['hopfield', 'boltzmann-machine', 'rbm', 'dbn', 'dbm', 'dense-associative-memory']);
  });

  it('createRegistry extends the built-in kinds; loadModel takes the extended registry', () => {
    const registry = createRegistry([...MODEL_REGISTRY, CONSTANT_KIND]);
    const text = JSON.stringify(new Constant([1, 2]).toDocument());
    expect(() => loadModel(text)).toThrow(FormatError);
    const m = loadModel(text, { registry });
    expect(m).toBeInstanceOf(Constant);
    expect((m as Constant).values).toEqual([1, 2]);
    // the built-ins still load through it
    expect(loadModel(JSON.stringify(new RBM(3, 2, { rng: 1 }).toDocument()), { registry })).toBeInstanceOf(RBM);
    expect(MODEL_REGISTRY.get('constant')).toBeUndefined(); // no global mutation
  });

  it('refuses duplicate and malformed kinds', () => {
    expect(() => createRegistry([...MODEL_REGISTRY, { ...CONSTANT_KIND, kind: 'rbm' } as ModelKind])).toThrow(/kind 'rbm' is registered twice/);
    expect(() => createRegistry([{ ...CONSTANT_KIND, kind: '' } as ModelKind])).toThrow(TypeError);
    expect(() => createRegistry([{ kind: 'x', title: 'x' } as unknown as ModelKind])).toThrow(/must have is, fromDocument and nVisible/);
  });

  it('an unknown kind is a FormatError with the closest kind; an unknown option a TypeError', () => {
    const doc = { ...new RBM(3, 2, { rng: 1 }).toDocument(), kind: 'rmb' };
    expect(() => loadModel(doc)).toThrow(/kind must be one of .* \(got "rmb"; did you mean 'rbm'\?\)/);
    expect(MODEL_REGISTRY.suggest('hopfeild')).toBe('hopfield');
    expect(() => loadModel(doc, { registy: MODEL_REGISTRY } as never)).toThrow(/unknown option 'registy' \(did you mean 'registry'\?\)/);
    expect(() => loadModel('{"a":1}', { maxLength: 3 })).toThrow(/more than the limit 3/);
  });
});
