/**
 * The sequential samplers in WebAssembly (scripts/wasm/sequential-wat.mjs):
 * asynchronous Hopfield updates, the quadratic-energy Gibbs sweep and the
 * sequential-scan Metropolis sweep over a quadratic energy, with the same
 * random stream and the same bits as the TypeScript loops they replace
 * (`evolveAsyncUnchecked` in src/models/hopfield-network.ts,
 * `QuadraticGibbs.step` in src/samplers/gibbs.ts, `Metropolis.flipSweep` in
 * src/samplers/metropolis.ts). The module is compiled
 * once, synchronously, on first use, over its own memory; where it does not
 * compile (no WebAssembly SIMD, or a browser page's main thread refusing
 * synchronous compilation) or the plain-TypeScript kernel is installed
 * (`setKernel(tsKernel)`), the callers keep their TypeScript loops.
 *
 * What crosses: the state, the fields and the visiting order are copied in
 * and out around a call; the generator's four words are read with
 * `Random.getState` and written back with `Random.setState` (its cached
 * normal deviate untouched); a row of the weights is copied in when a flip
 * needs it and it is not among the last 16 rows copied in this call (the
 * module stops, asks for it, and resumes), so a call reads no more of `W`
 * than the TypeScript loop does and never works on a stale copy.
 *
 * Weights made by {@link sequentialWeights} (a Hopfield network's and a
 * Boltzmann machine's own) need no copy at all: they live in a memory of
 * their own, which never grows (so the array never detaches), with room
 * before them for a call's layout, and an instance of the module over that
 * memory reads the live rows where they are.
 * @module
 * @internal
 */
import { Random } from '../../random/random.js';
import { getKernel } from '../kernel.js';
import { SEQUENTIAL_WASM_BASE64 } from './sequential-bytes.js';

/** Exports of the sequential module (pointers are byte offsets). @internal */
export interface SequentialExports {
  /** Starts a Hopfield run (loop position, counters). */
  hopReset(): void;
  /** Runs or resumes asynchronous Hopfield updates: a missing row's unit (≥ 0), −2 after a sweep when asked, −1 when done. */
  hopRun(y: number, h: number, order: number, rowTab: number, n: number, count: number, minus: number, maxSweeps: number, permute: number, stopEachSweep: number): number;
  /** Starts a Gibbs sweep. */
  gibbsReset(): void;
  /** Runs or resumes one Gibbs sweep: a missing row's unit (≥ 0) or −1 when done. */
  gibbsRun(s: number, f: number, free: number, rowTab: number, n: number, m: number, spin: number, temp: number, random: number): number;
  /** Sequential-scan Metropolis over sites a … b−1 (rows of W for them at `rows`); energy and counts in the header. */
  metroBlock(x: number, bias: number, rows: number, a: number, b: number, n: number, spin: number, temp: number, zeroCost: number): void;
  /** fdlibm's exp (the bits of src/math/elementary.ts `exp`). */
  exp(x: number): number;
  /** The bits of src/linalg/stable.ts `sigmoid`. */
  sigmoid(x: number): number;
  /** `Random.float64` over the generator words at bytes 0–15. */
  float64(): number;
  /** `Random.int(n)` (n < 2³²) over the generator words at bytes 0–15. */
  int(n: number): number;
}

interface Context {
  mem: WebAssembly.Memory;
  ex: SequentialExports;
  f64: Float64Array;
  i32: Int32Array;
  u32: Uint32Array;
  /** The unit whose row each ring slot holds (−1: none). */
  slotUnit: Int32Array;
  /** The ring slot the next row goes to. */
  nextSlot: number;
  /**
   * For the memory of {@link sequentialWeights}: the weights' byte offset, their n (n × n), and
   * a row table filled once with the rows' own addresses (the weights never move), placed
   * after the most a call writes besides the ring it never needs; the memory never grows.
   */
  owned?: { offset: number; n: number; table: number };
}

let ctx: Context | null | undefined;
let compiled: WebAssembly.Module | null | undefined;
/** A memory of {@link sequentialWeights}: the weights' place in it, and the module's instance over it once a call needs one. */
interface OwnedMemory {
  mem: WebAssembly.Memory;
  offset: number;
  n: number;
  context?: Context;
}
/** The memories of {@link sequentialWeights}, by their buffer. */
const ownedMemories = new WeakMap<ArrayBufferLike, OwnedMemory>();

