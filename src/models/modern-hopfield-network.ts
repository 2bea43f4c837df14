/**
 * The modern continuous Hopfield network (Ramsauer et al. 2020, "Hopfield
 * Networks is All You Need"): stored patterns `X = [x_1 … x_K]` (rows of
 * {@link ModernHopfieldNetwork.patterns}), continuous state `ξ ∈ ℝᴺ`, energy
 *
 * `E(ξ) = −β⁻¹ log Σ_μ exp(β x_μᵀξ) + ½ ξᵀξ + β⁻¹ log K + ½ M²`, `M = max_μ ‖x_μ‖`,
 *
 * and update `ξ ← X softmax(β Xᵀ ξ)` — one step of it is transformer
 * attention. The update never raises the energy (a CCCP step); for well
 * separated patterns one update retrieves a pattern to exponentially small
 * error; for small β the fixed points are metastable averages of patterns.
 * The softmax and the log-sum-exp are the stable ones (maximum factored out).
 * @module
 */

import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { getKernel } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSumExp } from '../linalg/stable.js';
import { exp, log } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { checkAbortSignal, checkAllFinite, checkCallback, checkElements, checkOptionsKeys, checkPositive, checkScoresFinite, checkSize, checkSteps, checkVector, type DataInput, LIMITS, optionKeys, toMatrix } from '../validate.js';
import type { EpochMetrics, FitResult, ScoreResult } from './contract.js';
import type { EvolveResult } from './hopfield-network.js';

/** Options of the {@link ModernHopfieldNetwork} constructor.
 * @category Models
 */
export interface ModernHopfieldNetworkOptions {
  /** Seed or generator of the network's own stream. Default seed 0. */
  rng?: number | Random;
  /** Inverse temperature β > 0. Default 1. */
  beta?: number;
}

const NETWORK_KEYS = optionKeys<ModernHopfieldNetworkOptions>()({ rng: true, beta: true });

/** Options of {@link ModernHopfieldNetwork.fit} and {@link ModernHopfieldNetwork.partialFit}.
 * @category Models
 */
export interface ModernFitOptions {
  /** Set the inverse temperature β > 0 (default: keep the network's). */
  beta?: number;
  /** Ignored (storage is one pass); accepted for the common fit options. */
  epochs?: number;
  /** Called once with the storage's metrics. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Accepted for the common fit options (storage cannot be stopped). */
  signal?: AbortSignal;
}

const FIT_KEYS = optionKeys<ModernFitOptions>()({ beta: true, epochs: true, onEpoch: true, signal: true });

/** Options of {@link ModernHopfieldNetwork.evolve} and {@link ModernHopfieldNetwork.recall}.
 * @category Models
 */
export interface ModernEvolveOptions {
  /** Most updates. Default 100 for evolve, 1 for recall (one-step retrieval). */
  maxSweeps?: number;
  /** Stop when no component moves by more than this. Default 1e-12. */
  tolerance?: number;
  /** Inverse temperature of this call. Default: the network's β. */
  beta?: number;
  /** Units with a non-zero entry are held at their cue value. Length N. */
  clamp?: Uint8Array;
}

const EVOLVE_KEYS = optionKeys<ModernEvolveOptions>()({ maxSweeps: true, tolerance: true, beta: true, clamp: true });

/** Options of {@link ModernHopfieldNetwork.retrieve}.
 * @category Models
 */
export interface ModernRetrieveOptions {
  /** Updates applied to every row. Default 1. */
  steps?: number;
  /** Inverse temperature of this call. Default: the network's β. */
  beta?: number;
}

const RETRIEVE_KEYS = optionKeys<ModernRetrieveOptions>()({ steps: true, beta: true });

/** Options of {@link ModernHopfieldNetwork.sample}.
 * @category Models
 */
