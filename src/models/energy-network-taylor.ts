/**
 * Hand-written second-order derivatives of the multilayer energy
 * {@link EnergyNetwork}: a second-order Taylor (forward) pass along a
 * direction `v` — giving `E`, the slope `vᵀ∇ₓE` and the curvature `vᵀ∇ₓ²E v` —
 * and the reverse pass through it, which gives the parameter and input
 * gradients of any per-sample combination
 * `F = Σ_n c0_n E(x_n) + c1_n v_nᵀ∇ₓE(x_n) + c2_n v_nᵀ∇ₓ²E(x_n) v_n`.
 * That is double backpropagation written out: `∇ₓF` with `c1 = 1` is the
 * Hessian–vector product `∇ₓ²E v`; `∇θF` with `c1 = 1, v = ∇ₓE` (held fixed)
 * is `∇θ ½‖∇ₓE‖²`; `Σ_i` over `v = e_i` with `c2 = 1` gives the Hessian
 * trace and its `θ`-gradient. No autodiff library is involved.
 * @module
 */
import { getKernel } from '../linalg/kernel.js';
import { sigmoid, softplus } from '../linalg/stable.js';
import { tanh } from '../math/elementary.js';

/** The activations the engine differentiates (those of `EnergyNetwork`). */
type ActivationName = 'softplus' | 'tanh' | 'swish';

/** `φ, φ', φ'', φ'''` of the activation at `z`, written into `out[0..3]`. */
function activationDerivatives(act: ActivationName, z: number, out: Float64Array): void {
  if (act === 'tanh') {
    const a = tanh(z);
    const d1 = 1 - a * a;
    out[0] = a;
    out[1] = d1;
    out[2] = -2 * a * d1;
    out[3] = d1 * (6 * a * a - 2);
  } else if (act === 'softplus') {
    const s = sigmoid(z);
    const s1 = s * (1 - s);
    out[0] = softplus(z);
    out[1] = s;
    out[2] = s1;
    out[3] = s1 * (1 - 2 * s);
  } else {
    const s = sigmoid(z);
    const s1 = s * (1 - s);
    const s2 = s1 * (1 - 2 * s);
    const s3 = s1 * (1 - 6 * s + 6 * s * s);
    out[0] = z * s;
    out[1] = s + z * s1;
    out[2] = 2 * s1 + z * s2;
    out[3] = 3 * s2 + z * s3;
  }
}

/**
 * What a Taylor forward pass returns, per row (views valid until the next pass).
 * @category Models
 */
export interface TaylorPass {
  /** `E(x_n)`. */
  energy: Float64Array;
  /** `v_nᵀ∇ₓE(x_n)`. */
  slope: Float64Array;
  /** `v_nᵀ∇ₓ²E(x_n) v_n` (zeros after an order-1 pass). */
  curvature: Float64Array;
}

/**
 * The workspace of the Taylor forward pass and its reverse pass for one
 * network layout (`layerSizes`, activation, flat parameters `W_l` `[out, in]`
 * row-major then `b_l`, layer by layer). Batched through the kernel's
 * `gemm`; workspaces grow to the largest batch seen. Unchecked: callers
 * validate shapes. {@link EnergyNetwork} owns one and exposes checked methods.
 *
 * Forward, per layer `l = 1..L` (`a_0 = x`, `ȧ_0 = v`, `ä_0 = 0`):
 * `z = W a + b`, `ż = W ȧ`, `z̈ = W ä`; for hidden layers `a = φ(z)`,
 * `ȧ = φ'(z) ż`, `ä = φ''(z) ż² + φ'(z) z̈`. Then `E = z_L`,
 * `vᵀ∇ₓE = ż_L`, `vᵀ∇ₓ²E v = z̈_L`.
 *
 * Reverse (adjoints `Z̄, Ż̄, Z̈̄` seeded with `c0, c1, c2` at the output):
 * `W̄ += Z̄ aᵀ + Ż̄ ȧᵀ + Z̈̄ äᵀ`, `b̄ += Z̄`; `Ā = Wᵀ Z̄`, `Ǡ = Wᵀ Ż̄`, `Ǟ = Wᵀ Z̈̄`;
 * below a hidden layer `Z̄ = Ā φ' + Ǡ φ'' ż + Ǟ (φ''' ż² + φ'' z̈)`,
 * `Ż̄ = Ǡ φ' + 2 Ǟ φ'' ż`, `Z̈̄ = Ǟ φ'`; and `∇ₓF = Ā_0`.
 *
 * @example
 * ```ts
 * import { EnergyNetwork, TaylorEngine } from 'boltzmann';
 * const net = new EnergyNetwork(2, { hidden: [8], rng: 1 });
 * const t = new TaylorEngine(net.layerSizes, net.activation, net.parameters);
 * const r = t.forward(Float64Array.of(0.5, -1), Float64Array.of(1, 0), 1, 2);
 * r.slope[0];     // ∂E/∂x₀ at (0.5, −1)
 * r.curvature[0]; // ∂²E/∂x₀² there
 * ```
 * @category Models
 */