/** Byte offsets in the header: generator words (0–15), sweeps (16), changes (20), converged (24), flips (32, f64); Metropolis energy, accepted, proposed (40, 48, 56, f64). */
const HEADER = 64;
/**
 * Rows of W live in a ring of {@link RING_SLOTS} slots: the rows of the units
 * flipped last. A unit whose row was evicted stops the loop again when it flips
 * again and its row is copied again (the TS loop reads it again too); a small
 * ring keeps the copies in the core's cache and the memory at O(n), and the
 * weights are never read from a copy older than the call.
 */
const RING_SLOTS = 16;

/** The most bytes a call may lay out (the memory's maximum is 2 GiB). */
const MAX_BYTES = 1536 * 1024 * 1024;

function sequentialModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bin = atob(SEQUENTIAL_WASM_BASE64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** An instance of the module over `mem` with its views. */
function contextOver(mod: WebAssembly.Module, mem: WebAssembly.Memory): Context {
  const ex = new WebAssembly.Instance(mod, { env: { mem } }).exports as unknown as SequentialExports;
  return { mem, ex, f64: new Float64Array(mem.buffer), i32: new Int32Array(mem.buffer), u32: new Uint32Array(mem.buffer), slotUnit: new Int32Array(RING_SLOTS), nextSlot: 0 };
}

function context(): Context | null {
  if (ctx === undefined) {
    const mod = sequentialModule();
    try {
      ctx = mod === null ? null : contextOver(mod, new WebAssembly.Memory({ initial: 2, maximum: 32768 }));
    } catch {
      ctx = null;
    }
  }
  return ctx;
}

/** Units from which {@link sequentialWeights} places the weights in a memory of their own. @internal */
export const OWNED_WEIGHTS_MIN_UNITS = 256;

/**
 * A zeroed `n × n` weight array for a model whose sequential samplers run here
 * (a Hopfield network, a Boltzmann machine): from {@link OWNED_WEIGHTS_MIN_UNITS}
 * units, where the module compiles, a view into a WebAssembly memory of its own
 * (`maximum` = `initial`, so it never grows and the view never detaches) after room
 * for any call's layout; the calls on those weights then read their rows in place
 * instead of copying the rows a flip needs (a copy of 8·n bytes per flip).
 * Otherwise — or when the engine refuses the memory — a plain `Float64Array`.
 * Either way an ordinary, live `Float64Array` of length n².
 * @internal
 */
export function sequentialWeights(n: number): Float64Array {
  if (n >= OWNED_WEIGHTS_MIN_UNITS && layoutBound(n) + 8 * n * n <= MAX_BYTES) {
    const mod = sequentialModule();
    if (mod !== null) {
      const offset = align16(layoutBound(n));
      const pages = Math.ceil((offset + 8 * n * n) / 65536);
      try {
        // the instance over it is made by the first call that needs it (a model may never sample)
        const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
        ownedMemories.set(mem.buffer, { mem, offset, n });
        return new Float64Array(mem.buffer, offset, n * n);
      } catch {
        // no memory for it (engines cap the memories a process may reserve): a plain array
      }
    }
  }
  return new Float64Array(n * n);
}

/**
 * Whether `w` is a whole weight array of {@link sequentialWeights} in a memory of its own
 * (for tests: the calls on it read rows in place).
 * @internal
 */
export function weightsInOwnMemory(w: Float64Array): boolean {
  const o = ownedMemories.get(w.buffer);
  return o !== undefined && o.offset === w.byteOffset && w.length === o.n * o.n;
}

/**
 * The context a call on weights `w` (n × n) runs in: the one over `w`'s own memory
 * when `w` is such a model's whole weight array and the kernel allows the module,
 * else the shared one.
 */
function contextFor(w: Float64Array, n: number): Context {
  const o = ownedMemories.get(w.buffer);
  if (o !== undefined && o.offset === w.byteOffset && o.n === n) {
    if (o.context === undefined) {
      const mod = sequentialModule();
      try {
        if (mod !== null) {
          const c = contextOver(mod, o.mem);
          // a call writes its header, two n-vectors and an index list of at most n entries below this
          const table = align16(HEADER + 20 * n + 16);
          for (let i = 0; i < n; i++) c.i32[(table >> 2) + i] = o.offset + 8 * n * i;
          c.owned = { offset: o.offset, n, table };
          o.context = c;
        }
      } catch {
        // an instance refused: this call copies rows as for any other weights
      }
    }
    if (o.context !== undefined) return o.context;
  }
  return context() as Context;
}

/**
 * The module's exports over its memory, or undefined where it does not
 * compile. For tests (generator, exp and σ against the TS functions).
 * @internal
 */
export function sequentialExports(): { ex: SequentialExports; i32: Int32Array; mem: WebAssembly.Memory } | undefined {
  const c = context();
  return c === null ? undefined : { ex: c.ex, i32: c.i32, mem: c.mem };
}

/** Grows the memory to at least `bytes` and refreshes the views (an owned memory is laid out to never need it). */
function ensure(c: Context, bytes: number): void {
  const have = c.mem.buffer.byteLength;
  if (bytes <= have && c.f64.buffer === c.mem.buffer) return;
  if (c.owned !== undefined) throw new Error('sequential module: an owned weights memory cannot grow');
  if (bytes > have) c.mem.grow(Math.ceil((bytes - have) / 65536));
  c.f64 = new Float64Array(c.mem.buffer);
  c.i32 = new Int32Array(c.mem.buffer);
  c.u32 = new Uint32Array(c.mem.buffer);
}

/** Units from which asynchronous Hopfield updates run in WebAssembly. @internal */
export const HOPFIELD_WASM_MIN_UNITS = 32;
/** Units from which a Gibbs sweep runs in WebAssembly. @internal */
export const GIBBS_WASM_MIN_UNITS = 32;

const align16 = (x: number): number => (x + 15) & ~15;

/**
 * Whether the WebAssembly loops run for `n` units: the module compiles, the
 * installed kernel is not the plain-TypeScript one, `n` is at least `min`,
 * the call's layout fits the module's memory and `rng` (when given) is a plain
 * {@link Random}.
 * @internal
 */
export function useSequentialWasm(n: number, min: number, rng?: Random | null): boolean {
  const bytes = layoutBound(n);
  if (!(n >= min) || bytes > MAX_BYTES) return false;
  // the module steps the generator's own words: a subclass that draws otherwise keeps the TS loop
  if (rng && Object.getPrototypeOf(rng) !== Random.prototype) return false;
  const k = getKernel().name;
  if (k === 'ts' || k === 'naive') return false;
  const c = context();
  if (c === null) return false;
  try {
    ensure(c, bytes); // grown here, before anything changes, so a refused grow keeps the TS loop
  } catch {
    return false;
  }
  return true;
}

/** An upper bound on the bytes any call lays out for n units (header, two vectors, two index tables, 16 rows and padding). */
function layoutBound(n: number): number {
  return HEADER + 8 * n * (RING_SLOTS + 4) + 256;
}

/**
 * Whether {@link evolveAsyncWasm} runs this call: {@link useSequentialWasm}
 * from {@link HOPFIELD_WASM_MIN_UNITS} units, at most `n` units visited, and
 * arrays as long as the loop reads (an unchecked caller's short arrays keep the
 * TS loop, whose reads past the end give `undefined`, never a flip).
 * @internal
 */
export function hopfieldWasmFits(w: Float64Array, y: Float64Array, h: Float64Array, n: number, order: Uint32Array, count: number, rng: Random | null): boolean {
  return count <= order.length && count <= n && y.length >= n && h.length >= n && w.length >= n * n && useSequentialWasm(n, HOPFIELD_WASM_MIN_UNITS, rng);
}

/** Copies the generator's words into bytes 0–15 (s0, s1 little-endian). */
function rngIn(c: Context, rng: Random): number | null {
  const s = rng.getState();
  const w = s.words;
  c.i32[0] = w[1];
  c.i32[1] = w[0];
  c.i32[2] = w[3];
  c.i32[3] = w[2];
  return s.spareNormal;
}

function rngOut(c: Context, rng: Random, spare: number | null): void {
  const i = c.i32;
  rng.setState({ algorithm: 'xoroshiro128+', words: [i[1] as number, i[0] as number, i[3] as number, i[2] as number], spareNormal: spare });
}

/** `−½ Σ y_i (h_i + b_i)`, the same sum in the same order as `energyFromFields`. */
function energyAt(f64: Float64Array, y: number, h: number, b: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) e += f64[y + i] * (f64[h + i] + b[i]);
  return -0.5 * e;
}

