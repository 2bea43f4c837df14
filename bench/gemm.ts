/**
 * GEMM throughput of the plain-TypeScript kernel against a naive triple loop
 * (same process) and numpy (where /usr/bin/python3 has numpy), in GFLOP/s.
 * Run: npm run bench -- gemm   (writes bench/out/gemm.json)
 */
import { join } from 'node:path';
import { getKernel } from '../src/linalg/kernel.js';
import { naiveKernel } from '../src/linalg/naive.js';
import { tsKernel } from '../src/linalg/ts-kernel.js';
import type { Kernel } from '../src/linalg/kernel.js';
import { Random } from '../src/random/random.js';
import { benchDir, findPython, printTable, runPython, timeIt, writeResult } from './common.js';

const shapes: [number, number, number][] = [
  [64, 64, 64],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [100, 784, 500],
];

function gflops(kernel: Kernel, m: number, k: number, n: number, minMs: number): number {
  const rng = new Random(1);
  const a = rng.fillUniform(new Float64Array(m * k));
  const b = rng.fillUniform(new Float64Array(k * n));
  const c = new Float64Array(m * n);
  const s = timeIt(() => kernel.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n), minMs);
  return (2 * m * k * n) / s / 1e9;
}

export function main(): void {
  const kernels = [...new Set([tsKernel, getKernel()])];
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  let numpy: Map<string, number> | undefined;
  const py = findPython(['numpy']);
  if (py) {
    numpy = new Map();
    const out = runPython(py, [join(benchDir, 'numpy-ref.py'), JSON.stringify(shapes)], { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' });
    for (const line of out.trim().split('\n')) {
      const r = JSON.parse(line) as { m: number; k: number; n: number; gflops: number };
      numpy.set(`${r.m}x${r.k}x${r.n}`, r.gflops);
    }
  } else {
    console.log('numpy not found (apt-get install python3-numpy): numpy column skipped');
  }
  for (const [m, k, n] of shapes) {
    const key = `${m}x${k}x${n}`;
    const naive = gflops(naiveKernel, m, k, n, m >= 1024 ? 1 : 300);
    for (const kern of kernels) {
      const g = gflops(kern, m, k, n, 800);
      const np = numpy?.get(key);
      rows.push([kern.name, key, g, naive, g / naive, np ?? 'n/a']);
      results.push({ kernel: kern.name, shape: key, gflops: g, naiveGflops: naive, numpyGflops1Thread: np ?? null });
    }
  }
  printTable(['kernel', 'm×k×n', 'GFLOP/s', 'naive GFLOP/s', 'speed-up', 'numpy (1 thread)'], rows);
  console.log(`written ${writeResult('gemm', { node: process.version, results })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
