/**
 * Pictures as raw RGBA pixels, with no platform dependency: tile a batch of
 * patterns, filters or samples into one grid image, or paint a matrix of
 * values (a density, an energy landscape) with a colormap.
 *
 * An {@link RgbaImage} has the same layout as the browser's `ImageData`
 * (`new ImageData(img.data, img.width, img.height)` shows it on a canvas); in
 * Node, `encodePng` / `writePng` from `boltzmann/node` save it as a PNG.
 * @module
 */
import { describeValue, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkAllFinite, checkInt, checkMatrix, checkOneOf, checkOptionsKeys, checkPositiveInt, optionKeys } from '../validate.js';

/**
 * The largest image (in pixels) the functions here will allocate: 2²⁶ (64 Mi pixels, 256 MiB of RGBA).
 *
 * @example
 * ```ts
 * import { MAX_IMAGE_PIXELS } from 'boltzmann';
 * MAX_IMAGE_PIXELS; // 67108864 (2²⁶): larger pictures are refused before allocation
 * ```
 * @category Data & files
 */
export const MAX_IMAGE_PIXELS = 2 ** 26;

/**
 * An RGBA image, 8 bits per channel, rows top to bottom: pixel `(x, y)` is
 * `data[4 * (y * width + x) + c]` for channel `c` = 0 (red), 1 (green), 2 (blue), 3 (alpha).
 * Same layout as the browser's `ImageData`.
 * @category Data & files
 */
export interface RgbaImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** `4 * width * height` bytes, RGBA, row-major. */
  readonly data: Uint8ClampedArray;
}

/** A colour: one grey level `0..255`, or `[r, g, b]` with each channel `0..255`.
 * @category Data & files
 */
export type Color = number | readonly [number, number, number];

/**
 * How values map to grey levels in {@link tileImages}:
 * - `[lo, hi]`: `lo` → black, `hi` → white, values outside clamp;
 * - `'auto'` (default): `[0, 1]` when every value lies in `[0, 1]` (probabilities, 0/1 binary),
 *   else `[-1, 1]` when every value lies in `[-1, 1]` (±1 spins), else the overall `[min, max]`;
 * - `'per-image'`: each tile's own `[min, max]` (filters and weights, whose scales differ);
 * - `'symmetric'`: `[-m, m]` with `m` the largest absolute value overall, so 0 is mid-grey.
 * @category Data & files
 */
export type ValueRange = readonly [number, number] | 'auto' | 'per-image' | 'symmetric';

/** Options of {@link tileImages}.
 * @category Data & files
 */
export interface TileOptions {
  /** Height of one image in pixels (required). */
  height: number;
  /** Width of one image in pixels (required); `images.cols` must equal `height * width`. */
  width: number;
  /** Tiles per row of the grid (default `ceil(sqrt(count))`). */
  columns?: number;
  /** Pixels of background between tiles and around the border (default 1). */
  padding?: number;
  /** Each value becomes a `scale × scale` block of pixels (default 1). */
  scale?: number;
  /** Value-to-grey mapping (default `'auto'`); see {@link ValueRange}. */
  range?: ValueRange;
  /** Colour of the padding (default mid-grey 128). */
  background?: Color;
  /** When true, `lo` → white and `hi` → black (ink on paper). Default false. */
  invert?: boolean;
}

const TILE_KEYS = optionKeys<TileOptions>()({
  height: true,
  width: true,
  columns: true,
  padding: true,
  scale: true,
  range: true,
  background: true,
  invert: true,
});

/** Colormaps available to {@link heatmap}.
 * @category Data & files
 */
export type Colormap = 'grey' | 'viridis' | 'magma' | 'coolwarm';

/** Options of {@link heatmap}.
 * @category Data & files
 */
