/**
 * The demo's "classical or modern" panel (issue #18): the same digits stored in
 * a classical Hopfield network (±1 units, Hebbian or pseudo-inverse weights,
 * asynchronous updates to a fixed point) and in the modern continuous Hopfield
 * network (Ramsauer et al. 2020: `ξ ← X softmax(β Xᵀ ξ)`, one update), a switch
 * between them, one cue for both, and the overlap of the recall with the stored
 * digit.
 */
import { HopfieldNetwork, type Matrix, ModernHopfieldNetwork, Random } from '../src/index.js';

const INK: [number, number, number] = [29, 35, 48];
const PAPER: [number, number, number] = [244, 241, 234];

/** Which network recalls. */
export type ModernPanelNet = 'hebbian' | 'pseudo-inverse' | 'modern';

/** The panel's state, for the page hook. */
export interface ModernPanel {
  /** The stored patterns (±1 rows). */
  stored: () => Matrix;
  /** The cue (±1, 0 for an erased pixel). */
  cue: () => Float64Array;
  /** The last recall (±1 for classical, real for modern). */
  recalled: () => Float64Array;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: missing #${id}`);
  return el as T;
};

/** Draws a length-784 state (−1 paper … +1 ink, greys between) on a canvas scaled to fit. */
function drawState(canvas: HTMLCanvasElement, s: Float64Array, w: number, h: number): void {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const cw = canvas.width / w, ch = canvas.height / h;
  for (let i = 0; i < w * h; i++) {
    const t = Math.min(1, Math.max(0, ((s[i] as number) + 1) / 2));
    const c = PAPER.map((p, k) => Math.round(p + t * ((INK[k] as number) - p)));
    ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    ctx.fillRect((i % w) * cw, Math.floor(i / w) * ch, cw, ch);
  }
}

/**
 * Wires the panel (elements `#mh-*` of index.html).
 *
 * @param prototypes - the ten prototypes, 0/1 rows
 * @param training - the training digits, 0/1 rows
 * @param width - image width (28)
 * @param height - image height (28)
 */
