/**
 * The gathered-row products module (scripts/wasm/gather-wat.mjs): compiled
 * once, synchronously, on first use, and instantiated over a kernel's arena
 * memory. Internal to the one-thread SIMD kernel's `gemmSparseA`; over a
 * memory of its own it also gives the elementwise SIMD loops of the RBM hot
 * paths, each with the bits of its TS form: σ ({@link sigmoidInPlace}), the
 * hidden softplus sums of a batch ({@link softplusSums}) and σ fused with the
 * Bernoulli draws ({@link sigmoidBernoulli}).
 * @module
 * @internal
 */
import { log } from '../../math/elementary.js';
import { sigmoid, softplusSum } from '../stable.js';
import { GATHER_SHARED_WASM_BASE64, GATHER_WASM_BASE64 } from './gather-bytes.js';

/**
 * The gathered sums' signature (`gemmCsr`, `gemmCsr32`): `m` rows of C, `n` columns, `α`, op(B)'s
 * first strip `b`, `β`, C at `c` with leading dimension `ldc`, `csr`'s compressed rows
 * (`rowStart`, `offs`, `vals`), `ones` (`allOnes()` after that `csr`), and the bytes between
 * op(B)'s strips `sstride`. @internal
 */
export type GatheredSums = (
  m: number,
  n: number,
  alpha: number,
  b: number,
  beta: number,
  c: number,
  ldc: number,
  rowStart: number,
  offs: number,
  vals: number,
  ones: number,
  sstride: number,
) => void;

/** Exports of the gathered-row module (pointers are byte offsets, leading dimensions elements). @internal */
export interface GatherExports {
  /** 1 when every value the last `csr` gathered is exactly 1. */
  allOnes(): number;
  /** Gathers op(A)'s non-zeros into compressed rows; returns their count, or −1 above `limit`. */
  csr(ta: number, m: number, k: number, a: number, lda: number, limit: number, brow: number, rowStart: number, offs: number, vals: number): number;
  /**
   * op(B) = Bᵀ (`b[j·ldb + p]`, `p < k`, `j < n`) as 8-column strips at `dst` (64-aligned):
   * entry (p, j) at byte `dst + ⌊j/8⌋·k·64 + p·64 + (j mod 8)·8`, the last strip padded.
   */
  packT(b: number, ldb: number, k: number, n: number, dst: number): void;
  /** A row-major op(B) (`b[p·ldb + j]`, `p < k`, `j < n`) as the strips of {@link GatherExports.packT}. */
  packS(b: number, ldb: number, k: number, n: number, dst: number): void;
  /**
   * `C ← α·(gathered op(A))·op(B) + β·C` over the rows `csr` gathered; `ones` is
   * `allOnes()` after that `csr` (any instance over the same memory may run it,
   * e.g. on a slice of the columns starting at a multiple j0 of 8: `b` at its first strip
   * — `b + 8·j0` row-major, `b + (j0/8)·k·64` packed — `c` offset by `8·j0`, `n` the slice
   * width). op(B) is read as 8-column strips `sstride` bytes apart, the rows of a strip at the
   * byte offsets `csr` gave: a row-major op(B) is `sstride = 64` (`csr`'s rows of `ldb·8`
   * bytes), the strips of `packT`/`packS` `sstride = k·64` (`csr`'s rows of 64 bytes).
   */
  gemmCsr: GatheredSums;
  /**
   * `gemmCsr` over single-precision rows (the float32 kernels): op(B) as float32 strips of
   * 16 columns at `b`, `sstride = k·64` bytes apart (from `toF32` or `packT32`; `csr` run
   * with rows of 64 bytes); each entry summed in f32 in the same order, finished in f64 as
   * `α·s + β·c`.
   */
  gemmCsr32: GatheredSums;
  /**
   * op(B) (`b[p·ldb + j]`, `p < k`, `j < n`) rounded to float32 strips of 16 columns at
   * `dst` (64-aligned): entry (p, j) at byte `dst + ⌊j/16⌋·k·64 + p·64 + (j mod 16)·4`.
   */
  toF32(b: number, ldb: number, k: number, n: number, dst: number): void;
  /** op(B) = Bᵀ (`b[j·ldb + p]`) rounded to the float32 strips of {@link GatherExports.toF32}. */
  packT32(b: number, ldb: number, k: number, n: number, dst: number): void;
  /** σ in place over `n` doubles at `x`, two at a time; returns how many it left (indices listed at `list`). */
  sigmoid(x: number, n: number, list: number): number;
  /**
   * softplusSum's terms for `rows` rows of `n` values at `x`, two rows at a time: per row
   * the positive part and the product of every 512 factors 1 + e^{−|scale·x|} at `res`
   * (`⌊n/512⌋ + 2` doubles a row); returns how many rows it listed at `list` (some
   * |scale·x| ≥ 700 or NaN: the caller sums those in TS).
   */
  softplusRows(x: number, rows: number, n: number, scale: number, res: number, list: number): number;
  /**
   * `out[i] = 1` when the next uniform of the xoroshiro128+ state at `state` is below
   * σ(scale·x[i]), else 0, in order; lanes with |scale·x| ≥ 700 or NaN and an odd last
   * element get the uniform itself and are listed at `list`; returns their count.
   */
  bernoulliSigmoid(x: number, n: number, scale: number, out: number, state: number, list: number): number;
}

