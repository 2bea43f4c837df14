/**
 * The WebAssembly SIMD backend: hand-written f64x2 WAT (scripts/wasm/), assembled
 * at build time and embedded in the bundle (no fetch at run time). Operands are
 * copied into the module's linear memory, which grows on demand and is reused.
 * @module
 */
import { describeValue } from '../../errors.js';
import { type Kernel, setKernel } from '../kernel.js';
import { tsKernel } from '../ts-kernel.js';
import { compileAsync, compileSync, hasRelaxedSimd, hasWasmSimd } from './core.js';
import { DEFAULT_THRESHOLDS, fastKernelOf, makeKernel, type WasmPrecision, type WasmThresholds } from './simd-kernel.js';

export type { WasmPrecision, WasmThresholds } from './simd-kernel.js';

/**
 * A fresh kernel over its own arena with the given thresholds (tests use
 * zeros to run every size through WebAssembly). Throws where SIMD is missing.
 * @internal
 */
export function makeWasmKernel(thresholds: WasmThresholds = DEFAULT_THRESHOLDS, precision: WasmPrecision = 'float64', fma = false): Kernel {
  return makeKernel(compileSync(false, fma), thresholds, precision, false, fma);
}

/** Options of {@link createWasmKernel} and {@link initWasm}.
 * @category Linear algebra
 */
export interface WasmKernelOptions {
  /**
   * `'float64'` (default) or `'float32'`: see {@link WasmPrecision}. The
   * float32 kernel runs dense GEMMs about 1.6–1.8× faster (`npm run bench --
   * gemm`) and the gathered products of 0/1 operands (every product of an RBM's
   * CD step) about 2× faster, so a CD-1 epoch takes about 0.7 of the float64
   * kernel's time; every value in and out is still a float64.
   */
  precision?: WasmPrecision;
  /**
   * Fused multiply–add micro-kernels (WebAssembly relaxed SIMD,
   * `f64x2.relaxed_madd` / `f32x4.relaxed_madd`) in the dense GEMM; default
   * `false`. Where relaxed SIMD is missing (Node 20 without
   * `--experimental-wasm-relaxed-simd`, older browsers) the kernel without it
   * is returned (its `name` has no `-fma`; see {@link wasmRelaxedSimdAvailable}).
   * Results are deterministic on one engine and CPU but not across them: the
   * specification lets an engine round the multiply–add once (hardware FMA)
   * or twice. Each entry of C differs from the kernel without FMA by at most
   * 2·γ_{k+2}·(|β·c| + Σ_p |α·a_p|·|b_p|), γ_j = j·u/(1 − j·u), u = 2⁻⁵³
   * (u = 2⁻²⁴ within each 256-deep slice for float32): both sum the same
   * products in the same order, and each is within half that of the exact sum.
   */
  fma?: boolean;
}

function precisionOf(where: string, options: WasmKernelOptions | undefined): WasmPrecision {
  const p = options?.precision ?? 'float64';
  if (p !== 'float64' && p !== 'float32') {
    throw new RangeError(`${where}: options.precision must be 'float64' or 'float32' (got ${describeValue(p)})`);
  }
  return p;
}

/** options.fma checked; true only where relaxed SIMD can run it. */
function fmaOf(where: string, options: WasmKernelOptions | undefined): boolean {
  const f = options?.fma ?? false;
  if (typeof f !== 'boolean') throw new TypeError(`${where}: options.fma must be a boolean (got ${describeValue(f)})`);
  return f && hasRelaxedSimd();
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
 * 1.4·10⁻⁴⁵ become 0). Its gathered products of a 0/1 op(A) (`gemmSparseA`)
 * round op(B) to single precision too and sum each entry in f32 over its row's
 * non-zeros, finishing it in float64. The library's precision tests (AIS
 * against the exact log Z, CD gradients against the exact gradient) pass with
 * it; it is never the default.
 *
 * With `fma: true` (opt-in, never the default) the dense GEMM's micro-kernel
 * uses relaxed SIMD's fused multiply–add where the engine has it (see
 * {@link WasmKernelOptions.fma} for the bound on how far it may differ).
 *
 * @param options - `precision` (default `'float64'`), `fma` (default `false`)
 * @returns the `'wasm-simd'` (or `'wasm-simd-f32'`, with `-fma` appended for the fused kernels) kernel, or `tsKernel` where SIMD is unavailable
 * @throws {RangeError} on an unknown precision
 * @throws {TypeError} when `fma` is not a boolean
 * @example
 * ```ts
 * import { setKernel } from 'boltzmann';
 * import { createWasmKernel } from 'boltzmann/base';
 * setKernel(createWasmKernel()); // every model now multiplies with SIMD
 * setKernel(createWasmKernel({ precision: 'float32' })); // faster, single-precision products
 * setKernel(createWasmKernel({ fma: true })); // fused multiply–add where relaxed SIMD exists
 * ```
 * @category Linear algebra
 */
export function createWasmKernel(options?: WasmKernelOptions): Kernel {
  const precision = precisionOf('createWasmKernel', options);
  const fma = fmaOf('createWasmKernel', options);
  if (!hasWasmSimd()) return tsKernel;
  return fastKernelOf(precision, fma);
}

/**
 * Compiles the WebAssembly SIMD kernel asynchronously and returns it (or the
 * plain-TS kernel where WebAssembly SIMD is missing). Prefer this in browsers:
 * it never blocks the main thread on compilation.
 *
 * @param options - `install: true` also makes it the active kernel (`setKernel`); `precision` and `fma` as in {@link createWasmKernel}
 * @returns the `'wasm-simd'` (or `'wasm-simd-f32'`, with `-fma` for the fused kernels) kernel, or `tsKernel` where SIMD is unavailable
 * @throws {RangeError} on an unknown precision
 * @throws {TypeError} when `fma` is not a boolean
 * @example
 * ```ts
 * import { initWasm } from 'boltzmann/base';
 * const kernel = await initWasm({ install: true });
 * kernel.name; // 'wasm-simd' (or 'ts' without WebAssembly SIMD)
 * ```
 * @category Linear algebra
 */
export async function initWasm(options?: { install?: boolean } & WasmKernelOptions): Promise<Kernel> {
  const precision = precisionOf('initWasm', options);
  const fma = fmaOf('initWasm', options);
  let kernel: Kernel = tsKernel;
  if (hasWasmSimd()) kernel = fastKernelOf(precision, fma, await compileAsync(false, fma));
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
 * import { wasmSimdAvailable } from 'boltzmann/base';
 * if (!wasmSimdAvailable()) console.log('using the plain TypeScript kernel');
 * ```
 * @category Linear algebra
 */
export function wasmSimdAvailable(): boolean {
  return hasWasmSimd();
}

/**
 * True where WebAssembly relaxed SIMD is available (feature-detected once by
 * validating a tiny module that uses `f64x2.relaxed_madd`), i.e. where
 * `createWasmKernel({ fma: true })` returns the fused multiply–add kernel:
 * Node ≥ 22 and current Chromium by default, Node 20 with
 * `--experimental-wasm-relaxed-simd`.
 *
 * @returns whether the fused multiply–add kernels can be used
 * @example
 * ```ts
 * import { setKernel } from 'boltzmann';
 * import { createWasmKernel, wasmRelaxedSimdAvailable } from 'boltzmann/base';
 * if (wasmRelaxedSimdAvailable()) setKernel(createWasmKernel({ fma: true })); // 'wasm-simd-fma'
 * ```
 * @category Linear algebra
 */
export function wasmRelaxedSimdAvailable(): boolean {
  return hasRelaxedSimd();
}
