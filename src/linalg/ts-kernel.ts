/**
 * The plain-TypeScript kernel: a cache-blocked, register-tiled GEMM in the
 * GotoBLAS shape (pack a `KC × NC` panel of op(B) and an `MC × KC` block of
 * op(A), then a 4×4 micro-kernel with sixteen scalar accumulators), plus
 * unrolled GEMV and GER. Reduction order is fixed, so results are bit-identical
 * from run to run. Scratch buffers grow once and are reused.
 * @module
 */
import type { Kernel } from './kernel.js';
import { sparseGemm } from './sparse.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 96;
const NC = 2048;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);
const edge = new Float64Array(MR * NR);

/** Scales the m × n block of C by beta (beta = 0 overwrites with zeros). */
function scaleC(m: number, n: number, beta: number, c: Float64Array, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const o = i * ldc;
    if (beta === 0) c.fill(0, o, o + n);
    else for (let j = o, e = o + n; j < e; j++) c[j] *= beta;
  }
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide column panels, zero-padded. */
function packPanelB(
  b: Float64Array,
  ldb: number,
  transB: boolean,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      if (transB) {
        // op(B)(p, j) = b[j * ldb + p]
        const base = (jc + j0) * ldb + pc + p;
        for (let jj = 0; jj < w; jj++) dst[d + jj] = b[base + jj * ldb];
      } else {
        const base = (pc + p) * ldb + jc + j0;
        for (let jj = 0; jj < w; jj++) dst[d + jj] = b[base + jj];
      }
      for (let jj = w; jj < NR; jj++) dst[d + jj] = 0;
      d += NR;
    }
  }
}

/** Packs alpha·op(A)[ic:ic+mc, pc:pc+kc] into MR-tall row panels, zero-padded. */
function packBlockA(
  a: Float64Array,
  lda: number,
  transA: boolean,
  ic: number,
  pc: number,
  mc: number,
  kc: number,
  alpha: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      if (transA) {
        // op(A)(i, p) = a[p * lda + i]
        const base = (pc + p) * lda + ic + i0;
        for (let ii = 0; ii < h; ii++) dst[d + ii] = alpha * a[base + ii];
      } else {
        const base = (ic + i0) * lda + pc + p;
        for (let ii = 0; ii < h; ii++) dst[d + ii] = alpha * a[base + ii * lda];
      }
      for (let ii = h; ii < MR; ii++) dst[d + ii] = 0;
      d += MR;
    }
  }
}

/** C[r0.., c0..] += Ap-panel · Bp-panel over kc, for an h × w (≤ 4 × 4) tile. */
function micro(
  kc: number,
  ap: Float64Array,
  pa: number,
  bp: Float64Array,
  pb: number,
  c: Float64Array,
  co: number,
  ldc: number,
  h: number,
  w: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
    const a0 = ap[pa];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    const a1 = ap[pa + 1];
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    const a2 = ap[pa + 2];
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    const a3 = ap[pa + 3];
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += MR;
    pb += NR;
  }
  if (h === MR && w === NR) {
    let o = co;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
    o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
    o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
    o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  // edge tile: spill to a preallocated scratch (no allocation in the hot path)
  const t = edge;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) c[co + i * ldc + j] += t[i * 4 + j];
}

function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  lda: number,
  b: Float64Array,
  ldb: number,
  beta: number,
  c: Float64Array,
  ldc: number,
): void {
  scaleC(m, n, beta, c, ldc);
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const needB = Math.ceil(nc / NR) * NR * kc;
      if (packB.length < needB) packB = new Float64Array(needB);
      packPanelB(b, ldb, transB, pc, jc, kc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const needA = Math.ceil(mc / MR) * MR * kc;
        if (packA.length < needA) packA = new Float64Array(needA);
        packBlockA(a, lda, transA, ic, pc, mc, kc, alpha, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = Math.min(NR, nc - jr);
          const pb = (jr / NR) * kc * NR;
          for (let ir = 0; ir < mc; ir += MR) {
            const h = Math.min(MR, mc - ir);
            micro(kc, packA, (ir / MR) * kc * MR, packB, pb, c, (ic + ir) * ldc + jc + jr, ldc, h, w);
          }
        }
      }
    }
  }
}

