/**
 * Estimating the couplings of the 2-D Ising model ({@link IsingModel}) from
 * configurations, in the dimensionless `K = J/T`, `h = H/T`.
 *
 * Both estimators depend on the data only through a few counts, which
 * {@link isingStatistics} collects (and `partialFit` adds up batch by batch):
 * - maximum pseudo-likelihood (Besag 1975) maximises
 *   `(1/n) Σ_rows Σ_i log σ(2 s_i (K n_i + h))`, `n_i` the sum of the four
 *   neighbours; it depends on the counts of the ten `(s_i, n_i)` pairs;
 * - maximum likelihood maximises `K·B̄ + h·M̄ − log Z(K, h)` (mean bond sum and
 *   magnetisation of the rows), with the exact `log Z` of the density of states
 *   (`L ≤ 4`).
 *
 * Both objectives are concave in `(K, h)`: Newton's method with a backtracking
 * line search finds the maximum to float64 precision in a few steps. Where the
 * data put the counts on the boundary (every row all up, say) the maximum is at
 * infinity; that is refused with an error that says so, unless the ridge `l2`
 * keeps the couplings finite.
 * @module
 */
import { NumericalError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSigmoid, logSumExp, sigmoid } from '../linalg/stable.js';
import { exp } from '../math/elementary.js';
import { isingDensityOfStates } from './ising-exact.js';

/**
 * The sufficient statistics of a set of rows: their number, the sums of their
 * bond sums and magnetisations, and the counts of the ten (spin, neighbour sum)
 * pairs at index `(s = +1 ? 0 : 5) + (n_i + 4)/2`. @internal
 */
export interface IsingStatistics {
  rows: number;
  bonds: number;
  magnetisation: number;
  readonly pairs: Float64Array;
}

/** Empty statistics. @internal */
export function emptyIsingStatistics(): IsingStatistics {
  return { rows: 0, bonds: 0, magnetisation: 0, pairs: new Float64Array(10) };
}

/** Adds the statistics of the ±1 rows of `x` (`[rows, L²]`, checked) to `into`. @internal */
export function addIsingStatistics(into: IsingStatistics, x: Matrix, L: number): void {
  const N = L * L, d = x.data, pairs = into.pairs;
  for (let r = 0; r < x.rows; r++) {
    const o = r * N;
    let B = 0, M = 0;
    for (let row = 0; row < L; row++) {
      const up = o + (row === 0 ? L - 1 : row - 1) * L, dn = o + (row === L - 1 ? 0 : row + 1) * L, ro = o + row * L;
      for (let c = 0; c < L; c++) {
        const v = d[ro + c];
        const right = d[ro + (c === L - 1 ? 0 : c + 1)], left = d[ro + (c === 0 ? L - 1 : c - 1)];
        const nb = d[up + c] + d[dn + c] + left + right;
        M += v;
        B += v * (right + d[dn + c]);
        pairs[(v === 1 ? 0 : 5) + (nb + 4) / 2]++;
      }
    }
    into.rows++;
    into.bonds += B;
    into.magnetisation += M;
  }
}

/** Options of the Newton solver. @internal */
export interface IsingNewtonOptions {
  /** The public function, for messages. */
  where: string;
  /** Fit `h` too (else it stays at `h0`). */
  fitField: boolean;
  /** Ridge `(l2/2)(K² + h²)` on the fitted couplings (per row). */
  l2: number;
  /** Most Newton steps. */
  maxSteps: number;
  /** Called after every step with the step index and the objective (per row, the ridge included); `false` stops. */
  onStep?: (step: number, objective: number, K: number, h: number) => boolean;
  /** Checked before every step. */
  signal?: AbortSignal;
}

/** What the solver reached. @internal */
export interface IsingNewtonResult {
  K: number;
  h: number;
  /** Steps taken. */
  steps: number;
  /** True when no step could raise the objective any more (a maximum, to rounding). */
  converged: boolean;
  /** True when the signal or `onStep` stopped it. */
  stopped: boolean;
  /** The objective at (K, h), per row. */
  objective: number;
}

