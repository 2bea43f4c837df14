// The WebAssembly text (WAT) of the sequential samplers, written by hand: asynchronous
// Hopfield updates (src/models/hopfield-network.ts evolveAsyncUnchecked), the
// quadratic-energy Gibbs sweep (src/samplers/gibbs.ts QuadraticGibbs.step, which the
// Boltzmann machine's chains run) and the sequential-scan Metropolis sweep over a quadratic
// energy (src/samplers/metropolis.ts), over an ordinary imported memory that
// src/linalg/wasm/sequential.ts lays out.
//
// Same numbers as the TypeScript loops, bit for bit:
// - the generator is xoroshiro128+ exactly as pure-rand steps it (two 64-bit words; an
//   output is the low 32 bits of s0 + s1), with Random.float64 (high 27 + 26 bits of two
//   outputs) and Random.int (rejection of the top 2³² mod n values) in the same steps, so
//   the draws are the same numbers in the same order; the state travels in and out
//   through bytes 0–15 (s0, s1 little-endian);
// - σ and eˣ are src/linalg/stable.ts's sigmoid over src/math/elementary.ts's fdlibm exp,
//   the same operations in the same order (2^k built from its bits equals the exact table);
// - a field update h[j] += w[j]·d is element by element, so two lanes at a time round
//   exactly as the scalar loop does (no fused multiply–add).
//
// The weights stay in JavaScript: a row of W is copied in (by the caller, into a small ring of
// slots) when a flip needs it. `rowTab[i]` holds the byte offset of row i, 0 while it is missing; a
// run that needs a missing row records the pending update and returns the unit's index, the
// caller copies the row and calls again, and the run resumes where it stopped (its loop
// position lives in globals).

/** The double whose high word is `hi` and low word 0 (fdlibm's thresholds). */
function fromHighWord(hi) {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, hi, false);
  return v.getFloat64(0, false);
}

const f = (x) => `(f64.const ${String(x)})`;

/** fdlibm e_exp.c's constants, as src/math/elementary.ts spells them. */
const E = {
  LN2_HI: 6.93147180369123816490e-1,
  LN2_LO: 1.90821492927058770002e-10,
  INV_LN2: 1.4426950408889634074,
  TWOM1000: 9.33263618503218878990e-302,
  O_THRESHOLD: 7.09782712893383973096e2,
  U_THRESHOLD: -7.45133219101941108420e2,
  P1: 1.66666666666666019037e-1,
  P2: -2.77777777770155933842e-3,
  P3: 6.61375632143793436117e-5,
  P4: -1.65339022054652515390e-6,
  P5: 4.13813679705723846039e-8,
  BIG: fromHighWord(0x40862e42),
  HALF_LN2: fromHighWord(0x3fd62e43),
  ONEHALF_LN2: fromHighWord(0x3ff0a2b2),
  TINY: fromHighWord(0x3e300000),
};

const get = (n) => `(local.get $${n})`;
const set = (n, v) => `(local.set $${n} ${v})`;

/** `h[j] += w[j]·d` for j < n (byte pointers), four then two then one at a time. */
const addRow = `
  (func $addRow (param $h i32) (param $w i32) (param $n i32) (param $d f64)
    (local $vd v128) (local $end i32)
    (local.set $vd (f64x2.splat (local.get $d)))
    (local.set $end (i32.add (local.get $h) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $b4 (loop $l4
      (br_if $b4 (i32.ge_u (local.get $h) (local.get $end)))
      (v128.store align=8 (local.get $h)
        (f64x2.add (v128.load align=8 (local.get $h)) (f64x2.mul (v128.load align=8 (local.get $w)) (local.get $vd))))
      (v128.store offset=16 align=8 (local.get $h)
        (f64x2.add (v128.load offset=16 align=8 (local.get $h)) (f64x2.mul (v128.load offset=16 align=8 (local.get $w)) (local.get $vd))))
      (local.set $h (i32.add (local.get $h) (i32.const 32)))
      (local.set $w (i32.add (local.get $w) (i32.const 32)))
      (br $l4)))
    (if (i32.and (local.get $n) (i32.const 2))
      (then
        (v128.store align=8 (local.get $h)
          (f64x2.add (v128.load align=8 (local.get $h)) (f64x2.mul (v128.load align=8 (local.get $w)) (local.get $vd))))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $h) (f64.add (f64.load (local.get $h)) (f64.mul (f64.load (local.get $w)) (local.get $d)))))))`;

