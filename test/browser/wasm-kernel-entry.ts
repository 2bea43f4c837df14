// Browser entry: runs the WebAssembly kernel computation and reports it to the harness.
import { wasmKernelRun } from './wasm-kernel-run.js';

const w = window as unknown as { __result?: unknown; __error?: string };
wasmKernelRun().then(
  (r) => {
    w.__result = r;
  },
  (e: unknown) => {
    w.__error = String(e);
  },
);
