/**
 * The WebAssembly SIMD backend: hand-written f64x2 WAT (scripts/wasm/), assembled
 * at build time and embedded in the bundle (no fetch at run time). Operands are
 * copied into the module's linear memory, which grows on demand and is reused.
 * @module
 */
import { type Kernel, setKernel } from '../kernel.js';
import { sparseGemm } from '../sparse.js';
import { tsKernel } from '../ts-kernel.js';
import {
  Arena,
  compileAsync,
  compileSync,
  gemmLayout,
  hasWasmSimd,
  instantiate,
  MAX_PAGES,
  type KernelExports,
  span,
} from './core.js';

/** Size thresholds below which a routine runs in the plain-TS kernel. @internal */
export interface WasmThresholds {
  /** GEMMs with fewer multiply–adds (m·n·k) stay in TS: the copies cost more than SIMD saves. */
  gemm: number;
  /** GEMV/GER with fewer matrix entries than this stay in TS (the copy and call overhead dominates). */
  level2: number;
  /**
   * Largest density of op(A) at which `gemmSparseA` gathers rows instead of
   * running the dense SIMD product (0.4 of it when op(B) is transposed: the
   * gathered dot products along rows of B are scalar).
   */
  sparseMaxDensity: number;
}

const DEFAULT_THRESHOLDS: WasmThresholds = { gemm: 4096, level2: 2048, sparseMaxDensity: 0.3 };

/**
 * A fresh kernel over its own arena with the given thresholds (tests use
 * zeros to run every size through WebAssembly). Throws where SIMD is missing.
 * @internal
 */
export function makeWasmKernel(thresholds: WasmThresholds = DEFAULT_THRESHOLDS, precision: WasmPrecision = 'float64'): Kernel {
  return makeKernel(compileSync(false), thresholds, precision);
}

/**
 * Arithmetic of the WebAssembly kernel's dense GEMM. `'float64'` (the
 * default): f64x2 throughout. `'float32'`: operands rounded to single
 * precision and each partial sum over a block of 256 products formed in
 * f32x4, then added to the float64 result; GEMV, GER and the gathered 0/1
 * products stay float64.
 */
export type WasmPrecision = 'float64' | 'float32';