export interface ModernSampleOptions {
  /** Seed or generator. Default: the network's stream, continued. */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<ModernSampleOptions>()({ rng: true });

/** Options of {@link ModernHopfieldNetwork.scoreSamples} and {@link ModernHopfieldNetwork.score}.
 * @category Models
 */
export interface ModernScoreOptions {
  /** `'auto'` or `'exact'` (the same: the density is a Gaussian mixture, exact). */
  method?: 'auto' | 'exact';
}

const SCORE_KEYS = optionKeys<ModernScoreOptions>()({ method: true });

/**
 * The modern continuous Hopfield network on `N` real units (see the module
 * comment). Patterns may be any finite real vectors (±1 images, normalised
 * embeddings). At its inverse temperature it defines the distribution
 * `p_β(ξ) ∝ exp(−β E(ξ))`, a mixture of Gaussians `N(x_μ, I/β)` with weights
 * `∝ exp(β‖x_μ‖²/2)`: `sample` draws from it exactly and `scoreSamples`/`score`
 * give its exact log-density.
 *
 * @example
 * ```ts
 * import { ModernHopfieldNetwork } from 'boltzmann';
 * const net = new ModernHopfieldNetwork(4, { beta: 4 });
 * net.fit([[1, 1, -1, -1], [1, -1, 1, -1]]);
 * net.recall(Float64Array.of(1, 1, -1, 0)).state[3]; // ≈ -1
 * ```
 * @category Models
 */
export class ModernHopfieldNetwork {
  /** The document kind, `'modern-hopfield'`. */
  readonly kind = 'modern-hopfield' as const;
  /** Number of units N. */
  readonly dimension: number;
  /** Always `'real'`. */
  readonly domain = 'real' as const;
  /** The network's own generator stream (`sample` continues it). */
  readonly random: Random;
  private b: number;
  private x: Matrix;
  private maxNorm2: number;

  /**
   * A network of `n` units storing nothing.
   *
   * @param n - number of units (≥ 1, at most `LIMITS.maxElements`)
   * @param options - `rng` (default seed 0), `beta` (default 1)
   * @throws {TypeError | RangeError} on a bad size (a RangeError naming `LIMITS.maxElements` above it) or bad or unknown options
   */
  constructor(n: number, options?: ModernHopfieldNetworkOptions) {
    const where = 'ModernHopfieldNetwork';
    checkSize(where, 'n', n, 1);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    this.b = o.beta === undefined ? 1 : checkPositive(where, 'beta', o.beta);
    this.random = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
    this.dimension = n;
    this.x = { rows: 0, cols: n, data: new Float64Array(0) };
    this.maxNorm2 = 0;
  }

  /** Inverse temperature β > 0. */
  get beta(): number {
    return this.b;
  }

  /** Sets β > 0 (a RangeError otherwise). */
  set beta(v: number) {
    this.b = checkPositive('ModernHopfieldNetwork.beta', 'beta', v);
  }

  /** The stored patterns `[K, N]` (a live view, do not edit). */
  get patterns(): Matrix {
    return this.x;
  }

  /**
   * Stores `patterns`, replacing what was stored.
   *
   * @param patterns - `[K, N]` finite reals, any {@link DataInput}
   * @param options - `beta`, `onEpoch`
   * @returns a one-entry {@link FitResult} (`steps` = patterns stored)
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options, an `onEpoch` that is not a function or a `signal` that is not an AbortSignal (nothing changes)
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2);
   * net.fit([[1, 0], [0, 1]], { beta: 8 }).history[0].steps; // 2
   * ```
   */
  fit(patterns: DataInput, options?: ModernFitOptions): FitResult {
    return this.store('ModernHopfieldNetwork.fit', patterns, options, false);
  }

  /**
   * Stores more patterns, keeping those already stored.
   *
   * @param patterns - `[K', N]` finite reals
   * @param options - as for {@link ModernHopfieldNetwork.fit}
   * @returns a one-entry {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options (as for fit; a RangeError naming `LIMITS.maxElements` when all the stored patterns would exceed it)
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2);
   * net.fit([[1, 0]]);
   * net.partialFit([[0, 1]]);
   * net.patterns.rows; // 2
   * ```
   */
  partialFit(patterns: DataInput, options?: ModernFitOptions): FitResult {
    return this.store('ModernHopfieldNetwork.partialFit', patterns, options, true);
  }

