/**
 * The gathered-row products module (scripts/wasm/gather-wat.mjs): compiled
 * once, synchronously, on first use, and instantiated over a kernel's arena
 * memory. Internal to the one-thread SIMD kernel's `gemmSparseA`.
 * @module
 * @internal
 */
import { GATHER_WASM_BASE64 } from './gather-bytes.js';

/** Exports of the gathered-row module (pointers are byte offsets, leading dimensions elements). @internal */
export interface GatherExports {
  /** 1 when every value the last `csr` gathered is exactly 1. */
  allOnes(): number;
  /** Gathers op(A)'s non-zeros into compressed rows; returns their count, or −1 above `limit`. */
  csr(ta: number, m: number, k: number, a: number, lda: number, limit: number, brow: number, rowStart: number, offs: number, vals: number): number;
  /** `dst[p·n + j] = b[j·ldb + p]`: op(B) = Bᵀ made contiguous (k × n). */
  packT(b: number, ldb: number, k: number, n: number, dst: number): void;
  /** `C ← α·(gathered op(A))·op(B) + β·C` over the rows `csr` gathered. */
  gemmCsr(m: number, n: number, alpha: number, b: number, beta: number, c: number, ldc: number, rowStart: number, offs: number, vals: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * Instantiates the module over `memory`, or returns undefined where it does
 * not compile (the caller then keeps the kernel module's own gather).
 * @internal
 */
export function instantiateGather(memory: WebAssembly.Memory): GatherExports | undefined {
  if (compiled === undefined) {
    try {
      const bin = atob(GATHER_WASM_BASE64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  return new WebAssembly.Instance(compiled, { env: { mem: memory } }).exports as unknown as GatherExports;
}
