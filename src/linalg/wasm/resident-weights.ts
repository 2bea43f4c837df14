/**
 * Weight matrices kept for a whole computation in a WebAssembly memory of their own, each as the
 * gathered-row module's 8-column strips of itself and of its transpose, with that module over the
 * memory: products of mostly-zero 0/1 rows with a weight matrix or its transpose, summed without
 * copying or packing the weights per product. For annealed importance sampling, whose thousands
 * of β steps multiply sampled states by the same weights (RBM and DBM paths).
 *
 * Every product is gathered at any density: with the weights already in strips the gathered sums
 * beat the kernel's dense product (which copies and packs op(B) at every call) even at 100% ones
 * (100×500 `H` times a 500×784 `Wᵀ`: 1.3 ms at 30% ones, 2.1 ms at 50%, 3.8 ms at 100%, against
 * 4.2 ms dense, one thread, 2026-12-05). Each entry is `s + c`, `s` the sum over the row's
 * non-zeros in ascending p from zero — the naive product's bits, the bits the exact kernels give
 * inside `withExactGatherDensity(1, …)`.
 * @module
 * @internal
 */
import { type GatherExports, instantiateGather } from './gather.js';

/** A row-major `rows × cols` weight matrix. @internal */
export interface WeightMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Products with resident weights (see the module notes). @internal */
export interface ResidentWeights {
  /**
   * `out ← A·op(W_w) + out` for the `m` rows of `a` (`A`, mostly zeros): op(W_w) = W_w (`a` has
   * `W_w.rows` columns, `out` `W_w.cols`) or its transpose. Each entry is the gathered sum over the
   * row's non-zeros in ascending p, times their values (1 added as is), then plus `out`'s entry.
   * False — `out` untouched — where the operands do not fit in the memory (beyond 2 GiB, or the
   * engine refuses to grow it): the caller then runs the product otherwise.
   */
  accumulate(out: Float64Array, a: Float64Array, m: number, w: number, transposed: boolean): boolean;
  /**
   * {@link ResidentWeights.accumulate} for 0/1 rows given by their ones — row r's columns, ascending,
   * at `ones[start[r] … start[r + 1])` — times W_w itself: the same sums, without copying the rows in
   * or gathering them. False as `accumulate`.
   */
  accumulateOnes(out: Float64Array, ones: Int32Array, start: Int32Array, m: number, w: number): boolean;
}

const align64 = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * The weights resident (copied once, packed once), or null where WebAssembly or the gathered-row
 * module is missing, or the strips would not fit in 1 GiB (then the caller's kernel runs the
 * products). The weights must not change while it is in use. @internal
 */
export function residentWeights(weights: readonly WeightMatrix[]): ResidentWeights | null {
  if (typeof WebAssembly === 'undefined') return null;
  // per matrix: a plain copy (what the strips are packed from), its strips, its transpose's strips
  const plain: number[] = [], stripsS: number[] = [], stripsT: number[] = [];
  let off = 0;
  for (const { rows: k, cols: n } of weights) {
    plain.push(off);
    off = align64(off + k * n * 8);
    stripsS.push(off);
    off = align64(off + Math.ceil(n / 8) * k * 64);
    stripsT.push(off);
    off = align64(off + Math.ceil(k / 8) * n * 64);
  }
  const base = off;
  if (base > 2 ** 30) return null;
  let mem: WebAssembly.Memory;
  let g: GatherExports | undefined;
  try {
    mem = new WebAssembly.Memory({ initial: Math.ceil((base + 64) / 65536), maximum: 32768 });
    g = instantiateGather(mem);
  } catch {
    return null;
  }
  if (g === undefined) return null;
  const gx = g;
  let f64 = new Float64Array(mem.buffer);
  let i32 = new Int32Array(mem.buffer);
  weights.forEach(({ data, rows: k, cols: n }, w) => {
    f64.set(data.subarray(0, k * n), plain[w] / 8);
    gx.packS(plain[w], n, k, n, stripsS[w]);
    gx.packT(plain[w], n, n, k, stripsT[w]);
  });
  /** Grows the memory to `need` bytes; false where it cannot (beyond 2 GiB, or the engine refuses). */
  const room = (need: number): boolean => {
    if (need <= mem.buffer.byteLength) return true;
    if (need > 32768 * 65536) return false;
    try {
      mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    } catch {
      return false;
    }
    f64 = new Float64Array(mem.buffer);
    i32 = new Int32Array(mem.buffer);
    return true;
  };
  return {
    accumulate(out, a, m, w, transposed) {
      const { rows, cols } = weights[w];
      const k = transposed ? cols : rows, n = transposed ? rows : cols;
      const pa = base, pc = align64(pa + m * k * 8), rowStart = align64(pc + m * n * 8), offs = align64(rowStart + (m + 1) * 4), vals = align64(offs + m * k * 4);
      if (!room(vals + m * k * 8)) return false;
      f64.set(a.length === m * k ? a : a.subarray(0, m * k), pa / 8);
      gx.csr(0, m, k, pa, k, m * k, 64, rowStart, offs, vals); // no limit: always gathered
      f64.set(out.length === m * n ? out : out.subarray(0, m * n), pc / 8);
      gx.gemmCsr(m, n, 1, transposed ? stripsT[w] : stripsS[w], 1, pc, n, rowStart, offs, vals, gx.allOnes(), k * 64);
      out.set(f64.subarray(pc / 8, pc / 8 + m * n));
      return true;
    },
    accumulateOnes(out, ones, start, m, w) {
      const { rows: k, cols: n } = weights[w];
      const nnz = start[m];
      const pc = base, rowStart = align64(pc + m * n * 8), offs = align64(rowStart + (m + 1) * 4), vals = align64(offs + nnz * 4);
      if (!room(vals + nnz * 8 + 64)) return false;
      // the compressed rows csr would give: offsets of the strip rows, all values 1
      i32.set(start.subarray(0, m + 1), rowStart / 4);
      for (let t = 0, o = offs / 4; t < nnz; t++) i32[o + t] = ones[t] * 64;
      f64.fill(1, vals / 8, vals / 8 + nnz); // read where the column count is odd
      f64.set(out.length === m * n ? out : out.subarray(0, m * n), pc / 8);
      gx.gemmCsr(m, n, 1, stripsS[w], 1, pc, n, rowStart, offs, vals, 1, k * 64);
      out.set(f64.subarray(pc / 8, pc / 8 + m * n));
      return true;
    },
  };
}
