/**
 * The discrete energy landscape of a small Hopfield network: all `2^N`
 * states (N ≤ 12) on a Gray-code grid (a Karnaugh map: neighbouring cells
 * differ in exactly one unit, so a single flip is a step to a neighbour),
 * coloured by energy, with the fixed points and the basins of asynchronous
 * descent marked — as data ({@link energyLandscape}), SVG
 * ({@link landscapeSvg}) and an RGBA image ({@link landscapeImage}; write it
 * with `writePng` from `boltzmann/node`).
 * @module
 */
import { describeValue } from '../../errors.js';
import { type HopfieldNetwork, evolveAsyncUnchecked, isFixedPointUnchecked, type TieRule } from '../../models/hopfield-network.js';
import { checkInt, checkOneOf, checkOptionsKeys, optionKeys } from '../../validate.js';
import { COLORMAPS, type Colormap, colormapColor, createImage, type RgbaImage } from '../image.js';
import { attr, checkText, esc, fmt, hexColor, r2, svgOpen } from './common.js';

/**
 * Most units {@link energyLandscape} lays out (4096 states).
 * @example
 * ```ts
 * import { LANDSCAPE_MAX_UNITS } from 'boltzmann';
 * 2 ** LANDSCAPE_MAX_UNITS; // 4096 cells at most
 * ```
 * @category Data & files
 */
export const LANDSCAPE_MAX_UNITS = 12;

/** Options of {@link energyLandscape}.
 * @category Data & files
 */
export interface EnergyLandscapeOptions {
  /** Zero-field rule of the descent and of the fixed-point test. Default `'keep'`. */
  tie?: TieRule;
}

const LANDSCAPE_KEYS = optionKeys<EnergyLandscapeOptions>()({ tie: true });

/**
 * Every state of a small network laid out on a Gray-code grid. State index
 * `k` has unit `i` at `+1` when bit `i` of `k` is set, else `−1` (as
 * {@link stateFromIndex}). Column `c` holds units `0..colBits−1` as the Gray
 * code of `c`, row `r` holds the remaining units as the Gray code of `r`, so
 * adjacent cells differ in one unit.
 * @category Data & files
 */
export interface EnergyLandscape {
  /** Number of units `N`. */
  readonly dimension: number;
  /** Grid rows, `2^(N − colBits)`. */
  readonly rows: number;
  /** Grid columns, `2^colBits` with `colBits = ⌈N/2⌉`. */
  readonly cols: number;
  /** State index in each cell, row-major (`rows · cols = 2^N` entries, each state once). */
  readonly cellState: Uint32Array;
  /** `E(s)` per state index. */
  readonly energies: Float64Array;
  /** The fixed points of the deterministic dynamics (state indices, ascending). */
  readonly fixedPoints: Uint32Array;
  /** Per state index: the fixed point reached by sequential asynchronous descent from it (−1 if none within the sweep limit). */
  readonly basin: Int32Array;
  /** The zero-field rule used. */
  readonly tie: TieRule;
}

/** The reflected binary (Gray) code of `k`. */
function gray(k: number): number {
  return (k ^ (k >>> 1)) >>> 0;
}

/**
 * Enumerates the landscape of a Hopfield network of at most
 * {@link LANDSCAPE_MAX_UNITS} units: energies of all `2^N` states, the fixed
 * points, and for each state the fixed point that sequential asynchronous
 * descent (units in index order, as {@link HopfieldNetwork.evolve}) reaches.
 *
 * @param net - the network
 * @param options - tie rule
 * @returns the {@link EnergyLandscape}
 * @throws {RangeError} above {@link LANDSCAPE_MAX_UNITS} units or on a bad option
 * @example
 * ```ts
 * import { HopfieldNetwork, energyLandscape } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1], [1, -1, 1, -1]]);
 * const land = energyLandscape(net);
 * [land.rows, land.cols, land.fixedPoints.length]; // [4, 4, 4]: ±ξ¹ and ±ξ² only
 * ```
 * @category Data & files
 */
