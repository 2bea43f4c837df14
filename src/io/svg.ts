/**
 * SVG line plots with no dependency: training curves (log-likelihood per
 * epoch), capacity curves (recall error against patterns per neuron), with
 * axes, "nice" ticks, a legend, dashed series and labelled vertical marks
 * (e.g. the 0.138·N capacity limit). The output is a standalone SVG string
 * that browsers, editors and GitHub render.
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import { checkInt, checkOptionsKeys, optionKeys } from '../validate.js';

/** One line of a {@link linePlot}.
 * @category Data & files
 */
export interface PlotSeries {
  /** Name shown in the legend. */
  name: string;
  /** x coordinates. */
  x: ArrayLike<number>;
  /** y coordinates, same length as `x`; a non-finite value (NaN) leaves a gap in the line. */
  y: ArrayLike<number>;
  /** CSS colour (`#rgb`, `#rrggbb`, `#rrggbbaa`, a colour name, or `rgb(…)`); default from a 10-colour palette. */
  color?: string;
  /** Draw dashed. Default false. */
  dashed?: boolean;
  /** Draw a small circle at each point. Default false. */
  markers?: boolean;
}

/** A labelled vertical line in a {@link linePlot}.
 * @category Data & files
 */
export interface PlotMark {
  /** x position. */
  x: number;
  /** Label drawn next to the line (optional). */
  label?: string;
  /** CSS colour (default grey). */
  color?: string;
}

/** Options of {@link linePlot}.
 * @category Data & files
 */
export interface LinePlotOptions {
  /** Title above the plot. */
  title?: string;
  /** Label of the x axis. */
  xLabel?: string;
  /** Label of the y axis. */
  yLabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 400). */
  height?: number;
  /** x range `[lo, hi]` (default: the data's, rounded out to ticks). */
  xRange?: readonly [number, number];
  /** y range `[lo, hi]` (default: the data's, rounded out to ticks). */
  yRange?: readonly [number, number];
  /** Vertical marks with labels. */
  marks?: readonly PlotMark[];
  /** Logarithmic y axis (non-positive y values leave gaps). Default false. */
  logY?: boolean;
  /** Logarithmic x axis (non-positive x values leave gaps). Default false. */
  logX?: boolean;
  /** Show the legend (default true when there is more than one series or a series is named). */
  legend?: boolean;
  /**
   * Where the legend goes: `'auto'` (default) takes the first of the plot area's corners
   * (top right, top left, bottom right, bottom left) where the legend's box covers no point
   * or line of the data, and puts it **below the plot** (the SVG grows by its height) where
   * every corner would; or one of those places by name.
   */
  legendPosition?: LegendPosition;
}

/** Where {@link linePlot} draws its legend (see {@link LinePlotOptions.legendPosition}).
 * @category Data & files
 */
export type LegendPosition = 'auto' | 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'below';
const LEGEND_POSITIONS: readonly LegendPosition[] = ['auto', 'top-right', 'top-left', 'bottom-right', 'bottom-left', 'below'];

const LINE_PLOT_KEYS = optionKeys<LinePlotOptions>()({
  title: true,
  xLabel: true,
  yLabel: true,
  width: true,
  height: true,
  xRange: true,
  yRange: true,
  marks: true,
  logY: true,
  logX: true,
  legend: true,
  legendPosition: true,
});

/**
 * The default series colours (Tableau 10).
 *
 * @example
 * ```ts
 * import { PLOT_COLORS } from 'boltzmann';
 * PLOT_COLORS[0]; // '#4e79a7', the first series' colour
 * ```
 * @category Data & files
 */
export const PLOT_COLORS: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const COLOR_RE = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}|rgba?\([0-9.,%\s]{1,60}\))$/;

function checkColorString(where: string, name: string, c: unknown): string {
  if (typeof c !== 'string') throw new TypeError(`${where}: ${name} must be a CSS colour string (got ${describeValue(c)})`);
  if (!COLOR_RE.test(c)) throw new RangeError(`${where}: ${name} must be a CSS colour like '#1f77b4' or 'red' (got ${describeValue(c)})`);
  return c;
}

function checkText(where: string, name: string, t: unknown): string {
  if (t === undefined) return '';
  if (typeof t !== 'string') throw new TypeError(`${where}: ${name} must be a string (got ${describeValue(t)})`);
  return t;
}

