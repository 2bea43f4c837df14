/**
 * The one-thread WebAssembly SIMD kernel over a private linear memory, in two
 * flavours: the fastest (`'wasm-simd'`, behind `createWasmKernel`) and the
 * automatic default (`'wasm-simd-exact'`), whose every result equals the
 * plain-TS kernel's bit for bit. Internal: the public entry points are
 * `wasm-kernel.ts` (explicit use) and `kernel.ts` (the automatic default).
 * @module
 * @internal
 */
import type { Kernel } from '../kernel.js';
import { sparseGemm } from '../sparse.js';
import { exactSparseMaxDensity, tsKernel } from '../ts-kernel.js';
import { Arena, compileSync, gemmLayout, instantiate, MAX_PAGES, type KernelExports, span } from './core.js';
import { type GatherExports, instantiateGather } from './gather.js';

/** Size thresholds below which a routine runs in the plain-TS kernel. @internal */
export interface WasmThresholds {
  /** GEMMs with fewer multiply–adds (m·n·k) stay in TS: the copies cost more than SIMD saves. */
  gemm: number;
  /** GEMV/GER with fewer matrix entries than this stay in TS (the copy and call overhead dominates). */
  level2: number;
  /**
   * Largest density of op(A) at which `gemmSparseA` gathers rows instead of
   * running the dense SIMD product (any transpose: a transposed op(B) is made
   * contiguous first, so the gathered rows are SIMD either way).
   */
  sparseMaxDensity: number;
}

const align8 = (x: number): number => (x + 7) & ~7;

export const DEFAULT_THRESHOLDS: WasmThresholds = { gemm: 4096, level2: 2048, sparseMaxDensity: 0.3 };

/**
 * Arithmetic of the WebAssembly kernel's products. `'float64'` (the
 * default): f64x2 throughout. `'float32'`: in the dense GEMM, operands rounded
 * to single precision and each partial sum over a block of 256 products formed
 * in f32x4, then added to the float64 result; in the gathered products of a 0/1
 * op(A) (`gemmSparseA`: RBM data and sampled states), op(B) rounded to single
 * precision and each entry summed in f32 over its row's non-zeros, then
 * finished in float64 as `α·s + β·c`. Per entry, either way,
 * |ΔC| ≤ 2(k + 2)·2⁻²⁴·|α|·Σₚ|aᵢₚ||bₚⱼ| + 2⁻⁵¹·(|C| + |β·c|) (the second term the
 * final float64 rounding of α·s + β·c). GEMV and GER stay float64.
 * @category Linear algebra
 */
export type WasmPrecision = 'float64' | 'float32';

/**
 * A one-thread SIMD kernel whose gathered-row products can hand the products
 * above its density limit to another (threaded) kernel's dense GEMM: the
 * automatic threaded kernel gathers on one thread (faster than splitting the
 * gathered rows, and the same bits) and multiplies dense operands on all. @internal
 */
export interface GatheringKernel extends Kernel {
  gemmSparseAOr(
    dense: Kernel['gemm'],
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
  ): void;
}

/**
 * One-thread kernel over a private (unshared) arena. `mod` is the kernel module
 * (`compileSync(false)`), or with `fma` the fused multiply–add module
 * (`compileSync(false, true)`, relaxed SIMD), whose dense GEMMs round each
 * multiply–add once; its name then ends in `-fma`.
 *
 * With `exact`, every routine gives the plain-TS kernel's bits: the dense GEMM,
 * the transposed GEMV, GER and the gathered 0/1 products already sum in the TS
 * kernel's order; the non-transposed GEMV (whose SIMD dot products sum in two
 * lanes) runs in TS, and `gemmSparseA` chooses between gathered rows and the
 * dense product exactly as the TS kernel does (density at most 0.4, any
 * transpose). The gathered rows are summed by a second small module
 * (`gather.ts`: compressed rows, a contiguous copy of a transposed op(B), and
 * 8-column register tiles) in the TS kernel's order. So a model gives the same
 * numbers whichever of the two runs it.
 * @category Linear algebra
 */
