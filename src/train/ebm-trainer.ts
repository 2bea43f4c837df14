/**
 * Contrastive-divergence training of parametric energies `E(x; θ)` with
 * Langevin negative samples and a replay buffer (Du & Mordatch 2019).
 * @module
 */
import { NumericalError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { pow } from '../math/elementary.js';
import { Random, type RandomState, toRandom } from '../random/random.js';
import {
  checkAllFinite,
  checkBoolean,
  checkFinite,
  checkInRange,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkVector,
} from '../validate.js';

/**
 * A differentiable parametric energy over `ℝ^dimension`, batched. Its
 * parameters are one flat vector that trainers update in place.
 * {@link EnergyNetwork} implements it; {@link parametricEnergy} wraps
 * user functions into one.
 */
export interface ParametricEnergy {
  /** Input dimension. */
  readonly dimension: number;
  /** The parameters `θ` (live; updated in place by trainers). */
  readonly parameters: Float64Array;
  /** Writes `E(x_n; θ)` for each row of `x` (`[batch, dimension]`) into `out` and returns it. */
  energies(out: Float64Array, x: Matrix): Float64Array;
  /** Writes `∇ₓE(x_n; θ)` into row `n` of `out` (`[batch, dimension]`) and returns it. */
  inputGradients(out: Matrix, x: Matrix): Matrix;
  /** Writes `Σ_n weights_n ∇θE(x_n; θ)` into `out` (length = parameters) and returns it. */
  parameterGradient(out: Float64Array, x: Matrix, weights?: Float64Array): Float64Array;
}

/** A user-supplied energy, one sample at a time: see {@link parametricEnergy}. */
export interface ParametricEnergyFunctions {
  /** Input dimension. */
  dimension: number;
  /** Initial parameters (copied). */
  parameters: Float64Array;
  /** `E(x; θ)`. */
  energy(x: Float64Array, theta: Float64Array): number;
  /** Writes `∇ₓE(x; θ)` into `out`. */
  gradX(out: Float64Array, x: Float64Array, theta: Float64Array): void;
  /** Writes `∇θE(x; θ)` into `out` (length = parameters). */
  gradTheta(out: Float64Array, x: Float64Array, theta: Float64Array): void;
}

/** A {@link ParametricEnergy} that is also an {@link EnergyModel} (continuous, with `gradient`). */
export interface ParametricEnergyModel extends ParametricEnergy {
  /** Always `'continuous'`. */
  readonly domain: 'continuous';
  /** `E(x; θ)` at the current parameters. */
  energy(x: Float64Array): number;
  /** `∇ₓE(x; θ)` at the current parameters. */
  gradient(out: Float64Array, x: Float64Array): Float64Array;
}

/**
 * Wraps per-sample user functions `E(x; θ)`, `∇ₓE`, `∇θE` into a batched
 * {@link ParametricEnergy} (that is also an {@link EnergyModel}), so
 * {@link ContrastiveTrainer} and the samplers work with any energy the user writes.
 *
 * @param f - the functions, dimension and initial parameters
 * @returns the wrapped energy (its `parameters` is a copy of `f.parameters`)
 * @throws {TypeError | RangeError} on bad input
 * @example
 * ```ts
 * import { parametricEnergy } from 'boltzmann';
 * // E(x; μ, s) = ½ e^s (x − μ)²: a Gaussian with mean μ and precision e^s
 * const gauss = parametricEnergy({
 *   dimension: 1, parameters: Float64Array.of(0, 0),
 *   energy: (x, t) => 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2,
 *   gradX: (out, x, t) => { out[0] = Math.exp(t[1]) * (x[0] - t[0]); },
 *   gradTheta: (out, x, t) => { out[0] = -Math.exp(t[1]) * (x[0] - t[0]); out[1] = 0.5 * Math.exp(t[1]) * (x[0] - t[0]) ** 2; },
 * });
 * ```
 */
export function parametricEnergy(f: ParametricEnergyFunctions): ParametricEnergyModel {
  const where = 'parametricEnergy';
  const o = checkOptions(where, f) as ParametricEnergyFunctions;
  const d = checkInt(where, 'dimension', o.dimension, 1);
  checkVector(where, 'parameters', o.parameters);
  checkAllFinite(where, 'parameters', o.parameters);
  for (const name of ['energy', 'gradX', 'gradTheta'] as const) {
    if (typeof o[name] !== 'function') throw new TypeError(`${where}: ${name} must be a function`);
  }
  const theta = o.parameters.slice();
  const p = theta.length;
  const tmp = new Float64Array(p);
  const checkX = (w: string, x: Matrix) => {
    checkMatrix(w, 'x', x, undefined, d);
    checkAllFinite(w, 'x', x.data);
  };
  return {
    dimension: d,
    domain: 'continuous',
    parameters: theta,
    energy(x) {
      checkVector('parametricEnergy.energy', 'x', x, d);
      return o.energy(x, theta);
    },
    gradient(out, x) {
      checkVector('parametricEnergy.gradient', 'x', x, d);
      checkVector('parametricEnergy.gradient', 'out', out, d);
      o.gradX(out, x, theta);
      return out;
    },
    energies(out, x) {
      checkX('parametricEnergy.energies', x);
      checkVector('parametricEnergy.energies', 'out', out, x.rows);
      for (let n = 0; n < x.rows; n++) out[n] = o.energy(x.data.subarray(n * d, (n + 1) * d), theta);
      return out;
    },
    inputGradients(out, x) {
      checkX('parametricEnergy.inputGradients', x);
      checkMatrix('parametricEnergy.inputGradients', 'out', out, x.rows, d);
      for (let n = 0; n < x.rows; n++) o.gradX(out.data.subarray(n * d, (n + 1) * d), x.data.subarray(n * d, (n + 1) * d), theta);
      return out;
    },
    parameterGradient(out, x, weights) {
      checkX('parametricEnergy.parameterGradient', x);
      checkVector('parametricEnergy.parameterGradient', 'out', out, p);
      if (weights !== undefined) checkVector('parametricEnergy.parameterGradient', 'weights', weights, x.rows);
      out.fill(0);
      for (let n = 0; n < x.rows; n++) {
        const w = weights === undefined ? 1 / x.rows : weights[n];
        if (w === 0) continue;
        o.gradTheta(tmp, x.data.subarray(n * d, (n + 1) * d), theta);
        for (let j = 0; j < p; j++) out[j] += w * tmp[j];
      }
      return out;
    },
  };
}

/** Options of {@link ContrastiveTrainer}. */
export interface ContrastiveTrainerOptions {
  /** Learning rate. Default 1e-3 (Adam) — use about 1e-2 for SGD. */
  learningRate?: number;
  /** `'adam'` (Kingma & Ba, β₁ = 0.9, β₂ = 0.999; Du & Mordatch use β₁ = 0) or `'sgd'`. Default `'adam'`. */
  optimizer?: 'adam' | 'sgd';
  /** Adam's β₁. Default 0.9. */
  beta1?: number;
  /** Langevin steps per negative batch. Default 20. */
  langevinSteps?: number;
  /** Langevin step size `ε` in `x ← x − (ε/2)∇ₓE + σ√ε ξ`. Default 0.01. */
  stepSize?: number;
  /** Noise scale `σ` (1 = exact Langevin; Du & Mordatch use smaller noise). Default 1. */
  noiseScale?: number;
  /** Clip each coordinate of `∇ₓE` to `[−gradClip, gradClip]` during Langevin. Default: no clipping. */
  gradClip?: number;
  /** Replay buffer capacity (past negative samples). 0 disables the buffer (short-run chains from noise). Default 10 000. */
  bufferSize?: number;
  /** Probability that a chain starts from fresh uniform noise instead of the buffer. Default 0.05. */
  reinitProbability?: number;
  /** Box `[low, high]` of the uniform noise that starts fresh chains (same for every coordinate). Default `[-3, 3]`. */
  bounds?: readonly [number, number];
  /** Clamp Langevin samples to `bounds`. Default true. */
  clamp?: boolean;
  /** Energy-magnitude regularisation `α (E(x⁺)² + E(x⁻)²)` (Du & Mordatch: 1). Default 0.1. */
  regularization?: number;
  /** L2 weight decay on `θ`. Default 0. */
  weightDecay?: number;
  /** Seed or generator. Default seed 0. */
  rng?: number | Random;
}

/** The resumable state of a {@link ContrastiveTrainer} (JSON-serialisable): see {@link ContrastiveTrainer.getState}. */
export interface ContrastiveTrainerState {
  /** The generator's state. */
  rng: RandomState;
  /** Optimizer steps taken. */
  t: number;
  /** Adam first moments (one per parameter). */
  m: number[];
  /** Adam second moments (one per parameter). */
  v: number[];
  /** Replay-buffer samples, row-major `[count, dimension]`. */
  buffer: number[];
  /** Ring position of the next buffer write. */
  bufferNext: number;
}

/** Statistics of one {@link ContrastiveTrainer.step}. */
export interface ContrastiveStepStats {
  /** Mean energy of the data batch `⟨E(x⁺)⟩`. */
  readonly energyData: number;
  /** Mean energy of the negative samples `⟨E(x⁻)⟩`. */
  readonly energySample: number;
  /** Contrastive loss `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩` (the negated CD log-likelihood gradient's objective). */
  readonly loss: number;
  /** Euclidean norm of the parameter gradient (before the optimizer). */
  readonly gradNorm: number;
}

/**
 * Trains a {@link ParametricEnergy} by contrastive divergence. Maximum
 * likelihood gives `∇θ log p(x) = −∇θE(x) + E_{x'∼p}[∇θE(x')]`; one step
 * estimates it on a batch as
 *
 * `g = ⟨∇θE(x⁺)⟩_data − ⟨∇θE(x⁻)⟩_samples (+ 2α ⟨E ∇θE⟩ on both + λθ)`
 *
 * and moves `θ` against `g`. The negatives `x⁻` come from `K` Langevin steps
 * `x ← x − (ε/2)∇ₓE + σ√ε ξ` started, per chain, from a random replay-buffer
 * entry or (with probability `reinitProbability`, or while the buffer is
 * short) from uniform noise in `bounds`; the final negatives are pushed into
 * the buffer (Du & Mordatch 2019). With `bufferSize: 0` every chain starts
 * from noise (short-run MCMC, Nijkamp et al. 2019).
 *
 * A step validates the batch, computes everything into scratch, and commits
 * (parameters, optimizer state, buffer) only when every number is finite;
 * otherwise it throws {@link NumericalError} and leaves the model, the
 * buffer and the generator exactly as they were.
 *
 * @example
 * ```ts
 * import { ContrastiveTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
 * const data = ringOfGaussians(2000, { rng: 1 });
 * const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 2 });
 * const trainer = new ContrastiveTrainer(net, { learningRate: 1e-3, rng: 3 });
 * trainer.fit(data, { epochs: 2, batchSize: 100 });
 * ```
 */
export class ContrastiveTrainer {
  /** The energy being trained (parameters updated in place). */
  readonly energy: ParametricEnergy;
  /** Resolved options. */
  readonly options: Readonly<Required<Omit<ContrastiveTrainerOptions, 'rng'>>>;
  private rng: Random;
  private readonly d: number;
  private readonly nParams: number;
  private readonly buf: Float64Array;
  private bufCount = 0;
  private bufNext = 0;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly grad: Float64Array;
  private readonly gradNeg: Float64Array;
  private t = 0;
  private lr: number;
  private cap = 0;
  private neg: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  private negGrad: Matrix = { rows: 0, cols: 0, data: new Float64Array(0) };
  private ePos = new Float64Array(0);
  private eNeg = new Float64Array(0);
  private wPos = new Float64Array(0);
  private wNeg = new Float64Array(0);

  /**
   * @param energy - the parametric energy to train
   * @param options - see {@link ContrastiveTrainerOptions}
   * @throws {TypeError | RangeError} on bad options
   */
  constructor(energy: ParametricEnergy, options?: ContrastiveTrainerOptions) {
    const where = 'ContrastiveTrainer';
    if (
      energy === null ||
      typeof energy !== 'object' ||
      typeof energy.energies !== 'function' ||
      typeof energy.inputGradients !== 'function' ||
      typeof energy.parameterGradient !== 'function' ||
      !(energy.parameters instanceof Float64Array)
    ) {
      throw new TypeError(`${where}: energy must be a ParametricEnergy (energies, inputGradients, parameterGradient, parameters)`);
    }
    checkInt(where, 'energy.dimension', energy.dimension, 1);
    const o = checkOptions(where, options);
    const optimizer = o.optimizer === undefined ? 'adam' : checkOneOf(where, 'optimizer', o.optimizer, ['adam', 'sgd'] as const);
    const bounds = o.bounds ?? ([-3, 3] as const);
    if (!Array.isArray(bounds) || bounds.length !== 2) throw new TypeError(`${where}: bounds must be [low, high]`);
    checkFinite(where, 'bounds[0]', bounds[0]);
    checkFinite(where, 'bounds[1]', bounds[1]);
    if (!(bounds[1] > bounds[0])) throw new RangeError(`${where}: bounds must satisfy low < high (got [${bounds[0]}, ${bounds[1]}])`);
    const resolved = {
      learningRate: o.learningRate === undefined ? 1e-3 : checkPositive(where, 'learningRate', o.learningRate),
      optimizer,
      beta1: o.beta1 === undefined ? 0.9 : checkInRange(where, 'beta1', o.beta1, 0, 1, { hiOpen: true }),
      langevinSteps: o.langevinSteps === undefined ? 20 : checkInt(where, 'langevinSteps', o.langevinSteps),
      stepSize: o.stepSize === undefined ? 0.01 : checkPositive(where, 'stepSize', o.stepSize),
      noiseScale: o.noiseScale === undefined ? 1 : checkNonNegative(where, 'noiseScale', o.noiseScale),
      gradClip: o.gradClip === undefined ? Number.POSITIVE_INFINITY : checkPositive(where, 'gradClip', o.gradClip),
      bufferSize: o.bufferSize === undefined ? 10000 : checkInt(where, 'bufferSize', o.bufferSize),
      reinitProbability: o.reinitProbability === undefined ? 0.05 : checkInRange(where, 'reinitProbability', o.reinitProbability, 0, 1),
      bounds: [bounds[0], bounds[1]] as const,
      clamp: o.clamp === undefined ? true : checkBoolean(where, 'clamp', o.clamp),
      regularization: o.regularization === undefined ? 0.1 : checkNonNegative(where, 'regularization', o.regularization),
      weightDecay: o.weightDecay === undefined ? 0 : checkNonNegative(where, 'weightDecay', o.weightDecay),
    };
    this.rng = toRandom(o.rng ?? 0, where);
    this.energy = energy;
    this.options = resolved;
    this.lr = resolved.learningRate;
    this.d = energy.dimension;
    this.nParams = energy.parameters.length;
    this.buf = new Float64Array(resolved.bufferSize * this.d);
    this.m = new Float64Array(this.nParams);
    this.v = new Float64Array(this.nParams);
    this.grad = new Float64Array(this.nParams);
    this.gradNeg = new Float64Array(this.nParams);
  }

  /** Number of samples in the replay buffer. */
  get bufferCount(): number {
    return this.bufCount;
  }

  /** The replay buffer's samples `[bufferCount, dimension]` (a copy). */
  get buffer(): Matrix {
    return { rows: this.bufCount, cols: this.d, data: this.buf.slice(0, this.bufCount * this.d) };
  }

  /** The current learning rate (starts at `options.learningRate`); set it for a decay schedule. */
  get learningRate(): number {
    return this.lr;
  }
  /** Sets the learning rate (validated `> 0`), e.g. for a decay schedule. */
  set learningRate(v: number) {
    this.lr = checkPositive('ContrastiveTrainer.learningRate', 'learningRate', v);
  }

  /** Optimizer steps taken. */
  get steps(): number {
    return this.t;
  }

  /** The generator (advanced by every step). */
  get random(): Random {
    return this.rng;
  }

  private ensure(batch: number): void {
    if (batch <= this.cap) return;
    const d = this.d;
    this.neg = { rows: batch, cols: d, data: new Float64Array(batch * d) };
    this.negGrad = { rows: batch, cols: d, data: new Float64Array(batch * d) };
    this.ePos = new Float64Array(batch);
    this.eNeg = new Float64Array(batch);
    this.wPos = new Float64Array(batch);
    this.wNeg = new Float64Array(batch);
    this.cap = batch;
  }

  /** Views of the first `batch` rows of the negative-sample workspaces. */
  private views(batch: number): { neg: Matrix; negGrad: Matrix } {
    const d = this.d;
    return {
      neg: { rows: batch, cols: d, data: this.neg.data.subarray(0, batch * d) },
      negGrad: { rows: batch, cols: d, data: this.negGrad.data.subarray(0, batch * d) },
    };
  }

  /** Runs `steps` Langevin steps on the rows of `x` in place (unchecked). */
  private langevin(x: Matrix, g: Matrix, steps: number): void {
    const { stepSize: eps, noiseScale, gradClip, clamp, bounds } = this.options;
    const half = 0.5 * eps;
    const sd = noiseScale * Math.sqrt(eps);
    const xd = x.data;
    const gd = g.data;
    const [lo, hi] = bounds;
    for (let k = 0; k < steps; k++) {
      this.energy.inputGradients(g, x);
      for (let i = 0; i < xd.length; i++) {
        let gi = gd[i];
        if (gi > gradClip) gi = gradClip;
        else if (gi < -gradClip) gi = -gradClip;
        let v = xd[i] - half * gi + sd * this.rng.normal();
        if (clamp) v = Math.min(hi, Math.max(lo, v));
        xd[i] = v;
      }
    }
  }

  /** Fills the rows of `x` with chain starts: buffer entries or uniform noise (unchecked). */
  private initChains(x: Matrix): void {
    const d = this.d;
    const [lo, hi] = this.options.bounds;
    const p = this.options.reinitProbability;
    for (let n = 0; n < x.rows; n++) {
      const o = n * d;
      const fresh = this.bufCount < x.rows || this.rng.float64() < p;
      if (fresh) for (let j = 0; j < d; j++) x.data[o + j] = lo + (hi - lo) * this.rng.float64();
      else {
        const b = this.rng.int(this.bufCount) * d;
        for (let j = 0; j < d; j++) x.data[o + j] = this.buf[b + j];
      }
    }
  }

  /**
   * One contrastive-divergence update on a batch of data.
   *
   * @param batch - `[batchSize, dimension]` data
   * @returns energies, loss and gradient norm of the step
   * @throws {TypeError | RangeError | ShapeError} on a bad batch (nothing changes)
   * @throws {NumericalError} when energies or gradients are not finite (nothing changes)
   *
   * @example
   * ```ts
   * import { ContrastiveTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
   * const trainer = new ContrastiveTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { learningRate: 1e-3, rng: 2 });
   * const s = trainer.step(ringOfGaussians(64, { rng: 3 }));
   * [s.energyData, s.energySample, s.loss, s.gradNorm];
   * ```
   */
  step(batch: Matrix): ContrastiveStepStats {
    const where = 'ContrastiveTrainer.step';
    checkMatrix(where, 'batch', batch, undefined, this.d);
    if (batch.rows < 1) throw new ShapeError(`${where}: batch must have at least one row`);
    checkAllFinite(where, 'batch', batch.data);
    const B = batch.rows;
    this.ensure(B);
    const { neg, negGrad } = this.views(B);
    const savedRng = this.rng.getState();
    try {
      this.initChains(neg);
      this.langevin(neg, negGrad, this.options.langevinSteps);
      return this.update(batch, neg);
    } catch (e) {
      this.rng.setState(savedRng);
      throw e;
    }
  }

  private update(pos: Matrix, neg: Matrix): ContrastiveStepStats {
    const B = pos.rows;
    const { regularization: alpha, weightDecay, optimizer, beta1 } = this.options;
    const lr = this.lr;
    const ePos = this.ePos.subarray(0, B);
    const eNeg = this.eNeg.subarray(0, B);
    this.energy.energies(ePos, pos);
    this.energy.energies(eNeg, neg);
    let mp = 0;
    let mn = 0;
    for (let n = 0; n < B; n++) {
      mp += ePos[n];
      mn += eNeg[n];
    }
    mp /= B;
    mn /= B;
    if (!Number.isFinite(mp) || !Number.isFinite(mn)) {
      throw new NumericalError('ContrastiveTrainer.step: energies are not finite (lower the learning rate or step size)');
    }
    const wPos = this.wPos.subarray(0, B);
    const wNeg = this.wNeg.subarray(0, B);
    for (let n = 0; n < B; n++) {
      wPos[n] = (1 + 2 * alpha * ePos[n]) / B;
      wNeg[n] = (-1 + 2 * alpha * eNeg[n]) / B;
    }
    const g = this.grad;
    const gn = this.gradNeg;
    this.energy.parameterGradient(g, pos, wPos);
    this.energy.parameterGradient(gn, neg, wNeg);
    const theta = this.energy.parameters;
    let norm = 0;
    for (let j = 0; j < g.length; j++) {
      g[j] += gn[j] + weightDecay * theta[j];
      norm += g[j] * g[j];
    }
    if (!Number.isFinite(norm)) throw new NumericalError('ContrastiveTrainer.step: parameter gradient is not finite');
    // Commit: optimizer, parameters, buffer.
    this.t++;
    if (optimizer === 'sgd') for (let j = 0; j < g.length; j++) theta[j] -= lr * g[j];
    else {
      const b2 = 0.999;
      const c1 = beta1 > 0 ? 1 - pow(beta1, this.t) : 1;
      const c2 = 1 - pow(b2, this.t);
      for (let j = 0; j < g.length; j++) {
        this.m[j] = beta1 * this.m[j] + (1 - beta1) * g[j];
        this.v[j] = b2 * this.v[j] + (1 - b2) * g[j] * g[j];
        theta[j] -= (lr * (this.m[j] / c1)) / (Math.sqrt(this.v[j] / c2) + 1e-8);
      }
    }
    this.pushBuffer(neg);
    return { energyData: mp, energySample: mn, loss: mp - mn, gradNorm: Math.sqrt(norm) };
  }

  private pushBuffer(x: Matrix): void {
    const cap = this.options.bufferSize;
    if (cap === 0) return;
    const d = this.d;
    for (let n = 0; n < x.rows; n++) {
      this.buf.set(x.data.subarray(n * d, (n + 1) * d), this.bufNext * d);
      this.bufNext = (this.bufNext + 1) % cap;
      if (this.bufCount < cap) this.bufCount++;
    }
  }

  /**
   * Trains for `epochs` passes over `data` in shuffled mini-batches.
   *
   * @param data - `[nSamples, dimension]`
   * @param options - `epochs` (default 1), `batchSize` (default 128), `onEpoch` callback with mean statistics
   * @returns the mean statistics of each epoch
   * @throws {TypeError | RangeError | ShapeError} on bad input; {@link NumericalError} from a failing step
   *
   * @example
   * ```ts
   * import { ContrastiveTrainer, EnergyNetwork, ringOfGaussians } from 'boltzmann';
   * const trainer = new ContrastiveTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { learningRate: 1e-3, rng: 2 });
   * trainer.fit(ringOfGaussians(256, { rng: 3 }), { epochs: 2, batchSize: 64 }).length; // 2
   * ```
   */
  fit(
    data: Matrix,
    options?: { epochs?: number; batchSize?: number; onEpoch?: (epoch: number, stats: ContrastiveStepStats) => void },
  ): ContrastiveStepStats[] {
    const where = 'ContrastiveTrainer.fit';
    checkMatrix(where, 'data', data, undefined, this.d);
    checkAllFinite(where, 'data', data.data);
    const o = checkOptions(where, options);
    const epochs = o.epochs === undefined ? 1 : checkInt(where, 'epochs', o.epochs);
    const bs = o.batchSize === undefined ? 128 : checkInt(where, 'batchSize', o.batchSize, 1);
    if (data.rows < 1) throw new ShapeError(`${where}: data must have at least one row`);
    const d = this.d;
    const size = Math.min(bs, data.rows);
    const batch: Matrix = { rows: size, cols: d, data: new Float64Array(size * d) };
    const history: ContrastiveStepStats[] = [];
    for (let e = 0; e < epochs; e++) {
      const perm = this.rng.permutation(data.rows);
      let sEd = 0;
      let sEs = 0;
      let sG = 0;
      let count = 0;
      for (let start = 0; start + size <= data.rows; start += size) {
        for (let n = 0; n < size; n++) batch.data.set(data.data.subarray(perm[start + n] * d, (perm[start + n] + 1) * d), n * d);
        const s = this.step(batch);
        sEd += s.energyData;
        sEs += s.energySample;
        sG += s.gradNorm;
        count++;
      }
      const stats = { energyData: sEd / count, energySample: sEs / count, loss: (sEd - sEs) / count, gradNorm: sG / count };
      history.push(stats);
      o.onEpoch?.(e, stats);
    }
    return history;
  }

  /**
   * Draws `n` samples from the current energy by `steps` Langevin steps from
   * uniform noise in `bounds` (or from `init`), with the trainer's step size,
   * noise scale and clamping. Does not touch the replay buffer.
   *
   * @param n - number of samples
   * @param options - `steps` (default 10 × langevinSteps), `init` (`[n, dimension]`, copied)
   * @returns `[n, dimension]` samples
   * @throws {TypeError | RangeError | ShapeError} on bad input
   *
   * @example
   * ```ts
   * import { ContrastiveTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new ContrastiveTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * trainer.sample(10, { steps: 20 }).rows; // 10
   * ```
   */
  sample(n: number, options?: { steps?: number; init?: Matrix }): Matrix {
    const where = 'ContrastiveTrainer.sample';
    checkInt(where, 'n', n, 1);
    const o = checkOptions(where, options);
    const steps = o.steps === undefined ? 10 * this.options.langevinSteps : checkInt(where, 'steps', o.steps);
    const d = this.d;
    const x: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    if (o.init !== undefined) {
      checkMatrix(where, 'init', o.init, n, d);
      checkAllFinite(where, 'init', o.init.data);
      x.data.set(o.init.data);
    } else {
      const [lo, hi] = this.options.bounds;
      for (let i = 0; i < x.data.length; i++) x.data[i] = lo + (hi - lo) * this.rng.float64();
    }
    const g: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
    this.langevin(x, g, steps);
    return x;
  }

  /**
   * The trainer's resumable state: generator, optimizer moments, step count
   * and replay buffer (JSON-serialisable). With the energy's parameters, this
   * resumes training bit-exactly via {@link ContrastiveTrainer.setState}.
   *
   * @example
   * ```ts
   * import { ContrastiveTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new ContrastiveTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * const saved = JSON.stringify(trainer.getState()); // save with the network's parameters
   * ```
   */
  getState(): ContrastiveTrainerState {
    return {
      rng: this.rng.getState(),
      t: this.t,
      m: Array.from(this.m),
      v: Array.from(this.v),
      buffer: Array.from(this.buf.subarray(0, this.bufCount * this.d)),
      bufferNext: this.bufNext,
    };
  }

  /**
   * Restores {@link ContrastiveTrainer.getState} output.
   * @throws {TypeError | RangeError | ShapeError} when the state does not fit this trainer (nothing changes)
   *
   * @example
   * ```ts
   * import { ContrastiveTrainer, EnergyNetwork } from 'boltzmann';
   * const trainer = new ContrastiveTrainer(new EnergyNetwork(2, { hidden: [16], rng: 1 }), { rng: 2 });
   * const saved = JSON.parse(JSON.stringify(trainer.getState()));
   * trainer.setState(saved); // training continues bit-exactly from here
   * ```
   */
  setState(state: ContrastiveTrainerState): void {
    const where = 'ContrastiveTrainer.setState';
    const s = checkOptions(where, state) as ContrastiveTrainerState;
    const rng = Random.fromState(s.rng);
    const t = checkInt(where, 't', s.t);
    const arr = (name: string, v: unknown, len?: number) => {
      if (!Array.isArray(v) || (len !== undefined && v.length !== len)) {
        throw new ShapeError(`${where}: ${name} must be an array${len === undefined ? '' : ` of length ${len}`}`);
      }
      const f = Float64Array.from(v as number[]);
      checkAllFinite(where, name, f);
      return f;
    };
    const m = arr('m', s.m, this.nParams);
    const v = arr('v', s.v, this.nParams);
    const buffer = arr('buffer', s.buffer);
    if (buffer.length % this.d !== 0 || buffer.length > this.buf.length) {
      throw new ShapeError(`${where}: buffer must hold at most ${this.options.bufferSize} samples of dimension ${this.d}`);
    }
    const count = buffer.length / this.d;
    const next = checkInt(where, 'bufferNext', s.bufferNext, 0, Math.max(0, this.options.bufferSize - 1));
    this.rng = rng;
    this.t = t;
    this.m.set(m);
    this.v.set(v);
    this.buf.set(buffer);
    this.bufCount = count;
    this.bufNext = next;
  }
}
