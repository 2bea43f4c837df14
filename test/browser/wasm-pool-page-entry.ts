// Page entry: the pool must refuse the main thread, then run inside a Web Worker (source in globalThis.__workerSource).
import { createWasmWorkerPool } from '../../src/linalg/wasm/pool.js';

const w = window as unknown as { __result?: unknown; __error?: string; __workerSource?: string };
(async () => {
  let mainThreadError = '';
  try {
    await createWasmWorkerPool({ threads: 2 });
  } catch (e) {
    mainThreadError = String(e);
  }
  const url = URL.createObjectURL(new Blob([w.__workerSource ?? ''], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module' });
  worker.onmessage = (e: MessageEvent) => {
    w.__result = { ...(e.data as object), mainThreadError, isolated: crossOriginIsolated };
  };
  worker.onerror = (e: ErrorEvent) => {
    w.__error = `worker error: ${e.message}`;
  };
})();
