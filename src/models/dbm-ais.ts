/**
 * Annealed importance sampling for the partition function of a deep Boltzmann
 * machine, and the variational lower bound on its log-likelihood
 * (Salakhutdinov & Hinton 2009, §4; Salakhutdinov & Murray 2008).
 *
 * The chain runs over the even layers (visible, x₂) with the odd layers
 * (x₁, x₃) summed out analytically:
 * `log p*_β(v, x₂) = (1−β)·b_Aᵀv + β·(b₀ᵀv + b₂ᵀx₂) + Σ_{odd l} Σ_j softplus(β·(b_l + x_{l−1}ᵀW_l + W_{l+1}x_{l+1})_j)`,
 * from the base model (β = 0: visible biases `b_A`, every weight and hidden
 * bias zero, `log Z_A = Σ_i softplus(b_A,i) + (n₁ + … + n_L)·log 2`) to the DBM
 * (β = 1). The transition at β samples the odd layers given the even ones, then
 * the even ones given the odd ones, every input scaled by β (the visible input
 * also gets `(1−β)·b_A`). Each run's weight is accumulated by the shared
 * `annealedImportanceSampling` driver.
 *
 * With `sumOut: 'even'` the roles swap: the chain runs over the odd layers with the even ones
 * summed out,
 * `log p*_β(x₁, x₃) = β·Σ_{odd l} b_lᵀx_l + Σ_i softplus(β·(b₀ + W₁x₁)_i + (1−β)·b_A,i) + Σ_{even l ≥ 2} Σ_j softplus(β·(b_l + x_{l−1}ᵀW_l + W_{l+1}x_{l+1})_j)`,
 * from the same base model (the same `log Z_A`); the transition samples the even layers given the
 * odd ones, then the odd ones given the even ones. For 784-500-1000 it samples 500 units per run
 * and sums over 1 784, where the odd path samples 1 784 and sums over 500.
 *
 * For data `v`, mean-field posteriors `q(h) = Π_l Π_j μ_l,j^{h}(1−μ_l,j)^{1−h}` give
 * `log P(v) ≥ −E_q[E(v, h)] + H(q) − log Z`
 * `= b₀ᵀv + Σ_l b_lᵀμ_l + Σ_l μ_{l−1}ᵀW_lμ_l + Σ_l Σ_j H(μ_l,j) − log Z` (μ₀ = v).
 * @module
 */
import { sigmoid, softplus } from '../linalg/stable.js';
import { log } from '../math/elementary.js';
import { sigmoidBernoulli } from '../linalg/wasm/gather.js';
import { type ResidentWeights, residentWeights } from '../linalg/wasm/resident-weights.js';
import { getKernel, withResident } from '../linalg/kernel.js';
import { withExactGatherDensity } from '../linalg/ts-kernel.js';
import { softplusRowSums, sparseProducts } from './rbm-products.js';
import { DBM, type MeanFieldOptions, readMeanField } from './dbm.js';
import { checkBatch, logitMeans } from './rbm.js';
import { distinctBinaryStates, type LogZLowerBound, logZFloorFromRows } from './rbm-log-z-bound.js';
import { logSumExp } from '../linalg/stable.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random/random.js';
import { checkElements, checkFinite, checkOptionsKeys, checkSize, checkVector, type DataInput, optionKeys, toMatrix } from '../validate.js';
import { describeValue } from '../errors.js';
import { type AISOptions, type AISPath, type AISResult, annealedImportanceSamplingWork } from './rbm-ais.js';
import { runStepped, type SteppedWork } from './fit-async.js';

/**
 * State of the DBM path: every layer's rows (the odd layers are redrawn at every
 * transition) and, cached until the even layers change, the odd layers' total
 * inputs and the even layers' bias terms (both independent of β).
 */
interface DBMPathState {
  x: Float64Array[];
  rows: number;
  /** `oddInput[l] = b_l + x_{l−1}ᵀW_l + W_{l+1}x_{l+1}` for odd `l` (empty for even `l`). */
  oddInput: Float64Array[];
  /** `Σ_{even l ≥ 1} b_lᵀx_l + b₀ᵀv` per row. */
  evenTerm: Float64Array;
  /** `b_Aᵀv` per row. */
  baseTerm: Float64Array;
  valid: boolean;
}

/** Options of {@link dbmAIS}.
 * @category Evaluation
 */
