/**
 * Both cores in Node: the WebAssembly SIMD kernel on `worker_threads` over a
 * shared memory (see `src/linalg/wasm/pool.ts` for the design: slices over
 * output rows/columns, never over k, so results are bit-identical for any
 * number of threads).
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createPool, nodeWorkerSource, type PoolWorkerHandle, type WasmPoolKernel, type WasmPoolOptions } from '../linalg/wasm/pool.js';

export type { WasmPoolKernel, WasmPoolOptions } from '../linalg/wasm/pool.js';

/**
 * Starts a pool of worker threads running the WebAssembly SIMD kernel over
 * shared memory and returns it as a `Kernel` for `setKernel`. Large
 * GEMMs (and gathered-row products with a 0/1 operand) are split over output
 * rows or columns, never over k, so results are bit-identical for any number
 * of threads; GEMV and GER run on the calling thread through the one-thread
 * SIMD kernel (they are bound by memory bandwidth, not arithmetic). Where
 * shared WebAssembly memory is missing it resolves to the one-thread SIMD
 * kernel, and where SIMD is missing to the plain-TS kernel (both with
 * `threads: 1` and a no-op `close`).
 *
 * `precision: 'float32'` runs the float32 GEMM (`createWasmKernel({ precision:
 * 'float32' })`) on every thread, with that kernel's accuracy and its results
 * bit for bit; `fma: true` the fused multiply–add micro-kernels where relaxed
 * SIMD exists (Node ≥ 22, or Node 20 with `--experimental-wasm-relaxed-simd`).
 * The name tells which: `'wasm-simd-threads'`, `-f32`, `-fma`, `-f32-fma`.
 *
 * Limits: a product whose operands (with the packed shared operand) exceed
 * WebAssembly's 2 GiB memory runs on the TypeScript kernel instead of failing.
 * Call `close()` when done; a pool that is never closed is reclaimed (its
 * workers stopped) once it is garbage collected (a `FinalizationRegistry`).
 *
 * @param options - thread count (default `os.availableParallelism()`, at most 8), the size below which work is not split, `precision` and `fma`
 * @returns the `'wasm-simd-threads'` kernel
 * @throws {TypeError} when `options` is not an object or a value not a number
 * @throws {RangeError} when `threads` is not an integer in [1, 64], `minParallelWork` is negative, `precision` is unknown, or an option is unknown
 * @example
 * ```ts
 * import { setKernel } from 'boltzmann';
 * import { createWasmPool } from 'boltzmann/node';
 * const pool = await createWasmPool({ threads: 2 });
 * setKernel(pool); // every model now multiplies on two cores
 * // … train …
 * setKernel(undefined);
 * await pool.close();
 * const f32 = await createWasmPool({ threads: 2, precision: 'float32' }); // 'wasm-simd-threads-f32'
 * await f32.close();
 * ```
 * @category Data & files
 */
export async function createWasmPool(options: WasmPoolOptions = {}): Promise<WasmPoolKernel> {
  const source = nodeWorkerSource();
  return createPool('createWasmPool', options, availableParallelism(), (workerData) => {
    const w = new Worker(source, { eval: true, workerData });
    return new Promise<PoolWorkerHandle>((resolve, reject) => {
      // 'ready' comes after the worker has instantiated the module
      w.once('message', () => resolve(w));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`createWasmPool: a worker exited while starting (code ${code})`)));
    });
  });
}
