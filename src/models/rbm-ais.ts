/**
 * Annealed importance sampling (Neal 2001) for partition functions, as
 * Salakhutdinov & Murray (2008) apply it to RBMs.
 *
 * A path of unnormalised distributions `p*_β`, `β₀ = 0 < β₁ < … < β_K = 1`, from a
 * base model with known `Z_A` to the target. Each run draws `x₁ ~ p_A`, and for
 * `k = 1 … K` multiplies its weight by `p*_{β_k}(x_k) / p*_{β_{k−1}}(x_k)` and moves
 * `x_{k+1} ~ T_{β_k}(· | x_k)` (a transition that leaves `p_{β_k}` invariant). Then
 * `E[w] = Z_B / Z_A`, so `log Ẑ_B = log Z_A + log mean(w)`.
 *
 * {@link annealedImportanceSampling} runs any {@link AISPath}; {@link rbmAIS}
 * gives the RBM path: base-rate model with the data's visible marginals and zero
 * weights, geometric path `p*_β(v) = e^{(1−β) b_Aᵀv} · e^{β bᵀv} · Π_j (1 + e^{β (c_j + (vᵀW)_j)})`,
 * Gibbs transitions `h ~ σ(β (c + vᵀW))`, `v ~ σ((1−β) b_A + β (b + W h))`.
 * @module
 */
import { describeValue, NumericalError } from '../errors.js';
import { sigmoid, softplus } from '../linalg/stable.js';
import { sigmoidBernoulli } from '../linalg/wasm/gather.js';
import { type ResidentWeights, residentWeights } from '../linalg/wasm/resident-weights.js';
import { checkBatch, logitMeans, type RBMLike, visibleUnits } from './rbm.js';
import { hiddenToVisible, softplusRowSums, sparseProducts, visibleToHidden } from './rbm-products.js';
import { Random, toRandom } from '../random/random.js';
import { checkElements, checkInt, checkOptionsKeys, checkPositiveInt, checkSize, checkVector, type DataInput, LIMITS, optionKeys } from '../validate.js';
import { checkAbortSignal, checkCallback } from '../train/checks.js';
import { getKernel, withResident, withThreads } from '../linalg/kernel.js';
import { tsKernel, withExactGatherDensity } from '../linalg/ts-kernel.js';
import { exp, log } from '../math/elementary.js';
import { runStepped, type SteppedWork } from './fit-async.js';

/**
 * An annealing path for {@link annealedImportanceSampling}, over a batch of runs
 * held in a state of type `S` (e.g. a `[runs, n]` matrix).
 * @category Evaluation
 */
export interface AISPath<S> {
  /** `log Z` of the base distribution (β = 0). */
  readonly logZBase: number;
  /** Draws `runs` exact samples of the base distribution. */
  sampleBase(runs: number, rng: Random): S;
  /** `out[r] = log p*_β(state_r)` for every run (unnormalised). */
  logUnnormalised(beta: number, state: S, out: Float64Array): void;
  /** Moves every run by one transition that leaves `p_β` invariant. */
  transition(beta: number, state: S, rng: Random): void;
}

/** Options of {@link annealedImportanceSampling}.
 * @category Evaluation
 */
export interface AISOptions {
  /** Inverse temperatures from 0 to 1, non-decreasing. Default {@link aisSchedule}`()` (14 500 steps). */
  betas?: Float64Array;
  /** Independent runs. Default `100`. */
  runs?: number;
  /** Seed or generator (required: a free function has no stream of its own to continue). */
  rng: number | Random;
  /** Stops between β steps when aborted (throws the signal's reason). */
  signal?: AbortSignal;
  /** Called after every β step with the steps done and the total. */
  onProgress?: (done: number, total: number) => void;
}

const AIS_KEYS = optionKeys<AISOptions>()({ betas: true, runs: true, rng: true, signal: true, onProgress: true });

/** The estimate of an AIS run.
 * @category Evaluation
 */
