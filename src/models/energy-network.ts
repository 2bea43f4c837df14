/**
 * A small multilayer energy network `E(x; θ)`: dense layers with smooth
 * activations and a linear scalar output, with analytic gradients with
 * respect to the input (`∇ₓE`, for Langevin sampling) and the parameters
 * (`∇θE`, for contrastive training), on the model contract: `fit`,
 * `partialFit`, `sample`, `scoreSamples`, `score`, `toDocument`, `clone`.
 * @module
 */
import { describeValue, FormatError, NumericalError, ShapeError } from '../errors.js';
import { checkDocument, type ModelDocument, modelState, readTensor, restoreModelRandom } from '../document.js';
import { getKernel } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { sigmoid, softplus } from '../linalg/stable.js';
import { type Random, toRandom } from '../random/random.js';
import {
  checkEBMFitOptions,
  EBMTrainer,
  type EBMTrainerFitOptions,
  type EBMTrainerOptions,
  type ParametricEnergy,
} from '../train/ebm-trainer.js';
import {
  checkAllFinite,
  checkBoolean,
  checkElements,
  checkFinite,
  checkInt,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptionsKeys,
  checkPositive,
  checkSize,
  checkSteps,
  checkVector,
  type DataInput,
  optionKeys,
  toMatrix,
} from '../validate.js';
import { exp, log, tanh } from '../math/elementary.js';
import type { FitResult, Model, ScoreResult } from './contract.js';
import { TaylorEngine, type TaylorPass } from './energy-network-taylor.js';
import { GRADIENT_ESTIMATOR_KEYS, type GradientEstimatorOptions } from '../train/energy-estimators.js';
import { ScoreMatchingTrainer } from '../train/score-matching.js';
import { SlicedScoreMatchingTrainer, type SlicedScoreMatchingFitOptions } from '../train/sliced-score-matching.js';
import { DenoisingScoreMatchingTrainer, type DenoisingScoreMatchingFitOptions } from '../train/denoising-score-matching.js';
import { NoiseContrastiveTrainer, type NoiseContrastiveFitOptions } from '../train/noise-contrastive-estimation.js';

/** Smooth activations of {@link EnergyNetwork}: `softplus(z) = log(1+eᶻ)`, `tanh`, `swish(z) = z·σ(z)`.
 * @category Models
 */
export type Activation = 'softplus' | 'tanh' | 'swish';

/** Options of {@link EnergyNetwork}.
 * @category Models
 */
export interface EnergyNetworkOptions {
  /** Hidden layer widths. Default `[64, 64]`. */
  hidden?: readonly number[];
  /** Hidden activation. Default `'swish'`. */
  activation?: Activation;
  /** Seed or generator for the initial weights. Default seed 0. */
  rng?: number | Random;
  /** Initial weights `N(0, initScale²/fanIn)`; biases 0. Default 1. */
  initScale?: number;
}

const NETWORK_KEYS = optionKeys<EnergyNetworkOptions>()({ hidden: true, activation: true, rng: true, initScale: true });

/** Training algorithms of {@link EnergyNetwork.fit}.
 * @category Models
 */
export type EnergyNetworkFitMethod = 'cd-langevin' | 'score-matching' | 'sliced-score-matching' | 'denoising-score-matching' | 'nce';

const METHODS = ['cd-langevin', 'score-matching', 'sliced-score-matching', 'denoising-score-matching', 'nce'] as const;

/**
 * Options of {@link EnergyNetwork.fit} and {@link EnergyNetwork.partialFit}:
 * `method`, the loop options (`epochs`, `batchSize`, `onEpoch`, `signal`,
 * `threads`), the optimizer (`learningRate`, `optimizer`, `beta1`,
 * `weightDecay`, `rng`), and the method's own options: for `'cd-langevin'`
 * every {@link EBMTrainerOptions} (sampler, Langevin steps, step size, noise,
 * replay buffer, box, regularisation); for `'sliced-score-matching'`
 * `nProjections`, `projection`, `varianceReduction`; for
 * `'denoising-score-matching'` `sigma`/`sigmas`, `noiseDraws`, `noiseConditional`; for `'nce'`
 * `noiseRatio`, `noise`. An option of another method is refused.
 * @category Models
 */
export interface EnergyNetworkFitOptions
  extends EBMTrainerFitOptions,
    EBMTrainerOptions,
    Omit<SlicedScoreMatchingFitOptions, keyof GradientEstimatorOptions>,
    Omit<DenoisingScoreMatchingFitOptions, 'epochs' | 'rng' | 'onEpoch' | 'signal'>,
    Omit<NoiseContrastiveFitOptions, 'epochs' | 'rng' | 'onEpoch' | 'signal'> {
  /**
   * `'cd-langevin'` (default): contrastive divergence with sampler negatives and a replay buffer ({@link EBMTrainer});
   * `'score-matching'`: exact score matching with the exact Hessian trace ({@link ScoreMatchingTrainer}; small dimensions);
   * `'sliced-score-matching'`: random projections ({@link SlicedScoreMatchingTrainer});
   * `'denoising-score-matching'`: one or several noise levels, weighted by σ² ({@link DenoisingScoreMatchingTrainer});
   * `'nce'`: noise-contrastive estimation with log Z learned ({@link NoiseContrastiveTrainer}).
   */
  method?: EnergyNetworkFitMethod;
}

const TRAINER_OPTION_KEYS = [
  'learningRate',
  'optimizer',
  'beta1',
  'langevinSteps',
  'stepSize',
  'noiseScale',
  'gradClip',
  'bufferSize',
  'reinitProbability',
  'bounds',
  'clamp',
  'regularization',
  'weightDecay',
  'rng',
  'sampler',
] as const satisfies readonly (keyof EBMTrainerOptions)[];

const FIT_KEYS = optionKeys<EnergyNetworkFitOptions>()({
  method: true,
  epochs: true,
  batchSize: true,
  onEpoch: true,
  signal: true,
  threads: true,
  learningRate: true,
  optimizer: true,
  beta1: true,
  langevinSteps: true,
  stepSize: true,
  noiseScale: true,
  gradClip: true,
  bufferSize: true,
  reinitProbability: true,
  bounds: true,
  clamp: true,
  regularization: true,
  weightDecay: true,
  rng: true,
  sampler: true,
  nProjections: true,
  projection: true,
  varianceReduction: true,
  sigma: true,
  sigmas: true,
  noiseDraws: true,
  noiseConditional: true,
  noiseRatio: true,
  noise: true,
});

/** The options each estimator method reads besides the shared loop and optimizer ones. */
const METHOD_KEYS: Readonly<Record<Exclude<EnergyNetworkFitMethod, 'cd-langevin'>, readonly string[]>> = {
  'score-matching': [],
  'sliced-score-matching': ['nProjections', 'projection', 'varianceReduction'],
  'denoising-score-matching': ['sigma', 'sigmas', 'noiseDraws', 'noiseConditional'],
  nce: ['noiseRatio', 'noise'],
};
const CD_ONLY_KEYS = ['langevinSteps', 'stepSize', 'noiseScale', 'gradClip', 'bufferSize', 'reinitProbability', 'bounds', 'clamp', 'regularization', 'sampler'];
const ESTIMATOR_ONLY_KEYS = Object.values(METHOD_KEYS).flat();

type Estimator = ScoreMatchingTrainer | SlicedScoreMatchingTrainer | DenoisingScoreMatchingTrainer | NoiseContrastiveTrainer;

/** Refuses the options of other methods. */
function checkMethodKeys(where: string, method: EnergyNetworkFitMethod, o: Record<string, unknown>): void {
  const foreign = method === 'cd-langevin' ? ESTIMATOR_ONLY_KEYS : [...CD_ONLY_KEYS, ...ESTIMATOR_ONLY_KEYS.filter((k) => !METHOD_KEYS[method].includes(k))];
  for (const key of foreign) {
    if (o[key] !== undefined) throw new RangeError(`${where}: ${key} does not apply to method '${method}'`);
  }
}

