/**
 * Layers only point down. Lowest first: errors/validate/document/math/random/linalg (0) →
 * energy (1) → samplers (2) → models and train (3: a family's model and its trainers are one
 * layer) → eval (4) → io (5) → node (6). A file may import its own layer or a lower one;
 * `src/index.ts` and `src/base.ts` (the entry points) may import anything. This is the rule
 * of ../shared/layers.mjs, kept in the repository so CI checks it without shared/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const RANK: Record<string, number> = {
  errors: 0,
  validate: 0,
  document: 0,
  math: 0,
  random: 0,
  linalg: 0,
  data: 1,
  energy: 1,
  samplers: 2,
  models: 3,
  train: 3,
  eval: 4,
  io: 5,
  node: 6,
};
const src = fileURLToPath(new URL('../src', import.meta.url));

function layerOf(file: string): string | undefined {
  const top = (relative(src, file).split(sep)[0] as string).replace(/\.ts$/, '');
  return top in RANK ? top : undefined;
}

function walk(d: string, out: string[]): string[] {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every import in src/ that points up, as `file -> specifier (from imports to)`. */
function upwardImports(): string[] {
  const bad: string[] = [];
  for (const f of walk(src, [])) {
    const from = layerOf(f);
    if (from === undefined) {
      const rel = relative(src, f);
      if (rel !== 'index.ts' && rel !== 'base.ts') bad.push(`${rel} is in no layer (add its folder to RANK)`);
      continue;
    }
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const to = layerOf(resolve(dirname(f), m[1] as string));
      if (to === undefined) continue;
      if ((RANK[to] as number) > (RANK[from] as number)) bad.push(`${relative(src, f)} -> ${m[1]} (${from} imports ${to})`);
    }
  }
  return bad;
}

it('no import in src/ points up the layers, and every file is in a layer', () => {
  expect(upwardImports()).toEqual([]);
});
