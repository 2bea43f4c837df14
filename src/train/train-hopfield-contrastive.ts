/**
 * Contrastive ("raise the valleys") training of a Hopfield network, as the
 * lecture develops it:
 *
 * `W ← W + η (E_{y∈P}[y yᵀ] − E_{y'}[y' y'ᵀ])`, diagonal kept at zero.
 *
 * Each update is a step of gradient descent on the contrastive objective
 * `J(W) = E_{y∈P}[E(y)] − E_{y'}[E(y')]` with `E(y) = −½ yᵀWy − bᵀy`, taken
 * with the valleys `y'` held fixed: it lowers `J` for the states used in that
 * update (by exactly `η·Σ_{i<j} dw_ij²` for the weights). That is all that is
 * guaranteed. It does not promise that the stored patterns' own energies fall:
 * their energy falls relative to the valleys', and the sum of their energies
 * can rise when the valleys' energy rises more. (The slide writes
 * `W ← W − η(…)`, which raises the objective: see docs/lecture-errata.md;
 * this is the direction that lowers `J`.) Four ways of finding valleys are
 * selectable:
 *
 * - `'all-states'` (the lecture's first formulation, "raise all non-desired
 *   states"): the negative term is the exact average of `y'y'ᵀ` over all
 *   `2^N − |P|` states not in `P`, by enumeration (`N ≤ 20`;
 *   larger networks are refused with a `RangeError`). Since `Σ_{all y} y_i y_j = 0` for
 *   `i ≠ j`, that average is `−Σ_{y∈P} y yᵀ / (2^N − |P|)` off the diagonal, so
 *   every epoch adds the same matrix `η (1/N_p + 1/(2^N − |P|)) Σ_{y∈P} y yᵀ`
 *   (distinct patterns): the update is a rescaled Hebbian rule and does not
 *   depend on `W` — the slide's "Issue??". It exists to show that.
 * - `'random-starts'` (a): random states evolved to convergence; valleys that
 *   are stored patterns are left out (the slide's `y' ∉ P`);
 * - `'from-patterns'` (b): each stored pattern evolved to convergence;
 * - `'few-steps'` (c, the SGD variant): a random stored pattern evolved for
 *   only a few (2–4) sweeps, raising just its neighbourhood.
 *
 * In (b) and (c) each pattern is paired with the valley it reaches, so a
 * pattern that is already a fixed point contributes nothing.
 *
 * Start from a storage rule's weights (usually Hebbian), not from zeros: the
 * update cannot tell a pattern from its reversal (`ξξᵀ = (−ξ)(−ξ)ᵀ`), so a
 * pattern whose evolution runs to `−ξ` gives no learning signal, and from zero
 * weights training can stall there.
 * @module
 */
import { NumericalError } from '../errors.js';
import { getKernel, withThreads } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import type { BaseFitOptions, EpochMetrics, FitResult } from '../models/contract.js';
import { evolveAsyncUnchecked, type HopfieldNetwork } from '../models/hopfield-network.js';
import { type Random, toRandom } from '../random/random.js';
import { checkBoolean, checkElements, checkInRange, checkInt, checkOneOf, checkOptionsKeys, checkPositive, checkSize, checkSteps, type DataInput, optionKeys } from '../validate.js';
import { checkAbortSignal, checkCallback } from './checks.js';
import { hebbianWeightsUnchecked, toSpinPatterns } from './hopfield-rules.js';

/** How the valleys `y'` are found (see the module description).
 * @category Training
 */
export type HopfieldContrastiveVariant = 'all-states' | 'random-starts' | 'from-patterns' | 'few-steps';

/** The largest network the `'all-states'` variant enumerates (`2^N` states). */
const ALL_STATES_MAX_N = 20;

/**
 * Options of {@link trainHopfieldContrastive}. The common fit options
 * (`epochs`, `onEpoch`, `signal`) come from {@link BaseFitOptions}.
 * @category Training
 */
