#!/usr/bin/env node
// Assembles the Bernoulli draws (scripts/wasm/bernoulli-wat.mjs) with wabt and embeds the
// bytes, base64, in src/linalg/wasm/bernoulli-bytes.ts.
//
//   node scripts/build-bernoulli-wasm.mjs          regenerate src/linalg/wasm/bernoulli-bytes.ts
//   node scripts/build-bernoulli-wasm.mjs --check  exit 1 if the committed file is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bernoulliWat } from './wasm/bernoulli-wat.mjs';
import { assembleWat, embeddedSource, writeOrCheck } from './wasm/embed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated TypeScript source. */
export async function generate() {
  const bytes = await assembleWat('bernoulli.wat', bernoulliWat(), { simd: true });
  return embeddedSource('scripts/build-bernoulli-wasm.mjs', 'scripts/wasm/bernoulli-wat.mjs', [
    { name: 'BERNOULLI_WASM_BASE64', doc: 'Base64 of the Bernoulli-draws module (imports its memory).', bytes },
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeOrCheck(join(root, 'src/linalg/wasm/bernoulli-bytes.ts'), await generate(), 'scripts/build-bernoulli-wasm.mjs');
}
