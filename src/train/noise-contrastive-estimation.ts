/**
 * Noise-contrastive estimation (Gutmann & Hyvärinen 2010) for a quadratic energy.
 * @module
 */
import type { EpochMetrics, FitResult } from '../models/contract.js';
import type { Matrix } from '../linalg/matrix.js';
import { logSigmoid, sigmoid } from '../linalg/stable.js';
import { log } from '../math/elementary.js';
import { describeValue, NumericalError } from '../errors.js';
import { type Random, toRandom } from '../random/random.js';
import { checkElements, checkOptionsKeys, checkPositive, checkSteps, type DataInput, optionKeys } from '../validate.js';
import {
  cholesky,
  choleskyInverse,
  gaussianLogZ,
  type GaussianParameters,
  type LossAndGradient,
  nSymmetric,
  packSymmetricGradient,
  sampleMoments,
  toNatural,
  unpackSymmetric,
} from './gaussian-natural.js';
import {
  checkEnergyData,
  checkEstimatorModel,
  checkGaussianData,
  checkGaussianPathKeys,
  checkGaussianTheta,
  centreRows,
  checkNewtonLoop,
  keepStreamOnFailure,
  runNewton,
  withParameters,
} from './score-matching.js';
import { numberArray } from './checks.js';
import {
  GRADIENT_ESTIMATOR_KEYS,
  GradientLoop,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  nceLoss,
  NoiseDensity,
  type NoiseComponent,
  type NoiseMixture,
  type SecondOrderEnergy,
} from './energy-estimators.js';

/** Options of {@link NoiseContrastiveTrainer.fit}.
 * @category Training
 */
export interface NoiseContrastiveFitOptions {
  /** Noise samples per data row, ν (default 4). */
  noiseRatio?: number;
  /**
   * The noise density: one Gaussian `{ mean, covariance }` or a mixture
   * `{ weights?, components }`. Default: the Gaussian fitted to the data (sample mean and covariance).
   */
  noise?: NoiseComponent | NoiseMixture;
  /** Newton iterations (default 30). */
  epochs?: number;
  /** Generator of the noise samples (default: split from the model's stream). */
  rng?: number | Random;
  /** Called after every iteration with its metrics; return `false` to stop. */
  onEpoch?: (metrics: EpochMetrics) => unknown;
  /** Stops after the current iteration when aborted. */
  signal?: AbortSignal;
}
const FIT_KEYS = optionKeys<NoiseContrastiveFitOptions>()({ noiseRatio: true, noise: true, epochs: true, rng: true, onEpoch: true, signal: true });
const NETWORK_KEYS = [...GRADIENT_ESTIMATOR_KEYS, 'noiseRatio', 'noise'] as const;
const FIT_KEYS_SET: Readonly<Record<string, true>> = Object.fromEntries(FIT_KEYS.map((k) => [k, true]));

/**
 * A Gaussian noise density N(m, C): its samples and log-density.
 * @category Training
 */
export interface GaussianNoise {
  /** Mean m. */
  mean: Float64Array;
  /** Covariance C (d × d row-major). */
  covariance: Float64Array;
}

/** The noise density of an NCE fit: the given one, or (undefined) none. */
function noiseFrom(where: string, noise: unknown, d: number): NoiseDensity {
  if (noise === null || typeof noise !== 'object') throw new TypeError(`${where}: noise must be { mean, covariance } or { weights?, components } (got ${describeValue(noise)})`);
  return new NoiseDensity(noise as NoiseMixture, d, where);
}

/**
 * The number of noise rows ν·n of an NCE fit on `rows` data rows (at least 1),
 * checked against `LIMITS.maxElements` with the dimension before any is drawn.
 */
function noiseRows(where: string, nu: number, rows: number, d: number): number {
  const n = Math.max(1, Math.round(nu * rows));
  checkElements(where, 'noiseRatio × rows × dimension (the noise samples)', n, d);
  return n;
}