export interface HopfieldContrastiveOptions extends BaseFitOptions {
  /** How to find the valleys. Default `'from-patterns'`. `'all-states'` needs `N ≤ 20`. */
  variant?: HopfieldContrastiveVariant;
  /**
   * Learning rate η (per weight, per averaged outer product). Default `1 / N`,
   * except `'few-steps'`: `0.1 / N` (see {@link HopfieldContrastiveOptions.steps}).
   */
  learningRate?: number;
  /**
   * Sweeps of evolution for `'few-steps'`. Default 1. The lecture says 2–4
   * steps; with 3 sweeps and η = 1/N the updates cycled without ever making all
   * patterns stable on 5 of 20 random sets of 6 patterns in N = 32 (and on
   * 2–5 of 20 at other small loads), while 1 sweep with η = 0.1/N made every
   * pattern stable on all 20 sets at each of N/P = 16/3, 16/4, 20/4, 24/5, 32/6,
   * 32/8, 48/10, 64/12, 100/20, within 9 epochs (measured with
   * `stopWhenStable`). Sets that no weights can store (two patterns, or a
   * pattern and another's reversal, one bit apart: the local field at that bit
   * is the same for both, so only an exact tie keeps both) still cycle; the
   * history's `warning` says so.
   */
  steps?: number;
  /** Random starts per epoch for `'random-starts'`. Default: the number of patterns. */
  starts?: number;
  /** Patterns per update for `'few-steps'` (the SGD mini-batch). Default 1. */
  batchSize?: number;
  /** Fraction of bits of each pattern flipped before evolving (`'from-patterns'`, `'few-steps'`), to raise a wider neighbourhood. Default 0. */
  cueNoise?: number;
  /** Also train the biases (`b ← b + η(E[y] − E[y'])`). Default false. */
  trainBias?: boolean;
  /** Sweep limit for evolution to convergence. Default 100. */
  maxSweeps?: number;
  /** Stop early once every pattern is a fixed point at the end of an epoch. Default false. */
  stopWhenStable?: boolean;
  /** Compute the per-epoch statistics and keep the history (costs one evolution per pattern). Default true. */
  statistics?: boolean;
  /** Accept 0/1 patterns. Default false. */
  binary?: boolean;
  /**
   * Start from the network's current weights (`'current'`, the default here) or
   * replace them first by the patterns' Hebbian weights with zero biases
   * (`'hebbian'`, the default of `HopfieldNetwork.fit`).
   */
  init?: 'current' | 'hebbian';
  /** Seed or generator; default: the network's own stream ({@link HopfieldNetwork.random}), continued. */
  rng?: number | Random;
  /** Threads for the kernel's products (see `withThreads`). */
  threads?: number;
}

const CONTRASTIVE_KEYS = optionKeys<HopfieldContrastiveOptions>()({
  epochs: true,
  onEpoch: true,
  signal: true,
  variant: true,
  learningRate: true,
  steps: true,
  starts: true,
  batchSize: true,
  cueNoise: true,
  trainBias: true,
  maxSweeps: true,
  stopWhenStable: true,
  statistics: true,
  binary: true,
  init: true,
  rng: true,
  threads: true,
});

