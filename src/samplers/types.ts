/**
 * The one sampler interface. Every Markov-chain sampler in `boltzmann` (Gibbs,
 * Metropolis–Hastings, tempering, Langevin, …) implements {@link Sampler}, so
 * {@link runChain}, annealing and the diagnostics work with all of them.
 * @module
 */
import type { RandomState } from '../random/random.js';

/** A JSON-serialisable snapshot of a sampler: its state, generator and counters.
 * @category Sampling
 */
export interface SamplerSnapshot {
  /** Sampler kind, e.g. `'gibbs'`, `'metropolis'`. */
  readonly kind: string;
  /** The chain's current state. */
  readonly state: number[];
  /** The temperature at which the chain runs. */
  readonly temperature: number;
  /** The generator's full state. */
  readonly rng: RandomState;
  /** Sampler-specific extras (acceptance counters, step size, …). */
  readonly extra?: Record<string, unknown>;
}

/**
 * A Markov chain over vectors of length `dimension` that leaves the Boltzmann
 * distribution `P(x) ∝ exp(−E(x)/T)` invariant.
 * @category Sampling
 */
export interface Sampler {
  /** Number of coordinates of a state. */
  readonly dimension: number;
  /** The current state (a live view: copy it to keep it). */
  readonly state: Float64Array;
  /** The temperature `T > 0`; settable, for annealing. */
  temperature: number;
  /** Sets the chain's state (validated) and any cached quantities. */
  setState(x: Float64Array): void;
  /** Advances the chain by one sweep (one update attempt per free coordinate) or one step. */
  step(): void;
  /** Energy of the current state. */
  energy(): number;
  /** Saves everything needed to resume bit-exactly. */
  snapshot(): SamplerSnapshot;
  /** Restores a {@link SamplerSnapshot}. */
  restore(snapshot: SamplerSnapshot): void;
  /**
   * Optional: fraction of proposals accepted since construction or the last
   * statistics reset (Metropolis–Hastings, MALA, tempering). `NaN` before any
   * proposal. Samplers that never reject (Gibbs, unadjusted Langevin) omit it.
   */
  readonly acceptanceRate?: number;
}

/** Options of {@link runChain}.
 * @category Sampling
 */
export interface RunOptions {
  /** Number of samples to record. */
  nSamples: number;
  /** Steps discarded before the first sample. Default 0. */
  burnIn?: number;
  /** Steps between recorded samples. Default 1. */
  thin?: number;
  /** Called with each recorded sample (a live view) and its index. */
  onSample?: (x: Float64Array, index: number) => void;
  /** Record the energy of each sample. Default true. */
  recordEnergy?: boolean;
}

/** Result of {@link runChain}.
 * @category Sampling
 */
export interface RunResult {
  /** `[nSamples, dimension]` recorded states, row-major. */
  readonly samples: Float64Array;
  /** Energy of each recorded state (empty when not recorded). */
  readonly energies: Float64Array;
  /** Number of recorded samples. */
  readonly nSamples: number;
  /** Dimension of each sample. */
  readonly dimension: number;
}