  private store(where: string, patterns: DataInput, options: ModernFitOptions | undefined, append: boolean): FitResult {
    const t0 = now();
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const beta = o.beta === undefined ? this.b : checkPositive(where, 'beta', o.beta);
    checkCallbacks(where, o);
    if (o.epochs !== undefined) checkSteps(where, 'epochs', o.epochs, 1);
    const m = toMatrix(where, 'patterns', patterns);
    if (m.rows === 0) throw new ShapeError(`${where}: patterns must have at least one row (got [0, ${m.cols}])`);
    if (m.cols !== this.dimension) throw new ShapeError(`${where}: patterns must have ${this.dimension} columns (got ${m.cols})`);
    checkAllFinite(where, 'patterns', m.data);
    // the energy's ½ max‖x_μ‖² and every score need the squared norms in float64
    for (let r = 0; r < m.rows; r++) {
      let q = 0;
      for (let i = r * m.cols; i < (r + 1) * m.cols; i++) q += m.data[i] * m.data[i];
      if (!Number.isFinite(q)) throw new RangeError(`${where}: pattern ${r}'s squared norm overflows float64 (entries up to about 1e154 keep it finite); rescale the patterns`);
    }
    checkElements(where, 'stored patterns × N', (append ? this.x.rows : 0) + m.rows, this.dimension);
    // an already-aborted signal stores nothing, as every model's fit does
    if (o.signal?.aborted) return { history: [], epochs: 0, aborted: true };
    const data = new Float64Array((append ? this.x.data.length : 0) + m.data.length);
    if (append) data.set(this.x.data);
    data.set(m.data, append ? this.x.data.length : 0);
    this.b = beta;
    this.setPatterns({ rows: data.length / this.dimension, cols: this.dimension, data });
    const metrics = { epoch: 0, steps: m.rows, learningRate: Number.NaN, seconds: (now() - t0) / 1000 };
    o.onEpoch?.(metrics);
    return { history: [metrics], epochs: 1, aborted: false };
  }

  private setPatterns(x: Matrix): void {
    this.x = x;
    let m = 0;
    const n = this.dimension;
    for (let mu = 0; mu < x.rows; mu++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x.data[mu * n + i] * x.data[mu * n + i];
      if (s > m) m = s;
    }
    this.maxNorm2 = m;
  }

  private checkState(where: string, name: string, s: unknown): Float64Array {
    const v = checkVector(where, name, s, this.dimension);
    checkAllFinite(where, name, v);
    return v;
  }

  /** `β Xᵀ ξ` into `out` (unchecked). */
  private scores(s: Float64Array, beta: number, out: Float64Array): Float64Array {
    const n = this.dimension, d = this.x.data;
    for (let mu = 0; mu < this.x.rows; mu++) {
      let v = 0;
      const o = mu * n;
      for (let i = 0; i < n; i++) v += d[o + i] * s[i];
      out[mu] = beta * v;
    }
    return out;
  }

  /**
   * The energy `E(ξ) = −β⁻¹ log Σ_μ exp(β x_μᵀξ) + ½ ξᵀξ + β⁻¹ log K + ½ M²`
   * (Ramsauer et al.'s constant makes `E ≥ 0`); `½ ξᵀξ` with nothing stored.
   *
   * @param s - length-N state ξ
   * @param beta - inverse temperature (default: the network's)
   * @returns the energy
   * @throws {TypeError | ShapeError | RangeError} on a bad state or β
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2);
   * net.fit([[1, 0]]);
   * net.energy(Float64Array.of(1, 0)); // 0 (= −1 + ½ + 0 + ½)
   * ```
   */
  energy(s: Float64Array, beta?: number): number {
    const where = 'ModernHopfieldNetwork.energy';
    this.checkState(where, 's', s);
    const b = beta === undefined ? this.b : checkPositive(where, 'beta', beta);
    return this.energyUnchecked(s, b);
  }

  private energyUnchecked(s: Float64Array, beta: number): number {
    let q = 0;
    for (let i = 0; i < this.dimension; i++) q += s[i] * s[i];
    const k = this.x.rows;
    if (k === 0) return 0.5 * q;
    const z = this.scores(s, beta, new Float64Array(k));
    return -logSumExp(z) / beta + 0.5 * q + log(k) / beta + 0.5 * this.maxNorm2;
  }

  /**
   * The attention weights `p = softmax(β Xᵀ ξ)` over the stored patterns (stable:
   * the largest score is factored out). A `max p` well below 1 marks a metastable
   * (averaged) state.
   *
   * @param s - length-N state ξ
   * @param beta - inverse temperature (default: the network's)
   * @returns K probabilities summing to 1
   * @throws {TypeError | ShapeError | RangeError} on a bad state or β, or with nothing stored
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2);
   * net.fit([[1, 0], [0, 1]]);
   * Array.from(net.attention(Float64Array.of(1, 1))); // [0.5, 0.5]
   * ```
   */
  attention(s: Float64Array, beta?: number): Float64Array {
    const where = 'ModernHopfieldNetwork.attention';
    this.checkState(where, 's', s);
    const b = beta === undefined ? this.b : checkPositive(where, 'beta', beta);
    if (this.x.rows === 0) throw new RangeError(`${where}: no patterns are stored (fit first)`);
    return softmaxInPlace(this.scores(s, b, new Float64Array(this.x.rows)));
  }

