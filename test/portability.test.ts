/**
 * Portability guard for the core library:
 * - no engine-dependent transcendental functions in src/ (Math.exp, Math.log, Math.pow, `**`, …):
 *   engines differ in the last bit (Node 20 and Chromium 156 do for Math.exp and Math.log), which
 *   would break "same seed, same numbers in Node and browsers"; src/math/elementary.ts has portable ones;
 * - no Math.random anywhere in src/ (every random choice flows from a seeded Random);
 * - no Node-only import (node:*, fs, path, worker_threads, …) outside src/node/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Source with comments and string/template literals blanked (keeps line numbers). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

function findAll(re: RegExp, where: (file: string) => boolean): string[] {
  const hits: string[] = [];
  for (const f of files(srcDir)) {
    const rel = relative(srcDir, f);
    if (!where(rel)) continue;
    const lines = code(readFileSync(f, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (re.test(line)) hits.push(`src/${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('portability of src/', () => {
  it('uses no engine-dependent Math functions or ** (use src/math/elementary.ts)', () => {
    const re = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|asinh|acosh|atanh|sin|cos|tan|asin|acos|atan|atan2|cbrt|hypot)\b|(?<!\b2\s*)\*\*/;
    // Powers of two (`2 ** k`) are exact everywhere; SVG tick placement is presentation, not numbers.
    expect(findAll(re, (f) => !f.startsWith('node/') && f !== 'io/svg.ts')).toEqual([]);
  });

  it('never calls Math.random', () => {
    expect(findAll(/\bMath\.random\b/, () => true)).toEqual([]);
  });

  it('imports nothing Node-only outside src/node/', () => {
    const mods = '(node:[a-z_/]+|fs|path|os|url|zlib|worker_threads|child_process|crypto|stream|util|http|net)';
    const staticImport = new RegExp(`^\\s*(import|export)\\b[^'"]*(from\\s+)?['"]${mods}['"]`);
    const dynamicImport = new RegExp(`\\bimport\\(\\s*['"]${mods}['"]`);
    const hits: string[] = [];
    for (const f of files(srcDir)) {
      const rel = relative(srcDir, f);
      if (rel.startsWith('node/')) continue;
      const raw = readFileSync(f, 'utf8').split('\n');
      // require() is looked for in code only (worker sources are built as strings, not imported here).
      const stripped = code(raw.join('\n')).split('\n');
      raw.forEach((line, i) => {
        if (staticImport.test(line) || dynamicImport.test(line) || /\brequire\s*\(/.test(stripped[i] ?? '')) hits.push(`src/${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
