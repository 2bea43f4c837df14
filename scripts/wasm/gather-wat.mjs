// The WebAssembly text (WAT) of the gathered-row products, written by hand: a
// second, small module over the same imported memory as the SIMD kernel
// (scripts/wasm/kernel-wat.mjs), used by its `gemmSparseA`.
//
// C ← α·op(A)·op(B) + β·C for an op(A) that is mostly zeros (0/1 data, sampled
// binary states). Three steps, all over byte offsets the caller lays out:
//
// 1. `csr` gathers the non-zeros of op(A) row by row (compressed rows: row
//    starts, byte offsets of the op(B) rows they select, values), counting as it
//    goes and giving up (−1) as soon as there are more than the caller's limit:
//    the measured density picks the gathered or the dense path.
// 2. `packT` copies op(B) = Bᵀ into 8-column strips (a strip is k contiguous
//    64-byte rows), and `packS` does the same for a row-major op(B) that several
//    products read (a resident constant in the pool), so that the sums read each
//    strip as one stream rather than k lines a row of op(B) apart.
// 3. `gemmCsr` sums, for each 8-column tile of C (4 f64x2 registers) and each
//    row of op(A), the op(B) row segments that row selects. The tile loop is
//    outermost, so the k × 8 column strip of op(B) stays in cache across all rows.
//
// Exactness: each C entry is summed over the non-zeros of its op(A) row in
// ascending p from zero and finished as α·s + β·c (+0 when β = 0), exactly as
// sparseGemm in src/linalg/sparse.ts (and the naive triple loop) does; a value
// of 1 is added without multiplying when every gathered value is 1, otherwise
// each term is x·b (1·b = b exactly), so the bits are the same either way.

// The column tiles of gemmCsr (float64: w/2 f64x2 accumulators, w = 8 or 2) and of gemmCsr32
// (float32 rows: w/4 f32x4 accumulators, w = 16 or 4; each finished in float64 by halves).
const tileLoads = (w, mul, f32) =>
  Array.from({ length: f32 ? w / 4 : w / 2 }, (_, q) => {
    const t = f32 ? 'f32x4' : 'f64x2';
    const load = `(v128.load offset=${16 * q} align=${f32 ? 4 : 8} (local.get $src))`;
    return `(local.set $a${q} (${t}.add (local.get $a${q}) ${mul ? `(${t}.mul (local.get $vx) ${load})` : load}))`;
  }).join('\n            ');

/** C[i, j] = α·s + β·C[i, j] two columns at a time (float32: each accumulator's low and high halves promoted). */
const tileStores = (w, f32) =>
  Array.from({ length: w / 2 }, (_, h) => {
    let sum = `(local.get $a${h})`;
    if (f32) {
      const acc = `(local.get $a${h >> 1})`;
      sum = `(f64x2.promote_low_f32x4 ${h % 2 === 0 ? acc : `(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${acc} ${acc})`})`;
    }
    return `(v128.store offset=${16 * h} align=8 (local.get $cp)
            (f64x2.add (f64x2.mul (local.get $va) ${sum})
              (if (result v128) (local.get $bz)
                (then (v128.const i64x2 0 0))
                (else (f64x2.mul (local.get $vb) (v128.load offset=${16 * h} align=8 (local.get $cp)))))))`;
  }).join('\n          ');

/**
 * Where column j0 of op(B) starts in gemmCsr (float64): op(B) is stored as 8-column strips
 * `$sstride` bytes apart, column j0 at byte 8·(j0 mod 8) of its strip, and row p of a strip at
 * the byte offset csr gave it. A row-major op(B) is the case sstride = 64 (rows of ldb·8 bytes);
 * packed strips (packT, packS) have rows of 64 bytes and sstride = k·64.
 */
const STRIP_BASE = `(i32.add (local.get $b) (i32.add
        (i32.mul (i32.shr_u (local.get $j0) (i32.const 3)) (local.get $sstride))
        (i32.shl (i32.and (local.get $j0) (i32.const 7)) (i32.const 3))))`;

/** gemmCsr32's: op(B) in float32 strips of 16 columns (64-byte rows), `$sstride` bytes apart (k·64). */
const STRIP32_BASE = `(i32.add (local.get $b) (i32.add
        (i32.mul (i32.shr_u (local.get $j0) (i32.const 4)) (local.get $sstride))
        (i32.shl (i32.and (local.get $j0) (i32.const 15)) (i32.const 2))))`;

/**
 * Where toF32 and packT32 write entry (p, j) of op(B): float32 strips of 16 columns,
 * dst + ⌊j/16⌋·k·64 + p·64 + (j mod 16)·4 (`j` an expression).
 */
const strip32Dst = (j) => `(i32.add (local.get $dst) (i32.add
          (i32.shl (i32.mul (i32.shr_u ${j} (i32.const 4)) (local.get $k)) (i32.const 6))
          (i32.add (i32.shl (local.get $p) (i32.const 6)) (i32.shl (i32.and ${j} (i32.const 15)) (i32.const 2)))))`;