export interface HeatmapOptions {
  /** Colormap (default `'viridis'`); `'coolwarm'` is diverging (blue–grey–red) for signed values. */
  colormap?: Colormap;
  /** Value range mapped to the ends of the colormap (default `[min, max]`, or `[-m, m]` for `'coolwarm'`). */
  range?: readonly [number, number];
  /** Each entry becomes a `scale × scale` block of pixels (default 1). */
  scale?: number;
  /** When true, row 0 of `values` is drawn at the bottom (mathematical y axis). Default false. */
  flipY?: boolean;
}

const HEATMAP_KEYS = optionKeys<HeatmapOptions>()({ colormap: true, range: true, scale: true, flipY: true });

const COLORMAP_STOPS: Record<Colormap, readonly (readonly [number, number, number])[]> = {
  grey: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  // matplotlib's viridis sampled at 9 evenly spaced points (linear interpolation between them)
  viridis: [
    [68, 1, 84],
    [71, 45, 123],
    [59, 82, 139],
    [44, 114, 142],
    [33, 145, 140],
    [40, 174, 128],
    [94, 201, 98],
    [173, 220, 48],
    [253, 231, 37],
  ],
  // matplotlib's magma sampled at 9 evenly spaced points
  magma: [
    [0, 0, 4],
    [28, 16, 68],
    [79, 18, 123],
    [129, 37, 129],
    [181, 54, 122],
    [229, 80, 100],
    [251, 135, 97],
    [254, 194, 135],
    [252, 253, 191],
  ],
  // Moreland's cool-warm diverging map sampled at 5 points
  coolwarm: [
    [59, 76, 192],
    [141, 176, 254],
    [221, 221, 221],
    [244, 154, 123],
    [180, 4, 38],
  ],
};

/**
 * The colormap names accepted by {@link heatmap}.
 *
 * @example
 * ```ts
 * import { COLORMAPS, heatmap, fromArrays } from 'boltzmann';
 * COLORMAPS.map((colormap) => heatmap(fromArrays([[0, 1]]), { colormap }).width); // one picture per colormap
 * ```
 * @category Data & files
 */
export const COLORMAPS: readonly Colormap[] = ['grey', 'viridis', 'magma', 'coolwarm'];

function checkColor(where: string, name: string, c: unknown): [number, number, number] {
  const isLevel = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255;
  if (isLevel(c)) return [c, c, c];
  if (Array.isArray(c) && c.length === 3 && c.every(isLevel)) return [c[0], c[1], c[2]];
  const msg = `${where}: ${name} must be a grey level 0..255 or [r, g, b] with integer channels 0..255 (got ${describeValue(c)})`;
  throw typeof c === 'number' || Array.isArray(c) ? new RangeError(msg) : new TypeError(msg);
}