/**
 * Trains `net` in place by contrastive "raise the valleys" updates so that the
 * stored patterns become (and stay) fixed points. Start from any storage
 * rule's weights (the current ones by default; `init: 'hebbian'` stores the
 * patterns by Hebb's rule first, as `net.fit(patterns, { rule: 'contrastive' })`
 * does). The diagonal stays exactly zero and the weights exactly symmetric.
 * Each update is computed into scratch and checked for finite values before it
 * is committed: a failing step leaves the network unchanged.
 *
 * One {@link EpochMetrics} per epoch (`epoch` from 0; `steps` counts committed
 * weight updates; `learningRate` is η), with the contrastive statistics
 * `stableFraction` (fraction of patterns that are fixed points), `meanOverlap`
 * (mean overlap `ξ·y/N` reached by evolution from each clean pattern) and
 * `changedPairs` ((pattern, valley) pairs that differed and so changed the
 * weights). With `statistics: false` the history is empty, `onEpoch` still
 * gets each epoch's counters (without the statistics). `onEpoch` returning
 * `false`, or `signal` aborting, stops after the current epoch.
 *
 * Cycles are reported, not hidden: when the weights keep changing for 20
 * epochs without the stable fraction reaching a new best (the updates of one
 * pattern undo another's), that epoch's metrics carry a `warning` (repeated
 * every further 20 such epochs) that names two patterns one bit apart when
 * that is the cause. Training goes on; stop it with `onEpoch`. The check needs
 * the stable fraction (`statistics` or `stopWhenStable`), and is not made for
 * `'all-states'`, whose update is the same every epoch by design.
 *
 * @param net - the network to train (its weights are updated in place)
 * @param patterns - `[nPatterns, N]` spins (0/1 with `binary`), any {@link DataInput}
 * @param options - variant, learning rate, epochs (default 20), steps, generator, …
 * @returns the {@link FitResult}: per-epoch metrics, epochs run, whether aborted
 * @throws {TypeError | RangeError | ShapeError} on bad input or an unknown option (nothing is changed)
 * @throws {NumericalError} when an update is not finite (the network is left as it was before that update)
 * @example
 * ```ts
 * import { HopfieldNetwork, trainHopfieldContrastive } from 'boltzmann';
 * const patterns = [[1, 1, -1, -1, 1, -1], [1, -1, 1, -1, -1, 1], [-1, 1, 1, 1, -1, -1]];
 * const net = new HopfieldNetwork(6, { rng: 1 });
 * net.fit(patterns); // Hebbian storage
 * trainHopfieldContrastive(net, patterns, { variant: 'few-steps', epochs: 50 }).history.at(-1)?.stableFraction;
 * ```
 * @category Training
 */
export function trainHopfieldContrastive(net: HopfieldNetwork, patterns: DataInput, options?: HopfieldContrastiveOptions): FitResult {
  return trainHopfieldContrastiveAt('trainHopfieldContrastive', net, patterns, options);
}

/**
 * {@link trainHopfieldContrastive} with the caller's name in error messages
 * (`HopfieldNetwork.fit` reports as itself).
 * @internal
 */