/** One column tile of width w: for every row i, C[i, j0:j0+w] = α·Σ op(B)[p, j0:j0+w] + β·C. */
function tile(w, f32 = false) {
  const zero = Array.from({ length: f32 ? w / 4 : w / 2 }, (_, q) => `(local.set $a${q} (v128.const i64x2 0 0))`).join(' ');
  const value = `(i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))`;
  return `(local.set $i (i32.const 0))
      (local.set $rs (local.get $rowStart))
      (local.set $cp (i32.add (local.get $c) (i32.shl (local.get $j0) (i32.const 3))))
      (local.set $bt ${f32 ? STRIP32_BASE : STRIP_BASE})
      (block $id (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $m)))
        ${zero}
        (local.set $t (i32.load (local.get $rs)))
        (local.set $e (i32.load offset=4 (local.get $rs)))
        (if (local.get $ones)
          (then
            (block $td (loop $tl
              (br_if $td (i32.ge_u (local.get $t) (local.get $e)))
              (local.set $src (i32.add (local.get $bt) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2))))))
            ${tileLoads(w, false, f32)}
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              (br $tl))))
          (else
            (block $td (loop $tl
              (br_if $td (i32.ge_u (local.get $t) (local.get $e)))
              (local.set $src (i32.add (local.get $bt) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2))))))
              (local.set $vx ${f32 ? `(f32x4.splat (f32.demote_f64 (f64.load ${value})))` : `(v128.load64_splat ${value})`})
            ${tileLoads(w, true, f32)}
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              (br $tl)))))
        ${tileStores(w, f32)}
        (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
        (local.set $rs (i32.add (local.get $rs) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))`;
}

/**
 * `packT32`: op(B) = Bᵀ (B stored n × k: entry (p, j) = b[j·ldb + p]), or a slice of its columns
 * (the pool rounds each chunk of columns where it sums it), rounded to single precision into the
 * 16-column strips of toF32. 8 columns at a time.
 */
const packT32Func = `
  ;; op(B) = Bᵀ rounded into float32 strips (each value rounded).
  (func (export "packT32") (param $b i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $p i32) (local $jj i32) (local $src i32) (local $d i32) (local $ldbb i32) (local $w i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $w (i32.sub (local.get $n) (local.get $j)))
      (if (i32.gt_u (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
      (local.set $p (i32.const 0))
      (block $pd (loop $pl
        (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
        ;; j is a multiple of 8, so its 8 columns stay within one 16-column strip
        (local.set $d ${strip32Dst('(local.get $j)')})
        (local.set $src (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldb)) (local.get $p)) (i32.const 3))))
        (local.set $jj (i32.const 0))
        (block $qd (loop $ql
          (br_if $qd (i32.ge_u (local.get $jj) (local.get $w)))
          (f32.store (local.get $d) (f32.demote_f64 (f64.load (local.get $src))))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
          (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
          (br $ql)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jl))))
`;

/**
 * The 8-column strips gemmCsr reads fastest (float64): op(B)'s entry (p, j) at byte
 * dst + ⌊j/8⌋·k·64 + p·64 + (j mod 8)·8, so a strip is k·64 contiguous bytes and its rows whole,
 * aligned 64-byte lines (dst 64-aligned); the last strip is padded to 8 columns (never read).
 * Summing from the strips rather than from op(B)'s rows ran 0.74–0.79× the time on the RBM
 * shapes (v·W 100×784×500 at 13% ones, h·Wᵀ 100×500×784 at 32%): a strip of a row-major op(B)
 * is k lines 4–6 KB apart, and a strip of the packed form is one stream the prefetcher follows.
 */
const STRIPS_FUNCS = `
  ;; op(B) = Bᵀ (B stored n × k: entry (p, j) = b[j·ldb + p]) into strips at dst, for p < k, j < n
  ;; (or a slice of its columns: the pool packs each chunk where it sums it). Each column of a
  ;; strip is one contiguous row of B.
  (func (export "packT") (param $b i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $jj i32) (local $w i32) (local $p i32) (local $src i32) (local $d i32) (local $sd i32)
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $w (i32.sub (local.get $n) (local.get $j)))
      (if (i32.gt_u (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
      (local.set $sd (i32.add (local.get $dst) (i32.shl (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $k)) (i32.const 6))))
      (local.set $jj (i32.const 0))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $jj) (local.get $w)))
        (local.set $src (i32.add (local.get $b) (i32.shl (i32.mul (i32.add (local.get $j) (local.get $jj)) (local.get $ldb)) (i32.const 3))))
        (local.set $d (i32.add (local.get $sd) (i32.shl (local.get $jj) (i32.const 3))))
        (local.set $p (i32.const 0))
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
          (f64.store (local.get $d) (f64.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 64)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pl)))
        (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
        (br $ql)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jl))))

  ;; A row-major op(B) (k × n at b, rows ldb apart: entry (p, j) = b[p·ldb + j]) into strips at dst.
  (func (export "packS") (param $b i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $jj i32) (local $w i32) (local $p i32) (local $src i32) (local $d i32) (local $ldbb i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $w (i32.sub (local.get $n) (local.get $j)))
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $k)) (i32.const 6))))
      (local.set $p (i32.const 0))
      (if (i32.ge_u (local.get $w) (i32.const 8))
        (then
          (block $pd (loop $pl
            (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
            (v128.store align=8 (local.get $d) (v128.load align=8 (local.get $src)))
            (v128.store offset=16 align=8 (local.get $d) (v128.load offset=16 align=8 (local.get $src)))
            (v128.store offset=32 align=8 (local.get $d) (v128.load offset=32 align=8 (local.get $src)))
            (v128.store offset=48 align=8 (local.get $d) (v128.load offset=48 align=8 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
            (local.set $d (i32.add (local.get $d) (i32.const 64)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $pl))))
        (else
          (block $pd (loop $pl
            (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $jj (i32.const 0))
            (block $qd (loop $ql
              (br_if $qd (i32.ge_u (local.get $jj) (local.get $w)))
              (f64.store (i32.add (local.get $d) (i32.shl (local.get $jj) (i32.const 3)))
                (f64.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 3)))))
              (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
              (br $ql)))
            (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
            (local.set $d (i32.add (local.get $d) (i32.const 64)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $pl)))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $jl))))
`;