export class TaylorEngine {
  private readonly sizes: readonly number[];
  private readonly act: ActivationName;
  private readonly params: Float64Array;
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  private cap = 0;
  private batch = 0;
  private order: 1 | 2 = 1;
  private x: Float64Array = new Float64Array(0);
  private v: Float64Array = new Float64Array(0);
  // per layer l = 1..L (index l−1): pre-activations and their first/second directional derivatives
  private z: Float64Array[] = [];
  private zd: Float64Array[] = [];
  private zdd: Float64Array[] = [];
  // per hidden layer l = 1..L−1 (index l−1): activations, tangents, φ', φ'', φ'''
  private a: Float64Array[] = [];
  private ad: Float64Array[] = [];
  private add: Float64Array[] = [];
  private p1: Float64Array[] = [];
  private p2: Float64Array[] = [];
  private p3: Float64Array[] = [];
  // reverse scratch, two of each of the widest layer
  private bar: Float64Array[] = [];
  private readonly der = new Float64Array(4);
  private zeros = new Float64Array(0);

  /**
   * @param layerSizes - `[input, hidden…, 1]`
   * @param activation - the hidden activation
   * @param parameters - the flat parameters (live: read at every pass)
   */
  constructor(layerSizes: readonly number[], activation: ActivationName, parameters: Float64Array) {
    this.sizes = layerSizes.slice();
    this.act = activation;
    this.params = parameters;
    let off = 0;
    for (let l = 1; l < layerSizes.length; l++) {
      this.wOff.push(off);
      off += layerSizes[l] * layerSizes[l - 1];
      this.bOff.push(off);
      off += layerSizes[l];
    }
  }

  private ensure(batch: number): void {
    if (batch <= this.cap) return;
    const cap = Math.max(batch, 2 * this.cap);
    const s = this.sizes;
    const L = s.length - 1;
    const mk = (n: number) => new Float64Array(cap * n);
    this.z = [];
    this.zd = [];
    this.zdd = [];
    for (let l = 1; l <= L; l++) {
      this.z.push(mk(s[l]));
      this.zd.push(mk(s[l]));
      this.zdd.push(mk(s[l]));
    }
    this.a = [];
    this.ad = [];
    this.add = [];
    this.p1 = [];
    this.p2 = [];
    this.p3 = [];
    for (let l = 1; l < L; l++) {
      this.a.push(mk(s[l]));
      this.ad.push(mk(s[l]));
      this.add.push(mk(s[l]));
      this.p1.push(mk(s[l]));
      this.p2.push(mk(s[l]));
      this.p3.push(mk(s[l]));
    }
    const wide = Math.max(...s);
    this.bar = [];
    for (let i = 0; i < 6; i++) this.bar.push(mk(wide));
    this.zeros = new Float64Array(cap);
    this.cap = cap;
  }

