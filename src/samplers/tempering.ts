/**
 * Parallel tempering (replica exchange, Swendsen & Wang 1986; Geyer 1991)
 * over any {@link Sampler}.
 * @module
 */
import type { EnergyModel } from '../energy/types.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { exp, pow } from '../math/elementary.js';
import { MAX_STREAMS, Random, toRandom } from '../random/random.js';
import { checkElements, checkInt, checkOptionsKeys, checkPositive, checkSize, checkVector, optionKeys } from '../validate.js';
import { checkEnergyModel, checkModelState, checkSampler, checkSnapshotEnvelope } from './common.js';
import { Metropolis } from './metropolis.js';
import type { Sampler, SamplerSnapshot } from './types.js';

/**
 * A geometric temperature ladder `T_k = tMin · (tMax/tMin)^{k/(n−1)}`,
 * `k = 0 … n−1` (constant acceptance of swaps when the heat capacity is flat).
 *
 * @param tMin - lowest (target) temperature, > 0
 * @param tMax - highest temperature, ≥ tMin
 * @param n - number of rungs, an integer in [2, `LIMITS.maxSteps`]
 * @returns the ascending ladder
 * @throws {RangeError | TypeError} on bad arguments
 * @example
 * ```ts
 * import { geometricLadder } from 'boltzmann';
 * geometricLadder(1, 8, 4); // Float64Array ≈ [1, 2, 4, 8] (the ends exact; 2 and 4 to within rounding of 8^(1/3), 8^(2/3))
 * ```
 * @category Sampling
 */
export function geometricLadder(tMin: number, tMax: number, n: number): Float64Array {
  checkPositive('geometricLadder', 'tMin', tMin);
  checkPositive('geometricLadder', 'tMax', tMax);
  if (tMax < tMin) throw new RangeError(`geometricLadder: tMax must be >= tMin (got ${tMax} < ${tMin})`);
  checkSize('geometricLadder', 'n', n, 2, 'maxSteps');
  const out = new Float64Array(n);
  const r = tMax / tMin;
  for (let k = 0; k < n; k++) out[k] = k === n - 1 ? tMax : tMin * pow(r, k / (n - 1));
  return out;
}

/** Builds the replica sampler at one rung of the ladder.
 * @category Sampling
 */
export type ReplicaFactory = (model: EnergyModel, temperature: number, rng: Random, index: number) => Sampler;

/** Options of {@link ParallelTempering}.
 * @category Sampling
 */
export interface ParallelTemperingOptions {
  /** The ladder, strictly ascending, ≥ 2 rungs; rung 0 is the target temperature. */
  temperatures?: ArrayLike<number>;
  /** Without `temperatures`: lowest temperature (default 1) of a geometric ladder… */
  temperature?: number;
  /** …up to this temperature (default 10·temperature)… */
  tMax?: number;
  /** …with this many rungs (default 8; an integer in [2, 2²⁰], one generator stream each). */
  nReplicas?: number;
  /** Seed or generator: swaps draw from it, replica `k` from its stream `k` (`rng.streams`). Default seed 0. */
  rng?: number | Random;
  /** Initial state of every replica (copied, validated). Default: each replica's own random start. */
  initial?: Float64Array;
  /**
   * Builds the replica sampler of each rung. Default: a {@link Metropolis}
   * sampler at that temperature (`stepSize` for continuous models).
   */
  replica?: ReplicaFactory;
  /** Random-walk step of the default Metropolis replicas (continuous models). Default 1. */
  stepSize?: number;
  /** Replica steps between swap rounds. Default 1. */
  swapEvery?: number;
}

const TEMPERING_KEYS = optionKeys<ParallelTemperingOptions>()({
  temperatures: true,
  temperature: true,
  tMax: true,
  nReplicas: true,
  rng: true,
  initial: true,
  replica: true,
  stepSize: true,
  swapEvery: true,
});