function noiseLogDensity(noise: GaussianNoise, d: number): (u: Float64Array) => number {
  if (!noise.mean.every(Number.isFinite) || !noise.covariance.every(Number.isFinite)) {
    throw new NumericalError('NoiseContrastiveTrainer: the noise mean or covariance (the data mean or covariance) is not finite (the data are too large for float64 sums of their squares; rescale them)');
  }
  const l = cholesky(noise.covariance, d);
  if (l === undefined) throw new NumericalError('NoiseContrastiveTrainer: the noise covariance (the data covariance) is not positive definite');
  const inv = choleskyInverse(l, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * log(l[i * d + i]);
  const c = -0.5 * d * log(2 * Math.PI) - 0.5 * logDet;
  const a = new Float64Array(d);
  return (u) => {
    for (let i = 0; i < d; i++) a[i] = u[i] - noise.mean[i];
    let q = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += a[i] * inv[i * d + j] * a[j];
    return c - 0.5 * q;
  };
}

/**
 * Noise-contrastive estimation (Gutmann & Hyvärinen 2010) on a quadratic
 * energy or on a {@link SecondOrderEnergy} such as {@link EnergyNetwork}.
 *
 * For a network: `log p(x) = −E(x; θ) − c` with `c` (log Z) a learned
 * parameter, fitted by mini-batch Adam (or SGD, {@link GradientEstimatorOptions})
 * on the same logistic loss with ν·batch fresh noise rows every step (noise
 * density: the Gaussian fitted to the data, or `noise`); `c` starts at the
 * data mean of `−E − log p_n` and ends in {@link NoiseContrastiveTrainer.logPartition}.
 *
 * For `E(x) = ½(x−μ)ᵀΛ(x−μ)` with the log
 * partition function as a learned parameter c: `log p(x) = −½xᵀΛx + hᵀx − c`
 * (h = Λμ) is fitted by logistic discrimination of the data from ν·n samples
 * of a Gaussian noise density fitted to the data (sample mean and covariance):
 * `J = −(1/n)[Σ_data log σ(G) + Σ_noise log σ(−G)]`, `G = log p − log p_n − log ν`,
 * convex in (Λ, h, c), minimised by damped Newton steps. After `fit`,
 * {@link NoiseContrastiveTrainer.logPartition} is the estimate of log Z of the
 * model's energy (`c − ½μᵀΛμ`), to compare with the model's closed-form `logZ`.
 * @category Training
 * @example
 * ```ts
 * import { GaussianEnergy, NoiseContrastiveTrainer } from 'boltzmann';
 * const truth = new GaussianEnergy(1, { rng: 3 });
 * const model = new GaussianEnergy(1);
 * const nce = new NoiseContrastiveTrainer(model);
 * nce.fit(truth.sample(2000), { rng: 4 });
 * nce.logPartition; // ≈ 0.91 (the exact log √(2π) is 0.919)
 * ```
 */
export class NoiseContrastiveTrainer {
  /** Newton iterations done so far. */
  steps = 0;
  /** The learned log partition function of the energy (Gaussian: of ½(x−μ)ᵀΛ(x−μ); network: `c`) (NaN before `fit`). */
  logPartition = Number.NaN;
  private loop: GradientLoop | undefined;
  private readonly c = new Float64Array(1);
  /**
   * @param model - the energy fitted in place: a Gaussian's mean and precision, or a network's parameters
   * @throws {TypeError} when the model is neither a {@link SecondOrderEnergy} nor a Gaussian energy
   */
  constructor(readonly model: GaussianParameters | SecondOrderEnergy) {
    checkEstimatorModel('NoiseContrastiveTrainer', model);
  }

  /**
   * The objective and its gradient at θ = (Λ upper triangle, h, c) for data
   * rows, noise rows (ν = noise rows / data rows) and the noise density.
   * For a network θ is its parameter vector followed by c.
   * @throws {TypeError | RangeError | ShapeError} on a `theta` that is not a finite Float64Array of the
   *   parameters' length, or on bad data or noise (nothing is changed)
   * @example
   * ```ts
   * import { GaussianEnergy, NoiseContrastiveTrainer } from 'boltzmann';
   * const t = new NoiseContrastiveTrainer(new GaussianEnergy(1));
   * const noise = { mean: Float64Array.of(0), covariance: Float64Array.of(1) };
   * // model = noise: G = 0 everywhere, J = 2 log 2
   * t.objective(Float64Array.of(1, 0, 0.5 * Math.log(2 * Math.PI)), [[0]], [[1]], noise).loss; // 1.386…
   * ```
   */
  objective(theta: Float64Array, data: DataInput, noiseRows: DataInput, noise: GaussianNoise | NoiseComponent | NoiseMixture): LossAndGradient {
    const where = 'NoiseContrastiveTrainer.objective';
    const d = this.model.dimension;
    const model = this.model;
    if (isSecondOrderEnergy(model)) {
      const x = checkEnergyData(where, 'data', data, d);
      const y = checkEnergyData(where, 'noiseRows', noiseRows, d);
      const pn = noiseFrom(where, noise, d);
      const P = model.parameters.length;
      return withParameters(where, model, theta, 1, () => {
        const gradient = new Float64Array(P + 1);
        const r = nceLoss(model, theta[P], x, y, pn.logDensities(x), pn.logDensities(y), gradient);
        gradient[P] = r.gradC;
        return { loss: r.loss, gradient };
      });
    }
    const t = checkGaussianTheta(where, theta, d, 1);
    const x = checkGaussianData(where, data, d);
    const y = checkGaussianData(where, noiseRows, d);
    if (noise === null || typeof noise !== 'object') {
      throw new TypeError(`${where}: noise must be { mean, covariance } or { weights?, components } (got ${describeValue(noise)})`);
    }
    if ('components' in noise) {
      const pn = noiseFrom(where, noise, d);
      return this.objectiveUnchecked(t, x, y, (u) => pn.logDensity(u));
    }
    const mean = numberArray(where, 'noise.mean', noise.mean);
    const covariance = numberArray(where, 'noise.covariance', noise.covariance);
    if (mean.length !== d) throw new RangeError(`${where}: noise.mean must have length ${d} (got ${mean.length})`);
    if (covariance.length !== d * d) throw new RangeError(`${where}: noise.covariance must have ${d * d} entries (got ${covariance.length})`);
    return this.objectiveUnchecked(t, x, y, noiseLogDensity({ mean, covariance }, d));
  }

  private objectiveUnchecked(theta: Float64Array, x: Matrix, y: Matrix, logPn: (u: Float64Array) => number): LossAndGradient {
    const d = this.model.dimension;
    const m = nSymmetric(d);
    const lambda = unpackSymmetric(theta, d);
    const h = theta.subarray(m, m + d);
    const c = theta[m + d];
    const logNu = log(y.rows / x.rows);
    const g = new Float64Array(d * d);
    const gh = new Float64Array(d);
    let gc = 0;
    let loss = 0;
    const pass = (u: Matrix, isData: boolean): void => {
      for (let row = 0; row < u.rows; row++) {
        const ur = u.data.subarray(row * d, row * d + d);
        let q = 0;
        let lin = 0;
        for (let i = 0; i < d; i++) {
          lin += h[i] * ur[i];
          for (let j = 0; j < d; j++) q += ur[i] * lambda[i * d + j] * ur[j];
        }
        const G = -0.5 * q + lin - c - logPn(ur) - logNu;
        // dJ/dG: −σ(−G) for data, σ(G) for noise
        const w = isData ? -sigmoid(-G) : sigmoid(G);
        loss -= isData ? logSigmoid(G) : logSigmoid(-G);
        for (let i = 0; i < d; i++) {
          gh[i] += w * ur[i];
          for (let j = 0; j < d; j++) g[i * d + j] -= 0.5 * w * ur[i] * ur[j];
        }
        gc -= w;
      }
    };
    pass(x, true);
    pass(y, false);
    const n = x.rows;
    for (let q = 0; q < d * d; q++) g[q] /= n;
    const gradient = new Float64Array(m + d + 1);
    packSymmetricGradient(g, d, gradient);
    for (let i = 0; i < d; i++) gradient[m + i] = gh[i] / n;
    gradient[m + d] = gc / n;
    return { loss: loss / n, gradient };
  }

  /**
   * Fits the noise density to `data`, draws ν·n noise samples, then minimises
   * the loss by damped Newton steps (each an epoch) from the Gaussian of the data's
   * mean and covariance (from the model's μ, Λ where that covariance is singular):
   * the loss is convex, so the start changes the path, not the minimum, and this one
   * keeps the steps well conditioned whatever the data's offset; writes μ, Λ into the
   * model and sets {@link NoiseContrastiveTrainer.logPartition}. The fit stops when
   * no step lowers the loss any more; when `epochs` run out before that (or the loss
   * may have no minimum: with few rows a quadratic boundary can separate the data from the noise samples), the last epoch's metrics in
   * `history` carry a `warning` saying so. (A network is trained by mini-batches, as the class describes.)
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes)
   * @throws {NumericalError} on a Gaussian energy, when the data's covariance (the default
   * noise) is not finite or not positive definite, the loss, its Hessian or the fitted
   * parameters are not finite, the Hessian is not positive definite, or no Newton step keeps
   * the precision positive definite with a finite loss; the mean, precision, generator and
   * `logPartition` are then as they were
   * @example
   * ```ts
   * import { GaussianEnergy, NoiseContrastiveTrainer } from 'boltzmann';
   * const nce = new NoiseContrastiveTrainer(new GaussianEnergy(1));
   * nce.fit([[-1], [0.5], [1], [-0.2]], { noiseRatio: 10, rng: 1 }).epochs; // ≥ 1
   * ```
   */
  fit(data: DataInput, options?: NoiseContrastiveFitOptions & GradientEstimatorOptions): FitResult {
    const where = 'NoiseContrastiveTrainer.fit';
    const model = this.model;
    if (isSecondOrderEnergy(model)) return this.fitNetwork(where, model, data, options);
    checkGaussianPathKeys(where, options, GRADIENT_ESTIMATOR_KEYS.filter((k) => !(k in FIT_KEYS_SET)));
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const nu = o.noiseRatio === undefined ? 4 : checkPositive(where, 'noiseRatio', o.noiseRatio);
    const epochs = o.epochs === undefined ? 30 : checkSteps(where, 'epochs', o.epochs, 1);
    checkNewtonLoop(where, o);
    const d = model.dimension;
    const x = checkGaussianData(where, data, d);
    const nNoise = noiseRows(where, nu, x.rows, d);
    const moments = sampleMoments(x.data, x.rows, d);
    // The loss is minimised in coordinates centred on the data's mean m (the estimator moves with
    // the data: μ comes back as μ_c + m), from the Gaussian of the data's covariance, where the
    // Newton steps are well conditioned whatever the data's offset (from the model's μ − m and Λ
    // where that covariance is singular). The loss is convex: the start changes the path, not the
    // minimum.
    const finite = moments.mean.every(Number.isFinite) && moments.covariance.every(Number.isFinite);
    const m = finite ? moments.mean : new Float64Array(d);
    const lm = finite ? cholesky(moments.covariance, d) : undefined;
    const start =
      lm === undefined ? { mean: model.mean.map((v, i) => v - m[i]), precision: model.precision } : { mean: new Float64Array(d), precision: choleskyInverse(lm, d) };
    const xc = centreRows(x, m);
    if (o.noise !== undefined) {
      const pn = noiseFrom(where, o.noise, d);
      const u = new Float64Array(d);
      const logPn = (v: Float64Array): number => {
        for (let i = 0; i < d; i++) u[i] = v[i] + m[i];
        return pn.logDensity(u);
      };
      return keepStreamOnFailure(model, () => {
        const rng = o.rng === undefined ? model.random.split() : toRandom(o.rng, where);
        const y = centreRows(pn.sample(nNoise, rng), m);
        return this.newtonFrom(where, model, start, m, xc, y, logPn, epochs, o);
      });
    }
    // the default noise: the data's Gaussian, centred like the data
    const logPn = noiseLogDensity({ mean: new Float64Array(d), covariance: moments.covariance }, d);
    const l = lm as Float64Array;
    return keepStreamOnFailure(model, () => {
      const rng = o.rng === undefined ? model.random.split() : toRandom(o.rng, where);
      const z = rng.fillNormal(new Float64Array(nNoise * d));
      const y: Matrix = { rows: nNoise, cols: d, data: new Float64Array(nNoise * d) };
      for (let r = 0; r < nNoise; r++) {
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let k = 0; k <= i; k++) s += l[i * d + k] * z[r * d + k];
          y.data[r * d + i] = s;
        }
      }
      return this.newtonFrom(where, model, start, m, xc, y, logPn, epochs, o);
    });
  }

  private newtonFrom(
    where: string,
    model: GaussianParameters,
    start: { mean: Float64Array; precision: Float64Array },
    offset: Float64Array,
    x: Matrix,
    y: Matrix,
    logPn: (u: Float64Array) => number,
    epochs: number,
    o: { onEpoch?: (m: EpochMetrics) => unknown; signal?: AbortSignal },
  ): FitResult {
    const d = model.dimension;
    const theta0 = toNatural(start.mean, start.precision, d, 1);
    theta0[nSymmetric(d) + d] = gaussianLogZ(start.precision, d) + 0.5 * quadForm(start.precision, start.mean, d);
    return runNewton(
      where,
      'NCE',
      model,
      (t) => this.objectiveUnchecked(t, x, y, logPn),
      theta0,
      epochs,
      o,
      (n) => {
        this.steps += n;
      },
      (theta) => {
        // log Z of ½(x−μ)ᵀΛ(x−μ) does not depend on μ: from the centred fit, before μ moves back
        this.logPartition = theta[nSymmetric(d) + d] - 0.5 * quadForm(model.precision, model.mean, d);
      },
      undefined,
      offset,
    );
  }

  private fitNetwork(where: string, model: SecondOrderEnergy, data: DataInput, options: (NoiseContrastiveFitOptions & GradientEstimatorOptions) | undefined): FitResult {
    const raw = checkOptionsKeys(where, options, NETWORK_KEYS);
    const nu = raw.noiseRatio === undefined ? 4 : checkPositive(where, 'noiseRatio', raw.noiseRatio);
    const o = GradientLoop.check(where, raw);
    const d = model.dimension;
    const x = checkEnergyData(where, 'data', data, d);
    // the noise rows of one step: ν · (the batch's rows)
    noiseRows(where, nu, Math.min(o.batchSize, x.rows), d);
    let pn: NoiseDensity;
    if (raw.noise !== undefined) pn = noiseFrom(where, raw.noise, d);
    else {
      const moments = sampleMoments(x.data, x.rows, d);
      if (cholesky(moments.covariance, d) === undefined) throw new NumericalError(`${where}: the data covariance is not positive definite (give a noise density)`);
      pn = new NoiseDensity({ mean: moments.mean, covariance: moments.covariance }, d, where);
    }
    if (this.loop === undefined) {
      // c starts where the model's log-density matches the noise's on average over the data
      const e = model.energies(new Float64Array(x.rows), x);
      const lp = pn.logDensities(x);
      let s = 0;
      for (let r = 0; r < x.rows; r++) s += -e[r] - lp[r];
      this.c[0] = s / x.rows;
      this.loop = new GradientLoop([model.parameters, this.c]);
    }
    const loop = this.loop;
    try {
      return loop.run(where, x, o, model.random, (batch, rng, grads) => {
        const m = Math.max(1, Math.round(nu * batch.rows));
        const y = pn.sample(m, rng);
        const r = nceLoss(model, this.c[0], batch, y, pn.logDensities(batch), pn.logDensities(y), grads[0]);
        grads[1][0] = r.gradC;
        return r.loss;
      });
    } finally {
      this.steps = loop.t;
      this.logPartition = this.c[0];
    }
  }
}

function quadForm(a: Float64Array, v: Float64Array, d: number): number {
  let q = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += v[i] * a[i * d + j] * v[j];
  return q;
}
