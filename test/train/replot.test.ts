import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureOf, flagOf, runningFigureOf } from '../../bench/reproduce/replot.js';

// The published likelihood-versus-epoch figures are drawn from results.json alone (replot.ts):
// every figure next to it must be what its entry says, so a changed entry (or drawing) without
// its figure fails here. (With the drawing of the day they were written, replot reproduced all
// 13 published figures byte for byte before the legend placement changed.)
const dir = resolve('bench/reproduce');
const entries = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { name: string; testLL?: number }[];

describe('bench/reproduce/replot.ts', () => {
  it('redraws every published rbm-, dbn- and dbm-paper figure from its results entry, as committed', () => {
    let drawn = 0;
    for (const e of entries) {
      const file = join(dir, `${e.name}.svg`);
      if (!existsSync(file)) continue;
      const svg = runningFigureOf(e, entries) ?? figureOf(e);
      if (svg === undefined) continue;
      drawn++;
      expect(svg, `${e.name}.svg is out of date: run node --import tsx bench/reproduce/replot.ts`).toBe(readFileSync(file, 'utf8'));
    }
    expect(drawn).toBeGreaterThanOrEqual(13);
  });

  it('draws what the entry says: another final figure gives another SVG; a base DBM run is drawn to its latest tail', () => {
    const e = entries.find((x) => x.name === 'dbm-paper-pcdpre-jslow-anneal207x24-seed1');
    if (e === undefined) throw new Error('entry missing');
    const svg = figureOf(e) as string;
    expect(svg).toContain('-89.47');
    const other = figureOf({ ...e, testLL: -88.5 }) as string;
    expect(other).not.toBe(svg);
    expect(other).toContain('-88.50');
    const base = entries.find((x) => x.name === 'dbm-paper-pcdpre-jslow-seed1');
    if (base === undefined) throw new Error('entry missing');
    expect(runningFigureOf(base, entries)).toContain('joint epoch 207 (running)');
    expect(runningFigureOf(base, entries.filter((x) => !x.name.includes('anneal207')))).toContain('joint epoch 132 (running)');
    expect(runningFigureOf(e, entries)).toBeUndefined();
    expect(flagOf('x --anneal-from 36 --anneal-epochs 30', 'anneal-from')).toBe('36');
    expect(flagOf('x --seed 1', 'anneal-from')).toBeUndefined();
  });
});