export interface AISResult {
  /** `log Ẑ = log Z_A + log mean(w)`. */
  logZ: number;
  /** `log(mean(w) − 3·stderr(w)) + log Z_A` (−∞ when the interval reaches 0). */
  logZLower: number;
  /** `log(mean(w) + 3·stderr(w)) + log Z_A`. */
  logZUpper: number;
  /** Effective sample size `(Σw)² / Σw²` of the importance weights (1 … runs). */
  effectiveSampleSize: number;
  /** The log importance weights of every run. */
  logWeights: Float64Array;
  /** `log Z` of the base model. */
  logZBase: number;
  /** Number of runs. */
  runs: number;
  /** Number of β steps (transitions). */
  steps: number;
}

/**
 * Salakhutdinov & Murray's (2008) β schedule: `a` steps evenly spaced over
 * [0, 0.5), `b` over [0.5, 0.9), `c` over [0.9, 1], ending at exactly 1.
 * The defaults give their 14 500 steps (14 501 values).
 *
 * @param a - steps in [0, 0.5) (default 500)
 * @param b - steps in [0.5, 0.9) (default 4000)
 * @param c - steps in [0.9, 1] (default 10000)
 * @returns the β values, `a + b + c + 1` of them, from 0 to 1
 * @throws {RangeError} on a non-positive count
 * @example
 * ```ts
 * import { aisSchedule } from 'boltzmann';
 * aisSchedule().length; // 14501
 * aisSchedule(5, 40, 100).length; // 146
 * ```
 * @category Evaluation
 */
export function aisSchedule(a = 500, b = 4000, c = 10000): Float64Array {
  checkPositiveInt('aisSchedule', 'a', a);
  checkPositiveInt('aisSchedule', 'b', b);
  checkPositiveInt('aisSchedule', 'c', c);
  if (a + b + c + 1 > LIMITS.maxSteps) {
    throw new RangeError(`aisSchedule: a + b + c + 1 must be at most ${LIMITS.maxSteps} (LIMITS.maxSteps) (got ${a + b + c + 1})`);
  }
  const out = new Float64Array(a + b + c + 1);
  let k = 0;
  for (let i = 0; i < a; i++) out[k++] = (0.5 * i) / a;
  for (let i = 0; i < b; i++) out[k++] = 0.5 + (0.4 * i) / b;
  for (let i = 0; i < c; i++) out[k++] = 0.9 + (0.1 * i) / c;
  out[k] = 1;
  return out;
}

function checkBetas(where: string, betas: unknown): Float64Array {
  const b = checkVector(where, 'betas', betas);
  if (b.length < 2 || b[0] !== 0 || b[b.length - 1] !== 1) {
    throw new RangeError(`${where}: betas must start at 0 and end at 1 with at least 2 values (got ${describeValue(b)})`);
  }
  for (let i = 1; i < b.length; i++) {
    if (!(b[i] >= b[i - 1]) || !(b[i] <= 1)) {
      throw new RangeError(`${where}: betas must be non-decreasing in [0, 1] (got ${b[i]} after ${b[i - 1]} at index ${i})`);
    }
  }
  return b;
}

/** Summarises log weights into an {@link AISResult}. */
function summarise(logW: Float64Array, logZBase: number, steps: number): AISResult {
  const n = logW.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logW[i] > max) max = logW[i];
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const w = exp(logW[i] - max);
    s += w;
    s2 += w * w;
  }
  const mean = s / n;
  // Sample standard deviation of the (scaled) weights, then the standard error of the mean.
  const variance = n > 1 ? Math.max(0, (s2 - n * mean * mean) / (n - 1)) : 0;
  const se = Math.sqrt(variance / n);
  const base = logZBase + max;
  if (!Number.isFinite(base + log(mean))) {
    throw new NumericalError(
      `annealedImportanceSampling: log Ẑ is ${base + log(mean)}: the importance weights leave float64's range for these parameters (weights or biases near ±1e308)`,
    );
  }
  return {
    logZ: base + log(mean),
    logZLower: mean - 3 * se > 0 ? base + log(mean - 3 * se) : -Infinity,
    logZUpper: base + log(mean + 3 * se),
    effectiveSampleSize: (s * s) / s2,
    logWeights: logW,
    logZBase,
    runs: n,
    steps,
  };
}