/** The objective, its gradient and Hessian (of the fitted coordinates) at (K, h). */
interface Local {
  f: number;
  gK: number;
  gh: number;
  hKK: number;
  hKh: number;
  hhh: number;
}

type Objective = (K: number, h: number, withDerivatives: boolean) => Local;

/** Features `(2 s n, 2 s)` of the ten pairs. */
const PAIR_S = [1, 1, 1, 1, 1, -1, -1, -1, -1, -1];
const PAIR_N = [-4, -2, 0, 2, 4, -4, -2, 0, 2, 4];

/** The mean log pseudo-likelihood per row (ridge not included) and its derivatives. @internal */
export function pseudoLikelihoodObjective(stats: IsingStatistics): Objective {
  const n = stats.rows;
  return (K, h, withD) => {
    let f = 0, gK = 0, gh = 0, hKK = 0, hKh = 0, hhh = 0;
    for (let b = 0; b < 10; b++) {
      const c = stats.pairs[b];
      if (c === 0) continue;
      const xK = 2 * PAIR_S[b] * PAIR_N[b], xh = 2 * PAIR_S[b];
      const z = K * xK + h * xh;
      f += c * logSigmoid(z);
      if (withD) {
        const q = sigmoid(-z); // d log σ(z)/dz = 1 − σ(z)
        const w = c * q * (1 - q);
        gK += c * q * xK;
        gh += c * q * xh;
        hKK -= w * xK * xK;
        hKh -= w * xK * xh;
        hhh -= w * xh * xh;
      }
    }
    return { f: f / n, gK: gK / n, gh: gh / n, hKK: hKK / n, hKh: hKh / n, hhh: hhh / n };
  };
}

/**
 * The exact mean log-likelihood per row (`L ≤ 4`) and its derivatives, centred on the rows'
 * means: `f = K·B̄ + h·M̄ − log Z = −log Σ_i g_i e^{K(B_i − B̄) + h(M_i − M̄)}`, so that near
 * saturation (the data at an edge of what the lattice allows, `f → 0`) no two large numbers
 * are subtracted. @internal
 */
export function likelihoodObjective(stats: IsingStatistics, L: number): Objective {
  const d = isingDensityOfStates(L);
  const mB = stats.bonds / stats.rows, mM = stats.magnetisation / stats.rows;
  const cB = Float64Array.from(d.bonds, (b) => b - mB), cM = Float64Array.from(d.magnetisation, (m) => m - mM);
  const t = new Float64Array(d.logCount.length);
  return (K, h, withD) => {
    for (let i = 0; i < t.length; i++) t[i] = d.logCount[i] + K * cB[i] + h * cM[i];
    const lse = logSumExp(t);
    const f = -lse;
    if (!withD) return { f, gK: 0, gh: 0, hKK: 0, hKh: 0, hhh: 0 };
    // model moments of (B − B̄, M − M̄) under p ∝ g·e^{KB + hM}: the gradient is minus their
    // means, the Hessian minus their covariance
    let eB = 0, eM = 0;
    for (let i = 0; i < t.length; i++) {
      const p = exp(t[i] - lse);
      eB += p * cB[i];
      eM += p * cM[i];
    }
    let vBB = 0, vBM = 0, vMM = 0;
    for (let i = 0; i < t.length; i++) {
      const p = exp(t[i] - lse), dB = cB[i] - eB, dM = cM[i] - eM;
      vBB += p * dB * dB;
      vBM += p * dB * dM;
      vMM += p * dM * dM;
    }
    return { f, gK: -eB, gh: -eM, hKK: -vBB, hKh: -vBM, hhh: -vMM };
  };
}

