/**
 * The asynchronous forms (issue #15, "Long work: progress, and Ctrl-C within a
 * second"): stepped AIS and Gibbs sampling give the synchronous numbers bit for
 * bit however they are sliced, the async forms stop on a signal aborted by a
 * TIMER (which only fires if the loop lets the event loop run), and `fitAsync`
 * gives the parameters of one long `fit`.
 */
import { describe, expect, it } from 'vitest';
import {
  aisSchedule,
  annealedImportanceSampling,
  annealedImportanceSamplingAsync,
  BoltzmannMachine,
  BoltzmannMachineTrainer,
  DBM,
  dbmAIS,
  dbmAISAsync,
  DBMTrainer,
  fitAsync,
  pretrainDBM,
  pretrainDBMAsync,
  MODEL_REGISTRY,
  Random,
  RBM,
  rbmAIS,
  rbmAISAsync,
  rbmAISWork,
  RBMTrainer,
  runStepped,
  type Matrix,
} from '../../src/index.js';
import { dbmSampleWork, gibbsSampleWork, rbmAISPath } from '../../src/base.js';

function binaryRows(n: number, d: number, seed: number): Matrix {
  const r = new Random(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r.float64() < 0.3 + 0.4 * ((i % d) / d) ? 1 : 0;
  return { rows: n, cols: d, data };
}

function randomRBM(nV: number, nH: number, seed: number): RBM {
  const rbm = new RBM(nV, nH, { rng: seed, weightStd: 0.3 });
  new Random(seed + 1).fillNormal(rbm.hiddenBias, 0, 0.5);
  return rbm;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): void => {
  expect(Array.from(a)).toEqual(Array.from(b));
};

describe('stepped AIS', () => {
  const rbm = randomRBM(12, 8, 3);
  const betas = aisSchedule(7, 30, 90);
  const want = rbmAIS(rbm, { betas, runs: 17, rng: 5 });

  it('gives rbmAIS bit for bit, however it is sliced', () => {
    for (const slices of [[1], [3, 1, 50], [127], [1000]]) {
      const w = rbmAISWork(rbm, { betas, runs: 17, rng: 5 });
      expect(w.total).toBe(127);
      let i = 0;
      while (w.done < w.total) w.advance(slices[i++ % slices.length]);
      const got = w.result();
      expect(got.logZ).toBe(want.logZ);
      same(got.logWeights, want.logWeights);
    }
  });

  it('refuses a result before the last step', () => {
    const w = rbmAISWork(rbm, { betas, runs: 17, rng: 5 });
    w.advance(10);
    expect(() => w.result()).toThrow(/10 of 127/);
  });

  it('rbmAISAsync, annealedImportanceSamplingAsync and dbmAISAsync give the synchronous numbers', async () => {
    const progress: number[] = [];
    const a = await rbmAISAsync(rbm, { betas, runs: 17, rng: 5, onProgress: (d) => progress.push(d) });
    same(a.logWeights, want.logWeights);
    expect(progress).toEqual(Array.from({ length: 127 }, (_, i) => i + 1));
    const path = () => rbmAISPath(rbm, new Float64Array(12));
    const s = annealedImportanceSampling(path(), { betas, runs: 9, rng: 2 });
    same((await annealedImportanceSamplingAsync(path(), { betas, runs: 9, rng: 2 })).logWeights, s.logWeights);
    const dbm = new DBM([8, 6, 4], { rng: 4, weightStd: 0.4 });
    same((await dbmAISAsync(dbm, { betas, runs: 9, rng: 3 })).logWeights, dbmAIS(dbm, { betas, runs: 9, rng: 3 }).logWeights);
  });

  it('stops on a signal aborted by a timer (the loop lets the event loop run)', async () => {
    // 14 500 β steps × 100 runs on 200×100 takes tens of seconds; the timer fires after 30 ms.
    const big = randomRBM(200, 100, 9);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let steps = 0;
    const onProgress = (d: number): void => {
      steps = d;
      // The timer starts at the first step: it can only fire if the loop pauses for the event loop.
      timer ??= setTimeout(() => controller.abort(new Error('stop')), 30);
    };
    const run = rbmAISAsync(big, { rng: 1, signal: controller.signal, onProgress });
    await expect(run).rejects.toThrow('stop');
    clearTimeout(timer);
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(14500);
  });

  it('runStepped checks its arguments', async () => {
    await expect(runStepped({} as never)).rejects.toThrow(/runStepped: work must be stepped work/);
    const w = rbmAISWork(rbm, { betas, runs: 3, rng: 1 });
    await expect(runStepped(w, { sliceMs: -1 })).rejects.toThrow(/sliceMs/);
    await expect(runStepped(w, { signal: 'x' as never })).rejects.toThrow(/signal must be an AbortSignal/);
  });
});

describe('stepped sampling and the kinds\' hooks', () => {
  it('gibbsSampleWork gives rbm.sample bit for bit', () => {
    const rbm = randomRBM(10, 6, 2);
    const want = rbm.sample(5, { steps: 37, rng: new Random(8) });
    const w = gibbsSampleWork(rbm, 5, 37, new Random(8));
    while (w.done < w.total) w.advance(4);
    same(w.result().data, want.data);
  });

  it('dbmSampleWork gives dbm.sample (meanField: false) bit for bit', () => {
    const dbm = new DBM([10, 6, 4], { rng: 3, weightStd: 0.5 });
    const want = dbm.sample(4, { steps: 23, meanField: false, rng: new Random(9) });
    const w = dbmSampleWork(dbm, 4, 23, new Random(9));
    while (w.done < w.total) w.advance(5);
    same(w.result().data, want.data);
  });

  it("the dbm kind's bound eval is DBM.score's numbers bit for bit (default and --runs/--ais-steps)", async () => {
    const kind = MODEL_REGISTRY.get('dbm');
    const dbm = new DBM([30, 20, 12], { rng: 5, weightStd: 0.2 });
    const data = binaryRows(25, 30, 4);
    for (const [options, given, scoreOptions] of [
      [{ runs: 7, 'ais-steps': 150 }, new Set(['runs', 'ais-steps']), { method: 'bound', aisRuns: 7, aisBetas: 150 }],
      [{ runs: 5, 'ais-steps': null }, new Set(['runs']), { method: 'bound', aisRuns: 5 }],
    ] as const) {
      const a = dbm.clone(), b = dbm.clone();
      const out = kind?.evaluate?.(a, data, { seed: 0, options, given });
      const f = ((await runStepped(out as never)) as { fields: Record<string, number> }).fields;
      const want = b.score(data, scoreOptions as never);
      expect(f.logLikelihoodBound).toBe(want.mean);
      expect(f.logLikelihoodLower).toBe(want.lower);
      expect(f.logLikelihoodUpper).toBe(want.upper);
      expect(f.logZ).toBe(want.logZ);
    }
  }, 60_000);

  it("the rbm kind's AIS eval is RBM.score's numbers bit for bit", async () => {
    const kind = MODEL_REGISTRY.get('rbm');
    const rbm = randomRBM(30, 25, 6);
    const data = binaryRows(40, 30, 1);
    const out = kind?.evaluate?.(rbm, data, { seed: 3, options: { runs: 11, 'ais-steps': 200 }, given: new Set(['runs']) });
    const report = await runStepped(out as never);
    const want = rbm.score(data, { method: 'ais', aisRuns: 11, aisBetas: 200, rng: 3 });
    const f = (report as { fields: Record<string, number> }).fields;
    expect(f.logLikelihood).toBe(want.mean);
    expect(f.logLikelihoodLower).toBe(want.lower);
    expect(f.logLikelihoodUpper).toBe(want.upper);
    expect(f.logZ).toBe(want.logZ);
  });
});

describe('fitAsync', () => {
  it('gives the parameters of one long fit (RBM, Boltzmann machine, DBM trainers)', async () => {
    const data = binaryRows(30, 8, 2);
    const make = [
      () => new RBMTrainer(new RBM(8, 5, { rng: 1 }), { batchSize: 7, method: 'pcd', rng: 2 }),
      () => new BoltzmannMachineTrainer(new BoltzmannMachine(8, 3, { rng: 1 }), { batchSize: 10, rng: 2 }),
      () => new DBMTrainer(new DBM([8, 5, 3], { rng: 1 }), { batchSize: 10, rng: 2 }),
    ];
    for (const mk of make) {
      const a = mk(), b = mk();
      const ra = a.fit(data, { epochs: 4 });
      const rb = await fitAsync(b, data, { epochs: 4 });
      expect(rb.epochs).toBe(ra.epochs);
      expect(rb.aborted).toBe(false);
      expect(JSON.stringify(b.model.toDocument())).toBe(JSON.stringify(a.model.toDocument()));
    }
  });

  it('stops on a signal aborted by a timer', async () => {
    const data = binaryRows(2000, 100, 3);
    const trainer = new RBMTrainer(new RBM(100, 100, { rng: 1 }), { batchSize: 10, rng: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const r = await fitAsync(trainer, data, { epochs: 500, signal: controller.signal });
    expect(r.aborted).toBe(true);
    expect(r.epochs).toBeLessThan(500);
  });

  it('stops when onEpoch returns false and checks its arguments', async () => {
    const trainer = new RBMTrainer(new RBM(4, 2, { rng: 1 }), { batchSize: 2 });
    const r = await fitAsync(trainer, [[1, 0, 1, 0], [0, 1, 0, 1]], { epochs: 9, onEpoch: (m) => m.epoch < 2 });
    expect(r.epochs).toBe(3);
    expect(r.history.length).toBe(3);
    await expect(fitAsync(trainer, [[1, 0, 1, 0]], {})).rejects.toThrow(/fitAsync: options.epochs is required/);
    await expect(fitAsync({} as never, [[1]], { epochs: 1 })).rejects.toThrow(/fitAsync: trainer must have a fit/);
  });
});

describe('pretrainDBMAsync', () => {
  it('gives pretrainDBM\'s parameters bit for bit, with progress per epoch', async () => {
    const data = binaryRows(40, 10, 5);
    const a = new DBM([10, 6, 4], { rng: 2 }), b = new DBM([10, 6, 4], { rng: 2 });
    const ra = pretrainDBM(a, data, { epochs: [3, 2], trainer: { batchSize: 8 }, rng: 4 });
    const progress: string[] = [];
    const rb = await pretrainDBMAsync(b, data, { epochs: [3, 2], trainer: { batchSize: 8 }, rng: 4, onProgress: (d, t) => progress.push(`${d}/${t}`) });
    expect(rb.epochs).toBe(ra.epochs);
    expect(rb.aborted).toBe(false);
    expect(JSON.stringify(b.toDocument())).toBe(JSON.stringify(a.toDocument()));
    expect(progress).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
  });

  it('stops on a signal aborted by a timer, leaving the DBM unchanged', async () => {
    const data = binaryRows(1000, 100, 6);
    const dbm = new DBM([100, 80, 60], { rng: 3 });
    const before = JSON.stringify(dbm.toDocument());
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const r = await pretrainDBMAsync(dbm, data, {
      epochs: 200,
      trainer: { batchSize: 10 },
      signal: controller.signal,
      onProgress: () => {
        timer ??= setTimeout(() => controller.abort(), 20);
      },
    });
    clearTimeout(timer);
    expect(r.aborted).toBe(true);
    expect(r.epochs).toBeLessThan(400);
    expect(JSON.stringify(dbm.toDocument())).toBe(before);
  });
});
