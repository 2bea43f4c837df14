/**
 * Metropolis–Hastings for any {@link EnergyModel}: single-flip moves for
 * binary and spin states, a Gaussian random walk for continuous states, or a
 * user proposal with its log q-ratio.
 * @module
 */
import { QuadraticEnergy } from '../energy/quadratic.js';
import type { EnergyModel } from '../energy/types.js';
import { describeValue, FormatError } from '../errors.js';
import { METROPOLIS_WASM_MIN_UNITS, metropolisSweepWasm, useSequentialWasm } from '../linalg/wasm/sequential.js';
import { exp, log } from '../math/elementary.js';
import { Random, toRandom } from '../random/random.js';
import { checkAllFinite, checkOneOf, checkOptionsKeys, checkPositive, optionKeys } from '../validate.js';
import {
  checkEnergyModel,
  checkEnergyValue,
  checkModelState,
  checkSnapshotEnvelope,
  flippedValue,
  initialState,
  readCounter,
  ZERO_COST_ACCEPTANCE,
} from './common.js';
import type { Sampler, SamplerSnapshot } from './types.js';

/** log of {@link ZERO_COST_ACCEPTANCE}, the log-ratio a zero-cost flip is accepted with. */
const LOG_ZERO_COST_ACCEPTANCE = log(ZERO_COST_ACCEPTANCE);

/**
 * A user proposal for {@link Metropolis}. `propose` writes a candidate `x'`
 * into `out` (never modifying `x`) and returns the log proposal ratio
 * `log q(x | x') − log q(x' | x)` (0 for symmetric proposals). It must draw
 * every random number from `rng`.
 * @category Sampling
 */
export interface Proposal {
  /**
   * Draws `x' ~ q(· | x)` into `out`.
   * @param out - the candidate (length `dimension`; written)
   * @param x - the current state (read only)
   * @param rng - the chain's generator
   * @returns `log q(x | x') − log q(x' | x)`
   */
  propose(out: Float64Array, x: Float64Array, rng: Random): number;
}

/** Options of {@link Metropolis}.
 * @category Sampling
 */
export interface MetropolisOptions {
  /** Temperature `T > 0`: the chain samples `exp(−E/T)`. Default 1. */
  temperature?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
  /** Initial state (copied, validated). Default: uniform random for discrete models, zeros for continuous. */
  initial?: Float64Array;
  /** Discrete models: sites in index order (`'sequential'`) or uniformly at random. Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /**
   * Continuous models: standard deviation of the Gaussian random-walk proposal
   * `x' = x + stepSize·ξ`, a number or one per coordinate. Default 1.
   */
  stepSize?: number | Float64Array;
  /** A user proposal; replaces the built-in moves. One proposal per {@link Metropolis.step}. */
  proposal?: Proposal;
}

const METROPOLIS_KEYS = optionKeys<MetropolisOptions>()({
  temperature: true,
  rng: true,
  initial: true,
  scan: true,
  stepSize: true,
  proposal: true,
});

/**
 * Metropolis–Hastings sampler of `P(x) ∝ exp(−E(x)/T)`.
 *
 * A proposal `x'` is accepted with probability
 * `min(1, exp(−(E(x') − E(x))/T) · q(x | x') / q(x' | x))`.
 *
 * - Binary and spin models: one {@link Metropolis.step} is a sweep of `n`
 *   single-flip proposals (symmetric, so the q-ratio is 1). The energy change
 *   uses `model.deltaEnergyFlip` when present, else two energy evaluations. In
 *   a sequential scan a flip with `ΔE = 0` exactly is accepted with probability
 *   0.9 rather than 1, which keeps detailed balance and keeps fixed-order
 *   sweeps irreducible on models with exact ties (the Ising model at `H = 0`).
 * - Continuous models: one step is one joint Gaussian random-walk proposal.
 * - A user {@link Proposal}: one step is one proposal, corrected by its q-ratio.
 *
 * A proposal with a non-finite energy is rejected. Acceptance counts are kept
 * in {@link Metropolis.accepted} / {@link Metropolis.proposed}.
 *
 * @example
 * ```ts
 * import { Metropolis, QuadraticEnergy, fromArrays, runChain } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * const mh = new Metropolis(e, { temperature: 0.5, rng: 42 });
 * runChain(mh, { nSamples: 100, burnIn: 10 });
 * mh.acceptanceRate; // a number in [0, 1]
 * ```
 * @category Sampling
 */
