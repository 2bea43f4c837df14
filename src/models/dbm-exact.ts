/**
 * Exact `log Z` and log-likelihood of small deep Boltzmann machines.
 *
 * Given the even layers (visible, x₂) the odd layers (x₁, x₃) are independent
 * and vice versa, so one parity can be summed out analytically: with the layers
 * of a set `G` given and the others (no two adjacent) summed out,
 * `log Σ_{summed} exp(−E) = Σ_{l∈G} b_lᵀx_l + Σ_{l−1,l∈G} x_{l−1}ᵀW_l x_l
 *   + Σ_{l∉G} Σ_j softplus(b_l,j + (x_{l−1}ᵀW_l)_j + (W_{l+1}x_{l+1})_j)`.
 * `log Z` enumerates the smaller parity; `log P(v)` clamps `v` and enumerates
 * the smaller parity of the hidden layers. Both are limited to
 * {@link DBM_EXACT_MAX_UNITS} enumerated units.
 * @module
 */
import { logSumExp, softplus } from '../linalg/stable.js';
import { DBM } from './dbm.js';
import { checkBatch } from './rbm.js';
import { checkFinite, type DataInput, toMatrix } from '../validate.js';

/**
 * Largest number of units that {@link dbmExactLogPartition} and {@link dbmExactLogLikelihood} enumerate.
 *
 * @example
 * ```ts
 * import { DBM_EXACT_MAX_UNITS } from 'boltzmann';
 * DBM_EXACT_MAX_UNITS; // 24: larger enumerations are refused with a RangeError (use dbmAIS)
 * ```
 * @category Evaluation
 */
export const DBM_EXACT_MAX_UNITS = 24;

const CHUNK = 512;

/**
 * `out[r] = β·(Σ_{given l} b_lᵀx_l + Σ_{given adjacent pairs} x_{l−1}ᵀW_l x_l) + Σ_{summed l} Σ_j softplus(β·input_l,j)`
 * for `rows` rows; `summed[l]` marks summed-out layers (no two adjacent; their
 * entries of `x` are ignored). `tmp` holds `rows · max(n_l)`.
 * @internal
 */
export function dbmLogMarginalUnchecked(
  dbm: DBM,
  x: readonly Float64Array[],
  summed: readonly boolean[],
  rows: number,
  beta: number,
  out: Float64Array,
  tmp: Float64Array,
): void {
  const sizes = dbm.sizes, L = sizes.length - 1;
  out.fill(0, 0, rows);
  for (let l = 0; l <= L; l++) {
    const n = sizes[l];
    if (!summed[l]) {
      dbm.layerInputUnchecked(tmp, l, l > 0 && !summed[l - 1] ? x[l - 1] : null, null, rows);
      const xl = x[l];
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * n;
        for (let j = 0; j < n; j++) s += xl[o + j] * tmp[o + j];
        out[r] += beta * s;
      }
    } else {
      dbm.layerInputUnchecked(tmp, l, l > 0 ? x[l - 1] : null, l < L ? x[l + 1] : null, rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * n;
        for (let j = 0; j < n; j++) s += softplus(beta * tmp[o + j]);
        out[r] += s;
      }
    }
  }
}

/** Writes the bits `index … index+rows−1` of the enumerated layers into `x`. */
function fillStates(x: Float64Array[], layers: readonly number[], sizes: readonly number[], start: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    let idx = start + r;
    for (const l of layers) {
      const n = sizes[l], xl = x[l];
      for (let j = 0; j < n; j++) {
        xl[r * n + j] = idx % 2;
        idx = Math.floor(idx / 2);
      }
    }
  }
}

