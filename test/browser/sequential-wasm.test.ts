import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, hasChromium, launch, runInPage } from './harness.js';
import { sequentialWasmRun } from './sequential-wasm-run.js';

if (!hasChromium) console.warn('browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

describe('sequential samplers in WebAssembly: the TS loops’ bits', () => {
  it('in Node: Hopfield, Gibbs, a Boltzmann machine chain and Metropolis hash the same with either loop', async () => {
    const r = await sequentialWasmRun();
    expect(r.wasm).toBe(true);
    expect(r.wasmHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.wasmHash).toBe(r.tsHash);
  });

  it.skipIf(!hasChromium)('in Chromium’s page main thread (after ready()): the same hashes as Node, from the WebAssembly loops', async () => {
    const node = await sequentialWasmRun();
    const script = await bundleForBrowser(fileURLToPath(new URL('./sequential-wasm-entry.ts', import.meta.url)));
    const browser = await launch();
    try {
      const { result } = await runInPage<{ wasm: boolean; wasmHash: string; tsHash: string }>(browser, script);
      expect(result.wasm).toBe(true);
      expect(result.wasmHash).toBe(result.tsHash);
      expect(result.wasmHash).toBe(node.wasmHash);
    } finally {
      await browser.close();
    }
  });
});