/** The options an estimator trainer's fit reads, from the network's fit options. */
function estimatorOptions(method: Exclude<EnergyNetworkFitMethod, 'cd-langevin'>, o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...GRADIENT_ESTIMATOR_KEYS, ...METHOD_KEYS[method]]) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

/** Options of {@link EnergyNetwork.sample}.
 * @category Models
 */
export interface EnergyNetworkSampleOptions {
  /** Langevin steps `x ← x − (ε/2)∇ₓE + σ√ε ξ`. Default 200. */
  steps?: number;
  /** Step size `ε`. Default 0.01. */
  stepSize?: number;
  /** Noise scale `σ` (1 = exact Langevin). Default 1. */
  noiseScale?: number;
  /** Box `[low, high]` (every coordinate) of the uniform chain starts, and of clamping. Default `[-3, 3]`. */
  bounds?: readonly [number, number];
  /** Clamp every step to `bounds`, as training does. Default true. */
  clamp?: boolean;
  /** Chain starts `[n, dimension]` (copied) instead of uniform noise in `bounds`. */
  init?: DataInput;
  /**
   * Seed or generator for this call only (a `Random` is used, and advanced, as is).
   * Default: the model's stream ({@link EnergyNetwork.random}), continued.
   */
  rng?: number | Random;
}

const SAMPLE_KEYS = optionKeys<EnergyNetworkSampleOptions>()({
  steps: true,
  stepSize: true,
  noiseScale: true,
  bounds: true,
  clamp: true,
  init: true,
  rng: true,
});

/** Options of {@link EnergyNetwork.scoreSamples} and {@link EnergyNetwork.score}.
 * @category Models
 */
export interface EnergyNetworkScoreOptions {
  /** `'auto'` (default) or `'exact'`: the partition function by quadrature (dimension 1 or 2 only). */
  method?: 'auto' | 'exact';
  /**
   * The box `[low, high]` (every coordinate) on which the model is a density:
   * `p(x) = exp(−E(x)) / Z` inside it, 0 outside (rows outside score `−∞`).
   * Default `[-3, 3]`, the box {@link EBMTrainer} samples in by default.
   */
  bounds?: readonly [number, number];
  /** Simpson intervals per axis (even, ≥ 2). Default 2000 in 1-D, 200 in 2-D. */
  gridSize?: number;
}

const SCORE_KEYS = optionKeys<EnergyNetworkScoreOptions>()({ method: true, bounds: true, gridSize: true });

const ACTIVATIONS = ['softplus', 'tanh', 'swish'] as const;

/** The trainer options given in `o` (those left out take the trainer's defaults). */
function trainerOptions(o: Partial<EnergyNetworkFitOptions>): EBMTrainerOptions {
  const out: Record<string, unknown> = {};
  for (const key of TRAINER_OPTION_KEYS) if (o[key] !== undefined) out[key] = o[key];
  return out as EBMTrainerOptions;
}

/** `[low, high]` with finite `low < high`. */
function checkBox(where: string, bounds: unknown): readonly [number, number] {
  if (!Array.isArray(bounds) || bounds.length !== 2) throw new TypeError(`${where}: bounds must be [low, high]`);
  checkFinite(where, 'bounds[0]', bounds[0]);
  checkFinite(where, 'bounds[1]', bounds[1]);
  if (!(bounds[1] > bounds[0])) throw new RangeError(`${where}: bounds must satisfy low < high (got [${bounds[0]}, ${bounds[1]}])`);
  return [bounds[0], bounds[1]];
}

/**
 * Multilayer energy `E(x) = w_Lᵀ a_{L−1} + b_L`, `a_l = φ(W_l a_{l−1} + b_l)`,
 * `a_0 = x`, with `φ` a smooth activation (so `∇ₓE` is continuous, as
 * Langevin dynamics needs).
 *
 * Parameters live in one flat `Float64Array` ({@link EnergyNetwork.parameters}),
 * layer by layer: `W_l` (`[out, in]`, row-major) then `b_l` (`[out]`). The
 * trainer updates that vector in place. Batched forward and backward passes
 * go through the kernel seam (`getKernel().gemm`); workspaces grow to the
 * largest batch seen and are then reused.
 *
 * Implements {@link EnergyModel} (`domain: 'continuous'`, `gradient` = `∇ₓE`),
 * so {@link Langevin} and {@link Metropolis} sample it, and
 * {@link ParametricEnergy}, so {@link EBMTrainer} trains it. On the model
 * contract: {@link EnergyNetwork.fit} (contrastive divergence with Langevin
 * negatives), {@link EnergyNetwork.sample} (Langevin from the model's own
 * stream), {@link EnergyNetwork.scoreSamples} (exact log-likelihood by
 * quadrature in 1-D and 2-D).
 *
 * The model owns one generator stream, {@link EnergyNetwork.random}, made
 * once from `options.rng` (a seed, or a `Random` that it then advances): the
 * initial weights come first from it, then every `sample` and every `fit`
 * (which splits its trainer's generator from it) continues it.
 *
 * @example
 * ```ts
 * import { EnergyNetwork, ringOfGaussians } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 1 });
 * net.fit(ringOfGaussians(500, { rng: 2 }), { epochs: 2, batchSize: 50, learningRate: 3e-3 });
 * net.sample(100, { steps: 50 });   // [100, 2] Langevin samples
 * net.score([[2, 0], [0, 0]]).mean; // mean log-likelihood (nats) on the box [-3, 3]²
 * net.energy(Float64Array.of(0.5, -1)); // a number
 * ```
 * @category Models
 */
