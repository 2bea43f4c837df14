import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { linePlot } from '../../src/io/svg.js';

/** Minimal well-formedness check: tags nest, attributes are quoted, text has no raw '<' or bare '&'. */
function checkWellFormed(svg: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(svg)) !== null) {
    consumed = re.lastIndex;
    if (m[5] !== undefined) {
      expect(m[5]).not.toMatch(/&(?!#\d+;|amp;|lt;|gt;|quot;)/);
      continue;
    }
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2] as string);
  }
  expect(consumed).toBe(svg.length);
  expect(stack).toEqual([]);
}

const finiteArr = (n: number) => fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n });

describe('linePlot', () => {
  it('is well-formed SVG, escapes text, draws one path per non-empty series inside the plot area', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 1, max: 20 }).chain((n) =>
            fc.record({ name: fc.string({ maxLength: 12 }), x: finiteArr(n), y: finiteArr(n), dashed: fc.boolean() }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.string({ maxLength: 20 }),
        (series, title) => {
          const svg = linePlot(series, { title: `${title}<&>`, xLabel: 'x "a"', yLabel: "y 'b'", width: 500, height: 300 });
          checkWellFormed(svg);
          expect(svg).toContain('&#60;&#38;&#62;');
          const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((p) => p[1] as string);
          expect(paths.length).toBe(series.length);
          for (const d of paths) {
            const nums = d
              .split(/[ML]/)
              .filter(Boolean)
              .map((pt) => pt.split(' ').map(Number));
            for (const [x, y] of nums) {
              // plot area: left 70, right 20, top 36 (title), bottom 52 (xLabel)
              expect(x).toBeGreaterThanOrEqual(70 - 0.01);
              expect(x).toBeLessThanOrEqual(480 + 0.01);
              expect(y).toBeGreaterThanOrEqual(36 - 0.01);
              expect(y).toBeLessThanOrEqual(248 + 0.01);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never emits NaN or Infinity coordinates, whatever the doubles (huge, tiny, subnormal, equal)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.double(), y: fc.double() }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        (pts, logX, logY) => {
          const svg = linePlot([{ name: 's', x: pts.map((p) => p.x), y: pts.map((p) => p.y), markers: true }], { logX, logY });
          checkWellFormed(svg);
          expect(svg).not.toMatch(/NaN|Infinity/);
        },
      ),
      { numRuns: 500 },
    );
    for (const v of [5e-324, 1e-300, 1e308, -1.7e308, 0]) {
      expect(linePlot([{ name: 's', x: [v, v], y: [v, -v] }])).not.toMatch(/NaN|Infinity/);
    }
  });

  it('breaks lines at non-finite values and skips non-positive values on log axes', () => {
    const svg = linePlot([{ name: 'a', x: [1, 2, 3, 4, 5], y: [1, 2, Number.NaN, 4, 5] }]);
    const d = /<path d="([^"]*)"/.exec(svg)?.[1] as string;
    expect(d.match(/M/g)?.length).toBe(2);
    expect(d.match(/L/g)?.length).toBe(2);
    const log = linePlot([{ name: 'a', x: [1, 2, 3], y: [0, 10, 100] }], { logY: true });
    const dl = /<path d="([^"]*)"/.exec(log)?.[1] as string;
    expect(dl.match(/[ML]/g)?.length).toBe(2);
    expect(log).toContain('>100<');
  });

  it('draws marks with labels, respects fixed ranges, and labels the ticks', () => {
    const svg = linePlot([{ name: 'err', x: Float64Array.of(0, 0.1, 0.2), y: [0, 0.01, 0.4] }], {
      xRange: [0, 0.3],
      yRange: [0, 0.5],
      marks: [{ x: 0.138, label: '0.138 N' }],
    });
    checkWellFormed(svg);
    expect(svg).toContain('0.138 N');
    expect(svg).toContain('>0.3<');
    expect(svg).toContain('>0.5<');
    expect(svg).toContain('stroke-dasharray="4 3"');
  });

  it('handles empty and constant data without NaN coordinates', () => {
    for (const s of [[], [{ name: '', x: [2], y: [3] }], [{ name: 'c', x: [1, 2], y: [5, 5] }]]) {
      const svg = linePlot(s);
      checkWellFormed(svg);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('puts the legend in a corner free of data, or below the plot where every corner is taken; wraps a long title', () => {
    /** The legend's box (the rect after the series group) and the SVG's height. */
    const legendBox = (svg: string) => {
      const m = svg.slice(svg.indexOf('</g>', svg.indexOf('clip-path="url(#plot-area)"'))).match(/<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/);
      const h = Number(svg.match(/<svg[^>]* height="([^"]+)"/)?.[1]);
      return { x: Number(m?.[1]), y: Number(m?.[2]), w: Number(m?.[3]), h: Number(m?.[4]), svgHeight: h };
    };
    const opts = { width: 600, height: 400, xRange: [0, 10] as const, yRange: [0, 10] as const };
    // plot area: x 70..580, y 16..366 (no title, no x label)
    const rising = { name: 'rising line', x: [0, 10], y: [0, 10] }; // bottom-left to top-right: both diagonal corners taken
    const b1 = legendBox(linePlot([rising], opts));
    expect(b1.x).toBeLessThan(300); // top left (free), not the default top right
    expect(b1.y).toBeLessThan(100);
    expect(b1.svgHeight).toBe(400);
    // data in three corners and a line along the top: the bottom right is the free one
    const pts = { name: 'corners', x: [0.2, 9.8, 0.2], y: [9.8, 9.8, 0.2], markers: true };
    const b2 = legendBox(linePlot([pts, { name: 'top', x: [0, 10], y: [9, 9] }], opts));
    expect(b2.x).toBeGreaterThan(300);
    expect(b2.y).toBeGreaterThan(200);
    // a long legend over a crowded plot: below it, the SVG taller by the legend
    const crowd = { name: 'x'.repeat(70), x: [0, 10, 0, 10], y: [0, 10, 10, 0] };
    const svg3 = linePlot([crowd, { name: 'flat', x: [0, 10], y: [5, 5] }], opts);
    const b3 = legendBox(svg3);
    expect(b3.y).toBeGreaterThanOrEqual(400);
    expect(b3.svgHeight).toBe(400 + b3.h + 10);
    checkWellFormed(svg3);
    // asked for by name: where asked, whatever it covers
    expect(legendBox(linePlot([crowd], { ...opts, legendPosition: 'top-right' })).y).toBeLessThan(100);
    expect(legendBox(linePlot([rising], { ...opts, legendPosition: 'below' })).y).toBeGreaterThanOrEqual(400);
    expect(() => linePlot([rising], { ...opts, legendPosition: 'middle' as never })).toThrow(RangeError);
    // a title longer than the width: two lines, the plot area moved down by one line
    const long = linePlot([rising], { ...opts, title: 'word '.repeat(30).trim() });
    const titles = [...long.matchAll(/<text [^>]*font-weight="bold">([^<]*)<\/text>/g)].map((m) => m[1] as string);
    expect(titles.length).toBe(3);
    expect(titles.join(' ')).toBe('word '.repeat(30).trim());
    for (const t of titles) expect(t.length * 9.6).toBeLessThanOrEqual(580);
    expect(long).toContain('<rect x="70" y="74"');
    checkWellFormed(long);
    // on a small figure the title keeps the plot area at least 40 px tall, its last line ending in '…'
    const small = linePlot([rising], { width: 200, height: 120, title: 'word '.repeat(30).trim() });
    const area = small.match(/<rect x="70" y="([^"]+)" width="([^"]+)" height="([^"]+)" fill="none"/);
    expect(Number(area?.[3])).toBeGreaterThanOrEqual(40);
    expect([...small.matchAll(/font-weight="bold">([^<]*)</g)].at(-1)?.[1]).toMatch(/…$/);
    checkWellFormed(small);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => linePlot([{ name: 'a', x: [1, 2], y: [1] }])).toThrow(ShapeError);
    expect(() => linePlot({} as never)).toThrow(TypeError);
    expect(() => linePlot([{ name: 'a', x: ['1'], y: [1] } as never])).toThrow(TypeError);
    expect(() => linePlot([{ name: 'a', x: [1], y: [1], color: 'red" onload="x' }])).toThrow(RangeError);
    expect(() => linePlot([], { width: 10 })).toThrow(RangeError);
    expect(() => linePlot([], { xRange: [1, 0] })).toThrow(RangeError);
    expect(() => linePlot([], { yRange: [0, 1], logY: true })).toThrow(RangeError);
    expect(() => linePlot([], { marks: [{ x: Number.NaN }] })).toThrow(RangeError);
    expect(() => linePlot([], { title: 3 as never })).toThrow(TypeError);
  });
});
