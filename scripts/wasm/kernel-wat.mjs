// The WebAssembly text (WAT) of the SIMD kernel, written by hand. The only
// thing generated is the unrolling of the MR×NR register tile of the GEMM
// micro-kernel (MR·NR/2 f64x2 accumulators) and of the panel copies, so the
// tile shape can be changed in one place; everything else is plain WAT.
//
// Memory is imported (`env.mem`) so that JS owns the layout: the caller passes
// byte offsets of the operands and of a per-thread workspace. The `shared`
// variant imports a shared memory so that worker threads can run the same
// code over the same operands (see src/node/wasm-pool.ts).
//
// GEMM follows the GotoBLAS loop nest: for each NC-wide column block of op(B)
// and each KC-deep slice of k, pack op(B) into NR-wide panels; for each MC-tall
// block of op(A), pack α·op(A) into MR-tall panels; then run the micro-kernel
// on every MR×NR tile, adding the tile's partial sums into C. Every C entry is
// accumulated in the same order (p ascending within a KC slice, slices in
// order) whatever the tile, block or thread, so splitting the output over
// threads gives bit-identical results.

/** Tile and block sizes (elements; U = unrolling of the k loop). NR must be even; MR·NR ≤ 128. */
export const DEFAULTS = { MR: 4, NR: 4, KC: 256, MC: 64, NC: 1024, U: 1, MR32: 4, splatLoad: false };

/**
 * Tile changes of the fused multiply–add variant: 6-tall register tiles (12
 * f64x2 or f32x4 accumulators instead of 8). A fused multiply–add has a longer
 * latency than the add it replaces, so more independent accumulators are needed
 * to keep the FMA units busy; the unfused kernel is slower with 6 (register
 * spills of the products). Measured at 256³ on one loaded Zen 5 core, best of
 * 150 in one run: f64 4×4 unfused 19.7–21.3 GFLOP/s, FMA 4×4 22.7–24.3, FMA 6×4
 * 27.1–28.8; f32 4×8 unfused 37.3, FMA 4×8 42.0, FMA 6×8 47.9. `splatLoad`: the
 * A element is broadcast by `v128.load64_splat` / `load32_splat` (one load, no
 * shuffle) rather than a scalar load and a splat: FMA 26.7–27.8 → 27.6–27.8
 * (and the unfused kernel 20.2 → 21.8–22.1, left unchanged here: its module
 * is the default's).
 */
export const FMA_DEFAULTS = { MR: 6, MC: 60, MR32: 6, splatLoad: true };

const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * The edge-tile tail of a micro-kernel: C[i, j] += spilled accumulator (i, j)
 * for i < $h, j < $w, the accumulators spilled row-major (NR per row) at $tmp —
 * f64 as they are, or f32 promoted and scaled by $alpha.
 */
function edgeTile(NR, f32) {
  const spilled = `(i32.add (local.get $tmp)
              (i32.shl (i32.add (i32.mul (local.get $i) (i32.const ${NR})) (local.get $j)) (i32.const ${f32 ? 2 : 3})))`;
  const value = f32 ? `(f64.mul (local.get $alpha) (f64.promote_f32 (f32.load ${spilled})))` : `(f64.load ${spilled})`;
  return `(block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $h)))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $w)))
        (local.set $end (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $end) (f64.add (f64.load (local.get $end)) ${value}))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il)))`;
}

/**
 * One accumulator update acc ← acc + a·b of a micro-kernel: multiply, round,
 * add, round (`fma` false: the exact kernels' arithmetic), or relaxed SIMD's
 * fused multiply–add, `relaxed_madd(a, b, acc)`, which an engine with
 * hardware FMA rounds once (and one without may round twice; either way the
 * same engine on the same CPU gives the same bits every time).
 */
function madd(type, acc, a, b, fma) {
  return fma ? `(${type}.relaxed_madd ${a} ${b} ${acc})` : `(${type}.add ${acc} (${type}.mul ${a} ${b}))`;
}

function microKernel(MR, NR, U = 1, fma = false, splatLoad = false) {
  const NV = NR / 2;
  const acc = (i, j) => `$c${i}_${j}`;
  const locals = [];
  for (const i of range(MR)) for (const j of range(NV)) locals.push(`(local ${acc(i, j)} v128)`);
  for (const j of range(NV)) locals.push(`(local $b${j} v128)`);
  // one step of p at byte offsets (oa, ob) from $pa, $pb
  const step = (oa, ob) => {
    const out = [];
    for (const j of range(NV)) out.push(`(local.set $b${j} (v128.load offset=${ob + j * 16} align=8 (local.get $pb)))`);
    for (const i of range(MR)) {
      out.push(
        splatLoad
          ? `(local.set $a (v128.load64_splat offset=${oa + i * 8} (local.get $pa)))`
          : `(local.set $a (f64x2.splat (f64.load offset=${oa + i * 8} (local.get $pa))))`,
      );
      for (const j of range(NV)) {
        out.push(
          `(local.set ${acc(i, j)} ${madd('f64x2', `(local.get ${acc(i, j)})`, '(local.get $a)', `(local.get $b${j})`, fma)})`,
        );
      }
    }
    return out;
  };
  const body = step(0, 0);
  const unrolled = range(U).flatMap((u) => step(u * MR * 8, u * NR * 8));
  const full = [];
  for (const i of range(MR)) {
    for (const j of range(NV)) {
      full.push(
        `(v128.store offset=${j * 16} align=8 (local.get $cp) (f64x2.add (v128.load offset=${j * 16} align=8 (local.get $cp)) (local.get ${acc(i, j)})))`,
      );
    }
    full.push('(local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))');
  }
  const spill = [];
  for (const i of range(MR)) {
    for (const j of range(NV)) {
      spill.push(`(v128.store offset=${(i * NR + j * 2) * 8} align=8 (local.get $tmp) (local.get ${acc(i, j)}))`);
    }
  }
  return `
  ;; C[h×w tile at $c] += Σ_p Apanel[p, 0:MR] ⊗ Bpanel[p, 0:NR] over p < kc.
  (func $micro (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldcb i32)
               (param $h i32) (param $w i32) (param $tmp i32)
    (local $a v128) (local $cp i32) (local $i i32) (local $j i32) (local $end i32)
    ${locals.join(' ')}
    (local.set $end (i32.add (local.get $pb) (i32.mul (local.get $kc) (i32.const ${NR * 8}))))
    ${U > 1 ? `(block $udone (loop $up
      (br_if $udone (i32.gt_u (i32.add (local.get $pb) (i32.const ${U * NR * 8})) (local.get $end)))
      ${unrolled.join('\n      ')}
      (local.set $pa (i32.add (local.get $pa) (i32.const ${U * MR * 8})))
      (local.set $pb (i32.add (local.get $pb) (i32.const ${U * NR * 8})))
      (br $up)))` : ''}
    (block $done (loop $p
      (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
      ${body.join('\n      ')}
      (local.set $pa (i32.add (local.get $pa) (i32.const ${MR * 8})))
      (local.set $pb (i32.add (local.get $pb) (i32.const ${NR * 8})))
      (br $p)))
    (local.set $cp (local.get $c))
    (if (i32.and (i32.eq (local.get $h) (i32.const ${MR})) (i32.eq (local.get $w) (i32.const ${NR})))
      (then
        ${full.join('\n        ')}
        (return)))
    ;; edge tile: spill the accumulators, add the h×w corner
    ${spill.join('\n    ')}
    ${edgeTile(NR, false)})`;
}