/** Lays out and zeroes a row table at `at` and the ring after it; returns the ring's first byte. */
function rowTable(c: Context, at: number, n: number): number {
  const rows = align16(at + 4 * n);
  ensure(c, rows + RING_SLOTS * align16(8 * n));
  c.i32.fill(0, at >> 2, (at >> 2) + n);
  c.slotUnit.fill(-1);
  c.nextSlot = 0;
  return rows;
}

/** Copies row `i` of `w` (n × n) into the next slot of the ring at `rows`, evicting that slot's unit. */
function copyRow(c: Context, w: Float64Array, n: number, i: number, rowTab: number, rows: number): void {
  const slot = c.nextSlot;
  c.nextSlot = slot + 1 === RING_SLOTS ? 0 : slot + 1;
  const old = c.slotUnit[slot] as number;
  if (old >= 0) c.i32[(rowTab >> 2) + old] = 0;
  const at = rows + slot * align16(8 * n);
  c.f64.set(w.subarray(i * n, i * n + n), at >> 3);
  c.i32[(rowTab >> 2) + i] = at;
  c.slotUnit[slot] = i;
}

/**
 * `evolveAsyncUnchecked` in WebAssembly: the same arguments, effects, draws
 * and bits. Call only when {@link useSequentialWasm} says yes.
 * @internal
 */
