/**
 * A 2-D continuous energy on a grid ({@link energyGrid}), its contour lines by
 * marching squares ({@link contourSegments}) and a picture with samples
 * overlaid ({@link contourSvg}): where a Langevin or Metropolis chain goes
 * on the landscape it samples.
 * @module
 */
import type { EnergyModel } from '../../energy/types.js';
import { describeValue } from '../../errors.js';
import type { Matrix } from '../../linalg/matrix.js';
import { checkAllFinite, checkInt, checkOneOf, checkOptionsKeys, type DataInput, optionKeys, toMatrix } from '../../validate.js';
import { COLORMAPS, type Colormap } from '../image.js';
import { attr, checkText, esc, fmt, hexColor, r2, svgOpen, ticks } from './common.js';

/** Options of {@link energyGrid}.
 * @category Data & files
 */
export interface EnergyGridOptions {
  /** `[xmin, xmax]`. */
  xRange: readonly [number, number];
  /** `[ymin, ymax]`. */
  yRange: readonly [number, number];
  /** Grid points per axis (`n` or `[nx, ny]`, each 2..1000). Default 61. */
  resolution?: number | readonly [number, number];
}

const GRID_KEYS = optionKeys<EnergyGridOptions>()({ xRange: true, yRange: true, resolution: true });

/** An energy evaluated on a rectangular grid.
 * @category Data & files
 */
export interface EnergyGrid {
  /** x of each grid column, ascending. */
  readonly xs: Float64Array;
  /** y of each grid row, ascending. */
  readonly ys: Float64Array;
  /** `[ys.length, xs.length]`: `values[i, j] = E(xs[j], ys[i])`. */
  readonly values: Matrix;
}

function checkRange(where: string, name: string, r: unknown): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
    throw new RangeError(`${where}: ${name} must be [lo, hi] with finite lo < hi (got ${describeValue(r)})`);
  }
  return [r[0], r[1]];
}

/**
 * Evaluates a 2-D energy — a function `(x, y) => E` or an {@link EnergyModel}
 * of dimension 2 — on an evenly spaced grid.
 *
 * @param energy - the energy
 * @param options - ranges and resolution
 * @returns the grid
 * @throws {TypeError | RangeError} on a bad energy, option or a non-finite value
 * @example
 * ```ts
 * import { energyGrid } from 'boltzmann';
 * const g = energyGrid((x, y) => x * x + y * y, { xRange: [-1, 1], yRange: [-1, 1], resolution: 3 });
 * Array.from(g.values.data); // [2, 1, 2, 1, 0, 1, 2, 1, 2]
 * ```
 * @category Data & files
 */
export function energyGrid(energy: ((x: number, y: number) => number) | EnergyModel, options: EnergyGridOptions): EnergyGrid {
  const where = 'energyGrid';
  const o = checkOptionsKeys(where, options, GRID_KEYS);
  const [x0, x1] = checkRange(where, 'xRange', o.xRange);
  const [y0, y1] = checkRange(where, 'yRange', o.yRange);
  const res = o.resolution === undefined ? 61 : o.resolution;
  const [nx, ny] = Array.isArray(res) ? [checkInt(where, 'resolution[0]', res[0], 2, 1000), checkInt(where, 'resolution[1]', res[1], 2, 1000)] : [checkInt(where, 'resolution', res, 2, 1000), 0];
  const nY = ny === 0 ? nx : ny;
  let f: (x: number, y: number) => number;
  if (typeof energy === 'function') f = energy;
  else if (energy !== null && typeof energy === 'object' && typeof energy.energy === 'function' && energy.dimension === 2) {
    const p = new Float64Array(2);
    f = (x, y) => {
      p[0] = x;
      p[1] = y;
      return energy.energy(p);
    };
  } else throw new TypeError(`${where}: energy must be a function (x, y) => number or an EnergyModel of dimension 2 (got ${describeValue(energy)})`);
  const xs = Float64Array.from({ length: nx }, (_, j) => x0 + ((x1 - x0) * j) / (nx - 1));
  const ys = Float64Array.from({ length: nY }, (_, i) => y0 + ((y1 - y0) * i) / (nY - 1));
  const data = new Float64Array(nx * nY);
  for (let i = 0; i < nY; i++) for (let j = 0; j < nx; j++) data[i * nx + j] = f(xs[j], ys[i]);
  checkAllFinite(where, 'energy values', data);
  return { xs, ys, values: { rows: nY, cols: nx, data } };
}

