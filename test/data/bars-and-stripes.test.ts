import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BARS, STRIPES, barsAndStripes, classifyBarsAndStripes, sampleBarsAndStripes } from '../../src/data/bars-and-stripes.js';

describe('bars and stripes', () => {
  it('has 2^(n+1) − 2 distinct patterns, each classified as its label (property over sizes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (size) => {
        const { data, labels } = barsAndStripes(size);
        const d = size * size;
        expect(data.rows).toBe(2 ** (size + 1) - 2);
        const seen = new Set<string>();
        for (let r = 0; r < data.rows; r++) {
          const img = data.data.slice(r * d, (r + 1) * d);
          seen.add(img.join(''));
          const kind = classifyBarsAndStripes(img, size);
          if (labels[r] === -1) expect(kind).toBe('uniform');
          else expect(kind).toBe(labels[r] === BARS ? 'bars' : 'stripes');
        }
        // all distinct (for size 1 the two uniform images are the only ones)
        expect(seen.size).toBe(data.rows);
      }),
    );
  });

  it('without the uniform images: 2^(n+1) − 4 patterns, half bars and half stripes', () => {
    const { data, labels } = barsAndStripes(3, { includeUniform: false });
    expect(data.rows).toBe(12);
    expect(Array.from(labels).filter((l) => l === BARS).length).toBe(6);
    expect(Array.from(labels).filter((l) => l === STRIPES).length).toBe(6);
  });

  it('sampled patterns are all bars or stripes of the drawn orientation; same seed, same draws', () => {
    const a = sampleBarsAndStripes(4, 200, 5);
    const b = sampleBarsAndStripes(4, 200, 5);
    expect(Array.from(a.data.data)).toEqual(Array.from(b.data.data));
    for (let r = 0; r < 200; r++) {
      const kind = classifyBarsAndStripes(a.data.data.slice(r * 16, (r + 1) * 16), 4);
      expect(kind).not.toBeNull();
      if (kind !== 'uniform') expect(kind).toBe(a.labels[r] === BARS ? 'bars' : 'stripes');
    }
  });

  it('rejects bad sizes and non-patterns are classified as null', () => {
    expect(() => barsAndStripes(0)).toThrow(/size/);
    expect(() => barsAndStripes(13)).toThrow(/size/);
    expect(classifyBarsAndStripes(Float64Array.of(1, 0, 0, 0), 2)).toBeNull();
    expect(() => classifyBarsAndStripes(new Float64Array(3), 2)).toThrow(/length/);
  });
});
