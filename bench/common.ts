/** Shared helpers for the benchmarks: timing, tables, output files, finding python. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const outDir = join(benchDir, 'out');

/** Runs `fn` repeatedly for at least `minMs` (after one warm-up call); returns seconds per call. */
export function timeIt(fn: () => void, minMs = 500): number {
  fn();
  let reps = 0;
  const t0 = performance.now();
  let t = 0;
  do {
    fn();
    reps++;
    t = performance.now() - t0;
  } while (t < minMs);
  return t / 1000 / reps;
}

/** Prints rows as an aligned text table. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNum(c) : c)))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  for (const [i, r] of cells.entries()) {
    console.log(r.map((c, j) => String(c).padStart(widths[j] ?? 0)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

function formatNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** Writes a JSON result file under bench/out/ and returns its path. */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(outDir, { recursive: true });
  const p = join(outDir, `${name}.json`);
  writeFileSync(p, `${JSON.stringify(data, null, 2)}\n`);
  return p;
}

/**
 * A python3 that can import the given modules (the one on PATH first, then Debian's
 * /usr/bin/python3, where python3-numpy / python3-sklearn install), or undefined.
 */
export function findPython(modules: string[]): string | undefined {
  // the python3 on PATH first: where scikit-learn and NumPy come from PyPI (their own OpenBLAS,
  // the speed reference); Debian's /usr/bin/python3 packages (an older NumPy, here with a
  // reference BLAS at 3.4 GFLOP/s on 512³ against OpenBLAS's ~45) only where PATH has none
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', modules.map((m) => `import ${m}`).join(';')], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** Runs a python script and returns its stdout. */
export function runPython(py: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(py, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
}