export function setupModernPanel(prototypes: Matrix, training: Matrix, width: number, height: number): ModernPanel {
  const n = width * height;
  const setEl = byId<HTMLSelectElement>('mh-set');
  const netEls = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="mh-net"]'));
  const betaEl = byId<HTMLSelectElement>('mh-beta');
  const indexEl = byId<HTMLInputElement>('mh-index');
  const noiseEl = byId<HTMLInputElement>('mh-noise');
  const noiseOut = byId<HTMLOutputElement>('mh-noise-value');
  const maskEl = byId<HTMLInputElement>('mh-mask');
  const status = byId<HTMLParagraphElement>('mh-status');
  const storedCanvas = byId<HTMLCanvasElement>('mh-stored');
  const cueCanvas = byId<HTMLCanvasElement>('mh-cue');
  const recalledCanvas = byId<HTMLCanvasElement>('mh-recalled');
  const compareTable = byId<HTMLTableElement>('mh-table');

  let stored: Matrix = { rows: 0, cols: n, data: new Float64Array(0) };
  let cue: Float64Array = new Float64Array(n);
  let recalled: Float64Array = new Float64Array(n);
  /** Networks built for the current stored set, by kind (built on first use). */
  let cache = new Map<string, HopfieldNetwork | ModernHopfieldNetwork>();

  const selectedNet = (): ModernPanelNet => (netEls.find((e) => e.checked)?.value ?? 'modern') as ModernPanelNet;

  function storeSet(): void {
    const v = setEl.value;
    const src = v === 'prototypes' ? prototypes : training;
    const k = v === 'prototypes' ? prototypes.rows : Math.min(Number(v), training.rows);
    stored = { rows: k, cols: n, data: Float64Array.from(src.data.subarray(0, k * n), (x) => 2 * x - 1) };
    cache = new Map();
    compareTable.hidden = true;
    indexEl.max = String(k - 1);
    if (Number(indexEl.value) > k - 1) indexEl.value = String(k - 1);
  }

  function network(kind: ModernPanelNet): HopfieldNetwork | ModernHopfieldNetwork {
    let net = cache.get(kind);
    if (!net) {
      if (kind === 'modern') {
        const m = new ModernHopfieldNetwork(n);
        m.fit(stored);
        net = m;
      } else {
        const h = new HopfieldNetwork(n);
        h.fit(stored, { rule: kind });
        net = h;
      }
      cache.set(kind, net);
    }
    return net;
  }

  /** The cue of stored digit `index`: bottom half erased (0 = unknown) and a seeded fraction of the rest flipped. */
  function makeCue(index: number): void {
    const x = stored.data.subarray(index * n, (index + 1) * n);
    cue = x.slice();
    const p = Number(noiseEl.value) / 100;
    const masked = maskEl.checked;
    const rng = new Random(1000 + index);
    for (let i = 0; i < n; i++) {
      if (masked && i >= n / 2) cue[i] = 0;
      else if (rng.float64() < p) cue[i] = -(cue[i] as number);
    }
  }

  /** Recalls `cue` with network `kind` (β for the modern one); returns the state and a description. */
  function recallWith(kind: ModernPanelNet, beta: number, c: Float64Array): { state: Float64Array; how: string } {
    const net = network(kind);
    if (net instanceof ModernHopfieldNetwork) {
      return {
        state: net.recall(c, { beta }).state,
        how: `modern continuous network, β = ${beta}, one update ξ ← X softmax(β Xᵀ ξ) (erased pixels start at 0, unknown)`,
      };
    }
    const r = net.evolve(c.map((v) => (v === 0 ? -1 : v)));
    return { state: r.state, how: `classical network, ${kind} rule, asynchronous updates: fixed point after ${r.sweeps} sweeps (erased pixels start at −1, paper)` };
  }

  /** Overlap of the signs of `s` with stored pattern `x`. */
  const signOverlapOf = (s: Float64Array, x: Float64Array): number => {
    let o = 0;
    for (let i = 0; i < n; i++) o += ((s[i] as number) > 0 ? 1 : -1) * (x[i] as number);
    return o / n;
  };

  /** Every network on the cues of the first `m` stored digits: mean overlap and exact recalls. */
  function compareAll(m: number): void {
    const beta = Number(betaEl.value);
    const k = Math.min(m, stored.rows);
    const tbody = compareTable.tBodies[0] as HTMLTableSectionElement;
    tbody.replaceChildren();
    for (const kind of ['hebbian', 'pseudo-inverse', 'modern'] as const) {
      let sum = 0, exact = 0;
      for (let p = 0; p < k; p++) {
        makeCue(p);
        const o = signOverlapOf(recallWith(kind, beta, cue).state, stored.data.subarray(p * n, (p + 1) * n));
        sum += o;
        if (o === 1) exact++;
      }
      const tr = document.createElement('tr');
      const label = kind === 'modern' ? `modern continuous, β = ${beta}` : `classical, ${kind}`;
      for (const c of [label, (sum / k).toFixed(3), `${exact}/${k}`]) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      }
      Object.assign(tr.dataset, { net: kind, mean: String(sum / k), exact: String(exact), count: String(k) });
      tbody.append(tr);
    }
    compareTable.hidden = false;
    compareTable.dataset.stored = String(stored.rows);
    update();
  }

  function update(): void {
    const index = Math.max(0, Math.min(stored.rows - 1, Math.floor(Number(indexEl.value) || 0)));
    const kind = selectedNet();
    const beta = Number(betaEl.value);
    betaEl.disabled = kind !== 'modern';
    makeCue(index);
    const x = stored.data.subarray(index * n, (index + 1) * n);
    const t0 = performance.now();
    const r = recallWith(kind, beta, cue);
    recalled = r.state;
    const how = r.how;
    const ms = performance.now() - t0;
    let signOverlap = 0, overlap = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number, s = recalled[i] as number;
      signOverlap += (s > 0 ? 1 : -1) * xi;
      overlap += s * xi;
    }
    signOverlap /= n;
    overlap /= n;
    drawState(storedCanvas, x, width, height);
    drawState(cueCanvas, cue, width, height);
    drawState(recalledCanvas, recalled, width, height);
    const exact = signOverlap === 1;
    status.textContent =
      `${stored.rows} digits stored; recalling #${index} with the ${how}. ` +
      `Overlap with the stored digit: ${signOverlap.toFixed(3)} (signs), ${overlap.toFixed(3)} (values)` +
      `${exact ? ' — recalled exactly.' : ' — not the stored digit.'} (${ms.toFixed(0)} ms)`;
    status.dataset.net = kind;
    status.dataset.overlap = signOverlap.toFixed(6);
    status.dataset.valueOverlap = overlap.toFixed(6);
    status.dataset.exact = String(exact);
    status.dataset.index = String(index);
    status.dataset.stored = String(stored.rows);
  }

  setEl.addEventListener('change', () => {
    storeSet();
    update();
  });
  for (const e of netEls) e.addEventListener('change', update);
  betaEl.addEventListener('change', update);
  indexEl.addEventListener('change', update);
  maskEl.addEventListener('change', update);
  noiseEl.addEventListener('input', () => {
    noiseOut.value = `${noiseEl.value}%`;
  });
  noiseEl.addEventListener('change', update);
  byId('mh-compare').addEventListener('click', () => compareAll(20));
  byId('mh-next').addEventListener('click', () => {
    indexEl.value = String((Math.floor(Number(indexEl.value) || 0) + 1) % stored.rows);
    update();
  });
  noiseOut.value = `${noiseEl.value}%`;
  storeSet();
  update();
  return { stored: () => stored, cue: () => cue, recalled: () => recalled };
}
