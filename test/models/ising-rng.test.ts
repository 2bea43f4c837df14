import { describe, expect, it } from 'vitest';
import { IsingModel } from '../../src/models/ising.js';
import { Random } from '../../src/random/random.js';

describe('IsingModel.sample takes an rng for the call', () => {
  it('a seed or a Random: a loaded copy with the same rng gives the same configurations, bit for bit', () => {
    const m = new IsingModel(6, { J: 0.8, H: 0.1, rng: 3 });
    const loaded = IsingModel.fromDocument(JSON.parse(JSON.stringify(m.toDocument())));
    const stream = m.random.getState();
    const a = m.sample(3, { sweeps: 20, temperature: 2.5, rng: 11 });
    // a seed is a fresh generator each call; the model's stream is not touched
    expect(m.random.getState()).toEqual(stream);
    expect(Array.from(m.sample(3, { sweeps: 20, temperature: 2.5, rng: 11 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(loaded.sample(3, { sweeps: 20, temperature: 2.5, rng: 11 }).data)).toEqual(Array.from(a.data));
    // a Random is used, and advanced, as is: two calls continue it
    const r1 = new Random(11);
    const r2 = new Random(11);
    expect(Array.from(m.sample(3, { sweeps: 20, temperature: 2.5, rng: r1 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(loaded.sample(3, { sweeps: 20, temperature: 2.5, rng: r2 }).data)).toEqual(Array.from(a.data));
    expect(r1.getState()).toEqual(r2.getState());
    const next = m.sample(2, { sweeps: 5, update: 'heat-bath', order: 'checkerboard', rng: r1 });
    expect(Array.from(loaded.sample(2, { sweeps: 5, update: 'heat-bath', order: 'checkerboard', rng: r2 }).data)).toEqual(Array.from(next.data));
    expect(Array.from(next.data)).not.toEqual(Array.from(m.sample(2, { sweeps: 5, update: 'heat-bath', order: 'checkerboard', rng: 11 }).data));
  });

  it('without rng: the model stream, continued, as before', () => {
    const a = new IsingModel(4, { rng: 5 });
    const b = new IsingModel(4, { rng: 5 });
    const s1 = a.sample(2, { sweeps: 3 });
    const s2 = b.sample(2, { sweeps: 3, rng: b.random });
    expect(Array.from(s2.data)).toEqual(Array.from(s1.data));
    expect(b.random.getState()).toEqual(a.random.getState());
    // the configurations the model gave before the option existed (seed 5, 2 × 3 sweeps at T_c)
    expect(Array.from(new IsingModel(4, { rng: 5 }).sample(2, { sweeps: 3 }).data)).toEqual(PINNED);
  });

  it('validates rng before anything is drawn', () => {
    const m = new IsingModel(4, { rng: 1 });
    const before = m.random.getState();
    expect(() => m.sample(2, { rng: -3 })).toThrow(RangeError);
    expect(() => m.sample(2, { rng: 0.5 })).toThrow(/seed/);
    expect(() => m.sample(2, { rng: {} as never })).toThrow(TypeError);
    expect(() => m.sample(2, { rgn: 1 } as never)).toThrow(/rng/);
    expect(m.random.getState()).toEqual(before);
  });
});

const PINNED = [1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1, 1, 1, -1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, -1, -1, -1, -1];
