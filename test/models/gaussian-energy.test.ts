import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { type AnyModel, loadModel } from '../../src/io/load-model.js';
import { MODEL_REGISTRY } from '../../src/io/registry.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { DenseAssociativeMemory } from '../../src/models/dense-associative-memory.js';
import { EnergyNetwork } from '../../src/models/energy-network.js';
import { ExpandedHopfieldNetwork } from '../../src/models/expanded-hopfield-network.js';
import { GaussianEnergy } from '../../src/models/gaussian-energy.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { GradedHopfieldNetwork } from '../../src/models/graded-hopfield-network.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { IsingModel } from '../../src/models/ising.js';
import { ModernHopfieldNetwork } from '../../src/models/modern-hopfield-network.js';
import { RBM } from '../../src/models/rbm.js';
import { maxDiff, moments } from '../train/gaussian-estimators-helpers.js';

const make = (rng = 1) => new GaussianEnergy(2, { mean: [0.5, -1], precision: [2, 0.6, 0.6, 1.5], rng });

describe('GaussianEnergy', () => {
  it('energy and its gradient: E = ½(x−μ)ᵀΛ(x−μ), ∇ₓE = Λ(x−μ) = central differences', () => {
    const g = make();
    expect(g.energy([1.5, 0])).toBeCloseTo(0.5 * (2 + 1.2 + 1.5), 14);
    const x = [0.3, 0.7];
    const grad = g.gradient(new Float64Array(2), x);
    for (let j = 0; j < 2; j++) {
      const p = x.slice();
      const m = x.slice();
      p[j] += 1e-5;
      m[j] -= 1e-5;
      expect(grad[j]).toBeCloseTo((g.energy(p) - g.energy(m)) / 2e-5, 8);
    }
  });

  it('log Z is the closed form, and equals a 2-D Simpson quadrature of exp(−E)', () => {
    const g = make();
    expect(g.logZ).toBeCloseTo(Math.log(2 * Math.PI) - 0.5 * Math.log(3 - 0.36), 14);
    // quadrature on [μ − 8, μ + 8]² with 400 intervals per axis: error far below 1e-8
    const k = 400;
    const h = 16 / k;
    let z = 0;
    for (let i = 0; i <= k; i++) {
      for (let j = 0; j <= k; j++) {
        const w = (i === 0 || i === k ? 1 : i % 2 ? 4 : 2) * (j === 0 || j === k ? 1 : j % 2 ? 4 : 2);
        z += w * Math.exp(-g.energy([0.5 - 8 + i * h, -1 - 8 + j * h]));
      }
    }
    expect(Math.log((z * h * h) / 9)).toBeCloseTo(g.logZ, 8);
    expect(g.scoreSamples([[0.5, -1]])[0]).toBeCloseTo(-g.logZ, 14);
    expect(g.score([[0.5, -1], [1, 1]]).method).toBe('exact');
  });

  it('samples exactly: the moments of 40 000 draws match μ and Λ⁻¹ within 5 standard errors', () => {
    const g = make(7);
    const n = 40000;
    const s = g.sample(n);
    const { mean, cov } = moments(s.data, n, 2);
    const sigma = [1.5 / 2.64, -0.6 / 2.64, -0.6 / 2.64, 2 / 2.64];
    for (let j = 0; j < 2; j++) expect(Math.abs(mean[j] - g.mean[j])).toBeLessThan(5 * Math.sqrt(sigma[j * 3] / n));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const sd = Math.sqrt((sigma[i * 3] * sigma[j * 3] + sigma[i * 2 + j] ** 2) / n);
        expect(Math.abs(cov[i * 2 + j] - sigma[i * 2 + j])).toBeLessThan(5 * sd);
      }
    }
    // its own stream: two calls differ, the same seed repeats
    expect(maxDiff(g.sample(2).data, g.sample(2).data)).toBeGreaterThan(0);
    expect(Array.from(make(3).sample(3).data)).toEqual(Array.from(make(3).sample(3).data));
  });

  it('document round trip and clone are bit-exact; bad input is refused', () => {
    const g = make();
    g.sample(3);
    const back = GaussianEnergy.fromDocument(JSON.parse(JSON.stringify(g.toDocument())));
    expect(Array.from(back.precision)).toEqual(Array.from(g.precision));
    expect(Array.from(back.mean)).toEqual(Array.from(g.mean));
    const c = g.clone();
    expect(Array.from(c.sample(2).data)).toEqual(Array.from(g.sample(2).data));
    expect(() => new GaussianEnergy(2, { precision: [1, 2, 2, 1] })).toThrow(/positive definite/);
    expect(() => new GaussianEnergy(2, { precision: [1, 0.1, 0, 1] })).toThrow(/symmetric/);
    expect(() => new GaussianEnergy(2, { mu: [0, 0] } as never)).toThrow(/mean/);
    const doc = g.toDocument();
    (doc.tensors.precision as { data: number[] }).data = [1, 2, 2, 1];
    expect(() => GaussianEnergy.fromDocument(doc)).toThrow(FormatError);
  });
});

