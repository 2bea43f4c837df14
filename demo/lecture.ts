/**
 * The demo's lecture page (issue #20): a small Hopfield network stepped one
 * asynchronous update at a time with the trace of every attempt (unit, local
 * field, ΔE, new state, energy), its whole energy landscape (all 2¹⁰ states on
 * a Gray-code grid, coloured by energy, fixed points marked), and Gibbs
 * frequencies of a five-unit network next to its exact Boltzmann
 * probabilities as the temperature moves (annealing).
 *
 * The ten-unit network stores unscaled Hebbian weights (integers), so every
 * field and energy is exact and a zero field is a true tie.
 *
 * Every number comes from the library: energies, fields and ΔE from
 * `HopfieldNetwork.energy/localFields/deltaEnergyFlip`, fixed points from
 * `isFixedPoint`, exact probabilities from `scoreSamples` (enumeration of
 * log Z), samples from `sample`. Built with the demo (demo/build.mjs).
 */
import { HopfieldNetwork, Random } from '../src/index.js';
import { formatTrace } from '../src/samplers/trace.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`lecture: missing #${id}`);
  return el as T;
};
const SVG = 'http://www.w3.org/2000/svg';

// ───────────────────────────── the ten-unit network ─────────────────────────────

/** The three stored patterns. */
export const PATTERNS = [
  [1, 1, 1, 1, 1, -1, -1, -1, -1, -1],
  [1, -1, 1, -1, 1, -1, 1, -1, 1, -1],
  [1, 1, -1, -1, 1, 1, -1, -1, 1, 1],
];
const N = 10;
const S = 1 << N;
const net = new HopfieldNetwork(N);
net.fit(PATTERNS, { rule: 'hebbian', scale: 'none' });

/** Spins of state index `s`: unit k is +1 when bit k is set. */
const spinsOf = (s: number): Float64Array => Float64Array.from({ length: N }, (_, k) => ((s >> k) & 1 ? 1 : -1));
const indexOf = (y: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < y.length; k++) if ((y[k] as number) > 0) s |= 1 << k;
  return s;
};
const gray = (k: number): number => k ^ (k >> 1);
const grayInverse = (g: number): number => {
  let k = g;
  for (let m = g >> 1; m; m >>= 1) k ^= m;
  return k;
};

const energies = new Float64Array(S);
const fixed = new Uint8Array(S);
for (let s = 0; s < S; s++) {
  const y = spinsOf(s);
  energies[s] = net.energy(y);
  fixed[s] = net.isFixedPoint(y) ? 1 : 0;
}
let eMin = Infinity, eMax = -Infinity;
for (const e of energies) {
  eMin = Math.min(eMin, e);
  eMax = Math.max(eMax, e);
}
const nFixed = fixed.reduce((a, b) => a + b, 0);
/** The fixed points in index order, and each state's basin: the fixed point sequential updates from unit 0 reach (library's evolve). */
const fixedList = Array.from(fixed.keys()).filter((s) => fixed[s]);
const basin = new Int16Array(S);
for (let s = 0; s < S; s++) basin[s] = fixedList.indexOf(indexOf(net.evolve(spinsOf(s)).state));
/** Ten distinct basin colours (no pure red, no black). */
const BASIN_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#edc948', '#76b7b2', '#9c755f', '#bab0ac', '#86bcb6', '#d4a6c8', '#8cd17d', '#f1ce63'];
const colourEl = $<HTMLSelectElement>('landscape-colour');

/** Viridis at 5 stops, interpolated linearly: low energy dark purple, high yellow. */
export const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
function colormap(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const a = VIRIDIS[k] as readonly number[], b = VIRIDIS[k + 1] as readonly number[];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) + f * ((b[c] as number) - (a[c] as number)))) as [number, number, number];
}
const rgb = (c: readonly number[]): string => `rgb(${c[0]},${c[1]},${c[2]})`;

// ───────────────────────────── landscape ─────────────────────────────

const land = $<HTMLCanvasElement>('landscape');
const lctx = land.getContext('2d') as CanvasRenderingContext2D;
const SIDE = 32;
const CELL = land.width / SIDE;

/** The grid cell of state `s`: row from units 5–9, column from units 0–4, both Gray-decoded. */
export function cellOf(s: number): [number, number] {
  return [grayInverse(s >> 5), grayInverse(s & 31)];
}
const stateAt = (row: number, col: number): number => (gray(row) << 5) | gray(col);

