/**
 * The log partition function `log Z = log ∫ exp(−E)` of a 1-D or 2-D energy by
 * adaptive Simpson quadrature, on a bounded interval (box) or on an infinite
 * or half-infinite one mapped onto a bounded interval: `x = t/(1 − t²)` for
 * `(−∞, ∞)`, `x = a + t/(1 − t)` for `[a, ∞)`, `x = b − t/(1 − t)` for
 * `(−∞, b]`. The integrand is shifted by the smallest energy seen on a first
 * grid, so nothing overflows for energies far from 0; the panels are refined
 * globally (largest error first) until the estimated error of Z is below the
 * relative tolerance. Deterministic.
 *
 * (`EnergyNetwork` scores on a fixed box with a fixed Simpson grid; these
 * functions take any energy and an infinite domain, and estimate their error.)
 * @module
 */
import { describeValue, NumericalError } from '../errors.js';
import { exp, log } from '../math/elementary.js';
import { checkOptionsKeys, checkPositive, checkSize, optionKeys } from '../validate.js';

/** An interval `[low, high]`; either end may be infinite.
 * @category Evaluation
 */
export type QuadratureInterval = readonly [low: number, high: number];

/** Options of {@link logPartition1D} and {@link logPartition2D}.
 * @category Evaluation
 */
export interface QuadratureOptions {
  /** Relative tolerance of Z (default 1e-10 in 1-D, 1e-8 in 2-D). */
  relativeTolerance?: number;
  /** Most energy evaluations before giving up (default 2 000 000 in 1-D, 20 000 000 in 2-D; at most `LIMITS.maxElements`). */
  maxEvaluations?: number;
}
const KEYS = optionKeys<QuadratureOptions>()({ relativeTolerance: true, maxEvaluations: true });

/** What {@link logPartition1D} and {@link logPartition2D} return.
 * @category Evaluation
 */
export interface QuadratureResult {
  /** `log ∫ exp(−E)` over the domain (nats). */
  logZ: number;
  /** Estimated absolute error of `logZ`: the summed |S₂ − S₁| of the panels (Simpson on each panel and on its halves) over Z; in 2-D, of the outer integral. */
  error: number;
  /** Energy evaluations used. */
  evaluations: number;
}

interface Mapped {
  lo: number;
  hi: number;
  /** x(t) and the Jacobian dx/dt; x = ±Infinity at an infinite end (the integrand is then 0). */
  map: (t: number) => [x: number, jac: number];
}

/** `[a, b]` with each entry described (an array of two), else the value described. */
function describeInterval(interval: unknown): string {
  if (Array.isArray(interval) && interval.length === 2) return `[${describeValue(interval[0])}, ${describeValue(interval[1])}]`;
  return describeValue(interval);
}

function mapInterval(where: string, name: string, interval: unknown): Mapped {
  if (!Array.isArray(interval) || interval.length !== 2 || typeof interval[0] !== 'number' || typeof interval[1] !== 'number') {
    throw new TypeError(`${where}: ${name} must be a pair [low, high] of numbers (got ${describeInterval(interval)})`);
  }
  const [a, b] = interval as [number, number];
  if (Number.isNaN(a) || Number.isNaN(b) || !(a < b) || a === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY) {
    throw new RangeError(`${where}: ${name} must have low < high (got [${a}, ${b}])`);
  }
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (fa && fb) return { lo: a, hi: b, map: (t) => [t, 1] };
  if (!fa && !fb) {
    return {
      lo: -1,
      hi: 1,
      map: (t) => {
        const u = 1 - t * t;
        if (u <= 0) return [t < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, 0];
        return [t / u, (1 + t * t) / (u * u)];
      },
    };
  }
  const sign = fa ? 1 : -1;
  const end = fa ? a : b;
  return {
    lo: 0,
    hi: 1,
    map: (t) => {
      const u = 1 - t;
      if (u <= 0) return [sign * Number.POSITIVE_INFINITY, 0];
      return [end + (sign * t) / u, 1 / (u * u)];
    },
  };
}

/**
 * Globally adaptive Simpson quadrature of f on [lo, hi]: 64 first panels, then
 * the panel with the largest error estimate |S₂ − S₁| is
 * halved until the summed |S₂ − S₁| is at most relTol × the summed value — so
 * the tolerance follows the integral as a narrow peak is resolved. Adds the
 * final error estimate to `budget.error`.
 */
