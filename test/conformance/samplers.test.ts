/** Conformance subjects: samplers. */
import { QuadraticEnergy } from '../../src/energy/quadratic.js';
import { ShapeError } from '../../src/errors.js';
import { matrix } from '../../src/linalg/matrix.js';
import { symmetrize, zeroDiagonal } from '../../src/linalg/symmetric.js';
import { Random } from '../../src/random/random.js';
import { QuadraticGibbs } from '../../src/samplers/gibbs.js';
import type { SamplerSnapshot } from '../../src/samplers/types.js';
import { badVectors, conformance } from './suite.js';

function energy(domain: 'binary' | 'spin'): QuadraticEnergy {
  const rng = new Random(99);
  const w = matrix(6, 6, rng.fillNormal(new Float64Array(36)));
  zeroDiagonal(symmetrize(w));
  return new QuadraticEnergy(w, rng.fillNormal(new Float64Array(6)), domain);
}

for (const domain of ['binary', 'spin'] as const) {
  const e = energy(domain);
  conformance<QuadraticGibbs>({
    name: `QuadraticGibbs (${domain})`,
    create: (seed) => new QuadraticGibbs(e, { rng: seed, temperature: 1.5 }),
    fingerprint: (g) => JSON.stringify(g.snapshot()) + JSON.stringify(Array.from(g.fields)),
    badConstruction: [
      { why: 'temperature 0', make: () => new QuadraticGibbs(e, { temperature: 0 }), error: RangeError, message: /temperature/ },
      { why: 'temperature NaN', make: () => new QuadraticGibbs(e, { temperature: Number.NaN }), error: RangeError, message: /temperature/ },
      { why: 'unknown scan', make: () => new QuadraticGibbs(e, { scan: 'diagonal' as never }), error: RangeError, message: /scan/ },
      { why: 'clamp of wrong length', make: () => new QuadraticGibbs(e, { clamp: new Uint8Array(3) }), error: ShapeError, message: /clamp/ },
      { why: 'initial with wrong units', make: () => new QuadraticGibbs(e, { initial: new Float64Array(6).fill(0.5) }), error: RangeError, message: /initial/ },
      { why: 'seed negative', make: () => new QuadraticGibbs(e, { rng: -1 }), error: RangeError, message: /seed/ },
      { why: 'unknown option key', make: () => new QuadraticGibbs(e, { temprature: 1 } as never), error: TypeError, message: /unknown option 'temprature' \(did you mean 'temperature'\?\)/ },
    ],
    calls: [
      {
        name: 'setState',
        invoke: (g, x) => g.setState(x as Float64Array),
        valid: () => [new Float64Array(6).fill(1)],
        invalid: badVectors('x', 6, domain),
      },
      {
        name: 'temperature setter',
        invoke: (g, t) => {
          g.temperature = t as number;
        },
        valid: () => [0.7],
        invalid: [
          { why: 'negative', args: () => [-1], error: RangeError, message: /temperature/ },
          { why: 'Infinity', args: () => [Number.POSITIVE_INFINITY], error: RangeError, message: /temperature/ },
          { why: 'string', args: () => ['1'], error: TypeError, message: /temperature/ },
        ],
      },
    ],
    train: (g) => {
      for (let i = 0; i < 25; i++) g.step();
    },
    save: (g) => JSON.stringify(g.snapshot()),
    load: (s) => {
      const g = new QuadraticGibbs(e, { rng: 0 });
      g.restore(JSON.parse(s) as SamplerSnapshot);
      return g;
    },
    outputs: (g) => {
      const out = new Float64Array(6 * 10);
      for (let i = 0; i < 10; i++) {
        g.step();
        out.set(g.state, i * 6);
      }
      return out;
    },
  });
}
