// Requires the *built* package from plain Node as CommonJS (run after `npm run build`).
const assert = require('node:assert/strict');
const b = require('boltzmann');

const c = b.gemm(b.zeros(2, 2), b.fromArrays([[1, 2], [3, 4]]), b.identity(2));
assert.deepEqual(b.toArrays(c), [[1, 2], [3, 4]]);
assert.ok(new b.Random(1).float64() < 1);
console.log(`CJS require of boltzmann ok (${Object.keys(b).length} exports)`);