  /**
   * Taylor forward pass of order 1 (`E`, slope) or 2 (also curvature) over
   * `batch` rows of `x` along the rows of `v` (both `[batch, input]`,
   * row-major; kept by reference for {@link TaylorEngine.backward}).
   * @returns views (valid until the next pass) of `energy` `E(x_n)`,
   *   `slope` `v_nᵀ∇ₓE(x_n)` and `curvature` `v_nᵀ∇ₓ²E(x_n)v_n` (zeros at order 1)
   * @example
   * ```ts
   * import { EnergyNetwork, TaylorEngine } from 'boltzmann';
   * const net = new EnergyNetwork(1, { hidden: [4], rng: 1 });
   * new TaylorEngine(net.layerSizes, net.activation, net.parameters).forward(Float64Array.of(0), Float64Array.of(1), 1, 1).slope[0]; // E'(0)
   * ```
   */
  forward(x: Float64Array, v: Float64Array, batch: number, order: 1 | 2): TaylorPass {
    this.ensure(batch);
    this.batch = batch;
    this.order = order;
    this.x = x;
    this.v = v;
    const s = this.sizes;
    const L = s.length - 1;
    const k = getKernel();
    const p = this.params;
    const der = this.der;
    const act = this.act;
    let inA = x;
    let inD = v;
    let inDD: Float64Array | null = null;
    for (let l = 1; l <= L; l++) {
      const nin = s[l - 1];
      const nout = s[l];
      const w = p.subarray(this.wOff[l - 1], this.bOff[l - 1]);
      const z = this.z[l - 1];
      const zd = this.zd[l - 1];
      const zdd = this.zdd[l - 1];
      k.gemm(false, true, batch, nout, nin, 1, inA, nin, w, nin, 0, z, nout);
      k.gemm(false, true, batch, nout, nin, 1, inD, nin, w, nin, 0, zd, nout);
      if (order === 2) {
        if (inDD === null) zdd.fill(0, 0, batch * nout);
        else k.gemm(false, true, batch, nout, nin, 1, inDD, nin, w, nin, 0, zdd, nout);
      }
      const bo = this.bOff[l - 1];
      for (let r = 0; r < batch; r++) for (let j = 0; j < nout; j++) z[r * nout + j] += p[bo + j];
      if (l < L) {
        const a = this.a[l - 1];
        const ad = this.ad[l - 1];
        const add = this.add[l - 1];
        const p1 = this.p1[l - 1];
        const p2 = this.p2[l - 1];
        const p3 = this.p3[l - 1];
        const m = batch * nout;
        for (let i = 0; i < m; i++) {
          activationDerivatives(act, z[i], der);
          a[i] = der[0];
          p1[i] = der[1];
          p2[i] = der[2];
          p3[i] = der[3];
          ad[i] = der[1] * zd[i];
          if (order === 2) add[i] = der[2] * zd[i] * zd[i] + der[1] * zdd[i];
        }
        inA = a;
        inD = ad;
        inDD = order === 2 ? add : null;
      }
    }
    const curvature = order === 2 ? this.zdd[L - 1].subarray(0, batch) : this.zeros.subarray(0, batch).fill(0);
    return { energy: this.z[L - 1].subarray(0, batch), slope: this.zd[L - 1].subarray(0, batch), curvature };
  }

