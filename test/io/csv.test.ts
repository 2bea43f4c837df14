import fc from 'fast-check';
import { expectLibraryError } from '../reliability/library-error.js';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError } from '../../src/errors.js';
import { parseCsv, writeCsv } from '../../src/io/csv.js';
import { fromArrays, matrix } from '../../src/linalg/matrix.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const matrixArb = fc
  .record({ rows: fc.integer({ min: 0, max: 6 }), cols: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, cols }) =>
    fc.array(finite, { minLength: rows * cols, maxLength: rows * cols }).map((d) => matrix(rows, cols, Float64Array.from(d))),
  );

describe('parseCsv / writeCsv', () => {
  it('round-trips any finite matrix bit-exactly (including -0 and subnormals), with and without a header', () => {
    const name = fc.string({ maxLength: 8 }).filter((s) => s === s.trim() && Number.isNaN(Number(s)));
    fc.assert(
      fc.property(matrixArb, fc.boolean(), fc.array(name, { minLength: 6, maxLength: 6 }), fc.constantFrom(',', ';', '\t'), (m, withHeader, names, delimiter) => {
        const header = withHeader ? names.slice(0, m.cols) : undefined;
        const text = writeCsv(m, { header, delimiter });
        const back = parseCsv(text, { header: withHeader, delimiter });
        expect(back.header).toEqual(withHeader ? header : null);
        expect([back.data.rows, back.data.cols]).toEqual([m.rows, m.rows === 0 && !withHeader ? 0 : m.cols]);
        for (let i = 0; i < m.data.length; i++) expect(Object.is(back.data.data[i], m.data[i])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('parses RFC 4180 details: quotes, escaped quotes, CRLF, BOM, blank lines, spaces, bytes', () => {
    const t = parseCsv('\uFEFF"a, b","say ""hi"""\r\n 1 , "2"\r\n\r\n3,4e-3\n');
    expect(t.header).toEqual(['a, b', 'say "hi"']);
    expect(Array.from(t.data.data)).toEqual([1, 2, 3, 0.004]);
    expect(parseCsv(new TextEncoder().encode('1,2\n3,4')).data.rows).toBe(2);
    expect(parseCsv('1;2\r3;4', { delimiter: ';' }).data.data).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(parseCsv('').data.rows).toBe(0);
    expect(parseCsv('x,y\n').header).toEqual(['x', 'y']);
    expect(parseCsv('"multi\nline",b\n1,2').header).toEqual(['multi\nline', 'b']);
    const nf = parseCsv('NaN,inf,-Infinity', { allowNonFinite: true }).data.data;
    expect([Number.isNaN(nf[0]), nf[1], nf[2]]).toEqual([true, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('reports the line and column of a bad value, ragged rows, and unterminated quotes', () => {
    expect(() => parseCsv('1,2\n3,x4\n')).toThrow(/line 2, column 3 \(field 2\): "x4" is not a finite number/);
    expect(() => parseCsv('a,b\n1,2\n"q\nz",5\n1,abc', {})).toThrow(/line 3, column 1/);
    expect(() => parseCsv('1,2\n3\n')).toThrow(/line 2 has 1 fields, expected 2/);
    expect(() => parseCsv('1,2\n3,4,5\n')).toThrow(/line 2 has more than 2 fields/);
    expect(() => parseCsv('1,"2\n')).toThrow(/unterminated/);
    expect(() => parseCsv('1,"2"x\n')).toThrow(/after a quoted field/);
    expect(() => parseCsv('1e999', { header: false })).toThrow(FormatError);
    // 'auto': a number-like first row is an error naming row 1, never a header (issue #15)
    expect(() => parseCsv('1e999')).toThrow(/row 1, line 1, column 1 \(field 1\): "1e999" is not a finite number/);
    expect(() => parseCsv('NaN', { header: false })).toThrow(FormatError);
    expect(() => parseCsv(Uint8Array.of(0xff, 0xfe, 0x31))).toThrow(/UTF-8/);
    expect(() => parseCsv(3 as never)).toThrow(TypeError);
    expect(() => parseCsv('1', { delimiter: '"' })).toThrow(RangeError);
    expect(() => writeCsv(fromArrays([[Number.NaN]]))).toThrow(RangeError);
    expect(() => writeCsv(fromArrays([[1, 2]]), { header: ['a'] })).toThrow(ShapeError);
    expect(() => writeCsv(fromArrays([[1]]), { delimiter: '.' })).toThrow(RangeError);
    expect(writeCsv(fromArrays([[Number.NaN]]), { allowNonFinite: true })).toBe('NaN\n');
  });

  it('fuzz: 10 000 malformed texts (random, mutated, truncated) give only typed errors; what parses is rectangular', () => {
    const good = writeCsv(fromArrays([[1, -2.5, 3e10], [0.1, 7, -0]]), { header: ['a', 'b "c"', 'd,e'] });
    const text = fc.oneof(
      fc.string({ maxLength: 60, unit: fc.constantFrom('1', '2', '.', 'e', '-', '+', ',', '"', '\n', '\r', ' ', 'x', 'N', 'a', 'I') }),
      fc.string({ maxLength: 40 }),
      fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 })).map(([a, b, s]) => {
        const i = a % (good.length + 1);
        return good.slice(0, i) + s + good.slice(i + (b % 4));
      }),
      fc.nat().map((k) => good.slice(0, k % (good.length + 1))),
    );
    let cases = 0;
    let rejected = 0;
    fc.assert(
      fc.property(text, fc.constantFrom<'auto' | boolean>('auto', true, false), (t, header) => {
        cases++;
        try {
          const { data } = parseCsv(t, { header });
          expect(data.data.length).toBe(data.rows * data.cols);
          for (const v of data.data) expect(Number.isFinite(v)).toBe(true);
        } catch (e) {
          expectLibraryError(e);
          rejected++;
        }
      }),
      { numRuns: 10_000, seed: 424242 },
    );
    console.log(`parseCsv fuzz (library errors only): ${cases} cases, ${rejected} rejected with a typed error`);
  });
});

describe('parseCsv: the columns of a row are capped (options.maxColumns)', () => {
  it('a row longer than maxColumns is a FormatError naming the limit, whether the first row is data or a header', () => {
    expect(parseCsv('0,0,0\n1,1,1\n', { maxColumns: 3 }).data).toMatchObject({ rows: 2, cols: 3 });
    for (const [text, header] of [
      ['0,0,0\n', 'auto'],
      ['0,0,0\n', false],
      ['a,b,c\n0,0,0\n', 'auto'],
      ['a,b,c\n0,0,0\n', true],
    ] as const) {
      expect(() => parseCsv(text, { maxColumns: 2, header }), text).toThrow(FormatError);
      expect(() => parseCsv(text, { maxColumns: 2, header }), text).toThrow('parseCsv: line 1 has more than 2 fields, the most a row may have (options.maxColumns)');
    }
  });

  it(`defaults to ${2 ** 20} columns: one endless line of "0," stops there instead of filling memory`, () => {
    const line = '0,'.repeat(2 ** 20); // 2^20 + 1 fields (the last one empty)
    expect(() => parseCsv(line)).toThrow(/line 1 has more than 1048576 fields, .*options\.maxColumns/);
    expect(parseCsv(line.slice(0, -1)).data.cols).toBe(2 ** 20); // 2^20 fields: at the limit
  });

  it('maxColumns is checked: a positive integer up to LIMITS.maxElements', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => parseCsv('0\n', { maxColumns: bad }), String(bad)).toThrow(RangeError);
    expect(() => parseCsv('0\n', { maxColumns: 2 ** 29 })).toThrow(/LIMITS\.maxElements/);
    expect(() => parseCsv('0\n', { maxColumns: '3' as unknown as number })).toThrow(TypeError);
  });

  it('a header is still read whole (quoted names, names among numbers) after the first row is stored as numbers', () => {
    expect(parseCsv('x,1,"a ""b""\nc"\n1,2,3\n')).toEqual({ header: ['x', '1', 'a "b"\nc'], data: { rows: 1, cols: 3, data: Float64Array.of(1, 2, 3) } });
    expect(parseCsv('\n\n 1 , 2 \n3,4\n', { header: true })).toEqual({ header: ['1', '2'], data: { rows: 1, cols: 2, data: Float64Array.of(3, 4) } });
    expect(parseCsv('1,2\n3,4\n').data.data).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(() => parseCsv('1,NaN,x2\n')).not.toThrow(); // a name makes it a header; NaN is one of its names
    expect(() => parseCsv('1,NaN,2\n')).toThrow(/row 1, line 1, column 3 \(field 2\): "NaN" is not a finite number \(and not a header/);
  });
});