/**
 * Parallel tempering: `K` replicas of the model at temperatures
 * `T_0 < T_1 < … < T_{K−1}`, each advanced by its own sampler, with swaps of
 * adjacent states accepted with probability
 * `min(1, exp((1/T_k − 1/T_{k+1}) · (E_k − E_{k+1})))`,
 * which keeps the product of the `K` Boltzmann distributions invariant.
 * Swap rounds alternate between even pairs `(0,1), (2,3), …` and odd pairs
 * `(1,2), (3,4), …` (deterministic even–odd scheme).
 *
 * The sampler's {@link ParallelTempering.state} is replica 0's (the target
 * temperature); setting {@link ParallelTempering.temperature} rescales the ladder.
 * Swap statistics per adjacent pair are in {@link ParallelTempering.swapAcceptanceRates}.
 *
 * @example
 * ```ts
 * import { ParallelTempering, QuadraticEnergy, fromArrays, runChain } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin');
 * const pt = new ParallelTempering(e, { temperature: 0.3, tMax: 5, nReplicas: 6, rng: 1 });
 * runChain(pt, { nSamples: 100 });
 * pt.swapAcceptanceRates; // one rate per adjacent pair
 * ```
 * @category Sampling
 */
export class ParallelTempering implements Sampler {
  /** Number of coordinates. */
  readonly dimension: number;
  /** The energy model being sampled. */
  readonly model: EnergyModel;
  /** The replica samplers, rung 0 (target temperature) first. */
  readonly replicas: readonly Sampler[];
  /** Replica steps between swap rounds. */
  readonly swapEvery: number;
  private readonly ladder: Float64Array;
  private readonly attempts: Float64Array;
  private readonly accepts: Float64Array;
  private readonly scratch: Float64Array;
  private rng: Random;
  private stepCount = 0;
  private round = 0;

  /**
   * @param model - any energy model
   * @param options - see {@link ParallelTemperingOptions}
   * @throws {TypeError | RangeError | ShapeError} on a bad model or options
   */
  constructor(model: EnergyModel, options?: ParallelTemperingOptions) {
    const where = 'ParallelTempering';
    checkEnergyModel(where, model);
    const o = checkOptionsKeys(where, options, TEMPERING_KEYS);
    let ladder: Float64Array;
    if (o.temperatures !== undefined) {
      const t = o.temperatures;
      if (t === null || typeof t !== 'object' || typeof t.length !== 'number') {
        throw new TypeError(`${where}: temperatures must be an array of numbers (got ${describeValue(t)})`);
      }
      if (t.length < 2) throw new RangeError(`${where}: temperatures must have at least 2 rungs (got ${describeValue(t.length)})`);
      checkInt(where, 'temperatures.length', t.length, 2, MAX_STREAMS);
      checkElements(where, 'rungs × model.dimension', t.length, model.dimension);
      ladder = new Float64Array(t.length);
      for (let k = 0; k < t.length; k++) {
        ladder[k] = checkPositive(where, `temperatures[${k}]`, t[k]);
        if (k > 0 && !(ladder[k] > ladder[k - 1])) throw new RangeError(`${where}: temperatures must be strictly ascending`);
      }
    } else {
      const tMin = o.temperature === undefined ? 1 : checkPositive(where, 'temperature', o.temperature);
      const tMax = o.tMax === undefined ? 10 * tMin : checkPositive(where, 'tMax', o.tMax);
      if (!(tMax > tMin)) throw new RangeError(`${where}: tMax must be > temperature (got ${tMax})`);
      // one generator stream and one replica per rung
      const n = o.nReplicas === undefined ? 8 : checkInt(where, 'nReplicas', o.nReplicas, 2, MAX_STREAMS);
      checkElements(where, 'nReplicas × model.dimension', n, model.dimension);
      ladder = geometricLadder(tMin, tMax, n);
    }
    const swapEvery = o.swapEvery === undefined ? 1 : checkInt(where, 'swapEvery', o.swapEvery, 1);
    if (o.replica !== undefined && typeof o.replica !== 'function') throw new TypeError(`${where}: replica must be a function (got ${describeValue(o.replica)})`);
    const step = o.stepSize === undefined ? undefined : checkPositive(where, 'stepSize', o.stepSize);
    const initial = o.initial === undefined ? undefined : checkModelState(where, 'initial', model, o.initial);
    const rng = toRandom(o.rng ?? 0, where);
    const streams = rng.streams(ladder.length);
    const factory: ReplicaFactory =
      o.replica ?? ((m, t, r) => new Metropolis(m, { temperature: t, rng: r, ...(step === undefined ? {} : { stepSize: step }) }));
    const replicas: Sampler[] = [];
    for (let k = 0; k < ladder.length; k++) {
      const s: unknown = factory(model, ladder[k], streams[k], k);
      const r = checkSampler(where, `replica ${k}`, s);
      if (r.dimension !== model.dimension) {
        throw new ShapeError(`${where}: replica ${k} must be a Sampler of dimension ${model.dimension} (got ${r.dimension})`);
      }
      if (typeof r.setState !== 'function' || typeof r.snapshot !== 'function' || typeof r.restore !== 'function') {
        throw new TypeError(`${where}: replica ${k} must be a Sampler with setState, snapshot and restore methods`);
      }
      r.temperature = ladder[k];
      if (initial) r.setState(initial);
      replicas.push(r);
    }
    this.model = model;
    this.dimension = model.dimension;
    this.replicas = replicas;
    this.ladder = ladder;
    this.swapEvery = swapEvery;
    this.attempts = new Float64Array(ladder.length - 1);
    this.accepts = new Float64Array(ladder.length - 1);
    this.scratch = new Float64Array(model.dimension);
    this.rng = rng;
  }

