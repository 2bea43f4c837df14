/**
 * The demo's RBM trains here, in a Web Worker, so that the page's main thread
 * never waits for it (issue #16). Messages in: `{ type: 'start', training, starts }`
 * (a `[rows, 784]` 0/1 matrix, and the rows the dreams start from, see
 * `dreamStarts`) and `{ type: 'stop' }`. Messages out: a
 * `progress` event after every slice of at most about 25 ms of training and at
 * the end of every epoch (epoch, updates, and the model's reconstructions
 * P(v | h = P(h | v)) of the start digits, to draw), then
 * `done` — or `stopped` when asked to stop — with the model's document and
 * the chains' start (the start digits). The worker pauses for its event loop after every slice, so a
 * stop request is seen within one slice.
 */
import type { Matrix } from '../src/index.js';
import { demoTraining, RBM_DEMO } from './rbm-train.js';

interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const SLICE_MS = 25;
let stop = false;

const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function train(training: Matrix, starts: readonly number[]): Promise<void> {
  const run = demoTraining(training);
  const { rbm } = run;
  const c = RBM_DEMO.chains, n = training.cols;
  const h: Matrix = { rows: c, cols: RBM_DEMO.hidden, data: new Float64Array(c * RBM_DEMO.hidden) };
  const chains: Matrix = { rows: c, cols: n, data: new Float64Array(c * n) };
  starts.forEach((r, k) => chains.data.set(training.data.subarray(r * n, (r + 1) * n), k * n));
  const started = performance.now();
  while (!run.done() && !stop) {
    // a slice ends after about SLICE_MS or at the end of an epoch, whichever comes first, so the
    // page hears of every epoch however fast the machine
    const t0 = performance.now(), epoch = run.epoch();
    while (performance.now() - t0 < SLICE_MS && !run.done() && run.epoch() === epoch) run.step();
    const probs: Matrix = { rows: c, cols: n, data: new Float64Array(c * n) };
    rbm.hiddenProbs(chains, h);
    rbm.visibleProbs(h, probs);
    scope.postMessage({ type: 'progress', epoch: run.epoch(), epochs: RBM_DEMO.epochs, steps: run.steps(), probs: probs.data }, [probs.data.buffer]);
    await breathe();
  }
  scope.postMessage({
    type: stop ? 'stopped' : 'done',
    epoch: run.epoch(),
    epochs: RBM_DEMO.epochs,
    steps: run.steps(),
    ms: performance.now() - started,
    model: rbm.toDocument(),
    chains: chains.data.slice(),
  });
}

scope.onmessage = (ev: MessageEvent) => {
  const m = ev.data as { type: string; training?: Matrix; starts?: number[] };
  if (m.type === 'stop') stop = true;
  else if (m.type === 'start' && m.training && m.starts) void train(m.training, m.starts);
};