/** xoroshiro128+ (pure-rand's steps), Random.float64 and Random.int over the globals $s0, $s1. */
const generator = `
  (func $next (result i32)
    (local $a i64) (local $s0 i64) (local $out i32)
    (local.set $s0 (global.get $s0))
    (local.set $out (i32.wrap_i64 (i64.add (local.get $s0) (global.get $s1))))
    (local.set $a (i64.xor (global.get $s1) (local.get $s0)))
    (global.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a)) (i64.shl (local.get $a) (i64.const 16))))
    (global.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
    (local.get $out))

  (func $float64 (result f64)
    (local $a i32)
    (local.set $a (i32.shr_u (call $next) (i32.const 5)))
    (f64.mul
      (f64.add (f64.mul (f64.convert_i32_u (local.get $a)) (f64.const 67108864))
        (f64.convert_i32_u (i32.shr_u (call $next) (i32.const 6))))
      ${f(1 / 9007199254740992)}))

  ;; a uniform integer in [0, n) for 1 ≤ n < 2³² (Random.int's rejection of the top 2³² mod n values)
  (func $int (param $n i32) (result i32)
    (local $nn i64) (local $lim i64) (local $x i64)
    (local.set $nn (i64.extend_i32_u (local.get $n)))
    (local.set $lim (i64.sub (i64.const 4294967296) (i64.rem_u (i64.const 4294967296) (local.get $nn))))
    (loop $l
      (local.set $x (i64.extend_i32_u (call $next)))
      (br_if $l (i64.ge_u (local.get $x) (local.get $lim))))
    (i32.wrap_i64 (i64.rem_u (local.get $x) (local.get $nn))))

  (func $rngLoad
    (global.set $s0 (i64.load (i32.const 0)))
    (global.set $s1 (i64.load (i32.const 8))))
  (func $rngStore
    (i64.store (i32.const 0) (global.get $s0))
    (i64.store (i32.const 8) (global.get $s1)))`;

