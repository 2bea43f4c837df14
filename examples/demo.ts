/**
 * `npm start`: the main demo. Until the first model lands, it shows what the
 * kernel does on a real product: the RBM hidden-layer pre-activation of a
 * batch of 100 MNIST-sized inputs (100×784 · 784×500), with its measured speed.
 */
import { gemm, getKernel, matrix, Random, zeros } from '../src/index.js';

const rng = new Random(2026);
const v = matrix(100, 784, rng.sampleBernoulli(new Float64Array(100 * 784), new Float64Array(100 * 784).fill(0.13)));
const w = matrix(784, 500, rng.fillNormal(new Float64Array(784 * 500), 0, 0.01));
const out = zeros(100, 500);
gemm(out, v, w);
let reps = 0;
const t0 = performance.now();
while (performance.now() - t0 < 1000) {
  gemm(out, v, w);
  reps++;
}
const s = (performance.now() - t0) / 1000 / reps;
console.log(`kernel '${getKernel().name}': (100×784)·(784×500) in ${(s * 1e3).toFixed(2)} ms = ${((2 * 100 * 784 * 500) / s / 1e9).toFixed(2)} GFLOP/s`);