function checkPair(where: string, name: string, r: unknown): [number, number] | null {
  if (r === undefined) return null;
  if (
    !Array.isArray(r) ||
    r.length !== 2 ||
    typeof r[0] !== 'number' ||
    typeof r[1] !== 'number' ||
    !Number.isFinite(r[0]) ||
    !Number.isFinite(r[1]) ||
    !(r[0] < r[1])
  ) {
    const msg = `${where}: ${name} must be [lo, hi] with finite lo < hi (got ${describeValue(r)})`;
    throw Array.isArray(r) ? new RangeError(msg) : new TypeError(msg);
  }
  return [r[0], r[1]];
}

function isNumberArrayLike(v: unknown): v is ArrayLike<number> {
  return (
    (Array.isArray(v) && v.every((e) => typeof e === 'number')) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof (v as unknown as { length: unknown }).length === 'number')
  );
}

/** Escapes text for SVG element content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shortest readable label of a tick value. */
function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return Number(v.toPrecision(6)).toExponential().replace('e+', 'e');
  return String(Number(v.toPrecision(12)));
}

/** "Nice" tick step for a span split into about `n` intervals: 1, 2 or 5 × 10^k. */
function niceStep(span: number, n: number): number {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  if (!(p > 0) || !Number.isFinite(p)) return raw;
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  log: boolean;
}

function makeAxis(lo: number, hi: number, fixed: boolean, log: boolean, nTicks: number): Axis {
  if (log) {
    let a = Math.log10(Math.max(lo, 1e-300));
    let b = Math.log10(Math.min(Math.max(hi, 1e-300), 1e300));
    if (!fixed) {
      a = Math.floor(a);
      b = Math.ceil(b);
      if (a === b) b = a + 1;
    }
    const ticks: number[] = [];
    const step = Math.max(1, Math.ceil((b - a) / nTicks));
    for (let k = Math.ceil(a); k <= b + 1e-9; k += step) ticks.push(10 ** k);
    return { lo: 10 ** a, hi: 10 ** b, ticks, log };
  }
  // keep the span finite and resolvable in float64 (huge, tiny or subnormal data)
  lo = Math.max(lo, -1e307);
  hi = Math.min(hi, 1e307);
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  if (!(hi - lo > mag * 1e-12) || hi - lo < 1e-280) {
    const d = mag > 1e-280 ? mag * 0.1 : 1;
    lo -= d;
    hi += d;
  }
  const step = niceStep(hi - lo, nTicks);
  if (!fixed) {
    const a = Math.floor(lo / step + 1e-9) * step;
    const b = Math.ceil(hi / step - 1e-9) * step;
    if (Number.isFinite(a) && Number.isFinite(b) && a < b) {
      lo = a;
      hi = b;
    }
  }
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9 && ticks.length < 100; k++) ticks.push(Number((k * step).toPrecision(12)));
  return { lo, hi, ticks, log };
}

/** Width allowed per character of the 15 px bold title (sans-serif; DejaVu Sans Bold averages about 9.3 px), for wrapping. */
const TITLE_CHAR_WIDTH = 9.6;

/** Splits `text` at spaces into lines of at most `max` characters (a longer word gets a line of its own). */
function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * Whether any drawn point, marker or stretch of line of `series` falls inside the box
 * `[x0, x1] × [y0, y1]` (pixels): segments are followed in steps of at most 2 px.
 */
function coversData(
  series: readonly { x: ArrayLike<number>; y: ArrayLike<number> }[],
  okX: (v: number) => boolean,
  okY: (v: number) => boolean,
  px: (v: number) => number,
  py: (v: number) => number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  const inside = (x: number, y: number) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  for (const s of series) {
    let prevX = Number.NaN;
    let prevY = Number.NaN;
    for (let k = 0; k < s.x.length; k++) {
      const xv = s.x[k] as number;
      const yv = s.y[k] as number;
      if (!okX(xv) || !okY(yv)) {
        prevX = Number.NaN;
        continue;
      }
      const X = px(xv);
      const Y = py(yv);
      if (inside(X, Y)) return true;
      if (!Number.isNaN(prevX)) {
        // a segment crossing the box: skip it quickly when both ends lie on one side
        const outside = (X < x0 && prevX < x0) || (X > x1 && prevX > x1) || (Y < y0 && prevY < y0) || (Y > y1 && prevY > y1);
        if (!outside) {
          const steps = Math.min(4096, Math.ceil(Math.hypot(X - prevX, Y - prevY) / 2));
          for (let t = 1; t < steps; t++) if (inside(prevX + ((X - prevX) * t) / steps, prevY + ((Y - prevY) * t) / steps)) return true;
        }
      }
      prevX = X;
      prevY = Y;
    }
  }
  return false;
}