/** fdlibm's exp exactly as src/math/elementary.ts computes it, and σ as src/linalg/stable.ts does. */
const expSigmoid = `
  (func $exp (param $x f64) (result f64)
    (local $ax f64) (local $hi f64) (local $lo f64) (local $k f64) (local $t f64) (local $c f64) (local $y f64) (local $ki i32)
    (if (f64.ne ${get('x')} ${get('x')}) (then (return ${get('x')})))
    ${set('ax', `(f64.abs ${get('x')})`)}
    (if (f64.ge ${get('ax')} ${f(E.BIG)})
      (then
        (if (f64.eq ${get('ax')} (f64.const inf)) (then (return (f64.max ${get('x')} (f64.const 0)))))
        (if (f64.gt ${get('x')} ${f(E.O_THRESHOLD)}) (then (return (f64.const inf))))
        (if (f64.lt ${get('x')} ${f(E.U_THRESHOLD)}) (then (return (f64.const 0))))))
    (if (f64.ge ${get('ax')} ${f(E.HALF_LN2)})
      (then
        (if (f64.lt ${get('ax')} ${f(E.ONEHALF_LN2)})
          (then
            (if (f64.gt ${get('x')} (f64.const 0))
              (then
                ${set('hi', `(f64.sub ${get('x')} ${f(E.LN2_HI)})`)}
                ${set('lo', f(E.LN2_LO))}
                ${set('k', '(f64.const 1)')})
              (else
                ${set('hi', `(f64.add ${get('x')} ${f(E.LN2_HI)})`)}
                ${set('lo', f(-E.LN2_LO))}
                ${set('k', '(f64.const -1)')})))
          (else
            ${set('k', `(f64.trunc (f64.add (f64.mul ${f(E.INV_LN2)} ${get('x')})
              (select (f64.const 0.5) (f64.const -0.5) (f64.gt ${get('x')} (f64.const 0)))))`)}
            ${set('hi', `(f64.sub ${get('x')} (f64.mul ${get('k')} ${f(E.LN2_HI)}))`)}
            ${set('lo', `(f64.mul ${get('k')} ${f(E.LN2_LO)})`)}))
        ${set('x', `(f64.sub ${get('hi')} ${get('lo')})`)})
      (else
        (if (f64.lt ${get('ax')} ${f(E.TINY)}) (then (return (f64.add (f64.const 1) ${get('x')}))))))
    ${set('t', `(f64.mul ${get('x')} ${get('x')})`)}
    ${set(
      'c',
      `(f64.sub ${get('x')} (f64.mul ${get('t')}
        (f64.add ${f(E.P1)} (f64.mul ${get('t')}
          (f64.add ${f(E.P2)} (f64.mul ${get('t')}
            (f64.add ${f(E.P3)} (f64.mul ${get('t')}
              (f64.add ${f(E.P4)} (f64.mul ${get('t')} ${f(E.P5)}))))))))))`,
    )}
    (if (f64.eq ${get('k')} (f64.const 0))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul ${get('x')} ${get('c')}) (f64.sub ${get('c')} (f64.const 2))) ${get('x')})))))
    ${set(
      'y',
      `(f64.sub (f64.const 1)
        (f64.sub (f64.sub ${get('lo')} (f64.div (f64.mul ${get('x')} ${get('c')}) (f64.sub (f64.const 2) ${get('c')}))) ${get('hi')}))`,
    )}
    ${set('ki', `(i32.trunc_f64_s ${get('k')})`)}
    (if (i32.ge_s ${get('ki')} (i32.const -1021))
      (then
        (if (i32.eq ${get('ki')} (i32.const 1024))
          (then (return (f64.mul (f64.mul ${get('y')} (f64.const 2)) (f64.const 8.98846567431158e307)))))
        (return (f64.mul ${get('y')}
          (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add ${get('ki')} (i32.const 1023))) (i64.const 52)))))))
    (f64.mul (f64.mul ${get('y')}
      (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add ${get('ki')} (i32.const 2023))) (i64.const 52))))
      ${f(E.TWOM1000)}))

  (func $sigmoid (param $x f64) (result f64)
    (local $e f64)
    (if (result f64) (f64.ge ${get('x')} (f64.const 0))
      (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg ${get('x')})))))
      (else
        ${set('e', `(call $exp ${get('x')})`)}
        (f64.div ${get('e')} (f64.add (f64.const 1) ${get('e')})))))

  (func (export "exp") (param $x f64) (result f64) (call $exp ${get('x')}))
  (func (export "sigmoid") (param $x f64) (result f64) (call $sigmoid ${get('x')}))
  (func (export "float64") (result f64) (local $u f64) (call $rngLoad) (local.set $u (call $float64)) (call $rngStore) (local.get $u))
  (func (export "int") (param $n i32) (result i32) (local $u i32) (call $rngLoad) (local.set $u (call $int (local.get $n))) (call $rngStore) (local.get $u))`;

/**
 * Asynchronous Hopfield updates: evolveAsyncUnchecked's loop. Returns the unit whose row is
 * missing (≥ 0; call again once it is there), −2 after a sweep when `stopEachSweep` (the
 * caller records the energy), −1 when finished. Counters at bytes 16 (sweeps, i32), 24
 * (converged, i32) and 32 (flips, f64).
 */
