import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import { type Activation, EnergyNetwork } from '../../src/models/energy-network.js';
import { Random } from '../../src/random/random.js';

/**
 * Second-order derivatives of the MLP energy (double backpropagation by hand)
 * against central finite differences of the first-order quantities they
 * differentiate. A central difference with step h has truncation error
 * ≤ h²/6·|f'''| and rounding error ≈ ε·|f|/h (ε = 2⁻⁵²). With h = 1e-4, the
 * O(1)–O(10) networks here (|f'''| ≲ 100 for these widths and inputs) give
 * ≲ 2e-7 + 2e-11; the tolerance TOL·(1 + |fd|) with TOL = 100·(h² + ε/h) ≈ 1e-6
 * is that bound with a safety factor, and still 4–5 orders of magnitude
 * below the size of any missing or mis-signed term.
 */
const h = 1e-4;
const TOL = 100 * (h * h + 2.220446049250313e-16 / h);
const close = (a: number, fd: number) => Math.abs(a - fd) <= TOL * (1 + Math.abs(fd));

const mat = (rows: number, cols: number, seed: number, scale = 1): Matrix => ({
  rows,
  cols,
  data: new Random(seed).fillNormal(new Float64Array(rows * cols), 0, scale),
});

const arch = fc.record({
  dim: fc.integer({ min: 1, max: 3 }),
  hidden: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
  activation: fc.constantFrom<Activation>('softplus', 'tanh', 'swish'),
  seed: fc.integer({ min: 0, max: 1e6 }),
  rows: fc.integer({ min: 1, max: 3 }),
});
const RUNS = { numRuns: 25, seed: 19 };

function grads(net: EnergyNetwork, x: Matrix): Float64Array {
  return net.inputGradients({ rows: x.rows, cols: x.cols, data: new Float64Array(x.data.length) }, x).data;
}

/** Central difference in θ of a scalar function of the network (parameters restored). */
function fdTheta(net: EnergyNetwork, k: number, f: () => number): number {
  const t = net.parameters[k];
  net.parameters[k] = t + h;
  const p = f();
  net.parameters[k] = t - h;
  const m = f();
  net.parameters[k] = t;
  return (p - m) / (2 * h);
}