  /** One update `out = X softmax(β Xᵀ ξ)` (unchecked; `p` holds K scratch values). */
  private step(s: Float64Array, beta: number, p: Float64Array, out: Float64Array): void {
    softmaxInPlace(this.scores(s, beta, p));
    const n = this.dimension, d = this.x.data;
    out.fill(0);
    for (let mu = 0; mu < this.x.rows; mu++) {
      const w = p[mu];
      if (w === 0) continue;
      const o = mu * n;
      for (let i = 0; i < n; i++) out[i] += w * d[o + i];
    }
  }

  /**
   * Iterates `ξ ← X softmax(β Xᵀ ξ)` from `cue` until no component moves by
   * more than `tolerance` (a fixed point) or `maxSweeps` updates. The energy
   * never rises along the way (`energies`).
   *
   * @param cue - length-N state (not modified)
   * @param options - maxSweeps (default 100), tolerance, beta, clamp
   * @returns the final state, convergence, updates run (`sweeps`), components
   *   whose sign changed (`flips`), and the energy before and after every update
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (`maxSweeps` above `LIMITS.maxSteps` is a RangeError naming it), or with nothing stored
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(3, { beta: 10 });
   * net.fit([[1, -1, 1], [-1, -1, 1]]);
   * net.evolve(Float64Array.of(0.8, -1, 0.2)).converged; // true
   * ```
   */
  evolve(cue: Float64Array, options?: ModernEvolveOptions): EvolveResult {
    return this.run('ModernHopfieldNetwork.evolve', cue, options, 100);
  }

  /**
   * One-step retrieval `ξ ← X softmax(β Xᵀ ξ)` (more with `maxSweeps`): the
   * transformer attention update. For well-separated patterns one step lands
   * within exponentially small distance of the stored pattern.
   *
   * @param cue - length-N state (not modified)
   * @param options - maxSweeps (default 1), tolerance, beta, clamp
   * @returns as {@link ModernHopfieldNetwork.evolve}
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (as evolve), or with nothing stored
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2, { beta: 20 });
   * net.fit([[1, 1], [1, -1]]);
   * net.recall(Float64Array.of(1, 0.5)).state[1] > 0.99; // true
   * ```
   */
  recall(cue: Float64Array, options?: ModernEvolveOptions): EvolveResult {
    return this.run('ModernHopfieldNetwork.recall', cue, options, 1);
  }

  private run(where: string, cue: Float64Array, options: ModernEvolveOptions | undefined, defaultSweeps: number): EvolveResult {
    const o = checkOptionsKeys(where, options, EVOLVE_KEYS);
    this.checkState(where, 'cue', cue);
    const maxSweeps = o.maxSweeps === undefined ? defaultSweeps : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
    const tol = o.tolerance === undefined ? 1e-12 : checkPositive(where, 'tolerance', o.tolerance);
    const beta = o.beta === undefined ? this.b : checkPositive(where, 'beta', o.beta);
    const n = this.dimension;
    if (o.clamp !== undefined) {
      if (!(o.clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(o.clamp)})`);
      if (o.clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${o.clamp.length})`);
    }
    if (this.x.rows === 0) throw new RangeError(`${where}: no patterns are stored (fit first)`);
    const clamp = o.clamp;
    let s = cue.slice();
    let next = new Float64Array(n);
    const p = new Float64Array(this.x.rows);
    const energies = [this.energyUnchecked(s, beta)];
    let sweeps = 0, flips = 0, converged = false;
    while (sweeps < maxSweeps) {
      this.step(s, beta, p, next);
      let moved = 0;
      for (let i = 0; i < n; i++) {
        if (clamp?.[i]) next[i] = s[i];
        const dv = next[i] - s[i];
        if ((dv < 0 ? -dv : dv) > moved) moved = dv < 0 ? -dv : dv;
        if (next[i] > 0 !== s[i] > 0) flips++;
      }
      const t = s;
      s = next;
      next = t;
      sweeps++;
      energies.push(this.energyUnchecked(s, beta));
      if (moved <= tol) {
        converged = true;
        break;
      }
    }
    return { state: s, converged, sweeps, flips, energies: Float64Array.from(energies), cycle: false };
  }