const hopfield = `
  (func (export "hopReset")
    (global.set $k (i32.const 0)) (global.set $changed (i32.const 0)) (global.set $pend (i32.const -1))
    (global.set $permuted (i32.const 0))
    (i32.store (i32.const 16) (i32.const 0)) (i32.store (i32.const 24) (i32.const 0)) (f64.store (i32.const 32) (f64.const 0)))

  (func (export "hopRun") (param $y i32) (param $h i32) (param $order i32) (param $rowTab i32) (param $n i32) (param $count i32)
      (param $minus i32) (param $maxSweeps i32) (param $permute i32) (param $stopEachSweep i32) (result i32)
    (local $k i32) (local $changed i32) (local $i i32) (local $r i32) (local $t i32) (local $row i32)
    (local $yp i32) (local $hp i32) (local $yi f64) (local $hi f64) (local $d f64) (local $sweeps i32)
    (call $rngLoad)
    (local.set $k (global.get $k))
    (local.set $changed (global.get $changed))
    (local.set $sweeps (i32.load (i32.const 16)))
    (if (i32.ge_s (global.get $pend) (i32.const 0))
      (then
        (call $addRow (local.get $h)
          (i32.load (i32.add (local.get $rowTab) (i32.shl (global.get $pend) (i32.const 2)))) (local.get $n) (global.get $pendD))
        (global.set $pend (i32.const -1))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))))
    (block $done (loop $sweep
      (br_if $done (i32.ge_s (local.get $sweeps) (local.get $maxSweeps)))
      (if (i32.and (local.get $permute) (i32.eqz (global.get $permuted)))
        (then
          ;; Fisher–Yates as evolveAsyncUnchecked: for k = count−1 … 1, swap order[k] and order[int(k + 1)]
          (local.set $t (i32.sub (local.get $count) (i32.const 1)))
          (block $pd (loop $pl
            (br_if $pd (i32.le_s (local.get $t) (i32.const 0)))
            (local.set $r (call $int (i32.add (local.get $t) (i32.const 1))))
            (local.set $i (i32.load (i32.add (local.get $order) (i32.shl (local.get $t) (i32.const 2)))))
            (i32.store (i32.add (local.get $order) (i32.shl (local.get $t) (i32.const 2)))
              (i32.load (i32.add (local.get $order) (i32.shl (local.get $r) (i32.const 2)))))
            (i32.store (i32.add (local.get $order) (i32.shl (local.get $r) (i32.const 2))) (local.get $i))
            (local.set $t (i32.sub (local.get $t) (i32.const 1)))
            (br $pl)))
          (global.set $permuted (i32.const 1))))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $i (i32.load (i32.add (local.get $order) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $hp (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $yp (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $hi (f64.load (local.get $hp)))
        (local.set $yi (f64.load (local.get $yp)))
        ;; flip when y_i·h_i < 0, or (minus) when h_i = 0 and y_i > 0; the common case tested first
        (block $keep
          (block $flip
            (br_if $flip (f64.lt (f64.mul (local.get $yi) (local.get $hi)) (f64.const 0)))
            (br_if $keep (i32.eqz (local.get $minus)))
            (br_if $keep (f64.ne (local.get $hi) (f64.const 0)))
            (br_if $keep (i32.eqz (f64.gt (local.get $yi) (f64.const 0)))))
            (f64.store (local.get $yp) (f64.neg (local.get $yi)))
            (local.set $changed (i32.add (local.get $changed) (i32.const 1)))
            (local.set $d (f64.mul (f64.const -2) (local.get $yi)))
            (local.set $row (i32.load (i32.add (local.get $rowTab) (i32.shl (local.get $i) (i32.const 2)))))
            (if (i32.eqz (local.get $row))
              (then
                (global.set $pend (local.get $i))
                (global.set $pendD (local.get $d))
                (global.set $k (local.get $k))
                (global.set $changed (local.get $changed))
                (i32.store (i32.const 16) (local.get $sweeps))
                (call $rngStore)
                (return (local.get $i))))
            (call $addRow (local.get $h) (local.get $row) (local.get $n) (local.get $d)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $sweeps (i32.add (local.get $sweeps) (i32.const 1)))
      (f64.store (i32.const 32) (f64.add (f64.load (i32.const 32)) (f64.convert_i32_u (local.get $changed))))
      (global.set $permuted (i32.const 0))
      (local.set $k (i32.const 0))
      (if (i32.eqz (local.get $changed))
        (then (i32.store (i32.const 24) (i32.const 1)) (br $done)))
      (local.set $changed (i32.const 0))
      (if (local.get $stopEachSweep)
        (then
          (global.set $k (i32.const 0))
          (global.set $changed (i32.const 0))
          (i32.store (i32.const 16) (local.get $sweeps))
          (call $rngStore)
          (return (i32.const -2))))
      (br $sweep)))
    (global.set $k (i32.const 0))
    (global.set $changed (i32.const 0))
    (i32.store (i32.const 16) (local.get $sweeps))
    (call $rngStore)
    (i32.const -1))`;

/**
 * One sweep of QuadraticGibbs.step: `m` single-unit redraws from σ(2h/T) (spins) or σ(h/T)
 * (binary), units free[k] in order or free[int(m)] at random. Returns the unit whose row is
 * missing (≥ 0; call again once it is there) or −1 when the sweep is done; the number of
 * changes is at byte 20.
 */
