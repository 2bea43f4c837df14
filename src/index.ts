/**
 * `boltzmann` — energy-based models for TypeScript.
 *
 * Conventions: spins are ±1 (Hopfield, Ising), binary units are 0/1 (Boltzmann
 * machines, RBMs); matrices are row-major `Float64Array`s; every random choice
 * flows from an explicit seeded {@link Random}.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './linalg/matrix.js';
export * from './linalg/blas.js';
export * from './linalg/kernel.js';
export * from './linalg/ts-kernel.js';
export * from './linalg/naive.js';
export * from './linalg/stable.js';
export * from './math/elementary.js';
export * from './linalg/symmetric.js';
export * from './random/random.js';
export * from './energy/types.js';
export * from './energy/quadratic.js';
export * from './samplers/types.js';
export * from './samplers/run.js';
export * from './samplers/schedules.js';
export * from './samplers/gibbs.js';
export * from './samplers/anneal.js';
export * from './document.js';
export * from './io/image.js';
export * from './train/hopfield-rules.js';
export * from './models/hopfield-network.js';
export * from './energy/exact.js';
export * from './models/rbm.js';
export * from './train/rbm-trainer.js';
export * from './models/rbm-pseudo-likelihood.js';
export * from './io/svg.js';
export * from './train/train-hopfield-contrastive.js';
export * from './eval/capacity.js';
export * from './linalg/wasm/wasm-kernel.js';
export * from './models/expanded-hopfield-network.js';
export * from './models/dbm.js';
export * from './train/dbm-trainer.js';
export * from './models/dbm-exact.js';
export * from './models/dbm-ais.js';
export * from './models/boltzmann-machine.js';
export * from './samplers/metropolis.js';
export * from './samplers/tempering.js';
export * from './samplers/langevin.js';
export * from './samplers/chains.js';
export * from './samplers/diagnostics.js';
export * from './models/ising.js';
export * from './models/energy-network.js';
export * from './train/ebm-trainer.js';
export * from './data/toy2d.js';
export * from './models/rbm-exact.js';
export * from './models/rbm-ais.js';
export * from './linalg/sparse.js';
export * from './models/dbn.js';
export * from './train/logistic.js';
export * from './models/gaussian-rbm.js';
export * from './io/idx.js';
export * from './io/csv.js';
export * from './data/binarize.js';
export * from './data/patterns.js';
export * from './train/boltzmann-machine-trainer.js';
export * from './data/bars-and-stripes.js';
export * from './io/safetensors.js';
export { createWasmWorkerPool, type WasmPoolKernel, type WasmPoolOptions } from './linalg/wasm/pool.js';
export * from './io/load-model.js';
