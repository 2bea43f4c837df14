/**
 * `boltzmann/node` — the Node-only edge of the library: files, PNG output,
 * dataset loaders. Everything here may import `node:*` modules; the core
 * (`boltzmann`) never does, so it runs unmodified in browsers.
 *
 * ```ts
 * import { tileImages } from 'boltzmann';
 * import { writePng } from 'boltzmann/node';
 * ```
 * @packageDocumentation
 */
export * from './png.js';
export * from './wasm-pool.js';
export { cliMain, runCli, UsageError, type CliContext, type CliStream } from './cli/index.js';
export * from './data.js';
export * from './safetensors.js';
export {
  type DataPlace,
  DownloadError,
  dataSearchPath,
  FETCHABLE_SETS,
  type FetchableSet,
  type FetchOptions,
  fetchDataSet,
  findDataSet,
  NOT_FETCHABLE,
  type RemoteFile,
  userCacheDir,
} from './cli/fetch.js';
export { type MatArray, type ReadMatOptions, readMat } from './mat.js';
export { nodeParentPort, nodeWorkerPort } from './worker-port.js';
export { type ConvertedFile, ConversionMismatch, convertMatToIdx, idxFromMatArray, type MatConversion } from './cli/fetch-convert.js';