export function evolveAsyncWasm(
  w: Float64Array,
  b: Float64Array,
  y: Float64Array,
  h: Float64Array,
  n: number,
  order: Uint32Array,
  count: number,
  minus: boolean,
  maxSweeps: number,
  rng: Random | null,
  permute: boolean,
  energies: Float64Array | null,
  counters: Float64Array,
): boolean {
  const c = contextFor(w, n);
  const yOff = HEADER;
  const hOff = yOff + 8 * n;
  const oOff = hOff + 8 * n;
  // owned weights: the table made once, pointing at the rows where they are (count ≤ n: hopfieldWasmFits)
  const tOff = c.owned !== undefined ? c.owned.table : align16(oOff + 4 * count);
  const rows = c.owned !== undefined ? 0 : rowTable(c, tOff, n);
  c.f64.set(y.subarray(0, n), yOff >> 3);
  c.f64.set(h.subarray(0, n), hOff >> 3);
  c.u32.set(order.subarray(0, count), oOff >> 2);
  const perm = permute && rng !== null;
  const spare = perm ? rngIn(c, rng) : null;
  if (energies) energies[0] = energyAt(c.f64, yOff >> 3, hOff >> 3, b, n);
  // sweeps < maxSweeps for an integer count of sweeps ⇔ sweeps < ⌈maxSweeps⌉ (NaN: none)
  const limit = Math.min(Math.ceil(maxSweeps), 0x7fffffff);
  const ex = c.ex;
  ex.hopReset();
  let recorded = 0;
  for (;;) {
    const r = ex.hopRun(yOff, hOff, oOff, tOff, n, count, minus ? 1 : 0, limit, perm ? 1 : 0, energies ? 1 : 0);
    if (r >= 0) {
      if (c.owned !== undefined) throw new Error('sequential module: asked for a row of weights it reads in place');
      copyRow(c, w, n, r, tOff, rows);
      continue;
    }
    if (energies) {
      const sweeps = c.i32[4] as number;
      if (sweeps > recorded) {
        energies[sweeps] = energyAt(c.f64, yOff >> 3, hOff >> 3, b, n);
        recorded = sweeps;
      }
    }
    if (r === -1) break;
  }
  y.set(c.f64.subarray(yOff >> 3, (yOff >> 3) + n));
  h.set(c.f64.subarray(hOff >> 3, (hOff >> 3) + n));
  if (perm) {
    order.set(c.u32.subarray(oOff >> 2, (oOff >> 2) + count));
    rngOut(c, rng, spare);
  }
  counters[0] = c.i32[4] as number;
  counters[1] = c.f64[4] as number;
  return c.i32[6] === 1;
}

