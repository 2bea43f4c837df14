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
import type { ScoreResult } from './contract.js';
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
 * @internal The first occurrence of each distinct state among the blank image and the rows of
 * `sets` (rows keyed by `x > 0.5`): its position in the concatenated rows of `sets`, −1 for the
 * blank (always first).
 */
export function distinctStateIndex(nV: number, sets: readonly Matrix[]): Int32Array {
  const seen = new Set<string>();
  const keep: number[] = [-1];
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
      keep.push(offset + r);
    }
    offset += m.rows;
  }
  return Int32Array.from(keep);
}

/**
 * @internal The distinct states among the blank image and the rows of `sets`, binarised at 0.5
 * (see {@link distinctStateIndex}): `bin` holds `rows` states (the blank first), `index[i]` the
 * position of state i in the concatenated rows of `sets` (−1 for the blank).
 */
export function distinctBinaryStates(nV: number, sets: readonly Matrix[]): { bin: Float64Array; rows: number; index: Int32Array } {
  const index = distinctStateIndex(nV, sets);
  const bin = new Float64Array(index.length * nV);
  let i = 1, offset = 0;
  for (const m of sets) {
    for (; i < index.length && (index[i] as number) < offset + m.rows; i++) {
      const r = (index[i] as number) - offset;
      for (let j = 0; j < nV; j++) bin[i * nV + j] = (m.data[r * nV + j] as number) > 0.5 ? 1 : 0;
    }
    offset += m.rows;
  }
  return { bin, rows: index.length, index };
}

/**
 * @internal `log Σ_v e^{value(v)}` over the blank image and the distinct rows of `rows`: a
 * certified lower bound on `log Z` when `value(v) ≤ log Σ_h e^{−E(v, h)}` (−F for an RBM, the
 * mean-field bound for a DBM, the exact clamped sum for a Boltzmann machine). When every entry
 * of `rows` is exactly `low` or 1, each row is a state and its known value `values[r]` is
 * reused; otherwise the rows are binarised and `stateValues` computes every state's value.
 * `stateValues` also gives the blank's (every unit at `low`), which is returned as `blank`.
 */
export function logZFloorFromRows(rows: Matrix, values: ArrayLike<number>, stateValues: (states: Matrix) => ArrayLike<number>, low: 0 | -1 = 0): { logZLowerBound: number; blank: number } {
  const nV = rows.cols, d = rows.data;
  let exact = true;
  for (let i = 0, e = rows.rows * nV; i < e && exact; i++) exact = d[i] === low || d[i] === 1;
  if (!exact) {
    const s = distinctBinaryStates(nV, [rows]);
    if (low !== 0) for (let i = 0; i < s.bin.length; i++) s.bin[i] = s.bin[i] === 1 ? 1 : low;
    const all = stateValues({ rows: s.rows, cols: nV, data: s.bin });
    return { logZLowerBound: logSumExp(all), blank: all[0] as number };
  }
  const index = distinctStateIndex(nV, [rows]);
  const blank = stateValues({ rows: 1, cols: nV, data: new Float64Array(nV).fill(low) })[0] as number;
  const v = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) v[i] = (index[i] as number) < 0 ? blank : (values[index[i] as number] as number);
  return { logZLowerBound: logSumExp(v), blank };
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

/**
 * @internal A score's result with an AIS `log Z`: `mean` with the interval of `log Ẑ` carried over
 * (`mean − (log Ẑ_upper − log Ẑ)` … `mean + (log Ẑ − log Ẑ_lower)`), the effective sample size, the
 * certified floor under `log Z` and, when AIS's interval lies wholly below it, the warning.
 */
export function aisScoreResult(
  mean: number,
  ais: { logZ: number; logZLower: number; logZUpper: number; effectiveSampleSize: number },
  floor: number,
): ScoreResult {
  const warning = aisBelowFloor(ais, floor);
  return {
    mean,
    lower: mean - (ais.logZUpper - ais.logZ),
    upper: mean + (ais.logZ - ais.logZLower),
    method: 'ais',
    logZ: ais.logZ,
    ess: ais.effectiveSampleSize,
    logZLowerBound: floor,
    ...(warning === undefined ? {} : { warning }),
  };
}
