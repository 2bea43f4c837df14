// Imports the *built* package from plain Node as ESM (run after `npm run build`).
import assert from 'node:assert/strict';
import * as b from 'boltzmann';
import * as base from 'boltzmann/base';

const c = b.gemm(b.zeros(2, 2), b.fromArrays([[1, 2], [3, 4]]), b.identity(2));
assert.deepEqual(b.toArrays(c), [[1, 2], [3, 4]]);
assert.equal(new b.Random(1).uint32(), new b.Random(1).uint32());
// class names survive the bundle (keepNames): errors say "got HopfieldNetwork", not "_HopfieldNetwork"
assert.equal(b.RBM.name, 'RBM');
assert.equal(b.HopfieldNetwork.name, 'HopfieldNetwork');
// fast by default: the WebAssembly SIMD kernel without any setKernel call, threads bit-identical to one
assert.equal(b.getKernel().name, 'wasm-simd-exact');
const x = b.matrix(60, 300, Float64Array.from({ length: 18000 }, (_, i) => ((i * 7919) % 1000) / 500 - 1));
const one = b.withThreads(1, () => b.gemm(b.zeros(60, 60), x, x, { transB: true }));
const two = b.withThreads(2, () => b.gemm(b.zeros(60, 60), x, x, { transB: true }));
assert.deepEqual(two.data, one.data);
// boltzmann/base: the unchecked layer shares the kernel seam with boltzmann
assert.equal(base.getKernel(), b.getKernel());
assert.equal(typeof base.quadraticEnergyUnchecked, 'function');
assert.equal(base.tsKernel.name, 'ts');
console.log(`ESM import of boltzmann ok (${Object.keys(b).length} exports)`);