export interface DBMAISOptions extends Omit<AISOptions, 'rng'> {
  /** Seed or generator. Default: the model's stream (`dbm.random`), continued. */
  rng?: number | Random;
  /**
   * Visible biases `b_A` of the base model, or training data whose clipped
   * column means give `b_A = log(p/(1−p))`. Default: zeros (uniform base model).
   */
  base?: Float64Array | DataInput;
  /**
   * Which layers are summed out analytically: `'odd'` (x₁, x₃; the chain runs over the visible
   * layer and x₂) or `'even'` (the visible layer and x₂; the chain runs over x₁ and x₃). Both
   * estimate the same `Z` without bias; summing out more units usually lowers the variance.
   * Default `'odd'`.
   */
  sumOut?: 'odd' | 'even';
  /**
   * Biases of the base model's hidden layers, one `Float64Array` of `sizes[l]` per hidden layer
   * (`l = 1 … L`): the base model is then `p_A(x) ∝ exp(Σ_l b_A,lᵀx_l)` over every layer, and each
   * intermediate distribution `p_β ∝ exp((1−β)·Σ_l b_A,lᵀx_l − β·E(x))`, so a base whose hidden rates
   * match the model's (e.g. logits of the mean-field posteriors averaged over the data, see
   * {@link dbmHiddenBaseRates}) starts the runs nearer the model than the uniform hidden layers do.
   * Default: zeros (uniform hidden layers).
   */
  hiddenBase?: readonly Float64Array[];
}

const AIS_KEYS = optionKeys<DBMAISOptions>()({ betas: true, runs: true, rng: true, signal: true, onProgress: true, base: true, sumOut: true, hiddenBase: true });

/**
 * Hidden-layer base rates for {@link DBMAISOptions.hiddenBase}: for each hidden layer, the logits
 * `log(p/(1−p))` of the mean-field posterior means averaged over the rows of `data`, with `p`
 * clipped to [1e-3, 1 − 1e-3] (the data base rates' convention for the visible layer).
 *
 * @param dbm - the model
 * @param data - `[n, nVisible]` rows in [0, 1] (e.g. the training data, or its first rows)
 * @param options - mean-field settings (default 30 sweeps, tolerance 1e-6)
 * @returns one bias vector per hidden layer
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmAIS, dbmHiddenBaseRates, aisSchedule } from 'boltzmann';
 * const dbm = new DBM([6, 4, 3], { rng: 1 });
 * const data = [[1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1]];
 * dbmAIS(dbm, { base: data, hiddenBase: dbmHiddenBaseRates(dbm, data), betas: aisSchedule(10, 40, 100), runs: 10, rng: 2 }).logZ;
 * ```
 * @category Evaluation
 */
export function dbmHiddenBaseRates(dbm: DBM, data: DataInput, options?: MeanFieldOptions): Float64Array[] {
  const work = dbmHiddenBaseRatesWorkChecked('dbmHiddenBaseRates', dbm, data, options);
  work.advance(work.total);
  return work.result();
}

/**
 * {@link dbmHiddenBaseRates} as {@link SteppedWork} of one unit per 100 rows (the same numbers), so
 * that a caller driving it with {@link runStepped} can report progress and stop between chunks.
 *
 * @param dbm - the model
 * @param data - `[n, nVisible]` rows in [0, 1]
 * @param options - mean-field settings (default 30 sweeps, tolerance 1e-6)
 * @returns the stepped computation
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmHiddenBaseRatesWork } from 'boltzmann';
 * const work = dbmHiddenBaseRatesWork(new DBM([4, 3, 2], { rng: 1 }), [[1, 0, 1, 0]]);
 * work.advance(work.total);
 * work.result().length; // 2
 * ```
 * @category Evaluation
 */
export function dbmHiddenBaseRatesWork(dbm: DBM, data: DataInput, options?: MeanFieldOptions): SteppedWork<Float64Array[]> {
  return dbmHiddenBaseRatesWorkChecked('dbmHiddenBaseRatesWork', dbm, data, options);
}