/**
 * Runs annealed importance sampling along `path`.
 *
 * @param path - the annealing path (see {@link AISPath})
 * @param options - β schedule, runs, generator (required), abort signal
 * @returns the estimate with ±3σ bounds and the effective sample size
 * @throws {RangeError | TypeError} on a bad schedule, run count, generator, path, `signal` or `onProgress`
 * @example
 * ```ts
 * import { annealedImportanceSampling, aisSchedule } from 'boltzmann';
 * // A one-unit path from p_A(x) ∝ 1 to p_B(x) ∝ e^{2x}, x ∈ {0, 1}: Z_B = 1 + e².
 * const path = {
 *   logZBase: Math.log(2),
 *   sampleBase: (runs: number, rng: { float64(): number }) => Float64Array.from({ length: runs }, () => (rng.float64() < 0.5 ? 1 : 0)),
 *   logUnnormalised: (b: number, x: Float64Array, out: Float64Array) => { for (let i = 0; i < x.length; i++) out[i] = 2 * b * x[i]; },
 *   transition: (b: number, x: Float64Array, rng: { float64(): number }) => { for (let i = 0; i < x.length; i++) x[i] = rng.float64() < 1 / (1 + Math.exp(-2 * b)) ? 1 : 0; },
 * };
 * const r = annealedImportanceSampling(path, { betas: aisSchedule(10, 10, 10), runs: 50, rng: 1 });
 * r.logZ; // ≈ 2.09, with [r.logZLower, r.logZUpper] ≈ [2.01, 2.16] around the exact log(1 + e²) = 2.127
 * ```
 * @category Evaluation
 */
export function annealedImportanceSampling<S>(path: AISPath<S>, options: AISOptions): AISResult {
  const work = aisWorkChecked('annealedImportanceSampling', path, options);
  work.advance(work.total);
  return work.result();
}

/**
 * Annealed importance sampling along `path` as {@link SteppedWork} of one unit
 * per β step, for {@link runStepped} (the base samples are drawn now). Driven
 * to the end it gives exactly {@link annealedImportanceSampling}'s result.
 *
 * @param path - the annealing path (see {@link AISPath})
 * @param options - as {@link annealedImportanceSampling}
 * @returns the stepped computation
 * @throws {RangeError | TypeError} on a bad schedule, run count, generator, path, `signal` or `onProgress`
 * @example
 * ```ts
 * import { RBM, annealedImportanceSamplingWork, aisSchedule } from 'boltzmann';
 * import { rbmAISPath } from 'boltzmann/base';
 * const work = annealedImportanceSamplingWork(rbmAISPath(new RBM(6, 4, { rng: 1 }), new Float64Array(6)), { betas: aisSchedule(5, 20, 50), rng: 2 });
 * while (work.done < work.total) work.advance(10);
 * work.result().logZ;
 * ```
 * @category Evaluation
 */
export function annealedImportanceSamplingWork<S>(path: AISPath<S>, options: AISOptions): SteppedWork<AISResult> {
  return aisWorkChecked('annealedImportanceSamplingWork', path, options);
}

/**
 * The asynchronous form of {@link annealedImportanceSampling}: the same
 * numbers, with a pause for the event loop every few milliseconds so that a
 * signal aborted by a timer or an event stops it within a β step or two.
 *
 * @param path - the annealing path (see {@link AISPath})
 * @param options - as {@link annealedImportanceSampling}
 * @returns the estimate
 * @throws the signal's reason when aborted; RangeError | TypeError on bad options
 * @example
 * ```ts
 * import { RBM, annealedImportanceSamplingAsync, aisSchedule } from 'boltzmann';
 * import { rbmAISPath } from 'boltzmann/base';
 * const path = rbmAISPath(new RBM(6, 4, { rng: 1 }), new Float64Array(6));
 * const r = await annealedImportanceSamplingAsync(path, { betas: aisSchedule(5, 20, 50), rng: 2, signal: AbortSignal.timeout(60_000) });
 * ```
 * @category Evaluation
 */
export function annealedImportanceSamplingAsync<S>(path: AISPath<S>, options: AISOptions): Promise<AISResult> {
  const work = aisWorkChecked('annealedImportanceSamplingAsync', path, options);
  return runStepped(work, { signal: options.signal });
}

/**
 * The β schedule of `steps` steps (≥ 3) in Salakhutdinov & Murray's proportions (1/29 of
 * them over [0, 0.5), 8/29 over [0.5, 0.9), the rest over [0.9, 1]): what the models'
 * `aisBetas` score option asks for. @internal
 */
