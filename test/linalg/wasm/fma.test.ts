/**
 * The fused multiply–add kernels (issue #16): the relaxed-SIMD module whose
 * GEMM micro-kernels accumulate with `f64x2.relaxed_madd` / `f32x4.relaxed_madd`.
 *
 * Tolerance against the kernel without FMA, from the rounding: both kernels sum
 * the same products of each C entry in the same order (p ascending within each
 * 256-deep slice, slices in order, after β·c), whatever their register tiles;
 * the unfused one rounds each product and each sum, the fused one each sum
 * only. Each is within γ_{k+2}·(|β·c| + Σ_p |α·a_p|·|b_p|) of the exact sum
 * (γ_j = j·u/(1 − j·u), u = 2⁻⁵³; α·a is formed once while packing, the same
 * in both), so they differ by at most twice that. For float32, within each
 * slice the f32 sums are within γ³²_{kc} of the sum of the f32-rounded products,
 * and the f64 accumulation of the slices adds a γ_{slices+2} term.
 *
 * The relaxed-SIMD specification lets an engine implement relaxed_madd with one
 * rounding or two; which one this engine does is probed (`relaxedMaddFuses`):
 * where it fuses, the FMA kernel must differ from the unfused one in many
 * entries (else FMA was never used); where it does not, the two must agree bit
 * for bit (same order, same roundings).
 *
 * Relaxed SIMD needs Node ≥ 22 or current Chromium; Node 20 needs a V8 flag,
 * which NODE_OPTIONS refuses, so run these with
 *   npx vitest run --execArgv=--experimental-wasm-relaxed-simd test/linalg/wasm/fma.test.ts
 * Without relaxed SIMD they are skipped (and the fallback is checked instead).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernel } from '../../../src/linalg/kernel.js';
import { naiveKernel } from '../../../src/linalg/naive.js';
import { hasRelaxedSimd, kernelBytes, relaxedMaddFuses } from '../../../src/linalg/wasm/core.js';
import { createWasmKernel, initWasm, makeWasmKernel, wasmRelaxedSimdAvailable } from '../../../src/linalg/wasm/wasm-kernel.js';
import { Random } from '../../../src/random/random.js';
import { kernelProperties } from '../../helpers/kernel-properties.js';

const relaxed = hasRelaxedSimd();
const SKIP = relaxed
  ? ''
  : ' — SKIPPED: WebAssembly relaxed SIMD is unavailable in this engine (Node ≥ 22, or Node 20 with ' +
    '`npx vitest run --execArgv=--experimental-wasm-relaxed-simd test/linalg/wasm/fma.test.ts`)';
if (!relaxed) console.warn(`fma.test.ts${SKIP}`);

const u64 = 2 ** -53;
const u32 = 2 ** -24;
const gamma = (j: number, u: number): number => (j * u) / (1 - j * u);
const KC = 256;

/** Uniform in (−1, 1) with full 53-bit significands (24-bit ones would make every f64 product exact: FMA or not, the same bits). */
function filled(n: number, seed: number): Float64Array {
  return new Random(seed).fillUniform(new Float64Array(n)).map((x) => 2 * x - 1);
}

const ALL_SIZES = { gemm: 0, level2: 0, sparseMaxDensity: 0.3 };
// m×n×k: edge tiles in both directions (m not a multiple of 4 or 6), several 256-deep slices, wider than one 1024 block
const SHAPES: [number, number, number][] = [[37, 41, 600], [130, 70, 257], [7, 1100, 300], [61, 5, 33]];

/**
 * Runs `fused` and `plain` on the same product for every shape, transpose and
 * (α, β); returns how many entries differ and checks each difference against
 * `bound(k)`·(|β·c| + Σ|α·a||b|) (for float32: the slice term on Σ|α·a||b| only).
 */
function compare(
  fused: ReturnType<typeof makeWasmKernel>,
  plain: ReturnType<typeof makeWasmKernel>,
  f32: boolean,
): { differ: number; total: number } {
  let differ = 0;
  let total = 0;
  for (const [m, n, k] of SHAPES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        for (const [alpha, beta] of [[1, 0], [-0.75, 0.5]]) {
          const lda = ta ? m : k;
          const ldb = tb ? k : n;
          const a = filled(m * k, m + k);
          const b = filled(k * n, n + k + 1);
          const c0 = filled(m * n, 7);
          const c1 = c0.slice();
          const c2 = c0.slice();
          fused.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, n);
          plain.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c2, n);
          const absAB = new Float64Array(m * n);
          naiveKernel.gemm(ta, tb, m, n, k, Math.abs(alpha), a.map(Math.abs), lda, b.map(Math.abs), ldb, 0, absAB, n);
          const slices = Math.ceil(k / KC);
          for (let i = 0; i < m * n; i++) {
            const scale = Math.abs(beta * c0[i]) + absAB[i];
            const tol = f32
              ? 2 * gamma(Math.min(k, KC) + 1, u32) * (1 + 4 * u32) * absAB[i] + 2 * gamma(slices + 2, u64) * (1 + u32) * scale
              : 2 * gamma(k + 2, u64) * (1 + u64) * scale;
            const d = Math.abs(c1[i] - c2[i]);
            if (!(d <= tol)) throw new Error(`${m}×${n}×${k} ta=${ta} tb=${tb} α=${alpha} β=${beta} entry ${i}: |Δ| = ${d} > ${tol}`);
            if (!Object.is(c1[i], c2[i])) differ++;
            total++;
          }
        }
      }
    }
  }
  return { differ, total };
}