export function trainHopfieldContrastiveAt(where: string, net: HopfieldNetwork, patterns: DataInput, options?: HopfieldContrastiveOptions): FitResult {
  const o = checkOptionsKeys(where, options, CONTRASTIVE_KEYS);
  const n = net.dimension;
  const xi = toSpinPatterns(where, patterns, { binary: o.binary, dimension: n });
  const variant = o.variant === undefined ? 'from-patterns' : checkOneOf(where, 'variant', o.variant, ['all-states', 'random-starts', 'from-patterns', 'few-steps'] as const);
  if (variant === 'all-states' && n > ALL_STATES_MAX_N) {
    throw new RangeError(
      `${where}: variant 'all-states' enumerates all 2^N states and needs N ≤ ${ALL_STATES_MAX_N} (got N = ${n}); use 'random-starts', 'from-patterns' or 'few-steps'`,
    );
  }
  const eta = o.learningRate === undefined ? (variant === 'few-steps' ? 0.1 / n : 1 / n) : checkPositive(where, 'learningRate', o.learningRate);
  const epochs = o.epochs === undefined ? 20 : checkSteps(where, 'epochs', o.epochs, 0);
  const steps = o.steps === undefined ? 1 : checkSteps(where, 'steps', o.steps, 1);
  const p = xi.rows;
  const starts = o.starts === undefined ? p : checkSize(where, 'starts', o.starts, 1);
  // the workspace keeps one state per start (or pattern)
  checkElements(where, 'starts × dimension', Math.max(p, starts), n);
  const batchSize = o.batchSize === undefined ? 1 : checkInt(where, 'batchSize', o.batchSize, 1, p);
  const cueNoise = o.cueNoise === undefined ? 0 : checkInRange(where, 'cueNoise', o.cueNoise, 0, 1);
  const trainBias = o.trainBias === undefined ? false : checkBoolean(where, 'trainBias', o.trainBias);
  const maxSweeps = o.maxSweeps === undefined ? 100 : checkSteps(where, 'maxSweeps', o.maxSweeps, 1);
  const stopWhenStable = o.stopWhenStable === undefined ? false : checkBoolean(where, 'stopWhenStable', o.stopWhenStable);
  const statistics = o.statistics === undefined ? true : checkBoolean(where, 'statistics', o.statistics);
  const init = o.init === undefined ? 'current' : checkOneOf(where, 'init', o.init, ['current', 'hebbian'] as const);
  checkCallback(where, 'onEpoch', o.onEpoch);
  checkAbortSignal(where, o.signal);
  if (o.threads !== undefined) checkInt(where, 'threads', o.threads, 1);
  const rng = o.rng === undefined ? net.random : toRandom(o.rng, where);
  return withThreads(o.threads, () => {
    const w = net.weights.data;
    const b = net.bias;
    if (init === 'hebbian') {
      w.set(hebbianWeightsUnchecked(xi).data);
      b.fill(0);
    }
    const ws = new Workspace(n, Math.max(p, starts));
    // 'all-states': the update does not depend on W, so it is enumerated once.
    const allStates = variant === 'all-states' ? ws.enumerateAllStates(xi) : null;
    const history: EpochMetrics[] = [];
    // Stall detection: epochs since the stable fraction last reached a new best while updates went on.
    let best = -1;
    let stalled = 0;
    let ran = 0;
    let commits = 0;
    let aborted = false;
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (o.signal?.aborted) {
        aborted = true;
        break;
      }
      const t0 = now();
      let updates = 0;
      if (allStates !== null) {
        ws.dw.set(allStates.dw);
        ws.db.set(allStates.db);
        ws.commit(w, b, eta, trainBias, where);
        commits++;
        updates = allStates.negatives;
      } else if (variant === 'random-starts') {
        // Positive term: all patterns; negative term: valleys reached from random starts that are not stored patterns.
        let nNeg = 0;
        for (let s = 0; s < starts; s++) {
          const y = ws.valleys.subarray(nNeg * n, (nNeg + 1) * n);
          for (let i = 0; i < n; i++) y[i] = rng.float64() < 0.5 ? -1 : 1;
          ws.evolve(w, b, y, maxSweeps, null);
          if (!isStored(xi, y)) nNeg++;
        }
        if (nNeg > 0) {
          ws.beginUpdate();
          for (let k = 0; k < p; k++) ws.addOuter(xi.data.subarray(k * n, (k + 1) * n), 1 / p);
          for (let k = 0; k < nNeg; k++) ws.addOuter(ws.valleys.subarray(k * n, (k + 1) * n), -1 / nNeg);
          ws.commit(w, b, eta, trainBias, where);
          commits++;
          updates = nNeg;
        }
      } else if (variant === 'from-patterns') {
        ws.beginUpdate();
        for (let k = 0; k < p; k++) {
          const x = xi.data.subarray(k * n, (k + 1) * n);
          const y = ws.valleys.subarray(0, n);
          ws.cue(y, x, cueNoise, rng);
          ws.evolve(w, b, y, maxSweeps, null);
          if (ws.addPair(x, y, 1 / p)) updates++;
        }
        if (updates > 0) {
          ws.commit(w, b, eta, trainBias, where);
          commits++;
        }
      } else {
        // SGD: `p / batchSize` mini-batches of random patterns per epoch, a few sweeps each.
        const nBatches = Math.max(1, Math.round(p / batchSize));
        for (let t = 0; t < nBatches; t++) {
          ws.beginUpdate();
          let changed = 0;
          for (let s = 0; s < batchSize; s++) {
            const k = rng.int(p);
            const x = xi.data.subarray(k * n, (k + 1) * n);
            const y = ws.valleys.subarray(0, n);
            ws.cue(y, x, cueNoise, rng);
            ws.evolve(w, b, y, steps, null);
            if (ws.addPair(x, y, 1 / batchSize)) changed++;
          }
          if (changed > 0) {
            ws.commit(w, b, eta, trainBias, where);
            commits++;
          }
          updates += changed;
        }
      }
      const seconds = (now() - t0) / 1000;
      ran = epoch + 1;
      const metrics: EpochMetrics = { epoch, steps: commits, learningRate: eta, seconds, changedPairs: updates };
      let stable = -1;
      if (statistics || stopWhenStable) {
        const st = ws.statistics(w, b, xi, maxSweeps, statistics);
        stable = st.stableFraction;
        if (variant !== 'all-states') {
          if (stable > best) {
            best = stable;
            stalled = 0;
          } else if (updates > 0 && stable < 1) {
            stalled++;
            if (stalled === STALL_EPOCHS) {
              metrics.warning = stallWarning(xi, stalled, best);
              stalled = 0;
            }
          }
        }
        if (statistics) {
          metrics.stableFraction = st.stableFraction;
          metrics.meanOverlap = st.meanOverlap;
          history.push(metrics);
        }
      }
      const verdict = o.onEpoch?.(metrics);
      if (stopWhenStable && stable === 1) break;
      if (verdict === false) break;
    }
    net.rule = 'contrastive';
    return { history, epochs: ran, aborted };
  });
}