/** One xoroshiro128+ step over the locals $r0, $r1 (scratch $ra), its output in local `dst` (the $next function, inline). */
const next = (dst) => `(local.set $${dst} (i32.wrap_i64 (i64.add (local.get $r0) (local.get $r1))))
            (local.set $ra (i64.xor (local.get $r1) (local.get $r0)))
            (local.set $r0 (i64.xor (i64.xor (i64.rotl (local.get $r0) (i64.const 24)) (local.get $ra)) (i64.shl (local.get $ra) (i64.const 16))))
            (local.set $r1 (i64.rotl (local.get $ra) (i64.const 37)))`;

const gibbs = `
  (func (export "gibbsReset")
    (global.set $k (i32.const 0)) (global.set $changed (i32.const 0)) (global.set $pend (i32.const -1))
    (i32.store (i32.const 20) (i32.const 0)))

  (func (export "gibbsRun") (param $s i32) (param $fl i32) (param $free i32) (param $rowTab i32) (param $n i32) (param $m i32)
      (param $spin i32) (param $temp f64) (param $random i32) (result i32)
    (local $k i32) (local $changed i32) (local $i i32) (local $row i32) (local $sp i32)
    (local $h f64) (local $p f64) (local $v f64) (local $old f64) (local $lo f64) (local $delta f64)
    (local $r0 i64) (local $r1 i64) (local $ra i64) (local $ua i32) (local $ub i32) (local $nn i64) (local $lim i64) (local $idx i32) (local $u f64)
    ;; the generator lives in locals during the sweep (its steps written out inline)
    (local.set $r0 (i64.load (i32.const 0)))
    (local.set $r1 (i64.load (i32.const 8)))
    ;; Random.int(m)'s rejection limit, the same for every draw of the sweep
    (local.set $nn (i64.extend_i32_u (local.get $m)))
    (local.set $lim (i64.sub (i64.const 4294967296) (i64.rem_u (i64.const 4294967296) (local.get $nn))))
    (local.set $k (global.get $k))
    (local.set $changed (global.get $changed))
    (local.set $lo (select (f64.const -1) (f64.const 0) (local.get $spin)))
    (if (i32.ge_s (global.get $pend) (i32.const 0))
      (then
        (call $addRow (local.get $fl)
          (i32.load (i32.add (local.get $rowTab) (i32.shl (global.get $pend) (i32.const 2)))) (local.get $n) (global.get $pendD))
        (global.set $pend (i32.const -1))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $m)))
      (if (local.get $random)
        (then
          (loop $il
            ${next('ua')}
            (br_if $il (i64.ge_u (i64.extend_i32_u (local.get $ua)) (local.get $lim))))
          (local.set $idx (i32.wrap_i64 (i64.rem_u (i64.extend_i32_u (local.get $ua)) (local.get $nn)))))
        (else (local.set $idx (local.get $k))))
      (local.set $i (i32.load (i32.add (local.get $free) (i32.shl (local.get $idx) (i32.const 2)))))
      (local.set $h (f64.load (i32.add (local.get $fl) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $p (call $sigmoid
        (if (result f64) (local.get $spin)
          (then (f64.div (f64.mul (f64.const 2) (local.get $h)) (local.get $temp)))
          (else (f64.div (local.get $h) (local.get $temp))))))
      ${next('ua')}
      ${next('ub')}
      (local.set $u (f64.mul
        (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $ua) (i32.const 5))) (f64.const 67108864))
          (f64.convert_i32_u (i32.shr_u (local.get $ub) (i32.const 6))))
        ${f(1 / 9007199254740992)}))
      ;; v = 1 when u < p, else lo (0 or −1), as lo + (1 − lo)·[u < p] (exact for lo ∈ {0, −1}): a
      ;; select on this unpredictable comparison compiles to a branch that mispredicts
      (local.set $v (f64.add (local.get $lo) (f64.mul (f64.sub (f64.const 1) (local.get $lo)) (f64.convert_i32_s (f64.lt (local.get $u) (local.get $p))))))
      (local.set $sp (i32.add (local.get $s) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $old (f64.load (local.get $sp)))
      (if (f64.ne (local.get $v) (local.get $old))
        (then
          (local.set $delta (f64.sub (local.get $v) (local.get $old)))
          (f64.store (local.get $sp) (local.get $v))
          (local.set $changed (i32.add (local.get $changed) (i32.const 1)))
          (local.set $row (i32.load (i32.add (local.get $rowTab) (i32.shl (local.get $i) (i32.const 2)))))
          (if (i32.eqz (local.get $row))
            (then
              (global.set $pend (local.get $i))
              (global.set $pendD (local.get $delta))
              (global.set $k (local.get $k))
              (global.set $changed (local.get $changed))
              (i64.store (i32.const 0) (local.get $r0)) (i64.store (i32.const 8) (local.get $r1))
              (return (local.get $i))))
          (call $addRow (local.get $fl) (local.get $row) (local.get $n) (local.get $delta))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl)))
    (i32.store (i32.const 20) (local.get $changed))
    (global.set $k (i32.const 0))
    (global.set $changed (i32.const 0))
    (i64.store (i32.const 0) (local.get $r0)) (i64.store (i32.const 8) (local.get $r1))
    (i32.const -1))`;

