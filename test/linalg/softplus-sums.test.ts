import { describe, expect, it } from 'vitest';
import { startTwoThreadPool } from '../helpers/start-pool.js';
import { softplusSum } from '../../src/linalg/stable.js';
import { softplusSums } from '../../src/linalg/wasm/gather.js';
import { Random } from '../../src/random/random.js';

const LN2 = Math.LN2;
/** Values at every branch of fdlibm's exp (|y| near 2⁻²⁸, 0.5 ln2, 1.5 ln2, 700, 709.78, 745.13) and the specials. */
const EDGES = [
  0, -0, 1e-300, -1e-300, 2 ** -28, -(2 ** -28), 2 ** -29, 3.7e-9, 0.5 * LN2, -0.5 * LN2, 0.34657359027997264, 0.3465735902799727,
  1.5 * LN2, -1.5 * LN2, 1.0397207708399179, 1.039720770839918, 1, -1, 20, -20, 36.7, -36.7, 699.999999, -699.999999, 700, -700,
  709.79, -709.79, 745.2, -745.2, 1e308, -1e308, Infinity, -Infinity, Number.NaN,
];

function data(rows: number, n: number, seed: number, std: number, edges: boolean): Float64Array {
  const r = new Random(seed);
  const x = new Float64Array(rows * n);
  r.fillNormal(x, 0, std);
  if (edges) for (let i = 0; i < x.length; i += 7) x[i] = EDGES[r.int(EDGES.length)];
  return x;
}

/** softplusSums against softplusSum row by row, bit for bit (Object.is: NaN equals NaN, −0 differs from +0). */
function expectSameBits(x: Float64Array, rows: number, n: number, scale: number): void {
  const got = new Float64Array(rows).fill(12345);
  softplusSums(got, x, rows, n, scale);
  for (let r = 0; r < rows; r++) {
    const want = softplusSum(x, r * n, n, scale);
    if (!Object.is(got[r], want)) expect.fail(`rows ${rows}, n ${n}, scale ${scale}: row ${r} gave ${got[r]}, softplusSum ${want}`);
  }
}

describe('softplusSums (batched softplusSum, exponentials in WebAssembly SIMD)', () => {
  it('equals softplusSum row by row, bit for bit, over sizes around the 512-term blocks and odd row counts', () => {
    let seed = 1;
    for (const n of [1, 2, 3, 31, 64, 500, 511, 512, 513, 1023, 1024, 1100]) {
      for (const rows of [1, 2, 3, 7, 100]) {
        if (rows * n > 200_000) continue;
        for (const scale of [1, 0.37, 1e-3]) expectSameBits(data(rows, n, seed++, 4, false), rows, n, scale);
      }
    }
  });

  it('equals softplusSum on every branch of exp: tiny, ±0, the reduction bounds, |y| ≥ 700, ±∞ and NaN', () => {
    let seed = 100;
    for (const [rows, n] of [[9, 70], [100, 500], [3, 1025], [64, 1]] as const) {
      for (const scale of [1, -1, 0.5, 0, 3e5]) expectSameBits(data(rows, n, seed++, 30, true), rows, n, scale);
    }
    // every edge value in every row position, alone in an otherwise ordinary row
    const n = 65, rows = EDGES.length;
    const x = data(rows, n, 7, 1, false);
    for (let r = 0; r < rows; r++) x[r * n + (r % n)] = EDGES[r];
    expectSameBits(x, rows, n, 1);
    expectSameBits(x, rows, n, -2);
  });

  it('reads only the first rows·n values (a longer buffer) and writes only out[0 … rows)', () => {
    const x = data(10, 100, 3, 2, false);
    const out = new Float64Array(8).fill(-1);
    softplusSums(out, x, 5, 100, 0.9);
    for (let r = 0; r < 5; r++) expect(out[r]).toBe(softplusSum(x, r * 100, 100, 0.9));
    expect(Array.from(out.subarray(5))).toEqual([-1, -1, -1]);
  });
});

describe('softplus sums on the worker pool (withThreads)', () => {
  it('give softplusSum’s bits row by row, split over the threads: blocks of 512 terms, rows left to TS, odd row counts', async () => {
    const { withThreads, getKernel } = await import('../../src/linalg/kernel.js');
    const { softplusRowSums } = await import('../../src/models/rbm-products.js');
    startTwoThreadPool();
    let seed = 70;
    for (const [rows, n] of [
      [100, 500],
      [33, 1100],
      [101, 784],
      [7, 4000],
      [64, 1024],
    ] as const) {
      for (const [scale, edges] of [
        [0.63, false],
        [1, true],
      ] as const) {
        const x = data(rows, n, seed++, 4, edges);
        const got = new Float64Array(rows).fill(12345);
        let split = false;
        withThreads(2, () => {
          split = getKernel().softplusSums?.(got, x, rows, n, scale) ?? false;
        });
        expect(split).toBe(true);
        for (let r = 0; r < rows; r++) {
          const want = softplusSum(x, r * n, n, scale);
          if (!Object.is(got[r], want)) expect.fail(`rows ${rows}, n ${n}, scale ${scale}: row ${r} gave ${got[r]}, softplusSum ${want}`);
        }
        const viaRows = new Float64Array(rows);
        withThreads(2, () => softplusRowSums(viaRows, x, rows, n, scale));
        expect(viaRows.every((v, r) => Object.is(v, got[r]))).toBe(true);
      }
    }
    // too few values to split, or more than the pool's 2 GiB memory holds (the operand is not
    // read: 2³⁰ values claimed): the caller sums on its own thread
    withThreads(2, () => {
      expect(getKernel().softplusSums?.(new Float64Array(3), new Float64Array(30), 3, 10, 1)).toBe(false);
      expect(getKernel().softplusSums?.(new Float64Array(4), new Float64Array(8), 2 ** 20, 2 ** 10, 1)).toBe(false);
      expect(getKernel().sigmoidInPlace?.(new Float64Array(8), 2 ** 29)).toBe(false);
    });
  });
});
