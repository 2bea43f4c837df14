import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, hasChromium, launch, runInPage } from './harness.js';
import { autoKernelRun } from './wasm-auto-kernel-run.js';

if (!hasChromium) console.warn('browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

describe('the automatic kernel in Node', () => {
  it('is the SIMD kernel at once, and ready() changes nothing', async () => {
    const node = await autoKernelRun();
    expect(node.before).toBe('wasm-simd-exact');
    expect(node.after).toBe('wasm-simd-exact');
    expect(node.afterHash).toBe(node.beforeHash);
  });
});

describe.skipIf(!hasChromium)('the automatic kernel on a Chromium page', () => {
  it('runs TS while the SIMD kernel compiles asynchronously (or SIMD at once), then SIMD after ready(), with the same bits as Node', async () => {
    const node = await autoKernelRun();
    const script = await bundleForBrowser(fileURLToPath(new URL('./wasm-auto-kernel-entry.ts', import.meta.url)));
    const browser = await launch();
    try {
      const { result } = await runInPage<typeof node>(browser, script);
      // the main thread may refuse synchronous compilation (then 'ts' until ready) or allow it
      expect(['ts', 'wasm-simd-exact']).toContain(result.before);
      expect(result.after).toBe('wasm-simd-exact');
      expect(result.beforeHash).toBe(node.beforeHash);
      expect(result.afterHash).toBe(node.afterHash);
    } finally {
      await browser.close();
    }
  });
});
