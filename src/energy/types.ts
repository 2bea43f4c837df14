/**
 * The energy interface that every model and sampler shares.
 * @module
 */

/**
 * The state space of an energy model:
 * - `'binary'`: each unit in {0, 1} (Boltzmann machines, RBMs);
 * - `'spin'`: each unit in {−1, +1} (Hopfield networks, Ising models);
 * - `'continuous'`: each coordinate a real number.
 * @category Models
 */
export type Domain = 'binary' | 'spin' | 'continuous';

/**
 * An energy function `E(x)` over vectors of length `dimension`, defining the
 * Boltzmann distribution `P(x) = exp(−E(x)/T) / Z`. Hopfield networks,
 * Boltzmann machines, RBMs (joint or free energy), the Ising model and user
 * functions all implement it, so every sampler works on every model.
 * @category Models
 */
export interface EnergyModel {
  /** Number of coordinates of a state. */
  readonly dimension: number;
  /** The state space. */
  readonly domain: Domain;
  /** `E(x)`. Must not modify `x`. */
  energy(x: Float64Array): number;
  /**
   * Optional: `E(x') − E(x)` where `x'` is `x` with coordinate `i` flipped
   * (`s ↦ 1 − s` for binary, `y ↦ −y` for spins). Must not modify `x`.
   */
  deltaEnergyFlip?(x: Float64Array, i: number): number;
  /** Optional: writes `∇ₓE(x)` into `out` and returns it (continuous domains). */
  gradient?(out: Float64Array, x: Float64Array): Float64Array;
}
