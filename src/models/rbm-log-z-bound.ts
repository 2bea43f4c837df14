/**
 * A certified lower bound on an RBM's log partition function that needs no
 * sampling theory: `Z = Σ_v e^{−F(v)} ≥ Σ_{v ∈ S} e^{−F(v)}` for any set `S` of
 * distinct visible states. With `S` = the blank image, the data and the states
 * that free-running chains reached, the bound sees the spurious modes that CD
 * creates (the all-zero image of a CD-1 MNIST RBM holds most of the mass after a
 * few epochs), and `mean(−F(test)) − bound` is an upper bound on the test
 * log-likelihood that falls when such a mode grows, while reconstruction error
 * and pseudo-likelihood, which only look near the data, keep improving.
 * @module
 */
import type { Matrix } from '../linalg/matrix.js';
import { logSumExp } from '../linalg/stable.js';
import { checkBatch, type RBMLike } from './rbm.js';

/** What {@link rbmLogZLowerBound} returns.
 * @category Evaluation
 */
export interface LogZLowerBound {
  /** `log Σ_{v ∈ S} e^{−F(v)}` over the distinct states of S (nats). */
  logZLowerBound: number;
  /** Number of distinct states summed. */
  states: number;
  /** `−F` of the single best state found. */
  bestNegFreeEnergy: number;
  /** Index into the concatenated input rows (blank image first, at −1) of the best state. */
  bestIndex: number;
}

/**
 * @internal The distinct states among the blank image and the rows of `sets`, binarised at 0.5,
 * first occurrences only: `bin` holds `rows` states (the blank first), `index[i]` the position of
 * state i in the concatenated rows of `sets` (−1 for the blank).
 */
export function distinctBinaryStates(nV: number, sets: readonly Matrix[]): { bin: Float64Array; rows: number; index: Int32Array } {
  const seen = new Set<string>();
  const keep: Array<[Matrix | null, number, number]> = [[null, 0, -1]]; // (set, row, index); the blank first
  // A row's key: its bits packed 15 to a character (exact, so distinct states never collide).
  const codes = new Array<number>(Math.ceil(nV / 15)).fill(0);
  seen.add(String.fromCharCode(...codes));
  let offset = 0;
  for (const m of sets) {
    for (let r = 0; r < m.rows; r++) {
      codes.fill(0);
      for (let j = 0; j < nV; j++) if ((m.data[r * nV + j] as number) > 0.5) codes[(j / 15) | 0] |= 1 << j % 15;
      const key = String.fromCharCode(...codes);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.push([m, r, offset + r]);
    }
    offset += m.rows;
  }
  const bin = new Float64Array(keep.length * nV);
  const index = new Int32Array(keep.length);
  keep.forEach(([m, r, at], i) => {
    index[i] = at;
    if (m !== null) for (let j = 0; j < nV; j++) bin[i * nV + j] = (m.data[r * nV + j] as number) > 0.5 ? 1 : 0;
  });
  return { bin, rows: keep.length, index };
}

/**
 * A lower bound on `log Z` of a binary RBM from a set of visible states:
 * `log Z ≥ log Σ_{distinct v ∈ S} exp(−F(v))`, where `S` is the blank (all-zero)
 * image plus every row of `sets` (rows are binarised at 0.5 and deduplicated, so
 * the bound is certified: no state is counted twice).
 *
 * @param model - a binary RBM
 * @param sets - matrices of visible states, `[n, nVisible]` each (data, chain states)
 * @returns the bound, the number of distinct states and the best state
 * @throws {TypeError | ShapeError} when the model is not a binary RBM or a set has the wrong width
 * @example
 * ```ts
 * import { RBM, rbmLogZLowerBound, rbmExactLogPartition, fromArrays } from 'boltzmann';
 * const rbm = new RBM(4, 3, { rng: 1 });
 * const b = rbmLogZLowerBound(rbm, [fromArrays([[1, 0, 1, 0], [1, 1, 1, 1]])]);
 * b.logZLowerBound <= rbmExactLogPartition(rbm); // true
 * ```
 * @category Evaluation
 */
export function rbmLogZLowerBound(model: RBMLike, sets: readonly Matrix[]): LogZLowerBound {
  const where = 'rbmLogZLowerBound';
  if (model === null || typeof model !== 'object' || model.visibleType !== 'binary') {
    throw new TypeError(`${where}: model must be an RBM with binary visible units`);
  }
  if (!Array.isArray(sets)) throw new TypeError(`${where}: sets must be an array of matrices`);
  const nV = model.nVisible;
  for (let i = 0; i < sets.length; i++) checkBatch(where, `sets[${i}]`, sets[i], nV, 'real');
  const { bin, rows, index } = distinctBinaryStates(nV, sets);
  const f = new Float64Array(rows);
  model.freeEnergyUnchecked(f, bin, rows, new Float64Array(rows * model.nHidden));
  const negF = Array.from(f, (x) => -x);
  let best = Number.NEGATIVE_INFINITY, bestIndex = -1;
  for (let i = 0; i < rows; i++) {
    if ((negF[i] as number) > best) {
      best = negF[i] as number;
      bestIndex = index[i] as number;
    }
  }
  const lz = logSumExp(negF);
  return { logZLowerBound: lz, states: negF.length, bestNegFreeEnergy: best, bestIndex };
}

/**
 * @internal The `warning` of a score whose AIS `log Z` interval lies wholly below a certified
 * lower bound on `log Z` (undefined when it does not).
 */
export function aisBelowFloor(ais: { logZ: number; logZUpper: number }, floor: number): string | undefined {
  if (!(ais.logZUpper < floor)) return undefined;
  return (
    `AIS log Z ${ais.logZ.toFixed(2)} (≤ ${ais.logZUpper.toFixed(2)} at +3σ) lies below the certified lower bound ${floor.toFixed(2)} ` +
    `from the scored rows and the blank image: AIS missed probability mass (a mode its runs never reached), so the score is too high by at least ${(floor - ais.logZ).toFixed(2)} nats`
  );
}
