/**
 * Every figure in the README's results table has a committed source. Each row's last column
 * names one or more files (`bench/results/<name>.json`, written by `scripts/record-result.mjs`
 * from the command beside it, or the reproductions' `bench/reproduce/results.json`); this test
 * checks that they exist, that a record says its command succeeded, and that every decimal
 * number of the row's result column (and every figure grouped in thousands, such as 1 184)
 * occurs in them: as written, or as a number there that rounds to it at the same decimals.
 * A figure typed from memory, left over from an older run or mistyped fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The rows of the table under `## Results`, as cells. */
function resultRows(text: string): string[][] {
  const start = text.indexOf('\n## Results');
  if (start < 0) throw new Error('README has no "## Results" section');
  const end = text.indexOf('\n## ', start + 5);
  const lines = text.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('|'));
  // header and separator first
  return lines.slice(2).map((l) => l.slice(1, l.endsWith('|') ? -1 : undefined).split(/(?<!\\)\|/).map((c) => c.trim()));
}

/** The figures of a cell: decimal numbers, and integers grouped in thousands ("1 184"), as strings with an ASCII minus. */
function figures(cell: string): string[] {
  const text = cell.replace(/`[^`]*`/g, ' ').replace(/\[[^\]]*\]\([^)]*\)/g, ' ').replace(/−/g, '-');
  const out: string[] = [];
  const re = /-?\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:\.\d+)?(?!\d)|-?\d+\.\d+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // a number inside a date or a version (2026-12-05, v20.1) is not a figure
    const before = text[m.index - 1] ?? ' ';
    if (/[\w.]/.test(before) && !/[-−]/.test(m[0][0] as string)) continue;
    out.push(m[0].replace(/[ \u00a0\u2009\u202f]/g, ''));
  }
  return out;
}

/** Every number in a parsed JSON value (strings are searched as text instead). */
function numbersIn(v: unknown, out: number[]): void {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbersIn(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) numbersIn(x, out);
}

function matches(fig: string, text: string, numbers: number[]): boolean {
  if (text.includes(fig)) return true;
  const value = Number(fig);
  const dot = fig.indexOf('.');
  const half = 0.5 * 10 ** -(dot < 0 ? 0 : fig.length - dot - 1);
  return numbers.some((n) => Math.abs(n - value) <= half * (1 + 1e-9));
}

const rows = resultRows(readme);

describe('README results: every figure has a committed source', () => {
  it('the table has rows, each naming its record files', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.length, r[0]).toBe(5);
  });

  for (const row of rows) {
    const [what, result, , , record] = row as [string, string, string, string, string];
    it(what.slice(0, 90), () => {
      const files = [...record.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
      expect(files.length, `row "${what}" names no record`).toBeGreaterThan(0);
      let text = '';
      const numbers: number[] = [];
      for (const f of files) {
        const path = join(root, f);
        expect(existsSync(path), `${f} (row "${what}") is not in the repository`).toBe(true);
        const raw = readFileSync(path, 'utf8');
        text += `${raw}\n`;
        if (f.endsWith('.json')) {
          const parsed: unknown = JSON.parse(raw);
          if (f.startsWith('bench/results/')) expect((parsed as { exitCode: number }).exitCode, `${f}: the recorded command failed`).toBe(0);
          numbersIn(parsed, numbers);
          // a record's standard output is text with numbers in it
          for (const m of raw.matchAll(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g)) numbers.push(Number(m[0]));
        }
      }
      const missing = figures(result).filter((fig) => !matches(fig, text.replace(/−/g, '-'), numbers));
      expect(missing, `figures of "${what}" found in none of ${files.join(', ')}`).toEqual([]);
    });
  }

  it('finds the figures it should in a cell, and not dates or code', () => {
    expect(figures('0.9112 ± 0.0002 / −0.7853; 1 184 vs 23 (2026-12-05, `--lr 0.05`) [x](a/b1.2.md)')).toEqual(['0.9112', '0.0002', '-0.7853', '1184']);
  });
});
