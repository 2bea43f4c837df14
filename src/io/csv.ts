/**
 * CSV of numbers: parse into a {@link Matrix} (with an optional header row)
 * and write a Matrix back. Parsing follows RFC 4180 (quoted fields with `""`
 * escapes and embedded separators or newlines; `\n`, `\r\n` or `\r` line
 * ends; a UTF-8 byte-order mark is skipped) and is strict about numbers: a
 * field that is not a finite decimal number is a {@link FormatError} naming
 * its line and column. Writing uses the shortest round-trip form of each
 * float64, so write → parse gives back identical bits.
 * @module
 */
import { describeValue, FormatError, ShapeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkMatrix, checkOptionsKeys, checkSize, optionKeys } from '../validate.js';

/** Options of {@link parseCsv}.
 * @category Data & files
 */
export interface ParseCsvOptions {
  /**
   * `true`: the first row is a header; `false`: no header; `'auto'` (default): a
   * header when some field of the first row is a name — neither a number nor a
   * number-like spelling (`NaN`, `inf`, `1e309`, `0x1`, `1_000`, `1.2.3`, empty),
   * which are errors naming row 1 instead of a silently dropped row.
   */
  header?: boolean | 'auto';
  /** Field separator, one character other than `"`, `\r`, `\n` (default `','`). */
  delimiter?: string;
  /** Accept `NaN`, `Infinity`, `-Infinity` (also `inf`, `nan`, case-insensitive) as values. Default false. */
  allowNonFinite?: boolean;
  /**
   * Most fields a row may have (default {@link CSV_DEFAULT_MAX_COLUMNS}, 2²⁰); a
   * longer row is a {@link FormatError} naming the limit, found while the row is
   * read, so one endless line cannot fill memory. At most `LIMITS.maxElements`.
   */
  maxColumns?: number;
}

/**
 * The default `maxColumns` of {@link parseCsv}: 2²⁰ = 1 048 576 fields per row.
 *
 * @example
 * ```ts
 * import { CSV_DEFAULT_MAX_COLUMNS, parseCsv } from 'boltzmann';
 * CSV_DEFAULT_MAX_COLUMNS; // 1048576
 * parseCsv('0,0,0\n', { maxColumns: 3 }).data.cols; // 3 (with maxColumns: 2, a FormatError)
 * ```
 * @category Data & files
 */
export const CSV_DEFAULT_MAX_COLUMNS = 2 ** 20;

const PARSE_CSV_KEYS = optionKeys<ParseCsvOptions>()({ header: true, delimiter: true, allowNonFinite: true, maxColumns: true });

/** A parsed numeric CSV.
 * @category Data & files
 */
export interface CsvTable {
  /** Column names from the header row, or `null` when there was none. */
  header: string[] | null;
  /** `[rows, columns]` values. */
  data: Matrix;
}

/** V8's largest string (2²⁹ − 24 characters on 64-bit): the most CSV text one call reads or writes. */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NONFINITE: Record<string, number> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

/**
 * Splits CSV text (RFC 4180) and calls `onField` for each field with its
 * 1-based line and column, and `onRowEnd` at each row end (returning true
 * stops there). Blank lines are skipped. Streaming, so large files cost no
 * per-field objects.
 */