const gemmCsr32Func = `
  ;; gemmCsr over single-precision rows of op(B) (the float32 kernels): op(B) in f32 strips of 16
  ;; columns at b, sstride = k·64 bytes apart (toF32 / packT32 made them; csr's offsets with rows of
  ;; 64 bytes). Each entry is summed in f32
  ;; over its row's non-zeros in ascending p — x·b in f32 with x rounded to single (1·b = b) — then
  ;; finished in f64 as α·s + β·c. Every lane is the scalar sum of its column, so a split of the
  ;; columns anywhere gives the same bits.
  (func (export "gemmCsr32") (param $m i32) (param $n i32) (param $alpha f64) (param $b i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $rowStart i32) (param $offs i32) (param $vals i32) (param $ones i32)
      (param $sstride i32)
    (local $i i32) (local $j0 i32) (local $t i32) (local $e i32) (local $rs i32) (local $cp i32) (local $bt i32) (local $src i32)
    (local $ldcb i32) (local $bz i32) (local $s f32) (local $cs f64)
    (local $va v128) (local $vb v128) (local $vx v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $bz (f64.eq (local.get $beta) (f64.const 0)))
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $vb (f64x2.splat (local.get $beta)))
    (block $jd (loop $jl
      (br_if $jd (i32.gt_u (i32.add (local.get $j0) (i32.const 16)) (local.get $n)))
      ${tile(16, true)}
      (local.set $j0 (i32.add (local.get $j0) (i32.const 16)))
      (br $jl)))
    (block $jd (loop $jl
      (br_if $jd (i32.gt_u (i32.add (local.get $j0) (i32.const 4)) (local.get $n)))
      ${tile(4, true)}
      (local.set $j0 (i32.add (local.get $j0) (i32.const 4)))
      (br $jl)))
    ;; the last n mod 4 columns, one at a time
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j0) (local.get $n)))
      (local.set $i (i32.const 0))
      (local.set $rs (local.get $rowStart))
      (local.set $cp (i32.add (local.get $c) (i32.shl (local.get $j0) (i32.const 3))))
      (local.set $bt ${STRIP32_BASE})
      (block $id (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $s (f32.const 0))
        (local.set $t (i32.load (local.get $rs)))
        (local.set $e (i32.load offset=4 (local.get $rs)))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $t) (local.get $e)))
          (local.set $s (f32.add (local.get $s)
            (f32.mul (f32.demote_f64 (f64.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
              (f32.load (i32.add (local.get $bt) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2)))))))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tl)))
        (local.set $cs (if (result f64) (local.get $bz) (then (f64.const 0)) (else (f64.mul (local.get $beta) (f64.load (local.get $cp))))))
        (f64.store (local.get $cp) (f64.add (f64.mul (local.get $alpha) (f64.promote_f32 (local.get $s))) (local.get $cs)))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
        (local.set $rs (i32.add (local.get $rs) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $j0 (i32.add (local.get $j0) (i32.const 1)))
      (br $jl))))

  ;; op(B) (k × n at b, rows ldb apart: entry (p, j) = b[p·ldb + j]), or a slice of its columns,
  ;; rounded to single precision into 16-column strips at dst (strip32Dst), four at a time.
  (func (export "toF32") (param $b i32) (param $ldb i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $p i32) (local $j i32) (local $src i32)
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $src (i32.add (local.get $b) (i32.shl (i32.mul (local.get $p) (local.get $ldb)) (i32.const 3))))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (v128.store align=4 ${strip32Dst('(local.get $j)')}
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load align=8 (local.get $src)))
            (f32x4.demote_f64x2_zero (v128.load offset=16 align=8 (local.get $src)))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jl)))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
        (f32.store ${strip32Dst('(local.get $j)')} (f32.demote_f64 (f64.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pl))))

${packT32Func}`;

