/**
 * Files of the command line: reading a model file (a JSON document or, by its
 * `.safetensors` extension, a safetensors file) and rebuilding its model
 * through the registry; writing outputs safely; and pictures (text on a
 * terminal, PNG grids on disk).
 *
 * Outputs are guarded ({@link prepareOutput}): a command never writes over one
 * of its own inputs, never over an existing file that is not one of ours (a
 * boltzmann document, a safetensors file or PNG written here, a samples file)
 * unless `--force` is given, and checks that the folder exists and is writable
 * before any long work starts. Every write goes to `<path>.tmp-<pid>` and is
 * renamed into place, and the temporary file is removed on any failure.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type JsonObject, type ModelDocument, readTensor } from '../../document.js';
import { FormatError } from '../../errors.js';
import { tileImages } from '../../io/image.js';
import type { ModelKind, ModelRegistry, Saveable } from '../../io/registry.js';
import { documentToSafetensors, safetensorsToDocument } from '../../io/safetensors.js';
import { LOADER_DEFAULT_MAX_BYTES } from '../data.js';
import { crc32, encodePng } from '../png.js';
import { str, UsageError, type Values } from './args.js';

/** What one command run has read, and whether `--force` was given (per {@link runCli} call). */
interface FileSession {
  /** Resolved paths of the files the command read. */
  readonly inputs: Set<string>;
  /** `--force`: an existing output that is not a file of ours may be replaced. */
  readonly force: boolean;
}

const session = new AsyncLocalStorage<FileSession>();

/**
 * Runs `fn` with its own record of inputs and the `--force` choice (each
 * command-line run has one, so concurrent runs do not see each other's files).
 *
 * @param force - whether `--force` was given
 * @param fn - the command
 * @returns what `fn` returns
 * @category Data & files
 */
export function withFileSession<T>(force: boolean, fn: () => T): T {
  return session.run({ inputs: new Set(), force }, fn);
}

/** The path's canonical form (symbolic links resolved when it exists). */
function canonical(path: string): string {
  const p = resolve(path);
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Records `path` as an input of the running command (outputs may not replace it).
 *
 * @param path - a file the command reads
 * @category Data & files
 */
export function noteInput(path: string): void {
  session.getStore()?.inputs.add(canonical(path));
}

/** Whether `path` names a safetensors file (by its extension).
 * @category Data & files
 */
export function isSafetensorsPath(path: string): boolean {
  return /\.safetensors$/i.test(path);
}

/** The first `n` bytes of a file (fewer when it is shorter). */
function head(path: string, n: number, at = 0): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, at);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

const PNG_MARK = new TextEncoder().encode('Software\0boltzmann');

/**
 * Whether the existing file at `path` is one of ours: a boltzmann JSON document
 * (model or checkpoint), a samples file written by `sample`, a safetensors file
 * with `boltzmann.format` metadata, or a PNG carrying our `Software` text chunk.
 *
 * @param path - an existing file
 * @returns true when the command line wrote it (or could have)
 * @category Data & files
 */