export function makeKernel(
  mod: WebAssembly.Module,
  th: WasmThresholds,
  precision: WasmPrecision = 'float64',
  exact = false,
  fma = false,
): GatheringKernel {
  // the fused multiply–add module rounds differently: never behind the exact kernel
  if (exact && fma) throw new Error('makeKernel: the exact kernel cannot use the fused multiply–add module');
  const f32 = precision === 'float32' && !exact;
  const SMALL_GEMM = th.gemm;
  const SMALL_LEVEL2 = th.level2;
  let arena: Arena | undefined;
  let ex: KernelExports | undefined;
  /** The gathered-row products over the same arena (null where that module does not compile). */
  let gx: GatherExports | null | undefined;
  const lay = new Int32Array(3);
  const setup = (): [Arena, KernelExports] => {
    if (!arena || !ex) {
      const probeMem = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
      const wsBytes = instantiate(mod, probeMem).workspaceBytes();
      arena = new Arena(false, 1, wsBytes);
      ex = instantiate(mod, arena.memory);
    }
    return [arena, ex];
  };

  /** Copies the operands of a GEMM into the arena; returns the arena, writing [pa, pb, pc] to `lay`. */
  function load(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): number {
    const [ar] = setup();
    const sA = transA ? span(k, m, lda) : span(m, k, lda);
    const sB = transB ? span(n, k, ldb) : span(k, n, ldb);
    const sC = span(m, n, ldc);
    ar.ensure(gemmLayout(ar.operands, sA, sB, sC, lay));
    ar.put(a, sA, lay[0]);
    ar.put(b, sB, lay[1]);
    // β = 0 and a dense C need no copy in; with gaps (ldc > n) copy the span so the gaps come back unchanged
    if (beta !== 0 || ldc !== n) ar.put(c, sC, lay[2]);
    return sC;
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
    if (m * n * k < SMALL_GEMM || m === 0 || n === 0) {
      tsKernel.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const [ar, e] = setup();
    const sC = load(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    (f32 ? e.gemm32 : e.gemm)(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
    ar.get(c, sC, lay[2]);
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
    if (m * n * k < SMALL_GEMM || m === 0 || n === 0) {
      sparseGemm(tsKernel, exact ? exactSparseMaxDensity() : th.sparseMaxDensity, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const [ar, e] = setup();
    if (gx === undefined) gx = instantiateGather(ar.memory) ?? null;
    if (gx !== null) {
      gathered(gx, ar, e, undefined, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    if (exact && (k > e.gatherMaxK() || n > e.gatherMaxN())) {
      // beyond the module's gather limits: gather in TS (as the TS kernel does), or run the dense SIMD product
      sparseGemm(kernel, exactSparseMaxDensity(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const sC = load(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
    const maxNnz = exact ? exactSparseMaxDensity() * m * k : (transB ? 0.4 : 1) * th.sparseMaxDensity * m * k;
    const sparse = k <= e.gatherMaxK() && n <= e.gatherMaxN() && e.nnz(transA ? k : m, transA ? m : k, lay[0], lda) <= maxNnz;
    if (sparse) e.gemmGather(ta, tb, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
    else (f32 ? e.gemm32 : e.gemm)(ta, tb, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
    ar.get(c, sC, lay[2]);
  }

  /**
   * gemmSparseA through the gathered-row module: gathers op(A)'s non-zeros
   * (giving up above the density limit, then the dense product runs), makes a
   * transposed op(B) contiguous (float32: rounds op(B) into a contiguous float32
   * copy, either way), sums the selected rows tile by tile. The limit
   * of the exact flavour is the TS kernel's, so both take the same path and give
   * the same bits (the gathered sums are in sparseGemm's order).
   */
  function gathered(
    g: GatherExports,
    ar: Arena,
    e: KernelExports,
    dense: Kernel['gemm'] | undefined,
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
    const sC = load(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    const limit = Math.floor((exact ? exactSparseMaxDensity() : th.sparseMaxDensity) * m * k);
    const cap = Math.min(m * k, limit + k);
    const rowStart = align8(lay[2] + sC * 8);
    const offs = align8(rowStart + (m + 1) * 4);
    const vals = align8(offs + cap * 4);
    const packed = (vals + cap * 8 + 63) & ~63;
    // float32: op(B) rounded into 16-column float32 strips at `packed`, summed in f32; float64: a
    // transposed op(B) packed into 8-column strips there (the form the sums read fastest), a
    // row-major one summed where it is (packing it for one product costs about what it saves)
    ar.ensure(f32 ? packed + Math.ceil(n / 16) * k * 64 : transB ? packed + Math.ceil(n / 8) * k * 64 : packed);
    const ta = transA ? 1 : 0;
    const brow = f32 || transB ? 64 : ldb * 8;
    if (g.csr(ta, m, k, lay[0], lda, limit, brow, rowStart, offs, vals) < 0) {
      if (dense) {
        dense(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
      }
      (f32 ? e.gemm32 : e.gemm)(ta, transB ? 1 : 0, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
    } else if (f32) {
      if (transB) g.packT32(lay[1], ldb, k, n, packed);
      else g.toF32(lay[1], ldb, k, n, packed);
      g.gemmCsr32(m, n, alpha, packed, beta, lay[2], ldc, rowStart, offs, vals, g.allOnes(), k * 64);
    } else {
      if (transB) g.packT(lay[1], ldb, k, n, packed);
      g.gemmCsr(m, n, alpha, transB ? packed : lay[1], beta, lay[2], ldc, rowStart, offs, vals, g.allOnes(), transB ? k * 64 : 64);
    }
    ar.get(c, sC, lay[2]);
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
    if (m * n < SMALL_LEVEL2 || (exact && !trans)) {
      tsKernel.gemv(trans, m, n, alpha, a, lda, x, beta, y);
      return;
    }
    const [ar, e] = setup();
    const sA = span(m, n, lda);
    const nx = trans ? m : n;
    const ny = trans ? n : m;
    ar.ensure(gemmLayout(ar.operands, sA, nx, ny, lay));
    ar.put(a, sA, lay[0]);
    ar.put(x, nx, lay[1]);
    if (beta !== 0) ar.put(y, ny, lay[2]);
    e.gemv(trans ? 1 : 0, m, n, alpha, lay[0], lda, lay[1], beta, lay[2]);
    ar.get(y, ny, lay[2]);
  }

  function ger(m: number, n: number, alpha: number, x: Float64Array, y: Float64Array, a: Float64Array, lda: number): void {
    if (m * n < SMALL_LEVEL2) {
      tsKernel.ger(m, n, alpha, x, y, a, lda);
      return;
    }
    const [ar, e] = setup();
    const sA = span(m, n, lda);
    ar.ensure(gemmLayout(ar.operands, sA, m, n, lay));
    ar.put(a, sA, lay[0]);
    ar.put(x, m, lay[1]);
    ar.put(y, n, lay[2]);
    e.ger(m, n, alpha, lay[1], lay[2], lay[0], lda);
    ar.get(a, sA, lay[0]);
  }

  /** gemmSparseA with `dense` (a threaded kernel's GEMM) for products above the density limit. */
  function gemmSparseAOr(
    dense: Kernel['gemm'],
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
    const [ar, e] = setup();
    if (gx === undefined) gx = instantiateGather(ar.memory) ?? null;
    if (gx === null || m * n * k < SMALL_GEMM || m === 0 || n === 0) gemmSparseA(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else gathered(gx, ar, e, dense, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  const kernel: GatheringKernel = {
    name: exact ? 'wasm-simd-exact' : `${f32 ? 'wasm-simd-f32' : 'wasm-simd'}${fma ? '-fma' : ''}`,
    gemm,
    gemv,
    ger,
    gemmSparseA,
    gemmSparseAOr,
  };
  return kernel;
}


let exactKernel: Kernel | undefined;
let fastKernel: Kernel | undefined;
/** The other non-exact one-thread kernels (float32, fused multiply–add), by precision and fma. */
const otherKernels = new Map<string, Kernel>();

/**
 * The cached one-thread non-exact kernel of a precision, with or without the
 * fused multiply–add micro-kernels, from `mod` (compiled synchronously when
 * not given). The caller checks relaxed SIMD support before asking for `fma`.
 * @category Linear algebra
 */
export function fastKernelOf(precision: WasmPrecision, fma: boolean, mod?: WebAssembly.Module): Kernel {
  if (precision === 'float64' && !fma) return mod ? sharedKernelFrom(mod, false) : sharedKernel(false);
  const key = `${precision}${fma ? '-fma' : ''}`;
  let k = otherKernels.get(key);
  if (!k) {
    k = makeKernel(mod ?? compileSync(false, fma), DEFAULT_THRESHOLDS, precision, false, fma);
    otherKernels.set(key, k);
  }
  return k;
}

/**
 * The one-thread kernel, compiled synchronously on first use and cached: the
 * bit-exact flavour (the automatic default) or the fastest float64 one (what
 * `createWasmKernel()` returns). Throws where the engine refuses synchronous
 * compilation; callers check SIMD support first.
 * @category Linear algebra
 */
export function sharedKernel(exact: boolean): Kernel {
  if (exact) return (exactKernel ??= makeKernel(compileSync(false), DEFAULT_THRESHOLDS, 'float64', true));
  return (fastKernel ??= makeKernel(compileSync(false), DEFAULT_THRESHOLDS, 'float64'));
}

/** Installs an already compiled module as the cached kernel of one flavour (the asynchronous path); returns it.
 * @category Linear algebra
 */
export function sharedKernelFrom(mod: WebAssembly.Module, exact: boolean): Kernel {
  if (exact) return (exactKernel ??= makeKernel(mod, DEFAULT_THRESHOLDS, 'float64', true));
  return (fastKernel ??= makeKernel(mod, DEFAULT_THRESHOLDS, 'float64'));
}