function tokenize(
  where: string,
  text: string,
  delim: string,
  onField: (value: string, line: number, column: number) => void,
  onRowEnd: (line: number) => boolean | undefined,
): void {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  while (i < n) {
    // skip a blank line
    const c0 = text[i];
    if (c0 === '\n' || c0 === '\r') {
      i += c0 === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const rowLine = line;
    for (;;) {
      const fLine = line;
      const fCol = i - lineStart + 1;
      let value: string;
      let q = i;
      while ((text[q] === ' ' || text[q] === '\t') && text[q] !== delim) q++; // spaces before an opening quote are tolerated
      if (text[q] === '"') {
        i = q + 1;
        let buf = '';
        let segStart = i;
        for (;;) {
          if (i >= n) throw new FormatError(`${where}: line ${fLine}, column ${fCol}: unterminated quoted field`);
          const c = text[i];
          if (c === '"') {
            buf += text.slice(segStart, i);
            if (text[i + 1] === '"') {
              buf += '"';
              i += 2;
              segStart = i;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        value = buf;
        while ((text[i] === ' ' || text[i] === '\t') && text[i] !== delim) i++; // and after the closing quote
        const c = text[i];
        if (i < n && c !== delim && c !== '\n' && c !== '\r') {
          throw new FormatError(`${where}: line ${line}, column ${i - lineStart + 1}: expected '${delim}' or end of line after a quoted field`);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r') i++;
        value = text.slice(start, i);
      }
      onField(value, fLine, fCol);
      if (i < n && text[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    if (onRowEnd(rowLine) === true) return;
    if (i < n) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
    }
  }
}

/** Spellings of numbers that {@link parseCsv} does not read as finite decimals: never a header name. */
const NUMBER_LIKE_RE = /^[+-]?(?:nan|inf|infinity|0[xob][0-9a-f_]*|(?=[^\d]*\d)[0-9_.]+(?:e[+-]?[0-9_.]*)?)$/i;

/** Whether a first-row field can name a column: not a number, not a number-like spelling, not empty. */
function isName(s: string, allowNonFinite: boolean): boolean {
  const t = s.trim();
  return t !== '' && toNumber(t, allowNonFinite) === null && !NUMBER_LIKE_RE.test(t);
}

function toNumber(s: string, allowNonFinite: boolean): number | null {
  const t = s.trim();
  if (NUMBER_RE.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) || allowNonFinite ? v : null; // 1e999 overflows to Infinity
  }
  if (allowNonFinite) {
    const v = NONFINITE[t.toLowerCase()];
    if (v !== undefined) return v;
  }
  return null;
}

/**
 * Parses CSV text (or UTF-8 bytes) of numbers into a matrix. Every row must
 * have the same number of fields; whitespace around a number is ignored;
 * blank lines are skipped.
 *
 * @param input - CSV text, or its UTF-8 bytes
 * @param options - header (`'auto'` default), delimiter (`','`), allowNonFinite (false), maxColumns ({@link CSV_DEFAULT_MAX_COLUMNS})
 * @returns the header (or `null`) and a `[rows, cols]` matrix
 * @throws {TypeError} on a wrong argument type
 * @throws {RangeError} on a bad delimiter or maxColumns, or bytes that decode past the engine's string limit (2^29 − 24 characters)
 * @throws {FormatError} on invalid UTF-8, an unterminated quote, a row of another length or of more than `maxColumns` fields, or a non-numeric value (with line and column)
 * @example
 * ```ts
 * import { parseCsv } from 'boltzmann';
 * const { header, data } = parseCsv('x,y\n1,2\n3,4.5\n');
 * header;    // ['x', 'y']
 * data.data; // Float64Array [1, 2, 3, 4.5]
 * ```
 * @category Data & files
 */
export function parseCsv(input: string | Uint8Array, options?: ParseCsvOptions): CsvTable {
  const where = 'parseCsv';
  const opts = checkOptionsKeys(where, options, PARSE_CSV_KEYS);
  const header = opts.header === undefined ? 'auto' : opts.header;
  if (header !== 'auto' && typeof header !== 'boolean') {
    throw new TypeError(`${where}: options.header must be true, false or 'auto' (got ${describeValue(header)})`);
  }
  const delim = opts.delimiter === undefined ? ',' : opts.delimiter;
  if (typeof delim !== 'string') throw new TypeError(`${where}: options.delimiter must be a string (got ${describeValue(delim)})`);
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new RangeError(`${where}: options.delimiter must be one character other than '"', CR, LF (got ${describeValue(delim)})`);
  }
  const allowNonFinite = opts.allowNonFinite === undefined ? false : opts.allowNonFinite;
  if (typeof allowNonFinite !== 'boolean') {
    throw new TypeError(`${where}: options.allowNonFinite must be a boolean (got ${describeValue(allowNonFinite)})`);
  }
  const maxColumns = opts.maxColumns === undefined ? CSV_DEFAULT_MAX_COLUMNS : checkSize(where, 'options.maxColumns', opts.maxColumns);
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      // past the engine's string limit, Node throws ERR_STRING_TOO_LONG (other engines a RangeError): a size error, not bad UTF-8
      if (e instanceof RangeError || (e as { code?: unknown }).code === 'ERR_STRING_TOO_LONG' || input.length > MAX_STRING_LENGTH) {
        throw new RangeError(
          `${where}: input must decode to at most ${MAX_STRING_LENGTH} characters, the engine's string limit (got ${input.length} bytes); split the file`,
        );
      }
      throw new FormatError(`${where}: input is not valid UTF-8`);
    }
  } else throw new TypeError(`${where}: input must be a string or a Uint8Array (got ${describeValue(input)})`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // The first row may be the header: its numbers go straight into `values` (no object per field), and
  // only the first field that is not a number is kept; when the row is a header, it is read again for its names.
  let inFirst = true;
  let sawName = false;
  let firstBad: { value: string; line: number; column: number; field: number } | null = null;
  let names: string[] | null = null;
  let cols = -1;
  let values = new Float64Array(1024);
  let count = 0;
  let rowFields = 0;
  let nRows = 0;
  const push = (v: number) => {
    if (count === values.length) {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    values[count++] = v;
  };
  const notANumber = (value: string, line: number, column: number, field: number, firstRow = '') =>
    new FormatError(
      `${where}: ${firstRow === '' ? '' : 'row 1, '}line ${line}, column ${column} (field ${field}): ${describeValue(value)} is not a ${allowNonFinite ? '' : 'finite '}number${firstRow}`,
    );
  const endRow = (line: number, fields: number) => {
    if (fields !== cols) {
      throw new FormatError(
        `${where}: line ${line} has ${fields} fields, expected ${cols}${names ? ' (as in the header)' : ' (as in the first row)'}`,
      );
    }
    nRows++;
  };
  tokenize(
    where,
    text,
    delim,
    (value, line, column) => {
      if (inFirst) {
        if (rowFields >= maxColumns) {
          throw new FormatError(`${where}: line ${line} has more than ${maxColumns} fields, the most a row may have (options.maxColumns)`);
        }
        if (header !== true) {
          const v = toNumber(value, allowNonFinite);
          if (v !== null) push(v);
          else if (header === 'auto' && isName(value, allowNonFinite)) sawName = true;
          else if (firstBad === null) firstBad = { value, line, column, field: rowFields + 1 };
        }
      } else {
        if (rowFields >= cols) throw new FormatError(`${where}: line ${line} has more than ${cols} fields`);
        const v = toNumber(value, allowNonFinite);
        if (v === null) throw notANumber(value, line, column, rowFields + 1);
        push(v);
      }
      rowFields++;
    },
    (line) => {
      if (inFirst) {
        inFirst = false;
        cols = rowFields;
        if (header === true || sawName) {
          count = 0;
          const got: string[] = [];
          tokenize(
            where,
            text,
            delim,
            (value) => {
              got.push(value.trim());
            },
            () => true,
          );
          names = got;
        } else if (firstBad !== null) {
          const note = header === 'auto' ? ' (and not a header: a header holds a name, not a number-like spelling)' : ' (header: false)';
          const b: { value: string; line: number; column: number; field: number } = firstBad;
          throw notANumber(b.value, b.line, b.column, b.field, note);
        } else nRows++;
      } else endRow(line, rowFields);
      rowFields = 0;
      return undefined;
    },
  );
  if (cols < 0) cols = 0;
  const data = values.length === count ? values : values.slice(0, count);
  return { header: names, data: { rows: nRows, cols, data } };
}

function quoteField(s: string, delim: string): string {
  return s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r') || s !== s.trim()
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}

/** Options of {@link writeCsv}.
 * @category Data & files
 */
export interface WriteCsvOptions {
  /** Column names written as the first row (length must equal `data.cols`). */
  header?: readonly string[];
  /** Field separator (default `','`). */
  delimiter?: string;
  /** Write non-finite values as `NaN` / `Infinity` / `-Infinity` instead of throwing. Default false. */
  allowNonFinite?: boolean;
}

const WRITE_CSV_KEYS = optionKeys<WriteCsvOptions>()({ header: true, delimiter: true, allowNonFinite: true });

/**
 * Writes a matrix as CSV text, one row per line (`\n`, with a final newline),
 * each value in its shortest round-trip decimal form, so
 * `parseCsv(writeCsv(m))` gives back exactly `m`.
 *
 * @param data - the matrix
 * @param options - header, delimiter, allowNonFinite
 * @returns the CSV text
 * @throws {TypeError} on a wrong argument type
 * @throws {RangeError} on a non-finite value (unless allowed), a bad delimiter, `data.rows` or `data.cols` above `LIMITS.maxElements`, or output past the engine's string limit (2^29 − 24 characters)
 * @throws {ShapeError} when the header length differs from `data.cols`
 * @example
 * ```ts
 * import { fromArrays, writeCsv } from 'boltzmann';
 * writeCsv(fromArrays([[1, 0.5], [-2, 1e-9]]), { header: ['a', 'b'] }); // 'a,b\n1,0.5\n-2,1e-9\n'
 * ```
 * @category Data & files
 */
export function writeCsv(data: Matrix, options?: WriteCsvOptions): string {
  const where = 'writeCsv';
  checkMatrix(where, 'data', data);
  const opts = checkOptionsKeys(where, options, WRITE_CSV_KEYS);
  const delim = opts.delimiter === undefined ? ',' : opts.delimiter;
  if (typeof delim !== 'string') throw new TypeError(`${where}: options.delimiter must be a string (got ${describeValue(delim)})`);
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r' || /[-0-9.eE+]/.test(delim)) {
    throw new RangeError(`${where}: options.delimiter must be one character that cannot occur in a number (got ${describeValue(delim)})`);
  }
  const allowNonFinite = opts.allowNonFinite === undefined ? false : opts.allowNonFinite;
  if (typeof allowNonFinite !== 'boolean') {
    throw new TypeError(`${where}: options.allowNonFinite must be a boolean (got ${describeValue(allowNonFinite)})`);
  }
  const lines: string[] = [];
  if (opts.header !== undefined) {
    const h = opts.header;
    if (!Array.isArray(h) || !h.every((s) => typeof s === 'string')) {
      throw new TypeError(`${where}: options.header must be an array of strings (got ${describeValue(h)})`);
    }
    if (h.length !== data.cols) {
      throw new ShapeError(`${where}: options.header must have ${data.cols} names (got ${h.length})`);
    }
    lines.push(h.map((s) => quoteField(s, delim)).join(delim));
  }
  checkSize(where, 'data.rows', data.rows, 0);
  checkSize(where, 'data.cols', data.cols, 0);
  const d = data.data;
  let length = lines.length === 0 ? 0 : (lines[0] as string).length + 1;
  for (let i = 0; i < data.rows; i++) {
    const parts = new Array<string>(data.cols);
    for (let j = 0; j < data.cols; j++) {
      const v = d[i * data.cols + j] as number;
      if (!Number.isFinite(v) && !allowNonFinite) {
        throw new RangeError(`${where}: data must contain only finite numbers (got ${describeValue(v)} at row ${i}, column ${j})`);
      }
      parts[j] = Object.is(v, -0) ? '-0' : String(v);
      length += (parts[j] as string).length + 1;
    }
    if (data.cols === 0) length += 1;
    if (length > MAX_STRING_LENGTH) {
      throw new RangeError(
        `${where}: data must fit in one string of at most ${MAX_STRING_LENGTH} characters, the engine's string limit (got more by row ${i} of ${data.rows}); write fewer rows per call`,
      );
    }
    lines.push(parts.join(delim));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
