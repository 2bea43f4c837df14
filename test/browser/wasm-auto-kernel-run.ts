/**
 * The automatic kernel as a page gets it: the kernel before and after
 * `ready()`, and an FNV-1a hash of a product computed with each — equal,
 * because the automatic SIMD kernel gives the TS kernel's bits. Used by
 * test/browser/wasm-auto-kernel.test.ts on both sides (Node and Chromium).
 */
import { gemmSparseA, getKernel, ready } from '../../src/linalg/kernel.js';

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

/** GEMMs (dense and 0/1) and GEMVs through the active kernel; an FNV-1a hash of every output bit. */
function products(): string {
  const outs: Float64Array[] = [];
  const [m, n, k] = [67, 45, 300];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const a = lcg(m * k, 1), b = lcg(k * n, 2), c = lcg(m * n, 3);
      getKernel().gemm(ta, tb, m, n, k, 0.7, a, ta ? m : k, b, tb ? k : n, -1.3, c, n);
      const s = lcg(m * n, 4);
      gemmSparseA(ta, tb, m, n, k, 1, lcg(m * k, 5, 0.2), ta ? m : k, b, tb ? k : n, 0.5, s, n);
      outs.push(c, s);
    }
  }
  const a = lcg(200 * 150, 6), y1 = lcg(200, 9), y2 = lcg(150, 10);
  getKernel().gemv(false, 200, 150, 0.9, a, 150, lcg(150, 7), 0.25, y1);
  getKernel().gemv(true, 200, 150, -1.1, a, 150, lcg(200, 8), 0, y2);
  outs.push(y1, y2);
  let h = 0x811c9dc5 | 0;
  for (const o of outs) {
    const u = new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/** Kernel names and product hashes before and after `ready()`, with no setKernel call. */
export async function autoKernelRun(): Promise<{ before: string; beforeHash: string; after: string; afterHash: string }> {
  const before = getKernel().name;
  const beforeHash = products();
  await ready();
  return { before, beforeHash, after: getKernel().name, afterHash: products() };
}
