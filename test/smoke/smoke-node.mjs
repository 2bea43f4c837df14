// Imports the *built* boltzmann/node subpath as ESM and CJS (run after `npm run build`):
// both entry points must share one copy of the error classes (instanceof across them).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as b from 'boltzmann';
import * as n from 'boltzmann/node';

const img = b.tileImages(b.fromArrays([[0, 1, 1, 0]]), { height: 2, width: 2 });
const png = n.encodePng(img);
assert.deepEqual(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]);
try {
  n.loadIdx(123);
} catch (e) {
  assert.ok(e instanceof TypeError);
}
try {
  n.gunzipSyncChecked(Uint8Array.of(0x1f, 0x8b, 8, 0));
  assert.fail('expected a FormatError');
} catch (e) {
  assert.ok(e instanceof b.FormatError, 'FormatError from boltzmann/node is the one exported by boltzmann (ESM)');
}
const require = createRequire(import.meta.url);
const bc = require('boltzmann');
const nc = require('boltzmann/node');
try {
  nc.gunzipSyncChecked(Uint8Array.of(0x1f, 0x8b, 8, 0));
  assert.fail('expected a FormatError');
} catch (e) {
  assert.ok(e instanceof bc.FormatError, 'FormatError from boltzmann/node is the one exported by boltzmann (CJS)');
}
console.log(`ESM and CJS import of boltzmann/node ok (${Object.keys(n).length} exports, shared error classes)`);