/** One-thread kernel over a private (unshared) arena. */
function makeKernel(mod: WebAssembly.Module, th: WasmThresholds, precision: WasmPrecision = 'float64'): Kernel {
  const f32 = precision === 'float32';
  const SMALL_GEMM = th.gemm;
  const SMALL_LEVEL2 = th.level2;
  let arena: Arena | undefined;
  let ex: KernelExports | undefined;
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
      sparseGemm(tsKernel, th.sparseMaxDensity, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    const [ar, e] = setup();
    const sC = load(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
    const sparse =
      k <= e.gatherMaxK() &&
      n <= e.gatherMaxN() &&
      e.nnz(transA ? k : m, transA ? m : k, lay[0], lda) <= (transB ? 0.4 : 1) * th.sparseMaxDensity * m * k;
    if (sparse) e.gemmGather(ta, tb, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
    else (f32 ? e.gemm32 : e.gemm)(ta, tb, m, n, k, alpha, lay[0], lda, lay[1], ldb, beta, lay[2], ldc, ar.workspaces[0]);
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
    if (m * n < SMALL_LEVEL2) {
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

  const kernel: Kernel = {
    name: f32 ? 'wasm-simd-f32' : 'wasm-simd',
    gemm,
    gemv,
    ger,
    gemmSparseA,
  };
  return kernel;
}

/** Options of {@link createWasmKernel} and {@link initWasm}. */
export interface WasmKernelOptions {
  /**
   * `'float64'` (default) or `'float32'`: see {@link WasmPrecision}. The
   * float32 kernel runs dense GEMMs about 1.6–1.8× faster (`npm run bench --
   * gemm`); every value in and out is still a float64.
   */
  precision?: WasmPrecision;
}

const cached: Partial<Record<WasmPrecision, Kernel>> = {};

function precisionOf(where: string, options: WasmKernelOptions | undefined): WasmPrecision {
  const p = options?.precision ?? 'float64';
  if (p !== 'float64' && p !== 'float32') {
    throw new RangeError(`${where}: options.precision must be 'float64' or 'float32' (got ${String(p)})`);
  }
  return p;
}

/**
 * Creates the WebAssembly SIMD kernel, compiling synchronously (fine in Node
 * and in workers; on a browser's main thread prefer {@link initWasm}, since
 * engines may refuse synchronous compilation of modules over 4 KB). Where
 * WebAssembly SIMD is missing it returns the plain-TS kernel
 * ({@link tsKernel}), so the result can always be passed to `setKernel`.
 *
 * The kernel copies operands into its own linear memory (grown on demand and
 * reused), runs an f64x2 register-tiled GEMM (or f64x2 GEMV/GER), and copies
 * the result back. Tiny products (fewer than 4096 multiply–adds, or 2048
 * matrix entries for GEMV/GER) stay in TypeScript. Results are bit-identical
 * from run to run; they may differ from the TS kernel's in the last bits
 * (another blocking of the sums).
 *
 * With `precision: 'float32'` the dense GEMM rounds its operands to single
 * precision and forms each partial sum of up to 256 products in f32x4 (4×8
 * register tile), adding the partial sums to the float64 result: relative
 * errors of about 10⁻⁷ per product instead of 10⁻¹⁶, for roughly 1.7× the
 * speed, within float32's range (entries beyond ±3.4·10³⁸ become ±∞, below
 * 1.4·10⁻⁴⁵ become 0). The library's precision tests (AIS against the exact
 * log Z, CD gradients against the exact gradient) pass with it; it is never
 * the default.
 *
 * @param options - `precision` (default `'float64'`)
 * @returns the `'wasm-simd'` (or `'wasm-simd-f32'`) kernel, or `tsKernel` where SIMD is unavailable
 * @throws {RangeError} on an unknown precision
 * @example
 * ```ts
 * import { createWasmKernel, setKernel } from 'boltzmann';
 * setKernel(createWasmKernel()); // every model now multiplies with SIMD
 * setKernel(createWasmKernel({ precision: 'float32' })); // faster, single-precision products
 * ```
 */
export function createWasmKernel(options?: WasmKernelOptions): Kernel {
  const precision = precisionOf('createWasmKernel', options);
  if (!hasWasmSimd()) return tsKernel;
  cached[precision] ??= makeKernel(compileSync(false), DEFAULT_THRESHOLDS, precision);
  return cached[precision];
}

/**
 * Compiles the WebAssembly SIMD kernel asynchronously and returns it (or the
 * plain-TS kernel where WebAssembly SIMD is missing). Prefer this in browsers:
 * it never blocks the main thread on compilation.
 *
 * @param options - `install: true` also makes it the active kernel (`setKernel`); `precision` as in {@link createWasmKernel}
 * @returns the `'wasm-simd'` (or `'wasm-simd-f32'`) kernel, or `tsKernel` where SIMD is unavailable
 * @throws {RangeError} on an unknown precision
 * @example
 * ```ts
 * import { initWasm } from 'boltzmann';
 * const kernel = await initWasm({ install: true });
 * kernel.name; // 'wasm-simd' (or 'ts' without WebAssembly SIMD)
 * ```
 */
export async function initWasm(options?: { install?: boolean } & WasmKernelOptions): Promise<Kernel> {
  const precision = precisionOf('initWasm', options);
  let kernel: Kernel = tsKernel;
  if (hasWasmSimd()) {
    cached[precision] ??= makeKernel(await compileAsync(false), DEFAULT_THRESHOLDS, precision);
    kernel = cached[precision];
  }
  if (options?.install) setKernel(kernel);
  return kernel;
}

/**
 * True where WebAssembly 128-bit SIMD is available (feature-detected once by
 * validating a tiny SIMD module), i.e. where {@link createWasmKernel} returns
 * the SIMD kernel rather than the TS fallback.
 *
 * @returns whether WebAssembly SIMD can be used
 * @example
 * ```ts
 * import { wasmSimdAvailable } from 'boltzmann';
 * if (!wasmSimdAvailable()) console.log('using the plain TypeScript kernel');
 * ```
 */
export function wasmSimdAvailable(): boolean {
  return hasWasmSimd();
}
