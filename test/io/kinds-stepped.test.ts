/**
 * The command line's stepped `sample` and `eval` of the boltzmann-machine,
 * dbn and hopfield kinds (issue #15: progress and Ctrl-C between units) give
 * the numbers of the models' own synchronous methods bit for bit, however
 * the units are cut into slices, and report the work's units.
 */
import { describe, expect, it } from 'vitest';
import { BOLTZMANN_MACHINE_KIND, bmSampleWork } from '../../src/io/kinds/boltzmann-machine.js';
import { DBN_KIND, dbnSampleWork } from '../../src/io/kinds/dbn.js';
import { HOPFIELD_KIND, hopfieldSampleWork } from '../../src/io/kinds/hopfield.js';
import type { EvaluateReport } from '../../src/io/registry.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBN } from '../../src/models/dbn.js';
import { isSteppedWork, type SteppedWork } from '../../src/models/fit-async.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import { Random } from '../../src/random/random.js';

/** Drives `work` in uneven slices (1, 2, …, 7 units) and returns its result. */
function drive<T>(work: SteppedWork<T>): T {
  let k = 0;
  while (work.done < work.total) work.advance(1 + (k++ % 7));
  expect(work.done).toBe(work.total);
  return work.result();
}

function stepped<T>(out: T | SteppedWork<T>): SteppedWork<T> {
  expect(isSteppedWork(out)).toBe(true);
  return out as SteppedWork<T>;
}

const bmEval = BOLTZMANN_MACHINE_KIND.evaluate as NonNullable<typeof BOLTZMANN_MACHINE_KIND.evaluate>;
const dbnEval = DBN_KIND.evaluate as NonNullable<typeof DBN_KIND.evaluate>;
const hopfieldEval = HOPFIELD_KIND.evaluate as NonNullable<typeof HOPFIELD_KIND.evaluate>;

function bits(rows: number, cols: number, seed: number, p = 0.4): Matrix {
  const r = new Random(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => (r.float64() < p ? 1 : 0)) };
}

describe('stepped sample and eval of the command-line kinds', () => {
  it('boltzmann-machine: sample and AIS eval equal bm.sample and bm.score', () => {
    const mk = () => new BoltzmannMachine(26, 3, { rng: 4, initScale: 0.5 });
    const a = mk(), b = mk();
    expect(drive(bmSampleWork(b, 5, 9)).data).toEqual(a.sample(5, { steps: 9 }).data);
    expect(b.random.float64()).toBe(a.random.float64()); // the model's stream advanced alike
    const data = bits(6, 26, 1);
    const want = mk().score(data, { method: 'ais', aisRuns: 12, aisBetas: 90, rng: 3 });
    const w = stepped(bmEval(mk(), data, { seed: 3, options: { runs: 12, 'ais-steps': 90 }, given: new Set(['runs']) }));
    expect(w.total).toBe(90);
    const got = drive(w).fields;
    expect([got.method, got.logLikelihood, got.logLikelihoodLower, got.logLikelihoodUpper, got.logZ, got.effectiveSampleSize]).toEqual([
      'ais', want.mean, want.lower, want.upper, want.logZ, want.ess,
    ]);
    // 29 units: past the exact enumeration, 'auto' is AIS (stepped); a small machine is exact (a value)
    expect(isSteppedWork(bmEval(mk(), data, { seed: 0, options: { runs: 2, 'ais-steps': 10 }, given: new Set() }))).toBe(true);
    const small = new BoltzmannMachine(5, 2, { rng: 1 });
    const exact = bmEval(small, bits(4, 5, 2), { seed: 0, options: { runs: 100, 'ais-steps': 14500 }, given: new Set() });
    expect(isSteppedWork(exact)).toBe(false);
  });

  it('dbn: sample equals dbn.sample; the bound (AIS over the top RBM, blocks of the up-pass) equals dbn.score', () => {
    for (const sizes of [[30, 25, 22], [30, 22], [12, 6, 4]]) {
      const mk = () => new DBN(sizes, { rng: 3, weightStd: 0.3 });
      expect(drive(dbnSampleWork(mk(), 5, 9, new Random(7))).data).toEqual(mk().sample(5, { steps: 9, meanField: false, rng: 7 }).data);
      const data = bits(50, sizes[0] as number, 5); // 50 rows × 100 samples: ten blocks of 500 rows in the up-pass
      const want = mk().score(data, { method: 'bound', aisRuns: 10, aisBetas: 120, rng: 5 });
      const w = stepped(dbnEval(mk(), data, { seed: 5, options: { runs: 10, 'ais-steps': 120 }, given: new Set(['ais-steps']) }));
      // log Z_top by AIS (120 β steps) unless the top RBM's smaller layer has ≤ 20 units; 10 blocks per layer below the top
      const aisUnits = Math.min(sizes.at(-1) as number, sizes.at(-2) as number) > 20 ? 120 : 0;
      expect(w.total).toBe(aisUnits + (sizes.length - 2) * 10);
      const got = drive(w).fields;
      expect([got.method, got.logLikelihood, got.logLikelihoodLower, got.logLikelihoodUpper, got.logZ]).toEqual(['bound', want.mean, want.lower, want.upper, want.logZ]);
    }
    // small enough to enumerate and no AIS option given: exact, a value
    const small = new DBN([6, 4, 3], { rng: 1 });
    const r = dbnEval(small, bits(4, 6, 2), { seed: 0, options: { runs: 100, 'ais-steps': 14500 }, given: new Set() });
    expect(isSteppedWork(r)).toBe(false);
    expect((r as EvaluateReport).fields.method).toBe('exact');
  });

  it('hopfield: sample equals net.sample (bits); eval is one unit per row with the synchronous numbers', () => {
    const net = new HopfieldNetwork(20, { rng: 1 });
    net.fit(bits(3, 20, 4), { rule: 'pseudo-inverse', binary: true });
    const s = net.sample(4, { sweeps: 7, temperature: 0.8, rng: new Random(9) });
    const w = hopfieldSampleWork(net, 4, 7, 0.8, new Random(9));
    expect(w.total).toBe(28);
    expect(Array.from(drive(w).data)).toEqual(Array.from(s.data, (y) => (y > 0 ? 1 : 0)));
    const data = bits(9, 20, 6);
    const e = stepped(hopfieldEval(net, data, { seed: 2, options: { noise: 0.1 }, given: new Set() }));
    expect([e.total, e.label, e.unit]).toEqual([9, 'recall', 'rows']);
    // the same numbers as the loop done at once
    const once = stepped(hopfieldEval(net, data, { seed: 2, options: { noise: 0.1 }, given: new Set() }));
    once.advance(once.total);
    expect(drive(e).fields).toEqual(once.result().fields);
    // and as a hand-written loop over the rows
    const rng = new Random(2);
    let overlap = 0;
    for (let p = 0; p < 9; p++) {
      const y = Float64Array.from(data.data.subarray(p * 20, p * 20 + 20), (x) => 2 * x - 1);
      const cue = y.slice();
      for (let i = 0; i < 20; i++) if (rng.float64() < 0.1) cue[i] = -(cue[i] as number);
      const st = net.evolve(cue, { maxSweeps: 100 }).state;
      let o = 0;
      for (let i = 0; i < 20; i++) o += (st[i] as number) * (y[i] as number);
      overlap += o / 20 / 9;
    }
    expect(once.result().fields.meanOverlap).toBe(overlap);
  });
});