function checkGrid(where: string, grid: EnergyGrid): void {
  if (
    grid === null ||
    typeof grid !== 'object' ||
    !(grid.xs instanceof Float64Array) ||
    !(grid.ys instanceof Float64Array) ||
    grid.values?.rows !== grid.ys.length ||
    grid.values.cols !== grid.xs.length ||
    grid.xs.length < 2 ||
    grid.ys.length < 2
  ) {
    throw new TypeError(`${where}: grid must be an EnergyGrid from energyGrid (got ${describeValue(grid)})`);
  }
}

/**
 * `count` contour levels evenly spaced strictly between the grid's minimum
 * and maximum (or its `upper` quantile of values, to skip a steep rim),
 * ascending.
 *
 * @param grid - from {@link energyGrid}
 * @param count - number of levels (1..100)
 * @param upper - quantile of the values used as the top end (0..1], default 1 (the maximum)
 * @returns ascending levels
 * @example
 * ```ts
 * import { contourLevels, energyGrid } from 'boltzmann';
 * contourLevels(energyGrid((x, y) => x + y, { xRange: [0, 1], yRange: [0, 1] }), 3); // [0.5, 1, 1.5]
 * ```
 * @category Data & files
 */
export function contourLevels(grid: EnergyGrid, count: number, upper = 1): number[] {
  checkGrid('contourLevels', grid);
  checkInt('contourLevels', 'count', count, 1, 100);
  if (typeof upper !== 'number' || !(upper > 0 && upper <= 1)) throw new RangeError(`contourLevels: upper must be in (0, 1] (got ${describeValue(upper)})`);
  const sorted = Float64Array.from(grid.values.data).sort();
  const lo = sorted[0];
  const hi = sorted[Math.min(sorted.length - 1, Math.ceil(upper * (sorted.length - 1)))];
  const out: number[] = [];
  for (let k = 1; k <= count; k++) out.push(lo + ((hi - lo) * k) / (count + 1));
  return out;
}

/**
 * Marching squares: the contour of `level` as line segments
 * `[x1, y1, x2, y2, …]` in data coordinates (crossings linearly interpolated
 * along cell edges; saddle cells resolved by the cell's mean).
 *
 * @param grid - from {@link energyGrid}
 * @param level - the energy level
 * @returns 4 numbers per segment
 * @example
 * ```ts
 * import { contourSegments, energyGrid } from 'boltzmann';
 * const g = energyGrid((x, y) => x * x + y * y, { xRange: [-2, 2], yRange: [-2, 2], resolution: 41 });
 * contourSegments(g, 1).length > 0; // true: the unit circle
 * ```
 * @category Data & files
 */