function drawLandscape(current: number): void {
  for (let row = 0; row < SIDE; row++) {
    for (let col = 0; col < SIDE; col++) {
      const s = stateAt(row, col);
      lctx.fillStyle =
        colourEl.value === 'basin'
          ? (BASIN_COLOURS[(basin[s] as number) % BASIN_COLOURS.length] as string)
          : rgb(colormap(((energies[s] as number) - eMin) / (eMax - eMin)));
      lctx.fillRect(col * CELL, row * CELL, CELL, CELL);
      if (fixed[s]) {
        lctx.fillStyle = '#ff0000';
        lctx.fillRect(col * CELL + 4, row * CELL + 4, CELL - 8, CELL - 8);
      }
    }
  }
  const [r, c] = cellOf(current);
  lctx.strokeStyle = '#000000';
  lctx.lineWidth = 2;
  lctx.strokeRect(c * CELL + 1, r * CELL + 1, CELL - 2, CELL - 2);
}

function drawLegend(): void {
  const bar = $<HTMLCanvasElement>('legend-bar');
  const ctx = bar.getContext('2d') as CanvasRenderingContext2D;
  for (let x = 0; x < bar.width; x++) {
    ctx.fillStyle = rgb(colormap(x / (bar.width - 1)));
    ctx.fillRect(x, 0, 1, bar.height);
  }
  $('legend-min').textContent = `E = ${eMin.toFixed(2)}`;
  $('legend-max').textContent = `E = ${eMax.toFixed(2)}`;
  const stored = PATTERNS.filter((p) => fixed[indexOf(p)]).length;
  const status = $('landscape-status');
  status.textContent = `${nFixed} fixed points (red): the ${stored} stored patterns, their ${stored} negatives and ${nFixed - 2 * stored} spurious states. Energies from ${eMin.toFixed(2)} to ${eMax.toFixed(2)}.`;
  const sizes = fixedList.map((_, k) => basin.reduce((a, b) => a + (b === k ? 1 : 0), 0));
  status.textContent += ` Basin sizes (sequential updates from unit 0): ${fixedList.map((f, k) => `${f}: ${sizes[k]}`).join(', ')}.`;
  status.dataset.fixed = String(nFixed);
  status.dataset.basins = JSON.stringify(Object.fromEntries(fixedList.map((f, k) => [f, sizes[k]])));
  land.dataset.eMin = String(eMin);
  land.dataset.eMax = String(eMax);
}

// ───────────────────────────── stepper ─────────────────────────────

let y = Float64Array.from(PATTERNS[0] as number[]);
/** Where the stepper started (unit 0 first). */
let startState = y.slice();
let t = 0;
const startRng = new Random(20);
const fields = new Float64Array(N);
const traceBody = $<HTMLTableElement>('lec-trace').tBodies[0] as HTMLTableSectionElement;
const stepStatus = $('lec-step-status');
const stateView = $('lec-state');

/** One row of the trace: attempt `t`, unit, field before, ΔE, the new value, energy after. */
export interface TraceRow {
  step: number;
  unit: number;
  field: number;
  deltaE: number;
  value: number;
  flipped: boolean;
  energy: number;
}
const trace: TraceRow[] = [];

function describeState(): string {
  const s = indexOf(y);
  const which = PATTERNS.findIndex((p) => indexOf(p) === s);
  const neg = PATTERNS.findIndex((p) => indexOf(p.map((v) => -v)) === s);
  if (!fixed[s]) return 'not a fixed point';
  if (which >= 0) return `a fixed point: stored pattern ξ${which + 1}`;
  if (neg >= 0) return `a fixed point: −ξ${neg + 1}, the negative of a stored pattern`;
  return 'a fixed point: a spurious state (no stored pattern)';
}

function renderStepper(): void {
  const next = t % N;
  stateView.replaceChildren(
    ...Array.from(y, (v, k) => {
      const d = document.createElement('span');
      d.className = `unit ${v > 0 ? 'up' : 'down'}${k === next ? ' next' : ''}`;
      d.textContent = v > 0 ? '+1' : '−1';
      d.title = `unit ${k}`;
      return d;
    }),
  );
  stateView.dataset.state = Array.from(y, (v) => (v > 0 ? '+' : '-')).join('');
  const s = indexOf(y);
  stepStatus.textContent = `State ${stateView.dataset.state} (cell of state ${s}), energy ${net.energy(y).toFixed(4)}: ${describeState()}. Next: unit ${next}.`;
  stepStatus.dataset.fixed = String(fixed[s] === 1);
  drawLandscape(s);
}