describe('EnergyNetwork second-order derivatives equal finite differences', () => {
  it('property: Hessian–vector products ∇ₓ²E v = d/dh ∇ₓE(x + h v)', () => {
    fc.assert(
      fc.property(arch, ({ dim, hidden, activation, seed, rows }) => {
        const net = new EnergyNetwork(dim, { hidden, activation, rng: seed });
        const x = mat(rows, dim, seed + 1, 1.5);
        const v = mat(rows, dim, seed + 2);
        const hv = net.hessianVectorProducts({ rows, cols: dim, data: new Float64Array(rows * dim) }, x, v).data;
        const xp = { ...x, data: x.data.map((t, i) => t + h * v.data[i]) };
        const xm = { ...x, data: x.data.map((t, i) => t - h * v.data[i]) };
        const gp = grads(net, xp);
        const gm = grads(net, xm);
        for (let i = 0; i < rows * dim; i++) if (!close(hv[i], (gp[i] - gm[i]) / (2 * h))) return false;
        return true;
      }),
      RUNS,
    );
  });

  it('property: the Hessian trace tr ∇ₓ²E = Σᵢ d/dh ∂E/∂xᵢ(x + h eᵢ), and the slope/curvature of the Taylor pass', () => {
    fc.assert(
      fc.property(arch, ({ dim, hidden, activation, seed, rows }) => {
        const net = new EnergyNetwork(dim, { hidden, activation, rng: seed });
        const x = mat(rows, dim, seed + 1, 1.5);
        const tr = net.hessianTraces(new Float64Array(rows), x);
        const fd = new Float64Array(rows);
        for (let i = 0; i < dim; i++) {
          const xp = { ...x, data: x.data.slice() };
          const xm = { ...x, data: x.data.slice() };
          for (let r = 0; r < rows; r++) {
            xp.data[r * dim + i] += h;
            xm.data[r * dim + i] -= h;
          }
          const gp = grads(net, xp);
          const gm = grads(net, xm);
          for (let r = 0; r < rows; r++) fd[r] += (gp[r * dim + i] - gm[r * dim + i]) / (2 * h);
        }
        for (let r = 0; r < rows; r++) if (!close(tr[r], fd[r])) return false;
        // the forward pass's slope is vᵀ∇ₓE and its energy is E
        const v = mat(rows, dim, seed + 3);
        const g = grads(net, x);
        const e = net.energies(new Float64Array(rows), x);
        const { energy, slope } = net.taylorForwardUnchecked(x.data, v.data, rows, 1);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < dim; j++) s += v.data[r * dim + j] * g[r * dim + j];
          if (Math.abs(slope[r] - s) > 1e-12 * (1 + Math.abs(s))) return false;
          if (Math.abs(energy[r] - e[r]) > 1e-12 * (1 + Math.abs(e[r]))) return false;
        }
        return true;
      }),
      RUNS,
    );
  });

  it('property: ∇θ ½‖∇ₓE‖², ∇θ vᵀ∇ₓ²E v and ∇θ tr ∇ₓ²E equal central differences in θ', () => {
    fc.assert(
      fc.property(arch, ({ dim, hidden, activation, seed, rows }) => {
        const net = new EnergyNetwork(dim, { hidden, activation, rng: seed, initScale: 1.3 });
        // a bias away from 0 so no derivative vanishes by symmetry
        new Random(seed + 9).fillNormal(net.layerBias(0), 0, 0.5);
        const x = mat(rows, dim, seed + 1, 1.5);
        const v = mat(rows, dim, seed + 2);
        const w = new Random(seed + 4).fillNormal(new Float64Array(rows));
        const P = net.nParameters;
        const gNorm = net.gradientNormParameterGradient(new Float64Array(P), x, w);
        const gCurv = net.curvatureParameterGradient(new Float64Array(P), x, v, w);
        const gTr = net.hessianTraceParameterGradient(new Float64Array(P), x, w);
        const halfNorm = () => {
          const g = grads(net, x);
          let s = 0;
          for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) s += 0.5 * w[r] * g[r * dim + j] ** 2;
          return s;
        };
        const curv = () => {
          const hv = net.hessianVectorProducts({ rows, cols: dim, data: new Float64Array(rows * dim) }, x, v).data;
          let s = 0;
          for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) s += w[r] * v.data[r * dim + j] * hv[r * dim + j];
          return s;
        };
        const trace = () => {
          const t = net.hessianTraces(new Float64Array(rows), x);
          let s = 0;
          for (let r = 0; r < rows; r++) s += w[r] * t[r];
          return s;
        };
        for (let k = 0; k < P; k++) {
          if (!close(gNorm[k], fdTheta(net, k, halfNorm))) return false;
          if (!close(gCurv[k], fdTheta(net, k, curv))) return false;
          if (!close(gTr[k], fdTheta(net, k, trace))) return false;
        }
        return true;
      }),
      RUNS,
    );
  });

  it('the reverse pass with c0 alone is ordinary backpropagation (∇θE, ∇ₓE)', () => {
    const net = new EnergyNetwork(3, { hidden: [5, 4], activation: 'swish', rng: 7 });
    const x = mat(4, 3, 8);
    const v = mat(4, 3, 9);
    const w = Float64Array.of(0.3, -1, 2, 0.5);
    const want = net.parameterGradient(new Float64Array(net.nParameters), x, w);
    const gx = grads(net, x);
    net.taylorForwardUnchecked(x.data, v.data, 4, 2);
    const got = new Float64Array(net.nParameters);
    const gotX = new Float64Array(12);
    net.taylorBackwardUnchecked(w, null, null, got, gotX);
    for (let k = 0; k < got.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * (1 + Math.abs(want[k])));
    for (let i = 0; i < 12; i++) expect(Math.abs(gotX[i] - w[Math.floor(i / 3)] * gx[i])).toBeLessThan(1e-12 * (1 + Math.abs(gx[i])));
  });

  it('refuses bad shapes before computing', () => {
    const net = new EnergyNetwork(2, { hidden: [4], rng: 1 });
    const x = mat(2, 2, 1);
    expect(() => net.hessianVectorProducts({ rows: 2, cols: 2, data: new Float64Array(4) }, x, mat(3, 2, 2))).toThrow(/v/);
    expect(() => net.hessianTraces(new Float64Array(3), x)).toThrow(/out/);
    expect(() => net.curvatureParameterGradient(new Float64Array(net.nParameters), x, mat(2, 2, 2), new Float64Array(1))).toThrow(/weights/);
    expect(() => net.gradientNormParameterGradient(new Float64Array(1), x)).toThrow(/out/);
  });
});