export function contourSegments(grid: EnergyGrid, level: number): Float64Array {
  checkGrid('contourSegments', grid);
  if (typeof level !== 'number' || !Number.isFinite(level)) throw new RangeError(`contourSegments: level must be a finite number (got ${describeValue(level)})`);
  const { xs, ys } = grid;
  const nx = xs.length;
  const v = grid.values.data;
  const out: number[] = [];
  const px = new Float64Array(4);
  const py = new Float64Array(4);
  const has = new Uint8Array(4);
  for (let i = 0; i + 1 < ys.length; i++) {
    for (let j = 0; j + 1 < nx; j++) {
      // corners: 0 = (j, i), 1 = (j+1, i), 2 = (j+1, i+1), 3 = (j, i+1); edge e joins corner e and e+1
      const cv = [v[i * nx + j], v[i * nx + j + 1], v[(i + 1) * nx + j + 1], v[(i + 1) * nx + j]] as number[];
      const cx = [xs[j], xs[j + 1], xs[j + 1], xs[j]] as number[];
      const cy = [ys[i], ys[i], ys[i + 1], ys[i + 1]] as number[];
      let n = 0;
      for (let e = 0; e < 4; e++) {
        const a = cv[e] as number;
        const b = cv[(e + 1) % 4] as number;
        has[e] = 0;
        if (a >= level !== b >= level) {
          const t = (level - a) / (b - a);
          px[e] = (cx[e] as number) + t * ((cx[(e + 1) % 4] as number) - (cx[e] as number));
          py[e] = (cy[e] as number) + t * ((cy[(e + 1) % 4] as number) - (cy[e] as number));
          has[e] = 1;
          n++;
        }
      }
      const seg = (a: number, b: number) => out.push(px[a], py[a], px[b], py[b]);
      if (n === 2) {
        const idx: number[] = [];
        for (let e = 0; e < 4; e++) if (has[e]) idx.push(e);
        seg(idx[0] as number, idx[1] as number);
      } else if (n === 4) {
        const mean = ((cv[0] as number) + (cv[1] as number) + (cv[2] as number) + (cv[3] as number)) / 4;
        if (mean >= level === (cv[0] as number) >= level) {
          seg(0, 1); // corner 1 cut off
          seg(2, 3); // corner 3 cut off
        } else {
          seg(3, 0); // corner 0 cut off
          seg(1, 2); // corner 2 cut off
        }
      }
    }
  }
  return Float64Array.from(out);
}

/** Options of {@link contourSvg}.
 * @category Data & files
 */
export interface ContourSvgOptions {
  /** Contour levels: a count (evenly spaced, {@link contourLevels}) or the levels themselves. Default 10. */
  levels?: number | readonly number[];
  /** Samples to overlay, `[n, 2]` rows `(x, y)`; points outside the grid are left out. */
  samples?: DataInput;
  /** Fill the cells by energy under the contours. Default true. */
  fill?: boolean;
  /** Colormap of the fill and the lines. Default `'viridis'`. */
  colormap?: Colormap;
  /** Title. */
  title?: string;
  /** Plot width in pixels (height follows the aspect ratio of the ranges, within 120..2000). Default 480. */
  width?: number;
}

const CONTOUR_KEYS = optionKeys<ContourSvgOptions>()({ levels: true, samples: true, fill: true, colormap: true, title: true, width: true });

/**
 * The grid as a picture: cells filled by energy, one
 * `<path class="contour" data-level=…>` per level (ascending), the samples as
 * `<circle class="sample">`, axes with ticks.
 *
 * @param grid - from {@link energyGrid}
 * @param options - levels, samples, fill, colormap, title, width
 * @returns the SVG document
 * @throws {TypeError | RangeError | ShapeError} on a bad grid, samples or option
 * @example
 * ```ts
 * import { contourSvg, energyGrid } from 'boltzmann';
 * const g = energyGrid((x, y) => (x * x - 1) ** 2 + y * y, { xRange: [-2, 2], yRange: [-1.5, 1.5] });
 * contourSvg(g, { levels: 8, samples: [[-1, 0], [1, 0.1]], title: 'double well' }).includes('class="sample"'); // true
 * ```
 * @category Data & files
 */