/** Epochs without a new best stable fraction, while the weights keep changing, before the history warns of a cycle. */
const STALL_EPOCHS = 20;

function stallWarning(xi: Matrix, epochs: number, best: number): string {
  const pair = oneBitApart(xi);
  const cause =
    pair === null
      ? 'lower learningRate or steps, add cueNoise, or try another variant'
      : `patterns ${pair[0]} and ${pair[1]}${pair[2] ? ' (reversed)' : ''} differ in one bit, so they cannot both be fixed points (the local field at that bit is the same for both; only an exact tie h = 0 keeps both); drop one`;
  return `contrastive updates are cycling: ${epochs} epochs of weight changes without raising the stable fraction above ${best}; ${cause}`;
}

/** The first pair of patterns (k < l) with ξ^l one bit from ξ^k or from −ξ^k, and whether reversed; null if none. */
function oneBitApart(xi: Matrix): [number, number, boolean] | null {
  const n = xi.cols;
  for (let k = 0; k < xi.rows; k++) {
    for (let l = k + 1; l < xi.rows; l++) {
      let same = 0;
      for (let i = 0; i < n; i++) if (xi.data[k * n + i] === xi.data[l * n + i]) same++;
      if (same === n - 1) return [k, l, false];
      if (same === 1) return [k, l, true];
    }
  }
  return null;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function isStored(xi: Matrix, y: Float64Array): boolean {
  const n = xi.cols;
  for (let k = 0; k < xi.rows; k++) {
    let same = true;
    const o = k * n;
    for (let i = 0; i < n; i++) {
      if (xi.data[o + i] !== y[i]) {
        same = false;
        break;
      }
    }
    if (same) return true;
  }
  return false;
}

/** Scratch buffers of one training run (allocated once). */
class Workspace {
  readonly n: number;
  readonly valleys: Float64Array;
  readonly dw: Float64Array;
  readonly db: Float64Array;
  private readonly h: Float64Array;
  private readonly order: Uint32Array;
  private readonly counters = new Float64Array(2);
  private readonly next: Float64Array;

  constructor(n: number, maxValleys: number) {
    this.n = n;
    this.valleys = new Float64Array(Math.max(1, maxValleys) * n);
    this.dw = new Float64Array(n * n);
    this.db = new Float64Array(n);
    this.h = new Float64Array(n);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.next = new Float64Array(n * n);
  }

  /** Evolves `y` in place for at most `maxSweeps` sequential sweeps; returns whether it converged. */
  evolve(w: Float64Array, b: Float64Array, y: Float64Array, maxSweeps: number, rng: Random | null): boolean {
    const n = this.n;
    const h = this.h;
    h.set(b);
    getKernel().gemv(false, n, n, 1, w, n, y, 1, h);
    return evolveAsyncUnchecked(w, b, y, h, n, this.order, n, false, maxSweeps, rng, false, null, this.counters);
  }

  /**
   * The exact `'all-states'` update direction `E_{y∈P}[y yᵀ] − E_{y'∉P}[y' y'ᵀ]`
   * (upper triangle) and `E[y] − E[y']`, by enumerating all `2^N` states.
   */
  enumerateAllStates(xi: Matrix): { dw: Float64Array; db: Float64Array; negatives: number } {
    const n = this.n;
    const stored = new Set<number>();
    for (let k = 0; k < xi.rows; k++) {
      let code = 0;
      for (let i = 0; i < n; i++) if (xi.data[k * n + i] > 0) code += 2 ** i;
      stored.add(code);
    }
    this.beginUpdate();
    for (let k = 0; k < xi.rows; k++) this.addOuter(xi.data.subarray(k * n, (k + 1) * n), 1 / xi.rows);
    const total = 2 ** n;
    const negatives = total - stored.size;
    const y = this.h;
    if (negatives > 0) {
      const c = -1 / negatives;
      for (let code = 0; code < total; code++) {
        if (stored.has(code)) continue;
        for (let i = 0, m = code; i < n; i++, m = (m - (m % 2)) / 2) y[i] = m % 2 === 1 ? 1 : -1;
        this.addOuter(y, c);
      }
    }
    return { dw: this.dw.slice(), db: this.db.slice(), negatives };
  }

  cue(y: Float64Array, x: Float64Array, noise: number, rng: Random): void {
    y.set(x);
    if (noise > 0) for (let i = 0; i < this.n; i++) if (rng.float64() < noise) y[i] = -y[i];
  }

  beginUpdate(): void {
    this.dw.fill(0);
    this.db.fill(0);
  }

  /** dw += c·x xᵀ (upper triangle only), db += c·x. */
  addOuter(x: Float64Array, c: number): void {
    const n = this.n;
    const dw = this.dw;
    for (let i = 0; i < n; i++) {
      const a = c * x[i];
      const o = i * n;
      for (let j = i + 1; j < n; j++) dw[o + j] += a * x[j];
      this.db[i] += a;
    }
  }

  /** dw += c(x xᵀ − y yᵀ) when y ≠ x; returns whether they differed. */
  addPair(x: Float64Array, y: Float64Array, c: number): boolean {
    const n = this.n;
    let differs = false;
    for (let i = 0; i < n; i++) {
      if (x[i] !== y[i]) {
        differs = true;
        break;
      }
    }
    if (!differs) return false;
    const dw = this.dw;
    for (let i = 0; i < n; i++) {
      const a = c * x[i];
      const d = c * y[i];
      const o = i * n;
      for (let j = i + 1; j < n; j++) dw[o + j] += a * x[j] - d * y[j];
      this.db[i] += a - d;
    }
    return true;
  }

  /** W ← W + η·dw (upper triangle mirrored, diagonal zero); checked finite before committing. */
  commit(w: Float64Array, b: Float64Array, eta: number, trainBias: boolean, where: string): void {
    const n = this.n;
    const next = this.next;
    for (let i = 0; i < n; i++) {
      const o = i * n;
      next[o + i] = 0;
      for (let j = i + 1; j < n; j++) {
        const v = w[o + j] + eta * this.dw[o + j];
        if (!Number.isFinite(v)) throw new NumericalError(`${where}: weight update is not finite at (${i}, ${j}); this update was not applied (the updates before it stay)`);
        next[o + j] = v;
        next[j * n + i] = v;
      }
    }
    if (trainBias) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(b[i] + eta * this.db[i])) throw new NumericalError(`${where}: bias update is not finite at ${i}; this update was not applied (the updates before it stay)`);
      }
      for (let i = 0; i < n; i++) b[i] += eta * this.db[i];
    }
    w.set(next);
  }

  statistics(w: Float64Array, b: Float64Array, xi: Matrix, maxSweeps: number, overlaps: boolean): { stableFraction: number; meanOverlap: number } {
    const n = this.n;
    const y = this.valleys.subarray(0, n);
    let stable = 0;
    let overlap = 0;
    for (let k = 0; k < xi.rows; k++) {
      const x = xi.data.subarray(k * n, (k + 1) * n);
      y.set(x);
      this.evolve(w, b, y, overlaps ? maxSweeps : 1, null);
      if (this.counters[1] === 0) stable++;
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i] * y[i];
      overlap += m / n;
    }
    return { stableFraction: stable / xi.rows, meanOverlap: overlaps ? overlap / xi.rows : Number.NaN };
  }
}