export class EnergyNetwork
  implements ParametricEnergy, Model<EnergyNetworkFitOptions, EnergyNetworkSampleOptions, EnergyNetworkScoreOptions>
{
  /** The document kind, `'energy-network'`. */
  readonly kind = 'energy-network' as const;
  /** The model's own generator stream (seeded once at construction; `sample` and `fit` continue it). */
  readonly random: Random;
  /** Input dimension. */
  readonly dimension: number;
  /** Always `'continuous'`. */
  readonly domain = 'continuous' as const;
  /** Layer widths `[input, hidden…, 1]`. */
  readonly layerSizes: readonly number[];
  /** Hidden activation. */
  readonly activation: Activation;
  /** All parameters, flat (live: trainers update it in place). */
  readonly parameters: Float64Array;
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  private cap = 0;
  private z: Float64Array[] = []; // pre-activations per layer 1..L (index l−1)
  private a: Float64Array[] = []; // activations per layer 1..L−1 (index l−1)
  private dA: Float64Array[] = []; // scratch per layer 0..L−1 for ∂E/∂a
  private outE = new Float64Array(0);
  private ones = new Float64Array(0);
  private single: Matrix;
  private singleOut: Matrix;
  private trainer: EBMTrainer<EnergyNetwork> | undefined;
  private estimator: { method: Exclude<EnergyNetworkFitMethod, 'cd-langevin'>; trainer: Estimator } | undefined;
  private lastMethod: EnergyNetworkFitMethod = 'cd-langevin';
  private taylor: TaylorEngine | undefined;
  /** The last quadrature's log Z with the parameters, box and grid it was computed for. */
  private zCache: { theta: Float64Array; lo: number; hi: number; grid: number; logZ: number } | undefined;

  /**
   * @param inputDim - input dimension (≥ 1)
   * @param options - see {@link EnergyNetworkOptions}
   * @throws {TypeError | RangeError} on bad options
   */
  constructor(inputDim: number, options?: EnergyNetworkOptions) {
    const where = 'EnergyNetwork';
    checkSize(where, 'inputDim', inputDim, 1);
    const o = checkOptionsKeys(where, options, NETWORK_KEYS);
    const hidden = o.hidden === undefined ? [64, 64] : o.hidden;
    if (!Array.isArray(hidden)) throw new TypeError(`${where}: hidden must be an array of positive integers (got ${describeValue(hidden)})`);
    for (const [i, h] of hidden.entries()) checkSize(where, `hidden[${i}]`, h, 1);
    for (let i = 0; i < hidden.length; i++) checkElements(where, i === 0 ? 'inputDim × hidden[0]' : `hidden[${i - 1}] × hidden[${i}]`, i === 0 ? inputDim : hidden[i - 1], hidden[i]);
    const act = o.activation === undefined ? 'swish' : checkOneOf(where, 'activation', o.activation, ACTIVATIONS);
    const scale = o.initScale === undefined ? 1 : checkPositive(where, 'initScale', o.initScale);
    const rng = toRandom(o.rng === undefined ? 0 : o.rng, where);
    const sizes = [inputDim, ...hidden, 1];
    this.random = rng;
    this.dimension = inputDim;
    this.layerSizes = sizes;
    this.activation = act;
    let off = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.wOff.push(off);
      off += sizes[l] * sizes[l - 1];
      this.bOff.push(off);
      off += sizes[l];
    }
    this.parameters = new Float64Array(off);
    for (let l = 1; l < sizes.length; l++) {
      const std = scale / Math.sqrt(sizes[l - 1]);
      const w = this.parameters.subarray(this.wOff[l - 1], this.bOff[l - 1]);
      rng.fillNormal(w, 0, std);
    }
    this.single = { rows: 1, cols: inputDim, data: new Float64Array(inputDim) };
    this.singleOut = { rows: 1, cols: inputDim, data: new Float64Array(inputDim) };
  }

  /** Number of parameters. */
  get nParameters(): number {
    return this.parameters.length;
  }

  /** Number of dense layers (hidden layers + the output layer). */
  get nLayers(): number {
    return this.layerSizes.length - 1;
  }

  /**
   * A view of layer `l`'s weights `[out, in]` (0-based, row-major; live).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * new EnergyNetwork(2, { hidden: [32, 32], rng: 1 }).layerWeights(0).length; // 64 (32 outputs × 2 inputs)
   * ```
   */
  layerWeights(l: number): Float64Array {
    checkInt('EnergyNetwork.layerWeights', 'l', l, 0, this.nLayers - 1);
    return this.parameters.subarray(this.wOff[l], this.bOff[l]);
  }

  /**
   * A view of layer `l`'s biases `[out]` (0-based; live).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * new EnergyNetwork(2, { hidden: [32, 32], rng: 1 }).layerBias(0).length; // 32
   * ```
   */
  layerBias(l: number): Float64Array {
    checkInt('EnergyNetwork.layerBias', 'l', l, 0, this.nLayers - 1);
    return this.parameters.subarray(this.bOff[l], this.bOff[l] + this.layerSizes[l + 1]);
  }

  /**
   * A copy of the parameter vector.
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.getParameters().length === net.nParameters; // true
   * ```
   */
  getParameters(): Float64Array {
    return this.parameters.slice();
  }

  /**
   * Replaces the parameters (validated: length and finiteness).
   * @throws {TypeError | RangeError | ShapeError} on bad input (nothing changes)
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const a = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const b = new EnergyNetwork(2, { hidden: [8], rng: 2 });
   * b.setParameters(a.getParameters());
   * b.energy(Float64Array.of(1, 2)) === a.energy(Float64Array.of(1, 2)); // true
   * ```
   */
  setParameters(theta: Float64Array): void {
    checkVector('EnergyNetwork.setParameters', 'theta', theta, this.parameters.length);
    checkAllFinite('EnergyNetwork.setParameters', 'theta', theta);
    this.parameters.set(theta);
  }

  private ensure(batch: number): void {
    if (batch <= this.cap) return;
    const cap = Math.max(batch, 2 * this.cap);
    const s = this.layerSizes;
    const L = s.length - 1;
    this.z = [];
    this.a = [];
    this.dA = [];
    for (let l = 1; l <= L; l++) this.z.push(new Float64Array(cap * s[l]));
    for (let l = 1; l < L; l++) this.a.push(new Float64Array(cap * s[l]));
    for (let l = 0; l < L; l++) this.dA.push(new Float64Array(cap * s[l]));
    this.outE = new Float64Array(cap);
    this.ones = new Float64Array(cap).fill(1);
    this.cap = cap;
  }

  /** Forward pass over `batch` rows of `x` (unchecked); energies end in `this.z[L−1]`. */
  private forward(x: Float64Array, batch: number): void {
    const s = this.layerSizes;
    const L = s.length - 1;
    const k = getKernel();
    const p = this.parameters;
    let input = x;
    for (let l = 1; l <= L; l++) {
      const nin = s[l - 1];
      const nout = s[l];
      const z = this.z[l - 1];
      const w = p.subarray(this.wOff[l - 1], this.bOff[l - 1]);
      k.gemm(false, true, batch, nout, nin, 1, input, nin, w, nin, 0, z, nout);
      const bo = this.bOff[l - 1];
      for (let r = 0; r < batch; r++) {
        const o = r * nout;
        for (let j = 0; j < nout; j++) z[o + j] += p[bo + j];
      }
      if (l < L) {
        const a = this.a[l - 1];
        const m = batch * nout;
        const act = this.activation;
        if (act === 'tanh') for (let i = 0; i < m; i++) a[i] = tanh(z[i]);
        else if (act === 'softplus') for (let i = 0; i < m; i++) a[i] = softplus(z[i]);
        else
          for (let i = 0; i < m; i++) {
            const v = z[i];
            a[i] = v >= 0 ? v / (1 + exp(-v)) : (v * exp(v)) / (1 + exp(v));
          }
        input = a;
      }
    }
  }

  /**
   * Backward pass from per-sample output weights `w` (so the objective is
   * `Σ_n w_n E(x_n)`): accumulates `Σ_n w_n ∇θE(x_n)` into `gTheta` (if given)
   * and writes `w_n ∇ₓE(x_n)` into `gX` rows (if given). Unchecked.
   */
  private backward(x: Float64Array, batch: number, w: Float64Array, gTheta: Float64Array | null, gX: Float64Array | null): void {
    const s = this.layerSizes;
    const L = s.length - 1;
    const k = getKernel();
    const p = this.parameters;
    // delta of the output layer, [batch, 1]: ∂(Σ w_n E_n)/∂z_L = w
    let delta: Float64Array = this.outE;
    for (let r = 0; r < batch; r++) delta[r] = w[r];
    for (let l = L; l >= 1; l--) {
      const nin = s[l - 1];
      const nout = s[l];
      const input = l === 1 ? x : this.a[l - 2];
      if (gTheta) {
        const gw = gTheta.subarray(this.wOff[l - 1], this.bOff[l - 1]);
        k.gemm(true, false, nout, nin, batch, 1, delta, nout, input, nin, 1, gw, nin);
        const bo = this.bOff[l - 1];
        for (let r = 0; r < batch; r++) {
          const o = r * nout;
          for (let j = 0; j < nout; j++) gTheta[bo + j] += delta[o + j];
        }
      }
      if (l === 1 && !gX) break;
      const wl = p.subarray(this.wOff[l - 1], this.bOff[l - 1]);
      const dIn = l === 1 ? (gX as Float64Array) : this.dA[l - 1];
      k.gemm(false, false, batch, nin, nout, 1, delta, nout, wl, nin, 0, dIn, nin);
      if (l > 1) {
        const z = this.z[l - 2];
        const m = batch * nin;
        const act = this.activation;
        if (act === 'tanh')
          for (let i = 0; i < m; i++) {
            const t = tanh(z[i]);
            dIn[i] *= 1 - t * t;
          }
        else if (act === 'softplus') for (let i = 0; i < m; i++) dIn[i] *= sigmoid(z[i]);
        else
          for (let i = 0; i < m; i++) {
            const v = z[i];
            const sg = sigmoid(v);
            dIn[i] *= sg * (1 + v * (1 - sg));
          }
        delta = dIn;
      }
    }
  }

  private checkBatch(where: string, x: Matrix): void {
    checkMatrix(where, 'x', x, undefined, this.dimension);
    checkAllFinite(where, 'x', x.data);
  }

  /**
   * Energies of a batch: `out[n] = E(x_n)`.
   * @param out - length `batch` (written)
   * @param x - `[batch, dimension]`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.energies(new Float64Array(2), fromArrays([[0, 0], [1, 1]])).length; // 2
   * ```
   */
  energies(out: Float64Array, x: Matrix): Float64Array {
    const where = 'EnergyNetwork.energies';
    this.checkBatch(where, x);
    checkVector(where, 'out', out, x.rows);
    this.energiesUnchecked(out, x.data, x.rows);
    return out;
  }

  /**
   * Unchecked batch energies (`x` row-major `[batch, dimension]`).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const out = new Float64Array(2);
   * net.energiesUnchecked(out, Float64Array.of(0, 0, 1, 1), 2); // out = [E(0, 0), E(1, 1)]
   * ```
   */
  energiesUnchecked(out: Float64Array, x: Float64Array, batch: number): void {
    if (batch === 0) return;
    this.ensure(batch);
    this.forward(x, batch);
    out.set(this.z[this.z.length - 1].subarray(0, batch));
  }

  /**
   * Input gradients of a batch: row `n` of `out` is `∇ₓE(x_n)`.
   * @param out - `[batch, dimension]` (written; may not alias `x`)
   * @param x - `[batch, dimension]`
   * @param energiesOut - optional length-`batch` vector that receives `E(x_n)`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays, zeros } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.inputGradients(zeros(2, 2), fromArrays([[0, 0], [1, 1]])).rows; // 2
   * ```
   */
  inputGradients(out: Matrix, x: Matrix, energiesOut?: Float64Array): Matrix {
    const where = 'EnergyNetwork.inputGradients';
    this.checkBatch(where, x);
    checkMatrix(where, 'out', out, x.rows, this.dimension);
    if (out.data === x.data) throw new RangeError(`${where}: out must not alias x`);
    if (energiesOut !== undefined) checkVector(where, 'energiesOut', energiesOut, x.rows);
    this.inputGradientsUnchecked(out.data, x.data, x.rows, energiesOut);
    return out;
  }

  /**
   * Unchecked batch input gradients.
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const g = new Float64Array(4);
   * net.inputGradientsUnchecked(g, Float64Array.of(0, 0, 1, 1), 2); // g = [∇ₓE(0, 0), ∇ₓE(1, 1)]
   * ```
   */
  inputGradientsUnchecked(out: Float64Array, x: Float64Array, batch: number, energiesOut?: Float64Array): void {
    if (batch === 0) return;
    this.ensure(batch);
    this.forward(x, batch);
    if (energiesOut) energiesOut.set(this.z[this.z.length - 1].subarray(0, batch));
    this.backward(x, batch, this.ones, null, out);
  }

  /**
   * Parameter gradient of a weighted batch: `out = Σ_n w_n ∇θE(x_n)`, with
   * `w_n = 1/batch` by default (the mean gradient).
   * @param out - length {@link EnergyNetwork.nParameters} (overwritten)
   * @param x - `[batch, dimension]`
   * @param weights - optional per-sample weights, length `batch`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.parameterGradient(new Float64Array(net.nParameters), fromArrays([[0, 0], [1, 1]])); // mean ∇θE
   * ```
   */
  parameterGradient(out: Float64Array, x: Matrix, weights?: Float64Array): Float64Array {
    const where = 'EnergyNetwork.parameterGradient';
    this.checkBatch(where, x);
    checkVector(where, 'out', out, this.parameters.length);
    let w = weights;
    if (w === undefined) w = new Float64Array(x.rows).fill(x.rows === 0 ? 0 : 1 / x.rows);
    else {
      checkVector(where, 'weights', w, x.rows);
      checkAllFinite(where, 'weights', w);
    }
    out.fill(0);
    this.parameterGradientUnchecked(out, x.data, x.rows, w);
    return out;
  }

  /**
   * Unchecked: accumulates `Σ_n w_n ∇θE(x_n)` into `out` (not zeroed).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const g = new Float64Array(net.nParameters); // zeroed: the call accumulates
   * net.parameterGradientUnchecked(g, Float64Array.of(0, 0, 1, 1), 2, Float64Array.of(0.5, 0.5));
   * ```
   */
  parameterGradientUnchecked(out: Float64Array, x: Float64Array, batch: number, weights: Float64Array): void {
    if (batch === 0) return;
    this.ensure(batch);
    this.forward(x, batch);
    this.backward(x, batch, weights, out, null);
  }

  /**
   * `E(x)` of one input.
   * @throws {TypeError | RangeError | ShapeError} on a bad input
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * new EnergyNetwork(2, { hidden: [8], rng: 1 }).energy(Float64Array.of(0.5, -1)); // a number
   * ```
   */
  energy(x: Float64Array): number {
    checkVector('EnergyNetwork.energy', 'x', x, this.dimension);
    checkAllFinite('EnergyNetwork.energy', 'x', x);
    this.single.data.set(x);
    this.ensure(1);
    this.forward(this.single.data, 1);
    return this.z[this.z.length - 1][0];
  }

  /**
   * `∇ₓE(x)` of one input, written into `out`.
   * @throws {TypeError | RangeError | ShapeError} on bad input
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * new EnergyNetwork(2, { hidden: [8], rng: 1 }).gradient(new Float64Array(2), Float64Array.of(0, 0)); // ∇ₓE at the origin
   * ```
   */
  gradient(out: Float64Array, x: Float64Array): Float64Array {
    checkVector('EnergyNetwork.gradient', 'x', x, this.dimension);
    checkVector('EnergyNetwork.gradient', 'out', out, this.dimension);
    checkAllFinite('EnergyNetwork.gradient', 'x', x);
    this.single.data.set(x);
    this.inputGradientsUnchecked(this.singleOut.data, this.single.data, 1);
    out.set(this.singleOut.data);
    return out;
  }

  /** The second-order engine on this network's live parameters (made on first use). */
  private get engine(): TaylorEngine {
    if (this.taylor === undefined) this.taylor = new TaylorEngine(this.layerSizes, this.activation, this.parameters);
    return this.taylor;
  }

  /**
   * Unchecked Taylor forward pass along directions `v` (see {@link TaylorEngine.forward}):
   * per row `E`, the slope `vᵀ∇ₓE` and (order 2) the curvature `vᵀ∇ₓ²E v`.
   * The views are valid until the next pass; {@link EnergyNetwork.taylorBackwardUnchecked}
   * differentiates the pass.
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.taylorForwardUnchecked(Float64Array.of(0, 0), Float64Array.of(0, 1), 1, 2).curvature[0]; // ∂²E/∂x₁² at 0
   * ```
   */
  taylorForwardUnchecked(x: Float64Array, v: Float64Array, batch: number, order: 1 | 2): TaylorPass {
    return this.engine.forward(x, v, batch, order);
  }

  /**
   * Unchecked reverse pass through the last {@link EnergyNetwork.taylorForwardUnchecked}:
   * accumulates `∇θF` into `gTheta` and writes `∇ₓF` into `gX` for
   * `F = Σ_n c0_n E_n + c1_n slope_n + c2_n curvature_n` (see {@link TaylorEngine.backward}).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.taylorForwardUnchecked(Float64Array.of(0, 0), Float64Array.of(1, 0), 1, 2);
   * const g = new Float64Array(net.nParameters);
   * net.taylorBackwardUnchecked(null, null, Float64Array.of(1), g, null); // g = ∇θ ∂²E/∂x₀²
   * ```
   */
  taylorBackwardUnchecked(c0: Float64Array | null, c1: Float64Array | null, c2: Float64Array | null, gTheta: Float64Array | null, gX: Float64Array | null): void {
    this.engine.backward(c0, c1, c2, gTheta, gX);
  }

  private checkWeights(where: string, weights: Float64Array | undefined, rows: number): Float64Array {
    if (weights === undefined) return new Float64Array(rows).fill(rows === 0 ? 0 : 1 / rows);
    checkVector(where, 'weights', weights, rows);
    checkAllFinite(where, 'weights', weights);
    return weights;
  }

  /**
   * Hessian–vector products: row `n` of `out` is `∇ₓ²E(x_n) v_n`, by
   * differentiating `v_nᵀ∇ₓE` once more (forward-over-reverse, exact).
   * @param out - `[batch, dimension]` (written)
   * @param x - `[batch, dimension]`
   * @param v - `[batch, dimension]` directions
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays, zeros } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.hessianVectorProducts(zeros(1, 2), fromArrays([[0.5, 0]]), fromArrays([[1, 0]])); // first Hessian column
   * ```
   */
  hessianVectorProducts(out: Matrix, x: Matrix, v: Matrix): Matrix {
    const where = 'EnergyNetwork.hessianVectorProducts';
    this.checkBatch(where, x);
    checkMatrix(where, 'v', v, x.rows, this.dimension);
    checkAllFinite(where, 'v', v.data);
    checkMatrix(where, 'out', out, x.rows, this.dimension);
    if (x.rows === 0) return out;
    this.engine.forward(x.data, v.data, x.rows, 1);
    this.engine.backward(null, new Float64Array(x.rows).fill(1), null, null, out.data);
    return out;
  }

  /**
   * Exact Hessian traces (the Laplacian of the energy): `out[n] = tr ∇ₓ²E(x_n) = Σ_i ∂²E/∂x_i²`,
   * one second-order pass per coordinate (affordable at small dimension).
   * @param out - length `batch` (written)
   * @param x - `[batch, dimension]`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.hessianTraces(new Float64Array(1), fromArrays([[0, 0]]))[0]; // ΔE at the origin
   * ```
   */
  hessianTraces(out: Float64Array, x: Matrix): Float64Array {
    const where = 'EnergyNetwork.hessianTraces';
    this.checkBatch(where, x);
    checkVector(where, 'out', out, x.rows);
    out.fill(0);
    const d = this.dimension;
    const e = new Float64Array(x.rows * d);
    for (let i = 0; i < d; i++) {
      e.fill(0);
      for (let r = 0; r < x.rows; r++) e[r * d + i] = 1;
      const { curvature } = this.engine.forward(x.data, e, x.rows, 2);
      for (let r = 0; r < x.rows; r++) out[r] += curvature[r];
    }
    return out;
  }

  /**
   * `out = Σ_n w_n ∇θ ½‖∇ₓE(x_n)‖²` (default `w_n = 1/batch`), by double
   * backpropagation: `∇θ(uᵀ∇ₓE)` with `u = ∇ₓE` held fixed.
   * @param out - length {@link EnergyNetwork.nParameters} (overwritten)
   * @param x - `[batch, dimension]`
   * @param weights - optional per-sample weights, length `batch`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.gradientNormParameterGradient(new Float64Array(net.nParameters), fromArrays([[0, 0], [1, 1]]));
   * ```
   */
  gradientNormParameterGradient(out: Float64Array, x: Matrix, weights?: Float64Array): Float64Array {
    const where = 'EnergyNetwork.gradientNormParameterGradient';
    this.checkBatch(where, x);
    checkVector(where, 'out', out, this.parameters.length);
    const w = this.checkWeights(where, weights, x.rows);
    out.fill(0);
    if (x.rows === 0) return out;
    const g = new Float64Array(x.rows * this.dimension);
    this.inputGradientsUnchecked(g, x.data, x.rows);
    this.engine.forward(x.data, g, x.rows, 1);
    this.engine.backward(null, w, null, out, null);
    return out;
  }

  /**
   * `out = Σ_n w_n ∇θ (v_nᵀ ∇ₓ²E(x_n) v_n)` (default `w_n = 1/batch`): the
   * parameter gradient of the Hessian quadratic form sliced score matching
   * needs (for `wᵀ∇ₓ²E v` use polarisation: ¼ of the form at `w + v` minus at `w − v`).
   * @param out - length {@link EnergyNetwork.nParameters} (overwritten)
   * @param x - `[batch, dimension]`
   * @param v - `[batch, dimension]` directions
   * @param weights - optional per-sample weights, length `batch`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.curvatureParameterGradient(new Float64Array(net.nParameters), fromArrays([[0, 0]]), fromArrays([[1, -1]]));
   * ```
   */
  curvatureParameterGradient(out: Float64Array, x: Matrix, v: Matrix, weights?: Float64Array): Float64Array {
    const where = 'EnergyNetwork.curvatureParameterGradient';
    this.checkBatch(where, x);
    checkMatrix(where, 'v', v, x.rows, this.dimension);
    checkAllFinite(where, 'v', v.data);
    checkVector(where, 'out', out, this.parameters.length);
    const w = this.checkWeights(where, weights, x.rows);
    out.fill(0);
    if (x.rows === 0) return out;
    this.engine.forward(x.data, v.data, x.rows, 2);
    this.engine.backward(null, null, w, out, null);
    return out;
  }

  /**
   * `out = Σ_n w_n ∇θ tr ∇ₓ²E(x_n)` (default `w_n = 1/batch`), one
   * second-order pass per coordinate (exact score matching's trace term).
   * @param out - length {@link EnergyNetwork.nParameters} (overwritten)
   * @param x - `[batch, dimension]`
   * @param weights - optional per-sample weights, length `batch`
   * @returns `out`
   * @throws {TypeError | RangeError | ShapeError} on bad shapes or non-finite input
   *
   * @example
   * ```ts
   * import { EnergyNetwork, fromArrays } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.hessianTraceParameterGradient(new Float64Array(net.nParameters), fromArrays([[0, 0]]));
   * ```
   */
  hessianTraceParameterGradient(out: Float64Array, x: Matrix, weights?: Float64Array): Float64Array {
    const where = 'EnergyNetwork.hessianTraceParameterGradient';
    this.checkBatch(where, x);
    checkVector(where, 'out', out, this.parameters.length);
    const w = this.checkWeights(where, weights, x.rows);
    out.fill(0);
    const d = this.dimension;
    const e = new Float64Array(x.rows * d);
    for (let i = 0; i < d && x.rows > 0; i++) {
      e.fill(0);
      for (let r = 0; r < x.rows; r++) e[r * d + i] = 1;
      this.engine.forward(x.data, e, x.rows, 2);
      this.engine.backward(null, null, w, out, null);
    }
    return out;
  }

  /** `data` as a checked Matrix of this network's width with finite entries. */
  private checkRows(where: string, name: string, data: unknown, width = this.dimension): Matrix {
    // An empty list of rows has no width of its own: it takes this one's.
    const empty = Array.isArray(data) && data.length === 0;
    const m = checkMatrix(where, name, toMatrix(where, name, data, empty ? width : undefined), undefined, width);
    checkAllFinite(where, name, m.data);
    return m;
  }

  /**
   * Trains the network on `data` by `options.method`:
   * - `'cd-langevin'` (default): contrastive divergence with negatives from
   *   Langevin dynamics (or another `sampler`) and a replay buffer, see
   *   {@link EBMTrainer}; each epoch's `loss` is its mean `⟨E(x⁺)⟩ − ⟨E(x⁻)⟩`;
   * - `'score-matching'`: exact score matching `mean[½‖∇ₓE‖² − tr ∇ₓ²E]`
   *   with the exact Hessian trace ({@link ScoreMatchingTrainer}; cost grows with the dimension);
   * - `'sliced-score-matching'`: the trace by random projections
   *   ({@link SlicedScoreMatchingTrainer}; `nProjections`, `projection`, `varianceReduction`);
   * - `'denoising-score-matching'`: `mean ½σ²‖∇ₓE(x + σε) − ε/σ‖²` over one or
   *   several noise levels ({@link DenoisingScoreMatchingTrainer}; `sigma`/`sigmas`, `noiseDraws`;
   *   with `noiseConditional: true` the network is `E(x, log σ)`, one input wider than the data);
   * - `'nce'`: noise-contrastive estimation with log Z learned
   *   ({@link NoiseContrastiveTrainer}; `noiseRatio`, `noise`).
   *
   * The estimators run mini-batch Adam (or SGD) with `learningRate`, `beta1`,
   * `weightDecay`; each epoch's `loss` is its mean objective. Each call starts a
   * fresh trainer (new optimizer state, replay buffer) whose generator is split
   * from the model's stream (or made from `options.rng`), so the same
   * construction seed gives the same training; {@link EnergyNetwork.partialFit}
   * then continues that trainer. Options of another method are refused.
   *
   * @param data - `[nSamples, dimension]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param options - see {@link EnergyNetworkFitOptions}
   * @returns the metrics of each epoch, the epochs completed and whether a signal stopped training
   * @throws {TypeError | RangeError | ShapeError} on bad data or options (before anything changes;
   *   an unknown option names the closest valid one)
   * @throws {NumericalError} when a step is not finite (that step is not applied; when it is the
   *   first update of the call, nothing has changed: the model's generator, the kept trainer and
   *   {@link EnergyNetwork.lastTrainer} are as before the call, so a retry with a smaller learning
   *   rate draws the same numbers)
   * @example
   * ```ts
   * import { EnergyNetwork, twoMoons } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [16, 16], rng: 1 });
   * const { history } = net.fit(twoMoons(400, { rng: 2 }), { epochs: 3, batchSize: 50, learningRate: 3e-3, langevinSteps: 10 });
   * history.map((m) => m.loss); // ⟨E(data)⟩ − ⟨E(samples)⟩ per epoch
   * net.fit(twoMoons(400, { rng: 3 }), { method: 'denoising-score-matching', sigmas: [0.5, 0.2, 0.1], epochs: 2, batchSize: 50 });
   * ```
   */
  fit(data: DataInput, options?: EnergyNetworkFitOptions): FitResult {
    const where = 'EnergyNetwork.fit';
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const method = o.method === undefined ? 'cd-langevin' : checkOneOf(where, 'method', o.method, METHODS);
    checkMethodKeys(where, method, o as Record<string, unknown>);
    // a noise-conditional energy E(x, log σ) reads one column more than the data have
    const X = this.checkRows(where, 'data', data, o.noiseConditional === true ? this.dimension - 1 : this.dimension);
    if (X.rows < 1) throw new ShapeError(`${where}: data must have at least one row`);
    if (method !== 'cd-langevin') {
      const trainer = this.makeEstimator(method);
      // the trainer reads and checks its options first; nothing changes on a refusal
      const result = trainer.fit(X, estimatorOptions(method, o as Record<string, unknown>));
      this.estimator = { method, trainer };
      this.lastMethod = method;
      return result;
    }
    const loop = checkEBMFitOptions(where, o);
    const undo = this.undoPoint();
    const trainer = new EBMTrainer<EnergyNetwork>(this, trainerOptions(o));
    this.trainer = trainer;
    this.lastMethod = method;
    try {
      return trainer.fit(X, loop);
    } catch (e) {
      undo(trainer);
      throw e;
    }
  }

  /**
   * What a `'cd-langevin'` training call that fails before its first update
   * must put back: the model's generator (a new trainer splits its stream), the
   * kept trainer with its learning rate, and the method `partialFit` continues.
   * The returned function restores them when `trainer` has made no update since.
   */
  private undoPoint(): (trainer: EBMTrainer<EnergyNetwork>) => void {
    const random = this.random.getState();
    const kept = this.trainer;
    const steps = kept?.steps;
    const rate = kept?.learningRate;
    const method = this.lastMethod;
    return (trainer) => {
      if (trainer.steps !== (trainer === kept ? steps : 0)) return;
      this.random.setState(random);
      if (kept !== undefined && rate !== undefined) kept.learningRate = rate;
      this.trainer = kept;
      this.lastMethod = method;
    };
  }

  private makeEstimator(method: Exclude<EnergyNetworkFitMethod, 'cd-langevin'>): Estimator {
    if (method === 'score-matching') return new ScoreMatchingTrainer(this);
    if (method === 'sliced-score-matching') return new SlicedScoreMatchingTrainer(this);
    if (method === 'denoising-score-matching') return new DenoisingScoreMatchingTrainer(this);
    return new NoiseContrastiveTrainer(this);
  }

  /**
   * The trainer of the last {@link EnergyNetwork.fit} or `partialFit`: an
   * {@link EBMTrainer} for `'cd-langevin'`, else the estimator's trainer
   * (e.g. a {@link NoiseContrastiveTrainer}, whose `logPartition` is the learned log Z); undefined before any fit.
   *
   * @example
   * ```ts
   * import { EnergyNetwork, NoiseContrastiveTrainer, ringOfGaussians } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.fit(ringOfGaussians(256, { rng: 2 }), { method: 'nce', batchSize: 64 });
   * (net.lastTrainer as NoiseContrastiveTrainer).logPartition; // the learned log Z
   * ```
   */
  get lastTrainer(): EBMTrainer<EnergyNetwork> | Estimator | undefined {
    return this.lastMethod === 'cd-langevin' ? this.trainer : this.estimator?.trainer;
  }

  /**
   * One pass over `batch` (one step on the whole batch unless `batchSize` is
   * smaller), continuing the model's trainer for `options.method` (default:
   * the method of the last fit, else `'cd-langevin'`): the one the last
   * {@link EnergyNetwork.fit} made for that method, else one made by the
   * first `partialFit` from its options (generator split from the model's
   * stream). Its optimizer moments, replay buffer and generator carry over
   * between calls. For `'cd-langevin'`, later calls may change
   * `learningRate`; other trainer options must equal the trainer's (`rng`
   * only on the call that makes it). The estimators read their options at every call.
   *
   * @param batch - `[batchSize, dimension]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param options - see {@link EnergyNetworkFitOptions} (`epochs` must be 1 if given)
   * @returns the metrics of the pass
   * @throws {TypeError | RangeError | ShapeError} on bad input (before anything changes)
   * @throws {NumericalError} when the step is not finite (it is not applied; when it is the call's
   *   first update, the model's generator and the kept trainer, with its learning rate and
   *   generator, are as before the call)
   * @example
   * ```ts
   * import { EnergyNetwork, ringOfGaussians } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [16], rng: 1 });
   * const data = ringOfGaussians(256, { rng: 2 });
   * for (let i = 0; i < 4; i++) net.partialFit(data, { batchSize: 64, learningRate: 3e-3, langevinSteps: 5 });
   * ```
   */
  partialFit(batch: DataInput, options?: EnergyNetworkFitOptions): FitResult {
    const where = 'EnergyNetwork.partialFit';
    const o = checkOptionsKeys(where, options, FIT_KEYS);
    const method = o.method === undefined ? this.lastMethod : checkOneOf(where, 'method', o.method, METHODS);
    checkMethodKeys(where, method, o as Record<string, unknown>);
    const X = this.checkRows(where, 'batch', batch, o.noiseConditional === true ? this.dimension - 1 : this.dimension);
    if (X.rows < 1) throw new ShapeError(`${where}: batch must have at least one row`);
    if (o.epochs !== undefined && checkSteps(where, 'epochs', o.epochs) !== 1) {
      throw new RangeError(`${where}: epochs must be 1 (one pass over the batch; use fit for more) (got ${o.epochs})`);
    }
    if (method !== 'cd-langevin') {
      const trainer = this.estimator !== undefined && this.estimator.method === method ? this.estimator.trainer : this.makeEstimator(method);
      const result = trainer.fit(X, { ...estimatorOptions(method, o as Record<string, unknown>), epochs: 1, batchSize: o.batchSize === undefined ? X.rows : o.batchSize });
      this.estimator = { method, trainer };
      this.lastMethod = method;
      return result;
    }
    const loop = checkEBMFitOptions(where, { ...o, epochs: 1, batchSize: o.batchSize === undefined ? X.rows : o.batchSize });
    const undo = this.undoPoint();
    let trainer = this.trainer;
    if (trainer === undefined) trainer = new EBMTrainer<EnergyNetwork>(this, trainerOptions(o));
    else {
      const current = trainer.options as Readonly<Record<string, unknown>>;
      for (const key of TRAINER_OPTION_KEYS) {
        const v = o[key];
        if (v === undefined || key === 'learningRate') continue;
        if (key === 'rng') {
          throw new RangeError(`${where}: rng is read only when the trainer is made (the first partialFit or a fit); call fit to start over`);
        }
        const cur = current[key];
        const same = key === 'bounds' ? Array.isArray(v) && v[0] === (cur as number[])[0] && v[1] === (cur as number[])[1] : v === cur;
        if (!same) {
          const has = key === 'bounds' ? `[${(cur as readonly number[])[0]}, ${(cur as readonly number[])[1]}]` : describeValue(cur);
          throw new RangeError(`${where}: ${key} is fixed by the trainer that fit or the first partialFit made (it has ${has}); call fit to start over`);
        }
      }
      if (o.learningRate !== undefined) checkPositive(where, 'learningRate', o.learningRate);
    }
    this.trainer = trainer;
    this.lastMethod = method;
    if (o.learningRate !== undefined) trainer.learningRate = o.learningRate;
    try {
      return trainer.fit(X, loop);
    } catch (e) {
      undo(trainer);
      throw e;
    }
  }

  /**
   * `n` samples by unadjusted Langevin dynamics `x ← x − (ε/2)∇ₓE + σ√ε ξ`
   * from uniform noise in `bounds` (or from `init`), drawing from the model's
   * own stream (or from `rng` when given): two calls give different draws; the
   * same construction seed gives the same sequence, and the same `rng` the
   * same samples of the same parameters (a loaded copy's too).
   *
   * @param n - number of samples (≥ 1)
   * @param options - see {@link EnergyNetworkSampleOptions}
   * @returns `[n, dimension]` samples
   * @throws {TypeError | RangeError | ShapeError} on bad input (nothing is drawn)
   * @throws {NumericalError} when a sample stops being finite (the generator is put back)
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.sample(5, { steps: 20 }).rows; // 5
   * net.sample(5, { steps: 20, rng: 7 }); // the same 5 samples at every call (the model's stream is not touched)
   * ```
   */
  sample(n: number, options?: EnergyNetworkSampleOptions): Matrix {
    const where = 'EnergyNetwork.sample';
    checkSize(where, 'n', n, 1);
    checkElements(where, 'n × dimension', n, this.dimension);
    const o = checkOptionsKeys(where, options, SAMPLE_KEYS);
    const steps = o.steps === undefined ? 200 : checkSteps(where, 'steps', o.steps);
    const stepSize = o.stepSize === undefined ? 0.01 : checkPositive(where, 'stepSize', o.stepSize);
    const noiseScale = o.noiseScale === undefined ? 1 : checkNonNegative(where, 'noiseScale', o.noiseScale);
    const bounds = o.bounds === undefined ? ([-3, 3] as const) : checkBox(where, o.bounds);
    const clamp = o.clamp === undefined ? true : checkBoolean(where, 'clamp', o.clamp);
    let init: Matrix | undefined;
    if (o.init !== undefined) {
      init = checkMatrix(where, 'init', toMatrix(where, 'init', o.init), n, this.dimension);
      checkAllFinite(where, 'init', init.data);
    }
    const rng = o.rng === undefined ? this.random : toRandom(o.rng, where);
    const chains = new EBMTrainer<EnergyNetwork>(this, { rng, bufferSize: 0, stepSize, noiseScale, bounds, clamp });
    return chains.sample(n, init === undefined ? { steps } : { steps, init });
  }

  /**
   * Per-row log-likelihood `log p(x) = −E(x) − log Z` (nats) of the model read
   * as a density on the box `bounds` (every coordinate in `[low, high]`; rows
   * outside score `−∞`), with `Z = ∫_box exp(−E)` by composite Simpson
   * quadrature on a `(gridSize + 1)^d` tensor grid (error `O(h⁴)` for this
   * smooth energy, `h` the grid step), summed in log space. Deterministic
   * (method `'exact'`); dimension 1 or 2 only.
   *
   * @param data - `[n, dimension]` (a Matrix, `number[][]` or a typed array with a shape)
   * @param options - see {@link EnergyNetworkScoreOptions}
   * @returns `n` log-likelihoods
   * @throws {RangeError} in dimension 3 or more, for a method other than `'auto'`/`'exact'`, or a
   *   `gridSize` whose `(gridSize + 1)^dimension` nodes exceed `LIMITS.maxElements`
   * @throws {TypeError | ShapeError} on bad data or options
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(1, { hidden: [8], rng: 1 });
   * net.scoreSamples([[0], [1.5]], { bounds: [-4, 4] }); // Float64Array of 2 log-densities
   * ```
   */
  scoreSamples(data: DataInput, options?: EnergyNetworkScoreOptions): Float64Array {
    return this.scoreRows('EnergyNetwork.scoreSamples', data, options).values;
  }

  /**
   * Mean log-likelihood per row (nats) of `data`, exact up to quadrature
   * (see {@link EnergyNetwork.scoreSamples}): `lower = upper = mean`,
   * `method: 'exact'`, with the `logZ` used.
   *
   * @param data - `[n, dimension]`, at least one row
   * @param options - see {@link EnergyNetworkScoreOptions}
   * @returns `{ mean, lower, upper, method: 'exact', logZ }`
   * @throws {RangeError} in dimension 3 or more, for a method other than `'auto'`/`'exact'`, or a
   *   `gridSize` whose `(gridSize + 1)^dimension` nodes exceed `LIMITS.maxElements`
   * @throws {TypeError | ShapeError} on bad data or options
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * net.score([[0, 0], [1, -1]]); // { mean, lower: mean, upper: mean, method: 'exact', logZ }
   * ```
   */
  score(data: DataInput, options?: EnergyNetworkScoreOptions): ScoreResult {
    const where = 'EnergyNetwork.score';
    const { values, logZ } = this.scoreRows(where, data, options);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    const mean = sum / values.length;
    return { mean, lower: mean, upper: mean, method: 'exact', logZ };
  }

  private scoreRows(where: string, data: DataInput, options: EnergyNetworkScoreOptions | undefined): { values: Float64Array; logZ: number } {
    const o = checkOptionsKeys(where, options, SCORE_KEYS);
    const X = this.checkRows(where, 'data', data);
    // before the quadrature's log Z, which takes a while
    if (X.rows === 0) throw new ShapeError(`${where}: data must have at least one row`);
    const asked: unknown = o.method;
    if (asked === 'ais' || asked === 'bound' || asked === 'pseudo') {
      throw new RangeError(`${where}: method '${asked}' is not available for an energy network (only 'exact': the partition function by quadrature in 1-D and 2-D)`);
    }
    if (o.method !== undefined) checkOneOf(where, 'method', o.method, ['auto', 'exact'] as const);
    const d = this.dimension;
    if (d > 2) {
      throw new RangeError(
        `${where}: the log-likelihood needs the partition function, computed by quadrature only in dimension 1 or 2 (got dimension ${d}); compare energies or samples instead`,
      );
    }
    const [lo, hi] = o.bounds === undefined ? ([-3, 3] as const) : checkBox(where, o.bounds);
    const grid = o.gridSize === undefined ? (d === 1 ? 2000 : 200) : checkSize(where, 'gridSize', o.gridSize, 2);
    if (grid % 2 !== 0) throw new RangeError(`${where}: gridSize must be even (Simpson's rule) (got ${grid})`);
    // the energy is evaluated at every node of the (gridSize + 1)^dimension grid
    checkElements(where, d === 1 ? 'gridSize + 1 (the quadrature nodes)' : '(gridSize + 1)² (the quadrature nodes)', ...(d === 1 ? [grid + 1] : [grid + 1, grid + 1]));
    const logZ = this.logPartitionSimpson(lo, hi, grid);
    const values = new Float64Array(X.rows);
    this.energiesUnchecked(values, X.data, X.rows);
    for (let r = 0; r < X.rows; r++) {
      let inside = true;
      for (let j = 0; j < d; j++) {
        const v = X.data[r * d + j];
        if (!(v >= lo && v <= hi)) inside = false;
      }
      values[r] = inside ? -values[r] - logZ : Number.NEGATIVE_INFINITY;
    }
    return { values, logZ };
  }

  /**
   * `log ∫_{[lo,hi]^d} exp(−E)` by composite Simpson on `grid` intervals per
   * axis (d = 1 or 2), streamed log-sum-exp; remembered for the same
   * parameters, box and grid (so `score` after `scoreSamples` integrates once).
   */
  private logPartitionSimpson(lo: number, hi: number, grid: number): number {
    const c = this.zCache;
    if (c !== undefined && c.lo === lo && c.hi === hi && c.grid === grid && c.theta.every((v, i) => v === this.parameters[i])) return c.logZ;
    const logZ = this.logPartitionSimpsonUncached(lo, hi, grid);
    this.zCache = { theta: this.parameters.slice(), lo, hi, grid, logZ };
    return logZ;
  }

  private logPartitionSimpsonUncached(lo: number, hi: number, grid: number): number {
    const d = this.dimension;
    const h = (hi - lo) / grid;
    const nodes = grid + 1;
    const logW = new Float64Array(nodes);
    for (let i = 0; i < nodes; i++) logW[i] = log(((i === 0 || i === grid ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3);
    const total = d === 1 ? nodes : nodes * nodes;
    const chunk = 4096;
    const pts = new Float64Array(chunk * d);
    const e = new Float64Array(chunk);
    let m = Number.NEGATIVE_INFINITY;
    let s = 0;
    for (let start = 0; start < total; start += chunk) {
      const rows = Math.min(chunk, total - start);
      for (let r = 0; r < rows; r++) {
        const k = start + r;
        if (d === 1) pts[r] = lo + k * h;
        else {
          pts[2 * r] = lo + Math.floor(k / nodes) * h;
          pts[2 * r + 1] = lo + (k % nodes) * h;
        }
      }
      this.energiesUnchecked(e, pts, rows);
      for (let r = 0; r < rows; r++) {
        const k = start + r;
        const lw = d === 1 ? logW[k] : logW[Math.floor(k / nodes)] + logW[k % nodes];
        const t = lw - e[r];
        if (Number.isNaN(t)) throw new NumericalError('EnergyNetwork: an energy on the quadrature grid is NaN');
        if (t > m) {
          s = s * exp(m - t) + 1;
          m = t;
        } else s += exp(t - m);
      }
    }
    const logZ = m + log(s);
    if (!Number.isFinite(logZ)) throw new NumericalError(`EnergyNetwork: log Z is not finite on the box (got ${logZ})`);
    return logZ;
  }

  /**
   * An independent copy: same architecture and parameters, and a generator
   * at the same position as this one's (the training state is not copied).
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const twin = net.clone();
   * twin.sample(3, { steps: 5 }).data[0] === net.sample(3, { steps: 5 }).data[0]; // true
   * ```
   */
  clone(): EnergyNetwork {
    const c = new EnergyNetwork(this.dimension, { hidden: this.layerSizes.slice(1, -1), activation: this.activation, rng: 0 });
    c.parameters.set(this.parameters);
    c.random.setState(this.random.getState());
    return c;
  }

  /**
   * The network as a versioned document: layer sizes and activation in `config`, one tensor per layer's W and b.
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * new EnergyNetwork(2, { hidden: [8], rng: 1 }).toDocument().kind; // 'energy-network'
   * ```
   */
  toDocument(): ModelDocument {
    const tensors: ModelDocument['tensors'] = {};
    for (let l = 0; l < this.nLayers; l++) {
      tensors[`W${l}`] = { shape: [this.layerSizes[l + 1], this.layerSizes[l]], data: Array.from(this.layerWeights(l)) };
      tensors[`b${l}`] = { shape: [this.layerSizes[l + 1]], data: Array.from(this.layerBias(l)) };
    }
    return {
      format: 'boltzmann',
      version: 1,
      kind: 'energy-network',
      config: { layerSizes: this.layerSizes.slice(), activation: this.activation },
      tensors,
      state: modelState(this.random),
    };
  }

  /**
   * Rebuilds a network from {@link EnergyNetwork.toDocument} output (parameters bit-exact).
   * @throws {FormatError} on a malformed document
   *
   * @example
   * ```ts
   * import { EnergyNetwork } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
   * const back = EnergyNetwork.fromDocument(JSON.parse(JSON.stringify(net.toDocument())));
   * back.energy(Float64Array.of(1, 1)) === net.energy(Float64Array.of(1, 1)); // true
   * ```
   */
  static fromDocument(doc: unknown): EnergyNetwork {
    const d = checkDocument(doc, 'energy-network');
    const sizes = d.config.layerSizes;
    const act = d.config.activation;
    if (
      !Array.isArray(sizes) ||
      sizes.length < 2 ||
      !sizes.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1 << 20) ||
      sizes[sizes.length - 1] !== 1
    ) {
      throw new FormatError('load energy-network: config.layerSizes must be positive integers ending in 1');
    }
    if (typeof act !== 'string' || !(ACTIVATIONS as readonly string[]).includes(act)) {
      throw new FormatError(`load energy-network: config.activation must be one of ${ACTIVATIONS.join(', ')}`);
    }
    const s = sizes as number[];
    const tensors = [];
    for (let l = 0; l < s.length - 1; l++) {
      tensors.push(readTensor(d, `W${l}`, [s[l + 1], s[l]]), readTensor(d, `b${l}`, [s[l + 1]]));
    }
    const net = new EnergyNetwork(s[0], { hidden: s.slice(1, -1), activation: act as Activation });
    let off = 0;
    for (const t of tensors) {
      net.parameters.set(t.data, off);
      off += t.data.length;
    }
    if (off !== net.parameters.length) throw new ShapeError('load energy-network: tensor sizes do not match the layer sizes');
    restoreModelRandom('load energy-network', d, net.random);
    return net;
  }
}
