/**
 * The browser demo: a Hopfield network restores a corrupted digit step by step,
 * and an RBM, trained right here in the page, dreams digits.
 *
 * It imports the library's core (`src/index.ts`) and nothing else — no `node:*`
 * module — so it proves the core runs in a browser unmodified. Built with
 * esbuild by `npm run demo:build` (demo/build.mjs) into demo/dist/.
 */
import {
  HopfieldNetwork,
  type HopfieldRule,
  type Matrix,
  Random,
  RBM,
  type RgbaImage,
  tileImages,
} from '../src/index.js';
import digits from './data/digits.json';
import { setupModernPanel } from './modern.js';
import { dreamStarts, RBM_DEMO } from './rbm-train.js';

const H = digits.height;
const W = digits.width;
const N = H * W;

// ───────────────────────────── data ─────────────────────────────

/** Bit-packed rows (MSB first) → `[count, N]` 0/1 matrix. */
function unpack(b64: string, count: number): Matrix {
  const bin = atob(b64);
  const data = new Float64Array(count * N);
  for (let k = 0; k < data.length; k++) data[k] = (bin.charCodeAt(k >> 3) >> (7 - (k & 7))) & 1;
  return { rows: count, cols: N, data };
}

const prototypes = unpack(digits.prototypes.bits, digits.prototypes.count);
const training = unpack(digits.training.bits, digits.training.count);
/** Stored pattern `p` as ±1 spins. */
const storedSpins = (p: number): Float64Array => Float64Array.from(prototypes.data.subarray(p * N, (p + 1) * N), (x) => 2 * x - 1);

/** The library's RGBA image as the browser's ImageData (same layout, no copy). */
const toImageData = (img: RgbaImage): ImageData => new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: missing #${id}`);
  return el as T;
};

// ───────────────────────────── Hopfield ─────────────────────────────

const grid = $<HTMLCanvasElement>('grid');
const gctx = grid.getContext('2d') as CanvasRenderingContext2D;
const CELL = grid.width / W;
const statusEl = $<HTMLParagraphElement>('hopfield-status');
const noiseEl = $<HTMLInputElement>('noise');
const noiseOut = $<HTMLOutputElement>('noise-value');
const ruleEl = $<HTMLSelectElement>('rule');
const speedEl = $<HTMLSelectElement>('speed');
const restoreBtn = $<HTMLButtonElement>('restore');

/** A network of the prototypes' size storing them (0/1 pixels) with the selected rule. */
function storeDigits(): HopfieldNetwork {
  const h = new HopfieldNetwork(prototypes.cols);
  h.fit(prototypes, { rule: ruleEl.value as HopfieldRule, binary: true });
  return h;
}
let net = storeDigits();
/** The grid's state, ±1 spins (+1 = ink). */
let state = storedSpins(0);
let picked = 0;
let cursor = -1;
let noiseSeed = 1;
/** Incremented to cancel a running restoration. */
let run = 0;

const INK = '#1d2330';
const PAPER = '#f4f1ea';

function drawGrid(): void {
  gctx.fillStyle = PAPER;
  gctx.fillRect(0, 0, grid.width, grid.height);
  gctx.fillStyle = INK;
  for (let i = 0; i < N; i++) if ((state[i] as number) > 0) gctx.fillRect((i % W) * CELL, Math.floor(i / W) * CELL, CELL, CELL);
  if (cursor >= 0 && cursor < N) {
    gctx.strokeStyle = '#e4572e';
    gctx.lineWidth = 2;
    const r = Math.floor(cursor / W);
    gctx.strokeRect(1, r * CELL + 1, grid.width - 2, CELL - 2);
  }
}

function overlapWith(p: number): number {
  let o = 0;
  for (let i = 0; i < N; i++) o += (state[i] as number) * (2 * (prototypes.data[p * N + i] as number) - 1);
  return o / N;
}

/** The stored digit nearest to the grid, and the overlap with it. */
function nearest(): { index: number; overlap: number } {
  let best = 0, bo = -2;
  for (let p = 0; p < prototypes.rows; p++) {
    const o = overlapWith(p);
    if (o > bo) [best, bo] = [p, o];
  }
  return { index: best, overlap: bo };
}

