#!/usr/bin/env node
/**
 * The `boltzmann` executable (package.json "bin" → dist/cli.js).
 * @module
 */
import { cliMain } from './cli/index.js';

cliMain().catch((e: unknown) => {
  process.stderr.write(`boltzmann: error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
