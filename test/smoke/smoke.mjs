// Imports the *built* package from plain Node as ESM (run after `npm run build`).
import assert from 'node:assert/strict';
import * as b from 'boltzmann';

const c = b.gemm(b.zeros(2, 2), b.fromArrays([[1, 2], [3, 4]]), b.identity(2));
assert.deepEqual(b.toArrays(c), [[1, 2], [3, 4]]);
assert.equal(new b.Random(1).uint32(), new b.Random(1).uint32());
console.log(`ESM import of boltzmann ok (${Object.keys(b).length} exports)`);
