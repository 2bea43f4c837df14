/**
 * Bars and stripes (MacKay 2003; the classic Boltzmann-machine benchmark): an
 * `size × size` binary image in which either every column is constant (bars,
 * vertical lines) or every row is constant (stripes, horizontal lines).
 *
 * There are `2^(size+1) − 2` distinct patterns: `2^size` of each kind, minus the
 * all-zero and all-one images that are both.
 * Pixels are row-major: pixel `(r, c)` is entry `r · size + c`.
 * @module
 */

import { describeValue } from '../errors.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import { type Random, toRandom } from '../random/random.js';
import { checkElements, checkInt, checkSize as checkLimit, checkOptionsKeys, checkVector, optionKeys } from '../validate.js';

/**
 * Class labels of {@link barsAndStripes}.
 *
 * @example
 * ```ts
 * import { BARS, barsAndStripes } from 'boltzmann';
 * const { labels } = barsAndStripes(3);
 * labels.filter((l) => l === BARS).length; // how many patterns are bars
 * ```
 * @category Data & files
 */
export const BARS = 0;
/**
 * Class label of stripes (horizontal lines).
 *
 * @example
 * ```ts
 * import { STRIPES, barsAndStripes } from 'boltzmann';
 * const { labels } = barsAndStripes(3);
 * labels.filter((l) => l === STRIPES).length; // how many patterns are stripes
 * ```
 * @category Data & files
 */
export const STRIPES = 1;

/** All distinct bars-and-stripes patterns with their kind.
 * @category Data & files
 */
export interface BarsAndStripes {
  /** `[count, size²]` binary patterns. */
  readonly data: Matrix;
  /** `0` (bars: columns constant), `1` (stripes: rows constant), or `−1` for the two uniform images (both). */
  readonly labels: Int32Array;
  /** The image side. */
  readonly size: number;
}

/** Options of {@link barsAndStripes}.
 * @category Data & files
 */
export interface BarsAndStripesOptions {
  /** Keep the all-0 and all-1 images (label −1). Default true. */
  includeUniform?: boolean;
}

const BARS_AND_STRIPES_KEYS = optionKeys<BarsAndStripesOptions>()({ includeUniform: true });

function checkSize(where: string, size: number): number {
  return checkInt(where, 'size', size, 1, 12);
}

/**
 * Every distinct `size × size` bars-and-stripes pattern: first the bars
 * (column masks 0 … 2^size − 1), then the stripes without the two uniform
 * images.
 *
 * @param size - image side, 1…12
 * @param options - `includeUniform` (default true): keep the all-0 and all-1 images (label −1)
 * @returns the patterns and labels
 * @throws {TypeError | RangeError} on a bad size or a non-boolean `includeUniform`
 * @example
 * ```ts
 * import { barsAndStripes } from 'boltzmann';
 * barsAndStripes(3).data.rows; // 14
 * barsAndStripes(3, { includeUniform: false }).data.rows; // 12
 * ```
 * @category Data & files
 */
export function barsAndStripes(size: number, options?: BarsAndStripesOptions): BarsAndStripes {
  const where = 'barsAndStripes';
  checkSize(where, size);
  const given = checkOptionsKeys(where, options, BARS_AND_STRIPES_KEYS).includeUniform;
  const uniform = given === undefined ? true : given;
  if (typeof uniform !== 'boolean') throw new TypeError(`${where}: includeUniform must be a boolean (got ${describeValue(uniform)})`);
  const m = 2 ** size;
  const count = uniform ? 2 * m - 2 : 2 * m - 4;
  const d = size * size;
  const data = zeros(count, d);
  const labels = new Int32Array(count);
  let r = 0;
  for (let mask = 0; mask < m; mask++) {
    const isUniform = mask === 0 || mask === m - 1;
    if (isUniform && !uniform) continue;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.data[r * d + y * size + x] = (mask >>> x) & 1;
    labels[r++] = isUniform ? -1 : BARS;
  }
  for (let mask = 1; mask < m - 1; mask++) {
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.data[r * d + y * size + x] = (mask >>> y) & 1;
    labels[r++] = STRIPES;
  }
  return { data, labels, size };
}

/**
 * Draws `count` patterns by the generative process: orientation with
 * probability ½ each, then every line on with probability ½ (so the uniform
 * images are twice as likely as the others).
 *
 * @param size - image side, 1…12
 * @param count - number of patterns
 * @param rng - seed or generator
 * @returns `[count, size²]` patterns and labels (0 bars, 1 stripes: the orientation drawn)
 * @throws {TypeError | RangeError} on a bad size, count or generator (a RangeError naming `LIMITS.maxElements` when `count × size²` exceeds it)
 * @example
 * ```ts
 * import { sampleBarsAndStripes } from 'boltzmann';
 * sampleBarsAndStripes(4, 10, 1).data.rows; // 10
 * ```
 * @category Data & files
 */
export function sampleBarsAndStripes(size: number, count: number, rng: number | Random): BarsAndStripes {
  const where = 'sampleBarsAndStripes';
  checkSize(where, size);
  checkLimit(where, 'count', count, 0);
  const d = size * size;
  checkElements(where, 'count × size²', count, d);
  const g = toRandom(rng, where);
  const data = zeros(count, d);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const stripes = g.float64() < 0.5;
    labels[r] = stripes ? STRIPES : BARS;
    for (let k = 0; k < size; k++) {
      const on = g.float64() < 0.5 ? 1 : 0;
      for (let j = 0; j < size; j++) data.data[r * d + (stripes ? k * size + j : j * size + k)] = on;
    }
  }
  return { data, labels, size };
}

/**
 * Whether a `size × size` binary image is a bars-and-stripes pattern.
 *
 * @param image - length `size²`, row-major
 * @param size - image side
 * @returns `'bars'`, `'stripes'`, `'uniform'` (both) or `null` (neither)
 * @throws {ShapeError} when the length is not `size²`
 * @example
 * ```ts
 * import { classifyBarsAndStripes } from 'boltzmann';
 * classifyBarsAndStripes(Float64Array.of(1, 0, 1, 0), 2); // 'bars'
 * ```
 * @category Data & files
 */
export function classifyBarsAndStripes(image: Float64Array, size: number): 'bars' | 'stripes' | 'uniform' | null {
  const where = 'classifyBarsAndStripes';
  checkSize(where, size);
  checkVector(where, 'image', image, size * size);
  let bars = true;
  let stripes = true;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = image[y * size + x];
      if (v !== image[x]) bars = false;
      if (v !== image[y * size]) stripes = false;
    }
  }
  if (bars && stripes) return 'uniform';
  if (bars) return 'bars';
  if (stripes) return 'stripes';
  return null;
}
