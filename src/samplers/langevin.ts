/**
 * Langevin dynamics for differentiable energies: the unadjusted Langevin
 * algorithm (ULA) and the Metropolis-adjusted Langevin algorithm (MALA).
 * @module
 */
import type { EnergyModel } from '../energy/types.js';
import { FormatError } from '../errors.js';
import { exp } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { checkOneOf, checkOptionsKeys, checkPositive, optionKeys } from '../validate.js';
import { checkEnergyModel, checkEnergyValue, checkModelState, checkSnapshotEnvelope, initialState, readCounter } from './common.js';
import type { Sampler, SamplerSnapshot } from './types.js';

/** Options of {@link Langevin}.
 * @category Sampling
 */
export interface LangevinOptions {
  /** Step size `ε > 0`. Default 0.01. */
  stepSize?: number;
  /** `'ula'` (unadjusted, biased by O(ε)) or `'mala'` (Metropolis-adjusted, exact). Default `'ula'`. */
  method?: 'ula' | 'mala';
  /** Temperature `T > 0`: the chain samples `exp(−E/T)`. Default 1. */
  temperature?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
  /** Initial state (copied, finite). Default zeros. */
  initial?: Float64Array;
}

const LANGEVIN_KEYS = optionKeys<LangevinOptions>()({ stepSize: true, method: true, temperature: true, rng: true, initial: true });

/**
 * Langevin sampler of `P(x) ∝ exp(−E(x)/T)` for continuous models with a
 * gradient. With `U = E/T`, one {@link Langevin.step} is
 *
 * `x' = x − (ε/2) ∇U(x) + √ε · ξ`,  `ξ ~ N(0, I)`
 *
 * (at `T = 1`: `x ← x − (ε/2)∇E(x) + √ε ξ`). This is the standard
 * unadjusted Langevin step written with step size `ε` (the form in
 * Du & Mordatch 2019, whom the lecture only cites by a figure). The lecture
 * itself gives no Langevin formula: its generic sampler is the Metropolis
 * rule (`s' ← s + noise`, accept with `min(1, exp(E(s) − E(s')))`), see
 * `Metropolis`. Written with a drift step `δ = ε/2` the same update reads
 * `x ← x − δ∇E + √(2δ) ξ`.
 * ULA always moves and samples a distribution that is O(ε) off the target.
 * MALA treats `x'` as a proposal with `q(x'|x) = N(x'; x − (ε/2)∇U(x), ε I)`
 * and accepts it with probability
 * `min(1, exp(U(x) − U(x') + (|x' − μ(x)|² − |x − μ(x')|²) / (2ε)))`,
 * `μ(y) = y − (ε/2)∇U(y)`, which makes the chain exact for any ε.
 *
 * @example
 * ```ts
 * import { Langevin, runChain } from 'boltzmann';
 * const gaussian = {
 *   dimension: 2, domain: 'continuous' as const,
 *   energy: (x: Float64Array) => 0.5 * (x[0] ** 2 + x[1] ** 2),
 *   gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; out[1] = x[1]; return out; },
 * };
 * const mala = new Langevin(gaussian, { stepSize: 0.5, method: 'mala', rng: 1 });
 * runChain(mala, { nSamples: 1000, burnIn: 100 });
 * mala.acceptanceRate; // ≈ 0.96
 * ```
 * @category Sampling
 */
export class Langevin implements Sampler {
  /** Number of coordinates. */
  readonly dimension: number;
  /** The energy model being sampled (must have `gradient`). */
  readonly model: EnergyModel;
  /** The current state (live view; copy it to keep it). */
  readonly state: Float64Array;
  /** `'ula'` or `'mala'`. */
  readonly method: 'ula' | 'mala';
  private readonly grad: Float64Array;
  private readonly gradNew: Float64Array;
  private readonly candidate: Float64Array;
  private readonly gradient: (out: Float64Array, x: Float64Array) => Float64Array;
  private eps: number;
  private temp: number;
  private rng: Random;
  private currentEnergy = 0;
  private energyValid = false;
  private nAccepted = 0;
  private nProposed = 0;