  /**
   * Reverse pass through the last {@link TaylorEngine.forward}: with
   * `F = Σ_n c0_n E_n + c1_n slope_n + c2_n curvature_n` (a `null`
   * coefficient vector is zero; `c2` needs an order-2 forward), accumulates
   * `∇θF` into `gTheta` (not zeroed) and writes `∇ₓF` rows into `gX`.
   * @example
   * ```ts
   * import { EnergyNetwork, TaylorEngine } from 'boltzmann';
   * const net = new EnergyNetwork(2, { hidden: [4], rng: 1 });
   * const t = new TaylorEngine(net.layerSizes, net.activation, net.parameters);
   * t.forward(Float64Array.of(0, 0), Float64Array.of(1, 0), 1, 1);
   * const hv = new Float64Array(2);
   * t.backward(null, Float64Array.of(1), null, null, hv); // hv = ∇ₓ²E(0) e₀
   * ```
   */
  backward(
    c0: Float64Array | null,
    c1: Float64Array | null,
    c2: Float64Array | null,
    gTheta: Float64Array | null,
    gX: Float64Array | null,
  ): void {
    const batch = this.batch;
    if (batch === 0) return;
    if (c2 !== null && this.order !== 2) throw new Error('TaylorEngine.backward: c2 needs an order-2 forward pass');
    const s = this.sizes;
    const L = s.length - 1;
    const k = getKernel();
    const p = this.params;
    const two = this.order === 2;
    // adjoints of the output layer: [batch, 1]
    let zb = this.bar[0];
    let zdb = this.bar[1];
    let zddb = this.bar[2];
    for (let r = 0; r < batch; r++) {
      zb[r] = c0 === null ? 0 : c0[r];
      zdb[r] = c1 === null ? 0 : c1[r];
      zddb[r] = c2 === null ? 0 : c2[r];
    }
    let free = [this.bar[3], this.bar[4], this.bar[5]];
    for (let l = L; l >= 1; l--) {
      const nin = s[l - 1];
      const nout = s[l];
      const inA = l === 1 ? this.x : this.a[l - 2];
      const inD = l === 1 ? this.v : this.ad[l - 2];
      const inDD = l === 1 ? null : this.add[l - 2];
      if (gTheta !== null) {
        const gw = gTheta.subarray(this.wOff[l - 1], this.bOff[l - 1]);
        k.gemm(true, false, nout, nin, batch, 1, zb, nout, inA, nin, 1, gw, nin);
        k.gemm(true, false, nout, nin, batch, 1, zdb, nout, inD, nin, 1, gw, nin);
        if (two && inDD !== null) k.gemm(true, false, nout, nin, batch, 1, zddb, nout, inDD, nin, 1, gw, nin);
        const bo = this.bOff[l - 1];
        for (let r = 0; r < batch; r++) for (let j = 0; j < nout; j++) gTheta[bo + j] += zb[r * nout + j];
      }
      if (l === 1 && gX === null) break;
      const w = p.subarray(this.wOff[l - 1], this.bOff[l - 1]);
      if (l === 1) {
        // ∇ₓF = Wᵀ Z̄ (x enters only through z_1 = W x + b)
        k.gemm(false, false, batch, nin, nout, 1, zb, nout, w, nin, 0, gX as Float64Array, nin);
        break;
      }
      const [ab, adb, addb] = free;
      k.gemm(false, false, batch, nin, nout, 1, zb, nout, w, nin, 0, ab, nin);
      k.gemm(false, false, batch, nin, nout, 1, zdb, nout, w, nin, 0, adb, nin);
      if (two) k.gemm(false, false, batch, nin, nout, 1, zddb, nout, w, nin, 0, addb, nin);
      const zd = this.zd[l - 2];
      const zdd = this.zdd[l - 2];
      const p1 = this.p1[l - 2];
      const p2 = this.p2[l - 2];
      const p3 = this.p3[l - 2];
      const m = batch * nin;
      // reuse the output adjoints' arrays for the layer below
      const nzb = zb;
      const nzdb = zdb;
      const nzddb = zddb;
      for (let i = 0; i < m; i++) {
        const A = ab[i];
        const Ad = adb[i];
        if (two) {
          const Add = addb[i];
          const d = zd[i];
          nzb[i] = A * p1[i] + Ad * p2[i] * d + Add * (p3[i] * d * d + p2[i] * zdd[i]);
          nzdb[i] = Ad * p1[i] + 2 * Add * p2[i] * d;
          nzddb[i] = Add * p1[i];
        } else {
          nzb[i] = A * p1[i] + Ad * p2[i] * zd[i];
          nzdb[i] = Ad * p1[i];
        }
      }
      zb = nzb;
      zdb = nzdb;
      zddb = nzddb;
      free = [ab, adb, addb];
    }
  }
}