export class Metropolis implements Sampler {
  /** Number of coordinates. */
  readonly dimension: number;
  /** The energy model being sampled. */
  readonly model: EnergyModel;
  /** The current state (live view; copy it to keep it). */
  readonly state: Float64Array;
  /** Site order for discrete single-flip sweeps. */
  readonly scan: 'sequential' | 'random';
  private readonly proposal: Proposal | undefined;
  private readonly steps: Float64Array;
  private readonly candidate: Float64Array;
  private rng: Random;
  private temp: number;
  private currentEnergy: number;
  private nAccepted = 0;
  private nProposed = 0;

  /**
   * @param model - any energy model
   * @param options - see {@link MetropolisOptions}
   * @throws {TypeError | RangeError | ShapeError} on a bad model or options
   */
  constructor(model: EnergyModel, options?: MetropolisOptions) {
    const where = 'Metropolis';
    checkEnergyModel(where, model);
    const o = checkOptionsKeys(where, options, METROPOLIS_KEYS);
    const n = model.dimension;
    const temp = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
    const scan = o.scan === undefined ? 'sequential' : checkOneOf(where, 'scan', o.scan, ['sequential', 'random'] as const);
    const steps = new Float64Array(n);
    if (o.stepSize === undefined) steps.fill(1);
    else if (typeof o.stepSize === 'number') steps.fill(checkPositive(where, 'stepSize', o.stepSize));
    else {
      if (!(o.stepSize instanceof Float64Array) || o.stepSize.length !== n) {
        throw new TypeError(`${where}: stepSize must be a positive number or a Float64Array of length ${n} (got ${describeValue(o.stepSize)})`);
      }
      for (let i = 0; i < n; i++) checkPositive(where, `stepSize[${i}]`, o.stepSize[i]);
      steps.set(o.stepSize);
    }
    if (o.proposal !== undefined && (o.proposal === null || typeof o.proposal.propose !== 'function')) {
      throw new TypeError(`${where}: proposal must be an object with a propose(out, x, rng) method (got ${describeValue(o.proposal)})`);
    }
    const initial = o.initial === undefined ? undefined : checkModelState(where, 'initial', model, o.initial);
    const rng = toRandom(o.rng ?? 0, where);
    this.model = model;
    this.dimension = n;
    this.temp = temp;
    this.scan = scan;
    this.steps = steps;
    this.proposal = o.proposal;
    this.rng = rng;
    this.state = new Float64Array(n);
    this.candidate = new Float64Array(n);
    if (initial) this.state.set(initial);
    else initialState(this.state, model, rng);
    this.currentEnergy = checkEnergyValue(where, 'model.energy', model.energy(this.state));
  }

  /** The temperature `T`; setting it validates `T > 0`. */
  get temperature(): number {
    return this.temp;
  }
  set temperature(t: number) {
    this.temp = checkPositive('Metropolis.temperature', 'temperature', t);
  }

  /** Proposals accepted since construction or {@link Metropolis.resetStatistics}. */
  get accepted(): number {
    return this.nAccepted;
  }

  /** Proposals made since construction or {@link Metropolis.resetStatistics}. */
  get proposed(): number {
    return this.nProposed;
  }

  /** `accepted / proposed`, or `NaN` before the first proposal. */
  get acceptanceRate(): number {
    return this.nProposed === 0 ? Number.NaN : this.nAccepted / this.nProposed;
  }

  /**
   * Zeroes the acceptance counters (e.g. after burn-in).
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { rng: 1 });
   * for (let t = 0; t < 100; t++) mh.step(); // burn-in
   * mh.resetStatistics(); // acceptanceRate counts from here
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

  /**
   * Sets the state (validated for length and unit convention) and recomputes its energy.
   * @throws {TypeError | RangeError | ShapeError} on a bad state (nothing changes)
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { rng: 1 });
   * mh.setState(Float64Array.of(1, 1));
   * mh.energy(); // −1
   * ```
   */
  setState(x: Float64Array): void {
    checkModelState('Metropolis.setState', 'x', this.model, x);
    const e = checkEnergyValue('Metropolis.setState', 'model.energy', this.model.energy(x));
    this.state.set(x);
    this.currentEnergy = e;
  }