function addRow(r: TraceRow): void {
  const tr = document.createElement('tr');
  if (r.flipped) tr.className = 'flip';
  const cells = [String(r.step), String(r.unit), r.field.toFixed(4), r.deltaE.toFixed(4), `${r.value > 0 ? '+1' : '−1'}${r.flipped ? ' (flip)' : ''}`, r.energy.toFixed(4)];
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  Object.assign(tr.dataset, { step: String(r.step), unit: String(r.unit), field: String(r.field), deltaE: String(r.deltaE), value: String(r.value), energy: String(r.energy) });
  traceBody.append(tr);
  tr.scrollIntoView?.({ block: 'nearest' });
}

/** One asynchronous update attempt of the next unit (sequential order), recorded in the trace. */
function step(): TraceRow {
  const i = t % N;
  net.localFields(fields, y);
  const h = fields[i] as number;
  const old = y[i] as number;
  const value = h > 0 ? 1 : h < 0 ? -1 : old;
  const flipped = value !== old;
  const deltaE = flipped ? net.deltaEnergyFlip(y, i) : 0;
  y[i] = value;
  t++;
  const row = { step: t, unit: i, field: h, deltaE, value, flipped, energy: net.energy(y) };
  trace.push(row);
  addRow(row);
  return row;
}

function start(state: Float64Array): void {
  y = state.slice();
  startState = state.slice();
  libBox.hidden = true;
  t = 0;
  trace.length = 0;
  traceBody.replaceChildren();
  renderStepper();
}

$('lec-step').addEventListener('click', () => {
  step();
  renderStepper();
});
$('lec-sweep').addEventListener('click', () => {
  for (let k = 0; k < N; k++) step();
  renderStepper();
});
const libBox = $<HTMLDetailsElement>('lec-lib');
const libPre = $('lec-lib-trace');

/**
 * The same run by the library: `evolve(start, { trace: true })` (sequential
 * order from unit 0, one row per flip), printed by `formatTrace`, and whether
 * its flips are the flip rows of the page's own trace.
 */
function libraryCheck(): void {
  const r = net.evolve(startState, { trace: true });
  const lib = r.trace;
  if (!lib) return;
  const mine = trace.filter((row) => row.flipped);
  let agree = lib.length === mine.length;
  for (let k = 0; agree && k < lib.length; k++) {
    const m = mine[k] as TraceRow;
    agree = lib.unit[k] === m.unit && lib.localField[k] === m.field && lib.deltaE[k] === m.deltaE && lib.state[k] === m.value && lib.energy[k] === m.energy;
  }
  libPre.textContent = formatTrace(lib, { digits: 1 });
  libBox.hidden = false;
  const summary = libBox.querySelector('summary') as HTMLElement;
  summary.textContent = `The library's evolve(start, { trace: true }): ${lib.length} flips in ${r.sweeps} sweeps — ${agree ? 'the same flips as the table above' : 'DIFFERENT from the table above'}`;
  libPre.dataset.agree = String(agree);
  libPre.dataset.flips = String(lib.length);
}

$('lec-run').addEventListener('click', () => {
  for (let k = 0; k < 100 * N && !fixed[indexOf(y)]; k++) step();
  renderStepper();
  libraryCheck();
});
$('lec-random').addEventListener('click', () => start(spinsOf(startRng.int(S))));
colourEl.addEventListener('change', () => {
  land.dataset.colour = colourEl.value;
  renderStepper();
});
land.addEventListener('click', (ev) => {
  const rect = land.getBoundingClientRect();
  const col = Math.floor(((ev.clientX - rect.left) / rect.width) * SIDE);
  const row = Math.floor(((ev.clientY - rect.top) / rect.height) * SIDE);
  if (row >= 0 && row < SIDE && col >= 0 && col < SIDE) start(spinsOf(stateAt(row, col)));
});

// ───────────────────────────── Gibbs vs Boltzmann ─────────────────────────────

const NB = 5;
const SB = 1 << NB;
/** Two Hebbian patterns on five units, and a bias of 0.3 on unit 0 that breaks the ±y symmetry. */
export const SMALL_PATTERNS = [
  [1, 1, 1, -1, -1],
  [1, -1, 1, -1, 1],
];
export const SMALL_BIAS = [0.3, 0, 0, 0, 0];
const hebb = new HopfieldNetwork(NB);
hebb.fit(SMALL_PATTERNS);
const small = HopfieldNetwork.fromWeights(hebb.weights, SMALL_BIAS);
const smallStates = Array.from({ length: SB }, (_, s) => Array.from({ length: NB }, (_, k) => ((s >> k) & 1 ? 1 : -1)));
const smallFixed = smallStates.map((s) => small.isFixedPoint(Float64Array.from(s)));
const smallEnergy = smallStates.map((s) => small.energy(Float64Array.from(s)));

