import { expect } from 'vitest';
import { gemmSparseA, withThreads } from '../../src/linalg/kernel.js';
import { runningPoolThreads } from '../../src/linalg/wasm/auto.js';

/**
 * Starts the automatic kernel's two-thread pool with one large product (σ and softplus jobs
 * alone never start it: they run on the pool only while one runs) and checks it runs.
 */
export function startTwoThreadPool(): void {
  withThreads(2, () => {
    const a = new Float64Array(200 * 300).fill(1), b = new Float64Array(300 * 200).fill(0.5), c = new Float64Array(200 * 200);
    gemmSparseA(false, false, 200, 200, 300, 1, a, 300, b, 200, 0, c, 200);
  });
  expect(runningPoolThreads(2)).toBe(2);
}