  /**
   * One sweep of single-flip proposals (discrete) or one proposal (continuous / user).
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { temperature: 0.5, rng: 1 });
   * mh.step(); // one sweep of single-flip proposals
   * ```
   */
  step(): void {
    if (this.proposal !== undefined) this.proposeWith(this.proposal);
    else if (this.model.domain === 'continuous') this.randomWalk();
    else this.flipSweep(this.model.domain);
  }

  /**
   * Energy of the current state (cached; updated by accepted moves).
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { rng: 1 });
   * mh.setState(Float64Array.of(1, -1));
   * mh.energy(); // 1: the two spins disagree
   * ```
   */
  energy(): number {
    return this.currentEnergy;
  }

  private accept(logRatio: number): boolean {
    // logRatio = −ΔE/T + log q-ratio; NaN (from a non-finite energy) is rejected.
    this.nProposed++;
    if (logRatio >= 0 || this.rng.float64() < exp(logRatio)) {
      this.nAccepted++;
      return true;
    }
    return false;
  }

  private flipSite(i: number, domain: 'spin' | 'binary'): void {
    const x = this.state;
    const m = this.model;
    let dE: number;
    if (m.deltaEnergyFlip) dE = checkEnergyValue('Metropolis.step', 'model.deltaEnergyFlip', m.deltaEnergyFlip(x, i));
    else {
      const old = x[i];
      x[i] = flippedValue(domain, old);
      const e1: unknown = m.energy(x);
      x[i] = old;
      dE = checkEnergyValue('Metropolis.step', 'model.energy', e1) - this.currentEnergy;
    }
    // a zero-cost flip in a sequential scan: accepted with probability ZERO_COST_ACCEPTANCE, not 1
    if (this.accept(dE === 0 && this.scan === 'sequential' ? LOG_ZERO_COST_ACCEPTANCE : -dE / this.temp)) {
      x[i] = flippedValue(domain, x[i]);
      this.currentEnergy += dE;
    }
  }


  private flipSweep(domain: 'spin' | 'binary'): void {
    const n = this.dimension;
    const m = this.model;
    if (
      this.scan === 'sequential' &&
      m instanceof QuadraticEnergy &&
      m.deltaEnergyFlip === QuadraticEnergy.prototype.deltaEnergyFlip &&
      useSequentialWasm(n, METROPOLIS_WASM_MIN_UNITS, this.rng)
    ) {
      // The same sweep in WebAssembly (same sums, draws and bits) where it is available and worth it.
      const r = metropolisSweepWasm(m.weights.data, m.bias, this.state, n, domain === 'spin', this.temp, LOG_ZERO_COST_ACCEPTANCE, this.currentEnergy, this.rng);
      this.currentEnergy = r.energy;
      this.nAccepted += r.accepted;
      this.nProposed += n;
      return;
    }
    if (this.scan === 'sequential') for (let i = 0; i < n; i++) this.flipSite(i, domain);
    else for (let k = 0; k < n; k++) this.flipSite(this.rng.int(n), domain);
  }

  private randomWalk(): void {
    const x = this.state;
    const c = this.candidate;
    const s = this.steps;
    for (let i = 0; i < x.length; i++) c[i] = x[i] + s[i] * this.rng.normal();
    const e1 = checkEnergyValue('Metropolis.step', 'model.energy', this.model.energy(c));
    if (this.accept(-(e1 - this.currentEnergy) / this.temp)) {
      x.set(c);
      this.currentEnergy = e1;
    }
  }

  private proposeWith(p: Proposal): void {
    const c = this.candidate;
    c.set(this.state);
    const logQ: unknown = p.propose(c, this.state, this.rng);
    if (typeof logQ !== 'number') throw new TypeError(`Metropolis.step: proposal.propose must return the log q-ratio, a number (got ${describeValue(logQ)})`);
    const e1 = checkEnergyValue('Metropolis.step', 'model.energy', this.model.energy(c));
    if (this.accept(-(e1 - this.currentEnergy) / this.temp + logQ)) {
      this.state.set(c);
      this.currentEnergy = e1;
    }
  }