export function aisScheduleOfLength(steps: number): Float64Array {
  const a = Math.max(1, Math.round(steps / 29));
  const b = Math.max(1, Math.round((8 * steps) / 29));
  return aisSchedule(a, b, Math.max(1, steps - a - b));
}

/** The checked stepped AIS computation (one unit per β step). */
function aisWorkChecked<S>(where: string, path: AISPath<S>, options: AISOptions): SteppedWork<AISResult> {
  const o = checkOptionsKeys(where, options, AIS_KEYS);
  const betas = o.betas === undefined ? aisSchedule() : checkBetas(where, o.betas);
  const runs = o.runs === undefined ? 100 : checkSize(where, 'runs', o.runs);
  if (o.rng === undefined) throw new TypeError(`${where}: options.rng (a seed or a Random) is required`);
  const onProgress = checkCallback<(done: number, total: number) => void>(where, 'onProgress', o.onProgress);
  const signal = checkAbortSignal(where, o.signal);
  const rng = toRandom(o.rng, where);
  const p = path as Partial<AISPath<S>> | null;
  if (
    p === null ||
    typeof p !== 'object' ||
    typeof p.sampleBase !== 'function' ||
    typeof p.logUnnormalised !== 'function' ||
    typeof p.transition !== 'function' ||
    typeof p.logZBase !== 'number'
  ) {
    throw new TypeError(`${where}: path must be an AISPath { logZBase, sampleBase, logUnnormalised, transition } (got ${describeValue(path)})`);
  }
  const logW = new Float64Array(runs);
  const cur = new Float64Array(runs);
  const prev = new Float64Array(runs);
  const state = path.sampleBase(runs, rng);
  const K = betas.length - 1;
  let k = 1;
  return {
    total: K,
    get done() {
      return k - 1;
    },
    advance(units: number): void {
      const end = Math.min(K, k - 1 + units);
      for (; k <= end; k++) {
        if (signal?.aborted) throw signal.reason ?? new Error(`${where}: aborted`);
        const bPrev = betas[k - 1], b = betas[k];
        if (b !== bPrev) {
          path.logUnnormalised(b, state, cur);
          path.logUnnormalised(bPrev, state, prev);
          for (let r = 0; r < runs; r++) logW[r] += cur[r] - prev[r];
        }
        if (k < K) path.transition(b, state, rng);
        onProgress?.(k, K);
      }
    },
    result(): AISResult {
      if (k <= K) throw new Error(`${where}: result() before the last β step (${k - 1} of ${K} done)`);
      return summarise(logW, path.logZBase, K);
    },
  };
}

/** The exact kernels (the TS kernel's bits): under them the path's 0/1 products are always gathered sums (below). */
const EXACT_KERNELS = new Set(['ts', 'wasm-simd-exact', 'wasm-simd-threads-exact']);

/** State of the RBM path: visible rows, their cached hidden pre-activations and the column indices of their ones. */
interface RBMPathState {
  v: Float64Array;
  act: Float64Array;
  actValid: boolean;
  /** Row r's non-zero columns, ascending, at `ones[onesStart[r] … onesStart[r + 1])`. */
  ones: Int32Array;
  onesStart: Int32Array;
  onesValid: boolean;
}

/** Lists the non-zero columns of each visible row (branch-free: every index is written, the count advances past a non-zero). */
function listOnes(s: RBMPathState, rows: number): void {
  const v = s.v, ones = s.ones, start = s.onesStart;
  const nV = v.length / rows;
  let t = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = t;
    const o = r * nV;
    for (let i = 0; i < nV; i++) {
      ones[t] = i;
      t += v[o + i] !== 0 ? 1 : 0;
    }
  }
  start[rows] = t;
  s.onesValid = true;
}

/** Options of {@link rbmAIS}.
 * @category Evaluation
 */
export interface RBMAISOptions extends Omit<AISOptions, 'rng'> {
  /** Seed or generator. Default: the model's stream (`model.random`), continued. */
  rng?: number | Random;
  /**
   * Visible biases `b_A` of the base-rate model, or training data (any
   * {@link DataInput}) whose clipped column means give `b_A = log(p/(1−p))`.
   * Default: zeros (uniform base model).
   */
  base?: Float64Array | DataInput;
  /**
   * Worker threads for the products (see `withThreads`): the dense h·Wᵀ of
   * the early, high-temperature steps splits over them. The numbers do not
   * depend on it. Default: automatic (the pool starts for large models in Node).
   */
  threads?: number;
}

