/**
 * Portable elementary functions: `exp`, `log`, `log1p`, and helpers built on
 * them, giving the **same bits on every JavaScript engine**.
 *
 * `Math.exp`, `Math.log`, `Math.log1p`, `Math.pow`, … are not required to be
 * correctly rounded, and engines differ: Node 20 and current Chromium return
 * different last bits for `Math.log` and `Math.exp` (found by this library's
 * Node-vs-browser test). These ports of FreeBSD's msun / Sun's fdlibm
 * (`e_exp.c`, `e_log.c`, `s_log1p.c`; error < 1 ulp) use only IEEE-754
 * addition, multiplication and division, which every engine rounds the same
 * way, so a seeded run gives bit-identical results in Node and in browsers.
 * Every routine in `boltzmann` that needs these functions uses this module.
 *
 * Bit access goes through a little-endian `Float64Array`/`Int32Array` view
 * (every platform JavaScript runs on in practice; checked at load).
 * @module
 */

import { describeValue } from '../errors.js';

/**
 * The TypeError of a scalar function given something other than a number
 * (`exp('2')`, `log(1n)`, `tanh(null)`): `${where}: ${name} must be a number (got …)`.
 * @internal
 */
export function notANumber(where: string, name: string, value: unknown): never {
  throw new TypeError(`${where}: ${name} must be a number (got ${describeValue(value)})`);
}

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
if (I32[1] !== 0x3ff00000) throw new Error('boltzmann: a little-endian platform is required');

function highWord(x: number): number {
  F64[0] = x;
  return I32[1] as number;
}

function lowWord(x: number): number {
  F64[0] = x;
  return U32[0] as number;
}