  /**
   * Batch retrieval: `steps` updates of every row of `cues` at once, through the
   * matrix kernel (`S = β C Xᵀ`, row softmax, `C ← P X`). Same numbers as
   * {@link ModernHopfieldNetwork.recall} row by row, up to rounding.
   *
   * @param cues - `[M, N]` finite reals, any {@link DataInput}
   * @param options - steps (default 1), beta
   * @returns `[M, N]` retrieved states
   * @throws {TypeError | ShapeError | RangeError} on bad cues or options (`steps` above `LIMITS.maxSteps`, or `M × K` scores above `LIMITS.maxElements`, is a RangeError naming it), or with nothing stored
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2, { beta: 20 });
   * net.fit([[1, 1], [1, -1]]);
   * net.retrieve([[1, 0.5], [1, -0.5]]).data[3] < -0.99; // true
   * ```
   */
  retrieve(cues: DataInput, options?: ModernRetrieveOptions): Matrix {
    const where = 'ModernHopfieldNetwork.retrieve';
    const o = checkOptionsKeys(where, options, RETRIEVE_KEYS);
    const steps = o.steps === undefined ? 1 : checkSize(where, 'steps', o.steps, 1, 'maxSteps');
    const beta = o.beta === undefined ? this.b : checkPositive(where, 'beta', o.beta);
    const c = toMatrix(where, 'cues', cues);
    if (c.cols !== this.dimension) throw new ShapeError(`${where}: cues must have ${this.dimension} columns (got ${c.cols})`);
    checkAllFinite(where, 'cues', c.data);
    if (this.x.rows === 0) throw new RangeError(`${where}: no patterns are stored (fit first)`);
    const m = c.rows, n = this.dimension, k = this.x.rows;
    checkElements(where, 'cues rows × stored patterns', m, k);
    const kern = getKernel();
    let cur = c.data.slice();
    const out = new Float64Array(m * n);
    const sc = new Float64Array(m * k);
    for (let t = 0; t < steps; t++) {
      kern.gemm(false, true, m, k, n, beta, cur, n, this.x.data, n, 0, sc, k);
      for (let r = 0; r < m; r++) softmaxInPlace(sc.subarray(r * k, (r + 1) * k));
      kern.gemm(false, false, m, n, k, 1, sc, k, this.x.data, n, 0, out, n);
      cur = out.slice();
    }
    return { rows: m, cols: n, data: cur };
  }

  /**
   * Draws `n` states from the network's Boltzmann distribution at its inverse
   * temperature, `p_β(ξ) ∝ exp(−β E(ξ))`. Because
   * `exp(−βE(ξ)) ∝ Σ_μ exp(β x_μᵀξ − β‖ξ‖²/2) = Σ_μ exp(β‖x_μ‖²/2) · exp(−β‖ξ − x_μ‖²/2)`,
   * this is a mixture of Gaussians with means at the stored patterns, covariance
   * `I/β` and weights `∝ exp(β‖x_μ‖²/2)` — sampled exactly: a pattern μ from the
   * weights, then `ξ = x_μ + N(0, I/β)`. Continues the network's stream.
   *
   * @param n - number of rows (≥ 1)
   * @param options - `rng` (default: the network's stream)
   * @returns `[n, N]` states
   * @throws {TypeError | RangeError} with nothing stored, or on a bad `n` (a RangeError naming `LIMITS.maxElements` when `[n, N]` exceeds it) or bad options
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2, { beta: 100 });
   * net.fit([[1, 0]]);
   * net.sample(3).rows; // 3 states near (1, 0): each coordinate off by about 0.1, the standard deviation 1/√β
   * ```
   */
  sample(n: number, options?: ModernSampleOptions): Matrix {
    const where = 'ModernHopfieldNetwork.sample';
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n × N', n, this.dimension);
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const k = this.x.rows, dim = this.dimension;
    if (k === 0) throw new RangeError(`${where}: no patterns are stored (fit first)`);
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const w = this.mixtureLogWeights();
    softmaxInPlace(w);
    const cdf = new Float64Array(k);
    let acc = 0;
    for (let mu = 0; mu < k; mu++) cdf[mu] = acc += w[mu];
    const sd = 1 / Math.sqrt(this.b), d = this.x.data;
    const out = new Float64Array(n * dim);
    for (let r = 0; r < n; r++) {
      const u = rng.float64() * acc;
      let mu = 0;
      while (mu < k - 1 && cdf[mu] <= u) mu++;
      const o2 = r * dim, src = mu * dim;
      for (let i = 0; i < dim; i++) out[o2 + i] = d[src + i] + sd * rng.normal();
    }
    return { rows: n, cols: dim, data: out };
  }