/**
 * The two inner loops of every GEMM variant: over NR-wide column panels (jr) of
 * a `width`-column block and MR-tall row panels (ir) of an mc-row block, one
 * micro-kernel call per tile. `a`/`b` name the locals holding the packed panels,
 * `shift` is log2 of their element size, `colOffset` adds $jc to the C column,
 * `alpha` passes $alpha to the micro-kernel (the float32 one scales there).
 */
function tileLoops({ micro, a, b, width, shift, colOffset, alpha = false, MR, NR }) {
  const col = colOffset ? '(i32.add (local.get $jc) (local.get $jr))' : '(local.get $jr)';
  return `(local.set $jr (i32.const 0))
    (block $jrd (loop $jrl
      (br_if $jrd (i32.ge_u (local.get $jr) (local.get ${width})))
      (local.set $w (i32.sub (local.get ${width}) (local.get $jr)))
      (if (i32.gt_u (local.get $w) (i32.const ${NR})) (then (local.set $w (i32.const ${NR}))))
      (local.set $ir (i32.const 0))
      (block $ird (loop $irl
        (br_if $ird (i32.ge_u (local.get $ir) (local.get $mc)))
        (local.set $h (i32.sub (local.get $mc) (local.get $ir)))
        (if (i32.gt_u (local.get $h) (i32.const ${MR})) (then (local.set $h (i32.const ${MR}))))
        (call ${micro} (local.get $kc)
          (i32.add (local.get ${a}) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const ${shift})))
          (i32.add (local.get ${b}) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const ${shift})))
          (i32.add (local.get $c) (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldcb))
                                           (i32.shl ${col} (i32.const 3))))
          (local.get $ldcb) (local.get $h) (local.get $w) (local.get $ws)${alpha ? ' (local.get $alpha)' : ''})
        (local.set $ir (i32.add (local.get $ir) (i32.const ${MR})))
        (br $irl)))
      (local.set $jr (i32.add (local.get $jr) (i32.const ${NR})))
      (br $jrl)))`;
}

/**
 * A GotoBLAS GEMM export: for each NC-wide column block of op(B) and KC-deep
 * slice of k, pack op(B) into NR-wide panels; for each MC-tall block of op(A),
 * pack op(A) into MR-tall panels; then the tile loops. `f32`: the float32
 * variant (4-byte packed elements, α applied in the micro-kernel rather than
 * while packing A, and the float32 packer's transposition flag for B).
 */
function gemmFunc({ name, f32, packA, packB, micro, MR, NR, KC, MC, NC }) {
  const elem = f32 ? 4 : 8;
  const packBTrans = f32 ? '(i32.eqz (local.get $tb))' : '(local.get $tb)';
  return `  (func (export "${name}") (param $ta i32) (param $tb i32) (param $m i32) (param $n i32) (param $k i32)
      (param $alpha f64) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $ws i32)
    (local $ldab i32) (local $ldbb i32) (local $ldcb i32) (local $pA i32) (local $pB i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $w i32) (local $h i32) (local $ptr i32)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (call $scaleC (local.get $m) (local.get $n) (local.get $beta) (local.get $c) (local.get $ldcb))
    (if (i32.or (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n)))
                (i32.or (i32.eqz (local.get $k)) (f64.eq (local.get $alpha) (f64.const 0))))
      (then (return)))
    (local.set $pA (i32.add (local.get $ws) (i32.const 1024)))
    (local.set $pB (i32.add (local.get $pA) (i32.const ${MC * KC * elem})))
    (block $jcd (loop $jcl
      (br_if $jcd (i32.ge_u (local.get $jc) (local.get $n)))
      (local.set $nc (i32.sub (local.get $n) (local.get $jc)))
      (if (i32.gt_u (local.get $nc) (i32.const ${NC})) (then (local.set $nc (i32.const ${NC}))))
      (local.set $pc (i32.const 0))
      (block $pcd (loop $pcl
        (br_if $pcd (i32.ge_u (local.get $pc) (local.get $k)))
        (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
        (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
        (local.set $ptr (i32.add (local.get $b) (i32.shl
          (if (result i32) (local.get $tb)
            (then (i32.add (i32.mul (local.get $jc) (local.get $ldb)) (local.get $pc)))
            (else (i32.add (i32.mul (local.get $pc) (local.get $ldb)) (local.get $jc))))
          (i32.const 3))))
        (call ${packB} (local.get $ptr) (local.get $ldbb) ${packBTrans} (local.get $kc) (local.get $nc) (local.get $pB))
        (local.set $ic (i32.const 0))
        (block $icd (loop $icl
          (br_if $icd (i32.ge_u (local.get $ic) (local.get $m)))
          (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
          (if (i32.gt_u (local.get $mc) (i32.const ${MC})) (then (local.set $mc (i32.const ${MC}))))
          (local.set $ptr (i32.add (local.get $a) (i32.shl
            (if (result i32) (local.get $ta)
              (then (i32.add (i32.mul (local.get $pc) (local.get $lda)) (local.get $ic)))
              (else (i32.add (i32.mul (local.get $ic) (local.get $lda)) (local.get $pc))))
            (i32.const 3))))
          (call ${packA} (local.get $ptr) (local.get $ldab) (local.get $ta) (local.get $kc) (local.get $mc)${f32 ? '' : ' (local.get $alpha)'} (local.get $pA))
          ${tileLoops({ micro, a: '$pA', b: '$pB', width: '$nc', shift: f32 ? 2 : 3, colOffset: true, alpha: f32, MR, NR })}
          (local.set $ic (i32.add (local.get $ic) (i32.const ${MC})))
          (br $icl)))
        (local.set $pc (i32.add (local.get $pc) (i32.const ${KC})))
        (br $pcl)))
      (local.set $jc (i32.add (local.get $jc) (i32.const ${NC})))
      (br $jcl))))`;
}

