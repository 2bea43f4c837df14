import { describe, expect, it } from 'vitest';
import { chainTraces, energyTraces, runChains } from '../../src/samplers/chains.js';
import { anneal } from '../../src/samplers/anneal.js';
import { energyTrace, integratedAutocorrelationTime } from '../../src/samplers/diagnostics.js';
import { QuadraticGibbs } from '../../src/samplers/gibbs.js';
import { Langevin } from '../../src/samplers/langevin.js';
import { Metropolis } from '../../src/samplers/metropolis.js';
import { runChain } from '../../src/samplers/run.js';
import { geometricSchedule } from '../../src/samplers/schedules.js';
import { ParallelTempering } from '../../src/samplers/tempering.js';
import { Random } from '../../src/random/random.js';
import { gauss2, randomQuadratic } from './ebm-helpers.js';

describe('runChains', () => {
  const q = randomQuadratic(6, 'spin', 3);
  const factory = (rng: Random) => new Metropolis(q, { rng, temperature: 1.5 });

  it('chain i gives the same numbers alone, among more chains, or in another order', () => {
    const all = runChains(5, factory, { nSamples: 50, burnIn: 5, rng: 42 });
    const subset = runChains(5, factory, { nSamples: 50, burnIn: 5, rng: 42, chains: [3, 1] });
    const more = runChains(9, factory, { nSamples: 50, burnIn: 5, rng: 42 });
    expect(subset.indices).toEqual([3, 1]);
    expect(Array.from(subset.runs[0].samples)).toEqual(Array.from(all.runs[3].samples));
    expect(Array.from(subset.runs[1].samples)).toEqual(Array.from(all.runs[1].samples));
    for (let i = 0; i < 5; i++) expect(Array.from(more.runs[i].samples)).toEqual(Array.from(all.runs[i].samples));
    // Different chains differ (independent streams).
    expect(Array.from(all.runs[0].samples)).not.toEqual(Array.from(all.runs[1].samples));
  });

  it('the root generator is not advanced; traces and energies line up with the runs', () => {
    const root = new Random(7);
    const before = JSON.stringify(root.getState());
    const seen: number[] = [];
    const r = runChains(3, factory, { nSamples: 10, rng: root, onSample: (_x, _k, c) => seen.push(c) });
    expect(JSON.stringify(root.getState())).toBe(before);
    expect(seen.filter((c) => c === 2).length).toBe(10);
    const tr = chainTraces(r, (x) => x[0]);
    expect(tr.length).toBe(3);
    expect(tr[1][4]).toBe(r.runs[1].samples[4 * 6]);
    expect(energyTraces(r)[2]).toBe(r.runs[2].energies);
    expect(r.samplers[0].acceptanceRate).toBeGreaterThan(0);
  });

  it('validates its arguments', () => {
    expect(() => runChains(0, factory, { nSamples: 1 })).toThrow(/nChains/);
    expect(() => runChains(2, factory, { nSamples: 1, chains: [0, 0] })).toThrow(/repeat/);
    expect(() => runChains(2, factory, { nSamples: 1, chains: [2] })).toThrow(RangeError);
    expect(() => runChains(2, (() => 3) as never, { nSamples: 1 })).toThrow(TypeError);
    expect(() => runChains(2, factory, { nSamples: -1 })).toThrow(/nSamples/);
  });
});

describe('sampler options: an unknown key is refused, naming it and the closest valid key', () => {
  it('every options object in samplers/ is checked', () => {
    const q = randomQuadratic(4, 'spin', 1);
    const bad = (f: () => unknown, key: string, near: string) => {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(new RegExp(`unknown option '${key}' \\(did you mean '${near}'\\?\\)`));
    };
    bad(() => new Metropolis(q, { temprature: 1 } as never), 'temprature', 'temperature');
    bad(() => new QuadraticGibbs(q, { clmap: new Uint8Array(4) } as never), 'clmap', 'clamp');
    bad(() => new Langevin(gauss2.model, { step_size: 0.1 } as never), 'step_size', 'stepSize');
    bad(() => new ParallelTempering(q, { nReplica: 4 } as never), 'nReplica', 'nReplicas');
    const mh = new Metropolis(q, { rng: 1 });
    bad(() => runChain(mh, { nSamples: 2, burnin: 1 } as never), 'burnin', 'burnIn');
    bad(() => runChains(2, (rng) => new Metropolis(q, { rng }), { nSamples: 2, chain: [0] } as never), 'chain', 'chains');
    bad(() => anneal(mh, geometricSchedule(2, 0.5, 1), { sweepsPerTemperatur: 2 } as never), 'sweepsPerTemperatur', 'sweepsPerTemperature');
    bad(() => energyTrace(mh, 3, { thn: 2 } as never), 'thn', 'thin');
    bad(() => integratedAutocorrelationTime(new Float64Array(8), { methd: 'geyer' } as never), 'methd', 'method');
  });
});
