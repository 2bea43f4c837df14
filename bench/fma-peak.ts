/**
 * The engine's and CPU's ceiling for the GEMM inner loop's arithmetic, with and without fused
 * multiply–add: two WebAssembly loops of 10 independent f64x2 accumulators, `c_k ← c_k + x·y_k`
 * as one `f64x2.relaxed_madd` or as `f64x2.mul` then `f64x2.add` (the two kernels' instruction
 * mixes, without their loads), in GFLOP/s on one core. What the GEMM kernels reach is read
 * against these: the FMA kernel's headroom is its distance to the FMA loop's rate, and the
 * ratio of the two loops bounds what FMA can gain on this CPU over a non-FMA kernel that is as
 * close to its own loop's rate. (Where the CPU has as many add pipes as FMA pipes, as AMD's Zen
 * cores do, the two loops run at about the same rate.) Assembled at run time with wabt, a dev
 * dependency, so only the benches use it.
 */
import wabtInit from 'wabt';

// 10 accumulators, two multipliers y, x and its step: 14 of the 16 SIMD registers V8 uses on x86-64
// (more would spill to memory); 10 in flight cover an FMA's latency at two per cycle
const ACC = 10;
const YS = 2;

function loopWat(fused: boolean): string {
  const locals = [...Array.from({ length: ACC }, (_, k) => `(local $c${k} v128)`), ...Array.from({ length: YS }, (_, k) => `(local $y${k} v128)`)].join(' ');
  const init = Array.from({ length: YS }, (_, k) => `(local.set $y${k} (f64x2.splat (f64.const ${(0.5 + k / 64).toFixed(6)})))`).join('\n');
  const body = Array.from({ length: ACC }, (_, k) =>
    fused
      ? `(local.set $c${k} (f64x2.relaxed_madd (local.get $x) (local.get $y${k % YS}) (local.get $c${k})))`
      : `(local.set $c${k} (f64x2.add (local.get $c${k}) (f64x2.mul (local.get $x) (local.get $y${k % YS}))))`,
  ).join('\n');
  const sum = Array.from({ length: ACC }, (_, k) => `(local.set $s (f64x2.add (local.get $s) (local.get $c${k})))`).join('\n');
  return `(module
  (func (export "run") (param $n i32) (result f64)
    (local $x v128) (local $dx v128) (local $s v128) ${locals}
    (local.set $x (f64x2.splat (f64.const 1e-9)))
    (local.set $dx (f64x2.splat (f64.const 1e-18)))
    ${init}
    (block $done (loop $top
      (br_if $done (i32.eqz (local.get $n)))
      ${body}
      ;; x changes every iteration, so no product can be hoisted out of the loop
      (local.set $x (f64x2.add (local.get $x) (local.get $dx)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $top)))
    ${sum}
    (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s)))))`;
}

/** GFLOP/s of each loop on one core (best of `rounds` interleaved runs of about `ms` each). */
export async function fmaPeak(ms = 200, rounds = 5): Promise<{ fused: number; mulAdd: number }> {
  const wabt = await wabtInit();
  const features = { simd: true, relaxed_simd: true };
  const run = (fused: boolean): ((n: number) => number) => {
    const mod = wabt.parseWat(fused ? 'fma-peak' : 'muladd-peak', loopWat(fused), features);
    try {
      mod.validate();
      const bytes = new Uint8Array(mod.toBinary({ log: false }).buffer);
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      return inst.exports.run as (n: number) => number;
    } finally {
      mod.destroy();
    }
  };
  const fns = [run(true), run(false)];
  const best = [0, 0];
  const flopsPerIter = ACC * 2 * 2;
  // calibrate the iteration count to about `ms` per run (after warming both up)
  let n = 1_000_000;
  for (const f of fns) f(n);
  const t0 = performance.now();
  fns[0](n);
  n = Math.max(100_000, Math.round((n * ms) / Math.max(1, performance.now() - t0)));
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, i) => {
      const t = performance.now();
      sink += f(n);
      const s = (performance.now() - t) / 1000;
      best[i] = Math.max(best[i], (n * flopsPerIter) / s / 1e9);
    });
  }
  if (!Number.isFinite(sink)) throw new Error('fma-peak: the loops overflowed');
  return { fused: best[0], mulAdd: best[1] };
}
