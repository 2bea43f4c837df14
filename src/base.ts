/**
 * `boltzmann/base` — the unchecked layer under the public API, for power users
 * writing their own hot loops or backends (stdlib's two forms: a checked
 * public function in `boltzmann`, its unchecked base here).
 *
 * What lives here trusts its arguments: no shape, type or range checks, no
 * allocation where avoidable, positional arguments in BLAS order, results
 * written into the arrays passed in. A wrong length reads or writes past the
 * data you meant (typed arrays do not throw), so validate once at your own
 * boundary — the checkers below are the ones the library uses for that, with
 * its message convention `${where}: ${name} must be ${expected} (got ${value})`.
 *
 * - **Kernels**: the {@link Kernel} seam (every dense product of every model
 *   goes through it), its implementations (plain TypeScript, naive reference,
 *   WebAssembly SIMD, worker pools) and the raw 13-argument GEMM forms.
 * - **Unchecked helpers**: the `*Unchecked` inner loops of energies, Hopfield
 *   rules and exact DBM marginals.
 * - **Checkers**: argument validation and option-key checking.
 *
 * @example
 * ```ts
 * import { getKernel, checkPositiveInt } from 'boltzmann/base';
 * const m = checkPositiveInt('myLoop', 'm', 2);
 * const c = new Float64Array(m * m);
 * getKernel().gemm(false, false, m, m, 1, 1, Float64Array.of(1, 2), 1, Float64Array.of(3, 4), 2, 0, c, m);
 * // c = [3, 4, 6, 8]
 * ```
 * @module
 */

// ── Kernels: the seam, its implementations and the raw GEMM forms ──────────────
export { gemmSparseA, getKernel, type Kernel, ready, setKernel, withThreads } from './linalg/kernel.js';
export { tsKernel } from './linalg/ts-kernel.js';
export { naiveKernel } from './linalg/naive.js';
export { sparseGemm } from './linalg/sparse.js';
export {
  createWasmKernel,
  initWasm,
  type WasmKernelOptions,
  type WasmPrecision,
  wasmRelaxedSimdAvailable,
  wasmSimdAvailable,
} from './linalg/wasm/wasm-kernel.js';
export { createWasmWorkerPool, type WasmPoolKernel, type WasmPoolOptions } from './linalg/wasm/pool.js';

// ── Unchecked helpers: inner loops without argument checks ─────────────────────
export { localFieldsUnchecked, quadraticEnergyUnchecked } from './energy/quadratic.js';
export {
  hebbianWeightsUnchecked,
  pseudoInverseWeightsUnchecked,
  storeWeightsUnchecked,
  storkeyUpdateUnchecked,
  storkeyWeightsUnchecked,
} from './train/hopfield-rules.js';
export { addRowUnchecked, evolveAsyncUnchecked, isFixedPointUnchecked } from './models/hopfield-network.js';
export { dbmLogMarginalUnchecked } from './models/dbm-exact.js';

// ── Checkers: the library's own argument validation ────────────────────────────
export {
  checkAllFinite,
  checkBinary,
  checkBoolean,
  checkElements,
  checkFinite,
  checkInRange,
  checkInt,
  checkKnownKeys,
  checkMatrix,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkOptionsKeys,
  checkPositive,
  checkPositiveInt,
  checkSize,
  checkSpins,
  checkUnitInterval,
  checkVector,
  closestKey,
  type NumericArray,
  optionKeys,
  type ShapedArray,
  toMatrix,
} from './validate.js';

// ── Internals of the models and formats, for code that builds on them ─────────
export { RBMBase, VISIBLE_BIAS_CLIP, visibleUnits } from './models/rbm.js';
export { energyFromFields } from './models/hopfield-network.js';
export { rbmAISPath } from './models/rbm-ais.js';
export { gibbsSampleWork } from './io/kinds/rbm.js';
export { dbmSampleWork } from './io/kinds/dbm.js';
export { bmSampleWork } from './io/kinds/boltzmann-machine.js';
export { dbnSampleWork } from './io/kinds/dbn.js';
export { hopfieldSampleWork } from './io/kinds/hopfield.js';
export { dbmAISPath } from './models/dbm-ais.js';
export { checkDocument, floatsFromJson, floatsToJson, readTensor, tensorFromJson, tensorToJson } from './document.js';
export { splitMix64 } from './random/random.js';
export { overlaps } from './linalg/matrix.js';