/** The double whose high word is `hi` and low word 0 (fdlibm's thresholds). */
function fromHighWord(hi) {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, hi, false);
  return v.getFloat64(0, false);
}
const c = (x) => `(f64x2.splat (f64.const ${x}))`;
/** fdlibm e_exp.c's constants, as src/math/elementary.ts spells them (printed with full round-trip precision). */
const E = {
  LN2_HI: 6.93147180369123816490e-1,
  LN2_LO: 1.90821492927058770002e-10,
  INV_LN2: 1.4426950408889634074,
  P1: 1.66666666666666019037e-1,
  P2: -2.77777777770155933842e-3,
  P3: 6.61375632143793436117e-5,
  P4: -1.65339022054652515390e-6,
  P5: 4.13813679705723846039e-8,
  HALF_LN2: fromHighWord(0x3fd62e43),
  ONEHALF_LN2: fromHighWord(0x3ff0a2b2),
  TINY: fromHighWord(0x3e300000),
};

/**
 * e^z for z = −|x| ≤ 0 (two lanes), as fdlibm's exp does in src/math/elementary.ts — the
 * same operations in the same order, each lane taking its own branch by selection — so the
 * bits are those of `exp(z)` wherever |x| < 700 (exp's overflow/underflow branches, and NaN,
 * are the caller's). Reads $ax (|x|) and $z (−|x|), sets $e; uses the locals of EXP_LOCALS.
 */
const expNegAbs = `
      (local.set $tiny (f64x2.lt (local.get $ax) ${c(E.TINY)}))
      (local.set $small (f64x2.lt (local.get $ax) ${c(E.HALF_LN2)}))
      (local.set $mid (f64x2.lt (local.get $ax) ${c(E.ONEHALF_LN2)}))
      ;; k = −1 for 0.5 ln2 ≤ |z| < 1.5 ln2, else trunc(z/ln2 − 0.5) (z ≤ 0)
      (local.set $k (v128.bitselect ${c(-1)}
        (f64x2.trunc (f64x2.sub (f64x2.mul ${c(E.INV_LN2)} (local.get $z)) ${c(0.5)}))
        (local.get $mid)))
      (local.set $hi (f64x2.sub (local.get $z) (f64x2.mul (local.get $k) ${c(E.LN2_HI)})))
      (local.set $lo (f64x2.mul (local.get $k) ${c(E.LN2_LO)}))
      ;; the polynomial's argument: z itself when k = 0 (|z| < 0.5 ln2), else the reduced hi − lo
      (local.set $u (v128.bitselect (local.get $z) (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $small)))
      (local.set $t (f64x2.mul (local.get $u) (local.get $u)))
      (local.set $cc (f64x2.sub (local.get $u)
        (f64x2.mul (local.get $t)
          (f64x2.add ${c(E.P1)} (f64x2.mul (local.get $t)
            (f64x2.add ${c(E.P2)} (f64x2.mul (local.get $t)
              (f64x2.add ${c(E.P3)} (f64x2.mul (local.get $t)
                (f64x2.add ${c(E.P4)} (f64x2.mul (local.get $t) ${c(E.P5)})))))))))))
      ;; one division for both branches: (u·c)/(2 − c) is exactly −q with q = (u·c)/(c − 2)
      ;; (2 − c = −(c − 2) exactly, and rounding is symmetric), and lo − (−q) = lo + q
      (local.set $qd (f64x2.div (f64x2.mul (local.get $u) (local.get $cc)) (f64x2.sub (local.get $cc) ${c(2)})))
      ;; k = 0: 1 − ((u·c)/(c − 2) − u)
      (local.set $r0 (f64x2.sub (local.get $one) (f64x2.sub (local.get $qd) (local.get $u))))
      ;; k ≠ 0: (1 − ((lo − (u·c)/(2 − c)) − hi)) · 2^k
      (local.set $r1 (f64x2.mul
        (f64x2.sub (local.get $one)
          (f64x2.sub (f64x2.add (local.get $lo) (local.get $qd)) (local.get $hi)))
        (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k))) (v128.const i64x2 1023 1023)) (i32.const 52))))
      (local.set $e (v128.bitselect (local.get $r0) (local.get $r1) (local.get $small)))
      (local.set $e (v128.bitselect (f64x2.add (local.get $one) (local.get $z)) (local.get $e) (local.get $tiny)))`;

/** The v128 locals expNegAbs uses (besides $ax, $z, $e, $one). */
const EXP_LOCALS = '(local $small v128) (local $mid v128) (local $tiny v128) (local $k v128) (local $hi v128) (local $lo v128) (local $u v128) (local $t v128) (local $cc v128) (local $qd v128) (local $r0 v128) (local $r1 v128)';

/**
 * σ(x) = 1/(1 + e^−x) (x ≥ 0) or e^x/(1 + e^x) (x < 0) in place, two at a time, with e^z
 * (z = −|x| ≤ 0) computed as fdlibm's exp does in src/math/elementary.ts (expNegAbs), so the
 * bits are the TS sigmoid's. Lanes with |x| ≥ 700 or NaN (exp's overflow/underflow branches)
 * and an odd last element are left as they are and their indices listed for the caller.
 */
