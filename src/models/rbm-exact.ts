/**
 * Exact partition function, log-likelihood and log-likelihood gradient of small
 * RBMs, by enumerating the smaller layer and summing (or integrating) the other
 * one out analytically:
 *
 * - enumerate `h`: `log Z = logΣ_h exp(−F_h(h))`, `F_h(h) = −cᵀh − Σ_i softplus(b_i + (Wh)_i)`
 *   (binary visible units; Gaussian visible units are integrated in closed form);
 * - enumerate `v` (binary only): `log Z = logΣ_v exp(−F(v))`.
 *
 * Cost `2^m · nVisible · nHidden` with `m = min(nVisible, nHidden)` (hidden layer
 * only for Gaussian visible units), limited to `m ≤ 25`.
 * @module
 */
import { NumericalError } from '../errors.js';
import { sigmoid } from '../linalg/stable.js';
import { checkBatch, type RBMLike, visibleUnits } from './rbm.js';
import { accumulateOuter, visibleToHidden } from './rbm-products.js';
import type { RBMGradient } from '../train/rbm-trainer.js';
import { checkFinite, type DataInput } from '../validate.js';
import { exp, log } from '../math/elementary.js';

/**
 * Largest layer size that {@link rbmExactLogPartition} enumerates (2²⁵ ≈ 3.4·10⁷ states).
 *
 * @example
 * ```ts
 * import { RBM, RBM_EXACT_MAX_UNITS, rbmExactLogPartition } from 'boltzmann';
 * const rbm = new RBM(784, 20, { rng: 1 });
 * if (Math.min(rbm.nVisible, rbm.nHidden) <= RBM_EXACT_MAX_UNITS) rbmExactLogPartition(rbm); // 2²⁰ hidden states
 * ```
 * @category Evaluation
 */
export const RBM_EXACT_MAX_UNITS = 25;

const CHUNK = 1024;

function checkModel(where: string, model: RBMLike): void {
  if (model === null || typeof model !== 'object' || typeof model.freeEnergyUnchecked !== 'function') {
    throw new TypeError(`${where}: model must be an RBM`);
  }
}

/** Which layer gets enumerated, or a RangeError. */
function chooseLayer(where: string, model: RBMLike): 'hidden' | 'visible' {
  const nV = model.nVisible, nH = model.nHidden;
  const canVisible = model.visibleType === 'binary';
  const layer = nH <= nV || !canVisible ? 'hidden' : 'visible';
  const m = layer === 'hidden' ? nH : nV;
  if (m > RBM_EXACT_MAX_UNITS) {
    throw new RangeError(
      `${where}: exact computation enumerates 2^${m} states of the ${layer} layer; it needs min(nVisible, nHidden) ≤ ${RBM_EXACT_MAX_UNITS}` +
        (canVisible ? '' : ' (the hidden layer for Gaussian visible units)') +
        ` (got nVisible = ${nV}, nHidden = ${nH}); use annealed importance sampling (rbmAIS) instead`,
    );
  }
  return layer;
}

/** Writes states `start … start+rows−1` (bit j of the index = unit j) into `out`. */
function fillStates(out: Float64Array, start: number, rows: number, m: number): void {
  for (let r = 0; r < rows; r++) {
    const idx = start + r;
    const o = r * m;
    for (let j = 0; j < m; j++) out[o + j] = Math.floor(idx / 2 ** j) % 2;
  }
}

/**
 * Visits every state of the enumerated layer in chunks, giving the chunk's
 * states and their unnormalised log-probabilities `−F`.
 */
function enumerate(
  model: RBMLike,
  layer: 'hidden' | 'visible',
  visit: (states: Float64Array, logp: Float64Array, rows: number) => void,
): void {
  const m = layer === 'hidden' ? model.nHidden : model.nVisible;
  const other = layer === 'hidden' ? model.nVisible : model.nHidden;
  const total = 2 ** m;
  const chunk = Math.min(CHUNK, total);
  const states = new Float64Array(chunk * m);
  const scratch = new Float64Array(chunk * other);
  const f = new Float64Array(chunk);
  for (let start = 0; start < total; start += chunk) {
    const rows = Math.min(chunk, total - start);
    fillStates(states, start, rows, m);
    if (layer === 'hidden') model.hiddenFreeEnergyUnchecked(f, states, rows, scratch);
    else model.freeEnergyUnchecked(f, states, rows, scratch);
    for (let r = 0; r < rows; r++) f[r] = -f[r];
    visit(states, f, rows);
  }
}

/**
 * Exact `log Z` of an RBM whose smaller layer has at most {@link RBM_EXACT_MAX_UNITS} units.
 *
 * @param model - binary or Gaussian–Bernoulli RBM
 * @returns `log Z` (nats)
 * @throws {RangeError} when the enumerated layer is larger than {@link RBM_EXACT_MAX_UNITS}
 * @throws {NumericalError} when `log Z` leaves float64's range (parameters near ±1e308)
 * @example
 * ```ts
 * import { RBM, rbmExactLogPartition } from 'boltzmann';
 * const rbm = new RBM(3, 2, { weightStd: 1e-9 });
 * rbmExactLogPartition(rbm); // ≈ 5·log 2 (all parameters ≈ 0)
 * ```
 * @category Evaluation
 */