function packB(NR) {
  const copies = range(NR / 2)
    .map((j) => `(v128.store offset=${j * 16} align=8 (local.get $d) (v128.load offset=${j * 16} align=8 (local.get $src)))`)
    .join('\n                ');
  return `
  ;; Packs op(B)[0:kc, 0:nc] (op(B)(p, j) at b + p·ldb + j, or b + j·ldb + p when
  ;; transposed; ldb in bytes) into NR-wide panels, each kc × NR row-major, zero-padded.
  (func $packB (param $b i32) (param $ldbb i32) (param $tb i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $j0 i32) (local $w i32) (local $p i32) (local $jj i32) (local $src i32) (local $d i32)
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j0) (local.get $nc)))
      (local.set $w (i32.sub (local.get $nc) (local.get $j0)))
      (if (i32.gt_u (local.get $w) (i32.const ${NR})) (then (local.set $w (i32.const ${NR}))))
      (if (local.get $tb)
        (then
          (local.set $jj (i32.const 0))
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $jj) (i32.const ${NR})))
            (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 3))))
            (local.set $p (i32.const 0))
            (if (i32.lt_u (local.get $jj) (local.get $w))
              (then
                (local.set $src (i32.add (local.get $b) (i32.mul (i32.add (local.get $j0) (local.get $jj)) (local.get $ldbb))))
                (block $pd (loop $pl
                  (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                  (f64.store (local.get $d) (f64.load (local.get $src)))
                  (local.set $src (i32.add (local.get $src) (i32.const 8)))
                  (local.set $d (i32.add (local.get $d) (i32.const ${NR * 8})))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $pl))))
              (else
                (block $zd (loop $zl
                  (br_if $zd (i32.ge_u (local.get $p) (local.get $kc)))
                  (f64.store (local.get $d) (f64.const 0))
                  (local.set $d (i32.add (local.get $d) (i32.const ${NR * 8})))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $zl)))))
            (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
            (br $cl))))
        (else
          (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j0) (i32.const 3))))
          (local.set $d (local.get $dst))
          (local.set $p (i32.const 0))
          (if (i32.eq (local.get $w) (i32.const ${NR}))
            (then
              (block $pd (loop $pl
                (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                ${copies}
                (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
                (local.set $d (i32.add (local.get $d) (i32.const ${NR * 8})))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pl))))
            (else
              (block $pd (loop $pl
                (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                (local.set $jj (i32.const 0))
                (block $cd (loop $cl
                  (br_if $cd (i32.ge_u (local.get $jj) (i32.const ${NR})))
                  (f64.store (i32.add (local.get $d) (i32.shl (local.get $jj) (i32.const 3)))
                    (if (result f64) (i32.lt_u (local.get $jj) (local.get $w))
                      (then (f64.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 3)))))
                      (else (f64.const 0))))
                  (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                  (br $cl)))
                (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
                (local.set $d (i32.add (local.get $d) (i32.const ${NR * 8})))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pl)))))))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${NR * 8}))))
      (local.set $j0 (i32.add (local.get $j0) (i32.const ${NR})))
      (br $jl))))`;
}

function packA(MR) {
  const scaled = range(MR)
    .map((i) => `(f64.store offset=${i * 8} (local.get $d) (f64.mul (local.get $alpha) (f64.load offset=${i * 8} (local.get $src))))`)
    .join('\n                ');
  return `
  ;; Packs α·op(A)[0:mc, 0:kc] (op(A)(i, p) at a + i·lda + p, or a + p·lda + i when
  ;; transposed; lda in bytes) into MR-tall panels, each kc × MR row-major, zero-padded.
  (func $packA (param $a i32) (param $ldab i32) (param $ta i32) (param $kc i32) (param $mc i32) (param $alpha f64) (param $dst i32)
    (local $i0 i32) (local $h i32) (local $p i32) (local $ii i32) (local $src i32) (local $d i32)
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i0) (local.get $mc)))
      (local.set $h (i32.sub (local.get $mc) (local.get $i0)))
      (if (i32.gt_u (local.get $h) (i32.const ${MR})) (then (local.set $h (i32.const ${MR}))))
      (if (local.get $ta)
        (then
          (local.set $src (i32.add (local.get $a) (i32.shl (local.get $i0) (i32.const 3))))
          (local.set $d (local.get $dst))
          (local.set $p (i32.const 0))
          (if (i32.eq (local.get $h) (i32.const ${MR}))
            (then
              (block $pd (loop $pl
                (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                ${scaled}
                (local.set $src (i32.add (local.get $src) (local.get $ldab)))
                (local.set $d (i32.add (local.get $d) (i32.const ${MR * 8})))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pl))))
            (else
              (block $pd (loop $pl
                (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                (local.set $ii (i32.const 0))
                (block $rd (loop $rl
                  (br_if $rd (i32.ge_u (local.get $ii) (i32.const ${MR})))
                  (f64.store (i32.add (local.get $d) (i32.shl (local.get $ii) (i32.const 3)))
                    (if (result f64) (i32.lt_u (local.get $ii) (local.get $h))
                      (then (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $src) (i32.shl (local.get $ii) (i32.const 3))))))
                      (else (f64.const 0))))
                  (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
                  (br $rl)))
                (local.set $src (i32.add (local.get $src) (local.get $ldab)))
                (local.set $d (i32.add (local.get $d) (i32.const ${MR * 8})))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pl))))))
        (else
          (local.set $ii (i32.const 0))
          (block $rd (loop $rl
            (br_if $rd (i32.ge_u (local.get $ii) (i32.const ${MR})))
            (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $ii) (i32.const 3))))
            (local.set $p (i32.const 0))
            (if (i32.lt_u (local.get $ii) (local.get $h))
              (then
                (local.set $src (i32.add (local.get $a) (i32.mul (i32.add (local.get $i0) (local.get $ii)) (local.get $ldab))))
                (block $pd (loop $pl
                  (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
                  (f64.store (local.get $d) (f64.mul (local.get $alpha) (f64.load (local.get $src))))
                  (local.set $src (i32.add (local.get $src) (i32.const 8)))
                  (local.set $d (i32.add (local.get $d) (i32.const ${MR * 8})))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $pl))))
              (else
                (block $zd (loop $zl
                  (br_if $zd (i32.ge_u (local.get $p) (local.get $kc)))
                  (f64.store (local.get $d) (f64.const 0))
                  (local.set $d (i32.add (local.get $d) (i32.const ${MR * 8})))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $zl)))))
            (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
            (br $rl)))))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${MR * 8}))))
      (local.set $i0 (i32.add (local.get $i0) (i32.const ${MR})))
      (br $il))))`;
}