/**
 * Slider: independent chains from uniformly random starts, `SWEEPS` sweeps each,
 * `BATCH` per frame, up to `CAP` samples per temperature (fresh seed `SEED` at
 * every temperature, so a temperature always shows the same numbers).
 * Annealing: a population of `POP` persistent chains, carried from stage to
 * stage while T falls from 3 by ×0.8 to 0.1, `SWEEPS` sweeps per stage.
 */
const CAP = 8000, BATCH = 500, SWEEPS = 30, SEED = 7, POP = 2000, PER_FRAME = 500;
const tempEl = $<HTMLInputElement>('lec-temp');
const tempOut = $<HTMLOutputElement>('lec-temp-value');
const bars = $('lec-bars') as unknown as SVGSVGElement;
const gibbsStatus = $('gibbs-status');
const probsBody = $<HTMLTableElement>('lec-probs').tBodies[0] as HTMLTableSectionElement;

let T = Number(tempEl.value);
let exact = new Float64Array(SB);
const counts = new Float64Array(SB);
let drawn = 0;
let rng = new Random(SEED);
let annealing = false;
let annealed = false;
let stage = 0;
/** Annealing population and how many of its chains have run this stage. */
let population: ReturnType<HopfieldNetwork['gibbs']>[] = [];
let advanced = 0;

function setTemperature(v: number, keepChains = false): void {
  T = v;
  tempOut.value = T.toFixed(2);
  // exact log-probabilities by enumeration of log Z (the library's scoreSamples)
  exact = Float64Array.from(small.scoreSamples(smallStates, { temperature: T }), Math.exp);
  counts.fill(0);
  drawn = 0;
  advanced = 0;
  if (!keepChains) {
    rng = new Random(SEED);
    annealing = false;
    annealed = false;
  }
  renderBars();
}

/** Draws one batch of independent Gibbs chains at T and adds them to the counts. */
function drawBatch(k: number): void {
  const m = small.sample(k, { temperature: T, sweeps: SWEEPS, rng });
  for (let r = 0; r < m.rows; r++) counts[indexOf(m.data.subarray(r * NB, (r + 1) * NB))]++;
  drawn += m.rows;
}

/** Runs up to `k` more chains of the annealing population `SWEEPS` sweeps at the current T. */
function advancePopulation(k: number): void {
  const end = Math.min(POP, advanced + k);
  for (; advanced < end; advanced++) {
    const g = population[advanced] as ReturnType<HopfieldNetwork['gibbs']>;
    g.temperature = T;
    for (let sw = 0; sw < SWEEPS; sw++) g.step();
    counts[indexOf(g.state)]++;
    drawn++;
  }
}

/** Expected total variation of `n` independent draws from `exact`: ½ Σ √(2 p(1−p) / (π n)) (normal approximation). */
function expectedTv(n: number): number {
  let e = 0;
  for (const p of exact) e += Math.sqrt((2 * p * (1 - p)) / (Math.PI * Math.max(1, n)));
  return e / 2;
}

const H0 = 190, TOP = 10, BAR_W = 640 / SB;
function renderBars(): void {
  const yMax = Math.max(0.05, ...exact) * 1.1;
  const px = (p: number): number => ((H0 - TOP) * p) / yMax;
  const nodes: SVGElement[] = [];
  const mk = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    nodes.push(e);
    return e;
  };
  mk('line', { x1: 0, x2: 640, y1: H0, y2: H0, stroke: '#5d6473' });
  let tv = 0;
  probsBody.replaceChildren();
  for (let s = 0; s < SB; s++) {
    const p = exact[s] as number, f = drawn ? (counts[s] as number) / drawn : 0;
    tv += Math.abs(p - f) / 2;
    const x = s * BAR_W;
    mk('rect', { class: 'freq', x: x + 4, width: BAR_W - 8, y: H0 - px(f), height: px(f), fill: smallFixed[s] ? '#e4572e' : '#3b528b', 'data-state': s, 'data-f': f });
    mk('rect', { class: 'exact', x: x + 2, width: BAR_W - 4, y: H0 - px(p), height: px(p), fill: 'none', stroke: '#1d2330', 'stroke-width': 1.5, 'data-state': s, 'data-p': p });
    const label = mk('text', { x: x + BAR_W / 2, y: 205, 'text-anchor': 'middle', 'font-size': 9, fill: '#5d6473' });
    label.textContent = String(s);
    const tr = document.createElement('tr');
    const stateStr = (smallStates[s] as number[]).map((v) => (v > 0 ? '+' : '−')).join('');
    for (const c of [`${s} ${stateStr}${smallFixed[s] ? ' (fixed point)' : ''}`, (smallEnergy[s] as number).toFixed(2), p.toFixed(4), f.toFixed(4)]) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.append(td);
    }
    Object.assign(tr.dataset, { state: String(s), p: String(p), f: String(f), energy: String(smallEnergy[s]) });
    probsBody.append(tr);
  }
  bars.replaceChildren(...nodes);
  const fixedMass = exact.reduce((a, p, s) => a + (smallFixed[s] ? p : 0), 0);
  gibbsStatus.textContent =
    `T = ${T.toFixed(2)}: ${drawn} samples; total variation distance to the exact distribution ${tv.toFixed(4)}` +
    ` (≈ ${expectedTv(drawn).toFixed(4)} expected from sampling alone). ` +
    `Exact mass on the ${smallFixed.filter(Boolean).length} fixed points (orange): ${fixedMass.toFixed(3)}.` +
    (annealing || annealed ? ` Annealing ${annealed ? 'done' : `stage ${stage}`}: ${POP} persistent chains, ${SWEEPS} sweeps per stage, T × 0.8 per stage.` : ' Independent chains from random starts.');
  Object.assign(gibbsStatus.dataset, { temperature: String(T), drawn: String(drawn), tv: String(tv), annealing: annealing ? 'running' : annealed ? 'done' : 'off' });
}