  /**
   * Saves state, temperature, generator, cached energy and acceptance counters.
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { rng: 1 });
   * const saved = JSON.stringify(mh.snapshot());
   * ```
   */
  snapshot(): SamplerSnapshot {
    return {
      kind: 'metropolis',
      state: Array.from(this.state),
      temperature: this.temp,
      rng: this.rng.getState(),
      extra: { accepted: this.nAccepted, proposed: this.nProposed, energy: this.currentEnergy },
    };
  }

  /**
   * Restores a snapshot of a sampler of the same model; later steps repeat bit for bit.
   * @throws {FormatError | RangeError} when the snapshot does not fit (nothing changes)
   *
   * @example
   * ```ts
   * import { Metropolis, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const mh = new Metropolis(new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin'), { temperature: 2, rng: 1 });
   * const saved = mh.snapshot();
   * mh.step();
   * const after = Array.from(mh.state);
   * mh.restore(saved);
   * mh.step();
   * Array.from(mh.state).join() === after.join(); // true
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    const where = 'Metropolis.restore';
    const s = checkSnapshotEnvelope(where, snapshot, 'metropolis', this.dimension);
    checkModelState(where, 'snapshot.state', this.model, s);
    const t = checkPositive(where, 'snapshot.temperature', snapshot.temperature);
    const rng = Random.fromState(snapshot.rng);
    const accepted = readCounter(where, snapshot.extra, 'accepted');
    const proposed = readCounter(where, snapshot.extra, 'proposed');
    const e = snapshot.extra?.energy;
    if (typeof e !== 'number' || Number.isNaN(e)) throw new FormatError(`${where}: snapshot.extra.energy must be a number`);
    this.state.set(s);
    this.temp = t;
    this.rng = rng;
    this.nAccepted = accepted;
    this.nProposed = proposed;
    this.currentEnergy = e;
  }
}

/**
 * A Gaussian random-walk {@link Proposal}, `x' = x + σ·ξ` (symmetric: log q-ratio 0).
 *
 * @param stepSize - `σ > 0`
 * @returns the proposal
 * @throws {RangeError} when `stepSize` is not positive
 * @example
 * ```ts
 * import { gaussianProposal } from 'boltzmann';
 * const q = gaussianProposal(0.5); // pass as { proposal: q } to Metropolis
 * ```
 * @category Sampling
 */
export function gaussianProposal(stepSize: number): Proposal {
  const s = checkPositive('gaussianProposal', 'stepSize', stepSize);
  return {
    propose(out, x, rng) {
      for (let i = 0; i < x.length; i++) out[i] = x[i] + s * rng.normal();
      return 0;
    },
  };
}

/**
 * An independence {@link Proposal}: `x' ~ N(mean, std² I)` regardless of `x`,
 * with log q-ratio `log q(x) − log q(x') = (|x' − μ|² − |x − μ|²) / (2σ²)`.
 * Exact only thanks to that ratio: a test that drops it sees the wrong distribution.
 *
 * @param mean - `μ`, finite, one entry per coordinate
 * @param std - `σ > 0`
 * @returns the proposal
 * @throws {TypeError | RangeError} on bad arguments
 * @example
 * ```ts
 * import { independenceProposal } from 'boltzmann';
 * const q = independenceProposal(new Float64Array(2), 2);
 * ```
 * @category Sampling
 */
export function independenceProposal(mean: Float64Array, std: number): Proposal {
  if (!(mean instanceof Float64Array)) throw new TypeError('independenceProposal: mean must be a Float64Array');
  checkAllFinite('independenceProposal', 'mean', mean);
  const s = checkPositive('independenceProposal', 'std', std);
  const mu = mean.slice();
  const inv = 1 / (2 * s * s);
  return {
    propose(out, x, rng) {
      let dx = 0;
      let dy = 0;
      for (let i = 0; i < mu.length; i++) {
        const y = mu[i] + s * rng.normal();
        out[i] = y;
        { const d = x[i] - mu[i]; dx += d * d; }
        { const d = y - mu[i]; dy += d * d; }
      }
      return (dy - dx) * inv;
    },
  };
}
