/** The script of the worker_threads Worker in test/io/worker.test.ts (bundled by the test with esbuild). */
import { serveModelWorker } from '../../src/io/worker.js';
import { nodeParentPort } from '../../src/node/worker-port.js';

serveModelWorker(nodeParentPort());