/**
 * Single-flip Metropolis over a quadratic energy, sites a … b−1 in order (Metropolis.flipSweep
 * with scan 'sequential' over QuadraticEnergy.deltaEnergyFlip). Each ΔE is the fresh sum
 * h = b_i + Σ_j w_ij s_j in j order, as deltaEnergyFlip computes it; four sites' sums run
 * side by side (four independent chains of additions, each in its own order, so the same
 * bits), and once a site's flip is accepted the later sums of the group are summed again
 * from the new state. The rows of sites a … b−1 are at `rows` (row a first). The energy
 * (f64, byte 40) and the accepted and proposed counts (f64, bytes 48 and 56) are updated.
 */
const metro = `
  (func $dot (param $w i32) (param $x i32) (param $n i32) (param $h f64) (result f64)
    (local $end i32)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $w) (local.get $end)))
      (local.set $h (f64.add (local.get $h) (f64.mul (f64.load (local.get $w)) (f64.load (local.get $x)))))
      (local.set $w (i32.add (local.get $w) (i32.const 8)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $l)))
    (local.get $h))

  (func (export "metroBlock") (param $x i32) (param $bias i32) (param $rows i32) (param $a i32) (param $b i32) (param $n i32)
      (param $spin i32) (param $temp f64) (param $zeroCost f64)
    (local $i i32) (local $q i32) (local $g i32) (local $stale i32) (local $rowb i32) (local $j i32) (local $xp i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $xj f64)
    (local $h0 f64) (local $h1 f64) (local $h2 f64) (local $h3 f64) (local $h f64) (local $xi f64) (local $de f64) (local $lr f64)
    (local $u f64) (local $e f64) (local $acc f64) (local $prop f64)
    (local $r0 i64) (local $r1 i64) (local $ra i64) (local $ua i32) (local $ub i32)
    (local.set $r0 (i64.load (i32.const 0)))
    (local.set $r1 (i64.load (i32.const 8)))
    (local.set $e (f64.load (i32.const 40)))
    (local.set $acc (f64.load (i32.const 48)))
    (local.set $prop (f64.load (i32.const 56)))
    (local.set $rowb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (local.get $a))
    (block $done (loop $group
      (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
      (local.set $g (i32.sub (local.get $b) (local.get $i)))
      (if (i32.gt_u (local.get $g) (i32.const 4)) (then (local.set $g (i32.const 4))))
      ;; the group's sums, four chains side by side (rows past the group's end repeat the last one; unused)
      (local.set $w0 (i32.add (local.get $rows) (i32.mul (i32.sub (local.get $i) (local.get $a)) (local.get $rowb))))
      (local.set $w1 (select (i32.add (local.get $w0) (local.get $rowb)) (local.get $w0) (i32.gt_u (local.get $g) (i32.const 1))))
      (local.set $w2 (select (i32.add (local.get $w1) (local.get $rowb)) (local.get $w1) (i32.gt_u (local.get $g) (i32.const 2))))
      (local.set $w3 (select (i32.add (local.get $w2) (local.get $rowb)) (local.get $w2) (i32.gt_u (local.get $g) (i32.const 3))))
      (local.set $h0 (f64.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $h1 (f64.load offset=8 (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $h2 (f64.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $h3 (f64.load offset=24 (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $xp (local.get $x))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $rowb)))
        (local.set $xj (f64.load (local.get $xp)))
        (local.set $h0 (f64.add (local.get $h0) (f64.mul (f64.load (i32.add (local.get $w0) (local.get $j))) (local.get $xj))))
        (local.set $h1 (f64.add (local.get $h1) (f64.mul (f64.load (i32.add (local.get $w1) (local.get $j))) (local.get $xj))))
        (local.set $h2 (f64.add (local.get $h2) (f64.mul (f64.load (i32.add (local.get $w2) (local.get $j))) (local.get $xj))))
        (local.set $h3 (f64.add (local.get $h3) (f64.mul (f64.load (i32.add (local.get $w3) (local.get $j))) (local.get $xj))))
        (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jl)))
      (local.set $stale (i32.const 0))
      (local.set $q (i32.const 0))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $q) (local.get $g)))
        (local.set $h
          (if (result f64) (local.get $stale)
            (then (call $dot
              (i32.add (local.get $rows) (i32.mul (i32.sub (i32.add (local.get $i) (local.get $q)) (local.get $a)) (local.get $rowb)))
              (local.get $x) (local.get $n)
              (f64.load (i32.add (local.get $bias) (i32.shl (i32.add (local.get $i) (local.get $q)) (i32.const 3))))))
            (else
              (select (local.get $h0)
                (select (local.get $h1) (select (local.get $h2) (local.get $h3) (i32.eq (local.get $q) (i32.const 2))) (i32.eq (local.get $q) (i32.const 1)))
                (i32.eqz (local.get $q))))))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.add (local.get $i) (local.get $q)) (i32.const 3))))
        (local.set $xi (f64.load (local.get $xp)))
        (local.set $de (f64.mul
          (if (result f64) (local.get $spin)
            (then (f64.mul (f64.const 2) (local.get $xi)))
            (else (f64.sub (f64.mul (f64.const 2) (local.get $xi)) (f64.const 1))))
          (local.get $h)))
        ;; a zero-cost flip in a sequential scan is accepted with the fixed log-ratio zeroCost
        (local.set $lr (select (local.get $zeroCost) (f64.div (f64.neg (local.get $de)) (local.get $temp)) (f64.eq (local.get $de) (f64.const 0))))
        (local.set $prop (f64.add (local.get $prop) (f64.const 1)))
        (block $rej (block $yes
          (br_if $yes (f64.ge (local.get $lr) (f64.const 0)))
          ${next('ua')}
          ${next('ub')}
          (local.set $u (f64.mul
            (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $ua) (i32.const 5))) (f64.const 67108864))
              (f64.convert_i32_u (i32.shr_u (local.get $ub) (i32.const 6))))
            ${f(1 / 9007199254740992)}))
          (br_if $rej (i32.eqz (f64.lt (local.get $u) (call $exp (local.get $lr))))))
          (local.set $acc (f64.add (local.get $acc) (f64.const 1)))
          (f64.store (local.get $xp)
            (if (result f64) (local.get $spin) (then (f64.neg (local.get $xi))) (else (f64.sub (f64.const 1) (local.get $xi)))))
          (local.set $e (f64.add (local.get $e) (local.get $de)))
          (local.set $stale (i32.const 1)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $ql)))
      (local.set $i (i32.add (local.get $i) (local.get $g)))
      (br $group)))
    (i64.store (i32.const 0) (local.get $r0))
    (i64.store (i32.const 8) (local.get $r1))
    (f64.store (i32.const 40) (local.get $e))
    (f64.store (i32.const 48) (local.get $acc))
    (f64.store (i32.const 56) (local.get $prop)))`;

/** The module text. */
export function sequentialWat() {
  return `(module
  (import "env" "mem" (memory 1 32768))
  (global $s0 (mut i64) (i64.const 0))
  (global $s1 (mut i64) (i64.const 0))
  (global $k (mut i32) (i32.const 0))
  (global $changed (mut i32) (i32.const 0))
  (global $pend (mut i32) (i32.const -1))
  (global $pendD (mut f64) (f64.const 0))
  (global $permuted (mut i32) (i32.const 0))
${addRow}
${generator}
${expSigmoid}
${hopfield}
${gibbs}
${metro}
)`;
}
