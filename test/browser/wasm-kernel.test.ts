import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, hasChromium, launch, runInPage } from './harness.js';
import { wasmKernelRun } from './wasm-kernel-run.js';

if (!hasChromium) console.warn('browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!hasChromium)('WebAssembly SIMD kernel in Chromium', () => {
  it('compiles from the bundle (no fetch), runs SIMD, and gives the same bits as in Node', async () => {
    const node = await wasmKernelRun();
    expect(node.kernel).toBe('wasm-simd');
    const script = await bundleForBrowser(fileURLToPath(new URL('./wasm-kernel-entry.ts', import.meta.url)));
    const browser = await launch();
    try {
      const { result } = await runInPage<typeof node>(browser, script);
      expect(result.kernel).toBe('wasm-simd');
      expect(result.outputs).toBe(node.outputs);
      expect(result.hash).toBe(node.hash);
    } finally {
      await browser.close();
    }
  });
});