export function isOurFile(path: string): boolean {
  try {
    const b = head(path, 64);
    const text = new TextDecoder().decode(b);
    if (/^\s*\{\s*"format"\s*:\s*"boltzmann"/.test(text) || /^\{"samples":\[/.test(text)) return true;
    if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
      // signature, IHDR (8 + 13 + 4 bytes), then our tEXt chunk: length, 'tEXt', 'Software\0boltzmann'
      const t = head(path, 8 + 4, 33 + 4);
      const tag = new TextDecoder().decode(t.subarray(0, 4));
      const rest = head(path, PNG_MARK.length, 33 + 8);
      return tag === 'tEXt' && rest.length === PNG_MARK.length && rest.every((x, i) => x === PNG_MARK[i]);
    }
    if (b.length >= 9 && b[8] === 0x7b) {
      const n = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
      if (n > 100_000_000n) return false;
      const header = JSON.parse(new TextDecoder().decode(head(path, Number(n), 8))) as { __metadata__?: Record<string, unknown> };
      return header.__metadata__?.['boltzmann.format'] === 'boltzmann';
    }
  } catch {
    // unreadable or malformed: not ours
  }
  return false;
}

/**
 * Checks an output path before the work starts: it is not an input of this
 * command (`train --data x.csv --out x.csv`), its folder exists and is
 * writable, it is not a folder, and an existing file there is one of ours
 * ({@link isOurFile}) unless `--force` was given.
 *
 * @param path - the output path
 * @param flag - the flag that named it, for messages (e.g. `--out`)
 * @param allowed - a path this output may replace even though it was read (the file `train --resume` continues)
 * @returns the absolute path
 * @throws {UsageError} when it would replace an input or a file that is not ours
 * @throws Error when the folder is missing or not writable, or the path is a folder
 * @category Data & files
 */
export function prepareOutput(path: string, flag = '--out', allowed?: string): string {
  const abs = resolve(path);
  const real = canonical(abs);
  const s = session.getStore();
  const mayReplace = allowed !== undefined && canonical(allowed) === real;
  if (s !== undefined && !mayReplace && s.inputs.has(real)) {
    throw new UsageError(`${flag} ${path} is an input of this command; refusing to overwrite it (choose another output file)`);
  }
  const folder = dirname(abs);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${flag} ${path}: the folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${path}: the folder ${folder} is not writable`);
  }
  if (existsSync(abs)) {
    const st = statSync(abs);
    if (!st.isFile()) throw new Error(`${flag} ${path}: is a folder or another non-file; give a file name`);
    if (!mayReplace && s?.force !== true && !isOurFile(abs)) {
      throw new UsageError(`${flag} ${path}: the file exists and was not written by boltzmann; refusing to overwrite it (add --force to replace it)`);
    }
  }
  return abs;
}

/**
 * Writes atomically: to `<path>.tmp-<pid>`, then renamed into place, so a
 * Ctrl-C never leaves half a file; the temporary file is removed when anything
 * fails (a folder in the way, a full disk, an exception).
 *
 * @param path - the destination
 * @param data - the bytes or text, or a function producing them (called after the temporary name is chosen)
 * @category Data & files
 */
export function writeAtomic(path: string, data: string | Uint8Array | (() => string | Uint8Array)): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, typeof data === 'function' ? data() : data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more to do; the original error matters
    }
    throw e;
  }
}

/** V8's largest string (2²⁹ − 24 characters on 64-bit): a JSON file of more bytes cannot be read as one text. */
const MAX_JSON_BYTES = 2 ** 29 - 24;

/**
 * Prefixes `path` to the message of `e` (when it does not name it already),
 * keeping the error's class, so that a one-line message says which file was
 * wrong (`m.json: load rbm: missing tensor 'weights'`).
 *
 * @param path - the file being read
 * @param e - what was thrown
 * @returns `e` itself, its message naming `path`
 * @category Data & files
 */
export function namingFile(path: string, e: unknown): unknown {
  if (e instanceof Error && !e.message.includes(path)) e.message = `${path}: ${e.message}`;
  return e;
}

/**
 * The size of the regular file `path`, refused above `maxBytes` from its size
 * alone (nothing read): a {@link FormatError} naming the file and the limit,
 * never Node's own "File size is greater than 2 GiB" RangeError.
 *
 * @param path - an existing file
 * @param maxBytes - the largest size accepted
 * @param what - what the file is, for the message (e.g. `a model file`)
 * @param limitName - what the limit is called in the message (default `maxBytes`)
 * @returns the size in bytes
 * @throws {FormatError} when the file is larger than `maxBytes`
 * @throws {TypeError} when it is not a regular file (a folder, a device, a pipe)
 * @category Data & files
 */
export function checkFileSize(path: string, maxBytes: number, what: string, limitName = 'maxBytes'): number {
  const st = statSync(path);
  if (st.isDirectory()) throw new TypeError(`is a folder, not ${what}: ${path}`);
  // a device or pipe would never end
  if (!st.isFile()) throw new TypeError(`not a regular file: ${path} (expected ${what})`);
  if (st.size > maxBytes) throw new FormatError(`${path} is ${st.size} bytes, more than ${limitName} = ${maxBytes} for ${what}; refused before reading`);
  return st.size;
}

/** Options of {@link readDocument}.
 * @category Data & files
 */
export interface ReadDocumentOptions {
  /** Record the file as an input of the running command (default true). */
  input?: boolean;
  /** Kind and configuration of a safetensors file written elsewhere. */
  fallback?: { kind: string; config: JsonObject };
  /**
   * Largest file read, in bytes (default {@link LOADER_DEFAULT_MAX_BYTES}, 1 GiB); a
   * JSON document is also capped at the engine's string limit (2²⁹ − 24 bytes).
   * A larger file is refused from its size, before it is read.
   */
  maxBytes?: number;
}

/** Reads a model file: a JSON document, or a safetensors file (by its `.safetensors` extension); typed errors naming the file for a missing, oversized or malformed file.
 * @throws {FormatError} when the file is larger than `options.maxBytes` (or, for JSON, the engine's string limit), not valid JSON or safetensors, or not a boltzmann document
 * @category Data & files
 */
export function readDocument(path: string, options?: ReadDocumentOptions): ModelDocument {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  const maxBytes = options?.maxBytes ?? LOADER_DEFAULT_MAX_BYTES;
  const safetensors = isSafetensorsPath(path);
  checkFileSize(path, maxBytes, 'a model file');
  // JSON is read as one string: past the engine's limit the parse would fail with V8's own message
  if (!safetensors && MAX_JSON_BYTES < maxBytes) checkFileSize(path, MAX_JSON_BYTES, 'a model file', "the engine's string limit");
  if (options?.input !== false) noteInput(path);
  if (safetensors) {
    try {
      return safetensorsToDocument(new Uint8Array(readFileSync(path)), options?.fallback);
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError(`${path}: ${e.message}`);
      throw e;
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || (doc as { format?: unknown }).format !== 'boltzmann') {
    throw new FormatError(`${path}: not a boltzmann model document (format must be 'boltzmann')`);
  }
  return doc as ModelDocument;
}

/** A model read from a file: its kind (from the registry), the model, and the document.
 * @category Data & files
 */
export interface LoadedModel {
  /** The registry entry of the document's kind. */
  readonly kind: ModelKind;
  /** The model. */
  readonly model: Saveable;
  /** The document it came from. */
  readonly doc: ModelDocument;
}

/** The registry entry of `kind`, or a usage error listing the available kinds (with the closest one).
 * @category Data & files
 */
export function kindOf(registry: ModelRegistry, kind: unknown, where: string): ModelKind {
  const k = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (k !== undefined) return k;
  const near = typeof kind === 'string' ? registry.suggest(kind) : undefined;
  throw new UsageError(`${where}: unknown model kind ${JSON.stringify(kind)} (${near === undefined ? `available: ${registry.names.join(', ')}` : `did you mean '${near}'?`})`);
}

/** Reads a model file (JSON or safetensors; `fallback`: the kind and configuration of a safetensors file written elsewhere) and rebuilds its model through the registry.
 * @category Data & files
 */
export function loadModelFile(path: string, registry: ModelRegistry, fallback?: { kind: string; config: JsonObject }): LoadedModel {
  const doc = readDocument(path, { fallback });
  const kind = kindOf(registry, doc.kind, path);
  try {
    return { kind, model: kind.fromDocument(doc), doc };
  } catch (e) {
    // the model's own check ("load rbm: missing tensor 'weights'") says what, the path says which file
    throw namingFile(path, e);
  }
}

/**
 * The document as a safetensors file keeps: the parameters, the kind and
 * configuration, and of the state only the model's own generator (`state.rng`)
 * and the command line's small record (`state.cli`: data, options, picture
 * shape); the trainer's state (momentum, persistent chains, its generators)
 * stays in JSON checkpoints.
 *
 * @param doc - a model document
 * @returns a copy without the training state
 * @category Data & files
 */
export function withoutTrainingState(doc: ModelDocument): ModelDocument {
  const st = doc.state as JsonObject | undefined;
  const { state: _state, ...rest } = doc;
  const kept: JsonObject = {};
  if (st?.rng !== undefined) kept.rng = st.rng;
  if (st?.cli !== undefined) kept.cli = st.cli;
  return Object.keys(kept).length === 0 ? rest : { ...rest, state: kept };
}

/**
 * Writes a model document by the path's extension: `.safetensors` as a
 * safetensors file (parameters as F64 tensors; see {@link withoutTrainingState}),
 * anything else as JSON. Atomic ({@link writeAtomic}).
 *
 * @param path - the destination
 * @param doc - the document
 * @category Data & files
 */
export function writeModel(path: string, doc: ModelDocument): void {
  writeAtomic(prepareOutput(path), () => encodeModel(path, doc));
}

/** The bytes (safetensors, by the `.safetensors` extension) or JSON text of `doc` for `path`.
 * @category Data & files
 */
export function encodeModel(path: string, doc: ModelDocument): string | Uint8Array {
  if (!isSafetensorsPath(path)) return JSON.stringify(doc);
  // tensors as plain number lists, whatever encoding the document uses
  const tensors: Record<string, { shape: number[]; data: number[] }> = {};
  for (const name of Object.keys(doc.tensors ?? {})) {
    const t = readTensor(doc, name);
    tensors[name] = { shape: t.shape.slice(), data: Array.from(t.data) };
  }
  return documentToSafetensors({ ...withoutTrainingState(doc), tensors } as unknown as ModelDocument);
}

/** Writes JSON atomically ({@link writeAtomic}) after the checks of {@link prepareOutput}.
 * @category Data & files
 */
export function writeJson(path: string, value: unknown): void {
  const abs = prepareOutput(path);
  writeAtomic(abs, () => JSON.stringify(value));
}

/** The picture shape of rows of `d` values: `--shape HxW`, the training data's, or a square.
 * @category Data & files
 */
export function imageShape(v: Values, d: number, doc?: ModelDocument): [number, number] | undefined {
  const s = str(v, 'shape');
  if (s !== undefined) {
    const mm = /^(\d+)x(\d+)$/.exec(s);
    if (!mm || Number(mm[1]) * Number(mm[2]) !== d) throw new UsageError(`--shape must be HxW with H·W = ${d} (got ${JSON.stringify(s)})`);
    return [Number(mm[1]), Number(mm[2])];
  }
  const cli = (doc?.state as JsonObject | undefined)?.cli as JsonObject | undefined;
  if (cli && typeof cli.height === 'number' && typeof cli.width === 'number' && cli.height * cli.width === d) return [cli.height, cli.width];
  const side = Math.round(Math.sqrt(d));
  return side * side === d ? [side, side] : undefined;
}

/** Text pictures of 0/1 rows, side by side.
 * @category Data & files
 */
export function asciiPictures(rows: Float64Array[], shape: [number, number] | undefined, titles?: string[]): string {
  const d = rows[0]?.length ?? 0;
  const [h, w] = shape ?? [1, d];
  const lines: string[] = [];
  if (titles) lines.push(titles.map((t) => t.slice(0, w).padEnd(w)).join('  '));
  for (let r = 0; r < h; r++) {
    lines.push(rows.map((x) => Array.from(x.subarray(r * w, (r + 1) * w), (b) => (b >= 0.5 ? '█' : '·')).join('')).join('  '));
  }
  return `${lines.join('\n')}\n`;
}

/** A PNG with our `tEXt` chunk (`Software: boltzmann`) after the header, so that {@link isOurFile} knows it again. */
function markedPng(png: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + PNG_MARK.length);
  body.set(new TextEncoder().encode('tEXt'), 0);
  body.set(PNG_MARK, 4);
  const chunk = new Uint8Array(12 + PNG_MARK.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, PNG_MARK.length);
  chunk.set(body, 4);
  view.setUint32(8 + PNG_MARK.length, crc32(body));
  const at = 33; // signature (8) + IHDR chunk (4 + 4 + 13 + 4)
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, at), 0);
  out.set(chunk, at);
  out.set(png.subarray(at), at + chunk.length);
  return out;
}

/** Writes rows as a PNG grid of pictures (atomically, after the checks of {@link prepareOutput}).
 * @category Data & files
 */
export function writePicture(path: string, rows: Float64Array[], shape: [number, number] | undefined, columns?: number): void {
  if (!shape) throw new UsageError('cannot draw pictures: the rows are not square; give --shape HxW');
  const abs = prepareOutput(path);
  const d = shape[0] * shape[1];
  const data = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) data.set(rows[i] as Float64Array, i * d);
  const img = tileImages({ rows: rows.length, cols: d, data }, { height: shape[0], width: shape[1], scale: 4, range: [0, 1], columns });
  writeAtomic(abs, () => markedPng(encodePng(img)));
}
