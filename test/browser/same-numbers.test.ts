import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, hasChromium, launch, runInPage } from './harness.js';
import { sameNumbersRun } from './same-numbers-run.js';

if (!hasChromium) console.warn('browser tests skipped: no chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!hasChromium)('same numbers in Node and Chromium', () => {
  it('seeded generator + GEMM, Gibbs, and a PCD-trained RBM give bit-identical SHA-256 hashes in both', async () => {
    const nodeHash = await sameNumbersRun();
    const script = await bundleForBrowser(fileURLToPath(new URL('./same-numbers-entry.ts', import.meta.url)));
    const browser = await launch();
    try {
      const { result } = await runInPage<Record<string, string>>(browser, script);
      expect(Object.keys(result).sort()).toEqual(['gibbs', 'kernel', 'rbm']);
      for (const h of Object.values(result)) expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(result).toEqual(nodeHash);
    } finally {
      await browser.close();
    }
  });
});