/**
 * The asymptotic covariance of the pseudo-likelihood estimate of `(K, h)` from the ±1 rows of
 * `x` (`[n, L²]`, independent configurations) at `(K, h)`: the sandwich `A⁻¹ V A⁻¹ / n`, with
 * `A` the mean negative Hessian of a row's log pseudo-likelihood and `V` the covariance of its
 * gradient over the rows (Besag's estimator is consistent but not efficient, so the Fisher
 * information alone would understate its spread). With `fitField` false, `h` is fixed and
 * only `var(K̂) = V_KK / (n A_KK²)` is returned (the others 0). @internal
 */
export function pseudoLikelihoodCovariance(x: Matrix, L: number, K: number, h: number, fitField: boolean): { KK: number; Kh: number; hh: number } {
  const N = L * L, n = x.rows, d = x.data;
  let aKK = 0, aKh = 0, ahh = 0;
  const gK = new Float64Array(n), gh = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * N;
    let sK = 0, sh = 0;
    for (let row = 0; row < L; row++) {
      const up = o + (row === 0 ? L - 1 : row - 1) * L, dn = o + (row === L - 1 ? 0 : row + 1) * L, ro = o + row * L;
      for (let c = 0; c < L; c++) {
        const s = d[ro + c];
        const nb = d[up + c] + d[dn + c] + d[ro + (c === 0 ? L - 1 : c - 1)] + d[ro + (c === L - 1 ? 0 : c + 1)];
        const q = sigmoid(-2 * s * (K * nb + h)), w = q * (1 - q);
        sK += q * 2 * s * nb;
        sh += q * 2 * s;
        aKK += w * 4 * nb * nb;
        aKh += w * 4 * nb;
        ahh += w * 4;
      }
    }
    gK[r] = sK;
    gh[r] = sh;
  }
  aKK /= n;
  aKh /= n;
  ahh /= n;
  let mK = 0, mh = 0;
  for (let r = 0; r < n; r++) {
    mK += gK[r] / n;
    mh += gh[r] / n;
  }
  let vKK = 0, vKh = 0, vhh = 0;
  for (let r = 0; r < n; r++) {
    const a = gK[r] - mK, b = gh[r] - mh;
    vKK += (a * a) / n;
    vKh += (a * b) / n;
    vhh += (b * b) / n;
  }
  if (!fitField) return { KK: vKK / (aKK * aKK) / n, Kh: 0, hh: 0 };
  const det = aKK * ahh - aKh * aKh, iKK = ahh / det, iKh = -aKh / det, ihh = aKK / det;
  // A⁻¹ V A⁻¹, entry by entry (all three symmetric)
  const KK = iKK * (iKK * vKK + iKh * vKh) + iKh * (iKK * vKh + iKh * vhh);
  const Kh = iKK * (iKh * vKK + ihh * vKh) + iKh * (iKh * vKh + ihh * vhh);
  const hh = iKh * (iKh * vKK + ihh * vKh) + ihh * (iKh * vKh + ihh * vhh);
  return { KK: KK / n, Kh: Kh / n, hh: hh / n };
}

/**
 * The asymptotic covariance of the maximum-likelihood estimate of `(K, h)` from `n` independent
 * configurations at `(K, h)`: the inverse Fisher information `Cov(B, M)⁻¹ / n` of the exponential
 * family (`L ≤ 4`, from the density of states); with `fitField` false, `1 / (n Var(B))`. @internal
 */
export function likelihoodCovariance(L: number, K: number, h: number, n: number, fitField: boolean): { KK: number; Kh: number; hh: number } {
  // the Hessian of the mean log-likelihood is minus Cov(B, M), whatever the data's means
  const { hKK, hKh, hhh } = likelihoodObjective({ ...emptyIsingStatistics(), rows: 1 }, L)(K, h, true);
  const vBB = -hKK, vBM = -hKh, vMM = -hhh;
  if (!fitField) return { KK: 1 / (n * vBB), Kh: 0, hh: 0 };
  const det = vBB * vMM - vBM * vBM;
  return { KK: vMM / det / n, Kh: -vBM / det / n, hh: vBB / det / n };
}