const RBM_AIS_KEYS = optionKeys<RBMAISOptions>()({ betas: true, runs: true, rng: true, signal: true, onProgress: true, base: true, threads: true });

/**
 * The AIS path of Salakhutdinov & Murray (2008) for a binary RBM (hidden units
 * summed out): base-rate model with visible biases `baseBias`, zero weights and
 * zero hidden biases, so `log Z_A = Σ_i softplus(b_A,i) + nHidden·log 2`.
 *
 * @param model - binary RBM
 * @param baseBias - `b_A`, length `nVisible`
 * @returns the path (for {@link annealedImportanceSampling})
 * @throws {TypeError | ShapeError} on bad arguments
 * @example
 * ```ts
 * import { RBM, annealedImportanceSampling, aisSchedule } from 'boltzmann';
 * import { rbmAISPath } from 'boltzmann/base';
 * const rbm = new RBM(6, 4, { rng: 1, weightStd: 0.5 });
 * const path = rbmAISPath(rbm, new Float64Array(6));
 * annealedImportanceSampling(path, { betas: aisSchedule(50, 200, 500), runs: 20, rng: 2 }).logZ;
 * ```
 * @category Evaluation
 */
export function rbmAISPath(model: RBMLike, baseBias: Float64Array): AISPath<RBMPathState> {
  const where = 'rbmAISPath';
  if (model === null || typeof model !== 'object' || model.visibleType !== 'binary') {
    throw new TypeError(`${where}: model must be an RBM with binary visible units`);
  }
  const nV = model.nVisible, nH = model.nHidden;
  const bA = new Float64Array(checkVector(where, 'baseBias', baseBias, nV));
  let logZBase = nH * Math.LN2;
  for (let i = 0; i < nV; i++) logZBase += softplus(bA[i]);
  const pA = bA.map(sigmoid);
  const W = model.weights.data, b = model.visibleBias, c = model.hiddenBias;
  const zeroBias = new Float64Array(nV);
  let h = new Float64Array(0);
  let mix = new Float64Array(0);
  let sums = new Float64Array(0);
  const coef = new Float64Array(nV);
  const mixBase = new Float64Array(nV);
  const mixOwn = new Float64Array(nV);
  let Wt = new Float64Array(0); // Wᵀ, taken at the start of each run (sampleBase)
  /** W and Wᵀ resident for the gathered products (taken at the start of each run; null where the module does not compile). */
  let resident: ResidentWeights | null | undefined;
  const residentNow = (): ResidentWeights | null => (resident ??= residentWeights([model.weights]));
  /**
   * `out = bias + a·B` for 0/1 rows `a` (B = W, or Wᵀ when `transposed`) as gathered sums in
   * ascending p at any density — the naive product's bits — under the exact kernels: on one
   * thread over the resident weights here, on the TS kernel and the pool through the kernel with
   * no density limit ({@link withExactGatherDensity}; rbmAIS keeps `W` resident in the pool for
   * each stretch of β steps). False under other kernels: the caller runs the product as before.
   */
  const gathered = (out: Float64Array, a: Float64Array, rows: number, transposed: boolean, bias: Float64Array): boolean => {
    if (!sparseProducts.enabled) return false;
    const name = getKernel().name;
    const rw = name === 'wasm-simd-exact' ? residentNow() : null;
    if (rw !== null) {
      for (let r = 0; r < rows; r++) out.set(bias, r * (transposed ? nV : nH));
      if (rw.accumulate(out, a, rows, 0, transposed)) return true;
    }
    if (!EXACT_KERNELS.has(name)) return false;
    withExactGatherDensity(1, () => {
      if (!transposed) visibleToHidden(out, a, rows, W, bias, nV, nH, true);
      // the TS kernel sums rows of Wᵀ (contiguous); the pool reads W's transposed strips
      else hiddenToVisible(out, a, rows, W, bias, nV, nH, true, name === tsKernel.name ? Wt : undefined);
    });
    return true;
  };
  const ensureAct = (s: RBMPathState, rows: number): void => {
    if (s.actValid) return;
    const name = sparseProducts.enabled ? getKernel().name : '';
    // V·W over the ones listed for the visible term anyway: no copy of V, no csr; on one thread
    // in the pool too (V has 1–13% ones along the MNIST path, and copying it into the pool's
    // memory cost more than the second thread saved: 0.2 ms a β step)
    const rw = name === 'wasm-simd-exact' || name === 'wasm-simd-threads-exact' ? residentNow() : null;
    if (rw !== null) {
      if (!s.onesValid) listOnes(s, rows);
      for (let r = 0; r < rows; r++) s.act.set(c, r * nH);
      if (rw.accumulateOnes(s.act, s.ones, s.onesStart, rows, 0)) {
        s.actValid = true;
        return;
      }
    }
    if (!gathered(s.act, s.v, rows, false, c)) visibleToHidden(s.act, s.v, rows, W, c, nV, nH, true);
    s.actValid = true;
  };
  return {
    logZBase,
    sampleBase(runs: number, rng: Random): RBMPathState {
      const v = new Float64Array(runs * nV);
      for (let r = 0; r < runs; r++) for (let i = 0; i < nV; i++) v[r * nV + i] = rng.float64() < pA[i] ? 1 : 0;
      h = new Float64Array(runs * nH);
      mix = new Float64Array(runs * nV);
      if (Wt.length !== nV * nH) Wt = new Float64Array(nV * nH);
      for (let i = 0; i < nV; i++) for (let j = 0; j < nH; j++) Wt[j * nV + i] = W[i * nH + j];
      resident = undefined;
      return { v, act: new Float64Array(runs * nH), actValid: false, ones: new Int32Array(runs * nV), onesStart: new Int32Array(runs + 1), onesValid: false };
    },
    logUnnormalised(beta: number, s: RBMPathState, out: Float64Array): void {
      const rows = out.length;
      ensureAct(s, rows);
      // Σ_j softplus(β·act_j) per run: softplusSum's bits, its exponentials in SIMD
      if (sums.length !== rows) sums = new Float64Array(rows);
      softplusRowSums(sums, s.act, rows, nH, beta);
      // the visible term's coefficients (1−β)·b_A,i + β·b_i, once per call, summed over each
      // run's non-zeros in ascending i (listed once per state: both calls of a β step read them)
      for (let i = 0; i < nV; i++) coef[i] = (1 - beta) * bA[i] + beta * b[i];
      if (!s.onesValid) listOnes(s, rows);
      const ones = s.ones, start = s.onesStart;
      for (let r = 0; r < rows; r++) {
        let x = 0;
        for (let t = start[r], e = start[r + 1]; t < e; t++) x += coef[ones[t]];
        out[r] = x + sums[r];
      }
    },
    transition(beta: number, s: RBMPathState, rng: Random): void {
      const rows = s.v.length / nV;
      ensureAct(s, rows);
      const act = s.act, v = s.v;
      // h_i = [u_i < σ(β·act_i)] with u_i = rng.float64(), in order: σ and the draws in SIMD (the same bits and stream)
      sigmoidBernoulli(h, act, rows * nH, beta, rng);
      // visible input (1−β) b_A + β (b + W h) = β·(W h) + [(1−β) b_A + β b]
      if (!gathered(mix, h, rows, true, zeroBias)) hiddenToVisible(mix, h, rows, W, zeroBias, nV, nH, true, Wt);
      // (β·m + (1−β)·b_A,i) + β·b_i, its two products taken once per call (the same values)
      const m = mix, base = mixBase, own = mixOwn;
      for (let i = 0; i < nV; i++) {
        base[i] = (1 - beta) * bA[i];
        own[i] = beta * b[i];
      }
      for (let r = 0; r < rows; r++) {
        const o = r * nV;
        for (let i = 0; i < nV; i++) m[o + i] = beta * m[o + i] + base[i] + own[i];
      }
      // v_i = [u_i < σ(mix_i)], the same way
      sigmoidBernoulli(v, mix, rows * nV, 1, rng);
      s.actValid = false;
      s.onesValid = false;
    },
  };
}