function gemv(
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  a: Float64Array,
  lda: number,
  x: Float64Array,
  beta: number,
  y: Float64Array,
): void {
  if (!trans) {
    for (let i = 0; i < m; i++) {
      const o = i * lda;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        s0 += a[o + j] * x[j];
        s1 += a[o + j + 1] * x[j + 1];
        s2 += a[o + j + 2] * x[j + 2];
        s3 += a[o + j + 3] * x[j + 3];
      }
      for (; j < n; j++) s0 += a[o + j] * x[j];
      const s = alpha * (s0 + s1 + (s2 + s3));
      y[i] = beta === 0 ? s : s + beta * y[i];
    }
    return;
  }
  // y (length n) = alpha * Aᵀ x + beta * y
  if (beta === 0) y.fill(0, 0, n);
  else if (beta !== 1) for (let j = 0; j < n; j++) y[j] *= beta;
  if (alpha === 0) return;
  for (let i = 0; i < m; i++) {
    const xi = alpha * x[i];
    if (xi === 0) continue;
    const o = i * lda;
    for (let j = 0; j < n; j++) y[j] += xi * a[o + j];
  }
}

function ger(m: number, n: number, alpha: number, x: Float64Array, y: Float64Array, a: Float64Array, lda: number): void {
  if (alpha === 0) return;
  for (let i = 0; i < m; i++) {
    const axi = alpha * x[i];
    if (axi === 0) continue;
    const o = i * lda;
    for (let j = 0; j < n; j++) a[o + j] += axi * y[j];
  }
}

/**
 * Densities of op(A) below which gathered row sums beat the dense TS product
 * (one add per non-zero and column against a blocked multiply–add per entry).
 * The automatic WebAssembly kernel makes the same choice, so that its results
 * equal this kernel's bit for bit. @internal
 */
export const TS_SPARSE_MAX_DENSITY = 0.4;

let exactMaxDensity = TS_SPARSE_MAX_DENSITY;

/**
 * The density of op(A) up to which the exact kernels' `gemmSparseA` gathers — this
 * kernel's, the automatic `wasm-simd-exact` and its pool's, which all read it so that they
 * keep giving the same bits: {@link TS_SPARSE_MAX_DENSITY}, or the one a
 * {@link withExactGatherDensity} scope sets. @internal
 */
export function exactSparseMaxDensity(): number {
  return exactMaxDensity;
}

/**
 * Runs `fn` with the exact kernels gathering op(A)'s non-zeros up to `density` (1: at any
 * density) — for callers whose op(B) the gathered sums read faster than the dense product
 * would, whatever the density (weights kept resident as strips over many products, as AIS
 * does). The gathered sums are the naive product's, so the bits are the same on every exact
 * kernel and thread count inside the scope. @internal
 */
export function withExactGatherDensity<T>(density: number, fn: () => T): T {
  const previous = exactMaxDensity;
  exactMaxDensity = density;
  try {
    return fn();
  } finally {
    exactMaxDensity = previous;
  }
}

function gemmSparseA(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  lda: number,
  b: Float64Array,
  ldb: number,
  beta: number,
  c: Float64Array,
  ldc: number,
): void {
  sparseGemm(tsKernel, exactMaxDensity, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * The plain-TypeScript backend: single-threaded, blocked and
 * register-tiled. Always available; the fallback where WebAssembly SIMD is
 * missing, and the reference whose bits the automatic SIMD kernel reproduces.
 *
 * @example
 * ```ts
 * import { tsKernel } from 'boltzmann/base';
 * const c = new Float64Array(1);
 * tsKernel.gemm(false, false, 1, 1, 2, 1, Float64Array.of(1, 2), 2, Float64Array.of(3, 4), 1, 0, c, 1);
 * c[0]; // 11
 * ```
 * @category Linear algebra
 */
export const tsKernel: Kernel = { name: 'ts', gemm, gemv, ger, gemmSparseA };