export function energyLandscape(net: HopfieldNetwork, options?: EnergyLandscapeOptions): EnergyLandscape {
  const where = 'energyLandscape';
  const o = checkOptionsKeys(where, options, LANDSCAPE_KEYS);
  if (net === null || typeof net !== 'object' || net.kind !== 'hopfield') {
    throw new TypeError(`${where}: net must be a HopfieldNetwork (got ${describeValue(net)})`);
  }
  const n = checkInt(where, 'net.dimension', net.dimension, 1, LANDSCAPE_MAX_UNITS);
  const tie = o.tie === undefined ? 'keep' : checkOneOf(where, 'tie', o.tie, ['keep', 'minus'] as const);
  const minus = tie === 'minus';
  const total = 2 ** n;
  const colBits = Math.ceil(n / 2);
  const cols = 2 ** colBits;
  const rows = total / cols;
  const cellState = new Uint32Array(total);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) cellState[r * cols + c] = gray(c) | (gray(r) << colBits);
  const w = net.weights.data;
  const b = net.bias;
  const energies = new Float64Array(total);
  const basin = new Int32Array(total);
  const fixed: number[] = [];
  const y = new Float64Array(n);
  const h = new Float64Array(n);
  const order = new Uint32Array(n);
  const counters = new Float64Array(2);
  for (let k = 0; k < total; k++) {
    for (let i = 0; i < n; i++) y[i] = (k >>> i) & 1 ? 1 : -1;
    energies[k] = net.energy(y);
    if (isFixedPointUnchecked(w, b, y, n, minus)) fixed.push(k);
    net.localFields(h, y);
    for (let i = 0; i < n; i++) order[i] = i;
    const done = evolveAsyncUnchecked(w, b, y, h, n, order, n, minus, 10 * n + 10, null, false, null, counters);
    let end = 0;
    for (let i = 0; i < n; i++) if (y[i] > 0) end |= 1 << i;
    basin[k] = done ? end : -1;
  }
  return { dimension: n, rows, cols, cellState, energies, fixedPoints: Uint32Array.from(fixed), basin, tie };
}

/** Options of {@link landscapeSvg} and {@link landscapeImage}.
 * @category Data & files
 */
export interface LandscapeViewOptions {
  /** Side of one cell in pixels. Default: about 480 px across the grid, 12..56 per cell (SVG); 16 (image). */
  cellSize?: number;
  /** Energy colormap, low energy at the low end. Default `'viridis'`. */
  colormap?: Colormap;
  /** Title above the grid (SVG only). */
  title?: string;
  /** Print each state as `+`/`−` per unit in its cell (SVG only). Default: when N ≤ 6. */
  labels?: boolean;
}

const VIEW_KEYS = optionKeys<LandscapeViewOptions>()({ cellSize: true, colormap: true, title: true, labels: true });

function checkLandscape(where: string, land: EnergyLandscape): void {
  if (
    land === null ||
    typeof land !== 'object' ||
    !(land.cellState instanceof Uint32Array) ||
    !(land.energies instanceof Float64Array) ||
    !(land.basin instanceof Int32Array) ||
    land.cellState.length !== land.rows * land.cols ||
    land.energies.length !== land.cellState.length
  ) {
    throw new TypeError(`${where}: landscape must be an EnergyLandscape from energyLandscape (got ${describeValue(land)})`);
  }
}

function energyRange(e: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of e) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Basin colours (fixed points and the corner mark of each cell in their basin). */
const BASIN_COLORS = ['#e15759', '#f28e2b', '#ffffff', '#76b7b2', '#edc948', '#ff9da7', '#b07aa1', '#9c755f', '#bab0ac', '#4e79a7'];

/** The state as `+`/`−` per unit, unit 0 first. */
function stateLabel(k: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (k >>> i) & 1 ? '+' : '−';
  return s;
}

