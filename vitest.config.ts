import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Node 20 has relaxed SIMD behind a flag (Node ≥ 22 by default): give it to the test processes so
    // the fused multiply–add kernels are tested there too (their tests skip with a message without it)
    execArgv: Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [],
  },
});
