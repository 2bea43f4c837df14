/**
 * safetensors files on disk (Node): thin wrappers over the core
 * `encodeSafetensors` / `decodeSafetensors`.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describeValue } from '../errors.js';
import type { Tensor } from '../document.js';
import { GUNZIP_DEFAULT_MAX_BYTES } from '../io/idx.js';
import { checkInt, checkOptionsKeys } from '../validate.js';
import { refuseLargerThan } from './data.js';
import { decodeSafetensors, type EncodeSafetensorsOptions, encodeSafetensors, type SafetensorsFile } from '../io/safetensors.js';

function checkPath(where: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`${where}: path must be a non-empty string (got ${describeValue(path)})`);
  return path;
}

/**
 * Writes tensors (and optional metadata) to a `.safetensors` file.
 *
 * @param path - file path (overwritten)
 * @param tensors - tensors by name
 * @param metadata - optional `__metadata__` strings
 * @param options - `dtype`: `'F64'` (default) or `'F32'`
 * @throws as `encodeSafetensors`, and Node's file-system errors
 * @example
 * ```ts
 * import { RBM } from 'boltzmann';
 * import { saveSafetensors } from 'boltzmann/node';
 * const rbm = new RBM(4, 3, { rng: 1 });
 * saveSafetensors('rbm.safetensors', { W: { shape: [4, 3], data: rbm.weights.data } }, { kind: 'rbm' });
 * ```
 * @category Data & files
 */
export function saveSafetensors(
  path: string,
  tensors: Record<string, Tensor> | ReadonlyMap<string, Tensor>,
  metadata?: Record<string, string>,
  options?: EncodeSafetensorsOptions,
): void {
  checkPath('saveSafetensors', path);
  writeFileSync(path, encodeSafetensors(tensors, metadata, options));
}

/**
 * Reads a `.safetensors` file (every tensor converted to float64).
 *
 * @param path - file path
 * @param options - `maxBytes`: the largest file read (default 1 GiB); a larger one is refused from its size, before it is read
 * @returns tensors, metadata and stored dtypes
 * @throws {FormatError} when the file is malformed (see `decodeSafetensors`) or larger than `maxBytes`; Node's file-system errors
 * @example
 * ```ts
 * import { loadSafetensors, saveSafetensors } from 'boltzmann/node';
 * saveSafetensors('model.safetensors', { bias: { shape: [3], data: Float64Array.of(1, 2, 3) } }, {}, { dtype: 'F32' });
 * const { tensors, dtypes } = loadSafetensors('model.safetensors');
 * Array.from(tensors.bias.data); // [1, 2, 3], widened to float64
 * dtypes.bias; // 'F32', as stored
 * ```
 * @category Data & files
 */
export function loadSafetensors(path: string, options?: { maxBytes?: number }): SafetensorsFile {
  checkPath('loadSafetensors', path);
  const o = checkOptionsKeys('loadSafetensors', options, ['maxBytes']);
  const maxBytes = o.maxBytes === undefined ? GUNZIP_DEFAULT_MAX_BYTES : checkInt('loadSafetensors', 'options.maxBytes', o.maxBytes, 1);
  refuseLargerThan('loadSafetensors', path, maxBytes);
  return decodeSafetensors(new Uint8Array(readFileSync(path)));
}
