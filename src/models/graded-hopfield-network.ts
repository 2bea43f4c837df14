/**
 * The graded-response Hopfield network (Hopfield 1984): continuous units
 * `V_i = tanh(g u_i)` in (−1, 1) with gain `g`, symmetric weights `W` (zero
 * diagonal), biases `b`, and dynamics `du/dt = −u + W V + b` (time in units
 * of the membrane constant RC). Its Lyapunov energy is
 *
 * `E(V) = −½ VᵀWV − bᵀV + g⁻¹ Σ_i ½[(1 + V_i) ln(1 + V_i) + (1 − V_i) ln(1 − V_i)]`
 *
 * (the last term is `g⁻¹ ∫₀^{V_i} tanh⁻¹(v) dv`), and along the flow
 * `dE/dt = −Σ_i g (1 − V_i²) (du_i/dt)² ≤ 0`. The asynchronous discrete-time
 * update `V_i ← tanh(g (W V + b)_i)` minimises E exactly over `V_i`, so it
 * lowers E too. As `g → ∞` the network becomes the binary Hopfield network.
 * @module
 */

import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom, tensorToJson } from '../document.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { log1p, tanh } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { HOPFIELD_RULES, type HopfieldRule, storeWeightsUnchecked, toSpinPatterns } from '../train/hopfield-rules.js';
import { checkAbortSignal, checkAllFinite, checkCallback, checkElements, checkOneOf, checkOptionsKeys, checkPositive, checkSize, checkSteps, checkVector, type DataInput, optionKeys } from '../validate.js';
import type { EpochMetrics, FitResult, ScoreResult } from './contract.js';
import { type EvolveResult, readRule } from './hopfield-network.js';

/** Options of the {@link GradedHopfieldNetwork} constructor.
 * @category Models
 */
export interface GradedHopfieldNetworkOptions {
  /** Seed or generator of the network's own stream (random update order). Default seed 0. */
  rng?: number | Random;
  /** Gain g > 0 of `V = tanh(g u)`. Default 10. */
  gain?: number;
}

const NETWORK_KEYS = optionKeys<GradedHopfieldNetworkOptions>()({ rng: true, gain: true });

/** Options of {@link GradedHopfieldNetwork.fit}.
 * @category Models
 */
export interface GradedFitOptions {
  /** Storage rule for the weights. Default `'hebbian'`. */
  rule?: HopfieldRule;
  /** Accept 0/1 patterns (mapped to ±1). Default false. */
  binary?: boolean;
  /** Ignored (storage is one pass). */
  epochs?: number;
  /** Called once with the storage's metrics. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Accepted for the common fit options (storage cannot be stopped). */
  signal?: AbortSignal;
}

const FIT_KEYS = optionKeys<GradedFitOptions>()({ rule: true, binary: true, epochs: true, onEpoch: true, signal: true });

/** Options of {@link GradedHopfieldNetwork.evolve}.
 * @category Models
 */
export interface GradedEvolveOptions {
  /**
   * `'async'` (default): discrete-time `V_i ← tanh(g h_i)`, one unit at a time;
   * `'euler'` / `'rk4'`: integrate `du/dt = −u + W V + b` with step `dt`.
   */
  mode?: 'async' | 'euler' | 'rk4';
  /** Time step of `'euler'` / `'rk4'`. Default 0.05. */
  dt?: number;
  /** Most sweeps (async) or time steps (euler, rk4). Default 1000. */
  maxSweeps?: number;
  /** Stop when no output `V_i` moved by more than this in a sweep (async), or when `max |du_i/dt| ≤ tolerance` (euler, rk4). Default 1e-9. */
  tolerance?: number;
  /** Async visiting order: `'sequential'` (default) or `'random'`. */
  order?: 'sequential' | 'random';
  /** Seed or generator for `order: 'random'`. Default: the network's stream. */
  rng?: number | Random;
  /** Units with a non-zero entry are held at their cue value. Length N. */
  clamp?: Uint8Array;
}

