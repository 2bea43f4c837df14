/**
 * Exact partition functions of the two-dimensional Ising model on the periodic
 * `L × L` lattice of {@link IsingModel} (each site bonded to its right and lower
 * neighbour, `2L²` bonds), in the dimensionless couplings `K = J/T`, `h = H/T`:
 * `Z(K, h) = Σ_s exp(K·B(s) + h·M(s))` with the bond sum `B(s) = Σ_⟨ij⟩ s_i s_j`
 * and the magnetisation `M(s) = Σ_i s_i`.
 *
 * - Zero field, any `L`: Kaufman's (1949) closed form for the finite torus.
 * - Any field, `L ≤ 4`: the density of states `g(B, M)` by enumeration of the
 *   `2^{L²}` states (counted once per `L`, then `Z` is a sum over at most a few
 *   hundred `(B, M)` pairs).
 * - `K = 0`: `Z = (2 cosh h)^{L²}`.
 * @module
 */
import { checkFinite, checkInt } from '../validate.js';
import { cos, exp, log, log1p, sinh, tanh } from '../math/elementary.js';
import { logAddExp, logSumExp } from '../linalg/stable.js';

/** Largest side length whose states {@link isingDensityOfStates} enumerates (2^16 states). @internal */
export const ISING_ENUMERATION_MAX_L = 4;

/** `log(2 cosh x)` without overflow. */
function logTwoCosh(x: number): number {
  const a = Math.abs(x);
  return a + log1p(exp(-2 * a));
}

/** `log|2 sinh x|` without overflow (−∞ at 0). */
function logTwoSinhAbs(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return -Infinity;
  // 1 − e^{−2a} loses digits for small a: 2 sinh a directly there
  return a < 0.5 ? log(2 * sinh(a)) : a + log1p(-exp(-2 * a));
}

/**
 * Kaufman's `γ_l` for `l ≥ 1`: `cosh γ_l = cosh(2K)·coth(2K) − cos(πl/L)`, `γ_l > 0`,
 * through `log c` when `c = cosh(2K)·coth(2K)` is too large to square.
 */
function gammaOdd(logC: number, c: number, l: number, L: number): number {
  const y = c - cos((Math.PI * l) / L);
  if (y < 1e150) return log(y + Math.sqrt((y - 1) * (y + 1)));
  // y = c·(1 − cos/c) with cos/c < 1e−150: γ = log(2y) to within rounding
  return Math.LN2 + logC;
}

/**
 * `log Z` of the zero-field Ising model on the periodic `L × L` lattice at the
 * dimensionless coupling `K = J/T`, by Kaufman's (1949) exact formula for the
 * finite torus:
 *
 * `Z = ½ (2 sinh 2K)^{L²/2} (Z₁ + Z₂ + Z₃ + Z₄)`, with
 * `Z₁ = Π_{r<L} 2cosh(L γ_{2r+1}/2)`, `Z₂ = Π 2sinh(L γ_{2r+1}/2)`,
 * `Z₃ = Π_{r<L} 2cosh(L γ_{2r}/2)`, `Z₄ = Π 2sinh(L γ_{2r}/2)`,
 * `cosh γ_l = cosh 2K · coth 2K − cos(πl/L)` (`γ_l > 0`) for `l ≥ 1` and
 * `γ₀ = 2K + log tanh K` (negative above `T_c`, which makes `Z₄` negative).
 *
 * Evaluated in logarithms, so it holds from `K → 0` (`L² log 2`) to couplings whose
 * `Z` overflows a double. For `K < 0` (antiferromagnet) an even `L` gives the same `Z`
 * (flipping every other spin maps one onto the other); an odd `L` frustrates the
 * lattice, and no closed form is known.
 *
 * @param L - side length, an integer ≥ 2 (at most 46 340)
 * @param K - `J/T` (finite; negative only with an even `L`)
 * @returns `log Z` (nats)
 * @throws {TypeError | RangeError} on a bad `L` or `K`, or `K < 0` with an odd `L`
 * @example
 * ```ts
 * import { kaufmanLogPartition, onsagerCriticalTemperature } from 'boltzmann';
 * kaufmanLogPartition(2, 0); // 4·log 2: four free spins
 * kaufmanLogPartition(64, 1 / onsagerCriticalTemperature()) / 64 ** 2; // ≈ 0.9299 (Onsager's infinite lattice: −f/T = 0.9297 at T_c)
 * ```
 * @category Evaluation
 */
export function kaufmanLogPartition(L: number, K: number): number {
  const where = 'kaufmanLogPartition';
  checkInt(where, 'L', L, 2, 46340);
  checkFinite(where, 'K', K);
  if (K < 0 && L % 2 === 1) {
    throw new RangeError(`${where}: K must be ≥ 0 for an odd L (got K = ${K}, L = ${L}): the antiferromagnet on an odd torus is frustrated and has no closed form`);
  }
  return kaufmanUnchecked(L, Math.abs(K));
}