  /** Replica 0's state: a sample at the target temperature (live view). */
  get state(): Float64Array {
    return this.replicas[0].state;
  }

  /** The temperature ladder (a copy), rung 0 first. */
  get temperatures(): Float64Array {
    return this.ladder.slice();
  }

  /**
   * The target temperature `T_0`. Setting it rescales the whole ladder by `T/T_0`;
   * a value that is not positive and finite, or that would make a rung overflow to
   * `Infinity`, is a RangeError and changes nothing.
   */
  get temperature(): number {
    return this.ladder[0];
  }
  set temperature(t: number) {
    const where = 'ParallelTempering.temperature';
    const v = checkPositive(where, 'temperature', t);
    const f = v / this.ladder[0];
    // the whole new ladder first: a rung that overflows is refused before anything changes
    const next = new Float64Array(this.ladder.length);
    for (let k = 0; k < next.length; k++) {
      next[k] = k === 0 ? v : this.ladder[k] * f;
      if (!(next[k] > 0 && Number.isFinite(next[k]))) {
        throw new RangeError(`${where}: temperature ${describeValue(v)} rescales rung ${k} to ${describeValue(next[k])}, not a positive finite temperature`);
      }
    }
    for (let k = 0; k < next.length; k++) {
      this.ladder[k] = next[k];
      this.replicas[k].temperature = next[k];
    }
  }

  /** Swap acceptance rate of each adjacent pair `(k, k+1)` (`NaN` before its first attempt). */
  get swapAcceptanceRates(): Float64Array {
    const out = new Float64Array(this.attempts.length);
    for (let k = 0; k < out.length; k++) out[k] = this.attempts[k] === 0 ? Number.NaN : this.accepts[k] / this.attempts[k];
    return out;
  }

  /** Swap attempts of each adjacent pair (a copy). */
  get swapAttempts(): Float64Array {
    return this.attempts.slice();
  }

  /** Accepted swaps of each adjacent pair (a copy). */
  get swapAccepts(): Float64Array {
    return this.accepts.slice();
  }

  /**
   * Zeroes the swap counters.
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * for (let t = 0; t < 100; t++) pt.step(); // burn-in
   * pt.resetStatistics(); // swap rates count from here
   * ```
   */
  resetStatistics(): void {
    this.attempts.fill(0);
    this.accepts.fill(0);
  }

  /**
   * Sets every replica to `x` (validated).
   * @throws {TypeError | RangeError | ShapeError} on a bad state (nothing changes)
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * pt.setState(Float64Array.of(1, 1));
   * ```
   */
  setState(x: Float64Array): void {
    checkModelState('ParallelTempering.setState', 'x', this.model, x);
    for (const r of this.replicas) r.setState(x);
  }

  /**
   * Advances every replica by one step; every `swapEvery` steps, one round of adjacent swaps.
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * pt.step(); // every replica advances; swaps every swapEvery steps
   * ```
   */
  step(): void {
    const reps = this.replicas;
    for (let k = 0; k < reps.length; k++) reps[k].step();
    this.stepCount++;
    if (this.stepCount % this.swapEvery === 0) this.swapRound();
  }

