/**
 * Every TypeScript code block in the guides (docs/*.md) and the README runs: each block is written to a
 * temporary module with `boltzmann` / `boltzmann/node` pointed at the sources, and imported
 * from a temporary working directory (so files a guide writes land there). Blocks within
 * one guide run in order. A block fenced as ```ts but meant only to be read would be a
 * defect here: guides show code that works.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { pointAtSources } from '../helpers/doc-modules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = join(root, 'docs');
const guides = [...readdirSync(docs).filter((f) => f.endsWith('.md')), '../README.md'];
const scratch = join(root, 'test/docs/.guides');
mkdirSync(scratch, { recursive: true });
const cwd = mkdtempSync(join(tmpdir(), 'boltzmann-guides-'));
const before = process.cwd();
afterAll(() => {
  process.chdir(before);
  rmSync(cwd, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** The ```ts blocks of a markdown text, in order. */
function tsBlocks(text: string): string[] {
  const out: string[] = [];
  const re = /^```(ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[2] as string);
  return out;
}


const written: string[] = [];
for (const g of guides) {
  tsBlocks(readFileSync(join(docs, g), 'utf8')).forEach((code, i) => {
    const file = join(scratch, `${g.replace(/\W/g, '_')}-${i + 1}.ts`);
    writeFileSync(file, pointAtSources(code));
    written.push(file);
  });
}

it('every block type-checks against the public API (strict)', () => {
  const configPath = join(root, 'tsconfig.test.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const program = ts.createProgram(written, { ...parsed.options, noEmit: true, noUnusedLocals: false });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.includes('/test/docs/.guides/'))
    .map((d) => `${d.file?.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
});

it('there are guides, and every guide has runnable code', () => {
  expect(guides.length).toBeGreaterThanOrEqual(6);
});

for (const g of guides) {
  const blocks = tsBlocks(readFileSync(join(docs, g), 'utf8'));
  if (blocks.length === 0) continue; // a page of figures and protocols (docs/reproductions.md) has no code to run
  describe(`docs/${g}`, () => {
    blocks.forEach((_code, i) => {
      it(`block ${i + 1} of ${blocks.length} runs`, async () => {
        const file = join(scratch, `${g.replace(/\W/g, '_')}-${i + 1}.ts`);
        process.chdir(cwd);
        try {
          await import(pathToFileURL(file).href);
        } finally {
          process.chdir(before);
        }
      });
    });
  });
}