/**
 * Estimates `log Z` of a binary RBM by annealed importance sampling along the
 * path of Salakhutdinov & Murray (2008) (see {@link rbmAISPath}).
 * Defaults: their 14 500-step schedule ({@link aisSchedule}) and 100 runs.
 *
 * @param model - binary RBM
 * @param options - schedule, runs, generator (default: the model's stream), and the base-rate model (`base`)
 * @returns the estimate, ±3σ bounds and effective sample size
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { RBM, rbmAIS, aisSchedule, fromArrays } from 'boltzmann';
 * const data = fromArrays([[1, 0, 1, 0], [0, 1, 0, 1]]);
 * const rbm = new RBM(4, 3, { rng: 1, data });
 * rbmAIS(rbm, { base: data, betas: aisSchedule(20, 80, 200), runs: 20, rng: 2 }).logZ;
 * ```
 * @category Evaluation
 */
export function rbmAIS(model: RBMLike, options?: RBMAISOptions): AISResult {
  const work = rbmAISWorkChecked('rbmAIS', model, options);
  work.advance(work.total);
  return work.result();
}

/**
 * {@link rbmAIS} as {@link SteppedWork} of one unit per β step, for
 * {@link runStepped} (a command line or a page drives it between events).
 * Driven to the end it gives exactly {@link rbmAIS}'s result.
 *
 * @param model - binary RBM
 * @param options - as {@link rbmAIS}
 * @returns the stepped computation
 * @throws {TypeError | ShapeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { RBM, rbmAISWork, aisSchedule } from 'boltzmann';
 * const work = rbmAISWork(new RBM(6, 4, { rng: 1 }), { betas: aisSchedule(5, 20, 50), runs: 10, rng: 2 });
 * work.advance(work.total);
 * work.result().logZ;
 * ```
 * @category Evaluation
 */
