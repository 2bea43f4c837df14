// Browser entry: runs the shared computation and reports its hash to the harness.
import { sameNumbersRun } from './same-numbers-run.js';

const w = window as unknown as { __result?: Record<string, string>; __error?: string };
sameNumbersRun().then(
  (h) => {
    w.__result = h;
  },
  (e: unknown) => {
    w.__error = String(e);
  },
);
