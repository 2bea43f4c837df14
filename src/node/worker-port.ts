/**
 * Node adapters for training in a worker (`fitInWorker`, `scoreInWorker`,
 * `serveModelWorker`): a `worker_threads` `Worker` and its `parentPort` are
 * event emitters (`on`/`off`, messages as plain values); these wrap them in the
 * browser's shape (`addEventListener`, `event.data`).
 * @module
 */
import { parentPort, type MessagePort, type Worker } from 'node:worker_threads';
import { describeValue } from '../errors.js';
import type { ModelWorkerLike, ModelWorkerScope } from '../io/worker.js';

type Listener = (event: { data?: unknown; message?: string; error?: unknown }) => void;

interface Emitter {
  on(event: string, fn: (x: unknown) => void): unknown;
  off(event: string, fn: (x: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
}

function adapt(emitter: Emitter): ModelWorkerLike {
  const wrapped = new Map<Listener, Map<string, (x: unknown) => void>>();
  return {
    postMessage: (message, transfer) => emitter.postMessage(message, transfer as readonly unknown[] | undefined),
    addEventListener(type, listener) {
      const fn =
        type === 'message'
          ? (x: unknown) => listener({ data: x })
          : (x: unknown) => listener({ error: x, message: x instanceof Error ? x.message : String(x) });
      let byType = wrapped.get(listener);
      if (byType === undefined) wrapped.set(listener, (byType = new Map()));
      if (byType.has(type)) return;
      byType.set(type, fn);
      emitter.on(type, fn);
    },
    removeEventListener(type, listener) {
      const fn = wrapped.get(listener)?.get(type);
      if (fn === undefined) return;
      emitter.off(type, fn);
      wrapped.get(listener)?.delete(type);
    },
  };
}

/**
 * A `worker_threads` `Worker` as `fitInWorker` (from `boltzmann`) and `scoreInWorker` (from `boltzmann`)
 * take it: messages arrive as `event.data`, and the worker's `'error'` (an
 * uncaught exception in it) rejects the running call.
 *
 * @param worker - a Worker whose script calls `serveModelWorker(nodeParentPort())`
 * @returns the worker in the browser's shape
 * @throws {TypeError} when `worker` is not a worker_threads Worker
 * @example
 * ```ts
 * // needs files: model-worker.js beside this module, the worker script: serveModelWorker(nodeParentPort())
 * import { Worker } from 'node:worker_threads';
 * import { RBM, fitInWorker } from 'boltzmann';
 * import { nodeWorkerPort } from 'boltzmann/node';
 * const worker = new Worker(new URL('./model-worker.js', import.meta.url));
 * const images = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]];
 * const rbm = new RBM(4, 2, { rng: 1 });
 * await fitInWorker(nodeWorkerPort(worker), rbm, images, { epochs: 10 }); // rbm is trained, this thread stayed free
 * await worker.terminate();
 * ```
 * @category Training
 */
export function nodeWorkerPort(worker: Worker): ModelWorkerLike {
  const w = worker as unknown as Emitter;
  if (w === null || typeof w !== 'object' || typeof w.on !== 'function' || typeof w.off !== 'function' || typeof w.postMessage !== 'function') {
    throw new TypeError(`nodeWorkerPort: worker must be a worker_threads Worker (got ${describeValue(worker)})`);
  }
  return adapt(w);
}

/**
 * The worker side in Node: `parentPort` (or another `MessagePort`) as
 * `serveModelWorker` (from `boltzmann`)'s scope.
 *
 * @param port - default `parentPort` of `node:worker_threads`
 * @returns the port in the shape of a browser worker's `self`
 * @throws {TypeError} when there is no port (not called in a worker thread)
 * @example
 * ```ts
 * // in model-worker.ts, the script of a worker_threads Worker: serveModelWorker(nodeParentPort());
 * // outside a worker thread there is no parentPort, but any MessagePort can be served:
 * import { MessageChannel } from 'node:worker_threads';
 * import { serveModelWorker } from 'boltzmann';
 * import { nodeParentPort } from 'boltzmann/node';
 * const { port1, port2 } = new MessageChannel();
 * const stop = serveModelWorker(nodeParentPort(port1)); // answers the fitInWorker / scoreInWorker requests posted on port2
 * stop(); // stops serving
 * port1.close();
 * ```
 * @category Training
 */
export function nodeParentPort(port: MessagePort | null = parentPort): ModelWorkerScope {
  const p = port as unknown as Emitter | null;
  if (p === null || typeof p !== 'object' || typeof p.on !== 'function' || typeof p.postMessage !== 'function') {
    throw new TypeError(`nodeParentPort: port must be a MessagePort (parentPort is null outside a worker thread) (got ${describeValue(port)})`);
  }
  return adapt(p) as unknown as ModelWorkerScope;
}
