/**
 * The runtime side of the WebAssembly SIMD kernel: decoding the embedded
 * module, feature detection, and the linear-memory arena that operands are
 * copied into. Shared by the one-thread kernel (`wasm-kernel.ts`) and the
 * Node worker pool (`src/node/wasm-pool.ts`). Internal: not exported from the
 * package root.
 * @module
 * @internal
 */
import { KERNEL_FMA_WASM_BASE64, KERNEL_FMA_WASM_SHARED_BASE64, KERNEL_WASM_BASE64, KERNEL_WASM_SHARED_BASE64 } from './kernel-bytes.js';

/**
 * A GEMM export: C ← α·op(A)·op(B) + β·C on byte offsets `a`, `b`, `c` (leading
 * dimensions in elements), `ws` the calling thread's workspace.
 */
type GemmExport = (
  ta: number,
  tb: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  c: number,
  ldc: number,
  ws: number,
) => void;

/** The exports of the kernel module (pointers are byte offsets, leading dimensions elements).
 * @category Linear algebra
 */
export interface KernelExports {
  workspaceBytes(): number;
  gemm: GemmExport;
  gemm32: GemmExport;
  gemmGather: GemmExport;
  blockK(): number;
  packBPart(tb: number, b: number, ldb: number, k: number, n: number, p0: number, j0: number, j1: number, dst: number): void;
  gemmPackedB(
    ta: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    pb: number,
    beta: number,
    c: number,
    ldc: number,
    ws: number,
  ): void;
  packAPart(ta: number, a: number, lda: number, m: number, k: number, alpha: number, p0: number, i0: number, i1: number, dst: number): void;
  /** Shared modules only: packAPart for the float32 GEMM (f32 panels, α applied later). */
  packAPart32(ta: number, a: number, lda: number, m: number, k: number, p0: number, i0: number, i1: number, dst: number): void;
  /** Shared modules only: gemmPackedA for the float32 GEMM over packAPart32's panels. */
  gemmPackedA32(
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    pa: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    ws: number,
  ): void;
  gemmPackedA(
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    pa: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    ws: number,
  ): void;
  gatherMaxK(): number;
  gatherMaxN(): number;
  nnz(rows: number, cols: number, a: number, lda: number): number;
  gemv(trans: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  ger(m: number, n: number, alpha: number, x: number, y: number, a: number, lda: number): void;
}

/** Page size of WebAssembly memory in bytes.
 * @category Linear algebra
 */
export const PAGE = 65536;
/** Maximum pages the module's memory import declares (2 GiB).
 * @category Linear algebra
 */
export const MAX_PAGES = 32768;

/** A module that uses one f64x2 instruction: validates only where SIMD is supported. */
const SIMD_PROBE = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
);

let simdSupported: boolean | undefined;

/** True where WebAssembly with 128-bit SIMD is available.
 * @category Linear algebra
 */
export function hasWasmSimd(): boolean {
  if (simdSupported === undefined) {
    try {
      simdSupported = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdSupported = false;
    }
  }
  return simdSupported;
}

/**
 * A module whose one function uses `f64x2.relaxed_madd` and `f32x4.relaxed_madd`:
 * validates only where relaxed SIMD is supported (Node ≥ 22 and current
 * Chromium by default; Node 20 with `--experimental-wasm-relaxed-simd`).
 */
const RELAXED_PROBE = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 20, 1, 18, 0, 32, 0, 32, 1, 32, 2,
  253, 135, 2, 32, 1, 32, 2, 253, 133, 2, 11,
);

/** Exports `f(a, b, c)` = lane 0 of `f64x2.relaxed_madd(splat a, splat b, splat c)`. */
const MADD_PROBE = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 124, 124, 124, 1, 124, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 22, 1, 20, 0,
  32, 0, 253, 20, 32, 1, 253, 20, 32, 2, 253, 20, 253, 135, 2, 253, 33, 0, 11,
);

let relaxedSupported: boolean | undefined;

/** True where WebAssembly relaxed SIMD (`relaxed_madd`) is available, so the fused multiply–add kernels can run.
 * @category Linear algebra
 */
export function hasRelaxedSimd(): boolean {
  if (relaxedSupported === undefined) {
    try {
      relaxedSupported = hasWasmSimd() && WebAssembly.validate(RELAXED_PROBE);
    } catch {
      relaxedSupported = false;
    }
  }
  return relaxedSupported;
}

/**
 * True where this engine's `f64x2.relaxed_madd` rounds once (a hardware fused
 * multiply–add), false where it multiplies and adds with two roundings (the
 * relaxed-SIMD specification allows either) or relaxed SIMD is missing.
 * Probed with a product whose fused and unfused results differ:
 * (1 + 2⁻³⁰)² − (1 + 2⁻²⁹) is 2⁻⁶⁰ exactly, 0 after rounding the product.
 * @category Linear algebra
 */