function dbmHiddenBaseRatesWorkChecked(where: string, dbm: DBM, data: DataInput, options: MeanFieldOptions | undefined): SteppedWork<Float64Array[]> {
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM`);
  const x = checkBatch(where, 'data', toMatrix(where, 'data', data, dbm.nVisible), dbm.nVisible, 'unit');
  if (x.rows === 0) throw new RangeError(`${where}: data must have at least one row`);
  const { maxIterations, tolerance } = readMeanField(where, options);
  const sizes = dbm.sizes, L = sizes.length - 1, nV = sizes[0];
  const chunk = Math.min(100, x.rows);
  const mu = sizes.map((n) => new Float64Array(chunk * n));
  const tmp = new Float64Array(chunk * Math.max(...sizes));
  const mean = sizes.slice(1).map((n) => new Float64Array(n));
  const total = Math.ceil(x.rows / chunk);
  let done = 0;
  return {
    total,
    get done() {
      return done;
    },
    label: 'hidden base rates',
    unit: 'chunks of 100 rows',
    advance(units: number): void {
      for (let u = 0; u < units && done < total; u++, done++) {
        const start = done * chunk, rows = Math.min(chunk, x.rows - start);
        mu[0].set(x.data.subarray(start * nV, (start + rows) * nV));
        dbm.meanFieldUnchecked(mu, mu[0], rows, maxIterations, tolerance, tmp);
        for (let l = 1; l <= L; l++) {
          const n = sizes[l], m = mean[l - 1], a = mu[l];
          for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) m[j] += a[r * n + j];
        }
      }
    },
    result(): Float64Array[] {
      if (done < total) throw new Error(`${where}: the work is not done (${done} of ${total} chunks)`);
      return mean.map((m) =>
        m.map((s) => {
          const p = Math.min(1 - 1e-3, Math.max(1e-3, s / x.rows));
          return log(p / (1 - p));
        }),
      );
    },
  };
}

/** State of the path with the even layers summed out (see {@link dbmAISPath}). */
interface DBMEvenPathState {
  x: Float64Array[];
  rows: number;
  /** `evenInput[l] = b_l + x_{l−1}ᵀW_l + W_{l+1}x_{l+1}` for even `l` (empty for odd `l`). */
  evenInput: Float64Array[];
  /** `Σ_{odd l} b_lᵀx_l` per row. */
  oddTerm: Float64Array;
  /** `Σ_{odd l} b_A,lᵀx_l` per row (0 without hidden base biases). */
  oddBase: Float64Array;
  valid: boolean;
}

/**
 * A layer's input on the AIS path at β: `out = β·input + (1−β)·a` row by row (`rows × n`), for a layer
 * whose base-model biases are `a`; `out` may be `input`.
 */
function inputAtBeta(out: Float64Array, input: Float64Array, beta: number, a: Float64Array, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) out[o + j] = beta * input[o + j] + (1 - beta) * a[j];
  }
}

/** `sums[r] = Σ_j softplus(the layer's input at β)_rj`: `input` scaled by β, or with base biases `a` through `tmp`. */
function softplusAtBeta(sums: Float64Array, input: Float64Array, beta: number, a: Float64Array | undefined, rows: number, n: number, tmp: Float64Array): void {
  // softplusSums is softplusSum(a, r·n, n, β) per row, bit for bit (SIMD)
  if (a === undefined) softplusRowSums(sums, input, rows, n, beta);
  else {
    inputAtBeta(tmp, input, beta, a, rows, n);
    softplusRowSums(sums, tmp, rows, n, 1);
  }
}

/**
 * `x ~ Bernoulli(σ(the layer's input at β))` (`input` scaled by β, or with base biases `a` through `tmp`,
 * which may be `input`); in order, the same numbers and generator state as the scalar loop.
 */
function sampleAtBeta(x: Float64Array, input: Float64Array, beta: number, a: Float64Array | undefined, rows: number, n: number, rng: Random, tmp: Float64Array): void {
  if (a === undefined) sigmoidBernoulli(x, input, rows * n, beta, rng);
  else {
    inputAtBeta(tmp, input, beta, a, rows, n);
    sigmoidBernoulli(x, tmp, rows * n, 1, rng);
  }
}

/** `runs` rows of a layer drawn from the base model: Bernoulli(σ(a_j)), or ½ without base biases. */
function sampleFromBase(x: Float64Array, a: Float64Array | undefined, runs: number, n: number, rng: Random): void {
  if (a === undefined) {
    for (let i = 0; i < runs * n; i++) x[i] = rng.float64() < 0.5 ? 1 : 0;
    return;
  }
  const p = a.map(sigmoid);
  for (let r = 0; r < runs; r++) for (let j = 0; j < n; j++) x[r * n + j] = rng.float64() < p[j] ? 1 : 0;
}

/**
 * Adds `Σ_j b_j·x_rj` over the units on to `out[r]`, row by row. With finite `b` every term is
 * added, a zero unit's as ±0, which leaves the sum as it is (it starts at +0 and a sum of
 * non-zero terms is never −0), so the bits are those of skipping the zeros — without a branch
 * per unit, which a sampled state's ones mispredict about as often as they occur.
 */
function addBiasTerms(out: Float64Array, b: Float64Array, x: Float64Array, rows: number, n: number): void {
  let finite = true;
  for (let j = 0; j < n; j++) finite &&= Number.isFinite(b[j]);
  for (let r = 0; r < rows; r++) {
    let e = 0;
    const o = r * n;
    if (finite) for (let j = 0; j < n; j++) e += b[j] * x[o + j];
    else for (let j = 0; j < n; j++) if (x[o + j] !== 0) e += b[j] * x[o + j];
    out[r] += e;
  }
}

/**
 * `out = b_l + below·W_l + above·W_{l+1}ᵀ` for sampled 0/1 rows, as {@link DBM.layerInputUnchecked}
 * adds it, with every product gathered at any density — the naive sums, the same bits under every
 * exact kernel and thread count: on one thread over the weights kept resident as strips
 * (`residentWeights`, taken on first use in each run of the path: the weights must not change
 * during a run), on the TS kernel and the pool through the kernel with no density limit
 * (dbmAIS keeps the weights resident in the pool for each stretch of β steps). Under other kernels,
 * or with `sparseProducts.enabled` off, the kernel's own choice, as before.
 */
function gatheredLayerInput(dbm: DBM): (out: Float64Array, l: number, below: Float64Array | null, above: Float64Array | null, rows: number) => void {
  let resident: ResidentWeights | null | undefined;
  const L = dbm.sizes.length - 1;
  return (out, l, below, above, rows) => {
    const name = sparseProducts.enabled ? getKernel().name : '';
    if (name === 'wasm-simd-exact') {
      if (resident === undefined) resident = residentWeights(dbm.weights);
      if (resident !== null) {
        const n = dbm.sizes[l], b = dbm.biases[l];
        for (let r = 0; r < rows; r++) out.set(b, r * n);
        // (false where the operands do not fit in its memory: then the kernel, from the bias again)
        if ((below === null || l === 0 || resident.accumulate(out, below, rows, l - 1, false)) && (above === null || l === L || resident.accumulate(out, above, rows, l, true))) return;
      }
    }
    if (EXACT_KERNELS.has(name)) withExactGatherDensity(1, () => dbm.layerInputUnchecked(out, l, below, above, rows, 1, 1, true));
    else dbm.layerInputUnchecked(out, l, below, above, rows, 1, 1, true);
  };
}

/** The exact kernels (the TS kernel's bits), under which gatheredLayerInput gathers at any density. */
const EXACT_KERNELS = new Set(['ts', 'wasm-simd-exact', 'wasm-simd-threads-exact']);

/** The AIS path with the even layers (visible, x₂) summed out; the chain runs over the odd layers. */
function dbmAISPathEven(dbm: DBM, bA: Float64Array, logZBase: number, hb: readonly Float64Array[] | undefined): AISPath<DBMEvenPathState> {
  const sizes = dbm.sizes, L = sizes.length - 1;
  // the base biases of layer l (the visible ones, or the hidden ones when given)
  const baseOf = (l: number): Float64Array | undefined => (l === 0 ? bA : hb?.[l - 1]);
  let tmp = new Float64Array(0);
  let sums = new Float64Array(0);
  let layerInput = gatheredLayerInput(dbm);
  /** Fills the β-independent caches from the current odd layers. */
  const refresh = (st: DBMEvenPathState): void => {
    if (st.valid) return;
    const rows = st.rows, x = st.x;
    // the odd layers are sampled 0/1 states: gathered products where faster
    for (let l = 0; l <= L; l += 2) layerInput(st.evenInput[l], l, l > 0 ? x[l - 1] : null, l < L ? x[l + 1] : null, rows);
    st.oddTerm.fill(0);
    st.oddBase.fill(0);
    for (let l = 1; l <= L; l += 2) {
      const a = baseOf(l);
      addBiasTerms(st.oddTerm, dbm.biases[l], x[l], rows, sizes[l]);
      if (a !== undefined) addBiasTerms(st.oddBase, a, x[l], rows, sizes[l]);
    }
    st.valid = true;
  };
  return {
    logZBase,
    sampleBase(runs: number, rng: Random): DBMEvenPathState {
      const x = sizes.map((n) => new Float64Array(runs * n));
      for (let l = 1; l <= L; l += 2) sampleFromBase(x[l], baseOf(l), runs, sizes[l], rng);
      tmp = new Float64Array(runs * Math.max(...sizes));
      layerInput = gatheredLayerInput(dbm); // the weights taken afresh for each run of the path
      const evenInput = sizes.map((n, l) => new Float64Array(l % 2 === 0 ? runs * n : 0));
      return { x, rows: runs, evenInput, oddTerm: new Float64Array(runs), oddBase: new Float64Array(runs), valid: false };
    },
    logUnnormalised(beta: number, st: DBMEvenPathState, out: Float64Array): void {
      refresh(st);
      const rows = st.rows;
      for (let r = 0; r < rows; r++) out[r] = beta * st.oddTerm[r] + (1 - beta) * st.oddBase[r];
      if (sums.length < rows) sums = new Float64Array(rows);
      for (let l = 0; l <= L; l += 2) {
        softplusAtBeta(sums, st.evenInput[l], beta, baseOf(l), rows, sizes[l], tmp);
        for (let r = 0; r < rows; r++) out[r] += sums[r];
      }
    },
    transition(beta: number, st: DBMEvenPathState, rng: Random): void {
      refresh(st);
      const rows = st.rows, x = st.x;
      // even layers given the odd ones (cached inputs), then the odd ones given the even ones
      for (let l = 0; l <= L; l += 2) sampleAtBeta(x[l], st.evenInput[l], beta, baseOf(l), rows, sizes[l], rng, tmp);
      for (let l = 1; l <= L; l += 2) {
        layerInput(tmp, l, x[l - 1], l < L ? x[l + 1] : null, rows);
        sampleAtBeta(x[l], tmp, beta, baseOf(l), rows, sizes[l], rng, tmp);
      }
      st.valid = false;
    },
  };
}

/**
 * The AIS path for a DBM with the odd layers summed out (see the module notes), or the even
 * ones with `sumOut: 'even'`; the path's state type follows `sumOut`.
 *
 * @param dbm - a DBM with 2 or 3 hidden layers
 * @param baseBias - visible biases `b_A` of the base model, length `nVisible`
 * @param sumOut - `'odd'` (default) or `'even'`: the layers summed out analytically
 * @param hiddenBase - per hidden layer, the base model's unit probabilities (default ½)
 * @returns the path for `annealedImportanceSampling`
 * @throws {TypeError | ShapeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, annealedImportanceSampling, aisSchedule, dbmExactLogPartition } from 'boltzmann';
 * import { dbmAISPath } from 'boltzmann/base';
 * const dbm = new DBM([6, 4, 3], { rng: 1, weightStd: 0.5 });
 * const path = dbmAISPath(dbm, new Float64Array(6));
 * const r = annealedImportanceSampling(path, { betas: aisSchedule(20, 80, 200), runs: 20, rng: 2 });
 * r.logZ; // ≈ 10.11, interval [r.logZLower, r.logZUpper]
 * dbmExactLogPartition(dbm); // ≈ 10.15 (exact, for a DBM this small)
 * ```
 * @category Evaluation
 */
export function dbmAISPath(dbm: DBM, baseBias: Float64Array, sumOut?: 'odd', hiddenBase?: readonly Float64Array[]): AISPath<DBMPathState>;
export function dbmAISPath(dbm: DBM, baseBias: Float64Array, sumOut: 'even', hiddenBase?: readonly Float64Array[]): AISPath<DBMEvenPathState>;
export function dbmAISPath(dbm: DBM, baseBias: Float64Array, sumOut?: 'odd' | 'even', hiddenBase?: readonly Float64Array[]): AISPath<DBMPathState> | AISPath<DBMEvenPathState>;
export function dbmAISPath(
  dbm: DBM,
  baseBias: Float64Array,
  sumOut: 'odd' | 'even' = 'odd',
  hiddenBase?: readonly Float64Array[],
): AISPath<DBMPathState> | AISPath<DBMEvenPathState> {
  const where = 'dbmAISPath';
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM (got ${describeValue(dbm)})`);
  if (sumOut !== 'odd' && sumOut !== 'even') throw new TypeError(`${where}: sumOut must be 'odd' or 'even' (got ${describeValue(sumOut)})`);
  const sizes = dbm.sizes, L = sizes.length - 1, nV = sizes[0];
  const bA = new Float64Array(checkVector(where, 'baseBias', baseBias, nV));
  let hb: Float64Array[] | undefined;
  if (hiddenBase !== undefined) {
    if (!Array.isArray(hiddenBase) || hiddenBase.length !== L) throw new TypeError(`${where}: hiddenBase must hold one Float64Array per hidden layer (${L}) (got ${describeValue(hiddenBase)})`);
    hb = hiddenBase.map((b, i) => new Float64Array(checkVector(where, `hiddenBase[${i}]`, b, sizes[i + 1])));
  }
  let logZBase = 0;
  for (let i = 0; i < nV; i++) logZBase += softplus(bA[i]);
  for (let l = 1; l <= L; l++) {
    if (hb === undefined) logZBase += sizes[l] * Math.LN2;
    else for (const b of hb[l - 1]) logZBase += softplus(b);
  }
  if (sumOut === 'even') return dbmAISPathEven(dbm, bA, logZBase, hb);
  const baseOf = (l: number): Float64Array | undefined => (l === 0 ? bA : hb?.[l - 1]);
  let tmp = new Float64Array(0);
  let sums = new Float64Array(0);
  let layerInput = gatheredLayerInput(dbm);
  /** Fills the β-independent caches from the current even layers. */
  const refresh = (st: DBMPathState): void => {
    if (st.valid) return;
    const rows = st.rows, x = st.x;
    // the even layers are sampled 0/1 states: gathered products where faster
    for (let l = 1; l <= L; l += 2) layerInput(st.oddInput[l], l, x[l - 1], l < L ? x[l + 1] : null, rows);
    st.evenTerm.fill(0);
    st.baseTerm.fill(0);
    for (let l = 0; l <= L; l += 2) {
      const a = baseOf(l);
      addBiasTerms(st.evenTerm, dbm.biases[l], x[l], rows, sizes[l]);
      // the hidden even layers have base terms only when the base has hidden biases
      if (a !== undefined) addBiasTerms(st.baseTerm, a, x[l], rows, sizes[l]);
    }
    st.valid = true;
  };
  return {
    logZBase,
    sampleBase(runs: number, rng: Random): DBMPathState {
      const x = sizes.map((n) => new Float64Array(runs * n));
      for (let l = 0; l <= L; l += 2) sampleFromBase(x[l], baseOf(l), runs, sizes[l], rng);
      tmp = new Float64Array(runs * Math.max(...sizes));
      layerInput = gatheredLayerInput(dbm); // the weights taken afresh for each run of the path
      const oddInput = sizes.map((n, l) => new Float64Array(l % 2 === 1 ? runs * n : 0));
      return { x, rows: runs, oddInput, evenTerm: new Float64Array(runs), baseTerm: new Float64Array(runs), valid: false };
    },
    logUnnormalised(beta: number, st: DBMPathState, out: Float64Array): void {
      refresh(st);
      const rows = st.rows;
      for (let r = 0; r < rows; r++) out[r] = beta * st.evenTerm[r] + (1 - beta) * st.baseTerm[r];
      if (sums.length < rows) sums = new Float64Array(rows);
      for (let l = 1; l <= L; l += 2) {
        softplusAtBeta(sums, st.oddInput[l], beta, baseOf(l), rows, sizes[l], tmp);
        for (let r = 0; r < rows; r++) out[r] += sums[r];
      }
    },
    transition(beta: number, st: DBMPathState, rng: Random): void {
      refresh(st);
      const rows = st.rows, x = st.x;
      // odd layers given the even ones (cached inputs), then the even ones given the odd ones
      for (let l = 1; l <= L; l += 2) sampleAtBeta(x[l], st.oddInput[l], beta, baseOf(l), rows, sizes[l], rng, tmp);
      for (let l = 0; l <= L; l += 2) {
        layerInput(tmp, l, l > 0 ? x[l - 1] : null, l < L ? x[l + 1] : null, rows);
        sampleAtBeta(x[l], tmp, beta, baseOf(l), rows, sizes[l], rng, tmp);
      }
      st.valid = false;
    },
  };
}

/**
 * Estimates `log Z` of a DBM by annealed importance sampling with the odd layers
 * summed out (see {@link dbmAISPath}). Defaults as `annealedImportanceSampling`:
 * the 14 500-step schedule and 100 runs.
 *
 * @param dbm - a DBM
 * @param options - schedule, runs, generator (default: the model's stream `dbm.random`), base model
 * @returns the estimate with ±3σ bounds and effective sample size
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmAIS, aisSchedule } from 'boltzmann';
 * dbmAIS(new DBM([6, 4, 3], { rng: 1 }), { betas: aisSchedule(10, 40, 100), runs: 10, rng: 2 }).logZ;
 * ```
 * @category Evaluation
 */
export function dbmAIS(dbm: DBM, options?: DBMAISOptions): AISResult {
  const work = dbmAISWorkChecked('dbmAIS', dbm, options);
  work.advance(work.total);
  return work.result();
}

/**
 * The asynchronous form of {@link dbmAIS}: the same numbers (bit for bit), with
 * a pause for the event loop every few milliseconds, so that an `AbortSignal`
 * aborted by a timer or an event stops it within a β step or two.
 *
 * @param dbm - a DBM
 * @param options - as {@link dbmAIS} (`signal`, `onProgress` per β step)
 * @returns the estimate
 * @throws the signal's reason when aborted; TypeError | {@link ShapeError} | RangeError on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmAISAsync, aisSchedule } from 'boltzmann';
 * const r = await dbmAISAsync(new DBM([6, 4, 3], { rng: 1 }), { betas: aisSchedule(10, 40, 100), runs: 10, rng: 2 });
 * ```
 * @category Evaluation
 */
export function dbmAISAsync(dbm: DBM, options?: DBMAISOptions): Promise<AISResult> {
  const work = dbmAISWorkChecked('dbmAISAsync', dbm, options);
  return runStepped(work, { signal: options?.signal });
}

/**
 * {@link dbmAIS} as {@link SteppedWork} of one unit per β step (for {@link runStepped}).
 *
 * @param dbm - a DBM
 * @param options - as {@link dbmAIS}
 * @returns the stepped computation
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmAISWork, aisSchedule } from 'boltzmann';
 * const work = dbmAISWork(new DBM([6, 4, 3], { rng: 1 }), { betas: aisSchedule(10, 40, 100), runs: 10, rng: 2 });
 * work.advance(work.total);
 * work.result().logZ;
 * ```
 * @category Evaluation
 */
export function dbmAISWork(dbm: DBM, options?: DBMAISOptions): SteppedWork<AISResult> {
  return dbmAISWorkChecked('dbmAISWork', dbm, options);
}

function dbmAISWorkChecked(where: string, dbm: DBM, options: DBMAISOptions | undefined): SteppedWork<AISResult> {
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM (got ${describeValue(dbm)})`);
  const o = checkOptionsKeys(where, options, AIS_KEYS);
  const nV = dbm.nVisible;
  // every run keeps a state of every unit
  const runs = o.runs === undefined ? 100 : checkSize(where, 'runs', o.runs);
  checkElements(where, 'runs × units', runs, dbm.sizes.reduce((a, b) => a + b, 0));
  let bA: Float64Array;
  if (o.base === undefined) bA = new Float64Array(nV);
  else if (o.base instanceof Float64Array) bA = checkVector(where, 'base', o.base, nV);
  else {
    const data = checkBatch(where, 'base', toMatrix(where, 'base', o.base, nV), nV, 'unit');
    bA = new Float64Array(nV);
    logitMeans(bA, data);
  }
  const { base: _b, rng, sumOut, hiddenBase, ...rest } = o;
  const path = dbmAISPath(dbm, bA, sumOut === undefined ? 'odd' : sumOut, hiddenBase) as AISPath<unknown>;
  const work = annealedImportanceSamplingWork(path, { ...rest, rng: rng === undefined ? dbm.random : rng });
  const weights = dbm.weights.map((w) => w.data);
  return {
    total: work.total,
    get done() {
      return work.done;
    },
    // the weights resident in the pool (one copy, their strips packed once) for each stretch of β steps
    advance: (units: number): void => withResident(weights, [], () => work.advance(units)),
    result: () => work.result(),
  };
}

/** What {@link dbmVariationalBound} returns.
 * @category Evaluation
 */
export interface DBMBound {
  /** Mean bound (nats per row) with the point estimate of `log Z`. */
  mean: number;
  /** Mean bound at the upper end of the `log Z` interval (lower likelihood). */
  lower: number;
  /** Mean bound at the lower end of the `log Z` interval. */
  upper: number;
  /** Per-row bound with the point estimate. */
  perRow: Float64Array;
  /** Mean of `−E_q[E(v, h)] + H(q)`, the bound before subtracting `log Z`. */
  meanUnnormalised: number;
}

/** Binary entropy `−p log p − (1−p) log(1−p)` (0 at the ends). */
function entropy(p: number): number {
  let h = 0;
  if (p > 0) h -= p * log(p);
  if (p < 1) h -= (1 - p) * log(1 - p);
  return h;
}

/**
 * The mean-field variational lower bound on `log P(v)` of each row:
 * `−E_q[E(v, h)] + H(q) − log Z` (see the module notes). With an AIS estimate
 * of `log Z` it is an estimate of a lower bound (Salakhutdinov & Hinton 2009).
 *
 * @param dbm - the model
 * @param input - `[n, nVisible]` binary rows
 * @param logZ - a number or an {@link AISResult} (its ±3σ interval gives `lower`/`upper`)
 * @param options - mean-field settings (default 30 sweeps, tolerance 1e-6)
 * @returns the bound, mean and per row
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmVariationalBound, dbmExactLogPartition, fromArrays } from 'boltzmann';
 * const dbm = new DBM([3, 2, 2], { rng: 1 });
 * dbmVariationalBound(dbm, fromArrays([[1, 0, 1]]), dbmExactLogPartition(dbm)).mean < 0; // true
 * ```
 * @category Evaluation
 */
export function dbmVariationalBound(dbm: DBM, input: DataInput, logZ: number | AISResult, options?: MeanFieldOptions): DBMBound {
  const where = 'dbmVariationalBound';
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM`);
  const data = checkBatch(where, 'data', toMatrix(where, 'data', input, dbm.nVisible), dbm.nVisible, 'unit');
  if (data.rows === 0) throw new RangeError(`${where}: data must have at least one row`);
  const { maxIterations, tolerance } = readMeanField(where, options);
  let lz: number, lzLo: number, lzHi: number;
  if (typeof logZ === 'number') lz = lzLo = lzHi = checkFinite(where, 'logZ', logZ);
  else if (logZ !== null && typeof logZ === 'object' && typeof logZ.logZ === 'number') {
    lz = checkFinite(where, 'logZ.logZ', logZ.logZ);
    // the interval's ends: numbers (the lower one is −∞ when the interval reaches 0)
    for (const key of ['logZLower', 'logZUpper'] as const) {
      const v: unknown = logZ[key];
      if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: logZ.${key} must be a number (got ${describeValue(v)})`);
    }
    lzLo = logZ.logZLower;
    lzHi = logZ.logZUpper;
  } else throw new TypeError(`${where}: logZ must be a number or an AISResult (got ${describeValue(logZ)})`);
  const sizes = dbm.sizes, L = sizes.length - 1, nV = sizes[0];
  const chunk = Math.min(500, data.rows);
  const mu = sizes.map((n) => new Float64Array(chunk * n));
  const tmp = new Float64Array(chunk * Math.max(...sizes));
  const perRow = new Float64Array(data.rows);
  let total = 0;
  for (let start = 0; start < data.rows; start += chunk) {
    const rows = Math.min(chunk, data.rows - start);
    mu[0].set(data.data.subarray(start * nV, (start + rows) * nV));
    dbm.meanFieldUnchecked(mu, mu[0], rows, maxIterations, tolerance, tmp);
    for (let l = 0; l <= L; l++) {
      // μ_l · (b_l + μ_{l−1}W_l): each edge once; plus the entropy of hidden layers.
      dbm.layerInputUnchecked(tmp, l, l > 0 ? mu[l - 1] : null, null, rows);
      const n = sizes[l], m = mu[l];
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * n;
        for (let j = 0; j < n; j++) {
          s += m[o + j] * tmp[o + j];
          if (l > 0) s += entropy(m[o + j]);
        }
        perRow[start + r] += s;
      }
    }
  }
  for (let r = 0; r < data.rows; r++) total += perRow[r];
  const meanU = total / data.rows;
  // the mean of the returned per-row bounds, summed in row order, then divided (score.mean is the mean of scoreSamples)
  let sum = 0;
  for (let r = 0; r < data.rows; r++) sum += perRow[r] -= lz;
  const mean = sum / data.rows;
  return { mean, lower: mean - (lzHi - lz), upper: mean + (lz - lzLo), perRow, meanUnnormalised: meanU };
}