function setStatus(text: string, st: string): void {
  statusEl.textContent = text;
  statusEl.dataset.state = st;
}

function describe(prefix: string): string {
  const n = nearest();
  return `${prefix} energy ${net.energy(state).toFixed(2)} · nearest stored digit ${n.index} (overlap ${n.overlap.toFixed(3)})`;
}

function pick(p: number): void {
  run++;
  picked = p;
  state = storedSpins(p);
  cursor = -1;
  document.querySelectorAll<HTMLButtonElement>('#picker button').forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.digit) === p)));
  drawGrid();
  setStatus(describe(`Digit ${p}.`), 'picked');
}

function corrupt(): void {
  run++;
  cursor = -1;
  const p = Number(noiseEl.value) / 100;
  const rng = new Random(noiseSeed++);
  let flips = 0;
  for (let i = 0; i < N; i++) {
    if (rng.float64() < p) {
      state[i] = -(state[i] as number);
      flips++;
    }
  }
  drawGrid();
  setStatus(describe(`Flipped ${flips} of ${N} pixels (noise seed ${noiseSeed - 1}).`), 'corrupted');
}

function maskHalf(): void {
  run++;
  cursor = -1;
  for (let i = N / 2; i < N; i++) state[i] = -1;
  drawGrid();
  setStatus(describe('Bottom half erased.'), 'corrupted');
}

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/**
 * Asynchronous dynamics, animated: each sweep is one call of the library's
 * `evolve` (sequential order, one sweep), whose result is revealed unit by unit
 * in that order — exactly the intermediate states of the asynchronous updates.
 */
async function restore(): Promise<void> {
  const my = ++run;
  const perFrame = speedEl.value === 'slow' ? W : speedEl.value === 'fast' ? 8 * W : N;
  setStatus(describe('Restoring…'), 'running');
  restoreBtn.disabled = true;
  let sweeps = 0, flips = 0;
  try {
    for (; sweeps < 100; ) {
      const r = net.evolve(state, { maxSweeps: 1 });
      sweeps++;
      flips += r.flips;
      for (let start = 0; start < N; start += perFrame) {
        for (let i = start; i < Math.min(N, start + perFrame); i++) state[i] = r.state[i] as number;
        cursor = Math.min(N, start + perFrame) - 1;
        drawGrid();
        await nextFrame();
        if (my !== run) return;
      }
      if (r.flips === 0) break;
    }
    cursor = -1;
    drawGrid();
    const n = nearest();
    setStatus(
      `Fixed point after ${sweeps} sweeps (${flips} flips): ${n.overlap === 1 ? `restored digit ${n.index} exactly` : `nearest stored digit ${n.index}, overlap ${n.overlap.toFixed(3)} (a spurious state)`} · energy ${net.energy(state).toFixed(2)}`,
      'done',
    );
    statusEl.dataset.match = String(n.overlap === 1 ? n.index : -1);
  } finally {
    if (my === run) restoreBtn.disabled = false;
  }
}

function buildPicker(): void {
  const picker = $('picker');
  for (let p = 0; p < prototypes.rows; p++) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.digit = String(p);
    b.id = `pick-${p}`;
    b.title = `stored digit ${digits.prototypes.labels[p]}`;
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    const img = tileImages({ rows: 1, cols: N, data: prototypes.data.subarray(p * N, (p + 1) * N) }, { height: H, width: W, padding: 0, range: [0, 1], invert: true });
    (c.getContext('2d') as CanvasRenderingContext2D).putImageData(toImageData(img), 0, 0);
    b.append(c);
    b.addEventListener('click', () => pick(p));
    picker.append(b);
  }
}