  /**
   * Per-row log-density (nats) under `p_β(ξ) ∝ exp(−β E(ξ))` (see
   * {@link ModernHopfieldNetwork.sample}): exactly
   * `log p(ξ) = logΣexp_μ(β x_μᵀξ) − β‖ξ‖²/2 − log Z`,
   * `log Z = logΣexp_μ(β‖x_μ‖²/2) + (N/2) log(2π/β)`.
   *
   * @param data - `[rows, N]` states (any {@link DataInput})
   * @param options - `method: 'auto' | 'exact'` (the density is always exact)
   * @returns one log-density per row
   * @throws {ShapeError | TypeError | RangeError} on bad data, with nothing stored, or on a method other than exact
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(1);
   * net.fit([[0]]);
   * net.scoreSamples([[0]])[0]; // −½ log 2π ≈ −0.919 (a standard normal at β = 1)
   * ```
   */
  scoreSamples(data: DataInput, options?: ModernScoreOptions): Float64Array {
    return this.scoreRows('ModernHopfieldNetwork.scoreSamples', data, options);
  }

  private scoreRows(where: string, data: DataInput, options: ModernScoreOptions | undefined): Float64Array {
    const x = this.checkScore(where, data, options);
    const k = this.x.rows, dim = this.dimension, b = this.b;
    const logZ = this.logPartition();
    const out = new Float64Array(x.rows);
    const z = new Float64Array(k);
    for (let r = 0; r < x.rows; r++) {
      const row = x.data.subarray(r * dim, (r + 1) * dim);
      let q = 0;
      for (let i = 0; i < dim; i++) q += row[i] * row[i];
      out[r] = logSumExp(this.scores(row, b, z)) - 0.5 * b * q - logZ;
    }
    return checkScoresFinite(where, out, 'log-density');
  }

  /**
   * Mean log-density per row (nats), `method: 'exact'` (see
   * {@link ModernHopfieldNetwork.scoreSamples}); `logZ` is the normaliser of
   * `exp(−βE)` with E's constants left out, as in the formula there.
   *
   * @param data - `[rows, N]` states (any {@link DataInput})
   * @param options - `method: 'auto' | 'exact'`
   * @returns `{ mean, lower, upper, method: 'exact', logZ }`
   * @throws as {@link ModernHopfieldNetwork.scoreSamples}
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2, { beta: 4 });
   * net.fit([[1, 0], [0, 1]]);
   * net.score([[1, 0], [0, 1]]).method; // 'exact'
   * ```
   */
  score(data: DataInput, options?: ModernScoreOptions): ScoreResult {
    const per = this.scoreRows('ModernHopfieldNetwork.score', data, options);
    let m = 0;
    for (let i = 0; i < per.length; i++) m += per[i];
    m /= per.length;
    return { mean: m, lower: m, upper: m, method: 'exact', logZ: this.logPartition() };
  }

  /** `log(β‖x_μ‖²/2)`-weights of the Gaussian mixture (unnormalised logs). */
  private mixtureLogWeights(): Float64Array {
    const k = this.x.rows, dim = this.dimension, d = this.x.data;
    const w = new Float64Array(k);
    for (let mu = 0; mu < k; mu++) {
      let q = 0;
      for (let i = 0; i < dim; i++) q += d[mu * dim + i] * d[mu * dim + i];
      w[mu] = 0.5 * this.b * q;
    }
    return w;
  }

  /** `log Z` of `exp(lse_μ(β x_μᵀξ) − β‖ξ‖²/2)` over ℝᴺ. */
  private logPartition(): number {
    return logSumExp(this.mixtureLogWeights()) + 0.5 * this.dimension * log((2 * Math.PI) / this.b);
  }