/**
 * The landscape as a standalone SVG: one `<rect class="cell">` per state
 * (fill by energy; `data-state`, `data-energy`, `data-basin` attributes), a
 * thick line (`class="basin-wall"`) between neighbouring cells whose descents
 * end at different fixed points, a circle (`class="fixed-point"`) on every
 * fixed point, a small corner square in the colour of each cell's basin, and
 * an energy colour bar.
 *
 * @param landscape - from {@link energyLandscape}
 * @param options - cell size, colormap, title, labels
 * @returns the SVG document
 * @throws {TypeError | RangeError} on a bad landscape or option
 * @example
 * ```ts
 * import { HopfieldNetwork, energyLandscape, landscapeSvg } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1]]);
 * landscapeSvg(energyLandscape(net), { title: 'one stored pattern' }).includes('class="fixed-point"'); // true
 * ```
 * @category Data & files
 */
export function landscapeSvg(landscape: EnergyLandscape, options?: LandscapeViewOptions): string {
  const where = 'landscapeSvg';
  checkLandscape(where, landscape);
  const o = checkOptionsKeys(where, options, VIEW_KEYS);
  const { rows, cols, cellState, energies, basin, dimension: n } = landscape;
  const cell = o.cellSize === undefined ? Math.max(12, Math.min(56, Math.floor(480 / cols))) : checkInt(where, 'cellSize', o.cellSize, 4, 400);
  const colormap = o.colormap === undefined ? 'viridis' : checkOneOf(where, 'colormap', o.colormap, COLORMAPS);
  const title = checkText(where, 'title', o.title);
  const labels = o.labels === undefined ? n <= 6 : o.labels;
  if (typeof labels !== 'boolean') throw new TypeError(`${where}: labels must be a boolean (got ${describeValue(labels)})`);
  const [lo, hi] = energyRange(energies);
  const t = (e: number) => (hi > lo ? (e - lo) / (hi - lo) : 0.5);
  const left = 16;
  const top = title ? 36 : 16;
  const gw = cols * cell;
  const gh = rows * cell;
  const width = Math.max(left + gw + 90, 32 + 9 * title.length);
  const height = Math.max(top + gh + 16, top + 160);
  const basinIds = new Map<number, number>();
  for (const f of landscape.fixedPoints) basinIds.set(f, basinIds.size);
  const basinColor = (k: number): string => {
    const id = basinIds.get(basin[k]);
    return id === undefined ? '#000000' : (BASIN_COLORS[id % BASIN_COLORS.length] as string);
  };
  const out: string[] = [svgOpen(width, height)];
  if (title) out.push(`<text x="${r2(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  out.push('<g stroke="#ffffff" stroke-width="0.5">');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      const x = left + c * cell;
      const y = top + r * cell;
      out.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${hexColor(colormap, t(energies[k]))}" data-state="${k}" data-energy="${attr(energies[k])}" data-basin="${basin[k]}"><title>${stateLabel(k, n)} E=${fmt(energies[k])}</title></rect>`,
      );
    }
  }
  out.push('</g>');
  const m = Math.max(3, Math.round(cell / 6));
  out.push('<g stroke="none">');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      out.push(`<rect class="basin-mark" x="${left + c * cell + 1}" y="${top + r * cell + 1}" width="${m}" height="${m}" fill="${basinColor(k)}"/>`);
    }
  }
  out.push('</g>');
  if (labels) {
    const fs = Math.max(6, Math.min(12, Math.floor((cell * 1.6) / n)));
    out.push(`<g font-size="${fs}" text-anchor="middle" fill="#ffffff" font-family="monospace">`);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const k = cellState[r * cols + c];
        out.push(`<text x="${r2(left + (c + 0.5) * cell)}" y="${r2(top + (r + 1) * cell - 3)}">${stateLabel(k, n)}</text>`);
      }
    }
    out.push('</g>');
  }
  out.push('<g stroke="#000000" stroke-width="3" stroke-linecap="square">');
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      if (c + 1 < cols && basin[cellState[r * cols + c + 1]] !== basin[k]) {
        const x = left + (c + 1) * cell;
        out.push(`<line class="basin-wall" x1="${x}" y1="${top + r * cell}" x2="${x}" y2="${top + (r + 1) * cell}"/>`);
      }
      if (r + 1 < rows && basin[cellState[(r + 1) * cols + c]] !== basin[k]) {
        const y = top + (r + 1) * cell;
        out.push(`<line class="basin-wall" x1="${left + c * cell}" y1="${y}" x2="${left + (c + 1) * cell}" y2="${y}"/>`);
      }
    }
  }
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${gw}" height="${gh}" fill="none" stroke="#333333"/>`);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      if (basin[k] !== k) continue;
      out.push(
        `<circle class="fixed-point" cx="${r2(left + (c + 0.5) * cell)}" cy="${r2(top + (r + 0.5) * cell)}" r="${r2(cell * 0.28)}" fill="${basinColor(k)}" stroke="#000000" stroke-width="1.5" data-state="${k}"/>`,
      );
    }
  }
  // colour bar
  const bx = left + gw + 20;
  const bh = Math.min(gh, 200);
  const steps = 32;
  for (let s = 0; s < steps; s++) {
    const y0 = top + (bh * s) / steps;
    out.push(`<rect x="${bx}" y="${r2(y0)}" width="14" height="${r2(bh / steps + 0.5)}" fill="${hexColor(colormap, 1 - s / (steps - 1))}"/>`);
  }
  out.push(`<text x="${bx + 18}" y="${top + 10}">E=${esc(fmt(hi))}</text>`);
  out.push(`<text x="${bx + 18}" y="${r2(top + bh)}">E=${esc(fmt(lo))}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * The landscape as an RGBA image (`cols · cellSize × rows · cellSize`): each
 * cell filled by energy, black basin walls along cell edges between different
 * basins, and a white square with a black rim at the centre of every fixed
 * point. Write it with `writePng(path, image)` from `boltzmann/node`.
 *
 * @param landscape - from {@link energyLandscape}
 * @param options - cell size (≥ 8), colormap
 * @returns the image
 * @throws {TypeError | RangeError} on a bad landscape or option
 * @example
 * ```ts
 * import { HopfieldNetwork, energyLandscape, landscapeImage } from 'boltzmann';
 * const net = new HopfieldNetwork(4);
 * net.fit([[1, 1, -1, -1]]);
 * landscapeImage(energyLandscape(net), { cellSize: 10 }).width; // 40
 * ```
 * @category Data & files
 */
export function landscapeImage(landscape: EnergyLandscape, options?: LandscapeViewOptions): RgbaImage {
  const where = 'landscapeImage';
  checkLandscape(where, landscape);
  const o = checkOptionsKeys(where, options, VIEW_KEYS);
  const cell = o.cellSize === undefined ? 16 : checkInt(where, 'cellSize', o.cellSize, 8, 400);
  const colormap = o.colormap === undefined ? 'viridis' : checkOneOf(where, 'colormap', o.colormap, COLORMAPS);
  const { rows, cols, cellState, energies, basin } = landscape;
  const [lo, hi] = energyRange(energies);
  const img = createImage(cols * cell, rows * cell);
  const W = img.width;
  const d = img.data;
  const put = (x: number, y: number, c: readonly [number, number, number]) => {
    const p = 4 * (y * W + x);
    d[p] = c[0];
    d[p + 1] = c[1];
    d[p + 2] = c[2];
  };
  const black = [0, 0, 0] as const;
  const white = [255, 255, 255] as const;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      const col = colormapColor(colormap, hi > lo ? (energies[k] - lo) / (hi - lo) : 0.5);
      for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) put(c * cell + x, r * cell + y, col);
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = cellState[r * cols + c];
      if (c + 1 < cols && basin[cellState[r * cols + c + 1]] !== basin[k]) {
        for (let y = 0; y < cell; y++) {
          put((c + 1) * cell - 1, r * cell + y, black);
          put((c + 1) * cell, r * cell + y, black);
        }
      }
      if (r + 1 < rows && basin[cellState[(r + 1) * cols + c]] !== basin[k]) {
        for (let x = 0; x < cell; x++) {
          put(c * cell + x, (r + 1) * cell - 1, black);
          put(c * cell + x, (r + 1) * cell, black);
        }
      }
      if (basin[k] === k) {
        const a = Math.floor(cell / 4);
        const b = cell - a;
        for (let y = a; y < b; y++) {
          for (let x = a; x < b; x++) put(c * cell + x, r * cell + y, y === a || y === b - 1 || x === a || x === b - 1 ? black : white);
        }
      }
    }
  }
  return img;
}
