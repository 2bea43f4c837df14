/**
 * fitInWorker in headless Chromium (issue #16, "not blocking a page"): a page
 * whose worker script only calls `serveModelWorker()` trains an RBM through
 * `fitInWorker`. The page's main thread is traced during training: no task of
 * 50 ms or more (thread time), with a positive control (a 600 ms busy loop on
 * the same thread is seen as such a task). The model that comes back is bit for
 * bit the one `model.fit` gives in Node, and an aborted fit resolves with
 * `aborted: true` and the updates made, as `fit` with a signal.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDocument } from '../../src/document.js';
import type { FitResult } from '../../src/models/contract.js';
import { RBM } from '../../src/models/rbm.js';
import type { RandomState } from '../../src/random/random.js';
import type { WorkerProgress } from '../../src/io/worker.js';
import { FIT_IN_WORKER, fitInWorkerData } from './fixtures/fit-in-worker-shared.js';
import { bundleForBrowser, hasChromium, launch, serve, type TraceEvent, traceMark, traceTasks } from './harness.js';
import type { Browser } from 'playwright-core';

interface PageResult {
  bigEpochs: number;
  ms: number;
  result: FitResult;
  events: WorkerProgress[];
  doc: ModelDocument;
  random: RandomState;
  aborted: FitResult;
  abortedSteps: number;
  abortedDoc: ModelDocument;
  crossOriginIsolated: boolean;
}

const fixture = (f: string): string => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));

describe.skipIf(!hasChromium)('fitInWorker in Chromium: training does not block the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('no main-thread task of 50 ms or more during training (control: a 600 ms loop is one); the model is Node’s, bit for bit; abort keeps the updates made', async () => {
    const [page, worker] = await Promise.all([bundleForBrowser(fixture('fit-in-worker-page.ts')), bundleForBrowser(fixture('fit-in-worker-worker.ts'))]);
    const html = '<!doctype html><meta charset="utf-8"><title>fitInWorker</title><script type="module" src="/app.js"></script>';
    const { url, server } = await serve({
      '/index.html': ['text/html; charset=utf-8', html],
      '/app.js': ['text/javascript; charset=utf-8', page],
      '/worker.js': ['text/javascript; charset=utf-8', worker],
    });
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    try {
      await browser.startTracing(tab, { categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing', '__metadata'] });
      await tab.goto(url);
      await tab.waitForFunction('window.__result !== undefined || window.__error !== undefined', undefined, { timeout: 120_000 });
      await tab.waitForTimeout(200);
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      const err = await tab.evaluate('window.__error');
      if (err !== undefined) throw new Error(`page failed: ${String(err)}`);
      expect(errors).toEqual([]);
      const r = (await tab.evaluate('window.__result')) as PageResult;

      const ev = trace.traceEvents;
      const mark = (name: string): TraceEvent => traceMark(ev, name);
      const { main, worker: workerTasks } = traceTasks(ev, 'fit-start');
      const between = (a: string, b: string): TraceEvent[] => {
        const t0 = mark(a).ts, t1 = mark(b).ts;
        return main.filter((e) => e.ts + (e.dur ?? 0) >= t0 && e.ts <= t1);
      };
      const training = between('fit-start', 'fit-end');
      const longestCpu = Math.max(...training.map((e) => e.tdur ?? 0)) / 1000;
      const longestWall = Math.max(...training.map((e) => e.dur ?? 0)) / 1000;
      const probeTask = Math.max(...between('probe-start', 'probe-end').map((e) => e.tdur ?? 0)) / 1000;
      const t0 = mark('fit-start').ts, t1 = mark('fit-end').ts;
      const workerCpu = workerTasks.filter((e) => e.ts >= t0 && e.ts <= t1).reduce((s, e) => s + (e.tdur ?? 0), 0) / 1000;
      const { epochs, batchSize, rows, cols, hidden, seed } = FIT_IN_WORKER;
      const total = epochs * Math.ceil(rows / batchSize);
      console.log(
        `fitInWorker in Chromium: ${(r.ms / 1000).toFixed(2)} s wall, ${workerCpu.toFixed(0)} ms of worker CPU, ${total} updates, ${r.events.length} progress events. ` +
          `Main thread during training: ${training.length} tasks, longest ${longestCpu.toFixed(1)} ms thread time (${longestWall.toFixed(1)} ms wall). ` +
          `Control: a 600 ms busy loop is a task of ${probeTask.toFixed(0)} ms thread time. Abort at the first progress event: ${r.abortedSteps} of ${total} updates made.`,
      );
      const bigTasks = between('big-start', 'big-end');
      const bigLongest = Math.max(...bigTasks.map((e) => e.tdur ?? 0)) / 1000;
      console.log(`RBM 784×500 through fitInWorker: the page's longest task from the call to the model loaded back: ${bigLongest.toFixed(1)} ms thread time (${bigTasks.length} tasks)`);
      expect(r.bigEpochs).toBe(1);
      expect(bigLongest).toBeLessThan(50);
      expect(training.length).toBeGreaterThan(5);
      expect(longestCpu).toBeLessThan(50);
      expect(probeTask).toBeGreaterThanOrEqual(50);
      expect(workerCpu).toBeGreaterThan(10 * longestCpu);
      expect(r.result.epochs).toBe(epochs);
      expect(r.events.filter((e) => e.metrics !== undefined).map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, k) => k + 1));
      expect(r.events[r.events.length - 1]).toMatchObject({ done: total, total, steps: total });

      // the page's model = model.fit in Node, bit for bit (parameters and the model's stream)
      const data = fitInWorkerData();
      const here = new RBM(cols, hidden, { rng: seed, data });
      here.fit(data, { epochs, batchSize });
      const fromPage = RBM.fromDocument(r.doc);
      expect(Buffer.from(fromPage.weights.data.buffer).equals(Buffer.from(here.weights.data.buffer))).toBe(true);
      expect(Array.from(fromPage.visibleBias)).toEqual(Array.from(here.visibleBias));
      expect(Array.from(fromPage.hiddenBias)).toEqual(Array.from(here.hiddenBias));
      expect(r.random).toEqual(here.random.getState());

      // the aborted fit: the updates made before the abort, as fit with a signal aborted then
      expect(r.aborted.aborted).toBe(true);
      expect(r.abortedSteps).toBeLessThan(total);
      const cut = new RBM(cols, hidden, { rng: seed, data });
      const stopAt = {
        get aborted() {
          return ((cut as unknown as { trainer?: { steps: number } }).trainer?.steps ?? 0) >= r.abortedSteps;
        },
      } as AbortSignal;
      expect(cut.fit(data, { epochs, batchSize, signal: stopAt }).epochs).toBe(r.aborted.epochs);
      expect(JSON.stringify(RBM.fromDocument(r.abortedDoc).toDocument())).toBe(JSON.stringify(cut.toDocument()));
    } finally {
      await tab.close();
      server.close();
    }
  }, 180_000);

  it('in a page without cross-origin isolation (no SharedArrayBuffer) the abort travels as a message and is seen between slices', async () => {
    const [page, worker] = await Promise.all([bundleForBrowser(fixture('fit-in-worker-page.ts')), bundleForBrowser(fixture('fit-in-worker-worker.ts'))]);
    const files: Record<string, [string, string]> = {
      '/': ['text/html; charset=utf-8', '<!doctype html><meta charset="utf-8"><title>fitInWorker</title><script type="module" src="/app.js"></script>'],
      '/app.js': ['text/javascript; charset=utf-8', page],
      '/worker.js': ['text/javascript; charset=utf-8', worker],
    };
    // a plain server: no COOP/COEP headers
    const server = createServer((req, res) => {
      const f = files[(req.url ?? '/').split('?')[0] ?? '/'];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tab = await browser.newPage();
    try {
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?abort-only`);
      await tab.waitForFunction('window.__result !== undefined || window.__error !== undefined', undefined, { timeout: 120_000 });
      const err = await tab.evaluate('window.__error');
      if (err !== undefined) throw new Error(`page failed: ${String(err)}`);
      const r = (await tab.evaluate('window.__result')) as PageResult;
      const { epochs, batchSize, rows, cols, hidden, seed } = FIT_IN_WORKER;
      const total = 10 * epochs * Math.ceil(rows / batchSize);
      console.log(`not cross-origin isolated: abort at the first progress event, ${r.abortedSteps} of ${total} updates made`);
      expect(r.crossOriginIsolated).toBe(false);
      expect(r.aborted.aborted).toBe(true);
      expect(r.abortedSteps).toBeLessThan(total / 10);
      const data = fitInWorkerData();
      const cut = new RBM(cols, hidden, { rng: seed, data });
      const stopAt = {
        get aborted() {
          return ((cut as unknown as { trainer?: { steps: number } }).trainer?.steps ?? 0) >= r.abortedSteps;
        },
      } as AbortSignal;
      expect(cut.fit(data, { epochs: 10 * epochs, batchSize, signal: stopAt }).epochs).toBe(r.aborted.epochs);
      expect(JSON.stringify(RBM.fromDocument(r.abortedDoc).toDocument())).toBe(JSON.stringify(cut.toDocument()));
    } finally {
      await tab.close();
      server.close();
    }
  }, 180_000);
});
