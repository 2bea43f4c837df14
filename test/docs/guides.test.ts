/**
 * Every TypeScript code block in the guides (docs/*.md) runs: each block is written to a
 * temporary module with `boltzmann` / `boltzmann/node` pointed at the sources, and imported
 * from a temporary working directory (so files a guide writes land there). Blocks within
 * one guide run in order. A block fenced as ```ts but meant only to be read would be a
 * defect here: guides show code that works.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = join(root, 'docs');
const guides = readdirSync(docs).filter((f) => f.endsWith('.md'));
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
export function tsBlocks(text: string): string[] {
  const out: string[] = [];
  const re = /^```(ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[2] as string);
  return out;
}

function rewrite(code: string): string {
  const index = pathToFileURL(join(root, 'src/index.ts')).href;
  const node = pathToFileURL(join(root, 'src/node/index.ts')).href;
  return code.replace(/from\s+'boltzmann\/node'/g, `from '${node}'`).replace(/from\s+'boltzmann'/g, `from '${index}'`);
}

it('there are guides, and every guide has runnable code', () => {
  expect(guides.length).toBeGreaterThanOrEqual(5);
});

for (const g of guides) {
  const blocks = tsBlocks(readFileSync(join(docs, g), 'utf8'));
  describe(`docs/${g}`, () => {
    blocks.forEach((code, i) => {
      it(`block ${i + 1} of ${blocks.length} runs`, async () => {
        const file = join(scratch, `${g.replace(/\W/g, '_')}-${i + 1}.ts`);
        writeFileSync(file, rewrite(code));
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