let compiled: WebAssembly.Module | null | undefined;
let compiledShared: WebAssembly.Module | null | undefined;

function moduleFrom(base64: string): WebAssembly.Module | null {
  try {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = moduleFrom(GATHER_WASM_BASE64);
  return compiled;
}

/**
 * The module over an imported shared memory (the worker pool's), compiled once
 * on first use; null where it does not compile (then the pool keeps its own gather).
 * @internal
 */
export function gatherSharedModule(): WebAssembly.Module | null {
  if (compiledShared === undefined) compiledShared = moduleFrom(GATHER_SHARED_WASM_BASE64);
  return compiledShared;
}

/**
 * Instantiates the module over `memory`, or returns undefined where it does
 * not compile (the caller then keeps the kernel module's own gather).
 * @internal
 */
export function instantiateGather(memory: WebAssembly.Memory): GatherExports | undefined {
  const mod = compile();
  if (mod === null) return undefined;
  return new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as GatherExports;
}

/** The σ / softplus instance over its own memory (null where the module does not compile). */
let sig: { mem: WebAssembly.Memory; ex: GatherExports; f64: Float64Array; i32: Int32Array } | null | undefined;

/** Below this many values σ runs in TS: the copies in and out cost more than SIMD saves. */
const SIGMOID_MIN = 64;

/**
 * The σ / softplus instance with at least `bytes` of memory, or null where the module does not
 * compile, or `bytes` is more than its memory can hold (2 GiB) or the engine will not grow it:
 * the callers then run their TS loops.
 */
function sigInstance(bytes: number): { ex: GatherExports; f64: Float64Array; i32: Int32Array } | null {
  if (sig === undefined) {
    const mod = compile();
    if (mod === null) sig = null;
    else {
      const mem = new WebAssembly.Memory({ initial: 1, maximum: 32768 });
      const ex = new WebAssembly.Instance(mod, { env: { mem } }).exports as unknown as GatherExports;
      sig = { mem, ex, f64: new Float64Array(mem.buffer), i32: new Int32Array(mem.buffer) };
    }
  }
  if (sig === null || bytes > 32768 * 65536) return null;
  if (bytes > sig.mem.buffer.byteLength) {
    try {
      sig.mem.grow(Math.ceil((bytes - sig.mem.buffer.byteLength) / 65536));
    } catch {
      return null;
    }
    sig.f64 = new Float64Array(sig.mem.buffer);
    sig.i32 = new Int32Array(sig.mem.buffer);
  }
  return sig;
}

/**
 * `x[i] ← σ(x[i])` for `i < n`, the bits of {@link sigmoid} (`stable.ts`): in
 * WebAssembly SIMD two at a time where the module compiles (fdlibm's exp in
 * the same operations and order, each lane selecting its own branch), the rare
 * |x| ≥ 700 and NaN values — and everything where WebAssembly SIMD is missing —
 * through the TS function. Unchecked.
 * @internal
 */
export function sigmoidInPlace(x: Float64Array, n: number): void {
  const s = n < SIGMOID_MIN ? null : sigInstance(n * 12 + 16);
  if (s === null) {
    for (let i = 0; i < n; i++) x[i] = sigmoid(x[i]);
    return;
  }
  const f64 = s.f64;
  f64.set(n === x.length ? x : x.subarray(0, n), 0);
  const left = s.ex.sigmoid(0, n, n * 8);
  x.set(f64.subarray(0, n));
  for (let t = 0, o = n * 2; t < left; t++) {
    const i = s.i32[o + t];
    x[i] = sigmoid(x[i]);
  }
}

/**
 * `out[r] = softplusSum(x, r·n, n, scale)` for `r < rows`, bit for bit
 * (`stable.ts`: the same products, in the same order, the same logarithm
 * every 512 terms): the exponentials, the positive parts and the products
 * of each row run in WebAssembly SIMD, two rows at a time (fdlibm's exp in
 * the same operations and order); only the logarithms of the products are
 * taken here. Rows with a term |scale·x| ≥ 700 or NaN — and everything
 * where WebAssembly SIMD is missing, or below 64 values — go through the TS
 * function. Unchecked (`x` holds at least `rows·n` values).
 * @internal
 */
export function softplusSums(out: Float64Array, x: Float64Array, rows: number, n: number, scale = 1): void {
  const nb = (n >>> 9) + 1;
  const total = rows * n;
  const resOff = total; // in doubles
  const listOff = (resOff + rows * (nb + 1)) * 2; // in int32s
  const s = total < SIGMOID_MIN ? null : sigInstance(listOff * 4 + rows * 8 + 16);
  if (s === null) {
    for (let r = 0; r < rows; r++) out[r] = softplusSum(x, r * n, n, scale);
    return;
  }
  const f64 = s.f64;
  f64.set(total === x.length ? x : x.subarray(0, total), 0);
  const left = s.ex.softplusRows(0, rows, n, scale, resOff * 8, listOff * 4);
  finishSoftplusSums(out, f64, resOff, rows, n);
  for (let t = 0; t < left; t++) {
    const r = s.i32[listOff + t];
    out[r] = softplusSum(x, r * n, n, scale);
  }
}

/**
 * The last step of {@link softplusSums}: `out[r] = pos + (Σ_{b<nb−1} log P_b + log P_{nb−1})` from
 * `softplusRows`'s results for rows `0 … rows` (at `f64[res + r·(nb + 1)]`, nb = ⌊n/512⌋ + 1):
 * softplusSum's logarithms in its order. Rows the module listed are the caller's. @internal
 */
export function finishSoftplusSums(out: Float64Array, f64: Float64Array, res: number, rows: number, n: number): void {
  const nb = (n >>> 9) + 1;
  for (let r = 0, o = res; r < rows; r++, o += nb + 1) {
    let logs = 0;
    for (let b = 1; b < nb; b++) logs += log(f64[o + b]);
    out[r] = f64[o] + (logs + log(f64[o + nb]));
  }
}

/** The generator {@link sigmoidBernoulli} draws from: a `Random` (its state read and written back whole). @internal */
export interface WordStateGenerator {
  float64(): number;
  getState(): { readonly algorithm: 'xoroshiro128+'; readonly words: readonly [number, number, number, number]; readonly spareNormal: number | null };
  setState(state: { algorithm: 'xoroshiro128+'; words: readonly [number, number, number, number]; spareNormal: number | null }): void;
}

/**
 * `out[i] = rng.float64() < σ(scale·x[i]) ? 1 : 0` for `i < n`, in order — the
 * numbers and the generator state of that loop with {@link sigmoid}, bit for
 * bit: σ two at a time in WebAssembly SIMD (as {@link sigmoidInPlace}) and the
 * uniforms drawn there too, by the same xoroshiro128+ steps as `Random`
 * (its state copied in and written back); the rare |scale·x| ≥ 700 and NaN
 * values compare with the TS σ. Below 64 values, or where WebAssembly SIMD is
 * missing, the TS loop. `out` must not overlap `x`. Unchecked.
 * @internal
 */
export function sigmoidBernoulli(out: Float64Array, x: Float64Array, n: number, scale: number, rng: WordStateGenerator): void {
  const s = n < SIGMOID_MIN ? null : sigInstance(n * 12 + 32);
  if (s === null) {
    for (let i = 0; i < n; i++) out[i] = rng.float64() < sigmoid(scale * x[i]) ? 1 : 0;
    return;
  }
  const f64 = s.f64, i32 = s.i32;
  const state = rng.getState();
  const st = n * 2; // the four state words, in int32s, after the values
  const list = st + 4;
  i32[st] = state.words[0];
  i32[st + 1] = state.words[1];
  i32[st + 2] = state.words[2];
  i32[st + 3] = state.words[3];
  f64.set(n === x.length ? x : x.subarray(0, n), 0);
  const left = s.ex.bernoulliSigmoid(0, n, scale, 0, st * 4, list * 4);
  rng.setState({ algorithm: 'xoroshiro128+', words: [i32[st], i32[st + 1], i32[st + 2], i32[st + 3]], spareNormal: state.spareNormal });
  out.set(f64.subarray(0, n));
  for (let t = 0; t < left; t++) {
    const i = i32[list + t];
    out[i] = out[i] < sigmoid(scale * x[i]) ? 1 : 0;
  }
}
