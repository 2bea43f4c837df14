// Requires the *built* package from plain Node as CommonJS (run after `npm run build`).
const assert = require('node:assert/strict');
const b = require('boltzmann');

const c = b.gemm(b.zeros(2, 2), b.fromArrays([[1, 2], [3, 4]]), b.identity(2));
assert.deepEqual(b.toArrays(c), [[1, 2], [3, 4]]);
assert.ok(new b.Random(1).float64() < 1);
// class names survive the bundle (keepNames)
assert.equal(b.RBM.name, 'RBM');
assert.equal(b.HopfieldNetwork.name, 'HopfieldNetwork');
assert.equal(b.getKernel().name, 'wasm-simd-exact');
const base = require('boltzmann/base');
assert.equal(base.getKernel(), b.getKernel());
assert.equal(typeof base.checkPositiveInt, 'function');
console.log(`CJS require of boltzmann ok (${Object.keys(b).length} exports)`);
