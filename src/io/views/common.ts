/**
 * Small helpers shared by the teaching views (SVG text escaping, number
 * formatting, colours, "nice" axis ticks). Presentation only.
 * @module
 * @internal
 */
import { describeValue } from '../../errors.js';
import { colormapColor, type Colormap } from '../image.js';

/** Escapes text for SVG element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A coordinate rounded to 2 decimals. */
export function r2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A short label for a value (up to 4 significant digits). */
export function fmt(v: number): string {
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}

/** Full-precision value for a data attribute (round-trips through Number()). */
export function attr(v: number): string {
  return String(v);
}

/** `#rrggbb` of position `t ∈ [0, 1]` in a colormap. */
export function hexColor(colormap: Colormap, t: number): string {
  const [r, g, b] = colormapColor(colormap, t);
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Optional string option. */
export function checkText(where: string, name: string, t: unknown): string {
  if (t === undefined) return '';
  if (typeof t !== 'string') throw new TypeError(`${where}: ${name} must be a string (got ${describeValue(t)})`);
  return t;
}

/** About `n` ticks over `[lo, hi]` at 1, 2 or 5 × 10^k steps (inside the range). */
export function ticks(lo: number, hi: number, n: number): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / n;
  let p = 1;
  while (p > raw) p /= 10;
  while (p * 10 <= raw) p *= 10;
  const f = raw / p;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9 && out.length < 50; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** The opening of a standalone SVG document with a white background. */
export function svgOpen(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">\n<rect width="${width}" height="${height}" fill="white"/>`;
}
