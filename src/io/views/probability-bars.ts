/**
 * Exact probabilities next to sampled frequencies, as a grouped bar chart
 * (SVG): the picture of a sampler approaching the Boltzmann distribution.
 * @module
 */
import { describeValue, ShapeError } from '../../errors.js';
import { checkInt, checkOptionsKeys, optionKeys } from '../../validate.js';
import { attr, checkText, esc, fmt, r2, svgOpen, ticks } from './common.js';

/** Options of {@link probabilityBarsSvg}.
 * @category Data & files
 */
export interface ProbabilityBarsOptions {
  /** Title above the chart. */
  title?: string;
  /** One label per state (default: the state index; see {@link spinLabels} for `+−+` labels). */
  labels?: readonly string[];
  /** Show only the `top` states of largest exact probability, in index order. Default: all. */
  top?: number;
  /** Legend names of the two series. Default `['exact', 'sampled']`. */
  names?: readonly [string, string];
  /** Width in pixels. Default: 40 + 26 per state shown, at least 320. */
  width?: number;
  /** Height in pixels. Default 320. */
  height?: number;
}

const BAR_KEYS = optionKeys<ProbabilityBarsOptions>()({ title: true, labels: true, top: true, names: true, width: true, height: true });

function checkProbabilities(where: string, name: string, p: unknown): ArrayLike<number> {
  if (!(Array.isArray(p) || (ArrayBuffer.isView(p) && !(p instanceof DataView)))) {
    throw new TypeError(`${where}: ${name} must be an array of probabilities (got ${describeValue(p)})`);
  }
  const a = p as ArrayLike<number>;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${where}: ${name}[${k}] must be in [0, 1] (got ${describeValue(v)})`);
  }
  return a;
}

/**
 * `+`/`−` labels of the `2^n` states of `n` spins in index order (unit 0 first;
 * unit `i` is `+` when bit `i` of the index is set, as {@link stateFromIndex}).
 *
 * @param n - number of units (1..16)
 * @param binary - use `1`/`0` instead of `+`/`−`
 * @returns `2^n` labels
 * @throws {RangeError} when `n` is out of range
 * @example
 * ```ts
 * import { spinLabels } from 'boltzmann';
 * spinLabels(2); // ['−−', '+−', '−+', '++']
 * ```
 * @category Data & files
 */
export function spinLabels(n: number, binary = false): string[] {
  checkInt('spinLabels', 'n', n, 1, 16);
  const out: string[] = [];
  for (let k = 0; k < 2 ** n; k++) {
    let s = '';
    for (let i = 0; i < n; i++) s += (k >>> i) & 1 ? (binary ? '1' : '+') : binary ? '0' : '−';
    out.push(s);
  }
  return out;
}

/**
 * A grouped bar chart: for each state, the exact probability (solid bar) next
 * to the sampled frequency (hatched-colour bar). Each bar is a
 * `<rect class="bar exact|sampled">` with `data-index` and `data-value`
 * attributes; bar heights are proportional to the values on a shared axis.
 * The total-variation distance between the two is printed under the title.
 *
 * @param exact - exact probabilities per state (each in [0, 1])
 * @param sampled - sampled frequencies per state, same length
 * @param options - title, labels, top-k, series names, size
 * @returns the SVG document
 * @throws {ShapeError} when the lengths differ; TypeError / RangeError on bad values or options
 * @example
 * ```ts
 * import { probabilityBarsSvg, spinLabels } from 'boltzmann';
 * const svg = probabilityBarsSvg([0.1, 0.4, 0.4, 0.1], [0.12, 0.37, 0.41, 0.1], { labels: spinLabels(2), title: 'Gibbs vs exact' });
 * svg.split('class="bar exact"').length - 1; // 4
 * ```
 * @category Data & files
 */
export function probabilityBarsSvg(exact: ArrayLike<number>, sampled: ArrayLike<number>, options?: ProbabilityBarsOptions): string {
  const where = 'probabilityBarsSvg';
  const p = checkProbabilities(where, 'exact', exact);
  const q = checkProbabilities(where, 'sampled', sampled);
  if (p.length !== q.length) throw new ShapeError(`${where}: exact and sampled must have the same length (got ${p.length} and ${q.length})`);
  if (p.length === 0) throw new RangeError(`${where}: exact must not be empty`);
  const o = checkOptionsKeys(where, options, BAR_KEYS);
  const title = checkText(where, 'title', o.title);
  const labels = o.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length !== p.length || labels.some((l) => typeof l !== 'string'))) {
    throw new TypeError(`${where}: labels must be ${p.length} strings (got ${describeValue(labels)})`);
  }
  const names = o.names === undefined ? ['exact', 'sampled'] : o.names;
  if (!Array.isArray(names) || names.length !== 2 || names.some((l) => typeof l !== 'string')) {
    throw new TypeError(`${where}: names must be two strings (got ${describeValue(names)})`);
  }
  const top = o.top === undefined ? p.length : checkInt(where, 'top', o.top, 1, p.length);
  let shown = Array.from({ length: p.length }, (_, k) => k);
  if (top < p.length) {
    shown = shown
      .sort((a, b) => (p[b] as number) - (p[a] as number) || a - b)
      .slice(0, top)
      .sort((a, b) => a - b);
  }
  const width = o.width === undefined ? Math.max(320, 90 + 26 * shown.length) : checkInt(where, 'width', o.width, 120, 20000);
  const height = o.height === undefined ? 320 : checkInt(where, 'height', o.height, 120, 20000);
  let tv = 0;
  for (let k = 0; k < p.length; k++) tv += Math.abs((p[k] as number) - (q[k] as number));
  tv /= 2;
  let yMax = 0;
  for (const k of shown) yMax = Math.max(yMax, p[k] as number, q[k] as number);
  const yTicks = ticks(0, yMax > 0 ? yMax : 1, 5);
  const yTop = Math.max(yMax > 0 ? yMax : 1, yTicks[yTicks.length - 1] as number);
  const left = 56;
  const right = 16;
  const top0 = title ? 50 : 30;
  const bottom = 46;
  const pw = width - left - right;
  const ph = height - top0 - bottom;
  const py = (v: number) => top0 + ph - (v / yTop) * ph;
  const slot = pw / shown.length;
  const bw = Math.max(1, slot * 0.38);
  const out: string[] = [svgOpen(width, height)];
  if (title) out.push(`<text x="${r2(left + pw / 2)}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text class="tv" x="${r2(left + pw / 2)}" y="${title ? 38 : 18}" text-anchor="middle" fill="#555555">total variation ${esc(fmt(tv))}</text>`);
  out.push('<g stroke="#e5e5e5">');
  for (const t of yTicks) out.push(`<line x1="${left}" y1="${r2(py(t))}" x2="${left + pw}" y2="${r2(py(t))}"/>`);
  out.push('</g><g fill="#333333" text-anchor="end">');
  for (const t of yTicks) out.push(`<text x="${left - 6}" y="${r2(py(t) + 4)}">${esc(fmt(t))}</text>`);
  out.push('</g>');
  out.push(`<text transform="translate(14 ${r2(top0 + ph / 2)}) rotate(-90)" text-anchor="middle">probability</text>`);
  shown.forEach((k, s) => {
    const x0 = left + s * slot + slot * 0.1;
    const pv = p[k] as number;
    const qv = q[k] as number;
    out.push(
      `<rect class="bar exact" x="${r2(x0)}" y="${r2(py(pv))}" width="${r2(bw)}" height="${r2((pv / yTop) * ph)}" fill="#4e79a7" data-index="${k}" data-value="${attr(pv)}"/>`,
      `<rect class="bar sampled" x="${r2(x0 + bw)}" y="${r2(py(qv))}" width="${r2(bw)}" height="${r2((qv / yTop) * ph)}" fill="#f28e2b" data-index="${k}" data-value="${attr(qv)}"/>`,
    );
    const label = labels ? (labels[k] as string) : String(k);
    out.push(
      `<text x="${r2(left + (s + 0.5) * slot)}" y="${top0 + ph + 14}" text-anchor="middle" font-family="monospace" font-size="${shown.length > 24 ? 8 : 11}">${esc(label)}</text>`,
    );
  });
  out.push(`<rect x="${left}" y="${top0}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  const lx = left + pw - 110;
  out.push(
    `<rect x="${lx}" y="${top0 + 6}" width="104" height="42" fill="white" fill-opacity="0.85" stroke="#cccccc"/>`,
    `<rect x="${lx + 6}" y="${top0 + 13}" width="12" height="10" fill="#4e79a7"/><text x="${lx + 24}" y="${top0 + 22}">${esc(names[0] as string)}</text>`,
    `<rect x="${lx + 6}" y="${top0 + 31}" width="12" height="10" fill="#f28e2b"/><text x="${lx + 24}" y="${top0 + 40}">${esc(names[1] as string)}</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