  private checkScore(where: string, data: DataInput, options: ModernScoreOptions | undefined): Matrix {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    if (o.method !== undefined && o.method !== 'auto' && o.method !== 'exact') {
      throw new (typeof o.method === 'string' ? RangeError : TypeError)(
        `${where}: method must be 'auto' or 'exact' — the density of the modern network is exact (got ${describeValue(o.method)})`,
      );
    }
    const x = toMatrix(where, 'data', data, this.dimension);
    checkAllFinite(where, 'data', x.data);
    if (x.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
    if (this.x.rows === 0) throw new RangeError(`${where}: no patterns are stored (fit first)`);
    return x;
  }

  /**
   * Saves the network as a `'modern-hopfield'` document: config `n`, `beta`,
   * `patterns` (K); tensor `patterns` `[K, N]` (row-major).
   *
   * @returns the document
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * new ModernHopfieldNetwork(2).toDocument().kind; // 'modern-hopfield'
   * ```
   */
  toDocument(): ModelDocument {
    return {
      format: 'boltzmann',
      version: 1,
      kind: this.kind,
      config: { n: this.dimension, beta: this.b, patterns: this.x.rows },
      tensors: { patterns: tensorToJson({ shape: [this.x.rows, this.dimension], data: this.x.data }) },
      state: modelState(this.random),
    };
  }

  /**
   * Loads a network saved by {@link ModernHopfieldNetwork.toDocument}.
   *
   * @param doc - the parsed document
   * @param options - `rng` of the loaded network's stream (default: the saved stream, `state.rng`, continued; seed 0 for a document without one)
   * @returns the network
   * @throws {FormatError} when the document is malformed (including `config.n` above `LIMITS.maxElements`)
   * @throws {TypeError | RangeError} on unknown options or a bad `rng`
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const net = new ModernHopfieldNetwork(2, { beta: 3 });
   * net.fit([[1, 0]]);
   * ModernHopfieldNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument()))).beta; // 3
   * ```
   */
  static fromDocument(doc: unknown, options?: { rng?: number | Random }): ModernHopfieldNetwork {
    const o = checkOptionsKeys('ModernHopfieldNetwork.fromDocument', options, RNG_KEYS);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, 'ModernHopfieldNetwork.fromDocument');
    const d = checkDocument(doc, 'modern-hopfield');
    const where = 'load modern-hopfield';
    const n = d.config.n, k = d.config.patterns, beta = d.config.beta;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new FormatError(`${where}: config.n must be a positive integer (got ${describeValue(n)})`);
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) throw new FormatError(`${where}: config.patterns must be an integer ≥ 0 (got ${describeValue(k)})`);
    if (typeof beta !== 'number' || !Number.isFinite(beta) || beta <= 0) throw new FormatError(`${where}: config.beta must be a positive number (got ${describeValue(beta)})`);
    const t = readTensor(d, 'patterns', [k, n]);
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new FormatError(`${where}: tensor 'patterns' must be finite (got ${describeValue(t.data[i])} at index ${i})`);
    }
    if (n > LIMITS.maxElements) throw new FormatError(`${where}: config.n must be at most ${LIMITS.maxElements} (LIMITS.maxElements) (got ${describeValue(n)})`);
    const net = new ModernHopfieldNetwork(n, { rng, beta });
    net.setPatterns({ rows: k, cols: n, data: Float64Array.from(t.data) });
    if (rng === undefined) restoreModelRandom(where, d, net.random);
    return net;
  }

  /**
   * An independent copy (patterns, β, and a copy of the generator stream).
   *
   * @returns the copy
   * @example
   * ```ts
   * import { ModernHopfieldNetwork } from 'boltzmann';
   * const a = new ModernHopfieldNetwork(2, { beta: 2 });
   * a.fit([[1, 0]]);
   * a.clone().beta; // 2
   * ```
   */
  clone(): ModernHopfieldNetwork {
    const c = new ModernHopfieldNetwork(this.dimension, { rng: this.random.clone(), beta: this.b });
    c.setPatterns({ rows: this.x.rows, cols: this.dimension, data: this.x.data.slice() });
    return c;
  }
}

const RNG_KEYS = optionKeys<{ rng?: number | Random }>()({ rng: true });

/** Stable softmax in place (the maximum factored out); returns `z`. */
function softmaxInPlace(z: Float64Array): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i] > m) m = z[i];
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const e = exp(z[i] - m);
    z[i] = e;
    s += e;
  }
  for (let i = 0; i < z.length; i++) z[i] /= s;
  return z;
}

/** `onEpoch` a function and `signal` an AbortSignal, when given. */
function checkCallbacks(where: string, o: { onEpoch?: unknown; signal?: unknown }): void {
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