  /**
   * One round of swap attempts over the even or odd adjacent pairs (alternating).
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * pt.swapRound(); // one round of adjacent swap attempts, without moving the replicas
   * ```
   */
  swapRound(): void {
    const reps = this.replicas;
    const t = this.ladder;
    for (let k = this.round & 1; k + 1 < reps.length; k += 2) {
      const a = reps[k];
      const b = reps[k + 1];
      const logA = (1 / t[k] - 1 / t[k + 1]) * (a.energy() - b.energy());
      this.attempts[k]++;
      if (logA >= 0 || this.rng.float64() < exp(logA)) {
        this.accepts[k]++;
        this.scratch.set(a.state);
        a.setState(b.state);
        b.setState(this.scratch);
      }
    }
    this.round++;
  }

  /**
   * Energy of replica 0.
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * pt.step();
   * pt.energy(); // replica 0's energy (the target temperature)
   * ```
   */
  energy(): number {
    return this.replicas[0].energy();
  }

  /**
   * Writes each replica's energy into `out` (length `K`) and returns it.
   * @throws {TypeError | ShapeError} when `out` is not a Float64Array of length `K`
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * pt.replicaEnergies().length; // 4
   * ```
   */
  replicaEnergies(out: Float64Array = new Float64Array(this.replicas.length)): Float64Array {
    checkVector('ParallelTempering.replicaEnergies', 'out', out, this.replicas.length);
    for (let k = 0; k < this.replicas.length; k++) out[k] = this.replicas[k].energy();
    return out;
  }

  /**
   * Saves the swap generator, the ladder, swap counters and every replica's snapshot.
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * const saved = JSON.stringify(pt.snapshot()); // every replica, the ladder, the swap generator
   * ```
   */
  snapshot(): SamplerSnapshot {
    return {
      kind: 'tempering',
      state: Array.from(this.state),
      temperature: this.ladder[0],
      rng: this.rng.getState(),
      extra: {
        temperatures: Array.from(this.ladder),
        attempts: Array.from(this.attempts),
        accepts: Array.from(this.accepts),
        stepCount: this.stepCount,
        round: this.round,
        replicas: this.replicas.map((r) => r.snapshot()),
      },
    };
  }

  /**
   * Restores a snapshot of a tempering sampler with the same number of replicas.
   * @throws {FormatError} when the snapshot does not fit
   *
   * @example
   * ```ts
   * import { ParallelTempering, QuadraticEnergy, fromArrays } from 'boltzmann';
   * const pt = new ParallelTempering(new QuadraticEnergy(fromArrays([[0, 2], [2, 0]]), new Float64Array(2), 'spin'), { temperature: 0.3, tMax: 5, nReplicas: 4, rng: 1 });
   * const saved = pt.snapshot();
   * pt.step();
   * const e = pt.energy();
   * pt.restore(saved);
   * pt.step();
   * pt.energy() === e; // true
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    const where = 'ParallelTempering.restore';
    checkSnapshotEnvelope(where, snapshot, 'tempering', this.dimension);
    const ex = snapshot.extra ?? {};
    const k = this.replicas.length;
    const temps = ex.temperatures;
    const reps = ex.replicas;
    const okArr = (v: unknown, n: number) => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && x >= 0);
    if (!okArr(temps, k) || !okArr(ex.attempts, k - 1) || !okArr(ex.accepts, k - 1) || !Array.isArray(reps) || reps.length !== k) {
      throw new FormatError(`${where}: snapshot must describe ${k} replicas`);
    }
    const ts = temps as number[];
    for (let i = 0; i < k; i++) {
      if (!(ts[i] > 0 && Number.isFinite(ts[i]))) {
        throw new FormatError(`${where}: snapshot.extra.temperatures must be positive and finite (got ${describeValue(ts[i])} at rung ${i})`);
      }
    }
    const stepCount = ex.stepCount;
    const round = ex.round;
    if (!Number.isSafeInteger(stepCount) || !Number.isSafeInteger(round)) {
      throw new FormatError(`${where}: snapshot.extra.stepCount and round must be integers`);
    }
    const rng = Random.fromState(snapshot.rng);
    // Replicas validate their own snapshots; on failure roll every replica back.
    const backup = this.replicas.map((r) => r.snapshot());
    try {
      for (let i = 0; i < k; i++) this.replicas[i].restore(reps[i] as SamplerSnapshot);
    } catch (e) {
      for (let i = 0; i < k; i++) this.replicas[i].restore(backup[i]);
      throw e;
    }
    this.ladder.set(temps as number[]);
    this.attempts.set(ex.attempts as number[]);
    this.accepts.set(ex.accepts as number[]);
    this.stepCount = stepCount as number;
    this.round = round as number;
    this.rng = rng;
  }
}