const sigmoidFunc = `
  (func (export "sigmoid") (param $x i32) (param $n i32) (param $list i32) (result i32)
    (local $p i32) (local $end i32) (local $count i32) (local $idx i32)
    (local $v v128) (local $ax v128) (local $z v128) (local $safe v128) (local $e v128) (local $one v128)
    ${EXP_LOCALS}
    (local.set $one ${c(1)})
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (v128.load align=8 (local.get $p)))
      (local.set $ax (f64x2.abs (local.get $v)))
      (local.set $z (f64x2.neg (local.get $ax)))
      (local.set $safe (f64x2.lt (local.get $ax) ${c(700)}))
      ${expNegAbs}
      ;; σ: x ≥ 0 → 1/(1 + e), else e/(1 + e)
      ;; (one division: the numerator selected per lane)
      (local.set $e (f64x2.div
        (v128.bitselect (local.get $one) (local.get $e) (f64x2.ge (local.get $v) ${c(0)}))
        (f64x2.add (local.get $one) (local.get $e))))
      (v128.store align=8 (local.get $p) (v128.bitselect (local.get $e) (local.get $v) (local.get $safe)))
      (if (i32.eqz (i64x2.all_true (local.get $safe)))
        (then
          (local.set $idx (i32.shr_u (i32.sub (local.get $p) (local.get $x)) (i32.const 3)))
          (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $safe))))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $idx))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))))
          (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $safe))))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (i32.add (local.get $idx) (i32.const 1)))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (i32.sub (local.get $n) (i32.const 1)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (local.get $count))
`;

/**
 * The terms of softplusSum (src/linalg/stable.ts) for `rows` rows of `n` values at `x`
 * (row r at x + 8·r·n), two rows at a time (one per lane; an odd last row shares the pair
 * with itself): per row, y = scale·x[j], pos += y where y > 0, prod *= 1 + e^{−|y|} (fdlibm's
 * exp, as expNegAbs) — the same operations in the same order as the TS loop, each lane its
 * own row — and the product is stored and restarted after every 512 terms. Row r writes
 * res[r·(nb + 1)] = pos and res[r·(nb + 1) + 1 + b] = the product of block b (b < nb =
 * ⌊n/512⌋ + 1; the last block may be empty, product 1). Rows where some |y| ≥ 700 or NaN
 * (exp's other branches) are listed at `list` (i32; a pair's duplicate row may be listed
 * twice) for the caller to sum in TS; the count is returned.
 */
const softplusRowsFunc = `
  (func (export "softplusRows") (param $x i32) (param $rows i32) (param $n i32) (param $scale f64) (param $res i32) (param $list i32) (result i32)
    (local $r i32) (local $rb i32) (local $p0 i32) (local $p1 i32) (local $j i32) (local $jend i32) (local $count i32)
    (local $stride i32) (local $o0 i32) (local $o1 i32) (local $nb i32) (local $b i32)
    (local $vs v128) (local $y v128) (local $ax v128) (local $z v128) (local $safe v128) (local $e v128) (local $one v128)
    (local $pos v128) (local $prod v128)
    ${EXP_LOCALS}
    (local.set $one ${c(1)})
    (local.set $vs (f64x2.splat (local.get $scale)))
    (local.set $nb (i32.add (i32.shr_u (local.get $n) (i32.const 9)) (i32.const 1)))
    (local.set $stride (i32.shl (i32.add (local.get $nb) (i32.const 1)) (i32.const 3)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $rb (i32.add (local.get $r) (i32.const 1)))
      (if (i32.ge_u (local.get $rb) (local.get $rows)) (then (local.set $rb (local.get $r))))
      (local.set $p0 (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 3))))
      (local.set $p1 (i32.add (local.get $x) (i32.shl (i32.mul (local.get $rb) (local.get $n)) (i32.const 3))))
      (local.set $o0 (i32.add (local.get $res) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $o1 (i32.add (local.get $res) (i32.mul (local.get $rb) (local.get $stride))))
      (local.set $pos (v128.const i64x2 0 0))
      (local.set $safe (v128.const i64x2 -1 -1))
      (local.set $j (i32.const 0))
      (local.set $b (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.ge_u (local.get $b) (local.get $nb)))
        (local.set $jend (i32.add (local.get $j) (i32.const 512)))
        (if (i32.gt_u (local.get $jend) (local.get $n)) (then (local.set $jend (local.get $n))))
        (local.set $prod (local.get $one))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_u (local.get $j) (local.get $jend)))
          (local.set $y (f64x2.mul (local.get $vs)
            (v128.load64_lane 1 (local.get $p1) (v128.load64_zero (local.get $p0)))))
          (local.set $ax (f64x2.abs (local.get $y)))
          (local.set $z (f64x2.neg (local.get $ax)))
          (local.set $safe (v128.and (local.get $safe) (f64x2.lt (local.get $ax) ${c(700)})))
          ${expNegAbs}
          (local.set $pos (f64x2.add (local.get $pos)
            (v128.and (local.get $y) (f64x2.gt (local.get $y) (v128.const i64x2 0 0)))))
          (local.set $prod (f64x2.mul (local.get $prod) (f64x2.add (local.get $one) (local.get $e))))
          (local.set $p0 (i32.add (local.get $p0) (i32.const 8)))
          (local.set $p1 (i32.add (local.get $p1) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        ;; the block's product (one per 512 terms; the last block may be empty: 1)
        (local.set $o0 (i32.add (local.get $o0) (i32.const 8)))
        (local.set $o1 (i32.add (local.get $o1) (i32.const 8)))
        (v128.store64_lane 0 (local.get $o0) (local.get $prod))
        (v128.store64_lane 1 (local.get $o1) (local.get $prod))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl)))
      (local.set $o0 (i32.add (local.get $res) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $o1 (i32.add (local.get $res) (i32.mul (local.get $rb) (local.get $stride))))
      (v128.store64_lane 0 (local.get $o0) (local.get $pos))
      (v128.store64_lane 1 (local.get $o1) (local.get $pos))
      (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $safe))))
        (then
          (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $r))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))))
      (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $safe))))
        (then
          (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $rb))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $rl)))
    (local.get $count))
`;

