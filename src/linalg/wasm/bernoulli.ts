/**
 * Bernoulli draws `out[i] = (rng.float64() < p[i]) ? 1 : 0` in WebAssembly
 * (scripts/wasm/bernoulli-wat.mjs): the library's generator (xoroshiro128+ as
 * pure-rand steps it) run inside the module over a block of probabilities, so
 * the draws, and the generator's state afterwards, are the TS loop's bit for
 * bit at a fraction of its cost. Internal to the RBM samplers and trainers.
 * @module
 * @internal
 */
import type { Random } from '../../random/random.js';
import { BERNOULLI_WASM_BASE64 } from './bernoulli-bytes.js';

interface BernoulliExports {
  bernoulli(x: number, n: number): void;
}

/** The instance over its own memory (null where WebAssembly or the module is unavailable). */
let inst: { mem: WebAssembly.Memory; ex: BernoulliExports; f64: Float64Array; i32: Int32Array } | null | undefined;

/** Below this many draws the TS loop runs: the copies and the state hand-over cost more. */
const MIN_DRAWS = 256;

/** Switch of the WebAssembly draws (internal; benches toggle it for in-process A/B runs). @internal */
export const bernoulliWasm = { enabled: true };

function instance(): typeof inst {
  if (inst === undefined) {
    try {
      const bin = atob(BERNOULLI_WASM_BASE64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const mem = new WebAssembly.Memory({ initial: 1, maximum: 32768 });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } }).exports as unknown as BernoulliExports;
      inst = { mem, ex, f64: new Float64Array(mem.buffer), i32: new Int32Array(mem.buffer) };
    } catch {
      inst = null;
    }
  }
  return inst;
}

/**
 * `out[i] = rng.float64() < p[i] ? 1 : 0` for `i < n`, drawing from `rng` in
 * index order exactly as that loop does (same numbers, same generator state
 * afterwards; `out` may be `p`). Unchecked.
 * @internal
 */
export function bernoulliDraws(out: Float64Array, p: Float64Array, n: number, rng: Random): void {
  const w = n >= MIN_DRAWS && bernoulliWasm.enabled ? instance() : null;
  if (!w) {
    for (let i = 0; i < n; i++) out[i] = rng.float64() < p[i] ? 1 : 0;
    return;
  }
  const need = 16 + n * 8;
  if (need > w.mem.buffer.byteLength) {
    w.mem.grow(Math.ceil((need - w.mem.buffer.byteLength) / 65536));
    w.f64 = new Float64Array(w.mem.buffer);
    w.i32 = new Int32Array(w.mem.buffer);
  }
  const s = rng.getState();
  const words = s.words, i32 = w.i32;
  // state words are [hi(s0), lo(s0), hi(s1), lo(s1)]; the module reads s0, s1 as little-endian i64
  i32[0] = words[1];
  i32[1] = words[0];
  i32[2] = words[3];
  i32[3] = words[2];
  w.f64.set(n === p.length ? p : p.subarray(0, n), 2);
  w.ex.bernoulli(16, n);
  out.set(w.f64.subarray(2, 2 + n));
  rng.setState({ algorithm: 'xoroshiro128+', words: [i32[1], i32[0], i32[3], i32[2]], spareNormal: s.spareNormal });
}
