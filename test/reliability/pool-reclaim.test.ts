/**
 * A WebAssembly pool that is never closed is reclaimed once garbage (issue #15): its workers are
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