/**
 * One xoroshiro128+ step (pure-rand's, as src/random/random.ts uses it) on the i64 locals
 * $s0, $s1: leaves the low 32 bits of s0 + s1 (the engine's 32-bit output) in $out.
 */
const nextWord = `
      (local.set $out (i64.and (i64.add (local.get $s0) (local.get $s1)) (i64.const 0xffffffff)))
      (local.set $s1 (i64.xor (local.get $s1) (local.get $s0)))
      (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $s1)) (i64.shl (local.get $s1) (i64.const 16))))
      (local.set $s1 (i64.rotl (local.get $s1) (i64.const 37)))`;

/** Random.float64(): (out₁ >>> 5)·2²⁶ + (out₂ >>> 6), times 2⁻⁵³ (exact), into the f64 local `dst`. */
const nextUniform = (dst) => `${nextWord}
      (local.set $hiw (i64.shr_u (local.get $out) (i64.const 5)))${nextWord}
      (local.set ${dst} (f64.mul (f64.convert_i64_u (i64.or (i64.shl (local.get $hiw) (i64.const 26)) (i64.shr_u (local.get $out) (i64.const 6)))) (f64.const 0x1p-53)))`;

/**
 * A cheap e^{−a} for 0 ≤ a < 700 (two lanes), for the decisions of bernoulliSigmoid only:
 * a = k·ln2 − r with k = nearest(a/ln2) (k ≤ 1010, so 2^−k is a normal double) and |r| ≤ ln2/2
 * (up to the rounding of k·ln2, below 1e-13 absolute), e^r by its Taylor polynomial of degree 4
 * in Estrin's form (remainder below (ln2/2)^5/5!·e^{ln2/2} ≈ 5.9e-5, relative to e^r ≥ e^{−ln2/2}
 * below 8.4e-5), then times 2^−k (exact). So the result is e^{−a}·(1 + η) with |η| < 1e-4.
 * Reads $ax, sets $ea.
 */
/** 1023 + the bit pattern of 1.5·2^52 (as an unsigned 64-bit integer). */
const MAGIC_PLUS_BIAS = (1023n + new BigUint64Array(new Float64Array([1.5 * 2 ** 52]).buffer)[0]).toString();

const expNegAbsCheap = `
      ;; k = nearest(a/ln2) by the 1.5·2^52 trick: the sum's low mantissa bits are k
      (local.set $kb (f64x2.add (f64x2.mul (local.get $ax) ${c(Math.LOG2E)}) ${c(1.5 * 2 ** 52)}))
      (local.set $kf (f64x2.sub (local.get $kb) ${c(1.5 * 2 ** 52)}))
      (local.set $r (f64x2.sub (f64x2.mul (local.get $kf) ${c(Math.LN2)}) (local.get $ax)))
      (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $ea (f64x2.add
        (f64x2.add ${c(1)} (local.get $r))
        (f64x2.mul (local.get $r2)
          (f64x2.add
            (f64x2.add ${c(1 / 2)} (f64x2.mul (local.get $r) ${c(1 / 6)}))
            (f64x2.mul (local.get $r2) ${c(1 / 24)})))))
      ;; 2^−k: exponent field 1023 − k = (1023 + bits(1.5·2^52) − bits(kb)) mod 2^12, shifted into place
      (local.set $ea (f64x2.mul (local.get $ea)
        (i64x2.shl (i64x2.sub (v128.const i64x2 ${MAGIC_PLUS_BIAS} ${MAGIC_PLUS_BIAS}) (local.get $kb)) (i32.const 52))))`;

/**
 * The relative margin of bernoulliSigmoid's cheap decisions: 2^−11 ≈ 4.9e-4, above the 2e-4 it
 * must cover (see there); about one draw in 10³ then needs σ exactly.
 */
const DECIDE_MARGIN = 2 ** -11;