  /**
   * @param model - a continuous energy model with `gradient`
   * @param options - see {@link LangevinOptions}
   * @throws {TypeError | RangeError | ShapeError} on a bad model or options
   */
  constructor(model: EnergyModel, options?: LangevinOptions) {
    const where = 'Langevin';
    checkEnergyModel(where, model);
    if (model.domain !== 'continuous') throw new RangeError(`${where}: model.domain must be 'continuous' (got '${model.domain}')`);
    if (typeof model.gradient !== 'function') throw new TypeError(`${where}: model must have a gradient(out, x) method`);
    const o = checkOptionsKeys(where, options, LANGEVIN_KEYS);
    const eps = o.stepSize === undefined ? 0.01 : checkPositive(where, 'stepSize', o.stepSize);
    const method = o.method === undefined ? 'ula' : checkOneOf(where, 'method', o.method, ['ula', 'mala'] as const);
    const temp = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    const initial = o.initial === undefined ? undefined : checkModelState(where, 'initial', model, o.initial);
    const rng = toRandom(o.rng ?? 0, where);
    const n = model.dimension;
    this.model = model;
    this.dimension = n;
    this.method = method;
    this.eps = eps;
    this.temp = temp;
    this.rng = rng;
    this.gradient = model.gradient.bind(model);
    this.state = new Float64Array(n);
    this.grad = new Float64Array(n);
    this.gradNew = new Float64Array(n);
    this.candidate = new Float64Array(n);
    if (initial) this.state.set(initial);
    else initialState(this.state, model, rng);
    this.refresh();
  }

  /** The temperature `T`; setting it validates `T > 0`. */
  get temperature(): number {
    return this.temp;
  }
  set temperature(t: number) {
    this.temp = checkPositive('Langevin.temperature', 'temperature', t);
  }

  /** The step size `ε`; setting it validates `ε > 0`. */
  get stepSize(): number {
    return this.eps;
  }
  /** Sets the step size `ε` (validated `> 0`). */
  set stepSize(e: number) {
    this.eps = checkPositive('Langevin.stepSize', 'stepSize', e);
  }

  /** MALA: proposals accepted since construction or {@link Langevin.resetStatistics}. ULA: every step. */
  get accepted(): number {
    return this.nAccepted;
  }

  /** Proposals (steps) made since construction or {@link Langevin.resetStatistics}. */
  get proposed(): number {
    return this.nProposed;
  }

  /** `accepted / proposed` (always 1 for ULA), `NaN` before the first step. */
  get acceptanceRate(): number {
    return this.nProposed === 0 ? Number.NaN : this.nAccepted / this.nProposed;
  }

  /**
   * Zeroes the acceptance counters.
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const mala = new Langevin(gaussian, { stepSize: 0.5, method: 'mala', rng: 1 });
   * for (let t = 0; t < 100; t++) mala.step(); // burn-in
   * mala.resetStatistics(); // the acceptance rate counts from here
   * ```
   */
  resetStatistics(): void {
    this.nAccepted = 0;
    this.nProposed = 0;
  }

  /** The generator this chain draws from. */
  get random(): Random {
    return this.rng;
  }

  private refresh(): void {
    this.gradient(this.grad, this.state);
    if (this.method === 'mala') {
      this.currentEnergy = checkEnergyValue('Langevin', 'model.energy', this.model.energy(this.state));
      this.energyValid = true;
    } else this.energyValid = false;
  }

  /**
   * Sets the state (finite, right length) and recomputes the cached gradient.
   * @throws {TypeError | RangeError | ShapeError} on a bad state (nothing changes)
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const ula = new Langevin(gaussian, { stepSize: 0.1, rng: 1 });
   * ula.setState(Float64Array.of(3));
   * ula.energy(); // 4.5
   * ```
   */
  setState(x: Float64Array): void {
    checkModelState('Langevin.setState', 'x', this.model, x);
    this.state.set(x);
    this.refresh();
  }