/**
 * One fresh model per built-in kind, typed as {@link AnyModel}: a kind whose class is
 * missing from the union does not type-check here (`tsc -p tsconfig.test.json`).
 */
const ONE_OF_EACH_KIND: Record<string, () => AnyModel> = {
  hopfield: () => new HopfieldNetwork(6, { rng: 1 }),
  'hopfield-expanded': () => new ExpandedHopfieldNetwork(6, 3, { rng: 1 }),
  'boltzmann-machine': () => new BoltzmannMachine(6, 2, { rng: 1 }),
  rbm: () => new RBM(6, 3, { rng: 1 }),
  'gaussian-rbm': () => new GaussianRBM(2, 3, { rng: 1 }),
  dbn: () => new DBN([6, 4, 3], { rng: 1 }),
  dbm: () => new DBM([6, 4, 3], { rng: 1 }),
  ising: () => new IsingModel(4, { rng: 1 }),
  'energy-network': () => new EnergyNetwork(2, { rng: 1 }),
  'graded-hopfield': () => new GradedHopfieldNetwork(6, { rng: 1 }),
  'dense-associative-memory': () => new DenseAssociativeMemory(6, { rng: 1 }),
  'modern-hopfield': () => new ModernHopfieldNetwork(2, { rng: 1 }),
  'gaussian-energy': () => new GaussianEnergy(2, { rng: 1 }),
};

/** The doc comment right above `declaration` in a source file. */
function docAbove(file: string, declaration: string): string {
  const src = readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8');
  const at = src.indexOf(declaration);
  expect(at, declaration).toBeGreaterThan(0);
  return src.slice(src.lastIndexOf('/**', at), at);
}

describe('GaussianEnergy among the registry kinds', () => {
  it('every kind of MODEL_REGISTRY (gaussian-energy among them) loads as the AnyModel member of its class', () => {
    expect(Object.keys(ONE_OF_EACH_KIND).sort()).toEqual([...MODEL_REGISTRY.names].sort());
    for (const [kind, make] of Object.entries(ONE_OF_EACH_KIND)) {
      const model = make();
      expect(model.kind, kind).toBe(kind);
      const loaded: AnyModel = loadModel(JSON.stringify(model.toDocument()));
      expect(loaded.constructor, kind).toBe(model.constructor);
      expect(MODEL_REGISTRY.get(kind)?.is(loaded), kind).toBe(true);
    }
    const g = loadModel(new GaussianEnergy(2, { mean: [1, 2] }).toDocument());
    expect(g).toBeInstanceOf(GaussianEnergy);
    if (g instanceof GaussianEnergy) expect(Array.from(g.mean)).toEqual([1, 2]);
  });

  it("the docs of MODEL_REGISTRY and AnyModel name every registered kind (before: 12 of 13, 'gaussian-energy' left out)", () => {
    const registryDoc = docAbove('io/registry.ts', 'export const MODEL_REGISTRY');
    const anyModelDoc = docAbove('io/load-model.ts', 'export type AnyModel');
    for (const kind of MODEL_REGISTRY.names) {
      expect(registryDoc, kind).toContain(`\`${kind}\``);
      expect(anyModelDoc, kind).toContain(`\`${kind}\``);
    }
  });
});