const bernoulliSigmoidFunc = `
  (func (export "bernoulliSigmoid") (param $x i32) (param $n i32) (param $scale f64) (param $outp i32) (param $state i32) (param $list i32) (result i32)
    (local $p i32) (local $q i32) (local $end i32) (local $count i32) (local $idx i32)
    (local $s0 i64) (local $s1 i64) (local $out i64) (local $hiw i64) (local $u0 f64) (local $u1 f64)
    (local $v v128) (local $ax v128) (local $z v128) (local $safe v128) (local $e v128) (local $one v128) (local $vs v128) (local $uu v128)
    (local $kb v128) (local $kf v128) (local $r v128) (local $r2 v128) (local $ea v128) (local $lhs v128) (local $rhs v128) (local $yes v128) (local $no v128) (local $res v128)
    ${EXP_LOCALS}
    (local.set $one ${c(1)})
    (local.set $vs (f64x2.splat (local.get $scale)))
    (local.set $s0 (i64.or (i64.shl (i64.extend_i32_u (i32.load (local.get $state))) (i64.const 32)) (i64.extend_i32_u (i32.load offset=4 (local.get $state)))))
    (local.set $s1 (i64.or (i64.shl (i64.extend_i32_u (i32.load offset=8 (local.get $state))) (i64.const 32)) (i64.extend_i32_u (i32.load offset=12 (local.get $state)))))
    (local.set $p (local.get $x))
    (local.set $q (local.get $outp))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (f64x2.mul (local.get $vs) (v128.load align=8 (local.get $p))))
      (local.set $ax (f64x2.abs (local.get $v)))
      (local.set $safe (f64x2.lt (local.get $ax) ${c(700)}))
      ${nextUniform('$u0')}
      ${nextUniform('$u1')}
      (local.set $uu (f64x2.replace_lane 1 (f64x2.splat (local.get $u0)) (local.get $u1)))
      ;; the cheap test: L = u·(1 + ẽ) against R = 1 (t ≥ 0) or ẽ (t < 0), with the margin
      ${expNegAbsCheap}
      (local.set $lhs (f64x2.mul (local.get $uu) (f64x2.add (local.get $one) (local.get $ea))))
      (local.set $rhs (v128.bitselect (local.get $one) (local.get $ea) (f64x2.ge (local.get $v) ${c(0)})))
      (local.set $yes (f64x2.lt (local.get $lhs) (f64x2.mul (local.get $rhs) ${c(1 - DECIDE_MARGIN)})))
      (local.set $no (f64x2.gt (local.get $lhs) (f64x2.mul (local.get $rhs) ${c(1 + DECIDE_MARGIN)})))
      (local.set $res (v128.and (local.get $yes) (local.get $one)))
      (if (i32.eqz (i64x2.all_true (v128.or (v128.or (local.get $yes) (local.get $no)) (v128.not (local.get $safe)))))
        (then
          ;; a lane the test cannot decide (about one in 10³): σ exactly, as the sigmoid export
          (local.set $z (f64x2.neg (local.get $ax)))
          ${expNegAbs}
          (local.set $e (f64x2.div
            (v128.bitselect (local.get $one) (local.get $e) (f64x2.ge (local.get $v) ${c(0)}))
            (f64x2.add (local.get $one) (local.get $e))))
          (local.set $res (v128.and (f64x2.lt (local.get $uu) (local.get $e)) (local.get $one)))))
      (v128.store align=8 (local.get $q) (v128.bitselect (local.get $res) (local.get $uu) (local.get $safe)))
      (if (i32.eqz (i64x2.all_true (local.get $safe)))
        (then
          (local.set $idx (i32.shr_u (i32.sub (local.get $p) (local.get $x)) (i32.const 3)))
          (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $safe))))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $idx))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))))
          (if (i32.eqz (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $safe))))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (i32.add (local.get $idx) (i32.const 1)))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        ${nextUniform('$u0')}
        (f64.store (local.get $q) (local.get $u0))
        (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (i32.sub (local.get $n) (i32.const 1)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (i32.store (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $s0) (i64.const 32))))
    (i32.store offset=4 (local.get $state) (i32.wrap_i64 (local.get $s0)))
    (i32.store offset=8 (local.get $state) (i32.wrap_i64 (i64.shr_u (local.get $s1) (i64.const 32))))
    (i32.store offset=12 (local.get $state) (i32.wrap_i64 (local.get $s1)))
    (local.get $count))
`;