/**
 * One `QuadraticGibbs.step` sweep in WebAssembly: `free.length` redraws of
 * the listed units from σ(2h/T) (spins) or σ(h/T) (binary), in list order or
 * at random, updating `state` and `fields` (n × n weights `w`) and drawing
 * from `rng` exactly as the TypeScript loop does. Returns the number of
 * changes. Call only when {@link useSequentialWasm} says yes.
 * @internal
 */
export function gibbsSweepWasm(
  w: Float64Array,
  state: Float64Array,
  fields: Float64Array,
  free: Uint32Array,
  n: number,
  spin: boolean,
  temperature: number,
  random: boolean,
  rng: Random,
): number {
  const m = free.length;
  // owned weights with at most n units listed: the table made once (see evolveAsyncWasm)
  const c = m <= n ? contextFor(w, n) : (context() as Context);
  const sOff = HEADER;
  const fOff = sOff + 8 * n;
  const lOff = fOff + 8 * n;
  const tOff = c.owned !== undefined ? c.owned.table : align16(lOff + 4 * m);
  const rows = c.owned !== undefined ? 0 : rowTable(c, tOff, n);
  c.f64.set(state.subarray(0, n), sOff >> 3);
  c.f64.set(fields.subarray(0, n), fOff >> 3);
  c.u32.set(free, lOff >> 2);
  const spare = rngIn(c, rng);
  const ex = c.ex;
  ex.gibbsReset();
  for (;;) {
    const r = ex.gibbsRun(sOff, fOff, lOff, tOff, n, m, spin ? 1 : 0, temperature, random ? 1 : 0);
    if (r < 0) break;
    if (c.owned !== undefined) throw new Error('sequential module: asked for a row of weights it reads in place');
    copyRow(c, w, n, r, tOff, rows);
  }
  state.set(c.f64.subarray(sOff >> 3, (sOff >> 3) + n));
  fields.set(c.f64.subarray(fOff >> 3, (fOff >> 3) + n));
  rngOut(c, rng, spare);
  return c.i32[5] as number;
}

/** Units from which a Metropolis sweep over a quadratic energy runs in WebAssembly. @internal */
export const METROPOLIS_WASM_MIN_UNITS = 32;
/** Rows of W copied in per call of the Metropolis block (one contiguous copy). */
const METRO_BLOCK = 16;

/**
 * One sequential-scan sweep of single-flip Metropolis over the quadratic
 * energy with weights `w` (n × n) and biases `bias` in WebAssembly: the
 * proposals, ΔE sums, draws, acceptances and energy updates of
 * `Metropolis.flipSweep` (over `QuadraticEnergy.deltaEnergyFlip`), bit for
 * bit. Updates `x`; returns the new energy and the number accepted (the
 * number proposed is `n`). Call only when {@link useSequentialWasm} says yes.
 * @internal
 */
export function metropolisSweepWasm(
  w: Float64Array,
  bias: Float64Array,
  x: Float64Array,
  n: number,
  spin: boolean,
  temperature: number,
  zeroCostLogRatio: number,
  energy: number,
  rng: Random,
): { energy: number; accepted: number } {
  const c = contextFor(w, n);
  const xOff = HEADER;
  const bOff = xOff + 8 * n;
  const rOff = align16(bOff + 8 * n + 32);
  ensure(c, rOff + METRO_BLOCK * 8 * n);
  const owned = c.owned;
  c.f64.set(x.subarray(0, n), xOff >> 3);
  c.f64.set(bias.subarray(0, n), bOff >> 3);
  const spare = rngIn(c, rng);
  c.f64[5] = energy;
  c.f64[6] = 0;
  c.f64[7] = 0;
  const ex = c.ex;
  for (let a = 0; a < n; a += METRO_BLOCK) {
    const b = Math.min(n, a + METRO_BLOCK);
    // the block's rows: where they are in an owned memory, else copied in
    if (owned !== undefined) ex.metroBlock(xOff, bOff, owned.offset + 8 * n * a, a, b, n, spin ? 1 : 0, temperature, zeroCostLogRatio);
    else {
      c.f64.set(w.subarray(a * n, b * n), rOff >> 3);
      ex.metroBlock(xOff, bOff, rOff, a, b, n, spin ? 1 : 0, temperature, zeroCostLogRatio);
    }
  }
  x.set(c.f64.subarray(xOff >> 3, (xOff >> 3) + n));
  rngOut(c, rng, spare);
  return { energy: c.f64[5] as number, accepted: c.f64[6] as number };
}