// ---- float32 GEMM: f32x4 products and sums within each KC slice, f64 storage ----
// Operands stay f64 in memory; packing rounds them to f32; each KC-slice sum of the
// micro-kernel (f32x4) is promoted to f64 and added to C as α·s, so C accumulates the
// slices in f64. Tile MR32 × 8 (MR32 = 4, or the `MR32` option).
const NR32 = 8;

/** Packs op(X)[0:rows, 0:kc] (element (r, p) at x + r·ldx + p·8, or x + p·ldx + r·8 when transposed) into R-tall f32 panels. */
function pack32(name, R) {
  return `
  ;; Packs op(X)[0:rows, 0:kc] into ${R}-wide f32 panels (kc × ${R}, row-major, zero-padded):
  ;; element (r, p) of op(X) at x + r·ldxb + p·8, or x + p·ldxb + r·8 when transposed.
  (func ${name} (param $x i32) (param $ldxb i32) (param $tx i32) (param $kc i32) (param $rows i32) (param $dst i32)
    (local $r0 i32) (local $h i32) (local $p i32) (local $rr i32) (local $src i32) (local $rstep i32) (local $pstep i32)
    (local.set $rstep (if (result i32) (local.get $tx) (then (i32.const 8)) (else (local.get $ldxb))))
    (local.set $pstep (if (result i32) (local.get $tx) (then (local.get $ldxb)) (else (i32.const 8))))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $h (i32.sub (local.get $rows) (local.get $r0)))
      (if (i32.gt_u (local.get $h) (i32.const ${R})) (then (local.set $h (i32.const ${R}))))
      (local.set $rr (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $rr) (i32.const ${R})))
        (local.set $src (i32.add (local.get $x) (i32.mul (i32.add (local.get $r0) (local.get $rr)) (local.get $rstep))))
        (local.set $p (i32.const 0))
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u (local.get $p) (local.get $kc)))
          (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $p) (i32.const ${R})) (local.get $rr)) (i32.const 2)))
            (if (result f32) (i32.lt_u (local.get $rr) (local.get $h))
              (then (f32.demote_f64 (f64.load (local.get $src))))
              (else (f32.const 0))))
          (local.set $src (i32.add (local.get $src) (local.get $pstep)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pl)))
        (local.set $rr (i32.add (local.get $rr) (i32.const 1)))
        (br $cl)))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const ${R * 4}))))
      (local.set $r0 (i32.add (local.get $r0) (i32.const ${R})))
      (br $rl))))`;
}

function micro32(MR, NR, fma = false, splatLoad = false) {
  const NV = NR / 4;
  const acc = (i, j) => `$c${i}_${j}`;
  const locals = [];
  for (const i of range(MR)) for (const j of range(NV)) locals.push(`(local ${acc(i, j)} v128)`);
  for (const j of range(NV)) locals.push(`(local $b${j} v128)`);
  const step = [];
  for (const j of range(NV)) step.push(`(local.set $b${j} (v128.load offset=${j * 16} align=4 (local.get $pb)))`);
  for (const i of range(MR)) {
    step.push(
      splatLoad
        ? `(local.set $a (v128.load32_splat offset=${i * 4} (local.get $pa)))`
        : `(local.set $a (f32x4.splat (f32.load offset=${i * 4} (local.get $pa))))`,
    );
    for (const j of range(NV)) step.push(`(local.set ${acc(i, j)} ${madd('f32x4', `(local.get ${acc(i, j)})`, '(local.get $a)', `(local.get $b${j})`, fma)})`);
  }
  const full = [];
  for (const i of range(MR)) {
    for (const j of range(NV)) {
      const lo = `(f64x2.promote_low_f32x4 (local.get ${acc(i, j)}))`;
      const hi = `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get ${acc(i, j)}) (local.get ${acc(i, j)})))`;
      full.push(`(v128.store offset=${j * 32} align=8 (local.get $cp) (f64x2.add (v128.load offset=${j * 32} align=8 (local.get $cp)) (f64x2.mul (local.get $va) ${lo})))`);
      full.push(`(v128.store offset=${j * 32 + 16} align=8 (local.get $cp) (f64x2.add (v128.load offset=${j * 32 + 16} align=8 (local.get $cp)) (f64x2.mul (local.get $va) ${hi})))`);
    }
    full.push('(local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))');
  }
  const spill = [];
  for (const i of range(MR)) for (const j of range(NV)) spill.push(`(v128.store offset=${(i * NR + j * 4) * 4} align=4 (local.get $tmp) (local.get ${acc(i, j)}))`);
  return `
  ;; C[h×w tile at $c] += α·Σ_p Apanel[p, 0:${MR}] ⊗ Bpanel[p, 0:${NR}] (f32 panels, f32x4 sums, f64 C).
  (func $micro32 (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldcb i32)
                 (param $h i32) (param $w i32) (param $tmp i32) (param $alpha f64)
    (local $a v128) (local $va v128) (local $cp i32) (local $i i32) (local $j i32) (local $end i32)
    ${locals.join(' ')}
    (local.set $end (i32.add (local.get $pb) (i32.mul (local.get $kc) (i32.const ${NR * 4}))))
    (block $done (loop $p
      (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
      ${step.join('\n      ')}
      (local.set $pa (i32.add (local.get $pa) (i32.const ${MR * 4})))
      (local.set $pb (i32.add (local.get $pb) (i32.const ${NR * 4})))
      (br $p)))
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $cp (local.get $c))
    (if (i32.and (i32.eq (local.get $h) (i32.const ${MR})) (i32.eq (local.get $w) (i32.const ${NR})))
      (then
        ${full.join('\n        ')}
        (return)))
    ;; edge tile: spill the accumulators, add the h×w corner
    ${spill.join('\n    ')}
    ${edgeTile(NR, true)})`;
}

function gemm32(KC, MC, NC, fma, MR32, splatLoad, shared) {
  const MR = MR32, NR = NR32;
  return `
${pack32('$packA32', MR)}
${pack32('$packB32', NR)}
${micro32(MR, NR, fma, splatLoad)}

  ;; C ← α·op(A)·op(B) + β·C with op(A), op(B) rounded to f32 and each KC-deep
  ;; partial sum formed in f32 (f32x4), then added to the f64 C as α·s. Same
  ;; arguments and workspace as gemm.
  ${gemmFunc({ name: 'gemm32', f32: true, packA: '$packA32', packB: '$packB32', micro: '$micro32', MR, NR, KC, MC, NC })}
${shared ? packedA32(KC, MC, NC, MR, NR) : ''}`;
}