export function rbmAISWork(model: RBMLike, options?: RBMAISOptions): SteppedWork<AISResult> {
  return rbmAISWorkChecked('rbmAISWork', model, options);
}

/**
 * The asynchronous form of {@link rbmAIS}: the same numbers (bit for bit),
 * with a pause for the event loop every few milliseconds, so that an
 * `AbortSignal` aborted by a timer, a button or Ctrl-C stops it within a β
 * step or two and a page stays responsive.
 *
 * @param model - binary RBM
 * @param options - as {@link rbmAIS} (`signal`, `onProgress` per β step)
 * @returns the estimate
 * @throws the signal's reason when aborted; TypeError | {@link ShapeError} | RangeError on bad arguments
 * @example
 * ```ts
 * import { RBM, rbmAISAsync, aisSchedule } from 'boltzmann';
 * const rbm = new RBM(6, 4, { rng: 1 });
 * const r = await rbmAISAsync(rbm, { betas: aisSchedule(5, 20, 50), runs: 10, rng: 2, signal: AbortSignal.timeout(60_000) });
 * ```
 * @category Evaluation
 */
export function rbmAISAsync(model: RBMLike, options?: RBMAISOptions): Promise<AISResult> {
  const work = rbmAISWorkChecked('rbmAISAsync', model, options);
  return runStepped(work, { signal: options?.signal });
}

function rbmAISWorkChecked(where: string, model: RBMLike, options: RBMAISOptions | undefined): SteppedWork<AISResult> {
  const o = checkOptionsKeys(where, options, RBM_AIS_KEYS);
  if (model === null || typeof model !== 'object' || model.visibleType !== 'binary') {
    throw new TypeError(`${where}: model must be an RBM with binary visible units`);
  }
  if (o.rng === undefined && !(model.random instanceof Random)) {
    throw new TypeError(`${where}: the model has no generator stream (random); pass rng`);
  }
  const nV = model.nVisible;
  let bA: Float64Array;
  if (o.base === undefined) bA = new Float64Array(nV);
  else if (o.base instanceof Float64Array) bA = checkVector(where, 'base', o.base, nV);
  else {
    const data = checkBatch(where, 'base', o.base, nV, visibleUnits(model));
    bA = new Float64Array(nV);
    logitMeans(bA, data);
  }
  if (o.betas !== undefined) checkBetas(where, o.betas);
  // every run keeps a visible and a hidden state
  const runs = o.runs === undefined ? 100 : checkSize(where, 'runs', o.runs);
  checkElements(where, 'runs × (nVisible + nHidden)', runs, nV + model.nHidden);
  checkCallback(where, 'onProgress', o.onProgress);
  checkAbortSignal(where, o.signal);
  if (o.rng !== undefined && !(o.rng instanceof Random)) toRandom(o.rng, where);
  const threads = o.threads === undefined ? undefined : checkInt(where, 'threads', o.threads, 1, 64);
  const work = aisWorkChecked(where, rbmAISPath(model, bA), {
    betas: o.betas,
    runs: o.runs,
    signal: o.signal,
    onProgress: o.onProgress,
    rng: o.rng === undefined ? model.random : toRandom(o.rng, where),
  });
  return {
    total: work.total,
    get done() {
      return work.done;
    },
    // W resident in the pool (one copy, its strips packed once) for each stretch of β steps
    advance: (units: number): void => withThreads(threads, () => withResident([model.weights.data], [], () => work.advance(units))),
    result: () => work.result(),
  };
}

