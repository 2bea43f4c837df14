// Browser entry: the automatic kernel on a page's main thread, reported to the harness.
import { autoKernelRun } from './wasm-auto-kernel-run.js';

const w = window as unknown as { __result?: unknown; __error?: string };
autoKernelRun().then(
  (r) => {
    w.__result = r;
  },
  (e: unknown) => {
    w.__error = String(e);
  },
);
