/**
 * fitInWorker / scoreInWorker / serveModelWorker (issue #16, "not blocking a
 * page") with a real worker_threads Worker: the model trained in the worker
 * is bit for bit the one `model.fit` gives on this thread (RBM, stepped; and
 * BoltzmannMachine, one synchronous fit), progress events arrive (one per
 * epoch at least), an abort stops the worker before its next update (with and
 * without the shared flag) and leaves the model as `fit` with a signal would,
 * the score equals `model.score` with the same generator, and bad input or a
 * failing worker rejects with typed errors, leaving the model as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FormatError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { BoltzmannMachine } from '../../src/models/boltzmann-machine.js';
import { DBM } from '../../src/models/dbm.js';
import { DBN } from '../../src/models/dbn.js';
import { GaussianRBM } from '../../src/models/gaussian-rbm.js';
import { HopfieldNetwork } from '../../src/models/hopfield-network.js';
import type { FitResult } from '../../src/models/contract.js';
import { RBM } from '../../src/models/rbm.js';
import { Random } from '../../src/random/random.js';
import { fitInWorker, ModelWorkerError, type ModelWorkerLike, scoreInWorker, type WorkerProgress } from '../../src/io/worker.js';
import { nodeWorkerPort } from '../../src/node/worker-port.js';

let dir: string;
let script: string;
const workers: Worker[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'boltzmann-worker-'));
  script = join(dir, 'serve.mjs');
  const r = await build({
    entryPoints: [fileURLToPath(new URL('./worker-serve-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  writeFileSync(script, r.outputFiles[0]?.text ?? '');
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function spawn(): ModelWorkerLike {
  const w = new Worker(script);
  workers.push(w);
  return nodeWorkerPort(w);
}

function bits(rows: number, cols: number, seed: number, p = 0.3): Matrix {
  const r = new Random(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => (r.float64() < p ? 1 : 0)) };
}

const same = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectSameRBM(a: RBM, b: RBM): void {
  expect(same(a.weights.data, b.weights.data)).toBe(true);
  expect(same(a.visibleBias, b.visibleBias)).toBe(true);
  expect(same(a.hiddenBias, b.hiddenBias)).toBe(true);
  expect(a.random.getState()).toEqual(b.random.getState());
}

const withoutSeconds = (r: FitResult) => ({ ...r, history: r.history.map(({ seconds: _s, ...m }) => m) });

describe('fitInWorker (worker_threads)', () => {
  it('RBM: the worker trains the model in place, bit for bit as model.fit here; progress per epoch with metrics', async () => {
    const worker = spawn();
    const data = bits(120, 20, 1);
    for (const options of [{ epochs: 6, batchSize: 10 }, { epochs: 4, method: 'cd' as const, k: 2, batchSize: 7, learningRate: 0.05 }]) {
      const here = new RBM(20, 12, { rng: 3, data });
      const there = new RBM(20, 12, { rng: 3, data });
      const want = here.fit(data, { ...options, onEpoch: () => {} });
      const events: WorkerProgress[] = [];
      const got = await fitInWorker(worker, there, data, options, { onProgress: (p) => events.push(p) });
      expectSameRBM(there, here);
      expect(withoutSeconds(got)).toEqual(withoutSeconds(want));
      const perEpoch = events.filter((e) => e.metrics !== undefined);
      expect(perEpoch.map((e) => e.epoch)).toEqual(Array.from({ length: options.epochs }, (_, k) => k + 1));
      expect(perEpoch.map((e) => e.metrics?.epoch)).toEqual(want.history.map((m) => m.epoch));
      const total = options.epochs * Math.ceil(120 / options.batchSize);
      const last = events[events.length - 1] as WorkerProgress;
      expect([last.done, last.total, last.steps]).toEqual([total, total, total]);
      // the same model keeps working here afterwards: its stream continued as fit's did
      expect(there.sample(3, { steps: 5 }).data).toEqual(here.sample(3, { steps: 5 }).data);
      expect(Array.from(there.freeEnergy(data))).toEqual(Array.from(here.freeEnergy(data)));
    }
    // the model's scratch, sized by freeEnergy above, travels too: the skeleton still rebuilds it (no full document asked for)
    const types: string[] = [];
    const listen = (e: { data?: unknown }) => types.push((e.data as { type: string }).type);
    worker.addEventListener('message', listen);
    const here = new RBM(20, 12, { rng: 3, data });
    const there = new RBM(20, 12, { rng: 3, data });
    here.freeEnergy(data);
    there.freeEnergy(data);
    here.fit(data, { epochs: 2, batchSize: 10 });
    await fitInWorker(worker, there, data, { epochs: 2, batchSize: 10 });
    worker.removeEventListener('message', listen);
    expectSameRBM(there, here);
    expect(types).not.toContain('need-document');
    expect(types).toContain('done');
  }, 60_000);

  it('RBM: a slice of sliceMs 0 is one update: one progress event per mini-batch, done counting up', async () => {
    const worker = spawn();
    const data = bits(50, 10, 2);
    const rbm = new RBM(10, 6, { rng: 5 });
    const events: WorkerProgress[] = [];
    await fitInWorker(worker, rbm, data, { epochs: 3, batchSize: 10, method: 'pcd', nChains: 10 }, { sliceMs: 0, onProgress: (p) => events.push(p) });
    const slices = events.filter((e) => e.metrics === undefined).map((e) => e.done);
    // 15 updates: an event after each, then the last event (the fit's end) with all 15
    expect(slices).toEqual([...Array.from({ length: 15 }, (_, k) => k + 1), 15]);
  }, 60_000);

  it('BoltzmannMachine (one synchronous fit in the worker): bit for bit as model.fit here, an event per epoch', async () => {
    const worker = spawn();
    const data = bits(40, 8, 3, 0.5);
    const options = { epochs: 5, learningRate: 0.05, batchSize: 10 };
    const here = new BoltzmannMachine(8, 3, { rng: 4 });
    const there = new BoltzmannMachine(8, 3, { rng: 4 });
    const want = here.fit(data, options);
    const events: WorkerProgress[] = [];
    const got = await fitInWorker(worker, there, data, options, { onProgress: (p) => events.push(p) });
    expect(JSON.stringify(there.toDocument())).toBe(JSON.stringify(here.toDocument()));
    expect(there.random.getState()).toEqual(here.random.getState());
    expect(withoutSeconds(got)).toEqual(withoutSeconds(want));
    expect(events.filter((e) => e.metrics !== undefined).length).toBe(5);
    expect(there.sample(4, { steps: 3 }).data).toEqual(here.sample(4, { steps: 3 }).data);
  }, 60_000);

  it('DBN (layers nested in the model): bit for bit as model.fit here', async () => {
    const worker = spawn();
    const data = bits(60, 12, 14);
    const options = { epochs: 3, batchSize: 10 };
    const here = new DBN([12, 8, 5], { rng: 15 });
    const there = new DBN([12, 8, 5], { rng: 15 });
    const want = here.fit(data, { ...options, onEpoch: () => {} }); // the worker passes onEpoch (its metrics go to onProgress)
    const got = await fitInWorker(worker, there, data, options);
    expect(JSON.stringify(there.toDocument())).toBe(JSON.stringify(here.toDocument()));
    expect(there.random.getState()).toEqual(here.random.getState());
    expect(withoutSeconds(got)).toEqual(withoutSeconds(want));
    expect(there.sample(3, { steps: 4 }).data).toEqual(here.sample(3, { steps: 4 }).data);
  }, 60_000);

  it('GaussianRBM, DBM (from the skeleton, and from the full document where the worker asks for it) and Hopfield: bit for bit as model.fit here', async () => {
    const port = spawn();
    const types: string[] = [];
    port.addEventListener('message', (e) => types.push((e.data as { type: string }).type));
    const data = bits(40, 6, 16, 0.5);
    const wide = bits(30, 40, 20, 0.4);
    const wider = bits(20, 1100, 21, 0.4);
    const spins = { rows: 3, cols: 6, data: Float64Array.from([1, -1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1]) };
    const cases: [string, () => { fit(d: unknown, o?: object): FitResult; toDocument(): unknown; random: Random }, Matrix, object, boolean][] = [
      ['gaussian-rbm', () => new GaussianRBM(6, 3, { rng: 17 }), data, { epochs: 2, batchSize: 10 }, false],
      // weights set aside (1 200 entries) and rebuilt from the skeleton: their shape is in the config
      ['dbm', () => new DBM([40, 30, 5], { rng: 18 }), wide, { epochs: 2, pretrain: 2, batchSize: 10 }, false],
      // a bias of 1 100 entries set aside: its shape is its length, written empty, so the worker asks for the full document
      ['dbm', () => new DBM([1100, 3, 2], { rng: 19 }), wider, { epochs: 1, pretrain: 1, batchSize: 10 }, true],
      ['hopfield', () => new HopfieldNetwork(6), spins, {}, false],
    ];
    for (const [name, mk, d, options, full] of cases) {
      const here = mk(), there = mk();
      here.fit(d, { ...options, ...(name === 'hopfield' ? {} : { onEpoch: () => {} }) });
      types.length = 0;
      await fitInWorker(port, there, d, options);
      expect(JSON.stringify(there.toDocument()), name).toBe(JSON.stringify(here.toDocument()));
      expect(there.random.getState(), name).toEqual(here.random.getState());
      expect(types.includes('need-document'), name).toBe(full);
    }
  }, 60_000);

  for (const shared of [true, false]) {
    it(`abort (${shared ? 'shared flag' : 'message between slices, no SharedArrayBuffer'}): resolves aborted, the model holds the updates made, as fit with a signal`, async () => {
      if (!shared) vi.stubGlobal('crossOriginIsolated', false);
      const worker = spawn();
      const data = bits(400, 40, 6);
      const options = { epochs: 200, batchSize: 10, method: 'pcd' as const, nChains: 10, learningRate: 0.05 };
      const total = 200 * 40;
      const there = new RBM(40, 30, { rng: 7 });
      const controller = new AbortController();
      const events: WorkerProgress[] = [];
      const r = await fitInWorker(worker, there, data, options, {
        sliceMs: 5,
        signal: controller.signal,
        onProgress: (p) => {
          events.push(p);
          if (p.done >= 60) controller.abort();
        },
      });
      const last = events[events.length - 1] as WorkerProgress;
      const n = last.steps;
      expect(r.aborted).toBe(true);
      expect(n).toBeGreaterThanOrEqual(60);
      expect(n).toBeLessThan(total / 4);
      expect(r.epochs).toBe(Math.floor(n / 40));
      // what fit with a signal gives when it is aborted after n updates
      const here = new RBM(40, 30, { rng: 7 });
      const stopAt = {
        get aborted() {
          return ((here as unknown as { trainer?: { steps: number } }).trainer?.steps ?? 0) >= n;
        },
      } as AbortSignal;
      const want = here.fit(data, { ...options, signal: stopAt });
      expect(want.aborted).toBe(true);
      expect(r.epochs).toBe(want.epochs);
      expectSameRBM(there, here);
    }, 60_000);
  }

  it('abort of the synchronous family fit (BoltzmannMachine) through the shared flag', async () => {
    const worker = spawn();
    const data = bits(100, 12, 8, 0.5);
    const options = { epochs: 100_000, learningRate: 0.01, batchSize: 10 };
    const there = new BoltzmannMachine(12, 4, { rng: 9 });
    const before = JSON.stringify(there.toDocument());
    const controller = new AbortController();
    const r = await fitInWorker(worker, there, data, options, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch >= 3) controller.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.epochs).toBeGreaterThanOrEqual(3);
    expect(r.epochs).toBeLessThan(100_000);
    expect(JSON.stringify(there.toDocument())).not.toBe(before);
  }, 60_000);
});

describe('scoreInWorker (worker_threads)', () => {
  it('RBM AIS (stepped) equals model.score here, with a seed and with the model’s own stream', async () => {
    const worker = spawn();
    const data = bits(30, 30, 10);
    const mk = () => new RBM(30, 28, { rng: 11, data });
    const seeded = { method: 'ais' as const, aisRuns: 16, aisBetas: 300, rng: 5 };
    const a = mk(), b = mk();
    const events: WorkerProgress[] = [];
    expect(await scoreInWorker(worker, b, data, seeded, { sliceMs: 0, onProgress: (p) => events.push(p) })).toEqual(a.score(data, seeded));
    expect(events.length).toBeGreaterThan(10);
    expect(events[events.length - 1]).toMatchObject({ task: 'score', done: 300, total: 300 });
    // 'auto' is AIS past 25 units; no rng: the model's stream, continued alike
    const auto = { aisRuns: 8, aisBetas: 200 };
    const c = mk(), d = mk();
    const want = c.score(data, auto);
    expect(want.method).toBe('ais');
    expect(await scoreInWorker(worker, d, data, auto)).toEqual(want);
    expect(d.random.getState()).toEqual(c.random.getState());
  }, 60_000);

  it('exact scores and other families run the model’s own score', async () => {
    const worker = spawn();
    const small = new RBM(6, 4, { rng: 1 });
    const data = bits(10, 6, 2);
    expect(await scoreInWorker(worker, small, data)).toEqual(small.score(data));
    const bm = new BoltzmannMachine(6, 2, { rng: 3 });
    expect(await scoreInWorker(worker, bm, data)).toEqual(bm.score(data));
  }, 60_000);

  it('abort rejects with the signal’s reason and leaves the model’s stream as it was', async () => {
    const worker = spawn();
    const data = bits(20, 40, 12);
    const rbm = new RBM(40, 30, { rng: 13 });
    const state = rbm.random.getState();
    const controller = new AbortController();
    let last = 0;
    const p = scoreInWorker(worker, rbm, data, { method: 'ais', aisRuns: 50, aisBetas: 1_000_000 }, {
      signal: controller.signal,
      onProgress: (e) => {
        last = e.done;
        controller.abort(new Error('enough'));
      },
    });
    await expect(p).rejects.toThrow('enough');
    expect(last).toBeLessThan(1_000_000);
    expect(rbm.random.getState()).toEqual(state);
    // the worker stopped that job and serves the next one
    expect(await scoreInWorker(worker, rbm, data, { method: 'pseudo' })).toEqual(rbm.score(data, { method: 'pseudo' }));
  }, 60_000);
});

describe('fitInWorker: bad input and failing workers', () => {
  /** A worker that records what is posted and answers as told. */
  function fake(answer?: (msg: { id: number; type: string }, emit: (type: 'message' | 'error', ev: unknown) => void) => void) {
    const posted: unknown[] = [];
    const listeners: Record<string, Set<(ev: unknown) => void>> = { message: new Set(), error: new Set() };
    const emit = (type: 'message' | 'error', ev: unknown) => {
      for (const l of listeners[type] ?? []) l(ev);
    };
    const worker: ModelWorkerLike = {
      postMessage(m) {
        posted.push(m);
        const msg = m as { id: number; type: string };
        if (msg.type !== 'abort') queueMicrotask(() => answer?.(msg, emit));
      },
      addEventListener: (t, l) => listeners[t]?.add(l as (ev: unknown) => void),
      removeEventListener: (t, l) => listeners[t]?.delete(l as (ev: unknown) => void),
    };
    return { worker, posted, listeners };
  }

  it('typed errors naming the argument, before anything is posted', async () => {
    const { worker, posted } = fake();
    const rbm = new RBM(4, 2, { rng: 1 });
    const data = [[1, 0, 1, 0]];
    // (the options' types refuse these too: the casts are what untyped callers can do)
    // @ts-expect-error onEpoch is not an option here (onProgress in the fifth argument)
    void (() => fitInWorker(worker, rbm, data, { onEpoch: () => {} }));
    // @ts-expect-error a generator cannot travel: rng is a seed
    void (() => fitInWorker(worker, rbm, data, { rng: new Random(1) }));
    // @ts-expect-error not an RBM fit option
    void (() => fitInWorker(worker, rbm, data, { epochz: 3 }));
    await expect(fitInWorker(worker, rbm, data, { epochs: 1, onEpoch: () => {} } as never)).rejects.toThrow(/fitInWorker: options\.onEpoch cannot be sent to a worker; pass onProgress/);
    await expect(fitInWorker(worker, rbm, data, { signal: new AbortController().signal } as never)).rejects.toThrow(/options\.signal cannot be sent/);
    await expect(fitInWorker(worker, rbm, data, { learningRate: () => 0.1 })).rejects.toThrow(TypeError);
    await expect(fitInWorker(worker, rbm, data, { rng: new Random(1) } as never)).rejects.toThrow(/options\.rng must be data .*a seed, not a generator/);
    await expect(fitInWorker(worker, rbm, data, {}, { onProgres: () => {} } as never)).rejects.toThrow(/fitInWorker: unknown option 'onProgres'.*onProgress/);
    await expect(fitInWorker(worker, rbm, data, {}, { sliceMs: -1 })).rejects.toThrow(RangeError);
    await expect(fitInWorker(worker, rbm, 'rows' as never)).rejects.toThrow(/fitInWorker: data must be/);
    await expect(fitInWorker(worker, { kind: 'nope', toDocument: () => ({}) }, data)).rejects.toThrow(/fitInWorker: model must be of a registered kind/);
    await expect(fitInWorker({} as never, rbm, data)).rejects.toThrow(/fitInWorker: worker must have postMessage/);
    await expect(scoreInWorker(worker, rbm, data, 3 as never)).rejects.toThrow(/scoreInWorker: options must be an object/);
    expect(posted).toEqual([]);
  });

  it('the model’s own errors come back with their class and message', async () => {
    const worker = spawn();
    const rbm = new RBM(4, 2, { rng: 1 });
    const before = JSON.stringify(rbm.toDocument());
    await expect(fitInWorker(worker, rbm, [[1, 0, 1, 0]], { epochz: 3 } as never)).rejects.toThrow(/RBM\.fit(Steps)?: .*epochz/);
    await expect(fitInWorker(worker, rbm, [[1, 0, 1]], { epochs: 1 })).rejects.toThrow(RangeError);
    const bm = new BoltzmannMachine(3, 1, { rng: 1 });
    await expect(fitInWorker(worker, bm, [[1, 0, 1]], { learningRate: -1 })).rejects.toThrow(RangeError);
    expect(JSON.stringify(rbm.toDocument())).toBe(before);
  }, 60_000);

  it('a failing worker rejects with ModelWorkerError; the model is left as it was', async () => {
    const rbm = new RBM(4, 2, { rng: 1 });
    const before = [JSON.stringify(rbm.toDocument()), rbm.random.getState()];
    const data = [[1, 0, 1, 0]];
    const crash = fake((_m, emit) => emit('error', { message: 'boom' }));
    await expect(fitInWorker(crash.worker, rbm, data)).rejects.toThrow(ModelWorkerError);
    expect(crash.listeners.message.size + crash.listeners.error.size).toBe(0);
    const thrown = fake((m, emit) => emit('message', { data: { boltzmann: 'worker/1', id: m.id, type: 'error', name: 'Error', message: 'out of memory' } }));
    await expect(fitInWorker(thrown.worker, rbm, data)).rejects.toThrow(/ModelWorkerError|the worker failed: Error: out of memory/);
    const format = fake((m, emit) => emit('message', { data: { boltzmann: 'worker/1', id: m.id, type: 'error', name: 'FormatError', message: 'load rbm: bad' } }));
    await expect(fitInWorker(format.worker, rbm, data)).rejects.toThrow(FormatError);
    // replies that do not fit an RBM 4×2 (weights of a 4×3, or no parameters at all): nothing is loaded
    const done = { history: [], epochs: 1, aborted: false };
    for (const snapshot of [
      [{ path: ['random'], state: new Random(9).getState() }, { path: ['visibleBias'], array: new Float64Array(4).fill(1) }, { path: ['weights', 'data'], array: new Float64Array(12) }],
      [{ path: ['visibleBias'], array: new Float64Array(4).fill(1) }, { path: ['nope', 'data'], array: new Float64Array(8) }],
      [{ path: ['nVisible'], value: 'four' }],
      // a valid array first, then a generator state setState refuses: checked before anything is copied
      [{ path: ['visibleBias'], array: new Float64Array(4).fill(1) }, { path: ['random'], state: { algorithm: 'xoroshiro128+', words: [0, 0, 0, 0], spareNormal: null } }],
      [{ path: ['visibleBias'], array: new Float64Array(4).fill(1) }, { path: ['random'], state: { algorithm: 'nope' } }],
      undefined,
    ]) {
      const wrong = fake((m, emit) => emit('message', { data: { boltzmann: 'worker/1', id: m.id, type: 'done', result: done, snapshot, random: new Random(9).getState() } }));
      await expect(fitInWorker(wrong.worker, rbm, data)).rejects.toThrow(/fitInWorker: the worker's model does not fit this rbm \(at (weights\.data|nope\.data|nVisible|random|no snapshot)\); the model is unchanged/);
      expect([JSON.stringify(rbm.toDocument()), rbm.random.getState()]).toEqual(before);
    }
    // a reply with no fit result, or a score reply with no score or a malformed generator state
    const good = [{ path: ['visibleBias'], array: new Float64Array(4).fill(1) }];
    for (const result of [null, 3, { epochs: 1 }]) {
      const noResult = fake((m, emit) => emit('message', { data: { boltzmann: 'worker/1', id: m.id, type: 'done', result, snapshot: good } }));
      await expect(fitInWorker(noResult.worker, rbm, data)).rejects.toThrow(/fitInWorker: the worker's model does not fit this rbm \(at result\)/);
    }
    const score = { mean: -1, lower: -1, upper: -1, method: 'exact' };
    for (const [result, random, message] of [
      [score, { algorithm: 'xoroshiro128+', words: [0, 0, 0, 0], spareNormal: null }, /scoreInWorker: the worker's generator state is malformed/],
      [{ lower: 1 }, new Random(9).getState(), /scoreInWorker: the worker's reply holds no score/],
    ] as const) {
      const w = fake((m, emit) => emit('message', { data: { boltzmann: 'worker/1', id: m.id, type: 'done', result, random } }));
      await expect(scoreInWorker(w.worker, rbm, data)).rejects.toThrow(message);
    }
    expect([JSON.stringify(rbm.toDocument()), rbm.random.getState()]).toEqual(before);
    // a real worker whose script throws
    const broken = new Worker('throw new Error("no script")', { eval: true });
    workers.push(broken);
    await expect(fitInWorker(nodeWorkerPort(broken), rbm, data)).rejects.toThrow(/fitInWorker: the worker failed \(no script\)/);
    expect([JSON.stringify(rbm.toDocument()), rbm.random.getState()]).toEqual(before);
  }, 60_000);
});