/** The module text; `shared` imports a shared memory (the worker pool's, whose threads split gemmCsr's columns). */
export function gatherWat({ shared = false } = {}) {
  return `(module
  (import "env" "mem" (memory 1 32768 ${shared ? 'shared' : ''}))
  (global $ones (mut i32) (i32.const 1))

  ;; 1 when every value the last csr gathered is exactly 1.
  (func (export "allOnes") (result i32) (global.get $ones))

  ;; Gathers the non-zeros (NaN included) of op(A) (m × k; a stored k × m when ta) row by row:
  ;; rowStart[i] (i32, m + 1 of them), offs[t] = p·brow (i32 byte offset of op(B) row p),
  ;; vals[t] (f64). Returns the count, or −1 as soon as it exceeds limit (checked after each row).
  (func (export "csr") (param $ta i32) (param $m i32) (param $k i32) (param $a i32) (param $lda i32)
      (param $limit i32) (param $brow i32) (param $rowStart i32) (param $offs i32) (param $vals i32) (result i32)
    (local $i i32) (local $p i32) (local $ap i32) (local $astep i32) (local $nz i32) (local $off i32) (local $x f64) (local $ones i32) (local $nzb i32)
    (local.set $ones (i32.const 1))
    (local.set $astep (if (result i32) (local.get $ta) (then (i32.shl (local.get $lda) (i32.const 3))) (else (i32.const 8))))
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $m)))
      (i32.store (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2))) (local.get $nz))
      (local.set $ap (i32.add (local.get $a)
        (if (result i32) (local.get $ta)
          (then (i32.shl (local.get $i) (i32.const 3)))
          (else (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 3))))))
      (local.set $p (i32.const 0))
      (local.set $off (i32.const 0))
      (block $pd (loop $pl
        (br_if $pd (i32.ge_u (local.get $p) (local.get $k)))
        ;; branch-free (a sparse 0/1 operand mispredicts a branch per entry): the entry is written
        ;; at slot nz whatever it is, and nz advances only past a non-zero, so a zero's slot is
        ;; overwritten by the next entry. The slot written is at most the count of entries
        ;; scanned so far minus one, and a row's scan starts at most at limit, so the writes stay
        ;; within the min(m·k, limit + k) slots the caller allocates.
        (local.set $x (f64.load (local.get $ap)))
        (local.set $nzb (f64.ne (local.get $x) (f64.const 0)))
        (i32.store (i32.add (local.get $offs) (i32.shl (local.get $nz) (i32.const 2))) (local.get $off))
        (f64.store (i32.add (local.get $vals) (i32.shl (local.get $nz) (i32.const 3))) (local.get $x))
        (local.set $ones (i32.and (local.get $ones) (i32.or (f64.eq (local.get $x) (f64.const 1)) (i32.eqz (local.get $nzb)))))
        (local.set $nz (i32.add (local.get $nz) (local.get $nzb)))
        (local.set $ap (i32.add (local.get $ap) (local.get $astep)))
        (local.set $off (i32.add (local.get $off) (local.get $brow)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl)))
      (if (i32.gt_u (local.get $nz) (local.get $limit)) (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il)))
    (i32.store (i32.add (local.get $rowStart) (i32.shl (local.get $m) (i32.const 2))) (local.get $nz))
    (global.set $ones (local.get $ones))
    (local.get $nz))

${STRIPS_FUNCS}
  ;; C[i, :] = α·Σ_{t in row i} vals[t]·op(B)[offs[t]] + β·C[i, :] over the gathered rows
  ;; (b: op(B)'s first strip of 8 columns, the strips sstride bytes apart, the rows of a strip at
  ;; the byte offsets in offs: a row-major op(B) with sstride = 64, or the strips of packT/packS
  ;; with rows of 64 bytes and sstride = k·64; c, ldc as in GEMM).
  ;; ones: 1 when every gathered value is 1 (allOnes() after csr — passed in, so that another
  ;; instance over the same shared memory, on another thread, can sum a slice of the columns).
  (func (export "gemmCsr") (param $m i32) (param $n i32) (param $alpha f64) (param $b i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $rowStart i32) (param $offs i32) (param $vals i32) (param $ones i32)
      (param $sstride i32)
    (local $i i32) (local $j0 i32) (local $t i32) (local $e i32) (local $rs i32) (local $cp i32) (local $bt i32) (local $src i32)
    (local $ldcb i32) (local $bz i32) (local $s f64) (local $cs f64)
    (local $va v128) (local $vb v128) (local $vx v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $bz (f64.eq (local.get $beta) (f64.const 0)))
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $vb (f64x2.splat (local.get $beta)))
    ;; 8-wide tiles
    (block $jd (loop $jl
      (br_if $jd (i32.gt_u (i32.add (local.get $j0) (i32.const 8)) (local.get $n)))
      ${tile(8)}
      (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
      (br $jl)))
    ;; 2-wide tiles
    (block $jd (loop $jl
      (br_if $jd (i32.gt_u (i32.add (local.get $j0) (i32.const 2)) (local.get $n)))
      ${tile(2)}
      (local.set $j0 (i32.add (local.get $j0) (i32.const 2)))
      (br $jl)))
    ;; the last column when n is odd
    (if (i32.lt_u (local.get $j0) (local.get $n))
      (then
        (local.set $i (i32.const 0))
        (local.set $rs (local.get $rowStart))
        (local.set $cp (i32.add (local.get $c) (i32.shl (local.get $j0) (i32.const 3))))
        (local.set $bt ${STRIP_BASE})
        (block $id (loop $il
          (br_if $id (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $s (f64.const 0))
          (local.set $t (i32.load (local.get $rs)))
          (local.set $e (i32.load offset=4 (local.get $rs)))
          (block $td (loop $tl
            (br_if $td (i32.ge_u (local.get $t) (local.get $e)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3))))
                (f64.load (i32.add (local.get $bt) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2)))))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tl)))
          (local.set $cs (if (result f64) (local.get $bz) (then (f64.const 0)) (else (f64.mul (local.get $beta) (f64.load (local.get $cp))))))
          (f64.store (local.get $cp) (f64.add (f64.mul (local.get $alpha) (local.get $s)) (local.get $cs)))
          (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
          (local.set $rs (i32.add (local.get $rs) (i32.const 4)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $il))))))
${gemmCsr32Func}
${sigmoidFunc}
${softplusRowsFunc}
${bernoulliSigmoidFunc}
)`;
}