/**
 * Whether the pseudo-likelihood has a finite maximiser: no direction `d ≠ 0` of the
 * fitted coordinates along which every occupied pair's `log σ` is non-decreasing
 * (`d·x_b ≥ 0` for all of them). In the plane that happens exactly when the
 * feature vectors lie in a closed half-plane, whose edge can be turned onto one of
 * them: so only the normals of the vectors themselves need trying. Exact (integers).
 * With `h` fixed, the direction is `±1` on `K` and the features are `2 s n`. @internal
 */
export function pseudoLikelihoodBounded(stats: IsingStatistics, fitField: boolean): boolean {
  const xs: [number, number][] = [];
  for (let b = 0; b < 10; b++) if (stats.pairs[b] > 0) xs.push([PAIR_S[b] * PAIR_N[b], fitField ? PAIR_S[b] : 0]);
  return bounded(xs, fitField);
}

/**
 * Whether the likelihood has a finite maximiser: the rows' mean statistics
 * `(B̄, M̄)` lie strictly inside the convex hull of the lattice's `(B, M)` pairs —
 * no direction `d ≠ 0` with `d·(t − t̄) ≤ 0` for every pair `t` (then the
 * likelihood would rise without end along `d`). Tested on `n·t − Σ_rows t`, in integers. @internal
 */
export function likelihoodBounded(stats: IsingStatistics, L: number, fitField: boolean): boolean {
  const d = isingDensityOfStates(L);
  const xs: [number, number][] = [];
  for (let i = 0; i < d.bonds.length; i++) {
    // −(n·t − T): a direction with d·x ≥ 0 for all of these is one along which the likelihood rises
    xs.push([stats.bonds - stats.rows * d.bonds[i], fitField ? stats.magnetisation - stats.rows * d.magnetisation[i] : 0]);
  }
  return bounded(xs, fitField);
}

/**
 * True when no `d ≠ 0` (in the plane, or on the line when `!plane`) has `d·x ≥ 0` for all `x`.
 * The vectors are integers; their cross products are exact in doubles below 2^53, and taken
 * as BigInts above (very many rows).
 */
function bounded(xs: [number, number][], plane: boolean): boolean {
  const nz = xs.filter(([a, b]) => a !== 0 || b !== 0);
  if (nz.length === 0) return false; // flat: every coupling gives the same value
  if (!plane) return nz.some(([a]) => a > 0) && nz.some(([a]) => a < 0);
  let big = 0;
  for (const [a, b] of nz) big = Math.max(big, Math.abs(a), Math.abs(b));
  // d = a normal of one of the vectors (the edge of a closed half-plane holding them all can be turned onto one)
  const cross =
    2 * big * big < 2 ** 53
      ? (p: [number, number], q: [number, number]): number => p[0] * q[1] - p[1] * q[0]
      : (p: [number, number], q: [number, number]): number => {
          const v = BigInt(p[0]) * BigInt(q[1]) - BigInt(p[1]) * BigInt(q[0]);
          return v > 0n ? 1 : v < 0n ? -1 : 0;
        };
  for (const p of nz) {
    // d = (−p_y, p_x): d·x = cross(p, x); its opposite gives −cross(p, x)
    if (nz.every((x) => cross(p, x) >= 0) || nz.every((x) => cross(p, x) <= 0)) return false;
  }
  return true;
}

/**
 * Newton's method on a concave objective minus the ridge, from `(K0, h0)`. Far from the maximum a
 * step must raise the objective: the Newton step, halved up to seven times, and failing that
 * (where the curvature is nearly singular — saturated couplings make the Hessian almost rank
 * one, and the Newton step absurdly long) Levenberg–Marquardt steps `(−H + μI)⁻¹g` with μ growing
 * tenfold, which tend to ever shorter gradient steps. Once the gain a Newton step promises,
 * `½·gᵀ(−H)⁻¹g`, is below the objective's rounding, the full Newton step is taken as long as it
 * shrinks that gain (the objective can no longer tell better from worse there, the gradient
 * still can), so the gradient ends near rounding rather than near its square root. Stops when a
 * step moves neither coupling, no longer shrinks the gain, or no step of any length raises the
 * objective (a maximum to rounding); or after `maxSteps`. @internal
 */
