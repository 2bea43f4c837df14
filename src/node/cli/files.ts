/**
 * Files of the command line: reading a model document and rebuilding its
 * model through the registry, atomic JSON writes, and pictures (text on a
 * terminal, PNG grids on disk).
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { JsonObject, ModelDocument } from '../../document.js';
import { FormatError } from '../../errors.js';
import { tileImages } from '../../io/image.js';
import type { ModelKind, ModelRegistry, Saveable } from '../../io/registry.js';
import { writePng } from '../png.js';
import { str, UsageError, type Values } from './args.js';

/** Reads a JSON model document (any kind), with typed errors for a missing or malformed file.
 * @category Data & files
 */
export function readDocument(path: string): ModelDocument {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
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

/** Reads a model file and rebuilds its model through the registry.
 * @category Data & files
 */
export function loadModelFile(path: string, registry: ModelRegistry): LoadedModel {
  const doc = readDocument(path);
  const kind = kindOf(registry, doc.kind, path);
  return { kind, model: kind.fromDocument(doc), doc };
}

/** Writes atomically (temporary file, then rename), so a Ctrl-C never leaves half a file.
 * @category Data & files
 */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
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

/** Writes rows as a PNG grid of pictures.
 * @category Data & files
 */
export function writePicture(path: string, rows: Float64Array[], shape: [number, number] | undefined, columns?: number): void {
  if (!shape) throw new UsageError('cannot draw pictures: the rows are not square; give --shape HxW');
  const d = shape[0] * shape[1];
  const data = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) data.set(rows[i] as Float64Array, i * d);
  writePng(path, tileImages({ rows: rows.length, cols: d, data }, { height: shape[0], width: shape[1], scale: 4, range: [0, 1], columns }));
}
