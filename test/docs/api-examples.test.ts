/**
 * Every `@example` in the sources runs. The ```ts blocks of the JSDoc comments under src/ are
 * written to scratch modules with `boltzmann`, `boltzmann/base` and `boltzmann/node` pointed at the
 * sources, type-checked against the public API (strict), and imported one by one from a temporary
 * working directory (so an example that writes a file writes it there). An example that can only
 * run elsewhere says so on its first line, and is type-checked, not run: `// runs in a browser`
 * (a page or a Web Worker), `// needs files: …` (a data set or model file of the reader's own),
 * `// needs the network`.
 *
 * Run alone: `npx vitest run test/docs/api-examples.test.ts`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { pointAtSources } from '../helpers/doc-modules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = join(root, 'test/docs/.api-examples');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const cwd = mkdtempSync(join(tmpdir(), 'boltzmann-api-examples-'));
const before = process.cwd();
afterAll(() => {
  process.chdir(before);
  rmSync(cwd, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (f.endsWith('.ts')) out.push(p);
  }
  return out;
}

interface Example {
  /** `src/…:line` of the fence. */
  where: string;
  file: string;
  browser: boolean;
}

/**
 * The ```ts blocks inside the JSDoc comments of a source file, with their line numbers — of the
 * public documentation only: a comment tagged `@internal` is not published (typedoc drops it), so
 * its examples are notes for the maintainers and are not run.
 */
function examples(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const re = /\/\*\*[\s\S]*?\*\//g;
  for (let c = re.exec(text); c !== null; c = re.exec(text)) {
    const comment = c[0];
    if (/@internal\b/.test(comment)) continue;
    const first = text.slice(0, c.index).split('\n').length;
    const lines = comment.split('\n');
    let block: string[] | undefined;
    let start = 0;
    for (let i = 0; i < lines.length; i++) {
      const t = (lines[i] as string).replace(/^\s*(\/\*\*|\*\/|\*)\s?/, '');
      if (block === undefined && /^```(ts|typescript)\s*$/.test(t)) {
        block = [];
        start = first + i + 1;
      } else if (block !== undefined && /^```\s*$/.test(t)) {
        out.push({ line: start, code: block.join('\n') });
        block = undefined;
      } else if (block !== undefined) block.push(t);
    }
  }
  return out;
}


const all: Example[] = [];
for (const f of sourceFiles(join(root, 'src'))) {
  const rel = relative(root, f);
  for (const { line, code } of examples(readFileSync(f, 'utf8'))) {
    const file = join(scratch, `${rel.replace(/\W/g, '_')}-${line}.ts`);
    writeFileSync(file, pointAtSources(code));
    all.push({ where: `${rel}:${line}`, file, browser: /^\s*\/\/ (runs in a browser|needs files:|needs the network)/.test(code) });
  }
}

it('there are examples', () => {
  expect(all.length).toBeGreaterThan(550);
});

it('every example type-checks against the public API (strict)', () => {
  const configPath = join(root, 'tsconfig.test.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const program = ts.createProgram(
    all.map((e) => e.file),
    { ...parsed.options, noEmit: true, noUnusedLocals: false },
  );
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.includes('/test/docs/.api-examples/'))
    .map((d) => `${d.file?.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
}, 300_000);

describe('every example runs', () => {
  for (const e of all.filter((x) => !x.browser)) {
    it(e.where, async () => {
      process.chdir(cwd);
      try {
        await import(pathToFileURL(e.file).href);
      } finally {
        process.chdir(before);
      }
    }, 60_000);
  }
});