const EVOLVE_KEYS = optionKeys<GradedEvolveOptions>()({ mode: true, dt: true, maxSweeps: true, tolerance: true, order: true, rng: true, clamp: true });

/** Outputs are kept this far inside (−1, 1) so that `u = tanh⁻¹(V)/g` is finite. */
const EDGE = 1 - 1e-12;

/** `½[(1+v) ln(1+v) + (1−v) ln(1−v)] = ∫₀^v tanh⁻¹`, finite on [−1, 1] (ln 2 at ±1). */
function entropyTerm(v: number): number {
  const a = v >= 1 ? 0 : (1 - v) * log1p(-v);
  const b = v <= -1 ? 0 : (1 + v) * log1p(v);
  return 0.5 * (a + b);
}

/** `tanh⁻¹(v) = ½ ln((1+v)/(1−v))`. */
function atanh(v: number): number {
  return 0.5 * log1p((2 * v) / (1 - v));
}

/**
 * Hopfield's (1984) graded-response network of `N` tanh units (see the module
 * comment). Patterns are stored as in {@link HopfieldNetwork} (Hebbian by
 * default); retrieval runs the continuous dynamics (Euler or RK4) or the
 * asynchronous discrete-time updates from a cue in [−1, 1]ᴺ, and the energy
 * never rises (`energies`). A deterministic network: `sample`,
 * `scoreSamples` and `score` throw a RangeError saying so.
 *
 * @example
 * ```ts
 * import { GradedHopfieldNetwork } from 'boltzmann';
 * const net = new GradedHopfieldNetwork(6, { gain: 20 });
 * net.fit([[1, 1, 1, -1, -1, -1]]);
 * const r = net.evolve(Float64Array.of(0.5, 0.2, -0.1, -0.5, -0.5, -0.5));
 * r.state[2] > 0.9; // true
 * ```
 * @category Models
 */
export class GradedHopfieldNetwork {
  /** The document kind, `'graded-hopfield'`. */
  readonly kind = 'graded-hopfield' as const;
  /** Number of units N. */
  readonly dimension: number;
  /** Always `'real'` (outputs in (−1, 1)). */
  readonly domain = 'real' as const;
  /** The network's own generator stream, seeded once at construction. */
  readonly random: Random;
  /** `[N, N]` weights (symmetric, zero diagonal; live). */
  readonly weights: Matrix;
  /** Length-N biases (live). */
  readonly bias: Float64Array;
  /** The rule that built the weights (informational). */
  rule: HopfieldRule | 'custom';
  private g: number;

  /**
   * A network of `n` units with zero weights.
   *
   * @param n - number of units (≥ 1; `n²` at most `LIMITS.maxElements`)
   * @param options - `rng` (default seed 0), `gain` (default 10)
   * @throws {TypeError | RangeError} on a bad size (a RangeError naming `LIMITS.maxElements` when the `[n, n]` weights would exceed it) or bad or unknown options
   */
  constructor(n: number, options?: GradedHopfieldNetworkOptions) {
    const where = 'GradedHopfieldNetwork';
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n²', n, n);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    this.g = o.gain === undefined ? 10 : checkPositive(where, 'gain', o.gain);
    this.random = o.rng === undefined ? new Random(0) : toRandom(o.rng, where);
    this.dimension = n;
    this.weights = { rows: n, cols: n, data: new Float64Array(n * n) };
    this.bias = new Float64Array(n);
    this.rule = 'custom';
  }

  /** Gain g > 0 of the units. */
  get gain(): number {
    return this.g;
  }

  /** Sets the gain g > 0 (a RangeError otherwise). */
  set gain(v: number) {
    this.g = checkPositive('GradedHopfieldNetwork.gain', 'gain', v);
  }