/**
 * The worker pool's column split for the float32 GEMM (shared modules only): as
 * packAPart/gemmPackedA, op(A) is packed once, rounded to f32 (α is applied in the
 * micro-kernel, as gemm32 does), into a buffer every thread reads — KC-deep slices,
 * the slice at depth p0 at byte dst + p0·mPad·4 (mPad = m rounded up to MR32), its
 * MR32-tall panel of rows i0… at + i0·kc·4 — then threads take blocks of columns.
 */
function packedA32(KC, MC, NC, MR, NR) {
  return `
  ;; Packs rows [i0, i1) (i0 a multiple of ${MR}) of the slice of op(A) at depth p0, rounded to f32.
  (func (export "packAPart32") (param $ta i32) (param $a i32) (param $lda i32) (param $m i32) (param $k i32)
      (param $p0 i32) (param $i0 i32) (param $i1 i32) (param $dst i32)
    (local $kc i32) (local $mPad i32)
    (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
    (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
    (local.set $mPad (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const ${MR - 1})) (i32.const ${MR})) (i32.const ${MR})))
    (call $packA32
      (i32.add (local.get $a) (i32.shl
        (if (result i32) (local.get $ta)
          (then (i32.add (i32.mul (local.get $p0) (local.get $lda)) (local.get $i0)))
          (else (i32.add (i32.mul (local.get $i0) (local.get $lda)) (local.get $p0))))
        (i32.const 3)))
      (i32.shl (local.get $lda) (i32.const 3)) (local.get $ta) (local.get $kc) (i32.sub (local.get $i1) (local.get $i0))
      (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (local.get $p0) (local.get $mPad)) (i32.mul (local.get $i0) (local.get $kc)))
        (i32.const 2)))))

  ;; C ← α·op(A)·op(B) + β·C for n ≤ ${NC} columns of C with op(A) packed by packAPart32
  ;; at $pa (all m rows): the operations of gemm32 on these columns, in its order.
  (func (export "gemmPackedA32") (param $tb i32) (param $m i32) (param $n i32) (param $k i32)
      (param $alpha f64) (param $pa i32) (param $b i32) (param $ldb i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $ws i32)
    (local $ldbb i32) (local $ldcb i32) (local $pB i32) (local $mPad i32) (local $slice i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32)
    (local $w i32) (local $h i32) (local $blk i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (call $scaleC (local.get $m) (local.get $n) (local.get $beta) (local.get $c) (local.get $ldcb))
    (if (i32.or (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n)))
                (i32.or (i32.eqz (local.get $k)) (f64.eq (local.get $alpha) (f64.const 0))))
      (then (return)))
    (local.set $pB (i32.add (local.get $ws) (i32.const ${1024 + MC * KC * 8})))
    (local.set $mPad (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const ${MR - 1})) (i32.const ${MR})) (i32.const ${MR})))
    (block $pcd (loop $pcl
      (br_if $pcd (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
      (call $packB32
        (i32.add (local.get $b) (i32.shl
          (if (result i32) (local.get $tb) (then (local.get $pc)) (else (i32.mul (local.get $pc) (local.get $ldb))))
          (i32.const 3)))
        (local.get $ldbb) (i32.eqz (local.get $tb)) (local.get $kc) (local.get $n) (local.get $pB))
      (local.set $slice (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $pc) (local.get $mPad)) (i32.const 2))))
      (local.set $ic (i32.const 0))
      (block $icd (loop $icl
        (br_if $icd (i32.ge_u (local.get $ic) (local.get $m)))
        (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
        (if (i32.gt_u (local.get $mc) (i32.const ${MC})) (then (local.set $mc (i32.const ${MC}))))
        (local.set $blk (i32.add (local.get $slice) (i32.shl (i32.mul (local.get $ic) (local.get $kc)) (i32.const 2))))
        ${tileLoops({ micro: '$micro32', a: '$blk', b: '$pB', width: '$n', shift: 2, colOffset: false, alpha: true, MR, NR })}
        (local.set $ic (i32.add (local.get $ic) (i32.const ${MC})))
        (br $icl)))
      (local.set $pc (i32.add (local.get $pc) (i32.const ${KC})))
      (br $pcl))))`;
}

/**
 * The module's WAT text.
 * `fma`: the relaxed-SIMD variant, whose GEMM micro-kernels (f64 and f32)
 * accumulate with `relaxed_madd` (fused multiply–add); everything else is the
 * same code. Assembling it needs wabt's `relaxed_simd` feature.
 * @param {{ shared: boolean, fma?: boolean, MR?: number, NR?: number, KC?: number, MC?: number, NC?: number }} opts
 */
