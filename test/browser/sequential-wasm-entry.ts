// Browser entry: runs the sequential samplers both ways and reports the hashes to the harness.
import { sequentialWasmRun } from './sequential-wasm-run.js';

const w = window as unknown as { __result?: unknown; __error?: string };
sequentialWasmRun().then(
  (r) => {
    w.__result = r;
  },
  (e: unknown) => {
    w.__error = String(e);
  },
);