export function relaxedMaddFuses(): boolean {
  if (!hasRelaxedSimd()) return false;
  try {
    const f = (new WebAssembly.Instance(new WebAssembly.Module(MADD_PROBE)).exports as { f(a: number, b: number, c: number): number }).f;
    const x = 1 + 1 / 1073741824; // 1 + 2⁻³⁰
    return f(x, x, -(1 + 1 / 536870912)) !== 0; // − (1 + 2⁻²⁹)
  } catch {
    return false;
  }
}

/** True where a shared WebAssembly memory can be created (threads; cross-origin isolation in browsers).
 * @category Linear algebra
 */
export function hasSharedWasmMemory(): boolean {
  try {
    if (typeof SharedArrayBuffer === 'undefined') return false;
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The module bytes of one variant (`fma`: the fused multiply–add micro-kernels, relaxed SIMD).
 * @category Linear algebra
 */
export function kernelBytes(shared: boolean, fma = false): Uint8Array<ArrayBuffer> {
  if (fma) return decodeBase64(shared ? KERNEL_FMA_WASM_SHARED_BASE64 : KERNEL_FMA_WASM_BASE64);
  return decodeBase64(shared ? KERNEL_WASM_SHARED_BASE64 : KERNEL_WASM_BASE64);
}

const compiled: Partial<Record<'plain' | 'shared' | 'plain-fma' | 'shared-fma', WebAssembly.Module>> = {};

/** Compiles (once, synchronously) and returns the module of one variant.
 * @category Linear algebra
 */
export function compileSync(shared: boolean, fma = false): WebAssembly.Module {
  const key = shared ? (fma ? 'shared-fma' : 'shared') : fma ? 'plain-fma' : 'plain';
  let mod = compiled[key];
  if (!mod) {
    mod = new WebAssembly.Module(kernelBytes(shared, fma));
    compiled[key] = mod;
  }
  return mod;
}

/** Compiles (once, off the main thread where the engine can) and returns the module of one variant.
 * @category Linear algebra
 */
export async function compileAsync(shared: boolean, fma = false): Promise<WebAssembly.Module> {
  const key = shared ? (fma ? 'shared-fma' : 'shared') : fma ? 'plain-fma' : 'plain';
  let mod = compiled[key];
  if (!mod) {
    mod = await WebAssembly.compile(kernelBytes(shared, fma));
    compiled[key] = mod;
  }
  return mod;
}

/** Instantiates the kernel module over `memory`.
 * @category Linear algebra
 */
export function instantiate(mod: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as KernelExports;
}

const ALIGN = 64;
const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

/** Elements spanned by a rows × cols block with leading dimension ld (0 when empty).
 * @category Linear algebra
 */
export function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * Linear memory laid out as `[guard | workspaces (one per thread) | operands]`.
 * Grows on demand and keeps its size, so after warm-up no call allocates
 * buffers (a call may still create a small typed-array view when an operand is
 * a part of a larger array).
 * @category Linear algebra
 */
export class Arena {
  /** The memory the module instances import. */
  readonly memory: WebAssembly.Memory;
  /** A view of the whole memory, refreshed after each growth. */
  f64: Float64Array;
  /** Byte offset of each thread's workspace. */
  readonly workspaces: number[];
  /** Byte offset where operands start. */
  readonly operands: number;

  constructor(shared: boolean, threads: number, workspaceBytes: number) {
    const ws = align(workspaceBytes);
    this.workspaces = Array.from({ length: threads }, (_, t) => ALIGN + t * ws);
    this.operands = ALIGN + threads * ws;
    const pages = Math.ceil((this.operands + (1 << 20)) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared });
    this.f64 = new Float64Array(this.memory.buffer);
  }

  /** Makes sure `bytes` bytes of memory exist; refreshes the view after growth. */
  ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      const total = have / PAGE + pages;
      if (total > MAX_PAGES) throw new RangeError(`wasm kernel: operands need ${bytes} bytes, more than the 2 GiB limit`);
      // grow geometrically so a sequence of slightly larger calls does not grow each time
      this.memory.grow(Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4))));
    }
    if (this.f64.buffer.byteLength !== this.memory.buffer.byteLength) this.f64 = new Float64Array(this.memory.buffer);
  }

  /** Copies `n` leading elements of `src` to byte offset `dst`. */
  put(src: Float64Array, n: number, dst: number): void {
    if (n === 0) return;
    this.f64.set(n === src.length ? src : src.subarray(0, n), dst >>> 3);
  }

  /** Copies `n` elements at byte offset `src` into the start of `dst`. */
  get(dst: Float64Array, n: number, src: number): void {
    if (n === 0) return;
    const s = src >>> 3;
    dst.set(this.f64.subarray(s, s + n));
  }
}

/** Lays out the operands of a GEMM after `base`: writes [pa, pb, pc] byte offsets to `out`, returns the end offset.
 * @category Linear algebra
 */
export function gemmLayout(
  base: number,
  spanA: number,
  spanB: number,
  spanC: number,
  out: Int32Array | number[],
): number {
  const pa = base;
  const pb = align(pa + spanA * 8);
  const pc = align(pb + spanB * 8);
  out[0] = pa;
  out[1] = pb;
  out[2] = pc;
  return align(pc + spanC * 8);
}
