import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, hasChromium, launch, runInPage } from './harness.js';

if (!hasChromium) console.warn('browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!hasChromium)('WebAssembly SIMD Web Worker pool in Chromium', () => {
  it('refuses a page main thread, and inside a Web Worker gives the one-thread kernel’s bits on 3 threads (float64, float32, FMA)', async () => {
    const workerScript = await bundleForBrowser(fileURLToPath(new URL('./wasm-pool-worker-entry.ts', import.meta.url)));
    const pageScript = await bundleForBrowser(fileURLToPath(new URL('./wasm-pool-page-entry.ts', import.meta.url)));
    const script = `globalThis.__workerSource = ${JSON.stringify(workerScript)};\n${pageScript}`;
    const browser = await launch();
    try {
      const { result } = await runInPage<Record<string, unknown>>(browser, script);
      expect(result.error).toBeUndefined();
      expect(result.isolated).toBe(true);
      expect(String(result.mainThreadError)).toMatch(/Web Worker/);
      expect(result.name).toBe('wasm-simd-threads');
      expect(result.threads).toBe(3);
      expect(result.checked).toBe(8 * 130 * 171);
      expect(result.mismatches).toBe(0);
      // float32 through the pool: the one-thread float32 kernel's bits
      expect(result.f32).toEqual({ name: 'wasm-simd-threads-f32', threads: 3, checked: 8 * 130 * 171, mismatches: 0 });
      // fused multiply–add (relaxed SIMD, on by default in current Chromium): the one-thread FMA kernel's bits
      if (result.relaxed) expect(result.fma).toEqual({ name: 'wasm-simd-threads-fma', threads: 3, checked: 8 * 130 * 171, mismatches: 0 });
      else console.warn('Chromium without WebAssembly relaxed SIMD: the FMA pool is not checked');
    } finally {
      await browser.close();
    }
  });
});