export function rbmExactLogPartition(model: RBMLike): number {
  const where = 'rbmExactLogPartition';
  checkModel(where, model);
  const layer = chooseLayer(where, model);
  // Running log-sum-exp with a shifting maximum.
  let max = -Infinity;
  let sum = 0;
  enumerate(model, layer, (_s, logp, rows) => {
    for (let r = 0; r < rows; r++) {
      const x = logp[r];
      if (x > max) {
        sum = sum * exp(max - x) + 1;
        max = x;
      } else sum += exp(x - max);
    }
  });
  const logZ = max + log(sum);
  if (!Number.isFinite(logZ)) {
    throw new NumericalError(`${where}: log Z is ${logZ}: it leaves float64's range for these parameters (weights or biases near ±1e308)`);
  }
  return logZ;
}

/**
 * Exact per-sample log-likelihood `log P(v) = −F(v) − log Z`.
 *
 * @param model - binary or Gaussian–Bernoulli RBM
 * @param input - `[n, nVisible]` rows (any {@link DataInput})
 * @param logZ - a precomputed `log Z` (default: {@link rbmExactLogPartition})
 * @returns length-`n` log-likelihoods (nats; densities for Gaussian visible units)
 * @throws {RangeError | ShapeError} on bad data or a model too large to enumerate
 * @example
 * ```ts
 * import { RBM, rbmExactLogLikelihood } from 'boltzmann';
 * const ll = rbmExactLogLikelihood(new RBM(3, 2, { rng: 1 }), [[1, 0, 1]]);
 * ll[0] < 0; // true
 * ```
 * @category Evaluation
 */
export function rbmExactLogLikelihood(model: RBMLike, input: DataInput, logZ?: number): Float64Array {
  const where = 'rbmExactLogLikelihood';
  checkModel(where, model);
  const data = checkBatch(where, 'data', input, model.nVisible, visibleUnits(model));
  const lz = logZ === undefined ? rbmExactLogPartition(model) : checkFinite(where, 'logZ', logZ);
  const out = new Float64Array(data.rows);
  model.freeEnergyUnchecked(out, data.data, data.rows, new Float64Array(data.rows * model.nHidden));
  for (let r = 0; r < out.length; r++) out[r] = -out[r] - lz;
  return out;
}

/**
 * Exact gradient of the mean log-likelihood of `data` for a binary RBM, in the
 * model's parameter order `[weights (nVisible·nHidden), visibleBias, hiddenBias]`:
 * `⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model` and the same for the biases.
 *
 * @param model - binary RBM
 * @param input - `[n, nVisible]` rows (any {@link DataInput})
 * @returns the gradient arrays
 * @throws {TypeError} for non-binary visible units
 * @throws {RangeError | ShapeError} on bad data or a model too large to enumerate
 * @example
 * ```ts
 * import { RBM, rbmExactGradient } from 'boltzmann';
 * rbmExactGradient(new RBM(3, 2), [[1, 0, 1]])[0].length; // 6
 * ```
 * @category Evaluation
 */
export function rbmExactGradient(model: RBMLike, input: DataInput): RBMGradient {
  const where = 'rbmExactGradient';
  checkModel(where, model);
  if (model.visibleType !== 'binary') throw new TypeError(`${where}: model must have binary visible units`);
  const data = checkBatch(where, 'data', input, model.nVisible, visibleUnits(model));
  const layer = chooseLayer(where, model);
  const lz = rbmExactLogPartition(model);
  const nV = model.nVisible, nH = model.nHidden;
  const grads = model.parameterArrays().map((p) => new Float64Array(p.length));
  if (data.rows > 0) {
    const p = new Float64Array(data.rows * nH);
    model.hiddenProbsUnchecked(p, data.data, data.rows);
    model.accumulateStatistics(grads, 1 / data.rows, data.data, p, data.rows);
  }
  const chunk = Math.min(CHUNK, 2 ** (layer === 'hidden' ? nH : nV));
  const cond = new Float64Array(chunk * (layer === 'hidden' ? nV : nH));
  const wgt = new Float64Array(chunk * (layer === 'hidden' ? nH : nV));
  enumerate(model, layer, (states, logp, rows) => {
    if (layer === 'visible') {
      // P(v) = exp(−F(v) − log Z); E[h | v] = σ(c + vW)
      visibleToHidden(cond, states, rows, model.weights.data, model.hiddenBias, nV, nH);
      for (let r = 0; r < rows; r++) {
        const pr = exp(logp[r] - lz);
        for (let j = 0; j < nH; j++) cond[r * nH + j] = pr * sigmoid(cond[r * nH + j]);
        for (let i = 0; i < nV; i++) {
          grads[1][i] -= pr * states[r * nV + i];
        }
        for (let j = 0; j < nH; j++) grads[2][j] -= cond[r * nH + j];
      }
      accumulateOuter(grads[0], -1, states, cond, rows, nV, nH, 1);
    } else {
      // P(h) = exp(−F_h(h) − log Z); E[v | h] = σ(b + Wh)
      model.visibleMeanUnchecked(cond, states, rows);
      for (let r = 0; r < rows; r++) {
        const pr = exp(logp[r] - lz);
        for (let j = 0; j < nH; j++) {
          wgt[r * nH + j] = pr * states[r * nH + j];
          grads[2][j] -= wgt[r * nH + j];
        }
        for (let i = 0; i < nV; i++) grads[1][i] -= pr * cond[r * nV + i];
      }
      accumulateOuter(grads[0], -1, cond, wgt, rows, nV, nH, 1);
    }
  });
  return grads;
}