function checkRangePair(where: string, name: string, r: unknown): [number, number] {
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

function checkImageSize(where: string, width: number, height: number): void {
  if (!(width * height <= MAX_IMAGE_PIXELS)) {
    throw new RangeError(
      `${where}: the image would be ${width} × ${height} pixels, more than MAX_IMAGE_PIXELS = ${MAX_IMAGE_PIXELS}`,
    );
  }
}

/** Minimum and maximum of `data[start..end)`. */
function minMax(data: Float64Array, start: number, end: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    const v = data[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Grey level 0..255 for v in [lo, hi]; a degenerate range (lo === hi) maps to mid-grey. */
function greyLevel(v: number, lo: number, hi: number, invert: boolean): number {
  let t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  if (invert) t = 1 - t;
  return Math.round(255 * t);
}

/**
 * Allocates an image filled with one colour (opaque).
 *
 * @param width - width in pixels (integer ≥ 0)
 * @param height - height in pixels (integer ≥ 0)
 * @param fill - colour (default black)
 * @returns the image
 * @throws {TypeError | RangeError} on a bad size or colour, or an image larger than {@link MAX_IMAGE_PIXELS}
 * @example
 * ```ts
 * import { createImage } from 'boltzmann';
 * createImage(2, 1, [255, 0, 0]).data; // Uint8ClampedArray [255, 0, 0, 255, 255, 0, 0, 255]
 * ```
 * @category Data & files
 */
export function createImage(width: number, height: number, fill: Color = 0): RgbaImage {
  const where = 'createImage';
  checkInt(where, 'width', width);
  checkInt(where, 'height', height);
  const [r, g, b] = checkColor(where, 'fill', fill);
  checkImageSize(where, width, height);
  const data = new Uint8ClampedArray(4 * width * height);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = r;
    data[p + 1] = g;
    data[p + 2] = b;
    data[p + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Tiles a batch of images (one per row of `images`) into one grid picture,
 * each value drawn as a grey level. Works for 0/1 binary patterns, ±1 spins,
 * probabilities, and real-valued filters (use `range: 'per-image'` or
 * `'symmetric'` for weights). Tiles fill the grid row by row, left to right.
 *
 * The result is `columns·(width·scale) + (columns+1)·padding` pixels wide and
 * `rows·(height·scale) + (rows+1)·padding` high, with `rows = ceil(count / columns)`.
 *
 * @param images - `[count, height * width]`, each row one image in row-major order; finite values
 * @param options - tile size (required), grid, padding, scale, value range, background, invert
 * @returns the grid as an opaque RGBA image
 * @throws {TypeError} when `images` is not a Matrix or an option has the wrong type
 * @throws {ShapeError} when `images.cols !== height * width`
 * @throws {RangeError} on an empty batch, a non-finite value, a bad option, or an image above {@link MAX_IMAGE_PIXELS}
 * @example
 * ```ts
 * import { fromArrays, tileImages } from 'boltzmann';
 * // two 2×2 binary patterns side by side, 1 pixel of grey between and around
 * const img = tileImages(fromArrays([[1, 0, 0, 1], [0, 1, 1, 0]]), { height: 2, width: 2 });
 * [img.width, img.height]; // [7, 4]
 * ```
 * @category Data & files
 */
export function tileImages(images: Matrix, options: TileOptions): RgbaImage {
  const where = 'tileImages';
  checkMatrix(where, 'images', images);
  if (options === undefined) throw new TypeError(`${where}: options must be an object with height and width (got undefined)`);
  const opts = checkOptionsKeys(where, options, TILE_KEYS);
  const h = checkPositiveInt(where, 'options.height', opts.height);
  const w = checkPositiveInt(where, 'options.width', opts.width);
  const count = images.rows;
  if (count < 1) throw new RangeError(`${where}: images must have at least one row (got 0)`);
  if (images.cols !== h * w) {
    throw new ShapeError(`${where}: images must have height*width = ${h * w} columns (got ${images.cols})`);
  }
  const columns =
    opts.columns === undefined ? Math.ceil(Math.sqrt(count)) : checkPositiveInt(where, 'options.columns', opts.columns);
  const padding = opts.padding === undefined ? 1 : checkInt(where, 'options.padding', opts.padding, 0, 4096);
  const scale = opts.scale === undefined ? 1 : checkInt(where, 'options.scale', opts.scale, 1, 4096);
  const bg = checkColor(where, 'options.background', opts.background === undefined ? 128 : opts.background);
  const invert = opts.invert === undefined ? false : opts.invert;
  if (typeof invert !== 'boolean') throw new TypeError(`${where}: options.invert must be a boolean (got ${describeValue(invert)})`);
  const rangeOpt: unknown = opts.range === undefined ? 'auto' : opts.range;
  let fixed: [number, number] | null = null;
  let perImage = false;
  if (typeof rangeOpt === 'string') {
    checkOneOf(where, 'options.range', rangeOpt, ['auto', 'per-image', 'symmetric'] as const);
    perImage = rangeOpt === 'per-image';
  } else {
    fixed = checkRangePair(where, 'options.range', rangeOpt);
  }
  checkAllFinite(where, 'images.data', images.data);

  const cols = Math.min(columns, count);
  const gridRows = Math.ceil(count / columns);
  const tileW = w * scale;
  const tileH = h * scale;
  const width = cols * tileW + (cols + 1) * padding;
  const height = gridRows * tileH + (gridRows + 1) * padding;
  checkImageSize(where, width, height);

  const data = images.data;
  if (fixed === null && !perImage) {
    const [mn, mx] = minMax(data, 0, data.length);
    if (rangeOpt === 'symmetric') {
      const m = Math.max(Math.abs(mn), Math.abs(mx));
      fixed = m > 0 ? [-m, m] : [-1, 1];
    } else if (mn >= 0 && mx <= 1) fixed = [0, 1];
    else if (mn >= -1 && mx <= 1) fixed = [-1, 1];
    else fixed = [mn, mx];
  }

  const img = createImage(width, height, bg);
  const out = img.data;
  const n = h * w;
  for (let k = 0; k < count; k++) {
    const base = k * n;
    const [lo, hi] = perImage ? minMax(data, base, base + n) : (fixed as [number, number]);
    const x0 = padding + (k % columns) * (tileW + padding);
    const y0 = padding + Math.floor(k / columns) * (tileH + padding);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const g = greyLevel(data[base + i * w + j] as number, lo, hi, invert);
        for (let dy = 0; dy < scale; dy++) {
          let p = 4 * ((y0 + i * scale + dy) * width + x0 + j * scale);
          for (let dx = 0; dx < scale; dx++, p += 4) {
            out[p] = g;
            out[p + 1] = g;
            out[p + 2] = g;
          }
        }
      }
    }
  }
  return img;
}

/**
 * The colour of value `t ∈ [0, 1]` in a colormap (linear interpolation between
 * the map's stops; values outside clamp).
 *
 * @param colormap - one of {@link COLORMAPS}
 * @param t - position in the map, 0 = low end, 1 = high end; NaN gives the low end
 * @returns `[r, g, b]`, each 0..255
 * @throws {RangeError} on an unknown colormap
 * @example
 * ```ts
 * import { colormapColor } from 'boltzmann';
 * colormapColor('grey', 0.5); // [128, 128, 128]
 * ```
 * @category Data & files
 */
export function colormapColor(colormap: Colormap, t: number): [number, number, number] {
  checkOneOf('colormapColor', 'colormap', colormap, COLORMAPS);
  const stops = COLORMAP_STOPS[colormap];
  const out: [number, number, number] = [0, 0, 0];
  colorInto(stops, t, out);
  return out;
}

function colorInto(stops: readonly (readonly [number, number, number])[], t: number, out: [number, number, number]): void {
  if (!(t > 0)) t = 0;
  else if (t > 1) t = 1;
  const s = t * (stops.length - 1);
  const i = Math.min(Math.floor(s), stops.length - 2);
  const f = s - i;
  const a = stops[i] as readonly [number, number, number];
  const b = stops[i + 1] as readonly [number, number, number];
  out[0] = Math.round(a[0] + f * (b[0] - a[0]));
  out[1] = Math.round(a[1] + f * (b[1] - a[1]));
  out[2] = Math.round(a[2] + f * (b[2] - a[2]));
}

/**
 * Paints a matrix of values with a colormap: entry `(i, j)` becomes the pixel
 * block at column `j`, row `i` (row 0 on top unless `flipY`). Use it for
 * densities, energy landscapes, weight matrices and correlation matrices.
 *
 * @param values - `[height, width]` matrix of finite values
 * @param options - colormap, value range, scale, flipY
 * @returns an opaque RGBA image of `width·scale × height·scale` pixels
 * @throws {TypeError} when `values` is not a Matrix or an option has the wrong type
 * @throws {RangeError} on an empty matrix, a non-finite value, a bad option, or an image above {@link MAX_IMAGE_PIXELS}
 * @example
 * ```ts
 * import { fromArrays, heatmap } from 'boltzmann';
 * const img = heatmap(fromArrays([[0, 1], [2, 3]]), { colormap: 'viridis', scale: 10 });
 * [img.width, img.height]; // [20, 20]
 * ```
 * @category Data & files
 */
export function heatmap(values: Matrix, options?: HeatmapOptions): RgbaImage {
  const where = 'heatmap';
  checkMatrix(where, 'values', values);
  const opts = checkOptionsKeys(where, options, HEATMAP_KEYS);
  const colormap = opts.colormap === undefined ? 'viridis' : checkOneOf(where, 'options.colormap', opts.colormap, COLORMAPS);
  const scale = opts.scale === undefined ? 1 : checkInt(where, 'options.scale', opts.scale, 1, 4096);
  const flipY = opts.flipY === undefined ? false : opts.flipY;
  if (typeof flipY !== 'boolean') throw new TypeError(`${where}: options.flipY must be a boolean (got ${describeValue(flipY)})`);
  let range = opts.range === undefined ? null : checkRangePair(where, 'options.range', opts.range);
  if (values.rows < 1 || values.cols < 1) {
    throw new RangeError(`${where}: values must be non-empty (got [${values.rows}, ${values.cols}])`);
  }
  checkAllFinite(where, 'values.data', values.data);
  const width = values.cols * scale;
  const height = values.rows * scale;
  checkImageSize(where, width, height);
  if (range === null) {
    const [mn, mx] = minMax(values.data, 0, values.data.length);
    if (colormap === 'coolwarm') {
      const m = Math.max(Math.abs(mn), Math.abs(mx));
      range = m > 0 ? [-m, m] : [-1, 1];
    } else range = [mn, mx];
  }
  const [lo, hi] = range;
  const stops = COLORMAP_STOPS[colormap];
  const img = createImage(width, height);
  const out = img.data;
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < values.rows; i++) {
    const yi = flipY ? values.rows - 1 - i : i;
    for (let j = 0; j < values.cols; j++) {
      const v = values.data[i * values.cols + j] as number;
      colorInto(stops, hi > lo ? (v - lo) / (hi - lo) : 0.5, c);
      for (let dy = 0; dy < scale; dy++) {
        let p = 4 * ((yi * scale + dy) * width + j * scale);
        for (let dx = 0; dx < scale; dx++, p += 4) {
          out[p] = c[0];
          out[p + 1] = c[1];
          out[p + 2] = c[2];
        }
      }
    }
  }
  return img;
}

/**
 * Tiles the columns of a weight matrix as images — the receptive fields
 * ("filters") of an RBM's hidden units, whose weights are `[nVisible, nHidden]`
 * with `nVisible = height·width`. Same as {@link tileImages} on the transpose,
 * but with `range: 'per-image'` by default, since filters differ in scale.
 *
 * @param weights - `[height·width, count]`, one filter per column; finite values
 * @param options - as {@link tileImages} (`height` and `width` required; `range` defaults to `'per-image'`)
 * @returns the grid as an opaque RGBA image
 * @throws as {@link tileImages}
 * @example
 * ```ts
 * import { tileFilters, zeros } from 'boltzmann';
 * const img = tileFilters(zeros(784, 16), { height: 28, width: 28, columns: 4 }); // 16 filters, 4 × 4 grid
 * [img.width, img.height]; // [117, 117]
 * ```
 * @category Data & files
 */
export function tileFilters(weights: Matrix, options: TileOptions): RgbaImage {
  checkMatrix('tileFilters', 'weights', weights);
  const { rows, cols, data } = weights;
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j] as number;
  const opts = checkOptionsKeys('tileFilters', options, TILE_KEYS);
  return tileImages({ rows: cols, cols: rows, data: t }, { ...opts, range: opts.range ?? 'per-image' } as TileOptions);
}
