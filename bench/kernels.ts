/**
 * Kernel backends side by side: plain TS, WebAssembly SIMD on one core, and the
 * SIMD worker pool on two threads (Node), in GFLOP/s, measured in one process.
 * Run: npm run bench -- kernels   (writes bench/out/kernels.json)
 * Environment: BENCH_QUICK=1 for a seconds-long smoke run (small shapes, short timings).
 */
import type { Kernel } from '../src/linalg/kernel.js';
import { tsKernel } from '../src/linalg/ts-kernel.js';
import { createWasmKernel } from '../src/linalg/wasm/wasm-kernel.js';
import { createWasmPool } from '../src/node/wasm-pool.js';
import { Random } from '../src/random/random.js';
import { printTable, timeIt, writeResult } from './common.js';

interface Case {
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const quick = process.env.BENCH_QUICK === '1';
const cases: Case[] = quick
  ? [{ label: 'C=AB', m: 128, n: 128, k: 128, transA: false, transB: false }]
  : [
      { label: 'C=AB', m: 256, n: 256, k: 256, transA: false, transB: false },
      { label: 'C=AB', m: 512, n: 512, k: 512, transA: false, transB: false },
      { label: 'C=AᵀB', m: 512, n: 512, k: 512, transA: true, transB: false },
      { label: 'C=ABᵀ', m: 512, n: 512, k: 512, transA: false, transB: true },
      { label: 'C=AB', m: 1024, n: 1024, k: 1024, transA: false, transB: false },
      // the RBM products at batch 100, 784 visible, 500 hidden
      { label: 'v·W', m: 100, n: 500, k: 784, transA: false, transB: false },
      { label: 'h·Wᵀ', m: 100, n: 784, k: 500, transA: false, transB: true },
      { label: 'vᵀh', m: 784, n: 500, k: 100, transA: true, transB: false },
    ];

function measure(kernel: Kernel, c: Case, minMs: number): number {
  const rng = new Random(7);
  const a = rng.fillUniform(new Float64Array(c.m * c.k));
  const b = rng.fillUniform(new Float64Array(c.k * c.n));
  const out = new Float64Array(c.m * c.n);
  const lda = c.transA ? c.m : c.k;
  const ldb = c.transB ? c.k : c.n;
  const s = timeIt(() => kernel.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, lda, b, ldb, 0, out, c.n), minMs);
  return (2 * c.m * c.n * c.k) / s / 1e9;
}

export async function main(): Promise<void> {
  const minMs = quick ? 50 : 700;
  const wasm = createWasmKernel();
  const pool = await createWasmPool({ threads: 2 });
  const backends: { kernel: Kernel; backend: string; threads: number }[] = [
    { kernel: tsKernel, backend: 'ts', threads: 1 },
    { kernel: wasm, backend: wasm.name, threads: 1 },
    { kernel: pool, backend: pool.name, threads: pool.threads },
  ];
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const c of cases) {
    const shape = `${c.m}×${c.k}×${c.n}`;
    let single = 0;
    for (const b of backends) {
      const g = measure(b.kernel, c, b.kernel === tsKernel && c.m >= 1024 ? 300 : minMs);
      if (b.kernel === wasm) single = g;
      const ratio = b.kernel === pool ? g / single : Number.NaN;
      rows.push(['gemm ' + c.label, b.backend, String(b.threads), shape, g, Number.isNaN(ratio) ? '' : `${ratio.toFixed(2)}× 1-core SIMD`]);
      results.push({ kernel: `gemm ${c.label}`, backend: b.backend, threads: b.threads, shape, gflops: g });
    }
  }
  await pool.close();
  printTable(['kernel', 'backend', 'threads', 'm×k×n', 'GFLOP/s', 'note'], rows);
  console.log('(provisional: the machine is shared; rerun on a quiet machine for final figures)');
  console.log(`written ${writeResult('kernels', { node: process.version, results })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
