#!/usr/bin/env node
// Assembles the sequential samplers (scripts/wasm/sequential-wat.mjs: asynchronous Hopfield
// updates and the quadratic-energy Gibbs sweep) with wabt and embeds the bytes, base64, in
// src/linalg/wasm/sequential-bytes.ts.
//
//   node scripts/build-sequential-wasm.mjs          regenerate src/linalg/wasm/sequential-bytes.ts
//   node scripts/build-sequential-wasm.mjs --check  exit 1 if the committed file is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleWat, embeddedSource, writeOrCheck } from './wasm/embed.mjs';
import { sequentialWat } from './wasm/sequential-wat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated TypeScript source. */
export async function generate() {
  const bytes = await assembleWat('sequential.wat', sequentialWat(), { simd: true, bulk_memory: true });
  return embeddedSource('scripts/build-sequential-wasm.mjs', 'scripts/wasm/sequential-wat.mjs', [
    { name: 'SEQUENTIAL_WASM_BASE64', doc: 'Base64 of the sequential samplers module (Hopfield and Gibbs sweeps) over an ordinary imported memory.', bytes },
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeOrCheck(join(root, 'src/linalg/wasm/sequential-bytes.ts'), await generate(), 'scripts/build-sequential-wasm.mjs');
}