export function kernelWat(opts) {
  const fma = opts.fma === true;
  const { MR, NR, KC, MC, NC, U, MR32, splatLoad } = { ...DEFAULTS, ...(fma ? FMA_DEFAULTS : {}), ...opts };
  if (NR % 2 !== 0 || MR * NR > 128 || NC % NR !== 0 || MC % MR !== 0 || MC % MR32 !== 0) throw new Error('bad tile sizes');
  const wsBytes = 1024 + MC * KC * 8 + KC * NC * 8;
  return `;; Generated by scripts/build-wasm.mjs from scripts/wasm/kernel-wat.mjs (MR=${MR} NR=${NR} KC=${KC} MC=${MC} NC=${NC} MR32=${MR32}${fma ? ', fused multiply–add micro-kernels' : ''}).
(module
  (import "env" "mem" (memory 1 32768${opts.shared ? ' shared' : ''}))

  ;; Bytes of workspace one thread needs: a tile spill area, packed A and packed B.
  (func (export "workspaceBytes") (result i32) (i32.const ${wsBytes}))
  ;; Largest k and n that gemmGather accepts.
  (func (export "gatherMaxK") (result i32) (i32.const ${(MC * KC * 8) / 16}))
  (func (export "gatherMaxN") (result i32) (i32.const ${KC * NC}))

  ;; y[0:n] += s·x[0:n]
  (func $axpy (param $y i32) (param $s f64) (param $x i32) (param $n i32)
    (local $end i32) (local $vs v128)
    (local.set $vs (f64x2.splat (local.get $s)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 3))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.gt_u (i32.add (local.get $y) (i32.const 32)) (local.get $end)))
      (v128.store align=8 (local.get $y) (f64x2.add (v128.load align=8 (local.get $y)) (f64x2.mul (local.get $vs) (v128.load align=8 (local.get $x)))))
      (v128.store offset=16 align=8 (local.get $y) (f64x2.add (v128.load offset=16 align=8 (local.get $y)) (f64x2.mul (local.get $vs) (v128.load offset=16 align=8 (local.get $x)))))
      (local.set $y (i32.add (local.get $y) (i32.const 32)))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $y) (local.get $end)))
      (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $s) (f64.load (local.get $x)))))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $l1))))

  ;; Σ x[0:n]·y[0:n] with four interleaved partial sums (two f64x2 lanes pairs).
  (func $dot (param $x i32) (param $y i32) (param $n i32) (result f64)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $t f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.gt_u (i32.add (local.get $x) (i32.const 32)) (local.get $end)))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load align=8 (local.get $x)) (v128.load align=8 (local.get $y)))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load offset=16 align=8 (local.get $x)) (v128.load offset=16 align=8 (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (local.set $y (i32.add (local.get $y) (i32.const 32)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y)))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (br $l1)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (f64.add (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))) (local.get $t)))

  ;; C[0:m, 0:n] ← β·C (β = 0 overwrites with zeros, so NaNs do not propagate).
  (func $scaleC (param $m i32) (param $n i32) (param $beta f64) (param $c i32) (param $ldcb i32)
    (local $i i32) (local $p i32) (local $e i32) (local $vb v128)
    (if (f64.eq (local.get $beta) (f64.const 1)) (then (return)))
    (local.set $vb (f64x2.splat (local.get $beta)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $p (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldcb))))
      (local.set $e (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
      (if (f64.eq (local.get $beta) (f64.const 0))
        (then (memory.fill (local.get $p) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))))
        (else
          (block $vd (loop $vl
            (br_if $vd (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $e)))
            (v128.store align=8 (local.get $p) (f64x2.mul (v128.load align=8 (local.get $p)) (local.get $vb)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vl)))
          (if (i32.lt_u (local.get $p) (local.get $e))
            (then (f64.store (local.get $p) (f64.mul (f64.load (local.get $p)) (local.get $beta)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))
${packB(NR)}
${packA(MR)}
${microKernel(MR, NR, U, fma, splatLoad)}
${gemm32(KC, MC, NC, fma, MR32, splatLoad, opts.shared === true)}

  ;; C ← α·op(A)·op(B) + β·C. Pointers are byte offsets, leading dimensions in
  ;; elements; $ws is this thread's workspace (workspaceBytes() bytes, 16-aligned).
  ${gemmFunc({ name: 'gemm', f32: false, packA: '$packA', packB: '$packB', micro: '$micro', MR, NR, KC, MC, NC })}


  ;; The worker pool's path for tall products: op(B) is packed once, for all of k,
  ;; into a buffer every thread reads (packBPart, several threads each packing
  ;; other columns), then threads take blocks of output rows (gemmPackedB).
  ;; Layout of the packed buffer: KC-deep slices one after the other, the slice
  ;; starting at p0 at byte dst + p0·nPad·8 (nPad = n rounded up to NR); within
  ;; a slice of depth kc the NR-wide panel of columns j0… at + j0·kc·8, as packB
  ;; writes it.
  (func (export "blockK") (result i32) (i32.const ${KC}))

  ;; Packs columns [j0, j1) (j0 a multiple of NR) of the slice of op(B) at depth p0.
  (func (export "packBPart") (param $tb i32) (param $b i32) (param $ldb i32) (param $k i32) (param $n i32)
      (param $p0 i32) (param $j0 i32) (param $j1 i32) (param $dst i32)
    (local $kc i32) (local $nPad i32)
    (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
    (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
    (local.set $nPad (i32.mul (i32.div_u (i32.add (local.get $n) (i32.const ${NR - 1})) (i32.const ${NR})) (i32.const ${NR})))
    (call $packB
      (i32.add (local.get $b) (i32.shl
        (if (result i32) (local.get $tb)
          (then (i32.add (i32.mul (local.get $j0) (local.get $ldb)) (local.get $p0)))
          (else (i32.add (i32.mul (local.get $p0) (local.get $ldb)) (local.get $j0))))
        (i32.const 3)))
      (i32.shl (local.get $ldb) (i32.const 3)) (local.get $tb) (local.get $kc) (i32.sub (local.get $j1) (local.get $j0))
      (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (local.get $p0) (local.get $nPad)) (i32.mul (local.get $j0) (local.get $kc)))
        (i32.const 3)))))

  ;; C ← α·op(A)·op(B) + β·C for m rows of C, op(B) already packed at $pb (see
  ;; above). Every entry gets the same operations in the same order as in gemm:
  ;; β first, then the KC slices in ascending order through the same micro-kernel.
  (func (export "gemmPackedB") (param $ta i32) (param $m i32) (param $n i32) (param $k i32)
      (param $alpha f64) (param $a i32) (param $lda i32) (param $pb i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $ws i32)
    (local $ldab i32) (local $ldcb i32) (local $pA i32) (local $nPad i32) (local $slice i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32)
    (local $w i32) (local $h i32)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (call $scaleC (local.get $m) (local.get $n) (local.get $beta) (local.get $c) (local.get $ldcb))
    (if (i32.or (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n)))
                (i32.or (i32.eqz (local.get $k)) (f64.eq (local.get $alpha) (f64.const 0))))
      (then (return)))
    (local.set $pA (i32.add (local.get $ws) (i32.const 1024)))
    (local.set $nPad (i32.mul (i32.div_u (i32.add (local.get $n) (i32.const ${NR - 1})) (i32.const ${NR})) (i32.const ${NR})))
    (block $icd (loop $icl
      (br_if $icd (i32.ge_u (local.get $ic) (local.get $m)))
      (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
      (if (i32.gt_u (local.get $mc) (i32.const ${MC})) (then (local.set $mc (i32.const ${MC}))))
      (local.set $pc (i32.const 0))
      (block $pcd (loop $pcl
        (br_if $pcd (i32.ge_u (local.get $pc) (local.get $k)))
        (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
        (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
        (call $packA
          (i32.add (local.get $a) (i32.shl
            (if (result i32) (local.get $ta)
              (then (i32.add (i32.mul (local.get $pc) (local.get $lda)) (local.get $ic)))
              (else (i32.add (i32.mul (local.get $ic) (local.get $lda)) (local.get $pc))))
            (i32.const 3)))
          (local.get $ldab) (local.get $ta) (local.get $kc) (local.get $mc) (local.get $alpha) (local.get $pA))
        (local.set $slice (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $pc) (local.get $nPad)) (i32.const 3))))
        ${tileLoops({ micro: '$micro', a: '$pA', b: '$slice', width: '$n', shift: 3, colOffset: false, MR, NR })}
        (local.set $pc (i32.add (local.get $pc) (i32.const ${KC})))
        (br $pcl)))
      (local.set $ic (i32.add (local.get $ic) (i32.const ${MC})))
      (br $icl))))

  ;; The mirror image for wide products: α·op(A) packed once into a shared buffer
  ;; (the slice at depth p0 at byte dst + p0·mPad·8, mPad = m rounded up to MR;
  ;; within a slice of depth kc the MR-tall panel of rows i0… at + i0·kc·8), then
  ;; threads take blocks of output columns (gemmPackedA), each packing its own op(B).
  ;; Packs rows [i0, i1) (i0 a multiple of MR) of the slice of α·op(A) at depth p0.
  (func (export "packAPart") (param $ta i32) (param $a i32) (param $lda i32) (param $m i32) (param $k i32)
      (param $alpha f64) (param $p0 i32) (param $i0 i32) (param $i1 i32) (param $dst i32)
    (local $kc i32) (local $mPad i32)
    (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
    (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
    (local.set $mPad (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const ${MR - 1})) (i32.const ${MR})) (i32.const ${MR})))
    (call $packA
      (i32.add (local.get $a) (i32.shl
        (if (result i32) (local.get $ta)
          (then (i32.add (i32.mul (local.get $p0) (local.get $lda)) (local.get $i0)))
          (else (i32.add (i32.mul (local.get $i0) (local.get $lda)) (local.get $p0))))
        (i32.const 3)))
      (i32.shl (local.get $lda) (i32.const 3)) (local.get $ta) (local.get $kc) (i32.sub (local.get $i1) (local.get $i0))
      (local.get $alpha)
      (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (local.get $p0) (local.get $mPad)) (i32.mul (local.get $i0) (local.get $kc)))
        (i32.const 3)))))

  ;; C ← α·op(A)·op(B) + β·C for n ≤ ${NC} columns of C, α·op(A) already packed at
  ;; $pa (all m rows). The same operations in the same order as gemm with these
  ;; columns as one NC block: β first, then the KC slices in ascending order.
  (func (export "gemmPackedA") (param $tb i32) (param $m i32) (param $n i32) (param $k i32)
      (param $alpha f64) (param $pa i32) (param $b i32) (param $ldb i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $ws i32)
    (local $ldbb i32) (local $ldcb i32) (local $pB i32) (local $mPad i32) (local $slice i32)
    (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32)
    (local $w i32) (local $h i32) (local $blk i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (call $scaleC (local.get $m) (local.get $n) (local.get $beta) (local.get $c) (local.get $ldcb))
    (if (i32.or (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n)))
                (i32.or (i32.eqz (local.get $k)) (f64.eq (local.get $alpha) (f64.const 0))))
      (then (return)))
    (local.set $pB (i32.add (local.get $ws) (i32.const ${1024 + MC * KC * 8})))
    (local.set $mPad (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const ${MR - 1})) (i32.const ${MR})) (i32.const ${MR})))
    (block $pcd (loop $pcl
      (br_if $pcd (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
      (call $packB
        (i32.add (local.get $b) (i32.shl
          (if (result i32) (local.get $tb) (then (local.get $pc)) (else (i32.mul (local.get $pc) (local.get $ldb))))
          (i32.const 3)))
        (local.get $ldbb) (local.get $tb) (local.get $kc) (local.get $n) (local.get $pB))
      (local.set $slice (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $pc) (local.get $mPad)) (i32.const 3))))
      (local.set $ic (i32.const 0))
      (block $icd (loop $icl
        (br_if $icd (i32.ge_u (local.get $ic) (local.get $m)))
        (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
        (if (i32.gt_u (local.get $mc) (i32.const ${MC})) (then (local.set $mc (i32.const ${MC}))))
        (local.set $blk (i32.add (local.get $slice) (i32.shl (i32.mul (local.get $ic) (local.get $kc)) (i32.const 3))))
        ${tileLoops({ micro: '$micro', a: '$blk', b: '$pB', width: '$n', shift: 3, colOffset: false, MR, NR })}
        (local.set $ic (i32.add (local.get $ic) (i32.const ${MC})))
        (br $icl)))
      (local.set $pc (i32.add (local.get $pc) (i32.const ${KC})))
      (br $pcl))))

  ;; Non-zeros (NaN included) among the rows × cols entries of A (ld in elements).
  (func (export "nnz") (param $rows i32) (param $cols i32) (param $a i32) (param $lda i32) (result i32)
    (local $i i32) (local $p i32) (local $e i32) (local $count i32)
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $p (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 3))))
      (local.set $e (i32.add (local.get $p) (i32.shl (local.get $cols) (i32.const 3))))
      (block $pd (loop $pl
        (br_if $pd (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $count (i32.add (local.get $count) (f64.ne (f64.load (local.get $p)) (f64.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $pl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il)))
    (local.get $count))

  ;; C ← α·op(A)·op(B) + β·C summing, for each row of op(A), the rows of op(B) at
  ;; its non-zeros (a 0/1 op(A) needs no multiplies). Each C entry is summed in
  ;; ascending p from zero and finished as α·s + β·c, as the naive triple loop does.
  ;; Needs k ≤ ${MC * KC * 8 / 16} and n ≤ ${KC * NC} (the gathered row list and the
  ;; accumulator live in this thread's workspace).
  (func (export "gemmGather") (param $ta i32) (param $tb i32) (param $m i32) (param $n i32) (param $k i32)
      (param $alpha f64) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $beta f64) (param $c i32) (param $ldc i32) (param $ws i32)
    (local $ldab i32) (local $ldbb i32) (local $ldcb i32) (local $list i32) (local $acc i32)
    (local $i i32) (local $p i32) (local $j i32) (local $t i32) (local $end i32) (local $src i32) (local $d i32)
    (local $ap i32) (local $astep i32) (local $row i32) (local $cp i32)
    (local $x f64) (local $s f64) (local $vx v128) (local $va v128) (local $vb v128)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $list (i32.add (local.get $ws) (i32.const 1024)))
    (local.set $acc (i32.add (local.get $list) (i32.const ${MC * KC * 8})))
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $vb (f64x2.splat (local.get $beta)))
    (local.set $astep (if (result i32) (local.get $ta) (then (local.get $ldab)) (else (i32.const 8))))
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $m)))
      ;; gather row i of op(A): entries (value, byte offset of op(B) row p / column p)
      (local.set $ap (i32.add (local.get $a)
        (if (result i32) (local.get $ta) (then (i32.shl (local.get $i) (i32.const 3))) (else (i32.mul (local.get $i) (local.get $ldab))))))
      (local.set $end (local.get $list))
      (local.set $p (i32.const 0))
      (block $gd (loop $gl
        (br_if $gd (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x (f64.load (local.get $ap)))
        (if (f64.ne (local.get $x) (f64.const 0))
          (then
            (f64.store (local.get $end) (local.get $x))
            (i32.store offset=8 (local.get $end)
              (if (result i32) (local.get $tb) (then (i32.shl (local.get $p) (i32.const 3))) (else (i32.mul (local.get $p) (local.get $ldbb)))))
            (local.set $end (i32.add (local.get $end) (i32.const 16)))))
        (local.set $ap (i32.add (local.get $ap) (local.get $astep)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $gl)))
      (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldcb))))
      (if (i32.eqz (local.get $tb))
        (then
          ;; acc[0:n] = Σ_t x_t · B[p_t, :]  (rows of B are contiguous)
          (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $n) (i32.const 3)))
          (local.set $t (local.get $list))
          (block $td (loop $tl
            (br_if $td (i32.ge_u (local.get $t) (local.get $end)))
            (local.set $x (f64.load (local.get $t)))
            (local.set $src (i32.add (local.get $b) (i32.load offset=8 (local.get $t))))
            (local.set $d (local.get $acc))
            (local.set $row (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 3))))
            (if (f64.eq (local.get $x) (f64.const 1))
              (then
                (block $vd (loop $vl
                  (br_if $vd (i32.gt_u (i32.add (local.get $d) (i32.const 32)) (local.get $row)))
                  (v128.store align=8 (local.get $d) (f64x2.add (v128.load align=8 (local.get $d)) (v128.load align=8 (local.get $src))))
                  (v128.store offset=16 align=8 (local.get $d) (f64x2.add (v128.load offset=16 align=8 (local.get $d)) (v128.load offset=16 align=8 (local.get $src))))
                  (local.set $d (i32.add (local.get $d) (i32.const 32)))
                  (local.set $src (i32.add (local.get $src) (i32.const 32)))
                  (br $vl)))
                (block $sd (loop $sl
                  (br_if $sd (i32.ge_u (local.get $d) (local.get $row)))
                  (f64.store (local.get $d) (f64.add (f64.load (local.get $d)) (f64.load (local.get $src))))
                  (local.set $d (i32.add (local.get $d) (i32.const 8)))
                  (local.set $src (i32.add (local.get $src) (i32.const 8)))
                  (br $sl))))
              (else
                (call $axpy (local.get $d) (local.get $x) (local.get $src) (local.get $n))))
            (local.set $t (i32.add (local.get $t) (i32.const 16)))
            (br $tl)))
          ;; C[i, :] = α·acc + β·C[i, :]   (+0 when β = 0, as the naive loop)
          (local.set $d (local.get $acc))
          (local.set $row (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 3))))
          (block $wd (loop $wl
            (br_if $wd (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $row)))
            (v128.store align=8 (local.get $cp)
              (f64x2.add (f64x2.mul (local.get $va) (v128.load align=8 (local.get $d)))
                (if (result v128) (f64.eq (local.get $beta) (f64.const 0))
                  (then (v128.const i64x2 0 0))
                  (else (f64x2.mul (local.get $vb) (v128.load align=8 (local.get $cp)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (br $wl)))
          (if (i32.lt_u (local.get $d) (local.get $row))
            (then
              (f64.store (local.get $cp)
                (f64.add (f64.mul (local.get $alpha) (f64.load (local.get $d)))
                  (if (result f64) (f64.eq (local.get $beta) (f64.const 0))
                    (then (f64.const 0))
                    (else (f64.mul (local.get $beta) (f64.load (local.get $cp))))))))))
        (else
          ;; op(B)[p, j] = B[j, p]: a gathered dot product along row j of B
          (local.set $j (i32.const 0))
          (local.set $row (local.get $b))
          (block $jd (loop $jl
            (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $s (f64.const 0))
            (local.set $t (local.get $list))
            (block $td (loop $tl
              (br_if $td (i32.ge_u (local.get $t) (local.get $end)))
              (local.set $s (f64.add (local.get $s)
                (f64.mul (f64.load (local.get $t)) (f64.load (i32.add (local.get $row) (i32.load offset=8 (local.get $t)))))))
              (local.set $t (i32.add (local.get $t) (i32.const 16)))
              (br $tl)))
            (f64.store (local.get $cp)
              (f64.add (f64.mul (local.get $alpha) (local.get $s))
                (if (result f64) (f64.eq (local.get $beta) (f64.const 0))
                  (then (f64.const 0))
                  (else (f64.mul (local.get $beta) (f64.load (local.get $cp)))))))
            (local.set $cp (i32.add (local.get $cp) (i32.const 8)))
            (local.set $row (i32.add (local.get $row) (local.get $ldbb)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jl)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il))))

  ;; y ← α·op(A)·x + β·y, A is m × n (before op). β = 0 overwrites y.
  (func (export "gemv") (param $trans i32) (param $m i32) (param $n i32) (param $alpha f64)
      (param $a i32) (param $lda i32) (param $x i32) (param $beta f64) (param $y i32)
    (local $i i32) (local $ldab i32) (local $s f64) (local $xi f64)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 3)))
    (if (i32.eqz (local.get $trans))
      (then
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $s (f64.mul (local.get $alpha) (call $dot (local.get $a) (local.get $x) (local.get $n))))
          (f64.store (local.get $y)
            (if (result f64) (f64.eq (local.get $beta) (f64.const 0))
              (then (local.get $s))
              (else (f64.add (local.get $s) (f64.mul (local.get $beta) (f64.load (local.get $y)))))))
          (local.set $a (i32.add (local.get $a) (local.get $ldab)))
          (local.set $y (i32.add (local.get $y) (i32.const 8)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (return)))
    (call $scaleC (i32.const 1) (local.get $n) (local.get $beta) (local.get $y) (i32.const 0))
    (if (f64.eq (local.get $alpha) (f64.const 0)) (then (return)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $xi (f64.mul (local.get $alpha) (f64.load (local.get $x))))
      (if (f64.ne (local.get $xi) (f64.const 0))
        (then (call $axpy (local.get $y) (local.get $xi) (local.get $a) (local.get $n))))
      (local.set $a (i32.add (local.get $a) (local.get $ldab)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; A ← A + α·x·yᵀ, A is m × n.
  (func (export "ger") (param $m i32) (param $n i32) (param $alpha f64) (param $x i32) (param $y i32)
      (param $a i32) (param $lda i32)
    (local $i i32) (local $ldab i32) (local $xi f64)
    (if (f64.eq (local.get $alpha) (f64.const 0)) (then (return)))
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 3)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $xi (f64.mul (local.get $alpha) (f64.load (local.get $x))))
      (if (f64.ne (local.get $xi) (f64.const 0))
        (then (call $axpy (local.get $a) (local.get $xi) (local.get $y) (local.get $n))))
      (local.set $a (i32.add (local.get $a) (local.get $ldab)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
)
`;
}