  /**
   * One Langevin step (ULA) or one MALA proposal with its accept/reject.
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const ula = new Langevin(gaussian, { stepSize: 0.1, rng: 1 });
   * ula.step(); // x ← x − (ε/2)∇E(x) + √ε·ξ, here x ← 0.95·x + √0.1·ξ
   * ```
   */
  step(): void {
    const x = this.state;
    const g = this.grad;
    const c = this.candidate;
    const n = this.dimension;
    const eps = this.eps;
    const invT = 1 / this.temp;
    const half = 0.5 * eps * invT; // (ε/2)·∇U = (ε/2T)·∇E
    const sd = Math.sqrt(eps);
    this.nProposed++;
    if (this.method === 'ula') {
      for (let i = 0; i < n; i++) x[i] = x[i] - half * g[i] + sd * this.rng.normal();
      this.gradient(g, x);
      this.energyValid = false;
      this.nAccepted++;
      return;
    }
    // MALA. forward = |x' − μ(x)|² = ε|ξ|², backward = |x − μ(x')|².
    let forward = 0;
    for (let i = 0; i < n; i++) {
      const xi = sd * this.rng.normal();
      c[i] = x[i] - half * g[i] + xi;
      forward += xi * xi;
    }
    const e1 = checkEnergyValue('Langevin.step', 'model.energy', this.model.energy(c));
    const gn = this.gradient(this.gradNew, c);
    let backward = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - c[i] + half * gn[i];
      backward += d * d;
    }
    const logA = (this.currentEnergy - e1) * invT + (forward - backward) / (2 * eps);
    if (logA >= 0 || this.rng.float64() < exp(logA)) {
      x.set(c);
      g.set(gn);
      this.currentEnergy = e1;
      this.nAccepted++;
    }
  }

  /**
   * Energy of the current state (cached for MALA, computed on demand for ULA).
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const mala = new Langevin(gaussian, { stepSize: 0.5, method: 'mala', rng: 1 });
   * mala.setState(Float64Array.of(2));
   * mala.energy(); // 2
   * ```
   */
  energy(): number {
    if (!this.energyValid) {
      this.currentEnergy = checkEnergyValue('Langevin.energy', 'model.energy', this.model.energy(this.state));
      this.energyValid = true;
    }
    return this.currentEnergy;
  }

  /**
   * Saves state, temperature, step size, generator and counters.
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const saved = JSON.stringify(new Langevin(gaussian, { stepSize: 0.1, rng: 1 }).snapshot());
   * ```
   */
  snapshot(): SamplerSnapshot {
    return {
      kind: 'langevin',
      state: Array.from(this.state),
      temperature: this.temp,
      rng: this.rng.getState(),
      extra: { method: this.method, stepSize: this.eps, accepted: this.nAccepted, proposed: this.nProposed },
    };
  }

  /**
   * Restores a snapshot of a sampler of the same model and method; later steps repeat bit for bit.
   * @throws {FormatError | RangeError} when the snapshot does not fit (nothing changes)
   *
   * @example
   * ```ts
   * import { Langevin } from 'boltzmann';
   * const gaussian = { dimension: 1, domain: 'continuous' as const, energy: (x: Float64Array) => 0.5 * x[0] * x[0], gradient: (out: Float64Array, x: Float64Array) => { out[0] = x[0]; return out; } };
   * const ula = new Langevin(gaussian, { stepSize: 0.1, rng: 1 });
   * const saved = ula.snapshot();
   * ula.step();
   * const x = ula.state[0];
   * ula.restore(saved);
   * ula.step();
   * ula.state[0] === x; // true
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    const where = 'Langevin.restore';
    const s = checkSnapshotEnvelope(where, snapshot, 'langevin', this.dimension);
    checkModelState(where, 'snapshot.state', this.model, s);
    const t = checkPositive(where, 'snapshot.temperature', snapshot.temperature);
    if (snapshot.extra?.method !== this.method) throw new FormatError(`${where}: snapshot.extra.method must be '${this.method}'`);
    const eps = checkPositive(where, 'snapshot.extra.stepSize', snapshot.extra?.stepSize);
    const accepted = readCounter(where, snapshot.extra, 'accepted');
    const proposed = readCounter(where, snapshot.extra, 'proposed');
    const rng = Random.fromState(snapshot.rng);
    this.state.set(s);
    this.temp = t;
    this.eps = eps;
    this.rng = rng;
    this.nAccepted = accepted;
    this.nProposed = proposed;
    this.refresh();
  }
}
