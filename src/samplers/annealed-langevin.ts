/**
 * Annealed Langevin dynamics (Song & Ermon 2019): unadjusted Langevin chains
 * run down a ladder of noise levels `σ₁ > … > σ_L`, for score-based models
 * (a noise-conditional score `s(x, σ)`) and for any differentiable energy
 * (score `−∇ₓE`).
 * @module
 */
import type { EnergyModel } from '../energy/types.js';
import { describeValue, NumericalError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { exp, log } from '../math/elementary.js';
import { type Random, toRandom } from '../random/random.js';
import {
  checkAllFinite,
  checkBoolean,
  checkElements,
  checkFinite,
  checkInt,
  checkMatrix,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';

/**
 * A noise-conditional score model: `scoreAt(out, x, σ)` writes
 * `s(x_n, σ) ≈ ∇ₓ log p_σ(x_n)` (the score of the data blurred by `N(0, σ²I)`)
 * into row `n` of `out` (`[batch, dimension]`) and returns `out`.
 * @category Sampling
 */
export interface NoiseConditionalScore {
  /** Number of coordinates. */
  readonly dimension: number;
  /**
   * Writes `s(x_n, σ)` for each row of `x` into `out` and returns it. Must not modify `x`.
   * (Named `scoreAt`, not `score`, because models on the contract have a `score(data)` that is a log-likelihood.)
   */
  scoreAt(out: Matrix, x: Matrix, sigma: number): Matrix;
}

/**
 * A batched energy gradient, as {@link EnergyNetwork} and every
 * `ParametricEnergy` have: `inputGradients(out, x)` writes `∇ₓE(x_n)` into
 * row `n` of `out`.
 * @category Sampling
 */
export interface BatchedEnergyGradient {
  /** Number of coordinates. */
  readonly dimension: number;
  /** Writes `∇ₓE(x_n)` for each row of `x` into `out` and returns it. Must not modify `x`. */
  inputGradients(out: Matrix, x: Matrix): Matrix;
}

/**
 * What {@link AnnealedLangevin} samples: a {@link NoiseConditionalScore}
 * (used as is), a {@link BatchedEnergyGradient} or a continuous
 * {@link EnergyModel} with `gradient` (score `−∇ₓE`, the same at every `σ`).
 * @category Sampling
 */
export type AnnealedLangevinTarget = NoiseConditionalScore | BatchedEnergyGradient | EnergyModel;

/** Options of {@link AnnealedLangevin}.
 * @category Sampling
 */
export interface AnnealedLangevinOptions {
  /** The noise ladder, strictly decreasing and positive, at most 2²⁰ levels. Default: {@link geometricNoiseLevels}`(sigmaMax, sigmaMin, levels)`. */
  sigmas?: readonly number[];
  /** Largest noise level `σ₁` of the geometric ladder (ignored with `sigmas`). Default 1. */
  sigmaMax?: number;
  /** Smallest noise level `σ_L` of the geometric ladder (ignored with `sigmas`). Default 0.01. */
  sigmaMin?: number;
  /** Number of levels `L` of the geometric ladder (ignored with `sigmas`). Default 10. */
  levels?: number;
  /** Langevin steps `T` per level (an integer in [1, `LIMITS.maxSteps`]). Default 100. */
  stepsPerLevel?: number;
  /** Base step size `ε`: level `i` uses `αᵢ = ε·σᵢ²/σ_L²`. Default 2e-5 (Song & Ermon's value with `σ_L = 0.01`). */
  stepSize?: number;
  /** After the last level, move every sample to `x + σ_L² s(x, σ_L)` (Tweedie's denoising step). Default false. */
  denoise?: boolean;
  /** Box `[low, high]` (every coordinate) of the uniform chain starts, and of clamping. Default `[-1, 1]`. */
  bounds?: readonly [number, number];
  /** Clamp every step (and the denoised output) to `bounds`. Default false. */
  clamp?: boolean;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
}

const OPTION_KEYS = optionKeys<AnnealedLangevinOptions>()({
  sigmas: true,
  sigmaMax: true,
  sigmaMin: true,
  levels: true,
  stepsPerLevel: true,
  stepSize: true,
  denoise: true,
  bounds: true,
  clamp: true,
  rng: true,
});

/** Options of {@link AnnealedLangevin.sample}.
 * @category Sampling
 */
export interface AnnealedLangevinSampleOptions {
  /** Chain starts `[n, dimension]` (copied). Default: uniform noise in `bounds`. */
  init?: DataInput;
  /** Called after each level with its index, `σᵢ` and the current samples (a live view: copy to keep). */
  onLevel?: (level: number, sigma: number, x: Matrix) => void;
}

const SAMPLE_KEYS = optionKeys<AnnealedLangevinSampleOptions>()({ init: true, onLevel: true });

/**
 * The geometric noise ladder `σᵢ = σ_max·(σ_min/σ_max)^((i−1)/(L−1))`,
 * `i = 1…L` (one level: `[σ_max]`).
 *
 * @param sigmaMax - largest level `σ₁ > 0`
 * @param sigmaMin - smallest level `0 < σ_L ≤ σ₁` (`< σ₁` when `levels > 1`)
 * @param levels - number of levels `L ≥ 1`
 * @returns the levels, decreasing
 * @throws {TypeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { geometricNoiseLevels } from 'boltzmann';
 * geometricNoiseLevels(1, 0.01, 3); // Float64Array [1, 0.1, 0.01]
 * ```
 * @category Sampling
 */
export function geometricNoiseLevels(sigmaMax: number, sigmaMin: number, levels: number): Float64Array {
  const where = 'geometricNoiseLevels';
  checkPositive(where, 'sigmaMax', sigmaMax);
  checkPositive(where, 'sigmaMin', sigmaMin);
  checkInt(where, 'levels', levels, 1, 1 << 20);
  if (levels > 1 && !(sigmaMin < sigmaMax)) throw new RangeError(`${where}: sigmaMin must be < sigmaMax (got ${sigmaMin} and ${sigmaMax})`);
  if (levels === 1) return Float64Array.of(sigmaMax);
  const out = new Float64Array(levels);
  const ratio = log(sigmaMin / sigmaMax);
  for (let i = 0; i < levels; i++) out[i] = sigmaMax * exp((ratio * i) / (levels - 1));
  out[levels - 1] = sigmaMin;
  return out;
}

type ScoreFn = (out: Matrix, x: Matrix, sigma: number) => void;

function resolveTarget(where: string, target: unknown): { dimension: number; score: ScoreFn } {
  const t = target as Partial<NoiseConditionalScore & BatchedEnergyGradient & EnergyModel> | null;
  if (t === null || typeof t !== 'object') {
    throw new TypeError(`${where}: target must be a noise-conditional score, a batched energy gradient or an energy model with a gradient (got ${describeValue(target)})`);
  }
  const dim = checkSize(where, 'target.dimension', t.dimension, 1);
  if (typeof t.scoreAt === 'function') {
    const f = t.scoreAt.bind(t);
    return { dimension: dim, score: (out, x, sigma) => void f(out, x, sigma) };
  }
  if (typeof t.inputGradients === 'function') {
    const f = t.inputGradients.bind(t);
    return {
      dimension: dim,
      score: (out, x) => {
        f(out, x);
        const o = out.data;
        for (let i = 0; i < o.length; i++) o[i] = -o[i];
      },
    };
  }
  if (typeof t.gradient === 'function' && typeof t.energy === 'function') {
    if (t.domain !== 'continuous') throw new RangeError(`${where}: target.domain must be 'continuous' (got ${describeValue(t.domain)})`);
    const f = t.gradient.bind(t);
    return {
      dimension: dim,
      score: (out, x) => {
        for (let r = 0; r < x.rows; r++) {
          const row = out.data.subarray(r * dim, (r + 1) * dim);
          f(row, x.data.subarray(r * dim, (r + 1) * dim));
          for (let j = 0; j < dim; j++) row[j] = -row[j];
        }
      },
    };
  }
  throw new TypeError(`${where}: target must have scoreAt(out, x, sigma), inputGradients(out, x), or energy(x) and gradient(out, x)`);
}

/**
 * Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1). Every chain
 * starts from uniform noise in `bounds` (or from `init`) and, for each level
 * `i = 1…L` of the noise ladder `σ₁ > … > σ_L`, takes `T` unadjusted
 * Langevin steps with step size `αᵢ = ε·σᵢ²/σ_L²`:
 *
 * `x ← x + (αᵢ/2)·s(x, σᵢ) + √αᵢ·ξ`,  `ξ ~ N(0, I)`;
 *
 * then, with `denoise`, one last step `x ← x + σ_L²·s(x, σ_L)` (Tweedie's
 * formula: the posterior mean of the clean point given the σ_L-noisy one).
 * The `σᵢ²` scaling keeps the signal-to-noise ratio of a step the same at
 * every level; the early, large-σ levels let chains cross between modes, so
 * the final samples carry the modes' weights, which plain Langevin from
 * noise does not.
 *
 * The target is a {@link NoiseConditionalScore} `s(x, σ)` (a score network
 * trained by denoising score matching at several σ), or any energy — a
 * batched `inputGradients` ({@link EnergyNetwork}) or an {@link EnergyModel}
 * with `gradient` — whose score `−∇ₓE` does not depend on `σ` (the ladder
 * then only anneals the step size: large early moves, small late ones).
 * ULA is biased by O(αᵢ); the final level's `α_L = ε` sets the bias of the
 * samples.
 *
 * The sampler owns one generator stream ({@link AnnealedLangevin.random}):
 * each `sample` call continues it, so the same seed gives the same sequence.
 *
 * @example
 * ```ts
 * import { AnnealedLangevin, type Matrix } from 'boltzmann';
 * // data N(0, 1) in 1-D blurred by σ: p_σ = N(0, 1 + σ²), score −x/(1 + σ²)
 * const target = {
 *   dimension: 1,
 *   scoreAt: (out: Matrix, x: Matrix, sigma: number) => {
 *     for (let i = 0; i < x.data.length; i++) out.data[i] = -x.data[i] / (1 + sigma * sigma);
 *     return out;
 *   },
 * };
 * const sampler = new AnnealedLangevin(target, { sigmaMax: 3, sigmaMin: 0.1, levels: 8, stepSize: 0.01, rng: 1 });
 * const x = sampler.sample(1000); // [1000, 1], mean ≈ 0, variance ≈ 1.04
 * ```
 * @category Sampling
 */
export class AnnealedLangevin {
  /** Number of coordinates. */
  readonly dimension: number;
  /** The noise ladder `σ₁ > … > σ_L` (a copy: changing it changes nothing). */
  get sigmas(): Float64Array {
    return this.levels.slice();
  }
  /** Langevin steps `T` per level. */
  readonly stepsPerLevel: number;
  /** Base step size `ε`. */
  readonly stepSize: number;
  /** Whether a final denoising step is taken. */
  readonly denoise: boolean;
  /** Box of the uniform starts (and of clamping). */
  readonly bounds: readonly [number, number];
  /** Whether every step is clamped to `bounds`. */
  readonly clamp: boolean;
  /** The target being sampled. */
  readonly target: AnnealedLangevinTarget;
  private readonly levels: Float64Array;
  private readonly scoreFn: ScoreFn;
  private rng: Random;

  /**
   * @param target - a noise-conditional score, a batched energy gradient, or a continuous energy model with `gradient`
   * @param options - see {@link AnnealedLangevinOptions}
   * @throws {TypeError | RangeError} on a bad target or options (nothing is drawn)
   */
  constructor(target: AnnealedLangevinTarget, options?: AnnealedLangevinOptions) {
    const where = 'AnnealedLangevin';
    const { dimension, score } = resolveTarget(where, target);
    const o = checkOptionsKeys(where, options, OPTION_KEYS);
    let sigmas: Float64Array;
    if (o.sigmas !== undefined) {
      for (const k of ['sigmaMax', 'sigmaMin', 'levels'] as const) {
        if (o[k] !== undefined) throw new RangeError(`${where}: give either sigmas or sigmaMax/sigmaMin/levels, not both (got sigmas and ${k})`);
      }
      if (!Array.isArray(o.sigmas) && !(o.sigmas instanceof Float64Array)) {
        throw new TypeError(`${where}: sigmas must be an array of positive numbers (got ${describeValue(o.sigmas)})`);
      }
      if (o.sigmas.length < 1) throw new RangeError(`${where}: sigmas must have at least one level (got 0)`);
      checkInt(where, 'sigmas.length', o.sigmas.length, 1, 1 << 20);
      sigmas = new Float64Array(o.sigmas.length);
      for (let i = 0; i < sigmas.length; i++) {
        sigmas[i] = checkPositive(where, `sigmas[${i}]`, o.sigmas[i]);
        if (i > 0 && !(sigmas[i] < sigmas[i - 1])) {
          throw new RangeError(`${where}: sigmas must be strictly decreasing (got sigmas[${i - 1}] = ${sigmas[i - 1]}, sigmas[${i}] = ${sigmas[i]})`);
        }
      }
    } else {
      const hi = o.sigmaMax === undefined ? 1 : checkPositive(where, 'sigmaMax', o.sigmaMax);
      const lo = o.sigmaMin === undefined ? 0.01 : checkPositive(where, 'sigmaMin', o.sigmaMin);
      const L = o.levels === undefined ? 10 : checkInt(where, 'levels', o.levels, 1, 1 << 20);
      if (L > 1 && !(lo < hi)) throw new RangeError(`${where}: sigmaMin must be < sigmaMax (got ${lo} and ${hi})`);
      sigmas = geometricNoiseLevels(hi, L === 1 ? hi : lo, L);
    }
    const T = o.stepsPerLevel === undefined ? 100 : checkSize(where, 'stepsPerLevel', o.stepsPerLevel, 1, 'maxSteps');
    const eps = o.stepSize === undefined ? 2e-5 : checkPositive(where, 'stepSize', o.stepSize);
    const denoise = o.denoise === undefined ? false : checkBoolean(where, 'denoise', o.denoise);
    const clamp = o.clamp === undefined ? false : checkBoolean(where, 'clamp', o.clamp);
    let bounds: readonly [number, number] = [-1, 1];
    if (o.bounds !== undefined) {
      const b = o.bounds as unknown;
      if (!Array.isArray(b) || b.length !== 2) throw new TypeError(`${where}: bounds must be [low, high] (got ${describeValue(b)})`);
      checkFinite(where, 'bounds[0]', b[0]);
      checkFinite(where, 'bounds[1]', b[1]);
      if (!(b[1] > b[0])) throw new RangeError(`${where}: bounds must satisfy low < high (got [${b[0]}, ${b[1]}])`);
      bounds = [b[0], b[1]];
    }
    const last = sigmas[sigmas.length - 1];
    const top = eps * (sigmas[0] / last) * (sigmas[0] / last);
    if (!Number.isFinite(top)) throw new RangeError(`${where}: the first level's step size ε·σ₁²/σ_L² overflows (got ${top})`);
    this.rng = toRandom(o.rng ?? 0, where);
    this.target = target;
    this.dimension = dimension;
    this.scoreFn = score;
    this.levels = sigmas;
    this.stepsPerLevel = T;
    this.stepSize = eps;
    this.denoise = denoise;
    this.clamp = clamp;
    this.bounds = bounds;
  }

  /** The generator this sampler draws from (continued by every `sample`). */
  get random(): Random {
    return this.rng;
  }

  /**
   * The step size of each level, `αᵢ = ε·σᵢ²/σ_L²` (the last one is `ε`).
   *
   * @returns one step size per level
   * @example
   * ```ts
   * import { AnnealedLangevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * new AnnealedLangevin(gaussian, { sigmas: [1, 0.5, 0.25], stepSize: 0.01 }).stepSizes(); // [0.16, 0.04, 0.01]
   * ```
   */
  stepSizes(): Float64Array {
    const L = this.levels.length;
    const last = this.levels[L - 1];
    const out = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      const r = this.levels[i] / last;
      out[i] = this.stepSize * r * r;
    }
    return out;
  }

  /**
   * Runs `n` chains down the noise ladder and returns their final states
   * (denoised if `denoise`). Draws from the sampler's stream; when a score
   * or a state stops being finite it throws and puts the generator back
   * where it was.
   *
   * @param n - number of chains (≥ 1)
   * @param options - see {@link AnnealedLangevinSampleOptions}
   * @returns `[n, dimension]` samples
   * @throws {TypeError | RangeError | ShapeError} on bad input (nothing is drawn)
   * @throws {NumericalError} when a score or a state is not finite (lower `stepSize`)
   * @example
   * ```ts
   * import { AnnealedLangevin } from 'boltzmann';
   * const gaussian = { dimension: 2, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * (x[0] * x[0] + x[1] * x[1]), gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; out[1] = x[1]; return out; } };
   * const sampler = new AnnealedLangevin(gaussian, { sigmaMax: 1, sigmaMin: 0.1, levels: 5, stepSize: 0.01, bounds: [-3, 3], rng: 2 });
   * sampler.sample(500).rows; // 500 draws, roughly N(0, I) (each coordinate's variance within about 0.25 of 1)
   * ```
   */
  sample(n: number, options?: AnnealedLangevinSampleOptions): Matrix {
    const where = 'AnnealedLangevin.sample';
    checkSize(where, 'n', n, 1);
    const d = this.dimension;
    checkElements(where, 'n × dimension', n, d);
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    let init: Matrix | undefined;
    if (o.init !== undefined) {
      init = checkMatrix(where, 'init', toMatrix(where, 'init', o.init), n, d);
      checkAllFinite(where, 'init', init.data);
    }
    if (o.onLevel !== undefined && typeof o.onLevel !== 'function') throw new TypeError(`${where}: onLevel must be a function (got ${describeValue(o.onLevel)})`);
    const saved = this.rng.getState();
    try {
      return this.run(n, init, o.onLevel);
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
  }

  private run(n: number, init: Matrix | undefined, onLevel: AnnealedLangevinSampleOptions['onLevel']): Matrix {
    const d = this.dimension;
    const rng = this.rng;
    const [lo, hi] = this.bounds;
    const x: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    const xd = x.data;
    if (init !== undefined) xd.set(init.data);
    else for (let i = 0; i < xd.length; i++) xd[i] = lo + (hi - lo) * rng.float64();
    const g: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    const gd = g.data;
    const alphas = this.stepSizes();
    const clamp = this.clamp;
    const checkScore = (level: number) => {
      for (let i = 0; i < gd.length; i++) {
        if (!Number.isFinite(gd[i])) {
          throw new NumericalError(`AnnealedLangevin.sample: the score is not finite at level ${level} (σ = ${this.levels[level]}); lower stepSize`);
        }
      }
    };
    for (let l = 0; l < this.levels.length; l++) {
      const sigma = this.levels[l];
      const a = alphas[l];
      const half = 0.5 * a;
      const sd = Math.sqrt(a);
      for (let t = 0; t < this.stepsPerLevel; t++) {
        this.scoreFn(g, x, sigma);
        checkScore(l);
        for (let i = 0; i < xd.length; i++) {
          let v = xd[i] + half * gd[i] + sd * rng.normal();
          if (clamp) v = Math.min(hi, Math.max(lo, v));
          xd[i] = v;
        }
      }
      onLevel?.(l, sigma, x);
    }
    const L = this.levels.length;
    if (this.denoise) {
      const s2 = this.levels[L - 1] * this.levels[L - 1];
      this.scoreFn(g, x, this.levels[L - 1]);
      checkScore(L - 1);
      for (let i = 0; i < xd.length; i++) {
        let v = xd[i] + s2 * gd[i];
        if (clamp) v = Math.min(hi, Math.max(lo, v));
        xd[i] = v;
      }
    }
    return x;
  }
}