// Drawing: press and drag to ink (a plus-shaped brush); with the right button or Shift, erase.
let drawing = 0;
function paint(ev: PointerEvent): void {
  const rect = grid.getBoundingClientRect();
  const c = Math.floor(((ev.clientX - rect.left) / rect.width) * W);
  const r = Math.floor(((ev.clientY - rect.top) / rect.height) * H);
  for (const [dr, dc] of [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
    const rr = r + dr, cc = c + dc;
    if (rr >= 0 && rr < H && cc >= 0 && cc < W) state[rr * W + cc] = drawing;
  }
  drawGrid();
}
grid.addEventListener('pointerdown', (ev) => {
  run++;
  cursor = -1;
  drawing = ev.button === 2 || ev.shiftKey ? -1 : 1;
  grid.setPointerCapture(ev.pointerId);
  paint(ev);
});
grid.addEventListener('pointermove', (ev) => {
  if (drawing !== 0) paint(ev);
});
grid.addEventListener('pointerup', () => {
  if (drawing !== 0) setStatus(describe('Drawn.'), 'drawn');
  drawing = 0;
});
grid.addEventListener('contextmenu', (ev) => ev.preventDefault());

noiseEl.addEventListener('input', () => {
  noiseOut.value = `${noiseEl.value}%`;
});
ruleEl.addEventListener('change', () => {
  net = storeDigits();
  setStatus(describe(`Stored the ten digits with the ${ruleEl.value} rule.`), 'picked');
});
$('corrupt').addEventListener('click', corrupt);
$('mask').addEventListener('click', maskHalf);
$('clear').addEventListener('click', () => {
  run++;
  state.fill(-1);
  cursor = -1;
  drawGrid();
  setStatus('Cleared: draw a digit.', 'drawn');
});
restoreBtn.addEventListener('click', () => void restore());

// ───────────────────────────── RBM dreams ─────────────────────────────

/** The worker's bundled source (demo/rbm-worker.ts), put in by demo/build.mjs, so the page needs no second file. */
declare const __RBM_WORKER__: string;

const dream = $<HTMLCanvasElement>('dream');
const dctx = dream.getContext('2d') as CanvasRenderingContext2D;
const rbmStatus = $<HTMLParagraphElement>('rbm-status');
const pauseBtn = $<HTMLButtonElement>('dream-pause');
const stopBtn = $<HTMLButtonElement>('rbm-stop');
const { chains: CHAINS, hidden: HIDDEN, seed, epochs: EPOCHS } = RBM_DEMO;
const COLS = 4;
const offscreen = document.createElement('canvas');
const dreamRng = new Random(seed).streams(3)[2] as Random;

/** The trained model (null while the worker trains). */
let rbm: RBM | null = null;
let chains: Matrix = { rows: CHAINS, cols: N, data: new Float64Array(CHAINS * N) };
const h: Matrix = { rows: CHAINS, cols: HIDDEN, data: new Float64Array(CHAINS * HIDDEN) };
let probs: Matrix = { rows: CHAINS, cols: N, data: new Float64Array(CHAINS * N) };
let frames = 0;
let paused = false;
/** Whether the worker sent chains not drawn yet. */
let fresh = false;
let progress = { epoch: 0, steps: 0, events: 0 };
/** The training digits the chains start from: one of each class 0–9, then a second 0–5. */
const starts = dreamStarts(digits.training.labels);
const startClasses = starts.map((r) => digits.training.labels[r]).join(' ');

function renderDream(): void {
  const img = tileImages(probs, { height: H, width: W, columns: COLS, padding: 2, range: [0, 1], invert: true, background: [228, 224, 214] });
  offscreen.width = img.width;
  offscreen.height = img.height;
  (offscreen.getContext('2d') as CanvasRenderingContext2D).putImageData(toImageData(img), 0, 0);
  dctx.imageSmoothingEnabled = false;
  dctx.drawImage(offscreen, 0, 0, dream.width, dream.height);
  frames++;
  dream.dataset.frames = String(frames);
}

/**
 * Training runs in a Web Worker (demo/rbm-worker.ts): the page only draws the
 * model's reconstructions of the start digits that the worker sends with every
 * progress event, so the main thread never waits for a mini-batch. When
 * training ends (or is stopped), the model comes back as its document and the
 * chains, started from the 16 training digits, dream here, one Gibbs step per
 * frame.
 */
const worker = new Worker(URL.createObjectURL(new Blob([__RBM_WORKER__], { type: 'text/javascript' })));
worker.onmessage = (ev: MessageEvent) => {
  const m = ev.data as { type: string; epoch: number; epochs: number; steps: number; probs?: Float64Array; model?: unknown; chains?: Float64Array; ms?: number };
  progress = { epoch: m.epoch, steps: m.steps, events: progress.events + 1 };
  rbmStatus.dataset.epoch = String(m.epoch);
  rbmStatus.dataset.steps = String(m.steps);
  rbmStatus.dataset.events = String(progress.events);
  if (m.type === 'progress' && m.probs) {
    probs = { rows: CHAINS, cols: N, data: m.probs };
    fresh = true;
    rbmStatus.textContent = `Training in a Web Worker (CD-1, ${HIDDEN} hidden units, ${training.rows} digits, seed ${seed}): epoch ${Math.min(m.epoch + 1, EPOCHS)}/${EPOCHS}, ${m.steps} updates. Shown: the model's reconstructions of the ${CHAINS} training digits the dreams will start from (classes ${startClasses}).`;
  } else if (m.type === 'done' || m.type === 'stopped') {
    rbm = RBM.fromDocument(m.model);
    chains = { rows: CHAINS, cols: N, data: m.chains as Float64Array };
    rbmStatus.dataset.state = 'dreaming';
    rbmStatus.dataset.trained = m.type;
    rbmStatus.dataset.trainMs = String(m.ms ?? 0);
    rbmStatus.dataset.endAt = String(performance.now());
    performance.mark('rbm-train-end');
    stopBtn.disabled = true;
    worker.terminate();
  }
};
worker.onerror = (e) => {
  rbmStatus.textContent = `The training worker failed: ${e.message}`;
  rbmStatus.dataset.state = 'failed';
};

/** One animation frame: draw the chains the worker sent (while training), or one Gibbs step of the free-running chains. */
function tick(): void {
  if (!paused) {
    if (!rbm) {
      if (fresh) {
        fresh = false;
        renderDream();
      }
    } else {
      // Free-running block Gibbs sampling: h ~ P(h | v), v ~ P(v | h); show P(v | h).
      rbm.sampleHidden(chains, dreamRng, h);
      rbm.visibleProbs(h, probs);
      rbm.sampleVisible(h, dreamRng, chains);
      const how = rbmStatus.dataset.trained === 'stopped' ? `Training stopped at epoch ${progress.epoch}/${EPOCHS}` : 'Trained';
      rbmStatus.textContent = `${how} (${progress.steps} updates, in a Web Worker). Dreaming: ${CHAINS} Gibbs chains, started from ${CHAINS} training digits (classes ${startClasses}, in reading order), one step per frame (${frames} frames).`;
      renderDream();
    }
  }
  requestAnimationFrame(tick);
}

pauseBtn.addEventListener('click', () => {
  paused = !paused;
  pauseBtn.textContent = paused ? 'Resume' : 'Pause';
});
stopBtn.addEventListener('click', () => {
  worker.postMessage({ type: 'stop' });
  rbmStatus.dataset.stopAt = String(performance.now());
  stopBtn.disabled = true;
});

// ───────────────────────────── start ─────────────────────────────

buildPicker();
noiseOut.value = `${noiseEl.value}%`;
pick(0);
const modern = setupModernPanel(prototypes, training, W, H);
rbmStatus.dataset.state = 'training';
worker.postMessage({ type: 'start', training, starts });
rbmStatus.dataset.startAt = String(performance.now());
performance.mark('rbm-train-start');
requestAnimationFrame(tick);

/** A small hook for the end-to-end test and for the curious (open the console). */
(window as unknown as { boltzmannDemo: unknown }).boltzmannDemo = {
  net: () => net,
  rbm: () => rbm,
  state: () => Array.from(state, (y) => (y > 0 ? 1 : 0)),
  picked: () => picked,
  modern,
};