/**
 * A lower bound on a DBM's `log Z` that needs no sampling theory: for every binary
 * `v`, the mean-field bound `B(v) = −E_q[E(v, h)] + H(q) ≤ log Σ_h e^{−E(v, h)}`, so
 * `log Z ≥ log Σ_{distinct v ∈ S} e^{B(v)}`, with `S` the blank (all-zero) image plus
 * every row of `sets` (binarised at 0.5 and deduplicated). An AIS estimate whose whole
 * interval lies below it has missed probability mass, e.g. a spurious mode at the
 * blank image that CD-1 pretraining leaves and that AIS runs from the data's base
 * rates never reach.
 *
 * @param dbm - the model
 * @param sets - matrices of visible states, `[n, nVisible]` each (data, chain states)
 * @param options - mean-field settings (default 30 sweeps, tolerance 1e-6); any number
 *   of sweeps gives a valid bound, more sweeps a tighter one
 * @returns the bound, the number of distinct states and the best state (`bestNegFreeEnergy` is its `B`)
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { DBM, dbmLogZLowerBound, dbmExactLogPartition, fromArrays } from 'boltzmann';
 * const dbm = new DBM([4, 3, 2], { rng: 1, weightStd: 1 });
 * dbmLogZLowerBound(dbm, [fromArrays([[1, 0, 1, 0]])]).logZLowerBound <= dbmExactLogPartition(dbm); // true
 * ```
 * @category Evaluation
 */
