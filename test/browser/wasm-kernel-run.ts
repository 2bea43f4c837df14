/**
 * One computation through the WebAssembly SIMD kernel whose bits must match in
 * Node and in Chromium: dense GEMM in every transpose form (with α, β and
 * strides), GEMV/GER, and the gathered-row product with a 0/1 operand.
 * Used by test/browser/wasm-kernel.test.ts on both sides.
 */
import { gemmSparseA, getKernel, setKernel } from '../../src/linalg/kernel.js';
import { initWasm } from '../../src/linalg/wasm/wasm-kernel.js';

function lcg(n: number, seed: number, ones?: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    const u = (x >>> 8) / 16777216;
    out[i] = ones === undefined ? u * 2 - 1 : u < ones ? 1 : 0;
  }
  return out;
}

/** Runs the computation with the async-initialised SIMD kernel; returns its name and an FNV-1a hash of every output bit. */
export async function wasmKernelRun(): Promise<{ kernel: string; hash: string; outputs: number }> {
  const prev = getKernel();
  const kernel = await initWasm({ install: true });
  try {
    const outs: Float64Array[] = [];
    const [m, n, k] = [67, 45, 131];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 3, ldc = n + 2;
        const a = lcg((ta ? k : m) * lda, 1), b = lcg((tb ? n : k) * ldb, 2), c = lcg(m * ldc, 3);
        kernel.gemm(ta, tb, m, n, k, 0.7, a, lda, b, ldb, -1.3, c, ldc);
        outs.push(c);
        const s = lcg(m * ldc, 4);
        gemmSparseA(ta, tb, m, n, k, 1, lcg((ta ? k : m) * lda, 5, 0.1), lda, b, ldb, 0.5, s, ldc);
        outs.push(s);
      }
    }
    const a = lcg(200 * 150, 6), x = lcg(200, 7), y = lcg(150, 8);
    const y1 = lcg(200, 9), y2 = lcg(150, 10);
    kernel.gemv(false, 200, 150, 0.9, a, 150, y, 0.25, y1);
    kernel.gemv(true, 200, 150, -1.1, a, 150, x, 0, y2);
    kernel.ger(200, 150, 0.3, x, y, a, 150);
    outs.push(y1, y2, a);
    let h1 = 0x811c9dc5 | 0, h2 = 0x01000193 | 0, count = 0;
    for (const o of outs) {
      const u = new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
      for (let i = 0; i < u.length; i++) {
        h1 = Math.imul(h1 ^ u[i], 0x01000193);
        h2 = Math.imul(h2 ^ u[i] ^ (i & 255), 0x01000193);
      }
      count += o.length;
    }
    return { kernel: kernel.name, hash: (h1 >>> 0).toString(16) + (h2 >>> 0).toString(16), outputs: count };
  } finally {
    setKernel(prev);
  }
}