function checkDBM(where: string, dbm: unknown): DBM {
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM`);
  return dbm;
}

/** Log-sum-exp over every state of `layers` with the others (fixed ones in `x`) summed per `summed`. */
function enumerateLogSum(dbm: DBM, layers: number[], summed: boolean[], fixed: Float64Array | null): number {
  const sizes = dbm.sizes;
  const bits = layers.reduce((s, l) => s + sizes[l], 0);
  const total = 2 ** bits;
  const chunk = Math.min(CHUNK, total);
  const x = sizes.map((n) => new Float64Array(chunk * n));
  if (fixed !== null) for (let r = 0; r < chunk; r++) x[0].set(fixed, r * sizes[0]);
  const tmp = new Float64Array(chunk * Math.max(...sizes));
  const vals = new Float64Array(total);
  const out = new Float64Array(chunk);
  for (let start = 0; start < total; start += chunk) {
    const rows = Math.min(chunk, total - start);
    fillStates(x, layers, sizes, start, rows);
    dbmLogMarginalUnchecked(dbm, x, summed, rows, 1, out, tmp);
    vals.set(out.subarray(0, rows), start);
  }
  return logSumExp(vals);
}

/**
 * The number of units exact scoring of `dbm` enumerates: the larger of the two
 * enumerations (the smaller parity of all layers for `log Z`, the smaller
 * parity of the hidden layers for `log P(v)`). Exact scoring needs it to be at
 * most {@link DBM_EXACT_MAX_UNITS}.
 *
 * @param dbm - the model
 * @returns the number of enumerated units
 * @throws {TypeError} when `dbm` is not a DBM
 * @example
 * ```ts
 * import { DBM, dbmExactSize } from 'boltzmann';
 * dbmExactSize(new DBM([784, 20, 10])); // 20: log Z enumerates layer 1, log P(v) layer 2 (10)
 * ```
 * @category Evaluation
 */
export function dbmExactSize(dbm: DBM): number {
  checkDBM('dbmExactSize', dbm);
  let oddAll = 0, evenAll = 0, evenHidden = 0;
  dbm.sizes.forEach((n, l) => {
    if (l % 2 === 1) oddAll += n;
    else {
      evenAll += n;
      if (l > 0) evenHidden += n;
    }
  });
  return Math.max(Math.min(oddAll, evenAll), Math.min(oddAll, evenHidden));
}

/** The hidden-layer parity with fewer units, as a list of layers, or a RangeError. */
function choose(where: string, dbm: DBM, candidates: number[][]): number[] {
  const sizes = dbm.sizes;
  let best = candidates[0];
  let bestBits = Infinity;
  for (const c of candidates) {
    const b = c.reduce((s, l) => s + sizes[l], 0);
    if (b < bestBits) {
      bestBits = b;
      best = c;
    }
  }
  if (bestBits > DBM_EXACT_MAX_UNITS) {
    throw new RangeError(
      `${where}: exact computation enumerates 2^${bestBits} states; it needs at most ${DBM_EXACT_MAX_UNITS} units in the smaller parity (got sizes ${sizes.join('-')}); use dbmAIS instead`,
    );
  }
  return best;
}

/**
 * Exact `log Z` of a small DBM: enumerates the odd or the even layers (whichever
 * has fewer units, at most {@link DBM_EXACT_MAX_UNITS}) and sums the other parity out.
 *
 * @param dbm - the model
 * @returns `log Z` (nats)
 * @throws {TypeError} when `dbm` is not a DBM
 * @throws {RangeError} when both parities have more than {@link DBM_EXACT_MAX_UNITS} units
 * @example
 * ```ts
 * import { DBM, dbmExactLogPartition } from 'boltzmann';
 * dbmExactLogPartition(new DBM([3, 2, 2], { weightStd: 1e-12 })); // ≈ 7·log 2
 * ```
 * @category Evaluation
 */
export function dbmExactLogPartition(dbm: DBM): number {
  const where = 'dbmExactLogPartition';
  checkDBM(where, dbm);
  const L = dbm.depth;
  const odd: number[] = [], even: number[] = [];
  for (let l = 0; l <= L; l++) (l % 2 === 1 ? odd : even).push(l);
  const layers = choose(where, dbm, [odd, even]);
  const summed = dbm.sizes.map((_, l) => !layers.includes(l));
  return enumerateLogSum(dbm, layers, summed, null);
}

/**
 * Exact per-row log-likelihood `log P(v) = log Σ_h exp(−E(v, h)) − log Z` of a
 * small DBM (the hidden parity with fewer units is enumerated, the other summed out).
 *
 * @param dbm - the model
 * @param data - `[n, nVisible]` binary rows
 * @param logZ - precomputed `log Z` (default {@link dbmExactLogPartition})
 * @returns length-`n` log-likelihoods (nats)
 * @throws {TypeError | ShapeError | RangeError} on bad arguments or a model too large
 * @example
 * ```ts
 * import { DBM, dbmExactLogLikelihood, fromArrays } from 'boltzmann';
 * dbmExactLogLikelihood(new DBM([3, 2, 2], { weightStd: 1e-12 }), fromArrays([[1, 0, 1]]))[0]; // ≈ 3·log(1/2)
 * ```
 * @category Evaluation
 */
export function dbmExactLogLikelihood(dbm: DBM, data: DataInput, logZ?: number): Float64Array {
  const where = 'dbmExactLogLikelihood';
  checkDBM(where, dbm);
  const x = checkBatch(where, 'data', toMatrix(where, 'data', data, dbm.nVisible), dbm.nVisible, 'unit');
  const L = dbm.depth;
  const odd: number[] = [], even: number[] = [];
  for (let l = 1; l <= L; l++) (l % 2 === 1 ? odd : even).push(l);
  const layers = choose(where, dbm, [odd, even]);
  const lz = logZ === undefined ? dbmExactLogPartition(dbm) : checkFinite(where, 'logZ', logZ);
  const summed = dbm.sizes.map((_, l) => l > 0 && !layers.includes(l));
  const nV = dbm.nVisible;
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    out[r] = enumerateLogSum(dbm, layers, summed, x.data.subarray(r * nV, (r + 1) * nV)) - lz;
  }
  return out;
}
