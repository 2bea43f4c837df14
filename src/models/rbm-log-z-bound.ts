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
  const seen = new Set<string>();
  const negF: number[] = [];
  let best = Number.NEGATIVE_INFINITY, bestIndex = -1, offset = -1;
  const add = (m: Matrix): void => {
    const bin = new Float64Array(m.rows * nV);
    for (let i = 0; i < bin.length; i++) bin[i] = (m.data[i] as number) > 0.5 ? 1 : 0;
    const f = new Float64Array(m.rows);
    model.freeEnergyUnchecked(f, bin, m.rows, new Float64Array(m.rows * model.nHidden));
    // A row's key: its bits packed 15 to a character (exact, so distinct states never collide).
    const codes = new Array<number>(Math.ceil(nV / 15));
    for (let r = 0; r < m.rows; r++) {
      codes.fill(0);
      for (let j = 0; j < nV; j++) if (bin[r * nV + j] === 1) codes[(j / 15) | 0] |= 1 << j % 15;
      const key = String.fromCharCode(...codes);
      if (seen.has(key)) continue;
      seen.add(key);
      const x = -(f[r] as number);
      negF.push(x);
      if (x > best) {
        best = x;
        bestIndex = offset + r;
      }
    }
    offset += m.rows;
  };
  add({ rows: 1, cols: nV, data: new Float64Array(nV) });
  for (const m of sets) add(m);
  const lz = logSumExp(negF);
  return { logZLowerBound: lz, states: negF.length, bestNegFreeEnergy: best, bestIndex };
}
