/**
 * Gibbs sampling for quadratic energies (Hopfield networks, Ising models,
 * Boltzmann machines), with local fields kept up to date incrementally.
 * @module
 */
import { localFieldsUnchecked, QuadraticEnergy, quadraticEnergyUnchecked } from '../energy/quadratic.js';
import { describeValue, FormatError, ShapeError } from '../errors.js';
import { sigmoid } from '../linalg/stable.js';
import { GIBBS_WASM_MIN_UNITS, gibbsSweepWasm, useSequentialWasm } from '../linalg/wasm/sequential.js';
import { Random, toRandom } from '../random/random.js';
import { checkElements, checkOneOf, checkOptionsKeys, checkPositive, checkSize, optionKeys } from '../validate.js';
import { snapshotState } from './common.js';
import { type UpdateTrace, UpdateTraceRecorder } from './trace.js';
import type { Sampler, SamplerSnapshot } from './types.js';

/** Options of {@link QuadraticGibbs}.
 * @category Sampling
 */
export interface QuadraticGibbsOptions {
  /** Temperature `T > 0`. Default 1. */
  temperature?: number;
  /** `'sequential'` (units in index order) or `'random'` (a uniformly random free unit per update). Default `'sequential'`. */
  scan?: 'sequential' | 'random';
  /** Clamp mask: units with a non-zero entry are held at their current value. Length `n`. */
  clamp?: Uint8Array;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
  /** Initial state (copied). Default: uniformly random over the domain. */
  initial?: Float64Array;
}

const GIBBS_KEYS = optionKeys<QuadraticGibbsOptions>()({ temperature: true, scan: true, clamp: true, rng: true, initial: true });

/**
 * Gibbs sampler for `P(s) ∝ exp(−E(s)/T)` with `E(s) = −½ sᵀWs − bᵀs`.
 *
 * Each update redraws one free unit from its exact conditional:
 * - spins: `P(y_i = +1 | rest) = σ(2 h_i / T)`;
 * - binary: `P(s_i = 1 | rest) = σ(h_i / T)`;
 *
 * where `h_i = Σ_j w_ij s_j + b_i`. When a unit changes by `δ`, every field is
 * updated by `h_j += w_ji δ` (O(n) per change, never a full `W·s`).
 * One {@link QuadraticGibbs.step} is a sweep of `nFree` updates.
 *
 * @example
 * ```ts
 * import { QuadraticGibbs, QuadraticEnergy, fromArrays } from 'boltzmann';
 * const e = new QuadraticEnergy(fromArrays([[0, 1], [1, 0]]), new Float64Array(2), 'spin');
 * const g = new QuadraticGibbs(e, { temperature: 0.5, rng: 42 });
 * g.step(); g.state; // a ±1 vector
 * ```
 * @category Sampling
 */
export class QuadraticGibbs implements Sampler {
  /** Number of units. */
  readonly dimension: number;
  /** The energy being sampled (weights held by reference). */
  readonly model: QuadraticEnergy;
  /** The current state (live view). */
  readonly state: Float64Array;
  /** The local fields `W s + b` of the current state (live view; do not modify). */
  readonly fields: Float64Array;
  /** Scan order. */
  readonly scan: 'sequential' | 'random';
  private readonly free: Uint32Array;
  private readonly clampMask: Uint8Array;
  private rng: Random;
  private temp: number;
  private flips = 0;

  /** @throws {TypeError | RangeError | ShapeError} when `model` is not a {@link QuadraticEnergy}, or on bad options */
  constructor(model: QuadraticEnergy, options?: QuadraticGibbsOptions) {
    if (!(model instanceof QuadraticEnergy)) {
      throw new TypeError(`QuadraticGibbs: model must be a QuadraticEnergy (got ${describeValue(model)})`);
    }
    const o = checkOptionsKeys('QuadraticGibbs', options, GIBBS_KEYS);
    this.model = model;
    const n = model.dimension;
    this.dimension = n;
    this.temp = o.temperature === undefined ? 1 : checkPositive('QuadraticGibbs', 'temperature', o.temperature);
    this.scan = o.scan === undefined ? 'sequential' : checkOneOf('QuadraticGibbs', 'scan', o.scan, ['sequential', 'random'] as const);
    if (o.clamp !== undefined) {
      if (!(o.clamp instanceof Uint8Array)) throw new TypeError(`QuadraticGibbs: clamp must be a Uint8Array (got ${describeValue(o.clamp)})`);
      if (o.clamp.length !== n) throw new ShapeError(`QuadraticGibbs: clamp must have length ${n} (got ${o.clamp.length})`);
    }
    this.clampMask = o.clamp ? o.clamp.slice() : new Uint8Array(n);
    this.rng = toRandom(o.rng ?? 0, 'QuadraticGibbs');
    const initial = o.initial === undefined ? undefined : model.checkState('QuadraticGibbs', 'initial', o.initial);
    const freeList: number[] = [];
    for (let i = 0; i < n; i++) if (!this.clampMask[i]) freeList.push(i);
    this.free = Uint32Array.from(freeList);
    this.state = new Float64Array(n);
    this.fields = new Float64Array(n);
    if (initial) this.state.set(initial);
    else {
      const lo = model.domain === 'spin' ? -1 : 0;
      for (let i = 0; i < n; i++) this.state[i] = this.rng.float64() < 0.5 ? lo : 1;
    }
    this.refreshFields();
  }

