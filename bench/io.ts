/**
 * I/O throughput: MNIST test images from .gz to a [0, 1] matrix, safetensors
 * encode/decode of an RBM-sized parameter set, PNG encoding of a sample grid.
 * Reference: the same tasks in NumPy (bench/py/io_reference.py), timed in the
 * same command. `BENCH_SMALL=1` uses a small parameter set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tileImages } from '../src/io/image.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';
import { Random } from '../src/random/random.js';
import { loadMnist } from '../src/node/data.js';
import { encodePng } from '../src/node/png.js';
import { benchDir, findPython, printTable, runPython, timeIt, writeResult } from './common.js';

export async function main(): Promise<void> {
  const small = process.env.BENCH_SMALL === '1';
  const [rows, cols] = small ? [64, 32] : [784, 500];
  const dataDir = join(benchDir, '../../shared/data/mnist');
  const haveData = existsSync(dataDir);
  const rng = new Random(0);
  const tensors = {
    weights: { shape: [rows, cols], data: rng.fillNormal(new Float64Array(rows * cols)) },
    visibleBias: { shape: [rows], data: rng.fillNormal(new Float64Array(rows)) },
    hiddenBias: { shape: [cols], data: rng.fillNormal(new Float64Array(cols)) },
  };
  const blob = encodeSafetensors(tensors);
  const mb = blob.length / 2 ** 20;
  const ours: Record<string, number | null> = {
    loadMnist: haveData ? timeIt(() => loadMnist(dataDir, { split: 'test' }), small ? 200 : 2000) : null,
    safetensorsEncode: timeIt(() => encodeSafetensors(tensors)),
    safetensorsDecode: timeIt(() => decodeSafetensors(blob)),
  };
  const grid = haveData ? loadMnist(dataDir, { split: 'test', limit: 100 }).images : null;
  const png = grid ? timeIt(() => encodePng(tileImages(grid, { height: 28, width: 28, columns: 10, scale: 2 }))) : null;

  const py = findPython(['numpy']);
  let ref: Record<string, number | null> = {};
  if (py) {
    const out = runPython(py, [join(benchDir, 'py/io_reference.py'), haveData ? join(dataDir, 't10k-images-idx3-ubyte.gz') : '-', String(rows), String(cols)]);
    ref = JSON.parse(out.trim().split('\n').pop() as string);
  } else console.log('(no python3 with numpy: reference column empty)');

  const table = Object.keys(ours).map((k) => {
    const a = ours[k];
    const b = ref[k];
    return [k, a == null ? 'n/a' : a * 1e3, b == null ? 'n/a' : b * 1e3, a != null && b != null ? b / a : 'n/a'];
  });
  if (png != null) table.push(['encodePng 10×10 MNIST grid', png * 1e3, 'n/a', 'n/a']);
  console.log(`safetensors file: ${mb.toFixed(2)} MiB (${rows}×${cols} weights + biases, F64); MNIST: 10 000 test images`);
  printTable(['task', 'boltzmann ms', 'numpy ms', 'numpy/boltzmann'], table);
  const path = writeResult('io', { small, rows, cols, fileMiB: mb, boltzmannSeconds: ours, numpySeconds: ref, encodePngSeconds: png });
  console.log(`wrote ${path}`);
}