function withHighWord(x: number, hi: number): number {
  F64[0] = x;
  I32[1] = hi;
  return F64[0] as number;
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634074;
const TWO54 = 1.8014398509481984e16;
const TWOM1000 = 9.33263618503218878990e-302;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
/** `2^k` for k in [−1021, 1023], exact (built by doubling and halving). */
const POW2_OFFSET = 1021;
const POW2 = new Float64Array(1021 + 1024);
{
  let v = 1;
  for (let k = 0; k <= 1023; k++, v *= 2) POW2[k + POW2_OFFSET] = v;
  v = 1;
  for (let k = 0; k >= -1021; k--, v /= 2) POW2[k + POW2_OFFSET] = v;
}
/** The doubles whose high words are fdlibm's branch constants (low word 0). */
function fromHighWord(hi: number): number {
  I32[1] = hi;
  U32[0] = 0;
  return F64[0] as number;
}
const EXP_BIG = fromHighWord(0x40862e42); // |x| >= this  <=>  hx >= 0x40862e42
const EXP_HALF_LN2 = fromHighWord(0x3fd62e43); // |x| >= this <=>  hx > 0x3fd62e42
const EXP_1P5_LN2 = fromHighWord(0x3ff0a2b2); // |x| < this   <=>  hx < 0x3ff0a2b2
const EXP_TINY = fromHighWord(0x3e300000); // |x| < this      <=>  hx < 0x3e300000
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * `eˣ`, portable to the last bit across engines (fdlibm `e_exp.c`, < 1 ulp).
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { exp } from 'boltzmann';
 * exp(1); // 2.7182818284590455: within 1 ulp of e (Math.E is 2.718281828459045), the same bits in every engine
 * exp(-1000); // 0
 * ```
 * @category Linear algebra
 */
export function exp(x: number): number {
  if (typeof x !== 'number') notANumber('exp', 'x', x);
  // fdlibm's branches test the high word of |x| against constants; comparing |x| with the
  // doubles those constants denote gives the same decisions without touching the bits, and
  // scaling by a table of exact powers of two equals fdlibm's exponent arithmetic — so the
  // result is bit-for-bit fdlibm's, at a fraction of the cost.
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax >= EXP_BIG) {
    // |x| >= 709.78...
    if (ax === Number.POSITIVE_INFINITY) return Math.max(x, 0);
    if (x > O_THRESHOLD) return Number.POSITIVE_INFINITY;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax >= EXP_HALF_LN2) {
    // |x| > 0.5 ln2
    if (ax < EXP_1P5_LN2) {
      // and |x| < 1.5 ln2
      if (x > 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = Math.trunc(INV_LN2 * x + (x > 0 ? 0.5 : -0.5));
      hi = x - k * LN2_HI; // exact
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < EXP_TINY) {
    // |x| < 2^-28
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2 * 8.98846567431158e307; // 2^1023
    return y * (POW2[k + POW2_OFFSET] as number);
  }
  return y * (POW2[k + 1000 + POW2_OFFSET] as number) * TWOM1000;
}

/**
 * Natural logarithm, portable to the last bit across engines (fdlibm `e_log.c`, < 1 ulp).
 * `log(0) = −∞`, `log(x < 0) = NaN`.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { log } from 'boltzmann';
 * log(Math.E); // 1
 * ```
 * @category Linear algebra
 */
export function log(x: number): number {
  if (typeof x !== 'number') notANumber('log', 'x', x);
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54;
    x *= TWO54; // subnormal: scale up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

/**
 * `log(1 + x)`, accurate for small |x|, portable to the last bit across
 * engines (fdlibm `s_log1p.c`, < 1 ulp). `log1p(−1) = −∞`, `log1p(x < −1) = NaN`.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { log1p } from 'boltzmann';
 * log1p(1e-20); // 1e-20
 * ```
 * @category Linear algebra
 */
export function log1p(x: number): number {
  if (typeof x !== 'number') notANumber('log1p', 'x', x);
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // x < 0.41422
    if (ax >= 0x3ff00000) {
      // x <= -1
      if (x === -1) return Number.NEGATIVE_INFINITY;
      return Number.NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      // -0.2929 < x < 0.41422
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // correction term
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000); // normalise u
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // normalise u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const r = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}

/**
 * `xʸ` for `x > 0` as `exp(y · log x)`, portable across engines (a few ulp;
 * use it for schedules and decays, not where the last bit of accuracy matters).
 * Integer `y` with `|y| ≤ 64` uses repeated squaring, exact where the product is.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { pow } from 'boltzmann';
 * pow(0.5, 3); // 0.125
 * ```
 * @category Linear algebra
 */
export function pow(x: number, y: number): number {
  if (typeof x !== 'number') notANumber('pow', 'x', x);
  if (typeof y !== 'number') notANumber('pow', 'y', y);
  if (Number.isInteger(y) && Math.abs(y) <= 64) {
    let n = Math.abs(y);
    let base = x;
    let r = 1;
    while (n > 0) {
      if (n & 1) r *= base;
      base *= base;
      n >>>= 1;
    }
    return y < 0 ? 1 / r : r;
  }
  if (x === 1 || y === 0) return 1;
  if (x < 0 || Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) return y > 0 ? 0 : Number.POSITIVE_INFINITY;
  return exp(y * log(x));
}

/**
 * Hyperbolic tangent from {@link exp}, portable across engines:
 * `tanh(x) = sign(x) · (1 − 2 / (e^{2|x|} + 1))`, with a Taylor branch for tiny |x|.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { tanh } from 'boltzmann';
 * tanh(0); // 0
 * tanh(30); // 1
 * ```
 * @category Linear algebra
 */
export function tanh(x: number): number {
  if (typeof x !== 'number') notANumber('tanh', 'x', x);
  const a = Math.abs(x);
  if (a < 1e-4) return x * (1 - (x * x) / 3);
  if (a > 22) return x > 0 ? 1 : -1;
  let t: number;
  if (a < 0.55) {
    // 1 − 2/(e^{2a}+1) loses digits for small a; use e^{2a} − 1 computed as 2·sinh-like series-free form.
    const e = exp(2 * a);
    t = (e - 1) / (e + 1);
  } else {
    t = 1 - 2 / (exp(2 * a) + 1);
  }
  return x < 0 ? -t : t;
}

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;
const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
/**
 * Largest |x| the trigonometric functions accept (Cody–Waite reduction stays accurate below it).
 *
 * @example
 * ```ts
 * import { sin, TRIG_MAX_ARGUMENT } from 'boltzmann';
 * sin(TRIG_MAX_ARGUMENT); // fine; sin(2 * TRIG_MAX_ARGUMENT) throws a RangeError
 * ```
 * @category Linear algebra
 */
export const TRIG_MAX_ARGUMENT = 1e6;

/** sin on [−π/4, π/4] of x + y (y a tail), fdlibm `__kernel_sin`. */
function kernelSin(x: number, y: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

/** cos on [−π/4, π/4] of x + y, fdlibm `__kernel_cos`. */
function kernelCos(x: number, y: number): number {
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

let reducedHi = 0;
let reducedLo = 0;

/** Reduces x to (reducedHi + reducedLo) in [−π/4, π/4] and returns the quadrant (two-step Cody–Waite). */
function reduce(x: number): number {
  const n = Math.round(x * INV_PIO2);
  let r = x - n * PIO2_1;
  let w = n * PIO2_1T;
  let y0 = r - w;
  // A second step when cancellation lost bits (fdlibm's medium-size path).
  const t = r;
  w = n * PIO2_2;
  r = t - w;
  w = n * PIO2_2T - (t - r - w);
  y0 = r - w;
  reducedHi = y0;
  reducedLo = r - y0 - w;
  return n & 3;
}

function checkTrig(where: string, x: number): void {
  if (!(Math.abs(x) <= TRIG_MAX_ARGUMENT)) {
    if (Number.isNaN(x) || !Number.isFinite(x)) return;
    throw new RangeError(`${where}: |x| must be at most ${TRIG_MAX_ARGUMENT} (got ${x})`);
  }
}

/**
 * Sine, portable to the last bit across engines (fdlibm kernels with a
 * two-step Cody–Waite reduction; |x| ≤ {@link TRIG_MAX_ARGUMENT}).
 *
 * @throws {TypeError} when an argument is not a number
 * @throws {RangeError} when |x| exceeds {@link TRIG_MAX_ARGUMENT}
 * @example
 * ```ts
 * import { sin } from 'boltzmann';
 * sin(Math.PI / 6); // ≈ 0.5
 * ```
 * @category Linear algebra
 */
export function sin(x: number): number {
  if (typeof x !== 'number') notANumber('sin', 'x', x);
  checkTrig('sin', x);
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) <= 0.7853981633974483) return kernelSin(x, 0);
  const q = reduce(x);
  const a = reducedHi;
  const b = reducedLo;
  if (q === 0) return kernelSin(a, b);
  if (q === 1) return kernelCos(a, b);
  if (q === 2) return -kernelSin(a, b);
  return -kernelCos(a, b);
}

/**
 * Cosine, portable to the last bit across engines (see {@link sin}).
 *
 * @throws {TypeError} when an argument is not a number
 * @throws {RangeError} when |x| exceeds {@link TRIG_MAX_ARGUMENT}
 * @example
 * ```ts
 * import { cos } from 'boltzmann';
 * cos(0); // 1
 * ```
 * @category Linear algebra
 */
export function cos(x: number): number {
  if (typeof x !== 'number') notANumber('cos', 'x', x);
  checkTrig('cos', x);
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) <= 0.7853981633974483) return kernelCos(x, 0);
  const q = reduce(x);
  const a = reducedHi;
  const b = reducedLo;
  if (q === 0) return kernelCos(a, b);
  if (q === 1) return -kernelSin(a, b);
  if (q === 2) return -kernelCos(a, b);
  return kernelSin(a, b);
}

/**
 * Hyperbolic sine from {@link exp}: `(eˣ − e⁻ˣ)/2`, with a Taylor branch for small |x|.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { sinh } from 'boltzmann';
 * sinh(0); // 0
 * ```
 * @category Linear algebra
 */
export function sinh(x: number): number {
  if (typeof x !== 'number') notANumber('sinh', 'x', x);
  const a = Math.abs(x);
  if (a < 1e-5) return x * (1 + (x * x) / 6);
  if (a < 0.5) {
    // (e^a − e^−a)/2 loses digits for small a: use the series to x^15.
    const z = x * x;
    return x * (1 + z * (1 / 6 + z * (1 / 120 + z * (1 / 5040 + z * (1 / 362880 + z * (1 / 39916800 + z * (1 / 6227020800 + z / 1307674368000)))))));
  }
  const e = exp(a);
  const s = 0.5 * (e - 1 / e);
  return x < 0 ? -s : s;
}

/**
 * Hyperbolic cosine from {@link exp}: `(eˣ + e⁻ˣ)/2`.
 *
 * @throws {TypeError} when an argument is not a number
 *
 * @example
 * ```ts
 * import { cosh } from 'boltzmann';
 * cosh(0); // 1
 * ```
 * @category Linear algebra
 */
export function cosh(x: number): number {
  if (typeof x !== 'number') notANumber('cosh', 'x', x);
  const e = exp(Math.abs(x));
  return 0.5 * (e + 1 / e);
}