/** {@link kaufmanLogPartition} for `K ≥ 0` (unchecked). @internal */
export function kaufmanUnchecked(L: number, K: number): number {
  const N = L * L;
  if (K === 0) return N * Math.LN2;
  // the two ground states alone, to within e^{−8K}: 2K would overflow below (log Z itself does past ~1e308/2N)
  if (K > 1e300) return 2 * N * K + Math.LN2;
  // log(2 sinh 2K), and c = cosh 2K · coth 2K = cosh²(2K) / sinh(2K) with its log
  const logTwoSinh2K = logTwoSinhAbs(2 * K);
  const logCosh2K = logTwoCosh(2 * K) - Math.LN2;
  const logC = 2 * logCosh2K - (logTwoSinh2K - Math.LN2);
  const c = logC < 345 ? exp(logC) : Infinity;
  const gamma0 = 2 * K + log(tanh(K));
  let l1 = 0, l2 = 0, l3 = 0, l4 = 0;
  for (let r = 0; r < L; r++) {
    const go = gammaOdd(logC, c, 2 * r + 1, L);
    const ge = r === 0 ? gamma0 : gammaOdd(logC, c, 2 * r, L);
    l1 += logTwoCosh((L * go) / 2);
    l2 += logTwoSinhAbs((L * go) / 2);
    l3 += logTwoCosh((L * ge) / 2);
    l4 += logTwoSinhAbs((L * ge) / 2);
  }
  // Z₁, Z₂, Z₃ > 0; Z₄ has the sign of γ₀ (only its r = 0 factor can be negative)
  const pos = logSumExp([l1, l2, l3]);
  let sum: number;
  if (gamma0 >= 0) sum = logAddExp(pos, l4);
  else sum = pos + log1p(-exp(l4 - pos));
  return -Math.LN2 + (N / 2) * logTwoSinh2K + sum;
}

/** Bond sum `Σ_i s_i (s_right + s_down)` and magnetisation `Σ s_i` of a lattice state (unchecked). @internal */
export function latticeSums(s: ArrayLike<number>, L: number): { bonds: number; magnetisation: number } {
  let bonds = 0;
  let mag = 0;
  for (let r = 0; r < L; r++) {
    const ro = r * L;
    const dn = (r === L - 1 ? 0 : r + 1) * L;
    for (let c = 0; c < L; c++) {
      const v = s[ro + c];
      mag += v;
      bonds += v * (s[ro + (c === L - 1 ? 0 : c + 1)] + s[dn + c]);
    }
  }
  return { bonds, magnetisation: mag };
}

/** The density of states of the `L × L` torus: the distinct `(B, M)` pairs and `log g(B, M)`. @internal */
export interface IsingDensityOfStates {
  /** Bond sums `B`. */
  readonly bonds: Float64Array;
  /** Magnetisations `M`. */
  readonly magnetisation: Float64Array;
  /** `log g(B, M)`: the log of the number of states with that pair. */
  readonly logCount: Float64Array;
}

const DOS_CACHE = new Map<number, IsingDensityOfStates>();

/**
 * The density of states `g(B, M)` of the `L × L` torus by enumerating its `2^{L²}`
 * states (for `L ≤ 4`; cached per `L`). @internal
 */
export function isingDensityOfStates(L: number): IsingDensityOfStates {
  const cached = DOS_CACHE.get(L);
  if (cached !== undefined) return cached;
  const N = L * L;
  // B ∈ [−2N, 2N], M ∈ [−N, N]: a (4N + 1) × (2N + 1) table of counts
  const W = 2 * N + 1;
  const counts = new Float64Array((4 * N + 1) * W);
  const s = new Int8Array(N);
  for (let k = 0; k < 2 ** N; k++) {
    for (let i = 0; i < N; i++) s[i] = (k >>> i) & 1 ? 1 : -1;
    const { bonds, magnetisation } = latticeSums(s, L);
    counts[(bonds + 2 * N) * W + (magnetisation + N)]++;
  }
  const b: number[] = [], m: number[] = [], lc: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    b.push(Math.floor(i / W) - 2 * N);
    m.push((i % W) - N);
    lc.push(log(counts[i]));
  }
  const dos = { bonds: Float64Array.from(b), magnetisation: Float64Array.from(m), logCount: Float64Array.from(lc) };
  DOS_CACHE.set(L, dos);
  return dos;
}

/**
 * `log Z(K, h)` where an exact value is at hand: `K = 0` (independent spins), zero
 * field with `K ≥ 0` or an even `L` (Kaufman), or `L ≤ 4` (the density of states);
 * else `undefined`. @internal
 */
export function isingLogPartitionExact(L: number, K: number, h: number): number | undefined {
  const route = exactRoute(L, K, h);
  if (route === 'free') return L * L * logTwoCosh(h);
  if (route === 'kaufman') return kaufmanUnchecked(L, Math.abs(K));
  if (route === 'enumeration') {
    const d = isingDensityOfStates(L);
    const t = new Float64Array(d.logCount.length);
    for (let i = 0; i < t.length; i++) t[i] = d.logCount[i] + K * d.bonds[i] + h * d.magnetisation[i];
    return logSumExp(t);
  }
  return undefined;
}

/** Which exact `log Z` applies: independent spins, Kaufman's formula, the density of states, or none. */
function exactRoute(L: number, K: number, h: number): 'free' | 'kaufman' | 'enumeration' | undefined {
  if (K === 0) return 'free';
  if (h === 0 && (K > 0 || L % 2 === 0)) return 'kaufman';
  return L <= ISING_ENUMERATION_MAX_L ? 'enumeration' : undefined;
}

/** Whether {@link isingLogPartitionExact} has an exact value for these couplings. @internal */
export function hasExactIsingLogPartition(L: number, K: number, h: number): boolean {
  return exactRoute(L, K, h) !== undefined;
}