describe('fused multiply–add kernels: options and fallback', () => {
  it('fma must be a boolean; without relaxed SIMD fma: true gives the kernel without FMA', async () => {
    expect(() => createWasmKernel({ fma: 1 as unknown as boolean })).toThrow(/createWasmKernel: options\.fma must be a boolean \(got 1\)/);
    await expect(initWasm({ fma: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
    expect(wasmRelaxedSimdAvailable()).toBe(relaxed);
    expect(createWasmKernel({ fma: false }).name).toBe('wasm-simd');
    expect(createWasmKernel({ fma: true }).name).toBe(relaxed ? 'wasm-simd-fma' : 'wasm-simd');
    expect(createWasmKernel({ fma: true, precision: 'float32' }).name).toBe(relaxed ? 'wasm-simd-f32-fma' : 'wasm-simd-f32');
    // the probe and the modules agree: the FMA module validates exactly where the probe does
    expect(WebAssembly.validate(kernelBytes(false, true))).toBe(relaxed);
    expect(WebAssembly.validate(kernelBytes(true, true))).toBe(relaxed);
  });
});

describe.skipIf(!relaxed)(`fused multiply–add kernels (relaxed SIMD)${SKIP}`, () => {
  afterEach(() => setKernel(undefined));
  // (the body is collected even when skipped: no FMA module is compiled then, the tests do not run)
  const fma64 = makeWasmKernel(ALL_SIZES, 'float64', relaxed);
  const fma32 = makeWasmKernel(ALL_SIZES, 'float32', relaxed);

  it('are opt-in kernels with their own names; the defaults are unchanged', async () => {
    expect(fma64.name).toBe('wasm-simd-fma');
    expect(fma32.name).toBe('wasm-simd-f32-fma');
    expect(createWasmKernel().name).toBe('wasm-simd');
    expect((await initWasm({ fma: true })).name).toBe('wasm-simd-fma');
    expect((await initWasm({ fma: true, precision: 'float32' })).name).toBe('wasm-simd-f32-fma');
  });

  // every size through the FMA GEMM: equal to the naive loop within the kernels' usual tolerance
  kernelProperties({ ...fma64, name: 'wasm-simd-fma (all sizes)' }, 150);
  kernelProperties({ ...fma32, name: 'wasm-simd-f32-fma (all sizes)' }, 150, { float32: true });

  it('deterministic: the same bits run to run and from a fresh instance', () => {
    const other = makeWasmKernel(ALL_SIZES, 'float64', true);
    const other32 = makeWasmKernel(ALL_SIZES, 'float32', true);
    const [m, n, k] = [131, 97, 530];
    const a = filled(m * k, 1);
    const b = filled(k * n, 2);
    for (const [x, y] of [[fma64, other], [fma32, other32]]) {
      const c1 = new Float64Array(m * n);
      const c2 = new Float64Array(m * n);
      const c3 = new Float64Array(m * n);
      x.gemm(false, true, m, n, k, 0.5, a, k, b, k, 0, c1, n);
      x.gemm(false, true, m, n, k, 0.5, a, k, b, k, 0, c2, n);
      y.gemm(false, true, m, n, k, 0.5, a, k, b, k, 0, c3, n);
      for (let i = 0; i < c1.length; i++) {
        if (!Object.is(c1[i], c2[i]) || !Object.is(c1[i], c3[i])) throw new Error(`${x.name} entry ${i}: ${c1[i]}, ${c2[i]}, ${c3[i]}`);
      }
    }
  });

  it(`float64: within 2·γ_{k+2}·(|β·c| + Σ|α·a||b|) of the kernel without FMA; ${relaxedMaddFuses() ? 'differs where the engine fuses' : 'equal bits (this engine does not fuse)'}`, () => {
    const { differ, total } = compare(fma64, makeWasmKernel(ALL_SIZES, 'float64'), false);
    if (relaxedMaddFuses()) expect(differ / total, 'fraction of entries that differ').toBeGreaterThan(0.2);
    else expect(differ).toBe(0);
  });

  it('float32: within the slice-wise float32 bound of the float32 kernel without FMA, and differs where the engine fuses', () => {
    const { differ, total } = compare(fma32, makeWasmKernel(ALL_SIZES, 'float32'), true);
    if (relaxedMaddFuses()) expect(differ / total, 'fraction of entries that differ').toBeGreaterThan(0.2);
    else expect(differ).toBe(0);
  });

  it('a product whose fused and unfused sums differ: 2⁻⁶⁰ where the engine fuses, 0 where it does not and without FMA', () => {
    // row [−1, x], column [1 + 2⁻²⁹, x], x = 1 + 2⁻³⁰: the first product is exact, then acc + x·x with
    // x² = 1 + 2⁻²⁹ + 2⁻⁶⁰, so one rounding leaves 2⁻⁶⁰ and two leave 0
    const x = 1 + 2 ** -30;
    const a = Float64Array.of(-1, x);
    const b = Float64Array.of(1 + 2 ** -29, x);
    const fused = new Float64Array(1);
    const plain = new Float64Array(1);
    fma64.gemm(false, false, 1, 1, 2, 1, a, 2, b, 1, 0, fused, 1);
    makeWasmKernel(ALL_SIZES, 'float64').gemm(false, false, 1, 1, 2, 1, a, 2, b, 1, 0, plain, 1);
    expect(fused[0]).toBe(relaxedMaddFuses() ? 2 ** -60 : 0);
    expect(plain[0]).toBe(0);
  });
});