  /** The temperature `T`. Setting it validates `T > 0`. */
  get temperature(): number {
    return this.temp;
  }
  set temperature(t: number) {
    this.temp = checkPositive('QuadraticGibbs.temperature', 'temperature', t);
  }

  /** Number of unit changes since construction (a cheap activity measure for annealing). */
  get flipCount(): number {
    return this.flips;
  }

  /** The clamp mask (copy). */
  get clamp(): Uint8Array {
    return this.clampMask.slice();
  }

  /**
   * Recomputes every field from scratch (after the weights changed).
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const net = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]);
   * const g = net.gibbs({ rng: 1 });
   * net.weights.data.fill(0); // weights changed behind the sampler's back
   * g.refreshFields();
   * ```
   */
  refreshFields(): void {
    localFieldsUnchecked(this.fields, this.model.weights.data, this.model.bias, this.state, this.dimension);
  }

  /**
   * Sets the state (validated: length and unit convention) and recomputes the fields.
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ rng: 1 });
   * g.setState(Float64Array.of(-1, 1, -1));
   * Array.from(g.state); // [−1, 1, −1]
   * ```
   */
  setState(x: Float64Array): void {
    this.model.checkState('QuadraticGibbs.setState', 'x', x);
    this.state.set(x);
    this.refreshFields();
  }

