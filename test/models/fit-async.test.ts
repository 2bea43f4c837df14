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
    // the parameters (the document without its state: the call splits the model's stream for its own)
    const params = (): string => JSON.stringify({ ...dbm.toDocument(), state: undefined });
    const before = params();
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
    expect(params()).toBe(before);
  });
});

describe('fitAsync between mini-batches (RBMTrainer.fitSteps)', () => {
  /** A trainer whose one epoch is 200 mini-batches of a 300×300 RBM (well over the timer's 60 ms). */
  const longTrainer = () => new RBMTrainer(new RBM(300, 300, { rng: 1 }), { batchSize: 20, method: 'pcd', momentum: 0.5, rng: 2 });
  const longData = binaryRows(4000, 300, 5);

  it('a timer abort stops within one mini-batch, mid-epoch, and the model is that of the completed steps (nothing lost)', async () => {
    const trainer = longTrainer();
    const controller = new AbortController();
    let atAbort = -1;
    setTimeout(() => {
      atAbort = trainer.steps;
      controller.abort();
    }, 60);
    const r = await fitAsync(trainer, longData, { epochs: 3, signal: controller.signal });
    expect(r.aborted).toBe(true);
    expect(r.epochs).toBe(0); // stopped inside the first epoch, not at its end
    expect(atAbort).toBeGreaterThan(0);
    expect(trainer.steps).toBeLessThan(200);
    expect(trainer.steps - atAbort).toBeLessThanOrEqual(1); // at most the update running when the timer fired
    // the same trainer run synchronously, stopped before the same step, is the same to the bit
    const ref = longTrainer();
    const k = trainer.steps;
    const stopAtK = { get aborted() { return ref.steps >= k; } } as AbortSignal;
    const rr = ref.fit(longData, { epochs: 3, signal: stopAtK });
    expect(rr.aborted).toBe(true);
    expect(ref.steps).toBe(k);
    expect(JSON.stringify(trainer.toDocument())).toBe(JSON.stringify(ref.toDocument()));
  }, 60_000);

  it('pauses between mini-batches: a timer fires during the first epoch, and the run equals one fit (history too)', async () => {
    const data = binaryRows(600, 40, 8);
    const mk = () => new RBMTrainer(new RBM(40, 30, { rng: 3 }), { batchSize: 5, rng: 4 });
    const a = mk(), b = mk();
    const ra = a.fit(data, { epochs: 3 });
    let firedAt = -1;
    const timer = setInterval(() => {
      if (firedAt < 0) firedAt = b.steps;
    }, 0);
    const rb = await fitAsync(b, data, { epochs: 3, sliceMs: 0 });
    clearInterval(timer);
    expect(firedAt).toBeGreaterThanOrEqual(0);
    expect(firedAt).toBeLessThan(120); // a timer ran before the first epoch (120 mini-batches) ended
    expect(rb.epochs).toBe(3);
    expect(JSON.stringify(b.toDocument())).toBe(JSON.stringify(a.toDocument()));
    const strip = (h: typeof ra.history) => h.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(rb.history)).toEqual(strip(ra.history));
  });

  it('fitSteps yields once per mini-batch update and returns what fit returns', () => {
    const data = binaryRows(23, 6, 9);
    const a = new RBMTrainer(new RBM(6, 4, { rng: 1 }), { batchSize: 5, rng: 2 });
    const b = new RBMTrainer(new RBM(6, 4, { rng: 1 }), { batchSize: 5, rng: 2 });
    const it = a.fitSteps(data, { epochs: 2 });
    let yields = 0;
    let r = it.next();
    while (r.done !== true) {
      yields++;
      expect(a.steps).toBe(yields); // one update per pause
      r = it.next();
    }
    expect(yields).toBe(2 * 5); // 2 epochs × ⌈23 / 5⌉ mini-batches
    const want = b.fit(data, { epochs: 2 });
    expect(r.value.epochs).toBe(2);
    expect(r.value.history.map((h) => h.pseudoLikelihood)).toEqual(want.history.map((h) => h.pseudoLikelihood));
    expect(JSON.stringify(a.toDocument())).toBe(JSON.stringify(b.toDocument()));
  });

  it('the Boltzmann machine and DBM trainers yield once per update too, with the numbers of fit; a timer abort stops them mid-epoch', async () => {
    const data = binaryRows(40, 8, 4);
    const make = [
      () => new BoltzmannMachineTrainer(new BoltzmannMachine(8, 3, { rng: 1 }), { batchSize: 10, rng: 2 }),
      () => new DBMTrainer(new DBM([8, 5, 3], { rng: 1 }), { batchSize: 10, rng: 2 }),
    ];
    for (const mk of make) {
      const a = mk(), b = mk();
      const it = a.fitSteps(data, { epochs: 3 });
      let yields = 0;
      let r = it.next();
      while (r.done !== true) {
        yields++;
        expect(a.steps).toBe(yields);
        r = it.next();
      }
      expect(yields).toBe(3 * 4);
      b.fit(data, { epochs: 3 });
      expect(JSON.stringify(a.model.toDocument(a.saveState()))).toBe(JSON.stringify(b.model.toDocument(b.saveState())));
      // a signal aborted by a timer while the first epoch runs (each update sleeps 5 ms: 4 updates an epoch, 100 epochs)
      const c = mk();
      const slow = { fit: c.fit.bind(c), fitSteps: function* (d: never, o: never) {
        const inner = c.fitSteps(d, o);
        for (let s = inner.next(); ; s = inner.next()) {
          if (s.done === true) return s.value;
          const until = performance.now() + 5;
          while (performance.now() < until) {}
          yield;
        }
      } };
      const controller = new AbortController();
      let atAbort = -1;
      setTimeout(() => {
        atAbort = c.steps;
        controller.abort();
      }, 8);
      const res = await fitAsync(slow, data, { epochs: 100, signal: controller.signal, sliceMs: 0 });
      expect(res.aborted).toBe(true);
      expect(c.steps - atAbort).toBeLessThanOrEqual(1);
      expect(c.steps).toBeLessThan(400);
    }
  });

  it('fitSteps checks its arguments before any update, and fitAsync its sliceMs', async () => {
    const t = new RBMTrainer(new RBM(3, 2, { rng: 1 }), { batchSize: 1 });
    expect(() => t.fitSteps([[1, 0, 1]], { epochs: 1, bogus: 1 } as never)).toThrow(/RBMTrainer.fitSteps: unknown option 'bogus'/);
    expect(t.steps).toBe(0);
    await expect(fitAsync(t, [[1, 0, 1]], { epochs: 1, sliceMs: -1 })).rejects.toThrow(/fitAsync: sliceMs/);
  });
});