function adaptiveSimpson(f: (t: number) => number, lo: number, hi: number, relTol: number, budget: { left: number; error: number; where: string }): number {
  const panels = 64;
  // a panel: [a, b, f(a), f(a + w/4), f(m), f(b − w/4), f(b), value, error]
  const heap: Float64Array[] = [];
  const make = (a: number, b: number, f0: number, f1: number, f2: number, f3: number, f4: number): Float64Array => {
    const w = b - a;
    const s1 = (w / 6) * (f0 + 4 * f2 + f4);
    const s2 = (w / 12) * (f0 + 4 * f1 + 2 * f2 + 4 * f3 + f4);
    // the error bound is |S₂ − S₁| itself, not the Richardson /15 (which assumes a smooth
    // integrand and under-reports at a kink such as |x − 0.3|)
    return Float64Array.of(a, b, f0, f1, f2, f3, f4, s2 + (s2 - s1) / 15, Math.abs(s2 - s1));
  };
  const push = (p: Float64Array): void => {
    heap.push(p);
    let k = heap.length - 1;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (heap[up][8] >= heap[k][8]) break;
      [heap[up], heap[k]] = [heap[k], heap[up]];
      k = up;
    }
  };
  const pop = (): Float64Array => {
    const top = heap[0];
    const last = heap.pop() as Float64Array;
    if (heap.length > 0) {
      heap[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < heap.length && heap[l][8] > heap[m][8]) m = l;
        if (r < heap.length && heap[r][8] > heap[m][8]) m = r;
        if (m === k) break;
        [heap[m], heap[k]] = [heap[k], heap[m]];
        k = m;
      }
    }
    return top;
  };
  const h = (hi - lo) / panels;
  const fs = new Float64Array(4 * panels + 1);
  for (let i = 0; i <= 4 * panels; i++) fs[i] = f(lo + (i * h) / 4);
  budget.left -= 4 * panels + 1;
  let value = 0;
  let error = 0;
  for (let p = 0; p < panels; p++) {
    const q = make(lo + p * h, p === panels - 1 ? hi : lo + (p + 1) * h, fs[4 * p], fs[4 * p + 1], fs[4 * p + 2], fs[4 * p + 3], fs[4 * p + 4]);
    value += q[7];
    error += q[8];
    push(q);
  }
  while (error > relTol * Math.abs(value)) {
    if (budget.left < 4) throw new NumericalError(`${budget.where}: the quadrature needs more than maxEvaluations energy evaluations (is exp(−E) integrable on the domain?)`);
    const p = pop();
    const [a, b, f0, f1, f2, f3, f4] = p;
    const m = (a + b) / 2;
    if (!(m > a && m < b)) {
      push(Float64Array.of(a, b, f0, f1, f2, f3, f4, p[7], 0)); // cannot split further: accept
      error -= p[8];
      continue;
    }
    const g1 = f(a + (m - a) / 4);
    const g3 = f(m - (m - a) / 4);
    const g5 = f(m + (b - m) / 4);
    const g7 = f(b - (b - m) / 4);
    budget.left -= 4;
    const left = make(a, m, f0, g1, f1, g3, f2);
    const right = make(m, b, f2, g5, f3, g7, f4);
    value += left[7] + right[7] - p[7];
    error += left[8] + right[8] - p[8];
    push(left);
    push(right);
  }
  // re-add from the panels (no drift from the running sums)
  value = 0;
  error = 0;
  for (const p of heap) {
    value += p[7];
    error += p[8];
  }
  budget.error += error;
  return value;
}

function checkEnergyValue(where: string, e: unknown): number {
  if (typeof e !== 'number') throw new TypeError(`${where}: energy must return a number (got ${describeValue(e)})`);
  if (Number.isNaN(e)) throw new NumericalError(`${where}: the energy returned NaN`);
  return e;
}

function finish(where: string, z: number, shift: number, error: number, evaluations: number): QuadratureResult {
  if (!(z > 0) || !Number.isFinite(z)) throw new NumericalError(`${where}: ∫ exp(−E) is not a positive finite number (got ${z} × e^${-shift} with the shift)`);
  return { logZ: log(z) - shift, error: error / z, evaluations };
}

/**
 * `log ∫ exp(−E(x)) dx` over `domain` (default `(−∞, ∞)`) by adaptive Simpson quadrature.
 *
 * @param energy - `E(x)`
 * @param domain - `[low, high]`, either end may be infinite
 * @param options - see {@link QuadratureOptions}
 * @returns `{ logZ, error, evaluations }`
 * @throws {TypeError | RangeError} on a bad domain or options, or when the energy returns a non-number
 * @throws {NumericalError} when the energy is NaN, Z is 0 or infinite, or the evaluation budget runs out
 * @category Evaluation
 * @example
 * ```ts
 * import { logPartition1D } from 'boltzmann';
 * logPartition1D((x) => Math.abs(x)).logZ; // log 2 (a Laplace density)
 * logPartition1D((x) => 0.5 * x * x).logZ; // log √(2π)
 * ```
 */
