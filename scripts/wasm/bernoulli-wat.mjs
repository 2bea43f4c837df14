// The WebAssembly text (WAT) of the Bernoulli draws, written by hand: out[i] = u_i < p[i] ? 1 : 0
// with u_i = Random.float64() of the library's generator — xoroshiro128+ stepped exactly as
// pure-rand steps it (two 64-bit words; each step's output is the low 32 bits of s0 + s1), and
// float64() = ((next >>> 5)·2²⁶ + (next >>> 6))·2⁻⁵³ — so the draws, the states and the
// generator's state afterwards are the TS loop's bit for bit (src/linalg/wasm/bernoulli.ts).
//
// Memory: bytes 0–15 hold the generator (s0, s1 as little-endian i64), read at the start and
// written back at the end; the probabilities are overwritten in place by the 0/1 draws.
// A NaN probability draws 0, as `u < NaN` is false in both.

/**
 * One xoroshiro128+ step over the locals $r0, $r1 (scratch $ra), the whole 64-bit sum in local
 * `dst` (its low 32 bits are the step's output).
 */
const next = (dst) => `(local.set $${dst} (i64.add (local.get $r0) (local.get $r1)))
      (local.set $ra (i64.xor (local.get $r1) (local.get $r0)))
      (local.set $r0 (i64.xor (i64.xor (i64.rotl (local.get $r0) (i64.const 24)) (local.get $ra)) (i64.shl (local.get $ra) (i64.const 16))))
      (local.set $r1 (i64.rotl (local.get $ra) (i64.const 37)))`;

/** The module text. */
export function bernoulliWat() {
  return `(module
  (import "env" "mem" (memory 1 32768))

  ;; x[i] ← (float64() < x[i]) for i < n, x at byte offset $x (8-aligned).
  (func (export "bernoulli") (param $x i32) (param $n i32)
    (local $r0 i64) (local $r1 i64) (local $ra i64) (local $ua i64) (local $ub i64) (local $p i32) (local $end i32)
    (local.set $r0 (i64.load (i32.const 0)))
    (local.set $r1 (i64.load (i32.const 8)))
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      ${next('ua')}
      ${next('ub')}
      ;; u·2⁵³ = (ua >>> 5)·2²⁶ + (ub >>> 6) assembled as one 53-bit integer (below 2⁵³, so the
      ;; signed conversion is exact), then ·2⁻⁵³ (exact): the same u as Random.float64. The 0/1
      ;; result is the comparison converted (0 for a NaN probability), not a select: V8 compiles
      ;; a select on an unpredictable comparison to a branch, mispredicted about half the time
      ;; (5.5 → 1.8 ns per draw).
      (f64.store (local.get $p) (f64.convert_i32_s (f64.lt
        (f64.mul
          (f64.convert_i64_s (i64.or
            (i64.shl (i64.shr_u (i64.and (local.get $ua) (i64.const 0xffffffff)) (i64.const 5)) (i64.const 26))
            (i64.shr_u (i64.and (local.get $ub) (i64.const 0xffffffff)) (i64.const 6))))
          (f64.const 0x1p-53))
        (f64.load (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $l)))
    (i64.store (i32.const 0) (local.get $r0))
    (i64.store (i32.const 8) (local.get $r1)))
)`;
}