/** An average log-likelihood with the values at the ends of the `log Z` interval.
 * @category Evaluation
 */
export interface LogLikelihoodEstimate {
  /** `mean(−F(v)) − log Ẑ` (nats per sample). */
  mean: number;
  /** The value at the upper `log Z` bound. */
  lower: number;
  /** The value at the lower `log Z` bound (+∞ when that bound is −∞). */
  upper: number;
}

/**
 * Average log-likelihood of `data` given a `log Z` estimate:
 * `mean_r(−F(v_r)) − log Ẑ`. With an {@link AISResult}, also the values at its
 * ±3σ bounds (note the upper `log Z` bound gives the lower likelihood).
 *
 * @param model - binary or Gaussian–Bernoulli RBM
 * @param input - `[n, nVisible]` rows (any {@link DataInput})
 * @param logZ - a number or an {@link AISResult}
 * @returns `{ mean, lower, upper }` in nats per sample
 * @throws {ShapeError | RangeError} on bad data
 * @throws {TypeError} when `logZ` is neither a number nor an {@link AISResult}
 * @example
 * ```ts
 * import { RBM, averageLogLikelihood, rbmExactLogPartition } from 'boltzmann';
 * const rbm = new RBM(4, 3, { rng: 1 });
 * averageLogLikelihood(rbm, [[1, 0, 1, 0]], rbmExactLogPartition(rbm)).mean;
 * ```
 * @category Evaluation
 */
export function averageLogLikelihood(
  model: RBMLike,
  input: DataInput,
  logZ: number | AISResult,
): LogLikelihoodEstimate {
  const where = 'averageLogLikelihood';
  if (model === null || typeof model !== 'object' || typeof model.freeEnergyUnchecked !== 'function') {
    throw new TypeError(`${where}: model must be an RBM (got ${describeValue(model)})`);
  }
  const data = checkBatch(where, 'data', input, model.nVisible, visibleUnits(model));
  if (typeof logZ !== 'number' && (logZ === null || typeof logZ !== 'object' || typeof logZ.logZ !== 'number' || typeof logZ.logZLower !== 'number' || typeof logZ.logZUpper !== 'number')) {
    throw new TypeError(`${where}: logZ must be a number or an AISResult (got ${describeValue(logZ)})`);
  }
  if (data.rows === 0) throw new RangeError(`${where}: data must have at least one row`);
  const nH = model.nHidden;
  const chunk = 1000;
  const f = new Float64Array(Math.min(chunk, data.rows));
  const scratch = new Float64Array(f.length * nH);
  let s = 0;
  for (let start = 0; start < data.rows; start += chunk) {
    const rows = Math.min(chunk, data.rows - start);
    model.freeEnergyUnchecked(f, data.data.subarray(start * data.cols, (start + rows) * data.cols), rows, scratch);
    for (let r = 0; r < rows; r++) s -= f[r];
  }
  const meanNegF = s / data.rows;
  if (typeof logZ === 'number') {
    const m = meanNegF - logZ;
    return { mean: m, lower: m, upper: m };
  }
  return { mean: meanNegF - logZ.logZ, lower: meanNegF - logZ.logZUpper, upper: meanNegF - logZ.logZLower };
}
