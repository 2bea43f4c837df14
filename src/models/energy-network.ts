/**
 * A small multilayer energy network `E(x; θ)`: dense layers with smooth
 * activations and a linear scalar output, with analytic gradients with
 * respect to the input (`∇ₓE`, for Langevin sampling) and the parameters
 * (`∇θE`, for contrastive training).
 * @module
 */
import { FormatError, ShapeError } from '../errors.js';
import { checkDocument, type ModelDocument, readTensor } from '../document.js';
import { getKernel } from '../linalg/kernel.js';
import type { Matrix } from '../linalg/matrix.js';
import { sigmoid, softplus } from '../linalg/stable.js';
import { type Random, toRandom } from '../random/random.js';
import type { ParametricEnergy } from '../train/ebm-trainer.js';
import { checkAllFinite, checkInt, checkMatrix, checkOneOf, checkOptions, checkPositive, checkVector } from '../validate.js';
import { exp, tanh } from '../math/elementary.js';

/** Smooth activations of {@link EnergyNetwork}: `softplus(z) = log(1+eᶻ)`, `tanh`, `swish(z) = z·σ(z)`. */
export type Activation = 'softplus' | 'tanh' | 'swish';

/** Options of {@link EnergyNetwork}. */
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

const ACTIVATIONS = ['softplus', 'tanh', 'swish'] as const;

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
 * {@link ParametricEnergy}, so {@link ContrastiveTrainer} trains it.
 *
 * @example
 * ```ts
 * import { EnergyNetwork, fromArrays } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [32, 32], rng: 1 });
 * net.energy(Float64Array.of(0.5, -1));                  // a number
 * net.gradient(new Float64Array(2), Float64Array.of(0, 0)); // ∇ₓE at the origin
 * net.parameterGradient(new Float64Array(net.nParameters), fromArrays([[0, 0], [1, 1]])); // mean ∇θE
 * ```
 */
export class EnergyNetwork implements ParametricEnergy {
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

  /**
   * @param inputDim - input dimension (≥ 1)
   * @param options - see {@link EnergyNetworkOptions}
   * @throws {TypeError | RangeError} on bad options
   */
  constructor(inputDim: number, options?: EnergyNetworkOptions) {
    const where = 'EnergyNetwork';
    checkInt(where, 'inputDim', inputDim, 1);
    const o = checkOptions(where, options);
    const hidden = o.hidden === undefined ? [64, 64] : o.hidden;
    if (!Array.isArray(hidden)) throw new TypeError(`${where}: hidden must be an array of positive integers`);
    for (const [i, h] of hidden.entries()) checkInt(where, `hidden[${i}]`, h, 1);
    const act = o.activation === undefined ? 'swish' : checkOneOf(where, 'activation', o.activation, ACTIVATIONS);
    const scale = o.initScale === undefined ? 1 : checkPositive(where, 'initScale', o.initScale);
    const rng = toRandom(o.rng ?? 0, where);
    const sizes = [inputDim, ...hidden, 1];
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
    return net;
  }
}