tempEl.addEventListener('input', () => setTemperature(Number(tempEl.value)));
$('lec-anneal').addEventListener('click', () => {
  tempEl.value = '3';
  setTemperature(3);
  rng = new Random(SEED);
  population = Array.from({ length: POP }, () => small.gibbs({ temperature: 3, rng }));
  annealing = true;
  stage = 0;
  renderBars();
});

/** A chain of the five-unit network traced sweep by sweep (QuadraticGibbs.traceSweeps): uphill moves (ΔE > 0) happen at T > 0. */
let traced: ReturnType<HopfieldNetwork['gibbs']> | null = null;
let tracedStart: number[] = [];
let tracedRows: TraceLike | null = null;
type TraceLike = ReturnType<ReturnType<HopfieldNetwork['gibbs']>['traceSweeps']>;
$('lec-gibbs-trace').addEventListener('click', () => {
  if (!traced) traced = small.gibbs({ temperature: T, rng: new Random(SEED + 1) });
  traced.temperature = T;
  tracedStart = Array.from(traced.state);
  tracedRows = traced.traceSweeps(1);
  let uphill = 0;
  for (let k = 0; k < tracedRows.length; k++) if ((tracedRows.deltaE[k] as number) > 0) uphill++;
  const pre = $('lec-gibbs-trace-out');
  pre.textContent = `One Gibbs sweep at T = ${T.toFixed(2)} (QuadraticGibbs.traceSweeps): ${uphill} uphill move${uphill === 1 ? '' : 's'}\n${formatTrace(tracedRows, { digits: 3 })}`;
  pre.hidden = false;
  pre.dataset.temperature = String(T);
});

function tick(): void {
  if (annealing) {
    if (advanced < POP) {
      advancePopulation(PER_FRAME);
      renderBars();
    } else {
      const next = Math.round(Math.max(0.1, T * 0.8) * 100) / 100;
      if (T <= 0.1) {
        annealing = false;
        annealed = true;
        renderBars();
      } else {
        stage++;
        tempEl.value = String(next);
        setTemperature(next, true);
      }
    }
  } else if (!annealed && drawn < CAP) {
    drawBatch(Math.min(BATCH, CAP - drawn));
    renderBars();
  }
  requestAnimationFrame(tick);
}

// ───────────────────────────── start ─────────────────────────────

drawLegend();
start(Float64Array.of(1, -1, 1, 1, -1, -1, -1, 1, -1, -1));
setTemperature(T);
requestAnimationFrame(tick);

/** Hook for the end-to-end test and the curious. */
(window as unknown as { boltzmannLecture: unknown }).boltzmannLecture = {
  patterns: PATTERNS,
  smallPatterns: SMALL_PATTERNS,
  smallBias: SMALL_BIAS,
  trace: () => trace.slice(),
  state: () => Array.from(y),
  cellOf,
  cell: CELL,
  gibbsTrace: () =>
    tracedRows && {
      start: tracedStart,
      unit: Array.from(tracedRows.unit),
      field: Array.from(tracedRows.localField),
      deltaE: Array.from(tracedRows.deltaE),
      value: Array.from(tracedRows.state),
      energy: Array.from(tracedRows.energy),
      initialEnergy: tracedRows.initialEnergy,
    },
};