export function dbmLogZLowerBound(dbm: DBM, sets: readonly DataInput[], options?: MeanFieldOptions): LogZLowerBound {
  const where = 'dbmLogZLowerBound';
  if (!(dbm instanceof DBM)) throw new TypeError(`${where}: dbm must be a DBM`);
  if (!Array.isArray(sets)) throw new TypeError(`${where}: sets must be an array of matrices`);
  const nV = dbm.nVisible;
  const ms: Matrix[] = sets.map((m, i) => checkBatch(where, `sets[${i}]`, toMatrix(where, `sets[${i}]`, m, nV), nV, 'real'));
  readMeanField(where, options);
  const { bin, rows, index } = distinctBinaryStates(nV, ms);
  const b = dbmVariationalBound(dbm, { rows, cols: nV, data: bin }, 0, options).perRow;
  let best = Number.NEGATIVE_INFINITY, bestIndex = -1;
  for (let i = 0; i < rows; i++) {
    if (b[i] > best) {
      best = b[i];
      bestIndex = index[i];
    }
  }
  return { logZLowerBound: logSumExp(b), states: rows, bestNegFreeEnergy: best, bestIndex };
}

/**
 * @internal {@link dbmLogZLowerBound} over the blank image and the rows of `rows` when their
 * `B(v)` are known (`unnormalised[r]`, e.g. a score's per-row bound plus its `log Z`): no second
 * mean-field pass (rows that are not exactly 0/1 are binarised and bounded afresh). Returns the
 * bound and `B(blank)`; `meanField` as {@link dbmVariationalBound}.
 */
export function dbmLogZFloorFrom(dbm: DBM, rows: Matrix, unnormalised: ArrayLike<number>, meanField?: MeanFieldOptions): { logZLowerBound: number; blank: number } {
  return logZFloorFromRows(rows, unnormalised, (states) => dbmVariationalBound(dbm, states, 0, meanField).perRow);
}