export function logPartition1D(energy: (x: number) => number, domain: QuadratureInterval = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], options?: QuadratureOptions): QuadratureResult {
  const where = 'logPartition1D';
  if (typeof energy !== 'function') throw new TypeError(`${where}: energy must be a function of x (got ${describeValue(energy)})`);
  const o = checkOptionsKeys(where, options, KEYS);
  const relTol = o.relativeTolerance === undefined ? 1e-10 : checkPositive(where, 'relativeTolerance', o.relativeTolerance);
  const maxEval = o.maxEvaluations === undefined ? 2_000_000 : checkSize(where, 'maxEvaluations', o.maxEvaluations, 1);
  const m = mapInterval(where, 'domain', domain);
  let shift = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= 256; i++) {
    const [x] = m.map(m.lo + ((m.hi - m.lo) * i) / 256);
    if (Number.isFinite(x)) shift = Math.min(shift, checkEnergyValue(where, energy(x)));
  }
  if (!Number.isFinite(shift)) throw new NumericalError(`${where}: the energy is not finite anywhere on a first grid of the domain`);
  const budget = { left: maxEval - 257, error: 0, where };
  const f = (t: number): number => {
    const [x, jac] = m.map(t);
    if (jac === 0 || !Number.isFinite(x)) return 0;
    return exp(shift - checkEnergyValue(where, energy(x))) * jac;
  };
  const z = adaptiveSimpson(f, m.lo, m.hi, relTol, budget);
  return finish(where, z, shift, budget.error, maxEval - budget.left);
}

/**
 * `log ∬ exp(−E(x, y)) dx dy` over `domainX × domainY` (default ℝ²) by nested
 * adaptive Simpson quadrature (the inner integral to a tenth of the tolerance).
 *
 * @param energy - `E(x, y)`
 * @param domainX - `[low, high]` of x, either end may be infinite
 * @param domainY - `[low, high]` of y
 * @param options - see {@link QuadratureOptions}
 * @returns `{ logZ, error, evaluations }`
 * @throws {TypeError | RangeError} on a bad domain or options, or when the energy returns a non-number
 * @throws {NumericalError} when the energy is NaN, Z is 0 or infinite, or the evaluation budget runs out
 * @category Evaluation
 * @example
 * ```ts
 * import { logPartition2D } from 'boltzmann';
 * logPartition2D((x, y) => 0.5 * (x * x + y * y)).logZ; // log 2π
 * logPartition2D((x, y) => 0, [0, 2], [0, 3]).logZ; // log 6
 * ```
 */
export function logPartition2D(
  energy: (x: number, y: number) => number,
  domainX: QuadratureInterval = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  domainY: QuadratureInterval = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  options?: QuadratureOptions,
): QuadratureResult {
  const where = 'logPartition2D';
  if (typeof energy !== 'function') throw new TypeError(`${where}: energy must be a function of (x, y) (got ${describeValue(energy)})`);
  const o = checkOptionsKeys(where, options, KEYS);
  const relTol = o.relativeTolerance === undefined ? 1e-8 : checkPositive(where, 'relativeTolerance', o.relativeTolerance);
  const maxEval = o.maxEvaluations === undefined ? 20_000_000 : checkSize(where, 'maxEvaluations', o.maxEvaluations, 1);
  const mx = mapInterval(where, 'domainX', domainX);
  const my = mapInterval(where, 'domainY', domainY);
  let shift = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= 64; i++) {
    const [x] = mx.map(mx.lo + ((mx.hi - mx.lo) * i) / 64);
    if (!Number.isFinite(x)) continue;
    for (let j = 0; j <= 64; j++) {
      const [y] = my.map(my.lo + ((my.hi - my.lo) * j) / 64);
      if (Number.isFinite(y)) shift = Math.min(shift, checkEnergyValue(where, energy(x, y)));
    }
  }
  if (!Number.isFinite(shift)) throw new NumericalError(`${where}: the energy is not finite anywhere on a first grid of the domain`);
  const budget = { left: maxEval - 65 * 65, error: 0, where };
  const inner = { left: 0, error: 0, where };
  const g = (t: number): number => {
    const [x, jx] = mx.map(t);
    if (jx === 0 || !Number.isFinite(x)) return 0;
    const fy = (s: number): number => {
      const [y, jy] = my.map(s);
      if (jy === 0 || !Number.isFinite(y)) return 0;
      return exp(shift - checkEnergyValue(where, energy(x, y))) * jy;
    };
    inner.left = budget.left;
    inner.error = 0;
    const v = adaptiveSimpson(fy, my.lo, my.hi, relTol / 10, inner);
    budget.left = inner.left;
    return v * jx;
  };
  const z = adaptiveSimpson(g, mx.lo, mx.hi, relTol, budget);
  return finish(where, z, shift, budget.error, maxEval - budget.left);
}
