import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { getKernel, setKernel } from '../../../src/linalg/kernel.js';
import { tsKernel } from '../../../src/linalg/ts-kernel.js';
import { hasWasmSimd, kernelBytes } from '../../../src/linalg/wasm/core.js';
import { createWasmKernel, initWasm, makeWasmKernel, wasmSimdAvailable } from '../../../src/linalg/wasm/wasm-kernel.js';
import { naiveKernel } from '../../../src/linalg/naive.js';
import { kernelProperties } from '../../helpers/kernel-properties.js';

describe('WebAssembly SIMD kernel', () => {
  it('is available in Node >= 20 (SIMD feature detection)', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(createWasmKernel().name).toBe('wasm-simd');
  });

  it('the embedded modules are valid WebAssembly', () => {
    expect(WebAssembly.validate(kernelBytes(false))).toBe(true);
    expect(WebAssembly.validate(kernelBytes(true))).toBe(true);
  });

  it('the committed kernel-bytes.ts matches the WAT source (npm run build:wasm)', () => {
    // fails when scripts/wasm/kernel-wat.mjs changed without regenerating the embedded bytes
    execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' });
  });

  it('initWasm compiles asynchronously and can install the kernel', async () => {
    const prev = getKernel();
    try {
      const k = await initWasm({ install: true });
      expect(k.name).toBe('wasm-simd');
      expect(getKernel()).toBe(k);
    } finally {
      setKernel(prev);
    }
  });

  it('falls back to the TS kernel where SIMD is missing', () => {
    // hasWasmSimd is what createWasmKernel consults; here we only check it agrees
    expect(hasWasmSimd() ? createWasmKernel().name : tsKernel.name).toBe(hasWasmSimd() ? 'wasm-simd' : 'ts');
  });

  // every size through WebAssembly (no small-size shortcut to TS)
  kernelProperties({ ...makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 0.2 }), name: 'wasm-simd (all sizes)' });
  // the kernel as users get it (thresholds on)
  kernelProperties(createWasmKernel(), 60);

  it('products wider than one 1024-column block and deeper than one 256 slice, every transpose', () => {
    const kern = createWasmKernel();
    const m = 5, n = 1100, k = 300;
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = new Float64Array(m * k).map((_, i) => ((i * 37) % 11) / 7 - 0.7);
        const b = new Float64Array(k * n).map((_, i) => ((i * 13) % 17) / 9 - 0.9);
        const c = new Float64Array(m * n).fill(0.5);
        const ref = c.slice();
        kern.gemm(ta, tb, m, n, k, 0.75, a, ta ? m : k, b, tb ? k : n, -1, c, n);
        naiveKernel.gemm(ta, tb, m, n, k, 0.75, a, ta ? m : k, b, tb ? k : n, -1, ref, n);
        for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - ref[i]), `ta=${ta} tb=${tb} entry ${i}`).toBeLessThan(1e-11);
      }
    }
  });

  it('reuses its memory: large then small products stay correct after growth', () => {
    const k = makeWasmKernel({ gemm: 0, level2: 0, sparseMaxDensity: 0.2 });
    for (const size of [300, 5, 700, 3]) {
      const a = new Float64Array(size * 4).map((_, i) => (i % 7) - 3);
      const b = new Float64Array(4 * size).map((_, i) => (i % 5) - 2);
      const c = new Float64Array(size * size);
      const r = new Float64Array(size * size);
      k.gemm(false, false, size, size, 4, 1, a, 4, b, size, 0, c, size);
      tsKernel.gemm(false, false, size, size, 4, 1, a, 4, b, size, 0, r, size);
      // small integers: exact in any order
      let bad = 0;
      for (let i = 0; i < c.length; i++) if (c[i] !== r[i]) bad++;
      expect(bad).toBe(0);
    }
  });
});