export function contourSvg(grid: EnergyGrid, options?: ContourSvgOptions): string {
  const where = 'contourSvg';
  checkGrid(where, grid);
  const o = checkOptionsKeys(where, options, CONTOUR_KEYS);
  const colormap = o.colormap === undefined ? 'viridis' : checkOneOf(where, 'colormap', o.colormap, COLORMAPS);
  const title = checkText(where, 'title', o.title);
  const fill = o.fill === undefined ? true : o.fill;
  if (typeof fill !== 'boolean') throw new TypeError(`${where}: fill must be a boolean (got ${describeValue(fill)})`);
  let levels: number[];
  if (o.levels === undefined || typeof o.levels === 'number') levels = contourLevels(grid, o.levels === undefined ? 10 : checkInt(where, 'levels', o.levels, 1, 100));
  else if (Array.isArray(o.levels) && o.levels.every((l) => typeof l === 'number' && Number.isFinite(l))) levels = [...o.levels].sort((a, b) => a - b);
  else throw new TypeError(`${where}: levels must be a count or an array of finite numbers (got ${describeValue(o.levels)})`);
  const samples = o.samples === undefined ? null : toMatrix(where, 'samples', o.samples, 2);
  const { xs, ys } = grid;
  const [x0, x1] = [xs[0], xs[xs.length - 1]];
  const [y0, y1] = [ys[0], ys[ys.length - 1]];
  const pw = o.width === undefined ? 480 : checkInt(where, 'width', o.width, 120, 2000);
  const ph = Math.min(2000, Math.max(120, Math.round((pw * (y1 - y0)) / (x1 - x0))));
  const left = 56;
  const top = title ? 36 : 14;
  const width = left + pw + 16;
  const height = top + ph + 40;
  const X = (x: number) => left + ((x - x0) / (x1 - x0)) * pw;
  const Y = (y: number) => top + ph - ((y - y0) / (y1 - y0)) * ph;
  const vals = grid.values.data;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const t = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const out: string[] = [svgOpen(width, height)];
  out.push(`<defs><clipPath id="contour-area"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  if (title) out.push(`<text x="${r2(left + pw / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  if (fill) {
    // one rectangle per grid point, centred on it (half cells at the border), coloured by its energy
    out.push('<g clip-path="url(#contour-area)" stroke="none" opacity="0.55">');
    const nx = xs.length;
    for (let i = 0; i < ys.length; i++) {
      const ya = Y(i === 0 ? ys[0] : (ys[i - 1] + ys[i]) / 2);
      const yb = Y(i === ys.length - 1 ? ys[i] : (ys[i] + ys[i + 1]) / 2);
      for (let j = 0; j < nx; j++) {
        const xa = X(j === 0 ? xs[0] : (xs[j - 1] + xs[j]) / 2);
        const xb = X(j === nx - 1 ? xs[j] : (xs[j] + xs[j + 1]) / 2);
        out.push(`<rect x="${r2(xa)}" y="${r2(yb)}" width="${r2(xb - xa + 0.4)}" height="${r2(ya - yb + 0.4)}" fill="${hexColor(colormap, t(vals[i * nx + j]))}"/>`);
      }
    }
    out.push('</g>');
  }
  out.push('<g clip-path="url(#contour-area)" fill="none" stroke-width="1.3">');
  for (const level of levels) {
    const s = contourSegments(grid, level);
    let d = '';
    for (let k = 0; k < s.length; k += 4) d += `M${r2(X(s[k]))} ${r2(Y(s[k + 1]))}L${r2(X(s[k + 2]))} ${r2(Y(s[k + 3]))}`;
    out.push(`<path class="contour" data-level="${attr(level)}" stroke="${hexColor(colormap, t(level) * 0.85)}" d="${d}"><title>E = ${esc(fmt(level))}</title></path>`);
  }
  out.push('</g>');
  if (samples) {
    out.push('<g fill="#e15759" fill-opacity="0.7" stroke="#ffffff" stroke-width="0.5">');
    for (let r = 0; r < samples.rows; r++) {
      const x = samples.data[2 * r];
      const y = samples.data[2 * r + 1];
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
      out.push(`<circle class="sample" cx="${r2(X(x))}" cy="${r2(Y(y))}" r="2.2"/>`);
    }
    out.push('</g>');
  }
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  out.push('<g fill="#333333">');
  for (const v of ticks(x0, x1, Math.max(2, Math.round(pw / 90)))) out.push(`<text x="${r2(X(v))}" y="${top + ph + 16}" text-anchor="middle">${esc(fmt(v))}</text>`);
  for (const v of ticks(y0, y1, Math.max(2, Math.round(ph / 60)))) out.push(`<text x="${left - 6}" y="${r2(Y(v) + 4)}" text-anchor="end">${esc(fmt(v))}</text>`);
  out.push('</g>');
  out.push(`<text x="${r2(left + pw / 2)}" y="${height - 8}" text-anchor="middle">x</text>`);
  out.push(`<text transform="translate(14 ${r2(top + ph / 2)}) rotate(-90)" text-anchor="middle">y</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