/**
 * Draws line series on shared axes and returns a standalone SVG document.
 *
 * @param series - the lines; each `x` and `y` of equal length (non-finite points leave gaps)
 * @param options - title, axis labels, size, ranges, log axes, marks, legend
 * @returns the SVG as a string (`<svg xmlns=… width=… height=…>…</svg>`)
 * @throws {TypeError} when a series or option has the wrong type
 * @throws {ShapeError} when a series' `x` and `y` differ in length
 * @throws {RangeError} on a bad size, range, colour, or a log axis with a non-positive fixed range
 * @example
 * ```ts
 * import { linePlot } from 'boltzmann';
 * const svg = linePlot(
 *   [{ name: 'train', x: [1, 2, 3], y: [-120, -105, -99] }, { name: 'test', x: [1, 2, 3], y: [-122, -108, -104], dashed: true }],
 *   { title: 'RBM on MNIST', xLabel: 'epoch', yLabel: 'log-likelihood (nats)' },
 * );
 * svg.startsWith('<svg'); // true
 * ```
 * @category Data & files
 */
export function linePlot(series: readonly PlotSeries[], options?: LinePlotOptions): string {
  const where = 'linePlot';
  if (!Array.isArray(series)) throw new TypeError(`${where}: series must be an array (got ${describeValue(series)})`);
  const opts = checkOptionsKeys(where, options, LINE_PLOT_KEYS);
  const width = opts.width === undefined ? 640 : checkInt(where, 'options.width', opts.width, 100, 20000);
  const height = opts.height === undefined ? 400 : checkInt(where, 'options.height', opts.height, 80, 20000);
  const title = checkText(where, 'options.title', opts.title);
  const xLabel = checkText(where, 'options.xLabel', opts.xLabel);
  const yLabel = checkText(where, 'options.yLabel', opts.yLabel);
  const xFixed = checkPair(where, 'options.xRange', opts.xRange);
  const yFixed = checkPair(where, 'options.yRange', opts.yRange);
  const logX = opts.logX === undefined ? false : opts.logX;
  const logY = opts.logY === undefined ? false : opts.logY;
  if (typeof logX !== 'boolean') throw new TypeError(`${where}: options.logX must be a boolean (got ${describeValue(logX)})`);
  if (typeof logY !== 'boolean') throw new TypeError(`${where}: options.logY must be a boolean (got ${describeValue(logY)})`);
  if (logX && xFixed && xFixed[0] <= 0) throw new RangeError(`${where}: options.xRange must be positive with logX (got [${xFixed.join(', ')}])`);
  if (logY && yFixed && yFixed[0] <= 0) throw new RangeError(`${where}: options.yRange must be positive with logY (got [${yFixed.join(', ')}])`);
  const marks = opts.marks === undefined ? [] : opts.marks;
  if (!Array.isArray(marks)) throw new TypeError(`${where}: options.marks must be an array (got ${describeValue(marks)})`);
  const checkedMarks = marks.map((m: unknown, i: number) => {
    const mk = m as PlotMark;
    if (mk === null || typeof mk !== 'object') throw new TypeError(`${where}: options.marks[${i}] must be { x, label?, color? } (got ${describeValue(m)})`);
    if (typeof mk.x !== 'number' || !Number.isFinite(mk.x)) throw new RangeError(`${where}: options.marks[${i}].x must be a finite number (got ${describeValue(mk.x)})`);
    return {
      x: mk.x,
      label: checkText(where, `options.marks[${i}].label`, mk.label),
      color: mk.color === undefined ? '#888888' : checkColorString(where, `options.marks[${i}].color`, mk.color),
    };
  });
  const checked = series.map((s: unknown, i: number) => {
    const sr = s as PlotSeries;
    if (sr === null || typeof sr !== 'object') throw new TypeError(`${where}: series[${i}] must be { name, x, y } (got ${describeValue(s)})`);
    const name = checkText(where, `series[${i}].name`, sr.name);
    if (!isNumberArrayLike(sr.x)) throw new TypeError(`${where}: series[${i}].x must be an array of numbers (got ${describeValue(sr.x)})`);
    if (!isNumberArrayLike(sr.y)) throw new TypeError(`${where}: series[${i}].y must be an array of numbers (got ${describeValue(sr.y)})`);
    if (sr.x.length !== sr.y.length) {
      throw new ShapeError(`${where}: series[${i}].x and .y must have the same length (got ${sr.x.length} and ${sr.y.length})`);
    }
    const color = sr.color === undefined ? (PLOT_COLORS[i % PLOT_COLORS.length] as string) : checkColorString(where, `series[${i}].color`, sr.color);
    for (const key of ['dashed', 'markers'] as const) {
      if (sr[key] !== undefined && typeof sr[key] !== 'boolean') {
        throw new TypeError(`${where}: series[${i}].${key} must be a boolean (got ${describeValue(sr[key])})`);
      }
    }
    return { name, x: sr.x, y: sr.y, color, dashed: sr.dashed === true, markers: sr.markers === true };
  });
  const legend = opts.legend === undefined ? checked.length > 1 || checked.some((s) => s.name !== '') : opts.legend;
  if (typeof legend !== 'boolean') throw new TypeError(`${where}: options.legend must be a boolean (got ${describeValue(legend)})`);
  const legendAt = opts.legendPosition === undefined ? 'auto' : opts.legendPosition;
  if (!LEGEND_POSITIONS.includes(legendAt)) {
    throw new RangeError(`${where}: options.legendPosition must be one of ${LEGEND_POSITIONS.join(', ')} (got ${describeValue(legendAt)})`);
  }

  const okX = (v: number) => Number.isFinite(v) && (!logX || v > 0);
  const okY = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  let xlo = Infinity;
  let xhi = -Infinity;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (const s of checked) {
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k] as number;
      const y = s.y[k] as number;
      if (!okX(x) || !okY(y)) continue;
      if (xFixed && (x < xFixed[0] || x > xFixed[1])) continue;
      xlo = Math.min(xlo, x);
      xhi = Math.max(xhi, x);
      ylo = Math.min(ylo, y);
      yhi = Math.max(yhi, y);
    }
  }
  for (const m of checkedMarks) {
    if (okX(m.x) && !xFixed) {
      xlo = Math.min(xlo, m.x);
      xhi = Math.max(xhi, m.x);
    }
  }
  if (!(xlo <= xhi)) [xlo, xhi] = logX ? [1, 10] : [0, 1];
  if (!(ylo <= yhi)) [ylo, yhi] = logY ? [1, 10] : [0, 1];
  const ax = makeAxis(xFixed ? xFixed[0] : xlo, xFixed ? xFixed[1] : xhi, xFixed !== null, logX, Math.max(2, Math.round(width / 110)));
  const ay = makeAxis(yFixed ? yFixed[0] : ylo, yFixed ? yFixed[1] : yhi, yFixed !== null, logY, Math.max(2, Math.round(height / 70)));

  const left = 70;
  const right = 20;
  const bottom = xLabel ? 52 : 34;
  const titleLines = title ? wrapText(title, Math.max(1, Math.floor((width - 20) / TITLE_CHAR_WIDTH))) : [];
  // as many title lines as leave the plot area at least 40 px tall; the last one kept ends in '…'
  const maxLines = Math.max(1, 1 + Math.floor((height - bottom - 36 - 40) / 19));
  if (titleLines.length > maxLines) {
    titleLines.length = maxLines;
    titleLines[maxLines - 1] = `${titleLines[maxLines - 1]} …`;
  }
  const top = titleLines.length === 0 ? 16 : 36 + 19 * (titleLines.length - 1);
  const pw = width - left - right;
  const ph = height - top - bottom;
  // position in [0, 1] along an axis, computed so that no intermediate overflows; far-off points are clamped (the clip path hides them)
  const unit = (a: Axis) => {
    if (a.log) {
      const l0 = Math.log10(a.lo);
      const span = Math.log10(a.hi) - l0;
      return (v: number) => Math.min(1e3, Math.max(-1e3, (Math.log10(v) - l0) / span));
    }
    const span = a.hi - a.lo;
    return (v: number) => Math.min(1e3, Math.max(-1e3, v / span - a.lo / span));
  };
  const tx = unit(ax);
  const ty = unit(ay);
  const px = (v: number) => left + tx(v) * pw;
  const py = (v: number) => top + (1 - ty(v)) * ph;
  const r2 = (v: number) => (Math.round(v * 100) / 100).toString();

  // the legend's box and place, chosen before drawing (the SVG grows when it goes below the plot)
  const shown = legend && checked.length > 0;
  const lh = checked.length * 18 + 6;
  const labelsWidth = 40 + 7 * Math.max(0, ...checked.map((s) => s.name.length));
  let lw = Math.min(pw - 10, labelsWidth);
  let lx = 0;
  let ly = 0;
  let total = height;
  if (shown) {
    const corners: Record<Exclude<LegendPosition, 'auto' | 'below'>, [number, number]> = {
      'top-right': [left + pw - lw - 8, top + 8],
      'top-left': [left + 8, top + 8],
      'bottom-right': [left + pw - lw - 8, top + ph - lh - 8],
      'bottom-left': [left + 8, top + ph - lh - 8],
    };
    let place: LegendPosition = legendAt;
    if (place === 'auto') {
      place = 'below';
      for (const c of ['top-right', 'top-left', 'bottom-right', 'bottom-left'] as const) {
        const [x0, y0] = corners[c];
        if (lh + 16 <= ph && !coversData(checked, okX, okY, px, py, x0 - 4, y0 - 4, x0 + lw + 4, y0 + lh + 4)) {
          place = c;
          break;
        }
      }
    }
    if (place === 'below') {
      lw = Math.min(width - left - 10, labelsWidth);
      lx = left;
      ly = height;
      total = height + lh + 10;
    } else [lx, ly] = corners[place];
  }

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif" font-size="12">`,
    // the accessible name (screen readers, tooltips); the visible title is drawn below
    `<title>${esc(title || [yLabel, xLabel].filter(Boolean).join(' against ') || 'line plot')}</title>`,
    `<rect width="${width}" height="${total}" fill="white"/>`,
    `<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );
  titleLines.forEach((line, i) => {
    out.push(`<text x="${r2(width / 2)}" y="${22 + 19 * i}" text-anchor="middle" font-size="15" font-weight="bold">${esc(line)}</text>`);
  });
  // grid and ticks
  out.push('<g stroke="#e5e5e5" stroke-width="1">');
  for (const t of ax.ticks) out.push(`<line x1="${r2(px(t))}" y1="${top}" x2="${r2(px(t))}" y2="${top + ph}"/>`);
  for (const t of ay.ticks) out.push(`<line x1="${left}" y1="${r2(py(t))}" x2="${left + pw}" y2="${r2(py(t))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  out.push('<g fill="#333333">');
  for (const t of ax.ticks) out.push(`<text x="${r2(px(t))}" y="${top + ph + 16}" text-anchor="middle">${esc(fmt(t))}</text>`);
  for (const t of ay.ticks) out.push(`<text x="${left - 6}" y="${r2(py(t) + 4)}" text-anchor="end">${esc(fmt(t))}</text>`);
  out.push('</g>');
  if (xLabel) out.push(`<text x="${r2(left + pw / 2)}" y="${height - 12}" text-anchor="middle">${esc(xLabel)}</text>`);
  if (yLabel) {
    out.push(`<text transform="translate(16 ${r2(top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  }
  // marks
  for (const m of checkedMarks) {
    if (!okX(m.x) || m.x < ax.lo || m.x > ax.hi) continue;
    const x = r2(px(m.x));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + ph}" stroke="${m.color}" stroke-dasharray="4 3"/>`);
    if (m.label) out.push(`<text x="${x}" y="${top + 12}" dx="4" fill="${m.color}">${esc(m.label)}</text>`);
  }
  // series
  out.push('<g clip-path="url(#plot-area)" fill="none" stroke-width="2" stroke-linejoin="round">');
  for (const s of checked) {
    let d = '';
    let pen = false;
    const dots: string[] = [];
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k] as number;
      const y = s.y[k] as number;
      if (!okX(x) || !okY(y)) {
        pen = false;
        continue;
      }
      const X = r2(px(x));
      const Y = r2(py(y));
      d += `${pen ? 'L' : 'M'}${X} ${Y}`;
      pen = true;
      if (s.markers) dots.push(`<circle cx="${X}" cy="${Y}" r="3" fill="${s.color}"/>`);
    }
    if (d) out.push(`<path d="${d}" stroke="${s.color}"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(...dots);
  }
  out.push('</g>');
  if (shown) {
    out.push(`<rect x="${r2(lx)}" y="${r2(ly)}" width="${r2(lw)}" height="${lh}" fill="white" fill-opacity="0.85" stroke="#cccccc"/>`);
    checked.forEach((s, i) => {
      const y = ly + 14 + i * 18;
      out.push(
        `<line x1="${r2(lx + 6)}" y1="${r2(y - 4)}" x2="${r2(lx + 30)}" y2="${r2(y - 4)}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
        `<text x="${r2(lx + 36)}" y="${r2(y)}">${esc(s.name)}</text>`,
      );
    });
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