  /**
   * Stores `patterns` in the weights with a rule (`'hebbian'`, `'storkey'`,
   * `'pseudo-inverse'`), replacing them and zeroing the biases.
   *
   * @param patterns - `[K, N]` spins (0/1 with `binary`), any {@link DataInput}
   * @param options - `rule`, `binary`, `onEpoch`
   * @returns a one-entry {@link FitResult}
   * @throws {TypeError | RangeError | ShapeError} on bad patterns or options, an `onEpoch` that is not a function or a `signal` that is not an AbortSignal (nothing changes)
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * const net = new GradedHopfieldNetwork(4);
   * net.fit([[1, -1, 1, -1]], { rule: 'storkey' }).history[0].steps; // 1
   * ```
   */
  fit(patterns: DataInput, options?: GradedFitOptions): FitResult {
    const where = 'GradedHopfieldNetwork.fit';
    const t0 = now();
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const rule = o.rule === undefined ? 'hebbian' : checkOneOf(where, 'rule', o.rule, ['hebbian', 'storkey', 'pseudo-inverse'] as const);
    checkCallbacks(where, o);
    if (o.epochs !== undefined) checkSteps(where, 'epochs', o.epochs, 1);
    const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: this.dimension });
    // an already-aborted signal stores nothing, as every model's fit does
    if (o.signal?.aborted) return { history: [], epochs: 0, aborted: true };
    const w = storeWeightsUnchecked(xi, rule);
    this.weights.data.set(w.data);
    this.bias.fill(0);
    this.rule = rule;
    const m = { epoch: 0, steps: xi.rows, learningRate: Number.NaN, seconds: (now() - t0) / 1000 };
    o.onEpoch?.(m);
    return { history: [m], epochs: 1, aborted: false };
  }

  /**
   * Not incremental: the graded network stores its patterns in one pass.
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * try { new GradedHopfieldNetwork(2).partialFit([[1, 1]]); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  partialFit(_patterns: DataInput, _options?: GradedFitOptions): FitResult {
    throw new RangeError('GradedHopfieldNetwork.partialFit: the graded network stores all its patterns at once; call fit with every pattern');
  }

  private checkState(where: string, name: string, v: unknown): Float64Array {
    const s = checkVector(where, name, v, this.dimension);
    for (let i = 0; i < s.length; i++) {
      const x = s[i];
      if (!(x >= -1 && x <= 1)) throw new RangeError(`${where}: ${name} must hold values in [−1, 1] (got ${describeValue(x)} at index ${i})`);
    }
    return s;
  }

  /** `(W V + b)_i` (unchecked). */
  private field(v: Float64Array, i: number): number {
    const n = this.dimension, w = this.weights.data, o = i * n;
    let h = this.bias[i];
    for (let j = 0; j < n; j++) h += w[o + j] * v[j];
    return h;
  }

  /**
   * The Lyapunov energy `E(V) = −½ VᵀWV − bᵀV + g⁻¹ Σ_i ½[(1+V_i)ln(1+V_i) + (1−V_i)ln(1−V_i)]`.
   *
   * @param v - length-N outputs in [−1, 1]
   * @returns the energy
   * @throws {TypeError | ShapeError | RangeError} on a bad state
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * new GradedHopfieldNetwork(1, { gain: 1 }).energy(Float64Array.of(0)); // 0
   * ```
   */
  energy(v: Float64Array): number {
    this.checkState('GradedHopfieldNetwork.energy', 'v', v);
    return this.energyUnchecked(v);
  }

  private energyUnchecked(v: Float64Array): number {
    const n = this.dimension;
    let e = 0;
    for (let i = 0; i < n; i++) e += -0.5 * v[i] * (this.field(v, i) - this.bias[i]) - this.bias[i] * v[i] + entropyTerm(v[i]) / this.g;
    return e;
  }

  /**
   * Runs the dynamics from `cue` (outputs in [−1, 1]; the continuous modes start
   * from `u = tanh⁻¹(V)/g`, with ±1 moved just inside) until no output moves by
   * more than `tolerance`.
   *
   * @param cue - length-N outputs in [−1, 1] (not modified)
   * @param options - mode (`'async'`, `'euler'`, `'rk4'`), dt, maxSweeps, tolerance, order, rng, clamp
   * @returns the final outputs `V`, convergence, sweeps or steps, sign changes (`flips`) and the energy after each
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (`rng` is checked even when unused; `maxSweeps` above `LIMITS.maxSteps` is a RangeError naming it)
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * const net = new GradedHopfieldNetwork(4, { gain: 5 });
   * net.fit([[1, -1, 1, -1]]);
   * const r = net.evolve(Float64Array.of(0.3, -0.3, -0.1, -0.3), { mode: 'rk4', dt: 0.1 });
   * r.state[2] > 0; // true
   * ```
   */
  evolve(cue: Float64Array, options?: GradedEvolveOptions): EvolveResult {
    return this.run('GradedHopfieldNetwork.evolve', cue, options);
  }

  private run(where: string, cue: Float64Array, options: GradedEvolveOptions | undefined): EvolveResult {
    const o = checkOptionsKeys(where, options, EVOLVE_KEYS);
    this.checkState(where, 'cue', cue);
    const mode = o.mode === undefined ? 'async' : checkOneOf(where, 'mode', o.mode, ['async', 'euler', 'rk4'] as const);
    const dt = o.dt === undefined ? 0.05 : checkPositive(where, 'dt', o.dt);
    const maxSweeps = o.maxSweeps === undefined ? 1000 : checkSize(where, 'maxSweeps', o.maxSweeps, 1, 'maxSteps');
    const tol = o.tolerance === undefined ? 1e-9 : checkPositive(where, 'tolerance', o.tolerance);
    const order = o.order === undefined ? 'sequential' : checkOneOf(where, 'order', o.order, ['sequential', 'random'] as const);
    const n = this.dimension;
    if (o.clamp !== undefined) {
      if (!(o.clamp instanceof Uint8Array)) throw new TypeError(`${where}: clamp must be a Uint8Array (got ${describeValue(o.clamp)})`);
      if (o.clamp.length !== n) throw new ShapeError(`${where}: clamp must have length ${n} (got ${o.clamp.length})`);
    }
    const clamp = o.clamp;
    const given = o.rng === undefined ? undefined : toRandom(o.rng, where);
    const rng = mode === 'async' && order === 'random' ? (given ?? this.random) : null;
    const v = cue.slice();
    const start = cue.slice();
    const energies = [this.energyUnchecked(v)];
    const g = this.g;
    let sweeps = 0, converged = false;
    if (mode === 'async') {
      const visit: number[] = [];
      for (let i = 0; i < n; i++) if (!clamp?.[i]) visit.push(i);
      while (sweeps < maxSweeps) {
        if (rng) {
          for (let a = visit.length - 1; a > 0; a--) {
            const r = rng.int(a + 1);
            const t = visit[a];
            visit[a] = visit[r];
            visit[r] = t;
          }
        }
        let moved = 0;
        for (const i of visit) {
          const nv = tanh(g * this.field(v, i));
          const d = nv - v[i];
          if ((d < 0 ? -d : d) > moved) moved = d < 0 ? -d : d;
          v[i] = nv;
        }
        sweeps++;
        energies.push(this.energyUnchecked(v));
        if (moved <= tol) {
          converged = true;
          break;
        }
      }
    } else {
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = atanh(Math.max(-EDGE, Math.min(EDGE, v[i]))) / g;
      const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n);
      const tmp = new Float64Array(n), vt = new Float64Array(n);
      /** `out = du/dt` at potentials `uu` (clamped units: 0). */
      const deriv = (uu: Float64Array, out: Float64Array): void => {
        for (let i = 0; i < n; i++) vt[i] = clamp?.[i] ? start[i] : tanh(g * uu[i]);
        for (let i = 0; i < n; i++) out[i] = clamp?.[i] ? 0 : -uu[i] + this.field(vt, i);
      };
      while (sweeps < maxSweeps) {
        deriv(u, k1);
        if (mode === 'euler') {
          for (let i = 0; i < n; i++) u[i] += dt * k1[i];
        } else {
          for (let i = 0; i < n; i++) tmp[i] = u[i] + 0.5 * dt * k1[i];
          deriv(tmp, k2);
          for (let i = 0; i < n; i++) tmp[i] = u[i] + 0.5 * dt * k2[i];
          deriv(tmp, k3);
          for (let i = 0; i < n; i++) tmp[i] = u[i] + dt * k3[i];
          deriv(tmp, k4);
          for (let i = 0; i < n; i++) u[i] += (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        // A fixed point of the flow is du/dt = 0 (saturated outputs barely move while u still does).
        let moved = 0;
        for (let i = 0; i < n; i++) {
          v[i] = clamp?.[i] ? start[i] : tanh(g * u[i]);
          const d = k1[i];
          if ((d < 0 ? -d : d) > moved) moved = d < 0 ? -d : d;
        }
        sweeps++;
        energies.push(this.energyUnchecked(v));
        if (moved <= tol) {
          converged = true;
          break;
        }
      }
    }
    let flips = 0;
    for (let i = 0; i < n; i++) if (v[i] > 0 !== start[i] > 0) flips++;
    return { state: v, converged, sweeps, flips, energies: Float64Array.from(energies), cycle: false };
  }

  /**
   * Retrieval: {@link GradedHopfieldNetwork.evolve} from the cue, returning the
   * same result (threshold `state` at 0 for a binary answer).
   *
   * @param cue - length-N outputs in [−1, 1]
   * @param options - as for evolve
   * @returns the evolution result
   * @throws {TypeError | ShapeError | RangeError} on a bad cue or options (as {@link GradedHopfieldNetwork.evolve})
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * const net = new GradedHopfieldNetwork(4);
   * net.fit([[1, -1, 1, -1]]);
   * Array.from(net.recall(Float64Array.of(1, 1, 1, -1)).state, Math.sign); // [1, -1, 1, -1]
   * ```
   */
  recall(cue: Float64Array, options?: GradedEvolveOptions): EvolveResult {
    return this.run('GradedHopfieldNetwork.recall', cue, options);
  }

  /**
   * Not defined: the graded-response network is deterministic and defines no distribution.
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * try { new GradedHopfieldNetwork(2).sample(1); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  sample(_n: number, _options?: object): Matrix {
    throw new RangeError('GradedHopfieldNetwork.sample: the graded-response network is deterministic and defines no probability distribution to sample; use evolve/recall (or HopfieldNetwork for the stochastic binary network)');
  }

  /**
   * Not defined (see {@link GradedHopfieldNetwork.sample}).
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * try { new GradedHopfieldNetwork(2).scoreSamples([[1, 1]]); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  scoreSamples(_data: DataInput, _options?: object): Float64Array {
    throw new RangeError('GradedHopfieldNetwork.scoreSamples: the graded-response network defines no likelihood to score; use energy() or recall quality');
  }

  /**
   * Not defined (see {@link GradedHopfieldNetwork.sample}).
   *
   * @throws {RangeError} always
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * try { new GradedHopfieldNetwork(2).score([[1, 1]]); } catch (e) { (e as Error).name; } // 'RangeError'
   * ```
   */
  score(_data: DataInput, _options?: object): ScoreResult {
    throw new RangeError('GradedHopfieldNetwork.score: the graded-response network defines no likelihood to score; use energy() or recall quality');
  }

  /**
   * Saves the network as a `'graded-hopfield'` document: config `n`, `gain`,
   * `rule`; tensors `weights` `[N, N]`, `bias` `[N]`.
   *
   * @returns the document
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * new GradedHopfieldNetwork(2).toDocument().kind; // 'graded-hopfield'
   * ```
   */
  toDocument(): ModelDocument {
    const n = this.dimension;
    return {
      format: 'boltzmann',
      version: 1,
      kind: this.kind,
      config: { n, gain: this.g, rule: this.rule },
      tensors: { weights: tensorToJson({ shape: [n, n], data: this.weights.data }), bias: tensorToJson({ shape: [n], data: this.bias }) },
      state: modelState(this.random),
    };
  }

  /**
   * Loads a network saved by {@link GradedHopfieldNetwork.toDocument}.
   *
   * @param doc - the parsed document
   * @param options - `rng` of the loaded network's stream (default: the saved stream, `state.rng`, continued; seed 0 for a document without one)
   * @returns the network
   * @throws {FormatError} when the document is malformed, asymmetric or has a non-zero diagonal
   * @throws {TypeError | RangeError} on unknown options or a bad `rng`
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * const net = new GradedHopfieldNetwork(3, { gain: 4 });
   * net.fit([[1, -1, 1]]);
   * GradedHopfieldNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument()))).gain; // 4
   * ```
   */
  static fromDocument(doc: unknown, options?: { rng?: number | Random }): GradedHopfieldNetwork {
    const o = checkOptionsKeys('GradedHopfieldNetwork.fromDocument', options, RNG_KEYS);
    const rng = o.rng === undefined ? undefined : toRandom(o.rng, 'GradedHopfieldNetwork.fromDocument');
    const d = checkDocument(doc, 'graded-hopfield');
    const where = 'load graded-hopfield';
    const n = d.config.n, gain = d.config.gain;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new FormatError(`${where}: config.n must be a positive integer (got ${describeValue(n)})`);
    if (typeof gain !== 'number' || !Number.isFinite(gain) || gain <= 0) throw new FormatError(`${where}: config.gain must be a positive number (got ${describeValue(gain)})`);
    const rule = readRule(where, d, HOPFIELD_RULES);
    const w = readTensor(d, 'weights', [n, n]);
    const b = readTensor(d, 'bias', [n]);
    try {
      checkAllFinite(where, 'weights', w.data);
      checkAllFinite(where, 'bias', b.data);
    } catch (e) {
      throw new FormatError((e as Error).message);
    }
    for (let i = 0; i < n; i++) {
      if (w.data[i * n + i] !== 0) throw new FormatError(`${where}: weights must have a zero diagonal (w[${i}][${i}] = ${w.data[i * n + i]})`);
      for (let j = 0; j < i; j++) if (w.data[i * n + j] !== w.data[j * n + i]) throw new FormatError(`${where}: weights must be symmetric (w[${i}][${j}] ≠ w[${j}][${i}])`);
    }
    const net = new GradedHopfieldNetwork(n, { rng, gain });
    net.weights.data.set(w.data);
    net.bias.set(b.data);
    net.rule = rule;
    if (rng === undefined) restoreModelRandom(where, d, net.random);
    return net;
  }

  /**
   * An independent copy (weights, biases, gain, rule, and a copy of the generator stream).
   *
   * @returns the copy
   * @example
   * ```ts
   * import { GradedHopfieldNetwork } from 'boltzmann';
   * const a = new GradedHopfieldNetwork(3, { gain: 2 });
   * a.clone().gain; // 2
   * ```
   */
  clone(): GradedHopfieldNetwork {
    const c = new GradedHopfieldNetwork(this.dimension, { rng: this.random.clone(), gain: this.g });
    c.weights.data.set(this.weights.data);
    c.bias.set(this.bias);
    c.rule = this.rule;
    return c;
  }
}

const RNG_KEYS = optionKeys<{ rng?: number | Random }>()({ rng: true });

/** `onEpoch` a function and `signal` an AbortSignal, when given. */
function checkCallbacks(where: string, o: { onEpoch?: unknown; signal?: unknown }): void {
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