export function isingNewton(objective: Objective, K0: number, h0: number, o: IsingNewtonOptions): IsingNewtonResult {
  const ridge = (K: number, h: number): number => 0.5 * o.l2 * (K * K + (o.fitField ? h * h : 0));
  let K = K0, h = h0;
  let cur = objective(K, h, true);
  let value = cur.f - ridge(K, h);
  if (!Number.isFinite(value)) throw new NumericalError(`${o.where}: the objective is not finite at K = ${K}, h = ${h}; the model is unchanged`);
  let steps = 0;
  let lastGain = Infinity;
  const done = (converged: boolean, stopped: boolean): IsingNewtonResult => ({ K, h, steps, converged, stopped, objective: value });
  /** Tries (K + dK, h + dh): takes it when it raises the objective. */
  const tryStep = (dK: number, dh: number): boolean => {
    const nK = K + dK, nh = h + dh;
    if (!Number.isFinite(nK) || !Number.isFinite(nh) || (nK === K && nh === h)) return false;
    const nv = objective(nK, nh, false).f - ridge(nK, nh);
    if (!(nv > value)) return false;
    K = nK;
    h = nh;
    value = nv;
    return true;
  };
  for (; steps < o.maxSteps; ) {
    if (o.signal?.aborted) return done(false, true);
    const gK = cur.gK - o.l2 * K, gh = o.fitField ? cur.gh - o.l2 * h : 0;
    // A = −Hessian of the ridged objective (positive semi-definite), on the fitted coordinates
    const a = o.l2 - cur.hKK, b = o.fitField ? -cur.hKh : 0, d = o.fitField ? o.l2 - cur.hhh : 1;
    /** (A + μI)⁻¹g, or undefined where that is not finite. */
    const solve = (mu: number): [number, number] | undefined => {
      const p = a + mu, q = d + mu, det = p * q - b * b;
      const dK = o.fitField ? (q * gK - b * gh) / det : gK / p;
      const dh = o.fitField ? (p * gh - b * gK) / det : 0;
      return Number.isFinite(dK) && Number.isFinite(dh) && det > 0 ? [dK, dh] : undefined;
    };
    const newton = solve(0);
    const gain = newton === undefined ? Infinity : (gK * newton[0] + gh * newton[1]) / 2;
    if (newton !== undefined && K + newton[0] === K && h + newton[1] === h) return done(true, false); // below rounding
    const flat = gain <= 2 ** -48 * (1 + Math.abs(value));
    if (flat && gain >= lastGain) return done(true, false); // the last step did not shrink the gradient: as close as rounding allows
    lastGain = gain;
    let moved = false;
    if (flat && newton !== undefined) {
      K += newton[0];
      h += newton[1];
      value = objective(K, h, false).f - ridge(K, h);
      moved = true;
    } else {
      if (newton !== undefined) for (let t = 1; t >= 2 ** -7 && !moved; t /= 2) moved = tryStep(t * newton[0], t * newton[1]);
      const scale = a + (o.fitField ? d : 0) + Math.sqrt(gK * gK + gh * gh);
      for (let mu = 1e-10 * scale, j = 0; j < 60 && !moved; j++, mu *= 10) {
        const lm = solve(mu);
        if (lm !== undefined) moved = tryStep(lm[0], lm[1]);
      }
    }
    if (!moved) return done(true, false); // no step of any length raises the objective: its maximum, to rounding
    steps++;
    cur = objective(K, h, true);
    if (o.onStep !== undefined && o.onStep(steps - 1, value, K, h) === false) return done(false, true);
  }
  return done(false, false);
}