  /**
   * Redraws unit `i` from its conditional; returns whether it changed.
   *
   * @param i - unit index, an integer in `[0, n)`
   * @throws {RangeError} when `i` is not such an index (nothing changes)
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ temperature: 0.5, rng: 1 });
   * g.updateUnit(0); // true when unit 0 changed
   * ```
   */
  updateUnit(i: number): boolean {
    const n = this.state.length;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`QuadraticGibbs.updateUnit: i must be an integer in [0, ${n}) (got ${describeValue(i)})`);
    }
    return this.updateUnitUnchecked(i);
  }

  /** {@link QuadraticGibbs.updateUnit} without the index check (the sweeps' loop). */
  private updateUnitUnchecked(i: number): boolean {
    const h = this.fields[i];
    const spin = this.model.domain === 'spin';
    const p = spin ? sigmoid((2 * h) / this.temp) : sigmoid(h / this.temp);
    const hi = 1;
    const lo = spin ? -1 : 0;
    const v = this.rng.float64() < p ? hi : lo;
    const old = this.state[i];
    if (v === old) return false;
    this.setUnitUnchecked(i, v);
    return true;
  }

  /**
   * Sets unit `i` to `v` and updates every field (O(n)). Unchecked.
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ rng: 1, initial: Float64Array.of(1, -1, 1) });
   * g.setUnitUnchecked(1, 1); // fields follow incrementally
   * g.state[1]; // 1
   * ```
   */
  setUnitUnchecked(i: number, v: number): void {
    const delta = v - this.state[i];
    if (delta === 0) return;
    this.state[i] = v;
    const n = this.dimension;
    const w = this.model.weights.data;
    const f = this.fields;
    const o = i * n;
    for (let j = 0; j < n; j++) f[j] += w[o + j] * delta;
    this.flips++;
  }

  /**
   * One sweep: `nFree` single-unit updates, in index order or at random. Returns the number of changes.
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1, -1], [-1, 0, -1, 1], [1, -1, 0, -1], [-1, 1, -1, 0]]).gibbs({ temperature: 1, rng: 2 });
   * const changed = g.step(); // one sweep: 4 single-unit updates
   * ```
   */
  step(): number {
    const free = this.free;
    const m = free.length;
    if (m > 0 && useSequentialWasm(this.dimension, GIBBS_WASM_MIN_UNITS, this.rng)) {
      // The same sweep in WebAssembly (same draws, same bits) where it is available and worth it.
      const spin = this.model.domain === 'spin';
      const changed = gibbsSweepWasm(this.model.weights.data, this.state, this.fields, free, this.dimension, spin, this.temp, this.scan === 'random', this.rng);
      this.flips += changed;
      return changed;
    }
    let changed = 0;
    if (this.scan === 'sequential') {
      for (let k = 0; k < m; k++) if (this.updateUnitUnchecked(free[k])) changed++;
    } else {
      for (let k = 0; k < m; k++) if (this.updateUnitUnchecked(free[this.rng.int(m)])) changed++;
    }
    return changed;
  }

  /**
   * Runs `sweeps` sweeps exactly as {@link QuadraticGibbs.step} would (the same
   * draws, states and fields) and returns one {@link UpdateTrace} row per
   * single-unit update: the unit, its field before the update, the energy
   * change `−(s_new − s_old) h_i` (0 when it kept its value), its new value and
   * the energy after (from the fields, O(n) per row). Sweeps count from 1.
   *
   * @param sweeps - number of sweeps (default 1; at most `LIMITS.maxSteps`, and `sweeps × nFree` rows at most `LIMITS.maxElements`)
   * @returns the trace ({@link formatTrace} prints it)
   * @throws {TypeError | RangeError} when `sweeps` is not such an integer (nothing changes)
   * @example
   * ```ts
   * import { HopfieldNetwork, formatTrace } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ temperature: 0.5, rng: 1 });
   * const t = g.traceSweeps(2);
   * t.length; // 6: two sweeps of three updates
   * console.log(formatTrace(t));
   * ```
   */
  traceSweeps(sweeps = 1): UpdateTrace {
    const where = 'QuadraticGibbs.traceSweeps';
    const count = checkSize(where, 'sweeps', sweeps, 1, 'maxSteps');
    checkElements(where, 'sweeps × free units', count, this.free.length);
    const n = this.dimension;
    const b = this.model.bias;
    const s = this.state;
    const f = this.fields;
    const energyNow = (): number => {
      let e = 0;
      for (let j = 0; j < n; j++) e += s[j] * (f[j] + b[j]);
      return -0.5 * e;
    };
    const rec = new UpdateTraceRecorder(energyNow());
    const free = this.free;
    const m = free.length;
    for (let t = 1; t <= count; t++) {
      for (let k = 0; k < m; k++) {
        const i = this.scan === 'sequential' ? free[k] : free[this.rng.int(m)];
        const h = f[i];
        const old = s[i];
        const changed = this.updateUnitUnchecked(i);
        rec.push(t, i, h, changed ? -(s[i] - old) * h : 0, s[i], energyNow(), changed);
      }
    }
    return rec.finish();
  }

  /**
   * Energy of the current state, `−½ sᵀWs − bᵀs` (temperature-free).
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ rng: 1, initial: Float64Array.of(1, -1, 1) });
   * g.energy(); // −3: the stored pattern's energy, −½·(3 pairs · 2 · 1)
   * ```
   */
  energy(): number {
    return quadraticEnergyUnchecked(this.model.weights.data, this.model.bias, this.state, this.dimension);
  }

  /** The generator this chain draws from (advanced by every step). */
  get random(): Random {
    return this.rng;
  }

  /**
   * Saves state, temperature, generator and clamp mask.
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1], [-1, 0, -1], [1, -1, 0]]).gibbs({ rng: 1 });
   * const saved = JSON.stringify(g.snapshot()); // state, temperature, generator, clamp
   * ```
   */
  snapshot(): SamplerSnapshot {
    return {
      kind: 'gibbs',
      state: Array.from(this.state),
      temperature: this.temp,
      rng: this.rng.getState(),
      extra: { scan: this.scan, clamp: Array.from(this.clampMask) },
    };
  }

  /**
   * Restores a snapshot taken from a sampler of the same model and clamp mask.
   * @throws {FormatError} when the snapshot does not fit this sampler
   *
   * @example
   * ```ts
   * import { HopfieldNetwork } from 'boltzmann';
   * const g = HopfieldNetwork.fromWeights([[0, -1, 1, -1], [-1, 0, -1, 1], [1, -1, 0, -1], [-1, 1, -1, 0]]).gibbs({ rng: 1 });
   * const s = g.snapshot();
   * g.step();
   * const after = Array.from(g.state);
   * g.restore(s);
   * g.step();
   * Array.from(g.state).join() === after.join(); // true: the same sweep again
   * ```
   */
  restore(snapshot: SamplerSnapshot): void {
    if (snapshot?.kind !== 'gibbs' || !Array.isArray(snapshot.state) || snapshot.state.length !== this.dimension) {
      throw new FormatError(`QuadraticGibbs.restore: snapshot must be a 'gibbs' snapshot of dimension ${this.dimension}`);
    }
    const s = snapshotState('QuadraticGibbs.restore', snapshot.state);
    this.model.checkState('QuadraticGibbs.restore', 'snapshot.state', s);
    const t = checkPositive('QuadraticGibbs.restore', 'snapshot.temperature', snapshot.temperature);
    const rng = Random.fromState(snapshot.rng);
    this.state.set(s);
    this.temp = t;
    this.rng = rng;
    this.refreshFields();
  }
}
