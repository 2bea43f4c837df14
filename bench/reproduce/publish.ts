/**
 * What every reproduction script (rbm-paper, rbm-recipe, dbn-paper, dbm-paper) does to save
 * and publish a run: checkpoints written atomically, the model as float32 safetensors, the
 * commit, and its entry in results.json.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeSafetensors, documentToSafetensors, encodeSafetensors } from '../../src/index.js';
import type { ModelDocument } from '../../src/index.js';

/** Writes `value` as JSON to `file` through a temporary file and a rename, so a reader never sees half of it. */
export function writeJsonAtomic(file: string, value: unknown, indent?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`; // per process: runs that publish at once do not share it
  writeFileSync(tmp, indent === undefined ? JSON.stringify(value) : `${JSON.stringify(value, null, indent)}\n`);
  renameSync(tmp, file);
}

/** Writes `doc` as float32 safetensors to `<dir>/models/<name>.safetensors`; returns that path relative to `dir`. */
export function writeModelF32(dir: string, name: string, doc: ModelDocument): string {
  mkdirSync(join(dir, 'models'), { recursive: true });
  const f64 = decodeSafetensors(documentToSafetensors(doc));
  const model = `models/${name}.safetensors`;
  writeFileSync(join(dir, model), encodeSafetensors(f64.tensors, f64.metadata, { dtype: 'F32' }));
  return model;
}

/** The commit checked out at `dir`, or `'unknown'` outside a git checkout. */
export function gitCommit(dir: string): string {
  try {
    return execSync('git rev-parse HEAD', { cwd: dir }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Adds `entry` to `<dir>/results.json`, or replaces the entry of the same name. The file is
 * read right before it is written (other runs write their own entries into it) and written
 * atomically. Returns the file's path.
 */
export function upsertResult(dir: string, entry: { name: string } & Record<string, unknown>): string {
  const resultsPath = join(dir, 'results.json');
  const results = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>[]) : [];
  const at = results.findIndex((r) => r.name === entry.name);
  if (at >= 0) results[at] = entry;
  else results.push(entry);
  writeJsonAtomic(resultsPath, results, 1);
  return resultsPath;
}
