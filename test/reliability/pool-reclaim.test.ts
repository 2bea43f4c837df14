/**
 * WebAssembly pools (issue #15): a product past WebAssembly's 2 GiB memory falls back to the
 * TypeScript kernel, and a pool that is never closed is reclaimed once garbage: its workers are
 * terminated by a FinalizationRegistry. The workers here are stand-ins counting `terminate()`
 * calls (the pool's arithmetic is tested in test/node/wasm-pool.test.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/linalg/wasm/pool.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('pools never closed are reclaimed', () => {
  it('dropping a 3-thread pool without close() terminates its 2 workers after garbage collection', async () => {
    let terminated = 0;
    const spawn = async () => ({ terminate: () => void terminated++ });
    await (async () => {
      const pool = await createPool('test', { threads: 3 }, 2, spawn);
      expect(pool.threads).toBe(3);
    })(); // the pool is now unreachable
    await collectUntil(() => terminated === 2);
    expect(terminated).toBe(2);
  });

  it('a closed pool is terminated once, by close(), not again by the collector', async () => {
    let terminated = 0;
    const spawn = async () => ({ terminate: () => void terminated++ });
    await (async () => {
      const pool = await createPool('test', { threads: 2 }, 2, spawn);
      await pool.close();
    })();
    expect(terminated).toBe(1);
    await collectUntil(() => terminated > 1);
    expect(terminated).toBe(1);
  });
});

describe('products beyond WebAssembly memory', () => {
  it('a GEMM whose operands exceed the 2 GiB WebAssembly memory runs on the TypeScript kernel instead of throwing', async () => {
    const pool = await createPool('test', { threads: 1 }, 1, async () => {
      throw new Error('no workers with threads: 1');
    });
    // 1 × k times k × 1 with k = 2^27 + 2^23: 2.1 GiB of operands. Zero-filled arrays are not
    // touched except where set, so the resident memory stays small.
    const k = 2 ** 27 + 2 ** 23;
    const a = new Float64Array(k);
    const b = new Float64Array(k);
    a[0] = 3;
    b[0] = 2;
    a[k - 1] = 1;
    b[k - 1] = 5;
    const c = Float64Array.of(100);
    pool.gemm(false, false, 1, 1, k, 1, a, k, b, 1, 0.5, c, 1);
    expect(c[0]).toBe(3 * 2 + 1 * 5 + 0.5 * 100);
    await pool.close();
  }, 60_000);
});
